"""A flood of same-day reports: N RSS entries of one day, ingested and linked by ``counterclaim ingest``, timed.

    python benchmarks/flood.py                                   # 5,000 entries, 10 minutes at most
    python benchmarks/flood.py --corpus incidents --entries 1000 --budget 300
    python benchmarks/flood.py --keep flood.sqlite               # keep the ledger to look at

Issues 13 (item 3) and 14: a day of thousands of reports (a feed dump, one
big attack told by every outlet) made linking stall, every new report being
compared with every report of the day and every member of the day's huge
clusters.  The linker's caps (``link.linker.WINDOW_CAP``, ``CLUSTER_CAP``,
``CLAIM_CAP``) bound that; the target is that 5,000 same-day RSS entries
ingest and link in under 10 minutes.

Two generated feeds (fictional, written for this benchmark), all entries
published on one day, so the day's clusters grow to hundreds of reports:

- ``wire`` (default): short wire reports of random attacks in eight towns of
  one province, random tolls and sources;
- ``incidents``: 40 incidents in six towns, each told many times by
  several outlets with a rebel denial in each, so claims cluster too.

The feed is ingested by the real CLI in a child process (reader, extraction,
store, linker, as a user runs it) into a SQLite file.  On a machine of two
cores or more that ingest runs as two processes: its own child extracts while
it stores and links (``api.distributed.extract_beside``); the CPU seconds
printed count both (``processes`` in the output says which ran).  This script polls the
ledger every ``--every`` seconds and prints how many entries are stored and
linked, so a run that stalls shows where; one over ``--budget`` is stopped
and reported as such (exit code 1).  The figures: wall time, the child's CPU
time (the steadier figure on a shared machine), its peak memory, the
linking rate at the start and end of the run (flat when linking is bounded),
and the load the run saw.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import cpu_seconds, machine, peak_rss_mb  # noqa: E402

DAY = "2026-03-10"
WIRE_TOWNS = ["Kasama", "Mpika", "Mbala", "Nakonde", "Isoka", "Chinsali", "Mporokoso", "Luwingu"]
WIRE_ATTACKS = [
    ("Gunmen attacked a police post in {town}", "killing {n} officers"),
    ("Fighter jets struck a market in {town}", "killing {n} civilians"),
    ("Rebels shelled the outskirts of {town}", "killing {n} people"),
    ("A roadside bomb hit an army convoy near {town}", "killing {n} soldiers"),
    ("Troops clashed with militants in {town}", "leaving {n} fighters dead"),
]
WIRE_SOURCES = ["the provincial police chief said", "a hospital official said", "the army said in a statement",
                "residents told reporters", "a monitoring group said", "the rebels said on their channel"]
INCIDENT_TOWNS = ["Goma", "Beni", "Butembo", "Bunia", "Rutshuru", "Masisi"]
INCIDENT_OUTLET = "Lakeside Post"
INCIDENT_KINDS = [("shelled the market in {town}, killing {n} civilians", "the army said"),
                  ("clashed with troops near {town}; {n} soldiers were killed", "a military spokesman said"),
                  ("an air strike hit a school in {town}, killing {n} people", "local officials said"),
                  ("gunmen attacked a convoy outside {town} and killed {n} drivers", "police said")]


def wire_feed(entries: int, seed: int = 13) -> str:
    """Random attacks in eight towns, one day (``--corpus wire``)."""
    rng = random.Random(seed)
    items = []
    for n in range(entries):
        town = rng.choice(WIRE_TOWNS)
        what, toll = rng.choice(WIRE_ATTACKS)
        text = (f"{what.format(town=town)} on Monday, {toll.format(n=rng.randint(2, 40))}, "
                f"{rng.choice(WIRE_SOURCES)}. It was the latest in a series of attacks in the province. Report {n}.")
        items.append(f"<item><title>{escape(town)}: report {n}</title><guid>urn:flood:{n}</guid>"
                     f"<pubDate>Tue, 10 Mar 2026 {n % 24:02d}:{n % 60:02d}:00 GMT</pubDate>"
                     f"<description>{escape(text)}</description></item>")
    return _rss("Flood Wire", items)


def incidents_feed(entries: int, seed: int = 5) -> str:
    """40 incidents told again and again, each with a denial (``--corpus incidents``)."""
    rng = random.Random(seed)
    items = []
    for i in range(entries):
        incident = rng.randrange(40)
        town = INCIDENT_TOWNS[incident % len(INCIDENT_TOWNS)]
        what, who = INCIDENT_KINDS[incident % len(INCIDENT_KINDS)]
        n = 3 + incident % 17 + rng.choice([0, 0, 0, 1, 2])
        text = (f"Rebels {what.format(town=town, n=n)}, {who} on {DAY}. "
                f"Residents told reporters that the fighting lasted several hours (dispatch {i}). "
                f"A rebel spokesman denied the account and said {rng.randint(1, 9)} fighters had died.")
        items.append(f"<item><title>{escape(town)}: report {i}</title><pubDate>{DAY}</pubDate>"
                     f"<description>{escape(text)}</description><link>https://example.org/{i}</link></item>")
    return _rss(INCIDENT_OUTLET, items)


def _rss(title: str, items: list[str]) -> str:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            + "".join(items) + "</channel></rss>")


CORPORA = {"wire": wire_feed, "incidents": incidents_feed}


def counts(db: str) -> tuple[int, int]:
    """(articles stored, articles linked), read while the ingest writes (WAL lets readers in)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            stored = conn.execute("SELECT count(*) FROM extractions").fetchone()[0]
            linked = conn.execute("SELECT count(*) FROM linked_articles").fetchone()[0]
        return stored, linked
    except sqlite3.Error:
        return 0, 0


def clusters(db: str) -> dict:
    """The day's event clusters: how many, and the largest's number of reports."""
    from counterclaim.api.ledger import Ledger

    try:
        with Ledger(db, link=False) as ledger:
            stats = ledger.store.link_stats()
            biggest = max((c.n_reports for c in ledger.event_clusters(members=False, limit=None)), default=0)
        return {"event_clusters": stats["event_clusters"], "largest_event_cluster_reports": biggest}
    except Exception as exc:  # noqa: BLE001 - a run stopped mid-write still reports its timings
        return {"clusters_unread": f"{type(exc).__name__}: {exc}"}


def _children_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of each process ``pid`` started (the ingest's extraction child)."""
    import psutil

    try:
        found = {}
        for child in psutil.Process(pid).children(recursive=True):
            if "spawn_main" not in " ".join(child.cmdline()):
                continue  # multiprocessing's resource tracker
            times = child.cpu_times()
            found[child.pid] = times.user + times.system
        return found
    except psutil.Error:  # ended between two looks
        return {}


def rates(history: list[tuple[float, int, int]]) -> tuple[float, float] | None:
    """Articles linked per second over the first and the last third of the linking."""
    linking = [(t, n) for t, _, n in history if n > 0]
    if len(linking) < 6:
        return None
    third = len(linking) // 3
    (t0, n0), (t1, n1) = linking[0], linking[third]
    (t2, n2), (t3, n3) = linking[-third - 1], linking[-1]
    return (n1 - n0) / max(t1 - t0, 1e-9), (n3 - n2) / max(t3 - t2, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="wire")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds before the run is stopped (the target)")
    parser.add_argument("--every", type=float, default=15.0, help="seconds between progress lines")
    parser.add_argument("--keep", type=Path, help="write the ledger here (a new SQLite file)")
    opts = parser.parse_args()
    before = machine()
    with tempfile.TemporaryDirectory(prefix="cc-flood-") as tmp:
        path = Path(tmp) / "flood.rss"
        db = str(opts.keep or Path(tmp) / "flood.sqlite")
        path.write_text(CORPORA[opts.corpus](opts.entries), encoding="utf-8")
        started = time.perf_counter()
        proc = subprocess.Popen([str(Path(sys.executable).parent / "counterclaim"), "ingest", "--db", db, "-q",
                                 str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        history: list[tuple[float, int, int]] = []
        stopped = False
        extractors: dict[int, float] = {}  # the ingest's extraction child: its CPU seconds when last seen
        while proc.poll() is None:
            time.sleep(min(opts.every, 2.0) if not history else opts.every)
            extractors.update(_children_cpu(proc.pid))
            elapsed = time.perf_counter() - started
            stored, linked = counts(db)
            history.append((elapsed, stored, linked))
            print(f"{elapsed:6.0f} s: {stored:5d} stored, {linked:5d} linked (load {os.getloadavg()[0]:.1f})",
                  file=sys.stderr, flush=True)
            if elapsed > opts.budget:
                os.kill(proc.pid, signal.SIGTERM)
                stopped = True
                break
        _, err = proc.communicate()
        elapsed = time.perf_counter() - started
        stored, linked = counts(db)
        tail = err.decode(errors="replace").strip().splitlines()[-1:] if err else []
        found = clusters(db) if linked else {}
    finished = not stopped and proc.returncode in (0, 1) and linked == opts.entries
    first_last = rates(history)
    cpu = cpu_seconds(children=True)
    if stopped:  # the ingest was stopped before it could wait for its extraction child: count what it used
        cpu += sum(extractors.values())
    result = {
        **before,
        "load_after": machine()["load_1_5_15"],
        "corpus": opts.corpus,
        "entries": opts.entries,
        "stored": stored,
        "linked": linked,
        "finished": finished,
        "seconds": round(elapsed, 1),
        "processes": (f"2: counterclaim ingest stores and links, its child process {sorted(extractors)} extracts"
                      if extractors else "1: counterclaim ingest extracts, stores and links"),
        "cpu_seconds": round(cpu, 1),
        "cpu_ms_per_entry": round(1000 * cpu / max(stored, 1), 1),
        "peak_rss_mb": peak_rss_mb(children=True),
        "linked_per_second_first_third": round(first_last[0], 2) if first_last else None,
        "linked_per_second_last_third": round(first_last[1], 2) if first_last else None,
        **found,
        "ingest_said": tail[0] if tail else "",
        "target_seconds": opts.budget,
        "within_target": finished and elapsed <= opts.budget,
    }
    print(json.dumps(result))
    return 0 if result["within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
