"""SQL implementation of the store (SQLAlchemy Core): SQLite by default, PostgreSQL by URL.

Layout: ``articles`` holds each article once (id = content hash, so ingesting twice is a no-op);
``analyses`` holds the current analysis of each article as JSON plus the pipeline version that made
it. Saving an analysis is one transaction, so a crash or Ctrl-C leaves either the old analysis or the
new one, never half of each, and everything reported as stored before the crash stays stored.

Index tables (``entities``, ``quotes``, ``labels``, ``claims``) copy the few fields of each analysis
that corpus queries filter and count on, so the web app and the analytics answer "who is quoted most",
"articles mentioning X", "narratives per outlet" or "what each outlet's claims rest on" with indexed
SQL instead of parsing every JSON document. They are derived data: rewritten in the same transaction
as the analysis they come from. They also hold what ``corpus.common`` derives per row (the actor key
of a speaker, ``name_key`` of a name), so SQL groups actors exactly as the streaming views do.

Rollup tables (``rollups``, ``speakers``, ``speaker_outlets``, schema v5-v6, v9) keep the corpus totals
the dashboard shows (per outlet and ISO week, per speaker), updated by every write in its transaction,
so those totals cost the same whatever the number of articles; ``rollup_shares`` keeps what each
article's analysis added, so a replacement or deletion takes back exactly that.

The actor rollup (``actor_totals``, ``actor_names``, schema v8) keeps, per canonical actor, the sums
of its ``entities`` and ``quotes`` index rows that ``list_actors`` shows (articles, mentions, quotes,
and how many articles give each name and type), moved by the difference between an article's old
and new index rows in the transaction that rewrites them: the actor list reads a page of it through
an index instead of grouping every entity row of the corpus on each request. ``name_speakers`` (schema
v10) does the same for the speakers known only by name (``name:`` actor keys of ``quotes``), which the
actor list shows after the entities of as many articles.

The text search (``ArticleFilter.search``, schema v11) reads a trigram index instead of every text: on
SQLite an FTS5 table (``search_text``) kept by triggers on ``articles``, on PostgreSQL pg_trgm GIN
indexes on the title and text; either only narrows the articles down, the substring test decides.

Saving many analyses (``save_analyses``: the runner's and the Dask driver's batches, a bulk load) writes a
batch in one transaction with one statement a table, and the rollups once with the batch's summed
difference: 5-7 times the rate of saving one by one (docs/benchmarks.md, Store). Schema v12 indexes the
article list's order (over the store and within an outlet) and the analyses' pipeline version, so a page
of the list and the resume check read an index instead of sorting or reading every article; a walk over
every listing row (``iter_article_rows``) reads each page after the last id instead of by offset.

Schema changes go in ``MIGRATIONS`` (append only); the applied version is kept in
``schema_migrations`` and pending migrations run when the store is opened. ``store_meta``, created
beside it, keeps what the store found out about its database and should not find out again on every
open (that pg_trgm could not be created), as a key and a value.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    column,
    create_engine,
    distinct,
    event,
    func,
    insert,
    or_,
    select,
    table,
    true,
    union,
    union_all,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ..corpus.common import CLASSIFIED_LAYERS, actor_ref, iso_week, name_key, processed, speaker_of
from ..model import Analysis, Article
from .base import (
    LABEL_KINDS,
    ActorOutletRow,
    ActorRow,
    AnalysedRow,
    ArticleFilter,
    ArticleRow,
    Grouping,
    LabelKind,
    QuoteRow,
    SpeakerRow,
    Store,
)

log = logging.getLogger(__name__)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(32), nullable=False),
)

# Facts about the database the store remembers between opens (``_POSTGRES_NO_TRGM``). Created with
# ``schema_migrations``, outside the migrations: an older Narrascope opens the store as before.
store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
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
    Column("created_at", String(32), nullable=False),  # when this analysis was saved (UTC ISO, to the second)
    # v7: "analysed since" is an index range, so the server's story cache reads only what is new.
    Index("ix_analyses_created_at", "created_at"),
)


# --- index tables (v2, rebuilt in v4): derived from analyses, rewritten with them -----------------

entities = Table(
    "entities",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("entity_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),  # corpus.common.name_key(name): the actor page matches names too
    Column("type", Text),
    Column("n_mentions", Integer, nullable=False),
    Index("ix_entities_entity_id", "entity_id"),
    Index("ix_entities_name_key", "name_key"),
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
    Column("position", Integer, nullable=False),  # order in the analysis: "first seen" names, as streamed
    # corpus.common.speaker_of: the speaker's cross-article key (``anon:...`` for an unnamed source),
    # display name and name_key; NULL when the quote names nobody.
    Column("actor_key", Text),
    Column("actor_name", Text),
    Column("actor_name_key", Text),
    Index("ix_quotes_speaker_entity", "speaker_entity"),
    Index("ix_quotes_sourcing_kind", "sourcing_kind"),
    Index("ix_quotes_actor_key", "actor_key", "article_id", "position"),  # and a speaker's first quote
    Index("ix_quotes_actor_name_key", "actor_name_key"),
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
    # How often the analysis gives this label itself: 0 for a narrative only implied by a sub-narrative.
    Column("n_direct", Integer, nullable=False),
    # Role rows: the cast actor's key and name_key (corpus.common.actor_ref), as the actor page matches them.
    Column("actor_key", Text),
    Column("actor_name_key", Text),
    Index("ix_labels_kind_label", "kind", "label", "article_id", "n_direct"),  # covers label_counts
)

claims = Table(
    "claims",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("sourcing_kind", String(16), nullable=False),
    Column("hedged", Boolean, nullable=False),
)

INDEX_TABLES = (entities, quotes, labels, claims)


# --- actor rollup (v8): per-actor sums of the entities and quotes index, kept with every write -------
#
# Why: the actor list (``list_actors``: the API's /actors, the actors page, the home page's actor
# filter) grouped every entity row of the corpus on each request, linear in the corpus. These tables
# hold the same sums, changed by each write by the difference between the article's old and new index
# rows, so a page of the list is an index range. A row whose counts fall to zero is deleted.

actor_totals = Table(
    "actor_totals",
    metadata,
    Column("entity_id", Text, primary_key=True),
    Column("n_articles", Integer, nullable=False),  # its ``entities`` rows: the articles mentioning it
    Column("n_mentions", Integer, nullable=False),
    # ``quotes`` rows naming it as speaker_entity, in any article (as list_actors always counted them);
    # a speaker no article mentions keeps a row with n_articles 0, which the list skips.
    Column("n_quotes", Integer, nullable=False),
)
# The list's order, so a page of it (LIMIT/OFFSET) is read from the index without sorting the table.
Index("ix_actor_totals_rank", actor_totals.c.n_articles.desc(), actor_totals.c.n_mentions.desc(),
      actor_totals.c.entity_id)

actor_names = Table(
    "actor_names",
    metadata,
    Column("entity_id", Text, primary_key=True),
    # A hash of (name, type): the key stays short however long an untrusted name is (PostgreSQL's
    # B-tree entries are limited to ~2.7 kB).
    Column("variant", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", Text),
    Column("n_articles", Integer, nullable=False),  # articles whose entity row has this name and type
)

ACTOR_TABLES = (actor_totals, actor_names)

# v10: the speakers known only by name (a quote's speaker the actor layer made no entity of: the ``name:``
# actor keys of ``quotes``), summed like ``actor_totals`` from the index rows, so the actor list pages
# through them too (their actor page exists; the list is how a reader finds it).
name_speakers = Table(
    "name_speakers",
    metadata,
    Column("actor_key", Text, primary_key=True),
    Column("n_articles", Integer, nullable=False),  # articles quoting it
    Column("n_quotes", Integer, nullable=False),
    Column("n_named", Integer, nullable=False),  # its quotes whose sourcing kind is "named" (not a group)
    # Always 0 (no entity, no mention): a column so that the actor list, merging this table with
    # actor_totals, reads both in the order of an index (SQLite sorts on a constant otherwise).
    Column("n_mentions", Integer, nullable=False, server_default="0"),
)
Index("ix_name_speakers_rank", name_speakers.c.n_articles.desc(), name_speakers.c.n_mentions.desc(),
      name_speakers.c.actor_key)


def _variant(name: str, type_: str | None) -> str:
    return hashlib.blake2b(json.dumps([name, type_]).encode(), digest_size=16).hexdigest()


class _ActorShare:
    """Signed per-actor sums of some index rows: ``+`` an article's new rows, ``-`` its old ones.

    Unlike ``_Shares`` nothing needs storing beside the analysis: the article's old index rows are in
    the index tables until the same transaction replaces them, and they are exactly what was added.
    """

    def __init__(self) -> None:
        self.totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # n_articles, n_mentions, n_quotes
        self.names: dict[tuple[str, str], list] = {}  # (entity_id, variant) -> [name, type, n_articles]
        self.speakers: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # n_articles, n_quotes, n_named

    def add(self, entity_rows: Iterable[tuple[str, str, str | None, int]],
            quote_rows: Iterable[tuple[str | None, str | None, str]], sign: int) -> _ActorShare:
        """Add (``sign`` +1) or take away (-1) one article's ``(entity_id, name, type, n_mentions)`` entity
        rows and ``(speaker_entity, actor_key, sourcing_kind)`` quote rows."""
        for entity_id, name, type_, n_mentions in entity_rows:
            total = self.totals[entity_id]
            total[0] += sign
            total[1] += sign * n_mentions
            variant = self.names.setdefault((entity_id, _variant(name, type_)), [name, type_, 0])
            variant[2] += sign
        quoted: set[str] = set()
        for speaker, key, sourcing_kind in quote_rows:
            if speaker is not None:
                self.totals[speaker][2] += sign
            if key is not None and key.startswith(_NAMED):
                counts = self.speakers[key]
                counts[0] += sign * (key not in quoted)
                counts[1] += sign
                counts[2] += sign * (sourcing_kind == "named")
                quoted.add(key)
        return self

    def removing(self, conn: Connection, article_ids: list[str]) -> _ActorShare:
        """Delete the articles' ``entities`` and ``quotes`` index rows and take away what they added:
        one statement a table where the database returns the deleted rows (SQLite, PostgreSQL)."""
        e, q = entities.c, quotes.c
        found = {}
        for table, columns in ((entities, (e.entity_id, e.name, e.type, e.n_mentions)),
                               (quotes, (q.speaker_entity, q.actor_key, q.sourcing_kind))):
            mine = table.c.article_id.in_(article_ids)
            if conn.dialect.delete_returning:
                found[table] = conn.execute(table.delete().where(mine).returning(*columns)).all()
            else:
                found[table] = conn.execute(select(*columns).where(mine)).all()
                conn.execute(table.delete().where(mine))
        return self.add(found[entities], found[quotes], -1)

    def write(self, conn: Connection) -> None:
        """Add the non-zero sums to the tables (rows in key order, so concurrent writers lock them in one
        order), then delete the rows this left at zero."""
        totals = [{"entity_id": key, "n_articles": n[0], "n_mentions": n[1], "n_quotes": n[2]}
                  for key, n in sorted(self.totals.items()) if any(n)]
        names = [{"entity_id": key, "variant": variant, "name": name, "type": type_, "n_articles": n}
                 for (key, variant), (name, type_, n) in sorted(self.names.items()) if n]
        spoken = [{"actor_key": key, "n_articles": n[0], "n_quotes": n[1], "n_named": n[2]}
                  for key, n in sorted(self.speakers.items()) if any(n)]
        for table, rows in ((actor_totals, totals), (actor_names, names), (name_speakers, spoken)):
            if rows:
                _add_counts(conn, table, _ROLLUP_KEYS[table], _COUNTS[table], rows)
        t, n, ns = actor_totals.c, actor_names.c, name_speakers.c
        if lowered := [{"k": r["entity_id"]} for r in totals if min(r["n_articles"], r["n_quotes"]) < 0]:
            conn.execute(actor_totals.delete().where(t.entity_id == bindparam("k"), t.n_articles <= 0,
                                                     t.n_quotes <= 0), lowered)
        if lowered := [{"k": r["entity_id"], "v": r["variant"]} for r in names if r["n_articles"] < 0]:
            conn.execute(actor_names.delete().where(n.entity_id == bindparam("k"), n.variant == bindparam("v"),
                                                    n.n_articles <= 0), lowered)
        if lowered := [{"k": r["actor_key"]} for r in spoken if r["n_articles"] < 0]:
            conn.execute(name_speakers.delete().where(ns.actor_key == bindparam("k"), ns.n_articles <= 0), lowered)


# --- rollups (v5): corpus totals kept up to date with every write --------------------------------
#
# Why: the dashboard sums over the whole corpus, and even indexed SQL over the index tables reads every
# article's rows (linear in the corpus). These tables hold the sums themselves, per outlet and per ISO
# week (computed in Python with ``corpus.common``, exactly as ``corpus.prevalence`` groups), and per
# speaker; each write adds the new analysis's share and takes back the share of the one it replaces,
# in its own transaction. Their size follows outlets x weeks x labels and speakers, not articles.
# A row whose counts fall to zero stays (reads skip it).

rollups = Table(
    "rollups",
    metadata,
    # articles, classified (key: the layer; v9), quotes, narrative, subnarrative, technique, sourcing, hedged
    Column("metric", String(16), primary_key=True),
    Column("dim", String(8), primary_key=True),  # outlet or week
    Column("grp", Text, primary_key=True),  # the outlet (``_outlet``) or ISO week
    Column("key", Text, primary_key=True),  # the label or sourcing kind; "" for article totals
    Column("n_articles", Integer, nullable=False),  # articles of the group with the key at least once
    Column("n", Integer, nullable=False),  # occurrences (words for "articles", quotes for "quotes")
)

speakers = Table(
    "speakers",
    metadata,
    Column("actor_key", Text, primary_key=True),  # named speakers only (corpus.common.speaker_of)
    Column("n_quotes", Integer, nullable=False),
    Column("n_direct", Integer, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Index("ix_speakers_rank", "n_quotes", "n_articles"),
)

speaker_outlets = Table(
    "speaker_outlets",
    metadata,
    Column("actor_key", Text, primary_key=True),
    Column("outlet", Text, primary_key=True),
    Column("n_quotes", Integer, nullable=False),
)

ROLLUP_TABLES = (rollups, speakers, speaker_outlets)  # the sums; rollup_shares below holds the parts
_ROLLUP_KEYS = {rollups: ("metric", "dim", "grp", "key"), speakers: ("actor_key",),
                speaker_outlets: ("actor_key", "outlet"), actor_totals: ("entity_id",),
                actor_names: ("entity_id", "variant"), name_speakers: ("actor_key",)}


rollup_shares = Table(
    "rollup_shares",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("shares", Text, nullable=False),  # _Shares.to_json() of the analysis counted for this article
)

_COUNTS = {rollups: ("n_articles", "n"), speakers: ("n_quotes", "n_direct", "n_articles"),
           speaker_outlets: ("n_quotes",), actor_totals: ("n_articles", "n_mentions", "n_quotes"),
           actor_names: ("n_articles",), name_speakers: ("n_articles", "n_quotes", "n_named")}


class _Shares:
    """Signed sums for the rollup tables, keyed like their rows.

    ``of(analysis)`` is what one analysis adds. It is stored beside the analysis (``rollup_shares``),
    so replacing or deleting the analysis takes back exactly what was added, even when a later version
    of this code would count the old analysis differently (or could no longer read it).
    """

    def __init__(self) -> None:
        self.rows: dict[Table, dict[tuple, list[int]]] = {
            table: defaultdict(lambda: [0, 0, 0]) for table in ROLLUP_TABLES}

    @classmethod
    def of(cls, analysis: Analysis) -> _Shares:
        shares = cls()
        outlet = _outlet(analysis.article.outlet)
        week = iso_week(analysis.article.published)
        found: dict[tuple[str, str], int] = defaultdict(int)  # (metric, key) -> occurrences in this article
        found["articles", ""] = words = len(analysis.article.text.split())
        for layer in CLASSIFIED_LAYERS:  # the denominators of shares and rates (corpus.prevalence)
            if processed(analysis, layer):
                found["classified", layer] = words
        found["quotes", ""] = len(analysis.quotes)
        for n in analysis.narratives:
            found["subnarrative" if n.subnarrative else "narrative", n.label] += 1
        for t in analysis.techniques:
            found["technique", t.technique] += 1
        for c in analysis.claims:
            found["sourcing", c.sourcing.kind] += 1
            found["hedged", c.sourcing.kind] += c.hedged
        for dim, grp in (("outlet", outlet), ("week", week)):
            for (metric, key), n in found.items():
                shares.rows[rollups][metric, dim, grp, key][:2] = [1, n]
        quoted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for q in analysis.quotes:
            ref = speaker_of(analysis, q)
            if ref is not None and not ref.anonymous:
                quoted[ref.key][0] += 1
                quoted[ref.key][1] += q.kind == "direct"
        for key, (n_quotes, n_direct) in quoted.items():
            shares.rows[speakers][(key,)] = [n_quotes, n_direct, 1]
            shares.rows[speaker_outlets][key, outlet][0] = n_quotes
        return shares

    def merge(self, other: _Shares, sign: int) -> None:
        for table, rows in other.rows.items():
            mine = self.rows[table]
            for key, counts in rows.items():
                mine[key] = [a + sign * b for a, b in zip(mine[key], counts, strict=True)]

    def to_json(self) -> str:
        return json.dumps({table.name: [[*key, *counts[:len(_COUNTS[table])]] for key, counts in rows.items()]
                           for table, rows in self.rows.items()})

    @classmethod
    def from_json(cls, text: str) -> _Shares:
        shares, data = cls(), json.loads(text)
        for table in ROLLUP_TABLES:
            width = len(_ROLLUP_KEYS[table])
            for row in data.get(table.name, []):
                counts = row[width:]
                shares.rows[table][tuple(row[:width])] = counts + [0] * (3 - len(counts))
        return shares

    def write(self, conn: Connection) -> None:
        """Add the sums to the tables; rows in key order, so concurrent writers lock them in one order."""
        for table, rows in self.rows.items():
            keys, counts = _ROLLUP_KEYS[table], _COUNTS[table]
            values = [dict(zip(keys, key)) | dict(zip(counts, row)) for key, row in sorted(rows.items())
                      if any(row)]
            if values:
                _add_counts(conn, table, keys, counts, values)


def _take_back(conn: Connection, article_ids: list[str], into: _Shares) -> bool:
    """Subtract (into ``into``) what the articles' counted analyses added, and forget it; False when
    nothing was counted for any of them."""
    rs = rollup_shares.c
    stored = conn.execute(select(rs.shares).where(rs.article_id.in_(article_ids))).scalars().all()
    for shares in stored:
        into.merge(_Shares.from_json(shares), -1)
    if stored:
        conn.execute(rollup_shares.delete().where(rs.article_id.in_(article_ids)))
    return bool(stored)


def _count_in(conn: Connection, items: list[Analysis], into: _Shares) -> None:
    """Add (into ``into``) what the analyses add, and remember it for ``_take_back``."""
    rows = []
    for analysis in items:
        share = _Shares.of(analysis)
        into.merge(share, +1)
        rows.append({"article_id": analysis.article.id, "shares": share.to_json()})
    if rows:
        conn.execute(insert(rollup_shares), rows)


@functools.cache
def _upsert(dialect: str, table: Table):
    """``INSERT ... ON CONFLICT DO UPDATE`` adding the counts, built once per table (every save uses it)."""
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as upsert
    else:
        from sqlalchemy.dialects.postgresql import insert as upsert
    stmt = upsert(table)
    return stmt.on_conflict_do_update(index_elements=list(_ROLLUP_KEYS[table]),
                                      set_={c: table.c[c] + stmt.excluded[c] for c in _COUNTS[table]})


def _add_counts(conn: Connection, table: Table, keys: tuple[str, ...], counts: tuple[str, ...],
                values: list[dict]) -> None:
    """Insert each row, or add its counts to the row with the same key (an upsert)."""
    if conn.dialect.name in ("sqlite", "postgresql"):
        conn.execute(_upsert(conn.dialect.name, table), values)
        return
    for row in values:  # any other database: one row at a time
        match = and_(*(table.c[k] == row[k] for k in keys))
        if not conn.execute(update(table).where(match).values({c: table.c[c] + row[c] for c in counts})).rowcount:
            conn.execute(insert(table).values(row))


def _stored_analysis(conn: Connection, article_id: str) -> Analysis | None:
    """The analysis as stored now (with its article), or None; one that no longer validates counts as
    none, as the rollup backfill skips it too."""
    row = conn.execute(
        select(articles.c.article_json, analyses.c.analysis_json)
        .join(analyses, analyses.c.article_id == articles.c.id)
        .where(articles.c.id == article_id)
    ).first()
    if row is None:
        return None
    try:
        return _load_analysis(*row)
    except ValidationError:
        return None


def _index_rows(analysis: Analysis) -> dict[Table, list[dict]]:
    """The index-table rows of one analysis.

    Labels: one ``subnarrative`` row per sub-narrative (its official full label) and one ``narrative``
    row per narrative the article carries, directly or through any of its sub-narratives (so counting
    and filtering by narrative works whichever level the classifier labels), with ``n_direct`` = how
    often the analysis gives that label itself (what ``corpus.prevalence`` counts); one ``role`` row
    for each main role and fine role of a mention; one ``technique`` row per technique span.
    """
    aid = analysis.article.id
    narratives: dict[tuple[str, str], float] = {}
    direct: dict[tuple[str, str], int] = defaultdict(int)
    for n in analysis.narratives:
        levels = [("narrative", n.narrative), ("subnarrative", n.label)] if n.subnarrative else [("narrative", n.label)]
        direct[levels[-1]] += 1
        for key in levels:
            narratives[key] = max(narratives.get(key, 0.0), n.confidence)
    label_rows = [
        {"kind": kind, "label": label, "entity_id": None, "confidence": confidence,
         "n_direct": direct[kind, label], "actor_key": None, "actor_name_key": None}
        for (kind, label), confidence in narratives.items()
    ]
    for r in analysis.roles:
        cast = actor_ref(analysis, r.entity_id, r.entity_name or r.mention.text)
        label_rows += [
            {"kind": "role", "label": role, "entity_id": r.entity_id, "confidence": r.confidence, "n_direct": 1,
             "actor_key": cast.key if cast else None, "actor_name_key": name_key(cast.name) if cast else None}
            for role in (r.main_role, *r.fine_roles)
        ]
    label_rows += [
        {"kind": "technique", "label": t.technique, "entity_id": None, "confidence": t.confidence, "n_direct": 1,
         "actor_key": None, "actor_name_key": None}
        for t in analysis.techniques
    ]
    quote_rows = []
    for position, q in enumerate({q.id: q for q in analysis.quotes}.values()):
        speaker = speaker_of(analysis, q)
        quote_rows.append({
            "article_id": aid, "quote_id": q.id, "speaker_entity": q.speaker_entity,
            "speaker_name": q.speaker_name or (q.speaker.text if q.speaker else None),
            "sourcing_kind": q.sourcing.kind, "kind": q.kind, "venue_name": q.venue_name, "date": q.date,
            "content_start": q.content.start, "content_end": q.content.end, "content": q.content.text,
            "position": position, "actor_key": speaker.key if speaker else None,
            "actor_name": speaker.name if speaker else None,
            "actor_name_key": name_key(speaker.name) if speaker else None,
        })
    return {
        entities: [
            {"article_id": aid, "entity_id": e.id, "name": e.name, "name_key": name_key(e.name), "type": e.type,
             "n_mentions": len(e.mentions)}
            for e in {e.id: e for e in analysis.entities}.values()
        ],
        quotes: quote_rows,
        labels: [{"article_id": aid, **row} for row in label_rows],
        claims: [
            {"article_id": aid, "position": position, "sourcing_kind": c.sourcing.kind, "hedged": c.hedged}
            for position, c in enumerate(analysis.claims)
        ],
    }


def _write_index(conn: Connection, analysis: Analysis) -> None:
    """Replace the index rows of one article (a migration's backfill: saves go through ``_reindex``)."""
    _clear_index(conn, [analysis.article.id])
    _insert_index(conn, [analysis])


def _insert_index(conn: Connection, items: list[Analysis]) -> dict[Table, list[dict]]:
    """Insert the index rows of the analyses, one statement a table; returns them."""
    written: dict[Table, list[dict]] = {table: [] for table in INDEX_TABLES}
    for analysis in items:
        for table, rows in _index_rows(analysis).items():
            written[table] += rows
    for table, rows in written.items():
        if rows:
            conn.execute(insert(table), rows)
    return written


def _reindex(conn: Connection, article_ids: list[str], items: list[Analysis]) -> None:
    """Replace the articles' index rows with those of ``items`` (the analyses of some of them: the
    others' rows are only removed) and move the actor rollup by the difference (inside the transaction
    that saves or deletes the analyses)."""
    change = _ActorShare().removing(conn, article_ids)
    _clear_index(conn, article_ids, (labels, claims))
    rows = _insert_index(conn, items)
    change.add(((r["entity_id"], r["name"], r["type"], r["n_mentions"]) for r in rows[entities]),
               ((r["speaker_entity"], r["actor_key"], r["sourcing_kind"]) for r in rows[quotes]), +1)
    change.write(conn)


def _clear_index(conn: Connection, article_ids: list[str], tables: tuple[Table, ...] = INDEX_TABLES) -> None:
    for table in tables:
        conn.execute(table.delete().where(table.c.article_id.in_(article_ids)))


# --- text search index (v11): lets the article search read the matching articles, not every text -----
#
# SQLite: ``search_text`` is a contentless FTS5 table with the trigram tokenizer, case-insensitive (its
# rows hold no copy of the text, which stays in ``articles``), holding the title and text of every
# article. ``detail=none``: which articles hold a trigram, not where (a sixth of the size with positions,
# 15 MB instead of 93 for 17 MB of text, and faster to write); a term is looked up as all of its trigrams,
# anywhere in the article, and the LIKE test the search applies anyway drops the articles where they do
# not stand together. FTS5 keys rows by integer; the implicit rowid of ``articles`` (a string key) may change on
# VACUUM, so ``search_rows`` gives each article a stable one. Triggers on ``articles`` keep both in step
# with every insert, change of title or text, and delete, inside the writing statement's transaction and
# whatever code writes (a contentless table forgets a row only given the exact values it indexed, which
# the trigger has as ``old``). PostgreSQL: pg_trgm GIN indexes on ``title`` and ``text``, which the
# search's ILIKE uses directly.
_SQLITE_TEXT_INDEX = (
    "CREATE TABLE search_rows (id INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE search_text USING fts5(title, text, content='', detail=none, tokenize='trigram')",
    """CREATE TRIGGER search_articles_insert AFTER INSERT ON articles BEGIN
        INSERT INTO search_rows (article_id) VALUES (new.id);
        INSERT INTO search_text (rowid, title, text)
            SELECT id, new.title, new.text FROM search_rows WHERE article_id = new.id;
    END""",
    """CREATE TRIGGER search_articles_update AFTER UPDATE OF id, title, text ON articles
    WHEN old.id IS NOT new.id OR old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
        INSERT INTO search_text (search_text, rowid, title, text)
            SELECT 'delete', id, old.title, old.text FROM search_rows WHERE article_id = old.id;
        UPDATE search_rows SET article_id = new.id WHERE article_id = old.id;
        INSERT INTO search_text (rowid, title, text)
            SELECT id, new.title, new.text FROM search_rows WHERE article_id = new.id;
    END""",
    """CREATE TRIGGER search_articles_delete AFTER DELETE ON articles BEGIN
        INSERT INTO search_text (search_text, rowid, title, text)
            SELECT 'delete', id, old.title, old.text FROM search_rows WHERE article_id = old.id;
        DELETE FROM search_rows WHERE article_id = old.id;
    END""",
    # Existing articles (the migration; a new store has none).
    "INSERT INTO search_rows (article_id) SELECT id FROM articles",
    """INSERT INTO search_text (rowid, title, text)
        SELECT r.id, a.title, a.text FROM search_rows r JOIN articles a ON a.id = r.article_id""",
)
_POSTGRES_TEXT_INDEX = {"ix_articles_title_trgm": "title", "ix_articles_text_trgm": "text"}
_search_rows = table("search_rows", column("id"), column("article_id"))
_search_text = table("search_text", column("rowid"), column("search_text"))
# A trigram index finds substrings of at least 3 characters; shorter terms are tested on the candidates.
_TRIGRAM = 3
_SQLITE_TRIGRAM = (3, 34)  # the first SQLite whose FTS5 has the trigram tokenizer


def _text_index(conn: Connection, warn: bool = True) -> bool:
    """Whether the articles have their text search index, building it first when it is missing and this
    database can: SQLite from 3.34 with FTS5 (trigram tokenizer), PostgreSQL with the pg_trgm extension
    (contrib). Where it cannot, the search stays a scan of every text, with the same results. SQLite's
    check is a few cheap queries, made on every open: ``warn`` says so in the log (the migration does, not
    every later open of the store); PostgreSQL's costs a failing ``CREATE EXTENSION``, so its first outcome
    is remembered instead (``_postgres_text_index``)."""
    report = log.warning if warn else log.debug
    dialect = conn.dialect.name
    if dialect == "sqlite":
        if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'search_text'").first():
            return True
        version = tuple(int(n) for n in conn.exec_driver_sql("SELECT sqlite_version()").scalar().split("."))
        fts5 = conn.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar()
        if version < _SQLITE_TRIGRAM or not fts5:
            report("SQLite %s has no FTS5 trigram tokenizer (3.34+): the article search scans every text",
                   ".".join(map(str, version)))
            return False
        for statement in _SQLITE_TEXT_INDEX:
            conn.exec_driver_sql(statement)
        return True
    if dialect == "postgresql":
        return _postgres_text_index(conn)
    return False


# ``store_meta`` key: pg_trgm could not be created (the value says why). Creating it is not tried again
# on later opens, each of which would run a failing statement (and log an error in the server's log);
# they look only whether the extension has appeared since (an administrator's ``CREATE EXTENSION
# pg_trgm``), and then build the index.
_POSTGRES_NO_TRGM = "postgres.no_pg_trgm"


def _postgres_text_index(conn: Connection) -> bool:
    """``_text_index`` on PostgreSQL: the GIN indexes, with pg_trgm's operator class taken from the schema
    the extension is installed in, which need not be on the search path (an ``extensions`` schema, as
    some hosted databases do). The first failure to create the extension is a warning and remembered."""
    pg_indexes = table("pg_indexes", column("schemaname"), column("indexname"))
    present = conn.execute(select(func.count()).select_from(pg_indexes).where(
        pg_indexes.c.schemaname == func.current_schema(), pg_indexes.c.indexname.in_(_POSTGRES_TEXT_INDEX))
    ).scalar()
    if present == len(_POSTGRES_TEXT_INDEX):
        return True
    schema = _trgm_schema(conn)
    if schema is None:
        remembered = conn.execute(select(store_meta.c.value).where(store_meta.c.key == _POSTGRES_NO_TRGM)).scalar()
        if remembered is not None:
            log.debug("no pg_trgm extension (%s, found before): the article search scans every text", remembered)
            return False
        try:
            with conn.begin_nested():
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DBAPIError as err:
            reason = str(err.orig).strip().splitlines()[0]
            log.warning("no pg_trgm extension (%s): the article search scans every text; the index is built "
                        "when the store is opened after 'CREATE EXTENSION pg_trgm'", reason)
            _remember(conn, _POSTGRES_NO_TRGM, reason)
            return False
        schema = _trgm_schema(conn)
    conn.execute(store_meta.delete().where(store_meta.c.key == _POSTGRES_NO_TRGM))
    opclass = f"{conn.dialect.identifier_preparer.quote_identifier(schema)}.gin_trgm_ops"
    # fastupdate off: GIN's default queues new entries in a pending list that every search reads in full
    # until a vacuum merges it (40 ms instead of 4 after saving 5,000 short articles); a save pays instead.
    for name, col in _POSTGRES_TEXT_INDEX.items():
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON articles USING gin ({col} {opclass}) "
                             "WITH (fastupdate = off)")
    return True


def _trgm_schema(conn: Connection) -> str | None:
    """The schema pg_trgm is installed in, in this database; None when it is not installed."""
    extension = table("pg_extension", column("extname"), column("extnamespace"))
    namespace = table("pg_namespace", column("oid"), column("nspname"))
    return conn.execute(select(namespace.c.nspname).select_from(
        extension.join(namespace, namespace.c.oid == extension.c.extnamespace)).where(extension.c.extname == "pg_trgm")
    ).scalar()


def _remember(conn: Connection, key: str, value: str) -> None:
    """Set ``key`` in ``store_meta`` (PostgreSQL: the only database whose facts the store remembers)."""
    from sqlalchemy.dialects.postgresql import insert as upsert

    stmt = upsert(store_meta).values(key=key, value=value, updated_at=_now())
    conn.execute(stmt.on_conflict_do_update(index_elements=[store_meta.c.key],
                                            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at}))


def _create_v11_text_index(conn: Connection) -> None:
    """Index the title and text of the stored articles for the search (see ``_text_index``)."""
    _text_index(conn)


def _create_v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[articles, analyses])


def _create_v2_index(conn: Connection) -> None:
    """Create the index tables and fill them from the analyses already stored."""
    metadata.create_all(conn, tables=list(INDEX_TABLES))
    _fill_index(conn)


def _rebuild_v4_index(conn: Connection) -> None:
    """Index v4 (actor keys, name keys, direct narrative counts, claims): the tables are derived data,
    so they are dropped, created with the new columns and refilled from the stored analyses."""
    metadata.drop_all(conn, tables=list(INDEX_TABLES))
    metadata.create_all(conn, tables=list(INDEX_TABLES))
    _fill_index(conn)


def _fill_index(conn: Connection) -> None:
    """Write the index rows of every stored analysis (a migration's backfill)."""
    for page in _stored_pages(conn):
        for analysis in page:
            _write_index(conn, analysis)


def _create_v5_rollups(conn: Connection) -> None:
    """Create the rollup tables (v6 fills them)."""
    metadata.create_all(conn, tables=list(ROLLUP_TABLES))
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_quotes_actor_key")  # v4 had (actor_key, article_id, kind)
    next(i for i in quotes.indexes if i.name == "ix_quotes_actor_key").create(conn)


def _fill_v6_rollups(conn: Connection) -> None:
    """Keep each article's share (``rollup_shares``) and sum the stored analyses into the rollups anew,
    a page at a time."""
    metadata.create_all(conn, tables=[rollup_shares])
    for table in (*ROLLUP_TABLES, rollup_shares):
        conn.execute(table.delete())
    for page in _stored_pages(conn):
        total = _Shares()
        _count_in(conn, page, total)
        total.write(conn)


def _refill_v9_rollups(conn: Connection) -> None:
    """Sum the rollups anew (as v6), now with what each classifier layer processed (``classified``):
    the stored shares lack it, so a replaced analysis could not take it back otherwise."""
    _fill_v6_rollups(conn)


def _index_v7_analysed_at(conn: Connection) -> None:
    """Index the analyses' save time (``analysed_since``). A store created at v1 by this code has it already."""
    next(i for i in analyses.indexes if i.name == "ix_analyses_created_at").create(conn, checkfirst=True)


def _create_v8_actor_rollup(conn: Connection) -> None:
    """Create the actor rollup and sum the index tables into it: grouped in SQL (no analysis is read),
    the name variants streamed in pages to hash their keys."""
    metadata.create_all(conn, tables=list(ACTOR_TABLES))
    for table in ACTOR_TABLES:  # anew, when an older migration is run again (the index was rebuilt)
        conn.execute(table.delete())
    e, q, t = entities.c, quotes.c, actor_totals.c
    quoted = (select(q.speaker_entity.label("entity_id"), func.count().label("n"))
              .where(q.speaker_entity.is_not(None)).group_by(q.speaker_entity).subquery())
    conn.execute(insert(actor_totals).from_select(
        ["entity_id", "n_articles", "n_mentions", "n_quotes"],
        select(e.entity_id, func.count(), func.sum(e.n_mentions), func.coalesce(func.max(quoted.c.n), 0))
        .select_from(entities.outerjoin(quoted, quoted.c.entity_id == e.entity_id))
        .group_by(e.entity_id)))
    # Speakers no article mentions (yet): counted, so the row is right when one does.
    conn.execute(insert(actor_totals).from_select(
        ["entity_id", "n_articles", "n_mentions", "n_quotes"],
        select(quoted.c.entity_id, 0, 0, quoted.c.n).where(quoted.c.entity_id.not_in(select(t.entity_id)))))
    variants = conn.execute(select(e.entity_id, e.name, e.type, func.count()).group_by(e.entity_id, e.name, e.type)
                            .execution_options(yield_per=5000))
    for page in variants.partitions():
        conn.execute(insert(actor_names), [
            {"entity_id": key, "variant": _variant(name, type_), "name": name, "type": type_, "n_articles": n}
            for key, name, type_, n in page])


def _create_v10_name_speakers(conn: Connection) -> None:
    """Create the rollup of the speakers known only by name and sum the ``quotes`` index into it in SQL
    (no analysis is read)."""
    metadata.create_all(conn, tables=[name_speakers])
    conn.execute(name_speakers.delete())  # anew, when an older migration is run again (the index was rebuilt)
    q = quotes.c
    conn.execute(insert(name_speakers).from_select(
        ["actor_key", "n_articles", "n_quotes", "n_named"],
        select(q.actor_key, func.count(distinct(q.article_id)), func.count(),
               func.sum(case((q.sourcing_kind == "named", 1), else_=0)))
        .where(q.actor_key.startswith(_NAMED)).group_by(q.actor_key)))


def _stored_pages(conn: Connection, size: int = 200) -> Iterator[list[Analysis]]:
    """Every stored analysis, a page at a time (the JSON of a large corpus need not fit in memory);
    one that does not validate with this version is skipped with a warning (re-analysis fixes it)."""
    ids = conn.execute(select(analyses.c.article_id).order_by(analyses.c.article_id)).scalars().all()
    for i in range(0, len(ids), size):
        rows = conn.execute(
            select(articles.c.article_json, analyses.c.analysis_json)
            .join(analyses, analyses.c.article_id == articles.c.id)
            .where(articles.c.id.in_(ids[i : i + size]))
        ).all()
        page = []
        for art_json, ana_json in rows:
            try:
                page.append(_load_analysis(art_json, ana_json))
            except ValidationError as err:
                log.warning("skipping a stored analysis that does not validate: %s", err)
        yield page


# v12: the article list's order (``list_articles``) read from an index, over the whole store and within one
# outlet, so a page no longer sorts every article (or every article of the outlet) first; and the resume
# check (``ids_analysed_with``) reads an index instead of every analysis's JSON. SQLite orders NULLs last in
# a descending order already, and rejects NULLS LAST in an index; PostgreSQL puts them first without it.
_LISTING_INDEXES = {"ix_articles_listing": ("articles", "published DESC{nulls}, created_at DESC, id"),
                    "ix_articles_outlet_listing": ("articles", "outlet, published DESC{nulls}, created_at DESC, id"),
                    "ix_analyses_version": ("analyses", "pipeline_version, article_id")}


def _index_v12_listing(conn: Connection) -> None:
    """Create the indexes of ``_LISTING_INDEXES``."""
    nulls = " NULLS LAST" if conn.dialect.name == "postgresql" else ""
    for name, (on, columns) in _LISTING_INDEXES.items():
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {on} ({columns.format(nulls=nulls)})")


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
    (4, _rebuild_v4_index),
    (5, _create_v5_rollups),
    (6, _fill_v6_rollups),
    (7, _index_v7_analysed_at),
    (8, _create_v8_actor_rollup),
    (9, _refill_v9_rollups),
    (10, _create_v10_name_speakers),
    (11, _create_v11_text_index),
    (12, _index_v12_listing),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


# Analyses per transaction of ``save_analyses``: measured on SQLite (docs/benchmarks.md, Store), the
# rate grows little beyond it, and a batch is what a failed save loses.
SAVE_BATCH = 100


def _batches(items: Iterable[Analysis], size: int) -> Iterator[list[Analysis]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def database_url(db: str | Path) -> str:
    """A path becomes an SQLite URL; anything with ``://`` is used as an SQLAlchemy URL."""
    db = str(db)
    return db if "://" in db else f"sqlite:///{Path(db).expanduser()}"


# The databases the store's SQL is written and tested for (FTS5 or pg_trgm, upserts, JSON): another SQLAlchemy
# URL failed on its missing driver ("No module named 'MySQLdb'") or, with one installed, on the first query.
SUPPORTED_DATABASES = ("sqlite", "postgresql")


class SqlStore(Store):
    def __init__(self, db: str | Path = "narrascope.db"):
        self.url = database_url(db)
        backend = make_url(self.url).get_backend_name()
        if backend not in SUPPORTED_DATABASES:
            raise ValueError(f"unsupported database {backend!r}: give an SQLite file or a postgresql+psycopg:// URL")
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        # Whether the text search has its index (schema v11; set by _migrate, False where the database lacks
        # FTS5's trigram tokenizer or pg_trgm).
        self.text_indexed = False
        self._migrate()

    def _migrate(self) -> None:
        with self.engine.begin() as conn:
            metadata.create_all(conn, tables=[schema_migrations, store_meta])
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
        # Also built here when the migration could not (no pg_trgm or too old an SQLite then).
        with self.engine.begin() as conn:
            self.text_indexed = _text_index(conn, warn=False)

    # --- writes -------------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        with self.engine.begin() as conn:
            total = _Shares()
            counted = _take_back(conn, [article.id], total)
            added = article.id in self._upsert_articles(conn, [article])
            if counted:  # its analysis now sits under the refreshed metadata (outlet, date): count it anew
                analysis = _stored_analysis(conn, article.id)
                if analysis is not None:
                    _count_in(conn, [analysis], total)
                total.write(conn)
            return added

    def save_analysis(self, analysis: Analysis) -> None:
        self.save_analyses([analysis])

    def save_analyses(self, items: Iterable[Analysis], batch_size: int = SAVE_BATCH) -> int:
        """Save ``batch_size`` analyses per transaction, each table written by one statement a batch
        (rows of every analysis together) and the rollups once with the batch's summed difference. Why:
        saving one by one spends most of its time issuing ~15 statements per analysis; a bulk load or a
        re-analysis of a large store saves the same rows in a fraction of the statements."""
        saved = 0
        for batch in _batches(items, max(1, batch_size)):
            # An article twice in a batch: its last analysis, as saving them in turn would leave.
            latest = list({analysis.article.id: analysis for analysis in batch}.values())
            with self.engine.begin() as conn:
                self._save(conn, latest)
            saved += len(batch)
        return saved

    def _save(self, conn: Connection, items: list[Analysis]) -> None:
        """Write the analyses of distinct articles in the caller's transaction, replacing the stored ones."""
        ids = [analysis.article.id for analysis in items]
        total = _Shares()
        _take_back(conn, ids, total)
        self._upsert_articles(conn, [analysis.article for analysis in items])
        # Stamped once this transaction writes (SQLite: holds the write lock), so saves commit in
        # the order of their stamps, give or take clock steps: ``analysed_since`` readers rely on it.
        now = _now()
        rows = [{"article_id": analysis.article.id, "pipeline_version": analysis.pipeline_version,
                 "schema_version": analysis.schema_version, "created_at": now,
                 "analysis_json": analysis.model_dump_json(exclude={"article"})} for analysis in items]
        a = analyses.c
        stored = set(conn.execute(select(a.article_id).where(a.article_id.in_(ids))).scalars())
        if fresh := [row for row in rows if row["article_id"] not in stored]:
            conn.execute(insert(analyses), fresh)
        if replaced := [{**row, "id": row["article_id"]} for row in rows if row["article_id"] in stored]:
            conn.execute(update(analyses).where(a.article_id == bindparam("id")), replaced)
        _reindex(conn, ids, items)
        _count_in(conn, items, total)
        total.write(conn)

    def _upsert_articles(self, conn: Connection, items: list[Article]) -> set[str]:
        """Insert the articles, or refresh the metadata of those stored (e.g. a later ingest found the
        author); returns the ids inserted."""
        rows = [{"id": article.id, "title": article.title, "url": article.url, "source": article.source,
                 "outlet": article.outlet, "author": article.author, "published": article.published,
                 "language": article.language, "n_words": len(article.text.split()), "text": article.text,
                 "article_json": article.model_dump_json()} for article in items]
        c = articles.c
        stored = set(conn.execute(select(c.id).where(c.id.in_([row["id"] for row in rows]))).scalars())
        if fresh := [{**row, "created_at": _now()} for row in rows if row["id"] not in stored]:
            conn.execute(insert(articles), fresh)
        for row in rows:
            if row["id"] in stored:
                conn.execute(update(articles).where(c.id == row["id"]).values(row))
        return {row["id"] for row in fresh}

    def delete_article(self, article_id: str) -> bool:
        with self.engine.begin() as conn:
            total = _Shares()
            if _take_back(conn, [article_id], total):
                total.write(conn)
            _reindex(conn, [article_id], [])
            conn.execute(analyses.delete().where(analyses.c.article_id == article_id))
            return conn.execute(articles.delete().where(articles.c.id == article_id)).rowcount > 0

    # --- reads --------------------------------------------------------------------------------

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            raw = conn.execute(select(articles.c.article_json).where(articles.c.id == article_id)).scalar()
        return Article.model_validate_json(raw) if raw else None

    def get_analysis(self, article_id: str) -> Analysis | None:
        return next(self.iter_analyses([article_id]), None)

    def ids_with_prefix(self, prefix: str, limit: int | None = None) -> list[str]:
        # The ids in a range of the primary key, tested by LIKE: LIKE alone reads every id on SQLite (its
        # LIKE folds case, so the index cannot serve it).
        c = articles.c
        query = select(c.id).where(c.id >= prefix, c.id.startswith(prefix, autoescape=True)).order_by(c.id).limit(limit)
        if prefix and prefix[-1] < chr(0x10FFFF):
            query = query.where(c.id < prefix[:-1] + chr(ord(prefix[-1]) + 1))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars().all())

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
            query = query.where(_up_to(c.published, filt.until))
        if filt.ids is not None:
            query = query.where(c.id.in_(filt.ids))
        if filt.search:
            # PostgreSQL's ILIKE reads the trigram indexes by itself; SQLite's FTS5 table must be asked.
            sqlite = self.engine.dialect.name == "sqlite"
            query = query.where(_search_clause(filt.search, self.text_indexed and sqlite, fold=sqlite))
        if filt.actor:
            actors = (filt.actor,) if isinstance(filt.actor, str) else filt.actor
            query = query.where(c.id.in_(_actor_articles(*actors)))
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
        query = (_LISTING.order_by(c.published.desc().nulls_last(), c.created_at.desc(), c.id)
                 .limit(limit).offset(offset))
        with self.engine.connect() as conn:
            return [_article_row(r) for r in conn.execute(self._where(query, filt))]

    def iter_article_rows(self, filt: ArticleFilter = ArticleFilter(), *, page: int = 1000) -> Iterator[ArticleRow]:
        c = articles.c
        after = None
        while True:
            query = self._where(_LISTING.order_by(c.id).limit(page), filt)
            if after is not None:
                query = query.where(c.id > after)
            with self.engine.connect() as conn:
                rows = [_article_row(r) for r in conn.execute(query)]
            yield from rows
            if len(rows) < page:
                return
            after = rows[-1].id

    def count_articles(self, filt: ArticleFilter = ArticleFilter()) -> int:
        with self.engine.connect() as conn:
            return conn.execute(self._where(select(func.count()).select_from(articles), filt)).scalar() or 0

    def ids_analysed_with(self, pipeline_version: str) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(
                select(analyses.c.article_id).where(analyses.c.pipeline_version == pipeline_version)
            ).scalars())

    def outlets(self) -> list[str]:
        # Each outlet found by one seek of the outlet index past the one before (a "skip scan"): as many
        # seeks as outlets, where DISTINCT read the index entry of every article (linear in the store).
        with self.engine.connect() as conn:
            found = conn.exec_driver_sql(_OUTLETS).scalars().all()
        return sorted(filter(None, found), key=str.casefold)

    def analysed_since(self, since: str | None = None) -> list[AnalysedRow]:
        a, c = analyses.c, articles.c
        query = select(a.article_id, c.published, a.created_at).join(articles, c.id == a.article_id)
        if since is not None:
            query = query.where(a.created_at >= since)
        with self.engine.connect() as conn:
            return [AnalysedRow(id=r.article_id, published=r.published, analysed_at=r.created_at)
                    for r in conn.execute(query)]

    def list_actors(self, search: str | None = None, *, limit: int = 100, offset: int = 0) -> list[ActorRow]:
        # A page of two rollups merged in the order of their indexes: the entities (actor_totals) and the
        # speakers known only by name (name_speakers); the names of that page only.
        t, n, ns, e = actor_totals.c, actor_names.c, name_speakers.c, entities.c
        mentioned = select(t.entity_id.label("key"), t.n_articles, t.n_mentions, t.n_quotes).where(t.n_articles > 0)
        # Named as a source at least once (a group alone, "some of the President's allies", is no actor), and
        # no entity's name (that actor is listed under its id already): an index lookup a row.
        quoted = (select(ns.actor_key.label("key"), ns.n_articles, ns.n_mentions, ns.n_quotes)
                  .where(ns.n_named > 0, ~select(e.entity_id).where(e.name_key == ns.actor_key).exists()))
        if search:
            named = select(n.entity_id).where(n.n_articles > 0, n.name.icontains(search, autoescape=True))
            mentioned = mentioned.where(or_(t.entity_id.icontains(search, autoescape=True), t.entity_id.in_(named)))
            quoted = quoted.where(_name_in_key(ns.actor_key, search))
        both = union_all(mentioned, quoted)
        ranked = both.selected_columns
        query = (both.order_by(ranked.n_articles.desc(), ranked.n_mentions.desc(), ranked.key)
                 .limit(limit).offset(offset))
        with self.engine.connect() as conn:
            page = conn.execute(query).all()
            names = {row.entity_id: (row.name, row.type) for row in conn.execute(
                select(n.entity_id, func.min(n.name).label("name"), func.min(n.type).label("type"))
                .where(n.entity_id.in_([r.key for r in page if not r.key.startswith(_NAMED)]), n.n_articles > 0)
                .group_by(n.entity_id))}
            spoken = _first_names(conn, ns.actor_key, [r.key for r in page if r.key.startswith(_NAMED)])
            names.update({key: (name, None) for key, name in spoken.items()})
        return [ActorRow(key=r.key, entity_id=None if r.key.startswith(_NAMED) else r.key, name=names[r.key][0],
                         type=names[r.key][1], n_articles=r.n_articles, n_mentions=r.n_mentions, n_quotes=r.n_quotes)
                for r in page]

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
        wanted = []
        if speaker_entity is not None:
            wanted.append(q.speaker_entity == speaker_entity)
        if article_ids is not None:
            wanted.append(q.article_id.in_(list(article_ids)))
        newest = (a.published.desc().nulls_last(), a.id)
        if speaker_entity is None and article_ids is None:
            # Most of the corpus's quotes qualify: the newest ``offset + limit`` articles holding one are read
            # in the order of the articles' index (each has at least one, so the page is among their quotes)
            # instead of sorting every quote of the corpus. The sourcing kind is tested as an expression, so
            # that the planner looks up an article's quotes by its id, not through the sourcing index.
            if sourcing_kind is not None:
                wanted.append(func.coalesce(q.sourcing_kind, "") == sourcing_kind)
            holding = select(quotes.c.article_id).where(q.article_id == a.id, *wanted).exists()
            page = select(a.id).where(holding).order_by(*newest).limit(offset + limit).scalar_subquery()
            wanted.append(q.article_id.in_(page))
        elif sourcing_kind is not None:
            wanted.append(q.sourcing_kind == sourcing_kind)
        query = (
            select(
                q.article_id, q.quote_id, q.speaker_entity, q.speaker_name, q.sourcing_kind, q.kind,
                q.venue_name, q.date, q.content_start.label("start"), q.content_end.label("end"),
                q.content.label("text"), a.outlet, a.title, a.published,
            )
            .select_from(quotes.join(articles, articles.c.id == q.article_id))
            .where(*wanted)
            .order_by(*newest, q.content_start, q.quote_id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as conn:
            return [QuoteRow(**r._mapping) for r in conn.execute(query)]

    def label_counts(
        self, kind: LabelKind, by: Grouping = None, *, direct: bool = False, actor: str | None = None
    ) -> list[dict[str, str | int]]:
        if kind not in LABEL_KINDS or by not in ("outlet", "week", None):
            raise ValueError(f"label_counts: kind must be one of {', '.join(LABEL_KINDS)} and by 'outlet', "
                             f"'week' or None (got {kind!r}, {by!r})")
        if actor is None and (kind == "technique" or direct and kind in ("narrative", "subnarrative")):
            totals = self._rollup_totals(kind, by)  # what the rollups sum: labels as given, technique spans
        else:
            totals = self._label_totals(kind, by, direct, actor)
        ordered = sorted(totals.items(), key=lambda item: (_group_order(item[0][0]), -item[1][0], item[0][1]))
        return [
            {"label": label, **({by: _public(group)} if by else {}), "n_articles": n_articles, "n": n}
            for (group, label), (n_articles, n) in ordered
        ]

    def _rollup_totals(self, metric: str, by: Grouping) -> dict[tuple[str, str], list[int]]:
        """``{(group, key): [n_articles, n]}`` from the rollups (summed over outlets when ``by`` is None)."""
        r = rollups.c
        totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        with self.engine.connect() as conn:
            for grp, key, n_articles, n in conn.execute(
                select(r.grp, r.key, r.n_articles, r.n)
                .where(r.metric == metric, r.dim == (by or "outlet"), or_(r.n_articles != 0, r.n != 0))
            ):
                total = totals[grp if by else "", key]
                total[0] += n_articles
                total[1] += n
        return totals

    def _label_totals(self, kind: LabelKind, by: Grouping, direct: bool, actor: str | None):
        """``{(group, label): [n_articles, n]}`` from the ``labels`` index."""
        l = labels.c
        keys = _group_columns(by)
        query = (
            select(l.label, *keys, func.count(distinct(l.article_id)).label("n_articles"),
                   (func.sum(l.n_direct) if direct else func.count()).label("n"))
            .where(l.kind == kind)
            .group_by(l.label, *keys)
        )
        if keys:  # the article's outlet or date; without a grouping the covering index alone answers
            query = query.select_from(labels.join(articles, articles.c.id == l.article_id))
        if direct:
            query = query.where(l.n_direct > 0)
        if actor:
            query = query.where(l.article_id.in_(_actor_articles(actor)))
            if kind == "role":
                query = query.where(_matches(l.actor_key, l.actor_name_key, actor))
        totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                # Articles of different outlet spellings or days are disjoint, so their counts add up.
                totals[_group(by, row), row.label][0] += row.n_articles
                totals[_group(by, row), row.label][1] += row.n
        return totals

    def article_counts(self, by: Grouping = None) -> list[dict[str, str | int]]:
        articles_, quotes_ = self._rollup_totals("articles", by), self._rollup_totals("quotes", by)
        return [
            {**({by: _public(group)} if by else {}), "n_articles": n_articles, "n_words": n_words,
             "n_quotes": quotes_.get((group, key), [0, 0])[1]}
            for (group, key), (n_articles, n_words) in sorted(articles_.items(), key=lambda item: _group_order(item[0][0]))
            if n_articles
        ]

    def classified_counts(self, by: Grouping = None) -> list[dict[str, str | int | None]]:
        return [
            {**({by: _public(group)} if by else {}), "layer": layer, "n_articles": n_articles, "n_words": n_words}
            for (group, layer), (n_articles, n_words) in sorted(self._rollup_totals("classified", by).items(),
                                                                key=lambda item: (_group_order(item[0][0]), item[0][1]))
            if n_articles
        ]

    def sourcing_counts(self, by: Grouping = None) -> list[dict[str, str | int]]:
        hedged = self._rollup_totals("hedged", by)
        return [
            {**({by: _public(group)} if by else {}), "sourcing_kind": kind, "n": n,
             "n_hedged": hedged.get((group, kind), [0, 0])[1]}
            for (group, kind), (_, n) in sorted(self._rollup_totals("sourcing", by).items(),
                                                key=lambda item: (_group_order(item[0][0]), item[0][1])) if n
        ]

    def top_speakers(self, limit: int = 25) -> list[SpeakerRow]:
        if limit < 1:
            return []
        sp, so, q = speakers.c, speaker_outlets.c, quotes.c
        with self.engine.connect() as conn:
            # Most quoted first; the rows tied with the last place are kept too, because the final
            # tie-break (name) is done in Python: SQL collations do not all order strings like Python.
            counts, last = {}, (0, 0)
            result = conn.execute(select(sp.actor_key, sp.n_quotes, sp.n_direct, sp.n_articles)
                                  .where(sp.n_quotes > 0).order_by(sp.n_quotes.desc(), sp.n_articles.desc()))
            for row in result:
                if len(counts) >= limit and (row.n_quotes, row.n_articles) < last:
                    break
                counts[row.actor_key], last = row, (row.n_quotes, row.n_articles)
            result.close()
            # The name in the first article (by id) and the first quote there: what a streaming pass meets first.
            # One indexed LIMIT 1 per leading speaker, in one statement (they may have thousands of quotes);
            # the rows tied beyond them (thousands of one-quote speakers in a small corpus) a few quotes each,
            # so their first names come from one window query per chunk rather than one query each.
            ranked = list(counts)
            names = _first_names(conn, sp.actor_key, ranked[:limit])
            for i in range(limit, len(ranked), 500):
                first = select(q.actor_key, q.actor_name, func.row_number().over(
                    partition_by=q.actor_key, order_by=(q.article_id, q.position)).label("n")
                ).where(q.actor_key.in_(ranked[i:i + 500])).subquery()
                names.update(conn.execute(select(first.c.actor_key, first.c.actor_name).where(first.c.n == 1)).all())
            top = sorted(counts, key=lambda key: (-counts[key].n_quotes, -counts[key].n_articles, names[key]))[:limit]
            outlets: dict[str, dict[str, int]] = defaultdict(dict)
            for key, outlet, n in conn.execute(select(so.actor_key, so.outlet, so.n_quotes)
                                               .where(so.actor_key.in_(top), so.n_quotes > 0, so.outlet != _NO_OUTLET)):
                outlets[key][outlet] = n
        return [
            SpeakerRow(key=key, name=names[key], entity_id=None if key.startswith(_NAMED) else key,
                       n_quotes=counts[key].n_quotes, n_direct=counts[key].n_direct,
                       n_articles=counts[key].n_articles, outlets=outlets[key])
            for key in top
        ]

    def actor_outlets(self, actor: str) -> list[ActorOutletRow]:
        a, e, q = articles.c, entities.c, quotes.c
        found: dict[str, dict[str, int | str | None]] = defaultdict(
            lambda: {"n_articles": 0, "n_mentions": 0, "n_quotes": 0, "first": None, "last": None})
        with self.engine.connect() as conn:
            for outlet, n, first, last in conn.execute(
                select(a.outlet, func.count(), func.min(func.nullif(a.published, "")),
                       func.max(func.nullif(a.published, "")))
                .where(a.id.in_(_actor_articles(actor)))
                .group_by(a.outlet)
            ):
                row = found[_outlet(outlet)]
                row["n_articles"] += n
                row["first"] = min(filter(None, (row["first"], first)), default=None)
                row["last"] = max(filter(None, (row["last"], last)), default=None)
            for column, table, match in (("n_mentions", entities, _matches(e.entity_id, e.name_key, actor)),
                                         ("n_quotes", quotes, _named_speaker(actor))):
                total = func.sum(e.n_mentions) if table is entities else func.count()
                for outlet, n in conn.execute(
                    select(a.outlet, total).select_from(table.join(articles, articles.c.id == table.c.article_id))
                    .where(match).group_by(a.outlet)
                ):
                    found[_outlet(outlet)][column] += n or 0
        rows = [
            ActorOutletRow(outlet=_public(outlet), n_articles=r["n_articles"], n_mentions=r["n_mentions"],
                           n_quotes=r["n_quotes"], first_published=r["first"] and r["first"][:10],
                           last_published=r["last"] and r["last"][:10])
            for outlet, r in found.items()
        ]
        return sorted(rows, key=lambda r: (r.outlet is None, -r.n_articles, r.outlet or ""))

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


# ``outlets``: the least outlet (a NULL or empty one is no outlet: every other string sorts after ''), then
# the least after each, until none is left (the NULL that ends the recursion).
_OUTLETS = """
WITH RECURSIVE found(outlet) AS (
    SELECT min(outlet) FROM articles WHERE outlet > ''
    UNION ALL
    SELECT (SELECT min(a.outlet) FROM articles a WHERE a.outlet > found.outlet) FROM found
    WHERE found.outlet IS NOT NULL
)
SELECT outlet FROM found"""


# The columns of an article list (``ArticleRow``): no text, the analysis's pipeline version.
_LISTING = select(
    articles.c.id, articles.c.title, articles.c.outlet, articles.c.author, articles.c.published, articles.c.language,
    articles.c.url, articles.c.source, articles.c.n_words, analyses.c.pipeline_version,
).select_from(articles.outerjoin(analyses, analyses.c.article_id == articles.c.id))


def _article_row(r) -> ArticleRow:
    return ArticleRow(id=r.id, title=r.title, outlet=r.outlet, author=r.author, published=r.published,
                      language=r.language, url=r.url, source=r.source, n_words=r.n_words,
                      analysed=r.pipeline_version is not None, pipeline_version=r.pipeline_version)


# Prefixes of the actor keys of ``corpus.common``: an unresolved name, an unnamed source (never an actor
# across articles). Entity ids are slugs, without a colon.
_NAMED, _ANONYMOUS = "name:", "anon:"


def _wanted(*actors: str) -> list[str]:
    """What ``corpus.actors.actor_profile`` matches a key against: the key, and its name key (of each actor)."""
    return sorted({form for actor in actors for form in (actor, name_key(actor))})


def _matches(key: Column, name_key_column: Column, *actors: str):
    wanted = _wanted(*actors)
    return or_(key.in_(wanted), name_key_column.in_(wanted))


def _named_speaker(*actors: str):
    """Quotes whose named (not anonymous) speaker is one of ``actors``, by key or by name."""
    q = quotes.c
    return and_(q.actor_key.not_like(f"{_ANONYMOUS}%"), _matches(q.actor_key, q.actor_name_key, *actors))


def _first_names(conn: Connection, key: Column, keys: list[str]) -> dict[str, str]:
    """Each speaker's name in the first article (by id) quoting it and its first quote there: what a
    streaming pass meets first. ``key`` is the key column of a rollup holding the speakers. One statement,
    an indexed LIMIT 1 a speaker however many quotes it has."""
    q = quotes.c
    first = (select(q.actor_name).where(q.actor_key == key).order_by(q.article_id, q.position).limit(1)
             .scalar_subquery())
    return dict(conn.execute(select(key, first).where(key.in_(keys))).all())


def _name_in_key(key: Column, search: str):
    """A ``name:`` key whose name contains ``search`` folded as ``name_key`` folds names (case, spaces);
    a search that is such a key itself ("name:brussels") is its name."""
    needle = name_key(search).removeprefix(_NAMED)
    return func.substr(key, len(_NAMED) + 1).contains(needle.removeprefix(_NAMED), autoescape=True)


def _actor_articles(*actors: str) -> Select:
    """Ids of the articles where an actor is mentioned (an entity) or quoted (a named speaker)."""
    e = entities.c
    return union(
        select(e.article_id).where(_matches(e.entity_id, e.name_key, *actors)),
        select(quotes.c.article_id).where(_named_speaker(*actors)),
    )


_TERMS = re.compile(r'"([^"]+)"|(\S+)')


def _search_clause(search: str, fts: bool, fold: bool = False):
    """Every term of ``search`` in the title or text, case-insensitively: words anywhere (Kovalenko Lomov), a
    "quoted phrase" as written; an apostrophe matches either form (Zaluzhny's, Zaluzhny’s); % and _ are
    literal. ``fts``: SQLite's trigram table (v11) first narrows the articles down to those holding every
    trigram of each term of 3 or more characters (in any order, and folding case beyond ASCII, ſ as s,
    Cyrillic, which LIKE does not): the LIKE test decides on those candidates, so the results stay those
    of a scan. ``fold`` (SQLite, whose LIKE folds ASCII only): a term with other letters is compared casefolded
    on both sides (``ns_casefold``, registered on every connection); "МОСТИ" found no "Мости"."""
    c = articles.c
    terms = [sorted({t, t.replace("'", "’"), t.replace("’", "'")})
             for t in (phrase or word for phrase, word in _TERMS.findall(search))]

    def contains(col: Column, term: str):
        if fold and not term.isascii():
            return func.ns_casefold(col).contains(term.casefold(), autoescape=True)
        return col.icontains(term, autoescape=True)

    clauses = [or_(*(contains(col, v) for v in variants for col in (c.title, c.text))) for variants in terms]
    indexed = [variants for variants in terms if len(variants[0]) >= _TRIGRAM]
    if fts and indexed:
        match = " AND ".join("(" + " OR ".join(_all_trigrams(v) for v in variants) + ")" for variants in indexed)
        rows = select(_search_text.c.rowid).where(_search_text.c.search_text.op("MATCH")(match))
        clauses.insert(0, c.id.in_(select(_search_rows.c.article_id).where(_search_rows.c.id.in_(rows))))
    return and_(*clauses) if clauses else true()


def _all_trigrams(term: str) -> str:
    """An FTS5 query for the articles holding every trigram of ``term``: each one an FTS5 string (quotes
    doubled, nothing else special), which the trigram tokenizer reads as one token, folding its case."""
    grams = dict.fromkeys(term[i : i + _TRIGRAM] for i in range(len(term) - _TRIGRAM + 1))
    return "(" + " AND ".join('"' + g.replace('"', '""') + '"' for g in grams) + ")"


def _up_to(published: Column, until: str):
    """``published`` on or before the day ``until``: a stored date may carry a time ("2024-01-15T10:00Z"),
    which sorts after "2024-01-15" but is that day, so the bound is "before the next day"."""
    try:
        return published < (date.fromisoformat(until) + timedelta(days=1)).isoformat()
    except ValueError:  # not a day (a caller's own bound): compared as given
        return published <= until


def _group_columns(by: Grouping) -> list[Column]:
    """Group in SQL by outlet or publication date; ``_group`` then folds outlet spellings and the days
    of an ISO week in Python (week arithmetic differs between SQL dialects; dates are untrusted strings)."""
    return {"outlet": [articles.c.outlet], "week": [articles.c.published], None: []}[by]


def _group(by: Grouping, row) -> str:
    if by == "outlet":
        return _outlet(row.outlet)
    return iso_week(row.published) if by == "week" else ""


# The group key, in the rollup tables and the in-SQL groupings, of the articles without an outlet. It
# never leaves the store: every read gives None for it (such articles are no outlet). The value is the
# one earlier versions wrote into ``rollups``, ``speaker_outlets`` and ``rollup_shares``, so stored sums
# stay valid without a migration.
_NO_OUTLET = "(unknown outlet)"


def _outlet(outlet: str | None) -> str:
    """The group key of an outlet: stripped as ``corpus.common.outlet_of`` does, ``_NO_OUTLET`` for none."""
    return (outlet or "").strip() or _NO_OUTLET


def _public(group: str) -> str | None:
    """A group key as the reads return it: None for the articles without an outlet."""
    return None if group == _NO_OUTLET else group


def _group_order(group: str) -> tuple[bool, str]:
    """Groups in key order, the articles without an outlet last."""
    return group == _NO_OUTLET, group


def _load_analysis(article_json: str, analysis_json: str) -> Analysis:
    data = json.loads(analysis_json)
    data["article"] = json.loads(article_json)
    return Analysis.model_validate(data)


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # The search's Unicode case folding (``_search_clause``): SQLite's own lower() and LIKE fold ASCII only.
    dbapi_conn.create_function("ns_casefold", 1, _casefold, deterministic=True)
    # WAL keeps readers (the web server) working while a batch writes; NORMAL sync is crash-safe in WAL.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
