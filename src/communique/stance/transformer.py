"""The accurate stance backend: MiniLM with communique's LoRA adapter for target-dependent sentiment.

The target is marked in its sentence with brackets and repeated as the second segment of a
sentence pair, the input the adapter was trained on (``scripts/train_stance_transformer.py``).
Loading and batching are shared with the claims backend (``communique.transformer_backend``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..datafiles import package_data
from ..transformer_backend import AdaptedClassifier, BackendUnavailable
from .target import LABELS

__all__ = ["ADAPTER_DIR", "BackendUnavailable", "TargetInput", "TransformerStanceModel", "load_transformer"]

ADAPTER_DIR = "data/minilm-stance"


@dataclass(frozen=True)
class TargetInput:
    """One target in its sentence: ``start``/``end`` are character offsets into ``sentence``."""

    sentence: str
    start: int
    end: int

    def marked(self) -> tuple[str, str]:
        s, e = self.start, self.end
        return f"{self.sentence[:s]}[ {self.sentence[s:e]} ]{self.sentence[e:]}", self.sentence[s:e]


def mark_target(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The model input for one target; shared with the training script so both see the same text."""
    return TargetInput(sentence, start, end).marked()


class TransformerStanceModel:
    """Probabilities per label, in ``LABELS`` order, for batches of targets."""

    def __init__(self, adapter_dir: Path | None = None, threads: int | None = None) -> None:
        adapter = adapter_dir or package_data("communique.stance", ADAPTER_DIR)
        try:
            self.classifier = AdaptedClassifier(adapter, len(LABELS), threads)
        except BackendUnavailable as exc:
            raise BackendUnavailable(f"stance backend 'transformer': {exc}") from None

    def probabilities(self, targets: Sequence[TargetInput], batch_size: int = 64) -> list[dict[str, float]]:
        rows = self.classifier.probabilities([t.marked() for t in targets], batch_size)
        return [dict(zip(LABELS, row, strict=True)) for row in rows]


@lru_cache(maxsize=2)
def load_transformer(adapter_dir: str | None = None) -> TransformerStanceModel:
    """One model per process, as with the spaCy pipeline."""
    return TransformerStanceModel(Path(adapter_dir) if adapter_dir else None)
