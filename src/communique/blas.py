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
from typing import Any

import numpy  # noqa: F401  (loads the BLAS library the controller must find)
from threadpoolctl import ThreadpoolController


@lru_cache(maxsize=1)
def _blas_libraries() -> tuple[Any, ...]:
    """Finding the loaded BLAS libraries takes milliseconds: once per process. Their controllers
    are then called directly: ``ThreadpoolController.limit`` looks them up again on every call,
    which cost 0.2 ms, twice per document."""
    return tuple(ThreadpoolController().select(user_api="blas").lib_controllers)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    libraries = _blas_libraries()
    previous = [library.get_num_threads() for library in libraries]
    for library, threads in zip(libraries, previous, strict=True):
        if threads != 1:
            library.set_num_threads(1)
    try:
        yield
    finally:
        for library, threads in zip(libraries, previous, strict=True):
            if threads != 1:
                library.set_num_threads(threads)
