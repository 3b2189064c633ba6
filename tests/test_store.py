"""The SQL store: idempotent articles, atomic analysis replacement, migrations, listing, resume, and
the indexed corpus queries (actors, quotes, label counts).

Every test taking ``db`` runs on SQLite and on a real PostgreSQL server (skipped when PostgreSQL cannot
be started here; see tests/pg_server.py)."""

from __future__ import annotations

import sqlite3

import pytest

from narrascope.model import (
    Analysis,
    Article,
    Entity,
    Mention,
    NarrativeLabel,
    Quote,
    RoleLabel,
    Sourcing,
    Span,
    TechniqueSpan,
)
from narrascope.store import ArticleFilter, open_store
from narrascope.store.sql import SCHEMA_VERSION


def _article(text: str, **fields) -> Article:
    return Article(id=Article.make_id(text), text=text, **fields)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    """Where the store lives: an SQLite file, or a fresh database on the throwaway PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "n.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(db):
    with open_store(db) as s:
        yield s


def test_same_article_twice_is_one_record(store):
    art = _article("The mayor spoke on Monday.", title="Mayor speaks", outlet="Daily")
    assert store.add_article(art) is True
    assert store.add_article(art) is False
    assert store.count_articles() == 1


def test_reanalysis_replaces_the_old_analysis(store):
    art = _article("The mayor spoke on Monday.")
    first = Analysis(article=art, pipeline_version="0.1.0+aaa")
    store.save_analysis(first)
    second = Analysis(article=art, pipeline_version="0.1.0+bbb", sentences=[Span.of(art.text, 0, 9)])
    store.save_analysis(second)
    got = store.get_analysis(art.id)
    assert got.pipeline_version == "0.1.0+bbb"
    assert got.sentences[0].text == "The mayor"
    assert store.analysed_version(art.id) == "0.1.0+bbb"
    assert len(list(store.iter_analyses())) == 1


def test_failed_save_leaves_the_previous_analysis(store, monkeypatch):
    art = _article("Text that will be analysed twice.")
    store.save_analysis(Analysis(article=art, pipeline_version="v1"))

    broken = Analysis(article=art, pipeline_version="v2")
    monkeypatch.setattr(Analysis, "model_dump_json", lambda self, **kw: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        store.save_analysis(broken)
    monkeypatch.undo()
    assert store.analysed_version(art.id) == "v1"


def test_listing_filters_and_paginates(store):
    for i, outlet in enumerate(["A", "B", "A"]):
        store.add_article(_article(f"Article number {i} about Kyiv.", outlet=outlet, published=f"2023-12-0{i + 1}"))
    assert [r.outlet for r in store.list_articles(ArticleFilter(outlet="A"))] == ["A", "A"]
    assert store.count_articles(ArticleFilter(search="number 1")) == 1
    page = store.list_articles(limit=2, offset=2)
    assert len(page) == 1
    newest = store.list_articles(limit=1)[0]
    assert newest.published == "2023-12-03" and newest.analysed is False


def test_search_takes_words_anywhere_quoted_phrases_either_apostrophe_and_literal_wildcards(store):
    store.add_article(_article("Kovalenko spoke. Later, Lomov's aide denied it at 100%.", outlet="C"))
    store.add_article(_article("Nobody else was quoted.", outlet="D"))
    assert store.count_articles(ArticleFilter(search="Lomov's Kovalenko")) == 1
    assert store.count_articles(ArticleFilter(search='"Kovalenko spoke"')) == 1
    assert store.count_articles(ArticleFilter(search='"Kovalenko denied"')) == 0
    assert store.count_articles(ArticleFilter(search="Lomov’s")) == 1
    assert store.count_articles(ArticleFilter(search="%")) == 1 and store.count_articles(ArticleFilter(search="_")) == 0


# (v11) Invented articles for the trigram index: titles and texts where a term is a substring across words,
# differs in ASCII case or apostrophe, holds % or _, is spelled with a long s (ſ), which the index folds
# to s and the LIKE scan does not, or has all its trigrams apart ("stops": sto, top in stop; ops in tops).
SEARCHED = [
    ("Harbour reopens", "Mayor Ana Petrenko's office said the ferry resumes at 50% capacity."),
    ("Ferry strike", "Dockers in Rivna walked out; the port_fee rose. PETRENKO declined to comment."),
    ("The ſtate of the harbour", "An old spelling: the ſtate harbour master is in Rivna."),
    (None, "No title here, only the text: ferry, ferry, ferry. Ana Petrenko’s deputy spoke."),
    ("Ab", "ab ab Xy"),
    ("Convoy", "The convoy had to stop; the tanker tops up fuel."),
]
SEARCHES = ["petrenko", "Petrenko's", "Petrenko’s", '"ana petrenko"', '"ferry resumes"', "ferry rivna", "50%",
            "5%", "port_fee", "port fee", "_", "state", "ſtate", "ab", "ab xy", "harbour ab", "rivna harbour ſtate",
            '"the ferry"', "x", "no such words", 'say "ferry" again', "stops", '"tops up"', "convoy stop"]


def _scan(search: str) -> set[str]:
    """Ids of the SEARCHED articles holding every term (ASCII case folded, either apostrophe), in Python."""
    from narrascope.store.sql import _TERMS

    found = set()
    for title, text in SEARCHED:
        fields = f"{title or ''}\n{text}".lower()
        if all(any(v.lower() in fields for v in (t, t.replace("'", "’"), t.replace("’", "'")))
               for t in (p or w for p, w in _TERMS.findall(search))):
            found.add(Article.make_id(text))
    return found


def _search_store(store) -> None:
    for title, text in SEARCHED:
        store.add_article(_article(text, title=title, outlet="Daily"))


def test_indexed_search_finds_what_a_scan_finds(store):
    _search_store(store)
    assert store.text_indexed
    for search in SEARCHES:
        listed = {r.id for r in store.list_articles(ArticleFilter(search=search))}
        assert listed == _scan(search), search
        assert store.count_articles(ArticleFilter(search=search)) == len(listed), search
    assert _scan("state") == _scan("stops") == set() and len(_scan("ferry")) == 3  # the texts test what they should


def test_search_folds_case_beyond_ascii(store):
    """SQLite's LIKE folds ASCII only: "МОСТИ" and "мости" did not find "Мости відкриють" (Ukrainian), nor
    "ÉLYSÉE" "Élysée", for all that the trigram index had found the article."""
    store.add_article(_article("Мости відкриють у пʼятницю, заявив мер.", title="Мости відкриють"))
    store.add_article(_article("Talks at the Élysée ended late.", title="Paris talks"))
    store.add_article(_article("Nothing to see here, officials said.", title="Other"))
    for search in ("Мости", "мости", "МОСТИ", "мОсТи ВІДКРИЮТЬ", '"мости відкриють"'):
        assert [r.title for r in store.list_articles(ArticleFilter(search=search))] == ["Мости відкриють"], search
    for search in ("élysée", "ÉLYSÉE", "élysée talks"):
        assert [r.title for r in store.list_articles(ArticleFilter(search=search))] == ["Paris talks"], search
    assert store.count_articles(ArticleFilter(search="МОСТИ talks")) == 0


def _plan(store, search: str) -> str:
    """The database's plan of counting the articles matching ``search`` (PostgreSQL: without sequential scans,
    which a table of a few rows would rather use)."""
    from sqlalchemy import func, select

    from narrascope.store.sql import articles

    query = store._where(select(func.count()).select_from(articles), ArticleFilter(search=search))
    compiled = query.compile(store.engine)
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            params = tuple(compiled.params[k] for k in compiled.positiontup)
            return "\n".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), params))
        conn.exec_driver_sql("SET enable_seqscan = off")
        return "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params))


def test_search_reads_the_trigram_index(store):
    _search_store(store)
    if store.engine.dialect.name == "sqlite":
        assert "SCAN search_text VIRTUAL TABLE" in _plan(store, "petrenko ab")
        assert "search_text" not in _plan(store, "ab")  # a term under 3 characters: the scan
        # The index alone finds "stops" where its trigrams stand apart; the LIKE test leaves that article out.
        assert _fts_ids(store, "stops") == {Article.make_id(SEARCHED[-1][1])}
        assert store.count_articles(ArticleFilter(search="stops")) == 0
    else:
        plan = _plan(store, "petrenko ab")
        assert "ix_articles_title_trgm" in plan and "ix_articles_text_trgm" in plan
        with store.engine.connect() as conn:  # no pending list that each search would read through
            options = conn.exec_driver_sql("SELECT reloptions FROM pg_class WHERE relname IN "
                                           "('ix_articles_title_trgm', 'ix_articles_text_trgm')").scalars().all()
            assert options == [["fastupdate=off"]] * 2


def _fts_ids(store, term: str) -> set[str]:
    """Ids of the articles SQLite's trigram table finds holding every trigram of ``term`` (no LIKE test)."""
    from narrascope.store.sql import _all_trigrams

    with store.engine.connect() as conn:
        return set(conn.exec_driver_sql(
            "SELECT r.article_id FROM search_text JOIN search_rows r ON r.id = search_text.rowid "
            "WHERE search_text MATCH ?", (_all_trigrams(term),)).scalars())


def test_search_index_follows_saves_retitles_and_deletions(db):
    art = _article("Dockers in Rivna walked out.", title="Port strike", outlet="Daily")
    with open_store(db) as store:
        store.save_analysis(Analysis(article=art, pipeline_version="v1"))
        store.save_analysis(Analysis(article=art.model_copy(update={"title": "Dock walkout"}), pipeline_version="v2"))
        assert store.count_articles(ArticleFilter(search="walkout rivna")) == 1
        assert store.count_articles(ArticleFilter(search="strike")) == 0
        if store.engine.dialect.name == "sqlite":
            assert _fts_ids(store, "walkout") == {art.id} and _fts_ids(store, "strike") == set()
            assert _fts_ids(store, "ſtrike") == set()
        other = _article("Ferries resume in Rivna.", title="Ferries")
        store.add_article(other)
        assert store.delete_article(art.id)
        assert {r.id for r in store.list_articles(ArticleFilter(search="rivna"))} == {other.id}
        if store.engine.dialect.name == "sqlite":
            assert _fts_ids(store, "rivna") == {other.id}
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT article_id FROM search_rows").scalars().all() == [other.id]
                # FTS5's own check that its index is consistent (a contentless row deleted with wrong values is not)
                conn.exec_driver_sql("INSERT INTO search_text (search_text, rank) VALUES ('integrity-check', 1)")


def test_a_v10_store_gets_its_text_index_built(db):
    from sqlalchemy import text

    with open_store(db) as old:
        _search_store(old)
        with old.engine.begin() as conn:
            if old.engine.dialect.name == "sqlite":
                for trigger in ("insert", "update", "delete"):
                    conn.execute(text(f"DROP TRIGGER search_articles_{trigger}"))
                conn.execute(text("DROP TABLE search_text"))
                conn.execute(text("DROP TABLE search_rows"))
            else:
                conn.execute(text("DROP INDEX ix_articles_title_trgm, ix_articles_text_trgm"))
                conn.execute(text("DROP EXTENSION pg_trgm"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version >= 11"))
    with open_store(db) as new:
        assert new.text_indexed
        assert {r.id for r in new.list_articles(ArticleFilter(search="ferry rivna"))} == _scan("ferry rivna")
        if new.engine.dialect.name == "sqlite":
            assert _fts_ids(new, "petrenko") == _scan("petrenko")
        assert "trgm" in _plan(new, "petrenko") or "search_text" in _plan(new, "petrenko")
        with new.engine.connect() as conn:
            assert conn.exec_driver_sql("select max(version) from schema_migrations").scalar() == SCHEMA_VERSION


def test_without_fts5_trigram_the_search_scans_and_the_index_is_built_once_possible(tmp_path, monkeypatch):
    """An SQLite too old for the trigram tokenizer: the store opens and searches by scan; reopened with one
    that has it, the store builds the index over the articles stored meanwhile."""
    from narrascope.store import sql

    monkeypatch.setattr(sql, "_SQLITE_TRIGRAM", (99, 0))
    with open_store(tmp_path / "n.db") as old:
        assert not old.text_indexed
        _search_store(old)
        assert {r.id for r in old.list_articles(ArticleFilter(search="petrenko"))} == _scan("petrenko")
        assert "search_text" not in _plan(old, "petrenko")
    monkeypatch.undo()
    with open_store(tmp_path / "n.db") as new:
        assert new.text_indexed
        assert _fts_ids(new, "petrenko") == _scan("petrenko")


def test_until_takes_in_the_whole_day(store):
    store.add_article(_article("Published in the morning.", published="2024-01-15T10:00:00Z"))
    store.add_article(_article("Published the next day.", published="2024-01-16"))
    assert [r.published for r in store.list_articles(ArticleFilter(since="2024-01-15", until="2024-01-15"))] == [
        "2024-01-15T10:00:00Z"]
    assert store.count_articles(ArticleFilter(until="2024-01-16")) == 2


def test_outlets_are_the_distinct_stored_names(store):
    """As the home page's menu listed them from every row: analysed or not, as stored, no blank ones."""
    for i, outlet in enumerate(["b Post", "A Daily", "b Post", None, "", "Zeta"]):
        store.add_article(_article(f"Outlet test article {i}.", outlet=outlet))
    store.save_analysis(Analysis(article=_article("An analysed one.", outlet="c Times"), pipeline_version="v1"))
    assert store.outlets() == ["A Daily", "b Post", "c Times", "Zeta"]


def test_analysed_since_is_the_save_time_range(store):
    first = _article("Analysed first.", published="2023-12-01")
    store.add_article(_article("Never analysed."))
    store.save_analysis(Analysis(article=first, pipeline_version="v1"))
    (row,) = store.analysed_since()
    assert (row.id, row.published) == (first.id, "2023-12-01")
    assert store.analysed_since(row.analysed_at) == [row]
    assert store.analysed_since("9999") == []
    second = _article("Analysed second.")
    store.save_analysis(Analysis(article=second, pipeline_version="v1"))
    assert {r.id for r in store.analysed_since(row.analysed_at)} == {first.id, second.id}  # same second, or later


def test_long_untrusted_names_are_stored(store):
    art = _article("A long-named outlet quoted a long-named body.", outlet="O" * 600)
    body = Entity(id="b" * 400, name="B" * 400, type="ORG" * 20)
    store.save_analysis(Analysis(article=art, pipeline_version="v1", entities=[body]))
    assert store.list_articles()[0].outlet == "O" * 600
    assert store.list_actors()[0].entity_id == "b" * 400


def test_id_prefix_resolution(store):
    art = _article("Unique text for the prefix test.")
    store.add_article(art)
    assert store.resolve_id(art.id[:6]) == art.id
    assert store.resolve_id("zzzz") is None


def test_an_unresolved_id_says_whether_it_is_unknown_or_ambiguous(store):
    """The API and the pages said "no article" for a prefix several ids share; the CLI said it was ambiguous."""
    arts = [_article(f"Ambiguity test {n}.") for n in range(40)]
    for art in arts:
        store.add_article(art)
    ids = sorted(a.id for a in arts)
    prefix = next(i[0] for i in ids if sum(j.startswith(i[0]) for j in ids) >= 3)  # 40 ids, 16 first characters
    shared = [i for i in ids if i.startswith(prefix)]
    assert store.ids_with_prefix(prefix) == shared and store.ids_with_prefix(prefix, 2) == shared[:2]
    assert store.unresolved_id(prefix, shown=2) == (
        f"the id prefix {prefix!r} is ambiguous: {shared[0]}, {shared[1]} and {len(shared) - 2} more; type more of it")
    assert store.unresolved_id("zzzz") == "no stored article with id 'zzzz'"


def test_migrations_are_recorded_and_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "n.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        versions = [v for (v,) in conn.execute("select version from schema_migrations")]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        conn.execute("insert into schema_migrations values (?, 'later')", (SCHEMA_VERSION + 1,))
    with pytest.raises(RuntimeError, match="newer"):
        open_store(path)


def test_store_survives_reopen(db):
    art = _article("Persisted across processes.")
    with open_store(db) as s:
        s.save_analysis(Analysis(article=art, pipeline_version="v1"))
    with open_store(db) as s:
        assert s.get_article(art.id).text == art.text
        assert s.get_analysis(art.id).article.id == art.id


# --- indexed corpus queries ----------------------------------------------------------------------

MAYOR_TEXT = 'Mayor Ana Petrenko said the bridge "will reopen in May". Officials in Rivna disagreed.'


def _analysed(text: str, *, outlet: str, published: str | None, narrative: str | None = None,
              version: str = "v1", quoted: bool = True) -> Analysis:
    """An invented analysis with one actor (quoted or not), one narrative, a role and a technique."""
    art = _article(text, outlet=outlet, published=published, title=f"{outlet} story")
    start = text.index("Ana Petrenko")
    name = Mention.of(text, start, start + len("Ana Petrenko"))
    mayor = Entity(id="ana-petrenko", name="Ana Petrenko", type="PERSON", mentions=[name, name])
    content_start = text.index('"will')
    quotes = [Quote(id="q1", content=Span.of(text, content_start, content_start + 20), kind="direct",
                    speaker=Span.of(text, name.start, name.end), speaker_name="Ana Petrenko",
                    speaker_entity="ana-petrenko", sourcing=Sourcing(kind="named"))] if quoted else []
    narratives = [NarrativeLabel(label=narrative, narrative=narrative, confidence=0.8)] if narrative else []
    return Analysis(
        article=art, pipeline_version=version, entities=[mayor], quotes=quotes, narratives=narratives,
        roles=[RoleLabel(mention=Span.of(text, name.start, name.end), entity_id="ana-petrenko",
                         main_role="Protagonist", fine_roles=["Guardian"], confidence=0.7)],
        techniques=[TechniqueSpan(span=Span.of(text, 0, 5), technique="Loaded_Language", confidence=0.6)],
    )


@pytest.fixture
def corpus(store):
    store.save_analysis(_analysed(MAYOR_TEXT, outlet="Daily", published="2023-11-28", narrative="URW: Blaming"))
    store.save_analysis(_analysed(MAYOR_TEXT + " More.", outlet="Daily", published="2023-12-01",
                                  narrative="URW: Blaming"))
    store.save_analysis(_analysed(MAYOR_TEXT + " Other.", outlet="Herald", published=None, quoted=False,
                                  narrative="URW: Praise"))
    return store


def test_actors_are_counted_across_articles(corpus):
    (actor,) = corpus.list_actors()
    assert (actor.entity_id, actor.name, actor.type) == ("ana-petrenko", "Ana Petrenko", "PERSON")
    assert (actor.n_articles, actor.n_mentions, actor.n_quotes) == (3, 6, 2)
    assert corpus.list_actors(search="petr")[0].entity_id == "ana-petrenko"
    assert corpus.list_actors(search="nobody") == []
    assert corpus.list_actors(offset=1) == []


def test_quotes_come_with_their_article_and_exact_text(corpus):
    rows = corpus.list_quotes(speaker_entity="ana-petrenko")
    assert [r.published for r in rows] == ["2023-12-01", "2023-11-28"]
    row = rows[0]
    assert (row.outlet, row.title, row.sourcing_kind, row.kind) == ("Daily", "Daily story", "named", "direct")
    text = corpus.get_article(row.article_id).text
    assert row.text == text[row.start:row.end] == '"will reopen in May"'
    assert len(corpus.list_quotes(article_ids=[row.article_id])) == 1
    assert corpus.list_quotes(sourcing_kind="anonymous") == []
    assert len(corpus.list_quotes(limit=1)) == 1


def test_label_counts_overall_by_outlet_and_by_week(corpus):
    assert corpus.label_counts("narrative") == [
        {"label": "URW: Blaming", "n_articles": 2, "n": 2},
        {"label": "URW: Praise", "n_articles": 1, "n": 1},
    ]
    by_outlet = corpus.label_counts("narrative", by="outlet")
    assert {(r["outlet"], r["label"], r["n_articles"]) for r in by_outlet} == {
        ("Daily", "URW: Blaming", 2), ("Herald", "URW: Praise", 1)}
    by_week = corpus.label_counts("narrative", by="week")
    assert [(r["week"], r["n_articles"]) for r in by_week] == [("2023-W48", 2), ("undated", 1)]
    roles = {r["label"]: r["n"] for r in corpus.label_counts("role")}
    assert roles == {"Protagonist": 3, "Guardian": 3}
    assert corpus.label_counts("technique")[0]["n_articles"] == 3
    with pytest.raises(ValueError, match="kind must be one of"):
        corpus.label_counts("narratives", by="month")


def test_subnarratives_also_count_for_their_narrative(store):
    art = _article("An invented article about sanctions.", outlet="Daily", published="2024-01-02")
    parent = "URW: Discrediting the West"
    subs = [NarrativeLabel(label=f"{parent}: {sub}", narrative=parent, subnarrative=sub, confidence=conf)
            for sub, conf in (("The West is weak", 0.6), ("Sanctions backfire", 0.9))]
    store.save_analysis(Analysis(article=art, pipeline_version="v1", narratives=subs))
    assert store.label_counts("narrative") == [{"label": parent, "n_articles": 1, "n": 1}]
    assert [r["label"] for r in store.label_counts("subnarrative")] == sorted(s.label for s in subs)
    assert store.count_articles(ArticleFilter(narrative=parent)) == 1
    assert store.count_articles(ArticleFilter(narrative=subs[1].label)) == 1


def test_articles_filter_by_actor_and_narrative(corpus):
    assert corpus.count_articles(ArticleFilter(actor="ana-petrenko")) == 3
    assert corpus.count_articles(ArticleFilter(actor="someone-else")) == 0
    (row,) = corpus.list_articles(ArticleFilter(narrative="URW: Praise"))
    assert row.outlet == "Herald"
    assert corpus.count_articles(ArticleFilter(narrative="URW: Blaming", outlet="Daily")) == 2


def test_reanalysis_and_deletion_replace_the_index_rows(corpus):
    art_id = _analysed(MAYOR_TEXT, outlet="Daily", published="2023-11-28").article.id
    corpus.save_analysis(_analysed(MAYOR_TEXT, outlet="Daily", published="2023-11-28", quoted=False,
                                   narrative="URW: Praise", version="v2"))
    assert corpus.list_quotes(article_ids=[art_id]) == []
    assert {r["label"]: r["n_articles"] for r in corpus.label_counts("narrative")} == {
        "URW: Blaming": 1, "URW: Praise": 2}
    assert corpus.delete_article(art_id)
    assert corpus.list_actors()[0].n_articles == 2
    assert corpus.ids_analysed_with("v2") == set()
    assert len(corpus.ids_analysed_with("v1")) == 2


def test_a_v1_database_is_migrated_and_its_index_backfilled(db, monkeypatch):
    """Create a schema-v1 store with the v1 code path, save an analysis, reopen with the current code."""
    from sqlalchemy import inspect

    from narrascope.store import sql

    monkeypatch.setattr(sql, "MIGRATIONS", sql.MIGRATIONS[:1])
    monkeypatch.setattr(sql, "SCHEMA_VERSION", 1)
    monkeypatch.setattr(sql, "_reindex", lambda conn, article_id, analysis, *change: None)  # v1: no index tables
    monkeypatch.setattr(sql, "_count_in", lambda conn, analysis, into: None)  # nor rollups
    monkeypatch.setattr(sql, "_take_back", lambda conn, article_id, into: False)
    with open_store(db) as old:
        old.save_analysis(_analysed(MAYOR_TEXT, outlet="Daily", published="2023-11-28", narrative="URW: Blaming"))
        assert "quotes" not in inspect(old.engine).get_table_names()
        if old.engine.dialect.name == "postgresql":  # v1 declared the outlet VARCHAR(255)
            with old.engine.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE articles ALTER COLUMN outlet TYPE VARCHAR(255)")
    monkeypatch.undo()
    with open_store(db) as new:
        assert new.list_actors()[0].n_quotes == 1
        assert new.label_counts("narrative")[0]["label"] == "URW: Blaming"
        new.add_article(_article("A much longer outlet name.", outlet="O" * 300))
        with new.engine.connect() as conn:
            assert conn.exec_driver_sql("select max(version) from schema_migrations").scalar() == SCHEMA_VERSION


# --- the indexed views equal the streaming ones ----------------------------------------------------


def _copy(base: Analysis, n: int, **changes) -> Analysis:
    """``base`` as another article (a line appended, so every span stays valid), with ``changes`` applied
    to the article (outlet, published) or the analysis (quotes, narratives)."""
    text = f"{base.article.text}\n\nCopy {n}."
    fields = {k: changes.pop(k) for k in ("outlet", "published") if k in changes}
    article = base.article.model_copy(update={"id": Article.make_id(text), "text": text, **fields})
    return base.model_copy(update={"article": article, **changes})


def _varied_corpus() -> list[Analysis]:
    """The corpus fixtures plus copies that exercise every grouping rule of the streaming views: outlet
    spellings and missing outlets, undated and malformed dates, sub-narratives next to a narrative given
    directly and a label given twice, speakers known only by name, by a missing entity or by a pronoun."""
    from corpus_fixtures import article_a, article_b, article_c, article_d, article_e

    a, b, c, d, e = (make() for make in (article_a, article_b, article_c, article_d, article_e))
    parent = "URW: Discrediting the West, Diplomacy"
    subs = [NarrativeLabel(label=f"{parent}: {sub}", narrative=parent, subnarrative=sub, confidence=0.7)
            for sub in ("The West is weak", "The West does not care about Ukraine")]
    unresolved = [a.quotes[0].model_copy(update={"speaker_entity": None}),
                  a.quotes[1].model_copy(update={"speaker_entity": "not-in-this-article"}),
                  a.quotes[2].model_copy(update={"speaker_entity": None, "speaker_name": "they", "speaker": None}),
                  *a.quotes[3:]]
    return [
        a, b, c, d, e,
        _copy(a, 1, outlet=" Kyiv Ledger ", published=None),
        _copy(b, 2, outlet=None, published="2024-01-15T10:00:00Z"),
        _copy(c, 3, outlet="Odesa Wire", published="not a date",
              narratives=[*subs, NarrativeLabel(label=parent, narrative=parent, confidence=0.5)]),
        _copy(a, 4, outlet="Odesa Wire", quotes=unresolved, narratives=[*a.narratives, *a.narratives]),
        _copy(d, 5, outlet="", published="2023-12-02"),
        # In another language: the English-only components were skipped, so nothing was classified.
        _copy(c, 6, outlet="Frontline Realist", components=["extract_html", "clean", "language"], sentences=[],
              entities=[], quotes=[], claims=[], narratives=[], roles=[], techniques=[]),
    ]


@pytest.fixture
def varied(store):
    for analysis in _varied_corpus():
        store.save_analysis(analysis)
    return store


def test_indexed_dashboard_equals_the_streaming_one(varied):
    from narrascope.server.viewdata import dashboard_from_store, dashboard_view

    indexed = dashboard_from_store(varied)
    assert indexed == dashboard_view(varied.iter_analyses())
    # Two articles have no outlet: in the totals, in no outlet's row, and no outlet themselves.
    assert indexed["n_articles"] == 11 and indexed["outlets"] == ["Kyiv Ledger", "Frontline Realist", "Odesa Wire"]
    assert indexed["n_classified"] == {"narratives": 10, "techniques": 10}
    assert indexed["classified_by_outlet"]["Frontline Realist"] == {"narratives": 2, "techniques": 2}
    assert indexed["n_outlets"] == 3 and indexed["sourcing_by_outlet"].keys() == set(indexed["outlets"])
    assert all(set(t["outlets"]) <= set(indexed["outlets"]) for t in indexed["top_actors"])
    assert {"name:olena marchenko", "olena-marchenko"} <= {t["key"] for t in indexed["top_actors"]}


def test_articles_without_an_outlet_are_null_in_grouped_counts(varied):
    by_outlet = {r["outlet"]: r for r in varied.article_counts("outlet")}
    assert set(by_outlet) == {"Kyiv Ledger", "Frontline Realist", "Odesa Wire", None}
    assert by_outlet[None]["n_articles"] == 2 and list(by_outlet)[-1] is None  # no outlet sorts last
    assert None in {r["outlet"] for r in varied.label_counts("subnarrative", "outlet", direct=True)}
    assert None in {r["outlet"] for r in varied.label_counts("role", "outlet")}
    assert None in {r["outlet"] for r in varied.sourcing_counts("outlet")}
    assert "(unknown outlet)" not in {o for s in varied.top_speakers() for o in s.outlets}
    rows = varied.actor_outlets("olena-marchenko")
    assert None in {r.outlet for r in rows} and rows[-1].outlet is None


def test_classified_counts_leave_out_what_the_classifiers_skipped(varied):
    from narrascope.corpus.prevalence import prevalence

    streamed = {g.key: g for g in prevalence(varied.iter_analyses()).by_outlet}
    rows = varied.classified_counts("outlet")
    assert {(r["outlet"], r["layer"]): (r["n_articles"], r["n_words"]) for r in rows} == {
        (key, layer): (c.articles, c.words) for key, g in streamed.items() for layer, c in g.classified.items()}
    realist = streamed["Frontline Realist"]
    assert realist.n_articles == 3 and realist.classified["narratives"].articles == 2
    assert {r["layer"]: r["n_articles"] for r in varied.classified_counts()} == {"narratives": 10, "techniques": 10}


def test_indexed_dashboard_of_an_empty_store(store):
    from narrascope.server.viewdata import dashboard_from_store, dashboard_view

    assert dashboard_from_store(store) == dashboard_view([])


@pytest.mark.parametrize("key", ["olena-marchenko", "name:olena marchenko", "taras-bondar", "iryna-kovalenko"])
def test_actor_page_counts_from_the_index_equal_the_streaming_profile(varied, key):
    from narrascope.server.service import actor_page
    from narrascope.server.viewdata import actor_view

    streamed = actor_view(varied.iter_analyses(), key)
    whole = actor_page(varied, key)
    assert whole.pop("page")["has_more"] is False
    assert whole == streamed
    first = actor_page(varied, key, limit=1)
    counted = ("n_articles", "n_mentions", "n_quotes", "date_from", "date_to", "by_outlet", "narratives")
    assert {k: first[k] for k in counted} == {k: streamed[k] for k in counted}
    assert first["page"] == {"offset": 0, "limit": 1, "n_read": 1, "has_more": streamed["n_articles"] > 1}
    assert len(first["articles"]) == 1


def test_actor_filter_matches_mentions_and_named_speakers(varied):
    assert varied.count_articles(ArticleFilter(actor="olena-marchenko")) == 6  # A, B, E and copies 1, 2, 4
    assert varied.count_articles(ArticleFilter(actor="name:olena marchenko")) == 6  # by the entity's name
    assert varied.count_articles(ArticleFilter(actor="name:they")) == 0  # a pronoun is nobody
    assert varied.count_articles(ArticleFilter(actor="name:sources in kyiv")) == 0  # unnamed sources never merge
    assert varied.actor_outlets("nobody") == []


def test_a_v3_index_is_rebuilt_with_the_v4_columns(db):
    """A store whose index predates v4 (no actor keys, no claims) gets it rebuilt from the analyses
    (and its rollups, v5, summed)."""
    from sqlalchemy import text

    from corpus_fixtures import article_a

    with open_store(db) as old:
        old.save_analysis(article_a())
        with old.engine.begin() as conn:
            for table in ("claims", "labels", "quotes", "entities", "rollups", "speakers", "speaker_outlets",
                          "rollup_shares"):
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text("CREATE TABLE entities (article_id VARCHAR(32), entity_id TEXT, name TEXT)"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version >= 4"))
    with open_store(db) as new:
        assert new.list_quotes(speaker_entity="olena-marchenko")[0].speaker_name == "Olena Marchenko"
        assert new.count_articles(ArticleFilter(actor="name:olena marchenko")) == 1
        assert new.actor_outlets("olena-marchenko")[0].n_quotes == 2


def test_a_replaced_analysis_is_taken_back_as_it_was_counted(varied):
    """What an analysis added is stored with it: replacing one this code can no longer read (or would
    count differently) still takes back exactly what it added."""
    from sqlalchemy import text

    from narrascope.server.viewdata import dashboard_from_store, dashboard_view

    first = next(varied.iter_analyses())
    with varied.engine.begin() as conn:
        conn.execute(text("UPDATE analyses SET analysis_json = '{\"unreadable\": 1}' WHERE article_id = :id"),
                     {"id": first.article.id})
    varied.save_analysis(first.model_copy(update={"narratives": [], "quotes": first.quotes[:1]}))
    assert dashboard_from_store(varied) == dashboard_view(varied.iter_analyses())


def test_a_v4_store_gets_its_rollups_summed_from_the_analyses(db):
    from sqlalchemy import text

    from corpus_fixtures import article_a, article_b

    with open_store(db) as old:
        old.save_analysis(article_a())
        old.save_analysis(article_b())
        with old.engine.begin() as conn:
            for table in ("rollups", "speakers", "speaker_outlets", "rollup_shares"):
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version >= 5"))
    with open_store(db) as new:
        assert [(s.key, s.n_quotes, s.n_articles) for s in new.top_speakers(2)] == [
            ("olena-marchenko", 3, 2), ("taras-bondar", 2, 1)]
        assert sum(r["n"] for r in new.sourcing_counts()) == 7
        assert [r["n_articles"] for r in new.article_counts()] == [2]


def test_rollups_follow_reanalysis_metadata_changes_and_deletion(varied):
    """Every write keeps the rollups equal to the streaming sums: replace, re-date, move, delete."""
    from narrascope.server.viewdata import dashboard_from_store, dashboard_view

    first, second, *_ = list(varied.iter_analyses())
    varied.save_analysis(first.model_copy(update={"narratives": [], "techniques": first.techniques[:1]}))
    varied.add_article(second.article.model_copy(update={"outlet": "Elsewhere", "published": "2020-01-01"}))
    varied.delete_article(_copy(second, 99).article.id)  # not stored: nothing changes
    assert dashboard_from_store(varied) == dashboard_view(varied.iter_analyses())
    varied.delete_article(first.article.id)
    assert dashboard_from_store(varied) == dashboard_view(varied.iter_analyses())


@pytest.mark.parametrize("by", [None, "outlet", "week"])
def test_label_counts_from_rollups_equal_the_index(varied, by):
    """Techniques and labels as given are answered from the rollups; the index gives the same numbers."""
    for kind in ("narrative", "subnarrative", "technique"):
        assert varied._rollup_totals(kind, by) == varied._label_totals(kind, by, kind != "technique", None)


# --- the actor rollup (v8) equals the index it sums ------------------------------------------------

# What list_actors ran before the rollups: every entity row of the corpus grouped on each request, and
# (v10) every quote of a speaker known only by name, named as a source at least once and no entity's
# name. The rollups must answer exactly this (same database, so the same collation orders names and ids).
_ACTORS_FROM_INDEX = """
SELECT * FROM (
    SELECT e.entity_id AS actor, min(e.name) AS name, min(e.type) AS type, count(*) AS n_articles,
           sum(e.n_mentions) AS n_mentions, coalesce(max(q.n), 0) AS n_quotes
    FROM entities e LEFT JOIN (SELECT speaker_entity AS entity_id, count(*) AS n FROM quotes
                               WHERE speaker_entity IS NOT NULL GROUP BY speaker_entity) q ON q.entity_id = e.entity_id
    GROUP BY e.entity_id
    UNION ALL
    SELECT q.actor_key, (SELECT f.actor_name FROM quotes f WHERE f.actor_key = q.actor_key
                         ORDER BY f.article_id, f.position LIMIT 1), NULL, count(DISTINCT q.article_id), 0, count(*)
    FROM quotes q
    WHERE q.actor_key LIKE 'name:%' AND q.actor_key NOT IN (SELECT name_key FROM entities)
    GROUP BY q.actor_key HAVING sum(CASE WHEN q.sourcing_kind = 'named' THEN 1 ELSE 0 END) > 0
) listed ORDER BY n_articles DESC, n_mentions DESC, actor
"""


def _assert_actor_rollup_is_the_index(store) -> None:
    """The rollup tables hold the sums of the index rows (also the rows the list hides: a speaker no
    article mentions, and no row left at zero), and list_actors pages through the grouped index."""
    from collections import defaultdict

    from sqlalchemy import text

    with store.engine.connect() as conn:
        expected = [tuple(r) for r in conn.execute(text(_ACTORS_FROM_INDEX))]
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for key, n, mentions in conn.execute(text("SELECT entity_id, count(*), sum(n_mentions) FROM entities "
                                                  "GROUP BY entity_id")):
            totals[key][:2] = [n, mentions]
        for key, n in conn.execute(text("SELECT speaker_entity, count(*) FROM quotes "
                                        "WHERE speaker_entity IS NOT NULL GROUP BY speaker_entity")):
            totals[key][2] = n
        names = {tuple(r[:3]): r[3] for r in conn.execute(
            text("SELECT entity_id, name, type, count(*) FROM entities GROUP BY entity_id, name, type"))}
        assert {r[0]: list(r[1:]) for r in conn.execute(text(
            "SELECT entity_id, n_articles, n_mentions, n_quotes FROM actor_totals"))} == totals
        assert {tuple(r[:3]): r[3] for r in conn.execute(text(
            "SELECT entity_id, name, type, n_articles FROM actor_names"))} == names
        assert {r[0]: tuple(r[1:]) for r in conn.execute(text(
            "SELECT actor_key, n_articles, n_quotes, n_named, n_mentions FROM name_speakers"))} == {
            r[0]: tuple(r[1:]) for r in conn.execute(text(
                "SELECT actor_key, count(DISTINCT article_id), count(*), "
                "sum(CASE WHEN sourcing_kind = 'named' THEN 1 ELSE 0 END), 0 FROM quotes "
                "WHERE actor_key LIKE 'name:%' GROUP BY actor_key"))}
    listed = store.list_actors(limit=10_000)
    assert [(r.key, r.name, r.type, r.n_articles, r.n_mentions, r.n_quotes) for r in listed] == expected
    assert all(r.entity_id == (None if r.key.startswith("name:") else r.key) for r in listed)
    for offset in range(len(expected)):  # every page boundary, also between an entity and a speaker
        assert [r.key for r in store.list_actors(limit=2, offset=offset)] == [r[0] for r in expected[offset:offset + 2]]


def _renamed(analysis: Analysis, entity_id: str, name: str, type_: str) -> Analysis:
    """The analysis with one entity given another name and type (a variant the list must pick from)."""
    entities = [e.model_copy(update={"name": name, "type": type_}) if e.id == entity_id else e
                for e in analysis.entities]
    return analysis.model_copy(update={"entities": entities})


def test_actor_rollup_follows_saves_replacements_and_deletions(varied):
    _assert_actor_rollup_is_the_index(varied)
    first, second, third, *_ = list(varied.iter_analyses())
    marchenko = next(e.id for e in first.entities)
    # a variant that sorts first becomes the name; replacing the analysis takes it back
    varied.save_analysis(_renamed(first, marchenko, "AAA Marchenko", "ORG"))
    _assert_actor_rollup_is_the_index(varied)
    assert next(r for r in varied.list_actors() if r.entity_id == marchenko).name == "AAA Marchenko"
    varied.save_analysis(first.model_copy(update={"entities": first.entities[1:], "quotes": first.quotes[:1]}))
    _assert_actor_rollup_is_the_index(varied)
    varied.save_analysis(first)  # back as it was
    varied.add_article(second.article.model_copy(update={"outlet": "Elsewhere"}))  # metadata only
    _assert_actor_rollup_is_the_index(varied)
    varied.delete_article(second.article.id)
    varied.delete_article(third.article.id)
    varied.delete_article(_copy(third, 99).article.id)  # not stored: nothing changes
    _assert_actor_rollup_is_the_index(varied)
    for analysis in list(varied.iter_analyses()):
        varied.delete_article(analysis.article.id)
    _assert_actor_rollup_is_the_index(varied)
    assert varied.list_actors() == []


def _quoted_by_name(text: str, *speakers: tuple[str, str], outlet: str = "Daily") -> Analysis:
    """An invented article whose quotes (one a speaker: ``(name, sourcing kind)``) have no entity; the
    mayor is the article's one entity."""
    analysis = _analysed(text, outlet=outlet, published="2024-03-01", quoted=False)
    start = text.index('"will')
    quotes = [Quote(id=f"q{i}", content=Span.of(text, start, start + 20), kind="direct", speaker_name=name,
                    sourcing=Sourcing(kind=kind)) for i, (name, kind) in enumerate(speakers)]
    return analysis.model_copy(update={"quotes": quotes})


def test_speakers_known_only_by_name_are_listed_after_the_entities(store):
    """A named speaker the actor layer made no entity of is in the list under the key its actor page
    takes, with its quotes and the articles quoting it; not an anonymous source, not a group alone, not
    a speaker whose name an entity has (listed under its id), and not once per spelling."""
    first = _quoted_by_name(MAYOR_TEXT, ("Brussels", "named"), ("the defence ministry in Moscow", "named"),
                            ("some of the President's allies", "group"), ("two sources", "anonymous"),
                            ("ana  PETRENKO", "named"))
    second = _quoted_by_name(MAYOR_TEXT + " Later.", ("BRUSSELS", "named"), ("Brussels", "group"),
                             ("<b>Anna</b> Lind", "named"))
    store.save_analysis(first)
    store.save_analysis(second)
    # The spelling of the first article by id, as top_speakers names a speaker.
    brussels = "Brussels" if first.article.id < second.article.id else "BRUSSELS"
    rows = [(r.key, r.entity_id, r.name, r.type, r.n_articles, r.n_mentions, r.n_quotes) for r in store.list_actors()]
    assert rows == [
        ("ana-petrenko", "ana-petrenko", "Ana Petrenko", "PERSON", 2, 4, 0),
        ("name:brussels", None, brussels, None, 2, 0, 3),  # its group quote counts, as on its actor page
        ("name:<b>anna</b> lind", None, "<b>Anna</b> Lind", None, 1, 0, 1),
        ("name:the defence ministry in moscow", None, "the defence ministry in Moscow", None, 1, 0, 1),
    ]
    assert [r.key for r in store.list_actors(limit=2, offset=1)] == ["name:brussels", "name:<b>anna</b> lind"]
    assert [r.key for r in store.list_actors(limit=1, offset=4)] == []
    for search in ("BRUSS", "name:brussels", "Brussels"):
        assert [r.key for r in store.list_actors(search)] == ["name:brussels"]
    assert [r.key for r in store.list_actors("ministry  in")] == ["name:the defence ministry in moscow"]
    assert store.list_actors("name") == store.list_actors("allies") == store.list_actors("sources") == []
    _assert_actor_rollup_is_the_index(store)
    # Its quotes gone (re-analysed), the speaker leaves the list; an entity of its name takes it off too.
    store.save_analysis(first.model_copy(update={"quotes": first.quotes[2:]}))
    moscow = Entity(id="defence-ministry", name="The defence ministry in Moscow", type="ORG",
                    mentions=first.entities[0].mentions)
    store.save_analysis(_quoted_by_name(MAYOR_TEXT + " Again.", ("the defence ministry in Moscow", "named"))
                        .model_copy(update={"entities": [moscow]}))
    assert [r.key for r in store.list_actors()] == ["ana-petrenko", "defence-ministry", "name:<b>anna</b> lind",
                                                    "name:brussels"]
    _assert_actor_rollup_is_the_index(store)
    for analysis in list(store.iter_analyses()):
        store.delete_article(analysis.article.id)
    _assert_actor_rollup_is_the_index(store)
    assert store.list_actors() == []


def test_a_v9_store_gets_its_speakers_known_only_by_name_summed(db):
    from sqlalchemy import text

    with open_store(db) as old:
        old.save_analysis(_quoted_by_name(MAYOR_TEXT, ("Brussels", "named"), ("the President's allies", "group")))
        with old.engine.begin() as conn:
            conn.execute(text("DROP TABLE name_speakers"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version >= 10"))
    with open_store(db) as new:
        _assert_actor_rollup_is_the_index(new)
        assert [r.key for r in new.list_actors()] == ["ana-petrenko", "name:brussels"]
        new.save_analysis(_quoted_by_name(MAYOR_TEXT + " More.", ("Brussels", "named")))  # kept up to date from there
        assert next(r for r in new.list_actors() if r.key == "name:brussels").n_articles == 2
        _assert_actor_rollup_is_the_index(new)


def test_actor_search_counts_the_whole_corpus(varied):
    """A search picks actors by id or by any of their names, and shows their totals, not the count of
    the matching rows; ``%`` and ``_`` are matched as themselves."""
    first = next(varied.iter_analyses())
    entity = first.entities[0]
    varied.save_analysis(_renamed(first, entity.id, "Zz_Variant 100%", entity.type))
    whole = next(r for r in varied.list_actors() if r.entity_id == entity.id)
    assert varied.list_actors(search="zz_variant 100%") == [whole]
    assert varied.list_actors(search=entity.id.upper())[0] == whole
    assert varied.list_actors(search="_") == varied.list_actors(search="%") == [whole]


def test_a_v8_store_gets_what_the_classifiers_processed_summed(db):
    """Before v9 neither the rollups nor the stored shares had ``classified``: the migration sums both anew,
    so a later replacement takes back what was added."""
    import json

    from sqlalchemy import text

    from narrascope.server.viewdata import dashboard_from_store, dashboard_view

    with open_store(db) as old:
        for analysis in _varied_corpus():
            old.save_analysis(analysis)
        with old.engine.begin() as conn:
            conn.execute(text("DELETE FROM rollups WHERE metric = 'classified'"))
            for article_id, shares in conn.execute(text("SELECT article_id, shares FROM rollup_shares")).all():
                data = json.loads(shares)
                data["rollups"] = [row for row in data["rollups"] if row[0] != "classified"]
                conn.execute(text("UPDATE rollup_shares SET shares = :s WHERE article_id = :id"),
                             {"s": json.dumps(data), "id": article_id})
            conn.execute(text("DELETE FROM schema_migrations WHERE version >= 9"))
    with open_store(db) as new:
        assert {r["layer"]: r["n_articles"] for r in new.classified_counts()} == {"narratives": 10, "techniques": 10}
        first = next(new.iter_analyses())
        new.save_analysis(first.model_copy(update={"components": ["clean"], "narratives": [], "techniques": []}))
        assert {r["layer"]: r["n_articles"] for r in new.classified_counts()} == {"narratives": 9, "techniques": 9}
        assert dashboard_from_store(new) == dashboard_view(new.iter_analyses())


def test_a_v7_store_gets_its_actor_rollup_summed_from_the_index(db):
    from sqlalchemy import text

    with open_store(db) as old:
        for analysis in _varied_corpus():
            old.save_analysis(analysis)
        first = next(old.iter_analyses())
        old.save_analysis(_renamed(first, first.entities[0].id, "A variant", "ORG"))
        with old.engine.begin() as conn:
            for table in ("actor_totals", "actor_names"):
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text("DELETE FROM schema_migrations WHERE version >= 8"))
    with open_store(db) as new:
        _assert_actor_rollup_is_the_index(new)
        assert len(new.list_actors()) >= 4
        new.delete_article(first.article.id)  # and it is kept up to date from there
        _assert_actor_rollup_is_the_index(new)


def _quoting(name: str, n: int) -> Analysis:
    """An invented article in which ``name`` (an entity) is quoted once."""
    base = _analysed(f"{MAYOR_TEXT} Note {n}.", outlet=f"Outlet {n % 2}", published=f"2024-01-0{n}")
    key = name.lower().replace(" ", "-")
    entity = base.entities[0].model_copy(update={"id": key, "name": name})
    quote = base.quotes[0].model_copy(update={"speaker_entity": key, "speaker_name": name})
    return base.model_copy(update={"entities": [entity], "quotes": [quote], "roles": []})


@pytest.mark.parametrize("limit", [1, 3, 5, 6, 7, 9])
def test_top_speakers_cut_through_ties_like_the_streaming_ranking(varied, limit):
    """Speakers tied with the last place are ranked by name like ``corpus.prevalence`` (the ties beyond
    ``limit`` get their names from one window query, the leaders from one query each)."""
    from narrascope.corpus.prevalence import prevalence

    for n, name in enumerate(("Zed Aalto", "Bea Corr", "Al Dunn", "Mo Egan"), start=1):  # 4 tied at 1 quote
        varied.save_analysis(_quoting(name, n))
    streamed = [(t.key, t.name, t.quotes, t.direct, t.articles, t.outlets)
                for t in prevalence(varied.iter_analyses()).top_speakers[:limit]]
    assert [(r.key, r.name, r.n_quotes, r.n_direct, r.n_articles, r.outlets)
            for r in varied.top_speakers(limit)] == streamed


# --- scale: batched saves, plans that do not grow with the store (schema v12) ------------------------


def _statements(store, call) -> list[tuple[str, object]]:
    """The SQL statements (and parameters) ``call`` sends to the database."""
    from sqlalchemy import event

    sent = []

    def grab(conn, cursor, statement, params, context, executemany):
        sent.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", grab)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", grab)
    return sent


def _query_plans(store, call) -> str:
    """The database's plans of the queries ``call`` makes (PostgreSQL: without sequential scans, which a
    table of a few rows would rather use)."""
    selects = [(s, p) for s, p in _statements(store, call) if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            return "\n".join(r[-1] for s, p in selects for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + s, p))
        conn.exec_driver_sql("SET enable_seqscan = off")
        return "\n".join(r[0] for s, p in selects for r in conn.exec_driver_sql("EXPLAIN " + s, p))


def _replacing(base: Analysis, version: str) -> Analysis:
    """``base`` analysed again (same article): another pipeline version, its first quote and narrative dropped."""
    return base.model_copy(update={"pipeline_version": version, "quotes": base.quotes[1:], "narratives": []})


def _everything(store) -> dict:
    """What the store answers about its corpus, through every indexed read."""
    actors = store.list_actors(limit=1000)
    return {
        "articles": store.list_articles(limit=1000), "actors": actors, "speakers": store.top_speakers(1000),
        "quotes": store.list_quotes(limit=1000), "sourcing": store.sourcing_counts("outlet"),
        "articles by week": store.article_counts("week"), "classified": store.classified_counts("outlet"),
        "labels": [store.label_counts(kind, by, direct=direct) for kind in ("narrative", "subnarrative", "role",
                   "technique") for by in (None, "outlet", "week") for direct in (False, True)],
        "per outlet": [store.actor_outlets(a.key) for a in actors],
        "versions": sorted(store.ids_analysed_with("v2")),
    }


def test_a_batch_saves_what_saving_one_by_one_saves(db, tmp_path):
    """Replacements across batches and within one (an article twice: its last analysis), rollups included."""
    corpus = _varied_corpus()
    again = [_replacing(corpus[0], "v2"), _replacing(corpus[7], "v2"), _replacing(corpus[7], "v3")]
    saves = [*corpus[:4], again[0], *corpus[4:], *again[1:]]
    with open_store(tmp_path / "one-by-one.db") as one:
        for analysis in saves:
            one.save_analysis(analysis)
        expected = _everything(one)
    with open_store(db) as batched:
        assert batched.save_analyses(iter(saves), batch_size=4) == len(saves)
        assert _everything(batched) == expected
        assert batched.get_analysis(corpus[7].article.id).pipeline_version == "v3"


def test_a_batch_is_written_in_as_many_statements_whatever_its_size(store):
    """Each table once a batch: the statements do not grow with the analyses (one by one: ~15 each)."""
    corpus = _varied_corpus()
    few = _statements(store, lambda: store.save_analyses(corpus[:2]))
    many = _statements(store, lambda: store.save_analyses(corpus[2:], batch_size=len(corpus)))
    assert len(many) <= len(few) + 2  # + an actor rollup row going to zero, a replaced row: none here


def test_a_failed_batch_leaves_the_store_as_it_was_before_it(store, monkeypatch):
    from narrascope.store import sql

    corpus = _varied_corpus()
    real = sql._index_rows
    monkeypatch.setattr(sql, "_index_rows", lambda a: real(a) if a.article.id != corpus[3].article.id else 1 / 0)
    with pytest.raises(ZeroDivisionError):
        store.save_analyses(corpus[:6], batch_size=2)
    assert {r.id for r in store.list_articles()} == {a.article.id for a in corpus[:2]}
    assert sum(r["n_articles"] for r in store.article_counts()) == 2
    assert sum(r.n_articles for r in store.list_actors()) == sum(len(a.entities) for a in corpus[:2])


def test_article_pages_read_their_order_from_an_index(store):
    corpus = _varied_corpus()
    store.save_analyses(corpus)
    outlet = corpus[0].article.outlet
    for call in (lambda: store.list_articles(limit=3, offset=2),
                 lambda: store.list_articles(ArticleFilter(outlet=outlet))):
        plan = _query_plans(store, call)
        if store.engine.dialect.name == "sqlite":
            assert "TEMP B-TREE" not in plan and ("ix_articles_listing" in plan or "ix_articles_outlet_listing" in plan)
        else:
            assert "Sort" not in plan and "ix_articles_" in plan and "listing" in plan
    assert "ix_analyses_version" in _query_plans(store, lambda: store.ids_analysed_with("v1"))
    # The narratives of the home page's menu: the labels' covering index, no article read.
    assert "articles" not in _query_plans(store, lambda: store.label_counts("narrative")).replace("ix_articles", "")


def test_an_id_prefix_is_a_range_of_the_key(store):
    arts = [_article(f"Prefix test {n}.") for n in range(30)]
    for art in arts:
        store.add_article(art)
    plan = _query_plans(store, lambda: store.resolve_id(arts[0].id[:4]))
    assert "SCAN" not in plan if store.engine.dialect.name == "sqlite" else "Index" in plan
    for art in arts:
        shared = sum(other.id.startswith(art.id[:2]) for other in arts)
        assert store.resolve_id(art.id[:2]) == (art.id if shared == 1 else None)
        assert store.resolve_id(art.id[:8]) == store.resolve_id(art.id) == art.id
    assert store.resolve_id(arts[0].id[:3] + "%") is None and store.resolve_id("_") is None


def test_iterating_listing_rows_reads_pages_after_the_last_id(store):
    corpus = _varied_corpus()
    store.save_analyses(corpus)
    store.add_article(_article("Stored, not analysed.", outlet="Odesa Wire"))
    rows: list = []
    sent = _statements(store, lambda: rows.extend(store.iter_article_rows(page=3)))
    assert rows == sorted(store.list_articles(limit=100), key=lambda r: r.id)
    assert len(sent) == len(rows) // 3 + 1 and all("articles.id >" in s for s, _ in sent[1:])
    odesa = list(store.iter_article_rows(ArticleFilter(outlet="Odesa Wire"), page=1))
    assert [r.id for r in odesa] == sorted(r.id for r in store.list_articles(ArticleFilter(outlet="Odesa Wire")))


def test_a_v11_store_gets_the_listing_indexes(db):
    with open_store(db) as old:
        old.save_analyses(_varied_corpus())
        with old.engine.begin() as conn:
            for name in ("ix_articles_listing", "ix_articles_outlet_listing", "ix_analyses_version"):
                conn.exec_driver_sql(f"DROP INDEX {name}")
            conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version >= 12")
    with open_store(db) as new:
        assert "ix_articles_listing" in _query_plans(new, lambda: new.list_articles(limit=3))
        with new.engine.connect() as conn:
            assert conn.exec_driver_sql("select max(version) from schema_migrations").scalar() == SCHEMA_VERSION


def _sqlite_steps(store, call) -> int:
    """How many virtual machine instructions SQLite runs for ``call``'s queries: the work, whatever the
    machine's speed."""
    from sqlalchemy import event

    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    def install(conn, cursor, statement, params, context, executemany):
        conn.connection.dbapi_connection.set_progress_handler(count, 1)

    event.listen(store.engine, "before_cursor_execute", install)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", install)
        with store.engine.connect() as conn:
            conn.connection.dbapi_connection.set_progress_handler(None, 1)
    return steps[0]


def test_the_outlet_menu_and_an_id_prefix_cost_the_same_with_ten_times_the_articles(tmp_path):
    """Seeks of an index, not a read of every article's entry (DISTINCT; LIKE, which SQLite folds)."""
    costs = []
    with open_store(tmp_path / "n.db") as store:
        for total in (300, 3000):
            for i in range(len(costs) * 300, total):
                outlet = ["b Post", "A Daily", "Zeta"][i % 3]
                store.add_article(_article(f"Article {i} of the outlet test.", outlet=outlet))
            prefix = _article("Article 7 of the outlet test.").id[:6]
            costs.append((_sqlite_steps(store, store.outlets), _sqlite_steps(store, lambda: store.resolve_id(prefix))))
            assert store.outlets() == ["A Daily", "b Post", "Zeta"]
    assert costs[1][0] < 1.5 * costs[0][0] and costs[1][1] < 1.5 * costs[0][1], costs


def test_quote_pages_without_a_speaker_are_read_in_article_order(db, tmp_path):
    """Every quote of the corpus, newest article first, then in text order (undated articles last), by page
    and by sourcing kind; the first page costs the same with ten times the articles (it sorted every quote)."""
    corpus = _varied_corpus()
    with open_store(db) as store:
        store.save_analyses(corpus)
        ordered = sorted(((a.article.published is None, a.article.published or "", a.article.id, q.content.start,
                           q.id, q.sourcing.kind) for a in corpus for q in a.quotes),
                         key=lambda r: (r[0], tuple(-ord(ch) for ch in r[1]), *r[2:5]))
        everything = [(r.article_id, r.start, r.quote_id, r.sourcing_kind) for r in store.list_quotes(limit=1000)]
        assert everything == [(r[2], r[3], r[4], r[5]) for r in ordered]
        paged = [r for offset in range(0, len(everything), 4) for r in store.list_quotes(limit=4, offset=offset)]
        assert [(r.article_id, r.start, r.quote_id, r.sourcing_kind) for r in paged] == everything
        for kind in ("named", "anonymous", "nobody"):
            assert ([(r.article_id, r.quote_id) for r in store.list_quotes(sourcing_kind=kind, limit=3, offset=1)]
                    == [(a, q) for a, _, q, k in everything if k == kind][1:4])
    costs = []
    with open_store(tmp_path / "n.db") as store:
        for total in (50, 500):
            store.save_analyses(_analysed(f"{MAYOR_TEXT} Copy {i}.", outlet="Daily", published=f"2023-11-{i % 28 + 1:02}")
                                for i in range(len(costs) * 50, total))
            costs.append(_sqlite_steps(store, lambda: store.list_quotes(limit=10)))
    assert costs[1] < 2 * costs[0], costs
