"""Quotations: direct and reported speech with speakers resolved to actors."""

from . import stage as stage

__all__ = ["stage"]
