"""A fresh PostgreSQL schema for one test, dropped after it (tests skip when the server is absent).

Shared by every test that uses the server (store, reproducers, concurrency, the
API and web fixtures); the schema keeps their tables apart from other test runs
on the same server.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest

PG_BASE = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


@contextmanager
def fresh_schema(base: str = PG_BASE, prefix: str = "cc_rel") -> Iterator[str]:
    """A database URL whose search path is a new, empty schema (named ``prefix_...``) of the
    database at ``base``."""
    from sqlalchemy import create_engine

    admin = create_engine(base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect():
            pass
    except Exception as exc:  # server down, no driver, auth refused: all mean "cannot test here"
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {base}: {' '.join(str(exc).split())[:200]}")
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
