"""Corpus views label a code by what it stands for, never by whichever mention came first."""

from __future__ import annotations

import pytest

from communique.actors.labels import code_label


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("USAGOV", "United States government"),
        ("PAKMIL", "Pakistan military"),
        ("IND", "India"),
        ("IGOUNO", "United Nations"),
        ("SASIA", "South Asia"),
        ("GOV", "government"),
        ("QQQ", "QQQ"),
    ],
)
def test_code_label(code: str, label: str) -> None:
    assert code_label(code) == label
