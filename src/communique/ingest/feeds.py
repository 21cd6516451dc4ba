"""RSS and Atom feeds (files or fetched URLs): one Document per item, via feedparser.

Item HTML (content:encoded, or the summary) is reduced to text with scripts, styles and other
non-content elements dropped, keeping paragraph breaks, so embedded markup never reaches analysis.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import feedparser
import lxml.html

from .errors import BadInput, Failure
from .readers import Item, ReadOptions, finish, reader

_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "form", "button")
_BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "tr", "table", "section", "article", "pre", "figure", "figcaption", "dd", "dt",
}  # fmt: skip


def html_fragment_text(html: str) -> str:
    """Visible text of an HTML fragment, one paragraph per block element."""
    if "<" not in html:
        return "\n\n".join(line.strip() for line in html.splitlines() if line.strip())
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several error types on broken markup
        return ""
    for element in list(root.iter(*_DROP)):
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


@dataclass(frozen=True)
class FeedItem:
    where: str
    title: str | None
    link: str | None
    published: dt.date | None
    author: str | None
    text: str


def _date(entry: Any) -> dt.date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date()


def looks_like_feed(raw: bytes, content_type: str = "") -> bool:
    if any(kind in content_type for kind in ("rss", "atom", "/xml")):
        return True
    head = raw[:1024].lstrip().lower()
    return (head.startswith(b"<?xml") and (b"<rss" in raw[:4096].lower() or b"<feed" in raw[:4096].lower())) or (
        head.startswith((b"<rss", b"<feed"))
    )


def parse_feed(source: str, raw: bytes) -> tuple[str | None, list[FeedItem]]:
    """Feed title and items; raises BadInput when the bytes are not a feed at all."""
    parsed = feedparser.parse(raw)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({str(problem).splitlines()[0]})" if problem else ""
        raise BadInput(source, f"not an RSS or Atom feed{detail}")
    feed_title = parsed.feed.get("title") or None
    items = []
    for number, entry in enumerate(parsed.entries, start=1):
        html = ""
        if entry.get("content"):
            html = max((c.get("value") or "" for c in entry.content), key=len)
        if not html.strip():
            html = entry.get("summary") or ""
        items.append(
            FeedItem(
                where=f"{source}#item{number}",
                title=(entry.get("title") or "").strip() or None,
                link=entry.get("link") or None,
                published=_date(entry),
                author=entry.get("author") or None,
                text=html_fragment_text(html),
            )
        )
    return feed_title, items


def item_document(item: FeedItem, feed_title: str | None, options: ReadOptions, path: str | None) -> Item:
    fields = {
        "text": item.text,
        "title": item.title,
        "published": item.published,
        "author": item.author,
        "source": options.source or feed_title,
        "url": item.link,
        "path": path,
    }
    try:
        return finish(item.where, fields, options)
    except BadInput as exc:
        return Failure(exc.source, exc.reason)


@reader(".rss", ".atom", ".xml")
def read_feed(source: str, raw: bytes, options: ReadOptions) -> Iterator[Item]:
    """Items with no text of their own are reported; ingest their links as URLs instead."""
    try:
        feed_title, items = parse_feed(source, raw)
    except BadInput as exc:
        yield Failure(exc.source, exc.reason)
        return
    if not items:
        yield Failure(source, "feed has no items")
    for item in items:
        if not item.text.strip():
            yield Failure(item.where, "feed item has no text (ingest its link as a URL)")
            continue
        yield item_document(item, feed_title, options, source)
