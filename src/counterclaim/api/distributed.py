"""Extraction on a Dask cluster: workers parse and extract, this process stores and links.

A backfill of millions of articles needs more cores than one machine has;
users who outgrow one run a cluster engine they already operate.  Workers run
the same ``ingest -> nlp`` function as a single process (``nlp.extract``) and
return records; they never open the database.  The process that owns the
store (``Ledger.ingest(..., client=...)``) writes each article in its own
transaction and links it, in input order, so the ledger is the same, record
for record, as a single-process run.

Why nothing is stored twice whatever Dask retries: a task only returns
records, and the owner consumes each task's result once; articles are sent
once per id (the owner drops repeats before submitting, as in a local run).
A worker that dies takes its task to another worker (``RETRIES``); a task
that still fails, or an article whose extraction raises, is reported with its
reason and the rest go on.

The owner keeps at most ``IN_FLIGHT_PER_WORKER`` batches per worker
submitted ahead, so memory stays flat however long the input is.
"""

from __future__ import annotations

import logging
from collections import deque
from contextlib import contextmanager
from itertools import islice
from typing import Callable, Iterable, Iterator, Optional, Union

from ..records import Article, Extraction

log = logging.getLogger(__name__)
BATCH = 8  # articles per task: enough for spaCy's batching, small enough to spread over workers
IN_FLIGHT_PER_WORKER = 3
RETRIES = 2


class ClusterError(Exception):
    """The cluster cannot be reached or started; the message says which and why."""


def extract_batch(articles: list[Article]) -> list[Union[Extraction, str]]:
    """On a worker: each article's extraction, or why it failed (a string)."""
    from ..nlp.extract import extract, extract_many

    try:
        return list(extract_many(articles, batch_size=len(articles)))
    except Exception:  # noqa: BLE001 - find the article that failed, keep the others
        out: list[Union[Extraction, str]] = []
        for article in articles:
            try:
                out.append(extract(article))
            except Exception as exc:  # noqa: BLE001 - reported with its reason, never fatal to the batch
                out.append(f"{type(exc).__name__}: {exc}")
        return out


def extract_on(client, articles: Iterable[Article], *, batch: Optional[int] = None,
               on_failure: Optional[Callable[[Article, str], None]] = None) -> Iterator[Extraction]:
    """Extractions of ``articles`` computed on ``client``'s workers, yielded in input order
    (``batch`` articles a task, default ``BATCH``)."""
    batch = batch or BATCH
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = IN_FLIGHT_PER_WORKER * workers
    pending: deque = deque()
    source = iter(articles)
    while True:
        while len(pending) < window and (chunk := list(islice(source, batch))):
            pending.append((chunk, client.submit(extract_batch, chunk, pure=False, retries=RETRIES)))
        if not pending:
            return
        chunk, future = pending.popleft()
        try:
            results = future.result()
        except Exception as exc:  # noqa: BLE001 - a lost worker, a task error: these articles fail, not the run
            results = [f"{type(exc).__name__}: {exc}"] * len(chunk)
        finally:
            future.release()
        for article, result in zip(chunk, results):
            if isinstance(result, Extraction):
                yield result
            elif on_failure is not None:
                on_failure(article, result)
            else:
                log.warning("%s: extraction failed: %s", article.origin or article.id, result)


@contextmanager
def open_client(*, workers: Optional[int] = None, scheduler: Optional[str] = None) -> Iterator:
    """A ``Client`` on a new ``LocalCluster`` of ``workers`` processes, or on the scheduler at
    ``scheduler`` (``tcp://HOST:PORT``); closed on exit."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError("Dask is not installed: pip install 'counterclaim[dask]'") from exc
    if (workers is None) == (scheduler is None):
        raise ClusterError("give either a number of workers or a scheduler address")
    cluster = None
    try:
        if scheduler is not None:
            client = Client(scheduler, timeout="10s")
        else:
            if workers < 1:
                raise ClusterError(f"--workers must be at least 1, got {workers}")
            # One thread per process: spaCy's parser holds the GIL, so threads would not help.
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
    except ClusterError:
        raise
    except (OSError, TimeoutError, ValueError) as exc:
        where = f"the Dask scheduler at {scheduler}" if scheduler else f"a local Dask cluster of {workers} workers"
        raise ClusterError(f"cannot reach {where}: {exc}") from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
