"""GDELT-style tone: positive % minus negative %, polarity, densities, word count."""

from __future__ import annotations

import pytest

from communique import Analyzer
from communique.nlp import load_nlp
from communique.stance.lexicon import load_lexicon
from communique.tone.stage import compute_tone, load_word_lists


@pytest.fixture(scope="module")
def tone_inputs() -> tuple[dict[str, float], frozenset[str], frozenset[str]]:
    lists = load_word_lists()
    return dict(load_lexicon().words), lists["activity"], lists["self_group"]


def test_tone_is_positive_minus_negative_percent(tone_inputs: tuple) -> None:
    doc = load_nlp()("We welcome the peaceful agreement. The brutal attack killed ten people.")
    tone = compute_tone(doc, *tone_inputs)
    # 11 words; positive: welcome, peaceful, agreement; negative: brutal, attack, kill.
    assert tone.word_count == 11
    assert tone.positive == pytest.approx(100 * 3 / 11, abs=1e-3)
    assert tone.negative == pytest.approx(100 * 3 / 11, abs=1e-3)
    assert tone.tone == pytest.approx(tone.positive - tone.negative, abs=1e-3)
    assert tone.polarity == pytest.approx(tone.positive + tone.negative, abs=1e-3)
    assert tone.self_group == pytest.approx(100 / 11, abs=1e-3)  # "We"
    assert tone.activity is not None and tone.activity > 0  # attack, kill? at least "attack"


def test_negative_text_has_negative_tone(tone_inputs: tuple) -> None:
    doc = load_nlp()("The reckless invasion caused chaos, violence and a humanitarian disaster.")
    assert compute_tone(doc, *tone_inputs).tone < 0


def test_proper_names_are_not_tone_words(tone_inputs: tuple) -> None:
    doc = load_nlp()("The United States and the Peace Corps met.")
    assert compute_tone(doc, *tone_inputs).polarity == 0.0


def test_empty_text_gives_zeroes(tone_inputs: tuple) -> None:
    tone = compute_tone(load_nlp()(""), *tone_inputs)
    assert tone.word_count == 0 and tone.tone == 0.0


def test_analyzer_fills_tone(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Leaders praised the successful summit and its constructive spirit.")
    assert analysis.tone is not None
    assert analysis.tone.tone > 0
    assert "tone" in analysis.stages
