"""Bad input is reported, never raised past the reader: one line, the source and the reason."""

from __future__ import annotations

from dataclasses import dataclass


class BadInput(ValueError):
    """An input that cannot be analysed; ``str()`` is the one-line message shown to the user."""

    def __init__(self, source: str, reason: str) -> None:
        self.source, self.reason = source, reason
        super().__init__(f"{source}: {reason}")


@dataclass(frozen=True)
class Failure:
    """A bad input, kept alongside the good documents so a run can report and continue."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
