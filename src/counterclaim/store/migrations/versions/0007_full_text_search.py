"""Full-text search over articles (title, text) and claims (speaker, content).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

SQLite: FTS5 tables over the rows (external content: no second copy of the
texts), kept in step by triggers, so every write path (ingest, re-extraction,
deletion) updates them in the same transaction.  Words are folded (case,
diacritics) and stemmed (porter), as PostgreSQL's ``english`` configuration
does.  PostgreSQL: GIN indexes on ``to_tsvector('english', ...)`` of the same
columns; the queries in ``store.search`` repeat these expressions exactly,
which is what lets the planner use them.

A later migration that rebuilds ``articles`` or ``claims`` on SQLite (batch
mode) drops their triggers: it must run ``store.search``'s
``SQLITE_TRIGGERS`` again and ``rebuild`` the tables.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# table -> the columns indexed, in order
INDEXED = {"articles": ("title", "text"), "claims": ("speaker_name", "span_text")}
PG_EXPRESSION = {
    "articles": "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(text, ''))",
    "claims": "to_tsvector('english', coalesce(speaker_name, '') || ' ' || coalesce(span_text, ''))",
}


def _sqlite_statements(table: str, columns: tuple[str, ...]) -> list[str]:
    fts = f"{table}_fts"
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='rowid', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new}); END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    conn = op.get_bind()
    for table, columns in INDEXED.items():
        if conn.dialect.name == "sqlite":
            for statement in _sqlite_statements(table, columns):
                conn.exec_driver_sql(statement)
        else:
            conn.exec_driver_sql(f"CREATE INDEX ix_{table}_fts ON {table} USING gin ({PG_EXPRESSION[table]})")


def downgrade() -> None:
    conn = op.get_bind()
    for table in INDEXED:
        if conn.dialect.name == "sqlite":
            for suffix in ("insert", "delete", "update"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}_fts")
        else:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{table}_fts")
