"""The records of cross-article linking: merged events and claims, their members, copies.

They extend the contract in ``counterclaim.records`` (same ``Record`` mixin:
plain dataclasses, ``to_dict`` / ``from_dict``) and travel the same way: the
linker makes them, the store keeps them, the views and exports read them.
They live here, beside the code that defines their meaning, so ``records``
stays the per-article contract.

Ids are stable: a cluster's id is the id of its first member (the event or
claim that started it), and members only ever join, so linking more articles
never renames a cluster that someone has already cited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from ..records import Fatalities, Record

CLUSTER_STATUSES = ("single-source", "corroborated", "disputed")


@dataclass
class ArticleCopy(Record):
    """``article_id`` republishes ``original_id`` (exact or near-identical text)."""

    article_id: str
    original_id: str
    kind: str  # "exact" | "near"
    jaccard: float
    distance: int
    reason: Optional[str] = None


@dataclass
class Member(Record):
    """One report (an event) or appearance (a claim) in a cluster, and why it joined."""

    record_id: str
    article_id: str
    pos: int
    reason: Optional[str] = None
    similarity: Optional[float] = None


@dataclass
class EventCluster(Record):
    """One real-world event with all its reports across articles."""

    id: str
    type: str
    sub_type: str
    date_start: Optional[date] = None
    date_end: Optional[date] = None
    place: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    fatalities: Optional[Fatalities] = None  # UCDP low / best / high across reports
    acled_fatalities: Optional[int] = None  # ACLED's single, most conservative figure
    figures: list[dict[str, Any]] = field(default_factory=list)  # each toll with its evidence
    status: str = "single-source"
    status_reason: Optional[str] = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    n_reports: int = 0
    n_articles: int = 0
    n_outlets: int = 0
    outlets: list[str] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)


@dataclass
class ClaimCluster(Record):
    """One party's proposition with all its appearances across articles."""

    id: str
    voice: Optional[str] = None  # "party:SYR", "name:rami abdulrahman"
    speaker: Optional[str] = None
    party: Optional[str] = None
    act: str = "assert"
    event_cluster_id: Optional[str] = None
    status: str = "single-source"
    status_reason: Optional[str] = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    n_appearances: int = 0
    n_outlets: int = 0
    outlets: list[str] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
