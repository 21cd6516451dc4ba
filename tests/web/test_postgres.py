"""The dashboard API on PostgreSQL gives the same answers as on DuckDB (same hand-built corpus)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from communique.web import create_app

from . import factory

pytestmark = pytest.mark.postgres

PATHS = [
    ("/api/overview", {}),
    ("/api/overview", {"source": "Lantern Post", "start": "2025-01-01", "end": "2025-02-28"}),
    ("/api/network", {}),
    ("/api/network", {"theme": "security", "level": "full"}),
    ("/api/dyad", {"a": "IND", "b": "PAK", "by": "week"}),
    ("/api/events", {"source_actor": "IND", "target_actor": "PAK"}),
    ("/api/compare", {"actor": "USA"}),
    ("/api/search", {"q": "offered talks", "theme": "diplomacy"}),
    ("/api/facets", {}),
    ("/api/documents/d3", {}),
]


@pytest.fixture(scope="module")
def pg_client(pg_server: str) -> Iterator[TestClient]:
    from communique.store.pgtemp import fresh_database

    with fresh_database(pg_server) as dsn:
        factory.build(dsn)
        with TestClient(create_app(dsn)) as client:
            yield client


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def test_same_answers_as_duckdb(pg_client: TestClient, client: TestClient, api_db: Path) -> None:
    for path, params in PATHS:
        on_pg = pg_client.get(path, params=params)
        on_duck = client.get(path, params=params)
        assert on_pg.status_code == on_duck.status_code == 200, (path, on_pg.text)
        assert _rounded(on_pg.json()) == _rounded(on_duck.json()), path


def test_pages_render_on_postgres(pg_client: TestClient) -> None:
    assert pg_client.get("/documents/evil").status_code == 200
    assert pg_client.get("/api/overview", params={"start": "bad"}).status_code == 422
