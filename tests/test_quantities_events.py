"""Numbers in claims and events from sentences: ACLED conventions and modality."""

from __future__ import annotations


def _q(ex, needle):
    for c in ex.claims:
        for q in c.quantities:
            if needle in q.span.text:
                return q
    raise AssertionError(f"no quantity {needle!r}: {[q.span.text for c in ex.claims for q in c.quantities]}")


def test_vague_bounds_and_ranges(extract_text):
    text = ("Medics said dozens of civilians were killed and at least 40 were wounded.\n\n"
            "Local officials said between 20 to 30 houses were destroyed.\n\n"
            "The monitor said no casualties were reported in the second raid.")
    ex = extract_text(text)
    dozens = _q(ex, "dozens")
    assert (dozens.low, dozens.high, dozens.what) == (12, None, "killed")
    forty = _q(ex, "40")
    assert (forty.low, forty.high) == (40, None)
    houses = _q(ex, "20")
    assert (houses.low, houses.high) == (20, 30)
    zero = _q(ex, "no casualties")
    assert (zero.low, zero.high, zero.what) == (0, 0, "killed")


def test_airstrike_event_with_actor_place_and_date(extract_text):
    text = "Russian airstrikes hit Idlib on Tuesday, killing nine people, the Syrian Observatory said."
    ex = extract_text(text, "2024-03-07")
    ev = next(e for e in ex.events if e.sub_type == "Air/drone strike")
    assert ev.actor1.party == "RUS"
    assert ev.place.name == "Idlib" and ev.place.country == "SY"
    assert ev.date == "2024-03-05"
    assert ev.fatalities.low == 9 and ev.fatalities.best == 9


def test_threats_and_denials_make_no_event(extract_text):
    text = ("The general threatened to launch airstrikes on the city.\n\n"
            "The ministry denied that its artillery had shelled the camp.")
    ex = extract_text(text)
    assert ex.events == []


def test_one_event_per_place(extract_text):
    text = "Government jets carried out air strikes in Homs, Hama and Aleppo on Friday, state media said."
    ex = extract_text(text, "2024-03-09")
    places = sorted(e.place.name for e in ex.events if e.sub_type == "Air/drone strike")
    assert places == ["Aleppo", "Hama", "Homs"]
