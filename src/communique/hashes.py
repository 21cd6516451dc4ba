"""Names looked up by spaCy string hash, for a whole document's tokens in one sorted search.

``doc.to_array`` gives every token's form, lemma and labels as hashes. Looking each token's
string up in a dict costs a Python step per token; a sorted search over the hashes costs one
numpy call per document. The students read their vocabularies this way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.strings import StringStore, get_string_id

# Hash -> string and hash -> lower-cased string, shared by every stage and doc of the process: a
# string's hash is the same in any vocab, so each word type is converted once. Bounded: a long run
# meets new types forever.
_STRINGS: dict[int, str] = {0: ""}
_LOWERED: dict[int, str] = {0: ""}
STRING_CACHE_SIZE = 500_000


def string_of(strings: StringStore, key: int, lowered: bool = False) -> str:
    """The string (lower-cased with ``lowered``) of a form or lemma hash."""
    table = _LOWERED if lowered else _STRINGS
    text = table.get(key)
    if text is None:
        text = _convert(strings, key, lowered)
        if len(table) < STRING_CACHE_SIZE:
            table[key] = text
    return text


def strings_of(strings: StringStore, keys: list[int], lowered: bool = False) -> list[str]:
    """The strings (lower-cased with ``lowered``) of a column of hashes, such as a doc's lemmas."""
    table = _LOWERED if lowered else _STRINGS
    try:
        return [table[key] for key in keys]
    except KeyError:
        for key in set(keys).difference(table):
            if len(table) >= STRING_CACHE_SIZE:
                break
            table[key] = _convert(strings, key, lowered)
        return [text if (text := table.get(key)) is not None else _convert(strings, key, lowered) for key in keys]


def _convert(strings: StringStore, key: int, lowered: bool) -> str:
    return strings[key].lower() if lowered else strings[key]


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
