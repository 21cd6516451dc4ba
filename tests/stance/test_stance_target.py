"""Target-dependent sentiment: the same sentence can treat two targets in opposite ways."""

from __future__ import annotations

import pytest
from spacy.language import Language

from communique.nlp import load_nlp
from communique.stance.lexicon import load_lexicon
from communique.stance.target import TargetScorer, TargetSentiment, load_model


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="module")
def lexical_scorer(nlp: Language) -> TargetScorer:
    return TargetScorer(nlp, load_lexicon(), model=None)


@pytest.fixture(scope="module")
def scorer(nlp: Language) -> TargetScorer:
    return TargetScorer(nlp, load_lexicon(), load_model())


def score(scorer: TargetScorer, nlp: Language, text: str, target: str, occurrence: int = 0) -> TargetSentiment:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(target, start + 1)
    result = scorer.score_chars(nlp(text), start, start + len(target))
    assert result is not None
    return result


def test_possessed_noun_and_relative_clause_make_target_negative(lexical_scorer: TargetScorer, nlp: Language) -> None:
    text = "Observers noted Brazil's threats, which seemed dangerous and irresponsible."
    result = score(lexical_scorer, nlp, text, "Brazil")
    assert result.lexical < -0.5
    relations = {hit.cue.text: hit.relation for hit in result.cues}
    assert relations["threats"] == "head"
    assert relations["dangerous"] == "relcl"


def test_passive_predicate_with_positive_agent_is_positive(lexical_scorer: TargetScorer, nlp: Language) -> None:
    text = "Norway's conduct in the talks was marked by restraint and prudence."
    assert score(lexical_scorer, nlp, text, "Norway").lexical > 0.5


def test_two_targets_in_one_sentence_get_opposite_signs(lexical_scorer: TargetScorer, nlp: Language) -> None:
    text = "Canada acted with restraint and respect for the law, unlike Russia, whose aggression was reckless."
    canada = score(lexical_scorer, nlp, text, "Canada")
    russia = score(lexical_scorer, nlp, text, "Russia")
    assert canada.lexical > 0.2
    assert russia.lexical < -0.5


def test_copula_predicate_applies_to_subject(lexical_scorer: TargetScorer, nlp: Language) -> None:
    text = "Chile remains a reliable and trustworthy partner."
    result = score(lexical_scorer, nlp, text, "Chile")
    assert result.lexical > 0.5
    assert any(hit.relation == "pred" for hit in result.cues)


def test_negation_flips_the_cue(lexical_scorer: TargetScorer, nlp: Language) -> None:
    plain = score(lexical_scorer, nlp, "The government of Peru was reckless.", "Peru")
    negated = score(lexical_scorer, nlp, "The government of Peru was not reckless.", "Peru")
    assert plain.lexical < 0
    assert negated.lexical > 0


def test_intensifier_strengthens_the_cue(lexical_scorer: TargetScorer, nlp: Language) -> None:
    plain = score(lexical_scorer, nlp, "Egypt was reckless.", "Egypt")
    strong = score(lexical_scorer, nlp, "Egypt was extremely reckless.", "Egypt")
    assert strong.lexical < plain.lexical < 0


def test_names_are_not_cues(lexical_scorer: TargetScorer, nlp: Language) -> None:
    doc = nlp("The United States met Peace Corps volunteers to talk about peace.")
    found = lexical_scorer.cues(doc).cues.values()
    assert [c.text for c in found] == ["peace"]


def test_neutral_sentence_is_neutral(scorer: TargetScorer, nlp: Language) -> None:
    result = score(scorer, nlp, "Spain held a meeting with Portugal on Tuesday.", "Spain")
    assert result.lexical == 0.0
    assert abs(result.blended) < 0.4


def test_model_probabilities_are_a_distribution(scorer: TargetScorer, nlp: Language) -> None:
    assert scorer.model is not None, "the trained model must ship in the package"
    result = score(scorer, nlp, "Critics slammed the senator for lying about the corrupt deal.", "senator")
    assert abs(sum(result.probabilities.values()) - 1.0) < 1e-6
    assert result.label == "negative"
    assert -1.0 <= result.score <= 1.0


def test_char_span_outside_tokens_is_none(scorer: TargetScorer, nlp: Language) -> None:
    doc = nlp("Short text.")
    assert scorer.score_chars(doc, 50, 60) is None
