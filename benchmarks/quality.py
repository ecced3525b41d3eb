"""Run the evaluations listed in quality-floors.json and compare them with their floors.

    python benchmarks/quality.py                 # table + exit 1 if any figure is below its floor
    python benchmarks/quality.py --update-readme # also rewrite the README's figures table
    python benchmarks/quality.py --raise-floors  # raise floors by the stated rule (never lowers one)

A floor sits its evaluation's ``margin`` below the measured figure, rounded down
to two decimals; ``--raise-floors`` moves a floor up only when the figure has
gained at least that margin over it, so noise never ratchets a floor.

Each evaluation is the same `counterclaim eval ... --json` command a user runs,
so the README's figures are reproducible by the command printed beside them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or REPO.parent / "shared")
EVAL = Path(os.environ.get("COUNTERCLAIM_EVAL_DIR") or SHARED / "eval")
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"


def lookup(metrics: dict, dotted: str):
    value = metrics
    for part in dotted.split("."):
        value = value[part]
    return value


def run(args: list[str]) -> dict:
    exe = Path(sys.executable).with_name("counterclaim")
    cmd = [str(exe) if exe.exists() else "counterclaim", "eval", *args, "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout)


def floor_for(value: float, margin: float) -> float:
    """The floor that guards ``value``: ``margin`` below it, rounded down to 0.01."""
    return max(0.0, math.floor(round((value - margin) * 100, 6)) / 100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update-readme", action="store_true")
    parser.add_argument("--raise-floors", action="store_true")
    parser.add_argument("--only", help="run only the evaluations whose name contains this text")
    opts = parser.parse_args()
    if not SHARED.is_dir():
        print(f"quality: skipped, the shared data is not at {SHARED} (set COUNTERCLAIM_SHARED_DIR)")
        return 0
    config = json.loads((REPO / "quality-floors.json").read_text())
    rows, failures = [], []
    raised = False
    for ev in config["evaluations"]:
        if opts.only and opts.only.lower() not in ev["name"].lower():
            continue
        args = [a.format(shared=SHARED, eval=EVAL) for a in ev["args"]]
        shown = " ".join(a.replace(str(SHARED), "../shared").replace(str(EVAL), "../shared/eval") for a in args)
        started = time.perf_counter()
        result = run(args)
        seconds = time.perf_counter() - started
        for key, floor in ev["floors"].items():
            value = lookup(result["metrics"], key)
            ok = value + 1e-9 >= floor
            if opts.raise_floors and floor_for(value, ev.get("margin", 0.02)) > floor:
                floor = ev["floors"][key] = floor_for(value, ev.get("margin", 0.02))
                raised = True
            rows.append((ev["name"], ev.get("measures", ""), key, value, floor, ok,
                         f"counterclaim eval {shown} --json"))
            if not ok:
                failures.append(f"{ev['name']}: {key} = {value:.3f} < floor {floor}")
        print(f"{ev['name']}: {result['n_docs']} docs in {seconds:.1f}s", file=sys.stderr)
    table = ["| evaluation | measures | metric | now | floor | command |", "|---|---|---|---|---|---|"]
    last = None
    for name, measures, key, value, floor, ok, cmd in rows:
        first = name != last
        last = name
        table.append(f"| {name if first else ''} | {measures if first else ''} | {key} | "
                     f"{value:.3f}{'' if ok else ' **below**'} | {floor} | {f'`{cmd}`' if first else ''} |")
    print("\n".join(table))
    if raised:
        (REPO / "quality-floors.json").write_text(json.dumps(config, indent=2) + "\n")
        print("quality: floors raised in quality-floors.json", file=sys.stderr)
    if opts.update_readme and not opts.only:
        readme = REPO / "README.md"
        text = readme.read_text()
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        readme.write_text(text[:start] + "\n" + "\n".join(table) + "\n" + text[end:])
    for f in failures:
        print(f"quality: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
