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
