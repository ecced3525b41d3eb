"""Events: what happened, ACLED-coded, with who, where, when and how many died.

A trigger (a data file of lemmas per ACLED sub-type) starts an event; the
parse around it gives the actors ("Pakistani airstrikes", "the Taliban
launched drone strikes", "strikes against X"), the places attached to it (one
event per place: "air strikes in Kabul, Kandahar and Paktia" is three), the
nearest time expression (else the publication date), and fatalities from the
numbers in the same sentence or claim.

What did not happen is not an event: negated, hypothetical, threatened and
future triggers are skipped, as is anything inside a threat or a denial (the
denied claim's own event is kept, and marked disputed).  An event inside a
claim is ``claimed``; one in the narrator's voice is ``reported``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Optional, Sequence

from spacy.tokens import Doc, Token

from ..data.lexicon import word_set, word_sets
from ..data.sides import STATE_KINDS, compatible, side_of
from ..records import ACLED_TYPES, SUB_TYPE_TO_TYPE, Actor, Claim, Dropped, Event, Fatalities, Place, Span, Time
from . import countries, event_cues, event_merge, lexicon, limits, quantities
from .event_actors import arrested_over_violence, by_agent, fallen_combatants, instrument_verb
from .event_merge import merge_mentions
from .event_places import described_sites, finer_inside, first_town, named_after, named_area_of
from .gazetteer import distance_km
from .lead_day import DAY_WINDOW, day_told_next
from .pipeline import sent_of, text_of
from .places import PLACES
from .speakers import SpeakerResolver
from .times import CALENDAR_PRECISIONS, page_stamp, statement_day

EVENTS = word_sets("events.tsv")
TERRITORY_SUBTYPES = {"Non-state actor overtakes territory", "Government regains territory"}


@dataclass
class _Trigger:
    tokens: list[Token]
    sub_type: str
    # "The blast hit buses in X": a definite noun whose context words are missing may
    # still tell an event told before again (never a new one): ``_back_only``
    back_only: bool = False

    @property
    def head(self) -> Token:
        return self.tokens[-1] if self.tokens[-1].pos_ in ("NOUN", "PROPN") else self.tokens[0]


def find_events(
    doc: Doc,
    article_id: str,
    claims: list[Claim],
    places: list[Place],
    times: list[Time],
    published: Optional[date],
    resolver: SpeakerResolver,
    dropped: Optional[list[Dropped]] = None,
) -> list[Event]:
    """The article's events; the candidates left out go to ``dropped`` with their reason
    (a cumulative toll, a threat, a denial, a hypothetical: ``Extraction.dropped``)."""
    dropped = dropped if dropped is not None else []
    events: list[Event] = []
    toll_updates: set[str] = set()
    restated: set[str] = set()  # a source's bare toll of the story's event (``_restates_toll``)
    told_before: set[str] = set()  # candidates told as what came before another (``_before_or_after``)
    sentences_with_events: set[int] = set()
    recalled: set[str] = set()  # "after the gas attack", placeless: an event the article may tell elsewhere
    fallback_place = _article_place(doc, places)
    triggers = limits.per_sentence(_triggers(doc), lambda t: t.head)  # bounded work (nlp.limits)
    by_sentence: dict[int, list[_Trigger]] = {}
    for t in triggers:
        if not t.back_only:
            by_sentence.setdefault(sent_of(t.head).start, []).append(t)
    told = _told([t for t in triggers if not t.back_only], places, times, published)
    date_spans = [t.span for t in times]
    # Specific triggers first: a casualty word ("killed") in a sentence that already has
    # an event describes that event rather than another one.
    for trig in sorted(triggers, key=lambda t: (t.sub_type == GENERIC, t.tokens[0].i)):
        head = trig.head
        sent = sent_of(head)
        if trig.sub_type == GENERIC and sent.start in sentences_with_events:
            continue
        if _refers_back(head, trig.sub_type, events):
            # "The suicide bomber blew himself up ...": the event told before, told again
            again = max((e for e in events if e.sub_type == trig.sub_type and e.span.start < head.idx),
                        key=lambda e: e.span.start, default=None)
            mention = Span(sent.start_char, sent.end_char, sent.text)
            if again is not None and mention != again.span and mention not in again.mentions:
                again.mentions.append(mention)
                # a noun without its context words names no place that another trigger of its
                # sentence holds ("the strikes followed a rocket attack on X": X is the attack's)
                _told_again_where(again, head, _outside_others(head, places, by_sentence.get(sent.start, []))
                                  if trig.back_only else places, times, published)
                _perpetrator_told_again(again, head, resolver, _claim_holding(claims, head.idx), events)
            continue
        if trig.back_only:
            continue  # no event told before of its kind: a definite noun without its context starts none
        if (state := _state_or_unspecified(head)) is not None:
            dropped.append(_dropped(sent, trig, state))
            continue
        if events and _motive(head):
            dropped.append(_dropped(sent, trig, "the motive of another event ('in response to the attack'), "
                                                "an event already told"))
            continue
        end = trig.tokens[-1].idx + len(trig.tokens[-1].text)
        if (again := _told_again(head, trig, events) or event_cues.told_verbatim(trig.tokens[0], end, events)) is not None:
            mention = Span(sent.start_char, sent.end_char, sent.text)
            if mention != again.span and mention not in again.mentions:
                again.mentions.append(mention)
                _told_again_where(again, head, places, times, published)
                _perpetrator_told_again(again, head, resolver, _claim_holding(claims, head.idx), events)
            continue
        claim = _claim_holding(claims, head.idx)
        why_not = _context(sent, head, trig.sub_type) or _unreal(head, claim) or _denier_s_version(claims, head, claim) \
            or _no_event_of_its_own(head, trig)
        if why_not:
            dropped.append(_dropped(sent, trig, why_not))
            continue
        actor1, actor2 = _actors(head, resolver, claim)
        withdrawal = trig.tokens[0].lemma_.lower() in event_cues.EVENT_CUES.withdrawal_verbs
        if withdrawal:
            # "troops pulled out of the town": the side that leaves is the one that loses the
            # ground (ACLED's actor 2); the one that gains it is actor 1, often not named here
            actor1, actor2 = None, actor1
        referred = _referred(head, trig, events)
        # "19 killed near the capital hours after a chemical attack in Khan Sheikhun": the
        # phrase telling what came before is another event's, with its own place and kind
        spans = _background_spans(sent)
        aside = [r for r in spans if not r[0] <= head.idx < r[1]]
        own = [r for r in spans if r[0] <= head.idx < r[1]]
        outside = [p for p in places if not any(a <= p.span.start < b for a, b in aside)
                   and (not own or any(a <= p.span.start < b for a, b in own) or _there(_clause_root(head)))]
        trig_places = _places_for(head, outside) or _nationality_place(head)
        several_named = len(trig_places) > 1
        if not trig_places and referred is not None and referred.place is not None:
            trig_places = [referred.place]
        date_value, precision, date_reason = _date_for(head, times, published)
        date_source = _date_source(date_reason)
        if date_reason == PUBLICATION_DATE:
            said = _day_told_before(told, sent.start_char, published)
            if said is not None and trig_places and said.places and not any(
                    p.name == q.name for p in trig_places for q in said.places):
                said = None  # a place of its own, another than the event told before: another event, undated
            if said is not None:
                assert said.day is not None, "_day_told_before returns only sentences that say a day"
                date_value, precision, date_source = said.day[:10], "day", "context"
                date_reason = f"none in the sentence, that of the event told before ('{said.word}')"
        if date_source is not None and (past := event_cues.aftermath_of(head)) is not None \
                and not _own_date(head, times, published):
            # "the court on Friday freed the accused of the bus massacre": Friday is the ruling's
            # day; the massacre, if the text gives it no day of its own, has none here
            date_value, precision, date_source = None, "unknown", None
            date_reason = f"none of its own: {past}; the sentence's day is another happening's"
        place_note = ""
        if all(p.kind in ("country", "province", "region") for p in trig_places) and len(trig_places) <= 1 \
                and (sites := described_sites(head, places)):
            # "a car bomb struck a town in northern Syria": the next sentences name the town
            later = named_after(head, sites, places, trig_places[0] if trig_places else None)
            if later is not None:
                trig_places = [later]
                described = "', '".join(s.text for s in sites)
                place_note = f"; place: the '{described}' the sentence describes, named after it ('{later.span.text}')"
        earlier = None if trig_places else _place_told_before(told, sent.start_char, date_value)
        if earlier is not None:
            trig_places = earlier.places
            place_note = f"; place: none in the sentence, that of the same day's event told before ('{earlier.word}')"
        elif not trig_places and fallback_place is not None:
            trig_places, place_note = [fallback_place], f"; place: none in the sentence, the article's ({fallback_place.reason})"
        elif not trig_places and not _before_or_after(head) and (lead := _lead_place(sent, outside)) is not None:
            trig_places = [replace(lead, precision="lead", reason=f"the lead's first town '{lead.span.text}'")]
            place_note = f"; place: none in the sentence, the headline's or lead's ('{lead.span.text}')"
        span = Span(sent.start_char, sent.end_char, sent.text)
        background = _before_or_after(head)
        rivals = [t.head for t in by_sentence.get(sent.start, ())
                  if t.head.i != head.i and (t.sub_type != GENERIC or background)]
        fatal, injured = _casualties(head, claim, date_spans, rivals)
        if several_named:
            # "10 civilians killed in attacks on Aleppo and Deir Ezzor": a total over several
            # places is no single place's toll (ACLED codes each place's own); "no casualties"
            # holds for each
            fatal, injured = (f if f is None or f.low == 0 else None for f in (fatal, injured))
        if (why_not := _historic_toll(fatal, date_value, date_source, published)) is not None:
            dropped.append(_dropped(sent, trig, why_not))
            continue
        sub_type, type_reason = _sub_type(trig, _without(sent, aside), actor1, actor2, trig_places)
        if referred is not None:
            sub_type, type_reason = referred.sub_type, f"'{head.text}' refers back to the {referred.sub_type} told before"
        if withdrawal and sub_type in TERRITORY_SUBTYPES and actor2 is not None and actor2.kind is not None \
                and actor2.kind not in STATE_KINDS:
            # "the rebels withdrew from the town under shelling": the government's gain
            sub_type, type_reason = "Government regains territory", f"'{head.text}' under attack by a non-state side"
        trigger_span = Span(trig.tokens[0].idx, trig.tokens[-1].idx + len(trig.tokens[-1].text),
                            text_of(doc)[trig.tokens[0].idx : trig.tokens[-1].idx + len(trig.tokens[-1].text)])
        if not background:  # "killed ... hours after a chemical attack": the killing is an event of its own
            sentences_with_events.add(sent.start)
        places_here: list[Optional[Place]] = [*trig_places] or [None]  # None: the event has no place
        for place in places_here:
            if not withdrawal:  # the withdrawing side's words name actor 2, not the perpetrator
                actor1 = _side_actor(head, actor1, place, resolver)
            if actor1 is not None and actor1.party in NOBODYS_SIDE:
                actor1 = None  # a monitor or a victim named near the trigger is no perpetrator
            actor1 = actor1 if actor1 is not None and actor1.party not in (None, "", "unknown") \
                else _default_actor(sub_type, place, resolver) or actor1
            if actor2 is None and place is not None and actor1 is not None:
                actor2 = _target_from_place(place, actor1)
            actor2 = _no_place(actor2, places)
            if actor2 is None or actor2.party in (None, "", "unknown"):
                actor2 = _holder(head, place, resolver) or _default_target(sub_type) or actor2
            event = Event(
                id=Event.make_id(article_id, trigger_span, sub_type, place.name if place else None),
                article_id=article_id,
                type=SUB_TYPE_TO_TYPE[sub_type],
                sub_type=sub_type,
                span=span,
                trigger=trigger_span,
                actor1=actor1,
                actor2=actor2,
                place=place,
                date=date_value,
                date_precision=precision,
                date_source=date_source,
                fatalities=fatal,
                injured=injured,
                status="claimed" if claim is not None else "reported",
                claim_ids=[claim.id] if claim is not None else [],
                reason=f"trigger '{trigger_span.text}' -> {sub_type} ({type_reason}); date: {date_reason}{place_note}",
            )
            if _toll_update(sent):
                toll_updates.add(event.id)
            if trig.sub_type == GENERIC and _restates_toll(sent, claim, fatal, places):
                restated.add(event.id)
            if background:
                told_before.add(event.id)
                if place is None and head.pos_ == "NOUN" and any(
                        c.dep_ == "det" and c.lower_ == "the" for c in head.children):
                    recalled.add(event.id)
            events.append(event)  # the claim's side (``claim.event_ids``) is written once, by ``within``
    events = _recalled_elsewhere(events, recalled)
    day_told_next(doc, events, {sent_of(t.head).start_char for t in triggers}, times, places, published)
    events = _merge_same(events)
    events = merge_mentions(events, frozenset(toll_updates), frozenset(told_before), frozenset(restated))
    _attach_toll_claims(doc, claims, events, places, times)
    _attach_conflicting_tolls(doc, events)
    return events


def _restates_toll(sent, claim: Optional[Claim], fatal: Optional[Fatalities], places: list[Place]) -> bool:
    """A source's words give only a toll: "a clinic in the district said it had counted
    31 bodies", "the mayor added that nine guards died there".  The
    casualty word (no event noun of its own) inside a claim, with a figure, no place named
    inside the claim's words (the speaker's own town is where the source is, not where the
    event was) and no word telling another event ("also", "another", "elsewhere"): the story's
    event told again by another voice (``event_merge.restatement``)."""
    if claim is None or fatal is None:
        return False
    if any(claim.span.start <= p.span.start < claim.span.end for p in places):
        return False
    return not TIMES.other_event_words & {t.lower_ for t in sent}


# -- triggers -------------------------------------------------------------------


def _triggers(doc: Doc) -> list[_Trigger]:
    patterns = lexicon.triggers()
    by_first: dict[str, list[tuple[list[str], str, str]]] = {}
    for pattern, sub_type, condition in patterns:
        words = pattern.lower().split()
        by_first.setdefault(words[0], []).append((words, sub_type, condition))
    found: list[_Trigger] = []
    taken: set[int] = set()
    for tok in doc:
        if tok.i in taken:
            continue
        options = [o for form in _forms(tok) for o in by_first.get(form, [])]
        options.sort(key=lambda o: -len(o[0]))
        back: Optional[_Trigger] = None
        for words, sub_type, condition in options:
            toks = _match(doc, tok.i, words)
            if toks is None:
                continue
            if not _condition_holds(toks, condition):
                if back is None and _back_only(toks):
                    back = _Trigger(toks, sub_type, back_only=True)
                continue
            found.append(_Trigger(toks, sub_type))
            taken.update(t.i for t in toks)
            break
        else:
            if back is not None:
                found.append(back)
    return found


def _outside_others(head: Token, places: list[Place], others: list[_Trigger]) -> list[Place]:
    """The places not inside the phrase of another trigger of the sentence than ``head``'s."""
    spans = [(min(t.idx for t in o.head.subtree), max(t.idx + len(t.text) for t in o.head.subtree))
             for o in others if o.head.i != head.i]
    return [p for p in places if not any(a <= p.span.start < b for a, b in spans)]


def _back_only(toks: list[Token]) -> bool:
    """A lone definite back-noun ("the blast", "the explosion") that lacks its pattern's
    context words: it cannot start an event, but it may name one told before."""
    tok = toks[-1]
    return len(toks) == 1 and tok.pos_ == "NOUN" and tok.lemma_.lower() in EVENTS.back_nouns and any(
        c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children)


def _forms(tok: Token) -> tuple[str, ...]:
    """The forms a trigger pattern may match: lemma and word; and for a title-cased headline
    word, which the tagger takes for a name and leaves unlemmatised ("Chemical Weapons",
    "Air Strikes Kill 20"), its plural stripped."""
    forms: tuple[str, ...] = (tok.lemma_.lower(), tok.lower_)
    if tok.pos_ == "PROPN" and tok.text[:1].isupper() and len(tok.text) > 3:
        low = tok.lower_
        if low.endswith("ies"):
            forms += (low[:-3] + "y",)
        elif low.endswith("s") and not low.endswith("ss"):
            forms += (low[:-1],)
    return forms


def _match(doc: Doc, i: int, words: list[str]) -> Optional[list[Token]]:
    toks, j = [], i
    for w in words:
        while j < len(doc) and doc[j].is_punct and doc[j].text == "-":
            j += 1
        if j >= len(doc) or w not in _forms(doc[j]):
            return None
        toks.append(doc[j])
        j += 1
    return toks


def _condition_holds(toks: list[Token], condition: str) -> bool:
    if not condition:
        return True
    sent = sent_of(toks[0])
    lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    for cond in condition.split(";"):
        kind, _, arg = cond.partition(":")
        options = set(arg.split("|"))
        if kind == "ctx" and not (lemmas & options):
            return False
        if kind == "noctx" and lemmas & options:
            return False
        if kind == "pos" and toks[0].pos_ != arg:
            return False
    return True


def _recalled_elsewhere(events: list[Event], recalled: set[str]) -> list[Event]:
    """ "A hospital ... after the gas attack": a definite noun told as what came before,
    with no place of its own, names the event of that kind the article tells in full,
    before or after it; it becomes a mention of that event."""
    out = []
    for e in events:
        full = next((o for o in events if e.id in recalled and o.id not in recalled and o.id != e.id
                     and o.sub_type == e.sub_type), None)
        if full is None:
            out.append(e)
            continue
        if e.span != full.span and e.span not in full.mentions:
            full.mentions.append(e.span)
    return out


def _no_event_of_its_own(head: Token, trig: _Trigger) -> Optional[str]:
    """Why the trigger's phrase names no event of its own (``nlp.event_cues``), or None:
    a group named by what happened to it, an episode or a series named as a whole, a
    stance towards an agreement, a hypothetical or planned event named by its noun, a
    weapon bought or held, a purpose ("in order to kill"), filming ("shot footage")."""
    return (event_cues.group_described(head, EVENTS.casualty_verbs) or event_cues.episode_named(head)
            or event_cues.series_of(head, bool(_DAY.search(sent_of(head).text)))
            or event_cues.campaign_of(head)
            or (event_cues.agreement_stance(head) if trig.sub_type == "Agreement" else None)
            or (event_cues.things_seized(head) if trig.sub_type in TERRITORY_SUBTYPES else None)
            or event_cues.ongoing(head, bool(_DAY.search(sent_of(head).text)))
            or event_cues.unrealised_noun(head) or event_cues.weapons_traded(head)
            or event_cues.purpose(head) or event_cues.filming(head) or event_cues.kind_of_people(head))


def _refers_back(head: Token, sub_type: str, earlier: list[Event]) -> bool:
    """'The ceasefire collapsed': a definite noun naming the same kind of event as one
    already found is that event again, not a new one."""
    if head.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        return False
    return any(e.sub_type == sub_type for e in earlier)


def _told_again(head: Token, trig: _Trigger, earlier: list[Event]) -> Optional[Event]:
    """ "Activists also reported the killing": a bare definite generic noun is the violence
    told before (the nearest earlier violent event), which this sentence mentions again;
    its other words (where the activist comes from) are not that event's place.  With a
    complement of its own ("the killing of two activists") it tells a new one."""
    if trig.sub_type != GENERIC or head.pos_ != "NOUN":
        return None
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        return None
    if any(c.dep_ in ("prep", "nummod", "acl", "relcl", "amod", "compound") for c in head.children):
        return None
    prior = [e for e in earlier if e.sub_type in VIOLENT_SUB_TYPES and e.span.start < head.idx]
    return max(prior, key=lambda e: e.span.start, default=None)


def _referred(head: Token, trig: _Trigger, earlier: list[Event]) -> Optional[Event]:
    """'At least 126 people were killed in the attack': a definite generic noun ("the
    attack", "the blast", "the assault") after a specific event names that event (the
    nearest before it), not a new one of a sub-type guessed from the sentence."""
    if trig.sub_type != GENERIC:
        return None
    definite = lambda t: t.pos_ == "NOUN" and t.lemma_.lower() in EVENTS.back_nouns and any(  # noqa: E731
        c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its", "their") for c in t.children)
    if not (definite(head) or any(definite(t) for t in sent_of(head))):  # "... killed in the attack"
        return None
    prior = [e for e in earlier if e.sub_type in VIOLENT_SUB_TYPES and e.span.start < head.idx]
    return max(prior, key=lambda e: e.span.start, default=None)


def _state_or_unspecified(head: Token) -> Optional[str]:
    """Why a trigger noun names no event of its own, or None: a state ("a city under
    attack", "under fire"), or a bare plural that names unspecified incidents as a
    cause or time ("announced after protests", "arrested for riots"): no article, no
    modifier, nothing that says which, where or when."""
    if head.pos_ != "NOUN" or head.dep_ != "pobj":
        return None
    prep = head.head.lower_
    if prep == "under" and not any(c.dep_ in ("det", "amod", "compound", "poss", "nummod") for c in head.children):
        return f"a state ('under {head.text}'), not an event"
    if prep in ("after", "for", "amid", "over", "following", "since") and head.tag_ == "NNS" \
            and not list(head.children):
        return f"unspecified incidents named as a cause or time ('{prep} {head.text}'), not an event told"
    return None


def _motive(head: Token) -> bool:
    """'in response to the attacks', 'in retaliation for the shelling': the trigger
    names why the sentence's own event happened, an event the article has already
    told (callers check that one exists); it is no new event."""
    if head.dep_ != "pobj" or head.head.lower_ not in ("to", "for"):
        return False
    return head.head.head.lemma_.lower() in EVENTS.motive_nouns


# -- modality ---------------------------------------------------------------------


def _unreal(head: Token, claim: Optional[Claim]) -> Optional[str]:
    """Why this trigger is not an event that happened, or None.

    The check stays inside the trigger's own clause: a modal in a neighbouring
    clause ("there will be chaos after X launched strikes") says nothing about X.
    It follows infinitives up to the verb they complete ("threatened to launch").
    """
    if claim is not None and claim.act in ("threaten", "deny") and not claim.negated:
        return {"threaten": "a threat: inside a threatening claim", "deny": "a denial: inside a denying claim"}[claim.act]
    if head.pos_ == "VERB" and head.dep_ in ("acl", "amod") and head.tag_ == "VBG" \
            and head.lemma_.lower() not in EVENTS.casualty_verbs:
        # "a force fighting X" describes; "shells ... killing five civilians" reports deaths
        return "a participle describing something ('a force fighting X')"
    if head.pos_ == "VERB" and head.dep_ == "amod" and head.tag_ == "VBN" and head.head.i == head.i + 1 \
            and not any(c.dep_ in ("dobj", "agent", "prep", "nsubj", "nsubjpass") for c in head.children):
        # "bodies next to charred buses", "the torched shops": the state a thing is in, not the telling
        return "a past participle describing a thing's state ('charred buses')"
    if any(c.dep_ == "neg" or (c.lower_ in ("no", "never") and c.dep_ in ("det", "neg")) for c in head.children):
        return "negated"
    verb = head
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb and verb.dep_ not in ("ROOT",):
        verb = verb.head
    for _ in range(3):
        children = list(verb.children)
        if any(c.dep_ == "neg" for c in children):
            return "negated"
        if any(c.lower_ in EVENTS.modals_unreal and c.tag_ == "MD" for c in children):
            return "modal"
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in children):
            return "conditional"
        if verb.tag_ == "VBG" and any(c.lower_ == "been" for c in children) and any(c.lower_ in ("have", "has", "had") for c in children):
            return "an ongoing state ('have been fighting'), not a discrete event"
        if verb.dep_ == "xcomp" and verb.head is not verb:
            verb = verb.head
            if verb.lemma_.lower() in EVENTS.unreal_heads:
                return f"under '{verb.text}'"
            continue
        break
    if verb.lemma_.lower() in EVENTS.unreal_heads and verb is not head:
        return f"under '{verb.text}'"
    return None


_SINCE = re.compile(
    r"\bsince\s+then\b|\bsince\b(?:(?!\b(?:on|at)\b)[^.;]){0,60}?\b(?:war|conflict|uprising|revolt|revolution|crisis|insurgency|"
    r"began|begun|started|start|erupted|broke out|outbreak|beginning|intervened|(?:19|20)\d\d|last year|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)\b", re.I)
_OVER_PERIOD = re.compile(
    r"\b(?:over|in|during|throughout|within)\s+(?:the\s+)?(?:past|last|previous|first)?\s*"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|few)\s+(?:days|weeks|months|years)\b"
    r"|\b(?:over|during|throughout)\s+the\s+(?:past|last|previous|recent)\s+(?:days|weeks|months|years)\b"
    r"|\bso far\s+(?:this\s+)?(?:year|month)\b"
    r"|\bfrom\s+(?:[a-z]+\s+)?(?:19|20)\d\d\s+(?:to|until|till|through)\b"
    r"|\b(?:during|over|throughout|in)\s+(?:the|its|their|a)\s+(?:\w+-)?(?:day|week|month|year)-long\s+(?:campaign|offensive|siege|operation|battle|war)\b"
    r"|\b(?:in|during|throughout)\s+(?:the|this|its|[a-z]+(?:'s)?)\s+(?:(?:\w+|multi-front)\s+)?(?:civil\s+)?"
    r"(?:war|conflict|uprising)\b", re.I)


# "this year", "last month": the period of a count ("12 killed this year"), but the date of a
# one-off change ("captured the town last month", "troops pulled out last year").
_THIS_PERIOD = re.compile(r"\b(?:this|last)\s+(?:year|month)\b", re.I)
# Sub-types told once, not counted: a period beside them dates them.
ONE_OFF_SUB_TYPES = frozenset({"Non-state actor overtakes territory", "Government regains territory",
                               "Non-violent transfer of territory", "Agreement", "Arrests",
                               "Headquarters or base established"})


def _dropped(sent, trig: _Trigger, reason: str) -> Dropped:
    first, last = trig.tokens[0], trig.tokens[-1]
    text = text_of(sent.doc)
    return Dropped(kind="event", span=Span(sent.start_char, sent.end_char, sent.text), reason=reason,
                   trigger=Span(first.idx, last.idx + len(last.text), text[first.idx:last.idx + len(last.text)]),
                   sub_type=None if trig.sub_type == GENERIC else trig.sub_type)


def _context(sent, head: Token, sub_type: Optional[str] = None) -> Optional[str]:
    """Why the trigger tells context rather than an event, or None: a running total over
    a period, or a war's cumulative toll ("a conflict that has killed more than N",
    "the war's death toll", "since the start of the uprising").  ACLED and UCDP code
    one event per place and day; these span thousands of them, and their figures
    summed over a few hundred articles reach millions."""
    if _running_total(sent, head, one_off=sub_type in ONE_OFF_SUB_TYPES):
        return "cumulative toll: a count over a period ('since ...', 'over the past ...', 'in the war'), context not an event"
    if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in EVENTS.casualty_verbs and _cumulative_sentence(sent):
        # "Some 90,000 have died, and many more fled, since the insurgency began": the
        # period may hang on a conjoined verb, outside the trigger's own clause
        return "cumulative toll: the sentence counts the dead over the whole war, context not an event"
    if _war_sized(sent, head):
        return (f"cumulative toll: {WAR_SIZED:,} or more dead told in the perfect with no day of its own "
                "('have been killed'), a war's total, context not an event")
    habit = _habitual(head)
    if habit is not None:
        return f"a habit, not one event: '{habit}' on the trigger's verb"
    war = _war_subject(head)
    if war is not None:
        return f"cumulative toll: '{war.text}' is a war or conflict as a whole, context not an event"
    for node in head.ancestors:
        if node.dep_ in ("relcl", "acl") and node.head.lemma_.lower() in context_nouns() and _cumulative_sentence(sent):
            # "the war, which began with protests in 2011, has killed 300,000": how the war began
            return f"background: told of the '{node.head.text}' as a whole, in a sentence of its cumulative toll"
    return None


@functools.lru_cache(maxsize=1)
def habitual_words() -> dict[str, str]:
    """word -> kind ("adverb" or "times") of the words that tell a habit (``event_habitual.tsv``)."""
    return {r[0].lower(): r[1] for r in lexicon.rows("event_habitual.tsv") if len(r) >= 2 and r[0] and r[1]}


def _habitual(head: Token) -> Optional[str]:
    """The words that make the trigger a habit ("is regularly hit by air strikes", "have
    attacked the town several times"), or None: on the verb of the trigger's clause."""
    verb = head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and verb.dep_ != "ROOT":
        verb = verb.head
    words = habitual_words()
    for c in verb.children:
        if c.dep_ == "advmod" and words.get(c.lower_) == "adverb":
            return c.text
        if c.lemma_.lower() == "time" and c.dep_ in ("npadvmod", "advmod", "dobj"):
            count = next((g for g in c.children if words.get(g.lower_) == "times"), None)
            if count is not None:
                return f"{count.text} {c.text}"
    return None


_DAY = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|overnight)\b"
                  r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
                  r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b(?!\d)", re.I)
# A toll this large, told in the perfect ("have been killed") with no day of its own, is a
# war's running total: single events of the wars ACLED codes stay far below it, while the
# totals that background paragraphs repeat are in the tens or hundreds of thousands.
WAR_SIZED = 1000


def _war_sized(sent, head: Token) -> bool:
    """"More than N people have been killed and millions displaced": no period named, but
    the perfect, no date in the sentence, and a war-sized count."""
    if head.lemma_.lower() not in EVENTS.casualty_verbs | {"death", "dead", "toll"}:
        return False
    return _war_sized_sentence(sent)


HISTORIC_DAYS = 366  # older than a year before the article: history, not the news


def _historic_toll(fatal: Optional[Fatalities], day: Optional[str], source: Optional[str],
                   published: Optional[date]) -> Optional[str]:
    """Why a war-sized toll dated by its own sentence long before the article is background,
    or None: "the 1982 uprising in which 20,000 died" recalls history; a story tells it
    to explain today's news, and ACLED codes no such event from it."""
    if fatal is None or fatal.best is None or fatal.best < WAR_SIZED or source != "text" or not day \
            or published is None:
        return None
    try:
        then = date.fromisoformat((day[:4] + "-12-31") if len(day) == 4 else (day[:7] + "-28") if len(day) == 7
                                  else day[:10])
    except ValueError:
        return None
    if (published - then).days <= HISTORIC_DAYS:
        return None
    return (f"background: a toll of {fatal.best:,} (war-sized) told of {day}, more than a year before the "
            "article, history recalled, not an event")


def _war_sized_sentence(sent) -> bool:
    perfect = any(t.lower_ in ("has", "have", "had") and t.dep_ == "aux" for t in sent) or \
        any(t.lemma_.lower() == "bring" for t in sent)
    if not perfect or _DAY.search(sent.text):
        return False  # a day of its own ("on Monday", "March 3"): a recent event's count
    counts = [q.low for q in quantities.find(sent, []) if q.what == "killed" and q.low is not None]
    return bool(counts) and max(counts) >= WAR_SIZED


def _cumulative_sentence(sent) -> bool:
    """The sentence states a war's running total beyond the trigger's own clause: a
    "since <the war / a year>" on a killing verb or a verb conjoined with it ("have been
    killed and displaced since the war began"), or a war as the subject of a killing.
    (A period like "last month" elsewhere in the sentence dates another clause.)"""
    text = text_of(sent.doc)
    for tok in sent:
        if tok.lower_ != "since" or not _SINCE.match(text, tok.idx):
            continue
        # the verb the period is said of, and the verbs it is conjoined with or completes
        verb = tok.head if tok.dep_ == "prep" else tok.head.head if tok.dep_ == "mark" else None
        near = [verb] if verb is not None else []
        while near and near[-1].dep_ in ("conj", "advcl") and near[-1].head.i != near[-1].i and len(near) < 4:
            near.append(near[-1].head)
        if verb is not None:
            near += [c for c in verb.children if c.dep_ == "conj"]
        if any(v.lemma_.lower() in EVENTS.casualty_verbs for v in near):
            return True
    return any(tok.lemma_.lower() in EVENTS.casualty_verbs and tok.pos_ == "VERB" and _war_subject(tok) is not None
               for tok in sent)


def _war_subject(head: Token) -> Optional[Token]:
    """The war or conflict a trigger is said of: its subject ("the war has killed"), the
    noun a relative clause on it hangs from ("a conflict that has killed"), or the owner
    of its toll ("the war's death toll")."""
    wars = context_nouns()
    verb = head
    if head.pos_ in ("VERB", "AUX"):
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.lemma_.lower() in wars:
            return subj
        node = verb
        while node.dep_ == "conj" and node.head.i != node.i:
            node = node.head
        if node.dep_ in ("relcl", "acl") and node.head.lemma_.lower() in wars:
            return node.head
    for tok in _own_clause(head):
        if tok.lemma_.lower() == "toll" and any(c.dep_ == "poss" and c.lemma_.lower() in wars for c in tok.children):
            return next(c for c in tok.children if c.dep_ == "poss")
    return None


@functools.lru_cache(maxsize=1)
def context_nouns() -> frozenset[str]:
    """Nouns naming a war as a whole (``event_context.tsv``): what they killed is a cumulative toll."""
    return frozenset(r[0].lower() for r in lexicon.rows("event_context.tsv") if r and r[0])


def _running_total(sent, head: Optional[Token] = None, one_off: bool = False) -> bool:
    """A toll over a period ("since the conflict began", "over the past two days", "in the war").

    ACLED and UCDP code one event per place and day: a running total spans
    many events, and its figure is no single event's toll.  Given the
    trigger (``head``), only its own clause counts: in "after militias
    expelled them last month, Al-Qaeda attacked the town, killing 17" the
    period belongs to the clause before (headline and lead often run
    together in scraped text).
    """
    tokens = _own_clause(head) if head is not None else list(sent)
    text = text_of(sent.doc)
    if any(_OVER_PERIOD.match(text, tok.idx) or (not one_off and _THIS_PERIOD.match(text, tok.idx))
           for tok in tokens):
        return True
    # "since" on the verb ("have been killed since the war began"), not on a noun ("its stronghold since 2014");
    # as a clause of its own on the trigger's verb ("killed ... since the war started in 2011")
    if head is not None:
        root = _clause_root(head)
        tokens = tokens + [c for c in root.children if c.dep_ == "advcl" and c.i > root.i
                           for c in c.children if c.dep_ == "mark" and c.lower_ == "since"]
    return any(_SINCE.match(text, tok.idx) for tok in tokens
               if tok.lower_ == "since" and (tok.head.pos_ in ("VERB", "AUX")))


CLAUSE_DEPS = ("advcl", "ccomp", "relcl", "acl", "xcomp", "conj", "parataxis")


def _own_clause(head: Token) -> list[Token]:
    """The tokens of the trigger's clause, without the other clauses hung on it."""
    root = _clause_root(head)
    inside = {t.i for t in sent_of(head)}
    out, stack = [], [root]
    while stack:
        tok = stack.pop()
        if tok.i not in inside:
            continue
        out.append(tok)
        for child in tok.children:
            if child.dep_ in CLAUSE_DEPS and child.pos_ in ("VERB", "AUX") and head not in child.subtree:
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _attach_toll_claims(doc: Doc, claims: list[Claim], events: list[Event], places: list[Place],
                        times: list[Time]) -> None:
    """Tolls given by other sources, further down, are about the story's event.

    "Homs governor Talal al-Barazi gave a toll of 31 killed", "hospitals have
    documented the deaths of 43 people", "Anadolu reported 15 deaths": a
    second source's count, in a sentence with no event of its own, is that
    source's account of the event the article leads with (UCDP and the
    FA-KES gold keep one figure per source).  Such a claim is attached to
    the article's first violent event (``event.claim_ids``; ``within`` gives the claim its side)
    unless its sentence is a running total or names its own day or place:
    then it is about something else ("killed 12 in May", "in Homs last year").
    """
    lead = next((e for e in sorted(events, key=lambda e: e.span.start)
                 if e.sub_type in VIOLENT_SUB_TYPES and e.span.start < LEAD_WINDOW), None)
    if lead is None:
        return
    attached = {cid for e in events for cid in e.claim_ids}
    for claim in claims:
        if claim.id in attached or claim.span.start < lead.span.end:
            continue
        if not any(q.what == "killed" and q.low and q.low < WAR_SIZED for q in claim.quantities):
            continue  # no death count, or only a war's ("the war has killed 470,000"): not the lead's toll
        span = doc.char_span(claim.span.start, claim.span.end, alignment_mode="expand")
        if span is None:
            continue
        sentence = sent_of(doc[span.start])
        if _running_total(sentence):
            continue
        lo, hi = sentence.start_char, sentence.end_char
        if any(lo <= t.span.start < hi and t.value and t.precision in CALENDAR_PRECISIONS
               and not _same_day(t.value[:10], lead.date) and not (lead.date or "").startswith(t.value[:7])
               for t in times):
            continue  # a day or month of its own ("in May"): another event
        own = [p for p in places if lo <= p.span.start < hi and p.kind != "country"]
        if own and (lead.place is None or all(p.name != lead.place.name for p in own)):
            continue
        lead.claim_ids.append(claim.id)


# The lead: headline and first paragraph, where a wire story tells its event.
LEAD_WINDOW = 500
DISAGREEING = word_set("claim_words.tsv", "disagreeing") | word_set("events.tsv", "disagreeing_nouns")
CLAIM_WORDS = word_sets("claim_words.tsv")


def _near(tok: Token) -> list[Token]:
    """The words a disagreeing word says it of: its head, its children, its head's children, and
    the objects of its prepositions ("discrepancies between the figures")."""
    return [tok.head, *tok.children, *tok.head.children,
            *(g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj")]


def _attach_conflicting_tolls(doc: Doc, events: list[Event]) -> None:
    """A sentence saying the casualty figures disagree ("the discrepancies in the casualty
    figures could not be reconciled", "activists gave differing tolls"), told on its own
    with no event or claim of its own, is about the toll of the event the article leads
    with: it becomes a mention of that event, where linking reads that the reports'
    own words call the event's tolls disputed (the FA-KES status convention)."""
    lead = next((e for e in sorted(events, key=lambda e: e.span.start)
                 if e.sub_type in VIOLENT_SUB_TYPES and e.span.start < LEAD_WINDOW), None)
    if lead is None:
        return
    told = [(m.start, m.end) for e in events for m in (e.span, *e.mentions)]
    for sent in doc.sents:
        if sent.start_char < lead.span.end or any(a < sent.end_char and sent.start_char < b for a, b in told):
            continue
        words = {t.lower_ for t in sent}
        if not (words & EVENTS.toll_words):
            continue
        if any(t.lower_ in DISAGREEING and any(n.lemma_.lower() in CLAIM_WORDS.account_nouns for n in _near(t)) for t in sent):
            lead.mentions.append(Span(sent.start_char, sent.end_char, sent.text))


def _denier_s_version(claims: list[Claim], head: Token, holding: Optional[Claim]) -> Optional[str]:
    """"The army denied any role, saying its jets hit a rebel arms depot": the clause after the
    denial, the same speaker's statement, is the denier's own account of the disputed event, no
    new event; the disputed one is told elsewhere and marked so.  ``holding``: the claim
    that holds the trigger (``_claim_holding``, which the caller has already found)."""
    sent = sent_of(head)

    def counters(c: Claim) -> bool:
        # "denied any role, saying ...": the same speaker's next statement of the sentence (an
        # accusation there, "accused the army of staging the attack", tells the event disputed)
        return c.act == "deny" and not c.negated and holding is not None and holding is not c \
            and holding.act == "assert" and holding.speaker is not None and c.speaker is not None \
            and holding.speaker.name == c.speaker.name and c.span.start < holding.span.start \
            and sent.start_char <= c.span.start and holding.span.end <= sent.end_char
    denial = next((c for c in claims if counters(c)), None)
    if denial is None:
        return None
    return f"a denial's counter-account: inside the denial '{denial.span.text[:60]}'"


def _claim_holding(claims: list[Claim], char: int) -> Optional[Claim]:
    inner = [c for c in claims if c.span.start <= char < c.span.end]
    return min(inner, key=lambda c: len(c.span), default=None)


# -- actors ---------------------------------------------------------------------------


def _actors(head: Token, resolver: SpeakerResolver, claim: Optional[Claim]) -> tuple[Optional[Actor], Optional[Actor]]:
    agent = _agent(head)
    target = _target(head)
    if agent is not None and agent.ent_type_ in ("DATE", "TIME"):
        agent = None
    if agent is not None and _alternatives(agent):
        agent = None  # "by Syrian warplanes or those of Russia": competing perpetrators, none named
    if agent is not None and claim is not None and claim.speaker is not None and _first_person(agent):
        # "our soldiers fought", "we struck": inside a claim, the speaker's own side.
        own_side = replace(claim.speaker, name=claim.speaker.name, span=Span(agent.idx, agent.idx + len(agent.text), agent.text),
                           reason=f"'{agent.text}' in {claim.speaker.name}'s words: {claim.speaker.reason}")
        return own_side, (resolver.resolve(target, remember=False) if target is not None else None)
    inside = resolver.in_words_of(claim.speaker) if claim is not None else resolver
    a1 = inside.resolve(agent, remember=False) if agent is not None else None
    a2 = resolver.resolve(target, remember=False) if target is not None else None
    # a1 comes from the agent, a2 from the target: each is None when its token is
    if a1 is not None and agent is not None and a1.party == "unknown":
        a1 = None if agent.pos_ == "PRON" else a1
    if a1 is not None and agent is not None and a1.kind is None and agent.lemma_.lower() in EVENTS.non_state_agents:
        # "rebel fire", "terrorists fired shells": no party, but not the state's forces
        a1 = replace(a1, kind="armed group", reason=f"'{agent.text}' names a non-state armed actor")
    if a2 is not None and target is not None and a2.party == "unknown" and target.lemma_.lower() not in lexicon.roles() \
            and target.ent_type_ not in ("ORG", "NORP", "PERSON") and target.pos_ != "PROPN":
        a2 = None  # "seized control", "hit targets": a thing, not an actor
    if a2 is None or a2.party == "unknown":
        victim = (_civilians(target) if target is not None else None) or _casualty_victims(head)
        if victim is not None:
            a2 = victim
    if a2 is not None and a2.party == "unknown" and target is not None and not a2.role and (
            (target.ent_type_ == "PERSON" and a2.kind in (None, "person")) or a2.kind == "person"):
        # "X and Y were arrested", "Z was shot dead": a person the text gives no side,
        # title or force is a civilian (ACLED's Civilians actor for named victims)
        a2 = replace(a2, party="civilians", kind="civilians",
                     reason=f"'{target.text}': a named person of no side, a civilian victim or target")
    if a2 is not None and a2.party == "civilians" and (over := arrested_over_violence(head)) is not None:
        # "police arrested 30 people in connection with the riots": the suspects of crowd
        # violence are its rioters (ACLED), not civilians
        a2 = replace(a2, party="rioters", kind="rioters",
                     reason=f"'{a2.name}' arrested over '{over.text}': suspects of crowd violence, rioters")
    return _fallen_sides(head, a1, a2, resolver, claim)


def _fallen_sides(head: Token, a1: Optional[Actor], a2: Optional[Actor], resolver: SpeakerResolver,
                  claim: Optional[Claim]) -> tuple[Optional[Actor], Optional[Actor]]:
    """The sides whose fighters the sentence counts among the dead or wounded.

    "12 army soldiers and 20 rebel fighters were killed in battles": with no attacker
    named, two sides that lost fighters are the two that fought (in the order told).
    "One of its soldiers was killed in a car bomb": a side's fallen are the target."""
    known = (None, "", "unknown", *NOBODYS_SIDE)
    sides: list[Actor] = []
    enemies = []
    for noun in fallen_combatants(head, EVENTS.casualty_verbs):
        found = _combatant_side(noun, resolver, claim)
        if found is not None and found.party not in known and all(s.party != found.party for s in sides):
            sides.append(found)
        if noun.lemma_.lower() in EVENTS.non_state_agents and (found is None or side_of(found) != "state"):
            enemies.append(noun)
    speaker = claim.speaker if claim is not None else None
    if enemies and (a1 is None or a1.party in known) and speaker is not None and side_of(speaker) == "state" \
            and not _first_person(enemies[0]):
        # "the army said 11 militants were killed in clashes": a state's forces telling of
        # enemy fighters killed, by no one named, tell of their own fight
        a1 = replace(speaker, span=None, reason=f"{speaker.name} tells of {enemies[0].text} killed, "
                                                f"by no one named: its own forces' fight ({speaker.reason})")
    if len(sides) >= 2 and (a1 is None or a1.party in known):
        first, second = sides[:2]
        return (replace(first, reason=f"{first.reason}; its fighters and those of {second.party} fell: "
                                      f"the two sides that fought"),
                replace(second, reason=f"{second.reason}; its fighters and those of {first.party} fell: "
                                       f"the two sides that fought"))
    if a2 is None or a2.party in (None, "", "unknown"):
        lost = next((s for s in sides if a1 is None or s.party != a1.party), None)
        if lost is not None:
            return a1, replace(lost, reason=f"target: its fighters fell ({lost.reason})")
    return a1, a2


def _combatant_side(noun: Token, resolver: SpeakerResolver, claim: Optional[Claim]) -> Optional[Actor]:
    """The side of fallen fighters: "its soldiers" in a side's own words are that side's;
    else their phrase's name, nationality or side word ("regime soldiers", "rebel fighters")."""
    span = Span(noun.idx, noun.idx + len(noun.text), noun.text)
    speaker = claim.speaker if claim is not None else None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is not None and owner.lower_ in ("its", "our", "their") and speaker is not None \
            and speaker.party not in (None, "", "unknown", *NOBODYS_SIDE):
        return replace(speaker, span=span, reason=f"'{owner.text} {noun.text}' in {speaker.name}'s words: its own")
    inside = resolver.in_words_of(speaker) if claim is not None else resolver
    found = inside.resolve(noun, remember=False)
    if found is not None and found.party not in (None, "", "unknown", *NOBODYS_SIDE):
        return found
    for word, side, party in _side_words(noun):
        if side != "state" and party:
            return Actor(name=noun.text, party=party, kind="armed group", span=span,
                         reason=f"'{word}' names the {side} side")
        country = getattr(inside, "article_country", None)
        if side == "state" and country and (alpha3 := countries.alpha3(country)) is not None:
            return Actor(name=noun.text, party=alpha3, country=country, kind="state force", span=span,
                         reason=f"'{word}' names the forces of the state the article is about ({country})")
    return None


def _perpetrator_told_again(event: Event, head: Token, resolver: SpeakerResolver, claim: Optional[Claim],
                            events: list[Event]) -> None:
    """"Air strikes hit the town. The raid, thought to have been flown by Russian
    jets, killed ...": a later mention that names the perpetrator the first telling left
    out gives it to the event (a perpetrator already named is kept).  Only the mention of
    the violent event told last before it: "the strike" paragraphs after another event may
    be that other one's."""
    if event.actor1 is not None and event.actor1.party not in (None, "", "unknown"):
        return
    if event.type not in VIOLENT_TYPES or not event.span.start < head.idx or any(
            event.span.start < e.span.start <= head.idx for e in events if e is not event):
        return
    actor1, _ = _actors(head, resolver, claim)
    actor1 = _side_actor(head, actor1, event.place, resolver)
    if actor1 is not None and actor1.party not in (None, "", "unknown", *NOBODYS_SIDE):
        event.actor1 = replace(actor1, reason=f"told again: {actor1.reason}")


@functools.lru_cache(maxsize=1)
def agent_words() -> dict[str, tuple[str, str]]:
    """lemma -> (side, party code) of words naming a perpetrator's side (``event_agents.tsv``)."""
    out = {}
    for r in lexicon.rows("event_agents.tsv"):
        r = (r + ["", "", ""])[:3]
        if r[0] and r[1]:
            out[r[0].lower()] = (r[1], r[2])
    return out


def _side_words(tok: Token) -> list[tuple[str, str, str]]:
    """(word, side, party) of the side words in a perpetrator's phrase ("regime bombs",
    "government helicopters", "Russian and government air strikes"), outermost first."""
    words = agent_words()
    phrase = [t for t in tok.subtree if t.i <= tok.i] if tok.pos_ in ("NOUN", "PROPN") else [tok]
    out = []
    for t in phrase:
        for form in (t.lemma_.lower(), t.lower_, f"{t.lemma_.lower()} {t.head.lemma_.lower()}" if t.head.i == t.i + 1 else ""):
            if form in words:
                out.append((t.text, *words[form]))
                break
    return out


def _side_actor(head: Token, actor1: Optional[Actor], place: Optional[Place], resolver: SpeakerResolver) -> Optional[Actor]:
    """The perpetrator when its phrase names only its side.

    "barrel bombs dropped by government helicopters", "regime bombs", "troops
    shelled": a state's unnamed forces are those of the state where the event
    happened (ACLED's "Military Forces of <country>").  "Rebels attacked", "a mob
    torched": the side's code (``event_agents.tsv``).  And a phrase that names an
    opposition ("an opposition commander", "rebel forces") is never the state,
    whatever else it names."""
    agent = _agent(head)
    if agent is None or _alternatives(agent):
        return actor1
    found = _side_words(agent)
    if not found:
        return actor1
    opposed = next((f for f in found if f[1] != "state"), None)
    if opposed is not None:
        word, side, party = opposed
        if actor1 is not None and side_of(actor1) in ("state", "foreign state"):
            return replace(actor1, party=party or "unknown", kind="armed group", country=None,
                           reason=f"'{word}' names a side against the state ({side}), never the state itself")
        if actor1 is None or actor1.party in (None, "", "unknown"):
            return Actor(name=agent.text, party=party or "unknown", kind="armed group",
                         span=Span(agent.idx, agent.idx + len(agent.text), agent.text),
                         reason=f"'{word}' names the {side} side")
        return actor1
    if actor1 is not None and actor1.party not in (None, "", "unknown"):
        return actor1
    word = found[0][0]
    nation = next((t for t in agent.lefts if t.dep_ in ("amod", "compound") and countries.lookup(t.text)), None)
    if nation is not None:
        # "Russian jets", "Turkish troops": the forces of the state the phrase names
        country, alpha3 = countries.lookup(nation.text) or (None, None)
        return Actor(name=agent.text, party=alpha3 or "unknown", country=country, kind="state force",
                     span=Span(agent.idx, agent.idx + len(agent.text), agent.text),
                     reason=f"'{nation.text} {word}': the forces of the state it names")
    country, alpha3 = _state_where(place, resolver)
    if alpha3 is None:
        return actor1
    return Actor(name=agent.text, party=alpha3, country=country, kind="state force",
                 span=Span(agent.idx, agent.idx + len(agent.text), agent.text),
                 reason=f"'{word}' names the forces of the state where it happened ({country})")


def _state_where(place: Optional[Place], resolver) -> tuple[Optional[str], Optional[str]]:
    """(alpha-2, alpha-3) of the state where an event happened: its place's country, else
    the article's."""
    country = place.country if place is not None and place.country else getattr(resolver, "article_country", None)
    return country, (countries.alpha3(country) if country else None)


def _civilians(tok: Token) -> Optional[Actor]:
    """A noun naming civilians ("nine people", "four children", "worshippers") as
    ACLED's Civilians actor: who they are is the phrase, their side is nobody's."""
    words = lexicon.victims()
    lemma = tok.lemma_.lower()
    compound = " ".join(t.lemma_.lower() for t in tok.lefts if t.dep_ == "compound") + " " + lemma
    if tok.pos_ not in ("NOUN", "PROPN") or (lemma not in words and compound.strip() not in words):
        return None
    if any(c.dep_ in ("amod", "compound") and (c.ent_type_ == "ORG" or lexicon.actor(c.text) is not None)
           for c in tok.children) and lemma != "civilian":
        return None  # "Afghan villagers" are civilians; "Taliban men", "Hamas members" are a side's people
    start = min(t.idx for t in [tok, *tok.lefts] if t.dep_ in ("nummod", "amod", "compound", "quantmod", "det")
                or t is tok)
    end = tok.idx + len(tok.text)
    text = text_of(tok.doc)[start:end]
    return Actor(name=text, party="civilians", kind="civilians", span=Span(start, end, text),
                 reason=f"civilian victims: '{text}'")


def _casualty_victims(head: Token) -> Optional[Actor]:
    """The civilians a casualty verb of the trigger's sentence counts: "..., killing nine
    people", "four children were among the dead", "two farmers died"."""
    for tok in sent_of(head):
        if tok.lemma_.lower() == "fire" and tok.head.lemma_.lower() == "open":
            # "opened fire on worshippers": the prepositional object is the target
            preps = [c for t in (tok, tok.head) for c in t.children if c.dep_ == "prep" and c.lower_ in ("on", "at")]
            for found in (_civilians(g) for p in preps for g in p.children if g.dep_ == "pobj"):
                if found is not None:
                    return found
        if tok.lemma_.lower() not in EVENTS.casualty_verbs or tok.pos_ != "VERB":
            continue
        if tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBD"):  # (the tagger may call the participle a past tense)
            # "a teacher killed in the blast", "two farmers wounded by shrapnel": the noun the
            # participle describes is the victim
            found = _civilians(tok.head)
            if found is not None:
                return found
        deps = ("nsubj",) if tok.lemma_.lower() == "die" else ("dobj", "nsubjpass")
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "with" and _along(child):
                # "a union leader killed along with nine other workers": those killed with him
                found = next((f for g in child.children if g.dep_ == "pobj" and (f := _civilians(g))), None)
                if found is not None:
                    return found
            if child.dep_ in deps:
                noun = child
                if noun.lemma_.lower() in ("dozen", "hundred", "score") or noun.like_num:
                    noun = next((g for c in noun.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"), noun)
                found = _civilians(noun)
                if found is not None:
                    return found
    return None


def _alternatives(tok: Token) -> bool:
    """A phrase that names one of several ("X or Y", "either X or Y"): no perpetrator is
    named when the text names competing ones (records-dev convention, ACLED's too)."""
    around = [tok]
    while around[-1].dep_ in ("conj", "pobj", "amod", "compound", "poss") and len(around) < 4:
        around.append(around[-1].head)  # "Syrian warplanes or Russian jets": up to the coordination
    if any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for t in around for c in t.children):
        return True
    # "not known whether the raid was flown by X": an attribution in doubt
    verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    return verb is not None and any(c.dep_ == "mark" and c.lower_ == "whether" for c in verb.children)


def _no_place(actor: Optional[Actor], places: list[Place]) -> Optional[Actor]:
    """"rebels captured Jisr al-Shughour": a target the parse took for a named person but that
    is a place the article names is ground, not a civilian victim."""
    if actor is None or actor.span is None or actor.party != "civilians" or actor.kind != "civilians":
        return actor
    a, b = actor.span.start, actor.span.end
    if any(p.span.start < b and a < p.span.end for p in places):
        return None
    return actor


def _along(with_: Token) -> bool:
    """ "along with", "together with": the people named after it share the fate told."""
    before = next((t for t in reversed(with_.doc[max(0, with_.i - 3):with_.i]) if not t.is_space), None)
    return before is not None and before.lower_ in ("along", "together")


def _first_person(tok: Token) -> bool:
    words = {t.lower_ for t in tok.subtree} if tok.pos_ != "PRON" else {tok.lower_}
    return bool(words & {"we", "our", "us"})


def _agent(head: Token) -> Optional[Token]:
    if head.lemma_.lower() in EVENTS.agent_nouns or head.lower_ in EVENTS.agent_nouns:
        return head  # "gunmen opened fire": the trigger is the actor
    found = _agent_by_role(head)
    if found is not None:
        return found
    # "X claimed responsibility for the attack"
    for tok in sent_of(head):
        if tok.lemma_.lower() == "responsibility" and tok.head.lemma_.lower() in ("claim", "take", "accept"):
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                return subj
    return None


def _agent_by_role(head: Token) -> Optional[Token]:
    """Who acts: the subject of a trigger verb, the nationality or owner of a trigger
    noun ("Pakistani airstrikes", "Pakistan's strikes"), the subject of the light verb
    that carries a trigger noun ("the Taliban launched drone strikes")."""
    if head.pos_ in ("VERB", "AUX"):
        verb = head
        for _ in range(3):
            for c in verb.children:
                if c.dep_ == "nsubj":
                    # "the raid, carried out by Russian jets, killed ...", "regime bombs killed":
                    # the subject is the attack itself, and who carried it out is its own agent
                    if _is_attack_noun(c) and (inner := _agent_by_role(c) or _pobj(by_agent(verb))) is not None:
                        return inner
                    return c
                if c.dep_ == "agent":
                    return next((g for g in c.children if g.dep_ == "pobj"), None)
            if verb.dep_ != "conj":
                break
            verb = verb.head  # "X killed soldiers and seized outposts": seized shares X
        if not _is_attack_word(head) \
                or not any(c.dep_ in ("compound", "amod", "poss") for c in head.children):
            return None
        # "reported government airstrikes on ...": a trigger noun the tagger read as a verb
        # still carries its modifiers; they say whose it is, as a noun's do
    for c in head.children:
        if c.lower_ in _trigger_words():
            continue  # "Barrel bombs", "Car bomb": the weapon's own words, never who used it
        if c.dep_ == "poss" or (c.dep_ in ("amod", "compound") and (countries.lookup(c.text) or c.ent_type_ in ("NORP", "ORG")
                                                                   or c.lemma_.lower() in EVENTS.non_state_agents
                                                                   or c.lemma_.lower() in agent_words())):
            return c
    if (wielder := instrument_verb(head)) is not None:
        return _agent_by_role(wielder)  # "rebels attacked army posts with two car bombs"
    own_by = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "by"), None)
    if own_by is not None and (who := _pobj(own_by)) is not None:
        return who  # "part of a wider offensive by X": the trigger's own by-phrase, before any "of" above it
    while head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # "fired rocket shells": the phrase's head noun carries the verb
    while head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ in ("NOUN", "NUM", "PRON"):
        head = head.head.head  # "fired dozens of mortar rounds", "a barrage of rockets"
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "by":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
        if c.dep_ == "acl":  # "barrel bombs dropped by government helicopters"
            by = by_agent(c)  # "a raid thought to have been flown by X"
            if by is not None:
                return next((g for g in by.children if g.dep_ == "pobj"), None)
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ == "VERB":
        # the same, parsed as the weapon being the subject of "dropped ... by"
        by = by_agent(head.head)
        if by is not None:
            return next((g for g in by.children if g.dep_ == "pobj"), None)
    verb = head.head
    if head.dep_ in ("dobj", "nsubjpass") and verb.lemma_.lower() in EVENTS.light_verbs:
        for c in verb.children:
            if c.dep_ == "nsubj":
                return c
    if head.dep_ == "nsubj":
        return None
    return None


def _pobj(prep: Optional[Token]) -> Optional[Token]:
    return next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None


def _is_attack_word(tok: Token) -> bool:
    return tok.lower_ in _attack_nouns() or tok.lemma_.lower() in _attack_nouns()


def _is_attack_noun(tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and _is_attack_word(tok)


def _target(head: Token) -> Optional[Token]:
    """Against whom: 'strikes against X', 'attacked X', 'offensive on X', 'the blast killed X',
    'X was killed', 'attacked X with car bombs'."""
    if (verb := instrument_verb(head)) is not None and verb.pos_ == "VERB":
        return _target(verb)
    if head.pos_ == "VERB":
        passive_subject = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        if passive_subject is not None and passive_subject.ent_type_ not in ("GPE", "LOC", "DATE"):
            return passive_subject
    if head.dep_ == "nsubj" and head.head.lemma_.lower() in EVENTS.harm_verbs:
        obj = next((c for c in head.head.children if c.dep_ == "dobj"), None)
        if obj is not None:
            return obj
    holders = [head]
    if head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in EVENTS.light_verbs:
        holders.append(head.head)
    for h in holders:
        for c in h.children:
            # "recaptured the town from Boko Haram": whom territory is taken from
            taken_from = c.lower_ == "from" and h.lemma_.lower() in EVENTS.taking_verbs
            if c.dep_ == "prep" and (c.lower_ in ("against", "on", "targeting") or taken_from):
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.ent_type_ not in ("GPE", "LOC", "DATE"):
                    return pobj
        if h is head:  # a verb's object, or a gerund's the tagger took for a noun ("the regime bombing X")
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None and obj.ent_type_ not in ("GPE", "LOC"):
                return obj
    return None


def _holder(head: Token, place: Optional[Place], resolver: SpeakerResolver) -> Optional[Actor]:
    """The side whose ground the event hits, when its target phrase says who held it: "captured
    government-held positions", "shelled rebel-held districts", "strikes on IS-controlled
    areas".  A side word names its side (``event_agents.tsv``: the state where it happened
    for "government", "regime", "army"); a name is resolved as any actor."""
    target = _target(head)
    if target is not None:
        phrase = list(target.subtree)
    elif head.lemma_.lower() in EVENTS.taking_verbs:
        phrase = _own_clause(head)  # the ground taken: whoever held it is the loser
    else:
        return None
    for tok in phrase:
        if tok.lemma_.lower() not in EVENTS.holding_verbs or tok.dep_ not in ("amod", "acl", "compound") or tok.i == head.i:
            continue
        who = next((c for c in tok.children if c.dep_ in ("npadvmod", "compound", "nmod", "amod") and c.i < tok.i), None)
        if who is None and tok.i > 0 and tok.doc[tok.i - 1].text == "-" and tok.i > 1:
            who = tok.doc[tok.i - 2]
        if who is None and tok.dep_ == "acl":
            who = _pobj(by_agent(tok))  # "villages held by the Islamic State"
        if who is None:
            continue
        words = agent_words()
        side = words.get(who.lemma_.lower()) or words.get(who.lower_)
        first, last = (who, tok) if who.i < tok.i else (tok, who)
        span = Span(first.idx, last.idx + len(last.text), text_of(tok.doc)[first.idx: last.idx + len(last.text)])
        if side is not None and side[0] == "state":
            country, alpha3 = _state_where(place, resolver)
            if alpha3 is not None:
                return Actor(name=alpha3, party=alpha3, country=country, kind="state force", span=span,
                             reason=f"target: '{span.text}', the ground of the state where it happened ({country})")
        elif side is not None and side[1]:
            return Actor(name=who.text, party=side[1], kind="armed group", span=span,
                         reason=f"target: '{span.text}', the ground of the {side[0]} side")
        else:
            found = resolver.resolve(who, remember=False)
            if found is not None and found.party not in (None, "", "unknown", "civilians", "independent"):
                return replace(found, span=span, reason=f"target: '{span.text}', the ground its holder holds")
    return None


def _target_from_place(place: Place, actor1: Actor) -> Optional[Actor]:
    """A state acting on another state's soil acts against that state."""
    if not place.country or actor1.country == place.country or actor1.kind not in STATE_KINDS:
        return None
    alpha3 = countries.alpha3(place.country)
    if alpha3 is None or alpha3 == actor1.party:
        return None
    return Actor(name=alpha3, party=alpha3, country=place.country, kind="state force",
                 reason=f"target: the state where the event took place ({place.name})")


GENERIC = "*violent*"
VIOLENT_TYPES = event_merge.VIOLENT_TYPES
MIN_CLASSIFIER_PROB = 0.5  # below this the classifier is guessing; the actors decide instead
VIOLENT_SUB_TYPES = tuple(
    sub for typ in VIOLENT_TYPES for sub in ACLED_TYPES[typ]
)


def _sub_type(trig: _Trigger, text: str, actor1: Optional[Actor], actor2: Optional[Actor],
              places: list[Place]) -> tuple[str, str]:
    """The trigger's own sub-type; for generic violence words ("attack", "killed") the
    sentence classifier chooses among violent sub-types, reading ``text`` (the sentence
    without the phrases that tell other events, ``_without``)."""
    if trig.sub_type == IED and trig.head.lemma_.lower() in EVENTS.dropped_weapons and _state_bombs(trig.head, actor1):
        return "Air/drone strike", f"'{trig.head.text}' of a state's forces: dropped from aircraft, not an IED"
    if trig.sub_type != GENERIC:
        return _refine(trig.sub_type, actor1, places), "trigger lexicon"
    from .event_types import predict

    sub, prob = predict(text, among=VIOLENT_SUB_TYPES)
    if sub is not None and prob >= MIN_CLASSIFIER_PROB:
        return _refine(sub, actor1, places), f"sentence classifier p={prob:.2f}"
    armed = any(a is not None and a.kind in STATE_KINDS | {"armed group"} for a in (actor1, actor2))
    return ("Armed clash" if armed else "Attack"), "violence word; the actors decide"


@functools.lru_cache(maxsize=1)
def default_actors() -> dict[str, tuple[str, str, str]]:
    """sub-type -> (party, kind, target) its perpetrators and targets are by ACLED's codebook
    (``event_default_actors.tsv``; party "state": the state where it happened)."""
    return {r[0]: (r[1], r[2], (r + [""])[3]) for r in lexicon.rows("event_default_actors.tsv")
            if len(r) >= 3 and r[0] and r[1]}


def _default_actor(sub_type: str, place: Optional[Place] = None, resolver=None) -> Optional[Actor]:
    """"a mob torched shops": rioters by ACLED's codebook, when the text names no one else;
    "two men were arrested": the police of the state where it happened."""
    found = default_actors().get(sub_type)
    if found is None:
        return None
    if found[0] == "state":
        country, alpha3 = _state_where(place, resolver)
        if alpha3 is None:
            return None
        return Actor(name=alpha3, party=alpha3, country=country, kind=found[1] or "state force",
                     reason=f"ACLED codes an unattributed {sub_type} as by the forces of the state where it "
                            f"happened ({country})")
    return Actor(name=found[0], party=found[0], kind=found[1] or None,
                 reason=f"ACLED codes the perpetrators of {sub_type} as {found[0]}")


def _default_target(sub_type: str) -> Optional[Actor]:
    """"houses were set ablaze by a mob": against civilians, by ACLED's codebook for the sub-type."""
    found = default_actors().get(sub_type)
    if found is None or not found[2]:
        return None
    return Actor(name=found[2], party=found[2], kind=found[2],
                 reason=f"ACLED codes the target of {sub_type} as {found[2]} when the text names none")


IED = "Remote explosive/landmine/IED"
NOBODYS_SIDE = ("independent", "civilians")


def _state_bombs(head: Token, actor1: Optional[Actor]) -> bool:
    """Bombs a state's forces used ("regime bombs", "bombs dropped by government
    helicopters", "killed by army bombs"): in the wars ACLED codes, a state's bombs fall
    from its aircraft; IEDs are planted by non-state groups."""
    if actor1 is not None and side_of(actor1) in ("state", "foreign state"):
        return True
    agent = _agent(head)
    if agent is not None and any(side == "state" for _w, side, _p in _side_words(agent)):
        return True
    return any(t.lemma_.lower() in ("drop", "warplane", "helicopter", "aircraft", "jet") for t in sent_of(head))


@dataclass
class _Told:
    """A sentence whose own trigger names its place or its date."""

    start: int
    word: str
    day: Optional[str]
    precision: str
    dated: bool  # the date is said in the sentence, not the publication date
    places: list[Place]
    since: bool = False  # the day starts a period ("since Wednesday"): later sentences keep their own


def _told(triggers: list[_Trigger], places: list[Place], times: list[Time], published: Optional[date]) -> list[_Told]:
    """The sentences whose trigger names its own place or date, in text order.

    A story names the place and day of its event once, in the lead, and goes on
    without them ("Seven soldiers died in the fighting", "The battle lasted four
    hours").  Those sentences take the day of the event told before them (not
    the publication date, a day or more later) and the place of that day's
    event (not the dateline, which is where the reporter files from, often the
    capital).  See ``_day_told_before`` and ``_place_told_before``.
    """
    out: list[_Told] = []
    seen: set[int] = set()
    for trig in sorted(triggers, key=lambda t: t.tokens[0].i):
        head = trig.head
        if sent_of(head).start_char in seen or _unreal(head, None) or _before_or_after(head):
            continue  # what came before the event ("after a chemical attack in X") is not where it was
        aside = [r for r in _background_spans(sent_of(head)) if not r[0] <= head.idx < r[1]]
        own = _places_for(head, [p for p in places if not any(a <= p.span.start < b for a, b in aside)])
        day, precision, reason = _date_for(head, times, published)
        dated = _date_source(reason) == "text"
        if own or dated:
            seen.add(sent_of(head).start_char)
            out.append(_Told(sent_of(head).start_char, trig.tokens[0].text, day, precision, dated, own,
                             dated and _starts_period(head, times)))
    return out


# How far before publication a day told earlier in the story may lie for a sentence
# without one to share it: a week covers "on Friday" in Thursday's paper; older
# days are background ("in March"), and the sentence keeps the publication date.
TOLD_DAY_WINDOW = DAY_WINDOW  # one reach for a day told before and a day told next (``lead_day``)


def _day_told_before(told: list[_Told], start: int, published: Optional[date]) -> Optional[_Told]:
    """The nearest earlier sentence that says its event's day, if that day is recent."""
    for t in reversed(told):
        if t.start >= start or not t.dated:
            continue
        if t.precision != "day" or published is None or not t.day or t.since:
            return None
        try:
            gap = (published - date.fromisoformat(t.day[:10])).days
        except ValueError:
            return None
        return t if 0 <= gap <= TOLD_DAY_WINDOW else None
    return None


def _place_told_before(told: list[_Told], start: int, day: Optional[str]) -> Optional[_Told]:
    """The nearest earlier sentence naming the place of an event of the same day (one
    day either side: "overnight"), or None: background told in between ("last year in
    Homs") is passed over, and a background event keeps no place it does not name."""
    for t in reversed(told):
        if t.start < start and t.places and _same_day(day, t.day):
            return t
    return None


def _same_day(a: Optional[str], b: Optional[str]) -> bool:
    if not a or not b:
        return False
    if len(a) == len(b) == 10:
        try:
            return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 1
        except ValueError:
            return False
    return a == b


def _article_place(doc: Doc, places: list[Place]) -> Optional[Place]:
    """Where an article's events happen when a sentence names no place: its dateline
    ("KABUL, March 3 -"), the wire convention for where the reporting is from.
    (The most-named town was tried too, and put background events in the wrong city.)"""
    located = [p for p in places if p.lat is not None and p.kind != "country"]
    if not located:
        return None
    first = located[0]
    if first.span.start < 40 and text_of(doc)[first.span.end : first.span.end + 3].lstrip()[:1] in (",", "(", "-", "\u2014", "\u2013"):
        return replace(first, precision="dateline", reason=f"dateline '{first.span.text}'")
    return None


def _lead_place(sent, places: list[Place]) -> Optional[Place]:
    """A lead sentence's event that names no place of its own happens where the headline
    says ("Forces press the militants near X. Several villages were captured ..."): the
    first town the article names, when it and the sentence are in the lead."""
    if sent.start_char >= LEAD_WINDOW:
        return None
    for p in places:
        if p.span.start >= min(sent.start_char, LEAD_WINDOW):
            return None
        if p.lat is None or p.kind in ("country", "province", "region"):
            continue
        span = sent.doc.char_span(p.span.start, p.span.end, alignment_mode="expand")
        if span is not None and any(a <= p.span.start < b for a, b in _background_spans(span.sent)):
            continue  # "hours after a gas attack in X": another event's town
        return p
    return None


def _told_again_where(event: Event, head: Token, places: list[Place], times: list[Time],
                      published: Optional[date]) -> None:
    """A sentence that tells ``event`` again ("The bomber detonated his vest late Monday in a
    mosque in X town") may say where and when more finely than the lead did: a town
    inside the event's province or country, a stated day where the event had only the
    publication date.  The event takes them, and its reason says so."""
    finer = finer_inside(event.place, _places_for(head, places))
    if finer is None and event.place is None:
        finer = first_town(_places_for(head, places))
    if finer is not None:
        event.place = finer
        event.reason = f"{event.reason}; place: '{finer.span.text}', where a later sentence tells it again"
    if event.date_source in ("published", "said"):
        day, precision, why = _date_for(head, times, published)
        if _date_source(why) == "text" and precision == "day" and day and published is not None \
                and 0 < (published - date.fromisoformat(day[:10])).days <= TOLD_DAY_WINDOW:
            event.date, event.date_precision, event.date_source = day[:10], "day", "text"
            event.reason = f"{event.reason}; date: {why}, where a later sentence tells it again"


def _refine(sub_type: str, actor1: Optional[Actor], places: list[Place]) -> str:
    """Territory changes depend on who takes it.  ACLED's codebook: "Government
    regains territory" is a government regaining control of its own ground;
    "Non-state actor overtakes territory" is a non-state group, *or a foreign
    state's forces*, acquiring control of a location.  So a state taking ground
    in another state (its outposts, its towns) overtakes territory."""
    if sub_type not in TERRITORY_SUBTYPES or actor1 is None:
        return sub_type
    if actor1.kind in STATE_KINDS:
        foreign = any(p.country and actor1.country and p.country != actor1.country for p in places)
        return "Non-state actor overtakes territory" if foreign else "Government regains territory"
    return "Non-state actor overtakes territory"


# -- place, date, casualties ---------------------------------------------------------------


def _km(a: Place, b: Place) -> float:
    """The distance between two located places (``_places_for`` keeps only those)."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None, \
        "a located place has coordinates"
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def _places_for(head: Token, places: list[Place]) -> list[Place]:
    """Places attached to the trigger's clause: 'in Kandahar', 'hitting Kabul', 'targets in Pakistan'."""
    if head.pos_ == "NOUN" and head.dep_ == "pobj" and head.head.lower_ not in EVENTS.event_place_preps \
            and head.head.dep_ != "agent":  # "killed by regime bombs in X": the passive's agent, the verb's places
        # "in response to the attacks": a noun in an adverbial phrase has only its own places.
        clause = head
    else:
        clause = _clause_root(head)
    lo = min(t.idx for t in clause.subtree)
    hi = max(t.idx + len(t.text) for t in clause.subtree)
    sent = sent_of(head)
    inside = [p for p in places if lo <= p.span.start and p.span.end <= hi and p.lat is not None]
    if not inside and (clause is not head or clause.dep_ == "relcl" or _there(clause)):
        # ("the town of X, once a stronghold, was captured": a relative clause's place is its
        # antecedent's; "a kiosk was set on fire there": the place the sentence named)
        inside = [p for p in places if sent.start_char <= p.span.start < sent.end_char and p.lat is not None]
    attached = [p for p in inside if _attached(head.doc, p)]
    chosen = _without_reference_points(head.doc, attached)
    # the most precise places: drop a country when a town in it is named too
    precise = [p for p in chosen if p.kind != "country"]
    if precise:
        kept_countries = {p.country for p in precise}
        chosen = precise + [p for p in chosen if p.kind == "country" and p.country not in kept_countries]
    # and a province when a town in it is named ("Baga in Borno State" is one event, at Baga)
    towns = {(p.country, p.admin1) for p in chosen if p.kind not in ("country", "province", "region") and p.admin1}
    chosen = [p for p in chosen if not (p.kind in ("province", "region") and (p.country, p.admin1) in towns)]
    # and a name the text calls a district when a town is named with it ("the X town of Y
    # district"): the gazetteer may know the name only as the district's main town
    areas = [p for p in chosen if _area_word_after(head.doc, p)]
    if areas and len(areas) < len(chosen):
        chosen = [p for p in chosen if p not in areas or p.kind in ("country", "province", "region")]
    # and a town's part when the town is named too ("the X neighbourhood of Y" is one event, at Y)
    towns_named = [p for p in chosen if p.kind == "city"]
    chosen = [p for p in chosen if not (p.kind == "district" and any(
        _km(p, t) <= 30 for t in towns_named))]
    seen, out = set(), []
    for p in chosen:
        if p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out


def _area_word_after(doc: Doc, place: Place) -> bool:
    """The name is followed by a word for an administrative area ("Bharuch district"), or is
    one of a list such a word ends ("the Bharuch and Anand districts")."""
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None:
        return False
    for tok in doc[span.end: span.end + 6]:
        if tok.lower_ in EVENTS.area_words:
            return True
        if not (tok.lower_ in ("and", ",", "or") or tok.ent_type_ or tok.pos_ == "PROPN"):
            return False
    return False


def _there(clause: Token) -> bool:
    """The clause says "there": the place is one its sentence names elsewhere."""
    return any(c.dep_ == "advmod" and c.lower_ == "there" for c in clause.children)


def _without_reference_points(doc: Doc, places: list[Place]) -> list[Place]:
    """Drop the places a sentence names only to locate another one.

    "struck Jayrud, 60 kilometres northeast of Damascus": the strike was in
    Jayrud; Damascus is the reference point of a bearing.  A place after
    "<distance> <direction> of" is never where the event happened (it is
    that far away); one after a bare "<direction> of" ("Tall Tawil, north of
    Hasakeh") is dropped only when another place is attached, since
    "villages north of Aleppo" alone is best placed at Aleppo.
    """
    if not places:
        return places
    bearings = {id(p): _bearing(doc, p) for p in places}
    others = [p for p in places if bearings[id(p)] is None]
    return [p for p in places if bearings[id(p)] is None or (bearings[id(p)] == "direction" and not others)]


def _bearing(doc: Doc, place: Place) -> Optional[str]:
    """"distance" ("60 km north of X"), "direction" ("north of X") or None: how X is introduced."""
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None:
        return None
    node = span.root
    while node.dep_ in ("compound", "amod") and node.head.i != node.i:
        node = node.head  # "Hasakeh city"
    of = node.head
    if node.dep_ != "pobj" or of.lower_ != "of":
        return None
    direction = of.head
    if direction.lower_ not in EVENTS.compass:
        return None
    measured = any(t.lower_ in PLACES.distance_units for t in direction.children if t.i < direction.i) or any(
        t.lower_ in PLACES.distance_units for c in direction.children for t in c.subtree if t.i < direction.i)
    return "distance" if measured else "direction"


def _attached(doc: Doc, place: Place) -> bool:
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None:
        return False
    if named_area_of(span):
        return True  # "in an area of X province killing six": X is the area's, whatever the parse
    root = span.root
    node = root
    for _ in range(4):
        if node.dep_ == "pobj" and node.head.lower_ in EVENTS.event_place_preps:
            return True
        if node.dep_ in ("dobj", "npadvmod") and node.head.pos_ == "VERB" and node.head.lemma_.lower() in PLACES.assault_verbs:
            return True  # "shelled Aleppo" (the parser may hang the name as an adverbial)
        if node.dep_ == "compound" and place.kind not in ("country", None) and _names_event(node.head):
            return True  # "the X train massacre", "the X bombing": a town's name on an event says where
        if node.dep_ == "compound" and node.head.lemma_.lower() not in EVENTS.place_head_nouns:
            # "US-led coalition strikes", "U.S. missile strike": a name modifying the event
            # or its actor says who, not where ("Aleppo province", "Homs countryside" do say where)
            return False
        if node.dep_ in ("conj", "appos", "compound") or (
                node.dep_ == "amod" and node.head.lemma_.lower() in EVENTS.place_head_nouns) or (
                node.dep_ == "nmod" and any(c.dep_ == "conj" for c in node.children)):
            # ("on Aleppo and Deir Ezzor ... reporter": a list of places the parser hung on a noun)
            node = node.head  # "in Aleppo city": the parser may call the name an adjective of "city"
            continue
        break
    return False


def _names_event(tok: Token) -> bool:
    """The noun (or the noun its compound chain ends in) is an event word of the trigger
    lexicon ("massacre", "bombing", "attack")."""
    while tok.dep_ == "compound" and tok.head.i != tok.i:
        tok = tok.head
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in _attack_nouns() | _trigger_words()


def _clause_root(head: Token) -> Token:
    node = head
    while node.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "conj") and node.head.i != node.i:
        node = node.head
    return node


def _nationality_place(head: Token) -> list[Place]:
    """No place named: the country of the target, when the trigger's objects carry a
    nationality ("against the Pakistani military", "Pakistani military bases").
    Country precision only, and the reason says so."""
    from .gazetteer import Gazetteer

    while head.dep_ == "compound" and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # "a cruise missile attack on a Yemeni port": the phrase's head holds the target
    holders = [head] + ([head.head] if head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_.lower() in EVENTS.light_verbs else [])
    # Conjoined predicates share their ground: "killed dozens of Pakistani soldiers and seized 19 outposts".
    holders += [h.head for h in holders if h.dep_ == "conj" and h.head.pos_ in ("VERB", "AUX")]
    for h in holders:
        for tok in h.subtree:
            if tok.dep_ in ("amod", "compound") and tok.head.dep_ in ("pobj", "dobj", "conj") and tok.head is not head:
                if tok.head.lemma_.lower() in _attack_nouns():
                    continue  # "killed in U.S. raids": the nationality of an attack says who, not where
                if tok.head.pos_ == "PROPN" or tok.ent_type_ == "ORG" or any(a.dep_ == "agent" for a in tok.ancestors):
                    continue  # "captured by the Syrian Democratic Forces": a name's nationality, or the doer's, says who
                if tok.head.dep_ == "pobj" and tok.head.head.lower_ == "by":
                    continue  # "a massacre by the Russian air force": the perpetrator's, not the target's
                found = countries.lookup(tok.text)
                if found is None:
                    continue
                entry = Gazetteer.default().get(f"country:{found[0]}")
                if entry is None:
                    continue
                return [Place(span=Span(tok.idx, tok.idx + len(tok.text), tok.text), name=entry.name, kind="country",
                              lat=entry.lat, lon=entry.lon, country=entry.country, gazetteer_id=entry.id,
                              precision="country", reason=f"no place named; the target is '{tok.text} {tok.head.text}'")]
    return []


@functools.lru_cache(maxsize=1)
def _trigger_words() -> frozenset[str]:
    """Every word of the trigger lexicon's patterns ("barrel", "car", "suicide", "air")."""
    return frozenset(w for pattern, _sub, _cond in lexicon.triggers() for w in pattern.lower().split())


@functools.lru_cache(maxsize=1)
def _attack_nouns() -> frozenset[str]:
    """The head words of the trigger lexicon's patterns ("raid" of "air raid", "strike")."""
    return frozenset(pattern.split()[-1] for pattern, _sub, _cond in lexicon.triggers())


# _date_for's reasons when the sentence states no date (callers tell stated dates by them)
PUBLICATION_DATE, NO_DATE = "publication date", "no date"
STATEMENT_DAY = ", the day it was said (the event's, unless the story tells another)"  # ``times.statement_day``


def _date_source(reason: str) -> Optional[str]:
    """``Event.date_source`` for a ``_date_for`` reason: "said" for the day of a statement
    ("the monitor said Tuesday"), a fallback like the publication day that a day the story
    gives the event itself overrides (merging, ``_told_again_where``, linking)."""
    if reason.endswith(STATEMENT_DAY):
        return "said"
    return {PUBLICATION_DATE: "published", NO_DATE: None}.get(reason, "text")


DATELINE_WORDS = 4  # "Published", "Posted on", "Wed", "LONDON (Reuters) -"


def _dateline_date(text: str, time: Time) -> bool:
    """A date printed before the story ("Wed 05 Apr 2017 Syria attack ...", "Posted on
    July 20 2016 by ...") is the page's publication stamp, not the day of the event:
    the story's own "on Sunday" dates it (or the publication date does)."""
    before = text[: time.span.start]
    # A stamp is printed as a calendar date; "on Monday", "yesterday" are the story's own words.
    return time.precision == "day" and len(before.split()) <= DATELINE_WORDS and "." not in before \
        and any(ch.isdigit() for ch in time.span.text)


def _toll_update(sent) -> bool:
    """The sentence reports a toll changing ("the death toll rose to 112 on Sunday", "has
    climbed to 43", "a monitor said Sunday in a new toll"): its time expression dates the
    new count, not the event counted."""
    return any(tok.lemma_.lower() == "toll" and (
        (tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in quantities.QUANTITIES.toll_verbs)
        or any(c.lower_ in ("new", "updated", "latest", "revised") for c in tok.children)) for tok in sent)


def _dates_another_event(head: Token, time: Time) -> bool:
    """The time modifies a noun of another event ("arrested 62 in connection with the
    February 27 train carnage", "after the March 3 attack"): it dates that event, not the
    trigger, unless the trigger lies inside that noun's phrase."""
    span = head.doc.char_span(time.span.start, time.span.end, alignment_mode="expand")
    if span is None:
        return False
    node = span.root
    if node.dep_ not in ("nmod", "compound", "amod", "nummod") or node.head.pos_ != "NOUN":
        return False
    noun = node.head
    while noun.dep_ == "compound" and noun.head.pos_ == "NOUN" and noun.head.i != noun.i:
        noun = noun.head
    if noun.i == head.i or head in noun.subtree or (noun.dep_ == "pobj" and noun.head.head.i == head.i):
        return False  # "killed in the March 2 attack": the attack is the killing's own event
    if not any(c.dep_ in ("det", "poss") and c.i < node.i for c in noun.children):
        return False  # only "the <date> <event>" is a name-like phrase; "on Saturday killing" is a misparse
    return noun.lemma_.lower() in _attack_nouns() | _trigger_words() | TIMES.dated_event_nouns


TIMES = word_sets("times.tsv")


def _date_time(head: Token, times: list[Time], published: Optional[date] = None) -> Optional[Time]:
    """The time expression of the trigger's sentence that dates its event, or None."""
    sent = sent_of(head)
    text = text_of(head.doc)
    in_sent = [t for t in times if sent.start_char <= t.span.start < sent.end_char and t.value
               and t.precision in CALENDAR_PRECISIONS and not _dateline_date(text, t)
               and not page_stamp(text, t, published) and not _dates_another_event(head, t)]
    if in_sent and _toll_update(sent):
        in_sent = []  # "the death toll rose to 112 on Sunday": Sunday is the count's day, not the attack's
    return min(in_sent, key=lambda t: abs(t.span.start - head.idx)) if in_sent else None


_SINCE_BEFORE = re.compile(r"\bsince\s*$", re.I)


def _own_date(head: Token, times: list[Time], published: Optional[date]) -> bool:
    """The time that dates the trigger lies in the trigger's own phrase ("the February 27
    carnage", "Sunday's raid")."""
    best = _date_time(head, times, published)
    if best is None:
        return False
    lo = min(t.idx for t in head.subtree)
    hi = max(t.idx + len(t.text) for t in head.subtree)
    return lo <= best.span.start and best.span.end <= hi


def _starts_period(head: Token, times: list[Time]) -> bool:
    """The sentence's day is where a period starts ("fighting since Wednesday"), not one
    day's event: the story's later sentences tell the news of their own day."""
    best = _date_time(head, times)
    if best is None:
        return False
    text = text_of(head.doc)
    return bool(_SINCE_BEFORE.search(text[max(0, best.span.start - 12):best.span.start]))


def _date_for(head: Token, times: list[Time], published: Optional[date]) -> tuple[Optional[str], str, str]:
    best = _date_time(head, times, published)
    if best is not None:
        assert best.value is not None, "_date_time keeps times with a value"
        value = best.value[:10] if best.precision == "day" else best.value
        if statement_day(text_of(head.doc), best):
            return value, best.precision, f"'{best.span.text}'{STATEMENT_DAY}"
        return value, best.precision, f"'{best.span.text}' in the same sentence"
    if published is not None:
        return published.isoformat(), "day", PUBLICATION_DATE
    return None, "unknown", NO_DATE


def _casualties(head: Token, claim: Optional[Claim], dates: list[Span],
                rivals: Sequence[Token] = ()) -> tuple[Optional[Fatalities], Optional[Fatalities]]:
    """Deaths and injuries from the claim's numbers in the event's sentence, or the
    sentence's own when it is narration.  A claim's content can run over several
    sentences (a long quote, a statement's paragraphs); its other sentences count
    other things ("the war has killed 220,000"), not this event."""
    sent = sent_of(head)
    inside = [q for q in claim.quantities if sent.start_char <= q.span.start < sent.end_char] if claim else []
    # the claim's own counts, and the sentence's outside the claim's words ("A girl was killed
    # and a woman injured, according to a source" when the parse gives the source only the woman)
    qs = inside + [q for q in quantities.find(sent, dates) if claim is None or not (
        claim.span.start <= q.span.start < claim.span.end)]
    qs = [q for q in qs if _counts_for(head, q, rivals)]
    # "a leader was killed along with nine other workers": ten dead, the one the nine are others of too
    qs = [quantities.and_the_one(head.doc, q, qs) for q in qs]
    if qs and _war_sized_sentence(sent):
        qs = [q for q in qs if q.low is None or q.low < WAR_SIZED]  # the war's total, not this event's
    if qs and _cumulative_sentence(sent):
        # "a war which began with protests in 2011 has killed 300,000": the count is the
        # war's, told in another clause than this trigger's
        own = _clause_root(head).i
        qs = [q for q in qs if (sp := head.doc.char_span(q.span.start, q.span.end, alignment_mode="expand")) is not None
              and _clause_root(sp.root).i == own and not _running_total(sent, sp.root)]
    out: list[Optional[Fatalities]] = []
    for what in ("killed", "injured"):
        low, high = quantities.total(qs, what, head.doc)
        if low is None:
            out.append(None)
            continue
        src = [q.span.text for q in qs if q.what == what]
        out.append(Fatalities(low=low, best=low, high=high if high is not None else None,
                              reason=f"{what}: " + ", ".join(src)))
    return out[0], out[1]


def _counts_for(head: Token, quantity, rivals: Sequence[Token]) -> bool:
    """Whether a count in the sentence belongs to this trigger rather than to another one.

    "Airstrikes killed 85 civilians as fighting was underway": the 85 are the
    strikes' dead; the fighting is told in a clause of its own.  A count goes
    to the triggers of its own clause when some trigger shares that clause;
    when none does ("five people were killed when a shell hit the house") it
    goes to them all, as before.
    """
    doc = head.doc
    span = doc.char_span(quantity.span.start, quantity.span.end, alignment_mode="expand")
    if span is None or not rivals:
        return True
    if _before_or_after(head) and not all(_before_or_after(r) for r in rivals):
        return False  # "strikes kill 70 after rebel rocket attack": the attack came first, the 70 are the strikes'
    home = _clause_root(span.root).i
    if _clause_root(head).i == home:
        return True
    return not any(_clause_root(r).i == home for r in rivals)


def _background_spans(sent) -> list[tuple[int, int]]:
    """Character ranges of the sentence's phrases that tell what came before or around
    its event: "after a rebel rocket attack", "hours after a chemical attack left dozens
    dead", "amid fighting in Idlib"."""
    out = []
    for tok in sent:
        if tok.lower_ not in EVENTS.sequence_preps:
            continue
        if tok.dep_ == "prep" and any(c.dep_ in ("pobj", "pcomp") for c in tok.children):
            node = tok
        elif tok.dep_ == "mark" and tok.head.dep_ == "advcl":
            node = tok.head
        else:
            continue
        toks = list(node.subtree)
        out.append((min(t.idx for t in toks + [tok]), max(t.idx + len(t.text) for t in toks)))
    attacks = _attack_nouns()
    for tok in sent:
        # "hit a depot that had supplied the rocket attack on the port last year": a relative
        # clause on a target tells that target's past, another event's.
        if tok.dep_ != "relcl" or tok.head.pos_ not in ("NOUN", "PROPN") or tok.head.lemma_.lower() in attacks:
            continue
        toks = list(tok.subtree)
        if any(t.pos_ == "NOUN" and t.lemma_.lower() in attacks for t in toks):
            out.append((min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)))
    return out


def _without(sent, spans: list[tuple[int, int]]) -> str:
    """The sentence's text with the given character ranges left out."""
    text, cut = sent.text, sent.start_char
    for a, b in sorted(spans, reverse=True):
        text = text[: a - cut] + text[b - cut:]
    return " ".join(text.split())


def _before_or_after(head: Token) -> bool:
    """The trigger is told as what came before or around the main event ("after a rebel
    rocket attack", "amid shelling"): inside a phrase headed by such a preposition."""
    node = head
    for _ in range(4):
        if node.dep_ in ("pobj", "pcomp") and node.head.lower_ in EVENTS.sequence_preps:
            return True
        if node.dep_ in ("nsubj", "nsubjpass", "dobj") and node.head.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in EVENTS.sequence_preps for c in node.head.children):
            return True  # "hours after a chemical attack left dozens dead"
        if node.dep_ not in ("compound", "amod", "conj", "pobj", "pcomp", "prep") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _merge_same(events: list[Event]) -> list[Event]:
    """One event per (sub-type, place, date) and side in an article: later mentions add their claims.

    The side is ACLED's actor pair in brief: "government forces fired missiles at
    the area" and "rebels fired rockets at the capital" the same day are two events,
    though both are shelling of one city.  An event whose attacker is unknown joins
    either."""
    out: dict[tuple, Event] = {}
    for e in events:
        key: tuple[Optional[str], ...] = (e.sub_type, e.place.name if e.place else None, e.date)
        side = side_of(e.actor1)
        if side is not None and key in out and not compatible(side_of(out[key].actor1), side):
            key = key + (side,)
        if key not in out:
            out[key] = e
            continue
        kept = out[key]
        if e.span != kept.span and e.span not in kept.mentions:
            kept.mentions.append(e.span)
        for cid in e.claim_ids:
            if cid not in kept.claim_ids:
                kept.claim_ids.append(cid)
        if kept.actor1 is None:
            kept.actor1 = e.actor1
        if kept.actor2 is None:
            kept.actor2 = e.actor2
        if kept.fatalities is None:
            kept.fatalities = e.fatalities
    return list(out.values())
