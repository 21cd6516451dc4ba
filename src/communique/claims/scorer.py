"""The shipped check-worthiness model: a linear model over binary sentence features.

Stored as JSON (feature -> weight, idf) rather than a pickle, so loading it executes nothing and
every score can be explained by the features that fired.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..datafiles import package_data
from .features import DocArrays
from .terms import TermIndex

MODEL_FILE = "data/claims_model.json"


def in_holdout(text: str, folds: int = 5) -> bool:
    """The fixed held-out fifth of any gold file: decided by a hash of the text, so it is reproducible."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % folds == 0


@dataclass(frozen=True)
class LinearClaimModel:
    """Logistic regression over L2-normalised idf-weighted binary features.

    A sentence's features are given as positions in ``names``: found by hash for a whole document
    at run time (``sentence_positions``), or from the feature strings (``positions``) in training."""

    weights: dict[str, tuple[float, float]]  # feature -> (coefficient, idf)
    intercept: float
    threshold: float
    meta: dict[str, Any]
    names: list[str] = field(init=False, repr=False, compare=False)
    _position: dict[str, int] = field(init=False, repr=False, compare=False)
    _values: np.ndarray = field(init=False, repr=False, compare=False)  # coefficient * idf
    _squares: np.ndarray = field(init=False, repr=False, compare=False)  # idf * idf
    _index: TermIndex = field(init=False, repr=False, compare=False)
    _ranks: np.ndarray = field(init=False, repr=False, compare=False)
    _ranked_names: list[str] = field(init=False, repr=False, compare=False)
    _pushing_count: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = list(self.weights)
        values = [self.weights[n][0] * self.weights[n][1] for n in names]
        squares = [self.weights[n][1] * self.weights[n][1] for n in names]
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "_position", {name: k for k, name in enumerate(names)})
        object.__setattr__(self, "_values", np.array(values, dtype=np.float64))
        object.__setattr__(self, "_squares", np.array(squares, dtype=np.float64))
        object.__setattr__(self, "_index", TermIndex(names))
        # Every feature's place in the order an explanation lists them: value, then name, descending.
        order = sorted(range(len(names)), key=lambda k: (values[k], names[k]), reverse=True)
        ranks = np.empty(len(names), dtype=np.int64)
        ranks[order] = np.arange(len(names))
        object.__setattr__(self, "_ranks", ranks)
        object.__setattr__(self, "_ranked_names", [names[k] for k in order])
        object.__setattr__(self, "_pushing_count", sum(1 for value in values if value > 0))

    @classmethod
    def load(cls, path: str | Path | None = None) -> LinearClaimModel:
        path = Path(path) if path is not None else package_data("communique.claims", MODEL_FILE)
        data = json.loads(path.read_text(encoding="utf-8"))
        names: list[str] = data["features"]
        weights = {
            name: (float(coef), float(idf))
            for name, coef, idf in zip(names, data["coefficients"], data["idf"], strict=True)
        }
        return cls(weights, float(data["intercept"]), float(data["threshold"]), data.get("meta", {}))

    def positions(self, features: Iterable[str]) -> np.ndarray:
        """The model's positions of a sentence's feature strings (duplicates count once)."""
        unique = features if isinstance(features, set | frozenset) else set(features)
        found = [k for k in map(self._position.get, unique) if k is not None]
        return np.unique(np.array(found, dtype=np.int64))

    def sentence_positions(self, arrays: DocArrays, bounds: Sequence[tuple[int, int]]) -> list[np.ndarray]:
        """``positions(feature_set(doc[start:end]))`` for every sentence of a doc at once."""
        return self._index.sentence_positions(arrays, bounds)

    def probability(self, positions: np.ndarray) -> float:
        """p(check-worthy). Exact sums (``fsum``): the same for the features in any order."""
        norm = math.sqrt(math.fsum(self._squares[positions].tolist())) or 1.0
        return 1.0 / (1.0 + math.exp(-(self.intercept + math.fsum(self._values[positions].tolist()) / norm)))

    def strongest(self, positions: np.ndarray, top: int) -> list[str]:
        """The ``top`` features that pushed the score up most: a claim's explanation. Ranked once at
        load (value, then name, both descending), so a claim sorts only its ranks."""
        ranks = self._ranks[positions]
        pushing = np.sort(ranks[ranks < self._pushing_count])[: max(top, 0)]
        ranked = self._ranked_names
        return [ranked[r] for r in pushing.tolist()]

    def score(self, features: Iterable[str]) -> float:
        return self.probability(self.positions(features))

    def explain(self, features: Iterable[str], top: int = 0) -> tuple[float, list[str]]:
        """Probability of check-worthiness, and the ``top`` features that pushed it up most."""
        positions = self.positions(features)
        return self.probability(positions), self.strongest(positions, top) if top > 0 else []

    def to_json(self) -> str:
        names = sorted(self.weights)
        return json.dumps(
            {
                "format": "communique-linear-claims/1",
                "meta": self.meta,
                "intercept": round(self.intercept, 6),
                "threshold": self.threshold,
                "features": names,
                "coefficients": [round(self.weights[n][0], 5) for n in names],
                "idf": [round(self.weights[n][1], 4) for n in names],
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )
