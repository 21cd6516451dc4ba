"""Analyzer: offsets, batching in input order, multi-process, long-text chunking."""

from __future__ import annotations

import subprocess
import sys

from communique import Analyzer, Document
from communique.analyzer import _chunks, document_id

TEXTS = [
    "India and Pakistan agreed to a ceasefire on Saturday. Both armies said they would hold their positions.",
    "The minister visited Beijing. He met his counterpart for three hours.",
    "Sanctions were imposed on the company. Officials declined to comment.",
]


def test_sentences_have_offsets_into_text(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze(TEXTS[0])
    assert len(analysis.sentences) == 2
    for sentence in analysis.sentences:
        assert analysis.document.text[sentence.start : sentence.end] == sentence.text
    assert analysis.stages == analyzer.stage_names


def test_sentences_are_trimmed_and_blank_lines_are_not_sentences() -> None:
    from communique.analyzer import sentences_of
    from communique.nlp import load_nlp

    text = "  The talks opened in Doha.  \n\n\n   Both sides spoke.\n"
    doc = load_nlp()(text)
    sentences = sentences_of(doc)
    assert [s.text for s in sentences] == ["The talks opened in Doha.", "Both sides spoke."]
    assert [s.index for s in sentences] == [0, 1]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    # The same text as spaCy's own sentence spans give, once trimmed.
    assert [s.text for s in sentences] == [t for t in (sent.text.strip() for sent in doc.sents) if t]


def test_analyze_many_keeps_input_order(analyzer: Analyzer) -> None:
    documents = [Document(id=f"doc{i}", text=t) for i, t in enumerate(TEXTS)]
    results = list(analyzer.analyze_many(documents, batch_size=2))
    assert [a.document.id for a in results] == ["doc0", "doc1", "doc2"]


def test_two_processes_give_the_same_analyses(analyzer: Analyzer) -> None:
    documents = [Document(id=f"doc{i}", text=t) for i, t in enumerate(TEXTS * 2)]
    serial = [a.to_json() for a in analyzer.analyze_many(documents)]
    parallel = [a.to_json() for a in analyzer.analyze_many(documents, n_process=2, batch_size=2)]
    assert parallel == serial


def test_long_text_is_chunked_losslessly(analyzer: Analyzer) -> None:
    paragraph = "Talks between the delegations continued in Vienna on Monday. " * 40 + "\n"
    text = paragraph * 60
    assert "".join(_chunks(text, size=5000)) == text
    analysis = analyzer.analyze(text)
    assert analysis.document.text == text
    assert analysis.sentences[-1].end <= len(text)


def test_document_id_ignores_whitespace_and_case() -> None:
    assert document_id("India  and\nPakistan") == document_id("india and pakistan")
    assert document_id("India") != document_id("Pakistan")


def test_the_cli_keeps_loaded_models_out_of_gc_and_the_library_does_not() -> None:
    """The CLI owns its process and freezes what it loaded; a library user's process is untouched."""
    code = (
        "import gc\n"
        "from communique import Analyzer\n"
        "from communique.cli import build_analyzer\n"
        "from communique.config import Settings\n"
        "settings = Settings(stages=('themes',))\n"
        "Analyzer(settings)\n"
        "print(gc.get_freeze_count())\n"
        "build_analyzer(settings)\n"
        "print(gc.get_freeze_count())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    library, cli = (int(n) for n in result.stdout.split())
    assert library == 0
    assert cli > 10_000
