"""SQL implementation of the store (SQLAlchemy Core): SQLite by default, PostgreSQL by URL.

Layout: ``articles`` holds each article once (id = content hash, so ingesting twice is a no-op);
``analyses`` holds the current analysis of each article as JSON plus the pipeline version that made
it. Saving an analysis is one transaction, so a crash or Ctrl-C leaves either the old analysis or the
new one, never half of each, and everything reported as stored before the crash stays stored.

Schema changes go in ``MIGRATIONS`` (append only); the applied version is kept in
``schema_migrations`` and pending migrations run when the store is opened.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    update,
)

from ..model import Analysis, Article
from .base import ArticleFilter, ArticleRow, Store

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(32), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text),
    Column("url", Text),
    Column("source", Text),
    Column("outlet", String(255), index=True),
    Column("author", Text),
    Column("published", String(32), index=True),
    Column("language", String(8), index=True),
    Column("n_words", Integer, nullable=False, default=0),
    Column("text", Text, nullable=False),
    Column("article_json", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
)

analyses = Table(
    "analyses",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("pipeline_version", String(64), nullable=False),
    Column("schema_version", String(16), nullable=False),
    Column("analysis_json", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
)


def _create_v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[articles, analyses])


# Append-only list of (version, migration). Each runs in the transaction that records it.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [(1, _create_v1)]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def database_url(db: str | Path) -> str:
    """A path becomes an SQLite URL; anything with ``://`` is used as an SQLAlchemy URL."""
    db = str(db)
    return db if "://" in db else f"sqlite:///{Path(db).expanduser()}"


class SqlStore(Store):
    def __init__(self, db: str | Path = "narrascope.db"):
        self.url = database_url(db)
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._migrate()

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            metadata.create_all(conn, tables=[schema_migrations])
            current = conn.execute(select(func.max(schema_migrations.c.version))).scalar() or 0
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"database schema v{current} is newer than this Narrascope (v{SCHEMA_VERSION}); upgrade"
            )
        for version, migrate in MIGRATIONS:
            if version > current:
                with self.engine.begin() as conn:
                    migrate(conn)
                    conn.execute(insert(schema_migrations).values(version=version, applied_at=_now()))

    # --- writes -------------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        with self.engine.begin() as conn:
            return self._upsert_article(conn, article)

    def save_analysis(self, analysis: Analysis) -> None:
        row = {
            "pipeline_version": analysis.pipeline_version,
            "schema_version": analysis.schema_version,
            "analysis_json": analysis.model_dump_json(exclude={"article"}),
            "created_at": _now(),
        }
        with self.engine.begin() as conn:
            self._upsert_article(conn, analysis.article)
            exists = conn.execute(
                select(analyses.c.article_id).where(analyses.c.article_id == analysis.article.id)
            ).first()
            if exists:
                conn.execute(update(analyses).where(analyses.c.article_id == analysis.article.id).values(**row))
            else:
                conn.execute(insert(analyses).values(article_id=analysis.article.id, **row))

    def _upsert_article(self, conn: Connection, article: Article) -> bool:
        """Insert the article, or refresh its metadata (e.g. a later ingest found the author)."""
        values = {
            "title": article.title,
            "url": article.url,
            "source": article.source,
            "outlet": article.outlet,
            "author": article.author,
            "published": article.published,
            "language": article.language,
            "n_words": len(article.text.split()),
            "text": article.text,
            "article_json": article.model_dump_json(),
        }
        exists = conn.execute(select(articles.c.id).where(articles.c.id == article.id)).first()
        if exists:
            conn.execute(update(articles).where(articles.c.id == article.id).values(**values))
            return False
        conn.execute(insert(articles).values(id=article.id, created_at=_now(), **values))
        return True

    def delete_article(self, article_id: str) -> bool:
        with self.engine.begin() as conn:
            conn.execute(analyses.delete().where(analyses.c.article_id == article_id))
            return conn.execute(articles.delete().where(articles.c.id == article_id)).rowcount > 0

    # --- reads --------------------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            raw = conn.execute(select(articles.c.article_json).where(articles.c.id == article_id)).scalar()
        return Article.model_validate_json(raw) if raw else None

    def get_analysis(self, article_id: str) -> Analysis | None:
        return next(self.iter_analyses([article_id]), None)

    def resolve_id(self, prefix: str) -> str | None:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(articles.c.id).where(articles.c.id.startswith(prefix, autoescape=True)).limit(2)
            ).scalars().all()
        return found[0] if len(found) == 1 else None

    def analysed_version(self, article_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(analyses.c.pipeline_version).where(analyses.c.article_id == article_id)
            ).scalar()

    def _where(self, query, filt: ArticleFilter):
        c = articles.c
        if filt.outlet:
            query = query.where(c.outlet == filt.outlet)
        if filt.language:
            query = query.where(c.language == filt.language)
        if filt.since:
            query = query.where(c.published >= filt.since)
        if filt.until:
            query = query.where(c.published <= filt.until)
        if filt.ids is not None:
            query = query.where(c.id.in_(filt.ids))
        if filt.search:
            pattern = f"%{filt.search}%"
            query = query.where(or_(c.title.ilike(pattern), c.text.ilike(pattern)))
        return query

    def list_articles(
        self, filt: ArticleFilter = ArticleFilter(), *, limit: int = 100, offset: int = 0
    ) -> list[ArticleRow]:
        c = articles.c
        query = (
            select(
                c.id, c.title, c.outlet, c.author, c.published, c.language, c.url, c.source, c.n_words,
                analyses.c.pipeline_version,
            )
            .select_from(articles.outerjoin(analyses, analyses.c.article_id == c.id))
            .order_by(c.published.desc(), c.created_at.desc(), c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(self._where(query, filt)).all()
        return [
            ArticleRow(
                id=r.id, title=r.title, outlet=r.outlet, author=r.author, published=r.published,
                language=r.language, url=r.url, source=r.source, n_words=r.n_words,
                analysed=r.pipeline_version is not None, pipeline_version=r.pipeline_version,
            )
            for r in rows
        ]

    def count_articles(self, filt: ArticleFilter = ArticleFilter()) -> int:
        with self.engine.connect() as conn:
            return conn.execute(self._where(select(func.count()).select_from(articles), filt)).scalar() or 0

    def iter_analyses(self, ids: Iterable[str] | None = None) -> Iterator[Analysis]:
        """Stream analyses joined with their articles, in id order, a page at a time."""
        query = (
            select(articles.c.article_json, analyses.c.analysis_json)
            .join(analyses, analyses.c.article_id == articles.c.id)
            .order_by(articles.c.id)
        )
        wanted = list(ids) if ids is not None else None
        pages = [wanted[i : i + 500] for i in range(0, len(wanted), 500)] if wanted is not None else [None]
        for page in pages:
            paged = query if page is None else query.where(articles.c.id.in_(page))
            with self.engine.connect() as conn:
                for art_json, ana_json in conn.execution_options(yield_per=200).execute(paged):
                    data = json.loads(ana_json)
                    data["article"] = json.loads(art_json)
                    yield Analysis.model_validate(data)

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL keeps readers (the web server) working while a batch writes; NORMAL sync is crash-safe in WAL.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
