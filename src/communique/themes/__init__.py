"""Themes: a documented, user-extensible taxonomy matched by lemma and phrase patterns."""

from . import stage as stage

__all__ = ["stage"]
