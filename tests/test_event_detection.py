"""Event detection, on sentences written for these tests: which triggers start an event
of their own (``nlp.event_cues`` and the trigger lexicon), and which tell an event
already told, a group, an episode, a series, a stance or a hypothesis."""

from __future__ import annotations


def events_of(ex, sub_type=None):
    return [e for e in ex.events if sub_type is None or e.sub_type == sub_type]


def reasons(ex):
    return [d.reason for d in ex.dropped if d.kind == "event"]


def test_those_arrested_names_a_group_not_an_arrest(extract_text):
    text = "The court said those detained for the unrest would be tried in a special court."
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex, "Arrests"), [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r.startswith("a group named by what happened to it") for r in reasons(ex)), reasons(ex)


def test_an_episode_named_as_a_whole_is_no_event(extract_text):
    text = ("The minister promised compensation for the families of the post-election riots victims. "
            "Critics said the state did too little during the post war clashes and the subsequent riots.")
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex, "Violent demonstration") and not events_of(ex, "Armed clash"), \
        [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r.startswith("an episode") for r in reasons(ex)), reasons(ex)


def test_the_dead_of_an_episode_are_no_event_of_their_own(extract_text):
    # "those killed" is the toll of the event told before, except when they are the dead
    # of an episode named as a whole: many events, none told here
    text = ("Shillong: the cabinet on Tuesday approved a relief of Rs 4 lakh for those killed "
            "in the post poll riots and Rs 50,000 for the injured.")
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex), [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r.startswith("a group named by what happened to it ('those killed') in an episode")
               for r in reasons(ex)), reasons(ex)


def test_those_killed_in_an_attack_told_stay_its_toll(extract_text):
    text = ("Gunmen attacked a wedding party in Bunia on Saturday, killing nine people. "
            "Those killed in the attack included two children.")
    ex = extract_text(text, "2026-03-03")
    assert events_of(ex), reasons(ex)
    assert not any("in an episode" in r for r in reasons(ex)), reasons(ex)


def test_a_past_event_named_by_its_trial_takes_no_day_of_the_ruling(extract_text):
    # the court's day is the ruling's; the massacre the accused are tried for is a past
    # event the story refers to, with no day of its own in the text
    text = ("Kohima: a special court on Thursday acquitted nine of the accused of the Belchi "
            "bus massacre for want of evidence.")
    ex = extract_text(text, "2026-03-06")
    dated = [e for e in events_of(ex) if e.trigger.text == "massacre"]
    assert dated and all(e.date is None for e in dated), [(e.sub_type, e.date, e.reason) for e in ex.events]
    assert all("what came of it" in e.reason for e in dated)


def test_riot_victims_are_a_kind_of_people_not_a_riot(extract_text):
    text = ("The opposition parties urged the government to restore order and demanded compensation "
            "for riot victims. Doctors at the district hospital in Dimapur opened a new ward on Monday.")
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex), [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r.startswith("a kind of people ('riot victims')") for r in reasons(ex)), reasons(ex)


def test_a_past_event_with_its_own_day_keeps_it(extract_text):
    text = ("The state announced compensation for the victims of the June 3 market bombing "
            "in Mardan on Friday.")
    ex = extract_text(text, "2026-06-20")
    bombings = [e for e in events_of(ex) if e.trigger.text.lower().endswith("bombing")]
    assert bombings and all(e.date == "2026-06-03" for e in bombings), \
        [(e.sub_type, e.date, e.reason) for e in ex.events]


def test_a_series_of_strikes_is_a_period_not_one_event(extract_text):
    text = "The militia has been weakened by a wave of drone strikes that targeted its commanders."
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex, "Air/drone strike"), [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r.startswith("a series") for r in reasons(ex)), reasons(ex)


def test_a_stance_towards_a_ceasefire_is_no_agreement(extract_text):
    text = ("The foreign minister said on Monday his country remains committed to the truce in the north. "
            "Both sides were urged to respect the ceasefire.")
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex, "Agreement"), [(e.sub_type, e.span.text) for e in ex.events]


def test_an_agreement_signed_stays(extract_text):
    text = "The two militias signed a ceasefire in Daraa on Sunday, a mediator said."
    assert events_of(extract_text(text, "2026-03-03"), "Agreement")


def test_a_hypothetical_operation_is_no_event(extract_text):
    text = "The envoy said any operation to recapture the port should spare civilians."
    ex = extract_text(text, "2026-03-03")
    assert not ex.events, [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r.startswith("hypothetical") for r in reasons(ex)), reasons(ex)


def test_ground_recovered_is_territory(extract_text):
    text = "On Tuesday government forces launched a counter attack and recovered lost ground near Morek, a monitor said."
    kinds = {e.sub_type for e in extract_text(text, "2026-03-03").events}
    assert kinds & {"Non-state actor overtakes territory", "Government regains territory"}, kinds


def test_last_month_dates_a_capture_instead_of_making_it_a_total(extract_text):
    text = "Rebel fighters captured the village of Kafr Zita last month, activists said."
    ex = extract_text(text, "2026-03-03")
    taken = [e for e in ex.events if e.sub_type in ("Non-state actor overtakes territory", "Government regains territory")]
    assert taken and taken[0].date == "2026-02", [(e.sub_type, e.date) for e in ex.events]


def test_a_period_still_makes_a_count_a_running_total(extract_text):
    text = "At least 40 civilians have been killed in the province this month, a monitor said."
    ex = extract_text(text, "2026-03-03")
    assert not ex.events, [(e.sub_type, e.span.text) for e in ex.events]


def test_troops_pulling_out_unopposed_hand_over_ground(extract_text):
    text = "Army troops pulled out of the border villages last year, leaving local militias in charge."
    ex = extract_text(text, "2026-03-03")
    assert events_of(ex, "Non-violent transfer of territory"), [(e.sub_type, e.span.text) for e in ex.events]


def test_troops_withdrawing_under_attack_is_no_peaceful_handover(extract_text):
    text = "Army troops withdrew from the hills as rebels pressed an offensive on Tuesday."
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex, "Non-violent transfer of territory"), [(e.sub_type, e.span.text) for e in ex.events]


def test_the_execution_of_captives_is_an_attack(extract_text):
    text = "The group released a video on Sunday showing the execution of six men in Tal Abyad."
    assert events_of(extract_text(text, "2026-03-03"), "Attack")


def test_a_lead_repeated_after_the_tags_line_is_one_event(extract_text):
    text = ("Militants attacked a police post on the edge of the town of Mingora on Sunday. "
            "Tags Swat militants police Militants attacked a police post on the edge of the town of Mingora on Sunday.")
    ex = extract_text(text, "2026-03-03")
    assert len(ex.events) == 1, [(e.sub_type, e.place, e.span.text) for e in ex.events]


def test_the_same_kind_of_event_told_in_other_words_stays_two(extract_text):
    text = ("Militants attacked a police post on the edge of Mingora on Sunday. "
            "In Peshawar, militants attacked an army post on Monday.")
    ex = extract_text(text, "2026-03-03")
    assert len(ex.events) == 2, [(e.sub_type, e.span.text) for e in ex.events]


def test_seizing_weapons_is_no_territory(extract_text):
    text = "The guerrilla commander said his men had seized 30 rifles and two mortars in the area."
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex, "Non-state actor overtakes territory"), [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r.startswith("a seizure of things") for r in reasons(ex)), reasons(ex)


def test_seizing_drugs_by_the_ton_is_no_territory(extract_text):
    # the thing seized is the noun after a measure ("2.3 tons of cocaine"), or a drug named
    text = ("The navy said marines seized more than 2.3 tons of cocaine paste near the town of Ensenada "
            "on 4 May. The heroin was seized in a warehouse in the port area of Tijuana, officials said.")
    ex = extract_text(text, "2026-05-10")
    assert not events_of(ex, "Non-state actor overtakes territory") and not events_of(ex, "Government regains territory"), \
        [(e.sub_type, e.span.text) for e in ex.events]
    assert sum(r.startswith("a seizure of things") for r in reasons(ex)) == 2, reasons(ex)


def test_weapons_bought_or_smuggled_are_no_attack(extract_text):
    text = ("Under the contract the defence ministry bought 120-mm mortars, artillery shells and "
            "various types of grenades from a foreign supplier. Police said grenades were smuggled "
            "across the border in fruit trucks. On Sunday, rebels fired mortars at the barracks in Goma.")
    ex = extract_text(text, "2026-03-03")
    attacks = [e for e in ex.events if e.sub_type in ("Shelling/artillery/missile attack", "Grenade")]
    assert [e.place.name for e in attacks if e.place] == ["Goma"], [(e.sub_type, e.span.text) for e in attacks]
    assert sum(r.startswith("a weapon named as a thing") for r in reasons(ex)) >= 3, reasons(ex)


def test_a_decision_to_attack_and_a_force_to_deter_attacks_are_no_attack(extract_text):
    # what leaders decided and what troops are there to deter has not happened (yet)
    text = ("According to the defector, the rebel commanders decided to attack the garrison at Lamu "
            "before the rains. The troops were deployed along the highway to deter attacks on convoys.")
    ex = extract_text(text, "2026-03-03")
    assert not ex.events, [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r == "under 'decided'" for r in reasons(ex)) and any(r == "under 'deter'" for r in reasons(ex)), \
        reasons(ex)


def test_a_purpose_is_not_something_done(extract_text):
    text = ("The opposition said the junta has sent some 4,000 soldiers to the eastern provinces in order "
            "to \"frighten and murder\" its supporters. Rebels mined the bridge at Lamu so as to attack the convoy.")
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex, "Attack") and not events_of(ex, "Armed clash"), \
        [(e.sub_type, e.span.text) for e in ex.events]
    assert sum(r.startswith("a purpose") for r in reasons(ex)) == 2, reasons(ex)


def test_shooting_footage_is_filming(extract_text):
    text = ("A camera crew went back the next day to shoot more footage of the burned market near Kassala. "
            "Gunmen shot two policemen dead at a checkpoint in Kassala on Monday.")
    ex = extract_text(text, "2026-03-03")
    assert len(ex.events) == 1 and "Gunmen shot" in ex.events[0].span.text, \
        [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r.startswith("filming") for r in reasons(ex)), reasons(ex)


def test_seizing_a_town_is_territory(extract_text):
    text = "Rebels seized the town of Kafr Zita on Friday after heavy fighting, activists said."
    kinds = {e.sub_type for e in extract_text(text, "2026-03-03").events}
    assert kinds & {"Non-state actor overtakes territory", "Government regains territory"}, kinds


def test_still_fighting_with_no_day_is_a_state(extract_text):
    text = "The army holds the cities although the insurgents are still fighting back in the hills."
    ex = extract_text(text, "2026-03-03")
    assert not events_of(ex, "Armed clash"), [(e.sub_type, e.span.text) for e in ex.events]
    assert any(r.startswith("an ongoing state") for r in reasons(ex)), reasons(ex)


def test_still_fighting_on_a_named_day_stays_an_event(extract_text):
    text = "Rebels were still fighting government troops in the old quarter of Homs on Monday, activists said."
    assert events_of(extract_text(text, "2026-03-03"), "Armed clash")


def test_the_attack_recalled_before_it_is_told_is_that_attack(extract_text):
    text = ("Doctors at a clinic in the province treated dozens of patients after the gas attack. "
            "A chemical attack on the town of Talmenes on Tuesday killed 30 people, medics said.")
    ex = extract_text(text, "2026-03-06")
    chem = events_of(ex, "Chemical weapon")
    assert len(chem) == 1, [(e.sub_type, e.place, e.date, e.span.text) for e in chem]
    assert len(chem[0].mentions) >= 1


def test_the_side_that_pulls_out_loses_the_ground(extract_text):
    text = "Syrian government troops pulled out of the northern border villages last year, leaving local militias in charge."
    moves = events_of(extract_text(text, "2026-03-03"), "Non-violent transfer of territory")
    assert moves and moves[0].actor2 is not None and moves[0].actor2.party == "SYR", moves
    assert moves[0].actor1 is None or moves[0].actor1.party != "SYR"


def test_a_series_of_strikes_on_one_day_and_place_stays_an_event(extract_text):
    text = "Coalition aircraft launched a series of air strikes on the city of Tabqa on Sunday, killing nine people."
    assert events_of(extract_text(text, "2026-03-03"), "Air/drone strike")


def test_those_killed_are_no_group_cue(extract_text):
    # the dead of the event told before: the toll's detail, not a group named to tell no event
    text = ("A car bomb exploded in a market in Azaz on Monday, killing nine people. "
            "The monitor said those killed were all civilians.")
    ex = extract_text(text, "2026-03-03")
    assert not any(r.startswith("a group named") for r in reasons(ex)), reasons(ex)


def test_a_wave_of_shooting_in_one_night_stays_an_event(extract_text):
    text = "Residents heard a wave of shooting across the harbour districts at about 10.15pm on the eve of the vote."
    ex = extract_text(text, "2026-03-03")
    assert not any(r.startswith("a series") for r in reasons(ex)), reasons(ex)


def test_the_campaign_an_attack_belongs_to_is_no_event_of_its_own(extract_text):
    text = ("Militiamen stormed a police post in Varnek on Monday. "
            "The raid was part of a wider offensive by the militia across the eastern hills.")
    ex = extract_text(text, "2026-03-03")
    assert not [e for e in ex.events if e.trigger and e.trigger.text == "offensive"], \
        [(e.sub_type, e.trigger.text if e.trigger else None) for e in ex.events]
    assert any(r.startswith("the campaign an event belongs to") for r in reasons(ex)), reasons(ex)


def test_troops_withdrawing_under_attack_lose_the_ground_to_the_attacker(extract_text):
    text = "Army troops withdrew from the orchards of Beit Kalan as they faced a rebel counter-attack."
    ex = extract_text(text, "2026-03-06")
    taken = events_of(ex, "Non-state actor overtakes territory")
    assert taken and taken[0].actor2 is not None, [(e.sub_type, e.actor2) for e in ex.events]


def test_rebels_withdrawing_under_attack_are_the_governments_gain(extract_text):
    text = "Rebels withdrew from the village of Tell Amar as government forces pressed an offensive, a monitor said."
    ex = extract_text(text, "2026-03-06")
    assert events_of(ex, "Government regains territory"), [(e.sub_type, e.span.text) for e in ex.events]


def test_a_day_that_starts_a_period_does_not_date_the_next_sentences(extract_text):
    text = ("Twelve gunmen died in heavy fighting near Al Maleb north of Aleppo since "
            "Tuesday afternoon. Army troops withdrew from the orchards of Al Maleb as they faced a rebel counter-attack.")
    ex = extract_text(text, "2026-03-06")
    battles = events_of(ex, "Armed clash")
    taken = events_of(ex, "Non-state actor overtakes territory")
    assert battles and battles[0].date == "2026-03-03", [(e.sub_type, e.date) for e in ex.events]
    # the withdrawal is the news of the day, at the place the sentence names again
    assert taken and taken[0].date == "2026-03-06" and taken[0].place and taken[0].place.name == "Al Maleb", \
        [(e.sub_type, e.date, e.place) for e in ex.events]


def test_the_blast_told_again_without_its_context_words_gives_the_placeless_event_its_town(extract_text):
    # "the explosion" lacks the words that make it a trigger of its own (no bomb, no dead):
    # it tells the car bombing again, and names where it happened
    text = ("A car bomb exploded on Sunday near a bus carrying pilgrims, killing nine people, officials said. "
            "The explosion hit the bus on the main road in Quetta.")
    ex = extract_text(text, "2026-03-06")
    assert len(ex.events) == 1, [(e.sub_type, e.span.text) for e in ex.events]
    assert ex.events[0].place is not None and ex.events[0].place.name == "Quetta", ex.events[0].reason


def test_a_definite_blast_without_its_context_words_starts_no_event(extract_text):
    ex = extract_text("Officials said the blast shook windows in Quetta.", "2026-03-06")
    assert not ex.events, [(e.sub_type, e.span.text) for e in ex.events]
