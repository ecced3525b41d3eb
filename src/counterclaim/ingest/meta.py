"""From extracted text and metadata to an ``Article``: one place for the rules every format shares.

Metadata precedence: what the input itself says (a header line, front
matter, a JSONL field, the HTML page, the feed entry) wins; the ``published``
and ``source`` options given to ``read_inputs`` (CLI ``--published``,
``--source``) only fill values the input leaves missing.  A batch of files
usually shares an outlet or a day, while one file that states its own date is
more specific than a batch-wide option; overriding it would silently move
events to the wrong day and break weekday resolution ("on Tuesday").

The article's own date line (``dateline.own_date``: "SAN JOSE, 12 NOV 89
(AGENCY) --", "Published August 3 2015", "This story is from ...") wins over all
of them when it disagrees, and ``Article.published_source`` says which was used.

Dates are kept as the calendar date written in the input (a datetime's own
offset is respected, not converted to UTC), because that is the date a
reporter's "on Friday" is relative to.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterator

from ..records import Article, InputProblem
from .dateline import own_date
from .language import guess_language


@dataclass(frozen=True)
class Defaults:
    """Options that fill missing metadata (never override it)."""

    published: date | None = None
    source: str | None = None


_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
)
_WEEKDAY_PREFIX = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE
)


def parse_date(value) -> date | None:
    """A date from ISO 8601, RFC 2822 (feeds) or common written forms; None if unrecognised."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    try:
        return _parse_date(s)
    except (ValueError, OverflowError, TypeError, IndexError):  # a bad date is an absent date
        return None


def _parse_date(s: str) -> date | None:
    try:
        return date.fromisoformat(s)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        pass
    bare = _WEEKDAY_PREFIX.sub("", s)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(bare, fmt).date()
        except ValueError:
            continue
    return None


def clean(value) -> str | None:
    """A metadata string with surrounding whitespace removed; blanks and non-strings are None."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = " ".join(storable(value).split())
    return value or None


def normalise_text(text: str) -> str:
    """Unix newlines, no surrounding whitespace: offsets index exactly this string."""
    return storable(text).replace("\r\n", "\n").replace("\r", "\n").strip()


def storable(text: str) -> str:
    """Text every backend can store: NUL removed, lone surrogates replaced with U+FFFD.

    PostgreSQL refuses NUL in text and no backend can encode a lone surrogate
    (``"\\ud800"`` in a JSON line) as UTF-8; both are removed here, before any
    offset into the text exists.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def primary_language(tag) -> str | None:
    """``"en-US"`` -> ``"en"``: the pipeline cares about the language, not the region."""
    tag = clean(tag)
    if not tag:
        return None
    return re.split(r"[-_]", tag)[0].lower() or None


def build(
    text: str,
    origin: str,
    defaults: Defaults,
    *,
    title=None,
    url=None,
    source=None,
    published=None,
    language=None,
) -> Iterator[Article | InputProblem]:
    """The article, preceded by non-fatal notes about metadata that had to be dropped."""
    text = normalise_text(text)
    if not text:
        yield InputProblem(origin, "empty: no article text")
        return
    day = parse_date(published)
    if published not in (None, "") and day is None:
        yield InputProblem(origin, f"unrecognised date {str(published)[:60]!r}; ignored", fatal=False)
    day, day_source = published_day(text, day, defaults.published)
    yield Article.create(
        text,
        title=clean(title),
        url=clean(url),
        source=clean(source) or defaults.source,
        published=day,
        published_source=day_source,
        language=primary_language(language) or guess_language(text),
        origin=origin,
    )


def published_day(text: str, stated: date | None, default: date | None) -> tuple[date | None, str | None]:
    """The article's day and where it comes from: its own date line ("dateline") wins over
    the input's metadata ("metadata"), which wins over a batch-wide option ("option")."""
    own = own_date(text, stated or default)
    if own is not None:
        return own, "dateline"
    if stated is not None:
        return stated, "metadata"
    return (default, "option") if default is not None else (None, None)
