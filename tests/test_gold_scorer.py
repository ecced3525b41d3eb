"""The record-level scorer (`counterclaim eval gold`): subsets, event fields,
duplicates and speaker_accept, on gold files written here and extractions built
by hand (the scorer is under test, not the extractor)."""

from __future__ import annotations

import json
from pathlib import Path

from counterclaim.eval.gold import evaluate_gold
from counterclaim.records import Actor, Claim, Event, Extraction, Fatalities, Place, Span

TEXT = ("Raiders burned the market in Alderbrook on Monday, killing four traders, "
        "the mayor Anna Kovac-Brill said. Four traders died in the Alderbrook fire, the council said.")


def _gold() -> dict:
    return {
        "published": "2026-03-04",
        "parties": {"NLF": {"name": "a group"}, "civilians": {"name": "civilians"}},
        "claims": [{"id": "c1", "speaker": "Anna Kovac-Brill", "speaker_accept": ["Kovac"],
                    "party": "independent", "act": "assert", "anchor": "Raiders burned the market"}],
        "events": [{"id": "e1", "type": "Violence against civilians", "sub_type": "Attack",
                    "actor1": "NLF", "actor2": "civilians", "location": "Alderbrook",
                    "date": "2026-03-02", "date_precision": "day", "anchor": "burned the market",
                    "fatalities": {"low": 4, "best": 4, "high": 4}}],
        "places": {"Alderbrook": {"lat": 10.0, "lon": 20.0, "country": "ZM", "kind": "town"}},
        "times": [],
    }


def _write(root: Path, subset: str, name: str) -> None:
    folder = root / subset / name
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(TEXT, encoding="utf-8")
    (folder / "gold.json").write_text(json.dumps(_gold()), encoding="utf-8")


def _span(text: str, needle: str) -> Span:
    i = text.index(needle)
    return Span(i, i + len(needle), needle)


def _extract(article) -> Extraction:
    text = article.text
    place = Place(span=_span(text, "Alderbrook"), name="Alderbrook", kind="city", lat=10.01, lon=20.0, country="ZM")
    speaker = Actor(name="Kovac", span=_span(text, "Kovac"), party="independent")
    claim = Claim(id="c", article_id=article.id, span=_span(text, "Raiders burned the market in Alderbrook"),
                  speaker=speaker)
    lead = Event(id="e-lead", article_id=article.id, type="Violence against civilians", sub_type="Attack",
                 span=_span(text, "burned the market"), actor1=Actor(name="Raiders", party="NLF"),
                 actor2=Actor(name="traders", party="civilians"), place=place, date="2026-03-02",
                 fatalities=Fatalities(low=4, best=4, high=4))
    # The same fire told again, with the wrong day: a duplicate row.
    again = Event(id="e-again", article_id=article.id, type="Violence against civilians", sub_type="Attack",
                  span=_span(text, "burned the market in Alderbrook"), place=place, date="2026-03-01")
    return Extraction(article=article, claims=[claim], events=[lead, again], places=[place])


def test_subsets_fields_duplicates_and_speaker_accept(tmp_path: Path) -> None:
    _write(tmp_path, "wire", "a1")
    _write(tmp_path, "radio", "b1")
    result = evaluate_gold(tmp_path, extract_fn=_extract)
    m = result["metrics"]
    assert result["n_docs"] == 2
    assert set(m["subsets"]) == {"wire", "radio"}
    assert m["subsets"]["wire"]["n_docs"] == 1
    assert m["claim_speaker"] == 1.0  # "Kovac" is accepted for "Anna Kovac-Brill"
    assert m["events"]["recall"] == 1.0 and m["events"]["precision"] == 0.5
    assert m["events_duplicate"] == 0.5  # one of the two rows repeats a matched event
    assert m["event_fields"] == {"sub_type": 1.0, "actor1": 1.0, "actor2": 1.0, "place": 1.0,
                                 "date": 1.0, "fatalities": 1.0}


def test_fields_are_judged_on_an_event_told_with_wrong_fields(tmp_path: Path) -> None:
    _write(tmp_path, "wire", "a1")

    def wrong(article) -> Extraction:
        ex = _extract(article)
        ev = ex.events[0]
        ev.sub_type, ev.date, ev.actor1 = "Looting/property destruction", "2026-03-03", None
        ev.fatalities = Fatalities(low=40, best=40, high=40)
        ex.events = [ev]
        return ex

    m = evaluate_gold(tmp_path, extract_fn=wrong)["metrics"]
    assert m["events"]["f1"] == 0.0  # no strict match ...
    fields = m["event_fields"]  # ... but the event is told, and its fields say what is wrong
    assert fields["sub_type"] == 0.0 and fields["date"] == 0.0 and fields["actor1"] == 0.0
    assert fields["fatalities"] == 0.0
    assert fields["place"] == 1.0 and fields["actor2"] == 1.0
    assert "subsets" not in m  # one kind of news: no per-subset breakdown
