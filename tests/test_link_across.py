"""Across articles (issue 11, item 8): the four mistakes a coder reading the ledger caught, each on
reports written for this test (fictional stories at real Tanzanian towns, so places have coordinates).

- two strikes on one day with one toll, but at different places or by different sides, are two events;
- a source that updates its own count (10, then 20) updates it, it does not dispute it;
- a part of a toll ("three of them died in hospital") contradicts nothing;
- a verbatim republication, or a report of an allied outlet, is not independent corroboration.
"""

from __future__ import annotations

from datetime import date

from counterclaim.link.events import same_event
from counterclaim.link.outlets import Outlet, Outlets
from counterclaim.link.reports import Report
from counterclaim.link.status import event_status
from counterclaim.link.tolls import figures, toll_range
from counterclaim.records import Actor, Claim, Event, Fatalities, Place, Quantity, Span

MBEYA = Place(Span(0, 5, "Mbeya"), "Mbeya", kind="city", lat=-8.9, lon=33.46, country="TZ", admin1="Mbeya",
              gazetteer_id="geonames:154380", precision="exact")
UYOLE = Place(Span(0, 5, "Uyole"), "Uyole", kind="city", lat=-8.92, lon=33.53, country="TZ", admin1="Mbeya",
              gazetteer_id="test:uyole", precision="exact")  # a suburb about 8 km east of Mbeya
TUKUYU = Place(Span(0, 6, "Tukuyu"), "Tukuyu", kind="city", lat=-9.25, lon=33.64, country="TZ", admin1="Mbeya",
               gazetteer_id="geonames:149155", precision="exact")
ARMY = Actor("army", kind="state force", party="TZA")
REBELS = Actor("Highland Defence Front", kind="armed group", party="HDF")


def _report(article, text, *, outlet="Lakeside Wire", side="", place=MBEYA, day="2026-04-06", toll=None,
            sub="Shelling/artillery/missile attack", actor=None, claims=(), start=0, published=date(2026, 4, 6),
            copy_of=None, reason=None):
    span = Span(start, start + len(text), text)
    event = Event(id=f"{article}:e{start}", article_id=article, type="Explosions/Remote violence", sub_type=sub,
                  span=span, place=place, date=day, date_precision="day", date_source="text",
                  fatalities=Fatalities(toll, toll, toll, reason=reason) if toll is not None else None, actor1=actor,
                  claim_ids=[c.id for c in claims])
    return Report(event=event, outlet=Outlet(outlet, outlet, side), published=published, claims=list(claims),
                  copy_of=copy_of)


def _claim(article, text, speaker, number, *, start=0, party="independent", quantity=None, act="assert"):
    quantity = quantity or str(number)
    at = text.index(quantity)
    q = Quantity(Span(start + at, start + at + len(quantity), quantity), number, number, what="killed")
    return Claim(id=f"{article}:c{start}", article_id=article, span=Span(start, start + len(text), text), act=act,
                 speaker=Actor(speaker, party=party, span=Span(start, start + len(speaker), speaker)),
                 sentence=Span(start, start + len(text), text), quantities=[q])


# ------------------------------------------------------------------ one toll, two events


def test_one_day_one_toll_at_two_towns_is_two_events():
    mbeya = _report("a", "Shelling killed five people in Mbeya on Monday.", toll=5)
    tukuyu = _report("b", "Shelling killed five people in Tukuyu on Monday.", toll=5, place=TUKUYU,
                     outlet="Highland Times")
    assert not same_event(mbeya, tukuyu).same


def test_one_day_one_toll_by_two_sides_is_two_events_even_a_suburb_apart():
    """The army's shelling of a suburb and the rebels' rockets on the city, both "five killed" on
    Monday: within 25 km of each other, but two actor pairs (ACLED: two events)."""
    army = _report("a", "Army shelling killed five people in Uyole on Monday.", toll=5, place=UYOLE, actor=ARMY)
    rebels = _report("b", "Rebel rockets killed five people in Mbeya on Monday.", toll=5, actor=REBELS,
                     outlet="Highland Times")
    assert not same_event(army, rebels).same
    # The same named town, day and toll, with the blame on two sides: one event whose
    # perpetrator is contested (a dispute to show, not two events to count).
    blamed = _report("c", "Rebel rockets killed five people in Uyole on Monday.", toll=5, place=UYOLE, actor=REBELS,
                     outlet="Voice of the Highlands")
    assert same_event(army, blamed).same


def test_a_town_and_its_province_a_stated_day_apart_with_one_toll_are_two_events():
    """Monday's missile on the town and Tuesday's barrel bombs "in rural Mbeya": one toll (18), but
    the days are stated and a province names no place that could make them one."""
    province = Place(Span(0, 5, "Mbeya"), "Mbeya", kind="province", lat=-8.9, lon=33.77, country="TZ",
                     admin1="Mbeya", gazetteer_id="iso:TZ-14", precision="admin1")
    monday = _report("a", "A missile killed 18 civilians in Mbeya on Monday.", toll=18)
    tuesday = _report("b", "Barrel bombs killed 18 civilians in rural Mbeya on Tuesday.", toll=18, place=province,
                      day="2026-04-07", sub="Air/drone strike", outlet="Highland Times", published=date(2026, 4, 7))
    assert not same_event(monday, tuesday).same
    tuesday.event.date = "2026-04-06"  # the same day: the toll and the province agree
    assert same_event(monday, tuesday).same


# ------------------------------------------------------------------ updates


def test_a_source_raising_its_own_count_across_articles_is_an_update():
    first = _report("a", "Shelling killed 10 people in Mbeya, the Southern Monitor said.", toll=10,
                    claims=[_claim("a", "Shelling killed 10 people in Mbeya", "Southern Monitor", 10)])
    later = _report("b", "The toll rose to 20, the monitor said.", toll=20, outlet="Highland Times",
                    published=date(2026, 4, 7),
                    claims=[_claim("b", "The toll rose to 20", "Southern Monitor group", 20)])
    toll = toll_range([first, later])
    assert (toll.fatalities.low, toll.fatalities.high) == (10, 20)  # the early count still pulls the low down
    assert toll.conflict is None


def test_one_sides_officials_and_state_media_are_one_voice_updating_its_count():
    """State television says 22, the state news agency says 44 the next day: one government's
    count that rose, not two accounts in conflict."""
    tv = _report("a", "A car bomb killed 22 people in Mbeya, state television said.", toll=22,
                 claims=[_claim("a", "A car bomb killed 22 people", "state television", 22, party="TZA")])
    agency = _report("b", "The bombing killed 44, the state news agency said.", toll=44, outlet="Highland Times",
                     published=date(2026, 4, 7),
                     claims=[_claim("b", "The bombing killed 44", "Tanzania News Agency", 44, party="TZA")])
    assert toll_range([tv, agency]).conflict is None
    monitor = _report("c", "The bombing killed 22 people, the Southern Monitor said.", toll=22, outlet="Daily Lake",
                      published=date(2026, 4, 7),
                      claims=[_claim("c", "The bombing killed 22 people", "Southern Monitor", 22)])
    assert toll_range([tv, monitor, agency]).conflict  # another source's 22 against the state's latest 44


def test_a_count_the_article_says_rose_is_that_sources_latest():
    lead = _report("a", "Air strikes killed 20 people in Mbeya on Monday, the Southern Monitor said.", toll=20,
                   claims=[_claim("a", "Air strikes killed 20 people in Mbeya on Monday", "Southern Monitor", 20)])
    rose = _claim("a", "The death toll later rose to 31", "monitor", 31, start=300)
    lead.claims.append(rose)
    lead.event.claim_ids.append(rose.id)
    got = sorted((f.low, f.source) for f in figures([lead]))
    assert [low for low, _ in got] == [20, 31]
    other = _report("b", "Air strikes killed 31 in Mbeya, police said.", toll=31, outlet="Highland Times",
                    claims=[_claim("b", "Air strikes killed 31 in Mbeya", "police", 31, party="TZA")])
    assert toll_range([lead, other]).conflict is None  # 31 against the monitor's latest 31, not its first 20


# ------------------------------------------------------------------ parts of a toll


def test_three_of_them_died_in_hospital_is_a_part_not_a_contradiction():
    lead = _report("a", "Air strikes killed 20 people in Mbeya on Monday.", toll=20,
                   claims=[_claim("a", "Three of them died in hospital on Monday night", "Governor Alice Phiri", 3,
                                  start=200, party="TZA", quantity="Three of them")])
    assert [f.low for f in figures([lead])] == [20]
    other = _report("b", "Air strikes killed 20 people in Mbeya.", toll=20, outlet="Highland Times")
    part = _report("c", "Three of them died in hospital, the governor said.", toll=3, outlet="Daily Lake",
                   reason="killed: Three of them")
    toll = toll_range([lead, other, part])
    assert toll.conflict is None and (toll.fatalities.low, toll.fatalities.high) == (20, 20)


def test_the_dead_among_whom_or_including_a_count_are_parts():
    lead = _report("a", "Shelling killed 12 people in Mbeya on Monday.", toll=12, claims=[
        _claim("a", "Among the dead were four soldiers, the army said", "Colonel Juma Said", 4, start=200,
               party="TZA", quantity="four soldiers"),
        _claim("a", "The dead included two aid workers, the Red Cross said", "Red Cross", 2, start=300,
               quantity="two aid workers")])
    assert [f.low for f in figures([lead])] == [12]


# ------------------------------------------------------------------ independence


def test_a_near_verbatim_lead_in_two_outlets_is_one_piece_of_evidence():
    wire = ("Shelling killed 14 people in the central market of Mbeya on Monday as traders were setting up "
            "their stalls, the regional police commander said.")
    a = _report("a", wire, toll=14, outlet="Lakeside Wire")
    b = _report("b", "MBEYA - " + wire.replace("on Monday", "on Monday morning"), toll=14, outlet="Highland Times")
    assert event_status([a, b]).status == "single-source"
    own = _report("c", "Fourteen people died when shells hit Mbeya's market, the police chief told our reporter.",
                  toll=14, outlet="Daily Lake")
    assert event_status([a, b, own]).status == "corroborated"


def test_outlets_of_allied_sides_are_not_independent(tmp_path):
    outlets_file = tmp_path / "outlets.tsv"
    outlets_file.write_text("Kariba Star\t\tKariba State Media\tKRB\tZM\tstate media\tfictional\n"
                            "Lowland Post\t\tLowland Post\t\tZM\tnewspaper\tfictional\n", encoding="utf-8")
    alliances = tmp_path / "alliances.tsv"
    alliances.write_text("ZMB\tLowland war: government camp\nKRB\tLowland war: government camp\n", encoding="utf-8")
    outlets = Outlets.load(outlets_file, alliances=alliances)
    state, ally, paper = (outlets.get(n) for n in ("National Broadcasting Service", "Kariba Star", "Lowland Post"))
    assert not state.independent_of(ally) and not ally.independent_of(state)
    assert state.independent_of(paper)

    def at(article, outlet):
        return Report(event=_report(article, "Shelling killed 14 in Mbeya.", toll=14).event, outlet=outlet,
                      published=date(2026, 4, 6))

    assert event_status([at("a", state), at("b", ally)]).status == "single-source"
    assert event_status([at("a", state), at("c", paper)]).status == "corroborated"


# ------------------------------------------------------------------ the merged event's fields


def test_the_merged_event_takes_the_most_specific_means_and_the_days_reports_state():
    from counterclaim.link.aggregate import event_cluster

    vague = [_report(a, "Five people were killed in Mbeya.", sub="Attack", toll=5) for a in "abc"]
    strike = _report("d", "Air strikes killed five people in Mbeya on Monday.", sub="Air/drone strike", toll=5)
    late = _report("e", "Five people were killed in Mbeya.", sub="Attack", toll=5, day="2026-04-08",
                   published=date(2026, 4, 8))
    late.event.date_source = "published"  # dated by its article, two days late
    merged = event_cluster("c", [], vague + [strike, late])
    assert merged.sub_type == "Air/drone strike"  # three vague "killed" reports yield to the one that says how
    assert (merged.date_start, merged.date_end) == (date(2026, 4, 6), date(2026, 4, 6))
    car_bomb = [_report(a, "A car bomb killed five people in Mbeya.", sub="Remote explosive/landmine/IED", toll=5)
                for a in "fg"]
    suicide = _report("h", "A suicide bomber killed five people in Mbeya.", sub="Suicide bomb", toll=5)
    assert event_cluster("c", [], car_bomb + [suicide]).sub_type == "Suicide bomb"


def test_a_report_saying_the_counts_differ_disputes_the_event_wherever_it_says_so():
    lead = _report("a", "Air strikes killed 20 people in Mbeya on Monday.", toll=20)
    other = _report("b", "Air strikes killed 22 people in Mbeya on Monday.", toll=22, outlet="Highland Times")
    assert event_status([lead, other]).status == "corroborated"
    text = "Activists gave conflicting casualty figures for the raid"
    lead.claims.append(Claim(id="a:c300", article_id="a", span=Span(300, 300 + len(text), text),
                             speaker=Actor("activists", party="independent")))
    assert event_status([lead, other]).status == "disputed"


def test_a_count_limited_to_a_named_district_stays_in_the_range_but_disputes_nothing():
    monitor = _report("a", "Shelling killed four civilians in Mbeya on Sunday, the Southern Monitor said.", toll=4)
    paper = _report("b", "Shelling killed four people in Mbeya on Sunday.", toll=4, outlet="Highland Times",
                    claims=[_claim("b", "Mortar fire killed two people in the Old Market district of the city",
                                   "Tanzania News Agency", 2, start=200, party="TZA", quantity="two people")])
    toll = toll_range([monitor, paper])
    assert sorted(f.low for f in toll.figures) == [2, 4, 4]
    assert (toll.fatalities.low, toll.fatalities.high) == (2, 4) and toll.conflict is None


def test_one_strike_blamed_on_two_sides_is_disputed_but_two_allies_are_one_camp():
    army = _report("a", "Army shelling killed five people in Uyole on Monday.", toll=5, place=UYOLE, actor=ARMY)
    blamed = _report("b", "Rebel rockets killed five people in Uyole on Monday.", toll=5, place=UYOLE, actor=REBELS,
                     outlet="Highland Times")
    assert event_status([army, blamed]).evidence[0]["rule"] == "perpetrator contested"
    # Two parties of one camp (data/alliances.tsv): "Syrian or Russian jets" is no contest.
    syrian = _report("c", "Syrian jets killed five people in Uyole on Monday.", toll=5, place=UYOLE,
                     actor=Actor("Syrian air force", kind="state force", party="SYR"), sub="Air/drone strike")
    russian = _report("d", "Russian jets killed five people in Mbeya on Monday.", toll=5,
                      actor=Actor("Russian air force", kind="state force", party="RUS"), sub="Air/drone strike",
                      outlet="Highland Times")
    assert same_event(syrian, russian).same
    assert event_status([syrian, russian]).status == "corroborated"


def test_a_lead_toll_is_the_earlier_count_of_the_articles_only_named_source():
    """"At least 12 killed" in the lead, "the monitoring group Airwars put the dead at 20"
    further down: the lead's 12 is the monitor's earlier count, not a third account beside the
    civil defence's 21 (only for comparing: the figure keeps the voice the text gives it)."""
    monitor = _claim("a", "the monitoring group Airwars put the dead at 20", "Airwars",
                     20, start=300)
    lead = _report("a", "At least 12 people were killed in air strikes on Mbeya on Monday.", toll=12, claims=[monitor])
    rescuers = _report("b", "Air strikes killed 21 people in Mbeya, the civil defence said.", toll=21,
                       outlet="Highland Times", published=date(2026, 4, 7),
                       claims=[_claim("b", "Air strikes killed 21 people in Mbeya", "Mbeya Civil Defence", 21)])
    toll = toll_range([lead, rescuers])
    assert toll.conflict is None and (toll.fatalities.low, toll.fatalities.high) == (12, 21)
    assert {f.source for f in toll.figures if f.low == 12} == {"Lakeside Wire"}
    # With a second named source in the article, the lead is nobody's in particular: 12 against 21.
    lead.claims.append(_claim("a", "Rescuers said 18 bodies were found", "Mbeya Civil Defence", 18, start=400))
    lead.event.claim_ids.append(lead.claims[-1].id)
    assert toll_range([lead, rescuers]).conflict
