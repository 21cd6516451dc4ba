"""Ingest runs: idempotence, near-duplicate clusters, collapsed events, bad sources, feeds and CSV."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from communique.corpus.ingest import Ingestor, RunSummary, read_all
from communique.corpus.query import network, summary
from communique.ingest import ReadOptions
from communique.store import Store, open_store
from synthetic_corpus import RuleAnalyzer, synthetic_records, write_jsonl


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "corpus.duckdb"))
    yield opened
    opened.close()


def ingest(store: Store, *sources: str | Path, batch_size: int = 8) -> RunSummary:
    ingestor = Ingestor(store, RuleAnalyzer(), batch_size=batch_size)
    names = [str(s) for s in sources]
    return ingestor.run(names, read_all(names, ReadOptions(check_language=False)))


def test_reingesting_adds_nothing(store: Store, tmp_path: Path) -> None:
    corpus = write_jsonl(synthetic_records(), tmp_path / "corpus.jsonl")
    first = ingest(store, corpus)
    assert (first.added, first.unchanged, first.failed) == (46, 0, 0)
    second = ingest(store, corpus, corpus)
    assert (second.added, second.unchanged, second.near_duplicates) == (0, 92, 0)
    assert store.count("documents") == 46
    runs = store.rows("SELECT run_id, status, added FROM ingest_runs ORDER BY run_id")
    assert [(r["status"], r["added"]) for r in runs] == [("complete", 46), ("complete", 0)]


def test_syndicated_copies_join_their_story_and_events_collapse(store: Store, tmp_path: Path) -> None:
    records = synthetic_records()
    run = ingest(store, write_jsonl(records, tmp_path / "c.jsonl"))
    assert run.near_duplicates == 6
    clusters = dict(store.query("SELECT doc_id, cluster_id FROM documents")[1])
    for copy in range(6):
        assert clusters[f"copy-{copy:03d}"] == f"story-{copy * 3:03d}"
    distinct = {c for d, c in clusters.items() if d.startswith("story-")}
    assert len(distinct) == 40, "distinct stories must not be merged"
    counts = summary(store)
    assert counts["stories"] == 40
    assert counts["events"] < counts["event_mentions"]
    # A copied story's events are one event each, mentioned in two articles from two outlets.
    rows = store.rows(
        "SELECT event_key, COUNT(DISTINCT doc_id) AS articles, COUNT(DISTINCT doc_source) AS outlets "
        "FROM events WHERE cluster_id = ? GROUP BY event_key",
        ["story-000"],
    )
    assert rows and all(r["articles"] == 2 and r["outlets"] == 2 for r in rows)


def test_network_counts_events_not_mentions(store: Store, tmp_path: Path) -> None:
    records = synthetic_records()
    ingest(store, write_jsonl(records, tmp_path / "c.jsonl"))
    analyzer = RuleAnalyzer()
    # Expected edges computed independently: one event per (story, source, target, code), negations out.
    story_of = {f"copy-{i:03d}": f"story-{i * 3:03d}" for i in range(6)}
    keys: set[tuple[str, str, str, str]] = set()
    for record in records:
        analysis = analyzer.analyze(str(record["text"]))
        story = story_of.get(str(record["id"]), str(record["id"]))
        for e in analysis.events:
            assert e.source and e.target
            if not e.negated and e.source.code != e.target.code:
                keys.add((story, e.source.code, e.target.code, e.cameo.code))
    expected: dict[tuple[str, str], int] = {}
    for _, source, target, _ in keys:
        expected[(source, target)] = expected.get((source, target), 0) + 1
    edges = network(store)
    assert {(e["source"], e["target"]): e["events"] for e in edges} == expected
    assert sum(e["mentions"] for e in edges) > sum(e["events"] for e in edges)


def test_bad_sources_are_reported_and_the_rest_continue(store: Store, tmp_path: Path) -> None:
    good = synthetic_records(n_stories=3, copies=0)
    lines = [json.dumps(good[0]), "{not json", json.dumps({"id": "x", "text": "IND meets PAK. FAIL-ANALYSIS"})]
    lines += [json.dumps(r) for r in good[1:]]
    corpus = tmp_path / "mixed.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = ingest(store, corpus, tmp_path / "missing.txt")
    assert run.added == 3
    reasons = sorted(str(f) for f in run.failures)
    assert len(reasons) == 3
    assert any("invalid JSON" in r for r in reasons)
    assert any("missing.txt: no such file" in r for r in reasons)
    assert any("analysis failed" in r for r in reasons)
    assert store.rows("SELECT status, failed FROM ingest_runs") == [{"status": "failed-sources", "failed": 3}]


def test_a_revised_release_at_the_same_url_is_stored_once(store: Store, tmp_path: Path) -> None:
    record = synthetic_records(n_stories=1, copies=0)[0]
    revised = {**record, "text": str(record["text"]).replace("statement", "statement,")}
    revised["text"] = str(revised["text"]).replace("Residents", "Residents also")
    ingest(store, write_jsonl([record], tmp_path / "a.jsonl"))
    run = ingest(store, write_jsonl([revised], tmp_path / "b.jsonl"))
    assert (run.added, run.unchanged) == (0, 1)
    assert store.count("documents") == 1


def test_a_reused_id_with_new_content_gets_its_own_id(store: Store, tmp_path: Path) -> None:
    first, second = synthetic_records(n_stories=2, copies=0)
    ingest(store, write_jsonl([first], tmp_path / "a.jsonl"))
    clash = {**second, "id": first["id"]}
    run = ingest(store, write_jsonl([clash], tmp_path / "b.jsonl"))
    assert run.added == 1
    ids = sorted(row[0] for row in store.query("SELECT doc_id FROM documents")[1])
    assert ids[0] == first["id"] and ids[1].startswith(f"{first['id']}-")


def test_csv_rows_become_documents(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text(
        "id,title,published,source,text\n"
        'a1,First,2024-02-01,Wire,"IND meets PAK in the capital, and USA is admirable."\n'
        "a2,Second,2024-02-03,Wire,\n"
        'a3,Third,2024-02-05,Lantern,"CHN accuses USA of a trade breach, officials said."\n',
        encoding="utf-8",
    )
    run = ingest(store, path)
    assert run.added == 2
    assert [str(f) for f in run.failures] == [f"{path}:3: empty text"]
    assert store.rows("SELECT doc_id, published, source FROM documents ORDER BY doc_id")[0]["source"] == "Wire"


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Test Feed</title>
<item><title>One</title><link>https://feed.example.invalid/1</link><pubDate>Tue, 06 Feb 2024 10:00:00 +0000</pubDate>
<description><![CDATA[<p>IND meets PAK at the border.</p><script>alert("x")</script><p>USA is admirable.</p>]]>
</description></item>
<item><title>Two</title><link>https://feed.example.invalid/2</link><description></description></item>
</channel></rss>
"""


def test_feed_items_are_documents_without_markup(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(FEED, encoding="utf-8")
    run = ingest(store, path, path)
    assert run.added == 1 and run.unchanged == 1
    assert len(run.failures) == 2 and all("no text" in str(f) for f in run.failures)
    row = store.rows("SELECT title, source, url, published, text FROM documents")[0]
    assert row["source"] == "Test Feed" and row["url"] == "https://feed.example.invalid/1"
    assert str(row["published"]) == "2024-02-06"
    assert "alert" not in row["text"] and "<" not in row["text"]
    assert row["text"] == "IND meets PAK at the border.\n\nUSA is admirable."


@pytest.mark.shared
def test_state_department_feed_snapshots_store_each_release_once(shared: Path, tmp_path: Path) -> None:
    feeds = shared / "corpus" / "state-dept-rss-2021"
    store = open_store(str(tmp_path / "rss.duckdb"))
    analyzer = RuleAnalyzer()  # the feed path and identity are under test, not the analysis
    run = Ingestor(store, analyzer, batch_size=32).run([str(feeds)], read_all([str(feeds)], ReadOptions()))
    assert run.failed == 0
    documents, urls = store.query("SELECT COUNT(*), COUNT(DISTINCT url) FROM documents")[1][0]
    assert documents == urls, "each release (URL) stored once"
    assert run.added == documents and run.added + run.unchanged == 160
    again = Ingestor(store, analyzer).run([str(feeds)], read_all([str(feeds)], ReadOptions()))
    assert (again.added, again.unchanged) == (0, 160)
    store.close()
