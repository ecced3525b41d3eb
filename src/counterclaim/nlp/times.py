"""Time expressions of a news text, normalised against its publication date.

``find_times(text, published, entity_spans)`` returns ``Time`` records whose
``value`` follows TIMEX3 ("2026-02-27", "2025-10", "2025-Q3", "2026-W09",
"197X", "P2Y", "PRESENT_REF").  Three sources feed it:

1. the grammar of ``timex_rules`` (regular expressions over the text), which
   finds what NER misses ("in October", "within a month", "the 1970s") and
   gives exact extents;
2. the caller's NER DATE/TIME spans (spaCy stays outside this module): they
   confirm weak candidates (a bare "1994"), and a span the grammar has nothing
   for is handed to ``dateparser``, restricted to absolute forms;
3. the publication date and the time expressions already read, against which
   relative expressions resolve.

News conventions, applied as general rules (DESIGN.md "dates"):

- a weekday is the latest day of that name up to publication, publication day
  included ("on Friday" in a Friday story is that Friday); dateparser gets this
  wrong (it returns the week before), so weekdays are resolved here;
- a month, a quarter or a season without a year is the most recent one on or
  before publication ("in October" in a February 2026 story is 2025-10); a
  month in a sentence with no past-tense verb is the nearest one instead
  ("elections due in April");
- a day of a month without a year ("Nov. 16") is the nearest one: news omits
  the year of dates close to publication on both sides (deadlines, record
  dates, scheduled votes), and "Dec. 28" in a January story is last year's;
- all of these point forward instead when the clause says the event is ahead
  ("will", "scheduled", "next"): "talks will resume on Monday" is the coming
  Monday;
- "a month later", "within a month", "the next day", "that year" count from the
  time expression before them (the same or previous sentence for "later" and
  "within"): "a ceasefire in October ... collapsed within a month" is 2025-11.
  The record's ``anchor`` says which: "published:2026-02-27" or "time:2025-10".

Without a publication date, expressions that need one get ``value=None``.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Iterable, Optional

from counterclaim.data.lexicon import word_sets
from counterclaim.nlp.sentences import sentence_starts
from counterclaim.nlp.timex_rules import Mention, find_mentions, words
from counterclaim.records import Span, Time

# ----------------------------------------------------------------------------
# calendar points

# Time.precision values: calendar intervals, then the kinds of value that are not a date.
CALENDAR_PRECISIONS = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century")
OTHER_PRECISIONS = ("duration", "set", "ref", "unknown")  # "P2Y"; "P1D" (daily); "PRESENT_REF"; unresolved

GRAN_RANK = {"day": 0, "week": 1, "weekend": 1, "month": 2, "quarter": 3, "season": 3, "half": 4, "year": 5, "decade": 6, "century": 7}
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PRECISION = {"weekend": "week"}
# TIMEX3: a point within a year is the year, then which part of it ("-10", "-Q3", "-H1", "-SU", "").
_PART_OF_YEAR = {
    "month": lambda d, season: f"-{d.month:02d}",
    "quarter": lambda d, season: f"-Q{(d.month - 1) // 3 + 1}",
    "half": lambda d, season: f"-H{1 if d.month <= 6 else 2}",
    "season": lambda d, season: f"-{season}",
    "year": lambda d, season: "",
}


@dataclass(frozen=True)
class Point:
    """A calendar interval: its granularity and first day (plus season code / time suffix)."""

    gran: str
    start: date
    season: str = ""
    suffix: str = ""  # TIMEX3 time part: "TMO", "T22:00"

    @classmethod
    def of(cls, d: date, gran: str, season: str = "") -> "Point":
        """The interval of granularity ``gran`` that contains the day ``d``."""
        if gran == "day":
            start = d
        elif gran == "week":
            start = d - timedelta(days=d.weekday())
        elif gran == "weekend":
            start = d - timedelta(days=d.weekday()) + timedelta(days=5)
        elif gran == "month":
            start = d.replace(day=1)
        elif gran == "quarter":
            start = date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
        elif gran == "half":
            start = date(d.year, 1 if d.month <= 6 else 7, 1)
        elif gran == "season":
            start = date(d.year, SEASON_START[season], 1)
        elif gran == "year":
            start = date(d.year, 1, 1)
        elif gran == "decade":
            start = date(d.year - d.year % 10, 1, 1)
        elif gran == "century":
            start = date(d.year - d.year % 100, 1, 1)
        else:
            raise ValueError(gran)
        return cls(gran, start, season if gran == "season" else "")

    @property
    def value(self) -> str:
        d, g = self.start, self.gran
        if g == "day":
            return d.isoformat() + self.suffix
        if g in ("week", "weekend"):
            iso_year, week, _ = d.isocalendar()
            return f"{iso_year}-W{week:02d}" + ("-WE" if g == "weekend" else "")
        if g in _PART_OF_YEAR:
            return f"{d.year:04d}" + _PART_OF_YEAR[g](d, self.season)
        if g == "decade":
            return f"{d.year // 10:03d}X"
        return f"{d.year // 100:02d}XX"

    @property
    def end(self) -> date:
        """The last day of the interval."""
        months = {"month": 1, "quarter": 3, "season": 3, "half": 6, "year": 12, "decade": 120, "century": 1200}
        if self.gran == "day":
            return self.start
        if self.gran == "week":
            return self.start + timedelta(days=6)
        if self.gran == "weekend":
            return self.start + timedelta(days=1)
        return add_months(self.start, months[self.gran]) - timedelta(days=1)

    def shift(self, unit: str, n: int, keep: bool = False) -> "Point":
        """Move by ``n`` units; the result is as coarse as the coarser of point and unit.

        "a month later" than a day is a month; "a week later" than a day stays a
        day.  ``keep`` keeps the point's granularity ("the quarter a year
        earlier" is a quarter).
        """
        d = self.start
        if unit == "day":
            d = d + timedelta(days=n)
        elif unit in ("week", "weekend"):
            d = d + timedelta(days=7 * n)
        else:
            months = {"month": 1, "quarter": 3, "half": 6, "season": 12, "year": 12, "decade": 120, "century": 1200}[unit]
            d = add_months(d, months * n)
        unit_gran = "week" if unit == "weekend" else unit
        if keep or (self.gran == "day" and unit_gran == "week"):
            gran = self.gran
        else:
            gran = max(self.gran, unit_gran, key=lambda g: GRAN_RANK[g])
        point = Point.of(d, gran, self.season if gran == "season" else "")
        if gran == self.gran == "day" and unit == "day":
            point = replace(point, suffix=self.suffix)
        return point


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(d.day, last))


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def holiday_date(rule: str, year: int) -> Optional[date]:
    """The date of a holiday in a year: fixed "MM-DD", or a named movable rule."""
    if rule == "easter":
        return easter(year)
    if rule == "thanksgiving":  # US: fourth Thursday of November
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    if rule == "election":  # US: the Tuesday after the first Monday of November
        first = date(year, 11, 1)
        monday = first + timedelta(days=(0 - first.weekday()) % 7)
        return monday + timedelta(days=1)
    month, day = (int(x) for x in rule.split("-"))
    return _safe_date(year, month, day)


# ----------------------------------------------------------------------------
# tense cues (no parser here: light rules are enough for anchoring)


@functools.lru_cache(maxsize=None)
def _future_cue_re() -> re.Pattern:
    cues = sorted(words().get("future_cue", {}), key=len, reverse=True)
    return re.compile(r"(?:^|[\s(])(" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)


def future_cue(text: str, start: int, sentence_start: int) -> Optional[str]:
    """The future cue ("will", "scheduled") in the clause just before ``start``, if any."""
    left = text[max(sentence_start, start - 60) : start]
    left = re.split(r"[;:\"“”(]|,\s+(?:but|and|while|which|who)\b", left)[-1]
    tokens = left.split()[-7:]
    if any(t.lower() == "had" for t in tokens):
        return None  # "had been scheduled to expire Friday": a plan that is now past
    m = _future_cue_re().search(" " + " ".join(tokens))
    return m.group(1).lower() if m else None


TIMES = word_sets("times.tsv")


# How a yearless date picks its year when no cue decides (see ``_Resolver._pick_year``).
# A day of a month ("Nov. 16") is the nearest one: news drops the year of dates near
# publication on both sides (deadlines, record dates, scheduled votes).  A month is the
# most recent one in a past-tense sentence ("fighting in April killed ..."), else the
# nearest ("elections due in April").
YEARLESS_POLICY = {"day": "nearest", "month": "tense"}


def past_tense(sentence: str) -> bool:
    """Does the sentence narrate the past (a past-tense verb other than a reporting verb)?"""
    for word in re.findall(r"[A-Za-z']+", sentence):
        w = word.lower()
        if w in TIMES.reporting:
            continue
        if w in ("was", "were", "had", "did", "ago") or w in TIMES.irregular_past:
            return True
        if w.endswith("ed") and len(w) > 4 and w not in ("scheduled", "expected", "planned", "proposed", "indeed", "need", "united", "based"):
            return True
    return False


def _past_verb_before(text: str, start: int) -> bool:
    """Is the word before ``start`` (skipping "-ly" adverbs) a past-tense verb?"""
    tokens = re.findall(r"[A-Za-z']+", text[max(0, start - 60) : start])
    while tokens and tokens[-1].lower().endswith("ly") and len(tokens[-1]) > 3:
        tokens.pop()
    if not tokens:
        return False
    word = tokens[-1].lower()
    return word in TIMES.irregular_past or (word.endswith("ed") and len(word) > 3)


# ----------------------------------------------------------------------------
# resolution


@dataclass
class _Seen:
    """A resolved calendar point, as an anchor for the expressions after it."""

    pos: int
    sentence: int
    point: Point


@dataclass
class _Result:
    value: Optional[str]
    precision: str
    anchor: Optional[str] = None
    reason: str = ""
    point: Optional[Point] = None
    start: Optional[int] = None  # a resolution can narrow the span (fallback to a duration)
    end: Optional[int] = None
    anchorable: bool = True  # may later expressions count from it?


class _Resolver:
    """Resolves mentions in text order, remembering the calendar points already read."""

    def __init__(self, text: str, published: Optional[date]) -> None:
        self.text = text
        self.published = published
        self.starts = sentence_starts(text)
        self.seen: list[_Seen] = []

    # -- context ------------------------------------------------------------

    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def previous(self, mention: Mention, max_sentences: Optional[int] = None, grans: Optional[Iterable[str]] = None) -> Optional[_Seen]:
        """The last calendar point before the mention (within ``max_sentences`` sentences back)."""
        here = self.sentence_of(mention.start)
        grans = set(grans) if grans else None
        for seen in reversed(self.seen):
            if max_sentences is not None and here - seen.sentence > max_sentences:
                return None
            if grans is None or seen.point.gran in grans:
                return seen
        return None

    def forward(self, mention: Mention) -> Optional[str]:
        return future_cue(self.text, mention.start, self.starts[self.sentence_of(mention.start)])

    def pub_anchor(self) -> str:
        assert self.published is not None, "only asked with a publication date"
        return f"published:{self.published.isoformat()}"

    # -- dispatch -----------------------------------------------------------

    def resolve(self, mention: Mention) -> Optional[_Result]:
        kind = mention.sem.get("kind")
        if kind == "clock":
            return None  # later: ``resolve_clock``, once the days around it are known
        handler = getattr(self, f"_r_{kind}", None)
        if handler is None:
            return None
        result = handler(mention, mention.sem)
        if result is not None and result.point is not None and result.anchorable:
            self.seen.append(_Seen(mention.start, self.sentence_of(mention.start), result.point))
        return result

    def _needs_published(self, what: str) -> _Result:
        return _Result(None, "unknown", None, f"{what}: no publication date to resolve against")

    def _finish(self, point: Point, sem: dict, anchor: Optional[str], reason: str) -> _Result:
        point = _with_clock(point, sem)
        if sem.get("mod"):
            reason += f"; mod={sem['mod']}"
        return _Result(point.value, PRECISION.get(point.gran, point.gran), anchor, reason, point)

    # -- calendar dates -----------------------------------------------------

    def _pick_year(self, mention: Mention, make, pick: Optional[str], policy: str = "before") -> tuple[Optional[Point], str, str]:
        """Choose the year of a yearless date: before/after publication, or nearest.

        Without an explicit "last"/"next", a future cue in the clause points
        forward; otherwise ``policy`` decides: "before" (the most recent one),
        "nearest", or "tense" (the most recent one when the sentence is in the
        past tense, else the nearest).
        """
        pub = self.published
        assert pub is not None, "only asked with a publication date"
        candidates = [p for p in (make(pub.year + k) for k in (-2, -1, 0, 1, 2)) if p is not None]
        if not candidates:
            return None, "", ""
        cue = None
        if pick is None:
            cue = self.forward(mention)
            if cue:
                pick = "after"
            elif policy == "tense":
                sentence = self.sentence_of(mention.start)
                end = self.starts[sentence + 1] if sentence + 1 < len(self.starts) else len(self.text)
                pick = "before" if past_tense(self.text[self.starts[sentence] : end]) else "nearest"
            else:
                pick = policy
        if pick == "before":
            past = [p for p in candidates if p.start <= pub]
            chosen = past[-1] if past else candidates[0]
            how = "most recent on or before publication"
        elif pick == "after":
            future = [p for p in candidates if p.end >= pub]
            chosen = future[0] if future else candidates[-1]
            how = f"next on or after publication (future cue {cue!r})" if cue else "next on or after publication"
        else:  # nearest
            chosen = min(candidates, key=lambda p: abs((p.start - pub).days))
            how = "nearest to publication"
        return chosen, how, self.pub_anchor()

    def _r_cal(self, mention: Mention, sem: dict) -> Optional[_Result]:
        month, day = sem.get("month"), sem.get("day")
        gran = "day" if day else "month" if month else "year"
        if sem.get("as_week"):
            gran = "week"

        def make(year: int) -> Optional[Point]:
            d = _safe_date(year, month or 1, day or 1)
            if d is None:
                return None
            return Point.of(d, gran)

        if "year" in sem:
            point = make(sem["year"])
            if point is None:
                return None
            return self._finish(point, sem, None, f"{mention.rule}: explicit date")
        if self.published is None:
            return self._needs_published(mention.rule)
        if "year_shift" in sem:
            point = make(self.published.year + sem["year_shift"])
            if point is None:
                return None
            return self._finish(point, sem, self.pub_anchor(), f"{mention.rule}: year relative to publication")
        policy = YEARLESS_POLICY["day" if day else "month"]
        point, how, anchor = self._pick_year(mention, make, sem.get("pick"), policy)
        if point is None:
            return None
        if "weekday" in sem and day and point.start.isoweekday() != sem["weekday"]:
            # "Monday, Oct. 26": the neighbouring year in which that date is that weekday
            for k in (-1, 1):
                other = make(point.start.year + k)
                if other is not None and other.start.isoweekday() == sem["weekday"]:
                    point, how = other, "the neighbouring year in which the weekday matches"
                    break
        return self._finish(point, sem, anchor, f"{mention.rule} without year: {how}")

    def _r_weekday(self, mention: Mention, sem: dict) -> Optional[_Result]:
        wd, rel = sem["weekday"], sem.get("rel")
        if rel in ("the previous", "the following", "the next"):
            seen = self.previous(mention, grans=("day",))
            base = seen.point.start if seen else self.published
            anchor = f"time:{seen.point.value}" if seen else (self.pub_anchor() if self.published else None)
            if base is None:
                return self._needs_published("weekday")
            step = -1 if rel == "the previous" else 1
            d = base + timedelta(days=step)
            while d.isoweekday() != wd:
                d += timedelta(days=step)
            return self._finish(Point.of(d, "day"), sem, anchor, f"weekday {rel}: relative to the time before it")
        if self.published is None:
            return self._needs_published("weekday")
        pub = self.published
        back = (pub.isoweekday() - wd) % 7  # days back to the most recent such day, that day included
        cue = None
        if rel in ("last", "past", "this past"):
            d = pub - timedelta(days=back or 7)
            how = "the one before publication"
        elif rel in ("next", "coming", "this coming"):
            d = pub + timedelta(days=(wd - pub.isoweekday()) % 7 or 7)
            how = "the next one after publication"
        elif rel == "this":
            d = pub + timedelta(days=wd - pub.isoweekday())
            how = "in the week of publication"
        else:
            cue = self.forward(mention)
            if cue:
                d = pub + timedelta(days=(wd - pub.isoweekday()) % 7)
                how = f"next on or after publication (future cue {cue!r})"
            else:
                d = pub - timedelta(days=back)
                how = "most recent on or before publication"
        point = Point.of(d, "day")
        return self._finish(point, sem, self.pub_anchor(), f"weekday: {how}")

    def _r_quarter(self, mention: Mention, sem: dict, months: int = 3, gran: str = "quarter") -> Optional[_Result]:
        q = sem["quarter"]

        def make(year: int) -> Point:
            return Point.of(date(year, (q - 1) * months + 1, 1), gran)

        if "year" in sem:
            point, how, anchor = make(sem["year"]), "explicit year", None
        elif self.published is None:
            return self._needs_published(gran)
        elif "year_shift" in sem:
            point, how, anchor = make(self.published.year + sem["year_shift"]), "year relative to publication", self.pub_anchor()
        else:
            picked, how, anchor = self._pick_year(mention, make, sem.get("pick"))
            assert picked is not None, "make() always gives a point"
            point = picked
        if sem.get("n"):
            point = point.shift("year", sem["n"], keep=True)
            how += "; a year earlier"
        return self._finish(point, sem, anchor, f"{gran}: {how}")

    def _r_half(self, mention: Mention, sem: dict) -> Optional[_Result]:
        return self._r_quarter(mention, sem, months=6, gran="half")

    def _r_latest_quarter(self, mention: Mention, sem: dict) -> Optional[_Result]:
        if sem.get("anaphoric"):
            seen = self.previous(mention, grans=("quarter",))
            if seen:
                return self._finish(seen.point, sem, f"time:{seen.point.value}", "the quarter: the quarter named before")
        if self.published is None:
            return self._needs_published("quarter")
        point = Point.of(self.published, "quarter").shift("quarter", -1)
        return self._finish(point, sem, self.pub_anchor(), "latest quarter: the last complete quarter before publication")

    def _r_season(self, mention: Mention, sem: dict) -> Optional[_Result]:
        code = sem["season"]

        def make(year: int) -> Point:
            return Point.of(date(year, SEASON_START[code], 1), "season", code)

        if "year" in sem:
            return self._finish(make(sem["year"]), sem, None, "season: explicit year")
        if self.published is None:
            return self._needs_published("season")
        pick = sem.get("pick")
        pub = self.published
        if pick == "current":
            point = make(pub.year)
            return self._finish(point, sem, self.pub_anchor(), "season: this year's")
        picked, how, anchor = self._pick_year(mention, make, pick)
        assert picked is not None, "make() always gives a point"
        point = picked
        if pick == "before" and point.start <= pub <= point.end:
            point, how = make(point.start.year - 1), "last one before the current season"
        return self._finish(point, sem, anchor, f"season: {how}")

    def _r_holiday(self, mention: Mention, sem: dict) -> Optional[_Result]:
        def make(year: int) -> Optional[Point]:
            d = holiday_date(sem["rule"], year)
            return Point.of(d, "day") if d else None

        if "year" in sem:
            point = make(sem["year"])
            return self._finish(point, sem, None, "holiday: explicit year") if point else None
        if self.published is None:
            return self._needs_published("holiday")
        point, how, anchor = self._pick_year(mention, make, sem.get("pick"), YEARLESS_POLICY["day"])
        return self._finish(point, sem, anchor, f"holiday: {how}") if point else None

    def _r_decade(self, mention: Mention, sem: dict) -> Optional[_Result]:
        decade = sem["decade"]
        if sem.get("two_digit") and self.published and decade + 100 <= self.published.year:
            decade += 100  # "the '20s" in a 2026 story
        return self._finish(Point.of(date(decade, 1, 1), "decade"), sem, None, "decade")

    def _r_century(self, mention: Mention, sem: dict) -> Optional[_Result]:
        return self._finish(Point.of(date(max(1, sem["century"] * 100), 1, 1), "century"), sem, None, "century")

    # -- relative expressions -----------------------------------------------

    def _r_shift(self, mention: Mention, sem: dict) -> Optional[_Result]:
        unit, n, base = sem["unit"], sem["n"], sem["base"]
        if sem.get("compare"):
            # "a year ago/earlier", "the year-ago period": the same period a year before
            # a reporting period (quarter, half) stays in view for the whole story; a month or
            # a season only for its sentence and the next
            seen = self.previous(mention, max_sentences=1, grans=("quarter", "half", "month", "season"))
            seen = seen or self.previous(mention, grans=("quarter", "half"))
            if seen is None and base == "previous_near":
                seen = self.previous(mention, max_sentences=1)
            if seen is not None:
                point = seen.point.shift("year", n, keep=True)
                result = self._finish(point, sem, f"time:{seen.point.value}", "a year before the period in view")
            elif self.published is not None:
                point = Point.of(self.published, "year").shift("year", n)
                result = self._finish(point, sem, self.pub_anchor(), "a year before publication")
            else:
                return self._needs_published(mention.rule)
            result.anchorable = False  # "a year earlier ... a year ago" both count from the period in view
            return result
        if base in ("previous", "previous_near", "within"):
            limit = None if base == "previous" else 1
            seen = self.previous(mention, max_sentences=limit)
            usable = seen is not None and GRAN_RANK[seen.point.gran] <= GRAN_RANK["year"]
            if base == "within" and not _past_verb_before(self.text, mention.start):
                usable = False  # "must decide within 14 days": a length, not a date
            if usable:
                assert seen is not None
                point = seen.point.shift(unit, n)
                how = f"{n:+d} {unit} from the time before it"
                return self._finish(point, sem, f"time:{seen.point.value}", f"{mention.rule}: {how}")
            if "fallback" in sem:
                fb = sem["fallback"]
                return _Result(
                    fb["value"], "duration", None, f"{mention.rule}: no time before it to count from; a duration",
                    None, sem.get("fallback_start"), sem.get("fallback_end"),
                )
        if self.published is None:
            return self._needs_published(mention.rule)
        pub = self.published
        if unit == "weekend":
            # the most recent weekend on or before publication (this week's on Saturday/Sunday)
            this_week = Point.of(pub, "weekend")
            recent = this_week if pub >= this_week.start else this_week.shift("weekend", -1)
            if sem.get("future_ok") or self.forward(mention):
                recent = this_week
            point = recent.shift("weekend", n)
            return self._finish(point, sem, self.pub_anchor(), f"weekend {n:+d} from publication")
        point = Point.of(pub, unit).shift(unit, n)
        return self._finish(point, sem, self.pub_anchor(), f"{mention.rule}: {n:+d} {unit} from publication")

    def resolve_clock(self, mention: Mention) -> Optional[_Result]:
        """A bare clock time takes the nearest day named in its sentence, else publication.

        Called after every other expression is resolved, so "at 10:35 a.m.
        (0735 GMT) Friday" can take the day named after it.
        """
        sem = mention.sem
        here = self.sentence_of(mention.start)
        days = [s for s in self.seen if s.sentence == here and s.point.gran == "day"]
        seen = min(days, key=lambda s: abs(s.pos - mention.start), default=None)
        if seen is not None:
            day, anchor = seen.point.start, f"time:{seen.point.value}"
        elif self.published is not None:
            day, anchor = self.published, self.pub_anchor()
        else:
            return self._needs_published("clock")
        point = _with_clock(Point.of(day, "day"), {"clock": sem})
        return _Result(point.value, "day", anchor, "clock time on the day in view", None)

    # -- values that need no date -------------------------------------------

    def _r_duration(self, mention: Mention, sem: dict) -> _Result:
        return _Result(sem["value"], "duration", None, f"{mention.rule}: TIMEX3 duration")

    def _r_set(self, mention: Mention, sem: dict) -> _Result:
        return _Result(sem["value"], "set", None, f"{mention.rule}: TIMEX3 set (a recurrence)")

    def _r_ref(self, mention: Mention, sem: dict) -> _Result:
        return _Result(sem["value"], "ref", None, "reference to the present, past or future")


def _with_clock(point: Point, sem: dict) -> Point:
    """Add a clock time or part of day ("T22:00", "TNI") to a day."""
    if point.gran != "day":
        return point
    clock = sem.get("clock")
    if clock:
        if "hour" in clock:
            return replace(point, suffix=f"T{clock['hour']:02d}:{clock.get('minute', 0):02d}")
        if "pod" in clock:
            return replace(point, suffix=f"T{clock['pod']}")
    if sem.get("pod"):
        return replace(point, suffix=f"T{sem['pod']}")
    return point


# ----------------------------------------------------------------------------
# dateparser, for NER spans the grammar has nothing for

_DATEPARSER_GUARD = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|\d(?:st|nd|rd|th)?\s+(?:of\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=64)
def _date_parser(published: date):
    """One dateparser per publication date: building one costs more than a parse."""
    from dateparser.date import DateDataParser

    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        # absolute forms only: the relative parser reads "the 1970s" as 1970 seconds ago
        "PARSERS": ["custom-formats", "absolute-time"],
        # a month at least: a bare number is never a date
        "REQUIRE_PARTS": ["month"],
        "PREFER_DAY_OF_MONTH": "first",
    }
    return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=4096)
def dateparser_value(text: str, published: date) -> Optional[tuple[str, str]]:
    """(TIMEX3 value, precision) for an absolute date dateparser can read, else None.

    Guarded: only short strings that look like dates (a month name next to a
    number, or digits with separators) reach dateparser, which is slow and
    turns stray numbers into dates.
    """
    if len(text) > 40 or not _DATEPARSER_GUARD.search(text):
        return None
    try:
        data = _date_parser(published).get_date_data(text)
    except Exception:  # dateparser raises on odd input (overflows, bad ranges): not a date then
        return None
    if data is None or data.date_obj is None or not 1500 <= data.date_obj.year <= 2199:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "month":
        return f"{d.year:04d}-{d.month:02d}", "month"
    if period == "year":
        return f"{d.year:04d}", "year"
    return d.isoformat(), "day"


# ----------------------------------------------------------------------------
# the public function


def find_times(
    text: str,
    published: date | datetime | None,
    entity_spans: Iterable[tuple[int, int, str]] = (),
) -> list[Time]:
    """Time expressions in ``text``, normalised against ``published``.

    ``entity_spans`` are NER ``(start, end, label)`` triples; DATE and TIME ones
    are used (others ignored): they confirm weak grammar matches and bring
    absolute dates the grammar does not know (parsed by dateparser).
    """
    if isinstance(published, datetime):
        published = published.date()
    entities = [(s, e) for s, e, label in entity_spans if label in ("DATE", "TIME")]
    mentions = [
        m for m in find_mentions(text) if not m.weak or any(m.start < e and s < m.end for s, e in entities)
    ]
    resolver = _Resolver(text, published)
    results = [(m, resolver.resolve(m)) for m in mentions]
    results = [(m, resolver.resolve_clock(m) if m.sem.get("kind") == "clock" else r) for m, r in results]
    out: list[Time] = []
    for mention, result in results:
        if result is None:
            continue
        start = result.start if result.start is not None else mention.start
        end = result.end if result.end is not None else mention.end
        out.append(Time(Span(start, end, text[start:end]), result.value, result.precision, result.anchor, result.reason))
    if published is not None:
        out += _from_entities(text, published, entities, out)
    out = [t for t in out if not embedded_post_stamp(text, t.span.start)]
    out.sort(key=lambda t: t.span.start)
    return out


# "— Jane Roe (@janeroe) March 3, 2026" closes an embedded post; a copied page may have
# lost the dash and the "@" ("pic.twitter.com/x Jane Roe (janeroe) March 3 2026").
_POST_SIGNATURE = re.compile(r"(?:—\s*[^\n()—]{1,60}\(@\w{1,30}\)|(?:pic\.twitter\.com|t\.co)\S*\s+[^\n()]{1,60}\(@?\w{1,30}\))\s*$")


def embedded_post_stamp(text: str, start: int) -> bool:
    """The time at ``start`` is the timestamp that closes an embedded social-media post
    (its author and handle just before it): when the post was written, not a day the
    story tells, so it is no time of the article (an event dated by it would take the
    post's day)."""
    return bool(_POST_SIGNATURE.search(text, max(0, start - 120), start))


def _from_entities(text: str, published: date, entities: list[tuple[int, int]], found: list[Time]) -> list[Time]:
    """NER date spans that no grammar match covers, read by dateparser when they are absolute dates."""
    extra = []
    for s, e in entities:
        if any(t.span.start < e and s < t.span.end for t in found):
            continue
        parsed = dateparser_value(text[s:e], published)
        if parsed is None:
            continue
        value, precision = parsed
        # the publication date is the anchor only when dateparser had to supply the year
        anchor = None if re.search(r"\d{4}", text[s:e]) else f"published:{published.isoformat()}"
        extra.append(Time(Span(s, e, text[s:e]), value, precision, anchor, "NER date read by dateparser"))
    return extra


# ----------------------------------------------------------------------------
# whose day a time is: the page's, a statement's, or the event's

HEADER_WORDS = 25  # headline, outlet and stamp: "Syria strikes kill 70 Monitor Reuters Friday 6 Feb 2015"
_YEAR_IN = re.compile(r"\b(?:1[89]|20)\d{2}\b")


def page_stamp(text: str, time: Time, published: Optional[date]) -> bool:
    """The time is the page's publication stamp printed between the headline and the story
    ("Air strikes kill 70 in suburb Monitor Reuters Friday 6 Feb 2015 Government jets ..."):
    a day with its year, the publication day, in the header block (the first
    ``HEADER_WORDS`` words, before any full stop).

    Scraped pages glue headline, outlet, stamp and lead into one sentence, so the
    stamp reads as the lead's "on Friday": the event would be dated by the page, and a
    day a later sentence gives ("on Thursday") could not correct it.  A lead that states
    the publication day itself loses nothing: its day is the same.
    """
    if time.precision != "day" or not time.value or published is None or time.value[:10] != published.isoformat():
        return False
    before = text[: time.span.start]
    return _YEAR_IN.search(time.span.text) is not None and "." not in before and len(before.split()) <= HEADER_WORDS


_SAYING = "|".join(sorted(TIMES.reporting | {"says", "say", "tells", "reports", "announces", "confirmed", "confirms"}))
_STATEMENT_BEFORE = re.compile(
    rf"\b(?:{_SAYING})(?:\s+in\s+(?:a|its|his|her|their)\s+(?:\w+\s+)?statement)?"
    r"\s+(?:on\s+|late\s+|early\s+)?$", re.I)


def statement_day(text: str, time: Time) -> bool:
    """The time dates a statement, not what the statement reports: a day right after a reporting
    verb ("the monitor said Tuesday", "officials said on Friday", "the group said in a statement
    on Monday").  The event it tells happened then or before; a day the story gives the event
    itself (in another sentence) says which.  ("A source told the agency Friday" is left to the
    sentence: measured on the FA-KES dev gold, it cost a night strike its day.)"""
    return _STATEMENT_BEFORE.search(text, max(0, time.span.start - 60), time.span.start) is not None
