"""Persistence: ``open_store(db)`` gives a ``Store`` for a path (SQLite) or an SQLAlchemy URL."""

from __future__ import annotations

from pathlib import Path

from .base import (
    LABEL_KINDS,
    ActorOutletRow,
    ActorRow,
    AnalysedRow,
    ArticleFilter,
    ArticleRow,
    QuoteRow,
    SpeakerRow,
    Store,
)
from .sql import SqlStore

DEFAULT_DB = "narrascope.db"


def open_store(db: str | Path = DEFAULT_DB) -> Store:
    return SqlStore(db)


def redact(db: str | Path, message: str | None = None) -> str:
    """``db`` (or a message about it) with the URL's password masked, for errors and logs.

    Server URLs carry credentials (``postgresql://user:secret@host/db``); they must never reach a
    terminal, a log file or a CI transcript.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = str(db) if message is None else message
    if "://" not in str(db):
        return text
    try:
        password = make_url(str(db)).password
    except (ArgumentError, ValueError):
        return text
    return text.replace(str(password), "***") if password else text


__all__ = ["DEFAULT_DB", "LABEL_KINDS", "ActorOutletRow", "ActorRow", "AnalysedRow", "ArticleFilter", "ArticleRow",
           "QuoteRow", "SpeakerRow", "Store", "SqlStore", "open_store", "redact"]
