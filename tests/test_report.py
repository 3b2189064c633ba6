"""The self-contained HTML report: one file, nothing external, untrusted text only as escaped data.

(Opening it in Chromium and clicking through it is in ``test_ui.py``.)
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from corpus_fixtures import article_a, article_b
from narrascope.cli import UserError, app
from narrascope.report import ReportError, build_report
from narrascope.store import open_store
from ui_fixtures import PAYLOADS, xss_analysis


def embedded(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="ns-data">(.*?)</script>', html, re.S).group(1))


def test_report_is_one_self_contained_file():
    html = build_report([article_a(), article_b()], title="Dnipro crossing")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(?!data:)", html, re.I)
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    data = embedded(html)
    assert [v["analysis"]["article"]["outlet"] for v in data["articles"]] == ["Kyiv Ledger", "Frontline Realist"]
    assert len(data["compares"][""]["comparison"]["articles"]) == 2
    assert data["dashboard"]["n_articles"] == 2
    assert data["home"]["stories"] and all(s["id"] in data["compares"] for s in data["home"]["stories"])
    assert "olena-marchenko" in data["actors"]
    assert data["home"]["listing"]["total"] == 2


def test_untrusted_text_is_only_escaped_data():
    hostile = xss_analysis()
    html = build_report([hostile, article_a()], title=PAYLOADS[0])
    for payload in PAYLOADS:
        assert payload not in html
    data = embedded(html)
    assert data["title"] == PAYLOADS[0]
    assert data["articles"][0]["analysis"]["article"]["title"] == hostile.article.title


def test_nothing_to_report():
    with pytest.raises(ReportError):
        build_report([])


def test_report_command(tmp_path):
    db = tmp_path / "n.db"
    with open_store(db) as store:
        for a in (article_a(), article_b()):
            store.save_analysis(a)
    out = tmp_path / "report.html"  # the folder must exist: commands never create a missing parent
    runner = CliRunner()
    result = runner.invoke(app, ["report", "--stored", "--db", str(db), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"] == 2 and out.exists()
    by_id = runner.invoke(app, ["report", article_a().article.id[:6], "--db", str(db), "--out", str(out)])
    assert by_id.exit_code == 0, by_id.output
    assert len(embedded(out.read_text("utf-8"))["articles"]) == 1
    assert f"wrote {out} (1 article, " in " ".join(by_id.stderr.split())  # was "(1 articles, "
    # (main() turns a UserError into one stderr line and this exit code)
    missing = runner.invoke(app, ["report", "ffffff", "--db", str(db), "--out", str(out)])
    assert isinstance(missing.exception, UserError) and missing.exception.code == 4
    nothing = runner.invoke(app, ["report", "--db", str(db)])
    assert isinstance(nothing.exception, UserError) and nothing.exception.code == 2


def test_report_stored_names_the_filter_that_matched_nothing(tmp_path):
    """``report --stored --outlet Nope`` said "no analysed article was given", as if none had been asked for."""
    db, out, runner = tmp_path / "n.db", tmp_path / "report.html", CliRunner()
    with open_store(db) as store:
        store.save_analysis(article_a())  # outlet Kyiv Ledger, published 2023-11-29
        store.add_article(article_b().article.model_copy(update={"outlet": "Nope"}))  # ingested, not analysed

    def refused(*filters: str) -> UserError:
        result = runner.invoke(app, ["report", "--stored", *filters, "--db", str(db), "--out", str(out)])
        assert isinstance(result.exception, UserError) and not out.exists(), result.output
        return result.exception

    nope = refused("--outlet", "Nope")
    assert str(nope) == ("nothing to report: no analysed stored article matches --outlet 'Nope'; 1 stored article "
                         "not analysed yet (run 'narrascope analyze --stored')") and nope.code == 4
    late = refused("--outlet", "Kyiv Ledger", "--since", "2024-01-01")
    assert str(late) == "nothing to report: no analysed stored article matches --outlet 'Kyiv Ledger', --since '2024-01-01'"
    assert late.code == 4
    with open_store(tmp_path / "empty.db") as store:
        store.add_article(article_a().article)
    empty = runner.invoke(app, ["report", "--stored", "--db", str(tmp_path / "empty.db"), "--out", str(out)]).exception
    assert isinstance(empty, UserError) and empty.code == 3
    assert str(empty) == ("nothing to report: the store holds no analysed article; 1 stored article not analysed yet "
                          "(run 'narrascope analyze --stored')")
