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
   inserted in. Content that overlaps a quotation is widened to the whole quotation; the kind is
   *direct* (content is a quotation), *mixed* (contains one) or *indirect*.
4. The speaker is linked to the canonical actor of the ``actors``/``coref`` components by span overlap
   with their mentions; relative pronouns ("who told The Economist") use their antecedent.
5. **Sourcing** (named / anonymous / group / unattributed), **venue** (``extract.venues``), **date**
   (``extract.dates``, against ``article.published``), and the **provenance chain** origin → relay →
   outlet are filled in. "According to these sources" reuses the anonymous origin introduced earlier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from ..model import Analysis, ChainLink, Entity, Mention, Quote, Sourcing, Span
from ..pipeline import Doc, registry
from . import dates, venues

VERSION = "1.0"

_OPEN_CLOSE = {"“": "”", "«": "»", "„": "“"}
_PRONOUNS_PERSON = {"he", "she", "him", "her", "i", "me"}
_FIRST_PERSON = {"i", "we", "me", "us"}
_RELATIVE = {"who", "that", "which", "whom"}
_VAGUE_QUANTIFIERS = {"some", "several", "many", "few", "certain", "various", "numerous", "multiple"}
_NOT_BEFORE = {"prior", "before", "after", "since", "until", "ahead"}
_RECIPIENT_VERBS = {"tell", "inform", "brief", "assure", "reassure", "warn", "notify", "ask", "urge", "advise"}
_NO_OBJECT_CONTENT = _RECIPIENT_VERBS | {"call", "thank", "order", "direct", "instruct", "beg", "post", "publish"}
_CONTENT_DEPS = ("ccomp", "xcomp")


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
    )


# --- quotation marks ----------------------------------------------------------------------------------


def pair_quotes(text: str) -> list[tuple[int, int]]:
    """Spans (marks included) of quotations: typographic pairs anywhere, straight quotes within a paragraph.

    An opening mark left unclosed at a paragraph end closes there (the typographic convention for quotes
    running over several paragraphs reopens the next paragraph with a new opening mark).
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        start, chunk = para.start(), para.group()
        open_at: int | None = None
        closer = ""
        for i, ch in enumerate(chunk):
            if open_at is None:
                if ch in _OPEN_CLOSE:
                    open_at, closer = i, _OPEN_CLOSE[ch]
                elif ch == '"':
                    open_at, closer = i, '"'
            elif ch == closer:
                spans.append((start + open_at, start + i + 1))
                open_at = None
        if open_at is not None and len(chunk) - open_at > 2:
            spans.append((start + open_at, start + len(chunk.rstrip())))
    return spans


# --- candidates from the parse --------------------------------------------------------------------


@dataclass
class Found:
    """An attribution found in the parse, before it becomes a ``Quote`` (token-level, for evaluation too)."""

    cue: tuple[int, int]
    cue_lemma: str
    content: tuple[int, int]
    source: tuple[int, int] | None
    source_head: Token | None
    frame: list[Token]
    relay: tuple[int, int] | None = None
    relay_head: Token | None = None
    venue_head: Token | None = None
    confidence: float = 0.7
    blocked: set[int] = field(default_factory=set)


def _chars(tokens: Iterable[Token]) -> tuple[int, int] | None:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop punctuation (but not quotation marks) and spaces at both ends."""
    keep = lambda t: not (t.is_space or (t.is_punct and t.text not in "“”\"«»„‘’'"))  # noqa: E731
    lo, hi = 0, len(tokens)
    while lo < hi and not keep(tokens[lo]):
        lo += 1
    while hi > lo and not keep(tokens[hi - 1]):
        hi -= 1
    return tokens[lo:hi]


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
    """(speaker head, relay head) of a cue verb, climbing to the governing verb for participles."""
    seen = 0
    while verb is not None and seen < 4:
        seen += 1
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        passive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if passive is not None:
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if by is not None:
                return by, passive if verb.lemma_ in _RECIPIENT_VERBS else None
            return None, None
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is not None:
            return (None, None) if subj.lower_ in ("it", "there") and subj.dep_ == "nsubj" else (subj, None)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head, None
        if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp") and verb.head.i != verb.i:
            verb = verb.head
            continue
        return None, None
    return None, None


def _phrase_tokens(head: Token, exclude: set[int]) -> list[Token]:
    """A speaker phrase: the head's subtree minus anything that belongs to the cue clause."""
    return _trim([t for t in head.subtree if t.i not in exclude])


class Finder:
    """Finds attributions in one spaCy ``Doc``. Stateless apart from the lexicon; one per component."""

    def __init__(self, lex: Lexicon | None = None):
        self.lex = lex or lexicon()

    # -- cues

    def _cue_tokens(self, tok: Token) -> tuple[list[Token], str, str] | None:
        """(cue tokens, lemma, where the source is) when ``tok`` starts a cue."""
        doc = tok.doc
        for phrase in self.lex.phrases:
            words = phrase["words"]
            if tok.lower_ == words[0] and doc[tok.i : tok.i + len(words)].text.lower().split() == words:
                return list(doc[tok.i : tok.i + len(words)]), phrase["lemma"], phrase["source"]
        lemma = tok.lemma_.lower()
        if lemma == "point" and any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children):
            prt = next(c for c in tok.children if c.dep_ == "prt")
            return [tok, prt], "point out", "subject"
        if tok.pos_ == "VERB" and lemma in self.lex.verbs:
            return [tok], lemma, "subject"
        return None

    # -- content

    def _clausal_content(self, verb: Token, lemma: str, skip: set[int]) -> list[Token]:
        comps = [c for c in verb.children if c.dep_ in _CONTENT_DEPS and c.i not in skip]
        if not comps and lemma not in _NO_OBJECT_CONTENT:
            comps = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ != "PRON" and c.i not in skip]
        tokens = [t for c in comps for t in c.subtree]
        return _block(tokens, skip)

    def _inserted_content(self, verb: Token, skip: set[int]) -> list[Token]:
        """Content of a parenthetical cue: the clause it is inserted in, minus the cue clause."""
        head = verb.head
        if head.i == verb.i:
            return []
        # an xcomp of the cue is usually a mis-attached piece of the content ("as X writes, “not losing” ...")
        kept = {t.i for c in verb.children if c.dep_ == "xcomp" for t in c.subtree}
        return _block(head.subtree, skip | ({t.i for t in verb.subtree} - kept))

    # -- main

    def find(self, sdoc: SpacyDoc, quotes: list[tuple[int, int]] | None = None) -> list[Found]:
        text = sdoc.text  # Doc.text is rebuilt on every access: read it once
        quotes = pair_quotes(text) if quotes is None else quotes
        found: list[Found] = []
        taken: set[int] = set()
        for tok in sdoc:
            if tok.i in taken:
                continue
            hit = self._cue_tokens(tok)
            if hit is not None:
                cue_toks, lemma, where = hit
                item = (
                    self._according(cue_toks, lemma, quotes)
                    if where == "object"
                    else self._verbal(cue_toks, lemma, quotes, text)
                )
            elif tok.lemma_.lower() in self.lex.title_verbs or tok.lower_ in self.lex.title_verbs:
                item = self._title(tok, quotes)
            else:
                item = None
            if item is not None:
                found.append(item)
                taken.update(range(tok.i, tok.i + len(hit[0]) if hit else tok.i + 1))
        return found

    def _verbal(self, cue_toks: list[Token], lemma: str, quotes, text: str) -> Found | None:
        verb = cue_toks[0]
        cue_ids = {t.i for t in cue_toks}
        src, relay = _subject(verb)
        # the cue clause core: cue, aux/neg/adverbs, speaker, relay — never part of the content
        core = set(cue_ids)
        core.update(c.i for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod", "prt", "mark", "punct"))
        src_toks: list[Token] = []
        if src is not None:  # an acl head ("a statement saying ...") contains the cue clause: cut it out
            inside = {t.i for t in verb.subtree} if verb in src.subtree else set()
            src_toks = _phrase_tokens(src, core | inside)
        if src is not None and src.lower_ in _RELATIVE:
            src_toks = [src]
        core.update(t.i for t in src_toks)
        relay_toks = _phrase_tokens(relay, core) if relay is not None else []
        core.update(t.i for t in relay_toks)
        for child in verb.children:  # "with direct knowledge ..." after the agent, "by ...": cue frame
            if child.dep_ in ("agent", "dative") or (child.dep_ == "dobj" and lemma in _RECIPIENT_VERBS):
                core.update(t.i for t in child.subtree)
        content = self._clausal_content(verb, lemma, core)
        confidence = 0.8 if lemma in self.lex.speech else 0.6
        if not content and verb.dep_ in ("ccomp", "parataxis", "advcl") and (
            verb.dep_ != "advcl" or any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
        ):
            content = self._inserted_content(verb, core)
            confidence -= 0.05
        content_span = _chars(content)
        quote = self._adjacent_quote(verb, quotes, src_toks, text)
        if quote is not None and (content_span is None or not _overlaps(quote, content_span)):
            if content_span is None or lemma in self.lex.speech and quote[0] >= verb.idx:
                content_span = quote if content_span is None or quote[0] > content_span[1] else content_span
        if content_span is None:
            return None
        content_span = _widen(content_span, quotes, verb.idx)
        if src_toks and _overlaps(_chars(src_toks), content_span):
            src_toks = []
        return Found(
            cue=_chars(cue_toks),
            cue_lemma=lemma,
            content=content_span,
            source=_chars(src_toks),
            source_head=src if src_toks else None,
            frame=_frame(verb),
            relay=_chars(relay_toks),
            relay_head=relay if relay_toks else None,
            confidence=confidence + (0.1 if src_toks else -0.2),
            blocked=core,
        )

    def _adjacent_quote(self, verb: Token, quotes, src_toks: list[Token], text: str) -> tuple[int, int] | None:
        """A quotation right after the cue ("said: “…”", "adding\\n\\n“…”") or right before it ("“…,” he said")."""
        anchor_end = max(verb.idx + len(verb.text), *(t.idx + len(t.text) for t in src_toks)) if src_toks else (
            verb.idx + len(verb.text)
        )
        anchor_start = min([verb.idx] + [t.idx for t in src_toks])
        for q in quotes:
            if q[0] >= anchor_end:
                gap = text[anchor_end : q[0]]
                if len(gap) <= 60 and not re.search(r"[.!?]\s", gap) and re.fullmatch(r"[^“”\"]*[:,]?\s*", gap) and (
                    gap.strip() == "" or gap.rstrip().endswith((":", ","))
                ):
                    return q
                break
        for q in reversed(quotes):
            if q[1] <= anchor_start:
                gap = text[q[1] : anchor_start]
                if len(gap) <= 4 and re.fullmatch(r"[\s,]*", gap) and text[q[0] : q[1]].rstrip("”\"»").endswith(","):
                    return q
                break
        return None

    def _according(self, cue_toks: list[Token], lemma: str, quotes) -> Found | None:
        last = cue_toks[-1]
        obj = next((c for c in last.children if c.dep_ == "pobj"), None)
        if obj is None:
            return None
        src_toks = _trim(list(obj.subtree))
        head = cue_toks[0].head
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        skip = {t.i for t in cue_toks[0].subtree} | {t.i for t in cue_toks}
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
            blocked=skip,
        )

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


def _frame(verb: Token) -> list[Token]:
    """The cue and the verbs it hangs from as a participle or infinitive (where venue and date are said)."""
    frame = [verb]
    while frame[-1].dep_ in ("xcomp", "advcl", "conj") and frame[-1].head.i != frame[-1].i and len(frame) < 4:
        frame.append(frame[-1].head)
    return frame


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _widen(span: tuple[int, int], quotes: list[tuple[int, int]], cue_start: int) -> tuple[int, int]:
    """Widen content to every quotation it overlaps (but never over the cue)."""
    start, end = span
    for q in quotes:
        if _overlaps(q, (start, end)) and not (q[0] <= cue_start < q[1]):
            start, end = min(start, q[0]), max(end, q[1])
    return start, end


def extract(sdoc: SpacyDoc) -> list[Found]:
    """All attributions in a parsed text (used by the component and by the evaluation)."""
    return Finder().find(sdoc)
