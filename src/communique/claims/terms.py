"""The linear claims model's features, found by spaCy hash for all sentences of a document at once.

``features.feature_set`` names every feature of a sentence ("w:percent", "b:<num>_percent"): that is
what training and the explanations read. Scoring needs only the features the model knows. Here they
are found from the hash columns spaCy already holds (``DocArrays.hashes``): each feature a sentence
would name becomes a (kind, hash, hash) key, looked up in a hash table by a compiled loop over the
document (``kernels.feature_positions``), with no string built per token. A test checks that both
ways find the same features.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.strings import get_string_id

from ..kernels import feature_positions, key_slots
from .features import DEPENDENCIES, OPINION_LEMMAS, REPORTING_LEMMAS, DocArrays

# Feature kinds by name prefix. A paired kind's name joins its two parts with the separator given.
_SINGLE_KINDS = {"w": 1, "l": 2, "t": 3, "e": 4, "c": 5}
_PAIRED_KINDS = {"b": ("_", 6), "tb": ("_", 7), "d": (">", 8), "sv": (">", 9)}
# ``kernels.feature_positions`` emits the keys of these kinds under the same numbers; the lemma is
# column 1 of ``DocArrays.hashes`` (``features._ATTRS``), after the lower-cased form.
_LOWER, _LEMMA = 0, 1
# Odd 64-bit constants that spread two hashes over one key; lookups then compare all three parts.
_MIX_FIRST = np.uint64(0x9E3779B97F4A7C15)
_MIX_SECOND = np.uint64(0xC2B2AE3D27D4EB4F)


def _id(text: str) -> int:
    return int(get_string_id(text))


def _ids(texts: Sequence[str] | frozenset[str]) -> np.ndarray:
    return np.array(sorted(_id(text) for text in texts), dtype=np.uint64)


_PAST_TAGS = _ids(["VBD", "VBN"])
_SUBJECT_DEPS = _ids(["nsubj", "nsubjpass"])
_DEPENDENCY_IDS = _ids(DEPENDENCIES)
_REPORTING_IDS, _OPINION_IDS = _ids(REPORTING_LEMMAS), _ids(OPINION_LEMMAS)
# <num>, <s>, </s>, then the constant features c:reported, c:opinion and c:number, in the order
# ``kernels.feature_positions`` reads them; then the length classes.
_CONSTANTS = np.array([_id(c) for c in ("<num>", "<s>", "</s>", "reported", "opinion", "number")], dtype=np.uint64)
_LENGTHS = np.array([_id(c) for c in ("len<6", "len<12", "len<25", "len25+")], dtype=np.uint64)
# At most ten features per token (w, l, b, t, tb, e, d, sv and two cues), with room to spare.
_MOST_PER_TOKEN = 11
# A lemma hash -> the id of its lower-cased string, shared by every doc of the process.
_LOWERED_LEMMA: dict[int, int] = {0: 0}


def _keys(kinds: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return (first * _MIX_FIRST) ^ (second * _MIX_SECOND) ^ kinds


class TermIndex:
    """Each model feature's position, by the hashes of its parts."""

    def __init__(self, names: Sequence[str]) -> None:
        kinds: list[int] = []
        firsts: list[int] = []
        seconds: list[int] = []
        positions: list[int] = []

        def add(kind: int, first: str, second: str | None, position: int) -> None:
            kinds.append(kind)
            firsts.append(_id(first))
            seconds.append(0 if second is None else _id(second))
            positions.append(position)

        for position, name in enumerate(names):
            prefix, colon, rest = name.partition(":")
            if not colon:
                continue
            if prefix in _SINGLE_KINDS:
                add(_SINGLE_KINDS[prefix], rest, None, position)
            elif prefix in _PAIRED_KINDS:
                separator, kind = _PAIRED_KINDS[prefix]
                # A part may itself hold the separator ("b:a_b_c"): every split is a candidate, and
                # only the one whose two hashes a sentence has can match.
                at = rest.find(separator)
                while at >= 0:
                    add(kind, rest[:at], rest[at + 1 :], position)
                    at = rest.find(separator, at + 1)
        kind_array = np.array(kinds, dtype=np.uint64)
        first_array = np.array(firsts, dtype=np.uint64)
        second_array = np.array(seconds, dtype=np.uint64)
        keys = _keys(kind_array, first_array, second_array)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        if len(np.unique(self.keys)) != len(self.keys):
            # Two features whose parts' hashes mix to the same key: odds of about 1e-11 per model.
            raise ValueError("claims model: two features share a lookup key; rename one of them")
        self.kinds = kind_array[order]
        self.firsts = first_array[order]
        self.seconds = second_array[order]
        self.positions = np.array(positions, dtype=np.int64)[order]
        self.size = len(names)
        # An open-addressing table over the keys, for the compiled lookup (``kernels.feature_positions``).
        self.slots = np.zeros(1 << max(1, 2 * len(self.keys) - 1).bit_length(), dtype=np.int64)
        key_slots(self.keys, self.slots)
        self.question = names.index("c:question") if "c:question" in names else -1

    def sentence_positions(self, arrays: DocArrays, bounds: Sequence[tuple[int, int]]) -> list[np.ndarray]:
        """For each sentence [start, end) of the doc, the sorted positions of the model features it
        has: the features ``feature_set`` would name for ``doc[start:end]`` that the model knows."""
        if not bounds:
            return []
        table = np.ascontiguousarray(arrays.hashes, dtype=np.uint64)
        starts = np.array([start for start, _ in bounds], dtype=np.int64)
        ends = np.array([end for _, end in bounds], dtype=np.int64)
        found = np.empty(_MOST_PER_TOKEN * int((ends - starts).sum()) + 3 * len(bounds), dtype=np.int64)
        counts = np.empty(len(bounds), dtype=np.int64)
        last_words = np.empty(len(bounds), dtype=np.int64)
        feature_positions(
            table,
            _lowered_lemmas(table, arrays.lemma),
            starts,
            ends,
            self.keys,
            self.kinds,
            self.firsts,
            self.seconds,
            self.positions,
            self.slots,
            _CONSTANTS,
            _LENGTHS,
            _DEPENDENCY_IDS,
            _SUBJECT_DEPS,
            _REPORTING_IDS,
            _OPINION_IDS,
            _PAST_TAGS,
            found,
            counts,
            last_words,
        )
        cuts = np.concatenate(([0], np.cumsum(counts))).tolist()
        sentences = [found[cuts[s] : cuts[s + 1]] for s in range(len(bounds))]
        if self.question >= 0:
            # Whether the last word ends in "?" is read from its string, as ``feature_set`` does.
            for s, last in enumerate(last_words.tolist()):
                if last >= 0 and arrays.lower[last].endswith("?"):
                    sentences[s] = np.union1d(sentences[s], [self.question])
        return sentences


def _lowered_lemmas(table: np.ndarray, lowered: list[str]) -> np.ndarray:
    """Each token's lower-cased lemma as a string id (``DocArrays.lemma`` is lower-cased too).

    A lemma equal to the token's lower-cased form is lower-case already: its own hash. Only the
    others ("rose" -> "rise", "India") are looked up, by lemma hash, once per process."""
    lemmas = table[:, _LEMMA].copy()
    known = _LOWERED_LEMMA
    others = np.flatnonzero(lemmas != table[:, _LOWER])
    ids = []
    for token, lemma_hash in zip(others.tolist(), lemmas[others].tolist(), strict=True):
        value = known.get(lemma_hash)
        if value is None:
            value = known[lemma_hash] = _id(lowered[token])
        ids.append(value)
    lemmas[others] = np.array(ids, dtype=np.uint64)
    return lemmas
