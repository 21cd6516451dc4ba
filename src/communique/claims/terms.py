"""The linear claims model's features, found by spaCy hash for all sentences of a document at once.

``features.feature_set`` names every feature of a sentence ("w:percent", "b:<num>_percent"): that is
what training and the explanations read. Scoring needs only the features the model knows. Here they
are found from the hash columns spaCy already holds (``DocArrays.hashes``): each feature a sentence
would name becomes a (kind, hash, hash) key, and a document's keys are looked up in one sorted
search, with no string built per token. A test checks that both ways find the same features.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.strings import get_string_id

from ..hashes import member
from ..segments import segment_rows
from .features import DEPENDENCIES, OPINION_LEMMAS, REPORTING_LEMMAS, DocArrays

# Feature kinds by name prefix. A paired kind's name joins its two parts with the separator given.
_SINGLE_KINDS = {"w": 1, "l": 2, "t": 3, "e": 4, "c": 5}
_PAIRED_KINDS = {"b": ("_", 6), "tb": ("_", 7), "d": (">", 8), "sv": (">", 9)}
_W, _L, _T, _E, _C = (_SINGLE_KINDS[k] for k in ("w", "l", "t", "e", "c"))
_B, _TB, _D, _SV = (_PAIRED_KINDS[k][1] for k in ("b", "tb", "d", "sv"))
# Columns of ``DocArrays.hashes`` (``features._ATTRS``).
_LOWER, _LEMMA, _TAG, _ENT, _DEP, _POS, _LIKE_NUM, _HEAD, _SPACE = range(9)
# Odd 64-bit constants that spread two hashes over one key; lookups then compare all three parts.
_MIX_FIRST = np.uint64(0x9E3779B97F4A7C15)
_MIX_SECOND = np.uint64(0xC2B2AE3D27D4EB4F)


def _id(text: str) -> int:
    return int(get_string_id(text))


def _ids(texts: Sequence[str] | frozenset[str]) -> np.ndarray:
    return np.array(sorted(_id(text) for text in texts), dtype=np.uint64)


_NUMBER, _START, _END = _id("<num>"), _id("<s>"), _id("</s>")
_PAST_TAGS = _ids(["VBD", "VBN"])
_SUBJECT_DEPS = _ids(["nsubj", "nsubjpass"])
_DEPENDENCY_IDS = _ids(DEPENDENCIES)
_REPORTING_IDS, _OPINION_IDS = _ids(REPORTING_LEMMAS), _ids(OPINION_LEMMAS)
_REPORTED, _OPINION, _HAS_NUMBER, _QUESTION = (_id(c) for c in ("reported", "opinion", "number", "question"))
_LENGTHS = (_id("len<6"), _id("len<12"), _id("len<25"), _id("len25+"))
# A lemma hash -> the id of its lower-cased string, shared by every doc of the process.
_LOWERED_LEMMA: dict[int, int] = {0: 0}


def _keys(kinds: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return (first * _MIX_FIRST) ^ (second * _MIX_SECOND) ^ kinds


def _length_id(length: int) -> int:
    return _LENGTHS[0 if length < 6 else 1 if length < 12 else 2 if length < 25 else 3]


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

    def sentence_positions(self, arrays: DocArrays, bounds: Sequence[tuple[int, int]]) -> list[np.ndarray]:
        """For each sentence [start, end) of the doc, the sorted positions of the model features it
        has: the features ``feature_set`` would name for ``doc[start:end]`` that the model knows."""
        if not bounds:
            return []
        table = arrays.hashes
        sentence_count = len(bounds)
        lengths = np.array([end - start for start, end in bounds], dtype=np.int64)
        rows = segment_rows(np.array([start for start, _ in bounds], dtype=np.int64), lengths)
        segments = np.repeat(np.arange(sentence_count, dtype=np.int64), lengths)
        # Whitespace tokens are not read, and do not break a bigram.
        words_only = table[rows, _SPACE] == 0
        rows, segments = rows[words_only], segments[words_only]
        count = len(rows)
        lower = table[rows, _LOWER]
        like_number = table[rows, _LIKE_NUM] != 0
        word = np.where(like_number, np.uint64(_NUMBER), lower)
        lemmas = _lowered_lemmas(table, arrays.lemma)
        lemma = lemmas[rows]
        tag = table[rows, _TAG]
        opens = np.ones(count, dtype=bool)
        opens[1:] = segments[1:] != segments[:-1]
        previous_word = np.where(opens, np.uint64(_START), np.roll(word, 1))
        previous_tag = np.where(opens, np.uint64(_START), np.roll(tag, 1))
        entity = table[rows, _ENT]
        dependency = table[rows, _DEP]
        with_entity = entity != 0
        with_dependency = member(dependency, _DEPENDENCY_IDS)
        subject = member(dependency, _SUBJECT_DEPS)
        # HEAD is a relative offset stored as uint64: the int64 view wraps negatives back.
        heads = rows[subject] + table[rows[subject], _HEAD].astype(np.int64)
        reported = member(lemma, _REPORTING_IDS) & member(tag, _PAST_TAGS)
        opinion = member(lemma, _OPINION_IDS)

        # Per sentence: the closing bigram, the length class, numbers, a question mark.
        words_per_sentence = np.bincount(segments, minlength=sentence_count)
        has_words = words_per_sentence > 0
        last = np.cumsum(words_per_sentence) - 1
        last_word = np.full(sentence_count, _START, dtype=np.uint64)
        last_word[has_words] = word[last[has_words]]
        sentence_ids = np.arange(sentence_count, dtype=np.int64)
        constants = [_length_id(int(n)) for n in lengths.tolist()]
        constant_segments = sentence_ids.tolist()
        for s in np.flatnonzero(np.bincount(segments[like_number], minlength=sentence_count)).tolist():
            constants.append(_HAS_NUMBER)
            constant_segments.append(s)
        for s in np.flatnonzero(has_words).tolist():
            if arrays.lower[int(rows[last[s]])].endswith("?"):
                constants.append(_QUESTION)
                constant_segments.append(s)

        zeros = np.zeros(count, dtype=np.uint64)
        parts = [
            (_W, word, zeros, segments),
            (_L, lemma, zeros, segments),
            (_B, previous_word, word, segments),
            (_T, tag, zeros, segments),
            (_TB, previous_tag, tag, segments),
            (_E, entity[with_entity], zeros[with_entity], segments[with_entity]),
            (_D, dependency[with_dependency], table[rows[with_dependency], _POS], segments[with_dependency]),
            (_SV, lower[subject], lemmas[heads], segments[subject]),
            (_C, np.full(int(reported.sum()), _REPORTED, dtype=np.uint64), zeros[reported], segments[reported]),
            (_C, np.full(int(opinion.sum()), _OPINION, dtype=np.uint64), zeros[opinion], segments[opinion]),
            (_B, last_word, np.full(sentence_count, _END, dtype=np.uint64), sentence_ids),
            (
                _C,
                np.array(constants, dtype=np.uint64),
                np.zeros(len(constants), dtype=np.uint64),
                np.array(constant_segments, dtype=np.int64),
            ),
        ]
        kinds = np.concatenate([np.full(len(first), kind, dtype=np.uint64) for kind, first, _, _ in parts])
        first = np.concatenate([part[1] for part in parts])
        second = np.concatenate([part[2] for part in parts])
        owner = np.concatenate([part[3] for part in parts])
        return self._found(kinds, first, second, owner, sentence_count)

    def _found(
        self, kinds: np.ndarray, first: np.ndarray, second: np.ndarray, owner: np.ndarray, sentence_count: int
    ) -> list[np.ndarray]:
        empty = np.zeros(0, dtype=np.int64)
        if not len(self.keys):
            return [empty] * sentence_count
        keys = _keys(kinds, first, second)
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        hit = (
            (self.keys[at] == keys)
            & (self.kinds[at] == kinds)
            & (self.firsts[at] == first)
            & (self.seconds[at] == second)
        )
        # A feature counts once per sentence, however many tokens name it.
        combined = np.sort(owner[hit] * self.size + self.positions[at[hit]])
        if len(combined):
            combined = combined[np.concatenate(([True], combined[1:] != combined[:-1]))]
        sentence_of = combined // self.size
        positions = combined % self.size
        cuts = np.searchsorted(sentence_of, np.arange(sentence_count + 1)).tolist()
        return [positions[cuts[s] : cuts[s + 1]] for s in range(sentence_count)]


def _lowered_lemmas(table: np.ndarray, lowered: list[str]) -> np.ndarray:
    """Each token's lower-cased lemma as a string id (``DocArrays.lemma`` is lower-cased too)."""
    known = _LOWERED_LEMMA
    ids = []
    for token, lemma_hash in enumerate(table[:, _LEMMA].tolist()):
        value = known.get(lemma_hash)
        if value is None:
            value = known[lemma_hash] = _id(lowered[token])
        ids.append(value)
    return np.array(ids, dtype=np.uint64)
