"""Readers that turn files, feeds and URLs into Documents."""

from .errors import BadInput, Failure
from .readers import ReadOptions, read_path, read_sources

__all__ = ["BadInput", "Failure", "ReadOptions", "read_path", "read_sources"]
