"""Evaluation of quote attribution on the invented PolNeAR-layout fixture (no ../shared needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.eval.brat import BratFormatError, GoldAttribution, parse_ann, read_split
from narrascope.eval.quotes import evaluate, normalise, score

MINI = Path(__file__).parent / "fixtures" / "polnear_mini"


def test_read_split_reads_discontinuous_spans_and_multiline_text():
    articles = {a.name: a for a in read_split(MINI)}
    orchard = articles["mini_2020-01-02_orchard-vote_cd34"]
    assert len(orchard.attributions) == 3
    clerk = orchard.attributions[0]
    assert len(clerk.content) == 2 and orchard.text[slice(*clerk.cue[0])] == "said"
    assert orchard.attributions[2].source == ()  # Attribution-no-source


def test_bad_ann_is_a_clear_error():
    with pytest.raises(BratFormatError, match="bad offsets"):
        parse_ann("T1\tSource 5 x\tfoo\n")
    with pytest.raises(FileNotFoundError):
        read_split(MINI / "nope")


def test_perfect_predictions_score_one():
    articles = read_split(MINI)
    gold = {a.text: a.attributions for a in articles}
    result = evaluate(MINI, predict=lambda text: gold[text])
    for key in ("source_f1_exact", "cue_f1_exact", "content_f1_exact", "content_f1_overlap", "attribution_f1"):
        assert result[key] == 1.0, key
    assert result["n_gold"] == 6


def test_overlap_versus_exact_and_one_to_one_matching():
    text = "Ann said that rain is coming, and Bob agreed."
    gold = [GoldAttribution(((0, 3),), ((4, 8),), ((9, 28),))]
    # content overlaps but is longer; two predictions compete for one gold span
    pred = [
        GoldAttribution(((0, 3),), ((4, 8),), ((9, 43),)),
        GoldAttribution(((0, 3),), ((4, 8),), ((14, 18),)),
    ]
    result = score([(text, pred, gold)])
    assert result["content_f1_exact"] == 0.0
    assert result["content_p_overlap"] == 0.5 and result["content_r_overlap"] == 1.0
    assert result["source_f1_exact"] == 1.0  # de-duplicated per role


def test_normalise_trims_punctuation_and_quote_marks():
    text = '“We go,” she said.'
    assert normalise(text, ((0, 8),)) == ((1, 6),)


def test_a_colon_cue_is_kept_and_its_attribution_can_match():
    text = "Trump : the wall will be built."
    assert normalise(text, ((5, 8),)) == ((6, 7),)  # punctuation only: kept, whitespace trimmed
    assert normalise(text, ((5, 6),)) == ()  # whitespace only: dropped
    gold = [GoldAttribution(((0, 5),), ((6, 7),), ((8, 31),))]
    result = score([(text, gold, gold)])
    assert result["attribution_f1"] == 1.0 and result["cue_f1_exact"] == 1.0


def test_rule_finder_on_fixture():
    result = evaluate(MINI)
    assert result["cue_f1_overlap"] >= 0.6
    assert result["source_f1_overlap"] >= 0.6


def test_cli_eval_quotes_json_and_clear_errors():
    import json

    from typer.testing import CliRunner

    from narrascope.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["eval", "quotes", str(MINI), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n_gold"] == 6
    bad = runner.invoke(app, ["eval", "quotes", str(MINI.parent)])
    assert bad.exit_code != 0 and "PolNeAR layout" in str(bad.exception)
