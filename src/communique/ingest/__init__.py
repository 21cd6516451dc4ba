"""Readers that turn files, feeds and URLs into Documents."""

from . import csvfile, feeds  # noqa: F401  (register the CSV and RSS/Atom readers)
from .errors import BadInput, Failure
from .readers import ReadOptions, read_path, read_sources

__all__ = ["BadInput", "Failure", "ReadOptions", "read_path", "read_sources"]
