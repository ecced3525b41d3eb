"""The reading side of ``Store`` that people use: counts, ids, reviews, places, search.

A mixin of ``Store`` (it uses its read and write transactions), so the CLI, the
Python API and the HTTP API ask the same object the same questions and get
the same answers (issue 12: "queries, once").  The record lists themselves
(``Store.articles``, ``claims``, ``events``) build their SQL in ``queries``;
everything here does too.
"""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import func, select

from . import ids as record_ids
from . import queries, reviews
from .schema import articles, claim_clusters, claims, event_clusters, events, places

# Totals are counted up to this many rows: an exact count of a million claims
# costs more than the page itself; past it a total is a lower bound ("10000+").
COUNT_CAP = 10_000

ID_COLUMNS = {
    "article": articles.c.id,
    "claim": claims.c.id,
    "event": events.c.id,
    "event cluster": event_clusters.c.id,
    "claim cluster": claim_clusters.c.id,
}


class Reads:
    """Mixed into ``Store``."""

    def _count(self, query, cap: Optional[int]) -> tuple[int, bool]:
        inner = query.order_by(None).limit(None).offset(None)
        if cap is not None:
            inner = inner.limit(cap + 1)
        with self._read() as conn:
            total = conn.execute(select(func.count()).select_from(inner.subquery())).scalar_one()
        if cap is not None and total > cap:
            return cap, False
        return total, True

    def count_articles(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        """(total, exact) of ``articles(**filters)``; past ``cap`` the total is ``cap`` and not exact."""
        return self._count(queries.articles_query(self.backend, **filters), cap)

    def count_claims(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        return self._count(queries.claims_query(self.backend, reviewed=self.has_reviews("claim"), **filters), cap)

    def count_events(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        return self._count(queries.events_query(self.backend, reviewed=self.has_reviews("event"), **filters), cap)

    def count_event_clusters(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        return self._count(queries.event_clusters_query(**filters), cap)

    def count_claim_clusters(self, *, cap: Optional[int] = COUNT_CAP, **filters: Any) -> tuple[int, bool]:
        return self._count(queries.claim_clusters_query(**filters), cap)

    # ------------------------------------------------------------ ids

    def resolve_id(self, kind: str, given: str) -> str:
        """The full id of the ``kind`` record (article, claim, event, event cluster, claim cluster)
        that ``given`` names: the id, a unique prefix, or the short form listings show."""
        with self._read() as conn:
            return record_ids.resolve(conn, ID_COLUMNS[kind], given, kind)

    # ------------------------------------------------------------ reviews

    def has_reviews(self, kind: str) -> bool:
        with self._read() as conn:
            return reviews.any_reviewed(conn, kind)

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
