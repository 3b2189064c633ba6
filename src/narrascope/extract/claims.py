"""The ``claims`` component: checkable statements, what each rests on, and whether it is hedged.

A fact-checker's first questions about an article are "what does it assert?" and "on whose word?".
So every sentence that asserts something checkable becomes a ``Claim`` (cheap heuristics over the
existing parse: a finite verb with a subject, a name, number or date in it, not a question — except a
headline question or a "why" question, which insinuate ("Why does Brussels refuse to listen?" takes its
refusal as given) — not a verification disclaimer ("The claim could not be independently verified",
which hedges the claim before it instead) and not a normative or first-person opinion line; a quoted line only
if the quoted words assert something: not a question, an imperative, a verbless greeting or slogan, nor an
obligation over no past fact — "'We must stand together,' Marchuk said" is none, though it names her), and gets:

* ``sourcing``: from the quote it overlaps (``analysis.quotes``, filled by ``quotes``) — the quote's
  origin decides, so a claim relayed by a named journalist from anonymous sources is *anonymous* —
  else from an attribution in the sentence itself ("according to these sources", "experts point out
  that", "Local media report that" though spaCy reads "report" as a noun; not a negated cue nor one that
  reports an act: "He showed a screenshot"), else *unattributed*
  (the outlet's own voice) — as is a speaker that cites no one ("Everyone knows", "The evidence
  suggests": ``unsourced_speakers``), the writer ("Our model suggests") or the outlet's own text in a
  correction ("An earlier version of this article stated": ``self_references``);
* ``hedged``/``hedges``: spans from the hedge lexicon ``data/claims.yaml`` ("presumably",
  "may", "would only ... if", "could not be verified"), condition clauses ("If the ceasefire holds",
  "assuming oil prices stay above $80", "unless NATO intervenes", "should China invade"; not a reported
  question: "asked if"), insinuating questions ("So why …?" too), and a
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
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.util import filter_spans

from ..model import Claim, Quote, Retraction, Sourcing, SourcingProfile, Span
from ..pipeline import Doc, registry
from .actors import read_data_yaml, resolve_span
from .quotes import misread_cue

FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "expl", "csubj"}
FIRST_PERSON = {"i", "we"}
NAMED_TYPES = {"PERSON", "ORG", "GOVERNMENT", "MILITARY", "OUTLET", "GPE"}
FIRST_PERSON_WORDS = {"i", "we", "my", "our"}  # "Our model suggests", "We estimate": the writer speaking
LEAD_CONJUNCTIONS = {"so", "and", "but", "then", "yet", "or"}  # "So why has Brussels …?" is still a "why" question
DEMONSTRATIVES = {"this", "that", "these", "those"}
TIME_STAMP = re.compile(r"\d{1,2}:\d{2}")  # a live blog's "09:40" before an entry
REPORTED_QUESTION = {"if", "whether"}  # "asked if Putin would attend": a yes/no question, no assertion
IMPERATIVE_LEAD = {"please", "just", "never", "now", "so", "and", "but", "oh", "then"}  # "Please stop", "Never give up"
POINTING_BACK = {"it", "this", "that", "these", "those"}  # "He later retracted it", "This has been corrected"
RETRACTION_KINDS = ("retracted", "corrected", "denied")
DEFINITE = {"the"} | POINTING_BACK
RETRACTION_REACH = 3  # a retraction sentence without words of its claim is about one of this many pieces before it
REFERRING_MAX_CLAIMS = 2  # a word more earlier claims share is the article's topic, no pointer to one claim
REFERRING_MIN_SHARED = 2  # words a retraction must share with a claim to be about it, wherever it is


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
    cond = lex.setdefault("conditions", {})
    for key in ("markers", "participles", "inverted", "not_after", "question_words"):
        cond[key] = set(cond.get(key, ()))
    cond["phrases"] = [tuple(p) for p in cond.get("phrases", ())]
    cond["phrase_starts"] = {p[0] for p in cond["phrases"]}
    cond["openers"] = cond["markers"] | cond["participles"] | cond["inverted"] | cond["phrase_starts"]
    lex["retractions"] = {key: set(words) for key, words in lex.get("retractions", {}).items()}
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


def _clause(tok) -> bool:
    """Whether ``tok`` heads a finite clause with a subject ("people had gathered", "it deported")."""
    return any(c.dep_ in SUBJECT_DEPS for c in tok.children) and (tok.tag_ in FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in tok.children))


def _states_a_fact(verb, inside: set[int]) -> bool:
    """Whether a clause of its own under ``verb`` (within the token indices ``inside``) states a past fact, so
    an obligation over it is not a mere opinion: "Russia must pay for the 3,000 children it deported / has
    deported". A present-tense clause is mostly another judgement ("which looks like a masterstroke", "one has
    to live with one's neighbours"), a future one no fact yet."""
    def past(t) -> bool:
        return t.tag_ == "VBD" or (t.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in t.children))

    return any(t.i != verb.i and t.i in inside and past(t) and any(c.dep_ in SUBJECT_DEPS for c in t.children)
               for t in verb.subtree)


def _subject(verb, deps: tuple[str, ...] = ("nsubj", "nsubjpass")):
    """The subject of a verb, looking through "had to recognize", "went on to promise"."""
    while True:
        subj = next((c for c in verb.children if c.dep_ in deps), None)
        if subj is not None or verb.dep_ not in ("xcomp", "advcl") or verb.head.i == verb.i:
            return subj
        verb = verb.head


def _inverted(aux, verb) -> bool:
    """Whether an auxiliary opens its clause before the subject, as a condition does without "if" ("should
    China invade", "Had Kyiv implemented", "Were Beijing to attack")."""
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None or subj.i < aux.i or verb.left_edge.i != aux.i:
        return False
    if verb.i != aux.i:  # the auxiliary of a verb after the subject: "should China invade"
        return verb.i > subj.i
    return any(c.i > subj.i and any(a.lower_ == "to" for a in c.children) for c in aux.children)  # "Were Beijing to"


def _clause_end(run, k: int, verb) -> int:
    """Index in ``run`` of the last word of the subordinate clause that ``run[k]`` opens and ``verb`` heads:
    the verb's subtree up to a coordinated clause with a subject of its own ("if dollar payments fail | but
    Fitch has said …"); when spaCy hangs the clause on the main verb, up to the next punctuation mark."""
    last = next((j - 1 for j in range(k + 1, len(run)) if run[j].is_punct and run[j].text not in "-'’%"), len(run) - 1)
    if verb.dep_ != "ROOT" and verb.i >= run[k].i and verb.head.i != verb.i:
        edge = verb.right_edge.i
        cut = next((t.i - 1 for t in run[k + 1 :] if t.i <= edge and t.dep_ == "cc" and t.head.i == verb.i and any(
            c.dep_ == "conj" and _subject(c, tuple(SUBJECT_DEPS)) is not None for c in verb.children if c.i > t.i)), edge)
        last = next((j for j in range(len(run) - 1, k, -1) if run[j].i <= cut), k)
    while last > k and run[last].is_punct:
        last -= 1
    return last


def _objects(verb) -> list:
    """What a verb of retracting is about: its object or passive subject, or what it backtracked "on"."""
    return [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")] + [
        g for c in verb.children if c.dep_ == "prep" and c.lower_ == "on" for g in c.children if g.dep_ == "pobj"]


def _subtree(tok):
    """The phrase a token heads."""
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1]


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
    version = "1.7"

    def __init__(self, min_words: int = 4):
        self.min_words = min_words
        self.lex = _lexicon()
        retractions = self.lex["retractions"]
        # the lemmas that can make a retraction (``_retraction`` checks every verb of every sentence)
        self._retraction_lemmas = frozenset().union(
            *(retractions.get(k, ()) for k in (*RETRACTION_KINDS, "back_verbs")), retractions["restated"])

    # ---- which sentences are claims

    def _is_opinion(self, tokens) -> bool:
        """A normative line ("we should never underestimate", "The West needs to help") or a first-person
        attitude ("I believe"). ``tokens`` is a piece or the quoted words in it; a modal counts on the verb
        that heads them. An obligation with a finite clause of its own under it ("Russia must pay for the
        3,000 children it deported") still asserts that clause, so it is no mere opinion; a need under a modal
        ("emissions would need to fall by 3 percent", "will need to") is a conditional or predicted requirement."""
        inside = {t.i for t in tokens}

        def main_verb(tok) -> bool:  # heads the tokens (a headline line may share a spaCy sentence)
            return tok.head.i == tok.i or tok.head.i not in inside

        for tok in tokens:
            if tok.lower_ in self.lex["normative_modals"] and tok.dep_ == "aux" and main_verb(tok.head) and not (
                    _inverted(tok, tok.head) or _states_a_fact(tok.head, inside)):  # "should China invade": a condition
                return True
            if tok.lemma_ in self.lex["normative_verbs"] and main_verb(tok) and any(
                c.dep_ == "xcomp" for c in tok.children
            ) and not any(c.tag_ == "MD" for c in tok.children) and not _states_a_fact(tok, inside):
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

    @staticmethod
    def _spoken(run, quotes: list[Quote]) -> list | None:
        """The words a speaker is quoted with in this piece, when the piece says nothing else of its own.

        A quoted line's frame ("…," Zelensky said in Kyiv) names the speaker, which made the old test take a
        greeting or an exhortation for a claim ("'We must stand together,' Zelensky said"). Whether such a line
        asserts anything is up to the quoted words (``_asserts``). The frame says something of its own when a
        clause of its own is left besides the speaker, the verb of saying, the venue and the date ("The FIO will
        use the data to determine whether …", "…, Scholz told the crowd, where 10,000 people had gathered"):
        then the piece is tested as a whole (returns None, as for a piece without a speaker's quote). A piece
        that is only the frame of words quoted in the piece before ("Orban asked on Monday.") gives an empty
        list: it asserts nothing."""
        start, end = run[0].idx, run[-1].idx + len(run[-1].text)
        ours = [q for q in quotes if (q.speaker is not None or q.speaker_name) and any(
            s is not None and s.start < end and s.end > start for s in (q.content, q.speaker, q.cue))]
        if not ours:
            return None
        contents = [(q.content.start, q.content.end) for q in ours]
        frame = contents + [(s.start, s.end) for q in ours for s in (q.speaker, q.cue, q.venue, q.date_span)
                            if s is not None]

        def within(tok, ranges) -> bool:
            return any(s <= tok.idx < e for s, e in ranges)

        own = [t for t in run if not t.is_punct and not within(t, frame)]
        if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass") and any(
                c.dep_ in SUBJECT_DEPS for c in t.children) for t in own):
            return None
        return [t for t in run if within(t, contents)]

    def _asserts(self, words, direct: bool) -> bool:
        """Whether quoted words state something, by their grammar: not a question ("Why is Europe silent?",
        reported: "asked if Putin would attend", not "warned of consequences if the world fails"; verbatim, "If …"
        opens a condition), and, for words quoted verbatim, not an imperative ("Stop the war", "Thank you",
        "Don't give up") nor a verbless utterance set off by its own punctuation (a greeting or slogan: "Glory to
        Ukraine!"; a phrase quoted inside the writer's sentence, "chanted “anti-fossil fuels slogans” during …",
        is no utterance). Words reported in the writer's paraphrase may be a noun phrase that still reports a
        fact ("officials reported heavy fighting near Avdiivka"), so only direct quotes need a verb."""
        body = [t for t in words if not (t.is_punct or t.is_space)]
        if not body:
            return False
        if next((t.text for t in reversed(words) if t.text in (".", "!", "?")), None) == "?":
            return False
        if not direct:  # "if" opening the reported clause itself, not a condition inside it ("If … , it would …")
            first = body[0]
            return not (first.lower_ in REPORTED_QUESTION and first.dep_ == "mark" and self._asks(first))
        ending = next((t for t in reversed(words) if not t.is_quote), None)
        if not any(t.pos_ in ("VERB", "AUX") for t in body) and ending is not None and ending.is_punct:
            return False
        lead = next((t for t in body if t.lower_ not in IMPERATIVE_LEAD and t.dep_ not in ("aux", "neg")), body[0])
        imperative = lead.tag_ in ("VB", "VBP") and lead.pos_ in ("VERB", "AUX") and not any(
            c.dep_ in SUBJECT_DEPS or (c.dep_ == "aux" and c.lower_ == "to") for c in lead.children)
        return not imperative or any(_clause(t) for t in body)  # "Look, if we planned any war, …": it states

    def _is_claim(self, run, start: int, end: int, headline: bool, mentioned, quotes: list[Quote]) -> bool:
        """Cheap test for a checkable assertion; ``mentioned(start, end)`` says if an actor is named. A quoted
        line is one only if its quoted words assert something (``_spoken``, ``_asserts``, ``_is_opinion``)."""
        if sum(t.is_alpha for t in run) < self.min_words:
            return False
        if run[-1].text == "?" and not self._insinuates(run, headline):
            return False
        if not any(t.tag_ in FINITE_TAGS for t in run):
            return False
        if not headline and not any(t.dep_ in SUBJECT_DEPS for t in run):
            return False
        words = self._spoken(run, quotes)
        if words is not None and not (words and self._asserts(words, self._verbatim(words[0], quotes))
                                      and not self._is_opinion(words)):
            return False
        if not (mentioned(start, end) or any(t.ent_type_ or t.like_num for t in run)):
            return False
        return headline or not self._is_opinion(run)

    @staticmethod
    def _verbatim(tok, quotes: list[Quote]) -> bool:
        """Whether a token is in a direct quote's words."""
        return any(q.kind == "direct" and q.content.start <= tok.idx < q.content.end for q in quotes)

    # ---- how firmly

    def _conditions(self, run, hedged: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Character ranges of the condition clauses in a piece ("If the ceasefire holds", "assuming oil prices
        stay above $80", "unless NATO intervenes", inverted: "should China invade Taiwan", "Had Kyiv implemented
        the agreements"), from the word that opens the clause to its end (``_clause_end``). A condition opened
        inside a lexicon hedge (``hedged``: "would only sign a deal if") is that hedge's. See ``conditions`` in
        ``claims.yaml`` for what is no condition."""
        cond, found = self.lex["conditions"], []
        for k, tok in enumerate(run):
            if tok.lower_ not in cond["openers"]:  # most words: checked first, as the claims step runs on every sentence
                continue
            prev, nxt = (run[k - 1] if k else None), (run[k + 1] if k + 1 < len(run) else None)
            if nxt is None or any(s <= tok.idx < e for s, e in hedged):
                continue
            verb = tok.head
            if tok.lower_ in cond["markers"]:  # not "if you're shaking your head, just know": the telling's
                opens = (nxt.is_alpha and nxt.lower_ not in ("any", "you") and not self._asks(tok)
                         and not (prev is not None and prev.lower_ in cond["not_after"]))
            elif tok.lower_ in cond["participles"]:  # "Provided that …", not "The US provided 40 tanks"
                verb = tok
                opens = tok.tag_ in ("VBG", "VBN") and (prev is None or prev.is_punct or prev.dep_ == "cc") and (
                    nxt.lower_ == "that" or any(t.dep_ in SUBJECT_DEPS for t in tok.subtree))
            elif tok.lower_ in cond["inverted"]:
                verb = tok if any(c.dep_ in SUBJECT_DEPS for c in tok.children) else tok.head
                opens = _inverted(tok, verb) and not any(t.text == "?" for t in run[k:])
            elif tok.lower_ in cond["phrase_starts"]:
                phrase = next((p for p in cond["phrases"] if tuple(t.lower_ for t in run[k : k + len(p)]) == p), None)
                opens = phrase is not None
                verb = run[min(k + len(phrase), len(run)) - 1].head if phrase else verb
            else:
                continue
            if opens:
                last = _clause_end(run, k, verb)
                if last > k:
                    found.append((tok.idx, run[last].idx + len(run[last].text)))
        return found

    def _asks(self, mark) -> bool:
        """Whether an "if" clause reports a yes/no question: a clausal complement ("asked if Putin would
        attend"), or the clause of a word that takes one ("wondered if", "It is unclear if"; spaCy often
        attaches those as adverbial clauses), looking past an addressee ("asked him if") and "not"."""
        words = self.lex["conditions"]["question_words"]
        asking = mark.head.head
        if mark.head.dep_ in ("ccomp", "csubj") or (asking.i < mark.i and asking.lemma_.lower() in words):
            return True  # "asked the ministry if …": the clause hangs on the asking verb past its object
        j = mark.i - 1
        while j >= mark.sent.start and mark.doc[j].tag_ in ("PRP", "RB"):
            j -= 1
        return j >= mark.sent.start and mark.doc[j].lemma_.lower() in words

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
        """The speaker phrase of an attribution inside the sentence, as ``(head token, phrase)``, or None."""
        for tok in run:
            if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
                obj = next((c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return obj, _subtree(obj)
            if tok.pos_ == "VERB" and tok.lemma_ in self.lex["speech_verbs"] and _reports(tok, self.lex["act_verbs"]):
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
                passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
                subj = by or (None if passive else _subject(tok, ("nsubj",)))  # "he was not asked", "has been said
                # to": the addressee or the sentence's other subject is no source
                if subj is not None:
                    return subj, _subtree(subj)
            # "Local media report that …" with "report" read as a noun (the quotes component's test, shared)
            if (misread := misread_cue(tok, self.lex["speech_verbs"])) is not None:
                subject, phrase = misread
                return subject, tok.doc[phrase[0].i : phrase[-1].i + 1]
        return None

    def _from_sentence(self, analysis, run) -> tuple[Sourcing, str | None]:
        found = self._source_phrase(run)
        if found is None:
            return Sourcing(kind="unattributed"), None
        head, phrase = found
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

    # ---- taken back later

    def _retraction(self, run, text: str) -> tuple[Retraction, object, bool] | None:
        """A report in this piece that a statement was retracted, corrected or denied (``retractions`` in
        ``claims.yaml``), as ``(retraction, its verb, whether it is about this piece's own claim)``: a verb of
        retracting, not negated, whose object or passive subject is a statement ("the figure", "his remarks") or
        points back (``_points_back``); or a figure restated afterwards, a correction without a verb of
        correcting ("The toll was later put at 14", "The figure has since been updated": ``restated`` with an
        ``afterwards`` word, about one of ``quantities``). As the piece's main verb it is about a claim before
        ("He later retracted the claim."); coordinated with the claim's verb or in a "before" clause, about the
        piece's own ("Peskov said 300 soldiers died, but later walked back the remarks"); elsewhere, or under a
        modal, it reports no retraction ("demanded that the Met Office retracts the claim", "a lie that must be
        refuted")."""
        lex, inside = self.lex["retractions"], {t.i for t in run}
        for tok in run:
            if tok.pos_ != "VERB" or tok.lemma_ not in self._retraction_lemmas or any(
                    c.dep_ == "neg" for c in tok.children):
                continue
            kind = next((k for k in RETRACTION_KINDS if tok.lemma_ in lex.get(k, ())), None)
            if kind is None and tok.lemma_ in lex.get("back_verbs", ()) and any(
                    c.lower_ == "back" and c.dep_ in ("prt", "advmod") for c in tok.children):
                kind = "retracted"
            restated = kind is None and tok.lemma_ in lex["restated"] and any(
                c.dep_ == "advmod" and c.lower_ in lex["afterwards"] for c in tok.children)
            if restated:
                kind = "corrected"
            if kind is None:
                continue
            objects = _objects(tok)
            if restated:  # "Russia later raised the issue": no figure, no correction
                objects = [o for o in objects if o.lemma_.lower() in lex["quantities"]]
            if any(c.tag_ == "MD" for c in tok.children) or not any(self._points_back(o) for o in objects):
                continue  # "a lie that must be refuted", "would retract": no report that it was
            main = tok.head.i == tok.i or tok.head.i not in inside or (tok.dep_ == "xcomp" and (
                tok.head.head.i == tok.head.i or tok.head.head.i not in inside))  # "has continued to deny the claims"
            own = tok.dep_ == "conj" or (tok.dep_ == "advcl" and any(c.lower_ == "before" for c in tok.children))
            if not (main or own):
                continue  # "demanded that the Met Office retracts the claim", "after it revised its figures"
            words = [t for t in tok.subtree if t.i in inside] if own else list(run)
            while words and (words[0].is_punct or words[0].dep_ == "cc"):
                words.pop(0)
            while words and words[-1].is_punct:
                words.pop()
            span = Span.of(text, words[0].idx, words[-1].idx + len(words[-1].text))
            return Retraction(kind=kind, span=span), tok, own
        return None

    def _points_back(self, obj) -> bool:
        """Whether a retraction's object is a statement made before: a pronoun ("He later retracted it", "This
        has been corrected"; not a relative "that") or a statement noun with a definite, demonstrative or
        possessive determiner and no content of its own ("the figure", "those claims", "Moscow's claims"; not
        "denied reports of plans to …", "denied claims that …": those state what is denied). A quantity's "of" says
        what was counted, not what was stated: "corrected the number of drones" points back."""
        if obj.lower_ in POINTING_BACK:
            return obj.tag_ in ("PRP", "DT")
        lemma, lex = obj.lemma_.lower(), self.lex["retractions"]
        about = ("about",) if lemma in lex["quantities"] else ("of", "about")
        return lemma in lex["statements"] and any(
            (c.dep_ == "det" and c.lower_ in DEFINITE) or c.dep_ == "poss" for c in obj.children) and not any(
            c.dep_ in ("acl", "relcl", "ccomp") or (c.dep_ == "prep" and c.lower_ in about) for c in obj.children)

    def _retracted(self, analysis, claims: list[Claim], runs: list, recent: list[int], verb,
                   kind: str) -> int | None:
        """Index of the claim a retraction in a later piece is about (``runs``: each claim's piece): the one the
        words of its object and subject refer back to (``_referred``: "the number of drones", "The ministry"; not
        a denial's subject, mostly another party, nor the rest of the sentence, "…, citing remarks by …"), however
        far back; else, for a retraction or correction (a denial is mostly another party's), the nearest claim
        from the retraction's subject ("The ministry later corrected the figure": the ministry's own claim) —
        among ``recent`` (claims of the few pieces before) one from its entity, speaker or source or naming it,
        beyond them one from its source only ("Halvorsen later retracted the claim" paragraphs after Senator
        Halvorsen's; a name in a claim's words is no sign there); else the nearest of ``recent``, if any."""
        subj = _subject(verb, ("nsubj",))
        words = [t for o in _objects(verb) for t in o.subtree]
        if subj is not None and kind != "denied":
            words.extend(subj.subtree)
        referred = self._referred(runs, words)
        if referred is not None:
            return referred
        if subj is not None and kind != "denied":
            entity = resolve_span(analysis, subj.idx, subj.idx + len(subj.text))
            name = _normalised(_subtree(subj).text)
            speakers = {q.id: q.speaker_name for q in analysis.quotes}

            def source(c: Claim) -> bool:
                return (entity is not None and c.entity_id == entity.id) or name in {
                    _normalised(n) for n in (c.sourcing.description, speakers.get(c.quote_id or "")) if n}

            same = [i for i in recent if source(claims[i]) or (
                subj.pos_ != "PRON" and f" {name} " in f" {_normalised(claims[i].span.text)} ")]
            same = same or [i for i, c in enumerate(claims) if source(c)]
            if same:
                return same[-1]
        return recent[-1] if recent else None

    def _referred(self, runs: list, words) -> int | None:
        """Index of the earlier claim (``runs``: each claim's piece) that a retraction's ``words`` refer back to:
        the one sharing the most of their numbers, names and nouns (``_content``) that at most
        ``REFERRING_MAX_CLAIMS`` earlier claims have (what most claims share, "Ukraine", is the article's topic,
        not a pointer), if it shares ``REFERRING_MIN_SHARED`` (a correction paragraphs later: "The ministry later
        corrected the number of drones to 14" for the ministry's drones six sentences up; one shared word,
        "Moscow's claims" and a claim by "Moscow's envoy", is too little). Ties go to the nearest."""
        mine = self._content(words)
        if len(mine) < REFERRING_MIN_SHARED:
            return None
        shared = [self._content(r) & mine for r in runs]
        counts = Counter(w for found in shared for w in found)
        best, best_score = None, 0
        for i, found in enumerate(shared):
            score = sum(counts[w] <= REFERRING_MAX_CLAIMS for w in found)
            if score >= max(best_score, REFERRING_MIN_SHARED):
                best, best_score = i, score
        return best

    def _content(self, tokens) -> set[str]:
        """What a piece is about, to tell which claim a retraction means: its numbers (not dates), names and
        nouns, as lower-case lemmas; not stop words ("one") nor the nouns that only point at a statement ("the
        claim", "the figure": ``statements``)."""
        statements = self.lex["retractions"]["statements"]
        return {t.text.replace(",", "") if t.like_num else t.lemma_.lower() for t in tokens
                if not t.is_stop and t.ent_type_ not in ("DATE", "TIME") and (t.like_num or (
                    t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in statements))}

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
        pieces_of: list[int] = []  # the piece each claim is from
        runs: list[list] = []  # and its words
        for k, run in enumerate(_pieces(sdoc)):
            start, end = run[0].idx, run[-1].idx + len(run[-1].text)
            retraction, own_retraction = self._retraction(run, text), None
            if retraction is not None and retraction[2]:
                own_retraction = retraction[0]
            elif retraction is not None:
                recent = [i for i, piece in enumerate(pieces_of) if piece >= k - RETRACTION_REACH]
                target = self._retracted(analysis, claims, runs, recent, retraction[1], retraction[0].kind)
                if target is not None:
                    claims[target] = claims[target].model_copy(update={"retraction": retraction[0]})
            headline = end <= title_end and run[-1].text == "?"
            inside = [(h, place) for h, place in placed if start <= h.start_char and h.end_char <= end]
            disclaimer = next((h for h, place in inside if place == "root"), None)
            if disclaimer is not None and any(t.text in (";", ":") or t.dep_ == "cc" for t in run
                                              if t.idx < disclaimer.start_char):
                disclaimer = None  # "Some users claimed X; we could not confirm this": of its own first clause
            is_claim = self._is_claim(run, start, end, headline, mentioned, analysis.quotes)
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
                if sourcing.kind == "unattributed" and quote.speaker is None and not quote.speaker_name:
                    sourcing, entity_id = self._from_sentence(analysis, run)  # no speaker found: the sentence may name one
            else:
                sourcing, entity_id = (Sourcing(kind="unattributed"), None) if question else self._from_sentence(
                    analysis, run)
            lexical = [(h.start_char, h.end_char) for h in hedge_spans if h.start_char >= start and h.end_char <= end]
            hedges = [Span.of(text, s, e) for s, e in sorted(lexical + self._conditions(run, lexical))]
            if question:  # it hedges what it does not assert
                hedges.insert(0, Span.of(text, start, end))
            claims.append(Claim(
                id=f"c{len(claims) + 1}", span=Span.of(text, start, end), sourcing=sourcing,
                quote_id=quote.id if quote else None, entity_id=entity_id, hedged=bool(hedges), hedges=hedges,
                retraction=own_retraction, confidence=quote.confidence if quote else 0.8,
            ))
            pieces_of.append(k)
            runs.append(run)
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
