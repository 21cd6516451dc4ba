"""A small convolutional stance model, distilled from the transformer, run in plain numpy.

The transformer backend is the accurate one but costs several times the spaCy parse. This student
reads the same target-in-sentence and costs a few per cent of it: per token it sees a word vector
distilled from the MiniLM stance model (a lookup), spaCy's own contextual vector (``doc.tensor``,
already computed by the parse), the token's scope relation to the target from the dependency rules
(``DocCues.scope_relations``), its distance to the target and its polarity-lexicon value. One
convolution, max / target / attention pooling and a linear layer give three class probabilities.
It was trained on NewsMTSC train plus mentions the transformer labelled
(``scripts/train_stance_student.py``, model card ``data/STUDENT_CARD.md``).

``encode`` is shared with the training script, so the weights always see inputs built as they
were learned. Numbers are checked against the PyTorch original by a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from spacy.strings import get_string_id

from ..datafiles import package_data

if TYPE_CHECKING:
    from .target import Cue

STUDENT_FILE = "data/stance-student.npz"
WINDOW = 64  # tokens of the sentence around the target the student reads
MAX_OFFSET = 15  # distances to the target beyond this share one position
TENSOR_WIDTH = 96  # en_core_web_sm's tok2vec width; other pipelines get zeros there


@dataclass(frozen=True)
class StudentInput:
    """One target in its sentence window, as integer and float arrays (one row per token)."""

    rows: np.ndarray  # word-vector row (0: unknown word)
    relations: np.ndarray  # scope relation id (0: the target itself)
    in_target: np.ndarray  # 1 on the target's tokens
    offsets: np.ndarray  # clipped distance to the target, shifted to be >= 0
    cue_values: np.ndarray  # polarity-lexicon value after negation / intensifiers, else 0
    tensor: np.ndarray  # spaCy's contextual vectors, len x TENSOR_WIDTH


def window(sentence_start: int, sentence_end: int, start: int, end: int) -> tuple[int, int]:
    """At most WINDOW tokens of the sentence, centred on the target."""
    if sentence_end - sentence_start <= WINDOW:
        return sentence_start, sentence_end
    centre = (start + end) // 2
    first = max(sentence_start, centre - WINDOW // 2)
    last = min(sentence_end, first + WINDOW)
    return max(sentence_start, last - WINDOW), last


def encode(
    word_rows: Mapping[int, int],
    lower_ids: list[int],
    lemma_ids: list[int],
    tensor: np.ndarray,
    bounds: tuple[int, int],
    target: tuple[int, int],
    relation: Mapping[int, str],
    cue_values: Mapping[int, float],
    relation_ids: Mapping[str, int],
) -> StudentInput:
    """The student's input for one target: token ``bounds`` of the window, ``target`` token span."""
    first, last = bounds
    start, end = target
    positions = range(first, last)
    rows = [word_rows.get(lower_ids[k], word_rows.get(lemma_ids[k], 0)) for k in positions]
    relations = [0 if start <= k < end else relation_ids.get(relation.get(k, "context"), 0) for k in positions]
    in_target = [1 if start <= k < end else 0 for k in positions]
    offsets = [
        max(-MAX_OFFSET, min(MAX_OFFSET, k - start if k < start else (k - end + 1 if k >= end else 0))) + MAX_OFFSET
        for k in positions
    ]
    values = [cue_values.get(k, 0.0) for k in positions]
    if tensor.ndim == 2 and tensor.shape[1] == TENSOR_WIDTH and tensor.shape[0] >= last:
        vectors = np.asarray(tensor[first:last], dtype=np.float32)
    else:
        vectors = np.zeros((last - first, TENSOR_WIDTH), dtype=np.float32)
    return StudentInput(
        np.array(rows, dtype=np.int64),
        np.array(relations, dtype=np.int64),
        np.array(in_target, dtype=np.int64),
        np.array(offsets, dtype=np.int64),
        np.array(values, dtype=np.float32),
        vectors,
    )


def word_rows(words: list[str]) -> dict[int, int]:
    """Rows by spaCy string hash, the form DocCues keeps token texts in; row 0 is "unknown"."""
    return {get_string_id(word): i + 1 for i, word in enumerate(words)}


def relation_ids(relations: tuple[str, ...]) -> dict[str, int]:
    """Relation ids from 1; 0 marks the target's own tokens."""
    return {name: i + 1 for i, name in enumerate(relations)}


def cue_values(cues: list[tuple[Cue, float]]) -> dict[int, float]:
    """Each token of a lexicon cue carries the cue's value (after negation and intensifiers)."""
    return {k: value for cue, value in cues for k in range(cue.start, cue.end)}


class StudentModel:
    """The exported weights and a numpy forward pass (no PyTorch at run time)."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            weights = {name: data[name] for name in data.files}
        words = [str(w) for w in weights.pop("words")]
        self.relations: tuple[str, ...] = tuple(str(r) for r in weights.pop("relations"))
        self.relation_ids = relation_ids(self.relations)
        self.word_rows = word_rows(words)
        self.table = weights["table"].astype(np.float32)  # word vectors already projected
        self.tensor_w = weights["tensor_w"]
        self.tensor_b = weights["tensor_b"]
        self.relation_table = weights["relation_table"]
        self.offset_table = weights["offset_table"]
        self.target_table = weights["target_table"]
        conv_w = weights["conv_w"]  # out x in x 3
        self.conv_w = np.concatenate([conv_w[:, :, k] for k in range(conv_w.shape[2])], axis=1).T.copy()
        self.conv_b = weights["conv_b"]
        self.attention_w = weights["attention_w"]
        self.attention_b = float(weights["attention_b"][0])
        self.out_w = weights["out_w"]
        self.out_b = weights["out_b"]

    def probabilities(self, item: StudentInput) -> np.ndarray:
        """Negative, neutral, positive."""
        x = np.concatenate(
            [
                self.table[item.rows],
                item.tensor @ self.tensor_w.T + self.tensor_b,
                self.relation_table[item.relations],
                self.offset_table[item.offsets],
                self.target_table[item.in_target],
                item.cue_values[:, None],
            ],
            axis=1,
        )
        width = len(x)
        padded = np.zeros((width + 2, x.shape[1]), dtype=np.float32)
        padded[1:-1] = x
        stacked = np.concatenate([padded[0:width], padded[1 : width + 1], padded[2 : width + 2]], axis=1)
        hidden = np.maximum(stacked @ self.conv_w + self.conv_b, 0.0)
        in_target = item.in_target.astype(bool)
        target = hidden[in_target].mean(axis=0) if in_target.any() else np.zeros(hidden.shape[1], dtype=np.float32)
        scores = hidden @ self.attention_w + self.attention_b
        weights = np.exp(scores - scores.max())
        attended = (weights / weights.sum()) @ hidden
        logits = self.out_w @ np.concatenate([hidden.max(axis=0), target, attended]) + self.out_b
        exps = np.exp(logits - logits.max())
        return np.asarray(exps / exps.sum(), dtype=np.float64)


@lru_cache(maxsize=2)
def load_student(path: str | None = None) -> StudentModel | None:
    """The shipped student once per process; None if the package was built without it."""
    file = Path(path) if path else package_data("communique.stance", STUDENT_FILE)
    return StudentModel(file) if file.is_file() else None
