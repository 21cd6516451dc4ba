"""The curated leader tables stay consistent: valid codes and dates, and no alias that names two
different people in office at the same time (resolution by date would then be a coin toss)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from communique.datafiles import package_data, tsv_records

FILES = ("people.tsv", "people-historical.tsv")
COLUMNS = ("name", "aliases", "country", "sector", "role", "start", "end", "note")
OPEN_END = dt.date(9999, 12, 31)
ISO3 = {country.alpha_3 for country in pycountry.countries}


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name in FILES:
        path = package_data("communique.actors", f"data/{name}")
        for record in tsv_records(Path(path), required=COLUMNS):
            row: dict[str, object] = dict(record.data)
            row["where"] = f"{name}:{record.line}"
            row["from"] = dt.date.fromisoformat(record.data["start"])
            row["to"] = dt.date.fromisoformat(record.data["end"]) if record.data["end"] else OPEN_END
            rows.append(row)
    return rows


ROWS = _rows()


def _overlap(a: dict[str, object], b: dict[str, object]) -> bool:
    return a["from"] < b["to"] and b["from"] < a["to"]  # type: ignore[operator]


def test_dates_and_country_codes_are_valid() -> None:
    assert len(ROWS) > 1000
    for row in ROWS:
        assert row["from"] <= row["to"], row["where"]  # type: ignore[operator]
        assert row["country"] == "IGO" or row["country"] in ISO3, row["where"]
        assert str(row["sector"]).isupper() and len(str(row["sector"])) == 3, row["where"]


@pytest.mark.parametrize("kind", ["same person", "shared alias"])
def test_no_conflicting_rows(kind: str) -> None:
    conflicts = []
    if kind == "same person":
        by_name: dict[str, list[dict[str, object]]] = defaultdict(list)
        for row in ROWS:
            by_name[str(row["name"])].append(row)
        for rows in by_name.values():
            for i, a in enumerate(rows):
                conflicts += [
                    (a["where"], b["where"])
                    for b in rows[i + 1 :]
                    if a["role"] == b["role"] and a["country"] == b["country"] and _overlap(a, b)
                ]
    else:
        by_term: dict[str, list[dict[str, object]]] = defaultdict(list)
        for row in ROWS:
            for term in {str(row["name"]), *str(row["aliases"]).split("|")} - {""}:
                by_term[term.lower()].append(row)
        for term, rows in by_term.items():
            for i, a in enumerate(rows):
                conflicts += [
                    (term, a["where"], b["where"])
                    for b in rows[i + 1 :]
                    if a["name"] != b["name"] and _overlap(a, b)
                ]
    assert conflicts == []
