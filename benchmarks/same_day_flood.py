"""A feed of thousands of entries published on one day: ingest and link, timed as it goes.

    python benchmarks/same_day_flood.py                    # 5,000 entries, 10 minutes at most
    python benchmarks/same_day_flood.py --entries 1000 --budget 300

Issue 13: an RSS file of 5,000 same-day entries slowed linking until it
stalled, because every report of the day is a candidate for every other
(same-day clusters of thousands of events).  The target is ingest and link
in under 10 minutes on this machine.  The feed is generated here (reports
of a few dozen incidents in a handful of towns, by several outlets, all
dated the same day) and ingested by the real ``counterclaim ingest`` into a
SQLite file; the script polls the ledger every few seconds and prints how
many entries are stored and linked, so a run that stalls shows where, and
one over ``--budget`` is stopped and reported as such (exit code 1).
Speed figures on a shared machine are noisy: compare the rate of linking at
the start and at the end of one run rather than across runs.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

TOWNS = ["Goma", "Beni", "Butembo", "Bunia", "Rutshuru", "Masisi"]
OUTLETS = ["Lakeside Post", "Valley Wire", "Capital Herald", "Northern Monitor", "Delta Times", "Radio Kivu Libre"]
KINDS = [("shelled the market in {town}, killing {n} civilians", "the army said"),
         ("clashed with troops near {town}; {n} soldiers were killed", "a military spokesman said"),
         ("an air strike hit a school in {town}, killing {n} people", "local officials said"),
         ("gunmen attacked a convoy outside {town} and killed {n} drivers", "police said")]


def feed(entries: int, day: str, seed: int = 5) -> str:
    """An RSS feed of ``entries`` reports, all published on ``day``."""
    rng = random.Random(seed)
    items = []
    for i in range(entries):
        incident = rng.randrange(40)
        town = TOWNS[incident % len(TOWNS)]
        what, who = KINDS[incident % len(KINDS)]
        n = 3 + incident % 17 + rng.choice([0, 0, 0, 1, 2])
        text = (f"Rebels {what.format(town=town, n=n)}, {who} on {day}. "
                f"Residents told reporters that the fighting lasted several hours (dispatch {i}). "
                f"A rebel spokesman denied the account and said {rng.randint(1, 9)} fighters had died.")
        items.append(f"<item><title>{escape(town)}: report {i}</title><pubDate>{day}</pubDate>"
                     f"<description>{escape(text)}</description><link>https://example.org/{i}</link></item>")
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{OUTLETS[0]}</title>'
            + "".join(items) + "</channel></rss>")


def counts(db: str) -> tuple[int, int]:
    """(articles stored, articles linked), read while the ingest writes (WAL lets readers in)."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            stored = conn.execute("SELECT count(*) FROM extractions").fetchone()[0]
            linked = conn.execute("SELECT count(*) FROM linked_articles").fetchone()[0]
        return stored, linked
    except sqlite3.Error:
        return 0, 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--budget", type=float, default=600.0, help="seconds before the run is stopped")
    parser.add_argument("--every", type=float, default=15.0, help="seconds between progress lines")
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory(prefix="cc-flood-") as tmp:
        path, db = Path(tmp) / "flood.xml", str(Path(tmp) / "flood.sqlite")
        path.write_text(feed(args.entries, "2026-03-10"), encoding="utf-8")
        started = time.perf_counter()
        proc = subprocess.Popen([str(Path(sys.executable).parent / "counterclaim"), "ingest", "--db", db, "-q",
                                 str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        history: list[tuple[float, int, int]] = []
        while proc.poll() is None:
            time.sleep(min(args.every, 2.0) if not history else args.every)
            elapsed = time.perf_counter() - started
            stored, linked = counts(db)
            history.append((elapsed, stored, linked))
            print(f"{elapsed:6.0f} s: {stored:5d} stored, {linked:5d} linked", flush=True)
            if elapsed > args.budget:
                os.kill(proc.pid, signal.SIGTERM)
                proc.wait()
                break
        elapsed = time.perf_counter() - started
        stored, linked = counts(db)
        tail = proc.stderr.read().decode(errors="replace").strip().splitlines()[-1:] if proc.stderr else []
    finished = proc.returncode in (0, 1) and linked == args.entries
    rates = _rates(history)
    print(f"\nsame-day flood: {args.entries:,} entries; {'done' if finished else 'NOT done'} in {elapsed:.0f} s "
          f"(budget {args.budget:.0f} s); {stored:,} stored, {linked:,} linked"
          + (f"; linking rate {rates[0]:.1f} articles/s in its first third, {rates[1]:.1f} in its last" if rates else "")
          + (f"; ingest said: {tail[0]}" if tail else ""))
    return 0 if finished and elapsed <= args.budget else 1


def _rates(history: list[tuple[float, int, int]]) -> tuple[float, float] | None:
    """Articles linked per second over the first and the last third of the linking."""
    linking = [(t, n) for t, _, n in history if n > 0]
    if len(linking) < 6:
        return None
    third = len(linking) // 3
    (t0, n0), (t1, n1) = linking[0], linking[third]
    (t2, n2), (t3, n3) = linking[-third - 1], linking[-1]
    return (n1 - n0) / max(t1 - t0, 1e-9), (n3 - n2) / max(t3 - t2, 1e-9)


if __name__ == "__main__":
    sys.exit(main())
