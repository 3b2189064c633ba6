"""Absolute date resolution against the publication date."""

from __future__ import annotations

import pytest

from narrascope.extract.dates import resolve


@pytest.mark.parametrize(
    ("expr", "published", "expected"),
    [
        ("Dec. 1", "2023-12-04", "2023-12-01"),
        ("Dec. 2", "2023-12-04", "2023-12-02"),
        ("on 20 November", "2023-11-29", "2023-11-20"),
        ("1st November", "2023-11-29", "2023-11-01"),
        ("Nov. 28-29", "2023-12-04", "2023-11-28"),
        ("December 30", "2024-01-03", "2023-12-30"),  # a late-December statement in an early-January article
        ("last month", "2023-12-04", "2023-11"),
        ("last month", "2024-01-10", "2023-12"),
        ("this year", "2023-12-04", "2023"),
        ("last week", "2023-12-04", "2023-W48"),
        ("yesterday", "2023-12-04", "2023-12-03"),
        ("Monday", "2023-12-06", "2023-12-04"),
        ("December 1, 2023", None, "2023-12-01"),
        ("2023-12-01", None, "2023-12-01"),
        ("November 2023", None, "2023-11"),
        ("Dec. 1", None, None),
        ("last month", None, None),
        ("Monday", None, None),
        ("the other day", "2023-12-04", None),
        ("Feb. 30", "2023-12-04", None),
    ],
)
def test_resolve(expr, published, expected):
    assert resolve(expr, published) == expected


def test_bad_anchor_is_ignored():
    assert resolve("Dec. 1", "not a date") is None
