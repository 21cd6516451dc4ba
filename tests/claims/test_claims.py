"""Check-worthy claims: scoring, opinion guard, typing, extracted numbers/dates, eval command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique import Analyzer
from communique.claims.commands import BASELINE, average_precision, binary_metrics
from communique.claims.features import sentence_features
from communique.claims.opinion import opinion_reason
from communique.claims.scorer import LinearClaimModel, in_holdout
from communique.cli import _register_plugins, app
from communique.nlp import load_nlp


def claims_of(analyzer: Analyzer, text: str) -> dict[str, object]:
    analysis = analyzer.analyze(text)
    return {c.text: c for c in analysis.claims}


def test_model_loads_small_and_has_threshold() -> None:
    model = LinearClaimModel.load()
    assert 0.0 < model.threshold < 1.0
    assert len(model.weights) > 1000
    assert "heldout_metrics" in model.meta


def test_every_sentence_gets_a_score(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Exports to Norway rose by 12 percent in 2023. I hope you enjoy the evening.")
    assert all(s.claim_score is not None and 0.0 <= s.claim_score <= 1.0 for s in analysis.sentences)


def test_statistic_is_a_claim_with_numbers_and_dates(analyzer: Analyzer) -> None:
    text = "Chile's copper exports fell by 14 percent to $38 billion in 2023, the central bank reported."
    analysis = analyzer.analyze(text)
    assert len(analysis.claims) == 1
    claim = analysis.claims[0]
    assert claim.score >= LinearClaimModel.load().threshold
    assert any("14 percent" in n.text for n in claim.numbers)
    assert any("2023" in d.text for d in claim.dates)
    assert claim.cues, "a claim must say why it was flagged"
    assert analysis.document.text[claim.start : claim.end] == claim.text


def test_superlative_claim_is_typed_comparison(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Vietnam became the largest supplier of rice to the Philippines last year.")
    assert [c.type for c in analysis.claims] == ["comparison/superlative"]


def test_rejected_proposal_is_position_policy(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "Earlier Chilean proposals for a joint fisheries commission were rejected by Peru in 2019."
    )
    assert [c.type for c in analysis.claims] == ["position/policy"]


def test_opinion_sentences_are_not_claims(analyzer: Analyzer) -> None:
    text = (
        "Norway remains a dependable and generous partner. "
        "The outlook for cooperation with Brazil is bright. "
        "Western capitals must treat Ghana as an equal."
    )
    assert analyzer.analyze(text).claims == []


def test_opinion_guard_spares_checkable_sentences() -> None:
    nlp = load_nlp()
    assert opinion_reason(nlp("Norway remains a dependable partner.")[:]) is not None
    assert opinion_reason(nlp("Norway remains the third largest donor with 4 billion dollars.")[:]) is None
    assert opinion_reason(nlp("Peru expelled two diplomats on Monday.")[:]) is None


def test_features_are_readable_strings() -> None:
    nlp = load_nlp()
    feats = sentence_features(nlp("Unemployment rose to 7 percent.")[:])
    assert "c:number" in feats and "w:<num>" in feats and "e:PERCENT" in feats


def test_claim_actors_come_from_mentions(analyzer: Analyzer) -> None:
    if "actors" not in analyzer.stage_names:
        pytest.skip("actors stage not built")
    analysis = analyzer.analyze("Japan imported 40 percent more liquefied gas from Australia in 2022 than in 2021.")
    assert analysis.claims and {"JPN", "AUS"} <= set(analysis.claims[0].actors)


def test_holdout_split_is_deterministic() -> None:
    texts = [f"sentence number {i}" for i in range(1000)]
    share = sum(in_holdout(t) for t in texts) / len(texts)
    assert 0.15 < share < 0.25
    assert [in_holdout(t) for t in texts] == [in_holdout(t) for t in texts]


def test_metrics() -> None:
    assert binary_metrics([1, 1, 0, 0], [True, False, True, False]) == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    balanced = binary_metrics([1, 0, 0, 0], [True, True, False, False], balanced=True)
    assert balanced["precision"] == pytest.approx(0.75)
    assert average_precision([1, 0, 1], [0.9, 0.8, 0.1]) == pytest.approx((1 + 2 / 3) / 2, abs=1e-3)
    assert BASELINE.search("the biggest increase") and not BASELINE.search("we talked")


@pytest.fixture()
def runner() -> CliRunner:
    _register_plugins()
    return CliRunner()


def test_eval_claims_json(tmp_path: Path, runner: CliRunner) -> None:
    gold = tmp_path / "gold.json"
    rows = [
        {"text": "Inflation in Turkey reached 61 percent in 2023.", "label": 1},
        {"text": "Exports of Brazilian soy doubled between 2010 and 2020.", "label": 1},
        {"text": "Thank you all very much for coming tonight.", "label": 0},
        {"text": "I believe we can do better together.", "label": 0},
    ]
    gold.write_text(json.dumps(rows), encoding="utf-8")
    result = runner.invoke(app, ["eval", "claims", "--gold", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    assert metrics["n"] == 4 and metrics["recall"] == 1.0
    assert {"precision", "f1", "average_precision", "baseline_regex"} <= set(metrics)


def test_eval_claims_bad_gold_exits_2(tmp_path: Path, runner: CliRunner) -> None:
    gold = tmp_path / "bad.json"
    gold.write_text('[{"sentence": "no text field"}]', encoding="utf-8")
    result = runner.invoke(app, ["eval", "claims", "--gold", str(gold)])
    assert result.exit_code == 2
    assert "lacks 'text'" in result.output or "lacks 'text'" in (result.stderr if result.stderr_bytes else "")


def test_op_ed_claims(analyzer: Analyzer, op_ed_text: str) -> None:
    analysis = analyzer.analyze(op_ed_text)
    export = next(c for c in analysis.claims if "export destination" in c.text)
    assert export.type == "comparison/superlative"
    rejected = next(c for c in analysis.claims if "rejected" in c.text)
    assert rejected.type == "position/policy"
    assert "IND" in rejected.actors or "actors" not in analysis.stages
    flagged = {c.sentence for c in analysis.claims}
    for sentence in analysis.sentences:
        if sentence.text.startswith(("Pakistan remains a reliable", "The potential for U.S. investment")):
            assert sentence.index not in flagged


def test_serves_as_evaluation_is_opinion() -> None:
    nlp = load_nlp()
    assert opinion_reason(nlp("The flood serves as a painful reminder of weak planning.")[:]) is not None


def test_doc_arrays_match_token_attributes() -> None:
    from communique.claims.features import DocArrays

    doc = load_nlp()("Last year exports rose sharply. Officials said 3 ports closed.")
    arrays = DocArrays.of(doc)
    assert arrays.head == [t.head.i for t in doc]
    assert arrays.lemma == [t.lemma_.lower() for t in doc]
    second = list(doc.sents)[1]
    assert sentence_features(second, arrays) == sentence_features(second)
    assert "sv:exports>rise" in sentence_features(next(iter(doc.sents)))


def test_eval_claims_missing_file_exits_2(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["eval", "claims", "--gold", str(tmp_path / "absent.json")])
    assert result.exit_code == 2


def test_a_phrase_cue_is_cited_from_its_own_sentence() -> None:
    """Phrase cues are found once per doc; the cue cited is the phrase's own text, in any sentence
    (the matcher's positions are the doc's, not the sentence's)."""
    from communique.claims.types import ClaimTyper

    nlp = load_nlp()
    typer = ClaimTyper.build(nlp)
    doc = nlp("The weather was fine. Exports are going to rise, according to officials.")
    sentence = list(doc.sents)[1]
    matches = typer.phrase_matches(doc)
    assert typer.classify(sentence, None, matches) == typer.classify(sentence)
    claim_type, cue = typer.classify(sentence, None, matches)
    assert cue is not None and cue.lower() in {"going to", "according to"}, (claim_type, cue)
