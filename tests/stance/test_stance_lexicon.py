from __future__ import annotations

from pathlib import Path

import pytest

from communique.datafiles import DataFileError, package_data
from communique.stance.lexicon import load_lexicon
from communique.stance.target import MODEL_FILE


def test_shipped_lexicon_has_affairs_vocabulary() -> None:
    lexicon = load_lexicon()
    assert lexicon.words["reckless"] < 0
    assert lexicon.words["restraint"] > 0
    assert lexicon.phrases["sponsorship of terrorism"] < 0
    assert lexicon.modifiers["not"][0] == "negator"
    assert len(lexicon.words) > 800


def test_user_file_overrides_shipped_entry(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text("cues:\n  - score: 0.5\n    cues: [reckless, frobnicate]\n", encoding="utf-8")
    lexicon = load_lexicon([user])
    assert lexicon.words["reckless"] == 0.5
    assert lexicon.words["frobnicate"] == 0.5


def test_bad_user_entry_names_file_line_and_field(tmp_path: Path) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text("cues:\n  - score: 0.2\n    cues: [fine]\n  - score: 7\n    cues: [awful]\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_lexicon([user])
    assert "bad.yaml:4" in str(info.value)
    assert "score" in str(info.value)


def test_duplicate_cue_in_one_file_is_an_error(tmp_path: Path) -> None:
    user = tmp_path / "dup.yaml"
    user.write_text("cues:\n  - score: 0.2\n    cues: [calm]\n  - score: -0.2\n    cues: [calm]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="listed twice"):
        load_lexicon([user])


def test_shipped_model_is_small() -> None:
    path = package_data("communique.stance", MODEL_FILE)
    assert path.is_file()
    assert path.stat().st_size < 50 * 1024 * 1024
