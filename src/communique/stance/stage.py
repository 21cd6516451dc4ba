"""The stance stage: the author's stance toward each actor, from target-dependent sentiment per mention."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc

from ..config import Settings
from ..model import ActorMention, Analysis, Evidence, Stance, StanceLabel
from ..nlp import load_nlp
from ..stages import Stage, register_stage
from ..transformer_backend import chosen_model, chosen_student
from .distilled import scoped_words
from .lexicon import load_lexicon
from .student import STUDENT_FILE, StudentModel, load_student
from .target import RELATIONS, CueHit, DocCues, TargetScorer, TargetSentiment, load_model
from .transformer import TargetInput, load_transformer

# lexical: scoped lexicon + linear model (fast, default); student: the same averaged with the numpy
# student distilled from the transformer where the linear model is unsure (more accurate, a few per
# cent of the parse more); transformer: the teacher itself (most accurate, several times the parse).
BACKENDS = ("lexical", "student", "transformer")

# Aggregate score beyond which an actor is labelled positive / negative.
LABEL_THRESHOLD = 0.1
MAX_EVIDENCE = 5
# A mention counts as evidence when its own score is at least this strong and a scoped cue backs it.
EVIDENCE_MIN = 0.15
# Relations whose words the distilled polarity may name as evidence ("pred|reckless"), and how many.
_SCOPED = frozenset(RELATIONS) - {"context"}
MAX_DISTILLED_CUES = 3


@dataclass
class _Scored:
    mention: ActorMention
    result: TargetSentiment | None  # None: no cue in the sentence, counted as neutral
    value: float = 0.0
    # The transformer backend's own reading, shown as evidence when no lexicon cue backs it.
    model_cue: str | None = None


def mention_score(result: TargetSentiment | None) -> float:
    """Blended mention score; a mention with no cue in its scope counts as neutral (0)."""
    if result is None or all(hit.relation == "context" for hit in result.cues):
        return 0.0
    return result.blended


def aggregate(scores: list[float]) -> float:
    """Mean mention score: an actor praised once and mentioned neutrally ten times is mildly positive."""
    return max(-1.0, min(1.0, sum(scores) / len(scores))) if scores else 0.0


def label_for(score: float) -> StanceLabel:
    if score > LABEL_THRESHOLD:
        return "positive"
    if score < -LABEL_THRESHOLD:
        return "negative"
    return "neutral"


def student_for(backend: str) -> StudentModel | None:
    return chosen_student(backend, "stance", load_student, "stance/" + STUDENT_FILE)


class StanceStage:
    name = "stance"

    def __init__(self, settings: Settings) -> None:
        self.transformer = chosen_model(settings.stance_backend, BACKENDS, "stance", load_transformer)
        # PyTorch's thread pool hangs in a forked child: worker processes must be spawned.
        self.fork_safe = self.transformer is None
        nlp = load_nlp(settings.model)
        self.scorer = TargetScorer(
            nlp,
            load_lexicon(settings.files("stance")),
            load_model(),
            student=student_for(settings.stance_backend),
        )

    def __call__(self, parsed: Doc, analysis: Analysis) -> None:
        if not analysis.mentions:
            return
        cues = self.scorer.cues(parsed)
        by_actor: dict[str, list[_Scored]] = defaultdict(list)
        to_score: list[tuple[ActorMention, tuple[int, int]]] = []
        for mention in analysis.mentions:
            tokens = cues.token_span(mention.start, mention.end)  # doc.char_span(..., "expand")
            if tokens is None or tokens[0] >= tokens[1]:
                continue
            if not cues.has_cues(tokens[0]):
                # No evaluative cue anywhere in the sentence: neutral for the lexical backend.
                by_actor[mention.code].append(_Scored(mention, None))
                continue
            to_score.append((mention, tokens))
        # One span may stand for several actors ("the Pakistani army": PAK, PAKMIL): scored once.
        spans = list(dict.fromkeys(tokens for _, tokens in to_score))
        results = dict(zip(spans, self.scorer.score_many(parsed, spans, cues, require_scope=True), strict=True))
        for mention, tokens in to_score:
            result = results[tokens]
            by_actor[mention.code].append(_Scored(mention, result, mention_score(result)))
        if self.transformer is not None:
            self._rescore(analysis, [item for items in by_actor.values() for item in items])
        for code, scored in by_actor.items():
            score = aggregate([s.value for s in scored])
            evidence = self._evidence(analysis, scored, score, cues)
            analysis.stance.append(
                Stance(
                    actor=code,
                    score=round(score, 3),
                    # A label the reader cannot check is not given: no evidence, no polarity.
                    label=label_for(score) if evidence else "neutral",
                    evidence=evidence,
                )
            )
        analysis.stance.sort(key=lambda s: (-abs(s.score), s.actor))

    def _rescore(self, analysis: Analysis, scored: list[_Scored]) -> None:
        """The transformer reads every mention, cue or not: it learned sentiment the lexicon lacks."""
        assert self.transformer is not None
        targets: list[TargetInput] = []
        kept: list[_Scored] = []
        for item in scored:
            if item.mention.sentence >= len(analysis.sentences):
                continue
            sentence = analysis.sentences[item.mention.sentence]
            start, end = item.mention.start - sentence.start, item.mention.end - sentence.start
            if 0 <= start < end <= len(sentence.text):
                targets.append(TargetInput(sentence.text, start, end))
                kept.append(item)
        for item, probabilities in zip(kept, self.transformer.probabilities(targets), strict=True):
            item.value = probabilities["positive"] - probabilities["negative"]
            # The probability of the direction the mention pulls, which is what the evidence shows.
            label = "positive" if item.value >= 0 else "negative"
            item.model_cue = f"minilm-stance p({label})={probabilities[label]:.2f}"

    def _evidence(self, analysis: Analysis, scored: list[_Scored], score: float, doc_cues: DocCues) -> list[Evidence]:
        """Sentences whose mentions pull the same way as the overall stance, with their cues.

        The strongest such mention of each sentence is kept. Its learned words are looked up once
        it is kept, or earlier only when they alone would make it evidence."""
        sign = 1 if score >= 0 else -1
        best: dict[int, tuple[_Scored, list[CueHit], list[str] | None]] = {}
        for item in scored:
            if item.result is None and item.model_cue is None:
                continue
            if item.value * sign < EVIDENCE_MIN:
                continue
            if item.mention.sentence >= len(analysis.sentences):
                continue
            hits = [] if item.result is None else item.result.evidence_cues(sign)
            learned: list[str] | None = None
            if not hits and item.model_cue is None:
                learned = self._learned_words(item, hits, sign, doc_cues)
                if not learned:
                    continue
            current = best.get(item.mention.sentence)
            if current is None or abs(item.value) > abs(current[0].value):
                best[item.mention.sentence] = (item, hits, learned)
        ranked = sorted(best.values(), key=lambda kept: -abs(kept[0].value))[:MAX_EVIDENCE]
        evidence: list[Evidence] = []
        for item, hits, learned in ranked:
            cues = [f"{hit.cue.text} (contrast)" if hit.relation == "contrast" else hit.cue.text for hit in hits]
            if learned is None:
                learned = self._learned_words(item, hits, sign, doc_cues)
            cues.extend(learned)
            if item.model_cue is not None:
                cues.append(item.model_cue)
            sentence = analysis.sentences[item.mention.sentence]
            evidence.append(
                Evidence(
                    sentence=sentence.index,
                    start=sentence.start,
                    end=sentence.end,
                    text=sentence.text,
                    cues=list(dict.fromkeys(cues)),
                    score=round(item.value, 3),
                )
            )
        return evidence

    def _learned_words(self, item: _Scored, hits: list[CueHit], sign: int, doc_cues: DocCues) -> list[str]:
        """Words of the mention's scope whose distilled polarity pulls its way, beyond the lexicon cues."""
        if item.result is None or self.scorer.distilled is None:
            return []
        known = {doc_cues.lemma(hit.cue.head) for hit in hits}
        known.update(word for hit in hits for word in hit.cue.text.lower().split())
        learned = scoped_words(item.result.words, self.scorer.distilled, sign, _SCOPED)
        return [f"{w} (learned)" for w in learned if w not in known][:MAX_DISTILLED_CUES]


@register_stage("stance")
def make(settings: Settings) -> Stage:
    return StanceStage(settings)
