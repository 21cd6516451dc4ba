"""Word polarity distilled from the transformer stance model, for the fast linear model.

The MiniLM stance model (``minilm-stance``) reads every word of a vocabulary on its own once, at
build time (``scripts/distill_word_polarity.py``); p(positive) - p(negative) per word is kept in
``data/distilled-polarity.tsv``. At run time that is a dict lookup, so the linear model gets some
of what the transformer learned at none of its cost. Features sum the polarity of the words found
in each scope relation to the target (``dpol:pred``, ``dpol:head`` ...), split by sign as well,
so the weights stay readable: "negative words in the target's predicate count this much".
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from ..datafiles import DataFileError, package_data

DISTILLED_FILE = "data/distilled-polarity.tsv"
# Feature-name prefixes: signed sum, and the absolute sums of positive / negative words.
SIGNED, POSITIVE, NEGATIVE = "dpol:", "dpolp:", "dpoln:"


def read_polarity(path: Path) -> dict[str, float]:
    """``word<TAB>polarity`` rows, polarity in [-1, 1]; a bad row names its file and line."""
    table: dict[str, float] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != 2:
                raise DataFileError(path, line, None, f"expected 2 tab-separated fields, got {len(row)}")
            try:
                value = float(row[1])
            except ValueError:
                raise DataFileError(path, line, "polarity", f"not a number: {row[1]!r}") from None
            if not -1.0 <= value <= 1.0:
                raise DataFileError(path, line, "polarity", f"{value} is outside [-1, 1]")
            table[row[0].strip().lower()] = value
    return table


@lru_cache(maxsize=4)
def load_distilled(path: str | None = None) -> Mapping[str, float]:
    """The shipped table (once per process), or another one built by the distillation script."""
    return read_polarity(Path(path) if path else package_data("communique.stance", DISTILLED_FILE))


@lru_cache(maxsize=1 << 16)
def relation_of_feature(name: str) -> tuple[str, str] | None:
    """``pred|reckless`` -> (pred, reckless); ``verb:nsubj|say`` -> (verb, say); others -> None.
    Cached: every target asks again for the same few thousand names."""
    prefix, bar, lemma = name.partition("|")
    if not bar:
        return None
    return prefix.partition(":")[0], lemma


def add_distilled_features(
    features: dict[str, float],
    polarity: Mapping[str, float],
    lemma_keys: Iterable[tuple[str, str, str]] | None = None,
) -> None:
    """Adds the per-relation polarity sums of the lemma features already in ``features``.

    ``lemma_keys``: (feature, relation, lemma) of those features in the order they were added, if
    the caller kept them (the target scorer does; parsing every feature name again costs more)."""
    if lemma_keys is None:
        lemma_keys = [(name, *parsed) for name in features if (parsed := relation_of_feature(name)) is not None]
    extra: dict[str, float] = {}
    for name, relation, lemma in lemma_keys:
        word_polarity = polarity.get(lemma)
        if word_polarity is None:
            continue
        value = features[name]
        signed = SIGNED + relation
        extra[signed] = extra.get(signed, 0.0) + value * word_polarity
        split = (POSITIVE if word_polarity > 0 else NEGATIVE) + relation
        extra[split] = extra.get(split, 0.0) + value * abs(word_polarity)
    features.update(extra)


def scoped_words(
    words: Iterable[tuple[str, str]], polarity: Mapping[str, float], sign: int, relations: frozenset[str],
    minimum: float = 0.5,
) -> list[str]:
    """Lemmas in the target's scope whose distilled polarity pulls the way of ``sign``, strongest
    first: the evidence for what the model weighed beyond the hand-written lexicon. ``words``:
    the target's (relation, lemma) word features (``TargetSentiment.words``)."""
    found: dict[str, float] = {}
    for relation, lemma in words:
        if relation not in relations:
            continue
        value = polarity.get(lemma, 0.0) * sign
        if value >= minimum:
            found[lemma] = max(value, found.get(lemma, 0.0))
    return sorted(found, key=lambda lemma: -found[lemma])
