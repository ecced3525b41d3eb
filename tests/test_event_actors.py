"""Who did what to whom, on sentences written for these tests: each class of phrasing
the actor rules read (nlp.events ``_actors`` and nlp.event_actors), with the reason
kept on the actor."""

from __future__ import annotations


def events_of(ex, sub_type=None):
    return [e for e in ex.events if sub_type is None or e.sub_type == sub_type]


def party(actor):
    return actor.party if actor is not None else None


def test_trigger_noun_tagged_as_a_verb_keeps_its_side_word(extract_text):
    # the small model tags "airstrikes" here as a verb (ccomp of "reported")
    text = ("Kurdish-linked groups inside Iraq further reported government airstrikes on IS-controlled "
            "areas near Mosul as well.")
    strikes = events_of(extract_text(text, "2026-05-10"), "Air/drone strike")
    assert strikes and party(strikes[0].actor1) == "IRQ", [(e.actor1, e.span.text) for e in strikes]
    assert party(strikes[0].actor2) == "ISIS"


def test_agent_of_the_attack_several_verbs_down(extract_text):
    text = ("Air raids hit the town of Maarat al-Numan in Idlib province on Saturday, rescuers said. "
            "The strike, thought to have been conducted by Russian warplanes, left nine people dead.")
    strikes = events_of(extract_text(text, "2026-05-10"), "Air/drone strike")
    assert strikes and party(strikes[0].actor1) == "RUS", [(e.actor1, e.span.text) for e in strikes]
    assert "Russian" in strikes[0].actor1.reason


def test_a_nationality_names_the_forces_state_abroad(extract_text):
    text = "The bombing was conducted by Turkish jets, killing seven people near Afrin on Monday."
    strikes = events_of(extract_text(text, "2026-05-10"))
    assert strikes and party(strikes[0].actor1) == "TUR", [(e.sub_type, e.actor1) for e in strikes]


def test_a_later_mention_of_another_event_gives_no_perpetrator(extract_text):
    # the second paragraph's strike is another event (another town, told after it): its
    # perpetrator is not the first one's
    text = ("Air strikes hit the town of Saraqeb in Idlib province on Saturday, a monitor said.\n\n"
            "Shelling killed two people in Daraa on Sunday.\n\n"
            "The strike on Daraa was carried out by government forces, residents said.")
    strikes = events_of(extract_text(text, "2026-05-10"), "Air/drone strike")
    assert strikes and party(strikes[0].actor1) in (None, "unknown"), [(e.actor1, e.span.text) for e in strikes]


def test_weapon_of_an_attack_verb_takes_its_subject_and_object(extract_text):
    text = "Gunmen attacked a police base with three truck bombs near Ramadi in Iraq on Friday."
    bombs = events_of(extract_text(text, "2026-05-10"))
    assert bombs and bombs[0].actor1 is not None and bombs[0].actor1.name == "Gunmen", \
        [(e.actor1, e.actor2) for e in bombs]
    assert party(bombs[0].actor2) == "IRQ"


def test_fallen_fighters_of_two_sides_are_the_sides_that_fought(extract_text):
    text = ("Fighting raged around Hama in Syria this week. The monitor said 12 army soldiers and "
            "20 rebel fighters were killed in battles near Hama since Tuesday.")
    clashes = [e for e in events_of(extract_text(text, "2026-05-10"), "Armed clash") if "battles" in e.span.text]
    assert clashes, "no clash"
    assert (party(clashes[0].actor1), party(clashes[0].actor2)) == ("SYR", "REB"), clashes[0]
    assert "the two sides that fought" in clashes[0].actor1.reason


def test_a_sides_own_fallen_are_the_target_and_each_trigger_keeps_its_clause(extract_text):
    text = ("The Nigerian army said one of its officers was killed by a roadside bomb near Maiduguri on "
            "Monday, and that 14 insurgents died in fighting later that day.")
    ex = extract_text(text, "2026-05-10")
    bombs = events_of(ex, "Remote explosive/landmine/IED")
    assert bombs and party(bombs[0].actor2) == "NGA", [(e.actor1, e.actor2) for e in bombs]
    clashes = events_of(ex, "Armed clash")
    # the insurgents who died in the fighting were the army's own fight, and the officer
    # killed by the bomb is no target of the fighting
    assert clashes and party(clashes[0].actor1) == "NGA", [(e.actor1, e.actor2) for e in clashes]
    assert party(clashes[0].actor2) == "REB"


def test_a_monitor_telling_of_militants_killed_names_no_attacker(extract_text):
    text = "The monitor said 9 militants were killed in clashes near Mosul in Iraq on Sunday."
    clashes = events_of(extract_text(text, "2026-05-10"), "Armed clash")
    assert clashes and party(clashes[0].actor1) in (None, "unknown"), clashes


def test_soldiers_killed_by_a_bomb_are_its_target(extract_text):
    text = "A bomb exploded near a checkpoint in Quetta in Pakistan on Monday, killing two soldiers."
    bombs = events_of(extract_text(text, "2026-05-10"), "Remote explosive/landmine/IED")
    assert bombs and party(bombs[0].actor2) == "PAK", [(e.actor1, e.actor2) for e in bombs]


def test_people_arrested_over_crowd_violence_are_rioters(extract_text):
    for text in ("Police had arrested 30 persons in connection with the riots in the old city of Surat on Monday.",
                 "Police arrested 12 men for the arson at the market in Surat on Monday."):
        arrests = events_of(extract_text(text, "2026-05-10"), "Arrests")
        assert arrests and party(arrests[0].actor2) == "rioters", (text, arrests)
        assert "crowd violence" in arrests[0].actor2.reason


def test_people_arrested_for_anything_else_stay_civilians(extract_text):
    for text in ("Police arrested two men in Surat on Monday over a land dispute.",
                 "Police said 40 people have been arrested in the cheating case in Surat."):
        arrests = events_of(extract_text(text, "2026-05-10"), "Arrests")
        assert arrests and party(arrests[0].actor2) == "civilians", (text, arrests)


def test_those_killed_along_with_a_victim_are_civilians(extract_text):
    text = "A SCHOOL TEACHER WAS KILLED ON MONDAY ALONG WITH THREE FARMERS IN A MINE EXPLOSION NEAR THE BORDER."
    bombs = events_of(extract_text(text, "1990-03-03"), "Remote explosive/landmine/IED")
    assert bombs and party(bombs[0].actor2) == "civilians", [(e.actor1, e.actor2) for e in bombs]


def test_fallen_combatants_reads_conjuncts_and_counted_nouns():
    from counterclaim.nlp.event_actors import fallen_combatants
    from counterclaim.nlp.pipeline import get_nlp

    verbs = frozenset({"kill", "die", "wound"})
    doc = get_nlp()("Shelling killed 15 rebels and 9 soldiers, and one of the guards died later.")
    shelling = doc[0]
    assert [t.text for t in fallen_combatants(shelling, verbs)] == ["rebels", "soldiers"]
    doc = get_nlp()("Two farmers were killed in the raid.")
    assert fallen_combatants(doc[5], verbs) == []  # farmers are no side's fighters


def test_competing_perpetrators_name_none(extract_text):
    for text in ("Air strikes hit a market in Atmeh in Idlib province on Monday, killing 12 civilians. A monitor "
                 "said it did not know whether the raids were flown by Syrian pilots or by Russian ones.",
                 "Air strikes hit a market in Atmeh in Idlib province on Monday, killing 12 civilians. A monitor "
                 "said the strikes had been carried out either by Syrian warplanes or Russian jets."):
        strikes = events_of(extract_text(text, "2026-05-10"), "Air/drone strike")
        assert strikes and all(party(e.actor1) in (None, "unknown") for e in strikes), \
            (text, [e.actor1 for e in strikes])


def test_conjoined_attackers_are_no_alternatives(extract_text):
    text = "The attack was carried out by rebels and jihadists near Hama in Syria on Monday, killing two soldiers."
    events = events_of(extract_text(text, "2026-05-10"))
    assert events and party(events[0].actor1) == "REB", [(e.actor1, e.actor2) for e in events]


def test_the_perpetrators_nationality_places_nothing(extract_text):
    text = ("Opposition condemns massacre by Russian air force in Atmeh. Over 30 civilians were killed when "
            "Russian jets fired missiles on a market in the town on Monday.")
    events = extract_text(text, "2026-05-10").events
    assert events and all(e.place is None or e.place.country != "RU" for e in events), \
        [(e.sub_type, e.place) for e in events]
    assert all(party(e.actor1) == "RUS" for e in events), [(e.sub_type, e.actor1) for e in events]


def test_the_triggers_own_by_phrase_before_an_of_above_it(extract_text):
    # ("part of a wider offensive" would name the campaign, no event of its own: event_cues.campaign_of)
    text = ("The raid on the village was the opening blow of a wider offensive by the Islamic State against "
            "several districts of Kirkuk province in Iraq on Friday.")
    events = [e for e in extract_text(text, "2026-05-10").events if e.trigger.text == "offensive"]
    assert events and party(events[0].actor1) == "ISIS", [(e.trigger.text, e.actor1) for e in extract_text(text).events]


def test_ground_held_by_a_named_side_names_the_target(extract_text):
    text = "Kurdish fighters captured several villages held by the Islamic State near Kirkuk in Iraq on Monday."
    taken = events_of(extract_text(text, "2026-05-10"), "Non-state actor overtakes territory")
    assert taken and party(taken[0].actor2) == "ISIS", [(e.actor1, e.actor2) for e in taken]
    assert taken[0].actor2.span is not None and taken[0].actor2.span.text == "held by the Islamic State"
    text = "Government forces shelled districts controlled by rebels in Daraa in Syria on Monday."
    shelled = events_of(extract_text(text, "2026-05-10"))
    assert shelled and party(shelled[0].actor2) == "REB", [(e.actor1, e.actor2) for e in shelled]


def test_actor_dictionary_names_groups_of_other_wars_with_their_side(extract_text):
    from counterclaim.data.sides import side_of_party

    text = "Hurras al-Din fighters attacked an army post near Idlib in Syria on Monday."
    events = events_of(extract_text(text, "2026-05-10"))
    assert events and party(events[0].actor1) == "AQ", [(e.sub_type, e.actor1) for e in events]
    assert side_of_party("LET") == "jihadist" and side_of_party("SENDERO") == "opposition"
    text = "The Shining Path ambushed an army patrol near Ayacucho in Peru on Sunday."
    events = events_of(extract_text(text, "1990-05-10"))
    assert events and party(events[0].actor1) == "SENDERO", [(e.sub_type, e.actor1) for e in events]


def test_a_gerund_tagged_as_a_noun_keeps_its_object(extract_text):
    text = ("Heavy raids hit Idlib province in Syria on Monday, with Russia and the Syrian regime bombing rebel-held "
            "districts of the town and its villages while rebels shelled army-held areas.")
    events = extract_text(text, "2026-05-10").events
    bombing = [e for e in events if e.trigger.text == "bombing"]
    assert bombing and party(bombing[0].actor2) == "REB", [(e.trigger.text, e.actor2) for e in events]
    shelled = [e for e in events if e.trigger.text == "shelled"]
    assert shelled and (party(shelled[0].actor1), party(shelled[0].actor2)) == ("REB", "SYR")
