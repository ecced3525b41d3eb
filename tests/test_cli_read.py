"""Reading the ledger from the command line: filters as users type them, ids, 80 columns, and
nothing from stored text reaching the terminal as markup or escape sequences (a real pty)."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys

from typer.testing import CliRunner

from counterclaim.cli.app import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": "80"})


def test_places_vocabularies_and_ids(sample_db):
    assert "Afghan officials" in run("claims", "--db", sample_db, "--place", "Kandahar").stdout
    assert "Kandahār" in run("events", "--db", sample_db, "--place", "Afghanistan").stdout
    assert "Syrian Observatory" in run("claims", "--db", sample_db, "--place", "Deir Ezzor").stdout
    bad = run("claims", "--db", sample_db, "--act", "denial")
    assert bad.exit_code == 2 and "assert, deny" in bad.stderr
    assert run("events", "--db", sample_db, "--status", "bogus").exit_code == 2
    listing = run("claims", "--db", sample_db, "--search", "airstrikes")
    assert all(len(line) <= 80 for line in listing.stdout.splitlines())
    shown_id = re.search(r"^([0-9a-f]{8}:c\d+-\d+)\s", listing.stdout, re.M).group(1)  # as listed
    show = run("show", shown_id.split(":")[0], "--db", sample_db)
    assert show.exit_code == 0 and "Claims" in show.stdout
    assert "no article" in run("show", "zz", "--db", sample_db).stderr


# Runs several commands in one process on the pseudo-terminal: the terminal is the
# same for each, and the suite pays for one interpreter start, not one per command.
DRIVER = """
import sys
from counterclaim.cli.app import app
for args in COMMANDS:
    try:
        app(args, prog_name="counterclaim")
    except SystemExit:
        pass
"""


def test_no_escape_reaches_the_terminal(sample_db):
    """Every command that prints stored text, under a pseudo-terminal: no stored escape or
    markup is obeyed, and errors naming what the user typed are inert too."""
    from apiweb_fixtures import hostile_extraction
    from counterclaim.store.ids import short

    hostile = hostile_extraction()
    db = ["--db", str(sample_db)]
    commands = [["articles"], ["claims"], ["events"], ["show", hostile.article.id[:8]], ["show", "[/x]\x1b[2J"],
                ["disputes"], ["disputes", "--wide"], ["summary"], ["summary", "--wide"],
                ["event", short(hostile.events[0].id)], ["event", hostile.events[0].id, "--wide"]]
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", f"COMMANDS = {[c + db for c in commands]!r}" + DRIVER],
                            stdin=slave, stdout=slave, stderr=slave,
                            env={**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"})
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(60)
    os.close(master)
    everything = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b]" not in everything  # no OSC: window titles, hyperlinks
    assert "\x1b[2J" not in everything and "\x07" not in everything
    assert "␛[2J" in everything  # shown visibly instead
    assert "[blink]" in everything and "[/x]" in everything  # markup printed as typed
    assert "Traceback" not in everything and "MarkupError" not in everything
    assert everything.count("onerror=alert(1)") >= 8  # the hostile records were printed, by every view
    assert short(hostile.events[0].id) in everything  # the id summary shows is the one event takes


def test_summary_agrees_with_events_and_names_ids_event_takes(sample_db):
    """``summary`` counts event reports as ``events --status`` lists them, and its ids are whole
    short ids that ``event`` accepts; ``disputes`` shows each side in its own column at 80 columns."""
    import json

    summary = json.loads(run("summary", "--db", sample_db, "--json").stdout)
    for status, n in summary["reports"].items():
        listed = run("events", "--db", sample_db, "--status", status, "--json", "--limit", "0").stdout
        assert len(listed.splitlines()) == n, status
    printed = run("summary", "--db", sample_db).stdout
    shown = re.findall(r"^([0-9a-f]{8}:e\d+-\d+:[0-9a-f]{6})\s", printed, re.M)
    assert shown and all(len(line) <= 80 for line in printed.splitlines())
    for short_id in shown:
        assert run("event", short_id, "--db", sample_db, "--json").exit_code == 0
    board = run("disputes", "--db", sample_db).stdout
    assert all(len(line) <= 80 for line in board.splitlines())
    assert re.search(r"^(AFG|PAK)\s{2,}.*\b(AFG|PAK)\s*$", board, re.M)  # two sides' headers on one line
