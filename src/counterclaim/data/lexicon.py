"""Lexicons are data, not code: this module only reads them.

Every word list the extractor relies on (speech cues, content markers, the
actor dictionary, speaker roles, event triggers) is a TSV file in
``counterclaim/data/lexicons``.  Users extend any of them by dropping a file
with the same name into their lexicon directory (``COUNTERCLAIM_LEXICON_DIR``,
default: the platform's user config dir + ``/lexicons``); its rows are read
after the shipped ones, so a user row for the same key wins.

The loader sits in ``data``, below every stage, because more than one stage
reads these lists (``nlp`` finds cues and victims, ``link`` reads victims and
roles to merge tolls); ``counterclaim.nlp.lexicon`` re-exports it for now.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Iterator, Optional

import platformdirs


def user_lexicon_dir() -> Path:
    env = os.environ.get("COUNTERCLAIM_LEXICON_DIR")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir("counterclaim")) / "lexicons"


def rows(name: str) -> Iterator[list[str]]:
    """Rows of a lexicon file (shipped, then the user's), comments and blanks skipped."""
    shipped = resources.files("counterclaim") / "data" / "lexicons" / name
    sources = [shipped.read_text(encoding="utf-8")]
    user = user_lexicon_dir() / name
    if user.is_file():
        sources.append(user.read_text(encoding="utf-8"))
    for text in sources:
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield [cell.strip() for cell in line.split("\t")]


@functools.lru_cache(maxsize=None)
def _named_sets(name: str) -> dict[str, list[list[str]]]:
    """The rows of a file of named word sets (``set name<TAB>word[<TAB>value]``), by set name, in file order."""
    out: dict[str, list[list[str]]] = {}
    for r in rows(name):
        if len(r) >= 2:
            out.setdefault(r[0], []).append(r[1:])
    return out


def _set_rows(file: str, name: str) -> list[list[str]]:
    """The rows of one named set. A set the file does not have is an error, not an empty
    set: a misspelt name would otherwise switch a rule off without a word."""
    found = _named_sets(file)
    if name not in found:
        raise KeyError(f"{file}: no word set {name!r}")
    return found[name]


def word_list(file: str, name: str) -> tuple[str, ...]:
    """One word set of a named-sets file, in the file's order (for lists whose order matters)."""
    return tuple(r[0] for r in _set_rows(file, name))


def word_set(file: str, name: str) -> frozenset[str]:
    """One word set of a named-sets file (the file's comment above the set says what it means)."""
    return frozenset(word_list(file, name))


def word_map(file: str, name: str) -> dict[str, str]:
    """One two-column word set of a named-sets file: word -> value."""
    return {r[0]: r[1] for r in _set_rows(file, name) if len(r) >= 2}


class WordSets:
    """The word sets of one named-sets file as attributes: ``EVENT_CUES.series_nouns`` is
    ``word_set("event_cues.tsv", "series_nouns")``.

    One object a file, in place of a constant a set mirrored in each module
    that reads it (``SERIES_NOUNS = word_set(...)``, ten lines alike): the
    code names the file once and each set by its own name in it, so a reader
    finds the set, and the comment saying what it means, in the file.  A set
    is read on first use and kept (an attribute from then on, as fast as a
    constant); a name the file does not have is an ``AttributeError`` naming
    the file, not an empty set."""

    def __init__(self, file: str) -> None:
        self._file = file

    def __getattr__(self, name: str) -> frozenset[str]:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            found = word_set(self._file, name)
        except KeyError as exc:
            raise AttributeError(exc.args[0]) from None
        setattr(self, name, found)
        return found

    def __repr__(self) -> str:
        return f"word_sets({self._file!r})"


@functools.lru_cache(maxsize=None)
def word_sets(file: str) -> WordSets:
    """The word sets of ``file`` (one shared ``WordSets`` a file)."""
    return WordSets(file)


@dataclass(frozen=True)
class Cue:
    lemma: str
    pos: str
    act: str
    strong: bool


@functools.lru_cache(maxsize=None)
def cues() -> dict[tuple[str, str], Cue]:
    """(lemma, pos) -> Cue; pos is VERB or NOUN."""
    out = {}
    for r in rows("cues.tsv"):
        lemma, pos, act, strength = (r + [""] * 4)[:4]
        out[(lemma.lower(), pos.upper())] = Cue(lemma.lower(), pos.upper(), act, strength == "strong")
    return out


@functools.lru_cache(maxsize=None)
def markers() -> dict[str, tuple[str, str]]:
    """Content marker lemma -> (act, condition)."""
    return {r[0].lower(): (r[1], (r + ["any"])[2] or "any") for r in rows("markers.tsv")}


@functools.lru_cache(maxsize=None)
def roles() -> dict[str, str]:
    """Speaker head noun (lemma) -> kind: state, media, independent, civil."""
    return {r[0].lower(): r[1] for r in rows("roles.tsv")}


@functools.lru_cache(maxsize=None)
def person_roles() -> frozenset[str]:
    """Roles one person holds ("minister", "superintendent"): ``roles.tsv``, third column."""
    return frozenset(r[0].lower() for r in rows("roles.tsv") if len(r) >= 3 and r[2] == "person")


@functools.lru_cache(maxsize=None)
def affiliations() -> dict[tuple[str, ...], str]:
    """Words (one lemma or two in a row) that tie a speaker phrase to a side -> party
    (``affiliations.tsv``; ``STATE`` stands for the article's main country)."""
    return {tuple(r[0].lower().split()): r[1] for r in rows("affiliations.tsv") if len(r) >= 2}


@dataclass(frozen=True)
class ActorEntry:
    alias: str
    canonical: str
    party: str
    kind: str
    country: Optional[str]
    valid_from: Optional[date]
    valid_until: Optional[date]

    def valid_on(self, day: Optional[date]) -> bool:
        if day is None:
            # Undated text: prefer the mapping that holds today.
            day = date.today()
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_until and day > self.valid_until:
            return False
        return True


@functools.lru_cache(maxsize=None)
def actors() -> dict[str, list[ActorEntry]]:
    """Folded alias -> entries (several when the mapping changes over time)."""
    out: dict[str, list[ActorEntry]] = {}
    for r in rows("actors.tsv"):
        r = (r + [""] * 7)[:7]
        alias, canonical, party, kind, country, since, until = r
        entry = ActorEntry(
            alias,
            canonical or alias,
            party or "unknown",
            kind,
            country or None,
            date.fromisoformat(since) if since else None,
            date.fromisoformat(until) if until else None,
        )
        out.setdefault(fold(alias), []).insert(0, entry)  # user rows (read last) first
    return out


def actor(alias: str, on: Optional[date] = None) -> Optional[ActorEntry]:
    """The dictionary entry for a name as it stood on a date, if any."""
    for entry in actors().get(fold(alias), []):
        if entry.valid_on(on):
            return entry
    return None


@functools.lru_cache(maxsize=None)
def victims() -> frozenset[str]:
    """Lemmas of nouns that name civilians (``victims.tsv``)."""
    return frozenset(r[0].lower() for r in rows("victims.tsv"))


@functools.lru_cache(maxsize=None)
def triggers() -> list[tuple[str, str, str]]:
    """Event triggers: (pattern, ACLED sub-type, condition)."""
    out: list[tuple[str, str, str]] = []
    for r in rows("triggers.tsv"):
        pattern, sub_type, condition = (r + ["", "", ""])[:3]
        out.append((pattern, sub_type, condition))
    return out


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-folded, apostrophes unified: the key for name lookups.

    Cached: the name finders fold every token of every article (some 1,400 calls an
    article), and news repeats its words."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
