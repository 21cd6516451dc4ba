"""The shipped check-worthiness model: a linear model over binary sentence features.

Stored as JSON (feature -> weight, idf) rather than a pickle, so loading it executes nothing and
every score can be explained by the features that fired.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..datafiles import package_data

MODEL_FILE = "data/claims_model.json"


def in_holdout(text: str, folds: int = 5) -> bool:
    """The fixed held-out fifth of any gold file: decided by a hash of the text, so it is reproducible."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % folds == 0


@dataclass(frozen=True)
class LinearClaimModel:
    """Logistic regression over L2-normalised idf-weighted binary features."""

    weights: dict[str, tuple[float, float]]  # feature -> (coefficient, idf)
    intercept: float
    threshold: float
    meta: dict[str, Any]
    # Feature -> rank in name order, and per rank (name, coef * idf, idf * idf, coef > 0): scoring
    # a set of features by rank sums in the same order as ``explain`` over the sorted names.
    _rank: dict[str, int] = field(init=False, repr=False, compare=False)
    _terms: list[tuple[str, float, float, bool]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = sorted(self.weights)
        object.__setattr__(self, "_rank", {name: k for k, name in enumerate(names)})
        terms = [(n, coef * idf, idf * idf, coef > 0) for n in names for coef, idf in [self.weights[n]]]
        object.__setattr__(self, "_terms", terms)

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

    def score(self, features: list[str]) -> float:
        return self.explain(features)[0]

    def explain(self, features: list[str], top: int = 0) -> tuple[float, list[str]]:
        """Probability of check-worthiness, and the ``top`` features that pushed it up most."""
        weights = self.weights
        raw = 0.0
        squares = 0.0
        found: list[tuple[float, str]] = []
        for feature in features:
            pair = weights.get(feature)
            if pair is None:
                continue
            coef, idf = pair
            raw += coef * idf
            squares += idf * idf
            if top > 0 and coef > 0:
                found.append((coef * idf, feature))
        norm = math.sqrt(squares) or 1.0
        probability = 1.0 / (1.0 + math.exp(-(self.intercept + raw / norm)))
        if top <= 0:
            return probability, []
        found.sort(reverse=True)
        return probability, [f for _, f in found[:top]]

    def explain_set(self, features: Iterable[str], top: int = 0) -> tuple[float, list[str]]:
        """``explain`` for features in any order (duplicates ignored): same probability, same top."""
        ranks = sorted({k for k in map(self._rank.get, features) if k is not None})
        terms = self._terms
        raw = 0.0
        squares = 0.0
        for k in ranks:
            term = terms[k]
            raw += term[1]
            squares += term[2]
        norm = math.sqrt(squares) or 1.0
        probability = 1.0 / (1.0 + math.exp(-(self.intercept + raw / norm)))
        if top <= 0:
            return probability, []
        found = [(terms[k][1], terms[k][0]) for k in ranks if terms[k][3]]
        found.sort(reverse=True)
        return probability, [f for _, f in found[:top]]

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
