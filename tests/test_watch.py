"""``counterclaim watch`` against a real HTTP server on 127.0.0.1 whose feeds change between polls.

The server (``http.server`` in a thread) serves what each test sets: new
entries, a 500, a reply slower than the timeout, a malformed feed, ETags and
304s.  The articles are short reports written for these tests.  The last test
kills a real ``counterclaim watch`` process with SIGKILL mid-ingest,
restarts it, and counts: nothing lost, nothing twice, everything linked.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from counterclaim.api.ledger import Ledger
from counterclaim.api.watch import Watcher, parse_sources

TOWNS = ["Kasama", "Mpika", "Mansa", "Chipata", "Solwezi", "Kabwe", "Mongu", "Choma", "Kitwe", "Ndola",
         "Livingstone", "Mazabuka", "Kafue", "Chingola", "Luanshya", "Petauke"]


def _entry(n: int) -> str:
    town = TOWNS[n % len(TOWNS)]
    text = (f"Gunmen attacked a police post in {town} on Monday, killing {n + 2} officers, the provincial "
            f"police chief said. Residents said the attackers fled toward the border. Report number {n}.")
    return (f"<item><title>Attack in {town} ({n})</title><guid>urn:test:{n}</guid>"
            f"<pubDate>Tue, 10 Mar 2026 0{n % 10}:00:00 GMT</pubDate><description>{text}</description></item>")


def _feed(numbers) -> bytes:
    items = "".join(_entry(n) for n in numbers)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>{items}'
            "</channel></rss>").encode()


class Server:
    """Routes: path -> (status, body, etag, delay seconds); the handler honours If-None-Match."""

    def __init__(self):
        self.routes: dict[str, tuple] = {}
        self.hits: list[tuple[str, int]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, body, etag, delay = outer.routes.get(self.path, (404, b"no", None, 0))
                if delay:
                    time.sleep(delay)
                if etag and self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                outer.hits.append((self.path, status))
                try:
                    self.send_response(status)
                    if etag:
                        self.send_header("ETag", etag)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server():
    s = Server()
    yield s
    s.close()


def _article_count(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("articles", "linked_articles", "feed_entries"))


def test_feeds_that_change_fail_and_recover_between_polls_and_a_restart(tmp_path, server):
    a, b = f"{server.url}/a.rss", f"{server.url}/b.rss"
    db = tmp_path / "l.sqlite"
    server.routes = {"/a.rss": (200, _feed([0, 1]), '"a1"', 0), "/b.rss": (500, b"oops", None, 0)}
    options = dict(interval=0.01, max_backoff=0.05, timeout=0.5)
    with Ledger(db) as ledger:
        watcher = Watcher(ledger, parse_sources([a, b])[0], **options)
        first = watcher.cycle()
        assert [(p.stored, p.error) for p in first.polls] == [(2, None), (0, "HTTP 500 Internal Server Error")]
        assert "HTTP 500" in first.line() and "2 stored" in first.line()
        assert first.polls[1].retry_in == pytest.approx(0.02)  # interval * 2**failures, capped
        time.sleep(0.06)
        assert watcher.cycle().polls[0].not_modified  # same ETag: 304, nothing read
        # New entries on a; b answers after the timeout.
        server.routes = {"/a.rss": (200, _feed([0, 1, 2]), '"a2"', 0), "/b.rss": (200, _feed([7]), None, 1.5)}
        time.sleep(0.06)
        third = watcher.cycle()
        assert third.polls[0].stored == 1 and third.polls[0].entries == 1
        assert "timed out" in third.polls[1].error
        assert ledger.store.feed(b)["failures"] == 3  # b was due again in each cycle (backoff <= 0.05 s)
        assert third.polls[1].retry_in == pytest.approx(0.05)
        # a breaks (a malformed feed is a failed poll, backed off); b recovers.
        server.routes = {"/a.rss": (200, b"<rss><channel><item>&&&", '"a3"', 0), "/b.rss": (200, _feed([7, 8]), None, 0)}
        time.sleep(0.12)
        fourth = watcher.cycle()
        assert "malformed feed" in fourth.polls[0].error and fourth.polls[1].stored == 2
        assert ledger.store.feed(b)["failures"] == 0 and ledger.store.feed(a)["failures"] == 1
    # A restart: a new process state, the same database; a is back with one more entry.
    server.routes["/a.rss"] = (200, _feed([0, 1, 2, 3]), '"a4"', 0)
    time.sleep(0.12)
    with Ledger(db) as ledger:
        again = Watcher(ledger, parse_sources([a, b])[0], **options).cycle()
        assert [(p.entries, p.stored) for p in again.polls] == [(1, 1), (0, 0)]
    assert _article_count(db) == (6, 6, 6)  # 6 entries, each stored, linked and marked once


def test_folders_and_a_list_of_sources(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    listing = tmp_path / "sources.txt"
    listing.write_text(f"# what to watch\n{folder}\nhttps://example.invalid/feed.xml\nnot-here/\n", encoding="utf-8")
    sources, problems = parse_sources([str(listing)])
    assert [(s.name, s.kind) for s in sources] == [(str(folder.resolve()), "folder"),
                                                   ("https://example.invalid/feed.xml", "http")]
    assert len(problems) == 1 and "not-here" in problems[0]
    (folder / "one.txt").write_text("date 2026-03-10\n\nThe army said it shelled rebel positions near Mansa.",
                                    encoding="utf-8")
    with Ledger(tmp_path / "l.sqlite", link=False) as ledger:
        watcher = Watcher(ledger, sources[:1], interval=0.01, settle=0)
        assert watcher.cycle().polls[0].stored == 1
        assert watcher.cycle().polls[0].entries == 0  # seen: not read again
        (folder / "two.txt").write_text("date 2026-03-11\n\nRebels said they downed a drone over Kasama.",
                                        encoding="utf-8")
        time.sleep(0.02)
        assert watcher.cycle().polls[0].stored == 1


def _watch(db: Path, url: str, *extra: str) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("counterclaim")
    env = dict(os.environ, COUNTERCLAIM_EMBEDDINGS="tokens")  # durability is under test here, not embeddings
    return subprocess.Popen([str(exe), "watch", url, "--db", str(db), "--interval", "0.2", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_kill_9_and_restart_lose_and_duplicate_nothing(tmp_path, server):
    db = tmp_path / "l.sqlite"
    url = f"{server.url}/wire.rss"
    server.routes = {"/wire.rss": (200, _feed(range(12)), '"w1"', 0)}
    proc = _watch(db, url)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill in the middle of the batch: some stored, none marked
        if db.exists() and _stored(db) >= 3:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    stored, linked, marked = _article_count(db)
    assert 3 <= stored < 12 and marked < 12, (stored, linked, marked)
    server.routes["/wire.rss"] = (200, _feed(range(14)), '"w2"', 0)  # two more while it was down
    proc = _watch(db, url)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _article_count(db)[2] < 14:
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "cycle 1:" in err and "stopped" in err
    assert _article_count(db) == (14, 14, 14)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(DISTINCT entry) FROM feed_entries WHERE article_id IS NOT NULL").fetchone()[0] == 14


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM extractions").fetchone()[0]
    except sqlite3.Error:
        return 0
