"""The copy-detection index: MinHash band keys of linked articles, looked up by key.

``link.dedup`` computes the keys; the store keeps one row per (article, key)
with an index on the key, so "which linked articles share at least two keys
with this text?" is a handful of index look-ups whatever the ledger's size,
where comparing a fingerprint with every stored one grew with it.  The keys
are written by ``Store.save_link`` in the article's linking transaction and
deleted with its links (``schema.LINK_TABLES``).
"""

from __future__ import annotations

import functools
from typing import Iterable, Optional, Sequence

from sqlalchemy import Select, bindparam, func, insert, select

from .database import Connected
from .schema import article_bands, articles, linked_articles


class FingerprintIndex(Connected):
    """``Store`` methods for the copy index (a mixin: it uses the store's connections)."""

    def copy_candidates(self, keys: Sequence[int], *, besides: str, min_hits: int,
                        limit: Optional[int] = None) -> list[tuple[str, Optional[int]]]:
        """(article id, SimHash) of the linked articles sharing at least ``min_hits`` of ``keys``,
        other than ``besides``, in linking order (the first linked is the original)."""
        if not keys:
            return []
        values = {"keys": sorted(set(keys)), "besides": besides, "min_hits": min_hits}
        with self._read() as conn:
            return [(row[0], row[1]) for row in conn.execute(_copy_candidates_query(limit), values)]

    def copies_of(self, original: str, *, limit: int = 100) -> list[str]:
        """The articles found to copy ``original`` (the first linked)."""
        query = (select(linked_articles.c.article_id).where(linked_articles.c.copy_of == original)
                 .order_by(linked_articles.c.linked_at, linked_articles.c.article_id).limit(limit))
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    def linked_without_bands(self, *, limit: int = 500) -> list[tuple[str, str]]:
        """(id, text) of linked articles with no band keys: linked before the index existed."""
        has = select(article_bands.c.article_id).where(article_bands.c.article_id == articles.c.id).exists()
        query = (select(articles.c.id, articles.c.text)
                 .join(linked_articles, linked_articles.c.article_id == articles.c.id)
                 .where(~has).order_by(linked_articles.c.linked_at, articles.c.id).limit(limit))
        with self._read() as conn:
            return [(row[0], row[1]) for row in conn.execute(query)]

    def save_bands(self, keys_by_article: dict[str, Iterable[int]]) -> None:
        """Index articles already linked (``linked_without_bands``)."""
        rows = [{"article_id": a, "key": k} for a, keys in keys_by_article.items() for k in sorted(set(keys))]
        if rows:
            with self._write() as conn:
                conn.execute(insert(article_bands), rows)

    @staticmethod
    def _put_bands(conn, article_id: str, keys: Iterable[int]) -> None:
        rows = [{"article_id": article_id, "key": k} for k in sorted(set(keys))]
        if rows:
            conn.execute(_INSERT_BANDS, rows)


@functools.lru_cache(maxsize=None)
def _copy_candidates_query(limit: Optional[int]) -> Select:
    """``copy_candidates``'s query, built once (it runs for every article linked)."""
    b = article_bands
    hits = (select(b.c.article_id, func.count().label("hits"))
            .where(b.c.key.in_(bindparam("keys", expanding=True)), b.c.article_id != bindparam("besides"))
            .group_by(b.c.article_id).having(func.count() >= bindparam("min_hits")).subquery())
    query = (select(hits.c.article_id, articles.c.simhash)
             .join(articles, articles.c.id == hits.c.article_id)
             .join(linked_articles, linked_articles.c.article_id == hits.c.article_id)
             .order_by(linked_articles.c.linked_at, hits.c.article_id))
    return query if limit is None else query.limit(limit)


_INSERT_BANDS = insert(article_bands)  # built once: ``save_link`` runs it for every article
