"""GDELT 2.0 event export: 61 tab-separated columns in GDELT's order, no header, like *.export.CSV.

One row per story-level event (copies of a story collapsed), so NumMentions / NumSources /
NumArticles mean what GDELT intends. Codes stay strings with their leading zeros ("010", "04").

Column mapping (fields with no counterpart are left EMPTY):
- GLOBALEVENTID: the event key, a stable 60-bit integer derived from story, actors and code.
- SQLDATE / MonthYear / Year / FractionDate: event date (the event's own full date, else publication).
- Actor{1,2}Code: our CAMEO-style actor code; Name: the actor text in the article.
- Actor{1,2}CountryCode: the code's first three letters when they are an ISO 3166 alpha-3 country.
- Actor{1,2}KnownGroupCode: the three letters after IGO/NGO/IMG/MNC (e.g. IGOUNO -> UNO).
- Actor{1,2}Type1Code: the sector after the country (e.g. PAKMIL -> MIL). Type2/Type3 empty.
- Actor{1,2}EthnicCode, Religion1Code, Religion2Code: empty (not coded).
- IsRootEvent: 1 when the event's first mention is in the article's first sentence.
- EventCode / EventBaseCode / EventRootCode: CAMEO code, its first three digits, its root.
- QuadClass: GDELT's grouping of CAMEO roots: 01-05 verbal cooperation (1), 06-09 material
  cooperation (2), 10-14 verbal conflict (3), 15-20 material conflict (4).
- GoldsteinScale: mean Goldstein value over the mentions.
- NumMentions: mentions of the event across all articles; NumSources: distinct outlets;
  NumArticles: distinct articles (syndicated copies included, as separate articles).
- AvgTone: mean document tone of the mentioning articles (empty when tone is not computed).
- Actor1Geo_*, Actor2Geo_*: empty (no actor geocoding). ActionGeo_FullName: the location text the
  event coder found; ActionGeo_Type, CountryCode (FIPS 10-4), ADM1Code, ADM2Code, Lat, Long and
  FeatureID: empty (no gazetteer; GDELT's FIPS country codes have no counterpart here).
- DATEADDED: when the first mentioning article was stored (YYYYMMDDHHMMSS, UTC).
- SOURCEURL: URL of the first mentioning article (by URL order), or its doc id when it has none.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...store import Store
from ..query import Filters, _event_conditions, _where

_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
    "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{name}" for name in _ACTOR),
    *(f"Actor2{name}" for name in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{name}" for name in _GEO),
    *(f"Actor2Geo_{name}" for name in _GEO),
    *(f"ActionGeo_{name}" for name in _GEO),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
assert len(GDELT_COLUMNS) == 61

_GROUP_PREFIXES = ("IGO", "NGO", "IMG", "MNC")


def gdelt_quad_class(root: str) -> str:
    """GDELT's QuadClass from a CAMEO root code ("01".."20")."""
    number = int(root[:2]) if root[:2].isdigit() else 0
    if 1 <= number <= 5:
        return "1"
    if 6 <= number <= 9:
        return "2"
    if 10 <= number <= 14:
        return "3"
    if 15 <= number <= 20:
        return "4"
    return ""


@functools.cache
def _is_country(code: str) -> bool:
    import pycountry

    return pycountry.countries.get(alpha_3=code) is not None


def actor_fields(code: str | None, name: str | None) -> list[str]:
    """The ten Actor columns for one actor code."""
    if not code:
        return [""] * len(_ACTOR)
    country = known_group = type1 = ""
    prefix = code[:3]
    if prefix in _GROUP_PREFIXES:
        known_group = code[3:6]
    elif _is_country(prefix):
        country = prefix
        type1 = code[3:6]
    return [code, " ".join((name or "").split()).upper(), country, known_group, "", "", "", type1, "", ""]


def _number(value: Any, digits: int = 1) -> str:
    if value is None:
        return ""
    text = f"{float(value):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date_fields(day: dt.date | None) -> list[str]:
    if day is None:
        return ["", "", "", ""]
    fraction = day.year + (day.timetuple().tm_yday - 1) / 365.0
    return [day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{fraction:.4f}"]


def gdelt_rows(store: Store, filters: Filters | None = None, include_negated: bool = False) -> Iterator[list[str]]:
    where, params = _event_conditions(filters or Filters(), include_negated)
    sql = f"""SELECT e.event_key, MIN(e.event_date), MIN(e.source_code), MIN(e.source_text),
               MIN(e.target_code), MIN(e.target_text), MIN(e.cameo_code), MIN(e.cameo_root),
               AVG(e.goldstein), MIN(e.sentence), COUNT(*), COUNT(DISTINCT e.doc_source),
               COUNT(DISTINCT e.doc_id), AVG(d.tone), MIN(e.location_text), MIN(d.ingested_at),
               MIN(COALESCE(d.url, d.doc_id))
        FROM events e JOIN documents d ON d.doc_id = e.doc_id
        {_where(where)}
        GROUP BY e.event_key
        ORDER BY 2 NULLS FIRST, 1"""
    _, rows = store.query(sql, params)
    for (
        key, day, source, source_text, target, target_text, code, root, goldstein, first_sentence,
        mentions, sources, articles, tone, location, added, url,
    ) in rows:  # fmt: skip
        root = str(root or code[:2])
        row = [
            str(key),
            *_date_fields(day),
            *actor_fields(source, source_text),
            *actor_fields(target, target_text),
            "1" if first_sentence == 0 else "0",
            code,
            code[:3] if len(code) >= 3 else code,
            root,
            gdelt_quad_class(root),
            _number(goldstein),
            str(mentions),
            str(sources),
            str(articles),
            _number(tone, 4),
            *[""] * len(_GEO),
            *[""] * len(_GEO),
            "", " ".join((location or "").split()), *[""] * (len(_GEO) - 2),
            added.strftime("%Y%m%d%H%M%S") if added else "",
            url or "",
        ]
        yield [field.replace("\t", " ").replace("\n", " ") for field in row]


def export_gdelt(store: Store, out: Path, filters: Filters | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "events.export.CSV"
    with path.open("w", encoding="utf-8", newline="") as handle:
        for row in gdelt_rows(store, filters):
            handle.write("\t".join(row) + "\n")
    (out / "events.export.columns.txt").write_text("\n".join(GDELT_COLUMNS) + "\n", encoding="utf-8")
    return path
