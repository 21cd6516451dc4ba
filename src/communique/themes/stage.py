"""Stage "themes": what the document is about, with a score and the spans that show it."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import LEMMA, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc

from ..config import Settings
from ..hashes import member, string_of
from ..model import Analysis, Evidence, Theme
from ..nlp import load_nlp
from ..stages import Stage, register_stage
from .taxonomy import CompiledTaxonomy, load_entries

# Evidence weighing at least this makes a theme reported (one strong cue or two weak ones).
MIN_WEIGHT = 1.0
# Score = 1 - exp(-weight / SCALE): one strong cue ~0.39, two ~0.63, four ~0.86.
SCALE = 2.0
MAX_EVIDENCE = 8


@dataclass
class _Hits:
    weight: float = 0.0
    evidence: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, cue
    tokens: set[int] = field(default_factory=set)  # tokens already counted


def _case_variants(word: str) -> set[str]:
    return {word, word.title(), word.upper(), word.capitalize()}


def theme_score(weight: float) -> float:
    return round(1.0 - math.exp(-weight / SCALE), 3)


class ThemesStage:
    name = "themes"

    def __init__(self, settings: Settings) -> None:
        self.taxonomy = CompiledTaxonomy.build(load_nlp(settings.model), load_entries(settings.files("themes")))
        # Single-word terms by the hash of their string, as ``doc.to_array(LOWER)`` gives it.
        self._by_lower = {int(get_string_id(word)): hits for word, hits in self.taxonomy.words.items()}
        # Hashes a token's form or lemma has when it may be a term (a lemma keeps its case: "Tariff"
        # is a variant), to find a doc's candidates in one search; each is then checked as before.
        self._term_hashes = np.array(
            sorted(
                {self._hash(variant) for word in self.taxonomy.words for variant in _case_variants(word)}
                | set(self._by_lower)
            ),
            dtype=np.uint64,
        )

    @staticmethod
    def _hash(text: str) -> int:
        return int(get_string_id(text))

    def matches(self, doc: Doc) -> list[tuple[str, int, int, float, str]]:
        """(theme id, start token, end token, weight, cue) for every pattern hit."""
        found: list[tuple[str, int, int, float, str]] = []
        words, strings = self.taxonomy.words, doc.vocab.strings
        # A token's lower-cased form, else its lemma lower-cased: read by hash, so only hits build strings.
        by_lower = self._by_lower
        table = doc.to_array([LOWER, LEMMA]).reshape(len(doc), 2)
        candidates = np.flatnonzero(member(table[:, 0], self._term_hashes) | member(table[:, 1], self._term_hashes))
        for i, lower, lemma in zip(
            candidates.tolist(), table[candidates, 0].tolist(), table[candidates, 1].tolist(), strict=True
        ):
            hits = by_lower.get(lower) or words.get(string_of(strings, lemma, lowered=True))
            if hits:
                cue = "term:" + string_of(strings, lemma, lowered=True)
                for theme_id, weight in hits:
                    found.append((theme_id, i, i + 1, weight, cue))
        names = self.taxonomy.match_names
        for matcher, kind in ((self.taxonomy.phrases, "phrase"), (self.taxonomy.names, "name")):
            for match_id, start, end in matcher(doc):
                found.append((names[match_id], start, end, 1.0, f"{kind}:{doc[start:end].text.lower()}"))
        return found

    def __call__(self, parsed: Doc, analysis: Analysis) -> None:
        hits: dict[str, _Hits] = {}
        # Longest first, so a token inside an already counted phrase adds nothing to the same theme.
        for theme_id, start, end, weight, cue in sorted(self.matches(parsed), key=lambda m: m[1] - m[2]):
            entry = self.taxonomy.entries[theme_id]
            for target in (theme_id, entry.parent) if entry.parent else (theme_id,):
                bucket = hits.setdefault(target, _Hits())
                covered = range(start, end)
                if not bucket.tokens.isdisjoint(covered):
                    continue
                bucket.tokens.update(covered)
                bucket.weight += weight
                bucket.evidence.append((start, end, cue if target == theme_id else f"{theme_id}:{cue}"))
        sentence_starts = [s.start for s in analysis.sentences]
        themes = []
        for theme_id, bucket in hits.items():
            if bucket.weight < MIN_WEIGHT:
                continue
            evidence = []
            for start, end, cue in sorted(bucket.evidence)[:MAX_EVIDENCE]:
                span = parsed[start:end]
                sentence = max(bisect.bisect_right(sentence_starts, span.start_char) - 1, 0)
                evidence.append(
                    Evidence(sentence=sentence, start=span.start_char, end=span.end_char, text=span.text, cues=[cue])
                )
            themes.append(
                Theme(
                    theme=theme_id,
                    label=self.taxonomy.entries[theme_id].label,
                    score=theme_score(bucket.weight),
                    evidence=evidence,
                )
            )
        themes.sort(key=lambda t: (-t.score, t.theme))
        analysis.themes.extend(themes)


@register_stage("themes")
def make(settings: Settings) -> Stage:
    return ThemesStage(settings)
