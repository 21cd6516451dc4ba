"""A small convolutional stance model, distilled from the transformer, run in plain numpy.

The transformer backend is the accurate one but costs several times the spaCy parse. This student
reads the same target-in-sentence at a small fraction of it: per token it sees a word vector
distilled from the MiniLM stance model (a lookup), spaCy's own contextual vector (``doc.tensor``,
already computed by the parse), the token's scope relation to the target from the dependency rules
(``DocCues.scope_relations``), its distance to the target and its polarity-lexicon value. One
convolution, max / target / attention pooling and a linear layer give three class probabilities.
It was trained on NewsMTSC train plus mentions the transformer labelled
(``scripts/train_stance_student.py``; model card ``data/MODEL_CARD.md``).

``encode_window``/``encode_target`` are shared with the training script, so the weights always see
inputs built as they were learned; a test checks the numpy pass against PyTorch's own layers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
class WindowInput:
    """What every target of one sentence window shares: its words, spaCy vectors and cue values."""

    rows: np.ndarray  # word-vector row (0: unknown word)
    tensor: np.ndarray  # spaCy's contextual vectors, len x TENSOR_WIDTH
    cue_values: np.ndarray  # polarity-lexicon value after negation / intensifiers, else 0


@dataclass(frozen=True)
class TargetPart:
    """What is particular to one target in its window."""

    relations: np.ndarray  # scope relation id (0: the target itself)
    in_target: np.ndarray  # 1 on the target's tokens
    offsets: np.ndarray  # clipped distance to the target, shifted to be >= 0


@dataclass(frozen=True)
class StudentInput:
    """One target in its sentence window (the training script's unit)."""

    window: WindowInput
    target: TargetPart


def window(sentence_start: int, sentence_end: int, start: int, end: int) -> tuple[int, int]:
    """At most WINDOW tokens of the sentence, centred on the target."""
    if sentence_end - sentence_start <= WINDOW:
        return sentence_start, sentence_end
    centre = (start + end) // 2
    first = max(sentence_start, centre - WINDOW // 2)
    last = min(sentence_end, first + WINDOW)
    return max(sentence_start, last - WINDOW), last


def encode_window(
    word_rows: Mapping[int, int],
    lower_ids: Sequence[int],
    lemma_ids: Sequence[int],
    tensor: np.ndarray,
    bounds: tuple[int, int],
    cue_values: Mapping[int, float],
) -> WindowInput:
    first, last = bounds
    rows = [word_rows.get(lower_ids[k], word_rows.get(lemma_ids[k], 0)) for k in range(first, last)]
    values = np.zeros(last - first, dtype=np.float32)
    for k, value in cue_values.items():
        if first <= k < last:
            values[k - first] = value
    if tensor.ndim == 2 and tensor.shape[1] == TENSOR_WIDTH and tensor.shape[0] >= last:
        vectors = np.asarray(tensor[first:last], dtype=np.float32)
    else:
        vectors = np.zeros((last - first, TENSOR_WIDTH), dtype=np.float32)
    return WindowInput(np.array(rows, dtype=np.int64), vectors, values)


def encode_target(
    bounds: tuple[int, int], target: tuple[int, int], relation: Mapping[int, str], relation_ids: Mapping[str, int]
) -> TargetPart:
    first, last = bounds
    size = last - first
    # A mention may run past its sentence's end (a misplaced boundary): only its part inside counts.
    begin = min(max(target[0] - first, 0), size)
    end = min(max(target[1] - first, begin), size)
    relations = np.full(size, relation_ids.get("context", 0), dtype=np.int64)
    for k, name in relation.items():
        if first <= k < last:
            relations[k - first] = relation_ids.get(name, 0)
    relations[begin:end] = 0
    in_target = np.zeros(size, dtype=np.int64)
    in_target[begin:end] = 1
    # Distance to the nearer end of the target: -begin .. -1, 0 on it, 1 .. after it.
    distance = np.concatenate(
        [np.arange(-begin, 0), np.zeros(end - begin, dtype=np.int64), np.arange(1, size - end + 1)]
    )
    offsets = np.minimum(np.maximum(distance, -MAX_OFFSET), MAX_OFFSET) + MAX_OFFSET
    return TargetPart(relations, in_target, offsets)


def word_rows(words: list[str]) -> dict[int, int]:
    """Rows by spaCy string hash, the form DocCues keeps token texts in; row 0 is "unknown"."""
    return {get_string_id(word): i + 1 for i, word in enumerate(words)}


def relation_ids(relations: tuple[str, ...]) -> dict[str, int]:
    """Relation ids from 1; 0 marks the target's own tokens."""
    return {name: i + 1 for i, name in enumerate(relations)}


def cue_values(cues: list[tuple[Cue, float]]) -> dict[int, float]:
    """Each token of a lexicon cue carries the cue's value (after negation and intensifiers)."""
    return {k: value for cue, value in cues for k in range(cue.start, cue.end)}


def _shifted(x: np.ndarray) -> np.ndarray:
    """Rows t-1, t, t+1 side by side, zeros beyond the ends: a width-3 convolution becomes one matmul."""
    width = len(x)
    padded = np.zeros((width + 2, x.shape[1]), dtype=np.float32)
    padded[1:-1] = x
    return np.concatenate([padded[0:width], padded[1 : width + 1], padded[2 : width + 2]], axis=1)


class StudentModel:
    """The exported weights and a numpy forward pass (no PyTorch at run time).

    The convolution is split in two. The words, spaCy vectors and cue values are the same for every
    target in a sentence, so their part (``window_part``) is computed once per sentence window; the
    relation, distance and target columns are computed per target, for all targets of a document
    in one batch.
    """

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
        # Input columns: words | spaCy vectors | relation | distance | target flag | cue value.
        shared_width = self.table.shape[1] + self.tensor_w.shape[0]
        self.specific_width = (
            self.relation_table.shape[1] + self.offset_table.shape[1] + self.target_table.shape[1]
        )
        width = shared_width + self.specific_width + 1
        shared = np.r_[0:shared_width, width - 1]
        specific = np.r_[shared_width : shared_width + self.specific_width]
        self.shared_w = np.concatenate([self.conv_w[k * width + shared] for k in range(3)])
        self.specific_w = np.concatenate([self.conv_w[k * width + specific] for k in range(3)])

    def window_part(self, item: WindowInput) -> np.ndarray:
        """The convolution's pre-activation from the shared columns (bias included), len x hidden."""
        x = np.concatenate(
            [self.table[item.rows], item.tensor @ self.tensor_w.T + self.tensor_b, item.cue_values[:, None]], axis=1
        )
        return np.asarray(_shifted(x) @ self.shared_w + self.conv_b, dtype=np.float32)

    def batch(self, shared: Sequence[np.ndarray], targets: Sequence[TargetPart]) -> np.ndarray:
        """Probabilities (negative, neutral, positive), one row per target, in one set of array
        operations over targets padded to one length (padding is masked out everywhere)."""
        count = len(targets)
        lengths = np.array([len(t.relations) for t in targets])
        longest = int(lengths.max())
        relations = np.zeros((count, longest), dtype=np.int64)
        offsets = np.zeros((count, longest), dtype=np.int64)
        flags = np.zeros((count, longest), dtype=np.int64)
        shared_pre = np.zeros((count, longest, self.conv_b.shape[0]), dtype=np.float32)
        for i, (target, window_pre) in enumerate(zip(targets, shared, strict=True)):
            n = lengths[i]
            relations[i, :n] = target.relations
            offsets[i, :n] = target.offsets
            flags[i, :n] = target.in_target
            shared_pre[i, :n] = window_pre
        mask = (np.arange(longest)[None, :] < lengths[:, None])[:, :, None]
        specific = np.zeros((count, longest + 2, self.specific_width), dtype=np.float32)
        specific[:, 1:-1] = (
            np.concatenate(
                [self.relation_table[relations], self.offset_table[offsets], self.target_table[flags]], axis=2
            )
            * mask
        )
        stacked = np.concatenate([specific[:, :-2], specific[:, 1:-1], specific[:, 2:]], axis=2)
        # After the ReLU every real value is >= 0, so zeroed padding never wins the max.
        hidden = np.maximum(stacked @ self.specific_w + shared_pre, 0.0) * mask
        in_target = flags[:, :, None].astype(np.float32)
        target_mean = (hidden * in_target).sum(axis=1) / np.maximum(in_target.sum(axis=1), 1.0)
        scores = np.where(mask[:, :, 0], hidden @ self.attention_w + self.attention_b, -np.inf)
        weights = np.exp(scores - scores.max(axis=1, keepdims=True))
        weights /= weights.sum(axis=1, keepdims=True)
        attended = np.einsum("nl,nlh->nh", weights, hidden)
        logits = np.concatenate([hidden.max(axis=1), target_mean, attended], axis=1) @ self.out_w.T + self.out_b
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        return np.asarray(exps / exps.sum(axis=1, keepdims=True), dtype=np.float64)

    def probabilities(self, item: StudentInput) -> np.ndarray:
        """Negative, neutral, positive for one target."""
        return np.asarray(self.batch([self.window_part(item.window)], [item.target])[0])


@lru_cache(maxsize=2)
def load_student(path: str | None = None) -> StudentModel | None:
    """The shipped student once per process; None if the package was built without it."""
    file = Path(path) if path else package_data("communique.stance", STUDENT_FILE)
    return StudentModel(file) if file.is_file() else None
