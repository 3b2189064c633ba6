"""Shared by the UI, report and screenshot code: a hostile article and how to launch the system Chromium."""

from __future__ import annotations

from pathlib import Path

from corpus_fixtures import build
from narrascope.model import Analysis

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
SVG = "<svg onload=window.__xss=1>"
PAYLOADS = (SCRIPT, IMG, SVG)


def xss_analysis() -> Analysis:
    """An article whose every free-text field (title, body, outlet, names, labels) carries a payload."""
    analysis = build(
        f"Officials {SCRIPT} said the bridge {IMG} was closed. "
        f"\"{SVG} We will reopen it soon,\" said Mayor Evil {SCRIPT} Name on Friday. "
        f"Critics called the closure a {IMG} disgrace.",
        title=f"Bridge {SCRIPT} closed {IMG}",
        outlet=f"Outlet {IMG}",
        published="2023-12-05",
        entities={"evil-name": (f"Mayor Evil {SCRIPT} Name", "PERSON", [f"Mayor Evil {SCRIPT} Name"])},
        quotes=[dict(content=f"{SVG} We will reopen it soon,", kind="direct", speaker=f"Mayor Evil {SCRIPT} Name",
                     name=f"Mayor Evil {SCRIPT} Name", entity="evil-name", cue="said",
                     chain=[dict(role="origin", name=f"Mayor {IMG}"), dict(role="outlet", name=f"Outlet {IMG}")])],
        claims=[dict(text=f"the bridge {IMG} was closed", sourcing="group")],
        narratives=[(f"URW: Payload {SCRIPT}: {IMG}", f"a {IMG} disgrace")],
        roles=[("evil-name", f"Mayor Evil {SCRIPT} Name", "Antagonist", [f"Fine {IMG}"])],
        techniques=[(f"Tech_{IMG}", "disgrace")],
    )
    analysis.article.url = "javascript:window.__xss=1"
    analysis.article.author = SVG
    return analysis
