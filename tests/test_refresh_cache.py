"""Cluster refresh reads each member's records once (``link.record_cache``), and never a stale one.

The stories are written for this test (fiction at a real place): one market
shelling told by several outlets on one day, each with a denial, so event and
claim clusters grow over several linking batches.
"""

from __future__ import annotations

import dataclasses

from counterclaim.api.ledger import Ledger
from counterclaim.link import embed
from counterclaim.link.linker import Linker

STORY = """\
---
title: Shells hit the market in Mwanza
date: 2026-05-11
source: {source}
---

MWANZA, May 11 - Shells hit the central market in Mwanza on Sunday, killing {n} traders, {who} said.

The Lake Brigade denied firing at the town and said its fighters were {km} kilometres away.
"""

OUTLETS = [("Lake Wire", "the regional police commander"), ("Mwanza Daily", "a hospital official"),
           ("Victoria Post", "the town's mayor"), ("Shore Radio", "residents"), ("Gulf Courier", "a local official")]


def _stories(folder):
    paths = []
    for i, (source, who) in enumerate(OUTLETS):
        path = folder / f"story{i}.md"
        path.write_text(STORY.format(source=source, who=who, n=6 + i % 2, km=10 + i), encoding="utf-8")
        paths.append(path)
    return paths


def _clusters(ledger):
    """Every cluster's aggregates, without the time it was written."""
    def plain(cluster):
        return {k: v for k, v in cluster.to_dict().items() if k != "updated_at"}

    return (sorted((plain(c) for c in ledger.event_clusters(limit=None)), key=lambda c: c["id"]),
            sorted((plain(c) for c in ledger.claim_clusters(limit=None)), key=lambda c: c["id"]))


def test_clusters_refreshed_batch_by_batch_equal_clusters_computed_at_once(tmp_path):
    paths = _stories(tmp_path)
    with Ledger(tmp_path / "ledger.sqlite", link=False) as ledger:
        ledger.ingest(paths)
        ids = ledger.store.unlinked_article_ids()
        linker = Linker(ledger.store, embedder=embed.TokenOverlap())
        for article_id in ids:  # one batch, and one refresh, per article
            linker.link([article_id])
        assert max(c.n_reports for c in ledger.event_clusters(limit=None)) >= 3
        kept = linker._records
        assert kept.events.reused and kept.claims.reused  # later refreshes did not read earlier members again
        assert kept.events.read == len({m.record_id for c in ledger.event_clusters(limit=None) for m in c.members})
        step_by_step = _clusters(ledger)
        # A linker that never saw them recomputes every cluster from the store.
        ledger.store.save_clusters([dataclasses.replace(c, status="stale")
                                    for c in ledger.store.event_clusters(members=False, limit=None)],
                                   [dataclasses.replace(c, status="stale")
                                    for c in ledger.store.claim_clusters(members=False, limit=None)])
        assert Linker(ledger.store, embedder=embed.TokenOverlap()).refresh()
        assert _clusters(ledger) == step_by_step


def test_a_record_extracted_again_is_read_again(tmp_path):
    paths = _stories(tmp_path)
    with Ledger(tmp_path / "ledger.sqlite", link=False) as ledger:
        ledger.ingest(paths)
        ids = ledger.store.unlinked_article_ids()
        linker = Linker(ledger.store, embedder=embed.TokenOverlap())
        linker.link(ids[:3])
        first = ledger.store.extraction(ids[0])
        assert first is not None and first.events
        event = first.events[0]
        assert event.fatalities is not None
        # The same article extracted again with another toll (a newer extractor): its records change
        # under the same ids, and the refresh that follows must use the new ones.
        changed = dataclasses.replace(event, fatalities=dataclasses.replace(event.fatalities, low=60, high=60))
        ledger.store.save(dataclasses.replace(first, events=[changed, *first.events[1:]]))
        linker.link([ids[0]])
        cluster = next(c for c in ledger.event_clusters(limit=None) if event.id in {m.record_id for m in c.members})
        assert cluster.fatalities is not None and cluster.fatalities.high == 60


def test_the_memory_of_records_is_bounded_and_checks_stamps():
    from types import SimpleNamespace

    from counterclaim.link.record_cache import _Kept

    calls: list[list[str]] = []

    def read(ids):
        calls.append(list(ids))
        return [SimpleNamespace(id=i, article_id=i.split(":")[0]) for i in ids]

    kept = _Kept(read, limit=2)
    stamps = {"a": 1, "b": 1, "c": 1}
    kept.get(["a:1", "b:1"], stamps)
    kept.get(["a:1", "b:1"], stamps)
    assert calls == [["a:1", "b:1"]]  # the second time from memory
    kept.get(["c:1"], stamps)  # over the limit: the least recently used goes
    assert len(kept._kept) == 2
    kept.get(["a:1"], stamps)
    assert calls[-1] == ["a:1"]
    kept.get(["c:1"], {**stamps, "c": 2})  # its article extracted again: read again
    assert calls[-1] == ["c:1"]
    kept.get(["c:1"], {})  # no extraction stamp at all: read again, never trusted
    assert calls[-1] == ["c:1"]


def _memberships(ledger):
    return (sorted((m.record_id, c.id) for c in ledger.event_clusters(limit=None) for m in c.members),
            sorted((m.record_id, c.id) for c in ledger.claim_clusters(limit=None) for m in c.members))


def test_stored_claims_are_read_once_across_batches_and_link_as_in_one_batch(tmp_path, monkeypatch):
    """The stored claims a new claim is compared with come from the record cache after their first
    read (``Linker._stored_claims``), and the event clusters of their events are read once a batch
    (``Linker._event_clusters``): linking batch by batch gives the clusters of one batch."""
    paths = _stories(tmp_path)
    with Ledger(tmp_path / "one.sqlite", link=False) as ledger:
        ledger.ingest(paths)
        Linker(ledger.store, embedder=embed.TokenOverlap()).link(ledger.store.unlinked_article_ids())
        at_once = _memberships(ledger)
    with Ledger(tmp_path / "many.sqlite", link=False) as ledger:
        ledger.ingest(paths)
        read: list[str] = []
        claims_by_id = ledger.store.claims_by_id

        def counted(ids):
            found = claims_by_id(ids)
            read.extend(c.id for c in found)
            return found

        monkeypatch.setattr(ledger.store, "claims_by_id", counted)
        linker = Linker(ledger.store, embedder=embed.TokenOverlap())
        for article_id in ledger.store.unlinked_article_ids():
            linker.link([article_id])
        assert read and len(read) == len(set(read))  # no claim read twice
        assert _memberships(ledger) == at_once


def test_large_clusters_wait_between_batches_and_settle_to_the_same_ledger(tmp_path, monkeypatch):
    """``Linker.refresh(settle=False)`` leaves a large event cluster stale until it has grown by
    a share of its size; ``refresh()`` at the end gives the clusters of a refresh after every batch."""
    from counterclaim.link import linker as linker_module

    paths = _stories(tmp_path)
    with Ledger(tmp_path / "every.sqlite", link=False) as ledger:
        ledger.ingest(paths)
        linker = Linker(ledger.store, embedder=embed.TokenOverlap())
        for article_id in ledger.store.unlinked_article_ids():
            linker.link([article_id])
        every_batch = _clusters(ledger)
    monkeypatch.setattr(linker_module, "REFRESH_ALWAYS", 1)  # a cluster of one counts as large here
    monkeypatch.setattr(linker_module, "REFRESH_GROWTH", 1)  # recomputed when it has doubled
    with Ledger(tmp_path / "waits.sqlite", link=False) as ledger:
        ledger.ingest(paths)
        linker = Linker(ledger.store, embedder=embed.TokenOverlap())
        waited = 0
        for article_id in ledger.store.unlinked_article_ids():
            extraction = ledger.store.extraction(article_id)
            assert extraction is not None
            linker.link_extractions([extraction], settle=False)
            waited += bool(ledger.store.stale_cluster_ids()[0])
        assert waited  # the grown cluster waited, said stale
        assert linker.refresh()
        assert not any(ledger.store.stale_cluster_ids())
        assert _clusters(ledger) == every_batch


def test_ingest_ends_with_no_stale_cluster(tmp_path, monkeypatch):
    from counterclaim.link import linker as linker_module

    monkeypatch.setattr(linker_module, "REFRESH_ALWAYS", 1)
    monkeypatch.setattr(linker_module, "REFRESH_GROWTH", 1)
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        ledger._linker = Linker(ledger.store, embedder=embed.TokenOverlap())
        for path in _stories(tmp_path):  # one ingest per story: each ends settled
            ledger.ingest([path])
            assert not any(ledger.store.stale_cluster_ids())
        assert max(c.n_reports for c in ledger.event_clusters(limit=None)) >= 3


def test_claim_cluster_events_are_the_claim_clusters_ids_and_events(tmp_path):
    """``Store.claim_cluster_events`` (what ``refresh`` reads instead of whole claim clusters)
    answers as ``claim_clusters(members=False)`` does, by cluster id and by event cluster."""
    paths = _stories(tmp_path)
    with Ledger(tmp_path / "ledger.sqlite", link=False) as ledger:
        ledger.ingest(paths)
        Linker(ledger.store, embedder=embed.TokenOverlap()).link_pending()
        store = ledger.store
        every = {c.id: c.event_cluster_id for c in store.claim_clusters(members=False)}
        assert every and any(every.values())
        ids = sorted(every)[:3] + ["no such cluster"]
        assert store.claim_cluster_events(ids=ids) == {i: every[i] for i in ids if i in every}
        events = sorted({e for e in every.values() if e}) + ["no such event"]
        assert store.claim_cluster_events(event_cluster_ids=events) == {i: e for i, e in every.items() if e}
        assert store.claim_cluster_events(ids=[]) == {}
