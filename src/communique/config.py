"""Run-time settings shared by the CLI, the Python API and the workers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.isdigit() else default


@dataclass(frozen=True)
class Settings:
    """Everything a stage may need besides the parsed doc; picklable for worker processes."""

    model: str | None = None
    max_bytes: int = field(default_factory=lambda: _env_int("COMMUNIQUE_MAX_BYTES", DEFAULT_MAX_BYTES))
    # User data files merged over the shipped ones, keyed by kind: actors, lexicon, themes, stance, opinion.
    user_files: dict[str, tuple[Path, ...]] = field(default_factory=dict)
    stages: tuple[str, ...] | None = None
    batch_size: int = 32
    # "lexical" (fast, the default) or "transformer" (accurate, needs the optional extra).
    stance_backend: str = field(default_factory=lambda: os.environ.get("COMMUNIQUE_STANCE_BACKEND", "lexical"))
    # "linear" (fast, the default) or "transformer" (accurate, needs the optional extra).
    claims_backend: str = field(default_factory=lambda: os.environ.get("COMMUNIQUE_CLAIMS_BACKEND", "linear"))

    def files(self, kind: str) -> tuple[Path, ...]:
        return self.user_files.get(kind, ())
