"""Events per article and the largest single-event toll after ingesting the FA-KES articles.

    python benchmarks/event_totals.py [--limit 604] [--csv PATH]

Issue 11's guard against context stored as events and one event told as many:
after ingesting all 604 FA-KES articles (ingest -> nlp -> store, no linking: the
figures are per article), no event may carry more than 5,000 fatalities (a war's
cumulative toll is context, never one event's) and the articles may average no
more than 4.5 events (the hand-made gold of those outlets has about 4).  Prints
both, the events over the toll cap with their evidence, and whether each holds.
Articles are read as ``throughput.py`` reads them (by path, never copied).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import EVAL, as_jsonl, load  # noqa: E402

MAX_FATALITIES = 5_000
MAX_EVENTS_PER_ARTICLE = 4.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=604)
    parser.add_argument("--csv", type=Path, default=EVAL / "articles-fakes-syria" / "FA-KES-Dataset.csv")
    opts = parser.parse_args()
    if not opts.csv.is_file():
        print(f"event_totals: skipped, {opts.csv} not found (set COUNTERCLAIM_EVAL_DIR)")
        return 0
    from counterclaim.api.ledger import Ledger

    records = load(opts.csv, opts.limit)
    with tempfile.TemporaryDirectory() as tmp:
        src = as_jsonl(Path(tmp), records)
        with Ledger(Path(tmp) / "ledger.sqlite", link=False) as ledger:
            report = ledger.ingest([src], published="2017-01-01")
            events = ledger.events(limit=None)
            articles = len(ledger.articles(limit=None))
    tolls = [(e.fatalities.best, e) for e in events if e.fatalities is not None and e.fatalities.best is not None]
    largest = max((t for t, _ in tolls), default=0)
    over = sorted(((t, e) for t, e in tolls if t > MAX_FATALITIES), key=lambda x: -x[0])
    per_article = round(len(events) / articles, 3) if articles else 0.0
    result = {
        "articles": articles,
        "stored": len(report.stored),
        "events": len(events),
        "events_per_article": per_article,
        "events_per_article_ok": per_article <= MAX_EVENTS_PER_ARTICLE,
        "max_fatalities": largest,
        "events_over_5000": len(over),
        "max_fatalities_ok": not over,
        "fatalities_sum": sum(t for t, _ in tolls),
        "over_5000": [{"best": t, "sub_type": e.sub_type, "evidence": e.span.text[:160]} for t, e in over[:10]],
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
