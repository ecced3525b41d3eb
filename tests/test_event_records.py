"""Event records on sentences written for these tests: one record per real-world event
(its mentions merged, their spans kept), context and unreal events left out with their
reason, perpetrators from the clause, and the side model both stages share."""

from __future__ import annotations

from typer.testing import CliRunner

from counterclaim.data.sides import coarse_side, compatible, side_of, side_of_party
from counterclaim.records import Actor


def violent(ex):
    return [e for e in ex.events if e.type in ("Battles", "Explosions/Remote violence", "Violence against civilians")]


def test_lead_details_and_toll_update_are_one_event(extract_text):
    text = ("A suicide bomber killed at least 14 people on Tuesday at a market in Maiduguri, police said.\n\n"
            "The suicide bomber blew himself up among traders shortly after dawn, a witness said.\n\n"
            "The death toll from the bombing rose to 19 on Wednesday, a hospital official said.")
    ex = extract_text(text, "2026-03-04")
    events = violent(ex)
    assert len(events) == 1, [(e.sub_type, e.span.text) for e in events]
    event = events[0]
    assert event.sub_type == "Suicide bomb"
    # every mention stays traceable
    spans = [event.span, *event.mentions]
    assert any("blew himself up" in s.text for s in spans)
    assert any("rose to 19" in s.text for s in spans)
    # a later update of the toll supersedes the lead's count
    assert event.fatalities is not None and event.fatalities.best == 19


def test_two_towns_stay_two_events(extract_text):
    text = "Air strikes killed six people in Taiz and four people in Aden on Monday, residents said."
    places = {e.place.name for e in violent(extract_text(text, "2026-03-03")) if e.place is not None}
    assert len(places) >= 2


def test_cumulative_toll_is_context_with_its_reason(extract_text):
    text = ("Shelling killed three civilians in Kherson on Sunday, officials said. The war has killed "
            "tens of thousands of people since it began, and a conflict that has killed more than 300,000 "
            "people since 2011 shows no sign of ending.")
    ex = extract_text(text, "2026-03-02")
    _no_war_sized_event(ex)
    reasons = [d.reason for d in ex.dropped]
    assert any(r.startswith("cumulative toll") for r in reasons), reasons


def test_threat_and_hypothetical_are_dropped_with_reason(extract_text):
    text = ("The militia threatened to attack the airport in El Fasher. "
            "If the army advances, it would shell the camps, a commander said.")
    ex = extract_text(text, "2026-03-02")
    assert not violent(ex), [(e.sub_type, e.span.text) for e in ex.events]
    assert ex.dropped and all(d.reason for d in ex.dropped)
    assert all(d.span.text in text for d in ex.dropped)


def test_bombs_dropped_by_state_aircraft_are_air_strikes(extract_text):
    text = ("Barrel bombs dropped by government helicopters killed seven people in Taftanaz in Idlib "
            "province on Thursday, a rescue worker said.")
    events = violent(extract_text(text, "2026-03-06"))
    assert events and events[0].sub_type == "Air/drone strike"
    assert events[0].actor1 is not None and events[0].actor1.party == "SYR"


def test_opposition_is_never_the_state(extract_text):
    text = "Rebel fighters attacked an army checkpoint near Taiz on Friday, killing four soldiers."
    events = violent(extract_text(text, "2026-03-06"))
    assert events
    a1 = events[0].actor1
    assert a1 is None or side_of(a1) != "state"


def test_side_model():
    state = Actor(name="army", party="SYR", kind="state force", country="SY")
    foreign = Actor(name="Russian jets", party="RUS", kind="state force", country="RU")
    rebels = Actor(name="rebels", party="REB", kind="armed group")
    jihadists = Actor(name="IS fighters", party="ISIS", kind="armed group")
    unnamed = Actor(name="gunmen", party="unknown", kind="armed group")
    assert side_of(state, "SY") == "state" and side_of(foreign, "SY") == "foreign state"
    assert side_of(rebels) == "opposition" and side_of(jihadists) == "jihadist"
    assert side_of(unnamed) == "armed group"  # an unnamed armed group: no side of its own
    assert side_of_party("civilians") == "civilians" and side_of(None) is None
    assert coarse_side(foreign) == "state" and coarse_side(rebels) == "non-state"
    assert coarse_side(Actor(name="Syrian", party="SYR")) is None  # a nationality without a kind
    assert compatible("armed group", "jihadist") and not compatible("opposition", "jihadist")
    assert not compatible("state", "opposition") and compatible(None, "state")


def test_show_why_prints_dropped_candidates(tmp_path):
    from counterclaim.cli.app import app

    db = tmp_path / "ledger.sqlite"
    article = tmp_path / "story.txt"
    article.write_text("Shelling killed two farmers in Kherson on Sunday, officials said. "
                       "The war has killed thousands of civilians since it began.\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--db", str(db), "-q", str(article)], catch_exceptions=False).exit_code == 0
    listed = runner.invoke(app, ["articles", "--db", str(db), "--json"], catch_exceptions=False).stdout
    import json

    aid = json.loads(listed.splitlines()[0])["id"]
    shown = runner.invoke(app, ["show", aid[:10], "--db", str(db), "--why"], catch_exceptions=False,
                          env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert "Left out" in shown.stdout and "cumulative toll" in shown.stdout
    plain = runner.invoke(app, ["show", aid[:10], "--db", str(db)], catch_exceptions=False)
    assert "Left out" not in plain.stdout


def _no_war_sized_event(ex):
    """No event of the extraction carries a war-sized toll (1,000 or more): those totals are context."""
    assert all((e.fatalities.best if e.fatalities else 0) < 1000 for e in ex.events), \
        [(e.sub_type, e.fatalities) for e in ex.events]


def test_war_sized_total_in_the_perfect_is_context(extract_text):
    text = ("Drone strikes killed four fighters near Taiz on Saturday, a commander said. "
            "More than 150,000 people have been killed and millions forced from their homes. "
            "Tens of thousands have died since then, aid groups say.")
    ex = extract_text(text, "2026-03-08")
    _no_war_sized_event(ex)
    assert any(e.fatalities and e.fatalities.best == 4 for e in ex.events)
    assert sum(d.reason.startswith("cumulative toll") for d in ex.dropped) >= 1


def test_a_recent_toll_in_the_perfect_stays_an_event(extract_text):
    ex = extract_text("At least 12 people have been killed in shelling of a market in Kherson, officials said.",
                      "2026-03-08")
    assert any(e.fatalities and e.fatalities.best == 12 for e in ex.events)


def test_totals_over_a_span_of_years_give_no_event_its_count(extract_text):
    text = ("Shelling killed two people in Aden on Monday. More than 90,000 people have died in the war, "
            "which started with protests in March 2014. The monitor has documented the killing of 5,100 civilians "
            "in air raids over the past year. Rebels have fought the militia since the start of this year, in "
            "a war that has reportedly killed over 6,000 people.")
    ex = extract_text(text, "2026-03-03")
    _no_war_sized_event(ex)
    assert any(e.fatalities and e.fatalities.best == 2 for e in ex.events)


def test_a_page_stamp_before_a_toll_is_no_count(extract_text):
    """'104512 12 Dead': a page's time stamp run into a headline is no toll of 104,512."""
    ex = extract_text("Mon Mar 2 2026 104512 12 Dead Dozens Wounded in Shelling of Lusaka. Shells hit a market "
                      "on Monday, killing 12 people, medics said.", "2026-03-03")
    assert ex.events and all(e.fatalities is None or e.fatalities.best == 12 for e in ex.events)


def test_a_sentence_saying_the_tolls_disagree_is_told_of_the_lead_event(extract_text):
    """'The gaps between the casualty figures could not be closed': a sentence of its own, no
    event or claim in it, about the toll of the event the article leads with; linking reads
    there that the reports call the tolls disputed."""
    text = ("Artillery shells hit the cattle market in Dravnik on Tuesday, killing at least 14 people, "
            "the regional monitor said. A local clinic counted 22 bodies by the evening. "
            "There were discrepancies between the casualty figures given by the two groups. "
            "The market had reopened last spring after repairs.")
    ex = extract_text(text, "2026-03-10")
    lead = min(ex.events, key=lambda e: e.span.start)
    assert any("discrepancies" in m.text for m in lead.mentions), [m.text for m in lead.mentions]
    # a sentence with a disagreeing word but about no toll is no such mention
    assert not any("reopened" in m.text for e in ex.events for m in e.mentions)
    calm = ("Artillery shells hit the cattle market in Dravnik on Tuesday, killing at least 14 people, "
            "the regional monitor said. The two villages have different market days.")
    ex = extract_text(calm, "2026-03-10")
    assert not any("market days" in m.text for e in ex.events for m in e.mentions)
