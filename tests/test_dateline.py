"""The article's own date line wins over metadata, and the record says which it used."""

from __future__ import annotations

from datetime import date

import pytest

from counterclaim.ingest import read_inputs
from counterclaim.ingest.dateline import own_date
from counterclaim.records import Article
from counterclaim.store.store import Store


@pytest.mark.parametrize("text, day", [
    ("KABUL, March 3, 2026 (Wire) -- Militants attacked a checkpoint overnight.", date(2026, 3, 3)),
    ("   QUITO, 14 FEB 91 (RADIO NACIONAL) -- [TEXT] THE ARMY SAID TODAY ...", date(1991, 2, 14)),
    ("Published June 9 2018 Floods cut the main road to the port.", date(2018, 6, 9)),
    ("Last updated at Jun 092018 MOGADISHU A car bomb exploded.", date(2018, 6, 9)),
    ("Thursday 7 June 2018 11:40 Council condemns the shelling.", date(2018, 6, 7)),
    ("this story is from june 9, 2018\n\nlahore: police said ...", date(2018, 6, 9)),
    ("Floods and roads Headline words 0915 09.06.2018 Floods cut the main road.", date(2018, 6, 9)),
])
def test_own_date_lines(text, day):
    assert own_date(text) == day


@pytest.mark.parametrize("text", [
    "On March 3, 2026 militants attacked a checkpoint, officials said.",  # an event's date, in the lead
    "Militants attacked a checkpoint. Published reports on 3 March 2026 said ...",
    "KABUL (Wire) - Militants attacked a checkpoint on Monday.",  # a dateline without a date
])
def test_no_date_line(text):
    assert own_date(text) is None


def test_the_date_line_wins_over_the_metadata_and_says_so(tmp_path):
    (tmp_path / "a.txt").write_text("date: 2026-03-09\n\nKABUL, March 3, 2026 (Wire) -- Militants attacked a post.")
    (tmp_path / "b.txt").write_text("date: 2026-03-09\n\nMilitants attacked a post near the border on Monday.")
    (tmp_path / "c.txt").write_text("Militants attacked a post near the border on Monday.")
    got = {a.origin.rsplit("/", 1)[-1]: a for a in read_inputs([tmp_path], published="2026-03-10")
           if isinstance(a, Article)}
    assert (got["a.txt"].published, got["a.txt"].published_source) == (date(2026, 3, 3), "dateline")
    assert (got["b.txt"].published, got["b.txt"].published_source) == (date(2026, 3, 9), "metadata")
    assert (got["c.txt"].published, got["c.txt"].published_source) == (date(2026, 3, 10), "option")


def test_the_store_keeps_where_the_day_came_from(tmp_path):
    article = Article.create("KABUL, March 3, 2026 (Wire) -- Militants attacked a post.",
                             published=date(2026, 3, 3), published_source="dateline")
    store = Store.open(tmp_path / "ledger.sqlite")
    try:
        store.add_article(article)
        assert store.article(article.id).published_source == "dateline"
    finally:
        store.close()
