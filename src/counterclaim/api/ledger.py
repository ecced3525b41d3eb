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
from ..store import InvalidExtraction, Store, StoreFailure


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
    recovered: int = 0  # articles an earlier run stored but did not link (killed, disk full), linked now
    unlinked: int = 0  # articles still stored but not linked when the run ended (the next run links them)
    stopped: Optional[str] = None  # why the run stopped early: the database failed (``StoreFailure``)

    @property
    def failed(self) -> bool:
        return self.stopped is not None or any(p.fatal for p in self.problems)


class Ledger:
    """A store plus the pipeline that fills it."""

    def __init__(self, db: Any = None, store: Optional[Store] = None, *, link: bool = True):
        """``link``: link each ingested article across the ledger (events, claims, copies)."""
        self.store = store or Store.open(db)
        self._link = link
        self._linker = None

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
        on_article: Optional[Callable[[str], None]] = None,
        batch_size: int = 16,
        max_bytes: Optional[int] = None,
        max_article_chars: Optional[int] = None,
        follow_links: bool = False,
    ) -> IngestReport:
        """Read, extract and store articles; each article is one transaction.

        An article already stored (same text, hence same id) is not extracted
        again unless ``reprocess`` or its stored extraction came from another
        extractor version.  ``strict`` stops at the first fatal problem.
        ``on_input(file)`` is called after each input file, ``on_article(origin)``
        after each article (stored, already stored, or refused): a progress
        bar's total is ``ingest.count_articles(paths)``.  ``max_bytes``,
        ``max_article_chars`` and ``follow_links`` are ``read_inputs``'s.

        Linking survives interruptions: an article is stored, then linked, and
        one stored but not linked (a kill or a full disk in between) is in the
        store's unlinked state; this run links such leftovers first, in the
        order they were read, then goes on (``report.recovered``).  A failure
        of the database itself (``StoreFailure``: full disk, damaged file)
        stops the run with ``report.stopped`` saying why; what was stored
        before stays, and the next run takes up the rest.
        """
        from ..ingest import DEFAULT_MAX_ARTICLE_CHARS, DEFAULT_MAX_BYTES, read_inputs
        from ..nlp.extract import EXTRACTOR_VERSION, extract_many

        report = IngestReport()
        seen: set[str] = set()

        def tell(problem: InputProblem) -> None:
            report.problems.append(problem)
            if on_problem:
                on_problem(problem)
            if on_article and problem.fatal:
                on_article(problem.origin)

        def articles() -> Iterator[Article]:
            for item in read_inputs(paths, published=published, source=source, progress=on_input,
                                    max_bytes=max_bytes or DEFAULT_MAX_BYTES,
                                    max_article_chars=max_article_chars or DEFAULT_MAX_ARTICLE_CHARS,
                                    follow_links=follow_links):
                if isinstance(item, InputProblem):
                    tell(item)
                    if strict and item.fatal:
                        return
                    continue
                if item.id in seen or (not reprocess and self.store.has_extraction(item.id, EXTRACTOR_VERSION)):
                    report.duplicates.append((item.origin or "?", item.id))
                    if on_article:
                        on_article(item.origin or "?")
                    continue
                seen.add(item.id)
                if item.language not in (None, "", "en", "und"):
                    tell(InputProblem(item.origin or "?", f"language '{item.language}': stored without extraction "
                                      "(the extractor reads English only)", fatal=False))
                yield item

        def failed(article: Article, exc: Exception) -> None:
            tell(InputProblem(article.origin or "?", f"extraction failed ({type(exc).__name__}: {exc}); not stored. "
                              "This is a bug in counterclaim: please report it with the article"))

        try:
            if self._link:
                self._finish_interrupted(report, tell)
            pending: list[str] = []
            for extraction in extract_many(articles(), batch_size=batch_size, on_error=failed):
                article = extraction.article
                try:
                    saved = self.store.save(extraction, replace=reprocess)
                except InvalidExtraction as exc:
                    failed(article, exc)
                    continue
                if not saved:
                    report.duplicates.append((article.origin or "?", article.id))  # another process stored it
                else:
                    report.stored.append(article.id)
                    report.claims += len(extraction.claims)
                    report.events += len(extraction.events)
                    pending.append(article.id)
                    for note in extraction.notes:
                        tell(InputProblem(article.origin or "?", note, fatal=False))
                if on_article:
                    on_article(article.origin or "?")
                if strict and report.failed:
                    break
                if self._link and len(pending) >= batch_size:
                    self._link_stored(pending, report, tell)
            if self._link and pending:
                self._link_stored(pending, report, tell)
        except StoreFailure as exc:
            report.stopped = str(exc)
        if self._link:
            try:
                report.unlinked = len(self.store.unlinked_article_ids())
            except StoreFailure:
                pass  # already said why the run stopped
        return report

    def _finish_interrupted(self, report: IngestReport, tell: Callable[[InputProblem], None]) -> None:
        """Link what an earlier run stored and did not link, and recompute clusters it left stale."""
        leftover = self.store.unlinked_article_ids(by_ingestion=True)
        if leftover:
            before = report.linked
            self._link_stored(leftover, report, tell)
            report.recovered = report.linked - before
        elif any(self.store.stale_cluster_ids()):
            self.linker.refresh()

    def _link_stored(self, pending: list[str], report: IngestReport,
                     tell: Optional[Callable[[InputProblem], None]] = None) -> None:
        """Link the articles just stored, a batch at a time (one embedding call per batch).

        A linker error (a bug, not the database: ``StoreFailure`` goes up)
        costs this batch its linking, said by ``tell``; the articles stay
        stored and unlinked, and the run goes on, so that one article the
        linker cannot take does not stop every later ingest at its recovery step.
        """
        try:
            done = self.linker.link(pending)
        except StoreFailure:
            raise
        except Exception as exc:  # noqa: BLE001 - reported with the articles it concerns
            if tell is None:
                raise
            tell(InputProblem(f"linking {len(pending)} article(s) from {pending[0]}",
                              f"failed ({type(exc).__name__}: {exc}); they stay stored and unlinked. This is a bug "
                              "in counterclaim: please report it"))
        else:
            report.linked += len(done.linked)
            report.link_seconds += done.seconds
        pending.clear()

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

    def articles(self, **filters: Any) -> list[Article]:
        return self.store.articles(**filters)

    def article(self, article_id: str) -> Optional[Article]:
        return self.store.article(self.resolve_id(article_id))

    def claims(self, **filters: Any) -> list[Claim]:
        return self.store.claims(**filters)

    def events(self, **filters: Any) -> list[Event]:
        return self.store.events(**filters)

    def extraction(self, article_id: str) -> Optional[Extraction]:
        return self.store.extraction(self.resolve_id(article_id))

    def resolve_id(self, prefix: str) -> str:
        """Articles may be named by a unique id prefix, as git names commits."""
        if self.store.has_article(prefix):
            return prefix
        matches = self.store.article_ids(prefix)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise KeyError(f"no article with id {prefix!r}")
        raise KeyError(f"article id prefix {prefix!r} is ambiguous ({len(matches)} articles)")
