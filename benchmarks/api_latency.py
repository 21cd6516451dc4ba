"""Dashboard API latency on a large generated store: p50/p95 for the overview, network and dyad endpoints.

    .venv/bin/python benchmarks/api_latency.py [--docs 100000] [--requests 40] [--db PATH] [--keep]

Synthetic rows go straight into the store's tables through its bulk-insert path (no analyzer), so a
100k-document store takes well under a minute to build. The app is then served by uvicorn on a free
loopback port and queried over HTTP, so the figures include routing, validation and JSON encoding.
Prints figures; it is not a pass/fail test (target: p95 <= 200 ms per endpoint).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from communique.model import Analysis, Document
from communique.store import event_key, open_store
from communique.store.schema import columns

COUNTRIES = ["PAK", "IND", "USA", "CHN", "RUS", "UKR", "AFG", "IRN", "ISR", "GBR", "FRA", "DEU", "TUR", "SAU", "JPN"]
SECTORS = ["", "", "GOV", "MIL", "BUS", "OPP"]
ORGS = ["IGOUNO", "IGOEUR", "IGONAT", "IGOIMF"]
# (CAMEO code, name, QuadClass, Goldstein, PLOVER type)
CAMEO = [
    ("010", "Make statement", 1, 0.0, None),
    ("036", "Express intent to meet or negotiate", 1, 4.0, "CONSULT"),
    ("039", "Express intent to mediate", 1, 5.0, "CONSULT"),
    ("042", "Make a visit", 1, 1.9, "CONSULT"),
    ("057", "Sign formal agreement", 1, 8.0, "AGREE"),
    ("071", "Provide economic aid", 2, 7.4, "AID"),
    ("0871", "Declare truce, ceasefire", 2, 9.0, "RETREAT"),
    ("111", "Criticize or denounce", 3, -2.0, "ACCUSE"),
    ("125", "Reject proposal to meet", 3, -5.0, "REJECT"),
    ("163", "Impose embargo, boycott, or sanctions", 3, -8.0, "SANCTION"),
    ("190", "Use conventional military force", 4, -10.0, "ASSAULT"),
    ("195", "Employ aerial weapons", 4, -10.0, "ASSAULT"),
]
THEMES = ["security", "diplomacy", "trade", "energy", "humanitarian", "terrorism", "nuclear", "climate"]
SOURCES = [f"Outlet {i}" for i in range(12)]
START = dt.date(2020, 1, 1)
DAYS = 5 * 365
CHUNK = 20_000


def _actor(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return rng.choice(ORGS)
    return rng.choice(COUNTRIES[:6] if rng.random() < 0.6 else COUNTRIES) + rng.choice(SECTORS)


def _row(table: str, values: dict[str, Any]) -> tuple[Any, ...]:
    """A row in the store's column order; columns this generator does not know stay NULL."""
    return tuple(values.get(name) for name in columns(table))


def generate(db: str, n_docs: int, seed: int = 7) -> dict[str, int]:
    """Write ``n_docs`` synthetic documents with events, mentions, stance and themes; returns row counts."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    text = "Synthetic document for the API latency benchmark. " * 4
    seen_keys: set[Any] = set()
    with open_store(db) as store:
        run_id = store.start_run(["benchmark"])
        now = dt.datetime(2026, 1, 1)
        for first in range(0, n_docs, CHUNK):
            rows: dict[str, list[tuple[Any, ...]]] = {
                t: [] for t in ("documents", "minhashes", "sentences", "mentions", "events", "stance", "themes")
            }
            for i in range(first, min(n_docs, first + CHUNK)):
                doc_id = f"doc{i:07d}"
                # One document in ten is a syndicated copy of an earlier story: its events share keys.
                cluster = f"doc{rng.randrange(max(1, i)):07d}" if i and rng.random() < 0.1 else doc_id
                published = START + dt.timedelta(days=rng.randrange(DAYS))
                source = rng.choice(SOURCES)
                url = f"https://example.invalid/{i}"
                document = Document(
                    id=doc_id, text=text, title=f"Story {i}", published=published, source=source, url=url
                )
                rows["documents"].append(
                    _row(
                        "documents",
                        {
                            "doc_id": doc_id,
                            "content_hash": f"h{i}",
                            "cluster_id": cluster,
                            "title": f"Story {i}",
                            "published": published,
                            "source": source,
                            "url": url,
                            "language": "en",
                            "text": text,
                            "n_sentences": 3,
                            "tone": rng.uniform(-5, 3),
                            "stages": "bench",
                            "run_id": run_id,
                            "ingested_at": now,
                            "analysis": Analysis(document=document).to_json(),
                        },
                    )
                )
                rows["minhashes"].append(_row("minhashes", {"doc_id": doc_id, "signature": b"\x00"}))
                for s in range(3):
                    rows["sentences"].append(
                        _row(
                            "sentences",
                            {
                                "doc_id": doc_id,
                                "seq": s,
                                "start_char": s * 50,
                                "end_char": s * 50 + 49,
                                "text": text[s * 50 : s * 50 + 49],
                            },
                        )
                    )
                actors = [_actor(rng) for _ in range(rng.randint(2, 6))]
                for m in range(rng.randint(4, 14)):
                    code = actors[m % len(actors)]
                    rows["mentions"].append(
                        _row(
                            "mentions",
                            {
                                "doc_id": doc_id,
                                "seq": m,
                                "sentence": m % 3,
                                "start_char": 0,
                                "end_char": 5,
                                "text": "Actor",
                                "code": code,
                                "kind": "state",
                                "name": code,
                                "country": code[:3],
                                "sector": code[3:] or None,
                                "method": "dictionary",
                                "confidence": 1.0,
                                "coref": False,
                            },
                        )
                    )
                for e in range(rng.randint(1, 9)):
                    pair = rng.sample(actors, 2) if len(set(actors)) > 1 else [actors[0], "USA"]
                    code, name, quad, goldstein, plover = rng.choice(CAMEO)
                    key = event_key(cluster, pair[0], pair[1], code, False)
                    rows["events"].append(
                        _row(
                            "events",
                            {
                                "doc_id": doc_id,
                                "seq": e,
                                "event_key": key,
                                "first_mention": key not in seen_keys,
                                "cluster_id": cluster,
                                "event_date": published,
                                "doc_source": source,
                                "sentence": e % 3,
                                "source_code": pair[0],
                                "source_text": pair[0],
                                "target_code": pair[1],
                                "target_text": pair[1],
                                "cameo_code": code,
                                "cameo_root": code[:2],
                                "cameo_name": name,
                                "goldstein": goldstein,
                                "quad_class": quad,
                                "plover_type": plover,
                                "negated": False,
                                "trigger_text": "trigger",
                                "trigger_start": 0,
                                "trigger_end": 7,
                                "rule_id": f"rule.{code}",
                                "confidence": 0.8,
                            },
                        )
                    )
                    seen_keys.add(key)
                for s, actor in enumerate(actors[:2]):
                    score = rng.uniform(-1, 1)
                    label = "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral"
                    rows["stance"].append(
                        _row(
                            "stance",
                            {
                                "doc_id": doc_id,
                                "seq": s,
                                "actor": actor,
                                "score": score,
                                "label": label,
                                "evidence": "[]",
                            },
                        )
                    )
                for t, theme in enumerate(rng.sample(THEMES, rng.randint(1, 3))):
                    rows["themes"].append(
                        _row(
                            "themes",
                            {
                                "doc_id": doc_id,
                                "seq": t,
                                "theme": theme,
                                "label": theme,
                                "score": rng.random(),
                            },
                        )
                    )
            with store.backend.transaction():
                for table, table_rows in rows.items():
                    store.backend.insert_rows(table, columns(table), table_rows)
                    counts[table] = counts.get(table, 0) + len(table_rows)
            print(f"  generated {min(n_docs, first + CHUNK):,} documents", file=sys.stderr)
        store.finish_run(run_id, status="complete", added=n_docs, unchanged=0, near_duplicates=0, failures=[])
    return counts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure(db: str, n_requests: int) -> dict[str, dict[str, float]]:
    import httpx
    import uvicorn

    from communique.web import create_app

    port = _free_port()
    started = time.perf_counter()
    app = create_app(db)  # opens the store and builds the dashboard's in-memory index
    print(f"app ready (index built) in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    cases = {
        "overview": [("/api/overview", {}), ("/api/overview", {"start": "2022-01-01", "end": "2022-12-31"})],
        "network": [("/api/network", {}), ("/api/network", {"quad_class": "4", "source": "Outlet 3"})],
        "dyad": [
            ("/api/dyad", {"a": "PAK", "b": "IND", "by": "month"}),
            ("/api/dyad", {"a": "USA", "b": "CHN", "by": "week", "theme": "trade"}),
        ],
    }
    results: dict[str, dict[str, float]] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for name, requests in cases.items():
                for path, params in requests:  # warm-up
                    client.get(path, params=params).raise_for_status()
                timings, cpu = [], []
                for i in range(n_requests):
                    path, params = requests[i % len(requests)]
                    started, cpu_started = time.perf_counter(), time.process_time()
                    client.get(path, params=params).raise_for_status()
                    timings.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - cpu_started) * 1000)
                timings.sort()
                results[name] = {
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
                    "max_ms": round(timings[-1], 1),
                    # CPU time of this process (server, DuckDB threads and client) per request: the
                    # figure to read when other work on the machine inflates wall-clock latency.
                    "cpu_p50_ms": round(statistics.median(cpu), 1),
                    "n": len(timings),
                }
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40, help="Timed requests per endpoint.")
    parser.add_argument("--db", help="Reuse (or create) this DuckDB file instead of a temporary one.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary store.")
    args = parser.parse_args()
    workdir = None if args.db else Path(tempfile.mkdtemp(prefix="communique-bench-"))
    db = args.db or str(Path(str(workdir)) / "bench.duckdb")
    counts: dict[str, int] = {}
    if not Path(db).exists():
        started = time.perf_counter()
        counts = generate(db, args.docs)
        print(f"store built in {time.perf_counter() - started:.1f} s: {db}", file=sys.stderr)
    load_before = os.getloadavg()[0]
    results = measure(db, args.requests)
    report = {
        "documents": args.docs,
        "rows": counts,
        "latency": results,
        "target_p95_ms": 200,
        "cores": os.cpu_count(),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    print(json.dumps(report, indent=2))
    if workdir is not None and not args.keep:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
