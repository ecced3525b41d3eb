"""The tables: one flat row per record, the same schema on SQLite and PostgreSQL.

SQLAlchemy Core, not the ORM: the records in ``counterclaim.records`` already
are the domain model, so mapped classes would be a second copy of it to keep in
sync.  ``convert`` maps rows to records in plain functions, bulk inserts are one
``executemany`` per table, and there is no session state to reason about.

Shape decisions, each so a later issue fits without a rewrite:

- Claims and events keep the records' own text ids (``Claim.id``,
  ``Event.id``) as primary keys.  They are stable across re-extraction, so
  cross-article tables (issue 5: ``event_clusters``, ``claim_clusters``) and
  links between articles can point at them.
- Records nested at most once (a claim's speaker, an event's actors and place,
  fatalities) are flattened into prefixed columns: the filters (party, place,
  date) then hit indexed columns without joins.  Lists (quantities, places,
  times, links, event<->claim pairs) get child tables with a ``pos`` column
  that keeps the extraction's order.
- Every child row carries ``article_id`` with ``ON DELETE CASCADE``: deleting
  or replacing an article's extraction is a handful of deletes by article.
- Spans are stored as ``*_start``, ``*_end`` and ``*_text``: the text makes the
  evidence readable without the article and round-trips the record exactly.
- Vocabularies (speech acts, statuses, ACLED types) are not CHECK constraints:
  ``records`` owns them, and a new value must not need a table rebuild.
- ``*_key`` columns hold lower-cased, whitespace-normalised place names,
  computed in Python, so place matching is an indexed equality that behaves
  the same on both backends.

This module is the schema the code queries; ``migrations/versions`` is the
schema the database gets.  ``tests/test_store.py`` asserts they agree.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

# Named constraints and indexes: SQLite "batch" migrations recreate tables and
# can only drop or alter what has a name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC, read back as aware UTC.

    SQLite has no time zones and PostgreSQL's ``timestamptz`` comes back in the
    session's zone; storing UTC without zone and re-attaching it on read gives
    the same value on both.  Naive input is taken to be UTC already.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None:
            if isinstance(value, str):  # raw SQLite text written by another tool
                value = datetime.fromisoformat(value)
            value = value.replace(tzinfo=timezone.utc)
        return value


def _span(prefix: str, nullable: bool) -> list[Column]:
    """Columns for one ``Span``: start and end characters and the text itself."""
    return [
        Column(f"{prefix}start", Integer, nullable=nullable),
        Column(f"{prefix}end", Integer, nullable=nullable),
        Column(f"{prefix}text", Text, nullable=nullable),
    ]


def _actor(prefix: str) -> list[Column]:
    """Columns for an optional ``Actor``: present exactly when ``{prefix}name`` is set."""
    return [
        Column(f"{prefix}name", String),
        *_span(f"{prefix}span_", nullable=True),
        Column(f"{prefix}role", String),
        Column(f"{prefix}kind", String),
        Column(f"{prefix}party", String),
        Column(f"{prefix}country", String),
        Column(f"{prefix}reason", Text),
    ]


def _place(prefix: str, nullable: bool) -> list[Column]:
    """Columns for a ``Place``, with the lower-cased keys the place filter matches."""
    return [
        Column(f"{prefix}name", String, nullable=nullable),
        Column(f"{prefix}name_key", String, nullable=nullable),
        *_span(f"{prefix}span_", nullable=nullable),
        Column(f"{prefix}kind", String),
        Column(f"{prefix}lat", Float),
        Column(f"{prefix}lon", Float),
        Column(f"{prefix}country", String),
        Column(f"{prefix}admin1", String),
        Column(f"{prefix}admin1_key", String),
        Column(f"{prefix}gazetteer_id", String),
        Column(f"{prefix}precision", String),
        Column(f"{prefix}reason", Text),
    ]


def _fatalities(prefix: str) -> list[Column]:
    return [
        Column(f"{prefix}low", Integer),
        Column(f"{prefix}best", Integer),
        Column(f"{prefix}high", Integer),
        Column(f"{prefix}reason", Text),
    ]


def _newest_first(table: Table, day: Column, *tiebreak: Column, by: Optional[str | tuple[str, ...]] = None) -> None:
    """The index behind "newest first" lists: ``[by,] day DESC NULLS LAST, <tiebreak>``.

    List queries end in ``ORDER BY day DESC NULLS LAST, ... LIMIT n``; with
    this index both backends walk it and stop after n rows instead of sorting
    the table (or, with ``by``, every row matching ``by = ?``: the filters
    users combine with "newest first" most, such as party or event type).  SQLite sorts NULL lowest, so its plain DESC index already puts
    NULLs last (and it rejects NULLS LAST in an index); PostgreSQL needs it
    spelled out.  So: one name, one index per backend, each created only there
    (``ddl_if``) and marked in ``info`` so migration comparison sees only the
    one of the backend it compares (``for_dialect``).
    """
    lead = [table.c[name] for name in ((by,) if isinstance(by, str) else by or ())]
    name = f"ix_{table.name}_{'_'.join(c.name for c in lead)}_newest" if lead else f"ix_{table.name}_newest"
    for dialect, key in (("sqlite", day.desc()), ("postgresql", day.desc().nulls_last())):
        Index(name, *lead, key, *tiebreak, info={"dialect": dialect}).ddl_if(dialect=dialect)


def for_dialect(item, dialect: str) -> bool:
    """Whether a schema item exists on this backend (most exist on both)."""
    return item.info.get("dialect", dialect) == dialect


def _article_fk() -> Column:
    return Column(
        "article_id", String, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    )


articles = Table(
    "articles",
    metadata,
    Column("id", String, primary_key=True),  # Article.make_id: content hash
    Column("url", String),
    Column("source", String),
    Column("title", Text),
    Column("published", Date),
    Column("language", String),
    Column("text", Text, nullable=False),
    Column("ingested_at", UTCDateTime),
    Column("origin", String),
    Column("published_source", String),  # "dateline" | "metadata" | "option": see ``Article.published_source``
    # 64-bit simhash of the text (as a signed integer), for near-duplicate
    # detection; filled by the dedup issue, not by this stage yet.
    Column("simhash", BigInteger),
    Index(None, "url"),
)
_newest_first(articles, articles.c.published, articles.c.id)
_newest_first(articles, articles.c.published, articles.c.id, by="source")

# One row per article whose extraction is stored: an article can be ingested
# and not yet extracted.  ``extractor`` keeps results of different extractor
# versions from being mixed silently.
extractions = Table(
    "extractions",
    metadata,
    Column(
        "article_id",
        String,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("extractor", String, nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
    Index(None, "extractor"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", String, primary_key=True),
    _article_fk(),
    Column("pos", Integer, nullable=False),
    # The article's published date, copied by ``Store.save`` in the same
    # transaction: claim lists filter and sort on it without joining articles.
    Column("published", Date),
    *_span("span_", nullable=False),
    *_span("cue_", nullable=True),
    *_actor("speaker_"),
    Column("act", String, nullable=False),
    Column("act_reason", Text),
    Column("direct_quote", Boolean, nullable=False),
    Column("channel", String),
    Column("negated", Boolean, nullable=False),
    *_span("sentence_", nullable=True),
    Index(None, "article_id", "pos", unique=True),
)
# Party and act together (migration 0009): "what did this side deny" is the ledger's
# commonest question, and a page or a total behind both filters walks this index alone.
for _by in (None, "speaker_party", "act", ("speaker_party", "act")):
    _newest_first(claims, claims.c.published, claims.c.article_id, claims.c.pos, by=_by)

quantities = Table(
    "quantities",
    metadata,
    Column(
        "claim_id",
        String,
        ForeignKey("claims.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("pos", Integer, primary_key=True),
    _article_fk(),
    *_span("span_", nullable=False),
    Column("low", BigInteger),
    Column("high", BigInteger),
    Column("what", String),
    Column("unit_text", String),
    Column("vague", Boolean, nullable=False),
    Column("reason", Text),
    Index(None, "article_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", String, primary_key=True),
    _article_fk(),
    Column("pos", Integer, nullable=False),
    Column("type", String, nullable=False),
    Column("sub_type", String, nullable=False),
    *_span("span_", nullable=False),
    *_span("trigger_", nullable=True),
    *_actor("actor1_"),
    *_actor("actor2_"),
    *_place("place_", nullable=True),
    Column("date", String),
    Column("date_precision", String, nullable=False),
    Column("date_source", String),  # "text" | "context" | "said" | "published": see ``Event.date_source``
    # The days the event may have happened on: from ``date`` at its precision,
    # else the article's published day.  Derived on save; the since/until
    # filters compare against these.
    Column("date_start", Date),
    Column("date_end", Date),
    *_fatalities("fatalities_"),
    *_fatalities("injured_"),
    Column("status", String, nullable=False),
    Column("reason", Text),
    Column("mentions", Text),  # JSON [[start, end, text], ...]: other sentences telling the event
    Index(None, "article_id", "pos", unique=True),
    Index(None, "actor1_party"),
    Index(None, "actor2_party"),
    Index(None, "place_name_key"),
    Index(None, "place_admin1_key"),
    Index(None, "place_country"),
    Index(None, "place_gazetteer_id"),
    Index(None, "date_end"),
    # "Battles since June" and its total: an index-only walk (migration 0009)
    Index(None, "type", "date_end"),
)
for _by in (None, "type", "sub_type", "status"):
    _newest_first(events, events.c.date_start, events.c.article_id, events.c.pos, by=_by)

# Which claims report which events.  Both records carry the relation
# (``Claim.event_ids``, ``Event.claim_ids``); a pair is stored once with its
# position in each list (NULL when that side does not list it), so both lists
# come back as they were.
event_claims = Table(
    "event_claims",
    metadata,
    Column(
        "event_id",
        String,
        ForeignKey("events.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "claim_id",
        String,
        ForeignKey("claims.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    _article_fk(),
    Column("pos_in_claim", Integer),
    Column("pos_in_event", Integer),
    Index(None, "claim_id"),
    Index(None, "article_id"),
)

places = Table(
    "places",
    metadata,
    Column(
        "article_id",
        String,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("pos", Integer, primary_key=True),
    *_place("", nullable=False),
    Index(None, "name_key"),
    Index(None, "admin1_key"),
    Index(None, "country"),
    Index(None, "gazetteer_id"),
)

times = Table(
    "times",
    metadata,
    Column(
        "article_id",
        String,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("pos", Integer, primary_key=True),
    *_span("span_", nullable=False),
    Column("value", String),
    Column("precision", String, nullable=False),
    Column("anchor", String),
    Column("reason", Text),
)

# ``source`` and ``target`` are record ids (claims, events), possibly of other
# articles, so they are not foreign keys: a link survives the re-extraction of
# the article it points into.  ``article_id`` is the article whose extraction
# produced the link, so replacing that extraction replaces its links.
links = Table(
    "links",
    metadata,
    Column(
        "article_id",
        String,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("pos", Integer, primary_key=True),
    Column("source", String, nullable=False),
    Column("type", String, nullable=False),
    Column("target", String, nullable=False),
    Column("reason", Text),
    Index(None, "source"),
    Index(None, "target"),
)

# Child tables of one article's extraction, in the order they are deleted
# (children before parents) when the extraction is replaced.
EXTRACTION_TABLES = (event_claims, quantities, links, claims, events, places, times, extractions)

# ------------------------------------------------------------------ cross-article links (issue 5)
#
# The linker's results: which articles are copies of which, which events of
# different articles are one event (``event_clusters``), which claims are one
# claim (``claim_clusters``).  A cluster's id is the id of its first member
# (an event or claim id), so it is stable while members join.  Member rows
# point at their event or claim with ON DELETE CASCADE: re-extracting an
# article drops its memberships along with its records, and ``Store.save``
# marks the article unlinked so the linker takes it up again.  Cluster rows
# hold the aggregates (range, status, evidence) the views read without
# recomputing; JSON lists are stored as text, the same on both backends.

# One row per article the linker has seen, with what it found it copies.
linked_articles = Table(
    "linked_articles",
    metadata,
    Column(
        "article_id",
        String,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("linker", String, nullable=False),
    Column("linked_at", UTCDateTime, nullable=False),
    Column("copy_of", String),  # an article id; not a foreign key, as links.target
    Column("copy_kind", String),
    Column("copy_jaccard", Float),
    Column("copy_distance", Integer),
    Index(None, "copy_of"),
)

event_clusters = Table(
    "event_clusters",
    metadata,
    Column("id", String, primary_key=True),
    Column("type", String, nullable=False),
    Column("sub_type", String, nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("place", String),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String),
    Column("admin1", String),
    *_fatalities("fatalities_"),
    Column("fatalities_acled", Integer),
    Column("figures", Text),  # JSON: each toll with its event, claim and sentence
    Column("status", String, nullable=False),
    Column("status_reason", Text),
    Column("evidence", Text),  # JSON
    Column("n_reports", Integer, nullable=False),
    Column("n_articles", Integer, nullable=False),
    Column("n_outlets", Integer, nullable=False),
    Column("outlets", Text),  # JSON list of outlet names
    Column("updated_at", UTCDateTime, nullable=False),
    Index(None, "status"),
    Index(None, "n_outlets"),
    Index(None, "date_end"),
)

event_cluster_members = Table(
    "event_cluster_members",
    metadata,
    Column(
        "event_id",
        String,
        ForeignKey("events.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("cluster_id", String, nullable=False),
    _article_fk(),
    Column("pos", Integer, nullable=False),  # order of joining
    Column("reason", Text),
    # The event's sentence embedding (float16 bytes) and its model, as for claims.
    Column("vector", LargeBinary),
    Column("vector_model", String),
    Index(None, "cluster_id"),
    Index(None, "article_id"),
)

claim_clusters = Table(
    "claim_clusters",
    metadata,
    Column("id", String, primary_key=True),
    Column("voice", String),
    Column("speaker", String),
    Column("party", String),
    Column("act", String, nullable=False),
    Column("event_cluster_id", String),
    Column("status", String, nullable=False),
    Column("status_reason", Text),
    Column("evidence", Text),  # JSON
    Column("n_appearances", Integer, nullable=False),
    Column("n_outlets", Integer, nullable=False),
    Column("outlets", Text),  # JSON list
    Column("updated_at", UTCDateTime, nullable=False),
    Index(None, "status"),
    Index(None, "event_cluster_id"),
    Index(None, "voice"),
)

claim_cluster_members = Table(
    "claim_cluster_members",
    metadata,
    Column(
        "claim_id",
        String,
        ForeignKey("claims.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("cluster_id", String, nullable=False),
    _article_fk(),
    Column("pos", Integer, nullable=False),
    Column("similarity", Float),
    Column("reason", Text),
    # The claim's sentence embedding (float16 bytes) and the model that made it:
    # a new article is compared with stored claims without re-embedding them.
    Column("vector", LargeBinary),
    Column("vector_model", String),
    Index(None, "cluster_id"),
    Index(None, "article_id"),
)

# The copy-detection index (``link.dedup.band_keys``): one row per MinHash band key of a
# linked article, so the articles a new text may copy are found by key, not by a scan
# of every fingerprint.  Written with the article's linking, forgotten with it.
article_bands = Table(
    "article_bands",
    metadata,
    Column("article_id", String, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    # (key, article_id), not (key): the copy look-up counts each candidate's shared keys from
    # the index alone, where a key-only index had it fetch every hit's row for its article id
    # (a same-day flood of 1,500 wire reports: some 10,000 hits an article, 13 -> 4 CPU-ms).
    Index(None, "key", "article_id"),
)

LINK_TABLES = (claim_cluster_members, event_cluster_members, article_bands, linked_articles)

# ``counterclaim watch``: what each watched source (a feed URL or a folder) last said,
# and which of its entries were taken in, so a restart neither re-reads nor misses one.
feeds = Table(
    "feeds",
    metadata,
    Column("source", String, primary_key=True),  # the URL, or the folder's absolute path
    Column("kind", String, nullable=False),  # "http" | "folder"
    Column("etag", String),
    Column("last_modified", String),
    Column("polled_at", UTCDateTime),
    Column("ok_at", UTCDateTime),
    Column("failures", Integer, nullable=False, default=0),  # consecutive failed polls (backoff)
    Column("next_poll_at", UTCDateTime),
    Column("last_error", Text),
)

feed_entries = Table(
    "feed_entries",
    metadata,
    Column("source", String, ForeignKey("feeds.source", ondelete="CASCADE"), primary_key=True),
    Column("entry", String, primary_key=True),  # entry id / guid / link, or a folder file's path, size and time
    Column("article_id", String),  # the article it became (not a foreign key: it may be deleted)
    Column("problem", Text),  # why it gave no article (empty entry, ...)
    Column("seen_at", UTCDateTime, nullable=False),
)

# ------------------------------------------------------------------ reviews (issue 12)
#
# A reviewer confirms, corrects or rejects a claim or an event.  ``reviews`` is
# the log: every decision with who, when and the value it replaced; rows are
# only ever added.  The extraction is never overwritten: the reviewed version of
# a record lives beside it in ``claims_reviewed`` / ``events_reviewed``, a copy
# of its row with the corrections applied, and the queries read that copy in
# place of the extracted row (``queries``).  The copy cascades away with its
# record when the article is extracted again, and ``reviews.reapply`` rebuilds
# it from the log over the new extraction, so re-extraction keeps the reviews.
# The log has no foreign key: it outlives records that a newer extractor no
# longer finds (they are listed as orphaned, not lost).

REVIEW_ACTIONS = ("confirm", "correct", "reject")

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String, nullable=False),  # "claim" | "event"
    Column("record_id", String, nullable=False),
    Column("article_id", String, nullable=False),
    Column("action", String, nullable=False),  # one of REVIEW_ACTIONS
    Column("field", String),  # the corrected column, for "correct"
    Column("value", Text),  # JSON: the new value
    Column("previous", Text),  # JSON: the value before this decision (the status, for confirm/reject)
    Column("reviewer", String, nullable=False),
    Column("note", Text),
    Column("reviewed_at", UTCDateTime, nullable=False),
    Index(None, "kind", "record_id"),
    Index(None, "article_id"),
)


def _reviewed_copy(name: str, table: Table) -> Table:
    """The reviewed version of ``table``'s rows: the same columns, plus the review's state."""
    columns = []
    for column in table.columns:
        if column.name == "id":
            columns.append(Column("id", String, ForeignKey(f"{table.name}.id", ondelete="CASCADE"),
                                  primary_key=True))
        else:
            columns.append(Column(column.name, column.type, nullable=True))
    return Table(
        name,
        metadata,
        *columns,
        Column("review_status", String, nullable=False),  # "confirmed" | "corrected" | "rejected"
        Column("review_fields", Text),  # JSON list of the corrected columns
        Column("reviewer", String, nullable=False),
        Column("reviewed_at", UTCDateTime, nullable=False),
        Index(None, "article_id"),
    )


claims_reviewed = _reviewed_copy("claims_reviewed", claims)
events_reviewed = _reviewed_copy("events_reviewed", events)
