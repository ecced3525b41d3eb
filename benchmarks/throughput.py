"""End-to-end throughput against the bare spaCy pipeline on the same articles.

    python benchmarks/throughput.py [--limit 200] [--repeat 2] [--csv PATH]

Targets: ingest -> nlp -> store at >= 80% of the bare spaCy pipeline's words
per second (DESIGN.md), and the whole pipeline with cross-article linking
(ingest -> nlp -> store -> link, what ``counterclaim ingest`` runs) at >= 85%
(issue 14).  Runs in one round, each on the same texts:

- bare spaCy in this process (``nlp.pipe``), and bare spaCy in a pool of 2
  warm processes (as ``dask_scaling.py`` measures it);
- ingest without linking, in one process (``extract_process=False``);
- ingest with linking in one process (linking in a thread beside extraction);
- ingest with linking as ``counterclaim ingest`` runs it on this machine: child
  processes extract (one a core, ``api.distributed.children_wanted``) while this
  one stores and links (``api.distributed.extract_beside``).  This uses every
  core where bare spaCy's ``nlp.pipe`` uses one, so its ratio is printed against
  both bare spaCy figures, in 1 and in 2 processes (``two_processes``: the key
  kept from when there was one child), with the children's CPU seconds added to
  this process's.  Its ratio to bare spaCy in 1 process is against bare spaCy
  timed again just before and just after it (the mean of the two): this
  machine's speed drifts over the minutes of a round.

Every model is loaded before the clocks start (the embedding model here, the
extraction child's spaCy by a warm-up ingest), as a long-running ledger has
them loaded.  Articles: the FA-KES CSV in ../shared/eval (read by path, never
copied), written as a JSONL input to a temp folder so the end-to-end runs go
through the real ingest readers and a real SQLite file.
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
from typing import Any

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


def as_jsonl(folder: Path, records: list[dict]) -> Path:
    """``records`` written as a JSONL input in ``folder`` (a temporary one: the evaluation data
    is never copied into the repo), so a run goes through the real ingest readers."""
    src = folder / "articles.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return src


def _iso(value: str | None) -> str | None:
    """FA-KES writes days as M/D/YYYY."""
    try:
        month, day, year = (int(x) for x in (value or "").split("/"))
        return f"{year:04d}-{month:02d}-{day:02d}"
    except ValueError:
        return None


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def _child_cpu() -> float:
    """CPU seconds of the ingest's extraction children so far (0 when there are none)."""
    import psutil

    from counterclaim.api.distributed import beside_pids

    total = 0.0
    for pid in beside_pids():
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system
    return total


def _children() -> int:
    from counterclaim.api.distributed import children_wanted

    return children_wanted()


def _timed_ingest(path: Path, src: Path, *, link: bool, extract_process: bool) -> tuple[float, float, float, Any]:
    """(wall s, CPU s of this process and the extraction children, the children's share, report)
    of one ingest into a new ledger."""
    from counterclaim.api.ledger import Ledger

    with Ledger(path, link=link) as ledger:
        if link:
            ledger.linker.embedder.encode(["warm up"])  # the model loads once per process
        children = _child_cpu()
        cpu = cpu_seconds() + children
        started = time.perf_counter()
        report = ledger.ingest([src], published="2017-01-01", extract_process=extract_process)
        wall = time.perf_counter() - started
        return wall, cpu_seconds() + _child_cpu() - cpu, _child_cpu() - children, report


def _bare(nlp, texts: list[str]) -> tuple[float, float]:
    """(wall s, CPU s) of bare spaCy over ``texts`` in this process."""
    cpu = cpu_seconds()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - started, cpu_seconds() - cpu


def one_round(nlp, texts: list[str], records: list[dict], words: int) -> dict:
    """Bare spaCy (1 and 2 processes), then the ingests, on the same texts: the ratios of one
    round are measured under the same load.  CPU seconds count every thread of this process
    (linking runs in a thread: ``api.background``) and the extraction child where there is one."""
    from dask_scaling import bare_spacy

    from counterclaim.api.ledger import Ledger

    bare, bare_cpu = _bare(nlp, texts)
    cpu = cpu_seconds(children=True)
    bare2 = bare_spacy(texts, 2)
    bare2_cpu = cpu_seconds(children=True) - cpu  # the pool's processes, model loads included

    with tempfile.TemporaryDirectory() as tmp:
        src = as_jsonl(Path(tmp), records)
        with Ledger(Path(tmp) / "ledger.sqlite", link=False) as ledger:
            # warm up gazetteer and lexicons on a copy, here and in the extraction child
            ledger.ingest([src], published="2017-01-01", extract_process=True)
        full, full_cpu, _, report = _timed_ingest(Path(tmp) / "bench.sqlite", src, link=False, extract_process=False)
        with_link, link_cpu, _, linked = _timed_ingest(Path(tmp) / "linked.sqlite", src, link=True,
                                                    extract_process=False)
        before, _ = _bare(nlp, texts)
        two, two_cpu, two_children_cpu, two_report = _timed_ingest(Path(tmp) / "two.sqlite", src, link=True,
                                                                   extract_process=True)
        after, _ = _bare(nlp, texts)
    # The children run is compared with bare spaCy timed just before and just after it: this
    # machine's speed drifts by up to 20% over the minutes a round takes (bare spaCy 15-19 s in
    # consecutive rounds), and the first bare run is minutes away from the last ingest.
    bracket = (before + after) / 2
    return {
        "load_1": round(os.getloadavg()[0], 2),
        "spacy_words_per_s": round(words / bare),
        "end_to_end_words_per_s": round(words / full),
        "ratio": round(bare / full, 3),
        "with_linking_words_per_s": round(words / with_link),
        "with_linking_ratio": round(bare / with_link, 3),
        "two_processes": {
            "what": "ingest -> nlp -> store -> link with extraction in child processes "
                    f"({_children()} beside the one that stores and links); bare spaCy in 1 and in 2 processes",
            "words_per_s": round(words / two),
            "ratio_to_spacy_1_process": round(bracket / two, 3),
            "spacy_1_process_seconds_before_and_after": [round(before, 1), round(after, 1)],
            "ratio_to_spacy_2_processes": round(bare2 / two, 3),
            "spacy_2_processes_words_per_s": round(words / bare2),
        },
        "linking_seconds": round(linked.link_seconds, 1),
        "seconds": {"spacy": round(bare, 1), "spacy_2_processes": round(bare2, 1), "ingest": round(full, 1),
                    "ingest_and_link": round(with_link, 1), "ingest_and_link_2_processes": round(two, 1)},
        "cpu_seconds": {"spacy": round(bare_cpu, 1), "spacy_2_processes_with_loads": round(bare2_cpu, 1),
                        "ingest": round(full_cpu, 1),
                        "ingest_and_link": round(link_cpu, 1), "ingest_and_link_2_processes": round(two_cpu, 1),
                        "of_which_extraction_children": round(two_children_cpu, 1)},
        "same_counts": (len(two_report.stored), two_report.claims, two_report.events)
        == (len(linked.stored), linked.claims, linked.events),
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
        "with_linking_2_processes_ratio": {
            "to_spacy_1_process": _median([r["two_processes"]["ratio_to_spacy_1_process"] for r in rounds]),
            "to_spacy_2_processes": _median([r["two_processes"]["ratio_to_spacy_2_processes"] for r in rounds])},
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
