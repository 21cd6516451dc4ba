"""Scoring the target-dependent classifier on NewsMTSC-format gold (``communique eval stance``)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .target import LABELS, DocCues, TargetScorer
from .transformer import TargetInput, TransformerStanceModel

POLARITY_LABELS = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}


class GoldFormatError(ValueError):
    """The gold file is not NewsMTSC JSON lines; str() is one line naming file and line."""


@dataclass(frozen=True)
class GoldTarget:
    start: int
    end: int
    mention: str
    label: str
    # Other mentions of the same target (often pronouns), as (from, to); used only to train.
    further: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class GoldSentence:
    text: str
    targets: list[GoldTarget]


def read_gold(path: Path) -> list[GoldSentence]:
    sentences = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: cannot read: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["sentence_normalized"]
            targets = [
                GoldTarget(
                    int(t["from"]),
                    int(t["to"]),
                    t.get("mention", ""),
                    POLARITY_LABELS[float(t["polarity"])],
                    tuple((int(f["from"]), int(f["to"])) for f in t.get("further_mentions") or ()),
                )
                for t in record["targets"]
            ]
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise GoldFormatError(f"{path}:{number}: not a NewsMTSC record ({type(exc).__name__}: {exc})") from None
        sentences.append(GoldSentence(text, targets))
    if not sentences:
        raise GoldFormatError(f"{path}: no records")
    return sentences


def parsed_targets(nlp: Language, sentences: list[GoldSentence]) -> Iterator[tuple[Doc, GoldTarget]]:
    for sentence, doc in zip(sentences, nlp.pipe(s.text for s in sentences), strict=True):
        for target in sentence.targets:
            yield doc, target


def sentence_baseline(cues: DocCues) -> str:
    """VADER-like reference: the whole sentence's lexicon polarity, blind to the target."""
    total = sum(cues.value(cue) for cue in cues.cues.values())
    normalized = total / math.sqrt(total * total + 15.0)
    if normalized >= 0.05:
        return "positive"
    if normalized <= -0.05:
        return "negative"
    return "neutral"


def metrics(gold: list[str], predicted: list[str]) -> dict[str, float]:
    f1s = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold) if gold else 0.0
    return {
        "macro_f1": sum(f1s.values()) / len(f1s),
        "accuracy": accuracy,
        **{f"f1_{label}": value for label, value in f1s.items()},
    }


def evaluate(
    nlp: Language, scorer: TargetScorer, path: Path, transformer: TransformerStanceModel | None = None
) -> dict[str, object]:
    """``transformer``: score with the accurate backend instead of the lexical one (same targets)."""
    sentences = read_gold(path)
    gold: list[str] = []
    predicted: list[str] = []
    baseline: list[str] = []
    inputs: list[TargetInput] = []
    skipped = 0
    for sentence, doc in zip(sentences, nlp.pipe(s.text for s in sentences), strict=True):
        cues = scorer.cues(doc)
        base = sentence_baseline(cues)
        for target in sentence.targets:
            span = doc.char_span(target.start, target.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                skipped += 1  # the same targets for both backends, so the figures compare
                continue
            gold.append(target.label)
            baseline.append(base)
            if transformer is None:
                predicted.append(scorer.score(doc, span.start, span.end, cues).label)
            else:
                inputs.append(TargetInput(sentence.text, target.start, target.end))
    if transformer is not None:
        predicted = [max(p, key=lambda k: p[k]) for p in transformer.probabilities(inputs)]
    report: dict[str, object] = {**metrics(gold, predicted), "n": len(gold), "skipped": skipped}
    base_metrics = metrics(gold, baseline)
    report["baseline_macro_f1"] = base_metrics["macro_f1"]
    report["baseline_accuracy"] = base_metrics["accuracy"]
    if transformer is not None:
        report["model"] = "transformer: all-MiniLM-L6-v2 + LoRA adapter (NewsMTSC train)"
    elif scorer.model:
        parts = ["logistic-regression" + (" with distilled word polarity" if scorer.distilled else "")]
        if scorer.student is not None:
            parts.append("distilled convolutional student (averaged)")
        report["model"] = " + ".join(parts) + f" (share {scorer.model_share}) + scoped lexicon"
    else:
        report["model"] = "scoped lexicon only"
    return report
