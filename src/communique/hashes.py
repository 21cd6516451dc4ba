"""Names looked up by spaCy string hash, for a whole document's tokens in one sorted search.

``doc.to_array`` gives every token's form, lemma and labels as hashes. Looking each token's
string up in a dict costs a Python step per token; a sorted search over the hashes costs one
numpy call per document. The students read their vocabularies this way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.strings import get_string_id


def member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """``np.isin`` for a small sorted key array, by binary search (no sort of the doc's values)."""
    if not len(sorted_keys):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return np.asarray(sorted_keys[at] == values)


class WordIndex:
    """Each name's row (by default ``k + 1`` for the ``k``-th; 0: unknown), by the name's string hash."""

    def __init__(self, words: Sequence[str], rows: Sequence[int] | None = None) -> None:
        """``rows``: each name's row, if not its position plus one."""
        hashes = np.array([get_string_id(word) for word in words], dtype=np.uint64)
        order = np.argsort(hashes, kind="stable")
        self.hashes = hashes[order]
        numbers = np.arange(1, len(words) + 1) if rows is None else np.array(rows, dtype=np.int64).reshape(-1)
        self.rows = numbers[order].astype(np.int64)

    def __len__(self) -> int:
        return len(self.hashes)

    def rows_of(self, hashes: np.ndarray) -> np.ndarray:
        if not len(self.hashes):
            return np.zeros(len(hashes), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        return np.where(self.hashes[at] == hashes, self.rows[at], 0)

    def token_rows(self, lower: np.ndarray, lemma: np.ndarray) -> np.ndarray:
        """Each token's row: its lower-cased form's, else its lemma's, else 0."""
        by_form = self.rows_of(lower)
        return np.where(by_form > 0, by_form, self.rows_of(lemma))
