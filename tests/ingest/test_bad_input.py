"""Every kind of bad input gets a one-line reason, and never stops the good inputs."""

from __future__ import annotations

import json
from pathlib import Path

from communique.ingest import Failure, ReadOptions, read_sources
from communique.model import Document

ENGLISH = (
    "The foreign ministers of both countries met in Geneva on Tuesday and agreed to resume talks on trade, "
    "border security and the return of detained fishermen, officials said after the meeting."
)


def _read(paths: list[Path], **options: object) -> list[Document | Failure]:
    return list(read_sources([str(p) for p in paths], ReadOptions(**options)))  # type: ignore[arg-type]


def _reason(item: Document | Failure) -> str:
    assert isinstance(item, Failure), item
    return item.reason


def test_each_bad_kind_has_its_reason(tmp_path: Path) -> None:
    cases = {
        "empty.txt": b"   \n",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "latin1.txt": "Caf\xe9 diplomacy in Bogot\xe1 ".encode("latin-1") * 10,
        "german.txt": (
            "Die Außenminister beider Länder trafen sich am Dienstag in Genf und vereinbarten, die Gespräche "
            "über Handel und Grenzsicherheit wieder aufzunehmen, sagten Beamte nach dem Treffen."
        ).encode(),
        "huge.txt": ENGLISH.encode() * 50,
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    results = {
        Path(item.source).name: _reason(item)
        for item in _read([tmp_path / n for n in cases], max_bytes=4000)
    }
    assert results["empty.txt"] == "empty input"
    assert "binary" in results["binary.txt"]
    assert "UTF-8" in results["latin1.txt"]
    assert "not English" in results["german.txt"] and "'de'" in results["german.txt"]
    assert "too large" in results["huge.txt"]
    assert all("\n" not in reason for reason in results.values())


def test_missing_file_and_good_file_together(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, encoding="utf-8")
    items = _read([tmp_path / "missing.txt", good])
    assert _reason(items[0]) == "no such file"
    assert isinstance(items[1], Document) and items[1].text == ENGLISH


def test_jsonl_bad_lines_are_reported_and_good_lines_kept(tmp_path: Path) -> None:
    feed = tmp_path / "docs.jsonl"
    feed.write_text(
        "\n".join([
            json.dumps({"id": "a", "text": ENGLISH, "published": "2025-06-20", "source": "Wire"}),
            "{not json",
            json.dumps({"id": "b", "title": "no text"}),
            json.dumps(["a", "list"]),
        ]),
        encoding="utf-8",
    )
    items = _read([feed])
    assert isinstance(items[0], Document)
    assert items[0].id == "a" and str(items[0].published) == "2025-06-20" and items[0].source == "Wire"
    assert _reason(items[1]).startswith("invalid JSON")
    assert "text" in _reason(items[2])
    assert "object" in _reason(items[3])
    assert [Path(i.source).name for i in items[1:] if isinstance(i, Failure)] == [
        "docs.jsonl:2", "docs.jsonl:3", "docs.jsonl:4",
    ]


def test_malformed_html_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<html><body><div><p></div></body", encoding="utf-8")
    (item,) = _read([page])
    assert "HTML" in _reason(item)
