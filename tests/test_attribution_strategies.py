"""Each content strategy of ``nlp.attribution`` on a sentence written for it: the
strategy that settles the cue, and the content it finds.  The order is stated once
(``CONTENT_STRATEGIES``); these tests pin which reading wins for each construction."""

from __future__ import annotations

import pytest

from counterclaim.nlp import attribution as A
from counterclaim.nlp.pipeline import get_nlp


def _one(text: str, cue: str):
    doc = get_nlp()(text)
    atts = [a for a in A.find_attributions(doc) if doc.text[a.cue[0]:a.cue[1]] == cue]
    assert atts, f"no attribution on {cue!r}"
    a = atts[0]
    return a.strategy, doc.text[a.content[0]:a.content[1]], a.reasons


CASES = [
    # (strategy, sentence, cue, words the content holds)
    ("answered_statement", "The rebels shelled the northern market, a claim the army denied.", "denied", "claim"),
    ("closing_clause", "Gunmen killed five farmers in the hills on Sunday a regional governor said on Monday.",
     "said", "Gunmen killed five farmers"),
    ("governed_clause", "The governor said that the bridge had been destroyed overnight.", "said",
     "the bridge had been destroyed"),
    ("as_clause", "As the foreign minister has pointed out, the border talks remain stalled.", "pointed",
     "the border talks remain stalled"),
    ("interrupting_cue", "The pipeline, officials said, was repaired within a week.", "said", "was repaired"),
    ("interrupting_phrase", "The difference now, he told me, is that the army has no fuel.", "told",
     "the army has no fuel"),
    ("naming_cue", "The minister described the ceasefire as a fragile step.", "described", "a fragile step"),
    ("infinitive", "The militia vowed to retake the airport by spring.", "vowed", "retake the airport"),
    ("charge", "The council accused the militia of burning the granary.", "accused", "burning the granary"),
    ("addressed_request", "The envoy urged the fighters to lay down their weapons.", "urged", "lay down their weapons"),
    ("stated_object", "The ministry denied the reports.", "denied", "the reports"),
    ("passive_subject", "A curfew was announced by the provincial council on Monday.", "announced", "A curfew"),
    ("prepositional_topic", "The commander warned of reprisals against the villages.", "warned", "reprisals"),
    ("colon_block", "The ministry of defence continued:\n\nThe raids will go on until the roads are safe.\n",
     "continued", "The raids will go on"),
]


@pytest.mark.parametrize("strategy,text,cue,content", CASES, ids=[c[0] for c in CASES])
def test_strategy_settles_its_construction(strategy, text, cue, content):
    found, span, reasons = _one(text, cue)
    assert found == strategy
    assert content in span
    assert reasons and reasons[0]  # every strategy says why


def test_every_strategy_is_listed_once_and_documented():
    listed = [*A.CONTENT_STRATEGIES, *A.FALLBACK_STRATEGIES]
    assert len({s.__name__ for s in listed}) == len(listed)
    assert all((s.__doc__ or "").strip() for s in listed)
    names = {s.__name__.lstrip("_") for s in listed}
    assert A.WITH_OUTCOME <= names


def test_clause_only_cue_without_a_clause_is_refused():
    # "ruled the district": a verb that reports speech only with a clause governs none.
    doc = get_nlp()("The judge ruled the district for ten years.")
    verb = doc[2]
    site = A._CueSite.at(verb, A.verb_cue(verb), [])
    assert A._clause_only_cue(site) is A.REFUSED
    assert not A.find_attributions(doc)


def test_strategies_pass_on_what_is_not_theirs():
    # A plain "said that" clause: the narrower strategies all pass it on.
    doc = get_nlp()("The governor said that the bridge had been destroyed overnight.")
    verb = doc[2]
    site = A._CueSite.at(verb, A.verb_cue(verb), [])
    for strategy in (A._answered_statement, A._as_clause, A._charge, A._naming_cue, A._passive_subject,
                     A._clause_after_object, A._words_before_speaker):
        assert strategy(site) is None, strategy.__name__


def test_clause_after_object_takes_the_clause_on_the_addressee():
    doc = get_nlp()("She warned them all that the bridge was unsafe.")
    verb = doc[1]
    site = A._CueSite.at(verb, A.verb_cue(verb), [])
    found = A._clause_after_object(site)
    if found is not None:  # the parse may hang the clause on the verb instead (then governed_clause reads it)
        assert "bridge" in " ".join(t.text for t in found.tokens)
        assert found.reason.startswith("clause after")


def test_an_event_as_the_subject_of_a_cue_is_narration(extract_text):
    ex = extract_text("Monday's bombardment brought to 31 the number killed in the valley in three days. "
                      "The army said the attack killed 12.")
    speakers = [c.speaker.name if c.speaker else None for c in ex.claims]
    assert speakers == ["army"]
