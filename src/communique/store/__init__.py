"""Corpus storage: one schema on DuckDB (embedded default) or PostgreSQL, versioned by migrations."""

from .backends import Backend, DuckDBBackend, PostgresBackend, StoreError
from .rows import StoredDocument, content_hash, event_key
from .schema import EXPORT_TABLES, SCHEMA_VERSION, TABLES
from .store import DB_ENV, DEFAULT_DB, Store, is_postgres, open_store, resolve_db

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "EXPORT_TABLES",
    "SCHEMA_VERSION",
    "TABLES",
    "Backend",
    "DuckDBBackend",
    "PostgresBackend",
    "Store",
    "StoreError",
    "StoredDocument",
    "content_hash",
    "event_key",
    "is_postgres",
    "open_store",
    "resolve_db",
]
