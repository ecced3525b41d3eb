"""Issue 13's reproducers, each as a user meets it: a bad input beside a good one.

Every case runs the real ``counterclaim ingest`` (in process, real pipeline,
real SQLite file) over a good article and the bad input, then checks what the
issue asks of each: one clear line naming the input, exit code 1 at most,
the good article stored (and linked), the ledger consistent
(``Store.audit``).  The texts are written here; none comes from an
evaluation set.
"""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from counterclaim.cli.app import app
from counterclaim.store import Store
from pgschema import fresh_schema

runner = CliRunner()
GOOD = "date 2026-03-02 Police said two men were arrested in Kano on Monday after a clash at the market.\n"
CLEAN = {"partial": 0, "unlinked": 0, "stale": 0, "empty_clusters": 0, "duplicate_texts": 0, "integrity": "ok"}


def ingest(*args):
    return runner.invoke(app, ["ingest", "-q", *[str(a) for a in args]], catch_exceptions=False)


def stored(db) -> list[dict]:
    result = runner.invoke(app, ["articles", "--db", str(db), "--json", "--limit", "0"], catch_exceptions=False)
    return [json.loads(line) for line in result.stdout.splitlines()]


def audit(db) -> dict:
    with Store.open(db) as store:
        return store.audit()


@pytest.fixture
def pg_schema():
    with fresh_schema() as url:
        yield url


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.txt"
    path.write_text(GOOD)
    return path


def one_line_naming(result, name: str) -> str:
    """The stderr line that names ``name``; there must be exactly one, with no traceback."""
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if name in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


def check_batch(result, db, bad_name: str, *, exit_code: int = 1, articles: int = 1) -> str:
    assert result.exit_code == exit_code, result.output
    line = one_line_naming(result, bad_name)
    assert len(stored(db)) == articles
    assert audit(db) == CLEAN
    return line


# 1. Rich markup in names and fields: ingest's own messages print it as text.
def test_markup_in_a_path_and_in_fields_is_printed_as_text(tmp_path, good):
    db = tmp_path / "l.sqlite"
    (tmp_path / "x[").mkdir()
    empty = tmp_path / "x[" / "y]empty[blink].txt"
    empty.write_text("")
    dated = tmp_path / "dated.jsonl"
    dated.write_text(json.dumps({"text": "The army said 3 soldiers died in Goma.", "published": "[/x]"}) + "\n")
    result = ingest("--db", db, good, empty, dated)
    assert result.exit_code == 1
    assert "y]empty[blink].txt: empty file" in one_line_naming(result, "empty[blink]")
    assert "unrecognised date '[/x]'" in one_line_naming(result, "dated.jsonl:1")
    assert len(stored(db)) == 2 and audit(db) == CLEAN


# 2. A text over the parser's limit (and under the old 5 MB file limit).
def test_a_text_over_the_article_limit_is_named_and_skipped(tmp_path, good):
    db = tmp_path / "l.sqlite"
    big = tmp_path / "big.txt"
    big.write_text("The army said the town was calm. " * 32_000)  # 1,056,000 characters
    line = check_batch(ingest("--db", db, good, big), db, "big.txt")
    assert "too long for one article: 1,055,999 characters, over the limit of 1,000,000" in line


def test_the_article_limit_is_per_article_and_can_be_raised(tmp_path):
    db = tmp_path / "l.sqlite"
    table = tmp_path / "corpus.csv"
    rows = [f'"Officials said {n} houses burned in Goma on Monday, and aid workers said the roads were cut."'
            for n in range(2, 6)]
    table.write_text("text\n" + "\n".join(rows) + "\n")
    result = ingest("--db", db, "--max-article-size", 60, table)
    assert result.exit_code == 1 and result.stderr.count("too long for one article") == 4
    result = ingest("--db", db, "--max-article-size", 200, "--max-file-size", 1000, table)
    assert result.exit_code == 0 and len(stored(db)) == 4 and audit(db) == CLEAN


# 3. Deeply nested JSON.
def test_deeply_nested_json_costs_its_line(tmp_path, good):
    db = tmp_path / "l.sqlite"
    feed = tmp_path / "nested.jsonl"
    feed.write_text("[" * 2000 + "\n" + json.dumps({"text": "Rebels said they seized the post at Goma."}) + "\n")
    line = check_batch(ingest("--db", db, good, feed), db, "nested.jsonl:1", articles=2)
    assert "nested too deeply" in line


# 4. A feed entry dated 0000-00-00.
def test_a_bad_feed_date_is_an_absent_date(tmp_path, good):
    db = tmp_path / "l.sqlite"
    feed = tmp_path / "feed.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>a</title>'
                    "<pubDate>0000-00-00</pubDate><description>The ministry said 12 people were killed in Goma."
                    "</description></item></channel></rss>")
    line = check_batch(ingest("--db", db, good, feed), db, "feed.rss#1", exit_code=0, articles=2)
    assert "warning" in line and "unrecognised date '0000-00-00'" in line
    assert [a["published"] for a in stored(db) if a["source"] == "Wire"] == [None]


# 5. Numbers no store can hold: clamped, the claim keeps the text.
def test_huge_numbers_are_clamped_and_the_text_kept(tmp_path, good):
    db = tmp_path / "l.sqlite"
    huge = tmp_path / "huge.txt"
    huge.write_text("The ministry said 9223372036854775808 soldiers were killed in Goma.")
    nines = tmp_path / "nines.txt"
    nines.write_text("The ministry said " + "9" * 400 + " soldiers were killed in Goma.")
    result = ingest("--db", db, good, huge, nines)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert len(stored(db)) == 3 and audit(db) == CLEAN
    claims = [json.loads(line) for line in runner.invoke(app, ["claims", "--db", str(db), "--json"]).stdout.splitlines()]
    figures = [(q["low"], q["span"]["text"]) for c in claims for q in c["quantities"] if "soldiers" in q["span"]["text"]]
    assert (2**63 - 1, "9223372036854775808 soldiers") in figures
    assert (2**63 - 1, "9" * 400 + " soldiers") in figures


# 6. NUL in a JSON line's text (PostgreSQL refused it): removed before storage, on every backend.
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_nul_in_json_text_is_removed_before_storage(tmp_path, good, backend, request):
    db = tmp_path / "l.sqlite" if backend == "sqlite" else request.getfixturevalue("pg_schema")
    lines = tmp_path / "nul.jsonl"
    lines.write_text(json.dumps({"text": "The army said\u0000 two soldiers died in Goma.", "title": "a\u0000b"}) + "\n")
    result = ingest("--db", db, good, lines)
    assert result.exit_code == 0, result.output
    texts = {a["title"]: a for a in stored(db)}
    assert "ab" in texts and audit(db) == CLEAN
    shown = runner.invoke(app, ["show", texts["ab"]["id"], "--db", str(db), "--json"]).stdout
    assert "\\u0000" not in shown and "The army said two soldiers" in shown


# 7. A FIFO named on the command line (it used to block forever).
def test_a_fifo_is_refused_by_type(tmp_path, good):
    db = tmp_path / "l.sqlite"
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    line = check_batch(ingest("--db", db, good, fifo), db, "pipe.txt")
    assert "named pipe (FIFO)" in line


# 8. Extraction bounded: a sentence of thousands of words is skipped with a reason.
def test_a_run_on_sentence_is_skipped_with_a_reason(tmp_path, good):
    db = tmp_path / "l.sqlite"
    chain = tmp_path / "chain.txt"
    chain.write_text("the army said " * 300 + "\n\n" + "He said she said " * 100)
    line = check_batch(ingest("--db", db, good, chain), db, "chain.txt", exit_code=0, articles=2)
    assert "warning" in line and "over 250 words not read for claims" in line


# 9. One NUL byte in one CSV row / one JSON line costs that row, not the file.
def test_a_nul_byte_costs_its_row_not_the_file(tmp_path, good):
    db = tmp_path / "l.sqlite"
    table = tmp_path / "rows.csv"
    table.write_bytes(b'text\n"The army said six soldiers died in Goma."\n"A bad\x00 row."\n'
                      b'"Police said the road to Kano reopened."\n')
    lines = tmp_path / "rows.jsonl"
    lines.write_bytes(b'{"text": "Rebels said they took the hill near Goma."}\n{"text": "bad\x00"}\n')
    result = ingest("--db", db, good, table, lines)
    assert result.exit_code == 1
    assert "NUL bytes" in one_line_naming(result, "rows.csv:3")
    assert "NUL bytes" in one_line_naming(result, "rows.jsonl:2")
    assert len(stored(db)) == 4 and audit(db) == CLEAN


# 10. Exporting onto the ledger file itself.
def test_export_never_writes_onto_the_ledger(tmp_path, good):
    db = tmp_path / "l.sqlite"
    assert ingest("--db", db, good).exit_code == 0
    size = db.stat().st_size
    for extra in ([], ["--force"]):
        result = runner.invoke(app, ["export", "--db", str(db), "-o", str(db), *extra])
        assert result.exit_code == 1 and "the ledger's database" in result.stderr
    assert db.stat().st_size == size and len(stored(db)) == 1 and audit(db) == CLEAN


# 11. A damaged file, a full disk, two schema versions: one line each, with what to do.
def test_a_damaged_database_is_one_line(tmp_path, good):
    db = tmp_path / "l.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    result = ingest("--db", db, good)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.count("\n") == 1 and "is damaged" in result.stderr and "backup" in result.stderr


def test_two_schema_versions_are_one_line(tmp_path, good):
    db = tmp_path / "l.sqlite"
    assert ingest("--db", db, good).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO counterclaim_alembic_version VALUES ('0003')")
    result = runner.invoke(app, ["articles", "--db", str(db)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.count("\n") == 1 and "2 schema versions" in result.stderr and "DELETE FROM" in result.stderr


@pytest.fixture
def disk_of(request):
    """SQLite files of ``pages`` pages at most: SQLite's own "database or disk is full" (SQLITE_FULL)."""
    pages = {"n": None}

    def cap(dbapi_connection, _record):
        if pages["n"] is not None and type(dbapi_connection).__module__ == "sqlite3":
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages['n']}")

    event.listen(Engine, "connect", cap)
    request.addfinalizer(lambda: event.remove(Engine, "connect", cap))
    return pages


# 11 and 12. A full disk stops the run with one line; the next run finishes what it left.
def test_a_full_disk_stops_cleanly_and_the_next_run_finishes(tmp_path, good, disk_of):
    db = tmp_path / "l.sqlite"
    assert ingest("--db", db, good).exit_code == 0
    disk_of["n"] = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0] + 2
    folder = tmp_path / "more"
    folder.mkdir()
    for n in range(6):
        (folder / f"{n}.txt").write_text(f"date 2026-03-0{n + 2} Officials said {n + 3} houses burned in Goma "
                                         f"on the {n + 1}th day of fighting, and aid workers said "
                                         + "the roads were cut and the market closed. " * 12)
    result = ingest("--db", db, folder)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "error: stopped: the disk holding the database" in result.stderr and "is full" in result.stderr
    disk_of["n"] = None
    health = audit(db)
    assert health["integrity"] == "ok" and health["partial"] == 0 and health["empty_clusters"] == 0
    result = ingest("--db", db, folder)
    assert result.exit_code == 0, result.output
    assert len(stored(db)) == 7 and audit(db) == CLEAN


# 12. Stored but not linked (a kill between the two): the next ingest links them and says so.
def test_articles_left_unlinked_are_linked_by_the_next_ingest(tmp_path, good):
    from counterclaim.api.ledger import Ledger

    db = tmp_path / "l.sqlite"
    other = tmp_path / "other.txt"
    other.write_text("date 2026-03-03 Police said three men were arrested in Kano after the market clash.\n")
    with Ledger(db, link=False) as ledger:  # the state a kill after storing leaves behind
        assert len(ledger.ingest([good, other]).stored) == 2
    assert audit(db)["unlinked"] == 2
    result = ingest("--db", db, good, other)
    assert result.exit_code == 0
    assert "2 already stored" in result.stderr and "2 stored by an interrupted earlier run linked now" in result.stderr
    assert audit(db) == CLEAN


# Security: links out of a folder, file names with newlines.
def test_links_out_of_a_folder_are_not_followed_unless_asked(tmp_path, good):
    db = tmp_path / "l.sqlite"
    outside = tmp_path / "secret.txt"
    outside.write_text("The minister said the secret plan would start on Friday in Goma.")
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    (folder / "leak.txt").symlink_to(outside)
    (folder / "inner.txt").symlink_to(folder / "a.txt")
    result = ingest("--db", db, folder)
    assert result.exit_code == 0 and "1 symbolic link leading out of the folder" in result.stderr
    assert len(stored(db)) == 1
    assert ingest("--db", db, "--follow-links", folder).exit_code == 0
    assert len(stored(db)) == 2 and audit(db) == CLEAN


def test_a_file_name_with_a_newline_stays_on_one_line(tmp_path, good):
    db = tmp_path / "l.sqlite"
    odd = tmp_path / "two\nlines\x1b[2J.txt"
    odd.write_text("")
    result = ingest("--db", db, good, odd)
    assert result.exit_code == 1
    line = one_line_naming(result, "two\u240alines\u241b[2J.txt")
    assert line.startswith("error: ") and line.endswith("empty file") and "\x1b" not in result.stderr


# Issue 12 item 5: the progress bar counts articles, so one large CSV shows progress.
def test_progress_moves_article_by_article_through_one_csv(tmp_path):
    from counterclaim.api.ledger import Ledger
    from counterclaim.ingest import count_articles

    table = tmp_path / "corpus.csv"
    table.write_bytes(b"text\n" + b"".join(f'"Officials said {n} houses burned in Goma."\n'.encode() for n in range(2, 6))
                      + b'"bad\x00"\n')
    steps = []
    with Ledger(tmp_path / "l.sqlite", link=False) as ledger:
        ledger.ingest([table], on_article=lambda what, ref: what != "read" and steps.append(ref))
    assert count_articles([table]) == len(steps) == 5
    assert f"{table}:6" in steps
