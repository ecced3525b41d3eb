"""p95 latency of the HTTP API's list, filter and search endpoints with N articles stored.

    python benchmarks/api_latency.py [--articles 100000] [--pg postgresql://postgres@127.0.0.1:5432/test]
        [--no-pg] [--repeats 40] [--keep DIR]

The demo articles, run through the real extractor once, are repeated with
changed ids, texts, published days and event days (spread over 900 days) and
bulk-inserted through the store's own row conversion, 2,000 articles per
transaction, into a SQLite file and a fresh PostgreSQL schema (both migrated
to head first, so every index and full-text trigger is the one users get).
Then each endpoint is requested in process (httpx's ASGI transport, the
FastAPI app of ``counterclaim serve``) ``--repeats`` times after one warm-up
request, and the p50 and p95 wall-clock latency are printed with the CPU time
per request and the machine's load average, so a figure measured on a busy
machine can be read for what it is (wall >> CPU means waiting for a core).

``--keep DIR`` keeps the SQLite file and the PostgreSQL schema (named in DIR)
and reuses them on the next run with the same ``--articles``: re-measuring on
a quiet machine then takes seconds, not the fill's minutes.

Target (issue 12): p95 <= 50 ms with 100,000 articles on both backends.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import re
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert

from counterclaim.api.ledger import Ledger
from counterclaim.records import Article
from counterclaim.store import Store, convert
from counterclaim.store.schema import articles, claims, event_claims, events, extractions, places, quantities
from counterclaim.web import create_app

ENDPOINTS = [
    ("list articles", "/api/articles?limit=50"),
    ("list claims", "/api/claims?limit=50"),
    ("list events", "/api/events?limit=50"),
    ("filter claims party+act", "/api/claims?party=ZMB&act=deny&limit=50"),
    ("filter events place", "/api/events?place=Nakonde&limit=50"),
    ("filter events type+since", "/api/events?type=Battles&since=2025-06-01&limit=50"),
    ("search claims", "/api/search?q=killed&limit=50"),
    ("search articles", "/api/search?q=ceasefire&kind=articles&limit=50"),
]
TABLES = (articles, extractions, claims, quantities, events, event_claims, places)
BATCH = 2000
DAYS = 900
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def seeds():
    from counterclaim.ingest import demo_dir, read_inputs
    from counterclaim.nlp.extract import extract

    return [extract(a) for a in read_inputs([str(demo_dir())]) if isinstance(a, Article)]


def _shift(day: str | None, by: timedelta) -> str | None:
    return (date.fromisoformat(day) - by).isoformat() if day and _DAY.match(day) else day


def templates(base) -> list[tuple[str, dict[str, list[dict]]]]:
    """Each seed extraction's rows, converted once by the store's own ``convert``."""
    found = []
    for x in base:
        rows = {t.name: [] for t in TABLES}
        rows["articles"].append(convert.article_row(x.article))
        rows["extractions"].append({"article_id": x.article.id, "extractor": x.extractor,
                                    "saved_at": x.article.ingested_at})
        for table, extracted in convert.extraction_rows(dataclasses.replace(x, links=[])).items():
            if table in rows:
                rows[table].extend(extracted)
        found.append((x.article.id, rows))
    return found


def copy(seed: tuple[str, dict[str, list[dict]]], n: int) -> dict[str, list[dict]]:
    """A seed's rows as article number ``n``: new ids, a marker in the text, days ``n % DAYS``
    earlier (published, and events' days where the text gave one)."""
    seed_id, rows = seed
    new_id, back = f"{n:016x}", timedelta(days=n % DAYS)
    out = {}
    for table, found in rows.items():
        out[table] = copies = []
        for row in found:
            row = dict(row)
            for column in ("id", "article_id", "claim_id", "event_id"):
                if column in row:
                    row[column] = new_id + row[column][len(seed_id):]
            if row.get("published") is not None:
                row["published"] -= back
            if table == "articles":
                row["text"] += f" [{n}]"
            elif table == "events":
                row["date"] = _shift(row["date"], back)
                days = convert.date_range(row["date"])
                row["date_start"], row["date_end"] = days or tuple(d and d - back for d in (row["date_start"],
                                                                                             row["date_end"]))
            copies.append(row)
    return out


def fill(store: Store, base, n: int) -> float:
    """Insert ``n`` copies of the seed extractions, ``BATCH`` articles per transaction."""
    start = time.perf_counter()
    seeds_ = templates(base)
    for first in range(0, n, BATCH):
        rows = {t.name: [] for t in TABLES}
        for i in range(first, min(n, first + BATCH)):
            for table, found in copy(seeds_[i % len(seeds_)], i).items():
                rows[table].extend(found)
        with store._write() as conn:
            for table in TABLES:
                if rows[table.name]:
                    conn.execute(insert(table), rows[table.name])
    # Fresh statistics for the planners (and PostgreSQL's visibility map), as autovacuum
    # would leave them after a bulk load.
    with store._engine.connect() as conn:
        if store.backend == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    return time.perf_counter() - start


def measure(url, repeats: int) -> dict[str, dict[str, float]]:
    app = create_app(Ledger(url))

    async def run():
        out = {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            for name, path in ENDPOINTS:
                (await client.get(path)).raise_for_status()  # warm: connection, statement caches
                times = []
                cpu = time.process_time()
                for _ in range(repeats):
                    t = time.perf_counter()
                    (await client.get(path)).raise_for_status()
                    times.append((time.perf_counter() - t) * 1000)
                out[name] = {"p50": statistics.median(times), "p95": statistics.quantiles(times, n=20)[18],
                             "cpu": (time.process_time() - cpu) * 1000 / repeats}
        return out

    return asyncio.run(run())


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--keep", type=Path, help="Keep the filled databases here and reuse them.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / f"bench-{args.articles}.json"
    state = json.loads(kept.read_text()) if args.keep and kept.exists() else {}
    base = None
    print(f"{os.cpu_count()} cores; {args.articles} articles; load average {_load()}")
    targets = [("sqlite", str(folder / f"bench-{args.articles}.sqlite"))]
    admin = None
    if not args.no_pg:
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        schema = state.get("schema") or f"cc_bench_{uuid.uuid4().hex[:8]}"
        state["schema"] = schema
        if args.keep:
            kept.write_text(json.dumps(state))  # before filling: a run stopped halfway is resumed
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        targets.append(("postgresql", f"{args.pg}?options=-csearch_path%3D{schema}"))
    try:
        for backend, url in targets:
            with Store.open(url) as store:
                if store.stats()["articles"] != args.articles:
                    if store.stats()["articles"]:
                        raise SystemExit(f"{url} holds another number of articles: remove it or use another --keep")
                    base = base or seeds()
                    seconds = fill(store, base, args.articles)
                    filled = f"filled in {seconds:.0f} s"
                else:
                    filled = "reused"
                stats = store.stats()
            print(f"\n{backend}: {filled} ({stats['articles']} articles, {stats['claims']} claims, "
                  f"{stats['events']} events); load average {_load()}")
            for name, m in measure(url, args.repeats).items():
                verdict = "ok" if m["p95"] <= 50 else "OVER 50 ms"
                print(f"  {name:26s} p50 {m['p50']:6.1f}  p95 {m['p95']:6.1f} ms  cpu {m['cpu']:5.1f} ms/request  "
                      f"{verdict}")
            print(f"  load average after: {_load()}")
    finally:
        if admin is not None:
            if not args.keep:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{state["schema"]}" CASCADE')
            admin.dispose()


if __name__ == "__main__":
    main()
