"""What truecasing costs on case-damaged text: the parse of lower-cased articles with and
without restoring their case first.

    python benchmarks/truecase_speed.py [--limit 100]

Articles: IndiaPoliceEvents (lower-cased) in ../shared/eval/articles-india-police
(read by path, never copied). Prints words per second for the bare parse of the
texts as stored, and for truecase + parse, and their ratio. Both in the same run,
model loaded before either clock starts; on a shared machine compare ratios only.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or REPO.parent / "shared")
EVAL = Path(os.environ.get("COUNTERCLAIM_EVAL_DIR") or SHARED / "eval")


def texts_of(path: Path, limit: int) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["doc_text"] for line, _ in zip(fh, range(limit))]


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--limit", type=int, default=100)
    args.add_argument("--jsonl", type=Path, default=EVAL / "articles-india-police" / "docs.jsonl")
    opts = args.parse_args()
    if opts.jsonl.is_file():
        return run(texts_of(opts.jsonl, opts.limit))
    print(f"truecase_speed: skipped, {opts.jsonl} not found (set COUNTERCLAIM_EVAL_DIR)")
    return 0


def run(texts: list[str]) -> int:
    from counterclaim.nlp.pipeline import get_nlp
    from counterclaim.nlp.truecase import damage, truecase

    nlp = get_nlp()
    list(nlp.pipe(texts[:2]))
    truecase(texts[0])  # warm up the tables
    words = sum(len(t.split()) for t in texts)

    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    bare = time.perf_counter() - started

    started = time.perf_counter()
    for _ in nlp.pipe((truecase(t) for t in texts), batch_size=16):
        pass
    restored = time.perf_counter() - started
    print(json.dumps({
        "articles": len(texts),
        "damaged": sum(1 for t in texts if damage(t)),
        "words": words,
        "parse_words_per_s": round(words / bare),
        "truecase_and_parse_words_per_s": round(words / restored),
        "ratio": round(bare / restored, 3),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
