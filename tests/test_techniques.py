"""Persuasion techniques: inventory, metrics on hand-computed cases, training + prediction on invented fixtures."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from typer.testing import CliRunner

from narrascope.classify.techniques import (
    TechniqueDetector,
    TechniquesComponent,
    load_model,
    technique_profile,
    train_techniques,
)
from narrascope.classify.techniques_data import (
    from_ptc,
    inventory,
    paragraphs,
    read_ptc,
    read_semeval2023,
    read_semeval2023_paragraph_labels,
    technique_names,
    to_ptc,
)
from narrascope.classify.techniques_model import (
    CLUSTER_WINDOW,
    SI_FEATURES,
    PieceClassifier,
    cluster_features,
    ovr_probabilities,
    sentence_matrix,
    tagger_extent,
    tokenize,
    wordpiece_ids,
)
from narrascope.cli import app
from narrascope.eval import ptc as eval_ptc
from narrascope.eval import techniques as eval_techniques
from narrascope.pipeline import Doc, Pipeline, default_config, parse_config

FIXTURES = Path(__file__).parent / "fixtures"
T3 = FIXTURES / "techniques_mini"
PTC = FIXTURES / "ptc_mini"
PTC_NAMES = {
    "Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum", "Black-and-White_Fallacy",
    "Causal_Oversimplification", "Doubt", "Exaggeration,Minimisation", "Flag-Waving", "Loaded_Language",
    "Name_Calling,Labeling", "Repetition", "Slogans", "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
}  # fmt: skip


def test_inventory_has_the_23_official_names_19_in_english():
    names = technique_names()
    assert len(names) == len(set(names)) == 23
    assert len(technique_names(english_only=True)) == 19
    assert {"Name_Calling-Labeling", "Loaded_Language", "False_Dilemma-No_Choice", "Appeal_to_Time"} <= set(names)
    assert not {t.name for t in inventory() if not t.english} & {"Loaded_Language", "Doubt"}
    assert all(t.description for t in inventory())


def test_ptc_mapping_covers_the_14_ptc_names():
    assert {t.ptc for t in inventory() if t.ptc} == PTC_NAMES
    assert to_ptc("False_Dilemma-No_Choice") == "Black-and-White_Fallacy"
    assert to_ptc("Appeal_to_Time") is None
    assert from_ptc("Name_Calling,Labeling") == "Name_Calling-Labeling"
    assert from_ptc("Whataboutism,Straw_Men,Red_Herring") is None  # merged class: ambiguous


def test_si_partial_overlap_by_hand():
    # gold [0,10) and [20,30); prediction [5,15) overlaps the first by 5 chars, [40,50) overlaps nothing.
    score = eval_ptc.si_score({"a": [(5, 15), (40, 50)]}, {"a": [(0, 10), (20, 30)]})
    assert score["precision"] == pytest.approx((5 / 10) / 2)
    assert score["recall"] == pytest.approx((5 / 10) / 2)
    assert score["f1"] == pytest.approx(0.25)
    # overlapping predictions are merged first: [0,6)+[4,10) == [0,10) -> perfect
    assert eval_ptc.si_score({"a": [(0, 6), (4, 10)]}, {"a": [(0, 10)]})["f1"] == pytest.approx(1.0)
    assert eval_ptc.si_score({}, {})["f1"] == 1.0
    assert eval_ptc.si_score({"a": []}, {"a": [(0, 3)]})["f1"] == 0.0


def test_span_f1_needs_the_same_technique():
    gold = {"a": [(0, 10, "Doubt")]}
    assert eval_techniques.span_score({"a": [(0, 10, "Doubt")]}, gold)["f1"] == pytest.approx(1.0)
    assert eval_techniques.span_score({"a": [(0, 10, "Slogans")]}, gold)["f1"] == 0.0
    # half the prediction inside the gold span: P = 0.5, R = 0.5
    assert eval_techniques.span_score({"a": [(5, 15, "Doubt")]}, gold)["f1"] == pytest.approx(0.5)


def test_paragraph_f1_by_hand():
    classes = ["A", "B", "C"]
    gold = {1: {"A"}, 2: {"A", "B"}, 3: set()}
    pred = {1: {"A"}, 2: {"B", "C"}, 3: set()}
    score = eval_techniques.paragraph_f1(gold, pred, classes)
    # micro: tp=2 (A@1, B@2), fp=1 (C@2), fn=1 (A@2) -> P=R=2/3
    assert score["micro_f1"] == pytest.approx(2 / 3)
    # macro: A: tp1 fn1 -> 2/3; B: 1.0; C: tp0 fp1 -> 0.0
    assert score["macro_f1"] == pytest.approx((2 / 3 + 1 + 0) / 3)


def test_paragraph_labels_from_spans_match_the_fixture_gold():
    gold = read_semeval2023_paragraph_labels(T3, "dev")
    for art in read_semeval2023(T3, "dev"):
        derived = eval_techniques.paragraph_labels(art.text, [(s, e, t) for s, e, t in art.spans])
        assert {(art.id, no): techs for no, techs in derived.items()} == {
            k: v for k, v in gold.items() if k[0] == art.id
        }


def test_paragraph_numbering_counts_blank_lines():
    assert [no for no, _, _ in paragraphs("Title\n\nfirst\nsecond\n")] == [1, 3, 4]


def test_readers_give_spans_that_fall_inside_the_text():
    for art in read_semeval2023(T3, "train") + read_ptc(PTC, "train"):
        assert art.spans
        assert all(0 <= s < e <= len(art.text) for s, e, _ in art.spans)


@pytest.fixture(scope="module")
def mini_model(tmp_path_factory):
    out = tmp_path_factory.mktemp("techniques_model")
    summary = train_techniques([T3, PTC], out)
    return out, summary


def test_training_drops_dev_articles_of_every_corpus(mini_model):
    _, summary = mini_model
    # the PTC mini dev split re-uses 3 of the 12 SemEval-2023 mini train articles; they must not be trained on
    assert summary["n_articles"] == 12 - 3 + 10
    assert summary["n_excluded_dev_articles"] == 4 + 3


def test_training_summary_names_datasets_without_paths(mini_model):
    out, summary = mini_model
    assert [(x["corpus"], x["folder"]) for x in summary["sources"]] == [("semeval2023", T3.name), ("ptc", PTC.name)]
    assert str(FIXTURES) not in (out / "training.json").read_text("utf-8")


def test_span_vectors_are_averaged_into_technique_probabilities(mini_model):
    out, _ = mini_model
    model = copy.deepcopy(load_model(out).model)
    model.decoding["vector_weight"] = 0.5  # the tuned weight may be 0 on the tiny fixtures
    text = "Critics called the mayor a reckless fanatic after the vote."
    spans = [(text.index("reckless"), text.index(" after"))]
    lexical = model.classify_spans(text, spans, vectors=[False])
    mixed = model.classify_spans(text, spans)
    assert mixed.shape == lexical.shape == (1, len(model.classes))
    assert abs(mixed.sum() - 1) < 1e-6 and not (mixed == lexical).all()


def test_trained_model_predicts_and_evaluates(mini_model):
    out, _ = mini_model
    model = load_model(out)
    assert model.model.piece_clusters is not None  # the tagger reads wordpiece clusters
    t3 = eval_techniques.evaluate(T3, "dev", model)
    assert t3["n_paragraphs"] == len(read_semeval2023_paragraph_labels(T3, "dev"))
    # the invented corpus is templated: a working model must learn it almost perfectly
    assert t3["paragraph_micro_f1"] > 0.8
    assert t3["span_f1"] > 0.5
    p = eval_ptc.evaluate(PTC, "dev", model)
    assert p["si_f1"] > 0.5 and p["tc_micro_f1"] > 0.8


def test_component_fills_analysis_with_valid_spans(mini_model):
    out, _ = mini_model
    text = (
        "Harbour news\n\nCritics called the mayor a reckless fanatic after the vote. "
        "The disgraceful scheme was pushed through by the corrupt clique in the capital."
    )
    doc = TechniquesComponent(model=str(out))(Doc.from_text(text))
    analysis = doc.analysis
    assert analysis.techniques
    assert analysis.check_spans() == []
    assert set(analysis.technique_profile) == {t.technique for t in analysis.techniques}
    assert any(t.technique == "Name_Calling-Labeling" and "fanatic" in t.span.text for t in analysis.techniques)


def _assert_vectors_change_sentence_probabilities(model) -> None:
    """The model's vector-based sentence classifier moves the sentence probabilities: with its weight at
    0 they are the lexical classifier's alone."""
    model = copy.deepcopy(model)
    text = "Critics called the mayor a reckless fanatic after the vote. Nobody knows if the plan will work."
    mixed = model.candidates(text).sentences
    model.decoding["sentence_vector_weight"] = 0.0
    lexical = model.candidates(text).sentences
    assert len(mixed) == len(lexical) == 2
    assert any((m[3] != x[3]).any() for m, x in zip(mixed, lexical, strict=True))


def test_default_model_mixes_wordpiece_vectors_into_sentence_probabilities(mini_model):
    out, _ = mini_model
    model = load_model(out).model
    assert model.sentence_piece_classifier is not None and model.sentence_vector_classifier is None
    _assert_vectors_change_sentence_probabilities(model)


def test_piece_classifier_equals_the_logistic_model_on_mean_wordpiece_vectors():
    """Folding the classifier into per-piece scores must not change its probabilities."""
    texts = ["The reckless fanatic lied again.", "Nobody knows if the plan will work.", "Vote now!", "A calm day."]
    ids = wordpiece_ids(texts)
    table = np.random.default_rng(0).normal(size=(int(max(i.max() for i in ids)) + 1, 8)).astype(np.float32)
    means = np.array([table[i].mean(axis=0) for i in ids])
    model = OneVsRestClassifier(LogisticRegression()).fit(means, np.array([[1, 0], [0, 1], [1, 1], [0, 0]]))
    folded = PieceClassifier.fold(model, table)
    assert np.allclose(folded.predict_proba(texts), model.predict_proba(means), atol=1e-5)
    assert np.allclose(folded.predict_proba([""]), expit(folded.bias))  # no pieces: the bias alone


def test_cluster_features_equal_hashing_the_feature_names():
    """The tagger's wordpiece-cluster rows are built by index arithmetic; they must be the rows that hashing
    "c{offset}={granularity}:{cluster}" with weight 1/pieces gives, neighbours limited to the sentence."""
    from sklearn.feature_extraction import FeatureHasher

    text = "Critics called the mayor an anti-Russian fanatic.\nUnconscionable!  Vote now, says Kyiv's mayor."
    tokens = tokenize(text)
    rng = np.random.default_rng(0)
    clusters = np.array([rng.integers(0, k, 30522) for k in (4, 16)], dtype=np.int16)
    pieces = wordpiece_ids([t.lower for t in tokens])
    rows = []
    for i, token in enumerate(tokens):
        rows.append([
            (f"c{d}={g}:{c}", 1.0 / len(pieces[i + d]))
            for d in range(-CLUSTER_WINDOW, CLUSTER_WINDOW + 1)
            if 0 <= i + d < len(tokens) and tokens[i + d].sentence == token.sentence
            for g, ids in enumerate(clusters)
            for c in ids[pieces[i + d]]
        ])  # fmt: skip
    expected = FeatureHasher(SI_FEATURES, input_type="pair", alternate_sign=False).transform(rows)
    assert abs(cluster_features(tokens, clusters) - expected).max() == 0


def test_fast_sentence_probabilities_equal_sklearns(mini_model):
    out, _ = mini_model
    model = load_model(out).model
    X, _ = sentence_matrix(tokenize("Critics called the mayor a reckless fanatic. Nobody knows if the plan will work."))
    assert np.allclose(ovr_probabilities(model.sentence_classifier, X), model.sentence_classifier.predict_proba(X))


@pytest.fixture(scope="module")
def accurate_model(tmp_path_factory):
    """The opt-in accurate model (``--sentence-vectors``) trained on the invented fixtures through the CLI."""
    out = tmp_path_factory.mktemp("techniques_accurate")
    args = ["train", "techniques", str(T3), str(PTC), "--sentence-vectors", "--out", str(out), "--format", "json"]
    trained = CliRunner().invoke(app, args)
    assert trained.exit_code == 0, trained.output
    return out, json.loads((out / "training.json").read_text("utf-8"))


def test_accurate_model_mixes_sentence_vectors_into_sentence_probabilities(accurate_model):
    out, summary = accurate_model
    assert summary["sentence_vectors"] is True
    model = load_model(out).model
    assert model.sentence_vector_classifier is not None and model.sentence_piece_classifier is None
    _assert_vectors_change_sentence_probabilities(model)


def test_sentence_vectors_option_loads_the_accurate_model_and_gives_valid_spans(accurate_model):
    out, _ = accurate_model
    config = parse_config({"components": [{"techniques": {"model": str(out), "sentence_vectors": True}}]})
    pipeline = Pipeline.from_config(config)
    text = (
        "Harbour news\n\nCritics called the mayor a reckless fanatic after the vote. "
        "The disgraceful scheme was pushed through by the corrupt clique in the capital."
    )
    analysis = pipeline(Doc.from_text(text)).analysis
    assert analysis.techniques
    assert analysis.check_spans() == []
    assert all(0.0 <= t.confidence <= 1.0 for t in analysis.techniques)


def test_sentence_vectors_option_refuses_a_model_without_sentence_vectors(mini_model):
    out, summary = mini_model
    assert summary["sentence_vectors"] is False
    with pytest.raises(ValueError, match="--sentence-vectors"):
        TechniquesComponent(model=str(out), sentence_vectors=True)


def test_default_pipeline_keeps_sentence_vectors_off():
    (techniques,) = [s for s in default_config() if s["name"] == "techniques"]
    assert not techniques["config"].get("sentence_vectors", False)


def test_profile_counts_per_thousand_words():
    text = " ".join(["word"] * 500)
    assert technique_profile(text, [(0, 4, "Doubt", 0.5), (5, 9, "Doubt", 0.5)]) == {"Doubt": 4.0}
    assert technique_profile("", []) == {}


def test_bad_training_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="neither"):
        train_techniques([tmp_path], tmp_path / "out")


def test_cli_train_and_eval_on_fixtures(tmp_path):
    out = tmp_path / "model"
    trained = CliRunner().invoke(app, ["train", "techniques", str(T3), str(PTC), "--out", str(out), "--format", "json"])
    assert trained.exit_code == 0, trained.output
    assert (out / "model.joblib").is_file()
    scored = CliRunner().invoke(app, ["eval", "ptc", str(PTC), "--format", "json"])
    assert scored.exit_code == 0, scored.output
    assert {"si_f1", "tc_micro_f1"} <= set(json.loads(scored.output))


def test_cli_eval_scores_the_accurate_model_on_request(monkeypatch):
    from narrascope import cli

    asked = []
    monkeypatch.setattr(cli, "_technique_model", lambda sentence_vectors: asked.append(sentence_vectors) or
                        load_model(sentence_vectors=False))
    for flags in ([], ["--sentence-vectors"]):
        scored = CliRunner().invoke(app, ["eval", "ptc", str(PTC), *flags, "--format", "json"])
        assert scored.exit_code == 0, scored.output
    assert asked == [False, True]


def test_cli_wrong_layout_is_one_line_error(tmp_path):
    result = CliRunner().invoke(app, ["eval", "techniques", str(tmp_path)])
    assert result.exit_code != 0
    assert "no article folder" in str(result.exception) or "no article folder" in result.output


def test_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="train techniques"):
        load_model(tmp_path)
@pytest.mark.seeds
def test_seed_000_name_calling_of_kyiv_mayor(seed_texts):
    text = seed_texts["000"]
    doc = TechniquesComponent()(Doc.from_text(text))
    target = text.index("anti-Russian fanatic")
    hits = [
        t for t in doc.analysis.techniques
        if t.technique == "Name_Calling-Labeling" and t.span.start < target + 20 and t.span.end > target
    ]  # fmt: skip
    assert hits, [(t.technique, t.span.text) for t in doc.analysis.techniques]
    assert doc.analysis.check_spans() == []


SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.slow
def test_training_on_shared_data_reaches_the_documented_figures(tmp_path):
    t3, ptc = SHARED / "semeval2023-t3" / "en", SHARED / "semeval2020-t11-ptc"
    if not (t3.is_dir() and ptc.is_dir()):
        pytest.skip("../shared/data/semeval2023-t3 or semeval2020-t11-ptc is not present")
    summary = train_techniques([t3, ptc], tmp_path)
    # MODEL_CARD.md: held-out training spans TC accuracy 0.607, paragraph micro-F1 0.370, macro-F1 0.356, PTC SI
    # 0.338; dev TC 0.605, SI 0.315 (0.311 before the edge trimming), paragraph micro-F1 0.272 (0.260 / 0.317 before the tagger clusters)
    assert summary["held_out_tc_accuracy"] > 0.59 and summary["held_out_paragraph_micro_f1"] > 0.36
    assert summary["held_out_paragraph_macro_f1"] > 0.35 and summary["held_out_ptc_si_f1"] > 0.33
    assert str(SHARED) not in (tmp_path / "training.json").read_text("utf-8")
    ptc_dev = eval_ptc.evaluate(ptc, "dev", load_model(tmp_path))
    assert ptc_dev["tc_micro_f1"] >= 0.60 and ptc_dev["si_f1"] > 0.30
    assert eval_techniques.evaluate(t3, "dev", load_model(tmp_path))["paragraph_micro_f1"] > 0.25


def _tagged(mini_model, text: str, first: str, last: str, low: float, seed: str):
    """The mini model and token probabilities of a tagger that is sure of ``seed`` and rates ``first`` to ``last``
    at ``low`` (above the extension threshold: a span grows from its seed over them)."""
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    probs = np.zeros(len(tokens))
    probs[words.index(first):words.index(last) + 1] = low
    probs[words.index(seed)] = 0.99
    return load_model(mini_model[0]).model, tokens, probs


def test_spans_neither_start_nor_end_with_function_words_or_brackets(mini_model):
    text = "NATO Allies, [they] met fanatic counterparts for talks."
    model, tokens, probs = _tagged(mini_model, text, "[", "for", 0.2, "fanatic")
    (start, end, _), = model.find_spans(tokens, probs)
    assert text[start:end] == "[they] met fanatic counterparts for"  # what the span classifier reads
    candidates = model.candidates(text, tokens, probs)
    (start, end, _, _), = candidates.spans
    assert text[start:end] == "they] met fanatic counterparts"  # what is reported
    # the words a sentence-level span may start or end on (``tagger_extent``) leave them out too
    kept = {text[int(s):int(e)] for s, e, _, _ in candidates.words[0]}
    assert {"fanatic", "they"} <= kept and not kept & {"[", "for", ",", "."}


def test_spans_do_not_end_on_a_dangling_determiner_but_may_start_with_one(mini_model):
    text = "They say the corrupt regime is opposed to a ceasefire."
    model, tokens, probs = _tagged(mini_model, text, "the", "a", 0.35, "corrupt")  # stopped on "a", before "ceasefire"
    (start, end, _, _), = model.candidates(text, tokens, probs).spans
    assert text[start:end] == "the corrupt regime is opposed"
    # a sentence-level span cut to the tagger's extent ends before the determiner too
    sentence_words = model.candidates(text, tokens, probs).words[0]
    start, end = tagger_extent(0, len(text), sentence_words, 0.3)
    assert text[start:end] == "the corrupt regime is opposed"


def test_detector_balances_quotation_marks_and_drops_a_repetition_said_once():
    """Post-processing of whatever the model proposes: a span holding one quotation mark grows to the other; a
    "Repetition" whose words occur once in the article is none."""
    text = 'They said the war was “in a stalemate” again. The claim was independently verified, "he said" again.'

    class Proposals:  # stands in for the statistical model's output on this text
        classes = ["Repetition", "Loaded_Language"]

        def predict(self, _text):
            at = text.index
            return [(at("war"), at("stalemate") + len("stalemate"), "Loaded_Language", 0.5),
                    (at("independently"), at("independently") + len("independently"), "Repetition", 0.4),
                    (at("again"), at("again") + len("again"), "Repetition", 0.4),
                    (at("he said"), at("he said") + len("he said\""), "Loaded_Language", 0.3)]

    got = [(text[s:e], tech) for s, e, tech, _ in TechniqueDetector(Proposals(), rules=False).predict(text)]
    assert got == [("war was “in a stalemate”", "Loaded_Language"), ("again", "Repetition"),
                   ('"he said"', "Loaded_Language")]


def test_rules_label_the_state_media_idiom_of_the_war():
    """"the Kiev regime" and "its Western handlers" are labels whatever the statistical model says; a plain
    "regime change" or "Western leaders" is not."""
    text = ("We know that the Kiev regime, with the full knowledge of its Western handlers, plans an incident. "
            "Western leaders met in Kyiv; nobody spoke of regime change.")

    class Silent:  # the statistical model finds nothing here
        classes = ["Name_Calling-Labeling"]

        def predict(self, _text):
            return []

    got = [(text[s:e], tech) for s, e, tech, _ in TechniqueDetector(Silent()).predict(text)]
    assert got == [("Kiev regime", "Name_Calling-Labeling"), ("Western handlers", "Name_Calling-Labeling")]


def test_a_span_of_function_words_alone_is_dropped():
    """Trimming strips edge function words; a span with nothing else ("of") carries no technique at all."""
    from narrascope.classify.techniques_model import _edge_trimmed

    text = "The war of attrition goes on."
    tokens = tokenize(text)
    starts = [t.start for t in tokens]
    of = text.index("of")
    assert _edge_trimmed(tokens, starts, of, of + 2) is None
    assert _edge_trimmed(tokens, starts, of, text.index(" goes")) == (text.index("attrition"), text.index(" goes"))
