"""A fresh PostgreSQL schema for one test, dropped after it (tests skip when the server is absent).

Shared by the reliability tests (reproducers, concurrency); the schema keeps
their tables apart from other test runs on the same server.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest

PG_BASE = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A database URL whose search path is a new, empty schema."""
    from sqlalchemy import create_engine

    try:
        import psycopg2

        psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="test", connect_timeout=3).close()
    except Exception as exc:  # server down, no driver, auth refused: all mean "cannot test here"
        pytest.skip(f"PostgreSQL not reachable at 127.0.0.1:5432: {' '.join(str(exc).split())}")
    schema = f"cc_rel_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
