"""How records look in a terminal: one path for everything a user or an article supplied.

Stored text is data, never instructions to the terminal (issue 13): every
value goes through ``safe`` into a ``rich.text.Text`` (which Rich never parses
as markup, so ``[/x]``, ``[link=...]`` or ``[blink]`` print as typed), with
control characters and terminal escape sequences (``ESC[2J``, OSC titles,
OSC 8 hyperlinks) replaced by visible stand-ins (``␛``).  Listings are one
line per record that fits 80 columns (ids as ``store.ids.short`` shows them,
accepted back by every command); ``wide`` gives the full tables.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, Iterable, Optional

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..records import Claim, Event, Extraction
from ..store.ids import short

ACT_STYLE = {"assert": "cyan", "deny": "red", "accuse": "magenta", "threaten": "bold red", "announce": "green"}
# A whole escape sequence (CSI, OSC up to its terminator, other ESC pairs), or one control character.
_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|[\x00-\x1f\x7f-\x9f]")


def _visible(match: re.Match) -> str:
    text = match.group(0)
    if text in ("\n", "\t"):
        return text
    return "".join("␛" if ch == "\x1b" else chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else "␡" if ch == "\x7f"
                   else "�" if 0x80 <= ord(ch) <= 0x9f else ch for ch in text)


def safe(value: Any, *, line: bool = True) -> str:
    """``value`` as printable text: escapes and control characters shown, not obeyed;
    with ``line``, on one line (newlines and tabs become spaces)."""
    text = "" if value is None else str(value)
    text = _ESCAPE.sub(_visible, text)
    return " ".join(text.split()) if line else text


def cell(value: Any, style: str = "") -> Text:
    """A table cell or message part: safe text that Rich will not read as markup."""
    return Text(safe(value), style=style)


def message(prefix: str, prefix_style: str, *parts: Any) -> Text:
    """A one-line message: a styled prefix, then user-supplied parts as inert text.

    Unlike a listing cell, a newline or tab inside a part (a file named with
    one) is shown (``␊``, ``␉``), not turned into a space, so the message still
    names exactly the input it is about."""
    shown = (safe(str(p).replace("\n", "\u240a").replace("\t", "\u2409")) for p in parts)
    return Text.assemble((prefix, prefix_style), " ", *shown)


def jsonl(records: Iterable, exclude: set[str] | None = None) -> None:
    """JSON lines: ``json.dumps`` escapes control characters, so these are safe as they are."""
    for r in records:
        data = r.to_dict() if hasattr(r, "to_dict") else r
        for key in exclude or ():
            data.pop(key, None)
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def listing(*columns: str, title: Optional[str], wide: bool) -> Table:
    """A listing: one line per row cut with an ellipsis; ``wide``: every column whole, wrapped."""
    table = Table(title=title, box=None, pad_edge=False, show_edge=False,
                  header_style="bold")
    for name in columns:
        last = name == columns[-1]
        table.add_column(name, no_wrap=not wide, overflow="ellipsis" if not wide else "fold",
                         ratio=1 if last and not wide else None, min_width=8 if last else None)
    return table


# A column before the last is kept whole up to this width (an outlet's name);
# the first, the id, always (a shortened id could not be typed back).
WHOLE = 18


def keep_ids(table: Table, width: Optional[int] = None) -> Table:
    """Only free text is cut or wrapped at the terminal's ``width``: the id is kept whole, and
    in one-line listings so are dates, statuses and numbers (``2017-10-…`` or ``corrobora…``
    tell nothing).  Widths are set here, not left to Rich, which drops whole columns rather
    than cut or wrap a line that is too long."""
    if not table.columns:
        return table
    width = width or Console().width
    natural = [max([cell_len(str(column.header))] + [cell_len(c.plain if isinstance(c, Text) else str(c))
                                                      for c in column._cells]) for column in table.columns]
    gaps = 2 * (len(table.columns) - 1)
    table.columns[0].min_width = natural[0]
    if table.columns[-1].no_wrap:  # one line per record: the last column takes what is left
        for column, widest in zip(table.columns[1:-1], natural[1:-1]):
            column.min_width = column.width = min(widest, WHOLE)
        used = natural[0] + sum(min(w, WHOLE) for w in natural[1:-1])
        last = table.columns[-1]
        last.width, last.ratio = max(8, width - used - gaps), None
    elif sum(natural) + gaps > width:  # --wide on a narrow terminal: short columns whole, long ones wrap
        room = max(4 * (len(natural) - 1), width - natural[0] - gaps)
        wraps = {i for i, w in enumerate(natural) if i and w > WHOLE}
        # the long columns keep at least 40% of the room: else the widest short ones wrap too
        for i in sorted((i for i in range(1, len(natural)) if i not in wraps), key=lambda i: -natural[i]):
            if wraps and room - sum(natural[j] for j in range(1, len(natural)) if j not in wraps) >= 0.4 * room:
                break
            wraps.add(i)
        share = room - sum(natural[j] for j in range(1, len(natural)) if j not in wraps)
        weight = sum(natural[i] for i in wraps)
        for i, column in enumerate(table.columns[1:], start=1):
            column.width = max(4, share * natural[i] // weight) if i in wraps else natural[i]
    return table


def articles_table(rows: list, title: str, *, wide: bool = False) -> Table:
    table = listing("id", "published", "source", "title", title=title, wide=wide)
    for a in rows:
        table.add_row(cell(a.id if wide else short(a.id)), cell(a.published or ""), cell(_short(a.source or "", 18)),
                      cell(display_title(a)))
    return keep_ids(table)


def display_title(article) -> str:
    """The title, or the start of the text when there is none: the same in ``articles`` and ``show``."""
    return (article.title or "").strip() or _short(article.text, 60) or "(no title)"


def claims_table(rows: list[Claim], title: str, *, wide: bool = False, reviews: Optional[dict] = None) -> Table:
    reviews = reviews or {}
    if wide:
        table = listing("id", "speaker", "party", "act", "claim", "numbers", title=title, wide=True)
    else:
        table = listing("id", "party", "act", "speaker: claim", title=title, wide=False)
    for c in rows:
        speaker = c.speaker.name if c.speaker else "?"
        if wide and c.speaker and c.speaker.role and c.speaker.role.lower() not in speaker.lower():
            speaker += f" ({c.speaker.role})"
        act = cell(c.act + (" (neg)" if c.negated else "") + _mark(reviews.get(c.id)), ACT_STYLE.get(c.act, ""))
        party = cell(c.speaker.party if c.speaker else "unknown")
        if wide:
            nums = ", ".join(_quantity(q) for q in c.quantities)
            table.add_row(cell(c.id), cell(speaker), party, act, cell(c.span.text), cell(nums))
        else:
            table.add_row(cell(short(c.id)), party, act, cell(f"{_short(speaker, 24)}: {c.span.text}"))
    return keep_ids(table)


def events_table(rows: list[Event], title: str, *, wide: bool = False, reviews: Optional[dict] = None) -> Table:
    reviews = reviews or {}
    if wide:
        table = listing("id", "date", "sub-type", "actor1", "actor2", "place", "deaths", "status", title=title, wide=True)
    else:
        table = listing("id", "date", "status", "deaths", "sub-type @ place", title=title, wide=False)
    for e in rows:
        place = e.place.name if e.place else ""
        if e.place and e.place.country:
            place += f", {e.place.country}"
        status = e.status + _mark(reviews.get(e.id))
        if wide:
            table.add_row(cell(e.id), cell(e.date or ""), cell(e.sub_type), cell(_party(e.actor1)),
                          cell(_party(e.actor2)), cell(place), cell(deaths(e.fatalities)), cell(status))
        else:
            table.add_row(cell(short(e.id)), cell(e.date or ""), cell(status), cell(deaths(e.fatalities)),
                          cell(f"{e.sub_type} @ {place or '?'}"))
    return keep_ids(table)


def deaths(f) -> str:
    if f is None or (f.low is None and f.high is None):
        return ""
    if f.low == f.high:
        return str(f.low)
    return f"{f.low if f.low is not None else '?'}-{f.high if f.high is not None else '?'}"


def links_table(ex: Extraction) -> Table:
    names = {c.id: f"{c.speaker.name if c.speaker else '?'}: {_short(c.span.text, 50)}" for c in ex.claims}
    names.update({e.id: f"({e.sub_type} {e.place.name if e.place else ''})" for e in ex.events})
    table = listing("from", "link", "to", "why", title="Links", wide=True)
    for link in ex.links:
        table.add_row(cell(names.get(link.source, link.source)), cell(link.type),
                      cell(names.get(link.target, link.target)), cell(link.reason or ""))
    return table


def article_text(ex: Extraction) -> Text:
    """The text with claim contents coloured by act, cues bold, speakers underlined, event triggers reversed."""
    a = ex.article
    text = Text(f"{safe(display_title(a))}\n{safe(a.source or '?')} · {a.published or 'undated'} · {a.id}\n\n",
                style="bold")
    # Replacing escapes one character for one keeps every span's offsets valid.
    body = Text(_ESCAPE_ONE.sub(lambda m: _visible(m)[0] if m.group(0) not in "\n\t" else m.group(0), a.text))
    for c in ex.claims:
        body.stylize(ACT_STYLE.get(c.act, ""), c.span.start, c.span.end)
        if c.cue:
            body.stylize("bold", c.cue.start, c.cue.end)
        if c.speaker and c.speaker.span:
            body.stylize("underline", c.speaker.span.start, c.speaker.span.end)
    for e in ex.events:
        if e.trigger:
            body.stylize("reverse", e.trigger.start, e.trigger.end)
    text.append(body)
    text.append("\n")
    return text


_ESCAPE_ONE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _mark(review: Optional[dict]) -> str:
    """A reviewed record says so: "*" corrected, "✓" confirmed (rejected ones are not listed)."""
    if not review:
        return ""
    return {"corrected": " *", "confirmed": " ✓", "rejected": " ✗"}.get(review["status"], "")


def _party(actor) -> str:
    if actor is None:
        return ""
    return actor.party if actor.party != "unknown" else actor.name


def _quantity(q) -> str:
    if q.low is not None and q.low == q.high:
        n = str(q.low)
    elif q.high is None:
        n = f">={q.low}"
    elif q.low is None:
        n = f"<={q.high}"
    else:
        n = f"{q.low}-{q.high}"
    return f"{n} {q.what or ''}".strip()


def _short(s: str, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"
