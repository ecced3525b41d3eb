"""Extraction in other processes: workers parse and extract, this process stores and links.

Two ways, one split.  On a Dask cluster (``extract_on``), and in the ordinary
single-machine ``ingest`` (``extract_beside``): spawned child processes
extract while this one stores and links, so the other cores do the parsing
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


# -- extraction processes beside this one (``counterclaim ingest`` on one machine) ------------

SMALL_JOB = 3 * BATCH  # fewer articles than this are extracted in this process: a child costs a model load
ENV = "COUNTERCLAIM_EXTRACT_PROCESS"  # "0": never a child process; "N" (1, 2, ...): N children, even for a small job
# Children by default: one a core, at most this many.  One child left a core half idle
# whenever linking was cheaper than extraction (static vectors: the child extracted 200
# FA-KES articles in 16 CPU-s while storing and linking took 7); a child a core keeps both
# busy.  Each holds spaCy and the gazetteer (~450 MB), and past about three the one process
# that stores and links is the bound, so more would only cost memory.
MAX_CHILDREN = 3
# Children run this much nicer than the process that stores and links.  That process is the
# pipeline's sink: when linking costs more than its share of the cores (the transformer
# embeds every claim), extraction running ahead of it only fills the window, and equal
# priority would take CPU from the one process everything waits for.
CHILD_NICENESS = 5
_child: dict[str, Any] = {}  # the process's extraction children: {"pool", "ready", "count", "owner" pid}
_child_lock = threading.Lock()


def children_wanted(articles: Optional[int] = None) -> int:
    """How many child processes ``extract_beside`` uses: one a core, at most ``MAX_CHILDREN``,
    on a machine (or CPU set) of two cores or more, for a job of at least ``SMALL_JOB``
    articles (``articles``, when known); none otherwise.  ``ENV`` decides when set to a number."""
    forced = os.environ.get(ENV, "").strip()
    if forced.isdigit():
        return int(forced)
    if articles is not None and articles < SMALL_JOB:
        return 0
    cores = _cores()
    return min(cores, MAX_CHILDREN) if cores >= 2 else 0


def beside_wanted(articles: Optional[int] = None) -> bool:
    """Whether ``extract_beside`` uses child processes (``children_wanted``)."""
    return children_wanted(articles) > 0


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def extract_beside(articles: Iterable[Article], *, on_failure: Optional[Callable[[Article, str], None]] = None,
                   local: Callable[[Iterable[Article]], Iterator[Extraction]],
                   use: Optional[bool] = None) -> Iterator[Extraction]:
    """Extractions of ``articles`` in input order, parsed in child processes while the caller
    stores and links what comes back (``local`` extracts in this process instead: a small job,
    one core, ``use=False``, or children that cannot start or died).  ``use=True``: children
    even for a small job (as many as ``ENV`` or the cores say, at least one).

    The children are spawned once per process (``spawn``: this process may hold threads and
    torch) and kept for later runs; they ignore Ctrl-C (this process decides what stops), run
    ``CHILD_NICENESS`` nicer, and exit when this process dies, even by ``kill -9``.  While they
    load their model, chunks are extracted here if this process has spaCy loaded already, so a
    short run does not wait for them.  Every chunk comes back to be stored in input order, so
    the ledger is the same however many children extracted it."""
    source = iter(articles)
    head = list(islice(source, SMALL_JOB))
    count = children_wanted(len(head) if len(head) < SMALL_JOB else None)
    if use is not None:
        count = max(1, count or children_wanted(None)) if use else 0
    pool = _child_pool(count) if count else None
    if pool is None:
        yield from local(chain(head, source))
        return
    from concurrent.futures.process import BrokenProcessPool

    from ..nlp.pipeline import get_nlp

    here_first = get_nlp.cache_info().currsize > 0
    broken = False

    def submit(chunk: list[Article]) -> Any:
        nonlocal broken
        if broken or (here_first and not any(f.done() for f in _child["ready"])):
            return None  # extracted here when its turn comes
        try:
            return pool.submit(extract_batch, chunk)
        except (BrokenProcessPool, RuntimeError):  # a child died; a pool shut down at exit
            broken = True
            return None

    def results(chunk: list[Article], future: Any) -> list[Union[Extraction, str]]:
        nonlocal broken
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool as exc:  # killed under us (out of memory?): go on here
                log.warning("an extraction process stopped (%s); extracting in this process", exc)
                broken = True
                _close_child()
        return extract_batch(chunk)

    yield from _in_order(chain(head, source), submit, results, batch=BATCH, window=IN_FLIGHT_PER_WORKER * count,
                         on_failure=on_failure)


def beside_pids() -> list[int]:
    """The extraction children's process ids, those running (benchmarks read their CPU time)."""
    pool = _child.get("pool")
    return list(getattr(pool, "_processes", None) or {})


def _child_pool(count: int) -> Any:
    """The process's ``count`` extraction children (a process pool), started on first use and
    started again when another count is asked for; None when they cannot start."""
    with _child_lock:
        if _child.get("owner") != os.getpid():  # none yet, or inherited through a fork: not ours to use
            _child.clear()
        other_count = _child.get("count") not in (None, count)
    if other_count:
        _close_child(wait=True)
    with _child_lock:
        if "pool" not in _child:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_child_init, initargs=(os.getpid(),))
                # one warm-up task a child: each is spawned on demand and loads its model at once
                _child.update(pool=pool, ready=[pool.submit(_child_ready) for _ in range(count)], count=count,
                              owner=os.getpid())
                if not _child.get("at_exit"):
                    atexit.register(_close_child, wait=True)
                    _child["at_exit"] = True
            except (OSError, RuntimeError) as exc:
                log.warning("cannot start extraction processes (%s); extracting in this process", exc)
                return None
        return _child["pool"]


def _close_child(wait: bool = False) -> None:
    """Stop the extraction children (``wait``: until they have exited; at this process's exit)."""
    with _child_lock:
        pool = _child.pop("pool", None) if _child.get("owner") == os.getpid() else None
        for key in ("ready", "count"):
            _child.pop(key, None)
    if pool is not None:
        pool.shutdown(wait=wait, cancel_futures=True)


def _child_init(parent: int) -> None:
    """In a child: ignore Ctrl-C (the parent stops it), run nicer than the parent
    (``CHILD_NICENESS``), and exit when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.nice(CHILD_NICENESS)
    except OSError:  # not allowed here: equal priority still works
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="counterclaim-orphan-watch", daemon=True).start()


def _child_ready() -> int:
    """In a child: load the spaCy model before the first chunk arrives."""
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
