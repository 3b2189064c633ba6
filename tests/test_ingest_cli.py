"""``narrascope clean``: the preview of ingesting, in text and JSON, with one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from narrascope.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def test_clean_json_lists_articles_and_reports_bad_inputs():
    result = CliRunner().invoke(app, ["clean", str(FIXTURES / "plain.txt"), str(FIXTURES / "missing.txt"),
                                      "--format", "json"])
    assert result.exit_code == 1  # some inputs failed, the others were processed
    (article,) = json.loads(result.stdout)
    assert article["title"] == "Night of drones over Kyiv" and "raw" not in article
    assert "Share this article" in article["removed"]
    assert result.stderr.strip().endswith("missing.txt: no such file or directory")


def test_clean_text_shows_metadata_removed_pieces_and_text():
    result = CliRunner().invoke(app, ["clean", str(FIXTURES / "plain.txt")])
    assert result.exit_code == 0
    assert "author: Anna Kovalchuk" in result.stdout and "removed: 'Share this article'" in result.stdout
    assert "Debris fell on two districts" in result.stdout


def test_clean_needs_a_source():
    assert CliRunner().invoke(app, ["clean"]).exit_code != 0


def test_clean_takes_the_defaults_ingest_takes():
    result = CliRunner().invoke(app, ["clean", "-", "--outlet", "Kyiv Wire", "--published", "2024-03-01",
                                      "--format", "json"], input="Kyiv said on Monday that the front held.\n")
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    assert (article["outlet"], article["published"]) == ("Kyiv Wire", "2024-03-01")
