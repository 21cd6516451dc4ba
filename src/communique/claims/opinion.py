"""Opinion guard: a sentence whose main predicate only evaluates, prescribes or frames, with nothing
to check, is not a claim.

The debate-trained model cannot tell "X remains a reliable partner", "the talks underscored X's
commitment to peace" or "X sees its ties with Y as no threat" from facts in op-ed prose full of
country names, so this structural rule vetoes them (the score is still reported). What rescues a
sentence is checkable content: a number, or a ranking/comparison on a measurable scale ("the
largest importer", "more troops"); a date rescues plain copular sentences only, because "in May"
dates the backdrop of "the talks underscored ...", not the interpretation.

The word classes live in data/opinion.yaml so analysts can extend them; polar adjectives and
adverbs also come from the stance polarity lexicon (read-only). Everything is a set lookup over
the ``DocArrays`` the scorer already built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field
from spacy.tokens import Span

from ..datafiles import package_data, validate, yaml_records
from .features import REPORTING_LEMMAS, DocArrays

OPINION_FILE = "data/opinion.yaml"
Kind = Literal["normative", "copular", "significance", "framing", "evaluative", "measurable", "not_comparison"]
NUMBER_ENTITIES = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
DATE_ENTITIES = frozenset({"DATE", "TIME"})
RANKING_TAGS = frozenset({"JJR", "JJS", "RBR", "RBS"})
# "more"/"most" rank the word they modify: "most important" is as evaluative as "important".
DEGREE_ADVERB_TAGS = frozenset({"RBR", "RBS"})
MODIFIER_POS = frozenset({"ADJ", "ADV"})
# Past events are checkable; present-tense framing or evaluation is not.
PAST_EVENT_TAGS = frozenset({"VBD"})
# Spelled-out counts that, with a definite determiner, refer to parties already known.
SMALL_COUNT_WORDS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
DEFINITE_DETERMINERS = frozenset({"the", "these", "those", "both"})
# Subjective modifiers needed, with nothing checkable and no past event, to call a sentence opinion.
EVALUATIVE_DENSITY = 2


class OpinionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    lemmas: list[str] = Field(min_length=1)


@dataclass(frozen=True)
class OpinionGuard:
    """Lemma classes of the guard; build once (``load``) and call ``reason`` per sentence."""

    normative: frozenset[str]
    copular: frozenset[str]
    significance: frozenset[str]
    framing: frozenset[str]
    evaluative: frozenset[str]  # own list plus the polar words of the stance lexicon
    measurable: frozenset[str]
    not_comparison: frozenset[str]
    interpretive: frozenset[str] = frozenset()  # copular | significance | framing: no event by themselves

    @classmethod
    def load(cls, user_files: Iterable[Path] = (), *, with_lexicon: bool = True) -> OpinionGuard:
        """Shipped classes, user files added on top (a bad entry raises DataFileError with file:line)."""
        classes: dict[str, set[str]] = {kind: set() for kind in get_args(Kind)}
        for path in (package_data("communique.claims", OPINION_FILE), *user_files):
            for entry, _ in validate(yaml_records(path), OpinionEntry):
                classes[entry.kind].update(" ".join(lemma.lower().split()) for lemma in entry.lemmas)
        evaluative = frozenset(classes["evaluative"]) | (polar_words() if with_lexicon else frozenset())
        interpretive = frozenset(classes["copular"] | classes["significance"] | classes["framing"])
        return cls(
            normative=frozenset(classes["normative"]),
            copular=frozenset(classes["copular"]),
            significance=frozenset(classes["significance"]),
            framing=frozenset(classes["framing"]),
            evaluative=evaluative,
            measurable=frozenset(classes["measurable"]),
            not_comparison=frozenset(classes["not_comparison"]),
            interpretive=interpretive,
        )

    def reason(self, sent: Span, arrays: DocArrays | None = None) -> str | None:
        """Why the sentence is opinion (a short cue), or None when it may be a factual claim."""
        a = arrays if arrays is not None else DocArrays.of(sent.doc)
        start, end = sent.start, sent.end
        lemma, tag, pos, dep, head = a.lemma, a.tag, a.pos, a.dep, a.head
        has_date = False
        for i in range(start, end):
            if (
                (a.like_num[i] or a.ent[i] in NUMBER_ENTITIES)
                and not self._compound_numeral(a, i, end)
                and not self._definite_count(a, i, start, end)
            ):
                return None
            if tag[i] in RANKING_TAGS and self._ranks_measurably(a, i):
                return None
            has_date = has_date or a.ent[i] in DATE_ENTITIES
        root = sent.root.i
        root_lemma = lemma[root]
        children = [i for i in range(start, end) if head[i] == root and i != root]
        for i in children:
            if dep[i] == "aux" and lemma[i] in self.normative:
                return f"normative:{a.lower[i]}"
        if pos[root] == "VERB" or pos[root] == "AUX":
            if root_lemma in self.framing and self._framed_as(a, root, children, start, end):
                return f"framing:{root_lemma} as"
            if root_lemma in self.significance:
                return f"significance:{root_lemma}"
        if has_date:
            return None
        if tag[root] in PAST_EVENT_TAGS and root_lemma not in self.copular:
            return None  # a past event is checkable
        if root_lemma in REPORTING_LEMMAS:
            return None  # "X says Y": the attribution is checkable
        if self._reports_past_event(a, start, end):
            return None  # "... before the army invaded it": the event can be checked
        if root_lemma in self.copular:
            found = self._evaluative_complement(a, root_lemma, children, start, end)
            if found is not None:
                return found
        subjective = [a.lower[i] for i in range(start, end) if self._subjective(a, i)]
        if len(subjective) >= EVALUATIVE_DENSITY:
            return "evaluative:" + " ".join(subjective[:3])
        return None

    def _subjective(self, a: DocArrays, i: int) -> bool:
        """An evaluative adjective, or a manner/stance adverb ("clearly", "recklessly"), not "just"."""
        if a.pos[i] == "ADJ":
            return a.lemma[i] in self.evaluative
        return a.pos[i] == "ADV" and a.lemma[i].endswith("ly") and a.lemma[i] in self.evaluative

    def _reports_past_event(self, a: DocArrays, start: int, end: int) -> bool:
        """Any clause telling what happened ("we made", "has rescued"), not a past evaluation ("appeared reckless")."""
        interpretive = self.interpretive
        for i in range(start, end):
            if a.pos[i] != "VERB" or a.lemma[i] in interpretive:
                continue
            if a.tag[i] == "VBD":
                return True
            if a.tag[i] == "VBN" and any(
                a.head[j] == i and a.dep[j] == "aux" and a.lemma[j] == "have" for j in range(start, end)
            ):
                return True
        return False

    @staticmethod
    def _compound_numeral(a: DocArrays, i: int, end: int) -> bool:
        """Number words inside hyphenated compounds ("zero-sum", "one-sided") state no quantity."""
        return a.lower[i].isalpha() and i + 1 < end and a.lower[i + 1] == "-"

    @staticmethod
    def _definite_count(a: DocArrays, i: int, start: int, end: int) -> bool:
        """A small spelled-out count naming known parties ("the two ministers", "these three states")
        refers back; it asserts no quantity a fact-checker could look up."""
        if not a.lower[i].isalpha() or a.lower[i] not in SMALL_COUNT_WORDS or a.dep[i] != "nummod":
            return False
        noun = a.head[i]
        return any(
            a.head[j] == noun and (a.dep[j] == "poss" or (a.dep[j] == "det" and a.lower[j] in DEFINITE_DETERMINERS))
            for j in range(start, end)
        )

    def _ranks_measurably(self, a: DocArrays, i: int) -> bool:
        """A comparative/superlative on a measurable scale ("largest", "more troops"), not "best"."""
        ranked = i
        if a.tag[i] in DEGREE_ADVERB_TAGS and a.pos[a.head[i]] in MODIFIER_POS:
            ranked = a.head[i]
        word = a.lemma[ranked]
        if word in self.not_comparison or a.lower[ranked] in self.not_comparison:
            return False
        return word in self.measurable or word not in self.evaluative

    @staticmethod
    def _framed_as(a: DocArrays, root: int, children: list[int], start: int, end: int) -> bool:
        """An "as" or predicative complement: "sees Y as Z", "positions itself as Z", "considers Y a threat"."""
        for i in children:
            if (a.dep[i] == "prep" and a.lower[i] == "as") or a.dep[i] == "oprd":
                return True
            if a.dep[i] == "dobj":
                for j in range(start, end):
                    if a.head[j] == i and a.dep[j] == "prep" and a.lower[j] == "as":
                        return True
        return False

    def _evaluative_complement(
        self, a: DocArrays, root_lemma: str, children: list[int], start: int, end: int
    ) -> str | None:
        """An evaluative complement: "remains a reliable partner", "is bright", "serves as a stark reminder"."""
        for i in children:
            d = a.dep[i]
            if d in ("acomp", "oprd") and a.pos[i] == "ADJ":
                return f"evaluative:{root_lemma} {a.lower[i]}"
            if d in ("attr", "dobj") and self._has_adjective(a, i, start, end):
                return f"evaluative:{root_lemma} {a.lower[i]}"
            if d == "prep" and a.lower[i] == "as":
                for noun in range(start, end):
                    if a.head[noun] == i and a.dep[noun] == "pobj" and self._has_adjective(a, noun, start, end):
                        return f"evaluative:{root_lemma} as {a.lower[noun]}"
        return None

    def _has_adjective(self, a: DocArrays, noun: int, start: int, end: int) -> bool:
        """An evaluative adjective on the noun ("a reliable partner"; "the private sector" is no verdict)."""
        return any(
            a.head[j] == noun and a.dep[j] in ("amod", "conj") and self._subjective(a, j) for j in range(start, end)
        )


@lru_cache(maxsize=1)
def polar_words() -> frozenset[str]:
    """Single-word cues with a polarity in the shipped stance lexicon (a broken file is an error, not a gap)."""
    from ..stance.lexicon import load_lexicon

    return frozenset(load_lexicon().single_words())


@lru_cache(maxsize=1)
def default_guard() -> OpinionGuard:
    return OpinionGuard.load()


def opinion_reason(sent: Span, arrays: DocArrays | None = None) -> str | None:
    """``OpinionGuard.reason`` with the shipped word classes (built once per process)."""
    return default_guard().reason(sent, arrays)
