"""HTML: the main text and its metadata, via trafilatura."""

from __future__ import annotations

from typing import Any

import trafilatura

from .dates import parse_date
from .errors import BadInput


def extract_html(source: str, html: str, url: str | None = None) -> dict[str, Any]:
    """Main text plus title, author, date, site name and URL; BadInput when no article text is found."""
    try:
        result = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise BadInput(source, f"malformed HTML ({type(exc).__name__}: {exc})") from None
    if result is None:
        raise BadInput(source, "malformed HTML or no main text found")
    data = result if isinstance(result, dict) else result.as_dict()
    text = (data.get("text") or "").strip()
    if not text:
        raise BadInput(source, "no main text found in HTML")
    return {
        "text": text,
        "title": data.get("title") or None,
        "byline": data.get("author") or None,
        "published": parse_date(data.get("date")),
        "source": data.get("sitename") or None,
        "url": data.get("url") or url,
    }
