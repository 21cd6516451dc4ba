"""The accurate claims backend: MiniLM with communique's LoRA adapter for check-worthiness.

Trained on the same ClaimBuster sentences as the linear model (``scripts/train_claims_transformer.py``);
its decision threshold, chosen on a tenth of the training part, is stored in ``training.json``.
The opinion guard and claim typing stay the same: only the score changes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache

from ..datafiles import package_data
from ..transformer_backend import AdaptedClassifier, BackendUnavailable

ADAPTER_DIR = "data/minilm-claims"


class TransformerClaimModel:
    """p(check-worthy) per sentence, with the threshold it was tuned for."""

    def __init__(self) -> None:
        adapter = package_data("communique.claims", ADAPTER_DIR)
        try:
            self.classifier = AdaptedClassifier(adapter, 2)
            self.threshold = float(json.loads((adapter / "training.json").read_text(encoding="utf-8"))["threshold"])
        except BackendUnavailable as exc:
            raise BackendUnavailable(f"claims backend 'transformer': {exc}") from None
        except (OSError, KeyError, ValueError) as exc:
            raise BackendUnavailable(f"claims backend 'transformer': unreadable training.json: {exc}") from None

    def scores(self, sentences: Sequence[str], batch_size: int = 64) -> list[float]:
        return [row[1] for row in self.classifier.probabilities([(s, None) for s in sentences], batch_size)]


@lru_cache(maxsize=1)
def load_claims_transformer() -> TransformerClaimModel:
    """One model per process."""
    return TransformerClaimModel()
