"""Reading publication dates from whatever form a source gives them."""

from __future__ import annotations

import datetime as dt


def parse_date(value: object) -> dt.date | None:
    """ISO dates fast; anything else through dateparser; None when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None
