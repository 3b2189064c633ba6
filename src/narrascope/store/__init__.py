"""Persistence: ``open_store(db)`` gives a ``Store`` for a path (SQLite) or an SQLAlchemy URL."""

from __future__ import annotations

from pathlib import Path

from .base import LABEL_KINDS, ActorRow, ArticleFilter, ArticleRow, QuoteRow, Store
from .sql import SqlStore

DEFAULT_DB = "narrascope.db"


def open_store(db: str | Path = DEFAULT_DB) -> Store:
    return SqlStore(db)


__all__ = ["DEFAULT_DB", "LABEL_KINDS", "ActorRow", "ArticleFilter", "ArticleRow", "QuoteRow", "Store", "SqlStore",
           "open_store"]
