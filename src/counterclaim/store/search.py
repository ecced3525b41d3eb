"""Full-text search over articles and claims: SQLite FTS5, PostgreSQL full text.

The indexes are made by migrations 0007 and 0009: on SQLite, FTS5 tables over
``articles`` (title, text) and ``claims`` (speaker, content) kept in step by
triggers; on PostgreSQL, GIN indexes on ``to_tsvector('english', ...)`` of the
same columns.  Both fold case and stem English words, so "killed" finds
"kill" and "killing" on either backend.

What users type is never passed through as query syntax: words are quoted
(FTS5 would otherwise fail on a stray ``"`` or read ``NOT`` and ``-`` as
operators), ``"two words"`` is a phrase, a trailing ``*`` a prefix, and every
part must match.  PostgreSQL reads the same input with ``websearch_to_tsquery``,
which never raises on bad syntax.

Order without sorting every match (SQLite): results are listed newest first
like every list, and a common word matches a good part of the ledger, so
"fetch the matches, sort, keep 50" costs a second at 100,000 articles.  The
FTS5 rows are keyed by the published day and the rowid (``KEY``, migration
0009), so FTS5 hands matches out newest day first.  A page of ``window`` rows
(offset + limit) first finds the day of the ``window``-th match that passes
the other filters (a walk over ``window`` matches), then takes only the
matches from that day on: every row the page can show, and the rest of that
day, sorted as usual.  A total counted up to a cap is the same walk.
PostgreSQL's planner makes that choice itself from its statistics.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Integer,
    Table,
    bindparam,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
)

from .database import StoreError

INDEXED = {"articles": ("title", "text"), "claims": ("speaker_name", "span_text")}
# PostgreSQL: the stored, generated tsvector column of each indexed table (migration 0009).
PG_COLUMN = "search_document"
SQLITE_TABLES = tuple(f"{name}_fts" for name in INDEXED)
_PART = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


class BadSearch(StoreError, ValueError):
    """A search with nothing to search for."""


def fts5_query(query: str) -> str:
    """An FTS5 MATCH expression for what a user typed: quoted words and phrases, all required.

    >>> fts5_query('killed "border post" Kandah* NOT')
    '"killed" "border post" "kandah"* "not"'
    """
    parts = []
    for phrase, word in _PART.findall(query or ""):
        words = _WORD.findall((phrase or word).lower())
        if not words:
            continue
        quoted = '"' + " ".join(words) + '"'
        parts.append(quoted + "*" if word.endswith("*") and not phrase else quoted)
    if not parts:
        raise BadSearch(f"nothing to search for in {query!r}: give one or more words")
    return " ".join(parts)


KEY_BITS = 40  # a key is (Julian day << KEY_BITS) | rowid; migration 0009 writes the same
ROW_BITS = (1 << KEY_BITS) - 1


def _rowid(t) -> ColumnElement:
    return literal_column(f"{t.name}.rowid")


@dataclass(frozen=True)
class Search:
    """A full-text condition over ``base`` (``articles`` or ``claims``) for one query.

    ``window``: the page needs the first ``window`` matches in list order
    (offset + limit, or a count's cap + 1); None for all of them.
    """

    words: str
    base: Table
    backend: str
    window: Optional[int] = None

    def __post_init__(self):
        if self.backend == "sqlite":
            fts5_query(self.words)  # raises BadSearch on nothing to search for
        elif not _WORD.search(self.words or ""):
            raise BadSearch(f"nothing to search for in {self.words!r}: give one or more words")

    def rows(self, t, filters: Callable[[object], list] = lambda t: []) -> ColumnElement[bool]:
        """Rows of ``t`` (``base`` or an alias of it) that match, enough of them for the window.

        ``filters(alias)`` gives the query's other conditions over an alias of
        ``base``: the window counts matches that pass them.
        """
        if self.backend != "sqlite":
            document: ColumnClause[Any] = literal_column(f"{t.name}.{PG_COLUMN}")
            return document.op("@@")(func.websearch_to_tsquery(literal_column("'english'"),
                                                               bindparam(None, self.words)))
        fts = table(f"{self.base.name}_fts", column("rowid"))
        hits = select(fts.c.rowid.op("&")(ROW_BITS)).where(self._match())
        if self.window:
            hits = hits.where(fts.c.rowid >= func.coalesce(self._first_day(fts, filters), 0))
        return _rowid(t).in_(hits)

    def copies(self, copy: Table) -> ColumnElement[bool]:
        """Reviewed copies whose extracted row matches (few: each is looked up by its key)."""
        if self.backend != "sqlite":
            return copy.c.id.in_(select(self.base.c.id).where(self.rows(self.base)))
        fts = table(f"{self.base.name}_fts", column("rowid"))
        key = (func.coalesce(cast(func.julianday(self.base.c.published), Integer), 0)
               .op("<<")(KEY_BITS).op("|")(_rowid(self.base)))
        return (select(literal_column("1")).select_from(self.base.join(fts, fts.c.rowid == key))
                .where(self.base.c.id == copy.c.id, self._match()).exists())

    def _match(self) -> ColumnElement[bool]:
        return literal_column(f"{self.base.name}_fts").op("MATCH")(bindparam(None, fts5_query(self.words)))

    def _first_day(self, fts, filters):
        """The first key of the day of the ``window``-th match passing ``filters`` (None: fewer)."""
        assert self.window, "only a search with a window asks for its first day (``rows``)"
        b = self.base.alias(f"{self.base.name}_w")
        conditions = filters(b)
        query = select(fts.c.rowid.op("&")(~ROW_BITS)).where(self._match())
        if conditions:
            query = query.join_from(fts, b, _rowid(b) == fts.c.rowid.op("&")(ROW_BITS)).where(*conditions)
        return query.order_by(fts.c.rowid.desc()).limit(1).offset(self.window - 1).scalar_subquery()
