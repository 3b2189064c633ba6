"""Title Case headlines re-parsed with their common words in lower case (``narrascope.nlp.headlines``)."""

from __future__ import annotations

import pytest

from narrascope.nlp.headlines import recase_headlines, title_case_lines
from narrascope.nlp.spacy_component import load, parse
from narrascope.pipeline import Doc, Pipeline

HEADLINE = "Petrenko Says Kremlin Prepared To Sabotage Grain Deal For Winter Leverage"
TEXT = (f"{HEADLINE}\n\nForeign Minister Ivan Petrenko said on Monday that the Kremlin was ready to wreck the grain "
        "deal, which had kept exports moving through the winter. The ministry gave no details.")


def test_title_case_lines_are_headlines_not_prose():
    text = (f"{HEADLINE}\nThe minister said on Monday that exports would resume.\nPoll: Most Voters Back The Plan\n"
            "Olena Marchuk\nThe Ukraine Defence Contact Group met in Ramstein. The West needs Ukraine.")
    # neither a bare name nor prose dense with names is a headline
    assert [text[s:e] for s, e in title_case_lines(text)] == [HEADLINE, "Poll: Most Voters Back The Plan"]


def test_a_headline_takes_the_parse_of_its_lower_case_words_and_keeps_text_tokens_and_entities():
    nlp = load()
    sdoc = nlp(TEXT)
    before = [(t.text, t.idx, t.ent_type_) for t in sdoc]
    # in Title Case the model reads "Sabotage Grain Deal For Winter Leverage" as names
    assert [t.pos_ for t in sdoc[5:11]] == ["PROPN", "PROPN", "PROPN", "ADP", "PROPN", "PROPN"]
    assert recase_headlines(nlp, sdoc) == 1
    assert [(t.text, t.idx, t.ent_type_) for t in sdoc] == before
    assert [(t.pos_, t.lemma_) for t in sdoc[5:8]] == [("VERB", "sabotage"), ("NOUN", "grain"), ("NOUN", "deal")]
    assert sdoc[0].pos_ == sdoc[2].pos_ == "PROPN"  # "Petrenko" and "Kremlin" are capitalised in the body too
    assert all(t.head.i < 11 for t in sdoc[:11])  # the headline is still a sentence of its own


def test_prose_and_a_text_without_headlines_are_left_alone():
    nlp = load()
    sdoc = nlp("The minister said on Monday that exports would resume. Ukraine's grain reached Egypt.")
    tags = [t.tag_ for t in sdoc]
    assert recase_headlines(nlp, sdoc) == 0 and [t.tag_ for t in sdoc] == tags


@pytest.mark.parametrize(("headline", "recased", "as_title_case"), [
    ("Party Lawyer Demands Accountability From Spy Chiefs Who Backed The Smear",
     "Accountability From Spy Chiefs Who Backed The Smear", "Who Backed The Smear"),
    ("Think Tank Memo Reveals Plan To Privatise The Grid By 2030", "Plan To Privatise The Grid By 2030", "Plan"),
    ("Defence Minister Says Country Facing ‘New Cold War’ and Can’t Risk Cutting Spending",
     "Country Facing ‘New Cold War’ and Can’t Risk Cutting Spending", "Can’t Risk Cutting Spending"),
])
def test_a_headline_statement_gets_its_whole_content_only_after_recasing(headline, recased, as_title_case):
    text = f"{headline}\n\nThe minister said on Monday that the agency had misled voters about the grid and the war."
    for recase, content in ((True, recased), (False, as_title_case)):
        pipeline = Pipeline.from_config([{"name": "spacy", "config": {"recase_headlines": recase}},
                                         {"name": "quotes", "config": {}}])
        (first, *_) = pipeline(Doc.from_text(text)).analysis.quotes
        assert first.content.text == content


def test_the_evaluation_parses_as_the_pipeline_does():
    assert [t.pos_ for t in parse(TEXT)] == [t.pos_ for t in Pipeline.from_config(only=["spacy"])(Doc.from_text(TEXT)).nlp]
