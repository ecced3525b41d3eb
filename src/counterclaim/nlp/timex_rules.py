"""The grammar of English time expressions: find them, say what they mean.

This module finds *where* time expressions are and *what kind* of value each
one asks for; it does not compute dates (``times.py`` does, against the
publication date and the expressions before it).  Each rule is a regular
expression plus a handler that turns a match into a ``Mention``: a character
span and a small semantic description (``sem``), e.g.

- ``{"kind": "cal", "year": 2024, "month": 3, "day": 3}``   March 3, 2024
- ``{"kind": "cal", "month": 10}``                          October (year to infer)
- ``{"kind": "weekday", "weekday": 5, "rel": None}``        Friday
- ``{"kind": "shift", "unit": "day", "n": -1, "base": "published"}``  yesterday
- ``{"kind": "shift", "unit": "month", "n": 1, "base": "previous"}``  a month later
- ``{"kind": "duration", "value": "P2Y"}``                  two years

Spans follow the TimeML extent: determiners and modifiers that are part of the
expression ("the 1970s", "early 2023", "the past two months") are in, the
preposition that links it to the sentence ("on Friday", "in October") is out,
except "within", which changes the value ("within a month" of an event).

Word lists (months, numbers, units, cues) live in ``data/time_words.tsv``.
Matches can overlap; ``find_mentions`` keeps the longest.  Some matches are
*weak* (a bare "1994", "May" with no date context): the caller keeps them only
when the NER also saw a date there.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Callable, Iterator, Optional

from counterclaim.data.lexicon import rows, word_sets


@dataclass
class Mention:
    """A time expression found in the text, with what it asks for, not yet resolved."""

    start: int
    end: int
    rule: str
    sem: dict = field(default_factory=dict)
    weak: bool = False


# ----------------------------------------------------------------------------
# the word lists


@functools.lru_cache(maxsize=None)
def words() -> dict[str, dict[str, str]]:
    """kind -> {word: value} from ``data/time_words.tsv`` (comments and blanks skipped)."""
    text = (resources.files("counterclaim") / "data" / "time_words.tsv").read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t") + ["", ""]
        out.setdefault(cells[0].strip(), {})[cells[1].strip().lower()] = cells[2].strip()
    return out


def _alt(items) -> str:
    """A regex alternation of words, longest first; spaces match any whitespace."""
    parts = sorted(set(items), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts) + ")"


def number_value(text: str) -> Optional[float]:
    """The value of a number written in digits or words; None when vague ("several")."""
    t = " ".join(text.lower().replace("-", " ").split())
    t = t.replace(",", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+(\d)/(\d))?", t)
    if m:
        value = float(m.group(1))
        if m.group(2):
            value += int(m.group(2)) / int(m.group(3))
        return value
    nums = words()["number"]
    if t in nums:
        return float(nums[t])
    total = 0.0
    for part in t.split():
        if part not in nums:
            return None
        total += float(nums[part])
    return total


def is_vague(text: str) -> bool:
    return " ".join(text.lower().split()) in words()["vague"]


# ----------------------------------------------------------------------------
# regex fragments


class _F:
    """Regex fragments built once from the word lists."""

    def __init__(self) -> None:
        w = words()
        full = _full_month_names()
        # a full name ends at a word boundary; an abbreviation may take its period ("Sept.")
        self.MONTH = rf"(?:{_alt(full)}(?![A-Za-z])|{_alt(set(w['month']) - full)}(?:\.|(?![A-Za-z])))"
        self.WEEKDAY = _alt(w["weekday"])
        units = []
        for u in w["unit"]:
            units += [u, u + "s"]
        units += ["centuries"]
        self.UNIT = _alt(units)
        ones = "one|two|three|four|five|six|seven|eight|nine"
        tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
        simple = _alt(k for k in w["number"] if " " not in k and k not in ("a", "an"))
        self.NUMWORD = rf"(?:(?:{tens})(?:[-\s](?:{ones}))?|{simple}|a\s+couple(?:\s+of)?|couple\s+of|a\s+dozen|a\s+hundred|an?)"
        self.NUMDIGIT = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+\d/\d)?)"
        self.VAGUE = _alt(w["vague"])
        self.NUM = rf"(?:{self.NUMDIGIT}|{self.NUMWORD}|{self.VAGUE})"
        self.YEAR = r"(?:1[5-9]\d\d|20\d\d)"
        self.ORD = _alt(w["ordinal"])
        self.POD = _alt(w["part_of_day"])
        self.SEASON = _alt(w["season"])
        self.APPROX = (
            r"(?:about|almost|nearly|more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|over|some|"
            r"roughly|around|only|just|barely|another|an\s+additional|no\s+more\s+than|under|"
            r"approximately|close\s+to|the\s+better\s+part\s+of)"
        )
        self.MOD = r"(?:early|mid|late|the\s+(?:beginning|start|end|middle|first\s+half|second\s+half)\s+of)"
        self.END = r"(?![A-Za-z])"
        self.DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|:\d|\s*(?:%|percent))"
        self.HOLIDAY = _alt(w["holiday"])
        self.REF = _alt(w["ref"])
        self.DECADE_WORD = _alt(w["decade_word"])


@functools.lru_cache(maxsize=None)
def _fragments() -> _F:
    return _F()


# ----------------------------------------------------------------------------
# helpers for handlers

TIMEX = word_sets("timex.tsv")

def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z']+)[\s\-]*$", text[max(0, pos - 30) : pos])
    return m.group(1).lower() if m else ""


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s*([A-Za-z']+)", text[pos : pos + 30])
    return m.group(1) if m else ""


def _month_number(word: str) -> int:
    return int(words()["month"][word.lower().rstrip(".")])


def _weekday_number(word: str) -> int:
    return int(words()["weekday"][word.lower()])


def _mod_value(mod: Optional[str]) -> Optional[str]:
    """TIMEX3 ``mod`` for early / mid / late ... (kept in the reason, not the value)."""
    if not mod:
        return None
    mod = " ".join(mod.lower().split())
    if mod.startswith(("early", "the beginning", "the start", "the first half")):
        return "START"
    if mod.startswith(("mid", "the middle")):
        return "MID"
    if mod.startswith(("late", "the end", "the second half")):
        return "END"
    return None


def duration_value(num: Optional[float], unit: str, half: bool = False) -> str:
    """TIMEX3 duration: P2Y, PT5H, P2Y6M, PXM (vague) from a number and a unit word."""
    unit = unit.lower()
    if unit.endswith("ies"):
        unit = unit[:-3] + "y"
    elif unit.endswith("s") and unit != "s":
        unit = unit[:-1]
    code = words()["unit"].get(unit, "")
    scale = {"DE": ("Y", 10), "CE": ("Y", 100), "FN": ("D", 14)}
    letter, factor = scale.get(code, (code, 1))
    time_unit = letter in ("H", "MI", "S")
    letter = {"MI": "M"}.get(letter, letter)
    prefix = "PT" if time_unit else "P"
    if num is None:  # "several decades": PXDE, "centuries": PXCE
        return f"{prefix}X{code if code in ('DE', 'CE') else letter}"
    value = num * factor + (0.5 * factor if half else 0)
    whole = int(value)
    frac = value - whole
    if frac < 1e-9:
        return f"{prefix}{whole}{letter}"
    # half units go one unit down: 2.5 years -> P2Y6M, 5.5 hours -> PT5H30M
    lower = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("M", 60), "M_t": ("S", 60)}
    key = "M_t" if (time_unit and letter == "M") else letter
    if key in lower:
        sub, n = lower[key]
        extra = int(round(frac * n))
        if letter == "D":
            return f"P{whole}DT{extra}H"
        return f"{prefix}{whole}{letter}{extra}{sub}"
    return f"{prefix}{value:g}{letter}"


def _unit_name(unit: str) -> str:
    unit = unit.lower()
    if unit == "centuries":
        return "century"
    return unit[:-1] if unit.endswith("s") else unit


# ----------------------------------------------------------------------------
# the rules

Handler = Callable[[re.Match, str], Optional[Mention]]


@dataclass(frozen=True)
class Rule:
    """A pattern and its handler."""

    name: str
    pattern: re.Pattern
    handler: Handler


_FRAGMENT = re.compile(r"\{([A-Z_]+)\}")  # "{MONTH}"; a regex's own braces hold digits ("\d{4}")


@functools.lru_cache(maxsize=None)
def _compiled_rules() -> tuple[Rule, ...]:
    """The rules of ``timex_rules.tsv``, in its order, each pattern with its ``{FRAGMENT}``s
    (``_F``) filled in and its handler (``_h_<name>``) found.

    The table is data, as the word lists are: a rule is a row to read and
    change, not a tuple in code, and a misspelt fragment or handler stops the
    first extraction with a ``KeyError`` naming it."""
    fragments = vars(_fragments())
    handlers = {name.removeprefix("_h_"): fn for name, fn in globals().items() if name.startswith("_h_")}
    return tuple(
        Rule(name, re.compile(_FRAGMENT.sub(lambda m: fragments[m[1]], pattern), re.IGNORECASE), handlers[handler])
        for name, handler, pattern in rows("timex_rules.tsv")
    )


@functools.lru_cache(maxsize=None)
def _trigger_index() -> dict[str, tuple[str, ...]]:
    """Token -> the rules that can match near it.

    Every match of a rule contains one of its trigger tokens ("<num>" stands
    for any number, "<year>" for a number that can be a year).  Most text
    holds no time expression: finding the triggers with one tokenising pass
    and running each pattern only around its triggers keeps the grammar fast
    (a pattern with optional prefixes is otherwise tried at every position).
    """
    w = words()
    units = set()
    for u in list(w["unit"]) + ["centuries"]:
        units |= {u, u + "s"}
    months, weekdays = set(w["month"]), set(w["weekday"]) | {d + "s" for d in w["weekday"]}
    pods, seasons = set(w["part_of_day"]), set(w["season"])

    def last_words(phrases) -> set[str]:
        return {p.split()[-1].replace("'s", "") for p in phrases}

    triggers = {
        "iso_date": {"<num>"},
        "slash_date": {"<num>"},
        "in_the_day": {"day"},
        "month_day": months,
        "day_month": months,
        "month_year": months,
        "month": months,
        "week_of": {"week"},
        "year": {"<year>"},
        "spoken_year": {"nineteen", "thousand"},
        "decade": {"<num>"} | set(w["decade_word"]),
        "century": {"century"},
        "weekday": weekdays,
        "deictic_day": {"yesterday", "today", "tomorrow", "tonight"},
        "day_around": {"yesterday", "tomorrow"},
        "this_pod": pods,
        "relative_unit": {"week", "weekend", "month", "quarter", "year", "decade", "century", "period"},
        "anaphoric_day": {"day"} | pods,
        "ago": {"ago"},
        "vague_ago": {"ago"},
        "later": {"later", "earlier", "afterward", "afterwards", "before", "after", "previously"},
        "within": {"within"},
        "year_ago": {"year"},
        "quarter": {"quarter", "quarters", "half"},
        "year_quarter": {"quarter", "half"},
        "season": seasons,
        "holiday": {word for phrase in w["holiday"] for word in re.findall(r"[a-z]+", phrase) if word not in ("s", "day")},
        "ref": last_words(w["ref"]),
        "year_end": {"end"},
        "duration": units,
        "duration_adj": units,
        "duration_bare": units,
        "decades_long": {"long"},
        "set_adverb": set(_SET_ADVERBS),
        "set_every": {"every", "each"},
        "clock": {"<num>"},
        "clock_oclock": {"<num>"},
        "clock_in_the": pods,
        "noon": {"noon", "midnight", "midday", "midafternoon", "midmorning", "afternoon", "morning"},
    }
    index: dict[str, list[str]] = {}
    for name, tokens in triggers.items():
        for token in tokens:
            index.setdefault(token, []).append(name)
    return {token: tuple(names) for token, names in index.items()}

# ----------------------------------------------------------------------------
# handlers: a match -> Mention (or None to reject it)


def _mk(m: re.Match, rule: str, sem: dict, weak: bool = False, start: Optional[int] = None, end: Optional[int] = None) -> Mention:
    return Mention(m.start() if start is None else start, m.end() if end is None else end, rule, sem, weak)


def _h_iso(m, text):
    y, mo, d = int(m["year"]), int(m["month"]), int(m["day"])
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1500 <= y <= 2199):
        return None
    sem = {"kind": "cal", "year": y, "month": mo, "day": d}
    if m["hour"]:
        sem.update(hour=int(m["hour"]), minute=int(m["minute"]))
    return _mk(m, "iso_date", sem)


def _h_in_the_day(m, text):
    return _mk(m, "in_the_day", {"kind": "shift", "unit": "day", "n": 0, "base": "published"})


def _h_slash(m, text):
    a, b, y = int(m["a"]), int(m["b"]), m["year"]
    year = int(y) if len(y) == 4 else (1900 + int(y) if int(y) > 30 else 2000 + int(y))
    month, day = (a, b) if a <= 12 else (b, a)  # US order unless the first cannot be a month
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _mk(m, "slash_date", {"kind": "cal", "year": year, "month": month, "day": day})


def _h_month_day(m, text):
    day = int(m["day"])
    if not 1 <= day <= 31:
        return None
    # "May 5" and "5 May" are dates; "may 5" (a modal before a number) needs the NER to agree
    weak = m["month"].lower().rstrip(".") in words()["ambiguous"] and not m["year"] and not m["month"][0].isupper()
    sem = {"kind": "cal", "month": _month_number(m["month"]), "day": day}
    if m["year"]:
        sem["year"] = int(m["year"])
    if m["weekday"]:
        sem["weekday"] = _weekday_number(m["weekday"])
    return _mk(m, "month_day", sem, weak=weak)


def _h_month_year(m, text):
    sem = {"kind": "cal", "month": _month_number(m["month"])}
    if m["year"]:
        sem["year"] = int(m["year"])
    else:
        sem["year_shift"] = {"last": -1, "this": 0, "next": 1}[m["yrel"].lower()]
    if m["mod"]:
        sem["mod"] = _mod_value(m["mod"])
    return _mk(m, "month_year", sem)


def _full_month_names() -> set[str]:
    by_number: dict[str, str] = {}
    for word, number in words()["month"].items():
        if len(word) > len(by_number.get(number, "")):
            by_number[number] = word
    return set(by_number.values())


def _h_month(m, text):
    word = m["month"]
    bare = word.lower().rstrip(".")
    lowercased = text[max(0, m.start() - 200) : m.end() + 200].islower()  # a lower-cased corpus
    if not word[0].isupper() and not lowercased:
        return None  # "march", "may" in normally cased text are words
    if bare not in _full_month_names() and not word.endswith("."):
        return None  # a bare "Jan", "Dec" alone is a name more often than a month
    rel = " ".join((m["rel"] or "").lower().split())
    if bare in words()["ambiguous"] and not rel:
        # "May", "March": a month only after a date word ("in May"), and "and May be" is a modal
        prev = _prev_word(text, m.start())
        if prev not in TIMEX.month_context:
            return None
        nxt = _next_word(text, m.end())
        if bare == "may" and prev not in TIMEX.strong_month_context and nxt[:1].islower() and nxt.lower() not in ("and", "or", "to", "through", "until"):
            return None
    sem = {"kind": "cal", "month": _month_number(word)}
    if rel in ("last", "this past"):
        sem["pick"] = "before"
    elif rel in ("next", "this coming"):
        sem["pick"] = "after"
    elif rel == "this":
        sem["year_shift"] = 0  # "this September": the one of this year
    elif rel:
        sem["mod"] = _mod_value(rel)
    return _mk(m, "month", sem, weak=lowercased)


def _h_week_of(m, text):
    sem = {"kind": "cal", "month": _month_number(m["month"]), "day": int(m["day"]), "as_week": True}
    if m["year"]:
        sem["year"] = int(m["year"])
    return _mk(m, "week_of", sem)


_CLOCK_BEFORE_DATE = re.compile(r"\s+[0-3]?\d\.[01]?\d\.(?:19|20)\d\d\b")


def _h_year(m, text):
    year = int(m["year"])
    mod = m["mod"]
    sem = {"kind": "cal", "year": year}
    if mod:
        low = " ".join(mod.lower().split())
        sem["mod"] = _mod_value(low) or ({"post": "AFTER", "pre": "BEFORE"}.get(low))
        return _mk(m, "year", sem)
    start = m.start("year")
    prev = _prev_word(text, start)
    nxt = _next_word(text, m.end())
    before = text[max(0, start - 2) : start]
    if before.endswith(("#", "No", "$")) or prev in ("no", "number", "flight", "route", "room", "page", "model", "version", "highway", "resolution", "about", "than", "some", "over", "nearly", "almost"):
        return None
    if nxt and nxt[0].islower() and nxt.endswith("s") and nxt.lower() not in TIMEX.not_plural_nouns and prev not in TIMEX.year_prepositions:
        return None  # "2000 soldiers", "1500 people": a count, not a year
    if _CLOCK_BEFORE_DATE.match(text, m.end()):
        return None  # "updated 2033 15.04.2017": a page's clock time before its date
    strong = prev in TIMEX.year_context or text[start - 1 : start] == "(" or prev.endswith("'s")
    if not strong:
        # "the 2024 election", "2021's", a year at a clause start followed by a comma
        after = text[m.end() : m.end() + 2]
        strong = (prev == "the" and nxt[:1].islower()) or after.startswith(",") and prev in ("", "in")
    return _mk(m, "year", sem, weak=not strong)


def _h_spoken_year(m, text):
    if m["y2k"]:
        return _mk(m, "spoken_year", {"kind": "cal", "year": 2000})
    n = number_value(m["yw"])
    if n is None:
        return None
    return _mk(m, "spoken_year", {"kind": "cal", "year": 1900 + int(n)})


def _h_decade(m, text):
    if m["dec"]:
        decade = int(m["dec"])
    elif m["dec2"]:
        decade = 1900 + int(m["dec2"])  # "the '80s"; '00s-'20s are resolved against publication
    else:
        if _prev_word(text, m.start()) in TIMEX.possessive or _prev_word(text, m.start("decw")) in TIMEX.possessive:
            return None  # "in his sixties": an age
        if not m["the"] and not m["mod"]:
            return None
        decade = 1900 + 10 * int(words()["decade_word"][m["decw"].lower()])
    sem = {"kind": "decade", "decade": decade, "two_digit": bool(m["dec2"] or m["decw"])}
    if m["mod"]:
        sem["mod"] = _mod_value(m["mod"])
    return _mk(m, "decade", sem)


def _h_century(m, text):
    ordinal = m["ord"].lower()
    digits = re.match(r"\d+", ordinal) if ordinal[0].isdigit() else None
    n = int(digits.group()) if digits else int(words()["ordinal"][ordinal])
    if not 1 <= n <= 22:
        return None
    return _mk(m, "century", {"kind": "century", "century": n - 1})


def _h_weekday(m, text):
    wd = _weekday_number(m["weekday"])
    rel = " ".join((m["rel"] or "").lower().split())
    pod = (m["pod"] or "").lower()
    plural = bool(m["plural"])
    if plural and not pod and _next_word(text, m.end())[:1].islower() and _next_word(text, m.end()).lower() not in TIMEX.clause_words:
        plural = False  # "Tuesdays attack": a possessive that lost its apostrophe
    if rel in ("every", "each") or plural:
        value = f"XXXX-WXX-{wd}" + (f"T{words()['part_of_day'][pod]}" if pod else "")
        return _mk(m, "weekday_set", {"kind": "set", "value": value})
    sem = {"kind": "weekday", "weekday": wd, "rel": rel or None}
    if pod:
        sem["pod"] = words()["part_of_day"][pod]
    return _mk(m, "weekday", sem)


def _h_deictic_day(m, text):
    word = m["word"].lower()
    offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}[word]
    sem = {"kind": "shift", "unit": "day", "n": offset, "base": "published"}
    pod = (m["pod"] or "").lower()
    mod = (m["mod"] or "").lower().replace(" ", "").replace("-", "")
    if word == "tonight":
        sem["pod"] = "NI"
    elif pod:
        sem["pod"] = words()["part_of_day"][pod]
    elif mod in ("midafternoon", "midmorning"):
        sem["pod"] = "AF" if "afternoon" in mod else "MO"
    return _mk(m, "deictic_day", sem)


def _h_day_around(m, text):
    n = -2 if m["which"].lower().startswith("before") else 2
    return _mk(m, "day_around", {"kind": "shift", "unit": "day", "n": n, "base": "published"})


def _h_this_pod(m, text):
    rel = m["rel"].lower()
    offset = {"this": 0, "last": -1, "tomorrow": 1, "yesterday": -1}[rel]
    pod = words()["part_of_day"][m["pod"].lower()]
    if rel == "last" and pod != "NI":
        return None  # "last evening" is rare; "last night" is the common one
    return _mk(m, "this_pod", {"kind": "shift", "unit": "day", "n": offset, "base": "published", "pod": pod})


@functools.lru_cache(maxsize=None)
def _relative_words() -> dict[str, tuple[str, int]]:
    """Words before a unit ("last", "the following") -> (base, offset): ``relative`` in time_words.tsv."""
    return {word: (value.split()[0], int(value.split()[1])) for word, value in words()["relative"].items()}


def _h_relative_unit(m, text):
    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower()
    after = (m["after"] or "").lower()
    mod = _mod_value(m["mod"]) if m["mod"] else None
    end = m.end("unit") + (2 if text[m.end("unit") : m.end("unit") + 2] == "'s" else 0)
    if after in ("ended", "ending", "to date"):
        if unit == "quarter":  # "the quarter ended Sept. 30": the quarter being reported
            return _mk(m, "relative_unit", {"kind": "latest_quarter", "anaphoric": True}, end=end)
        # "the year ended June 30": a period as long as the unit
        return _mk(m, "relative_unit", {"kind": "duration", "value": duration_value(1, unit)}, end=end)
    if unit in ("decade", "century") and rel in ("past", "the past", "the last", "last", "this past"):
        # "over the past decade": the ten years up to now, not the previous calendar decade
        return _mk(m, "relative_unit", {"kind": "duration", "value": duration_value(1, unit)}, end=end)
    if after == "old":
        return None
    if rel == "this" and unit == "weekend":
        return _mk(m, "relative_unit", {"kind": "shift", "unit": "weekend", "n": 0, "base": "published", "future_ok": True}, end=end)
    if rel in ("the", "its"):
        if unit == "weekend":
            return _mk(m, "relative_unit", {"kind": "shift", "unit": "weekend", "n": 0, "base": "published"}, end=end)
        if unit == "quarter":
            return _mk(m, "relative_unit", {"kind": "latest_quarter", "anaphoric": True}, end=end)
        if unit == "year" and rel == "the":
            if mod:  # "the end of the year": this year
                return _mk(m, "relative_unit", {"kind": "shift", "unit": "year", "n": 0, "base": "published", "mod": mod}, end=end)
            if after in ("before", "earlier"):
                return _mk(m, "relative_unit", {"kind": "shift", "unit": "year", "n": -1, "base": "previous"})
            if after in ("after", "later"):
                return _mk(m, "relative_unit", {"kind": "shift", "unit": "year", "n": 1, "base": "previous"})
            return _mk(m, "relative_unit", {"kind": "shift", "unit": "year", "n": 0, "base": "previous"}, end=end)
        if unit == "month" and mod:
            return _mk(m, "relative_unit", {"kind": "shift", "unit": "month", "n": 0, "base": "published", "mod": mod}, end=end)
        return None
    if rel in ("the latest", "the most recent") and unit in ("quarter", "period"):
        return _mk(m, "relative_unit", {"kind": "latest_quarter", "anaphoric": False}, end=end)
    if rel not in _relative_words() or unit == "period":
        return None
    base, n = _relative_words()[rel]
    if after in ("ago", "earlier", "before", "after", "later") and rel in ("that", "the same", "that same"):
        return None
    sem = {"kind": "shift", "unit": unit, "n": n, "base": base}
    if mod:
        sem["mod"] = mod
    if m["mod"] and m["mod"].lower() in ("earlier", "later"):
        sem["mod"] = None
    return _mk(m, "relative_unit", sem, end=end)


def _h_anaphoric_day(m, text):
    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower()
    after = (m["after"] or "").lower()
    if rel == "the":
        if unit != "day" or not after:
            return None  # "the morning", "the day" alone: too vague
        nxt = text[m.end() : m.end() + 2]
        if not re.match(r"\s*[,.;:)]|$", nxt):
            return None  # "the day before the attack": anchored to an event, not a time
        n = -1 if after == "before" else 1
        return _mk(m, "anaphoric_day", {"kind": "shift", "unit": "day", "n": n, "base": "previous"})
    if after:
        return None
    n = {"the next": 1, "the following": 1, "the previous": -1}.get(rel, 0)
    sem = {"kind": "shift", "unit": "day", "n": n, "base": "previous"}
    if unit != "day":
        sem["pod"] = words()["part_of_day"][unit]
    return _mk(m, "anaphoric_day", sem, end=m.end("unit"))


def _num(m, group="num") -> tuple[Optional[float], bool]:
    """(value, vague) of a number group."""
    text = m[group]
    if is_vague(text):
        return None, True
    value = number_value(text)
    return value, value is None


def _h_ago(m, text):
    num, vague = _num(m)
    unit = _unit_name(m["unit"])
    if vague:
        return _mk(m, "ago", {"kind": "ref", "value": "PAST_REF"})
    if num is None or num != int(num) and not m["half"]:
        return None
    if unit in ("decade", "century"):  # "a decade ago": about ten years back, a year
        unit, num = "year", num * (10 if unit == "decade" else 100)
    sem = {"kind": "shift", "unit": unit, "n": -int(num), "base": "published", "approx": bool(m["approx"])}
    if int(num) == 1 and unit in ("year",) and m["num"].lower() in ("a", "one", "1"):
        sem["compare"] = True  # "a year ago": the same period a year before (quarter, month) when one is in view
    return _mk(m, "ago", sem)


def _h_vague_ago(m, text):
    return _mk(m, "vague_ago", {"kind": "ref", "value": "PAST_REF"})


def _h_later(m, text):
    num, vague = _num(m)
    unit = _unit_name(m["unit"])
    direction = m["dir"].lower()
    duration = {"kind": "duration", "value": duration_value(num, unit, bool(m["half"]))}
    dur_end = m.end("half") if m["half"] else m.end("unit")
    if direction in ("before", "after", "previously"):
        nxt = text[m.end() : m.end() + 3]
        if not re.match(r"\s*(?:[,.;:)]|$)", nxt):
            # "two days after the vote": anchored to an event; TimeML marks the length only
            return _mk(m, "later", duration, end=dur_end)
    if vague or num is None or num != int(num):
        return _mk(m, "later", duration, end=dur_end)
    n = int(num) if direction in ("later", "after", "afterward", "afterwards") else -int(num)
    sem = {"kind": "shift", "unit": unit, "n": n, "base": "previous_near", "fallback": duration, "fallback_end": dur_end}
    if int(num) == 1 and unit == "year" and m["num"].lower() in ("a", "one", "1"):
        sem["compare"] = True
    return _mk(m, "later", sem)


def _h_within(m, text):
    num, vague = _num(m)
    unit = _unit_name(m["unit"])
    duration = {"kind": "duration", "value": duration_value(num, unit, bool(m["half"]))}
    start = m.start("approx") if m["approx"] else m.start("num")
    if vague or num is None or num != int(num):
        return _mk(m, "within", duration, start=start)
    nxt = _next_word(text, m.end()).lower()
    if nxt in ("of", "after", "from", "since", "before"):
        return _mk(m, "within", duration, start=start)  # "within a week of his capture": event-anchored
    sem = {"kind": "shift", "unit": unit, "n": int(num), "base": "within", "fallback": duration, "fallback_start": start}
    return _mk(m, "within", sem)


def _h_year_ago(m, text):
    qm = re.match(r"(first|second|third|fourth)\s+quarter", (m["what"] or "").lower())
    if qm:  # "the year-ago third quarter"
        sem = {"kind": "quarter", "quarter": int(words()["ordinal"][qm.group(1)]), "n": -1}
    else:  # "the year-ago period", "year-earlier": the period in view, a year before
        sem = {"kind": "shift", "unit": "year", "n": -1, "base": "published", "compare": True}
    return _mk(m, "year_ago", sem)


_ORD_Q = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "final": -1, "last": -1}


def _h_quarter(m, text):
    ordinal = m["ord"].lower()
    q = _ORD_Q.get(ordinal) or int(words()["ordinal"].get(ordinal, 0))
    kind = m["q"].lower()
    top = 4 if kind == "quarter" else 2
    if q == -1:
        q = top
    if not 1 <= q <= top:
        return None
    gd = m.groupdict()
    det = (gd.get("det") or "").lower()
    start = m.start()
    if det == "a":
        start = m.start("pre") if gd.get("pre") else m.start("ord")  # "a third-quarter loss": "a" is not part of it
    if gd.get("plural"):
        return None  # "the second and fourth quarters": a set
    sem = {"kind": "quarter" if kind == "quarter" else "half", "quarter": q}
    if gd.get("year"):
        sem["year"] = int(gd["year"])
    elif gd.get("yrel"):
        sem["year_shift"] = {"last": -1, "this": 0, "next": 1}[gd["yrel"].lower()]
    elif det == "last" and kind == "quarter" and not gd.get("pre"):
        sem["pick"] = "before"
    elif det == "next":
        sem["pick"] = "after"
    pre = (gd.get("pre") or "").lower()
    if "year-ago" in pre or "year-earlier" in pre:
        sem["n"] = -1
    return _mk(m, "quarter", sem, start=start)


def _h_season(m, text):
    word = m["season"].lower()
    rel = " ".join((m["rel"] or "").lower().split())
    if not m["year"]:
        if not rel or rel == "of":
            return None  # a bare "summer", "fall", "spring" is a noun or a verb as often as a season
        if rel in ("in", "during", "the") and word in ("fall", "spring"):
            return None  # "the fall of the city", "in spring training"
    start = m.start("season") if rel in ("in", "during", "of") else m.start()
    sem: dict[str, object] = {"kind": "season", "season": words()["season"][word]}
    if m["year"]:
        sem["year"] = int(m["year"])
    elif rel in ("last", "this past"):
        sem["pick"] = "before"
    elif rel in ("next", "this coming"):
        sem["pick"] = "after"
    elif rel == "this":
        sem["pick"] = "current"
    return _mk(m, "season", sem, start=start)


def _h_holiday(m, text):
    name = " ".join(m["name"].lower().split())
    if not m["name"][0].isupper():
        return None
    sem: dict[str, object] = {"kind": "holiday", "rule": words()["holiday"][name]}
    if m["year"]:
        sem["year"] = int(m["year"])
    rel = (m["rel"] or "").lower()
    if rel == "last":
        sem["pick"] = "before"
    elif rel == "next":
        sem["pick"] = "after"
    return _mk(m, "holiday", sem)


def _h_year_end(m, text):
    return _mk(m, "year_end", {"kind": "shift", "unit": "year", "n": 0, "base": "published", "mod": "END"})


def _h_ref(m, text):
    word = " ".join(m["word"].lower().split())
    value = words()["ref"][word]
    return _mk(m, "ref", {"kind": "ref", "value": value})


def _h_duration(m, text):
    unit = _unit_name(m["unit"])
    raw = m["num"].lower()
    if raw in ("several", "multi", "many"):
        num, vague = None, True
    else:
        num, vague = _num(m)
        if num is None and not vague:
            return None
    gd = m.groupdict()
    if gd.get("num2"):
        second = number_value(gd["num2"])
        if second is None or num is None or second - num > 1:
            num, vague = None, True  # "12 to 18 months": a vague length
    if unit == "second" and not vague and raw in ("a", "an"):
        return None  # "a second" is an ordinal far more often than a length
    if unit in ("quarter", "half") and _next_word(text, m.end()).lower() == "of":
        return None  # "a quarter of a million": a fraction
    value = duration_value(None if vague else num, unit, bool(gd.get("half")))
    return _mk(m, "duration", {"kind": "duration", "value": value})


def _h_bare_units(m, text):
    unit = _unit_name(m["unit"])
    value = duration_value(None, unit)
    # "for years": the preposition is not part of the expression
    return _mk(m, "duration_bare", {"kind": "duration", "value": value}, start=m.start("unit"))


_SET_ADVERBS = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M", "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H"}


def _h_set_adverb(m, text):
    return _mk(m, "set", {"kind": "set", "value": _SET_ADVERBS[m["word"].lower()]})


def _h_set_every(m, text):
    unit = m["unit"].lower()
    n = 2 if m["other"] else 1
    if m["month"]:
        return _mk(m, "set", {"kind": "set", "value": f"XXXX-{_month_number(m['month']):02d}"})
    pods = words()["part_of_day"]
    if unit in pods:
        return _mk(m, "set", {"kind": "set", "value": f"XXXX-XX-XXT{pods[unit]}"})
    if unit == "weekend":
        return _mk(m, "set", {"kind": "set", "value": "XXXX-WXX-WE"})
    return _mk(m, "set", {"kind": "set", "value": duration_value(n, unit)})


_WORD_HOURS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}


def _h_clock(m, text):
    raw = m["hour"].lower()
    hour = int(raw) if raw.isdigit() else _WORD_HOURS[raw]
    gd = m.groupdict()
    minute = int(gd["minute"]) if gd.get("minute") else 0
    if hour > 12 or minute > 59:
        return None
    ampm = (gd.get("ampm") or "").lower()
    pod = (gd.get("pod") or "").lower()
    if ampm.startswith("p") or pod in ("afternoon", "evening"):
        if hour < 12:
            hour += 12
    elif (ampm.startswith("a") or pod == "morning") and hour == 12:
        hour = 0
    return _mk(m, "clock", {"kind": "clock", "hour": hour, "minute": minute})


def _h_noon(m, text):
    word = m["word"].lower().replace("-", "")
    if word in ("noon", "midday"):
        return _mk(m, "clock", {"kind": "clock", "hour": 12, "minute": 0})
    if word == "midnight":
        return _mk(m, "clock", {"kind": "clock", "hour": 24, "minute": 0})
    return _mk(m, "clock", {"kind": "clock", "pod": "AF" if "afternoon" in word else "MO"})


# ----------------------------------------------------------------------------
# running the grammar


_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_BEFORE, _AFTER = 100, 70  # the longest stretch of a match before / after its trigger


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Rule name -> merged character windows around its triggers, wide enough for any match."""
    index = _trigger_index()
    out: dict[str, list[tuple[int, int]]] = {}
    for m in _TOKEN.finditer(text):
        token = m.group()
        if token[0].isdigit():
            keys = ("<num>", "<year>") if len(token) == 4 and 1500 <= int(token) <= 2199 else ("<num>",)
        else:
            keys = (token.lower(),)
        for key in keys:
            for name in index.get(key, ()):
                start, end = max(0, m.start() - _BEFORE), m.end() + _AFTER
                spans = out.setdefault(name, [])
                if spans and start <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
    return out


def _raw_mentions(text: str) -> Iterator[Mention]:
    windows = _windows(text)
    for rule in _compiled_rules():
        for start, end in windows.get(rule.name, ()):
            for m in rule.pattern.finditer(text, start, min(end, len(text))):
                mention = rule.handler(m, text)
                if mention is not None and mention.end > mention.start:
                    yield mention




def _is_day_level(mention: Mention) -> bool:
    sem = mention.sem
    if sem.get("kind") == "weekday":
        return True
    if sem.get("kind") == "cal" and "day" in sem and not sem.get("as_week"):
        return True
    return sem.get("kind") == "shift" and sem.get("unit") == "day"


def _merge_clock_and_day(mentions: list[Mention], text: str) -> list[Mention]:
    """"10 p.m. Wednesday", "Tuesday at 9 a.m.": one expression, a day with a clock time."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        b = mentions[i + 1] if i + 1 < len(mentions) else None
        if b is not None:
            gap = text[a.end : b.start]
            pair = None
            if a.sem.get("kind") == "clock" and _is_day_level(b) and re.fullmatch(r"\s*,?\s*(?:on\s+)?|\s*\(\s*", gap) and "pod" not in b.sem:
                pair = (b, a)
            elif b.sem.get("kind") == "clock" and _is_day_level(a) and re.fullmatch(r"\s*,?\s*(?:at|around|about)?\s*", gap) and "pod" not in a.sem:
                pair = (a, b)
            if pair is not None:
                day, clock = pair
                sem = dict(day.sem)
                sem["clock"] = {k: clock.sem[k] for k in ("hour", "minute", "pod") if k in clock.sem}
                out.append(Mention(a.start, b.end, day.rule + "+clock", sem, day.weak))
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def find_mentions(text: str) -> list[Mention]:
    """All time expressions of the grammar, longest first where they overlap, in text order."""
    found = list(_raw_mentions(text))
    # longest wins; between equals, strong before weak, then rule order (stable sort)
    found.sort(key=lambda x: (-(x.end - x.start), x.weak))
    taken: list[Mention] = []
    occupied: list[tuple[int, int]] = []
    for mention in found:
        if any(mention.start < e and s < mention.end for s, e in occupied):
            continue
        taken.append(mention)
        occupied.append((mention.start, mention.end))
    taken.sort(key=lambda x: x.start)
    return _merge_clock_and_day(taken, text)
