"""The store on both engines: migrations, lossless round trip, one transaction per batch, parameters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from communique import Document
from communique.corpus.dedup import NearDuplicateIndex
from communique.store import SCHEMA_VERSION, Store, StoredDocument, StoreError, content_hash, open_store
from communique.store.schema import CHILD_TABLES, MIGRATIONS
from synthetic_corpus import RuleAnalyzer

TEXT = (
    "IND accuses PAK over the dam. PAKMIL attacks INDGOV near the border in 2024. "
    'USA is admirable. A spokesman said "calm is needed" today. #security'
)


@pytest.fixture(params=["duckdb", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    db = str(tmp_path / "store.duckdb") if request.param == "duckdb" else request.getfixturevalue("pg_dsn")
    opened = open_store(db)
    yield opened
    opened.close()


def stored(doc_id: str, text: str = TEXT) -> StoredDocument:
    analysis = RuleAnalyzer().analyze(Document(id=doc_id, text=text, source="Wire", url=f"https://x.invalid/{doc_id}"))
    index = NearDuplicateIndex()
    return StoredDocument(
        analysis=analysis,
        content_hash=content_hash(text),
        cluster_id=doc_id,
        similarity=None,
        signature=index.to_bytes(index.signature(text)),
    )


def test_migrations_are_recorded_once(store: Store) -> None:
    assert store.schema_version() == SCHEMA_VERSION
    assert store.migrate() == []
    _, rows = store.query("SELECT version, description FROM schema_version ORDER BY version")
    assert [row[0] for row in rows] == [m.version for m in MIGRATIONS]


def test_analysis_round_trip_is_lossless(store: Store) -> None:
    item = stored("doc-1")
    store.write_batch([item], run_id=1)
    back = store.analysis("doc-1")
    assert back is not None
    assert back.to_json() == item.analysis.to_json()
    assert back.events and back.stance and back.quotes and back.themes and back.claims
    assert store.count("events") == len(item.analysis.events)
    assert store.count("sentences") == len(item.analysis.sentences)
    assert store.count("mentions") == len(item.analysis.mentions)
    _, rows = store.query("SELECT cameo_code, source_code, target_code FROM events ORDER BY seq")
    assert rows == [("112", "IND", "PAK"), ("190", "PAKMIL", "INDGOV")]


def test_a_failing_batch_leaves_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    original = store.backend.insert_rows

    def explode_on_events(table: str, columns: list[str], rows: list[tuple[object, ...]]) -> None:
        if table == "events":
            raise RuntimeError("disk on fire")
        original(table, columns, rows)

    monkeypatch.setattr(store.backend, "insert_rows", explode_on_events)
    with pytest.raises(RuntimeError):
        store.write_batch([stored("a"), stored("b", TEXT + " More.")], run_id=1)
    monkeypatch.undo()
    for table in ("documents", "minhashes", *CHILD_TABLES):
        assert store.count(table) == 0, table
    store.write_batch([stored("a")], run_id=1)
    assert store.count("documents") == 1


def test_duplicate_content_is_refused_by_the_schema(store: Store) -> None:
    store.write_batch([stored("a")], run_id=1)
    with pytest.raises(Exception):  # noqa: B017 - the engines raise different constraint errors
        store.write_batch([stored("b")], run_id=1)
    assert store.count("documents") == 1


def test_values_travel_as_parameters(store: Store) -> None:
    store.write_batch([stored("a")], run_id=1)
    hostile = "x'); DROP TABLE documents; --"
    assert store.known_hashes([hostile, content_hash(TEXT)]) == {content_hash(TEXT)}
    assert store.analysis(hostile) is None
    assert store.count("documents") == 1


def test_runs_are_recorded(store: Store) -> None:
    run = store.start_run(["a.jsonl"])
    assert store.start_run(["b.jsonl"]) == run + 1
    store.finish_run(run, status="complete", added=3, unchanged=1, near_duplicates=1, failures=["x: bad"])
    rows = store.rows("SELECT status, added, failed, failures FROM ingest_runs WHERE run_id = ?", [run])
    assert rows == [{"status": "complete", "added": 3, "failed": 1, "failures": '["x: bad"]'}]


def test_read_only_open_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database"):
        open_store(str(tmp_path / "missing.duckdb"), read_only=True)


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")
