"""A small ledger of the project's own articles for the API, web and CLI read tests.

Three short reports written for these tests (a strike on Kandahār that one
side reports and the other denies, shelling in Deir ez-Zor), run through the
real extractor and linker, plus one hostile article whose title, outlet,
speaker and place hold markup and terminal escapes, stored as hand-made
records (no extractor names a speaker "<script>").  Built once per session on
a SQLite file and, when the server is there, copied into a fresh PostgreSQL schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from counterclaim.records import Actor, Article, Claim, Event, Extraction, Fatalities, Place, Quantity, Span
from pgschema import fresh_schema

PG = "postgresql://postgres@127.0.0.1:5432/test"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07 [blink]x[/blink] [/x] [link=http://e.example]y[/link]"

ARTICLES = [
    ("Frontier Daily", "2026-03-02", "Strikes in Kandahār",
     "Afghan officials said Pakistani airstrikes killed 12 civilians in Kandahār on Sunday. Provincial spokesman "
     "Qari Naseem Wardak said the strikes hit homes near the city."),
    ("Capital Monitor", "2026-03-02", "Army denies civilian deaths",
     "Pakistan's army denied that its airstrikes killed civilians in Kandahar on Sunday. Army spokesman "
     "Brigadier Kamran Sadiq said 30 militants were killed in the strikes."),
    ("Levant Wire", "2026-03-03", "Shelling in Deir ez-Zor",
     "The Syrian Observatory for Human Rights said government shelling killed five people in Deir ez-Zor on "
     "Monday. State media denied that the army had shelled the town."),
]


def hostile_extraction() -> Extraction:
    """An article whose every user-visible field is an attack: markup, handlers, terminal escapes.

    Two speakers of two sides (one asserts, one denies), so every view that
    shows sides shows the attack in each column.
    """
    text = f"{SCRIPT} said {IMG} 7 soldiers were killed in {IMG}. {ESCAPES} {IMG} denied {SCRIPT} it."
    article = Article(id=Article.make_id(text), text=text, title=f"{SCRIPT} {IMG} {ESCAPES}", source=f"{IMG}{ESCAPES}",
                      published=date(2026, 3, 4), language="en", url=f"javascript:alert(1)//{IMG}", origin="test")

    def span(fragment: str) -> Span:
        start = text.index(fragment)
        return Span(start, start + len(fragment), fragment)

    content = span(f"{IMG} 7 soldiers were killed in {IMG}")
    place = Place(span=span(IMG), name=IMG + ESCAPES, country="AF", lat=31.6, lon=65.7, admin1=SCRIPT)
    event_id = Event.make_id(article.id, content, "Armed clash", place.name)
    claim = Claim(id=Claim.make_id(article.id, content), article_id=article.id, span=content,
                  cue=span("said"), speaker=Actor(name=SCRIPT + ESCAPES, party="PAK", role=IMG),
                  quantities=[Quantity(span=span("7 soldiers"), low=7, high=7, what="killed")],
                  sentence=span(text.split(". ")[0]), event_ids=[event_id])
    denied = span(f"{SCRIPT} it")
    denial = Claim(id=Claim.make_id(article.id, denied), article_id=article.id, span=denied,
                   cue=span("denied"), speaker=Actor(name=IMG + ESCAPES, party="AFG", role=SCRIPT), act="deny",
                   sentence=span(f"{IMG} denied {SCRIPT} it."), event_ids=[event_id])
    event = Event(id=event_id, article_id=article.id, type="Battles", sub_type="Armed clash", span=content,
                  actor1=Actor(name=SCRIPT, party="PAK"), actor2=Actor(name=IMG, party="AFG"), place=place,
                  date="2026-03-04", date_precision="day", fatalities=Fatalities(7, 7, 7, IMG),
                  status="claimed", claim_ids=[claim.id, denial.id])
    return Extraction(article=article, claims=[claim, denial], events=[event], places=[place], extractor="test")


def dispute_the_hostile_event(ledger) -> None:
    """Show the hostile event in every cross-article view: the linker calls a lone report
    single-source; here it is disputed across two outlets, with a reason that is an attack."""
    cluster = ledger.store.event_cluster(hostile_extraction().events[0].id)
    cluster.status, cluster.status_reason = "disputed", f"{IMG} denies it {ESCAPES} {SCRIPT}"
    cluster.n_outlets, cluster.outlets = 2, [IMG + ESCAPES, SCRIPT]
    ledger.store.save_clusters([cluster])


@pytest.fixture(scope="session")
def sample_extractions():
    from counterclaim.ingest.meta import Defaults, build
    from counterclaim.nlp.extract import extract

    found = []
    for source, day, title, text in ARTICLES:
        (article,) = [a for a in build(text, "test", Defaults(), title=title, source=source, published=day)
                      if isinstance(a, Article)]
        found.append(extract(article))
    return found + [hostile_extraction()]


def fill(url, extractions) -> None:
    from counterclaim.api.ledger import Ledger

    with Ledger(url) as ledger:
        for extraction in extractions:
            ledger.store.save(extraction)
        ledger.link()
        dispute_the_hostile_event(ledger)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, sample_extractions):
    """A SQLite file holding the sample ledger (tests that write to it use their own copy)."""
    path = tmp_path_factory.mktemp("sample") / "ledger.sqlite"
    fill(path, sample_extractions)
    return path


def copy_ledger(source, target) -> None:
    """Every row of one ledger into another, empty one (both migrated by ``Store.open``)."""
    from sqlalchemy import insert, select

    from counterclaim.store import Store
    from counterclaim.store.schema import metadata

    with Store.open(source) as src, Store.open(target) as dst, src._engine.connect() as read, dst._write() as write:
        for table in metadata.sorted_tables:
            rows = [dict(row) for row in read.execute(select(table)).mappings()]
            if rows:
                write.execute(insert(table), rows)


@contextmanager
def fresh_pg_schema(prefix: str) -> Iterator[str]:
    """The URL of a new, empty schema on the PostgreSQL server (by the README's URL form),
    dropped afterwards; skips the test when the server is not there (``pgschema``)."""
    with fresh_schema(PG, prefix) as url:
        yield url


@pytest.fixture(scope="session")
def sample_pg(sample_db):
    """The same ledger in a fresh PostgreSQL schema, by the README's URL form; dropped at the end.

    Copied row by row from the SQLite sample rather than extracted and linked
    again: the same records on both backends, for half the setup.  Writing
    through the API on PostgreSQL (ingest, review) is tested on this copy.
    """
    with fresh_pg_schema("cc_api") as url:
        copy_ledger(sample_db, url)
        yield url
