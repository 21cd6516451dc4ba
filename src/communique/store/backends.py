"""Two database engines behind one small interface: execute, query, bulk insert, transaction.

SQL is written once with ``?`` placeholders; the PostgreSQL backend rewrites them to psycopg's
``%s``. Values always travel as parameters, never inside the SQL text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from .schema import TABLES

Row = tuple[Any, ...]


class StoreError(RuntimeError):
    """The database cannot be opened or used; the message is one line for the user."""


class Backend(Protocol):
    dialect: str
    location: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]: ...

    def insert_rows(self, table: str, columns: list[str], rows: list[Row]) -> None: ...

    def transaction(self) -> contextlib.AbstractContextManager[None]: ...

    def close(self) -> None: ...


def arrow_type(sql_type: str) -> Any:
    import pyarrow as pa

    return {
        "TEXT": pa.string(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DOUBLE PRECISION": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
        "BYTEA": pa.binary(),
    }[sql_type]


class DuckDBBackend:
    """Embedded default. Bulk inserts go through Arrow, which is orders faster than executemany."""

    dialect = "duckdb"

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import duckdb

        self.location = str(path)
        try:
            self.connection = duckdb.connect(self.location, read_only=read_only)
        except duckdb.Error as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot open DuckDB database {self.location}: {first_line}") from None
        self._depth = 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.connection.execute(sql, list(params))

    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]:
        cursor = self.connection.execute(sql, list(params))
        names = [d[0] for d in cursor.description or []]
        return names, [tuple(row) for row in cursor.fetchall()]

    def insert_rows(self, table: str, columns: list[str], rows: list[Row]) -> None:
        if not rows:
            return
        import pyarrow as pa

        types = dict(TABLES[table])
        arrays = [
            pa.array([row[i] for row in rows], type=arrow_type(types[name])) for i, name in enumerate(columns)
        ]
        batch = pa.Table.from_arrays(arrays, names=columns)
        names = ", ".join(columns)
        self.connection.register("_communique_batch", batch)
        try:
            self.connection.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _communique_batch")
        finally:
            self.connection.unregister("_communique_batch")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.connection.execute("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        else:
            self.connection.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
        self.connection.close()


def _postgres_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresBackend:
    """PostgreSQL through psycopg 3; bulk inserts use COPY."""

    dialect = "postgresql"

    def __init__(self, dsn: str) -> None:
        import psycopg

        self.location = _redact(dsn)
        try:
            self.connection = psycopg.connect(dsn, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to PostgreSQL {self.location}: {first_line}") from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(_postgres_sql(sql), list(params))

    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[Row]]:
        with self.connection.cursor() as cursor:
            cursor.execute(_postgres_sql(sql), list(params))
            names = [d.name for d in cursor.description or []]
            return names, [tuple(row) for row in cursor.fetchall()]

    def insert_rows(self, table: str, columns: list[str], rows: list[Row]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        with self.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.connection.transaction():
            yield

    def close(self) -> None:
        self.connection.close()


def _redact(dsn: str) -> str:
    """The DSN without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(dsn)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return dsn


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
