"""The side model: which side of a conflict an actor stands on.

Event linking and extraction both need to tell two perpetrators apart ("government
forces shelled X" and "rebels shelled X" the same day are two events), and a state's
opposition must never be read as the state ("an opposition official said").  The two
stages share this one model, below both of them, so they cannot drift apart.

Sides are ACLED's actor types in brief:

- ``state``: a state's government, forces, officials (its ISO alpha-3 party code, or an
  actor whose kind is a state force / government body);
- ``foreign state``: a state acting outside its own country (when the event's country is
  known: "Russian air strikes" in Syria);
- ``opposition``: armed or political opposition to a state (rebels, insurgents, separatists);
- ``jihadist``: transnational jihadist groups (IS, al-Qaeda and their branches);
- ``militia``: pro-government or communal militias, rioters, cartels;
- ``coalition``: blocs of states;
- ``civilians``, ``independent``: victims, and nobody's side.

The party codes' sides are data (``data/lexicons/sides.tsv``); a code not listed is a
state when it is three capital letters of a known kind, else an armed group.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Optional

STATE_KINDS = frozenset({"state force", "government body"})
SIDES = ("state", "foreign state", "opposition", "jihadist", "militia", "coalition", "armed group",
         "civilians", "independent")
# Sides that fight a state: two events whose perpetrators are on different sides are two events.
NON_STATE = frozenset({"opposition", "jihadist", "militia", "armed group"})


@functools.lru_cache(maxsize=1)
def party_sides() -> dict[str, str]:
    """Party code -> side, from ``sides.tsv`` (shipped data; comments skipped)."""
    text = (resources.files("counterclaim") / "data" / "lexicons" / "sides.tsv").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) >= 2 and cells[0] and cells[1] in SIDES + ("unknown",):
            out[cells[0]] = cells[1]
    return out


def side_of_party(party: Optional[str], kind: Optional[str] = None) -> Optional[str]:
    """The side of a party code (and the actor's kind, when the code alone does not say)."""
    if not party or party == "unknown":
        if kind in STATE_KINDS:
            return "state"
        return "armed group" if kind == "armed group" else None
    listed = party_sides().get(party)
    if listed is not None:
        return None if listed == "unknown" else listed
    if kind in STATE_KINDS or (len(party) == 3 and party.isalpha() and party.isupper() and kind != "armed group"):
        return "state"
    return "armed group" if kind == "armed group" else None


def side_of(actor, country: Optional[str] = None) -> Optional[str]:
    """The side of an ``Actor`` (any object with ``party``, ``kind`` and ``country``), or None.

    ``country`` (ISO alpha-2) is where the event happened: a state's forces acting
    elsewhere are a ``foreign state`` there (ACLED keeps "Military Forces of Russia" in
    Syria apart from Syria's own)."""
    if actor is None:
        return None
    side = side_of_party(getattr(actor, "party", None), getattr(actor, "kind", None))
    own = getattr(actor, "country", None)
    if side == "state" and country and own and own != country:
        return "foreign state"
    return side


def same_side(a, b, country: Optional[str] = None) -> bool:
    """Whether two actors can be the same perpetrator: unknown sides agree with anything."""
    sa, sb = side_of(a, country), side_of(b, country)
    if sa is None or sb is None:
        return True
    if sa != sb:
        return False
    pa, pb = getattr(a, "party", None), getattr(b, "party", None)
    known = {"unknown", None, ""}
    return pa in known or pb in known or pa == pb or sa in ("opposition",)  # rebel coalitions share codes loosely


def coarse_side(actor) -> Optional[str]:
    """"state" or "non-state" (ACLED's actor pair in brief), or None when the actor's kind
    and party do not say.  Cross-article linking keeps a state's strike and a non-state
    group's shelling of one town and day apart with it; finer differences between two
    named groups are the parties' (``link.events.perpetrators_conflict``)."""
    # By the actor's kind only: a bare nationality ("Syrian jets" -> SYR, no kind) or a
    # party code inferred from context is too weak to keep two reports of one strike apart
    # (measured on fakes-crossdoc-dev: reading the party here lost pairs).
    kind = getattr(actor, "kind", None) if actor is not None else None
    if kind in STATE_KINDS:
        return "state"
    return "non-state" if kind == "armed group" else None


def compatible(a: Optional[str], b: Optional[str]) -> bool:
    """Whether two sides may be one perpetrator: unknown agrees with anything, and an
    unnamed armed group with any non-state side."""
    if a is None or b is None or a == b:
        return True
    return {a, b} <= NON_STATE and "armed group" in (a, b)
