"""The filters behind ``Store.articles``, ``Store.claims`` and ``Store.events``.

Each function returns a ``Select`` over one table with the filters applied and
a stable order (newest first, then the order inside the article), so limit and
offset page consistently.  Filter semantics, shared by the CLI, the HTTP API
and export:

- ``since`` / ``until`` are inclusive days.  Articles and claims use the
  article's published date (claims from undated articles are left out when
  either is given).  Events use the days the event may have happened on
  (``events.date_start`` .. ``date_end``, from ``Event.date`` at its precision,
  else the article's published day): an event matches when that range
  overlaps the asked range, so "2026-02" matches ``since=2026-02-15``.
- ``party`` is a party code, exact (``"PAK"``); for events it matches actor1 or
  actor2.  A list matches any of its codes.
- ``place`` matches a name case-insensitively (``"kandahar"``), or an admin1
  name, a country code (``"AF"``) or a gazetteer id (``"geonames:1138958"``),
  exactly, not as a substring.  For events it is the event's place.  For claims
  it is the article's: a claim matches when its article has an event at that
  place or mentions it among its places.  Claims seldom name a place inside
  their own span ("the spokesman said strikes hit Kabul" names it, "he denied
  it" does not), so the article is the unit that says where a claim is about.
- ``speaker`` and ``text`` are case-insensitive substrings (speaker name; claim
  span text).
- ``disputed=True``: claims that are the source or target of a ``denies`` or
  ``contradicts`` link (stored by any article); ``False``: the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Optional, Union

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, union

from .convert import name_key
from .schema import articles, claims, events, links, places

DISPUTING_LINKS = ("denies", "contradicts")

DateLike = Union[date, str, None]
OneOrMany = Union[str, Iterable[str], None]


def as_date(value: DateLike) -> Optional[date]:
    """A filter date from a ``date`` or an ISO string ("2026-02-27")."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date (use YYYY-MM-DD): {value!r}") from None


def _many(value: OneOrMany) -> Optional[list[str]]:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def fold(column, backend: str):
    """Lower-case a column the same way on both backends (see ``database._sqlite_connect``)."""
    return func.cc_lower(column) if backend == "sqlite" else func.lower(column)


def _page(query: Select, limit: Optional[int], offset: Optional[int]) -> Select:
    if limit is not None:
        if limit < 0:
            raise ValueError(f"limit must be >= 0, not {limit}")
        query = query.limit(limit)
    if offset:
        if offset < 0:
            raise ValueError(f"offset must be >= 0, not {offset}")
        query = query.offset(offset)
    return query


def place_match(value: str, *, name, admin1, country, gazetteer_id) -> ColumnElement[bool]:
    """The place filter over one set of place columns (``place_*`` or ``places.*``)."""
    key = name_key(value)
    return or_(
        name == key,
        admin1 == key,
        country == value.strip().upper(),
        gazetteer_id == value.strip(),
    )


def articles_query(
    *,
    since: DateLike = None,
    until: DateLike = None,
    source: OneOrMany = None,
    limit: Optional[int] = None,
    offset: Optional[int] = None,
) -> Select:
    query = select(articles)
    if (day := as_date(since)) is not None:
        query = query.where(articles.c.published >= day)
    if (day := as_date(until)) is not None:
        query = query.where(articles.c.published <= day)
    if (sources := _many(source)) is not None:
        query = query.where(articles.c.source.in_(sources))
    query = query.order_by(articles.c.published.desc().nulls_last(), articles.c.id)
    return _page(query, limit, offset)


def _claim_disputed() -> ColumnElement[bool]:
    as_source = exists().where(links.c.source == claims.c.id, links.c.type.in_(DISPUTING_LINKS))
    as_target = exists().where(links.c.target == claims.c.id, links.c.type.in_(DISPUTING_LINKS))
    return or_(as_source, as_target)


def _articles_at(value: str):
    """Ids of articles with an event at, or a mention of, the place ``value``."""
    with_event = select(events.c.article_id).where(
        place_match(
            value,
            name=events.c.place_name_key,
            admin1=events.c.place_admin1_key,
            country=events.c.place_country,
            gazetteer_id=events.c.place_gazetteer_id,
        )
    )
    mentioning = select(places.c.article_id).where(
        place_match(
            value,
            name=places.c.name_key,
            admin1=places.c.admin1_key,
            country=places.c.country,
            gazetteer_id=places.c.gazetteer_id,
        )
    )
    return union(with_event, mentioning)


def claims_query(
    backend: str,
    *,
    party: OneOrMany = None,
    speaker: Optional[str] = None,
    act: OneOrMany = None,
    place: Optional[str] = None,
    since: DateLike = None,
    until: DateLike = None,
    disputed: Optional[bool] = None,
    article_id: OneOrMany = None,
    text: Optional[str] = None,
    limit: Optional[int] = None,
    offset: Optional[int] = None,
) -> Select:
    query = select(claims)
    if (parties := _many(party)) is not None:
        query = query.where(claims.c.speaker_party.in_(parties))
    if speaker:
        query = query.where(
            fold(claims.c.speaker_name, backend).contains(speaker.lower(), autoescape=True)
        )
    if (acts := _many(act)) is not None:
        query = query.where(claims.c.act.in_(acts))
    if place:
        query = query.where(claims.c.article_id.in_(_articles_at(place)))
    if (day := as_date(since)) is not None:
        query = query.where(claims.c.published >= day)
    if (day := as_date(until)) is not None:
        query = query.where(claims.c.published <= day)
    if disputed is not None:
        query = query.where(_claim_disputed() if disputed else ~_claim_disputed())
    if (ids := _many(article_id)) is not None:
        query = query.where(claims.c.article_id.in_(ids))
    if text:
        query = query.where(
            fold(claims.c.span_text, backend).contains(text.lower(), autoescape=True)
        )
    query = query.order_by(
        claims.c.published.desc().nulls_last(), claims.c.article_id, claims.c.pos
    )
    return _page(query, limit, offset)


def events_query(
    *,
    type: OneOrMany = None,
    sub_type: OneOrMany = None,
    party: OneOrMany = None,
    place: Optional[str] = None,
    since: DateLike = None,
    until: DateLike = None,
    status: OneOrMany = None,
    article_id: OneOrMany = None,
    limit: Optional[int] = None,
    offset: Optional[int] = None,
) -> Select:
    query = select(events)
    if (types := _many(type)) is not None:
        query = query.where(events.c.type.in_(types))
    if (sub_types := _many(sub_type)) is not None:
        query = query.where(events.c.sub_type.in_(sub_types))
    if (parties := _many(party)) is not None:
        query = query.where(
            or_(events.c.actor1_party.in_(parties), events.c.actor2_party.in_(parties))
        )
    if place:
        query = query.where(
            place_match(
                place,
                name=events.c.place_name_key,
                admin1=events.c.place_admin1_key,
                country=events.c.place_country,
                gazetteer_id=events.c.place_gazetteer_id,
            )
        )
    if (day := as_date(since)) is not None:
        query = query.where(events.c.date_end >= day)
    if (day := as_date(until)) is not None:
        query = query.where(events.c.date_start <= day)
    if (statuses := _many(status)) is not None:
        query = query.where(events.c.status.in_(statuses))
    if (ids := _many(article_id)) is not None:
        query = query.where(events.c.article_id.in_(ids))
    query = query.order_by(
        events.c.date_start.desc().nulls_last(), events.c.article_id, events.c.pos
    )
    return _page(query, limit, offset)


def links_query(*, article_id: OneOrMany = None, record_id: Optional[str] = None, type: OneOrMany = None) -> Select:
    """Links produced by an article's extraction, and/or touching one record id."""
    query = select(links)
    if (ids := _many(article_id)) is not None:
        query = query.where(links.c.article_id.in_(ids))
    if record_id is not None:
        query = query.where(or_(links.c.source == record_id, links.c.target == record_id))
    if (types := _many(type)) is not None:
        query = query.where(links.c.type.in_(types))
    return query.order_by(links.c.article_id, links.c.pos)


def event_clusters_query(
    *,
    status: OneOrMany = None,
    min_outlets: Optional[int] = None,
    min_reports: Optional[int] = None,
    since: DateLike = None,
    until: DateLike = None,
    limit: Optional[int] = None,
    offset: Optional[int] = None,
) -> Select:
    """Merged events (issue 5), newest first; dates as for events (overlap with the asked days)."""
    from .schema import event_clusters

    query = select(event_clusters)
    if (statuses := _many(status)) is not None:
        query = query.where(event_clusters.c.status.in_(statuses))
    if min_outlets:
        query = query.where(event_clusters.c.n_outlets >= min_outlets)
    if min_reports:
        query = query.where(event_clusters.c.n_reports >= min_reports)
    if (day := as_date(since)) is not None:
        query = query.where(event_clusters.c.date_end >= day)
    if (day := as_date(until)) is not None:
        query = query.where(event_clusters.c.date_start <= day)
    query = query.order_by(
        event_clusters.c.date_start.desc().nulls_last(), event_clusters.c.id
    )
    return _page(query, limit, offset)


def claim_clusters_query(
    *,
    id: OneOrMany = None,
    event_cluster_id: OneOrMany = None,
    status: OneOrMany = None,
    party: OneOrMany = None,
    limit: Optional[int] = None,
    offset: Optional[int] = None,
) -> Select:
    """Merged claims (issue 5): by event, status or party; most appearances first."""
    from .schema import claim_clusters

    query = select(claim_clusters)
    if (ids := _many(id)) is not None:
        query = query.where(claim_clusters.c.id.in_(ids))
    if (ids := _many(event_cluster_id)) is not None:
        query = query.where(claim_clusters.c.event_cluster_id.in_(ids))
    if (statuses := _many(status)) is not None:
        query = query.where(claim_clusters.c.status.in_(statuses))
    if (parties := _many(party)) is not None:
        query = query.where(claim_clusters.c.party.in_(parties))
    query = query.order_by(claim_clusters.c.n_appearances.desc(), claim_clusters.c.id)
    return _page(query, limit, offset)
