"""Cross-article commands: ``link``, ``disputes``, ``event ID``, ``summary``.

Each builds its view in ``counterclaim.link.views`` (a dict) and prints it as
tables, or as one JSON object with ``--json``.
"""

from __future__ import annotations

import json
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from .app import DB_OPTION, app
from .errors import fail, open_ledger

out = Console()
err = Console(stderr=True)
JSON = typer.Option(False, "--json", help="One JSON object instead of tables.")


def _dump(data: dict) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str))


def _range(f: Optional[dict]) -> str:
    if not f:
        return ""
    if f["low"] == f["high"]:
        return str(f["low"])
    return f"{f['low']}-{f['high']} (best {f['best']})"


@app.command()
def link(db: Optional[str] = DB_OPTION,
         again: bool = typer.Option(False, "--again", help="Forget all cross-article links and link everything anew."),
         json_: bool = JSON) -> None:
    """Link stored articles across the ledger: copies, same events, same claims, statuses."""
    with open_ledger(db) as ledger:
        report = ledger.link(again=again)
        stats = ledger.store.link_stats()
    data = {"linked": len(report.linked), "copies": len(report.copies), "seconds": round(report.seconds, 1),
            "embedder": report.embedder, **stats}
    if json_:
        _dump(data)
        return
    err.print(f"{data['linked']} article(s) linked in {data['seconds']} s ({report.embedder or 'no embeddings'}); "
              f"{data['event_clusters']} events, {data['multi_outlet']} with 2+ outlets, "
              f"{data['disputed']} disputed; {data['copies']} copies", highlight=False)


@app.command()
def disputes(db: Optional[str] = DB_OPTION, limit: int = typer.Option(20, help="At most this many events (0: all)."),
             json_: bool = JSON) -> None:
    """Disputed events: each side's claims side by side, with numbers and sources."""
    from ..link.views import disputes_view

    with open_ledger(db) as ledger:
        view = disputes_view(ledger.store, limit=limit or None)
    if json_:
        _dump(view)
        return
    if not view["disputed_events"]:
        out.print("no disputed events (run `counterclaim link` after ingesting)")
    for item in view["disputed_events"]:
        out.print(f"\n[bold]{item['sub_type']}[/] · {item['place'] or '?'} · {item['date'] or '?'} · "
                  f"deaths {_range(item['fatalities']) or '?'} · {', '.join(item['outlets'])}  [dim]{item['id']}[/]")
        out.print(f"[red]disputed[/]: {item['status_reason']}", highlight=False)
        sides = item["sides"]
        if sides:
            table = Table(*sides.keys(), show_lines=True)
            depth = max(len(v) for v in sides.values())
            for i in range(depth):
                table.add_row(*[_claim_cell(v[i]) if i < len(v) else "" for v in sides.values()])
            out.print(table)


def _claim_cell(row: dict) -> str:
    nums = ", ".join(f"{n['low']} {n['what'] or ''}".strip() for n in row["numbers"])
    text = " ".join(row["text"].split())
    text = text if len(text) <= 160 else text[:159] + "…"
    return f"{row['speaker'] or '?'} [{row['act']}]: {text}" + (f"\n numbers: {nums}" if nums else "") + \
        f"\n — {row['outlet']}, {row['published'] or '?'}"


@app.command()
def event(cluster_id: str = typer.Argument(..., help="Event cluster id (or a unique prefix)."),
          db: Optional[str] = DB_OPTION, json_: bool = JSON) -> None:
    """One merged event: all its reports, the fatality range with each figure's source, the status."""
    from ..link.views import event_view

    with open_ledger(db) as ledger:
        view = event_view(ledger.store, cluster_id)
    if view is None:
        fail(f"no event cluster with id {cluster_id!r} (see `counterclaim summary`)")
    if json_:
        _dump(view)
        return
    out.print(f"[bold]{view['sub_type']}[/] · {view['place'] or '?'} · {view['date'] or '?'} · {view['status']}")
    out.print(f"deaths: {_range(view['fatalities']) or 'no figure'}; ACLED figure {view['acled_fatalities']}")
    if view["fatalities"]:
        out.print(f"[dim]{view['fatalities']['reason']}[/]", highlight=False)
    out.print(f"status: {view['status_reason']}", highlight=False)
    table = Table("outlet", "published", "sub-type", "place", "deaths", "evidence", "why linked", title="Reports")
    for r in view["reports"]:
        deaths = "" if not r["fatalities"] else f"{r['fatalities']['low']}"
        table.add_row(r["outlet"] + (" (copy)" if r["copy_of"] else ""), r["published"] or "", r["sub_type"],
                      r["place"] or "", deaths, " ".join(r["evidence"].split())[:120], r["reason"] or "")
    out.print(table)
    if view["figures"]:
        figures = Table("figure", "source", "outlet", "sentence", title="Tolls")
        for f in view["figures"]:
            figures.add_row(str(f["low"]) if f["low"] == f["high"] else f"{f['low']}-{f['high']}", f["source"],
                            f["outlet"], " ".join(f["sentence"].split())[:120])
        out.print(figures)


@app.command()
def summary(db: Optional[str] = DB_OPTION, examples: int = typer.Option(10, help="Examples to show."),
            json_: bool = JSON) -> None:
    """How many merged events have 2+ outlets, how many are disputed, with examples."""
    from ..link.views import summary_view

    with open_ledger(db) as ledger:
        view = summary_view(ledger.store, examples=examples)
    if json_:
        _dump(view)
        return
    s = view["stats"]
    out.print(f"{s['linked_articles']} articles linked ({s['copies']} copies); {s['event_clusters']} events, "
              f"[bold]{s['multi_outlet']}[/] reported by 2+ outlets, [bold]{s['disputed']}[/] disputed "
              f"({s['disputed_multi_outlet']} of them with 2+ outlets), {s['corroborated']} corroborated; "
              f"{s['claim_clusters']} claims ({s['multi_appearance_claims']} in 2+ articles, "
              f"{s['disputed_claims']} disputed)", highlight=False)
    for title, rows in (("Events with 2+ outlets", view["examples_multi_outlet"]),
                        ("Disputed events with 2+ outlets", view["examples_disputed"])):
        table = Table("id", "date", "sub-type", "place", "deaths", "status", "outlets", title=title)
        for c in rows:
            table.add_row(c["id"][:28], c["date"] or "", c["sub_type"], c["place"] or "", _range(c["fatalities"]),
                          c["status"], ", ".join(c["outlets"]))
        out.print(table)
