"""The reading side of ``Store`` that people use: counts, ids, reviews, places, search.

A mixin of ``Store`` (it uses its read and write transactions), so the CLI, the
Python API and the HTTP API ask the same object the same questions and get
the same answers (issue 12: "queries, once").  The record lists themselves
(``Store.articles``, ``claims``, ``events``) build their SQL in ``queries``;
everything here does too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional

from sqlalchemy import Connection, func, select

from . import convert, ids as record_ids, queries, reviews
from .database import Connected
from .schema import articles, claim_clusters, claims, event_clusters, events, places

# Totals are counted up to this many rows; past it a total is a lower bound
# ("1000+", ``total_exact: false``).  Counting is a walk over the matching
# rows, 20 times a page of 50 at this cap: an exact count of a million claims
# (or of 10,000 behind a filter no index covers) would cost more than the
# page itself.
COUNT_CAP = 1_000

ID_COLUMNS = {
    "article": articles.c.id,
    "claim": claims.c.id,
    "event": events.c.id,
    "event cluster": event_clusters.c.id,
    "claim cluster": claim_clusters.c.id,
}


def _window(cap: Optional[int]) -> Optional[int]:
    """A count up to ``cap`` needs the first ``cap + 1`` rows (``store.search``)."""
    return None if cap is None else cap + 1


class Reads(Connected):
    """Mixed into ``Store``."""

    # ------------------------------------------------------------ one snapshot per request

    def _held(self) -> threading.local:
        # per store and per thread: a web server's worker threads each hold their own
        return self.__dict__.setdefault("_reads_held", threading.local())

    def _snapshot_connection(self) -> Optional[Connection]:
        return getattr(self._held(), "conn", None)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Ask several questions in one read transaction (a page, its total, its reviews).

        Inside it, every read of this thread uses one connection and sees one
        state of the ledger (SQLite's read transaction; on PostgreSQL a
        repeatable-read one, so a page and its total agree), and what does not
        change within a request (whether any record is reviewed) is asked once:
        a list request is one connection checkout and one transaction instead
        of five.  Nested calls join the outer snapshot.  Writes still take their
        own transaction.
        """
        held = self._held()
        if getattr(held, "conn", None) is not None:
            yield
            return
        with self._engine.connect() as conn:
            if self.backend == "postgresql":  # read-only: it never fails to serialize
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                held.conn, held.cache = conn, {}
                try:
                    yield
                finally:
                    held.conn = held.cache = None

    def _count(self, query, cap: Optional[int]) -> tuple[int, bool]:
        with self._read() as conn:
            total = conn.execute(queries.count(query, cap)).scalar_one()
        if cap is not None and total > cap:
            return cap, False
        return total, True

    def page(self, kind: str, *, limit: int, offset: int = 0, cap: Optional[int] = COUNT_CAP,
             **filters: Any) -> tuple[list, tuple[int, bool]]:
        """A page of ``kind`` (articles, claims, events) and its (total, exact), in one snapshot:
        the HTTP API's lists.  Filters as in ``articles``, ``claims``, ``events``.

        The page and its total share one query, except with a full-text search,
        where each reads its own number of matches (``store.search``).
        """
        with self.snapshot(), self._read() as conn:
            def build(window: Optional[int]):
                return self._listing(kind, filters, window=window)

            query = build(max(1, offset + limit))
            rows = conn.execute(queries._page(query, limit, offset)).mappings().all()
            found: list
            if kind == "articles":
                found = [convert.article_from(row) for row in rows]
            else:
                found = (self._claims_from if kind == "claims" else self._events_from)(conn, rows)
            total = self._count(build(_window(cap)) if filters.get("search") else query, cap)
        return found, total

    def _listing(self, kind: str, filters: dict[str, Any], *, window: Optional[int] = None) -> queries.ListQuery:
        """The query of a listing of ``kind`` (articles, claims, events) with ``filters`` by name,
        reviews applied where there are any."""
        reviewed = kind != "articles" and self.has_reviews(kind[:-1])
        return queries.listing(kind, self.backend, queries.Filters.of(kind, filters), reviewed=reviewed, window=window)

    def count_articles(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        """(total, exact) of ``articles(**filters)``; past ``cap`` the total is ``cap`` and not exact."""
        return self._count(self._listing("articles", filters, window=_window(cap)), cap)

    def count_claims(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        return self._count(self._listing("claims", filters, window=_window(cap)), cap)

    def count_events(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        return self._count(self._listing("events", filters), cap)

    def count_event_clusters(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        return self._count(queries.event_clusters_query(**filters), cap)

    def count_claim_clusters(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        return self._count(queries.claim_clusters_query(**filters), cap)

    def event_statuses(self) -> dict[str, int]:
        """How many events (one per article's report) have each status, as ``events --status``
        counts them: reviewed values, rejected events left out."""
        inner = self._listing("events", {}).order_by(None).subquery()
        query = select(inner.c.status, func.count()).group_by(inner.c.status)
        with self._read() as conn:
            return {status: n for status, n in conn.execute(query)}

    # ------------------------------------------------------------ ids

    def resolve_id(self, kind: str, given: str) -> str:
        """The full id of the ``kind`` record (article, claim, event, event cluster, claim cluster)
        that ``given`` names: the id, a unique prefix, or the short form listings show."""
        with self._read() as conn:
            return record_ids.resolve(conn, ID_COLUMNS[kind], given, kind)

    # ------------------------------------------------------------ reviews

    def has_reviews(self, kind: str) -> bool:
        """Whether any record of this kind is reviewed (asked once per snapshot)."""
        cache = getattr(self._held(), "cache", None)
        if cache is not None and ("reviews", kind) in cache:
            return cache[("reviews", kind)]
        with self._read() as conn:
            found = reviews.any_reviewed(conn, kind)
        if cache is not None:
            cache[("reviews", kind)] = found
        return found

    def review(self, kind: str, record_id: str, action: str, *, reviewer: str, field: Optional[str] = None,
               value: Any = None, note: Optional[str] = None) -> reviews.Review:
        """Confirm, correct (one field) or reject a claim or event; see ``store.reviews``."""
        with self._write() as conn:
            return reviews.review(conn, kind, record_id, action, reviewer=reviewer, field=field, value=value,
                                  note=note)

    def review_history(self, kind: str, record_id: str) -> list[reviews.Review]:
        with self._read() as conn:
            return reviews.history(conn, kind, record_id)

    def review_states(self, kind: str, record_ids_: list[str]) -> dict[str, dict[str, Any]]:
        """Record id -> {status, fields, reviewer, reviewed_at} for the reviewed ones among ``record_ids_``."""
        if not record_ids_ or not self.has_reviews(kind):
            return {}
        with self._read() as conn:
            return reviews.states(conn, kind, list(record_ids_))

    def extracted_row(self, kind: str, record_id: str) -> Optional[dict[str, Any]]:
        """The record's row as extracted (before any review), for showing what a review changed."""
        table = reviews.TABLES[kind][0]
        with self._read() as conn:
            row = conn.execute(select(table).where(table.c.id == record_id)).mappings().first()
        return dict(row) if row else None

    # ------------------------------------------------------------ places

    def place_counts(self, *, place: Any = None, country: Optional[str] = None, limit: Optional[int] = 50,
                     offset: Optional[int] = 0) -> list[dict[str, Any]]:
        """Places mentioned in articles, most mentioned first: name, country, admin1, gazetteer id,
        coordinates and how many articles mention them."""
        p = places.c
        query = (select(p.name, p.country, p.admin1, p.gazetteer_id, func.min(p.lat).label("lat"),
                        func.min(p.lon).label("lon"), func.count(func.distinct(p.article_id)).label("articles"))
                 .group_by(p.name, p.country, p.admin1, p.gazetteer_id)
                 .order_by(func.count(func.distinct(p.article_id)).desc(), p.name, p.gazetteer_id))
        if place:
            query = query.where(queries.place_match(place, name=p.name_key, admin1=p.admin1_key,
                                                    country=p.country, gazetteer_id=p.gazetteer_id))
        if country:
            query = query.where(p.country == country.strip().upper())
        query = queries._page(query, limit, offset)
        with self._read() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]

    def party_pairs(self, *, limit: Optional[int] = 50) -> list[dict[str, Any]]:
        """Pairs of parties that are actor1 and actor2 of events (either way round), most events first."""
        e = events.c
        low = func.min(e.actor1_party, e.actor2_party) if self.backend == "sqlite" else func.least(
            e.actor1_party, e.actor2_party)
        high = func.max(e.actor1_party, e.actor2_party) if self.backend == "sqlite" else func.greatest(
            e.actor1_party, e.actor2_party)
        query = (select(low.label("a"), high.label("b"), func.count().label("events"))
                 .where(e.actor1_party.is_not(None), e.actor2_party.is_not(None), e.actor1_party != e.actor2_party,
                        e.actor1_party != "unknown", e.actor2_party != "unknown")
                 .group_by(low, high).order_by(func.count().desc(), low, high).limit(limit))
        with self._read() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]
