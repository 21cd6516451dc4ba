"""The readable (Rich) report of one Analysis; shows only the parts whose stage ran."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .model import Analysis


def render_analysis(console: Console, analysis: Analysis) -> None:
    document = analysis.document
    heading = document.title or document.path or document.id
    console.rule(f"[bold]{heading}[/bold]")
    meta = [
        f"id {document.id}",
        f"byline {document.byline}" if document.byline else None,
        f"published {document.published}" if document.published else None,
        f"source {document.source}" if document.source else None,
        f"{len(analysis.sentences)} sentences",
        f"stages: {', '.join(analysis.stages) or 'none'}",
    ]
    console.print(" · ".join(m for m in meta if m), markup=False)
    if analysis.actors:
        table = Table(title="Actors", title_justify="left")
        for column in ("code", "name", "kind", "mentions", "salience"):
            table.add_column(column)
        for actor in analysis.actors:
            table.add_row(actor.code, actor.name, actor.kind, str(actor.mentions), f"{actor.salience:.2f}")
        console.print(table)
    if analysis.events:
        table = Table(title="Events (source → target)", title_justify="left")
        table.add_column("sent", justify="right")
        table.add_column("source")
        table.add_column("event", overflow="fold")
        table.add_column("target")
        table.add_column("G", justify="right")
        table.add_column("trigger / flags", overflow="fold")
        for event in analysis.events:
            flags = [f for f in ("NEGATED" if event.negated else "", event.modality or "") if f]
            plover = event.plover.type or "no PLOVER type"
            table.add_row(
                str(event.sentence),
                event.source.code if event.source else "—",
                f"{event.cameo.code} {event.cameo.name[:40]} · {plover}",
                event.target.code if event.target else "—",
                f"{event.goldstein:+.1f}",
                " · ".join([f"“{event.trigger.text}”", *flags]),
            )
        console.print(table)
    if analysis.stance:
        table = Table(title="Stance of the text toward each actor", title_justify="left")
        for column in ("actor", "score", "label", "evidence"):
            table.add_column(column)
        for stance in analysis.stance:
            evidence = "; ".join(e.text[:80] for e in stance.evidence[:2])
            table.add_row(stance.actor, f"{stance.score:+.2f}", stance.label, evidence)
        console.print(table)
    if analysis.claims:
        table = Table(title="Check-worthy claims", title_justify="left")
        for column in ("sent", "score", "type", "claim"):
            table.add_column(column)
        for claim in analysis.claims:
            table.add_row(str(claim.sentence), f"{claim.score:.2f}", claim.type, claim.text)
        console.print(table)
    vetoed = [s for s in analysis.sentences if s.claim_veto]
    if vetoed:
        # Scored like claims, but opinion: the reader sees why they are not in the table above.
        table = Table(title="Scored high but opinion, not claims", title_justify="left")
        for column in ("sent", "score", "why", "sentence"):
            table.add_column(column)
        for sentence in vetoed:
            score = f"{sentence.claim_score:.2f}" if sentence.claim_score is not None else ""
            table.add_row(str(sentence.index), score, sentence.claim_veto or "", sentence.text)
        console.print(table)
    if analysis.themes:
        themes = ", ".join(f"{t.theme} ({t.score:.2f})" for t in analysis.themes)
        console.print(f"[bold]Themes[/bold]: {themes}")
    if analysis.quotes:
        console.print(f"[bold]Quotes[/bold]: {len(analysis.quotes)}")
        for quote in analysis.quotes:
            speaker = quote.speaker_code or (quote.speaker.text if quote.speaker else "?")
            console.print(f"  {speaker}: “{quote.text}”", markup=False)
    if analysis.tone is not None:
        tone = analysis.tone
        console.print(
            f"[bold]Tone[/bold] {tone.tone:+.2f} (positive {tone.positive:.2f}%, negative {tone.negative:.2f}%, "
            f"polarity {tone.polarity:.2f})"
        )
