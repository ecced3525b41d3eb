"""Speaker names across the ways a story writes them, on sentences written for the tests."""

from __future__ import annotations


def _speakers(ex):
    return [(c.speaker.name if c.speaker else None, c.speaker.party if c.speaker else None) for c in ex.claims]


def test_officer_named_after_the_body_speaks_for_it(extract_text):
    # The parser makes the body the subject; the name runs on into its officer.
    ex = extract_text('"Both hospitals were hit twice in one night" said Human Rights Watch researcher '
                      'Lena Marsh on Tuesday.')
    assert ("Lena Marsh", "independent") in _speakers(ex)


def test_role_given_a_name_speaks_under_it_and_pronouns_follow(extract_text):
    ex = extract_text('A shopkeeper spoke to reporters. A witness named Tomas who lost a hand in the blast '
                      'described the fire. "We ran for the fields," he said.')
    names = [n for n, _ in _speakers(ex)]
    assert names[-1] == "Tomas"
    assert _speakers(ex)[-1][1] == "independent"  # a witness speaks for nobody's side


def test_local_sources_monitors_rights_and_aid_groups_are_independent(extract_text):
    ex = extract_text("Local sources said the bridge was destroyed. The monitoring group said the road was closed. "
                      "A rights group said 30 people died. The humanitarian agency said aid was blocked. "
                      "A source in the town said the school was hit.")
    parties = [p for _, p in _speakers(ex)]
    assert parties == ["independent"] * 5


def test_a_local_official_is_not_a_local_source(extract_text):
    # Local administration is the state's, or unknown without a country: never independent.
    ex = extract_text("A local official said the clinic was closed.")
    assert _speakers(ex)[0][1] != "independent"


def test_a_role_with_its_unit_in_brackets_belongs_to_the_name_after_it():
    from counterclaim.nlp.pipeline import get_nlp
    from counterclaim.nlp.speakers import _role_before_bracket

    doc = get_nlp()("The gang had a second target, deputy commissioner (crime branch) Ravi Shankar said.")
    name = [t for t in doc if t.text in ("Ravi", "Shankar")]
    assert [t.text for t in _role_before_bracket(name)] == ["deputy", "commissioner"]
    # Without a one-person role before the bracket, nothing is taken.
    doc = get_nlp()("The gang had a second target, the report (page four) Ravi Shankar wrote said.")
    name = [t for t in doc if t.text in ("Ravi", "Shankar")]
    assert _role_before_bracket(name) == []
