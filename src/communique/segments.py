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
