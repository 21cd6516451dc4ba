"""`communique eval actors`: metrics on a gold file written here, and on the shared dev gold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from communique import Analyzer
from communique.actors.evaluate import GoldFormatError, evaluate, locate, normalise_country, normalise_sector
from communique.config import Settings

GOLD = [
    {"event": "DOCUMENT", "id": "doc"},
    {
        "id": "g1",
        "text": "Peruvian officials rejected a proposal from Chile on Monday.",
        "source": [{"actorText": "Peruvian officials", "code": "PER", "sector": "GOV"}],
        "target": [{"actorText": "Chile", "code": "CHL"}],
    },
    {
        "id": "g2",
        "text": "Japanese troops and a Zorbanian envoy met in the morning.",
        "source": [{"actorText": "Japanese troops", "code": "JAP", "sector": "MIL"}],
        "target": [{"actorText": "Zorbanian envoy", "code": "ZZZ", "sector": "GOV"}],
    },
]


@pytest.fixture(scope="module")
def actors_only() -> Analyzer:
    return Analyzer(Settings(stages=("actors",)))


def test_normalisation() -> None:
    assert normalise_country("JAP") == "JPN"
    assert normalise_country("NGO") == "IGO"
    assert normalise_sector("CVLkur") == "CVL"
    assert normalise_sector("***") is None
    assert locate("US and British forces left.", "US forces") == (0, 2)


def test_evaluate_small_gold(tmp_path: Path, actors_only: Analyzer) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    report = evaluate(path, actors_only).as_dict()
    assert report["n"] == 2 and report["located"] == 4
    assert report["recall"] == 1.0  # "envoy" is found, though its invented country is not
    assert report["country_accuracy"] == 0.75
    assert report["sector_accuracy"] == 1.0
    assert report["fp_per_sentence"] == 0.0


def test_bad_gold_file(tmp_path: Path, actors_only: Analyzer) -> None:
    path = tmp_path / "gold.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(GoldFormatError):
        evaluate(path, actors_only)


def test_cli_json_and_bad_input(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("communique")
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    result = subprocess.run([str(exe), "eval", "actors", "--gold", str(path), "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["country_accuracy"] == 0.75
    missing = subprocess.run(
        [str(exe), "eval", "actors", "--gold", str(tmp_path / "no.json")], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_shared_dev_gold(shared: Path, actors_only: Analyzer) -> None:
    report = evaluate(shared / "gold" / "events" / "plover-gsr-dev.json", actors_only).as_dict()
    assert report["recall"] >= 0.9
    assert report["country_accuracy"] >= 0.85
    assert report["fp_foreign_per_sentence"] <= 0.5
