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


# A feature's part of the score: (coefficient * idf, idf * idf, name).
Term = tuple[float, float, str]


@dataclass(frozen=True)
class LinearClaimModel:
    """Logistic regression over L2-normalised idf-weighted binary features."""

    weights: dict[str, tuple[float, float]]  # feature -> (coefficient, idf)
    intercept: float
    threshold: float
    meta: dict[str, Any]
    _terms: dict[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        terms = {name: (coef * idf, idf * idf, name) for name, (coef, idf) in self.weights.items()}
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

    def terms(self, features: Iterable[str]) -> list[Term]:
        """The model's terms for a sentence's features, in any order (duplicates count once)."""
        unique = features if isinstance(features, set | frozenset) else set(features)
        return [term for term in map(self._terms.get, unique) if term is not None]

    def probability(self, terms: list[Term]) -> float:
        """p(check-worthy). Exact sums (``fsum``): the same for the terms in any order."""
        norm = math.sqrt(math.fsum([term[1] for term in terms])) or 1.0
        return 1.0 / (1.0 + math.exp(-(self.intercept + math.fsum([term[0] for term in terms]) / norm)))

    @staticmethod
    def strongest(terms: list[Term], top: int) -> list[str]:
        """The ``top`` features that pushed the score up most: a claim's explanation."""
        pushing = sorted(((term[0], term[2]) for term in terms if term[0] > 0), reverse=True)
        return [name for _, name in pushing[:top]]

    def score(self, features: Iterable[str]) -> float:
        return self.probability(self.terms(features))

    def explain(self, features: Iterable[str], top: int = 0) -> tuple[float, list[str]]:
        """Probability of check-worthiness, and the ``top`` features that pushed it up most."""
        terms = self.terms(features)
        return self.probability(terms), self.strongest(terms, top) if top > 0 else []

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
