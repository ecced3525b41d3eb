"""The store stage: the one owner of the database (SQLite by default, or PostgreSQL).

``Store.open(url)`` creates or migrates the schema and returns the object every
other stage uses; all SQL lives in this package::

    from counterclaim.store import Store

    with Store.open() as store:           # $COUNTERCLAIM_DB or the default SQLite file
        store.save(extraction)             # one article, one transaction
        store.claims(party="AFG", act="deny", since="2026-02-01")
"""

from .database import ENV_VAR, StoreError, StoreFailure, default_path, resolve_url
from .store import InvalidExtraction, Store

__all__ = ["ENV_VAR", "InvalidExtraction", "Store", "StoreError", "StoreFailure", "default_path", "resolve_url"]
