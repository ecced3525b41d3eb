"""Where the database is and how to connect to it: URLs, engines, transactions.

The default is a SQLite file in the user's data directory, so a single analyst
needs no server; a team points ``COUNTERCLAIM_DB`` (or ``--db``) at PostgreSQL
and gets the same schema.  SQLite is set up for one writing process with
concurrent readers: WAL journal, foreign keys on, a busy timeout, and write
transactions that take the write lock up front (``BEGIN IMMEDIATE``) so two
writers queue instead of failing halfway with "database is locked".
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

ENV_VAR = "COUNTERCLAIM_DB"
APP_NAME = "counterclaim"
DB_FILENAME = "counterclaim.sqlite"
BUSY_TIMEOUT_MS = 10_000
# Execution option that marks a connection as the writer (see ``_sqlite_begin``).
WRITE_OPTION = "counterclaim_write"
BACKENDS = ("sqlite", "postgresql")


class StoreError(Exception):
    """The store cannot do what was asked; the message says why and what to do."""


def default_path() -> Path:
    """The default database file: ``<user data dir>/counterclaim/counterclaim.sqlite``."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / DB_FILENAME


def resolve_url(url: str | os.PathLike | None = None) -> str:
    """Turn what the user gave into a SQLAlchemy URL.

    Order: the explicit argument, else ``$COUNTERCLAIM_DB``, else the default
    file.  Anything with ``://`` is a URL (``sqlite:///path``,
    ``postgresql://user@host/db``; ``postgres://`` is accepted as the common
    spelling of the latter); ``:memory:`` is an in-memory SQLite database;
    anything else is a path to a SQLite file.
    """
    if url is None:
        url = os.environ.get(ENV_VAR) or None
    if url is None:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    url = os.fspath(url)
    if url == ":memory:":
        return "sqlite://"
    if "://" in url:
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://") :]
        return url
    path = Path(url).expanduser().resolve()
    if not path.parent.is_dir():
        raise StoreError(f"cannot create the database {path}: directory {path.parent} does not exist")
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """An engine for a resolved URL, with the per-backend settings described above."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL or file path: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend not in BACKENDS:
        raise StoreError(f"unsupported database {backend!r} in {url!r}: use SQLite or PostgreSQL")
    if backend == "postgresql":
        return create_engine(postgres_driver(parsed), pool_pre_ping=True)
    in_memory = parsed.database in (None, "", ":memory:")
    engine = create_engine(
        parsed,
        connect_args={"check_same_thread": False},
        # An in-memory database lives in one connection: share it (single-threaded use only).
        **({"poolclass": StaticPool} if in_memory else {}),
    )
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


# PostgreSQL drivers SQLAlchemy knows, in the order tried for a URL that names none.
PG_DRIVERS = (("psycopg", "psycopg"), ("psycopg2", "psycopg2"))


def postgres_driver(url: URL) -> URL:
    """``postgresql://user@host/db`` (the README's form) with a driver that is installed.

    SQLAlchemy picks the driver from the URL alone (psycopg 3 since 2.1,
    psycopg2 before), whether or not it is installed; a URL that names no
    driver gets the first one importable here, so the documented form works
    with either.  A URL that names its driver (``postgresql+psycopg2://``) is
    kept as written.
    """
    if "+" in url.drivername:
        return url
    for driver, module in PG_DRIVERS:
        if importlib.util.find_spec(module) is not None:
            return url.set(drivername=f"postgresql+{driver}")
    raise StoreError("PostgreSQL needs a driver: pip install 'psycopg[binary]'")


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    """Per-connection SQLite setup.

    ``isolation_level = None`` stops the sqlite3 module from issuing its own
    BEGIN (it skips it for SELECT and DDL, which breaks transactional DDL);
    ``_sqlite_begin`` emits BEGIN instead.  ``cc_lower`` is Python's
    ``str.lower``, so case-insensitive search folds non-ASCII letters as
    PostgreSQL's ``lower()`` does (SQLite's own only folds ASCII).
    """
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function("cc_lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # durable enough with WAL, much faster
    finally:
        cursor.close()


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _sqlite_begin(conn) -> None:
    """BEGIN IMMEDIATE for the writer (takes the write lock now), plain BEGIN for readers."""
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
