"""Find where a statement was made: the outlet or medium attached to an attribution cue.

Why a separate module: venues are read off the dependency parse around a cue ("admitted, in an interview
with AP, that ...", "told The Economist", "on Germany's ARD Tagesschau24", "in a Dec. 1 article on
substack.com", "tweeted") and the same logic serves quotes and claims. The word lists live in
``data/venues.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Token

_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)*\.(com|org|net|io|co|uk|de|fr|ru|ua|ch|info|news|tv)$", re.I)
_NOT_OUTLET = {"PERSON", "GPE", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "LOC"}


@dataclass(frozen=True)
class Venues:
    media: frozenset[str]
    verb_media: dict[str, str]
    prepositions: frozenset[str]
    demonyms: frozenset[str]
    platforms: frozenset[str]
    addressee_particles: dict[str, list[str]]


@lru_cache(maxsize=1)
def lexicon() -> Venues:
    data = yaml.safe_load(resources.files("narrascope.data").joinpath("venues.yaml").read_text("utf-8"))
    return Venues(
        media=frozenset(data["media"]),
        verb_media=dict(data["verb_media"]),
        prepositions=frozenset(data["prepositions"]),
        demonyms=frozenset(data.get("demonyms", [])),
        platforms=frozenset(data.get("platforms", [])),
        addressee_particles=dict(data.get("addressee_particles", {})),
    )


@dataclass(frozen=True)
class Venue:
    """A venue: the characters that state it and a display name ("AP", "press conference", "Twitter")."""

    start: int
    end: int
    name: str
    named: bool  # an outlet/platform name rather than a kind of medium


def is_outlet(tok: Token) -> bool:
    """A token that can head an outlet name: a proper noun or web domain that is not a person or place, or a
    platform's name whatever the tagger made of it ("wrote on X that …", with "X" tagged a common noun)."""
    if _DOMAIN.match(tok.text) or tok.like_url or tok.text.removesuffix(".") in lexicon().platforms:
        return True  # "wrote on X." ends a sentence: the tokenizer keeps "X." whole, as an initial
    if tok.text in _known_outlets() and tok.pos_ in ("PROPN", "NOUN"):
        return True  # "told RT that …", with "RT" tagged a place
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.ent_type_ not in _NOT_OUTLET  # not "airport"


@lru_cache(maxsize=1)
def _known_outlets() -> frozenset[str]:
    """One-word names and aliases of the outlets in the actors' knowledge file ("RT", "TASS", "AP")."""
    data = yaml.safe_load(resources.files("narrascope.data").joinpath("actors.yaml").read_text("utf-8"))
    return frozenset(name for actor in data["actors"] if actor.get("type") == "OUTLET"
                     for name in (actor["name"], *actor.get("aliases", [])) if " " not in name)


def _name_tokens(head: Token) -> list[Token]:
    """The name part of a phrase: drop possessors ("Germany's"), modifiers ("the Swiss 20 Minuten"),
    lower-case determiners and adjectives."""
    drop: set[int] = set()
    for child in head.children:
        if child.dep_ in ("poss", "nmod", "prep", "acl", "relcl", "appos", "punct", "cc", "conj") or (
            child.dep_ in ("det", "amod") and not child.text[:1].isupper()
        ) or (child.dep_ == "amod" and child.ent_type_ in ("NORP", "GPE")):
            drop.update(t.i for t in child.subtree)
    tokens = [t for t in head.subtree if t.i not in drop]
    while len(tokens) > 1 and tokens[0].i != head.i and (
        tokens[0].ent_type_ in ("NORP", "GPE") or tokens[0].text in lexicon().demonyms
    ):
        tokens = tokens[1:]  # "the Swiss 20 Minuten" -> "20 Minuten"
    # keep a contiguous run around the head
    lo = hi = tokens.index(head)
    while lo > 0 and tokens[lo - 1].i == tokens[lo].i - 1:
        lo -= 1
    while hi + 1 < len(tokens) and tokens[hi + 1].i == tokens[hi].i + 1:
        hi += 1
    return tokens[lo : hi + 1]


def _phrase(tokens: list[Token]) -> tuple[int, int, str]:
    while len(tokens) > 1 and tokens[-1].is_space:  # the parser hangs a paragraph break on the last word
        tokens = tokens[:-1]
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    name = tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text  # Doc.text would rebuild the whole text
    if name.endswith(".") and name[:-1] in lexicon().platforms:  # "on X." at the end of a sentence
        return start, end - 1, name[:-1]
    return start, end, name


def _medium_name(head: Token) -> str:
    words = [t.lemma_.lower() for t in head.lefts if t.dep_ == "compound"] + [head.lemma_.lower()]
    return " ".join(words)


def from_phrase(head: Token, allow_medium: bool, blocked: set[int] = frozenset()) -> Venue | None:
    """A venue headed by ``head``: an outlet name, or a medium noun possibly naming its outlet."""
    lex = lexicon()
    if is_outlet(head):
        start, end, name = _phrase(_name_tokens(head))
        return Venue(start, end, name, True)
    if head.lemma_.lower() not in lex.media:
        return None
    # "told the Ukrainska Pravda newspaper": the outlet names the medium from the front
    named = [t for t in head.lefts if t.dep_ == "compound" and is_outlet(t) and t.i not in blocked]
    if named:
        start, end, name = _phrase([t for t in head.doc[named[0].left_edge.i : head.i] if t.i not in blocked])
        return Venue(start, end, name, True)
    # "told the public broadcaster Suspilne": the outlet in apposition names the medium
    if (appos := next((t for t in head.rights if t.dep_ == "appos" and is_outlet(t) and t.i not in blocked), None)):
        start, end, name = _phrase(_name_tokens(appos))
        return Venue(start, end, name, True)
    if not allow_medium:
        return None
    inner = None
    for tok in head.subtree:  # "an interview with AP", "an article on substack.com"
        if tok.i == head.i or tok.i in blocked or tok.dep_ != "pobj" or tok.head.lemma_.lower() not in lex.prepositions:
            continue
        if is_outlet(tok):
            start, end, name = _phrase(_name_tokens(tok))
            return Venue(start, end, name, True)
        carrier = tok.head.head  # "remarks *broadcast* on state television": the medium that carried it (not
        if inner is None and tok.lemma_.lower() in lex.media and carrier.dep_ == "acl" and carrier.head.i == head.i:
            inner = tok  # "a press conference prior to the ministers' meeting")
    if inner is not None:
        head = inner
    span = [t for t in head.subtree if t.dep_ not in ("det", "prep", "acl", "relcl", "punct") or t.i == head.i]
    span = [t for t in span if t.i <= head.i]
    start, end = span[0].idx, head.idx + len(head.text)
    return Venue(start, end, _medium_name(head), False)


def find_venue(frame: list[Token], blocked: set[int]) -> tuple[Venue | None, Token | None]:
    """The venue of a statement whose cue clause is ``frame`` (cue first, then the verbs it hangs from).

    ``blocked`` are token indices that belong to the content or speaker and must not be read as venue.
    Returns the venue and the head token of the phrase it was found in (dates are searched there too).
    """
    lex = lexicon()
    found: list[tuple[Venue, Token]] = []
    objects = [c for v in frame for c in v.children if c.dep_ in ("dobj", "npadvmod") and c.i not in blocked]
    # a participle clause setting the scene before the statement, and its nouns: "Speaking to Reuters, X said",
    # "Asked about the strike at a press conference, X said"; there only a medium or an outlet spoken to or with
    # is a venue ("Speaking to students at St Mary's High School": a place)
    scenes = [t for v in frame for c in v.children if c.dep_ == "advcl" and c.tag_ in ("VBN", "VBG") and c.i < v.i
              and c.i not in blocked for t in c.subtree if t.i == c.i or t.pos_ in ("NOUN", "PROPN")]
    # "reiterated the forecast Dec. 2 on ARD": the PP may hang on the object
    heads = [(h, False) for h in (*frame, *objects)] + [(h, True) for h in scenes]
    for verb, scene in heads:
        for child in verb.children:
            if child.i in blocked:
                continue
            if child.dep_ in ("dobj", "dative") and verb.lemma_ == "tell" and not scene and (
                venue := from_phrase(child, True, blocked)
            ):  # "told Reuters", "told the Ukrainska Pravda newspaper", "told state radio"
                found.append((venue, child))
            elif child.dep_ == "prep" and child.lemma_.lower() in lex.prepositions and (
                child.lower_ not in lex.addressee_particles.get(verb.lemma_, ())  # "called on the UN to act"
            ):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.i not in blocked and (v := from_phrase(pobj, True, blocked)) and (
                            not scene or not v.named or child.lower_ in ("to", "with") or pobj.lemma_.lower() in lex.media):
                        found.append((v, pobj))
    if found:
        found.sort(key=lambda vh: (not vh[0].named, abs(vh[1].i - frame[0].i)))
        return found[0]
    for verb in frame:
        if verb.lemma_ in lex.verb_media and lex.verb_media[verb.lemma_] not in ("writing",):
            return Venue(verb.idx, verb.idx + len(verb.text), lex.verb_media[verb.lemma_], True), None
    return None, None
