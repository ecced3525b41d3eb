"""What the cross-article linker knows about one event report: the event and where it was published.

An ``Event`` record is one article's account of something that happened.
Across articles the linker needs a little more around it: the outlet (for
independence), the publication day, whether the article is a copy of an
earlier one, and a place and day range to compare.  ``Report`` bundles them;
it is built from records only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Optional

from ..records import LEAD_CHARS, Claim, Event, Place, timex_range
from .outlets import Outlet

FUTURE_DAYS = 1
# The days a TIMEX value covers: one parser for the linker and the store.
day_range = timex_range


@dataclass
class Report:
    """One article's event, with the article facts cross-article linking needs."""

    event: Event
    outlet: Outlet
    published: Optional[date] = None
    copy_of: Optional[str] = None  # the article this one republishes (dedup), if any
    claims: list[Claim] = field(default_factory=list)  # the claims reporting it
    article_place: Optional[Place] = None  # the article's main place, for events without one
    vector: Any = None  # the evidence sentence's embedding (numpy), when the embedder ran
    parts: frozenset[str] = frozenset()  # ids of its article's events whose tolls add up to this one's

    @property
    def id(self) -> str:
        return self.event.id

    @property
    def article_id(self) -> str:
        return self.event.article_id

    @property
    def evidence_id(self) -> str:
        """Copies of one story share this: they are one piece of evidence."""
        return self.copy_of or self.article_id

    @property
    def place(self) -> Optional[Place]:
        """The event's own place; the article's main place when the event names none, or only the
        country that place is in (``linker.main_place`` says why)."""
        own, main = self.event.place, self.article_place
        if own is None:
            return main
        coarse = (own.precision or own.kind) == "country"
        if coarse and main is not None and (main.precision or main.kind) != "country" and main.country == own.country:
            return main
        return own

    @property
    def place_inferred(self) -> bool:
        """Whether ``place`` is the article's main place rather than one named for this event."""
        return self.place is not None and self.place is not self.event.place

    @functools.cached_property
    def days(self) -> Optional[tuple[date, date]]:
        """The days the event may have happened on; an undated event: its article's day.

        A report tells what has happened, so a date after its publication
        (beyond ``FUTURE_DAYS``, a dateline's time zone) is a misread number
        ("Get short URL 2033" read as a year), not the event's day: such an
        event is dated by its article, like an undated one.
        """
        found = day_range(self.event.date)
        if self.published is not None and (
                found is None or found[0] > self.published + timedelta(days=FUTURE_DAYS)):
            return self.published, self.published
        return found


def reporting(reports: list[Report]) -> list[Report]:
    """The reports of articles that tell the event in their lead; all, if none does.

    An article whose lead tells an event reports it (its later sentences
    about it too: a second source, an updated toll); an article that only
    names it further down mentions it as background.  Mentions stay members
    (they are traceable) but do not count as reports for the toll, the
    outlets or the status: "Qamishli was bombed last week" in a story about
    Aleppo is not a second source for the Qamishli bombing.
    """
    leading = reporting_articles(r.event for r in reports)
    return [r for r in reports if r.article_id in leading]


def reporting_articles(events: Iterable[Event]) -> set[str]:
    """The articles among these events' that report the event (see ``reporting``)."""
    events = list(events)
    return {e.article_id for e in events if told_in_lead(e)} or {e.article_id for e in events}


def told_in_lead(event: Event) -> bool:
    """Whether the article tells the event in its lead (``LEAD_CHARS``): its evidence sentence or
    one of its merged mentions.  Extraction keeps as evidence the sentence that gives the toll
    ("The monitor said the rocket fire killed 10", the sixth sentence) and the headline's "after
    rebel rocket attack" as a mention: the article leads with the event all the same."""
    return event.span.start < LEAD_CHARS or any(m.start < LEAD_CHARS for m in event.mentions)
