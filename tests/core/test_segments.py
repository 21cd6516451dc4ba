"""Segments laid end to end: each must be computed as if it were alone."""

from __future__ import annotations

import numpy as np

from communique.segments import segment_rows, segment_starts


def test_segment_rows_are_the_ranges_end_to_end() -> None:
    lengths = np.array([3, 1, 2])
    assert segment_starts(lengths).tolist() == [0, 3, 4]
    assert segment_rows(np.array([10, 0, 5]), lengths).tolist() == [10, 11, 12, 0, 5, 6]
