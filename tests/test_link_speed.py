"""Linking's cost controls: one torch thread, and a sentence embedded once however often it is repeated.

The articles are written for this test (fiction at a real place): a wire story
and an outlet's word-for-word reprint, linked in two separate batches.
"""

from __future__ import annotations

import numpy as np

from counterclaim.api.ledger import Ledger
from counterclaim.link import dedup, embed
from counterclaim.link.linker import RECENT_TEXTS, Linker

STORY = """\
---
title: Rockets hit a bus depot in Mwanza, police say
date: 2026-05-11
source: {source}
---

MWANZA, May 11 - Rockets struck a bus depot in Mwanza on Sunday, killing 6 drivers, the regional police commander said.

The Lake Brigade said in a statement that it had not fired on the town.
{extra}"""


class Counting(embed.TokenOverlap):
    """The token-overlap embedder, counting the sentences it is asked to embed."""

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return super().encode(texts)


def test_a_repeated_sentence_is_embedded_once_across_batches(tmp_path):
    for name, source, extra in (("wire.md", "Lake Wire", ""),
                                ("reprint.md", "Mwanza Daily", "\nSchools in the town stayed open on Monday.\n")):
        (tmp_path / name).write_text(STORY.format(source=source, extra=extra), encoding="utf-8")
    counting = Counting()
    with Ledger(tmp_path / "ledger.sqlite", link=False) as ledger:
        ledger.ingest([tmp_path / "wire.md", tmp_path / "reprint.md"])
        linker = Linker(ledger.store, embedder=counting)
        first, second = ledger.store.unlinked_article_ids()
        linker.link([first])
        once = list(counting.seen)
        assert once and len(once) == len(set(once))
        linker.link([second])  # the reprint's sentences are the wire story's
        assert counting.seen[:len(once)] == once and not set(counting.seen[len(once):]) & set(once)
        clusters = ledger.event_clusters()
        assert clusters and max(c.n_reports for c in clusters) == 2


def test_the_memory_of_sentences_is_bounded():
    linker = Linker(store=None, embedder=embed.TokenOverlap())
    texts = [f"sentence number {i}" for i in range(RECENT_TEXTS + 10)]
    vectors = linker._vectors(texts)
    assert len(linker._recent) == RECENT_TEXTS
    assert np.allclose(vectors[-1], embed.TokenOverlap().encode([texts[-1]])[0])


def test_the_model_runs_on_one_torch_thread_unless_told_otherwise(monkeypatch):
    import torch

    before = torch.get_num_threads()
    try:
        monkeypatch.delenv("COUNTERCLAIM_TORCH_THREADS", raising=False)
        embed._limit_threads()
        assert torch.get_num_threads() == embed.TORCH_THREADS == 1
        monkeypatch.setenv("COUNTERCLAIM_TORCH_THREADS", "2")
        embed._limit_threads()
        assert torch.get_num_threads() == 2
        monkeypatch.setenv("COUNTERCLAIM_TORCH_THREADS", "many")  # a bad value is no crash
        embed._limit_threads()
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_a_recently_linked_text_is_not_read_again_to_check_copies(tmp_path, monkeypatch):
    """The reprint's copy check compares it with the wire story through the shingles kept when the
    story was linked: nothing is read back from the store, and the verdict is the one from texts."""
    for name, source, extra in (("wire.md", "Lake Wire", ""),
                                ("reprint.md", "Mwanza Daily", "\nSchools in the town stayed open on Monday.\n")):
        (tmp_path / name).write_text(STORY.format(source=source, extra=extra), encoding="utf-8")
    with Ledger(tmp_path / "ledger.sqlite", link=False) as ledger:
        ledger.ingest([tmp_path / "wire.md", tmp_path / "reprint.md"])
        linker = Linker(ledger.store, embedder=embed.TokenOverlap())
        first, second = ledger.store.unlinked_article_ids()
        linker.link([first])
        read: list[str] = []
        real = ledger.store.articles_by_id
        monkeypatch.setattr(ledger.store, "articles_by_id", lambda ids: (read.extend(ids := list(ids)), real(ids))[1])
        done = linker.link([second])
        assert read == []
        assert len(done.copies) == 1 and done.copies[0][:2] == (second, first)
        texts = real([first, second])
        assert dedup.is_copy(texts[first].text, texts[second].text)[0] == done.copies[0][2]


def test_the_memory_of_shingles_is_bounded(monkeypatch):
    from counterclaim.link import linker as linking

    monkeypatch.setattr(linking, "RECENT_SHINGLES", 50)
    linker = Linker(store=None, embedder=embed.TokenOverlap())
    for i in range(20):
        linker._remember_shingles(str(i), dedup.Shingled.of(f"report number {i} of a day of many short reports"))
    assert linker._shingle_count <= 50 and "19" in linker._shingled and "0" not in linker._shingled
    assert linker._shingle_count == sum(len(s.found) for s in linker._shingled.values())
