"""Status of a merged event or claim: single-source, corroborated or disputed, with the evidence.

An event (a cluster of reports) is:

- ``disputed`` when a party denies it (a claim reporting it is a denial, or a
  ``denies`` / ``contradicts`` link points at one of its records), when its
  reports blame parties of two camps (the perpetrator is contested), when the
  reports' own words say the accounts conflict ("conflicting casualty
  figures", in the event's sentences or a claim reporting it), or when the tolls of different sources conflict (``tolls``);
- ``corroborated`` when not disputed and either two independent outlets
  report it (``Outlet.independent_of``: different owners, not the same side,
  not two allied sides), or an independent source (a speaker of party
  ``independent``: a monitor, the UN, an NGO) confirms in another text what a
  party claims.  Copies count once: a republished article (``dedup``), and a
  report whose sentence is another outlet's sentence word for word or nearly
  (``same_wording``: a wire's lead carried in a rewritten story) are one piece
  of evidence, whatever outlets carry them;
- ``single-source`` otherwise: one outlet, however many sources it cites.

A claim (a cluster of appearances of one party's proposition) is
``disputed`` when a speaker of another party denies or contradicts it (or it
is itself a denial of another party's account), ``corroborated`` when a
speaker independent of its party says the same (same event and the same
numbers, or the same proposition), else ``single-source``.  Repetition by
outlets is not corroboration: a claim carried by ten papers is still one
party's word.

Every status carries its evidence: a list of ``{"rule", "text", "records"}``
a user reads to see why.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from ..records import Claim, Link
from .dedup import shingles
from .outlets import NEUTRAL_PARTIES, allied
from .reports import Report

DISPUTING = ("denies", "contradicts")
# Words with which a report itself says the accounts disagree.
CONFLICT_CUES = ("conflicting", "contradictory", "discrepanc", "differing", "different casualty",
                 "different toll", "different figures", "disputed toll", "could not be reconciled")


@dataclass
class Status:
    status: str
    evidence: list[dict] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(e["text"] for e in self.evidence)


def _party(claim: Claim) -> str:
    return claim.speaker.party if claim.speaker and claim.speaker.party else "unknown"


def _who(claim: Claim) -> str:
    name = claim.speaker.name if claim.speaker else "an unnamed source"
    party = _party(claim)
    return f"{name} ({party})" if party != "unknown" else name


def event_status(reports: list[Report], links: Iterable[Link] = (), toll_conflict: Optional[str] = None,
                 about: Sequence[tuple[Claim, str]] = ()) -> Status:
    """The event rule in the module docstring; ``about``: (claim, outlet) of claims about the event
    that report no member event of their own (``Linker._claims_about``)."""
    disputes = _event_disputes(reports, links, toll_conflict)
    for claim, outlet in about:
        if claim.act == "deny":
            disputes.append({"rule": "denied", "records": [claim.id],
                             "text": f"{_who(claim)} denies it ({outlet}): \"{_short(claim.span.text)}\""})
    if disputes:
        return Status("disputed", disputes)
    support = _independent_outlets(reports) or _independent_confirmation(reports)
    if support:
        return Status("corroborated", support)
    outlets = sorted({r.outlet.name for r in reports})
    texts = len({r.evidence_id for r in reports})
    return Status("single-source", [{"rule": "one outlet", "records": sorted({r.article_id for r in reports}),
                                     "text": f"reported only by {', '.join(outlets)} ({texts} text(s))"}])


def _event_disputes(reports: list[Report], links: Iterable[Link], toll_conflict: Optional[str]) -> list[dict]:
    found = []
    records = {r.id for r in reports} | {c.id for r in reports for c in r.claims}
    for report in reports:
        for claim in report.claims:
            if claim.act == "deny":
                found.append({"rule": "denied", "records": [claim.id],
                              "text": f"{_who(claim)} denies it ({report.outlet.name}): \"{_short(claim.span.text)}\""})
    for link in links:
        if link.type in DISPUTING and link.target in records:
            found.append({"rule": link.type, "records": [link.source, link.target],
                          "text": f"{link.source} {link.type} {link.target}" + (f" ({link.reason})" if link.reason else "")})
    for report in reports:
        # The event's sentence, the other sentences extraction merged into it, and the claims
        # that report it: "activists gave different casualty tolls" is often a sentence of its own.
        told = [report.event.span.text, *(m.text for m in report.event.mentions), *(c.span.text for c in report.claims)]
        sentence = next((t for t in told if any(cue in t.lower() for cue in CONFLICT_CUES)), None)
        if sentence is not None:
            found.append({"rule": "reported conflict", "records": [report.id],
                          "text": f"{report.outlet.name} reports conflicting accounts: \"{_short(sentence)}\""})
    found += _perpetrator_contested(reports)
    if toll_conflict:
        found.append({"rule": "tolls conflict", "records": [r.id for r in reports], "text": toll_conflict})
    return _unique(found)


def _perpetrator_contested(reports: list[Report]) -> list[dict]:
    """Reports that blame parties of two camps for the event (the FA-KES convention: "the
    perpetrator is contested").  Linking merges such reports only when they name the same town,
    day and toll (``events.same_event``): one strike, two accounts of who carried it out.

    A text's account of who did it is the first of its reports that names a perpetrator (the
    lead's, as a reader takes it): a later sentence of the same text naming another camp is
    more often a word misread as an actor (a page's tag line, "Regime Rebels Civilians") than
    the text contesting its own account, and two texts are needed for a contest."""
    blamed: dict[str, Report] = {}
    accounted: set[str] = set()
    for report in sorted(reports, key=lambda r: (r.evidence_id, r.event.span.start)):
        actor = report.event.actor1
        if report.evidence_id in accounted:
            continue
        if actor is not None and actor.party not in (None, "", "unknown") + NEUTRAL_PARTIES + ("civilians",):
            accounted.add(report.evidence_id)
            blamed.setdefault(actor.party, report)
    for (pa, ra), (pb, rb) in itertools.combinations(blamed.items(), 2):
        if not allied(pa, pb):
            a1, b1 = ra.event.actor1, rb.event.actor1
            assert a1 is not None and b1 is not None, "only reports that name a perpetrator are blamed"
            return [{"rule": "perpetrator contested", "records": [ra.id, rb.id],
                     "text": f"{ra.outlet.name} names {a1.name} ({pa}), "
                             f"{rb.outlet.name} names {b1.name} ({pb})"}]
    return []


# Word trigrams of the shorter sentence found in the longer: a wire sentence carried with
# a dateline added or a word changed keeps ~0.85; two outlets telling one event in their
# own words rarely share a third.  Sentences under ``MIN_WORDS`` words ("Five people were
# killed") are alike by chance, not by copying.
SAME_WORDING = 0.8
MIN_WORDS = 12


def same_wording(a: str, b: str) -> bool:
    """Two sentences are one text copied: most of the shorter one's word trigrams are in the other."""
    if min(len(a.split()), len(b.split())) < MIN_WORDS:
        return False
    sa, sb = _trigrams(a), _trigrams(b)
    return bool(sa and sb) and len(sa & sb) / min(len(sa), len(sb)) >= SAME_WORDING


@functools.lru_cache(maxsize=4096)
def _trigrams(text: str) -> frozenset[str]:
    return frozenset(shingles(text, 3))


def evidence_groups(reports: list[Report]) -> dict[str, int]:
    """Report id -> its piece of evidence: copies of one article, and reports told in one wording."""
    group: dict[str, int] = {}
    firsts: list[tuple[int, Report]] = []
    by_article: dict[str, int] = {}
    for report in reports:
        found = by_article.get(report.evidence_id)
        if found is None:
            found = next((g for g, first in firsts if same_wording(first.event.span.text, report.event.span.text)),
                         None)
        if found is None:
            found = len(firsts)
            firsts.append((found, report))
        by_article.setdefault(report.evidence_id, found)
        group[report.id] = found
    return group


def _independent_outlets(reports: list[Report]) -> list[dict]:
    group = evidence_groups(reports)
    for a, b in itertools.combinations(reports, 2):
        if group[a.id] != group[b.id] and a.outlet.independent_of(b.outlet):
            return [{"rule": "independent outlets", "records": [a.id, b.id],
                     "text": f"reported by {a.outlet.name} and {b.outlet.name}, independent outlets"}]
    return []


def _independent_confirmation(reports: list[Report]) -> list[dict]:
    """An independent speaker in one text, a party's claim in another (not a copy of it)."""
    group = evidence_groups(reports)
    claims = [(r, c) for r in reports for c in r.claims if c.act != "deny"]
    for (ra, a), (rb, b) in itertools.permutations(claims, 2):
        if group[ra.id] == group[rb.id]:
            continue
        if _party(a) in NEUTRAL_PARTIES and _party(b) not in NEUTRAL_PARTIES + ("unknown",):
            return [{"rule": "independent confirmation", "records": [a.id, b.id],
                     "text": f"{_who(a)} ({ra.outlet.name}) confirms what {_who(b)} says ({rb.outlet.name})"}]
    return []


def claim_status(members: list[Claim], others: list[tuple[Claim, bool]], links: Iterable[Link] = ()) -> Status:
    """``others``: claims of other clusters about the same event, each with "says the same" (True/False)."""
    party = _party(members[0])
    found = []
    ids = {c.id for c in members}
    for link in links:
        if link.type in DISPUTING and (link.target in ids or link.source in ids):
            found.append({"rule": link.type, "records": [link.source, link.target],
                          "text": f"{link.source} {link.type} {link.target}" + (f" ({link.reason})" if link.reason else "")})
    own_denial = members[0].act == "deny"
    for other, _same in others:
        other_party = _party(other)
        if other_party == party:
            continue
        if other.act == "deny" and not own_denial:
            found.append({"rule": "denied", "records": [other.id],
                          "text": f"{_who(other)} denies it: \"{_short(other.span.text)}\""})
        elif own_denial and other.act != "deny":
            found.append({"rule": "denial", "records": [other.id],
                          "text": f"it denies what {_who(other)} says: \"{_short(other.span.text)}\""})
    if found:
        return Status("disputed", _unique(found))
    for other, same in others:
        if same and other.act == members[0].act and _party(other) in NEUTRAL_PARTIES and party not in NEUTRAL_PARTIES:
            return Status("corroborated", [{"rule": "independent confirmation", "records": [other.id],
                                            "text": f"{_who(other)} says the same: \"{_short(other.span.text)}\""}])
    who = _who(members[0])
    return Status("single-source", [{"rule": "one party", "records": sorted(ids),
                                     "text": f"only {who} says it ({len(members)} appearance(s))"}])


def _unique(items: list[dict]) -> list[dict]:
    seen, out = set(), []
    for item in items:
        if item["text"] not in seen:
            seen.add(item["text"])
            out.append(item)
    return out


def _short(text: str, n: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
