"""The `communique` command line. Commands of later stages register themselves via ``CLI_MODULES``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .config import DEFAULT_MAX_BYTES, Settings
from .datafiles import DataFileError
from .ingest import Failure, ReadOptions, read_sources
from .model import json_schema_text
from .nlp import ModelNotFound

app = typer.Typer(
    name="communique",
    help="Explainable event, stance, claim and theme coding for news on international affairs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(help="Score communique against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

EXIT_BAD_INPUT = 2

# Packages that add commands in a `commands` module defining register(app, eval_app); absent ones add nothing.
CLI_PACKAGES = ("actors", "events", "stance", "claims", "themes", "corpus", "web", "scale")
CLI_MODULES = tuple(f"communique.{package}.commands" for package in CLI_PACKAGES)


def say(message: str) -> None:
    """Plain stderr line: Rich would wrap long paths, breaking the one-line contract."""
    sys.stderr.write(message.replace("\n", " ") + "\n")
    sys.stderr.flush()


def fail(message: str) -> typer.Exit:
    """One line on stderr and exit code 2: the contract for bad input and bad set-up."""
    say(f"communique: error: {message}")
    return typer.Exit(EXIT_BAD_INPUT)


def report_failure(failure: Failure) -> None:
    say(f"communique: skipped {failure}")


ModelOption = Annotated[
    str | None, typer.Option("--model", help="spaCy pipeline name or path (env COMMUNIQUE_MODEL).")
]
ActorsOption = Annotated[
    list[Path] | None, typer.Option("--actors", help="Extra actor dictionary file(s), merged over the shipped ones.")
]
LexiconOption = Annotated[
    list[Path] | None, typer.Option("--lexicon", help="Extra event lexicon file(s), merged over the shipped ones.")
]
StanceOption = Annotated[
    list[Path] | None,
    typer.Option("--stance-lexicon", help="Extra stance cue file(s), merged over the shipped polarity lexicon."),
]
ClaimsBackendOption = Annotated[
    str | None,
    typer.Option(
        "--claims-backend",
        help="Check-worthiness model: linear (fast, default), student (distilled from the transformer: more "
        "accurate, a little slower) or transformer (most accurate, needs the 'transformer' extra); "
        "env COMMUNIQUE_CLAIMS_BACKEND.",
    ),
]
OpinionOption = Annotated[
    list[Path] | None,
    typer.Option("--opinion", help="Extra opinion-guard word classes for claims, merged over the shipped ones."),
]
StanceBackendOption = Annotated[
    str | None,
    typer.Option(
        "--stance-backend",
        help="Stance model: lexical (fast, default), student (distilled from the transformer: more accurate, "
        "a little slower) or transformer (most accurate, needs the 'transformer' extra); "
        "env COMMUNIQUE_STANCE_BACKEND.",
    ),
]
ThemesOption = Annotated[
    list[Path] | None, typer.Option("--themes", help="Extra theme taxonomy file(s), merged over the shipped ones.")
]


def make_settings(
    model: str | None = None,
    actors: list[Path] | None = None,
    lexicon: list[Path] | None = None,
    themes: list[Path] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stages: str | None = None,
    stance: list[Path] | None = None,
    stance_backend: str | None = None,
    opinion: list[Path] | None = None,
    claims_backend: str | None = None,
) -> Settings:
    kinds = (("actors", actors), ("lexicon", lexicon), ("themes", themes), ("stance", stance), ("opinion", opinion))
    user_files = {kind: tuple(paths) for kind, paths in kinds if paths}
    stage_names = tuple(s.strip() for s in stages.split(",") if s.strip()) if stages else None
    settings = Settings(model=model, max_bytes=max_bytes, user_files=user_files, stages=stage_names)
    if stance_backend is not None:
        settings = dataclasses.replace(settings, stance_backend=stance_backend)
    if claims_backend is not None:
        settings = dataclasses.replace(settings, claims_backend=claims_backend)
    return settings


def build_analyzer(settings: Settings):  # type: ignore[no-untyped-def]
    """Load once, and turn set-up problems (model, data files) into one-line errors."""
    from .analyzer import Analyzer, keep_out_of_gc

    try:
        analyzer = Analyzer(settings)
    except (ModelNotFound, DataFileError, ValueError) as exc:
        raise fail(str(exc)) from None
    keep_out_of_gc()
    return analyzer


@app.command()
def analyze(
    files: Annotated[list[str], typer.Argument(help="Text, HTML or JSONL files, directories, or - for stdin.")],
    json_output: Annotated[bool, typer.Option("--json", help="One JSON Analysis per document (JSON Lines).")] = False,
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD) for plain text.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source (outlet) name for plain text.")] = None,
    model: ModelOption = None,
    actors: ActorsOption = None,
    lexicon: LexiconOption = None,
    themes: ThemesOption = None,
    stance_lexicon: StanceOption = None,
    stance_backend: StanceBackendOption = None,
    claims_backend: ClaimsBackendOption = None,
    opinion: OpinionOption = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Refuse texts larger than this (env COMMUNIQUE_MAX_BYTES).")
    ] = DEFAULT_MAX_BYTES,
    stages: Annotated[str | None, typer.Option("--stages", help="Comma-separated subset of stages to run.")] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes.")] = 1,
) -> None:
    """Analyze documents: actors, events, stance, claims, themes, quotes and tone."""
    date = None
    if published:
        try:
            date = dt.date.fromisoformat(published)
        except ValueError:
            raise fail(f"--published: not a YYYY-MM-DD date: {published!r}") from None
    settings = make_settings(
        model, actors, lexicon, themes, max_bytes, stages, stance_lexicon, stance_backend, opinion, claims_backend
    )
    options = ReadOptions(max_bytes=max_bytes, published=date, source=source)
    failures: list[Failure] = []

    def documents():  # type: ignore[no-untyped-def]
        for item in read_sources(files, options):
            if isinstance(item, Failure):
                failures.append(item)
                report_failure(item)
            else:
                yield item

    analyzer = build_analyzer(settings)
    from .report import render_analysis

    console = Console(highlight=False)
    for analysis in analyzer.analyze_many(documents(), n_process=n_process):
        if json_output:
            sys.stdout.write(analysis.to_json() + "\n")
            sys.stdout.flush()
        else:
            render_analysis(console, analysis)
    if failures:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the Analysis output."""
    sys.stdout.write(json_schema_text())


@app.command()
def stages() -> None:
    """List the analysis stages in the order they run."""
    from .stages import PIPELINE, available_stages

    present = set(available_stages())
    for name in PIPELINE:
        typer.echo(f"{name}\t{'available' if name in present else 'not built'}")


def _register_plugins() -> None:
    for module_name in CLI_MODULES:
        if importlib.util.find_spec(module_name.rsplit(".", 1)[0]) is None:
            continue
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).register(app, eval_app)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def main() -> None:
    _register_plugins()
    try:
        app()
    except DataFileError as exc:
        say(f"communique: error: {exc}")
        sys.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        say("communique: interrupted")
        sys.exit(130)
