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

import functools
from datetime import date
from typing import Iterable, NamedTuple, Optional, Sequence

from sqlalchemy import ColumnElement, FromClause, Select, Table, and_, bindparam, func, select

from . import queries
from .convert import name_key
from .database import Connected
from .schema import articles, claim_cluster_members, claim_clusters, event_cluster_members, events, linked_articles

CHUNK = 500
Row = tuple  # (Event, cluster id, vector bytes or None, vector model or None)


def joining_order(members: Table) -> tuple[FromClause, tuple[ColumnElement, ...]]:
    """``members`` (event or claim cluster members) joined with the articles' link rows, and the
    order of a cluster's members in it: ``pos`` (the member's position in its article, as the
    linker writes it), then the order its article was linked in, then the ids.

    A total order, the same on every backend.  ``pos`` alone ties across articles, and rows
    that tie come back in whatever order the database's sort leaves them: SQLite's happens to
    be the order of insertion, PostgreSQL's is not, and the linker takes a cluster's first
    members as its face (a claim cluster's event is its first member's; a capped window
    offers each cluster's first members), so a run resumed after a kill linked a claim apart
    from where an uninterrupted run put it."""
    record = members.c.event_id if "event_id" in members.c else members.c.claim_id
    joined = members.outerjoin(linked_articles, linked_articles.c.article_id == members.c.article_id)
    return joined, (members.c.pos, linked_articles.c.linked_at, members.c.article_id, record)


class WindowRow(NamedTuple):
    """A clustered event of a linking window, without its record: enough to count and rank."""

    id: str
    cluster_id: str
    member_pos: int
    date_start: Optional[date]
    article_id: str
    pos: int
    name_key: Optional[str]
    admin1_key: Optional[str]
    country: Optional[str]

    def newest_first(self) -> tuple:
        """``events_query``'s order: day descending (undated last), article, position."""
        return (self.date_start is None, -(self.date_start.toordinal() if self.date_start else 0),
                self.article_id, self.pos)


class LinkWindow(Connected):
    """``Store`` methods for bounded linking reads (a mixin: it uses the store's connections)."""

    def window_rows(self, *, days: Sequence[tuple], besides_article: str, also: Sequence[str] = (),
                    within: Optional[tuple] = None, of_articles: Optional[Sequence[str]] = None) -> list[WindowRow]:
        """The clustered events whose days overlap one of ``days`` ((first, last) pairs), or of
        the articles ``also`` overlapping ``within``, outside ``besides_article``: light rows
        (``WindowRow``), newest first as ``Store.linked_events`` orders them.

        One query per range, each starting from the index on the events' last day: the
        planner, left to choose, may walk the first-day index instead, which reads every
        earlier event of the ledger (SQLite did so on a 100,000-article ledger).

        ``of_articles``: only the events of these articles (what a caller that keeps a window
        reads of the articles linked since: ``Linker._window``)."""
        limited = of_articles is not None
        common: dict = {"besides": besides_article}
        if limited:
            common["of"] = sorted(set(of_articles or ()))
        queries_ = [(_window_query("days", limited), {**common, "first": first, "last": last}) for first, last in days]
        if also:
            extra = {**common, "also": sorted(set(also))}
            if within:
                extra.update(first=within[0], last=within[1])
            queries_.append((_window_query("within" if within else "also", limited), extra))
        found: dict[str, WindowRow] = {}
        with self._read() as conn:
            for query, values in queries_:
                for row in conn.execute(query, values):
                    found.setdefault(row[0], WindowRow(*row))
        return sorted(found.values(), key=WindowRow.newest_first)

    @staticmethod
    def capped_window(rows: Sequence[WindowRow], *, places: Sequence[tuple], per_cluster: int,
                      limit: int) -> list[str]:
        """Ids of the part of a window over the caps that linking reads: each cluster's first
        ``per_cluster`` members (in joining order), at most ``limit`` in all, those at one of
        ``places`` ((name, admin1, country) of the new reports) first, then in the same
        province, then in the same country, each newest first."""
        names = {name_key(p[0]) for p in places if p[0]}
        provinces = {name_key(p[1]) for p in places if p[1]}
        countries = {p[2] for p in places if p[2]}
        by_cluster: dict[str, list[WindowRow]] = {}
        for row in rows:
            by_cluster.setdefault(row.cluster_id, []).append(row)
        kept = [r for members in by_cluster.values() for r in sorted(members, key=lambda r: r.member_pos)[:per_cluster]]

        def rank(row: WindowRow) -> tuple:
            near = (0 if row.name_key in names else 1 if row.admin1_key in provinces
                    else 2 if row.country in countries else 3)
            return (near, *row.newest_first())

        return [r.id for r in sorted(kept, key=rank)[:limit]]

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

    def member_rows(self, event_ids: Sequence[str]) -> dict[str, tuple[str, str, Optional[bytes], Optional[str]]]:
        """Event id -> (its article, its cluster, vector, model) for the clustered ones of ``event_ids``:
        ``clustered_events`` without the records, for a caller that keeps them (``link.record_cache``)."""
        found: dict[str, tuple[str, str, Optional[bytes], Optional[str]]] = {}
        with self._read() as conn:
            for start in range(0, len(event_ids), CHUNK):
                found.update((row[0], tuple(row[1:]))
                             for row in conn.execute(_MEMBER_ROWS, {"ids": list(event_ids[start:start + CHUNK])}))
        return found

    def cluster_sizes(self, cluster_ids: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        ids = sorted(set(cluster_ids))
        with self._read() as conn:
            for start in range(0, len(ids), CHUNK):
                found.update((c, int(n)) for c, n in conn.execute(_CLUSTER_SIZES, {"ids": ids[start:start + CHUNK]}))
        return found

    def first_members(self, cluster_ids: Iterable[str], *, per_cluster: int, besides: Iterable[str] = ()) -> list[Row]:
        """The first ``per_cluster`` member events (in ``joining_order``) of each cluster, except ``besides``."""
        return self.clustered_events(self.first_member_ids(cluster_ids, per_cluster=per_cluster, besides=besides))

    def first_member_ids(self, cluster_ids: Iterable[str], *, per_cluster: int,
                         besides: Iterable[str] = ()) -> list[str]:
        """The ids of ``first_members``, in its order (a caller that keeps events read before
        reads only the others: ``clustered_events``)."""
        m = event_cluster_members
        skip = set(besides)
        ids = sorted(set(cluster_ids))
        chosen: list[str] = []
        joined, order = joining_order(m)
        with self._read() as conn:
            for start in range(0, len(ids), CHUNK):
                inner = (select(m.c.event_id, m.c.cluster_id,
                                func.row_number().over(partition_by=m.c.cluster_id, order_by=order).label("nth"))
                         .select_from(joined).where(m.c.cluster_id.in_(ids[start:start + CHUNK])).subquery())
                query = (select(inner.c.event_id).where(inner.c.nth <= per_cluster)
                         .order_by(inner.c.cluster_id, inner.c.nth))
                chosen += [e for e in conn.execute(query).scalars() if e not in skip]
        return chosen

    def claim_candidates(self, *, event_cluster_ids: Sequence[str], voices: Optional[Sequence[str]] = None,
                         since=None, until=None, limit: int) -> list[tuple[str, str, Optional[bytes], Optional[str], str]]:
        """(claim id, claim cluster id, vector, model, article id) of clustered claims: those about the event
        clusters given, then those of the voices published in [since, until] (latest first),
        at most ``limit`` of each kind.  Starts from the cluster ids and the article days, both indexed."""
        out: dict[str, tuple] = {}
        with self._read() as conn:
            if event_cluster_ids:
                query = _about_events_query(limit)
                out.update((row[0], tuple(row)) for row in conn.execute(query, {"ids": list(event_cluster_ids)}))
            if voices:
                values: dict = {"voices": list(voices)}
                if (day := queries.as_date(since)) is not None:
                    values["since"] = day
                if (day := queries.as_date(until)) is not None:
                    values["until"] = day
                for row in conn.execute(_of_voices_query(limit, "since" in values, "until" in values), values):
                    out.setdefault(row[0], tuple(row))
        return list(out.values())


# The linker's reads of every article, built once (building a statement cost about as much as
# running it): values are bound parameters, lists expanding ones.
_M = event_cluster_members
_MEMBER_ROWS = (select(_M.c.event_id, _M.c.article_id, _M.c.cluster_id, _M.c.vector, _M.c.vector_model)
                .where(_M.c.event_id.in_(bindparam("ids", expanding=True))))
_CLUSTER_SIZES = (select(_M.c.cluster_id, func.count()).where(_M.c.cluster_id.in_(bindparam("ids", expanding=True)))
                  .group_by(_M.c.cluster_id))
_CLAIM_COLUMNS = (claim_cluster_members.c.claim_id, claim_cluster_members.c.cluster_id,
                  claim_cluster_members.c.vector, claim_cluster_members.c.vector_model,
                  claim_cluster_members.c.article_id)


@functools.lru_cache(maxsize=None)
def _window_query(kind: str, limited: bool) -> Select:
    """``LinkWindow.window_rows``'s query: ``kind`` "days" (events overlapping [:first, :last]),
    "also" (events of the articles :also) or "within" (those overlapping [:first, :last]); all
    outside article :besides, and of the articles :of when ``limited``."""
    m = event_cluster_members
    columns = (events.c.id, m.c.cluster_id, m.c.pos.label("member_pos"), events.c.date_start,
               events.c.article_id, events.c.pos, events.c.place_name_key, events.c.place_admin1_key,
               events.c.place_country)
    query = (select(*columns).join(m, m.c.event_id == events.c.id)
             .where(events.c.article_id != bindparam("besides")))
    if limited:
        query = query.where(events.c.article_id.in_(bindparam("of", expanding=True)))
    if kind == "days":
        # ``coalesce(x, x)`` is ``x`` that no index serves: the planner must start from date_end.
        start = func.coalesce(events.c.date_start, events.c.date_start)
        return query.where(events.c.date_end >= bindparam("first"), start <= bindparam("last"))
    query = query.where(events.c.article_id.in_(bindparam("also", expanding=True)))
    if kind == "within":
        query = query.where(events.c.date_end >= bindparam("first"), events.c.date_start <= bindparam("last"))
    return query


@functools.lru_cache(maxsize=None)
def _about_events_query(limit: int) -> Select:
    """``LinkWindow.claim_candidates``'s first query: claims about the event clusters :ids."""
    m, cc = claim_cluster_members, claim_clusters
    joined, order = joining_order(m)
    return (select(*_CLAIM_COLUMNS).select_from(joined).join(cc, cc.c.id == m.c.cluster_id)
            .where(cc.c.event_cluster_id.in_(bindparam("ids", expanding=True)))
            .order_by(m.c.cluster_id, *order).limit(limit))


@functools.lru_cache(maxsize=None)
def _of_voices_query(limit: int, since: bool, until: bool) -> Select:
    """``LinkWindow.claim_candidates``'s second query: claims of the :voices published in [:since, :until]."""
    m, cc = claim_cluster_members, claim_clusters
    days: list[ColumnElement[bool]] = [articles.c.published.is_not(None)]
    if since:
        days.append(articles.c.published >= bindparam("since"))
    if until:
        days.append(articles.c.published <= bindparam("until"))
    return (select(*_CLAIM_COLUMNS).select_from(articles)
            .join(m, m.c.article_id == articles.c.id).join(cc, cc.c.id == m.c.cluster_id)
            # coalesce(x, x): no index on the voice, so the planner starts from the days
            # (a voice such as a state's has clusters all through the ledger's history).
            .where(and_(*days), func.coalesce(cc.c.voice, cc.c.voice).in_(bindparam("voices", expanding=True)))
            .order_by(articles.c.published.desc(), m.c.claim_id).limit(limit))
