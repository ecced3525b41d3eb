"""What the event-type classifier costs a sentence (it runs on every event trigger).

    python benchmarks/event_type_speed.py [--sentences 2000]

Times ``event_types.classify`` on sentences written here (no evaluation text), after
one warm-up call that loads the shipped model, and prints milliseconds a sentence in
CPU and wall time with the machine's cores and load. Target: well under 1 ms a
sentence, so that the classifier stays a small part of extraction beside the parse.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine  # noqa: E402

SENTENCES = [
    "Army units retook the hill town from the rebels on Sunday after two days of fighting.",
    "A drone struck a car on the coast road, killing its two passengers.",
    "Hundreds of teachers marched to the ministry to demand their unpaid wages.",
    "Gunmen kidnapped a district official from his home overnight.",
    "A roadside bomb hit a police patrol near the market.",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=2000)
    opts = parser.parse_args()
    from counterclaim.nlp import event_types as et

    et.classify(SENTENCES[0])  # loads the model outside the clock
    texts = [f"{SENTENCES[i % len(SENTENCES)]} ({i})" for i in range(opts.sentences)]
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        et.classify(text)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print("machine:", machine())
    print(f"event_types.classify: {opts.sentences} sentences, {cpu / opts.sentences * 1000:.3f} CPU-ms "
          f"({wall / opts.sentences * 1000:.3f} wall-ms) a sentence")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
