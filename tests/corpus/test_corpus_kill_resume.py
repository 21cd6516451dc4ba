"""Kill `communique ingest` with SIGKILL mid-run, run it again: every document once, no partial analyses."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from communique.store import open_store
from synthetic_corpus import synthetic_records, write_jsonl

CLI = Path(sys.executable).parent / "communique"


def start(corpus: Path, db: Path | str) -> subprocess.Popen[str]:
    # "--stages ," runs the bare parse: the storage path is what is under test, and it stays fast.
    command = [str(CLI), "ingest", str(corpus), "--db", str(db), "--batch-size", "4", "--verbose", "--quiet"]
    return subprocess.Popen(
        [*command, "--stages", ","], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=os.environ
    )


def kill_after_batches(process: subprocess.Popen[str], batches: int, extra_delay: float) -> int:
    """SIGKILL once ``batches`` commits were logged, plus a delay that lands inside a later batch."""
    assert process.stderr is not None
    committed = 0
    while committed < batches:
        line = process.stderr.readline()
        if not line:
            pytest.fail(f"ingest ended before {batches} batches (exit {process.wait()})")
        if "committed" in line:
            committed += 1
    time.sleep(extra_delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return committed


needs_cli = pytest.mark.skipif(not CLI.exists(), reason="the communique console script is not installed here")


@needs_cli
def test_sigkill_mid_run_then_resume(tmp_path: Path) -> None:
    kill_and_resume(tmp_path, tmp_path / "kill.duckdb")


@needs_cli
@pytest.mark.postgres
def test_sigkill_mid_run_then_resume_on_postgres(tmp_path: Path, pg_dsn: str) -> None:
    kill_and_resume(tmp_path, pg_dsn)


def kill_and_resume(tmp_path: Path, db: Path | str) -> None:
    records = synthetic_records(n_stories=60, copies=6, seed=11)
    corpus = write_jsonl(records, tmp_path / "corpus.jsonl")
    rng = random.Random(5)

    first = start(corpus, db)
    kill_after_batches(first, 3, rng.uniform(0.0, 0.15))
    assert first.returncode == -signal.SIGKILL
    second = start(corpus, db)
    kill_after_batches(second, 2, rng.uniform(0.05, 0.3))
    assert second.returncode == -signal.SIGKILL

    with open_store(str(db), read_only=True) as store:
        stored_after_kills = store.count("documents")
    assert 0 < stored_after_kills < len(records), "the kills must land mid-run"

    final = start(corpus, db)
    assert final.stderr is not None
    log = final.stderr.read()
    assert final.wait(timeout=300) == 0, log

    with open_store(str(db), read_only=True) as store:
        assert store.count("documents") == len(records)
        assert store.query("SELECT COUNT(DISTINCT content_hash), COUNT(DISTINCT doc_id) FROM documents")[1] == [
            (len(records), len(records))
        ]
        # No partial analyses: every document has exactly the sentences its stored analysis lists.
        rows = store.query(
            "SELECT d.doc_id, d.n_sentences, COUNT(s.seq), COUNT(DISTINCT s.seq) FROM documents d "
            "LEFT JOIN sentences s ON s.doc_id = d.doc_id GROUP BY d.doc_id, d.n_sentences"
        )[1]
        assert all(n == count == distinct and n > 0 for _, n, count, distinct in rows)
        orphans = store.query(
            "SELECT COUNT(*) FROM sentences WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
        )[1][0][0]
        assert orphans == 0
        assert store.count("minhashes") == len(records)
        runs = store.rows("SELECT status, added FROM ingest_runs ORDER BY run_id")
    assert [r["status"] for r in runs] == ["running", "running", "complete"], "killed runs never finished"
    assert runs[-1]["added"] == len(records) - stored_after_kills
    assert "near-duplicate" in log
