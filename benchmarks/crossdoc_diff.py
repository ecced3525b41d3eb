"""Gold event clusters against the linker's clusters on the FA-KES cross-article gold, event by event.

    python benchmarks/crossdoc_diff.py [--dir DIR] [--cache FILE] [--fresh] [--all]

``counterclaim eval crossdoc`` gives the figures; this script shows why they are what
they are, to sort the failures into classes before writing a rule: for each gold event
that is not merged (M), whose toll range is wrong (F) or whose status is wrong (S), the
gold reports with their tolls and sources, the cluster the protocol matched (or why none
matched), the other clusters its anchors are located in, each cluster's members (sub-type,
place, day, toll, perpetrator, position in the article) and the figures its toll range
is made of.  A member's cause is often upstream (a toll, place, day or sub-type the
extraction got wrong): linking can only merge and range what it is given.

Extraction is the slow part and does not change while linking rules are tried: the
extracted, unlinked store is kept in ``--cache`` (``--fresh`` rebuilds it) and each run
links a copy of it, so a linking change is measured in well under a minute.  The figures
printed first are those of ``eval crossdoc`` (same scorer, same matching).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or REPO.parent / "shared")
EVAL = Path(os.environ.get("COUNTERCLAIM_EVAL_DIR") or SHARED / "eval")
HEADLINE = ("events_matched", "events_merged", "fatalities_range", "fatalities_range_all",
            "fatalities_best_in_range_all", "status", "status_all", "status_outlet_convention_all")


def _fat(f) -> str:
    return f"{f.low}/{f.best}/{f.high}" if f else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=EVAL / "fakes-crossdoc-dev")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cc-crossdoc-extracted.sqlite")
    parser.add_argument("--fresh", action="store_true", help="extract again into --cache")
    parser.add_argument("--all", action="store_true", help="show every gold event, not only the failing ones")
    args = parser.parse_args()
    if not (args.dir / "gold.json").is_file():
        print(f"{args.dir}: no gold.json (set COUNTERCLAIM_EVAL_DIR)", file=sys.stderr)
        return 2

    sys.path.insert(0, str(REPO / "src"))
    from counterclaim.api.ledger import Ledger
    from counterclaim.eval import crossdoc
    from counterclaim.eval.place_agreement import read_location
    from counterclaim.eval.scoring import match_one_to_one
    from counterclaim.link.linker import Linker

    articles = args.dir / "articles.jsonl"
    if args.fresh or not args.cache.exists():
        args.cache.unlink(missing_ok=True)
        with Ledger(args.cache, link=False) as ledger:
            ledger.ingest([articles])
    gold = json.loads((args.dir / "gold.json").read_text(encoding="utf-8"))
    ids = crossdoc._stored_ids(articles)
    with tempfile.TemporaryDirectory(prefix="cc-crossdoc-diff-") as tmp:
        work = Path(tmp) / "ledger.sqlite"
        shutil.copy(args.cache, work)
        with Ledger(work, link=False) as ledger:
            Linker(ledger.store).link_pending()
            system = crossdoc._system_view(ledger.store)
    metrics = crossdoc.score(gold, ids, system)
    protocol = metrics["protocol"]
    print("pairs", metrics["pairs"])
    print("protocol", {k: protocol[k] for k in HEADLINE})
    print("unmatched", protocol["unmatched"])

    # The protocol's matching again, to show each gold event's cluster (``crossdoc.score_protocol``).
    golds, clusters = gold["events"], system["clusters"]
    names = {stored: gold_id for gold_id, (stored, _, _) in ids.items()}
    events = {e.id: e for es in system["events"].values() for e in es}
    reporting = [{ids[r["article"]][0] for r in e["reports"]} for e in golds]
    locations = [read_location(e.get("location") or "") for e in golds]
    by_article: dict[str, list] = {}
    for cluster in clusters.values():
        for article in {m.article_id for m in cluster.members}:
            by_article.setdefault(article, []).append(cluster)
    located = [Counter(c for r in e["reports"] for c in crossdoc._located(r, ids, system)) for e in golds]
    candidates = [{c.id: c for a in arts for c in by_article.get(a, [])} for arts in reporting]
    ok = {(i, c.id) for i, e in enumerate(golds) for c in candidates[i].values()
          if crossdoc._failed_check(e, c, reporting[i], locations[i]) is None}
    listed = list(clusters.values())
    pairs = match_one_to_one(range(len(golds)), listed, lambda i, c: (i, c.id) in ok,
                             lambda i, c: 100 * len(reporting[i] & {m.article_id for m in c.members}) + located[i][c.id])
    match = {i: listed[j] for i, j in pairs}
    for i, event in enumerate(golds):
        cluster, gold_fat = match.get(i), event.get("fatalities")
        members = {m.article_id for m in cluster.members} if cluster is not None else set()
        fat = cluster.fatalities if cluster is not None else None
        flags = ("M" if len(reporting[i]) >= 2 and not reporting[i] <= members else ".") + (
            "F" if gold_fat and not (fat and (fat.low, fat.high) == (gold_fat["low"], gold_fat["high"])) else ".") + (
            "S" if cluster is None or cluster.status != event["status"] else ".")
        if flags == "..." and not args.all:
            continue
        toll = f"{gold_fat['low']}/{gold_fat['best']}/{gold_fat['high']}" if gold_fat else "-"
        print(f"\n=== {event['id']} {flags} {event['sub_type']} | {event['location']} | {event['date']} | "
              f"gold {toll} {event['status']}")
        for report in event["reports"]:
            print(f"    gold report {report['article']} ({ids[report['article']][2]}): {report.get('fatalities')} "
                  f"by {report.get('attributed_to')}")
        shown = [cluster] if cluster is not None else []
        if cluster is None:
            print(f"    UNMATCHED: {crossdoc._why_unmatched(event, candidates[i].values(), reporting[i], locations[i])}")
        shown += [clusters[c] for c in located[i] if cluster is None or c != cluster.id]
        for k, c in enumerate(shown):
            tag = "MATCH" if k == 0 and cluster is not None else "other"
            print(f"  {tag} {c.id[:32]} {c.sub_type} | {c.place} | {c.date_start}..{c.date_end} | {_fat(c.fatalities)} "
                  f"{c.status}: {c.status_reason[:160]}")
            for m in c.members:
                e = events.get(m.record_id)
                if e is None:
                    continue
                mark = "*" if e.article_id in reporting[i] else " "
                print(f"      {mark}{names.get(e.article_id, '?')} {e.sub_type[:14]} | {e.place.name if e.place else None}"
                      f" | {e.date} | {_fat(e.fatalities)} | actor1 {e.actor1.party if e.actor1 else None} | @{e.span.start}"
                      f" {e.span.text[:90]!r}")
            for f in c.figures:
                print(f"        figure {f['low']}-{f['high']} from {f['source']} ({f['outlet']}, "
                      f"{names.get(f['article_id'], '?')}){' update' if f.get('update') else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
