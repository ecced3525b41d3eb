"""Bring a database to the schema this version of counterclaim expects.

``Store.open`` calls ``upgrade``: users never run Alembic or keep an
``alembic.ini``.  The Alembic configuration is built here, pointing at the
``migrations`` directory shipped inside the package.  Opening a database that
is already at head does not load Alembic's environment at all, so it costs one
query.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

from .database import WRITE_OPTION, StoreError, StoreFailure

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Our own version table, so a PostgreSQL schema shared with another
# Alembic-managed application does not mix up the two histories.
VERSION_TABLE = "counterclaim_alembic_version"


def comparison_filter(dialect: str):
    """Alembic ``include_object`` for comparing the database with ``schema``.

    Leaves out our version table, the indexes meant for the other backend
    (``schema._newest_first``) and the full-text tables, indexes and
    PostgreSQL's stored search column, which migrations make by hand (``search``).
    """
    from .schema import for_dialect
    from .search import PG_COLUMN

    def include(item, name, type_, reflected, compare_to) -> bool:
        if type_ == "table" and (name == VERSION_TABLE or "_fts" in name):
            return False
        if type_ == "index" and name and name.endswith("_fts"):
            return False
        if type_ == "column" and name == PG_COLUMN:  # PostgreSQL's stored search document
            return False
        return reflected or not hasattr(item, "info") or for_dialect(item, dialect)

    return include


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` built in code; ``connection`` is handed to ``env.py``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this version of counterclaim knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for an empty database).

    The version table holds one row.  Two rows (edited by hand, or written by
    a tool interrupted between its steps) leave the schema unknown: that is a
    ``StoreFailure`` saying how to repair it, never a guess.
    """
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    heads = context.get_current_heads()
    if len(heads) > 1:
        db = connection.engine.url.render_as_string(hide_password=True)
        newest = head_revision()
        raise StoreFailure(
            f"the database {db} records {len(heads)} schema versions ({', '.join(sorted(heads))}) in its table "
            f"{VERSION_TABLE}, where there must be one: it was edited by hand or by an interrupted tool. Back it up; "
            f"if its tables are those of version {newest!r}, keep that row only "
            f"(DELETE FROM {VERSION_TABLE} WHERE version_num <> '{newest}'), else restore a backup"
        )
    return heads[0] if heads else None


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Migrate to ``revision``; return whether anything ran (False: already there)."""
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as conn:
        current = current_revision(conn)
    target = script.get_current_head() if revision == "head" else revision
    if current == target:
        return False
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError as exc:
            raise StoreError(
                f"the database is at schema revision {current!r}, which this version of "
                f"counterclaim does not know (its newest is {script.get_current_head()!r}): "
                "it was written by a newer counterclaim; upgrade counterclaim"
            ) from exc
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        if conn.dialect.name == "sqlite":
            # Table rebuilds in SQLite migrations must not fire ON DELETE CASCADE;
            # the pragma is a no-op inside a transaction, so set it before BEGIN,
            # on the driver connection.  env.py runs foreign_key_check before commit.
            raw = conn.connection.dbapi_connection
            assert raw is not None, "a connection just opened"
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                command.upgrade(alembic_config(conn), revision)
            finally:
                raw.execute("PRAGMA foreign_keys = ON")
        else:
            command.upgrade(alembic_config(conn), revision)
    return True


def check_revision(engine: Engine) -> None:
    """Raise unless the database is at head (for opening without upgrading)."""
    with engine.connect() as conn:
        current = current_revision(conn)
    head = head_revision()
    if current != head:
        raise StoreError(
            f"the database is at schema revision {current!r}, counterclaim needs {head!r}: "
            "open it with upgrade=True (the default) to migrate"
        )
