"""Reading the ledger: ``articles``, ``claims``, ``events``, ``show``, ``export``."""

from __future__ import annotations

import sys
from typing import Callable, Optional

import typer
from rich.console import Console

from ..records import Claim, Event
from . import render
from .app import DB_OPTION, app
from .errors import fail, open_ledger

out = Console()
err = Console(stderr=True)

SINCE = typer.Option(None, help="From this date (YYYY-MM-DD), inclusive.")
UNTIL = typer.Option(None, help="Up to this date (YYYY-MM-DD), inclusive.")
LIMIT = typer.Option(50, help="At most this many rows (0: all).")
JSON = typer.Option(False, "--json", help="One JSON object per line instead of a table.")
WIDE = typer.Option(False, "--wide", "-w", help="Full ids and every column (wraps); default: one line per record.")


@app.command()
def articles(db: Optional[str] = DB_OPTION, since: Optional[str] = SINCE, until: Optional[str] = UNTIL,
             source: Optional[str] = typer.Option(None, help="Only this outlet."),
             search: Optional[str] = typer.Option(None, help="Words in the title or text (full-text search)."),
             limit: int = LIMIT, json_: bool = JSON, wide: bool = WIDE) -> None:
    """List stored articles, newest first."""
    with open_ledger(db) as ledger:
        rows = ledger.articles(since=since, until=until, source=source, search=search, limit=limit or None)
        if json_:
            render.jsonl(rows, exclude={"text"})
            return
        total, exact = ledger.count("articles", since=since, until=until, source=source, search=search)
        out.print(render.articles_table(rows, _title(len(rows), total, exact, "article"), wide=wide))


@app.command()
def claims(db: Optional[str] = DB_OPTION,
           party: Optional[str] = typer.Option(None, help="Speaker's party code (PAK, AFG, independent...)."),
           speaker: Optional[str] = typer.Option(None, help="Speaker name contains this."),
           act: Optional[str] = typer.Option(None, help="assert, deny, accuse, threaten or announce."),
           place: Optional[str] = typer.Option(None, help="Claims of articles about this place."),
           since: Optional[str] = SINCE, until: Optional[str] = UNTIL,
           disputed: bool = typer.Option(False, "--disputed", help="Only claims that deny or are denied/contradicted."),
           search: Optional[str] = typer.Option(None, help="Words in the speaker or the claim (full-text search)."),
           limit: int = LIMIT, json_: bool = JSON, wide: bool = WIDE) -> None:
    """List attributed claims: who said what, for which side (* reviewed and corrected)."""
    filters = dict(party=party, speaker=speaker, act=act, place=place, since=since, until=until,
                   disputed=True if disputed else None, search=search)
    _listing(db, "claims", filters, limit, json_, wide, print_claims)


@app.command()
def events(db: Optional[str] = DB_OPTION,
           type_: Optional[str] = typer.Option(None, "--type", help="ACLED event type."),
           sub_type: Optional[str] = typer.Option(None, help="ACLED sub-event type."),
           party: Optional[str] = typer.Option(None, help="actor1 or actor2 party code."),
           place: Optional[str] = typer.Option(None, help="Place name (or its admin1/country)."),
           status: Optional[str] = typer.Option(None, help="reported, claimed, disputed, corroborated."),
           since: Optional[str] = SINCE, until: Optional[str] = UNTIL,
           limit: int = LIMIT, json_: bool = JSON, wide: bool = WIDE) -> None:
    """List events: what happened, where, when, with fatalities (* reviewed and corrected)."""
    filters = dict(type=type_, sub_type=sub_type, party=party, place=place, status=status,
                   since=since, until=until)
    _listing(db, "events", filters, limit, json_, wide, print_events)


def _listing(db: Optional[str], kind: str, filters: dict, limit: int, json_: bool, wide: bool,
             show: Callable[..., None]) -> None:
    """``claims`` and ``events`` alike: the query, then JSON lines or a table titled with the count."""
    with open_ledger(db) as ledger:
        rows = getattr(ledger, kind)(limit=limit or None, **filters)
        if json_:
            render.jsonl(rows)
        else:
            total, exact = ledger.count(kind, **filters)
            show(rows, _title(len(rows), total, exact, kind[:-1]), wide=wide, ledger=ledger)


WHY = typer.Option(False, "--why", help="Also the candidates left out, each with its reason (extracts the "
                                        "article again: the reasons are not stored).")


@app.command()
def show(article: str = typer.Argument(..., help="Article id (or a unique prefix)."),
         db: Optional[str] = DB_OPTION, json_: bool = JSON, wide: bool = WIDE, why: bool = WHY) -> None:
    """An article's text with its claims and events highlighted, then the records (reviews applied)."""
    with open_ledger(db) as ledger:
        extraction = ledger.extraction(article)
        if extraction is None:
            fail(f"article {article!r} is stored but was never extracted")
        dropped = _dropped(extraction) if why else []
        if json_:
            render.jsonl([extraction] + ([{"dropped": [d.to_dict() for d in dropped]}] if why else []))
            return
        out.print(render.article_text(extraction))
        aid = extraction.article.id
        print_events(ledger.events(article_id=aid), title="Events", wide=wide, ledger=ledger)
        print_claims(ledger.claims(article_id=aid), title="Claims", wide=wide, ledger=ledger)
        if extraction.links:
            out.print(render.links_table(extraction))
        if why:
            print_dropped(dropped)


def _dropped(extraction):
    """The candidates the rules left out of this article, with their reasons.

    They are not stored (a ledger keeps what happened); extraction is deterministic
    for one extractor version, so the stored article is extracted again.  When the
    stored records came from another version, the reasons may not match them, and
    the output says so."""
    from ..nlp.extract import EXTRACTOR_VERSION, extract

    again = extract(extraction.article)
    if extraction.extractor and extraction.extractor != EXTRACTOR_VERSION:
        err.print(render.cell(f"note: stored records are from {extraction.extractor}; reasons are "
                              f"{EXTRACTOR_VERSION}'s"), highlight=False)
    return again.dropped


def print_dropped(dropped) -> None:
    """One line per candidate left out: what started it, why it is no record, its sentence."""
    out.print(render.cell(f"Left out ({len(dropped)}):" if dropped else "Left out: nothing"), highlight=False)
    for d in dropped:
        what = d.trigger.text if d.trigger is not None else d.kind
        sentence = " ".join(d.span.text.split())
        out.print(render.cell(f"- {d.kind} '{what}': {d.reason}"), highlight=False)
        out.print(render.cell(f"    {sentence[:200]}"), highlight=False)


@app.command()
def export(db: Optional[str] = DB_OPTION,
           format_: str = typer.Option("jsonl", "--format", "-f", help="jsonl, csv or geojson."),
           kind: str = typer.Option("events", help="events or claims."),
           output: Optional[str] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
           since: Optional[str] = SINCE, until: Optional[str] = UNTIL,
           party: Optional[str] = typer.Option(None, help="Party code filter."),
           force: bool = typer.Option(False, "--force", help="Replace the output file if it exists."),
           raw: bool = typer.Option(False, "--raw", help="CSV: keep cells that start like a formula (=, +, -, @) "
                                                         "as they are.")) -> None:
    """Export events (ACLED-style CSV, GeoJSON, JSONL) or claims (CSV, JSONL)."""
    from ..api.export import FORMATS, KINDS, ExportRefused, export as run_export

    if format_ not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, got {format_!r}")
    if kind not in KINDS:
        fail(f"--kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "claims" and format_ == "geojson":
        fail("GeoJSON holds events (points on a map); export claims as csv or jsonl")
    with open_ledger(db) as ledger:
        try:
            result = run_export(ledger.store, format_, output or sys.stdout, kind=kind, force=force, raw=raw,
                                since=since, until=until, party=party)
        except ExportRefused as exc:
            fail(str(exc), code=1)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}; nothing was written", code=1)
    skipped = getattr(result, "skipped", 0)
    err.print(render.cell(f"{getattr(result, 'written', '?')} {kind} written"
                          + (f"; {skipped} without coordinates skipped" if skipped else "")), highlight=False)


def _title(shown: int, total: int, exact: bool, what: str) -> str:
    return f"{shown} of {total}{'' if exact else '+'} {what}(s)" if shown < total else f"{shown} {what}(s)"


def print_claims(rows: list[Claim], title: Optional[str] = None, *, wide: bool = False, ledger=None) -> None:
    reviews = ledger.store.review_states("claim", [c.id for c in rows]) if ledger else {}
    out.print(render.claims_table(rows, title or f"{len(rows)} claim(s)", wide=wide, reviews=reviews))


def print_events(rows: list[Event], title: Optional[str] = None, *, wide: bool = False, ledger=None) -> None:
    reviews = ledger.store.review_states("event", [e.id for e in rows]) if ledger else {}
    out.print(render.events_table(rows, title or f"{len(rows)} event(s)", wide=wide, reviews=reviews))
