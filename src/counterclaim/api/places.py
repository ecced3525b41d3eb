"""A place filter as a user means it: every spelling, alias and code the gazetteer knows.

``--place Kandahar`` must find the record stored as "Kandahār" (and the
province of that name), ``--place Afghanistan`` the records in "AF",
``--place "Deir Ezzor"`` those at "Deir ez-Zor".  The store matches folded
names, gazetteer ids and country codes (``store.queries.PlaceFilter``); this
adds what the gazetteer says the typed name may be: its entries' names and
ids, and the country code when it names a country.  Transliterations of Arab
towns (``Gazetteer.spelling_matches``) are tried only when nothing else matches.
"""

from __future__ import annotations

from typing import Union

from ..store.names import name_key
from ..store.queries import PlaceFilter

MAX_ENTRIES = 25  # a name shared by many towns: the best-ranked ones are enough to match on


def place_filter(value: Union[str, PlaceFilter, None]) -> Union[str, PlaceFilter, None]:
    """The filter for what the user typed, widened by the gazetteer (None stays None; a blank
    value is given back as it is)."""
    if value is None or isinstance(value, PlaceFilter) or not value.strip():
        return value or None
    from ..nlp.gazetteer import Gazetteer

    wanted = PlaceFilter.of(value)
    gazetteer = Gazetteer.default()
    entries = [m.entry for m in gazetteer.matches(value)] or [m.entry for m in gazetteer.spelling_matches(value)]
    country = gazetteer.country(value)
    if country is not None:
        entries.insert(0, country)
    keys, ids, countries = set(), set(), set()
    for entry in entries[:MAX_ENTRIES]:
        ids.add(entry.id)
        if key := name_key(entry.name):
            keys.add(key)
        if entry.kind == "country" and entry.country:
            countries.add(entry.country)
    return wanted.widened(keys=keys, ids=ids, countries=countries)
