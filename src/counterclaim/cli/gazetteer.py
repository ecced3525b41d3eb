"""``counterclaim gazetteer``: the offline gazetteer, and importing a user's GeoNames dump."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from .app import app
from .errors import fail

gaz_app = typer.Typer(help="The offline gazetteer (GeoNames cities, provinces, countries).", no_args_is_help=True)
app.add_typer(gaz_app, name="gazetteer")
err = Console(stderr=True)


@gaz_app.command("import")
def import_dump(
    path: Path = typer.Argument(..., help="A GeoNames dump: allCountries.txt or XX.txt (tab-separated)."),
    feature_class: Optional[List[str]] = typer.Option(None, "--feature-class", "-c",
                                                      help="Keep only these GeoNames feature classes (P, A, S, ...)."),
    min_population: int = typer.Option(0, help="Skip places with fewer inhabitants."),
) -> None:
    """Add villages, border crossings and sites from your own GeoNames dump; lookups use them from then on."""
    from ..nlp.gazetteer import Gazetteer, default_user_gazetteer, import_geonames

    if not path.is_file():
        fail(f"{path}: no such file")
    with Progress(TextColumn("importing {task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=err) as progress:
        task = progress.add_task(path.name, total=path.stat().st_size)

        def advance(rows: int, done: int, total: int) -> None:
            progress.update(task, completed=done)

        try:
            counts = import_geonames(path, progress=advance, feature_classes=feature_class, min_population=min_population)
        except (ValueError, UnicodeDecodeError) as exc:
            fail(f"{path}: not a GeoNames dump ({exc})")
    Gazetteer.default().clear_cache()
    err.print(f"{counts.get('imported', 0)} places imported into {default_user_gazetteer()} "
              f"({counts.get('skipped', 0)} skipped of {counts.get('read', 0)} rows)", highlight=False)


@gaz_app.command("lookup")
def lookup(name: str = typer.Argument(..., help="A place name, any case or accents.")) -> None:
    """The gazetteer entries a name can mean, best first."""
    from ..nlp.gazetteer import Gazetteer

    entries = Gazetteer.default().lookup(name)
    if not entries:
        fail(f"{name!r}: not in the gazetteer", code=1)
    for e in entries[:10]:
        print(f"{e.id}\t{e.name}\t{e.kind}\t{e.country or ''}\t{e.admin1 or ''}\t{e.lat},{e.lon}\tpop {e.population}")
