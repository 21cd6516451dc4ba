"""The distilled stance student: shipped, numerically the network it was trained as, and used."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from spacy.language import Language

from communique.nlp import load_nlp
from communique.stance.lexicon import load_lexicon
from communique.stance.student import WINDOW, StudentModel, load_student, window
from communique.stance.target import RELATIONS, TargetScorer, load_model

SENTENCE = "Critics said the senator's reckless remarks had damaged relations, while the mayor was widely praised."


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="module")
def student() -> StudentModel:
    model = load_student()
    assert model is not None, "the student must ship in the package"
    return model


def test_shipped_student_reads_the_scope_relations_it_was_trained_with(student: StudentModel) -> None:
    assert student.relations == RELATIONS
    assert len(student.word_rows) > 20000
    assert student.table.shape[0] == len(student.word_rows) + 1
    assert not student.table[0].any(), "unknown words must be zeros"


def test_window_is_centred_on_the_target_and_bounded() -> None:
    assert window(0, 20, 5, 6) == (0, 20)
    first, last = window(0, 200, 150, 152)
    assert last - first == WINDOW and first <= 150 and last >= 152
    assert window(0, 200, 198, 199)[1] == 200
    assert window(0, 200, 0, 1)[0] == 0


def _scorer(nlp: Language, student: StudentModel) -> TargetScorer:
    return TargetScorer(nlp, load_lexicon(), load_model(), student=student)


def test_student_changes_the_linear_reading_and_gets_the_sentence_right(
    nlp: Language, student: StudentModel
) -> None:
    doc = nlp(SENTENCE)
    with_student = _scorer(nlp, student)
    linear_only = TargetScorer(nlp, load_lexicon(), load_model())
    senator = next(t.i for t in doc if t.text == "senator")
    mayor = next(t.i for t in doc if t.text == "mayor")
    assert with_student.score(doc, senator, senator + 1).label == "negative"
    assert with_student.score(doc, mayor, mayor + 1).label == "positive"
    a = with_student.score(doc, senator, senator + 1).probabilities
    b = linear_only.score(doc, senator, senator + 1).probabilities
    assert a != b


def test_numpy_forward_matches_a_pytorch_rebuild(nlp: Language, student: StudentModel) -> None:
    """The run-time pass (stacked shifted rows, no PyTorch) against PyTorch's own layers."""
    torch: Any = pytest.importorskip("torch")
    functional: Any = torch.nn.functional
    doc = nlp(SENTENCE)
    scorer = _scorer(nlp, student)
    cues = scorer.cues(doc)
    item = scorer.student_input(student.word_rows, student.relation_ids, 3, 4, cues)
    x = torch.cat(
        [
            torch.tensor(student.table[item.rows]),
            torch.tensor(item.tensor) @ torch.tensor(student.tensor_w).T + torch.tensor(student.tensor_b),
            torch.tensor(student.relation_table[item.relations]),
            torch.tensor(student.offset_table[item.offsets]),
            torch.tensor(student.target_table[item.in_target]),
            torch.tensor(item.cue_values).unsqueeze(-1),
        ],
        -1,
    )
    width = student.conv_b.shape[0]
    conv_w = torch.tensor(student.conv_w.T.reshape(width, 3, -1).transpose(0, 2, 1).copy())
    hidden = functional.relu(functional.conv1d(x.T.unsqueeze(0), conv_w, torch.tensor(student.conv_b), padding=1))
    hidden = hidden[0].T
    in_target = torch.tensor(item.in_target, dtype=torch.bool)
    attention = (hidden @ torch.tensor(student.attention_w) + student.attention_b).softmax(0)
    pooled = torch.cat([hidden.max(0).values, hidden[in_target].mean(0), attention @ hidden])
    expected = (torch.tensor(student.out_w) @ pooled + torch.tensor(student.out_b)).softmax(0).numpy()
    assert np.allclose(student.probabilities(item), expected, atol=1e-5)
