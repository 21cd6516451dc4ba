"""Leaders of 1990-2014 (people-historical.tsv) resolve by the document date, like people.tsv."""

from __future__ import annotations

import pytest
from actor_helpers import Run, by_text


@pytest.mark.parametrize(
    ("text", "published", "mention", "code", "method_prefix"),
    [
        (
            "President Bouteflika met the French envoy in Algiers.",
            "2000-06-14",
            "President Bouteflika",
            "DZAGOV",
            "people-historical.tsv:1999-04-27",
        ),
        (
            "President Bouteflika met the French envoy in Algiers.",
            "1998-06-14",
            "President Bouteflika",
            "DZAELI",
            "people-historical.tsv:out-of-office",
        ),
        (
            "Prime Minister Blair told parliament the troops would stay.",
            "2006-03-02",
            "Prime Minister Blair",
            "GBRGOV",
            "people-historical.tsv:1997-05-02",
        ),
        (
            "Bush said the coalition would not wait for another vote.",
            "2003-03-10",
            "Bush",
            "USAGOV",
            "people-historical.tsv:2001-01-20",
        ),
        (
            "George H. W. Bush welcomed the delegation.",
            "1991-02-01",
            "George H. W. Bush",
            "USAGOV",
            "people-historical.tsv:1989-01-20",
        ),
        (
            "Kofi Annan urged restraint on both sides.",
            "2002-03-01",
            "Kofi Annan",
            "IGOUNO",
            "people-historical.tsv:1997-01-01",
        ),
        # One person across both files: the earlier presidency from the historical file, the later from people.tsv.
        (
            "Vladimir Putin signed the decree.",
            "2003-04-01",
            "Vladimir Putin",
            "RUSGOV",
            "people-historical.tsv:1999-12-31",
        ),
        ("Vladimir Putin signed the decree.", "2020-04-01", "Vladimir Putin", "RUSGOV", "people.tsv:2012-05-07"),
    ],
)
def test_historical_leader_by_document_date(
    run: Run, text: str, published: str, mention: str, code: str, method_prefix: str
) -> None:
    m = by_text(run(text, published))[mention]
    assert (m.code, m.kind) == (code, "person")
    assert m.method.startswith(method_prefix)
