"""Classes of phrasing found by scripts/claims_diff.py on real news: who speaks, for which
side, with which act, and how the claims of one article relate.  Sentences written for
the tests (none copied from an evaluation set)."""

from __future__ import annotations

from test_attribution import _find

# -- who speaks ------------------------------------------------------------------


def test_an_outlet_relaying_a_source_who_speaks_leaves_the_claim_to_the_source(extract_text):
    text = ('The news agency reported a police source who said "The gunmen fled towards the hills after '
            'the ambush on the convoy."')
    ex = extract_text(text)
    claim = _find(ex, "gunmen fled towards the hills")
    assert claim.speaker is not None and "source" in claim.speaker.name.lower()
    assert not any(c.speaker is not None and "agency" in c.speaker.name.lower() for c in ex.claims), \
        [(c.speaker.name if c.speaker else None, c.span.text) for c in ex.claims]


def test_a_name_given_with_an_age_speaks_for_nobodys_side(extract_text):
    # Commas stripped, as some wires print them: "Karim, 31, said".
    text = ("Families slept in the open near the crossing. There is no bread left in the camp Karim 31 said. "
            "We waited two days at the gate he said.")
    ex = extract_text(text)
    claim = _find(ex, "no bread left in the camp")
    assert claim.speaker is not None and claim.speaker.name == "Karim"
    assert claim.speaker.party == "independent", claim.speaker.reason
    assert "Karim" not in claim.span.text
    later = _find(ex, "We waited two days")
    assert later.speaker is not None and later.speaker.name == "Karim"


def test_a_name_with_an_age_and_commas_is_a_private_person(extract_text):
    ex = extract_text("Nadia Saleh, 42, said the water had been cut for a week.")
    speaker = _find(ex, "water had been cut").speaker
    assert speaker is not None and speaker.name == "Nadia Saleh" and speaker.party == "independent"


def test_a_described_speaker_right_before_the_cue_speaks_when_commas_are_stripped(extract_text):
    text = ("Two bridges were taken by the Northern Brigades a coalition of militias backed by the government "
            "that includes a large tribal unit a watchdog that tracks the fighting said on Tuesday.")
    text += " The Syrian Network for Human Rights said four fighters died in the assault."
    ex = extract_text(text)
    claim = _find(ex, "Two bridges were taken")
    assert claim.speaker is not None and claim.speaker.name == "Syrian Network for Human Rights", claim.speaker
    assert claim.speaker.party == "independent"


def test_a_transcript_turn_opening_with_no_is_a_denial_without_its_label(extract_text):
    text = ("LAGOS, 3 MAR 90 (STATE RADIO) -- HERE IS AN INTERVIEW WITH GENERAL OKAFOR.\n\n"
            "   [BEGIN RECORDING] [OKAFOR] NO, OUR TROOPS NEVER SHELLED THE VILLAGE ON THE RIVER.  "
            "THE HOUSES WERE BURNED BY THE BANDITS THEMSELVES.  [END RECORDING]\n")
    ex = extract_text(text, published="1990-03-03")
    claim = _find(ex, "NEVER SHELLED THE VILLAGE")
    assert not claim.span.text.startswith("[")
    assert claim.act == "deny", claim.act_reason


def test_a_speaker_noun_inside_the_described_speakers_clause_does_not_speak(extract_text):
    text = ("Two bridges were taken by the Northern Brigades a coalition of militias backed by the government "
            "that includes a large tribal unit a watchdog that tracks the army said on Tuesday. "
            "The Syrian Network for Human Rights said four fighters died in the assault.")
    speaker = _find(extract_text(text), "Two bridges were taken").speaker
    assert speaker is not None and speaker.name == "Syrian Network for Human Rights", speaker


# -- what is claimed, and how claims relate ------------------------------------------


def test_according_to_closing_a_time_clause_attributes_the_whole_sentence(extract_text):
    ex = extract_text("Twelve people died on Sunday when a bus overturned near the old bridge, according to a police officer.")
    claim = _find(ex, "bus overturned")
    assert "Twelve people died" in claim.span.text


def test_a_second_source_giving_all_the_dead_one_identity_contradicts_the_count(extract_text):
    text = ("Gunmen attacked a checkpoint outside the town killing four civilians and three policemen, "
            "the Syrian Network for Human Rights said. State television said all those killed were civilians.")
    ex = extract_text(text)
    count, recast = _find(ex, "four civilians"), _find(ex, "all those killed were civilians")
    assert any(l.source == recast.id and l.type == "contradicts" and l.target == count.id for l in ex.links), ex.links


def test_all_the_dead_named_after_a_bare_count_is_no_contradiction(extract_text):
    text = ("Nine people were killed in the shelling of the market, a hospital director said. "
            "Local radio said all the dead were civilians.")
    ex = extract_text(text)
    recast = _find(ex, "all the dead were civilians")
    assert not any(l.source == recast.id and l.type == "contradicts" for l in ex.links), ex.links


# -- acts ------------------------------------------------------------------------------


def test_a_side_telling_of_its_own_fighters_attack_announces_it(extract_text):
    ex = extract_text("The Northern Liberation Front said in a statement that two of its fighters fired on an army "
                      "convoy near the dam.")
    claim = _find(ex, "fired on an army convoy")
    assert claim.act == "announce", claim.act_reason


def test_state_media_telling_of_the_armys_fire_report_it(extract_text):
    ex = extract_text("State television said the army fired on militants hiding in the orchards near the dam.")
    claim = _find(ex, "fired on militants")
    assert claim.act == "assert", claim.act_reason


def test_a_goal_of_the_speakers_side_announces_it(extract_text):
    ex = extract_text('The rebel commander said that the aim of this rebel campaign was "to open the road to the coast."')
    claim = _find(ex, "aim of this rebel campaign")
    assert claim.act == "announce", claim.act_reason


def test_those_responsible_blames_no_named_party(extract_text):
    ex = extract_text("The governor said the police would find those responsible for the blackout.")
    assert _find(ex, "those responsible").act == "assert"
    ex = extract_text("The governor said the rebels were responsible for the blackout.")
    assert _find(ex, "rebels were responsible").act == "accuse"


# -- quotes ------------------------------------------------------------------------------


def test_curly_quotes_garbled_by_a_wrong_decoding_are_quotes():
    from counterclaim.nlp.quotes import quote_spans

    text = "the mayor said, \u00e2\u20ac\u0153we will rebuild the bridge.\u00e2\u20ac\ufffd later he left."
    spans = quote_spans(text)
    assert len(spans) == 1
    start, end = spans[0]
    assert text[start:end].startswith("\u00e2\u20ac\u0153we will") and text[start:end].endswith("\ufffd")


def test_a_curly_quote_closed_with_a_straight_mark_ends_there():
    from counterclaim.nlp.quotes import quote_spans

    text = 'The mayor said, \u201cwe will rebuild the bridge." The council said \u201cno money is left\u201d.'
    spans = quote_spans(text)
    assert [text[s:e] for s, e in spans] == ['\u201cwe will rebuild the bridge."', "\u201cno money is left\u201d"]


def test_a_straight_quote_nested_in_a_curly_one_does_not_end_it():
    from counterclaim.nlp.quotes import quote_spans

    text = 'He said, \u201cthey called it "a rescue." It was a raid.\u201d Then he left.'
    spans = quote_spans(text)
    assert [text[s:e] for s, e in spans] == ['\u201cthey called it "a rescue." It was a raid.\u201d']


def test_all_the_dead_from_one_place_is_no_other_kind_of_dead(extract_text):
    text = ("Gunmen attacked a checkpoint outside the town killing four civilians and three policemen, "
            "the Syrian Network for Human Rights said. A local doctor said all the dead were from two villages.")
    ex = extract_text(text)
    recast = _find(ex, "all the dead were from")
    assert not any(l.source == recast.id and l.type == "contradicts" for l in ex.links), ex.links


def test_a_professor_speaks_for_nobodys_side(extract_text):
    ex = extract_text("prof anil mehta of the regional institute of economics said the curfew had emptied the markets.")
    speaker = _find(ex, "curfew had emptied").speaker
    assert speaker is not None and speaker.party == "independent", speaker


def test_a_conjoined_naming_verb_is_a_statement_of_its_own(extract_text):
    ex = extract_text('The provincial governor said all the wounded were farmers and described the gunmen as "terrorists".')
    first = _find(ex, "all the wounded were farmers")
    assert "terrorists" not in first.span.text and first.act == "assert", (first.span.text, first.act_reason)
    assert _find(ex, "gunmen as").act == "accuse"


def test_a_broadcaster_with_a_number_is_no_person_with_an_age(extract_text):
    ex = extract_text("Channel 9 said the bridge had reopened to traffic on Sunday.")
    speaker = _find(ex, "bridge had reopened").speaker
    assert speaker is None or speaker.reason is None or "age" not in speaker.reason, speaker
