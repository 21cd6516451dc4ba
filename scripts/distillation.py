"""What the two student-training scripts share: pooling, and the loop that mixes gold and teacher labels.

Build-time only (needs the optional extra ``transformer``); the students run in numpy at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

Item = TypeVar("Item")


class Example(Generic[Item]):
    """One training input with either a gold class or the teacher's class probabilities."""

    __slots__ = ("item", "label", "soft")

    def __init__(self, item: Item, label: int | None = None, soft: Sequence[float] | None = None) -> None:
        self.item, self.label, self.soft = item, label, soft


def max_and_attention(hidden: torch.Tensor, mask: torch.Tensor, attention: nn.Linear) -> list[torch.Tensor]:
    """Max pooling and attention pooling over the unmasked positions (batch x length x width)."""
    pooled_max = hidden.masked_fill(~mask.unsqueeze(-1), -1e4).max(1).values
    weights = attention(hidden).squeeze(-1).masked_fill(~mask, -1e4).softmax(-1)
    return [pooled_max, (hidden * weights.unsqueeze(-1)).sum(1)]


def train_distilled(
    model: nn.Module,
    examples: list[Example[Item]],
    batch_of: Callable[[list[Item]], dict[str, torch.Tensor]],
    class_weight: torch.Tensor,
    check: Callable[[], float],
    epochs: int,
) -> tuple[float, int]:
    """Cross-entropy on gold, KL divergence to the teacher on the rest, each weighted by its share
    of the batch; keeps the epoch with the best ``check`` score and leaves the model at it."""
    optimiser = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=2e-3, weight_decay=1e-5)
    best: tuple[float, int, dict[str, torch.Tensor]] = (-1.0, -1, {})
    for epoch in range(epochs):
        order = np.random.permutation(len(examples))
        for begin in range(0, len(order), 64):
            chunk = [examples[i] for i in order[begin : begin + 64]]
            logits = model(batch_of([example.item for example in chunk]))
            hard = [n for n, example in enumerate(chunk) if example.label is not None]
            soft = [n for n, example in enumerate(chunk) if example.label is None]
            loss = torch.zeros(())
            if hard:
                targets = torch.tensor([chunk[n].label for n in hard])
                loss = loss + F.cross_entropy(logits[hard], targets, weight=class_weight) * len(hard) / len(chunk)
            if soft:
                wanted = torch.tensor([list(chunk[n].soft or ()) for n in soft])
                divergence = F.kl_div(logits[soft].log_softmax(-1), wanted, reduction="batchmean")
                loss = loss + divergence * len(soft) / len(chunk)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        model.eval()
        with torch.no_grad():
            score = check()
        model.train()
        print(f"epoch {epoch}: check score {score:.3f}", flush=True)
        if score > best[0]:
            best = (score, epoch, {k: v.detach().clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    model.eval()
    return best[0], best[1]


def word_columns(words: nn.Embedding, projection: nn.Linear, rows: torch.Tensor) -> torch.Tensor:
    """Projected word vectors; unknown words (row 0) are zeros, as in the exported table."""
    return projection(words(rows)) * (rows != 0).unsqueeze(-1)


def input_dropout(x: torch.Tensor, mask: torch.Tensor, training: bool) -> torch.Tensor:
    """Dropout, then padding set to zeros: the numpy pass sees zeros beyond a text's ends."""
    return F.dropout(x, 0.2, training) * mask.unsqueeze(-1)


def exported_table(words: nn.Embedding, projection: nn.Linear) -> np.ndarray:
    """The word table with the projection folded in, float16, row 0 (unknown) zeros."""
    with torch.no_grad():
        table = projection(words.weight).numpy()
    table[0] = 0.0
    return table.astype(np.float16)
