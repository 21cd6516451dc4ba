"""Flatten one Analysis into table rows; the full JSON is kept too, so nothing is lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..model import Analysis, Evidence
from .schema import TABLES

Row = tuple[Any, ...]


def content_hash(text: str) -> str:
    """Whitespace- and case-normalized content hash: the identity of a document in the store."""
    normalized = " ".join(text.split()).casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def event_key(cluster_id: str, source: str | None, target: str | None, cameo: str, negated: bool) -> int:
    """One story's event: copies of a story share a cluster, so their events share this key.

    A 60-bit integer: it groups faster than text and doubles as GDELT's GLOBALEVENTID.
    """
    raw = f"{cluster_id}|{source or ''}|{target or ''}|{cameo}|{int(negated)}"
    return int(hashlib.sha1(raw.encode("utf-8")).hexdigest()[:15], 16)


@dataclass(frozen=True)
class StoredDocument:
    """What the store needs besides the analysis: identity, cluster, and the near-dup signature."""

    analysis: Analysis
    content_hash: str
    cluster_id: str
    similarity: float | None
    signature: bytes


# An event's own date is used when it is at most this long before publication ("on Tuesday", "on May 7");
# older dates are background ("the 1960 treaty"), and the news date places the mention in time.
MAX_EVENT_DATE_LAG = dt.timedelta(days=31)


def _event_date(value: str | None, published: dt.date | None) -> dt.date | None:
    if not value or len(value) != 10:
        return published
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return published
    if published is None:
        return day
    return day if published - MAX_EVENT_DATE_LAG <= day <= published else published


def _evidence_json(evidence: list[Evidence]) -> str:
    return json.dumps([e.model_dump(mode="json") for e in evidence], ensure_ascii=False)


def document_rows(item: StoredDocument, run_id: int, ingested_at: dt.datetime) -> dict[str, list[Row]]:
    """Rows for every table, keyed by table name, in each table's column order."""
    a = item.analysis
    doc = a.document
    doc_id = doc.id
    rows: dict[str, list[Row]] = {table: [] for table in TABLES}
    rows["documents"].append(
        (
            doc_id,
            item.content_hash,
            item.cluster_id,
            item.similarity,
            doc.title,
            doc.byline,
            doc.published,
            doc.source,
            doc.url,
            doc.language,
            doc.path,
            doc.text,
            len(a.sentences),
            a.tone.tone if a.tone else None,
            ",".join(a.stages),
            run_id,
            ingested_at,
            a.to_json(),
        )
    )
    rows["minhashes"].append((doc_id, item.signature))
    rows["sentences"] = [(doc_id, s.index, s.start, s.end, s.text) for s in a.sentences]
    rows["mentions"] = [
        (
            doc_id, i, m.sentence, m.start, m.end, m.text, m.code, m.kind, m.name,
            m.country, m.sector, m.method, m.confidence, m.coref,
        )
        for i, m in enumerate(a.mentions)
    ]  # fmt: skip
    rows["actors"] = [
        (doc_id, i, actor.code, actor.name, actor.kind, actor.mentions, actor.salience)
        for i, actor in enumerate(a.actors)
    ]
    for i, e in enumerate(a.events):
        source = e.source.code if e.source else None
        target = e.target.code if e.target else None
        rows["events"].append(
            (
                doc_id, i, event_key(item.cluster_id, source, target, e.cameo.code, e.negated), None, item.cluster_id,
                _event_date(e.date, doc.published), doc.source, e.sentence,
                source, e.source.text if e.source else None, target, e.target.text if e.target else None,
                e.cameo.code, e.cameo.root, e.cameo.name, e.goldstein, e.quad_class,
                e.plover.type, e.plover.mode, e.plover.context, e.negated, e.modality,
                e.attributed_to.code if e.attributed_to else None, e.date,
                e.location.text if e.location else None,
                e.trigger.text, e.trigger.start, e.trigger.end, e.rule, e.confidence,
            )
        )  # fmt: skip
    rows["stance"] = [
        (doc_id, i, s.actor, s.score, s.label, _evidence_json(s.evidence)) for i, s in enumerate(a.stance)
    ]
    rows["claims"] = [
        (doc_id, i, c.sentence, c.start, c.end, c.text, c.score, c.type, json.dumps(c.actors))
        for i, c in enumerate(a.claims)
    ]
    rows["themes"] = [(doc_id, i, t.theme, t.label, t.score) for i, t in enumerate(a.themes)]
    rows["quotes"] = [
        (
            doc_id, i, q.sentence, q.start, q.end, q.text, q.kind,
            q.speaker.text if q.speaker else None, q.speaker_code, q.cue,
        )
        for i, q in enumerate(a.quotes)
    ]  # fmt: skip
    return rows
