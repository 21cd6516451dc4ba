"""The event lexicon: YAML entries mapping lemmas (and constraints on their dependents) to CAMEO codes.

Data lives in ``data/lexicon.yaml`` (entries, speech verbs, frames, recode tables) and
``data/classes.yaml`` (synonym classes referenced as ``@name``). A user file passed with
``--lexicon`` may hold ``entries``, ``classes`` and ``frames``; an item with the same id/name
replaces the shipped one. Everything is resolved once into lemma-keyed dicts so coding a token
is a dict lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..datafiles import DataFileError, Record, package_data, read_yaml, validate
from .ontology import is_cameo_code

DEFAULT_VERB_SOURCE = ("subject",)
DEFAULT_VERB_TARGET = ("object", "dative", "prep:with", "prep:between", "prep:against", "prep:on", "prep:to",
                       "prep:into",
                       "prep:toward", "prep:towards", "prep:at", "prep:from", "prep:over")
DEFAULT_NOUN_SOURCE = ("poss", "modifier", "prep:by", "prep:from", "governor")
DEFAULT_NOUN_TARGET = ("prep:of", "prep:against", "prep:with", "prep:on", "prep:to", "prep:for", "prep:toward",
                       "prep:towards", "prep:into", "governor-object")
ROLE_NAMES = {"subject", "object", "dative", "poss", "modifier", "governor", "governor-object", "object-owner",
              "clause-subject", "object-prep"}


def _check_roles(roles: list[str]) -> list[str]:
    for role in roles:
        if role not in ROLE_NAMES and not role.startswith("prep:"):
            raise ValueError(f"unknown role {role!r}; use one of {sorted(ROLE_NAMES)} or prep:<preposition>")
    return roles


class EntrySpec(BaseModel):
    """One lexicon entry as written in YAML."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    code: str
    verbs: list[str] = Field(default_factory=list)
    nouns: list[str] = Field(default_factory=list)
    object: list[str] = Field(default_factory=list)
    xcomp: list[str] = Field(default_factory=list)
    prep: list[str] = Field(default_factory=list)
    particle: list[str] = Field(default_factory=list)
    modifier: list[str] = Field(default_factory=list)
    subject: list[str] = Field(default_factory=list)
    source: list[str] | None = None
    target: list[str] | None = None
    symmetric: bool = False
    joint_code: str | None = None
    confidence: float = Field(default=0.8, ge=0.0, le=1.0)
    note: str | None = None

    @field_validator("verbs", "nouns", "object", "xcomp", "prep", "particle", "modifier", "subject", mode="before")
    @classmethod
    def _yaml_booleans(cls, values: Any) -> Any:
        """YAML 1.1 reads bare on/off/yes/no as booleans; in a lemma list they are words."""
        if isinstance(values, list):
            words = {True: "on", False: "off"}
            return [words[v] if isinstance(v, bool) else v for v in values]
        return values

    @field_validator("code", "joint_code")
    @classmethod
    def _known_code(cls, code: str | None) -> str | None:
        if code is not None and not is_cameo_code(code):
            raise ValueError(f"not a CAMEO event code: {code!r} (quote codes: \"0xx\")")
        return code

    @field_validator("source", "target")
    @classmethod
    def _roles(cls, roles: list[str] | None) -> list[str] | None:
        return None if roles is None else _check_roles(roles)


class ClassSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    lemmas: list[str]


class FrameSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    lemmas: list[str]
    modality: str
    modality_by_lemma: dict[str, str] = Field(default_factory=dict)
    recode: str
    target_from: Literal["wrapped", "wrapped_subject"] = "wrapped"


@dataclass(frozen=True)
class Entry:
    """A resolved entry: classes expanded to lemma sets, default roles filled in."""

    id: str
    code: str
    kind: Literal["verb", "noun"]
    object: frozenset[str]
    xcomp: frozenset[str]
    prep: frozenset[str]
    particle: frozenset[str]
    modifier: frozenset[str]
    subject: frozenset[str]
    source: tuple[str, ...]
    target: tuple[str, ...]
    symmetric: bool
    confidence: float
    order: int
    joint_code: str | None = None

    @property
    def specificity(self) -> int:
        return sum(bool(c) for c in (self.object, self.xcomp, self.prep, self.particle, self.modifier, self.subject))


@dataclass(frozen=True)
class Frame:
    id: str
    modality: str
    modality_by_lemma: dict[str, str]
    recode: dict[str, str]
    target_from: str

    def recode_code(self, code: str) -> str | None:
        """New CAMEO code for a wrapped event (longest prefix wins); None means drop the event."""
        for length in range(len(code), 1, -1):
            action = self.recode.get(code[:length])
            if action is not None:
                return None if action == "drop" else code if action == "keep" else action
        return code


@dataclass
class Lexicon:
    verbs: dict[str, list[Entry]] = field(default_factory=dict)
    nouns: dict[str, list[Entry]] = field(default_factory=dict)
    frames: dict[str, Frame] = field(default_factory=dict)  # keyed by lemma
    frame_by_id: dict[str, Frame] = field(default_factory=dict)
    speech: frozenset[str] = frozenset()
    entries: list[Entry] = field(default_factory=list)

    def candidates(self, lemma: str, kind: str) -> list[Entry]:
        return (self.verbs if kind == "verb" else self.nouns).get(lemma, [])


def _records(data: object, path: Path, key: str) -> list[Record]:
    if not isinstance(data, dict):
        raise DataFileError(path, None, None, "expected a mapping with 'entries', 'classes' or 'frames'")
    items = data.get(key) or []
    if not isinstance(items, list):
        raise DataFileError(path, None, key, "expected a list")
    records = []
    for item in items:
        if not isinstance(item, dict):
            raise DataFileError(path, None, key, f"expected a mapping, got {item!r}")
        line = int(item.pop("__line__", 0))
        records.append(Record(_without_lines(item), str(path), line))  # type: ignore[arg-type]
    return records


def _without_lines(value: object) -> object:
    """The YAML loader tags every mapping with its line; nested ones must not reach validation."""
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


def _expand(values: Iterable[str], classes: dict[str, set[str]], path: str, line: int) -> frozenset[str]:
    out: set[str] = set()
    for value in values:
        value = str(value).strip().lower()
        if value.startswith("@"):
            if value[1:] not in classes:
                raise DataFileError(path, line, None, f"unknown synonym class {value!r}")
            out |= classes[value[1:]]
        elif value:
            out.add(value)
    return frozenset(out)


def _resolve_classes(specs: dict[str, ClassSpec]) -> dict[str, set[str]]:
    resolved: dict[str, set[str]] = {}

    def resolve(name: str, seen: tuple[str, ...]) -> set[str]:
        if name in resolved:
            return resolved[name]
        if name in seen:
            raise ValueError(f"synonym class cycle: {' -> '.join((*seen, name))}")
        lemmas: set[str] = set()
        for lemma in specs[name].lemmas:
            lemma = str(lemma).strip().lower()
            if lemma.startswith("@"):
                if lemma[1:] not in specs:
                    raise ValueError(f"class {name!r} includes unknown class {lemma!r}")
                lemmas |= resolve(lemma[1:], (*seen, name))
            else:
                lemmas.add(lemma)
        resolved[name] = lemmas
        return lemmas

    for name in specs:
        resolve(name, ())
    return resolved


def load_lexicon(user_files: Sequence[Path] = ()) -> Lexicon:
    """Shipped lexicon and classes, with user files merged over them (same id/name replaces)."""
    main_path = package_data("communique.events", "data/lexicon.yaml")
    class_path = package_data("communique.events", "data/classes.yaml")
    main = read_yaml(main_path)
    entry_specs: dict[str, tuple[EntrySpec, Record]] = {}
    class_specs: dict[str, ClassSpec] = {}
    frame_specs: dict[str, FrameSpec] = {}
    for class_spec, _ in validate(_records(read_yaml(class_path), class_path, "classes"), ClassSpec):
        class_specs[class_spec.name] = class_spec
    for path in (main_path, *user_files):
        data = main if path == main_path else read_yaml(path)
        for cspec, _ in validate(_records(data, Path(path), "classes"), ClassSpec):
            class_specs[cspec.name] = cspec
        for espec, record in validate(_records(data, Path(path), "entries"), EntrySpec):
            if not espec.verbs and not espec.nouns:
                raise DataFileError(record.path, record.line, "verbs", "an entry needs verbs or nouns")
            entry_specs[espec.id] = (espec, record)
        for fspec, _ in validate(_records(data, Path(path), "frames"), FrameSpec):
            frame_specs[fspec.id] = fspec
    try:
        classes = _resolve_classes(class_specs)
    except ValueError as exc:
        raise DataFileError(class_path, None, "classes", str(exc)) from None

    lexicon = Lexicon(speech=frozenset(str(s).lower() for s in main.get("speech", [])))
    recode_tables: dict[str, dict[str, str]] = {
        name: {str(k): str(v) for k, v in (table or {}).items() if k != "__line__"}
        for name, table in (main.get("recode") or {}).items()
        if name != "__line__"
    }
    for order, (spec, record) in enumerate(entry_specs.values()):
        shared = {
            "object": _expand(spec.object, classes, record.path, record.line),
            "xcomp": _expand(spec.xcomp, classes, record.path, record.line),
            "prep": _expand(spec.prep, classes, record.path, record.line),
            "particle": _expand(spec.particle, classes, record.path, record.line),
            "modifier": _expand(spec.modifier, classes, record.path, record.line),
            "subject": _expand(spec.subject, classes, record.path, record.line),
        }
        variants: tuple[tuple[Literal["verb", "noun"], list[str], dict[str, list[Entry]], tuple[str, ...],
                              tuple[str, ...]], ...] = (
            ("verb", spec.verbs, lexicon.verbs, DEFAULT_VERB_SOURCE, DEFAULT_VERB_TARGET),
            ("noun", spec.nouns, lexicon.nouns, DEFAULT_NOUN_SOURCE, DEFAULT_NOUN_TARGET),
        )
        for kind, lemmas, index, source, target in variants:
            if not lemmas:
                continue
            entry = Entry(
                id=spec.id, code=spec.code, kind=kind,
                source=tuple(spec.source) if spec.source is not None else source,
                target=tuple(spec.target) if spec.target is not None else target,
                symmetric=spec.symmetric, confidence=spec.confidence, order=order, joint_code=spec.joint_code,
                **shared,
            )
            lexicon.entries.append(entry)
            for lemma in _expand(lemmas, classes, record.path, record.line):
                index.setdefault(lemma, []).append(entry)
    for candidates in (*lexicon.verbs.values(), *lexicon.nouns.values()):
        candidates.sort(key=lambda e: (-e.specificity, e.order))
    for fspec in frame_specs.values():
        if fspec.recode not in recode_tables:
            raise DataFileError(main_path, None, "frames", f"frame {fspec.id!r}: unknown recode table {fspec.recode!r}")
        frame = Frame(fspec.id, fspec.modality, fspec.modality_by_lemma, recode_tables[fspec.recode],
                      fspec.target_from)
        lexicon.frame_by_id[frame.id] = frame
        for lemma in fspec.lemmas:
            lexicon.frames.setdefault(str(lemma).lower(), frame)
    return lexicon
