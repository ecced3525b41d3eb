"""``counterclaim watch``: follow feeds and folders until stopped (``api.watch``)."""

from __future__ import annotations

import signal
import sys
import threading
from typing import List, Optional

import typer

from .app import DB_OPTION, app
from .errors import err, fail, open_ledger
from .render import message


@app.command()
def watch(
    sources: List[str] = typer.Argument(..., help="Feed URLs (http/https), folders, or files listing them one a line."),
    db: Optional[str] = DB_OPTION,
    interval: float = typer.Option(300.0, min=0.1, help="Seconds between polls of a source."),
    max_backoff: float = typer.Option(3600.0, min=0.1, help="Longest wait, in seconds, before retrying a failing source."),
    timeout: float = typer.Option(20.0, min=0.1, help="Seconds to wait for a server (connecting, and each read)."),
    settle: float = typer.Option(1.0, min=0.0, help="Files modified this recently (seconds) wait for the next poll."),
    once: bool = typer.Option(False, "--once", help="Poll every source once, then stop (for cron)."),
) -> None:
    """Poll RSS/Atom feeds and folders; extract, store and link every new article.

    What was seen (entry ids, ETag, Last-Modified) is kept in the database, so
    a restart takes up where the last run stopped, with no duplicates and no
    gaps.  A failing source is retried later (backing off) while the others go
    on.  One line per cycle on stderr.  Stop with Ctrl-C or SIGTERM: the
    article batch in hand is finished first.
    """
    from ..api.watch import Watcher, parse_sources

    found, problems = parse_sources(sources)
    for problem in problems:
        err.print(message("error:", "red", problem), highlight=False, soft_wrap=True)
    if not found:
        fail("nothing to watch: give feed URLs (http:// or https://), folders, or a file listing them")
    stop = threading.Event()

    def stopping(signum, frame) -> None:
        if not stop.is_set():
            err.print(f"{signal.Signals(signum).name}: stopping after the current batch", highlight=False)
        stop.set()

    previous = {sig: signal.signal(sig, stopping) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with open_ledger(db) as ledger:
            watcher = Watcher(ledger, found, interval=interval, max_backoff=max_backoff, timeout=timeout,
                              settle=settle, stop=stop)
            err.print(message("watching", "", f"{len(found)} source(s) into {ledger.store.url}; Ctrl-C to stop"),
                      highlight=False, soft_wrap=True)
            watcher.run(log=_to_stderr, once=once)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    err.print("stopped" if stop.is_set() else "done", highlight=False)
    raise typer.Exit(1 if problems else 0)


def _to_stderr(line: str) -> None:
    """The watcher's log: one line on stderr, at once."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
