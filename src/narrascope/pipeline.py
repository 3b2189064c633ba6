"""A pipeline of named, registered components over a document, in the spirit of spaCy's ``Language``.

Why this shape: every capability (cleaning, NER, actors, quotes, narratives, techniques...) is a small
component with one input and one output — a ``Doc`` in, the same ``Doc`` out, with more of its
``Analysis`` filled in. Components are created by *factories* registered under a name, so a user can
swap one for their own (``@registry.components.register("quotes")``) or reconfigure it from
``data/pipeline.yaml`` without touching the others. I/O (reading files and URLs, the store, the web
server) stays outside, at the edges.

A component is any callable ``(Doc) -> Doc``. It may also have:

* ``pipe(docs) -> Iterable[Doc]`` to process a batch at once (spaCy does this much faster);
* ``english_only = True`` so the pipeline skips it, with a warning, on non-English articles;
* ``version`` — part of the pipeline version stored with each analysis, so re-analysis with a newer
  pipeline replaces the old one. The pipeline version also hashes the package's own files (code, data, models):
  a component whose code changed without a version bump must not leave stale analyses in a store.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

import catalogue
import yaml

from . import __version__
from .model import Analysis, Article

log = logging.getLogger(__name__)


class _Registry:
    """Named factories. ``components`` maps a component name to ``factory(**config) -> component``."""

    components = catalogue.create("narrascope", "components", entry_points=True)


registry = _Registry()

# Where the built-in factories live. Modules are imported only when their component is asked for, so
# ``narrascope --help`` does not load spaCy or any model.
_BUILTINS: dict[str, str] = {
    "extract_html": "narrascope.ingest.html",
    "clean": "narrascope.ingest.clean",
    "language": "narrascope.ingest.language",
    "spacy": "narrascope.nlp.spacy_component",
    "actors": "narrascope.extract.actors",
    "coref": "narrascope.extract.coref",
    "quotes": "narrascope.extract.quotes",
    "claims": "narrascope.extract.claims",
    "narratives": "narrascope.classify.narratives",
    "roles": "narrascope.classify.roles",
    "techniques": "narrascope.classify.techniques",
}


@dataclass
class Raw:
    """An input before cleaning: decoded content plus whatever metadata the source carried."""

    content: str
    format: Literal["text", "html", "json"] = "text"
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Doc:
    """What flows through the pipeline: the raw input, the analysis being built, and the spaCy parse.

    ``analysis`` is created by the ``clean`` component (it needs the clean text to exist); ``nlp`` is
    the spaCy ``Doc`` over ``analysis.article.text`` and is never serialised.
    """

    raw: Raw | None = None
    analysis: Analysis | None = None
    nlp: Any = None
    # Scratch space for components to pass non-serialised data downstream (e.g. sentence embeddings).
    user_data: dict[str, Any] = field(default_factory=dict)
    # Set when a component failed on this document; later components skip it, the batch goes on.
    error: str | None = None
    # Names of the components that have run on this document, in order.
    ran: list[str] = field(default_factory=list)
    # English-only components left out because the article is in another language (one warning names them all).
    skipped: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        if self.analysis is None:
            raise ValueError("this Doc has not been cleaned yet: run the 'clean' component first")
        return self.analysis.article.text

    @classmethod
    def from_text(cls, text: str, **article_fields: Any) -> Doc:
        """A Doc over text that is already clean (tests, the API, re-analysis of stored articles)."""
        return cls.from_article(Article(id=Article.make_id(text), text=text, **article_fields))

    @classmethod
    def from_article(cls, article: Article) -> Doc:
        """A Doc over a stored (already cleaned) article, ready for the analysis stage."""
        return cls(analysis=Analysis(article=article))

    def warn(self, message: str) -> None:
        if self.analysis is not None:
            self.analysis.warnings.append(message)


class Component(Protocol):
    def __call__(self, doc: Doc) -> Doc: ...


def get_factory(name: str) -> Callable[..., Component]:
    """Find the factory registered as ``name``, importing its built-in module on first use."""
    if name not in registry.components and name in _BUILTINS:
        importlib.import_module(_BUILTINS[name])
    try:
        return registry.components.get(name)
    except catalogue.RegistryError as err:
        known = sorted(set(registry.components.get_all()) | set(_BUILTINS))
        raise KeyError(f"no component named {name!r}; known: {', '.join(known)}") from err


def default_config() -> list[dict[str, Any]]:
    """The default pipeline: ``data/pipeline.yaml`` as a list of ``{"name", "config"}``."""
    text = resources.files("narrascope.data").joinpath("pipeline.yaml").read_text("utf-8")
    return parse_config(yaml.safe_load(text))


def parse_config(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Accept ``components: [name, {name: {config}}, ...]`` and normalise it."""
    steps = []
    for entry in data.get("components", []):
        if isinstance(entry, str):
            steps.append({"name": entry, "config": {}})
        elif isinstance(entry, dict) and len(entry) == 1:
            (name, config), = entry.items()
            steps.append({"name": name, "config": dict(config or {})})
        else:
            raise ValueError(f"bad pipeline entry {entry!r}: use a name or {{name: {{config}}}}")
    return steps


def tree_digest(root: Path) -> str:
    """A hash of the names and contents of every file under ``root`` (compiled bytecode aside)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """``tree_digest`` of the installed package (~30 MB, ~0.1 s once per process). Component versions are bumped
    by hand and were forgotten (a decoding change left `analyze` reusing stored techniques of the old code); this
    cannot be."""
    return tree_digest(Path(__file__).parent)


class Pipeline:
    """Runs named components in order. Build it with ``Pipeline.from_config()``."""

    def __init__(self, steps: list[tuple[str, Component]], config: list[dict[str, Any]]):
        self.steps = steps
        self.config = config

    @classmethod
    def from_config(
        cls,
        config: list[dict[str, Any]] | None = None,
        *,
        only: Iterable[str] | None = None,
        exclude: Iterable[str] = (),
    ) -> Pipeline:
        config = default_config() if config is None else config
        wanted = set(only) if only is not None else None
        config = [
            s for s in config if s["name"] not in set(exclude) and (wanted is None or s["name"] in wanted)
        ]
        steps = [(s["name"], get_factory(s["name"])(**s["config"])) for s in config]
        return cls(steps, config)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.steps]

    @property
    def version(self) -> str:
        """Narrascope version plus a hash of the package files, component list, configs and component versions."""
        parts = [
            {"name": n, "config": c["config"], "version": getattr(comp, "version", "")}
            for (n, comp), c in zip(self.steps, self.config, strict=True)
        ]
        digest = hashlib.sha256(json.dumps([code_digest(), parts], sort_keys=True, default=str).encode()).hexdigest()
        return f"{__version__}+{digest[:10]}"

    def get(self, name: str) -> Component:
        return dict(self.steps)[name]

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(
        self,
        docs: Iterable[Doc],
        batch_size: int = 32,
        *,
        until: str | None = None,
        after: str | None = None,
    ) -> Iterator[Doc]:
        """Process documents in batches so batch-capable components (spaCy) run efficiently.

        ``until``/``after`` run only the steps up to and including, or strictly after, the named one:
        the CLI ingests with ``until="language"`` and analyses the rest with ``after="language"``.
        A document on which a component raises gets ``doc.error`` and skips the remaining steps; the
        other documents of the batch are unaffected.
        """
        names = self.names
        lo = names.index(after) + 1 if after in names else 0
        hi = names.index(until) + 1 if until in names else len(names)
        steps = self.steps[lo:hi]
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch, steps)
                batch = []
        if batch:
            yield from self._run_batch(batch, steps)

    def _run_batch(self, batch: list[Doc], steps: list[tuple[str, Component]]) -> list[Doc]:
        for name, component in steps:
            todo = [d for d in batch if d.error is None and self._applies(name, component, d)]
            if not todo:
                continue
            if hasattr(component, "pipe"):
                try:
                    list(component.pipe(todo))
                except Exception:  # noqa: BLE001 - isolate the failing document, below
                    self._run_each(name, component, todo)
            else:
                self._run_each(name, component, todo)
            for doc in todo:
                if doc.error is None and name not in doc.ran:
                    doc.ran.append(name)
        for doc in batch:
            if doc.skipped and doc.analysis is not None:
                lang = doc.analysis.article.language
                message = (f"skipped the English-only components ({', '.join(doc.skipped)}): "
                           f"the article language is '{lang}'")
                doc.warn(message)
                log.warning("%s (%s)", message, doc.analysis.article.id)
            if doc.analysis is not None:
                # Steps that ran before the analysis existed (extract_html) are recorded here too.
                done = doc.analysis.components
                doc.analysis.components = [*done, *(n for n in doc.ran if n not in done)]
                doc.analysis.pipeline_version = self.version
        return batch

    @staticmethod
    def _run_each(name: str, component: Component, docs: list[Doc]) -> None:
        for doc in docs:
            try:
                component(doc)
            except Exception as err:  # noqa: BLE001 - one bad article must not sink the batch
                doc.error = f"{name}: {err}"
                log.debug("component %s failed", name, exc_info=True)

    @staticmethod
    def _applies(name: str, component: Component, doc: Doc) -> bool:
        if not getattr(component, "english_only", False) or doc.analysis is None:
            return True
        if doc.analysis.article.language in (None, "en"):
            return True
        if name not in doc.skipped:
            doc.skipped.append(name)
        return False
