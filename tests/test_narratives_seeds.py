"""The shipped narrative and role models on the two seed articles (skipped when ../shared/seeds is absent)."""

from __future__ import annotations

import pytest

from narrascope.classify.base import MODEL_FILE, shipped_model_dir
from narrascope.pipeline import Doc, Pipeline

pytestmark = pytest.mark.seeds


@pytest.fixture(scope="module")
def analyses(seed_texts):
    if not all((shipped_model_dir(k) / MODEL_FILE).exists() for k in ("narratives", "roles")):
        pytest.skip("shipped models not trained yet")
    pipe = Pipeline.from_config(only=["spacy", "actors", "narratives", "roles"])
    return {k: pipe(Doc.from_text(t)).analysis for k, t in seed_texts.items()}


def test_each_seed_gets_a_narrative_with_evidence(analyses):
    for key, analysis in analyses.items():
        assert analysis.check_spans() == [], key
        assert analysis.narratives, key
        assert any(n.evidence for n in analysis.narratives), key


def test_main_actors_of_seed_000_get_a_role(analyses):
    roles = analyses["000"].roles
    names = " | ".join(r.entity_name or r.mention.text for r in roles)
    for who in ("Zaluzhn", "Zelensk", "Klit"):
        assert who in names, f"{who} has no role in: {names}"
