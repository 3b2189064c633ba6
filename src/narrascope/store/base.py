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
class ArticleFilter:
    outlet: str | None = None
    language: str | None = None
    search: str | None = None
    since: str | None = None
    until: str | None = None
    ids: tuple[str, ...] | None = None
    actor: str | None = None  # entity id: only articles that mention this actor
    narrative: str | None = None  # label: only articles labelled with this narrative or sub-narrative


@dataclass(frozen=True)
class ActorRow:
    """An actor across the corpus: how many articles mention it, how often, how often it is quoted."""

    entity_id: str
    name: str
    type: str | None
    n_articles: int
    n_mentions: int
    n_quotes: int


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

    @abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def get_analysis(self, article_id: str) -> Analysis | None: ...

    @abstractmethod
    def resolve_id(self, prefix: str) -> str | None:
        """The full id for a unique id prefix (users type the first few characters)."""

    @abstractmethod
    def analysed_version(self, article_id: str) -> str | None:
        """Pipeline version of the stored analysis, or None when there is none."""

    @abstractmethod
    def list_articles(
        self, filt: ArticleFilter = ArticleFilter(), *, limit: int = 100, offset: int = 0
    ) -> list[ArticleRow]: ...

    @abstractmethod
    def count_articles(self, filt: ArticleFilter = ArticleFilter()) -> int: ...

    @abstractmethod
    def iter_analyses(self, ids: Iterable[str] | None = None) -> Iterator[Analysis]: ...

    @abstractmethod
    def ids_analysed_with(self, pipeline_version: str) -> set[str]:
        """Ids of the articles whose stored analysis was made by this pipeline version (resume)."""

    @abstractmethod
    def list_actors(self, search: str | None = None, *, limit: int = 100, offset: int = 0) -> list[ActorRow]:
        """Actors (resolved entities) by number of articles mentioning them, most first.

        ``search`` keeps those whose name or id contains it (case-insensitive).
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
        self, kind: LabelKind, by: Literal["outlet", "week"] | None = None
    ) -> list[dict[str, str | int]]:
        """How often each label of ``kind`` occurs: ``{"label", "n_articles", "n"}`` per label, plus
        ``"outlet"`` or ``"week"`` (ISO week like ``2023-W48``, or ``undated``) when grouped ``by`` it.

        ``n_articles`` counts articles carrying the label; ``n`` counts occurrences (e.g. technique spans).
        Sorted by group, then by ``n_articles`` descending.
        """

    @abstractmethod
    def delete_article(self, article_id: str) -> bool: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
