"""The records every stage passes to the next: the contract of counterclaim.

Each stage (ingest, nlp, link, store, api) takes and returns these plain
dataclasses and nothing else, so a stage can be replaced, run on a Dask worker
or tested alone.  Every extracted field carries its evidence as a ``Span`` of
character offsets into ``Article.text``: a user must always be able to go from
a number to the sentence that said it.

Records serialise to plain dicts (``to_dict``) and back (``from_dict``) so they
travel as JSON, over the network to a worker, and into the store unchanged.
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import hashlib
import re
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, ClassVar, Optional

# The vocabularies below are adopted, not invented (see DESIGN.md).
SPEECH_ACTS = ("assert", "deny", "accuse", "threaten", "announce")
LINK_TYPES = ("denies", "contradicts", "corroborates")
EVENT_STATUSES = ("reported", "claimed", "disputed", "corroborated", "single-source")
PRECISIONS = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century",
              "duration", "set", "ref", "unknown")

ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
SUB_TYPE_TO_TYPE = {sub: typ for typ, subs in ACLED_TYPES.items() for sub in subs}


def content_id(*parts: str, length: int = 16) -> str:
    """A stable id from content: the same input always gets the same id.

    Stable ids are what make re-ingestion idempotent and incremental linking
    possible: an article or claim keeps its id however often it is processed.
    """
    # surrogatepass: a lone surrogate (a JSON "\\ud800") gets an id, not a crash; valid text hashes as UTF-8
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:length]


class Record:
    """Mixin: conversion to and from plain JSON-ready dicts."""

    _nested: ClassVar[dict[str, type]] = {}

    def to_dict(self) -> dict[str, Any]:
        # ``Any``: the mixin's subclasses are dataclasses, which mypy cannot see from here
        kind: Any = type(self)
        return {name: _plain(getattr(self, name)) for name in _field_names(kind)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        hints = typing.get_type_hints(cls)
        kwargs = {}
        kind: Any = cls
        for f in dataclasses.fields(kind):
            if f.name not in data:
                continue
            kwargs[f.name] = _revive(hints[f.name], data[f.name])
        return cls(**kwargs)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:  # most values: return before the isinstance checks below
        return value
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _revive(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _revive(inner[0], value) if len(inner) == 1 else value
    if origin in (list, tuple):
        return [_revive(args[0], v) for v in value] if args else list(value)
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_dict(value)
    if hint is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if hint is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value


@dataclass(frozen=True)
class Span(Record):
    """Characters ``start:end`` of the article text, and that text itself."""

    start: int
    end: int
    text: str

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start


@dataclass
class Article(Record):
    """One news article as ingested; ``id`` is a hash of its text."""

    id: str
    text: str
    title: Optional[str] = None
    url: Optional[str] = None
    source: Optional[str] = None
    published: Optional[date] = None
    language: Optional[str] = None
    ingested_at: Optional[datetime] = None
    origin: Optional[str] = None  # where it came from: "file.jsonl:12", "feed.xml#3"
    # Where ``published`` comes from: "dateline" (the article's own date line, which wins
    # over metadata when they disagree), "metadata" (the input's date field, header or
    # feed entry), "option" (a batch-wide default such as --published), None if undated.
    published_source: Optional[str] = None

    @staticmethod
    def make_id(text: str) -> str:
        """Whitespace-normalised content hash: the same story re-read is the same article."""
        return content_id(" ".join(text.split()))

    @classmethod
    def create(cls, text: str, **meta: Any) -> "Article":
        meta.setdefault("ingested_at", datetime.now(timezone.utc))
        return cls(id=cls.make_id(text), text=text, **meta)


@dataclass
class Actor(Record):
    """Who speaks or acts: a canonical name, the party it stands for and why."""

    name: str
    span: Optional[Span] = None  # the mention in this article
    role: Optional[str] = None  # "Defense Minister", "spokesman", "state media"
    kind: Optional[str] = None  # state force, armed group, government body, person, media, monitor, NGO
    party: str = "unknown"  # party code (PAK, AFG, ISIS, independent, unknown)
    country: Optional[str] = None  # ISO 3166-1 alpha-2 where known
    reason: Optional[str] = None  # why this party: "dictionary: Taliban", "nationality: Pakistani"


@dataclass
class Quantity(Record):
    """A number inside a claim, with what it counts ("killed", "outposts seized")."""

    span: Span
    low: Optional[int]
    high: Optional[int]
    what: Optional[str] = None
    unit_text: Optional[str] = None  # the counted noun as written ("soldiers")
    vague: bool = False  # "dozens", "hundreds": ACLED's conservative figure
    reason: Optional[str] = None


@dataclass
class Place(Record):
    """A toponym in the text, resolved against the gazetteer (or not)."""

    span: Span
    name: str  # canonical gazetteer name, or the text when unresolved
    kind: Optional[str] = None  # city, province, country, region
    lat: Optional[float] = None
    lon: Optional[float] = None
    country: Optional[str] = None  # ISO alpha-2
    admin1: Optional[str] = None
    gazetteer_id: Optional[str] = None  # "geonames:1138958", "iso3166-2:AF-KAN"
    precision: Optional[str] = None  # "exact", "admin1", "country"
    reason: Optional[str] = None


@dataclass
class Time(Record):
    """A time expression normalised to an ISO-like value at its precision.

    ``value`` is "2026-02-27", "2025-10", "2021" or "197X" (a decade), the
    TIMEX3 convention, so precision is also visible in the value itself.
    """

    span: Span
    value: Optional[str]
    precision: str = "unknown"
    anchor: Optional[str] = None  # what it was resolved against: "published:2026-02-27"
    reason: Optional[str] = None


_TIMEX_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_TIMEX_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_TIMEX_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TIMEX_YEAR = re.compile(r"^(\d{4})$")
_TIMEX_DECADE = re.compile(r"^(\d{3})X$")
_TIMEX_CENTURY = re.compile(r"^(\d{2})XX$")


# A wire story's headline and lead paragraph end by this character: the event the story
# is about is told there, what comes later is detail, other sources or background.
# Extraction (which day a lead takes) and linking (which reports lead) read the same lead.
LEAD_CHARS = 500


def timex_range(value: Optional[str]) -> Optional[tuple[date, date]]:
    """The first and last day a TIMEX-style value (``Time.value``, ``Event.date``) covers.

    "2026-02-27" is one day (a time after it is ignored), "2026-02" the month,
    "2026-W09" the ISO week, "2026" the year, "197X" the decade, "19XX" the
    century; anything else (None, seasons such as "2026-SU", durations,
    impossible dates such as month 13 or week 54) is None.

    One parser for the whole pipeline: the linker compares events by these
    days and the store files them by the same days, so both must read a value
    alike (they once disagreed on decades).
    """
    if not value:
        return None
    try:
        if m := _TIMEX_DAY.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _TIMEX_WEEK.match(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + timedelta(days=6)
        if m := _TIMEX_MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if m := _TIMEX_YEAR.match(value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        if m := _TIMEX_DECADE.match(value):
            first = int(m[1]) * 10
            return date(max(first, 1), 1, 1), date(first + 9, 12, 31)
        if m := _TIMEX_CENTURY.match(value):
            first = int(m[1]) * 100
            return date(max(first, 1), 1, 1), date(first + 99, 12, 31)
    except ValueError:  # month 13, week 54, year 0
        return None
    return None


@dataclass
class Claim(Record):
    """An attributed statement: who said what, how, and with which numbers."""

    id: str
    article_id: str
    span: Span  # the content
    cue: Optional[Span] = None  # "said", "denied", "according to"
    speaker: Optional[Actor] = None
    act: str = "assert"
    act_reason: Optional[str] = None
    direct_quote: bool = False
    channel: Optional[str] = None  # "post on X", "statement", "state TV"
    negated: bool = False  # "did not confirm": the cue itself is negated
    quantities: list[Quantity] = field(default_factory=list)
    sentence: Optional[Span] = None
    event_ids: list[str] = field(default_factory=list)

    @staticmethod
    def make_id(article_id: str, span: Span) -> str:
        return f"{article_id}:c{span.start}-{span.end}"

    @classmethod
    def create(cls, article_id: str, span: Span, **fields: Any) -> "Claim":
        """A claim of ``article_id`` whose content is ``span``, with the id those make
        (``make_id``): the id cannot disagree with the span it names."""
        return cls(id=cls.make_id(article_id, span), article_id=article_id, span=span, **fields)


@dataclass
class Fatalities(Record):
    """Deaths as a range (UCDP) with the conservative single figure (ACLED)."""

    low: Optional[int] = None
    best: Optional[int] = None
    high: Optional[int] = None
    reason: Optional[str] = None


@dataclass
class Event(Record):
    """Something that happened (or is said to have happened), ACLED-coded."""

    id: str
    article_id: str
    type: str
    sub_type: str
    span: Span  # the evidence: trigger clause
    trigger: Optional[Span] = None
    actor1: Optional[Actor] = None
    actor2: Optional[Actor] = None
    place: Optional[Place] = None
    date: Optional[str] = None
    date_precision: str = "unknown"
    # Where the date comes from: "text" (a time expression in the sentence), "context"
    # (the day of the event told before, or of the sentence after the lead that tells it again),
    # "said" (the day a statement was made: "the monitor said Tuesday"), "published" (the
    # article's day), or None.
    # A stated day can tell two events apart; a fallback day cannot.
    date_source: Optional[str] = None
    fatalities: Optional[Fatalities] = None
    injured: Optional[Fatalities] = None
    status: str = "reported"
    claim_ids: list[str] = field(default_factory=list)  # claims that report it
    reason: Optional[str] = None
    # Other sentences of the article that tell the same event (merged in
    # extraction): the toll may come from one of them, and it must stay traceable.
    mentions: list[Span] = field(default_factory=list)

    @staticmethod
    def make_id(article_id: str, span: Span, sub_type: str, place: str | None = None) -> str:
        return f"{article_id}:e{span.start}-{span.end}:" + content_id(sub_type, place or "", length=6)


@dataclass
class Dropped(Record):
    """A candidate the rules saw and left out, with why.

    Dropping silently hides both the rule's mistakes and the text's context
    ("a war that has killed 400,000 since 2011" is a cumulative toll, not an
    event; "threatened to strike" is a threat): a reader checking a record,
    or a missing one, must see what was set aside and for which reason
    (``counterclaim show ID --why``)."""

    kind: str  # "event"
    span: Span  # the sentence that held the candidate
    reason: str  # "cumulative toll: ...", "threat: ...", "negated", "modal", ...
    trigger: Optional[Span] = None  # the word that started it ("killed", "air strikes")
    sub_type: Optional[str] = None  # what it would have been


@dataclass
class Link(Record):
    """A relation between two records: ``source`` denies / contradicts / corroborates ``target``."""

    source: str
    type: str
    target: str
    reason: Optional[str] = None


@dataclass
class Extraction(Record):
    """Everything the nlp stage found in one article."""

    article: Article
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # Candidates left out, each with its reason (not stored: ``show --why`` extracts again).
    dropped: list[Dropped] = field(default_factory=list)
    extractor: str = ""  # the extractor's version: results from different versions are not mixed silently
    notes: list[str] = field(default_factory=list)  # what was not read, and why (``nlp.limits``); not stored


@dataclass
class InputProblem(Record):
    """An input that could not be (fully) read: named, with the reason."""

    origin: str  # "path/file.jsonl:12"
    reason: str
    fatal: bool = True  # False for warnings (e.g. decoded with replacement)


# ---------------------------------------------------------------- across articles
# The records of cross-article linking: merged events and claims, their
# members, copies.  The linker makes them and the store keeps them, so they are
# part of the contract both stages import from below (issue 15: they lived in
# ``link.model``, and the store reached up into ``link`` to rebuild them).
#
# Ids are stable: a cluster's id is the id of its first member (the event or
# claim that started it), and members only ever join, so linking more articles
# never renames a cluster that someone has already cited.

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
