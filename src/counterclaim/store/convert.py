"""Records to rows and back: the only place that knows both shapes.

Each ``*_row`` returns a plain dict for one table row; each ``*_from`` rebuilds
the record from a row mapping.  A round trip gives an equal record, with two
documented normalisations:

- ``Article.ingested_at`` comes back as an aware UTC datetime (see
  ``schema.UTCDateTime``);
- an all-empty ``Fatalities()`` (no figure, no reason) comes back as ``None``:
  it says nothing, and one set of NULL columns cannot tell the two apart.

``validate`` checks what the database cannot (a claim filed under another
article, dangling event<->claim references) before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Optional, Union

from sqlalchemy import RowMapping

from ..records import (
    Actor,
    Article,
    Claim,
    ClaimCluster,
    Event,
    EventCluster,
    Extraction,
    Fatalities,
    Link,
    Member,
    Place,
    Quantity,
    Span,
    Time,
    timex_range,
)
from .names import name_key

# A row as stored: a dict written here, or a read row (its keys may also be columns).
Row = Union[Mapping[str, Any], RowMapping]


# ---------------------------------------------------------------- nested parts


def span_cols(prefix: str, span: Optional[Span]) -> dict[str, Any]:
    if span is None:
        return {f"{prefix}start": None, f"{prefix}end": None, f"{prefix}text": None}
    return {f"{prefix}start": span.start, f"{prefix}end": span.end, f"{prefix}text": span.text}


def span_from(row: Row, prefix: str) -> Optional[Span]:
    start = row[f"{prefix}start"]
    if start is None:
        return None
    return Span(start=start, end=row[f"{prefix}end"], text=row[f"{prefix}text"])


def evidence_from(row: Row) -> Span:
    """The span every claim, event, quantity and time has (its columns are NOT NULL)."""
    span = span_from(row, "span_")
    assert span is not None, "span_start is NOT NULL"
    return span


_ACTOR_FIELDS = ("role", "kind", "party", "country", "reason")
_PLACE_FIELDS = ("kind", "lat", "lon", "country", "admin1", "gazetteer_id", "precision", "reason")


def _named_cols(prefix: str, record: Union[Actor, Place, None], fields: tuple[str, ...]) -> dict[str, Any]:
    """An actor's or a place's columns: its name, its span, then ``fields`` (all None without one)."""
    cols = {f"{prefix}name": record.name if record else None}
    cols.update(span_cols(f"{prefix}span_", record.span if record else None))
    cols.update({f"{prefix}{name}": getattr(record, name) if record else None for name in fields})
    return cols


def _named_from(row: Row, prefix: str, fields: tuple[str, ...]) -> Optional[dict[str, Any]]:
    """The keyword arguments that rebuild what ``_named_cols`` wrote; None when no record was stored."""
    if row[f"{prefix}name"] is None:
        return None
    values = {name: row[f"{prefix}{name}"] for name in fields}
    return {"name": row[f"{prefix}name"], "span": span_from(row, f"{prefix}span_"), **values}


def actor_cols(prefix: str, actor: Optional[Actor]) -> dict[str, Any]:
    return _named_cols(prefix, actor, _ACTOR_FIELDS)


def actor_from(row: Row, prefix: str) -> Optional[Actor]:
    found = _named_from(row, prefix, _ACTOR_FIELDS)
    return None if found is None else Actor(**found)


def place_cols(prefix: str, place: Optional[Place]) -> dict[str, Any]:
    """As ``_named_cols``, with the folded keys place filters compare (``names.name_key``)."""
    cols = _named_cols(prefix, place, _PLACE_FIELDS)
    cols[f"{prefix}name_key"] = name_key(place.name) if place else None
    cols[f"{prefix}admin1_key"] = name_key(place.admin1) if place else None
    return cols


def place_from(row: Row, prefix: str) -> Optional[Place]:
    found = _named_from(row, prefix, _PLACE_FIELDS)
    return None if found is None else Place(**found)


def place_of(row: Row) -> Place:
    """The place of a ``places`` row, which always has one: its name is NOT NULL."""
    place = place_from(row, "")
    assert place is not None, "a places row has a name (NOT NULL), so a place"
    return place


def fatalities_cols(prefix: str, value: Optional[Fatalities]) -> dict[str, Any]:
    return {
        f"{prefix}{name}": getattr(value, name) if value else None
        for name in ("low", "best", "high", "reason")
    }


def fatalities_from(row: Row, prefix: str) -> Optional[Fatalities]:
    values = {name: row[f"{prefix}{name}"] for name in ("low", "best", "high", "reason")}
    if all(v is None for v in values.values()):
        return None
    return Fatalities(**values)


# ---------------------------------------------------------------- event dates

# The store files an event under the days ``records.timex_range`` gives, the
# same days the linker compares; the old name stays for callers.
date_range = timex_range


# ---------------------------------------------------------------- records


# The plain fields each record keeps in columns of the same name; the ``*_row`` and
# ``*_from`` pairs below name the rest (spans, actors, places, tolls) by prefix.
_ARTICLE_FIELDS = ("id", "url", "source", "title", "published", "language", "text", "ingested_at", "origin",
                   "published_source")
_CLAIM_FIELDS = ("act", "act_reason", "channel")
_QUANTITY_FIELDS = ("low", "high", "what", "unit_text", "reason")
_EVENT_FIELDS = ("type", "sub_type", "date", "date_precision", "status", "reason")


def _fields(record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def _values(row: Row, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: row[name] for name in names}


def article_row(article: Article) -> dict[str, Any]:
    return _fields(article, _ARTICLE_FIELDS)


def article_from(row: Row) -> Article:
    return Article(**_values(row, _ARTICLE_FIELDS))


def claim_row(claim: Claim, pos: int, published: Optional[date]) -> dict[str, Any]:
    row = {"id": claim.id, "article_id": claim.article_id, "pos": pos, "published": published}
    row.update(span_cols("span_", claim.span))
    row.update(span_cols("cue_", claim.cue))
    row.update(actor_cols("speaker_", claim.speaker))
    row.update(_fields(claim, _CLAIM_FIELDS), direct_quote=bool(claim.direct_quote), negated=bool(claim.negated))
    row.update(span_cols("sentence_", claim.sentence))
    return row


def claim_from(row: Row, quantities: list[Quantity], event_ids: list[str]) -> Claim:
    return Claim(
        id=row["id"], article_id=row["article_id"], span=evidence_from(row), cue=span_from(row, "cue_"),
        speaker=actor_from(row, "speaker_"), direct_quote=row["direct_quote"], negated=row["negated"],
        quantities=quantities, sentence=span_from(row, "sentence_"), event_ids=event_ids,
        **_values(row, _CLAIM_FIELDS),
    )


def quantity_row(quantity: Quantity, claim: Claim, pos: int) -> dict[str, Any]:
    row = {"claim_id": claim.id, "pos": pos, "article_id": claim.article_id}
    row.update(span_cols("span_", quantity.span))
    row.update(_fields(quantity, _QUANTITY_FIELDS), vague=bool(quantity.vague))
    return row


def quantity_from(row: Row) -> Quantity:
    return Quantity(span=evidence_from(row), vague=row["vague"], **_values(row, _QUANTITY_FIELDS))


def event_row(event: Event, pos: int, published: Optional[date]) -> dict[str, Any]:
    days = date_range(event.date) or ((published, published) if published else (None, None))
    row = {"id": event.id, "article_id": event.article_id, "pos": pos}
    row.update(span_cols("span_", event.span))
    row.update(span_cols("trigger_", event.trigger))
    row.update(actor_cols("actor1_", event.actor1))
    row.update(actor_cols("actor2_", event.actor2))
    row.update(place_cols("place_", event.place))
    row.update(_fields(event, _EVENT_FIELDS), date_source=event.date_source, date_start=days[0], date_end=days[1],
               mentions=_json([[m.start, m.end, m.text] for m in event.mentions]))
    row.update(fatalities_cols("fatalities_", event.fatalities))
    row.update(fatalities_cols("injured_", event.injured))
    return row


def event_from(row: Row, claim_ids: list[str]) -> Event:
    return Event(
        id=row["id"], article_id=row["article_id"], span=evidence_from(row), trigger=span_from(row, "trigger_"),
        actor1=actor_from(row, "actor1_"), actor2=actor_from(row, "actor2_"), place=place_from(row, "place_"),
        date_source=row.get("date_source"),  # absent from rows written before the column
        fatalities=fatalities_from(row, "fatalities_"), injured=fatalities_from(row, "injured_"),
        claim_ids=claim_ids, mentions=[Span(start=a, end=b, text=t) for a, b, t in _unjson(row.get("mentions"))],
        **_values(row, _EVENT_FIELDS),
    )


def event_claim_rows(extraction: Extraction) -> list[dict[str, Any]]:
    """One row per (event, claim) pair named by either side, with both positions."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    article_id = extraction.article.id

    def pair(event_id: str, claim_id: str) -> dict[str, Any]:
        return pairs.setdefault(
            (event_id, claim_id),
            {
                "event_id": event_id,
                "claim_id": claim_id,
                "article_id": article_id,
                "pos_in_claim": None,
                "pos_in_event": None,
            },
        )

    for claim in extraction.claims:
        for pos, event_id in enumerate(claim.event_ids):
            row = pair(event_id, claim.id)
            if row["pos_in_claim"] is None:  # a repeated id keeps its first place
                row["pos_in_claim"] = pos
    for event in extraction.events:
        for pos, claim_id in enumerate(event.claim_ids):
            row = pair(event.id, claim_id)
            if row["pos_in_event"] is None:
                row["pos_in_event"] = pos
    return list(pairs.values())


def place_row(place: Place, article_id: str, pos: int) -> dict[str, Any]:
    return {"article_id": article_id, "pos": pos, **place_cols("", place)}


def time_row(time: Time, article_id: str, pos: int) -> dict[str, Any]:
    row = {"article_id": article_id, "pos": pos}
    row.update(span_cols("span_", time.span))
    row.update(value=time.value, precision=time.precision, anchor=time.anchor, reason=time.reason)
    return row


def time_from(row: Row) -> Time:
    return Time(
        span=evidence_from(row),
        value=row["value"],
        precision=row["precision"],
        anchor=row["anchor"],
        reason=row["reason"],
    )


def link_row(link: Link, article_id: str, pos: int) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "pos": pos,
        "source": link.source,
        "type": link.type,
        "target": link.target,
        "reason": link.reason,
    }


def link_from(row: Row) -> Link:
    return Link(source=row["source"], type=row["type"], target=row["target"], reason=row["reason"])


# ---------------------------------------------------------------- a whole extraction


def validate(extraction: Extraction) -> None:
    """Raise ValueError for what would store a wrong picture of the article.

    The database checks types, NOT NULL, unique ids and that event<->claim
    pairs point at stored records; this checks the records belong together.
    """
    article_id = extraction.article.id
    if not article_id:
        raise ValueError("the article has no id")
    for kind, records in (("claim", extraction.claims), ("event", extraction.events)):
        for record in records:
            if record.article_id != article_id:
                raise ValueError(
                    f"{kind} {record.id!r} belongs to article {record.article_id!r}, "
                    f"not to {article_id!r} whose extraction is being saved"
                )
            if record.span is None:
                raise ValueError(f"{kind} {record.id!r} has no span: every record needs its evidence")


def extraction_rows(extraction: Extraction) -> dict[str, list[dict[str, Any]]]:
    """Rows for every child table of one extraction (the article row excluded)."""
    article_id = extraction.article.id
    published = extraction.article.published
    return {
        "claims": [claim_row(c, i, published) for i, c in enumerate(extraction.claims)],
        "quantities": [
            quantity_row(q, c, i) for c in extraction.claims for i, q in enumerate(c.quantities)
        ],
        "events": [event_row(e, i, published) for i, e in enumerate(extraction.events)],
        "event_claims": event_claim_rows(extraction),
        "places": [place_row(p, article_id, i) for i, p in enumerate(extraction.places)],
        "times": [time_row(t, article_id, i) for i, t in enumerate(extraction.times)],
        "links": [link_row(k, article_id, i) for i, k in enumerate(extraction.links)],
    }


# ---------------------------------------------------------------- cross-article clusters (issue 5)


def _json(value: Any) -> Optional[str]:
    import json

    return json.dumps(value, ensure_ascii=False) if value else None


def _unjson(value: Optional[str]) -> list:
    import json

    return json.loads(value) if value else []


# A cluster's plain columns, and those that hold a JSON list (figures, evidence, outlets).
_EVENT_CLUSTER_FIELDS = ("id", "type", "sub_type", "date_start", "date_end", "place", "lat", "lon", "country",
                         "admin1", "status", "status_reason", "n_reports", "n_articles", "n_outlets")
_EVENT_CLUSTER_LISTS = ("figures", "evidence", "outlets")
_CLAIM_CLUSTER_FIELDS = ("id", "voice", "speaker", "party", "act", "event_cluster_id", "status", "status_reason",
                         "n_appearances", "n_outlets")
_CLAIM_CLUSTER_LISTS = ("evidence", "outlets")


def _cluster_cols(cluster: Any, fields: tuple[str, ...], lists: tuple[str, ...], updated_at: Any) -> dict[str, Any]:
    cols = _fields(cluster, fields)
    cols.update({name: _json(getattr(cluster, name)) for name in lists})
    cols["updated_at"] = updated_at
    return cols


def _cluster_values(row: Row, fields: tuple[str, ...], lists: tuple[str, ...]) -> dict[str, Any]:
    return {**_values(row, fields), **{name: _unjson(row[name]) for name in lists}}


def event_cluster_row(cluster: EventCluster, updated_at: Any) -> dict[str, Any]:
    """Members are stored separately (``member_from``)."""
    row = _cluster_cols(cluster, _EVENT_CLUSTER_FIELDS, _EVENT_CLUSTER_LISTS, updated_at)
    row.update(fatalities_cols("fatalities_", cluster.fatalities), fatalities_acled=cluster.acled_fatalities)
    return row


def event_cluster_from(row: Row, members: list[Member]) -> EventCluster:
    return EventCluster(fatalities=fatalities_from(row, "fatalities_"), acled_fatalities=row["fatalities_acled"],
                        members=members, **_cluster_values(row, _EVENT_CLUSTER_FIELDS, _EVENT_CLUSTER_LISTS))


def claim_cluster_row(cluster: ClaimCluster, updated_at: Any) -> dict[str, Any]:
    """Members are stored separately (``member_from``)."""
    return _cluster_cols(cluster, _CLAIM_CLUSTER_FIELDS, _CLAIM_CLUSTER_LISTS, updated_at)


def claim_cluster_from(row: Row, members: list[Member]) -> ClaimCluster:
    return ClaimCluster(members=members, **_cluster_values(row, _CLAIM_CLUSTER_FIELDS, _CLAIM_CLUSTER_LISTS))


def member_from(row: Row, id_column: str) -> Member:
    return Member(record_id=row[id_column], article_id=row["article_id"], pos=row["pos"],
                  reason=row["reason"], similarity=row.get("similarity"))
