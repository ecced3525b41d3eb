"""``counterclaim ingest`` and ``counterclaim demo``: fill the ledger."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from typing import Iterator, List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from ..ingest.limits import DEFAULT_MAX_ARTICLE_CHARS, DEFAULT_MAX_BYTES
from ..records import InputProblem
from .app import DB_OPTION, EMBEDDER_OPTION, app, use_embedder
from .errors import fail, open_ledger
from .render import message

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
    max_article_size: int = typer.Option(DEFAULT_MAX_ARTICLE_CHARS, "--max-article-size", min=1,
                                         help="Longest article text read, in characters (longer ones are named "
                                              "and skipped)."),
    max_file_size: int = typer.Option(DEFAULT_MAX_BYTES, "--max-file-size", min=1,
                                      help="Largest file read, in bytes (for JSON lines, the longest line)."),
    follow_links: bool = typer.Option(False, "--follow-links",
                                      help="Follow symbolic links that lead out of a folder being read."),
    embedder: Optional[str] = EMBEDDER_OPTION,
) -> None:
    """Read articles (.txt, .html, RSS/Atom, .jsonl, .csv), extract claims and events, store them.

    Exit code 1 when any input failed (each is named with the reason); the rest
    of the batch is processed and stored regardless.  Articles an interrupted
    run stored without linking them are linked first.
    """
    use_embedder(embedder)
    if published is not None:
        try:
            date.fromisoformat(published)
        except ValueError:
            fail(f"--published must be YYYY-MM-DD, got {published!r}", code=2)
    limits = dict(max_bytes=max_file_size, max_article_chars=max_article_size, follow_links=follow_links)
    if workers is not None or scheduler is not None:
        from .cluster import run_on_cluster

        report = run_on_cluster(paths, db, workers=workers, scheduler=scheduler, published=published,
                                source=source, strict=strict, reprocess=reprocess, quiet=quiet, **limits)
    else:
        report = _run_ingest(paths, db, published=published, source=source, strict=strict,
                             reprocess=reprocess, quiet=quiet, **limits)
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


def _run_ingest(paths, db, *, published=None, source=None, strict=False, reprocess=False, quiet=False,
                max_bytes=DEFAULT_MAX_BYTES, max_article_chars=DEFAULT_MAX_ARTICLE_CHARS, follow_links=False):
    from ..ingest import count_articles

    total = 0 if quiet else count_articles(paths, follow_links=follow_links, max_bytes=max_bytes)
    with open_ledger(db) as ledger, _progress(quiet, total) as advance:
        report = ledger.ingest(paths, published=published, source=source, strict=strict,
                               reprocess=reprocess, on_article=advance, on_problem=print_problem,
                               max_bytes=max_bytes, max_article_chars=max_article_chars, follow_links=follow_links)
    _summary(report)
    return report


def print_problem(p: InputProblem) -> None:
    """One line per problem, the origin and reason printed as inert text (``render.message``)."""
    err.print(message(*(("error:", "red") if p.fatal else ("warning:", "yellow")), f"{p.origin}: {p.reason}"),
              highlight=False, soft_wrap=True)


def _summary(report) -> None:
    failed = sum(p.fatal for p in report.problems)
    line = (f"{len(report.stored)} article(s) stored ({report.claims} claims, {report.events} events); "
            f"{len(report.duplicates)} already stored; {failed} input(s) failed")
    if report.recovered:
        line += f"; {report.recovered} stored by an interrupted earlier run linked now"
    if report.unlinked:
        line += (f"; {report.unlinked} stored but not linked yet (the next `counterclaim ingest` or "
                 "`counterclaim link` links them)")
    err.print(Text(line), highlight=False, soft_wrap=True)
    if report.stopped:
        err.print(message("error:", "red", f"stopped: {report.stopped}"), highlight=False, soft_wrap=True)


@contextmanager
def _progress(quiet: bool, total: int) -> Iterator:
    """A bar that counts articles (``ingest.count_articles``, an estimate), not files: one CSV may hold thousands."""
    if quiet or total <= 1:
        yield lambda what, ref: None
        return
    progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=False)
    with progress:
        task = progress.add_task("ingesting", total=total)

        def advance(what: str, ref: str) -> None:
            if what == "read":
                return  # counted when it is stored, found stored already, or fails
            done = progress.tasks[0].completed + 1
            progress.update(task, advance=1, total=max(total, done))

        yield advance
