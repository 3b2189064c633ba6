"""The store interface: what the CLI, the server and the corpus analytics need from persistence.

Kept small on purpose so a backend is easy to add; ``SqlStore`` implements it for SQLite (default)
and any other SQLAlchemy database (PostgreSQL via ``postgresql+psycopg://...``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, get_args

from ..model import Analysis, Article

LabelKind = Literal["narrative", "subnarrative", "role", "technique"]
LABEL_KINDS: tuple[str, ...] = get_args(LabelKind)
Grouping = Literal["outlet", "week"] | None


@dataclass(frozen=True)
class ArticleRow:
    """One line of an article listing (no text), cheap to fetch in bulk."""

    id: str
    title: str | None
    outlet: str | None
    author: str | None
    published: str | None
    language: str | None
    url: str | None
    source: str | None
    n_words: int
    analysed: bool
    pipeline_version: str | None


@dataclass(frozen=True)
class AnalysedRow:
    """An analysed article as an incremental reader needs it: which, its date, when it was analysed
    (``analysed_at``: UTC ISO timestamp of the save, comparable as a string)."""

    id: str
    published: str | None
    analysed_at: str


@dataclass(frozen=True)
class ArticleFilter:
    outlet: str | None = None
    language: str | None = None
    search: str | None = None
    since: str | None = None
    until: str | None = None
    ids: tuple[str, ...] | None = None
    # Actor key (entity id, or ``name:...``), or several: only articles where the actor (any of them) is
    # mentioned or quoted, matched by key or by name as ``corpus.actors.actor_profile`` matches it.
    actor: str | tuple[str, ...] | None = None
    narrative: str | None = None  # label: only articles labelled with this narrative or sub-narrative


@dataclass(frozen=True)
class ActorRow:
    """An actor across the corpus: how many articles mention it, how often, how often it is quoted.

    ``key`` is the actor's cross-article key (``corpus.common``), the one its actor page takes: the entity
    id, or ``name:<folded name>`` for a speaker known only by name (a quote's speaker the actor layer made
    no entity of), which has ``entity_id`` None, no type and no mentions, and whose ``n_articles`` are the
    articles quoting it.
    """

    key: str
    entity_id: str | None
    name: str
    type: str | None
    n_articles: int
    n_mentions: int
    n_quotes: int


@dataclass(frozen=True)
class SpeakerRow:
    """A named speaker across the corpus, as ``corpus.prevalence`` ranks the most quoted actors.

    ``name`` is the name the speaker has in the first article (by id) quoting it; ``outlets`` maps each
    outlet to the number of the speaker's quotes there (quotes in articles without an outlet count in
    ``n_quotes`` only).
    """

    key: str
    name: str
    entity_id: str | None
    n_quotes: int
    n_direct: int
    n_articles: int
    outlets: dict[str, int]


@dataclass(frozen=True)
class ActorOutletRow:
    """One actor in one outlet: articles where it appears, its mentions and quotes there, and the first
    and last publication dates (``YYYY-MM-DD``, None when no article is dated). ``outlet`` is None for
    the articles without one."""

    outlet: str | None
    n_articles: int
    n_mentions: int
    n_quotes: int
    first_published: str | None
    last_published: str | None


@dataclass(frozen=True)
class QuoteRow:
    """One stored quote with its article's metadata; ``start``/``end`` are offsets of ``text``."""

    article_id: str
    quote_id: str
    speaker_entity: str | None
    speaker_name: str | None
    sourcing_kind: str
    kind: str
    venue_name: str | None
    date: str | None
    start: int
    end: int
    text: str
    outlet: str | None
    title: str | None
    published: str | None


class Store(ABC):
    @abstractmethod
    def add_article(self, article: Article) -> bool:
        """Store an article; returns False when it was already there (same content hash)."""

    @abstractmethod
    def save_analysis(self, analysis: Analysis) -> None:
        """Store the article and replace its analysis atomically (one transaction)."""

    def save_analyses(self, items: Iterable[Analysis], batch_size: int = 100) -> int:
        """Save many analyses, as ``save_analysis`` each, and return how many; a backend may write
        ``batch_size`` of them per transaction (each analysis stays whole: its old version or the new
        one, never half). Why: a bulk load or a re-analysis of a large store pays the per-transaction
        cost once a batch. This default saves them one by one."""
        saved = 0
        for analysis in items:
            self.save_analysis(analysis)
            saved += 1
        return saved

    @abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def get_analysis(self, article_id: str) -> Analysis | None: ...

    @abstractmethod
    def ids_with_prefix(self, prefix: str, limit: int | None = None) -> list[str]:
        """The stored ids starting with ``prefix`` (at most ``limit``), in order."""

    def resolve_id(self, prefix: str) -> str | None:
        """The full id for a unique id prefix (users type the first few characters)."""
        found = self.ids_with_prefix(prefix, 2)
        return found[0] if len(found) == 1 else None

    def unresolved_id(self, prefix: str, shown: int = 5) -> str:
        """Why ``prefix`` names no stored article, in the words every command, page and endpoint uses: no
        such id, or an ambiguous prefix with a few of the ids it could be (the API said "no article" for
        a prefix two ids share). Reads every matching id: only an error path pays for that."""
        candidates = self.ids_with_prefix(prefix)
        if not candidates:
            return f"no stored article with id {prefix!r}"
        more = f" and {len(candidates) - shown} more" if len(candidates) > shown else ""
        return f"the id prefix {prefix!r} is ambiguous: {', '.join(candidates[:shown])}{more}; type more of it"

    @abstractmethod
    def analysed_version(self, article_id: str) -> str | None:
        """Pipeline version of the stored analysis, or None when there is none."""

    @abstractmethod
    def list_articles(
        self, filt: ArticleFilter = ArticleFilter(), *, limit: int = 100, offset: int = 0
    ) -> list[ArticleRow]: ...

    @abstractmethod
    def iter_article_rows(self, filt: ArticleFilter = ArticleFilter(), *, page: int = 1000) -> Iterator[ArticleRow]:
        """Every listing row matching ``filt``, in id order, ``page`` rows a query, each page read after the
        last id of the one before. Why: paging ``list_articles`` by offset to the end of a large store
        steps over every earlier row again for each page (quadratic in the store's size)."""

    @abstractmethod
    def count_articles(self, filt: ArticleFilter = ArticleFilter()) -> int: ...

    @abstractmethod
    def outlets(self) -> list[str]:
        """The distinct non-empty outlet names of the stored articles, analysed or not, as stored
        (a filter value for ``ArticleFilter.outlet``), sorted case-insensitively."""

    @abstractmethod
    def analysed_since(self, since: str | None = None) -> list[AnalysedRow]:
        """The articles whose current analysis was saved at or after ``since`` (a UTC ISO timestamp,
        as ``AnalysedRow.analysed_at``; every analysed article when None), in no particular order.

        Why: a reader that keeps derived state (the server's story clusters) asks only for what was
        analysed since its last look, an indexed range that does not grow with the corpus.
        """

    @abstractmethod
    def iter_analyses(self, ids: Iterable[str] | None = None) -> Iterator[Analysis]: ...

    @abstractmethod
    def ids_analysed_with(self, pipeline_version: str) -> set[str]:
        """Ids of the articles whose stored analysis was made by this pipeline version (resume)."""

    @abstractmethod
    def list_actors(self, search: str | None = None, *, limit: int = 100, offset: int = 0) -> list[ActorRow]:
        """Actors by number of articles mentioning (or, for a speaker known only by name, quoting) them,
        most first, then most mentions, then key; an entity's ``name`` and ``type`` are the least of those
        the articles give it, a speaker's name the one in its first quote.

        Speakers known only by name are listed when at least one quote names them as a named source
        (sourcing kind "named": not anonymous sources nor only groups such as "some of the President's
        allies") and no entity has their name (that actor is listed under its id already). Why: their
        actor page exists, and the list is how a reader finds it.

        ``search`` keeps those whose key or any of whose names contains it (case-insensitive, ``%`` and
        ``_`` as themselves); their counts are still over the whole corpus. Kept up to date on every
        write, so a page costs the same at any corpus size.
        """

    @abstractmethod
    def list_quotes(
        self,
        speaker_entity: str | None = None,
        article_ids: Iterable[str] | None = None,
        sourcing_kind: str | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
    ) -> list[QuoteRow]:
        """Quotes, newest article first, then in text order; filters combine with AND."""

    @abstractmethod
    def label_counts(
        self, kind: LabelKind, by: Grouping = None, *, direct: bool = False, actor: str | None = None
    ) -> list[dict[str, str | int]]:
        """How often each label of ``kind`` occurs: ``{"label", "n_articles", "n"}`` per label, plus
        ``"outlet"`` (None for the articles without one) or ``"week"`` (ISO week like ``2023-W48``, or
        ``undated``) when grouped ``by`` it.

        ``n_articles`` counts articles carrying the label; ``n`` counts occurrences (e.g. technique spans).
        ``direct`` keeps only labels the analyses give themselves (not a narrative implied by one of its
        sub-narratives), as ``corpus.prevalence`` counts them. ``actor`` (a key, as in ``ArticleFilter``)
        keeps the articles where that actor appears and, for roles, only the roles cast on it.
        Sorted by group (the articles without an outlet last), then by ``n_articles`` descending.
        """

    @abstractmethod
    def article_counts(self, by: Grouping = None) -> list[dict[str, str | int]]:
        """Analysed articles per group: ``{"n_articles", "n_words", "n_quotes"}`` plus ``"outlet"`` or
        ``"week"`` when grouped ``by`` it (outlet names stripped, None for the articles without one).
        Sorted by group, the articles without an outlet last."""

    @abstractmethod
    def classified_counts(self, by: Grouping = None) -> list[dict[str, str | int | None]]:
        """Analysed articles, and their words, that each classifier layer of ``corpus.common.CLASSIFIED_LAYERS``
        processed (``corpus.common.processed``): ``{"layer", "n_articles", "n_words"}`` plus the group when
        ``by``, sorted as ``article_counts``. The denominators of shares and rates: an article in another
        language, which the English-only classifiers skip, is not in them."""

    @abstractmethod
    def sourcing_counts(self, by: Grouping = None) -> list[dict[str, str | int]]:
        """Claims per sourcing kind: ``{"sourcing_kind", "n", "n_hedged"}`` plus the group when ``by``
        (an outlet is None for the articles without one), sorted as ``article_counts``."""

    @abstractmethod
    def top_speakers(self, limit: int = 25) -> list[SpeakerRow]:
        """The most quoted named speakers (anonymous sources excluded), most quotes first, then most
        articles, then name: the ranking of ``corpus.prevalence``'s ``top_speakers``."""

    @abstractmethod
    def actor_outlets(self, actor: str) -> list[ActorOutletRow]:
        """Where an actor (key, as in ``ArticleFilter``) appears, per outlet, most articles first."""

    @abstractmethod
    def delete_article(self, article_id: str) -> bool: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
