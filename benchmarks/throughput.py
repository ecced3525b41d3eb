"""End-to-end throughput against the bare spaCy pipeline on the same articles.

    python benchmarks/throughput.py [--limit 200] [--csv PATH]

Target (DESIGN.md): ingest -> nlp -> store at >= 80% of the bare spaCy
pipeline's words per second; cross-article linking is a later stage, timed by
`counterclaim eval crossdoc` and the linking benchmark, so it is off here.
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
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:limit]
    return [{"text": r["article_content"], "title": r["article_title"], "source": r["source"]} for r in rows]


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
    result = {
        "articles": len(texts),
        "words": words,
        "spacy_words_per_s": round(words / bare),
        "end_to_end_words_per_s": round(words / full),
        "ratio": round(bare / full, 3),
        "stored": len(report.stored),
        "claims": report.claims,
        "events": report.events,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
