"""Stance: the author's stance toward each actor, built from target-dependent sentiment per mention."""

from . import stage as stage
