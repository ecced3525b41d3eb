"""The views people read a dispute in, as plain dicts: the board, the timeline, the map.

One view, two shapes (STYLE.md): the CLI prints these dicts, the HTTP API
returns them as JSON, the web UI draws them.  They read records through the
store's queries, so reviewed values are shown (and marked) and rejected
records are left out.

- ``board``: per disputed event cluster, one column per side (the speakers'
  parties), each claim with its speaker, act, numbers, outlet, date and the
  sentence that says it; the toll range and the status with its reason.  A
  side is every party that speaks about the event: the claims reporting its
  member events, the claims that deny or contradict them, and the claims the
  linker filed under the event (a denial printed by another outlet).
- ``timeline``: the events between two sides, oldest first, with fatality ranges.
- ``map_points``: events with coordinates as GeoJSON points, by type.
"""

from __future__ import annotations

from typing import Any, Optional

from ..records import Claim, Event
from ..store import Store
from ..store.ids import short
from ..store.queries import DISPUTING_LINKS


def _day(value) -> Optional[str]:
    return value.isoformat() if value else None


def _range(f) -> Optional[dict[str, Any]]:
    if f is None:
        return None
    return {"low": f.low, "best": f.best, "high": f.high, "reason": f.reason}


def claim_row(claim: Claim, facts: dict, review: Optional[dict]) -> dict[str, Any]:
    f = facts.get(claim.article_id, {})
    speaker = claim.speaker
    return {
        "id": claim.id, "short_id": short(claim.id),
        "speaker": speaker.name if speaker else None,
        "role": speaker.role if speaker else None,
        "party": speaker.party if speaker else "unknown",
        "act": claim.act, "negated": claim.negated,
        "text": claim.span.text,
        "sentence": claim.sentence.text if claim.sentence else claim.span.text,
        "numbers": [{"low": q.low, "high": q.high, "what": q.what, "text": q.span.text} for q in claim.quantities],
        "outlet": f.get("source"), "title": f.get("title"),
        "published": _day(f.get("published")),
        "article_id": claim.article_id,
        "review": review,
    }


def event_row(event: Event, review: Optional[dict] = None) -> dict[str, Any]:
    place = event.place
    return {
        "id": event.id, "short_id": short(event.id), "article_id": event.article_id,
        "type": event.type, "sub_type": event.sub_type,
        "actor1": event.actor1.name if event.actor1 else None,
        "actor1_party": event.actor1.party if event.actor1 else None,
        "actor2": event.actor2.name if event.actor2 else None,
        "actor2_party": event.actor2.party if event.actor2 else None,
        "place": place.name if place else None, "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "date": event.date, "fatalities": _range(event.fatalities), "status": event.status,
        "evidence": event.span.text, "review": review,
    }


def cluster_head(c) -> dict[str, Any]:
    return {
        "id": c.id, "short_id": short(c.id), "type": c.type, "sub_type": c.sub_type,
        "date": _day(c.date_start), "date_end": _day(c.date_end),
        "place": c.place, "country": c.country, "admin1": c.admin1, "lat": c.lat, "lon": c.lon,
        "fatalities": _range(c.fatalities), "acled_fatalities": c.acled_fatalities,
        "status": c.status, "status_reason": c.status_reason,
        "reports": c.n_reports, "articles": c.n_articles, "outlets": c.outlets,
    }


def board(store: Store, *, status: Optional[str] = "disputed", limit: Optional[int] = 20,
          offset: Optional[int] = 0, cluster_id: Optional[str] = None) -> dict[str, Any]:
    """Event clusters (the disputed ones by default), each side's claims in its own column."""
    if cluster_id is not None:
        found = store.event_cluster(cluster_id)
        clusters = [found] if found else []
    else:
        clusters = store.event_clusters(status=status, limit=limit, offset=offset)
    items = []
    for cluster in clusters:
        events = store.events(id=[m.record_id for m in cluster.members]) if cluster.members else []
        reporting = {cid for e in events for cid in e.claim_ids}
        answering = {link.source for link in store.links_touching(reporting, type=DISPUTING_LINKS)}
        # the linker files every claim about the event (a denial in another article too) under it
        about = {m.record_id for cc in store.claim_clusters(event_cluster_id=cluster.id) for m in cc.members}
        claim_ids = sorted(reporting | answering | about)
        claims = store.claims(id=claim_ids) if claim_ids else []
        facts = store.article_facts({c.article_id for c in claims})
        reviews = store.review_states("claim", [c.id for c in claims])
        sides: dict[str, list] = {}
        for claim in sorted(claims, key=lambda c: (facts.get(c.article_id, {}).get("published") is None,
                                                  facts.get(c.article_id, {}).get("published"), c.id)):
            row = claim_row(claim, facts, reviews.get(claim.id))
            sides.setdefault(row["party"] or "unknown", []).append(row)
        item = cluster_head(cluster)
        item["figures"] = cluster.figures
        item["sides"] = [{"party": party, "claims": rows} for party, rows in
                         sorted(sides.items(), key=lambda kv: (kv[0] == "unknown", -len(kv[1]), kv[0]))]
        items.append(item)
    return {"clusters": items, "count": len(items)}


def side_pairs(store: Store, *, limit: int = 50) -> list[dict[str, Any]]:
    """Pairs of sides that fought (actor1 and actor2 parties of events), most events first."""
    return store.party_pairs(limit=limit)


def timeline(store: Store, side_a: str, side_b: str, *, limit: int = 500) -> dict[str, Any]:
    """Events between two sides (either as actor1), oldest first, with fatality ranges."""
    from ..store.queries import parties

    pair = parties([side_a, side_b])
    assert pair is not None, "two sides given"
    a, b = pair
    events = [e for e in store.events(party=[a, b], limit=limit * 4)
              if {e.actor1.party if e.actor1 else None, e.actor2.party if e.actor2 else None} == {a, b}][:limit]
    clusters = store.event_cluster_ids(e.id for e in events)
    reviews = store.review_states("event", [e.id for e in events])
    rows = [dict(event_row(e, reviews.get(e.id)), cluster_id=clusters.get(e.id)) for e in events]
    rows.sort(key=lambda r: (r["date"] or "", r["id"]))
    return {"sides": [a, b], "events": rows, "count": len(rows)}


def map_points(store: Store, *, limit: int = 5000, **filters: Any) -> dict[str, Any]:
    """Events with coordinates as a GeoJSON FeatureCollection (properties: type, sub-type, place, toll)."""
    features = []
    for event in store.events(limit=limit, **filters):
        place = event.place
        if place is None or place.lat is None or place.lon is None:
            continue
        row = event_row(event)
        features.append({"type": "Feature", "id": event.id,
                         "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                         "properties": {k: row[k] for k in ("short_id", "type", "sub_type", "place", "country",
                                                            "date", "fatalities", "status", "article_id")}})
    return {"type": "FeatureCollection", "features": features}
