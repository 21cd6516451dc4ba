"""Turn files, directories, JSON Lines and stdin into ``Document``s, reporting bad inputs as ``Failure``s.

A bad input never stops the others: readers yield a ``Failure`` and go on.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analyzer import document_id
from ..config import DEFAULT_MAX_BYTES
from ..model import Document
from .checks import check_english, check_size, check_text, decode
from .dates import parse_date
from .errors import BadInput, Failure
from .html import extract_html
from .text import split_header

Item = Document | Failure


@dataclass(frozen=True)
class ReadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    published: dt.date | None = None
    source: str | None = None
    check_language: bool = True


Reader = Callable[[str, bytes, ReadOptions], Iterator[Item]]
READERS: dict[str, Reader] = {}
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def register(function: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = function
        return function

    return register


def finish(source: str, fields: dict[str, Any], options: ReadOptions) -> Document:
    """Validate the text and build the Document; the id is the content hash unless one is given."""
    text = check_text(source, str(fields.get("text") or ""))
    check_size(source, len(text.encode("utf-8")), options.max_bytes)
    language = check_english(source, text) if options.check_language else "en"
    published = parse_date(fields.get("published")) or options.published
    return Document(
        id=str(fields.get("id") or document_id(text)),
        text=text,
        title=fields.get("title") or None,
        byline=fields.get("byline") or fields.get("author") or None,
        published=published,
        source=fields.get("source") or options.source,
        url=fields.get("url") or None,
        language=language,
        path=fields.get("path"),
    )


def _guard(source: str, build: Callable[[], Document]) -> Item:
    try:
        return build()
    except BadInput as exc:
        return Failure(exc.source, exc.reason)


@reader(*TEXT_SUFFIXES)
def read_text(source: str, raw: bytes, options: ReadOptions) -> Iterator[Item]:
    def build() -> Document:
        split = split_header(decode(source, raw, options.max_bytes))
        fields = {"text": split.body, "title": split.title, "byline": split.byline, "path": source}
        return finish(source, fields, options)

    yield _guard(source, build)


@reader(".html", ".htm", ".xhtml")
def read_html(source: str, raw: bytes, options: ReadOptions) -> Iterator[Item]:
    def build() -> Document:
        html = decode(source, raw, options.max_bytes)
        return finish(source, {**extract_html(source, html), "path": source}, options)

    yield _guard(source, build)


@reader(".jsonl", ".ndjson")
def read_jsonl(source: str, raw: bytes, options: ReadOptions) -> Iterator[Item]:
    """One object per line with ``text`` (or ``html``) and optional metadata; bad lines are reported."""
    try:
        content = decode(source, raw, max(options.max_bytes, len(raw)))
    except BadInput as exc:
        yield Failure(exc.source, exc.reason)
        return
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        yield _guard(where, functools.partial(_jsonl_document, where, line, options))


def _jsonl_document(where: str, line: str, options: ReadOptions) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadInput(where, f"invalid JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise BadInput(where, "expected a JSON object")
    if not record.get("text") and record.get("html"):
        extracted = extract_html(where, str(record["html"]), record.get("url"))
        record = {**extracted, **{k: v for k, v in record.items() if k != "html" and v}}
        record["text"] = extracted["text"]
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        raise BadInput(where, "missing or empty 'text' field")
    return finish(where, record, options)


def read_bytes(source: str, raw: bytes, options: ReadOptions, suffix: str = "") -> Iterator[Item]:
    function = READERS.get(suffix.lower(), read_text)
    yield from function(source, raw, options)


def _files_under(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith("."))


def read_path(path: Path, options: ReadOptions) -> Iterator[Item]:
    source = str(path)
    if path.is_dir():
        files = [p for p in _files_under(path) if p.suffix.lower() in READERS]
        if not files:
            yield Failure(source, "directory holds no readable files")
        for file in files:
            yield from read_path(file, options)
        return
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        yield Failure(source, "no such file")
        return
    except OSError as exc:
        yield Failure(source, f"cannot read ({exc.strerror})")
        return
    suffix = path.suffix.lower()
    is_container = suffix in {".jsonl", ".ndjson", ".csv", ".xml", ".rss", ".atom"}
    if not is_container and size > options.max_bytes:
        yield Failure(source, f"too large ({size:,} bytes; limit {options.max_bytes:,}, set with --max-bytes)")
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield Failure(source, f"cannot read ({exc.strerror})")
        return
    yield from read_bytes(source, raw, options, suffix)


def read_sources(sources: Iterable[str], options: ReadOptions | None = None) -> Iterator[Item]:
    """Every document named by the sources, in order; '-' reads standard input as one text."""
    options = options or ReadOptions()
    for source in sources:
        if source == "-":
            yield from read_text("<stdin>", sys.stdin.buffer.read(), options)
        else:
            yield from read_path(Path(source), options)
