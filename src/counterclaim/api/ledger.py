"""The Python API: the same verbs as the CLI, returning records.

    from counterclaim import Ledger

    with Ledger("sqlite:///ledger.sqlite") as ledger:
        report = ledger.ingest(["news/"])
        for claim in ledger.claims(party="AFG", act="deny"):
            print(claim.speaker.name, claim.span.text)

The CLI is a thin shell over this class, so both stay in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable, Iterator, Optional

from ..records import Article, Claim, Event, Extraction, InputProblem
from ..store import Store
from .background import BackgroundLinker


@dataclass
class IngestReport:
    """What an ingest run did, input by input: nothing is dropped silently."""

    stored: list[str] = field(default_factory=list)  # article ids newly extracted and stored
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (origin, id already stored)
    problems: list[InputProblem] = field(default_factory=list)
    claims: int = 0
    events: int = 0
    linked: int = 0  # articles linked across the ledger (issue 5), see ``Ledger.link``
    link_seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(p.fatal for p in self.problems)


class Ledger:
    """A store plus the pipeline that fills it."""

    def __init__(self, db: Any = None, store: Optional[Store] = None, *, link: bool = True):
        """``link``: link each ingested article across the ledger (events, claims, copies)."""
        self.store = store or Store.open(db)
        self._link = link
        self._linker = None

    @property
    def links(self) -> bool:
        """Whether this ledger links what it ingests."""
        return self._link

    @property
    def linker(self):
        """The cross-article linker of this ledger (created on first use: it loads a model)."""
        if self._linker is None:
            from ..link.linker import Linker

            self._linker = Linker(self.store)
        return self._linker

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- writing ---------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | os.PathLike],
        *,
        published: date | str | None = None,
        source: str | None = None,
        strict: bool = False,
        reprocess: bool = False,
        on_input: Optional[Callable[[str], None]] = None,
        on_problem: Optional[Callable[[InputProblem], None]] = None,
        batch_size: int = 16,
        client: Any = None,
        on_article: Optional[Callable[[str, str], None]] = None,
    ) -> IngestReport:
        """Read, extract and store articles; each article is one transaction.

        An article already stored (same text, hence same id) is not extracted
        again unless ``reprocess`` or its stored extraction came from another
        extractor version.  ``strict`` stops at the first fatal problem.
        ``client``: a ``dask.distributed.Client``; its workers extract
        (``api.distributed``) while this process stores and links, in input
        order, so the ledger is the same as without it.  ``on_article(what,
        id)`` follows each article: ``"read"``, then ``"stored"``,
        ``"duplicate"`` or ``"failed"``.
        """
        from ..ingest import read_inputs

        items = read_inputs(paths, published=published, source=source, progress=on_input)
        return self.ingest_items(items, strict=strict, reprocess=reprocess, on_problem=on_problem,
                                 batch_size=batch_size, client=client, on_article=on_article)

    def ingest_items(
        self,
        items: Iterable[Article | InputProblem],
        *,
        strict: bool = False,
        reprocess: bool = False,
        on_problem: Optional[Callable[[InputProblem], None]] = None,
        batch_size: int = 16,
        client: Any = None,
        on_article: Optional[Callable[[str, str], None]] = None,
    ) -> IngestReport:
        """``ingest`` for records already read (``counterclaim watch`` reads feeds itself)."""
        from ..nlp.extract import EXTRACTOR_VERSION, extract_many

        report = IngestReport()
        seen: set[str] = set()
        tell = on_article or (lambda what, article_id: None)

        def problem(item: InputProblem) -> None:
            report.problems.append(item)
            if on_problem:
                on_problem(item)

        def articles() -> Iterator[Article]:
            for item in items:
                if isinstance(item, InputProblem):
                    problem(item)
                    if strict and item.fatal:
                        return
                    continue
                if item.id in seen or (not reprocess and self.store.has_extraction(item.id, EXTRACTOR_VERSION)):
                    report.duplicates.append((item.origin or "?", item.id))
                    tell("duplicate", item.id)
                    continue
                seen.add(item.id)
                if item.language not in (None, "", "en", "und"):
                    problem(InputProblem(item.origin or "?", f"language '{item.language}': stored without extraction "
                                         "(the extractor reads English only)", fatal=False))
                tell("read", item.id)
                yield item

        if client is None:
            extractions = extract_many(articles(), batch_size=batch_size)
        else:
            from .distributed import extract_on

            def failed(article: Article, reason: str) -> None:
                problem(InputProblem(article.origin or article.id, f"extraction failed: {reason}"))
                tell("failed", article.id)

            extractions = extract_on(client, articles(), on_failure=failed)
        pending: list[Extraction] = []
        linker = (BackgroundLinker(lambda batch: self._link_stored(batch, report), threaded=not self.store.in_memory)
                  if self._link else None)
        try:
            for extraction in extractions:
                self.store.save(extraction)
                report.stored.append(extraction.article.id)
                report.claims += len(extraction.claims)
                report.events += len(extraction.events)
                tell("stored", extraction.article.id)
                pending.append(extraction)
                if linker and len(pending) >= batch_size:
                    linker.put(pending)
                    pending.clear()
            if linker and pending:
                linker.put(pending)
        finally:
            if linker:
                linker.close()  # everything stored is linked before this returns (or raises)
        return report

    def ingest_text(self, text: str, *, title: Optional[str] = None, source: Optional[str] = None,
                    published: date | str | None = None, url: Optional[str] = None,
                    origin: str = "api") -> IngestReport:
        """Extract, store and link one article given as text (the HTTP API's ingest)."""
        from ..ingest.meta import Defaults, build
        from ..nlp.extract import EXTRACTOR_VERSION, extract

        report = IngestReport()
        for item in build(text, origin, Defaults(), title=title, url=url, source=source, published=published):
            if isinstance(item, InputProblem):
                report.problems.append(item)
                continue
            if self.store.has_extraction(item.id, EXTRACTOR_VERSION):
                report.duplicates.append((origin, item.id))
                continue
            extraction = extract(item)
            self.store.save(extraction)
            report.stored.append(item.id)
            report.claims += len(extraction.claims)
            report.events += len(extraction.events)
            if self._link:
                self._link_stored([extraction], report)
        return report

    def _link_stored(self, batch: list[Extraction], report: IngestReport) -> None:
        """Link the articles just stored, a batch at a time (one embedding call per batch), from
        the extractions in hand; in the linking thread (``api.background``) beside extraction."""
        done = self.linker.link_extractions(batch)
        report.linked += len(done.linked)
        report.link_seconds += done.seconds

    def link(self, *, again: bool = False):
        """Link every stored article not linked yet (``again``: forget all links first)."""
        if again:
            self.store.unlink_all()
        return self.linker.link_pending()

    def event_clusters(self, **filters: Any) -> list:
        """Merged events across articles (``link.model.EventCluster``), newest first."""
        return self.store.event_clusters(**filters)

    def event_cluster(self, cluster_id: str):
        return self.store.event_cluster(cluster_id)

    def claim_clusters(self, **filters: Any) -> list:
        """Merged claims across articles (``link.model.ClaimCluster``)."""
        return self.store.claim_clusters(**filters)

    def add(self, extraction: Extraction) -> None:
        self.store.save(extraction)

    # -- reading ----------------------------------------------------------------
    #
    # Filters as in ``store.queries``; ``place`` is widened by the gazetteer
    # (``api.places``), ids may be unique prefixes or the short forms listings
    # show (``store.ids``), and claims and events come with reviews applied.

    def articles(self, **filters: Any) -> list[Article]:
        return self.store.articles(**filters)

    def article(self, article_id: str) -> Optional[Article]:
        return self.store.article(self.resolve_id(article_id))

    def claims(self, **filters: Any) -> list[Claim]:
        return self.store.claims(**_widened(filters))

    def events(self, **filters: Any) -> list[Event]:
        return self.store.events(**_widened(filters))

    def search(self, words: str, *, kind: str = "claims", **filters: Any) -> list:
        """Claims (by speaker and content) or articles (by title and text) matching ``words``."""
        if kind == "articles":
            return self.store.articles(search=words, **filters)
        return self.store.claims(search=words, **_widened(filters))

    def page(self, kind: str, *, limit: int, offset: int = 0, **filters: Any) -> tuple[list, tuple[int, bool]]:
        """A page of articles, claims or events and its (total, exact): the HTTP API's lists."""
        return self.store.page(kind, limit=limit, offset=offset, **_widened(filters))

    def count(self, kind: str, **filters: Any) -> tuple[int, bool]:
        """(total, exact) of a listing: ``kind`` is articles, claims, events, event_clusters, claim_clusters."""
        return getattr(self.store, f"count_{kind}")(**_widened(filters))

    def extraction(self, article_id: str) -> Optional[Extraction]:
        return self.store.extraction(self.resolve_id(article_id))

    def resolve_id(self, prefix: str, kind: str = "article") -> str:
        """A record named by its id, a unique prefix or its short form, as git names commits.

        ``KeyError`` (``store.ids.UnknownId`` / ``AmbiguousId``) when none or several match.
        """
        return self.store.resolve_id(kind, prefix)

    def review(self, kind: str, record_id: str, action: str, *, reviewer: str, field: Optional[str] = None,
               value: Any = None, note: Optional[str] = None):
        """Confirm, correct one field of, or reject a claim or event (``store.reviews``)."""
        full = self.resolve_id(record_id, kind)
        return self.store.review(kind, full, action, reviewer=reviewer, field=field, value=value, note=note)


def _widened(filters: dict[str, Any]) -> dict[str, Any]:
    if filters.get("place"):
        from .places import place_filter

        filters = dict(filters, place=place_filter(filters["place"]))
    return filters
