"""Stage "quotes": direct quotations (text in quotation marks tied to a speech verb) and reported
speech (a speech verb governing a clause), each with its speaker resolved to an actor code.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc, Span, Token

from ..config import Settings
from ..datafiles import package_data, validate, yaml_records
from ..model import ActorMention, Analysis, Quote
from ..model import Span as TextSpan
from ..stages import Stage, register_stage

OPENING = {"\u201c": "\u201d", '"': '"', "\u00ab": "\u00bb"}
SUBJECTS = ("nsubj", "nsubjpass")
# The author's own voice ("I think that ...") is not a quotation.
AUTHOR_PRONOUNS = frozenset({"i", "we", "you"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "they"})
MIN_UNCUED_WORDS = 6  # quoted text without a speech verb must look like speech, not a scare quote
MAX_QUOTE_CHARS = 2000
PRONOUN_REACH = 600  # characters back to look for the person a he/she refers to


class SpeechVerbClass(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str
    lemmas: list[str]
    class_: str

    def __init__(self, **data: object) -> None:
        if "class" in data:
            data["class_"] = data.pop("class")
        super().__init__(**data)


def load_speech_verbs(path: Path | None = None) -> dict[str, str]:
    """lemma -> class, from data/speech_verbs.yaml."""
    path = path or package_data("communique.quotes", "data/speech_verbs.yaml")
    verbs: dict[str, str] = {}
    for entry, _ in validate(yaml_records(path), SpeechVerbClass):
        for lemma in entry.lemmas:
            verbs[lemma.lower()] = entry.class_
    return verbs


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of text inside paired quotation marks, marks excluded; unpaired marks are ignored."""
    spans: list[tuple[int, int]] = []
    position = 0
    while position < len(text):
        candidates = [(i, mark) for mark in OPENING if (i := text.find(mark, position)) >= 0]
        if not candidates:
            break
        start, mark = min(candidates)
        close = text.find(OPENING[mark], start + 1)
        if close < 0:
            break
        if 0 < close - start - 1 <= MAX_QUOTE_CHARS:
            spans.append((start + 1, close))
        position = close + 1
    return spans


RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})


def subject_of(verb: Token) -> Token | None:
    """The verb's subject; for "the minister, who said ...", the noun the relative clause hangs on."""
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return child
    return None


def speaker_span(subject: Token) -> Span:
    """The subject's noun phrase, without trailing clauses ("a spokesman who ..." -> "a spokesman")."""
    left = subject.left_edge.i
    right = subject.i
    for child in subject.rights:
        if child.dep_ in ("appos", "compound", "flat") or (child.dep_ == "prep" and child.i == right + 1):
            right = child.right_edge.i
    return subject.doc[left : right + 1]


class QuotesStage:
    name = "quotes"

    def __init__(self, settings: Settings) -> None:
        self.verbs = load_speech_verbs()

    def _cue_near(self, doc: Doc, start: int, end: int) -> Token | None:
        """Speech verb in the sentence(s) holding the quote, outside it, nearest to it."""
        first = doc.char_span(start, end, alignment_mode="expand")
        if first is None:
            return None
        sentences = {first[0].sent.start, first[-1].sent.start}
        best: tuple[int, Token] | None = None
        for sent_start in sentences:
            for token in doc[sent_start].sent:
                if (
                    start <= token.idx < end
                    or token.lemma_.lower() not in self.verbs
                    or token.pos_ not in ("VERB", "AUX")
                ):
                    continue
                if subject_of(token) is None and token.dep_ != "relcl":
                    continue
                distance = start - token.idx if token.idx < start else token.idx - end
                if best is None or distance < best[0]:
                    best = (distance, token)
        return best[1] if best else None

    def __call__(self, parsed: Doc, analysis: Analysis) -> None:
        text = analysis.document.text
        starts = [s.start for s in analysis.sentences]

        def sentence_of(offset: int) -> int:
            return max(bisect.bisect_right(starts, offset) - 1, 0)

        quotes: list[Quote] = []
        direct_ranges: list[tuple[int, int]] = []
        for start, end in quoted_spans(text):
            quoted = text[start:end].strip().rstrip(",")
            cue = self._cue_near(parsed, start, end)
            if cue is None and (len(quoted.split()) < MIN_UNCUED_WORDS or quoted[-1:] not in ".,!?"):
                continue
            if len(quoted.split()) < 2:
                continue
            speaker = speaker_span(s) if cue is not None and (s := subject_of(cue)) is not None else None
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            direct_ranges.append((start, end))
            quotes.append(self._quote(analysis, quoted, start + lead, "direct", speaker, cue, sentence_of(start)))
        for token in parsed:
            if token.lower_ == "according":
                quote = self._according_to(analysis, token, direct_ranges, sentence_of)
                if quote is not None:
                    quotes.append(quote)
                continue
            if token.lemma_.lower() not in self.verbs or token.pos_ != "VERB":
                continue
            clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
            subject = subject_of(token)
            if clause is None or subject is None or subject.lower_ in AUTHOR_PRONOUNS:
                continue
            tokens = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head == clause)]
            first, last = tokens[0], tokens[-1]
            while last.is_punct and last.i > first.i:
                last = parsed[last.i - 1]
            span_start, span_end = first.idx, last.idx + len(last.text)
            if any(s <= span_start < e or span_start <= s < span_end for s, e in direct_ranges):
                continue  # already a direct quotation
            quotes.append(
                self._quote(
                    analysis,
                    text[span_start:span_end],
                    span_start,
                    "reported",
                    speaker_span(subject),
                    token,
                    sentence_of(span_start),
                )
            )
        quotes.sort(key=lambda q: q.start)
        analysis.quotes.extend(quotes)

    def _according_to(
        self,
        analysis: Analysis,
        according: Token,
        direct_ranges: list[tuple[int, int]],
        sentence_of: Callable[[int], int],
    ) -> Quote | None:
        """ "According to X, <clause>": the rest of the sentence, attributed to X."""
        to = next((c for c in according.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None:
            return None
        sent = according.sent
        phrase = {t.i for t in according.subtree}
        tokens = [t for t in sent if t.i not in phrase]
        while tokens and tokens[0].is_punct:
            tokens.pop(0)
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        if len(tokens) < 3:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if any(s < end and start < e for s, e in direct_ranges):
            return None
        text = analysis.document.text
        quote = self._quote(
            analysis, text[start:end], start, "reported", speaker_span(source), None, sentence_of(start)
        )
        quote.cue = "according to"
        return quote

    def _quote(
        self,
        analysis: Analysis,
        quoted: str,
        start: int,
        kind: str,
        speaker: Span | None,
        cue: Token | None,
        sentence: int,
    ) -> Quote:
        speaker_text = (
            TextSpan(text=speaker.text, start=speaker.start_char, end=speaker.end_char) if speaker is not None else None
        )
        return Quote(
            text=quoted,
            start=start,
            end=start + len(quoted),
            sentence=sentence,
            kind="direct" if kind == "direct" else "reported",
            speaker=speaker_text,
            speaker_code=resolve_speaker(analysis.mentions, speaker) if speaker is not None else None,
            cue=cue.lemma_.lower() if cue is not None else None,
        )


def resolve_speaker(mentions: list[ActorMention], speaker: Span) -> str | None:
    """Actor code of the speaker: a mention inside the speaker phrase (the head's first), else for
    he/she/they the nearest person or role mention in the two sentences before."""
    head = speaker.root
    inside = [m for m in mentions if speaker.start_char <= m.start and m.end <= speaker.end_char]
    if inside:
        covering = [m for m in inside if m.start <= head.idx < m.end]
        return (covering or inside)[0].code
    head = speaker.root
    if head.pos_ == "PROPN":  # a surname used after the full name was introduced
        same_name = [m for m in mentions if m.end <= speaker.start_char and m.text.split()[-1] == head.text]
        if same_name:
            return same_name[-1].code
    if head.lower_ in PERSONAL_PRONOUNS:
        wanted = ("person", "role") if head.lower_ != "they" else ("organisation", "state", "group")
        earlier = [m for m in mentions if m.end <= speaker.start_char and m.kind in wanted]
        if earlier and speaker.start_char - earlier[-1].end < PRONOUN_REACH:
            return earlier[-1].code
    return None


@register_stage("quotes")
def make(settings: Settings) -> Stage:
    return QuotesStage(settings)
