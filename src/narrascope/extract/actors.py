"""The ``actors`` component: who is named in an article, as canonical entities with stable ids.

Why not just spaCy's NER: the small English model, on conflict news, calls outlets places or people
("The Economist", "ARD Tagesschau24" are missed, "Kyiv" becomes a PERSON in "Kyiv's"), misses
possessives ("Scholz’"), and splits one person into many ("General Zaluzhny", "Zaluzhnyi",
"Valery Zaluzhny’s"). So names are found in two passes over the existing parse (nothing is re-parsed):

1. a matcher over the knowledge file ``data/actors.yaml`` (names and aliases, compared after
   *folding*: diacritics, case, and transliteration variants such as y/i/iy endings and tch/tsch),
   which wins over the model wherever they overlap;
2. the model's remaining PERSON/ORG/GPE/LOC entities, cleaned (titles, "the", possessives),
   re-typed by keyword rules (ministries, military units, outlets) and clustered within the article
   (same folded key, surname-only to the full name, fuzzy match with rapidfuzz), plus names the model
   missed but the text marks: a title before them, a role in apposition after them ("Ihor Terekhov, the
   mayor of Kharkiv,"), or the untagged repeat of a name the model tagged elsewhere in the article.

Entity ids are the slug of the knowledge-file name (``valerii-zaluzhnyi``), or of the longest name
form in the article for actors not in the file, so a known actor gets the same id in every article
(an unknown one, as long as articles spell the full name alike).

The component also learns roles from appositions ("the mayor of Kyiv, ... Vitali Klitchko") and
leaves what coreference needs (titles, descriptor words, genders, appositions) in
``doc.user_data["actors"]``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import spacy
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rapidfuzz import fuzz, process
from spacy.attrs import LOWER, ORTH
from spacy.strings import get_string_id

from ..model import Analysis, Entity, Mention
from ..nlp.headlines import recased
from ..nlp.spacy_component import DATELINE, doc_text
from ..nlp.spacy_component import load as load_spacy
from ..pipeline import Doc, registry

# spaCy labels that can name an actor; NORP ("Russian") and the rest are attributes, not actors.
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "LOC"}
POSSESSIVE = {"'s", "’s", "'", "’", "s"}
DETERMINERS = {"the", "this", "that"}
# Prepositions that place what follows ("near Chasiv Yar"); "to"/"from" only after a noun ("the approaches to X",
# "the road from X"), since after a verb they take persons too ("spoke to X").
PLACE_PREPOSITIONS = {"near", "around", "outside", "inside", "towards", "toward", "into", "across", "within", "in",
                      "at", "beyond", "over"}
NOUN_PLACE_PREPOSITIONS = {"to", "from"}
# "the village of Krokhmalne": whatever the model tagged it, the name is a place
SETTLEMENT_NOUNS = {"village", "town", "city", "settlement", "region", "district", "oblast", "province", "hamlet"}

_FOLD_END = re.compile(r"(?:iy|yi|yy|ii|y)$")
_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Comparison key of one word: no diacritics or dots, lower case, transliteration variants merged.

    "Zaluzhny", "Zaluzhnyi" and "Zaluzhnyy" all fold to "zaluzhni"; "Klitchko" and "Klitschko" to
    "klichko"; "U.S." to "us". Applied to both the knowledge file and the text, so over-merging of
    ordinary words does no harm.
    """
    s = unicodedata.normalize("NFKD", word)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("’", "'").replace(".", "")
    s = s.replace("tsch", "ch").replace("tch", "ch")
    return _FOLD_END.sub("i", s) if len(s) > 3 and s.isalpha() else s


@lru_cache(maxsize=65536)
def slug(name: str) -> str:
    """Entity id from a name: ASCII, lower case, hyphens ("Recep Tayyip Erdoğan" -> "recep-tayyip-erdogan")."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("’", "").replace("'", "")
    return _SLUG.sub("-", s).strip("-") or "unnamed"


# --- the knowledge file ----------------------------------------------------------------------------


class Office(BaseModel):
    """One dated office of a knowledge-file actor: its role, the titles and descriptions that go with it, and
    when it was held (``from``/``to``: a year, or a date where the year is shared with the predecessor or
    successor). Why: an office's descriptions are true only while it is held, and a successor's
    ("foreign minister") must not compete with the holder an older article means."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    role: str | None = None
    titles: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    since: int | dt.date | None = Field(None, alias="from")
    until: int | dt.date | None = Field(None, alias="to")

    def held_on(self, day: dt.date) -> bool:
        """Whether the office was held on ``day`` (a year bound takes in the whole year)."""
        first = dt.date(self.since, 1, 1) if isinstance(self.since, int) else self.since
        last = dt.date(self.until, 12, 31) if isinstance(self.until, int) else self.until
        return (first is None or first <= day) and (last is None or day <= last)

    @property
    def dated_role(self) -> str | None:
        """The role with its years, as an undated article shows it: "Prime Minister of Ukraine (from 2025)"."""
        if self.role is None:
            return None
        since, until = (getattr(b, "year", b) for b in (self.since, self.until))
        if since and until:
            return f"{self.role} ({since}-{until})"
        return f"{self.role} (from {since})" if since else f"{self.role} (until {until})" if until else self.role


class ActorEntry(BaseModel):
    """One actor of the knowledge file (validated so a typo gives a clear error). ``role``, ``titles`` and
    ``descriptions`` hold at any date; ``offices`` only while each was held (see ``current``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    role: str | None = None
    gender: Literal["m", "f"] | None = None
    titles: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    offices: tuple[Office, ...] = ()
    surname: bool = True

    @property
    def id(self) -> str:
        return slug(self.name)

    def current(self, day: dt.date | None) -> tuple[Office, ...]:
        """The actor's undated facts as one office, then the offices held on ``day``, the latest first (every
        office when the article's date is not known: the old behaviour, where all of an actor's descriptions
        apply)."""
        undated = Office(role=self.role, titles=self.titles, descriptions=self.descriptions)
        held = [o for o in self.offices if day is None or o.held_on(day)]
        held.sort(key=lambda o: o.since if isinstance(o.since, int) else o.since.year if o.since else 0, reverse=True)
        return (undated, *held)


def article_day(published: str | None) -> dt.date | None:
    """The article's publication date from its ISO ``published`` field ("2024-03-01", or a year-month or year
    only, taken at its start), or None when it is missing or unreadable."""
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", (published or "").strip())
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return None


class KnowledgeFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actors: list[ActorEntry] = []
    type_rules: dict[str, list[str]] = {}
    not_actors: list[str] = []


@dataclass(frozen=True)
class _Alias:
    actor_id: str
    shapes: tuple[str, ...]  # per token: "U" all caps, "T" capitalised, "l" any case
    surname: bool


def _shape(token: str) -> str:
    letters = [c for c in token if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return "U"
    return "T" if letters and token[0].isupper() else "l"


def _case_ok(shape: str, token: str) -> bool:
    if shape == "U":
        return _shape(token) == "U"
    if shape == "T":
        return token[:1].isupper() or token[:1].isdigit()
    return True


@lru_cache(maxsize=1)
def _tokenizer():
    """English tokenizer rules (the same as en_core_web_sm's) to split aliases like the text."""
    return spacy.blank("en").tokenizer


def read_data_yaml(path: Path | None, name: str) -> dict:
    """A YAML mapping from ``path``, or the packaged data file ``name`` when ``path`` is None."""
    try:
        if path is None:
            text = resources.files("narrascope.data").joinpath(name).read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ValueError(f"cannot read {path or name}: {err}") from err
    if not isinstance(data, dict):
        raise ValueError(f"{path or name}: expected a mapping at the top level")
    return data


@dataclass(frozen=True)
class HeadNouns:
    """Head nouns alone, for ``nominal_phrase``, which reads nothing else of a lexicon."""

    heads: dict[str, str]


@dataclass
class Lexicon:
    """``data/titles.yaml``: titles, nominal heads, pronouns, first names, demonyms, gendered person nouns."""

    titles: dict[tuple[str, ...], str | None]
    title_len: int
    title_starts: np.ndarray  # spaCy hashes of the titles' first words: ``Doc.to_array(LOWER)`` finds candidates
    heads: dict[str, str | None]
    pronouns: dict[str, str]
    first_names: dict[str, str]
    demonyms: dict[str, set[str]]
    synonyms: list[set[str]]
    group_nouns: dict[str, str]
    collective: frozenset[str]
    one_of_many: frozenset[str]
    person_nouns: dict[str, str]
    compound_offices: frozenset[tuple[str, str]]  # folded ("secretary", "general"): one office, no "general"

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Lexicon:
        data = read_data_yaml(None, "titles.yaml")
        tok = _tokenizer()

        def gendered(section: dict) -> dict[str, str | None]:
            return {w: (g if g != "any" else None) for g, words in section.items() for w in words}

        titles = {tuple(t.lower_ for t in tok(w)): g for w, g in gendered(data["titles"]).items()}
        return cls(
            titles=titles,
            title_len=max(len(k) for k in titles),
            title_starts=np.array(sorted({get_string_id(k[0]) for k in titles}), dtype=np.uint64),
            heads={w.lower(): g for w, g in gendered(data["nominal_heads"]).items()},
            pronouns={w: g for g, words in data["pronouns"].items() for w in words},
            first_names={fold(w): g for g, words in data["first_names"].items() for w in words},
            demonyms={code: {fold(w) for w in words} for code, words in data["demonyms"].items()},
            synonyms=[{fold(w) for w in group} for group in data.get("synonyms", [])],
            group_nouns={w: label for label, words in data.get("group_nouns", {}).items() for w in words},
            collective=frozenset(data.get("collective", ())),
            one_of_many=frozenset(data.get("one_of_many", ())),
            person_nouns={w: g for g, words in data.get("person_nouns", {}).items() for w in words},
            compound_offices=frozenset(tuple(fold(w) for w in o.split()) for o in data.get("compound_offices", ())),
        )

    @cached_property
    def head_ids(self) -> np.ndarray:
        """spaCy hashes of the nominal heads and relation nouns: the only tokens ``nominal_phrase`` accepts."""
        return np.array(sorted({get_string_id(w) for w in (*self.heads, *self.relations.heads)}), dtype=np.uint64)

    @cached_property
    def relations(self) -> HeadNouns:
        """The person nouns as heads for ``nominal_phrase``: "Her husband, Ivan," names Ivan by a relation."""
        return HeadNouns(self.person_nouns)

    def office_words(self, words: Iterable[str]) -> list[str]:
        """Folded words with the parts of a compound office joined as its hyphenated form: "Secretary General"
        and "Secretary - General" are "secretary-general", so neither is a military "general"."""
        out: list[str] = []
        for word in words:
            if len(out) >= 2 and out[-1] == "-":
                out[-2:] = [f"{out[-2]}-{word}"]
            elif out and (out[-1], word) in self.compound_offices:
                out[-1] = f"{out[-1]}-{word}"
            else:
                out.append(word)
        return out


@dataclass
class Knowledge:
    """The knowledge file compiled for matching: actors by id and an index of folded aliases."""

    actors: dict[str, ActorEntry]
    index: dict[tuple[str, ...], list[_Alias]]
    max_len: int
    type_rules: dict[str, set[str]]
    person_keys: dict[str, str]  # folded full name or alias -> actor id, for fuzzy lookups
    digest: str
    firsts: frozenset[str] = frozenset()  # folded first words of all aliases: a cheap pre-check
    not_actors: frozenset[tuple[str, ...]] = frozenset()  # folded token tuples of names that are things

    @classmethod
    @lru_cache(maxsize=8)
    def load(cls, extra: str | None = None) -> Knowledge:
        """The built-in knowledge file, plus ``extra`` (same format; same-name entries replace)."""
        raw = [read_data_yaml(None, "actors.yaml")] + ([read_data_yaml(Path(extra), extra)] if extra else [])
        try:
            files = [KnowledgeFile.model_validate(d) for d in raw]
        except ValidationError as err:
            raise ValueError(f"bad knowledge file: {err}") from err
        actors: dict[str, ActorEntry] = {}
        type_rules: dict[str, set[str]] = defaultdict(set)
        tok = _tokenizer()
        things = frozenset(tuple(fold(t.text) for t in tok(n)) for f in files for n in f.not_actors)
        for f in files:
            actors.update({a.id: a for a in f.actors})
            for label, words in f.type_rules.items():
                type_rules[label] |= {w.lower() for w in words}
        index: dict[tuple[str, ...], list[_Alias]] = defaultdict(list)
        person_keys: dict[str, str] = {}
        for actor in actors.values():
            for form in (actor.name, *actor.aliases):
                words = [t.text for t in tok(form)]
                key = tuple(fold(w) for w in words)
                index[key].append(_Alias(actor.id, tuple(_shape(w) for w in words), False))
                if actor.type == "PERSON":
                    person_keys[" ".join(key)] = actor.id
                    if actor.surname and len(words) > 1:
                        index[key[-1:]].append(_Alias(actor.id, (_shape(words[-1]),), True))
        # A surname shared by two actors ("Klitschko") is no evidence for either.
        for key, aliases in index.items():
            owners = {a.actor_id for a in aliases if a.surname}
            if len(owners) > 1:
                index[key] = [a for a in aliases if not a.surname]
        digest = hashlib.sha256(repr((sorted(actors.items()), sorted(things))).encode()).hexdigest()[:8]
        return cls(actors, dict(index), max(len(k) for k in index), dict(type_rules), person_keys, digest,
                   frozenset(k[0] for k in index), things)

    def is_thing(self, tokens) -> bool:
        """Whether a name the model found is a thing of ``not_actors`` (a weapon system: "Patriot", "Leopard 2A6
        tanks", "F-16s", "Shahed-136 drones"): a listed name, singular or plural, with nothing else but lower-case
        words, numbers, model codes and hyphens ("Patriot missile systems"; "Stacey Abrams" stays a person)."""
        words = [fold(t.text) for t in tokens]
        for name in self.not_actors:
            n = len(name)
            for i in range(len(words) - n + 1):
                head = words[i + n - 1]
                if tuple(words[i : i + n - 1]) == name[:-1] and head in (name[-1], name[-1] + "s") and all(
                        t.is_lower or t.is_punct or any(c.isdigit() for c in t.text) or len(t.text) == 1
                        for t in (*tokens[:i], *tokens[i + n :])):
                    return True
        return False


# --- what coreference needs -------------------------------------------------------------------------


@dataclass
class ActorInfo:
    """Per-article facts about the entities, left in ``doc.user_data["actors"]`` for ``coref``."""

    # entity id -> lower-case folded words that may describe it (descriptions, role, titles, demonyms)
    words: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # entity id -> the word sets of each phrase that names an office of it, from the text (titles, appositions)
    # and from the knowledge file (descriptions, titles, roles of the offices held at the article's date), kept
    # apart so that one office's modifier ("prime" of a Prime Minister) does not bar a description that fits
    # another office ("the minister" of an economy minister)
    text_offices: dict[str, list[frozenset[str]]] = field(default_factory=lambda: defaultdict(list))
    known_offices: dict[str, list[frozenset[str]]] = field(default_factory=lambda: defaultdict(list))
    gender: dict[str, str | None] = field(default_factory=dict)
    # (first token, end token, entity id) of descriptions in apposition to a name
    appositions: list[tuple[int, int, str]] = field(default_factory=list)
    # name mentions as (first token, end token, entity id), in text order
    names: list[tuple[int, int, str]] = field(default_factory=list)
    # entity id -> what the knowledge file (built-in or ``extra_knowledge``) says it is: aliases, descriptions,
    # role. ``coref`` reads an organisation's kind from these ("TASS": "state news agency"), so every fact about
    # an actor stays in the knowledge file and an extra file gives kinds as well as names
    known: dict[str, tuple[str, ...]] = field(default_factory=dict)


# --- the component ---------------------------------------------------------------------------------


@dataclass
class _Found:
    """A name found in the text before clustering."""

    start: int  # first token, title included
    name_start: int  # first token of the name proper
    end: int
    label: str
    actor_id: str | None = None
    title: tuple[str, ...] = ()
    ner: str | None = None  # the NER model's label, kept for reference

    def name(self, sdoc) -> str:
        return sdoc[self.name_start : self.end].text

    def key(self, sdoc) -> tuple[str, ...]:
        return tuple(fold(t.text) for t in sdoc[self.name_start : self.end])


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Known English nouns/verbs/adjectives from the spaCy model's lemmatizer tables.

    Used to spot a capitalised common word the model tagged ORG ("Faced with Defeat").
    """
    try:
        table = load_spacy().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, AttributeError):
        return frozenset()
    return frozenset(w for pos in ("noun", "verb", "adj") for w in table.get(pos, []))


def _is_common_word(tok, common: frozenset[str]) -> bool:
    """Whether a token is a known English noun, verb or adjective by its form or lemma, accents aside ("Café" is
    the table's "cafe")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", tok.lower_) if not unicodedata.combining(c))
    return not {tok.lower_, plain, tok.lemma_.lower()}.isdisjoint(common)


def _opens_sentence(tok) -> bool:
    """Whether only punctuation (an opening quotation mark) comes before the token in its sentence."""
    return all(t.is_punct or t.is_space for t in tok.doc[tok.sent.start : tok.i])


def _modifies_lower_noun(tok) -> bool:
    """Whether the token modifies a lower-case noun right after it ("Café owners", "Broken page links"): a word
    that describes a common noun is no name of its own."""
    head = tok.head
    return (head.i > tok.i and tok.dep_ in ("amod", "compound", "nmod") and head.pos_ == "NOUN"
            and all(t.is_lower and t.is_alpha for t in tok.doc[tok.i + 1 : head.i + 1]))


def _in_title_case_line(tok) -> bool:
    """Is the token on a line written in Title Case (a headline), where capitals say little?"""
    text = doc_text(tok.doc)
    start = text.rfind("\n", 0, tok.idx) + 1
    end = text.find("\n", tok.idx)
    words = [w for w in text[start : end if end >= 0 else len(text)].split() if w[:1].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _name_word(tok) -> bool:
    """A headline word that reads as part of a name: the re-cased parse's proper noun, or a capitalised content word
    the text uses again (the parse tags a line's first word as it likes: "Marchuk Heads To Brussels").

    A word the text writes elsewhere in lower case only was re-parsed in lower case, and a proper noun there is the
    small model's slip ("Kyiv says dam strike flooded …" tags "strike" PROPN): no name."""
    if tok.pos_ == "NUM" or tok.pos_ == "PROPN" and (_written_again(tok) or not tok.is_title
                                                     or not _written_lower(tok)):
        return True
    return tok.is_title and not tok.is_stop and _written_again(tok)


def _between_title_words(first, last) -> bool:
    """Whether the capitalised words right before ``first`` and right after ``last`` run on a line's words
    around them (no punctuation, no line's end between)."""
    doc = first.doc
    return (first.i > 0 and last.i + 1 < len(doc)
            and all(t.is_alpha and t.is_title for t in (doc[first.i - 1], doc[last.i + 1])))


def _written_lower(tok) -> bool:
    """Whether the text writes the token's word in lower case."""
    return re.search(rf"(?<!\w){re.escape(tok.lower_)}(?!\w)", doc_text(tok.doc)) is not None


def _written_again(tok) -> bool:
    """Whether the text writes the token, in its case, more than once."""
    return len(re.findall(rf"(?<!\w){re.escape(tok.text)}(?!\w)", doc_text(tok.doc))) > 1


def _joined_persons(ents) -> list:
    """The model's entities with adjacent PERSON entities joined into one.

    The small model sometimes cuts one name in two ("Gen Oleksandr" + "Petrenko"); the two halves then
    became two actors with different ids, and "General Petrenko" / "the General" went to the surname only.
    Two PERSON entities separated by nothing but a single space are one name.
    """
    out = []
    for ent in ents:
        prev = out[-1] if out else None
        if (prev is not None and ent.label_ == "PERSON" and prev.label_ == "PERSON" and ent.start == prev.end
                and prev[-1].whitespace_ == " "):
            out[-1] = ent.doc[prev.start : ent.end]
            out[-1].label_ = "PERSON"
            continue
        out.append(ent)
    return out


def _inside_longer_place(sdoc, f: _Found) -> bool:
    """A one-word place from the knowledge file inside a longer name the model found: "West" in
    "the West Bank", "Ukraine" in "the Ukraine Defence Contact Group" — the longer name wins (not "Russia" in a
    headline's "Kovalenko Warns Russia")."""
    def words(span) -> int:
        return sum(t.lower_ not in DETERMINERS for t in span)

    if f.label not in ("GPE", "LOC") or words(sdoc[f.start : f.end]) > 1:
        return False
    core = next(t.i for t in sdoc[f.start : f.end] if t.lower_ not in DETERMINERS)
    if not sdoc[core].ent_type_:
        return False
    start = core
    while sdoc[start].ent_iob_ == "I":
        start -= 1
    end = core + 1
    while end < len(sdoc) and sdoc[end].ent_iob_ == "I":
        end += 1
    # a verb before a place that ends the name says the model ran a headline into it ("Kovalenko Warns Russia"; in
    # "Governor Follows West Virginia" the name goes on after "West")
    return words(sdoc[start:end]) > 1 and not (end == core + 1 and any(t.pos_ in ("VERB", "AUX")
                                                                        for t in sdoc[start:core]))


_ACRONYM_SKIP = {"of", "for", "and", "the", "on", "in", "to", "de", "&"}


def _defined_acronyms(sdoc, found: list[_Found]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Acronyms the text defines, folded acronym -> folded long form: "the Joint Center for Control and
    Coordination (JCCC)", "Ministry of Defence (MoD)" — the letters are the initials of the name's words, with or
    without its function words (a simple form of Schwartz and Hearst's abbreviation matching)."""
    starts = {f.name_start: f for f in found}
    out = {}
    for f in found:
        if f.end + 1 >= len(sdoc) or sdoc[f.end].text != "(" or (short := starts.get(f.end + 1)) is None:
            continue
        letters = sdoc[short.name_start : short.end].text
        if short.end >= len(sdoc) or sdoc[short.end].text != ")" or not (2 <= len(letters) <= 8 and letters.isalpha()):
            continue
        words = re.findall(r"[^\W\d_]+", sdoc[f.name_start : f.end].text)
        initials = ("".join(w[0] for w in words), "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIP))
        if letters.upper() in {i.upper() for i in initials}:
            out[short.key(sdoc)] = f.key(sdoc)
    return out


def nominal_phrase(tok, lexicon: Lexicon) -> tuple[int, int] | None:
    """Token range of a definite description headed by ``tok``: "the mayor of Kyiv", "the General",
    "Halushchenko's deputy".

    The head must be a singular role noun of the lexicon, preceded by "the" or a possessor (only
    modifiers in between, a participle only inside a hyphenated word: "the state-run agency") and optionally
    followed by an "of" phrase up to the next comma.
    """
    if tok.tag_ not in ("NN", "NNP") or tok.dep_ == "compound" or tok.lower_ not in lexicon.heads:
        return None
    det = next((c for c in tok.lefts if c.dep_ == "det" and c.lower_ in DETERMINERS), None)
    poss = next((c for c in tok.lefts if c.dep_ == "poss"), None)
    if det is not None:
        start, inner = det.i, det.i + 1
    elif poss is not None:
        start, inner = poss.left_edge.i, poss.right_edge.i + 1
    else:
        return None
    if any(t.pos_ in ("VERB", "AUX", "PRON") and "-" not in hyphen_word(t) or t.text == ","
           for t in tok.doc[inner : tok.i]):
        return None
    end = tok.i + 1
    of = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None and of.i == end:
        last = of.right_edge.i + 1
        cut = next((t.i for t in tok.doc[of.i : last] if t.is_punct and t.text not in "-’'"), last)
        end = cut if cut > of.i + 1 else end
    return start, end


def hyphen_word(tok) -> str:
    """The folded word a token belongs to, hyphenated compounds whole ("secretary-general")."""
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ \
            and not doc[start - 2].whitespace_:
        start -= 2
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_:
        end += 2
    word = fold(doc[start:end].text)
    if end - start == 1:  # "the NATO secretary general": one office, "secretary-general"
        offices = Lexicon.load().compound_offices
        before = fold(doc[start - 1].text) if start else ""
        after = fold(doc[end].text) if end < len(doc) else ""
        if (before, word) in offices:
            return f"{before}-{word}"
        if (word, after) in offices:
            return f"{word}-{after}"
    return word


def descriptor_words(tokens, possessor: bool = True) -> set[str]:
    """Folded content words of a description: no determiners, pronouns, prepositions or possessive
    marks; hyphenated compounds stay whole. ``possessor=False`` leaves out a possessor's words: "the
    minister's deputy" is a deputy, and must not become "the minister" later."""
    owned = set() if possessor else {d.i for t in tokens if t.dep_ == "poss" for d in t.subtree}
    return {hyphen_word(t) for t in tokens
            if not (t.is_punct or t.is_space or t.dep_ == "det" or t.pos_ in ("PRON", "ADP")
                    or t.text in POSSESSIVE or t.i in owned)}


class ActorsComponent:
    """Finds and canonicalises actors; see the module docstring."""

    english_only = True

    def __init__(self, extra_knowledge: str | None = None, fuzzy_cutoff: float = 90.0):
        self.knowledge = Knowledge.load(extra_knowledge)
        self.lexicon = Lexicon.load()
        self.fuzzy_cutoff = fuzzy_cutoff
        self.version = f"1.0-kb{self.knowledge.digest}"
        self._words_cache: dict[tuple[str, tuple[Office, ...]], tuple[frozenset[str], ...]] = {}

    # ---- finding names

    def _kb_matches(self, sdoc) -> list[_Found]:
        kb = self.knowledge
        strings = sdoc.vocab.strings  # each token's text read as its hash: a third of the cost of ``t.text``
        folded = [fold(strings[h]) for h in sdoc.to_array(ORTH).tolist()]
        found, i, n = [], 0, len(sdoc)
        while i < n:
            if folded[i] not in kb.firsts:
                i += 1
                continue
            for length in range(min(kb.max_len, n - i), 0, -1):
                aliases = kb.index.get(tuple(folded[i : i + length]), ())
                alias = next(
                    (a for a in aliases
                     # after a capitalised first word, capitalised words may be lower case: "Russia's defence
                     # ministry" is "Russia's Defence Ministry" ("white house" alone stays no match, and so does
                     # "the west" of "a village to the west": its first word is no capital)
                     if all(_case_ok(s, t.text) or (k and s == "T" and a.shapes[0] != "l")
                            for k, (s, t) in enumerate(zip(a.shapes, sdoc[i : i + length], strict=True)))
                     and not (a.surname and self._other_first_name(sdoc, i))),
                    None,
                )
                if alias:
                    actor = kb.actors[alias.actor_id]
                    found.append(_Found(i, i, i + length, actor.type, actor.id, ner=sdoc[i].ent_type_ or None))
                    i += length
                    break
            else:
                i += 1
        return found

    def _other_first_name(self, sdoc, i: int) -> bool:
        """A surname alias right after another capitalised name word ("Mike Johnson" is not Boris)."""
        if i == 0:
            return False
        prev = sdoc[i - 1]
        return prev.is_title and not prev.is_sent_start and self._title_before(sdoc, i, i - 1) == i

    def _title_before(self, sdoc, start: int, floor: int) -> int:
        """First token of the titles written right before token ``start`` ("Lt. Gen."), or ``start``."""
        lex = self.lexicon
        while True:
            for length in range(min(lex.title_len, start - floor), 0, -1):
                toks = sdoc[start - length : start]
                if toks[0].text[:1].isupper() and tuple(t.lower_ for t in toks) in lex.titles:
                    start -= length
                    break
            else:
                return start

    def _model_entities(self, sdoc, taken: set[int], common: frozenset[str]) -> list[_Found]:
        found = []
        for ent in _joined_persons(sdoc.ents):
            if (ent.label_ not in ACTOR_LABELS or any(i in taken for i in range(ent.start, ent.end))
                    or self._nationality(ent)):
                continue
            toks = [t for t in ent if not t.is_space]
            colon = max((k for k, t in enumerate(toks) if t.text == ":"), default=-1)
            toks = toks[colon + 1 :]  # a name the model ran across a heading's colon ("… Out of Shells: Kyiv")
            while toks and (toks[-1].text in POSSESSIVE or toks[-1].is_punct):
                toks.pop()
            if toks and toks[0].lower_ in DETERMINERS:
                toks.pop(0)
            if toks and _in_title_case_line(toks[0]):  # a headline's verb ends the name: "the West Grows Tired",
                verb = next((k for k, t in enumerate(toks) if k and t.pos_ in ("VERB", "AUX")), len(toks))
                toks = toks[:verb]  # "European Union Agrees New Sanctions"
                if doc_text(sdoc).count(ent.text) == 1 and self._retype(ent.label_, ent.text) != "OUTLET":
                    if recased(toks[0]):
                        # a name the text never repeats is what the headline's re-cased parse (``nlp.headlines``)
                        # calls a proper noun: "Fonda Heads" -> "Fonda", "Warns Russia" -> "Russia"; "Calm",
                        # "Oppose" are none
                        while toks and not _name_word(toks[0]):
                            toks.pop(0)
                        while toks and not _name_word(toks[-1]):
                            toks.pop()
                    elif ent.label_ == "PERSON" and all(
                            _is_common_word(t, common) and not _written_again(t) for t in toks) and (
                            _between_title_words(toks[0], toks[-1]) or any(_written_lower(t) for t in toks)):
                        continue  # a line the parse runs on into the text is not re-cased and its parse calls every
                        # word a proper noun; a "person" of common words the text never capitalises again is
                        # headline words when run into the headline's words on both sides ("Says Dam Strike
                        # Flooded …") or when the text writes one of them in lower case ("Drone Attack Hit
                        # Refinery" before "the attack"); a byline's name stands by punctuation or a line's end and
                        # its words are rarely prose ("by Frank Bergman, …")
            if not toks or self.knowledge.is_thing(toks):
                continue  # a weapon system the model took for a person or organisation ("Patriot", "HIMARS")
            if ent.label_ != "PERSON" and self._starts_title(sdoc, toks[0].i, toks[-1].i + 1):
                continue  # a title alone is no actor ("Major General" tagged ORG before "Pavel Lomov"), nor is
                # the start of one ("Interior" tagged ORG in "Interior Minister Daniella Misail-Nichitin")
            if not any(t.text[:1].isupper() for t in toks) or self._unnamed_body(toks):
                continue  # no capital, no name: "the state news" (agency TASS) tagged ORG; nor "The Ukrainian
                # ministry", a description
            start, end = toks[0].i, toks[-1].i + 1
            name_start = start
            while name_start < end - 1 and self._title_before(sdoc, name_start + 1, name_start) == name_start:
                name_start += 1  # titles the model took in ("Ms Harris", "General Taras Kovalenko" tagged ORG)
            titled = name_start > start and ent.label_ != "PERSON"
            if titled and not self._reads_as_name(sdoc, name_start, end, common):
                name_start, titled = start, False  # the title belongs to the name ("General Staff", "General Motors")
            text = sdoc[name_start:end].text
            first = sdoc[name_start]
            if (end - name_start == 1 and not text.isupper() and _is_common_word(first, common) and (
                    ent.label_ == "ORG" and (_in_title_case_line(first) or first.is_sent_start and first.pos_ == "NOUN")
                    or ent.label_ == "PERSON" and _opens_sentence(first) and _modifies_lower_noun(first))):
                continue  # a capitalised common word in a headline ("Faced with Defeat") or opening a sentence
                # ("Farmers say"; "Café owners in Kherson said", "“Broken page links …" tagged PERSON)
            label = ("PERSON" if titled or self._looks_personal(sdoc, name_start, end)
                     else self._retype(ent.label_, text))
            found.append(_Found(start, name_start, end, label, ner=ent.label_))
        return found

    def _starts_title(self, sdoc, start: int, end: int) -> bool:
        """Whether tokens ``start:end`` are a title or its first words ("Interior" of "Interior Minister")."""
        lowers = tuple(t.lower_ for t in sdoc[start : start + self.lexicon.title_len])
        return any(lowers[:n] in self.lexicon.titles for n in range(end - start, len(lowers) + 1))

    def _reads_as_name(self, sdoc, start: int, end: int, common: frozenset[str]) -> bool:
        """Whether the words after a title read as a person's name: capitalised proper nouns, the last no common
        word ("General Staff"), and a first name plus surname or a known first name ("General Motors" is one
        word, not a listed first name)."""
        toks = sdoc[start:end]
        return (all(t.pos_ == "PROPN" and t.is_title for t in toks) and toks[-1].lower_ not in common
                and (len(toks) >= 2 or fold(toks[0].text) in self.lexicon.first_names))

    def _titled_names(self, sdoc, taken: set[int], common: frozenset[str], model: list[_Found]) -> list[_Found]:
        """Persons the model did not tag as actors but the text titles: "General Taras Kovalenko told Reuters" (a
        capitalised title, then one to three proper nouns that read as a name, ``_reads_as_name``). When the model
        tagged only the surname ("Mayor Petro [Sydorenko]"), its name (in ``model``) takes the first name and the
        title instead: one person, not "Petro" and "Sydorenko"."""
        found, lex = [], self.lexicon
        model_persons = {f.start: f for f in model if f.label == "PERSON" and f.actor_id is None and f.start == f.name_start}
        for i in np.flatnonzero(np.isin(sdoc.to_array(LOWER), lex.title_starts)).tolist():
            if i in taken or not sdoc[i].text[:1].isupper():
                continue
            lowers = [t.lower_ for t in sdoc[i : i + lex.title_len]]
            length = next((n for n in range(len(lowers), 0, -1) if tuple(lowers[:n]) in lex.titles), 0)
            end = i + length
            while (length and end < len(sdoc) and end - i - length < 3 and end not in taken
                   and sdoc[end].pos_ == "PROPN" and sdoc[end].is_title
                   and sdoc[end].ent_type_ not in ACTOR_LABELS - {"PERSON"}):  # untagged, PERSON, or a misfit
                # label no actor is read from ("“…,” General Taras Kovalenko said" tagged WORK_OF_ART)
                end += 1
            surname = model_persons.get(end) if end > i + length else None
            if surname is not None and self._reads_as_name(sdoc, i + length, surname.end, common) and not any(
                    k in taken for k in range(i, end)) and not any(  # a second title: "Professor Dame [Jenny …]"
                    (sdoc[k].lower_,) in lex.titles for k in range(i + length, end)):
                surname.start, surname.name_start = i, i + length
                taken.update(range(i, end))
                continue
            if (end > i + length and self._reads_as_name(sdoc, i + length, end, common)
                    and not any(k in taken for k in range(i, end))):
                found.append(_Found(i, i + length, end, "PERSON", ner=None))
                taken.update(range(i, end))
        return found

    def _described_names(self, sdoc, taken: set[int], common: frozenset[str]) -> list[_Found]:
        """Persons the model did not tag but the text describes: two or three capitalised proper nouns followed by
        an apposition that is a person's role ("Ihor Terekhov, the mayor of Kharkiv, said …": the small model
        tags the name alone but may miss it in a longer text). The apposition's first noun within four words is
        a title or person noun of ``titles.yaml`` ("the mayor", "a spokeswoman for", "head of")."""
        lex, found, i = self.lexicon, [], 0
        while i < len(sdoc) - 3:
            end = i
            # a first name may be a common word ("Roman Mrochko", "Mark Rutte"), the surname may not
            while end < len(sdoc) and end - i < 3 and end not in taken and sdoc[end].pos_ == "PROPN" and (
                    sdoc[end].is_title and (sdoc[end].lower_ not in common or end == i)):
                end += 1
            if end - i >= 2 and end < len(sdoc) - 2 and sdoc[end].text == "," and (i == 0 or sdoc[i - 1].pos_ != "PROPN") and (
                    sdoc[end - 1].lower_ not in common):
                words = [t for t in sdoc[end + 1 : end + 5] if t.pos_ in ("NOUN", "PROPN")]
                role = words[0].lower_ if words else ""
                if (role,) in lex.titles or role in lex.heads or role in lex.person_nouns:
                    found.append(_Found(i, i, end, "PERSON", ner=None))
                    taken.update(range(i, end))
            i = max(end, i + 1)
        return found

    def _repeated_names(self, sdoc, found: list[_Found], taken: set[int], common: frozenset[str]) -> list[_Found]:
        """Other mentions of a person the model tagged once: the small model tags "Maksymenko says" but not
        "Olena Maksymenko has spent …" or "Maksymenko thanked him", and an untagged mention is lost to the
        quotes and claims made under that name. A person's last name word (not a common word) written
        elsewhere, capitalised and not part of a longer name, is that person again; a capitalised proper
        noun right before it that is no title is the first name ("Olena")."""
        surnames = {sdoc[f.end - 1].text for f in found if f.label == "PERSON" and f.actor_id is None
                    and sdoc[f.end - 1].is_title and sdoc[f.end - 1].lower_ not in common}
        out = []
        for tok in sdoc:
            if tok.text not in surnames or tok.i in taken or tok.lemma_.lower() in common:
                continue  # "Mushrooms are having a moment" is no "Reishi Mushrooms" the model took for a person
            after = sdoc[tok.i + 1] if tok.i + 1 < len(sdoc) else None
            if after is not None and after.pos_ == "PROPN" and after.is_title:
                continue  # "Maksymenko Street", a first name of someone else
            start = tok.i
            before = sdoc[start - 1] if start else None
            if (before is not None and before.i not in taken and before.pos_ == "PROPN" and before.is_title
                    and before.whitespace_ == " " and before.lower_ not in common
                    and self._title_before(sdoc, start, start - 1) == start):
                start -= 1
            out.append(_Found(start, start, tok.i + 1, "PERSON", ner=tok.ent_type_ or None))
            taken.update(range(start, tok.i + 1))
        return out

    def _groups(self, sdoc, taken: set[int]) -> list[_Found]:
        """Collective actors named by nationality: "Ukrainians", "the Russian government",
        "Ukrainian special services", "Western allies" (typed by their noun: government, forces...), but no
        ``_unnamed_body``."""
        found = []
        starts = {e.start for e in sdoc.ents if e.label_ == "NORP" or self._names_body(e)}
        for m in re.finditer(r"\bwestern\b", doc_text(sdoc), re.IGNORECASE):
            span = sdoc.char_span(m.start(), m.end())
            if span is not None:
                starts.add(span.start)
        for tok in (sdoc[i] for i in sorted(starts)):
            if tok.i in taken:
                continue
            if tok.tag_ in ("NNPS", "NNS") and tok.ent_iob_ == "B" and tok.i + 1 not in taken:
                found.append(_Found(tok.i, tok.i, tok.i + 1, "NORP", ner="NORP"))  # "Ukrainians"
                continue
            head = tok.head
            lemma = head.lemma_.lower()
            label = self.lexicon.group_nouns.get(lemma)
            if head.tag_ not in ("NNS", "NNPS") and lemma not in self.lexicon.collective or self._unnamed_body(
                    sdoc[tok.i : head.i + 1]):
                label = None
            if (label and tok.dep_ in ("amod", "compound") and head.i > tok.i
                    and not any(i in taken for i in range(tok.i, head.i + 1))
                    and all(t.pos_ in ("ADJ", "PROPN", "NOUN") for t in sdoc[tok.i + 1 : head.i])):
                found.append(_Found(tok.i, tok.i, head.i + 1, label, ner="NORP"))
                taken.update(range(tok.i, head.i + 1))
        return found

    def _unnamed_body(self, toks) -> bool:
        """Whether tokens are a nationality and a lower-case singular noun of a body a country has many of
        (``one_of_many``): "The Ukrainian ministry" names none of them ("the Moldovan interior ministry" names
        one), so it is a description of a ministry named elsewhere, for ``coref``, and no actor of its own."""
        return (len(toks) == 2 and toks[0].is_title and toks[0].tag_ in ("JJ", "NNP", "NNPS")
                and toks[1].is_lower and toks[1].tag_ == "NN" and toks[1].lemma_ in self.lexicon.one_of_many)

    def _nationality(self, ent) -> bool:
        """A one-word entity that is a nationality the model tagged GPE, PERSON or ORG, so no actor: an adjective
        modifying a noun that names no group ("Ukrainian truck drivers"; "Leftist elites", "Ukrainian officials"
        keep it: the group stands for an actor), or the country of a body (``_names_body``)."""
        tok = ent[0]
        return len(ent) == 1 and (tok.tag_ == "JJ" and tok.dep_ == "amod" and not tok.is_upper
                                  and tok.head.lemma_ not in self.lexicon.group_nouns or self._names_body(ent))

    def _names_body(self, ent) -> bool:
        """A one-word entity before a lower-case government or military body: "The Moldovan interior ministry"
        (tagged PERSON, parsed as a compound), "the Georgian army". The body is the actor (``_groups``)."""
        tok, head = ent[0], ent[0].head
        return (len(ent) == 1 and tok.dep_ in ("amod", "compound") and head.i > tok.i and head.is_lower
                and head.tag_ in ("NN", "NNP") and head.lemma_ in self.lexicon.collective
                and self.lexicon.group_nouns.get(head.lemma_) in ("GOVERNMENT", "MILITARY"))

    def _looks_personal(self, sdoc, start: int, end: int) -> bool:
        """A name the model mislabelled (ORG/GPE) that reads as a person's: a known first name
        ("Mykola Danylenko"), or a title or role noun right before it ("governor Oleh Kiper")."""
        toks = sdoc[start:end]
        if not all(t.is_title for t in toks):
            return False
        if 2 <= len(toks) <= 3 and fold(toks[0].text) in self.lexicon.first_names:
            return True
        before = sdoc[start - 1] if start > 0 else None
        return before is not None and (
            self._title_before(sdoc, start, start - 1) != start
            or (before.is_lower and before.lower_ in self.lexicon.heads)
        )

    def _reads_as_place(self, sdoc, found: list[_Found], places: set[int]) -> bool:
        """Whether a name the model tagged PERSON or ORG is a place: named by a settlement noun ("the village of
        Krokhmalne"), listed with a place as one untitled word ("towards Selydove and Kurakhove", "leave
        Novohrodivka and Ukrainsk"; ``places`` holds the last tokens of the places found), or, for PERSON, used
        as a place throughout: untitled, no known first name, no role noun before it ("journalist"), never a
        subject, and at least once after a placing preposition ("assaults on the approaches to Chasiv Yar", "near
        Bohdanivka"). Small models tag unfamiliar town names as persons or organisations, and a place typed PERSON
        draws the pronouns and descriptions ("the commander of …") meant for people."""
        for f in found:
            head = sdoc[f.end - 1]
            if f.label in ("PERSON", "ORG") and head.dep_ == "pobj" and head.head.lower_ == "of" and (
                head.head.head.lemma_.lower() in SETTLEMENT_NOUNS
            ):
                return True
        if all(f.label in ("PERSON", "ORG") and f.end - f.name_start == 1 and not f.title
               and not sdoc[f.name_start].is_upper
               and fold(sdoc[f.name_start].text) not in self.lexicon.first_names for f in found) and any(
            self._listed_with_place(sdoc[f.end - 1], f.label, places) for f in found
        ):
            return True
        placed = False
        for f in found:
            head = sdoc[f.end - 1]
            if f.title or f.label != "PERSON" or fold(sdoc[f.name_start].text) in self.lexicon.first_names:
                return False
            before = sdoc[f.start - 1] if f.start else None
            if before is not None and before.is_lower and before.lower_ in self.lexicon.heads:
                return False  # a role noun before it names a person: "sentenced journalist Evan Gershkovich"
            if head.dep_ in ("nsubj", "nsubjpass", "agent") or head.head.dep_ == "agent":
                return False
            prep = head.head if head.dep_ == "pobj" else None
            placed |= prep is not None and (
                prep.lower_ in PLACE_PREPOSITIONS
                or prep.lower_ in NOUN_PLACE_PREPOSITIONS and prep.head.pos_ in ("NOUN", "PROPN")
            )
        return placed

    @staticmethod
    def _listed_with_place(head, label: str, places: set[int]) -> bool:
        """Whether a name is joined by "and"/"or" to a place. A name the model tagged ORG also needs a placing
        preposition before the list ("towards Selydove and Kurakhove"): "sanctions on Russia and Gazprom" lists
        a company with a country."""
        first = head.head if head.dep_ == "conj" else head
        conjuncts = [first, *(c for c in first.children if c.dep_ == "conj")]
        if not any(t.i in places and t.i != head.i for t in conjuncts):
            return False
        return label == "PERSON" or first.dep_ == "pobj" and first.head.lower_ in PLACE_PREPOSITIONS

    def _retype(self, label: str, name: str) -> str:
        """Ministries, military units and outlets by keyword ("Ministry", "Brigade", "Times"); an acronym the
        model took for a person ("CPEC", "IAEA") is an organisation (a transcript's "PENCE:" is read by quotes)."""
        if label == "PERSON":
            return "ORG" if name.isalpha() and name.isupper() and 2 <= len(name) <= 6 else label
        words = {w.lower() for w in re.findall(r"[\w-]+", name)}
        for new_label, keys in self.knowledge.type_rules.items():
            if words & keys:
                return new_label
        return label

    # ---- clustering

    def _kb_fuzzy(self, key: tuple[str, ...]) -> str | None:
        """A knowledge-file person whose folded name is a near spelling of ``key`` (typos, 'Zaluzhnyj')."""
        text = " ".join(key)
        if len(text) < 6:
            return None
        choices = self.knowledge.person_keys
        best = process.extractOne(text, list(choices), scorer=fuzz.ratio, score_cutoff=self.fuzzy_cutoff)
        return choices[best[0]] if best else None

    def _cluster(self, sdoc, found: list[_Found]) -> dict[int, str]:
        """Assign every found name to a cluster id (actor id or a slug); returns index -> id."""
        assigned: dict[int, str] = {}
        clusters: dict[str, tuple[tuple[str, ...], str]] = {}  # id -> (folded key, label)
        defined = _defined_acronyms(sdoc, found)
        order = sorted(range(len(found)), key=lambda k: -(found[k].end - found[k].name_start))
        for k in order:
            f = found[k]
            key = f.key(sdoc)
            if f.actor_id:  # known; still a target for surname-only mentions ("Michel")
                assigned[k] = f.actor_id
                clusters.setdefault(f.actor_id, (key, f.label))
                continue
            cid = next((c for c, (ck, _) in clusters.items() if ck in (key, defined.get(key))), None)
            if cid is None and len(key) == 1:
                owners = {c for c, (ck, lab) in clusters.items() if lab == "PERSON" and len(ck) > 1 and ck[-1] == key[0]}
                cid = owners.pop() if len(owners) == 1 else None
            if cid is None and f.label == "PERSON":
                cid = self._kb_fuzzy(key)
            if cid is None:
                same = [c for c, (_, lab) in clusters.items() if lab == f.label]
                keys = [" ".join(clusters[c][0]) for c in same]
                best = process.extractOne(" ".join(key), keys, scorer=fuzz.ratio, score_cutoff=self.fuzzy_cutoff)
                cid = same[best[2]] if best else None
            if cid is None:
                cid = slug(f.name(sdoc))  # the longest form comes first: the canonical name
                clusters[cid] = (key, f.label)
            assigned[k] = cid
        return assigned

    # ---- roles and descriptors

    def _describe(self, sdoc, found: list[_Found], ids: dict[int, str], info: ActorInfo) -> dict[str, str]:
        """Learn descriptor words and roles from titles, appositions and pre-name descriptions."""
        lex, roles = self.lexicon, {}
        starts = {f.start: ids[k] for k, f in enumerate(found) if f.label == "PERSON"}
        ends = {f.end: ids[k] for k, f in enumerate(found) if f.label == "PERSON"}
        for i in np.flatnonzero(np.isin(sdoc.to_array(LOWER), lex.head_ids)).tolist():
            tok = sdoc[i]
            span = nominal_phrase(tok, lex)
            # a relation ("Her husband, Ivan,", "his brother, Mykola Stefanchuk") names a person too, but is no role
            relation = span is None and (span := nominal_phrase(tok, lex.relations)) is not None
            if span is None:
                continue
            start, end = span
            after = before = None
            if end < len(sdoc) and sdoc[end].text == ",":  # "the mayor of Kyiv, (anti-Russian fanatic) Vitali Klitchko"
                j = end + 1
                while j < min(end + 6, len(sdoc)) and j not in starts and sdoc[j].text != "," \
                        and sdoc[j].pos_ in ("ADJ", "NOUN", "PROPN", "PUNCT"):
                    j += 1
                after = starts.get(j)
            if start > 0 and sdoc[start - 1].text == ",":  # "Vitali Klitchko, the mayor of Kyiv"
                before = ends.get(start - 1)
            target = after or before
            if target is None or relation and after and before:
                continue  # "Marianna Budanova, the wife of Ukraine's spy chief, Kyrylo Budanov": whose is open
            info.appositions.append((start, end, target))
            if relation:
                continue
            described = descriptor_words(sdoc[start:end], possessor=False)
            info.words[target] |= described
            info.text_offices[target].append(frozenset(described))
            # "the" and a possessive pronoun say nothing out of context: "Its president, Mykola Horbachov" is a president
            role_start = start + 1 if sdoc[start].dep_ == "det" or sdoc[start].tag_ == "PRP$" else start
            roles.setdefault(target, sdoc[role_start:end].text)
        for k, f in enumerate(found):
            if f.label != "PERSON":
                continue
            # "Nadiya Savchenko, a volunteer medic from Dnipro, ...": words and role, no mention (an indefinite
            # description is not a name for the person later in the text)
            if f.end + 2 < len(sdoc) and sdoc[f.end].text == "," and sdoc[f.end + 1].lower_ in ("a", "an"):
                stop = next((t.i for t in sdoc[f.end + 1 : sdoc[f.end].sent.end] if t.is_punct), len(sdoc))
                info.words[ids[k]] |= descriptor_words(sdoc[f.end + 2 : stop])
                if any(t.lower_ in lex.heads for t in sdoc[f.end + 2 : stop]):
                    roles.setdefault(ids[k], sdoc[f.end + 2 : stop].text)
            # "A Russian defence ministry spokesman, Major General Pavel Lomov, said": the same, before the name
            head = sdoc[f.start - 2] if f.start >= 2 and sdoc[f.start - 1].text == "," else None
            if head is not None and head.lower_ in lex.heads and head.left_edge.lower_ in ("a", "an"):
                roles.setdefault(ids[k], sdoc[head.left_edge.i + 1 : head.i + 1].text)
            if f.title:
                title = frozenset(lex.office_words(fold(w) for w in f.title))
                info.words[ids[k]] |= title
                info.text_offices[ids[k]].append(title)
            j = f.start - 1  # "investigative journalist Seymour Hersh"
            if j >= 0 and sdoc[j].lower_ in lex.heads and sdoc[j].is_lower:
                roles.setdefault(ids[k], sdoc[j].text)
                while j >= 0 and sdoc[j].pos_ in ("ADJ", "NOUN", "PROPN") and not sdoc[j].is_space:
                    info.words[ids[k]].add(fold(sdoc[j].text))
                    j -= 1
        return roles

    def _kb_phrases(self, actor: ActorEntry, offices: tuple[Office, ...]) -> tuple[frozenset[str], ...]:
        """Descriptor words of each description, title and role (each office of a role written "A; B") of the
        offices a knowledge-file actor holds. Hyphenated words and compound offices stay whole, so the
        "general" of "Secretary-General" or "NATO secretary general" does not make Stoltenberg a candidate
        for "the General"."""
        key = (actor.id, offices)
        if key not in self._words_cache:
            self._words_cache[key] = tuple(
                frozenset(self.lexicon.office_words(fold(w.strip("(),.")) for w in part.replace("’", "'")
                                                    .replace("'s", "").split())) - {"of", "the", ""}
                for o in offices for phrase in (*o.descriptions, *o.titles, o.role or "")
                for part in phrase.split(";") if part.strip())
        return self._words_cache[key]

    def _gender(self, sdoc, f: _Found, actor: ActorEntry | None) -> str | None:
        if actor is not None:
            return actor.gender
        for length in range(len(f.title), 0, -1):
            gender = self.lexicon.titles.get(tuple(w.lower() for w in f.title[:length]))
            if gender:
                return gender
        if f.end - f.name_start < 2:
            return None
        first = fold(sdoc[f.name_start].text)
        # Unlisted first names ending in -a are mostly women's in the languages of this domain
        # (Slavic, Romance, German); the men's exceptions (Mykola, Nikita, Ilya) are listed.
        return self.lexicon.first_names.get(first, "f" if first.endswith("a") and len(first) > 2 else None)

    # ---- main

    def __call__(self, doc: Doc) -> Doc:
        sdoc, analysis = doc.nlp, doc.analysis
        if sdoc is None:
            raise ValueError("the 'actors' component needs the 'spacy' component before it")
        day = article_day(analysis.article.published)
        datelines = [m.span() for m in DATELINE.finditer(doc.text)]
        found = [f for f in self._kb_matches(sdoc) if not _inside_longer_place(sdoc, f)]
        taken = {i for f in found for i in range(f.start, f.end)}
        found += self._model_entities(sdoc, taken, _common_words())
        taken = {i for f in found for i in range(f.start, f.end)}
        found += self._titled_names(sdoc, taken, _common_words(), found)
        found += self._described_names(sdoc, taken, _common_words())
        found += self._repeated_names(sdoc, found, taken, _common_words())
        found += self._groups(sdoc, taken)
        found = [f for f in found if not any(a <= sdoc[f.start].idx < b for a, b in datelines)]
        found.sort(key=lambda f: f.start)
        for f in found:
            if f.label == "PERSON" and f.start == f.name_start:
                f.start = self._title_before(sdoc, f.start, 0)
            f.title = tuple(t.text for t in sdoc[f.start : f.name_start])
        ids = self._cluster(sdoc, found)
        clusters: dict[str, list[_Found]] = defaultdict(list)
        for k, f in enumerate(found):
            clusters[ids[k]].append(f)
        places = {f.end - 1 for f in found if f.label in ("GPE", "LOC")}
        for eid, members in clusters.items():
            if eid not in self.knowledge.actors and self._reads_as_place(sdoc, members, places):
                for f in members:
                    f.label = "GPE"  # before the descriptions: "to Chasiv Yar, the commander … said" is no apposition
        info = ActorInfo()
        roles = self._describe(sdoc, found, ids, info)

        entities: dict[str, Entity] = {}
        forms: dict[str, list[str]] = defaultdict(list)
        text = doc.text
        for k, f in enumerate(found):
            eid = ids[k]
            actor = self.knowledge.actors.get(eid)
            ent = entities.get(eid)
            if ent is None:
                offices = actor.current(day) if actor else ()
                held = [o.dated_role for o in offices if o.role]
                ent = entities[eid] = Entity(
                    id=eid,
                    name=actor.name if actor else "",
                    type=actor.type if actor else f.label,
                    country=actor.country if actor else None,
                    role="; ".join(held) if held else roles.get(eid),
                    in_knowledge_base=actor is not None,
                )
                if actor:
                    phrases = self._kb_phrases(actor, offices)
                    info.known_offices[eid] = list(phrases)
                    info.words[eid] |= set().union(*phrases) | self.lexicon.demonyms.get(actor.country or "", set())
                    info.known[eid] = (*actor.aliases, *(d for o in offices for d in o.descriptions),
                                       *(o.role for o in offices if o.role))
            if ent.type != "PERSON" and f.label == "PERSON" and actor is None:
                ent.type = "PERSON"  # a surname the model tagged ORG joined a full name
            if info.gender.get(eid) is None:
                info.gender[eid] = self._gender(sdoc, f, actor)
            start, end = sdoc[f.start].idx, sdoc[f.end - 1].idx + len(sdoc[f.end - 1].text)
            ent.mentions.append(Mention.of(text, start, end).model_copy(
                update={"kind": "name", "entity_id": eid, "ner_label": f.ner}))
            forms[eid].append(f.name(sdoc))
            info.names.append((f.start, f.end, eid))
        for eid, ent in entities.items():
            names = sorted(set(forms[eid]), key=lambda s: (-len(s.split()), -len(s), s))
            if not ent.name:
                ent.name = names[0]
            ent.aliases = [n for n in names if n != ent.name]
        for eid, words in info.words.items():
            for group in self.lexicon.synonyms:
                if words & group:
                    words |= group
        analysis.entities = list(entities.values())
        doc.user_data["actors"] = info
        return doc


def resolve_span(analysis: Analysis, start: int, end: int) -> Entity | None:
    """The entity with a mention overlapping ``[start, end)`` the most (names beat nominals, pronouns).

    For other components: e.g. ``quotes`` maps a speaker span to its canonical actor with it.
    """
    rank = {"name": 2, "nominal": 1, "pronoun": 0}
    best, best_key = None, None
    for ent in analysis.entities:
        for m in ent.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > 0 and m.entity_id:
                key = (overlap, rank[m.kind], m.confidence)
                if best_key is None or key > best_key:
                    best, best_key = ent, key
    return best


@registry.components.register("actors")
def make_actors(extra_knowledge: str | None = None, fuzzy_cutoff: float = 90.0) -> ActorsComponent:
    return ActorsComponent(extra_knowledge=extra_knowledge, fuzzy_cutoff=fuzzy_cutoff)
