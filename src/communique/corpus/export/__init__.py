"""Exports: every table (CSV, Parquet, JSON Lines), GDELT 2.0 events, and the actor network as GraphML."""

from __future__ import annotations

from pathlib import Path

from ...store import Store
from ..query import Filters
from .gdelt import GDELT_COLUMNS, export_gdelt
from .graphml import export_graphml
from .tables import FORMATS as TABLE_FORMATS
from .tables import export_tables

EXPORT_FORMATS = (*TABLE_FORMATS, "gdelt", "graphml")


def export(store: Store, fmt: str, out: Path, filters: Filters | None = None) -> list[Path]:
    """Write the export in ``fmt`` into directory ``out``; returns the files written."""
    if fmt in TABLE_FORMATS:
        return export_tables(store, out, fmt)
    if fmt == "gdelt":
        return [export_gdelt(store, out, filters)]
    if fmt == "graphml":
        return [export_graphml(store, out, filters)]
    raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")


__all__ = ["EXPORT_FORMATS", "GDELT_COLUMNS", "export", "export_gdelt", "export_graphml", "export_tables"]
