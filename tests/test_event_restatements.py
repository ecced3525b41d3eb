"""A source restating the story's toll tells the story's event, not another (issue 11, events9).

"a doctor at the hospital counted more than 16 dead", "the militia's statement put the
dead at 30": a casualty word inside a claim, with no event noun, no place
and no other-event word of its own, is one more mention of the event told before it; its
figure stays its source's claim on that event.  Sentences and (fictional) stories written
for these tests, at real Tanzanian towns so places have coordinates.
"""

from __future__ import annotations

from datetime import date

from counterclaim.link.outlets import Outlet
from counterclaim.link.reports import Report
from counterclaim.link.tolls import toll_range
from counterclaim.nlp.event_merge import merge_mentions
from counterclaim.records import SUB_TYPE_TO_TYPE, Actor, Claim, Event, Fatalities, Place, Quantity, Span

VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def _violent(ex):
    return [e for e in ex.events if e.type in VIOLENT]


def test_sourced_tolls_after_the_lead_are_mentions_of_its_event(extract_text):
    text = ("At least 14 people were killed on Monday when a car bomb exploded at a market in Mbeya, "
            "the police said.\n\n"
            "A doctor at the regional hospital said there were more than 16 dead.\n\n"
            "The militia said in a statement that 30 people had been killed.")
    ex = extract_text(text, "2026-04-07")
    events = _violent(ex)
    assert len(events) == 1
    event = events[0]
    assert event.fatalities is not None and event.fatalities.best == 14  # the lead's figure stays the event's
    doctor = next(c for c in ex.claims if "16" in c.span.text)
    militia = next(c for c in ex.claims if "30" in c.span.text)
    assert doctor.id in event.claim_ids and militia.id in event.claim_ids  # each figure stays its source's claim


def test_a_toll_told_with_another_event_word_stays_apart(extract_text):
    """"also", "another", "elsewhere": the sentence turns to another event, whatever its source."""
    text = ("At least 14 people were killed on Monday when a car bomb exploded at a market in Mbeya, "
            "the police said.\n\n"
            "The monitor said five soldiers were also killed.")
    ex = extract_text(text, "2026-04-07")
    assert len(_violent(ex)) == 2


def test_a_place_inside_the_source_s_words_is_an_event_of_its_own(extract_text):
    text = ("At least 14 people were killed on Monday when a car bomb exploded at a market in Mbeya, "
            "the police said.\n\n"
            "The monitor said nine people were killed in Tunduma.")
    ex = extract_text(text, "2026-04-07")
    assert {e.place.name for e in _violent(ex) if e.place is not None} >= {"Mbeya", "Tunduma"}


# ------------------------------------------------------------------ merging, on records

SENTENCE = "Rebels shelled Rungwe province on Monday, killing 12. The shells hit the village of Ilolo, killing 12."


def _place(name: str, kind: str, lat: float, lon: float, precision: str) -> Place:
    start = SENTENCE.index(name)
    return Place(span=Span(start, start + len(name), name), name=name, kind=kind, lat=lat, lon=lon, country="TZ",
                 admin1="Rungwe", precision=precision)


PROVINCE = _place("Rungwe", "province", -9.1, 33.9, "admin1")
VILLAGE = _place("Ilolo", "city", -9.1, 33.9, "admin1")  # not in the gazetteer: placed at its province
KIND = "Shelling/artillery/missile attack"


def _event(place: Place, toll: int, start: int, source: str = "text") -> Event:
    span = Span(start, start + 10, SENTENCE[start:start + 10])
    return Event(id=Event.make_id("a", span, KIND, place.name), article_id="a", type=SUB_TYPE_TO_TYPE[KIND],
                 sub_type=KIND, span=span, trigger=span, place=place, date="2026-04-06", date_source=source,
                 fatalities=Fatalities(toll, toll, toll))


def test_a_village_told_with_the_province_s_toll_is_the_event_s_place():
    merged = merge_mentions([_event(PROVINCE, 12, 0), _event(VILLAGE, 12, 55, "publication")])
    assert len(merged) == 1 and merged[0].place is not None and merged[0].place.name == "Ilolo"


def test_a_village_told_with_another_toll_leaves_the_province():
    merged = merge_mentions([_event(PROVINCE, 12, 0), _event(VILLAGE, 12, 55, "publication")][:1]
                            + [_event(VILLAGE, 3, 55, "publication")], restated=frozenset())
    assert all(e.place is not None and e.place.name == "Rungwe" for e in merged if e.fatalities.best == 12)


def test_a_restated_toll_joins_the_event_told_just_before_it():
    """Shelling in one town, then in a village nearby, then "a media centre said four were killed":
    the village's toll told again, not the lead's."""
    town = Place(Span(0, 5, "Mbeya"), "Mbeya", kind="city", lat=-8.9, lon=33.46, country="TZ", admin1="Mbeya",
                 precision="exact")
    other = Place(Span(0, 6, "Tukuyu"), "Tukuyu", kind="city", lat=-9.25, lon=33.64, country="TZ", admin1="Mbeya",
                  precision="exact")  # some 40 km away
    lead = _event(town, 7, 0)
    village = _event(other, 3, 20)
    again = _event(other, 4, 40)
    again.sub_type, again.type, again.place = "Attack", SUB_TYPE_TO_TYPE["Attack"], None  # names no place
    merged = merge_mentions([lead, village, again], restated=frozenset({again.id}))
    assert [e.place.name for e in merged if e.place] == ["Mbeya", "Tukuyu"]
    assert merged[1].fatalities.best == 3 and again.span in merged[1].mentions


# ------------------------------------------------------------------ the perpetrator's count


def test_the_perpetrator_s_claimed_toll_is_in_the_range_but_disputes_nothing():
    """A monitor counts 22 dead; the group that carried out the bombing claims 40: the range
    shows both, but a perpetrator's claim of what it did is no second count of the dead."""
    group = Actor("Highland Defence Front", kind="armed group", party="HDF")
    text = "A bombing killed 22 people in Mbeya, the Southern Monitor said. The Highland Defence Front said it had killed 40."
    monitor_text, front_text = "A bombing killed 22 people in Mbeya", "it had killed 40"
    m_at, f_at = text.index(monitor_text), text.index(front_text)
    monitor = Claim(id="a:c0", article_id="a", span=Span(m_at, m_at + len(monitor_text), monitor_text),
                    speaker=Actor("Southern Monitor", party="independent",
                                  span=Span(text.index("Southern"), text.index("Southern") + 16, "Southern Monitor")),
                    quantities=[Quantity(Span(m_at + 17, m_at + 19, "22"), 22, 22, what="killed")])
    front = Claim(id="a:c1", article_id="a", span=Span(f_at, f_at + len(front_text), front_text),
                  speaker=Actor(group.name, party="HDF", span=Span(text.index(group.name), text.index(group.name)
                                                                     + len(group.name), group.name)),
                  quantities=[Quantity(Span(f_at + 14, f_at + 16, "40"), 40, 40, what="killed")])
    bombing = "Remote explosive/landmine/IED"
    event = Event(id="a:e0", article_id="a", type=SUB_TYPE_TO_TYPE[bombing], sub_type=bombing,
                  span=Span(0, len(text), text), date="2026-04-06", date_precision="day", date_source="text",
                  fatalities=Fatalities(22, 22, 22), actor1=group, claim_ids=[monitor.id, front.id])
    report = Report(event=event, outlet=Outlet("Lakeside Wire", "Lakeside Wire", ""), published=date(2026, 4, 6),
                    claims=[monitor, front])
    toll = toll_range([report])
    assert toll.fatalities is not None and toll.fatalities.high == 40
    assert toll.conflict is None


# ------------------------------------------------------------------ a counter-account


def test_a_denier_s_own_version_is_no_new_event(extract_text):
    """"The army denied any role, saying its air strikes had hit a rebel arms dump": the denier's
    account of the disputed event, not an air strike of its own."""
    text = ("At least nine villagers were killed on Sunday when a barrel of poison gas fell on the village "
            "of Ilembo near Mbeya, the monitor said.\n\n"
            "The army denied any role in the attack, saying its air strikes had hit a rebel arms dump nearby.")
    ex = extract_text(text, "2026-04-07")
    assert not [e for e in ex.events if e.sub_type == "Air/drone strike"]
    assert any("counter-account" in d.reason for d in ex.dropped)
