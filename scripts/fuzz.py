"""The full fuzz run: 10,000+ generated inputs across readers, extractor, store, renderers and ingest.

    python scripts/fuzz.py                    # SQLite; prints the figures
    python scripts/fuzz.py --pg postgresql+psycopg2://postgres@127.0.0.1:5432/test
    python scripts/fuzz.py --scale 0.1        # a tenth of the examples, for a quick look

The properties are in ``tests/fuzzing.py`` (the suite runs a fast subset of
them).  Here failures are collected rather than raised, so one run reports
all of them: ``crash`` is an exception escaping a reader, the extractor, the
store or a renderer; ``broken`` is a promise not kept (the good article of a
batch lost, a span that is not the text at its offsets, an inconsistent
ledger); ``hang`` is an article that took over 10 s.  Exit code 1 when any.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import fuzzing  # noqa: E402

EXAMPLES = {"readers": 1200, "extractor": 1000, "store": 1200, "renderers": 1000, "ingest": 120}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every target's example count")
    parser.add_argument("--pg", help="also fuzz the store and ingest on this PostgreSQL URL (a fresh schema)")
    parser.add_argument("--only", nargs="*", choices=sorted(EXAMPLES), help="run these targets only")
    args = parser.parse_args()
    counts = {k: max(1, int(v * args.scale)) for k, v in EXAMPLES.items() if not args.only or k in args.only}
    run = fuzzing.Run(collect=True)
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="cc-fuzz-") as tmp:
        folder = Path(tmp)
        targets = {
            "readers": lambda n: fuzzing.readers(run, n, folder),
            "extractor": lambda n: fuzzing.extractor(run, n),
            "store": lambda n: fuzzing.store(run, n, str(folder / "store.sqlite")),
            "renderers": lambda n: fuzzing.renderers(run, n),
            "ingest": lambda n: fuzzing.ingest(run, n, folder, str(folder / "ingest.sqlite")),
        }
        for name, n in counts.items():
            started = time.perf_counter()
            targets[name](n)
            seconds[name] = time.perf_counter() - started
            print(f"{name}: {run.inputs.get(name, 0)} inputs, {seconds[name]:.0f} s", file=sys.stderr, flush=True)
        if args.pg:
            from pgschema import fresh_schema

            for name in ("store", "ingest"):
                if name not in counts:
                    continue
                with fresh_schema(args.pg) as url:
                    started = time.perf_counter()
                    before = run.inputs.get(name, 0)
                    if name == "store":
                        fuzzing.store(run, counts[name], url)
                    else:
                        fuzzing.ingest(run, max(1, counts[name] // 2), folder, url)
                    seconds[f"{name} (PostgreSQL)"] = time.perf_counter() - started
                    print(f"{name} on PostgreSQL: {run.inputs.get(name, 0) - before} inputs", file=sys.stderr)
    return report(run, seconds)


def report(run: fuzzing.Run, seconds: dict[str, float]) -> int:
    total = sum(run.inputs.values())
    kinds = {"crash": 0, "broken": 0, "hang": 0}
    for _target, kind, detail in run.failures:
        kinds["broken" if kind == "crash" and detail.startswith("AssertionError") else kind] += 1
    print(f"fuzz: {total:,} generated inputs in {sum(seconds.values()):.0f} s "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(run.inputs.items()))})")
    print(f"  crashes {kinds['crash']}, broken promises {kinds['broken']}, hangs over {fuzzing.HANG_SECONDS:.0f} s "
          f"{kinds['hang']}; slowest article {run.slowest:.2f} s")
    if run.inputs.get("renderers"):
        print(f"  renderer outputs carrying an escape sequence from the data: {run.renderer_escapes}")
    by_target: dict[str, int] = {}
    for target, kind, detail in run.failures:
        by_target[target] = by_target.get(target, 0) + 1
        if by_target[target] <= 3:
            print(f"\n[{target}] {kind}: {detail}")
    if by_target:
        print("failures by target: " + ", ".join(f"{t} {n}" for t, n in sorted(by_target.items())))
    return 1 if run.failures else 0


if __name__ == "__main__":
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", tempfile.gettempdir() + "/cc-hypothesis")
    sys.exit(main())
