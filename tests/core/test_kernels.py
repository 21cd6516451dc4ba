"""The compiled pooling loops against plain numpy, one segment at a time."""

from __future__ import annotations

import numpy as np
import pytest

from communique.kernels import (
    add_label_rows,
    convolve_segments,
    feature_positions,
    key_slots,
    pool_segments,
    pool_targets,
    score_segments,
)
from communique.segments import segment_starts

WIDTH = 8


def _max_and_attention(hidden: np.ndarray, attention_w: np.ndarray, attention_b: float) -> np.ndarray:
    scores = hidden @ attention_w + attention_b
    weights = np.exp(scores - scores.max())
    return np.concatenate([hidden.max(axis=0), (weights / weights.sum()) @ hidden])


def _reference_targets(
    shared: np.ndarray,
    row_starts: list[int],
    lengths: list[int],
    ids: np.ndarray,
    flags: np.ndarray,
    specific: np.ndarray,
    attention_w: np.ndarray,
    attention_b: float,
) -> np.ndarray:
    rows = []
    at = 0
    for start, length in zip(row_starts, lengths, strict=True):
        own_ids, own_flags = ids[at : at + length], flags[at : at + length]
        pre = shared[start : start + length] + specific[1][own_ids]
        pre[1:] += specific[0][own_ids[:-1]]
        pre[:-1] += specific[2][own_ids[1:]]
        hidden = np.maximum(pre, 0.0)
        pooled = _max_and_attention(hidden, attention_w, attention_b)
        mean = hidden[own_flags == 1].mean(axis=0) if own_flags.any() else np.zeros(WIDTH)
        rows.append(np.concatenate([pooled[:WIDTH], mean, pooled[WIDTH:]]))
        at += length
    return np.array(rows)


def test_pool_targets_matches_numpy_per_target() -> None:
    rng = np.random.default_rng(7)
    shared = rng.normal(size=(20, WIDTH)).astype(np.float32)
    specific = rng.normal(size=(3, 5, WIDTH)).astype(np.float32)
    attention_w = rng.normal(size=WIDTH).astype(np.float32)
    # Two targets share the first window; a one-token window; a target with no own rows.
    row_starts, lengths = [0, 0, 9, 10], [9, 9, 1, 10]
    ids = rng.integers(0, 5, size=sum(lengths)).astype(np.int64)
    flags = np.zeros(sum(lengths), dtype=np.int64)
    flags[[2, 3, 9 + 5, 18]] = 1
    out = np.full((4, 3 * WIDTH), np.nan, dtype=np.float32)
    pool_targets(shared, np.array(row_starts), np.array(lengths), ids, flags, specific, attention_w, 0.25, out)
    expected = _reference_targets(shared, row_starts, lengths, ids, flags, specific, attention_w, 0.25)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    assert not out[3, WIDTH : 2 * WIDTH].any(), "a target with no own rows has a zero mean"


def test_pool_targets_reads_shared_rows_through_a_strided_view() -> None:
    """The student passes the middle third of a wider product: rows are not contiguous."""
    rng = np.random.default_rng(3)
    wide = rng.normal(size=(6, 3 * WIDTH)).astype(np.float32)
    view = np.split(wide, 3, axis=1)[1]
    specific = rng.normal(size=(3, 2, WIDTH)).astype(np.float32)
    attention_w = rng.normal(size=WIDTH).astype(np.float32)
    ids, flags = np.zeros(6, dtype=np.int64), np.ones(6, dtype=np.int64)
    out = np.zeros((1, 3 * WIDTH), dtype=np.float32)
    pool_targets(view, np.array([0]), np.array([6]), ids, flags, specific, attention_w, 0.0, out)
    expected = _reference_targets(np.ascontiguousarray(view), [0], [6], ids, flags, specific, attention_w, 0.0)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_pool_segments_matches_numpy_per_segment() -> None:
    rng = np.random.default_rng(11)
    hidden = np.abs(rng.normal(size=(12, WIDTH))).astype(np.float32)
    attention_w = rng.normal(size=WIDTH).astype(np.float32)
    starts, lengths = np.array([0, 5, 6]), np.array([5, 1, 6])
    out = np.zeros((3, 2 * WIDTH), dtype=np.float32)
    pool_segments(hidden, starts, lengths, attention_w, -0.5, out)
    expected = [_max_and_attention(hidden[s : s + n], attention_w, -0.5) for s, n in zip(starts, lengths, strict=True)]
    np.testing.assert_allclose(out, np.array(expected), rtol=1e-5, atol=1e-6)


def test_attention_is_stable_for_large_scores() -> None:
    """Scores are shifted by their maximum before exp: no overflow to inf or nan."""
    hidden = np.array([[1000.0] * WIDTH, [0.0] * WIDTH], dtype=np.float32)
    out = np.zeros((1, 2 * WIDTH), dtype=np.float32)
    pool_segments(hidden, np.array([0]), np.array([2]), np.ones(WIDTH, dtype=np.float32), 0.0, out)
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out[0, WIDTH:], 1000.0)


def test_inconsistent_inputs_raise_instead_of_reading_past_arrays() -> None:
    hidden = np.zeros((4, WIDTH), dtype=np.float32)
    out = np.zeros((1, 2 * WIDTH), dtype=np.float32)
    attention_w = np.zeros(WIDTH, dtype=np.float32)
    with pytest.raises(ValueError, match="outside"):
        pool_segments(hidden, np.array([2]), np.array([3]), attention_w, 0.0, out)
    specific = np.zeros((3, 2, WIDTH), dtype=np.float32)
    target_out = np.zeros((1, 3 * WIDTH), dtype=np.float32)
    with pytest.raises(ValueError, match="specific table"):
        pool_targets(
            hidden,
            np.array([0]),
            np.array([4]),
            np.array([0, 1, 2, 0]),
            np.zeros(4, dtype=np.int64),
            specific,
            attention_w,
            0.0,
            target_out,
        )
    with pytest.raises(ValueError, match="cover"):
        pool_targets(
            hidden,
            np.array([0]),
            np.array([4]),
            np.array([0, 1]),
            np.zeros(2, dtype=np.int64),
            specific,
            attention_w,
            0.0,
            target_out,
        )


def _convolved(products: np.ndarray, bias: np.ndarray, lengths: np.ndarray, relu: bool) -> np.ndarray:
    out = np.full((len(products), products.shape[1] // 3), np.nan, dtype=np.float32)
    convolve_segments(products, bias, segment_starts(lengths), lengths, out, relu=relu, accumulate=False)
    return out


def test_convolution_does_not_read_across_segment_ends() -> None:
    rng = np.random.default_rng(0)
    lengths = np.array([4, 1, 3])
    products = rng.normal(size=(8, 3 * WIDTH)).astype(np.float32)
    bias = rng.normal(size=WIDTH).astype(np.float32)
    previous, same, following = np.split(products, 3, axis=1)
    together = _convolved(products, bias, lengths, relu=False)
    for start, length in zip(segment_starts(lengths).tolist(), lengths.tolist(), strict=True):
        part = slice(start, start + length)
        alone = _convolved(np.ascontiguousarray(products[part]), bias, np.array([length]), relu=False)
        np.testing.assert_allclose(together[part], alone, rtol=1e-6)
    # Inside a segment a row sums its neighbours' products; at its ends only the inner neighbour's.
    np.testing.assert_allclose(together[1], same[1] + bias + previous[0] + following[2], rtol=1e-5)
    np.testing.assert_allclose(together[4], same[4] + bias, rtol=1e-6)
    np.testing.assert_allclose(together[5], same[5] + bias + following[6], rtol=1e-5)


def test_convolution_relu_and_accumulate() -> None:
    rng = np.random.default_rng(5)
    lengths = np.array([3, 2])
    products = rng.normal(size=(5, 3 * WIDTH)).astype(np.float32)
    bias = np.zeros(WIDTH, dtype=np.float32)
    plain = _convolved(products, bias, lengths, relu=False)
    rectified = _convolved(products, bias, lengths, relu=True)
    np.testing.assert_array_equal(rectified, np.maximum(plain, 0.0))
    assert (plain < 0).any(), "the test needs negative sums to rectify"
    out = np.ones((5, WIDTH), dtype=np.float32)
    convolve_segments(products, bias, segment_starts(lengths), lengths, out, relu=True, accumulate=True)
    np.testing.assert_allclose(out, 1.0 + rectified, rtol=1e-6)


def test_label_rows_add_each_tokens_table_rows() -> None:
    rng = np.random.default_rng(9)
    tag_rows, ent_rows, dep_rows = (rng.normal(size=(n, WIDTH)).astype(np.float32) for n in (4, 3, 5))
    number_row = rng.normal(size=WIDTH).astype(np.float32)
    tags, ents, deps = np.array([0, 3, 1]), np.array([2, 0, 0]), np.array([4, 4, 1])
    numbers = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    start = rng.normal(size=(3, WIDTH)).astype(np.float32)
    products = start.copy()
    add_label_rows(products, tags, ents, deps, numbers, tag_rows, ent_rows, dep_rows, number_row)
    expected = start + tag_rows[tags] + ent_rows[ents] + dep_rows[deps] + numbers[:, None] * number_row
    np.testing.assert_allclose(products, expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="outside its table"):
        add_label_rows(products, np.array([0, 9, 0]), ents, deps, numbers, tag_rows, ent_rows, dep_rows, number_row)


def test_key_slots_finds_every_key_when_they_collide() -> None:
    """Keys with the same low bits probe on to the next free slot; none is lost or duplicated."""
    keys = np.array([16 * k + 3 for k in range(5)], dtype=np.uint64)  # all land on slot 3 of 16
    slots = np.zeros(16, dtype=np.int64)
    key_slots(keys, slots)
    assert sorted(slots[slots > 0].tolist()) == [1, 2, 3, 4, 5]
    assert slots[3:8].tolist() == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="power of two"):
        key_slots(keys, np.zeros(12, dtype=np.int64))
    with pytest.raises(ValueError, match="power of two"):
        key_slots(keys, np.zeros(8, dtype=np.int64))


def test_feature_positions_refuses_inputs_it_would_read_past() -> None:
    table = np.zeros((3, 9), dtype=np.uint64)
    words = np.zeros(3, dtype=np.uint64)
    empty_u, empty_i = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    slots = np.zeros(2, dtype=np.int64)
    constants, lengths = np.arange(6, dtype=np.uint64), np.arange(4, dtype=np.uint64)

    def run(starts: list[int], ends: list[int], found_size: int) -> int:
        return feature_positions(
            table, words, np.array(starts), np.array(ends), empty_u, empty_u, empty_u, empty_u, empty_i,
            slots, constants, lengths, empty_u, empty_u, empty_u, empty_u, empty_u,
            np.zeros(found_size, dtype=np.int64), np.zeros(len(starts), dtype=np.int64),
            np.zeros(len(starts), dtype=np.int64),
        )  # fmt: skip

    assert run([0], [3], 40) == 0  # an empty model finds nothing
    with pytest.raises(ValueError, match="outside the tokens"):
        run([1], [4], 100)
    with pytest.raises(ValueError, match="too short"):
        run([0], [3], 10)


def test_score_segments_matches_the_logistic_and_the_smallest_pushing_ranks() -> None:
    rng = np.random.default_rng(13)
    values, squares = rng.normal(size=50), rng.random(50)
    ranks = rng.permutation(50).astype(np.int64)
    sentences = [np.sort(rng.choice(50, size=n, replace=False)).astype(np.int64) for n in (12, 0, 3, 30)]
    counts = np.array([len(s) for s in sentences], dtype=np.int64)
    probabilities = np.zeros(4)
    strongest = np.zeros((4, 5), dtype=np.int64)
    score_segments(np.concatenate(sentences), counts, values, squares, ranks, 20, 0.3, probabilities, strongest)
    for s, found in enumerate(sentences):
        norm = np.sqrt(squares[found].sum()) or 1.0
        assert probabilities[s] == pytest.approx(1.0 / (1.0 + np.exp(-(0.3 + values[found].sum() / norm))), abs=1e-12)
        pushing = np.sort(ranks[found][ranks[found] < 20])[:5].tolist()
        assert strongest[s].tolist() == pushing + [-1] * (5 - len(pushing))
    assert probabilities[1] == pytest.approx(1.0 / (1.0 + np.exp(-0.3))), "no features: the intercept alone"
    with pytest.raises(ValueError, match="outside the model"):
        score_segments(np.array([50]), np.array([1]), values, squares, ranks, 20, 0.0, np.zeros(1), strongest[:1])
