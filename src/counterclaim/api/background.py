"""Linking in a thread beside extraction: the two stages of ``Ledger.ingest`` overlap.

Extraction (spaCy's parser, NumPy) and linking (the sentence-embedding model
in torch, SQLite) each spend much of their time outside Python's global
lock, so on a machine with two cores the linker can work on the batch just
stored while the next batch is parsed.  Linking stays sequential and in
input order (one thread, a queue), and it reads only what earlier linking
wrote (clusters, the copy index), never the unlinked articles being stored
beside it, so the ledger is the same as when the stages take turns.  The
queue holds at most ``DEPTH`` batches: extraction never runs far ahead, and
a crash leaves at most that many batches stored but not linked (which the
next run links: ``Linker.link_pending``).
"""

from __future__ import annotations

import queue
import threading
from typing import Callable, Optional

DEPTH = 2


class BackgroundLinker:
    """Runs ``link(batch)`` for each batch ``put``, in order, in one thread; ``close`` waits for all.

    ``threaded=False`` links each batch at once, in the caller's thread (an in-memory SQLite
    database is one connection, which two threads must not share)."""

    def __init__(self, link: Callable[[list], None], *, threaded: bool = True,
                 warm: Optional[Callable[[], object]] = None):
        """``warm``: run first in the thread (loading the linker's model while the first
        articles are extracted); what it raises is raised as linking's errors are."""
        self._link = link
        self._warm = warm
        self._queue: queue.Queue = queue.Queue(maxsize=DEPTH)
        self._error: Optional[BaseException] = None
        self._thread = None
        if threaded:
            self._thread = threading.Thread(target=self._run, name="counterclaim-linker", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        if self._warm is not None:
            try:
                self._warm()
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread by ``put``/``close``
                self._error = exc
        while (batch := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._link(batch)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread by ``put``/``close``
                    self._error = exc

    def put(self, batch: list) -> None:
        if self._thread is None:
            self._link(list(batch))
            return
        self._raise()
        self._queue.put(list(batch))

    def close(self) -> None:
        """Link what is queued, stop the thread, and raise what linking raised."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error
