"""The cross-article views as plain dicts: ``disputes``, ``event``, ``summary``.

One view, two shapes (STYLE.md): each function builds a JSON-ready dict from
the store; the CLI prints it as tables or, with ``--json``, as is.  Every
number in a view carries the claim, article and sentence it came from.
"""

from __future__ import annotations

from typing import Any, Optional

from ..records import Claim, Event, EventCluster
from .outlets import Outlets, default_outlets


def _claim_row(claim: Claim, facts: dict, outlets: Outlets, cluster_of_claim: dict[str, str]) -> dict[str, Any]:
    f = facts.get(claim.article_id, {})
    speaker = claim.speaker
    return {
        "claim_id": claim.id,
        "claim_cluster": cluster_of_claim.get(claim.id),
        "speaker": speaker.name if speaker else None,
        "party": speaker.party if speaker else "unknown",
        "act": claim.act + (" (negated)" if claim.negated else ""),
        "text": claim.span.text,
        "numbers": [{"low": q.low, "high": q.high, "what": q.what, "text": q.span.text} for q in claim.quantities],
        "outlet": outlets.get(f.get("source"), f.get("url")).name,
        "published": f["published"].isoformat() if f.get("published") else None,
        "article_id": claim.article_id,
    }


def _report_row(event: Event, facts: dict, outlets: Outlets) -> dict[str, Any]:
    f = facts.get(event.article_id, {})
    fat = event.fatalities
    return {
        "event_id": event.id,
        "article_id": event.article_id,
        "outlet": outlets.get(f.get("source"), f.get("url")).name,
        "title": f.get("title"),
        "published": f["published"].isoformat() if f.get("published") else None,
        "copy_of": f.get("copy_of"),
        "sub_type": event.sub_type,
        "place": event.place.name if event.place else None,
        "date": event.date,
        "fatalities": {"low": fat.low, "high": fat.high} if fat else None,
        "evidence": event.span.text,
        "evidence_span": [event.span.start, event.span.end],
        "claim_ids": event.claim_ids,
    }


def _cluster_head(c: EventCluster) -> dict[str, Any]:
    fat = c.fatalities
    return {
        "id": c.id, "type": c.type, "sub_type": c.sub_type,
        "date": c.date_start.isoformat() if c.date_start else None,
        "date_end": c.date_end.isoformat() if c.date_end else None,
        "place": c.place, "country": c.country, "admin1": c.admin1, "lat": c.lat, "lon": c.lon,
        "fatalities": {"low": fat.low, "best": fat.best, "high": fat.high, "reason": fat.reason} if fat else None,
        "acled_fatalities": c.acled_fatalities,
        "status": c.status, "status_reason": c.status_reason, "evidence": c.evidence,
        "reports": c.n_reports, "articles": c.n_articles, "outlets": c.outlets,
    }


def event_view(store, cluster_id: str, outlets: Optional[Outlets] = None) -> Optional[dict[str, Any]]:
    """One merged event: every report, every toll with its source, the claims, the status and why."""
    outlets = outlets or default_outlets()
    cluster = store.event_cluster(cluster_id)
    if cluster is None:
        matches = [c for c in store.event_clusters(members=False, limit=None) if c.id.startswith(cluster_id)]
        if len(matches) != 1:
            return None
        cluster = store.event_cluster(matches[0].id)
    events = store.events_by_id(m.record_id for m in cluster.members)
    claims = store.claims_by_id(i for e in events for i in e.claim_ids)
    facts = store.article_facts({e.article_id for e in events} | {c.article_id for c in claims})
    claim_clusters = store.claim_clusters(event_cluster_id=cluster.id)
    cluster_of_claim = {m.record_id: cc.id for cc in claim_clusters for m in cc.members}
    view = _cluster_head(cluster)
    view["figures"] = cluster.figures
    view["reports"] = [dict(_report_row(e, facts, outlets), reason=next(
        (m.reason for m in cluster.members if m.record_id == e.id), None)) for e in events]
    view["claims"] = [_claim_row(c, facts, outlets, cluster_of_claim) for c in claims]
    view["claim_clusters"] = [{"id": cc.id, "speaker": cc.speaker, "party": cc.party, "act": cc.act,
                               "status": cc.status, "status_reason": cc.status_reason,
                               "appearances": cc.n_appearances, "outlets": cc.outlets} for cc in claim_clusters]
    return view


def disputes_view(store, *, limit: Optional[int] = 20, outlets: Optional[Outlets] = None) -> dict[str, Any]:
    """Disputed events, each side's claims side by side (grouped by the speaker's party)."""
    outlets = outlets or default_outlets()
    clusters = store.event_clusters(status="disputed", limit=limit)
    items = []
    for cluster in clusters:
        events = store.events_by_id(m.record_id for m in cluster.members)
        claims = store.claims_by_id(i for e in events for i in e.claim_ids)
        facts = store.article_facts({e.article_id for e in events})
        sides: dict[str, list] = {}
        for claim in claims:
            row = _claim_row(claim, facts, outlets, {})
            sides.setdefault(row["party"] or "unknown", []).append(row)
        item = _cluster_head(cluster)
        item["figures"] = cluster.figures
        item["sides"] = sides
        items.append(item)
    return {"disputed_events": items, "count": len(items)}


def summary_view(store, *, examples: int = 10) -> dict[str, Any]:
    """How many merged events have 2+ outlets, how many are disputed, and examples of each."""
    stats = store.link_stats()
    multi = store.event_clusters(min_outlets=2, members=False, limit=None)
    multi.sort(key=lambda c: (-c.n_outlets, -c.n_reports, c.id))
    disputed = [c for c in multi if c.status == "disputed"]
    return {
        "stats": stats,
        "examples_multi_outlet": [_cluster_head(c) for c in multi[:examples]],
        "examples_disputed": [_cluster_head(c) for c in disputed[:examples]],
    }
