"""`communique serve`: the dashboard over a stored corpus, on loopback unless told otherwise."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def serve(
        db: Annotated[
            str | None, typer.Option("--db", help="DuckDB file or postgresql:// URL (env COMMUNIQUE_DB).")
        ] = None,
        host: Annotated[str, typer.Option("--host", help="Address to bind; loopback by default.")] = DEFAULT_HOST,
        port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = DEFAULT_PORT,
    ) -> None:
        """Serve the read-only web dashboard (pages + JSON API at /api, docs at /docs)."""
        import uvicorn

        from ..cli import fail
        from ..store import StoreError
        from .app import STATIC, create_app

        try:
            web_app = create_app(db, allowed_hosts=list(LOOPBACK_NAMES) if host in LOOPBACK else None)
        except StoreError as exc:
            raise fail(str(exc)) from None
        if not (STATIC / "dist" / "vendor.js").exists():
            _say(
                "communique: note: the graph library is not built (run scripts/build_web.sh); "
                "the network page falls back to a table",
            )
        if host not in LOOPBACK:
            _say(f"communique: warning: serving on {host}, reachable from other machines")
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"communique dashboard: http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs)", err=True)
        uvicorn.run(web_app, host=host, port=port, log_level="warning")
