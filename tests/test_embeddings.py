"""The shared MiniLM embedder loads offline from packages and gives meaningful, context-aware vectors."""

import numpy as np

from narrascope.nlp.embeddings import DIM, embedder, sentence_vectors
from narrascope.pipeline import Doc
from narrascope.model import Span


def test_paraphrases_are_closer_than_unrelated_text():
    vectors = embedder().embed(
        ["The army is running out of shells.", "Troops lack artillery ammunition.", "I bake bread."]
    )
    assert vectors.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2] + 0.2


def test_span_vectors_depend_on_the_span_and_its_context():
    text = "The minister praised the volunteers and condemned the smugglers."
    volunteers = text.index("volunteers")
    smugglers = text.index("smugglers")
    spans = embedder().embed_spans(
        [(text, volunteers, volunteers + 10), (text, smugglers, smugglers + 9), ("volunteers", 0, 10)]
    )
    assert spans.shape == (3, DIM)
    # Different mentions in one context get different vectors, and context changes a word's vector.
    assert spans[0] @ spans[1] < 0.95
    assert spans[0] @ spans[2] < 0.99


def test_sentence_vectors_are_cached_per_document():
    doc = Doc.from_text("One sentence here. Another one there.")
    doc.analysis.sentences = [Span.of(doc.text, 0, 18), Span.of(doc.text, 19, 37)]
    first = sentence_vectors(doc)
    assert first.shape == (2, DIM)
    assert sentence_vectors(doc) is first


def test_vectors_keep_input_order_across_length_sorted_batches():
    model = embedder()
    texts = [f"{'very ' * (i % 5)}loaded words number {i}" for i in range(model.batch_size + 3)]
    expected = np.vstack([model.embed([t]) for t in texts])
    assert np.allclose(model.embed(texts), expected, atol=1e-4)
    assert model.embed([]).shape == (0, DIM)
