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

from ..datafiles import package_data
from ..hashes import WordIndex
from ..kernels import convolve_segments, pool_targets
from ..products import ProductRows
from ..segments import segment_rows, segment_starts

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
class Windows:
    """Sentence windows laid end to end: what the student's shared half reads for a document."""

    rows: np.ndarray
    tensor: np.ndarray
    cue_values: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, windows: Sequence[WindowInput] | Windows) -> Windows:
        if isinstance(windows, Windows):
            return windows
        return cls(
            np.concatenate([w.rows for w in windows]),
            np.concatenate([w.tensor for w in windows]),
            np.concatenate([w.cue_values for w in windows]),
            np.array([len(w.rows) for w in windows], dtype=np.int64),
        )


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
    doc_rows: np.ndarray, tensor: np.ndarray, bounds: tuple[int, int], cue_values: Mapping[int, float]
) -> WindowInput:
    """One window (the training script's unit). ``doc_rows``: every token's word-vector row
    (``WordIndex.token_rows``); ``cue_values``: by token index, those outside the window unread."""
    first, last = bounds
    values = np.zeros(len(doc_rows), dtype=np.float32)
    for k, value in cue_values.items():
        if first <= k < last:
            values[k] = value
    batch = encode_windows(doc_rows, tensor, [bounds], values)
    return WindowInput(batch.rows, batch.tensor, batch.cue_values)


def encode_windows(
    doc_rows: np.ndarray, tensor: np.ndarray, bounds: Sequence[tuple[int, int]], doc_cue_values: np.ndarray
) -> Windows:
    """``encode_window`` for several windows of one document at once. ``doc_cue_values``: each
    token's cue value, as its own sentence's cues give it."""
    firsts = np.array([first for first, _ in bounds], dtype=np.int64)
    lengths = np.array([last - first for first, last in bounds], dtype=np.int64)
    rows = segment_rows(firsts, lengths)
    last = int((firsts + lengths).max(initial=0))
    if tensor.ndim == 2 and tensor.shape[1] == TENSOR_WIDTH and tensor.shape[0] >= last:
        vectors = np.asarray(tensor[rows], dtype=np.float32)
    else:
        vectors = np.zeros((len(rows), TENSOR_WIDTH), dtype=np.float32)
    return Windows(np.asarray(doc_rows[rows], dtype=np.int64), vectors, doc_cue_values[rows], lengths)


def encode_target(
    bounds: tuple[int, int], target: tuple[int, int], relation: Mapping[int, str], relation_ids: Mapping[str, int]
) -> TargetPart:
    return encode_targets([bounds], [target], [relation], relation_ids)


def encode_targets(
    bounds: Sequence[tuple[int, int]],
    targets: Sequence[tuple[int, int]],
    relations: Sequence[Mapping[int, str]],
    relation_ids: Mapping[str, int],
) -> TargetPart:
    """The parts of several targets (each in its window ``bounds``), laid end to end."""
    firsts = np.array([first for first, _ in bounds], dtype=np.int64)
    sizes = np.array([last - first for first, last in bounds], dtype=np.int64)
    # A mention may run past its sentence's end (a misplaced boundary): only its part inside counts.
    begins = np.minimum(np.maximum(np.array([t[0] for t in targets], dtype=np.int64) - firsts, 0), sizes)
    ends = np.minimum(np.maximum(np.array([t[1] for t in targets], dtype=np.int64) - firsts, begins), sizes)
    starts = segment_starts(sizes)
    local = segment_rows(np.zeros(len(sizes), dtype=np.int64), sizes)  # position inside the window
    begin, end = np.repeat(begins, sizes), np.repeat(ends, sizes)
    in_target = ((local >= begin) & (local < end)).astype(np.int64)
    ids = np.full(len(local), relation_ids.get("context", 0), dtype=np.int64)
    # Every target's (token, relation) pairs in one flat list each, then placed in one step.
    tokens: list[int] = []
    names: list[str] = []
    for relation in relations:
        tokens.extend(relation)
        names.extend(relation.values())
    counts = np.array([len(relation) for relation in relations], dtype=np.int64)
    token_at = np.array(tokens, dtype=np.int64)
    first_at = np.repeat(firsts, counts)
    inside = (token_at >= first_at) & (token_at < first_at + np.repeat(sizes, counts))
    places = (np.repeat(starts, counts) + token_at - first_at)[inside]
    get = relation_ids.get
    ids[places] = np.array([get(name, 0) for name in names], dtype=np.int64)[inside]
    ids[in_target == 1] = 0
    # Distance to the nearer end of the target: -begin .. -1 before it, 0 on it, 1 .. after it.
    distance = np.where(local < begin, local - begin, np.where(local >= end, local - end + 1, 0))
    offsets = np.minimum(np.maximum(distance, -MAX_OFFSET), MAX_OFFSET) + MAX_OFFSET
    return TargetPart(ids, in_target, offsets)


def relation_ids(relations: tuple[str, ...]) -> dict[str, int]:
    """Relation ids from 1; 0 marks the target's own tokens."""
    return {name: i + 1 for i, name in enumerate(relations)}


def cue_values(cues: list[tuple[Cue, float]]) -> dict[int, float]:
    """Each token of a lexicon cue carries the cue's value (after negation and intensifiers)."""
    return {k: value for cue, value in cues for k in range(cue.start, cue.end)}


class StudentModel:
    """The exported weights and a numpy forward pass (no PyTorch at run time).

    The convolution is split in two, and both halves run once per document, not once per target:

    * the words, spaCy vectors and cue values are the same for every target in a sentence window,
      so their part is one product over the tokens of all the document's windows laid end to end;
    * the relation, distance and target columns take few values, so their product with each kernel
      position is a table computed at load (one row per combination); per target it is a lookup.

    The per-target rest (the specific half of the convolution, ReLU, pooling) is a compiled loop
    (``kernels.pool_targets``): each target's rows are made and pooled while still in cache.
    """

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            weights = {name: data[name] for name in data.files}
        words = [str(w) for w in weights.pop("words")]
        self.relations: tuple[str, ...] = tuple(str(r) for r in weights.pop("relations"))
        self.relation_ids = relation_ids(self.relations)
        self.words = WordIndex(words)
        self.table = weights["table"].astype(np.float32)  # word vectors already projected
        self.tensor_w = weights["tensor_w"]
        self.tensor_b = weights["tensor_b"]
        self.relation_table = weights["relation_table"]
        self.offset_table = weights["offset_table"]
        self.target_table = weights["target_table"]
        conv_w = weights["conv_w"]  # out x in x 3
        # Rows k * width + column: kernel position k (0: previous token, 1: same, 2: next).
        self.conv_w = np.concatenate([conv_w[:, :, k] for k in range(conv_w.shape[2])], axis=1).T.copy()
        self.conv_b = np.ascontiguousarray(weights["conv_b"], dtype=np.float32)
        self.attention_w = weights["attention_w"]
        self.attention_b = float(weights["attention_b"][0])
        self.attention_vector = np.ascontiguousarray(self.attention_w.reshape(-1), dtype=np.float32)
        self.out_w = weights["out_w"]
        self.out_b = weights["out_b"]
        # Input columns: words | spaCy vectors | relation | distance | target flag | cue value.
        shared_width = self.table.shape[1] + self.tensor_w.shape[0]
        specific_width = self.relation_table.shape[1] + self.offset_table.shape[1] + self.target_table.shape[1]
        width = shared_width + specific_width + 1
        shared = np.r_[0:shared_width, width - 1]
        specific = np.r_[shared_width : shared_width + specific_width]
        # Shared columns times the three kernel positions side by side: len x (3 * hidden).
        shared_w = np.concatenate([self.conv_w[k * width + shared] for k in range(3)], axis=1)
        # The same product split by column group: a word's part is looked up once computed
        # (``ProductRows``), the spaCy vectors' and the cue value's are computed per token.
        words_width = self.table.shape[1]
        self.word_products = ProductRows(self.table, shared_w[:words_width])
        self.tensor_products = shared_w[words_width:shared_width]
        self.cue_products = shared_w[shared_width]
        # Every (relation, distance, flag) combination times each kernel position: 3 x combinations x hidden.
        self.offset_count = self.offset_table.shape[0]
        grid = (len(self.relation_table), self.offset_count, len(self.target_table))
        combos = np.concatenate(
            [
                np.broadcast_to(self.relation_table[:, None, None, :], (*grid, self.relation_table.shape[1])),
                np.broadcast_to(self.offset_table[None, :, None, :], (*grid, self.offset_table.shape[1])),
                np.broadcast_to(self.target_table[None, None, :, :], (*grid, self.target_table.shape[1])),
            ],
            axis=3,
        ).reshape(-1, specific_width)
        self.specific = np.ascontiguousarray(
            np.stack([combos @ self.conv_w[k * width + specific] for k in range(3)]), dtype=np.float32
        )

    def specific_ids(self, target: TargetPart) -> np.ndarray:
        """Row of each token's (relation, distance, flag) combination in ``self.specific``."""
        return (target.relations * self.offset_count + target.offsets) * len(self.target_table) + target.in_target

    def window_parts(self, windows: Sequence[WindowInput] | Windows) -> np.ndarray:
        """The convolution's pre-activation from the shared columns (bias included), for the
        windows' tokens laid end to end; a neighbour across a window's end counts as zeros."""
        batch = Windows.of(windows)
        lengths = batch.lengths
        products = self.word_products.rows(batch.rows)
        products += (batch.tensor @ self.tensor_w.T + self.tensor_b) @ self.tensor_products
        products += batch.cue_values[:, None] * self.cue_products
        shared = np.empty((len(products), self.conv_b.shape[0]), dtype=np.float32)
        convolve_segments(products, self.conv_b, segment_starts(lengths), lengths, shared, relu=False, accumulate=False)
        return shared

    def score(self, windows: Sequence[WindowInput] | Windows, which: Sequence[int], targets: TargetPart) -> np.ndarray:
        """Probabilities (negative, neutral, positive), one row per target. ``which``: each
        target's window in ``windows``; ``targets``: their parts end to end (``encode_targets``),
        each as long as its window."""
        batch = Windows.of(windows)
        lengths = batch.lengths
        shared = self.window_parts(batch)
        chosen = np.asarray(which, dtype=np.int64)
        pooled = np.empty((len(chosen), 3 * shared.shape[1]), dtype=np.float32)
        # Per target: the target half of the convolution, ReLU, and max / target / attention pooling.
        pool_targets(
            shared,
            np.ascontiguousarray(segment_starts(lengths)[chosen]),
            np.ascontiguousarray(lengths[chosen]),
            self.specific_ids(targets),
            np.ascontiguousarray(targets.in_target, dtype=np.int64),
            self.specific,
            self.attention_vector,
            self.attention_b,
            pooled,
        )
        logits = pooled @ self.out_w.T + self.out_b
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        return np.asarray(exps / exps.sum(axis=1, keepdims=True), dtype=np.float64)

    def probabilities(self, item: StudentInput) -> np.ndarray:
        """Negative, neutral, positive for one target."""
        return np.asarray(self.score([item.window], [0], item.target)[0])


@lru_cache(maxsize=2)
def load_student(path: str | None = None) -> StudentModel | None:
    """The shipped student once per process; None if the package was built without it."""
    file = Path(path) if path else package_data("communique.stance", STUDENT_FILE)
    return StudentModel(file) if file.is_file() else None
