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
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import cpu_seconds, machine, peak_rss_mb  # noqa: E402

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


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def one_round(nlp, texts: list[str], records: list[dict], words: int) -> dict:
    """Bare spaCy, then ingest without linking, then with linking, on the same texts: the ratios
    of one round are measured under the same load.  CPU seconds count every thread of this
    process (linking runs in a thread beside extraction: ``api.background``)."""
    from counterclaim.api.ledger import Ledger

    cpu = cpu_seconds()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    bare = time.perf_counter() - started
    bare_cpu, cpu = cpu_seconds() - cpu, cpu_seconds()

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        with Ledger(Path(tmp) / "ledger.sqlite", link=False) as ledger:
            ledger.ingest([src], published="2017-01-01")  # warm up gazetteer and lexicons on a copy
        with Ledger(Path(tmp) / "bench.sqlite", link=False) as ledger:
            cpu = cpu_seconds()
            started = time.perf_counter()
            report = ledger.ingest([src], published="2017-01-01")
            full = time.perf_counter() - started
            full_cpu = cpu_seconds() - cpu
        with Ledger(Path(tmp) / "linked.sqlite") as ledger:
            ledger.linker.embedder.encode(["warm up"])  # the model loads once per process
            cpu = cpu_seconds()
            started = time.perf_counter()
            linked_report = ledger.ingest([src], published="2017-01-01")
            with_link = time.perf_counter() - started
            link_cpu = cpu_seconds() - cpu
    return {
        "load_1": round(os.getloadavg()[0], 2),
        "spacy_words_per_s": round(words / bare),
        "end_to_end_words_per_s": round(words / full),
        "ratio": round(bare / full, 3),
        "with_linking_words_per_s": round(words / with_link),
        "with_linking_ratio": round(bare / with_link, 3),
        "linking_seconds": round(linked_report.link_seconds, 1),
        "seconds": {"spacy": round(bare, 1), "ingest": round(full, 1), "ingest_and_link": round(with_link, 1)},
        "cpu_seconds": {"spacy": round(bare_cpu, 1), "ingest": round(full_cpu, 1), "ingest_and_link": round(link_cpu, 1)},
        "stored": len(report.stored),
        "claims": report.claims,
        "events": report.events,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--csv", type=Path, default=EVAL / "articles-fakes-syria" / "FA-KES-Dataset.csv")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of the three runs (each ratio is from one round; the median is printed too)")
    opts = parser.parse_args()
    if not opts.csv.is_file():
        print(f"throughput: skipped, {opts.csv} not found (set COUNTERCLAIM_EVAL_DIR)")
        return 0
    from counterclaim.nlp.pipeline import get_nlp

    records = load(opts.csv, opts.limit)
    texts = [r["text"] for r in records]
    nlp = get_nlp()
    list(nlp.pipe(texts[:2]))  # warm up
    words = sum(len(t.split()) for t in texts)
    before = machine()
    rounds = [one_round(nlp, texts, records, words) for _ in range(max(1, opts.repeat))]
    last = rounds[-1]
    result = {
        **before,
        "load_after": machine()["load_1_5_15"],
        "articles": len(texts),
        "words": words,
        "ratio": _median([r["ratio"] for r in rounds]),
        "with_linking_ratio": _median([r["with_linking_ratio"] for r in rounds]),
        "targets": {"ratio": 0.8, "with_linking_ratio": 0.85},
        "rounds": rounds,
        "peak_rss_mb": peak_rss_mb(),
        "stored": last.pop("stored"),
        "claims": last.pop("claims"),
        "events": last.pop("events"),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
