"""The accurate claims backend: the shipped LoRA adapter on MiniLM, in the stage and the eval.

Needs the optional extra ``transformer`` (fixture ``claims_transformer`` in conftest.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from communique import Analyzer
from communique.claims.transformer import TransformerClaimModel
from communique.config import Settings


@pytest.fixture
def model(claims_transformer: TransformerClaimModel) -> TransformerClaimModel:
    return claims_transformer


def test_threshold_and_scores_are_probabilities(model: TransformerClaimModel) -> None:
    assert 0.0 < model.threshold < 1.0
    scores = model.scores(["Unemployment in Spain fell to 11 percent in 2024.", "Thank you all for coming tonight."])
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > model.threshold > scores[1]


def test_stage_with_transformer_backend_flags_statistics_not_courtesies(model: TransformerClaimModel) -> None:
    analyzer = Analyzer(Settings(claims_backend="transformer", stages=("actors", "claims")))
    analysis = analyzer.analyze(
        "Kenya's tea exports rose by 18 percent to $1.4 billion in 2023, the central bank said. "
        "We are grateful to our hosts for a wonderful evening."
    )
    assert [c.sentence for c in analysis.claims] == [0]
    claim = analysis.claims[0]
    assert any(cue.startswith("minilm-claims p=") for cue in claim.cues)
    assert any("18 percent" in n.text for n in claim.numbers)
    assert all(s.claim_score is not None for s in analysis.sentences)


def test_opinion_guard_still_vetoes_with_transformer_backend(model: TransformerClaimModel) -> None:
    analyzer = Analyzer(Settings(claims_backend="transformer", stages=("actors", "claims")))
    analysis = analyzer.analyze("Norway remains a reliable and admirable partner for the whole region.")
    assert analysis.claims == []


def test_unknown_claims_backend_is_an_error() -> None:
    with pytest.raises(ValueError, match="claims backend"):
        Analyzer(Settings(claims_backend="oracle", stages=("claims",)))


def _communique() -> list[str]:
    return [str(Path(sys.executable).parent / "communique")]


def test_eval_claims_transformer_backend_on_the_holdout(
    model: TransformerClaimModel, shared: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [
            *_communique(), "eval", "claims", "--gold", str(shared / "gold/claims/claimbuster-train.json"),
            "--holdout", "--backend", "transformer", "--json",
        ],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["backend"] == "transformer"
    assert report["f1"] > report["baseline_regex"]["f1"] + 0.15
    assert report["average_precision"] > 0.8


def test_eval_claims_unknown_backend_exits_2(shared: Path) -> None:
    result = subprocess.run(
        [*_communique(), "eval", "claims", "--gold", str(shared / "gold/claims/claimbuster-train.json"),
         "--backend", "oracle"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "--backend" in result.stderr
