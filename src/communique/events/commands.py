"""CLI: ``communique eval events --gold FILE [--json]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

GoldOption = Annotated[Path, typer.Option("--gold", help="PLOVER gold-standard records (GSR JSON array).")]


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("events")
    def eval_events(
        gold: GoldOption,
        json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
        misses: Annotated[int, typer.Option("--misses", help="How many misses to list (0: none).")] = 40,
        model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline name or path.")] = None,
        lexicon: Annotated[
            list[Path] | None, typer.Option("--lexicon", help="Extra event lexicon file(s).")
        ] = None,
    ) -> None:
        """Score event coding against PLOVER gold records: type P/R/F1, actor accuracy, CAMEO roots."""
        from ..cli import build_analyzer, fail, make_settings, print_json
        from .evaluate import GoldFormatError, evaluate

        settings = make_settings(model=model, lexicon=lexicon, stages="actors,events")
        analyzer = build_analyzer(settings)
        try:
            report = evaluate(gold, analyzer)
        except GoldFormatError as exc:
            raise fail(str(exc)) from None
        if json_output:
            print_json(report.as_dict())
            return
        _render(Console(highlight=False), report.as_dict(), report.misses[:misses])


def _render(console: Console, result: dict[str, Any], misses: list[dict[str, Any]]) -> None:
    table = Table(title=f"Event coding vs gold ({result['n']} records)")
    for column in ("level", "precision", "recall", "F1", "tp", "fp", "fn", "source acc.", "target acc."):
        table.add_column(column, justify="right" if column != "level" else "left")
    for level, scores in (("PLOVER type", result), ("CAMEO root", result["roots"])):
        table.add_row(level, *(f"{scores[k]:.3f}" for k in ("precision", "recall", "f1")),
                      *(str(scores[k]) for k in ("tp", "fp", "fn")),
                      *(f"{scores[k]:.3f} (n={scores[n]})" if scores[k] is not None else "-"
                        for k, n in (("source_accuracy", "source_n"), ("target_accuracy", "target_n"))))
    console.print(table)
    confusion = Table(title="Confusion: gold type -> coded type (off-diagonal and misses)")
    confusion.add_column("gold")
    confusion.add_column("coded")
    confusion.add_column("count", justify="right")
    for pair, count in sorted(result["confusion"].items(), key=lambda kv: (-kv[1], kv[0])):
        gold, coded = pair.split("->")
        confusion.add_row(gold, coded if coded != gold else f"{coded} (correct)", str(count))
    console.print(confusion)
    if misses:
        console.print(f"[bold]Misses[/bold] (first {len(misses)}):")
        for miss in misses:
            found = ", ".join(miss["events"]) or "no event"
            console.print(f"- {miss['id']} gold={miss['gold']} coded=[{found}]\n  {miss['text'][:200]}", markup=False)
