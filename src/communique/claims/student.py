"""A small convolutional check-worthiness model, distilled from the transformer, run in plain numpy.

The linear model misses claims whose evidence is spread over word order ("more than any other
country", "since the sanctions began"); the transformer catches them but costs about twice the
spaCy parse. This student reads each sentence at a small fraction of it. Per token it sees:
- a word vector distilled from the MiniLM claims model (a table lookup);
- spaCy's own contextual vector (``doc.tensor``, already computed by the parse);
- the fine POS tag, entity type and dependency label, and whether the token is number-like.

Two width-3 convolutions inside each sentence (the second added to the first), max and attention
pooling (a compiled loop, ``kernels.pool_segments``) and a linear layer give p(check-worthy). The
stage averages it with the linear model (weighted as chosen in training), whose features stay the
explanation. It runs once per document for all sentences. Trained by
``scripts/train_claims_student.py`` on the ClaimBuster sentences outside the held-out fifth plus
sentences the transformer labelled (model card ``data/MODEL_CARD.md``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..blas import one_blas_thread
from ..datafiles import package_data
from ..hashes import WordIndex
from ..kernels import add_label_rows, convolve_segments, pool_segments
from ..products import ProductRows
from ..segments import segment_rows, segment_starts
from .features import DocArrays

STUDENT_FILE = "data/claims-student.npz"
TENSOR_WIDTH = 96  # en_core_web_sm's tok2vec width; other pipelines get zeros there


@dataclass(frozen=True)
class TokenInput:
    """Integer and vector columns of a run of tokens (a sentence in training, a document at run time)."""

    rows: np.ndarray  # word-vector row (0: unknown word)
    tags: np.ndarray  # 0: unknown label
    ents: np.ndarray
    deps: np.ndarray
    numbers: np.ndarray  # 1.0 where the token is number-like
    tensor: np.ndarray  # len x TENSOR_WIDTH


@dataclass(frozen=True)
class Vocabularies:
    """String -> id maps for the columns; id 0 means "not seen in training"."""

    words: dict[str, int]
    tags: dict[str, int]
    ents: dict[str, int]
    deps: dict[str, int]
    # The same maps by string hash, to encode a document's tokens in one sorted search per column.
    indexes: tuple[WordIndex, WordIndex, WordIndex, WordIndex] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        columns = (self.words, self.tags, self.ents, self.deps)
        object.__setattr__(self, "indexes", tuple(WordIndex(list(ids), list(ids.values())) for ids in columns))

    @classmethod
    def build(cls, words: Sequence[str], tags: Sequence[str], ents: Sequence[str], deps: Sequence[str]) -> Vocabularies:
        def ids(names: Sequence[str]) -> dict[str, int]:
            return {name: i + 1 for i, name in enumerate(names)}

        return cls(ids(words), ids(tags), ids(ents), ids(deps))


def encode(arrays: DocArrays, tensor: np.ndarray, start: int, end: int, vocabularies: Vocabularies) -> TokenInput:
    """The columns of tokens ``start:end``; the training script builds its data with this too.

    A token's word row is its lower-cased form's, else its lower-cased lemma's, else 0."""
    hashes = arrays.hashes[start:end]
    word_index, tag_index, ent_index, dep_index = vocabularies.indexes
    rows = word_index.rows_of(hashes[:, 0])
    # The lemma is looked up lower-cased, which its hash is not: by string, for the few misses.
    missing = np.flatnonzero(rows == 0)
    if len(missing):
        words, lemmas = vocabularies.words, arrays.lemma
        rows[missing] = [words.get(lemmas[start + k], 0) for k in missing.tolist()]
    if tensor.ndim == 2 and tensor.shape[1] == TENSOR_WIDTH and tensor.shape[0] >= end:
        vectors = np.asarray(tensor[start:end], dtype=np.float32)
    else:
        vectors = np.zeros((end - start, TENSOR_WIDTH), dtype=np.float32)
    return TokenInput(
        rows=rows,
        tags=tag_index.rows_of(hashes[:, 2]),
        ents=ent_index.rows_of(hashes[:, 3]),
        deps=dep_index.rows_of(hashes[:, 4]),
        numbers=np.array(arrays.like_num[start:end], dtype=np.float32),
        tensor=vectors,
    )


class ClaimStudent:
    """The exported weights and a numpy forward pass (no PyTorch at run time)."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            weights = {name: data[name] for name in data.files}
        self.vocabularies = Vocabularies.build(
            *([str(x) for x in weights.pop(name)] for name in ("words", "tag_names", "ent_names", "dep_names"))
        )
        self.training: dict[str, Any] = json.loads(str(weights.pop("training")))
        # The decision threshold of the weighted average of this model and the linear one, and this
        # model's weight in it (both chosen in training on sentences neither model was fitted on).
        self.threshold = float(self.training["threshold"])
        self.weight = float(self.training.get("student_weight", 0.5))
        self.table = weights["table"].astype(np.float32)  # word vectors already projected
        self.tensor_w = weights["tensor_w"]
        self.tensor_b = weights["tensor_b"]
        self.tag_table = weights["tag_table"]
        self.ent_table = weights["ent_table"]
        self.dep_table = weights["dep_table"]
        # Per convolution, its matrices for the kernel positions side by side (in x 3 * out: previous,
        # same and next token) and a bias. A second convolution, if trained, reads the first one's
        # output and is added to it.
        self.convolutions = [
            (
                _float32(np.concatenate([weights[f"{name}_w"][:, :, k].T for k in range(3)], axis=1)),
                _float32(weights[f"{name}_b"]),
            )
            for name in ("conv", "conv2")
            if f"{name}_w" in weights
        ]
        self.attention_w = weights["attention_w"]
        self.attention_b = float(weights["attention_b"][0])
        self.attention_vector = np.ascontiguousarray(self.attention_w.reshape(-1), dtype=np.float32)
        self.out_w = weights["out_w"]
        self.out_b = weights["out_b"]
        first = self.convolutions[0][0]
        # The first convolution's product with the label embeddings (tag, entity, dependency) is a
        # small table per label: a lookup per token instead of part of the arithmetic.
        columns = (self.table, self.tensor_w.T, self.tag_table, self.ent_table, self.dep_table)
        edges = np.cumsum([0, *(table.shape[1] for table in columns)])
        rows_of = [first[edges[k] : edges[k + 1]] for k in range(len(columns))]
        # A word's product is looked up once computed (``ProductRows``); the spaCy vector's is per token.
        self.word_products = ProductRows(self.table, rows_of[0])
        self.tensor_products = rows_of[1]
        # The label columns' products: a row per tag, entity type and dependency, added per token.
        self.tag_products = _float32(self.tag_table @ rows_of[2])
        self.ent_products = _float32(self.ent_table @ rows_of[3])
        self.dep_products = _float32(self.dep_table @ rows_of[4])
        self.number_products = _float32(first[edges[-1]])
        self.hidden_width = first.shape[1] // 3

    def inputs(self, item: TokenInput) -> np.ndarray:
        """Token rows of the convolution's input, len x width (column order as in training). The
        run-time pass folds the lookups into the first convolution; a test checks both agree."""
        return np.concatenate(
            [
                self.table[item.rows],
                item.tensor @ self.tensor_w.T + self.tensor_b,
                self.tag_table[item.tags],
                self.ent_table[item.ents],
                self.dep_table[item.deps],
                item.numbers[:, None],
            ],
            axis=1,
        ).astype(np.float32)

    def scores(self, item: TokenInput, bounds: Sequence[tuple[int, int]], offset: int = 0) -> np.ndarray:
        """p(check-worthy) per sentence ``(start, end)`` (token indices, less ``offset`` into ``item``).

        Sentences must be sorted, non-empty and non-overlapping; the convolution never reads across
        a sentence boundary, so a sentence scores the same alone or inside its document."""
        if not bounds:
            return np.zeros(0)
        starts = np.array([s - offset for s, _ in bounds], dtype=np.int64)
        lengths = np.array([e - offset for _, e in bounds], dtype=np.int64) - starts
        # The sentences' tokens end to end; a token's neighbour across a sentence end counts as zeros.
        rows = segment_rows(starts, lengths)
        segments = segment_starts(lengths)
        products = self.word_products.rows(item.rows[rows])
        products += (item.tensor[rows] @ self.tensor_w.T + self.tensor_b) @ self.tensor_products
        add_label_rows(
            products,
            item.tags[rows],
            item.ents[rows],
            item.deps[rows],
            item.numbers[rows],
            self.tag_products,
            self.ent_products,
            self.dep_products,
            self.number_products,
        )
        hidden = np.empty((len(rows), self.hidden_width), dtype=np.float32)
        for layer, (stacked, bias) in enumerate(self.convolutions):
            if layer:
                products = hidden @ stacked
            # Each layer's ReLU output is added to the ones before it (the first one writes).
            convolve_segments(products, bias, segments, lengths, hidden, relu=True, accumulate=layer > 0)
        pooled = np.empty((len(bounds), 2 * hidden.shape[1]), dtype=np.float32)
        # Per sentence: max pooling and attention pooling, side by side (a compiled loop).
        pool_segments(hidden, segments, lengths, self.attention_vector, self.attention_b, pooled)
        logits = pooled @ self.out_w.T + self.out_b
        return np.asarray(1.0 / (1.0 + np.exp(logits[:, 0] - logits[:, 1])), dtype=np.float64)

    def document_scores(self, arrays: DocArrays, tensor: np.ndarray, bounds: Sequence[tuple[int, int]]) -> np.ndarray:
        """``scores`` for the sentences of one parsed document, encoded once."""
        if not bounds:
            return np.zeros(0)
        first, last = bounds[0][0], bounds[-1][1]
        with one_blas_thread():
            return self.scores(encode(arrays, tensor, first, last, self.vocabularies), bounds, offset=first)


def _float32(array: np.ndarray) -> np.ndarray:
    """The compiled loops read contiguous float32 arrays."""
    return np.ascontiguousarray(array, dtype=np.float32)


@dataclass(frozen=True)
class StudentVote:
    """The student's reading of one sentence, and how the stage weighs it."""

    probability: float
    threshold: float  # of the combined score
    weight: float  # the student's share of the combined score

    def combined(self, linear: float) -> float:
        return combined(linear, self.probability, self.weight)


def combined(linear: float, student: float, weight: float = 0.5) -> float:
    """The stage's score: a weighted average of the two models' probabilities."""
    return weight * student + (1.0 - weight) * linear


@lru_cache(maxsize=2)
def load_claim_student(path: str | None = None) -> ClaimStudent | None:
    """The shipped student once per process; None if the package was built without it."""
    file = Path(path) if path else package_data("communique.claims", STUDENT_FILE)
    return ClaimStudent(file) if file.is_file() else None
