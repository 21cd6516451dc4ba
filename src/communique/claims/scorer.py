"""The shipped check-worthiness model: a linear model over binary sentence features.

Stored as JSON (feature -> weight, idf) rather than a pickle, so loading it executes nothing and
every score can be explained by the features that fired.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..datafiles import package_data
from ..kernels import score_segments
from .features import DocArrays
from .terms import TermIndex

MODEL_FILE = "data/claims_model.json"


def in_holdout(text: str, folds: int = 5) -> bool:
    """The fixed held-out fifth of any gold file: decided by a hash of the text, so it is reproducible."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % folds == 0


@dataclass(frozen=True)
class SentenceReading:
    """The linear model's reading of one sentence (``LinearClaimModel.readings``)."""

    positions: np.ndarray  # sorted model positions of its features
    probability: float
    strongest: np.ndarray  # ranks of the features that pushed it up most, -1 padded


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

    def readings(self, arrays: DocArrays, bounds: Sequence[tuple[int, int]], top: int) -> list[SentenceReading]:
        """Every sentence of a doc read at once: its features, p(check-worthy) and the ``top``
        features that pushed it up most (``sentence_positions``, then ``score_positions``)."""
        positions = self.sentence_positions(arrays, bounds)
        probabilities, strongest = self.score_positions(positions, top)
        return [
            SentenceReading(found, probability, ranks)
            for found, probability, ranks in zip(positions, probabilities.tolist(), strongest, strict=True)
        ]

    def score_positions(self, positions: Sequence[np.ndarray], top: int) -> tuple[np.ndarray, np.ndarray]:
        """p(check-worthy) of each sentence's sorted feature positions, and the ranks of its ``top``
        strongest features (-1 padded), in one compiled pass (``kernels.score_segments``). Sums run
        in position order: the same features give the same float whichever way they were found."""
        counts = np.array([len(found) for found in positions], dtype=np.int64)
        found = np.concatenate(positions).astype(np.int64, copy=False) if len(positions) else counts
        probabilities = np.empty(len(positions), dtype=np.float64)
        strongest = np.empty((len(positions), max(top, 0)), dtype=np.int64)
        score_segments(
            found,
            counts,
            self._values,
            self._squares,
            self._ranks,
            self._pushing_count,
            self.intercept,
            probabilities,
            strongest,
        )
        return probabilities, strongest

    def explanation(self, ranks: np.ndarray) -> list[str]:
        """The feature names of ``score_positions``' strongest ranks. Ranked once at load (value, then name,
        both descending), so a claim only picks its few smallest ranks."""
        ranked = self._ranked_names
        return [ranked[r] for r in ranks.tolist() if r >= 0]

    def probability(self, positions: np.ndarray) -> float:
        """p(check-worthy) of one sentence's sorted feature positions."""
        return float(self.score_positions([positions], 0)[0][0])

    def strongest(self, positions: np.ndarray, top: int) -> list[str]:
        """The ``top`` features that pushed the score up most: a claim's explanation."""
        return self.explanation(self.score_positions([positions], top)[1][0])

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
