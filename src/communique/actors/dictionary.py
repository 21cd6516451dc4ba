"""The actor dictionary: every string we can match, with what it resolves to.

Built once per stage from the shipped data files (generated ISO table, curated YAML/TSV) and the
user's ``--actors`` files, which are merged over the shipped ones: a user entry whose name
matches a shipped entry (case-insensitively) replaces every shipped entry of that name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..datafiles import DataFileError, Record, package_data, tsv_records, validate, yaml_records
from ..model import ActorKind

PACKAGE = "communique.actors"

# The CAMEO-style sector codes we emit; documented in data/README.md (a test keeps the two in step).
SECTORS: dict[str, str] = {
    "GOV": "government, executive",
    "MIL": "military",
    "COP": "police, law enforcement",
    "JUD": "judiciary, courts, prosecutors",
    "LEG": "legislature",
    "SPY": "intelligence services",
    "REB": "rebels, militants, armed non-state groups",
    "INS": "insurgents",
    "OPP": "political opposition, out-of-office figures",
    "PTY": "political parties",
    "ELI": "elites, former officials",
    "BUS": "business, investors",
    "MED": "media, journalists",
    "EDU": "education, academics, students",
    "CVL": "civilians, protesters, the public",
    "LAB": "labour, workers, unions",
    "REF": "refugees, displaced people, migrants",
    "HLH": "health workers",
    "NGO": "non-governmental organisations",
    "HRI": "human-rights groups",
    "REL": "religious figures and bodies",
    "CRM": "criminals",
    "AGR": "farmers, agriculture",
    "ENV": "environmental groups",
}

# Non-ISO country-level codes (Kosovo has no ISO 3166-1 code; XKX is the common user-assigned one).
EXTRA_COUNTRIES = {"XKX": "Kosovo"}

ORG_PREFIXES = ("IGO", "NGO")

_CODE = re.compile(r"^[A-Z0-9]{2,12}$")


@dataclass(frozen=True)
class Role:
    """One dated role of a person (a people.tsv row or a dated user entry)."""

    code: str
    country: str | None
    sector: str | None
    title: str
    start: dt.date | None
    end: dt.date | None
    source: str

    def active(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class Entry:
    """A resolvable thing: a country, capital, organisation, region, role noun, person or group."""

    key: str
    name: str
    code: str
    kind: ActorKind
    method: str
    country: str | None = None
    sector: str | None = None
    confidence: float = 1.0
    proper: bool = True  # must start with a capital letter in text (Turkey vs turkey)
    weak: bool = False  # a role term that is also an ordinary noun ("regime", "press")
    needs_country: bool = False  # a role too vague to report without a country ("people")
    roles: list[Role] = field(default_factory=list)  # persons and dated groups

    def resolve(self, day: dt.date | None) -> tuple[str, str | None, str | None, str, float]:
        """(code, country, sector, method, confidence) for a document date; undated -> latest role."""
        if not self.roles:
            return self.code, self.country, self.sector, self.method, self.confidence
        if day is None:
            role = max(self.roles, key=lambda r: r.start or dt.date.min)
            return role.code, role.country, role.sector, f"{role.source}:latest", self.confidence * 0.9
        active = [r for r in self.roles if r.active(day)]
        if active:
            role = min(
                active,
                key=lambda r: (_SECTOR_RANK.get(r.sector or "", 9), -(r.start or dt.date.min).toordinal()),
            )
            return role.code, role.country, role.sector, f"{role.source}:{role.start or ''}", self.confidence
        # Out of office on that date: CAMEO codes former officials as elites of their country.
        past = [r for r in self.roles if r.start is None or r.start <= day] or self.roles
        role = max(past, key=lambda r: r.start or dt.date.min)
        country = role.country
        code = f"{country}ELI" if country and country not in ORG_PREFIXES else role.code
        return code, country, "ELI", f"{role.source}:out-of-office", self.confidence * 0.7


# When one person holds several roles at once, the more state-like one wins.
_SECTOR_RANK = {"GOV": 0, "MIL": 1, "SPY": 2, "JUD": 3, "LEG": 4}


def split_code(code: str) -> tuple[str | None, str | None]:
    """(country, sector): 'PAKMIL' -> ('PAK', 'MIL'); 'IGOUNO' -> ('IGO', 'UNO'); 'MIL' -> (None, 'MIL')."""
    if code in SECTORS:
        return None, code
    head, tail = code[:3], code[3:] or None
    return head, tail


class EntrySpec(BaseModel):
    """One entry of a shipped or user YAML actor file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    code: str
    kind: ActorKind
    aliases: list[str] = Field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    proper: bool | None = None
    title: str | None = None
    country: str | None = Field(default=None, description="For a region inside one state: that state.")

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not _CODE.match(value):
            raise ValueError(f"not an actor code (2-12 capital letters/digits): {value!r}")
        return value

    @field_validator("aliases", mode="before")
    @classmethod
    def _alias_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [a.strip() for a in value.split("|") if a.strip()]
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> EntrySpec:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class RoleGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sector: str
    terms: list[str]
    confidence: float = 1.0
    weak: bool = False
    needs_country: bool = False

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str) -> str:
        if value not in SECTORS:
            raise ValueError(f"unknown sector {value!r}; known: {', '.join(SECTORS)}")
        return value


class CountryExtra(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    name: str | None = None
    aliases: list[str] = Field(default_factory=list)
    adj: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    drop: list[str] = Field(default_factory=list)


class PersonRow(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1)
    aliases: str = ""
    country: str
    sector: str = ""
    role: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _blank_date(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("country")
    @classmethod
    def _country_shape(cls, value: str) -> str:
        if not re.match(r"^[A-Z]{3}$", value):
            raise ValueError(f"not an ISO3 country or IGO: {value!r}")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> PersonRow:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class AmbiguitySpec(BaseModel):
    """Context cues deciding an ambiguous string (data/ambiguity.yaml)."""

    model_config = ConfigDict(extra="forbid")

    term: str
    against: list[str] = Field(default_factory=list)  # cue strings meaning "not this actor"
    supporting: list[str] = Field(default_factory=list)  # cue strings confirming it
    default: bool = True  # keep the reading when no cue decides
    note: str | None = None


@dataclass
class Dictionary:
    entries: dict[str, Entry]
    # surface string -> entry keys; case-insensitive strings and exact-case strings kept apart
    lower_terms: dict[str, list[str]]
    exact_terms: dict[str, list[str]]
    blockers: list[str]
    ambiguity: dict[str, AmbiguitySpec]
    country_names: dict[str, str]


def _strip_article(text: str) -> str:
    text = re.sub(r"\s*\(.*?\)\s*", " ", text).strip()
    return text[4:] if text.lower().startswith("the ") else text


def is_exact_case(term: str) -> bool:
    """Acronyms and dotted forms (US, UN, WHO, U.S.) only match as written: 'us' and 'who' are words."""
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and not any(c.islower() for c in letters)


class _Builder:
    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.lower: dict[str, list[str]] = defaultdict(list)
        self.exact: dict[str, list[str]] = defaultdict(list)

    def add(self, entry: Entry, terms: Iterable[str]) -> None:
        self.entries[entry.key] = entry
        for raw in terms:
            term = _strip_article(raw) if entry.kind != "role" else raw.strip()
            if not term:
                continue
            table = self.exact if is_exact_case(term) else self.lower
            norm = term if is_exact_case(term) else term.lower()
            if entry.key not in table[norm]:
                table[norm].append(entry.key)

    def remove_term(self, term: str, key: str) -> None:
        for table, norm in ((self.lower, term.lower()), (self.exact, term)):
            if key in table.get(norm, []):
                table[norm].remove(key)

    def remove_name(self, name: str) -> None:
        """A user entry named like a shipped one replaces it entirely."""
        doomed = {k for k, e in self.entries.items() if e.name.lower() == name.lower()}
        for key in doomed:
            del self.entries[key]
        for table in (self.lower, self.exact):
            for norm in list(table):
                table[norm] = [k for k in table[norm] if k not in doomed]


def _countries(builder: _Builder) -> dict[str, str]:
    rows = tsv_records(package_data(PACKAGE, "data/countries.tsv"), required=("code", "names"))
    extras = {
        spec.code: spec
        for spec, _ in validate(yaml_records(package_data(PACKAGE, "data/countries.yaml")), CountryExtra)
    }
    names: dict[str, str] = {}
    table = [(r.data["code"], r.data["names"].split("|")) for r in rows]
    table += [(code, [name]) for code, name in EXTRA_COUNTRIES.items()]
    for code, iso_names in table:
        extra = extras.get(code, CountryExtra(code=code))
        display = extra.name or _strip_article(iso_names[0])
        names[code] = display
        terms = [n for n in iso_names if n not in extra.drop] + extra.aliases + [display]
        builder.add(Entry(f"country:{code}", display, code, "state", "dictionary:country", code), terms)
        if extra.adj:
            builder.add(Entry(f"adj:{code}", display, code, "state", "dictionary:adjective", code), extra.adj)
        people = list(extra.people) or [a + "s" for a in extra.adj if a.endswith(("an", "i")) and " " not in a]
        people += [a + "s" for a in extra.adj if a.endswith(("an", "i")) and " " in a]
        if people:
            builder.add(Entry(f"people:{code}", display, code, "group", "dictionary:demonym", code), people)
    return names


def _spec_entry(spec: EntrySpec, key: str, method: str) -> Entry:
    country, sector = split_code(spec.code)
    if spec.kind == "region":
        country, sector = spec.country, None
    proper = spec.proper if spec.proper is not None else spec.kind != "role"
    entry = Entry(key, spec.name, spec.code, spec.kind, method, country, sector, spec.confidence, proper)
    if spec.kind == "role":
        entry.country, entry.sector = None, spec.code if spec.code in SECTORS else sector
    if spec.start or spec.end:
        entry.roles.append(Role(spec.code, country, sector, spec.title or "", spec.start, spec.end, method))
    return entry


def _yaml_entries(builder: _Builder, path: Path, method: str, *, user: bool = False) -> None:
    specs = list(validate(yaml_records(path), EntrySpec))
    if user:
        for name in {spec.name for spec, _ in specs}:
            builder.remove_name(name)
    by_name: dict[str, Entry] = {}
    for spec, record in specs:
        _check_codes(spec, record)
        existing = by_name.get(spec.name.lower())
        if existing is not None and (spec.start or spec.end):
            # several dated entries of one name are several roles of one actor
            existing.roles.append(
                Role(spec.code, *split_code(spec.code), spec.title or "", spec.start, spec.end, method)
            )
            builder.add(existing, spec.aliases)
            continue
        entry = _spec_entry(spec, f"{method}:{spec.name}:{record.line}", method)
        by_name[spec.name.lower()] = entry
        builder.add(entry, [spec.name, *spec.aliases])


def _check_codes(spec: EntrySpec, record: Record) -> None:
    if spec.kind == "role" and spec.code not in SECTORS:
        raise DataFileError(record.path, record.line, "code", f"a role's code must be a sector: {', '.join(SECTORS)}")


def _roles(builder: _Builder) -> None:
    path = package_data(PACKAGE, "data/roles.yaml")
    for group, record in validate(yaml_records(path), RoleGroup):
        entry = Entry(
            f"role:{group.sector}:{record.line}",
            group.sector,
            group.sector,
            "role",
            "dictionary:role",
            None,
            group.sector,
            group.confidence,
            proper=False,
            weak=group.weak,
            needs_country=group.needs_country,
        )
        builder.add(entry, group.terms)


def _people(builder: _Builder, path: Path) -> None:
    """people.tsv, then people-historical.tsv beside it (1990-2014 leaders for archives and gold sets).

    One name is one person across both files, so earlier roles join the same entry and resolve by date.
    A custom people file without a historical sibling loads alone (tests stay isolated).
    """
    persons: dict[str, Entry] = {}
    historical = path.with_name("people-historical.tsv")
    for source in (path, historical) if historical.is_file() else (path,):
        label = "people.tsv" if source == path else historical.name  # the method prefix users see
        records = tsv_records(source, required=("name", "country", "start"))
        for row, _record in validate(records, PersonRow):
            sector = row.sector or None
            code = row.country + (sector or "")
            entry = persons.get(row.name)
            if entry is None:
                entry = Entry(f"person:{row.name}", row.name, code, "person", label, row.country, sector)
                persons[row.name] = entry
            entry.roles.append(Role(code, row.country, sector, row.role, row.start, row.end, label))
            builder.add(entry, [row.name, *[a for a in row.aliases.split("|") if a.strip()]])


def load_dictionary(user_files: Iterable[Path] = (), people_file: Path | None = None) -> Dictionary:
    """Shipped data, then people.tsv (if present), then user files (which override by name)."""
    builder = _Builder()
    country_names = _countries(builder)
    for name, method in (
        ("metonyms.yaml", "metonym"),
        ("organisations.yaml", "dictionary:organisation"),
        ("regions.yaml", "dictionary:region"),
        ("groups.yaml", "dictionary:group"),
    ):
        _yaml_entries(builder, package_data(PACKAGE, f"data/{name}"), method)
    _roles(builder)
    people = people_file or package_data(PACKAGE, "data/people.tsv")
    if people.is_file():
        _people(builder, people)
    for path in user_files:
        _yaml_entries(builder, Path(path), f"user:{Path(path).name}", user=True)
    ambiguity_file = package_data(PACKAGE, "data/ambiguity.yaml")
    blockers = [str(r.data.get("term", "")) for r in yaml_records(ambiguity_file, key="not_actors")]
    ambiguity = {spec.term: spec for spec, _ in validate(yaml_records(ambiguity_file, key="ambiguous"), AmbiguitySpec)}
    return Dictionary(
        builder.entries,
        {k: v for k, v in builder.lower.items() if v},
        {k: v for k, v in builder.exact.items() if v},
        blockers,
        ambiguity,
        country_names,
    )
