"""Links and statuses inside one article, over records only.

An event reported by a claim whose speaker is not the event's actor (the
other side, or an independent source) is corroborated by it: an admission by
the side that suffered a strike, or a monitor's report, confirms it.  An event
whose only claim is denied is disputed, and so is an event its own side denies
("the government denied any responsibility": the denial denies the act told of
that side, and the account it gives instead contradicts it).  Cross-article linking (``link``'s
modules) builds on the same rules.

Why here: in-article linking is the last step of extraction, over one article's
records, so it lives in ``nlp`` (it was ``link/within.py``, which made ``nlp``
import ``link``, a crossing of the stage order).  It is also the one writer of
``claim.event_ids``: ``find_events`` records which claims report an event on
the event (``event.claim_ids``), and this module derives the claim's side from
it, once, after events are merged.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..data.lexicon import word_sets
from ..records import Claim, Event, Link

CLAIM_WORDS = word_sets("claim_words.tsv")


def link_within(claims: list[Claim], events: list[Event], denials: Sequence[Link] = ()) -> list[Link]:
    """Corroboration links from claims to the events they report, and event statuses.

    An event is corroborated when two sources stand behind it and one of them is
    not the side that acted: the narrator plus the other side ("Pakistani strikes
    hit Kabul" + the Taliban saying so), both sides, or an independent source.  One
    side's word alone is a claim, however often repeated.  ``denials``: the
    article's claim-to-claim links found with the claims ("Pakistan denied
    Mujahid's claims that ..."); an event whose claims are all denied is disputed.
    """
    links: list[Link] = []
    by_id = {c.id: c for c in claims}
    _sync_event_ids(claims, events)
    for event in events:
        reporters = [by_id[cid] for cid in event.claim_ids if cid in by_id]
        actor_party = event.actor1.party if event.actor1 else None
        sources = {c.speaker.party for c in reporters if c.speaker and c.speaker.party != "unknown"}
        if event.status == "reported":
            sources.add("narration")
        if len(sources) < 2 and "independent" not in sources:
            continue
        for claim in reporters:
            party = claim.speaker.party if claim.speaker else "unknown"
            if party == "unknown" or actor_party in (None, "unknown") or party == actor_party:
                continue
            who = "an independent source" if party == "independent" else f"{party}, not the actor {actor_party}"
            links.append(Link(claim.id, "corroborates", event.id, reason=f"reported by {who}"))
    links += _denied_events(claims, events, denials)
    _statuses(claims, events, [*denials, *links])
    return links


def _denied_events(claims: list[Claim], events: list[Event], denials: Sequence[Link]) -> list[Link]:
    """A side denying what its own side is said to have done ("the government denied any
    responsibility"): the denial that names no statement denies the nearest event told
    before it whose actor is the denier's side; the account the denier gives instead, in
    the same sentence ("..., saying its strikes hit a depot"), contradicts that event."""
    out: list[Link] = []
    answered = {link.source for link in denials if link.type == "denies"}
    for denial in claims:
        speaker = denial.speaker
        if denial.act != "deny" or denial.negated or denial.id in answered or speaker is None \
                or speaker.party in (None, "unknown", "independent") or standing_denial(denial):
            continue
        start = denial.cue.start if denial.cue is not None else denial.span.start
        told = [e for e in events if e.span.end <= start and e.actor1 is not None and e.actor1.party == speaker.party]
        if not told:
            continue
        event = max(told, key=lambda e: e.span.end)
        out.append(Link(denial.id, "denies", event.id,
                        reason=f"'{speaker.name}' denies an act told of its own side ({speaker.party})"))
        for other in claims:
            if other.id != denial.id and other.act == "assert" and other.speaker is not None \
                    and other.speaker.name == speaker.name and other.sentence is not None \
                    and denial.sentence is not None and other.sentence.start == denial.sentence.start \
                    and other.span.start > start:
                out.append(Link(other.id, "contradicts", event.id,
                                reason=f"'{speaker.name}' gives its own account of what it denies"))
    return out


def _sync_event_ids(claims: list[Claim], events: list[Event]) -> None:
    """Claims point at the events that survived merging, and only at those."""
    for claim in claims:
        claim.event_ids = [e.id for e in events if claim.id in e.claim_ids]


def _statuses(claims: list[Claim], events: list[Event], links: list[Link]) -> None:
    denied = {link.target for link in links if link.type == "denies"}
    disputed = {link.target for link in links if link.type in ("denies", "contradicts")}
    corroborated = {link.target for link in links if link.type == "corroborates"}
    for event in events:
        narrated = not event.claim_ids or event.status == "reported"
        if event.id in disputed or event.claim_ids and all(cid in denied for cid in event.claim_ids):
            event.status = "disputed"
        elif event.id in corroborated:
            event.status = "corroborated"
        elif narrated:
            event.status = "reported"
        else:
            event.status = "claimed"


def standing_denial(denial: Claim) -> bool:
    """The denial is of a practice, not of an act: "the government denies using barrel bombs",
    "the army has always denied targeting civilians".  What is denied is a verb in -ing with a
    bare plural and nothing that makes it one act (no article or possessive, no number, no name:
    "denied bombing the convoy", "denies its jets struck Atlin"); such a standing denial, told
    as background in many stories, disputes no event of the story."""
    words = denial.span.text.split()
    if not 2 <= len(words) <= 5 or not words[0].lower().endswith("ing") or not words[-1].lower().endswith("s"):
        return False
    rest = words[1:]
    return not any(w.lower() in CLAIM_WORDS.particular_words or re.search(r"\d", w) or w[:1].isupper() for w in rest)
