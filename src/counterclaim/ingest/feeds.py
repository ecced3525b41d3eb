"""RSS and Atom feeds: each entry is one article, named ``file#N`` (N from 1).

Feeds in the wild are often not well-formed XML (truncated downloads, stray
ampersands).  feedparser recovers what it can and flags the rest as "bozo";
the recovered entries are still read, and the damage is reported once for
the file, so one bad byte does not cost a whole day's feed.

The feed's channel title is the entry's source.  Dates are taken from the
entry's own string so the publisher's local calendar date survives
(feedparser's parsed form is converted to UTC, which can move an article
published after midnight local time to the day before).
"""

from __future__ import annotations

import time
from datetime import date
from typing import Iterator

from ..records import Article, InputProblem, content_id
from .html import html_to_text
from .meta import Defaults, build, parse_date

FEED_MARKERS = ("<rss", "<feed", "<rdf:rdf")


def read_feed(data: bytes, origin: str, defaults: Defaults) -> Iterator[Article | InputProblem]:
    for _, item in read_feed_entries(data, origin, defaults):
        yield item


def read_feed_entries(data: bytes, origin: str, defaults: Defaults) -> Iterator[tuple[str | None, Article | InputProblem]]:
    """``read_feed`` with each item's entry key (``entry_key``); None for problems of the whole feed."""
    import feedparser

    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - a parser crash means "cannot read this feed"
        yield None, InputProblem(origin, f"not a readable RSS/Atom feed ({type(exc).__name__}: {exc})")
        return
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if problem is not None:
            yield None, InputProblem(origin, f"malformed feed, no entries could be read ({_describe(problem)})")
        elif parsed.get("version"):
            yield None, InputProblem(origin, "empty feed: no entries")
        else:
            yield None, InputProblem(origin, "not an RSS/Atom feed")
        return
    if problem is not None:
        yield None, InputProblem(
            origin,
            f"malformed feed ({_describe(problem)}); read the {len(parsed.entries)} "
            f"entr{'y' if len(parsed.entries) == 1 else 'ies'} that could be parsed",
            fatal=False,
        )
    channel = parsed.get("feed", {})
    for n, entry in enumerate(parsed.entries, start=1):
        key = entry_key(entry)
        for item in _entry(entry, f"{origin}#{n}", channel, defaults):
            yield key, item


def entry_key(entry) -> str:
    """What names an entry across polls: its id (RSS guid, Atom id), else its link, else its title
    and text (a feed that gives neither id nor link still does not repeat itself)."""
    for field in ("id", "link"):
        value = (entry.get(field) or "").strip()
        if value:
            return f"{field}:{value}"
    return "content:" + content_id(entry.get("title") or "", _entry_text(entry))


def _entry(entry, origin: str, channel, defaults: Defaults) -> Iterator[Article | InputProblem]:
    text = _entry_text(entry)
    if not text:
        yield InputProblem(origin, "empty: feed entry has no text (no content or summary)")
        return
    raw_date = entry.get("published") or entry.get("updated") or entry.get("created")
    published = parse_date(raw_date) or _parsed_date(entry) or raw_date
    yield from build(
        text,
        origin,
        defaults,
        title=entry.get("title"),
        url=entry.get("link"),
        source=channel.get("title"),
        published=published,
    )


def _entry_text(entry) -> str:
    """The fullest body the entry offers: content (Atom, content:encoded) over summary."""
    candidates = [c for c in entry.get("content", []) if c.get("value")]
    if entry.get("summary"):
        candidates.append(entry.get("summary_detail") or {"value": entry["summary"], "type": "text/html"})
    best = ""
    for c in candidates:
        value = c.get("value", "")
        text = html_to_text(value) if "html" in c.get("type", "text/html") else value.strip()
        if len(text) > len(best):
            best = text
    return best


def _parsed_date(entry) -> date | None:
    """feedparser's own reading of the date; None when it is no calendar date.

    feedparser turns ``0000-00-00`` into year -1: a bad date in a feed is an
    absent date (``build`` then reports the string as unrecognised), never a
    reason to lose the entry.
    """
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, OverflowError):
                continue
    return None


def _describe(exc: BaseException) -> str:
    line = getattr(exc, "getLineNumber", None)
    where = f" at line {line()}" if callable(line) else ""
    return f"{type(exc).__name__}{where}: {exc}"
