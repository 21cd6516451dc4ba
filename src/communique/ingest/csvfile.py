"""CSV and TSV files: one Document per row, with a ``text`` (or ``html``) column and optional metadata."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .checks import decode
from .errors import BadInput, Failure
from .html import extract_html
from .readers import Item, ReadOptions, finish, reader

TEXT_COLUMNS = ("text", "body", "content")
# Rows can hold whole articles; the csv module's default field limit (128 KiB) is too small.
csv.field_size_limit(64 * 1024 * 1024)


def _row_document(where: str, row: dict[str, str], options: ReadOptions) -> Item:
    try:
        fields: dict[str, object] = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        text = next((str(fields[c]) for c in TEXT_COLUMNS if fields.get(c)), "")
        if not text and fields.get("html"):
            extracted = extract_html(where, str(fields["html"]), str(fields.get("url") or "") or None)
            fields = {**extracted, **{k: v for k, v in fields.items() if v and k != "html"}}
            text = extracted["text"]
        if not text:
            raise BadInput(where, "empty text")
        fields["text"] = text
        return finish(where, fields, options)
    except BadInput as exc:
        return Failure(exc.source, exc.reason)


@reader(".csv", ".tsv")
def read_csv(source: str, raw: bytes, options: ReadOptions) -> Iterator[Item]:
    """Needs a header row naming a text, body, content or html column; bad rows are reported one by one."""
    try:
        content = decode(source, raw, max(options.max_bytes, len(raw)))
    except BadInput as exc:
        yield Failure(exc.source, exc.reason)
        return
    delimiter = "\t" if source.lower().endswith(".tsv") else ","
    rows = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in rows.fieldnames or []]
    if not any(name in header for name in (*TEXT_COLUMNS, "html")):
        yield Failure(source, f"no text column (need one of: {', '.join((*TEXT_COLUMNS, 'html'))})")
        return
    try:
        for row in rows:
            yield _row_document(f"{source}:{rows.line_num}", row, options)
    except csv.Error as exc:
        yield Failure(f"{source}:{rows.line_num}", f"malformed CSV ({exc})")
