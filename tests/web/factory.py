"""Hand-built analyses with known content, written straight into a store: the API tests' corpus.

Offsets are found with str.find on our own sentences, so every span is exact without running the
analyzer; the browser tests use the real analyzer instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from communique.model import (
    Actor,
    ActorMention,
    Cameo,
    Claim,
    Document,
    Event,
    EventActor,
    Evidence,
    Plover,
    Quote,
    Sentence,
    Stance,
    Theme,
    Tone,
)
from communique.model import Analysis as AnalysisModel
from communique.store import StoredDocument, content_hash, open_store

XSS_TITLE = '<script>window.__pwned = "title"</script>Talks "resume"'
XSS_TEXT = (
    "Pakistan offered talks to India. <img src=x onerror=\"window.__pwned='img'\"> "
    '"><svg onload=alert(1)> India rejected the offer. </script><script>window.__pwned="text"</script>'
)
XSS_URL = "javascript:window.__pwned='url'"
XSS_SOURCE = '<b onmouseover="window.__pwned=1">Evil Outlet</b>'


@dataclass
class Ev:
    trigger: str
    source: str
    target: str
    cameo: str
    name: str
    quad: int
    goldstein: float
    plover: str | None
    occurrence: int = 0


@dataclass
class Spec:
    doc_id: str
    text: str
    published: dt.date | None
    source: str | None
    title: str | None = None
    url: str | None = None
    actors: dict[str, str] = field(default_factory=dict)  # surface -> code
    events: list[Ev] = field(default_factory=list)
    stance: list[tuple[str, float, str]] = field(default_factory=list)  # (code, score, evidence surface)
    themes: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)


def _span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(occurrence + 1):
        at = text.find(needle, at + 1)
    assert at >= 0, f"{needle!r} not in text"
    return at, at + len(needle)


def analysis(spec: Spec) -> AnalysisModel:
    text = spec.text
    sentences, start = [], 0
    for piece in text.split(". "):
        end = start + len(piece) + (1 if start + len(piece) < len(text) else 0)
        sentences.append(Sentence(index=len(sentences), start=start, end=min(end, len(text)), text=text[start:end]))
        start = end + 1
    sentences = [s for s in sentences if s.text.strip()]

    def sentence_of(offset: int) -> int:
        return next((s.index for s in sentences if s.start <= offset < s.end + 1), 0)

    mentions = []
    for surface, code in spec.actors.items():
        at = text.find(surface)
        while at >= 0:
            mentions.append(
                ActorMention(
                    text=surface,
                    start=at,
                    end=at + len(surface),
                    sentence=sentence_of(at),
                    code=code,
                    kind="state",
                    name=surface,
                )
            )
            at = text.find(surface, at + 1)
    events = []
    for ev in spec.events:
        s, e = _span(text, ev.trigger, ev.occurrence)
        src = next(m for m in mentions if m.code == ev.source)
        tgt = next(m for m in mentions if m.code == ev.target)
        events.append(
            Event(
                sentence=sentence_of(s),
                source=EventActor(code=src.code, text=src.text, start=src.start, end=src.end),
                target=EventActor(code=tgt.code, text=tgt.text, start=tgt.start, end=tgt.end),
                cameo=Cameo(code=ev.cameo, root=ev.cameo[:2], name=ev.name),
                goldstein=ev.goldstein,
                quad_class=ev.quad,
                plover=Plover(type=ev.plover),
                trigger={"text": ev.trigger, "start": s, "end": e},
                rule=f"test.{ev.cameo}",
                confidence=0.9,
            )
        )
    stance = []
    for code, score, surface in spec.stance:
        s, e = _span(text, surface)
        label = "positive" if score > 0.1 else "negative" if score < -0.1 else "neutral"
        stance.append(
            Stance(
                actor=code,
                score=score,
                label=label,
                evidence=[
                    Evidence(sentence=sentence_of(s), start=s, end=e, text=surface, cues=["test-cue"], score=score)
                ],
            )
        )
    claims = []
    for surface in spec.claims:
        s, e = _span(text, surface)
        claims.append(Claim(sentence=sentence_of(s), start=s, end=e, text=surface, score=0.8, type="statistic"))
    quotes = []
    for surface in spec.quotes:
        s, e = _span(text, surface)
        quotes.append(Quote(text=surface, start=s, end=e, sentence=sentence_of(s), kind="direct"))
    codes = sorted({m.code for m in mentions})
    return AnalysisModel(
        document=Document(
            id=spec.doc_id, text=text, title=spec.title, published=spec.published, source=spec.source, url=spec.url
        ),
        sentences=sentences,
        mentions=mentions,
        actors=[
            Actor(code=c, name=c, kind="state", mentions=sum(m.code == c for m in mentions), salience=0.5)
            for c in codes
        ],
        events=events,
        stance=stance,
        claims=claims,
        themes=[Theme(theme=t, label=t.replace("_", " "), score=0.7) for t in spec.themes],
        quotes=quotes,
        tone=Tone(tone=-1.5, positive=2.0, negative=3.5, polarity=5.5, word_count=len(text.split())),
        stages=["actors", "events", "stance", "claims", "themes", "quotes", "tone"],
    )


def write(db: Path | str, specs: list[Spec], clusters: dict[str, str] | None = None) -> None:
    """Store the analyses; ``clusters`` maps a doc id to the id of the story it copies."""
    clusters = clusters or {}
    with open_store(str(db)) as store:
        run_id = store.start_run(["tests"])
        items = [
            StoredDocument(
                analysis=analysis(spec),
                content_hash=content_hash(spec.text),
                cluster_id=clusters.get(spec.doc_id, spec.doc_id),
                similarity=None,
                signature=b"\x00",
            )
            for spec in specs
        ]
        store.write_batch(items, run_id)
        store.finish_run(run_id, status="done", added=len(items), unchanged=0, near_duplicates=0, failures=[])


MEDIATE = Ev("offered to mediate", "USA", "PAK", "039", "Express intent to mediate", 1, 5.0, "CONSULT")
TALKS = Ev("offered talks", "PAK", "IND", "036", "Express intent to meet or negotiate", 1, 4.0, "CONSULT")
REJECT = Ev("rejected", "IND", "PAK", "125", "Reject proposal to meet", 3, -5.0, "REJECT")
STRIKE = Ev("struck", "IND", "PAK", "195", "Employ aerial weapons", 4, -10.0, "ASSAULT")
AID = Ev("pledged aid", "USA", "PAK", "071", "Provide economic aid", 2, 7.4, "AID")


def specs() -> list[Spec]:
    """Six documents over three months and three outlets, plus one copy and one hostile document."""
    pakind = {"Pakistan": "PAK", "India": "IND", "Washington": "USA"}
    return [
        Spec(
            "d1",
            "Washington offered to mediate between Pakistan and India. Pakistan welcomed it. "
            '"We are ready," the minister said.',
            dt.date(2025, 1, 5),
            "Harbor Desk",
            "Mediation offer",
            "https://example.invalid/d1",
            pakind,
            [MEDIATE],
            stance=[("USA", 0.6, "Pakistan welcomed it")],
            themes=["diplomacy"],
            quotes=['"We are ready,"'],
        ),
        Spec(
            "d2",
            "Pakistan offered talks to India. India rejected the proposal. Trade fell 40 percent.",
            dt.date(2025, 1, 20),
            "Lantern Post",
            "Talks offer rebuffed",
            "https://example.invalid/d2",
            pakind,
            [TALKS, REJECT],
            stance=[("IND", -0.5, "India rejected the proposal")],
            themes=["diplomacy", "trade"],
            claims=["Trade fell 40 percent"],
        ),
        Spec(
            "d3",
            "India struck targets in Pakistan. Pakistan condemned the raid.",
            dt.date(2025, 2, 26),
            "Harbor Desk",
            "Air strikes",
            "https://example.invalid/d3",
            pakind,
            [STRIKE],
            stance=[("IND", -0.7, "Pakistan condemned the raid")],
            themes=["security"],
        ),
        # A syndicated copy of d3: its event must count once.
        Spec(
            "d3copy",
            "India struck targets in Pakistan. Pakistan condemned the raid strongly.",
            dt.date(2025, 2, 27),
            "Lantern Post",
            "Strikes reported",
            "https://example.invalid/d3c",
            pakind,
            [STRIKE],
            themes=["security"],
        ),
        Spec(
            "d4",
            "Washington pledged aid to Pakistan after the floods. Pakistan thanked Washington.",
            dt.date(2025, 3, 10),
            "Meridian Review",
            "Flood aid",
            "https://example.invalid/d4",
            pakind,
            [AID],
            stance=[("USA", 0.8, "Pakistan thanked Washington")],
            themes=["humanitarian"],
        ),
        Spec(
            "evil",
            XSS_TEXT,
            dt.date(2025, 3, 12),
            XSS_SOURCE,
            XSS_TITLE,
            XSS_URL,
            {"Pakistan": "PAK", "India": "IND"},
            [TALKS, REJECT],
            stance=[("IND", -0.2, "India rejected the offer")],
            themes=["diplomacy"],
            quotes=['"><svg onload=alert(1)>'],
        ),
    ]


def build(db: Path | str) -> None:
    write(db, specs(), clusters={"d3copy": "d3"})
