"""Exports cannot destroy: no formula or escape sequence into a spreadsheet, no file lost to a failed write.

Records with hostile text are written here (a title that is a formula, an
evidence sentence that clears the terminal); the CSV is read back with the
standard library, as a spreadsheet import would.
"""

from __future__ import annotations

import csv
import io
import os

import pytest

from counterclaim.api.export import ExportRefused, csv_cell, export_claims, export_events
from counterclaim.records import Actor, Article, Claim, Event, Span
from counterclaim.store import Store

TEXT = "=HYPERLINK(\"http://evil.example\") the army said 4 soldiers died in Goma.\x1b[2J"
ARTICLE = Article.create(TEXT, title="@SUM(A1:A9)", source="-2+3", url="\tcmd", language="en")
CLAIM = Claim(id="c1", article_id=ARTICLE.id, span=Span(0, len(TEXT), TEXT),
              speaker=Actor(name="+cmd|' /C calc'!A0", party="unknown"), act="assert")
EVENT = Event(id="e1", article_id=ARTICLE.id, type="Battles", sub_type="Armed clash", span=Span(0, len(TEXT), TEXT))


def rows(kind, **options):
    out = io.StringIO()
    write = export_claims if kind == "claims" else export_events
    write([CLAIM] if kind == "claims" else [EVENT], "csv", out, articles={ARTICLE.id: ARTICLE}, **options)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("kind", ["claims", "events"])
def test_no_cell_starts_a_formula_and_no_cell_holds_an_escape(kind):
    for row in rows(kind):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
            assert "\x1b" not in value and "\x9b" not in value


def test_raw_keeps_formulas_but_never_escape_sequences():
    raw = rows("claims", raw=True)[0]
    assert raw["speaker"] == "+cmd|' /C calc'!A0" and raw["text"].startswith("=HYPERLINK")
    assert raw["text"].endswith("Goma.") and "\x1b" not in raw["text"]
    safe = rows("claims")[0]
    assert safe["speaker"] == "'+cmd|' /C calc'!A0" and safe["source"] == "'-2+3"


def test_cells_keep_their_text_otherwise():
    assert csv_cell("The army said 4 died.\nMore.") == "The army said 4 died.\nMore."
    assert csv_cell("\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ here") == "click here"
    assert csv_cell("\x1b]0;title\x07x") == "x" and csv_cell(-3) == -3 and csv_cell(None) == ""


def test_an_existing_file_is_replaced_only_with_force(tmp_path):
    target = tmp_path / "events.csv"
    target.write_text("yesterday's export")
    with pytest.raises(ExportRefused, match="--force"):
        export_events([EVENT], "csv", target)
    assert target.read_text() == "yesterday's export"
    export_events([EVENT], "csv", target, force=True)
    assert "event_id_cnty" in target.read_text()


def test_a_failed_export_leaves_the_target_and_no_temp_file(tmp_path):
    target = tmp_path / "events.jsonl"
    target.write_text("yesterday's export")

    def records():
        yield EVENT
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        export_events(records(), "jsonl", target, force=True)
    assert target.read_text() == "yesterday's export"
    assert sorted(os.listdir(tmp_path)) == ["events.jsonl"]


def test_the_database_is_never_a_target_even_through_a_link(tmp_path):
    db = tmp_path / "ledger.sqlite"
    with Store.open(db) as store:
        store.add_article(ARTICLE)
        link = tmp_path / "export.csv"
        link.symlink_to(db)
        for target in (db, link):
            with pytest.raises(ExportRefused, match="the ledger's database"):
                export_events(store.events(), "csv", target, articles=store, force=True)
        assert store.has_article(ARTICLE.id)
    with pytest.raises(ExportRefused, match="not a regular file"):
        export_events([EVENT], "csv", "/dev/null", force=True)
