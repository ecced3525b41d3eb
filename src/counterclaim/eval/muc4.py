"""``counterclaim eval muc4 DIR``: MUC-4 incidents (type, location, deaths).

DIR holds the MUC-4 texts (``tst3-muc4``: each message opens with its id
line, ``TST3-MUC4-0001``) and the answer keys (``key-tst3.v2``: numbered slot
templates, 0-24, one template per incident, ``*`` for a message with none).
Any ``*-muc4`` text file and ``key-*`` file in DIR are read and paired by
message id.

The texts are upper case, which defeats spaCy's tagger and NER; the reader
restores a plausible case first (``truecase``): everything lower-cased,
sentences capitalised, and words the gazetteer knows as a country, a
province or a town of 50,000 people or more (5,000 for names of several
words), demonyms ("Salvadoran") and the actor dictionary's aliases given
their usual case.

Gold incidents: templates whose type is ATTACK, BOMBING, KIDNAPPING, ARSON
(or MUC-3's MURDER) and whose stage of execution is not only THREATENED (a
threat is not an event that happened).  ROBBERY and FORCED WORK STOPPAGE have
no ACLED-violence twin and are left out.  Optional templates count when
matched and are not missed when not.

An incident matches a system event of the same message (one-to-one) when:

- type: the event's ACLED sub-type is compatible with one of the template's
  types (``MUC_TO_ACLED``);
- location (where the template gives one): a component of the template's
  location ("PERU: LIMA (CITY): SAN ISIDRO (NEIGHBORHOOD)") names the event's
  place, its admin1 or its country (case- and accent-folded);
- deaths (where the template gives a number for every target whose effect is
  DEATH): the event's fatalities range [low, high] holds the sum.

``incidents`` requires all three; ``incidents_type_location`` and
``incidents_type`` relax them, to show which part fails.  Precision counts
the system events of a compatible sub-type.  MUC-4 leaves out battles between
armed forces and guerrillas (military actions are not "terrorist incidents"),
which ACLED codes as Armed clash: ``unmatched_system_by_sub_type`` shows how
much of the precision loss that is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ..records import SUB_TYPE_TO_TYPE, Article, Event, Extraction
from .scoring import PRF, fold, match_one_to_one
from .wikievents import extract_all

_BATTLES = [s for s, t in SUB_TYPE_TO_TYPE.items() if t == "Battles"]
_EXPLOSIONS = [s for s, t in SUB_TYPE_TO_TYPE.items() if t == "Explosions/Remote violence"]
MUC_TO_ACLED: dict[str, frozenset[str]] = {
    "ATTACK": frozenset(_BATTLES + _EXPLOSIONS + ["Attack", "Sexual violence", "Violent demonstration",
                                                  "Mob violence", "Excessive force against protesters"]),
    "BOMBING": frozenset(_EXPLOSIONS + ["Disrupted weapons use", "Attack"]),
    "KIDNAPPING": frozenset(["Abduction/forced disappearance"]),
    "ARSON": frozenset(["Looting/property destruction", "Violent demonstration", "Mob violence", "Attack"]),
    "MURDER": frozenset(["Attack"]),
}
SCORED_SUB_TYPES = frozenset().union(*MUC_TO_ACLED.values())
_ID = re.compile(r"^\s*([A-Z0-9]+-MUC\d-\d{4})\s*$")
_SLOT = re.compile(r"^(\d+)\.\s+(.+?)(?:\s{2,}(\S.*?))?\s*$")
_KIND = re.compile(r"\((?:[A-Z][A-Z \-]*)\)")
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass
class Incident:
    doc_id: str
    types: list[str]
    locations: list[list[str]]  # alternatives, each: components from country down
    deaths: Optional[tuple[int, int]]  # None: not scored
    optional: bool = False


@dataclass
class Message:
    id: str
    text: str
    incidents: list[Incident] = field(default_factory=list)


# -- readers ---------------------------------------------------------------------------


def read_texts(path: Path) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    current = None
    for line in Path(path).read_text(encoding="latin-1").splitlines():
        m = _ID.match(line)
        if m:
            current = m.group(1)
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return {k: "\n".join(v).strip("\n") for k, v in out.items()}


def read_templates(path: Path) -> list[dict[int, list[str]]]:
    templates: list[dict[int, list[str]]] = []
    current: Optional[dict[int, list[str]]] = None
    last = None
    for line in Path(path).read_text(encoding="latin-1").splitlines():
        if not line.strip():
            continue
        m = _SLOT.match(line)
        if m:
            slot = int(m.group(1))
            if slot == 0:
                current = {}
                templates.append(current)
            if current is None:
                raise ValueError(f"{path}: slot {slot} before a template's slot 0")
            current[slot] = [m.group(3) or ""]
            last = slot
        elif current is not None and last is not None and line[:1].isspace():
            current[last].append(line.strip())
    return templates


def _alternatives(value: str) -> list[str]:
    return [v.strip() for v in value.split("/") if v.strip()]


def _location(values: list[str]) -> list[list[str]]:
    out = []
    for value in values:
        if value in ("-", "*", ""):
            continue
        for alt in re.split(r"\)\s*/\s*\(", value):
            parts = []
            for comp in alt.split(":"):
                name = _KIND.sub("", comp).strip(" ()?")
                if name:
                    parts.append(name)
            if parts:
                out.append(parts)
    return out


def _number(text: str) -> Optional[tuple[int, int]]:
    m = re.match(r"\??\s*(\d+)(?:\s*-\s*(\d+))?\s*:", text)
    if not m:
        return None
    low = int(m.group(1))
    return low, int(m.group(2) or low)


def _deaths(numbers: list[str], effects: list[str]) -> Optional[tuple[int, int]]:
    dead = []
    for line in effects:
        line = line.lstrip("? ")
        if line.startswith("DEATH:"):
            dead.append(set(_QUOTED.findall(line)))
    if not dead:
        return None
    counts = []
    for line in numbers:
        names = set(_QUOTED.findall(line))
        counts.append((names, _number(line.lstrip())))
    low = high = 0
    for names in dead:
        found = next((n for ns, n in counts if ns & names), None)
        if found is None:
            return None  # "PLURAL" or no number: not scored
        low += found[0]
        high += found[1]
    return low, high


def _incident(doc_id: str, t: dict[int, list[str]]) -> Optional[Incident]:
    template = (t.get(1) or ["*"])[0]
    if template.startswith("*"):
        return None
    types = [x.lstrip("? ") for v in t.get(4, []) for x in _alternatives(v)]
    types = [x for x in types if x in MUC_TO_ACLED]
    stages = [x.lstrip("? ") for v in t.get(5, []) for x in _alternatives(v)]
    if not types or (stages and all(s == "THREATENED" for s in stages)):
        return None
    return Incident(doc_id, types, _location(t.get(3, [])), _deaths(t.get(21, []), t.get(23, [])),
                    optional="OPTIONAL" in template)


def read_muc4(directory: Path) -> list[Message]:
    directory = Path(directory)
    text_files = sorted(p for p in directory.iterdir() if p.is_file() and p.name.lower().endswith("-muc4"))
    key_files = sorted(p for p in directory.iterdir() if p.is_file() and p.name.lower().startswith("key-"))
    if not text_files or not key_files:
        raise FileNotFoundError(f"{directory}: expected MUC-4 texts (*-muc4) and keys (key-*)")
    texts: dict[str, str] = {}
    for p in text_files:
        texts.update(read_texts(p))
    messages = {doc_id: Message(doc_id, text) for doc_id, text in texts.items()}
    for p in key_files:
        for t in read_templates(p):
            doc_id = (t.get(0) or [""])[0].strip()
            if doc_id not in messages:
                continue
            inc = _incident(doc_id, t)
            if inc is not None:
                messages[doc_id].incidents.append(inc)
    return [messages[k] for k in sorted(messages)]


# -- true-casing --------------------------------------------------------------------------


def truecase(text: str) -> str:
    """Upper-case wire text to a plausible mixed case (see the module doc)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from ..data import lexicon
    from ..nlp import gazetteer

    gaz = gazetteer.Gazetteer.default()
    common = gazetteer.common_words()
    actor_case = {a.lower(): a for a in lexicon.actors()}
    low = text.lower()
    words = list(re.finditer(r"[a-z][a-z'\-]*", low))
    out = list(low)

    def place_like(name: str) -> bool:
        if name.split()[0] in STOP_WORDS or name in common:
            return False
        for e in gaz.lookup(name)[:3]:
            if e.kind in ("country", "province", "region") or (e.kind == "city" and e.population >= (5000 if " " in name else 50000)):
                return True
        return False

    i = 0
    while i < len(words):
        done = False
        for n in (3, 2, 1):
            if i + n > len(words):
                continue
            start, end = words[i].start(), words[i + n - 1].end()
            phrase = low[start:end]
            if not re.fullmatch(r"[a-z'\-]+(?: [a-z'\-]+)*", phrase):
                continue
            if phrase in actor_case:
                out[start:end] = list(actor_case[phrase])
            elif n == 1 and gazetteer.demonym_country(phrase):
                out[start:end] = list(phrase.title())
            elif place_like(phrase):
                out[start:end] = list(phrase.title())
            else:
                continue
            i += n
            done = True
            break
        if not done:
            i += 1
    cased = "".join(out)
    # sentence starts: the text's start, after . ! ? and after a blank line
    return re.sub(r"(^|[.!?]\s+|\n\s*\n\s*)([a-z])", lambda m: m.group(1) + m.group(2).upper(), cased)


# -- scoring ---------------------------------------------------------------------------


def _place_names(event: Event) -> set[str]:
    p = event.place
    if p is None:
        return set()
    names = {fold(p.name), fold(p.span.text)}
    if p.admin1:
        names.add(fold(p.admin1))
    if p.country:
        names |= {fold(n) for n in _country_names(p.country)}
    return names


def _country_names(alpha2: str) -> list[str]:
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2)
    if c is None:
        return []
    return [n for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)) if n]


def _type_ok(inc: Incident, e: Event) -> bool:
    return any(e.sub_type in MUC_TO_ACLED[t] for t in inc.types)


def _location_ok(inc: Incident, e: Event) -> bool:
    if not inc.locations:
        return True
    names = _place_names(e)
    return any(fold(c) in names for alt in inc.locations for c in alt)


def _deaths_ok(inc: Incident, e: Event) -> bool:
    if inc.deaths is None:
        return True
    f = e.fatalities
    if f is None or f.low is None:
        return False
    high = f.high if f.high is not None else f.low
    return f.low <= inc.deaths[1] and inc.deaths[0] <= high


LEVELS: dict[str, Callable[[Incident, Event], bool]] = {
    "incidents": lambda i, e: _type_ok(i, e) and _location_ok(i, e) and _deaths_ok(i, e),
    "incidents_type_location": lambda i, e: _type_ok(i, e) and _location_ok(i, e),
    "incidents_type": _type_ok,
}


def evaluate_muc4(directory: Path, extract_fn: Optional[Callable[[Article], Extraction]] = None,
                  recase: bool = True) -> dict:
    messages = read_muc4(Path(directory))
    if not messages:
        raise ValueError(f"{directory}: no messages")
    prf = {name: PRF() for name in LEVELS}
    deaths = PRF()
    unmatched: Counter = Counter()
    missed_types: Counter = Counter()
    texts = ((m.id, truecase(m.text) if recase else m.text) for m in messages)
    failures: list[str] = []
    for msg, ex in zip(messages, extract_all(texts, extract_fn, failures)):
        events = [e for e in ex.events if e.sub_type in SCORED_SUB_TYPES]
        for name, ok in LEVELS.items():
            pairs = match_one_to_one(msg.incidents, events, ok)
            matched_optional = sum(1 for i, _ in pairs if msg.incidents[i].optional)
            required = sum(1 for inc in msg.incidents if not inc.optional)
            prf[name].add(len(pairs), len(events), required + matched_optional)
            if name == "incidents_type_location":
                got = {i for i, _ in pairs}
                for i, j in pairs:
                    inc = msg.incidents[i]
                    if inc.deaths is not None:
                        deaths.add(1 if _deaths_ok(inc, events[j]) else 0, 1, 1)
                for i, inc in enumerate(msg.incidents):
                    if i not in got and not inc.optional:
                        missed_types["/".join(inc.types)] += 1
                taken = {j for _, j in pairs}
                for j, e in enumerate(events):
                    if j not in taken:
                        unmatched[e.sub_type] += 1
    n_gold = sum(1 for m in messages for i in m.incidents if not i.optional)
    metrics = {name: p.as_dict() for name, p in prf.items()}
    metrics["deaths_on_matched"] = {
        "accuracy": round(deaths.tp / deaths.gold, 4) if deaths.gold else 0.0, "n": deaths.gold,
    }
    return {
        "dataset": Path(directory).name,
        "n_docs": len(messages),
        "n_gold_incidents": n_gold,
        "metrics": metrics,
        "errors": {"missed_incidents_by_type": missed_types.most_common(),
                   "unmatched_system_by_sub_type": unmatched.most_common(),
                   "extraction_failures": failures},
    }
