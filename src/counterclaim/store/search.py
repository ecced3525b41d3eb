"""Full-text search over articles and claims: SQLite FTS5, PostgreSQL full text.

The indexes are made by migration 0007: on SQLite, FTS5 tables over
``articles`` (title, text) and ``claims`` (speaker, content) kept in step by
triggers; on PostgreSQL, GIN indexes on ``to_tsvector('english', ...)`` of the
same columns.  Both fold case and stem English words, so "killed" finds
"kill" and "killing" on either backend.

What users type is never passed through as query syntax: words are quoted
(FTS5 would otherwise fail on a stray ``"`` or read ``NOT`` and ``-`` as
operators), ``"two words"`` is a phrase, a trailing ``*`` a prefix, and every
part must match.  PostgreSQL reads the same input with ``websearch_to_tsquery``,
which never raises on bad syntax.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Table, bindparam, func, literal_column, select, text

from .database import StoreError

INDEXED = {"articles": ("title", "text"), "claims": ("speaker_name", "span_text")}
PG_DOCUMENT = {  # must stay the very expressions of migration 0007's indexes
    "articles": "to_tsvector('english', coalesce({t}.title, '') || ' ' || coalesce({t}.text, ''))",
    "claims": "to_tsvector('english', coalesce({t}.speaker_name, '') || ' ' || coalesce({t}.span_text, ''))",
}
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


def matches(table: Table, base: Table, query: str, backend: str) -> ColumnElement[bool]:
    """Rows of ``table`` (``base`` itself, or its reviewed copy) whose ``base`` row matches ``query``."""
    if backend == "sqlite":
        fts = f"{base.name}_fts"
        rowids = (select(literal_column("rowid")).select_from(text(fts))
                  .where(literal_column(fts).op("MATCH")(bindparam(None, fts5_query(query)))))
        hit = literal_column(f"{base.name}.rowid").in_(rowids)
    else:
        if not _WORD.search(query or ""):
            raise BadSearch(f"nothing to search for in {query!r}: give one or more words")
        document = literal_column(PG_DOCUMENT[base.name].format(t=base.name))
        hit = document.op("@@")(func.websearch_to_tsquery(literal_column("'english'"), bindparam(None, query)))
    return hit if table is base else table.c.id.in_(select(base.c.id).where(hit))
