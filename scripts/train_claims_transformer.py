"""Train the accurate claims backend: a LoRA adapter + head on all-MiniLM-L6-v2 for check-worthiness.

    .venv/bin/pip install -e '.[transformer]'
    .venv/bin/python scripts/train_claims_transformer.py ../shared/gold/claims/claimbuster-train.json

Trains on the sentences outside the hash-held-out fifth (``in_holdout``), the same split as the
linear model, so `communique eval claims --holdout --backend transformer` measures unseen sentences.
A tenth of the training part (by a second hash) is kept aside to choose the decision threshold; the
held-out fifth is reported per epoch for information only. About 8 minutes per epoch on one CPU thread.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
from lora_training import Example, Recipe, Trainer
from sklearn.metrics import average_precision_score, f1_score

from communique.claims.scorer import in_holdout
from communique.claims.transformer import ADAPTER_DIR

OUT = Path(__file__).resolve().parents[1] / "src/communique/claims" / ADAPTER_DIR


def in_threshold_split(text: str) -> bool:
    """A tenth of the training part, independent of the held-out fifth's hash."""
    return int(hashlib.sha1(("threshold:" + text).encode("utf-8")).hexdigest(), 16) % 10 == 0


def best_threshold(gold: list[int], scores: np.ndarray) -> float:
    candidates = [round(float(t), 2) for t in np.arange(0.2, 0.91, 0.05)]
    return max(candidates, key=lambda t: f1_score(gold, scores >= t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=6e-4)
    args = parser.parse_args()

    records = json.loads(args.gold.read_text(encoding="utf-8"))
    rows = [(str(r["text"]), int(r["label"])) for r in records]
    held: list[Example] = [(t, None, y) for t, y in rows if in_holdout(t)]
    rest = [(t, y) for t, y in rows if not in_holdout(t)]
    train: list[Example] = [(t, None, y) for t, y in rest if not in_threshold_split(t)]
    tune: list[Example] = [(t, None, y) for t, y in rest if in_threshold_split(t)]
    trainer = Trainer(Recipe(labels=2, epochs=args.epochs, lr=args.lr, class_weighted=False))

    def report(model: Trainer) -> dict[str, float]:
        threshold = best_threshold([r[2] for r in tune], model.probabilities(tune)[:, 1])
        scores = model.probabilities(held)[:, 1]
        gold = [r[2] for r in held]
        return {
            "threshold": threshold,
            "heldout_f1": round(float(f1_score(gold, scores >= threshold)), 4),
            "heldout_average_precision": round(float(average_precision_score(gold, scores)), 4),
        }

    history = trainer.train(train, report)
    data = (
        "ClaimBuster-derived claimbuster-train.json (claimbuster-spotter split, GPL-3.0 distribution), "
        "minus the hash-held-out fifth; see MODEL_CARD.md"
    )
    extra = {"examples": len(train), "threshold_examples": len(tune), "threshold": history[-1]["threshold"]}
    trainer.save(args.out, data, history, extra)


if __name__ == "__main__":
    main()
