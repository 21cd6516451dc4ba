"""Plain text: separate a leading title and byline line from the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BYLINE = re.compile(
    r"^(?:by\s+)?(?:[A-Z][\w'’.-]*|[A-Z]\.)(?:\s+(?:[A-Z][\w'’.-]*|[A-Z]\.|de|van|von|bin|al-?\w*)){0,4}$"
)
MAX_TITLE_WORDS = 25


@dataclass(frozen=True)
class SplitText:
    body: str
    title: str | None = None
    byline: str | None = None


def _is_byline(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > 60 or any(ch.isdigit() for ch in line):
        return False
    return bool(_BYLINE.match(line))


def _is_title(line: str, rest: str) -> bool:
    line = line.strip()
    words = line.split()
    if not words or len(words) > MAX_TITLE_WORDS or line[-1] in ".,;:!" or (line[-1] == "?" and len(words) > 15):
        return False
    # A title stands over a longer body; a lone short line is the body itself.
    return len(rest.split()) > 2 * len(words) and not rest.lstrip().startswith(("-", "*"))


def split_header(text: str) -> SplitText:
    """Peel off up to two header lines (title and/or byline) from the top of a plain-text article."""
    title = byline = None
    remaining = text.lstrip("\ufeff")
    for _ in range(2):
        stripped = remaining.lstrip()
        first, sep, rest = stripped.partition("\n")
        if not sep or not rest.strip():
            break
        if byline is None and _is_byline(first):
            byline = re.sub(r"^by\s+", "", first.strip(), flags=re.IGNORECASE)
        elif title is None and byline is None and _is_title(first, rest) and not _is_byline(first):
            title = first.strip()
        else:
            break
        remaining = rest
    body = remaining.strip()
    return SplitText(body=body, title=title, byline=byline)
