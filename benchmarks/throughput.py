"""End-to-end throughput against the bare spaCy pipeline on the same articles.

    python benchmarks/throughput.py [--limit 200] [--csv PATH]

Targets: ingest -> nlp -> store at >= 80% of the bare spaCy pipeline's words
per second (DESIGN.md), and the whole pipeline with cross-article linking
(ingest -> nlp -> store -> link, what ``counterclaim ingest`` runs) at >= 85%
(issue 14).  Three runs in one process, each on the same texts: bare spaCy,
ingest without linking, ingest with linking (the embedding model is loaded
before the clock starts, as a long-running ledger has it loaded).
Articles: the FA-KES CSV in ../shared/eval
(read by path, never copied), written as a JSONL input to a temp folder so the
end-to-end run goes through the real ingest readers and a real SQLite file.
Both runs see the same texts; the model is loaded before either clock starts.
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


def load(path: Path, limit: int) -> list[dict]:
    """The first ``limit`` rows, with their own publication days: linking compares reports by day,
    and 200 articles put on one day would time a same-day flood instead (``flood.py``)."""
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:limit]
    return [{"text": r["article_content"], "title": r["article_title"], "source": r["source"],
             "published": _iso(r.get("date"))} for r in rows]


def _iso(value: str | None) -> str | None:
    """FA-KES writes days as M/D/YYYY."""
    try:
        month, day, year = (int(x) for x in (value or "").split("/"))
        return f"{year:04d}-{month:02d}-{day:02d}"
    except ValueError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--csv", type=Path, default=EVAL / "articles-fakes-syria" / "FA-KES-Dataset.csv")
    opts = parser.parse_args()
    if not opts.csv.is_file():
        print(f"throughput: skipped, {opts.csv} not found (set COUNTERCLAIM_EVAL_DIR)")
        return 0
    from counterclaim.api.ledger import Ledger
    from counterclaim.nlp.pipeline import get_nlp

    records = load(opts.csv, opts.limit)
    texts = [r["text"] for r in records]
    nlp = get_nlp()
    list(nlp.pipe(texts[:2]))  # warm up
    words = sum(len(t.split()) for t in texts)

    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    bare = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        with Ledger(Path(tmp) / "ledger.sqlite", link=False) as ledger:
            ledger.ingest([src], published="2017-01-01")  # warm up gazetteer and lexicons on a copy
        with Ledger(Path(tmp) / "bench.sqlite", link=False) as ledger:
            started = time.perf_counter()
            report = ledger.ingest([src], published="2017-01-01")
            full = time.perf_counter() - started
        with Ledger(Path(tmp) / "linked.sqlite") as ledger:
            ledger.linker.embedder.encode(["warm up"])  # the model loads once per process
            started = time.perf_counter()
            linked_report = ledger.ingest([src], published="2017-01-01")
            with_link = time.perf_counter() - started
    result = {
        "cores": os.cpu_count(),
        "articles": len(texts),
        "words": words,
        "spacy_words_per_s": round(words / bare),
        "end_to_end_words_per_s": round(words / full),
        "ratio": round(bare / full, 3),
        "with_linking_words_per_s": round(words / with_link),
        "with_linking_ratio": round(bare / with_link, 3),
        "linking_seconds": round(linked_report.link_seconds, 1),
        "seconds": {"spacy": round(bare, 1), "ingest": round(full, 1), "ingest_and_link": round(with_link, 1)},
        "stored": len(report.stored),
        "claims": report.claims,
        "events": report.events,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
