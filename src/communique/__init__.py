"""communique: explainable event, stance, claim and theme coding for news on international affairs."""

from .analyzer import Analyzer
from .config import Settings
from .model import (
    Actor,
    ActorMention,
    Analysis,
    Claim,
    Document,
    Event,
    Quote,
    Sentence,
    Stance,
    Theme,
    Tone,
)

__all__ = [
    "Actor",
    "ActorMention",
    "Analysis",
    "Analyzer",
    "Claim",
    "Document",
    "Event",
    "Quote",
    "Sentence",
    "Settings",
    "Stance",
    "Theme",
    "Tone",
]
__version__ = "0.1.0"
