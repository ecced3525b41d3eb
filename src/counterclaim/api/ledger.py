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
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional

from ..records import Article, Claim, Event, Extraction, InputProblem
from ..store import InvalidExtraction, Store, StoreFailure
from .background import BackgroundLinker

if TYPE_CHECKING:
    from ..link.linker import Linker


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

    def __init__(self, db: Any = None, store: Optional[Store] = None, *, link: bool = True,
                 embedder: Optional[str] = None):
        """``link``: link each ingested article across the ledger (events, claims, copies).
        ``embedder``: the sentence vectors linking compares, ``minilm`` (the packaged model),
        ``static`` (word-piece vectors distilled from it, ~100x cheaper, coarser) or ``tokens``
        (``link.embed.chosen``; default ``COUNTERCLAIM_EMBEDDER``, else ``minilm``)."""
        self.store = store or Store.open(db)
        self._link = link
        self._linker: Optional[Linker] = None
        self._embedder = embedder

    @property
    def links(self) -> bool:
        """Whether this ledger links what it ingests."""
        return self._link

    @property
    def linker(self) -> Linker:
        """The cross-article linker of this ledger (created on first use: it loads a model)."""
        if self._linker is None:
            from ..link.linker import Linker

            self._linker = Linker(self.store, embeddings=self._embedder)
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
        on_article: Optional[Callable[[str, str], None]] = None,
        batch_size: int = 16,
        client: Any = None,
        max_bytes: Optional[int] = None,
        max_article_chars: Optional[int] = None,
        follow_links: bool = False,
        extract_process: Optional[bool] = None,
    ) -> IngestReport:
        """Read, extract and store articles; each article is one transaction.

        An article already stored (same text, hence same id) is not extracted
        again unless ``reprocess`` or its stored extraction came from another
        extractor version.  ``strict`` stops at the first fatal problem.
        ``on_input(file)`` is called after each input file; ``on_article(what,
        ref)`` follows each article: ``"read"``, then ``"stored"``,
        ``"duplicate"`` or ``"failed"`` (``ref`` is the article id, or the
        origin of an input refused before it became one), so a progress bar
        counts articles (its total: ``ingest.count_articles(paths)``).
        ``max_bytes``, ``max_article_chars`` and ``follow_links`` are
        ``read_inputs``'s.  ``client``: a ``dask.distributed.Client``; its
        workers extract (``api.distributed``) while this process stores and
        links, in input order, so the ledger is the same as without it.
        ``extract_process``: extract in a child process while this one stores
        and links (``api.distributed.extract_beside``; ``None``: when the
        machine has two cores and the job is not tiny).
        """
        from ..ingest import DEFAULT_MAX_ARTICLE_CHARS, DEFAULT_MAX_BYTES, read_inputs

        items = read_inputs(paths, published=published, source=source, progress=on_input,
                            max_bytes=max_bytes or DEFAULT_MAX_BYTES,
                            max_article_chars=max_article_chars or DEFAULT_MAX_ARTICLE_CHARS,
                            follow_links=follow_links)
        return self.ingest_items(items, strict=strict, reprocess=reprocess, on_problem=on_problem,
                                 batch_size=batch_size, client=client, on_article=on_article,
                                 extract_process=extract_process)

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
        extract_process: Optional[bool] = None,
    ) -> IngestReport:
        """``ingest`` for records already read (``counterclaim watch`` reads feeds itself).

        Linking survives interruptions: an article is stored, then linked, and
        one stored but not linked (a kill or a full disk in between) is in the
        store's unlinked state; this run links such leftovers first, in the
        order they were read, then goes on (``report.recovered``).  Linking
        runs in a thread beside storing (``api.background``), and extraction
        in a child process where that helps (``extract_process``).  A failure of
        the database itself (``StoreFailure``: full disk, damaged file) stops
        the run with ``report.stopped`` saying why; what was stored before
        stays, and the next run takes up the rest.
        """
        from ..nlp.extract import EXTRACTOR_VERSION, extract_many

        report = IngestReport()
        seen: set[str] = set()
        tell = on_article or (lambda what, ref: None)

        def problem(item: InputProblem) -> None:
            report.problems.append(item)
            if on_problem:
                on_problem(item)

        def articles() -> Iterator[Article]:
            for item in items:
                if isinstance(item, InputProblem):
                    problem(item)
                    if item.fatal:
                        tell("failed", item.origin)
                        if strict:
                            return
                    continue
                if item.id in seen or (not reprocess and self.store.has_extraction(item.id, EXTRACTOR_VERSION)):
                    report.duplicates.append((item.origin or "?", item.id))
                    tell("duplicate", item.id)
                    continue
                seen.add(item.id)
                if item.language not in (None, "", "en", "und"):
                    problem(InputProblem(item.origin or "?", f"language '{item.language}': stored without "
                                         "extraction (the extractor reads English only)", fatal=False))
                tell("read", item.id)
                yield item

        def failed(article: Article, reason: str) -> None:
            problem(InputProblem(article.origin or article.id, f"extraction failed ({reason}); not stored. "
                                 "This is a bug in counterclaim: please report it with the article"))
            tell("failed", article.id)

        if client is None:
            from .distributed import extract_beside

            extractions = extract_beside(
                articles(), on_failure=failed, use=extract_process,
                local=lambda these: extract_many(these, batch_size=batch_size, on_error=lambda article, exc: failed(
                    article, f"{type(exc).__name__}: {exc}")))
        else:
            from .distributed import extract_on

            extractions = extract_on(client, articles(), on_failure=failed)
        if self._link:
            _ = self.linker  # created here, before the linking thread and this one both use it
        linker = (BackgroundLinker(lambda batch: self._link_stored(batch, report, problem),
                                   threaded=not self.store.in_memory, warm=self._warm_linker) if self._link else None)
        pending: list[Extraction] = []
        try:
            if self._link:
                self._finish_interrupted(report, problem)
            for extraction in extractions:
                article = extraction.article
                try:
                    saved = self.store.save(extraction, replace=reprocess)
                except InvalidExtraction as exc:
                    failed(article, f"{type(exc).__name__}: {exc}")
                    continue
                if not saved:  # another process stored it since we looked
                    report.duplicates.append((article.origin or "?", article.id))
                    tell("duplicate", article.id)
                    continue
                report.stored.append(article.id)
                report.claims += len(extraction.claims)
                report.events += len(extraction.events)
                for note in extraction.notes:
                    problem(InputProblem(article.origin or "?", note, fatal=False))
                tell("stored", article.id)
                pending.append(extraction)
                if strict and report.failed:
                    break
                if linker and len(pending) >= batch_size:
                    linker.put(pending)
                    pending = []
            if linker and pending:
                linker.put(pending)
        except StoreFailure as exc:
            report.stopped = str(exc)
        finally:
            close = getattr(extractions, "close", None)
            if close is not None:
                close()  # an extraction process stops at once on an error or Ctrl-C (``api.distributed``)
            if linker:
                try:
                    linker.close()  # everything stored is linked before this returns (or raises)
                except StoreFailure as exc:
                    report.stopped = report.stopped or str(exc)
        if linker and not report.stopped:
            try:
                self._settle(problem)
            except StoreFailure as exc:
                report.stopped = str(exc)
        if self._link:
            try:
                report.unlinked = len(self.store.unlinked_article_ids())
            except StoreFailure:
                pass  # already said why the run stopped
        return report

    def ingest_text(self, text: str, *, title: Optional[str] = None, source: Optional[str] = None,
                    published: date | str | None = None, url: Optional[str] = None,
                    origin: str = "api") -> IngestReport:
        """Extract, store and link one article given as text (the HTTP API's ingest)."""
        from ..ingest.meta import Defaults, build

        return self.ingest_items(build(text, origin, Defaults(), title=title, url=url, source=source,
                                       published=published))

    def _warm_linker(self) -> None:
        """Load the linker's sentence model (seconds): in the linking thread, while the first
        articles are extracted (a model that cannot load falls back: ``link.embed.get_embedder``)."""
        _ = self.linker.embedder

    def _finish_interrupted(self, report: IngestReport, tell: Callable[[InputProblem], None]) -> None:
        """Link what an earlier run stored and did not link, and recompute clusters it left stale."""
        leftover = self.store.unlinked_article_ids(by_ingestion=True)
        if leftover:
            before = report.linked
            self._guarded(lambda: self.linker.link(leftover), len(leftover), leftover[0], report, tell)
            report.recovered = report.linked - before
        elif any(self.store.stale_cluster_ids()):
            self.linker.refresh()

    def _settle(self, tell: Callable[[InputProblem], None]) -> None:
        """Recompute the large clusters the batches left stale (``Linker.refresh``): the ledger is
        then as if each batch had recomputed every cluster it changed.  A linker error is said,
        as a batch's is (``_guarded``); the clusters stay stale and the next run recomputes them."""
        try:
            self.linker.refresh()
        except StoreFailure:
            raise
        except Exception as exc:  # noqa: BLE001 - reported, as ``_guarded`` does
            tell(InputProblem("recomputing the clusters left stale", f"failed ({type(exc).__name__}: {exc}); "
                              "the next run recomputes them. This is a bug in counterclaim: please report it"))

    def _link_stored(self, batch: list[Extraction], report: IngestReport,
                     tell: Optional[Callable[[InputProblem], None]] = None) -> None:
        """Link the articles just stored, a batch at a time (one embedding call per batch), from
        the extractions in hand; in the linking thread (``api.background``) beside extraction."""
        self._guarded(lambda: self.linker.link_extractions(batch, settle=False), len(batch), batch[0].article.id,
                      report, tell)

    @staticmethod
    def _guarded(link: Callable[[], Any], n: int, first: str, report: IngestReport,
                 tell: Optional[Callable[[InputProblem], None]]) -> None:
        """Run one linking step.  A linker error (a bug, not the database: ``StoreFailure``
        goes up) costs this batch its linking, said by ``tell``; the articles stay stored
        and unlinked, and the run goes on, so that one article the linker cannot take does
        not stop every later ingest at its recovery step."""
        try:
            done = link()
        except StoreFailure:
            raise
        except Exception as exc:  # noqa: BLE001 - reported with the articles it concerns
            if tell is None:
                raise
            tell(InputProblem(f"linking {n} article(s) from {first}",
                              f"failed ({type(exc).__name__}: {exc}); they stay stored and unlinked. This is a bug "
                              "in counterclaim: please report it"))
        else:
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
