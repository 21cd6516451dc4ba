"""The distilled stance student: shipped, numerically the network it was trained as, and used."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from spacy.language import Language

from communique.nlp import load_nlp
from communique.stance.lexicon import load_lexicon
from communique.stance.student import (
    WINDOW,
    StudentModel,
    TargetPart,
    encode_target,
    encode_targets,
    load_student,
    window,
)
from communique.stance.target import RELATIONS, STUDENT_BELOW, TargetScorer, load_model

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
    assert len(student.words) > 20000
    assert student.table.shape[0] == len(student.words) + 1
    assert not student.table[0].any(), "unknown words must be zeros"


def test_window_is_centred_on_the_target_and_bounded() -> None:
    assert window(0, 20, 5, 6) == (0, 20)
    first, last = window(0, 200, 150, 152)
    assert last - first == WINDOW and first <= 150 and last >= 152
    assert window(0, 200, 198, 199)[1] == 200
    assert window(0, 200, 0, 1)[0] == 0


def _scorer(nlp: Language, student: StudentModel) -> TargetScorer:
    return TargetScorer(nlp, load_lexicon(), load_model(), student=student)


def test_student_is_consulted_exactly_where_the_linear_model_is_unsure(nlp: Language, student: StudentModel) -> None:
    doc = nlp(SENTENCE + " Officials from India met their counterparts from Pakistan in Geneva on Monday.")
    with_student = _scorer(nlp, student)
    linear_only = TargetScorer(nlp, load_lexicon(), load_model())
    consulted = skipped = 0
    for token in doc:
        if token.text not in {"senator", "mayor", "India", "Pakistan", "Critics", "Officials"}:
            continue
        alone = linear_only.score(doc, token.i, token.i + 1).probabilities
        both = with_student.score(doc, token.i, token.i + 1).probabilities
        if max(alone.values()) < STUDENT_BELOW:
            consulted += 1
            assert both != alone
        else:
            skipped += 1
            assert both == alone
    assert consulted and skipped
    senator = next(t.i for t in doc if t.text == "senator")
    assert with_student.score(doc, senator, senator + 1).label == "negative"


def test_numpy_forward_matches_a_pytorch_rebuild(nlp: Language, student: StudentModel) -> None:
    """The run-time pass (stacked shifted rows, no PyTorch) against PyTorch's own layers."""
    torch: Any = pytest.importorskip("torch")
    functional: Any = torch.nn.functional
    doc = nlp(SENTENCE)
    scorer = _scorer(nlp, student)
    cues = scorer.cues(doc)
    item = scorer.student_input(student.words, student.relation_ids, 3, 4, cues)
    words, target = item.window, item.target
    x = torch.cat(
        [
            torch.tensor(student.table[words.rows]),
            torch.tensor(words.tensor) @ torch.tensor(student.tensor_w).T + torch.tensor(student.tensor_b),
            torch.tensor(student.relation_table[target.relations]),
            torch.tensor(student.offset_table[target.offsets]),
            torch.tensor(student.target_table[target.in_target]),
            torch.tensor(words.cue_values).unsqueeze(-1),
        ],
        -1,
    )
    width = student.conv_b.shape[0]
    conv_w = torch.tensor(student.conv_w.T.reshape(width, 3, -1).transpose(0, 2, 1).copy())
    hidden = functional.relu(functional.conv1d(x.T.unsqueeze(0), conv_w, torch.tensor(student.conv_b), padding=1))
    hidden = hidden[0].T
    in_target = torch.tensor(target.in_target, dtype=torch.bool)
    attention = (hidden @ torch.tensor(student.attention_w) + student.attention_b).softmax(0)
    pooled = torch.cat([hidden.max(0).values, hidden[in_target].mean(0), attention @ hidden])
    expected = (torch.tensor(student.out_w) @ pooled + torch.tensor(student.out_b)).softmax(0).numpy()
    assert np.allclose(student.probabilities(item), expected, atol=1e-5)


def test_a_batch_of_targets_scores_each_as_if_alone(nlp: Language, student: StudentModel) -> None:
    """Targets of different lengths and sentences laid end to end must not leak into each other."""
    doc = nlp(SENTENCE + " India and Pakistan traded accusations after the talks failed.")
    scorer = _scorer(nlp, student)
    cues = scorer.cues(doc)
    spans = [(t.i, t.i + 1) for t in doc if t.text in {"senator", "mayor", "India", "Pakistan"}]
    spans.append((spans[0][0] - 1, spans[0][1]))  # a two-token target
    items = [scorer.student_input(student.words, student.relation_ids, a, b, cues) for a, b in spans]
    # Each target with its own copy of its window, in reverse order: windows are shared by index.
    parts = [i.target for i in items]
    fields = ("relations", "in_target", "offsets")
    end_to_end = TargetPart(*(np.concatenate([getattr(p, f) for p in parts]) for f in fields))
    reversed_windows = [i.window for i in items][::-1]
    together = student.score(reversed_windows, [len(items) - 1 - n for n in range(len(items))], end_to_end)
    for item, row in zip(items, together, strict=True):
        assert np.allclose(student.probabilities(item), row, atol=1e-6)
    assert len({tuple(np.round(row, 4)) for row in together}) == len(items), "targets must differ"
    many = scorer.score_many(doc, spans, cues)
    for result, (a, b) in zip(many, spans, strict=True):
        alone = scorer.score(doc, a, b, cues).probabilities
        assert all(abs(result.probabilities[k] - alone[k]) < 1e-6 for k in alone)


def test_targets_encoded_together_are_each_encoded_alone_end_to_end() -> None:
    bounds = [(0, 6), (10, 20), (3, 5)]
    targets = [(2, 4), (18, 23), (3, 4)]
    relations: list[dict[int, str]] = [{0: "pred", 5: "mod", 9: "far"}, {12: "obj", 19: "pred"}, {}]
    ids = {"context": 1, "pred": 2, "mod": 3, "obj": 4, "far": 5}
    together = encode_targets(bounds, targets, relations, ids)
    alone = [encode_target(b, t, r, ids) for b, t, r in zip(bounds, targets, relations, strict=True)]
    for field in ("relations", "in_target", "offsets"):
        assert getattr(together, field).tolist() == [x for part in alone for x in getattr(part, field).tolist()]
    assert alone[0].relations.tolist() == [2, 1, 0, 0, 1, 3]
    assert alone[0].offsets.tolist() == [13, 14, 15, 15, 16, 17]


def test_target_running_past_its_window_is_cut_to_it() -> None:
    """A mention across a misplaced sentence boundary must not break the arrays' shapes."""
    part = encode_target((10, 20), (18, 23), {}, {"context": 5})
    assert len(part.relations) == len(part.offsets) == len(part.in_target) == 10
    assert part.in_target.tolist() == [0] * 8 + [1, 1]


def test_student_backend_is_chosen_by_setting() -> None:
    from communique.config import Settings
    from communique.stance.stage import StanceStage

    assert StanceStage(Settings(stance_backend="student")).scorer.student is not None
    assert StanceStage(Settings(stance_backend="lexical")).scorer.student is None
