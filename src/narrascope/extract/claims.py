"""The ``claims`` component: checkable statements, what each rests on, and whether it is hedged.

A fact-checker's first questions about an article are "what does it assert?" and "on whose word?".
So every sentence that asserts something checkable becomes a ``Claim`` (cheap heuristics over the
existing parse: a finite verb with a subject, a name, number or date in it, not a question — except a
headline question or a "why" question, which insinuate ("Why does Brussels refuse to listen?" takes its
refusal as given) — not a verification disclaimer ("The claim could not be independently verified",
which hedges the claim before it instead) and not a normative or first-person opinion line), and gets:

* ``sourcing``: from the quote it overlaps (``analysis.quotes``, filled by ``quotes``) — the quote's
  origin decides, so a claim relayed by a named journalist from anonymous sources is *anonymous* —
  else from an attribution in the sentence itself ("according to these sources", "experts point out
  that"; not a negated cue nor one that reports an act: "He showed a screenshot"), else *unattributed*
  (the outlet's own voice) — as is a speaker that cites no one ("Everyone knows", "The evidence
  suggests": ``unsourced_speakers``), the writer ("Our model suggests") or the outlet's own text in a
  correction ("An earlier version of this article stated": ``self_references``);
* ``hedged``/``hedges``: spans from the hedge lexicon ``data/claims.yaml`` ("presumably",
  "may", "would only ... if", "could not be verified"), insinuating questions ("So why …?" too), and a
  disclaimer sentence right after the claim ("We have not been able to verify this figure", "The estimate … and
  could not be confirmed"; a disclaimer after a ";" or "and" in the claim's own sentence hedges that sentence).

A live blog's time stamp before an entry ("09:40 Governor Kiper says …") is left out of the claim's span.

``analysis.sourcing`` sums the claims up: shares by sourcing kind (they add up to 1; ``group`` is
its own share, not folded into named or anonymous), the hedged share and the number of distinct
named sources: every named source the article cites (a claim's or a quote's), counted by entity id or,
for a speaker the actors component did not resolve ("the US mission to NATO"), by normalised name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.util import filter_spans

from ..model import Claim, Quote, Sourcing, SourcingProfile, Span
from ..pipeline import Doc, registry
from .actors import read_data_yaml, resolve_span

FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "expl", "csubj"}
FIRST_PERSON = {"i", "we"}
NAMED_TYPES = {"PERSON", "ORG", "GOVERNMENT", "MILITARY", "OUTLET", "GPE"}
FIRST_PERSON_WORDS = {"i", "we", "my", "our"}  # "Our model suggests", "We estimate": the writer speaking
LEAD_CONJUNCTIONS = {"so", "and", "but", "then", "yet", "or"}  # "So why has Brussels …?" is still a "why" question
DEMONSTRATIVES = {"this", "that", "these", "those"}
TIME_STAMP = re.compile(r"\d{1,2}:\d{2}")  # a live blog's "09:40" before an entry


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    """``claims.yaml`` plus the attribution cues shared with ``quotes`` (``cues.yaml``)."""
    lex = read_data_yaml(None, "claims.yaml")
    cues = read_data_yaml(None, "cues.yaml")
    lex["speech_verbs"] = set(cues.get("speech_verbs", ())) | {"say", "tell", "claim", "report", "insist"}
    lex["anonymous_heads"] = set(cues.get("anonymous_heads", ())) | {"source", "official", "insider"}
    lex["group_heads"] = set(lex["group_heads"])
    lex["unsourced_speakers"] = set(lex.get("unsourced_speakers", ()))
    lex["act_verbs"] = set(lex.get("act_verbs", ()))
    self_refs = lex.get("self_references", {})
    lex["self_names"] = set(self_refs.get("names", ()))
    lex["self_phrases"] = tuple(f" {p} " for p in self_refs.get("phrases", ()))
    return lex


def _cites_no_one(name: str) -> bool:
    """Whether a speaker's name is no source at all: one that cites no one ("Everyone knows", "The evidence
    suggests"), the writer ("Our model suggests") or the outlet's own text ("An earlier version of this article
    stated", in a correction). What it says is the outlet's word."""
    lex, norm = _lexicon(), _normalised(name)
    return (norm in lex["unsourced_speakers"] or norm.split(" ", 1)[0] in FIRST_PERSON_WORDS
            or norm in lex["self_names"] or any(p in f" {norm} " for p in lex["self_phrases"]))


def _disclaimer_place(tok) -> str | None:
    """Where a disclaimer's verb stands in its sentence: "root" when it is the main verb ("The claim could not be
    verified", also through "We were unable to verify" / "have not been able to verify"); "back" when it is about
    what the main verb's subject refers back to — it shares that subject ("The estimate is based on intelligence
    and could not be confirmed") or the subject points back ("That claim was based on a post we have been unable
    to verify"); else None (inside a claim: "…, a figure that could not be verified"; about a claim its subject
    states: "Reports that Russia used chemical weapons could not be verified")."""
    while tok.dep_ in ("acomp", "xcomp") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "ROOT":
        subj = _subject(tok)
        states = subj is not None and any(c.dep_ in ("acl", "relcl", "ccomp") and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children) for c in subj.children)
        return None if states else "root"
    if tok.dep_ == "conj" and tok.head.dep_ == "ROOT" and not any(c.dep_ in SUBJECT_DEPS for c in tok.children):
        return "back"
    subj = _subject(tok.sent.root)
    if subj is not None and (subj.lower_ in DEMONSTRATIVES or any(
            c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in subj.children)):
        return "back"
    return None
    return lex


_MATCHERS: dict[int, Matcher] = {}


def _hedge_matcher(vocab) -> Matcher:
    """The hedge matcher, compiled once per spaCy vocabulary (i.e. once per process)."""
    matcher = _MATCHERS.get(id(vocab))
    if matcher is None:
        hedges = _lexicon()["hedges"]
        matcher = Matcher(vocab)
        matcher.add("HEDGE", [[{"LOWER": w}] for w in hedges.get("words", ())])
        matcher.add("HEDGE", [[{"LOWER": w, "TAG": "MD"}] for w in hedges.get("modals", ())])
        matcher.add("HEDGE", [[{"LOWER": w} for w in phrase] for phrase in hedges.get("phrases", ())])
        matcher.add("HEDGE", hedges.get("patterns", []))
        matcher.add("DISCLAIMER", _lexicon().get("disclaimers", []))
        _MATCHERS[id(vocab)] = matcher
    return matcher


def _subject(verb, deps: tuple[str, ...] = ("nsubj", "nsubjpass")):
    """The subject of a verb, looking through "had to recognize", "went on to promise"."""
    while True:
        subj = next((c for c in verb.children if c.dep_ in deps), None)
        if subj is not None or verb.dep_ not in ("xcomp", "advcl") or verb.head.i == verb.i:
            return subj
        verb = verb.head


def _reports(verb, act_verbs: set[str]) -> bool:
    """Whether a verb of saying attributes what the sentence claims: not negated ("The Kremlin has not
    commented"), and a verb that mostly reports an act ("Russian commanders have put a bounty on the unit", "He
    showed a screenshot", "Asked about it, the volunteer shrugged": ``act_verbs``) only with a reported clause
    ("showed that …"). Otherwise the sentence is the writer's report of the act."""
    deps = {c.dep_ for c in verb.children}
    return "neg" not in deps and (verb.lemma_ not in act_verbs or bool(deps & {"ccomp", "parataxis"}))


def _pieces(sdoc):
    """Sentences, further split at line breaks (spaCy joins a headline to the next line), without a live
    blog's time stamp before an entry ("09:40 Governor Kiper says …": the stamp is neither claim nor number)."""
    for sent in sdoc.sents:
        run = []
        for tok in sent:
            if tok.is_space and "\n" in tok.text:
                if run:
                    yield run
                run = []
            elif not tok.is_space and (run or not TIME_STAMP.fullmatch(tok.text)):
                run.append(tok)
        if run:
            yield run


class ClaimsComponent:
    """Finds claims, their sourcing and hedges; see the module docstring."""

    english_only = True
    version = "1.4"

    def __init__(self, min_words: int = 4):
        self.min_words = min_words
        self.lex = _lexicon()

    # ---- which sentences are claims

    def _is_opinion(self, run) -> bool:
        def main_verb(tok) -> bool:  # heads the piece (a headline line may share a spaCy sentence)
            return tok.head.i == tok.i or not run[0].i <= tok.head.i <= run[-1].i

        for tok in run:
            if tok.lower_ in self.lex["normative_modals"] and tok.dep_ == "aux" and main_verb(tok.head):
                return True
            if tok.lemma_ in self.lex["normative_verbs"] and main_verb(tok) and any(
                c.dep_ == "xcomp" for c in tok.children
            ):
                return True
            if tok.lemma_ in self.lex["opinion_verbs"]:
                subj = _subject(tok)
                if subj is not None and subj.lower_ in FIRST_PERSON:
                    return True
        return False

    @staticmethod
    def _insinuates(run, headline: bool) -> bool:
        """A question that insinuates its answer: a headline question, or a "why" question, which presupposes
        what it asks about ("Why does Brussels refuse to listen?"). Other questions assert nothing."""
        first = next((t for t in run if not t.is_punct and t.lower_ not in LEAD_CONJUNCTIONS), run[0])
        return run[-1].text == "?" and (headline or first.lower_ == "why")

    def _is_claim(self, run, start: int, end: int, headline: bool, mentioned) -> bool:
        """Cheap test for a checkable assertion; ``mentioned(start, end)`` says if an actor is named."""
        if sum(t.is_alpha for t in run) < self.min_words:
            return False
        if run[-1].text == "?" and not self._insinuates(run, headline):
            return False
        if not any(t.tag_ in FINITE_TAGS for t in run):
            return False
        if not headline and not any(t.dep_ in SUBJECT_DEPS for t in run):
            return False
        if not (mentioned(start, end) or any(t.ent_type_ or t.like_num for t in run)):
            return False
        return headline or not self._is_opinion(run)

    # ---- what a claim rests on

    @staticmethod
    def _quote_for(quotes: list[Quote], start: int, end: int) -> Quote | None:
        """The quote whose content overlaps the claim: one with a known speaker before one without,
        then the innermost (a relayed quote beats its relay)."""
        hits = [q for q in quotes if q.content.start < end and q.content.end > start]
        return min(hits, key=lambda q: (q.sourcing.kind == "unattributed", q.content.end - q.content.start,
                                        q.parent_id is None), default=None)

    @staticmethod
    def _from_quote(quote: Quote) -> tuple[Sourcing, str | None]:
        if quote.speaker_entity is None and _cites_no_one(quote.speaker_name or ""):
            return Sourcing(kind="unattributed"), None  # "Everyone knows …": the writer's word, not a source's
        origin = next((link for link in quote.chain if link.role == "origin"), None)
        if origin is not None and origin.anonymous:
            desc = quote.sourcing.description or origin.name
            return Sourcing(kind="anonymous", description=desc), None
        entity = quote.speaker_entity if quote.sourcing.kind == "named" else None
        return quote.sourcing, entity

    def _source_phrase(self, run):
        """The speaker phrase of an attribution inside the sentence, as its head token, or None."""
        for tok in run:
            if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
                obj = next((c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
            if tok.pos_ == "VERB" and tok.lemma_ in self.lex["speech_verbs"] and _reports(tok, self.lex["act_verbs"]):
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                subj = by or _subject(tok, ("nsubj",))  # "he was not asked": the addressee is no source
                if subj is not None:
                    return subj
        return None

    def _from_sentence(self, analysis, run) -> tuple[Sourcing, str | None]:
        head = self._source_phrase(run)
        if head is None:
            return Sourcing(kind="unattributed"), None
        phrase = head.doc[head.left_edge.i : head.right_edge.i + 1]
        entity = resolve_span(analysis, head.idx, head.idx + len(head.text))
        if entity is not None and entity.type in NAMED_TYPES:
            return Sourcing(kind="named", description=entity.name), entity.id
        lemma = head.lemma_.lower()
        if self.lex["group_heads"] & {lemma, head.lower_} and (  # "media": spaCy's lemma is "medium"
                head.tag_ == "NNS" or lemma not in self.lex["anonymous_heads"]):
            return Sourcing(kind="group", description=phrase.text), None
        if lemma in self.lex["anonymous_heads"]:
            return Sourcing(kind="anonymous", description=phrase.text), None
        return Sourcing(kind="unattributed"), None

    # ---- main

    def __call__(self, doc: Doc) -> Doc:
        sdoc, analysis = doc.nlp, doc.analysis
        if sdoc is None:
            raise ValueError("the 'claims' component needs the 'spacy' component before it")
        text = doc.text
        title_end = text.find("\n") if "\n" in text else len(text)
        hedge_spans = filter_spans(_hedge_matcher(sdoc.vocab)(sdoc, as_spans=True))
        placed = [(h, _disclaimer_place(h.root)) for h in hedge_spans if h.label_ == "DISCLAIMER"]
        spans = sorted((m.start, m.end) for e in analysis.entities for m in e.mentions if m.entity_id)

        def mentioned(start: int, end: int) -> bool:
            return any(s < end and e > start for s, e in spans)

        claims: list[Claim] = []
        for run in _pieces(sdoc):
            start, end = run[0].idx, run[-1].idx + len(run[-1].text)
            headline = end <= title_end and run[-1].text == "?"
            inside = [(h, place) for h, place in placed if start <= h.start_char and h.end_char <= end]
            disclaimer = next((h for h, place in inside if place == "root"), None)
            if disclaimer is not None and any(t.text in (";", ":") or t.dep_ == "cc" for t in run
                                              if t.idx < disclaimer.start_char):
                disclaimer = None  # "Some users claimed X; we could not confirm this": of its own first clause
            is_claim = self._is_claim(run, start, end, headline, mentioned)
            if disclaimer is None and not is_claim:  # "The estimate … and could not be confirmed": of a claim before
                disclaimer = next((h for h, place in inside if place == "back"), None)
            if disclaimer is not None:  # "The claim could not be independently verified.": of the claim before
                if claims:
                    last = claims[-1]
                    claims[-1] = last.model_copy(update={"hedged": True, "hedges": [
                        *last.hedges, Span.of(text, disclaimer.start_char, disclaimer.end_char)]})
                continue
            if not is_claim:
                continue
            question = run[-1].text == "?"  # an insinuating one (``_insinuates``): the writer's, whoever it names
            quote = None if question else self._quote_for(analysis.quotes, start, end)
            if quote is not None:
                sourcing, entity_id = self._from_quote(quote)
            else:
                sourcing, entity_id = (Sourcing(kind="unattributed"), None) if question else self._from_sentence(
                    analysis, run)
            hedges = [Span.of(text, h.start_char, h.end_char) for h in hedge_spans
                      if h.start_char >= start and h.end_char <= end]
            if question:  # it hedges what it does not assert
                hedges.insert(0, Span.of(text, start, end))
            claims.append(Claim(
                id=f"c{len(claims) + 1}", span=Span.of(text, start, end), sourcing=sourcing,
                quote_id=quote.id if quote else None, entity_id=entity_id, hedged=bool(hedges), hedges=hedges,
                confidence=quote.confidence if quote else 0.8,
            ))
        analysis.claims = claims
        analysis.sourcing = profile(claims, analysis.quotes)
        return doc


def profile(claims: list[Claim], quotes: Iterable[Quote] = ()) -> SourcingProfile:
    """Shares of claims by sourcing kind, hedged share, and distinct named sources (of the claims and of
    the quotes: a named speaker whose words make no claim of their own is still a source the article cites)."""
    n = len(claims)
    if n == 0:
        return SourcingProfile()

    def share(kind: str) -> float:
        return round(sum(c.sourcing.kind == kind for c in claims) / n, 4)

    sources = [(c.entity_id, c.sourcing.description) for c in claims if c.sourcing.kind == "named"]
    for quote in quotes:
        sourcing, entity_id = ClaimsComponent._from_quote(quote)  # a named relay of anonymous sources is none
        if sourcing.kind == "named":
            sources.append((entity_id, quote.speaker_name or sourcing.description))
    return SourcingProfile(
        n_claims=n, named=share("named"), anonymous=share("anonymous"), unattributed=share("unattributed"),
        group=share("group"), hedged=round(sum(c.hedged for c in claims) / n, 4),
        n_named_sources=_count_sources(sources),
    )


def _normalised(name: str) -> str:
    """"The US Mission to NATO" and "the US mission to NATO" are one source."""
    words = name.casefold().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _count_sources(sources: list[tuple[str | None, str | None]]) -> int:
    """Distinct sources among ``(entity id, name)`` pairs: by id when there is one, else by normalised name;
    a name-only source whose name is that of a resolved one (a resolved speaker's name is its entity's
    canonical name) is that source again."""
    ids = {entity_id for entity_id, _ in sources if entity_id}
    resolved_names = {_normalised(name) for entity_id, name in sources if entity_id and name}
    names = {_normalised(name) for entity_id, name in sources if not entity_id and name and name.strip()}
    return len(ids) + len(names - resolved_names)


@registry.components.register("claims")
def make_claims(min_words: int = 4) -> ClaimsComponent:
    return ClaimsComponent(min_words=min_words)
