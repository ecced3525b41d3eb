"""Reviewers' decisions on claims and events: confirm, correct a field, reject.

The rules (issue 12):

- Every decision is a row of ``reviews`` with who, when, the new value and
  the value it replaced; rows are never changed or removed.
- The extraction is never overwritten.  The reviewed version of a record is a
  copy of its row with the corrections applied (``claims_reviewed``,
  ``events_reviewed``), and queries read the copy in its place
  (``queries._reviewable``); rejected records drop out of queries and exports.
- Re-extraction keeps the reviews: the copy goes with the extracted row (ON
  DELETE CASCADE) and ``reapply`` rebuilds it from the log over the new row,
  in the same transaction.  A record a newer extractor no longer finds keeps
  its log (``history``), and has no copy until it comes back.

Corrections are validated as the extractor's own values are: vocabularies
(acts, ACLED types, statuses), numbers, dates; columns derived from a field
(a place's comparison key, an event's days, the type of a sub-type) follow it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Optional

from sqlalchemy import Connection, Table, delete, insert, select

from ..records import ACLED_TYPES, EVENT_STATUSES, PRECISIONS, SPEECH_ACTS, SUB_TYPE_TO_TYPE, timex_range
from .database import StoreError
from .names import name_key
from .queries import choose, parties
from .schema import REVIEW_ACTIONS, claims, claims_reviewed, events, events_reviewed, reviews

STATUS_OF = {"confirm": "confirmed", "correct": "corrected", "reject": "rejected"}
TABLES: dict[str, tuple[Table, Table]] = {"claim": (claims, claims_reviewed), "event": (events, events_reviewed)}
MAX_TEXT = 500


class InvalidReview(StoreError, ValueError):
    """A decision the store refused (unknown record, field or value); nothing was written."""


def _text(value: Any) -> Optional[str]:
    if value is None:
        return None
    text = " ".join(str(value).split())
    if len(text) > MAX_TEXT:
        raise InvalidReview(f"at most {MAX_TEXT} characters")
    return text or None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "yes", "1"):
        return True
    if str(value).lower() in ("false", "no", "0"):
        return False
    raise InvalidReview(f"{value!r} is not true or false")


def _number(kind: type, low: float, high: float, what: str):
    """A check that a value is a ``kind`` number between ``low`` and ``high`` (empty: None)."""
    def check(value: Any) -> Optional[float]:
        if value is None or value == "":
            return None
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise InvalidReview(f"{value!r} is not {what}") from None
        if not low <= number <= high:
            raise InvalidReview(f"{number} is out of range ({low:,} to {high:,})")
        return number
    return check


_count = _number(int, 0, 10_000_000, "a whole number")


def _coordinate(limit: int):
    return _number(float, -limit, limit, "a number")


def _one_of(allowed, what):
    def check(value: Any) -> str:
        chosen = choose(str(value), allowed, what)
        assert chosen is not None, "choose gives None only for no value, and a string is one"
        return chosen[0]
    return check


def _party(value: Any) -> str:
    if not _text(value):
        return "unknown"
    codes = parties(str(value))
    assert codes is not None, "parties gives None only for no value, and a string is one"
    return codes[0]


def _day(value: Any) -> Optional[str]:
    text = _text(value)
    if text is not None and timex_range(text) is None:
        raise InvalidReview(f"{text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return text


# Reviewable columns and how a value is checked; the other columns are evidence
# (spans, ids, reasons) or derived, and stay as extracted.
FIELDS: dict[str, dict[str, Any]] = {
    "claim": {
        "speaker_name": _text, "speaker_role": _text, "speaker_kind": _text, "speaker_party": _party,
        "speaker_country": _text, "act": _one_of(SPEECH_ACTS, "act"), "channel": _text,
        "direct_quote": _flag, "negated": _flag,
    },
    "event": {
        "type": _one_of(ACLED_TYPES, "event type"), "sub_type": _one_of(SUB_TYPE_TO_TYPE, "event sub-type"),
        **{f"{a}_{f}": _text for a in ("actor1", "actor2") for f in ("name", "role", "kind", "country")},
        "actor1_party": _party, "actor2_party": _party,
        "place_name": _text, "place_country": _text, "place_admin1": _text,
        "place_lat": _coordinate(90), "place_lon": _coordinate(180),
        "date": _day, "date_precision": _one_of(PRECISIONS, "date precision"),
        **{f"{k}_{f}": _count for k in ("fatalities", "injured") for f in ("low", "best", "high")},
        "status": _one_of(EVENT_STATUSES, "event status"),
    },
}


@dataclass
class Review:
    """One decision, as logged."""

    id: int
    kind: str
    record_id: str
    article_id: str
    action: str
    field: Optional[str]
    value: Any
    previous: Any
    reviewer: str
    note: Optional[str]
    reviewed_at: datetime

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["reviewed_at"] = self.reviewed_at.isoformat()
        return data


def _review_from(row) -> Review:
    return Review(id=row["id"], kind=row["kind"], record_id=row["record_id"], article_id=row["article_id"],
                  action=row["action"], field=row["field"], value=_load(row["value"]),
                  previous=_load(row["previous"]), reviewer=row["reviewer"], note=row["note"],
                  reviewed_at=row["reviewed_at"])


def _dump(value: Any) -> Optional[str]:
    return None if value is None else json.dumps(value.isoformat() if isinstance(value, date) else value,
                                                  ensure_ascii=False)


def _load(value: Optional[str]) -> Any:
    return None if value is None else json.loads(value)


def _check(kind: str, action: str, field: Optional[str], value: Any) -> Any:
    if kind not in TABLES:
        raise InvalidReview(f"can review claims and events, not {kind!r}")
    if action not in REVIEW_ACTIONS:
        raise InvalidReview(f"action {action!r} is not one of: {', '.join(REVIEW_ACTIONS)}")
    if action != "correct":
        if field is not None:
            raise InvalidReview(f"{action} takes no field: only correct does")
        return None
    if field not in FIELDS[kind]:
        raise InvalidReview(f"{kind} field {field!r} cannot be corrected; the fields are: "
                            f"{', '.join(FIELDS[kind])}")
    try:
        return FIELDS[kind][field](value)
    except StoreError as exc:
        raise InvalidReview(f"{field}: {exc}") from None


def _derive(kind: str, row: dict[str, Any], field: str, published: Optional[date]) -> None:
    """Columns that follow a corrected field."""
    if field in ("place_name", "place_admin1"):
        row[f"{field}_key"] = name_key(row[field])
    elif field == "sub_type":
        row["type"] = SUB_TYPE_TO_TYPE[row["sub_type"]]
    elif field == "type" and SUB_TYPE_TO_TYPE.get(row["sub_type"]) != row["type"]:
        raise InvalidReview(f"sub-type {row['sub_type']!r} is not of type {row['type']!r}: correct sub_type")
    elif field == "date":
        days = timex_range(row["date"]) or ((published, published) if published else (None, None))
        row["date_start"], row["date_end"] = days


def _rebuild(conn: Connection, kind: str, base_row: dict[str, Any], log: list[Review]) -> Optional[dict]:
    """The reviewed copy of one record: its extracted row with the logged decisions applied."""
    if not log:
        return None
    row = dict(base_row)
    fields: list[str] = []
    published = row.get("published") if kind == "claim" else None
    if kind == "event":
        from .schema import articles

        published = conn.execute(select(articles.c.published).where(articles.c.id == row["article_id"])).scalar()
    for decision in log:
        if decision.action == "correct":
            assert decision.field is not None, "a correction names its field (``_check``)"
            row[decision.field] = decision.value
            _derive(kind, row, decision.field, published)
            if decision.field not in fields:
                fields.append(decision.field)
    last = log[-1]
    row.update(review_status=STATUS_OF[last.action], review_fields=json.dumps(fields) if fields else None,
               reviewer=last.reviewer, reviewed_at=last.reviewed_at)
    return row


def history(conn: Connection, kind: str, record_id: str) -> list[Review]:
    """Every decision on one record, oldest first."""
    query = select(reviews).where(reviews.c.kind == kind, reviews.c.record_id == record_id).order_by(reviews.c.id)
    return [_review_from(row) for row in conn.execute(query).mappings()]


def review(conn: Connection, kind: str, record_id: str, action: str, *, reviewer: str,
           field: Optional[str] = None, value: Any = None, note: Optional[str] = None) -> Review:
    """Log one decision and rebuild the record's reviewed copy (call inside a write transaction)."""
    value = _check(kind, action, field, value)
    name = _text(reviewer)
    if not name:
        raise InvalidReview("a review needs a reviewer's name")
    base, copy = TABLES[kind]
    base_row = conn.execute(select(base).where(base.c.id == record_id)).mappings().first()
    if base_row is None:
        raise InvalidReview(f"no {kind} with id {record_id!r}")
    current = conn.execute(select(copy).where(copy.c.id == record_id)).mappings().first()
    if action == "correct":
        assert field is not None, "a correction names its field (``_check``)"
        previous = (current or base_row)[field]
    else:
        previous = current["review_status"] if current else None
    now = datetime.now(timezone.utc)
    values = {"kind": kind, "record_id": record_id, "article_id": base_row["article_id"], "action": action,
              "field": field, "value": _dump(value), "previous": _dump(previous), "reviewer": name,
              "note": _text(note), "reviewed_at": now}
    _rebuild_copy(conn, kind, dict(base_row), history(conn, kind, record_id) + [_review_from({"id": 0, **values})])
    key = conn.execute(insert(reviews).values(**values)).inserted_primary_key
    assert key is not None, "an INSERT of one row reports its primary key"
    new_id = key[0]
    return _review_from({"id": new_id, **values})


def _rebuild_copy(conn: Connection, kind: str, base_row: dict[str, Any], log: list[Review]) -> None:
    _, copy = TABLES[kind]
    row = _rebuild(conn, kind, base_row, log)
    conn.execute(delete(copy).where(copy.c.id == base_row["id"]))
    if row is not None:
        conn.execute(insert(copy).values(**row))


def reapply(conn: Connection, article_id: str) -> None:
    """Rebuild the reviewed copies of an article's records after its extraction was replaced."""
    reviewed = conn.execute(select(reviews.c.kind, reviews.c.record_id).where(reviews.c.article_id == article_id)
                            .distinct()).all()
    for kind, record_id in reviewed:
        base, _ = TABLES[kind]
        base_row = conn.execute(select(base).where(base.c.id == record_id)).mappings().first()
        if base_row is not None:
            _rebuild_copy(conn, kind, dict(base_row), history(conn, kind, record_id))


def states(conn: Connection, kind: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Review state of records (only the reviewed ones): status, corrected fields, who, when."""
    _, copy = TABLES[kind]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        query = select(copy.c.id, copy.c.review_status, copy.c.review_fields, copy.c.reviewer,
                       copy.c.reviewed_at).where(copy.c.id.in_(ids[start:start + 500]))
        for row in conn.execute(query).mappings():
            found[row["id"]] = {"status": row["review_status"], "fields": _load(row["review_fields"]) or [],
                                "reviewer": row["reviewer"], "reviewed_at": row["reviewed_at"].isoformat()}
    return found


def any_reviewed(conn: Connection, kind: str) -> bool:
    """Whether any record of this kind has a reviewed copy (queries skip the merge when none has)."""
    _, copy = TABLES[kind]
    return conn.execute(select(copy.c.id).limit(1)).first() is not None
