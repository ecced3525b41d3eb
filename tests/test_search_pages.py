"""Pages and totals of full-text search read only what they need and still give what sorting
every match would give, on SQLite (FTS5 keyed by day) and PostgreSQL: any page, with other
filters, with reviewed records, and totals capped where asked.

The ledger is made of small articles written here (no extraction: records by hand), many
on the same days, so a page boundary falls inside a day, and some undated.
"""

from __future__ import annotations

import dataclasses
from contextlib import nullcontext
from datetime import date, timedelta

import pytest

from counterclaim.records import Actor, Article, Claim, Extraction, Span
from counterclaim.store import Store

SENTENCES = [("AFG", "Officials said shelling killed four people near the market."),
             ("PAK", "The army said no one was killed in the raid on the depot."),
             ("AFG", "Residents said the bridge was closed after the storm.")]


def article(n: int) -> Extraction:
    """Article ``n``: three claims (two say "killed"), published on one of five days or undated."""
    text = " ".join(s for _, s in SENTENCES) + f" Report {n}."
    published = None if n % 7 == 0 else date(2026, 3, 1) + timedelta(days=n % 5)
    art = Article(id=Article.make_id(text), text=text, title=f"Report {n}", source="Test Wire",
                  published=published, language="en")
    claims, start = [], 0
    for party, sentence in SENTENCES:
        span = Span(start, start + len(sentence), sentence)
        claims.append(Claim(id=Claim.make_id(art.id, span), article_id=art.id, span=span,
                            speaker=Actor(name=f"{party} spokesman", party=party)))
        start += len(sentence) + 1
    return Extraction(article=art, claims=claims, extractor="test")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path_factory):
    from apiweb_fixtures import fresh_pg_schema

    with (nullcontext(tmp_path_factory.mktemp("search") / "pages.sqlite") if request.param == "sqlite"
          else fresh_pg_schema("cc_search")) as url:
        opened = Store.open(url)
        for n in range(40):
            opened.save(article(n))
        yield opened
        opened.close()


def ids(records) -> list[str]:
    return [r.id for r in records]


def newest_first(extractions) -> list[str]:
    """Claim ids in list order, computed here: published day descending (undated last), article, position."""
    rows = [(x.article.published, c) for x in extractions for c in x.claims]
    rows.sort(key=lambda r: (r[0] is None, -r[0].toordinal() if r[0] else 0, r[1].article_id, r[1].span.start))
    return [c.id for _, c in rows]


def test_every_page_is_a_slice_of_all_matches(store):
    every = ids(store.claims(search="killed"))  # no window: every match, sorted
    killed = [dataclasses.replace(x, claims=x.claims[:2]) for x in map(article, range(40))]  # "killed" is in two
    assert every == newest_first(killed)
    for limit, offset in ((7, 0), (7, 7), (13, 30), (50, 60), (10, 75), (10, 80)):
        page = ids(store.claims(search="killed", limit=limit, offset=offset))
        assert page == every[offset:offset + limit], (limit, offset)
    articles = ids(store.articles(search="killed"))
    assert ids(store.articles(search="killed", limit=6, offset=9)) == articles[9:15]


def test_pages_with_other_filters_and_totals(store):
    every = ids(store.claims(search="killed", party="PAK"))
    assert len(every) == 40
    assert ids(store.claims(search="killed", party="PAK", limit=9, offset=18)) == every[18:27]
    assert store.count_claims(search="killed", party="PAK") == (40, True)
    assert store.count_claims(search="killed", cap=25) == (25, False)
    assert store.count_claims(search="killed", cap=80) == (80, True)
    assert store.count_articles(search="bridge", cap=39) == (39, False)
    rows, total = store.page("claims", limit=5, offset=35, search="killed", party="PAK")
    assert ids(rows) == every[35:40] and total == (40, True)


def test_reviewed_records_are_searched_as_reviewed(store):
    pak = ids(store.claims(search="killed", party="PAK"))
    moved, rejected = pak[3], pak[4]
    store.review("claim", moved, "correct", field="speaker_party", value="AFG", reviewer="test")
    store.review("claim", rejected, "reject", reviewer="test")
    try:
        now = ids(store.claims(search="killed", party="PAK"))
        assert now == [i for i in pak if i not in (moved, rejected)]
        assert ids(store.claims(search="killed", party="PAK", limit=5, offset=2)) == now[2:7]
        afg = ids(store.claims(search="killed", party="AFG"))
        assert moved in afg and ids(store.claims(search="killed", party="AFG", limit=8, offset=8)) == afg[8:16]
        assert store.count_claims(search="killed") == (79, True)
    finally:
        store.review("claim", moved, "correct", field="speaker_party", value="PAK", reviewer="test")
        store.review("claim", rejected, "confirm", reviewer="test")
