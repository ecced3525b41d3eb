"""Merging an article's mentions of one event (``nlp.event_merge``): towns listed together
under one trigger stay one event each, however near each other they lie; a town and
the district it lies in stay one event."""

from __future__ import annotations

from counterclaim.nlp.event_merge import merge_mentions
from counterclaim.records import SUB_TYPE_TO_TYPE, Event, Place, Span

SENTENCE = "Jets bombed the hamlets of Qarat Nur and Beit Hasan in Vellor district on Friday."


def _place(name: str, lat: float, lon: float, kind: str = "city") -> Place:
    start = SENTENCE.index(name)
    return Place(span=Span(start, start + len(name), name), name=name, kind=kind, lat=lat, lon=lon, country="ZZ")


KIND = "Air/drone strike"


def _event(place: Place) -> Event:
    trigger = Span(5, 11, "bombed")
    span = Span(0, len(SENTENCE), SENTENCE)
    return Event(id=Event.make_id("a", span, KIND, place.name), article_id="a",
                 type=SUB_TYPE_TO_TYPE[KIND], sub_type=KIND, span=span,
                 trigger=trigger, place=place, date="2026-03-06", date_source="text")


def test_towns_listed_together_stay_one_event_each():
    a = _place("Qarat Nur", 36.50, 37.30)
    b = _place("Beit Hasan", 36.52, 37.34)  # a few km away
    merged = merge_mentions([_event(a), _event(b)])
    assert [e.place.name for e in merged if e.place] == ["Qarat Nur", "Beit Hasan"]


def test_a_town_and_its_district_are_one_event():
    town = _place("Beit Hasan", 36.52, 37.34)
    district = _place("Vellor", 36.55, 37.30, kind="province")
    merged = merge_mentions([_event(town), _event(district)])
    assert len(merged) == 1
