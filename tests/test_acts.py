"""Speech acts from content: denials of reports, labels for a fought enemy, blame
inside reported words, commitments.  Sentences written for the tests."""

from __future__ import annotations

from test_attribution import _find


def test_calling_reports_false_is_a_denial(extract_text):
    text = ("The ministry described the reports as entirely false.\n\n"
            "A spokesman said the allegations of looting were a lie.")
    ex = extract_text(text)
    assert _find(ex, "reports as entirely false").act == "deny"
    assert _find(ex, "allegations of looting").act == "deny"


def test_the_enemys_label_in_a_report_is_no_accusation(extract_text):
    text = ("State television said army units struck terrorist hideouts near the dam.\n\n"
            "The army said nine terrorists were killed in the operation.\n\n"
            "The minister said the neighbouring state harboured terrorists for years.")
    ex = extract_text(text)
    assert _find(ex, "terrorist hideouts").act == "assert"
    assert _find(ex, "nine terrorists were killed").act == "assert"
    assert _find(ex, "harboured terrorists").act == "accuse"


def test_blame_inside_reported_words_accuses(extract_text):
    ex = extract_text("A local activist said the rebels blamed the army for the shortages.")
    assert _find(ex, "blamed the army").act == "accuse"


def test_a_commitment_without_harm_announces(extract_text):
    ex = extract_text("The government vowed to rebuild the bridge before the rains.")
    assert _find(ex, "rebuild the bridge").act == "announce"


def test_the_speakers_own_course_is_announced(extract_text):
    text = ("The head of the Northern Relief Council said the council will prioritise the return of families.\n\n"
            "Student leaders said: we plan to hold a vigil on Friday.\n\n"
            "The mayor said the rebels plan to attack the bridge.")
    ex = extract_text(text)
    assert _find(ex, "will prioritise the return").act == "announce"
    assert _find(ex, "plan to hold a vigil").act == "announce"
    assert _find(ex, "rebels plan to attack").act != "announce"  # another side's plan


def test_markers_in_capitals_as_verbs_and_with_a_future(extract_text):
    text = ("   [BEGIN RECORDING] [ORTIZ] THE CARTEL CHIEF MASTERMINDED THE BOMBING OF THE MARKET. [END RECORDING]\n\n"
            "The governor said the police would prosecute the accused under the ordinary laws.\n\n"
            "The officer said the commander's insistence on revenge led to mistakes.")
    ex = extract_text(text)
    assert _find(ex, "MASTERMINDED THE BOMBING").act == "accuse"
    assert _find(ex, "prosecute the accused").act != "accuse"  # "the accused" on trial blames no one
    assert _find(ex, "insistence on revenge").act == "assert"  # revenge told, not promised


def test_the_enemy_label_on_a_report_is_no_accusation(extract_text):
    battles = extract_text("Army sources said the battles go on near the dam between the troops and the gunmen, the terrorists.")
    assert _find(battles, "battles go on").act == "assert"
    # (the accusation a label makes as the object of a wrong, "harboured terrorists", is tested above)
    attack = extract_text("State radio said terrorist criminals using rockets attacked an air force plane near the port.")
    assert _find(attack, "attacked an air force plane").act == "assert"


def test_a_province_government_deciding_is_the_speakers_own_side(extract_text):
    text = ("Police fired tear gas at rioters in Surat, India on Friday.\n\n"
            "Chief minister Dinesh Kapoor said the Gujarat government has decided to lift the curfew in Surat.")
    assert _find(extract_text(text), "decided to lift the curfew").act == "announce"


def test_a_reply_opening_with_no_denies(extract_text):
    text = ("   [REPORTER] WAS THE RAID A REPRISAL FOR THE BOMBING?\n\n"
            "   [ORTIZ] NO, WE DID NOT ORDER THAT RAID TO PUNISH ANYONE. IT FOLLOWED MONTHS OF POLICE WORK.\n")
    assert _find(extract_text(text), "NOT ORDER THAT RAID").act == "deny"


def test_a_plan_told_as_background_announces_nothing(extract_text):
    ex = extract_text('Rebel commander Omar Farouk said: "We had weighed the risk of a curfew when we launched the offensive."')
    assert _find(ex, "weighed the risk").act == "assert"
    ex = extract_text('Rebel commander Omar Farouk said: "We have launched an offensive on the airport."')
    assert _find(ex, "launched an offensive").act == "announce"
