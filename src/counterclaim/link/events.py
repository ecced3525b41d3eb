"""Are two reports the same event?  Sub-type, day, place, actors and toll, each with its reason.

ACLED's unit is one event per place, day and pair of actors; UCDP's is a
violent incident at a place and time.  Two reports (from any articles) are
the same event when:

- **sub-type** is compatible: equal, or listed together in ``COMPATIBLE``.
  The groups are the confusions ACLED's own codebook warns about and that
  reporters make: a bombardment told as air strikes by one outlet and as
  shelling by another; a bombing that is a suicide attack in one report and a
  car bomb in another; fighting that one side calls a clash and the other an
  attack or a capture.
- **days** overlap once each range is widened by ``DAY_WINDOW`` (1 day: a
  report dated only by its publication day is often a day late, and a night
  raid is "Sunday" in one report and "Monday" in the next).  Requiring
  stated days to agree exactly was measured and rejected: outlets resolve
  weekdays a day apart too often (pairs recall 0.77 -> 0.63 on the FA-KES dev gold).  But two
  reports that both *state* their days, a day apart, and give different tolls are two
  events (FA-KES dev pairs precision 0.82 -> 0.88); and so are two that state days a day
  apart at places that are not one (a town within 25 km, or one province both name): a
  town's toll on Monday and the same toll "in rural X" on Tuesday are two events, the toll a
  coincidence (``stated_days_differ``; FA-KES dev pairs F1 0.911 -> 0.925); and so are two that
  name two different towns on two days with two tolls, whether or not the text states the
  days (pairs F1 0.912 -> 0.933).  Vague dates
  (ranges over ``MAX_RANGE_DAYS``: "last year", "in March") never match:
  they are background mentions, not reports.
- **places** do not conflict: points within ``NEAR_KM`` (25 km, ACLED's
  area-level convention and the tolerance of the project's geocoding
  benchmarks) are the same place; a province or a country contains the
  places inside it; places further apart, or in different provinces or
  countries, are different events.  Only places named for the event veto:
  a report that names none is given its article's main place
  (``Report.place``), which supports a match but never forbids one.  That
  place is a guess (the most-named town, or a word the geocoder misread:
  a "SANA" read as Sanaa), and a guess that disagrees is weaker than a
  compatible sub-type, day and sentence (FA-KES dev: pairs F1 0.77 -> 0.82,
  events merged 0.56 -> 0.65).  A guess that agrees is evidence too, but
  less than a named place: a report joins the cluster where its own place
  or toll agrees before one where only its article's place does (events
  merged 0.65 -> 0.68).
- **actors** do not conflict: two known, different perpetrators (actor1
  parties, or a state's forces against a non-state group) are two events
  (ACLED: one event per actor pair), even within 25 km with one toll: on a
  front line, the army's shelling of a suburb and the rebels' rockets on the
  city across it are often told with the same small toll on the same day.
  Only the same *named* place, day and toll make one event of them: one
  strike blamed on two sides, a contested perpetrator (a dispute to show).
- and there is **positive evidence**: the same place (within 25 km), or a
  compatible place plus the same toll, or the same toll and the same named
  actor, or evidence sentences that say the same (embedding cosine at least
  ``SAME_SENTENCE_SIM``; at least ``RELATED_SENTENCE_SIM`` with a compatible
  place or the same toll).  Extraction often misses the place or the toll
  of a report, so the sentence itself is evidence too.  A compatible
  sub-type on a compatible day in the same country is not enough: on a busy
  day of a war there are many air strikes.

A copy of an article (``dedup``) reports what its original reports: an event
whose evidence sentence is the same sentence of the original is the same
event, whatever the rest says.

Each decision returns a ``Match`` holding the reason, so a user can see why
two reports were merged.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass
from typing import Optional

from ..data import lexicon
from ..data.sides import coarse_side
from ..records import Fatalities, Place
from .outlets import allied
from .reports import Report, day_range
from .tolls import plausible

DAY_WINDOW = 1
# Cosine similarity of two reports' evidence sentences (all-MiniLM-L6-v2):
# ~0.75+ is the same sentence reworded, ~0.5-0.7 the same story told
# differently, under ~0.4 different stories (see ``claims`` for the sources).
# The static vectors' thresholds are the same percentiles of their own scale (``claims``);
# the token-overlap fallback keeps the model's.
SAME_SENTENCE_SIM = {"minilm": 0.75, "static": 0.75, "tokens": 0.75}
RELATED_SENTENCE_SIM = {"minilm": 0.5, "static": 0.54, "tokens": 0.5}
MAX_RANGE_DAYS = 7
STATED = ("text", "context")  # ``Event.date_source`` values that come from the article's words
NEAR_KM = 25.0
# A city-level point and a province-level place: the province's centroid can be
# far from the town; compare by admin1 name instead of distance.
POINT_KINDS = {"exact", "city", "town", "village", "site", "near", "district", "admin2"}

COMPATIBLE = (
    {"Air/drone strike", "Shelling/artillery/missile attack", "Chemical weapon"},
    {"Suicide bomb", "Remote explosive/landmine/IED", "Grenade"},
    {"Armed clash", "Attack", "Non-state actor overtakes territory", "Government regains territory"},
    {"Attack", "Air/drone strike", "Shelling/artillery/missile attack"},
    {"Abduction/forced disappearance", "Arrests"},
    {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    {"Violent demonstration", "Mob violence"},
)


@dataclass(frozen=True)
class Match:
    """Why two reports are (or are not) one event."""

    same: bool
    reason: str
    strength: int = 0  # 3: same place and toll ... 1: weakest accepted evidence


def sub_types_compatible(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in COMPATIBLE)


def days_relation(a: Report, b: Report) -> Optional[str]:
    """None when the days are compatible, else why not."""
    ra, rb = a.days, b.days
    if ra is None or rb is None:
        return None
    for first, last in (ra, rb):
        if (last - first).days + 1 > MAX_RANGE_DAYS:
            return f"vague date ({first}..{last})"
    gap = max((rb[0] - ra[1]).days, (ra[0] - rb[1]).days, 0)
    return None if gap <= DAY_WINDOW else f"{gap} days apart"


def km(a: Place, b: Place) -> Optional[float]:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _level(place: Place) -> str:
    kind = (place.precision or place.kind or "").lower()
    if kind in ("country",) or (place.kind or "").lower() == "country":
        return "country"
    if kind in ("admin1", "province", "region"):
        return "admin1"
    return "point"


def _key(value: Optional[str]) -> str:
    return " ".join((value or "").casefold().replace("-", " ").split())


def place_relation(a: Optional[Place], b: Optional[Place]) -> tuple[str, str]:
    """("near" | "inside" | "unknown" | "far", reason)."""
    if a is None or b is None:
        return "unknown", "a report names no place"
    if a.gazetteer_id and a.gazetteer_id == b.gazetteer_id:
        return "near", f"same place ({a.name})"
    if a.country and b.country and a.country != b.country:
        return "far", f"different countries ({a.country}, {b.country})"
    la, lb = _level(a), _level(b)
    if la == "point" and lb == "point":
        dist = km(a, b)
        if dist is None:
            return ("near", f"same name ({a.name})") if _key(a.name) == _key(b.name) else ("unknown", "no coordinates")
        if dist <= NEAR_KM:
            return "near", f"{a.name} and {b.name} {dist:.0f} km apart"
        return "far", f"{a.name} and {b.name} {dist:.0f} km apart"
    if "country" in (la, lb):
        return "inside", f"within {a.country or b.country}"
    # at least one province: compare admin1 names (a province's centroid says little)
    admin_a = _key(a.admin1 or (a.name if la == "admin1" else None))
    admin_b = _key(b.admin1 or (b.name if lb == "admin1" else None))
    if admin_a and admin_b and admin_a != admin_b:
        return "far", f"different provinces ({a.admin1 or a.name}, {b.admin1 or b.name})"
    if la == lb == "admin1":
        return "near", f"same province ({a.name})"
    return "inside", f"{a.name} / {b.name} in one province"


def toll_relation(a: Optional[Fatalities], b: Optional[Fatalities]) -> str:
    """"same" (a figure in common), "unknown" (either gives none) or "different"."""
    if a is None or b is None or a.low is None or b.low is None:
        return "unknown"
    a_high = a.high if a.high is not None else a.low
    b_high = b.high if b.high is not None else b.low
    return "same" if a.low <= b_high and b.low <= a_high else "different"


def _perpetrator(report: Report) -> Optional[str]:
    actor = report.event.actor1
    if actor is None or actor.party in (None, "", "unknown"):
        return None
    return actor.party


def _who(report: Report) -> str:
    actor = report.event.actor1
    return actor.name if actor is not None else f"{_side(report) or 'unknown'} forces"


def perpetrators_conflict(a: Report, b: Report) -> bool:
    """Two known, different perpetrators (parties that are not allies: outlets often tell one
    camp's strike as "Russian" or "Syrian" jets), or a state's forces and a non-state group."""
    pa, pb = _perpetrator(a), _perpetrator(b)
    sa, sb = _side(a), _side(b)
    return ((pa is not None and pb is not None and pa != pb and not allied(pa, pb))
            or (sa is not None and sb is not None and sa != sb))


def _side(report: Report) -> Optional[str]:
    """"state" or "non-state": which kind of actor carried the event out, when known.

    Government air strikes and rebel rocket fire on one city and day are two
    events (ACLED: one event per actor pair), though neither rebel group may
    be named: "rebel fire", "terrorists fired shells" say only that the
    attacker is no state's force.  Without a named attacker, an air strike by
    warplanes, helicopters or barrel bombs is a state's (``AIRCRAFT``).
    """
    if (side := coarse_side(report.event.actor1)) is not None:
        return side
    if report.event.sub_type == "Air/drone strike" and AIRCRAFT.search(report.event.span.text):
        return "state"  # warplanes, helicopters, barrel bombs: an air force's, even unnamed
    if report.event.actor1 is None and non_state_fire(report.event.span.text):
        return "non-state"  # "killed in rebel fire", "terrorist rocket attacks": the sentence says who
    return None


def non_state_fire(sentence: str) -> bool:
    """The sentence says a non-state group fired (``attacker_cues.tsv``): "in rebel fire",
    "terrorist rocket attacks", "militants fired", "shells fired by rebels"."""
    return _attacker_pattern().search(sentence) is not None


@functools.lru_cache(maxsize=1)
def _attacker_pattern() -> re.Pattern:
    words: dict[str, list[str]] = {}
    for row in lexicon.rows("attacker_cues.tsv"):
        if len(row) >= 2 and row[1]:
            words.setdefault(row[0], []).append(re.escape(row[1].strip().casefold()))
    group, weapon, verb = ("|".join(words.get(k, ["(?!)"])) for k in ("group", "weapon", "verb"))
    return re.compile(rf"\b(?:(?:{group})\s+(?:[a-z]+\s+)?(?:{weapon})\b|(?:{group})\s+(?:{verb})\b"
                      rf"|\b(?:{verb})\s+by\s+(?:the\s+)?(?:{group})\b)", re.I)


# Manned aircraft and what only they drop: no non-state group in the conflicts ACLED
# codes flies them (drones are left out: armed groups fly those).
AIRCRAFT = re.compile(r"\b(?:war ?planes?|fighter jets?|jets|helicopters?|barrel[- ]bombs?|air ?force|aircraft"
                      r"|bombers)\b", re.I)


def conflict(a: Report, b: Report) -> Optional[str]:
    """Why two reports cannot be one event (days, place), whatever else they share.

    Checked against every member of a cluster before a report joins it
    (the evidence to join may come from one member: single link for
    evidence, complete link for conflicts), so a cluster cannot drift from
    Aleppo to Idlib or from Monday to Friday one plausible step at a time.
    """
    if why := days_relation(a, b):
        return why
    if a.place_inferred or b.place_inferred:
        return None  # a guessed place is no reason to keep two reports apart
    place, reason = place_relation(a.place, b.place)
    return reason if place == "far" else None


def stated_day(report: Report) -> bool:
    """The report's day is one its article states (not its publication day, and not a
    number misread as a date that ``Report.days`` replaced by the publication day)."""
    return report.event.date_source in STATED and day_range(report.event.date) == report.days


def stated_days_differ(a: Report, b: Report) -> Optional[str]:
    """Why two reports that state different days are two events, if they are.

    ACLED's unit is a day: strikes on one town on Monday (21 dead) and on
    Tuesday (56 dead) are two events, though ``DAY_WINDOW`` lets a Monday
    and a Tuesday report match (outlets resolve weekdays a day apart).

    Two reports that each name a town, village or site (``different_named_points``:
    two gazetteer entries, not a guess, not a province) that are not the same one, on
    two days and with two tolls, are two events whatever says the days: five killed in
    a village on Wednesday and eleven in the town beside it on Thursday are two
    strikes, though one day is only the publication day (FA-KES dev: pairs precision
    0.954 -> 1.0, toll ranges over all gold toll events 0.50 -> 0.54).  Otherwise both
    days must be stated in the text (``Event.date_source``: not the publication day),
    and then either

    - the tolls differ: a toll that is the same says the one-day gap may be a
      misread, a toll that is missing says nothing; or
    - their places are not one (``place_relation`` "near": within ``NEAR_KM``,
      or one province both name; an article's place stands in for a report
      that names none): a town and its province, a country or no place at all
      cannot tell a misread weekday from another day's event, and a same toll
      is then a coincidence (18 killed in the city on Monday, 18 "in the
      city's countryside" on Tuesday).
    """
    ra, rb = a.days, b.days
    if ra is None or rb is None or ra[0] != ra[1] or rb[0] != rb[1] or ra[0] == rb[0]:
        return None
    toll = toll_relation(plausible(a.event.fatalities, a.published), plausible(b.event.fatalities, b.published))
    if toll == "different" and different_named_points(a, b):
        assert a.place is not None and b.place is not None, "different_named_points needs both places"
        return f"days {ra[0]} and {rb[0]} at two named places ({a.place.name}, {b.place.name}) with different tolls"
    if not (stated_day(a) and stated_day(b)):
        return None
    if toll == "different":
        return f"stated days {ra[0]} and {rb[0]} with different tolls"
    if place_relation(a.place, b.place)[0] != "near":
        return f"stated days {ra[0]} and {rb[0]}, and no place shared by both"
    return None


def different_named_points(a: Report, b: Report) -> bool:
    """Both reports name a town, village or site for the event (not a guess, not a province or a
    country), and not the same one: two gazetteer entries of different names."""
    if a.place_inferred or b.place_inferred or a.place is None or b.place is None:
        return False
    if _level(a.place) != "point" or _level(b.place) != "point":
        return False
    pa, pb = a.place, b.place
    if not (pa.gazetteer_id and pb.gazetteer_id) or pa.gazetteer_id == pb.gazetteer_id:
        return False
    return _key(pa.name) != _key(pb.name)


# The linker's name for the rule before it also kept apart days without a shared place.
stated_days_and_tolls_differ = stated_days_differ


def same_named_place(a: Report, b: Report) -> bool:
    """Both reports name the same town or site for the event (one gazetteer entry, or one name), not a
    guess and not a province or a country."""
    if a.place_inferred or b.place_inferred or a.place is None or b.place is None:
        return False
    if _level(a.place) != "point" or _level(b.place) != "point":
        return False
    pa, pb = a.place, b.place
    return bool(pa.gazetteer_id and pa.gazetteer_id == pb.gazetteer_id) or _key(pa.name) == _key(pb.name)


MAX_PARTS = 4  # places a headline total is itemised into, at most, that ``itemised_totals`` looks for
MAX_ITEMS = 12  # events told after a total that ``itemised_totals`` sums


def itemised_totals(reports: list[Report]) -> None:
    """Set ``Report.parts`` on the reports of one article whose toll is the sum of the tolls of events it
    tells after it at places that are not one (pairwise ``place_relation`` "far": over ``NEAR_KM`` apart).

    A story leads with a day's total over a province ("13 civilians killed in air raids on the
    north") and then tells each strike with its town and toll (5 in one town, 8 in another 60 km
    away): the total is no event of its own toll, and the strikes are not one event with it
    (ACLED's unit is one place and day; the FA-KES convention keeps per-place tolls apart
    unless the places are within about 25 km).  Places the article only guesses say nothing.
    """
    tolls = {r.id: f.low for r in reports if (f := plausible(r.event.fatalities)) is not None and f.low}
    placed = [r for r in reports if r.id in tolls and r.place is not None and not r.place_inferred
              and _level(r.place) == "point"]
    for total in reports:
        if total.id not in tolls:
            continue
        # the parts are told after the total, and a round-up of many incidents is read in part:
        # at most ``MAX_ITEMS`` of them (sums over more would cost more than they find)
        others = [r for r in placed if r.event.span.start > total.event.span.start
                  and tolls[r.id] < tolls[total.id]][:MAX_ITEMS]
        for n in range(2, min(MAX_PARTS, len(others)) + 1):
            found = next((combo for combo in itertools.combinations(others, n)
                          if sum(tolls[r.id] for r in combo) == tolls[total.id]
                          and all(place_relation(x.place, y.place)[0] == "far"
                                  for x, y in itertools.combinations(combo, 2))), None)
            if found:
                total.parts = frozenset(r.id for r in found)
                break


def same_event(a: Report, b: Report, embedder: str = "minilm") -> Match:
    """The rule in the module docstring, applied to two reports (``embedder``: its kind, ``embed.kind_of``)."""
    ea, eb = a.event, b.event
    if a.id in b.parts or b.id in a.parts:
        return Match(False, "a total its article itemises by place, and one of its places")
    if a.article_id == b.article_id and (why := told_apart(a, b)):
        return Match(False, why)
    if a.evidence_id == b.evidence_id and a.article_id != b.article_id and ea.span.text == eb.span.text:
        return Match(True, "the same sentence in a copy of the same text", 3)
    if not sub_types_compatible(ea.sub_type, eb.sub_type):
        return Match(False, f"sub-types {ea.sub_type} / {eb.sub_type}")
    if why := days_relation(a, b):
        return Match(False, why)
    if why := stated_days_differ(a, b):
        return Match(False, why)
    place, place_reason = place_relation(a.place, b.place)
    if place == "far" and (a.place_inferred or b.place_inferred):
        assert a.place is not None and b.place is not None, "place_relation calls no place far"
        # A guessed place too far away says nothing; but the guess is the article's, and an
        # article is about one province more surely than about one town in it.
        same_province = bool(a.place.admin1) and _key(a.place.admin1) == _key(b.place.admin1)
        place, place_reason = (("inside", f"{place_reason}, but a place is only the article's, in one province")
                               if same_province else ("unknown", f"{place_reason}, but a place is only the article's"))
    if place == "far":
        return Match(False, place_reason)
    pa, pb = _perpetrator(a), _perpetrator(b)
    actors_conflict = perpetrators_conflict(a, b)
    toll = toll_relation(plausible(ea.fatalities, a.published), plausible(eb.fatalities, b.published))
    kind = ea.sub_type if ea.sub_type == eb.sub_type else f"{ea.sub_type} ~ {eb.sub_type}"
    if actors_conflict and not (toll == "same" and same_named_place(a, b)):
        return Match(False, f"different perpetrators ({_who(a)}, {_who(b)})")
    if place == "near":
        strength = 3 if toll == "same" else 2
        if a.place_inferred or b.place_inferred:
            strength -= 1  # a guessed place is weaker evidence than a named one
        return Match(True, f"{kind}; {place_reason}" + ("; same toll" if toll == "same" else ""), strength)
    if toll == "same" and (place == "inside" or (pa is not None and pa == pb)):
        assert ea.fatalities is not None, "toll_relation calls no missing toll the same"
        return Match(True, f"{kind}; {place_reason}; same toll ({ea.fatalities.low})", 1)
    sim = similarity(a, b)
    if sim is not None and not actors_conflict:
        if sim >= SAME_SENTENCE_SIM[embedder] or (sim >= RELATED_SENTENCE_SIM[embedder] and (place == "inside" or toll == "same")):
            return Match(True, f"{kind}; {place_reason}; toll {toll}; sentences alike ({sim:.2f})", 1)
    return Match(False, f"{place_reason}; toll {toll}: not enough to merge")


def told_apart(a: Report, b: Report) -> Optional[str]:
    """Why two reports of one article are two events, whatever else they share, or None.

    - the later sentence turns to another event ("Elsewhere in the country ...",
      ``turns_elsewhere``);
    - they name two towns or sites (``different_named_points``) and give two tolls: a story
      telling seven killed in one town and "another three" in the next town tells two events
      (ACLED's unit is one place; the FA-KES convention keeps per-place tolls apart), though
      the towns may lie within ``NEAR_KM`` of each other.
    """
    ea, eb = a.event, b.event
    if ea.span != eb.span and turns_elsewhere(max(ea, eb, key=lambda e: e.span.start)):
        return "the later sentence turns to another event ('elsewhere')"
    if different_named_points(a, b) and toll_relation(plausible(ea.fatalities), plausible(eb.fatalities)) == "different":
        assert a.place is not None and b.place is not None, "different_named_points needs both places"
        return f"one article's tolls at two named places ({a.place.name}, {b.place.name})"
    return None


@functools.lru_cache(maxsize=1)
def _elsewhere() -> re.Pattern:
    cues = sorted(lexicon.word_set("link_cues.tsv", "elsewhere"), key=len, reverse=True)
    return re.compile(r"^\W*(?:meanwhile\W+)?(?:" + "|".join(re.escape(c) for c in cues) + r")\b", re.I)


def turns_elsewhere(event) -> bool:
    """The event's sentence opens by turning to another event ("Elsewhere in the country ...",
    "In another attack ...", ``link_cues.tsv``): within its article, it is not the event told
    before it, though it may share the day, a guessed place and the story's words."""
    return _elsewhere().search(event.span.text) is not None


def similarity(a: Report, b: Report) -> Optional[float]:
    if a.vector is None or b.vector is None or len(a.vector) != len(b.vector):
        return None
    return float(a.vector @ b.vector)
