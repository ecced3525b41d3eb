"""The linker's bounded reads: the clustered events and claims around a new article, capped.

Linking one article reads the reports of the days around its own reports
(each report's days, not the span from its earliest to its latest: an
article recalling last year's massacre beside today's strike would
otherwise read a year of the ledger) and the other members of the clusters
found there (``Store.cluster_events``).  On an ordinary news day that is tens of rows; a
flood of thousands of same-day reports (a feed dump, a big attack told by
every outlet) would make it thousands per article, and linking the flood
quadratic.  These methods let the linker ask first how big the window is
(a count the database answers from its indexes) and, when it is over the
linker's caps, read only the most relevant part of it: each cluster offers
its first members, and the reports sharing the new article's places come
first.  Every query starts from an index (event days, cluster ids, article
days), so its cost follows the window, not the ledger.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from sqlalchemy import and_, case, func, literal, or_, select

from . import queries
from .convert import name_key
from .schema import articles, claim_cluster_members, claim_clusters, event_cluster_members, events

CHUNK = 500
Row = tuple  # (Event, cluster id, vector bytes or None, vector model or None)


class LinkWindow:
    """``Store`` methods for bounded linking reads (a mixin: it uses the store's connections)."""

    def window_size(self, *, days: Sequence[tuple], besides_article: str, also: Sequence[str] = (),
                    within: Optional[tuple] = None) -> tuple[int, int]:
        """(clustered events whose days overlap one of ``days`` ((first, last) pairs), or of the
        articles ``also`` overlapping ``within``, outside the article; the largest count of them
        in one cluster)."""
        m = event_cluster_members
        per_cluster = (select(m.c.cluster_id, func.count().label("n"))
                       .join(events, events.c.id == m.c.event_id)
                       .where(self._in_days(days, also, within), events.c.article_id != besides_article)
                       .group_by(m.c.cluster_id).subquery())
        query = select(func.coalesce(func.sum(per_cluster.c.n), 0), func.coalesce(func.max(per_cluster.c.n), 0))
        with self._read() as conn:
            total, biggest = conn.execute(query).one()
        return int(total), int(biggest)

    def window_events(self, *, days: Sequence[tuple], besides_article: str, also: Sequence[str] = (),
                      within: Optional[tuple] = None, places: Sequence[tuple[str, str, str]] = (), per_cluster: Optional[int] = None,
                      limit: Optional[int] = None) -> list[Row]:
        """The clustered events whose days overlap one of ``days``, or of the articles ``also``
        overlapping ``within`` (not of ``besides_article``),
        newest first as ``Store.linked_events`` orders them; with ``limit``, at most
        ``per_cluster`` of each cluster (its first members) and ``limit`` in all: those at one of
        ``places`` ((name, admin1, country) of the new reports) first, then the same province,
        then the same country, then the latest."""
        m = event_cluster_members
        names = sorted({name_key(p[0]) for p in places if p[0]})
        provinces = sorted({name_key(p[1]) for p in places if p[1]})
        countries = sorted({p[2] for p in places if p[2]})
        rank = case((events.c.place_name_key.in_(names or [""]), 0),
                    (events.c.place_admin1_key.in_(provinces or [""]), 1),
                    (events.c.place_country.in_(countries or [""]), 2), else_=3)
        if limit is None:
            query = (select(events.c.id).join(m, m.c.event_id == events.c.id)
                     .where(self._in_days(days, also, within), events.c.article_id != besides_article)
                     .order_by(events.c.date_start.desc().nulls_last(), events.c.article_id, events.c.pos))
            with self._read() as conn:
                return self.clustered_events(list(conn.execute(query).scalars()))
        inner = (select(events.c.id, events.c.date_start, events.c.article_id, events.c.pos, rank.label("rank"),
                        func.row_number().over(partition_by=m.c.cluster_id, order_by=m.c.pos).label("nth"))
                 .join(m, m.c.event_id == events.c.id)
                 .where(self._in_days(days, also, within), events.c.article_id != besides_article).subquery())
        query = (select(inner.c.id).where(inner.c.nth <= per_cluster)
                 .order_by(inner.c.rank, inner.c.date_start.desc().nulls_last(), inner.c.article_id, inner.c.pos)
                 .limit(limit))
        with self._read() as conn:
            ids = list(conn.execute(query).scalars())
        return self.clustered_events(ids)

    def clustered_events(self, event_ids: Sequence[str]) -> list[Row]:
        """(event, cluster id, vector, model) of these clustered events, in the order given."""
        m = event_cluster_members
        found: dict[str, Row] = {}
        with self._read() as conn:
            for start in range(0, len(event_ids), CHUNK):
                query = (select(events, m.c.cluster_id.label("cluster_id"), m.c.vector.label("member_vector"),
                                m.c.vector_model.label("member_vector_model"))
                         .join(m, m.c.event_id == events.c.id).where(events.c.id.in_(event_ids[start:start + CHUNK])))
                rows = conn.execute(query).mappings().all()
                for event, row in zip(self._events_from(conn, rows), rows):
                    found[event.id] = (event, row["cluster_id"], row["member_vector"], row["member_vector_model"])
        return [found[i] for i in event_ids if i in found]

    def cluster_sizes(self, cluster_ids: Iterable[str]) -> dict[str, int]:
        m = event_cluster_members
        found: dict[str, int] = {}
        ids = sorted(set(cluster_ids))
        with self._read() as conn:
            for start in range(0, len(ids), CHUNK):
                query = (select(m.c.cluster_id, func.count()).where(m.c.cluster_id.in_(ids[start:start + CHUNK]))
                         .group_by(m.c.cluster_id))
                found.update((c, int(n)) for c, n in conn.execute(query))
        return found

    def first_members(self, cluster_ids: Iterable[str], *, per_cluster: int, besides: Iterable[str] = ()) -> list[Row]:
        """The first ``per_cluster`` member events (by joining order) of each cluster, except ``besides``."""
        m = event_cluster_members
        skip = set(besides)
        ids = sorted(set(cluster_ids))
        chosen: list[str] = []
        with self._read() as conn:
            for start in range(0, len(ids), CHUNK):
                inner = (select(m.c.event_id, m.c.cluster_id, m.c.pos,
                                func.row_number().over(partition_by=m.c.cluster_id, order_by=m.c.pos).label("nth"))
                         .where(m.c.cluster_id.in_(ids[start:start + CHUNK])).subquery())
                query = (select(inner.c.event_id).where(inner.c.nth <= per_cluster)
                         .order_by(inner.c.cluster_id, inner.c.pos))
                chosen += [e for e in conn.execute(query).scalars() if e not in skip]
        return self.clustered_events(chosen)

    def claim_candidates(self, *, event_cluster_ids: Sequence[str], voices: Optional[Sequence[str]] = None,
                         since=None, until=None, limit: int) -> list[tuple[str, str, Optional[bytes], Optional[str]]]:
        """(claim id, claim cluster id, vector, model) of clustered claims: those about the event
        clusters given, then those of the voices published in [since, until] (latest first),
        at most ``limit`` of each kind.  Starts from the cluster ids and the article days, both indexed."""
        m, cc = claim_cluster_members, claim_clusters
        columns = (m.c.claim_id, m.c.cluster_id, m.c.vector, m.c.vector_model)
        out: dict[str, tuple] = {}
        with self._read() as conn:
            if event_cluster_ids:
                query = (select(*columns).join(cc, cc.c.id == m.c.cluster_id)
                         .where(cc.c.event_cluster_id.in_(list(event_cluster_ids)))
                         .order_by(m.c.cluster_id, m.c.pos).limit(limit))
                out.update((row[0], tuple(row)) for row in conn.execute(query))
            if voices:
                days = [articles.c.published.is_not(None)]
                if (day := queries.as_date(since)) is not None:
                    days.append(articles.c.published >= day)
                if (day := queries.as_date(until)) is not None:
                    days.append(articles.c.published <= day)
                query = (select(*columns).select_from(articles)
                         .join(m, m.c.article_id == articles.c.id).join(cc, cc.c.id == m.c.cluster_id)
                         .where(and_(*days), cc.c.voice.in_(list(voices)))
                         .order_by(articles.c.published.desc(), m.c.claim_id).limit(limit))
                for row in conn.execute(query):
                    out.setdefault(row[0], tuple(row))
        return list(out.values())

    @staticmethod
    def _in_days(days: Sequence[tuple], also: Sequence[str] = (), within: Optional[tuple] = None):
        """Events whose days overlap one of the (first, last) ranges (``events_query``'s day
        filter, per range), or events of the articles ``also`` overlapping ``within``."""
        def overlap(first, last):
            return and_(events.c.date_end >= first, events.c.date_start <= last)

        parts = [overlap(first, last) for first, last in days]
        if also:
            parts.append(and_(events.c.article_id.in_(sorted(set(also))), overlap(*within) if within else literal(True)))
        return or_(*parts) if parts else literal(False)
