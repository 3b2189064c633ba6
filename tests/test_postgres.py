"""PostgreSQL as the store through the CLI, on a real throwaway server (skipped when none can start).

The store's own behaviour is tested on PostgreSQL by tests/test_store.py (parametrized over backends);
here: the URL form users type, a clear one-line error when the server is unreachable, and the text search
where the pg_trgm extension cannot be created or sits outside the search path.
"""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager

from narrascope.model import Analysis, Article
from narrascope.store import open_store


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "narrascope.cli", *args], capture_output=True, text=True,
                          timeout=120)


def test_cli_lists_and_shows_articles_from_a_postgres_url(postgres_url):
    text = "The harbour authority said ferries resume on Friday."
    art = Article(id=Article.make_id(text), text=text, title="Ferries", outlet="Coast News", published="2024-02-02")
    with open_store(postgres_url) as store:
        store.save_analysis(Analysis(article=art, pipeline_version="v1"))
    listed = _cli("list", "--db", postgres_url, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [(r["id"], r["outlet"], r["analysed"]) for r in json.loads(listed.stdout)] == [(art.id, "Coast News", True)]
    shown = _cli("show", art.id[:8], "--db", postgres_url, "--format", "json")
    assert json.loads(shown.stdout)["article"]["text"] == text


def test_unreachable_server_is_one_error_line(tmp_path):
    result = _cli("list", "--db", f"postgresql+psycopg://nobody@/none?host={tmp_path}")
    assert result.returncode == 3
    assert result.stderr.startswith("error: cannot open the store")
    assert "Traceback" not in result.stderr


def _superuser(url: str):
    """A superuser connection to the database of ``url`` (autocommit)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return psycopg.connect(host=parsed.query["host"], user="postgres", dbname=parsed.database, autocommit=True)


@contextmanager
def _statements():
    """Every SQL statement any engine runs inside the ``with``, in a list."""
    from sqlalchemy import Engine, event

    seen: list[str] = []

    def spy(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", spy)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", spy)


def test_without_pg_trgm_the_search_scans_and_the_extension_is_tried_once(postgres_cluster, caplog):
    """A role that may not create extensions (pg_trgm is trusted, but needs CREATE on the database): the store
    opens and its search works, by a scan of every text. Later opens do not try ``CREATE EXTENSION`` again (a
    failing statement, and an error in the server's log, on every open); once an administrator has created
    the extension, the next open builds the index."""
    from sqlalchemy.engine import make_url

    from narrascope.store import ArticleFilter

    url = postgres_cluster.create_database()
    role = f"r_{make_url(url).database}"
    role_url = make_url(url).set(username=role).render_as_string(hide_password=False)
    postgres_cluster._admin(f"CREATE ROLE {role} LOGIN")
    try:
        with _superuser(url) as conn:  # PostgreSQL 15: only the owner creates in schema public by default
            conn.execute(f"GRANT CREATE ON SCHEMA public TO {role}")
        text = "Dockers in Rivna walked out."
        with open_store(role_url) as store:
            assert not store.text_indexed
            assert "no pg_trgm extension (permission denied" in caplog.text
            store.add_article(Article(id=Article.make_id(text), text=text, title="Port strike"))
            assert store.count_articles(ArticleFilter(search="rivna strike")) == 1
            assert store.count_articles(ArticleFilter(search="rivna ferry")) == 0
        caplog.clear()
        with _statements() as seen, open_store(role_url) as store:
            assert not store.text_indexed
        assert not [s for s in seen if "CREATE EXTENSION" in s.upper()], seen
        assert "pg_trgm" not in caplog.text  # said once, when it was found out
        with _superuser(url) as conn:
            conn.execute("CREATE EXTENSION pg_trgm")
        with open_store(role_url) as store:
            assert store.text_indexed
            assert store.count_articles(ArticleFilter(search="rivna strike")) == 1
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT count(*) FROM store_meta").scalar() == 0
    finally:
        postgres_cluster.drop_database(url)
        postgres_cluster._admin(f"DROP ROLE {role}")


def test_pg_trgm_in_a_schema_off_the_search_path_indexes_the_search(postgres_url):
    """Hosted databases often install extensions in their own schema (``extensions``), not on the search path:
    the index names the operator class with that schema, and the search uses it."""
    from narrascope.store import ArticleFilter

    with _superuser(postgres_url) as conn:
        conn.execute("CREATE SCHEMA extensions")
        conn.execute("CREATE EXTENSION pg_trgm SCHEMA extensions")
    text = "Dockers in Rivna walked out."
    with open_store(postgres_url) as store:
        assert store.text_indexed
        store.add_article(Article(id=Article.make_id(text), text=text, title="Port strike"))
        assert store.count_articles(ArticleFilter(search="rivna strike")) == 1
        assert store.count_articles(ArticleFilter(search="rivna ferry")) == 0
        with store.engine.connect() as conn:
            definitions = conn.exec_driver_sql("SELECT indexdef FROM pg_indexes WHERE indexname LIKE '%trgm'").scalars()
            assert all("extensions.gin_trgm_ops" in d for d in definitions)
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(conn.exec_driver_sql("EXPLAIN SELECT id FROM articles WHERE text ILIKE '%%rivna%%'").scalars())
            assert "ix_articles_text_trgm" in plan
