"""Data files: user dictionaries, validation errors, the code list, the generated ISO table."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from actor_helpers import by_text

from communique.actors.dictionary import SECTORS, load_dictionary
from communique.actors.stage import ActorStage
from communique.analyzer import Analyzer, sentences_of
from communique.config import Settings
from communique.datafiles import DataFileError, package_data
from communique.model import Analysis, Document
from communique.nlp import load_nlp

REPO = Path(__file__).resolve().parents[2]
DATA = Path(package_data("communique.actors", "data"))


def _analyse(stage: ActorStage, text: str) -> Analysis:
    doc = load_nlp()(text)
    analysis = Analysis(document=Document(id="u", text=text), sentences=sentences_of(doc))
    stage(doc, analysis)
    return analysis


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "- {name: Karachi Port Trust, code: PAKBUS, kind: organisation, aliases: [KPT]}\n"
        "- {name: Islamabad, code: PAKMIL, kind: state}\n"
        "- {name: peacekeepers, code: MIL, kind: role}\n",
        encoding="utf-8",
    )
    stage = ActorStage(Settings(user_files={"actors": (user,)}))
    found = by_text(_analyse(stage, "KPT raised fees. Islamabad objected. Peacekeepers arrived."))
    assert found["KPT"].code == "PAKBUS"
    assert found["Islamabad"].code == "PAKMIL"
    assert found["Peacekeepers"].code == "MIL"
    assert found["KPT"].method.startswith("user:mine.yaml")


def test_user_person_with_dated_roles(tmp_path: Path) -> None:
    user = tmp_path / "people.yaml"
    user.write_text(
        "- {name: Ayesha Example, code: PAKGOV, kind: person, aliases: [Example], start: 2026-01-01}\n"
        "- {name: Ayesha Example, code: PAKOPP, kind: person, start: 2020-01-01, end: 2026-01-01}\n",
        encoding="utf-8",
    )
    stage = ActorStage(Settings(user_files={"actors": (user,)}))
    nlp = load_nlp()
    for day, code in (("2026-02-01", "PAKGOV"), ("2022-02-01", "PAKOPP")):
        import datetime as dt

        text = "Ayesha Example spoke."
        doc = nlp(text)
        analysis = Analysis(
            document=Document(id="d", text=text, published=dt.date.fromisoformat(day)), sentences=sentences_of(doc)
        )
        stage(doc, analysis)
        assert analysis.mentions[0].code == code


@pytest.mark.parametrize(
    ("content", "line", "field"),
    [
        ("- {name: A, code: PAKGOV, kind: person}\n- {name: B, code: pak-gov, kind: state}\n", 2, "code"),
        ("- {name: A, code: PAKGOV, kind: statesman}\n", 1, "kind"),
        ("- {name: A, code: PAKGOV, kind: person, start: 2020-01-01, end: 2019-01-01}\n", 1, None),
        ("- {name: soldiers, code: PAKMIL, kind: role}\n", 1, "code"),
        ("- {name: A, code: PAKGOV, kind: person, colour: red}\n", 1, "colour"),
    ],
)
def test_invalid_user_entries_name_file_line_and_field(
    tmp_path: Path, content: str, line: int, field: str | None
) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_dictionary([user])
    assert info.value.path.endswith("bad.yaml")
    assert info.value.line == line
    if field is not None:
        assert info.value.field == field
    assert str(info.value).startswith(f"{user}:{line}:")


def test_missing_user_file_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="file not found"):
        load_dictionary([tmp_path / "absent.yaml"])


def test_cli_reports_a_bad_user_file_in_one_line(tmp_path: Path) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text("- {name: A, code: x, kind: state}\n", encoding="utf-8")
    text = tmp_path / "t.txt"
    text.write_text("Peru spoke.", encoding="utf-8")
    exe = Path(sys.executable).with_name("communique")
    result = subprocess.run(
        [str(exe), "analyze", str(text), "--actors", str(user), "--stages", "actors", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "bad.yaml:1: field 'code'" in result.stderr
    assert "Traceback" not in result.stderr


def test_analyzer_passes_user_files_to_the_stage(tmp_path: Path) -> None:
    user = tmp_path / "extra.yaml"
    user.write_text("- {name: Zorbania, code: ZZZ, kind: state, aliases: [Zorbanian]}\n", encoding="utf-8")
    analyzer = Analyzer(Settings(stages=("actors",), user_files={"actors": (user,)}))
    assert [m.code for m in analyzer.analyze("Zorbanian troops crossed.").mentions] == ["ZZZMIL"]


def _documented_codes() -> set[str]:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"`?\b([A-Z][A-Z0-9]{1,9})\b`?", readme))


def test_every_shipped_code_is_documented() -> None:
    documented = _documented_codes()
    missing = set()
    for name in ("organisations.yaml", "regions.yaml"):
        for entry in yaml.safe_load((DATA / name).read_text(encoding="utf-8")):
            if entry["code"] not in documented:
                missing.add(entry["code"])
    for sector in SECTORS:
        if sector not in documented:
            missing.add(sector)
    for name in ("metonyms.yaml", "groups.yaml"):
        for entry in yaml.safe_load((DATA / name).read_text(encoding="utf-8")):
            sector = entry["code"][3:]
            if sector and sector not in SECTORS and entry["code"] not in documented:
                missing.add(entry["code"])
    assert not missing


def test_roles_use_known_sectors() -> None:
    for group in yaml.safe_load((DATA / "roles.yaml").read_text(encoding="utf-8")):
        assert group["sector"] in SECTORS


def test_generated_country_table_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_countries.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_bad_people_row_names_file_and_line(tmp_path: Path) -> None:
    people = tmp_path / "people.tsv"
    people.write_text(
        "name\taliases\tcountry\tsector\trole\tstart\tend\tnote\n"
        "Good Person\t\tPER\tGOV\tminister\t2020-01-01\t\t\n"
        "Bad Person\t\tPER\tGOV\tminister\t2020-01-01\t2019-01-01\t\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as info:
        load_dictionary(people_file=people)
    assert info.value.line == 3
