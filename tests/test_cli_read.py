"""Reading the ledger from the command line: filters as users type them, ids, 80 columns, and
nothing from stored text reaching the terminal as markup or escape sequences (a real pty)."""

from __future__ import annotations

import os
import re
import pty
import select
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from counterclaim.cli.app import app

runner = CliRunner()
CLI = [sys.executable, "-c", "from counterclaim.cli import main; main()"]


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


def test_no_escape_reaches_the_terminal(sample_db):
    """articles, claims, events and show under a pseudo-terminal: no stored escape or markup is obeyed."""
    from apiweb_fixtures import hostile_extraction

    hostile = hostile_extraction().article.id[:8]
    outputs = []
    for args in (["articles"], ["claims"], ["events"], ["show", hostile], ["show", "[/x]\x1b[2J"]):
        master, slave = pty.openpty()
        proc = subprocess.Popen(CLI + args + ["--db", str(sample_db)], stdin=slave, stdout=slave, stderr=slave,
                                env={**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"})
        os.close(slave)
        chunks = []
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                break
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(30)
        os.close(master)
        outputs.append(b"".join(chunks).decode("utf-8", "replace"))
    everything = "".join(outputs)
    assert "\x1b]" not in everything  # no OSC: window titles, hyperlinks
    assert "\x1b[2J" not in everything and "\x07" not in everything
    assert "␛[2J" in everything  # shown visibly instead
    assert "[blink]" in everything and "[/x]" in everything  # markup printed as typed
    assert "Traceback" not in everything and "MarkupError" not in everything
