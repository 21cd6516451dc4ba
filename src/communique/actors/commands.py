"""CLI: ``communique eval actors --gold FILE [--json]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

GoldOption = Annotated[Path, typer.Option("--gold", help="PLOVER gold-standard records (GSR JSON array).")]


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("actors")
    def eval_actors(
        gold: GoldOption,
        json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
        errors: Annotated[int, typer.Option("--errors", help="How many errors to list (0: none).")] = 30,
        model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline name or path.")] = None,
        actors: Annotated[list[Path] | None, typer.Option("--actors", help="Extra actor dictionary file(s).")] = None,
    ) -> None:
        """Score actor recognition and coding on gold source/target actors."""
        from ..cli import build_analyzer, fail, make_settings, print_json
        from .evaluate import GoldFormatError, evaluate

        analyzer = build_analyzer(make_settings(model=model, actors=actors, stages="actors"))
        try:
            report = evaluate(gold, analyzer)
        except GoldFormatError as exc:
            raise fail(str(exc)) from None
        result = report.as_dict()
        if json_output:
            print_json(result)
            return
        console = Console(highlight=False)
        table = Table(title=f"Actors vs gold source/target ({result['n']} sentences, {result['located']} actors)")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for key in (
            "recall",
            "country_accuracy",
            "country_recall",
            "sector_accuracy",
            "sector_n",
            "fp_per_sentence",
            "fp_foreign_per_sentence",
        ):
            value = result[key]
            table.add_row(key, "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value))
        console.print(table)
        if errors:
            listing = Table(title=f"First {errors} errors")
            for column in ("id", "gold text", "gold", "got"):
                listing.add_column(column)
            for item in report.errors[:errors]:
                listing.add_row(item["id"], item["gold"], item["code"], item.get("got", "(missed)"))
            console.print(listing)
