"""In-article relations between claims of different sources.  Sentences written for the tests."""

from __future__ import annotations

from test_attribution import _find


def _links(ex, kind):
    return {(l.source, l.target) for l in ex.links if l.type == kind}


def test_a_second_source_with_the_same_toll_corroborates_the_first(extract_text):
    text = ("At least 14 people were killed in the strike on the market, the Syrian Network for Human Rights said.\n\n"
            "A hospital source said 15 people had died of their wounds.\n\n"
            "The Network said 14 people were killed.")
    ex = extract_text(text)
    first, second = _find(ex, "At least 14 people"), _find(ex, "15 people had died")
    again = next(c for c in ex.claims if c.span.text == "14 people were killed")
    assert (second.id, first.id) in _links(ex, "corroborates")
    # The same body repeating its count corroborates nothing.
    assert (again.id, first.id) not in _links(ex, "corroborates")


def test_far_apart_counts_do_not_corroborate(extract_text):
    text = ("Officials said three people were killed in the blast.\n\n"
            "A hospital source said 40 people were killed.")
    ex = extract_text(text)
    assert not _links(ex, "corroborates") & {(_find(ex, "40 people").id, _find(ex, "three people").id)}


def test_a_second_source_telling_the_same_fact_corroborates(extract_text):
    text = ("A local official said a mortar round hit the crowded bus station of the town.\n\n"
            "Residents said the mortar round hit the bus station of the town and set buses on fire.")
    ex = extract_text(text)
    assert (_find(ex, "set buses on fire").id, _find(ex, "crowded bus station").id) in _links(ex, "corroborates")


def test_different_accounts_of_the_figures_contradict_the_count(extract_text):
    text = ("The monitoring group said at least 30 fighters were killed in the town.\n\n"
            "Rival monitors reported conflicting figures for the dead.")
    ex = extract_text(text)
    assert (_find(ex, "conflicting figures").id, _find(ex, "30 fighters").id) in _links(ex, "contradicts")


def test_the_two_sides_counting_the_same_dead_differently_contradict(extract_text):
    text = ("In two days the fighting has left nearly 200 casualties according to the army, and over 350 "
            "casualties according to the rebels.")
    ex = extract_text(text)
    army, rebels = _find(ex, "nearly 200"), _find(ex, "350")
    # Each 'according to' phrase has its own statement, not its neighbour's.
    assert "350" not in army.span.text and "army" not in rebels.span.text
    assert (rebels.id, army.id) in _links(ex, "contradicts")
    assert (rebels.id, army.id) not in _links(ex, "corroborates")


def test_a_monitor_counting_otherwise_than_a_side_is_no_dispute(extract_text):
    text = ("Rebel commanders said 90 soldiers were killed in the assault on the ridge. "
            "A monitoring group said 40 soldiers were killed.")
    ex = extract_text(text)
    assert not _links(ex, "contradicts")


def test_rival_counts_paragraphs_apart_are_not_linked(extract_text):
    text = ("The army said 40 rebels were killed near the dam on Monday.\n\n"
            "Villagers described long queues for bread.\n\n"
            "Rebel commanders said 12 of their fighters were killed in the week.")
    ex = extract_text(text)
    assert not _links(ex, "contradicts")


def test_a_side_denying_responsibility_denies_the_act_told_of_it(extract_text):
    text = ("Syrian government warplanes dropped barrel bombs on the village of Kfar Dalla in Idlib on Tuesday, killing nine people.\n\n"
            "The Syrian government has denied any responsibility, saying its jets struck a rebel arms depot outside the village.")
    ex = extract_text(text, "2026-03-10")
    denial = next(c for c in ex.claims if c.act == "deny")
    strike = next(e for e in ex.events if e.actor1 is not None and e.actor1.party == denial.speaker.party)
    assert (denial.id, strike.id) in _links(ex, "denies")
    account = _find(ex, "rebel arms depot")
    assert account.id == denial.id or (account.id, strike.id) in _links(ex, "contradicts")
    assert strike.status == "disputed"


def test_a_denial_of_a_statement_is_not_also_a_denial_of_an_event(extract_text):
    text = ("Government warplanes bombed the market of Kfar Dalla on Tuesday, the rebel council said.\n\n"
            "The government denied the rebel council's claims.")
    ex = extract_text(text, "2026-03-10")
    denial = next(c for c in ex.claims if c.act == "deny")
    assert {t for s, t in _links(ex, "denies") if s == denial.id} <= {c.id for c in ex.claims}


def test_two_accounts_set_against_each_other_by_but_contradict(extract_text):
    ex = extract_text("The governor first said the mayor had been killed in the ambush, but an aide told the radio "
                      "that the mayor had escaped with light burns.")
    first, second = _find(ex, "mayor had been killed"), _find(ex, "escaped with light burns")
    assert (second.id, first.id) in _links(ex, "contradicts")
    ex = extract_text("The governor said the mayor had been killed in the ambush, and an aide told the radio "
                      "that two guards had died too.")
    assert not _links(ex, "contradicts")
