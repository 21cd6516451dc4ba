"""Every table as CSV, Parquet or JSON Lines, typed from the schema so files round-trip cleanly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ...store import EXPORT_TABLES, TABLES, Store
from ...store.backends import arrow_type
from ..query import clean

FORMATS = ("csv", "parquet", "jsonl")


def _arrow_table(store: Store, table: str) -> Any:
    import pyarrow as pa

    names = [name for name, _ in TABLES[table]]
    _, rows = store.query(f"SELECT {', '.join(names)} FROM {table} ORDER BY 1, 2")
    schema = pa.schema([(name, arrow_type(kind)) for name, kind in TABLES[table]])
    columns = [[row[i] for row in rows] for i in range(len(names))]
    return pa.Table.from_arrays([pa.array(col, type=field.type) for col, field in zip(columns, schema, strict=True)],
                                schema=schema)


def export_tables(store: Store, out: Path, fmt: str) -> list[Path]:
    """One file per table in ``out``; returns the paths written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in EXPORT_TABLES:
        path = out / f"{table}.{fmt}"
        if fmt == "jsonl":
            names = [name for name, _ in TABLES[table]]
            _, rows = store.query(f"SELECT {', '.join(names)} FROM {table} ORDER BY 1, 2")
            with path.open("w", encoding="utf-8") as handle:
                for row in rows:
                    record = {name: clean(value) for name, value in zip(names, row, strict=True)}
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            data = _arrow_table(store, table)
            if fmt == "csv":
                import pyarrow.csv as pacsv

                pacsv.write_csv(data, path)
            else:
                import pyarrow.parquet as pq

                pq.write_table(data, path)
        written.append(path)
    return written
