"""The quotes component on invented text: speakers, cues, content kinds, venues, dates, chains, entities."""

from __future__ import annotations

import pytest

from narrascope.model import Entity, Mention, Span
from narrascope.pipeline import Doc, Pipeline
from narrascope.extract.quotes import extract, pair_quotes, quotes_to_rows

TEXT = (
    "Harbor bridge to close.\n\n"
    "Reporter Lena Brandt wrote in a Dec. 1 article on harborwatch.com entitled “Bridge deal sealed”. "
    "She was told by three officials with direct knowledge of the plan that the contract had been signed. "
    "According to these officials, the builder asked for more money.\n\n"
    "The city engineer, Maria Okafor, said on Monday that the bridge would close in March. "
    "\"We cannot wait any longer,\" said Okafor.\n\n"
    "According to the transit authority, buses will replace the ferry line.\n\n"
    "The port authority tweeted on 20 November that the ferry is “safe and reliable”.\n\n"
    "As Tom Reyes writes in the Harbor Gazette, the repairs are overdue.\n\n"
    "Other local experts point out that the old bridge was never designed for trucks.\n"
)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_config(only=["spacy", "quotes"])


def _entities(text: str) -> list[Entity]:
    def mention(surface: str, start: int = 0, kind: str = "name") -> Mention:
        i = text.index(surface, start)
        return Mention(start=i, end=i + len(surface), text=surface, kind=kind, entity_id="maria-okafor")

    return [
        Entity(
            id="maria-okafor", name="Maria Okafor", type="PERSON",
            mentions=[mention("Maria Okafor"), mention("Okafor", text.index("said Okafor"))],
        )
    ]


@pytest.fixture(scope="module")
def analysis(pipeline):
    doc = Doc.from_text(TEXT, published="2023-12-06", outlet="Harbor Daily")
    doc.analysis.entities = _entities(TEXT)
    doc = pipeline(doc)
    assert doc.error is None
    return doc.analysis


def _by_cue(analysis, cue: str):
    found = [q for q in analysis.quotes if q.cue and q.cue.text.split()[-1] == cue.split()[-1]]
    assert found, f"no quote with cue {cue!r}: {[q.cue.text for q in analysis.quotes if q.cue]}"
    return found


def test_spans_are_consistent(analysis):
    assert analysis.check_spans() == []
    assert "quotes" in analysis.components


def test_indirect_quote_with_appositive_and_entity(analysis):
    q = _by_cue(analysis, "said")[0]
    assert q.speaker.text == "The city engineer, Maria Okafor"
    assert q.speaker_entity == "maria-okafor" and q.speaker_name == "Maria Okafor"
    assert q.content.text == "that the bridge would close in March"
    assert q.kind == "indirect" and q.sourcing.kind == "named"
    assert q.date == "2023-12-04" and q.date_span.text == "Monday"


def test_direct_quote_with_speaker_after_cue(analysis):
    q = _by_cue(analysis, "said")[1]
    assert q.kind == "direct" and q.content.text.startswith('"We cannot wait')
    assert q.speaker_name == "Maria Okafor" and q.speaker_entity == "maria-okafor"


def test_according_to(analysis):
    q = next(q for q in _by_cue(analysis, "According to") if "transit" in q.speaker.text)
    assert q.cue_lemma == "according to"
    assert q.content.text == "buses will replace the ferry line"
    assert q.speaker_name == "the transit authority"  # no actors: surface text, no entity
    assert q.speaker_entity is None


def test_title_as_statement_with_venue_and_date(analysis):
    q = _by_cue(analysis, "entitled")[0]
    assert q.content.text == "“Bridge deal sealed”" and q.kind == "direct"
    assert q.speaker.text == "Reporter Lena Brandt"
    assert q.venue_name == "harborwatch.com" and q.date == "2023-12-01"


def test_anonymous_chain_and_anaphoric_sources(analysis):
    told = _by_cue(analysis, "was told")[0]
    assert told.cue.text == "was told" and told.cue_lemma == "tell"
    title = _by_cue(analysis, "entitled")[0]
    assert told.sourcing.kind == "anonymous"
    assert "with direct knowledge of the plan" in told.sourcing.description
    assert [link.role for link in told.chain] == ["origin", "relay", "outlet"]
    assert told.chain[0].anonymous and told.chain[-1].name == "Harbor Daily"
    assert told.chain[1].name == "Reporter Lena Brandt"  # the pronoun relay falls back on the earlier speaker
    assert told.parent_id == title.id
    later = next(q for q in _by_cue(analysis, "According to") if "these officials" in q.speaker.text)
    assert later.sourcing == told.sourcing and later.parent_id == title.id
    assert [link.name for link in later.chain] == [link.name for link in told.chain]


def test_tweet_venue_date_and_mixed_quote(analysis):
    q = _by_cue(analysis, "tweeted")[0]
    assert q.venue_name == "Twitter" and q.date == "2023-11-20"
    assert q.kind == "mixed" and q.content.text.endswith("“safe and reliable”")


def test_as_x_writes(analysis):
    q = _by_cue(analysis, "writes")[0]
    assert q.speaker.text == "Tom Reyes" and q.venue_name == "Harbor Gazette"
    assert q.content.text == "the repairs are overdue"


def test_group_sourcing(analysis):
    q = _by_cue(analysis, "point out")[0]
    assert q.sourcing.kind == "group" and q.sourcing.description == "Other local experts"


def test_rows_for_export(analysis):
    rows = quotes_to_rows(analysis)
    assert len(rows) == len(analysis.quotes)
    told = next(r for r in rows if r["cue"] == "was told")
    assert told["chain"] == "three officials with direct knowledge of the plan -> Reporter Lena Brandt -> Harbor Daily"
    assert told["sourcing"] == "anonymous"


def test_no_date_without_anchor(pipeline):
    doc = pipeline(Doc.from_text("Okafor said on Dec. 2 that the bridge would close."))
    q = doc.analysis.quotes[0]
    assert q.date_span is not None and q.date is None
    assert not q.date_inferred


def test_undated_article_borrows_a_year_it_writes(pipeline):
    doc = pipeline(Doc.from_text("The bridge was built in 1998 and repaired in 2021. "
                                 "Okafor said on Dec. 2 that the bridge would close."))
    q = doc.analysis.quotes[0]
    assert (q.date, q.date_inferred) == ("2021-12-02", True)
    assert quotes_to_rows(doc.analysis)[0]["date_inferred"] is True
    dated = pipeline(Doc.from_text("The bridge was repaired in 2021. Okafor said on Dec. 2 that it would close.",
                                   published="2023-12-05"))
    assert (dated.analysis.quotes[0].date, dated.analysis.quotes[0].date_inferred) == ("2023-12-02", False)


def test_needs_parse():
    from narrascope.extract.quotes import QuotesComponent

    with pytest.raises(ValueError, match="spacy"):
        QuotesComponent()(Doc.from_text("He said so."))


def test_a_straight_and_a_curly_quotation_mark_pair_up():
    text = '"If this goes on, we lose. This is their doing,” the president said. He said “yes" and "no".'
    assert [text[a:b] for a, b in pair_quotes(text)] == [
        '"If this goes on, we lose. This is their doing,”', '“yes"', '"no"']


def test_pair_quotes_typographic_straight_and_unclosed():
    text = 'He said “one” and "two".\n“Unclosed at the end of the paragraph\nNext.'
    spans = [text[a:b] for a, b in pair_quotes(text)]
    assert spans == ["“one”", '"two"', "“Unclosed at the end of the paragraph"]


def test_a_quotation_closed_on_the_next_line_of_a_hard_wrapped_paragraph_runs_over_the_line_break(pipeline):
    text = 'Talks stall\n\nThe minister said, "A, B and C\nare, all, here." Then he left.\nHe said “ready\n“Next,” she said.'
    assert [text[a:b] for a, b in pair_quotes(text)] == ['"A, B and C\nare, all, here."', "“ready", "“Next,”"]
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert '"A, B and C\nare, all, here."' in [q.content.text for q in quotes]


def test_cf_is_an_abbreviation_not_the_end_of_a_sentence(pipeline):
    text = ("General Zaluzhny told The Economist that the war was “in a stalemate” and that Russia has the advantage "
            "(cf. SAS 45/23). Since then, nothing changed.")
    doc = pipeline(Doc.from_text(text))
    assert [s.text for s in doc.analysis.sentences][0].endswith("(cf. SAS 45/23).")
    (q,) = doc.analysis.quotes
    assert q.content.text.endswith("and that Russia has the advantage")


def test_empty_text(pipeline):
    doc = pipeline(Doc.from_text(""))
    assert doc.analysis.quotes == []


def test_quote_continuing_the_previous_speaker(pipeline):
    text = (
        "“We will not give up on this bridge,” Maria Okafor said. "
        "“The city needs it and we will build it.”\n"
    )
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [q.kind for q in quotes] == ["direct", "direct"]
    follow = quotes[1]
    assert follow.cue is None and follow.content.text.startswith("“The city needs it")
    assert follow.speaker.text == "Maria Okafor" and follow.confidence < quotes[0].confidence


def test_nominal_cue(pipeline):
    text = "Okafor's claim that the bridge is safe was disputed by engineers.\n"
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    q = next(q for q in quotes if q.cue_lemma == "claim")
    assert q.speaker.text == "Okafor" and q.content.text == "that the bridge is safe"


def _split_pieces(pipeline, text: str):
    analysis = pipeline(Doc.from_text(text)).analysis
    assert analysis.check_spans() == []
    return analysis.quotes


def test_split_quote_one_quote_per_piece(pipeline):
    quotes = _split_pieces(pipeline, "“We will hold the harbor,” the mayor said, “and we will rebuild the pier.”\n")
    assert [q.id for q in quotes] == ["q1", "q1b"]
    first, second = quotes
    assert first.content.text == "“We will hold the harbor,”"
    assert second.content.text == "“and we will rebuild the pier.”"
    for q in quotes:  # both pieces: the same speaker, cue, sourcing and chain
        assert (q.kind, q.speaker.text, q.cue.text, q.sourcing.kind) == ("direct", "the mayor", "said", "named")
    assert first.chain == second.chain and second.parent_id is None


def test_split_quote_with_speaker_after_cue(pipeline):
    quotes = _split_pieces(pipeline, "“The ferry stays,” said Okafor, “until the bridge opens.”\n")
    assert [(q.id, q.content.text, q.speaker.text) for q in quotes] == [
        ("q1", "“The ferry stays,”", "Okafor"),  # the second piece is not part of the speaker
        ("q1b", "“until the bridge opens.”", "Okafor"),
    ]


def test_split_quote_second_piece_over_several_sentences(pipeline):
    text = "“The pier is safe,” said the engineer, “for now. The storms will test it. We are ready for them.”\n"
    quotes = _split_pieces(pipeline, text)
    assert [q.id for q in quotes] == ["q1", "q1b"]
    assert quotes[1].content.text == "“for now. The storms will test it. We are ready for them.”"
    assert quotes[1].speaker.text == "the engineer"


def test_quote_in_the_next_sentence_continues_the_speaker(pipeline):
    text = "“We will hold the harbor,” said Klitschko. “The city will never give up its old pier.”\n"
    quotes = _split_pieces(pipeline, text)
    assert [q.content.text for q in quotes] == [
        "“We will hold the harbor,”", "“The city will never give up its old pier.”"
    ]
    # a sentence of its own: the same speaker, but a statement of its own without a cue
    assert quotes[1].speaker == quotes[0].speaker and quotes[1].speaker.text == "Klitschko"
    assert quotes[1].cue is None and quotes[1].id == "q2"


def test_split_quote_for_evaluation_has_two_fragments():
    from narrascope.eval.quotes import predict_text

    text = "“We will hold the harbor,” the mayor said, “and we will rebuild the pier.”"
    (att,) = predict_text(text)
    assert [text[a:b] for a, b in att.content] == ["“We will hold the harbor,”", "“and we will rebuild the pier.”"]


def test_speakers_are_actors(pipeline):
    doc = pipeline(Doc.from_text(
        "Since then, the mayor's allies have publicly blamed the engineer for the delay, some calling for "
        "his resignation. Some say the bridge is unsafe. The question has seemed blunt to many. "
        "This shows that the plan failed. The city council issued a statement saying the bridge was safe. "
        "Mr. Okafor's comments suggest that he will resign."))
    quotes = doc.analysis.quotes
    by_lemma = {q.cue_lemma: q for q in quotes}
    # a bare quantifier is part of the group named before it, or a vague anonymous source
    assert by_lemma["call"].speaker_name == "some of the mayor's allies"
    assert by_lemma["call"].sourcing.kind == "group"
    some = next(q for q in quotes if q.speaker and q.speaker.text == "Some")
    assert some.speaker_name is None and some.sourcing.kind == "anonymous"
    # things that cannot speak give no speaker; "seemed" is an impression nobody voices: PolNeAR counts it, so
    # the finder keeps it for evaluation, but it is no quote; a message noun is its maker's
    assert "show" not in by_lemma and "seem" not in by_lemma
    assert any(f.cue_lemma == "seem" and f.source is None for f in extract(doc.nlp))
    assert not any(q.speaker_name in ("The question", "This", "a statement") for q in quotes)
    assert any(q.speaker_name == "The city council" and q.content.text == "the bridge was safe" for q in quotes)
    assert by_lemma["suggest"].speaker.text == "Mr. Okafor"


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        ("In Okafor's words, the bridge is “a death trap”.", "Okafor", "In", "the bridge is “a death trap”"),
        ("In the minister's view, the war will end soon.", "the minister", "In", "the war will end soon"),
        ("Maria Okafor, the city engineer: “We cannot wait any longer.”", "Maria Okafor, the city engineer", ":",
         "“We cannot wait any longer.”"),
        ("Okafor on Tuesday: “The bridge is safe.”", "Okafor", ":", "“The bridge is safe.”"),
        ("The bridge is safe, Okafor said, but repairs are due.", "Okafor", "said", "The bridge is safe"),
    ],
)
def test_attributions_without_a_verb_before_the_content(pipeline, text, speaker, cue, content):
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert len(quotes) == 1, [(q.speaker, q.cue, q.content) for q in quotes]
    q = quotes[0]
    assert (q.speaker.text, q.content.text) == (speaker, content) and q.cue.text.startswith(cue)


def test_cue_inserted_in_its_content_gives_two_pieces(pipeline):
    quotes = pipeline(Doc.from_text("The bridge, Okafor insisted, is safe.")).analysis.quotes
    assert [(q.id, q.speaker.text, q.content.text) for q in quotes] == [("q1", "Okafor", "The bridge"),
                                                                         ("q1b", "Okafor", "is safe")]


def test_plural_pronoun_and_nominal_sources(pipeline):
    quotes = pipeline(Doc.from_text(
        "When local engineers meet the mayor, they typically ask her: “When will the bridge close?”. "
        "There is a growing and justified fear among observers of the port that the ferry service has become "
        "unsafe.")).analysis.quotes
    ask = next(q for q in quotes if q.cue_lemma == "ask")
    assert ask.speaker.text == "they" and ask.speaker_name == "local engineers"
    fear = next(q for q in quotes if q.cue_lemma == "fear")
    assert fear.speaker.text == "observers of the port"
    assert fear.content.text == "that the ferry service has become unsafe"


def test_impressions_have_no_source_and_late_speakers_are_found(pipeline):
    doc = pipeline(Doc.from_text("Mr. Okafor's emotive style appears to resonate with voters."))
    # PolNeAR annotates the impression (the finder keeps it for evaluation); nobody voices it: no quote
    assert [(f.source, doc.text[slice(*f.content)], doc.text[slice(*f.split)]) for f in extract(doc.nlp)] == [
        (None, "Mr. Okafor's emotive style", "to resonate with voters")]
    assert doc.analysis.quotes == []
    quotes = pipeline(Doc.from_text(
        '"What\'s shaping up is a battle for the ages," said David Brock, a Clinton confidant who heads the '
        "pro-Clinton super PAC Correct the Record.")).analysis.quotes
    assert len(quotes) == 1 and quotes[0].speaker.text.startswith("David Brock")
    assert quotes[0].content.text == '"What\'s shaping up is a battle for the ages,"'


def test_speakers_through_prepositions_inversions_and_it(pipeline):
    quotes = pipeline(Doc.from_text(
        "The engineer began by talking about the harbor, saying it was in danger.\n\n"
        "“The race is open,” added a New Hampshire Democrat.\n\n"
        "The ministry published its report on Monday. It said the harvest was safe.")).analysis.quotes
    by_content = {q.content.text: q for q in quotes}
    assert by_content["it was in danger"].speaker.text == "The engineer"
    assert by_content["the harbor"].speaker.text == "The engineer"
    assert by_content["“The race is open,”"].speaker.text == "a New Hampshire Democrat"
    it = next(q for q in quotes if q.content.text == "the harvest was safe")
    assert it.speaker.text == "It" and it.speaker_name is None and it.sourcing.kind == "unattributed"
    assert not any(q.content.text == "Monday" for q in quotes)


def test_a_verb_cue_with_a_speaker_beats_a_nearer_noun(pipeline):
    quotes = pipeline(Doc.from_text(
        "Kasich's chief strategist John Weaver says in a statement that the race will now be a fight.")).analysis.quotes
    assert [(q.cue_lemma, q.speaker.text) for q in quotes] == [("say", "Kasich's chief strategist John Weaver")]


def test_passive_cue_without_agent(pipeline):
    quotes = pipeline(Doc.from_text("Bernie Sanders was projected as the winner of the primary on Tuesday.")).analysis.quotes
    assert [(q.id, q.speaker, q.content.text) for q in quotes] == [
        ("q1", None, "Bernie Sanders"), ("q1b", None, "as the winner of the primary")]


def test_the_writers_inference_is_no_attribution(pipeline):
    quotes = pipeline(Doc.from_text(
        "The conclusion may be that Washington is looking for a way to end the war. "
        "The fact is that Okafor said the bridge would close.")).analysis.quotes
    assert [(q.speaker.text, q.content.text) for q in quotes] == [("Okafor", "the bridge would close")]


def test_a_stated_date_is_never_replaced_by_the_previous_one(pipeline):
    doc = pipeline(Doc.from_text("Okafor said on Monday that the bridge was safe. She added on Dec. 2 that it "
                                 "would close.", published="2023-12-06"))
    assert [(q.date, q.date_span.text) for q in doc.analysis.quotes] == [("2023-12-04", "Monday"),
                                                                         ("2023-12-02", "Dec. 2")]
    undated = pipeline(Doc.from_text("The bridge opened in 2021. Okafor said on Monday that it was safe. She added "
                                     "on Dec. 2 that it would close."))
    assert [(q.date, q.date_span.text) for q in undated.analysis.quotes] == [(None, "Monday"),
                                                                             ("2021-12-02", "Dec. 2")]


def test_doubtful_noun_phrase_content_is_no_quote():
    """"Hersh offered insight": a bare noun phrase after a doubtful cue says nothing; with a clause, a
    quotation or a confident cue it is a quote."""
    from narrascope.extract.quotes import Found, _is_statement, lexicon
    from narrascope.nlp.spacy_component import load

    sdoc = load()("Seymour Hersh offered insight. Hersh said the talks had begun.")
    cue, content = (14, 21), (22, 29)

    def found(confidence: float, content=content) -> Found:
        return Found(cue=cue, cue_lemma="offer", content=content, source=(0, 13), source_head=sdoc[1], frame=[sdoc[2]],
                     confidence=confidence)

    assert not _is_statement(found(0.62), sdoc, sdoc.text, lexicon())
    assert _is_statement(found(0.95), sdoc, sdoc.text, lexicon())
    assert _is_statement(found(0.5, (42, 62)), sdoc, sdoc.text, lexicon())  # "the talks had begun": a clause


def test_it_said_is_the_organisation_when_the_text_names_it(analyse_with):
    analyse = analyse_with("spacy", "actors", "coref", "quotes")
    quotes = analyse("Reuters reported the talks on Friday. It said the ceasefire would start at noon.").quotes
    assert [(q.speaker.text, q.speaker_name) for q in quotes if "ceasefire" in q.content.text] == [("It", "Reuters")]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # the subject of an adjective the cue hangs on ("quick to point out") or of a verb behind a preposition
        ("Advisers to the mayor are quick to point out that the bridge reopened on time.", "Advisers to the mayor",
         "the bridge reopened on time"),
        ("The engineer responded by first saying that the pier was safe.", "The engineer", "the pier was safe"),
    ],
)
def test_speakers_behind_adjectives_and_prepositions(pipeline, text, speaker, content):
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert any(q.speaker and q.speaker.text == speaker and content in q.content.text for q in quotes), [
        (q.speaker.text if q.speaker else None, q.content.text) for q in quotes]


def test_reportedly_is_a_statement_nobody_named_makes(pipeline):
    quotes = [q for q in pipeline(Doc.from_text("The mayor reportedly wants a new bridge by May.")).analysis.quotes
              if q.cue_lemma == "reportedly"]
    # the clause around the adverb, in two pieces (q1, q1b)
    assert [(q.id, q.content.text) for q in quotes] == [("q1", "The mayor"), ("q1b", "wants a new bridge by May")]
    assert all(q.speaker is None and q.sourcing.kind == "unattributed" for q in quotes)


@pytest.mark.parametrize("text", ["“We will win,” Okafor said in a statement.", "“We will win,” Okafor told reporters at a rally."])
def test_a_quotation_beats_a_prepositional_phrase_as_content(pipeline, text):
    (quote,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert quote.content.text == "“We will win,”" and quote.speaker.text == "Okafor"


def test_a_cue_whose_content_is_another_cue_is_one_cue(pipeline):
    quotes = pipeline(Doc.from_text("The minister continued to insist that the bridge was safe.")).analysis.quotes
    assert [(q.cue.text, q.cue_lemma, q.speaker.text, q.content.text) for q in quotes] == [
        ("continued to insist", "insist", "The minister", "that the bridge was safe")]


def test_negated_cue_without_speaker_is_no_quote(pipeline):
    """"was not asked about X": nobody said anything; a speaker's negated statement still is one."""
    quotes = pipeline(Doc.from_text(
        "The mayor was not asked about his quarrel with the harbour board. "
        "Okafor did not say that the bridge would close.")).analysis.quotes
    assert [(q.speaker.text if q.speaker else None, q.content.text) for q in quotes] == [
        ("Okafor", "that the bridge would close")]


def test_content_drops_an_unclosed_parenthesis(pipeline):
    quotes = pipeline(Doc.from_text("Okafor told the Gazette that the bridge was unsafe (cf. report 12/3).")).analysis.quotes
    assert [q.content.text for q in quotes] == ["that the bridge was unsafe"]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # an "as"-clause cue with a complement of its own is a time clause, not a parenthetical
        ("As the mayor criticized the harbour board for the delays, the engineers left the meeting.", "the mayor",
         "the harbour board for the delays"),
        # what about beats to whom ("apologized to X for Y")
        ("The mayor apologized to the residents for the closure of the bridge.", "The mayor",
         "the closure of the bridge"),
        # "“…,” <name>, <age>, told …": the quotation and the name before the cue
        ("“We were wrong to wait so long,” Okafor, 58, told the Gazette in an interview.", "Okafor, 58",
         "“We were wrong to wait so long,”"),
        # a cue hanging from a passive shares its subject
        ("The engineer was allowed to speak about the bridge.", "The engineer", "the bridge"),
        ("Residents who are drawn to the plan and feel that the bridge is unsafe signed a petition.", "who",
         "that the bridge is unsafe"),
        # a question or a wish in an adverbial clause is the content
        ("The engineer asked the workers if they planned to strike.", "The engineer", "if they planned to strike"),
        # an adjective predicated of someone can be the cue (scored by the cue model like a verb)
        ("The mayor is eager to reopen the bridge by May.", "The mayor", "to reopen the bridge by May"),
    ],
)
def test_quotes_v14_constructions(pipeline, text, speaker, content):
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert any(q.speaker and q.speaker.text == speaker and q.content.text == content for q in quotes), [
        (q.speaker.text if q.speaker else None, q.content.text) for q in quotes]


def test_a_role_noun_with_a_name_in_apposition_is_a_named_source(pipeline):
    text = ("A Russian defence ministry spokesman, Major General Pavel Lomov, wrote on Telegram that the troops "
            "were retreating. A source close to Vladimir Putin said that talks had stalled.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    by_cue = {q.cue.text: q for q in quotes if q.cue}
    assert by_cue["wrote"].sourcing.kind == "named"
    assert by_cue["said"].sourcing.kind == "anonymous"  # a name further right does not make the source named


def test_headline_name_before_a_subjectless_cue_is_the_speaker(pipeline):
    # the parser hangs "Ukraine" in apposition to "Yar", leaving "says" without a subject
    doc = pipeline(Doc.from_text("Russia claims village near Chasiv Yar, Ukraine says assaults repelled\n\nBody."))
    (quote,) = [q for q in doc.analysis.quotes if q.cue and q.cue.text == "says"]
    assert quote.speaker is not None and quote.speaker.text == "Ukraine"


@pytest.mark.parametrize(("request_", "cue"), [("who asked not to be named", "said"),
                                               ("who declined to be identified", "told me")])
def test_a_request_for_anonymity_is_no_quote(pipeline, request_, cue):
    doc = pipeline(Doc.from_text(f"One former NATO official, {request_}, {cue} production was expected to "
                                 "rise in the spring."))
    assert [q.content.text for q in doc.analysis.quotes] == ["production was expected to rise in the spring"]
    assert doc.analysis.quotes[0].sourcing.kind == "anonymous"


def _said(quotes) -> list[tuple[str | None, str | None, str]]:
    return [(q.speaker.text if q.speaker else None, q.cue.text if q.cue else None, q.content.text) for q in quotes]


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        # "that" read as a relative pronoun of the agent: "sources [that talks …]"
        ("Marta Lind was told by two senior sources that talks on a truce have been underway for weeks.",
         "two senior sources", "was told", "talks on a truce have been underway for weeks"),
        # the that-clause hung on the agent's relative clause
        ("Reporter Ivo Marsh was told by two officials who spoke on condition of anonymity that the capitals are "
         "preparing a new package of missiles.", "two officials who spoke on condition of anonymity", "was told",
         "that the capitals are preparing a new package of missiles"),
        # a second reporting verb the parser joined to the reported copular clause
        ("He added that shortages of shells were \"the one thing that keeps me awake\" and urged allies to hurry.",
         "He", "urged", "to hurry"),
        # the speaker after a fronted statement, hung in apposition to its last noun
        ("Ukrainian troops have stopped three assaults on the approaches to Chasiv Yar, the commander of the "
         "eastern forces said on Monday.", "the commander of the eastern forces", "said",
         "Ukrainian troops have stopped three assaults on the approaches to Chasiv Yar"),
    ],
)
def test_quotes_v15_constructions(pipeline, text, speaker, cue, content):
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert (speaker, cue, content) in _said(quotes), _said(quotes)


def test_according_to_a_relay_of_named_speakers(pipeline):
    """"According to X, Y said Z": Y is the source and X relays Y (the component); PolNeAR, which ``eval quotes``
    scores, annotates X as the source of "Y said Z", and the finder keeps that reading by default."""
    text = ("According to Ivo Marsh, two officials who spoke on condition of anonymity said new batteries may arrive "
            "by summer.")
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert (q.speaker.text, q.cue.text, q.content.text) == (
        "two officials who spoke on condition of anonymity", "said", "new batteries may arrive by summer")
    assert q.sourcing.kind == "anonymous"
    assert [link.name for link in q.chain][:2] == ["two officials who spoke on condition of anonymity", "Ivo Marsh"]
    sdoc = pipeline.get("spacy")(Doc.from_text(text)).nlp
    (scored,) = extract(sdoc)
    assert text[slice(*scored.source)] == "Ivo Marsh" and text[slice(*scored.cue)] == "According to"


def test_dispositions_negated_and_attitude_objects_are_no_quotes_but_set_the_occasion(pipeline):
    text = ("Kremlin propagandists were quick to twist his words. The general was not asking for sympathy. "
            "The mayor defended Marsh in an interview with the Harbor Gazette. "
            "For the sake of unity, the mayor said he would support the governor.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert _said(quotes) == [("the mayor", "said", "he would support the governor")]
    assert quotes[0].venue_name == "Harbor Gazette"  # the occasion of the attitude before it, same speaker


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("A Kremlin spokesman said the operation would continue.", "anonymous"),  # the institution, not the person
        ("A U.S. journalist claimed that the deal was done.", "anonymous"),  # an indefinite description
        ("Kremlin spokesman Dmitry Peskov said the operation would continue.", "named"),
        ("A ministry spokesman, Major General Pavel Lomov, said the town had fallen.", "named"),
        ("The ministry said that the shells had not arrived.", "named"),  # an institution is its own source
        ("Shop owners in Kherson said business had collapsed.", "group"),  # people in a place, not a publication
    ],
)
def test_unnamed_individuals_are_anonymous_sources(pipeline, text, kind):
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert q.sourcing.kind == kind, (q.speaker.text, q.sourcing)


def test_a_new_indefinite_speaker_does_not_inherit_the_previous_venue(pipeline):
    quotes = pipeline(Doc.from_text(
        "The ministry said in a statement that the shells had not arrived. "
        "A European diplomat, who asked not to be named, said production was expected to rise.")).analysis.quotes
    assert [q.venue_name for q in quotes] == ["statement", None]


@pytest.mark.parametrize("title", ["", "Ukraine asks allies to speed up shell deliveries\n\n"])
def test_a_dateline_is_no_part_of_the_speaker(pipeline, title):
    # after a title the parser makes "KYIV" the subject and the ministry its apposition
    *_, q = pipeline(Doc.from_text(title + "KYIV, March 12 - Ukraine's defence ministry on Tuesday urged allies to "
                                   "accelerate deliveries of artillery ammunition.")).analysis.quotes
    assert q.speaker.text == "Ukraine's defence ministry" and q.sourcing.kind == "named"


def test_a_fronted_time_adjunct_dates_the_statement(pipeline):
    doc = Doc.from_text("In a video address on Monday night, President Volodymyr Zelenskyy said the army would hold.",
                        published="2024-03-14")
    (q,) = pipeline(doc).analysis.quotes
    assert q.date == "2024-03-11" and q.date_span.text == "Monday night"


def test_a_platform_and_a_named_newspaper_are_venues(pipeline):
    quotes = pipeline(Doc.from_text(
        "Foreign Minister Ivan Petrenko wrote on X, formerly Twitter, that Moscow was \"lying as usual\". "
        "Defence Minister Olha Marchuk told the Harbor Pravda newspaper that production had doubled.")).analysis.quotes
    assert [(q.content.text, q.venue_name) for q in quotes] == [
        ('that Moscow was "lying as usual"', "X"), ("that production had doubled", "Harbor Pravda")]


def test_an_undated_article_warns_that_stated_dates_stay_unresolved(pipeline):
    text = "The mayor said on Monday that the bridge would close. On Dec. 2 she said it was safe."
    undated = pipeline(Doc.from_text(text)).analysis
    assert [q.date for q in undated.quotes] == [None, None]
    assert undated.warnings == ["2 quote dates left unresolved: the article has no publication date "
                                "(give one with --published)"]
    assert pipeline(Doc.from_text(text, published="2023-12-06")).analysis.warnings == []


def test_a_second_participle_statement_and_an_aside_stay_out(pipeline):
    quotes = pipeline(Doc.from_text(
        "President Ivan Petrenko for his part finally admitted that the offensive had not achieved its objectives, "
        "while otherwise complaining that the war in Gaza has diverted attention from Ukraine.")).analysis.quotes
    assert _said(quotes) == [
        ("President Ivan Petrenko", "finally admitted", "that the offensive had not achieved its objectives"),
        ("President Ivan Petrenko", "otherwise complaining", "that the war in Gaza has diverted attention from Ukraine"),
    ]


def test_a_line_opening_with_a_name_and_a_colon_is_that_speakers_statement():
    text = ("Graham: Trump Rhetoric Destroying GOP Chance.\n\nUpdate: the vote was delayed.\n\n"
            "TAPPER: Do you think he can win?\n\nAnother problem for Sanders: turnout fell.\n\n"
            "The plan had three parts: taxes, roads and schools.")
    sdoc = Pipeline.from_config(only=["spacy"])(Doc.from_text(text)).nlp
    colon = [(text[slice(*f.source)], text[slice(*f.content)]) for f in extract(sdoc) if f.cue_lemma == ":"]
    assert colon == [("Graham", "Trump Rhetoric Destroying GOP Chance"), ("TAPPER", "Do you think he can win?")]


def test_a_place_before_a_headline_colon_is_its_topic(analyse_with):
    analysis = analyse_with("spacy", "actors", "coref", "quotes")(
        "Chasiv Yar: Kyiv's Last Gamble as the West Grows Tired\n\nUkraine: the path to victory\n\n"
        "Graham: Trump Rhetoric Destroying GOP Chance\n\nThe town was shelled again on Monday.")
    assert [(q.speaker_name, q.content.text) for q in analysis.quotes] == [
        ("Graham", "Trump Rhetoric Destroying GOP Chance")]


def test_a_second_reporting_verb_after_a_progressive_reported_clause_and_platform_venues(pipeline):
    quotes = pipeline(Doc.from_text(
        "Foreign Minister Ivan Petrenko wrote on X that Moscow was \"using hunger as a weapon\" and called on the UN "
        "to act. \"We will not wait,\" Mayor Olha Marchuk told journalists at Harbor airport.")).analysis.quotes
    assert [(q.speaker.text, q.cue.text, q.content.text, q.venue_name) for q in quotes] == [
        ("Foreign Minister Ivan Petrenko", "wrote", 'that Moscow was "using hunger as a weapon"', "X"),
        # "called on the UN" addresses the UN; the venue is the occasion of the previous statement
        ("Foreign Minister Ivan Petrenko", "called", "to act", "X"),
        ("Mayor Olha Marchuk", "told", '"We will not wait,"', None),  # a place, not a medium
    ]


@pytest.mark.parametrize(("text", "speaker"), [
    ("His defence minister went further: \"We must be ready for the worst.\"", "His defence minister"),
    ("The minister was blunt: “We will not retreat.”", "The minister"),
])
def test_a_short_clause_leading_into_a_quotation_after_a_colon_names_its_speaker(pipeline, text, speaker):
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert (q.speaker.text, q.cue.text, q.kind) == (speaker, ":", "direct")


def test_no_speaker_leads_into_a_colon_without_a_person_or_with_a_bare_copula(pipeline):
    text = "The result was clear: “Nobody won.” Here they are: \"Tax cuts, roads and schools.\""
    assert pipeline(Doc.from_text(text)).analysis.quotes == []


def test_a_document_naming_its_outlet_is_a_named_source_a_placed_person_is_not(pipeline):
    def sourcing(text):
        return [(q.speaker.text, q.sourcing.kind) for q in pipeline(Doc.from_text(text)).analysis.quotes][:1]

    assert sourcing("According to a report in Bild, the army is preparing.") == [("a report in Bild", "named")]
    assert sourcing("A study by Harvard found that sanctions work.") == [("A study by Harvard", "named")]
    assert sourcing("A source in the Kremlin said the talks had failed.") == [("A source in the Kremlin", "anonymous")]


def test_an_infinitive_hung_on_a_noun_is_no_statement(pipeline):
    text = "Perhaps it is time to ask who really benefits from this endless war. There is no reason to believe them."
    assert pipeline(Doc.from_text(text)).analysis.quotes == []


def test_wire_story_constructions(pipeline):
    """An invented wire story: an outlet in apposition and a medium that carried remarks are venues, "It" continues
    the body that spoke before it, a question put to the speaker is no statement of his, and reported speech inside
    an anonymous source's statement keeps its chain (origin, the anonymous relay, the outlet)."""
    text = ("Andriy Yusov told the public broadcaster Suspilne that the strike was a provocation. "
            "In remarks broadcast on state television, Foreign Minister Ivan Petrenko went further, saying the West "
            "was \"shielding crimes\".\n\n"
            "The Russian-installed management of the plant said three people had been wounded. It blamed Ukraine's "
            "armed forces for the attack.\n\n"
            "Asked whether Russia would allow more inspectors, Peskov said that the question \"is being worked on\".\n\n"
            "A Western diplomat, who was not authorised to speak publicly, said Grossi had told member states "
            "privately that his team could not determine who launched the drone.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    rows = [(q.speaker_name, q.cue.text, q.venue_name) for q in quotes]
    assert rows[:5] == [
        ("Andriy Yusov", "told", "Suspilne"),
        ("Foreign Minister Ivan Petrenko", "saying", "state television"),
        ("The Russian-installed management of the plant", "said", None),
        ("The Russian-installed management of the plant", "blamed", None),
        ("Peskov", "said", None),
    ]
    outer, inner = quotes[5:]
    assert (outer.sourcing.kind, inner.speaker_name, inner.cue.text) == ("anonymous", "Grossi", "had told")
    assert inner.parent_id == outer.id
    assert [(link.role, link.anonymous) for link in inner.chain] == [("origin", False), ("relay", True), ("outlet", False)]


@pytest.mark.parametrize(("text", "origin", "relay", "content"), [
    ("The Washington Post, citing unnamed US officials, alleged that Kiev had gained ground near Bakhmut.",
     "unnamed US officials", "The Washington Post", "that Kiev had gained ground near Bakhmut"),
    ("As RIA Novosti reported, citing a source in the security services, a group of mercenaries was eliminated.",
     "a source in the security services", "RIA Novosti", "a group of mercenaries was eliminated"),
    ("Reuters reported on Monday, citing two sources, that the talks had stalled.",
     "two sources", "Reuters", "that the talks had stalled"),
])
def test_the_cited_are_the_origin_and_the_citing_outlet_relays_them(pipeline, text, origin, relay, content):
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert (q.speaker.text, q.content.text, q.sourcing.kind) == (origin, content, "anonymous")
    assert [link.name for link in q.chain][:2] == [origin, relay]


def test_the_answers_of_an_interview_are_the_interviewees_statements(analyse_with):
    """"Q: … A: …" turns: each answer is a statement of the person the introduction names, the questions are the
    outlet's (no quote), and first-person cues inside an answer are the answer itself, not the author's."""
    text = ("Mayor on life under fire\n\nKharkiv has been shelled for two years. Mayor Ihor Terekhov spoke to us about "
            "power cuts and schools.\n\nQ: How does the city keep running?\n\nA: Our workers are heroes. We have "
            "learned to repair everything fast.\n\nQ: Is the metro school sustainable?\n\nA: It is not normal, but "
            "it is safe.")
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [(q.speaker_name, q.cue.text, q.content.text) for q in quotes] == [
        ("Ihor Terekhov", "spoke", "power cuts and schools"),
        ("Ihor Terekhov", ":", "Our workers are heroes. We have learned to repair everything fast"),
        ("Ihor Terekhov", ":", "It is not normal, but it is safe"),
    ]


def test_question_and_answer_labels_outside_an_interview_are_no_speakers(pipeline):
    text = "Answer: the vote was delayed.\n\nThe council met on Monday."
    assert pipeline(Doc.from_text(text)).analysis.quotes == []


@pytest.mark.parametrize(("text", "venue"), [
    ("Prime Minister Ivan Petrenko told state radio that Europe should stop.", "state radio"),
    ("Petrenko told reporters that Europe should stop.", None),
])
def test_a_medium_told_is_the_venue_people_told_are_not(pipeline, text, venue):
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert q.venue_name == venue


def test_quotation_marks_glued_to_words_are_read(pipeline):
    text = "Okafor said,“Look, the bridge is finished.” “It was a long fight,”Marchuk said."
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.speaker.text, q.content.text) for q in quotes] == [
        ("Okafor", "“Look, the bridge is finished.”"), ("Marchuk", "“It was a long fight,”")]


@pytest.mark.parametrize("text", [
    "The ministry did not say how it had identified the weapons.",  # a negated cue with nothing stated
    "Siekierski did not respond to a request for comment.",
    "Is the West finally admitting the truth about Kyiv?",  # the writer's insinuating question
    "The spokesman declined to comment. Sabodakha refuses to go.",  # something (not) done, not said
])
def test_what_nobody_states_is_no_quote(pipeline, text):
    assert pipeline(Doc.from_text(text)).analysis.quotes == []


@pytest.mark.parametrize(("text", "speaker", "kind"), [
    ("According to figures from the Ukrainian Grain Association, exports fell by a third.",
     "figures from the Ukrainian Grain Association", "named"),
    ("Senior figures from the ruling party said the vote would be delayed.", "Senior figures from the ruling party",
     "anonymous"),
    ("Everyone knows that the war is lost.", "Everyone", "anonymous"),
    ("Unconfirmed reports suggest that the general was wounded.", "Unconfirmed reports", "anonymous"),
])
def test_sourcing_of_numbers_indefinite_pronouns_and_unconfirmed_reports(pipeline, text, speaker, kind):
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert (q.speaker.text, q.sourcing.kind) == (speaker, kind)


def test_a_dateline_is_no_part_of_the_content_and_a_resolvable_date_wins(pipeline):
    (q,) = pipeline(Doc.from_text("KYIV, Dec. 4 (Meridian Wire) - Ukraine's foreign ministry on Friday summoned the "
                                  "Hungarian ambassador, officials said.")).analysis.quotes
    assert q.content.text == "Ukraine's foreign ministry on Friday summoned the Hungarian ambassador"
    (q,) = pipeline(Doc.from_text("Zelensky said in his nightly address on Wednesday that the front was holding.",
                                  published="2024-06-07")).analysis.quotes
    assert (q.date, q.date_span.text) == ("2024-06-05", "Wednesday")


def test_a_speakers_account_of_her_own_statement_is_one_quote_anothers_is_relayed(analyse_with):
    analyse = analyse_with("spacy", "actors", "coref", "quotes")
    own = analyse("Mayor Olha Okafor said she had told the council that the bridge was safe.").quotes
    assert [q.cue.text for q in own] == ["said"]
    outer, inner = analyse("Mayor Olha Okafor said that Ivan Petrenko had told her that the bridge was safe.").quotes
    assert (inner.speaker_name, inner.parent_id, [link.name for link in inner.chain][:2]) == (
        "Ivan Petrenko", outer.id, ["Ivan Petrenko", "Olha Okafor"])


def test_others_reported_inside_a_quotation_are_relayed_by_its_speaker(analyse_with):
    """The outer cue stands after the quotation, so the relay is known only if the quotation is read first; the
    unnamed officers are the origin (anonymous), the colonel relays them, and his next words stay his."""
    text = ("“Two officers at the brigade headquarters told me the offensive had stalled in the mud,” said Colonel "
            "Andriy Melnyk, the brigade's deputy commander, in an interview with Radio Svoboda. “They do not expect "
            "any movement before May.”")
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    outer, inner, more = quotes
    assert (inner.speaker_name, inner.cue.text, inner.content.text) == (
        "Two officers at the brigade headquarters", "told", "the offensive had stalled in the mud")
    assert inner.sourcing.kind == "anonymous" and inner.parent_id == outer.id
    assert [(link.role, link.name) for link in inner.chain][:2] == [
        ("origin", "Two officers at the brigade headquarters"), ("relay", "Andriy Melnyk")]
    assert (more.speaker_name, more.venue_name) == ("Andriy Melnyk", outer.venue_name)
    assert outer.venue_name is not None
    # a quotation reporting nobody else ("he told the truth": no clause of its own) stays one statement
    assert len(analyse_with("spacy", "actors", "coref", "quotes")(
        "“I am sure he told the truth,” said Colonel Andriy Melnyk.").quotes) == 1
def test_the_ministry_speaking_again_is_the_ministry_that_spoke(analyse_with):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(
        "Ukraine's defence ministry on Tuesday urged allies to accelerate deliveries. The ministry said in a "
        "statement that half of the shells had not arrived.").quotes
    assert [q.speaker_entity for q in quotes] == ["ukrainian-ministry-of-defence"] * 2


def test_they_continues_the_plural_source_that_spoke_before(pipeline):
    quotes = pipeline(Doc.from_text("Ukrainian officials say the strike killed four people. They accuse Moscow of "
                                    "targeting civilians.")).analysis.quotes
    assert [(q.speaker.text, q.speaker_name, q.sourcing.kind) for q in quotes] == [
        ("Ukrainian officials", "Ukrainian officials", "anonymous"), ("They", "Ukrainian officials", "anonymous")]


def test_a_plural_common_noun_opening_a_sentence_is_a_vague_source_not_an_organisation(analyse_with):
    analysis = analyse_with("spacy", "actors", "coref", "quotes")(
        "Poland closed the crossing on Friday after a protest, officials in Warsaw said.\n\n"
        "Farmers say cheap Ukrainian imports have driven down prices.")
    assert not any(e.name == "Farmers" for e in analysis.entities)
    assert [(q.speaker_name, q.sourcing.kind) for q in analysis.quotes][-1] == ("Farmers", "anonymous")


def test_an_answer_runs_over_paragraphs_up_to_the_next_turn_and_is_direct(analyse_with):
    """A multi-paragraph answer is one statement up to the next "Q:"; narration after the last turn (an editor's
    note) is not the interviewee's, and a short answer ("Of course.") is a statement too."""
    text = ("Mayor on the winter ahead\n\nMayor Ihor Terekhov spoke to us in his office.\n\n"
            "Q: How long can the city hold out?\nA: As long as it takes.\n\nThe schools are another matter. "
            "Half of them have no shelters yet.\n\nQ: Will you stay?\nA: Of course.\n\n"
            "This interview has been edited for length.")
    answers = [q for q in analyse_with("spacy", "actors", "coref", "quotes")(text).quotes if q.cue.text == ":"]
    assert [(q.speaker_name, q.kind, q.content.text) for q in answers] == [
        ("Ihor Terekhov", "direct", "As long as it takes.\n\nThe schools are another matter. Half of them have no "
                                    "shelters yet"),
        ("Ihor Terekhov", "direct", "Of course"),
    ]


@pytest.mark.parametrize(("text", "speaker", "content"), [
    ("“We will rebuild every house”: Kharkiv mayor vows to stay as strikes intensify\n\nThe city was hit again.",
     "Kharkiv mayor", "“We will rebuild every house”"),
    ("'Russia will lose': Stoltenberg says allies must keep faith\n\nThe alliance met in Brussels.",
     "Stoltenberg", "'Russia will lose'"),
    ("“We are not giving up”: Zelensky\n\nThe president spoke in Kyiv.", "Zelensky", "“We are not giving up”"),
])
def test_a_quotation_leading_a_headline_is_the_statement_of_the_clause_after_its_colon(pipeline, text, speaker,
                                                                                       content):
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert (speaker, ":", content) in [(q.speaker.text, q.cue.text, q.content.text) for q in quotes]


@pytest.mark.parametrize("text", [
    "“Hell on earth”: shelling continues in Bakhmut\n\nThe town burned.",  # no one speaks after the colon
    "“The path to victory”: Ukraine\n\nAn essay.",  # a place is a topic
    "“We are in shock”: A mosque feels the spotlight\n\nThe town was quiet.",  # a thing is no speaker
    "“A fake solution”: Letters to the Editor\n\nReaders wrote in.",  # a page's section
    # the speaker opens the clause; this one is about a claim "That Climate Change Will Make …"
    "'Entirely Fictional': Top Expert Blasts Minister's Claim That Climate Change Will Make Fever Common\n\nText.",
])
def test_a_quotation_leading_a_headline_needs_a_speaker_after_its_colon(pipeline, text):
    assert [q for q in pipeline(Doc.from_text(text)).analysis.quotes if q.cue.text == ":"] == []


@pytest.mark.parametrize("text", [
    "Nobody in the city expects the winter to be easy.",
    "No official has confirmed that the bridge was hit.",
    "None of the ministers said the deal was dead.",
    "Officials in Moscow gave no comment.",
])
def test_nobody_speaking_and_no_comment_are_no_quotes(pipeline, text):
    assert pipeline(Doc.from_text(text)).analysis.quotes == []


def test_a_live_blogs_time_stamps_are_no_speakers(analyse_with):
    text = ("War live: port hit\n\n14:32 GMT – Kremlin: no talks for now\n\nThe port burned.\n\n"
            "13:10 GMT – Odesa governor says two killed in overnight strike\n\nRescuers are at the scene.")
    analysis = analyse_with("spacy", "actors", "coref", "quotes")(text)
    assert [(q.speaker.text, q.content.text) for q in analysis.quotes] == [
        ("Kremlin", "no talks for now"), ("Odesa governor", "two killed in overnight strike")]
    assert "GMT" not in {e.name for e in analysis.entities}


def test_a_that_clause_hung_on_the_occasion_is_the_content(pipeline):
    (q,) = pipeline(Doc.from_text("Kremlin spokesman Dmitry Peskov told reporters on a conference call that Moscow "
                                  "saw no basis for negotiations.")).analysis.quotes
    assert (q.content.text, q.venue_name) == ("that Moscow saw no basis for negotiations", "conference call")


@pytest.mark.parametrize("text", [
    "Zelensky to tell Congress that Ukraine needs more aid\n\nThe visit is his third.",  # the headline future
    "Scholz to announce new aid package for Kyiv\n\nBerlin has pledged more.",
    "Zelensky will tell the summit that Ukraine needs more air defence.",
    "These pilots will address acute challenges on new technology and business models.",
    "Moscow rules out talks until Kyiv accepts the “new realities” on the ground.",
])
def test_statements_not_made_are_no_quotes(pipeline, text):
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [q for q in quotes if q.cue.text.split()[-1] in ("announce", "tell", "accepts", "address")] == []


def test_a_speechs_released_text_is_quoted_words(pipeline):
    text = "The Prime Minister will say: “We can turn our struggle against climate change into a mission for jobs.”"
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert q.kind == "direct" and q.speaker.text == "The Prime Minister"


def test_an_unnamed_speakers_name_leaves_out_the_clause_after_it(pipeline):
    (q,) = pipeline(Doc.from_text("A spokesperson for the port operator, who was not authorised to speak publicly, "
                                  "said grain shipments would be delayed.")).analysis.quotes
    assert q.speaker_name == "A spokesperson for the port operator"
    assert q.speaker.text.endswith("speak publicly") and q.sourcing.kind == "anonymous"


def test_a_fact_checks_labels_are_no_cues(pipeline):
    text = ("Claim: A video shared on Telegram says the strike was staged.\n\nVerdict: False.\n\n"
            "Some users claimed the footage was from another city; we could not confirm this.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.speaker.text, q.cue.text, q.content.text) for q in quotes] == [
        ("A video shared on Telegram", "says", "the strike was staged"),
        ("Some users", "claimed", "the footage was from another city")]


def test_a_subject_hung_on_a_participle_after_it_is_the_speakers(pipeline):
    (q,) = pipeline(Doc.from_text("The video, viewed more than two million times, claims that the missile was "
                                  "fired by Ukraine.")).analysis.quotes
    assert (q.speaker.text, q.cue.text, q.content.text) == (
        "The video", "claims", "that the missile was fired by Ukraine")


def test_another_speakers_statement_joined_to_the_content_is_not_part_of_it(pipeline):
    q = pipeline(Doc.from_text("Independent researchers found that Russian units had also fielded the system, and "
                               "Human Rights Watch said that the attack came from the east.")).analysis.quotes[0]
    assert q.content.text == "that Russian units had also fielded the system"
    # the same speaker's second clause stays: "… and that he wants …"
    q = pipeline(Doc.from_text("He said that he will mobilise his supporters and that he wants a recount.")
                 ).analysis.quotes[0]
    assert q.content.text == "that he will mobilise his supporters and that he wants a recount"


@pytest.mark.parametrize(("text", "speaker", "kind"), [
    ("Foreign Ministry Spokeswoman Maria Zakharova said at a briefing that the West was preparing a provocation. "
     "“We have information about it,” the diplomat said.", "Maria Zakharova", "named"),
    # another person holds the title: not the previous speaker's
    ("General Petro Kovalenko visited the front. President Zelensky said the line held. “We need shells,” the "
     "general said.", "Petro Kovalenko", "named"),
])
def test_a_description_speaking_after_a_quote_is_the_person_the_text_supports(analyse_with, text, speaker, kind):
    q = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes[-1]
    assert (q.speaker_name, q.sourcing.kind) == (speaker, kind)


def test_in_the_ministrys_words_is_the_ministry_that_spoke(analyse_with):
    text = ("The Russian Defence Ministry reported that air defences had destroyed 14 drones overnight. In the "
            "ministry's words, there were no casualties.")
    first, second = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert second.speaker.text == "the ministry" and second.speaker_entity == first.speaker_entity is not None


def test_a_person_acted_on_is_no_statement(pipeline):
    text = "President Volodymyr Zelenskyy dismissed the commander of the Joint Forces, Lt. Gen. Serhiy Nayev, on Friday."
    assert pipeline(Doc.from_text(text)).analysis.quotes == []
    (q,) = pipeline(Doc.from_text("The President's allies blame the General for the failure.")).analysis.quotes
    assert q.content.text == "the General for the failure"


def test_a_message_speaks_for_its_maker(analyse_with):
    text = ("In a statement issued on Thursday, the alliance said the strike was a violation of international law. "
            "The statement added that allies would keep supporting Ukraine. According to a statement from the "
            "Ukrainian navy, two missiles hit the terminal.")
    first, added, navy = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert (added.speaker.text, added.speaker_name, added.sourcing.kind) == (
        "The statement", first.speaker_name, first.sourcing.kind)
    assert (navy.speaker_name.lower().endswith("navy"), navy.sourcing.kind) == (True, "named")


@pytest.mark.parametrize(("text", "venue"), [
    ("Asked about the strike at a press conference in Washington, spokesman Matthew Miller said Moscow was "
     "weaponising food.", "press conference"),
    ("Speaking to Reuters on Monday, the minister said the bridge was safe.", "Reuters"),
    ("Speaking on condition of anonymity, the official said the bridge was safe.", None),
    ("Speaking to students at St Mary's High School, the bishop said faith groups must cooperate.", None),  # a place
    ("Speaking in an interview with AP, the minister said the bridge was safe.", "AP"),
    ("The archbishop said the church was united, acting in line with the Lambeth Calls.", None),  # not before it
])
def test_a_participle_setting_the_scene_gives_the_venue(pipeline, text, venue):
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert q.venue_name == venue


def test_one_of_them_is_one_of_the_unnamed_sources_on_the_same_relay(pipeline):
    text = ("Russia is considering a second wave of mobilisation, two people familiar with the discussions told "
            "Bloomberg. One of them said the call-up could involve up to 300,000 reservists.")
    first, one = pipeline(Doc.from_text(text)).analysis.quotes
    assert (one.speaker_name, one.sourcing.kind) == ("one of two people familiar with the discussions", "anonymous")
    assert [link.name for link in one.chain][:2] == ["two people familiar with the discussions", "Bloomberg"]


def test_a_statement_the_parser_hung_on_the_cited_is_the_citing_outlets(pipeline):
    text = ("The Washington Post, citing Ukrainian intelligence officials, reported last month that Moscow had "
            "already begun quietly recruiting in the regions.")
    (q,) = pipeline(Doc.from_text(text, published="2024-02-08")).analysis.quotes
    assert (q.speaker.text, q.sourcing.kind, q.date) == ("Ukrainian intelligence officials", "anonymous", "2024-01")
    assert [link.name for link in q.chain][:2] == ["Ukrainian intelligence officials", "The Washington Post"]


def test_a_headline_description_is_the_one_person_the_text_gives_that_role(analyse_with):
    head = "“We will rebuild every house”: Kharkiv mayor vows to stay\n\n"
    body = "Ihor Terekhov, the mayor of Kharkiv, said on Tuesday that crews would start on Monday."
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(head + body).quotes
    assert [q.speaker_name for q in quotes if q.cue.text == ":"] == ["Ihor Terekhov"]
    # two mayors in the text: the headline's stays a description
    body2 = body + " Vitali Klitschko, the mayor of Kyiv, said the capital would help Kharkiv."
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(head.replace("Kharkiv mayor", "Mayor") + body2).quotes
    assert [q.speaker_entity for q in quotes if q.cue.text == ":"] == [None]


def test_a_quotation_over_paragraphs_is_direct_and_he_said_after_it_is_the_speaker_before(analyse_with):
    text = ("A view from the front\n\nThe brigade commander, Colonel Andriy Biletsky, spoke about the winter.\n\n"
            "“We lost the initiative in the autumn. The enemy has more shells, more drones, more men.\n\n"
            "“But we have learned. Every position we hold costs them ten times what it costs us,” he said.")
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [(q.speaker_name, q.kind) for q in quotes if q.content.text.startswith("“")] == [
        ("Andriy Biletsky", "direct"), ("Andriy Biletsky", "direct")]


def test_he_after_a_person_coref_could_not_tell_is_not_the_previous_speaker(analyse_with):
    text = ("On Monday, General Taras Kovalenko told Reuters that the line was holding. Major General Pavel Lomov said "
            "the units facing his troops were running out of men.\n\nEven the General's own words betray the panic. "
            "He admitted that the shortage keeps him awake at night.")
    admitted = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes[-1]
    assert admitted.cue.text == "admitted" and admitted.speaker_name != "Pavel Lomov"


def test_a_platform_ending_a_paragraph_is_the_venue(pipeline):
    text = '"This system will save lives," Zelensky wrote on X.\n\nGermany confirmed the delivery.'
    q = pipeline(Doc.from_text(text)).analysis.quotes[0]
    assert (q.venue_name, q.venue.text) == ("X", "X")


def test_an_embedded_post_is_its_accounts_dated_statement(analyse_with):
    text = ("Kyiv welcomes new pledge\n\nThe president welcomed the decision.\n\nGrateful to Chancellor Scholz and the "
            "German people. This system will save lives.\n\n— Volodymyr Zelenskyy (@ZelenskyyUa) April 16, 2024\n\n"
            "Berlin said the system would arrive within weeks.")
    post = next(q for q in analyse_with("spacy", "actors", "coref", "quotes")(text).quotes if q.cue_lemma == "post")
    assert (post.speaker_name, post.kind, post.venue_name, post.date) == (
        "Volodymyr Zelenskyy", "direct", "X (@ZelenskyyUa)", "2024-04-16")
    assert post.content.text == "Grateful to Chancellor Scholz and the German people. This system will save lives."


def test_accused_x_of_y_is_the_whole_accusation(pipeline):
    (q,) = pipeline(Doc.from_text('The minister also accused NATO of "pumping weapons" into Ukraine.')).analysis.quotes
    assert q.content.text == 'NATO of "pumping weapons" into Ukraine'


def test_a_headline_topic_after_a_name_known_from_elsewhere_is_no_statement(pipeline):
    text = "Lavrov: a diplomat's last stand\n\nRussian Foreign Minister Sergey Lavrov said on Friday that talks failed."
    assert [q.speaker.text for q in pipeline(Doc.from_text(text)).analysis.quotes if q.cue.text == ":"] == []


def test_a_headline_name_the_tagger_missed_there_but_tagged_in_the_text_speaks(pipeline):
    text = ("Lavrov: Kiev regime is not interested in peace\n\nRussian Foreign Minister Sergey Lavrov said on Friday "
            "that talks were pointless.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert ("Lavrov", "Kiev regime is not interested in peace") in [(q.speaker.text, q.content.text) for q in quotes]


def test_a_document_speaks_for_its_maker_and_an_unmade_one_is_unnamed(pipeline):
    text = ("A separate report by the Royal United Services Institute warns that Russia could sustain its losses. The "
            "report also says that Western production must double. Study finds that aid fell.")
    rusi, again, study = pipeline(Doc.from_text(text)).analysis.quotes
    assert (rusi.speaker_name, rusi.sourcing.kind) == ("the Royal United Services Institute", "named")
    assert (again.speaker.text, again.speaker_name) == ("The report", "the Royal United Services Institute")
    assert (study.speaker_name, study.sourcing.kind) == ("Study", "anonymous")


def test_a_live_blog_stamp_without_a_dash_is_no_part_of_the_speaker(pipeline):
    text = ("Odesa live: drones hit port\n\n09:40 Regional governor Oleh Kiper says four people were injured.\n\n"
            "10:05 Ukraine's air force says it shot down 18 of 23 drones launched overnight.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [q.speaker.text for q in quotes] == ["Regional governor Oleh Kiper", "Ukraine's air force"]


@pytest.mark.parametrize(("text", "speakers"), [
    ("Oil revenues fell by 18 per cent, but China and India continue to buy Russian crude at a discount.", []),
    ('Gore continued, "And if we stay at net zero, temperatures will stop rising."', ["Gore"]),
    ("The data suggest that the economy is short of workers.", ["The data"]),
    ("The video shows a tank convoy on a desert road. The post says the sale was arranged in March.",
     ["The video", "The post"]),
])
def test_aspect_verbs_are_no_cues_and_unmade_documents_are_unnamed(pipeline, text, speakers):
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [q.speaker.text for q in quotes] == speakers
    assert all(q.sourcing.kind == "anonymous" for q in quotes if q.speaker.text != "Gore")  # a video, a post, data


def test_our_model_is_the_authors(pipeline):
    doc = Doc.from_text("Our model suggests that the economy is short of roughly 1.5 million workers.")
    doc.analysis.article.author = "Anna Berg"
    (q,) = pipeline(doc).analysis.quotes
    assert q.speaker_name == "Anna Berg"


def test_a_post_signature_dates_the_quotation_of_that_post_above_it(pipeline):
    text = ('"This system will save lives," Zelensky wrote on X.\n\n— Volodymyr Zelenskyy (@ZelenskyyUa) April 16, 2024'
            '\n\nBerlin confirmed the delivery.')
    q = pipeline(Doc.from_text(text)).analysis.quotes[0]
    assert (q.speaker.text, q.venue_name, q.date) == ("Zelensky", "X (@ZelenskyyUa)", "2024-04-16")
    # a signature under another's quotation is no date for it
    other = pipeline(Doc.from_text(text.replace("Zelensky wrote", "Scholz wrote"))).analysis.quotes[0]
    assert (other.speaker.text, other.date) == ("Scholz", None)


def test_a_manner_phrase_is_no_content(pipeline):
    doc = pipeline(Doc.from_text("The brigade commander, Colonel Andriy Biletsky, spoke at length about the winter."))
    assert [doc.text[slice(*f.content)] for f in extract(doc.nlp)] == ["the winter"]  # scored, though no quote


def test_a_body_of_a_linked_possessor_is_named_after_it(analyse_with):
    text = ("President Volodymyr Zelenskyy dismissed the commander of the Joint Forces, Lt. Gen. Serhiy Nayev, on "
            "Friday, his office said.")
    (q,) = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert (q.speaker.text, q.speaker_name) == ("his office", "Volodymyr Zelenskyy's office")


@pytest.mark.parametrize(("text", "speaker", "content"), [
    # the parser makes "According" the root and the clause an apposition of the name
    ("According to veteran radio host Ivan Petrov, the move reeks of “fear” and desperation.",
     "veteran radio host Ivan Petrov", "the move reeks of “fear” and desperation"),
    # ... or reads "show insiders" as a verb and its object
    ("The host repeatedly skipped rehearsals on the show, according to show insiders.",
     "show insiders", "The host repeatedly skipped rehearsals on the show"),
])
def test_according_to_holds_when_the_parser_breaks_the_phrase(pipeline, text, speaker, content):
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert (q.speaker.text, q.cue.text.lower(), q.content.text) == (speaker, "according to", content)


def test_a_transcript_turn_in_quotation_marks_is_the_speakers(pipeline):
    text = ('"HOLT: Let us start with the economy. Two questions: why now, and why you?\n\n'
            '"OKAFOR: Well, look, the bridge is safe. We checked it twice.')
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.speaker.text, q.cue.text, q.content.text[:18]) for q in quotes if q.cue.text == ":"] == [
        ("HOLT", ":", "Let us start with "), ("OKAFOR", ":", "Well, look, the br")]


def test_a_quotation_signed_with_a_dash_and_a_name_is_that_persons(pipeline):
    text = ("Readers on the blackout\n\nWe asked readers how they cope.\n\n"
            "“We cook on a camping stove and charge phones at the school.” ― Olena Marchuk, a teacher in Kharkiv.\n"
            "“During the debate Trump said we live in hell. He is wrong.”― Ihor Savchenko.\n"
            "“Never give in.”\n— Winston Churchill\n"
            "“We will hold.” — the slogan of the winter.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    signed = [(q.speaker.text, q.kind, q.content.text[:12]) for q in quotes if q.cue_lemma == "signed"]
    assert signed == [("Olena Marchuk", "direct", "“We cook on "), ("Ihor Savchenko", "direct", "“During the "),
                      ("Winston Churchill", "direct", "“Never give ")]
    # a statement reported inside the quotation (which the finder reads) does not keep it from its signer
    doc = pipeline(Doc.from_text(text))
    assert "Trump" in [doc.text[slice(*f.source)] for f in extract(doc.nlp) if f.source]


def test_a_cue_ending_its_paragraph_with_a_colon_introduces_a_block_quotation(pipeline):
    text = ("The ministry said in a statement:\n\nThe strikes hit two substations. Repairs will take a week.\n\n"
            "Traffic was normal on Monday.")
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert (q.speaker.text, q.kind, q.content.text) == (
        "The ministry", "direct", "The strikes hit two substations. Repairs will take a week.")


@pytest.mark.parametrize(("text", "source", "content"), [
    ("In a Rating Group poll released Monday, 62 percent of respondents opposed any territorial concessions.",
     "a Rating Group poll released Monday", "62 percent of respondents opposed any territorial concessions"),
    # inside a clause "in the polls" is where someone stands, not what a poll says
    ("The mayor has been trailing in the polls since spring.", None, None),
])
def test_a_poll_opening_a_sentence_speaks_through_in(pipeline, text, source, content):
    doc = pipeline(Doc.from_text(text))
    found = [(doc.text[slice(*f.source)], doc.text[slice(*f.content)]) for f in extract(doc.nlp)
             if doc.text[slice(*f.cue)].lower() == "in"]
    assert found == ([(source, content)] if source else [])


def test_a_quotation_closed_with_a_full_stop_before_he_said_on_its_line_is_his(pipeline):
    text = ("The mayor spoke after the flood.\n\n“We will rebuild every house.” Okafor said on Monday.\n\n"
            "“We will win,” the mayor said. “Never.” The minister agreed.")
    said = [(q.speaker.text, q.content.text) for q in pipeline(Doc.from_text(text)).analysis.quotes
            if q.speaker is not None]
    assert ("Okafor", "“We will rebuild every house.”") in said
    assert ("The minister", "“Never.”") not in said  # only say/tell/add/write take a quotation across a full stop


def test_a_tally_or_an_update_label_before_a_colon_is_no_statement(pipeline):
    text = "The Latest: Kyiv says drones downed overnight.\n\nTHE TOTAL.\n\nZelensky: 1,547.\n\nLavrov: No talks for now."
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.speaker.text, q.cue.text) for q in quotes] == [("Kyiv", "says"), ("Lavrov", ":")]


@pytest.mark.parametrize("text", [
    "NEW: Germany may bring back the draft.",  # a kicker
    "Hypocrisy: summit set to break emissions records",  # a theme
    "“A Threat to Peace”: Russia Plans New Offensive",  # a quotation leading a headline without a verb of saying
    "A 'Watershed Moment': five takeaways from the summit",  # a title
    "by Olena Marchuk:\n\n“The river remembers everything.”",  # a byline before an epigraph
])
def test_kickers_themes_quoted_titles_and_bylines_before_a_colon_are_no_speakers(pipeline, text):
    assert [(q.speaker.text, q.cue.text) for q in pipeline(Doc.from_text(text)).analysis.quotes if q.cue.text == ":"] == []


def test_a_headline_verb_of_saying_in_title_case_speaks_for_the_words_before_it(pipeline):
    (q,) = pipeline(Doc.from_text("Latvian General Warns Kremlin: We Are Ready\n\nThe talks failed.")).analysis.quotes
    assert (q.speaker.text, q.cue.text, q.cue_lemma, q.content.text) == (
        "Latvian General", "Warns", "warn", "We Are Ready")


def test_a_comment_from_a_named_reader_after_a_colon_is_the_readers(pipeline):
    text = "Readers agreed.\n\nThe best reply from Robert Halloway: “Nobody asked the farmers.”"
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert ("Robert Halloway", "“Nobody asked the farmers.”") in [(q.speaker.text, q.content.text) for q in quotes]


def test_a_heading_before_a_colon_is_neither_the_speaker_nor_the_content_of_the_next_clause(analyse_with):
    analysis = analyse_with("spacy", "actors", "coref", "quotes")(
        "Ukraine's Army Is Running Out of Shells: Kyiv has asked its allies for more ammunition.")
    assert [(q.speaker.text, q.content.text) for q in analysis.quotes] == [("Kyiv", "more ammunition")]
    assert all(":" not in m.text for e in analysis.entities for m in e.mentions)


def test_a_headline_poll_or_study_before_a_colon_speaks_unnamed(pipeline):
    text = ("Poll: Most Ukrainians reject territorial concessions\n\nVideo: Drone strikes a tank\n\n"
            "The survey of 1,000 adults was taken in May.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    poll = next(q for q in quotes if q.cue.text == ":")
    assert (poll.speaker.text, poll.content.text, poll.sourcing.kind) == (
        "Poll", "Most Ukrainians reject territorial concessions", "anonymous")
    assert [q.speaker.text for q in quotes if q.cue.text == ":"] == ["Poll"]  # "Video:" is a page label


def test_a_person_in_what_a_headline_report_says_is_not_its_author(pipeline):
    text = "Report: Putin Overhauls Economy for Prolonged War\n\nThe Kremlin is shifting its budget to the army."
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.speaker.text, q.sourcing.kind) for q in quotes] == [("Report", "anonymous")]


def test_a_speaker_between_the_quotation_and_its_cue_is_kept_whatever_the_parser_hung_on_it(pipeline):
    text = ("“The front is holding and frankly the army is tired,” Kovalenko, a retired colonel, said on Tuesday evening "
            "on Channel 5’s “Evening Review.”")
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert (q.speaker.text, q.content.text) == (
        "Kovalenko, a retired colonel", "“The front is holding and frankly the army is tired,”")


@pytest.mark.parametrize("text", ["Said Petrenko: “We are not leaving.”", "Says Oleksandr Petrenko, “We are not leaving.”"])
def test_an_inverted_cue_opening_the_sentence_names_its_speaker_after_it(pipeline, text):
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert (q.speaker.text.split()[-1], q.content.text) == ("Petrenko", "“We are not leaving.”")



def test_the_writers_set_phrases_with_say_are_no_quotes(pipeline):
    text = ("It goes without saying that the bridge must be repaired. Suffice it to say that the army is tired. "
            "It is safe to say that the offensive failed. He was right to say that the plan worked.")
    assert [q.speaker.text for q in pipeline(Doc.from_text(text)).analysis.quotes] == ["He"]


@pytest.mark.parametrize(("text", "speaker", "content"), [
    # spaCy reads "report" as a noun, the "Local media report" as one noun phrase
    ("Local media report that the strike hit a school.", "Local media", "that the strike hit a school"),
    # ... or "media" as a compound of the verb
    ("Russian media report that the bridge was hit.", "Russian media", "that the bridge was hit"),
    # ... or the possessed noun as the verb, "is false" as its complement
    ("The officials’ claim that the dam was hit is false.", "The officials", "that the dam was hit"),
])
def test_a_cue_the_parser_misread_keeps_its_speaker_and_clause(pipeline, text, speaker, content):
    doc = pipeline(Doc.from_text(text))
    assert [(doc.text[slice(*f.source)], doc.text[slice(*f.content)]) for f in extract(doc.nlp)] == [(speaker, content)]


def test_a_long_noun_phrase_is_a_statement_only_after_a_verb_of_saying_or_believing(pipeline):
    text = ("Putin has waged war for years. He has imposed so much misery on the people of Kharkiv. "
            "The bishop lauded the initiative of the parish to rebuild the school.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.cue.text, q.content.text) for q in quotes] == [
        ("lauded", "the initiative of the parish")]


@pytest.mark.parametrize(("text", "cues"), [
    ("The initiative aims to facilitate the recycling of plastic bottles across the region.", []),
    ("The regional programme also empowers communities in accelerating the repair of damaged homes.", []),
    ("The conflict has reached a virtual stalemate with both sides fortifying their positions as winter sets in.", []),
    ("The new law says that every shelter must have a generator.", ["says"]),
    ("According to the new law, every shelter must have a generator.", ["According to"]),
])
def test_a_thing_acting_makes_no_statement_unless_it_says_something(analyse_with, text, cues):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [q.cue.text for q in quotes] == cues


@pytest.mark.parametrize("title", [
    "The Ministry's Grain Reports Are Full Of Empty Promises",
    "Finnish diplomat impressed by the size of Ukraine's grain harbours, shares photo",
])
def test_a_headline_verb_only_the_cue_model_rates_is_no_statement(pipeline, title):
    """Title case misleads the parser ("Are Full Of" as a cue) and a headline's deed is no statement; a headline
    with a verb of saying still is one (see the seeds' and examples' headline tests)."""
    text = f"{title}\n\nThe minister said on Monday that exports had doubled since May."
    assert [q.cue.text for q in pipeline(Doc.from_text(text, title=title)).analysis.quotes] == ["said"]
    assert len(pipeline(Doc.from_text(text)).analysis.quotes) == 2  # no title: the first line is body text


@pytest.mark.parametrize(("text", "speaker", "relay", "content"), [
    ("“The plan is working for now,” Olena Kovalenko is quoted as saying.", "Olena Kovalenko", None,
     "“The plan is working for now,”"),
    ("“We will hold the line,” the general was cited by the Kyiv Independent as saying on Monday.", "the general",
     "Kyiv Independent", "“We will hold the line,”"),
    ("Hnatenko was quoted by Reuters as saying that the bridge was closed.", "Hnatenko", "Reuters",
     "that the bridge was closed"),
])
def test_who_is_quoted_as_saying_is_the_speaker(analyse_with, text, speaker, relay, content):
    """The passive subject of "quoted / cited … as saying" speaks; who quotes is a relay, not the speaker (the
    "cited by X" phrase otherwise makes X the source)."""
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [(q.speaker_name, next((link.name for link in q.chain if link.role == "relay"), None), q.content.text)
            for q in quotes] == [(speaker, relay, content)]


@pytest.mark.parametrize(("text", "speaker", "pieces"), [
    # the parser hangs the speaker on "stalled" and "The offensive" on "said"
    ("The offensive, said Hnatenko, an analyst at the Razumkov Centre, has stalled.", "Hnatenko",
     ["The offensive", "has stalled"]),
    # ... or takes the nearer of two subjects, "The real risk"
    ("The real risk, said the mayor, is a second strike on the dam.", "the mayor",
     ["The real risk", "is a second strike on the dam"]),
    ("The talks, said Kovalenko, who attended them, went nowhere.", "Kovalenko", ["The talks", "went nowhere"]),
    # ... and reads "Petro Hnatenko shows that …" as a second statement
    ("Any honest reading of the ruling, said Petro Hnatenko, an analyst, shows that Kyiv wants talks.",
     "Petro Hnatenko", ["Any honest reading of the ruling", "shows that Kyiv wants talks"]),
    # a whole statement before the cue is one piece
    ("Russia will attack again, said Hnatenko, an analyst at the Razumkov Centre.", "Hnatenko",
     ["Russia will attack again"]),
])
def test_a_cue_inserted_before_its_speaker_splits_the_clause_it_interrupts(analyse_with, text, speaker, pieces):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [(q.speaker_name, q.content.text) for q in quotes] == [(speaker, p) for p in pieces]


@pytest.mark.parametrize(("text", "speaker"), [
    ("But Mr. Hnatenko is convinced that the bridge will reopen.", "Hnatenko"),  # "is" + a participle
    ("Officials are concerned that the dam could fail.", "Officials"),
    ("It was reported that the dam could fail.", None),  # a passive of saying: nobody named
])
def test_who_holds_an_attitude_in_the_passive_is_its_speaker(analyse_with, text, speaker):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [q.speaker_name for q in quotes] == [speaker]


def test_a_cue_right_after_a_quotation_takes_the_name_the_parser_made_its_object(analyse_with):
    """Any verb the cue model rates, not only a verb of saying, after a quotation's closing comma: the name after
    it is the speaker ("exhorted" is in no lexicon)."""
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(
        "“It is about time,” exhorted the governor's introducer, actress Olena Kovalenko.").quotes
    assert [(q.speaker_name, q.cue.text) for q in quotes] == [("Olena Kovalenko", "exhorted")]


@pytest.mark.parametrize(("text", "speaker", "kind"), [
    # the parser hangs the name on "Ministry": still the spokesman's name
    ("The army had a voice in decisions about the front, said a former spokesman for Ukraine's Foreign Ministry, "
     "Oleg Voloshyn.", "Oleg Voloshyn", "named"),
    # a name for a person noun further right is that person's: the source stays anonymous and is not Zelensky
    ("Talks are under way, said a source close to the president, Volodymyr Zelensky.",
     "a source close to the president, Volodymyr Zelensky", "anonymous"),
])
def test_a_name_in_apposition_names_the_speaker_only_when_it_renames_no_other_person(
        analyse_with, text, speaker, kind):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [(q.speaker_name, q.sourcing.kind) for q in quotes] == [(speaker, kind)]


def test_a_participle_after_a_comma_that_the_parser_made_a_subject_keeps_the_clauses_speaker(analyse_with):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(
        "Band member Petro shared the news on social media last week, writing “Feels great to support the army.”").quotes
    assert ("Petro", "writing") in [(q.speaker_name, q.cue.text) for q in quotes]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Hnatenko, in Kharkiv, said Tuesday that the mayor was weak.", "Hnatenko"),  # where he spoke, not who
    ("Officials in Kyiv said the bridge was closed.", "Officials in Kyiv"),  # who: which officials
])
def test_a_place_set_off_by_commas_after_a_name_is_not_part_of_the_speaker(analyse_with, text, speaker):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [q.speaker.text for q in quotes] == [speaker]


def test_a_pronoun_inside_an_earlier_quotation_is_not_the_speaker_of_a_later_cue(pipeline):
    text = "Sanders had previously said, “We’ll see,” when asked whether he would campaign for others."
    found = extract(pipeline(Doc.from_text(text)).nlp)
    asked = [f for f in found if f.cue_lemma == "ask"]
    assert [f.source for f in asked] == [None]


@pytest.mark.parametrize(("text", "speaker"), [
    ("The senator emailed supporters saying: “The struggle continues.”", "The senator"),
    ("His campaign sent out a text message to supporters saying: “We won.”", "His campaign"),
    ("Police met protesters saying the march was legal.", "protesters"),  # met: no message sent
])
def test_a_participle_hung_on_the_people_addressed_speaks_for_the_sender(analyse_with, text, speaker):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [q.speaker.text for q in quotes if q.cue_lemma == "say"] == [speaker]


@pytest.mark.parametrize(("text", "speaker"), [
    # the parser took "Cologne", a word of the quotation, for the subject of "tweeted"
    ("“We have no freedom of opinion anymore. #Cologne,” tweeted a German user from Hanover.",
     "a German user from Hanover"),
])
def test_no_word_of_a_quotation_leading_the_cue_is_its_speaker(analyse_with, text, speaker):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    assert [q.speaker.text for q in quotes] == [speaker]


def test_before_claiming_under_a_reported_clause_is_the_reporting_speakers_next_statement(analyse_with):
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(
        "Hnatenko said the deadlock has “kept us safe” on Twitter before claiming that open borders are dangerous.").quotes
    assert [(q.speaker_name, q.cue.text, q.content.text) for q in quotes] == [
        ("Hnatenko", "said", "the deadlock has “kept us safe” on Twitter"),
        ("Hnatenko", "claiming", "that open borders are dangerous")]


@pytest.mark.parametrize(("text", "content"), [
    # the closing single quotation mark the parser hung on the cue
    ("The minister says lawmakers ‘do not care about Ukraine’", "lawmakers ‘do not care about Ukraine’"),
    ("Trump says Biden is 'destroying America'", "Biden is 'destroying America'"),
    # an adverbial before "that" tells when it was said, not what
    ("The spokeswoman said earlier that Western countries bear direct responsibility.",
     "that Western countries bear direct responsibility"),
    ("She told reporters last week that it was over.", "that it was over"),
    # what a noun or a topic cue is about
    ("Kremlin denies role in Dniprova dam breach", "role in Dniprova dam breach"),
    ("Aid groups called on Thursday for safe access to the flooded villages.", "safe access to the flooded villages"),
])
def test_the_content_is_what_was_said(pipeline, text, content):
    assert [q.content.text for q in pipeline(Doc.from_text(text)).analysis.quotes] == [content]


def test_the_topic_of_the_people_warned_is_what_was_said(pipeline):
    quotes = pipeline(Doc.from_text("The governor warned residents of a long winter as the strikes continued.")).analysis.quotes
    assert [(q.speaker.text, q.content.text) for q in quotes] == [("The governor", "of a long winter")]


def test_a_wire_dateline_is_its_own_sentence_so_the_report_after_it_parses_as_a_statement(pipeline):
    """Parsed with its sentence, the dateline became the head of a clause and the report a relative clause of
    "KYIV": the content was then the "as ..." clause hung on the cue."""
    text = ("Ukraine says it downed 30 drones\n\nKYIV, Oct 9 (Meridian Wire) - Ukraine's air defences destroyed 30 of "
            "36 drones launched overnight, the air force said on Monday, as Moscow pressed its campaign against the "
            "grid.\n")
    doc = pipeline(Doc.from_text(text))
    assert "KYIV, Oct 9 (Meridian Wire) -" in [s.text for s in doc.analysis.sentences]
    said = next(q for q in doc.analysis.quotes if q.cue.text == "said")
    assert (said.speaker.text, said.content.text) == (
        "the air force", "Ukraine's air defences destroyed 30 of 36 drones launched overnight")


def test_a_second_verb_joined_to_a_cue_is_not_its_content(pipeline):
    text = "The president thanked air defence crews and urged allies to speed up deliveries of missiles."
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.cue.text, q.content.text) for q in quotes] == [
        ("thanked", "air defence crews"), ("urged", "to speed up deliveries of missiles")]


def test_a_source_telling_the_reporting_outlet_itself_is_not_relayed_twice(pipeline):
    text = "A source in the security services told Harbor Wire that saboteurs had tried to cross the border.\n"
    (q,) = pipeline(Doc.from_text(text, outlet="Harbor Wire")).analysis.quotes
    assert [(link.role, link.name) for link in q.chain] == [
        ("origin", "A source in the security services"), ("outlet", "Harbor Wire")]


def test_the_report_after_a_live_blog_time_stamp_keeps_its_first_words_together(pipeline):
    quotes = pipeline(Doc.from_text("14:32 GMT – Kharkiv governor says two killed in guided bomb strike\n")).analysis.quotes
    assert [(q.speaker.text, q.content.text) for q in quotes] == [("Kharkiv governor", "two killed in guided bomb strike")]


@pytest.mark.parametrize(("text", "second"), [
    ('The president said France would deliver more shells to Ukraine and insisted that "Russia must not win".',
     'that "Russia must not win"'),
    ("The spokesman said the operation will continue and added that Moscow remains open to talks.",
     "that Moscow remains open to talks"),
])
def test_a_past_reporting_verb_joined_to_a_present_or_modal_reported_clause_is_the_first_speakers(pipeline, text,
                                                                                                   second):
    """The reported clause would say "and insist": the tenses part, so the parser's conjunct belongs to the
    reporting verb, whose speaker it shares, and is not part of the first statement."""
    first, then = pipeline(Doc.from_text(text)).analysis.quotes
    assert then.speaker.text == first.speaker.text and then.content.text == second
    assert " and " not in first.content.text


@pytest.mark.parametrize(("text", "speaker", "content"), [
    ("11:05 GMT – Opposition leader dead, prison service says\n", "prison service", "Opposition leader dead"),
    ("Ferry service halted, port authority said on Monday.", "port authority", "Ferry service halted"),
])
def test_a_verbless_statement_before_a_closing_speaker_and_cue_is_the_content(pipeline, text, speaker, content):
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.speaker.text, q.content.text) for q in quotes] == [(speaker, content)]


def test_a_closing_quotation_mark_ending_a_paragraph_stays_in_its_sentence(pipeline):
    text = 'The prime minister has said so openly: "The war cannot be won."\n\nThe talks resume today.\n'
    sentences = [s.text for s in pipeline(Doc.from_text(text)).analysis.sentences]
    assert sentences[0].endswith('won."') and '"' not in sentences[1:]


def test_a_statement_before_which_something_must_happen_has_not_been_made(pipeline):
    text = "How many more soldiers must die before Western leaders admit the obvious? The minister admitted defeat."
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [q.cue.text for q in quotes] == ["admitted"]


def test_a_transcript_s_turns_are_their_speakers_words_even_when_the_tagger_misses_the_name(analyse_with):
    text = ("Ukraine's Defence Minister Oleksiy Marchenko spoke to the Harbor Review on Tuesday.\n\n"
            "Harbor Review: Minister, how bad is the shortage of shells?\n\n"
            "Marchenko: It is serious. We have received a third of what was promised.\n\n"
            "Harbor Review: Are you worried about the front?\n\n"
            "Marchenko: Our soldiers are holding.\n")
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    turns = [(q.speaker_name, q.kind, q.sourcing.kind, q.content.text[:20]) for q in quotes if q.cue_lemma == ":"]
    assert turns == [("Harbor Review", "direct", "named", "Minister, how bad is"),
                     ("Oleksiy Marchenko", "direct", "named", "It is serious. We ha"),
                     ("Harbor Review", "direct", "named", "Are you worried abou"),
                     ("Oleksiy Marchenko", "direct", "named", "Our soldiers are hol")]
    assert all(q.cue_lemma == ":" for q in quotes)  # "Are you worried about the front?" asks, says nothing


def test_a_deadline_is_not_the_date_a_statement_was_made(pipeline):
    doc = pipeline(Doc.from_text("The partners promised a million shells by March.", published="2023-11-21"))
    assert [(q.cue.text, q.date) for q in doc.analysis.quotes] == [("promised", None)]


@pytest.mark.parametrize(("text", "speaker", "start"), [
    # according to a source whose apposition is the clause's subject
    ("According to researchers at Harbor University's Media Forensics Lab, the same network of accounts has "
     "previously spread false stories about officials buying villas.",
     "researchers at Harbor University's Media Forensics Lab", "the same network of accounts has previously spread"),
    # a statement before a titled speaker: the title is the speaker's, whatever the parser hung on it
    ("Drones hit the city of Sumy again, killing five people, including a child, the regional governor Ivan Petrenko "
     "said on Saturday.", "the regional governor Ivan Petrenko", "Drones hit the city of Sumy again"),
])
def test_the_parser_s_border_between_speaker_and_content_is_moved(pipeline, text, speaker, start):
    (q,) = pipeline(Doc.from_text(text)).analysis.quotes
    assert q.speaker.text == speaker and q.content.text.startswith(start)


@pytest.mark.parametrize("text", [
    "The grid is at risk, the report says. [emphasis, links added]",  # an editor's note
    "Fonda was castigated by locals, ambushed by a reporter and criticized by the premier.",  # a person acted on
    "She urged him to stop Zelensky, whom she described as a traitor, from speaking.",  # a relative clause's antecedent
])
def test_no_fronted_statement_where_there_is_none(pipeline, text):
    assert [q.content.text for q in pipeline(Doc.from_text(text)).analysis.quotes
            if q.cue_lemma in ("add", "castigate", "describe")] == []


def test_a_block_quotation_after_a_reporting_outlet_is_the_outlet_s_not_an_interviewee_s(analyse_with):
    text = ("Senator Mara Quist has praised the plan. Quist said the grid needs money. Quist spoke on Monday.\n\n"
            "The Harbor Examiner reported:\n\n"
            "The grant will fund a storage plant, the same one the senator opposed last year.\n")
    quotes = analyse_with("spacy", "actors", "coref", "quotes")(text).quotes
    block = next(q for q in quotes if q.content.text.startswith("The grant will fund"))
    assert block.speaker.text == "The Harbor Examiner" and block.speaker_name != "Mara Quist"


@pytest.mark.parametrize("text", ["Neither official would say when the water would return.",
                                  "Neither of them said when it would end."])
def test_neither_speaker_said_anything(pipeline, text):
    assert pipeline(Doc.from_text(text)).analysis.quotes == []


def test_an_outlet_of_the_knowledge_file_is_a_venue_whatever_the_tagger_made_of_it(pipeline):
    (q,) = pipeline(Doc.from_text("Military analyst Ivan Sorokin told RT that the strike proves escalation.")).analysis.quotes
    assert q.venue_name == "RT"


def test_one_of_the_people_is_part_of_the_unnamed_people_quoted_before(pipeline):
    text = ("Officials met secretly in Geneva last month, according to two people briefed on the talks. "
            "The meeting took place on Jan. 18, one of the people said. One of the residents said it was quiet.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.speaker_name, q.sourcing.kind) for q in quotes if q.cue.text == "said"] == [
        ("one of two people briefed on the talks", "anonymous"), ("One of the residents", "anonymous")]


def test_without_confirming_is_nothing_said_and_no_part_of_the_statement(pipeline):
    text = ('The minister said Washington was "always open to talks", without confirming the meeting. '
            "The official said the stockpile was larger, without giving figures.")
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [q.content.text for q in quotes] == ['Washington was "always open to talks"', "the stockpile was larger"]


def test_a_speaker_asked_in_an_aside_answers_and_asks_nothing(pipeline):
    text = 'Lavrov, asked about the reports at a press conference, said: "We do not comment on rumours."'
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [(q.speaker.text, q.cue.text) for q in quotes] == [("Lavrov", "said")]



def test_a_time_the_parser_hung_on_the_reported_clause_before_its_subject_is_when_it_was_said(pipeline):
    quotes = pipeline(Doc.from_text("The ministry said on Thursday it had expelled the diplomat. "
                                    "He explained how he built it.")).analysis.quotes
    assert [q.content.text for q in quotes] == ["it had expelled the diplomat", "how he built it"]


def test_a_speaker_does_not_relay_their_own_words_inside_their_statement(pipeline):
    text = ("Estonia's foreign ministry said on Thursday it had expelled a Russian diplomat, accusing him of "
            '"undermining the constitutional order".')
    quotes = pipeline(Doc.from_text(text)).analysis.quotes
    assert [[link.role for link in q.chain] for q in quotes] == [["origin", "outlet"]] * len(quotes)
