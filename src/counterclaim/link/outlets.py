"""Outlet metadata: who owns an outlet and which side it speaks for.

Independence is what turns two reports into corroboration: a story carried by
two outlets of one owner, or by two state broadcasters of one government, is
one voice heard twice; so is a story carried by the state media of two allied
sides (a government and the foreign forces fighting for it): records-dev's
convention counts "two or more independent sources; not one organisation, not
allied outlets".  The facts live in ``data/outlets.tsv`` (owner and side of
each outlet) and ``data/alliances.tsv`` (which sides fight as one camp), both
user-editable and extendable with files of the same shape; this module only
reads them and answers "are these two independent?".
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import urlparse

ENV_VAR = "COUNTERCLAIM_OUTLETS"
ALLIANCES_ENV_VAR = "COUNTERCLAIM_ALLIANCES"
# Speaker parties that speak for no side: an independent source confirming a
# party's claim corroborates it.
NEUTRAL_PARTIES = ("independent",)


@dataclass(frozen=True)
class Outlet:
    """One outlet as the linker sees it; unknown outlets are their own owner with no side."""

    name: str
    owner: str
    side: str = ""
    country: str = ""
    kind: str = ""
    known: bool = True
    camps: frozenset[str] = frozenset()  # the alliances its side belongs to (``data/alliances.tsv``)

    def independent_of(self, other: "Outlet") -> bool:
        """Different owners, not the voice of the same side, and not of two allied sides."""
        if self.owner.casefold() == other.owner.casefold():
            return False
        if self.side and self.side == other.side:
            return False
        return not (self.camps & other.camps)


class Outlets:
    """The outlet table: lookup by name, alias or a url's domain."""

    def __init__(self, rows: Iterable[Outlet], aliases: dict[str, str]):
        self._by_key = {o.name.casefold(): o for o in rows}
        self._aliases = aliases

    @classmethod
    def load(cls, extra: str | os.PathLike | None = None,
             alliances: str | os.PathLike | None = None) -> "Outlets":
        """The shipped tables, then ``extra`` (or ``$COUNTERCLAIM_OUTLETS``) and ``alliances`` (or
        ``$COUNTERCLAIM_ALLIANCES``), later rows winning."""
        camps = _camps(alliances or os.environ.get(ALLIANCES_ENV_VAR))
        rows: dict[str, Outlet] = {}
        aliases: dict[str, str] = {}
        for cells in _rows("outlets.tsv", extra or os.environ.get(ENV_VAR), 7):
            name, alias_cell, owner, side, country, kind, _note = cells
            rows[name.casefold()] = Outlet(name, owner or name, side, country, kind,
                                           camps=frozenset(camps.get(side, ())))
            for alias in filter(None, (a.strip() for a in alias_cell.split(","))):
                aliases[alias.casefold()] = name.casefold()
        return cls(rows.values(), aliases)

    def get(self, source: Optional[str], url: Optional[str] = None) -> Outlet:
        """The outlet of an article from its ``source`` (name or alias) or its url's domain."""
        keys = []
        if source:
            keys.append(source.strip().casefold())
        if url:
            host = (urlparse(url).hostname or "").casefold()
            keys += [host, host.removeprefix("www.")]
        for key in keys:
            key = self._aliases.get(key, key)
            if key in self._by_key:
                return self._by_key[key]
        name = (source or (keys[-1] if keys else "") or "unknown outlet").strip()
        return Outlet(name=name, owner=name, known=False)


def _rows(shipped: str, extra: str | os.PathLike | None, width: int) -> Iterable[tuple[str, ...]]:
    """The cells of a shipped data file's rows, then of the user's file of the same shape."""
    texts = [resources.files("counterclaim").joinpath(f"data/{shipped}").read_text("utf-8")]
    if extra:
        texts.append(Path(extra).read_text("utf-8"))
    for text in texts:
        for line in text.splitlines():
            if line.strip() and not line.startswith("#"):
                yield tuple(c.strip() for c in (line.split("\t") + [""] * width)[:width])


def _camps(extra: str | os.PathLike | None) -> dict[str, set[str]]:
    """Side (party code) -> the camps it belongs to."""
    camps: dict[str, set[str]] = {}
    for side, camp, _note in _rows("alliances.tsv", extra, 3):
        if side and camp:
            camps.setdefault(side, set()).add(camp)
    return camps


@functools.lru_cache(maxsize=4)
def default_outlets(extra: Optional[str] = None) -> Outlets:
    return Outlets.load(extra)


@functools.lru_cache(maxsize=1)
def _default_camps() -> dict[str, set[str]]:
    return _camps(os.environ.get(ALLIANCES_ENV_VAR))


def allied(a: Optional[str], b: Optional[str]) -> bool:
    """Two different party codes of one camp (``data/alliances.tsv``): "Syrian or Russian jets"
    names one camp's air force, not two sides blaming each other."""
    camps = _default_camps()
    return a is not None and b is not None and a != b and bool(camps.get(a, set()) & camps.get(b, set()))
