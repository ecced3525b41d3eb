"""Exports parsed back: JSONL with json, CSV with csv.DictReader, GeoJSON with json."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone

import pytest

from counterclaim.api.export import (
    ACLED_EVENT_COLUMNS,
    CLAIM_COLUMNS,
    EVENT_COLUMNS,
    compact_quantity,
    export,
    export_claims,
    export_events,
)
from counterclaim.records import (
    Actor,
    Article,
    Claim,
    Event,
    Extraction,
    Fatalities,
    Link,
    Place,
    Quantity,
    Span,
)
from counterclaim.store import Store

TEXT = (
    "Taliban spokesman Zabihullah Mujahid said airstrikes hit Kabul on Friday. "
    "Pakistani state media said dozens of fighters were killed and 19 outposts seized near Kandahar in February. "
    "A drone strike was also reported somewhere in the east."
)


def span(fragment: str) -> Span:
    start = TEXT.index(fragment)
    return Span(start, start + len(fragment), fragment)


ARTICLE = Article(
    id=Article.make_id(TEXT),
    text=TEXT,
    title="Strikes and counter-claims",
    url="https://example.org/strikes",
    source="Example Wire",
    published=date(2026, 2, 27),
    language="en",
    ingested_at=datetime(2026, 2, 27, 13, 0, tzinfo=timezone.utc),
)
AID = ARTICLE.id
PAK = Actor(name="Military Forces of Pakistan", party="PAK", kind="state force")
AFG = Actor(name="Taliban", party="AFG", kind="state force")

E_KABUL = Event(
    id=f"{AID}:e1",
    article_id=AID,
    type="Explosions/Remote violence",
    sub_type="Air/drone strike",
    span=span("airstrikes hit Kabul on Friday"),
    actor1=PAK,
    actor2=AFG,
    place=Place(span=span("Kabul"), name="Kabul", kind="city", lat=34.52813, lon=69.17233,
                country="AF", admin1="Kabul", precision="exact"),
    date="2026-02-27",
    date_precision="day",
    fatalities=Fatalities(low=0, best=0, high=0),
    status="disputed",
    claim_ids=[f"{AID}:c1"],
    reason="trigger 'airstrikes'",
)
E_OUTPOSTS = Event(
    id=f"{AID}:e2",
    article_id=AID,
    type="Battles",
    sub_type="Armed clash",
    span=span("19 outposts seized near Kandahar in February"),
    actor1=PAK,
    actor2=Actor(name="Taliban fighters", party="AFG", kind="armed group"),
    place=Place(span=span("Kandahar"), name="Kandahar", kind="province", lat=31.6, lon=65.7,
                country="AF", admin1="Kandahar", precision="admin1"),
    date="2026-02",
    date_precision="month",
    fatalities=Fatalities(low=12, best=12, high=40, reason="dozens = 12; other side: 40"),
    status="claimed",
)
E_NOWHERE = Event(
    id=f"{AID}:e3",
    article_id=AID,
    type="Explosions/Remote violence",
    sub_type="Air/drone strike",
    span=span("A drone strike was also reported"),
    status="single-source",
)
C_MUJAHID = Claim(
    id=f"{AID}:c1",
    article_id=AID,
    span=span("airstrikes hit Kabul on Friday"),
    cue=span("said"),
    speaker=Actor(name="Zabihullah Mujahid", role="spokesman", kind="person", party="AFG",
                  reason="dictionary: Taliban spokesman"),
    act="assert",
    direct_quote=False,
    channel="post on X",
    event_ids=[E_KABUL.id],
)
C_MEDIA = Claim(
    id=f"{AID}:c2",
    article_id=AID,
    span=span("dozens of fighters were killed and 19 outposts seized near Kandahar in February"),
    speaker=Actor(name="Pakistani state media", role="state media", kind="media", party="PAK"),
    act="assert",
    direct_quote=True,
    channel="state TV",
    quantities=[
        Quantity(span=span("dozens of fighters"), low=12, high=None, what="killed", vague=True),
        Quantity(span=span("19 outposts"), low=19, high=19, what="outposts seized"),
    ],
)
EVENTS = [E_KABUL, E_OUTPOSTS, E_NOWHERE]
CLAIMS = [C_MUJAHID, C_MEDIA]
ARTICLES = {AID: ARTICLE}


def test_events_jsonl_round_trips():
    out = io.StringIO()
    result = export_events(EVENTS, "jsonl", out, articles=ARTICLES)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert result.written == 3 and len(lines) == 3
    assert {line["record"] for line in lines} == {"event"}
    assert [Event.from_dict(line) for line in lines] == EVENTS
    assert lines[0]["article"]["url"] == ARTICLE.url and lines[0]["article"]["published"] == "2026-02-27"


def test_mixed_jsonl_marks_each_record():
    out = io.StringIO()
    result = export([E_KABUL, C_MUJAHID, C_MEDIA], "jsonl", out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert result.written == 3
    assert [line["record"] for line in lines] == ["event", "claim", "claim"]
    assert Claim.from_dict(lines[2]) == C_MEDIA
    assert "article" not in lines[0]  # no articles given: nothing invented


def test_events_csv_uses_acled_columns():
    out = io.StringIO()
    assert export_events(EVENTS, "csv", out, articles=ARTICLES).written == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == EVENT_COLUMNS
    assert EVENT_COLUMNS[: len(ACLED_EVENT_COLUMNS)] == ACLED_EVENT_COLUMNS
    kabul, outposts, nowhere = rows
    assert kabul["event_id_cnty"] == E_KABUL.id
    assert (kabul["event_date"], kabul["year"], kabul["time_precision"]) == ("2026-02-27", "2026", "1")
    assert (kabul["event_type"], kabul["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert (kabul["actor1"], kabul["inter1"], kabul["actor2"], kabul["inter2"]) == (
        "Military Forces of Pakistan", "1", "Taliban", "1")
    assert kabul["interaction"] == "11" and kabul["assoc_actor_1"] == ""
    assert (kabul["country"], kabul["iso"], kabul["admin1"], kabul["location"]) == ("Afghanistan", "4", "Kabul", "Kabul")
    assert (float(kabul["latitude"]), float(kabul["longitude"])) == (34.52813, 69.17233)
    assert kabul["geo_precision"] == "1"
    assert kabul["source"] == "Example Wire" and kabul["url"] == ARTICLE.url
    assert kabul["fatalities"] == "0" and kabul["fatalities_low"] == "0" and kabul["status"] == "disputed"
    assert kabul["evidence"] == "airstrikes hit Kabul on Friday" == kabul["notes"]
    assert TEXT[int(kabul["evidence_start"]) : int(kabul["evidence_end"])] == kabul["evidence"]
    assert kabul["claim_ids"] == C_MUJAHID.id and kabul["actor2_party"] == "AFG"
    # a month: coded mid-month at precision 3; dozens: ACLED's 12, range kept
    assert (outposts["event_date"], outposts["time_precision"]) == ("2026-02-14", "3")
    assert (outposts["fatalities"], outposts["fatalities_low"], outposts["fatalities_high"]) == ("12", "12", "40")
    assert outposts["inter2"] == "" and outposts["interaction"] == "10"  # "armed group" is not guessed
    assert outposts["geo_precision"] == "3"
    # undated and unplaced: the article's day at precision 2; no figure reported is ACLED's 0
    assert (nowhere["event_date"], nowhere["time_precision"]) == ("2026-02-27", "2")
    assert nowhere["latitude"] == "" and nowhere["country"] == "" and nowhere["fatalities"] == "0"
    assert nowhere["fatalities_low"] == ""


def test_claims_csv():
    out = io.StringIO()
    assert export_claims(CLAIMS, "csv", out, articles=ARTICLES).written == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CLAIM_COLUMNS
    mujahid, media = rows
    assert (mujahid["speaker"], mujahid["speaker_role"], mujahid["party"], mujahid["act"]) == (
        "Zabihullah Mujahid", "spokesman", "AFG", "assert")
    assert mujahid["direct_quote"] == "false" and media["direct_quote"] == "true"
    assert mujahid["cue"] == "said" and mujahid["channel"] == "post on X"
    assert TEXT[int(mujahid["start"]) : int(mujahid["end"])] == mujahid["text"]
    assert mujahid["event_ids"] == E_KABUL.id and mujahid["quantities"] == ""
    assert media["quantities"] == "~12-? killed; 19 outposts seized"
    assert (media["source"], media["published"], media["url"]) == ("Example Wire", "2026-02-27", ARTICLE.url)
    assert media["cue"] == ""


def test_geojson_skips_and_counts_events_without_coordinates():
    out = io.StringIO()
    result = export_events(EVENTS, "geojson", out, articles=ARTICLES)
    assert (result.written, result.skipped) == (2, 1)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection"
    first = collection["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [69.17233, 34.52813]}  # lon, lat
    assert first["id"] == E_KABUL.id
    assert set(first["properties"]) == set(EVENT_COLUMNS)
    assert first["properties"]["fatalities"] == 0 and first["properties"]["latitude"] == 34.52813


def test_geojson_empty_is_valid():
    out = io.StringIO()
    assert export_events([E_NOWHERE], "geojson", out).skipped == 1
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}


def test_bad_requests_say_why():
    with pytest.raises(ValueError, match="jsonl, csv, geojson"):
        export_events(EVENTS, "xml", io.StringIO())
    with pytest.raises(ValueError, match="GeoJSON"):
        export_claims(CLAIMS, "geojson", io.StringIO())
    with pytest.raises(TypeError, match="separately"):
        export([E_KABUL, C_MUJAHID], "csv", io.StringIO())
    with pytest.raises(TypeError, match="need a Store"):
        export(EVENTS, "csv", io.StringIO(), party="PAK")


def test_compact_quantity():
    q = Quantity(span=Span(0, 1, "x"), low=3, high=5, what="injured")
    assert compact_quantity(q) == "3-5 injured"
    assert compact_quantity(Quantity(span=Span(0, 1, "x"), low=None, high=20, unit_text="families")) == "?-20 families"


def test_export_from_a_store_query(tmp_path):
    """Filters go to the store; the store supplies the articles; files are written by path."""
    with Store.open(tmp_path / "x.sqlite") as store:
        store.save(Extraction(
            article=ARTICLE, claims=CLAIMS, events=EVENTS,
            links=[Link(source=C_MEDIA.id, type="contradicts", target=C_MUJAHID.id)],
        ))
        path = tmp_path / "events.csv"
        result = export(store, "csv", path, kind="events", type="Explosions/Remote violence")
        assert result.written == 2
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert {r["event_id_cnty"] for r in rows} == {E_KABUL.id, E_NOWHERE.id}
        assert {r["source"] for r in rows} == {"Example Wire"}

        out = io.StringIO()
        assert export(store, "geojson", out, kind="events").skipped == 1
        out = io.StringIO()
        export(store, "jsonl", out, kind="claims", disputed=True, party="PAK")
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [Claim.from_dict(line) for line in lines] == [C_MEDIA]
        assert lines[0]["article"]["source"] == "Example Wire"
        with pytest.raises(ValueError, match="kind="):
            export(store, "csv", io.StringIO())
