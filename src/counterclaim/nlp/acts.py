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

from ..data.lexicon import word_sets
from . import lexicon
from .attribution import CLAIM_NOUNS

ACT_WORDS = word_sets("act_words.tsv")

def decide(cue_lemma: str, cue_pos: str, content: SpacySpan | None, negated: bool,
           own: bool = False, itself: bool = False) -> tuple[str, str]:
    """(act, reason) for a cue and its content; ``own``: the content's subject is the
    speaker's own side (markers of a decision or a plan then announce it); ``itself``: the
    subject is the speaker or its own people by a pronoun ("one of its fighters fired on":
    an attack the speaker claims)."""
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
        marked = _from_content(content, ahead, own, itself)
        if marked is not None:
            return marked
    if cue is not None and cue.act != "assert" and cue.act != "threaten":
        return cue.act, f"cue '{cue_lemma}'"
    if ahead:
        # "vowed to keep up the fight", "pledged to rebuild": a commitment that promises no
        # harm declares the speaker's own course.
        return "announce", f"cue '{cue_lemma}' committing to an action, no harm promised"
    if cue is not None and cue.act == "threaten" and content is not None and _has_future(content):
        return "threaten", f"cue '{cue_lemma}' with a future content"
    return "assert", f"neutral cue '{cue_lemma}'"


def _from_content(content: SpacySpan, ahead: bool = False, own: bool = False,
                  itself: bool = False) -> tuple[str, str] | None:
    if _answers_no(content):
        return "deny", "an answer opening with 'No,'"
    markers = lexicon.markers()
    future = ahead or _has_future(content)
    found: dict[str, str] = {}
    for tok in content:
        hit = markers.get(tok.lemma_.lower()) or markers.get(tok.lower_) or _stemmed(markers, tok.lower_)
        if hit is None:
            continue
        act, condition = hit
        if condition == "future" and not future:
            continue
        if condition == "agent" and not _names_wrongdoer(tok):
            continue
        if condition == "claim" and not any(t.lemma_.lower() in CLAIM_NOUNS for t in content):
            continue
        if condition == "own" and (not own or _in_background_clause(tok, content)):
            continue
        if condition == "itself" and (not itself or tok.pos_ != "VERB" or _in_background_clause(tok, content)):
            continue
        if condition == "named" and _unnamed_holder(tok):
            continue
        if condition == "verb" and (tok.pos_ not in ("VERB", "AUX")
                                    or tok.dep_ in ("dobj", "obj", "pobj", "nsubj", "nsubjpass", "amod", "compound")):
            continue  # "prosecute the accused": a participle used as a noun blames no one
        found.setdefault(act, tok.text)
    # A denial of a statement outranks what it denies ("said the reports of a massacre are a
    # lie"); a threat outranks an accusation ("any provocation by terrorists will be met with force").
    for act in ("deny", "threaten", "accuse", "announce"):
        if act in found:
            return act, f"content marker '{found[act]}'" + (" with a future" if act == "threaten" else "") \
                + (" with the speaker's own side as subject" if act == "announce" else "")
    return None


def _unnamed_holder(tok) -> bool:
    """'bring those responsible to justice', 'whoever is responsible': the word blames no one
    named, so it accuses no party."""
    holder = tok.head if tok.dep_ in ("amod", "acomp") else None
    if tok.dep_ == "acomp":
        holder = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return holder is not None and holder.lower_ in ACT_WORDS.unnamed_holders


def _in_background_clause(tok, content: SpacySpan) -> bool:
    """Is the word inside a time clause of the content ("we had weighed this when we launched
    the offensive")?  There a decision or operation is the background of what is said, not
    what the speaker declares."""
    node = tok
    while node.i != node.head.i and content.start <= node.head.i < content.end:
        if node.dep_ in ("advcl", "relcl") and any(c.dep_ in ("mark", "advmod") and c.lower_ in ACT_WORDS.background_marks
                                                  and c.i < node.i for c in node.children):
            return True
        node = node.head
    return False


def _answers_no(content: SpacySpan) -> bool:
    """'No, we never shelled that road': a reply that opens with "No," rejects what
    it answers."""
    words = [t for t in content if not (t.is_space or t.is_quote or t.text in ("[", "]"))]
    return len(words) > 3 and words[0].lower_ == "no" and words[1].text == ","


def _stemmed(markers: dict, word: str):
    """A marker under a regular ending the lemmatiser missed (words set in capitals,
    "MASTERMINDED", are read as names and left as they are)."""
    for suffix in ("ing", "ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            stem = word[: -len(suffix)]
            hit = markers.get(stem) or markers.get(stem + "e")
            if hit is not None:
                return hit
    return None


def _names_wrongdoer(tok) -> bool:
    """Does a label ("terrorists") name who did wrong, rather than whom the speaker's side
    fought or killed?  "troops stormed the terrorist hideouts", "nine terrorists were
    killed", "the fight against terrorists" use the enemy's label in a report; "harboured
    terrorists", "described the attackers as terrorists" accuse."""
    if tok.dep_ in ("compound", "amod") and tok.head.i != tok.i and tok.head.lemma_.lower() != tok.lemma_.lower():
        # "the terrorist leadership", "FMLN terrorist criminals attacked", "terrorist hideouts": a
        # label qualifying another noun is the speaker's vocabulary for the enemy in a report
        # (records convention: an attack report naming its perpetrator asserts).
        return False
    noun = tok
    while noun.dep_ in ("conj", "appos") and noun.head.i != noun.i:
        noun = noun.head  # "the militant attackers, the terrorists": the label stands where its noun does
    if noun.dep_ == "pobj" and noun.head.lower_ in ACT_WORDS.target_preps:
        return False
    if noun.dep_ == "nsubjpass" and noun.head.lemma_.lower() in ACT_WORDS.fight_verbs:
        return False
    if noun.dep_ in ("dobj", "obj") and noun.head.lemma_.lower() in ACT_WORDS.fight_verbs:
        return False
    return True


def _has_future(content: SpacySpan) -> bool:
    return any(t.lower_ in ACT_WORDS.future_marks and t.tag_ == "MD" or t.lower_ == "will" for t in content)
