"""Cross-article commands: ``link``, ``disputes``, ``event ID``, ``summary``.

Each builds its view in ``counterclaim.link.views`` (a dict) and prints it
through ``render`` (stored text as inert text, one line per record at 80
columns, ``--wide`` for everything), or as one JSON object with ``--json``.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..records import EVENT_STATUSES
from ..store.ids import short
from . import render
from .app import DB_OPTION, EMBEDDER_OPTION, app, use_embedder
from .errors import open_ledger

out = Console()
err = Console(stderr=True)
JSON = typer.Option(False, "--json", help="One JSON object instead of tables.")
WIDE = typer.Option(False, "--wide", "-w", help="Full ids and texts (wraps); default: one line per record.")


def _dump(data: dict) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str))


def _range(f: Optional[dict]) -> str:
    if not f:
        return ""
    if f["low"] == f["high"]:
        return str(f["low"])
    return f"{f['low']}-{f['high']}" + (f" (best {f['best']})" if f.get("best") is not None else "")


def _line(*parts, wide: bool) -> None:
    """One line of inert text (a part is a value or a (value, style) pair), cut at the
    terminal's width unless ``wide``."""
    text = Text()
    for part in parts:
        value, style = part if isinstance(part, tuple) else (part, "")
        value = "" if value is None else str(value)
        edges = (" " if value[:1].isspace() else "", " " if value[-1:].isspace() else "")
        text.append(edges[0] + render.safe(value) + edges[1], style=style)
    out.print(text, no_wrap=not wide, overflow="fold" if wide else "ellipsis", highlight=False)


def _id(record_id: str, wide: bool) -> str:
    return record_id if wide else short(record_id)


@app.command()
def link(db: Optional[str] = DB_OPTION,
         again: bool = typer.Option(False, "--again", help="Forget all cross-article links and link everything anew."),
         json_: bool = JSON, embedder: Optional[str] = EMBEDDER_OPTION) -> None:
    """Link stored articles across the ledger: copies, same events, same claims, statuses."""
    use_embedder(embedder)
    with open_ledger(db) as ledger:
        report = ledger.link(again=again)
        stats = ledger.store.link_stats()
    data = {"linked": len(report.linked), "copies": len(report.copies), "seconds": round(report.seconds, 1),
            "embedder": report.embedder, **stats}
    if json_:
        _dump(data)
        return
    err.print(render.cell(f"{data['linked']} article(s) linked in {data['seconds']} s "
                          f"({report.embedder or 'no embeddings'}); {data['event_clusters']} events, "
                          f"{data['multi_outlet']} with 2+ outlets, {data['disputed']} disputed; "
                          f"{data['copies']} copies"), highlight=False)


@app.command()
def disputes(db: Optional[str] = DB_OPTION, limit: int = typer.Option(20, help="At most this many events (0: all)."),
             json_: bool = JSON, wide: bool = WIDE) -> None:
    """Disputed events: each side's claims side by side, with numbers and sources.

    The same board as the web UI's (``api.board``): a side is every party
    that speaks about the event, the denial printed by another outlet too.
    """
    from ..api.board import board

    with open_ledger(db) as ledger:
        clusters = board(ledger.store, status="disputed", limit=limit or None)["clusters"]
    if json_:  # sides by party, as this command has always printed them
        items = [dict(c, sides={side["party"]: side["claims"] for side in c["sides"]}) for c in clusters]
        _dump({"disputed_events": items, "count": len(items)})
        return
    if not clusters:
        out.print("no disputed events (run `counterclaim link` after ingesting)")
    for item in clusters:
        out.print()
        _line((_id(item["id"], wide), "dim"), "  ",
              (f"{item['sub_type']} · {item['place'] or '?'} · {item['date'] or '?'}", "bold"),
              f" · deaths {_range(item['fatalities']) or '?'} · {len(item['outlets'] or [])} outlet(s)", wide=wide)
        if wide:
            _line("outlets: ", ", ".join(item["outlets"] or []), wide=True)
        _line(("disputed: ", "red"), item["status_reason"], wide=wide)
        if item["sides"]:
            out.print(sides_table(item["sides"], wide=wide))


def sides_table(sides: list[dict], *, wide: bool) -> Table:
    """One column per side, each claim in its side's column: one line each, or whole with ``wide``."""
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", expand=True)
    for side in sides:
        table.add_column(render.safe(side["party"]), ratio=1, no_wrap=not wide,
                         overflow="ellipsis" if not wide else "fold")
    depth = max(len(side["claims"]) for side in sides)
    for i in range(depth):
        table.add_row(*(_claim_cell(side["claims"][i], wide) if i < len(side["claims"]) else Text("")
                        for side in sides))
    return table


def _claim_cell(row: dict, wide: bool) -> Text:
    numbers = ", ".join(f"{n['low']} {n['what'] or ''}".strip() for n in row["numbers"])
    speaker = render.safe(row["speaker"] or "?")
    if not wide:
        return Text.assemble((speaker, "bold"), ": ", f"[{numbers}] " if numbers else "", render.safe(row["text"]))
    act = row["act"] + (" (negated)" if row["negated"] else "")
    return Text.assemble((speaker, "bold"), f" ({render.safe(act)}): ", render.safe(row["text"]),
                         f"\n  numbers: {numbers}" if numbers else "",
                         (f"\n  — {render.safe(row['outlet'])}, {row['published'] or '?'} · {row['short_id']}", "dim"))


@app.command()
def event(cluster_id: str = typer.Argument(..., help="Event cluster id, a unique prefix, or the short id shown."),
          db: Optional[str] = DB_OPTION, json_: bool = JSON, wide: bool = WIDE) -> None:
    """One merged event: all its reports, the fatality range with each figure's source, the status."""
    from ..link.views import event_view

    with open_ledger(db) as ledger:
        view = event_view(ledger.store, ledger.resolve_id(cluster_id, "event cluster"))
    assert view is not None, "resolve_id found the cluster"
    if json_:
        _dump(view)
        return
    _line((_id(view["id"], wide), "dim"), "  ",
          (f"{view['sub_type']} · {view['place'] or '?'} · {view['date'] or '?'} · {view['status']}", "bold"),
          wide=wide)
    _line(f"deaths: {_range(view['fatalities']) or 'no figure'}; ACLED figure {view['acled_fatalities']}",
          wide=wide)
    if view["fatalities"]:
        _line((view["fatalities"]["reason"] or "", "dim"), wide=wide)
    _line("status: ", view["status_reason"], wide=wide)
    if wide:
        reports = render.listing("report", "outlet", "published", "sub-type", "place", "deaths", "evidence",
                                 "why linked", title="Reports", wide=True)
    else:
        reports = render.listing("report", "outlet", "published", "deaths", "evidence", title="Reports", wide=False)
    cells: tuple[Any, ...]
    for r in view["reports"]:
        outlet = r["outlet"] + (" (copy)" if r["copy_of"] else "")
        deaths = "" if not r["fatalities"] else str(r["fatalities"]["low"])
        if wide:
            cells = (r["event_id"], outlet, r["published"] or "", r["sub_type"], r["place"] or "", deaths,
                     r["evidence"], r["reason"] or "")
        else:
            cells = (short(r["event_id"]), outlet, r["published"] or "", deaths, r["evidence"])
        reports.add_row(*map(render.cell, cells))
    out.print(render.keep_ids(reports))
    if view["figures"]:
        figures = render.listing("figure", "source", "outlet", "sentence", title="Tolls", wide=wide)
        for f in view["figures"]:
            figure = str(f["low"]) if f["low"] == f["high"] else f"{f['low']}-{f['high']}"
            figures.add_row(*map(render.cell, (figure, f["source"], f["outlet"], f["sentence"])))
        out.print(render.keep_ids(figures))


@app.command()
def summary(db: Optional[str] = DB_OPTION, examples: int = typer.Option(10, help="Examples to show."),
            json_: bool = JSON, wide: bool = WIDE) -> None:
    """How many merged events have 2+ outlets, how many are disputed, with examples.

    Two counts of status, named apart: merged events (``counterclaim event``,
    status across outlets) and event reports (what ``counterclaim events
    --status`` lists, one per article, reviews applied).
    """
    from ..link.views import summary_view

    with open_ledger(db) as ledger:
        view = summary_view(ledger.store, examples=examples)
        view["reports"] = ledger.store.event_statuses()
    if json_:
        _dump(view)
        return
    s = view["stats"]
    out.print(render.cell(
        f"{s['linked_articles']} articles linked ({s['copies']} copies). Merged events: {s['event_clusters']}, "
        f"{s['multi_outlet']} reported by 2+ outlets, {s['disputed']} disputed ({s['disputed_multi_outlet']} of "
        f"them with 2+ outlets), {s['corroborated']} corroborated. Merged claims: {s['claim_clusters']} "
        f"({s['multi_appearance_claims']} in 2+ articles, {s['disputed_claims']} disputed)."), highlight=False)
    reports = view["reports"]
    out.print(render.cell(
        f"Event reports (counterclaim events): {sum(reports.values())}; "
        + ", ".join(f"{reports.get(status, 0)} {status}" for status in EVENT_STATUSES) + "."), highlight=False)
    for title, rows in (("Merged events with 2+ outlets", view["examples_multi_outlet"]),
                        ("Disputed merged events with 2+ outlets", view["examples_disputed"])):
        if wide:
            table = render.listing("id", "date", "sub-type", "place", "deaths", "status", "outlets", title=title,
                                   wide=True)
        else:
            table = render.listing("id", "date", "status", "deaths", "sub-type @ place", title=title, wide=False)
        cells: tuple[Any, ...]
        for c in rows:
            if wide:
                cells = (c["id"], c["date"] or "", c["sub_type"], c["place"] or "", _range(c["fatalities"]),
                         c["status"], ", ".join(c["outlets"]))
            else:
                cells = (short(c["id"]), c["date"] or "", c["status"], _range(c["fatalities"]),
                         f"{c['sub_type']} @ {c['place'] or '?'} ({len(c['outlets'])} outlets)")
            table.add_row(*map(render.cell, cells))
        out.print(render.keep_ids(table))
