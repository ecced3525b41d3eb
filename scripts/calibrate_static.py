"""Thresholds for the static word-piece vectors, by percentile against the model's; and their agreement.

    .venv/bin/python scripts/calibrate_static.py [--sentences 2500]

The rule (``link.claims``, ``link.events``): a MiniLM threshold ``t`` becomes the
static vectors' cosine at the same percentile of all cross-article sentence pairs,
i.e. the fraction of pairs the model puts below ``t`` is the fraction the static
vectors put below the new threshold.  The pairs come from FA-KES articles that are
*not* in the cross-document dev set (matched by title and by the text's start), so
the dev set that judges linking takes no part in setting its thresholds.  Sentences
are cut at ``. `` / ``! `` / ``? `` before a capital, 8 to 60 words, the first
``--sentences`` of them in the CSV's order.

With each threshold it prints the agreement that matters when judging a table: of the
held-out pairs the model puts above its threshold, the share the static vectors put above
theirs.  Pearson over all pairs is printed too, but it is a weaker guide: it is dominated
by the mass of unrelated pairs, and a table change can raise it while the agreement at the
thresholds falls (a smaller SIF coefficient did: Pearson 0.726 -> 0.749, agreement at
``events.SAME_SENTENCE_SIM`` 0.615 -> 0.598).

Then, as a diagnostic, the agreement of the two on the dev set's sentences
(Pearson over cross-article pairs, and how many pairs each puts above each
threshold): a figure, never a tuning target.

A script for developers: it reads the evaluation data from where it lies and
writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import time
from pathlib import Path

import numpy as np

from counterclaim.link import claims, embed, events

REPO = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("COUNTERCLAIM_EVAL_DIR") or REPO.parent / "shared" / "eval")
SPLIT = re.compile(r'(?<=[.!?])\s+(?=[A-Z"])')


def _key(text: str) -> str:
    return " ".join(text.split())[:200].lower()


def _sentences(texts: list[str], cap: int) -> list[tuple[int, str]]:
    out = []
    for i, text in enumerate(texts):
        out += [(i, s) for s in SPLIT.split(" ".join(text.split())) if 8 <= len(s.split()) <= 60]
    return out[:cap]


def _pairs(found: list[tuple[int, str]], model: embed.Embedder, static: embed.Embedder):
    texts = [s for _, s in found]
    article = np.array([a for a, _ in found])
    started = time.process_time()
    m = model.encode(texts)
    middle = time.process_time()
    s = static.encode(texts)
    print(f"  {len(texts)} sentences: model {middle - started:.1f} CPU-s, static {time.process_time() - middle:.2f} CPU-s")
    upper = np.triu_indices(len(texts), 1)
    across = article[upper[0]] != article[upper[1]]
    return (m @ m.T)[upper][across], (s @ s.T)[upper][across]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2500)
    opts = parser.parse_args()
    dev = [json.loads(line) for line in (EVAL / "fakes-crossdoc-dev" / "articles.jsonl").open(encoding="utf-8")]
    in_dev = {_key(d["title"]) for d in dev} | {_key(d["text"]) for d in dev}
    csv.field_size_limit(10_000_000)
    with (EVAL / "articles-fakes-syria" / "FA-KES-Dataset.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    held = [r["article_content"] for r in rows
            if _key(r["article_title"]) not in in_dev and _key(r["article_content"]) not in in_dev]
    print(f"FA-KES: {len(rows)} articles, {len(held)} outside the cross-document dev set")
    model, static = embed.MiniLM(), embed.Static()
    m, s = _pairs(_sentences(held, opts.sentences), model, static)
    wanted = {"claims.SAME_SIM": claims.SAME_SIM, "claims.RELATED_SIM": claims.RELATED_SIM,
              "events.SAME_SENTENCE_SIM": events.SAME_SENTENCE_SIM,
              "events.RELATED_SENTENCE_SIM": events.RELATED_SENTENCE_SIM}
    found = {}
    for name, table in wanted.items():
        below = float((m < table["minilm"]).mean())
        found[name] = float(np.quantile(s, below))
        above = m >= table["minilm"]
        agree = (above & (s >= found[name])).sum() / max(1, above.sum())
        print(f"  {name}: model {table['minilm']} at percentile {100 * below:.3f} -> static {found[name]:.3f} "
              f"(in use: {table['static']}); of the model's {above.sum()} pairs above, the static vectors "
              f"put {agree:.3f} above theirs")
    print(f"  Pearson {np.corrcoef(m, s)[0, 1]:.3f} over these {len(m)} held-out pairs")
    print("agreement on the cross-document dev set's sentences (a diagnostic)")
    m, s = _pairs(_sentences([d["text"] for d in dev], 10_000), model, static)
    print(f"  Pearson {np.corrcoef(m, s)[0, 1]:.3f} over {len(m)} cross-article pairs")
    for name, table in wanted.items():
        a, b = m >= table["minilm"], s >= table["static"]
        print(f"  {name}: above for the model {a.sum()}, for the static vectors {b.sum()}, both {(a & b).sum()}")


if __name__ == "__main__":
    main()
