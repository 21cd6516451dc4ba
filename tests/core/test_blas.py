"""The students' BLAS limit: one thread inside, the host's setting restored after."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_info

from communique.blas import _blas_libraries, one_blas_thread


def _blas_threads() -> list[int]:
    """Threads of the BLAS libraries loaded when the students first ran (numpy's own among them).
    A library another test loads later (PyTorch's) is not theirs to limit."""
    limited = {library.filepath for library in _blas_libraries()}
    return [int(pool["num_threads"]) for pool in threadpool_info() if pool["filepath"] in limited]


def test_limit_is_one_thread_inside_and_restored_after() -> None:
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy's BLAS is loaded
    before = _blas_threads()
    assert before, "numpy should bring a BLAS library"
    with one_blas_thread():
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before
