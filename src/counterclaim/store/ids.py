"""Record ids as people type them: short forms that are shown, prefixes that are accepted.

Article ids are 16 hex digits (a content hash); a claim's or event's id is its
article's id, a colon and its place in the text (``3f2a9b1c0d4e5f6a:c120-183``,
``...:e12-80:a1b2c3``); a cluster's id is its first member's.  ``short``
keeps eight digits of the article part and the whole rest (``3f2a9b1c:c120-183``),
and ``resolve`` takes back any unique prefix of a full id or of such a short
form, as git names commits.  Two or more matches are "ambiguous", named as
such with a few of them, never "not found".

Prefix lookups use a range over the hex part (``id >= '3f2a' AND id < '3f2b'``),
which every collation orders the same way for hex digits, so both backends
walk the primary key index; the exact prefix test is applied on the few rows
in that range.
"""

from __future__ import annotations

import re

from sqlalchemy import Column, Connection, select

from .database import StoreError

SHORT_HEX = 8
SHOWN = 5  # matches named in an "ambiguous" message
_HEX = re.compile(r"[0-9a-f]*")
_NEXT = {**{str(d): str(d + 1) for d in range(9)}, "9": "a", **{c: chr(ord(c) + 1) for c in "abcdef"}}


class UnknownId(StoreError, KeyError):
    """No record has this id or starts with it."""

    def __str__(self) -> str:
        return self.args[0]


class AmbiguousId(UnknownId):
    """More than one record starts with this prefix; the message names some."""


def short(record_id: str) -> str:
    """The id as shown in listings: 8 hex digits of the article part, then the rest."""
    head, sep, rest = record_id.partition(":")
    return head[:SHORT_HEX] + sep + rest


def _upper_bound(hex_prefix: str) -> str:
    return hex_prefix[:-1] + _NEXT[hex_prefix[-1]]


def resolve(conn: Connection, column: Column, given: str, what: str) -> str:
    """The one full id of ``column`` that ``given`` names (a full id, a prefix or a short form)."""
    given = (given or "").strip()
    if not given:
        raise UnknownId(f"no {what} id given")
    if conn.execute(select(column).where(column == given)).first() is not None:
        return given
    head, sep, rest = given.partition(":")
    hex_part = m.group(0) if (m := _HEX.match(head.lower())) else ""
    if not hex_part or hex_part != head.lower():
        raise UnknownId(f"no {what} with id {given!r}")
    query = select(column).where(column >= hex_part, column < _upper_bound(hex_part)).order_by(column)
    if not sep:
        query = query.limit(SHOWN + 1)
    found = []
    for (full,) in conn.execute(query):
        full_head, _, full_rest = full.partition(":")
        if full_head.startswith(hex_part) and (not sep or full_rest.startswith(rest)):
            found.append(full)
            if len(found) > SHOWN:
                break
    if not found:
        raise UnknownId(f"no {what} with id {given!r}")
    if len(found) > 1:
        more = "" if len(found) <= SHOWN else ", ..."
        raise AmbiguousId(f"{what} id {given!r} is ambiguous: it starts {', '.join(found[:SHOWN])}{more}; "
                          "give more of it")
    return found[0]
