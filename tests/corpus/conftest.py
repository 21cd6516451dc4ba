"""PostgreSQL fixtures: a real server ($COMMUNIQUE_TEST_PG, else a throwaway local cluster), one DB per test.

Without a server the tests skip with the reason; CI sets COMMUNIQUE_REQUIRE_PG=1 so they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from communique.store.pgtemp import Unavailable, fresh_database, server_for_tests


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
