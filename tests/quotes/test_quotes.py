"""Quotations: direct and reported speech, speaker spans and actor codes, scare quotes ignored."""

from __future__ import annotations

from communique import Analyzer
from communique.quotes.stage import load_speech_verbs, quoted_spans


def test_speech_verbs_cover_the_classes() -> None:
    verbs = load_speech_verbs()
    assert {"say", "tell", "state", "warn", "claim", "insist", "announce", "add"} <= set(verbs)
    assert verbs["warn"] == "warn"


def test_quoted_spans_pairs_marks() -> None:
    text = 'He said \u201cwe will go\u201d and "then stop" but a lone " mark'
    assert [text[s:e] for s, e in quoted_spans(text)] == ["we will go", "then stop"]


def test_direct_quote_after_speaker(analyzer: Analyzer) -> None:
    text = "\u201cOur farmers will not pay for this dispute,\u201d the Brazilian agriculture minister said on Monday."
    analysis = analyzer.analyze(text)
    assert len(analysis.quotes) == 1
    quote = analysis.quotes[0]
    assert quote.kind == "direct" and quote.cue == "say"
    assert quote.text == "Our farmers will not pay for this dispute"
    assert text[quote.start : quote.end] == quote.text
    assert quote.speaker is not None and "minister" in quote.speaker.text
    if "actors" in analysis.stages:
        assert quote.speaker_code is not None and quote.speaker_code.startswith("BRA")


def test_reported_speech_with_that_clause(analyzer: Analyzer) -> None:
    text = "Kenya's foreign ministry warned that the new border fees would hurt regional trade."
    analysis = analyzer.analyze(text)
    assert [q.kind for q in analysis.quotes] == ["reported"]
    quote = analysis.quotes[0]
    assert quote.cue == "warn"
    assert quote.text.startswith("the new border fees") and quote.text.endswith("regional trade")
    assert quote.speaker is not None and quote.speaker.text == "Kenya's foreign ministry"
    if "actors" in analysis.stages:
        assert quote.speaker_code is not None and quote.speaker_code.startswith("KEN")


def test_scare_quotes_are_not_quotations(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze('The so-called "reset" in relations did not last long.')
    assert analysis.quotes == []


def test_author_voice_is_not_reported_speech(analyzer: Analyzer) -> None:
    assert analyzer.analyze("I think that the summit was a success.").quotes == []


def test_direct_quote_not_duplicated_as_reported(analyzer: Analyzer) -> None:
    text = 'The envoy said "the talks will resume in March and we expect progress."'
    quotes = analyzer.analyze(text).quotes
    assert [q.kind for q in quotes] == ["direct"]


def test_pronoun_speaker_resolves_to_previous_person(analyzer: Analyzer) -> None:
    text = "Prime Minister Justin Trudeau met farmers in Ottawa. He said that dairy quotas would stay."
    analysis = analyzer.analyze(text)
    quote = next(q for q in analysis.quotes if q.kind == "reported")
    assert quote.speaker is not None and quote.speaker.text == "He"
    if "actors" in analysis.stages and any(m.kind in ("person", "role") for m in analysis.mentions):
        assert quote.speaker_code is not None and quote.speaker_code.startswith("CAN")


def test_according_to_attributes_the_clause(analyzer: Analyzer) -> None:
    text = "According to the Philippine coast guard, two vessels were damaged near the reef."
    analysis = analyzer.analyze(text)
    assert len(analysis.quotes) == 1
    quote = analysis.quotes[0]
    assert quote.kind == "reported" and quote.cue == "according to"
    assert quote.text == "two vessels were damaged near the reef"
    assert quote.speaker is not None and quote.speaker.text == "the Philippine coast guard"
