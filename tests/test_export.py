"""CSV and Parquet exports: readable, right row counts, offsets that match the article text."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest
from corpus_fixtures import article_a, article_b, article_c

from narrascope.corpus.export import TABLES, export_corpus, quotes_csv


@pytest.fixture(scope="module")
def corpus():
    return [article_a(), article_b(), article_c()]


def _expected(corpus, table):
    counts = {
        "articles": len(corpus),
        "actors": sum(max(1, len(e.mentions)) for a in corpus for e in a.entities),
        "quotes": sum(len(a.quotes) for a in corpus),
        "claims": sum(len(a.claims) for a in corpus),
        "labels": sum(len(a.narratives) + len(a.roles) + len(a.techniques) for a in corpus),
    }
    return counts[table]


def _read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_export_has_every_table_with_right_counts_and_offsets(tmp_path, corpus):
    summary = export_corpus(iter(corpus), tmp_path, "csv")
    texts = {a.article.id: a.article.text for a in corpus}
    for table in TABLES:
        rows = _read_csv(summary[table]["path"])
        assert len(rows) == summary[table]["rows"] == _expected(corpus, table), table
    for row in _read_csv(tmp_path / "quotes.csv"):
        text = texts[row["article_id"]]
        assert text[int(row["content_start"]):int(row["content_end"])] == row["content_text"]
    for table in ("actors", "claims", "labels"):
        for row in _read_csv(tmp_path / f"{table}.csv"):
            if row["start"]:
                assert texts[row["article_id"]][int(row["start"]):int(row["end"])] == row["text"]
    articles = {r["article_id"]: r for r in _read_csv(tmp_path / "articles.csv")}
    assert articles[corpus[0].article.id]["text"] == corpus[0].article.text  # newlines survive CSV quoting


def test_anonymous_chain_is_exported_as_text(tmp_path, corpus):
    export_corpus(corpus, tmp_path, "csv", tables=["quotes"])
    anon = [r for r in _read_csv(tmp_path / "quotes.csv") if r["sourcing"] == "anonymous"]
    assert len(anon) == 2
    assert anon[0]["chain"] == "Two Western officials (anonymous) -> Kyiv Ledger"


def test_parquet_export_is_typed_and_batched(tmp_path, corpus):
    summary = export_corpus(corpus * 3, tmp_path, "parquet", batch_size=4)
    for table in TABLES:
        data = pq.read_table(summary[table]["path"])
        assert data.num_rows == 3 * _expected(corpus, table), table
    labels = pq.read_table(tmp_path / "labels.parquet").to_pylist()
    assert {r["layer"] for r in labels} == {"narrative", "role", "technique"}
    assert pq.read_table(tmp_path / "claims.parquet").schema.field("hedged").type == "bool"
    text = corpus[0].article.text
    for r in (r for r in labels if r["article_id"] == corpus[0].article.id):
        assert text[r["start"]:r["end"]] == r["text"]


def test_quotes_csv_for_one_article(corpus):
    rows = list(csv.DictReader(io.StringIO(quotes_csv(corpus[1]))))
    assert len(rows) == len(corpus[1].quotes)
    assert rows[3]["content_text"] == "The West has abandoned Ukraine," and rows[3]["date"] == "2023-12-01"


def test_formulas_are_neutralised_by_default():
    a = article_c()
    q = a.quotes[0].model_copy(update={"speaker_name": "=HYPERLINK(\"x\")"})
    a = a.model_copy(update={"quotes": [q]})
    assert list(csv.DictReader(io.StringIO(quotes_csv(a))))[0]["speaker_name"].startswith("'=")
    assert list(csv.DictReader(io.StringIO(quotes_csv(a, excel_safe=False))))[0]["speaker_name"].startswith("=")


def test_corpus_csv_export_is_safe_by_default_and_parquet_verbatim(tmp_path):
    a = article_c()
    a = a.model_copy(update={"article": a.article.model_copy(update={"outlet": "@SUM(1+1)", "title": "+1"})})
    export_corpus([a], tmp_path / "safe", "csv", tables=["articles"])
    row = _read_csv(tmp_path / "safe" / "articles.csv")[0]
    assert (row["outlet"], row["title"]) == ("'@SUM(1+1)", "'+1")
    export_corpus([a], tmp_path / "raw", "csv", tables=["articles"], excel_safe=False)
    assert _read_csv(tmp_path / "raw" / "articles.csv")[0]["outlet"] == "@SUM(1+1)"
    export_corpus([a], tmp_path / "pq", "parquet", tables=["articles"])
    assert pq.read_table(tmp_path / "pq" / "articles.parquet").to_pylist()[0]["outlet"] == "@SUM(1+1)"


def test_bad_arguments_are_clear_errors(tmp_path, corpus):
    with pytest.raises(ValueError, match="unknown export format"):
        export_corpus(corpus, tmp_path, "xlsx")
    with pytest.raises(ValueError, match="unknown table"):
        export_corpus(corpus, tmp_path, "csv", tables=["nope"])


def test_a_retracted_claim_is_exported_with_the_words_that_retract_it(tmp_path):
    from narrascope.model import Retraction, Span

    a = article_a()
    claim = a.claims[0]
    words = Span.of(a.article.text, claim.span.start, claim.span.end)
    a.claims[0] = claim.model_copy(update={"retraction": Retraction(kind="corrected", span=words)})
    export_corpus([a], tmp_path, "csv", tables=["claims"])
    first = _read_csv(tmp_path / "claims.csv")[0]
    assert (first["retraction"], first["retraction_text"]) == ("corrected", words.text)
    assert a.article.text[int(first["retraction_start"]):int(first["retraction_end"])] == words.text
    export_corpus([a], tmp_path, "parquet", tables=["claims"])
    assert pq.read_table(tmp_path / "claims.parquet").to_pylist()[0]["retraction"] == "corrected"
