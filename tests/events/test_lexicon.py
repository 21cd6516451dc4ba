from __future__ import annotations

from pathlib import Path

import pytest

from communique.datafiles import DataFileError
from communique.events.lexicon import load_lexicon


def test_reject_proposal_entry_is_found_by_lemma_and_is_specific() -> None:
    lexicon = load_lexicon()
    best = lexicon.candidates("reject", "verb")[0]
    assert best.id == "reject-proposal" and best.code == "125"
    assert "plan" in best.object and "offer" in best.object  # @proposal expanded


def test_user_entry_overrides_shipped_entry_and_adds_class(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "classes:\n  - {name: rebuke_word, lemmas: [tut-tut]}\n"
        "entries:\n  - {id: reject-proposal, code: '127', verbs: [scorn], object: ['@proposal']}\n"
        "  - {id: tut, code: '111', verbs: ['@rebuke_word']}\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon([user])
    assert lexicon.candidates("scorn", "verb")[0].code == "127"
    assert not any(e.id == "reject-proposal" for e in lexicon.candidates("reject", "verb"))
    assert lexicon.candidates("tut-tut", "verb")[0].id == "tut"


def test_bad_user_entry_is_a_one_line_error_with_file_and_line(tmp_path: Path) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text("entries:\n  - id: x\n    code: '999'\n    verbs: [foo]\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_lexicon([user])
    assert "bad.yaml:2" in str(info.value) and "999" in str(info.value)


def test_unknown_class_is_reported(tmp_path: Path) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text("entries:\n  - {id: y, code: '111', verbs: ['@nope']}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown synonym class"):
        load_lexicon([user])


def test_yaml_on_off_are_words_not_booleans() -> None:
    lexicon = load_lexicon()
    assert any("on" in e.prep for e in lexicon.candidates("call", "verb"))
