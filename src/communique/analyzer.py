"""Analyzer: parse documents in batches, run the stages in order, return ``Analysis`` objects.

This is the pure "documents in -> analyses out" step: no storage, no global state besides the
per-process spaCy pipeline, so a distributed runner can map it over shards.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from .config import Settings
from .model import Analysis, Document, Sentence
from .nlp import load_nlp
from .stages import Stage, build_stages

# Above this many characters a text is parsed in newline-aligned chunks, bounding parser memory.
CHUNK_CHARS = 100_000


def document_id(text: str) -> str:
    """Content-derived id: whitespace-normalized text hash, stable across re-ingests."""
    normalized = " ".join(text.split()).casefold()
    return hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:16]


def as_document(item: str | Document) -> Document:
    if isinstance(item, Document):
        return item
    return Document(id=document_id(item), text=item)


def _chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Split at newlines so chunk texts concatenate back to exactly ``text``."""
    pieces, start = [], 0
    while len(text) - start > size:
        cut = text.rfind("\n", start, start + size)
        cut = start + size if cut <= start else cut + 1
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


class Analyzer:
    """Holds the loaded pipeline and stages; reuse one instance for many documents."""

    def __init__(self, settings: Settings | None = None, *, model: str | None = None) -> None:
        if settings is None:
            settings = Settings(model=model)
        elif model is not None:
            settings = Settings(**{**settings.__dict__, "model": model})
        self.settings = settings
        self.nlp: Language = load_nlp(settings.model)
        self.stages: list[Stage] = build_stages(settings)

    @property
    def stage_names(self) -> list[str]:
        return [stage.name for stage in self.stages]

    def parse(self, text: str) -> Doc:
        if len(text) <= CHUNK_CHARS:
            return self.nlp(text)
        parts = list(self.nlp.pipe(_chunks(text)))
        return Doc.from_docs(parts, ensure_whitespace=False)

    def analyze(self, item: str | Document) -> Analysis:
        document = as_document(item)
        return self._run(document, self.parse(document.text))

    def analyze_many(
        self, items: Iterable[str | Document], *, n_process: int = 1, batch_size: int | None = None
    ) -> Iterator[Analysis]:
        """Analyses in input order. ``n_process > 1`` runs whole analyses in worker processes."""
        batch_size = batch_size or self.settings.batch_size
        documents = (as_document(item) for item in items)
        if n_process > 1:
            yield from _analyze_parallel(self, documents, n_process, batch_size)
            return
        while batch := list(islice(documents, batch_size)):
            short = [i for i, d in enumerate(batch) if len(d.text) <= CHUNK_CHARS]
            parsed = dict(zip(short, self.nlp.pipe(batch[i].text for i in short), strict=True))
            for position, document in enumerate(batch):
                doc = parsed.get(position) or self.parse(document.text)
                yield self._run(document, doc)

    def _run(self, document: Document, doc: Doc) -> Analysis:
        analysis = Analysis(document=document, sentences=sentences_of(doc))
        for stage in self.stages:
            stage(doc, analysis)
            analysis.stages.append(stage.name)
        return analysis


def sentences_of(doc: Doc) -> list[Sentence]:
    """Sentences with offsets; whitespace-only sentences (blank lines) are not sentences."""
    sentences: list[Sentence] = []
    # ``Doc.text`` joins every token again on each read: read once, not once per sentence.
    doc_text = doc.text
    for sent in doc.sents:
        text = doc_text[sent.start_char : sent.end_char]
        stripped = text.rstrip()
        if not stripped.strip():
            continue
        lead = len(text) - len(text.lstrip())
        start = sent.start_char + lead
        end = sent.start_char + len(stripped)
        sentences.append(Sentence(index=len(sentences), start=start, end=end, text=doc_text[start:end]))
    return sentences


# Worker-process state: one Analyzer per process, built once by the pool initializer.
_WORKER: Analyzer | None = None


def keep_out_of_gc() -> None:
    """Move every object alive now out of the cyclic garbage collector's reach.

    Called once the models are loaded, by processes the tool owns (the CLI, its workers): the
    pipeline, models and lexicons are some 300k long-lived objects that the collector would walk
    again at every full collection while results pile up (about 7 % of a long run). A library
    user's process is left to its owner."""
    gc.freeze()


def _init_worker(settings: Settings, threads: int) -> None:
    """Forked workers inherit the parent's loaded Analyzer; spawned ones build their own once."""
    global _WORKER
    # Libraries with their own thread pools (PyTorch) take this share of the cores, not all of them.
    os.environ.setdefault("COMMUNIQUE_WORKER_THREADS", str(threads))
    if _WORKER is None:
        _WORKER = Analyzer(settings)
    keep_out_of_gc()


def _work(batch: list[Document]) -> list[Analysis]:
    assert _WORKER is not None, "worker not initialised"
    return list(_WORKER.analyze_many(batch))


def _batches(documents: Iterator[Document], size: int) -> Iterator[list[Document]]:
    while batch := list(islice(documents, size)):
        yield batch


def _analyze_parallel(
    analyzer: Analyzer, documents: Iterator[Document], n_process: int, batch_size: int
) -> Iterator[Analysis]:
    global _WORKER
    # A stage holding a thread pool that does not survive fork (PyTorch's) says so with
    # ``fork_safe = False``; then each worker is spawned and loads its own models.
    fork_safe = all(getattr(stage, "fork_safe", True) for stage in analyzer.stages)
    forking = fork_safe and "fork" in mp.get_all_start_methods()
    context = mp.get_context("fork" if forking else "spawn")
    previous = _WORKER
    if forking:
        _WORKER = analyzer  # copied into each child at fork: no second model load
    threads = max(1, (os.cpu_count() or 1) // n_process)
    try:
        with context.Pool(n_process, initializer=_init_worker, initargs=(analyzer.settings, threads)) as pool:
            for results in pool.imap(_work, _batches(documents, batch_size)):
                yield from results
    finally:
        _WORKER = previous
