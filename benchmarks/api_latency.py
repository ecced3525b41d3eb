"""p95 latency of the HTTP API's list, filter and search endpoints with N articles stored.

    python benchmarks/api_latency.py [--articles 100000] [--pg postgresql://postgres@127.0.0.1:5432/test]

A few real extractions (the demo articles, run through the extractor once) are
repeated with changed ids, texts and dates and bulk-inserted through the
store's own row conversion (one transaction per 2,000 articles), on a SQLite
file and in a fresh PostgreSQL schema; then each endpoint is requested in
process (httpx ASGI transport) and the p95 printed with the core count.
Target (DESIGN.md): p95 <= 50 ms with 100,000 articles.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta

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


def seeds():
    from counterclaim.ingest import demo_dir, read_inputs
    from counterclaim.nlp.extract import extract

    return [extract(a) for a in read_inputs([str(demo_dir())]) if isinstance(a, Article)]


def copy(x, n: int):
    """Extraction ``x`` as article number ``n``: new id, a marker in the text, another day."""
    suffix = f" [{n}]"
    art = dataclasses.replace(x.article, text=x.article.text + suffix, id=f"{n:016x}",
                              published=date(2026, 1, 1) - timedelta(days=n % 900))
    rid = lambda old: art.id + old[len(x.article.id):]  # noqa: E731
    cl = [dataclasses.replace(c, id=rid(c.id), article_id=art.id, event_ids=[rid(e) for e in c.event_ids])
          for c in x.claims]
    ev = [dataclasses.replace(e, id=rid(e.id), article_id=art.id, claim_ids=[rid(c) for c in e.claim_ids])
          for e in x.events]
    return dataclasses.replace(x, article=art, claims=cl, events=ev, links=[])


def fill(store: Store, base, n: int) -> float:
    start = time.perf_counter()
    batch = 2000
    for first in range(0, n, batch):
        rows = {t: [] for t in ("articles", "extractions", "claims", "quantities", "events", "event_claims", "places")}
        for i in range(first, min(n, first + batch)):
            x = copy(base[i % len(base)], i)
            rows["articles"].append(convert.article_row(x.article))
            rows["extractions"].append({"article_id": x.article.id, "extractor": x.extractor,
                                        "saved_at": x.article.ingested_at})
            for table, found in convert.extraction_rows(x).items():
                if table in rows:
                    rows[table].extend(found)
        with store._write() as conn:
            for table in (articles, extractions, claims, quantities, events, event_claims, places):
                if rows[table.name]:
                    conn.execute(insert(table), rows[table.name])
    return time.perf_counter() - start


def measure(url, repeats: int) -> dict[str, float]:
    app = create_app(Ledger(url))

    async def run():
        out = {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as client:
            for name, path in ENDPOINTS:
                (await client.get(path)).raise_for_status()  # warm
                times = []
                for _ in range(repeats):
                    t = time.perf_counter()
                    (await client.get(path)).raise_for_status()
                    times.append((time.perf_counter() - t) * 1000)
                out[name] = statistics.quantiles(times, n=20)[18]
        return out

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    base = seeds()
    print(f"{os.cpu_count()} cores; {args.articles} articles ({len(base)} real ones repeated)")
    targets = [("sqlite", os.path.join(tempfile.mkdtemp(), "bench.sqlite"))]
    schema = None
    if not args.no_pg:
        schema = f"cc_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        targets.append(("postgresql", f"{args.pg}?options=-csearch_path%3D{schema}"))
    try:
        for backend, url in targets:
            with Store.open(url) as store:
                seconds = fill(store, base, args.articles)
                if backend == "postgresql":
                    with store._engine.connect() as conn:
                        conn.exec_driver_sql("ANALYZE")
                else:
                    with store._engine.connect() as conn:
                        conn.exec_driver_sql("ANALYZE")
                stats = store.stats()
            print(f"\n{backend}: filled in {seconds:.0f} s ({stats['claims']} claims, {stats['events']} events)")
            for name, p95 in measure(url, args.repeats).items():
                print(f"  {name:28s} p95 {p95:7.1f} ms {'ok' if p95 <= 50 else 'OVER 50 ms'}")
    finally:
        if schema:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
