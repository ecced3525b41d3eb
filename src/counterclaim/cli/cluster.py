"""``counterclaim ingest --workers N | --scheduler tcp://HOST:PORT``: extraction on Dask.

The progress bar counts articles (read, then stored): on a cluster the
unit of work is an article, not an input file, and a single CSV may hold
thousands.  Its total grows as the inputs are read ahead of the workers.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .errors import fail, open_ledger
from .ingest import _summary, err, print_problem


def run_on_cluster(paths, db, *, workers: Optional[int], scheduler: Optional[str], published=None, source=None,
                   strict=False, reprocess=False, quiet=False, **limits):
    from ..api.distributed import ClusterError, open_client

    if workers is not None and scheduler is not None:
        fail("give --workers or --scheduler, not both")
    with open_ledger(db) as ledger:
        try:
            with open_client(workers=workers, scheduler=scheduler) as client, _article_progress(quiet) as tell:
                report = ledger.ingest(paths, published=published, source=source, strict=strict,
                                       reprocess=reprocess, on_problem=print_problem, client=client,
                                       on_article=tell, **limits)
        except ClusterError as exc:
            fail(str(exc))
    _summary(report)
    return report


@contextmanager
def _article_progress(quiet: bool) -> Iterator:
    if quiet:
        yield lambda what, article_id: None
        return
    progress = Progress(TextColumn("articles"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, transient=False)
    with progress:
        task = progress.add_task("articles", total=0)
        read = 0

        def tell(what: str, article_id: str) -> None:
            nonlocal read
            if what == "read":
                read += 1
                progress.update(task, total=read)
            elif what in ("stored", "failed"):
                progress.update(task, advance=1)

        yield tell
