"""Queries on a synthetic corpus, checked against counts computed independently, and DuckDB/PostgreSQL parity."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from communique.corpus import query as q
from communique.corpus.export.gdelt import gdelt_rows
from communique.corpus.ingest import Ingestor, read_all
from communique.ingest import ReadOptions
from communique.store import Store, open_store
from synthetic_corpus import RuleAnalyzer, synthetic_records, write_jsonl

RECORDS = synthetic_records()


def build(db: str, corpus: Path) -> Store:
    store = open_store(db)
    Ingestor(store, RuleAnalyzer(), batch_size=10).run(
        [str(corpus)], read_all([str(corpus)], ReadOptions(check_language=False))
    )
    return store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(RECORDS, tmp_path_factory.mktemp("corpus") / "corpus.jsonl")


@pytest.fixture(scope="module")
def duck(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = build(str(tmp_path_factory.mktemp("db") / "c.duckdb"), corpus)
    yield store
    store.close()


def _stories() -> list[tuple[str, dict[str, Any]]]:
    """(story id, record) with syndicated copies mapped to their original story."""
    story_of = {f"copy-{i:03d}": f"story-{i * 3:03d}" for i in range(6)}
    return [(story_of.get(str(r["id"]), str(r["id"])), r) for r in RECORDS]


def test_dyads_count_each_story_event_once_in_both_directions(duck: Store) -> None:
    analyzer = RuleAnalyzer()
    expected: Counter[tuple[str, str]] = Counter()
    seen: set[tuple[str, str, str, str, str]] = set()
    for story, record in _stories():
        month = str(record["published"])[:7] + "-01"
        for e in analyzer.analyze(str(record["text"])).events:
            assert e.source and e.target
            a, b = e.source.code[:3], e.target.code[:3]
            if e.negated or {a, b} != {"IND", "PAK"}:
                continue
            key = (story, e.source.code, e.target.code, e.cameo.code, month)
            if key not in seen:
                seen.add(key)
                expected[(month, f"{a}->{b}")] += 1
    rows = q.dyads(duck, "ind", "PAK", by="month")
    assert {(r["period"], r["direction"]): r["events"] for r in rows} == dict(expected)
    for row in rows:
        quads = row["verbal_coop"] + row["material_coop"] + row["verbal_conflict"] + row["material_conflict"]
        assert quads == row["events"]
        assert row["mentions"] >= row["events"]
        assert row["top_event_types"]


def test_periods_and_filters(duck: Store) -> None:
    weekly = q.dyads(duck, "IND", "PAK", by="week")
    assert all(dt.date.fromisoformat(r["period"]).weekday() == 0 for r in weekly)
    total = sum(r["events"] for r in q.dyads(duck, "IND", "PAK", by="all"))
    assert total == sum(r["events"] for r in weekly)
    since = q.Filters(since=dt.date(2024, 3, 1))
    assert all(r["period"] >= "2024-03-01" for r in q.dyads(duck, "IND", "PAK", by="day", filters=since))
    attacks = q.network(duck, filters=q.Filters(event_types=("19",)))
    assert attacks and all(r["mean_goldstein"] == -10.0 for r in attacks)
    by_plover = q.network(duck, filters=q.Filters(event_types=("assault",)))
    assert by_plover == attacks
    one_outlet = q.search(duck, "opens", filters=q.Filters(sources=("Lantern",)), limit=100)
    assert one_outlet and {r["source"] for r in one_outlet} == {"Lantern"}
    trade = q.search(duck, "opens", filters=q.Filters(themes=("trade",)), limit=100)
    assert trade and len(trade) == sum("#trade" in str(r["text"]) for r in RECORDS)


def test_actors_and_compare(duck: Store) -> None:
    rows = q.actors(duck, limit=50)
    mentions = Counter()
    for record in RECORDS:
        for m in RuleAnalyzer().analyze(str(record["text"])).mentions:
            mentions[m.code] += 1
    assert {r["code"]: r["mentions"] for r in rows} == dict(mentions)
    assert all(r["stories"] <= r["documents"] for r in rows)
    stance = q.compare(duck, "IND", by="source")
    assert stance and all(-1 <= r["mean_stance"] <= 1 for r in stance)
    assert sum(r["positive"] + r["neutral"] + r["negative"] for r in stance) == sum(
        len([s for s in RuleAnalyzer().analyze(str(r["text"])).stance if s.actor.startswith("IND")])
        for r in RECORDS
    )


def test_search_and_show(duck: Store) -> None:
    hits = q.search(duck, "STORY 12 OPENS")
    assert [h["doc_id"] for h in hits] == ["copy-004", "story-012"]  # the syndicated copy matches too
    analysis = q.show(duck, "story-012")
    assert analysis.document.title == "Story 12" and analysis.events
    assert q.show(duck, "copy-005").document.id == "copy-005"
    with pytest.raises(q.QueryError, match="ambiguous"):
        q.show(duck, "story-0")
    with pytest.raises(q.QueryError, match="no document"):
        q.show(duck, "nothing-like-this")
    with pytest.raises(q.QueryError, match="not an actor code"):
        q.dyads(duck, "IND'--", "PAK")
    assert q.search(duck, "'; DROP TABLE documents; --") == []
    assert q.summary(duck)["documents"] == len(RECORDS)


@pytest.mark.postgres
def test_postgres_gives_identical_results(duck: Store, corpus: Path, pg_dsn: str) -> None:
    pg = build(pg_dsn, corpus)
    try:
        filters = q.Filters(since=dt.date(2024, 2, 1), sources=("Wire One", "Lantern"))
        for by in ("day", "week", "month", "all"):
            assert q.dyads(pg, "IND", "PAK", by=by) == q.dyads(duck, "IND", "PAK", by=by)
        assert q.dyads(pg, "USA", "CHN", filters=filters) == q.dyads(duck, "USA", "CHN", filters=filters)
        assert q.network(pg) == q.network(duck)
        assert q.network(pg, filters=filters) == q.network(duck, filters=filters)
        assert q.actors(pg, limit=50) == q.actors(duck, limit=50)
        trade = q.Filters(themes=("trade",))
        assert q.actors(pg, filters=trade) == q.actors(duck, filters=trade)
        for by in ("source", "month"):
            assert q.compare(pg, "IND", by=by) == q.compare(duck, "IND", by=by)
        assert q.search(pg, "border", limit=100) == q.search(duck, "border", limit=100)
        assert q.summary(pg) == q.summary(duck)
        assert q.show(pg, "story-007").to_json() == q.show(duck, "story-007").to_json()
        clusters = "SELECT doc_id, cluster_id, similarity FROM documents ORDER BY doc_id"
        assert pg.query(clusters)[1] == duck.query(clusters)[1]

        def without_dateadded(store: Store) -> list[list[str]]:
            return [row[:59] + row[60:] for row in gdelt_rows(store)]

        assert without_dateadded(pg) == without_dateadded(duck)
    finally:
        pg.close()


def test_network_fast_path_matches_the_collapsing_path(duck: Store) -> None:
    # A date filter that keeps everything forces the filter-then-collapse path.
    everything = q.Filters(since=dt.date(1900, 1, 1))
    assert q.network(duck) == q.network(duck, filters=everything)
    assert q.network(duck, include_negated=True) == q.network(duck, filters=everything, include_negated=True)
    flagged = duck.query("SELECT COUNT(*) FROM events WHERE first_mention")[1][0][0]
    assert flagged == q.summary(duck)["events"]
