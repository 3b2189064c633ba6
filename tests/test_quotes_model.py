"""The learned cue detector: trains on a PolNeAR-layout folder, saves, loads, and drives the finder."""

from __future__ import annotations

from pathlib import Path

from narrascope.extract import cue_model
from narrascope.extract.quotes import Finder, extract
from narrascope.nlp.spacy_component import load

MINI = Path(__file__).parent / "fixtures" / "polnear_mini"


def test_train_save_load_and_use(tmp_path):
    meta = cue_model.train_from_polnear([MINI], tmp_path)
    assert meta["n_articles"] == 2 and meta["n_features"] > 10
    model = cue_model.load(str(tmp_path))
    assert model is not None
    sdoc = load()("The mayor said that the ferry will run again.")
    scores = model.scores(sdoc, [], Finder(model=False).lexicon_kind)
    assert set(scores) == {t.i for t in sdoc if cue_model.is_candidate(t)} == {t.i for t in sdoc if t.pos_ == "VERB"}
    found = extract(sdoc, Finder(model=model))
    assert all(0.0 <= f.confidence <= 1.1 for f in found)


def test_retraining_keeps_records_added_to_metrics(tmp_path):
    """The model card cites CV records written into metrics.json after training; a retrain keeps them."""
    import json

    (tmp_path / "metrics.json").write_text(json.dumps({"cv4_train_finder": {"0.4": 0.5}, "n_articles": 99}))
    cue_model.train_from_polnear([MINI], tmp_path)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["cv4_train_finder"] == {"0.4": 0.5} and metrics["n_articles"] == 2


def test_missing_model_means_lexicon(tmp_path):
    assert cue_model.load(str(tmp_path)) is None
    assert Finder(model=False).model is None


def test_shipped_model_is_present_and_small():
    path = cue_model.MODEL_DIR / cue_model.MODEL_FILE
    assert path.is_file() and path.stat().st_size < 5_000_000
    assert (cue_model.MODEL_DIR / "MODEL_CARD.md").is_file()


def test_adjectives_predicated_of_someone_are_candidates():
    """"is eager to", "was critical of": the model scores them like verbs (quotes v1.4); attributive ones not."""
    sdoc = load()("The mayor is eager to reopen the old bridge.")
    candidates = {t.text for t in sdoc if cue_model.is_candidate(t)}
    assert "eager" in candidates and "old" not in candidates and "reopen" in candidates
