"""``counterclaim eval KIND PATH``: measure against gold data, one evaluator per kind.

Each evaluator returns ``{"dataset", "n_docs", "metrics"}``; ``--json`` prints
it as one JSON object (what CI and the README table read), otherwise a table.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Callable

import typer
from rich.console import Console
from rich.table import Table

from .app import app
from .errors import fail

eval_app = typer.Typer(help="Measure counterclaim against gold data (see the README's table).", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
out = Console()

PATH = typer.Argument(..., help="The gold data (a folder or file; see each command).")
JSON = typer.Option(False, "--json", help="One JSON object on stdout.")


def _run(fn: Callable[[Path], dict], path: Path, as_json: bool) -> None:
    if not path.exists():
        fail(f"{path}: no such file or folder")
    try:
        result = fn(path)
    except (FileNotFoundError, ValueError) as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    table = Table("metric", "precision", "recall", "f1", "support / value",
                  title=f"{result['dataset']} ({result['n_docs']} docs)")
    for name, value in _flatten(result["metrics"]):
        if isinstance(value, dict) and "f1" in value:
            table.add_row(name, f"{value['precision']:.3f}", f"{value['recall']:.3f}", f"{value['f1']:.3f}",
                          str(value.get("support", "")))
        else:
            table.add_row(name, "", "", "", f"{value:.3f}" if isinstance(value, float) else str(value))
    out.print(table)


def _flatten(metrics: dict, prefix: str = ""):
    for name, value in metrics.items():
        if isinstance(value, dict) and "f1" not in value:
            yield from _flatten(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value


# kind -> (module in counterclaim.eval, function, help). Evaluators are imported only
# when their command runs: some pull in heavy models.
EVALUATORS = {
    "gold": ("gold", "evaluate_gold", "Folders of article.txt + gold.json (the mission example's schema)."),
    "polnear": ("polnear", "evaluate_polnear",
                "PolNeAR (BRAT standoff): attribution source/cue/content, with textacy's direct quotes side by side."),
    "tempeval": ("tempeval", "evaluate_tempeval", "TimeML .tml files (TempEval-3): time expression spans and normalised values."),
    "geo": ("geo", "evaluate_geo", "Toponyms in GeoWebNews / TR-News / LGL XML: recognition P/R/F1, accuracy within 161 km."),
    "case2021": ("case2021", "evaluate_case2021", "CASE 2021 task 2 TSV (id, EventSnippet, SubType): ACLED sub-type classification."),
    "wikievents": ("wikievents", "evaluate_wikievents", "WikiEvents JSONL: attack/conflict/death/injury triggers and their arguments."),
    "rams": ("rams", "evaluate_rams", "RAMS JSONL windows: violent-event triggers and argument roles."),
    "muc4": ("muc4", "evaluate_muc4", "MUC-4 texts and key templates: incidents (type, location, deaths)."),
    "crossdoc": ("crossdoc", "evaluate_crossdoc",
                 "articles.jsonl + gold.json: same event across articles, duplicates, toll ranges, statuses."),
}


def _register(kind: str, module: str, function: str, help_text: str) -> None:
    def command(path: Path = PATH, json_: bool = JSON) -> None:
        evaluator = getattr(importlib.import_module(f"counterclaim.eval.{module}"), function)
        _run(evaluator, path, json_)

    command.__doc__ = help_text
    eval_app.command(kind)(command)


for _kind, (_module, _function, _help) in EVALUATORS.items():
    _register(_kind, _module, _function, _help)
