"""The data model's invariants and the component pipeline's contract."""

from __future__ import annotations

import pytest

from narrascope.model import Analysis, Article, Span, json_schema
from narrascope.pipeline import Doc, Pipeline, get_factory, parse_config, registry

TEXT = "Kyiv's mayor said on Monday that the city was ready. \"We will hold,\" he told reporters."


def test_span_of_takes_text_from_offsets():
    span = Span.of(TEXT, 0, 4)
    assert span.text == "Kyiv"


def test_check_spans_flags_a_span_that_disagrees_with_the_text():
    analysis = Analysis(article=Article(id="x", text=TEXT))
    analysis.sentences = [Span(start=0, end=4, text="Kyiv"), Span(start=0, end=4, text="Lviv")]
    problems = analysis.check_spans()
    assert len(problems) == 1 and "Lviv" in problems[0]


def test_article_id_is_a_stable_content_hash():
    assert Article.make_id(TEXT) == Article.make_id(TEXT)
    assert Article.make_id(TEXT) != Article.make_id(TEXT + " ")
    assert len(Article.make_id(TEXT)) == 16


def test_json_schema_is_versioned_and_covers_every_layer():
    schema = json_schema()
    props = schema["properties"]
    for key in ("schema_version", "article", "entities", "quotes", "claims", "narratives", "roles", "techniques"):
        assert key in props
    assert "Span" in schema["$defs"]


def test_unknown_fields_are_rejected():
    with pytest.raises(ValueError):
        Span(start=0, end=1, text="K", colour="red")


def test_pipeline_runs_registered_components_in_order_and_records_them():
    calls = []

    @registry.components.register("test_first")
    def make_first():
        def first(doc: Doc) -> Doc:
            calls.append("first")
            return doc
        return first

    @registry.components.register("test_second")
    def make_second(suffix: str = "!"):
        def second(doc: Doc) -> Doc:
            calls.append("second" + suffix)
            return doc
        return second

    config = parse_config({"components": ["test_first", {"test_second": {"suffix": "?"}}]})
    pipe = Pipeline.from_config(config)
    doc = pipe(Doc.from_text(TEXT))
    assert calls == ["first", "second?"]
    assert doc.analysis.components == ["test_first", "test_second"]
    assert doc.analysis.pipeline_version == pipe.version
    # The version changes with the configuration, so stored analyses know they are stale.
    other = Pipeline.from_config(parse_config({"components": ["test_first", "test_second"]}))
    assert other.version != pipe.version


def test_pipeline_version_changes_with_the_package_files(tmp_path, monkeypatch):
    """A component whose code changed without a version bump must still make stored analyses stale."""
    import narrascope.pipeline as pipeline_module

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "component.py").write_text("THRESHOLD = 0.5\n", "utf-8")
    before = pipeline_module.tree_digest(tmp_path)
    (tmp_path / "pkg" / "component.py").write_text("THRESHOLD = 0.6\n", "utf-8")
    assert pipeline_module.tree_digest(tmp_path) != before

    pipe = Pipeline.from_config(parse_config({"components": ["test_first"]}))
    stored = pipe.version
    monkeypatch.setattr(pipeline_module, "code_digest", lambda: "other code")
    assert pipe.version != stored


def test_english_only_components_are_skipped_with_a_warning_on_other_languages():
    class EnglishOnly:
        english_only = True

        def __call__(self, doc: Doc) -> Doc:
            raise AssertionError("must not run on German text")

    registry.components.register("test_english_only", func=lambda: EnglishOnly())
    pipe = Pipeline.from_config(parse_config({"components": ["test_english_only"]}))
    doc = pipe(Doc.from_text("Der Bürgermeister sagte am Montag etwas.", language="de"))
    assert any("English-only" in w for w in doc.analysis.warnings)


def test_unknown_component_names_are_reported_with_the_known_ones():
    with pytest.raises(KeyError, match="known:"):
        get_factory("no_such_component")


def test_spacy_component_writes_sentences_with_valid_offsets():
    pipe = Pipeline.from_config(only=["spacy"])
    doc = pipe(Doc.from_text(TEXT))
    assert len(doc.analysis.sentences) == 2
    assert doc.analysis.check_spans() == []
    assert any(ent.label_ == "DATE" and ent.text == "Monday" for ent in doc.nlp.ents)


def test_sentences_never_cross_a_paragraph_break():
    text = "Russia claims village, Ukraine says assaults repelled\n\nKYIV, March 11 - The army said it held."
    doc = Pipeline.from_config(only=["spacy"])(Doc.from_text(text))
    assert [s.text for s in doc.analysis.sentences][0] == "Russia claims village, Ukraine says assaults repelled"
