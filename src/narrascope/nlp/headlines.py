"""Lines written in Title Case, re-parsed with their common words in lower case.

Why: the small English model reads a capitalised word as a proper noun, so a headline such as "Putin Says West
Prepared To Scapegoat Zelensky For War Failures" comes out as a chain of names: "Scapegoat" is no verb, "War
Failures" a name, and the quotes, claims and actors read from that parse go wrong on the line an analyst reads
first. Re-parsing the line with "scapegoat", "war" and "failures" in lower case gives the parse the model gives
ordinary prose; the tags, dependencies and lemmas of that parse replace the line's, while the text, the tokens and
the named entities stay as they were.

Which capitals go: the text itself is the evidence. A word the body writes in lower case ("says", "war") is
lowered; a word the body capitalises inside a sentence ("Zelensky", "West") keeps its capital; a word the body
does not use keeps its capital only if the entity model put it in a name of one or two words (not in "Marchuk Heads"
when the body knows Marchuk alone). The first word of the line and words after a colon or an opening quotation mark
keep theirs (they would be capitalised anyway).
"""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

# a line is a headline when most of its words, and nearly all of its longer ones, are capitalised
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
MIN_WORDS, MAX_WORDS = 4, 40  # a line of three words is mostly a name or a label ("Ian Miles Cheong")
CAPITALISED_LONG_WORDS = 0.8  # share of words over three letters ("Says", "Prepared"); short ones vary by style
CAPITALISED_WORDS = 0.6
_NAME_TYPES = {"PERSON", "GPE", "NORP", "ORG", "LOC"}
_ATTRS = [TAG, POS, DEP, HEAD, LEMMA, MORPH]
_OPENERS = {":", "“", '"', "‘", "'", "«", "(", "—", "–", "-"}
RECASED_KEY = "narrascope_recased_lines"  # Doc.user_data: token ranges of the lines re-parsed


def title_case_lines(text: str) -> list[tuple[int, int]]:
    """Character spans of the lines written in Title Case (headlines, sub-headlines, captions)."""
    spans, pos = [], 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        words = _WORD.findall(line)
        long = [w for w in words if len(w) > 3]
        if (MIN_WORDS <= len(words) <= MAX_WORDS and long
                and sum(w[0].isupper() for w in long) >= CAPITALISED_LONG_WORDS * len(long)
                and sum(w[0].isupper() for w in words) >= CAPITALISED_WORDS * len(words)
                # prose dense with names still writes its verbs and nouns in lower case ("The West needs Ukraine")
                and not any(w[0].islower() and w.lower() not in STOP_WORDS for w in long)):
            spans.append((start, start + len(line.rstrip())))
    return spans


def recase_headlines(nlp: Language, sdoc: SpacyDoc) -> int:
    """Re-parse the Title Case lines of a parsed document in place; returns how many lines took the new parse.

    A line takes it only when it is whole sentences in the old parse (no dependency crosses its edges) and the
    re-cased text tokenises the same way, so every offset and entity stays valid."""
    text = sdoc.text
    lines = [span for start, end in title_case_lines(text)
             if (span := sdoc.char_span(start, end, alignment_mode="expand")) is not None and len(span)]
    lines = [span for span in lines if _self_contained(span)]
    if not lines:
        return 0
    inside = {t.i for span in lines for t in span}
    lower_seen, capital_seen = _body_evidence(sdoc, inside)
    # a two-word entity vouches for an unseen word only if the text repeats it or knows neither word as a name:
    # "Marchuk Heads", tagged PERSON in a headline whose body names Marchuk, does not vouch for "Heads"
    short_names = {t.i for e in sdoc.ents if e.label_ in _NAME_TYPES and (len(e) == 1 or len(e) == 2 and (
        text.count(e.text) > 1 or not any(t.lower_ in capital_seen for t in e))) for t in e}
    array = sdoc.to_array(_ATTRS).astype(np.uint64)
    changed = 0
    for span in lines:
        recased = "".join(_recased(t, span, lower_seen, capital_seen, short_names) + t.whitespace_ for t in span)
        if recased == span.text_with_ws:
            continue
        sub = nlp.make_doc(recased)
        if len(sub) != len(span) or any(len(a) != len(b) for a, b in zip(sub, span)):
            continue
        for name, proc in nlp.pipeline:  # not nlp.select_pipes: the shared pipeline must not change under threads
            if name != "ner":
                sub = proc(sub)
        array[span.start : span.end] = sub.to_array(_ATTRS).astype(np.uint64)
        sdoc.user_data.setdefault(RECASED_KEY, []).append((span.start, span.end))
        changed += 1
    if changed:
        sdoc.from_array(_ATTRS, array)
    return changed


def recased(token) -> bool:
    """Whether the token stands on a line that took the re-cased parse, so its part of speech can be trusted to
    tell a name from a common word."""
    return any(start <= token.i < end for start, end in token.doc.user_data.get(RECASED_KEY, ()))


def _self_contained(span: SpacySpan) -> bool:
    """No token of the line depends on a token outside it, nor (whitespace aside) the other way round."""
    return all(span.start <= t.head.i < span.end
               and all(span.start <= c.i < span.end or c.is_space for c in t.children) for t in span)


def _body_evidence(sdoc: SpacyDoc, inside: set[int]) -> tuple[set[str], set[str]]:
    """Words written in lower case outside the headlines, and words capitalised there inside a sentence."""
    lower_seen, capital_seen = set(), set()
    for t in sdoc:
        if t.i in inside or not t.is_alpha:
            continue
        if t.is_lower:
            lower_seen.add(t.lower_)
        elif t.is_title and not t.is_sent_start and t.i > 0 and t.nbor(-1).text not in _OPENERS:
            capital_seen.add(t.lower_)
    return lower_seen, capital_seen


def _recased(t, span: SpacySpan, lower_seen: set[str], capital_seen: set[str], short_names: set[int]) -> str:
    """The token as ordinary prose would write it (see the module docstring)."""
    if t.i == span.start or not t.is_title or t.nbor(-1).text in _OPENERS:
        return t.text
    word = t.lower_
    if word in capital_seen and word not in lower_seen:
        return t.text
    if word in lower_seen and word not in capital_seen or t.is_stop:
        return t.text.lower()
    return t.text if t.i in short_names else t.text.lower()
