"""Readable labels for actor codes ("USAGOV" -> "United States government") for corpus views.

A corpus-level label must not depend on which mention came first (a code such as USAGOV gathers
presidents, ministers and metonyms), so it is built from the code alone, from the shipped data.
"""

from __future__ import annotations

import functools

from ..datafiles import package_data, tsv_records, yaml_records
from .dictionary import EXTRA_COUNTRIES, ORG_PREFIXES, PACKAGE, SECTORS


@functools.cache
def _names() -> dict[str, str]:
    names = dict(EXTRA_COUNTRIES)
    for record in tsv_records(package_data(PACKAGE, "data/countries.tsv"), required=("code", "name")):
        names[record.data["code"]] = record.data.get("common_name") or record.data["name"]
    for file in ("data/countries.yaml", "data/organisations.yaml", "data/regions.yaml"):
        for record in yaml_records(package_data(PACKAGE, file)):
            code, name = record.data.get("code"), record.data.get("name")
            if isinstance(code, str) and isinstance(name, str) and code not in names:
                names[code] = name
    return names


def code_label(code: str) -> str:
    """Country or organisation name plus the sector's short label; the code itself when unknown."""
    names = _names()
    if code in names:
        return names[code]
    if code.startswith(ORG_PREFIXES):
        return names.get(code, code)
    country, sector = code[:3], code[3:6]
    if country in names and sector in SECTORS:
        return f"{names[country]} {SECTORS[sector].split(',')[0]}"
    if code in SECTORS:
        return SECTORS[code].split(",")[0]
    return code
