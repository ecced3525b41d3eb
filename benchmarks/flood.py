"""A flood of same-day reports: N RSS entries of one day, ingested and linked, timed.

    python benchmarks/flood.py [--entries 5000] [--keep DB]

Issue 13 (item 3) and 14: a day of thousands of reports (a feed dump, one
big attack told by every outlet) made linking stall, every new report being
compared with every report of the day and every member of the day's huge
clusters.  The linker's caps (``link.linker.WINDOW_CAP``, ``CLUSTER_CAP``,
``CLAIM_CAP``) bound that; the target is that 5,000 same-day RSS entries
ingest and link in under 10 minutes on this machine.

The entries are short wire-style reports generated here from templates
(fictional, written for this benchmark: a handful of towns of one province,
a few kinds of attack, tolls, sources), all published on one day, so the
day's clusters grow to thousands of reports.  The feed goes through the real
reader, extraction, store and linker (``Ledger.ingest``, as ``counterclaim
ingest flood.rss`` runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

TOWNS = ["Kasama", "Mpika", "Mbala", "Nakonde", "Isoka", "Chinsali", "Mporokoso", "Luwingu"]
ATTACKS = [
    ("Gunmen attacked a police post in {town}", "killing {n} officers"),
    ("Fighter jets struck a market in {town}", "killing {n} civilians"),
    ("Rebels shelled the outskirts of {town}", "killing {n} people"),
    ("A roadside bomb hit an army convoy near {town}", "killing {n} soldiers"),
    ("Troops clashed with militants in {town}", "leaving {n} fighters dead"),
]
SOURCES = ["the provincial police chief said", "a hospital official said", "the army said in a statement",
           "residents told reporters", "a monitoring group said", "the rebels said on their channel"]


def entry(n: int, rng: random.Random) -> str:
    town = rng.choice(TOWNS)
    what, toll = rng.choice(ATTACKS)
    text = (f"{what.format(town=town)} on Monday, {toll.format(n=rng.randint(2, 40))}, {rng.choice(SOURCES)}. "
            f"It was the latest in a series of attacks in the province. Report {n}.")
    return (f"<item><title>{escape(town)}: report {n}</title><guid>urn:flood:{n}</guid>"
            f"<pubDate>Tue, 10 Mar 2026 {n % 24:02d}:{n % 60:02d}:00 GMT</pubDate>"
            f"<description>{escape(text)}</description></item>")


def feed(entries: int, seed: int = 13) -> str:
    rng = random.Random(seed)
    items = "".join(entry(n, rng) for n in range(entries))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Flood Wire</title>{items}</channel></rss>'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="write the ledger here (a new SQLite file)")
    opts = parser.parse_args()
    from counterclaim.api.ledger import Ledger

    with tempfile.TemporaryDirectory(prefix="cc-flood-") as tmp:
        src = Path(tmp) / "flood.rss"
        src.write_text(feed(opts.entries), encoding="utf-8")
        with Ledger(opts.keep or Path(tmp) / "ledger.sqlite") as ledger:
            ledger.linker.embedder.encode(["warm up"])
            started = time.perf_counter()
            report = ledger.ingest([src])
            seconds = time.perf_counter() - started
            stats = ledger.store.link_stats()
            biggest = max((c.n_reports for c in ledger.event_clusters(members=False, limit=None)), default=0)
    result = {
        "cores": os.cpu_count(),
        "entries": opts.entries,
        "stored": len(report.stored),
        "linked": report.linked,
        "events": report.events,
        "claims": report.claims,
        "seconds": round(seconds, 1),
        "link_seconds": round(report.link_seconds, 1),
        "extract_and_store_seconds": round(seconds - report.link_seconds, 1),
        "event_clusters": stats["event_clusters"],
        "largest_event_cluster_reports": biggest,
        "target_seconds": 600,
        "within_target": seconds < 600,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
