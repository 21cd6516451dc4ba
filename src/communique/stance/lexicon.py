"""The polarity lexicon: cue lemmas with signed strength, and the words that modify them.

Kept as data so analysts can add the vocabulary of their own beat; a user file is merged over the
shipped one (same cue -> the user's entry wins).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..datafiles import DataFileError, package_data, read_yaml, validate, yaml_records

SHIPPED = package_data("communique.stance", "data/polarity.yaml")


class CueGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=-1.0, le=1.0)
    cues: list[str] = Field(min_length=1)
    # Names a situation (conflict, crisis), not an actor's conduct: not held against its parties.
    situational: bool = False

    @field_validator("cues")
    @classmethod
    def _non_empty(cls, cues: list[str]) -> list[str]:
        cleaned = [" ".join(str(c).lower().split()) for c in cues]
        if any(not c for c in cleaned):
            raise ValueError("empty cue")
        return cleaned


class ModifierGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["negator", "intensifier", "diminisher"]
    factor: float = Field(ge=-2.0, le=3.0)
    cues: list[str] = Field(min_length=1)


@dataclass
class Lexicon:
    """Single-word cues are looked up by lemma in a dict; longer ones go to a PhraseMatcher."""

    words: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, float] = field(default_factory=dict)
    modifiers: dict[str, tuple[str, float]] = field(default_factory=dict)
    situational: set[str] = field(default_factory=set)

    def add(self, cue: str, score: float, situational: bool = False) -> None:
        if situational:
            self.situational.add(cue)
        else:
            self.situational.discard(cue)
        # spaCy splits hyphenated words, so those must be matched as phrases too.
        (self.phrases if (" " in cue or "-" in cue) else self.words)[cue] = score

    def polarity(self, lemma: str) -> float:
        return self.words.get(lemma, 0.0)

    def single_words(self) -> dict[str, float]:
        """Cue words with a polarity (zero-score overrides excluded), e.g. for word-count tone."""
        return {word: score for word, score in self.words.items() if score}


def _merge_file(lexicon: Lexicon, path: Path) -> None:
    data = read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict):
        raise DataFileError(path, None, None, "expected a mapping with 'cues' and/or 'modifiers'")
    seen: set[str] = set()
    for group, record in validate(yaml_records(path, "cues"), CueGroup):
        for cue in group.cues:
            if cue in seen:
                raise DataFileError(record.path, record.line, "cues", f"cue {cue!r} listed twice")
            seen.add(cue)
            lexicon.add(cue, group.score, group.situational)
    for modifier, _ in validate(yaml_records(path, "modifiers"), ModifierGroup):
        for cue in modifier.cues:
            lexicon.modifiers[" ".join(cue.lower().split())] = (modifier.kind, modifier.factor)


def load_lexicon(user_files: Iterable[Path] = ()) -> Lexicon:
    lexicon = Lexicon()
    _merge_file(lexicon, SHIPPED)
    for path in user_files:
        _merge_file(lexicon, Path(path))
    return lexicon
