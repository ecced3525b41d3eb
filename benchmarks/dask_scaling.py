"""1 vs 2 Dask workers against bare spaCy in 1 vs 2 processes, on the same articles, and peak RSS per worker.

    python benchmarks/dask_scaling.py [--limit 200] [--csv PATH]

Issue 14's targets: the speed-up of 2 Dask workers over 1 at least 0.9x the
speed-up bare spaCy gets from 2 processes over 1 (measured in the same run,
so a busy machine slows both), and peak resident memory at most 1.5 GB per
worker.

Every side is warm before its clock starts (models loaded in every process),
so the figures are throughput, not start-up:

- bare spaCy: ``nlp.pipe`` over the texts in a pool of 1, then 2, processes
  that loaded the model in their initializer;
- Dask: ``Ledger.ingest_items(..., client=...)`` on a LocalCluster of 1, then
  2, worker processes: workers parse and extract (``api.distributed``), this
  process stores each article (linking off: it is the owner's job, timed by
  benchmarks/throughput.py), so the figure is what ``ingest --workers N``
  delivers; and the extraction alone (records back in this process, nothing
  stored), which is what the workers themselves deliver.

Articles: the FA-KES CSV in ../shared/eval (read by path), the first
``--limit`` rows, through the real readers.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine, peak_rss_mb  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or REPO.parent / "shared")
EVAL = Path(os.environ.get("COUNTERCLAIM_EVAL_DIR") or SHARED / "eval")

_nlp = None


def _load() -> None:
    global _nlp
    from counterclaim.nlp.pipeline import get_nlp

    _nlp = get_nlp()
    list(_nlp.pipe(["Warm up the pipeline."]))


def _parse(texts: list[str]) -> int:
    return sum(len(doc) for doc in _nlp.pipe(texts, batch_size=16))


def bare_spacy(texts: list[str], processes: int) -> float:
    chunks = [texts[i:i + 8] for i in range(0, len(texts), 8)]
    with mp.get_context("spawn").Pool(processes, initializer=_load) as pool:
        pool.map(_parse, [["warm"]] * processes)  # every process has loaded the model
        started = time.perf_counter()
        pool.map(_parse, chunks, chunksize=1)
        return time.perf_counter() - started


def _warm() -> int:
    from datetime import date

    from counterclaim.nlp.extract import extract
    from counterclaim.records import Article

    extract(Article.create("The army said it shelled rebel positions near Aleppo on Monday, killing 12 fighters.",
                           published=date(2017, 1, 2), language="en"))
    return os.getpid()


def _peak_rss_mb() -> float:
    """On a worker: its own peak (self-contained: cloudpickle sends it by value, and a worker
    cannot import this folder's modules)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def dask_run(articles, workers: int, folder: Path) -> dict:
    from counterclaim.api import distributed
    from counterclaim.api.ledger import Ledger

    with distributed.open_client(workers=workers) as client:
        client.run(_warm)
        started = time.perf_counter()
        extracted = sum(1 for _ in distributed.extract_on(client, articles))
        extract_only = time.perf_counter() - started
        with Ledger(folder / f"dask{workers}.sqlite", link=False) as ledger:
            started = time.perf_counter()
            report = ledger.ingest_items(articles, client=client)
            with_store = time.perf_counter() - started
        rss = client.run(_peak_rss_mb)
    return {"extract_seconds": extract_only, "ingest_seconds": with_store, "extracted": extracted,
            "stored": len(report.stored), "peak_rss_mb": sorted(round(v) for v in rss.values())}


def one_round(texts: list[str], articles: list, folder: Path) -> dict:
    """Bare spaCy in 1 and 2 processes, then Dask with 1 and 2 workers: the ratios of one round
    are measured under the same load."""
    folder.mkdir()
    spacy = {n: bare_spacy(texts, n) for n in (1, 2)}
    dask = {n: dask_run(articles, n, folder) for n in (1, 2)}
    spacy_speedup = spacy[1] / spacy[2]
    extract_speedup = dask[1]["extract_seconds"] / dask[2]["extract_seconds"]
    ingest_speedup = dask[1]["ingest_seconds"] / dask[2]["ingest_seconds"]
    return {
        "load_1": round(os.getloadavg()[0], 2),
        "spacy_seconds": {n: round(v, 1) for n, v in spacy.items()},
        "dask_extract_seconds": {n: round(d["extract_seconds"], 1) for n, d in dask.items()},
        "dask_ingest_seconds": {n: round(d["ingest_seconds"], 1) for n, d in dask.items()},
        "spacy_2_process_speedup": round(spacy_speedup, 2),
        "dask_2_worker_speedup_extract": round(extract_speedup, 2),
        "dask_2_worker_speedup_ingest": round(ingest_speedup, 2),
        "extract_speedup_vs_spacy": round(extract_speedup / spacy_speedup, 2),
        "ingest_speedup_vs_spacy": round(ingest_speedup / spacy_speedup, 2),
        "peak_rss_mb_per_worker": {n: d["peak_rss_mb"] for n, d in dask.items()},
        "stored": {n: d["stored"] for n, d in dask.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--csv", type=Path, default=EVAL / "articles-fakes-syria" / "FA-KES-Dataset.csv")
    parser.add_argument("--repeat", type=int, default=1, help="rounds (each ratio is from one round; medians printed)")
    opts = parser.parse_args()
    if not opts.csv.is_file():
        print(f"dask_scaling: skipped, {opts.csv} not found (set COUNTERCLAIM_EVAL_DIR)")
        return 0
    sys.path.insert(0, str(REPO / "benchmarks"))
    from throughput import as_jsonl, load

    from counterclaim.ingest import read_inputs
    from counterclaim.records import Article

    before = machine()
    records = load(opts.csv, opts.limit)
    texts = [r["text"] for r in records]
    with tempfile.TemporaryDirectory() as tmp:
        src = as_jsonl(Path(tmp), records)
        articles = [a for a in read_inputs([src], published="2017-01-01") if isinstance(a, Article)]
        rounds = [one_round(texts, articles, Path(tmp) / f"round{k}") for k in range(max(1, opts.repeat))]
    peak = max(v for r in rounds for d in r["peak_rss_mb_per_worker"].values() for v in d)
    result = {
        **before,
        "load_after": machine()["load_1_5_15"],
        "articles": len(articles),
        **{key: round(statistics.median(r[key] for r in rounds), 2)
           for key in ("spacy_2_process_speedup", "dask_2_worker_speedup_extract", "dask_2_worker_speedup_ingest",
                       "extract_speedup_vs_spacy", "ingest_speedup_vs_spacy")},
        "target_speedup_vs_spacy": 0.9,
        "peak_rss_mb_worker_max": peak,
        "peak_rss_within_1_5_gb": peak <= 1536,
        "owner_peak_rss_mb": peak_rss_mb(),
        "rounds": rounds,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
