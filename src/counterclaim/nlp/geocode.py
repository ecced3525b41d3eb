"""Toponym resolution: NER place mentions in, ``Place`` records with coordinates out.

The caller (the spaCy part of ``nlp``) finds the mentions; this module only sees
plain strings and spans, so it can be tested and reused without spaCy.

How a mention is resolved (each step leaves its words in ``Place.reason``):

1. Candidates come from the gazetteer (``Gazetteer.matches``). A type word next to
   the mention decides the kind: "Kandahar province" / "province of Kandahar" wants
   a province, "Kabul city" / "the city of Kabul" a city, "Metcalfe County" a
   county; a dateline (label ``DATELINE``) wants a town.
2. "X, Y" (Y a province or country) keeps only the candidates inside Y, and only
   the readings of Y that hold an X ("Atlanta, Georgia" is the state). When no X is
   known inside Y ("HOLLIDAY, Mo."), the place is put at Y's point, with Y's precision.
3. A country name (or alias: "U.S.", "Britain") resolves to the country.
4. A city beats a province of the same name that it lies in when it holds a
   sizeable share of the province's people (news convention: "in Kandahar" is the
   city), unless the text says "province". A national capital beats the places of
   the same name in its own country ("Washington" is not the state, nor Washington,
   Iowa); namesakes abroad still compete (London, Ontario in Canadian news).
5. The rest is a score, so evidence can add up: log population; +2 when the place
   lies in a country of the article (countries named in it, nationality words such
   as "Afghan", the caller's ``country_hints``, the countries of the other names'
   choices); +2 when its province is named in the article; a bonus for nearness to
   the other names' choices; +1 for a province seat (feature code PPLA, known from an
   imported GeoNames dump); -1.5 when only a GeoNames alternate name matched. Names
   are decided in text order, each seeing the others' latest choices but never its
   own, and again until nothing changes. A bare dateline ("WASHINGTON —") is decided
   by size and the article's countries only: it names a town every reader knows.
6. A name the gazetteer does not know may be another romanisation of an Arab town
   ("Deir Ezzor", "Taduf"): the towns of the article's countries with the same
   consonant frame (``Gazetteer.spelling_matches``) are its candidates, scored as
   alternate names are.
7. The same name with the same type word resolves the same way throughout an
   article (one sense per discourse), decided where a container qualifies it.

8. A name the gazetteer does not know (a village, a quarter, a plain) is placed at the
   place that holds it: one named with it ("X village in Y district", "X north of Y"),
   else a town or province named before it in its sentence, else the place the story
   was at just before (``SETTING_GAP``). Its reason starts "not in gazetteer" and says
   which; its point is only as good as the container's. A small town the gazetteer
   does know, far from the big city its sentence names, is taken as that city's
   quarter the same way ("curfew in Y besides A and B").

Nothing is lost: a GPE/LOC/FAC mention that the gazetteer does not know and nothing
holds becomes a ``Place`` with no coordinates and reason "not in gazetteer". NORP mentions
("Afghan", "Pakistani") are context only, unless ``demonyms_as_places`` asks for
them as places (as TR-News and GeoWebNews annotate them): nationality adjectives as
their country, "African" or "Kurdish" as the continent or region; plural nouns
("Cubans") name people, not places.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from counterclaim.data.lexicon import word_list
from counterclaim.nlp import lexicon
from counterclaim.nlp.gazetteer import (
    ADMIN_WORDS,
    MATCH_ALT,
    MATCH_SPELLING,
    Coordinates,
    Entry,
    Gazetteer,
    Match,
    demonym_country,
    fold,
    km_apart,
    plural_demonym,
    region_demonym,
)
from counterclaim.records import Place, Span

PLACE_LABELS = ("GPE", "LOC", "FAC", "DATELINE")  # DATELINE: a place name opening a story ("BEIRUT —")
PROVINCE_WORDS = tuple(w for w in ADMIN_WORDS if " " not in w) + ("provinces",)
CITY_WORDS = word_list("geocode.tsv", "city_words")
STRONG_POPULATION = 100_000  # a town this big is what its name means, even with a letter more
PART_KM = 30.0  # a neighbourhood lies this close to the town it is part of
ACRONYM_MAX = 4  # a name in capitals this short may be an acronym
SEAT_SHARE = 0.05  # a same-named city with this share of a province's population beats it
PASSES = 3

W_COUNTRY = 2.0  # candidate in a country of the article
W_ADMIN1 = 2.0  # candidate in a province named in the article
W_ALTERNATE = -1.5  # only a GeoNames alternate name matched
W_NEAR = ((100.0, 2.5), (300.0, 1.5), (800.0, 0.5))  # (within km, bonus) to a resolved place
REGION_PRIOR = 6.0  # curated regions have no population: score them like a big city
# Seats of government are what a bare name means more often than their population says;
# GeoNames feature codes mark them (an imported dump has them for province seats).
# (A national capital instead beats its own country's namesakes outright: ``_capital_over_namesakes``.)
SEAT_PRIOR = {"PPLA": (1.0, "a province seat")}


@dataclass
class _Mention:
    span: Span
    label: str
    surface: str  # the name as looked up ("Kandahar" from "Kandahar's")
    want: Optional[str] = None  # "province" or "city", from a type word in the text
    cue: str = ""  # the type word that decided ``want``
    matches: list[Match] = field(default_factory=list)
    inside: Optional[int] = None  # index of the mention after ", " that contains this one
    choice: Optional[Match] = None
    reason: str = ""
    dateline: bool = False
    bare: str = ""  # the name without a type word that ends the span ("Hassakeh" of "Hassakeh city")

    @property
    def key(self) -> tuple[str, Optional[str]]:
        return fold(self.surface), self.want


def resolve(
    mentions: Iterable[tuple[Span, str]],
    *,
    text: str,
    country_hints: Sequence[str] = (),
    demonyms_as_places: bool = False,
    gazetteer: Optional[Gazetteer] = None,
    drop_accidental: bool = False,
) -> list[Place]:
    """Resolve NER mentions ``(Span, label)`` (GPE/LOC/FAC/NORP) of ``text`` to places.

    ``country_hints``: alpha-2 codes known from elsewhere (the outlet's country, a
    feed's topic). Returns one ``Place`` per GPE/LOC/FAC mention, in text order, and
    one per NORP nationality word when ``demonyms_as_places`` is true.
    ``drop_accidental`` leaves out names the gazetteer matches only by accident
    (``_accidental``): a small foreign town that nothing in the article supports.
    """
    gaz = gazetteer or Gazetteer.default()
    items = sorted(mentions, key=lambda m: (m[0].start, m[0].end))
    places_in: list[_Mention] = []
    nationality: list[tuple[Span, str]] = []
    regional: list[tuple[Span, str]] = []
    for span, label in items:
        if label == "NORP":
            cc = demonym_country(_clean(span.text))
            if cc:
                nationality.append((span, cc))
            elif region := region_demonym(_clean(span.text)):
                regional.append((span, region))
        elif label in PLACE_LABELS:
            places_in.append(_prepare(span, label, text, gaz))
    _link_containers(places_in, text)

    base = Counter({cc.upper(): 3 for cc in country_hints})
    base.update(cc for _, cc in nationality)
    base.update(_demonyms_in(text))
    for m in places_in:  # countries named in the article
        if m.matches and m.matches[0].entry.kind == "country" and m.matches[0].match != MATCH_ALT \
                and (country := m.matches[0].entry.country) is not None:  # always: a country entry has its code
            base[country] += 1
    # An Arabic name the gazetteer spells otherwise, in a country of the article: one
    # named, or the one country all readings of another name lie in ("Aleppo").
    spelled_in = set(base) | {m.matches[0].entry.country for m in places_in if m.matches and len(
        {c.entry.country for c in m.matches if c.match != MATCH_ALT} - {None}) == 1 and m.matches[0].match != MATCH_ALT}
    for m in places_in:
        if m.dateline or _quarter(text, m.span):
            continue
        if not m.matches:
            m.matches = [c for c in gaz.spelling_matches(m.bare) if c.entry.country in spelled_in]
        elif m.want == "province" and not any(c.entry.kind in ("province", "region") for c in m.matches):
            # "Hasaka province": the town is known by this spelling, the province by another
            m.matches = m.matches + [c for c in gaz.spelling_matches(m.surface)
                                     if c.entry.kind == "province" and c.entry.country in spelled_in]

    # Each name is decided in text order, seeing what the others were decided as so far
    # (its own earlier choice is no evidence for itself); then again, until nothing changes.
    # A dateline with no province or country after it names a city every reader knows
    # ("WASHINGTON —"): that name is decided by size and the story's countries, not by
    # the provinces and towns the story goes on to name.
    datelines = {m.key for m in places_in if m.dateline and m.inside is None}
    # One decision per name: made for its first mention, or for the first that a
    # container qualifies ("Paris, Texas" decides every "Paris" of the article).
    rep: dict[tuple, _Mention] = {}
    for m in places_in:
        if m.key not in rep or (m.inside is not None and rep[m.key].inside is None):
            rep[m.key] = m
    decided: dict[tuple, tuple[Match, str]] = {}
    for _ in range(PASSES):
        changed = False
        for m in rep.values():
            if not m.matches:
                continue
            context, provinces, anchors = _evidence(base, decided, m.key)
            if m.key in datelines:
                provinces, anchors = set(), []
            container = places_in[m.inside] if m.inside is not None else None
            outer = decided.get(container.key) if container else None
            pick = _choose(m, context, provinces, anchors, outer[0].entry if outer else None, gaz)
            if pick and m.key in datelines:
                pick = (pick[0], _join([pick[1], "a bare dateline: a well-known place"]))
            if pick and decided.get(m.key) != pick:
                decided[m.key] = pick
                changed = True
        if not changed:
            break

    parts = _parts_of_towns(places_in, decided, text)
    accidental = {k for k, m in enumerate(places_in) if drop_accidental and m.key in decided
                  and _accidental(m, decided[m.key][0], decided, base, text)}
    dropped = {places_in[k].key for k in accidental}
    features = frozenset(places_in[k].key for k in accidental if _landform_after(text, places_in[k].span))
    held = _held_by_container(places_in, {key: d for key, d in decided.items() if key not in dropped},
                              parts, text, features)
    out: list[Place] = []
    for k, m in enumerate(places_in):
        if k in parts:
            out.append(parts[k])
            continue
        container = places_in[m.inside] if m.inside is not None else None
        named = decided[container.key][0].entry if container and container.key in decided else None
        town = all(x.entry.kind in ("city", "site") for x in m.matches)
        if town and named is not None and named.kind in ("province", "country") and named.lat is not None and not (
                m.key in decided and _within(decided[m.key][0].entry, named)):
            # "HOLLIDAY, Mo.": no Holliday known in Missouri, but it is in Missouri.
            out.append(Place(span=m.span, name=m.surface, lat=named.lat, lon=named.lon, country=named.country,
                             admin1=named.admin1 if named.kind == "province" else None, precision=named.precision,
                             reason=f"no {m.surface} known in {named.name}, named after it: placed at its point"))
        elif k in accidental:
            if k in held:  # a far namesake by an alternate name: the name is an unknown one here
                out.append(held[k])
            continue
        elif k in held:
            out.append(held[k])
        elif m.key in decided:
            choice, reason = decided[m.key]
            if choice.entry.id.startswith("us-county:"):
                reason = _join([reason, f"a county: placed at the point of {choice.entry.admin1} (no county coordinates)"])
            out.append(_place(m.span, choice.entry, reason))
        else:
            out.append(Place(span=m.span, name=m.surface, reason="not in gazetteer"))
    if demonyms_as_places:
        for span, cc in nationality:
            entry = gaz.get(f"country:{cc}")
            if entry and not plural_demonym(_clean(span.text)):  # "Cubans" are people
                out.append(_place(span, entry, f"nationality word for {cc}"))
        for span, target in regional:
            entry = gaz.get(target)
            if entry:
                out.append(_place(span, entry, f"adjective of {entry.name}"))
        out.sort(key=lambda p: p.span.start)
    return out


# ---------------------------------------------------------------- preparing mentions

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    return text[4:] if text.lower().startswith("the ") else text


_PUNCT = ".,;:!?\"'“”‘’()[]"


def _type_word(text: str, span: Span) -> tuple[Optional[str], str]:
    """("province", "province") for "Kandahar province" or "province of Kandahar",
    ("city", "city") for "Kabul city" or "the city of Kabul", else (None, "")."""
    after = text[span.end: span.end + 20].lower().split()[:1]
    before = text[max(0, span.start - 20): span.start].lower().split()[-2:]
    for want, words in (("province", PROVINCE_WORDS), ("city", CITY_WORDS)):
        if after and after[0].strip(_PUNCT) in words:
            return want, after[0].strip(_PUNCT)
        if len(before) == 2 and before[1] == "of" and before[0] in words:
            return want, before[0]
    return None, ""


# "X neighborhood", "X and Y neighborhoods", "X, Y and Z quarters"
_QUARTER_AFTER = re.compile(
    r"(?:(?:\s*,\s*|\s+(?:and|or)\s+)(?:[a-z]{1,3}-)?[A-Z][\w'‘’-]*(?:\s+(?:[a-z]{1,3}-)?[A-Z][\w'‘’-]*)*)*"
    r"\s+(?:neighbou?rhoods?|quarters?|suburbs?|streets?)\b")


def _quarter(text: str, span: Span) -> bool:
    """ "al-Qusor and Hrabesh neighborhoods": a part of a town, which no gazetteer town
    is, however alike the names sound (Qusayr is a town 400 km away)."""
    return bool(_QUARTER_AFTER.match(text, span.end))


def _prepare(span: Span, label: str, text: str, gaz: Gazetteer) -> _Mention:
    m = _Mention(span, label, _clean(span.text), dateline=label == "DATELINE")
    m.want, m.cue = _type_word(text, span)
    if m.dateline and not m.want:  # a story is filed from a town, not from a province
        m.want, m.cue = "city", "dateline"
    words = m.surface.lower().split()
    m.matches = gaz.matches(m.surface)
    m.bare = m.surface
    if not m.matches:
        _possessive_stem(m, text, gaz)
    if len(words) > 1 and words[-1] in PROVINCE_WORDS + CITY_WORDS:  # "Paktia province" as one span
        bare = m.bare = " ".join(m.surface.split()[:-1])
        if not m.matches or not any(x.entry.kind in ("province", "city", "region") for x in m.matches):
            m.matches = gaz.matches(bare) or m.matches
        m.want = "province" if words[-1] in PROVINCE_WORDS else "city"
        m.cue = words[-1]
    return m


def _possessive_stem(m: _Mention, text: str, gaz: Gazetteer) -> None:
    """ "Idlibs", "Aleppos": a possessive whose apostrophe was lost in copying (as in
    "Syrias army"). When only the name without its final "s" is a well-known place,
    that is the mention, and its span drops the "s"."""
    word = m.surface
    if len(word) < 5 or not word.endswith("s") or word[-2] in "sS'’" or not word[:1].isupper():
        return
    stem = word[:-1]
    matches = gaz.matches(stem)
    if any(x.match != MATCH_ALT and (x.entry.kind in ("country", "province", "region")
                                     or x.entry.population >= STRONG_POPULATION) for x in matches):
        end = m.span.end - 1
        m.span = Span(m.span.start, end, text[m.span.start:end])
        m.surface, m.matches = stem, matches


def _link_containers(mentions: list[_Mention], text: str) -> None:
    """ "College Station, Texas": the second mention contains the first. A country is
    inside nothing ("Russia, U.S. officials said"), a province not inside a province
    ("Wisconsin, Michigan" is a list), and a province's name followed by a country is
    that province's country or no container ("England, U.S. officials said"). When the container's name is ambiguous, only its readings
    that hold a place of the first name are kept ("Atlanta, Georgia": the state)."""
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        between = text[a.span.end: b.span.start]
        if between not in (", ", ",", " in "):
            continue
        own = [x for x in a.matches if x.match != MATCH_ALT]
        if between == " in " and not any(h.entry.kind in ("province", "country") and h.match != MATCH_ALT
                                         for h in b.matches):
            continue  # "Baga in Borno State", "a village in Syria"; not "Kabul in March"
        if any(x.entry.kind == "country" for x in own):
            continue
        holders = [x for x in b.matches if x.entry.kind in ("province", "country")]
        provinces = [x for x in own if x.entry.kind == "province"]
        if provinces and holders and all(h.entry.kind == "country" for h in holders) \
                and not any(_within(x.entry, h.entry) for x in provinces for h in holders):
            continue  # "England, U.S. officials said": a province name is qualified by its own country only
        holding = [h for h in holders if any(
            _within(x.entry, h.entry) and (x.entry.kind != "province" or h.entry.kind == "country") for x in a.matches)]
        # Link when a place of the first name lies in the second, or when the first can
        # only be a town (one the gazetteer may not know: "HOLLIDAY, Mo.").
        if holding:
            b.matches = holding
        elif not holders or any(x.entry.kind not in ("city", "site") for x in a.matches):
            continue
        a.inside = i + 1


QUARTER_WORDS = word_list("geocode.tsv", "quarter_words")  # only a town has these: never a country
PART_WORDS = word_list("geocode.tsv", "part_words")
_PART_AFTER = re.compile(r"\s+(" + "|".join(PART_WORDS) + r")s?\b(?P<rel>\s+(?:of|on|in|near)\s+(?:the\s+)?)?",
                         re.IGNORECASE)
_ADMIN_AFTER = re.compile(r"\s+(?:" + "|".join(PROVINCE_WORDS) + r")\b", re.IGNORECASE)
_DATELINE_AFTER = re.compile(r"\s*(?:[,(:]|--|[—–-])")


def _parts_of_towns(mentions: list[_Mention], decided: dict, text: str) -> dict[int, Place]:
    """ "the Vejalpur area of Ahmedabad", "the Zacamil neighborhood", "in Gorwa area":
    a neighbourhood or district is inside its town, and a same-named village 100 km
    away is not it. Its town is the place named right after ("area of Y", "area on Y's
    outskirts"), else a town named before it in the sentence, else the dateline's town;
    the latter two only when the name is no place the gazetteer knows near it, nor a
    big one ("the Damascus area" is Damascus). A town's part the gazetteer knows within
    ``PART_KM`` is taken; otherwise the part is placed at its town's point."""
    out: dict[int, Place] = {}
    towns = [k for k, m in enumerate(mentions) if m.key in decided and decided[m.key][0].entry.kind == "city"]
    placed: dict[tuple, Place] = {}  # one decision per name: "the sensitive area of X" later is the same X
    # Only a city has neighbourhoods: the fallbacks below take a big one, never a village.
    cities = [k for k in towns if decided[mentions[k].key][0].entry.population >= STRONG_POPULATION]
    dateline = next((k for k in cities[:1] if mentions[k].span.start < 40 and not text[:mentions[k].span.start].strip()
                     and _DATELINE_AFTER.match(text, mentions[k].span.end)), None)
    for k, m in enumerate(mentions):
        after = _PART_AFTER.match(text, m.span.end)
        if not after:
            continue
        word = after.group(1).lower()
        if m.matches and m.matches[0].entry.kind in ("country", "province", "region") \
                and word not in ("neighbourhood", "neighborhood", "quarter", "suburb"):
            continue  # "the Idlib area", "Anand district": the province itself
        own = [c for c in m.matches if c.entry.kind in ("city", "site")]
        if after.group("rel"):  # "area of Y": Y or nothing
            town = next((j for j in towns if mentions[j].span.start == after.end()), None)
            how = "named after it"
            if town is not None and _ADMIN_AFTER.match(text, mentions[town].span.end):
                continue  # "the Jambusar area of Bharuch district": a town in a district
        elif m.matches and (word not in QUARTER_WORDS or m.matches[0].entry.kind in ("city", "site")):
            continue  # a known place: "the Prantij area" is Prantij
        else:
            sentence_start = max(text.rfind(stop, 0, m.span.start) for stop in (". ", "\n", "? ", "! "))
            before = [j for j in cities if sentence_start < mentions[j].span.start < m.span.start and j != k]
            town, how = (before[-1], "named before it in the sentence") if before else (dateline, "the dateline's town")
        if town is None or town == k:
            continue
        t = decided[mentions[town].key][0].entry
        near = [c for c in own if c.entry.lat is not None and km_apart(c.entry, t) <= PART_KM]
        if near:
            best = max(near, key=lambda c: c.entry.population)
            out[k] = dataclasses.replace(
                _place(m.span, best.entry, f"{_a(word)} of {t.name} ({how}): the {m.surface} within {PART_KM:.0f} km of it"),
                kind="district")
        elif own or not m.matches or all(c.entry.kind in ("city", "site") for c in m.matches) or word in QUARTER_WORDS:
            out[k] = Place(span=m.span, name=m.surface, kind="district", lat=t.lat, lon=t.lon, country=t.country,
                           admin1=t.admin1, precision="city",
                           reason=f"{_a(word)} of {t.name} ({how}), not in the gazetteer there: placed at its town's point")
        if k in out:
            placed.setdefault(m.key, out[k])
    for k, m in enumerate(mentions):
        if k not in out and m.key in placed:
            out[k] = dataclasses.replace(placed[m.key], span=m.span)
    return out


# What may stand between an unknown name and the place that holds it: "X in Y", "X,
# Y", "X village in Y district", "X near Y", "X, a few kilometres north of Y", "X (Y)".
_HELD_BY = re.compile(
    r"^\s*(?:,\s*|\(\s*)?(?:(?:a|the)\s+)?(?:(?:village|town|area|district|neighbou?rhood|locality|suburb|camp|hill)s?\s+)?"
    r"(?:(?:(?:some|about|a\s+few|\d+|several)\s+)?(?:kilometres|kilometers|km|miles)\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west)(?:ern)?\s+)?"
    r"(?:(?:the|a|an)\s+(?:[a-z][\w-]*\s+){0,3})?"
    r"(?:in|of|near|outside|on\s+the\s+outskirts\s+of)?\s*(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}$")
HELD_GAP = 60  # characters between a name and its container, at most
SETTING_GAP = 600  # characters back to the last place named, at most, for a name with no container


def _held_by_container(mentions: list[_Mention], decided: dict, parts: dict, text: str,
                       features: frozenset = frozenset()) -> dict[int, Place]:
    """A name the gazetteer does not know is still somewhere: villages, quarters,
    plains and crossings below the gazetteer's size are mostly named with the place that
    holds them ("X village in Y district", "X, north of Y", "X in rebel-held Y province").
    Such a name is placed at that place's point, and its reason says so (the point is
    only as good as the container's). Failing an explicit container, a town, quarter or
    province named earlier in the same sentence is taken ("curfew in Y besides A, B and
    C"), else the last one named shortly before: a story keeps to one setting far more
    often than not. A country is no container here: its point says nothing about where
    in it the name lies, so the name keeps no coordinates, as before.

    A name decided as a small town with nothing asking for it is moved the same way
    when the big city its own sentence names is more than ``NAMESAKE_KM`` away ("curfew
    in Y besides A and B" names quarters of Y, not a village of that name in another
    state)."""
    points: dict[int, tuple[str, Optional[float], Optional[float], Optional[str], Optional[str], Optional[str]]] = {}
    for j, o in enumerate(mentions):
        if j in parts and parts[j].lat is not None:
            p = parts[j]
            points[j] = (p.name, p.lat, p.lon, p.country, p.admin1, p.precision)
        elif o.key in decided and decided[o.key][0].entry.kind in ("city", "province", "region") \
                and decided[o.key][0].entry.lat is not None:
            e = decided[o.key][0].entry
            points[j] = (e.name, e.lat, e.lon, e.country, e.admin1, e.precision)
    out: dict[int, Place] = {}
    by_key: dict[tuple, Place] = {}
    # Namesakes first: a quarter moved to its city is then the setting of the names after it.
    order = sorted(range(len(mentions)), key=lambda k: (not _small_town(mentions[k], decided), k))
    for k in order:
        m = mentions[k]
        namesake = _small_town(m, decided)
        if (m.key in decided and not namesake) or k in parts or m.inside is not None or _quarter(text, m.span) or (
                m.matches and not namesake and m.key not in features and not all(c.match == MATCH_ALT for c in m.matches)):
            continue  # a town's quarter is placed by ``_parts_of_towns`` or not at all
        if m.key in by_key:
            out[k] = dataclasses.replace(by_key[m.key], span=m.span)
            continue
        sentence = _sentence_bounds(text, m.span.start)
        holder, how = None, ""
        for j in range(k + 1, len(mentions)):
            o = mentions[j]
            if o.span.start - m.span.end > HELD_GAP or o.span.start >= sentence[1]:
                break
            between = text[m.span.end:o.span.start]
            if j in points and _HELD_BY.match(between) and not re.search(r"\b(?:and|or)\b", between) \
                    and (between.strip() != "," or _big(decided.get(o.key), kinds=("province", "region", "city"))):
                holder, how = j, "named with it"
                break
        before = [j for j in points if j < k]
        if namesake:  # only a big city has quarters
            before = [j for j in before if j not in parts and _big(decided.get(mentions[j].key))]
        if holder is None and before and mentions[before[-1]].span.start >= sentence[0]:
            holder, how = before[-1], "named before it in the sentence"
        if holder is None and before and m.span.start - mentions[before[-1]].span.end <= SETTING_GAP and not namesake:
            holder, how = before[-1], "the place the story was at before it"
        if holder is None:
            continue
        name, lat, lon, country, admin1, precision = points[holder]
        if namesake:
            e = decided[m.key][0].entry
            if country is not None and e.country and e.country != country:
                continue  # the town the gazetteer knows lies in another country than the city: that town is meant
            if _LISTED_WITH.fullmatch(text[min(mentions[holder].span.end, m.span.end):max(mentions[holder].span.start, m.span.start)]):
                continue  # "attacks on A and B": two towns listed side by side, not a town and its quarter
            if lat is None or km_apart(Coordinates(lat, lon), e) <= NAMESAKE_KM or holder in parts \
                    or decided[mentions[holder].key][0].entry.kind != "city" \
                    or decided[mentions[holder].key][0].entry.population < STRONG_POPULATION:
                continue
            how += f"; the {e.name} the gazetteer knows is {km_apart(Coordinates(lat, lon), e):.0f} km away"
        out[k] = Place(span=m.span, name=m.surface, kind=m.want, lat=lat, lon=lon, country=country,
                       admin1=admin1, precision=precision,
                       reason=(f"taken as a quarter of {name}, placed at its point ({how}), approximate" if namesake else
                               f"not in gazetteer; placed at {name} ({how}), approximate"))
        by_key[m.key] = out[k]
        if namesake:
            points[k] = (m.surface, lat, lon, country, admin1, precision)
    return out


_LISTED_WITH = re.compile(r"\s*(?:(?:,|and|or|&)\s*)+")
NAMESAKE_KM = 100.0  # a small town this far from the city its sentence is about is another place of that name
NAMESAKE_POPULATION = 50_000


def _big(decision, kinds=("city",)) -> bool:
    """A province or region, or a city of ``STRONG_POPULATION`` people."""
    if decision is None:
        return False
    e = decision[0].entry
    return e.kind in kinds and (e.kind != "city" or e.population >= STRONG_POPULATION)


def _small_town(m: _Mention, decided: dict) -> bool:
    """A name decided as a small town with nothing in the text asking for it (no type
    word, no container): a quarter of the city its sentence is about may share its name."""
    if m.key not in decided or m.want or m.inside is not None or m.dateline:
        return False
    e = decided[m.key][0].entry
    return e.kind == "city" and e.population < NAMESAKE_POPULATION and e.lat is not None


def _sentence_bounds(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(stop, 0, at) for stop in (". ", "\n", "? ", "! "))
    ends = [i for i in (text.find(stop, at) for stop in (". ", "\n", "? ", "! ")) if i >= 0]
    return start + 1, (min(ends) if ends else len(text))


_LOCATIVE_BEFORE = re.compile(r"\b(?:in|near|at|outside|from|into|to|towards?|around|across|of"
                              r"|(?:left|leaves|leaving|headed|bound|set\s+off)\s+for)\s+(?:the\s+)?$", re.IGNORECASE)


def _accidental(m: _Mention, choice: Match, decided: dict, countries: Counter, text: str) -> bool:
    """A name the gazetteer matches by accident ("don" as Don, France; a surname as a
    town in the Philippines): a town under ``STRONG_POPULATION`` people, in none of the
    article's countries (named, or by their nationality words) and near none of its
    other places, with no type word, no container and no locative word before it; or
    a short name in capitals, an acronym that spells a small town's name, or any place's
    name only roughly (a news agency's initials read as a province spelled with a letter
    more); or a small town abroad that only another language's name of it matched, in an
    article that names its countries and nothing near that town."""
    e = choice.entry
    if m.surface.isupper() and len(m.surface) <= ACRONYM_MAX and e.kind != "country" \
            and fold(e.name) != fold(m.surface) and not _mostly_capitals(text):
        return True
    if e.kind not in ("city", "site") or e.population >= STRONG_POPULATION or m.want or m.inside is not None:
        return False
    if m.surface.isupper() and len(m.surface) <= ACRONYM_MAX and not e.name.isupper():
        return True  # "NDA", "DAS": an acronym that spells a small town's name
    if countries.get(e.country):
        return False
    if _landform_after(text, m.span):
        return True  # "fired from X hill": a hill named like a small town abroad
    others = [c.entry for key, (c, _r) in decided.items() if key != m.key]
    near = any(o.lat is not None and e.lat is not None and km_apart(o, e) <= 300
               for o in others)
    if choice.match == MATCH_ALT and (countries or others) and not near and not any(o.country == e.country for o in others):
        return True  # only another language's name of a small town abroad ("Fua" for Foix)
    if _LOCATIVE_BEFORE.search(text, max(0, m.span.start - 20), m.span.start):
        return False
    if any(o.country == e.country for o in others):
        return False
    return not near


@functools.lru_cache(maxsize=1)
def _landforms() -> frozenset[str]:
    return frozenset(row[0].strip().lower() for row in lexicon.rows("landforms.tsv") if row and row[0].strip())


def _landform_after(text: str, span: Span) -> bool:
    nxt = text[span.end: span.end + 20].split()[:1]
    return bool(nxt) and nxt[0].strip(_PUNCT).lower() in _landforms()


def _mostly_capitals(text: str) -> bool:
    letters = [c for c in text[:2000] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.5 * len(letters)


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _demonyms_in(text: str) -> Counter:
    """Countries named by nationality words anywhere in the text ("Afghan cities")."""
    found: Counter = Counter()
    tokens = re.findall(r"[A-Z][\w’'-]*", text)
    i = 0
    while i < len(tokens):
        pair = f"{tokens[i]} {tokens[i + 1]}" if i + 1 < len(tokens) else None
        if pair and demonym_country(pair):
            found[demonym_country(pair)] += 1
            i += 2
            continue
        cc = demonym_country(tokens[i])
        if cc:
            found[cc] += 1
        i += 1
    return found


# ---------------------------------------------------------------- choosing


def _evidence(base: Counter, decided: dict, own: tuple) -> tuple[Counter, set, list]:
    """What the other names' choices say: their countries (added to the article's),
    the provinces they are, and the points they are."""
    context = Counter(base)
    provinces: set[tuple[str, str]] = set()
    anchors: list[tuple[tuple, Entry]] = []
    for key, (choice, _reason) in decided.items():
        if key == own:
            continue
        e = choice.entry
        if e.country:
            context[e.country] += 1
        if e.kind == "province" and e.admin1:
            provinces.add((e.country, fold(e.admin1)))
        if e.kind in ("city", "province", "site") and e.lat is not None:
            anchors.append((key, e))
    return context, provinces, anchors


def _choose(m: _Mention, context: Counter, provinces: set, anchors: list, outer: Optional[Entry], gaz: Gazetteer):
    cands = list(m.matches)
    notes: list[str] = []
    if outer is not None:
        inside = [c for c in cands if c.entry.country == outer.country and (
            outer.kind == "country" or (c.entry.admin1 and fold(c.entry.admin1) == fold(outer.admin1 or outer.name)))]
        if inside:
            cands = inside
            notes.append(f"inside {outer.name}, named after it")
    if m.want:
        wanted = [c for c in cands if c.entry.kind == m.want or (m.want == "province" and c.entry.kind == "region")]
        # A type word does not turn "Turkey" into a town that only an alternate name matches.
        if wanted and (any(c.match != MATCH_ALT for c in wanted) or all(c.match == MATCH_ALT for c in cands)):
            cands = wanted
            notes.append("a dateline names a town" if m.cue == "dateline" else f"{m.want}: '{m.cue}' next to the name")
    countries = [c for c in cands if c.entry.kind == "country" and c.match != MATCH_ALT]
    if countries and not m.want:
        return countries[0], _join(notes + [f"country {countries[0].how}"])
    cands = _city_over_province(cands, m, notes)
    if outer is None and not m.want:
        cands = _capital_over_namesakes(cands, notes, gaz)
    if len(cands) == 1:
        return cands[0], _join(notes + [f"only candidate ({cands[0].how})"])

    def score(c: Match) -> tuple[float, list[str]]:
        e = c.entry
        why = []
        s = REGION_PRIOR if e.kind == "region" and not e.population else math.log10(e.population + 10)
        if e.country and context.get(e.country):
            s += W_COUNTRY
            why.append(f"in {e.country}, a country of the article")
        if e.kind != "province" and e.admin1 and (e.country, fold(e.admin1)) in provinces:
            s += W_ADMIN1
            why.append(f"in {e.admin1}, named in the article")
        if anchors and e.lat is not None:
            d, near = min(((km_apart(e, a), a) for _, a in anchors), key=lambda x: x[0])
            for km, bonus in W_NEAR:
                if d <= km:
                    s += bonus
                    why.append(f"{d:.0f} km from {near.name}")
                    break
        seat = SEAT_PRIOR.get(gaz.feature(e.id) or "") if e.kind == "city" else None
        if seat:
            s += seat[0]
            why.append(seat[1])
        if c.match in (MATCH_ALT, MATCH_SPELLING):
            s += W_ALTERNATE
        return s, why

    scored = sorted(((score(c), c) for c in cands), key=lambda x: -x[0][0])
    (best_score, why), best = scored[0]
    peers = [c for (_, c) in scored if c.entry.country == best.entry.country]
    size = f"largest of {len(peers)} candidates in {best.entry.country}" if len(peers) > 1 else None
    if size and max(p.entry.population for p in peers) != best.entry.population:
        size = None
    head = f"best of {len(cands)} candidates"
    return best, _join(notes + [head] + why + ([size] if size else []))


def _city_over_province(cands: list[Match], m: _Mention, notes: list[str]) -> list[Match]:
    """Drop a province when a city of the same name inside it is a large part of it
    ("Kandahar", "Donetsk" are the cities), unless the text asked for the province.

    "Large" is at least ``SEAT_SHARE`` of the population listed for the province, so a
    small namesake ("California", Maryland; "Indiana", Pennsylvania) does not displace
    a state; a province with no listed population yields to any same-named city. A city
    that only an alternate spelling matches ("Raqqa" for Ar Raqqah) must hold half of it.
    """
    if m.want == "province":
        return cands
    cities = [c for c in cands if c.entry.kind == "city"]
    keep = []
    for c in cands:
        e = c.entry
        if e.kind == "province" and any(
            x.entry.country == e.country and _inside(x.entry, e)
            and x.entry.population >= SEAT_SHARE * e.population
            and (x.match <= c.match or x.entry.population >= SEAT_SHARE * 10 * e.population) for x in cities
        ):
            if "a city beats the province of the same name" not in notes:
                notes.append("a city beats the province of the same name")
            continue
        keep.append(c)
    return keep or cands


def _capital_over_namesakes(cands: list[Match], notes: list[str], gaz: Gazetteer) -> list[Match]:
    """A national capital beats the other places of the same name in its own country
    ("Washington" is the capital, not the state or Washington, Iowa), unless a type
    word or a container ("Washington state", "Washington, Iowa") says otherwise.
    Namesakes in other countries still compete (London, Ontario in Canadian news)."""
    capitals = [c for c in cands if c.entry.kind == "city" and c.match != MATCH_ALT
                and gaz.feature(c.entry.id) == "PPLC"]
    if not capitals:
        return cands
    countries = {c.entry.country for c in capitals}
    keep = [c for c in cands if c in capitals or c.entry.country not in countries]
    if len(keep) < len(cands):
        notes.append(f"the capital {capitals[0].entry.name} beats its country's namesakes")
    return keep


def _within(e: Entry, outer: Entry) -> bool:
    """``e`` lies in the province or country ``outer``."""
    if e.country != outer.country:
        return False
    return outer.kind == "country" or bool(e.admin1 and fold(e.admin1) == fold(outer.admin1 or outer.name))


def _inside(city: Entry, province: Entry) -> bool:
    """The city lies in the province ("Kandahar" in Kandahar; not "Washington" DC in
    Washington state, nor Wyoming, Ohio in Wyoming)."""
    return bool(city.admin1 and fold(city.admin1) == fold(province.admin1 or province.name))


def _join(parts: list[str]) -> str:
    return "; ".join(p for p in parts if p)


def _place(span: Span, e: Entry, reason: str) -> Place:
    return Place(
        span=span,
        name=e.name,
        kind=e.kind,
        lat=e.lat,
        lon=e.lon,
        country=e.country,
        admin1=e.admin1,
        gazetteer_id=e.id,
        precision=e.precision,
        reason=reason,
    )
