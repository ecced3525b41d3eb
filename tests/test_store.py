"""The store against real databases: a SQLite file per test, and PostgreSQL.

Every behavioural test runs on both backends (the ``store`` fixture is
parametrised); PostgreSQL tests use one fresh schema for the session, emptied
between tests, and skip with the reason when the server is not reachable.
Records are built by hand from a short story in the style of the seed example.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from datetime import date, datetime, timezone

import pytest

from counterclaim.records import (
    Actor,
    Article,
    Claim,
    Event,
    Extraction,
    Fatalities,
    Link,
    Place,
    Quantity,
    Span,
    Time,
)
from counterclaim.store import InvalidExtraction, Store, StoreError, migrate, resolve_url
from counterclaim.store.convert import date_range
from counterclaim.store.schema import metadata
from pgschema import fresh_schema

PG_HOST, PG_PORT = "127.0.0.1", 5432
# The README's form: no driver named (``database.postgres_driver`` picks psycopg 3).
PG_BASE = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/test"

# ------------------------------------------------------------------ records

TEXT_1 = (
    "Zambian Defence Minister Mutale Banda declared open war on Malawi on Friday. "
    "Northern Front spokesman Idris Kalolo said airstrikes hit Lilongwe and Mzuzu, with no "
    "reported casualties. Zambian state media said dozens of Northern Front fighters were killed "
    "and 19 outposts seized near Mzuzu. Kalolo denied that any outposts had been lost."
)
TEXT_2 = (
    "The military's media wing DPRO said artillery shelling from across the border killed "
    "three civilians in Nakonde. Ärzte ohne Grenzen said its clinic in Isoka treated "
    "eleven wounded."
)


def span(text: str, fragment: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return Span(start, start + len(fragment), fragment)


def make_article(text_: str, **meta) -> Article:
    meta.setdefault("ingested_at", datetime(2026, 2, 27, 12, 30, tzinfo=timezone.utc))
    return Article(id=Article.make_id(text_), text=text_, **meta)


def lilongwe(text_: str, nth: int = 0) -> Place:
    return Place(
        span=span(text_, "Lilongwe", nth),
        name="Lilongwe",
        kind="city",
        lat=34.52813,
        lon=69.17233,
        country="MW",
        admin1="Lilongwe",
        gazetteer_id="geonames:1138958",
        precision="exact",
        reason="gazetteer: largest city named Lilongwe",
    )


def mzuzu(text_: str, nth: int = 0) -> Place:
    return Place(
        span=span(text_, "Mzuzu", nth),
        name="Mzuzu",
        kind="province",
        lat=31.6,
        lon=65.7,
        country="MW",
        admin1="Mzuzu",
        gazetteer_id="iso3166-2:AF-KAN",
        precision="admin1",
        reason="context: 'near Mzuzu' after a province mention",
    )


def extraction_1(extractor: str = "nlp-0.1") -> Extraction:
    """Four claims (one denying another), three events, places, a time, links."""
    t = TEXT_1
    art = make_article(
        t,
        title="Zambia declares 'open war' on Malawi",
        url="https://example.org/news/open-war",
        source="Example Wire",
        published=date(2026, 2, 27),
        language="en",
        origin="seed.jsonl:1",
    )
    pak_minister = Actor(
        name="Mutale Banda",
        span=span(t, "Mutale Banda"),
        role="Defense Minister",
        kind="person",
        party="ZMB",
        country="ZM",
        reason="role: Zambian Defence Minister",
    )
    kalolo = Actor(
        name="Idris Kalolo",
        span=span(t, "Idris Kalolo"),
        role="spokesman",
        kind="person",
        party="MWI",
        country="MW",
        reason="dictionary: Northern Front spokesman",
    )
    state_media = Actor(name="Zambian state media", span=span(t, "Zambian state media"),
                        role="state media", kind="media", party="ZMB", reason="nationality: Zambian")
    c1_span = span(t, "open war on Malawi")
    c2_span = span(t, "airstrikes hit Lilongwe and Mzuzu, with no reported casualties")
    c3_span = span(t, "dozens of Northern Front fighters were killed and 19 outposts seized near Mzuzu")
    c4_span = span(t, "that any outposts had been lost")
    aid = art.id
    ids = {n: Claim.make_id(aid, s) for n, s in (("c1", c1_span), ("c2", c2_span), ("c3", c3_span), ("c4", c4_span))}
    e1_span = span(t, "airstrikes hit Lilongwe")
    e2_span = span(t, "19 outposts seized near Mzuzu")
    e3_span = span(t, "declared open war on Malawi")
    e1 = Event.make_id(aid, e1_span, "Air/drone strike", "Lilongwe")
    e2 = Event.make_id(aid, e2_span, "Non-state actor overtakes territory", "Mzuzu")
    e3 = Event.make_id(aid, e3_span, "Change to group/activity")
    claims = [
        Claim(
            id=ids["c1"],
            article_id=aid,
            span=c1_span,
            cue=span(t, "declared"),
            speaker=pak_minister,
            act="threaten",
            act_reason="cue 'declared' + 'war'",
            channel=None,
            sentence=span(t, "Zambian Defence Minister Mutale Banda declared open war on Malawi on Friday."),
            event_ids=[e3],
        ),
        Claim(
            id=ids["c2"],
            article_id=aid,
            span=c2_span,
            cue=span(t, "said"),
            speaker=kalolo,
            act="assert",
            quantities=[
                Quantity(span=span(t, "no reported casualties"), low=0, high=0, what="killed",
                         unit_text="casualties", reason="'no reported' = 0")
            ],
            event_ids=[e1],
        ),
        Claim(
            id=ids["c3"],
            article_id=aid,
            span=c3_span,
            cue=span(t, "said", 1),
            speaker=state_media,
            act="assert",
            channel="state TV",
            quantities=[
                Quantity(span=span(t, "dozens of Northern Front fighters"), low=12, high=None, what="killed",
                         unit_text="fighters", vague=True, reason="ACLED: dozens = 12"),
                Quantity(span=span(t, "19 outposts"), low=19, high=19, what="outposts seized", unit_text="outposts"),
            ],
            event_ids=[e2],
        ),
        Claim(
            id=ids["c4"],
            article_id=aid,
            span=c4_span,
            cue=span(t, "denied"),
            speaker=dataclasses.replace(kalolo, span=span(t, "Kalolo", 1)),
            act="deny",
            act_reason="cue 'denied'",
            negated=False,
            event_ids=[e2],
        ),
    ]
    zambian_forces = Actor(name="Military Forces of Zambia", party="ZMB", kind="state force")
    front = Actor(name="Northern Front", party="MWI", kind="state force", reason="dictionary")
    events = [
        Event(
            id=e1,
            article_id=aid,
            type="Explosions/Remote violence",
            sub_type="Air/drone strike",
            span=e1_span,
            trigger=span(t, "airstrikes"),
            actor1=zambian_forces,
            actor2=front,
            place=lilongwe(t),
            date="2026-02-27",
            date_precision="day",
            fatalities=Fatalities(low=0, best=0, high=0, reason="'no reported casualties'"),
            status="single-source",
            claim_ids=[ids["c2"]],
            reason="trigger 'airstrikes'",
        ),
        Event(
            id=e2,
            article_id=aid,
            type="Battles",
            sub_type="Non-state actor overtakes territory",
            span=e2_span,
            trigger=span(t, "seized"),
            actor1=zambian_forces,
            actor2=front,
            place=mzuzu(t, 1),
            date="2026-02",
            date_precision="month",
            fatalities=Fatalities(low=12, best=12, high=None, reason="ACLED: dozens = 12"),
            injured=Fatalities(reason="not reported"),
            status="disputed",
            claim_ids=[ids["c3"], ids["c4"]],
        ),
        Event(
            id=e3,
            article_id=aid,
            type="Strategic developments",
            sub_type="Change to group/activity",
            span=e3_span,
            actor1=pak_minister,
            status="claimed",
            claim_ids=[],  # c1 names e3, e3 does not list c1: both sides survive as given
        ),
    ]
    places = [
        Place(span=span(t, "Malawi"), name="Malawi", kind="country", lat=33.0, lon=66.0,
              country="MW", gazetteer_id="geonames:1149361", precision="country"),
        lilongwe(t),
        mzuzu(t),
        mzuzu(t, 1),
    ]
    times = [Time(span=span(t, "Friday"), value="2026-02-27", precision="day",
                  anchor="published:2026-02-27", reason="weekday of publication")]
    links = [
        Link(source=ids["c4"], type="denies", target=ids["c3"], reason="deny cue; same outposts"),
        Link(source=ids["c2"], type="contradicts", target="otherarticle:c1-9", reason="0 vs 12 killed"),
    ]
    return Extraction(article=art, claims=claims, events=events, places=places, times=times,
                      links=links, extractor=extractor)


def extraction_2() -> Extraction:
    """An older article by another outlet: one undated event, a non-ASCII speaker."""
    t = TEXT_2
    art = make_article(t, title="Shelling in Nakonde", source="Lakeside Wire", published=date(2026, 1, 10),
                       url="https://example.com/nakonde", language="en")
    aid = art.id
    c1_span = span(t, "artillery shelling from across the border killed three civilians in Nakonde")
    c2_span = span(t, "its clinic in Isoka treated eleven wounded")
    e_span = span(t, "artillery shelling from across the border killed three civilians")
    e1 = Event.make_id(aid, e_span, "Shelling/artillery/missile attack", "Nakonde")
    nakonde = Place(span=span(t, "Nakonde"), name="Nakonde", kind="district", lat=33.82, lon=70.17,
                   country="ZM", admin1="Muchinga", precision="near")
    claims = [
        Claim(id=Claim.make_id(aid, c1_span), article_id=aid, span=c1_span, cue=span(t, "said"),
              speaker=Actor(name="DPRO", role="military media wing", kind="government body", party="ZMB"),
              act="accuse", channel="statement",
              quantities=[Quantity(span=span(t, "three civilians"), low=3, high=3, what="killed")],
              event_ids=[e1]),
        Claim(id=Claim.make_id(aid, c2_span), article_id=aid, span=c2_span, cue=span(t, "said", 1),
              speaker=Actor(name="Ärzte ohne Grenzen", kind="NGO", party="independent"),
              act="assert", quantities=[Quantity(span=span(t, "eleven wounded"), low=11, high=11, what="injured")]),
    ]
    events = [
        Event(id=e1, article_id=aid, type="Explosions/Remote violence",
              sub_type="Shelling/artillery/missile attack", span=e_span,
              actor1=Actor(name="Military Forces of Malawi", party="MWI"),
              actor2=Actor(name="Civilians (Zambia)", party="ZMB", kind="civilians"),
              place=nakonde, fatalities=Fatalities(low=3, best=3, high=3),
              injured=Fatalities(low=11, best=11, high=11), status="single-source",
              claim_ids=[claims[0].id]),
    ]
    return Extraction(article=art, claims=claims, events=events,
                      places=[nakonde, Place(span=span(t, "Isoka"), name="Isoka", country="ZM")],
                      extractor="nlp-0.1")


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def pg_url():
    """A fresh schema on the PostgreSQL server for this session, dropped at the end."""
    with fresh_schema(PG_BASE, "cc_test") as url:
        yield url


@pytest.fixture(scope="session")
def pg_store(pg_url):
    store = Store.open(pg_url)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """An empty store: a new SQLite file, or the session's PostgreSQL schema emptied."""
    if request.param == "sqlite":
        store = Store.open(tmp_path / "ledger.sqlite")
        yield store
        store.close()
    else:
        store = request.getfixturevalue("pg_store")
        with store._engine.begin() as conn:  # DELETE: cheaper than TRUNCATE for a few rows
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())
        yield store


@pytest.fixture
def filled(store):
    first, second = extraction_1(), extraction_2()
    store.save(first)
    store.save(second)
    store.add_article(make_article("An article not extracted yet.", published=date(2026, 2, 1), source="Lakeside Wire"))
    return store, first, second


def empty_stats():
    return {k: 0 for k in ("articles", "extracted", "claims", "quantities", "events", "places", "times", "links")}


# ------------------------------------------------------------------ saving


def test_save_round_trips_equal_records(store):
    original = extraction_1()
    store.save(original)
    loaded = store.extraction(original.article.id)
    assert loaded is not None
    assert loaded.to_dict() == original.to_dict()
    # the asymmetric event<->claim lists come back as given
    assert loaded.events[2].claim_ids == [] and loaded.claims[0].event_ids == [original.events[2].id]
    assert store.article(original.article.id) == original.article


def test_resave_replaces_without_duplicates(store):
    first = extraction_1("nlp-0.1")
    store.save(first)
    store.save(first)
    assert store.stats()["claims"] == 4
    smaller = extraction_1("nlp-0.2")
    smaller.claims = smaller.claims[:2]
    smaller.claims[0].event_ids = []  # its event is gone
    smaller.events = smaller.events[:1]
    smaller.links = smaller.links[1:]
    store.save(smaller)
    assert store.extraction(first.article.id).to_dict() == smaller.to_dict()
    stats = store.stats()
    assert (stats["articles"], stats["claims"], stats["events"], stats["links"]) == (1, 2, 1, 1)
    assert stats["quantities"] == 1
    assert store.has_extraction(first.article.id, "nlp-0.2")
    assert not store.has_extraction(first.article.id, "nlp-0.1")


def _broken_claim_span(x: Extraction) -> None:
    x.claims[1] = dataclasses.replace(x.claims[1], span=None)


def _broken_quantity_span(x: Extraction) -> None:  # passes validation, fails at the INSERT
    x.claims[2].quantities[1] = dataclasses.replace(x.claims[2].quantities[1], span=None)


def _duplicate_claim_id(x: Extraction) -> None:
    x.claims[3] = dataclasses.replace(x.claims[3], id=x.claims[0].id)


def _dangling_event_id(x: Extraction) -> None:
    x.claims[1].event_ids.append(f"{x.article.id}:e0-1:nosuch")


def _foreign_claim(x: Extraction) -> None:
    x.claims[0] = dataclasses.replace(x.claims[0], article_id="someone-else")


@pytest.mark.parametrize(
    "break_it",
    [_broken_claim_span, _broken_quantity_span, _duplicate_claim_id, _dangling_event_id, _foreign_claim],
)
def test_failed_save_leaves_nothing(store, break_it):
    bad = extraction_1()
    break_it(bad)
    with pytest.raises(InvalidExtraction, match=bad.article.id):
        store.save(bad)
    assert not store.has_article(bad.article.id)
    assert store.extraction(bad.article.id) is None
    assert store.stats() == empty_stats()


def test_failed_resave_keeps_the_previous_extraction(store):
    good = extraction_1()
    store.save(good)
    bad = extraction_1("nlp-0.2")
    _broken_quantity_span(bad)
    with pytest.raises(InvalidExtraction):
        store.save(bad)
    assert store.extraction(good.article.id).to_dict() == good.to_dict()


def test_claim_ids_are_global_keys(store):
    """Another article cannot take a stored claim's id: ids stay stable text keys."""
    store.save(extraction_1())
    other = extraction_2()
    other.claims[1] = dataclasses.replace(other.claims[1], id=extraction_1().claims[0].id)
    with pytest.raises(InvalidExtraction):
        store.save(other)
    assert not store.has_article(other.article.id)


def test_add_article_once(store):
    article = make_article(TEXT_2, published=date(2026, 1, 10), source="Lakeside Wire")
    assert not store.has_article(article.id)
    assert store.add_article(article) is True
    assert store.add_article(dataclasses.replace(article, title="changed")) is False
    assert store.has_article(article.id)
    assert store.article(article.id) == article
    assert store.article("nope") is None
    assert store.extraction(article.id) is None  # ingested, not extracted
    assert not store.has_extraction(article.id)
    store.save(extraction_2())  # extraction of an already added article
    assert store.has_extraction(article.id)


def test_delete_article_cascades(filled):
    store, first, second = filled
    assert store.delete_article(first.article.id)
    assert not store.delete_article(first.article.id)
    stats = store.stats()
    assert stats["claims"] == len(second.claims) and stats["events"] == 1
    assert stats["quantities"] == 2 and stats["places"] == 2 and stats["links"] == 0
    assert stats["times"] == 0 and stats["extracted"] == 1 and stats["articles"] == 2


def test_many_claims_load_in_chunks(store):
    """More claims than one IN-list chunk: children still land on the right claim."""
    x = extraction_2()
    template = x.claims[0]
    x.claims = [
        dataclasses.replace(
            template,
            id=f"{x.article.id}:c{i}",
            quantities=[dataclasses.replace(template.quantities[0], low=i, high=i)],
            event_ids=[x.events[0].id] if i % 2 else [],
        )
        for i in range(1203)
    ]
    x.events[0].claim_ids = [c.id for c in x.claims[:700]]
    store.save(x)
    assert store.extraction(x.article.id).to_dict() == x.to_dict()
    page = store.claims(article_id=x.article.id, limit=10, offset=1195)
    assert [c.quantities[0].low for c in page] == list(range(1195, 1203))


# ------------------------------------------------------------------ queries


def test_articles_filters(filled):
    store, first, second = filled
    assert [a.published for a in store.articles()] == [date(2026, 2, 27), date(2026, 2, 1), date(2026, 1, 10)]
    assert [a.id for a in store.articles(since="2026-02-01")][0] == first.article.id
    assert len(store.articles(since=date(2026, 2, 1))) == 2
    assert [a.id for a in store.articles(until="2026-01-31")] == [second.article.id]
    assert len(store.articles(source="Lakeside Wire")) == 2
    assert len(store.articles(source=["Lakeside Wire", "Example Wire"])) == 3
    assert [a.published for a in store.articles(limit=1, offset=1)] == [date(2026, 2, 1)]
    assert store.articles_by_id([first.article.id, "nope"]) == {first.article.id: first.article}
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        store.articles(since="last week")
    assert store.article_ids(first.article.id[:6]) == [first.article.id]
    assert len(store.article_ids()) == 3 and len(store.article_ids(limit=2)) == 2
    assert store.article_ids("%") == []


def test_claims_filters(filled):
    store, first, second = filled
    c = {n: claim.id for n, claim in zip(("c1", "c2", "c3", "c4"), first.claims)}
    ids = lambda **f: [claim.id for claim in store.claims(**f)]  # noqa: E731
    # newest article first, extraction order inside it
    assert ids() == [*c.values(), second.claims[0].id, second.claims[1].id]
    assert ids(party="MWI") == [c["c2"], c["c4"]]
    assert len(ids(party=["ZMB", "independent"])) == 4
    assert ids(speaker="kalolo") == [c["c2"], c["c4"]]
    assert ids(speaker="ÄRZTE") == [second.claims[1].id]  # case folding beyond ASCII
    assert ids(speaker="100%") == []  # LIKE wildcards are literal
    assert ids(act="deny") == [c["c4"]]
    assert ids(act=["accuse", "threaten"]) == [c["c1"], second.claims[0].id]
    assert ids(place="mzuzu") == list(c.values())  # the article's events and places
    assert ids(place="Isoka") == [s.id for s in second.claims]  # a mention is enough
    assert ids(place="Muchinga") == [s.id for s in second.claims]  # admin1
    assert ids(place="zm") == [s.id for s in second.claims]  # country code
    assert ids(place="geonames:1138958") == list(c.values())
    assert ids(place="Kand") == []  # names match whole, not as substrings
    assert ids(since="2026-02-01") == list(c.values())
    assert ids(until="2026-02-01") == [s.id for s in second.claims]
    assert ids(disputed=True) == [c["c2"], c["c3"], c["c4"]]
    assert ids(disputed=False) == [c["c1"], *(s.id for s in second.claims)]
    assert ids(article_id=second.article.id) == [s.id for s in second.claims]
    assert ids(text="OUTPOSTS") == [c["c3"], c["c4"]]
    assert ids(party="MWI", disputed=True, text="lost") == [c["c4"]]
    assert ids(limit=2, offset=3) == [c["c4"], second.claims[0].id]
    # records come back whole
    assert store.claims(act="deny")[0] == first.claims[3]
    assert store.claims(speaker="state media")[0].quantities == first.claims[2].quantities


def test_events_filters(filled):
    store, first, second = filled
    e1, e2, e3 = (e.id for e in first.events)
    k = second.events[0].id
    ids = lambda **f: [event.id for event in store.events(**f)]  # noqa: E731
    # latest first: e1 (2026-02-27) and e3 (no date: published 2026-02-27), e2 (2026-02), k (published 2026-01-10)
    assert ids() == [e1, e3, e2, k]
    assert ids(type="Battles") == [e2]
    assert ids(sub_type=["Air/drone strike", "Shelling/artillery/missile attack"]) == [e1, k]
    assert ids(party="MWI") == [e1, e2, k]  # actor2 for e1, e2; actor1 for k
    assert ids(party="ZMB") == [e1, e3, e2, k]
    assert ids(place="LILONGWE") == [e1]
    assert ids(place="MW") == [e1, e2]
    assert ids(place="Muchinga") == [k]
    assert ids(status="disputed") == [e2]
    assert ids(since="2026-02-15") == [e1, e3, e2]  # the month "2026-02" overlaps
    assert ids(until="2026-02-20") == [e2, k]
    assert ids(since="2026-02-28") == [e2]  # the month ends on the 28th
    assert ids(since="2026-03-01") == []
    assert ids(since="2026-01-10", until="2026-01-10") == [k]  # undated: the published day
    assert ids(article_id=second.article.id) == [k]
    assert ids(limit=1, offset=1) == [e3]
    assert store.events(type="Battles")[0] == first.events[1]


def test_links(filled):
    store, first, second = filled
    assert store.links(first.article.id) == first.links
    assert store.links(second.article.id) == []
    assert store.links(record_id=first.claims[2].id) == first.links[:1]
    assert store.links(type="contradicts") == first.links[1:]
    assert len(store.links()) == 2


def test_stats(filled):
    store, first, second = filled
    assert store.stats() == {
        "articles": 3,
        "extracted": 2,
        "claims": 6,
        "quantities": 5,
        "events": 4,
        "places": 6,
        "times": 1,
        "links": 2,
    }


def test_iterators_stream_records(filled):
    store, first, _ = filled
    stream = store.iter_claims(article_id=first.article.id)
    assert next(stream) == first.claims[0]
    stream.close()  # releases the read transaction
    assert [e.id for e in store.iter_events(status="claimed")] == [first.events[2].id]


# ------------------------------------------------------------------ schema and migrations


def test_migrations_match_schema_module(store):
    """The migrated database and schema.py describe the same tables, columns and indexes."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store._engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "include_object": migrate.comparison_filter(store.backend)},
        )
        assert compare_metadata(context, metadata) == []
    assert store.revision() == migrate.head_revision()


def test_open_empty_sqlite_applies_head_then_is_a_noop(tmp_path, monkeypatch):
    path = tmp_path / "new.sqlite"
    with Store.open(path) as store:
        assert store.revision() == migrate.head_revision()
        assert store.backend == "sqlite"
    with sqlite3.connect(path) as raw:
        tables = {r[0] for r in raw.execute("select name from sqlite_master where type='table'")}
    assert {"articles_fts", "claims_fts"} <= tables  # full-text search (store.search)
    tables = {name for name in tables if "_fts" not in name}
    assert {t.name for t in metadata.sorted_tables} | {migrate.VERSION_TABLE} == tables

    def must_not_run(*args, **kwargs):
        raise AssertionError("alembic ran on a database already at head")

    monkeypatch.setattr(migrate.command, "upgrade", must_not_run)
    with Store.open(path) as store:
        assert store.revision() == migrate.head_revision()
    with Store.open(path, upgrade=False) as store:
        assert store.stats() == empty_stats()


def test_open_without_upgrade_refuses_an_old_schema(tmp_path):
    with pytest.raises(StoreError, match="upgrade=True"):
        Store.open(tmp_path / "empty.sqlite", upgrade=False)


def test_open_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "future.sqlite"
    Store.open(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute(f"update {migrate.VERSION_TABLE} set version_num = 'fffffffff'")
    with pytest.raises(StoreError, match="newer counterclaim"):
        Store.open(path)


def test_sqlite_pragmas(tmp_path):
    with Store.open(tmp_path / "p.sqlite") as store, store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_in_memory_sqlite():
    with Store.open(":memory:") as store:
        store.save(extraction_2())
        assert store.extraction(extraction_2().article.id).to_dict() == extraction_2().to_dict()


def test_sqlite_writers_queue_instead_of_failing(tmp_path):
    """Threads of one Store, and a second Store on the same file, all get their writes in."""
    path = tmp_path / "busy.sqlite"
    stores = [Store.open(path), Store.open(path)]
    errors: list[BaseException] = []

    def work(store: Store, n: int) -> None:
        try:
            for i in range(8):
                x = extraction_2()
                x.article = make_article(f"{TEXT_2} ({n}-{i})", published=date(2026, 1, 10))
                x.claims = [dataclasses.replace(c, article_id=x.article.id, id=f"{x.article.id}:{c.id}",
                                                event_ids=[]) for c in x.claims]
                x.events = []
                store.save(x)
                store.claims(article_id=x.article.id)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(stores[n % 2], n)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert stores[0].stats()["articles"] == 32 and stores[1].stats()["claims"] == 64
    for s in stores:
        s.close()


# ------------------------------------------------------------------ where the database is


def test_resolve_url(tmp_path, monkeypatch):
    monkeypatch.delenv("COUNTERCLAIM_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'data' / 'counterclaim' / 'counterclaim.sqlite'}"
    assert (tmp_path / "data" / "counterclaim").is_dir()
    monkeypatch.setenv("COUNTERCLAIM_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert resolve_url(tmp_path / "x.db") == f"sqlite:///{tmp_path / 'x.db'}"
    assert resolve_url("postgres://u@h/db") == "postgresql://u@h/db"
    assert resolve_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert resolve_url(":memory:") == "sqlite://"
    with pytest.raises(StoreError, match="does not exist"):
        resolve_url(tmp_path / "missing" / "x.sqlite")
    with pytest.raises(StoreError, match="unsupported"):
        Store.open("mysql://u@h/db")


def test_default_location_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("COUNTERCLAIM_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    with Store.open() as store:
        store.add_article(make_article("x"))
    assert (tmp_path / "counterclaim" / "counterclaim.sqlite").is_file()


def test_unreachable_postgres_is_a_store_error():
    with pytest.raises(StoreError, match="cannot open"):
        Store.open("postgresql+psycopg2://postgres@127.0.0.1:1/none?connect_timeout=2")


def test_date_range():
    assert date_range("2026-02-27") == (date(2026, 2, 27), date(2026, 2, 27))
    assert date_range("2026-02-27T14:30") == (date(2026, 2, 27), date(2026, 2, 27))
    assert date_range("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert date_range("2026-W09") == (date(2026, 2, 23), date(2026, 3, 1))
    assert date_range("2021") == (date(2021, 1, 1), date(2021, 12, 31))
    assert date_range("197X") == (date(1970, 1, 1), date(1979, 12, 31))
    assert date_range("19XX") == (date(1900, 1, 1), date(1999, 12, 31))
    assert date_range("000X") == (date(1, 1, 1), date(9, 12, 31))  # no year 0: the decade starts at year 1
    assert date_range("2026-13") is None and date_range("2026-SU") is None and date_range(None) is None
    assert date_range("2026-W54") is None and date_range("2026-02-30") is None and date_range("") is None
    assert date_range("P3D") is None and date_range("PRESENT_REF") is None


def test_one_timex_parser_for_linker_and_store():
    """The linker and the store read an event's date alike (issue 15: only one knew decades)."""
    from counterclaim.link.reports import day_range
    from counterclaim.records import timex_range

    assert date_range is timex_range and day_range is timex_range


# ------------------------------------------------------------------ cluster members


def _linked_reports(store, n_articles: int, n_clusters: int) -> dict[str, list[tuple[str, str]]]:
    """``n_articles`` one-event, one-claim articles linked one after the other (in an order
    unlike their ids'), article ``i`` joining event and claim cluster ``i % n_clusters``; every
    member at position 0 of its article, as a claim that opens its article is.  Cluster id ->
    its (event id, claim id) members in the order their articles were linked."""
    order: dict[str, list[tuple[str, str]]] = {}
    for i in sorted(range(n_articles), key=lambda i: (i * 7919) % n_articles):
        text_ = f"Report {i}: the monitor said {i + 3} people were killed in a raid on a village."
        art = make_article(text_, published=date(2026, 3, 1 + i % 5), source="Lakeside Wire")
        c_span, e_span = span(text_, f"{i + 3} people were killed"), span(text_, "a raid on a village")
        event_id = Event.make_id(art.id, e_span, "Attack", None)
        claim = Claim(id=Claim.make_id(art.id, c_span), article_id=art.id, span=c_span, cue=span(text_, "said"),
                      speaker=Actor(name="the monitor", party="independent"), act="assert", event_ids=[event_id])
        event = Event(id=event_id, article_id=art.id, type="Violence against civilians", sub_type="Attack",
                      span=e_span, claim_ids=[claim.id])
        store.save(Extraction(article=art, claims=[claim], events=[event], extractor="nlp-0.1"))
        cluster = f"cluster-{i % n_clusters:02d}"
        store.save_link(art.id, linker="test", simhash=None,
                        event_members=[{"event_id": event_id, "cluster_id": cluster, "article_id": art.id, "pos": 0}],
                        claim_members=[{"claim_id": claim.id, "cluster_id": cluster, "article_id": art.id, "pos": 0}])
        order.setdefault(cluster, []).append((event_id, claim.id))
    return order


def test_cluster_members_come_in_the_order_they_joined(store):
    """Members at the same position of their articles come in the order their articles were
    linked, on every backend.  The linker takes a cluster's first members as its face (a claim
    cluster's event is its first member's; a flood's capped window offers the first members),
    so an order left to the database made PostgreSQL's clusters depend on its sort: a run
    resumed after a kill linked one claim apart from where an uninterrupted run put it."""
    order = _linked_reports(store, 120, 6)
    for kind, which in (("event", 0), ("claim", 1)):
        found = store.cluster_members(kind, sorted(order))
        assert {c: [m.record_id for m in ms] for c, ms in found.items()} == \
            {c: [pair[which] for pair in pairs] for c, pairs in order.items()}
    assert store.first_member_ids(sorted(order), per_cluster=3) == \
        [event_id for c in sorted(order) for event_id, _ in order[c][:3]]
