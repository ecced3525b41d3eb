"""Extraction on a real Dask LocalCluster (2 worker processes) gives the ledger a single process gives.

One cluster for the session (starting one costs seconds); a few articles (five
of the demo's), read once so both ledgers get identical records.
"""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from counterclaim.api.export import export
from counterclaim.api.ledger import Ledger
from counterclaim.ingest import demo_dir, read_inputs
from counterclaim.records import Article


@pytest.fixture(scope="session")
def client():
    from counterclaim.api import distributed

    with distributed.open_client(workers=2) as client:
        yield client


@pytest.fixture(autouse=True)
def small_tasks(monkeypatch):
    """Two articles a task, so a handful of articles keeps both workers busy."""
    from counterclaim.api import distributed

    monkeypatch.setattr(distributed, "BATCH", 2)


@pytest.fixture(scope="module")
def demo_articles():
    return [a for a in read_inputs([demo_dir()]) if isinstance(a, Article)][:5]


def _exports(ledger: Ledger) -> bytes:
    out = io.StringIO()
    for kind in ("events", "claims"):
        export(ledger.store, "jsonl", out, kind=kind)
    for fmt in ("csv", "geojson"):
        export(ledger.store, fmt, out, kind="events")
    clusters = sorted((c.id, c.status, c.n_reports, tuple(m.record_id for m in c.members))
                      for c in ledger.event_clusters(limit=None))
    return (out.getvalue() + repr(clusters)).encode("utf-8")


def test_two_workers_store_what_one_process_stores_byte_for_byte(tmp_path, client, demo_articles):
    assert len(client.scheduler_info()["workers"]) == 2
    with Ledger(tmp_path / "one.sqlite") as ledger:
        alone = ledger.ingest_items(demo_articles)
        expected = _exports(ledger)
    seen = []
    with Ledger(tmp_path / "dask.sqlite") as ledger:
        spread = ledger.ingest_items(demo_articles, client=client, on_article=lambda what, i: seen.append(what))
        got = _exports(ledger)
    assert spread.stored == alone.stored and len(spread.stored) == len(demo_articles) == 5
    assert (spread.claims, spread.events, spread.linked) == (alone.claims, alone.events, alone.linked)
    assert seen.count("stored") == 5 and seen.count("read") == 5
    assert got == expected


def test_a_failing_article_is_reported_and_the_rest_stored_once(tmp_path, client, demo_articles):
    broken = replace(demo_articles[0], id="0" * 16, text=None, origin="broken.jsonl:1")  # cannot be parsed
    batch = [broken, *demo_articles[:2], demo_articles[1]]  # the same article twice: stored once
    with Ledger(tmp_path / "l.sqlite", link=False) as ledger:
        report = ledger.ingest_items(batch, client=client)
        assert report.stored == [a.id for a in demo_articles[:2]]
        assert [p.origin for p in report.problems] == ["broken.jsonl:1"]
        assert "extraction failed" in report.problems[0].reason and report.failed
        assert report.duplicates == [(demo_articles[1].origin, demo_articles[1].id)]
        again = ledger.ingest_items(demo_articles[:2], client=client)
        assert again.stored == [] and len(again.duplicates) == 2
        assert ledger.store.stats()["extracted"] == 2


def test_extraction_processes_store_what_one_process_stores_byte_for_byte(tmp_path, demo_articles, monkeypatch):
    """``counterclaim ingest`` on two cores: two spawned children extract, two articles a chunk,
    while this process stores and links (``api.distributed.extract_beside``); the ledger is the
    in-process one, record for record, whichever child finished first."""
    from counterclaim.api import distributed

    monkeypatch.setenv(distributed.ENV, "2")
    with Ledger(tmp_path / "one.sqlite") as ledger:
        alone = ledger.ingest_items(demo_articles, extract_process=False)
        expected = _exports(ledger)
    seen = []
    with Ledger(tmp_path / "two.sqlite") as ledger:
        beside = ledger.ingest_items(demo_articles, extract_process=True,
                                     on_article=lambda what, i: seen.append(what))
        got = _exports(ledger)
    assert beside.stored == alone.stored and len(beside.stored) == 5
    assert (beside.claims, beside.events, beside.linked) == (alone.claims, alone.events, alone.linked)
    assert seen.count("stored") == 5 and seen.count("read") == 5
    assert got == expected
    assert len(distributed.beside_pids()) == 2


def test_an_extraction_process_reports_a_failing_article_and_stores_the_rest_once(tmp_path, demo_articles):
    broken = replace(demo_articles[0], id="0" * 16, text=None, origin="broken.jsonl:1")  # cannot be parsed
    batch = [broken, *demo_articles[:2], demo_articles[1]]
    with Ledger(tmp_path / "l.sqlite", link=False) as ledger:
        report = ledger.ingest_items(batch, extract_process=True)
        assert report.stored == [a.id for a in demo_articles[:2]]
        assert [p.origin for p in report.problems] == ["broken.jsonl:1"]
        assert "extraction failed" in report.problems[0].reason
        assert report.duplicates == [(demo_articles[1].origin, demo_articles[1].id)]


def test_small_jobs_and_one_core_stay_in_process(monkeypatch):
    from counterclaim.api import distributed

    monkeypatch.delenv(distributed.ENV, raising=False)
    assert not distributed.beside_wanted(distributed.SMALL_JOB - 1)
    monkeypatch.setattr(distributed.os, "sched_getaffinity", lambda pid: {0})
    assert not distributed.beside_wanted(None)
    monkeypatch.setattr(distributed.os, "sched_getaffinity", lambda pid: {0, 1})
    assert distributed.beside_wanted(None) and distributed.beside_wanted(distributed.SMALL_JOB)
    monkeypatch.setenv(distributed.ENV, "0")
    assert not distributed.beside_wanted(None)
    monkeypatch.setenv(distributed.ENV, "1")
    assert distributed.beside_wanted(1)


def test_one_extraction_child_a_core_up_to_a_few(monkeypatch):
    """A child a core keeps every core busy when linking is cheaper than extraction; past
    ``MAX_CHILDREN`` the one process that stores and links is the bound, so no more are started."""
    from counterclaim.api import distributed

    monkeypatch.delenv(distributed.ENV, raising=False)
    monkeypatch.setattr(distributed.os, "sched_getaffinity", lambda pid: {0, 1})
    assert distributed.children_wanted(None) == 2
    monkeypatch.setattr(distributed.os, "sched_getaffinity", lambda pid: set(range(16)))
    assert distributed.children_wanted(None) == distributed.MAX_CHILDREN
    assert distributed.children_wanted(distributed.SMALL_JOB - 1) == 0
    monkeypatch.setenv(distributed.ENV, "4")
    assert distributed.children_wanted(1) == 4
    monkeypatch.setenv(distributed.ENV, "many")  # not a number: the default
    assert distributed.children_wanted(None) == distributed.MAX_CHILDREN
