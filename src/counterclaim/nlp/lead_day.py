"""A lead's day, told in the sentence after it.

Wire stories give the toll in the lead and the details in the next sentence:
"Militants have killed 33 men in the east, activists say.  The monitor says the
men were shot near the border town on Wednesday."  The lead states no day of its
own (its event falls back to the publication day, or to the day a statement was
made), and the second sentence tells no event of its own (no trigger word, or only
the lead's kind of event without another toll): it tells the lead's event again,
and its day is the lead's day.  Without it, the
lead of a Thursday paper is dated Thursday, and a report of the same killing
dated Wednesday by another outlet looks like another day's event.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

from spacy.tokens import Doc

from ..data.lexicon import word_sets
from ..records import LEAD_CHARS, Event, Place, Span, Time
from .pipeline import text_of
from .times import future_cue, statement_day

# The next sentence's day lies at most this many days before publication; ``events`` gives a day
# told earlier in the story the same reach (``events.TOLD_DAY_WINDOW``): a week covers "on Friday"
# in Thursday's paper.
DAY_WINDOW = 7
FALLBACK_SOURCES = ("published", "said")  # ``Event.date_source`` values a day the story states overrides
TIMES = word_sets("times.tsv")
_PERIOD_BEFORE = re.compile(r"\b(?:since|until|till|from|by)\s+(?:late\s+|early\s+)?$", re.I)


def day_told_next(doc: Doc, events: list[Event], trigger_sentences: set[int], times: list[Time],
                  places: list[Place], published: Optional[date]) -> None:
    """Give the article's first event sentence the day of the sentence after it, when that
    sentence holds no event trigger and states one recent day (module docstring); and its
    town, when it names one and the lead's own sentence names none.

    ``trigger_sentences``: character offsets of the sentences holding an event trigger; such a
    sentence qualifies only when its events tell the lead's again (``_tells_again``).
    Only events dated by a fallback (``FALLBACK_SOURCES``) change; the day must be a
    single calendar day up to ``DAY_WINDOW`` days before publication, not a statement's
    ("the group said on Monday"), not the start or end of a period ("since Monday") and
    not ahead ("talks will resume on Monday").
    """
    if published is None or not events:
        return
    first = min(e.span.start for e in events)
    if first >= LEAD_CHARS:
        return
    lead = [e for e in events if e.span.start == first and e.date_source in FALLBACK_SOURCES]
    if not lead:
        return
    end = lead[0].span.end
    following = next((s for s in doc.sents if s.start_char >= end), None)
    if following is None or (following.start_char in trigger_sentences
                              and not _tells_again(lead[0], [e for e in events if e.span == _span(following)])):
        return
    if TIMES.other_event_words & {w.lower() for w in re.findall(r"[A-Za-z]+", following.text)}:
        return  # "Soldiers also shelled a village on Wednesday": another event's day
    text = text_of(doc)
    inside = [t for t in times if following.start_char <= t.span.start < following.end_char and t.value]
    days = {t.value[:10] for t in inside if t.precision == "day" and t.value}
    if len(days) != 1 or any(t.precision != "day" for t in inside if t.precision not in ("duration", "ref")):
        return
    time = next(t for t in inside if t.precision == "day")
    if statement_day(text, time) or _PERIOD_BEFORE.search(text, max(0, time.span.start - 20), time.span.start) \
            or future_cue(text, time.span.start, following.start_char):
        return
    try:
        day = date.fromisoformat((time.value or "")[:10])
    except ValueError:
        return
    if not 0 < (published - day).days <= DAY_WINDOW:
        return
    town = _town_told_next(lead[0], following, places)
    for event in lead:
        event.date, event.date_precision, event.date_source = day.isoformat(), "day", "context"
        event.reason = (f"{event.reason}; date: '{time.span.text}' in the next sentence, which tells the event"
                        " again (no event of its own)")
        if town is not None:
            event.place = town
            event.reason = f"{event.reason}; place: '{town.span.text}', the town that sentence names"


def _span(sent) -> Span:
    return Span(sent.start_char, sent.end_char, sent.text)


def _tells_again(lead: Event, own: list[Event]) -> bool:
    """The next sentence's events tell the lead's event again: each of the lead's kind and with
    no toll other than the lead's ("Activists
    say gunmen killed 21 workers. The men were shot near the town on Wednesday.")."""
    if not own:
        return False  # a trigger left out (a threat, a denial, a period): not the lead's details
    toll = lead.fatalities.low if lead.fatalities is not None else None
    return all(e.sub_type == lead.sub_type and (e.fatalities is None or e.fatalities.low in (None, toll)) for e in own)


def _town_told_next(lead: Event, following, places: list[Place]) -> Optional[Place]:
    """The one town the next sentence names, when the lead's own sentence names none ("killed 33
    men in eastern Syria. ... shot near the town of X on Wednesday"): the event's place, finer than
    the country, and surer than a town named further down for another reason."""
    if any(lead.span.start <= p.span.start < lead.span.end and _town(p) for p in places):
        return None
    towns = {p.name: p for p in places if following.start_char <= p.span.start < following.end_char and _town(p)}
    return next(iter(towns.values())) if len(towns) == 1 else None


def _town(place: Place) -> bool:
    return place.lat is not None and place.kind not in (None, "country", "province", "region", "admin1")
