"""Near-duplicate clustering: signatures survive storage; edited copies join, distinct stories do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.corpus.dedup import NearDuplicateIndex, shingles

DEMO = Path(__file__).resolve().parents[2] / "demo" / "corpus.jsonl"
BASE = (
    "The foreign ministers of the two neighbours met in the border town on Tuesday and agreed to reopen the "
    "trade crossing that has been closed since the spring, officials from both delegations told reporters "
    "after a meeting that lasted more than four hours and ended with a joint statement on water sharing."
)


def test_signatures_round_trip_through_bytes() -> None:
    index = NearDuplicateIndex()
    signature = index.signature(BASE)
    data = index.to_bytes(signature)
    assert len(data) == 4 * index.num_perm
    assert index.from_bytes(data).jaccard(signature) == 1.0


def test_light_edits_cluster_and_rewrites_do_not() -> None:
    index = NearDuplicateIndex()
    assert index.assign("original", index.signature(BASE)) is None
    edited = BASE.replace("Tuesday", "Wednesday").replace("more than four", "nearly five") + " More talks are due."
    match = index.assign("copy", index.signature(edited))
    assert match is not None and match.cluster_id == "original" and match.similarity >= index.threshold
    other = (
        "Heavy rain flooded the coastal highway for a second day, and the weather service warned of more storms "
        "over the weekend as crews worked to clear fallen trees from the main roads into the port city."
    )
    assert index.assign("other", index.signature(other)) is None
    assert shingles("a b") == {b"a b"} and shingles("") == set()


def test_a_copy_of_a_copy_joins_the_first_story() -> None:
    index = NearDuplicateIndex()
    index.assign("a", index.signature(BASE))
    index.assign("b", index.signature(BASE + " Reporting by the desk."))
    match = index.assign("c", index.signature(BASE + " Reporting by the desk. Editing by the desk."))
    assert match is not None and match.cluster_id == "a"


@pytest.mark.skipif(not DEMO.exists(), reason="demo corpus not present")
def test_demo_corpus_syndicated_copies_and_nothing_else() -> None:
    records = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    index = NearDuplicateIndex()
    matches = {}
    for record in records:
        match = index.assign(record["id"], index.signature(record["text"]))
        if match:
            matches[record["id"]] = match.cluster_id
    assert matches == {"demo-012": "demo-011", "demo-021": "demo-020", "demo-027": "demo-026"}
