"""The CLI as a user runs it, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from communique.model import Analysis

ARTICLE = (
    "Jane Doe\n"
    "The foreign ministers of both countries met in Geneva on Tuesday and agreed to resume talks on trade. "
    "Officials said a second round would follow in September.\n"
)


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from communique.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, input=stdin, timeout=300)


def test_analyze_json_lines_for_several_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    second.write_text(ARTICLE.replace("Geneva", "Vienna"), encoding="utf-8")
    result = run_cli("analyze", str(first), str(second), "--json", "--published", "2025-06-20")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    analysis = Analysis.from_json(lines[0])
    assert analysis.document.byline == "Jane Doe"
    assert not analysis.document.text.startswith("Jane Doe")
    assert str(analysis.document.published) == "2025-06-20"
    assert json.loads(lines[1])["document"]["text"].count("Vienna") == 1


def test_bad_input_exits_2_with_one_line_and_keeps_others(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run_cli("analyze", str(empty), str(good), "--json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == f"communique: skipped {empty}: empty input"
    assert len(result.stdout.strip().splitlines()) == 1


def test_bad_published_date_is_a_one_line_error(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    result = run_cli("analyze", str(good), "--published", "June 20th")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_stdin_and_readable_report() -> None:
    result = run_cli("analyze", "-", stdin=ARTICLE)
    assert result.returncode == 0, result.stderr
    assert "sentences" in result.stdout and "Jane Doe" in result.stdout


def test_op_ed_json_is_a_valid_analysis(shared: Path) -> None:
    result = run_cli("analyze", str(shared / "examples" / "op-ed-us-pakistan-2025.txt"), "--json")
    assert result.returncode == 0, result.stderr
    analysis = Analysis.from_json(result.stdout)
    assert analysis.document.byline == "Asif Mahmood"
    assert analysis.document.text.startswith("The recent high-level meeting")
    assert len(analysis.sentences) > 20
    for sentence in analysis.sentences:
        assert analysis.document.text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize("stage", ["nonsense"])
def test_unknown_stage_is_a_one_line_error(stage: str) -> None:
    result = run_cli("analyze", "-", "--stages", stage, stdin=ARTICLE)
    assert result.returncode == 2 and "unknown stage" in result.stderr and "Traceback" not in result.stderr
