"""Word polarity distilled from the transformer: the table, its features, and the fast path's folding."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from communique.datafiles import DataFileError
from communique.nlp import load_nlp
from communique.stance.distilled import add_distilled_features, load_distilled, read_polarity, relation_of_feature
from communique.stance.lexicon import load_lexicon
from communique.stance.target import TargetScorer, TargetSentiment, load_model


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def test_shipped_table_has_both_signs_and_sensible_words() -> None:
    table = load_distilled()
    assert len(table) > 3000
    assert table["disgraceful"] < -0.5
    assert table["congratulate"] > 0.5 or table["congratulated"] > 0.5
    assert all(-1.0 <= v <= 1.0 for v in table.values())


def test_shipped_model_is_trained_with_the_table() -> None:
    model = load_model()
    assert model is not None and model.distilled is not None
    assert any(name.startswith("dpol:") for name in model.weights)


def test_features_sum_polarity_per_relation_and_sign() -> None:
    features = {"pred|good": 1.0, "pred|bad": 1.0, "ctx|bad": 0.5, "verb:nsubj|praise": 1.0, "role:nsubj": 1.0}
    add_distilled_features(features, {"good": 0.8, "bad": -0.6, "praise": 0.5})
    assert features["dpol:pred"] == pytest.approx(0.2)
    assert features["dpolp:pred"] == pytest.approx(0.8)
    assert features["dpoln:pred"] == pytest.approx(0.6)
    assert features["dpol:ctx"] == pytest.approx(-0.3)
    assert features["dpol:verb"] == pytest.approx(0.5)
    assert "dpol:role" not in features


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("good\t0.5\nbad\n", ":2: expected 2 tab-separated fields"),
        ("good\tvery\n", ":1: field 'polarity': not a number"),
        ("# header\ngood\t1.5\n", ":2: field 'polarity': 1.5 is outside"),
    ],
)
def test_bad_table_rows_name_file_line_and_field(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "polarity.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_polarity(path)
    assert problem in str(caught.value)
    assert str(path) in str(caught.value)


FAST_PATH_CASES = [
    ("The disgraceful senator lied again, critics said, while the mayor was praised.", "senator"),
    ("The disgraceful senator lied again, critics said, while the mayor was praised.", "mayor"),
    ("Officials welcomed the agreement that India and Pakistan reached after tense talks.", "Pakistan"),
    # A word twice in one relation, a passive, a quotation, a pronoun target.
    ('"Reckless and reckless again," the minister said of India, which was condemned by all.', "India"),
    ("She said the brave and honest envoy had been wrongly accused by the regime.", "She"),
]


def fast_and_full(nlp: Language, text: str, target: str) -> tuple[TargetSentiment, TargetSentiment]:
    """The target scored on the run-time path and with every feature named, as training does."""
    scorer = TargetScorer(nlp, load_lexicon(), load_model())
    doc = nlp(text)
    start = text.index(target)
    span = doc.char_span(start, start + len(target))
    assert span is not None
    return scorer.score(doc, span.start, span.end), scorer.score(doc, span.start, span.end, all_features=True)


@pytest.mark.parametrize(("text", "target"), FAST_PATH_CASES)
def test_fast_path_gives_the_same_probabilities_as_the_full_features(nlp: Language, text: str, target: str) -> None:
    """The run-time path folds word and context-word polarity into per-word rows; training sums
    features. Both must give the model the same scores."""
    fast, full = fast_and_full(nlp, text, target)
    for label in ("negative", "neutral", "positive"):
        assert fast.probabilities[label] == pytest.approx(full.probabilities[label], abs=1e-9)
    assert any(name.startswith("dpol") for name in full.features)


@pytest.mark.parametrize(("text", "target"), FAST_PATH_CASES)
def test_fast_path_keeps_the_word_features_training_names(nlp: Language, text: str, target: str) -> None:
    """The evidence reads (relation, lemma) pairs the fast path keeps instead of feature names:
    they must be exactly the word features training names (``verb|say`` and ``verb:nsubj|say``
    are two features, both with the relation ``verb``)."""
    fast, full = fast_and_full(nlp, text, target)
    named = [parsed for name in full.features if (parsed := relation_of_feature(name)) and parsed[0] != "ctx"]
    assert fast.words
    assert sorted(fast.words) == sorted(named)
    assert not any("|" in name for name in fast.features)  # nothing named on the fast path
