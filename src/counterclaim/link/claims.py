"""Is a claim in one article the same claim as one in another?  Speaker, polarity, proposition.

Two appearances are one claim when all hold:

1. **the same voice**: the same party code (the actor dictionary's), or, when
   the party is unknown, the same speaker name; a claim with neither is only
   ever its own;
2. **the same polarity**: from the speech act (deny vs. the rest; a threat is
   its own kind), never from the embedding, which puts "X killed 12" and "X
   did not kill 12" side by side;
3. **the same proposition**: cosine similarity of the sentence embeddings at
   least ``SAME_SIM``, or at least ``RELATED_SIM`` with structure agreeing:
   the same event (the claims report events of one event cluster) or the
   same numbers.  Numbers that differ (12 vs 30 killed) veto a merge: those
   are two claims, and possibly a dispute.

Thresholds for all-MiniLM-L6-v2 cosine: paraphrases of one news sentence
score ~0.75-0.95, sentences about one topic with different content ~0.4-0.6
(sentence-transformers' own guidance for this model, and what the FA-KES dev
articles show).  ``SAME_SIM`` = 0.8 needs no other evidence; ``RELATED_SIM`` =
0.55 plus the same event or numbers.  With the token-overlap fallback the
scores are lower for paraphrases, so its thresholds are lower too.  The static
word-piece vectors (``embed.Static``) score every pair higher; their thresholds
are the MiniLM ones moved to the same percentile of all cross-article sentence
pairs of held-out FA-KES articles (``scripts/calibrate_static.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from ..records import Claim
from .embed import kind_of

SAME_SIM = {"minilm": 0.80, "static": 0.79, "tokens": 0.70}
RELATED_SIM = {"minilm": 0.55, "static": 0.58, "tokens": 0.35}


@dataclass
class ClaimItem:
    """A claim with what matching needs: its vector and the event clusters it reports."""

    claim: Claim
    vector: np.ndarray
    event_clusters: frozenset[str]
    cluster_id: Optional[str] = None


def voice(claim: Claim) -> Optional[str]:
    """Who speaks, for matching: the party code, else the speaker's name, else None."""
    speaker = claim.speaker
    if speaker is None:
        return None
    if speaker.party and speaker.party != "unknown":
        return f"party:{speaker.party}"
    if speaker.name:
        return "name:" + " ".join(speaker.name.casefold().split())
    return None


def polarity(claim: Claim) -> str:
    if claim.act == "deny" or claim.negated:
        return "negative"
    if claim.act == "threaten":
        return "threat"
    return "positive"


def numbers(claim: Claim) -> frozenset[tuple[int, str]]:
    """The claim's (figure, what) pairs: 12 killed, 4 outposts."""
    found = set()
    for q in claim.quantities:
        if q.low is not None:
            found.add((q.low, (q.what or q.unit_text or "").lower()))
    return frozenset(found)


def _numbers_relation(a: Claim, b: Claim) -> str:
    na, nb = numbers(a), numbers(b)
    if not na or not nb:
        return "unknown"
    if na & nb:
        return "same"
    whats_a = {w for _, w in na}
    if whats_a & {w for _, w in nb}:
        return "different"  # the same thing counted differently
    return "unknown"


def same_claim(a: ClaimItem, b: ClaimItem, embedder_name: str) -> tuple[bool, float, str]:
    """(same?, similarity, reason)."""
    if voice(a.claim) is None or voice(a.claim) != voice(b.claim):
        return False, 0.0, "different speakers"
    if polarity(a.claim) != polarity(b.claim):
        return False, 0.0, "opposite polarity"
    sim = float(np.dot(a.vector, b.vector))
    kind = kind_of(embedder_name)
    nums = _numbers_relation(a.claim, b.claim)
    if nums == "different":
        return False, sim, "different numbers"
    same_event = bool(a.event_clusters & b.event_clusters)
    if sim >= SAME_SIM[kind]:
        return True, sim, f"same speaker, same polarity, similarity {sim:.2f}"
    if sim >= RELATED_SIM[kind] and (same_event or nums == "same"):
        why = "same event" if same_event else "same numbers"
        return True, sim, f"same speaker, same polarity, {why}, similarity {sim:.2f}"
    return False, sim, f"similarity {sim:.2f}"


def best_cluster(item: ClaimItem, candidates: Sequence[ClaimItem], embedder_name: str) -> tuple[Optional[str], float, str]:
    """The cluster of the most similar matching candidate, or None."""
    best: tuple[Optional[str], float, str] = (None, 0.0, "")
    for other in candidates:
        if other.cluster_id is None or other.claim.id == item.claim.id:
            continue
        same, sim, why = same_claim(item, other, embedder_name)
        if same and sim > best[1]:
            best = (other.cluster_id, sim, why)
    return best
