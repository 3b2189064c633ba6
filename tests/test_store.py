"""The SQL store: idempotent articles, atomic analysis replacement, migrations, listing, resume."""

from __future__ import annotations

import sqlite3

import pytest

from narrascope.model import Analysis, Article, Span
from narrascope.store import ArticleFilter, open_store
from narrascope.store.sql import SCHEMA_VERSION


def _article(text: str, **fields) -> Article:
    return Article(id=Article.make_id(text), text=text, **fields)


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "n.db") as s:
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


def test_id_prefix_resolution(store):
    art = _article("Unique text for the prefix test.")
    store.add_article(art)
    assert store.resolve_id(art.id[:6]) == art.id
    assert store.resolve_id("zzzz") is None


def test_migrations_are_recorded_and_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "n.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        versions = [v for (v,) in conn.execute("select version from schema_migrations")]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        conn.execute("insert into schema_migrations values (?, 'later')", (SCHEMA_VERSION + 1,))
    with pytest.raises(RuntimeError, match="newer"):
        open_store(path)


def test_store_survives_reopen(tmp_path):
    path = tmp_path / "n.db"
    art = _article("Persisted across processes.")
    with open_store(path) as s:
        s.save_analysis(Analysis(article=art, pipeline_version="v1"))
    with open_store(path) as s:
        assert s.get_article(art.id).text == art.text
        assert s.get_analysis(art.id).article.id == art.id
