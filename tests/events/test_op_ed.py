"""The example op-ed yields the relations an analyst would list, each with the right direction."""

from __future__ import annotations

import datetime as dt

import pytest

from communique import Analyzer
from communique.model import Document


@pytest.fixture(scope="module")
def op_ed_events(event_analyzer: Analyzer, op_ed_text: str) -> set[tuple[str | None, str, str | None]]:
    analysis = event_analyzer.analyze(Document(id="op-ed", text=op_ed_text, published=dt.date(2025, 6, 25)))
    return {
        (e.source.code if e.source else None, e.cameo.code, e.target.code if e.target else None)
        for e in analysis.events
        if not e.negated
    }


def has(events: set[tuple[str | None, str, str | None]], source: str, prefix: str, target: str | None) -> bool:
    return any(
        s is not None and s.startswith(source) and c.startswith(prefix)
        and (target is None or (t or "").startswith(target))
        for s, c, t in events
    )


@pytest.mark.shared
def test_trump_meets_army_chief(op_ed_events) -> None:  # type: ignore[no-untyped-def]
    assert has(op_ed_events, "USAGOV", "04", "PAKMIL") and has(op_ed_events, "PAKMIL", "04", "USAGOV")


@pytest.mark.shared
def test_india_pakistan_military_standoff(op_ed_events) -> None:  # type: ignore[no-untyped-def]
    assert has(op_ed_events, "PAK", "15", "IND") and has(op_ed_events, "IND", "15", "PAK")


@pytest.mark.shared
def test_us_offer_to_mediate_kashmir(op_ed_events) -> None:  # type: ignore[no-untyped-def]
    assert has(op_ed_events, "USA", "039", None)


@pytest.mark.shared
def test_india_rejects_pakistani_restraint_proposals(op_ed_events) -> None:  # type: ignore[no-untyped-def]
    assert has(op_ed_events, "IND", "12", "PAK")


@pytest.mark.shared
def test_accusation_that_india_sponsors_terrorism(op_ed_events) -> None:  # type: ignore[no-untyped-def]
    assert has(op_ed_events, "PAK", "112", "IND")


@pytest.mark.shared
def test_us_support_for_india(op_ed_events) -> None:  # type: ignore[no-untyped-def]
    assert has(op_ed_events, "USA", "05", "IND")


@pytest.mark.shared
def test_cpec_cooperation_with_china(op_ed_events) -> None:  # type: ignore[no-untyped-def]
    assert has(op_ed_events, "PAK", "06", "CHN")


@pytest.mark.shared
def test_pakistan_welcomes_the_mediation_offer(op_ed_events) -> None:  # type: ignore[no-untyped-def]
    assert has(op_ed_events, "PAK", "051", "USA")
