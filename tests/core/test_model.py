"""The JSON contract: lossless round-trip, stable field names, schema file in sync with the classes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from communique.model import (
    SCHEMA_VERSION,
    Analysis,
    Cameo,
    Claim,
    Document,
    Event,
    EventActor,
    Evidence,
    Plover,
    Sentence,
    Span,
    Stance,
    json_schema,
    json_schema_text,
)

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "analysis.schema.json"


def _sample() -> Analysis:
    text = "India rejected the proposal. Pakistan welcomed it."
    india = EventActor(code="IND", text="India", start=0, end=5)
    return Analysis(
        document=Document(id="d1", text=text, published=dt.date(2025, 6, 20), source="Wire", byline="A. Writer"),
        sentences=[Sentence(index=0, start=0, end=28, text=text[:28])],
        events=[
            Event(
                sentence=0,
                source=india,
                target=None,
                cameo=Cameo(code="125", root="12", name="Reject proposal to meet, discuss, or negotiate"),
                goldstein=-5.0,
                quad_class=3,
                plover=Plover(type="REJECT", mode=None, context=None),
                trigger=Span(text="rejected", start=6, end=14),
                rule="reject.proposal",
                confidence=0.9,
            )
        ],
        stance=[
            Stance(
                actor="IND",
                score=-0.4,
                label="negative",
                evidence=[Evidence(sentence=0, start=0, end=28, text=text[:28])],
            )
        ],
        claims=[Claim(sentence=0, start=0, end=28, text=text[:28], score=0.8, type="position/policy")],
    )


def test_round_trip_is_lossless() -> None:
    analysis = _sample()
    again = Analysis.from_json(analysis.to_json())
    assert again == analysis
    assert again.document.published == dt.date(2025, 6, 20)


def test_contract_field_names_are_present() -> None:
    data = json.loads(_sample().to_json())
    assert data["schema_version"] == SCHEMA_VERSION
    assert {"id", "title", "byline", "published", "url", "source", "language"} <= set(data["document"])
    assert set(data["sentences"][0]) >= {"index", "start", "end", "text"}
    event = data["events"][0]
    for key in ("sentence", "source", "target", "cameo", "goldstein", "quad_class", "plover", "negated",
                "modality", "attributed_to", "date", "trigger", "rule", "confidence"):
        assert key in event, key
    assert event["cameo"]["code"] == "125" and event["target"] is None
    assert set(data) >= {"mentions", "actors", "stance", "claims", "themes", "quotes", "tone"}


def test_offsets_trace_back_to_text() -> None:
    analysis = _sample()
    trigger = analysis.events[0].trigger
    assert analysis.span_text(trigger.start, trigger.end) == trigger.text


def test_unknown_fields_are_rejected_on_load() -> None:
    data = _sample().to_dict()
    data["document"]["titel"] = "typo"
    with pytest.raises(ValidationError):
        Analysis.model_validate(data)


def test_schema_file_matches_classes() -> None:
    """Regenerate with `.venv/bin/communique schema > schema/analysis.schema.json`."""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema_text()
    assert json_schema()["properties"]["schema_version"]["default"] == SCHEMA_VERSION
