"""``Linker``: link stored articles into the ledger's event and claim clusters, incrementally.

The whole algorithm, per article (``link_article``):

1. **dedup**: is this text a copy of one linked before? (``dedup``)
2. **events**: each event joins the cluster of the best-matching report among
   the clustered events of the surrounding days, or starts a cluster named
   after itself (``events.same_event``);
3. **claims**: each claim joins the cluster of the best-matching appearance
   among the claims of the same voice in those event clusters or days, or
   starts one (``claims.same_claim``);
4. the article's memberships are written in one transaction and the clusters
   it touched are marked stale; ``refresh`` recomputes their ranges and
   statuses from their members (``aggregate``).

Only the new article's candidates are read, never the corpus: linking cost
grows with the number of reports in a few days' window (and the other members
of the clusters found there, which may veto), not with the store.  Copies are
found through the store's index of MinHash band keys (``dedup.band_keys``),
not by comparing fingerprints with every stored one.  And the window itself
is capped: a flood of same-day reports offers at most ``WINDOW_CAP`` of
its events (those at the new reports' places first), each cluster at most
``CLUSTER_CAP`` members, and a claim at most ``CLAIM_CAP`` stored claims of
its voice, so a day of thousands of reports links in time linear in them.
The caps are far above what a day of real reporting fills (the 596 FA-KES
articles never reach them), so they change no decision there.
Cluster ids are their first member's id and members never move, so ids are
stable as articles arrive.  The linker talks to the store through ``Store``
methods only, and works on records.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable, Iterable, Optional, Sequence

import numpy as np

from ..records import Article, Claim, Event, Extraction, Place
from ..store.window import WindowRow
from . import aggregate, dedup
from .claims import ClaimItem, best_cluster, voice
from .embed import Embedder, from_bytes, get_embedder, kind_of, to_bytes
from .events import (
    DAY_WINDOW,
    MAX_RANGE_DAYS,
    RELATED_SENTENCE_SIM,
    conflict,
    itemised_totals,
    place_relation,
    same_event,
    stated_days_and_tolls_differ,
    sub_types_compatible,
    told_apart,
)
from .model import ClaimCluster, EventCluster
from .outlets import Outlets, default_outlets
from .record_cache import RecordCache
from .reports import Report, told_in_lead

log = logging.getLogger(__name__)
LINKER_VERSION = "counterclaim-link/1"
CLAIM_WINDOW_DAYS = 3  # a claim repeated by outlets appears within days, not weeks
STALE = "stale"
WINDOW_CAP = 400  # clustered events of the days around a new article that linking looks at
CLUSTER_CAP = 40  # members one cluster offers (its first, in joining order) as matches or vetoes
CLAIM_CAP = 400  # stored claims of one voice (or about one event) a new claim is compared with
COPY_CANDIDATES = 200  # indexed articles verified as possible originals, in linking order
RECENT_TEXTS = 4096  # sentence vectors kept in memory by text (about 6 MB): copies and wire stories repeat sentences
# ``refresh(settle=False)``: an event cluster of at least ``REFRESH_ALWAYS`` members, aggregated
# at n members by this linker, waits (marked stale) until it has grown by n / ``REFRESH_GROWTH``.
REFRESH_ALWAYS = 32
REFRESH_GROWTH = 8
RECENT_SHINGLES = 200_000  # shingles of recently linked articles kept for copy checks (some 20-30 MB)


@dataclass
class LinkReport:
    """What a linking run did."""

    linked: list[str] = field(default_factory=list)
    copies: list[tuple[str, str, str]] = field(default_factory=list)  # (article, original, kind)
    event_clusters_joined: int = 0
    event_clusters_started: int = 0
    claim_clusters_joined: int = 0
    claim_clusters_started: int = 0
    refreshed: int = 0
    seconds: float = 0.0
    embedder: str = ""
    capped: int = 0  # articles whose day window was over ``WINDOW_CAP`` / ``CLUSTER_CAP``


def main_place(places: Sequence[Place]) -> Optional[Place]:
    """An article's main place: the place finer than a country it names most often (the first on a tie).

    A news story names where it happened again and again (headline, lead,
    details), while a dateline ("BEIRUT") or a monitor's base ("London") is
    named once.  A report whose own event has no place, or only a country,
    is taken to be there.
    """
    finer = [p for p in places if (p.precision or p.kind) != "country" and p.lat is not None]
    if not finer:
        return None
    counts: dict[str, int] = {}
    for p in finer:
        counts[p.name] = counts.get(p.name, 0) + 1
    return max(finer, key=lambda p: counts[p.name])  # max keeps the first on a tie


SAME_PLACE_AND_TOLL = 3  # ``events.same_event``'s strongest evidence short of a copied sentence


def _leads(report: Report) -> bool:
    """Whether the report is told in its article's lead (``reports.LEAD_CHARS``).

    A report joins another article's cluster through that article's lead
    reports only, not through what it mentions further down: a story about
    Aleppo that recalls "last week's bombing in Idlib" in its tenth sentence
    would otherwise bridge the Idlib cluster to every Aleppo story that
    matches the mention loosely.  The mention itself still joins the cluster
    it matches (it is traceable there) but, as in ``reports.reporting``, it
    is not a report of it.  One exception: a mention that names the same
    place and gives the same toll as the newcomer (``SAME_PLACE_AND_TOLL``)
    is no loose match; it is how two round-ups tell the same second incident
    (FA-KES dev: events merged 0.74 -> 0.76).
    """
    return told_in_lead(report.event)


def _same_toll_and_named_place(a: Report, b: Report) -> bool:
    """A cheap first look for ``SAME_PLACE_AND_TOLL``: both name a place and give one toll."""
    fa, fb = a.event.fatalities, b.event.fatalities
    return (fa is not None and fb is not None and fa.low is not None and fa.low == fb.low
            and not a.place_inferred and not b.place_inferred and a.place is not None and b.place is not None)


def _merged(ranges: list[tuple]) -> list[tuple]:
    """Overlapping or touching (first, last) day ranges joined into one."""
    out: list[list] = []
    for first, last in sorted(ranges):
        if out and first <= out[-1][1] + timedelta(days=1):
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return [(a, b) for a, b in out]


class Linker:
    """Links articles of one ``Store`` (see the module docstring)."""

    def __init__(self, store, *, outlets: Optional[Outlets] = None, embedder: Optional[Embedder] = None,
                 embeddings: Optional[str] = None):
        """``embeddings``: ``minilm``, ``static`` or ``tokens`` (``embed.chosen``; default
        ``COUNTERCLAIM_EMBEDDER``, else MiniLM), unless ``embedder`` is given."""
        self.store = store
        self.outlets = outlets or default_outlets()
        self._embedder = embedder
        self._prefer = embeddings
        self._loading = threading.Lock()  # ingest may load the model in its linking thread (``api.background``)
        self._indexed = False
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()  # text -> vector, least recent first
        self._shingled: OrderedDict[str, dedup.Shingled] = OrderedDict()  # article id -> its shingles (``_find_copy``)
        self._shingle_count = 0
        self._batch_reports: dict[str, tuple[Report, str]] = {}  # event id -> (report, cluster id), one batch's
        self._batch_claims: dict[str, Claim] = {}  # stored claims read for one batch
        self._batch_clusters: dict[str, str] = {}  # clustered event id -> its cluster, read for one batch
        self._batch_windows: dict[tuple, tuple[dict[str, WindowRow], int]] = {}  # ``_window``
        self._batch_linked: list[str] = []  # articles linked in this batch, in order
        self._aggregated: dict[str, int] = {}  # event cluster id -> its members when last recomputed (``refresh``)
        self._records = RecordCache(store)  # stored events and claims kept between refreshes (``refresh``)

    @property
    def embedder(self) -> Embedder:
        with self._loading:
            if self._embedder is None:
                self._embedder = get_embedder(self._prefer)
        return self._embedder

    def _kind(self) -> str:
        """The loaded embedder's kind (``embed.kind_of``): which similarity thresholds apply."""
        return kind_of(self._embedder.name) if self._embedder is not None else "minilm"

    # -- entry points ------------------------------------------------------------

    def link_pending(self, *, progress: Optional[Callable[[str], None]] = None, batch: int = 64) -> LinkReport:
        """Link every extracted article not linked yet (oldest first), then refresh what changed."""
        return self.link(self.store.unlinked_article_ids(), progress=progress, batch=batch)

    def link(self, article_ids: Iterable[str], *, progress: Optional[Callable[[str], None]] = None,
             batch: int = 64) -> LinkReport:
        """Link stored articles, reading each one's extraction back from the store."""
        ids = list(article_ids)
        batches = ([x for x in (self.store.extraction(i) for i in ids[start : start + batch]) if x]
                   for start in range(0, len(ids), batch))
        return self._link_batches(batches, progress)

    def link_extractions(self, extractions: Sequence[Extraction], *,
                         progress: Optional[Callable[[str], None]] = None, batch: int = 64,
                         settle: bool = True) -> LinkReport:
        """Link articles just stored, from the extractions in hand (nothing is read back).

        ``settle=False``: large event clusters may be left stale (``refresh``); a caller
        linking a stream batch by batch (``Ledger.ingest``) calls ``refresh()`` at its end."""
        items = list(extractions)
        return self._link_batches((items[start : start + batch] for start in range(0, len(items), batch)), progress,
                                  settle=settle)

    def _link_batches(self, batches: Iterable[list[Extraction]], progress, *, settle: bool = True) -> LinkReport:
        started = time.perf_counter()
        report = LinkReport()
        self._index_legacy()
        for extractions in batches:
            # read for this batch (``_clustered``, ``_window``)
            self._batch_reports, self._batch_claims, self._batch_clusters = {}, {}, {}
            self._batch_windows, self._batch_linked = {}, []
            vectors = self._embed([c for x in extractions for c in x.claims],
                                  [e for x in extractions for e in x.events if told_in_lead(e)])
            for extraction in extractions:
                self._link_one(extraction, vectors, report)
                if progress:
                    progress(extraction.article.id)
            report.refreshed += self.refresh(settle=False)
        report.refreshed += self.refresh(settle=settle)
        report.seconds = time.perf_counter() - started
        report.embedder = self._embedder.name if self._embedder else ""
        return report

    def _index_legacy(self) -> None:
        """Give articles linked before the copy index existed their band keys (once per linker)."""
        if self._indexed:
            return
        while batch := self.store.linked_without_bands():
            self.store.save_bands({i: dedup.band_keys(text) for i, text in batch})
        self._indexed = True

    def link_article(self, article_id: str) -> LinkReport:
        return self.link([article_id])

    # -- one article ---------------------------------------------------------------

    def _link_one(self, extraction: Extraction, vectors: dict[str, np.ndarray], report: LinkReport) -> None:
        """Read and decide in one read transaction (``Store.snapshot``: the two dozen reads of an
        article's candidates share one connection and one BEGIN/COMMIT instead of one each; only
        this linker writes links, and it writes after), then write in one (``Store.save_link``)."""
        article = extraction.article
        mine = dedup.Shingled.of(article.text)
        fingerprint = dedup.simhash(article.text, mine.found)
        bands = dedup.band_keys(article.text, mine.found)
        with self.store.snapshot():
            copy = self._find_copy(article, fingerprint, bands, mine)
            if copy:
                report.copies.append((article.id, copy.original_id, copy.kind))
            own_place = main_place(extraction.places)
            reports = [self._report(e, article, copy.original_id if copy else None, own_place, extraction.claims)
                       for e in extraction.events]
            itemised_totals(reports)
            for rep in reports:
                rep.vector = vectors.get(rep.id)
            event_members, new_events, cluster_of, candidates = self._assign_events(reports, report, own_place)
            about = self._claims_about(extraction.claims, article, own_place, vectors, candidates)
            claim_members, new_claims = self._assign_claims(extraction.claims, article, vectors, cluster_of, report,
                                                            about)
        self.store.save_link(
            article.id, linker=LINKER_VERSION, simhash=fingerprint,
            copy=(copy.original_id, copy.kind, copy.jaccard, copy.distance) if copy else None,
            event_members=event_members, claim_members=claim_members,
            new_event_clusters=new_events, new_claim_clusters=new_claims,
            touched_event_clusters=sorted({cluster for cluster, _ in about.values()}),
            bands=bands,
        )
        report.linked.append(article.id)
        self._batch_linked.append(article.id)
        self._remember_shingles(article.id, mine)

    def _find_copy(self, article: Article, fingerprint: int, bands: Sequence[int],
                   mine: dedup.Shingled) -> Optional[dedup.Copy]:
        """The first linked article this one copies: candidates from the band index (at least
        ``dedup.MIN_BAND_HITS`` shared keys), then SimHash within ``dedup.CANDIDATE_BITS``, then
        the exact shingle comparison, in linking order (texts read a few at a time, those of
        articles linked lately not at all: ``_remember_shingles``)."""
        near = [(i, h) for i, h in self.store.copy_candidates(bands, besides=article.id, min_hits=dedup.MIN_BAND_HITS,
                                                              limit=COPY_CANDIDATES)
                if h is not None and dedup.distance(fingerprint, h) <= dedup.CANDIDATE_BITS]
        known = self._shingled
        for start in range(0, len(near), 8):
            chunk = near[start : start + 8]
            texts = self.store.articles_by_id(i for i, _ in chunk if i not in known)
            for other_id, other_hash in chunk:  # linking order: the first linked is the original
                other = known.get(other_id)
                if other is None and other_id in texts:
                    other = self._remember_shingles(other_id, dedup.Shingled.of(texts[other_id].text))
                verdict = dedup.is_copy_of(other, mine) if other else None
                if verdict:
                    original = self._original_of(other_id)
                    return dedup.Copy(article.id, original, verdict[0], verdict[1],
                                      dedup.distance(fingerprint, other_hash))
        return None

    def _remember_shingles(self, article_id: str, shingled: dedup.Shingled) -> dedup.Shingled:
        """Keep an article's shingles (the last ``RECENT_SHINGLES`` shingles' worth of articles):
        texts never change under an id, and in a same-day flood every new report was compared
        with the same few dozen stored ones, each read and shingled again (700 same-day wire
        reports: 26 comparisons each, a fifth of linking)."""
        known = self._shingled
        known[article_id] = shingled
        known.move_to_end(article_id)
        self._shingle_count += len(shingled.found)
        while self._shingle_count > RECENT_SHINGLES and len(known) > 1:
            _, dropped = known.popitem(last=False)
            self._shingle_count -= len(dropped.found)
        return shingled

    def _original_of(self, article_id: str) -> str:
        """Copies of a copy point at the first text, so evidence groups are flat."""
        facts = self.store.article_facts([article_id]).get(article_id, {})
        return facts.get("copy_of") or article_id

    def _report(self, event: Event, article: Article, copy_of: Optional[str], place: Optional[Place],
                claims: Sequence[Claim]) -> Report:
        by_id = {c.id: c for c in claims}
        return Report(event=event, outlet=self.outlets.get(article.source, article.url),
                      published=article.published, copy_of=copy_of,
                      claims=[by_id[i] for i in event.claim_ids if i in by_id],
                      article_place=place)

    # -- events --------------------------------------------------------------------

    def _candidates(self, reports: list[Report], own_place: Optional[Place] = None,
                    report: Optional[LinkReport] = None) -> list[tuple[Report, str]]:
        """Clustered reports of other articles in the days around these reports, and the other
        members of their clusters (which only veto: their days are too far to match).

        The days are each report's own (widened by ``DAY_WINDOW``) and the article's
        (``CLAIM_WINDOW_DAYS``, for ``_claims_about``), not the whole span from the earliest
        to the latest (``hull``): a report can only match within its days, and the clusters
        it can join bring all their members anyway.  Only the same sentence in a copy
        matches whatever the days: the copy's original and fellow copies are read in the
        span.  The candidates that can decide anything are the same as the span's.  A window over the caps (``WINDOW_CAP`` events,
        ``CLUSTER_CAP`` in one cluster) is read in part: each cluster's first members, those
        at the new reports' places first."""
        spans = [r.days for r in reports if r.days and (r.days[1] - r.days[0]).days < MAX_RANGE_DAYS]
        if not spans:
            return []
        me = reports[0].article_id
        hull = (min(s for s, _ in spans) - timedelta(days=DAY_WINDOW), max(e for _, e in spans) + timedelta(days=DAY_WINDOW))
        ranges = [(first - timedelta(days=DAY_WINDOW), last + timedelta(days=DAY_WINDOW)) for first, last in spans]
        if (published := reports[0].published) is not None:  # for ``_claims_about``
            near = (max(hull[0], published - timedelta(days=CLAIM_WINDOW_DAYS)),
                    min(hull[1], published + timedelta(days=CLAIM_WINDOW_DAYS)))
            ranges += [near] if near[0] <= near[1] else []
        days = _merged(ranges)
        # A copy's reports match the same sentences of its original and of the other copies
        # whatever their days (``events.same_event``): those articles' events are candidates too.
        original = reports[0].copy_of
        also = [original, *self.store.copies_of(original)] if original else []
        rows = self._window(days, me, also, hull)
        per_cluster: dict[str, int] = {}
        for row in rows:
            per_cluster[row.cluster_id] = per_cluster.get(row.cluster_id, 0) + 1
        if len(rows) <= WINDOW_CAP and max(per_cluster.values(), default=0) <= CLUSTER_CAP:
            found = self._clustered([row.id for row in rows])
        else:
            if report is not None:
                report.capped += 1
            places = [(p.name, p.admin1, p.country) for p in
                      [r.event.place for r in reports] + [own_place] if p is not None]
            found = self._clustered(self.store.capped_window(rows, places=places, per_cluster=CLUSTER_CAP,
                                                             limit=WINDOW_CAP))
        # The other members of those clusters, whatever their days: they cannot match (their
        # days are too far) but they veto, so that Monday's and Wednesday's reports do not
        # merge through Tuesday's (``events.conflict`` is checked against every member).
        clusters = {c for _, c in found}
        seen = {r.id for r, _ in found}
        if max(self.store.cluster_sizes(clusters).values(), default=0) <= CLUSTER_CAP:
            others = self._reports(self.store.cluster_events(clusters, besides=seen))
        else:
            others = self._clustered(self.store.first_member_ids(clusters, per_cluster=CLUSTER_CAP, besides=seen))
        return found + [f for f in others if f[0].article_id != me]

    def _window(self, days: list[tuple], me: str, also: list[str], within: tuple) -> list[WindowRow]:
        """``Store.window_rows`` (the clustered events of these days, and of the articles ``also``
        within ``within``, outside article ``me``, newest first), each window read once a
        batch: for the batch's later articles only the events of the articles linked since are
        read (their rows replace any they had: an article linked again), and the article
        being linked is left out.

        A window changes only when an article is linked (members are written by
        ``Store.save_link``, and never move), and the batch's articles are linked here, in
        order.  In a same-day flood every article's window is the whole day (1,500 rows for
        the 1,500th wire report): reading it again for each of the 16 articles of a batch was
        the largest part of linking that grew with the day."""
        key = (tuple(days), tuple(also), within)
        kept = self._batch_windows.get(key)
        linked = self._batch_linked
        if kept is None:
            rows = self.store.window_rows(days=days, besides_article=me, also=also, within=within)
            self._batch_windows[key] = ({r.id: r for r in rows}, len(linked))
            return rows
        found, seen = kept
        if len(linked) > seen:
            since = linked[seen:]
            fresh = self.store.window_rows(days=days, besides_article=me, also=also, within=within, of_articles=since)
            gone = set(since)
            found = {i: r for i, r in found.items() if r.article_id not in gone}
            found.update((r.id, r) for r in fresh)
            self._batch_windows[key] = (found, len(linked))
        return sorted((r for r in found.values() if r.article_id != me), key=WindowRow.newest_first)

    def _clustered(self, event_ids: Sequence[str]) -> list[tuple[Report, str]]:
        """(report, cluster id) of these clustered events, in the order given; those read for an
        earlier article of the batch are not read again (``_batch_reports``).

        A same-day flood offers every article of the day the same few hundred candidates
        (``WINDOW_CAP``, ``CLUSTER_CAP``); reading and converting them again for each article
        was most of its linking (the last 200 of 700 same-day wire reports: 136 of 232 profiled s).  A
        clustered event, its cluster (members never move), its vector and its article's facts
        do not change while a batch is linked, so a report built once serves the batch."""
        known = self._batch_reports
        missing = [i for i in event_ids if i not in known]
        if missing:
            for built in self._reports(self._records.clustered(missing)):
                known[built[0].id] = built
        return [known[i] for i in event_ids if i in known]

    def _reports(self, found: Sequence[tuple]) -> list[tuple[Report, str]]:
        """(report, cluster id) for the store's (event, cluster id, vector, model) rows."""
        if not found:
            return []
        facts = self.store.article_facts({f[0].article_id for f in found})
        no_place = {e.article_id for e, *_ in found if e.place is None or (e.place.precision or e.place.kind) == "country"}
        name = self._embedder.name if self._embedder else None
        places = self.store.article_places(no_place) if no_place else {}
        out = []
        for event, cluster_id, blob, model in found:
            f = facts.get(event.article_id, {})
            out.append((Report(event=event, outlet=self.outlets.get(f.get("source"), f.get("url")),
                               published=f.get("published"), copy_of=f.get("copy_of"),
                               article_place=main_place(places.get(event.article_id, [])),
                               vector=from_bytes(blob) if blob is not None and model == name else None),
                        cluster_id))
        return out

    def _assign_events(self, reports: list[Report], report: LinkReport, own_place: Optional[Place] = None):
        """Each report joins the cluster of its best match, unless a lead report of another article
        in that cluster conflicts with it (days, places: ``events.conflict``), has a sub-type it is
        not compatible with, or states another day with another toll
        (``events.stated_days_and_tolls_differ``: Monday's 21 dead and Tuesday's 56 are two events,
        however a report without a stated day bridges them; FA-KES dev pairs F1 0.82 -> 0.88).

        Compatibility is not transitive: an "Attack" (a killing the text does not describe
        further) is compatible with both an air strike and a clash, and one such member would
        let air strikes and clashes of one day and province merge through it.  Every lead
        report of a cluster must be compatible with a newcomer (FA-KES dev: events merged
        0.65 -> 0.68).  Passing mentions neither bridge nor veto (``_leads``), unless one names
        the same place and toll as the newcomer.  Every lead report of a cluster vetoes,
        whatever its day (``_candidates`` fetches the members outside the window too).
        """
        candidates = self._candidates(reports, own_place, report) if reports else []
        members, new, cluster_of = [], [], {}
        taken = self.store.existing_cluster_ids("event", [r.id for r in reports]) if reports else set()
        for pos, rep in enumerate(reports):
            best, best_match = None, None
            vetoed: set[str] = set()
            for other, cluster_id in candidates:
                if cluster_id in vetoed or (other.article_id != rep.article_id and not _leads(other)):
                    continue  # vetoed already; a passing mention neither bridges nor vetoes (``_leads``)
                if conflict(rep, other) and rep.evidence_id != other.evidence_id:
                    vetoed.add(cluster_id)
                elif other.article_id != rep.article_id and not sub_types_compatible(rep.event.sub_type,
                                                                                    other.event.sub_type):
                    vetoed.add(cluster_id)
                elif other.article_id != rep.article_id and stated_days_and_tolls_differ(rep, other):
                    vetoed.add(cluster_id)
                elif other.article_id == rep.article_id and told_apart(rep, other):
                    vetoed.add(cluster_id)  # "Elsewhere in the country ...", two towns' tolls: not one event
            for other, cluster_id in candidates:
                if cluster_id in vetoed:
                    continue
                mention = other.article_id != rep.article_id and not _leads(other)
                if mention and not _same_toll_and_named_place(rep, other):
                    continue  # another article's passing mention is no bridge (``_leads``) ...
                match = same_event(rep, other, self._kind())
                if mention and match.strength < SAME_PLACE_AND_TOLL:
                    continue  # ... unless it names the same place and toll: a round-up's second incident
                if match.same and (best_match is None or match.strength > best_match.strength):
                    best, best_match = cluster_id, match
            if best is None:
                best = rep.id if rep.id not in taken else f"{rep.id}~{len(taken)}"
                new.append(EventCluster(id=best, type=rep.event.type, sub_type=rep.event.sub_type, status=STALE))
                reason = "first report"
                report.event_clusters_started += 1
            else:
                assert best_match is not None, "best and best_match are set together"
                reason = f"{best_match.reason} (with {self._short(best)})"
                report.event_clusters_joined += 1
            cluster_of[rep.id] = best
            members.append({"event_id": rep.id, "cluster_id": best, "article_id": rep.article_id,
                            "pos": pos, "reason": reason,
                            "vector": to_bytes(rep.vector) if rep.vector is not None else None,
                            "vector_model": self.embedder.name if rep.vector is not None else None})
            candidates.append((rep, best))  # later events of this article may join it
        return members, new, cluster_of, candidates

    def _claims_about(self, claims: Sequence[Claim], article: Article, place: Optional[Place],
                      vectors: dict[str, np.ndarray], candidates: list[tuple[Report, str]]) -> dict[str, tuple[str, str]]:
        """Claims that report no event of their own but speak about a clustered one: claim id -> (cluster, why).

        A denial is often published a day later in another outlet ("the Front
        denied shelling the market") and extraction finds no event in it (a
        denied event did not happen, in its own voice).  Such a claim is about
        a clustered event when its sentence is like one of the event's
        reports (cosine at least ``RELATED_SENTENCE_SIM``), its article is
        within ``CLAIM_WINDOW_DAYS`` of the event and its place does not
        conflict; it then counts for the event's status (a denial disputes it).
        """
        found: dict[str, tuple[str, str]] = {}
        for claim in claims:
            vector = vectors.get(claim.id)
            if claim.event_ids or vector is None:
                continue
            best: Optional[tuple[float, str, str]] = None
            for other, cluster_id in candidates:
                if other.vector is None or other.article_id == article.id or len(other.vector) != len(vector):
                    continue
                days = other.days
                if days and article.published and not (
                        days[0] - timedelta(days=CLAIM_WINDOW_DAYS) <= article.published
                        <= days[1] + timedelta(days=CLAIM_WINDOW_DAYS)):
                    continue
                if place_relation(place, other.place)[0] == "far":
                    continue
                sim = float(other.vector @ vector)
                if sim >= RELATED_SENTENCE_SIM[self._kind()] and (best is None or sim > best[0]):
                    best = (sim, cluster_id, f"speaks about the event reported as \"{other.event.span.text[:80]}\" "
                                             f"(similarity {sim:.2f})")
            if best:
                found[claim.id] = (best[1], best[2])
        return found

    # -- claims --------------------------------------------------------------------

    def _embed(self, claims: list[Claim], events: Sequence[Event] = ()) -> dict[str, np.ndarray]:
        """Vectors of the claims that can be matched (those with a voice) and of the events'
        evidence sentences, keyed by record id; each distinct text is embedded once, in one batch.

        Callers pass the events an article tells in its lead only: a passing mention further
        down is matched by its sub-type, day, place and toll, and is never a bridge
        (``_leads``), so its sentence vector would buy little for the most expensive step of
        linking (about half the event sentences of a corpus; FA-KES dev figures unchanged)."""
        wanted = [(c.id, c.span.text) for c in claims if voice(c) is not None]
        wanted += [(e.id, e.span.text) for e in events]
        if not wanted:
            return {}
        return {i: v for i, v in zip((i for i, _ in wanted), self._vectors([t for _, t in wanted]))}

    def _vectors(self, texts: Sequence[str]) -> list[np.ndarray]:
        """The vector of each text: the ``RECENT_TEXTS`` last ones are remembered, the others
        embedded in one call (each distinct text once).  Copies of an article, wire stories
        retold by outlets and a flood of one day's reports repeat sentences word for word; the
        model costs some 6 ms of CPU a sentence, most of linking's cost."""
        recent = self._recent
        missing = sorted({t for t in texts if t not in recent})
        if missing:
            recent.update(zip(missing, self.embedder.encode(missing)))
        out = []
        for text in texts:
            recent.move_to_end(text)
            out.append(recent[text])
        while len(recent) > RECENT_TEXTS:
            recent.popitem(last=False)
        return out

    def _assign_claims(self, claims: list[Claim], article: Article, vectors: dict[str, np.ndarray],
                       cluster_of: dict[str, str], report: LinkReport,
                       about: Optional[dict[str, tuple[str, str]]] = None):
        members, new, items = [], [], []
        name = self.embedder.name if vectors else ""
        voices = sorted({v for c in claims if (v := voice(c))})
        event_clusters = {cluster_of[e] for c in claims for e in c.event_ids if e in cluster_of}
        stored = []
        if voices and article.published is not None:
            window = timedelta(days=CLAIM_WINDOW_DAYS)
            stored = self.store.claim_candidates(event_cluster_ids=sorted(event_clusters), voices=voices,
                                                 since=article.published - window, until=article.published + window,
                                                 limit=CLAIM_CAP)
        elif voices:
            stored = self.store.claim_candidates(event_cluster_ids=sorted(event_clusters), limit=CLAIM_CAP)
        stored_claims = self._stored_claims({row[0]: row[4] for row in stored}) if stored else {}
        stored_events = self._event_clusters({e for c in stored_claims.values() for e in c.event_ids})
        for claim_id, cluster_id, blob, model, _ in stored:
            if claim_id in stored_claims and blob is not None and model == name:
                c = stored_claims[claim_id]
                items.append(ClaimItem(c, from_bytes(blob), frozenset(stored_events[e] for e in c.event_ids
                                                                       if e in stored_events), cluster_id))
        taken = self.store.existing_cluster_ids("claim", [c.id for c in claims]) if claims else set()
        for pos, claim in enumerate(claims):
            vector = vectors.get(claim.id)
            own_events = frozenset(cluster_of[e] for e in claim.event_ids if e in cluster_of)
            if not own_events and about and claim.id in about:
                own_events = frozenset([about[claim.id][0]])
            item = ClaimItem(claim, vector if vector is not None else np.zeros(1, np.float32), own_events)
            sim: Optional[float]  # None for a cluster's first claim: no similarity to speak of
            cluster_id, sim, why = (best_cluster(item, items, name) if vector is not None else (None, 0.0, ""))
            if cluster_id is None:
                cluster_id = claim.id if claim.id not in taken else f"{claim.id}~{len(taken)}"
                speaker = claim.speaker
                new.append(ClaimCluster(id=cluster_id, voice=voice(claim), speaker=speaker.name if speaker else None,
                                        party=speaker.party if speaker else None, act=claim.act,
                                        event_cluster_id=min(own_events) if own_events else None, status=STALE))
                why, sim = "first appearance", None
                if about and claim.id in about:
                    why = f"first appearance; {about[claim.id][1]}"
                report.claim_clusters_started += 1
            else:
                report.claim_clusters_joined += 1
            item.cluster_id = cluster_id
            if vector is not None:
                items.append(item)
            members.append({"claim_id": claim.id, "cluster_id": cluster_id, "article_id": claim.article_id,
                            "pos": pos, "similarity": sim, "reason": why,
                            "vector": to_bytes(vector) if vector is not None else None,
                            "vector_model": name or None})
        return members, new

    def _stored_claims(self, claim_ids: dict[str, str]) -> dict[str, Claim]:
        """Stored claims by id (``claim_ids``: claim id -> its article's id); those read for an
        earlier article of the batch are not read again, and those read for an earlier batch
        come from the record cache (``link.record_cache``: kept while their article's extraction
        stands).  In a same-day flood every batch offered the same few hundred stored claims of
        a voice (``CLAIM_CAP``), each read again from five tables once a batch."""
        known = self._batch_claims
        missing = [i for i in claim_ids if i not in known]
        if missing:
            stamps = self._records.stamps({claim_ids[i] for i in missing})
            known.update((c.id, c) for c in self._records.claims.get(missing, stamps))
        return {i: known[i] for i in claim_ids if i in known}

    def _event_clusters(self, event_ids: set[str]) -> dict[str, str]:
        """``Store.event_cluster_ids`` (event id -> its cluster, for the clustered ones), each
        clustered event read once a batch: a member never moves, and an event not clustered
        yet is asked again (an article of the batch may cluster it).  A same-day flood asked
        for the events of the same few hundred stored claims for every article."""
        known = self._batch_clusters
        missing = [e for e in event_ids if e not in known]
        if missing:
            known.update(self.store.event_cluster_ids(missing))
        return {e: known[e] for e in event_ids if e in known}

    # -- aggregates ----------------------------------------------------------------

    def refresh(self, *, settle: bool = True) -> int:
        """Recompute every stale cluster (and the claim clusters of changed events); how many.

        ``settle=False`` (between the batches of one linking run) leaves stale, for now, each
        event cluster of at least ``REFRESH_ALWAYS`` members that this linker aggregated at n
        members and that has grown by less than n / ``REFRESH_GROWTH`` since (and with it the
        claim clusters recomputed because of it; stale claim clusters are all recomputed).
        Recomputing a cluster reads all its members, so a same-day flood, whose clusters grow
        to hundreds of reports, recomputed each after every batch of 16 articles that joined
        it: work growing with the square of the cluster.  Recomputed at each eighth of growth,
        a cluster costs a few times its final size in all.  Nothing linking decides reads an
        event cluster's aggregates (statuses, ranges, counts), so the links are the same, and
        the run ends with ``settle=True``: the ledger is then the same as recomputed after
        every batch.  Meanwhile the waiting cluster says it is stale (its status), rather than
        showing figures its newest reports may contradict.  Clusters under ``REFRESH_ALWAYS``
        members (an ordinary news day's) are recomputed at once, as before."""
        with self.store.snapshot():  # the reads in one transaction, the write after (``_link_one``)
            event_ids, claim_ids = self.store.stale_cluster_ids()
            if not settle and event_ids:
                event_ids = self._due(event_ids)
            if not event_ids and not claim_ids:
                return 0
            event_records = self._event_aggregates(event_ids)
            related = set(self.store.claim_cluster_events(event_cluster_ids=event_ids)) if event_ids else set()
            claim_records = self._claim_aggregates(sorted(set(claim_ids) | related))
        drop = [i for i in event_ids if i not in {r.id for r in event_records}]
        drop += [i for i in claim_ids if i not in {r.id for r in claim_records}]
        self.store.save_clusters(event_records, claim_records, drop=drop)
        return len(event_records) + len(claim_records)

    def _due(self, cluster_ids: list[str]) -> list[str]:
        """The stale event clusters ``refresh(settle=False)`` recomputes now."""
        sizes = self.store.cluster_sizes(cluster_ids)
        due = []
        for cluster_id in cluster_ids:
            n, last = sizes.get(cluster_id, 0), self._aggregated.get(cluster_id)
            if n < REFRESH_ALWAYS or last is None or n - last >= max(1, last // REFRESH_GROWTH):
                due.append(cluster_id)
        return due

    def _event_aggregates(self, cluster_ids: list[str]) -> list[EventCluster]:
        if not cluster_ids:
            return []
        members = self.store.cluster_members("event", cluster_ids)
        # Claims attached to the event without reporting a member event (a later denial): their clusters.
        attached = self.store.claim_clusters(event_cluster_id=cluster_ids)
        kept = self._records
        stamps = kept.stamps({m.article_id for ms in members.values() for m in ms}
                             | {m.article_id for cc in attached for m in cc.members})
        events = {e.id: e for e in kept.events.get((m.record_id for ms in members.values() for m in ms), stamps)}
        claims = {c.id: c for c in kept.claims.get((i for e in events.values() for i in e.claim_ids), stamps)}
        facts = self.store.article_facts({e.article_id for e in events.values()})
        extra = {c.id: c for c in kept.claims.get(
            (m.record_id for cc in attached for m in cc.members if m.record_id not in claims), stamps)}
        speaking: dict[str, list[Claim]] = {}
        for cc in attached:
            for m in cc.members:
                if m.record_id in extra:
                    speaking.setdefault(cc.event_cluster_id, []).append(extra[m.record_id])
        links = self.store.links_touching(list(events) + list(claims), type=("denies", "contradicts"))
        out = []
        for cluster_id, ms in members.items():
            self._aggregated[cluster_id] = len(ms)
            reports = []
            for m in ms:
                event = events.get(m.record_id)
                if event is None:
                    continue
                f = facts.get(event.article_id, {})
                reports.append(Report(event=event, outlet=self.outlets.get(f.get("source"), f.get("url")),
                                      published=f.get("published"), copy_of=f.get("copy_of"),
                                      claims=[claims[i] for i in event.claim_ids if i in claims]))
            if reports:
                ids = {r.id for r in reports} | {c.id for r in reports for c in r.claims}
                own_links = [link for link in links if link.source in ids or link.target in ids]
                out.append(aggregate.event_cluster(cluster_id, ms, reports, own_links,
                                                   speaking.get(cluster_id, []), facts, self.outlets))
        return out

    def _claim_aggregates(self, cluster_ids: list[str]) -> list[ClaimCluster]:
        if not cluster_ids:
            return []
        members = self.store.cluster_members("claim", cluster_ids)
        kept = self._records
        stamps = kept.stamps({m.article_id for ms in members.values() for m in ms})
        claims = {c.id: c for c in kept.claims.get((m.record_id for ms in members.values() for m in ms), stamps)}
        event_cluster = self.store.event_cluster_ids(e for c in claims.values() for e in c.event_ids)
        # A claim attached to an event by ``_claims_about`` keeps that event.
        stored_about = self.store.claim_cluster_events(ids=cluster_ids)
        # Other claims about the same events: their clusters' members.
        about = sorted({event_cluster[e] for c in claims.values() for e in c.event_ids if e in event_cluster}
                       | {v for v in stored_about.values() if v})
        siblings = self.store.claim_clusters(event_cluster_id=about) if about else []
        stamps.update(kept.stamps({m.article_id for s in siblings for m in s.members} - set(stamps)))
        sibling_claims = {c.id: c for c in kept.claims.get((m.record_id for s in siblings for m in s.members), stamps)}
        by_event: dict[str, list[Claim]] = {}
        for s in siblings:
            for m in s.members:
                if m.record_id in sibling_claims:
                    by_event.setdefault(s.event_cluster_id, []).append(sibling_claims[m.record_id])
        facts = self.store.article_facts({c.article_id for c in claims.values()})
        outlets = {i: self.outlets.get(f.get("source"), f.get("url")).name for i, f in facts.items()}
        links = self.store.links_touching(list(claims), type=("denies", "contradicts"))
        out = []
        for cluster_id, ms in members.items():
            own = [claims[m.record_id] for m in ms if m.record_id in claims]
            if not own:
                continue
            ids = {c.id for c in own}
            event_id = next((event_cluster[e] for c in own for e in c.event_ids if e in event_cluster),
                            stored_about.get(cluster_id))
            others = [c for c in by_event.get(event_id, []) if c.id not in ids] if event_id else []
            own_links = [link for link in links if link.source in ids or link.target in ids]
            out.append(aggregate.claim_cluster(cluster_id, ms, own, outlets, event_id, others, own_links))
        return out

    @staticmethod
    def _short(cluster_id: str) -> str:
        return cluster_id if len(cluster_id) <= 40 else cluster_id[:40] + "…"


def link_store(store, **kwargs) -> LinkReport:
    """Link every pending article of ``store`` (what ``counterclaim link`` runs)."""
    return Linker(store, **kwargs).link_pending()
