"""CSV and TSV files of articles: one row an article, columns found by their header.

Researchers' corpora and scrapers' exports are mostly spreadsheets (FA-KES,
GDELT article lists, a newsroom's CMS export), each with its own column
names.  The header decides, case- and punctuation-insensitively:

- text: ``text``, ``content``, ``article_content``, ``body``, ``article``,
  ``story``, ``full_text`` (required);
- title: ``title``, ``article_title``, ``headline``;
- published: ``published``, ``date``, ``pubdate``, ``publication_date``,
  ``published_at``;
- source: ``source``, ``outlet``, ``publisher``, ``media``;
- url: ``url``, ``link``; language: ``language``, ``lang``.

Other columns are ignored.  A row is named ``file.csv:LINE`` by the line it
starts on (a quoted article spans many lines); a bad row (one holding a NUL
byte, say) is reported and reading goes on.  Lines end at ``\n`` and ``\r``
only, as in the CSV standard: a line separator character inside a cell
(U+2028, a form feed) is text.  The file is limited as a whole, like a JSON
list.

Dates with slashes are ambiguous (3/4/2017): the file decides once for all
its rows.  A first field over 12 anywhere makes it day/month, a second field
over 12 month/day; with no such row it is month/day (the US convention most
exports use), and a warning says the order was assumed.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from datetime import date
from typing import Iterator, Optional

from ..records import Article, InputProblem
from .decode import NUL_REASON
from .meta import Defaults, build

COLUMNS = {
    "text": ("text", "content", "articlecontent", "body", "article", "story", "fulltext", "articletext"),
    "title": ("title", "articletitle", "headline"),
    "published": ("published", "date", "pubdate", "publicationdate", "publishedat", "datepublished"),
    "source": ("source", "outlet", "publisher", "media", "sourcename"),
    "url": ("url", "link", "articleurl"),
    "language": ("language", "lang"),
}
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # an article is one field; the file size is limited elsewhere


def read_table(text: str, origin: str, defaults: Defaults, delimiter: str = ",") -> Iterator[Article | InputProblem]:
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(rows)
    except StopIteration:
        yield InputProblem(origin, "empty: no header row")
        return
    except csv.Error as exc:
        yield InputProblem(f"{origin}:1", f"not a readable {'TSV' if delimiter == chr(9) else 'CSV'} header ({exc})")
        return
    where_is = _columns(header)
    if "text" not in where_is:
        names = ", ".join(repr(h) for h in header[:12]) or "none"
        yield InputProblem(origin, f"no text column (looked for {', '.join(COLUMNS['text'][:4])}, ...); "
                                   f"the header has {names}")
        return
    records: list[tuple[int, list[str]]] = []
    line = rows.line_num + 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            yield InputProblem(f"{origin}:{line}", f"malformed row ({exc}); reading stopped here")
            break
        if any(cell.strip() for cell in row):
            records.append((line, row))
        line = rows.line_num + 1
    if not records:
        yield InputProblem(origin, "empty: a header and no rows")
        return
    day_first, assumed = _slash_order([_cell(r, where_is.get("published")) for _, r in records])
    if assumed:
        yield InputProblem(origin, "dates like 3/4/2017 read as month/day (no row tells the order)", fatal=False)
    for line, row in records:
        where = f"{origin}:{line}"
        if any("\x00" in cell for cell in row):
            yield InputProblem(where, f"{NUL_REASON}; row skipped")
            continue
        body = _cell(row, where_is["text"])
        if not body or not body.strip():
            yield InputProblem(where, "no text in the text column; skipped")
            continue
        meta = {k: v for k in ("title", "source", "url", "language") if (v := _cell(row, where_is.get(k)))}
        published = _published(_cell(row, where_is.get("published")), day_first)
        yield from build(body, where, defaults, published=published, **meta)


def _columns(header: list[str]) -> dict[str, int]:
    keys = [re.sub(r"[^a-z]", "", h.lstrip("\ufeff").lower()) for h in header]
    found: dict[str, int] = {}
    for field, names in COLUMNS.items():
        for name in names:  # the first name in the list wins over later ones
            if name in keys:
                found[field] = keys.index(name)
                break
    return found


def _cell(row: list[str], index: Optional[int]) -> Optional[str]:
    if index is None or index >= len(row):
        return None
    return row[index].strip() or None


def _slash_order(values: list[Optional[str]]) -> tuple[bool, bool]:
    """(day first?, assumed?) for the file's slashed dates."""
    firsts, seconds, any_slashed = 0, 0, False
    for v in values:
        m = _SLASHED.match(v or "")
        if not m:
            continue
        any_slashed = True
        firsts += int(m.group(1)) > 12
        seconds += int(m.group(2)) > 12
    if firsts and not seconds:
        return True, False
    if seconds and not firsts:
        return False, False
    return False, any_slashed and not (firsts or seconds)


def _published(value: Optional[str], day_first: bool) -> Optional[str]:
    m = _SLASHED.match(value or "")
    if not m:
        return value
    a, b, year = (int(g) for g in m.groups())
    day, month = (a, b) if day_first else (b, a)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return value  # build() reports it as unparseable
