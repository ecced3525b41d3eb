"""One record per real-world event per article: its mentions merged, their spans kept.

A wire story tells one strike three or four times: the headline ("Market blast
kills 9"), the lead ("A suicide bomber struck a crowded market on Friday in X,
killing nine"), the details paragraph ("the attacker detonated his vest near the
stalls") and a toll update ("the death toll rose to 12").  Each mention starts a candidate; ACLED
and UCDP code one event.  Two candidates are one event when they:

- carry the same sub-type, or two sub-types one story uses for one event
  (``event_merge.tsv``: a "blast" that the next sentence calls a suicide bombing,
  an "attack" that is an air strike); the merged record keeps the finer one;
- fall on the same day (a day the text states wins over the publication date,
  which a mention without a date of its own falls back to);
- happen at the same place: the same name, within ``SAME_PLACE_KM``, or one of
  them names no place or only the country (the lead named the town, the update
  did not), or only the province the other's town lies in;
- are not carried out by two different sides (``data.sides``): government air
  strikes and rebel shelling of one town on one day are two events.

Towns listed together ("strikes on A, B and C") keep one event each: their places
differ, and one trigger naming two towns names them apart however near they lie.  The merged record keeps every mention's sentence in ``mentions`` (the toll
may come from any of them, and a reader must be able to click to it), the union of
the claims that report it, the finest place, the stated date, and known actors over
unknown ones.  Its toll is the lead's, unless a later mention updates the toll
("rose to", "climbed to"), ACLED's rule of the latest count for one event.

A source's bare toll after the lead ("a clinic said it had counted 31 bodies";
``restatement``) joins the event told last before it whatever its sub-type
and figure: its figure stays its source's claim on the merged record.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import date
from typing import Optional

from ..data import sides
from ..records import Actor, Event, Place
from .event_places import same_name
from .gazetteer import distance_km
from .lexicon import rows

SAME_PLACE_KM = 25.0  # the gold's own tolerance for one place (shared/eval/README.md)
VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
FALLBACK_DAY_GAP = 1  # a mention dated only by publication may tell an event of the day before


@functools.lru_cache(maxsize=1)
def compatible_sub_types() -> dict[frozenset[str], str]:
    """{sub-type a, sub-type b} -> the one the merged record keeps (``event_merge.tsv``)."""
    out = {}
    for r in rows("event_merge.tsv"):
        if len(r) >= 3 and r[0] and r[1] and r[2]:
            out[frozenset((r[0], r[1]))] = r[2]
    return out


def kept_sub_type(a: str, b: str) -> Optional[str]:
    """The sub-type a merge of ``a`` and ``b`` keeps, or None when they are two events."""
    if a == b:
        return a
    return compatible_sub_types().get(frozenset((a, b)))


def merge_mentions(events: list[Event], toll_updates: frozenset[str] = frozenset(),
                   background: frozenset[str] = frozenset(), restated: frozenset[str] = frozenset()) -> list[Event]:
    """The events in text order, each real-world event's mentions merged into one record
    (the claims follow through ``Event.claim_ids``, which ``within`` reads).

    ``toll_updates``: ids of candidates whose sentence updates a toll ("rose to 30"):
    their count supersedes the lead's.  ``background``: ids of candidates told as what
    came before or around another ("12 killed hours after a gas attack in X"): such a
    candidate never joins the event of its own sentence, which it is not.  ``restated``: ids
    of candidates that only restate a toll through another source (``restatement``)."""
    kept: list[Event] = []
    for e in sorted(events, key=lambda e: (e.span.start, e.trigger.start if e.trigger else 0)):
        # the event told last before it: "Shelling in X killed three, the monitor said. A media
        # centre said four were killed" restates X's toll, not the lead's
        told = max((k for k in kept if restatement(k, e) and not _beside(k, e, background)),
                   key=_last_told, default=None) if e.id in restated else None
        if told is not None:
            kept[kept.index(told)] = _merge(told, e, False, keep_home=True)
            continue
        home = next((k for k in kept if same_event(k, e) and (e.id in toll_updates or not _own_account(k, e))
                 and not _beside(k, e, background)), None)
        if home is None:
            kept.append(e)
            continue
        kept[kept.index(home)] = _merge(home, e, e.id in toll_updates)
    return kept


def _beside(a: Event, b: Event, background: frozenset[str]) -> bool:
    """One of two candidates of one sentence is the other's background: two events."""
    spans = {a.span, *a.mentions}
    return b.span in spans and ((a.id in background) != (b.id in background))


def _own_account(a: Event, b: Event) -> bool:
    """``b`` gives a toll of its own, another than ``a``'s, from another source: a second
    account of the event (a hospital's "at least 8" beside the police's 9).  It stays
    a record of its own, as UCDP keeps one figure per source for the low-high range
    across them; the cross-article linker joins the two, each with its source.  A source's
    bare toll with no event noun or place of its own is no such account (``restatement``)."""
    if a.fatalities is None or b.fatalities is None or a.fatalities.best == b.fatalities.best:
        return False
    return set(a.claim_ids) != set(b.claim_ids)


def _last_told(e: Event) -> int:
    return max(s.start for s in (e.span, *e.mentions))


def restatement(story: Event, b: Event) -> bool:
    """``b``, a source's bare toll ("a clinic said it had counted 31 bodies",
    "the militia's channel put the dead at 55": a casualty word, no event noun,
    no place and no other-event cue of its own), is a mention of ``story``, a violent event
    told before on its day and at its place.  Neither its sub-type (read off the victims
    named) nor its different figure (``_own_account``) makes it another event: its figure
    stays its source's claim, which the merged record lists and the linker reads."""
    return story.type in VIOLENT_TYPES and story.sub_type not in TERRITORY_SUB_TYPES \
        and _same_day(story, b) and _same_place(story.place, b.place)


# ground taken or lost is no toll's event: a count of the dead beside it tells the fighting
TERRITORY_SUB_TYPES = ("Non-state actor overtakes territory", "Government regains territory")


def same_event(a: Event, b: Event) -> bool:
    """Whether two candidates of one article tell one real-world event (module docstring)."""
    if kept_sub_type(a.sub_type, b.sub_type) is None:
        return False
    if not _same_day(a, b) or not _same_place(a.place, b.place):
        return False
    if _listed_apart(a, b):
        return False
    if a.sub_type != b.sub_type and "Attack" not in (a.sub_type, b.sub_type) and not (
            _named(a.place) and _named(b.place)):
        # two kinds of weapon ("air strikes" here, "a chemical attack" there) are one event
        # only where both mentions name its place; a placeless mention of another kind may
        # tell another event of the day
        return False
    country = next((p.country for p in (a.place, b.place) if p is not None and p.country), None)
    if not sides.compatible(sides.side_of(a.actor1, country), sides.side_of(b.actor1, country)):
        return False
    pa, pb = _party(a.actor1), _party(b.actor1)
    return pa is None or pb is None or pa == pb


def _listed_apart(a: Event, b: Event) -> bool:
    """One trigger told of towns listed together ("air strikes on the towns of A and B"):
    one event per town, however near each other they lie (ACLED codes each town's own)."""
    if a.trigger is None or b.trigger is None or a.trigger != b.trigger:
        return False
    if not (_named(a.place) and _named(b.place)):
        return False
    assert a.place is not None and b.place is not None
    if a.place.name == b.place.name or "country" in (a.place.kind, b.place.kind):
        return False
    # listed: nothing but commas and "and" / "or" between the two names ("a village in
    # the X district" is one place inside another, one event)
    first, second = sorted((a.place.span, b.place.span), key=lambda s: s.start)
    text = a.span.text if a.span.start <= first.start and second.end <= a.span.end else None
    if text is None:
        return False
    between = text[first.end - a.span.start: second.start - a.span.start]
    return bool(_LIST_GAP.fullmatch(between))


_LIST_GAP = re.compile(r"(?:\s|,|;|\band\b|\bor\b|\bas well as\b)*", re.I)


def _party(actor: Optional[Actor]) -> Optional[str]:
    return actor.party if actor is not None and actor.party not in (None, "", "unknown") else None


def _same_day(a: Event, b: Event) -> bool:
    if a.date is None or b.date is None:
        return a.date is None and b.date is None
    if a.date[:10] == b.date[:10]:
        return True
    stated = lambda e: e.date_source in ("text", "context")  # noqa: E731
    if stated(a) and stated(b):
        return False
    try:
        gap = abs((date.fromisoformat(a.date[:10]) - date.fromisoformat(b.date[:10])).days)
    except ValueError:
        return False
    return gap <= FALLBACK_DAY_GAP


def _same_place(a: Optional[Place], b: Optional[Place]) -> bool:
    # a dateline is where the reporter files from, a fallback for a sentence naming no place
    if a is None or b is None or a.precision == "dateline" or b.precision == "dateline":
        return True
    if a.name == b.name:
        return True
    if a.kind == "country" or b.kind == "country":
        return bool(a.country) and a.country == b.country
    if (_province_only(a) or _province_only(b)) and a.admin1 and a.admin1 == b.admin1:
        # "the province of X" and a town of that province, or a village placed only at its
        # province: no distance tells them apart, as a country and its towns (the rule above)
        return True
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= SAME_PLACE_KM


def _province_only(p: Place) -> bool:
    """A province, or a place whose coordinates are only its province's (not in the gazetteer)."""
    return p.kind in PROVINCE_KINDS or p.precision == "admin1"


PROVINCE_KINDS = ("province", "region")


def _named(p: Optional[Place]) -> bool:
    return p is not None and p.precision != "dateline"


def _finer(a: Optional[Place], b: Optional[Place], same_toll: bool = False) -> Optional[Place]:
    """The more precise of two places of one event: a town over a country or a dateline; a town
    over its province when both mentions give the same toll (``same_toll``: "22 killed in X
    province", then "the bomber blew himself up in the village of Y killing 22"), the town being
    the finest populated place the text names for it (a town told with another figure, or none,
    may be where a part of the story happened, and the province stays)."""
    if a is None:
        return b
    if b is None:
        return a
    coarse, town = (a, b) if a.kind in PROVINCE_KINDS else (b, a)
    # a town bearing the province's own name ("in X" after "in X province") may mean either
    town_wins = same_toll and not same_name(coarse, town)
    rank = lambda p: (p.precision == "dateline", p.kind == "country", town_wins and p.kind in PROVINCE_KINDS)  # noqa: E731
    return b if rank(b) < rank(a) else a


def _same_toll(a: Event, b: Event) -> bool:
    return a.fatalities is not None and b.fatalities is not None and a.fatalities.best is not None \
        and a.fatalities.best == b.fatalities.best


def _better_actor(a: Optional[Actor], b: Optional[Actor]) -> Optional[Actor]:
    if a is None or (a.party in (None, "", "unknown") and b is not None and b.party not in (None, "", "unknown")):
        return b
    return a


def _merge(home: Event, other: Event, other_updates_toll: bool, keep_home: bool = False) -> Event:
    sub_type = home.sub_type if keep_home else kept_sub_type(home.sub_type, other.sub_type) or home.sub_type
    base, second = (home, other) if sub_type == home.sub_type else (other, home)
    mentions = []
    for span in (base.span, *base.mentions, second.span, *second.mentions):
        if span not in mentions:
            mentions.append(span)
    claims = list(dict.fromkeys([*home.claim_ids, *other.claim_ids]))
    stated = base if base.date_source == "text" else second if second.date_source == "text" else base
    counted = home if home.fatalities is not None else other
    if other_updates_toll and other.fatalities is not None:
        counted = other
    fatalities = counted.fatalities
    # the evidence is the sentence that gives the toll: a reader (and the cross-article
    # toll ranges, which read the count's source and wording there) must find it in it
    evidence = counted.span if counted.fatalities is not None else base.span
    injured = home.injured if home.injured is not None else other.injured
    status = "claimed" if "claimed" in (home.status, other.status) and claims else home.status
    return replace(
        base,
        span=evidence,
        mentions=[m for m in mentions if m != evidence],
        actor1=_better_actor(base.actor1, second.actor1),
        actor2=_better_actor(base.actor2, second.actor2),
        place=_finer(base.place, second.place, _same_toll(base, second)),
        date=stated.date,
        date_precision=stated.date_precision,
        date_source=stated.date_source,
        fatalities=fatalities,
        injured=injured,
        claim_ids=claims,
        status=status,
        reason=f"{base.reason}; merged with the mention '{second.trigger.text if second.trigger else second.span.text[:40]}'"
               f" ({second.sub_type}, same day and place)",
    )
