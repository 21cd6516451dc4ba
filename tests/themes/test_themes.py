"""Themes: taxonomy validity, matching by lemma/phrase/name, hierarchy, scores, user files."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique import Analyzer
from communique.config import Settings
from communique.datafiles import DataFileError
from communique.themes.stage import ThemesStage, theme_score
from communique.themes.taxonomy import load_entries

REQUIRED = {
    "trade",
    "tariffs",
    "investment",
    "energy",
    "minerals",
    "agriculture",
    "technology",
    "technology.ai",
    "cryptocurrency",
    "cybersecurity",
    "terrorism",
    "nuclear_weapons",
    "arms_control",
    "military_conflict",
    "territorial_dispute",
    "territorial_dispute.kashmir",
    "territorial_dispute.taiwan",
    "territorial_dispute.south_china_sea",
    "mediation",
    "sanctions",
    "foreign_aid",
    "migration_refugees",
    "human_rights",
    "elections",
    "infrastructure_corridor",
    "infrastructure_corridor.cpec",
    "infrastructure_corridor.bri",
    "tourism",
    "maritime_blue_economy",
    "climate",
    "health",
}


def themes_of(analyzer: Analyzer, text: str) -> dict[str, object]:
    return {t.theme: t for t in analyzer.analyze(text).themes}


def test_taxonomy_is_large_documented_and_complete() -> None:
    entries = load_entries()
    top_level = [e for e in entries.values() if e.parent is None]
    assert len(top_level) >= 40
    assert set(entries) >= REQUIRED
    assert all(e.description and e.label for e in entries.values())


def test_lemma_match_finds_inflections(analyzer: Analyzer) -> None:
    themes = themes_of(analyzer, "Canada imposed new tariffs on steel, and refugees crossed the border.")
    assert "tariffs" in themes and "migration_refugees" in themes


def test_terms_are_found_by_form_or_lowered_lemma_and_cited_by_lemma() -> None:
    from communique.nlp import load_nlp

    stage = ThemesStage(Settings())
    doc = load_nlp()("Canada raised tariffs. The Tariff and the refugee crisis came again.")
    terms = {(doc[start:end].text, theme, cue) for theme, start, end, _, cue in stage.matches(doc) if end - start == 1}
    assert ("tariffs", "tariffs", "term:tariff") in terms  # by lemma: the form is not a term
    assert ("Tariff", "tariffs", "term:tariff") in terms  # by the lower-cased form
    assert ("refugee", "migration_refugees", "term:refugee") in terms
    assert not any(text in {"raised", "came", "again"} for text, _, _ in terms)


def test_candidate_search_finds_what_a_look_at_every_token_finds() -> None:
    """Only tokens whose form or lemma hash could be a term are read; none that is a term is missed."""
    from communique.nlp import load_nlp

    stage = ThemesStage(Settings())
    doc = load_nlp()(
        "Tariffs rose. TARIFFS, Refugees and Nuclear talks stalled; the Sanctions bit. Terrorism spread in Kashmir."
    )
    words = stage.taxonomy.words
    expected = [i for i, token in enumerate(doc) if token.lower_ in words or token.lemma_.lower() in words]
    found = [start for _, start, end, _, _ in stage.matches(doc) if end - start == 1]
    assert len(expected) >= 5
    assert sorted(set(found)) == expected


def test_phrase_match_with_plural_and_dash_variants(analyzer: Analyzer) -> None:
    themes = themes_of(analyzer, "Both navies held talks on sea lanes near the Nine\u2013Dash Line.")
    assert "maritime_blue_economy" in themes
    assert "territorial_dispute.south_china_sea" in themes


def test_named_dispute_credits_parent_with_evidence(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Beijing sent warships into the Taiwan Strait on Tuesday.")
    themes = {t.theme: t for t in analysis.themes}
    assert "territorial_dispute.taiwan" in themes and "territorial_dispute" in themes
    evidence = themes["territorial_dispute.taiwan"].evidence[0]
    assert analysis.document.text[evidence.start : evidence.end] == evidence.text == "Taiwan Strait"
    assert evidence.cues and evidence.sentence == 0


def test_case_sensitive_names_do_not_match_pronouns(analyzer: Analyzer) -> None:
    assert "technology" not in themes_of(analyzer, "It was late when it rained.")
    assert "technology" in themes_of(analyzer, "Kenya hopes to grow its IT exports.")


def test_weak_terms_alone_are_not_enough(analyzer: Analyzer) -> None:
    assert "foreign_aid" not in themes_of(analyzer, "Neighbours came to her aid.")
    assert "foreign_aid" in themes_of(analyzer, "Sweden cut foreign aid to the region.")


def test_scores_grow_with_evidence(analyzer: Analyzer) -> None:
    assert theme_score(1) < theme_score(3) < 1.0
    themes = themes_of(analyzer, "Cyprus hosts tourists. Tourism earnings and tourist arrivals rose.")
    once = themes_of(analyzer, "Cyprus hosts tourists.")
    assert themes["tourism"].score > once["tourism"].score  # type: ignore[attr-defined]


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    user = tmp_path / "themes.yaml"
    user.write_text(
        "- id: fisheries_quota\n  label: Fisheries quotas\n  description: Catch limits.\n  phrases: [catch limit]\n"
        "- id: tourism\n  label: Travel\n  description: Overridden.\n  terms: [sightseeing]\n",
        encoding="utf-8",
    )
    stage = ThemesStage(Settings(user_files={"themes": (user,)}))
    analysis = Analyzer(Settings(stages=("themes",), user_files={"themes": (user,)})).analyze(
        "The catch limits were cut. Sightseeing and tourists are welcome."
    )
    themes = {t.theme: t for t in analysis.themes}
    assert "fisheries_quota" in themes
    assert themes["tourism"].label == "Travel"
    assert [e.text for e in themes["tourism"].evidence] == ["Sightseeing"]
    assert stage.taxonomy.entries["fisheries_quota"].label == "Fisheries quotas"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("- id: Bad Id\n  label: x\n  description: y\n  terms: [a]\n", "id"),
        ("- id: ghost.child\n  label: x\n  description: y\n  terms: [a]\n", "id"),
        ("- id: empty\n  label: x\n  description: y\n", "terms"),
        ("- id: typo\n  label: x\n  description: y\n  termz: [a]\n", "termz"),
    ],
)
def test_invalid_user_entries_fail_with_file_and_line(tmp_path: Path, content: str, field: str) -> None:
    user = tmp_path / "bad.yaml"
    user.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_entries((user,))
    assert error.value.line == 1 and error.value.field == field and "bad.yaml:1" in str(error.value)


def test_op_ed_themes(analyzer: Analyzer, op_ed_text: str) -> None:
    themes = {t.theme for t in analyzer.analyze(op_ed_text).themes}
    assert {
        "trade",
        "tariffs",
        "technology.ai",
        "cryptocurrency",
        "investment",
        "terrorism",
        "nuclear_weapons",
        "arms_control",
        "mediation",
        "territorial_dispute.kashmir",
        "infrastructure_corridor.cpec",
    } <= themes
