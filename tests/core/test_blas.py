"""The students' BLAS limit: one thread inside, the host's setting restored after."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_info

from communique.blas import one_blas_thread


def _blas_threads() -> list[int]:
    return [int(pool["num_threads"]) for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_limit_is_one_thread_inside_and_restored_after() -> None:
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy's BLAS is loaded
    before = _blas_threads()
    assert before, "numpy should bring a BLAS library"
    with one_blas_thread():
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before
