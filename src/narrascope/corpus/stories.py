"""Stories: articles about the same event, across outlets, grouped incrementally.

An article joins the most similar existing story when the similarity clears ``threshold`` and one of
the story's articles is dated within ``window_days`` of it; otherwise it starts a new story. The
similarity mixes three signals, each a cosine between the article and the story's running sum:

* words of the title and lead (hashed unigrams and bigrams, English stop words removed), weighted
  by an IDF kept up to date as articles arrive — or, when an ``embed`` function is given (e.g.
  MiniLM sentence embeddings), the cosine of the embeddings instead;
* canonical actors mentioned and quoted (IDF-weighted, so "Russia" counts for little and a named
  general for a lot). An actor counts once per article, however often it is quoted: who is involved
  marks the event, how much one outlet quotes them does not, and a weight per quote let the most
  quoted speaker fill the vector — when the actor layer gave that speaker a key of its own in one
  article (a title or a surname form), the articles of one event shared next to nothing. A place
  (``PLACE_TYPES``) weighs ``PLACE_WEIGHT`` times its IDF, half a participant: the town a report is
  set in is the setting of every other event there that week (a frontline town is shelled daily), so
  sharing it is weaker evidence of one event than sharing a person or an organisation. At full
  weight a place was as much of a short report's actors as the official it quoted, and two reports
  of different events in one town, each quoting its own official, joined on the town and the war's
  vocabulary;
* quoted statements: the share of the article's best-matching quote whose word trigrams the story
  already quotes — the same statement reproduced by two outlets is a strong sign of one event.

Site furniture is left out of all three: a line of the article (a paragraph, a ticker's line, an
advertisement) that an earlier article of the same outlet carried too, such as a footer advertisement
naming a politician, a news ticker or a "Subscribe to our newsletter" paragraph, is read as no part
of it, because its names, its quoted words and (at the top) its words would otherwise make every
article of that outlet look like every other. Lines are counted per outlet (the articles without an
outlet as one more), as the index takes them, so the first article carrying a footer keeps it; the
ones after it are read without it and do not meet the first on it. An article more than
``COPY_SHARE`` of whose lines (by characters) are such repeats is a copy or an update of an earlier
one, not an article with furniture, and is read whole: two sites carrying one wire report, or an outlet updating its report,
stay one story.

When both the article and the story name *specific* actors but share none, they are different
events, however alike the words: news of one kind ("shelling hits X") repeats its vocabulary daily,
and this rule stops stories from chaining through it. An actor named in more than ``COMMON_SHARE``
of the articles (Ukraine, Russia, the president) is not specific: sharing only it proves nothing.
The rule also makes the search cheap: candidates are the stories of the time window that share a
specific actor with the article (an inverted index) or name none.

Why hashing rather than a fitted TF-IDF: the index must take one more article at any time without
refitting, and must persist (``save``/``load``, JSON) between runs of ``narrascope stories``.
Candidate stories are looked up by day, so adding an article costs the same in a corpus of ten
thousand stories as in one of ten.

A single pass depends on the order articles come in: which story an article joins (and whether two
stories that both fit it were ever one), the story ids and titles (from the first article) and the
IDF of the moment. So every way in takes them in one order, ``common.story_order`` (oldest first,
then by id): ``add_all`` sorts the batch it is given; ``add_ordered`` takes a stream already in that
order (``inputs.iter_chronological``, which reads a store a chunk at a time) and refuses one that is
not. The same articles then make the same stories however they were given or stored. An index that
is kept up (``--index``, the web server) takes each new batch in that order after what it holds: an
article dated before those it already holds joins the stories as they stand, where a rebuild would
have met it earlier.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sklearn.feature_extraction.text import HashingVectorizer

from ..model import Analysis
from .common import UNKNOWN_OUTLET, outlet_of, parse_date, speaker_of, story_order

FORMAT_VERSION = 1
LEAD_CHARS = 600
COMMON_SHARE = 0.05  # an actor in more than this share of articles is not specific...
COMMON_MIN_DOCS = 50  # ...once there are enough articles to tell
MIN_QUOTE_WORDS = 6  # shorter quotes ("We will win") are too common to mark one event
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})  # entity types that say where, not who
PLACE_WEIGHT = 0.5  # a place's weight in the actor cosine, times its IDF (module docstring)
N_FEATURES = 2**20
FURNITURE_MIN_WORDS = 4  # shorter lines ("Advertisement", "Read more") are not counted as repeats
COPY_SHARE = 2 / 3  # an article more of whose counted characters than this repeat earlier lines is a copy
STORY_ID_PREFIX = "story-"  # + the first 12 characters of the id of the article that started the story
_WORDS = re.compile(r"\w+")
_LINES = re.compile(r"[^\n]+")

Vector = dict[str, float]


class StoryArticle(BaseModel):
    article_id: str
    title: str | None = None
    outlet: str | None = Field(None, description="None when the article names no outlet.")
    published: str | None = None
    score: float = Field(description="Similarity to the story when the article joined (1.0 for its first).")


class Story(BaseModel):
    id: str
    title: str = Field(description="Title of the story's first article.")
    n_articles: int
    outlets: list[str] = Field(description="Named outlets (articles without one add none).")
    n_without_outlet: int = Field(0, description="Articles that name no outlet (pages show them as "
                                                 "'(unknown outlet)' after the outlets).")
    date_from: str | None = None
    date_to: str | None = None
    top_actors: list[str] = Field(default_factory=list, description="Names, most present first.")
    articles: list[StoryArticle]


class _Features(BaseModel):
    text: Vector
    actors: Vector
    quotes: list[list[str]] = Field(description="Word trigrams of each quote.")
    names: dict[str, str]
    places: list[str] = Field(default_factory=list, description="The actor features that are places.")
    embedding: list[float] | None = None


class _StoryState(BaseModel):
    id: str
    articles: list[StoryArticle]
    text: Vector = Field(default_factory=dict)
    actors: Vector = Field(default_factory=dict)
    quotes: Vector = Field(default_factory=dict)
    names: dict[str, str] = Field(default_factory=dict)
    embedding: list[float] | None = None
    days: list[str] = Field(default_factory=list)


def _add_into(total: Vector, vec: Vector) -> None:
    for k, v in vec.items():
        total[k] = total.get(k, 0.0) + v


def _weighted(vec: Vector, weight: Callable[[str], float]) -> tuple[Vector, float]:
    """The vector scaled by its weights (IDF, for actors times the kind's) squared, so a dot product with
    a raw story sum is the weighted one, and the norm of the weighted vector."""
    weights = {k: weight(k) for k in vec}
    norm = math.sqrt(sum((v * weights[k]) ** 2 for k, v in vec.items()))
    return {k: v * weights[k] ** 2 for k, v in vec.items()}, norm


def _dense_cosine(a: Sequence[float] | None, b: Sequence[float] | None) -> float:
    if not a or not b:
        return 0.0
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


class StoryIndex:
    """Incremental story clustering. ``add(analysis) -> story_id``; ``stories()`` lists them."""

    def __init__(
        self,
        *,
        threshold: float = 0.3,
        window_days: int = 7,
        actor_weight: float = 0.35,
        quote_weight: float = 0.25,
        embed: Callable[[str], Sequence[float]] | None = None,
    ):
        self.threshold = threshold
        self.window_days = window_days
        self.actor_weight = actor_weight
        self.quote_weight = quote_weight
        self.embed = embed
        self._stories: dict[str, _StoryState] = {}
        self._article_story: dict[str, str] = {}
        self._by_day: dict[str, set[str]] = {}
        self._undated: set[str] = set()
        self._postings: dict[str, set[str]] = {}  # actor feature -> stories naming that actor
        self._df: Counter[str] = Counter()
        self._places: set[str] = set()  # actor features some article named as a place (PLACE_TYPES)
        self._lines: dict[str, Counter[str]] = {}  # outlet ("" for none) -> line fingerprint -> articles carrying it
        self._n_docs = 0
        self._norms: dict[tuple[str, str], tuple[int, float]] = {}
        self._vectorizer = HashingVectorizer(
            n_features=N_FEATURES, stop_words="english", ngram_range=(1, 2), alternate_sign=False, norm=None
        )

    # --- features ------------------------------------------------------------------------------

    @staticmethod
    def _body_lines(a: Analysis) -> list[tuple[int, int, str]]:
        """The lines of the article after its title that are long enough to count as repeats, as ``(start, end,
        fingerprint)``: a hash of the line's lower-cased words, stable across runs (it is saved with the index)."""
        text, title = a.article.text, a.article.title or ""
        start = len(title) if title and text.startswith(title) else 0
        found = []
        for m in _LINES.finditer(text, start):
            words = _WORDS.findall(m.group().casefold())
            if len(words) >= FURNITURE_MIN_WORDS:
                digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()
                found.append((m.start(), m.end(), digest))
        return found

    def _furniture(self, outlet: str | None, lines: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
        """Character ranges of the lines an earlier article of the same outlet carried too (module docstring),
        none when they are more than ``COPY_SHARE`` of it (a copy or an update of an earlier article)."""
        seen = self._lines.get(outlet or "", Counter())
        repeated = [(start, end) for start, end, digest in lines if seen[digest]]
        if sum(e - s for s, e in repeated) > COPY_SHARE * sum(e - s for s, e, _ in lines):
            return []
        return repeated

    def _count_lines(self, outlet: str | None, lines: list[tuple[int, int, str]]) -> None:
        self._lines.setdefault(outlet or "", Counter()).update({digest for _, _, digest in lines})

    def _features(self, a: Analysis, furniture: list[tuple[int, int]] = ()) -> _Features:
        """The article's features, without what falls in ``furniture`` (character ranges of the text)."""
        def kept(start: int) -> bool:
            return not any(s <= start < e for s, e in furniture)

        title, text = a.article.title or "", a.article.text
        ends = [0, *(e for _, e in furniture)]
        body = "".join(text[ends[i]:s] for i, (s, _) in enumerate(furniture)) + text[ends[-1]:]
        if title and body.startswith(title):
            body = body[len(title):]
        lead = body.strip()[:LEAD_CHARS]
        # The title counts twice: it is the densest statement of what the article is about.
        row = self._vectorizer.transform([f"{title} {title} {lead}"])
        text = {f"t{i}": 1.0 + math.log(c) for i, c in zip(row.indices, row.data, strict=True)}
        actors: Vector = {}
        names: dict[str, str] = {}
        places: list[str] = []
        for e in a.entities:
            if any(m.kind == "name" and kept(m.start) for m in e.mentions):
                actors[f"a:{e.id}"] = 1.0
                names[e.id] = e.name
                if e.type in PLACE_TYPES:
                    places.append(f"a:{e.id}")
        quotes: list[list[str]] = []
        for q in a.quotes:
            if not kept(q.content.start):
                continue
            ref = speaker_of(a, q)
            if ref is not None and not ref.anonymous:
                actors[f"a:{ref.key}"] = 1.0  # presence, not a count (module docstring)
                names[ref.key] = ref.name
            words = [w.casefold() for w in _WORDS.findall(q.content.text)]
            if len(words) >= MIN_QUOTE_WORDS:
                quotes.append([" ".join(words[i:i + 3]) for i in range(len(words) - 2)])
        embedding = list(map(float, self.embed(f"{title}. {lead}"))) if self.embed else None
        return _Features(text=text, actors=actors, quotes=quotes, names=names, places=places, embedding=embedding)

    def _idf(self, key: str) -> float:
        return math.log((1 + self._n_docs) / (1 + self._df.get(key, 0))) + 1.0

    def _actor_weight(self, key: str) -> float:
        """An actor feature's weight in the actor cosine: its IDF, times ``PLACE_WEIGHT`` for a place.
        Applied as a weight, not stored in the vectors, so a story's actor sums stay article counts
        (``top_actors``)."""
        return self._idf(key) * (PLACE_WEIGHT if key in self._places else 1.0)

    def _weight(self, field: str) -> Callable[[str], float]:
        return self._actor_weight if field == "actors" else self._idf

    def _story_norm(self, story: _StoryState, field: str) -> float:
        """Weighted norm of a story vector, cached until the story changes or the corpus grows by a
        tenth (IDF drifts slowly, and recomputing it for every comparison would dominate)."""
        cached = self._norms.get((story.id, field))
        if cached is None or self._n_docs > 1.1 * cached[0] + 1:
            vec, weight = getattr(story, field), self._weight(field)
            cached = (self._n_docs, math.sqrt(sum((v * weight(k)) ** 2 for k, v in vec.items())))
            self._norms[(story.id, field)] = cached
        return cached[1]

    def _cosine(self, query: tuple[Vector, float], story: _StoryState, field: str) -> float:
        weighted, norm = query
        vec = getattr(story, field)
        dot = sum(v * vec[k] for k, v in weighted.items() if k in vec)
        return dot / (norm * self._story_norm(story, field)) if dot else 0.0

    def similarity(self, feats: _Features, story: _StoryState) -> float:
        """How well the article fits the story (0..1): see the module docstring for the mix."""
        return self._similarity(feats, _weighted(feats.text, self._idf), _weighted(feats.actors, self._actor_weight),
                                story)

    def _similarity(self, feats: _Features, text_q: tuple[Vector, float], actors_q: tuple[Vector, float],
                    story: _StoryState) -> float:
        if self.embed is not None:
            text = _dense_cosine(feats.embedding, story.embedding)
        else:
            text = self._cosine(text_q, story, "text")
        actors = self._cosine(actors_q, story, "actors")
        mine = [k for k in feats.actors if self._specific(k)]
        if mine and not any(k in story.actors for k in mine) and self._names_specific(story):
            return 0.0  # both name specific actors, none in common: another event (module docstring)
        shared = 0.0
        if feats.quotes and story.quotes:
            # The best-reproduced quote: share of its word trigrams already quoted in the story.
            shared = max(sum(t in story.quotes for t in grams) / len(grams) for grams in feats.quotes)
        score = (1 - self.actor_weight) * text + self.actor_weight * actors + self.quote_weight * shared
        return min(score, 1.0)

    # --- clustering ----------------------------------------------------------------------------

    def _specific(self, actor_key: str) -> bool:
        return self._n_docs < COMMON_MIN_DOCS or self._df.get(actor_key, 0) <= COMMON_SHARE * self._n_docs

    def _names_specific(self, story: _StoryState) -> bool:
        return any(self._specific(k) for k in story.actors)

    def _candidates(self, day: date | None, actors: Vector) -> set[str]:
        """Stories in the time window that could pass ``similarity`` at all."""
        if day is None:
            found = set(self._stories)
        else:
            found = set(self._undated)
            for offset in range(-self.window_days, self.window_days + 1):
                found |= self._by_day.get((day + timedelta(days=offset)).isoformat(), set())
        mine = [k for k in actors if self._specific(k)]
        if not mine:
            return found
        sharing = set().union(*(self._postings.get(k, ()) for k in mine))
        return {s for s in found if s in sharing or not self._names_specific(self._stories[s])}

    def add(self, a: Analysis) -> str:
        """Put the article in its story (existing or new) and return the story id. Idempotent."""
        article_id = a.article.id
        if article_id in self._article_story:
            return self._article_story[article_id]
        outlet, lines = outlet_of(a), self._body_lines(a)
        feats = self._features(a, self._furniture(outlet, lines))
        self._count_lines(outlet, lines)
        self._n_docs += 1
        self._df.update(set(feats.text) | set(feats.actors))
        self._places.update(feats.places)
        day = parse_date(a.article.published)
        best_id, best = None, 0.0
        text_q, actors_q = _weighted(feats.text, self._idf), _weighted(feats.actors, self._actor_weight)
        for story_id in sorted(self._candidates(day, feats.actors)):
            score = self._similarity(feats, text_q, actors_q, self._stories[story_id])
            if score > best:
                best_id, best = story_id, score
        if best_id is None or best < self.threshold:
            best_id, best = f"{STORY_ID_PREFIX}{article_id[:12]}", 1.0
            self._stories[best_id] = _StoryState(id=best_id, articles=[])
        story = self._stories[best_id]
        story.articles.append(StoryArticle(article_id=article_id, title=a.article.title, outlet=outlet,
                                           published=a.article.published, score=round(best, 4)))
        _add_into(story.text, feats.text)
        _add_into(story.actors, feats.actors)
        story.quotes.update(dict.fromkeys((t for grams in feats.quotes for t in grams), 1.0))
        story.names.update(feats.names)
        if feats.embedding is not None:
            story.embedding = [x + y for x, y in zip(story.embedding or [0.0] * len(feats.embedding),
                                                     feats.embedding, strict=True)]
        self._index_actors(best_id)
        self._norms.pop((best_id, "text"), None)
        self._norms.pop((best_id, "actors"), None)
        self._index_day(best_id, day)
        self._article_story[article_id] = best_id
        return best_id

    def _index_actors(self, story_id: str) -> None:
        for key in self._stories[story_id].actors:
            self._postings.setdefault(key, set()).add(story_id)

    def _index_day(self, story_id: str, day: date | None) -> None:
        story = self._stories[story_id]
        if day is None:
            self._undated.add(story_id)
            return
        key = day.isoformat()
        if key not in story.days:
            story.days.append(key)
        self._by_day.setdefault(key, set()).add(story_id)

    def add_all(self, analyses: Iterable[Analysis]) -> StoryIndex:
        """Add a batch in story order (``common.story_order``), whatever order it is given in: the stories do
        not depend on it (module docstring). The batch is held in memory to sort it; a store's articles come
        in that order a chunk at a time through ``inputs.iter_chronological`` and ``add_ordered``."""
        return self.add_ordered(sorted(analyses, key=_order))

    def add_ordered(self, analyses: Iterable[Analysis]) -> StoryIndex:
        """Add a stream already in story order, one article at a time (nothing held); ValueError at an article
        that comes before the one added last, whose story would depend on how the stream was ordered."""
        last = None
        for a in analyses:
            key = _order(a)
            if last is not None and key < last:
                raise ValueError(f"article {a.article.id} comes before the one added last in story order "
                                 "(common.story_order): sort the stream, or use add_all")
            self.add(a)
            last = key
        return self

    # --- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._article_story

    def story_of(self, article_id: str) -> str | None:
        return self._article_story.get(article_id)

    def story(self, story_id: str) -> Story | None:
        state = self._stories.get(story_id)
        return self._public(state) if state else None

    def _public(self, s: _StoryState) -> Story:
        dates = sorted(x.published[:10] for x in s.articles if x.published)
        top = sorted(((k[2:], v) for k, v in s.actors.items()), key=lambda kv: (-kv[1], kv[0]))[:8]
        return Story(
            id=s.id, title=s.articles[0].title or "(untitled)", n_articles=len(s.articles),
            outlets=sorted({x.outlet for x in s.articles if x.outlet}),
            n_without_outlet=sum(1 for x in s.articles if not x.outlet), date_from=dates[0] if dates else None,
            date_to=dates[-1] if dates else None, top_actors=[s.names.get(k, k) for k, _ in top],
            articles=sorted(s.articles, key=lambda x: (x.published or "", x.outlet or "")),
        )

    def stories(self, min_articles: int = 1, min_outlets: int = 0) -> list[Story]:
        """Stories, the most covered (articles, then outlets) and most recent first.

        ``min_outlets`` counts named outlets (``Story.outlets``): ask for 2 to keep the stories that can be
        compared across outlets. An article without an outlet adds none, since it may come from an outlet
        the story already has. The default hides nothing: articles analysed from plain text files name no
        outlet, and a default of 1 hid every story made of them alone."""
        # Sizes first: most stories are one article, and the server asks again after every new article.
        found = [self._public(s) for s in self._stories.values() if len(s.articles) >= min_articles]
        found = [s for s in found if len(s.outlets) >= min_outlets]
        found.sort(key=lambda s: s.date_to or "", reverse=True)
        found.sort(key=lambda s: (-s.n_articles, -len(s.outlets)))
        return found

    # --- persistence ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "params": {"threshold": self.threshold, "window_days": self.window_days,
                       "actor_weight": self.actor_weight, "quote_weight": self.quote_weight,
                       "embedding": self.embed is not None},
            "n_docs": self._n_docs,
            "df": dict(self._df),
            "places": sorted(self._places),
            "lines": {outlet: dict(counts) for outlet, counts in self._lines.items()},
            "stories": [s.model_dump() for s in self._stories.values()],
        }

    def save(self, path: str | Path) -> Path:
        """Write the index as JSON (atomically: a crash never leaves half a file)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_dict()), "utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: str | Path, embed: Callable[[str], Sequence[float]] | None = None) -> StoryIndex:
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise ValueError(f"cannot read the story index {path}: {err}") from err
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path}: story index format {data.get('format')!r}, expected {FORMAT_VERSION}")
        params = dict(data["params"])
        if params.pop("embedding") != (embed is not None):
            raise ValueError(f"{path} was built {'with' if embed is None else 'without'} embeddings; rebuild it")
        index = cls(**params, embed=embed)
        index._n_docs = data["n_docs"]
        index._df = Counter(data["df"])
        index._places = set(data.get("places", ()))  # none in an index saved before places weighed less
        index._lines = {outlet: Counter(counts) for outlet, counts in data.get("lines", {}).items()}  # nor lines
        for raw in data["stories"]:
            state = _StoryState.model_validate(raw)
            index._stories[state.id] = state
            for art in state.articles:
                if art.outlet == UNKNOWN_OUTLET:  # an index saved while the placeholder was stored as data
                    art.outlet = None
                index._article_story[art.article_id] = state.id
            for day in state.days:
                index._by_day.setdefault(day, set()).add(state.id)
            index._index_actors(state.id)
            if any(art.published is None or parse_date(art.published) is None for art in state.articles):
                index._undated.add(state.id)
        return index


def _order(a: Analysis) -> tuple[bool, str, str]:
    return story_order(a.article.published, a.article.id)


def build_stories(analyses: Iterable[Analysis], index: StoryIndex | None = None) -> StoryIndex:
    """Add a stream of analyses to ``index`` (a new default one when None) and return it."""
    return (index or StoryIndex()).add_all(analyses)
