"""Where and when an event happened, on sentences written for these tests: the finest
place the story names for it (a lead's "a town in eastern X" named in the next
sentences, a town inside the province the lead gave, a relative clause's antecedent,
"there", a town naming an event), no place from a nationality inside an
organisation's name, and a date that belongs to another event's noun."""

from __future__ import annotations


def events_of(ex, sub_type=None):
    return [e for e in ex.events if sub_type is None or e.sub_type == sub_type]


def test_a_described_town_takes_the_name_the_next_sentence_gives(extract_text):
    text = ("A car bomb exploded near a crowded market in a town in eastern Afghanistan on Tuesday, "
            "killing nine people, officials said. The town of Gardez has been hit by several such "
            "attacks this year.")
    bombs = events_of(extract_text(text, "2026-03-10"), "Remote explosive/landmine/IED")
    assert bombs and bombs[0].place is not None and bombs[0].place.name == "Gardez", bombs
    assert "named after it" in bombs[0].reason


def test_a_described_site_is_not_named_by_another_events_place(extract_text):
    # the next sentence names a town, but as the place of another attack, not "the base"
    text = ("Jets struck an air base in eastern Afghanistan on Tuesday, officials said. The strikes "
            "followed a rocket attack on Jalalabad last week that killed four people.")
    strikes = events_of(extract_text(text, "2026-03-10"), "Air/drone strike")
    assert strikes and strikes[0].place is not None and strikes[0].place.kind == "country", strikes


def test_a_town_already_named_beside_the_site_is_no_description(extract_text):
    text = ("Mortar shells hit a school in Kunduz, a town in northern Afghanistan, on Monday. "
            "The town of Taloqan was quiet, residents said.")
    shells = [e for e in extract_text(text, "2026-03-10").events if "Taloqan" in ((e.place and e.place.name) or "")]
    assert not shells


def test_a_sentence_telling_the_event_again_gives_its_town(extract_text):
    text = ("A suicide bomber killed 12 people in Paktia province on Monday, officials said. The suicide "
            "bomber blew himself up inside a mosque in Gardez, a police spokesman said.")
    bombs = events_of(extract_text(text, "2026-03-10"), "Suicide bomb")
    assert len(bombs) == 1, bombs
    assert bombs[0].place is not None and bombs[0].place.name == "Gardez"
    assert "tells it again" in bombs[0].reason


def test_a_nationality_in_the_doers_name_is_no_place(extract_text):
    text = "Several villages have been captured by the Afghan National Army, a local official said on Monday."
    ex = extract_text(text, "2026-03-10")
    assert ex.events
    assert all(e.place is None or e.place.kind != "country" for e in ex.events), [e.place for e in ex.events]


def test_a_relative_clause_takes_its_antecedents_town(extract_text):
    text = "The town of Gardez once a government stronghold was captured by insurgents in May."
    ex = extract_text(text, "2026-03-10")
    assert ex.events and all(e.place is not None and e.place.name == "Gardez" for e in ex.events), ex.events


def test_there_is_the_town_the_sentence_named(extract_text):
    text = "Police imposed a curfew in Gardez town after a shop was set on fire there on Sunday night."
    mobs = events_of(extract_text(text, "2026-03-10"), "Mob violence")
    assert mobs and mobs[0].place is not None and mobs[0].place.name == "Gardez", mobs


def test_a_town_naming_an_event_is_where_it_happened(extract_text):
    text = "Lawyers for the men accused of the Kandahar mosque massacre asked for a retrial on Friday."
    ex = extract_text(text, "2026-03-20")
    told = [e for e in ex.events if e.trigger is not None and e.trigger.text == "massacre"]
    assert told and told[0].place is not None and told[0].place.name.startswith("Kandah"), ex.events


def test_a_date_on_another_events_noun_does_not_date_the_verb(extract_text):
    text = "Police have arrested 30 people in connection with the March 2 riot in Gardez."
    arrests = events_of(extract_text(text, "2026-03-20"), "Arrests")
    assert arrests and arrests[0].date == "2026-03-20", arrests
    assert arrests[0].date_source == "published"


def test_a_date_on_the_killings_own_attack_still_dates_it(extract_text):
    text = "Police said on Friday that four people were killed in the March 2 bombing in Gardez."
    ex = extract_text(text, "2026-03-20")
    assert ex.events and all(e.date == "2026-03-02" for e in ex.events), ex.events


def test_a_town_inside_the_province_is_the_finer_place_of_a_sentence_telling_it_again(extract_text):
    text = ("A car bomb killed seven people in Nangarhar province on Sunday, officials said. The car bomb "
            "exploded near a market in Jalalabad, police said.")
    bombs = [e for e in extract_text(text, "2026-03-10").events if e.date == "2026-03-08"]
    assert bombs and bombs[0].place is not None and bombs[0].place.kind == "city", bombs


def test_a_described_town_inside_a_named_province_takes_its_name(extract_text):
    text = ("An air strike hit a town in Nangarhar province on Tuesday, killing six people. Residents said "
            "the town of Jalalabad had been quiet for weeks before the strike.")
    strikes = events_of(extract_text(text, "2026-03-11"), "Air/drone strike")
    assert strikes and strikes[0].place is not None and strikes[0].place.kind == "city", strikes
    assert "named after it" in strikes[0].reason


def test_a_described_town_is_not_named_by_a_town_of_another_province(extract_text):
    text = ("An air strike hit a town in Nangarhar province on Tuesday, killing six people. Residents said "
            "the town of Kunduz had been quiet for weeks.")
    strikes = events_of(extract_text(text, "2026-03-11"), "Air/drone strike")
    assert strikes and all("named after it" not in (e.reason or "") for e in strikes), strikes


def test_a_town_named_with_its_district_is_the_towns_event(extract_text):
    # the gazetteer knows the district's name as its main town: the text's "district" says otherwise
    text = "On Sunday a mob torched four shops in the Jambusar town of Bharuch district, police said."
    events = [e for e in extract_text(text, "2026-03-10").events if e.sub_type == "Mob violence"]
    assert [e.place.name for e in events if e.place] == ["Jambusar"], [(e.sub_type, e.place) for e in events]


def test_a_lead_event_naming_no_place_is_where_the_headline_says(extract_text):
    text = ("Allied militias press the jihadists near Manbij. Four villages held by the jihadists were "
            "captured by the allied militias on Monday, a war monitor said.")
    taken = [e for e in extract_text(text, "2026-03-10").events if "territory" in e.sub_type]
    assert taken and taken[0].place is not None and taken[0].place.name == "Manbij", \
        [(e.sub_type, e.place) for e in taken]


def test_a_town_of_the_headlines_background_is_not_the_leads_place(extract_text):
    text = ("Gunmen storm a checkpoint hours after a car bomb in the town of Manbij. Six guards were killed "
            "when gunmen stormed a checkpoint on Monday, a war monitor said.")
    events = extract_text(text, "2026-03-10").events
    stormed = [e for e in events if e.sub_type != "Remote explosive/landmine/IED"]
    assert stormed and all(e.place is None or e.place.name != "Manbij" for e in stormed), \
        [(e.sub_type, e.place) for e in events]


def test_the_province_an_area_phrase_names_is_finer_than_the_country(extract_text):
    # the small model reads "X province killing four" as a clause whose subject is the
    # province; the name still belongs to "an area of", and so to the attack
    text = ("Elsewhere in Yemen tribesmen attacked an army outpost in a mountainous area of Marib "
            "province killing four soldiers and two guards the officials said.")
    clashes = [e for e in extract_text(text, "2026-03-10").events if e.place is not None]
    assert clashes and all(e.place.kind == "province" for e in clashes), [(e.sub_type, e.place) for e in clashes]


def test_a_mention_merged_into_a_provinces_event_gives_it_the_town_inside(extract_text):
    # the lead says the province; a quote tells the same bombing again with its town, and
    # the two mentions become one event: the town in the province is its place
    text = ("Suicide attack kills 14 at Afghan funeral\n\nAt least 14 people were killed on Sunday in a "
            "suicide attack on a funeral in the eastern Afghan province of Kunar, officials said. \"The attacker "
            "detonated his explosive vest under a tent in Asadabad town on Sunday, killing 14 mourners,\" a police "
            "spokesman told reporters.")
    bombs = events_of(extract_text(text, "2026-03-10"), "Suicide bomb")
    assert len(bombs) == 1 and bombs[0].place is not None and bombs[0].place.span.text == "Asadabad", bombs


def test_a_bare_province_name_told_again_is_no_finer_town(extract_text):
    # "in Uruzgan" after "in Uruzgan province" may mean the province: its namesake town
    # is no finer place of the event
    text = ("Suicide attack kills 11 in Afghan province\n\nAt least 11 people were killed on Sunday in a "
            "suicide attack on a police post in Uruzgan province, officials said. \"The attacker detonated "
            "his explosive vest at the gate of the post in Uruzgan on Sunday, killing 11 policemen,\" a "
            "police spokesman told reporters.")
    bombs = events_of(extract_text(text, "2026-03-10"), "Suicide bomb")
    assert len(bombs) == 1 and bombs[0].place is not None and bombs[0].place.kind == "province", bombs
