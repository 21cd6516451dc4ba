"""The corpus commands end to end through the CLI: exit codes, --json output, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique import cli
from communique.corpus.ingest import Ingestor, read_all
from communique.ingest import ReadOptions
from communique.store import open_store
from synthetic_corpus import RuleAnalyzer, synthetic_records, write_jsonl

if not any(command.name == "ingest" for command in cli.app.registered_commands):
    cli._register_plugins()
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli.app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    base = tmp_path_factory.mktemp("cli")
    corpus = write_jsonl(synthetic_records(), base / "corpus.jsonl")
    path = str(base / "cli.duckdb")
    with open_store(path) as store:
        Ingestor(store, RuleAnalyzer()).run([str(corpus)], read_all([str(corpus)], ReadOptions(check_language=False)))
    return path


def test_ingest_reports_a_summary_and_exit_2_on_bad_sources(tmp_path: Path) -> None:
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "text": "The talks between the two governments resumed on Monday in the capital."})
        + "\n{broken\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "i.duckdb")
    code, out, err = invoke("ingest", str(corpus), str(tmp_path / "nope.html"), "--db", db, "--stages", ",", "--json")
    assert code == 2
    summary = json.loads(out)
    assert (summary["added"], summary["failed"]) == (1, 2)
    assert "invalid JSON" in err and "no such file" in err and "Traceback" not in err
    code, out, _ = invoke("ingest", str(corpus), "--db", db, "--stages", ",", "--json")
    assert code == 2 and json.loads(out)["unchanged"] == 1 and json.loads(out)["added"] == 0


def test_query_commands_print_json(db: str) -> None:
    code, out, _ = invoke("dyads", "IND", "PAK", "--by", "month", "--db", db, "--json")
    rows = json.loads(out)
    assert code == 0 and rows and {"period", "direction", "events", "mean_goldstein"} <= set(rows[0])
    code, out, _ = invoke("network", "--db", db, "--json", "--event-type", "19")
    assert code == 0 and all(edge["mean_goldstein"] == -10.0 for edge in json.loads(out))
    code, out, _ = invoke("actors", "--db", db, "--json", "--limit", "3")
    assert code == 0 and len(json.loads(out)) == 3
    code, out, _ = invoke("compare", "--actor", "IND", "--by", "source", "--db", db, "--json")
    outlets = {row["source"] for row in json.loads(out)}
    assert code == 0 and outlets and outlets <= {"Wire One", "Harbor Daily", "Lantern", "Meridian"}
    code, out, _ = invoke("search", "story 7 opens", "--db", db, "--json", "--source", "Meridian")
    assert code == 0 and [row["doc_id"] for row in json.loads(out)] == ["story-007"]
    code, out, _ = invoke("show", "story-007", "--db", db, "--json")
    assert code == 0 and json.loads(out)["document"]["id"] == "story-007"


def test_tables_render_without_json(db: str) -> None:
    code, out, _ = invoke("network", "--db", db, "--limit", "5")
    assert code == 0 and "mean goldstein" in out
    code, out, _ = invoke("show", "story-007", "--db", db)
    assert code == 0 and "Story 7" in out


def test_export_command(db: str, tmp_path: Path) -> None:
    code, _, _ = invoke("export", "--format", "gdelt", "--out", str(tmp_path), "--db", db)
    assert code == 0 and (tmp_path / "events.export.CSV").exists()
    code, _, err = invoke("export", "--format", "xls", "--out", str(tmp_path), "--db", db)
    assert code == 2 and "--format must be one of" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dyads", "IND", "PAK", "--since", "yesterday"], "--since: not a YYYY-MM-DD date"),
        (["dyads", "IND", "PAK", "--by", "fortnight"], "--by must be one of"),
        (["show", "no-such-doc"], "no document"),
        (["compare", "--actor", "I N D"], "not an actor code"),
    ],
)
def test_bad_arguments_are_one_line_errors(db: str, args: list[str], message: str) -> None:
    code, _, err = invoke(*args, "--db", db)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_missing_database_is_a_one_line_error(tmp_path: Path) -> None:
    code, _, err = invoke("actors", "--db", str(tmp_path / "absent.duckdb"))
    assert code == 2 and "no database" in err
