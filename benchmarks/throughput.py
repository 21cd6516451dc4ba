"""Throughput: bare spaCy parse vs the full Analyzer on the same texts, measured in one run.

Prints docs/s, words/s, peak RSS, the full/bare ratio, each stage's share of parse time, and the
2-process scaling ratio. Ratios measured in one run are comparable across machines; absolute
seconds are not.

    .venv/bin/python benchmarks/throughput.py [PATH ...] [--repeat N] [--processes N]

PATH is a folder of .txt/.html files or a .jsonl file; the default is demo/corpus.jsonl.
The process is set up as the CLI's is (models moved out of the garbage collector's reach once
loaded); ``--library-gc`` measures a library user's process instead.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

from communique import Analyzer, Document
from communique.analyzer import keep_out_of_gc, sentences_of
from communique.config import Settings
from communique.ingest import Failure, ReadOptions, read_sources
from communique.model import Analysis

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO / "demo" / "corpus.jsonl"


def load_documents(paths: list[str], repeat: int) -> list[Document]:
    documents = [
        item for item in read_sources(paths, ReadOptions(check_language=False)) if not isinstance(item, Failure)
    ]
    if not documents:
        sys.exit("benchmark: no readable documents in the inputs")
    return documents * repeat


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"  {label:<28} {seconds:8.3f} s", file=sys.stderr)
    return seconds


def stage_seconds(analyzer: Analyzer, documents: list[Document], batch: int = 8) -> tuple[float, dict[str, float]]:
    """Parse time and per-stage time over the same parsed docs, so each stage's share is exact.

    Batch by batch (parse a few documents, then run the stages on them), as ``analyze_many``
    does: the parse and the stages are timed in the same seconds, so a shared machine's changing
    speed moves both alike, and parsed docs are not all held in memory at once."""
    parse = 0.0
    per_stage: dict[str, float] = defaultdict(float)
    for first in range(0, len(documents), batch):
        chunk = documents[first : first + batch]
        parse_start = time.perf_counter()
        parsed = list(analyzer.nlp.pipe(d.text for d in chunk))
        parse += time.perf_counter() - parse_start
        for document, doc in zip(chunk, parsed, strict=True):
            analysis = Analysis(document=document, sentences=sentences_of(doc))
            for stage in analyzer.stages:
                start = time.perf_counter()
                stage(doc, analysis)
                per_stage[stage.name] += time.perf_counter() - start
    return parse, dict(per_stage)


def bare_and_full_seconds(analyzer: Analyzer, documents: list[Document], batch: int = 8) -> tuple[float, float]:
    """The bare parse and the whole analysis of the same documents, batch by batch in turn.

    A shared machine's speed drifts over seconds: two long runs one after the other put that
    drift into the ratio (1.74 on the op-ed, where turns give 1.33). Analyses are kept, as a
    user's run keeps them."""
    bare = full = 0.0
    kept: list[Analysis] = []
    for first in range(0, len(documents), batch):
        chunk = documents[first : first + batch]
        start = time.perf_counter()
        list(analyzer.nlp.pipe(d.text for d in chunk))
        bare += time.perf_counter() - start
        start = time.perf_counter()
        kept.extend(analyzer.analyze_many(chunk))
        full += time.perf_counter() - start
    return bare, full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(DEFAULT_INPUT)])
    parser.add_argument("--repeat", type=int, default=3, help="Repeat the inputs to get stable timings.")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="Print the figures as one JSON object.")
    parser.add_argument("--stance-backend", default="lexical", help="lexical (default) or transformer.")
    parser.add_argument("--claims-backend", default="linear", help="linear (default) or transformer.")
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of the per-stage measurement (median).")
    parser.add_argument(
        "--library-gc",
        action="store_true",
        help="Leave the loaded models in the garbage collector's reach, as a library user's own process "
        "does (the CLI moves them out of it: analyzer.keep_out_of_gc).",
    )
    args = parser.parse_args()

    documents = load_documents(args.paths, args.repeat)
    words = sum(len(d.text.split()) for d in documents)
    analyzer = Analyzer(Settings(stance_backend=args.stance_backend, claims_backend=args.claims_backend))
    list(analyzer.analyze_many(documents[:2]))  # warm-up: lazy tables, caches
    if not args.library_gc:
        keep_out_of_gc()  # as the CLI and its worker processes do once the models are loaded
    print(f"{len(documents)} documents, {words} words; stages: {', '.join(analyzer.stage_names)}", file=sys.stderr)

    bare, full = bare_and_full_seconds(analyzer, documents)
    print(f"  {'bare nlp.pipe':<28} {bare:8.3f} s", file=sys.stderr)
    print(f"  {'full Analyzer':<28} {full:8.3f} s", file=sys.stderr)
    parallel = (
        timed(
            f"full Analyzer, {args.processes} processes",
            lambda: list(analyzer.analyze_many(documents, n_process=args.processes)),
        )
        if args.processes > 1
        else full
    )
    # Stage shares are the budget figures: the median of several rounds, as a shared machine is noisy.
    rounds = [stage_seconds(analyzer, documents) for _ in range(args.rounds)]
    shares = sorted(rounds, key=lambda r: sum(r[1].values()) / r[0])
    parse, per_stage = shares[len(shares) // 2]

    groups = {
        "actors": ["actors"],
        "events": ["events"],
        "stance+claims+themes": ["stance", "claims", "themes"],
        "all stages": list(per_stage),
    }
    figures = {
        "documents": len(documents),
        "words": words,
        "bare_docs_per_s": len(documents) / bare,
        "full_docs_per_s": len(documents) / full,
        "bare_words_per_s": words / bare,
        "full_words_per_s": words / full,
        "full_over_bare": full / bare,
        "processes": args.processes,
        "scaling": full / parallel,
        "peak_rss_mb": peak_rss_mb(),
        "stage_share_of_parse": {name: seconds / parse for name, seconds in per_stage.items()},
        "group_share_of_parse": {
            group: sum(per_stage.get(n, 0.0) for n in names) / parse for group, names in groups.items()
        },
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"documents            {figures['documents']}  ({words} words)")
    print(f"bare nlp.pipe        {figures['bare_docs_per_s']:8.1f} docs/s  {figures['bare_words_per_s']:9.0f} words/s")
    print(f"full Analyzer        {figures['full_docs_per_s']:8.1f} docs/s  {figures['full_words_per_s']:9.0f} words/s")
    print(f"ratio full/bare      {figures['full_over_bare']:8.3f}")
    scaling = figures["scaling"]
    print(f"{args.processes}-process scaling    {scaling:8.2f}x  (full: 1 process / {args.processes} processes)")
    print(f"peak RSS             {figures['peak_rss_mb']:8.0f} MB")
    print("share of parse time  " + "  ".join(f"{k} {v:.1%}" for k, v in figures["stage_share_of_parse"].items()))
    print("budget groups        " + "  ".join(f"{k} {v:.1%}" for k, v in figures["group_share_of_parse"].items()))


if __name__ == "__main__":
    main()
