"""The pipeline is loaded once per process, whatever name form a caller uses."""

from __future__ import annotations

import pytest

from communique.nlp import ModelNotFound, load_nlp, resolve_model_name


def test_default_and_explicit_names_share_one_pipeline() -> None:
    default = load_nlp()
    assert load_nlp(None) is default
    assert load_nlp(resolve_model_name()) is default


def test_env_variable_selects_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNIQUE_MODEL", "no_such_pipeline_xyz")
    assert resolve_model_name() == "no_such_pipeline_xyz"
    with pytest.raises(ModelNotFound, match="no_such_pipeline_xyz"):
        load_nlp()
