"""End-to-end UI tests in real headless Chromium (Playwright driving the system /usr/bin/chromium).

One server and one browser for the module. The store holds two invented articles about one event
(``corpus_fixtures``) and a hostile one (``ui_fixtures.xss_analysis``); the seed test adds the two
seed articles analysed by the real default pipeline, when ../shared/seeds is present.
"""

from __future__ import annotations

import re

import pytest

from corpus_fixtures import article_a, article_b, article_c, article_d
from narrascope.model import Analysis, Article
from narrascope.pipeline import Pipeline
from narrascope.report import write_report
from narrascope.server.app import create_app
from narrascope.server.run import background_server
from narrascope.store import open_store
from ui_fixtures import CHROMIUM, CHROMIUM_ARGS, IMG, SCRIPT, xss_analysis

pytestmark = pytest.mark.browser

A, B, X = article_a(), article_b(), xss_analysis()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: run scripts/install-browser.sh (Debian chromium) to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("ui") / "n.db") as s:
        for a in (A, B, X):
            s.save_analysis(a)
        yield s


@pytest.fixture(scope="module")
def base_url(store):
    app = create_app(store, pipeline=Pipeline.from_config(only=["extract_html", "clean", "language"]))
    with background_server(app) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any script error; reduced motion makes scrolling instant."""
    context = browser.new_context(viewport={"width": 1280, "height": 700}, reduced_motion="reduce")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    yield pg
    context.close()
    assert errors == [], errors


def doc(page, article_id: str):
    return page.locator(f".doc[data-article='{article_id}']").first


def quote_pieces(page, article_id: str) -> str:
    return "".join(page.locator(f".doc[data-article='{article_id}'] .m-quote").all_text_contents())


def test_compare_view_shows_both_sides_quotes_and_speakers(page, base_url):
    page.goto(f"{base_url}/compare?ids={A.article.id},{B.article.id}")
    columns = page.locator(".compare-col")
    assert columns.count() == 2
    left, right = columns.nth(0).inner_text(), columns.nth(1).inner_text()
    assert "Olena Marchenko" in left and "Taras Bondar" in left and "Viktor Orlov" not in left
    assert "Viktor Orlov" in right and "Incompetent" in right and "ONLY HERE" in right.upper()
    assert "We are holding the bridgehead," in quote_pieces(page, A.article.id)
    assert "The West has abandoned Ukraine," in quote_pieces(page, B.article.id)
    # The text is rendered whole and in order: the highlighting never drops or repeats characters.
    assert doc(page, A.article.id).text_content() == A.article.text
    # One speaker, one colour, in both columns.
    colours = page.eval_on_selector_all(
        ".cmp-actor", "els => els.filter(e => e.textContent.includes('Olena Marchenko'))"
                      ".map(e => e.style.getPropertyValue('--qc'))")
    assert len(colours) == 2 and colours[0] == colours[1]


def test_sourcing_percentages_add_up_to_100(page, base_url):
    """Each share was rounded alone: A's three claims, one of each kind, read 33% / 33% / 33% (99%)."""
    page.goto(f"{base_url}/compare?ids={A.article.id},{B.article.id}")
    legend = page.locator(f".compare-col[data-article='{A.article.id}'] .legend .legend-item")
    legend.first.wait_for()
    assert legend.all_inner_texts() == ["Named 34%", "Anonymous 33%", "Group 33%", "Unattributed 0%"]
    segments = page.locator(f".compare-col[data-article='{A.article.id}'] .stack-seg")
    assert [segments.nth(i).get_attribute("title") for i in range(3)] == ["Named 34%", "Anonymous 33%", "Group 33%"]


def test_story_compare_link_opens_the_story_comparison(page, base_url):
    """The home page's "Compare" button of a story leads to that story's comparison (by story id)."""
    page.goto(f"{base_url}/")
    story = page.locator("li.story").filter(has_text=A.article.title)
    assert story.count() == 1
    story.locator("a.button", has_text="Compare").click()
    page.wait_for_url("**/compare?story=*")
    assert page.locator(".compare-col").count() == 2
    assert page.locator(".story-notice").inner_text() == f"Story “{A.article.title}”: 2 of its 2 articles."
    assert {A.article.id, B.article.id} == {doc.get_attribute("data-article") for doc in page.locator(".doc").all()}


def test_stories_page_lists_the_stories_with_their_compare_links(page, base_url):
    page.goto(f"{base_url}/")
    assert page.locator("p.more").count() == 0  # every story fits on the home page: no "All ... stories" link
    page.locator("#mainnav a", has_text="Stories").click()
    page.wait_for_url("**/stories")
    assert page.locator("#mainnav a.active").inner_text() == "Stories"
    assert page.locator(".page-head .meta").inner_text() == "1 story covered by two or more articles, most articles first"
    page.locator("li.story").filter(has_text=A.article.title).locator("a.button", has_text="Compare").click()
    page.wait_for_url("**/compare?story=*")
    assert page.locator(".compare-col").count() == 2


def test_narrative_label_scrolls_to_and_flashes_its_evidence(page, base_url):
    page.set_viewport_size({"width": 1280, "height": 420})
    page.goto(f"{base_url}/articles/{B.article.id}")
    label = page.locator(".label-btn[data-target='n:1']")
    assert "The West does not care about Ukraine" in label.inner_text()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    label.click()
    flashed = page.locator(".m.flash")
    assert "".join(flashed.all_text_contents()) == "abandoned Ukraine"
    page.wait_for_function("() => { const r = document.querySelector('.m.flash').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; }", timeout=5000)


def test_actor_page_links_to_the_quote_in_its_article(page, base_url):
    page.goto(f"{base_url}/actors/viktor-orlov")
    link = page.locator(".quote-row a[href*='#q']").first
    quote_id = link.get_attribute("href").rsplit("%3A", 1)[-1]
    link.click()
    page.wait_for_url(f"**/articles/{B.article.id}#q*")
    quote = next(q for q in B.quotes if q.id == quote_id)
    flashed = "".join(page.locator(".m.flash").all_text_contents())
    assert quote.content.text in flashed and quote.speaker.text in flashed


def test_actor_page_pages_through_its_articles(page, base_url, monkeypatch):
    from narrascope.server import pages

    monkeypatch.setattr(pages, "ACTOR_ARTICLES", 1)  # the server runs in this process
    page.goto(f"{base_url}/actors/olena-marchenko")
    assert "2 articles" in page.locator(".actor-view .meta").first.text_content()  # counts cover the corpus
    pager = page.locator(".actor-view .pager")
    assert "articles 1–1 of 2" in pager.text_content()
    pager.get_by_role("link", name="Older →").click()
    page.wait_for_url("**/actors/olena-marchenko?page=2")
    assert page.locator(".actor-view .pager").get_by_role("link", name="← Newer").count() == 1
    assert page.locator(".actor-view .pager").get_by_role("link", name="Older →").count() == 0


def test_roles_show_their_confidence(page, base_url):
    """Like the narratives, each role carries a confidence bar (it was only in a hover tooltip)."""
    page.goto(f"{base_url}/articles/{A.article.id}")
    rows = page.locator(".role-row")
    assert rows.count() == len(A.roles)
    for i in range(rows.count()):
        assert rows.nth(i).locator(".conf .conf-text").all_inner_texts() == ["0.70"]


def test_technique_button_steps_through_its_uses(page, base_url):
    page.goto(f"{base_url}/articles/{B.article.id}")
    fear = page.locator(".tech-btn").filter(has_text="Appeal to Fear")
    fear.click()
    assert "".join(page.locator(".m.flash").all_text_contents()) == "would be destroyed within days"
    assert "1 of 1" in fear.inner_text()
    # the tooltip says how sure the model is
    assert "technique: Appeal_to_Fear-Prejudice · confidence 0.60" in page.locator(".m.flash").first.get_attribute("title")


def test_layer_toggles(page, base_url):
    page.goto(f"{base_url}/articles/{A.article.id}")
    text = doc(page, A.article.id)
    piece = page.locator(".m-quote").first
    assert "show-quote" in text.get_attribute("class")
    assert piece.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.locator("input[data-layer='quote']").uncheck()
    assert "show-quote" not in text.get_attribute("class")
    assert piece.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.locator("input[data-layer='claim']").check()
    assert "show-claim" in text.get_attribute("class")
    # Quotes grouped by speaker in the side panel, with the provenance chain of the anonymous one.
    panel = page.locator(".side-col").inner_text()
    assert "Two Western officials" in panel and "Kyiv Ledger" in panel


def test_small_glitches_a_page_past_the_end_and_backticks(page, base_url):
    """A page past the last one said "No articles match" under "3 articles"; the UI showed `code` literally."""
    page.goto(f"{base_url}/?page=2&outlet=")
    empty = page.locator("p.empty")
    assert re.match(r"There is no page 2: the \d+ articles fit on 1 page\. Go to page 1$", empty.inner_text())
    empty.get_by_role("link", name="Go to page 1").click()
    page.wait_for_url(f"{base_url}/?outlet=")
    assert page.locator("table.articles tbody tr").count() >= 3
    for path in ("/ingest", "/api/docs"):
        page.goto(base_url + path)
        assert "`" not in page.locator("#app").inner_text(), path
    assert page.locator("#app code", has_text="narrascope schema").count() == 1


def test_article_list_cells_sit_under_their_headings(page, tmp_path):
    """The Words cell had gone from each row: the quote count sat under "Words", the claims under "Quotes"."""
    page.goto(write_report([A], tmp_path / "report.html", title="Columns").as_uri())
    heads = page.locator("table.articles thead th").all_inner_texts()
    cells = page.locator("table.articles tbody tr").first.locator("td").all_inner_texts()
    assert len(cells) == len(heads)
    row = dict(zip((h.strip().lower() for h in heads), cells, strict=True))
    assert (row["words"], row["quotes"], row["claims"]) == (
        str(len(A.article.text.split())), str(len(A.quotes)), str(len(A.claims)))


def test_a_quote_opening_with_a_quoted_phrase_shows_where_it_ends(page, tmp_path):
    """Only its start was looked at: “not losing” does not mean … lost its closing mark, as if the quote were
    the two words; the terminal (render.quoted) already wrapped it."""
    from corpus_fixtures import build

    mixed = build("Anna Lind writes that “not losing” does not mean freezing the front. “We hold,” she said.",
                  title="Not losing", outlet="Kyiv Ledger", published="2023-11-29",
                  quotes=[dict(content="“not losing” does not mean freezing the front", kind="mixed",
                               speaker="Anna Lind", name="Anna Lind", cue="writes"),
                          dict(content="“We hold,”", kind="direct", speaker="she", name="Anna Lind", cue="said")])
    page.goto(write_report([mixed], tmp_path / "report.html", title="Marks").as_uri() + f"#/article/{mixed.article.id}")
    texts = page.locator(".quote-text")
    texts.first.wait_for()
    assert texts.all_inner_texts() == ["““not losing” does not mean freezing the front”", "“We hold,”"]


def test_paste_form_ingests_and_opens_the_article(page, base_url):
    page.goto(f"{base_url}/ingest")
    page.fill("input[name=title] >> nth=0", "Pasted piece")
    page.fill("textarea[name=text]", "A pasted article about a ferry line that reopened after the storm.")
    page.click("button:has-text('Analyse')")
    page.wait_for_url("**/articles/*", timeout=60_000)
    assert page.locator("h1").inner_text() == "Pasted piece"


def test_a_refused_form_field_is_named(page, base_url):
    """A field the API refuses was reported as "Failed: invalid request", with no word of which one."""
    page.goto(f"{base_url}/ingest")
    page.fill("input[name=outlet] >> nth=0", "O" * 300)
    page.fill("textarea[name=text]", "A pasted article about a ferry line that reopened after the storm.")
    page.click("button:has-text('Analyse')")
    status = page.locator(".status.error")
    status.wait_for()
    assert status.inner_text() == "Failed: invalid request; outlet: String should have at most 255 characters"


def _assert_inert(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img[src='x'], svg[onload]").count() == 0


def test_hostile_article_text_never_runs(page, base_url):
    aid = X.article.id
    for path in ("/", "/stories", f"/articles/{aid}", f"/compare?ids={aid},{A.article.id}", "/dashboard", "/actors",
                 "/actors/evil-name", "/ingest", "/api/docs", f"/?q=%3Cscript%3E"):
        page.goto(base_url + path)
        _assert_inert(page)
    page.goto(f"{base_url}/articles/{aid}")
    assert page.locator("h1").inner_text() == X.article.title  # shown literally
    assert SCRIPT in doc(page, aid).text_content() and IMG in doc(page, aid).text_content()
    assert page.locator("a[href^='javascript']").count() == 0
    page.locator(".label-btn[data-target='n:0']").click()
    _assert_inert(page)


def test_report_opens_offline_and_stays_inert(page, tmp_path):
    path = write_report([A, B, X], tmp_path / "report.html", title=f"Report {SCRIPT}")
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(path.as_uri())
    assert page.locator("h1").inner_text() == f"Report {SCRIPT}"
    page.locator(".story a.button").first.click()  # the two Dnipro articles form one story
    page.locator(".compare-col").first.wait_for()  # the page renders after the click (a busy machine is slower)
    assert page.locator(".compare-col").count() == 2
    for route in ("#/compare", "#/dashboard", "#/actors", "#/actor/evil-name", f"#/article/{X.article.id}",
                  f"#/article/{A.article.id}"):
        page.evaluate(f"location.hash = {route!r}")
        page.wait_for_function(f"() => location.hash === {route!r}")
        _assert_inert(page)
    assert page.locator("h1").inner_text() == A.article.title
    page.locator(".label-btn[data-target='n:0']").click()
    assert "Putin is a war criminal" in "".join(page.locator(".m.flash").all_text_contents())
    assert all(url.startswith("file:") for url in requests), requests  # nothing from the network


@pytest.mark.seeds
def test_seed_articles_through_the_real_pipeline(page, base_url, store, seeds_dir):
    """The canonical pair: analysed by the default pipeline, compared, every layer that is present shown."""
    from narrascope import runner

    outcomes = list(runner.analyze(sorted(str(p) for p in seeds_dir.glob("*.txt")), Pipeline.from_config(), store))
    assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    analyses = [o.analysis for o in outcomes]
    page.goto(f"{base_url}/compare?ids={','.join(a.article.id for a in analyses)}")
    assert page.locator(".compare-col").count() == 2
    for analysis in analyses:
        assert doc(page, analysis.article.id).text_content() == analysis.article.text
        if analysis.quotes:
            pieces = quote_pieces(page, analysis.article.id)
            assert all(q.content.text in pieces or q.content.text.strip() in pieces for q in analysis.quotes[:5])
    page.goto(f"{base_url}/articles/{analyses[0].article.id}")
    assert page.locator("h1").inner_text() == analyses[0].article.title
    if analyses[0].entities:
        assert page.locator(".m-actor").count() >= len(analyses[0].entities)


def test_no_narrative_reads_as_none_of_the_taxonomy_not_as_a_strong_other(page, tmp_path):
    """"Other" carries the probability of no narrative (0.74): shown as a 0.74 bar it read as a strong label."""
    from narrascope.model import NarrativeLabel

    from narrascope.model import Span

    start = A.article.text.index("Analysts say")
    other = NarrativeLabel(label="Other", narrative="Other", domain="URW", confidence=0.74,
                           explanation="No narrative of the taxonomy cleared the gate.",
                           evidence=[Span.of(A.article.text, start, start + len("Analysts say"))])
    quiet = A.model_copy(update={"narratives": [other]})
    page.goto(write_report([quiet], tmp_path / "report.html", title="Quiet").as_uri())
    page.evaluate(f"location.hash = '#/article/{A.article.id}'")
    item = page.locator("li.narrative")
    item.first.wait_for()
    assert item.count() == 1
    assert item.inner_text().startswith("None of the taxonomy's narratives (p=0.26 that the article pushes one)")
    assert item.locator(".conf").count() == 0
    # Its evidence sentences are not underlined as evidence of a narrative (the Evidence layer)
    assert page.locator(".m-ev").count() > 0  # the roles' evidence is
    assert all("Other" not in title for title in page.eval_on_selector_all(".m-ev", "els => els.map(e => e.title)"))
    # Nor is it a narrative chip on the home page
    page.evaluate("location.hash = '#/'")
    page.locator("table.articles").wait_for()
    assert page.locator("table.articles .chip.narr").count() == 0


def test_dashboard_and_stories_show_the_articles_without_an_outlet(page, tmp_path):
    """They are a column of their own, "(unknown outlet)", and the note's per-outlet counts add up; a
    story lists them after its outlets. Inside the note's parentheses the label is bare: it read
    "(Frontline Realist 1, (unknown outlet) 1)"."""
    anonymous = A.model_copy(update={"article": A.article.model_copy(update={"outlet": None})})
    page.goto(write_report([anonymous, B], tmp_path / "report.html", title="Outlets").as_uri())
    assert "2 articles · Frontline Realist, (unknown outlet) · " in page.locator("li.story").inner_text()
    page.evaluate("location.hash = '#/dashboard'")
    heat = page.locator("section.card").filter(has_text="Narratives by outlet")
    heat.wait_for()
    assert "Of the 2 of 2 articles the classifier read (Frontline Realist 1, unknown outlet 1)." in heat.inner_text()
    assert "((" not in page.locator("main").inner_text() and ") (" not in page.locator("main").inner_text()
    assert "(unknown outlet)" in heat.locator("svg").text_content()
    assert "+ 1 article without one" in page.locator(".kpis").inner_text()
    sourcing = page.locator("section.card").filter(has_text="Sourcing profile by outlet")
    assert "(unknown outlet)" in sourcing.inner_text()
    page.evaluate("location.hash = '#/compare'")
    page.locator(".compare-col").first.wait_for()
    heads = [m.inner_text() for m in page.locator(".compare-col .col-head p.meta").all()]
    assert sorted(h.split(" · ")[0] for h in heads) == ["(unknown outlet)", "Frontline Realist"]


def test_a_dashboard_with_nothing_to_chart_says_why(page, tmp_path):
    """Analysed articles in which nothing was found, or which the English-only steps skipped, were
    "Nothing analysed yet."."""
    empty = {"entities": [], "quotes": [], "claims": [], "narratives": [], "roles": [], "techniques": []}
    german = A.model_copy(update={**empty, "components": ["extract_html", "clean", "language"]})
    page.goto(write_report([german], tmp_path / "de.html", title="De").as_uri() + "#/dashboard")
    page.locator(".kpis").wait_for()
    assert ("No quotes, claims, narratives or techniques were found in the 1 article (the English-only steps "
            "skipped it: not in English).") in page.locator("main").inner_text()
    quiet = A.model_copy(update=empty)
    page.goto(write_report([quiet], tmp_path / "en.html", title="En").as_uri() + "#/dashboard")
    page.locator(".kpis").wait_for()
    assert "No quotes, claims, narratives or techniques were found in the 1 article." in page.locator("main").inner_text()


def test_narratives_over_time_labels_do_not_collide_and_say_what_a_column_counts(page, tmp_path):
    """Two weeks' labels ran together ("23-W48undated"), and a column stacked one article's narratives as if it
    were that many articles."""
    undated = B.model_copy(update={"article": B.article.model_copy(update={"published": None})})
    page.goto(write_report([A, undated], tmp_path / "report.html", title="Weeks").as_uri() + "#/dashboard")
    card = page.locator("section.card").filter(has_text="Narratives over time")
    card.wait_for()
    assert "so a column's height is not a number of articles" in card.inner_text()
    boxes = [label.bounding_box() for label in card.locator("text.x-label").all()]
    assert len(boxes) == 2
    first, second = sorted(boxes, key=lambda b: b["x"])
    assert first["x"] + first["width"] <= second["x"] or first["y"] + first["height"] <= second["y"]


def test_an_article_in_another_language_reads_as_not_analysed(page, tmp_path):
    """The English-only layers never ran on it: no "0 quotes", no "nobody is quoted", no "absent here"."""
    text = f"{A.article.text}\n\nAuf Deutsch."
    german = Analysis(article=A.article.model_copy(update={"id": Article.make_id(text), "text": text, "language": "de"}),
                      components=["extract_html", "clean", "language"])
    page.goto(write_report([german, B], tmp_path / "report.html", title="Languages").as_uri())
    row = page.locator("table.articles tbody tr").filter(has_text=german.article.id)
    assert row.locator("td.num").nth(1).inner_text() == "–"
    assert "not analysed (language de)" in row.inner_text()
    page.evaluate(f"location.hash = '#/article/{german.article.id}'")
    side = page.locator(".side-col")
    side.wait_for()
    assert side.inner_text().startswith("Not analysed (language de): actors, quotes, claims")
    assert "No analysis layers found anything" not in side.inner_text()
    page.evaluate("location.hash = '#/compare'")
    column = page.locator(f".compare-col[data-article='{german.article.id}']")
    column.wait_for()
    assert "not analysed (language de)" in column.inner_text() and "nobody is quoted" not in column.inner_text()
    assert column.locator(".missing").count() == 0  # nothing listed as "absent here"
    assert page.locator(f".compare-col[data-article='{B.article.id}'] .badge-only").count() == 0


def test_four_compare_columns_and_the_framing_table_fit_at_1024_px(page, tmp_path):
    """Four columns (a story's most) were 1,328 px wide at any width, and the actor page's six-column
    framing table overflowed its card."""
    text = f"{A.article.text}\n\nA later copy."
    later = A.model_copy(update={"article": A.article.model_copy(update={"id": Article.make_id(text), "text": text,
                                                                         "published": "2023-12-20"})})
    page.set_viewport_size({"width": 1024, "height": 700})
    page.goto(write_report([A, B, X, later], tmp_path / "report.html", title="Widths").as_uri())
    overflow = "sel => [...document.querySelectorAll(sel)].map(e => e.scrollWidth - e.clientWidth)"
    page.evaluate("location.hash = '#/compare'")
    page.locator(".compare-col").nth(3).wait_for()
    assert page.evaluate(overflow, ".compare-grid") == [0, 0]
    assert page.locator(".scroll-hint").is_hidden()
    page.evaluate("location.hash = '#/actor/olena-marchenko'")
    page.locator("table.framing").wait_for()
    assert "Guardian ×2" in page.locator("table.framing").inner_text()
    assert set(page.evaluate(overflow, ".actor-view .card, .table-scroll")) == {0}


def test_a_phone_width_page_does_not_scroll_sideways(page, base_url):
    """At 390 px the top bar (brand, five links, search) pushed every page to ~970 px."""
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/", "/stories", "/actors"):
        page.goto(f"{base_url}{path}")
        page.locator(".topbar").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 392, path
        assert page.locator(".quicksearch input").is_visible()


def test_a_speaker_known_only_by_name_has_no_chart_of_zero_mentions(page, tmp_path):
    from narrascope.model import Quote, Sourcing, Span

    text = A.article.text
    at = text.index(A.quotes[0].content.text)
    quote = Quote(id="q99", content=Span.of(text, at, at + len(A.quotes[0].content.text)), kind="indirect",
                  speaker_name="Anna Lind", sourcing=Sourcing(kind="named"))
    named = A.model_copy(update={"quotes": [*A.quotes, quote]})
    with open_store(tmp_path / "n.db") as store:
        store.save_analysis(named)
        app = create_app(store, pipeline=Pipeline.from_config(only=["extract_html", "clean", "language"]))
        with background_server(app) as url:
            page.goto(f"{url}/actors/name%3Aanna%20lind")
            page.locator(".actor-view h1").wait_for()
            assert page.locator(".actor-view h1").inner_text() == "Anna Lind"
            assert "1 quote" in page.locator(".actor-view .meta").first.inner_text()
            assert page.get_by_text("Mentions by outlet").count() == 0
            # The actors list has them, linked to that page; the home page's actor filter finds them too.
            page.goto(f"{url}/actors")
            row = page.locator(".actors-table tr", has_text="Anna Lind")
            assert row.locator("td").all_inner_texts()[1:] == ["", "1", "0", "1"]
            row.get_by_role("link", name="Anna Lind").click()
            page.locator(".actor-view h1").wait_for()
            assert page.url.endswith("/actors/name%3Aanna%20lind")
            page.goto(f"{url}/?actor=lind")
            assert page.locator(".actor-matches").inner_text() == "Articles of the actor Anna Lind"
            assert page.locator("table.articles tbody tr").count() == 1


def test_only_here_badges_stay_on_one_line_in_four_columns(page, tmp_path):
    """In four compare columns, a badge after an actor name in a flex row shrank and wrapped ("ONLY" over
    "HERE", or a letter a line next to a long name)."""
    page.goto(write_report([A, B, article_c(), article_d()], tmp_path / "report.html", title="Four").as_uri() + "#/compare")
    assert page.locator(".compare-col").count() == 4
    badges = page.locator(".compare-col .badge").all()
    assert badges and all(b.bounding_box()["height"] < 20 for b in badges)


def test_the_dashboard_note_of_one_article_is_singular(page, tmp_path):
    page.goto(write_report([A], tmp_path / "one.html", title="One").as_uri() + "#/dashboard")
    heat = page.locator("section.card").filter(has_text="Narratives by outlet")
    heat.wait_for()
    assert "Of the 1 of 1 article the classifier read" in heat.inner_text()


def test_reported_quotes_in_lists_show_their_cue(page, base_url):
    """Compare columns and actor pages listed "indirect “Vladimir Putin is a war criminal …”" with no word of
    how it was said; a denied statement read as asserted."""
    page.goto(f"{base_url}/actors/taras-bondar")
    row = page.locator("li.quote-row").filter(has_text="war criminal")
    assert "added “Vladimir Putin is a war criminal who bombs civilians”" in row.inner_text()
    page.goto(f"{base_url}/compare?ids={A.article.id},{B.article.id}")
    sample = page.locator(".compare-col .quote-jump").filter(has_text="war criminal")
    assert sample.locator(".cue-word").inner_text().strip() == "added"
