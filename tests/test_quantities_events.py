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
    places = sorted(e.place.span.text for e in ex.events if e.sub_type == "Air/drone strike")
    assert places == ["Aleppo", "Hama", "Homs"]


def test_foreign_state_taking_outposts_overtakes_territory(extract_text):
    """ACLED: a foreign state's forces acquiring a location is 'overtakes territory', and
    conjoined predicates share their ground ('killed Ruritanian guards and seized posts')."""
    text = "Zambian troops killed six Tanzanian border guards and seized three outposts on Monday, the army said."
    ex = extract_text(text, "2026-03-11")
    ev = next(e for e in ex.events if "territory" in e.sub_type)
    assert ev.sub_type == "Non-state actor overtakes territory"
    assert ev.place is not None and ev.place.country == "TZ"


def test_a_state_retaking_its_own_town_regains_territory(extract_text):
    text = "Nigerian troops recaptured the town of Baga in Borno State from Boko Haram fighters on Sunday."
    ex = extract_text(text, "2026-03-10")
    ev = next(e for e in ex.events if "territory" in e.sub_type)
    assert ev.sub_type == "Government regains territory" and ev.actor2.party == "BOKOHARAM"
    assert [e.place.name for e in ex.events] == ["Baga"] and ev.place.country == "NG"  # not Borno too: Baga is in it


def test_the_attack_a_strike_answers_is_no_new_event(extract_text):
    text = ("Rebels shelled the garrison in Goma on Monday.\n\n"
            "The army launched air strikes on rebel positions near Goma in response to the attacks.")
    ex = extract_text(text, "2026-03-10")
    assert sorted(e.sub_type for e in ex.events) == ["Air/drone strike", "Shelling/artillery/missile attack"]


def test_an_event_whose_claim_is_denied_is_disputed(extract_text):
    text = ("The ministry denied the rebels' claims that their fighters shot down two army helicopters "
            "and killed 30 soldiers near Kidal on Tuesday.")
    ex = extract_text(text, "2026-03-12")
    assert ex.events and all(e.status == "disputed" for e in ex.events)


def test_a_later_sentence_takes_the_place_of_the_same_days_event_not_the_dateline(extract_text):
    text = ("LUSAKA, March 11 (MPA) - Rebels attacked an army post near Nakonde on Tuesday, officials said.\n\n"
            "Last year rebels ambushed a convoy in Kasama.\n\n"
            "Seven soldiers were killed in the fighting on Tuesday, the ministry said.")
    ex = extract_text(text, "2026-03-11")
    deaths = next(e for e in ex.events if e.fatalities and e.fatalities.best == 7)
    assert deaths.place.name == "Nakonde" and "told before" in deaths.reason
    assert all(e.place is None or e.place.name != "Lusaka" for e in ex.events)


def test_a_later_sentence_without_a_day_takes_the_day_told_before_not_the_publication_date(extract_text):
    text = ("Rebels attacked an army post near Nakonde on Tuesday, officials said.\n\n"
            "The fighting lasted about four hours and nine soldiers were killed, the officials said.")
    ex = extract_text(text, "2026-03-12")  # a Thursday paper
    assert {e.date for e in ex.events} == {"2026-03-10"}
    assert all(e.place.name == "Nakonde" for e in ex.events)


def test_civilian_victims_are_the_civilians_actor(extract_text):
    ex = extract_text("Government jets bombed a market in Maarat on Monday, killing eleven people, including three children.",
                      "2026-03-10")
    ev = next(e for e in ex.events if e.sub_type == "Air/drone strike")
    assert ev.actor2.party == "civilians" and ev.actor2.span.text == "eleven people"
    shooting = extract_text("Gunmen opened fire on worshippers at a mosque in Kano, killing 12.", "2026-03-10").events[0]
    assert shooting.actor2.party == "civilians" and shooting.actor2.span.text == "worshippers"


def test_soldiers_are_not_civilians(extract_text):
    ex = extract_text("Rebels ambushed an army convoy near Goma on Monday, killing nine soldiers.", "2026-03-10")
    assert all(e.actor2 is None or e.actor2.party != "civilians" for e in ex.events)


def test_tolls_given_as_a_toll_count(extract_text):
    """'the death toll rose to 112', 'put the toll at 85', 'the killing of one person'."""
    cases = [
        ("The death toll from the roadside blast that hit a supply convoy near Kasama reached at least 112 people, "
         "activists said.", 112),
        ("The death toll in the car bomb attack on the buses has risen to 70, a monitoring group said.", 70),
        ("The state agency put the death toll at 85 after the air strikes on Tokhar.", 85),
        ("Rockets fired at the bus depot caused the killing of one person and injuries to 40 others.", 1),
    ]
    for text, toll in cases:
        ex = extract_text(text, "2026-03-10")
        assert any(e.fatalities and e.fatalities.low == toll for e in ex.events), (text, [e.fatalities for e in ex.events])


def test_a_toll_told_with_the_copula_is_a_death_count(extract_text):
    """'the death toll was at least 24', 'the number of dead is 12': the copula's complement is the toll."""
    ex = extract_text("A shell landed on the grain market in Velmora on Monday. According to the regional "
                      "monitor, the final death toll was at least 24 villagers.", "2026-03-10")
    assert _q(ex, "24").what == "killed"
    ex = extract_text("Rescuers searched the ruins of the depot in Karst. The mayor said the number of dead "
                      "was 12 and the number of injured was 30.", "2026-03-10")
    assert (_q(ex, "12").what, _q(ex, "30").what) == ("killed", "injured")
    ex = extract_text("The ferry operator said the price was 40 dollars a ticket.", "2026-03-10")
    assert all(q.what != "killed" for c in ex.claims for q in c.quantities)


def test_a_date_printed_before_the_story_is_not_the_event_day(extract_text):
    ex = extract_text("Published March 10 2026 Government warplanes killed 20 people in Douma on Sunday, a monitor said.",
                      "2026-03-10")
    assert [e.date for e in ex.events if e.sub_type == "Air/drone strike"] == ["2026-03-08"]


def test_the_attack_told_again_is_the_event_before_it(extract_text):
    ex = extract_text("A suicide car bomb hit a convoy of buses near Kasama on Saturday, killing at least 100 people. "
                      "At least 41 children were among the 117 people killed in the attack.", "2026-03-15")
    assert [e.sub_type for e in ex.events] == ["Suicide bomb"]
    assert len(ex.events[0].mentions) == 1  # the second sentence is kept as a mention of it


def test_a_country_naming_who_struck_is_not_where(extract_text):
    ex = extract_text("A U.S. missile strike on a fuel depot near Kasama on Friday killed five soldiers.", "2026-03-14")
    assert {e.place.name for e in ex.events if e.place} == {"Kasama"}


def test_a_sides_men_are_not_civilians_but_a_nations_villagers_are(extract_text):
    ex = extract_text("Drone strikes near Kunduz on Monday killed eleven Afghan villagers.", "2026-03-10")
    assert any(e.actor2 is not None and e.actor2.party == "civilians" for e in ex.events)
    ex = extract_text("Drone strikes near Kunduz on Monday killed eleven Taliban men.", "2026-03-10")
    assert all(e.actor2 is None or e.actor2.party != "civilians" for e in ex.events)


def _event_tolls(ex):
    return sorted((e.fatalities.low if e.fatalities else None) for e in ex.events)


def test_headline_counts_run_together_keep_their_own_participle(extract_text):
    """"10 villagers killed 15 injured": the parser hangs 15 on "killed"; word order says injured."""
    ex = extract_text("12 villagers killed 40 injured in rebel rocket attack on Mbala market")
    ev = ex.events[0]
    assert ev.fatalities.low == 12 and ev.injured.low == 40
    ex = extract_text("At least 9 people dead, over 30 injured after truck bomb exploded in Kasama.")
    assert ex.events[0].fatalities.low == 9


def test_hyphenated_number_words_are_one_number(extract_text):
    ex = extract_text("Forty-two people were killed on Monday when shells hit the market in Mbala.", "2026-03-10")
    assert ex.events[0].fatalities.low == 42


def test_one_person_named_by_an_indefinite_noun(extract_text):
    """ACLED counts "a woman was killed" as one fatality; a speaker is no casualty."""
    ex = extract_text("A girl was killed and a woman was wounded when a rocket hit a house in Mbala on Monday.",
                      "2026-03-10")
    ev = ex.events[0]
    assert (ev.fatalities.low, ev.injured.low) == (1, 1)
    ex = extract_text("A farmer said the shelling of Mbala on Monday damaged three houses.", "2026-03-10")
    assert all(e.fatalities is None for e in ex.events)
    # the active subject is the killer, not the dead
    ex = extract_text("A policeman killed the gunman in Mbala on Monday.", "2026-03-10")
    assert all(e.fatalities is None or "policeman" not in (e.fatalities.reason or "") for e in ex.events)
    # "also killed a commander": one of the dead the story counts elsewhere, not its toll
    ex = extract_text("A commander was also killed in the blast in Mbala on Monday, the monitor said.", "2026-03-10")
    assert all(e.fatalities is None for e in ex.events)


def test_a_bearing_names_a_reference_point_not_the_place(extract_text):
    """"Kasama, 60 km north of Mbala": the strike was at Kasama, not Mbala."""
    ex = extract_text("Air strikes on Monday hit the town of Kasama, 160 kilometres north of Mpika, "
                      "killing four people.", "2026-03-10")
    places = {e.place.name for e in ex.events if e.place is not None}
    assert "Mpika" not in places and "Kasama" in places


def test_the_nationality_of_an_attack_says_who_not_where(extract_text):
    ex = extract_text("Six people were killed in Zambian air raids on a rebel camp, a monitor said.", "2026-03-10")
    assert all(e.place is None or e.place.country != "ZM" for e in ex.events)


def test_a_later_source_s_toll_is_attached_to_the_lead_event(extract_text):
    """A second source's count further down, with no event of its own, is about the story's event;
    a count with a month of its own is another event's."""
    text = ("Shelling killed at least 14 people in the market of Mbala on Monday, a monitor said.\n\n"
            "The mayor John Banda said hospitals had documented the deaths of 19 people.\n\n"
            "Rebels said a similar attack killed 12 people in January.")
    ex = extract_text(text, "2026-03-10")
    lead = min(ex.events, key=lambda e: e.span.start)
    mayor = next(c for c in ex.claims if "19" in c.span.text)
    assert lead.id in mayor.event_ids and mayor.id in lead.claim_ids
    january = [c for c in ex.claims if "12" in c.span.text]
    assert all(lead.id not in c.event_ids for c in january)


def test_a_toll_update_s_day_is_not_the_event_s_day(extract_text):
    """"The toll rose to 112 on Sunday" dates the count, not the bombing: the day is no stated
    event day (cross-article linking keeps reports apart by stated days)."""
    text = "The death toll from a car bomb attack on a bus convoy outside Mbala rose to 112 on Sunday, the monitor said."
    ex = extract_text(text, "2026-03-09")  # a Monday
    assert ex.events and all(e.date_source != "text" for e in ex.events)


def test_a_casualty_participle_is_an_event_a_describing_one_is_not(extract_text):
    """"shells ... killing five civilians" reports deaths; "a force fighting the rebels" describes."""
    ex = extract_text("Militia leaders said rebels fired shells filled with gas at the town of Mbala on Monday "
                      "killing five civilians.", "2026-03-10")
    assert any(e.fatalities is not None and e.fatalities.low == 5 for e in ex.events)


def test_title_cased_headline_words_still_trigger(extract_text):
    """The tagger takes "Weapons" in a title-cased headline for a name and leaves it unlemmatised."""
    ex = extract_text("Rebels Use Chemical Weapons In Mbala.", "2026-03-10")
    assert [e.sub_type for e in ex.events] == ["Chemical weapon"]


def test_a_period_in_another_clause_makes_no_running_total(extract_text):
    """Headline and lead run together: "last month" belongs to the clause before the attack."""
    text = ("After militias expelled the rebels from Mbala last month the rebels attacked the town on Saturday "
            "killing 17 people. More than 200 people have been killed in the region in the past two weeks.")
    ex = extract_text(text, "2026-03-09")
    assert [e.fatalities.low for e in ex.events if e.fatalities] == [17]


def test_a_total_over_several_places_is_no_single_place_s_toll(extract_text):
    """"Ten civilians were killed in attacks on Mbala and Kasama": each place's own toll is
    unknown; "no casualties" holds for each."""
    ex = extract_text("Ten civilians were killed in rebel rocket attacks on Mbala and Kasama on Tuesday.", "2026-03-10")
    assert len({e.place.name for e in ex.events if e.place}) == 2
    assert all(e.fatalities is None for e in ex.events)
    ex = extract_text("Air strikes hit Mbala and Kasama on Tuesday with no casualties reported.", "2026-03-10")
    assert all(e.fatalities is not None and e.fatalities.low == 0 for e in ex.events)


def test_people_listed_together_add_up(extract_text):
    """"A man and his two sons as well as another boy": one, two and one, all killed."""
    ex = extract_text("A man and his two sons as well as another boy were killed when a shell hit a house in "
                      "Mbala on Monday.", "2026-03-10")
    assert _event_tolls(ex) == [4]


def test_a_count_outside_the_sources_words_still_counts(extract_text):
    """The parse may give "according to a police source" only the last clause; the boy killed
    in the first is still the event's dead."""
    ex = extract_text("A boy was killed and his mother was hurt in a rocket attack on the Chisanga neighborhood "
                      "in Mbala city on Friday according to a police source.", "2026-03-14")
    assert _event_tolls(ex) == [1]
    assert ex.events[0].place is not None and ex.events[0].place.name == "Mbala"


def test_a_total_over_two_places_is_neither_places_toll(extract_text):
    ex = extract_text("Ten civilians killed in rocket attacks on Kasama and Mbala. Six of them were killed "
                      "in Kasama town on Tuesday. Elsewhere four civilians were killed when shells struck houses in "
                      "Mbala.", "2026-03-11")
    tolls = {e.place.name: e.fatalities.low if e.fatalities else None for e in ex.events if e.place}
    assert tolls.get("Mbala") == 4, tolls
    assert 10 not in tolls.values(), tolls


def test_what_came_before_the_event_is_another_event(extract_text):
    """"12 killed near the capital hours after a gas attack left dozens dead in Khan Sheikhun":
    the killing is an event of its own, neither a chemical attack nor in Khan Sheikhun."""
    ex = extract_text("At least 12 people were killed near the capital on Monday just hours after a gas attack "
                      "left dozens dead in Khan Sheikhun.", "2026-03-10")
    toll = [e for e in ex.events if e.fatalities and e.fatalities.low == 12]
    assert toll and all(e.sub_type != "Chemical weapon" for e in toll), [(e.sub_type, e.place) for e in ex.events]
    assert all(e.place is None or e.place.name != "Khān Shaykhūn" for e in toll)


def test_a_report_of_the_killing_is_the_event_told_before(extract_text):
    """Where the activist lives is not where the killing was; the sentence tells that event again."""
    ex = extract_text("Gunmen killed six villagers in Mbala on Monday. A local activist who lives in Lusaka "
                      "also reported the killing.", "2026-03-10")
    assert [e.place.name for e in ex.events if e.place] == ["Mbala"]
    assert ex.events[0].mentions, "the second sentence is kept as a mention of the first event"


def test_left_dead_counts_the_dead_and_a_part_of_them_is_no_toll(extract_text):
    ex = extract_text("A mosque blast in Mbala left 25 fighters of the Front including one of their commanders "
                      "dead on Friday.", "2026-03-14")
    assert _event_tolls(ex) == [25]


def test_a_count_of_what_struck_is_not_a_count_of_the_dead(extract_text):
    """"38 A missile strike killed five": a page's stray number before the subject; and "two
    air strikes killed five" counts the strikes, not the dead."""
    ex = extract_text("Share 38 A missile strike on an airfield near Mbala killed five people on Friday.", "2026-03-14")
    assert 38 not in _event_tolls(ex) and 5 in _event_tolls(ex)
    ex = extract_text("Seven air strikes killed four people in Kasama on Friday.", "2026-03-14")
    assert _event_tolls(ex) == [4]


def test_two_sides_shelling_one_town_are_two_events(extract_text):
    """ACLED's unit includes the actors: the army's missiles and the rebels' rockets on one
    city and day are two events, and "rebels fired dozens of rounds" names the rebels."""
    ex = extract_text("Government forces fired missiles at Mbala on Monday. Later rebels fired dozens of mortar "
                      "rounds at Mbala, killing seven people.", "2026-03-10")
    sides = sorted((e.actor1.kind if e.actor1 else None, e.fatalities.low if e.fatalities else None)
                   for e in ex.events if e.place and e.place.name == "Mbala")
    assert ("armed group", 7) in sides and any(kind in ("state force", "government body") for kind, _ in sides), sides


def test_a_part_named_inside_a_count_leaves_the_total_its_casualty(extract_text):
    """"12 civilians among them four women were killed": the 12 were killed, the four are
    part of them, whatever the parser makes of a run-together line."""
    ex = extract_text("Tags Mbala Front civilians barrel bombs Mbala Monitor At least 12 civilians among them four "
                      "women were killed Thursday in barrel bomb attacks on the town.", "2026-03-13")
    assert 12 in _event_tolls(ex) and 4 not in _event_tolls(ex)


def test_a_run_together_headline_over_two_places_gives_each_its_own(extract_text):
    """A headline's total over two towns, run into the next sentence: the second town hangs
    on the parser's odd noun phrase, and neither town takes the total."""
    ex = extract_text("10 civilians killed 15 injured in rocket attacks on Kasama and Mbala 6 September 2026 "
                      "Lakeside Wire reporter in Kasama said that 6 civilians were killed by rocket shells in Kasama "
                      "town. Meanwhile four civilians were killed when shells struck houses in Mbala.", "2026-09-06")
    tolls = {e.place.name: e.fatalities.low if e.fatalities else None for e in ex.events if e.place}
    assert tolls.get("Kasama") == 6 and 10 not in tolls.values(), tolls


def test_a_compound_number_word_after_a_bracket_and_scores_of_others_injured(extract_text):
    """A caption's ")" before "Thirty-five" makes the parser tag "Thirty" as a name; "scores of
    others injured" are the wounded, not more dead."""
    ex = extract_text("A photo of the market (Kariba Photo) Thirty-five people were killed on Sunday-and scores of "
                      "others injured-when a warplane crashed into the market in Mbala.", "2026-03-10")
    assert _event_tolls(ex) == [35]


def test_a_count_set_off_after_most_of_the_victims_says_it_is_a_part():
    """"Most of the victims - 14 - died in the market": the count's words keep "of the victims",
    so linking knows it counts part of the dead (``link.tolls._part_of``)."""
    from counterclaim.link.tolls import _part_of
    from counterclaim.nlp import quantities
    from counterclaim.nlp.pipeline import get_nlp
    from counterclaim.records import Fatalities

    doc = get_nlp()("Most of the victims - 14 - died in the market district of Mbala.")
    q = next(q for q in quantities.find(doc[:]) if q.low == 14)
    assert "of the victims" in q.span.text
    assert _part_of(Fatalities(14, 14, 14), q.span.text)


def test_a_title_cased_number_word_in_a_headline_counts(extract_text):
    ex = extract_text("Thirty Killed in Strikes on Mbala Suburb. Thirty civilians were killed on Saturday in air "
                      "strikes on the town.", "2026-03-14")
    assert 30 in _event_tolls(ex)


def test_the_day_of_a_new_toll_is_not_the_day_of_the_attack(extract_text):
    """"killed 43 people, a monitor said Sunday in a new toll": Sunday dates the count."""
    ex = extract_text("Shelling of Mbala has killed 43 people, a rights monitor said Sunday in a new toll.",
                      "2026-03-15")
    assert [e.date_source for e in ex.events if e.fatalities and e.fatalities.low == 43] != ["text"]


def test_one_person_killed_as_the_object_counts(extract_text):
    """"killing a man and nine children": ten dead; the killer in "a policeman killed the gunman"
    is still no casualty."""
    ex = extract_text("An air strike hit a village near Mbala on Tuesday killing a man and nine children.", "2026-04-18")
    assert _event_tolls(ex) == [10]


def test_between_x_and_y_is_a_range_and_a_bare_and_joins_two_counts(extract_text):
    ex = extract_text("The governor said between 20 and 30 soldiers were killed.\n\n"
                      "Medics said 12 people were killed and 30 wounded.")
    ranged = _q(ex, "20 and 30")
    assert (ranged.low, ranged.high, ranged.what) == (20, 30, "killed")
    assert (_q(ex, "12").low, _q(ex, "12").high) == (12, 12)
    wounded = next(q for c in ex.claims for q in c.quantities if q.span.text == "30")
    assert (wounded.low, wounded.high, wounded.what) == (30, 30, "injured")


def test_a_count_at_the_end_of_a_list_takes_what_the_list_undergoes(extract_text):
    ex = extract_text("Rebels claimed to have overrun three army outposts and two bases near the river.")
    assert _q(ex, "three").what == "outposts seized"
    assert _q(ex, "two bases").what == "bases seized"


def test_a_toll_in_a_participle_after_the_claim_is_part_of_the_claim(extract_text):
    ex = extract_text("The militia claimed to have shelled the barracks, killing 14 soldiers.")
    q = _q(ex, "14")
    assert (q.low, q.what) == (14, "killed")


def test_bodies_found_count_the_dead_but_bodies_that_speak_do_not(extract_text):
    ex = extract_text("Police said they recovered six bodies from the river.\n\n"
                      "Officials said three UN bodies had condemned the raid.")
    assert _q(ex, "six bodies").what == "killed"
    assert _q(ex, "three UN bodies").what != "killed"


def test_martyred_fighters_are_killed(extract_text):
    ex = extract_text("The spokesman told reporters: \u201cTwelve of our fighters were martyred and 40 were wounded.\u201d")
    assert (_q(ex, "Twelve").low, _q(ex, "Twelve").what) == (12, "killed")


def test_a_relative_clause_telling_a_targets_past_attack_keeps_its_place(extract_text):
    ex = extract_text("US cruise missiles damaged an airbase that was used for a chemical attack on a village "
                      "in Idlib on Friday.")
    strikes = [e for e in ex.events if e.sub_type != "Chemical weapon"]
    assert strikes and all(e.place is None or e.place.name != "Idlib" for e in strikes)


def test_a_toll_put_at_a_figure_is_a_claim_of_its_giver(extract_text):
    ex = extract_text("Health officials put the death toll at 27.\n\n"
                      "The ministry raised the number of dead to 40 on Sunday.")
    put = next(c for c in ex.claims if c.cue.text == "put")
    assert put.speaker.name == "Health officials" and (put.quantities[0].low, put.quantities[0].what) == (27, "killed")
    raised = next(c for c in ex.claims if c.cue.text == "raised")
    assert (raised.quantities[0].low, raised.quantities[0].what) == (40, "killed")


def test_people_displaced_and_families_fled_count_the_displaced(extract_text):
    ex = extract_text("The UN said more than 1,200 people had been displaced and 3,000 families had fled.")
    assert _q(ex, "1,200").what == "displaced"
    assert _q(ex, "3,000").what == "displaced"


def test_a_city_shelled_is_the_place_and_a_weekday_in_the_lead_is_the_day(extract_text):
    ex = extract_text("Rebels shelled Aleppo on Monday, killing 40 people.", published="2026-03-06")
    (event,) = [e for e in ex.events if e.sub_type.startswith("Shelling")]
    assert event.place is not None and event.place.name == "Aleppo"
    assert event.date == "2026-03-02"


def test_a_part_after_including_counts_what_the_whole_does_and_above_is_a_bound(extract_text):
    ex = extract_text("Officials said nearly 70 people died, including 15 children.\n\n"
                      "Rescuers said the toll could rise above 100.")
    assert _q(ex, "15 children").what == "killed"
    above = _q(ex, "100")
    assert (above.low, above.high) == (100, None)
