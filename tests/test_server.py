"""The REST API over a real uvicorn server on 127.0.0.1 (httpx client): ingest, queries, safety rules.

The server analyses with the real ingest steps only (extract_html, clean, language): the API plumbing
is under test here, not the models, and that keeps the module fast. Two invented articles are stored
up front (see ``corpus_fixtures``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from datetime import timedelta

import httpx
import pytest

from corpus_fixtures import article_a, article_b, without_outlet
from narrascope.model import Analysis, Article, Span
from narrascope.pipeline import Pipeline
from narrascope.server import service, viewdata
from narrascope.server.app import InsecureBind, create_app, is_loopback
from narrascope.server.pages import PAGE_SIZE
from narrascope.server.run import background_server
from narrascope.store import ArticleFilter, open_store
from ui_fixtures import PAYLOADS, xss_analysis

INGEST_STEPS = ["extract_html", "clean", "language"]
MAX_BODY = 100_000
TEXT = ("Mayor Anna Petrenko said on Tuesday that the water supply in the city had been restored. "
        "\"Every district has water again,\" she told reporters. Officials said repairs would take weeks.")


def ingest_pipeline() -> Pipeline:
    return Pipeline.from_config(only=INGEST_STEPS)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("api") / "n.db") as s:
        for a in (article_a(), article_b()):
            s.save_analysis(a)
        yield s


@pytest.fixture(scope="module")
def client(store):
    app = create_app(store, pipeline=ingest_pipeline, max_body=MAX_BODY)
    with background_server(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def test_ingest_text_then_get_its_analysis(client):
    r = client.post("/api/v1/articles", json={"text": TEXT, "title": "Water is back", "outlet": "City Post",
                                              "published": "2024-02-06"})
    assert r.status_code == 201, r.text
    analysis = Analysis.model_validate(r.json())
    assert analysis.article.outlet == "City Post" and analysis.article.title == "Water is back"
    assert analysis.check_spans() == []
    got = client.get(f"/api/v1/articles/{analysis.article.id[:8]}")
    assert got.status_code == 200
    assert got.json() == analysis.model_dump(mode="json")


def test_ingest_html_is_extracted(client):
    page = ("<html><body><nav>Home | Sport</nav><article><h1>Port shelled</h1><p>The port was shelled on Monday, "
            "officials said, and two grain silos burned through the night.</p></article></body></html>")
    r = client.post("/api/v1/articles", json={"text": page, "format": "html"})
    assert r.status_code == 201, r.text
    assert r.json()["article"]["title"] == "Port shelled" and "<p>" not in r.json()["article"]["text"]


def test_page_source_pasted_or_uploaded_as_text_is_read_as_html(client):
    """As a .txt file holding a page is read: the tags stayed in the clean text, the <h1> was no title."""
    page = ("<html><body><nav>Home | Sport</nav><article><h1>Ferry resumes</h1><p>The ferry resumed on Monday, "
            "officials said, after two weeks of repairs to the pier.</p></article></body></html>")
    pasted = client.post("/api/v1/articles", json={"text": page})
    uploaded = client.post("/api/v1/articles/upload", files={"file": ("saved-page.txt", page.encode())})
    for r in (pasted, uploaded):
        assert r.status_code == 201, r.text
        article = r.json()["article"]
        assert article["title"] == "Ferry resumes" and "<" not in article["text"] and article["raw_format"] == "html"


def test_upload_a_file(client):
    r = client.post("/api/v1/articles/upload", files={"file": ("note.txt", b"A short uploaded report about grain exports.")},
                    data={"outlet": "Upload Daily"})
    assert r.status_code == 201, r.text
    assert r.json()["article"]["outlet"] == "Upload Daily"
    cp1251 = "Мэр заявил, что мост откроют в пятницу.".encode("cp1251")
    r = client.post("/api/v1/articles/upload", files={"file": ("ru.txt", cp1251)})
    assert r.status_code == 201 and "мост" in r.json()["article"]["text"]
    bad = client.post("/api/v1/articles/upload", files={"file": ("x.exe", b"MZ")})
    assert bad.status_code == 422 and "upload a" in bad.json()["error"]["message"]
    empty = client.post("/api/v1/articles/upload", files={"file": ("blank.txt", b" \n\n ")})
    assert empty.status_code == 422 and empty.json()["error"]["message"] == "'blank.txt': empty file"
    binary = client.post("/api/v1/articles/upload", files={"file": ("x.txt", b"\x00\x01binary")})
    assert binary.status_code == 422 and "binary" in binary.json()["error"]["message"]


def test_a_publication_date_not_on_the_calendar_is_refused(client):
    """A pattern let '2023-02-30' and '2023-11-01; anything' be stored as the article's date (the CLI's
    --published refuses them); the upload form's date was not checked at all."""
    for bad in ("2023-02-30", "2023-11-01; anything", "2023-99-99"):
        r = client.post("/api/v1/articles", json={"text": TEXT, "published": bad})
        assert r.status_code == 422 and r.json()["error"]["detail"][0]["loc"] == ["body", "published"], (bad, r.text)
        up = client.post("/api/v1/articles/upload", files={"file": ("d.txt", TEXT.encode())}, data={"published": bad})
        assert up.status_code == 422 and up.json()["error"]["detail"][0]["loc"] == ["body", "published"], (bad, up.text)
    blank = client.post("/api/v1/articles/upload", files={"file": ("d.txt", b"A blank date field is no date.")},
                        data={"published": ""})
    assert blank.status_code == 201 and blank.json()["article"]["published"] is None


def test_list_paginates_with_total(client):
    client.post("/api/v1/articles", json={"text": "A third invented article on river barges.", "outlet": "Barge News"})
    first = client.get("/api/v1/articles", params={"limit": 1, "offset": 0}).json()
    second = client.get("/api/v1/articles", params={"limit": 1, "offset": 1}).json()
    assert first["total"] >= 3 and first["total"] == second["total"]
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    only = client.get("/api/v1/articles", params={"outlet": "Frontline Realist"}).json()
    assert only["total"] == 1 and only["items"][0]["n_quotes"] == 4
    by_actor = client.get("/api/v1/articles", params={"actor": "Orlov"}).json()
    assert [i["outlet"] for i in by_actor["items"]] == ["Frontline Realist"]


def test_compare_two_articles(client):
    a, b = article_a().article.id, article_b().article.id
    r = client.get("/api/v1/compare", params={"ids": f"{a},{b}"})
    assert r.status_code == 200, r.text
    sides = {s["outlet"]: s for s in r.json()["articles"]}
    assert "URW: Discrediting Ukraine: Situation in Ukraine is hopeless" in sides["Frontline Realist"]["only_here"]["narratives"]
    assert client.get("/api/v1/compare", params={"ids": a}).status_code == 422
    # ids come from the request: a comparison names at most MAX_COMPARE_IDS articles, API and page alike
    many = ",".join([a, b] * (viewdata.MAX_COMPARE_IDS // 2 + 1))
    for path in ("/api/v1/compare", "/compare"):
        r = client.get(path, params={"ids": many})
        assert r.status_code == 422 and "at most" in r.json()["error"]["message"], r.text


def test_compare_counts_an_article_once_and_names_an_unknown_id(client):
    a, b = article_a().article.id, article_b().article.id
    for path in ("/api/v1/compare", "/compare"):
        same = client.get(path, params={"ids": f"{a[:6]},{a}"})  # a prefix and its full id: one article
        assert same.status_code == 422 and "two different" in same.json()["error"]["message"], (path, same.text)
        unknown = client.get(path, params={"ids": f"{a},ffffffffff"})
        assert unknown.status_code == 404 and "'ffffffffff'" in unknown.json()["error"]["message"], (path, unknown.text)
        assert client.get(path, params={"ids": [a, b]}).status_code == 200
    page = client.get("/compare", params={"ids": f"{a},{a}"}, headers={"accept": "text/html"})
    assert page.status_code == 422 and "two different article ids" in page.text  # a message, not an empty page


def test_malformed_dates_enums_and_page_numbers_are_422(client):
    for path, params in [("/api/v1/articles", {"since": "notadate"}), ("/api/v1/articles", {"until": "2024-13-01"}),
                         ("/", {"since": "yesterday"}), ("/api/v1/quotes", {"sourcing": "bogus"}),
                         ("/api/v1/labels", {"kind": "bogus"}), ("/", {"page": 0}), ("/stories", {"page": 0}),
                         ("/actors", {"page": -5}), ("/actors/olena-marchenko", {"page": -1})]:
        r = client.get(path, params=params)
        assert r.status_code == 422, (path, params, r.status_code)
        assert r.json()["error"]["detail"][0]["loc"][-1] == next(iter(params)), (path, params)
    # An empty form field is no filter, as leaving it out.
    assert client.get("/", params={"since": "", "until": ""}).status_code == 200
    dated = client.get("/api/v1/articles", params={"since": "2023-11-30", "until": "2023-12-31"}).json()
    assert dated["total"] >= 1 and all("2023-11-30" <= i["published"] <= "2023-12-31" for i in dated["items"])
    assert client.get("/api/v1/quotes", params={"sourcing": "anonymous"}).status_code == 200
    past = client.get("/actors", params={"page": 2})  # fewer actors than one page
    assert past.status_code == 404 and "they fit on fewer pages (1,000 a page)" in past.json()["error"]["message"]


def test_corpus_queries(client):
    actors = client.get("/api/v1/actors").json()
    assert any(r["entity_id"] == "olena-marchenko" for r in actors["items"])
    quotes = client.get("/api/v1/quotes", params={"speaker": "viktor-orlov"}).json()
    assert {q["text"] for q in quotes["items"]} >= {"The West has abandoned Ukraine,"}
    actor = client.get("/api/v1/actors/olena-marchenko").json()
    framing = {f["outlet"]: f["roles"] for f in actor["by_outlet"]}
    assert framing == {"Kyiv Ledger": {"Protagonist": 1}, "Frontline Realist": {"Antagonist": 1}}
    assert [q["quote"]["text"] for q in actor["quotes_about"]] == ["President Petro Hrytsenko is preparing to dismiss Marchenko"]
    assert actor["quotes_about"][0]["speaker"] == "sources in Kyiv" and actor["quotes_about"][0]["speaker_key"] is None
    labels = client.get("/api/v1/labels", params={"kind": "technique", "by": "outlet"}).json()
    assert {"outlet": "Frontline Realist", "label": "Doubt"}.items() <= next(
        r for r in labels if r["label"] == "Doubt").items()
    dashboard = client.get("/api/v1/dashboard").json()
    assert dashboard["top_actors"][0]["name"] == "Olena Marchenko"


def test_actor_pages_read_a_page_of_articles_and_count_the_corpus(client):
    first = client.get("/api/v1/actors/olena-marchenko", params={"limit": 1}).json()
    assert first["page"] == {"offset": 0, "limit": 1, "n_read": 1, "has_more": True}
    assert (first["n_articles"], first["n_quotes"]) == (2, 3)  # both articles, though one was read
    assert [a["outlet"] for a in first["articles"]] == ["Frontline Realist"]  # the newest
    second = client.get("/api/v1/actors/olena-marchenko", params={"limit": 1, "offset": 1}).json()
    assert second["page"]["has_more"] is False and second["by_outlet"] == first["by_outlet"]
    assert [a["outlet"] for a in second["articles"]] == ["Kyiv Ledger"]
    assert client.get("/api/v1/actors/olena-marchenko", params={"offset": 2}).status_code == 404
    assert client.get("/actors/olena-marchenko", params={"page": 2}).status_code == 404  # 50 a page


def test_export_jsonl_and_csv(client):
    jsonl = client.get("/api/v1/export")
    assert jsonl.status_code == 200
    lines = [Analysis.model_validate_json(line) for line in jsonl.text.splitlines()]
    assert len(lines) >= 2
    table = client.get("/api/v1/export", params={"format": "csv", "table": "quotes", "ids": article_b().article.id})
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(table.text)))) == 4


def test_an_article_download_is_named_after_the_article(client):
    """Every article page's CSV download was saved as quotes.csv / claims.csv, whatever its article."""
    b = article_b().article.id

    def saved_as(params: dict) -> str:
        return client.get("/api/v1/export", params=params).headers["content-disposition"]

    for table in ("quotes", "claims"):
        assert saved_as({"format": "csv", "table": table, "ids": b[:8]}) == f'attachment; filename="{table}-{b[:8]}.csv"'
    assert saved_as({"ids": b}) == f'attachment; filename="narrascope-{b[:8]}.jsonl"'
    assert saved_as({"format": "csv", "ids": f"{b},{b[:6]}"}) == f'attachment; filename="quotes-{b[:8]}.csv"'
    assert saved_as({"format": "csv", "ids": f"{b},{article_a().article.id}"}) == 'attachment; filename="quotes-2-articles.csv"'
    assert saved_as({"format": "csv"}) == 'attachment; filename="quotes.csv"'  # the whole corpus


def test_export_and_quotes_take_id_prefixes_and_name_an_unknown_id(client):
    """A prefix or a mistyped id filtered the download and the quote list to nothing, answered 200."""
    b = article_b().article.id
    table = client.get("/api/v1/export", params={"format": "csv", "table": "quotes", "ids": b[:8]})
    assert len(list(csv.DictReader(io.StringIO(table.text)))) == 4
    quotes = client.get("/api/v1/quotes", params={"article": b[:8]}).json()["items"]
    assert len(quotes) == 4 and {q["article_id"] for q in quotes} == {b}
    for path, params in (("/api/v1/export", {"ids": f"{b},ffffffffffff"}), ("/api/v1/quotes", {"article": "ffffffffffff"})):
        missing = client.get(path, params=params)
        assert missing.status_code == 404 and missing.json()["error"]["message"] == "no stored article with id 'ffffffffffff'"


def test_csv_export_neutralises_formulas_unless_raw(client):
    r = client.post("/api/v1/articles", json={"text": TEXT, "title": '=HYPERLINK("http://evil.example","x")',
                                              "outlet": "@SUM(1+1)"})
    assert r.status_code == 201, r.text
    article_id = r.json()["article"]["id"]
    try:
        params = {"format": "csv", "table": "articles", "ids": article_id}
        safe = list(csv.DictReader(io.StringIO(client.get("/api/v1/export", params=params).text)))[0]
        assert safe["title"].startswith("'=HYPERLINK") and safe["outlet"] == "'@SUM(1+1)"
        raw = list(csv.DictReader(io.StringIO(client.get("/api/v1/export", params={**params, "raw": True}).text)))[0]
        assert raw["title"].startswith("=HYPERLINK") and raw["outlet"] == "@SUM(1+1)"
    finally:
        assert client.delete(f"/api/v1/articles/{article_id}").status_code == 204


def test_oversized_bodies_get_413(client):
    big = {"text": "word " * (MAX_BODY // 4)}
    r = client.post("/api/v1/articles", json=big)
    assert r.status_code == 413 and r.json()["error"]["status"] == 413

    def chunks():  # no Content-Length: the limit must hold on the streamed body too
        for _ in range(20):
            yield b"x" * 10_000

    r = client.post("/api/v1/articles", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_url_ingest_refuses_loopback(client):
    r = client.post("/api/v1/articles/url", json={"url": str(client.base_url.join("/api/v1/health"))})
    assert r.status_code == 422
    message = r.json()["error"]["message"].lower()
    assert "private" in message or "loopback" in message or "not public" in message, message
    assert "only the command line" in message  # the API has no switch to allow it: the hint must not suggest one


def test_an_ambiguous_id_prefix_is_named_as_such(tmp_path):
    """A prefix two stored ids share was "no article with id '7'" (404) on the API and the article page, and
    "no article ... (or the prefix is ambiguous)" on compare; the CLI lists the ids it could be."""
    a, b = article_a(), article_b()
    twins = [x.model_copy(update={"article": x.article.model_copy(update={"id": f"7aa{n}" + x.article.id[4:]})})
             for n, x in enumerate((a, b))]
    with open_store(tmp_path / "n.db") as store:
        for twin in twins:
            store.save_analysis(twin)
        app = create_app(store, pipeline=ingest_pipeline, max_body=MAX_BODY)
        with background_server(app) as url, httpx.Client(base_url=url, timeout=60) as c:
            expected = f"the id prefix '7aa' is ambiguous: {twins[0].article.id}, {twins[1].article.id}; type more of it"
            for response in (c.get("/api/v1/articles/7aa"), c.delete("/api/v1/articles/7aa"),
                             c.post("/api/v1/articles/7aa/analyze"), c.get("/api/v1/compare?ids=7aa&ids=7aa1")):
                assert response.status_code == 404 and response.json()["error"]["message"] == expected
            page = c.get("/articles/7aa")
            assert page.status_code == 404 and expected in page.text
            assert c.get("/api/v1/articles/7ab").json()["error"]["message"] == "no stored article with id '7ab'"


def test_errors_are_json(client):
    missing = client.get("/api/v1/articles/ffffffffffff")
    assert missing.status_code == 404 and missing.json()["error"]["message"].startswith("no stored article")
    invalid = client.post("/api/v1/articles", json={"title": "no text"})
    assert invalid.status_code == 422 and invalid.json()["error"]["detail"][0]["loc"][-1] == "text"
    assert client.get("/api/v1/articles", params={"limit": 0}).status_code == 422


def test_openapi_documents_the_api(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/articles", "/api/v1/articles/url", "/api/v1/articles/upload", "/api/v1/compare",
                 "/api/v1/export", "/api/v1/actors", "/api/v1/quotes", "/api/v1/labels", "/api/v1/stories"):
        assert path in paths


def test_pages_render_with_a_strict_csp(client):
    for path in ("/", "/stories", "/dashboard", "/compare", "/actors", "/actors/olena-marchenko", "/ingest", "/api/docs",
                 f"/articles/{article_a().article.id}"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "script-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/articles/nope", headers={"accept": "text/html"}).status_code == 404


def _copy(base: Analysis, i: int) -> Analysis:
    """``base`` as a distinct article (a trailing line changes its id; the spans stay valid)."""
    text = f"{base.article.text}\n\nCopy {i}."
    return base.model_copy(update={"article": base.article.model_copy(update={"id": Article.make_id(text), "text": text})})


def test_home_page_reads_a_page_and_only_the_new_analyses(tmp_path, monkeypatch):
    """Each visit of the home page lists one page of rows and reads only the analyses saved since the
    last visit. It used to list every stored row for its outlet menu and its story cache (4.9 s at
    20,000 articles); this fails if either goes back to that."""
    with open_store(tmp_path / "home.db") as s:
        for i in range(2 * PAGE_SIZE):
            s.save_analysis(_copy((article_a, article_b)[i % 2](), i))
        reads: dict[str, list] = {"rows": [], "analyses": [], "since": []}
        list_articles, iter_analyses, analysed_since = s.list_articles, s.iter_analyses, s.analysed_since

        def listed(*args, **kwargs):
            rows = list_articles(*args, **kwargs)
            reads["rows"] += rows
            return rows

        def analysed(ids=None):
            for analysis in iter_analyses(ids):
                reads["analyses"].append(analysis.article.id)
                yield analysis

        def since(when=None):
            rows = analysed_since(when)
            reads["since"].append((when, len(rows)))
            return rows

        monkeypatch.setattr(s, "list_articles", listed)
        monkeypatch.setattr(s, "iter_analyses", analysed)
        monkeypatch.setattr(s, "analysed_since", since)
        app = create_app(s)
        with background_server(app) as url, httpx.Client(base_url=url, timeout=60) as c:
            first = c.get("/")
            assert first.status_code == 200 and article_b().article.outlet in first.text
            new = _copy(article_a(), 999)
            s.save_analysis(new)
            for visit in range(2):
                for kind in reads:
                    reads[kind].clear()
                assert c.get("/").status_code == 200
                assert len(reads["rows"]) <= PAGE_SIZE and all(when for when, _ in reads["since"])
                page = {r.id for r in reads["rows"]}
                assert set(reads["analyses"]) - page == ({new.article.id} - page if visit == 0 else set())
            stories = app.state.stories.stories()
            assert any(a["article_id"] == new.article.id
                       for st in stories for a in app.state.stories.story(st["id"])["articles"])
            # Past the look-back after the last save, a visit reads no row of the story cache at all.
            monkeypatch.setattr(app.state.stories, "LOOKBACK", timedelta(0))
            time.sleep(1.1)  # stamps are to the second
            for _ in range(2):
                reads["since"].clear()
                assert c.get("/").status_code == 200
            assert reads["since"][-1][1] == 0
        assert s.outlets() == sorted({a.article.outlet for a in (article_a(), article_b())}, key=str.casefold)


def _page_data(html: str) -> dict:
    """The JSON a server page is drawn from (its ``ns-data`` block)."""
    return json.loads(re.search(r'<script type="application/json" id="ns-data">(.*?)</script>', html, re.S)[1])


def test_story_compare_link_names_the_story(tmp_path):
    """The home page's "Compare" link of a story names the story, not its articles: the page used to
    carry every article id of every story (0.86 MB at 5,000 articles). This fails if the home page
    lists a story's articles again, or if the link stops leading to a comparison of that story."""
    outlets = [f"Outlet {n}" for n in range(5)]
    copies = [_copy(article_a(), i) for i in range(PAGE_SIZE + 5)]
    for i, a in enumerate(copies):
        a.article.outlet, a.article.published = outlets[i % len(outlets)], f"2023-06-{1 + i % 5:02d}"
    with open_store(tmp_path / "story.db") as s:
        for a in [*copies, xss_analysis(), _copy(xss_analysis(), 1)]:
            s.save_analysis(a)
        with background_server(create_app(s)) as url, httpx.Client(base_url=url, timeout=60) as c:
            home = c.get("/")
            data = _page_data(home.text)
            listed = {r["id"] for r in data["listing"]["items"]}
            assert len(listed) == PAGE_SIZE and all("articles" not in st for st in data["stories"])
            assert not [a.article.id for a in copies if a.article.id not in listed and a.article.id in home.text]
            story = next(st for st in data["stories"] if st["n_articles"] == len(copies))

            page = c.get("/compare", params={"story": story["id"]})
            assert page.status_code == 200
            shown = _page_data(page.text)
            assert shown["story"] == {"id": story["id"], "title": story["title"], "n_articles": len(copies),
                                      "outlets": outlets, "n_shown": 4}
            columns = [side["analysis"]["article"] for side in shown["articles"]]
            assert len(shown["comparison"]["articles"]) == 4 and len({a["outlet"] for a in columns}) == 4
            assert {a["id"] for a in columns} <= {a.article.id for a in copies}

            hostile = next(st for st in data["stories"] if st["n_articles"] == 2)
            page = c.get("/compare", params={"story": hostile["id"]})
            assert page.status_code == 200 and _page_data(page.text)["story"]["n_shown"] == 2
            assert not [p for p in PAYLOADS if p in page.text]

            by_ids = c.get("/compare", params={"ids": f"{copies[0].article.id},{copies[1].article.id[:10]}"})
            assert by_ids.status_code == 200 and len(_page_data(by_ids.text)["comparison"]["articles"]) == 2

            for bad in ("story-nope", "<script>window.__xss=1</script>"):
                gone = c.get("/compare", params={"story": bad}, headers={"accept": "text/html"})
                assert gone.status_code == 404 and "no story with id" in gone.text
                assert "<script>window.__xss" not in gone.text
                assert c.get("/compare", params={"story": bad}).json()["error"]["status"] == 404


def test_public_bind_needs_a_token(store):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    with pytest.raises(InsecureBind):
        create_app(store, host="0.0.0.0")
    app = create_app(store, token="s3cret", host="0.0.0.0", pipeline=ingest_pipeline)
    with background_server(app) as url, httpx.Client(base_url=url, timeout=60) as c:
        body = {"text": "An article sent with and without the token."}
        refused = c.post("/api/v1/articles", json=body)
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        assert c.post("/api/v1/articles", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.post("/api/v1/articles", json=body, headers={"Authorization": "Bearer s3cret"}).status_code == 201
        assert c.get("/api/v1/articles").status_code == 200  # reads stay open


def test_serve_command_refuses_a_public_address_without_token(tmp_path):
    from typer.testing import CliRunner

    from narrascope.cli import UserError, app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "n.db"), "--host", "0.0.0.0"])
    assert isinstance(result.exception, UserError) and result.exception.code == 2
    assert "--token" in str(result.exception)
    assert not (tmp_path / "n.db").exists()  # refused before touching the store


def test_story_cache_starts_from_a_saved_index(tmp_path, monkeypatch):
    """``serve --story-index``: the server starts from the saved index and reads only the analyses it
    lacks (clustering every stored article at start-up took ~140 s at 20,000), writes the index back at
    start-up and on exit, and clusters afresh in memory over a file it cannot use, leaving the file be. This fails if the saved
    index is ignored (every analysis read again) or never written."""
    from narrascope.corpus.stories import StoryIndex
    from narrascope.server.service import StoryCache

    def articles_in(path) -> set[str]:
        return {a["article_id"] for st in StoryIndex.load(path).to_dict()["stories"] for a in st["articles"]}

    copies = [_copy(article_a(), i) for i in range(6)]
    path = tmp_path / "stories.json"
    with open_store(tmp_path / "idx.db") as s:
        for a in copies:
            s.save_analysis(a)
        StoryIndex().add_all(copies[:4]).save(path)
        read: list[str] = []
        iter_analyses = s.iter_analyses

        def analysed(ids=None):
            for analysis in iter_analyses(ids):
                read.append(analysis.article.id)
                yield analysis

        monkeypatch.setattr(s, "iter_analyses", analysed)
        cache = StoryCache(s, path)
        assert sum(st["n_articles"] for st in cache.stories()) == 6
        assert set(read) == {a.article.id for a in copies[4:]}  # only what the saved index lacked
        assert articles_in(path) == {a.article.id for a in copies}  # written after the first look

        new = _copy(article_a(), 99)
        app = create_app(s, story_index=path)
        with background_server(app) as url, httpx.Client(base_url=url, timeout=60) as c:
            assert c.get("/").status_code == 200
            s.save_analysis(new)
            assert c.get("/").status_code == 200
        assert new.article.id in articles_in(path)  # written again when the server stopped

        path.write_text("{not json", "utf-8")  # or an index built with other settings: left as it is
        read.clear()
        assert sum(st["n_articles"] for st in StoryCache(s, path).stories()) == 7 and len(read) == 7  # afresh
        assert path.read_text("utf-8") == "{not json"


def test_story_cache_save_never_waits_for_a_clustering_in_progress(tmp_path):
    """Stopping the server must not wait for the start-up clustering (minutes on a large corpus)."""
    from narrascope.server.service import StoryCache

    with open_store(tmp_path / "busy.db") as s:
        for cache in (StoryCache(s), StoryCache(s, tmp_path / "stories.json")):
            cache._lock.acquire()  # a look at the store in progress
            try:
                done = threading.Event()
                threading.Thread(target=lambda c=cache: (c.save(), done.set()), daemon=True).start()
                assert done.wait(5)
            finally:
                cache._lock.release()


def test_home_page_shows_the_best_covered_stories_and_the_stories_page_the_rest(tmp_path, monkeypatch):
    """The home page lists the top stories only (their number grows with the corpus); the Stories
    page and ``GET /api/v1/stories`` page through all of them, most articles first."""
    from narrascope.server import pages

    monkeypatch.setattr(pages, "HOME_STORIES", 1)
    monkeypatch.setattr(pages, "STORIES_PAGE", 1)
    copies = [_copy(article_a(), i) for i in range(3)]
    with open_store(tmp_path / "stories.db") as s:
        for a in [*copies, xss_analysis(), _copy(xss_analysis(), 1)]:
            s.save_analysis(a)
        with background_server(create_app(s)) as url, httpx.Client(base_url=url, timeout=60) as c:
            home = _page_data(c.get("/").text)
            assert [st["n_articles"] for st in home["stories"]] == [3] and home["n_stories"] == 2
            listed = c.get("/api/v1/stories").json()
            assert listed["total"] == 2 and [st["n_articles"] for st in listed["items"]] == [3, 2]
            assert all("articles" not in st for st in listed["items"])
            assert c.get("/api/v1/stories", params={"offset": 1, "limit": 1}).json()["items"] == listed["items"][1:]
            second = c.get("/stories", params={"page": 2})
            assert second.status_code == 200 and not [p for p in PAYLOADS if p in second.text]
            assert _page_data(second.text)["listing"] | {"items": None} == {
                "total": 2, "limit": 1, "offset": 1, "items": None}
            assert _page_data(second.text)["listing"]["items"] == listed["items"][1:]
            assert c.get("/stories", params={"page": 3}).status_code == 404
            one = c.get(f"/api/v1/stories/{listed['items'][0]['id']}").json()
            assert {a["article_id"] for a in one["articles"]} == {a.article.id for a in copies}


def test_a_story_link_outlives_a_reclustering(tmp_path):
    """Story ids name the article that started the story. Clustered anew (a restart without
    ``--story-index``), a story may be started by another of its articles: the old id still leads to
    the story holding its article, until that article is deleted (then the 404 says what happened)."""
    from narrascope.server.service import StoryCache

    copies = [_copy(article_a(), i) for i in range(3)]
    for i, a in enumerate(copies):
        a.article.published = f"2023-06-0{3 + i}"
    earlier = _copy(article_a(), 9)
    earlier.article.published = "2023-06-01"
    with open_store(tmp_path / "restart.db") as s:
        for a in copies:
            s.save_analysis(a)
        running = StoryCache(s)
        (old,) = running.stories()
        s.save_analysis(earlier)  # arrives later, dated earlier: joins the running server's story
        assert [st["id"] for st in running.stories()] == [old["id"]]
        app = create_app(s)  # a restart without the saved index: clustered in date order
        with background_server(app) as url, httpx.Client(base_url=url, timeout=60) as c:
            (new,) = app.state.stories.stories()
            assert new["id"] != old["id"] and new["n_articles"] == 4
            assert c.get("/api/v1/stories/" + old["id"]).json()["id"] == new["id"]
            page = c.get("/compare", params={"story": old["id"]})
            assert page.status_code == 200 and _page_data(page.text)["story"]["id"] == new["id"]
            s.delete_article(copies[0].article.id)  # the article the old id names
            gone = c.get("/compare", params={"story": old["id"]}, headers={"accept": "text/html"})
            assert gone.status_code == 404 and "clustered anew" in gone.text and "/stories" in gone.text
            assert c.get("/api/v1/stories/" + old["id"]).status_code == 404
            assert c.get("/api/v1/stories/story-" + copies[1].article.id[:4]).status_code == 404  # too short


def test_stories_of_articles_without_an_outlet_are_listed(tmp_path):
    """The Stories page, the API, the home page and the static report list stories whose articles name no
    outlet (texts uploaded without one), as ``narrascope stories`` does: they hid every such story."""
    from narrascope.server.service import StoryCache

    bare = [without_outlet(_copy(article_a(), i)) for i in range(2)]
    with open_store(tmp_path / "bare.db") as s:
        for a in bare:
            s.save_analysis(a)
        (story,) = StoryCache(s).stories()
        with background_server(create_app(s)) as url:
            assert httpx.get(f"{url}/api/v1/stories", timeout=60).json()["items"] == [story]
    assert story["n_articles"] == story["n_without_outlet"] == 2 and story["outlets"] == []
    assert [st["id"] for st in viewdata.stories_view(bare)] == [story["id"]]


def test_dashboard_counts_the_articles_without_an_outlet(tmp_path):
    """Every article counts in the per-outlet figures: those without an outlet under ``without_outlet``
    (their outlet stays null in the JSON). The dashboard left them out of every outlet row, so its
    narrative rows, its "of the N articles" note and its outlet columns did not add up."""
    analyses = [without_outlet(article_a()), article_b()]
    with open_store(tmp_path / "d.db") as s:
        for a in analyses:
            s.save_analysis(a)
        dashboard = viewdata.dashboard_from_store(s)
    assert dashboard == viewdata.dashboard_view(analyses)
    assert dashboard["outlets"] == ["Frontline Realist"] and dashboard["n_outlets"] == 1
    none = dashboard["without_outlet"]
    assert none["n_articles"] == 1 and none["classified"] == {"narratives": 1, "techniques": 1}
    for layer in ("narratives", "techniques"):
        columns = [dashboard[f"{layer}_by_outlet"][o] for o in dashboard["outlets"]] + [none[layer]]
        assert all(sum(column) for column in columns)  # each column (and so each article) is counted somewhere
        assert sum(map(sum, columns)) == {"narratives": 1 + 2, "techniques": 2 + 3}[layer]  # (article, label) pairs
        assert sum(g[layer] for g in [*dashboard["classified_by_outlet"].values(), none["classified"]]) \
            == dashboard["n_classified"][layer]
    assert none["sourcing"]["n_claims"] == len(article_a().claims)
    assert viewdata.dashboard_view([article_b()])["without_outlet"] is None


def _relabelled(base: Analysis, i: int, *labels: tuple[str, str]) -> Analysis:
    """A copy of ``base`` (a distinct article) whose narrative labels are ``labels`` ((label, evidence) pairs)."""
    from narrascope.model import NarrativeLabel

    copy = _copy(base, i)
    text = copy.article.text
    narratives = [NarrativeLabel(label=label, narrative=label.rsplit(": ", 1)[0] if label != "Other" else "Other",
                                 domain="URW", confidence=0.74,
                                 evidence=[Span.of(text, text.index(ev), text.index(ev) + len(ev))])
                  for label, ev in labels]
    return copy.model_copy(update={"narratives": narratives})


def test_other_is_no_narrative_in_lists_counts_filters_and_comparisons(tmp_path):
    """"Other" (the article pushes none of the taxonomy's narratives) was chipped, counted and compared
    as if it were the corpus's commonest narrative; "<narrative>: Other" is a real sub-narrative label."""
    from narrascope.corpus.compare import compare

    sub = "URW: Discrediting Ukraine: Other"
    quiet = [_relabelled(article_a(), i, ("Other", "Analysts say")) for i in (1, 2)]
    loud = _relabelled(article_b(), 3, (sub, "on the verge of collapse"))
    with open_store(tmp_path / "o.db") as s:
        for a in [*quiet, loud]:
            s.save_analysis(a)
        listing = service.list_articles(s, ArticleFilter())
        assert {tuple(i["narratives"]) for i in listing["items"]} == {(), (sub,)}
        dashboard = viewdata.dashboard_from_store(s)
        assert dashboard["narratives"] == [sub] == viewdata.dashboard_view([*quiet, loud])["narratives"]
        assert list(viewdata.actor_counts(s, "olena-marchenko")["narratives"]) == [sub]
        assert "Other" not in viewdata.actor_view(quiet, "olena-marchenko")["narratives"]
        with background_server(create_app(s)) as url:
            home = _page_data(httpx.get(f"{url}/", timeout=60).text)
        assert home["narratives"] == [sub]
    both_quiet = compare(quiet)
    assert both_quiet.common_narratives == [] and all(side.narratives == {} for side in both_quiet.articles)
    mixed = compare([quiet[0], loud])
    assert mixed.articles[0].missing_here.narratives == [sub] and mixed.articles[1].only_here.narratives == [sub]
    assert mixed.articles[1].missing_here.narratives == [] and mixed.articles[0].only_here.narratives == []


def _german(base: Analysis) -> Analysis:
    """``base`` as the default pipeline leaves an article in German: the English-only layers never ran."""
    text = base.article.text
    warning = "skipped the English-only components (spacy, actors, coref, quotes, claims, narratives, roles, techniques)"
    return Analysis(article=base.article.model_copy(update={"language": "de", "text": text}),
                    components=["extract_html", "clean", "language"], warnings=[warning])


def test_an_article_in_another_language_is_not_analysed_rather_than_empty(tmp_path):
    """The English-only layers skipped on a German article found nothing, which is no finding: the list
    said 0 quotes and the comparison listed every narrative of the others as "absent here"."""
    from narrascope.corpus.compare import compare

    german, a, b = _german(_copy(article_a(), 7)), article_a(), article_b()
    summary = viewdata.article_summary(german)
    assert (summary["n_quotes"], summary["n_claims"], summary["narratives"], summary["n_techniques"]) == (None,) * 4
    assert summary["not_analysed"]["reason"] == "language de" and "quotes" in summary["not_analysed"]["layers"]
    assert viewdata.article_summary(a)["not_analysed"] is None and viewdata.article_summary(a)["n_quotes"] == 5
    assert viewdata.article_view(german)["not_analysed"] == summary["not_analysed"]
    cmp = compare([german, a, b])
    side = cmp.articles[0]
    assert set(side.not_run) == {"entities", "quotes", "claims", "narratives", "roles", "techniques"}
    assert side.missing_here.model_dump() == {"narratives": [], "techniques": [], "actors": []}
    assert cmp.articles[1].not_run == [] and cmp.common_techniques == ["Loaded_Language"]  # in a and b, not German
    only_pair = compare([german, a])
    assert only_pair.articles[1].only_here.narratives == [] and only_pair.common_narratives == []


def test_the_actor_filter_prefers_an_exact_name_over_a_longer_one_in_more_articles(tmp_path):
    from narrascope.model import Entity, Mention

    def analysis(text: str, eid: str, name: str) -> Analysis:
        at = text.index(name)
        mention = Mention(start=at, end=at + len(name), text=name, kind="name", entity_id=eid)
        return Analysis(article=Article(id=Article.make_id(text), text=text),
                        entities=[Entity(id=eid, name=name, type="PERSON", mentions=[mention])])

    with open_store(tmp_path / "n.db") as store:
        store.save_analysis(analysis("Lomov spoke on Monday.", "lomov", "Lomov"))
        for day in ("Tuesday", "Wednesday"):
            store.save_analysis(analysis(f"Lomov Jr spoke on {day}.", "lomov-jr", "Lomov Jr"))
        assert service.article_filter(store, actor="lomov").actor == ("lomov",)
        assert service.article_filter(store, actor="Lomov").actor == ("lomov",)
        # No exact match: every actor whose name contains it (it was the one in most articles only).
        both = service.article_filter(store, actor="Lom")
        assert both.actor == ("lomov-jr", "lomov") and store.count_articles(both) == 3
        assert service.article_filter(store, actor="nobody").actor == "nobody"  # taken as a key: no article
        app = create_app(store, pipeline=ingest_pipeline)
        with background_server(app) as url, httpx.Client(base_url=url, timeout=60) as c:
            assert c.get("/api/v1/articles", params={"actor": "Lom"}).json()["total"] == 3
            home = _page_data(c.get("/", params={"actor": "Lom"}).text)
            assert home["listing"]["total"] == 3
            assert home["actor_matches"] == {"actors": [{"key": "lomov-jr", "name": "Lomov Jr"},
                                                        {"key": "lomov", "name": "Lomov"}], "more": False}
            with pytest.MonkeyPatch.context() as mp:  # more actors match than are used: the page says so
                mp.setattr(service, "ACTOR_MATCHES", 1)
                home = _page_data(c.get("/", params={"actor": "Lom"}).text)
                assert home["listing"]["total"] == 2 and home["actor_matches"]["more"] is True


def test_speakers_known_only_by_name_are_in_the_actor_list(tmp_path):
    """A quote's speaker the actor layer made no entity of is listed (API and page) under the key its
    actor page takes, found by the list's search, and its untrusted name stays text."""
    from narrascope.model import Quote, Sourcing

    a = article_a()
    text = a.article.text
    at = text.index(a.quotes[0].content.text)
    content = Span.of(text, at, at + len(a.quotes[0].content.text))
    lind = Quote(id="q98", content=content, kind="indirect", speaker_name="<b>Anna</b> Lind", sourcing=Sourcing(kind="named"))
    allies = Quote(id="q99", content=content, kind="indirect", speaker_name="the President's allies",
                   sourcing=Sourcing(kind="group"))
    with open_store(tmp_path / "n.db") as store:
        store.save_analysis(a.model_copy(update={"quotes": [*a.quotes, lind, allies]}))
        app = create_app(store, pipeline=ingest_pipeline)
        with background_server(app) as url, httpx.Client(base_url=url, timeout=60) as c:
            listed = c.get("/api/v1/actors").json()["items"]
            assert listed[-1] == {"key": "name:<b>anna</b> lind", "entity_id": None, "name": "<b>Anna</b> Lind",
                                  "type": None, "n_articles": 1, "n_mentions": 0, "n_quotes": 1}
            assert all(r["key"] == r["entity_id"] for r in listed[:-1]) and len(listed) == len(a.entities) + 1
            assert [r["key"] for r in c.get("/api/v1/actors", params={"q": "LIND"}).json()["items"]] == [listed[-1]["key"]]
            assert c.get("/api/v1/actors", params={"q": "allies"}).json()["items"] == []  # a group is no actor
            last = c.get("/api/v1/actors", params={"limit": 1, "offset": len(listed) - 1}).json()
            assert last["items"] == [listed[-1]] and last["has_more"] is False
            assert c.get(f"/api/v1/actors/{listed[-1]['key']}").json()["name"] == "<b>Anna</b> Lind"
            html = c.get("/actors").text
            assert _page_data(html)["actors"][-1]["key"] == "name:<b>anna</b> lind"
            assert "<b>Anna</b>" not in html  # escaped in the page's JSON; the script draws it as text
