from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from communique.events.evaluate import GoldFormatError, load_gold, roots_by_type, score
from communique.model import Analysis, Cameo, Document, Event, EventActor, Plover, Span

GOLD = [
    {"event": "DOCUMENT", "id": "doc"},
    {"id": "a", "text": "Chad rebuked Niger.", "event": "DISAPPROVE",
     "source": [{"code": "TCDGOV"}], "target": [{"code": "NER"}]},
    {"id": "b", "text": "Mali and Niger held talks.", "event": "CONSULT", "source": [{"code": "MLI"}], "target": ""},
    {"id": "c", "text": "Togo shelled Benin.", "event": "FIGHT", "source": {"code": "TGO"}, "target": {"code": "BEN"}},
]


def _event(code: str, plover: str, source: str, target: str | None) -> Event:
    return Event(sentence=0, source=EventActor(code=source, text="x", start=0, end=1),
                 target=EventActor(code=target, text="y", start=0, end=1) if target else None,
                 cameo=Cameo(code=code, root=code[:2], name="n"), goldstein=0.0, quad_class=1,
                 plover=Plover(type=plover), trigger=Span(text="t", start=0, end=1), rule="r", confidence=1.0)


def test_old_labels_are_mapped_and_document_record_skipped(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    records = load_gold(path)
    assert [r.type for r in records] == ["ACCUSE", "CONSULT", "ASSAULT"]
    assert records[0].sources == {"TCD"} and records[2].targets == {"BEN"}


def test_scores_types_actors_and_roots(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    records = load_gold(path)
    analyses = [Analysis(document=Document(id=r.id, text=r.text)) for r in records]
    analyses[0].events = [_event("111", "ACCUSE", "TCD", "NER")]
    analyses[1].events = [_event("046", "CONSULT", "NER", "MLI"), _event("163", "COERCE", "MLI", None)]
    report = score(records, analyses).as_dict()
    assert (report["tp"], report["fp"], report["fn"]) == (2, 1, 1)
    assert report["source_accuracy"] == 0.5  # Niger is not the gold source of record b
    assert report["target_accuracy"] == 1.0
    assert report["roots"]["tp"] == 2 and report["confusion"]["ASSAULT->(none)"] == 1
    assert {"18", "19", "20"} <= roots_by_type()["ASSAULT"]


def test_bad_gold_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldFormatError):
        load_gold(path)


def test_cli_eval_json_and_bad_input(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(GOLD), encoding="utf-8")
    run = [sys.executable, "-c", "from communique.cli import main; main()", "eval", "events"]
    done = subprocess.run([*run, "--gold", str(gold), "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["n"] == 3 and {"precision", "recall", "f1", "roots"} <= set(result)
    missing = subprocess.run([*run, "--gold", str(tmp_path / "nope.json")], capture_output=True, text=True,
                             timeout=300)
    assert missing.returncode == 2 and "not found" in missing.stderr and "Traceback" not in missing.stderr
