"""Where the database is and how to connect to it: URLs, engines, transactions.

The default is a SQLite file in the user's data directory, so a single analyst
needs no server; a team points ``COUNTERCLAIM_DB`` (or ``--db``) at PostgreSQL
and gets the same schema.  SQLite is set up for one writing process with
concurrent readers: WAL journal, foreign keys on, a busy timeout, and write
transactions that take the write lock up front (``BEGIN IMMEDIATE``) so two
writers queue instead of failing halfway with "database is locked".
"""

from __future__ import annotations

import errno
import importlib.util
import os
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..records import Claim, Event

ENV_VAR = "COUNTERCLAIM_DB"
APP_NAME = "counterclaim"
DB_FILENAME = "counterclaim.sqlite"
BUSY_TIMEOUT_MS = 10_000
# Execution option that marks a connection as the writer (see ``_sqlite_begin``).
WRITE_OPTION = "counterclaim_write"
BACKENDS = ("sqlite", "postgresql")


class Connected:
    """What a ``Store`` mixin (feeds, the copy index, the reads, the link window) uses of the
    store: its engine, its transactions and its loaders of claim and event rows.

    ``Store`` defines them; they are declared here for the type checker only.
    """

    if TYPE_CHECKING:
        _engine: Engine

        @property
        def backend(self) -> str: ...

        def _read(self) -> AbstractContextManager[Connection]: ...

        def _write(self) -> AbstractContextManager[Connection]: ...

        def _insert(self, table: Table) -> Any: ...

        @staticmethod
        def _claims_from(conn: Connection, rows: Sequence) -> list[Claim]: ...

        @staticmethod
        def _events_from(conn: Connection, rows: Sequence) -> list[Event]: ...


class StoreError(Exception):
    """The store cannot do what was asked; the message says why and what to do."""


class StoreFailure(StoreError):
    """The database itself failed (damaged, disk full, unreadable): not the caller's mistake.

    Raised in place of the driver's exception, with one line that says what
    happened to which database and what to do (``describe_failure``).
    """


# SQLite's primary result codes (the low byte of an extended code) that mean the
# database file or its disk failed, and what to tell the user about each.
_SQLITE_FAILURES = {
    "SQLITE_CORRUPT": "damaged",
    "SQLITE_NOTADB": "damaged",
    "SQLITE_FULL": "full",
    "SQLITE_IOERR": "io",
    "SQLITE_READONLY": "readonly",
    "SQLITE_CANTOPEN": "cantopen",
    "SQLITE_PERM": "readonly",
    "SQLITE_BUSY": "busy",
    "SQLITE_LOCKED": "busy",
}
_SQLITE_PRIMARY = {11: "SQLITE_CORRUPT", 26: "SQLITE_NOTADB", 13: "SQLITE_FULL", 10: "SQLITE_IOERR",
                   8: "SQLITE_READONLY", 14: "SQLITE_CANTOPEN", 3: "SQLITE_PERM", 5: "SQLITE_BUSY",
                   6: "SQLITE_LOCKED"}
# PostgreSQL SQLSTATEs: 53100 disk_full, XX001/XX002 data or index corrupted; class 08: connection.
_PG_FAILURES = {"53100": "full", "XX001": "damaged", "XX002": "damaged"}
_MESSAGES = {
    "damaged": "the database {db} is damaged or is not a counterclaim database ({why}): restore it from a backup, "
               "or move it aside and ingest again (for SQLite, `sqlite3 FILE .recover` may save its rows)",
    "full": "the disk holding the database {db} is full ({why}): free space, then run the command again "
            "(what was stored is kept; an interrupted article is extracted and linked again)",
    "io": "the disk holding the database {db} failed to read or write ({why}): check the disk (full, removed, "
          "failing), then run the command again",
    "readonly": "cannot write the database {db} ({why}): check its permissions and those of its folder",
    "cantopen": "cannot open the database {db} ({why}): check the path and its permissions",
    "busy": "the database {db} stayed locked by another program ({why}): run the command again when it is done",
    "connection": "cannot open the database {db}, or lost the connection to it ({why}): check that the server "
                  "runs and is reachable, then run the command again",
}


def describe_failure(exc: BaseException, db: str) -> str | None:
    """One line for a database failure (see ``StoreFailure``), or None if ``exc`` is not one.

    ``exc`` is a SQLAlchemy ``DBAPIError`` (its ``orig`` is the driver's
    exception) or an ``OSError``.  Integrity and data errors are not
    failures of the database: they are the caller's to report.
    """
    orig = getattr(exc, "orig", None) or exc
    why = " ".join(str(orig).split())[:200] or type(orig).__name__
    kind = None
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        kind = _SQLITE_FAILURES.get(_SQLITE_PRIMARY.get(code & 0xFF, ""))
    elif pgcode := getattr(orig, "pgcode", None):
        kind = _PG_FAILURES.get(pgcode) or ("connection" if pgcode.startswith("08") else None)
    elif isinstance(orig, OSError):
        kind = "full" if orig.errno == errno.ENOSPC else "io"
    elif type(orig).__name__ in ("OperationalError", "InterfaceError") and type(orig).__module__.startswith("psycopg"):
        kind = "connection"  # psycopg2 gives no SQLSTATE when the server is gone
    if kind is None:
        return None
    return _MESSAGES[kind].format(db=db, why=why)


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
