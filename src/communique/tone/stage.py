"""Document tone the way GDELT computes it, so figures compare with GDELT's GKG TONE field.

Tone = positive-word % − negative-word %; polarity = positive % + negative %; activity and
self/group reference densities are % of words too. Words are alphabetic tokens; a word counts as
positive or negative by its sign in the stance polarity lexicon (negation is ignored, as GDELT does).
"""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import Doc

from ..config import Settings
from ..datafiles import DataFileError, package_data, read_yaml
from ..model import Analysis, Tone
from ..stages import Stage, register_stage
from ..stance.lexicon import load_lexicon

WORD_LISTS = package_data("communique.tone", "data/tone-words.yaml")


def load_word_lists(path: Path = WORD_LISTS) -> dict[str, frozenset[str]]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(path, None, None, "expected a mapping with 'activity' and 'self_group' lists")
    lists = {}
    for name in ("activity", "self_group"):
        words = data.get(name) or []
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DataFileError(path, None, name, "expected a list of words")
        lists[name] = frozenset(w.lower() for w in words)
    return lists


def compute_tone(
    doc: Doc, polarity: dict[str, float], activity: frozenset[str], self_group: frozenset[str]
) -> Tone:
    words = positive = negative = active = pronouns = 0
    for token in doc:
        if not token.is_alpha:
            continue
        words += 1
        lower = token.lower_
        lemma = token.lemma_.lower()
        # Proper names are not tone words ("United States").
        if token.pos_ != "PROPN":
            value = polarity.get(lower, polarity.get(lemma, 0.0))
            if value > 0:
                positive += 1
            elif value < 0:
                negative += 1
        if lemma in activity or lower in activity:
            active += 1
        if lower in self_group:
            pronouns += 1

    def percent(count: int) -> float:
        return round(100.0 * count / words, 4) if words else 0.0

    pos, neg = percent(positive), percent(negative)
    return Tone(
        tone=round(pos - neg, 4),
        positive=pos,
        negative=neg,
        polarity=round(pos + neg, 4),
        activity=percent(active),
        self_group=percent(pronouns),
        word_count=words,
    )


class ToneStage:
    name = "tone"

    def __init__(self, settings: Settings) -> None:
        lexicon = load_lexicon(settings.files("stance"))
        # Zero-score overrides ("goods") stay in the map so they block their lemma.
        self.polarity = dict(lexicon.words)
        lists = load_word_lists()
        self.activity = lists["activity"]
        self.self_group = lists["self_group"]

    def __call__(self, parsed: Doc, analysis: Analysis) -> None:
        analysis.tone = compute_tone(parsed, self.polarity, self.activity, self.self_group)


@register_stage("tone")
def make(settings: Settings) -> Stage:
    return ToneStage(settings)
