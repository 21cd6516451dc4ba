"""Ingest runs: read sources, skip what is stored, analyze in batches, store each batch atomically.

The analysis itself is the pure step ``analyze_batch`` (documents in, analyses out); everything
here around it is bookkeeping that a distributed runner can replace: content-hash identity,
near-duplicate clustering and one transaction per batch. A run killed at any point leaves whole
batches only, and the next run skips exactly the documents already stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

from ..ingest import Failure, ReadOptions, read_sources
from ..ingest.errors import BadInput
from ..ingest.feeds import item_document, looks_like_feed, parse_feed
from ..ingest.fetch import Fetcher, FetchOptions, is_url
from ..ingest.html import extract_html
from ..ingest.readers import finish
from ..model import Analysis, Document
from ..store import Store, StoredDocument, content_hash
from .dedup import DEFAULT_THRESHOLD, LeanMinHash, NearDuplicateIndex

Item = Document | Failure
# Feed items shorter than this are teasers: when the feed came from a URL, the article is fetched.
MIN_FEED_ITEM_WORDS = 60


@dataclass
class RunSummary:
    run_id: int
    added: int = 0
    unchanged: int = 0
    near_duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    status: str = "running"

    @property
    def failed(self) -> int:
        return len(self.failures)

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "added": self.added,
            "unchanged": self.unchanged,
            "near_duplicates": self.near_duplicates,
            "failed": self.failed,
            "failures": [str(f) for f in self.failures],
            "seconds": round(self.seconds, 2),
        }


# --- reading ------------------------------------------------------------------------------------


def read_url(url: str, fetcher: Fetcher, options: ReadOptions) -> Iterator[Item]:
    """An article page, or a feed whose items are taken as documents (teasers: their links fetched)."""
    try:
        fetched = fetcher.fetch(url)
    except BadInput as exc:
        yield Failure(exc.source, exc.reason)
        return
    if looks_like_feed(fetched.content, fetched.content_type):
        try:
            feed_title, items = parse_feed(url, fetched.content)
        except BadInput as exc:
            yield Failure(exc.source, exc.reason)
            return
        for item in items:
            if len(item.text.split()) < MIN_FEED_ITEM_WORDS and item.link and is_url(item.link):
                yield from read_url(item.link, fetcher, options)
            elif item.text.strip():
                yield item_document(item, feed_title, options, None)
            else:
                yield Failure(item.where, "feed item has no text and no link")
        return
    try:
        html = fetched.content.decode("utf-8", errors="replace")
        fields = extract_html(url, html, fetched.url)
        fields["url"] = fields.get("url") or fetched.url
        yield finish(url, fields, options)
    except BadInput as exc:
        yield Failure(exc.source, exc.reason)


def read_all(sources: Iterable[str], options: ReadOptions, fetch_options: FetchOptions | None = None) -> Iterator[Item]:
    """Files, directories, feeds and URLs in order; a bad source yields a Failure and the rest go on."""
    fetcher: Fetcher | None = None
    try:
        for source in sources:
            if is_url(source):
                fetcher = fetcher or Fetcher(fetch_options)
                yield from read_url(source, fetcher, options)
            else:
                yield from read_sources([source], options)
    finally:
        if fetcher is not None:
            fetcher.close()


# --- the pure step --------------------------------------------------------------------------


def analyze_batch(analyzer: AnalyzerLike, documents: list[Document], n_process: int = 1) -> list[Analysis | Failure]:
    """Documents in, analyses out (same order). One bad document is isolated, not fatal to the batch."""
    try:
        return list(analyzer.analyze_many(documents, n_process=n_process, batch_size=max(1, len(documents))))
    except Exception:
        pass
    results: list[Analysis | Failure] = []
    for document in documents:
        try:
            results.append(analyzer.analyze(document))
        except Exception as exc:
            results.append(Failure(document.path or document.id, f"analysis failed ({type(exc).__name__}: {exc})"))
    return results


# --- the run --------------------------------------------------------------------------------


@dataclass
class _Pending:
    document: Document
    content_hash: str
    signature: LeanMinHash


BatchCallback = Callable[[int, int], None]


class AnalyzerLike(Protocol):
    """What ingest needs from an analyzer; ``communique.Analyzer`` is the real one."""

    def analyze(self, item: str | Document) -> Analysis: ...

    def analyze_many(
        self, items: Iterable[str | Document], *, n_process: int = 1, batch_size: int | None = None
    ) -> Iterator[Analysis]: ...


class Ingestor:
    """One run against one store. Reuse the Analyzer across runs: loading it is the slow part."""

    def __init__(
        self,
        store: Store,
        analyzer: AnalyzerLike,
        *,
        batch_size: int = 64,
        threshold: float = DEFAULT_THRESHOLD,
        n_process: int = 1,
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self.batch_size = max(1, batch_size)
        self.threshold = threshold
        self.n_process = n_process

    def run(
        self,
        sources: list[str],
        items: Iterable[Item],
        *,
        on_failure: Callable[[Failure], None] | None = None,
        on_total: Callable[[int], None] | None = None,
        on_batch: BatchCallback | None = None,
    ) -> RunSummary:
        started = time.perf_counter()
        summary = RunSummary(run_id=self.store.start_run(sources))
        try:
            self._run(summary, items, on_failure, on_total, on_batch)
            summary.status = "failed-sources" if summary.failures else "complete"
        except BaseException:
            summary.status = "aborted"
            raise
        finally:
            summary.seconds = time.perf_counter() - started
            self.store.finish_run(
                summary.run_id,
                status=summary.status,
                added=summary.added,
                unchanged=summary.unchanged,
                near_duplicates=summary.near_duplicates,
                failures=[str(f) for f in summary.failures],
            )
        return summary

    def _fail(self, summary: RunSummary, failure: Failure, on_failure: Callable[[Failure], None] | None) -> None:
        summary.failures.append(failure)
        if on_failure:
            on_failure(failure)

    def _run(
        self,
        summary: RunSummary,
        items: Iterable[Item],
        on_failure: Callable[[Failure], None] | None,
        on_total: Callable[[int], None] | None,
        on_batch: BatchCallback | None,
    ) -> None:
        # Read everything first: the total gives the progress bar its ETA, and hashes are checked in bulk.
        documents: list[tuple[Document, str]] = []
        seen: set[str] = set()
        for item in items:
            if isinstance(item, Failure):
                self._fail(summary, item, on_failure)
                continue
            digest = content_hash(item.text)
            if digest in seen:
                summary.unchanged += 1
                continue
            seen.add(digest)
            documents.append((item, digest))
        stored = self.store.known_hashes(digest for _, digest in documents)
        todo = [(doc, digest) for doc, digest in documents if digest not in stored]
        summary.unchanged += len(documents) - len(todo)
        if on_total:
            on_total(len(todo))
        index = NearDuplicateIndex(self.threshold)
        index.load(self.store.signatures())
        run_ids: set[str] = set()
        run_urls: dict[str, str] = {}
        iterator = iter(todo)
        batch_number = 0
        while chunk := list(islice(iterator, self.batch_size)):
            pending = self._prepare(chunk, index, run_ids, run_urls, summary)
            results = analyze_batch(self.analyzer, [p.document for p in pending], self.n_process)
            to_store: list[StoredDocument] = []
            for entry, result in zip(pending, results, strict=True):
                if isinstance(result, Failure):
                    self._fail(summary, result, on_failure)
                    continue
                match = index.assign(result.document.id, entry.signature)
                if match:
                    summary.near_duplicates += 1
                to_store.append(
                    StoredDocument(
                        analysis=result,
                        content_hash=entry.content_hash,
                        cluster_id=match.cluster_id if match else result.document.id,
                        similarity=match.similarity if match else None,
                        signature=index.to_bytes(entry.signature),
                    )
                )
            self.store.write_batch(to_store, summary.run_id)
            summary.added += len(to_store)
            batch_number += 1
            if on_batch:
                on_batch(batch_number, len(chunk))

    def _prepare(
        self,
        chunk: list[tuple[Document, str]],
        index: NearDuplicateIndex,
        run_ids: set[str],
        run_urls: dict[str, str],
        summary: RunSummary,
    ) -> list[_Pending]:
        """Signatures, revisions and id clashes, decided before the (costly) analysis."""
        stored_ids = self.store.known_ids(doc.id for doc, _ in chunk)
        stored_urls = self.store.ids_for_urls(doc.url for doc, _ in chunk if doc.url)
        pending: list[_Pending] = []
        in_chunk: dict[str, LeanMinHash] = {}

        def similarity(doc_id: str, signature: LeanMinHash) -> float:
            if doc_id in in_chunk:
                return float(signature.jaccard(in_chunk[doc_id]))
            return index.similarity(doc_id, signature)

        for document, digest in chunk:
            signature = index.signature(document.text)
            # The same URL or id with nearly the same text is a revision of a stored release: one release, once.
            earlier = [
                doc_id
                for doc_id in (
                    document.id if (document.id in stored_ids or document.id in run_ids) else None,
                    stored_urls.get(document.url or "") or run_urls.get(document.url or ""),
                )
                if doc_id
            ]
            if any(similarity(doc_id, signature) >= self.threshold for doc_id in earlier):
                summary.unchanged += 1
                continue
            if document.id in stored_ids or document.id in run_ids:
                document = document.model_copy(update={"id": f"{document.id}-{digest[:8]}"})
            run_ids.add(document.id)
            if document.url:
                run_urls.setdefault(document.url, document.id)
            in_chunk[document.id] = signature
            pending.append(_Pending(document, digest, signature))
        return pending
