"""Rows of ``table @ weights``, each computed the first time a document needs it.

A student's first layer multiplies every token's word vector by the same matrix. A word's product
never changes, so it is worth computing once per process rather than once per occurrence: a token
then costs a row lookup instead of a vector-matrix product. Products are stored in the order words
are first met, so a process holds only the products of the words it has seen (the vocabularies
are alphabetical: kept in their own order, a few thousand words would touch most of the memory
of the full table, several times the size of the word vectors).
"""

from __future__ import annotations

import threading

import numpy as np

INITIAL_ROWS = 1024


class ProductRows:
    """``table @ weights`` by row, filled lazily; ``rows(ids)`` equals ``table[ids] @ weights``."""

    def __init__(self, table: np.ndarray, weights: np.ndarray) -> None:
        self.table = np.asarray(table, dtype=np.float32)
        self.weights = np.asarray(weights, dtype=np.float32)
        self._slot = np.full(len(self.table), -1, dtype=np.int64)  # row of a word's product, -1: not yet
        self._products = np.empty((min(INITIAL_ROWS, len(self.table)), self.weights.shape[1]), dtype=np.float32)
        self._count = 0
        # Filling is locked (an analyzer may be shared by threads); lookups are not: a row's slot is
        # set only after its product is written, in the array that later lookups read.
        self._filling = threading.Lock()

    @property
    def known(self) -> int:
        """How many words' products have been computed so far."""
        return self._count

    @property
    def capacity(self) -> int:
        """How many products the storage holds before it grows again."""
        return len(self._products)

    def rows(self, ids: np.ndarray) -> np.ndarray:
        slots = self._slot[ids]
        if len(slots) and slots.min() < 0:
            self._fill(ids)
            slots = self._slot[ids]
        return self._products[slots]

    def _fill(self, ids: np.ndarray) -> None:
        with self._filling:
            missing = np.unique(ids[self._slot[ids] < 0])
            first, last = self._count, self._count + len(missing)
            if last > len(self._products):
                grown = np.empty((max(last, 2 * len(self._products)), self._products.shape[1]), dtype=np.float32)
                grown[:first] = self._products[:first]
                self._products = grown
            self._products[first:last] = self.table[missing] @ self.weights
            self._slot[missing] = np.arange(first, last)
            self._count = last
