"""Check-worthy claims: a small linear model scores every sentence; rules type the claims."""

from . import stage as stage

__all__ = ["stage"]
