"""The theme taxonomy: shipped data/themes.yaml merged with user files, validated, compiled to matchers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
from spacy.language import Language
from spacy.matcher import PhraseMatcher

from ..datafiles import DataFileError, Record, package_data, validate, yaml_records

THEME_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
WEAK_WEIGHT = 0.5
DASHES = ("-", "\u2013")  # hyphen and en dash are tokenized alike but spelled differently


class ThemeEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    description: str
    terms: list[str] = Field(default_factory=list)
    weak: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not THEME_ID.match(value):
            raise ValueError("must be lower_snake_case, optionally parent.child")
        return value

    @field_validator("terms", "weak", "phrases", "names")
    @classmethod
    def _no_blank(cls, values: list[str]) -> list[str]:
        if any(not str(v).strip() for v in values):
            raise ValueError("empty pattern")
        return [str(v).strip() for v in values]

    @property
    def parent(self) -> str | None:
        return self.id.split(".", 1)[0] if "." in self.id else None


def load_entries(user_files: tuple[Path, ...] = ()) -> dict[str, ThemeEntry]:
    """Shipped entries, then user entries in order; a user entry with an existing id replaces it."""
    entries: dict[str, ThemeEntry] = {}
    where: dict[str, Record] = {}
    for path in (package_data("communique.themes", "data/themes.yaml"), *user_files):
        for entry, record in validate(yaml_records(path), ThemeEntry):
            entries[entry.id] = entry
            where[entry.id] = record
    for theme_id, entry in entries.items():
        if entry.parent is not None and entry.parent not in entries:
            record = where[theme_id]
            raise DataFileError(record.path, record.line, "id", f"parent theme {entry.parent!r} is not defined")
        if not (entry.terms or entry.weak or entry.phrases or entry.names):
            record = where[theme_id]
            raise DataFileError(record.path, record.line, "terms", "a theme needs at least one pattern")
    return entries


def _variants(phrase: str) -> set[str]:
    """The phrase, its last word pluralised, and each dash spelling."""
    forms = {phrase}
    head, _, last = phrase.rpartition(" ")
    if head and last.isalpha():
        plural = (
            last[:-1] + "ies"
            if last.endswith("y") and last[-2:-1] not in "aeiou"
            else (last + "es" if last.endswith(("s", "x", "ch", "sh")) else last + "s")
        )
        forms.add(f"{head} {plural}")
    for form in list(forms):
        for dash in DASHES:
            forms.add(form.replace("-", dash))
    return forms


@dataclass
class CompiledTaxonomy:
    """Single-word terms as a lemma dict; phrases and names as two PhraseMatchers (LOWER, ORTH)."""

    entries: dict[str, ThemeEntry]
    words: dict[str, list[tuple[str, float]]]  # lower-cased word/lemma -> [(theme id, weight)]
    phrases: PhraseMatcher
    names: PhraseMatcher
    # Match ids resolved here, not through the doc's StringStore, which may belong to another pipeline.
    match_names: dict[int, str]

    @classmethod
    def build(cls, nlp: Language, entries: dict[str, ThemeEntry]) -> CompiledTaxonomy:
        words: dict[str, list[tuple[str, float]]] = {}
        phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        names = PhraseMatcher(nlp.vocab, attr="ORTH")
        match_names: dict[int, str] = {}
        for theme_id, entry in entries.items():
            match_names[nlp.vocab.strings.add(theme_id)] = theme_id
            phrase_forms: set[str] = set()
            for weight, terms in ((1.0, entry.terms), (WEAK_WEIGHT, entry.weak)):
                for term in terms:
                    term = term.lower()
                    if term.isalnum():
                        words.setdefault(term, []).append((theme_id, weight))
                    else:  # hyphenated or spaced: the tokenizer splits it, so match it as a phrase
                        phrase_forms |= _variants(term)
            for phrase in entry.phrases:
                phrase_forms |= _variants(phrase.lower())
            if phrase_forms:
                phrases.add(theme_id, [nlp.make_doc(p) for p in sorted(phrase_forms)])
            if entry.names:
                names.add(theme_id, [nlp.make_doc(n) for n in entry.names])
        return cls(entries, words, phrases, names, match_names)
