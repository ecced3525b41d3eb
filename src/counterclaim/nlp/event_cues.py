"""Phrasings that say a trigger starts no new event (event detection, issue 11).

``nlp.events.find_events`` finds triggers; these cues say when one of them is not a
real-world event of its own:

- a **group named by what happened to it** ("those arrested for the riots"): a
  participle that describes people, not the telling of an event;
- an **episode named as a whole** ("the post-election violence", "post-war riots"):
  a period's violence, many events, no single one;
- a **series** ("a string of air strikes", "a wave of bombings"): many events over a
  period;
- a **campaign** an event told belongs to ("part of a wider offensive"): many events;
- a **stance towards an agreement** ("remains committed to a ceasefire", "respect
  the truce"): the agreement is not made in this sentence;
- a **weapon named as a thing** bought, sold or held ("bought mortars and rockets"):
  an arms deal, no attack;
- a **purpose** ("deployed in order to crush the strike"): what someone meant to do;
- **filming** ("shot video footage of the raid"): no shot fired;
- an **unrealised event named by its noun** ("any operation to retake the city", "a
  possible offensive"): a hypothesis or a plan.

Word lists are data (``event_cues.tsv``, one set per meaning).
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from spacy.tokens import Token

from ..data.lexicon import word_sets
from ..records import Event
from .pipeline import sent_of, text_of

EVENT_CUES = word_sets("event_cues.tsv")
_POST_PREFIX = re.compile(r"\bpost-\s*[\w'’]+(?:\s+[\w'’]+)?\s*$", re.I)
_CLOCK = re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?!\w)", re.I)  # "11.30pm"
_POST_WORD = re.compile(r"\bpost\s+[\w'’]+\s*$", re.I)  # "the post election riots" (hyphen lost)


def group_described(head: Token, casualty_words: frozenset[str]) -> Optional[str]:
    """'those arrested for the riots': a participle on a pronoun names a group of people
    by what happened to them; it tells no event of its own.  Not the dead ("those killed
    were civilians"): they are the toll of the event told before, which that sentence
    details, unless they are an episode's ("those killed in the post-poll riots")."""
    if head.pos_ != "VERB" or head.tag_ not in ("VBN", "VBD") or head.dep_ not in ("acl", "relcl", "amod"):
        return None
    if head.head.lower_ in EVENT_CUES.group_pronouns and head.lemma_.lower() in casualty_words:
        # "those killed were civilians": the dead of the event told before, its toll's detail;
        # but "compensation for those killed in the post-poll riots": the dead of an episode
        # named as a whole, many events, none of them told here
        # (the words after "in", not its parse: "the post X riots" often parses "post" as the object)
        sent = sent_of(head)
        episode = next((why for p in head.children if p.dep_ == "prep" and p.lower_ in ("in", "during")
                        for o in head.doc[p.i + 1: min(p.i + 6, sent.end)]
                        if o.pos_ in ("NOUN", "PROPN") and (why := episode_named(o))), None)
        if episode is not None:
            return f"a group named by what happened to it ('{head.head.text} {head.text}') in {episode}"
        return None
    if head.head.lower_ in EVENT_CUES.group_pronouns:
        return f"a group named by what happened to it ('{head.head.text} {head.text}'), not an event told"
    return None


def aftermath_of(head: Token) -> Optional[str]:
    """'the accused of the 2009 bus massacre', 'compensation for the victims of the market
    blast', 'the probe into the raid': an event noun named as what a trial, an inquiry, a
    compensation or its victims are about, a past event another story refers to.  The
    sentence's day is that story's (the ruling, the payment), not the event's; or None."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    node = head
    while node.dep_ == "compound" and node.head.i != node.i:
        node = node.head
    for _ in range(2):  # "the accused of the X", "compensation for the victims of the X"
        if node.dep_ != "pobj" or node.head.dep_ != "prep" or node.head.lower_ not in EVENT_CUES.aftermath_preps:
            return None
        noun = node.head.head
        if noun.lemma_.lower() in EVENT_CUES.aftermath_nouns or noun.lower_ in EVENT_CUES.aftermath_nouns:
            return f"a past event named by what came of it ('{noun.text} {node.head.text} ... {head.text}')"
        node = noun
    return None


def kind_of_people(head: Token) -> Optional[str]:
    """'compensation for riot victims', 'the victims of communal attacks': a bare event noun
    before an aftermath noun, or a bare plural after its "of", names a kind of people, no
    event (with a word of its own, "the market blast victims", "the victims of the
    attack", it may name one: ``aftermath_of``)."""
    if head.pos_ == "NOUN" and head.tag_ == "NNS" and head.dep_ == "pobj" and head.head.lower_ == "of" \
            and head.head.head.lemma_.lower() in EVENT_CUES.aftermath_nouns \
            and not any(c.dep_ in ("det", "poss", "nummod", "compound") for c in head.children):
        # "the victims of communal attacks": a bare plural, many events of a kind
        return f"a kind of people ('{head.head.head.text} of {head.text}'), no event told"
    if head.pos_ != "NOUN" or head.dep_ != "compound" or list(head.children):
        return None
    noun = head.head
    if noun.lemma_.lower() in EVENT_CUES.aftermath_nouns and noun.tag_ in ("NNS", "NNPS") \
            and not any(c.dep_ in ("det", "poss", "compound", "amod") and c.i < head.i for c in noun.children):
        return f"a kind of people ('{head.text} {noun.text}'), no event told"
    return None


def episode_named(head: Token) -> Optional[str]:
    """'the post-election violence', 'post-war riots', 'the subsequent riots': a trigger
    noun after a "post-" word, or a plural one told only as what followed another
    event, names a period's violence as a whole."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    text = text_of(head.doc)
    before = text[max(sent_of(head).start_char, head.idx - 40): head.idx]
    plural = head.tag_ in ("NNS", "NNPS")
    if _POST_PREFIX.search(before) or (plural and _POST_WORD.search(before)):
        return f"an episode named as a whole ('{before.strip().split()[-1]} {head.text}'), many events, not one"
    if plural and any(c.dep_ == "amod" and c.lower_ in EVENT_CUES.episode_modifiers for c in head.children) \
            and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
        return f"an episode told as what followed another ('the ... {head.text}'), many events, not one"
    return None


def series_of(head: Token, dated: bool) -> Optional[str]:
    """'a string of air strikes', 'a wave of bombings': many events named together, over a
    period.  Not where the sentence names a day or an hour ("a wave of gunfire at 9pm
    across the old town"): one night's incidents at one place, one event as ACLED codes it."""
    if dated or _CLOCK.search(sent_of(head).text):
        return None
    node = head
    for _ in range(2):
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lemma_.lower() in EVENT_CUES.series_nouns:
            return f"a series ('{node.head.head.text} of {head.text}'), many events, not one"
        if node.dep_ not in ("compound", "amod") or node.head.i == node.i:
            break
        node = node.head
    return None


def campaign_of(head: Token) -> Optional[str]:
    """'the raid was part of a wider offensive', 'took the town in May, part of a broader
    assault on the valley': the trigger names the campaign the event told belongs to,
    many events over days and places, not a new one."""
    if head.pos_ not in ("NOUN", "PROPN") or head.dep_ != "pobj" or head.head.lower_ != "of":
        return None
    whole = head.head.head
    if whole.lemma_.lower() not in EVENT_CUES.whole_nouns:
        return None
    return f"the campaign an event belongs to ('{whole.text} of ... {head.text}'), many events, not one"


def agreement_stance(head: Token) -> Optional[str]:
    """'committed to a ceasefire', 'respect the truce', 'violated the ceasefire': a stance
    towards an agreement (made before, or not yet), not the agreement being made."""
    node = head
    for _ in range(3):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.lemma_.lower() in EVENT_CUES.agreement_stance or node.lower_ in EVENT_CUES.agreement_stance:
            return f"a stance towards the agreement ('{node.text}'), not the agreement made"
        if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("xcomp", "acomp"):
            return None
    return None


def unrealised_noun(head: Token) -> Optional[str]:
    """'any operation to retake the city', 'a possible offensive': the noun phrase that
    holds the trigger says it is a hypothesis or a plan."""
    node: Optional[Token] = head
    for _ in range(3):
        if node is None:
            return None
        if node.pos_ in ("NOUN", "PROPN"):
            for c in node.children:
                if c.dep_ == "det" and c.lower_ in EVENT_CUES.unreal_determiners:
                    return f"hypothetical ('{c.text} {node.text}'), not an event told"
                if c.dep_ == "amod" and c.lower_ in EVENT_CUES.unreal_modifiers:
                    return f"not (yet) real ('{c.text} {node.text}')"
        if node.dep_ not in ("xcomp", "acl", "compound", "pobj", "prep") or node.head.i == node.i:
            return None
        node = node.head
    return None


def things_seized(head: Token) -> Optional[str]:
    """'seized 20 rifles', 'captured a weapons cache', 'seized two tons of cocaine': a
    territory trigger whose object is a thing, not ground."""
    objs = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
    if head.dep_ in ("acl", "amod", "relcl"):
        objs.append(head.head)
    for obj in objs:
        if obj.lemma_.lower() in EVENT_CUES.seized_measures:  # "1.5 tons of cocaine": the thing after "of"
            obj = next((o for p in obj.children if p.dep_ == "prep" and p.lower_ == "of"
                        for o in p.children if o.dep_ == "pobj"), obj)
        words = {obj.lemma_.lower(), obj.lower_} | {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}
        if words & EVENT_CUES.seized_things:
            return f"a seizure of things ('{head.text} ... {obj.text}'), not of ground"
    return None


def weapons_traded(head: Token) -> Optional[str]:
    """'the army bought mortars, rockets and rifles', 'grenades were smuggled across the
    border': a weapon noun that is what is bought, sold or held names a thing, not its use;
    an arms deal or a stock is no attack."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    node = head
    for _ in range(6):  # up a list ("mortars, artillery shells and rifles") and "types of"
        if node.dep_ in ("conj", "appos", "compound") and node.head.i != node.i:
            node = node.head
        elif node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lemma_.lower() in EVENT_CUES.kind_nouns:
            node = node.head.head
        else:
            break
    if node.dep_ in ("dobj", "nsubjpass") and node.head.lemma_.lower() in EVENT_CUES.traded_verbs:
        return f"a weapon named as a thing ('{node.head.text} ... {head.text}'), not its use"
    return None


def purpose(head: Token) -> Optional[str]:
    """'troops were deployed in order to intimidate and kill opposition supporters', 'mined
    the bridge so as to attack the convoy': a verb after "in order to" or "so as to" is what
    someone meant to do, not something done."""
    if head.pos_ != "VERB" and not (head.dep_ == "conj" and head.head.pos_ == "VERB"):
        return None  # ("to intimidate and murder": the tagger may take the second verb for a noun)
    verb = head
    while verb.dep_ == "conj" and verb.head.i != verb.i and verb.head.pos_ == "VERB":
        verb = verb.head  # "to intimidate and kill": the purpose's first verb holds its "to"
    to = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    if to is None or to.i < 2:
        return None
    before = " ".join(t.lower_ for t in head.doc[to.i - 2: to.i])
    if before in EVENT_CUES.purpose_phrases:
        return f"a purpose ('{before} to {verb.text}'), not something done"
    return None


def filming(head: Token) -> Optional[str]:
    """'the crew shot video footage of the raid': a filming verb whose object is a film or a
    picture films; it fires nothing."""
    if head.lemma_.lower() not in EVENT_CUES.filming_verbs:
        return None
    for obj in (c for c in head.children if c.dep_ in ("dobj", "nsubjpass")):
        words = {obj.lemma_.lower()} | {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}
        if words & EVENT_CUES.filmed_things:
            return f"filming ('{head.text} ... {obj.text}'), not firing"
    return None


def ongoing(head: Token, dated: bool) -> Optional[str]:
    """'the insurgents are still fighting back': a state that goes on, with no day of its
    own (``dated``: the sentence names one), not one event told."""
    if dated or head.tag_ != "VBG" or head.pos_ != "VERB":
        return None
    if not any(c.dep_ == "aux" and c.lemma_.lower() == "be" for c in head.children):
        return None
    adverb = next((c for c in head.children if c.dep_ == "advmod" and c.lower_ in EVENT_CUES.ongoing_adverbs), None)
    return None if adverb is None else f"an ongoing state ('{adverb.text} {head.text}'), not one event"


def _window(text: str, start: int, end: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words before a trigger (up to 4) and from it on (10), hyphens dropped
    ("north-western" is "northwestern" in a page's other copy)."""
    before = re.findall(r"\w+", text[max(0, start - 80):start].lower().replace("-", ""))[-4:]
    after = re.findall(r"\w+", text[start:end + 160].lower().replace("-", ""))[:10]
    return tuple(before), tuple(after)


def told_verbatim(head: Token, end: int, earlier: Sequence[Event]) -> Optional[Event]:
    """The event whose trigger stands in the same words as this one ("Rebels launched an
    offensive on the town" as the lead and again after the page's tags line): a page
    that repeats its headline or standfirst tells one event twice.  Eleven words the
    same (the one before the trigger, ten from it on) are a copy, not a stock phrase."""
    text = text_of(head.doc)
    before, after = _window(text, head.idx, end)
    if not before or len(after) < 10:
        return None
    for e in earlier:
        if e.trigger is None or e.trigger.start >= head.idx:
            continue
        b, a = _window(text, e.trigger.start, e.trigger.end)
        if a == after and b[-1:] == before[-1:]:
            return e
    return None
