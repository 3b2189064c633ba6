"""The store interface: what the CLI, the server and the corpus analytics need from persistence.

Kept small on purpose so a backend is easy to add; ``SqlStore`` implements it for SQLite (default)
and any other SQLAlchemy database (PostgreSQL via ``postgresql+psycopg://...``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..model import Analysis, Article


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
    def delete_article(self, article_id: str) -> bool: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
