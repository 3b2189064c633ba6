"""Role taxonomy, official ST1 metrics, and the entity-framing model trained on an invented mini corpus."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from narrascope.classify.roles import RoleModel, train_roles
from narrascope.classify.taxonomy import RoleTaxonomy, default_roles
from narrascope.eval.roles import evaluate, score
from narrascope.pipeline import Doc, Pipeline

MINI = Path(__file__).parent / "fixtures" / "semeval_mini"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("roles_model")
    summary = train_roles([MINI], out)
    assert summary["n_mentions"] == 14
    return out


def test_role_taxonomy_official_strings():
    tax = default_roles()
    assert tax.main_roles == ["Protagonist", "Antagonist", "Innocent"]
    assert len(tax.fine_roles) == 22
    assert tax.main_of["Foreign Adversary"] == "Antagonist" and tax.main_of["Scapegoat"] == "Innocent"


def test_role_taxonomy_rejects_a_fine_role_under_two_mains(tmp_path):
    f = tmp_path / "roles.yaml"
    f.write_text(
        "main_roles:\n  - label: A\n    fine_roles: [{label: x}]\n  - label: B\n    fine_roles: [{label: x}]\n"
    )
    with pytest.raises(ValueError, match="two main roles"):
        RoleTaxonomy.load(f)


def test_st1_metrics_match_hand_computation():
    gold = [("Antagonist", ["Deceiver", "Corrupt"]), ("Innocent", ["Victim"]), ("Protagonist", ["Guardian"])]
    pred = [("Antagonist", ["Corrupt", "Deceiver"]), ("Antagonist", ["Deceiver"]), ("Protagonist", ["Virtuous"])]
    # EMR: only mention 1 (fine-role sets equal, order ignored). Micro: tp=2, fp=2, fn=2 -> 0.5.
    assert score(gold, pred) == {"emr": pytest.approx(1 / 3), "micro_f1": 0.5, "main_role_accuracy": pytest.approx(2 / 3), "n": 3}


def test_given_mentions_are_echoed_and_roles_are_consistent(model_dir):
    model = RoleModel.load(model_dir)
    text = "The activist flies a private jet. Households in Germany pay for the sanctions."
    given = [(4, 12), (34, 54)]
    out = model.predict_roles(text, given)
    assert [(p.start, p.end) for p in out] == given
    for p in out:
        assert p.fine_roles and all(model.taxonomy.main_of[f] == p.main_role for f in p.fine_roles)
        assert 0 <= p.confidence <= 1
    with pytest.raises(ValueError, match="outside the text"):
        model.predict_roles(text, [(10, 500)])


def test_evaluate_on_mini(model_dir):
    result = evaluate(MINI, model=model_dir)
    assert set(result) == {"emr", "micro_f1", "main_role_accuracy", "n"} and result["n"] == 14
    assert result["main_role_accuracy"] > 0.5


def test_component_falls_back_to_spacy_entities(model_dir):
    # A stand-in for the spaCy parse (loading spaCy is not what this test is about).
    text = "Angela Merkel met farmers in Berlin. Angela Merkel said the sanctions hurt Germany."
    ents = [SimpleNamespace(label_=label, text=text[a:b], start_char=a, end_char=b)
            for label, a, b in (("PERSON", 0, 13), ("GPE", 29, 35), ("PERSON", 37, 50), ("DATE", 0, 6))]
    doc = Doc.from_text(text)
    doc.nlp = SimpleNamespace(ents=ents)
    pipe = Pipeline.from_config([{"name": "roles", "config": {"model": str(model_dir)}}])
    analysis = pipe(doc).analysis
    assert doc.error is None and analysis.check_spans() == []
    assert sorted(r.entity_name for r in analysis.roles) == ["Angela Merkel", "Berlin"]
    merkel = next(r for r in analysis.roles if r.entity_name == "Angela Merkel")
    assert merkel.evidence and merkel.mention.text == "Angela Merkel"
