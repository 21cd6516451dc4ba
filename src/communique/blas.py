"""Run the numpy students' matrix products on one BLAS thread.

Their products are small (a sentence window by a hundred columns). OpenBLAS still splits them
across all cores, and waking the threads costs more than the product. Worse, when the cores are
busy (worker processes, other jobs) the threads wait on each other and a stage ran three times
slower in measurements. The limit is scoped, so a host application's own numpy keeps its threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from threadpoolctl import ThreadpoolController


@lru_cache(maxsize=1)
def _controller() -> ThreadpoolController:
    """Finding the loaded BLAS libraries takes milliseconds: once per process."""
    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    with _controller().limit(limits=1, user_api="blas"):
        yield
