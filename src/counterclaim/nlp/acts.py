"""The speech act of a claim: assert, deny, accuse, threaten or announce.

A strong cue decides alone ("denied", "accused", "warned", "announced").  A
neutral cue ("said", "claimed", "promised") lets the content decide, through
content markers (a data file): a harm promised in the future is a threat, a
wrong blamed on someone is an accusation.  A negated cue flips a denial into
an assertion of nothing ("did not deny") and turns other cues into a denial
only when the cue itself asserts ("refused to confirm" reads as a non-answer,
so it stays an assertion, flagged ``negated``).
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan

from . import lexicon

FUTURE = {"will", "would", "shall", "'ll", "going"}


def decide(cue_lemma: str, cue_pos: str, content: SpacySpan | None, negated: bool) -> tuple[str, str]:
    """(act, reason) for a cue and its content."""
    cue = lexicon.cues().get((cue_lemma, "NOUN" if cue_pos == "NOUN" else "VERB"))
    if negated:
        if cue is not None and cue.act == "deny":
            return "assert", f"negated denial '{cue_lemma}'"
        return "assert", f"negated cue '{cue_lemma}'"
    if cue is not None and cue.strong:
        return cue.act, f"cue '{cue_lemma}'"
    # "vowed to avenge", "pledged to strike": what a commissive cue takes as an infinitive
    # lies ahead, as a modal would say.
    ahead = cue is not None and cue.act == "threaten" and content is not None and len(content) > 1 \
        and content[0].lower_ == "to" and content[1].tag_ == "VB"
    if content is not None:
        marked = _from_content(content, ahead)
        if marked is not None:
            return marked
    if cue is not None and cue.act != "assert" and cue.act != "threaten":
        return cue.act, f"cue '{cue_lemma}'"
    if cue is not None and cue.act == "threaten" and content is not None and _has_future(content):
        return "threaten", f"cue '{cue_lemma}' with a future content"
    return "assert", f"neutral cue '{cue_lemma}'"


def _from_content(content: SpacySpan, ahead: bool = False) -> tuple[str, str] | None:
    markers = lexicon.markers()
    future = ahead or _has_future(content)
    found: dict[str, str] = {}
    for tok in content:
        hit = markers.get(tok.lemma_.lower()) or markers.get(tok.lower_)
        if hit is None:
            continue
        act, condition = hit
        if condition == "future" and not future:
            continue
        found.setdefault(act, tok.text)
    # A threat outranks an accusation: "any provocation by terrorists will be met with force".
    for act in ("threaten", "accuse"):
        if act in found:
            return act, f"content marker '{found[act]}'" + (" with a future" if act == "threaten" else "")
    return None


def _has_future(content: SpacySpan) -> bool:
    return any(t.lower_ in FUTURE and t.tag_ == "MD" or t.lower_ == "will" for t in content)
