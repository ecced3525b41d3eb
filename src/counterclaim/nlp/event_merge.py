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
  did not);
- are not carried out by two different sides (``data.sides``): government air
  strikes and rebel shelling of one town on one day are two events.

Towns listed together ("strikes on A, B and C") keep one event each: their places
differ, and one trigger naming two towns names them apart however near they lie.  The merged record keeps every mention's sentence in ``mentions`` (the toll
may come from any of them, and a reader must be able to click to it), the union of
the claims that report it, the finest place, the stated date, and known actors over
unknown ones.  Its toll is the lead's, unless a later mention updates the toll
("rose to", "climbed to"), ACLED's rule of the latest count for one event.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import date
from typing import Optional

from ..data import sides
from ..records import Actor, Event, Place
from .event_places import finer_inside, same_name
from .gazetteer import distance_km
from .lexicon import rows

SAME_PLACE_KM = 25.0  # the gold's own tolerance for one place (shared/eval/README.md)
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
                   background: frozenset[str] = frozenset()) -> list[Event]:
    """The events in text order, each real-world event's mentions merged into one record
    (the claims follow through ``Event.claim_ids``, which ``within`` reads).

    ``toll_updates``: ids of candidates whose sentence updates a toll ("rose to 30"):
    their count supersedes the lead's.  ``background``: ids of candidates told as what
    came before or around another ("12 killed hours after a gas attack in X"): such a
    candidate never joins the event of its own sentence, which it is not."""
    kept: list[Event] = []
    for e in sorted(events, key=lambda e: (e.span.start, e.trigger.start if e.trigger else 0)):
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
    across them; the cross-article linker joins the two, each with its source."""
    if a.fatalities is None or b.fatalities is None or a.fatalities.best == b.fatalities.best:
        return False
    return set(a.claim_ids) != set(b.claim_ids)


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
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= SAME_PLACE_KM


def _named(p: Optional[Place]) -> bool:
    return p is not None and p.precision != "dateline"


def _finer(a: Optional[Place], b: Optional[Place]) -> Optional[Place]:
    """The more precise of two places of one event: a town over a country or a dateline."""
    if a is None:
        return b
    if b is None:
        return a
    if finer_inside(a, [b]) is not None and b.kind is not None and not same_name(a, b):
        return b  # "in X province" told again "in a hall in Y village": the village in it
    rank = lambda p: (p.precision == "dateline", p.kind == "country")  # noqa: E731
    return b if rank(b) < rank(a) else a


def _better_actor(a: Optional[Actor], b: Optional[Actor]) -> Optional[Actor]:
    if a is None or (a.party in (None, "", "unknown") and b is not None and b.party not in (None, "", "unknown")):
        return b
    return a


def _merge(home: Event, other: Event, other_updates_toll: bool) -> Event:
    sub_type = kept_sub_type(home.sub_type, other.sub_type) or home.sub_type
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
        place=_finer(base.place, second.place),
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
