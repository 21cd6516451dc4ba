"""Plain-text metadata: a leading byline or title line is metadata, not body text."""

from __future__ import annotations

from communique.ingest.text import split_header

BODY = (
    "The recent talks between the two delegations ended without agreement on the disputed border, "
    "although both sides promised to meet again before the end of the year."
)


def test_byline_line_is_separated() -> None:
    split = split_header(f"Maria Fernanda Lopez\n{BODY}")
    assert split.byline == "Maria Fernanda Lopez"
    assert split.title is None
    assert split.body == BODY


def test_by_prefix_is_dropped_from_byline() -> None:
    assert split_header(f"By John Smith\n\n{BODY}").byline == "John Smith"


def test_title_then_byline() -> None:
    split = split_header(f"Border Talks End Without a Deal\nBy Priya Raman\n\n{BODY}")
    assert split.title == "Border Talks End Without a Deal"
    assert split.byline == "Priya Raman"
    assert split.body == BODY


def test_first_sentence_is_not_mistaken_for_a_header() -> None:
    text = f"Officials met on Monday.\n{BODY}"
    split = split_header(text)
    assert split.title is None and split.byline is None
    assert split.body == text


def test_single_paragraph_stays_body() -> None:
    assert split_header(BODY).body == BODY
