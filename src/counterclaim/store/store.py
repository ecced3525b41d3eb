"""``Store``: the one owner of the database.

Every other stage hands records in and gets records out; no SQL, connection
or row leaves this package.  Writes go through one path (``_write``): a
process-wide lock, then one short transaction that first takes the
database's write lock (on SQLite ``BEGIN IMMEDIATE``; on PostgreSQL a
transaction-scoped advisory lock per schema), so writers queue, whether they
are threads of one process (the web API's workers) or two ``counterclaim
ingest`` runs started at once.  Reads run in parallel.  A Dask batch sends its
extractions to the process that owns the store rather than opening it in
every worker.

Writes check what they write: text every backend can hold (no NUL, no lone
surrogate), integers within the column's range (a claimed toll of
9223372036854775808 is stored at the largest value; the claim's text keeps
what was said), and cross-article writes that another writer made moot
(``save_link``, ``save_clusters``) are skipped rather than applied twice.
A failure of the database itself (damaged file, full disk) is raised as
``StoreFailure`` with one line saying what to do (``database.describe_failure``).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Engine,
    Integer,
    RowMapping,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..records import Article, Claim, Event, Extraction, Link, Place
from . import convert, migrate, queries, reviews
from .database import WRITE_OPTION, StoreError, StoreFailure, describe_failure, make_engine, resolve_url
from .feeds import FeedState
from .fingerprints import FingerprintIndex
from .reads import Reads
from .schema import (
    EXTRACTION_TABLES,
    LINK_TABLES,
    articles,
    claim_cluster_members,
    claim_clusters,
    claims,
    event_claims,
    event_cluster_members,
    event_clusters,
    events,
    extractions,
    linked_articles,
    links,
    metadata,
    places,
    quantities,
    times,
)
from .window import LinkWindow, joining_order

# Child rows are loaded for this many claims or events per query: enough to
# amortise the round trip, well under SQLite's limit on bound parameters.
CHUNK = 500
# Status of a cluster that lost members when an article was extracted again:
# the linker recomputes it (``Linker.refresh``) the next time it runs.
STALE = "stale"
# Writers on PostgreSQL queue on this lock, one per schema (see the module docstring).
_PG_WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('counterclaim-write:' || current_schema()))"


class InvalidExtraction(StoreError, ValueError):
    """An extraction the store refused; nothing of it was written."""


class Store(Reads, FingerprintIndex, FeedState, LinkWindow):
    """The ledger of articles, claims, events and links, on SQLite or PostgreSQL."""

    def __init__(self, engine: Engine):
        """Wrap an engine made by ``database.make_engine``; use ``Store.open`` instead."""
        self._engine = engine
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, url: Any = None, *, upgrade: bool = True) -> "Store":
        """Open (and create or migrate) the database at ``url``.

        ``url``: a SQLAlchemy URL, a SQLite file path, ``:memory:``, or None
        for ``$COUNTERCLAIM_DB`` or the default file (``database.resolve_url``).
        ``upgrade``: migrate to this version's schema (a no-op when current);
        with False, a database that is not current raises ``StoreError``.
        """
        engine = make_engine(resolve_url(url))
        try:
            if upgrade:
                migrate.upgrade(engine)
            else:
                migrate.check_revision(engine)
        except DBAPIError as exc:
            engine.dispose()
            shown = engine.url.render_as_string(hide_password=True)
            failure = describe_failure(exc, shown)
            if failure:
                raise StoreFailure(failure) from exc
            raise StoreError(f"cannot open the database {shown}: {exc.orig}") from exc
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    @property
    def url(self) -> str:
        """The database URL, password hidden: safe to print."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def path(self) -> Optional[str]:
        """The SQLite database file (None for PostgreSQL or an in-memory database): what exports protect."""
        if self.backend != "sqlite" or self._engine.url.database in (None, "", ":memory:"):
            return None
        return self._engine.url.database

    @property
    def backend(self) -> str:
        """"sqlite" or "postgresql"."""
        return self._engine.dialect.name

    @property
    def in_memory(self) -> bool:
        """An in-memory SQLite database: one connection, for one thread at a time."""
        return self.backend == "sqlite" and self._engine.url.database in (None, "", ":memory:")

    def revision(self) -> Optional[str]:
        """The schema revision the database is at."""
        with self._engine.connect() as conn:
            return migrate.current_revision(conn)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # ------------------------------------------------------------ transactions

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """The single write path: one writer at a time (across processes too), one transaction."""
        with self._failures(), self._write_lock, self._engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if self.backend == "postgresql":
                    conn.exec_driver_sql(_PG_WRITE_LOCK)
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot for a multi-query read
        (inside ``snapshot()``, that one's: a request asks all its questions in one)."""
        if (held := self._snapshot_connection()) is not None:
            yield held
            return
        with self._failures(), self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _failures(self) -> Iterator[None]:
        """Driver errors that mean the database failed become ``StoreFailure`` (one clear line)."""
        try:
            yield
        except IntegrityError:
            raise  # a record the database refused: the caller says which
        except (DBAPIError, OSError) as exc:
            failure = describe_failure(exc, self.url)
            if failure is None:
                raise
            raise StoreFailure(failure) from exc

    def _insert(self, table):
        """INSERT with the dialect's ON CONFLICT support."""
        return (postgresql.insert if self.backend == "postgresql" else sqlite.insert)(table)

    # ------------------------------------------------------------ writes

    def add_article(self, article: Article) -> bool:
        """Store an article not yet extracted; False (and no change) when its id is stored."""
        statement = (self._insert(articles).on_conflict_do_nothing(index_elements=["id"])
                     .execution_options(preserve_rowcount=True))  # psycopg 3 forgets it otherwise
        try:
            with self._write() as conn:
                return conn.execute(statement, _fit(articles, [convert.article_row(article)])[0]).rowcount == 1
        except IntegrityError as exc:
            raise InvalidExtraction(f"article {article.id!r} was not stored: {exc.orig}") from exc

    def save(self, extraction: Extraction, *, replace: bool = True) -> bool:
        """Store one article and everything extracted from it, in one transaction.

        An earlier extraction of the same article is replaced (its claims,
        events, places, times, links go; the article row takes the new
        values), so re-running extraction never duplicates rows.  Links that
        other articles' extractions made to this article's records are kept.
        If anything fails, nothing of this call is written and the earlier
        extraction, if any, is still there; ``InvalidExtraction`` says why.

        ``replace=False``: keep an extraction of the same extractor version
        that is already stored (another process stored it since the caller
        looked) and return False; the article then stays linked as it was.
        """
        article = extraction.article
        try:
            convert.validate(extraction)
            rows = convert.extraction_rows(extraction)
        except (ValueError, AttributeError, TypeError) as exc:
            raise InvalidExtraction(f"extraction of article {article.id!r} not saved: {exc}") from exc
        article_row = _fit(articles, [convert.article_row(article)])[0]
        rows = {name: _fit(_TABLES[name], found) for name, found in rows.items()}
        try:
            with self._write() as conn:
                stored, same = conn.execute(_SAVED, {"article_id": article.id,
                                                     "extractor": extraction.extractor}).one()
                if not replace and same:
                    return False
                conn.execute(self._upsert(articles, tuple(article_row)), article_row)
                # A new article has nothing to unlink or replace: every table of its records refers
                # to its row (foreign keys), so the 8 deletes and 2 updates are skipped for it.
                if stored:
                    self._unlink(conn, article.id)
                    for table in EXTRACTION_TABLES:
                        conn.execute(delete(table).where(table.c.article_id == article.id))
                conn.execute(
                    _INSERTS["extractions"],
                    {
                        "article_id": article.id,
                        "extractor": extraction.extractor,
                        "saved_at": datetime.now(timezone.utc),
                    },
                )
                for table in (claims, quantities, events, event_claims, places, times, links):
                    if rows[table.name]:
                        conn.execute(_INSERTS[table.name], rows[table.name])
                reviews.reapply(conn, article.id)  # reviews outlive re-extraction
        except IntegrityError as exc:
            raise InvalidExtraction(
                f"extraction of article {article.id!r} not saved: {exc.orig}"
            ) from exc
        return True

    def _upsert(self, table: Table, names: tuple[str, ...]) -> Any:
        """INSERT .. ON CONFLICT (id) DO UPDATE of rows with these columns, built once per store and
        table: ``save`` and ``save_link`` run one for every article, and building it cost as much
        as running it."""
        cache = self.__dict__.setdefault("_upserts", {})
        key = (table.name, names)
        if key not in cache:
            upsert = self._insert(table)
            cache[key] = upsert.on_conflict_do_update(
                index_elements=["id"], set_={name: upsert.excluded[name] for name in names if name != "id"})
        return cache[key]

    def delete_article(self, article_id: str) -> bool:
        """Remove an article and all its records; False when it was not stored."""
        with self._write() as conn:
            self._unlink(conn, article_id)
            return conn.execute(delete(articles).where(articles.c.id == article_id)).rowcount == 1

    @staticmethod
    def _unlink(conn: Connection, article_id: str) -> None:
        """Forget an article's cross-article links; the clusters it was in become ``STALE``.

        Called when its extraction is replaced or it is deleted: its events and
        claims (and so its cluster memberships) go, and the linker must take
        the article up again and recompute what it left.
        """
        for table, members in ((event_clusters, event_cluster_members), (claim_clusters, claim_cluster_members)):
            touched = select(members.c.cluster_id).where(members.c.article_id == article_id)
            conn.execute(update(table).where(table.c.id.in_(touched)).values(status=STALE))
        for table in LINK_TABLES:
            conn.execute(delete(table).where(table.c.article_id == article_id))

    # ------------------------------------------------------------ articles

    def has_article(self, article_id: str) -> bool:
        with self._read() as conn:
            found = conn.execute(select(articles.c.id).where(articles.c.id == article_id))
            return found.first() is not None

    def article(self, article_id: str) -> Optional[Article]:
        with self._read() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        return convert.article_from(row) if row else None

    def articles(self, *, limit: Optional[int] = None, offset: Optional[int] = None, **filters: Any) -> list[Article]:
        """Articles newest first (by published date); ``filters`` are ``queries.Filters``."""
        query = queries.listing("articles", self.backend, queries.Filters.of("articles", filters), limit=limit,
                                offset=offset)
        with self._read() as conn:
            return [convert.article_from(row) for row in conn.execute(query).mappings()]

    def article_ids(self, prefix: str = "", *, limit: Optional[int] = None) -> list[str]:
        """Ids of stored articles starting with ``prefix`` (sorted), without loading texts.

        For naming an article by a short id prefix, as git names commits.
        """
        query = select(articles.c.id).order_by(articles.c.id)
        if prefix:
            query = query.where(articles.c.id.startswith(prefix, autoescape=True))
        if limit is not None:
            query = query.limit(limit)
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles among ``ids``, by id (for joining records to their sources)."""
        found: dict[str, Article] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(ids))):
                result = conn.execute(select(articles).where(articles.c.id.in_(chunk))).mappings()
                found.update((row["id"], convert.article_from(row)) for row in result)
        return found

    # ------------------------------------------------------------ extractions

    def has_extraction(self, article_id: str, extractor: Optional[str] = None) -> bool:
        """Whether the article's extraction is stored (by this extractor version, if given)."""
        query, values = ((_HAS_EXTRACTION, {"article_id": article_id}) if extractor is None else
                         (_HAS_EXTRACTION_BY, {"article_id": article_id, "extractor": extractor}))
        with self._read() as conn:
            return conn.execute(query, values).first() is not None

    def extraction(self, article_id: str) -> Optional[Extraction]:
        """The stored extraction, equal to the one saved; None if never extracted."""
        with self._read() as conn:
            article_row = (
                conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
            )
            meta = (
                conn.execute(select(extractions).where(extractions.c.article_id == article_id))
                .mappings()
                .first()
            )
            if article_row is None or meta is None:
                return None

            def of_article(table):
                return conn.execute(
                    select(table).where(table.c.article_id == article_id).order_by(table.c.pos)
                ).mappings().all()

            return Extraction(
                article=convert.article_from(article_row),
                claims=self._claims_from(conn, of_article(claims)),
                events=self._events_from(conn, of_article(events)),
                places=[convert.place_of(row) for row in of_article(places)],
                times=[convert.time_from(row) for row in of_article(times)],
                links=[convert.link_from(row) for row in of_article(links)],
                extractor=meta["extractor"],
            )

    # ------------------------------------------------------------ claims, events, links

    def claims(self, **filters: Any) -> list[Claim]:
        """Claims matching the filters, newest article first; see ``iter_claims``."""
        return list(self.iter_claims(**filters))

    def iter_claims(self, *, limit: Optional[int] = None, offset: Optional[int] = None,
                    **filters: Any) -> Iterator[Claim]:
        """Claims matching ``filters`` (``queries.Filters``), streamed in chunks.

        Reviewed values in place of extracted ones, rejected claims left out
        (``store.reviews``).  Holds a read transaction while being consumed:
        exhaust or close it.
        """
        yield from self._stream("claims", self._claims_from, filters, limit, offset)

    def events(self, **filters: Any) -> list[Event]:
        """Events matching the filters, latest first; see ``iter_events``."""
        return list(self.iter_events(**filters))

    def iter_events(self, *, limit: Optional[int] = None, offset: Optional[int] = None,
                    **filters: Any) -> Iterator[Event]:
        """Events matching ``filters`` (``queries.Filters``), streamed in chunks; reviewed
        values in place of extracted ones, rejected events left out (``store.reviews``)."""
        yield from self._stream("events", self._events_from, filters, limit, offset)

    def _stream(self, kind: str, records: Callable[[Connection, Sequence], list], filters: dict[str, Any],
                limit: Optional[int], offset: Optional[int]) -> Iterator[Any]:
        """The records (claims or events) of a listing, reviewed ones as reviewed, streamed in chunks."""
        query = queries.listing(kind, self.backend, queries.Filters.of(kind, filters), limit=limit, offset=offset,
                                reviewed=self.has_reviews(kind[:-1]))
        with self._read() as conn:
            result = conn.execution_options(yield_per=CHUNK).execute(query).mappings()
            for rows in result.partitions():
                yield from records(conn, rows)

    def links(
        self,
        article_id: queries.OneOrMany = None,
        *,
        record_id: Optional[str] = None,
        type: queries.OneOrMany = None,
    ) -> list[Link]:
        """Links made by an article's extraction, or touching ``record_id``, or all."""
        query = queries.links_query(article_id=article_id, record_id=record_id, type=type)
        with self._read() as conn:
            return [convert.link_from(row) for row in conn.execute(query).mappings()]

    def stats(self) -> dict[str, int]:
        """How many of each thing are stored ("extracted": articles with an extraction)."""
        tables = {
            "articles": articles,
            "extracted": extractions,
            "claims": claims,
            "quantities": quantities,
            "events": events,
            "places": places,
            "times": times,
            "links": links,
        }
        query = select(
            *(
                select(func.count()).select_from(table).scalar_subquery().label(name)
                for name, table in tables.items()
            )
        )
        with self._read() as conn:
            return dict(conn.execute(query).mappings().one())

    # ------------------------------------------------------------ cross-article links (issue 5)
    #
    # The linker (``counterclaim.link``) reads candidates and writes clusters
    # through these methods; it never sees SQL.  One article's linking is one
    # write transaction (``save_link``), so a crash leaves it unlinked, not half linked.

    def unlinked_article_ids(self, *, limit: Optional[int] = None, by_ingestion: bool = False) -> list[str]:
        """Extracted articles the linker has not seen (or must see again), oldest first.

        Oldest by published day, then ingestion: a cluster is named after its
        first member, so linking in time order names it after the first report.
        ``by_ingestion``: in the order they were read instead, the order an
        ingest run links what it stores; an interrupted run's leftovers are
        linked in that order so that finishing it gives what an uninterrupted
        run would have.

        This is the link state of an article: stored and extracted, but not
        linked.  A kill or a full disk between storing and linking leaves
        articles in it, and the next ``ingest`` (or ``link``) takes them up.
        """
        order = ((articles.c.ingested_at, articles.c.id) if by_ingestion
                 else (articles.c.published.asc().nulls_last(), articles.c.ingested_at, articles.c.id))
        query = (
            select(articles.c.id)
            .join(extractions, extractions.c.article_id == articles.c.id)
            .outerjoin(linked_articles, linked_articles.c.article_id == articles.c.id)
            .where(linked_articles.c.article_id.is_(None))
            .order_by(*order)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def is_linked(self, article_id: str) -> bool:
        query = select(linked_articles.c.article_id).where(linked_articles.c.article_id == article_id)
        with self._read() as conn:
            return conn.execute(query).first() is not None

    def fingerprints(self) -> list[tuple[str, int]]:
        """(article id, SimHash) of the linked articles, in linking order (for dedup)."""
        query = (
            select(articles.c.id, articles.c.simhash)
            .join(linked_articles, linked_articles.c.article_id == articles.c.id)
            .where(articles.c.simhash.is_not(None))
            .order_by(linked_articles.c.linked_at, articles.c.id)
        )
        with self._read() as conn:
            return [(row[0], row[1]) for row in conn.execute(query)]

    def article_facts(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Source, url, published day and copy-of of articles, without their texts."""
        found: dict[str, dict[str, Any]] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(ids))):
                found.update((row["id"], dict(row)) for row in conn.execute(_FACTS, {"ids": chunk}).mappings())
        return found

    def extraction_stamps(self, ids: Iterable[str]) -> dict[str, Any]:
        """Article id -> when its extraction was saved, for those of ``ids`` that are extracted: a
        record read under an id is the same record while its article's stamp is
        (``link.record_cache``)."""
        return self._column_map(extractions.c.article_id, extractions.c.saved_at, ids)

    def events_by_id(self, ids: Iterable[str]) -> list[Event]:
        return self._by_id(events, self._events_from, ids)

    def claims_by_id(self, ids: Iterable[str]) -> list[Claim]:
        return self._by_id(claims, self._claims_from, ids)

    def _by_id(self, table: Table, records: Callable[[Connection, Sequence], list], ids: Iterable[str]) -> list:
        """The extracted rows of ``table`` (claims or events) with these ids, read in chunks (an
        IN list has a size limit) and built by ``records`` in one connection."""
        query = _by_ids(table.name)
        with self._read() as conn:
            rows: list[RowMapping] = []
            for chunk in _chunks(sorted(set(ids))):
                rows += conn.execute(query, {"ids": chunk}).mappings().all()
            return records(conn, rows)

    def links_touching(self, ids: Iterable[str], type: queries.OneOrMany = None) -> list[Link]:
        """Links (of any article's extraction) whose source or target is one of ``ids``, by article and position."""
        found: dict[tuple, Link] = {}
        types = queries._many(type)
        with self._read() as conn:
            for chunk in _chunks(sorted(set(ids))):
                query = select(links).where(or_(links.c.source.in_(chunk), links.c.target.in_(chunk)))
                if types is not None:
                    query = query.where(links.c.type.in_(types))
                for row in conn.execute(query).mappings():
                    found[(row["article_id"], row["pos"])] = convert.link_from(row)
        return [found[key] for key in sorted(found)]  # in one order whatever the backend returned

    def linked_events(
        self, *, since: queries.DateLike, until: queries.DateLike
    ) -> list[tuple[Event, str, Optional[bytes], Optional[str]]]:
        """Clustered events whose days overlap [since, until]: (event, cluster id, vector, model)."""
        m = event_cluster_members
        query = (
            _extracted_events(since=since, until=until)
            .join(m, m.c.event_id == events.c.id)
            .add_columns(m.c.cluster_id.label("cluster_id"), m.c.vector.label("member_vector"),
                         m.c.vector_model.label("member_vector_model"))
        )
        with self._read() as conn:
            rows = conn.execute(query).mappings().all()
            found = self._events_from(conn, rows)
        return [(event, row["cluster_id"], row["member_vector"], row["member_vector_model"])
                for event, row in zip(found, rows)]

    def cluster_events(
        self, cluster_ids: Iterable[str], *, besides: Iterable[str] = ()
    ) -> list[tuple[Event, str, Optional[bytes], Optional[str]]]:
        """The member events of these event clusters, except the events ``besides``: the
        same tuples as ``linked_events``, whatever their days."""
        skip = set(besides)
        out: list[tuple[Event, str, Optional[bytes], Optional[str]]] = []
        query = _cluster_events_query()
        with self._read() as conn:
            for chunk in _chunks(sorted(set(cluster_ids))):
                rows = [r for r in conn.execute(query, {"ids": chunk}).mappings().all() if r["id"] not in skip]
                found = self._events_from(conn, rows)
                out.extend((event, row["cluster_id"], row["member_vector"], row["member_vector_model"])
                           for event, row in zip(found, rows))
        return out

    def event_cluster_ids(self, event_ids: Iterable[str]) -> dict[str, str]:
        """Event id -> the id of its cluster, for the clustered ones."""
        return self._column_map(event_cluster_members.c.event_id, event_cluster_members.c.cluster_id, event_ids)

    def _column_map(self, key: Any, value: Any, keys: Iterable[str]) -> dict[str, Any]:
        """``key`` -> ``value`` of one table's rows whose ``key`` is among ``keys`` (read in chunks)."""
        found: dict[str, Any] = {}
        query = _column_map_query(key.table.name, key.name, value.name)
        with self._read() as conn:
            for chunk in _chunks(sorted(set(keys))):
                found.update((k, v) for k, v in conn.execute(query, {"keys": chunk}))
        return found

    def existing_cluster_ids(self, kind: str, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` already name an event (``kind="event"``) or claim cluster."""
        query = _EXISTING["event" if kind == "event" else "claim"]
        found: set[str] = set()
        with self._read() as conn:
            for chunk in _chunks(sorted(set(ids))):
                found.update(conn.execute(query, {"ids": chunk}).scalars())
        return found

    def clusters_of(self, kind: str, record_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """Event (``kind="event"``) or claim id -> (its cluster id, the cluster's status), for exports."""
        members, table, column = ((event_cluster_members, event_clusters, "event_id") if kind == "event"
                                  else (claim_cluster_members, claim_clusters, "claim_id"))
        found: dict[str, tuple[str, str]] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(record_ids))):
                query = (select(members.c[column], members.c.cluster_id, table.c.status)
                         .join(table, table.c.id == members.c.cluster_id)
                         .where(members.c[column].in_(chunk)))
                found.update((rid, (cid, st)) for rid, cid, st in conn.execute(query))
        return found

    def cluster_members(self, kind: str, cluster_ids: Iterable[str]) -> dict[str, list]:
        """Members of event (``kind="event"``) or claim clusters, in joining order (``window.joining_order``)."""
        table, column = (event_cluster_members, "event_id") if kind == "event" else (claim_cluster_members, "claim_id")
        cols = [c for c in table.c if c.name not in ("vector", "vector_model")]  # members, not vectors
        joined, order = joining_order(table)
        found: dict[str, list] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(cluster_ids))):
                query = (select(*cols).select_from(joined).where(table.c.cluster_id.in_(chunk))
                         .order_by(table.c.cluster_id, *order))
                for row in conn.execute(query).mappings():
                    found.setdefault(row["cluster_id"], []).append(convert.member_from(row, column))
        return found

    def claim_vectors(
        self,
        *,
        cluster_ids: Optional[Iterable[str]] = None,
        event_cluster_ids: Optional[Iterable[str]] = None,
        voices: Optional[Iterable[str]] = None,
        since: queries.DateLike = None,
        until: queries.DateLike = None,
    ) -> list[tuple[str, str, Optional[bytes], Optional[str]]]:
        """(claim id, claim cluster id, vector, model) of clustered claims matching any filter given.

        Candidates for a new claim: those of the event clusters it reports, or
        of the same voice published in the day window.
        """
        m, cc = claim_cluster_members, claim_clusters
        base = select(m.c.claim_id, m.c.cluster_id, m.c.vector, m.c.vector_model)
        parts: list[ColumnElement[bool]] = []
        if cluster_ids is not None:
            parts.append(m.c.cluster_id.in_(list(cluster_ids)))
        if event_cluster_ids is not None:
            parts.append(m.c.cluster_id.in_(select(cc.c.id).where(cc.c.event_cluster_id.in_(list(event_cluster_ids)))))
        if voices is not None:
            in_window = cc.c.voice.in_(list(voices))
            days = select(articles.c.id)
            if (day := queries.as_date(since)) is not None:
                days = days.where(articles.c.published >= day)
            if (day := queries.as_date(until)) is not None:
                days = days.where(articles.c.published <= day)
            parts.append(and_(m.c.cluster_id.in_(select(cc.c.id).where(in_window)), m.c.article_id.in_(days)))
        if not parts:
            return []
        with self._read() as conn:
            return [tuple(row) for row in conn.execute(base.where(or_(*parts)))]

    def event_cluster(self, cluster_id: str) -> Optional[Any]:
        """One merged event (``records.EventCluster``) with its members; None if unknown."""
        with self._read() as conn:
            row = conn.execute(select(event_clusters).where(event_clusters.c.id == cluster_id)).mappings().first()
        if row is None:
            return None
        return convert.event_cluster_from(row, self.cluster_members("event", [cluster_id]).get(cluster_id, []))

    def event_clusters(self, *, members: bool = True, **filters: Any) -> list[Any]:
        """Merged events, newest first; filters in ``queries.event_clusters_query``."""
        with self._read() as conn:
            rows = conn.execute(queries.event_clusters_query(**filters)).mappings().all()
        found = self.cluster_members("event", [r["id"] for r in rows]) if members else {}
        return [convert.event_cluster_from(r, found.get(r["id"], [])) for r in rows]

    def claim_clusters(self, *, members: bool = True, **filters: Any) -> list[Any]:
        """Merged claims; filters in ``queries.claim_clusters_query``."""
        with self._read() as conn:
            rows = conn.execute(queries.claim_clusters_query(**filters)).mappings().all()
        found = self.cluster_members("claim", [r["id"] for r in rows]) if members else {}
        return [convert.claim_cluster_from(r, found.get(r["id"], [])) for r in rows]

    def claim_cluster_events(self, *, ids: Optional[Iterable[str]] = None,
                             event_cluster_ids: Optional[Iterable[str]] = None) -> dict[str, Optional[str]]:
        """Claim cluster id -> the event cluster it is about (or None), for the claim clusters with
        these ``ids`` or about these ``event_cluster_ids``: ``claim_clusters(members=False)`` for a
        caller that needs no more (``Linker.refresh``), without reading and converting whole rows."""
        cc = claim_clusters
        column, wanted = (cc.c.id, ids) if ids is not None else (cc.c.event_cluster_id, event_cluster_ids)
        found: dict[str, Optional[str]] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(wanted or ()))):
                found.update((i, e) for i, e in conn.execute(select(cc.c.id, cc.c.event_cluster_id).where(column.in_(chunk))))
        return found

    def copies(self) -> list[tuple[str, str, str, float, int]]:
        """(article id, original id, kind, Jaccard, SimHash bits) of every article found to be a copy."""
        t = linked_articles
        query = select(t.c.article_id, t.c.copy_of, t.c.copy_kind, t.c.copy_jaccard, t.c.copy_distance).where(
            t.c.copy_of.is_not(None)).order_by(t.c.article_id)
        with self._read() as conn:
            return [tuple(row) for row in conn.execute(query)]

    def stale_cluster_ids(self) -> tuple[list[str], list[str]]:
        """Event and claim clusters that lost members (re-extraction) and must be recomputed."""
        with self._read() as conn:
            ev = conn.execute(select(event_clusters.c.id).where(event_clusters.c.status == STALE)).scalars().all()
            cl = conn.execute(select(claim_clusters.c.id).where(claim_clusters.c.status == STALE)).scalars().all()
        return list(ev), list(cl)

    def article_places(self, ids: Iterable[str]) -> dict[str, list[Place]]:
        """The places each article mentions, in text order (the linker's fallback for events without one)."""
        found: dict[str, list[Place]] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(ids))):
                for row in conn.execute(_PLACES_OF, {"ids": chunk}).mappings():
                    found.setdefault(row["article_id"], []).append(convert.place_of(row))
        return found

    def save_link(
        self,
        article_id: str,
        *,
        linker: str,
        simhash: Optional[int],
        copy: Optional[tuple[str, str, float, int]] = None,
        event_members: Sequence[dict[str, Any]] = (),
        claim_members: Sequence[dict[str, Any]] = (),
        new_event_clusters: Sequence[Any] = (),
        new_claim_clusters: Sequence[Any] = (),
        touched_event_clusters: Sequence[str] = (),
        bands: Sequence[int] = (),
    ) -> bool:
        """Record one article's linking in one transaction; False if another writer linked it first.

        ``copy``: (original id, kind, Jaccard, bits) when the article copies
        another.  Member dicts are rows of ``event_cluster_members`` /
        ``claim_cluster_members``.  Clusters the article started are inserted
        (``records`` clusters); every cluster it joined or started is marked
        ``STALE`` until ``save_clusters`` writes its recomputed aggregates, so
        a crash in between leaves work to redo, never a wrong status.
        ``touched_event_clusters``: other clusters whose status the article
        changes without joining them (its claims speak about them).
        ``bands``: the text's copy-index keys (``fingerprints``).

        An article found linked already was linked by another process since
        this one read its candidates (two ``ingest`` runs over the same
        folder): its links stand, and these are dropped, never both (which
        would leave the first run's clusters without members).
        """
        now = datetime.now(timezone.utc)
        copy_cols = dict(zip(("copy_of", "copy_kind", "copy_jaccard", "copy_distance"), copy or (None,) * 4))
        with self._write() as conn:
            linked, *leftover = conn.execute(_LINK_ROWS, {"article_id": article_id}).one()
            if linked:
                return False
            if simhash is not None:
                conn.execute(update(articles).where(articles.c.id == article_id).values(simhash=simhash))
            if any(leftover):  # never, as links are written and removed together, but checked: one query, not six
                self._unlink(conn, article_id)
            conn.execute(_INSERTS["linked_articles"], {"article_id": article_id, "linker": linker, "linked_at": now,
                                                       **copy_cols})
            self._put_bands(conn, article_id, bands)
            self._put_clusters(conn, new_event_clusters, new_claim_clusters, now)
            for table, members, rows, new, also in (
                    (event_clusters, event_cluster_members, event_members, new_event_clusters, touched_event_clusters),
                    (claim_clusters, claim_cluster_members, claim_members, new_claim_clusters, ())):
                if rows:
                    conn.execute(_INSERTS[members.name], _fit(members, list(rows)))
                # The clusters just written stale need no update (an article mostly starts its own).
                written_stale = {c.id for c in new if getattr(c, "status", None) == STALE}
                touched = sorted(({row["cluster_id"] for row in rows} | set(also)) - written_stale)
                if touched:
                    conn.execute(_MARK_STALE[table.name], {"ids": touched})
        return True

    def save_clusters(self, event_clusters_: Sequence[Any] = (), claim_clusters_: Sequence[Any] = (),
                      drop: Sequence[str] = ()) -> None:
        """Write recomputed cluster aggregates; ``drop`` removes clusters left without members.

        Aggregates are computed outside this transaction, so another writer
        may have changed a cluster's members meanwhile.  Checked here, under
        the write lock: a cluster without members is removed (whatever was
        computed for it: no member-less "ghost" cluster survives), and an
        aggregate computed from other members than the cluster now has is not
        written (the cluster stays stale; the writer that changed it marked it
        so and recomputes it).
        """
        now = datetime.now(timezone.utc)
        with self._write() as conn:
            current = {kind: self._member_ids(conn, kind, [r.id for r in records] + list(drop))
                       for kind, records in (("event", event_clusters_), ("claim", claim_clusters_))}
            for kind, table in (("event", event_clusters), ("claim", claim_clusters)):
                empty = [i for i in drop if not current[kind].get(i)]
                if empty:
                    conn.execute(delete(table).where(table.c.id.in_(empty)))
            keep = {}
            for kind, records in (("event", event_clusters_), ("claim", claim_clusters_)):
                members = current[kind]
                keep[kind] = [r for r in records if members.get(r.id)
                              and (not r.members or members[r.id] == {m.record_id for m in r.members})]
                gone = [r.id for r in records if not members.get(r.id)]
                if gone:
                    table = event_clusters if kind == "event" else claim_clusters
                    conn.execute(delete(table).where(table.c.id.in_(gone)))
            self._put_clusters(conn, keep["event"], keep["claim"], now)

    @staticmethod
    def _member_ids(conn: Connection, kind: str, cluster_ids: Sequence[str]) -> dict[str, set[str]]:
        """Cluster id -> the ids of its member events (``kind="event"``) or claims, as stored now."""
        table, column = (event_cluster_members, "event_id") if kind == "event" else (claim_cluster_members, "claim_id")
        found: dict[str, set[str]] = {}
        for chunk in _chunks(sorted(set(cluster_ids))):
            for cluster_id, record_id in conn.execute(select(table.c.cluster_id, table.c[column])
                                                      .where(table.c.cluster_id.in_(chunk))):
                found.setdefault(cluster_id, set()).add(record_id)
        return found

    def _put_clusters(self, conn: Connection, event_rows: Sequence[Any], claim_rows: Sequence[Any], now) -> None:
        for table, records, to_row in ((event_clusters, event_rows, convert.event_cluster_row),
                                       (claim_clusters, claim_rows, convert.claim_cluster_row)):
            rows = _fit(table, [to_row(record, now) for record in records])
            if rows:
                conn.execute(self._upsert(table, tuple(rows[0])), rows)

    def unlink_all(self) -> None:
        """Forget every cross-article link (``counterclaim link --all`` relinks from scratch)."""
        with self._write() as conn:
            for table in (*LINK_TABLES, event_clusters, claim_clusters):
                conn.execute(delete(table))
            conn.execute(update(articles).values(simhash=None))

    def audit(self) -> dict[str, Any]:
        """What a consistent ledger has none of, counted: for tests, the kill harness and support.

        ``integrity``: the database's own check (SQLite ``integrity_check`` and
        ``foreign_key_check``; "ok" on PostgreSQL, which checks as it writes);
        ``partial``: articles stored without their extraction; ``unlinked``:
        extracted articles not linked; ``stale``: clusters waiting to be
        recomputed; ``empty_clusters``: clusters without members;
        ``duplicate_texts``: one text stored under two ids.
        """
        ec, cc = event_clusters, claim_clusters
        no_events = ~exists().where(event_cluster_members.c.cluster_id == ec.c.id)
        no_claims = ~exists().where(claim_cluster_members.c.cluster_id == cc.c.id)
        count = lambda q: select(func.count()).select_from(q.subquery()).scalar_subquery()  # noqa: E731
        query = select(
            count(select(articles.c.id).where(~exists().where(extractions.c.article_id == articles.c.id)))
            .label("partial"),
            count(select(extractions.c.article_id).where(
                ~exists().where(linked_articles.c.article_id == extractions.c.article_id))).label("unlinked"),
            (count(select(ec.c.id).where(ec.c.status == STALE)) + count(select(cc.c.id).where(cc.c.status == STALE)))
            .label("stale"),
            (count(select(ec.c.id).where(no_events)) + count(select(cc.c.id).where(no_claims))).label("empty_clusters"),
            count(select(articles.c.text).group_by(articles.c.text).having(func.count() > 1)).label("duplicate_texts"),
        )
        with self._read() as conn:
            found: dict[str, Any] = dict(conn.execute(query).mappings().one())
            integrity = "ok"
            if self.backend == "sqlite":
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                integrity = "ok" if rows == ["ok"] and not broken else "; ".join(rows[:3] + [f"{len(broken)} broken foreign keys"])
            found["integrity"] = integrity
        return found

    def link_stats(self) -> dict[str, int]:
        """Counts for ``counterclaim summary``: clusters, multi-outlet ones, statuses, copies.

        Only clusters with members count: one whose members an interrupted or
        concurrent writer removed is waiting to be dropped, not an event.
        """
        ec, cc = event_clusters, claim_clusters
        has_events = exists().where(event_cluster_members.c.cluster_id == ec.c.id)
        has_claims = exists().where(claim_cluster_members.c.cluster_id == cc.c.id)
        count = lambda *where: select(func.count()).select_from(ec).where(has_events, *where).scalar_subquery()  # noqa: E731
        claim_count = lambda *where: select(func.count()).select_from(cc).where(has_claims, *where).scalar_subquery()  # noqa: E731
        query = select(
            count().label("event_clusters"),
            count(ec.c.n_outlets >= 2).label("multi_outlet"),
            count(ec.c.n_articles >= 2).label("multi_article"),
            count(ec.c.status == "disputed").label("disputed"),
            count(ec.c.status == "disputed", ec.c.n_outlets >= 2).label("disputed_multi_outlet"),
            count(ec.c.status == "corroborated").label("corroborated"),
            count(ec.c.status == "single-source").label("single_source"),
            claim_count().label("claim_clusters"),
            claim_count(cc.c.n_appearances >= 2).label("multi_appearance_claims"),
            claim_count(cc.c.status == "disputed").label("disputed_claims"),
            select(func.count()).select_from(linked_articles).scalar_subquery().label("linked_articles"),
            select(func.count()).select_from(linked_articles).where(linked_articles.c.copy_of.is_not(None))
            .scalar_subquery().label("copies"),
        )
        with self._read() as conn:
            return dict(conn.execute(query).mappings().one())

    # ------------------------------------------------------------ row loading

    @staticmethod
    def _claims_from(conn: Connection, rows: Sequence) -> list[Claim]:
        """Claims for claim rows, with their quantities and event ids loaded in chunks."""
        found: list[Claim] = []
        for chunk in _chunks(rows):
            ids = [row["id"] for row in chunk]
            quantity_rows = conn.execute(_QUANTITIES_OF, {"ids": ids}).mappings()
            by_claim: dict[str, list] = {}
            for row in quantity_rows:
                by_claim.setdefault(row["claim_id"], []).append(convert.quantity_from(row))
            event_ids = Store._paired(conn, ids, event_claims.c.claim_id, event_claims.c.event_id,
                                      event_claims.c.pos_in_claim)
            found.extend(
                convert.claim_from(row, by_claim.get(row["id"], []), event_ids.get(row["id"], []))
                for row in chunk
            )
        return found

    @staticmethod
    def _events_from(conn: Connection, rows: Sequence) -> list[Event]:
        """Events for event rows, with the ids of the claims reporting them."""
        found: list[Event] = []
        for chunk in _chunks(rows):
            ids = [row["id"] for row in chunk]
            claim_ids = Store._paired(conn, ids, event_claims.c.event_id, event_claims.c.claim_id,
                                      event_claims.c.pos_in_event)
            found.extend(convert.event_from(row, claim_ids.get(row["id"], [])) for row in chunk)
        return found

    @staticmethod
    def _paired(conn: Connection, ids: Sequence[str], key: Any, other: Any, pos: Any) -> dict[str, list[str]]:
        """``event_claims`` read from one side: each of ``ids`` (``key``) -> its ``other`` ids, by ``pos``."""
        found: dict[str, list[str]] = {}
        query = _paired_query(key.name, other.name, pos.name)
        for key_id, other_id in conn.execute(query, {"ids": list(ids)}):
            found.setdefault(key_id, []).append(other_id)
        return found


# Reads the linker makes for every article, built once (building a statement cost about as
# much as running it); lists are expanding parameters.
_HAS_EXTRACTION = select(extractions.c.article_id).where(extractions.c.article_id == bindparam("article_id"))
_HAS_EXTRACTION_BY = _HAS_EXTRACTION.where(extractions.c.extractor == bindparam("extractor"))
_FACTS = (select(articles.c.id, articles.c.source, articles.c.url, articles.c.published, articles.c.title,
                 linked_articles.c.copy_of)
          .outerjoin(linked_articles, linked_articles.c.article_id == articles.c.id)
          .where(articles.c.id.in_(bindparam("ids", expanding=True))))
_EXISTING = {"event": select(event_clusters.c.id).where(event_clusters.c.id.in_(bindparam("ids", expanding=True))),
             "claim": select(claim_clusters.c.id).where(claim_clusters.c.id.in_(bindparam("ids", expanding=True)))}
_PLACES_OF = (select(places).where(places.c.article_id.in_(bindparam("ids", expanding=True)))
              .order_by(places.c.article_id, places.c.pos))
_QUANTITIES_OF = (select(quantities).where(quantities.c.claim_id.in_(bindparam("ids", expanding=True)))
                  .order_by(quantities.c.claim_id, quantities.c.pos))


@functools.lru_cache(maxsize=None)
def _cluster_events_query() -> Select:
    """``Store.cluster_events``'s query (the members of the event clusters :ids), built once."""
    m = event_cluster_members
    return (_extracted_events().join(m, m.c.event_id == events.c.id)
            .where(m.c.cluster_id.in_(bindparam("ids", expanding=True)))
            .add_columns(m.c.cluster_id.label("cluster_id"), m.c.vector.label("member_vector"),
                         m.c.vector_model.label("member_vector_model")))


@functools.lru_cache(maxsize=None)
def _by_ids(table: str) -> Select:
    """``SELECT * FROM table WHERE id IN (:ids)`` (claims or events), built once."""
    t = _TABLES[table]
    return select(t).where(t.c.id.in_(bindparam("ids", expanding=True)))


@functools.lru_cache(maxsize=None)
def _column_map_query(table: str, key: str, value: str) -> Select:
    """``Store._column_map``'s query, built once per pair of columns (named: columns compare as SQL)."""
    t = metadata.tables[table]
    return select(t.c[key], t.c[value]).where(t.c[key].in_(bindparam("keys", expanding=True)))


@functools.lru_cache(maxsize=None)
def _paired_query(key: str, other: str, pos: str) -> Select:
    """``Store._paired``'s query on ``event_claims``, built once per side."""
    c = event_claims.c
    return select(c[key], c[other]).where(c[key].in_(bindparam("ids", expanding=True)),
                                          c[pos].is_not(None)).order_by(c[key], c[pos])


# Whether an article is stored, and whether with an extraction by this extractor (``save``).
_SAVED = select(exists().where(articles.c.id == bindparam("article_id")),
                exists().where(extractions.c.article_id == bindparam("article_id"),
                               extractions.c.extractor == bindparam("extractor")))
# Statements run for every article, built once (building one cost about as much as running it).
_INSERTS = {table.name: insert(table) for table in (extractions, claims, quantities, events, event_claims, places,
                                                    times, links, linked_articles, event_cluster_members,
                                                    claim_cluster_members)}

_MARK_STALE = {t.name: update(t).where(t.c.id.in_(bindparam("ids", expanding=True))).values(status=STALE)
               for t in (event_clusters, claim_clusters)}

# Whether an article has a row in each link table (``linked_articles`` first), in one query:
# ``save_link`` unlinks an article that has any, which one not yet linked never has.
_LINK_ROWS = select(*(exists().where(table.c.article_id == bindparam("article_id"))
                      for table in (linked_articles, *(t for t in LINK_TABLES if t is not linked_articles))))

# Row dicts are fitted to their table by name (``_fit``).
_TABLES = {table.name: table for table in (claims, quantities, events, event_claims, places, times, links)}
_INT_RANGE = {BigInteger: (-(2**63), 2**63 - 1), Integer: (-(2**31), 2**31 - 1)}  # PostgreSQL's, kept on SQLite too


def _extracted_events(**filters: Any) -> Select:
    """``queries.events_query`` as extracted (no reviews applied): one SELECT, which can be joined."""
    query = queries.events_query(queries.Filters.of("events", filters))
    assert isinstance(query, Select), "without reviews an events query is one SELECT, not a UNION ALL"
    return query


def _fit(table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows every backend can store, in place: integers clamped to their column's range, NUL and
    lone surrogates in strings replaced by U+FFFD (one character for one, so offsets still hold).

    Ingest already removes both from article text (``ingest.meta.storable``);
    this is the store's own guarantee for records that arrive another way
    (the Python API, a figure the extractor read from "9" * 400).
    """
    ranges = _int_ranges(table)
    for row in rows:
        for name, value in row.items():
            if isinstance(value, str):
                if "\x00" in value or _has_surrogate(value):
                    row[name] = _SURROGATE.sub("\ufffd", value.replace("\x00", "\ufffd"))
            elif type(value) is int and name in ranges:
                low, high = ranges[name]
                row[name] = min(max(value, low), high)
    return rows


@functools.lru_cache(maxsize=None)
def _int_ranges(table) -> dict[str, tuple[int, int]]:
    """The integer columns of ``table`` and their ranges (``_fit``), read once per table: ``_fit``
    runs for every row batch written, and the columns never change."""
    ranges = {}
    for column in table.columns:
        for kind, bounds in _INT_RANGE.items():
            if isinstance(column.type, kind):
                ranges[column.name] = bounds
                break
    return ranges


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
