"""How records look in a terminal: tables, and article text with highlights."""

from __future__ import annotations

import json
import sys
from typing import Iterable

from rich.table import Table
from rich.text import Text

from ..records import Claim, Event, Extraction

ACT_STYLE = {"assert": "cyan", "deny": "red", "accuse": "magenta", "threaten": "bold red", "announce": "green"}


def jsonl(records: Iterable, exclude: set[str] | None = None) -> None:
    for r in records:
        data = r.to_dict()
        for key in exclude or ():
            data.pop(key, None)
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def claims_table(rows: list[Claim], title: str) -> Table:
    table = Table("speaker", "party", "act", "claim", "numbers", title=title, show_lines=False)
    for c in rows:
        speaker = c.speaker.name if c.speaker else "?"
        if c.speaker and c.speaker.role and c.speaker.role.lower() not in speaker.lower():
            speaker += f" ({c.speaker.role})"
        nums = ", ".join(_quantity(q) for q in c.quantities)
        quote = _short(c.span.text, 110)
        table.add_row(speaker, c.speaker.party if c.speaker else "unknown",
                      Text(c.act + (" (neg)" if c.negated else ""), style=ACT_STYLE.get(c.act, "")), quote, nums)
    return table


def events_table(rows: list[Event], title: str) -> Table:
    table = Table("date", "sub-type", "actor1", "actor2", "place", "deaths", "status", title=title)
    for e in rows:
        deaths = ""
        if e.fatalities is not None:
            f = e.fatalities
            deaths = str(f.best) if f.low == f.high else f"{f.low}-{f.high if f.high is not None else '?'} (best {f.best})"
        place = e.place.name if e.place else ""
        if e.place and e.place.country:
            place += f", {e.place.country}"
        table.add_row(e.date or "", e.sub_type, _party(e.actor1), _party(e.actor2), place, deaths, e.status)
    return table


def links_table(ex: Extraction) -> Table:
    names = {c.id: f"{c.speaker.name if c.speaker else '?'}: {_short(c.span.text, 50)}" for c in ex.claims}
    names.update({e.id: f"[{e.sub_type} {e.place.name if e.place else ''}]" for e in ex.events})
    table = Table("from", "link", "to", "why", title="Links")
    for link in ex.links:
        table.add_row(names.get(link.source, link.source), link.type, names.get(link.target, link.target), link.reason or "")
    return table


def article_text(ex: Extraction) -> Text:
    """The text with claim contents coloured by act, cues bold, speakers underlined, event triggers reversed."""
    a = ex.article
    header = f"{a.title or '(no title)'}\n{a.source or '?'} · {a.published or 'undated'} · {a.id}\n\n"
    text = Text(header, style="bold")
    body = Text(a.text)
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
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
