"""The command line as a user runs it: real SQLite file, real pipeline, demo articles.

Commands run in process through Typer's runner (the same code path as the
console script) so the suite stays fast; exit codes and messages are what a
user sees.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from counterclaim.cli.app import app

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("ledger") / "ledger.sqlite"
    result = run("demo", "--db", db)
    assert result.exit_code == 0, result.output
    return db


def test_demo_stores_claims_and_events(demo_db):
    result = run("claims", "--db", demo_db, "--json", "--limit", "0")
    claims = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(claims) > 20
    assert any(c["act"] == "deny" for c in claims)
    result = run("events", "--db", demo_db, "--json", "--limit", "0")
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(e["place"] and e["place"]["name"] == "Nakonde" for e in events)


def test_reingest_is_idempotent(demo_db):
    from counterclaim.ingest import demo_dir

    before = run("articles", "--db", demo_db, "--json", "--limit", "0").stdout.count("\n")
    result = run("ingest", "--db", demo_db, "-q", demo_dir())
    assert result.exit_code == 0
    assert "0 article(s) stored" in result.stderr
    assert run("articles", "--db", demo_db, "--json", "--limit", "0").stdout.count("\n") == before


def test_filters_show_and_export(demo_db, tmp_path):
    denials = run("claims", "--db", demo_db, "--act", "deny", "--json")
    assert all(json.loads(l)["act"] == "deny" for l in denials.stdout.splitlines())
    article = json.loads(run("articles", "--db", demo_db, "--json").stdout.splitlines()[0])["id"]
    shown = run("show", article[:8], "--db", demo_db)
    assert shown.exit_code == 0 and "Claims" in shown.stdout
    out = tmp_path / "events.csv"
    assert run("export", "--db", demo_db, "--format", "csv", "-o", out).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and {"event_date", "event_type", "sub_event_type", "fatalities", "latitude"} <= set(rows[0])
    geo = tmp_path / "events.geojson"
    assert run("export", "--db", demo_db, "--format", "geojson", "-o", geo).exit_code == 0
    assert json.loads(geo.read_text())["type"] == "FeatureCollection"


def test_bad_inputs_are_named_and_the_rest_is_stored(tmp_path):
    db = tmp_path / "l.sqlite"
    good = tmp_path / "good.txt"
    good.write_text("date 2026-03-02 Police said two men were arrested in Kano on Monday.\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    bad_json = tmp_path / "feed.jsonl"
    bad_json.write_text('{"text": "Troops said the road was open again near Goma."}\n{not json\n')
    result = run("ingest", "--db", db, "-q", good, empty, binary, bad_json, tmp_path / "missing.txt")
    assert result.exit_code == 1
    for name in ("empty.txt", "blob.txt", "feed.jsonl:2", "missing.txt"):
        assert name in result.stderr
    assert "Traceback" not in result.output
    stored = run("articles", "--db", db, "--json").stdout.splitlines()
    assert len(stored) == 2


def test_strict_stops_at_first_failure(tmp_path):
    db = tmp_path / "l.sqlite"
    empty = tmp_path / "a-empty.txt"
    empty.write_text("")
    good = tmp_path / "b-good.txt"
    good.write_text("Officials said the bridge was destroyed.")
    result = run("ingest", "--db", db, "-q", "--strict", empty, good)
    assert result.exit_code == 1
    assert run("articles", "--db", db, "--json").stdout.strip() == ""


def test_user_mistakes_are_one_line_errors(tmp_path):
    db = tmp_path / "l.sqlite"
    assert run("show", "nosuchid", "--db", db).exit_code == 2
    assert run("export", "--db", db, "--format", "xml").exit_code == 2
    assert run("ingest", "--db", db, "--published", "yesterday", tmp_path).exit_code == 2
    assert run("eval", "gold", tmp_path / "nowhere").exit_code == 2


def test_eval_gold_json_shape(shared_dir):
    result = run("eval", "gold", shared_dir / "examples", "--json")
    data = json.loads(result.stdout)
    assert data["n_docs"] >= 1
    assert {"claims", "claim_speaker", "claim_party", "claim_act", "quantities", "relations",
            "events", "places", "times"} <= set(data["metrics"])


def test_non_english_article_is_stored_with_a_warning(tmp_path):
    db = tmp_path / "l.sqlite"
    fr = tmp_path / "fr.txt"
    fr.write_text("Le ministère de la Défense a déclaré que les combats avaient repris dans la ville "
                  "et que plusieurs soldats avaient été blessés lors de l'attaque de mardi.")
    result = run("ingest", "--db", db, "-q", fr)
    assert result.exit_code == 0
    assert "fr.txt" in result.stderr and "English only" in result.stderr
    assert len(run("articles", "--db", db, "--json").stdout.splitlines()) == 1
    assert run("claims", "--db", db, "--json").stdout.strip() == ""


def test_gazetteer_import_reaches_a_border_crossing(tmp_path, monkeypatch):
    from counterclaim.nlp.gazetteer import Gazetteer

    monkeypatch.setenv("COUNTERCLAIM_DATA_DIR", str(tmp_path / "data"))
    dump = tmp_path / "XX.txt"
    dump.write_text("9999902\tQarat Crossing\tQarat Crossing\t\t34.1\t36.6\tS\tBCP\tSY\t\t09\t\t\t\t0\t\t600\t"
                    "Asia/Damascus\t2024-01-01\n", encoding="utf-8")
    try:
        imported = run("gazetteer", "import", dump)
        assert imported.exit_code == 0, imported.output
        found = run("gazetteer", "lookup", "Qarat Crossing")
        assert found.exit_code == 0 and "geonames:9999902" in found.stdout
    finally:
        Gazetteer.default().clear_cache()
    assert run("gazetteer", "import", tmp_path / "missing.txt").exit_code == 2
