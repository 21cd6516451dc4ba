"""The accurate stance backend: the shipped LoRA adapter on MiniLM, in the stage, the CLI and the eval.

Needs the optional extra ``transformer`` (fixture ``stance_transformer`` in conftest.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_stance_stage import TEXT, analysis_with_mentions

from communique.config import Settings
from communique.stance.stage import StanceStage
from communique.stance.target import LABELS
from communique.stance.transformer import BackendUnavailable, TargetInput, TransformerStanceModel


@pytest.fixture
def model(stance_transformer: TransformerStanceModel) -> TransformerStanceModel:
    return stance_transformer


def target(sentence: str, mention: str, occurrence: int = 0) -> TargetInput:
    start = -1
    for _ in range(occurrence + 1):
        start = sentence.index(mention, start + 1)
    return TargetInput(sentence, start, start + len(mention))


def label_of(probabilities: dict[str, float]) -> str:
    return max(probabilities, key=lambda k: probabilities[k])


def test_probabilities_are_a_distribution_per_target(model: TransformerStanceModel) -> None:
    rows = model.probabilities([target("Ministers from Chile and Peru met in Lima on Tuesday.", "Peru")])
    assert set(rows[0]) == set(LABELS)
    assert abs(sum(rows[0].values()) - 1.0) < 1e-5


def test_two_targets_in_one_sentence_are_read_apart(model: TransformerStanceModel) -> None:
    sentence = (
        "Observers praised Kenya's calm and generous diplomacy, while condemning Sudan's brutal "
        "militia for shelling refugee camps."
    )
    kenya, sudan = model.probabilities([target(sentence, "Kenya"), target(sentence, "Sudan")])
    assert kenya["positive"] - kenya["negative"] > sudan["positive"] - sudan["negative"]
    assert label_of(sudan) == "negative"


def test_order_and_batching_do_not_change_results(model: TransformerStanceModel) -> None:
    inputs = [
        target("The summit in Hanoi ended without an agreement.", "Hanoi"),
        target("Voters in Ghana re-elected a widely admired and honest president.", "Ghana"),
        target("Critics accused Belarus of rigging the vote and jailing opponents.", "Belarus"),
    ]
    together = model.probabilities(inputs, batch_size=8)
    one_by_one = [model.probabilities([item], batch_size=1)[0] for item in inputs]
    for a, b in zip(together, one_by_one, strict=True):
        assert label_of(a) == label_of(b)
        assert all(abs(a[k] - b[k]) < 1e-3 for k in LABELS)


def test_stage_with_transformer_backend_gives_stances_with_evidence(model: TransformerStanceModel) -> None:
    analysis, doc = analysis_with_mentions(TEXT)
    StanceStage(Settings(stance_backend="transformer"))(doc, analysis)  # type: ignore[arg-type]
    stance = {s.actor: s for s in analysis.stance}
    assert stance["NOR"].score > stance["BRA"].score
    assert stance["BRA"].label == "negative"
    for evidence in stance["BRA"].evidence:
        assert analysis.document.text[evidence.start : evidence.end] == evidence.text
        assert any(cue.startswith("minilm-stance p(") for cue in evidence.cues)


def test_unknown_backend_is_a_one_line_error() -> None:
    with pytest.raises(ValueError, match="stance backend"):
        StanceStage(Settings(stance_backend="oracle"))


def test_missing_adapter_is_reported_as_unavailable(tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailable, match=r"adapter|needs"):
        TransformerStanceModel(adapter_dir=tmp_path)


def _communique() -> list[str]:
    return [str(Path(sys.executable).parent / "communique")]


def test_cli_analyze_with_transformer_backend(model: TransformerStanceModel, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "Diplomats condemned Russia for its brutal and reckless shelling of Ukrainian cities.\n", encoding="utf-8"
    )
    result = subprocess.run(
        [*_communique(), "analyze", str(path), "--json", "--stance-backend", "transformer"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    stance = {s["actor"]: s for s in json.loads(result.stdout)["stance"]}
    assert stance["RUS"]["label"] == "negative"


def test_cli_rejects_unknown_backend_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Chile and Peru signed a trade pact.\n", encoding="utf-8")
    result = subprocess.run(
        [*_communique(), "analyze", str(path), "--stance-backend", "oracle"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 2
    assert "stance backend" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_eval_stance_transformer_backend_on_a_sample(
    model: TransformerStanceModel, shared: Path, tmp_path: Path
) -> None:
    lines = (shared / "gold/stance/newsmtsc-devtest-mt.jsonl").read_text(encoding="utf-8").splitlines()[:120]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        [*_communique(), "eval", "stance", "--gold", str(sample), "--backend", "transformer", "--json"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["model"].startswith("transformer")
    assert report["macro_f1"] > report["baseline_macro_f1"]


def test_worker_processes_are_spawned_and_agree_with_one_process(model: TransformerStanceModel) -> None:
    """PyTorch's thread pool hangs in a forked child; the stage asks for spawned workers instead."""
    from communique import Analyzer

    texts = [
        "Diplomats praised Ghana for its calm and generous mediation.",
        "Observers condemned Belarus for jailing opponents and rigging the vote.",
        "Ministers from Chile met counterparts in Lima on Tuesday.",
    ]
    analyzer = Analyzer(Settings(stance_backend="transformer", stages=("actors", "stance")))
    stance_stage = next(stage for stage in analyzer.stages if stage.name == "stance")
    assert getattr(stance_stage, "fork_safe", True) is False
    one = [{s.actor: s.label for s in a.stance} for a in analyzer.analyze_many(texts)]
    two = [{s.actor: s.label for s in a.stance} for a in analyzer.analyze_many(texts, n_process=2, batch_size=1)]
    assert one == two
    assert one[1].get("BLR") == "negative"
