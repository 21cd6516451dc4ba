"""The stance stage aggregates mention scores per actor and cites evidence with offsets."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from communique import Analyzer
from communique.analyzer import sentences_of
from communique.config import Settings
from communique.model import ActorMention, Analysis, Document
from communique.nlp import load_nlp
from communique.stance.stage import StanceStage

NAMES = {"Norway": "NOR", "Norwegian": "NOR", "Oslo": "NOR", "Brazil": "BRA", "Brazilian": "BRA"}


def analysis_with_mentions(text: str) -> tuple[Analysis, object]:
    doc = load_nlp()(text)
    analysis = Analysis(document=Document(id="t", text=text), sentences=sentences_of(doc))
    for match in re.finditer("|".join(NAMES), text):
        index = next(s.index for s in analysis.sentences if s.start <= match.start() < s.end)
        analysis.mentions.append(
            ActorMention(text=match.group(), start=match.start(), end=match.end(), sentence=index,
                         code=NAMES[match.group()], kind="state")
        )
    return analysis, doc


TEXT = (
    "Norway has shown restraint and a firm commitment to stability throughout the talks. "
    "Brazil's provocations, which looked reckless, have alarmed the region. "
    "Officials in Oslo met their counterparts on Monday. "
    "Brazilian meddling and its hostile posture undermine regional peace."
)


def test_stage_gives_opposite_stances_with_evidence() -> None:
    analysis, doc = analysis_with_mentions(TEXT)
    StanceStage(Settings())(doc, analysis)  # type: ignore[arg-type]
    stance = {s.actor: s for s in analysis.stance}
    assert stance["NOR"].score > 0 and stance["NOR"].label == "positive"
    assert stance["BRA"].score < 0 and stance["BRA"].label == "negative"
    for item in stance.values():
        assert item.evidence
        for evidence in item.evidence:
            assert analysis.document.text[evidence.start:evidence.end] == evidence.text
            assert evidence.cues
    assert "reckless" in {c for e in stance["BRA"].evidence for c in e.cues}


def test_no_mentions_no_stance() -> None:
    analysis, doc = analysis_with_mentions("Nothing about any country here.")
    StanceStage(Settings())(doc, analysis)  # type: ignore[arg-type]
    assert analysis.stance == []


def test_op_ed_stance_pak_positive_ind_negative(analyzer: Analyzer, op_ed_text: str) -> None:
    if "actors" not in analyzer.stage_names:
        pytest.skip("actors stage not built")
    analysis = analyzer.analyze(op_ed_text)
    stance = {s.actor: s for s in analysis.stance}
    assert stance["PAK"].score > 0
    assert stance["IND"].score < 0
    assert stance["PAK"].evidence and stance["IND"].evidence
    assert any("reckless" in e.cues or "hegemonic" in e.cues for e in stance["IND"].evidence)


def _communique() -> list[str]:
    return [str(Path(sys.executable).parent / "communique")]


def test_eval_stance_cli_beats_baseline_on_a_sample(shared: Path, tmp_path: Path) -> None:
    lines = (shared / "gold/stance/newsmtsc-devtest-mt.jsonl").read_text(encoding="utf-8").splitlines()
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(lines[:150]) + "\n", encoding="utf-8")
    done = subprocess.run([*_communique(), "eval", "stance", "--gold", str(sample), "--json"],
                          capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    assert report["n"] > 200
    assert report["macro_f1"] > report["baseline_macro_f1"]
    assert 0.0 <= report["accuracy"] <= 1.0


def test_eval_stance_bad_gold_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"nope": 1}\n', encoding="utf-8")
    done = subprocess.run([*_communique(), "eval", "stance", "--gold", str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1


def test_mention_without_scoped_cue_is_neutral() -> None:
    # The cues ("brutal", "delayed") concern the storm, not Norway: no polarity and no evidence.
    analysis, doc = analysis_with_mentions("The brutal storm that hit Chile delayed ships from Norway.")
    StanceStage(Settings())(doc, analysis)  # type: ignore[arg-type]
    (stance,) = analysis.stance
    assert stance.actor == "NOR"
    assert stance.score == 0.0 and stance.label == "neutral" and stance.evidence == []


def test_contrast_cues_are_marked_in_evidence() -> None:
    text = "Unlike reckless Brazil, Norway showed restraint."
    analysis, doc = analysis_with_mentions(text)
    StanceStage(Settings())(doc, analysis)  # type: ignore[arg-type]
    stance = {s.actor: s for s in analysis.stance}
    assert stance["NOR"].score > 0 > stance["BRA"].score
    assert any(c.endswith("(contrast)") for e in stance["NOR"].evidence for c in e.cues)


def test_evidence_keeps_the_strongest_mention_per_sentence_and_learned_only_mentions() -> None:
    from communique.stance.stage import MAX_EVIDENCE, _Scored
    from communique.stance.target import TargetSentiment

    text = " ".join(f"Brazil acted {n}." for n in range(MAX_EVIDENCE + 3))
    analysis, doc = analysis_with_mentions(text)
    stage = StanceStage(Settings())
    cues = stage.scorer.cues(doc)

    def scored(sentence: int, value: float, words: list[tuple[str, str]]) -> _Scored:
        mention = analysis.mentions[sentence]
        result = TargetSentiment(value, "negative", {}, [], {}, value, words)
        return _Scored(mention, result, value)

    atrocity = [("head", "atrocity")]  # a word the distilled polarity holds strongly negative
    items = [
        scored(0, -0.3, atrocity),
        scored(0, -0.6, atrocity),  # the same sentence, stronger: replaces the first
        scored(1, -0.9, []),  # no cue of either kind: never evidence
        *(scored(n, -0.2 - n / 100, atrocity) for n in range(2, MAX_EVIDENCE + 3)),
    ]
    evidence = stage._evidence(analysis, items, -0.5, cues)
    assert len(evidence) == MAX_EVIDENCE
    assert [e.sentence for e in evidence][:1] == [0] and evidence[0].score == -0.6
    assert 1 not in {e.sentence for e in evidence}
    assert [abs(e.score or 0) for e in evidence] == sorted((abs(e.score or 0) for e in evidence), reverse=True)
    assert all(e.cues == ["atrocity (learned)"] for e in evidence)
