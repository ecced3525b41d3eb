"""Does a predicted place agree with a gold location written as words?  Same name, or within 25 km.

Some gold sets name an event's place in a phrase and give no coordinates
(the FA-KES cross-article gold: "Tokhar (al-Tukhar) and Hoshariyeh, north of
Manbij, Aleppo province").  The matching rule of ``../shared/eval/README.md``
is "same name or within 25 km", so the phrase is read as the gold set writes
it:

- pieces are split at commas, slashes, parentheses and "and"; a piece that
  names a province ("... province", "... countryside", "... governorate")
  is the province, every other piece a finer place (a town, a district, a
  site, or the town a direction is given from: "north of Manbij");
- **same name**: a predicted name that occurs, word for word and folded as
  the gazetteer folds names (accents, hyphens, apostrophes), in a finer
  piece, or a gazetteer entry that one of the piece's words names and whose
  name is the predicted one (transliterations: "Ras al-Ain" is "Ra's al 'Ayn");
- **within 25 km**: a town or site the gazetteer finds for a word run of a
  finer piece (its names, aliases and alternate names; other romanisations
  only in the predicted place's country) lies within ``NEAR_KM`` of the
  predicted point;
- **the province, as a last resort**: when no finer piece can be located at
  all (a village the gazetteer does not hold), the place agrees when it
  lies in the gold's province.  Such agreements are counted apart
  (``Agreement.how == "province"``) so a reader sees how lenient the figure is.
  A gold location that names only a province is matched by that name.

Candidates are kept to the predicted place's country when it is known: a
hamlet of the same name abroad locates nothing.

The gazetteer is the project's own; a name it cannot resolve cannot be
checked by distance, which is why the province fallback is reported.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from ..nlp.gazetteer import Gazetteer, common_words, distance_km, fold, strip_admin_word

NEAR_KM = 25.0
MAX_WORDS = 4  # the longest word run looked up as a name ("Deir ez Zor city")
_SPLIT = re.compile(r"[,;/()]|\band\b")
_PROVINCE = re.compile(r"\b(?:province|governorate|countryside)\b", re.I)
POINT_KINDS = ("city", "site")


@dataclass(frozen=True)
class Agreement:
    ok: bool
    how: str  # "name", "distance", "province", or why not


@dataclass(frozen=True)
class GoldLocation:
    text: str
    finer: tuple[str, ...]
    provinces: tuple[str, ...]


def read_location(text: str) -> GoldLocation:
    """The gold phrase split into finer pieces and province pieces (module docstring)."""
    finer, provinces = [], []
    for piece in _SPLIT.split(text or ""):
        piece = " ".join(piece.split())
        if not piece:
            continue
        if _PROVINCE.search(piece):
            provinces.append(_PROVINCE.sub(" ", piece).strip())
        else:
            finer.append(piece)
    return GoldLocation(text or "", tuple(finer), tuple(p for p in provinces if p))


def _runs(piece: str) -> list[str]:
    """Word runs of a piece worth looking up: not a common English word alone ("north", "old")."""
    words = fold(piece).split()
    common = common_words()
    runs = []
    for n in range(min(MAX_WORDS, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            run = " ".join(words[i : i + n])
            if n == 1 and (run in common or len(run) < 3):
                continue
            runs.append(run)
    return runs


@functools.lru_cache(maxsize=4096)
def _entries(run: str, country: Optional[str]) -> tuple:
    gaz = Gazetteer.default()
    found = [m.entry for m in gaz.matches(run)]
    if not found and country:
        found = [m.entry for m in gaz.spelling_matches(run) if m.entry.country == country]
    return tuple(found)


def _contains(piece: str, name: str) -> bool:
    key = fold(name)
    return bool(key) and f" {key} " in f" {fold(piece)} "


def _provinces(gold: GoldLocation, country: Optional[str]) -> set[str]:
    """Folded admin1 names the gold's province pieces name ("eastern Aleppo province" -> aleppo;
    "Damascus countryside" -> rif dimashq, and damascus)."""
    wanted = set()
    for piece in gold.provinces:
        for run in [fold(piece), *_runs(piece)]:
            for entry in _entries(fold(strip_admin_word(run)), country):
                if not country or entry.country == country:
                    wanted.add(fold(entry.admin1 or entry.name))
    return wanted


def agrees(gold: GoldLocation, name: Optional[str], lat: Optional[float], lon: Optional[float],
           admin1: Optional[str] = None, country: Optional[str] = None) -> Agreement:
    """Whether a predicted place (name, point, province, country) agrees with the gold location.

    A same-named place in another province than the gold names is no agreement (a "Hadar" in
    another country is not the gold's Hadar); a point within 25 km is, whatever its province."""
    if not name and lat is None:
        return Agreement(False, "no predicted place")
    provinces = _provinces(gold, country)
    same_province = not provinces or not admin1 or fold(admin1) in provinces
    located = False
    for piece in gold.finer:
        if name and same_province and _contains(piece, name):
            return Agreement(True, "name")
        for run in _runs(piece):
            for entry in _entries(run, country):
                if entry.kind not in POINT_KINDS or entry.lat is None or (country and entry.country != country):
                    continue
                located = True
                if name and same_province and fold(entry.name) == fold(name):
                    return Agreement(True, "name")
                if lat is not None and lon is not None and distance_km(lat, lon, entry.lat, entry.lon) <= NEAR_KM:
                    return Agreement(True, "distance")
    if located or not gold.provinces:
        return Agreement(False, "another place" if located else "gold place not in the gazetteer")
    if {fold(x) for x in (admin1, name) if x} & provinces:
        return Agreement(True, "province" if gold.finer else "name")
    return Agreement(False, "another province")
