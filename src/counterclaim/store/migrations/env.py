"""Alembic environment for counterclaim's schema.

Normally run by ``counterclaim.store.migrate.upgrade``, which passes an open
connection in ``config.attributes["connection"]``.  Run by hand (a developer
generating a revision), it connects to ``sqlalchemy.url`` from the config, else
to the database ``Store.open()`` would use.
"""

from __future__ import annotations

from alembic import context

from counterclaim.store.database import WRITE_OPTION, make_engine, resolve_url
from counterclaim.store.migrate import VERSION_TABLE, comparison_filter
from counterclaim.store.schema import metadata

# Any constant: serialises concurrent migrations of one PostgreSQL database.
PG_LOCK_KEY = 0x636C61696D  # "claim"


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,  # for autogenerate only; migrations never import schema
        version_table=VERSION_TABLE,
        render_as_batch=True,  # SQLite alters tables by rebuilding them
        transactional_ddl=True,  # SQLite can: all of a migration, or none of it
        compare_type=True,
        include_object=comparison_filter(connection.dialect.name),
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})")
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")


if context.is_offline_mode():
    raise SystemExit("counterclaim migrations run online only (Store.open applies them)")

supplied = context.config.attributes.get("connection")
if supplied is not None:
    run(supplied)
else:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or resolve_url())
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        run(conn)
    engine.dispose()
