"""PostgreSQL as the store through the CLI, on a real throwaway server (skipped when none can start).

The store's own behaviour is tested on PostgreSQL by tests/test_store.py (parametrized over backends);
here: the URL form users type, a clear one-line error when the server is unreachable, and the text search
where the pg_trgm extension cannot be created.
"""

from __future__ import annotations

import json
import subprocess
import sys

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


def test_without_pg_trgm_the_search_scans(postgres_cluster, caplog):
    """A role that may not create extensions (pg_trgm is trusted, but needs CREATE on the database): the store
    opens and its search works, by a scan of every text."""
    from sqlalchemy.engine import make_url

    from narrascope.store import ArticleFilter

    url = postgres_cluster.create_database()
    role = f"r_{make_url(url).database}"
    postgres_cluster._admin(f"CREATE ROLE {role} LOGIN")
    try:
        with _superuser(url) as conn:  # PostgreSQL 15: only the owner creates in schema public by default
            conn.execute(f"GRANT CREATE ON SCHEMA public TO {role}")
        text = "Dockers in Rivna walked out."
        with open_store(make_url(url).set(username=role).render_as_string(hide_password=False)) as store:
            assert not store.text_indexed
            assert "no pg_trgm extension (permission denied" in caplog.text
            store.add_article(Article(id=Article.make_id(text), text=text, title="Port strike"))
            assert store.count_articles(ArticleFilter(search="rivna strike")) == 1
            assert store.count_articles(ArticleFilter(search="rivna ferry")) == 0
    finally:
        postgres_cluster.drop_database(url)
        postgres_cluster._admin(f"DROP ROLE {role}")

