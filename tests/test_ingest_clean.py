"""The ingest components: extract_html, clean (furniture, headline, byline) and language."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from narrascope.ingest.clean import Cleaner, date_line, looks_like_name, parse_date
from narrascope.ingest.language import detect
from narrascope.ingest.sources import IngestError, iter_raw
from narrascope.pipeline import Doc, Pipeline, Raw

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
INGEST_STEPS = ["extract_html", "clean", "language"]


@pytest.fixture(scope="module")
def ingest():
    pipeline = Pipeline.from_config(only=INGEST_STEPS)

    def run(*raws: Raw) -> list[Doc]:
        return list(pipeline.pipe([Doc(raw=r) for r in raws]))

    return run


def test_html_page_gives_text_and_metadata(ingest):
    (raw,) = iter_raw([str(FIXTURES / "page.html")])
    original = raw.content
    (doc,) = ingest(raw)
    article = doc.analysis.article
    assert article.title == "Drone strike hits depot in Zaporizhzhia region"
    assert article.author == "Ivan Petrenko" and article.outlet == "Harbour Post"
    assert article.published == "2024-02-20" and article.url == "https://harbour-post.invalid/news/depot-strike"
    assert article.text.startswith("Drone strike hits depot in Zaporizhzhia region\n\nA fuel depot")
    assert "Share this article" not in article.text and "Home" not in article.text
    assert article.raw == original and article.raw_format == "html"
    assert article.language == "en" and doc.analysis.components == ["extract_html", "clean", "language"]


def test_malformed_html_is_an_error_not_a_crash(ingest, caplog):
    caplog.set_level(logging.WARNING)
    (empty,) = ingest(Raw(content="<html><body><script>var x = 1;</script></body></html>", format="html"))
    assert empty.error == "extract_html: no article text found in the HTML"
    assert not caplog.records, "the error line is the only message: no library warning on top of it"
    (broken,) = ingest(Raw(content="<html><body><p>Kyiv said <b>the front <i>held</p></div></html", format="html"))
    assert broken.error is None and broken.analysis.article.text == "Kyiv said the front held"
    (fragment,) = ingest(Raw(content="<div>Kyiv said the front held.</div>", format="html"))
    assert fragment.analysis.article.text == "Kyiv said the front held."


def test_plain_text_headline_byline_furniture_and_bio(ingest):
    (raw,) = iter_raw([str(FIXTURES / "plain.txt")])
    (doc,) = ingest(raw)
    article = doc.analysis.article
    assert article.title == "Night of drones over Kyiv"
    assert article.author == "Anna Kovalchuk" and article.published == "2024-02-26"
    assert article.text == (
        "Night of drones over Kyiv\n\nAir defence units shot down most of the drones launched overnight, the air "
        "force said on Monday. Debris fell on two districts of the capital, officials said, but nobody was hurt."
    )
    assert "Share this article" in article.removed and "Facebook Twitter Email" in article.removed
    assert any(r.startswith("Anna Kovalchuk is a reporter") for r in article.removed)
    assert article.id == article.make_id(article.text) and article.raw == raw.content


def test_json_records_use_their_fields(ingest):
    first, second = ingest(*[r for r in iter_raw([str(FIXTURES / "records.jsonl")])])
    a = first.analysis.article
    assert (a.title, a.author, a.outlet, a.published) == (
        "Ferry service resumes in Odesa", "Ivan Petrenko", "Harbour Post", "2024-02-23")
    assert a.text.startswith("Ferry service resumes in Odesa\n\nFerries resumed") and a.raw_format == "json"
    assert a.raw.startswith('{"title": "Ferry service')
    assert second.analysis.article.title is None and second.analysis.article.text.startswith("Grain exports")


def test_whitespace_is_normalised_and_quotes_kept():
    cleaned = Cleaner()("Title here\r\n\r\n\r\n\r\nHe  said \u201cwe   held\u201d.\u00a0 \u200bThen\tleft.\n\n\n\nEnd.  ")
    assert cleaned.text == "Title here\n\nHe said \u201cwe held\u201d. Then left.\n\nEnd."


def test_closing_paragraph_is_kept_unless_it_is_a_bio():
    text = "Headline\n\nThe front held.\n\nAnalysts say a boycott would still raise prices for consumers."
    assert Cleaner()(text).text.endswith("raise prices for consumers.")
    assert Cleaner()("Headline\n\nThe front held.\n\nJournalist and author, based in Kyiv.").removed


def test_glued_furniture_and_trailing_caption():
    text = "Headline\n\nThe General said the talks had stalled, according to two officials.\n\n" \
           "Print Friendly, PDF & EmailGen Valery Zaluzhny"
    cleaned = Cleaner()(text)
    assert cleaned.text.endswith("according to two officials.")
    assert cleaned.removed == ["Print Friendly, PDF & Email", "Gen Valery Zaluzhny"]


def test_captions_and_widgets_are_removed_and_listed():
    text = ("Headline\n\n5 min read\n\nSoldiers dig trenches near the front. (Photo: Harbour Post)\n\n"
            "Officials said on Friday that the shelling had stopped overnight, and repairs began.\n\n"
            "Read more: Odesa ferries resume\n\nAdvertisement\n\nThe mayor said repairs would take weeks.")
    cleaned = Cleaner()(text)
    assert cleaned.text == ("Headline\n\nOfficials said on Friday that the shelling had stopped overnight, and "
                            "repairs began.\n\nThe mayor said repairs would take weeks.")
    assert len(cleaned.removed) == 4


def test_no_title_when_the_first_paragraph_is_prose():
    lede = "Officials said on Friday that the shelling near the port of Odesa had stopped overnight, for now."
    assert Cleaner()(f"{lede}\n\nMore.").title is None
    assert Cleaner()("Why the port fell silent.\n\nMore.").title == "Why the port fell silent."


def test_only_furniture_is_an_error(ingest):
    (doc,) = ingest(Raw(content="Share this article\n\nSubscribe\n\n5 min read"))
    assert "no article text left after cleaning" in doc.error


@pytest.mark.parametrize(
    ("value", "iso"),
    [("Nov 29, 2023", "2023-11-29"), ("29 November 2023", "2023-11-29"), ("2023-11-29T10:00:00Z", "2023-11-29"),
     ("Tue, 20 Feb 2024 07:15:00 GMT", "2024-02-20"), ("04/03/2024", "2024-03-04"), ("last week", None)],
)
def test_parse_date(value, iso):
    assert parse_date(value) == iso


def test_date_lines_and_names():
    assert date_line("Published: 3 March 2024") == "2024-03-03"
    assert date_line("The war began on 24 February 2022.") is None
    assert looks_like_name("Paul Mason") and looks_like_name("Gen Valery Zaluzhny")
    assert not looks_like_name("The West needs to help") and not looks_like_name("Kyiv")


def test_language_flags_non_english_and_is_careful_with_short_text(ingest):
    german = "Die ukrainischen Truppen haben am Montag drei Angriffe abgewehrt, sagte der General in Kiew."
    (doc,) = ingest(Raw(content=german))
    article = doc.analysis.article
    assert article.language == "de" and article.language_confidence > 0.9
    assert any("not English" in w for w in article.warnings)
    assert detect("Kyiv holds") == (None, None, "language not detected: the text is too short (9 letters)")
    lang, confidence, warning = detect("The General said on Monday that the line is holding near the town.")
    assert lang == "en" and confidence > 0.5 and warning is None


def test_examples_ingest_cleanly(ingest):
    raws = list(iter_raw([str(ROOT / "examples")]))
    assert not [r for r in raws if isinstance(r, IngestError)]
    docs = {Path(d.raw.source).name: d for d in ingest(*raws)}  # JSONL records are "file.jsonl:N"
    assert all(d.error is None for d in docs.values())
    html = docs["01_kyiv-ledger_front-holds.html"].analysis.article
    assert (html.outlet, html.author, html.published) == ("The Kyiv Ledger", "Olena Marchenko", "2024-03-12")
    tired = docs["02_eastern-dispatch_west-is-tired.html"].analysis.article
    assert (tired.outlet, tired.author, tired.published) == ("Eastern Dispatch", "Viktor Sorokin", "2024-03-13")
    assert {"5 min read", "Share this article"} <= set(tired.removed) and "columnist" not in tired.text
    opinion = docs["03_opinion_hold-the-line.txt"].analysis.article
    assert opinion.title.startswith("Hold the line") and "Gen Taras Kovalenko" in opinion.removed
    assert "Print Friendly" not in opinion.text and opinion.text.endswith("on its doorstep.")
    assert docs["04_northline-wire.jsonl:2"].analysis.article.outlet == "Northline Wire"
    assert docs["05_de_frontbericht.txt"].analysis.article.language == "de"
    for name, doc in docs.items():
        words = len(doc.analysis.article.text.split())
        assert 80 <= words <= 400, name


@pytest.mark.seeds
def test_seeds_clean(seed_texts, ingest):
    docs = dict(zip(seed_texts, ingest(*[Raw(content=t, source=k) for k, t in seed_texts.items()]), strict=True))
    for doc in docs.values():
        assert doc.error is None and "Print Friendly" not in doc.analysis.article.text
        assert doc.analysis.article.language == "en"
    assert docs["000"].analysis.article.title.startswith("Faced with Defeat")
    assert docs["000"].analysis.article.text.endswith("draws nearer.")
    seed4 = docs["004"].analysis.article
    assert (seed4.title, seed4.author, seed4.published) == ("Ukraine: The path to victory?", "Paul Mason", "2023-11-29")
    assert seed4.text.startswith("Ukraine: The path to victory?\n\n")
    assert seed4.removed[:4] == ["Gen Valery Zaluzhny", "Paul Mason", "11 min read", "Nov 29, 2023"]  # reading order
    assert seed4.removed[4] == "Paul Mason" and "Author of" not in seed4.text
    assert "min read" not in seed4.text and not seed4.text.rstrip().endswith("Paul Mason")
    # seed 000 followed by the next article's caption, as when the files are concatenated
    glued = Cleaner()(seed_texts["000"] + seed_texts["004"].split("\n", 1)[0])
    assert glued.text.endswith("draws nearer.") and "Gen Valery Zaluzhny" in glued.removed


@pytest.mark.parametrize(
    ("value", "iso"),
    [("3. März 2024", "2024-03-03"), ("12 марта 2024", "2024-03-12"), ("Sept. 5th, 2023", "2023-09-05"),
     ("31/02/2024", None), ("Published on 1 Dec 2023 at 10:00 CET", "2023-12-01")],
)
def test_parse_date_other_languages_and_forms(value, iso):
    assert parse_date(value) == iso


def test_non_utf8_input_is_noted(ingest):
    (doc,) = ingest(Raw(content="Officials said the bridge reopened on Monday.", meta={"encoding": "cp1252"}))
    assert doc.analysis.article.warnings[0] == "decoded as cp1252"


def test_byline_needs_a_name_and_may_follow_a_standfirst():
    text = ("Kyiv rebuilds\n\nThe city is repairing its grid before winter. Engineers say it will take months.\n\n"
            "By Anna Kovalchuk and Sam Okafor\nMarch 4, 2024\n\n"
            "By Monday, crews had restored power to most districts, officials said.")
    cleaned = Cleaner()(text)
    assert cleaned.author == "Anna Kovalchuk and Sam Okafor" and cleaned.published == "2024-03-04"
    assert cleaned.text.endswith("By Monday, crews had restored power to most districts, officials said.")


def test_text_glued_after_final_furniture_is_dropped():
    cleaned = Cleaner()("Headline\n\nThe front held, officials said on Monday.\n\nShare this storyNext: ferries resume")
    assert cleaned.text == "Headline\n\nThe front held, officials said on Monday."
    assert cleaned.removed == ["Share this story", "Next: ferries resume"]


def test_metadata_edge_cases(ingest, tmp_path):
    path = tmp_path / "odd.json"
    path.write_text('{"text": "Officials said the bridge reopened.", "title": "Bridge\\n reopens", '
                    '"author": ["Anna Kovalchuk", "Sam Okafor"], "published": "sometime soon"}', "utf-8")
    (doc,) = ingest(*iter_raw([str(path)]))
    article = doc.analysis.article
    assert article.title == "Bridge reopens" and article.author == "Anna Kovalchuk, Sam Okafor"
    assert article.published is None
    assert article.warnings == ["publication date 'sometime soon' not understood; ignored"]


def test_html_inside_a_json_record_is_extracted(ingest, tmp_path):
    path = tmp_path / "scraped.jsonl"
    path.write_text('{"text": "<p>Kyiv said the front held.</p><p>Share this article</p>", "title": "Front holds"}\n',
                    "utf-8")
    (doc,) = ingest(*iter_raw([str(path)]))
    article = doc.analysis.article
    assert article.text == "Front holds\n\nKyiv said the front held." and article.raw.startswith('{"text": "<p>')
    assert article.raw_format == "html"


@pytest.mark.parametrize(("byline", "published"), [
    ("By Mark Ellison, Global Review, 3 February 2024", "2024-02-03"),  # the outlet between name and date
    ("By Jane Doe | The Daily, Feb 3, 2024", "2024-02-03"),
    ("By Jane Doe, 3 March 2024", "2024-03-03"),
    ("By Jane Doe, Staff Writer", None),
])
def test_a_byline_date_after_the_outlet_is_the_publication_date(byline, published):
    cleaned = Cleaner()(f"Talks stall again\n\n{byline}\n\n" + "The body of the article is long enough to be one. " * 4)
    assert (cleaned.author, cleaned.published) == (byline.split(",")[0].split("|")[0][3:].strip(), published)


@pytest.mark.parametrize(("line", "published"), [
    ("Brussels, 12 July 2024", "2024-07-12"), ("New York, Dec. 2, 2023", "2023-12-02"), ("Kyiv, Monday", None)])
def test_a_place_and_date_line_in_the_header_is_the_publication_date(line, published):
    cleaned = Cleaner()(f"Talks stall again\n\n{line}\n\n" + "The body of the article is long enough to be one. " * 4)
    assert cleaned.published == published
    assert (line in cleaned.text) == (published is None)  # a header line, not text


@pytest.mark.parametrize(("dateline", "outlet"), [
    ("MOSCOW, November 14. /TASS/.", "TASS"),
    ("WASHINGTON (Reuters) -", "Reuters"),
    ("ISTANBUL, July 18 (Harbor News) -", "Harbor News"),
    ("BERLIN (dpa) —", "dpa"),
    ("KYIV, March 11 -", None),
])
def test_a_wire_dateline_names_the_outlet(dateline, outlet):
    text = f"Talks stall again\n\n{dateline} The army lost 500 servicemen, the ministry said.\n\nA second paragraph."
    assert Cleaner()(text).outlet == outlet


@pytest.mark.parametrize(("dateline", "published"), [
    ("KYIV, March 3, 2024 —", "2024-03-03"),
    ("MOSCOW, November 14, 2023. /TASS/.", "2023-11-14"),
    ("GENEVA, Switzerland, 2 July 2025 (Harbor News) -", "2025-07-02"),
    ("KYIV, March 11 -", None),  # no year: not a date to file the article under
])
def test_a_dateline_with_a_full_date_dates_an_undated_article(dateline, published):
    text = f"Talks stall again\n\n{dateline} The army lost 500 servicemen, the ministry said.\n\nA second paragraph."
    assert Cleaner()(text).published == published
    assert Cleaner()(text, {"published": "2024-01-05"}).published == "2024-01-05"  # the page's own date wins


def test_the_outlet_given_with_the_input_wins_over_the_dateline():
    raw = Raw(source="wire.txt", content="Talks stall\n\nWASHINGTON (Reuters) - The talks stalled, officials said.",
              format="text", meta={"outlet": "Harbor News"})
    doc = Pipeline.from_config(only=["clean"])(Doc(raw=raw))
    assert doc.analysis.article.outlet == "Harbor News"


def test_a_title_from_metadata_is_not_prepended_again_in_other_typography():
    """A JSON record's "Kyiv's … - …" is the text's own "Kyiv’s … – …." headline: it stood twice at the top."""
    text = "Kyiv’s “Line” Holds – For Now.\n\nOfficials said on Tuesday that the line held through the night."
    cleaned = Cleaner()(text, {"title": "Kyiv's \"line\" holds - for now"})
    assert cleaned.text == text and cleaned.title == "Kyiv's \"line\" holds - for now"


def test_breadcrumbs_share_buttons_and_link_lists_are_furniture():
    """A breadcrumb trail was taken for the headline, "Share on Facebook Share on Twitter Email" and the
    headlines under "Read more:" stayed in the text (as claims and quotes to be)."""
    text = ("Home | World | Europe\n\nGrain corridor reopened after drone strikes\n\n"
            "Share on Facebook Share on Twitter Email\n\n"
            "Ukraine reopened its grain corridor on Wednesday, the infrastructure ministry said.\n\n"
            "Read more:\nOdesa port hit again\nGrain prices fall\n\n"
            "Related:\nShips wait off Odesa\nThe port reopened on Thursday, officials said.")
    cleaned = Cleaner()(text)
    assert cleaned.title == "Grain corridor reopened after drone strikes"
    assert cleaned.text == ("Grain corridor reopened after drone strikes\n\nUkraine reopened its grain corridor on "
                            "Wednesday, the infrastructure ministry said.\n\nThe port reopened on Thursday, officials said.")
    assert cleaned.removed == ["Home | World | Europe", "Share on Facebook Share on Twitter Email", "Read more:",
                               "Odesa port hit again", "Grain prices fall", "Related:", "Ships wait off Odesa"]


@pytest.mark.parametrize(("line", "author"), [("By Reuters", "Reuters"), ("By AFP", "AFP"), ("By Kovalenko", "Kovalenko"),
                                              ("By Monday", None), ("By March", None), ("By staff", None),
                                              ("By the end", None), ("By Ursula von der Leyen", "Ursula von der Leyen")])
def test_a_one_word_byline_is_a_byline(line, author):
    """"By Reuters" stayed in the text as a paragraph (a byline needed a name of two words or more); a day or a
    month after "By" is no byline."""
    text = f"Corridor reopened\n\n{line}\n\nOfficials said on Wednesday that the corridor reopened after two days of strikes."
    cleaned = Cleaner()(text)
    assert cleaned.author == author and (line in cleaned.removed) == (author is not None)
    assert (line in cleaned.text) == (author is None)


def test_a_short_html_page_keeps_its_paragraphs_whole(ingest):
    """Under 250 characters, trafilatura's fallback made every link, bold or italic word a paragraph of its own
    ("Officials said the" / "bridge" / "was closed on" / "Monday" / "."), which broke sentences and quotes."""
    page = ('<p>Officials said the <a href="/bridge">bridge</a> was closed on <b>Monday</b>.</p>'
            "<p>Residents were told to stay home, the mayor said.</p>")
    (doc,) = ingest(Raw(content=page, format="html", source="paste", meta={}))
    assert doc.analysis.article.text == ("Officials said the bridge was closed on Monday.\n\n"
                                         "Residents were told to stay home, the mayor said.")
    # Text outside any paragraph element is kept (the fallback's reading, the only one that has it).
    (loose,) = ingest(Raw(content="Officials said the <i>bridge was closed<p>Repairs start on Monday.</p>",
                          format="html", source="paste", meta={}))
    assert "Officials said the" in loose.analysis.article.text and "Repairs start on Monday." in loose.analysis.article.text
