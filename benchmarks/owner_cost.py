"""CPU seconds of the store owner (storing and linking) per ingest, and a dump of the ledger it makes.

    python benchmarks/owner_cost.py [--limit 200] [--repeat 3] [--dump PATH] [--profile PATH]

``counterclaim ingest`` on 2 cores extracts in child processes while this process stores
each extraction and links it (``api.distributed``): every CPU second spent here is wall
time the children do not get.  This measures that part alone.  The first ``--limit``
FA-KES articles (``throughput.load``, read by path from ``COUNTERCLAIM_EVAL_DIR``) are
extracted once, beforehand; each timed run then ingests them into a fresh SQLite ledger
with linking (``Ledger.ingest``, ``extract_process=False``) from those extractions, so
its ``time.process_time`` is the owner's cost: storing, linking (its thread) and the
final refresh.  The embedder is ``COUNTERCLAIM_EMBEDDER`` (``static``, or MiniLM by
default); its own cost is measured apart, by encoding the same batches again after the
run, and reported as ``embedding_cpu`` (included in ``owner_cpu``).

``--dump``: every table of the last run's ledger, rows sorted, every column but the wall
clock ones, written as JSON lines: a change that must not change output is checked by
comparing the dumps before and after it.  ``--profile``: a cProfile of one more run.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import EVAL, as_jsonl, load  # noqa: E402

WALL_CLOCK = {"ingested_at", "saved_at", "linked_at", "updated_at", "polled_at", "ok_at", "created_at",
              "reviewed_at"}


def extract_all(src: Path) -> list:
    """The extractions of the articles in ``src``, in input order (done once, untimed)."""
    from counterclaim.ingest import read_inputs
    from counterclaim.nlp.extract import extract_many
    from counterclaim.records import Article

    items = [x for x in read_inputs([src], published="2017-01-01") if isinstance(x, Article)]
    return list(extract_many(items, batch_size=16))


def owner_run(path: Path, src: Path, extractions: list, encoded: list) -> tuple[float, Any]:
    """(CPU s of this process, report) of one ingest whose extraction is replayed from ``extractions``."""
    import counterclaim.nlp.extract as extract
    from counterclaim.api.ledger import Ledger

    by_id = {x.article.id: x for x in extractions}
    real = extract.extract_many
    extract.extract_many = lambda articles, **_: (by_id[a.id] for a in articles)  # type: ignore[assignment]
    try:
        with Ledger(path, link=True) as ledger:
            embedder = ledger.linker.embedder
            embedder.encode(["warm up"])  # the model is loaded in a long-running ledger
            encode = embedder.encode

            def recorded(texts):
                encoded.append(list(texts))
                return encode(texts)

            embedder.encode = recorded  # type: ignore[method-assign]
            try:
                cpu = time.process_time()
                report = ledger.ingest([src], published="2017-01-01", extract_process=False)
                return time.process_time() - cpu, report
            finally:
                del embedder.encode  # the class's method again
    finally:
        extract.extract_many = real  # type: ignore[assignment]


def embedding_cpu(encoded: list) -> float:
    """CPU s of encoding these batches again with the same embedder (loaded once per process)."""
    from counterclaim.link.embed import get_embedder

    embedder = get_embedder()
    cpu = time.process_time()
    for texts in encoded:
        embedder.encode(texts)
    return time.process_time() - cpu


def dump(db: Path, out: Path, tmp: str) -> int:
    """Every table of the SQLite ledger at ``db``, sorted, without wall-clock columns (and the
    temporary folder ``tmp`` the input was in, named in each article's origin); lines written."""
    import sqlite3

    conn = sqlite3.connect(db)
    lines = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    for table in tables:
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[1] not in WALL_CLOCK]
        rows = conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"').fetchall()
        shown = sorted(json.dumps([v.hex() if isinstance(v, bytes) else v.replace(tmp, "<tmp>")
                                   if isinstance(v, str) else v for v in row]) for row in rows)
        lines.append(f"# {table} {cols} {len(rows)}")
        lines += shown
    conn.close()
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv", type=Path, default=EVAL.joinpath("articles-fakes-syria", "FA-KES-Dataset.csv"))
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--profile", type=Path)
    opts = parser.parse_args()
    if not opts.csv.is_file():
        print(f"owner_cost: skipped, {opts.csv} not found (set COUNTERCLAIM_EVAL_DIR)")
        return 0
    records = load(opts.csv, opts.limit)
    with tempfile.TemporaryDirectory() as tmp:
        src = as_jsonl(Path(tmp), records)
        extractions = extract_all(src)
        cpus, embeds = [], []
        for n in range(max(1, opts.repeat)):
            encoded: list = []
            db = Path(tmp) / f"run{n}.sqlite"
            cpu, report = owner_run(db, src, extractions, encoded)
            cpus.append(cpu)
            embeds.append(embedding_cpu(encoded))
        if opts.dump:
            dump(db, opts.dump, tmp)
        if opts.profile:  # linking in this thread, where cProfile sees it
            import counterclaim.api.ledger as ledger_module

            threaded = ledger_module.BackgroundLinker
            ledger_module.BackgroundLinker = lambda link, **kw: threaded(link, **{**kw, "threaded": False})
            profiler = cProfile.Profile()
            profiler.enable()
            try:
                owner_run(Path(tmp) / "profiled.sqlite", src, extractions, [])
            finally:
                profiler.disable()
                ledger_module.BackgroundLinker = threaded
            profiler.dump_stats(str(opts.profile))
    from counterclaim.link.embed import get_embedder

    print(json.dumps({
        "embedder": get_embedder().name, "articles": len(extractions), "stored": len(report.stored),
        "linked": report.linked, "claims": report.claims, "events": report.events,
        "owner_cpu": round(statistics.median(cpus), 2), "owner_cpu_runs": [round(c, 2) for c in cpus],
        "embedding_cpu": round(statistics.median(embeds), 2),
        "owner_cpu_without_embedding": round(statistics.median(c - e for c, e in zip(cpus, embeds)), 2),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
