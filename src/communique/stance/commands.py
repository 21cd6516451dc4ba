"""`communique eval stance`: the target-dependent classifier against NewsMTSC-format gold."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("stance")
    def eval_stance(
        gold: Annotated[Path, typer.Option("--gold", help="NewsMTSC JSON lines (sentence_normalized, targets).")],
        json_output: Annotated[bool, typer.Option("--json", help="Print the metrics as one JSON object.")] = False,
        model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline name or path.")] = None,
        backend: Annotated[
            str,
            typer.Option(
                "--backend",
                help="lexical (fast, default), student (distilled, more accurate) or transformer (optional extra).",
            ),
        ] = "lexical",
    ) -> None:
        """Score target-dependent sentiment (macro-F1, accuracy) and a sentence-level lexicon baseline."""
        from ..cli import fail, print_json
        from ..datafiles import DataFileError
        from ..nlp import ModelNotFound, load_nlp
        from .evaluate import GoldFormatError, evaluate
        from .lexicon import load_lexicon
        from .stage import BACKENDS, student_for
        from .target import TargetScorer, load_model
        from .transformer import BackendUnavailable, load_transformer

        if not gold.is_file():
            raise fail(f"--gold: no such file: {gold}")
        if backend not in BACKENDS:
            raise fail(f"--backend: {backend!r} is not one of {', '.join(BACKENDS)}")
        try:
            nlp = load_nlp(model)
            scorer = TargetScorer(nlp, load_lexicon(), load_model(), student=student_for(backend))
            transformer = load_transformer() if backend == "transformer" else None
            report = evaluate(nlp, scorer, gold, transformer)
        except (GoldFormatError, DataFileError, ModelNotFound, BackendUnavailable, ValueError) as exc:
            raise fail(str(exc)) from None
        if json_output:
            print_json(report)
            return
        table = Table(title=f"Stance toward targets vs {gold.name} ({report['n']} targets)")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for key, value in report.items():
            table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
        Console(highlight=False).print(table)
