"""The opinion guard both ways: evaluative, framing and significance sentences are vetoed; checkable
facts (numbers, measurable rankings, past events, attributions, allegations) are kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique import Analyzer
from communique.claims.opinion import OpinionGuard, opinion_reason
from communique.claims.scorer import LinearClaimModel
from communique.datafiles import DataFileError
from communique.nlp import load_nlp


def reason(text: str) -> str | None:
    return opinion_reason(load_nlp()(text)[:])


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The summit signalled Norway's seriousness about regional peace.", "significance:signal"),
        ("The reforms reflect Morocco's enduring commitment to openness.", "significance:reflect"),
        ("Vietnam sees its partnership with Japan as a pillar of prosperity.", "framing:see as"),
        ("Peru regards the treaty as a cornerstone of its foreign policy.", "framing:regard as"),
        ("Chile presents itself as a bridge between Asia and Latin America.", "framing:present as"),
        ("Ghana remains a dependable and principled ally.", "evaluative:remain"),
        ("Canada should rethink its stance on Arctic shipping.", "normative:should"),
        (
            "Kenya's approach was shaped by prudence and restraint, unlike its neighbour's reckless and "
            "provocative conduct.",
            "evaluative:",
        ),
    ],
)
def test_opinion_is_vetoed_with_its_cue(text: str, cue: str) -> None:
    found = reason(text)
    assert found is not None and found.startswith(cue), found


@pytest.mark.parametrize(
    "text",
    [
        # a past-tense significance verb with a number: the figure can be checked
        "The 2021 census underscored a 9 percent fall in the rural population of Bolivia.",
        "Finland's parliament approved the defence budget in March.",
        "The foreign minister said that Chile would reopen its embassy in Caracas.",
        "Opposition leaders accused the ruling party of rigging the vote in three provinces.",
        "The army brutally suppressed peaceful protesters in the capital.",
        "Kenya is the largest tea exporter in Africa.",
        "Indonesia now imports more rice than Thailand.",
        "The State Department designated the militia as a terrorist organisation.",
        "Portugal's debt remains the third highest in the eurozone.",
        "Ecuador's president described the agreement as a betrayal of farmers.",
        "Mexico's economy grew faster than Canada's last year.",
        "Laos was not even a member of the bloc when the crisis began.",
    ],
)
def test_checkable_facts_are_not_vetoed(text: str) -> None:
    assert reason(text) is None


def test_hyphenated_number_word_is_no_quantity() -> None:
    assert reason("Estonia does not view its ties with Finland as a zero-sum contest.") == "framing:view as"


def test_definite_count_of_known_parties_is_no_quantity() -> None:
    """"the two ministers" refers back; "two ministers resigned" or "12 ministers" would be counts."""
    assert reason("Talks between the two ministers underscored Chile's commitment to peace.") == (
        "significance:underscore"
    )
    assert reason("Talks between 12 ministers underscored Chile's commitment to peace.") is None
    assert reason("Two ministers underscored Chile's commitment to peace.") is None


def test_evaluative_superlative_is_no_ranking() -> None:
    nlp = load_nlp()
    guard = OpinionGuard.load()
    assert guard.reason(nlp("Laos remains the most reliable and responsible partner.")[:]) is not None
    assert guard.reason(nlp("Laos remains the largest and most populous partner.")[:]) is None


def test_stage_keeps_fact_and_drops_framing(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(
        "The 2021 census underscored a 9 percent fall in the rural population of Bolivia. "
        "The summit signalled Norway's seriousness about regional peace."
    )
    assert [c.text[:14] for c in analysis.claims] == ["The 2021 censu"]
    assert analysis.claims[0].type == "statistic/quantity"


def test_user_file_extends_word_classes(tmp_path: Path) -> None:
    extra = tmp_path / "opinion.yaml"
    extra.write_text("- kind: significance\n  lemmas: [foreshadow]\n", encoding="utf-8")
    text = "The quarrel foreshadows a long chill between Oslo and Stockholm."
    doc = load_nlp()(text)
    assert OpinionGuard.load().reason(doc[:]) is None
    assert OpinionGuard.load([extra]).reason(doc[:]) == "significance:foreshadow"


def test_bad_user_entry_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "opinion.yaml"
    bad.write_text("- kind: significance\n  lemmas: [foreshadow]\n- kind: feelings\n  lemmas: [x]\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        OpinionGuard.load([bad])
    assert f"{bad}:3: field 'kind'" in str(error.value)


OP_ED_OPINIONS = (
    "the dialogue underscored",
    "was guided by rationality",
    "increasingly positions itself",
    "does not perceive its external",
    "remains a reliable",
)


def test_op_ed_opinion_sentences_are_not_claims(analyzer: Analyzer, op_ed_text: str) -> None:
    analysis = analyzer.analyze(op_ed_text)
    claims = {c.text: c for c in analysis.claims}
    export = next(c for text, c in claims.items() if "export destination" in text)
    assert export.type == "comparison/superlative"
    rejected = next(c for text, c in claims.items() if "have been rejected" in text)
    assert rejected.type == "position/policy"
    for marker in OP_ED_OPINIONS:
        assert any(marker in s.text for s in analysis.sentences), marker
        assert not any(marker in text for text in claims), marker


def test_vetoed_sentence_keeps_its_score_and_says_why(analyzer: Analyzer) -> None:
    """A sentence the model scores high but the guard vetoes is explained in the analysis itself."""
    analysis = analyzer.analyze("Peru's handling of the border crisis reflects a mature and responsible diplomacy.")
    assert analysis.claims == []
    sentence = analysis.sentences[0]
    assert sentence.claim_score is not None and sentence.claim_score >= LinearClaimModel.load().threshold
    assert sentence.claim_veto == "opinion:significance:reflect"


def test_claims_carry_no_veto(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Peru's copper output rose by 12 percent in 2023, the mining ministry said.")
    assert len(analysis.claims) == 1
    assert analysis.sentences[0].claim_veto is None
