"""The root command and its shared options."""

from __future__ import annotations

from typing import Optional

import typer

from .. import __version__

app = typer.Typer(
    name="counterclaim",
    help="Turn conflict news into a ledger of events and of who claims what.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DB_OPTION = typer.Option(None, "--db", envvar="COUNTERCLAIM_DB",
                         help="Database URL or SQLite file (default: a file in your user data dir).")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"counterclaim {__version__}")
        raise typer.Exit()


@app.callback()
def root(version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True,
                                                 help="Show the version and exit.")) -> None:
    """counterclaim: conflict news in; events, claims and who disputes what out."""


# Command modules register themselves on `app` when imported.
from . import evaluate, gazetteer, ingest, link, read, serve, watch  # noqa: E402,F401
