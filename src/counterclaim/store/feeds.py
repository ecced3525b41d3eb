"""What ``counterclaim watch`` remembers of each source: validators, failures, entries seen.

A watcher may be stopped or killed between any two statements, so the order
of writes is the guarantee: an entry is marked seen only after its article
is stored (``mark_entries``), and a feed's ETag / Last-Modified are saved
only after every entry of that response is marked (``feed_polled``).  A
restart therefore re-reads whatever was not finished (the article store
drops what it already holds: ids are content hashes) and never skips an
entry behind a "304 Not Modified".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import select, update

from .database import Connected
from .schema import feed_entries, feeds

CHUNK = 500


class FeedState(Connected):
    """``Store`` methods for watched sources (a mixin: it uses the store's connections)."""

    def feed(self, source: str) -> Optional[dict[str, Any]]:
        """The stored state of one source (None: never polled)."""
        with self._read() as conn:
            row = conn.execute(select(feeds).where(feeds.c.source == source)).mappings().first()
        return dict(row) if row else None

    def feeds(self) -> list[dict[str, Any]]:
        with self._read() as conn:
            return [dict(r) for r in conn.execute(select(feeds).order_by(feeds.c.source)).mappings()]

    def add_feed(self, source: str, kind: str) -> None:
        """Remember a source (no change when it is known)."""
        statement = self._insert(feeds).on_conflict_do_nothing(index_elements=["source"])
        with self._write() as conn:
            conn.execute(statement, {"source": source, "kind": kind, "failures": 0})

    def seen_entries(self, source: str, entries: Iterable[str]) -> set[str]:
        """Which of ``entries`` of ``source`` were taken in before."""
        wanted = sorted(set(entries))
        found: set[str] = set()
        with self._read() as conn:
            for start in range(0, len(wanted), CHUNK):
                query = select(feed_entries.c.entry).where(feed_entries.c.source == source,
                                                           feed_entries.c.entry.in_(wanted[start:start + CHUNK]))
                found.update(conn.execute(query).scalars())
        return found

    def mark_entries(self, source: str, rows: Sequence[tuple[str, Optional[str], Optional[str]]],
                     when: datetime) -> None:
        """Record entries as taken in: (entry, article id or None, problem or None); idempotent."""
        if not rows:
            return
        statement = self._insert(feed_entries).on_conflict_do_nothing(index_elements=["source", "entry"])
        with self._write() as conn:
            conn.execute(statement, [{"source": source, "entry": e, "article_id": a, "problem": p, "seen_at": when}
                                     for e, a, p in rows])

    def feed_polled(self, source: str, *, when: datetime, next_poll_at: datetime, ok: bool,
                    etag: Optional[str] = None, last_modified: Optional[str] = None,
                    error: Optional[str] = None) -> None:
        """Record a poll: on success the validators (and failures back to 0), on failure one more failure."""
        values: dict[str, Any] = {"polled_at": when, "next_poll_at": next_poll_at}
        if ok:
            values.update(ok_at=when, failures=0, last_error=None, etag=etag, last_modified=last_modified)
        else:
            values.update(failures=feeds.c.failures + 1, last_error=error)
        with self._write() as conn:
            conn.execute(update(feeds).where(feeds.c.source == source).values(**values))
