"""The linear claims model's features found by hash must be the ones its feature strings name."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from communique.claims.features import DocArrays, feature_set
from communique.claims.scorer import LinearClaimModel
from communique.claims.terms import TermIndex
from communique.nlp import load_nlp

# Odd cases: whitespace tokens inside and at the ends, a question, numbers, separators inside words.
ODD_TEXTS = [
    "",
    "   ",
    "Did exports to Norway rise by 12 percent in 2023?",
    "Hello?\n\n  World 5 \t x_y foo>bar",
    "The ratio a_b rose; c>d fell 3.5% -- officials said.",
    "5 5 5 percent.",
]


def assert_same_features(model: LinearClaimModel, texts: list[str]) -> int:
    """Every sentence, the whole doc and an odd sub-span: hash lookup equals the string features."""
    compared = 0
    for doc in load_nlp().pipe(texts):
        arrays = DocArrays.of(doc)
        bounds = [(s.start, s.end) for s in doc.sents] + [(0, len(doc)), (0, 0)]
        if len(doc) > 3:
            bounds.append((1, 3))
        for (start, end), found in zip(bounds, model.sentence_positions(arrays, bounds), strict=True):
            expected = model.positions(feature_set(doc[start:end], arrays))
            assert found.tolist() == expected.tolist(), doc[start:end].text
            compared += 1
    return compared


def test_hash_lookup_finds_the_shipped_models_features() -> None:
    model = LinearClaimModel.load()
    assert assert_same_features(model, ODD_TEXTS) > 3 * len(ODD_TEXTS)


def test_hash_lookup_matches_on_claimbuster_sentences(shared: Path) -> None:
    rows = json.loads((shared / "gold" / "claims" / "claimbuster-train.json").read_text(encoding="utf-8"))
    texts = [str(row["text"]) for row in random.Random(7).sample(rows, 400)]
    assert assert_same_features(LinearClaimModel.load(), texts) >= 800


def test_every_feature_kind_and_a_separator_inside_a_part_are_found() -> None:
    # A model that knows exactly the features of one sentence finds all of them, of every kind.
    doc = load_nlp()("Officials said exports of x_y rose 5 percent?")
    names = sorted(feature_set(doc[:]) | {"b:x_y_rise", "zz:unknown", "nocolon"})
    model = LinearClaimModel({name: (1.0, 1.0) for name in names}, 0.0, 0.5, {})
    found = {model.names[k] for k in model.sentence_positions(DocArrays.of(doc), [(0, len(doc))])[0].tolist()}
    assert found == feature_set(doc[:])
    assert {name.split(":")[0] for name in found} >= {"w", "l", "b", "t", "tb", "e", "d", "sv", "c"}


def test_a_feature_absent_from_the_sentence_is_not_found() -> None:
    doc = load_nlp()("Exports rose.")
    model = LinearClaimModel({"w:imports": (1.0, 1.0), "b:exports_fell": (1.0, 1.0)}, 0.0, 0.5, {})
    assert model.sentence_positions(DocArrays.of(doc), [(0, len(doc))])[0].tolist() == []


def test_probability_and_explanation_agree_for_both_ways() -> None:
    model = LinearClaimModel.load()
    doc = load_nlp()("Unemployment rose to 7 percent in 2023, the ministry reported.")
    arrays = DocArrays.of(doc)
    found = model.sentence_positions(arrays, [(0, len(doc))])[0]
    probability, explanation = model.explain(feature_set(doc[:], arrays), top=5)
    assert model.probability(found) == probability
    assert model.strongest(found, 5) == explanation
    assert len(explanation) == 5


def test_index_refuses_an_empty_model_gracefully() -> None:
    index = TermIndex([])
    doc = load_nlp()("Exports rose.")
    assert [p.tolist() for p in index.sentence_positions(DocArrays.of(doc), [(0, 2), (2, 3)])] == [[], []]
    assert np.array_equal(LinearClaimModel({}, 0.0, 0.5, {}).positions(["w:x"]), np.zeros(0, dtype=np.int64))


@pytest.mark.parametrize("name", ["b:_", "sv:>", "d:>"])
def test_empty_parts_are_indexed_without_error(name: str) -> None:
    assert len(TermIndex([name]).keys) == 1
