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


def test_years_in_skips_amounts():
    from narrascope.extract.dates import years_in

    text = "In November 2023, 2000 troops and 1500 soldiers left; $2020 was paid. 2019 was hard."
    assert [y for _, y in years_in(text)] == [2023, 2019]


def test_month_day_takes_the_nearest_year_of_the_article_when_undated():
    from narrascope.extract.dates import resolve_with_year

    years = [(10, 2022), (200, 2023)]
    assert resolve_with_year("Dec. 2", None, years, 180) == ("2023-12-02", True)
    assert resolve_with_year("on 20 November", None, years, 15) == ("2022-11-20", True)
    # a stated year or a publication date wins and is no guess
    assert resolve_with_year("Dec. 2, 2021", None, years, 180) == ("2021-12-02", False)
    assert resolve_with_year("Dec. 2", "2024-01-05", years, 180) == ("2023-12-02", False)
    # never an invented year; relative expressions need the publication date
    assert resolve_with_year("Dec. 2", None, [], 180) == (None, False)
    assert resolve_with_year("last month", None, years, 180) == (None, False)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("two weeks ago", "2024-W47"),
        ("three days ago", "2024-12-03"),
        ("a month ago", "2024-11"),
        ("14 months ago", "2023-10"),
        ("two years ago", "2022"),
        ("the day before yesterday", "2024-12-04"),
        ("last Friday", "2024-11-29"),  # published on a Friday: "last Friday" is the week before
        ("on Friday", "2024-12-06"),
        ("last Tuesday", "2024-12-03"),
        ("last month", "2024-11"),
        ("this month", "2024-12"),
        ("this week", "2024-W49"),
    ],
)
def test_counts_back_and_last_weekday(expr, expected):
    assert resolve(expr, "2024-12-06") == expected  # a Friday


@pytest.mark.parametrize(
    ("expr", "expected"),
    [("in November", "2024-11"), ("mid-March", "2024-03"), ("in December", "2024-12"), ("in January", "2024-01"),
     ("in March 2022", "2022-03"), ("may", None)],
)
def test_a_month_named_alone_is_the_latest_such_month(expr, expected):
    assert resolve(expr, "2024-12-06") == expected
