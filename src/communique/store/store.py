"""The corpus store: migrations, batch writes in one transaction, and the few lookups ingest needs."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..model import Analysis
from .backends import Backend, DuckDBBackend, PostgresBackend, Row, StoreError, now
from .rows import StoredDocument, document_rows
from .schema import MIGRATIONS, SCHEMA_VERSION, TABLES, VERSION_TABLE_SQL, columns

DB_ENV = "COMMUNIQUE_DB"
DEFAULT_DB = "communique.duckdb"
# Keeps each IN (...) list well under both engines' parameter limits.
LOOKUP_CHUNK = 500


def resolve_db(db: str | None = None) -> str:
    return db or os.environ.get(DB_ENV) or DEFAULT_DB


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def open_store(db: str | None = None, *, read_only: bool = False) -> Store:
    """Open (and migrate) the store named by ``db``, ``$COMMUNIQUE_DB`` or ./communique.duckdb."""
    location = resolve_db(db)
    backend: Backend
    if is_postgres(location):
        backend = PostgresBackend(location)
    else:
        path = Path(location)
        if read_only and not path.exists():
            raise StoreError(f"no database at {location} (run `communique ingest` first, or pass --db)")
        if path.parent and not path.parent.exists():
            raise StoreError(f"cannot create database {location}: directory {path.parent} does not exist")
        backend = DuckDBBackend(path, read_only=read_only)
    store = Store(backend)
    if read_only:
        store.check_version()
    else:
        store.migrate()
    return store


class Store:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    @property
    def dialect(self) -> str:
        return self.backend.dialect

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.backend.close()

    # --- schema -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        try:
            _, rows = self.backend.query("SELECT MAX(version) FROM schema_version")
        except Exception:
            return 0
        return int(rows[0][0] or 0)

    def check_version(self) -> None:
        version = self.schema_version()
        if version == 0:
            raise StoreError(f"{self.backend.location} is not a communique database (no schema_version)")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.backend.location} has schema v{version}, newer than this communique (v{SCHEMA_VERSION})"
            )

    def migrate(self) -> list[int]:
        """Apply pending migrations, each in its own transaction; returns the versions applied."""
        self.backend.execute(VERSION_TABLE_SQL)
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            self.check_version()
        applied = []
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            with self.backend.transaction():
                for statement in migration.statements(self.dialect):
                    self.backend.execute(statement)
                self.backend.execute(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                    [migration.version, migration.description, now()],
                )
            applied.append(migration.version)
        return applied

    # --- generic ------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]:
        return self.backend.query(sql, params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        names, rows = self.backend.query(sql, params)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        _, rows = self.backend.query(f"SELECT COUNT(*) FROM {table}")
        return int(rows[0][0])

    # --- ingest -------------------------------------------------------------------------------
    def _lookup(self, sql_prefix: str, values: Sequence[Any], suffix: str = "") -> list[Row]:
        """Run ``prefix (?, ?, ...) suffix`` over chunks of values; only placeholders are generated."""
        found: list[Row] = []
        for start in range(0, len(values), LOOKUP_CHUNK):
            chunk = values[start : start + LOOKUP_CHUNK]
            placeholders = ", ".join("?" for _ in chunk)
            found += self.backend.query(f"{sql_prefix} ({placeholders}) {suffix}", chunk)[1]
        return found

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        rows = self._lookup("SELECT content_hash FROM documents WHERE content_hash IN", sorted(set(hashes)))
        return {row[0] for row in rows}

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        rows = self._lookup("SELECT doc_id FROM documents WHERE doc_id IN", sorted(set(ids)))
        return {row[0] for row in rows}

    def ids_for_urls(self, urls: Iterable[str]) -> dict[str, str]:
        """Stored document id per URL (the earliest stored, when several share one)."""
        rows = self._lookup("SELECT url, MIN(doc_id) FROM documents WHERE url IN", sorted(set(urls)), "GROUP BY url")
        return {row[0]: row[1] for row in rows}

    def signatures(self) -> Iterator[tuple[str, str, bytes]]:
        """(doc_id, cluster_id, MinHash signature) of every stored document, for the LSH index."""
        _, rows = self.backend.query(
            "SELECT m.doc_id, d.cluster_id, m.signature FROM minhashes m JOIN documents d ON d.doc_id = m.doc_id "
            "ORDER BY d.run_id, m.doc_id"
        )
        for doc_id, cluster_id, signature in rows:
            yield doc_id, cluster_id, bytes(signature)

    def write_batch(self, items: list[StoredDocument], run_id: int) -> None:
        """Documents with all their rows, in ONE transaction: a crash leaves all of the batch or none."""
        if not items:
            return
        ingested_at = now()
        merged: dict[str, list[Row]] = {table: [] for table in TABLES}
        for item in items:
            for table, rows in document_rows(item, run_id, ingested_at).items():
                merged[table].extend(rows)
        with self.backend.transaction():
            merged["events"] = self._mark_first_mentions(merged["events"])
            for table, rows in merged.items():
                if rows:
                    self.backend.insert_rows(table, columns(table), rows)

    def _mark_first_mentions(self, rows: list[Row]) -> list[Row]:
        """Flag the first stored mention of each event, so unfiltered counts need no collapsing pass.

        Runs inside the batch transaction, so the flag stays exact across crashes and reruns.
        """
        if not rows:
            return rows
        key_at, flag_at = columns("events").index("event_key"), columns("events").index("first_mention")
        keys = sorted({row[key_at] for row in rows})
        seen = {row[0] for row in self._lookup("SELECT DISTINCT event_key FROM events WHERE event_key IN", keys)}
        marked = []
        for row in rows:
            first = row[key_at] not in seen
            seen.add(row[key_at])
            marked.append((*row[:flag_at], first, *row[flag_at + 1 :]))
        return marked

    def start_run(self, sources: list[str]) -> int:
        with self.backend.transaction():
            _, rows = self.backend.query("SELECT COALESCE(MAX(run_id), 0) + 1 FROM ingest_runs")
            run_id = int(rows[0][0])
            self.backend.execute(
                "INSERT INTO ingest_runs (run_id, started_at, status, sources, added, unchanged, near_duplicates, "
                "failed) VALUES (?, ?, 'running', ?, 0, 0, 0, 0)",
                [run_id, now(), json.dumps(sources)],
            )
        return run_id

    def finish_run(
        self, run_id: int, *, status: str, added: int, unchanged: int, near_duplicates: int, failures: list[str]
    ) -> None:
        self.backend.execute(
            "UPDATE ingest_runs SET finished_at = ?, status = ?, added = ?, unchanged = ?, near_duplicates = ?, "
            "failed = ?, failures = ? WHERE run_id = ?",
            [now(), status, added, unchanged, near_duplicates, len(failures), json.dumps(failures), run_id],
        )

    # --- reading back -------------------------------------------------------------------------
    def analysis(self, doc_id: str) -> Analysis | None:
        _, rows = self.backend.query("SELECT analysis FROM documents WHERE doc_id = ?", [doc_id])
        return Analysis.from_json(rows[0][0]) if rows else None

    def doc_ids_with_prefix(self, prefix: str, limit: int = 5) -> list[str]:
        _, rows = self.backend.query(
            "SELECT doc_id FROM documents WHERE starts_with(doc_id, ?) ORDER BY doc_id LIMIT ?", [prefix, limit]
        )
        return [row[0] for row in rows]
