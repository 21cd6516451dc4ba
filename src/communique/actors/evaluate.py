"""Score actor recognition and coding against PLOVER gold-standard records (GSR JSON).

The gold marks only the source and target of each sentence's event, so a mention that overlaps no
gold actor is not necessarily wrong: ``fp_per_sentence`` is an upper bound on false positives.
``fp_foreign_per_sentence`` is the stricter count: mentions of a country that no gold actor of
that sentence belongs to.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..model import ActorMention, Analysis, Document

# Old CAMEO/PLOVER country codes that are not ISO 3166-1 alpha-3.
LEGACY_CODES = {
    "JAP": "JPN",
    "ITL": "ITA",
    "VTN": "VNM",
    "ROM": "ROU",
    "ZAR": "COD",
    "YUG": "SRB",
    "GER": "DEU",
    "TMP": "TLS",
    "BRM": "MMR",
    "UK_": "GBR",
    "SER": "SRB",
    "DRC": "COD",
    "KSV": "XKX",
    "PAL": "PSE",
}
ORG_COUNTRIES = frozenset({"IGO", "NGO", "IMG"})


class GoldFormatError(ValueError):
    """The gold file is not a PLOVER GSR JSON array."""


class _Analyzer(Protocol):
    def analyze(self, item: str | Document) -> Analysis: ...


@dataclass
class GoldActor:
    record: str
    role: str  # source | target
    text: str
    country: str
    sector: str | None
    start: int | None  # located span in the sentence; None when actorText is not found
    end: int | None


@dataclass
class Report:
    n_sentences: int = 0
    n_gold: int = 0
    located: int = 0
    recognised: int = 0
    country_correct: int = 0
    sector_n: int = 0
    sector_correct: int = 0
    mentions: int = 0
    unmatched: int = 0
    foreign: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    confusion: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "n": self.n_sentences,
            "gold_actors": self.n_gold,
            "located": self.located,
            "recall": ratio(self.recognised, self.located),
            "country_accuracy": ratio(self.country_correct, self.recognised),
            "country_recall": ratio(self.country_correct, self.located),
            "sector_accuracy": ratio(self.sector_correct, self.sector_n),
            "sector_n": self.sector_n,
            "mentions": self.mentions,
            "fp_per_sentence": ratio(self.unmatched, self.n_sentences),
            "fp_foreign_per_sentence": ratio(self.foreign, self.n_sentences),
            "confusion": dict(self.confusion.most_common(20)),
        }


def normalise_country(code: str) -> str:
    """First three letters, legacy codes mapped; the GSR codes international NGOs as IGO, so NGO == IGO."""
    head = code[:3].upper()
    head = LEGACY_CODES.get(head, head)
    return "IGO" if head == "NGO" else head


def normalise_sector(sector: str | None) -> str | None:
    """Gold sectors carry ethnic/religious suffixes ('CVLkur', 'REFche'); the first three capitals count."""
    if not sector:
        return None
    head = sector[:3].upper()
    if not head.isalpha():
        return None
    return {"CIV": "CVL", "JRN": "MED", "UAF": "MIL"}.get(head, head)


def _actors(value: object) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    return [a for a in value if isinstance(a, dict) and a.get("actorText") and a.get("code")]


def locate(text: str, actor_text: str) -> tuple[int, int] | None:
    """Where the gold actor text is in the sentence; falls back to its longest findable word run,
    because gold texts are sometimes assembled ('French warships' in 'French and Egyptian warships')."""
    lowered = text.lower()
    at = lowered.find(actor_text.lower())
    if at >= 0:
        return at, at + len(actor_text)
    words = actor_text.split()
    for size in range(len(words) - 1, 0, -1):
        for first in range(len(words) - size + 1):
            piece = " ".join(words[first : first + size])
            if len(piece) < 2 or (size == 1 and first > 0 and words[0][:1].isupper()):
                continue  # 'US forces' in 'US and British forces' is 'US', not 'forces'
            at = lowered.find(piece.lower())
            if at >= 0:
                return at, at + len(piece)
    return None


def load_gold(path: Path) -> list[tuple[str, str, list[GoldActor]]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldFormatError(f"{path}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(data, list):
        raise GoldFormatError(f"{path}: expected a JSON array of PLOVER records")
    items = []
    for index, record in enumerate(data):
        if not isinstance(record, dict) or record.get("event") == "DOCUMENT" or not record.get("text"):
            continue
        text = str(record["text"])
        rid = str(record.get("id", index))
        actors = []
        for role in ("source", "target"):
            for actor in _actors(record.get(role)):
                span = locate(text, str(actor["actorText"]))
                actors.append(
                    GoldActor(
                        rid,
                        role,
                        str(actor["actorText"]),
                        normalise_country(str(actor["code"])),
                        normalise_sector(actor.get("sector")),
                        span[0] if span else None,
                        span[1] if span else None,
                    )
                )
        items.append((rid, text, actors))
    if not items:
        raise GoldFormatError(f"{path}: no records with text")
    return items


def mention_country(mention: ActorMention) -> str:
    """The country a mention stands for; a region or an unattached role stands for none."""
    if mention.country:
        return normalise_country(mention.country)
    return "" if mention.kind in ("region", "role", "person") else normalise_country(mention.code)


def evaluate(path: Path, analyzer: _Analyzer) -> Report:
    report = Report()
    for rid, text, actors in load_gold(path):
        analysis = analyzer.analyze(Document(id=rid, text=text))
        mentions = analysis.mentions
        report.n_sentences += 1
        report.mentions += len(mentions)
        gold_countries = {a.country for a in actors}
        for m in mentions:
            hits = [
                a for a in actors if a.start is not None and a.end is not None and m.start < a.end and a.start < m.end
            ]
            if not hits:
                report.unmatched += 1
                if m.country and mention_country(m) not in gold_countries and m.kind != "region":
                    report.foreign += 1
        for actor in actors:
            report.n_gold += 1
            if actor.start is None or actor.end is None:
                continue
            report.located += 1
            overlapping = [m for m in mentions if m.start < actor.end and actor.start < m.end]
            if not overlapping:
                report.errors.append({"id": rid, "gold": actor.text, "code": actor.country, "problem": "missed"})
                report.confusion[f"{actor.country}->none"] += 1
                continue
            report.recognised += 1
            countries = {mention_country(m) for m in overlapping}
            if actor.country in countries:
                report.country_correct += 1
            else:
                got = ",".join(sorted(countries))
                report.confusion[f"{actor.country}->{got}"] += 1
                report.errors.append({"id": rid, "gold": actor.text, "code": actor.country, "got": got})
            if actor.sector and actor.country not in ORG_COUNTRIES and actor.sector != "***":
                report.sector_n += 1
                if any(m.sector == actor.sector for m in overlapping):
                    report.sector_correct += 1
    return report
