"""``counterclaim serve``: the HTTP API and the web UI on one port."""

from __future__ import annotations

import os
from typing import Optional

import typer

from .app import DB_OPTION, app
from .errors import fail, open_ledger


@app.command()
def serve(db: Optional[str] = DB_OPTION,
          host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0: every interface)."),
          port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
          token: Optional[str] = typer.Option(None, "--token", envvar="COUNTERCLAIM_TOKEN", show_envvar=True,
                                              help="Allow writes (ingest, review) with this bearer token; "
                                                   "without it the server is read-only.")) -> None:
    """Serve the ledger: JSON API (/api, /docs) and web UI (/) with the dispute board, timeline, map and review."""
    import uvicorn

    from ..web import create_app

    if token is not None and len(token) < 8:
        fail("--token must be at least 8 characters")
    with open_ledger(db) as ledger:
        application = create_app(ledger, token=token or None)
        mode = "read-write (token set)" if token else "read-only"
        typer.echo(f"serving {ledger.store.url} on http://{host}:{port}/ ({mode}); Ctrl-C stops", err=True)
        try:
            uvicorn.run(application, host=host, port=port, log_level=os.environ.get("COUNTERCLAIM_LOG", "warning"))
        except OSError as exc:  # port taken, address not local
            fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
