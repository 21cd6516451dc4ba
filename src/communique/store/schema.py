"""The corpus schema, one definition for DuckDB and PostgreSQL, applied by numbered migrations.

Column types are the common subset both engines accept (TEXT, INTEGER, BIGINT, DOUBLE PRECISION,
BOOLEAN, DATE, TIMESTAMP, BYTEA), so the same DDL runs on both and query results compare equal.
A new schema change is a new entry at the end of ``MIGRATIONS``; applied versions are recorded in
``schema_version`` and never re-run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SCHEMA_VERSION = 1

# Child tables: one row per item of the Analysis list of the same name, keyed by (doc_id, seq).
TABLES: dict[str, list[tuple[str, str]]] = {
    "ingest_runs": [
        ("run_id", "BIGINT"),
        ("started_at", "TIMESTAMP"),
        ("finished_at", "TIMESTAMP"),
        ("status", "TEXT"),
        ("sources", "TEXT"),
        ("added", "INTEGER"),
        ("unchanged", "INTEGER"),
        ("near_duplicates", "INTEGER"),
        ("failed", "INTEGER"),
        ("failures", "TEXT"),
    ],
    "documents": [
        ("doc_id", "TEXT"),
        ("content_hash", "TEXT"),
        ("cluster_id", "TEXT"),
        ("similarity", "DOUBLE PRECISION"),
        ("title", "TEXT"),
        ("byline", "TEXT"),
        ("published", "DATE"),
        ("source", "TEXT"),
        ("url", "TEXT"),
        ("language", "TEXT"),
        ("path", "TEXT"),
        ("text", "TEXT"),
        ("n_sentences", "INTEGER"),
        ("tone", "DOUBLE PRECISION"),
        ("stages", "TEXT"),
        ("run_id", "BIGINT"),
        ("ingested_at", "TIMESTAMP"),
        ("analysis", "TEXT"),
    ],
    "minhashes": [
        ("doc_id", "TEXT"),
        ("signature", "BYTEA"),
    ],
    "sentences": [
        ("doc_id", "TEXT"),
        ("seq", "INTEGER"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("text", "TEXT"),
    ],
    "mentions": [
        ("doc_id", "TEXT"),
        ("seq", "INTEGER"),
        ("sentence", "INTEGER"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("text", "TEXT"),
        ("code", "TEXT"),
        ("kind", "TEXT"),
        ("name", "TEXT"),
        ("country", "TEXT"),
        ("sector", "TEXT"),
        ("method", "TEXT"),
        ("confidence", "DOUBLE PRECISION"),
        ("coref", "BOOLEAN"),
    ],
    "actors": [
        ("doc_id", "TEXT"),
        ("seq", "INTEGER"),
        ("code", "TEXT"),
        ("name", "TEXT"),
        ("kind", "TEXT"),
        ("mentions", "INTEGER"),
        ("salience", "DOUBLE PRECISION"),
    ],
    "events": [
        ("doc_id", "TEXT"),
        ("seq", "INTEGER"),
        ("event_key", "BIGINT"),
        ("first_mention", "BOOLEAN"),
        ("cluster_id", "TEXT"),
        ("event_date", "DATE"),
        ("doc_source", "TEXT"),
        ("sentence", "INTEGER"),
        ("source_code", "TEXT"),
        ("source_text", "TEXT"),
        ("target_code", "TEXT"),
        ("target_text", "TEXT"),
        ("cameo_code", "TEXT"),
        ("cameo_root", "TEXT"),
        ("cameo_name", "TEXT"),
        ("goldstein", "DOUBLE PRECISION"),
        ("quad_class", "INTEGER"),
        ("plover_type", "TEXT"),
        ("plover_mode", "TEXT"),
        ("plover_context", "TEXT"),
        ("negated", "BOOLEAN"),
        ("modality", "TEXT"),
        ("attributed_code", "TEXT"),
        ("date_text", "TEXT"),
        ("location_text", "TEXT"),
        ("trigger_text", "TEXT"),
        ("trigger_start", "INTEGER"),
        ("trigger_end", "INTEGER"),
        ("rule_id", "TEXT"),
        ("confidence", "DOUBLE PRECISION"),
    ],
    "stance": [
        ("doc_id", "TEXT"),
        ("seq", "INTEGER"),
        ("actor", "TEXT"),
        ("score", "DOUBLE PRECISION"),
        ("label", "TEXT"),
        ("evidence", "TEXT"),
    ],
    "claims": [
        ("doc_id", "TEXT"),
        ("seq", "INTEGER"),
        ("sentence", "INTEGER"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("text", "TEXT"),
        ("score", "DOUBLE PRECISION"),
        ("claim_type", "TEXT"),
        ("actors", "TEXT"),
    ],
    "themes": [
        ("doc_id", "TEXT"),
        ("seq", "INTEGER"),
        ("theme", "TEXT"),
        ("label", "TEXT"),
        ("score", "DOUBLE PRECISION"),
    ],
    "quotes": [
        ("doc_id", "TEXT"),
        ("seq", "INTEGER"),
        ("sentence", "INTEGER"),
        ("start_char", "INTEGER"),
        ("end_char", "INTEGER"),
        ("text", "TEXT"),
        ("kind", "TEXT"),
        ("speaker_text", "TEXT"),
        ("speaker_code", "TEXT"),
        ("cue", "TEXT"),
    ],
}

# Tables holding per-document analysis rows, written (and so deleted) together with the document.
CHILD_TABLES = ("sentences", "mentions", "actors", "events", "stance", "claims", "themes", "quotes")
# Tables worth exporting: everything but the internal near-duplicate signatures.
EXPORT_TABLES = ("documents", *CHILD_TABLES, "ingest_runs")

_CONSTRAINTS = {
    "ingest_runs": ["PRIMARY KEY (run_id)"],
    "documents": ["PRIMARY KEY (doc_id)", "UNIQUE (content_hash)"],
    "minhashes": ["PRIMARY KEY (doc_id)"],
}
_NOT_NULL = {
    ("documents", "content_hash"),
    ("documents", "cluster_id"),
    ("documents", "text"),
    ("documents", "analysis"),
    ("ingest_runs", "status"),
    ("minhashes", "signature"),
    *((table, "doc_id") for table in CHILD_TABLES),
    *((table, "seq") for table in CHILD_TABLES),
}
# Secondary indexes only where the engine benefits: PostgreSQL looks rows up by doc_id;
# DuckDB scans columnar data quickly and its indexes would slow bulk inserts.
_POSTGRES_INDEXES = [
    *(f"CREATE INDEX IF NOT EXISTS {table}_doc_idx ON {table} (doc_id)" for table in CHILD_TABLES),
    "CREATE INDEX IF NOT EXISTS events_key_idx ON events (event_key)",
    "CREATE INDEX IF NOT EXISTS events_dyad_idx ON events (source_code, target_code)",
    "CREATE INDEX IF NOT EXISTS documents_published_idx ON documents (published)",
]


def create_table_sql(table: str) -> str:
    columns = [
        f"{name} {kind}{' NOT NULL' if (table, name) in _NOT_NULL else ''}" for name, kind in TABLES[table]
    ]
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  " + ",\n  ".join(columns + _CONSTRAINTS.get(table, [])) + "\n)"


def _initial(dialect: str) -> list[str]:
    statements = [create_table_sql(table) for table in TABLES]
    if dialect == "postgresql":
        statements += _POSTGRES_INDEXES
    return statements


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: Callable[[str], list[str]]


MIGRATIONS: list[Migration] = [
    Migration(1, "initial corpus schema", _initial),
]

VERSION_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS schema_version "
    "(version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)"
)


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]
