"""The ``quotes`` component: who said what, on whose word — attribution of direct, indirect and mixed quotes.

How it works (one pass over the spaCy parse already in ``doc.nlp``; no second parse):

1. **Quote marks** are paired over the whole text (typographic “…”, «…» and straight "…"), so a quotation
   that spans sentences stays one span.
2. **Cues** come from the lexicon in ``data/cues.yaml``: verbs of saying and believing by lemma ("said",
   "insisted", "tweeted", "believes"), multi-word cues ("according to", "point out") and title verbs
   ("an article entitled “…”").
3. For each cue the **speaker** is read off the parse: the subject of the cue verb (also after the verb:
   "…, said Brafman"), the agent of a passive ("He was told *by two sources* that…" — the grammatical
   subject is then a *relay*), the object of "according to", or the subject inherited from the verb a
   participle hangs on ("…, *stating*: “…”"). The **content** is the clausal complement ("that…"), the
   infinitive ("wants to…"), the object ("denied the report"), the quotation right before or after the cue,
   or — for parentheticals ("as X writes, …", "…, X said.", "According to X, …") — the clause the cue is
   inserted in. "According to X, Y said Z" is Y's statement relayed by X, and so is "X, citing Y, reported Z";
   a line "Name: text" (a headline or a transcript; not a place: "Ukraine: The path to victory?") is Name's
   statement, the colon its cue, as are the "A:" turns of an interview (the interviewee's, verbatim: *direct*,
   up to the next turn), a quotation leading a headline ("“We will rebuild”: Kharkiv mayor vows …", the
   subject's), an embedded post (the paragraph above "— Name (@handle) April 16, 2024": that account's, dated and
   on X), a quotation signed with a dash and a name ("“…” ― Olena Marchuk, a teacher"), a block quotation (the
   paragraph after a cue that ends its own with a colon, "The ministry said in a statement:"; *direct*), a poll
   opening a sentence ("In a Rating Group poll released Monday, 62 percent …": the poll is the source, "In" the
   cue) and a short clause leading into a quotation ("The minister was blunt: “…”"). Content that overlaps a quotation is widened to the whole quotation; the kind is
   *direct* (content is a quotation), *mixed* (contains one) or *indirect*. A quotation split around its
   cue inside one sentence ("“We will hold,” the mayor said, “and rebuild.”", "The bridge, she insisted, is
   safe") gives one ``Quote`` per piece, in text order, with ids ``q3`` and ``q3b`` and the same speaker, cue, venue, date and chain
   (``Quote.content`` is one span); a quotation opening the next sentence is the same speaker's next
   statement, without a cue.
4. The speaker is linked to the canonical actor of the ``actors``/``coref`` components by span overlap
   with their mentions; relative pronouns ("who told The Economist") use their antecedent.
5. **Sourcing** (named / anonymous / group / unattributed; an anonymous head or an indefinite description
   without a person's name is anonymous: "officials", "a Kremlin spokesman", "a U.S. journalist"), **venue**
   (``extract.venues``), **date**
   (``extract.dates``, against ``article.published``; in an undated article a day and month take the
   nearest year the text writes, flagged ``date_inferred``), and the **provenance chain** origin → relay →
   outlet are filled in. "According to these sources" reuses the anonymous origin introduced earlier; a
   statement reported inside another ("a diplomat said Grossi had told member states that …", "“Two officers told
   me the offensive had stalled,” the colonel said") has the outer speaker as its relay and the outer quote as its
   parent; the outer one is read first even when its cue comes after the quotation.
6. Not every attribution is a quote (``_is_statement``): dispositions ("were quick to …"), negated cues,
   attitude verbs with a bare object ("defended Zaluzhny"), nobody speaking ("No official has confirmed …",
   "gave no comment"), requests for anonymity, questions put to the speaker
   ("Asked whether …") and infinitives hung on a noun ("time to ask …") are dropped, though they still set the venue and
   date of their speaker's next quote. ``eval quotes`` scores the finder before this step (PolNeAR annotates
   them).
"""

from __future__ import annotations


import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import takewhile
from importlib import resources

import yaml
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..model import Analysis, ChainLink, Entity, Mention, Quote, Sourcing, Span
from ..pipeline import Doc, registry
from . import cue_model, dates, venues
from ..nlp.spacy_component import DATELINE
from .actors import fold
from .actors import Lexicon as ActorLexicon

# 1.4.1: headline names before a subjectless cue; role nouns with a name in apposition are named.
# 1.4.2: a request for anonymity ("who asked not to be named") is no quote (the scored finder is unchanged).
# 1.5: "told by X that …" with the "that" read as a relative pronoun or the clause hung on X's relative clause;
# a second reporting verb joined to a reported copular clause; "According to X, Y said Z" relayed (output only).
# 1.6: "According to X," / ", according to X." when the parser broke the phrase; transcript turns opening with a
# quotation mark; quotations signed "― Name"; a block quotation after "X said:"; "In a … poll, …" (poll as source);
# "“….” X said." on one line; "Said Petrenko: “…”"; headline "Poll: …" (unnamed); a speaker kept when the parser hung the
# quotation on it; tallies ("Name: 1,547"), "The Latest:" and the writer's set phrases ("It goes without saying that",
# "Suffice it to say") are no statements; "Local media report that …" and "The officials’ claim that …" when the
# parser misread the cue (``misread_cue``).
# 1.7: others reported inside a quotation ("“Two officers told me the offensive had stalled,” the colonel said") are
# statements relayed by its speaker, whichever cue comes first; unnamed officers are anonymous sources; a thing
# acting ("The initiative aims to …", ``nonspeaking_heads``) on a verb only the cue model rates is no statement.
# 1.8: "X was quoted as saying", a cue inserted before its speaker ("The offensive, said X, an analyst, …"),
# attitudes in the passive ("is convinced that"), participles and cues after a quotation's comma, "before claiming".
# 1.9: headings before a colon (kickers, themes, quotations, bylines) are no speakers, and a clause before a cue
# with a colon between is no content; events (war, invasion, blockade …) act but do not speak.
# 1.10: transcripts of named turns ("Harbor Review: …" / "Umerov: …"); "said France would deliver … and insisted";
# "Navalny dead, prison service says"; a title left in or hung on the statement ("…, the regional governor X said");
# "said earlier that"; "According to researchers at X, <subject> …"; deadlines ("by March") are no statement dates;
# "one of the people said"; "without confirming"; "X, asked about Y, said".
VERSION = "1.10"

_OPEN_CLOSE = {"“": "”", "«": "»", "„": "“"}
_FIRST_PERSON = {"i", "we", "me", "us"}
_RELATIVE = {"who", "that", "which", "whom"}
_VAGUE_QUANTIFIERS = {"some", "several", "many", "few", "certain", "various", "numerous", "multiple"}
# a bare one of these as speaker stands for part of a group named before it ("..., some calling for ...")
_PARTITIVES = _VAGUE_QUANTIFIERS | {"others", "most", "all", "both", "one"}
_DEMONSTRATIVES = {"this", "that", "these", "those", "what"}
# a date after these is no statement's date ("promised shells by March": a deadline)
_NOT_BEFORE = {"prior", "before", "after", "since", "until", "till", "ahead", "by", "within"}
_RECIPIENT_VERBS = {"tell", "inform", "brief", "assure", "reassure", "warn", "notify", "ask", "urge", "advise"}
_NO_OBJECT_CONTENT = _RECIPIENT_VERBS | {"thank", "order", "direct", "instruct", "beg", "post", "publish"}
# "…, without giving figures / naming the country": verbs of telling more, in the writer's note on a statement
_DISCLOSING = frozenset({"give", "provide", "offer", "cite", "elaborate", "specify", "name", "identify", "detail"})
# "denies role in the dam breach": what the part is in belongs to the content
_INVOLVEMENT = {"role", "involvement", "part", "hand", "complicity", "participation", "responsibility", "interest"}
_TOPIC_PREPOSITIONS = {"about", "for", "against", "on", "of", "over", "to", "with", "at"}
# prepositions that name whom one speaks to rather than what about ("talked *to* McConnell *about* the Court",
# "apologized *to* his supporters *for* ...): a topic preposition after the cue is preferred to them
_ADDRESSEE_PREPOSITIONS = {"to", "with", "at"}
_MANNER = {"at": {"length"}, "in": {"detail", "depth", "public", "private", "person", "passing", "full"}}
_CONTENT_DEPS = ("ccomp", "xcomp")
# a noun-phrase content needs this confidence to become a Quote (cue probability 0.6 + 0.1 for a speaker):
# below it, half of such PolNeAR train predictions are no attribution (see ``_is_statement``)
_NOUN_CONTENT_MIN_CONFIDENCE = 0.7
_PERSONAL_OBJECTS = {"him", "her", "them", "me", "us", "you", "himself", "herself", "themselves", "myself",
                     "ourselves", "yourself", "each", "one", "who", "whom", "everyone", "everybody", "anyone",
                     "anybody", "someone", "somebody", "nobody"}


@dataclass(frozen=True)
class Lexicon:
    """The cue lexicon of ``data/cues.yaml``."""

    speech: frozenset[str]
    belief: frozenset[str]
    phrases: tuple[dict, ...]
    title_verbs: frozenset[str]
    anonymous_heads: frozenset[str]
    anonymity_markers: tuple[str, ...]
    anaphoric: frozenset[str]
    nouns: frozenset[str] = frozenset()
    voice_nouns: dict[str, frozenset[str]] = field(default_factory=dict)
    raising: frozenset[str] = frozenset()
    message_nouns: frozenset[str] = frozenset()
    non_agents: frozenset[str] = frozenset()
    hearsay: frozenset[str] = frozenset()
    dispositions: frozenset[str] = frozenset()
    colon_labels: frozenset[str] = frozenset()
    document_nouns: frozenset[str] = frozenset()
    aspect_verbs: frozenset[str] = frozenset()
    survey_nouns: frozenset[str] = frozenset()
    nonspeaking: frozenset[str] = frozenset()
    attitude_passives: frozenset[str] = frozenset()

    @property
    def verbs(self) -> frozenset[str]:
        return self.speech | self.belief


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = yaml.safe_load(resources.files("narrascope.data").joinpath("cues.yaml").read_text("utf-8"))
    return Lexicon(
        speech=frozenset(data["speech_verbs"]),
        belief=frozenset(data["belief_verbs"]),
        phrases=tuple(data["phrases"]),
        title_verbs=frozenset(data.get("title_verbs", [])),
        anonymous_heads=frozenset(data["anonymous_heads"]),
        anonymity_markers=tuple(data["anonymity_markers"]),
        anaphoric=frozenset(data["anaphoric_determiners"]),
        nouns=frozenset(data.get("nouns", [])),
        message_nouns=frozenset(data.get("message_nouns", [])),
        voice_nouns={prep: frozenset(nouns) for prep, nouns in data.get("voice_nouns", {}).items()},
        raising=frozenset(data.get("raising_verbs", [])),
        non_agents=frozenset(data.get("non_agent_heads", [])),
        hearsay=frozenset(data.get("hearsay_adverbs", [])),
        dispositions=frozenset(data.get("disposition_adjectives", [])),
        colon_labels=frozenset(w.lower() for w in data.get("colon_labels", [])),
        document_nouns=frozenset(data.get("document_nouns", [])),
        aspect_verbs=frozenset(data.get("aspect_verbs", [])),
        survey_nouns=frozenset(data.get("survey_nouns", [])),
        nonspeaking=frozenset(data.get("nonspeaking_heads", [])),
        attitude_passives=frozenset(data.get("attitude_passives", [])),
    )


# --- quotation marks ----------------------------------------------------------------------------------


_MARK = re.compile(r"''|``|[“”«»„\"]")


def pair_quotes(text: str) -> list[tuple[int, int]]:
    """Spans (marks included) of quotations within a paragraph: typographic pairs (“…”, «…», „…“),
    straight quotes ("…") and the doubled apostrophes of some newswires (``…'' or ''…'').

    An opening mark left unclosed at a paragraph end closes there (the typographic convention for quotes
    running over several paragraphs reopens the next paragraph with a new opening mark) — unless the paragraph
    is a hard-wrapped line whose next line (after a single line break) closes the quotation first ('"A, B and
    C\nare all here."').
    """
    spans: list[tuple[int, int]] = []
    resume = 0  # where the next line's marks start: after a mark that closed the previous line's quotation
    for para in re.finditer(r"[^\n]+", text):
        open_at: int | None = None
        closers: tuple[str, ...] = ()
        for m in _MARK.finditer(text, max(para.start(), resume), para.end()):
            mark, at = m.group(), m.start()
            if open_at is None:
                # a straight mark and a curly one may pair up ('"If this continues … rule,” Putin said': typed
                # and pasted quotations mixed)
                if mark in _OPEN_CLOSE:
                    open_at, closers = at, (_OPEN_CLOSE[mark], '"') if mark == "“" else (_OPEN_CLOSE[mark],)
                elif mark in ('"', "''", "``"):
                    open_at, closers = at, ('"', "”") if mark == '"' else ("''",)
            elif mark in closers:
                spans.append((open_at, m.end()))
                open_at = None
        if open_at is not None and (close := _closed_on_next_line(text, para.end(), closers)) is not None:
            spans.append((open_at, close))
            resume = close
        elif open_at is not None and para.end() - open_at > 2:
            spans.append((open_at, para.start() + len(para.group().rstrip())))
    return spans


def _closed_on_next_line(text: str, end: int, closers: tuple[str, ...]) -> int | None:
    """The end of the mark that closes, on the line after a single line break at ``end``, a quotation left open:
    the next line's first quotation mark, if it is one of ``closers`` and reads as closing (right after a word or
    punctuation, not before one)."""
    if text[end : end + 1] != "\n" or text[end + 1 : end + 2] in ("\n", ""):
        return None
    line_end = text.find("\n", end + 1)
    m = _MARK.search(text, end + 1, line_end if line_end >= 0 else len(text))
    if m is None or m.group() not in closers or m.start() == end + 1 or text[m.start() - 1].isspace():
        return None
    return m.end()


# --- candidates from the parse --------------------------------------------------------------------


@dataclass
class Found:
    """An attribution found in the parse, before it becomes a ``Quote`` (token-level, for evaluation too)."""

    cue: tuple[int, int] | None  # None: a quotation continuing the previous speaker's statement
    cue_lemma: str | None
    content: tuple[int, int]
    source: tuple[int, int] | None
    source_head: Token | None
    frame: list[Token]
    relay: tuple[int, int] | None = None
    relay_head: Token | None = None
    venue_head: Token | None = None
    signature: tuple[int, int] | None = None  # an embedded post's "(@handle) April 16, 2024": its venue and date
    confidence: float = 0.7
    # the other piece of a statement split around its cue ("“A,” she said, “B.”", "The bridge, she said, is
    # safe"): same speaker and cue
    split: tuple[int, int] | None = None


def _chars(tokens: Iterable[Token]) -> tuple[int, int] | None:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop punctuation (but not quotation marks) and spaces at both ends, and a conjunction left dangling at
    the end ("… fielded the system, and" when the parser hung the next clause's "and" on this one)."""
    keep = lambda t: not (t.is_space or (t.is_punct and t.text not in "“”\"«»„‘’'"))  # noqa: E731
    lo, hi = 0, len(tokens)
    while lo < hi and not keep(tokens[lo]):
        lo += 1
    while hi > lo and (not keep(tokens[hi - 1]) or _dangling(tokens[hi - 1]) and hi - 1 > lo):
        hi -= 1
    opened = [i for i in range(lo, hi) if tokens[i].text == "("]
    if opened and not any(t.text == ")" for t in tokens[opened[-1] : hi]):
        return _trim(tokens[lo : opened[-1]])  # an aside cut off by the sentence end: "the advantage (cf"
    return tokens[lo:hi]


def _past_manner(prep: Token) -> list[Token]:
    """A manner phrase ("spoke at length about X", "in detail about X") says how, not what: the topic prepositions
    the parser hung on it stand for it; any other preposition stands for itself."""
    manner = [g for g in prep.children if g.dep_ == "pobj" and g.lower_ in _MANNER.get(prep.lower_, ())]
    if not manner:
        return [prep]
    return [p for g in manner for p in g.children if p.dep_ == "prep" and p.lower_ in _TOPIC_PREPOSITIONS]


def _dangling(tok: Token) -> bool:
    """A coordinating conjunction whose second half is not there ("the system, and"), not "all but"."""
    return tok.dep_ == "cc" and not (tok.i > 0 and tok.nbor(-1).lower_ in ("all", "anything", "nothing"))


def _block(tokens: Iterable[Token], exclude: set[int]) -> list[Token]:
    """The longest run of consecutive tokens not in ``exclude`` (content is one contiguous span)."""
    runs: list[list[Token]] = []
    for tok in sorted(tokens, key=lambda t: t.i):
        if tok.i in exclude:
            continue
        if runs and runs[-1][-1].i == tok.i - 1:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    runs = [_trim(r) for r in runs]
    return max(runs, key=lambda r: sum(len(t.text_with_ws) for t in r), default=[])


def _subject(verb: Token) -> tuple[Token | None, Token | None]:
    """(speaker head, relay head) of a cue verb, climbing to the governing verb for participles; a head
    that cannot speak is replaced by who made it (``_agent``)."""
    src, relay = _grammatical_subject(verb)
    return _agent(src), relay


def _agent(head: Token | None, depth: int = 0) -> Token | None:
    """The actor behind a speaker head, or None when there is none.

    A message noun is not the speaker: "Mr. Trump's comments signal …" is Trump's, "the DNC issued a
    statement apologizing …" the DNC's (its possessor, else the subject of the verb it is the object
    of); a message noun with neither stays (a report, a poll "shows"). Nouns that never speak
    ("the question has seemed blunt", ``non_agent_heads`` in data/cues.yaml) give no speaker.
    """
    if head is None:
        return None
    if head.lower_ in _DEMONSTRATIVES and head.head.dep_ != "relcl" and not any(
        c.dep_ in ("relcl", "acl") for c in head.children
    ):
        return None  # "This shows ...", "That means ...": no actor (but "those who have ... acknowledge")
    if head.pos_ != "NOUN":
        return head
    lemma = head.lemma_.lower()
    lex = lexicon()
    if lemma in lex.non_agents:
        return None
    if lemma in lex.message_nouns and depth < 2:
        poss = next((c for c in head.children if c.dep_ == "poss"), None)
        if poss is not None:
            return poss
        if head.dep_ == "dobj" and head.head.pos_ in ("VERB", "AUX"):
            maker, _ = _grammatical_subject(head.head)
            if maker is not None:
                return _agent(maker, depth + 1)
    return head


def _grammatical_subject(verb: Token) -> tuple[Token | None, Token | None]:
    seen = 0
    while verb is not None and seen < 4:
        seen += 1
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if passive is None and agent is not None and verb.tag_ == "VBN" and seen == 1 and verb.dep_ != "acl":
            # "*Asked* by Stephanopoulos to respond, Carson said": who asked is the source of the participle
            by = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if by is not None:
                return by, None
        if passive is not None:
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if _quoted_as(verb):
                return passive, by  # "X was quoted (by Reuters) as saying": X speaks, who quotes X relays
            if by is not None:
                return by, passive if verb.lemma_ in _RECIPIENT_VERBS else None
            # a cue hanging from a passive shares its subject ("X was allowed *to speak out*", "voters who are
            # drawn to him and *feel* that …"); an agentless passive cue itself has no speaker ("it was reported")
            # unless it is an attitude its subject holds ("X is convinced that …")
            held = verb.lemma_ in lexicon().attitude_passives and passive.lower_ not in ("it", "this", "that")
            return (passive, None) if seen > 1 or held else (None, None)
        # two subjects happen on misparses ("X's essay — which looks like ... the more I observe ..."):
        # the one nearest the verb is its own
        subj = min((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), key=lambda c: abs(c.i - verb.i),
                   default=None)
        if subj is not None and _misplaced_subject(verb, subj):
            return None, None  # "The video, *viewed* two million times, claims …": "video" is "claims"'s subject
        subj = subj or next((s for c in verb.children if c.dep_ == "advcl" and c.i < verb.i for s in c.children
                             if _misplaced_subject(c, s)), None)
        if subj is not None:
            return (None, None) if subj.lower_ == "there" and subj.dep_ == "nsubj" else (_past_dateline(subj), None)
        cited = verb.head
        if verb.dep_ == "acl" and cited.dep_ == "dobj" and cited.head.lemma_ in ("cite", "quote") and (
                cited.head.dep_ == "advcl" and verb.nbor(-1).text == ","):
            # "The Washington Post, citing officials, reported …": the parser hung "reported" on "officials"
            return cited.head.head, None
        if (sender := _addressees_sender(verb)) is not None:
            return sender, None
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            # "the bill, opposed by Republicans": the agent; "a statement saying ...": the noun
            by = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
            return (by, None) if by is not None else (verb.head, None)
        if (name := _name_before(verb)) is not None:
            return name, None
        if _governor(verb) is not None:
            verb = _governor(verb)
            continue
        return None, None
    return None, None


_SENDING_VERBS = {"email", "send", "text", "write", "mail", "message", "address", "brief", "tell", "urge"}


def _said_next(verb: Token) -> bool:
    """A verb of saying as "before / after / while *claiming*" under the clause another verb of saying reports: the
    reporting speaker's next statement, not part of the reported one."""
    clause = verb.head.head
    return verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.lemma_ in lexicon().speech and (
        verb.head.lower_ in ("before", "after", "while")) and any(c.dep_ == "ccomp" for c in verb.children) and (
        clause.dep_ == "ccomp" and clause.lemma_ not in lexicon().speech) and (
        clause.head.i < clause.i and clause.head.lemma_ in lexicon().speech)


def _leads_cue(quote: tuple[int, int], verb: Token, text: str) -> bool:
    """Whether a quotation opens its sentence and ends with a comma right before the cue ("“…,” tweeted a user"):
    then no word of it is the cue's subject. Not a title inside the writer's sentence ("star of television's
    “Scandal,” thanked …") nor a quoted name without the comma ("“Lilyhammer” follows a mobster")."""
    before = text[: quote[0]].rstrip(" \t")
    return not text[quote[1] : verb.idx].strip(" ,") and "," in text[quote[1] - 2 : verb.idx] and (
        not before or before[-1] in "\n.!?”\"")


def _addressees_sender(verb: Token) -> Token | None:
    """"The senator emailed supporters saying: …", "sent a text message to supporters saying …": a participle the
    parser hung on the people addressed speaks for whoever addressed them, the subject of the verb they are the
    object of (a message noun there keeps its own rule: "issued a statement saying")."""
    noun = verb.head
    if verb.dep_ != "acl" or verb.tag_ != "VBG" or noun.tag_ != "NNS" or noun.i > verb.i or (
            noun.lemma_.lower() in lexicon().message_nouns | lexicon().document_nouns):
        return None
    governor = noun.head if noun.dep_ in ("dobj", "dative") else noun.head.head if (
        noun.dep_ == "pobj" and noun.head.lower_ == "to") else None
    if governor is None or governor.lemma_ not in _SENDING_VERBS:
        return None  # "Police met protesters saying …": the protesters may be the ones saying it
    return next((c for c in governor.children if c.dep_ == "nsubj"), None)


def _quoted_as(verb: Token) -> bool:
    """"X was quoted / cited (by Reuters) as saying": the passive subject is the speaker, not what is cited."""
    return verb.lemma_ in ("quote", "cite") and any(c.dep_ == "nsubjpass" for c in verb.children) and any(
        c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)


def _misplaced_subject(participle: Token, subj: Token) -> bool:
    """Whether the parser hung a sentence's subject on a participle set off after it: in "The video, viewed more
    than two million times, claims that …" it makes "video" the subject of "viewed", an adverbial clause of
    "claims", which is left without one."""
    return (participle.tag_ in ("VBN", "VBD") and participle.dep_ == "advcl" and subj.dep_ == "nsubj"
            and subj.i < participle.i < participle.head.i and participle.nbor(-1).text == ",")


_DATELINE_TOKENS = 24  # a dateline's most tokens: "WASHINGTON, D.C., March 12, 2024 (Harbor News Agency) —"


def _past_dateline(subj: Token) -> Token:
    """The real subject when the parser took a dateline for it: in "KYIV, March 12 - Ukraine's defence ministry
    urged ..." or a live blog's "13:10 GMT – Odesa governor says ...", "KYIV" or "GMT" is the subject and the
    speaker its apposition."""
    start = subj
    while start.i > 0 and "\n" not in start.nbor(-1).text:
        start = start.nbor(-1)
        if subj.i - start.i > _DATELINE_TOKENS:
            return subj  # deep in a paragraph: no dateline reaches it (and no walk to the paragraph's start)
    line = subj.doc[start.i : min(len(subj.doc), subj.i + 12)].text
    if (m := DATELINE.match(line)) is not None and start.idx + m.end() > subj.idx:
        return next((c for c in subj.children if c.dep_ == "appos" and c.i > subj.i), subj)
    return subj


def _name_before(verb: Token) -> Token | None:
    """A name or a person's description right before a subjectless cue that the parser hung elsewhere, as in
    headlines ("Russia claims village near Chasiv Yar, Ukraine says assaults repelled", with "Ukraine" in
    apposition to "Yar") or after a fronted statement ("Troops have stopped three assaults on the approaches to
    Chasiv Yar, the commander of Ukraine's eastern forces said", with "commander" in apposition to "Yar")."""
    prev = verb.nbor(-1) if verb.i > verb.sent.start else None
    if prev is None:
        return None
    head = prev  # the phrase that ends right before the cue: "forces" -> "of" -> "commander"
    while (head.dep_ not in ("appos", "conj", "npadvmod") and head.head.i != head.i and head.head.i < verb.i
           and head.head.right_edge.i == prev.i):
        head = head.head
    if head.dep_ not in ("appos", "conj", "npadvmod") or head.head.i > head.i:
        return None
    if head.i == prev.i and head.pos_ == "PROPN" and head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return head
    described = head.pos_ == "NOUN" and any(c.dep_ == "det" for c in head.children) and (
        head.lower_ in _person_nouns() or head.lemma_.lower() in lexicon().anonymous_heads
    )
    return head if described and head.dep_ == "appos" else None


def _speaker_of_lead_in(toks: list[Token]) -> tuple[Token, list[Token]] | None:
    """The speaker of a short clause that leads into a quotation after a colon — "His defence minister went
    further: “…”", "The minister was blunt: “…”", "Okafor put it simply: “…”": one verb, whose subject names or
    describes someone (a name, a person noun, he/she/they), and at most eight words."""
    verbs = [t for t in toks if t.pos_ in ("VERB", "AUX")]
    if len(verbs) != 1 or len(toks) > 8 or verbs[0].lemma_ == "be" and not any(
            c.dep_ in ("acomp", "attr") and c in toks for c in verbs[0].children):  # "was blunt", not "Here they are:"
        return None
    subj = next((c for c in verbs[0].children if c.dep_ == "nsubj" and c in toks), None)
    if subj is None or not (subj.pos_ == "PROPN" or subj.ent_type_ in ("PERSON", "ORG") or subj.lower_ in _person_nouns()
                            or subj.lower_ in ("he", "she", "they")):
        return None
    return subj, _trim(list(subj.subtree))


def _says_that(verb: Token) -> bool:
    """A reporting verb with a subject and a clause of its own, reported by another one: "a diplomat said Grossi *had
    told* member states that …", "“Two officers *told* me the offensive had stalled,” the colonel said" (the cue model
    scores such nested cues low; PolNeAR annotates few of them). The clause has "that" or a subject of its own, so
    "he said he *wants* to" (no speech verb) and "said he *told* the truth" (no clause) stay the outer statement.
    Only the quotes component asks (``Finder(relays=True)``): counted on PolNeAR, all such verbs cost 0.003 F1."""
    nested = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in lexicon().speech
    return nested and any(c.dep_ == "nsubj" for c in verb.children) and any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" or m.dep_ in ("nsubj", "nsubjpass")
                                  for m in c.children) for c in verb.children)


@lru_cache(maxsize=1)
def _person_nouns() -> frozenset[str]:
    """Nouns that describe a person ("commander", "mayor"): the actors' nominal heads (data/titles.yaml)."""
    return frozenset(ActorLexicon.load().heads)


def _speaker_after(verb: Token) -> Token | None:
    """A name right after a subjectless cue that the parser hung as subject of a later clause under the cue
    ("said David Brock, ... Correct the Record" with "Brock" subject of "Correct")."""
    nxt = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if nxt is None or nxt.pos_ != "PROPN":
        return None
    head = nxt
    while head.dep_ in ("compound", "amod", "det") and head.head.i > head.i:
        head = head.head
    clause = head.head
    if head.dep_ == "nsubj" and head.pos_ == "PROPN" and clause.i > head.i and clause.head.i == verb.i and (
        clause.dep_ in ("ccomp", "conj", "advcl")
    ):
        return head
    return None


def misread_cue(tok: Token, speech: AbstractSet[str]) -> tuple[Token, list[Token]] | None:
    """A plural subject's present-tense verb of saying that spaCy took for a noun or hung its subject on as a
    compound: "Local media report that 12 drones hit Odesa" (the noun phrase "Local media report" with a clause hung
    on it), "State media claim that …". Its signature: a bare singular noun or a present-tense verb of saying heads
    the sentence right after a plural noun attached to it (no determiner, no possessive: "Officials' claim that …
    is false" has its own verb), and a clause with a subject follows. Returns the subject's head and phrase."""
    if tok.tag_ not in ("NN", "VBP") or tok.dep_ != "ROOT" or tok.lemma_ not in speech or tok.i == 0:
        return None
    subj = tok.doc[tok.i - 1]
    if subj.tag_ not in ("NNS", "NNPS") or subj.head.i != tok.i or subj.dep_ != "compound" and not (
        subj.dep_ == "nsubj" and tok.tag_ == "NN"
    ):
        return None
    if any(c.dep_ in ("det", "poss") for c in tok.children) or not any(
        c.i > tok.i and c.dep_ in ("acl", "ccomp", "relcl") and any(g.dep_ in ("nsubj", "nsubjpass", "expl")
                                                                   for g in c.children)
        for c in tok.children
    ):
        return None
    first = subj.left_edge.i
    while first > tok.left_edge.i and tok.doc[first - 1].dep_ in ("amod", "compound", "nmod", "nummod"):
        first -= 1
    return subj, list(tok.doc[first : subj.i + 1])


def _writers_formula(verb: Token) -> bool:
    """"It goes without saying that …", "Suffice it to say …", "Needless to say, …", "It is fair to say …": the
    writer's own voice in a set phrase, no one's statement ("He was right to say …" is his)."""
    if verb.lemma_ != "say":
        return False
    head = verb.head
    return (
        verb.dep_ == "pcomp" and head.lower_ == "without" and head.head.lemma_ == "go"
        or verb.dep_ == "xcomp" and head.lower_ in ("suffice", "needless")
        or verb.dep_ == "xcomp" and head.lemma_ == "be" and any(
            c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in head.children)
    )


def _inverted_speaker(verb: Token) -> list[Token]:
    """"Said Petrenko: “…”", "Added Okafor, …": a cue opening its sentence with the speaker's name after it and a colon
    or comma closing the name; the name's tokens, or none."""
    if verb.i != verb.sent.start:
        return []
    run = list(takewhile(lambda t: t.pos_ == "PROPN", verb.doc[verb.i + 1 : verb.sent.end]))
    end = verb.i + 1 + len(run)
    return run if run and end < len(verb.doc) and verb.doc[end].text in (":", ",") else []


def _inserted_inverted(verb: Token) -> tuple[list[Token], list[Token], list[Token]] | None:
    """"The offensive, said Hnatenko, an analyst at the Razumkov Centre, has stalled": a cue set off by commas
    inside a clause, its speaker after it. The parser hangs the speaker on the clause's verb and the clause's
    subject on the cue ("the offensive said"), or takes the nearer of two subjects ("The real risk, said the
    mayor, is …"). Returns (speaker, the clause's piece before the cue, its piece after the speaker) when the piece
    before is a bare noun phrase (no verb: else the cue follows a whole statement, "X has stalled, said Y") and the
    piece after has one."""
    doc, sent = verb.doc, verb.sent
    if verb.i - 1 <= sent.start or doc[verb.i - 1].text != "," or verb.i + 1 >= sent.end:
        return None
    head = doc[verb.i + 1]
    while head.dep_ in ("compound", "det", "amod", "poss", "nummod") and verb.i < head.head.i < sent.end:
        head = head.head
    if head.pos_ not in ("PROPN", "NOUN") or head.dep_ not in ("nsubj", "nsubjpass") or verb.tag_ not in (
            "VBD", "VBZ", "VBP"):
        return None  # "Mr. Biden, recalling weekly breakfasts with …, described …": the cue's object, no speaker
    last = head.i
    name = []  # the name alone, without what describes it after a comma
    while True:
        while last + 1 < sent.end and doc[last + 1].text != ",":  # the name up to its comma ("the mayor of Kyiv,")
            last += 1
        name = name or list(doc[verb.i + 1 : last + 1])
        if last + 2 < sent.end and head.is_ancestor(doc[last + 2]):
            last += 2  # and what describes it: ", an analyst at the Razumkov Centre,", ", who attended them,"
            continue
        break
    speaker = _trim(list(doc[verb.i + 1 : last + 1]))
    before = _trim(list(doc[sent.start : verb.i - 1]))
    after = _trim(list(doc[last + 1 : sent.end]))
    if last + 1 >= sent.end or doc[last + 1].text != "," or not speaker or not before or not after or any(
        t.pos_ in ("VERB", "AUX") for t in (*before, *name)
    ) or not any(t.pos_ in ("VERB", "AUX") for t in after):
        return None
    return speaker, before, after


_DASHES = {"-", "–", "—"}
_QUESTION_WORDS = {"how", "why", "whether", "what", "when", "where", "who", "whom", "which", "if"}
_INDEFINITE_PRONOUNS = {"everyone", "everybody", "anyone", "anybody", "someone", "somebody", "nobody", "no-one"}
# speech verbs that, negated, still report a stance: "did not deny that …", "did not rule out talks"
_AFFIRMING_WHEN_NEGATED = {"deny", "rule", "dispute", "hide", "conceal", "exclude", "contest", "reject"}
_INTERVIEW_TURN = re.compile(r"(?m)^(?P<who>Q|A|Question|Answer)[ \t]*:[ \t]+\S")
_TURN_LABELS = {"Q", "A", "Question", "Answer"}
_PLACE_TYPES = {"GPE", "LOC", "FAC"}
_BODY_TYPES = {"ORG", "GOVERNMENT", "MILITARY", "OUTLET"}
# "Name: statement" at the start of a line (optionally after a kicker such as "EXCLUSIVE – ")
_LINE_COLON = re.compile(r"(?m)^[\"“]?(?:(?:[A-Z]+|\d{1,2}[:.]\d\d(?: ?[ap]\.?m\.?)?(?: [A-Z]{2,4})?) [–—-] )?(?P<name>[^\W\d][^:\n]{0,40}?):[ \t]+(?P<content>\S[^\n]*)$")
# a line led by a quotation and a colon, the headline style "“We will rebuild”: Kharkiv mayor vows to stay"
_QUOTE_LED_LINE = re.compile(r"(?m)^[ \t]*(?P<quote>(?P<open>[“«„\"‘'])[^\n]{2,300}?(?P<close>[”»“\"’']))[ \t]*:[ \t]+"
                             r"(?P<rest>\S[^\n]*)$")
# The text an embedded post leaves in a page: the post, then "— Name (@handle) April 16, 2024" on a line of its own
_SIGNATURE = re.compile(r"\((?P<handle>@\w{1,30})\)[ \t]*(?P<date>[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},?[ \t]+\d{4})")
_POST_SIGNATURE = re.compile(r"(?m)^[ \t]*[—–-][ \t]*(?P<name>[^\W\d][^(\n]{1,60}?)[ \t]*(?P<sig>" + _SIGNATURE.pattern
                             + r")[ \t]*$")
# A quotation signed by a dash and a name, on its line or the next: "“We cook on a camping stove.” ― Olena
# Marchuk" (reader voices, epigraphs, pull quotes); an optional ", description" may follow the name
_SIGNED_QUOTE = re.compile(r"(?m)^[ \t]*(?P<quote>[“”\"][^\n]{2,1500}[”\"])[ \t\xa0]*(?:\n[ \t\xa0]*)?(?P<dash>[―—–])[ \t\xa0]*"
                           r"(?P<name>[A-Z][\w'’.-]*(?:[ \t\xa0]+[A-Z][\w'’.-]*){0,4})(?:,[^\n]{1,80})?[ \t\xa0.]*$")
# what may stand between a cue and the block quotation it introduces: "added in a statement:" then a line break
_BLOCK_LEAD = re.compile(r"[^\n:“”\"]{0,60}:[ \t]*\n\s*")
_LINE_QUOTE_PAIRS = {**_OPEN_CLOSE, '"': '"', "‘": "’", "'": "'"}
_DAY_WORD = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:yesterday|today|tonight)\b", re.IGNORECASE)


# a quotation mark: any of the curly or straight marks, except an apostrophe inside a word ("Putin’s", "O'Brien")
_QUOTE_MARK = re.compile(r"[“”\"«»„]|(?<!\w)['‘’]|['‘’](?!\w)")


def _quoted_root(text: str, phrase: SpacySpan) -> bool:
    """Whether a phrase's head word stands inside a quotation: an odd number of quotation marks lies between it and
    either end of the phrase. A line's "“A Declaration of War”:" or "A 'Watershed Event':" leads with a quotation
    or a title, where "Carney on ‘Kudlow’:" and a transcript's '"Chris Matthews:' lead with a name."""
    root = phrase.root
    return any(len(_QUOTE_MARK.findall(text, start, end)) % 2 == 1
               for start, end in ((phrase.start_char, root.idx), (root.idx + len(root), phrase.end_char)))


def _phrase_tokens(head: Token, exclude: set[int]) -> list[Token]:
    """A speaker phrase: the head's subtree minus anything that belongs to the cue clause, minus an aside ("for his
    part") or where a named speaker was ("Trump, in Kentucky, said"), minus what comes before a free-standing dash
    in front of the head (a dateline: "KYIV, March 12 - Ukraine's defence ministry") or a colon (a heading: "Army
    Runs Out of Shells: Kyiv"), and minus a final possessive ("Mr. Okafor's comments suggest" -> "Mr. Okafor")."""
    aside = {t.i for c in head.children if c.dep_ == "prep" and any(  # "Zelenskyy for his part said"
        g.dep_ == "pobj" and (g.lemma_ == "part" or (  # or where a name spoke: "Trump, in Kentucky, said"
            g.ent_type_ in _PLACE_TYPES and c.lower_ in ("in", "at") and head.pos_ == "PROPN" and c.i > head.i
            and c.nbor(-1).text == "," and g.right_edge.i + 1 < len(g.doc) and g.doc[g.right_edge.i + 1].text == ","))
        for g in c.children) for t in c.subtree}
    toks = _trim([t for t in head.subtree if t.i not in exclude and t.i not in aside])
    cut = max((k for k, t in enumerate(toks) if t.i < head.i and (t.text == ":" or t.text in _DASHES and t.whitespace_
                                                                  and t.i > 0 and t.nbor(-1).whitespace_)), default=None)
    if cut is not None:
        toks = _trim(toks[cut + 1 :])
    return toks[:-1] if len(toks) > 1 and toks[-1].dep_ == "case" else toks


class Finder:
    """Finds attributions in a spaCy ``Doc``: holds the lexicon, the cue model and the cue scores of the
    document being read (one Finder per component; not for concurrent use)."""

    def __init__(self, lex: Lexicon | None = None, model: cue_model.CueModel | None | bool = True,
                 relays: bool = False):
        """``model``: a ``CueModel``, True for the shipped one (if present), False/None for the lexicon only.
        ``relays``: "According to X, Y said Z" is Y's statement relayed by X (the quotes component), not X's
        statement "Y said Z" (PolNeAR's annotation, which ``eval quotes`` scores)."""
        self.lex = lex or lexicon()
        self.relays = relays
        self.model = cue_model.load() if model is True else (model or None)
        self._scores: dict[int, float] = {}
        # first words of the multi-word cues: most tokens start none, and need not be compared to each phrase
        self._phrase_starts = frozenset(phrase["words"][0] for phrase in self.lex.phrases)
        # every word that can start an attribution as written or as lemma (see ``_starts``), and the words a
        # noun's head must be for ``_in_words``
        self._start_words = frozenset().union(
            self._phrase_starts, self.lex.verbs, self.lex.title_verbs, self.lex.hearsay, self.lex.nouns,
            self.lex.colon_labels)
        self._noun_heads = frozenset(self.lex.voice_nouns) | {"in"}
        self._word_cache: dict[tuple[int, int], tuple[bool, bool]] = {}  # (LOWER, LEMMA) -> (starts, noun head)

    def lexicon_kind(self, lemma: str) -> str:
        return "speech" if lemma in self.lex.speech else "belief" if lemma in self.lex.belief else "none"

    # -- cues

    def _cue_tokens(self, tok: Token) -> tuple[list[Token], str, str] | None:
        """(cue tokens, lemma, where the source is) when ``tok`` starts a cue."""
        lemma = tok.lemma_.lower()
        lower = tok.lower_
        if lower in self._phrase_starts or lemma in self._phrase_starts:
            doc = tok.doc
            for phrase in self.lex.phrases:  # first word by lemma ("pointed out"), the rest as written
                words = phrase["words"]
                if words[0] in (lower, lemma) and [t.lower_ for t in doc[tok.i + 1 : tok.i + len(words)]] == words[1:] and not (
                        phrase["source"] == "object" and _quoted_as(tok)):
                    return list(doc[tok.i : tok.i + len(words)]), phrase["lemma"], phrase["source"]
        if (tok.i in self._scores if self.model else tok.pos_ == "VERB") and (
            self._scores.get(tok.i, 0.0) >= self.model.threshold if self.model else lemma in self.lex.verbs
        ) and not (lemma not in self.lex.verbs and tok.dep_ == "ccomp" and tok.head.lemma_ == "be"):
            # a model-only cue in a "that"-clause after "be" is the writer's inference, not an attribution
            # ("The conclusion may be that Washington *is looking for* a way out")
            return [tok], lemma, "subject"
        if tok.pos_ == "VERB" and lemma in self.lex.speech and (_parenthetical_as(tok) or self.relays and _says_that(tok)):
            # "as X writes, ...", "said Grossi had told member states that ...", whatever the model thinks of it
            return [tok], lemma, "subject"
        return None

    # -- content

    def _clausal_content(self, verb: Token, lemma: str, skip: set[int]) -> list[Token]:
        comps = [
            c for c in verb.children
            if c.dep_ in _CONTENT_DEPS and c.i not in skip and not (c.tag_ == "VBG" and c.lemma_ in self.lex.speech)
        ]
        # "asked workers *if they planned* to attend", "called *for all candidates to lay out* …": an adverbial
        # clause that is a question or a wish is what is said
        comps += [c for c in verb.children if c.dep_ == "advcl" and c.i > verb.i and c.i not in skip and any(
            m.dep_ == "mark" and m.lower_ in ("if", "whether", "for") for m in c.children)]
        if any(c.i > verb.i for c in comps):  # "Keyworth was …, and he was so fired up he *said* she should call":
            comps = [c for c in comps if c.i > verb.i]  # a clause before the cue hung on it is a misparse
        # a clause before the cue with a colon between is a heading ("Army Runs Out of Shells: Kyiv has asked …")
        comps = [c for c in comps if c.i > verb.i or ":" not in {t.text for t in verb.doc[c.right_edge.i + 1 : verb.i]}]
        if not comps and (lemma not in _NO_OBJECT_CONTENT or any(c.dep_ == "dative" for c in verb.children)):
            # a pronoun object is content unless it stands for a person ("denied it", "which she supports",
            # "opposed everything"; not "called him"); a recipient verb's object is content only beside a
            # recipient ("asked Republicans a question")
            comps = [c for c in verb.children if c.dep_ == "dobj" and c.i not in skip and (
                c.pos_ != "PRON" or c.lower_ not in _PERSONAL_OBJECTS)][:1]
            # "criticized X for Y", "described X as Y", "accused X of Y": the rest of the verb phrase belongs to the
            # content
            comps += [c for c in verb.children if comps and c.i > comps[0].i and c.i not in skip
                      and (c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ in ("as", "for", "of"))
                           or c.dep_ == "prep" and c.lower_ == "in" and comps[0].lemma_.lower() in _INVOLVEMENT)]
        if not comps and (lemma in self.lex.speech or verb.i in self._scores):  # "complained about X", "called for X"
            preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPOSITIONS
                     and c.i > verb.i and c.i not in skip]
            preps = [p for c in preps for p in _past_manner(c) if p.lower_ == "about" or not any(
                t.dep_ == "pobj" and t.ent_type_ in ("DATE", "TIME") for t in p.children)]  # "called on Thursday for …"
            comps = sorted(preps, key=lambda c: (c.lower_ in _ADDRESSEE_PREPOSITIONS, c.i))[:1]
            comps = [t for c in comps for t in c.children if t.dep_ in ("pobj", "pcomp")
                     and (t.ent_type_ not in ("DATE", "TIME") or c.lower_ == "about")]  # "on Monday" is when, not
            # what ("about the winter" is what)
        tokens = [t for c in comps for t in c.subtree]
        heads = {c.i for c in comps}
        # a participle cue of its own inside the complement is not part of this content: "…, stating: “…”", or
        # one after it with its own that-clause ("admitted that X, while otherwise complaining that Y")
        inner = {
            t.i for p in tokens
            if p.i not in heads and p.tag_ == "VBG" and p.lemma_ in self.lex.speech and (
                p.i < p.head.i or p.dep_ == "advcl" and any(k.dep_ == "ccomp" for k in p.children))
            for t in p.subtree
        } | {t.i for p in tokens if _said_next(p) for t in p.head.subtree}  # "… before claiming that …"
        conjuncts = [p for p in tokens if p.dep_ == "conj"]
        # nor a second reporting verb the parser joined to the reported clause, whose speaker is this verb's
        # ("wrote that Russia was “using hunger as a weapon” *and called on* the UN to act", see ``_governor``)
        joined = [p for p in conjuncts if p.head.dep_ == "ccomp" and (g := _governor(p)) is not None and g.i == verb.i]
        # nor another speaker's statement joined to it ("found that X, and Human Rights Watch concluded that Y")
        # (a named subject: "and that he wants …" or "and I think" continue the content)
        joined += [p for p in conjuncts if p.lemma_.lower() in self.lex.verbs
                   and any(k.dep_ == "nsubj" and k.pos_ in ("PROPN", "NOUN") for k in p.children)
                   and not any(k.dep_ == "mark" for k in p.children) and p not in joined]
        inner |= {t.i for p in joined for t in (*p.subtree, *(k for k in p.head.children if k.dep_ == "cc" and k.i < p.i))}
        # "said Washington was “open to talks”, without confirming the meeting": the writer's note on the saying
        inner |= {t.i for p in tokens if p.dep_ == "prep" and p.lower_ == "without" and p.i > verb.i
                  and any(k.dep_ == "pcomp" and k.lemma_ in self.lex.verbs | _DISCLOSING for k in p.children)
                  for t in p.subtree}
        # "said earlier that X", "said on Thursday it had …": an adverbial the parser hung on the clause before its
        # "that" or its subject tells when or where it was said
        for c in (c for c in comps if c.i > verb.i):
            that = next((m for m in c.children if m.dep_ == "mark" and m.lower_ == "that"), None)
            subject = next((k.left_edge for k in c.children if k.dep_ in ("nsubj", "nsubjpass") and k.i < c.i), None)
            inner |= {t.i for k in c.children if k.dep_ in ("advmod", "npadvmod", "prep") and (
                that is not None and verb.i < k.i < that.i
                or that is None and subject is not None and verb.i < k.i < subject.i and _when(k))  # not "how", "why"
                for t in k.subtree}
        return _block(tokens, skip | inner)

    def _inserted_content(self, verb: Token, skip: set[int]) -> list[Token]:
        """Content of a parenthetical cue: the clause it is inserted in, minus the cue clause."""
        head = verb.head
        if head.i == verb.i:
            return []
        # an xcomp of the cue is usually a mis-attached piece of the content ("as X writes, “not losing” ...")
        kept = {t.i for c in verb.children if c.dep_ == "xcomp" for t in c.subtree}
        skip = skip | ({t.i for t in verb.subtree} - kept)
        if verb.dep_ != "parataxis":
            return _block(head.subtree, skip)
        # "The bridge is safe, Okafor said, but repairs are due": a clause coordinated after the cue is the
        # writer's; "The bridge, Okafor insisted, is safe": both sides of the cue are the content
        skip |= {t.i for c in head.children if c.i > verb.i and c.dep_ in ("conj", "cc", "advcl", "prep")
                 for t in c.subtree}  # nor is "..., he said, before adding ..."
        return _trim([t for t in head.subtree if t.i not in skip])  # may be two pieces: see _verbal

    # -- main

    def find(self, sdoc: SpacyDoc, quotes: list[tuple[int, int]] | None = None, text: str | None = None
             ) -> list[Found]:
        """Attributions of a parsed text. ``text``: the text it was parsed from, when the caller has it
        (``Doc.text`` is rebuilt from every token on each access: ~0.5 ms for a 900-word article, and the
        finder would read it many times)."""
        text = sdoc.text if text is None else text
        quotes = pair_quotes(text) if quotes is None else quotes
        self._scores = self.model.scores(sdoc, quotes, self.lexicon_kind) if self.model else {}
        found: list[Found] = []
        taken: set[int] = set()
        for i in self._starts(sdoc):
            if i in taken:
                continue
            tok = sdoc[i]
            hit = None if self._page_label(tok) else self._cue_tokens(tok)
            if (misread := misread_cue(tok, self.lex.speech)) is not None:
                hit, item = None, self._misread(tok, *misread, quotes)
            elif hit is not None:
                cue_toks, lemma, where = hit
                item = (
                    self._according(cue_toks, lemma, quotes, text)
                    if where == "object"
                    else self._verbal(cue_toks, lemma, quotes, text)
                )
            elif tok.lemma_.lower() in self.lex.title_verbs or tok.lower_ in self.lex.title_verbs:
                item = self._title(tok, quotes)
            elif tok.lower_ in self.lex.hearsay and tok.dep_ == "advmod":
                item = self._hearsay(tok, quotes)
            elif tok.pos_ == "NOUN":
                item = (self._in_words(tok, quotes) if tok.head.lower_ in self.lex.voice_nouns or tok.head.lower_ == "in"
                        else None) or (
                    self._nominal(tok, quotes) if tok.lemma_.lower() in self.lex.nouns else None)
            else:
                item = None
            if item is not None:
                found.append(item)
                taken.update(range(tok.i, tok.i + len(hit[0]) if hit else tok.i + 1))
        found = _merge_chained(found)
        if self.relays:
            found = _citing_relays(found, text)
        found += self._colon_quotes(sdoc, quotes, found, text)
        found += self._line_colons(sdoc, found, text)
        found += self._quote_led_lines(sdoc, found, text)
        found += self._post_signatures(sdoc, found, text)
        return [_closing_mark_kept(_without_dateline(f, text), text) for f in found]

    def _starts(self, sdoc: SpacyDoc) -> list[int]:
        """Indices of the tokens that can start an attribution, in order: a lexicon word as written or as
        lemma, a verb the cue model scored, or a noun under a preposition of ``voice_nouns``. About two thirds
        of a text can start none, and reading each token's strings in the loop of ``find`` cost more than the
        checks themselves; here they are read as hashes, each distinct word looked up once."""
        strings, cache, words = sdoc.vocab.strings, self._word_cache, self._start_words
        if len(cache) > 500_000:  # a long-running process meets ever new words
            cache.clear()
        starts = set(self._scores)
        heads = []
        for i, (lower, lemma) in enumerate(sdoc.to_array([LOWER, LEMMA]).tolist()):
            if (hit := cache.get((lower, lemma))) is None:
                word = strings[lower]
                hit = cache[(lower, lemma)] = (
                    word in words or strings[lemma].lower() in words,
                    word in self._noun_heads)
            if hit[0]:
                starts.add(i)
            if hit[1]:
                heads.append(i)
        starts.update(t.i for h in heads for t in sdoc[h].children if t.pos_ == "NOUN")
        return sorted(starts)

    def _page_label(self, tok: Token) -> bool:
        """A label opening its line ("Claim: …", "Verdict: …" in a fact check): layout, not a cue verb."""
        return tok.lower_ in self.lex.colon_labels and (tok.i == 0 or "\n" in tok.nbor(-1).text) and (
            tok.i + 1 < len(tok.doc) and tok.nbor(1).text == ":")

    def _colon_quotes(self, sdoc: SpacyDoc, quotes, found: list[Found], text: str) -> list[Found]:
        """“X, the city engineer: “…”” and "X on Tuesday: “…”": a named phrase without a verb, a colon,
        then a quotation — the colon is the cue, the phrase the speaker."""
        out = []
        for q in quotes:
            colon = text.rfind(":", 0, q[0])
            if colon < 0 or text[colon + 1 : q[0]].strip() or any(_overlaps(q, f.content) for f in found):
                continue
            span = sdoc.char_span(colon, colon + 1)
            if span is None:
                continue
            sent = span[0].sent
            toks = _trim([t for t in sent if t.i < span[0].i])
            if not 1 <= len(toks) <= 12:
                continue
            if any(t.pos_ in ("VERB", "AUX") for t in toks):
                if (lead := _speaker_of_lead_in(toks)) is not None:
                    out.append(Found(cue=(colon, colon + 1), cue_lemma=":", content=q, source=_chars(lead[1]),
                                     source_head=lead[0], frame=[lead[0].head], confidence=0.55))
                continue
            names = [t for t in toks if t.ent_type_ in ("PERSON", "ORG", "NORP") or t.pos_ == "PROPN"]
            head = next((t for t in names if t.head.i == t.i or t.head not in names), None)
            if head is None or toks[0].lower_ == "by":  # a byline ("by Tom Luongo:") opens the article, says nothing
                continue
            if head.dep_ == "pobj" and head.head.lower_ == "from":  # "The obvious from Robert Borlick: “…”"
                keep = list(head.subtree)
            else:  # the speaker phrase: the name with its apposition, not a time or place after it ("on Tuesday")
                keep = [t for t in toks if t.dep_ not in ("prep", "npadvmod") and not any(
                    a.dep_ in ("prep", "npadvmod") and a in toks for a in t.ancestors)]
            out.append(Found(cue=(colon, colon + 1), cue_lemma=":", content=q, source=_chars(_trim(keep) or toks),
                             source_head=head, frame=[head], confidence=0.6))
        return out

    def _line_colons(self, sdoc: SpacyDoc, found: list[Found], text: str) -> list[Found]:
        """A line that opens with a name and a colon: headlines ("Graham: Trump's rhetoric destroying GOP's
        chance") and transcripts ("TAPPER: Do you think …"). The colon is the cue, the name the speaker, the rest
        of the line what was said — unless the "name" is a label of the page ("Update:", "Photo:",
        ``colon_labels``) or has a verb (then it is a sentence)."""
        out = []
        turns = Counter(m["who"][0] for m in _INTERVIEW_TURN.finditer(text))
        # a headline's "Lavrov:" the tagger missed there but tagged a person in the text
        named_elsewhere = {t.text for e in sdoc.ents if e.label_ in ("PERSON", "ORG", "NORP") for t in e}
        interview = turns["Q"] >= 2 and turns["A"] >= 2  # "Q: … A: …": the turns of an interview are statements
        transcript = _transcript_labels(text)
        for m in _LINE_COLON.finditer(text):
            colon = m.end("name")
            if any(f.cue is not None and f.cue[0] <= colon < f.cue[1] or _overlaps(f.content, (colon, colon + 1))
                   for f in found):
                continue
            name = sdoc.char_span(m.start("name"), colon, alignment_mode="contract")
            if name is None or not 1 <= len(name) <= 5:
                continue
            turn = interview and name.text in _TURN_LABELS or name.text in transcript
            # a name known only from elsewhere in the text needs a statement after it (a verb or a quotation), not a
            # topic ("RCERO Ljubljana: a recycling tale", the name tagged in the body only)
            rest = sdoc.char_span(m.start("content"), m.end("content"), alignment_mode="contract")
            said = rest is not None and any(t.tag_ in ("VBD", "VBP", "VBZ", "MD") or t.text in "“”\"'‘’" for t in rest)
            if not turn and name.text.lower().replace("’", "'") in self.lex.colon_labels or not re.search(
                r"[^\W\d_]{2}", m["content"]
            ):  # a label, or a tally ("Zelensky: 1,547."): no words, no statement
                continue
            # a headline's "Poll: …", "New study: …", "AP-GfK Poll: …": the document speaks (unnamed unless its maker is)
            document = name.root.lemma_.lower() in self.lex.document_nouns | self.lex.survey_nouns and name[0].is_title
            # a name: an actor entity or a transcript's capitals, no verb, no lower-case content word ("Another
            # problem for Sanders: …" is a sentence, "Former AG Mukasey at RNC: …" a name)
            end = m.start("content") + len(m.group("content").rstrip(" ."))
            # a headline clause with its verb of saying in title case ("Israeli Official Warns Russia: You're Next"):
            # the words before the verb speak, through the verb
            verb = next((t for t in name[1:] if t.is_title and t.lower_.endswith("s")  # not "NY Post"
                         and t.lower_[:-1] in self.lex.speech), None)
            if verb is not None and not turn:
                who = name[: verb.i - name.start]
                out.append(Found(cue=(verb.idx, verb.idx + len(verb)), cue_lemma=verb.lower_[:-1],
                                 source=(who.start_char, who.end_char), source_head=who.root,
                                 content=(m.start("content"), end), frame=[who.root], confidence=0.55))
                continue
            if not (turn or document) and (any(t.pos_ in ("VERB", "AUX") or t.is_lower and not t.is_stop for t in name)
                                           or not any(t.ent_type_ in ("PERSON", "ORG", "NORP") or t.is_upper
                                                      or t.text in named_elsewhere and said for t in name)
                                           or len(name) == 1 and (len(name[0]) == 1 or name[0].tag_ in ("NN", "NNS")
                                                                  and not name[0].is_upper and text.count(name.text) == 1)
                                           or _quoted_root(text, name)):
                # a place before the colon is the topic of a headline ("Ukraine: The path to victory?"), a lone
                # common noun named nowhere else its theme ("Hypocrisy: …"; the tagger calls "Sanders" a plural
                # noun), a quotation its lead ("“A Declaration of War”: UK …")
                continue
            if turn and name.text in ("A", "Answer"):
                end = _answer_end(text, end, found)
            out.append(Found(cue=(colon, colon + 1), cue_lemma=":", source=(name.start_char, name.end_char),
                             source_head=name.root, content=(m.start("content"), end),
                             frame=[name.root], confidence=0.55))
        return out

    def _post_signatures(self, sdoc: SpacyDoc, found: list[Found], text: str) -> list[Found]:
        """An embedded post as a page keeps it: the paragraph before a line "— Volodymyr Zelenskyy (@ZelenskyyUa)
        April 16, 2024" is that account's post (cue: the dash; venue and date: the signature). A paragraph already
        attributed to that name ("“…,” Zelensky wrote on X.") keeps its attribution and takes the signature's venue
        and date (``found`` is updated in place). A quotation signed by a dash and a bare name ("“…” ― Olena
        Marchuk") is that person's, with no venue or date."""
        out = []
        for m in _POST_SIGNATURE.finditer(text):
            before = text[: m.start()].rstrip()
            post = _strip(text, (before.rfind("\n") + 1, len(before)), " \t\"“”")
            dash = m.start() + len(m.group()) - len(m.group().lstrip(" \t"))
            out += self._signed(sdoc, found, text, post, m.span("name"), dash, m.span("sig"))
        for m in _SIGNED_QUOTE.finditer(text):
            name = m.span("name")
            if re.search(r"\w\w\.$", m["name"]):  # the sentence's full stop, not an initial ("G.")
                name = (name[0], name[1] - 1)
            out += self._signed(sdoc, found, text, m.span("quote"), name, m.start("dash"), None)
        return out

    @staticmethod
    def _signed(sdoc: SpacyDoc, found: list[Found], text: str, post: tuple[int, int], name_span: tuple[int, int],
                dash: int, sig: tuple[int, int] | None) -> list[Found]:
        """The post or quotation ``post`` signed by the name at ``name_span``: a new attribution, or none when the
        text already attributes it (then, if it is that name's and ``sig`` is given, it takes the signature)."""
        name = sdoc.char_span(*name_span, alignment_mode="contract")
        if name is None or name[0].pos_ == "PRON" or not 0 < post[1] - post[0] <= 1500 or sig is None and not any(
            t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in name
        ):
            return []
        # a signed quotation may report others inside it ("“During the debate Trump said …” ― Ihor Savchenko"): only
        # a cue outside it attributes it already; a post's own paragraph may hold its cue ("…,” Zelensky wrote.)
        attributed = [i for i, f in enumerate(found) if _overlaps(f.content, post) and (
            sig is not None or f.cue is None or not post[0] <= f.cue[0] < post[1])]
        author = {fold(t.text) for t in name if t.is_alpha}
        for i in attributed:
            source = found[i].source
            if sig and source is not None and author & {fold(w) for w in re.findall(r"\w+", text[slice(*source)])}:
                found[i] = replace(found[i], signature=sig)
        if attributed:
            return []
        return [Found(cue=(dash, dash + 1), cue_lemma="post" if sig else "signed", content=post,
                      source=(name.start_char, name.end_char), source_head=name.root, frame=[name.root],
                      confidence=0.7, signature=sig)]

    def _quote_led_lines(self, sdoc: SpacyDoc, found: list[Found], text: str) -> list[Found]:
        """A line that opens with a quotation and a colon: the headline convention "“We will rebuild every
        house”: Kharkiv mayor vows to stay" or "'Russia will lose': Stoltenberg". The quotation is the statement
        of the subject of the clause after the colon (or of the bare name there), the colon its cue. Single
        quotation marks count here, where a line-initial apostrophe cannot be one."""
        out = []
        for m in _QUOTE_LED_LINE.finditer(text):
            quote, colon = (m.start("quote"), m.end("quote")), text.index(":", m.end("quote"))
            if _LINE_QUOTE_PAIRS[m["open"]] != m["close"] or any(_overlaps(f.content, quote) for f in found):
                continue
            rest = sdoc.char_span(m.start("rest"), m.end("rest"), alignment_mode="contract")
            head = rest and _headline_speaker(rest)
            if head is None:
                continue
            cut = {t.i for c in head.children if c.dep_ in ("prep", "relcl", "acl") for t in c.subtree}
            keep = [t for t in head.subtree if rest.start <= t.i < rest.end and t.i not in cut]
            out.append(Found(cue=(colon, colon + 1), cue_lemma=":", content=quote, source=_chars(_trim(keep)),
                             source_head=head, frame=[head], confidence=0.55))
        return out

    def _in_words(self, noun: Token, quotes) -> Found | None:
        """"In Okafor's words, …", "in the minister's view, …": the possessor is the source, the clause the
        phrase is attached to the content. "In a Rating Group poll released Monday, 62 percent …": the poll is the
        source (``survey_nouns``), "in" the cue."""
        prep = noun.head
        if noun.dep_ != "pobj":
            return None
        if prep.lower_ == "in" and noun.lemma_.lower() in self.lex.survey_nouns:
            # only the frame opening a sentence before a comma: "in the polls" inside a clause is mostly where
            # someone stands or is mentioned ("mired in single digits in the polls"), not what a poll says
            cue, lemma, src, clause = [prep], "in", noun, prep.head
            src_toks = _trim([t for t in noun.subtree if t.i > prep.i])
            after = noun.doc[src_toks[-1].i + 1] if src_toks and src_toks[-1].i + 1 < len(noun.doc) else None
            if prep.i != prep.sent.start or after is None or after.text != "," or clause.pos_ not in ("VERB", "AUX"):
                return None
        else:
            src = next((c for c in noun.children if c.dep_ == "poss"), None)
            if noun.lower_ not in self.lex.voice_nouns.get(prep.lower_, ()) or src is None:
                return None
            cue, lemma, clause = [prep, noun], f"{prep.lower_} words" if noun.lower_ == "words" else noun.lemma_, prep.head
            src_toks = _phrase_tokens(src, set())
        content = _block(clause.subtree, {t.i for t in prep.subtree})
        if not content or not src_toks:
            return None
        return Found(cue=_chars(cue), cue_lemma=lemma, content=_widen(_chars(content), quotes, prep.idx),
                     source=_chars(src_toks), source_head=src, frame=[clause], confidence=0.7)

    def _verbal(self, cue_toks: list[Token], lemma: str, quotes, text: str) -> Found | None:
        verb = cue_toks[0]
        if _writers_formula(verb):
            return None
        if lemma in self.lex.speech and (inserted := _inserted_inverted(verb)) is not None:
            speaker, before, after = inserted
            head = next(t for t in speaker if t.head not in speaker)
            return Found(cue=_chars(cue_toks), cue_lemma=lemma, content=_chars(before), source=_chars(speaker),
                         source_head=head, frame=_frame(verb), split=_chars(after),
                         confidence=self._scores.get(verb.i, 0.8) + 0.1)
        subject, relay = _grammatical_subject(verb)
        if subject is not None and any(q[0] <= subject.idx < q[1] <= verb.idx and _leads_cue(q, verb, text) for q in quotes):
            subject = relay = None  # "“… #Cologne,” tweeted a user": the speaker follows the cue (below)
        if subject is not None and subject.left_edge.i > 0 and (prev := verb.doc[subject.left_edge.i - 1]).lemma_ in (
                self.lex.speech) and (inserted := _inserted_inverted(prev)) is not None and subject in inserted[0]:
            return None  # "X, said Y, an analyst, shows that …": the parser's "Y shows" is Y's statement going on
        if subject is not None and any(c.dep_ == "case" for c in subject.children) and verb.tag_ in ("VBP", "NN"):
            # "The officials’ claim that the dam was hit is false": the parser read the possessed noun as the verb
            if not any(c.dep_ == "acl" and c.i > verb.i and any(m.lower_ == "that" for m in c.children)
                       for c in verb.children):
                return None
            return self._misread(verb, subject, [t for t in subject.subtree if t.dep_ != "case"], quotes)
        cue_ids = {t.i for t in cue_toks}
        if (lead := _quote_lead(verb, quotes, text)) is not None and (
            # the parser took a word inside the quotation, or inside a later one ("…,” X, a former minister,
            # said on Channel 5’s “Evening Review.”, with "Evening" the subject)
            subject is None or subject.i < lead[1][0].i or any(q[0] <= subject.idx < q[1] for q in quotes)
            or subject.left_edge.idx < lead[0][1]  # or hung the quotation on the speaker's name
        ):
            return self._led_by_quote(cue_toks, lemma, quotes, text, *lead)
        if lemma in self.lex.raising and subject is not None and subject.head.i == verb.i:
            return self._raising(cue_toks, lemma, subject)
        src = _agent(subject)
        if subject is not None and src is None:
            return None  # "the question has seemed blunt", "this shows that ...": nobody says anything
        # the cue clause core: cue, aux/neg/adverbs, speaker, relay — never part of the content
        core = set(cue_ids)
        core.update(c.i for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod", "prt", "mark", "punct"))
        if _quoted_as(verb):  # "was quoted as saying that …": all of it is the cue, what "saying" says the content
            said = [t for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
                    for t in (c, *(g for g in c.children if g.dep_ == "pcomp"))]
            core.update(t.i for t in said)
            if said and said[0].i == cue_toks[-1].i + 1:  # not across "by Reuters"
                cue_toks = [*cue_toks, *said]
        src_toks: list[Token] = []
        if src is None and subject is None and (src := _speaker_after(verb)) is not None:
            # "“…,” said David Brock, a confidant who heads the PAC Correct the Record": the parser made the
            # speaker the subject of a clause it invented after the cue; that clause is no content
            core.update(t.i for t in src.head.subtree if t.i not in {s.i for s in src.subtree})
        if src is None and subject is None and verb.i > 0 and (
            lemma in self.lex.speech and verb.nbor(-1).text in (",", "”", '"', "''")
            or verb.nbor(-1).text in ("”", '"', "''") and verb.i > 1 and verb.nbor(-2).text in (",", "!", "?")
            and verb.tag_ in ("VBD", "VBZ", "VBP")  # not "…,” X said, *referencing* the large number of …"
        ):  # "“…,” added a New Hampshire Democrat", "“…,” exhorted the governor's introducer": the parser read the
            # speaker as the object (any cue right after a quotation's closing comma)
            src = next((c for c in verb.children if c.dep_ in ("dobj", "attr") and c.i > verb.i
                        and c.pos_ in ("PROPN", "NOUN")), None)
        if src is not None:  # an acl head ("a statement saying ...") contains the cue clause: cut it out
            inside = {t.i for t in verb.subtree} if verb in src.subtree else set()
            src_toks = _phrase_tokens(src, core | inside)
        if src is None and subject is None and (inverted := _inverted_speaker(verb)):
            src, src_toks = inverted[-1], inverted  # "Said Petrenko: “…”" (the parser hung the cue on the name)
        if src is not None and src.lower_ in _RELATIVE:
            src_toks = [src]
        if src is not None and src.pos_ == "PRON" and any(q[0] <= src.idx < q[1] <= verb.idx for q in quotes):
            src, src_toks = None, []  # "said, “We’ll see,” when asked whether …": a pronoun quoted earlier is not who asks
        core.update(t.i for t in src_toks)
        relay_toks = _phrase_tokens(relay, core) if relay is not None else []
        core.update(t.i for t in relay_toks)
        for child in verb.children:  # "with direct knowledge ..." after the agent, "by ...": cue frame
            if child.dep_ in ("agent", "dative") or (child.dep_ == "dobj" and lemma in _RECIPIENT_VERBS):
                core.update(t.i for t in child.subtree)
        as_clause = _parenthetical_as(verb)
        content = [] if as_clause else self._clausal_content(verb, lemma, core)
        if content and src is not None and (stolen := _stolen_subject(src, content)):
            src_toks = [t for t in src_toks if t not in stolen]
            content = _block(stolen[1:] + content, set())
        # content read off a preposition ("said *in a statement*", "complained about X") gives way to a
        # quotation right before or after the cue, like the fallback below
        weak = bool(content) and content[0].head.dep_ == "prep" and content[0].head.head.i == verb.i
        roots = [t for t in content if t.head not in content]  # any content read off a preposition
        on_prep = bool(roots) and all(r.head.dep_ == "prep" and r.head.head.i == verb.i for r in roots)
        confidence = self._scores.get(verb.i, 0.8 if lemma in self.lex.speech else 0.6)
        second: tuple[int, int] | None = None  # the piece after an inserted cue ("The bridge, X said, is safe")
        if not content and (as_clause or verb.dep_ in ("ccomp", "parataxis")):
            content = self._inserted_content(verb, core)
            if content and content[0].i < verb.i < content[-1].i:
                second = _chars(_trim([t for t in content if t.i > verb.i]))
                content = _trim([t for t in content if t.i < verb.i])
            confidence -= 0.05
        if (not content or weak) and src is not None and src.dep_ == "appos" and verb.dep_ in ("advcl", "conj") and (
            verb.head.i < src.i
        ):
            # "Troops have stopped three assaults on the approaches to Chasiv Yar, the commander … said" (the
            # speaker hung in apposition to the statement's last noun, ``_name_before``): the statement is the
            # clause before the speaker
            content, weak = _block([t for t in verb.head.subtree if t.i < src.left_edge.i], core), False
        if not content or weak or on_prep:  # "wrote on X, formerly Twitter, that …" (the clause hung on "Twitter"): the
            # that-clause is what was written, not the platform
            stray = self._stray_that_clause(verb)
            hung = next((t.head for t in stray if t.head not in stray), None)
            # also one hung on the occasion itself: "told reporters on a conference call that Moscow saw …" (not
            # on a noun deeper in: "called for his impeachment following reports that …")
            occasion = on_prep and hung in roots and hung.lemma_.lower() in venues.lexicon().media
            if stray and (not content or weak and stray[0].i > content[-1].i or occasion):
                content, weak = stray, False
        if not content and relay is None and any(c.dep_ == "agent" for c in verb.children):
            # "X has been endorsed by Y": Y is the source, X what the attitude is about
            content = _block([t for c in verb.children if c.dep_ == "nsubjpass" for t in c.subtree], core - {
                t.i for c in verb.children if c.dep_ == "nsubjpass" for t in c.subtree})
        if not content and verb.dep_ == "relcl" and src is not None and (
                fronted := _titled_speaker_after_statement(verb, src)) is not None:
            # "…, killing five people, the regional governor Vyacheslav Gladkov said": the parser hung "Gladkov said"
            # on "governor" as a relative clause; the title is the speaker's, the statement the clause before it
            content, title = fronted
            src_toks = _trim([*title, *src_toks])
        if not content and verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PRON", "PROPN") and (
            verb.dep_ == "acl" and src is not None and src.i != verb.head.i
            or verb.dep_ == "relcl" and src is not None and src.lower_ not in _RELATIVE
        ):  # "the bill, opposed by Republicans", "something she opposed": the noun the clause describes
            content = _trim([t for t in verb.head.subtree if t.i <= verb.head.i and t.i not in core])
        if not content and src is None and relay is None and self._scores.get(verb.i, 0.0) >= self.model.threshold and (
            passive := next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        ) is not None:  # "Sanders was projected as the winner": what is said (of whom), by nobody named
            pieces = [c for c in verb.children if c.i > verb.i and c.dep_ in ("prep", "oprd", "attr")][:1]
            subject_toks = _trim(list(passive.subtree))
            if pieces and subject_toks and subject_toks[-1].i < verb.i:
                content = subject_toks
                second = _chars(_trim(list(pieces[0].subtree)))
        if not content and src is not None and lemma in self.lex.speech:
            content = _fronted_statement(verb, src, core)
        if not content and lemma in _RECIPIENT_VERBS:  # "warns residents of longer blackouts": the topic of the
            # people told, hung on them by the parser
            content = [t for c in verb.children if c.dep_ == "dobj" for p in c.children
                       if p.dep_ == "prep" and p.lower_ in ("of", "about") for t in p.subtree]
        if not content and self._scores.get(verb.i, 0.0) >= 0.8:
            # a confident cue with no complement the rules know: what follows it in its own phrase
            # (a clause or a second verb hung on it only when nothing else is there: "thanked the crews *and urged
            # allies to …*", but "derided and insulted “the professional left”")
            phrase = [t for t in verb.subtree if t.i > verb.i and t.dep_ not in ("punct", "cc")
                      and not (t.head.i == verb.i and t.dep_ in ("advcl", "conj", "npadvmod"))]
            hung = {t.i for c in verb.children if c.dep_ in ("advcl", "conj") for t in c.subtree}
            content = _block(phrase, core | hung) or _block(phrase, core)
            weak = True
        if content and src_toks and content[-1].i + 1 == src_toks[0].i and (
                title := _speakers_title(content)) is not None:
            # "…, including a child, the regional governor Ivan Petrenko said": the title the parser left in the
            # statement (in apposition to its last noun) is the speaker's
            content, src_toks = _trim(content[: content.index(title[0]) - 1]), [*title, *src_toks]
        content_span = _chars(content)
        # a quotation opening after the cue is never part of the speaker ("“A,” said Y, “B.”")
        src_toks = _without(src_toks, [q for q in quotes if q[0] > verb.idx], src)
        before, after = self._adjacent_quotes(verb, quotes, src_toks, text)
        quote = after or before
        if quote is not None and (content_span is None or not _overlaps(quote, content_span)):
            if content_span is None or weak or lemma in self.lex.speech and quote[0] >= verb.idx:
                content_span = quote if content_span is None or weak or quote[0] > content_span[1] else content_span
        if (content_span is None or weak or on_prep) and lemma in self.lex.speech and (
            block := _block_after_colon(verb, text)
        ) is not None:  # "The ministry said in a statement:" and the paragraph after it
            content_span = block
        if content_span is None:
            return None
        content_span = _widen(content_span, quotes, verb.idx)
        split = second if second and not _overlaps(second, content_span) else None
        if before and after and content_span in (before, after) and text[before[0] : before[1]].rstrip(
            "”\"»'"
        ).endswith(","):  # “A,” the mayor said, “B.”: one statement in two pieces
            split = before if content_span == after else after
        src_toks = _without(src_toks, [content_span], src)
        return Found(
            cue=_chars(_cue_extent(cue_toks, content_span)),
            cue_lemma=lemma,
            content=content_span,
            source=_chars(src_toks),
            source_head=src if src_toks else None,
            frame=_frame(verb),
            relay=_chars(relay_toks),
            relay_head=relay if relay_toks else None,
            confidence=confidence + (0.1 if src_toks else -0.2),
            split=split,
        )

    def _led_by_quote(self, cue_toks: list[Token], lemma: str, quotes, text: str, quote: tuple[int, int],
                      speaker: list[Token]) -> Found:
        """"“We were wrong,” Ramos, 58, told AFP": the quotation is the content and the words between it and the
        cue the speaker, whatever the parser made of them (it often hangs the cue on a verb inside the quotation
        and takes its subject, "We", for the speaker)."""
        verb = cue_toks[0]
        head = next((t for t in speaker if t.head not in speaker and t.pos_ in ("PROPN", "NOUN", "PRON")),
                    next(t for t in speaker if t.pos_ in ("PROPN", "NOUN", "PRON")))
        _, after = self._adjacent_quotes(verb, quotes, speaker, text)
        split = after if after is not None and text[quote[0] : quote[1]].rstrip("”\"»'").endswith(",") else None
        return Found(cue=_chars(_cue_extent(cue_toks, quote)), cue_lemma=lemma,
                     content=quote, source=_chars(speaker), source_head=head, frame=_frame(verb),
                     confidence=self._scores.get(verb.i, 0.8) + 0.1, split=split)

    @staticmethod
    def _raising(cue_toks: list[Token], lemma: str, subject: Token) -> Found | None:
        """"X appears to resonate with voters", "the fallout seems significant": an impression nobody in the
        text voices — no source; the content is the subject and the complement, in two pieces."""
        verb = cue_toks[0]
        comp = _trim([t for c in verb.children if c.dep_ in ("xcomp", "ccomp", "acomp", "oprd", "attr")
                      for t in c.subtree])
        subj = _trim(list(subject.subtree))
        if not comp or not subj or subj[-1].i > verb.i:
            return None
        return Found(cue=_chars(_cue_extent(cue_toks, _chars(comp))), cue_lemma=lemma, content=_chars(subj),
                     source=None, source_head=None, frame=_frame(verb), split=_chars(comp), confidence=0.5)

    @staticmethod
    def _stray_that_clause(verb: Token) -> list[Token]:
        """A "that"-clause the parser hung on a noun after the cue ("told by officials with knowledge of the
        plan *that the contract was signed*"), or on a relative clause of the speaker ("told by two officials
        who spoke on condition of anonymity *that capitals are preparing* …"): the first such clause after the
        cue in its subtree."""
        for tok in verb.subtree:
            if tok.i > verb.i and (
                tok.dep_ in ("acl", "relcl") or tok.dep_ == "ccomp" and tok.head.dep_ in ("acl", "relcl")
            ) and any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children):
                return _block(tok.subtree, set())
        return []

    @staticmethod
    def _adjacent_quotes(verb: Token, quotes, src_toks: list[Token], text: str) -> tuple[tuple[int, int] | None, ...]:
        """(before, after): the quotation right before the cue ("“…,” he said") and the one right after it
        ("said: “…”", "adding\\n\\n“…”"); both for a quote split around its cue."""
        anchor_end = max(verb.idx + len(verb.text), *(t.idx + len(t.text) for t in src_toks)) if src_toks else (
            verb.idx + len(verb.text)
        )
        anchor_start = min([verb.idx] + [t.idx for t in src_toks])
        after = next((q for q in quotes if q[0] >= anchor_end), None)
        if after is not None:
            gap = text[anchor_end : after[0]]
            if not (len(gap) <= 60 and not re.search(r"[.!?]\s", gap) and re.fullmatch(r"[^“”\"]*[:,]?\s*", gap)
                    and (gap.strip() == "" or gap.rstrip().endswith((":", ",")))) or any(
                t.pos_ == "VERB" and t.i > verb.i for t in verb.doc[verb.i + 1 : verb.i + 12] if t.idx < after[0]
            ):  # "“A,” he said, *adding*, “B”": the second quotation is the other verb's
                after = None
        before = next((q for q in reversed(quotes) if q[1] <= anchor_start), None)
        if before is not None:
            gap, inner = text[before[1] : anchor_start], text[before[0] : before[1]].rstrip("”\"»'")
            # “We will rebuild every house.” Okafor said. — a full stop inside the quotation, then on the same line a cue
            # with nothing to say of its own: the writer's slip for a comma
            bare = inner.endswith(".") and gap.strip(" ") == "" and verb.lemma_ in ("say", "tell", "add", "write") and all(
                c.dep_ in ("nsubj", "aux", "advmod", "prep", "npadvmod", "punct", "neg") for c in verb.children)
            if not (len(gap) <= 4 and re.fullmatch(r"[\s,]*", gap) and (inner.endswith((",", "?", "!", "—")) or bare)):
                before = None
        return before, after

    @staticmethod
    def _misread(cue: Token, subject: Token, phrase: list[Token], quotes) -> Found | None:
        """The statement of a cue ``misread_cue`` recognised: its clause, said by the plural noun before it."""
        clause = next(c for c in cue.children if c.i > cue.i and c.dep_ in ("acl", "ccomp", "relcl"))  # the first
        content = _block(clause.subtree, set())
        if not content:
            return None
        return Found(cue=_chars([cue]), cue_lemma=cue.lemma_.lower(), content=_widen(_chars(content), quotes, cue.idx),
                     source=_chars(phrase), source_head=subject, frame=[cue], confidence=0.7)

    def _according(self, cue_toks: list[Token], lemma: str, quotes, text: str) -> Found | None:
        last = cue_toks[-1]
        obj = next((c for c in last.children if c.dep_ == "pobj"), None)
        if obj is None or cue_toks[0].dep_ == "ROOT":
            return self._according_by_commas(cue_toks, lemma, quotes)
        src_toks = _trim(list(obj.subtree))
        head = cue_toks[0].head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        skip = {t.i for t in cue_toks[0].subtree} | {t.i for t in cue_toks}
        opens = all(t.is_punct or t.is_space for t in cue_toks[0].sent[: cue_toks[0].i - cue_toks[0].sent.start])
        if opens and not any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in head.children):
            # "According to researchers at X, the same network has spread …": the parser made the clause's subject
            # an apposition of the source, leaving the verb without one (mid-sentence, "The reason, according to
            # Ross, a former envoy, was …", the apposition describes the source)
            appos = next((t for t in obj.subtree if t.dep_ == "appos" and t.i > obj.i and src_toks
                          and t.right_edge.i == src_toks[-1].i), None)
            if appos is not None:
                moved = {t.i for t in appos.subtree}
                src_toks = _trim([t for t in src_toks if t.i not in moved])
                skip -= moved
        reported = self.relays and head.lemma_ in self.lex.speech and any(c.dep_ == "ccomp" for c in head.children)
        if reported and (relayed := self._verbal([head], head.lemma_, quotes, text)) is not None and (
            relayed.source is not None and relayed.relay is None
        ):  # "According to Brooks, two officials said …": the officials are the source, Brooks relays them
            return replace(relayed, relay=_chars(src_toks), relay_head=obj, confidence=max(relayed.confidence, 0.85))
        content = _block(head.subtree, skip)
        if not content:
            return None
        return Found(
            cue=_chars(cue_toks),
            cue_lemma=lemma,
            content=_widen(_chars(content), quotes, cue_toks[0].idx),
            source=_chars(src_toks),
            source_head=obj,
            frame=[head],
            confidence=0.85,
        )

    @staticmethod
    def _according_by_commas(cue_toks: list[Token], lemma: str, quotes) -> Found | None:
        """"According to X, …" / "…, according to X." when the parser broke the phrase (it made "According" the
        root and the clause an apposition of X, or read a noun of the source as a verb): the comma is the border. The
        phrase must open its sentence up to a comma or close it after one; the source is the phrase's noun words."""
        sent, first, last = cue_toks[0].sent, cue_toks[0], cue_toks[-1]
        if first.i == sent.start:
            comma = next((t for t in sent if t.i > last.i and t.text == ","), None)
            if comma is None:
                return None
            source, content = sent.doc[last.i + 1: comma.i], list(sent.doc[comma.i + 1: sent.end])
        elif first.i > sent.start and first.nbor(-1).text == ",":
            source, content = sent.doc[last.i + 1: sent.end], list(sent.doc[sent.start: first.i - 1])
        else:
            return None
        # "… according to officials who asked not to be named": the noun phrase ends before its relative clause
        source = next((source[:k] for k, t in enumerate(source) if t.lower_ in ("who", "which", "that")), source)
        src_toks, content = _trim(list(source)), _trim(content)
        if not src_toks or not content or not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in src_toks) or any(
            t.tag_ in ("VBD", "VBZ", "MD") for t in src_toks
        ):
            return None
        root = max(src_toks, key=lambda t: (t.pos_ in ("PROPN", "NOUN", "PRON"), t.i))
        return Found(cue=_chars(cue_toks), cue_lemma=lemma, content=_widen(_chars(content), quotes, first.idx),
                     source=_chars(src_toks), source_head=root, frame=[first], confidence=0.7)

    def _nominal(self, noun: Token, quotes) -> Found | None:
        """"his claim that …", "the warning by officials that …", "a fear among observers that …": a noun with a
        complement clause."""
        clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
        if clause is None:
            return None
        src = next((c for c in noun.children if c.dep_ == "poss"), None)
        if src is None:
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "among")), None)
            src = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if src is None:  # "the idea that ...", "the notion that ...": nobody's statement (on PolNeAR train two
            return None  # in three such nouns without a holder are no attribution)
        src_toks = _phrase_tokens(src, {noun.i})
        if src_toks and src_toks[-1].dep_ == "case":  # "Trump's" -> "Trump"
            src_toks = src_toks[:-1]
        content = _block(clause.subtree, set())
        if not content:
            return None
        return Found(
            cue=_chars([noun]),
            cue_lemma=noun.lemma_.lower(),
            content=_widen(_chars(content), quotes, noun.idx),
            source=_chars(src_toks),
            source_head=src if src_toks else None,
            frame=[noun] + ([noun.head] if noun.head.pos_ in ("VERB", "AUX") else []),
            confidence=0.6,
        )

    @staticmethod
    def _hearsay(adverb: Token, quotes) -> Found | None:
        """"X *reportedly* wants …": the clause is reported by nobody named (an unattributed statement)."""
        clause = adverb.head
        if clause.pos_ not in ("VERB", "AUX"):
            return None
        before = _trim([t for t in clause.subtree if t.i < adverb.i])  # the clause around the adverb: two pieces
        after = _trim([t for t in clause.subtree if t.i > adverb.i])
        if not after:
            return None
        return Found(cue=_chars([adverb]), cue_lemma=adverb.lower_, content=_chars(before or after),
                     split=_chars(after) if before else None, source=None, source_head=None, frame=[clause],
                     confidence=0.6)

    def _title(self, tok: Token, quotes) -> Found | None:
        """"an article entitled “…”": the title is a statement by the article's author."""
        nxt = next((q for q in quotes if 0 <= q[0] - (tok.idx + len(tok.text)) <= 2), None)
        if nxt is None:
            return None
        medium, node = None, tok
        while node.head.i != node.i:
            node = node.head
            if medium is None and node.lemma_.lower() in venues.lexicon().media:
                medium = node
            if node.pos_ in ("VERB", "AUX"):
                break
        src, _ = _subject(node) if node.pos_ in ("VERB", "AUX") else (None, None)
        src_toks = _phrase_tokens(src, {node.i}) if src is not None else []
        return Found(
            cue=_chars([tok]),
            cue_lemma=tok.lemma_.lower(),
            content=nxt,
            source=_chars(src_toks),
            source_head=src,
            frame=[tok, node],
            venue_head=medium,
            confidence=0.75,
        )


def _answer_end(text: str, line_end: int, found: list[Found]) -> int:
    """Where an interview answer ends: an answer may run over several paragraphs, up to the next "Q:"/"A:"
    turn. Paragraphs after the last turn stay out (an editor's note, the reporter's closing narration), and
    so does any stretch with an attribution of its own (narration between the turns)."""
    following = _INTERVIEW_TURN.search(text, line_end)
    if following is None:
        return line_end
    end = line_end + len(text[line_end:following.start()].rstrip(" .\n\t"))
    if any(f.cue is not None and line_end <= f.cue[0] < end for f in found):
        return line_end
    return end


def _one_of_them(head: Token) -> Token | None:
    """The group in "one of them", "two of them", "one of those", "one of the people": part of the speakers just
    mentioned (the pronoun or plural noun), else None."""
    if not (head.lower_ in _PARTITIVES or head.like_num):
        return None
    return next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                 if g.lower_ in ("them", "those", "these") or g.tag_ in ("NNS", "NNPS") and any(
                     d.dep_ == "det" and d.lower_ in ("the", "these", "those") for d in g.children)), None)


def _headline_speaker(clause: SpacySpan) -> Token | None:
    """Who a headline clause is about: the subject of its first verb ("Kharkiv mayor vows to stay"), or a
    short verbless name ("Stoltenberg", "Zelensky at the Ramstein meeting") — a name or a person noun, never a
    pronoun or a place."""
    verb = next((t for t in clause if t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass")
                                                                     for c in t.children)), None)
    if verb is not None:
        head = next(c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))
    elif len(clause) <= 6 and any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP") for t in clause):
        head = clause.root
    else:
        return None
    if not clause.start <= head.i < clause.end or head.pos_ == "PRON" or head.ent_type_ in _PLACE_TYPES:
        return None
    if head.left_edge.i > clause.start + 1:  # the speaker opens the clause ("…: Top Mosquito Expert Blasts … Claim
        return None  # That Climate Change Will …" is not Climate Change's)
    lex = lexicon()
    speaks = head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "NORP") or head.lemma_.lower() in (
        _person_nouns() | lex.anonymous_heads)
    if head.lemma_.lower() in lex.message_nouns | lex.document_nouns:
        return None  # "…: Letters to the Editor" is a page's section
    return head if speaks else None  # "…: A mosque feels the spotlight" is about the mosque, no one speaking


def _stolen_subject(src: Token, content: list[Token]) -> list[Token]:
    """The start of the content the parser read as a relative clause of the speaker: "told by two American sources
    *that talks* on a ceasefire have been underway" ("that" the relative pronoun, "talks" its verb) leaves a
    content without its "that" and its subject. Returns that clause ("that" first) when it has no object of its
    own and the content, which has no "that" of its own, follows it; else nothing."""
    clause = next((c for c in src.children if c.dep_ == "relcl" and c.i > src.i), None)
    if clause is None or any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr") for c in clause.children):
        return []
    pronoun = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    tokens = list(clause.subtree)
    root = next(t for t in content if t.head not in content)
    if pronoun is None or pronoun.lower_ != "that" or tokens[0].i != pronoun.i or any(
        c.dep_ == "mark" for c in root.children
    ) or content[0].i != tokens[-1].i + 1:
        return []
    return tokens


def _closing_mark_kept(f: Found, text: str) -> Found:
    """Content that opens a single quotation mark and stops right before its closing one takes it in ("Says US
    Politicians ‘Don’t Care About Ukraine’": the parser hangs the closing mark on the cue)."""
    start, end = f.content
    marks, after = _QUOTE_MARK.findall(text, start, end), _QUOTE_MARK.match(text, end)
    if after is not None and (after.group() == "’" and marks.count("‘") > marks.count("’")
                              or after.group() == "'" and marks.count("'") % 2 == 1):
        return replace(f, content=(start, end + 1))
    return f


def _without_dateline(f: Found, text: str) -> Found:
    """Content or a speaker that opens its line with a dateline starts after it ("KYIV, Dec. 4 (Meridian Wire) - Ukraine's
    foreign ministry summoned …, officials said": the place, date and agency are the wire's, not the statement)."""
    if f.source is not None and (m := DATELINE.match(text, f.source[0])) is not None and m.end() < f.source[1]:
        f = replace(f, source=(m.end(), f.source[1]))  # "13:10 GMT – Odesa governor says …": the stamp is no speaker
    if (m := DATELINE.match(text, f.content[0])) is None or m.end() >= f.content[1]:
        return f
    return replace(f, content=(m.end(), f.content[1]))


def _citing_relays(found: list[Found], text: str) -> list[Found]:
    """"The Washington Post, *citing* unnamed US officials, alleged that …", "As RIA Novosti reported, citing a source
    in the security services, …": the cited are the origin and the outlet relays them, so the citing participle
    becomes the chain of the statement next to it in its sentence rather than a statement of its own."""
    out = list(found)
    for cite in found:
        verb = cite.frame[0]
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if cite.cue_lemma not in ("cite", "quote") or verb.tag_ != "VBG" or obj is None:
            continue
        near = [f for f in out if f is not cite and f.cue is not None and f.source is not None and f.relay is None
                and f.cue_lemma not in ("cite", "quote") and f.frame[0].sent.start == verb.sent.start]
        if not near:
            continue
        target = min(near, key=lambda f: abs(f.frame[0].i - verb.i))
        clause = _chars(verb.subtree)
        content = target.content
        if content[0] <= clause[0] < content[1]:  # the parser put the citing clause into the content: cut it off
            content = _strip(text, (clause[1], content[1]) if clause[0] == content[0] else (content[0], clause[0]))
        # the cited phrase, without the statement the parser may have hung on it ("citing officials, reported …")
        statement = target.frame[0]
        hung = {t.i for t in statement.subtree} if statement in obj.subtree else set()
        cited = _trim([t for t in obj.subtree if t.i not in hung])
        relay = target.source  # without the citing clause, when the parser put it there
        if relay[0] < clause[0] < relay[1]:
            relay = _strip(text, (relay[0], clause[0]))
        out[out.index(target)] = replace(target, content=content, source=_chars(cited),
                                         source_head=obj, relay=relay, relay_head=target.source_head)
        out.remove(cite)
    return out


def _strip(text: str, span: tuple[int, int], chars: str = " ,;—–") -> tuple[int, int]:
    """``span`` without the spaces and clause punctuation at its ends."""
    start, end = span
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _merge_chained(found: list[Found]) -> list[Found]:
    """"X continues to believe that …", "Y went on to promise …": when the content of a cue is the infinitive of
    another cue, the two are one cue ("continues to believe") with the inner one's speaker and content."""
    by_verb = {f.frame[0].i: f for f in found if f.cue is not None and f.frame}
    out = []
    for f in found:
        inner = next((g for c in f.frame[0].children if c.dep_ == "xcomp" and (g := by_verb.get(c.i)) is not None
                      and g is not f), None) if f.frame and f.cue is not None and f.cue_lemma not in (":",) else None
        if inner is not None and inner.cue is not None and f.cue[0] < inner.cue[0] and _overlaps(inner.cue, f.content):
            inner.cue = (f.cue[0], inner.cue[1])
            inner.source, inner.source_head = inner.source or f.source, inner.source_head or f.source_head
            continue
        out.append(f)
    return out


def _cue_extent(cue_toks: list[Token], content: tuple[int, int]) -> list[Token]:
    """The cue as annotators mark it: with its auxiliaries and adverbs right before it ("has also said")
    and the preposition that introduces its content ("called *for*", "complained *about*")."""
    verb = cue_toks[0]
    toks = list(cue_toks)
    left = {c.i: c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < verb.i}
    i = verb.i - 1
    while i in left:
        toks.insert(0, left[i])
        i -= 1
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if nxt is not None and nxt.dep_ == "prep" and nxt.head.i == verb.i and nxt.idx + len(nxt.text) <= content[0] and (
        content[0] - (nxt.idx + len(nxt.text)) <= 1
    ):
        toks.append(nxt)
    return toks


def _quote_lead(verb: Token, quotes: list[tuple[int, int]], text: str) -> tuple[tuple[int, int], list[Token]] | None:
    """(quotation, speaker tokens) when a cue follows "“…,” <a short name phrase>" ("“…,” Ramos, 58, told",
    "“…?” Bozell answers") and has no "that"-clause of its own after it; None otherwise."""
    quote = next((q for q in reversed(quotes) if q[1] <= verb.idx), None)
    if quote is None or verb.idx - quote[1] > 80 or not text[quote[0] : quote[1]].rstrip("”\"»'").endswith(
        (",", "?", "!", "—", "-")
    ) or any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children):
        return None
    doc = verb.doc
    span = doc.char_span(quote[1], verb.idx, alignment_mode="expand")
    between = [t for t in span if t.i < verb.i] if span is not None else []
    if not between or between[0].idx < quote[1] or text[quote[1] : between[0].idx].strip(" ,\n"):
        return None
    speaker = _trim(between)
    if not 1 <= len(speaker) <= 10 or speaker[0].pos_ in ("ADP", "SCONJ", "CCONJ") or any(
        t.pos_ in ("VERB", "AUX") or t.text in "“”\"«»" for t in speaker
    ) or not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in speaker):
        return None
    return quote, speaker


def _parenthetical_as(verb: Token) -> bool:
    """"As X writes, …": an "as"-clause cue whose content is the clause it is inserted in. With content of its
    own it is a time clause instead ("As Obama lectured the nation about Muslims, Trump …", "as the head of the
    committee has accused his party of a breach, …"): on PolNeAR train its content is that complement."""
    if verb.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return False
    return not any(  # (an xcomp is a mis-attached piece of the content: "as X writes, “not losing” does not …")
        c.dep_ == "ccomp"
        or c.dep_ == "dobj" and c.lower_ not in ("it", "so", "this", "that") and c.i > verb.i
        and verb.lemma_ not in _NO_OBJECT_CONTENT  # "as he told reporters, …" stays parenthetical
        or c.dep_ == "prep" and c.lower_ in _TOPIC_PREPOSITIONS - _ADDRESSEE_PREPOSITIONS and c.i > verb.i
        for c in verb.children
    )


def _speakers_title(content: list[Token]) -> list[Token] | None:
    """The person noun phrase ending ``content`` after a comma ("…, the regional governor"), when the content
    keeps three words before it."""
    noun = content[-1]
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _person_nouns():
        return None
    title = [t for t in content if noun.left_edge.i <= t.i <= noun.i]
    k = content.index(title[0])
    if k < 4 or content[k - 1].text != "," or sum(t.is_alpha for t in content[: k - 1]) < 3:
        return None
    return title


def _titled_speaker_after_statement(verb: Token, src: Token) -> tuple[list[Token], list[Token]] | None:
    """(statement, title words) when a relative-clause cue hangs on a person noun right before its subject's name,
    after a comma that ends the statement: "<statement>, the regional governor Vyacheslav Gladkov said"."""
    noun = verb.head
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _person_nouns() or src.left_edge.i != noun.i + 1:
        return None
    title = list(verb.doc[noun.left_edge.i : noun.i + 1])
    start = title[0].i
    sent = verb.sent
    if start - 1 <= sent.start or verb.doc[start - 1].text != ",":
        return None
    statement = _trim(list(verb.doc[sent.start : start - 1]))
    return (statement, title) if sum(t.is_alpha for t in statement) >= 3 else None


def _when(tok: Token) -> bool:
    """A time adverbial: "earlier", "on Thursday", "Tuesday"."""
    if tok.lower_ in ("earlier", "later", "again", "previously", "also"):
        return True
    return any(t.ent_type_ in ("DATE", "TIME") for t in (tok, *(c for c in tok.children if c.dep_ == "pobj")))


def _fronted_statement(verb: Token, src: Token, core: set[int]) -> list[Token]:
    """"Navalny dead, prison service says": a verbless statement before "<speaker> says" closing the sentence, which
    the parser left hanging (``dep``) instead of making it the cue's complement. Only when nothing but
    punctuation or a time follows the cue."""
    start = src.left_edge.i
    sent = verb.sent
    if start < sent.start + 2 or verb.doc[start - 1].text != "," or src.head.i != verb.i:
        return []
    if any(not t.is_space and (t.dep_ not in ("punct", "npadvmod", "prep", "pobj", "det", "compound", "amod")
                                or t.ent_type_ not in ("", "DATE", "TIME") and t.dep_ != "punct")
           for t in verb.doc[verb.i + 1 : sent.end]):
        return []
    piece = [t for t in verb.doc[sent.start : start - 1] if t.i not in core]
    if not any(t.head.i == verb.i and t.dep_ in ("dep", "npadvmod", "nsubj", "advcl") for t in piece) or any(
            t.text in ("[", "(") for t in piece):  # "[emphasis, links added]": an editor's note
        return []
    piece = _trim(piece)
    return piece if sum(t.is_alpha for t in piece) >= 2 else []


def _asked_aside(verb: Token) -> bool:
    """"Lavrov, asked about the reports, said: …" misparsed with "asked" as the clause's verb and "Lavrov" its
    subject: a comma between a subject and "asked" makes it the passive aside, not Lavrov asking."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    return (verb.lemma_ == "ask" and subj is not None and verb.i >= 2 and verb.nbor(-1).text == ","
            and subj.right_edge.i in (verb.i - 2, verb.i - 1))  # the parser may hang the comma on the subject


def _governor(verb: Token) -> Token | None:
    """The verb a participle, infinitive or conjunct hangs from ("reiterated ..., *stating*: “…”")."""
    if verb.head.i == verb.i:
        return None
    if verb.dep_ in ("dep", "conj", "parataxis") and verb.head.i < verb.i and _asked_aside(verb.head):
        return verb.head  # "Lavrov, asked about …, *said*": the aside's subject speaks
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.dep_ == "ccomp" and (
        verb.head.head.i < verb.head.i and (verb.i < verb.head.i or verb.head.head.lemma_ in lexicon().speech)
    ):
        # "X reiterated ..., stating: “…”" / "X admitted that ..., while complaining that ...": the parser
        # hangs the participle under the reported clause; its subject is the reporting verb's (not when that
        # clause comes first: "Weaver didn't seem impressed, telling reporters, “A lot of people said …”")
        return verb.head.head
    if _said_next(verb):
        # "X said the deadlock has “kept us safe” before *claiming* that …": the parser hangs the participle on the
        # reported clause; X, not the deadlock, claims
        return verb.head.head.head
    if verb.dep_ == "pcomp" and verb.head.pos_ in ("ADP", "SCONJ") and verb.head.head.pos_ in ("VERB", "AUX", "ADJ"):
        # "began by talking about ..., *saying*", "after *saying* he was nervous", "aggressive in *pushing*",
        # "Since *announcing* X, Johnson has risen"
        return verb.head.head
    if verb.tag_ == "VBG" and verb.dep_ in ("nsubj", "csubj") and verb.i > 0 and verb.nbor(-1).text == "," and (
            verb.sent.root.i < verb.i and verb.sent.root.pos_ in ("VERB", "AUX")):
        # "X shared the news last week, *writing* “Feels great …”": the parser made the participle the subject of
        # the quotation's verb; it belongs to the clause before the comma
        return verb.sent.root
    head = verb.head
    progressive = head.tag_ == "VBG" and verb.tag_ == "VBD" and any(
        c.dep_ == "aux" and c.lemma_ == "be" for c in head.children)
    # or the tenses part: "said France *would deliver* shells and *insisted* that …" (the reported clause would
    # say "and insist")
    tense_break = verb.tag_ == "VBD" and (head.tag_ in ("VBZ", "VBP") or head.tag_ == "VB" and any(
        c.tag_ == "MD" for c in head.children))
    if (verb.dep_ == "conj" and verb.lemma_ in lexicon().speech and head.dep_ == "ccomp"
            and (head.lemma_ == "be" or progressive or tense_break) and head.head.i < head.i
            and head.head.lemma_ in lexicon().speech):
        # "He added that shortages were “the one thing …” and *urged* allies to …", "wrote that Russia was “using
        # hunger as a weapon” and *called on* the UN to act": the parser joins the second reporting verb to the
        # reported copular or progressive clause; its speaker is the first one's, not "shortages" or "Russia"
        return head.head
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp") or (verb.dep_ == "ccomp" and verb.tag_ == "VBG") or (
        verb.dep_ == "acomp" and (verb.pos_ == "ADJ" or verb.tag_ == "VBN" and (
            verb.lemma_ in lexicon().attitude_passives or verb.lemma_ not in lexicon().verbs))
    ):  # "he is quick *to point out*", "X is *convinced* that", "*worried* about": the subject of the copula (not
        # for a passive of saying or knowing: "Pfizer is well *known* for …" is no one's statement of Pfizer's)
        return verb.head
    return None


def _frame(verb: Token) -> list[Token]:
    """The cue and the verbs it hangs from as a participle or infinitive (where venue and date are said)."""
    frame = [verb]
    while (up := _governor(frame[-1])) is not None and len(frame) < 4:
        frame.append(up)
    return frame


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _without(toks: list[Token], spans: list[tuple[int, int]], head: Token | None) -> list[Token]:
    """A speaker phrase minus the tokens inside ``spans``; nothing when its head falls inside."""
    kept = [t for t in toks if not any(a <= t.idx < b for a, b in spans)]
    if len(kept) == len(toks):
        return toks
    kept = _trim(kept)
    return kept if head in kept else []


def _widen(span: tuple[int, int], quotes: list[tuple[int, int]], cue_start: int) -> tuple[int, int]:
    """Widen content to every quotation it overlaps (but never over the cue)."""
    start, end = span
    for q in quotes:
        if _overlaps(q, (start, end)) and not (q[0] <= cue_start < q[1]):
            start, end = min(start, q[0]), max(end, q[1])
    return start, end


def extract(sdoc: SpacyDoc, finder: Finder | None = None) -> list[Found]:
    """All attributions in a parsed text, one per content span (what the component turns into quotes)."""
    return _dedupe((finder or Finder()).find(sdoc))


# --- from attributions to Quote objects -------------------------------------------------------------


def _token_ids(sdoc: SpacyDoc, span: tuple[int, int] | None) -> set[int]:
    if span is None:
        return set()
    s = sdoc.char_span(span[0], span[1], alignment_mode="expand")
    return set(range(s.start, s.end)) if s is not None else set()


class _Entities:
    """Entity mentions of the ``actors``/``coref`` components, looked up by character overlap."""

    _KIND_RANK = {"name": 0, "nominal": 1, "pronoun": 2}

    def __init__(self, entities: list[Entity]):
        self.by_id = {e.id: e for e in entities}
        self.mentions: list[Mention] = [m for e in entities for m in e.mentions if m.entity_id or e.id]
        self.owner = {id(m): e.id for e in entities for m in e.mentions}
        # the mentions by start offset, for ``lookup`` (a quote looks up several phrases, an article has
        # hundreds of mentions)
        self._by_start = sorted(range(len(self.mentions)), key=lambda k: self.mentions[k].start)
        self._starts = [self.mentions[k].start for k in self._by_start]
        self._longest = max((m.end - m.start for m in self.mentions), default=0)

    def lookup(self, span: tuple[int, int] | None, head: Token | None) -> Entity | None:
        if span is None:
            return None
        # the phrase must *be* the actor: a mention of its head or of an apposition ("the mayor of Kyiv,
        # Vitali Klitschko"), not of a modifier ("the US mission to NATO" is not NATO)
        anchors = [head] if head is not None else []
        if head is not None:
            anchors += [t for t in _appositions(head) if span[0] <= t.idx < span[1]]
        at = [(t.idx, t.idx + len(t.text)) for t in anchors] or [span]
        near = {k for a, b in at
                for k in self._by_start[bisect_left(self._starts, a - self._longest) : bisect_left(self._starts, b)]
                if a < self.mentions[k].end}
        hits = [self.mentions[k] for k in sorted(near)]  # in entity order, as ``min`` below breaks ties by it
        if not hits:
            return None
        head_at = head.idx if head is not None else -1

        def rank(m: Mention):
            covers_head = m.start <= head_at < m.end
            overlap = min(m.end, span[1]) - max(m.start, span[0])
            return (not covers_head, self._KIND_RANK.get(m.kind, 3), -overlap)

        best = min(hits, key=rank)
        return self.by_id.get(best.entity_id or self.owner[id(best)])


def _plural_subject_before(head: Token) -> Token | None:
    """The nearest plural noun subject before ``head`` in its sentence: what "they" or "some" stands for."""
    return next((t for t in reversed(head.doc[head.sent.start : head.i]) if t.dep_ in ("nsubj", "nsubjpass")
                 and t.tag_ in ("NNS", "NNPS") and t.lower_ not in _PARTITIVES), None)


def _group_span(group: Token) -> tuple[int, int]:
    """A group's name without what follows its head ("the President's allies", not "... who ...")."""
    return _chars(_trim([t for t in group.subtree if t.i <= group.i]))


def _antecedent(head: Token) -> Token:
    """The noun a relative pronoun stands for: the noun right before it ("General Zaluzhny, *who* told")."""
    if head.lower_ not in _RELATIVE or head.head.dep_ != "relcl":
        return head
    before = head.nbor(-1) if head.i > 0 else None
    while before is not None and before.is_punct and before.i > 0:
        before = before.nbor(-1)
    if before is not None and before.pos_ in ("PROPN", "NOUN"):
        return before
    return head.head.head


def _appositions(head: Token) -> list[Token]:
    """Names in apposition to a speaker phrase's head: its own ("a defence ministry spokesman, Major General Pavel
    Lomov,") and one the parser hung on the phrase's last noun when that noun is no person ("a former spokesman for
    Ukraine's Foreign Ministry, Oleg Voloshyn,"). A name for a person noun further right is that person's, not the
    speaker's ("a source close to the president, Volodymyr Zelensky," is still an anonymous source). An acronym in
    brackets names its organisation ("National Oceanic and Atmospheric Administration (NOAA) data")."""
    lex = lexicon()
    return [a for a in head.subtree if a.dep_ == "appos" and (a.head.i <= head.i or (
        a.head.i > head.i and a.left_edge.i > 0 and a.doc[a.left_edge.i - 1].text in (",", "(")
        and a.head.ent_type_ != "PERSON" and a.head.lower_ not in _person_nouns()
        and a.head.lemma_.lower() not in lex.anonymous_heads))]


def _sourcing(head: Token | None, phrase: str, entity: Entity | None, lex: Lexicon,
              span: tuple[int, int] | None = None) -> Sourcing:
    """named / anonymous / group / unattributed, from the speaker phrase's head and words.

    Plural descriptions are groups ("the President's allies", "other Russian experts") unless only a vague
    quantity is given ("some key Americans", "officials"): those are anonymous, as are anonymous heads
    ("sources", "a senior official") and explicit markers ("unnamed", "with direct knowledge"). Only the words
    inside ``span`` (the speaker phrase's characters) name the speaker: a headline's "Report: Putin Overhauls …"
    hangs what was said on "Report", and Putin is not its author.
    """
    if head is None:
        return Sourcing(kind="unattributed")
    lower = phrase.lower()

    def inside(t: Token) -> bool:
        return span is None or span[0] <= t.idx < span[1]
    # A name before the head ("Kremlin spokesman Dmitry Peskov") or in apposition to it ("a defence ministry
    # spokesman, Major General Pavel Lomov,"); not one further right ("a source close to Putin" stays anonymous).
    # An organisation before the head names the institution, not the person ("a Kremlin spokesman"), so an
    # anonymous head or an indefinite description ("a U.S. journalist claimed") stays anonymous without a person.
    appositions = [t for a in _appositions(head) for t in a.subtree if inside(t)]
    before = [t for t in head.subtree if t.i <= head.i and t.dep_ != "poss" and inside(t)]
    has_person = head.ent_type_ == "PERSON" or any(t.ent_type_ == "PERSON" for t in (*before, *appositions))
    # a document that names where it appeared or who made it ("a report in Bild", "a study by Harvard"); not a
    # person placed somewhere ("a source in the Kremlin", "an official from Kyiv": still anonymous)
    numbers = head.lower_ in ("figures", "data", "statistics", "numbers") and not any(
        c.dep_ == "amod" for c in head.children)  # "figures from the Grain Association", not "senior figures"
    # (people in a place are no document: "Shop owners in Kherson", with "Kherson" tagged a person, are a group)
    published = head.pos_ == "NOUN" and head.lower_ not in _person_nouns() and (
        numbers or head.lemma_.lower() not in lex.anonymous_heads) and (
        head.tag_ not in ("NNS", "NNPS") or numbers or head.lemma_.lower() in lex.document_nouns) and any(
        g.dep_ == "pobj" and g.pos_ == "PROPN" and g.ent_type_ not in ("GPE", "LOC", "NORP") and inside(g)
        for c in head.children if c.dep_ == "prep" and c.lower_ in ("in", "by", "from", "on") for g in c.children)
    has_name = has_person or published or head.ent_type_ == "ORG" or any(t.ent_type_ == "ORG" for t in before)
    # "the diplomat said" after Zakharova spoke: a description the text resolved to a named person
    resolved = entity is not None and entity.type == "PERSON" and any(
        c.dep_ == "det" and c.lower_ == "the" for c in head.children)
    unnamed = not has_person and not published and not resolved and (
        head.pos_ == "NOUN" and head.lemma_.lower() in lex.anonymous_heads
        or head.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children)
        # "study finds …", and a headline's title-case "Poll: …" (which the tagger may call anything there)
        or head.pos_ not in ("VERB", "AUX") and head.lemma_.lower() in lex.document_nouns | lex.survey_nouns
        and not has_name and entity is None
    )
    if any(m in lower for m in lex.anonymity_markers) or unnamed or (
            _one_of_them(head) is not None and not has_person):  # "one of the residents said"
        return Sourcing(kind="anonymous", description=phrase)
    if head.lower_ in _VAGUE_QUANTIFIERS or head.lower_ == "others":
        return Sourcing(kind="group", description=phrase)
    if head.lower_ in _INDEFINITE_PRONOUNS:
        return Sourcing(kind="anonymous", description=phrase)  # "Everyone knows …", "someone close to him said"
    # a plural common noun, even inside an ORG the NER model saw ("Farmers say …" opening a sentence)
    if head.tag_ in ("NNS", "NNPS") and (head.ent_type_ not in ("ORG", "GPE") or head.pos_ == "NOUN") and not published:
        vague = any(t.lower_ in _VAGUE_QUANTIFIERS for t in head.lefts) or not any(
            t.dep_ in ("det", "poss", "amod", "compound", "nummod") for t in head.lefts
        ) and head.ent_type_ != "NORP"
        return Sourcing(kind="anonymous" if vague else "group", description=phrase)
    if entity is not None or head.pos_ == "PROPN" or has_name:
        return Sourcing(kind="named", description=None)
    if head.pos_ == "PRON":
        plural = head.lower_ in ("they", "them")
        return Sourcing(kind="group", description=phrase) if plural else Sourcing(kind="named")
    return Sourcing(kind="named")


def _without_clauses(head: Token, span: tuple[int, int], text: str) -> str:
    """A speaker phrase as a name: without the clause set off after it ("A spokesperson for the port operator, who
    was not authorised to speak publicly", "A senior diplomat, speaking on condition of anonymity"), which the
    span and the sourcing description keep."""
    for clause in head.subtree:  # the relative clause may hang on a noun inside the phrase ("… the port operator")
        if clause.dep_ in ("relcl", "acl", "advcl") and clause.i > head.i and clause.left_edge.i > 0 and (
                clause.left_edge.nbor(-1).text == ",") and span[0] < clause.left_edge.idx < span[1]:
            return text[span[0] : clause.left_edge.nbor(-1).idx].rstrip()
    return text[span[0] : span[1]]


def _description(sdoc: SpacyDoc, text: str, span: tuple[int, int], lex: Lexicon) -> str:
    """The speaker phrase, extended by an anonymity qualifier that follows it
    ("… “with direct knowledge …”")."""
    phrase = text[span[0] : span[1]]
    after = sdoc.char_span(span[1], len(text), alignment_mode="expand")
    if after is None:
        return phrase
    for tok in after:
        if tok.is_space or tok.text in "“”\"":
            continue
        if tok.dep_ == "prep":
            sub = list(tok.subtree)
            tail = text[sub[0].idx : sub[-1].idx + len(sub[-1].text)]
            if any(m in tail.lower() for m in lex.anonymity_markers):
                return f"{phrase} {tail}"
        break
    return phrase


class _Context:
    """Per-article state while Quote objects are built (entities, dates, earlier quotes)."""

    def __init__(self, analysis: Analysis, sdoc: SpacyDoc, lex: Lexicon):
        self.analysis = analysis
        self.text = analysis.article.text
        self.sdoc = sdoc
        self.lex = lex
        self.entities = _Entities(analysis.entities)
        self.anchor = dates.parse_anchor(analysis.article.published)
        self.years = [] if self.anchor else dates.years_in(self.text)  # for "Dec. 2" in undated articles
        self.outlet = analysis.article.outlet or "this article"
        self.quotes: list[tuple[Quote, Found]] = []
        self.quote_spans = pair_quotes(self.text)
        self.title_end = self.text.find("\n") if "\n" in self.text else 0  # no title line in a one-line text
        # Doc.ents walks every token: once. A TIME that names a day ("on Monday night") dates a statement too.
        self.date_ents = [e for e in sdoc.ents if e.label_ == "DATE" or e.label_ == "TIME" and _DAY_WORD.search(e.text)]

    def span(self, chars: tuple[int, int] | None) -> Span | None:
        return Span.of(self.text, *chars) if chars else None

    def speaker(self, f: Found) -> tuple[str | None, Entity | None, Sourcing]:
        if f.source is None or f.source_head is None:
            return None, None, Sourcing(kind="unattributed")
        label = self.text[slice(*f.source)]
        if f.cue_lemma == ":" and label in ("A", "Answer") and _answer_turn(f, self.text):
            entity = self.interviewee(f.source[0])
            return (entity.name if entity else "the interviewee"), entity, Sourcing(kind="named")
        if f.cue_lemma == ":" and label in _transcript_labels(self.text):  # "Umerov: …", "Harbor Review: …"
            entity = self.entities.lookup(f.source, f.source_head)
            return (entity.name if entity else label), entity, Sourcing(kind="named")
        head = _agent(_antecedent(f.source_head))
        if head is None:  # "deals that prioritize ...": no actor behind the relative pronoun
            return None, None, Sourcing(kind="unattributed")
        if head.lower_ in _PARTITIVES and not any(c.dep_ == "prep" for c in head.children):
            return self.part_of_group(head)
        if head.lower_ == "they" and not self.entities.lookup(f.source, head) and (group := _plural_subject_before(head)):
            head, span = group, _group_span(group)  # "When Ukrainian politicians meet ..., they ask ..."
        elif head.lower_ == "they" and not self.entities.lookup(f.source, head) and (
                continued := self.speaking_body(head)):
            return continued  # "Ukrainian officials say …. They accuse Moscow …"
        elif head.i != f.source_head.i:  # resolve "who" through its antecedent phrase
            rel = {t.i for t in f.source_head.head.subtree}
            toks = _trim([t for t in head.subtree if t.i not in rel and t.i <= head.i])
            span = _chars(toks) or f.source
        else:
            span = f.source
        if head.pos_ == "NOUN" and head.lemma_.lower() in self.lex.message_nouns | self.lex.document_nouns and (
                maker := self.message_maker(head)) is not None:
            return maker
        entity = self.entities.lookup(span, head) or self.named_body(head) or self.headline_holder(head, span) or (
            self.previous_person(head) if head.lower_ in ("he", "she") else None)
        phrase = self.text[span[0] : span[1]]
        sourcing = _sourcing(head, phrase, entity, self.lex, span)
        if sourcing.kind == "anonymous":
            sourcing = Sourcing(kind="anonymous", description=_description(self.sdoc, self.text, span, self.lex))
        if entity is not None:
            return entity.name, entity, sourcing
        if head.lower_ == "it":  # "It also said ...": the body that spoke just before, else nobody we can name
            return self.speaking_body(head) or (None, None, Sourcing(kind="unattributed"))
        if head.lower_ in _FIRST_PERSON and not any(q[0] <= head.idx < q[1] for q in self.quote_spans):
            return self.analysis.article.author or "the author", None, sourcing
        return self.possessor_named(head) or _without_clauses(head, span, self.text), None, sourcing

    def possessor_named(self, head: Token) -> str | None:
        """"his office" -> "Volodymyr Zelenskyy's office" when ``coref`` linked the possessive pronoun: the speaker
        is that actor's body or aide, which the bare phrase does not say (the span keeps "his office")."""
        poss = next((c for c in head.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        owner = self.entities.lookup((poss.idx, poss.idx + len(poss.text)), poss) if poss is not None else None
        if owner is None:
            return None
        return f"{owner.name}'s {''.join(t.text_with_ws for t in head.subtree if poss.i < t.i <= head.i).strip()}"

    def headline_holder(self, head: Token, span: tuple[int, int]) -> Entity | None:
        """The person a headline describes before the text names them: "Kharkiv mayor vows to stay" is the one
        person whose role, from the text or the knowledge file, has the noun and every modifier ("Ihor Terekhov,
        the mayor of Kharkiv"). Only in the title line, where the name usually follows in the body."""
        if head.idx >= self.title_end or head.pos_ != "NOUN" or head.lemma_.lower() not in _person_nouns():
            return None
        phrase = head.doc.char_span(*span, alignment_mode="expand") or [head]
        words = {t.lower_ for t in phrase if t.is_alpha and t.dep_ not in ("det", "case") and t.i != head.i}
        holders = [e for e in self.entities.by_id.values() if e.type == "PERSON" and e.role and (
            head.lemma_.lower() in (known := set(f"{e.role} {e.name}".lower().replace(",", " ").split()))
            and words <= known)]
        return holders[0] if len(holders) == 1 else None

    def message_maker(self, head: Token) -> tuple[str | None, Entity | None, Sourcing] | None:
        """Who made the message that "speaks": "a statement from the Ukrainian navy" is the navy's, "The statement
        added …" right after "In a statement, the alliance said …" the alliance's (a message noun with no possessor,
        which ``_agent`` leaves as the speaker), and "Our model suggests" the author's."""
        if any(c.dep_ == "poss" and c.lower_ in ("our", "my") for c in head.children):  # "Our model suggests"
            return self.analysis.article.author or "the author", None, Sourcing(kind="named")
        maker = next((g for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")
                      for g in c.children if g.dep_ == "pobj"), None)
        if maker is not None and maker.pos_ in ("NOUN", "PROPN"):
            span = _chars(_trim(list(maker.subtree)))
            entity = self.entities.lookup(span, maker)
            phrase = self.text[span[0] : span[1]]
            return (entity.name if entity else phrase), entity, _sourcing(maker, phrase, entity, self.lex)
        definite = [c.lower_ for c in head.children if c.dep_ == "det"] == ["the"]
        if definite and self.quotes:  # "The report also says" after "A report by RUSI warns": the same
            quote, found = self.quotes[-1]
            before = found.source_head.lemma_ if found.source_head is not None else ""
            if head.lemma_ in (before, *(quote.venue_name or "").lower().split()):
                return quote.speaker_name, self.entities.by_id.get(quote.speaker_entity or ""), quote.sourcing
        return None

    def interviewee(self, first_turn: int) -> Entity | None:
        """Who answers the "A:" turns of an interview: the person the text names most often, among those named
        before the turns begin (in the headline and introduction)."""
        before = [e for e in self.entities.by_id.values() if e.type == "PERSON" and e.name != self.analysis.article.author
                  and any(m.kind == "name" and m.start < first_turn for m in e.mentions)]
        return max(before, key=lambda e: len(e.mentions), default=None)

    def named_body(self, head: Token) -> Entity | None:
        """The actor a bare definite description speaking goes back to. An organisation: the speaker of one of the
        last three quotes whose name has that word ("Ukraine's defence ministry … urged …. The ministry said …",
        "In the ministry's words, …" -> Ukrainian Ministry of Defence). A person ("the diplomat said", "the
        analyst added"): the speaker of the previous quote, when that person is also the last one the text named
        before the description (``coref`` links a description only when a title or role in the text supports it)."""
        if head.pos_ != "NOUN" or [c.lower_ for c in head.children if c.dep_ not in ("punct", "case")] != ["the"]:
            return None
        word = head.lemma_.lower()
        for quote, _ in self.quotes[-3:][::-1]:
            entity = self.entities.by_id.get(quote.speaker_entity or "")
            if entity is not None and entity.type in _BODY_TYPES and word in entity.name.lower().split():
                return entity
        if word in _person_nouns() and head.tag_ == "NN" and (entity := self.previous_person(head)) is not None:
            # another person the text gives that title or role ("General Kovalenko" for "the general") is a
            # rival antecedent: left to coref, which weighs titles
            holders = {e.id for e in self.entities.by_id.values() if e.type == "PERSON" for m in e.mentions
                       if word in self.text[m.start : m.end].lower().split()}
            if holders <= {entity.id}:
                return entity
        return None

    def previous_person(self, head: Token) -> Entity | None:
        """The speaker of the previous quote, when that is a person and the last one the text named before
        ``head``: who "he said" or "the diplomat said" continues, however long the quotation in between."""
        entity = self.entities.by_id.get(self.quotes[-1][0].speaker_entity or "") if self.quotes else None
        if entity is None or entity.type != "PERSON":
            return None
        last = max(((m.start, e) for e in self.entities.by_id.values() if e.type == "PERSON" for m in e.mentions
                    if m.end <= head.idx and m.kind != "pronoun"), key=lambda pair: pair[0], default=(0, None))[1]
        # a person described in between whom coref could not tell ("Even the General's own words …. He admitted",
        # two generals in the text) may be who is meant
        quote, found = self.quotes[-1]
        after = max(quote.content.end, found.cue[1] if found.cue else 0)
        between = takewhile(lambda t: t.idx >= after, (head.doc[i] for i in range(head.i - 1, -1, -1)))
        described = any(t.lower_ in _person_nouns() and not self.entities.lookup((t.idx, t.idx + len(t.text)), t)
                        for t in between)
        return entity if entity is last and not described else None

    def speaking_body(self, pronoun: Token) -> tuple[str | None, Entity | None, Sourcing] | None:
        """The speaker of the previous quote when "it" or "they" continues it: "The Russian-installed management of
        the plant said three people had been wounded. *It* blamed Ukraine's armed forces" (a singular thing: no
        person, no place), "Ukrainian officials say … *They* accuse Moscow …" (a plural noun) — the subject of its
        cue, in the same or the previous sentence. (``coref`` links pronouns only to actors; these are none.)"""
        if not self.quotes:
            return None
        quote, found = self.quotes[-1]
        prev = found.source_head
        if prev is None or pronoun.sent.start not in (prev.sent.start, prev.sent.end):
            return None
        if pronoun.lower_ == "they":
            fits = prev.tag_ in ("NNS", "NNPS")
        else:
            fits = prev.tag_ in ("NN", "NNP") and prev.lower_ not in _person_nouns() and (
                prev.ent_type_ not in ("PERSON", "GPE", "LOC"))
        return (quote.speaker_name, self.entities.by_id.get(quote.speaker_entity or ""), quote.sourcing) if fits else None

    def part_of_group(self, head: Token) -> tuple[str | None, Entity | None, Sourcing]:
        """A bare quantifier speaker ("some", "others") is no actor of its own: it is part of the plural
        subject named before it in the sentence ("the President's allies have blamed the General, *some*
        calling for his resignation" -> "some of the President's allies"). With no such group it is a
        vague anonymous source ("some say ...")."""
        group = _plural_subject_before(head)
        if group is None:
            return None, None, Sourcing(kind="anonymous", description=head.text)
        span = _group_span(group)
        entity = self.entities.lookup(span, group)
        name = f"{head.lower_} of {entity.name if entity else self.text[span[0] : span[1]]}"
        return name, None, Sourcing(kind="group", description=name)

    def earlier_anonymous(self, head: Token | None) -> Quote | None:
        """The anonymous origin that "these sources" / "the same sources" points back to, or that "one of them"
        is part of (the previous quote's unnamed speakers)."""
        if head is not None and (group := _one_of_them(head)) is not None:
            # "one of the people said": the unnamed people of an earlier quote, else the previous quote's speakers
            same = next((q for q, found in reversed(self.quotes) if q.sourcing.kind == "anonymous"
                         and found.source_head is not None and found.source_head.lemma_ == group.lemma_), None)
            last = self.quotes[-1][0] if self.quotes and group.pos_ == "PRON" else None  # not "one of the residents"
            return same or (last if last is not None and last.sourcing.kind == "anonymous" else None)
        if head is None or not any(t.lower_ in self.lex.anaphoric for t in head.lefts):
            return None
        for quote, found in reversed(self.quotes):
            if quote.sourcing.kind == "anonymous" and found.source_head is not None and (
                found.source_head.lemma_ == head.lemma_
            ):
                return quote
        return None

    def enclosing(self, f: Found) -> Quote | None:
        """The earlier quote whose content holds this one's cue: reported speech inside reported speech, relayed by
        that quote's speaker."""
        if f.cue is None:
            return None
        return next((q for q, outer in reversed(self.quotes) if outer is not f and outer.content[0] <= f.cue[0]
                     and f.cue[1] <= outer.content[1]), None)

    def relay_parent(self, f: Found, relay_entity: Entity | None) -> Quote | None:
        """The quote by the relay ("He was told by ...": the article in which he reported it)."""
        for quote, _ in reversed(self.quotes):
            if relay_entity is not None and quote.speaker_entity == relay_entity.id:
                return quote
            if relay_entity is None and quote.sourcing.kind == "named" and f.content[0] - quote.content.end < 600:
                return quote
        return None

    def same_speaker(self, f: Found, entity: Entity | None, prev: Quote) -> bool:
        """Whether ``f`` continues the previous statement's speaker: same actor, or (without actors) an
        unnamed pronoun/description right after it."""
        if entity is not None or prev.speaker_entity is not None:
            return entity is not None and entity.id == prev.speaker_entity
        if f.source_head is None or f.source is None or f.content[0] - prev.content.end > 400:
            return False
        phrase = self.sdoc.char_span(f.source[0], f.source[1], alignment_mode="expand")
        # an indefinite description introduces someone new ("The ministry said … A European diplomat said …")
        return prev.sourcing.kind == "named" and not any(t.pos_ == "PROPN" for t in phrase) and (
            phrase[0].lower_ not in ("a", "an"))

    def venue_and_date(self, f: Found, blocked: set[int]):
        if f.signature is not None:  # an embedded post: "(@handle) April 16, 2024"
            sig = _SIGNATURE.match(self.text, f.signature[0])
            date, inferred = dates.resolve_with_year(sig["date"], self.anchor, self.years, f.signature[0])
            return venues.Venue(*sig.span("handle"), f"X ({sig['handle']})", True), date, sig.span("date"), inferred
        found_venue, venue_head = (
            (venues.from_phrase(f.venue_head, True, blocked), f.venue_head)
            if f.venue_head is not None
            else venues.find_venue(f.frame, blocked)
        )
        region: set[int] = set()
        for verb in f.frame:
            region.add(verb.i)
            for child in verb.children:
                if child.dep_ not in ("ccomp", "nsubj", "nsubjpass", "csubj") and child.i not in blocked:
                    region.update(t.i for t in child.subtree)
        if venue_head is not None:
            region.update(t.i for t in venue_head.subtree)
        region -= blocked
        candidates = sorted(
            (ent for ent in self.date_ents if ent.root.i in region and not any(
                a.lower_ in _NOT_BEFORE for a in ent.root.ancestors if a.i in region or a.i == ent.root.head.i)),
            key=lambda ent: abs(ent.start - f.frame[0].i))
        # the nearest date that resolves ("in his *nightly* address on *Wednesday*": Wednesday), else the nearest
        # one stated (kept unresolved)
        for ent in candidates:
            date, inferred = dates.resolve_with_year(ent.text, self.anchor, self.years, ent.start_char)
            if date is not None:
                return found_venue, date, (ent.start_char, ent.end_char), inferred
        if candidates:
            return found_venue, None, (candidates[0].start_char, candidates[0].end_char), False
        return found_venue, None, None, False


def _dedupe(found: list[Found]) -> list[Found]:
    """One attribution per content span: "reiterated …, stating: “…”" keeps the cue nearest the content, but
    one with a speaker first ("X says in a statement that …": "says", not "statement")."""
    best: dict[tuple[int, int], Found] = {}

    def rank(f: Found) -> tuple[bool, int]:
        return f.source is None, abs(f.cue[0] - f.content[0])

    for f in found:
        other = best.get(f.content)
        if other is None or rank(f) < rank(other):
            best[f.content] = f
    return sorted(best.values(), key=lambda f: f.cue[0])


def _is_statement(f: Found, sdoc: SpacyDoc, text: str, lex: Lexicon) -> bool:
    """Whether an attribution is worth a ``Quote``: someone's statement or stance.

    PolNeAR annotates more than that, and the finder (what ``eval quotes`` scores) keeps it: an impression
    nobody voices ("the question has seemed blunt": a raising verb without a speaker) and a doubtful cue whose
    content is a bare noun phrase ("Hersh offered insight", "observe Western reactions": no clause, no
    quotation, cue probability under 0.7). Neither says who claims what, so neither becomes a quote; nor
    does a negated cue without a speaker or with a bare object ("was not asked about his conflict with …", "he
    was not asking for sympathy": nothing was said), nor a request for anonymity ("a diplomat, who asked not to
    be named, said": ``anonymity_markers``), nor a disposition ("were quick to twist his words":
    ``disposition_adjectives``), nor an attitude verb with a bare object ("defended Zaluzhny").
    """
    quotation = text[f.content[0]] in "“\"«„'"
    if f.source_head is not None and _nobody(f.source_head):
        return False  # "Nobody in the city expects …", "No official has confirmed …": nobody said it
    if f.cue_lemma in lex.aspect_verbs and not quotation:
        return False  # "China and India continue to buy Russian crude": nothing said ("Gore continued, “…”" is)
    if f.cue_lemma not in lex.verbs and " " not in f.cue_lemma and not quotation and f.source_head is not None and (
            f.source_head.pos_ == "NOUN" and f.source_head.lemma_.lower() in lex.nonspeaking):
        return False  # "The initiative aims to cut plastic waste": a thing acting on a verb only the model rates
        # ("according to the new law, …" is the law's)
    negated = _negated(sdoc, f.cue) and not quotation
    if f.source is None and (f.cue_lemma in lex.raising or negated or _noun_infinitive(sdoc, f.cue)):
        return False
    if negated and f.cue is not None and f.content[1] <= f.cue[0]:
        return False  # "Some users claimed X; we could not confirm this": the clause before is not what was said
    if _asked_of(sdoc, f.cue) or _in_question(sdoc, f.cue, text) or _yet_to_come(sdoc, f, quotation):
        return False
    if negated and f.cue_lemma in lex.speech and f.cue_lemma not in _AFFIRMING_WHEN_NEGATED and not _said_clause(
            sdoc, f.content):
        # "The ministry did not say how …", "did not respond to a request for comment": nothing said; "did not say
        # that the bridge would close" stays, its cue showing the negation
        return False
    if f.cue_lemma in ("refuse", "decline") and text.startswith("to ", f.content[0]):
        return False  # "declined to comment", "refuses to go": something (not) done, not said
    if f.cue is not None:
        phrase = f"{text[f.cue[0]:f.cue[1]]} {text[f.content[0]:f.content[1]]}".lower()
        if any(phrase in marker for marker in lex.anonymity_markers):
            return False
    if f.cue is None or f.split is not None or quotation or f.cue_lemma == ":":
        return True  # a colon cue is the layout's, not a doubtful model's ("A: Of course.")
    span = sdoc.char_span(f.content[0], f.content[1], alignment_mode="expand")
    if span is None:
        return True
    if f.cue_lemma in lex.dispositions:
        return False  # "were quick to twist his words": something done, not said
    verbal = any(t.pos_ in ("VERB", "AUX") for t in span)
    if f.source is None and not verbal:
        return False  # "The video, viewed more than two million times": nobody, and no proposition
    # a long noun phrase stands for a statement after a verb of saying or believing ("denied the reports of a
    # second strike"), not after a verb only the cue model rates ("has imposed so much misery on Ukrainians")
    clause = verbal or len(span) > 3 and f.cue_lemma in lex.verbs
    if not clause and (negated or f.cue_lemma in lex.belief - lex.speech or _determiner_no(span.root)):
        return False  # "was not asking for sympathy", "defended Zaluzhny", "gave no comment": nothing said
    if not verbal and (span.root.ent_type_ == "PERSON" or span.root.lemma_.lower() in _person_nouns()) and not any(
            t.dep_ == "prep" and t.lower_ in ("for", "as") for t in span) and not (
                f.source is not None and f.source[0] < f.cue[0] and text[f.content[1] : f.source[0]].strip() == ","):
        return False  # "dismissed the commander of the Joint Forces": a person acted on, not a statement ("blame
        # the General for the failure" is one; so is "Opposition leader dead, prison service says")
    return clause or f.confidence >= _NOUN_CONTENT_MIN_CONFIDENCE


def _determiner_no(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children)


def _nobody(head: Token) -> bool:
    """A speaker who is no one: "Nobody", "No one", "None of the officials", "No official", "Neither official"."""
    word = head.lower_
    return word in ("nobody", "no-one", "none", "neither") or _determiner_no(head) or any(
        c.dep_ in ("det", "preconj") and c.lower_ == "neither" and c.i == head.left_edge.i for c in head.children) or (
        word == "one" and head.i > 0 and head.nbor(-1).lower_ == "no")


def _said_clause(sdoc: SpacyDoc, content: tuple[int, int]) -> bool:
    """Whether the content is a clause stating something: a verb, and no question word first ("how it had
    identified the weapons", "whether talks would resume" state nothing)."""
    span = sdoc.char_span(*content, alignment_mode="expand")
    return span is not None and len(span) > 0 and span[0].lower_ not in _QUESTION_WORDS and any(
        t.pos_ in ("VERB", "AUX") for t in span)


def _in_question(sdoc: SpacyDoc, cue: tuple[int, int] | None, text: str) -> bool:
    """A cue in a question the writer asks ("Is the West finally admitting the truth about Kyiv?": an auxiliary
    before the subject, a question mark, no quotation around it): an insinuation, not anyone's statement."""
    span = sdoc.char_span(*cue, alignment_mode="expand") if cue else None
    if span is None:
        return False
    verb, sent = span.root, span.root.sent
    # "Are you worried about …?": an adjective or participle cue asks through its copula
    host = verb.head if verb.dep_ in ("acomp", "xcomp") and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) else verb
    subj = min((c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")), key=lambda c: abs(c.i - host.i),
               default=None)  # the nearest: "Harbor Review: Are you …" gives "Are" two
    inverted = subj is not None and (any(c.dep_ in ("aux", "auxpass") and c.i < subj.i for c in host.children)
                                     or host is not verb and host.pos_ == "AUX" and host.i < subj.i)
    asked = sent.text.rstrip().rstrip("\"”'’»").endswith("?")
    return inverted and asked and not any(t.text in ("“", "\"", "«") for t in sent if t.i < verb.i)


def _asked_of(sdoc: SpacyDoc, cue: tuple[int, int] | None) -> bool:
    """"*Asked* whether Russia would allow more inspectors, he said …", "Okafor was asked whether …": the question
    is an unnamed journalist's, not the answering speaker's (with "by X" the asker is named: X's question)."""
    span = sdoc.char_span(*cue, alignment_mode="expand") if cue else None
    verb = span.root if span is not None else None
    if verb is None or verb.lemma_ != "ask" or any(c.dep_ == "agent" for c in verb.children):
        return False
    if _asked_aside(verb):
        return True
    fronted = verb.tag_ in ("VBN", "VBD") and verb.dep_ == "advcl" and not any(c.dep_ == "nsubj" for c in verb.children)
    return fronted or any(c.dep_ == "auxpass" for c in verb.children)  # "Okafor was asked whether …"


def _noun_infinitive(sdoc: SpacyDoc, cue: tuple[int, int] | None) -> bool:
    """A cue that is an infinitive hung on a noun ("it is time *to ask* who benefits", "a reason to believe"):
    what someone might say, not what anyone said."""
    span = sdoc.char_span(*cue, alignment_mode="expand") if cue else None
    verb = span.root if span is not None else None
    return verb is not None and verb.dep_ in ("relcl", "acl") and verb.head.pos_ == "NOUN" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _negated(sdoc: SpacyDoc, cue: tuple[int, int] | None) -> bool:
    """Whether a cue is negated ("did not say", "was never asked", "without confirming")."""
    span = sdoc.char_span(*cue, alignment_mode="expand") if cue else None
    return span is not None and any(t.dep_ == "neg" or any(c.dep_ == "neg" for c in t.children) or (
        t.dep_ == "pcomp" and t.head.lower_ == "without") for t in span)


def _yet_to_come(sdoc: SpacyDoc, f: Found, quotation: bool) -> bool:
    """A statement not made (yet): "Zelensky will tell the summit that …" (but a quotation of a speech's released
    text, "will say: “…”", is quoted words), a condition ("until Kyiv accepts …") and the headline future "EU
    ministers to discuss new sanctions" (an infinitive hung on its own speaker; "Hersh was the first to report"
    stays)."""
    span = sdoc.char_span(*f.cue, alignment_mode="expand") if f.cue else None
    if span is None or span.root.pos_ not in ("VERB", "AUX"):
        return False
    verb = span.root
    aux = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if any(c.dep_ == "mark" and c.lower_ in ("until", "unless", "if") for c in verb.children):
        return True  # "… until Kyiv accepts “new realities”", "if he says so": a condition, nothing said
    if verb.tag_ in ("VB", "VBP", "VBZ") and any(c.dep_ == "mark" and c.lower_ == "before" for c in verb.children):
        return True  # "How many more must die before Western leaders admit the obvious?" (not "before he said")
    if aux & {"will", "'ll", "shall"}:  # but "The Prime Minister will say: “…”" quotes a speech's released text
        return not quotation
    if "to" not in aux:
        return False
    if verb.dep_ == "ROOT":  # the parser may make the headline's infinitive the root
        return True
    return verb.dep_ in ("relcl", "acl", "advcl") and verb.head.pos_ in ("NOUN", "PROPN") and (
        f.source_head is None or verb.head.i == f.source_head.i)


def _continuations(sdoc: SpacyDoc, text: str, quotes: list[tuple[int, int]], found: list[Found]) -> list[Found]:
    """Quotations with no cue of their own that open a sentence right after an attributed statement
    ("“…,” she said. “…”"): they are the previous speaker's. A sentence of its own is a statement of its
    own (no cue, lower confidence), unlike the second piece of a quote split inside one sentence
    (``Found.split``: "“…,” she said, “…”")."""
    out = []
    for q in quotes:
        if len(text[q[0] : q[1]].split()) < 4 or any(
            _overlaps(q, f.content) or _overlaps(q, f.split) or (f.cue and _overlaps(q, f.cue)) for f in found
        ):
            continue
        sent = sdoc.char_span(q[0], q[1], alignment_mode="expand")
        if sent is None or text[sent[0].sent.start_char : q[0]].strip():
            continue
        before = [f for f in found if f.content[1] <= q[0] and f.source and q[0] - f.content[1] <= 300]
        if before:
            prev = max(before, key=lambda f: f.content[1])
            out.append(Found(cue=None, cue_lemma=None, content=q, source=prev.source, source_head=prev.source_head,
                             frame=prev.frame, confidence=0.45))
    return out


def build_quotes(analysis: Analysis, sdoc: SpacyDoc, found: list[Found], lex: Lexicon | None = None) -> list[Quote]:
    """Turn attributions into ``Quote`` objects: canonical speakers, sourcing, venue, date, chains."""
    ctx = _Context(analysis, sdoc, lex or lexicon())
    previous: tuple[Quote, venues.Venue | None] | None = None
    found = _dedupe(found)
    title = analysis.article.title
    # a headline's verb only the cue model rates is the parser's misreading of title case ("Biden Has Omnibus Bill …
    # Flown By Private Jet", "The Fed's Climate Studies Are Full Of Hot Air") or a deed ("… shares tweet"); a
    # headline statement has a verb of saying ("…, Rancher Says") or a colon ("Lavrov: …")
    headline = len(title) if title and ctx.text.startswith(title) else 0
    statements = [f for f in found if _is_statement(f, sdoc, ctx.text, ctx.lex) and not (
        f.cue is not None and f.cue[1] <= headline and f.cue_lemma not in ctx.lex.verbs and " " not in f.cue_lemma
        and f.cue_lemma != ":" and ctx.text[f.content[0]] not in "“\"«„'‘")]
    statements += _continuations(sdoc, ctx.text, ctx.quote_spans, statements)
    kept = {id(f) for f in statements}
    # An attribution that is no statement still sets the occasion for the next one of its speaker ("Klitschko
    # defended Zaluzhny in an interview with 20 Minuten. … the former boxing champion said …"), so all are read
    everything = {id(f): f for f in (*found, *statements)}.values()
    n = 0
    for f in sorted(everything, key=lambda f: _reading_order(f, everything)):
        if f.cue_lemma == ":" and f.source and ctx.text[slice(*f.source)] in ("Q", "Question"):
            continue  # an interviewer's question: the outlet asking, no source's statement
        if f.source_head is not None and f.source_head.lower_ in _FIRST_PERSON and ctx.enclosing(f) is not None:
            continue  # "A: … We have learned to repair everything": the speaker's own words, not the author's
        name, entity, sourcing = ctx.speaker(f)
        if f.cue_lemma == ":" and entity is not None and entity.type in _PLACE_TYPES:
            continue  # "Chasiv Yar: Kyiv's Last Gamble …": a headline's topic, which the parser took for a person
        if entity is not None and (outer := ctx.enclosing(f)) is not None and outer.speaker_entity == entity.id:
            continue  # "Okafor said she had told the council that …": her own account, already her statement
        n += id(f) in kept
        blocked = set().union(*(_token_ids(sdoc, span) for span in (f.content, f.split, f.source, f.relay)))
        venue, date, date_span, inferred = ctx.venue_and_date(f, blocked)
        if previous is not None and (venue is None or date_span is None) and ctx.same_speaker(f, entity, previous[0]):
            # "… in an interview with 20 Minuten. … the former boxing champion said …": same occasion
            venue = venue or previous[1]
            if date_span is None:  # a date stated but not resolvable stays this quote's own
                date, inferred, date_span = previous[0].date, previous[0].date_inferred, (
                    (previous[0].date_span.start, previous[0].date_span.end) if previous[0].date_span else None
                )
        origin = ChainLink(
            role="origin", name=name or "unattributed", entity_id=entity.id if entity else None,
            span=ctx.span(f.source), anonymous=sourcing.kind == "anonymous",
        )
        links = [origin]
        parent_id = None
        nested = False  # reported inside another's quotation: its own occasion, not the next statement's
        if (earlier := ctx.earlier_anonymous(f.source_head)) is not None:
            name, sourcing, parent_id = earlier.speaker_name, earlier.sourcing, earlier.parent_id
            if _one_of_them(f.source_head) is not None:  # "One of them said": part of the unnamed sources, on the same word
                name = f"{f.source_head.lower_} of {name}"
            links = [link for link in earlier.chain if link.role != "outlet"]
        elif f.relay_head is not None:
            relay_entity = ctx.entities.lookup(f.relay, f.relay_head)
            parent = ctx.relay_parent(f, relay_entity)
            relay_name = relay_entity.name if relay_entity else (
                parent.speaker_name if parent is not None and f.relay_head.pos_ == "PRON" else ctx.text[slice(*f.relay)]
            )
            parent_id = parent.id if parent is not None else None
            links.append(ChainLink(role="relay", name=relay_name or "", span=ctx.span(f.relay),
                                   entity_id=relay_entity.id if relay_entity else None))
        elif (outer := ctx.enclosing(f)) is not None:  # "a diplomat said Grossi had told member states that …"
            parent_id, nested = outer.id, True
            if outer.speaker_name and outer.speaker_name != name:  # inside the outlet's own words the outlet relays
                # it, as the last link says; a speaker does not relay their own words ("said …, accusing him of “…”")
                links.append(ChainLink(role="relay", name=outer.speaker_name, span=outer.speaker,
                                       entity_id=outer.speaker_entity, anonymous=outer.sourcing.kind == "anonymous"))
        elif venue is not None and venue.named and _name_key(venue.name) != _name_key(ctx.outlet):
            # ("a source told TASS" in TASS's own report: the outlet is the last link already)
            links.append(ChainLink(role="relay", name=venue.name, span=ctx.span((venue.start, venue.end))))
        links.append(ChainLink(role="outlet", name=ctx.outlet))
        first, *rest = sorted(p for p in (f.content, f.split) if p is not None)
        quote = Quote(
            id=f"q{n}",
            content=Span.of(ctx.text, *first),
            # an interview answer or an embedded post is verbatim, though not in quotation marks
            kind="direct" if _answer_turn(f, ctx.text) or f.signature else _kind(ctx.text[first[0] : first[1]]),
            speaker=ctx.span(f.source),
            speaker_name=name,
            speaker_entity=entity.id if entity else None,
            cue=ctx.span(f.cue),
            cue_lemma=f.cue_lemma,
            venue=ctx.span((venue.start, venue.end)) if venue else None,
            venue_name=venue.name if venue else None,
            date=date,
            date_span=ctx.span(date_span),
            date_inferred=inferred and date is not None,
            sourcing=sourcing,
            chain=links,
            parent_id=parent_id,
            confidence=round(max(0.05, min(1.0, f.confidence)), 2),
        )
        if id(f) in kept:
            ctx.quotes.append((quote, f))
            for second in rest:  # a split quote: one Quote per piece, in text order, ids "q3" and "q3b"
                piece = quote.model_copy(update={"id": f"q{n}b", "content": Span.of(ctx.text, *second)})
                ctx.quotes.append((piece, f))
        if not nested:
            previous = (quote, venue)
    return [q for q, _ in ctx.quotes]


def _reading_order(f: Found, found: Iterable[Found]) -> tuple[int, int, int]:
    """Sort key of the statements: by cue, but a statement reported inside another's content ("“Two officers told me
    the offensive had stalled,” the colonel said") comes right after that one, whose cue may stand later, so that
    the colonel is known as its relay when it is read."""
    own = (f.cue or f.content)[0]
    if f.cue is not None:
        for outer in found:
            if outer is not f and outer.content[0] <= f.cue[0] and f.cue[1] <= outer.content[1] and not (
                outer.cue is not None and f.content[0] <= outer.cue[0] < f.content[1]
            ):
                return (outer.cue or outer.content)[0], 1, own
    return own, 0, own


def _answer_turn(f: Found, text: str) -> bool:
    """Words given verbatim though not in quotation marks: an interview's "A:" turn, or a block quotation after
    "The governor added:" (``_block_after_colon``)."""
    if f.cue is not None and _BLOCK_LEAD.fullmatch(text, f.cue[1], f.content[0]):
        return True
    return f.cue_lemma == ":" and f.source is not None and (
        text[slice(*f.source)] in ("A", "Answer") or text[slice(*f.source)] in _transcript_labels(text))


@lru_cache(maxsize=8)
def _transcript_labels(text: str) -> frozenset[str]:
    """The speakers of a transcript: names opening two or more lines with a colon, when two or more such names
    take turns ("Harbor Review: …" / "Umerov: …"). Their turns are their words, whether or not the tagger knows
    the name."""
    labels = Counter(m["name"] for m in _LINE_COLON.finditer(text))
    speakers = {name for name, n in labels.items() if n >= 2 and name.lower() not in lexicon().colon_labels}
    return frozenset(speakers) if len(speakers) >= 2 else frozenset()


def _block_after_colon(verb: Token, text: str) -> tuple[int, int] | None:
    """"The governor added:" closing its paragraph, then a paragraph without quotation marks: a block quotation
    (the page set it apart; extraction dropped its indent). The paragraph is the content."""
    end = verb.idx + len(verb)
    lead = _BLOCK_LEAD.match(text, end)
    if lead is None or "." in text[end : lead.end()]:
        return None
    stop = text.find("\n", lead.end())
    block = _strip(text, (lead.end(), len(text) if stop < 0 else stop), " \t")
    return block if len(text[slice(*block)].split()) >= 3 else None


def _name_key(name: str | None) -> str:
    """An outlet's name compared with another's: case, a leading "The" and punctuation aside."""
    key = re.sub(r"[^\w ]", "", (name or "").casefold()).strip()
    return key.removeprefix("the ")


def _kind(content: str) -> str:
    stripped = content.strip().rstrip(".,;:")
    one_quotation = not re.search(r"[”\"»]\s*\S.*[“\"«]", stripped[1:-1])
    # a quotation running on to the next paragraph opens and is not closed ("“We lost the initiative. …" / "“But …”")
    runs_on = not re.search(r"[”\"»“«]", stripped[1:])
    if stripped[:1] in "“\"«" and (stripped[-1:] in "”\"»" or runs_on) and one_quotation:
        return "direct"
    return "mixed" if re.search(r"[“\"«]", content) else "indirect"


class QuotesComponent:
    """Pipeline component: fills ``analysis.quotes`` from ``doc.nlp`` and the actors' entities."""

    english_only = True
    version = VERSION

    def __init__(self) -> None:
        self.finder = Finder(relays=True)

    def __call__(self, doc: Doc) -> Doc:
        if doc.nlp is None:
            raise ValueError("the quotes component needs the spaCy parse: run the 'spacy' component first")
        doc.analysis.quotes = build_quotes(doc.analysis, doc.nlp, self.finder.find(doc.nlp, text=doc.text),
                                           self.finder.lex)
        undated = [q for q in doc.analysis.quotes if q.date_span is not None and q.date is None]
        if undated and not doc.analysis.article.published:
            # "Dec. 2" or "on Monday" cannot be placed without the article's date: say so once, with the fix
            doc.warn(f"{len(undated)} quote date{'s' if len(undated) > 1 else ''} left unresolved: the article has "
                     "no publication date (give one with --published)")
        return doc


@registry.components.register("quotes")
def make_quotes() -> QuotesComponent:
    return QuotesComponent()


def quotes_to_rows(analysis: Analysis) -> list[dict]:
    """One flat row per quote for CSV export."""
    rows = []
    for q in analysis.quotes:
        rows.append(
            {
                "id": q.id,
                "speaker_name": q.speaker_name or "",
                "speaker": q.speaker.text if q.speaker else "",
                "speaker_entity": q.speaker_entity or "",
                "cue": q.cue.text if q.cue else "",
                "cue_lemma": q.cue_lemma or "",
                "content": q.content.text,
                "kind": q.kind,
                "venue": q.venue_name or "",
                "date": q.date or "",
                "date_inferred": q.date_inferred,
                "sourcing": q.sourcing.kind,
                "sourcing_description": q.sourcing.description or "",
                "chain": " -> ".join(link.name for link in q.chain),
                "parent_id": q.parent_id or "",
                "confidence": q.confidence,
                "content_start": q.content.start,
                "content_end": q.content.end,
                "speaker_start": q.speaker.start if q.speaker else "",
                "speaker_end": q.speaker.end if q.speaker else "",
            }
        )
    return rows
