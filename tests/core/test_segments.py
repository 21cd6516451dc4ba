"""Segments laid end to end: each must be computed as if it were alone."""

from __future__ import annotations

import numpy as np

from communique.segments import convolved, segment_rows, segment_starts


def test_segment_rows_are_the_ranges_end_to_end() -> None:
    lengths = np.array([3, 1, 2])
    assert segment_starts(lengths).tolist() == [0, 3, 4]
    assert segment_rows(np.array([10, 0, 5]), lengths).tolist() == [10, 11, 12, 0, 5, 6]


def test_convolution_does_not_read_across_segment_ends() -> None:
    rng = np.random.default_rng(0)
    lengths = np.array([4, 1, 3])
    starts = segment_starts(lengths)
    previous, same, following = (rng.normal(size=(8, 2)) for _ in range(3))
    together = convolved(previous, same, following, starts, lengths)
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        part = slice(start, start + length)
        alone = convolved(previous[part], same[part], following[part], np.array([0]), np.array([length]))
        assert np.allclose(together[part], alone)
    # Inside a segment a row sums its neighbours' products; at its ends only the inner neighbour's.
    assert np.allclose(together[1], same[1] + previous[0] + following[2])
    assert np.allclose(together[4], same[4])
    assert np.allclose(together[5], same[5] + following[6])
