"""Stored events and claims kept in memory between cluster refreshes, checked against their extraction.

``Linker.refresh`` recomputes a cluster's aggregates from all its members.
In a same-day flood the day's clusters grow to hundreds of reports, and
each is refreshed after every batch that adds to it: reading every member's
event and claims back from the store again each time (rows of five tables
turned into records) was most of that work, and grew with the square of a
cluster's size.  A record never changes under its id while its article's
extraction stands, so a refresh reads only the members it has not seen yet;
the rest come from here.

A record is kept with its article's extraction stamp (``Store.extraction_stamps``:
when the extraction was saved).  Each refresh reads the stamps of the
articles it needs (one small query), and a record whose article was
extracted again since (``ingest --reprocess``, by this process or another)
is read again.  The stamps are read before the records, so a record read
while its article is being replaced is kept with the older stamp and read
again next time: never a stale record, at worst one read too many.

At most ``limit`` records of each kind are kept (least recently used go
first): a cluster larger than that is read in part, as before.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Generic, Iterable, Optional, Sequence, TypeVar

from ..records import Claim, Event

# Records of each kind kept: a same-day flood of 5,000 wire reports holds 5,000 events and 5,000 claims,
# one of 5,000 retold incidents 7,500 and 20,000.  At most some 130 MB (FA-KES records: 3.6 KB an
# event, 2.7 KB a claim, measured with tracemalloc).
RECORDS = 20_000

R = TypeVar("R", Event, Claim)


class _Kept(Generic[R]):
    """One kind of record by id, each with its article's stamp, least recently used first."""

    def __init__(self, read: Callable[[list[str]], list[R]], limit: int):
        self._read: Callable[[list[str]], list[R]] = read
        self._limit = limit
        self._kept: OrderedDict[str, tuple[Any, R]] = OrderedDict()
        self.read = 0  # records read from the store (for tests and benchmarks)
        self.reused = 0

    def get(self, ids: Iterable[str], stamps: dict[str, Any]) -> list[R]:
        """The records of ``ids`` that are stored (in no particular order), read only when not kept
        or kept from another extraction of their article (``stamps``: article id -> stamp)."""
        kept = self._kept
        out: list[R] = []
        missing: list[str] = []
        for record_id in dict.fromkeys(ids):
            found = kept.get(record_id)
            if found is not None and found[0] is not None and found[0] == stamps.get(found[1].article_id):
                kept.move_to_end(record_id)
                out.append(found[1])
            else:
                missing.append(record_id)
        self.reused += len(out)
        if missing:
            fresh = self._read(missing)
            self.read += len(fresh)
            for record in fresh:
                kept[record.id] = (stamps.get(record.article_id), record)
                kept.move_to_end(record.id)
            out.extend(fresh)
            while len(kept) > self._limit:
                kept.popitem(last=False)
        return out

    def forget(self) -> None:
        self._kept.clear()


class RecordCache:
    """Events and claims of ``store`` by id, read once per extraction (see the module docstring)."""

    def __init__(self, store, *, limit: int = RECORDS):
        self.store = store
        self.events = _Kept[Event](lambda ids: self.store.events_by_id(ids), limit)
        self.claims = _Kept[Claim](lambda ids: self.store.claims_by_id(ids), limit)

    def stamps(self, article_ids: Iterable[str]) -> dict[str, Any]:
        """Article id -> its extraction's stamp, for the articles given that are extracted."""
        return self.store.extraction_stamps(article_ids)

    def clustered(self, event_ids: Sequence[str]) -> list[tuple[Event, str, Optional[bytes], Optional[str]]]:
        """``Store.clustered_events``: (event, cluster id, vector, model) of the clustered events
        among ``event_ids``, in their order; the membership is read, the events kept."""
        rows = self.store.member_rows(event_ids)
        if not rows:
            return []
        stamps = self.stamps({article for article, *_ in rows.values()})
        events = {e.id: e for e in self.events.get((i for i in event_ids if i in rows), stamps)}
        return [(events[i], *rows[i][1:]) for i in event_ids if i in rows and i in events]

    def forget(self) -> None:
        self.events.forget()
        self.claims.forget()
