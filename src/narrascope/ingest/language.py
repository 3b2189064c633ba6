"""The ``language`` component: which language an article is in, and how sure we are.

Why it matters: most analysis components are trained on English and would produce confident nonsense
on a German or Russian article; the pipeline skips ``english_only`` components for non-English
articles, so this step must say "not English" only when it is sure. py3langid (a maintained fork of
langid.py: fast, offline, its model inside the wheel) gives calibrated probabilities; a short text
or a low-confidence guess leaves the language *undetermined* (None, with a warning) rather than
guessing, so a short English headline is not mistaken for Luxembourgish and stripped of its analysis.
"""

from __future__ import annotations

from functools import cache

from ..pipeline import Doc, registry

MIN_LETTERS = 40  # below this, language identification by character n-grams is a coin toss
MAX_CHARS = 20_000  # the start of a long article is plenty, and keeps this step fast
MIN_CONFIDENCE = 0.5


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str, min_confidence: float = MIN_CONFIDENCE) -> tuple[str | None, float | None, str | None]:
    """``(language, confidence, warning)``: ISO 639-1 code or None when undetermined, with why."""
    sample = text[:MAX_CHARS]
    letters = sum(ch.isalpha() for ch in sample)
    if letters < MIN_LETTERS:
        return None, None, f"language not detected: the text is too short ({letters} letters)"
    lang, confidence = _identifier().classify(sample)
    confidence = round(float(confidence), 4)
    if confidence < min_confidence:
        return None, confidence, f"language undetermined (best guess '{lang}' at {confidence:.2f} confidence)"
    if lang != "en":
        return lang, confidence, f"article language is '{lang}', not English: English-only steps are skipped"
    return lang, confidence, None


class LanguageDetector:
    """Sets ``article.language`` / ``language_confidence``; warns on non-English or undetermined text."""

    version = "1"

    def __init__(self, min_confidence: float = MIN_CONFIDENCE):
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        article = doc.analysis.article if doc.analysis else None
        if article is None:
            raise ValueError("no article: run the 'clean' component first")
        lang, confidence, warning = detect(article.text, self.min_confidence)
        article.language, article.language_confidence = lang, confidence
        if warning and warning not in article.warnings:
            article.warnings.append(warning)
        return doc


@registry.components.register("language")
def make_language(min_confidence: float = MIN_CONFIDENCE) -> LanguageDetector:
    """Factory for the ``language`` step; ``min_confidence`` below which the language is left undetermined."""
    return LanguageDetector(min_confidence)
