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
- ``search``: full-text words (``store.search``): claims by speaker and
  content, articles by title and text.
- Vocabularies (``act``, ``status``, ``type``, ``sub_type``) are matched
  without regard to case and checked against their lists: a value that is not
  in the list raises ``InvalidFilter`` naming the valid ones, never an empty
  result.  Party codes are matched without regard to case too.
- ``place`` is a string or a ``PlaceFilter``: the API widens what a user typed
  into every spelling, alias and code the gazetteer knows (``api.places``);
  a string alone matches the name, admin1 (accents and punctuation folded,
  ``names.name_key``), country code or gazetteer id.

With ``reviewed=True`` a claims or events query reads the reviewed copy of a
record (``schema.claims_reviewed``) in place of its extracted row and leaves
out rejected records: queries and exports see what reviewers decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches
from typing import Any, Optional, TypeVar, Union, cast

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    Table,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.sql.selectable import GenerativeSelect

from ..records import ACLED_TYPES, EVENT_STATUSES, LINK_TYPES, SPEECH_ACTS, SUB_TYPE_TO_TYPE
from . import search as fulltext
from .database import StoreError
from .names import name_key
from .schema import articles, claims, claims_reviewed, events, events_reviewed, links, places

DISPUTING_LINKS = ("denies", "contradicts")
CLUSTER_STATUSES = ("single-source", "corroborated", "disputed", "stale")
PARTY_WORDS = ("independent", "unknown")  # the lower-case party codes; the others are upper case
REVIEW_COLUMNS = ("review_status", "review_fields", "reviewer", "reviewed_at")


class InvalidFilter(StoreError, ValueError):
    """A filter value outside its vocabulary; the message lists the valid values."""


def choose(value: OneOrMany, allowed: Iterable[str], what: str) -> Optional[list[str]]:
    """``value`` (one or many) as the vocabulary spells it, matched without regard to case.

    >>> choose("DENY", SPEECH_ACTS, "act")
    ['deny']
    """
    values = _many(value)
    if values is None:
        return None
    allowed = tuple(allowed)
    by_key = {a.casefold(): a for a in allowed}
    chosen = []
    for v in values:
        found = by_key.get(" ".join(str(v).split()).casefold())
        if found is None:
            near = get_close_matches(str(v).casefold(), list(by_key), n=1, cutoff=0.6)
            hint = f" (did you mean {by_key[near[0]]!r}?)" if near else ""
            raise InvalidFilter(f"{what} {v!r} is not one of: {', '.join(allowed)}{hint}")
        chosen.append(found)
    return chosen


def parties(value: OneOrMany) -> Optional[list[str]]:
    """Party codes as stored: "independent" and "unknown" in lower case, the codes (PAK, ISIS) upper."""
    values = _many(value)
    if values is None:
        return None
    return [v.strip().lower() if v.strip().lower() in PARTY_WORDS else v.strip().upper() for v in values]


@dataclass(frozen=True)
class PlaceFilter:
    """Every way a place asked for may be stored: name keys, gazetteer ids, country codes.

    ``keys`` match a record's place name or admin1 (``names.name_key``);
    ``ids`` its gazetteer id; ``countries`` its country code (only when the
    user named a country).  ``of`` makes one from a string without the
    gazetteer; ``api.places`` adds what the gazetteer knows.
    """

    text: str
    keys: frozenset[str] = field(default_factory=frozenset)
    ids: frozenset[str] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, value: Union[str, "PlaceFilter"]) -> "PlaceFilter":
        if isinstance(value, PlaceFilter):
            return value
        text = value.strip()
        key = name_key(text)
        code = text.upper()
        return cls(text=text, keys=frozenset([key] if key else []), ids=frozenset([text]),
                   countries=frozenset([code] if len(code) == 2 and code.isalpha() else []))

    def widened(self, *, keys=(), ids=(), countries=()) -> "PlaceFilter":
        return PlaceFilter(self.text, self.keys | set(keys), self.ids | set(ids), self.countries | set(countries))

DateLike = Union[date, str, None]
OneOrMany = Union[str, Iterable[str], None]


@dataclass(frozen=True, kw_only=True)
class Filters:
    """What a listing of articles, claims or events asks for, as one value (semantics above).

    One object from the caller down to the SQL: the Python API's keywords
    (``Ledger.claims(party="AFG")``), the HTTP query parameters and the CLI's
    options become a ``Filters`` (``of``), which the query builders below read.
    A filter is thus named, typed and checked once, where it used to be
    declared again in each signature on the way (``Store``, ``queries``).
    """

    since: DateLike = None
    until: DateLike = None
    party: OneOrMany = None
    place: Union[str, PlaceFilter, None] = None
    article_id: OneOrMany = None
    id: OneOrMany = None
    search: Optional[str] = None
    source: OneOrMany = None  # articles
    speaker: Optional[str] = None  # claims
    act: OneOrMany = None
    disputed: Optional[bool] = None
    text: Optional[str] = None
    type: OneOrMany = None  # events
    sub_type: OneOrMany = None
    status: OneOrMany = None

    @classmethod
    def of(cls, kind: str, given: dict[str, Any]) -> "Filters":
        """The filters ``given`` (by name) to a listing of ``kind``; a filter that listing does
        not take is a ``TypeError``, as an unknown keyword argument is."""
        unknown = sorted(set(given) - set(LISTINGS[kind]))
        if unknown:
            raise TypeError(f"{kind} take no filter {unknown[0]!r} (they take: {', '.join(LISTINGS[kind])})")
        return cls(**given)


# The filters each listing takes (``Filters``; semantics in this module's docstring).
LISTINGS: dict[str, tuple[str, ...]] = {
    "articles": ("since", "until", "source", "search"),
    "claims": ("party", "speaker", "act", "place", "since", "until", "disputed", "article_id", "text", "search", "id"),
    "events": ("type", "sub_type", "party", "place", "since", "until", "status", "article_id", "id"),
}


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


def _in(column, values: Optional[list[str]]) -> list[ColumnElement[bool]]:
    """``column IN values`` when the filter was asked for (``values`` not None), else no condition."""
    return [] if values is None else [column.in_(values)]


def fold(column, backend: str):
    """Lower-case a column the same way on both backends (see ``database._sqlite_connect``)."""
    return func.cc_lower(column) if backend == "sqlite" else func.lower(column)


ListQuery = Union[Select, CompoundSelect]  # with reviews applied, a list query is a UNION ALL
_Query = TypeVar("_Query", bound=GenerativeSelect)


def _page(query: _Query, limit: Optional[int], offset: Optional[int]) -> _Query:
    if limit is not None:
        if limit < 0:
            raise ValueError(f"limit must be >= 0, not {limit}")
        query = query.limit(limit)
    if offset:
        if offset < 0:
            raise ValueError(f"offset must be >= 0, not {offset}")
        query = query.offset(offset)
    return query


def place_match(value, *, name, admin1, country, gazetteer_id) -> ColumnElement[bool]:
    """The place filter over one set of place columns (``place_*`` or ``places.*``)."""
    wanted = PlaceFilter.of(value)
    keys = sorted(wanted.keys)
    parts = [name.in_(keys), admin1.in_(keys), gazetteer_id.in_(sorted(wanted.ids))]
    if wanted.countries:
        parts.append(country.in_(sorted(wanted.countries)))
    return or_(*parts)


def articles_query(backend: str, filters: Filters, *, window: Optional[int] = None) -> Select:
    """``window``: how many rows in list order the caller needs (``listing``: offset + limit);
    a count up to a cap asks for cap + 1 (see ``store.search``)."""
    f = filters

    def where(t) -> list[ColumnElement[bool]]:
        conditions = []
        if (day := as_date(f.since)) is not None:
            conditions.append(t.c.published >= day)
        if (day := as_date(f.until)) is not None:
            conditions.append(t.c.published <= day)
        if (sources := _many(f.source)) is not None:
            conditions.append(t.c.source.in_(sources))
        return conditions

    query = select(articles).where(*where(articles))
    if f.search:
        query = query.where(fulltext.Search(f.search, articles, backend, window=window).rows(articles, where))
    return query.order_by(articles.c.published.desc().nulls_last(), articles.c.id)


def _window(window: Optional[int], limit: Optional[int], offset: Optional[int]) -> Optional[int]:
    if window is not None:
        return window
    return None if limit is None else max(1, (offset or 0) + limit)


def _claim_disputed(t: Table) -> ColumnElement[bool]:
    as_source = exists().where(links.c.source == t.c.id, links.c.type.in_(DISPUTING_LINKS))
    as_target = exists().where(links.c.target == t.c.id, links.c.type.in_(DISPUTING_LINKS))
    return or_(as_source, as_target)


def _articles_at(value):
    """Ids of articles with an event at, or a mention of, the place ``value``."""
    with_event = select(events.c.article_id).where(_event_place(events, value))
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


def _event_place(t: Table, value) -> ColumnElement[bool]:
    return place_match(
        value,
        name=t.c.place_name_key,
        admin1=t.c.place_admin1_key,
        country=t.c.place_country,
        gazetteer_id=t.c.place_gazetteer_id,
    )


def claims_query(backend: str, filters: Filters, *, reviewed: bool = False, window: Optional[int] = None) -> ListQuery:
    f = filters
    acts = choose(f.act, SPEECH_ACTS, "act")
    codes = parties(f.party)

    def where(t: Table) -> list[ColumnElement[bool]]:
        conditions = _in(t.c.speaker_party, codes)
        if f.speaker:
            conditions.append(fold(t.c.speaker_name, backend).contains(f.speaker.lower(), autoescape=True))
        conditions += _in(t.c.act, acts)
        if f.place:
            conditions.append(t.c.article_id.in_(_articles_at(f.place)))
        if (day := as_date(f.since)) is not None:
            conditions.append(t.c.published >= day)
        if (day := as_date(f.until)) is not None:
            conditions.append(t.c.published <= day)
        if f.disputed is not None:
            conditions.append(_claim_disputed(t) if f.disputed else ~_claim_disputed(t))
        conditions += _in(t.c.article_id, _many(f.article_id)) + _in(t.c.id, _many(f.id))
        if f.text:
            conditions.append(fold(t.c.span_text, backend).contains(f.text.lower(), autoescape=True))
        return conditions

    found = fulltext.Search(f.search, claims, backend, window=window) if f.search else None
    return _reviewable(claims, claims_reviewed, where, ("published", "article_id", "pos"), reviewed, found)


def events_query(filters: Filters, *, reviewed: bool = False) -> ListQuery:
    f = filters
    types = choose(f.type, ACLED_TYPES, "event type")
    sub_types = choose(f.sub_type, SUB_TYPE_TO_TYPE, "event sub-type")
    statuses = choose(f.status, EVENT_STATUSES, "event status")
    codes = parties(f.party)

    def where(t: Table) -> list[ColumnElement[bool]]:
        conditions = _in(t.c.type, types) + _in(t.c.sub_type, sub_types)
        if codes is not None:
            conditions.append(or_(t.c.actor1_party.in_(codes), t.c.actor2_party.in_(codes)))
        if f.place:
            conditions.append(_event_place(t, f.place))
        if (day := as_date(f.since)) is not None:
            conditions.append(t.c.date_end >= day)
        if (day := as_date(f.until)) is not None:
            conditions.append(t.c.date_start <= day)
        conditions += _in(t.c.status, statuses)
        conditions += _in(t.c.article_id, _many(f.article_id)) + _in(t.c.id, _many(f.id))
        return conditions

    return _reviewable(events, events_reviewed, where, ("date_start", "article_id", "pos"), reviewed)


def listing(kind: str, backend: str, filters: Filters, *, limit: Optional[int] = None, offset: Optional[int] = None,
            reviewed: bool = False, window: Optional[int] = None) -> ListQuery:
    """The query of a page of ``kind`` (articles, claims or events): its filters, its order
    (newest first) and the page; ``reviewed`` and ``window`` as for ``claims_query``."""
    window = _window(window, limit, offset)
    if kind == "articles":
        query: ListQuery = articles_query(backend, filters, window=window)
    elif kind == "claims":
        query = claims_query(backend, filters, reviewed=reviewed, window=window)
    else:
        query = events_query(filters, reviewed=reviewed)
    return _page(query, limit, offset)


def _reviewable(base: Table, copy: Table, where, order: tuple[str, ...], reviewed: bool,
                search: Optional[fulltext.Search] = None) -> ListQuery:
    """The rows of ``base`` matching ``where`` (and ``search``), newest first; with ``reviewed``,
    reviews applied.

    Reviewed: the extracted rows that have no reviewed copy, plus the reviewed
    copies that match and are not rejected, merged in the same order (each
    side walks its own "newest first" index).  Each row then carries the
    review columns (NULL for unreviewed rows).
    """

    def extracted(t) -> list[ColumnElement[bool]]:
        return where(t) + ([t.c.id.not_in(select(copy.c.id))] if reviewed else [])

    conditions = extracted(base) + ([search.rows(base, extracted)] if search is not None else [])
    if not reviewed:
        query = select(base).where(*conditions)
        return query.order_by(base.c[order[0]].desc().nulls_last(), *(base.c[c] for c in order[1:]))
    corrected = where(copy) + [copy.c.review_status != "rejected"]
    if search is not None:
        corrected.append(search.copies(copy))
    return union_all(
        select(base, *(null().label(name) for name in REVIEW_COLUMNS)).where(*conditions),
        select(*(copy.c[c.name] for c in base.c), *(copy.c[name] for name in REVIEW_COLUMNS)).where(*corrected),
    ).order_by(literal_column(order[0]).desc().nulls_last(), *(literal_column(c) for c in order[1:]))


def count(query: ListQuery, cap: Optional[int] = None) -> Select:
    """How many rows a list query gives (up to ``cap + 1``), without its order, limit and offset.

    The inner query selects a constant, not the record's columns, so the
    database can answer from an index alone when one covers the filters, and
    ``cap`` lets it stop early: a total is a walk over at most ``cap + 1``
    index entries, never over every matching row.
    """
    inner = query.order_by(None).limit(None).offset(None)
    one: Any = literal_column("1").label("one")
    if isinstance(inner, CompoundSelect):
        parts = (cast(Select, s) for s in inner.selects)  # the UNION ALL of ``_reviewable``: two SELECTs
        inner = union_all(*(s.with_only_columns(one, maintain_column_froms=True) for s in parts))
    else:
        inner = inner.with_only_columns(one, maintain_column_froms=True)
    if cap is not None:
        inner = inner.limit(cap + 1)
    return select(func.count()).select_from(inner.subquery())


def links_query(*, article_id: OneOrMany = None, record_id: Optional[str] = None, type: OneOrMany = None) -> Select:
    """Links produced by an article's extraction, and/or touching one record id."""
    query = select(links).where(*_in(links.c.article_id, _many(article_id)))
    if record_id is not None:
        query = query.where(or_(links.c.source == record_id, links.c.target == record_id))
    query = query.where(*_in(links.c.type, choose(type, LINK_TYPES, "link type")))
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

    query = select(event_clusters).where(*_in(event_clusters.c.status, choose(status, CLUSTER_STATUSES, "status")))
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

    query = select(claim_clusters).where(
        *_in(claim_clusters.c.id, _many(id)),
        *_in(claim_clusters.c.event_cluster_id, _many(event_cluster_id)),
        *_in(claim_clusters.c.status, choose(status, CLUSTER_STATUSES, "status")),
        *_in(claim_clusters.c.party, parties(party)),
    )
    query = query.order_by(claim_clusters.c.n_appearances.desc(), claim_clusters.c.id)
    return _page(query, limit, offset)
