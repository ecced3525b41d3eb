"""Two processes ingesting the same articles at once, on SQLite and on PostgreSQL.

Two ``counterclaim ingest`` runs over one folder used to leave member-less
"ghost" event and claim clusters (one run's linking undid the other's
memberships, then wrote its stale aggregates back) and ``summary`` counted
them.  Here two real processes (forked from this one, so the parsed model is
shared and the test stays fast) ingest the same folder into one database,
linking every two articles so that their writes interleave; the ledger must
come out whole: every article stored once and linked, no cluster without
members, none stale, and the summary counting only real clusters.

The linker uses its token-overlap embedder here (a real embedder of the
product, its fallback): sentence vectors do not change how writers race, and
a forked child must not run torch after its parent did.
"""

from __future__ import annotations

import multiprocessing
import os

import pytest

from counterclaim.store import Store
from pgschema import fresh_schema

DAYS = ("2026-03-02", "2026-03-03", "2026-03-04")
OUTLETS = ("Lakeside Post", "Valley Wire", "Capital Herald")


def articles(folder) -> int:
    """Reports of a few clashes and shellings by three outlets, written for this test."""
    n = 0
    for day in DAYS:
        for outlet in OUTLETS:
            toll = 3 + DAYS.index(day) + OUTLETS.index(outlet) % 2
            (folder / f"{day}-{outlet.split()[0].lower()}.txt").write_text(
                f"date {day}\nSource: {outlet}\n\n"
                f"Rebels shelled the market in Goma on Monday, killing {toll} civilians, the army told the "
                f"{outlet}. "
                f"A rebel spokesman denied that his fighters had shelled the town. "
                f"Police said {toll + 2} people were wounded in clashes near Kano.\n")
            n += 1
    return n


def _ingest(url: str, folder: str, start, failures) -> None:
    """One writer: a whole ingest, linking every two articles (child process)."""
    try:
        from counterclaim.api.ledger import Ledger
        from counterclaim.link.embed import TokenOverlap
        from counterclaim.link.linker import Linker

        with Ledger(url) as ledger:
            ledger._linker = Linker(ledger.store, embedder=TokenOverlap())
            start.wait(60)
            report = ledger.ingest([folder], batch_size=2)
            if report.failed:
                failures.put(f"{os.getpid()}: {report.stopped or [p.reason for p in report.problems]}")
    except BaseException as exc:  # noqa: BLE001 - the parent reports it
        failures.put(f"{os.getpid()}: {type(exc).__name__}: {exc}")


def race(url: str, folder) -> None:
    from counterclaim.nlp.extract import extract
    from counterclaim.nlp.gazetteer import Gazetteer
    from counterclaim.records import Article

    # The model, gazetteer and lexicons are loaded once here and shared by both children.
    extract(Article.create("Police said two men were arrested in Kano and in Goma on Monday.", language="en"))
    Gazetteer.default().spelling_matches("Taduf")
    context = multiprocessing.get_context("fork")
    start, failures = context.Barrier(2), context.Queue()
    writers = [context.Process(target=_ingest, args=(url, str(folder), start, failures)) for _ in range(2)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(300)
    assert all(w.exitcode == 0 for w in writers), [w.exitcode for w in writers]
    found = []
    while not failures.empty():
        found.append(failures.get())
    assert not found, found


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_writers_leave_a_whole_ledger(tmp_path, backend):
    folder = tmp_path / "news"
    folder.mkdir()
    n = articles(folder)
    if backend == "sqlite":
        _check(str(tmp_path / "l.sqlite"), folder, n)
    else:
        with fresh_schema() as url:
            _check(url, folder, n)


def _check(url: str, folder, n: int) -> None:
    Store.open(url).close()  # schema created before the race, as by any earlier run
    race(url, folder)
    with Store.open(url) as store:
        health = store.audit()
        stats = store.link_stats()
        clusters = store.event_clusters(limit=None)
        assert store.stats()["articles"] == n
    assert health == {"partial": 0, "unlinked": 0, "stale": 0, "empty_clusters": 0, "duplicate_texts": 0,
                      "integrity": "ok"}
    assert stats["linked_articles"] == n
    assert stats["event_clusters"] == len(clusters) and all(c.members for c in clusters)


# -- ``counterclaim ingest`` with its extraction process, stopped by Ctrl-C or kill -9 ---------------


def _many(folder, n: int = 60) -> int:
    """``n`` short reports, written for this test (enough for the run to be caught midway)."""
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(
            f"date 2026-03-{2 + i % 3:02d}\nSource: {OUTLETS[i % 3]}\n\n"
            f"Gunmen attacked a police post in Goma on Monday, killing {3 + i} officers, police said. "
            f"The attack was the {i + 1}th in the province this year, a local official told reporters.\n")
    return n


def _stop_midway(tmp_path, sig) -> tuple:
    """Start an ingest with two extraction children, send ``sig`` once articles are stored; the
    children (psutil processes), the ingest's exit code and stderr."""
    import signal  # noqa: F401 - the caller's ``sig``
    import subprocess
    import sys
    import time

    import psutil

    folder = tmp_path / "news"
    folder.mkdir()
    n = _many(folder)
    db = str(tmp_path / "l.sqlite")
    env = dict(os.environ, COUNTERCLAIM_EXTRACT_PROCESS="2", COUNTERCLAIM_EMBEDDINGS="tokens")
    exe = os.path.join(os.path.dirname(sys.executable), "counterclaim")
    proc = subprocess.Popen([exe, "ingest", "--db", db, "-q", str(folder)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    children: dict[int, psutil.Process] = {}
    stored = 0
    deadline = time.monotonic() + 240
    while proc.poll() is None and time.monotonic() < deadline and not stored:
        time.sleep(0.2)
        children.update((c.pid, c) for c in psutil.Process(proc.pid).children() if c.pid not in children)
        if os.path.exists(db):
            with Store.open(db) as store:
                stored = store.stats()["extracted"]
    assert children and stored and proc.poll() is None, "the run ended before it could be stopped"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    return db, folder, n, list(children.values()), proc.returncode, err.decode(errors="replace")


def _gone(children, psutil) -> None:
    """Every child has exited (or is a zombie waiting for its reaper)."""
    for child in children:
        try:
            child.wait(timeout=15)
        except psutil.NoSuchProcess:
            pass
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE


def _finished_by_a_rerun(db, folder, n) -> None:
    import subprocess
    import sys

    exe = os.path.join(os.path.dirname(sys.executable), "counterclaim")
    env = dict(os.environ, COUNTERCLAIM_EMBEDDINGS="tokens")
    subprocess.run([exe, "ingest", "--db", db, "-q", str(folder)], env=env, check=True, capture_output=True)
    with Store.open(db) as store:
        assert store.stats()["articles"] == n
        assert store.audit() == {"partial": 0, "unlinked": 0, "stale": 0, "empty_clusters": 0,
                                 "duplicate_texts": 0, "integrity": "ok"}


def test_ctrl_c_stops_ingest_and_its_extraction_process_cleanly(tmp_path):
    import signal

    import psutil

    db, folder, n, children, code, err = _stop_midway(tmp_path, signal.SIGINT)
    assert code == 130 and "Traceback" not in err, err
    _gone(children, psutil)  # shut down at exit (``api.distributed._close_child``), not left behind
    _finished_by_a_rerun(db, folder, n)


def test_kill_9_of_ingest_ends_its_extraction_process_too(tmp_path):
    import signal

    import psutil

    db, folder, n, children, code, _ = _stop_midway(tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL
    _gone(children, psutil)  # each orphan notices its parent is gone (``api.distributed._child_init``)
    _finished_by_a_rerun(db, folder, n)
