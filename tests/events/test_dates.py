from __future__ import annotations

import datetime as dt

import pytest

from communique.events.coder import resolve_date

JUNE = dt.date(2025, 6, 20)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in May", "2025-05"),
        ("in September", "2024-09"),  # a month after publication is last year's
        ("May 2021", "2021-05"),
        ("on Wednesday", "2025-06-18"),
        ("yesterday", "2025-06-19"),
        ("last month", "2025-05"),
        ("March 3", "2025-03-03"),
        ("3 March 2022", "2022-03-03"),
        ("2024-11-05", "2024-11-05"),
        ("the 1990s", None),
        ("two years", None),
        ("2019", None),
    ],
)
def test_resolve_date(text: str, expected: str | None) -> None:
    assert resolve_date(text, JUNE) == expected


def test_relative_dates_need_a_publication_date() -> None:
    assert resolve_date("in May", None) is None
    assert resolve_date("May 2021", None) == "2021-05"
