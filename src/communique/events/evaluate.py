"""Scoring the event coder against PLOVER gold-standard records (GSR JSON).

Per record (one sentence or short passage): the gold PLOVER type against the set of types the
coder produces for it (negated events do not count). Precision/recall/F1 over (record, type)
pairs; source/target country accuracy among type matches (first three letters of the codes);
the same again at the level of CAMEO roots, mapping gold types to roots through the crosswalk.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Analysis, Document
from .ontology import cameo_table

# PLOVER v0.5 labels used by the 2016 gold records -> current PLOVER types.
OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


class GoldFormatError(ValueError):
    """The gold file is not PLOVER GSR JSON; the message is one line."""


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    type: str
    sources: frozenset[str]
    targets: frozenset[str]


def _countries(actors: Any) -> frozenset[str]:
    if not actors:
        return frozenset()
    if isinstance(actors, dict):
        actors = [actors]
    if not isinstance(actors, list):
        return frozenset()
    return frozenset(str(a.get("code", ""))[:3].upper() for a in actors if isinstance(a, dict) and a.get("code"))


def load_gold(path: Path) -> list[GoldRecord]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldFormatError(f"gold file not found: {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(data, list):
        raise GoldFormatError(f"{path}: expected a JSON array of PLOVER records")
    records = []
    for number, item in enumerate(data):
        if not isinstance(item, dict) or item.get("event") == "DOCUMENT":
            continue
        if "text" not in item or "event" not in item:
            raise GoldFormatError(f"{path}: record {number} has no 'text' or 'event'")
        label = str(item["event"]).upper()
        records.append(GoldRecord(
            id=str(item.get("id", number)), text=str(item["text"]), type=OLD_LABELS.get(label, label),
            sources=_countries(item.get("source")), targets=_countries(item.get("target")),
        ))
    if not records:
        raise GoldFormatError(f"{path}: no event records")
    return records


def roots_by_type() -> dict[str, frozenset[str]]:
    """Which CAMEO roots each PLOVER type comes from, per the crosswalk (ASSAULT <- 18, 19, 20, ...)."""
    roots: dict[str, set[str]] = {}
    for entry in cameo_table().values():
        if entry.plover_type:
            roots.setdefault(entry.plover_type, set()).add(entry.root)
    return {t: frozenset(r) for t, r in roots.items()}


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    source_hits: int = 0
    source_n: int = 0
    target_hits: int = 0
    target_n: int = 0

    def as_dict(self) -> dict[str, Any]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "source_accuracy": round(self.source_hits / self.source_n, 4) if self.source_n else None,
            "target_accuracy": round(self.target_hits / self.target_n, 4) if self.target_n else None,
            "source_n": self.source_n, "target_n": self.target_n,
        }


@dataclass
class Report:
    n: int
    types: Scores = field(default_factory=Scores)
    roots: Scores = field(default_factory=Scores)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.types.as_dict(), "n": self.n,
            "roots": self.roots.as_dict(),
            "confusion": {f"{g}->{s}": c for (g, s), c in sorted(self.confusion.items())},
            "misses": len(self.misses),
        }


def _actor_match(gold: frozenset[str], found: Iterable[str | None]) -> bool:
    return any(code is not None and code[:3].upper() in gold for code in found)


def score(records: list[GoldRecord], analyses: list[Analysis]) -> Report:
    report = Report(n=len(records))
    type_roots = roots_by_type()
    for record, analysis in zip(records, analyses, strict=True):
        events = [e for e in analysis.events if not e.negated]
        by_type: dict[str, list[Any]] = {}
        by_root: dict[str, list[Any]] = {}
        for event in events:
            if event.plover.type:
                by_type.setdefault(event.plover.type, []).append(event)
                by_root.setdefault(event.cameo.root, []).append(event)
        _score_one(report.types, {record.type}, by_type, record)
        _score_one(report.roots, set(type_roots.get(record.type, ())), by_root, record)
        if record.type in by_type:
            report.confusion[(record.type, record.type)] += 1
        else:
            for found in sorted(by_type) or ["(none)"]:
                report.confusion[(record.type, found)] += 1
            report.misses.append({
                "id": record.id, "gold": record.type, "found": sorted(by_type), "text": record.text,
                "events": [f"{e.cameo.code} {e.source.code if e.source else '-'}->{e.target.code if e.target else '-'}"
                           f" [{e.rule}]" for e in events],
            })
    return report


def _score_one(scores: Scores, gold: set[str], found: dict[str, list[Any]], record: GoldRecord) -> None:
    matched = [key for key in found if key in gold]
    scores.fp += len([key for key in found if key not in gold])
    if not matched:
        scores.fn += 1
        return
    scores.tp += 1
    events = [e for key in matched for e in found[key]]
    if record.sources:
        scores.source_n += 1
        # a compound actor may come out as either side of a symmetric event
        scores.source_hits += _actor_match(record.sources, (e.source.code if e.source else None for e in events))
    if record.targets:
        scores.target_n += 1
        scores.target_hits += _actor_match(record.targets, (e.target.code if e.target else None for e in events))


def evaluate(path: Path, analyzer: Any) -> Report:
    records = load_gold(path)
    documents = [Document(id=r.id, text=r.text) for r in records]
    analyses = list(analyzer.analyze_many(documents))
    return score(records, analyses)
