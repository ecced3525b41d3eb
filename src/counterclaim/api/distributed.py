"""Extraction in other processes: workers parse and extract, this process stores and links.

Two ways, one split.  On a Dask cluster (``extract_on``), and in the ordinary
single-machine ``ingest`` (``extract_beside``): one spawned child process
extracts while this one stores and links, so a second core does the parsing
(extraction and linking in one process share one interpreter lock, and ran
at about one core's speed on two).

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

import atexit
import logging
import os
import signal
import threading
import time
from collections import deque
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator, Optional, Union

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
    workers = max(1, len(client.scheduler_info().get("workers", {})))

    def submit(chunk: list[Article]) -> Any:
        return client.submit(extract_batch, chunk, pure=False, retries=RETRIES)

    def results(chunk: list[Article], future: Any) -> list[Union[Extraction, str]]:
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - a lost worker, a task error: these articles fail, not the run
            return [f"{type(exc).__name__}: {exc}"] * len(chunk)
        finally:
            future.release()

    yield from _in_order(articles, submit, results, batch=batch or BATCH, window=IN_FLIGHT_PER_WORKER * workers,
                         on_failure=on_failure)


def _in_order(articles: Iterable[Article], submit: Callable[[list[Article]], Any],
              results: Callable[[list[Article], Any], list[Union[Extraction, str]]], *, batch: int, window: int,
              on_failure: Optional[Callable[[Article, str], None]]) -> Iterator[Extraction]:
    """``articles`` in chunks of ``batch``, ``window`` chunks submitted ahead, extractions yielded in
    input order; an article that failed goes to ``on_failure`` with its reason.  Chunks still
    submitted when the consumer stops (an error, Ctrl-C) are cancelled."""
    pending: deque = deque()
    source = iter(articles)
    try:
        while True:
            while len(pending) < window and (chunk := list(islice(source, batch))):
                pending.append((chunk, submit(chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            for article, result in zip(chunk, results(chunk, future)):
                if isinstance(result, Extraction):
                    yield result
                elif on_failure is not None:
                    on_failure(article, result)
                else:
                    log.warning("%s: extraction failed: %s", article.origin or article.id, result)
    finally:
        for _, future in pending:
            if future is not None and hasattr(future, "cancel"):
                future.cancel()


# -- one extraction process beside this one (``counterclaim ingest`` on one machine) ------------

SMALL_JOB = 3 * BATCH  # fewer articles than this are extracted in this process: a child costs a model load
ENV = "COUNTERCLAIM_EXTRACT_PROCESS"  # "0": never a child process; "1": always (even on one core, a small job)
_child: dict[str, Any] = {}  # the process's one extraction child: {"pool", "ready" (its model loaded), "owner" pid}
_child_lock = threading.Lock()


def beside_wanted(articles: Optional[int] = None) -> bool:
    """Whether ``extract_beside`` uses a child process: on a machine (or CPU set) of two cores or
    more, for a job of at least ``SMALL_JOB`` articles (``articles``, when known); ``ENV`` decides
    when set."""
    forced = os.environ.get(ENV, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    if articles is not None and articles < SMALL_JOB:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return cores >= 2


def extract_beside(articles: Iterable[Article], *, on_failure: Optional[Callable[[Article, str], None]] = None,
                   local: Callable[[Iterable[Article]], Iterator[Extraction]],
                   use: Optional[bool] = None) -> Iterator[Extraction]:
    """Extractions of ``articles`` in input order, parsed in a child process while the caller
    stores and links what comes back (``local`` extracts in this process instead: a small job,
    one core, ``use=False``, or a child that cannot start or died).

    The child is spawned once per process (``spawn``: this process may hold threads and torch)
    and kept for later runs; it ignores Ctrl-C (this process decides what stops) and exits when
    this process dies, even by ``kill -9``.  While it loads its model, chunks are extracted here
    if this process has spaCy loaded already, so a short run does not wait for the child."""
    source = iter(articles)
    head = list(islice(source, SMALL_JOB))
    wanted = use if use is not None else beside_wanted(len(head) if len(head) < SMALL_JOB else None)
    pool = _child_pool() if wanted else None
    if pool is None:
        yield from local(chain(head, source))
        return
    from concurrent.futures.process import BrokenProcessPool

    from ..nlp.pipeline import get_nlp

    here_first = get_nlp.cache_info().currsize > 0
    broken = False

    def submit(chunk: list[Article]) -> Any:
        nonlocal broken
        if broken or (here_first and not _child["ready"].done()):
            return None  # extracted here when its turn comes
        try:
            return pool.submit(extract_batch, chunk)
        except (BrokenProcessPool, RuntimeError):  # the child died; a pool shut down at exit
            broken = True
            return None

    def results(chunk: list[Article], future: Any) -> list[Union[Extraction, str]]:
        nonlocal broken
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool as exc:  # killed under us (out of memory?): go on here
                log.warning("the extraction process stopped (%s); extracting in this process", exc)
                broken = True
                _close_child()
        return extract_batch(chunk)

    yield from _in_order(chain(head, source), submit, results, batch=BATCH, window=IN_FLIGHT_PER_WORKER,
                         on_failure=on_failure)


def beside_pid() -> Optional[int]:
    """The extraction child's process id, if one is running (benchmarks read its CPU time)."""
    pool = _child.get("pool")
    processes = getattr(pool, "_processes", None) or {}
    return next(iter(processes), None)


def _child_pool() -> Any:
    """The process's extraction child (a one-process pool), started on first use; None when it
    cannot start."""
    with _child_lock:
        if _child.get("owner") != os.getpid():  # none yet, or inherited through a fork: not ours to use
            _child.clear()
        if "pool" not in _child:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_child_init, initargs=(os.getpid(),))
                _child.update(pool=pool, ready=pool.submit(_child_ready), owner=os.getpid())
                atexit.register(_close_child, wait=True)
            except (OSError, RuntimeError) as exc:
                log.warning("cannot start an extraction process (%s); extracting in this process", exc)
                return None
        return _child["pool"]


def _close_child(wait: bool = False) -> None:
    """Stop the extraction child (``wait``: until it has exited; at this process's exit)."""
    with _child_lock:
        pool = _child.pop("pool", None) if _child.get("owner") == os.getpid() else None
        _child.clear()
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=True)


def _child_init(parent: int) -> None:
    """In the child: ignore Ctrl-C (the parent stops it), and exit when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="counterclaim-orphan-watch", daemon=True).start()


def _child_ready() -> int:
    """In the child: load the spaCy model before the first chunk arrives."""
    from ..nlp import extract  # noqa: F401 - the rules' modules
    from ..nlp.pipeline import get_nlp

    get_nlp()
    return os.getpid()


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
            assert workers is not None, "exactly one of workers and scheduler is given (checked above)"
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
