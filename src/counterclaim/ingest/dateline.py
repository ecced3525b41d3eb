"""The article's own date line: the date a story states for itself at its top.

News text carries its date in a few fixed places, and a copy of a page keeps
them: a wire dateline ("SAN JOSE, 12 NOV 89 (AGENCY) --"), a date or a
"published" / "last updated" / "this story is from" line opening the text
("Published August 3 2015 ...", "Tuesday 4 Apr 2017 ...",
"This story is from March 27, 2002"), or a stamp "1735 15.04.2017" in the
first lines.  When it disagrees with a feed's or a table's date, the story's
own line is the better witness (feeds and archives record when they saw or
re-filed an item), so ``build`` uses it and says so in
``Article.published_source``.

Only the top of the text is read (``HEAD_CHARS``), and a date needs its year:
a date in the lead sentence ("on March 3, militants ...") is an event's, not the
story's.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

HEAD_CHARS = 300

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?"
_YEAR = r"(?:(?:19|20)\d\d|\d\d)(?!\d)"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
# "12 NOV 89", "28 July 2015", "March 27, 2002", "Jul 012016" (a copy that lost a space)
_DATE = rf"(?P<date>{_DAY}\s+{_MON},?\s*{_YEAR}|{_MON}\s+{_DAY},?\s*{_YEAR})"
_PARTS = re.compile(r"(?P<a>[a-z]+|\d+)\W*(?P<b>[a-z]+|\d+?)(?:st|nd|rd|th)?\W*(?P<year>(?:19|20)\d\d|\d\d)$", re.IGNORECASE)
_LEAD = (r"(?:(?:this\s+story\s+is\s+from|date\s+of\s+publication|(?:last\s+)?updated|published|posted|dated)"
         r"(?:\s+(?:on|at))?\s*:?\s*)?")

# A date opening the text, after an optional "Published" / weekday.
_OPENING = re.compile(rf"\s*{_LEAD}{_WEEKDAY}{_DATE}(?![\w])", re.IGNORECASE)
# "CITY, 12 NOV 89 (AGENCY) --", "KABUL, March 3, 2026 -": a wire dateline.
_WIRE = re.compile(rf"\s*[A-Z][A-Za-z .'’-]{{1,40}},\s*{_WEEKDAY}{_DATE}\s*(?:\(|--|[—–-])", re.IGNORECASE)
# A line among the first that says what the date is ("Published: ...", "This story is from ...").
_LABELLED = re.compile(
    r"^[ \t]*(?:this\s+story\s+is\s+from|date\s+of\s+publication|(?:last\s+)?updated|published|posted)"
    rf"(?:\s+(?:on|at))?\s*:?\s*{_WEEKDAY}{_DATE}", re.IGNORECASE | re.MULTILINE)
# A time and a numeric date ("1735 15.04.2017"), as page headers print them.
_STAMP = re.compile(r"(?<!\d)(?:[01]\d|2[0-3])[0-5]\d\s+(?P<day>[0-3]?\d)\.(?P<mon>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b")


def own_date(text: str, near: Optional[date] = None) -> Optional[date]:
    """The date the article states for itself at its top, or None. ``near`` (another
    date of the article, if any) decides the century of a two-digit year."""
    head = text[:HEAD_CHARS]
    for m in (_OPENING.match(head), _WIRE.match(head), _LABELLED.search(head)):
        if m:
            parts = _PARTS.match(m.group("date"))
            assert parts is not None, "every date the patterns above take has these parts"
            a, b = parts.group("a"), parts.group("b")
            day, month = (a, b) if a.isdigit() else (b, a)
            return _day(day, _MONTHS[month.lower()[:3]], parts.group("year"), near)
    m = _STAMP.search(head)
    if m:
        return _day(m.group("day"), int(m.group("mon")), m.group("year"), near)
    return None


def _day(day: str, month: int, year: str, near: Optional[date]) -> Optional[date]:
    y = int(year)
    if len(year) == 2:
        century = (near.year // 100 * 100) if near else (1900 if y > date.today().year % 100 + 1 else 2000)
        y = century + y
        if near and abs(y - near.year) > 50:
            y += -100 if y > near.year else 100
    try:
        return date(y, month, int(day))
    except ValueError:
        return None
