"""`communique eval claims`: check-worthiness against ClaimBuster-format gold (`text`, `label`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

import typer

# Baseline the issue quotes (F1 ~ 0.645 on ClaimBuster's balanced test split): any digit, percent,
# comparative or superlative marks a sentence check-worthy.
BASELINE = re.compile(
    r"\d|%|\bpercent\b|\b(?:more|less|fewer|most|least|better|worse|best|worst)\b|\b\w{3,}(?:er|est)\b",
    re.IGNORECASE,
)


def read_gold(path: Path) -> list[tuple[str, int]]:
    """(text, label) pairs from a JSON array or JSON Lines file; one-line errors for bad input."""
    from ..cli import fail

    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"--gold {path}: cannot read ({exc.__class__.__name__})") from None
    try:
        data = (
            json.loads(raw) if raw.lstrip().startswith("[") else [json.loads(x) for x in raw.splitlines() if x.strip()]
        )
    except json.JSONDecodeError as exc:
        raise fail(f"--gold {path}: not JSON or JSON Lines ({exc.msg} at line {exc.lineno})") from None
    pairs = []
    for number, row in enumerate(data, 1):
        if not isinstance(row, dict) or "text" not in row or "label" not in row:
            raise fail(f"--gold {path}: item {number} lacks 'text' or 'label'")
        try:
            pairs.append((str(row["text"]), 1 if int(row["label"]) > 0 else 0))
        except (TypeError, ValueError):
            raise fail(f"--gold {path}: item {number}: label {row['label']!r} is not 0/1") from None
    if not pairs:
        raise fail(f"--gold {path}: no items")
    return pairs


def binary_metrics(gold: list[int], predicted: list[bool], *, balanced: bool = False) -> dict[str, float]:
    """P/R/F1 of the positive class; ``balanced`` weighs negatives to equal the positives in number,
    i.e. the expected figures on a class-balanced sample (how ClaimBuster's test split is built)."""
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp: float = sum(1 for g, p in zip(gold, predicted, strict=True) if not g and p)
    negatives = len(gold) - sum(gold)
    if balanced and negatives:
        fp *= sum(gold) / negatives
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def average_precision(gold: list[int], scores: list[float]) -> float:
    """Area under the precision-recall step curve (the usual ranking metric, no interpolation)."""
    ranked = sorted(zip(scores, gold, strict=True), key=lambda pair: -pair[0])
    positives = sum(gold)
    if not positives:
        return 0.0
    hits, total = 0, 0.0
    for rank, (_, label) in enumerate(ranked, 1):
        if label:
            hits += 1
            total += hits / rank
    return round(total / positives, 4)


def evaluate(pairs: list[tuple[str, int]], model: str | None = None, backend: str = "linear") -> dict[str, Any]:
    """``backend``: "linear", "student" or "transformer" (raises BackendUnavailable without the extra)."""
    from ..nlp import load_nlp
    from .features import DocArrays
    from .scorer import LinearClaimModel
    from .stage import check_worthiness, student_for
    from .student import StudentVote
    from .transformer import load_claims_transformer

    nlp = load_nlp(model)
    claim_model = LinearClaimModel.load()
    texts = [text for text, _ in pairs]
    gold = [label for _, label in pairs]
    threshold = claim_model.threshold
    transformer_scores: list[float] | None = None
    if backend == "transformer":
        transformer = load_claims_transformer()
        transformer_scores, threshold = transformer.scores(texts), transformer.threshold
    student = student_for(backend)
    if student is not None:
        threshold = student.threshold
    scores: list[float] = []
    predicted: list[bool] = []
    for position, doc in enumerate(nlp.pipe(texts, batch_size=256)):
        scored = None if transformer_scores is None else (transformer_scores[position], threshold)
        arrays = DocArrays.of(doc)
        learned = None
        if student is not None and len(doc):
            learned = StudentVote(
                float(student.document_scores(arrays, doc.tensor, [(0, len(doc))])[0]), threshold, student.weight
            )
        probability, is_claim, _ = check_worthiness(claim_model, doc[:], arrays, scored=scored, student=learned)
        scores.append(probability)
        predicted.append(is_claim)
    result: dict[str, Any] = binary_metrics(gold, predicted)
    result["average_precision"] = average_precision(gold, scores)
    result["n"] = len(pairs)
    result["positives"] = sum(gold)
    result["threshold"] = threshold
    result["backend"] = backend
    baseline = [bool(BASELINE.search(text)) for text in texts]
    result["baseline_regex"] = binary_metrics(gold, baseline)
    result["balanced"] = binary_metrics(gold, predicted, balanced=True)
    result["baseline_regex_balanced"] = binary_metrics(gold, baseline, balanced=True)
    return result


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("claims")
    def eval_claims(
        gold: Annotated[Path, typer.Option("--gold", help="ClaimBuster-format JSON: items with text, label.")],
        json_output: Annotated[bool, typer.Option("--json", help="Print metrics as one JSON object.")] = False,
        holdout: Annotated[
            bool,
            typer.Option("--holdout", help="Score only the fixed held-out fifth the shipped model never saw."),
        ] = False,
        model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline name or path.")] = None,
        backend: Annotated[
            str, typer.Option("--backend", help="linear, student or transformer (most accurate, optional extra).")
        ] = "linear",
    ) -> None:
        """Precision, recall, F1 of the check-worthy class and average precision, beside a regex baseline."""
        from ..cli import fail
        from ..transformer_backend import BackendUnavailable
        from .scorer import in_holdout
        from .stage import BACKENDS

        if backend not in BACKENDS:
            raise fail(f"--backend: {backend!r} is not one of {', '.join(BACKENDS)}")
        pairs = read_gold(gold)
        if holdout:
            pairs = [pair for pair in pairs if in_holdout(pair[0])]
        try:
            result = evaluate(pairs, model, backend)
        except (BackendUnavailable, ValueError) as exc:
            raise fail(str(exc)) from None
        result["subset"] = "holdout" if holdout else "all"
        if json_output:
            typer.echo(json.dumps(result))
            return
        base = result["baseline_regex"]
        typer.echo(f"claims: n={result['n']} positives={result['positives']} subset={result['subset']}")
        typer.echo(
            f"  model    P {result['precision']:.3f}  R {result['recall']:.3f}  F1 {result['f1']:.3f}"
            f"  AP {result['average_precision']:.3f}  (threshold {result['threshold']})"
        )
        typer.echo(f"  baseline P {base['precision']:.3f}  R {base['recall']:.3f}  F1 {base['f1']:.3f}  (regex)")
        bal, bbase = result["balanced"], result["baseline_regex_balanced"]
        typer.echo(
            f"  class-balanced: model P {bal['precision']:.3f} F1 {bal['f1']:.3f}; "
            f"baseline P {bbase['precision']:.3f} F1 {bbase['f1']:.3f}"
        )
