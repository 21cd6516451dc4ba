"""Shared fixtures: one Analyzer per test session, and ../shared when it exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique import Analyzer

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
