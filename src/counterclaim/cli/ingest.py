"""``counterclaim ingest`` and ``counterclaim demo``: fill the ledger."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..records import InputProblem
from .app import DB_OPTION, app
from .errors import open_ledger

err = Console(stderr=True)
out = Console()


@app.command()
def ingest(
    paths: List[str] = typer.Argument(..., help="Files, folders (recursive) or - for stdin."),
    db: Optional[str] = DB_OPTION,
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for inputs that state none."),
    source: Optional[str] = typer.Option(None, help="Outlet name for inputs that state none."),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first input that fails."),
    reprocess: bool = typer.Option(False, "--reprocess", help="Extract again articles already stored."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Extract on a local Dask cluster of N worker processes."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT",
                                            help="Extract on the workers of an existing Dask cluster."),
) -> None:
    """Read articles (.txt, .html, RSS/Atom, .jsonl, .csv), extract claims and events, store them.

    Exit code 1 when any input failed (each is named with the reason); the rest
    of the batch is processed and stored regardless.
    """
    if published is not None:
        try:
            date.fromisoformat(published)
        except ValueError:
            err.print(f"[red]error:[/] --published must be YYYY-MM-DD, got {published!r}")
            raise typer.Exit(2)
    if workers is not None or scheduler is not None:
        from .cluster import run_on_cluster

        report = run_on_cluster(paths, db, workers=workers, scheduler=scheduler, published=published,
                                source=source, strict=strict, reprocess=reprocess, quiet=quiet)
    else:
        report = _run_ingest(paths, db, published=published, source=source, strict=strict,
                             reprocess=reprocess, quiet=quiet)
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def demo(db: Optional[str] = DB_OPTION) -> None:
    """Ingest the bundled demo articles (a fictional border clash) and show what was found."""
    from ..ingest import demo_dir

    report = _run_ingest([str(demo_dir())], db, quiet=False)
    from .read import print_claims, print_events

    with open_ledger(db) as ledger:
        ids = report.stored + [i for _, i in report.duplicates]
        print_events(ledger.events(article_id=ids), title="Events in the demo articles")
        print_claims(ledger.claims(article_id=ids), title="Claims in the demo articles")
        out.print(f"\nLedger: {ledger.store.url}\nNext: counterclaim claims --disputed, "
                  "counterclaim show ARTICLE, counterclaim export --format geojson")
    raise typer.Exit(1 if report.failed else 0)


def _run_ingest(paths, db, *, published=None, source=None, strict=False, reprocess=False, quiet=False):
    from ..ingest import count_inputs

    with open_ledger(db) as ledger, _progress(quiet, count_inputs(paths)) as advance:
        report = ledger.ingest(paths, published=published, source=source, strict=strict,
                               reprocess=reprocess, on_input=advance, on_problem=print_problem)
    _summary(report)
    return report


def print_problem(p: InputProblem) -> None:
    level = "[red]error[/]" if p.fatal else "[yellow]warning[/]"
    err.print(f"{level}: {p.origin}: {p.reason}", highlight=False)


def _summary(report) -> None:
    failed = sum(p.fatal for p in report.problems)
    err.print(
        f"{len(report.stored)} article(s) stored ({report.claims} claims, {report.events} events); "
        f"{len(report.duplicates)} already stored; {failed} input(s) failed",
        highlight=False,
    )


@contextmanager
def _progress(quiet: bool, total: int) -> Iterator:
    if quiet or total <= 1:
        yield lambda name: None
        return
    progress = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=False)
    with progress:
        task = progress.add_task("ingesting", total=total)

        def advance(name: str) -> None:
            progress.update(task, advance=1, description=Path(str(name)).name[:30])

        yield advance
