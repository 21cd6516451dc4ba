"""The example op-ed: the issue's acceptance criteria (reads ../shared; skipped when absent)."""

from __future__ import annotations

import datetime as dt

import pytest

from communique import Analyzer
from communique.config import Settings
from communique.model import Document

STATES = {"USA", "PAK", "IND", "CHN", "AFG", "ISR", "IRN"}


@pytest.fixture(scope="module")
def actors_only() -> Analyzer:
    return Analyzer(Settings(stages=("actors",)))


@pytest.mark.parametrize("published", [None, dt.date(2025, 6, 20)])
def test_op_ed_actors(actors_only: Analyzer, op_ed_text: str, published: dt.date | None) -> None:
    analysis = actors_only.analyze(Document(id="op-ed", text=op_ed_text, published=published))
    countries = {m.country for m in analysis.mentions if m.country and m.kind != "region"}
    assert countries == STATES

    trump = [m for m in analysis.mentions if "Trump" in m.text]
    assert trump and all(m.code == "USAGOV" for m in trump)

    army_chief = [m for m in analysis.mentions if "Chief of Army Staff" in m.text]
    assert [m.code for m in army_chief] == ["PAKMIL"]

    regions = {m.text: m for m in analysis.mentions if m.kind == "region"}
    assert regions["South Asia"].code == "SASIA" and regions["West Asia"].code == "WASIA"
    assert all(m.country is None for m in regions.values() if m.code in ("SASIA", "WASIA"))

    summary = {a.code: a for a in analysis.actors}
    assert max(analysis.actors, key=lambda a: a.salience).code == "PAK"
    assert summary["SASIA"].kind == "region"
    assert summary["PAK"].mentions == sum(1 for m in analysis.mentions if m.code == "PAK")
    for m in analysis.mentions:
        assert op_ed_text[m.start : m.end] == m.text
