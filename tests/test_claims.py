"""The `claims` component: which sentences are claims, their sourcing, hedges and the profile."""

from __future__ import annotations

import pytest

from narrascope.extract.claims import profile
from narrascope.model import ChainLink, Claim, Quote, Sourcing, Span
from narrascope.pipeline import Doc, Pipeline, get_factory

TEXT = (
    "Is the Army Chief Secretly Negotiating?\n\n"
    "General Petro Bondar met Russian officers in Geneva on March 3, two officials said. "
    "According to these sources, the talks reportedly lasted six hours. "
    "Western analysts point out that Bondar would only sign a deal if Kyiv agreed. "
    "The ministry may have known about the meeting since February. "
    "We should never trust Moscow. "
    "Did anyone ask Bondar about it? "
    "Journalist Hanna Kovalenko wrote that the talks had stalled by April 2."
)


@pytest.fixture(scope="module")
def pipe():
    return Pipeline.from_config([{"name": n, "config": {}} for n in ("spacy", "actors", "coref")])


def run_claims(pipe, text: str, quotes: list[Quote] = ()):
    doc = pipe(Doc.from_text(text))
    doc.analysis.quotes = list(quotes)
    get_factory("claims")()(doc)
    assert doc.analysis.check_spans() == []
    return doc.analysis


def claim_at(analysis, words: str):
    hits = [c for c in analysis.claims if words in c.span.text]
    assert len(hits) == 1, (words, [c.span.text for c in analysis.claims])
    return hits[0]


def test_claims_sourcing_and_hedges_without_quotes(pipe):
    a = run_claims(pipe, TEXT)
    headline = claim_at(a, "Secretly Negotiating?")
    assert headline.hedged and headline.hedges[0].text == "Is the Army Chief Secretly Negotiating?"
    assert claim_at(a, "Geneva").sourcing.kind == "anonymous"
    according = claim_at(a, "According to these sources")
    assert according.sourcing.kind == "anonymous" and [h.text for h in according.hedges] == ["reportedly"]
    experts = claim_at(a, "point out")
    assert experts.sourcing.kind == "group" and experts.sourcing.description == "Western analysts"
    assert [h.text for h in experts.hedges] == ["would only sign a deal if"]
    ministry = claim_at(a, "The ministry may")
    assert ministry.sourcing.kind == "unattributed" and ministry.hedged
    named = claim_at(a, "Kovalenko wrote")
    assert named.sourcing.kind == "named" and named.entity_id == "hanna-kovalenko" and not named.hedged
    assert not any("trust Moscow" in c.span.text or "Did anyone" in c.span.text for c in a.claims)
    assert a.sourcing.n_claims == len(a.claims) == 6
    assert a.sourcing.anonymous == pytest.approx(2 / 6, abs=1e-3)
    assert a.sourcing.n_named_sources == 1
    total = a.sourcing.named + a.sourcing.anonymous + a.sourcing.group + a.sourcing.unattributed
    assert total == pytest.approx(1.0, abs=1e-3)


def quote(text: str, qid: str, content: str, kind: str, **fields) -> Quote:
    start = text.index(content)
    return Quote(id=qid, content=Span.of(text, start, start + len(content)), kind="indirect",
                 sourcing=Sourcing(kind=kind, description=fields.pop("description", None)), **fields)


def test_claims_take_sourcing_from_quotes(pipe):
    text = ("Reporter Ian Kerr said that two sources told him the ceasefire talks began in May. "
            "Minister Olha Savchuk said the bridge reopened on Friday.")
    relayed = quote(text, "q1", "two sources told him the ceasefire talks began in May", "named",
                    speaker_name="Ian Kerr", speaker_entity="ian-kerr",
                    chain=[ChainLink(role="origin", name="two sources", anonymous=True),
                           ChainLink(role="relay", name="Ian Kerr", entity_id="ian-kerr")])
    direct = quote(text, "q2", "the bridge reopened on Friday", "named",
                   speaker_name="Olha Savchuk", speaker_entity="olha-savchuk")
    a = run_claims(pipe, text, [relayed, direct])
    first = claim_at(a, "ceasefire")
    assert first.quote_id == "q1" and first.sourcing.kind == "anonymous" and first.entity_id is None
    second = claim_at(a, "bridge")
    assert (second.quote_id, second.sourcing.kind, second.entity_id) == ("q2", "named", "olha-savchuk")
    assert a.sourcing.n_named_sources == 1


def test_named_sources_count_every_named_speaker_by_entity_or_normalised_name():
    """Seed 004 said "1 distinct named source" while quoting four named speakers, three of them unresolved."""
    text = "The war goes on. It may end."
    span = Span.of(text, 0, 16)

    def said(qid: str, name: str, entity: str | None = None, kind: str = "named", **fields) -> Quote:
        return Quote(id=qid, content=span, kind="direct", speaker_name=name, speaker_entity=entity,
                     sourcing=Sourcing(kind=kind), **fields)

    quotes = [said("q1", "Valerii Zaluzhnyi", "valerii-zaluzhnyi"), said("q2", "the US mission to NATO"),
              said("q3", "The US Mission  to NATO"), said("q4", "Paul Mason"),
              said("q5", "Valerii Zaluzhnyi"),  # the same person, unresolved this time
              said("q6", "officials", kind="anonymous"),
              said("q7", "Ian Kerr", chain=[ChainLink(role="origin", name="two sources", anonymous=True),
                                            ChainLink(role="relay", name="Ian Kerr")])]  # relays the anonymous
    claims = [Claim(id="c1", span=span, sourcing=Sourcing(kind="named"), quote_id="q1",
                    entity_id="valerii-zaluzhnyi")]
    assert profile(claims, quotes).n_named_sources == 3
    assert profile(claims).n_named_sources == 1


def test_empty_profile():
    assert profile([]).n_claims == 0


@pytest.mark.seeds
def test_seed_000_claims(pipe, seed_texts):
    a = run_claims(pipe, seed_texts["000"])
    assert claim_at(a, "Already Negotiating?").hedged
    assert claim_at(a, "According to these sources").sourcing.kind == "anonymous"
    assert "presumably" in [h.text for h in claim_at(a, "According to these sources").hedges]
    assert claim_at(a, "These same sources insist").sourcing.kind == "anonymous"
    assert "may" in [h.text for h in claim_at(a, "The conclusion may be").hedges]
    assert a.sourcing.anonymous > 0 and a.sourcing.hedged > 0


@pytest.mark.seeds
def test_seed_000_claims_with_quotes(analyse_with, seed_texts):
    """With the real `quotes` component: Hersh's anonymous sources stay anonymous though he relays them."""
    a = analyse_with("spacy", "actors", "coref", "quotes", "claims")(seed_texts["000"])
    talks = claim_at(a, "talks on a ceasefire")
    assert talks.sourcing.kind == "anonymous" and talks.quote_id is not None
    assert claim_at(a, "These same sources insist").sourcing.kind == "anonymous"
    assert claim_at(a, "Other Russian experts").sourcing.kind == "group"
    assert claim_at(a, "former boxing champion said").entity_id == "vitali-klitschko"
    assert claim_at(a, "Already Negotiating?").hedged
    assert a.sourcing.n_named_sources >= 3 and a.sourcing.anonymous > 0.1


def test_show_counts_claims_and_sources_in_the_right_number():
    import io

    from rich.console import Console

    from narrascope.model import Analysis, Article, SourcingProfile
    from narrascope.render import print_analysis

    def shown(n_claims: int, n_sources: int) -> str:
        analysis = Analysis(article=Article(id="x", text="A claim."),
                            sourcing=SourcingProfile(n_claims=n_claims, named=1.0, n_named_sources=n_sources))
        console = Console(width=200, record=True, file=io.StringIO())
        print_analysis(analysis, console)
        return console.export_text()

    one = shown(1, 1)
    assert "1 claim —" in one and "1 distinct named source " in one  # a panel pads the line with spaces
    assert "3 claims —" in shown(3, 2) and "2 distinct named sources" in shown(3, 2)


def test_a_speaker_who_cites_no_one_is_no_named_source(pipe):
    text = ("Everyone knows that the Pentagon planned the raid in March. "
            "The evidence suggests the Kremlin knew of it by April 2.")
    everyone = quote(text, "q1", "the Pentagon planned the raid in March", "named", speaker_name="Everyone")
    evidence = quote(text, "q2", "the Kremlin knew of it by April 2", "named", speaker_name="The evidence")
    a = run_claims(pipe, text, [everyone, evidence])
    assert claim_at(a, "Everyone").sourcing.kind == "unattributed"
    inferred = claim_at(a, "evidence")
    assert inferred.sourcing.kind == "unattributed" and [h.text for h in inferred.hedges] == ["evidence suggests"]
    assert a.sourcing.n_named_sources == 0 and a.sourcing.unattributed == 1.0


def test_a_why_question_insinuates_and_a_yes_no_question_does_not(pipe):
    a = run_claims(pipe, "Talks stall\n\nWhy does Brussels refuse to listen to Moscow? Did anyone ask Brussels about it?")
    why = claim_at(a, "Why does Brussels")
    assert why.hedged and why.hedges[0].text == why.span.text and why.sourcing.kind == "unattributed"
    assert len(a.claims) == 1


def test_a_verification_disclaimer_hedges_the_claim_before_it(pipe):
    a = run_claims(pipe, "The HUR said on Monday that Russia had moved 40 launchers to Crimea. "
                         "The claim could not be independently verified. "
                         "Kyiv said 12 drones were downed, a figure that could not be verified.")
    moved = claim_at(a, "launchers")
    assert moved.hedged and [h.text for h in moved.hedges] == ["could not be independently verified"]
    assert not any("The claim could not" in c.span.text for c in a.claims)
    assert [h.text for h in claim_at(a, "12 drones").hedges] == ["could not be verified"]


def test_a_disclaimer_after_a_semicolon_hedges_its_own_sentence(pipe):
    a = run_claims(pipe, "The ministry of the town did not respond to a request from Reuters. "
                         "Officials said 12 drones hit Kharkiv on Monday; we could not confirm this.")
    assert not claim_at(a, "did not respond").hedged
    drones = claim_at(a, "12 drones")
    assert drones.hedged and [h.text for h in drones.hedges] == ["could not confirm"]


def test_open_questions_and_indications_hedge(pipe):
    a = run_claims(pipe, "Fleet moves\n\nIt remains to be seen whether the Kremlin will retaliate in May. "
                         "There are indications that Moscow is moving 4 submarines. "
                         "It is unclear whether Ankara will close the straits by June.")
    assert [h.text for h in claim_at(a, "Kremlin").hedges] == ["remains to be seen"]
    assert [h.text for h in claim_at(a, "submarines").hedges] == ["There are indications that"]
    assert [h.text for h in claim_at(a, "Ankara").hedges] == ["unclear"]


def test_an_act_or_a_denial_of_comment_is_no_attribution(pipe):
    a = run_claims(pipe, "Bounties\n\nRussian commanders have put a bounty of 5 million roubles on the unit. "
                         "Colonel Andriy Bilous showed a screenshot from a Russian channel. "
                         "The Kremlin has not commented on the bounty. "
                         "Bilous showed reporters that the channel had 40,000 followers.")
    for words in ("put a bounty", "showed a screenshot", "has not commented"):
        assert claim_at(a, words).sourcing.kind == "unattributed", words
    shown = claim_at(a, "40,000 followers")
    assert shown.sourcing.kind == "named" and shown.entity_id == "andriy-bilous"


def test_a_live_blog_time_stamp_is_no_part_of_a_claim_nor_its_number(pipe):
    a = run_claims(pipe, "Live: Odesa port\n\n11:30 Residents say they heard loud explosions near the port.\n\n"
                         "12:58 President Zelensky says Russia launched 1,200 drones at Ukraine this month.")
    assert [c.span.text for c in a.claims] == [
        "President Zelensky says Russia launched 1,200 drones at Ukraine this month."]


def test_disclaimers_of_ability_or_sharing_a_subject_hedge_the_claim_before(pipe):
    a = run_claims(pipe, "Ukraine's air force said it shot down 18 of 23 drones over Odesa. "
                         "We have not been able to independently verify this figure. "
                         "An official said Russia lost 1,200 soldiers a day near Pokrovsk. "
                         "The estimate is based on intelligence and could not be confirmed. "
                         "Moscow said 40 drones were launched at Odesa. We were unable to verify the claim. "
                         "The report said Russian artillery hit a hospital in Kherson on 12 November. "
                         "That claim was based on a post that we have since been unable to verify.")
    assert [h.text for h in claim_at(a, "18 of 23").hedges] == ["not been able to independently verify"]
    assert [h.text for h in claim_at(a, "1,200 soldiers").hedges] == ["could not be confirmed"]
    assert [h.text for h in claim_at(a, "40 drones").hedges] == ["unable to verify"]
    assert [h.text for h in claim_at(a, "hospital").hedges] == ["unable to verify"]
    assert len(a.claims) == 4


def test_media_are_a_group_though_spacy_lemmatises_them_as_medium(pipe):
    a = run_claims(pipe, "Local media said that two ships were damaged in Odesa on Monday.")
    assert claim_at(a, "two ships").sourcing.kind == "group"


def test_the_writer_and_the_outlets_own_text_are_no_source(pipe):
    text = ("Our model suggests that Russia is short of 1.5 million workers. "
            "An earlier version of this article stated that 40,000 people left Kherson in November. "
            "The original report said that Russian artillery hit a hospital in Kherson on 12 November.")
    quotes = [quote(text, "q1", "Russia is short of 1.5 million workers", "named", speaker_name="Our model"),
              quote(text, "q2", "40,000 people left Kherson in November", "anonymous",
                    speaker_name="An earlier version of this article",
                    chain=[ChainLink(role="origin", name="An earlier version of this article", anonymous=True)]),
              quote(text, "q3", "Russian artillery hit a hospital in Kherson on 12 November", "named",
                    speaker_name="The original report")]
    a = run_claims(pipe, text, quotes)
    assert [c.sourcing.kind for c in a.claims] == ["unattributed"] * 3
    assert [h.text for h in claim_at(a, "Our model").hedges] == ["model suggests"]
    assert a.sourcing.n_named_sources == 0


def test_a_why_question_after_a_conjunction_still_insinuates(pipe):
    a = run_claims(pipe, "Gas\n\nEurope imported 20 billion euros of Russian gas last year. "
                         "So why has the European Commission still not banned these imports?")
    why = claim_at(a, "So why")
    assert why.hedged and why.hedges[0].text == why.span.text and why.sourcing.kind == "unattributed"


def test_a_disclaimer_whose_subject_states_a_claim_hedges_that_claim(pipe):
    a = run_claims(pipe, "Kyiv said 12 drones were downed on Monday. "
                         "Reports that Russia used chemical weapons near Bakhmut could not be independently verified. "
                         "Claims that 300 Ukrainian soldiers died in the attack have not been confirmed.")
    assert not claim_at(a, "12 drones").hedged
    assert [h.text for h in claim_at(a, "chemical weapons").hedges] == ["could not be independently verified"]
    assert [h.text for h in claim_at(a, "300 Ukrainian").hedges] == ["have not been confirmed"]


def spoken(text: str, qid: str, content: str, speaker: str, kind: str = "direct") -> Quote:
    """A quote of ``content`` by ``speaker`` (named right after a direct quote, right before an indirect one or
    a "direct-before" one), with the word after the speaker as its cue."""
    start = text.index(content)
    who = text.index(speaker, start + len(content)) if kind == "direct" else text.rindex(speaker, 0, start)
    cue = text.find(" ", who + len(speaker)) + 1
    return Quote(id=qid, content=Span.of(text, start, start + len(content)), kind=kind.removesuffix("-before"),
                 speaker=Span.of(text, who, who + len(speaker)), speaker_name="Olena Marchuk",
                 cue=Span.of(text, cue, cue + len(text[cue:].split(" ", 1)[0].rstrip("."))), sourcing=Sourcing(kind="named"))


def test_a_quoted_line_is_a_claim_only_if_its_words_assert_something(pipe):
    """The speaker's name in the frame made greetings, slogans, questions and exhortations claims."""
    text = ('"We must stand together," President Olena Marchuk said in Lviv on Monday. '
            '"Glory to the defenders of Kharkiv!" Marchuk told the crowd. '
            '"Thank you, Warsaw!" Marchuk told the crowd in Warsaw. '
            '"Why is Brussels silent?" Marchuk asked on Monday. '
            '"Stop the shelling of Kherson now," Marchuk said. '
            '"The bridge at Zatoka reopened on 3 May," Marchuk said. '
            '"Russia must pay for the 3,000 children it deported," Marchuk said. '
            'Marchuk said that Europe must stand with Ukraine. '
            'Marchuk asked if Poland would close the border in May. '
            'Marchuk called the strike on Odesa "a war crime" on 3 May. '
            'Marchuk warned of famine if the port stays closed in May. '
            '"Look, Russia lost 300 tanks in May," Marchuk said.')
    contents = ['"We must stand together,"', '"Glory to the defenders of Kharkiv!"', '"Thank you, Warsaw!"',
                '"Why is Brussels silent?"', '"Stop the shelling of Kherson now,"',
                '"The bridge at Zatoka reopened on 3 May,"', '"Russia must pay for the 3,000 children it deported,"']
    quotes = [spoken(text, f"q{i}", c, "Marchuk") for i, c in enumerate(contents, 1)]
    quotes += [spoken(text, "q8", "that Europe must stand with Ukraine", "Marchuk", "indirect"),
               spoken(text, "q9", "if Poland would close the border in May", "Marchuk", "indirect"),
               spoken(text, "q10", '"a war crime"', "Marchuk", "direct-before"),  # a phrase, not an utterance
               spoken(text, "q11", "if the port stays closed in May", "Marchuk", "indirect"),  # a condition
               spoken(text, "q12", '"Look, Russia lost 300 tanks in May,"', "Marchuk")]  # an imperative before a statement
    a = run_claims(pipe, text, quotes)
    assert [c.span.text for c in a.claims] == [
        '"The bridge at Zatoka reopened on 3 May," Marchuk said.',
        '"Russia must pay for the 3,000 children it deported," Marchuk said.',  # an obligation over a past fact
        'Marchuk called the strike on Odesa "a war crime" on 3 May.',
        'Marchuk warned of famine if the port stays closed in May.',
        '"Look, Russia lost 300 tanks in May," Marchuk said.']
    assert [c.quote_id for c in a.claims] == ["q6", "q7", "q10", "q11", "q12"]


def test_a_quoted_line_whose_frame_asserts_something_of_its_own_stays_a_claim(pipe):
    text = '"Thank you, Warsaw!" Marchuk told the crowd, where 10,000 people had gathered on 3 May.'
    a = run_claims(pipe, text, [spoken(text, "q1", '"Thank you, Warsaw!"', "Marchuk")])
    assert [c.span.text for c in a.claims] == ["Marchuk told the crowd, where 10,000 people had gathered on 3 May."]


def test_a_plural_subjects_verb_of_saying_read_as_a_noun_still_attributes(pipe):
    """spaCy parses "Local media report that …" as a noun phrase "Local media report"."""
    a = run_claims(pipe, "Local media report that 12 drones hit Odesa on Monday. "
                         "State media claim that Ukraine lost 300 soldiers near Bakhmut. "
                         "The officials' claim that Russia lost 300 tanks in May was false.")
    for words, source in (("12 drones", "Local media"), ("300 soldiers", "State media")):
        claim = claim_at(a, words)
        assert (claim.sourcing.kind, claim.sourcing.description) == ("group", source), words
    assert claim_at(a, "300 tanks").sourcing.kind == "unattributed"


def test_a_condition_hedges_its_claim_and_a_reported_question_does_not(pipe):
    a = run_claims(pipe, "If the ceasefire holds, Ukraine will export 20 million tonnes of grain. "
                         "Assuming oil prices stay above $80, Russia will earn 200 billion dollars in 2024. "
                         "Provided that the truce holds, Kyiv will reopen 3 ports in May. "
                         "Unless NATO intervenes, Russia will take Avdiivka by March. "
                         "Peskov said Putin would visit Ankara in March if the talks went well. "
                         "Had Kyiv signed the deal, the war would have ended in 2015. "
                         "Biden said the US would intervene should China invade Taiwan. "
                         "Reporters asked if Putin would attend the summit in Beijing. "
                         "Even if Russia wins in Bakhmut, the town has no value for Moscow. "
                         "The US provided 40 tanks to Ukraine in 2023.")
    expected = {"grain": ["If the ceasefire holds"], "oil prices": ["Assuming oil prices stay above $80"],
                "3 ports": ["Provided that the truce holds"], "Avdiivka": ["Unless NATO intervenes"],
                "Ankara": ["if the talks went well"], "2015": ["Had Kyiv signed the deal"],
                "Taiwan": ["should China invade Taiwan"], "summit": [], "Bakhmut": [], "40 tanks": []}
    for words, hedges in expected.items():
        assert [h.text for h in claim_at(a, words).hedges] == hedges, words


def test_a_later_retraction_correction_or_denial_marks_the_claim_it_is_about(pipe):
    text = ("The ministry said 40 drones were downed over Kyiv on Monday. "
            "The governor of Odesa said 3 people died in the port. "
            "The ministry later corrected the figure to 14. "
            "Senator Tom Vance said Ukraine had lost 200 tanks in May. He later retracted the claim. "
            "Peskov said 300 soldiers died in Bakhmut, but later walked back the remarks. "
            "Kyiv said Russia shelled a hospital in Kherson on 12 November. Moscow denied the report. "
            "Russia withdrew its troops from Kherson in November. "
            "Russia has denied targeting civilians in Kherson. "
            "The minister has not retracted his claim that 5 bridges were destroyed in May. "
            "Kyiv said 4 ports reopened in June. Lawmakers demanded that Kyiv retract the claim. "
            "Moscow denied reports that 9 ships had sunk near Sevastopol.")
    a = run_claims(pipe, text)
    expected = {"40 drones": ("corrected", "The ministry later corrected the figure to 14"),  # its source's, not the
                "200 tanks": ("retracted", "He later retracted the claim"),                  # governor's nearer one
                "300 soldiers": ("retracted", "later walked back the remarks"),
                "hospital": ("denied", "Moscow denied the report")}
    for claim in a.claims:
        words = next((w for w in expected if w in claim.span.text), None)
        got = claim.retraction and (claim.retraction.kind, claim.retraction.span.text)
        assert got == (expected[words] if words else None), claim.span.text


def retractions_of(analysis) -> dict[str, tuple[str, str] | None]:
    """Each claim's retraction as (kind, words reporting it), by the claim's text."""
    return {c.span.text: c.retraction and (c.retraction.kind, c.retraction.span.text) for c in analysis.claims}


def test_a_retraction_paragraphs_later_marks_the_claim_its_words_or_subject_refer_back_to(pipe):
    """More than three pieces after its claim, a correction that shares the claim's words (the ministry, the
    drones) or a retraction by the claim's named source marks it; one about something else marks nothing."""
    filler = "We should never trust such numbers. Did anyone check them? Is that a surprise? Nobody asked us. "
    a = run_claims(pipe, "The ministry said 40 drones were downed over Kyiv on Monday. "
                         "Senator Tom Halvorsen said Ukraine had lost 200 tanks in May. " + filler
                   + "The ministry later corrected the number of drones to 14. Halvorsen later retracted the claim.")
    assert retractions_of(a) == {
        "The ministry said 40 drones were downed over Kyiv on Monday.":
            ("corrected", "The ministry later corrected the number of drones to 14"),
        "Senator Tom Halvorsen said Ukraine had lost 200 tanks in May.":
            ("retracted", "Halvorsen later retracted the claim"),
        "The ministry later corrected the number of drones to 14.": None, "Halvorsen later retracted the claim.": None}
    for later in ("The army later corrected the number of tanks to 150.", "He later retracted the claim."):
        unrelated = run_claims(pipe, "Kyiv said 40 drones were downed over Odesa on Monday. " + filler + later)
        assert all(c.retraction is None for c in unrelated.claims), retractions_of(unrelated)


def test_a_denials_subject_is_no_word_of_the_claim_it_denies(pipe):
    """Igor Konashenkov denies Kyiv's report, not his own claim, which shares his name."""
    a = run_claims(pipe, "Igor Konashenkov said 3 Ukrainian drones hit Belgorod. "
                         "Kyiv said Russia shelled a hospital in Kherson on 12 November. "
                         "Igor Konashenkov denied the report.")
    assert retractions_of(a)["Igor Konashenkov said 3 Ukrainian drones hit Belgorod."] is None
    assert retractions_of(a)["Kyiv said Russia shelled a hospital in Kherson on 12 November."] == (
        "denied", "Igor Konashenkov denied the report")


def test_a_figure_restated_afterwards_is_a_correction_without_a_verb_of_correcting(pipe):
    a = run_claims(pipe, "Officials said 40 people died in the strike on Dnipro. The toll was later put at 45. "
                         "Russia later raised the issue at the UN in Geneva. This article has since been updated. "
                         "The ministry said 12 drones were downed over Odesa. The figure has since been updated to 9. "
                         "Kyiv said 30 shells hit Kherson on Sunday. The toll was put at 14 by the UN.")
    got = {text: r for text, r in retractions_of(a).items() if r}
    assert got == {"Officials said 40 people died in the strike on Dnipro.":
                       ("corrected", "The toll was later put at 45"),
                   "The ministry said 12 drones were downed over Odesa.":
                       ("corrected", "The figure has since been updated to 9")}


def test_analyses_stored_before_retractions_still_load_and_show_them_when_present():
    """Schema 1.3.0 adds Claim.retraction; a 1.2.0 analysis (no such key) must still validate."""
    import io

    from rich.console import Console

    from narrascope.model import Analysis, Retraction
    from narrascope.render import print_analysis

    text = "Kyiv said 12 drones hit Odesa. Kyiv later corrected the figure to 9."
    old = {"schema_version": "1.2.0", "article": {"id": "x", "text": text},
           "claims": [{"id": "c1", "span": {"start": 0, "end": 30, "text": text[:30]},
                       "sourcing": {"kind": "named"}, "hedged": False, "hedges": [], "confidence": 1.0}],
           "sourcing": {"n_claims": 1, "named": 1.0}}
    analysis = Analysis.model_validate(old)
    assert analysis.claims[0].retraction is None and analysis.schema_version == "1.2.0"
    analysis.claims[0].retraction = Retraction(kind="corrected", span=Span.of(text, 31, len(text) - 1))
    console = Console(width=200, record=True, file=io.StringIO())
    print_analysis(analysis, console)
    assert "corrected later (Kyiv later corrected the figure to 9): Kyiv said 12 drones hit Odesa." in console.export_text()
