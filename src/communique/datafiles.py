"""One loader for every shipped or user-supplied data file (YAML or TSV).

Errors name the file, the line and the field, so a user extending a lexicon can fix it at once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class DataFileError(ValueError):
    """A data file entry is invalid; str() is a one-line `file:line: field: problem` message."""

    def __init__(self, path: str | Path, line: int | None, field: str | None, problem: str) -> None:
        self.path, self.line, self.field, self.problem = str(path), line, field, problem
        where = f"{path}:{line}" if line else str(path)
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}: {what}{problem}")


@dataclass(frozen=True)
class Record:
    """A raw entry with where it came from."""

    data: dict[str, Any]
    path: str
    line: int


def package_data(package: str, name: str) -> Path:
    """Path of a data file shipped inside a communique subpackage."""
    return Path(str(resources.files(package).joinpath(name)))


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: str | Path) -> Any:
    """Parse YAML keeping each mapping's line number under ``__line__``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(path, None, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(path, None, None, f"not UTF-8 ({exc.reason})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(path, line, None, f"invalid YAML: {getattr(exc, 'problem', exc)}") from None


def yaml_records(path: str | Path, key: str | None = None) -> list[Record]:
    """Entries of a YAML file that is a list of mappings (or holds one under ``key``)."""
    data = read_yaml(path)
    if key is not None and isinstance(data, dict):
        data = data.get(key, [])
    if data is None:
        return []
    if not isinstance(data, list):
        raise DataFileError(path, None, key, "expected a list of entries")
    records = []
    for item in data:
        if not isinstance(item, dict):
            raise DataFileError(path, None, key, f"expected a mapping, got {type(item).__name__}: {item!r}")
        line = int(item.pop("__line__", 0))
        records.append(Record(_strip_lines(item), str(path), line))
    return records


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def tsv_records(path: str | Path, required: tuple[str, ...] = ()) -> list[Record]:
    """Rows of a headed TSV file; '#' lines and blank lines are skipped."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DataFileError(path, None, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(path, None, None, f"not UTF-8 ({exc.reason})") from None
    numbered = [(i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.startswith("#")]
    if not numbered:
        return []
    header_line, header = numbered[0]
    columns = header.split("\t")
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataFileError(path, header_line, missing[0], "required column missing from header")
    records = []
    for number, line in numbered[1:]:
        cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(cells) != len(columns):
            raise DataFileError(path, number, None, f"expected {len(columns)} tab-separated fields, got {len(cells)}")
        records.append(Record(dict(zip(columns, cells, strict=True)), str(path), number))
    return records


def validate(records: list[Record], model: type[M]) -> Iterator[tuple[M, Record]]:
    """Validate raw records against a pydantic model, failing on the first bad field with file:line."""
    for record in records:
        try:
            yield model.model_validate(record.data), record
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or None
            raise DataFileError(record.path, record.line, field, first["msg"]) from None
