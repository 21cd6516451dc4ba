"""Actor-stage fixtures: one stage on the shipped data, one on an invented people file."""

from __future__ import annotations

import datetime as dt

import pytest
from actor_helpers import FIXTURE_PEOPLE, Run

from communique.actors.dictionary import load_dictionary
from communique.actors.stage import ActorStage
from communique.analyzer import sentences_of
from communique.config import Settings
from communique.model import Analysis, Document
from communique.nlp import load_nlp


def _runner(stage: ActorStage) -> Run:
    nlp = load_nlp()

    def run(text: str, published: str | None = None) -> Analysis:
        doc = nlp(text)
        day = dt.date.fromisoformat(published) if published else None
        analysis = Analysis(document=Document(id="t", text=text, published=day), sentences=sentences_of(doc))
        stage(doc, analysis)
        return analysis

    return run


@pytest.fixture(scope="session")
def stage() -> ActorStage:
    return ActorStage(Settings())


@pytest.fixture(scope="session")
def run(stage: ActorStage) -> Run:
    """Analyse a text with the shipped dictionary (and the shipped people.tsv when present)."""
    return _runner(stage)


@pytest.fixture(scope="session")
def run_fixture_people() -> Run:
    """Analyse a text with the invented people file instead of the shipped one."""
    return _runner(ActorStage(Settings(), dictionary=load_dictionary(people_file=FIXTURE_PEOPLE)))
