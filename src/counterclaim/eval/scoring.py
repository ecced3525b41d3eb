"""Shared scoring pieces: P/R/F1 counters, one-to-one matching, anchors, distances.

Every evaluator reports metrics in one shape -- ``{"precision", "recall",
"f1", "support"}`` or a plain number -- so CI thresholds, the README table
and the before-stop hook read them all the same way.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence, TypeVar

from ..nlp.gazetteer import distance_km as km  # noqa: F401  (re-exported for evaluators)

A = TypeVar("A")
B = TypeVar("B")
R = TypeVar("R")


def jsonl_rows(path: Path, what: str, parse: Callable[[dict], R]) -> Iterator[R]:
    """Each non-blank line of a JSON-lines gold file, read by ``parse``.

    A line that is not JSON, or that ``parse`` cannot read (a missing key, an
    index out of range), stops the evaluation with a ValueError naming the
    file, the line and what it should have been: gold data that is read wrong
    would give figures that look right.
    """
    path = Path(path)
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = parse(json.loads(line))
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{n}: not {what} ({exc})") from exc
        yield record


@dataclass
class PRF:
    """True positives against the number predicted and the number in gold."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, tp: int, predicted: int, gold: int) -> None:
        self.tp += tp
        self.predicted += predicted
        self.gold += gold

    def as_dict(self) -> dict:
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": self.gold}


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    def value(self) -> float:
        return round(self.right / self.total, 4) if self.total else 0.0


def match_one_to_one(golds: Sequence[A], preds: Sequence[B], ok: Callable[[A, B], bool],
                     score: Callable[[A, B], float] | None = None) -> list[tuple[int, int]]:
    """A maximum one-to-one matching (augmenting paths), so a greedy early pick
    never costs a later gold item its only possible partner."""
    adj = [[j for j, p in enumerate(preds) if ok(g, p)] for g in golds]
    if score is not None:
        for i, g in enumerate(golds):
            adj[i].sort(key=lambda j: -score(g, preds[j]))
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(golds)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def fold(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def locate(text: str, needle: str, after: int = 0) -> Optional[tuple[int, int]]:
    """Where a gold anchor stands in the text: exact first, then with quotes and
    whitespace folded (annotators copy text through editors that change them)."""
    if not needle:
        return None
    i = text.find(needle, after)
    if i < 0 and after:
        i = text.find(needle)
    if i >= 0:
        return i, i + len(needle)
    pattern = r"\s+".join(re.escape(w) for w in fold(needle).split())
    m = re.search(pattern, fold(text))
    return (m.start(), m.end()) if m else None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def mean(xs: Iterable[float]) -> float:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else 0.0
