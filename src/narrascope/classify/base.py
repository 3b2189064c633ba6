"""What the narrative and role classifiers share: sentences, model files, feature extraction.

Models are plain scikit-learn objects saved with joblib in a model directory (``model.joblib`` plus a
``MODEL_CARD.md``). joblib files are pickles, so only load model directories you trust — the shipped
ones are built by ``narrascope train`` from our own code.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from ..pipeline import Doc

MODEL_FILE = "model.joblib"
# A sentence ends at ., ! or ? (optionally followed by a closing quote or bracket) and whitespace, or
# at a blank line. Only used when the spaCy step has not run.
_SENT_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+|\n\s*\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets ``[start, end)`` by punctuation and blank lines, whitespace trimmed."""
    spans, start = [], 0
    for m in [*_SENT_END.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + len(chunk.rstrip())))
        start = m.end() if m else len(text)
    return spans


def doc_sentences(doc: Doc) -> list[tuple[int, int]]:
    """The spaCy sentences of the analysis when present, else a punctuation split of the text."""
    if doc.analysis is not None and doc.analysis.sentences:
        return [(s.start, s.end) for s in doc.analysis.sentences]
    return split_sentences(doc.text)


def text_features(max_word: int, max_char: int) -> FeatureUnion:
    """TF-IDF over word 1-2-grams and character 3-5-grams (robust to inflection and name spelling)."""
    common = {"sublinear_tf": True, "min_df": 2, "dtype": np.float32, "strip_accents": "unicode"}
    return FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2), max_features=max_word, lowercase=True, **common)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), max_features=max_char, **common)),
        ]
    )


def shipped_model_dir(name: str) -> Path:
    return Path(str(resources.files("narrascope.models").joinpath(name)))


def save_model(obj: dict[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / MODEL_FILE
    joblib.dump({**obj, "sklearn": sklearn.__version__}, path, compress=3)
    return path


def load_model(path: str | Path, kind: str, version: str | None = None) -> dict[str, Any]:
    """Load a model directory written by ``save_model``; clear errors when it is missing or stale.

    ``version``: the model format the caller decodes; a model of another format (trained by an older
    Narrascope) would load and then fail deep inside prediction, so it is refused here instead.
    """
    path = Path(path)
    file = path / MODEL_FILE if path.is_dir() else path
    if not file.exists():
        raise FileNotFoundError(
            f"no {kind} model at {file}; train one with `narrascope train {kind} DIR... --out {path}`"
        )
    obj = joblib.load(file)
    if obj.get("kind") != kind:
        raise ValueError(f"{file} is not a {kind} model")
    if obj.get("sklearn") != sklearn.__version__:
        raise ValueError(
            f"{file} was trained with scikit-learn {obj.get('sklearn')}, this is {sklearn.__version__}: retrain it"
        )
    if version is not None and obj.get("version") != version:
        raise ValueError(f"{file} is a {kind} model of version {obj.get('version')}, this is {version}: retrain it")
    return obj
