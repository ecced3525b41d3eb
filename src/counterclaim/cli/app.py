"""The root command and its shared options."""

from __future__ import annotations

import os
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
EMBEDDER_OPTION = typer.Option(None, "--embedder", envvar="COUNTERCLAIM_EMBEDDER", metavar="minilm|static|tokens",
                               help="Sentence vectors linking compares: minilm (the packaged model, default), "
                                    "static (word-piece vectors distilled from it: ~100x cheaper, coarser) "
                                    "or tokens (token overlap).")


def use_embedder(name: Optional[str]) -> None:
    """Make ``--embedder`` the process's choice (``COUNTERCLAIM_EMBEDDER``, which every
    ledger, linker and child process of this command reads: ``link.embed.chosen``)."""
    if name is None:
        return
    from ..link.embed import EMBEDDERS

    if name.strip().lower() not in EMBEDDERS:
        raise typer.BadParameter(f"one of {', '.join(EMBEDDERS)}, got {name!r}", param_hint="--embedder")
    os.environ["COUNTERCLAIM_EMBEDDER"] = name.strip().lower()


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
