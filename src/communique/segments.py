"""Variable-length segments (sentences, windows, targets) laid end to end in one array.

The numpy students score a whole document in a few array operations instead of one set per
sentence or target; these helpers keep each segment's computation from reading its neighbours.
"""

from __future__ import annotations

import numpy as np


def segment_starts(lengths: np.ndarray) -> np.ndarray:
    """Where each segment begins."""
    return np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)


def segment_rows(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])`` without a Python loop."""
    return np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts - segment_starts(lengths), lengths)


def convolve_in_place(
    previous: np.ndarray, same: np.ndarray, following: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """A width-3 convolution over segments: each row's ``same`` product plus the ``previous``
    product of the row before it and the ``following`` product of the row after it, counting a
    neighbour in another segment as zeros (as padding does in training).

    The sum is written into ``same``, which is returned, and the rows of ``previous`` and
    ``following`` that would cross a segment end are zeroed: callers pass scratch arrays, so the
    students make no copies or masks of their largest arrays."""
    if not len(same):
        return same
    previous[starts + lengths - 1] = 0.0
    following[starts] = 0.0
    same[1:] += previous[:-1]
    same[:-1] += following[1:]
    return same
