"""Full-text search in "newest first" order without sorting every match (SQLite); claims by
party and act together.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

0007's FTS5 tables were keyed by the row's rowid, so a search for a common
word ("killed") had to fetch and sort every matching row to show the newest
50: with 100,000 articles, a second per request.  Here each FTS5 row is keyed
by ``search_key`` = (the published day as a Julian day number << 40) | the
row's rowid: FTS5 hands matches out in key order, so the newest day's
matches come first, and ``store.search`` reads only the days a page needs.
The low 40 bits give the row back (rowids stay far below 2**40).

The FTS5 tables read their text from views that compute the key
(``*_fts_content``); triggers keep them in step as before, now also when a
row's published day changes.  SQLite's VACUUM may renumber rowids of tables
without an INTEGER PRIMARY KEY: after a VACUUM, rebuild with
``INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')`` (and articles_fts).
A later migration that rebuilds ``articles`` or ``claims`` on SQLite (batch
mode) drops their triggers and renumbers their rows: it must create the
triggers again (the statements of ``_fts`` here, without the view and the
table) and rebuild both FTS tables.

PostgreSQL: the document each GIN index was built on is now a stored,
generated column (``search_document``), and the index is on that column.
Walking "newest first" and testing each row then reads a stored vector
instead of parsing the article's text again (50 ms for 100 articles), and
the planner chooses between that walk and the GIN index with the column's
statistics.  The vector is kept in the row (compressed, ``STORAGE MAIN``)
rather than in the TOAST table: a total counted up to its cap reads a few
thousand rows, and a TOAST lookup for each cost three times the scan.

Both backends: ``ix_claims_speaker_party_act_newest`` (party, act, published
DESC, article, position), so "claims of this side with this act, newest
first" and its total walk one index (``schema._newest_first``); and
``ix_events_type_date_end``, so the total of "events of this type since a
day" is counted from the index alone.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXED = {"articles": ("title", "text"), "claims": ("speaker_name", "span_text")}
TOKENIZE = "porter unicode61 remove_diacritics 2"
# Must stay the expression of ``store.search.sqlite_key``.
KEY = "((coalesce(CAST(julianday({t}.published) AS INTEGER), 0) << 40) | {t}.rowid)"


def _drop_0007(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}" for suffix in ("insert", "delete", "update")] + [
        f"DROP TABLE IF EXISTS {table}_fts"]


def _fts(table: str, columns: tuple[str, ...], *, keyed: bool) -> list[str]:
    """The FTS5 table, its triggers and its first fill: keyed by ``KEY`` (this revision) or,
    for a downgrade, by the rowid over the table itself (0007's)."""
    fts, view = f"{table}_fts", f"{table}_fts_content"
    cols = ", ".join(columns)
    new, old = (", ".join(f"{row}.{c}" for c in columns) for row in ("new", "old"))
    key = (lambda t: KEY.format(t=t)) if keyed else (lambda t: f"{t}.rowid")
    content, rowid = (view, "search_key") if keyed else (table, "rowid")
    watched = f"{cols}, published" if keyed else cols
    return [
        *([f"CREATE VIEW {view} AS SELECT {key(table)} AS search_key, {cols} FROM {table}"] if keyed else []),
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{content}', content_rowid='{rowid}', "
        f"tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES ({key('new')}, {new}); END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', {key('old')}, {old}); END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {watched} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', {key('old')}, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES ({key('new')}, {new}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


PARTY_ACT = "ix_claims_speaker_party_act_newest"
TYPE_SINCE = "ix_events_type_date_end"


# Must stay ``store.search.PG_COLUMN`` and the documents of 0007's indexes.
PG_COLUMN = "search_document"
PG_DOCUMENT = {
    "articles": "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(text, ''))",
    "claims": "to_tsvector('english', coalesce(speaker_name, '') || ' ' || coalesce(span_text, ''))",
}


def upgrade() -> None:
    conn = op.get_bind()
    nulls = " NULLS LAST" if conn.dialect.name == "postgresql" else ""
    op.create_index(PARTY_ACT, "claims", ["speaker_party", "act", sa.text(f"published DESC{nulls}"), "article_id",
                                           "pos"])
    op.create_index(TYPE_SINCE, "events", ["type", "date_end"])
    for table, columns in INDEXED.items():
        if conn.dialect.name == "sqlite":
            statements = _drop_0007(table) + _fts(table, columns, keyed=True)
        else:
            statements = [f"DROP INDEX IF EXISTS ix_{table}_fts",
                          f"ALTER TABLE {table} ADD COLUMN {PG_COLUMN} tsvector "
                          f"GENERATED ALWAYS AS ({PG_DOCUMENT[table]}) STORED, "
                          f"ALTER COLUMN {PG_COLUMN} SET STORAGE MAIN",
                          f"CREATE INDEX ix_{table}_fts ON {table} USING gin ({PG_COLUMN})"]
        for statement in statements:
            conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    op.drop_index(PARTY_ACT, "claims")
    op.drop_index(TYPE_SINCE, "events")
    for table, columns in INDEXED.items():
        if conn.dialect.name == "sqlite":
            statements = _drop_0007(table) + [f"DROP VIEW IF EXISTS {table}_fts_content"] + _fts(
                table, columns, keyed=False)
        else:
            statements = [f"DROP INDEX IF EXISTS ix_{table}_fts", f"ALTER TABLE {table} DROP COLUMN {PG_COLUMN}",
                          f"CREATE INDEX ix_{table}_fts ON {table} USING gin ({PG_DOCUMENT[table]})"]
        for statement in statements:
            conn.exec_driver_sql(statement)
