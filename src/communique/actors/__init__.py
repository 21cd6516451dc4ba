"""Actors: resolve states, organs, organisations, regions and people to CAMEO-style codes."""

from . import stage as stage

__all__ = ["stage"]
