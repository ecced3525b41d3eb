"""Cross-article linking on the FA-KES Syria CSV: extraction and linking timed apart, then the summary.

    python benchmarks/link_syria.py [--csv PATH] [--limit N] [--examples 10] [--json] [--keep DB]

Issue 5: the ~600 real articles of the FA-KES CSV are ingested through the
real CSV reader into a temporary SQLite ledger (extraction only, so its
clock is separate), then linked in one run; the target is that linking
takes under a minute beyond per-article extraction.  The summary is what
``counterclaim summary`` shows: how many merged events have 2+ outlets, how
many are disputed, and examples of each to inspect by hand.

The CSV is read by path from ../shared/eval (never copied into the repo).
Linking time includes loading the sentence-embedding model (a few seconds),
which a long-running ledger pays once.  ``--keep`` leaves the ledger for
``counterclaim summary`` / ``event ID`` to inspect the examples by hand.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or REPO.parent / "shared")
EVAL = Path(os.environ.get("COUNTERCLAIM_EVAL_DIR") or SHARED / "eval")
TARGET_LINK_SECONDS = 60.0


def _limited_copy(path: Path, limit: int, folder: Path) -> Path:
    """The first ``limit`` rows of the CSV, written to a temp file (the reader then reads it as is)."""
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    out = folder / path.name
    with out.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows[: limit + 1])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, default=EVAL / "articles-fakes-syria" / "FA-KES-Dataset.csv")
    parser.add_argument("--limit", type=int, default=0, help="only the first N rows (0: all)")
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--keep", type=Path, help="write the ledger here (a new SQLite file) instead of a temp one")
    args = parser.parse_args()
    if not args.csv.is_file():
        print(f"{args.csv}: not found (set COUNTERCLAIM_EVAL_DIR)", file=sys.stderr)
        return 2

    sys.path.insert(0, str(REPO / "src"))
    from counterclaim.api.ledger import Ledger
    from counterclaim.link.linker import Linker
    from counterclaim.link.views import summary_view

    with tempfile.TemporaryDirectory(prefix="cc-link-syria-") as tmp:
        source = _limited_copy(args.csv, args.limit, Path(tmp)) if args.limit else args.csv
        if args.keep and args.keep.exists():
            print(f"{args.keep}: exists; give a new file", file=sys.stderr)
            return 2
        with Ledger(args.keep or Path(tmp) / "ledger.sqlite", link=False) as ledger:
            started = time.perf_counter()
            ingested = ledger.ingest([source])
            extracted = time.perf_counter()
            linking = Linker(ledger.store).link_pending()
            linked = time.perf_counter()
            view = summary_view(ledger.store, examples=args.examples)
    result = {
        "csv": str(args.csv),
        "articles": len(ingested.stored),
        "duplicates_skipped": len(ingested.duplicates),
        "problems": len(ingested.problems),
        "events": ingested.events,
        "claims": ingested.claims,
        "seconds": {"extract": round(extracted - started, 1), "link": round(linked - extracted, 1)},
        "link_target_seconds": TARGET_LINK_SECONDS,
        "link_within_target": (linked - extracted) < TARGET_LINK_SECONDS,
        "embedder": linking.embedder,
        "copies": len(linking.copies),
        "summary": view,
    }
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return 0
    s = view["stats"]
    print(f"{result['articles']} articles ({result['duplicates_skipped']} duplicate rows skipped, "
          f"{result['problems']} problems), {result['events']} events, {result['claims']} claims")
    print(f"extraction {result['seconds']['extract']} s; linking {result['seconds']['link']} s "
          f"(target < {TARGET_LINK_SECONDS:.0f} s: {'met' if result['link_within_target'] else 'NOT met'}); "
          f"embedder {linking.embedder}; {len(linking.copies)} copies")
    print("summary: " + ", ".join(f"{k} {v}" for k, v in s.items()))
    for title, key in (("multi-outlet events", "examples_multi_outlet"), ("disputed events", "examples_disputed")):
        print(f"\n{title} (first {args.examples}):")
        for c in view[key]:
            print(f"  - {json.dumps(c, default=str)[:400]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
