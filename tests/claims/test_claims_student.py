"""The distilled claims student: shipped, numerically the network it was trained as, and used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from spacy.language import Language
from typer.testing import CliRunner

from communique.claims.features import DocArrays
from communique.claims.student import ClaimStudent, encode, load_claim_student
from communique.nlp import load_nlp

CLAIM = "Exports to the Gulf rose by 12 percent last year, the ministry said."
OPINION = "We should all hope for a better future together."


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="module")
def student() -> ClaimStudent:
    model = load_claim_student()
    assert model is not None, "the student must ship in the package"
    return model


def test_shipped_student_knows_its_vocabularies_and_threshold(student: ClaimStudent) -> None:
    assert len(student.vocabularies.words) > 20000
    assert student.table.shape[0] == len(student.vocabularies.words) + 1
    assert not student.table[0].any(), "unknown words must be zeros"
    assert "CD" in student.vocabularies.tags and "PERCENT" in student.vocabularies.ents
    assert 0.2 <= student.threshold <= 0.8
    assert student.training["student_weight"] == student.weight, "the weight chosen in training is the one used"
    assert 0.5 <= student.weight <= 1.0


def test_encoding_by_hash_reads_the_vocabularies_as_strings_do(nlp: Language, student: ClaimStudent) -> None:
    """Tokens are looked up by spaCy hash; the vocabularies are strings: the form first, then the
    lower-cased lemma (which has no hash of its own in the doc), then unknown."""
    doc = nlp("Ms. PAKISTAN's Ahmed-Khan said 55% of U.S. tariffs rose €3bn after Russia stockpiled blorfingly.")
    arrays = DocArrays.of(doc)
    item = encode(arrays, doc.tensor, 0, len(doc), student.vocabularies)
    vocabularies = student.vocabularies
    words = vocabularies.words
    expected_rows = [words.get(arrays.lower[k], words.get(arrays.lemma[k], 0)) for k in range(len(doc))]
    assert item.rows.tolist() == expected_rows
    assert 0 in expected_rows, "the sentence must hold an unknown word"
    assert any(words.get(arrays.lower[k]) is None and row > 0 for k, row in enumerate(expected_rows)), (
        "and a word found by its lemma only"
    )
    assert item.tags.tolist() == [vocabularies.tags.get(t, 0) for t in arrays.tag]
    assert item.ents.tolist() == [vocabularies.ents.get(e, 0) for e in arrays.ent]
    assert item.deps.tolist() == [vocabularies.deps.get(d, 0) for d in arrays.dep]


def test_numpy_forward_matches_a_pytorch_rebuild(nlp: Language, student: ClaimStudent) -> None:
    """The run-time pass (lookups folded into the first convolution, segment pooling) against PyTorch's own layers."""
    torch: Any = pytest.importorskip("torch")
    functional: Any = torch.nn.functional
    doc = nlp(CLAIM)
    item = encode(DocArrays.of(doc), doc.tensor, 0, len(doc), student.vocabularies)
    hidden = torch.tensor(student.inputs(item)).T.unsqueeze(0)
    for layer, (stacked, bias) in enumerate(student.convolutions):
        kernel = np.split(stacked, 3, axis=1)  # previous, same, next: in x out each
        weight = torch.tensor(np.stack(kernel, axis=2).transpose(1, 0, 2).copy())  # out x in x 3
        out = functional.relu(functional.conv1d(hidden, weight, torch.tensor(bias), padding=1))
        hidden = out if layer == 0 else hidden + out
    hidden = hidden[0].T
    attention = (hidden @ torch.tensor(student.attention_w) + student.attention_b).softmax(0)
    pooled = torch.cat([hidden.max(0).values, attention @ hidden])
    expected = (torch.tensor(student.out_w) @ pooled + torch.tensor(student.out_b)).softmax(0)[1].item()
    assert student.scores(item, [(0, len(doc))])[0] == pytest.approx(expected, abs=1e-5)


def test_sentences_of_a_document_score_as_if_alone(nlp: Language, student: ClaimStudent) -> None:
    """The convolution and the pooling must stop at sentence ends."""
    doc = nlp(f"{OPINION} {CLAIM} Is that so?")
    arrays = DocArrays.of(doc)
    bounds = [(s.start, s.end) for s in doc.sents]
    assert len(bounds) == 3
    together = student.document_scores(arrays, doc.tensor, bounds)
    for (start, end), score in zip(bounds, together, strict=True):
        alone = student.scores(encode(arrays, doc.tensor, start, end, student.vocabularies), [(0, end - start)])
        # float32 products over different row counts may round apart in the last bits, no more.
        assert alone[0] == pytest.approx(score, abs=1e-6)
    assert together[1] > together[0], "the statistic must outscore the exhortation"


def test_student_backend_averages_and_explains(nlp: Language) -> None:
    from communique import Analyzer, Document
    from communique.config import Settings

    text = f"{CLAIM} {OPINION}"
    analysis = Analyzer(Settings(claims_backend="student")).analyze(Document(id="t", text=text))
    linear = Analyzer(Settings(claims_backend="linear")).analyze(Document(id="t", text=text))
    assert [c.text for c in analysis.claims] == [CLAIM]
    cues = analysis.claims[0].cues
    assert any(c.startswith("claims-student p=") for c in cues)
    assert any(not c.startswith(("claims-student", "type:")) for c in cues), "linear features stay the explanation"
    assert analysis.sentences[0].claim_score != linear.sentences[0].claim_score


def test_stage_score_is_the_weighted_average_of_both_models(nlp: Language, student: ClaimStudent) -> None:
    from communique import Analyzer, Document
    from communique.claims.features import feature_set
    from communique.claims.scorer import LinearClaimModel
    from communique.config import Settings

    analysis = Analyzer(Settings(claims_backend="student")).analyze(Document(id="t", text=CLAIM))
    doc = nlp(CLAIM)
    arrays = DocArrays.of(doc)
    learned = float(student.document_scores(arrays, doc.tensor, [(0, len(doc))])[0])
    linear = LinearClaimModel.load().score(feature_set(doc[:], arrays))
    expected = student.weight * learned + (1.0 - student.weight) * linear
    assert analysis.sentences[0].claim_score == pytest.approx(expected, abs=1e-4)


def test_eval_claims_student_backend_runs_from_the_cli(tmp_path: Path) -> None:
    import json

    from communique.cli import _register_plugins, app

    _register_plugins()
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([{"text": CLAIM, "label": 1}, {"text": OPINION, "label": 0}]), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "claims", "--gold", str(gold), "--backend", "student", "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    assert metrics["backend"] == "student" and metrics["f1"] == 1.0


def test_missing_student_file_is_a_set_up_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from communique.claims import stage

    monkeypatch.setattr(stage, "load_claim_student", lambda: None)
    with pytest.raises(ValueError, match=r"claims-student\.npz"):
        stage.student_for("student")
    assert stage.student_for("linear") is None
