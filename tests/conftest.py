"""Shared fixtures: one Analyzer per test session, ../shared when it exists, and one real PostgreSQL
server per session ($COMMUNIQUE_TEST_PG, else a throwaway local cluster) with a fresh database per test.

Without a PostgreSQL server those tests skip with the reason; CI sets COMMUNIQUE_REQUIRE_PG=1 so they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from communique import Analyzer
from communique.store.pgtemp import Unavailable, fresh_database, server_for_tests

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the checkout; tests that need it skip with a reason when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent (it exists in CI)")
    return SHARED


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def op_ed_text(shared: Path) -> str:
    from communique.ingest.text import split_header

    raw = (shared / "examples" / "op-ed-us-pakistan-2025.txt").read_text(encoding="utf-8")
    return split_header(raw).body


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    try:
        with server_for_tests() as dsn:
            yield dsn
    except Unavailable as exc:
        if os.environ.get("COMMUNIQUE_REQUIRE_PG"):
            pytest.fail(f"PostgreSQL required (COMMUNIQUE_REQUIRE_PG) but unavailable: {exc}")
        pytest.skip(f"PostgreSQL unavailable, test skipped (CI runs it): {exc}")


@pytest.fixture
def pg_dsn(pg_server: str) -> Iterator[str]:
    with fresh_database(pg_server) as dsn:
        yield dsn


def _optional_backend(load: Callable[[], Any]) -> Any:
    """A transformer backend's model; skips without the optional extra, fails when CI requires it."""
    from communique.transformer_backend import BackendUnavailable

    try:
        return load()
    except BackendUnavailable as exc:
        if os.environ.get("COMMUNIQUE_REQUIRE_TRANSFORMER"):
            pytest.fail(f"transformer backend required (COMMUNIQUE_REQUIRE_TRANSFORMER) but unavailable: {exc}")
        pytest.skip(f"optional extra 'transformer' not installed: {exc}")


@pytest.fixture(scope="session")
def stance_transformer() -> Any:
    from communique.stance.transformer import load_transformer

    return _optional_backend(load_transformer)


@pytest.fixture(scope="session")
def claims_transformer() -> Any:
    from communique.claims.transformer import load_claims_transformer

    return _optional_backend(load_claims_transformer)
