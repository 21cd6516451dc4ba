"""CLI for the corpus: ingest, dyads, actors, network, compare, search, show, export."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from ..config import DEFAULT_MAX_BYTES
from ..ingest import Failure, ReadOptions
from ..store import StoreError, open_store
from ..store.store import Store
from .dedup import DEFAULT_THRESHOLD
from .query import COMPARE_BY, PERIODS, Filters, QueryError

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="DuckDB file or postgresql://… DSN (env COMMUNIQUE_DB; default ./communique.duckdb)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="Only from this date (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Only up to this date (YYYY-MM-DD).")]
SourceFilter = Annotated[list[str] | None, typer.Option("--source", help="Only these outlets (repeatable).")]
ThemeFilter = Annotated[list[str] | None, typer.Option("--theme", help="Only documents with this theme (repeatable).")]
EventTypeFilter = Annotated[
    list[str] | None,
    typer.Option("--event-type", help="CAMEO code prefix (e.g. 19, 042) or PLOVER type (e.g. ASSAULT); repeatable."),
]

# Piped output keeps wide tables on one line instead of Rich's 80-column default.
stdout = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
stderr = Console(stderr=True, highlight=False)


def _fail(message: str) -> typer.Exit:
    from ..cli import fail

    return fail(message)


def _date(option: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option}: not a YYYY-MM-DD date: {value!r}") from None


def _filters(
    since: str | None, until: str | None, sources: list[str] | None, themes: list[str] | None,
    event_types: list[str] | None,
) -> Filters:  # fmt: skip
    return Filters(
        since=_date("--since", since),
        until=_date("--until", until),
        sources=tuple(sources or ()),
        themes=tuple(themes or ()),
        event_types=tuple(event_types or ()),
    )


@contextlib.contextmanager
def _opened(db: str | None, *, read_only: bool = True) -> Iterator[Store]:
    try:
        store = open_store(db, read_only=read_only)
    except StoreError as exc:
        raise _fail(str(exc)) from None
    try:
        yield store
    except QueryError as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def render_rows(title: str, rows: list[dict[str, Any]], empty: str = "no results") -> None:
    if not rows:
        stdout.print(f"{title}: {empty}")
        return
    table = Table(title=title, title_justify="left")
    for name in rows[0]:
        numeric = all(isinstance(row[name], int | float) or row[name] is None for row in rows)
        table.add_column(name.replace("_", " "), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row.values()))
    stdout.print(table)


class RateColumn(ProgressColumn):
    """Documents per second (Rich's speed column is for bytes)."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        speed = task.completed / elapsed if elapsed and task.completed else None
        return Text(f"{speed:.1f} docs/s" if speed else "– docs/s", style="progress.data.speed")


def ingest_command(
    sources: Annotated[list[str], typer.Argument(help="Files, directories (txt, html, jsonl, csv, rss/atom), URLs.")],
    db: DbOption = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per transaction.")] = 64,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.1, max=1.0, help="Near-duplicate Jaccard threshold.")
    ] = DEFAULT_THRESHOLD,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching private/loopback/link-local addresses.")
    ] = False,
    published: Annotated[str | None, typer.Option("--published", help="Date for undated documents.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Outlet name for documents without one.")] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Refuse texts larger than this.")] = DEFAULT_MAX_BYTES,
    timeout: Annotated[float, typer.Option("--timeout", min=1.0, help="Read timeout for URLs (seconds).")] = 30.0,
    model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline name or path.")] = None,
    actors: Annotated[list[Path] | None, typer.Option("--actors", help="Extra actor dictionary file(s).")] = None,
    lexicon: Annotated[list[Path] | None, typer.Option("--lexicon", help="Extra event lexicon file(s).")] = None,
    themes: Annotated[list[Path] | None, typer.Option("--themes", help="Extra theme taxonomy file(s).")] = None,
    stages: Annotated[str | None, typer.Option("--stages", help="Comma-separated subset of stages.")] = None,
    stance_backend: Annotated[
        str | None, typer.Option("--stance-backend", help="lexical (default), student or transformer (optional extra).")
    ] = None,
    claims_backend: Annotated[
        str | None, typer.Option("--claims-backend", help="linear (default), student or transformer (optional extra).")
    ] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Analysis worker processes.")] = 1,
    json_output: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="Log each committed batch on stderr.")] = False,
) -> None:
    """Ingest documents into the corpus store: skip stored ones, analyze, store, cluster near-duplicates."""
    from ..cli import build_analyzer, make_settings, report_failure
    from ..ingest.fetch import FetchOptions
    from .ingest import Ingestor, read_all

    date = _date("--published", published)
    settings = make_settings(
        model, actors, lexicon, themes, max_bytes, stages, stance_backend=stance_backend, claims_backend=claims_backend
    )
    options = ReadOptions(max_bytes=max_bytes, published=date, source=source)
    fetch_options = FetchOptions(allow_private=allow_private, read_timeout=timeout)
    with _opened(db, read_only=False) as store:
        analyzer = build_analyzer(settings)
        ingestor = Ingestor(store, analyzer, batch_size=batch_size, threshold=threshold, n_process=n_process)
        progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=stderr,
            disable=quiet or json_output,
            transient=False,
        )
        task = progress.add_task("reading", total=None)

        def on_failure(failure: Failure) -> None:
            report_failure(failure)

        def on_total(total: int) -> None:
            progress.update(task, total=total, description="ingesting")

        def on_batch(number: int, size: int) -> None:
            progress.advance(task, size)
            if verbose:
                stderr.print(f"communique: batch {number} committed ({size} documents)", markup=False)

        with progress:
            summary = ingestor.run(
                sources,
                read_all(sources, options, fetch_options),
                on_failure=on_failure,
                on_total=on_total,
                on_batch=on_batch,
            )
    if json_output:
        _print_json(summary.as_dict())
    else:
        reasons = Counter(f.reason for f in summary.failures)
        stderr.print(
            f"run {summary.run_id}: added {summary.added}, unchanged {summary.unchanged}, "
            f"near-duplicate {summary.near_duplicates}, failed {summary.failed} in {summary.seconds:.1f}s",
            markup=False,
        )
        for reason, count in reasons.most_common():
            stderr.print(f"  failed ×{count}: {reason}", markup=False)
    if summary.failures:
        raise typer.Exit(2)


def dyads_command(
    actor_a: Annotated[str, typer.Argument(help="Actor code (prefix), e.g. IND.")],
    actor_b: Annotated[str, typer.Argument(help="Actor code (prefix), e.g. PAK.")],
    by: Annotated[str, typer.Option("--by", help=f"Period: {', '.join(PERIODS)}.")] = "month",
    include_negated: Annotated[bool, typer.Option("--include-negated", help="Count negated events too.")] = False,
    db: DbOption = None,
    json_output: JsonOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceFilter = None,
    theme: ThemeFilter = None,
    event_type: EventTypeFilter = None,
) -> None:
    """Events between two actors per period, both directions: QuadClass counts, mean Goldstein, top types."""
    from .query import dyads

    with _opened(db) as store:
        rows = dyads(
            store, actor_a, actor_b, by=by, filters=_filters(since, until, source, theme, event_type),
            include_negated=include_negated,
        )  # fmt: skip
    if json_output:
        _print_json(rows)
    else:
        render_rows(f"{actor_a.upper()} ↔ {actor_b.upper()} by {by} (events counted once per story)", rows)


def actors_command(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many actors.")] = 25,
    db: DbOption = None,
    json_output: JsonOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceFilter = None,
    theme: ThemeFilter = None,
    event_type: EventTypeFilter = None,
) -> None:
    """Top actors: mentions, documents, stories, mean stance toward them."""
    from .query import actors

    with _opened(db) as store:
        rows = actors(store, filters=_filters(since, until, source, theme, event_type), limit=limit)
    if json_output:
        _print_json(rows)
    else:
        render_rows("Top actors", rows)


def network_command(
    min_events: Annotated[int, typer.Option("--min-events", min=1, help="Drop lighter edges.")] = 1,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many edges.")] = None,
    include_negated: Annotated[bool, typer.Option("--include-negated", help="Count negated events too.")] = False,
    db: DbOption = None,
    json_output: JsonOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceFilter = None,
    theme: ThemeFilter = None,
    event_type: EventTypeFilter = None,
) -> None:
    """Weighted directed actor graph: events per (source, target) and mean Goldstein per edge."""
    from .query import network

    with _opened(db) as store:
        rows = network(
            store, filters=_filters(since, until, source, theme, event_type), include_negated=include_negated,
            min_events=min_events, limit=limit,
        )  # fmt: skip
    if json_output:
        _print_json(rows)
    else:
        render_rows("Actor network (directed edges)", rows)


def compare_command(
    actor: Annotated[str, typer.Option("--actor", help="Actor code (prefix) the stance is toward, e.g. IND.")],
    by: Annotated[str, typer.Option("--by", help=f"Group by: {', '.join(COMPARE_BY)}.")] = "source",
    db: DbOption = None,
    json_output: JsonOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceFilter = None,
    theme: ThemeFilter = None,
    event_type: EventTypeFilter = None,
) -> None:
    """Stance toward an actor per outlet (or per period)."""
    from .query import compare

    with _opened(db) as store:
        rows = compare(store, actor, by=by, filters=_filters(since, until, source, theme, event_type))
    if json_output:
        _print_json(rows)
    else:
        render_rows(f"Stance toward {actor.upper()} by {by}", rows, empty="no stance toward this actor")


def search_command(
    text: Annotated[str, typer.Argument(help="Text to look for (case-insensitive).")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many documents.")] = 20,
    db: DbOption = None,
    json_output: JsonOption = False,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceFilter = None,
    theme: ThemeFilter = None,
    event_type: EventTypeFilter = None,
) -> None:
    """Find documents by text."""
    from .query import search

    with _opened(db) as store:
        rows = search(store, text, filters=_filters(since, until, source, theme, event_type), limit=limit)
    if json_output:
        _print_json(rows)
    else:
        render_rows(f"Documents containing {text!r}", rows)


def show_command(
    doc_id: Annotated[str, typer.Argument(help="Document id (a unique prefix is enough).")],
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """One stored analysis, exactly as it was produced."""
    from ..report import render_analysis
    from .query import show

    with _opened(db) as store:
        analysis = show(store, doc_id)
    if json_output:
        sys.stdout.write(analysis.to_json(indent=2) + "\n")
    else:
        render_analysis(stdout, analysis)


def export_command(
    fmt: Annotated[str, typer.Option("--format", help="csv, parquet, jsonl, gdelt or graphml.")],
    out: Annotated[Path, typer.Option("--out", help="Output directory.")],
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceFilter = None,
    theme: ThemeFilter = None,
    event_type: EventTypeFilter = None,
) -> None:
    """Export every table (csv, parquet, jsonl), GDELT 2.0 events (gdelt), or the actor network (graphml)."""
    from .export import EXPORT_FORMATS, export

    if fmt not in EXPORT_FORMATS:
        raise _fail(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    if out.exists() and not out.is_dir():
        raise _fail(f"--out {out} exists and is not a directory")
    with _opened(db) as store:
        paths = export(store, fmt, out, _filters(since, until, source, theme, event_type))
    for path in paths:
        stdout.print(str(path), markup=False)


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("dyads")(dyads_command)
    app.command("actors")(actors_command)
    app.command("network")(network_command)
    app.command("compare")(compare_command)
    app.command("search")(search_command)
    app.command("show")(show_command)
    app.command("export")(export_command)
