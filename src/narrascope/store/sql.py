"""SQL implementation of the store (SQLAlchemy Core): SQLite by default, PostgreSQL by URL.

Layout: ``articles`` holds each article once (id = content hash, so ingesting twice is a no-op);
``analyses`` holds the current analysis of each article as JSON plus the pipeline version that made
it. Saving an analysis is one transaction, so a crash or Ctrl-C leaves either the old analysis or the
new one, never half of each, and everything reported as stored before the crash stays stored.

Index tables (``entities``, ``quotes``, ``labels``, schema v2) copy the few fields of each analysis
that corpus queries filter and count on, so the web app and the analytics answer "who is quoted most",
"articles mentioning X" or "narratives per outlet" with indexed SQL instead of parsing every JSON
document. They are derived data: rewritten in the same transaction as the analysis they come from.

Schema changes go in ``MIGRATIONS`` (append only); the applied version is kept in
``schema_migrations`` and pending migrations run when the store is opened.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import ValidationError
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    desc,
    distinct,
    event,
    func,
    insert,
    or_,
    select,
    update,
)

from ..corpus.common import UNKNOWN_OUTLET, iso_week
from ..model import Analysis, Article
from .base import LABEL_KINDS, ActorRow, ArticleFilter, ArticleRow, LabelKind, QuoteRow, Store

log = logging.getLogger(__name__)

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
    Column("outlet", Text, index=True),
    Column("author", Text),
    Column("published", Text, index=True),
    Column("language", Text, index=True),
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


# --- index tables (v2): derived from analyses, rewritten with them ------------------------------

entities = Table(
    "entities",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("entity_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", Text),
    Column("n_mentions", Integer, nullable=False),
    Index("ix_entities_entity_id", "entity_id"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("quote_id", Text, primary_key=True),
    Column("speaker_entity", Text),
    Column("speaker_name", Text),
    Column("sourcing_kind", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("venue_name", Text),
    Column("date", Text),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Index("ix_quotes_speaker_entity", "speaker_entity"),
    Index("ix_quotes_sourcing_kind", "sourcing_kind"),
)

labels = Table(
    "labels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(32), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("label", Text, nullable=False),
    Column("entity_id", Text),
    Column("confidence", Float),
    Index("ix_labels_kind_label", "kind", "label"),
)

INDEX_TABLES = (entities, quotes, labels)


def _index_rows(analysis: Analysis) -> dict[Table, list[dict]]:
    """The index-table rows of one analysis.

    Labels: one ``subnarrative`` row per sub-narrative (its official full label) and one ``narrative``
    row per narrative the article carries, directly or through any of its sub-narratives (so counting
    and filtering by narrative works whichever level the classifier labels); one ``role`` row for each
    main role and fine role of a mention; one ``technique`` row per technique span.
    """
    aid = analysis.article.id
    narratives: dict[tuple[str, str], float] = {}
    for n in analysis.narratives:
        levels = [("narrative", n.narrative), ("subnarrative", n.label)] if n.subnarrative else [("narrative", n.label)]
        for key in levels:
            narratives[key] = max(narratives.get(key, 0.0), n.confidence)
    label_rows = [
        {"kind": kind, "label": label, "entity_id": None, "confidence": confidence}
        for (kind, label), confidence in narratives.items()
    ]
    label_rows += [
        {"kind": "role", "label": role, "entity_id": r.entity_id, "confidence": r.confidence}
        for r in analysis.roles
        for role in (r.main_role, *r.fine_roles)
    ]
    label_rows += [
        {"kind": "technique", "label": t.technique, "entity_id": None, "confidence": t.confidence}
        for t in analysis.techniques
    ]
    return {
        entities: [
            {"article_id": aid, "entity_id": e.id, "name": e.name, "type": e.type, "n_mentions": len(e.mentions)}
            for e in {e.id: e for e in analysis.entities}.values()
        ],
        quotes: [
            {"article_id": aid, "quote_id": q.id, "speaker_entity": q.speaker_entity,
             "speaker_name": q.speaker_name or (q.speaker.text if q.speaker else None),
             "sourcing_kind": q.sourcing.kind, "kind": q.kind, "venue_name": q.venue_name, "date": q.date,
             "content_start": q.content.start, "content_end": q.content.end, "content": q.content.text}
            for q in {q.id: q for q in analysis.quotes}.values()
        ],
        labels: [{"article_id": aid, **row} for row in label_rows],
    }


def _write_index(conn: Connection, analysis: Analysis) -> None:
    """Replace the index rows of one article (call inside the transaction that saves its analysis)."""
    _clear_index(conn, analysis.article.id)
    for table, rows in _index_rows(analysis).items():
        if rows:
            conn.execute(insert(table), rows)


def _clear_index(conn: Connection, article_id: str) -> None:
    for table in INDEX_TABLES:
        conn.execute(table.delete().where(table.c.article_id == article_id))


def _create_v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[articles, analyses])


def _create_v2_index(conn: Connection) -> None:
    """Create the index tables and fill them from the analyses already stored."""
    metadata.create_all(conn, tables=list(INDEX_TABLES))
    ids = conn.execute(select(analyses.c.article_id).order_by(analyses.c.article_id)).scalars().all()
    for i in range(0, len(ids), 200):  # a page at a time: the JSON of a large corpus need not fit in memory
        page = conn.execute(
            select(articles.c.article_json, analyses.c.analysis_json)
            .join(analyses, analyses.c.article_id == articles.c.id)
            .where(articles.c.id.in_(ids[i : i + 200]))
        ).all()
        for art_json, ana_json in page:
            try:
                analysis = _load_analysis(art_json, ana_json)
            except ValidationError as err:  # unreadable by this version: re-analysis will index it
                log.warning("not indexing a stored analysis that does not validate: %s", err)
                continue
            _write_index(conn, analysis)


# Columns that hold text from the article or a component (an outlet name from untrusted JSON, an entity
# id slugged from a long name): unbounded, since PostgreSQL rejects a value longer than VARCHAR(n).
_UNBOUNDED = {"articles": ("outlet", "published", "language"), "entities": ("entity_id", "type"),
              "quotes": ("quote_id", "speaker_entity", "date"), "labels": ("entity_id",)}


def _unbound_text_columns(conn: Connection) -> None:
    """Widen the columns of ``_UNBOUNDED`` to TEXT (only PostgreSQL enforces lengths; SQLite never did)."""
    if conn.dialect.name != "postgresql":
        return
    for table, columns in _UNBOUNDED.items():
        for column in columns:
            conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE TEXT')


# Append-only list of (version, migration). Each runs in the transaction that records it.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _create_v1),
    (2, _create_v2_index),
    (3, _unbound_text_columns),
]
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
            _write_index(conn, analysis)

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
            _clear_index(conn, article_id)
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
        if filt.actor:
            query = query.where(c.id.in_(select(entities.c.article_id).where(entities.c.entity_id == filt.actor)))
        if filt.narrative:
            query = query.where(c.id.in_(
                select(labels.c.article_id).where(
                    labels.c.kind.in_(("narrative", "subnarrative")), labels.c.label == filt.narrative
                )
            ))
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
            .order_by(c.published.desc().nulls_last(), c.created_at.desc(), c.id)
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

    def ids_analysed_with(self, pipeline_version: str) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(
                select(analyses.c.article_id).where(analyses.c.pipeline_version == pipeline_version)
            ).scalars())

    def list_actors(self, search: str | None = None, *, limit: int = 100, offset: int = 0) -> list[ActorRow]:
        e = entities.c
        n_quotes = (
            select(quotes.c.speaker_entity.label("entity_id"), func.count().label("n"))
            .where(quotes.c.speaker_entity.is_not(None))
            .group_by(quotes.c.speaker_entity)
            .subquery()
        )
        n_articles = func.count(distinct(e.article_id)).label("n_articles")
        query = (
            select(
                e.entity_id, func.min(e.name).label("name"), func.min(e.type).label("type"), n_articles,
                func.sum(e.n_mentions).label("n_mentions"), func.coalesce(func.max(n_quotes.c.n), 0).label("n_quotes"),
            )
            .select_from(entities.outerjoin(n_quotes, n_quotes.c.entity_id == e.entity_id))
            .group_by(e.entity_id)
            .order_by(desc("n_articles"), desc("n_mentions"), e.entity_id)
            .limit(limit)
            .offset(offset)
        )
        if search:
            pattern = f"%{search}%"
            query = query.where(or_(e.name.ilike(pattern), e.entity_id.ilike(pattern)))
        with self.engine.connect() as conn:
            return [ActorRow(**r._mapping) for r in conn.execute(query)]

    def list_quotes(
        self,
        speaker_entity: str | None = None,
        article_ids: Iterable[str] | None = None,
        sourcing_kind: str | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
    ) -> list[QuoteRow]:
        q, a = quotes.c, articles.c
        query = (
            select(
                q.article_id, q.quote_id, q.speaker_entity, q.speaker_name, q.sourcing_kind, q.kind,
                q.venue_name, q.date, q.content_start.label("start"), q.content_end.label("end"),
                q.content.label("text"), a.outlet, a.title, a.published,
            )
            .select_from(quotes.join(articles, articles.c.id == q.article_id))
            .order_by(a.published.desc().nulls_last(), q.article_id, q.content_start, q.quote_id)
            .limit(limit)
            .offset(offset)
        )
        if speaker_entity is not None:
            query = query.where(q.speaker_entity == speaker_entity)
        if article_ids is not None:
            query = query.where(q.article_id.in_(list(article_ids)))
        if sourcing_kind is not None:
            query = query.where(q.sourcing_kind == sourcing_kind)
        with self.engine.connect() as conn:
            return [QuoteRow(**r._mapping) for r in conn.execute(query)]

    def label_counts(
        self, kind: LabelKind, by: Literal["outlet", "week"] | None = None
    ) -> list[dict[str, str | int]]:
        if kind not in LABEL_KINDS or by not in ("outlet", "week", None):
            raise ValueError(f"label_counts: kind must be one of {', '.join(LABEL_KINDS)} and by 'outlet', "
                             f"'week' or None (got {kind!r}, {by!r})")
        l, a = labels.c, articles.c
        # Group in SQL by label and outlet or publication date, then (for weeks) sum the days of each ISO
        # week in Python: week arithmetic differs between SQL dialects, and dates are untrusted strings.
        keys = {"outlet": [a.outlet], "week": [a.published], None: []}[by]
        query = (
            select(l.label, *keys, func.count(distinct(l.article_id)).label("n_articles"), func.count().label("n"))
            .select_from(labels.join(articles, articles.c.id == l.article_id))
            .where(l.kind == kind)
            .group_by(l.label, *keys)
        )
        totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                if by == "outlet":
                    group = (row.outlet or "").strip() or UNKNOWN_OUTLET
                else:
                    group = iso_week(row.published) if by == "week" else ""
                totals[group, row.label][0] += row.n_articles
                totals[group, row.label][1] += row.n
        ordered = sorted(totals.items(), key=lambda item: (item[0][0], -item[1][0], item[0][1]))
        return [
            {"label": label, **({by: group} if by else {}), "n_articles": n_articles, "n": n}
            for (group, label), (n_articles, n) in ordered
        ]

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
                    yield _load_analysis(art_json, ana_json)

    def close(self) -> None:
        self.engine.dispose()


def _load_analysis(article_json: str, analysis_json: str) -> Analysis:
    data = json.loads(analysis_json)
    data["article"] = json.loads(article_json)
    return Analysis.model_validate(data)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL keeps readers (the web server) working while a batch writes; NORMAL sync is crash-safe in WAL.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
