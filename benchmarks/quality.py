"""Run the evaluations listed in quality-floors.json and compare them with their floors.

    python benchmarks/quality.py                 # table + exit 1 if any figure is below its floor
    python benchmarks/quality.py --update-readme # also rewrite the README's figures table

Each evaluation is the same `counterclaim eval ... --json` command a user runs,
so the README's figures are reproducible by the command printed beside them.
"""

from __future__ import annotations

import argparse
import json
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update-readme", action="store_true")
    opts = parser.parse_args()
    if not SHARED.is_dir():
        print(f"quality: skipped, the shared data is not at {SHARED} (set COUNTERCLAIM_SHARED_DIR)")
        return 0
    config = json.loads((REPO / "quality-floors.json").read_text())
    rows, failures = [], []
    for ev in config["evaluations"]:
        args = [a.format(shared=SHARED, eval=EVAL) for a in ev["args"]]
        shown = " ".join(a.replace(str(SHARED), "../shared").replace(str(EVAL), "../shared/eval") for a in args)
        started = time.perf_counter()
        result = run(args)
        seconds = time.perf_counter() - started
        for key, floor in ev["floors"].items():
            value = lookup(result["metrics"], key)
            ok = value + 1e-9 >= floor
            rows.append((ev["name"], key, value, floor, ok, f"counterclaim eval {shown} --json"))
            if not ok:
                failures.append(f"{ev['name']}: {key} = {value:.3f} < floor {floor}")
        print(f"{ev['name']}: {result['n_docs']} docs in {seconds:.1f}s", file=sys.stderr)
    table = ["| evaluation | metric | now | floor | command |", "|---|---|---|---|---|"]
    for name, key, value, floor, ok, cmd in rows:
        table.append(f"| {name} | {key} | {value:.3f}{'' if ok else ' **below**'} | {floor} | `{cmd}` |")
    print("\n".join(table))
    if opts.update_readme:
        readme = REPO / "README.md"
        text = readme.read_text()
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        readme.write_text(text[:start] + "\n" + "\n".join(table) + "\n" + text[end:])
    for f in failures:
        print(f"quality: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
