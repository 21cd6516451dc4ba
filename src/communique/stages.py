"""Registry of analysis stages, in the order they run.

Each stage lives in its own subpackage and registers a factory here with ``@register_stage``.
A stage is called as ``stage(parsed_doc, analysis)`` and adds its part to the analysis; later
stages may read what earlier ones added (events read actor mentions, for instance). A stage that
holds something a forked process cannot inherit (PyTorch's thread pool) sets ``fork_safe = False``,
and parallel runs then spawn their workers.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Protocol

from spacy.tokens import Doc

from .config import Settings
from .model import Analysis

# Fixed order: each stage may depend only on those before it.
PIPELINE: tuple[str, ...] = ("actors", "events", "stance", "claims", "themes", "quotes", "tone")


class Stage(Protocol):
    name: str

    def __call__(self, parsed: Doc, analysis: Analysis) -> None: ...


StageFactory = Callable[[Settings], Stage]
_FACTORIES: dict[str, StageFactory] = {}


def register_stage(name: str) -> Callable[[StageFactory], StageFactory]:
    if name not in PIPELINE:
        raise ValueError(f"unknown stage {name!r}; add it to PIPELINE in its place")

    def decorate(factory: StageFactory) -> StageFactory:
        _FACTORIES[name] = factory
        return factory

    return decorate


def available_stages() -> list[str]:
    """Stages whose modules exist, in pipeline order; a stage not built yet is simply absent."""
    for name in PIPELINE:
        if name not in _FACTORIES and importlib.util.find_spec(f"communique.{name}") is not None:
            importlib.import_module(f"communique.{name}")
    return [name for name in PIPELINE if name in _FACTORIES]


def build_stages(settings: Settings) -> list[Stage]:
    names = available_stages()
    if settings.stages is not None:
        unknown = [s for s in settings.stages if s not in PIPELINE]
        if unknown:
            raise ValueError(f"unknown stage(s): {', '.join(unknown)}; known: {', '.join(PIPELINE)}")
        names = [n for n in names if n in settings.stages]
    return [_FACTORIES[name](settings) for name in names]
