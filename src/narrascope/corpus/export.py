"""Flat tables of a corpus for spreadsheets, pandas, R or DuckDB: CSV or Parquet.

Five tables, one row per thing, every located thing with its ``start``/``end`` character offsets into
the article's clean text (the ``articles`` table carries that text, so a row can always be checked
against it):

* ``articles`` — metadata, counts and the sourcing shares of each article;
* ``actors`` — one row per mention, with its canonical entity (an entity without mentions gets one
  row with empty offsets);
* ``quotes`` — speaker, cue, content, date, sourcing and the provenance chain as text;
* ``claims`` — what each claim rests on, hedged or not, and whether the text reports it taken back;
* ``labels`` — narratives, roles and techniques, one row per label (``layer`` tells which).

Export streams: rows are written as each analysis arrives (CSV) or in record batches (Parquet),
so memory does not grow with the corpus. ``quotes_csv(analysis)`` is the one-article quotes table
the web page offers for download.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from ..model import Analysis, Span
from ..render import chain_text
from .common import n_words, sourcing_shares

ExportFormat = Literal["csv", "parquet"]
Row = dict[str, Any]

# Cells a spreadsheet would run as a formula (CSV injection). Article text, titles, outlets and names
# are untrusted (scraped propaganda may carry ``=HYPERLINK(...)``), so CSV neutralises them by default.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _off(span: Span | None, prefix: str) -> Row:
    return {f"{prefix}start": span.start if span else None, f"{prefix}end": span.end if span else None,
            f"{prefix}text": span.text if span else None}


def article_rows(a: Analysis) -> Iterator[Row]:
    art, shares = a.article, sourcing_shares(a.claims)
    yield {
        "article_id": art.id, "title": art.title, "outlet": art.outlet, "author": art.author,
        "published": art.published, "url": art.url, "source": art.source, "language": art.language,
        "n_words": n_words(art.text), "pipeline_version": a.pipeline_version, "components": ",".join(a.components),
        "n_entities": len(a.entities), "n_quotes": len(a.quotes), "n_claims": len(a.claims),
        "claims_named": shares.named, "claims_anonymous": shares.anonymous, "claims_group": shares.group,
        "claims_unattributed": shares.unattributed, "claims_hedged": shares.hedged,
        "n_narratives": len(a.narratives), "n_techniques": len(a.techniques), "text": art.text,
    }


def actor_rows(a: Analysis) -> Iterator[Row]:
    for e in a.entities:
        base = {"article_id": a.article.id, "entity_id": e.id, "entity_name": e.name, "entity_type": e.type,
                "country": e.country, "role": e.role, "in_knowledge_base": e.in_knowledge_base,
                "aliases": "|".join(e.aliases)}
        for m in e.mentions or [None]:
            yield {**base, "mention_kind": m.kind if m else None, "ner_label": m.ner_label if m else None,
                   **_off(m, ""), "confidence": m.confidence if m else None}


def quote_rows(a: Analysis) -> Iterator[Row]:
    for q in a.quotes:
        yield {
            "article_id": a.article.id, "outlet": a.article.outlet, "published": a.article.published,
            "quote_id": q.id, "kind": q.kind, "speaker_name": q.speaker_name, "speaker_entity": q.speaker_entity,
            **_off(q.speaker, "speaker_"), **_off(q.cue, "cue_"), "cue_lemma": q.cue_lemma,
            **_off(q.content, "content_"), "venue_name": q.venue_name, "date": q.date,
            "sourcing": q.sourcing.kind, "sourcing_description": q.sourcing.description,
            "chain": chain_text(q), "parent_id": q.parent_id, "confidence": q.confidence,
        }


def claim_rows(a: Analysis) -> Iterator[Row]:
    for c in a.claims:
        yield {
            "article_id": a.article.id, "claim_id": c.id, **_off(c.span, ""), "sourcing": c.sourcing.kind,
            "sourcing_description": c.sourcing.description, "quote_id": c.quote_id, "entity_id": c.entity_id,
            "hedged": c.hedged, "hedges": "|".join(h.text for h in c.hedges), "confidence": c.confidence,
            # the text's report that the claim was taken back: a fact-checker filters these out first
            "retraction": c.retraction.kind if c.retraction else None,
            **_off(c.retraction.span if c.retraction else None, "retraction_"),
        }


def label_rows(a: Analysis) -> Iterator[Row]:
    def row(layer: str, label: str, detail: str | None, span: Span | None, evidence: list[Span],
            confidence: float, entity_id: str | None = None, entity_name: str | None = None) -> Row:
        return {"article_id": a.article.id, "layer": layer, "label": label, "detail": detail,
                "entity_id": entity_id, "entity_name": entity_name, **_off(span, ""), "confidence": confidence,
                "evidence": json.dumps([[s.start, s.end] for s in evidence])}

    for n in a.narratives:
        yield row("narrative", n.label, n.subnarrative, n.evidence[0] if n.evidence else None, n.evidence,
                  n.confidence)
    for r in a.roles:
        yield row("role", r.main_role, "|".join(r.fine_roles), r.mention, r.evidence, r.confidence,
                  r.entity_id, r.entity_name)
    for t in a.techniques:
        yield row("technique", t.technique, None, t.span, [t.span], t.confidence)


def _cols(names: str, kind: str) -> list[tuple[str, str]]:
    return [(n, kind) for n in names.split()]


# Table -> (row function, [(column, type)]). Types: str, int, float, bool (mapped to Arrow for Parquet).
TABLES: dict[str, tuple[Callable[[Analysis], Iterator[Row]], list[tuple[str, str]]]] = {
    "articles": (article_rows, _cols("article_id title outlet author published url source language", "str")
                 + _cols("n_words", "int") + _cols("pipeline_version components", "str")
                 + _cols("n_entities n_quotes n_claims", "int")
                 + _cols("claims_named claims_anonymous claims_group claims_unattributed claims_hedged", "float")
                 + _cols("n_narratives n_techniques", "int") + _cols("text", "str")),
    "actors": (actor_rows, _cols("article_id entity_id entity_name entity_type country role", "str")
               + _cols("in_knowledge_base", "bool") + _cols("aliases mention_kind ner_label", "str")
               + _cols("start end", "int") + _cols("text", "str") + _cols("confidence", "float")),
    "quotes": (quote_rows, _cols("article_id outlet published quote_id kind speaker_name speaker_entity", "str")
               + _cols("speaker_start speaker_end", "int") + _cols("speaker_text", "str")
               + _cols("cue_start cue_end", "int") + _cols("cue_text cue_lemma", "str")
               + _cols("content_start content_end", "int")
               + _cols("content_text venue_name date sourcing sourcing_description chain parent_id", "str")
               + _cols("confidence", "float")),
    "claims": (claim_rows, _cols("article_id claim_id", "str") + _cols("start end", "int")
               + _cols("text sourcing sourcing_description quote_id entity_id", "str") + _cols("hedged", "bool")
               + _cols("hedges", "str") + _cols("confidence", "float") + _cols("retraction", "str")
               + _cols("retraction_start retraction_end", "int") + _cols("retraction_text", "str")),
    "labels": (label_rows, _cols("article_id layer label detail entity_id entity_name", "str")
               + _cols("start end", "int") + _cols("text", "str") + _cols("confidence", "float")
               + _cols("evidence", "str")),
}


def _csv_rows(rows: Iterable[Row], excel_safe: bool) -> Iterable[Row]:
    """Prefix ``'`` to string cells a spreadsheet would evaluate (OWASP's CSV-injection advice)."""
    if not excel_safe:
        return rows
    return ({k: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v for k, v in row.items()}
            for row in rows)


class _CsvSink:
    def __init__(self, path: Path, columns: list[str], excel_safe: bool):
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.handle, fieldnames=columns)
        self.writer.writeheader()
        self.excel_safe = excel_safe

    def write(self, rows: list[Row]) -> None:
        self.writer.writerows(_csv_rows(rows, self.excel_safe))

    def close(self) -> None:
        self.handle.close()


class _ParquetSink:
    """Buffers rows and writes one Arrow record batch per ``batch_size`` rows."""

    def __init__(self, path: Path, columns: list[tuple[str, str]], batch_size: int):
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
        self.pa = pa
        self.schema = pa.schema([(name, types[kind]) for name, kind in columns])
        self.writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")
        self.batch_size = batch_size
        self.buffer: list[Row] = []

    def write(self, rows: list[Row]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= self.batch_size:
            self._flush()

    def _flush(self) -> None:
        if self.buffer:
            self.writer.write_batch(self.pa.RecordBatch.from_pylist(self.buffer, schema=self.schema))
            self.buffer = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


def export_corpus(
    analyses: Iterable[Analysis],
    out_dir: str | Path,
    fmt: ExportFormat = "csv",
    *,
    tables: Iterable[str] | None = None,
    batch_size: int = 10_000,
    excel_safe: bool = True,
) -> dict[str, dict[str, Any]]:
    """Write ``<table>.csv`` / ``<table>.parquet`` files into ``out_dir``, one pass over ``analyses``.

    Returns ``{table: {"path": str, "rows": int}}`` so callers can report what was written.
    ``excel_safe`` (the default) prefixes a ``'`` to CSV cells that a spreadsheet would run as formulas,
    because article text is untrusted and CSV files are opened in spreadsheets. The offsets of such a
    cell then point one character short of its text, so a program that checks cells against offsets
    asks for ``excel_safe=False``. Parquet is never changed: no spreadsheet evaluates it.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown export format {fmt!r}: use csv or parquet")
    names = list(tables) if tables is not None else list(TABLES)
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise ValueError(f"unknown table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sinks: dict[str, _CsvSink | _ParquetSink] = {}
    counts = dict.fromkeys(names, 0)
    try:
        for name in names:
            path = out / f"{name}.{fmt}"
            columns = TABLES[name][1]
            sinks[name] = (_CsvSink(path, [c for c, _ in columns], excel_safe) if fmt == "csv"
                           else _ParquetSink(path, columns, batch_size))
        for analysis in analyses:
            for name in names:
                rows = list(TABLES[name][0](analysis))
                sinks[name].write(rows)
                counts[name] += len(rows)
    finally:
        for sink in sinks.values():
            sink.close()
    return {name: {"path": str(out / f"{name}.{fmt}"), "rows": counts[name]} for name in names}


def quotes_csv(analysis: Analysis, excel_safe: bool = True) -> str:
    """The quotes of one article as CSV text (header included), for a download button; formula cells
    are neutralised unless ``excel_safe=False`` (see ``export_corpus``)."""
    buffer = io.StringIO()
    columns = [c for c, _ in TABLES["quotes"][1]]
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    writer.writerows(_csv_rows(quote_rows(analysis), excel_safe))
    return buffer.getvalue()
