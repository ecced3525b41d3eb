"""``counterclaim watch``: poll feeds and folders, take in what is new, for as long as it runs.

The loop (``Watcher.run``): every cycle, each source that is due is polled
(``poll``), its new entries are extracted, stored and linked through the same
path as ``ingest`` (``Ledger.ingest_items``), then marked seen; one line per
cycle says what happened.  A source that fails (an HTTP error, a timeout, a
feed with no readable entry) is retried after ``interval * 2**failures``
seconds, at most ``max_backoff``, while the others go on.

Surviving a restart, or a kill at any moment, without duplicates or gaps
rests on the order of writes (``store.feeds``): an entry is marked seen only
once its article is stored and linked, and a feed's ETag / Last-Modified are
kept only once every entry of that response is marked.  Killed in between,
the next run re-reads the feed (no 304 for a response not finished), skips
the entries marked, and finds the articles stored but not marked already in
the ledger (ids are content hashes): nothing twice, nothing skipped.
Articles stored but not linked when the process died are linked first thing
(``Linker.link_pending``).

SIGINT / SIGTERM set the ``stop`` event; the watcher finishes the article
batch in hand (``CHUNK``), marks it, and returns.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable, Optional

from ..ingest.feeds import read_feed_entries
from ..ingest.fetch import FetchError, fetch, folder_files, is_url, read_file
from ..ingest.meta import Defaults
from ..records import Article, InputProblem
from .ledger import Ledger

INTERVAL = 300.0  # seconds between polls of a source
MAX_BACKOFF = 3600.0
CHUNK = 64  # entries ingested (and marked) at a time: how long a stop may wait


@dataclass(frozen=True)
class Source:
    """A feed URL or a folder (absolute path): its name is its key in the store."""

    name: str
    kind: str  # "http" | "folder"


def parse_sources(args: Iterable[str]) -> tuple[list[Source], list[str]]:
    """Sources from arguments: URLs, folders, and files listing them (one a line, ``#`` comments).

    Returns the sources (first mention kept) and one message per argument or line that is neither.
    """
    sources: dict[str, Source] = {}
    problems: list[str] = []

    def add(value: str, where: str) -> None:
        if is_url(value):
            sources.setdefault(value, Source(value, "http"))
        elif os.path.isdir(value):
            path = str(Path(value).resolve())
            sources.setdefault(path, Source(path, "folder"))
        elif os.path.isfile(value) and where == "argument":
            _list_file(value)
        elif os.path.exists(value):
            problems.append(f"{where}: {value}: not an http(s) URL or a folder")
        else:
            problems.append(f"{where}: {value}: not an http(s) URL, and no such folder or file")

    def _list_file(path: str) -> None:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot read the list of sources: {exc}")
            return
        base = Path(path).resolve().parent
        for n, line in enumerate(lines, start=1):
            line = line.split("#", 1)[0].strip() if not is_url(line.strip()) else line.strip()
            if line:
                add(line if is_url(line) or os.path.isabs(line) else str(base / line), f"{path}:{n}")

    for arg in args:
        add(arg, "argument")
    return list(sources.values()), problems


@dataclass
class Polled:
    """What one poll of one source did."""

    source: Source
    entries: int = 0  # new entries taken in
    stored: int = 0
    duplicates: int = 0
    failed: int = 0  # entries or articles that gave no article (each with its reason, in the store)
    not_modified: bool = False
    error: Optional[str] = None
    retry_in: Optional[float] = None
    stopped: bool = False  # a stop came mid-poll: the rest is left for the next run


@dataclass
class Cycle:
    number: int
    polls: list[Polled] = field(default_factory=list)
    seconds: float = 0.0
    waiting: int = 0  # sources not due this cycle (backing off, or polled recently)

    def line(self) -> str:
        """The cycle's one log line."""
        at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        sum_ = lambda attr: sum(getattr(p, attr) for p in self.polls)  # noqa: E731
        parts = [f"{at} cycle {self.number}: {len(self.polls)} source(s) polled"
                 + (f" ({sum(p.not_modified for p in self.polls)} not modified)" if any(p.not_modified for p in self.polls) else "")
                 + (f", {self.waiting} waiting" if self.waiting else ""),
                 f"{sum_('entries')} new entries: {sum_('stored')} stored, {sum_('duplicates')} already stored, "
                 f"{sum_('failed')} failed"]
        errors = [p for p in self.polls if p.error]
        if errors:
            parts.append(f"{len(errors)} error(s): " + "; ".join(
                f"{p.source.name}: {p.error} (retry in {p.retry_in:.0f} s)" for p in errors))
        if any(p.stopped for p in self.polls):
            parts.append("stopped mid-poll")
        line = "; ".join(parts) + f"; {self.seconds:.1f} s"
        return "".join(ch if ch.isprintable() else "?" for ch in line)  # a server's words reach a terminal


class Watcher:
    """Polls ``sources`` into ``ledger`` (see the module docstring)."""

    def __init__(self, ledger: Ledger, sources: list[Source], *, interval: float = INTERVAL,
                 max_backoff: float = MAX_BACKOFF, timeout: float = 20.0, max_bytes: Optional[int] = None,
                 settle: float = 1.0, stop: Optional[threading.Event] = None):
        self.ledger = ledger
        self.store = ledger.store
        self.sources = sources
        self.interval = interval
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.settle = settle
        self.stop = stop or threading.Event()
        self.cycles = 0
        for source in sources:
            self.store.add_feed(source.name, source.kind)

    # -- the loop ----------------------------------------------------------------

    def run(self, *, log: Callable[[str], None], max_cycles: Optional[int] = None, once: bool = False) -> int:
        """Poll until ``stop`` is set (or ``max_cycles`` ran); returns the number of cycles.

        ``once``: one cycle polling every source, due or not (a cron job's run)."""
        if self.ledger.links:
            self.ledger.link()  # articles a killed run stored but did not link
        while not self.stop.is_set():
            cycle = self.cycle(due_only=not once)
            log(cycle.line())
            if once or (max_cycles is not None and self.cycles >= max_cycles):
                break
            self.stop.wait(self._until_next())
        return self.cycles

    def cycle(self, *, due_only: bool = True) -> Cycle:
        started = time.perf_counter()
        self.cycles += 1
        cycle = Cycle(self.cycles)
        now = _now()
        for source in self.sources:
            if self.stop.is_set():
                break
            state = self.store.feed(source.name) or {}
            due = state.get("next_poll_at")
            if due_only and due is not None and due > now:
                cycle.waiting += 1
                continue
            cycle.polls.append(self.poll(source, state))
        cycle.seconds = time.perf_counter() - started
        return cycle

    def _until_next(self) -> float:
        """Seconds until the first source is due (at least a tenth of a second)."""
        dues = [s.get("next_poll_at") for s in self.store.feeds() if s["source"] in {x.name for x in self.sources}]
        now = _now()
        waits = [(d - now).total_seconds() for d in dues if d is not None]
        return max(0.1, min(waits, default=self.interval))

    # -- one source ----------------------------------------------------------------

    def poll(self, source: Source, state: Optional[dict] = None) -> Polled:
        state = state if state is not None else (self.store.feed(source.name) or {})
        polled = Polled(source)
        when = _now()
        try:
            if source.kind == "http":
                validators = self._poll_feed(source, state, polled)
            else:
                validators = self._poll_folder(source, polled)
        except FetchError as exc:
            return self._failed(source, state, polled, when, str(exc))
        except Exception as exc:  # noqa: BLE001 - one source's failure (a refused extraction, a full disk)
            # must not end the watcher; it is logged and retried later like a failed fetch.
            return self._failed(source, state, polled, when, f"{type(exc).__name__}: {exc}")
        if polled.stopped:
            return polled  # not finished: no validators, no new schedule; the next run goes on
        self.store.feed_polled(source.name, when=when, ok=True, next_poll_at=when + timedelta(seconds=self.interval),
                               etag=validators[0], last_modified=validators[1])
        return polled

    def _failed(self, source: Source, state: dict, polled: Polled, when: datetime, reason: str) -> Polled:
        failures = int(state.get("failures") or 0) + 1
        wait = min(self.max_backoff, self.interval * 2 ** failures)
        self.store.feed_polled(source.name, when=when, ok=False, error=reason,
                               next_poll_at=when + timedelta(seconds=wait))
        polled.error, polled.retry_in = reason, wait
        return polled

    def _poll_feed(self, source: Source, state: dict, polled: Polled) -> tuple[Optional[str], Optional[str]]:
        limit = {"max_bytes": self.max_bytes} if self.max_bytes else {}
        got = fetch(source.name, etag=state.get("etag"), last_modified=state.get("last_modified"),
                    timeout=self.timeout, **limit)
        if not got.modified:
            polled.not_modified = True
            return got.etag, got.last_modified
        assert got.data is not None, "a modified feed has its body"
        items = list(read_feed_entries(got.data, source.name, Defaults()))
        whole = [item for key, item in items if key is None and isinstance(item, InputProblem)]
        if whole and not any(isinstance(item, Article) for _, item in items):
            # Unreadable, or malformed with no article recovered: a failed poll, backed off (the
            # validators are not kept, so the repaired feed is read in full).
            raise FetchError(whole[0].reason)
        self._take_in(source, [(key, item) for key, item in items if key is not None], polled)
        return got.etag, got.last_modified

    def _poll_folder(self, source: Source, polled: Polled) -> tuple[None, None]:
        if not os.path.isdir(source.name):
            raise FetchError("the folder is gone")
        files, _ = folder_files(source.name, settle=self.settle)
        new = self._unseen(source, [key for key, _ in files])
        entries = []
        for key, path in files:
            if key in new:
                entries += [(key, item) for item in read_file(path, **({"max_bytes": self.max_bytes} if self.max_bytes else {}))]
        self._take_in(source, entries, polled)
        return None, None

    def _unseen(self, source: Source, keys: list[str]) -> set[str]:
        return set(keys) - self.store.seen_entries(source.name, keys)

    def _take_in(self, source: Source, entries: list[tuple[str, Article | InputProblem]], polled: Polled) -> None:
        """Ingest the entries not seen before, ``CHUNK`` at a time, marking each chunk once stored."""
        new = self._unseen(source, [key for key, _ in entries])
        todo = [(key, item) for key, item in entries if key in new]
        polled.entries = len({key for key, _ in todo})
        for start in range(0, len(todo), CHUNK):
            if self.stop.is_set():
                polled.stopped = True
                return
            chunk = todo[start:start + CHUNK]
            # An entry (a folder file) may hold several articles: it is marked once all are in.
            keys_of: dict[str, list[str]] = {}
            problems: dict[str, str] = {}
            articles = []
            for key, item in chunk:
                if isinstance(item, Article):
                    articles.append(item)
                    keys_of.setdefault(item.origin or item.id, []).append(key)
                elif item.fatal:
                    problems.setdefault(key, item.reason)
            report = self.ledger.ingest_items(articles)
            failed = {p.origin: p.reason for p in report.problems if p.fatal}
            done: dict[str, tuple[Optional[str], Optional[str]]] = {}
            for article in articles:
                for key in keys_of.get(article.origin or article.id, []):
                    reason = failed.get(article.origin or article.id)
                    if reason is None:
                        done.setdefault(key, (article.id, None))
                    else:
                        done[key] = (done.get(key, (None, None))[0], reason)
            for key, reason in problems.items():
                done.setdefault(key, (None, reason))
            self.store.mark_entries(source.name, [(k, a, p) for k, (a, p) in done.items()], _now())
            polled.stored += len(report.stored)
            polled.duplicates += len(report.duplicates)
            polled.failed += sum(p.fatal for p in report.problems) + len(problems)


def _now() -> datetime:
    return datetime.now(timezone.utc)
