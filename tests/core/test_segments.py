"""Segments laid end to end: each must be computed as if it were alone."""

from __future__ import annotations

import numpy as np

from communique.segments import convolve_in_place, segment_rows, segment_starts


def test_segment_rows_are_the_ranges_end_to_end() -> None:
    lengths = np.array([3, 1, 2])
    assert segment_starts(lengths).tolist() == [0, 3, 4]
    assert segment_rows(np.array([10, 0, 5]), lengths).tolist() == [10, 11, 12, 0, 5, 6]


def _convolved(previous: np.ndarray, same: np.ndarray, following: np.ndarray, starts: np.ndarray,
               lengths: np.ndarray) -> np.ndarray:
    return convolve_in_place(previous.copy(), same.copy(), following.copy(), starts, lengths)


def test_convolution_does_not_read_across_segment_ends() -> None:
    rng = np.random.default_rng(0)
    lengths = np.array([4, 1, 3])
    starts = segment_starts(lengths)
    previous, same, following = (rng.normal(size=(8, 2)) for _ in range(3))
    together = _convolved(previous, same, following, starts, lengths)
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        part = slice(start, start + length)
        alone = _convolved(previous[part], same[part], following[part], np.array([0]), np.array([length]))
        assert np.allclose(together[part], alone)
    # Inside a segment a row sums its neighbours' products; at its ends only the inner neighbour's.
    assert np.allclose(together[1], same[1] + previous[0] + following[2])
    assert np.allclose(together[4], same[4])
    assert np.allclose(together[5], same[5] + following[6])


def test_convolution_writes_into_its_scratch_arrays() -> None:
    """The students rely on it: no copy of their largest arrays."""
    lengths = np.array([2, 2])
    previous, same, following = (np.ones((4, 1)) for _ in range(3))
    result = convolve_in_place(previous, same, following, segment_starts(lengths), lengths)
    assert result is same
    assert same.ravel().tolist() == [2.0, 2.0, 2.0, 2.0]
    assert previous.ravel().tolist() == [1.0, 0.0, 1.0, 0.0]
    assert following.ravel().tolist() == [0.0, 1.0, 0.0, 1.0]
