"""``counterclaim eval crossdoc DIR``: cross-article linking against the FA-KES cross-document gold.

DIR holds ``articles.jsonl`` (``id``, ``source``, ``published``, ``title``,
``text``) and ``gold.json`` (format: the folder's README).  The articles are
ingested into a fresh temporary store, extracted, linked, and scored as issue
5 defines:

- ``pairs``: P/R/F1 over the gold article pairs.  The system says two
  articles share an event when one of its event clusters has reports (member
  events) from both; two gold ids whose texts are identical are one stored
  article and trivially share.
- ``duplicates``: P/R/F1 over the same pairs.  Gold marks "the same outlet's
  (near-)identical text under two unit_ids", so the system's side is a copy
  relation (``link.dedup``) between two articles of one outlet; copies across
  outlets (wire reprints) are reported apart as ``cross_outlet_copies``.

Matching by the gold folder's protocol (``protocol``, the headline figures):
the README of ``fakes-crossdoc-dev`` suggests matching "a predicted event to a
gold event when they share a reporting article and the sub-type (or one of
``accept_sub_types``), date and place agree (same name or within 25 km)".  A
predicted event here is a merged event (an ``EventCluster``), and it matches a
gold event when all of these hold:

- **a shared article**: one of the cluster's member events comes from an
  article the gold event lists among its reports;
- **sub-type**: the cluster's sub-type is the gold's or one of its
  ``accept_sub_types`` (not the linker's wider ``COMPATIBLE`` groups);
- **date**: the gold day lies in the cluster's day range, and that range
  spans at most ``DAY_WINDOW`` + 1 days (reports a day apart, which the
  linker merges; a cluster spread over a week has no date to agree with);
- **place**: ``place_agreement.agrees`` (same name or within 25 km; the gold's
  province only when none of its finer places can be located, counted in
  ``place_by_province``).

Each gold event is matched with at most one cluster and each cluster with at
most one gold event (a maximum matching, preferring the cluster that shares
the most reporting articles, then the most located anchors).  Then, in
``protocol``:

- ``events_matched``: matched gold events / all gold events;
- ``events_merged``: among gold events reported by 2+ articles, the share whose
  matched cluster holds events of every one of those articles (an unmatched
  event is not merged);
- ``fatalities_range``: among matched gold events with a toll, the share whose
  cluster's low and high both equal gold's; ``fatalities_range_all``: the
  same over ALL gold events with a toll (unmatched count as wrong);
- ``fatalities_best_in_range_all``: over all gold toll events, the share whose
  cluster's best figure lies within gold's [low, high] (the README's "exact or
  within [low, high]");
- ``status`` (matched events) and ``status_all`` (all gold events, unmatched
  wrong), with ``status_confusion`` (``unmatched`` as a system status);
- ``unmatched``: why the unmatched gold events found no cluster (the check
  the closest candidate failed: ``no shared article``, ``sub-type``,
  ``date``, ``place``, or ``taken`` when its only candidates matched other
  gold events);
- ``matched_events``, ``events_merged_support``, ``fatalities_support``: the
  counts behind the shares; ``place_by_province``: matches whose place agreed
  only through the province (the gold's finer place is not in the gazetteer).

Today's figures, kept for continuity (their meaning is unchanged, and it is
not the protocol's: a gold event is "matched" when any report's anchor is
located, whatever the cluster's sub-type, date or place):

- ``events_merged``: the share of gold events reported by 2+ articles whose
  reports all land in one system event.  A report is located by its anchor:
  the system events of that article whose evidence sentence (or one of the
  sentences merged into it, ``Event.mentions``) overlaps the anchor, or that
  a claim overlapping the anchor reports.  An article's
  reports count together (one gold event may cite two sources in one text);
  a report that no system event overlaps is a miss.
- ``fatalities_range``: among anchor-matched gold events with a toll, the share
  whose system low and high both equal gold's.  A gold event is matched when
  at least one report is located; its system event is the cluster holding
  the located reports of the most articles (on a tie, one of the gold
  sub-type or its ``accept_sub_types``).
- ``status``: accuracy of the system status among anchor-matched events.

The FA-KES gold calls an event corroborated when "2+ outlets (the dataset's
source column) report the event", a copy of a wire story or an allied
outlet included; the ledger does not (issue 11: a republication, or two
outlets of allied sides, are not independent corroboration).  So beside
``status`` and ``status_all``, ``status_outlet_convention`` and
``protocol.status_outlet_convention_all`` score the system's clusters by the
gold's convention (``outlet_convention``: its disputes as they are, then 2+
outlets), to tell merging and dispute errors from that difference of
convention.

``located_reports`` and ``matched_events`` (top level: anchor-matched) say
how much of the gold the extraction reached at all: linking cannot merge what
was never extracted.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Optional

from ..ingest import read_inputs
from ..link.events import DAY_WINDOW
from ..link.reports import reporting_articles
from ..records import Article
from .place_agreement import agrees, read_location
from .scoring import PRF, Accuracy, match_one_to_one


def evaluate_crossdoc(root: Path, progress=None) -> dict:
    root = Path(root)
    articles_path, gold_path = root / "articles.jsonl", root / "gold.json"
    for needed in (articles_path, gold_path):
        if not needed.is_file():
            raise FileNotFoundError(f"{needed}: missing (crossdoc needs articles.jsonl and gold.json)")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    ids = _stored_ids(articles_path)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cc-crossdoc-") as tmp:
        from ..api.ledger import Ledger
        from ..link.linker import Linker

        with Ledger(Path(tmp) / "ledger.sqlite", link=False) as ledger:
            ledger.ingest([articles_path], on_input=progress)
            extracted = time.perf_counter()
            linking = Linker(ledger.store).link_pending()
            linked = time.perf_counter()
            system = _system_view(ledger.store)
    metrics = score(gold, ids, system)
    metrics["seconds"] = {"extract": round(extracted - started, 1), "link": round(linked - extracted, 1)}
    metrics["embedder"] = linking.embedder
    return {"dataset": str(root), "n_docs": len(ids), "metrics": metrics}


def _stored_ids(path: Path) -> dict[str, tuple[str, str, Optional[str]]]:
    """Gold id -> (stored article id, text as stored, source), reading the file as ingest does."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    read = [a for a in read_inputs([path]) if isinstance(a, Article)]
    if len(read) != len(lines):
        raise ValueError(f"{path}: {len(lines)} lines but {len(read)} articles read")
    return {str(obj["id"]): (a.id, a.text, a.source) for obj, a in zip(lines, read)}


def _system_view(store) -> dict:
    """What the scorer needs from the store: events per article, clusters, copies."""
    clusters = store.event_clusters(limit=None)
    cluster_of = {m.record_id: c.id for c in clusters for m in c.members}
    events: dict[str, list] = {}
    for event in store.iter_events():
        events.setdefault(event.article_id, []).append(event)
    claims: dict[str, list] = {}
    for claim in store.iter_claims():
        claims.setdefault(claim.article_id, []).append(claim)
    return {
        "clusters": {c.id: c for c in clusters},
        "cluster_of": cluster_of,
        "events": events,
        "claims": claims,
        "copies": {(a, o) for a, o, *_ in store.copies()},
        "original": {a: o for a, o, *_ in store.copies()},
    }


def _located(report: dict, ids: dict, system: dict) -> set[str]:
    """System clusters of the events this gold report is located at (see the module docstring)."""
    article_id, text, _ = ids[report["article"]]
    start = text.find(report["anchor"])
    if start < 0:
        return set()
    end = start + len(report["anchor"])
    found = {e.id for e in system["events"].get(article_id, [])
             if any(s.start < end and start < s.end for s in [e.span, *e.mentions])}
    for claim in system["claims"].get(article_id, []):
        if claim.span.start < end and start < claim.span.end:
            found.update(claim.event_ids)
    return {system["cluster_of"][e] for e in found if e in system["cluster_of"]}


def score(gold: dict, ids: dict, system: dict) -> dict:
    shared: set[frozenset] = set()
    events = {e.id: e for es in system["events"].values() for e in es}
    for cluster in system["clusters"].values():
        arts = reporting_articles(events[m.record_id] for m in cluster.members if m.record_id in events)
        shared.update(frozenset(p) for p in combinations(sorted(arts), 2))

    def same(a: str, b: str) -> bool:
        sa, sb = ids[a][0], ids[b][0]
        return sa == sb or frozenset((sa, sb)) in shared

    def copy(a: str, b: str) -> tuple[bool, bool]:
        sa, sb = ids[a][0], ids[b][0]
        root = system["original"]
        is_copy = sa == sb or root.get(sa, sa) == root.get(sb, sb)
        return is_copy, ids[a][2] == ids[b][2]

    pairs, dups = PRF(), PRF()
    cross_copies = 0
    for pair in gold["pairs"]:
        a, b = pair["a"], pair["b"]
        predicted, truth = same(a, b), bool(pair["same_event"])
        pairs.add(int(predicted and truth), int(predicted), int(truth))
        is_copy, same_outlet = copy(a, b)
        cross_copies += int(is_copy and not same_outlet)
        dup_pred, dup_gold = is_copy and same_outlet, bool(pair.get("duplicate"))
        dups.add(int(dup_pred and dup_gold), int(dup_pred), int(dup_gold))

    merged, fatal, status, by_outlets = Accuracy(), Accuracy(), Accuracy(), Accuracy()
    located = reports = matched = 0
    confusion: Counter = Counter()
    for event in gold["events"]:
        by_article: dict[str, set[str]] = {}
        for report in event["reports"]:
            reports += 1
            where = _located(report, ids, system)
            located += bool(where)
            by_article.setdefault(ids[report["article"]][0], set()).update(where)
        if len(by_article) >= 2:
            merged.add(bool(set.intersection(*by_article.values())))
        votes = Counter(c for found in by_article.values() for c in found)
        if not votes:
            continue
        matched += 1
        # Most located reports first; on a tie, the cluster of the gold sub-type (the README's
        # protocol matches on sub-type: an anchor sentence may also tell a background event).
        kinds = {event.get("sub_type"), *event.get("accept_sub_types", [])}
        cluster = system["clusters"][max(votes, key=lambda c: (votes[c], system["clusters"][c].sub_type in kinds, c))]
        gold_fat = event.get("fatalities")
        if gold_fat and gold_fat.get("low") is not None:
            sys_fat = cluster.fatalities
            fatal.add(bool(sys_fat) and sys_fat.low == gold_fat["low"] and sys_fat.high == gold_fat["high"])
        status.add(cluster.status == event["status"])
        by_outlets.add(outlet_convention(cluster) == event["status"])
        confusion[f"{event['status']} -> {cluster.status}"] += 1
    return {
        "pairs": pairs.as_dict(),
        "duplicates": dups.as_dict(),
        "cross_outlet_copies": cross_copies,
        "events_merged": merged.value(),
        "events_merged_support": merged.total,
        "fatalities_range": fatal.value(),
        "fatalities_support": fatal.total,
        "status": status.value(),
        "status_outlet_convention": by_outlets.value(),
        "status_confusion": dict(sorted(confusion.items())),
        "located_reports": round(located / reports, 4) if reports else 0.0,
        "matched_events": matched,
        "gold_events": len(gold["events"]),
        "protocol": score_protocol(gold, ids, system),
    }


CHECKS = ("no shared article", "sub-type", "date", "place")


def _failed_check(event: dict, cluster, articles: set[str], location) -> Optional[str]:
    """The first protocol check (``CHECKS``) a cluster fails for a gold event, or None."""
    if not articles & {m.article_id for m in cluster.members}:
        return "no shared article"
    if cluster.sub_type not in {event.get("sub_type"), *event.get("accept_sub_types", [])}:
        return "sub-type"
    day = _day(event.get("date"))
    start, end = cluster.date_start, cluster.date_end
    if day is None or start is None or end is None or not (start <= day <= end) or (end - start).days > DAY_WINDOW:
        return "date"
    if not agrees(location, cluster.place, cluster.lat, cluster.lon, cluster.admin1, cluster.country).ok:
        return "place"
    return None


def _day(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def score_protocol(gold: dict, ids: dict, system: dict) -> dict:
    """The protocol figures of the module docstring."""
    golds = gold["events"]
    clusters = list(system["clusters"].values())
    by_article: dict[str, list] = {}
    for cluster in clusters:
        for article in {m.article_id for m in cluster.members}:
            by_article.setdefault(article, []).append(cluster)
    articles = [{ids[r["article"]][0] for r in e["reports"]} for e in golds]
    locations = [read_location(e.get("location") or "") for e in golds]
    candidates = [{c.id: c for a in arts for c in by_article.get(a, [])} for arts in articles]
    located = [Counter(c for r in e["reports"] for c in _located(r, ids, system)) for e in golds]
    ok = {(i, c.id) for i, e in enumerate(golds) for c in candidates[i].values()
          if _failed_check(e, c, articles[i], locations[i]) is None}

    def shared(i: int, c) -> float:
        return 100 * len(articles[i] & {m.article_id for m in c.members}) + located[i][c.id]

    pairs = match_one_to_one(range(len(golds)), clusters, lambda i, c: (i, c.id) in ok, shared)
    match = {i: clusters[j] for i, j in pairs}
    merged, fat, fat_all, best_all, status, status_all, by_outlets = (Accuracy() for _ in range(7))
    confusion: Counter = Counter()
    unmatched: Counter = Counter()
    by_province = 0
    for i, event in enumerate(golds):
        cluster = match.get(i)
        if cluster is None:
            unmatched[_why_unmatched(event, candidates[i].values(), articles[i], locations[i])] += 1
        elif agrees(locations[i], cluster.place, cluster.lat, cluster.lon, cluster.admin1, cluster.country).how == "province":
            by_province += 1
        if len(articles[i]) >= 2:
            merged.add(cluster is not None and articles[i] <= {m.article_id for m in cluster.members})
        gold_fat = event.get("fatalities")
        if gold_fat and gold_fat.get("low") is not None:
            sys_fat = cluster.fatalities if cluster is not None else None
            same = sys_fat is not None and sys_fat.low == gold_fat["low"] and sys_fat.high == gold_fat["high"]
            high = gold_fat.get("high") if gold_fat.get("high") is not None else gold_fat["low"]
            inside = sys_fat is not None and sys_fat.best is not None and gold_fat["low"] <= sys_fat.best <= high
            fat_all.add(same)
            best_all.add(inside)
            if cluster is not None:
                fat.add(same)
        right = cluster is not None and cluster.status == event["status"]
        status_all.add(right)
        by_outlets.add(cluster is not None and outlet_convention(cluster) == event["status"])
        if cluster is not None:
            status.add(right)
        confusion[f"{event['status']} -> {cluster.status if cluster is not None else 'unmatched'}"] += 1
    return {
        "events_matched": round(len(match) / len(golds), 4) if golds else 0.0,
        "events_merged": merged.value(),
        "events_merged_support": merged.total,
        "fatalities_range": fat.value(),
        "fatalities_range_all": fat_all.value(),
        "fatalities_best_in_range_all": best_all.value(),
        "fatalities_support": fat_all.total,
        "status": status.value(),
        "status_all": status_all.value(),
        "status_outlet_convention_all": by_outlets.value(),
        "status_confusion": dict(sorted(confusion.items())),
        "matched_events": len(match),
        "place_by_province": by_province,
        "unmatched": dict(sorted(unmatched.items())),
    }


def outlet_convention(cluster) -> str:
    """The cluster's status as the FA-KES gold defines it: disputed as the system says, else
    corroborated when 2+ outlets report it (copies and allied outlets included), else single-source."""
    if cluster.status == "disputed":
        return "disputed"
    return "corroborated" if cluster.n_outlets >= 2 else "single-source"


def _why_unmatched(event: dict, candidates, articles: set[str], location) -> str:
    """The check the closest candidate failed (``CHECKS`` order), or "taken" when one passed all."""
    fails = [_failed_check(event, c, articles, location) for c in candidates]
    if not fails:
        return "no shared article"
    if None in fails:
        return "taken"
    return max((f for f in fails if f is not None), key=CHECKS.index)
