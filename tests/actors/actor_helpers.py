"""Helpers shared by the actor tests (a uniquely named module: tests/ is not a package)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from communique.datafiles import package_data
from communique.model import ActorMention, Analysis

Run = Callable[..., Analysis]
SHIPPED_PEOPLE = Path(package_data("communique.actors", "data/people.tsv"))
FIXTURE_PEOPLE = Path(__file__).parent / "data" / "people_fixture.tsv"


def by_text(analysis: Analysis) -> dict[str, ActorMention]:
    return {m.text: m for m in analysis.mentions}


def codes(analysis: Analysis) -> list[str]:
    return [m.code for m in analysis.mentions]
