"""Tolls read from a count's own words: word order where the parse fails, page counters and
measures that count no one, war-wide totals that are no source's toll of the event."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp():
    from counterclaim.nlp.pipeline import get_nlp

    return get_nlp()


def _what(nlp, text: str, number: str) -> str | None:
    from counterclaim.nlp import quantities

    for q in quantities.find(nlp(text)[:], []):
        if q.span.text.startswith(number) or number in q.span.text.split():
            return q.what
    raise AssertionError(f"no count {number!r} in {text!r}")


def test_a_count_right_after_a_killing_verb_is_its_dead_though_the_parse_makes_it_a_subject(extract_text):
    """No comma before the speaker: the parser takes "members" for the subject of "said"; the verb
    right before the count (a bound between) still says they were killed."""
    text = ("A blast at a church in the eastern province on Sunday killed at least 14 members of the "
            "Valley-based Free Hill Brigade the Lakeside-based Centre for Human Rights said.")
    ex = extract_text(text, "2026-05-04")
    lead = min(ex.events, key=lambda e: e.span.start)
    assert lead.fatalities is not None and lead.fatalities.low == 14


@pytest.mark.parametrize("text,number,what", [
    ("Gunmen wounded more than 30 members of the village guard the mayor said.", "30", "injured"),
    ("The raid killed 7 and wounded 22 others in the camp.", "22", "injured"),
    ("Militants executed 9 prisoners in the square on Friday.", "9", "killed"),
])
def test_word_order_reads_the_casualty_verb_before_a_count(nlp, text, number, what):
    assert _what(nlp, text, number) == what


@pytest.mark.parametrize("text,number,what", [
    ("Gunmen killed 4 km from the border.", "4", "km"),
    ("Three civilians were killed 2 days ago in the village.", "2", "day"),
    ("Rebels killed 12 soldiers in 3 days of fighting.", "3", "day"),
])
def test_a_measure_after_a_casualty_verb_counts_no_one(nlp, text, number, what):
    assert _what(nlp, text, number) == what


def test_a_page_counter_is_no_count(nlp):
    """A page copied whole prints its counters in the lead ("Print Tweet Views 845 Related ..."):
    the number after the label counts readers, not anything in the story."""
    from counterclaim.nlp import quantities

    text = ("Tuesday 3 Mar 2026 Blast kills 12 in border town state TV AFP Print Tweet Views 845 Related "
            "Rebel group claims responsibility for blast in border town")
    found = quantities.find(nlp(text)[:], [])
    assert [q.low for q in found if q.low == 845] == []
    assert any(q.low == 12 and q.what == "killed" for q in found)


def test_a_lower_case_word_is_no_page_counter(nlp):
    assert _what(nlp, "The strike killed 9 civilians, most of them women.", "9") == "killed"


def test_a_war_s_total_told_later_is_not_attached_to_the_lead_event(extract_text):
    """"The war has caused more than 380000 deaths, a research centre said" is the war's toll, not a
    second source's account of the lead event (a source's account stays attached)."""
    text = ("A suicide bomber killed 15 people at a border crossing near Mbala on Monday, a monitor said.\n\n"
            "The mayor John Banda said 19 people had died in the blast.\n\n"
            "According to the Lakeside Centre for Policy Studies the decade-long conflict has caused more than "
            "380000 deaths in the country.")
    ex = extract_text(text, "2026-03-10")
    lead = min(ex.events, key=lambda e: e.span.start)
    attached = [c for c in ex.claims if c.id in lead.claim_ids]
    assert any("19" in c.span.text for c in attached)
    assert not any("380000" in c.span.text for c in attached)


@pytest.mark.parametrize("text,number", [
    ("the riot in which 23 passengers were burnt to death shocked the town.", "23"),
    ("Rebels stabbed 4 villagers to death in the night.", "4"),
])
def test_a_verb_to_death_counts_the_dead(nlp, text, number):
    """"burnt to death", "stabbed to death": the verb is no killing verb, its complement says they died."""
    assert _what(nlp, text, number) == "killed"


def test_one_person_hacked_to_death_is_a_toll_of_one(extract_text):
    ex = extract_text("a farmer was hacked to death in the market area by a mob on friday.", "2026-03-08")
    assert ex.events and ex.events[0].fatalities is not None and ex.events[0].fatalities.low == 1


@pytest.mark.parametrize("text,toll", [
    ("A union leader was killed along with nine other workers in a bomb blast on Monday.", 10),
    ("The bomb killed the commander and four other fighters.", 5),
    ("The commander was killed with three other soldiers when the convoy was ambushed.", 4),
    ("Mourners buried a priest killed on Monday along with six other villagers in an army raid.", 7),
    ("A woman and two other children were killed in the shelling.", 3),  # the woman counted once
    ("The strike killed two children and three other civilians.", 5),  # "other" than a count: no one more
    ("Three other soldiers were killed in the attack.", 3),  # others of someone told before
])
def test_people_other_than_one_count_that_one_too(extract_text, text, toll):
    """"Nine other workers" killed along with a leader are ten dead (the FA-KES and MUC-4 convention
    alike: everyone the sentence says died)."""
    ex = extract_text(text, "2026-03-10")
    assert ex.events and ex.events[0].fatalities is not None and ex.events[0].fatalities.low == toll
