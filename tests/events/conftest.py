"""Event tests run only the stages events need (actors, events), so they do not depend on later stages."""

from __future__ import annotations

import datetime as dt

import pytest

from communique import Analyzer
from communique.config import Settings
from communique.model import Analysis, Document

PUBLISHED = dt.date(2025, 6, 20)


@pytest.fixture(scope="session")
def event_analyzer() -> Analyzer:
    return Analyzer(Settings(stages=("actors", "events")))


@pytest.fixture(scope="session")
def code(event_analyzer: Analyzer):  # type: ignore[no-untyped-def]
    """Analyse one text (published 2025-06-20) and return its analysis."""

    def run(text: str, published: dt.date | None = PUBLISHED) -> Analysis:
        return event_analyzer.analyze(Document(id="t", text=text, published=published))

    return run
