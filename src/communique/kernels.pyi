"""Type stub of the compiled ``kernels`` module (kernels.pyx)."""

import numpy as np

def pool_targets(
    shared: np.ndarray,
    row_starts: np.ndarray,
    lengths: np.ndarray,
    ids: np.ndarray,
    flags: np.ndarray,
    specific: np.ndarray,
    attention_w: np.ndarray,
    attention_b: float,
    out: np.ndarray,
) -> None: ...
def pool_segments(
    hidden: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    attention_w: np.ndarray,
    attention_b: float,
    out: np.ndarray,
) -> None: ...
def convolve_segments(
    products: np.ndarray,
    bias: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    out: np.ndarray,
    relu: bool,
    accumulate: bool,
) -> None: ...
def add_label_rows(
    products: np.ndarray,
    tags: np.ndarray,
    ents: np.ndarray,
    deps: np.ndarray,
    numbers: np.ndarray,
    tag_rows: np.ndarray,
    ent_rows: np.ndarray,
    dep_rows: np.ndarray,
    number_row: np.ndarray,
) -> None: ...
def key_slots(keys: np.ndarray, slots: np.ndarray) -> None: ...
def feature_positions(
    table: np.ndarray,
    lemmas: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    keys: np.ndarray,
    kinds: np.ndarray,
    firsts: np.ndarray,
    seconds: np.ndarray,
    positions: np.ndarray,
    slots: np.ndarray,
    constants: np.ndarray,
    length_ids: np.ndarray,
    dependency_ids: np.ndarray,
    subject_ids: np.ndarray,
    reporting_ids: np.ndarray,
    opinion_ids: np.ndarray,
    past_tags: np.ndarray,
    found: np.ndarray,
    counts: np.ndarray,
    last_words: np.ndarray,
) -> int: ...
def score_segments(
    found: np.ndarray,
    counts: np.ndarray,
    values: np.ndarray,
    squares: np.ndarray,
    ranks: np.ndarray,
    pushing_count: int,
    intercept: float,
    probabilities: np.ndarray,
    strongest: np.ndarray,
) -> None: ...
