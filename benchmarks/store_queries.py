"""Store benchmarks (a script, not a timed test).

1. Query speed: generates 1M event mentions (~0.8M story-level events) into a fresh DuckDB file and
   times a dyad query and the network query (target: <= 300 ms each, warm).
2. Ingest throughput vs analyze throughput on the same texts (target: ratio >= 0.8), so storage,
   hashing and near-duplicate clustering do not dominate.

    .venv/bin/python benchmarks/store_queries.py [--events 1000000] [--docs 200] [--skip-ingest]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

ACTORS = [
    "IND", "INDGOV", "INDMIL", "PAK", "PAKGOV", "PAKMIL", "USA", "USAGOV", "USAMIL", "CHN", "CHNGOV", "CHNMIL",
    "RUS", "RUSGOV", "UKR", "UKRGOV", "AFG", "AFGGOV", "IRN", "IRNGOV", "ISR", "ISRGOV", "GBR", "FRA", "DEU",
    "JPN", "KOR", "PRK", "IGOUNO", "IGONAT",
]  # fmt: skip
CODES = [
    ("010", 0.0, 1), ("020", 3.0, 1), ("036", 4.0, 1), ("040", 1.0, 1), ("042", 1.9, 1), ("051", 3.4, 1),
    ("057", 8.0, 1), ("061", 6.4, 2), ("070", 7.0, 2), ("081", 5.0, 2), ("111", -2.0, 3), ("112", -2.0, 3),
    ("120", -4.0, 3), ("138", -7.0, 3), ("163", -8.0, 4), ("173", -5.0, 4), ("190", -10.0, 4), ("193", -10.0, 4),
]  # fmt: skip
OUTLETS = ["Wire", "Harbor", "Lantern", "Meridian", "Northgate", "Beacon", "Courier", "Ledger", "Sentinel", "Gazette"]


def generate_events(db: Path, n_events: int) -> None:
    """Bulk-generate event mentions in SQL: 2 articles per story, 4 mentions per article."""
    from communique.store import open_store

    store = open_store(str(db))
    conn = store.backend.connection  # type: ignore[attr-defined]
    conn.execute(
        "CREATE TEMP TABLE actor_list AS SELECT unnest(?) AS code, generate_subscripts(?, 1) AS i", [ACTORS, ACTORS]
    )
    conn.execute(
        "CREATE TEMP TABLE code_list AS SELECT unnest(?) AS code, unnest(?) AS goldstein, unnest(?) AS quad, "
        "generate_subscripts(?, 1) AS i",
        [[c for c, _, _ in CODES], [g for _, g, _ in CODES], [q for _, _, q in CODES], [c for c, _, _ in CODES]],
    )
    conn.execute(
        "CREATE TEMP TABLE outlet_list AS SELECT unnest(?) AS name, generate_subscripts(?, 1) AS i", [OUTLETS, OUTLETS]
    )
    # Mentions 4k..4k+3 of article k; articles 2s, 2s+1 of story s share their events (syndication).
    conn.execute(
        """
        INSERT INTO events (doc_id, seq, event_key, first_mention, cluster_id, event_date, doc_source, sentence,
                            source_code, target_code, cameo_code, cameo_root, cameo_name, goldstein, quad_class,
                            plover_type,
                            negated, trigger_text, trigger_start, trigger_end, rule_id, confidence)
        SELECT 'doc-' || (g.i // 4), g.i % 4,
               CAST(hash('story-' || (g.i // 8) || '|' || (g.i % 4)) // 16 AS BIGINT),
               (g.i // 4) % 2 = 0,
               'story-' || (g.i // 8),
               DATE '2020-01-01' + CAST((g.i // 8) % 1800 AS INTEGER),
               o.name, g.i % 4, a.code, b.code, c.code, substr(c.code, 1, 2), 'generated', c.goldstein, c.quad,
               NULL, (g.i % 50) = 0, 'verb', 0, 4, 'bench', 0.9
        FROM (SELECT range AS i, hash(range // 8 * 4 + range % 4) AS h FROM range(?)) g
        JOIN actor_list a ON a.i = 1 + (g.h % 30)
        JOIN actor_list b ON b.i = 1 + ((g.h // 30) % 30)
        JOIN code_list c ON c.i = 1 + ((g.h // 900) % 18)
        JOIN outlet_list o ON o.i = 1 + ((g.i // 4) % 10)
        """,
        [n_events],
    )
    conn.execute("CHECKPOINT")
    store.close()


def timed(function: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    function()  # warm
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def bench_queries(n_events: int) -> dict[str, Any]:
    from communique.corpus import query as q
    from communique.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        start = time.perf_counter()
        generate_events(db, n_events)
        generated = time.perf_counter() - start
        store = open_store(str(db), read_only=True)
        mentions, events = store.query("SELECT COUNT(*), COUNT(DISTINCT event_key) FROM events")[1][0]
        dyad_ms, dyad_rows = timed(lambda: q.dyads(store, "IND", "PAK", by="week"))
        dyad_month_ms, _ = timed(lambda: q.dyads(store, "USA", "CHN", by="month"))
        network_ms, edges = timed(lambda: q.network(store))
        store.close()
    return {
        "event_mentions": mentions,
        "events": events,
        "generate_seconds": round(generated, 1),
        "dyads_IND_PAK_week_ms": round(dyad_ms, 1),
        "dyads_USA_CHN_month_ms": round(dyad_month_ms, 1),
        "network_ms": round(network_ms, 1),
        "dyad_rows": len(dyad_rows),
        "network_edges": len(edges),
        "target_ms": 300,
    }


def load_documents(n_docs: int) -> tuple[str, list[Any]]:
    from communique.ingest import Failure, ReadOptions, read_sources

    candidates = [SHARED / "corpus" / "state-dept-2021.jsonl", REPO / "demo" / "corpus.jsonl"]
    for path in candidates:
        if path.exists():
            documents = []
            for item in read_sources([str(path)], ReadOptions()):
                if not isinstance(item, Failure):
                    documents.append(item)
                if len(documents) >= n_docs:
                    break
            return str(path), documents
    raise SystemExit("no corpus found for the ingest benchmark")


def bench_ingest(n_docs: int, stages: str | None) -> dict[str, Any]:
    from communique import Analyzer, Settings
    from communique.corpus.ingest import Ingestor
    from communique.store import open_store

    source, documents = load_documents(n_docs)
    settings = Settings(stages=tuple(s for s in stages.split(",") if s) if stages is not None else None)
    analyzer = Analyzer(settings)
    list(analyzer.analyze_many(documents[:5]))  # warm caches
    start = time.perf_counter()
    for _ in analyzer.analyze_many(documents):
        pass
    analyze_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "ingest.duckdb"))
        start = time.perf_counter()
        summary = Ingestor(store, analyzer).run([source], iter(documents))
        ingest_seconds = time.perf_counter() - start
        store.close()
    analyze_rate = len(documents) / analyze_seconds
    ingest_rate = summary.added / ingest_seconds
    return {
        "corpus": source,
        "documents": len(documents),
        "stored": summary.added,
        "stages": analyzer.stage_names,
        "analyze_docs_per_s": round(analyze_rate, 2),
        "ingest_docs_per_s": round(ingest_rate, 2),
        "ratio": round(ingest_rate / analyze_rate, 3),
        "target_ratio": 0.8,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--stages", default=None, help="Comma-separated stages for the ingest benchmark (default all).")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-queries", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    results: dict[str, Any] = {}
    if not args.skip_queries:
        results["queries"] = bench_queries(args.events)
        print(json.dumps({"queries": results["queries"]}, indent=2), flush=True)
    if not args.skip_ingest:
        results["ingest"] = bench_ingest(args.docs, args.stages)
        print(json.dumps({"ingest": results["ingest"]}, indent=2), flush=True)


if __name__ == "__main__":
    main()
