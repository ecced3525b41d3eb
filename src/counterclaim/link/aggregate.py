"""A cluster's aggregates from its members: place, days, toll range, outlets, status.

Pure functions over records: given the reports of one event cluster (or the
appearances of one claim cluster) they return the ``records`` cluster the
store keeps and the views show.  Recomputed whenever a member joins, so a
status always reflects every report linked so far.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Optional, Sequence

from ..records import SUB_TYPE_TO_TYPE, Claim, ClaimCluster, EventCluster, Link, Member, Place
from . import status as status_rules
from .claims import numbers, voice
from .events import _level, stated_day
from .reports import Report, reporting
from .tolls import toll_range

_LEVEL_RANK = {"point": 0, "admin1": 1, "country": 2}


def event_cluster(cluster_id: str, members: list[Member], reports: list[Report], links: Iterable[Link] = (),
                  speaking: Sequence[Claim] = (), facts: Optional[dict] = None, outlets=None) -> EventCluster:
    """The merged event: the most specific sub-type, the most precise place, the days, the range, the status.

    ``speaking``: claims about the event that report no member event (a
    denial published later); ``facts`` / ``outlets`` name their outlets.
    """
    reports = reporting(reports)
    sub_type = _sub_type(reports)
    place = _best_place(reports)
    days = _days(reports)
    toll = toll_range(reports)
    about = [(c, outlets.get((facts or {}).get(c.article_id, {}).get("source"),
                             (facts or {}).get(c.article_id, {}).get("url")).name if outlets else "?")
             for c in speaking]
    status = status_rules.event_status(reports, links, toll.conflict, about)
    evidence_outlets = sorted({r.outlet.name for r in reports})
    return EventCluster(
        id=cluster_id,
        type=SUB_TYPE_TO_TYPE.get(sub_type, "Strategic developments"),
        sub_type=sub_type,
        date_start=min(d[0] for d in days) if days else None,
        date_end=max(d[1] for d in days) if days else None,
        place=place.name if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        country=place.country if place else None,
        admin1=place.admin1 if place else None,
        fatalities=toll.fatalities,
        acled_fatalities=toll.acled,
        figures=[f.to_dict() for f in toll.figures],
        status=status.status,
        status_reason=status.reason,
        evidence=status.evidence,
        n_reports=len(reports),
        n_articles=len({r.article_id for r in reports}),
        n_outlets=len(evidence_outlets),
        outlets=evidence_outlets,
        members=members,
    )


# ACLED sub-types that a report uses when it knows less than another report of the same event:
# a killing told without its means ("Attack") is the air strike, the shelling or the clash
# another outlet describes; a "car bomb" is the suicide bombing another outlet names as such.
REFINED_BY = {
    "Attack": ("Air/drone strike", "Shelling/artillery/missile attack", "Armed clash", "Suicide bomb",
               "Remote explosive/landmine/IED", "Grenade", "Chemical weapon"),
    "Remote explosive/landmine/IED": ("Suicide bomb",),
}


def _sub_type(reports: list[Report]) -> str:
    """The most common sub-type among the reports, once the vaguer ones yield to what refines them
    (``REFINED_BY``): ACLED codes the most specific means a source reports; a tie goes to the
    sub-type of the earliest report."""
    if not reports:
        return "Other"
    votes = Counter(r.event.sub_type for r in reports)
    for vague, finer in REFINED_BY.items():
        if vague in votes and any(f in votes for f in finer):
            del votes[vague]
    top = max(votes.values())
    return next(r.event.sub_type for r in reports if votes.get(r.event.sub_type) == top)


def _days(reports: list[Report]) -> list:
    """The day ranges the merged event spans: the days its reports state (one day each), when any
    does; else the vaguer stated ranges (a week), else the days reports are dated by (their articles').

    A publication day is a stand-in for the event's day, often a day late; a stated day
    says when it happened (``events.stated_day``)."""
    usable = [r for r in reports if r.days and (r.days[1] - r.days[0]).days < 7]
    stated = [r for r in usable if stated_day(r)]
    single = [r for r in stated if (d := r.days) is not None and d[0] == d[1]]  # usable: all have days
    return [r.days for r in (single or stated or usable)]


def _best_place(reports: list[Report]) -> Optional[Place]:
    """The most precise place a report names (its own, not inferred), the most named on a tie."""
    named = [r.event.place for r in reports if r.event.place is not None]
    if not named:
        return None
    counts = Counter(p.name for p in named)
    return min(named, key=lambda p: (_LEVEL_RANK[_level(p)], -counts[p.name]))


def claim_cluster(
    cluster_id: str,
    members: list[Member],
    claims: list[Claim],
    outlets: dict[str, str],
    event_cluster_id: Optional[str],
    others: list[Claim],
    links: Iterable[Link] = (),
) -> ClaimCluster:
    """``outlets``: article id -> outlet name; ``others``: claims of other clusters about the same event."""
    first = claims[0]
    own_numbers = set().union(*(numbers(c) for c in claims))
    compared = [(other, bool(own_numbers & numbers(other))) for other in others]
    status = status_rules.claim_status(claims, compared, links)
    names = sorted({outlets.get(c.article_id, "?") for c in claims})
    speaker = first.speaker
    return ClaimCluster(
        id=cluster_id,
        voice=voice(first),
        speaker=speaker.name if speaker else None,
        party=speaker.party if speaker else None,
        act=first.act,
        event_cluster_id=event_cluster_id,
        status=status.status,
        status_reason=status.reason,
        evidence=status.evidence,
        n_appearances=len(claims),
        n_outlets=len(names),
        outlets=names,
        members=members,
    )
