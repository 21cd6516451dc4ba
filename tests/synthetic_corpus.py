"""Synthetic corpora and a rule-based stand-in analyzer for store tests and parity checks (test support only).

The stand-in reads a tiny controlled language ("IND accuses PAK.", "USA is admirable.", "#trade")
so tests can fill every table (events, stance, claims, themes, quotes, tone) without depending on
the real stages, and know exactly what should be stored.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar

from communique.analyzer import as_document
from communique.model import (
    Actor,
    ActorMention,
    Analysis,
    Cameo,
    Claim,
    Document,
    Event,
    EventActor,
    Evidence,
    Plover,
    Quote,
    Sentence,
    Span,
    Stance,
    Theme,
    Tone,
)

# verb -> (CAMEO code, name, Goldstein, quad class, PLOVER type)
VERBS: dict[str, tuple[str, str, float, int, str | None]] = {
    "meets": ("040", "Consult", 1.0, 1, "CONSULT"),
    "praises": ("051", "Praise or endorse", 3.4, 1, None),
    "aids": ("070", "Provide aid", 7.0, 2, "AID"),
    "accuses": ("112", "Accuse", -2.0, 3, "ACCUSE"),
    "threatens": ("138", "Threaten with military force", -7.0, 3, "THREATEN"),
    "attacks": ("190", "Use conventional military force", -10.0, 4, "ASSAULT"),
}
ACTORS = ("IND", "INDGOV", "PAK", "PAKMIL", "USA", "USAGOV", "CHN", "CHNGOV", "IGOUNO")
OUTLETS = ("Wire One", "Harbor Daily", "Lantern", "Meridian")
THEMES = ("security", "trade", "diplomacy")
_EVENT = re.compile(r"\b(NOT )?([A-Z]{3}[A-Z]{0,3}) (" + "|".join(VERBS) + r") ([A-Z]{3}[A-Z]{0,3})\b")
_STANCE = re.compile(r"\b([A-Z]{3}[A-Z]{0,3}) is (admirable|reckless|present)\b")
_THEME = re.compile(r"#(\w+)")
_QUOTE = re.compile(r"\"([^\"]+)\"")
_CODE = re.compile(r"\b[A-Z]{3}[A-Z]{0,3}\b")
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")


def _sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for match in _SENTENCE.finditer(text):
        raw = match.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        sentences.append(Sentence(index=len(sentences), start=start, end=start + len(stripped), text=stripped))
    return sentences


class RuleAnalyzer:
    """Drop-in for ``Analyzer`` in tests: same ``analyze``/``analyze_many`` shape, no spaCy."""

    stage_names: ClassVar[list[str]] = ["synthetic"]

    def analyze(self, item: str | Document) -> Analysis:
        document = as_document(item)
        text = document.text
        if "FAIL-ANALYSIS" in text:
            raise ValueError("synthetic analysis failure")
        analysis = Analysis(document=document, sentences=_sentences(text), stages=["synthetic"])
        counts: dict[str, int] = {}
        for sentence in analysis.sentences:
            for match in _CODE.finditer(sentence.text):
                code = match.group(0)
                if code == "NOT":
                    continue
                start = sentence.start + match.start()
                counts[code] = counts.get(code, 0) + 1
                analysis.mentions.append(
                    ActorMention(
                        text=code, start=start, end=start + len(code), sentence=sentence.index, code=code,
                        kind="state", name=f"Name of {code}", country=code[:3], sector=code[3:] or None,
                    )
                )  # fmt: skip
            for match in _EVENT.finditer(sentence.text):
                negated, source, verb, target = match.groups()
                code, name, goldstein, quad, plover = VERBS[verb]
                offset = sentence.start + match.start(2)
                trigger_start = sentence.start + match.start(3)
                analysis.events.append(
                    Event(
                        sentence=sentence.index,
                        source=EventActor(code=source, text=source, start=offset, end=offset + len(source)),
                        target=EventActor(
                            code=target, text=target, start=sentence.start + match.start(4),
                            end=sentence.start + match.end(4),
                        ),
                        cameo=Cameo(code=code, root=code[:2], name=name),
                        goldstein=goldstein,
                        quad_class=quad,
                        plover=Plover(type=plover),
                        negated=bool(negated),
                        trigger=Span(text=verb, start=trigger_start, end=trigger_start + len(verb)),
                        rule=f"synthetic.{verb}",
                        confidence=0.9,
                    )
                )  # fmt: skip
            for match in _STANCE.finditer(sentence.text):
                actor, word = match.groups()
                score = {"admirable": 0.8, "reckless": -0.7, "present": 0.0}[word]
                label = "positive" if score > 0 else "negative" if score < 0 else "neutral"
                start = sentence.start + match.start()
                analysis.stance.append(
                    Stance(
                        actor=actor, score=score, label=label,
                        evidence=[Evidence(sentence=sentence.index, start=start, end=sentence.start + match.end(),
                                           text=match.group(0), cues=[word])],
                    )
                )  # fmt: skip
            if any(ch.isdigit() for ch in sentence.text):
                analysis.claims.append(
                    Claim(
                        sentence=sentence.index, start=sentence.start, end=sentence.end, text=sentence.text,
                        score=0.7, type="statistic", actors=sorted(set(_CODE.findall(sentence.text)) - {"NOT"}),
                    )
                )  # fmt: skip
            for match in _QUOTE.finditer(sentence.text):
                start = sentence.start + match.start(1)
                analysis.quotes.append(
                    Quote(text=match.group(1), start=start, end=start + len(match.group(1)),
                          sentence=sentence.index, kind="direct")
                )  # fmt: skip
        for theme in sorted(set(_THEME.findall(text))):
            analysis.themes.append(Theme(theme=theme, label=theme.title(), score=1.0))
        analysis.actors = [
            Actor(code=code, name=f"Name of {code}", kind="state", mentions=n, salience=round(n / len(counts), 3))
            for code, n in sorted(counts.items())
        ]
        words = max(1, len(text.split()))
        positive = text.count("admirable") * 100 / words
        negative = text.count("reckless") * 100 / words
        analysis.tone = Tone(
            tone=round(positive - negative, 4), positive=round(positive, 4), negative=round(negative, 4),
            polarity=round(positive + negative, 4), word_count=words,
        )  # fmt: skip
        return analysis

    def analyze_many(
        self, items: Iterable[str | Document], *, n_process: int = 1, batch_size: int | None = None
    ) -> Iterator[Analysis]:
        for item in items:
            yield self.analyze(item)


def _story(rng: random.Random, number: int) -> str:
    sentences = [f"Story {number} opens in the capital with a statement on day {rng.randint(1, 28)}."]
    for _ in range(rng.randint(2, 5)):
        source, target = rng.sample(ACTORS, 2)
        verb = rng.choice(list(VERBS))
        negation = "NOT " if rng.random() < 0.08 else ""
        sentences.append(f"Officials said {negation}{source} {verb} {target} over the border dispute.")
    actor = rng.choice(ACTORS)
    sentences.append(f"In this view {actor} is {rng.choice(['admirable', 'reckless', 'present'])}.")
    sentences.append(f'A spokesman said "we will respond in time" about item {number}.')
    filler = " ".join(rng.choice(["markets", "talks", "leaders", "weather", "roads", "ports"]) for _ in range(12))
    sentences.append(f"Residents spoke of {filler} #{rng.choice(THEMES)}.")
    return " ".join(sentences)


def synthetic_records(n_stories: int = 40, copies: int = 6, seed: int = 7) -> list[dict[str, object]]:
    """JSONL-ready records: distinct stories over four outlets, plus lightly edited syndicated copies."""
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    records: list[dict[str, object]] = []
    for number in range(n_stories):
        records.append(
            {
                "id": f"story-{number:03d}",
                "title": f"Story {number}",
                "published": (start + dt.timedelta(days=rng.randint(0, 150))).isoformat(),
                "source": OUTLETS[number % len(OUTLETS)],
                "url": f"https://news.example.invalid/story/{number}",
                "text": _story(rng, number),
            }
        )
    for copy in range(copies):
        original = records[copy * 3]
        text = str(original["text"]).replace("Story", "Syndicated story", 1).replace("capital", "city", 1)
        records.append(
            {
                "id": f"copy-{copy:03d}",
                "title": f"Copy of {original['title']}",
                "published": original["published"],
                "source": OUTLETS[(copy * 3 + 1) % len(OUTLETS)],
                "url": f"https://other.example.invalid/copy/{copy}",
                "text": text,
            }
        )
    return records


def write_jsonl(records: list[dict[str, object]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
