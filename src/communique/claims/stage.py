"""Stage "claims": score every sentence for check-worthiness; typed claim records above the threshold."""

from __future__ import annotations

import itertools
from bisect import bisect_right

from spacy.tokens import Doc, Span

from ..config import Settings
from ..model import Analysis, Claim
from ..model import Span as TextSpan
from ..nlp import load_nlp
from ..stages import Stage, register_stage
from ..transformer_backend import chosen_model, chosen_student
from .features import DocArrays
from .opinion import OpinionGuard, default_guard
from .scorer import LinearClaimModel, SentenceReading
from .student import STUDENT_FILE, ClaimStudent, StudentVote, load_claim_student
from .transformer import load_claims_transformer
from .types import ClaimTyper, is_compound_numeral

NUMBER_ENTITIES = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
DATE_ENTITIES = frozenset({"DATE", "TIME"})
# linear: the explainable linear model alone (fastest); student: averaged with the numpy student
# distilled from the transformer (more accurate, a few per cent of the parse more); transformer:
# the teacher itself (most accurate, about twice the parse).
BACKENDS = ("linear", "student", "transformer")
# How many model features are kept on a claim as its explanation.
TOP_FEATURES = 5


def check_worthiness(
    model: LinearClaimModel,
    sent: Span,
    arrays: DocArrays | None = None,
    guard: OpinionGuard | None = None,
    scored: tuple[float, float] | None = None,
    student: StudentVote | None = None,
    reading: SentenceReading | None = None,
) -> tuple[float, bool, list[str]]:
    """(probability, is_claim, cues): the one decision shared by the stage and `eval claims`.

    ``scored``: (probability, threshold) from the transformer backend instead of the linear model.
    ``student``: the claims student's vote, averaged with the linear model's probability; the
    linear model's features stay the explanation. ``reading``: the linear model's reading of the
    sentence (``LinearClaimModel.readings``), when the caller read the whole document at once.
    The opinion guard applies in every case. The features that explain a claim are ranked only
    for claims: most sentences are not."""
    arrays = arrays if arrays is not None else DocArrays.of(sent.doc)
    if scored is not None:
        probability, threshold = scored
        cues = [f"minilm-claims p={probability:.2f}"]
    else:
        if reading is None:
            reading = model.readings(arrays, [(sent.start, sent.end)], TOP_FEATURES)[0]
        probability = reading.probability
        threshold = model.threshold
        cues = []
        if student is not None:
            probability, threshold = student.combined(probability), student.threshold
            cues.append(f"claims-student p={student.probability:.2f}")
    if probability < threshold:
        return probability, False, cues
    reason = (guard or default_guard()).reason(sent, arrays)
    if reason is not None:
        return probability, False, [f"opinion:{reason}"]
    if scored is None and reading is not None:
        cues = model.explanation(reading.strongest) + cues
    return probability, True, cues


def sentence_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def numbers_and_dates(
    sent: Span, doc_ents: tuple[Span, ...], arrays: DocArrays, ent_ends: list[int] | None = None
) -> tuple[list[TextSpan], list[TextSpan]]:
    """Number/quantity entities, bare numerals the NER missed, and date/time entities.

    ``doc_ents`` is ``doc.ents`` read once: ``Span.ents`` rebuilds the document's entities per call.
    ``ent_ends``: their end tokens, to skip to the sentence by binary search (entities are sorted
    and never overlap)."""
    numbers: list[TextSpan] = []
    dates: list[TextSpan] = []
    covered: set[int] = set()
    first = bisect_right(ent_ends, sent.start) if ent_ends is not None else 0
    for ent in itertools.islice(doc_ents, first, None):
        if ent.start >= sent.end:
            if ent_ends is not None:
                break
            continue
        if ent.end <= sent.start:
            continue
        if ent.label_ in DATE_ENTITIES:
            dates.append(TextSpan(text=ent.text, start=ent.start_char, end=ent.end_char))
            covered.update(range(ent.start, ent.end))
        elif ent.label_ in NUMBER_ENTITIES and not all(is_compound_numeral(t) for t in ent):
            numbers.append(TextSpan(text=ent.text, start=ent.start_char, end=ent.end_char))
            covered.update(range(ent.start, ent.end))
    for i in range(sent.start, sent.end):
        if not arrays.like_num[i] or i in covered:
            continue
        token = sent.doc[i]
        if not is_compound_numeral(token):
            numbers.append(TextSpan(text=token.text, start=token.idx, end=token.idx + len(token.text)))
    numbers.sort(key=lambda s: s.start)
    return numbers, dates


class ClaimsStage:
    name = "claims"

    def __init__(self, settings: Settings) -> None:
        self.transformer = chosen_model(settings.claims_backend, BACKENDS, "claims", load_claims_transformer)
        # PyTorch's thread pool hangs in a forked child: worker processes must be spawned.
        self.fork_safe = self.transformer is None
        self.model = LinearClaimModel.load()
        self.student = student_for(settings.claims_backend)
        # User word classes (Settings.user_files["opinion"]) extend the shipped data/opinion.yaml.
        self.guard = OpinionGuard.load(settings.files("opinion"))
        self.typer = ClaimTyper.build(load_nlp(settings.model))

    def __call__(self, parsed: Doc, analysis: Analysis) -> None:
        actors_by_sentence: dict[int, list[str]] = {}
        for mention in analysis.mentions:
            codes = actors_by_sentence.setdefault(mention.sentence, [])
            if mention.code not in codes:
                codes.append(mention.code)
        arrays = DocArrays.of(parsed)
        doc_ents: tuple[Span, ...] | None = None
        phrase_matches: list[tuple[int, int, int]] | None = None  # the typer's, found at the first claim
        ent_ends: list[int] = []
        transformer_scores: list[float] = []
        if self.transformer is not None:
            transformer_scores = self.transformer.scores([s.text for s in analysis.sentences])
        spans = [sentence_span(parsed, sentence.start, sentence.end) for sentence in analysis.sentences]
        student_scores = self._student_scores(parsed, arrays, spans)
        readings = self._linear_readings(arrays, spans)
        for position, (sentence, span) in enumerate(zip(analysis.sentences, spans, strict=True)):
            if span is None:
                continue
            scored = None
            if self.transformer is not None:
                scored = (transformer_scores[position], self.transformer.threshold)
            learned = None
            if self.student is not None and position in student_scores:
                learned = StudentVote(student_scores[position], self.student.threshold, self.student.weight)
            probability, is_claim, top = check_worthiness(
                self.model, span, arrays, self.guard, scored, learned, readings.get(position)
            )
            sentence.claim_score = round(probability, 4)
            if not is_claim:
                vetoes = [cue for cue in top if cue.startswith("opinion:")]
                sentence.claim_veto = vetoes[0] if vetoes else None
                continue
            if phrase_matches is None:
                phrase_matches = self.typer.phrase_matches(parsed)
            claim_type, cue = self.typer.classify(span, arrays, phrase_matches)
            if doc_ents is None:
                doc_ents = tuple(parsed.ents)
                ent_ends = [ent.end for ent in doc_ents]
            numbers, dates = numbers_and_dates(span, doc_ents, arrays, ent_ends)
            cues = ([f"type:{cue}"] if cue else []) + top
            analysis.claims.append(
                Claim(
                    sentence=sentence.index,
                    start=sentence.start,
                    end=sentence.end,
                    text=sentence.text,
                    score=round(probability, 4),
                    type=claim_type,
                    actors=actors_by_sentence.get(sentence.index, []),
                    numbers=numbers,
                    dates=dates,
                    cues=cues,
                )
            )

    def _linear_readings(self, arrays: DocArrays, spans: list[Span | None]) -> dict[int, SentenceReading]:
        """The linear model's reading of every sentence, by position, for the doc at once."""
        if self.transformer is not None:
            return {}
        bounds = {position: (span.start, span.end) for position, span in enumerate(spans) if span is not None}
        readings = self.model.readings(arrays, list(bounds.values()), TOP_FEATURES)
        return dict(zip(bounds, readings, strict=True))

    def _student_scores(self, parsed: Doc, arrays: DocArrays, spans: list[Span | None]) -> dict[int, float]:
        """The student's p(check-worthy) by sentence position, all sentences of the doc at once."""
        if self.student is None:
            return {}
        positions: list[int] = []
        bounds: list[tuple[int, int]] = []
        for position, span in enumerate(spans):
            # Sentences are sorted; one that overlaps the previous (an odd boundary) is left out.
            if span is not None and len(span) and (not bounds or span.start >= bounds[-1][1]):
                positions.append(position)
                bounds.append((span.start, span.end))
        scores = self.student.document_scores(arrays, parsed.tensor, bounds)
        return dict(zip(positions, scores.tolist(), strict=True))


def student_for(backend: str) -> ClaimStudent | None:
    return chosen_student(backend, "claims", load_claim_student, "claims/" + STUDENT_FILE)


@register_stage("claims")
def make(settings: Settings) -> Stage:
    return ClaimsStage(settings)
