"""Speakers and parties across one article: canonical names, descriptions that stand
for a named body, a person's side from another mention, words that tie a phrase to a
side.  Sentences written for the tests."""

from __future__ import annotations

from test_attribution import _find


def test_descriptions_and_partial_names_stand_for_the_named_body(extract_text):
    text = ("Nine people were killed in the shelling of the market, a monitoring group said.\n\n"
            "The Syrian Network for Human Rights said the shells came from the east.\n\n"
            "The Network said the toll could rise. The London-based monitor added that two of the dead were children.")
    ex = extract_text(text)
    for needle in ("Nine people were killed", "shells came from the east", "toll could rise", "two of the dead"):
        speaker = _find(ex, needle).speaker
        assert speaker.name == "Syrian Network for Human Rights", (needle, speaker)
        assert speaker.party == "independent"


def test_a_person_takes_the_side_another_mention_gives(extract_text):
    text = ("Kenyan Foreign Minister Joseph Wambua said the border would stay open.\n\n"
            "Wambua also said that talks would continue next week.")
    ex = extract_text(text)
    later = _find(ex, "talks would continue").speaker
    assert later.party == "KEN" and later.name == "Joseph Wambua"


def test_a_title_before_an_untagged_name_makes_it_a_person(extract_text):
    text = ("Kurdish activist Dilovan said families had fled the village overnight.\n\n"
            "Dilovan told reporters that the road was cut.")
    ex = extract_text(text)
    assert _find(ex, "families had fled").speaker.party == "independent"
    later = _find(ex, "road was cut").speaker
    assert later.party == "independent" and "Dilovan" in later.name


def test_words_that_tie_a_phrase_to_a_side(extract_text):
    text = ("An opposition official said the talks had failed.\n\n"
            "Colombian rebels said they had freed two hostages.\n\n"
            "A hospital source said eleven wounded had arrived.\n\n"
            "A local civil defence official said rescuers were still digging in Sanaa.")
    ex = extract_text(text)
    assert _find(ex, "talks had failed").speaker.party == "OPP"
    assert _find(ex, "freed two hostages").speaker.party == "REB"  # not the state of the adjective
    assert _find(ex, "eleven wounded").speaker.party == "independent"
    assert _find(ex, "still digging").speaker.party == "independent"


def test_civilian_speakers_are_independent_but_a_bare_man_is_not(extract_text):
    ex = extract_text("Residents said the water had been cut for days. A man said he had seen nothing.")
    assert _find(ex, "water had been cut").speaker.party == "independent"
    assert _find(ex, "seen nothing").speaker.party == "unknown"


def test_a_capital_speaking_is_its_state(extract_text):
    ex = extract_text("Washington said the sanctions would remain in place.")
    assert _find(ex, "sanctions would remain").speaker.party == "USA"


def test_he_with_no_person_before_is_the_last_speaker(extract_text):
    text = ("Twelve fighters died in the clashes, the Syrian Network for Human Rights said. "
            "He said the fighting had moved north.")
    ex = extract_text(text)
    assert _find(ex, "fighting had moved north").speaker.name == "Syrian Network for Human Rights"


def test_function_words_in_capitals_are_no_dictionary_names(extract_text):
    ex = extract_text("THE COMMANDER, WHO LEADS THE UNIT, SAID THAT THE TOWN HAD FALLEN.")
    c = _find(ex, "TOWN HAD FALLEN")
    assert c.speaker.party != "independent"  # "WHO" is no health organisation here


def test_reporting_clause_closing_a_sentence_without_its_comma(extract_text):
    # Scraped text often loses the comma before a closing "<speaker> said".
    ex = extract_text("Eleven soldiers were killed when the convoy was ambushed near the bridge among them "
                      "three officers a monitoring group said on Sunday.")
    c = _find(ex, "Eleven soldiers were killed")
    assert c.speaker is not None and "monitoring group" in c.speaker.name
    ex = extract_text("The minister repeated the things he said on Sunday about the budget.")
    assert not any("The minister repeated" in c.span.text for c in ex.claims)


def test_joint_speakers_are_the_first_named(extract_text):
    text = ("Nine people died in the fire the Syrian Network for Human Rights and medics said.\n\n"
            "The Network and local officials said the school was empty.")
    ex = extract_text(text)
    assert _find(ex, "Nine people died").speaker.name == "Syrian Network for Human Rights"
    assert _find(ex, "school was empty").speaker.name == "Syrian Network for Human Rights"


def test_sides_from_parts_bodies_and_capitals_of_a_phrase(extract_text):
    text = ("One of the villagers told reporters that the shop had reopened.\n\n"
            "A source in the Syrian Democratic Forces said the road was open.\n\n"
            "Student leaders said the march would go ahead in Kenya.\n\n"
            "THE GUERRILLAS SAID THAT THE BRIDGE WAS DESTROYED.")
    ex = extract_text(text)
    assert _find(ex, "shop had reopened").speaker.party == "independent"
    assert _find(ex, "road was open").speaker.party == "SDF"
    assert _find(ex, "march would go ahead").speaker.party != "KEN"  # students are no state officials
    assert _find(ex, "BRIDGE WAS DESTROYED").speaker.party == "REB"


def test_another_mention_outranks_a_guess_from_the_articles_country(extract_text):
    text = ("Fighting went on in Kenya's north on Monday. Kenyan troops shelled two villages.\n\n"
            "Rebel commander Odhiambo said his men held the ridge.\n\n"
            "Commander Odhiambo said later that the villages were empty.")
    ex = extract_text(text)
    assert _find(ex, "villages were empty").speaker.party == "REB"


def test_a_name_right_before_the_cue_speaks_not_the_noun_it_follows(extract_text):
    ex = extract_text("Four children died in the northern district the poorest area near the capital "
                      "the Syrian Network for Human Rights said.")
    assert _find(ex, "Four children died").speaker.name == "Syrian Network for Human Rights"


def test_names_inside_long_subjects_and_roles_standing_for_their_holder(extract_text):
    text = ("Kenyan President Daniel arap-Moi says the drought is over.\n\n"
            "The head of the Nairobi-based Syrian Network for Human Rights Fadel Hamdan told reporters that two "
            "clinics were hit.\n\n"
            "Describing the raid in detail the Syrian Network for Human Rights said three people died.\n\n"
            "Police superintendent Peter Otieno said the road was closed. "
            "The superintendent said later that it had reopened.")
    ex = extract_text(text)
    assert _find(ex, "drought is over").speaker.party == "KEN"
    assert "Hamdan" in _find(ex, "clinics were hit").speaker.name
    assert _find(ex, "three people died").speaker.name == "Syrian Network for Human Rights"
    assert "Otieno" in _find(ex, "it had reopened").speaker.name


def test_scraped_text_without_apostrophes_and_based_modifiers(extract_text):
    text = ("Fighting continued in Syria's north on Monday near Idlib and Hama.\n\n"
            "Russias defence ministry said its jets had hit a depot.\n\n"
            "The Syrian Network for Human Rights said two civilians died. "
            "The British based Network said later that the toll had risen.")
    ex = extract_text(text)
    assert _find(ex, "hit a depot").speaker.party == "RUS"
    assert _find(ex, "toll had risen").speaker.name == "Syrian Network for Human Rights"


def test_a_short_name_with_its_expansion_in_brackets_is_a_group(extract_text):
    text = ("   THE NLF [NORTHERN LIBERATION FRONT] ATTACKED THE GARRISON.\n\n"
            "   THE NLF SAID THAT ITS FIGHTERS HELD THE BRIDGE.")
    ex = extract_text(text)
    assert _find(ex, "HELD THE BRIDGE").speaker.party == "NLF"


def test_a_body_named_by_the_tagger_is_not_cut_short(extract_text):
    ex = extract_text("The Committee to Protect Journalists said two reporters had been detained.")
    assert _find(ex, "two reporters").speaker.name == "Committee to Protect Journalists"


def test_a_hyphenated_name_keeps_the_title_before_it(extract_text):
    # The parser may hang "Walid", "al", "-" and "Moallim" on the last word one by one: the
    # title and nationality before the hyphenated name still belong to the phrase.
    text = ("Troops advanced on the hills outside Karbeh overnight.\n\n"
            "Syrian President Walid al-Moallim says the momentum now lies with the army, which has retaken "
            "most of the valley from the gunmen.")
    ex = extract_text(text)
    speaker = _find(ex, "momentum now lies").speaker
    assert speaker.party == "SYR" and "President" in (speaker.role or "")



def test_a_lower_cased_surname_after_a_proper_noun_ends_the_name():
    # Case-damaged archives: the tagger may read the last word of a name as a common noun.
    from counterclaim.nlp.pipeline import get_nlp
    from counterclaim.nlp.speakers import _bare_word, _lowered_name

    doc = get_nlp()("Inspector Dipen mills said the road was closed.")
    mills = next(t for t in doc if t.text == "mills")
    phrase = [t for t in doc if t.i <= mills.i]
    assert mills.pos_ != "NOUN" or _lowered_name(phrase, mills)
    commander = next(t for t in get_nlp()("the commander said the road was closed.") if t.text == "commander")
    assert not _bare_word([commander], commander)  # a role, not a surname


def test_a_state_role_tagged_as_a_name_is_still_the_state(extract_text):
    # "the Army" is often tagged an organisation; it names no other body than the state's army.
    text = ("Rebels stormed the garrison in Esteli, Nicaragua on Sunday. "
            "In the first two days the offensive has caused 90 casualties according to the Army.")
    assert _find(extract_text(text), "90 casualties").speaker.party == "NIC"


def test_a_source_in_a_town_the_gazetteer_knows_is_a_local_source(extract_text):
    ex = extract_text("According to a radio source in Aleppo the blast was caused by a car packed with explosives.")
    assert _find(ex, "car packed with explosives").speaker.party == "independent"
