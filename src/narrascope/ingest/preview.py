"""``narrascope clean``: show what ingesting does to each input, without storing anything.

Why: cleaning removes text (furniture, bylines, captions), so a researcher adding a site's widgets to
``data/furniture.yaml`` — or checking that nothing of the article was lost — needs to see the clean
text next to what was removed, the title and byline read, and the language found.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Article
from ..pipeline import Doc, Pipeline
from .sources import IngestError, iter_raw

INGEST_STEPS = ["extract_html", "clean", "language"]


def preview(sources: list[str], **read_options) -> Iterator[Article | IngestError]:
    """Read and clean ``sources`` (options as ``iter_raw``): one Article or IngestError per input."""
    pipeline = Pipeline.from_config(only=INGEST_STEPS)

    def docs() -> Iterator[Doc]:
        for raw in iter_raw(sources, **read_options):
            if isinstance(raw, IngestError):
                yield Doc(error=raw.message, user_data={"source": raw.source})
            else:
                yield Doc(raw=raw)

    for doc in pipeline.pipe(docs()):
        source = doc.user_data.get("source") or (doc.raw.source if doc.raw else None) or "?"
        if doc.error or doc.analysis is None:
            yield IngestError(source, doc.error or "nothing to clean")
        else:
            yield doc.analysis.article


def describe(article: Article) -> str:
    """A plain-text account of one cleaned article: metadata, removed pieces, then the clean text."""
    facts = {
        "source": article.source, "title": article.title, "author": article.author,
        "published": article.published, "outlet": article.outlet, "url": article.url,
        "language": f"{article.language} ({article.language_confidence})" if article.language else None,
        "id": article.id, "words": str(len(article.text.split())),
    }
    lines = [f"{key:>10}: {value}" for key, value in facts.items() if value]
    lines += [f"   warning: {w}" for w in article.warnings]
    lines += [f"   removed: {piece!r}" for piece in article.removed]
    return "\n".join(lines) + "\n\n" + article.text + "\n"
