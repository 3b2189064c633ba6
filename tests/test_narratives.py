"""Narrative taxonomy, SemEval reader, official ST2 metric, and the classifier trained on an invented mini corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.classify import semeval
from narrascope.classify.narratives import EXPLANATION_WORDS, NarrativeModel, Prediction, train_narratives
from narrascope.classify.taxonomy import NarrativeTaxonomy, default_narratives
from narrascope.eval.narratives import evaluate, f1_samples, score
from narrascope.pipeline import Doc, Pipeline

MINI = Path(__file__).parent / "fixtures" / "semeval_mini"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("narr_model")
    summary = train_narratives([MINI], out)
    assert summary["n_docs"] == 12 and (out / "model.joblib").exists()
    return out


def test_shipped_taxonomy_has_official_shape():
    tax = default_narratives()
    assert sorted(tax.domains) == ["CC", "URW"]
    assert len(tax.domains["URW"].narratives) == 11 and len(tax.domains["CC"].narratives) == 10
    assert "URW: Discrediting Ukraine: Ukraine is a puppet of the West" in tax.parent
    assert tax.parent["URW: Praise of Russia: Other"] == "URW: Praise of Russia"
    # The official scorer's class lists: 22 coarse and 91 fine labels.
    assert len(tax.scored("coarse")) == 22 and len(tax.scored("fine")) == 91
    assert "CC: Downplaying climate change: Sea levels are not rising" not in tax.scored("fine")
    assert all(tax.descriptions[n] for n in tax.narratives)
    with pytest.raises(ValueError, match="not in the taxonomy"):
        tax.check(["URW: Made-up narrative"])


def test_user_taxonomy_file_is_validated(tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text("domain: X\nnarratives:\n  - label: 'X: Foo'\n    subnarratives:\n      - label: 'X: Foo: Bar'\n")
    tax = NarrativeTaxonomy.load(good)
    assert tax.fine_labels == ["X: Foo: Other", "X: Foo: Bar", "Other"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("domain: X\nnarratives:\n  - label: 'X: Foo'\n    subnarratives:\n      - label: 'Y: Bar'\n")
    with pytest.raises(ValueError, match="must start with"):
        NarrativeTaxonomy.load(bad)
    with pytest.raises(ValueError, match="cannot read"):
        NarrativeTaxonomy.load(tmp_path / "missing.yaml")


def test_reader_resolves_end_inclusive_and_shifted_offsets(tmp_path):
    docs = semeval.read_dir(MINI)
    m = docs["EN_UA_m01.txt"].mentions[0]
    assert docs["EN_UA_m01.txt"].text[m.start : m.end] == m.text == "Ukrainian army"
    assert m.given == (m.start, m.end - 1)
    assert docs["EN_UA_m07.txt"].subnarratives == ["Other"]
    assert semeval.locate("ab Kyiv Kyiv", "Kyiv", 9) == 8  # shifted annotation -> nearest exact hit
    with pytest.raises(ValueError, match="raw-documents"):
        semeval.read_dir(tmp_path)


def test_f1_samples_matches_hand_computation():
    classes = {"A", "B", "C", "Other"}
    gold = [["A", "B"], ["Other"], ["C"], ["A"]]
    pred = [["A"], ["Other"], ["A"], ["A", "Z"]]  # Z is not a class: dropped, as the official scorer does
    # doc1: P=1, R=1/2 -> 2/3; doc2: 1; doc3: 0; doc4: 1  => (2/3 + 1 + 0 + 1) / 4
    assert f1_samples(gold, pred, classes) == pytest.approx((2 / 3 + 2) / 4)
    assert f1_samples([[]], [[]], classes) == 0.0  # both empty scores 0 in the official scorer


def test_score_pairs_documents_by_id_not_order():
    tax = default_narratives()
    docs = [
        semeval.Document("a", "", ["URW: Praise of Russia"], ["URW: Praise of Russia: Other"], has_narratives=True),
        semeval.Document("b", "", ["Other"], ["Other"], has_narratives=True),
    ]
    preds = {
        "b": Prediction({}, {}, None),
        "a": Prediction({"URW: Praise of Russia": 0.9}, {"URW: Praise of Russia: Other": 0.9}, "URW"),
    }
    assert score(docs, preds, tax) == {"f1_samples_fine": 1.0, "f1_samples_coarse": 1.0, "n_docs": 2}


def test_train_predict_and_evaluate_on_mini(model_dir):
    result = evaluate(MINI, model=model_dir)
    assert set(result) == {"f1_samples_fine", "f1_samples_coarse", "n_docs"} and result["n_docs"] == 12
    assert result["f1_samples_coarse"] > 0.5  # training data: it must at least fit what it saw
    model = NarrativeModel.load(model_dir)
    text = "Experts warn that nuclear weapons could be used. A nuclear catastrophe may follow. The weather is fine."
    labels = model.label(text)
    assert labels and labels[0].narrative == "URW: Amplifying war-related fears"
    top = labels[0]
    assert top.evidence and all(text[s.start : s.end] == s.text for s in top.evidence)
    assert top.explanation and len(top.explanation.split()) <= EXPLANATION_WORDS
    assert all(lab.label in model.taxonomy.parent for lab in labels)


def test_component_fills_analysis_with_valid_spans(model_dir):
    pipe = Pipeline.from_config([{"name": "narratives", "config": {"model": str(model_dir)}}])
    doc = pipe(Doc.from_text("Sanctions backfire. Energy prices rise and European industry suffers from the sanctions."))
    assert doc.error is None and doc.analysis.narratives
    assert doc.analysis.check_spans() == []
    empty = pipe(Doc.from_text("   "))
    assert empty.analysis.narratives == []


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="narrascope train narratives"):
        NarrativeModel.load(tmp_path)


def test_a_model_of_an_older_format_is_a_clear_error(model_dir, tmp_path):
    import joblib

    obj = joblib.load(model_dir / "model.joblib")
    joblib.dump({**obj, "version": "1"}, tmp_path / "model.joblib")
    with pytest.raises(ValueError, match="version 1.*retrain"):
        NarrativeModel.load(tmp_path)


def test_user_taxonomy_trains_and_serves(tmp_path):
    """A user's own narratives: taxonomy file + data in the SemEval layout -> model -> component."""
    tax = tmp_path / "energy.yaml"
    tax.write_text(
        "domain: EN\nnarratives:\n"
        "  - label: 'EN: Sanctions hurt us'\n    description: Sanctions cost the sanctioning side.\n"
        "    subnarratives:\n      - label: 'EN: Sanctions hurt us: Prices'\n"
        "  - label: 'EN: Fear'\n    subnarratives: []\n"
    )
    data = tmp_path / "data"
    (data / "raw-documents").mkdir(parents=True)
    rows = []
    for doc_id, doc in semeval.read_dir(MINI).items():
        (data / "raw-documents" / doc_id).write_text(doc.text)
        if "sanctions" in doc.text:
            rows.append(f"{doc_id}\tEN: Sanctions hurt us\tEN: Sanctions hurt us: Prices")
        elif "nuclear" in doc.text:
            rows.append(f"{doc_id}\tEN: Fear\tEN: Fear: Other")
        else:
            rows.append(f"{doc_id}\tOther\tOther")
    (data / "subtask-2-annotations.txt").write_text("\n".join(rows) + "\n")
    summary = train_narratives([data], tmp_path / "model", taxonomy=tax)
    assert summary["n_docs"] == 12
    pipe = Pipeline.from_config([{"name": "narratives", "config": {"model": str(tmp_path / "model"), "taxonomy": str(tax)}}])
    labels = pipe(Doc.from_text("The sanctions raise energy prices and households pay.")).analysis.narratives
    assert labels and {lab.label for lab in labels} <= {"EN: Sanctions hurt us: Prices", "EN: Sanctions hurt us: Other",
                                                        "EN: Fear: Other", "Other"}
    with pytest.raises(ValueError, match="not in the taxonomy"):
        train_narratives([MINI], tmp_path / "m2", taxonomy=tax)  # SemEval labels are unknown to this taxonomy


def test_hierarchical_decoding_gate_top_narrative_and_consistent_levels():
    """Gate first (Other), then the domain's likeliest narrative always, then sub-narratives; coarse = parents of fine."""
    model = NarrativeModel(default_narratives())
    model.thresholds = (0.5, 0.6, 0.3)
    fears, blame = "URW: Amplifying war-related fears", "URW: Blaming the war on others rather than the invader"
    nuclear = f"{fears}: There is a real possibility that nuclear weapons will be employed"
    probs = {
        "domains": {"URW": 0.55, "CC": 0.05, "Other": 0.4},
        "labels": {fears: 0.2, nuclear: 0.35, blame: 0.45, "CC: Criticism of institutions and authorities": 0.9},
    }
    pred = model.decode(probs)
    assert pred.domain == "URW"  # the CC label is out of domain, however confident
    assert pred.subnarratives == {nuclear: 0.35, f"{blame}: Other": 0.45}
    assert set(pred.narratives) == {fears, blame}  # blame: below 0.6 but the top narrative; fears: via its sub
    assert {model.taxonomy.parent[s] for s in pred.labels("fine")} == set(pred.labels("coarse"))
    gated = model.decode({**probs, "domains": {"URW": 0.3, "CC": 0.1, "Other": 0.6}})
    assert gated.labels("fine") == ["Other"] and gated.labels("coarse") == ["Other"]


def test_label_classifiers_learn_against_their_own_domain_only():
    """A word seen only in climate articles gets no weight in a war narrative's classifier: the domain
    classifier separates domains, a label's classifier separates it from its domain siblings and `Other`."""
    war = ["URW: Discrediting Ukraine", "URW: Amplifying war-related fears"]
    words = {war[0]: "Kyiv officials are corrupt and the army is weak", war[1]: "nuclear war may come and bombs fall"}
    docs = []
    for i in range(12):
        if i < 8:
            narrative = war[i % 2]
            docs.append(semeval.Document(f"u{i}", f"{words[narrative]} report {i}", [narrative],
                                         [f"{narrative}: Other"], has_narratives=True))
        else:
            narrative = "CC: Criticism of climate movement"
            docs.append(semeval.Document(f"c{i}", f"glacier activists glued to roads again {i}", [narrative],
                                         [f"{narrative}: Other"], has_narratives=True))
    model = NarrativeModel(default_narratives()).fit(docs, tune_folds=1)
    glacier = model.features.transformer_list[0][1].vocabulary_["glacier"]
    for narrative in war:
        row = model.labels.index(narrative)
        assert model.coef[row, glacier] == 0.0
        assert model.coef[row, model.features.transformer_list[0][1].vocabulary_["nuclear"]] != 0.0


def _label_with(monkeypatch, probs: dict, thresholds=(0.5, 0.6, 0.15)):
    """``NarrativeModel.label`` on given probabilities (no training, no evidence): the output assembly only."""
    model = NarrativeModel(default_narratives())
    model.thresholds = thresholds
    monkeypatch.setattr(model, "probabilities", lambda texts: [probs])
    monkeypatch.setattr(model, "_sentence_scores", lambda text, sentences: {})
    return model.label("Any text at all.")


def test_labels_come_by_confidence_with_the_explanation_and_its_numbers_on_the_first(monkeypatch):
    """Seed 004 listed 'The West is weak' (0.26) with the explanation under 'The West are the aggressors' (0.28):
    labels were ordered by their narrative's score, not by the confidence they show."""
    west, blame = "URW: Discrediting the West, Diplomacy", "URW: Blaming the war on others rather than the invader"
    weak, aggressors = f"{west}: The West is weak", f"{blame}: The West are the aggressors"
    probs = {"domains": {"URW": 0.8, "CC": 0.0, "Other": 0.2},
             "labels": {west: 0.5, weak: 0.2, blame: 0.4, aggressors: 0.35}}
    labels = _label_with(monkeypatch, probs)
    assert [(n.label, n.confidence) for n in labels] == [(aggressors, 0.35), (weak, 0.2)]
    assert [bool(n.explanation) for n in labels] == [True, False]
    assert "Reported with p=0.80 that it pushes a narrative, threshold 0.50; this sub-narrative p=0.35, threshold " \
           "0.15." in labels[0].explanation
    alone = _label_with(monkeypatch, {**probs, "labels": {west: 0.3}})  # the likeliest, below its threshold
    assert [n.label for n in alone] == [f"{west}: Other"]
    assert "this narrative p=0.30, below the 0.60 threshold but the likeliest." in alone[0].explanation


def test_no_narrative_says_so_with_the_likeliest_candidate(monkeypatch):
    west = "URW: Discrediting the West, Diplomacy"
    labels = _label_with(monkeypatch, {"domains": {"URW": 0.26, "CC": 0.0, "Other": 0.74}, "labels": {west: 0.2}})
    assert [(n.label, n.confidence) for n in labels] == [("Other", 0.74)]
    assert labels[0].explanation.startswith(
        "No narrative of the taxonomy: p=0.26 that the article pushes one, below the 0.50 threshold. The likeliest "
        "is 'Discrediting the West, Diplomacy' (p=0.20).")
    # the explanation's number is the one a reader recomputes from the stored confidence (1 - 0.5350 = 0.4650)
    labels = _label_with(monkeypatch, {"domains": {"URW": 0.46504, "CC": 0.0, "Other": 0.53496}, "labels": {west: 0.2}})
    shown = f"p={1 - labels[0].confidence:.2f} that the article pushes one"
    assert labels[0].confidence == 0.535 and shown in labels[0].explanation, labels[0].explanation


def test_an_evidence_sentence_that_quotes_someone_is_quoted_in_single_marks():
    from narrascope.classify.narratives import _with_quotes
    from narrascope.model import Span

    text = 'The minister called it "a war on the West." Prices rose.'
    quoting, plain = Span.of(text, 0, 43), Span.of(text, 44, 56)
    explanation = _with_quotes(["Why."], [quoting, plain])
    assert explanation == 'Why. It says: ‘The minister called it "a war on the West."’ “Prices rose.”'
