"""Copy detection through the band index: a republished article is found among many.

The ledger here holds hundreds of articles of one vocabulary (so their
fingerprints are not trivially apart) stored with empty extractions: copy
detection reads texts and the index only, so no model is needed.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from counterclaim.link import dedup
from counterclaim.link.linker import Linker
from counterclaim.records import Article, Extraction
from counterclaim.store import Store

WORDS = ("army rebels town village shelling strike killed wounded civilians said ministry spokesman "
         "monitor fighters province market hospital convoy checkpoint ceasefire talks border troops "
         "police district morning night week attack airstrike mortar rocket bomb forces group local "
         "residents officials reported claimed denied announced statement agency news media witness").split()


def _story(rng: random.Random, words: int = 180) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + ".")
    return " ".join(sentences)


def _article(text: str, day: int, source: str) -> Article:
    return Article.create(text, published=date(2026, 3, 1 + day % 28), source=source, language="en")


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    rng = random.Random(7)
    store = Store.open(tmp_path_factory.mktemp("copies") / "l.sqlite")
    stories = [_story(rng) for _ in range(300)]
    articles = [_article(t, i, f"Outlet {i % 9}") for i, t in enumerate(stories)]
    for a in articles:
        store.save(Extraction(article=a))
    linker = Linker(store, embeddings="tokens")
    linker.link_extractions([Extraction(article=a) for a in articles])
    yield store, linker, articles
    store.close()


def test_a_republished_article_is_found_among_many(many):
    store, linker, articles = many
    original = articles[137]
    paragraphs = original.text.split(". ")
    # New headline and dateline, the last fifth cut: what outlets do to wire copy.
    republished = "NORTH CITY (Agency) - " + ". ".join(paragraphs[: int(len(paragraphs) * 0.8)]) + "."
    copy = _article(republished, 3, "Other Outlet")
    store.save(Extraction(article=copy))
    report = linker.link_extractions([Extraction(article=copy)])
    assert report.copies == [(copy.id, original.id, "near")]
    assert store.copies()[-1][:3] == (copy.id, original.id, "near")


def test_no_copy_among_stories_of_the_same_vocabulary(many):
    store, linker, _ = many
    fresh = _article(_story(random.Random(99)), 5, "Fresh Outlet")
    store.save(Extraction(article=fresh))
    assert linker.link_extractions([Extraction(article=fresh)]).copies == []


def test_articles_linked_before_the_index_existed_are_indexed_on_first_use(tmp_path):
    store = Store.open(tmp_path / "old.sqlite")
    original = _article(_story(random.Random(3)), 1, "Old Outlet")
    store.save(Extraction(article=original))
    store.save_link(original.id, linker="old", simhash=dedup.simhash(original.text))  # no band keys
    assert store.linked_without_bands() == [(original.id, original.text)]
    copy = _article(original.text + " Updated at noon.", 2, "New Outlet")
    store.save(Extraction(article=copy))
    report = Linker(store, embeddings="tokens").link_extractions([Extraction(article=copy)])
    assert report.copies == [(copy.id, original.id, "near")]
    assert store.linked_without_bands() == []
    store.close()


def test_band_keys_are_stable_and_shared_with_a_near_copy():
    text = _story(random.Random(11))
    keys = dedup.band_keys(text)
    assert keys == dedup.band_keys(text) and len(keys) == dedup.BANDS
    assert len(set(keys) & set(dedup.band_keys(text.replace(".", "!", 2)))) >= dedup.MIN_BAND_HITS
