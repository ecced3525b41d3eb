"""Outlet metadata: who owns an outlet and which side it speaks for.

Independence is what turns two reports into corroboration: a story carried by
two outlets of one owner, or by two state broadcasters of one government, is
one voice heard twice.  The facts live in ``data/outlets.tsv`` (user-editable,
extendable with a file of the same shape); this module only reads them and
answers "are these two independent?".
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

    def independent_of(self, other: "Outlet") -> bool:
        """Different owners and not the voice of the same side."""
        if self.owner.casefold() == other.owner.casefold():
            return False
        return not (self.side and self.side == other.side)


class Outlets:
    """The outlet table: lookup by name, alias or a url's domain."""

    def __init__(self, rows: Iterable[Outlet], aliases: dict[str, str]):
        self._by_key = {o.name.casefold(): o for o in rows}
        self._aliases = aliases

    @classmethod
    def load(cls, extra: str | os.PathLike | None = None) -> "Outlets":
        """The shipped table, then ``extra`` (or ``$COUNTERCLAIM_OUTLETS``), later rows winning."""
        texts = [resources.files("counterclaim").joinpath("data/outlets.tsv").read_text("utf-8")]
        extra = extra or os.environ.get(ENV_VAR)
        if extra:
            texts.append(Path(extra).read_text("utf-8"))
        rows: dict[str, Outlet] = {}
        aliases: dict[str, str] = {}
        for text in texts:
            for line in text.splitlines():
                if not line.strip() or line.startswith("#"):
                    continue
                cells = (line.split("\t") + [""] * 7)[:7]
                name, alias_cell, owner, side, country, kind, _note = (c.strip() for c in cells)
                rows[name.casefold()] = Outlet(name, owner or name, side, country, kind)
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


@functools.lru_cache(maxsize=4)
def default_outlets(extra: Optional[str] = None) -> Outlets:
    return Outlets.load(extra)
