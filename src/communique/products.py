"""Rows of ``table @ weights``, each computed the first time a document needs it.

A student's first layer multiplies every token's word vector by the same matrix. A word's product
never changes, so it is worth computing once per process rather than once per occurrence: a token
then costs a row lookup instead of a vector-matrix product. Rows are filled on first use, so a
process holds only the products of the words it has met (the full table would be several times
the size of the word vectors).
"""

from __future__ import annotations

import numpy as np


class ProductRows:
    """``table @ weights`` by row, filled lazily; ``rows(ids)`` equals ``table[ids] @ weights``."""

    def __init__(self, table: np.ndarray, weights: np.ndarray) -> None:
        self.table = np.asarray(table, dtype=np.float32)
        self.weights = np.asarray(weights, dtype=np.float32)
        # np.empty leaves untouched pages unallocated: memory grows with the words actually met.
        self._products = np.empty((len(self.table), self.weights.shape[1]), dtype=np.float32)
        self._known = np.zeros(len(self.table), dtype=bool)

    @property
    def known(self) -> int:
        """How many rows have been computed so far."""
        return int(self._known.sum())

    def rows(self, ids: np.ndarray) -> np.ndarray:
        missing = ids[~self._known[ids]]
        if len(missing):
            missing = np.unique(missing)
            self._products[missing] = self.table[missing] @ self.weights
            self._known[missing] = True
        return self._products[ids]
