"""Linking cost per article in a ledger of 10,000 and of 100,000 stored articles, and its growth exponent.

    python benchmarks/link_scale.py [--sizes 10000 100000] [--new 100] [--base PATH] [--csv PATH]

Issue 14's target: linking one more article costs at most twice as much at
100,000 stored articles as at 10,000 (a growth exponent log(c100k/c10k) /
log(10) at most 0.3; a scan of the ledger would give 1).

The ledgers are built fast, at the SQL level, from one real one: the FA-KES
Syria CSV (596 articles, read by path from ../shared/eval) ingested and
linked once (``--base`` keeps it for the next run).  The big ledger is that
ledger repeated in blocks, each block with new ids (``~bN``), its days
shifted past the previous block's (so the density of news per day is the
FA-KES one at every size: what grows is the history, as a ledger grows), its
clusters and vectors, and its copy fingerprints re-keyed (SimHash and band
keys XORed with a per-block constant: what light edits do to a text's
fingerprints, so a repeat is not a copy of its original).  Then ``--new``
articles (the first FA-KES ones, dated on the last block's days, their texts
letter-rotated so that they are nobody's copy) are stored unlinked and linked
by ``Linker.link``, timed.  The embedding model is loaded and the copy index
checked before the clock starts (once per process in real use).  Wall and
CPU time are both printed: on a shared machine the CPU time of this
process is the steadier of the two.
"""

from __future__ import annotations

import argparse
import codecs
import json
import math
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine, peak_rss_mb  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or REPO.parent / "shared")
EVAL = Path(os.environ.get("COUNTERCLAIM_EVAL_DIR") or SHARED / "eval")

ID_COLUMNS = {"article_id", "claim_id", "event_id", "cluster_id", "event_cluster_id", "copy_of"}
ID_OF = {"articles", "claims", "events", "event_clusters", "claim_clusters"}  # tables whose "id" is a record id
DATE_COLUMNS = {("articles", "published"), ("events", "date_start"), ("events", "date_end"),
                ("event_clusters", "date_start"), ("event_clusters", "date_end")}
LINK_TABLES = ("linked_articles", "event_clusters", "event_cluster_members", "claim_clusters",
               "claim_cluster_members", "article_bands")
SKIP = ("feeds", "feed_entries", "counterclaim_alembic_version")


def build_base(path: Path, csv_path: Path) -> None:
    from counterclaim.api.ledger import Ledger
    from counterclaim.link.linker import Linker

    with Ledger(path, link=False) as ledger:
        ledger.ingest([csv_path])
        Linker(ledger.store).link_pending()


def _xor(column: str, constant: int) -> str:
    return f"(({column} | {constant}) - ({column} & {constant}))"  # SQLite has no XOR operator


def _expression(table: str, column: str, suffix: str, shift: int, constant: int) -> str:
    if column in ID_COLUMNS or (column == "id" and table in ID_OF) or (table == "links" and column in ("source", "target")):
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE {column} || '{suffix}' END"
    if (table, column) in DATE_COLUMNS:
        return f"date({column}, '+{shift} days')"
    if table == "events" and column == "date":
        return f"CASE WHEN length(date) = 10 THEN date(date, '+{shift} days') ELSE date END"
    if (table, column) in (("articles", "simhash"), ("article_bands", "key")):
        return _xor(column, constant)
    return column


def add_block(conn: sqlite3.Connection, tables: dict[str, list[str]], suffix: str, shift: int, constant: int,
              *, link_rows: bool = True, only: str = "") -> None:
    for table, columns in tables.items():
        if not link_rows and table in LINK_TABLES:
            continue
        select = ", ".join(_expression(table, c, suffix, shift, constant) for c in columns)
        conn.execute(f"INSERT INTO main.{table} ({', '.join(columns)}) SELECT {select} FROM base.{table} {only}")


def build(base: Path, path: Path, size: int, new: int) -> tuple[list[str], int]:
    """The ledger of ``size`` articles at ``path``, with ``new`` unlinked articles; their ids and the block count."""
    shutil.copyfile(base, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("ATTACH DATABASE ? AS base", (str(base),))
    tables = {row[0]: [c[1] for c in conn.execute(f"PRAGMA base.table_info({row[0]})")]
              for row in conn.execute("SELECT name FROM base.sqlite_master WHERE type = 'table'")
              if row[0] not in SKIP}
    order = [t for t in ("articles", "extractions", "claims", "quantities", "events", "event_claims", "places",
                         "times", "links", "linked_articles", "event_clusters", "event_cluster_members",
                         "claim_clusters", "claim_cluster_members", "article_bands") if t in tables]
    tables = {t: tables[t] for t in order}
    n = conn.execute("SELECT count(*) FROM base.articles").fetchone()[0]
    first, last = (date.fromisoformat(d) for d in conn.execute(
        "SELECT min(published), max(published) FROM base.articles").fetchone())
    span = (last - first).days + 30
    blocks = math.ceil(size / n)
    conn.execute("BEGIN")
    for k in range(1, blocks):
        add_block(conn, tables, f"~b{k}", k * span, (k * 0x9E3779B97F4A7C1) & ((1 << 62) - 1))
    # The articles to link: the first ``new`` of the base, on the last block's days, not yet linked.
    chosen = [row[0] for row in conn.execute("SELECT id FROM base.articles ORDER BY published, id LIMIT ?", (new,))]
    marks = ",".join("?" * len(chosen))
    conn.execute("CREATE TEMP TABLE chosen AS SELECT id FROM base.articles WHERE id IN (%s)" % marks, chosen)
    for table, columns in tables.items():
        if table in LINK_TABLES:
            continue
        key = "id" if table == "articles" else "article_id"
        select = ", ".join(_expression(table, c, "~new", (blocks - 1) * span, 0) for c in columns)
        conn.execute(f"INSERT INTO main.{table} ({', '.join(columns)}) SELECT {select} FROM base.{table} "
                     f"WHERE {key} IN (SELECT id FROM chosen)")
    ids = [i + "~new" for i in chosen]
    for article_id, text in conn.execute(f"SELECT id, text FROM main.articles WHERE id IN ({marks})",
                                         ids).fetchall():
        conn.execute("UPDATE main.articles SET text = ?, simhash = NULL WHERE id = ?",
                     (codecs.encode(text, "rot13"), article_id))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return ids, blocks


def measure(path: Path, ids: list[str]) -> dict:
    from counterclaim.link.linker import Linker
    from counterclaim.store import Store

    with Store.open(path) as store:
        stored = store.stats()["articles"]
        linker = Linker(store)
        linker.embedder.encode(["warm up"])
        linker._index_legacy()  # the one-off check for articles linked before the copy index
        started, cpu = time.perf_counter(), time.process_time()
        report = linker.link(ids)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    n = max(1, len(report.linked))
    return {"stored_articles": stored, "linked": len(report.linked), "seconds": round(seconds, 2),
            "ms_per_article": round(1000 * seconds / n, 1), "cpu_ms_per_article": round(1000 * cpu / n, 1),
            "joined_event_clusters": report.event_clusters_joined, "copies": len(report.copies),
            "capped": report.capped, "load_1": round(os.getloadavg()[0], 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--base", type=Path, help="the linked FA-KES ledger (built here if missing)")
    parser.add_argument("--csv", type=Path, default=EVAL / "articles-fakes-syria" / "FA-KES-Dataset.csv")
    parser.add_argument("--keep", action="store_true", help="keep the built ledgers (printed)")
    opts = parser.parse_args()
    if not opts.csv.is_file() and not (opts.base and opts.base.exists()):
        print(f"link_scale: skipped, {opts.csv} not found (set COUNTERCLAIM_EVAL_DIR)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="cc-link-scale-"))
    base = opts.base or tmp / "base.sqlite"
    started = time.perf_counter()
    if not base.exists():
        build_base(base, opts.csv)
    built = {"base_seconds": round(time.perf_counter() - started, 1)}
    rows = []
    for size in opts.sizes:
        path = tmp / f"ledger-{size}.sqlite"
        started = time.perf_counter()
        ids, blocks = build(base, path, size, opts.new)
        built[f"build_{size}_seconds"] = round(time.perf_counter() - started, 1)
        rows.append(dict(measure(path, ids), size=size, blocks=blocks))
        if not opts.keep:
            path.unlink()
    result = {**machine(), "per_size": rows, "build": built, "peak_rss_mb": peak_rss_mb()}
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        ratio = b["ms_per_article"] / a["ms_per_article"]
        result["cost_ratio"] = round(ratio, 2)
        result["growth_exponent"] = round(math.log(ratio) / math.log(b["stored_articles"] / a["stored_articles"]), 3)
        result["within_target_2x"] = ratio <= 2.0
        result["cpu_cost_ratio"] = round(b["cpu_ms_per_article"] / a["cpu_ms_per_article"], 2)  # less noisy on a busy machine
    if not opts.keep and not opts.base:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
