"""PostgreSQL as the store through the CLI, on a real throwaway server (skipped when none can start).

The store's own behaviour is tested on PostgreSQL by tests/test_store.py (parametrized over backends);
here: the URL form users type, and a clear one-line error when the server is unreachable.
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
