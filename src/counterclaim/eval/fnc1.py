"""``counterclaim eval fnc1 DIR``: stance of a headline towards an article body (FNC-1).

DIR holds FNC-1's ``bodies.csv`` (Body ID, articleBody) and ``stances.csv``
(Headline, Body ID, Stance).  Metrics:

- ``fnc_score``: the official weighted score as % of the maximum (0.25 for
  related/unrelated right, 0.75 more for the right agree/disagree/discuss);
- ``macro_f1`` over the four labels, and ``disagree_f1``.

The shipped model (``link.stance``) was trained on the dev half in
shared/eval/fnc1-stance.  On that data (recognised by the sha256 of the two
files, as recorded in the model) the figures are **cross-validated**: five
folds grouped by body id (a body never sits in training and test at once;
fold k holds the bodies whose rank in sorted id order is k mod 5), trained
and tested here, so no pair is scored by a model that saw it.  On any other
files the shipped model is applied as is.

Embedding ~10k sentences takes a minute or two on 2 cores: unique headlines
and body sentences are embedded once and cached under the system temp dir
(``counterclaim-fnc1-cache``), keyed by the model and the text.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
import time
from pathlib import Path
from typing import Optional

import numpy as np

from ..link import stance
from ..link.embed import get_embedder
from .scoring import PRF

FOLDS = 5
RELATED = ("agree", "disagree", "discuss")


def load(root: Path) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    bodies_path, stances_path = root / "bodies.csv", root / "stances.csv"
    for needed in (bodies_path, stances_path):
        if not needed.is_file():
            raise FileNotFoundError(f"{needed}: missing (fnc1 needs bodies.csv and stances.csv)")
    with bodies_path.open(encoding="utf-8", newline="") as f:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}
    with stances_path.open(encoding="utf-8", newline="") as f:
        pairs = [(row["Headline"], row["Body ID"], row["Stance"]) for row in csv.DictReader(f)]
    return bodies, pairs


def _cached_vectors(texts: list[str], cache: Optional[Path]) -> dict[str, np.ndarray]:
    """Embed each distinct text once; vectors cached on disk between runs."""
    embedder = get_embedder()
    unique = sorted(set(texts))
    key = hashlib.sha256(("\x1e".join(unique) + embedder.name).encode("utf-8")).hexdigest()[:20]
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        path = cache / f"{key}.npy"
        if path.is_file():
            vectors = np.load(path)
            if len(vectors) == len(unique):
                return dict(zip(unique, vectors))
    vectors = embedder.encode(unique)
    if cache is not None:
        np.save(cache / f"{key}.npy", vectors)
    return dict(zip(unique, vectors))


def build_features(root: Path, cache: Optional[Path] = None) -> tuple[np.ndarray, list[str], list[str]]:
    """(features, labels, body ids), one row per headline/body pair."""
    if cache is None:
        cache = Path(tempfile.gettempdir()) / "counterclaim-fnc1-cache"
    bodies, pairs = load(root)
    split = {bid: stance.sentences(text) for bid, text in bodies.items()}
    vectors = _cached_vectors([h for h, _, _ in pairs] + [s for ss in split.values() for s in ss], cache)
    prepared = {bid: stance.prepare_body(bodies[bid], np.array([vectors[s] for s in split[bid]]))
                for bid in bodies}
    x = np.array([stance.features(h, vectors[h], prepared[b]) for h, b, _ in pairs])
    return x, [label for _, _, label in pairs], [b for _, b, _ in pairs]


def folds(body_ids: list[str], k: int = FOLDS) -> list[int]:
    """Fold of each pair: bodies in sorted id order, dealt round-robin into k folds."""
    order = {bid: i % k for i, bid in enumerate(sorted(set(body_ids), key=lambda b: (len(b), b)))}
    return [order[b] for b in body_ids]


def cross_validate(x: np.ndarray, y: list[str], body_ids: list[str], k: int = FOLDS) -> list[str]:
    fold_of = np.array(folds(body_ids, k))
    predicted = [""] * len(y)
    ys = np.array(y)
    for fold in range(k):
        test = fold_of == fold
        model = stance.fit(x[~test], ys[~test])
        for i, label in zip(np.flatnonzero(test), model.predict(x[test])):
            predicted[i] = label
    return predicted


def fnc_score(gold: list[str], predicted: list[str]) -> float:
    """The official FNC-1 weighted score, as a percentage of the best possible."""
    score = best = 0.0
    for g, p in zip(gold, predicted):
        best += 0.25 if g == "unrelated" else 1.0
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.5
        if g in RELATED and p in RELATED:
            score += 0.25
    return round(100 * score / best, 2) if best else 0.0


def metrics(gold: list[str], predicted: list[str]) -> dict:
    per = {}
    for label in stance.LABELS:
        prf = PRF()
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        prf.add(tp, sum(p == label for p in predicted), sum(g == label for g in gold))
        per[label] = prf.as_dict()
    return {
        "fnc_score": fnc_score(gold, predicted),
        "macro_f1": round(sum(v["f1"] for v in per.values()) / len(per), 4),
        "disagree_f1": per["disagree"]["f1"],
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted)) / max(1, len(gold)), 4),
        "per_label": per,
    }


def evaluate_fnc1(root: Path, progress=None) -> dict:
    root = Path(root)
    started = time.perf_counter()
    model = stance.StanceModel.load()
    digest = stance.sha256_files(root / "bodies.csv", root / "stances.csv")
    x, y, body_ids = build_features(root)
    featured = time.perf_counter()
    trained_on = (model.meta or {}).get("data_sha256")
    if digest == trained_on:
        predicted = cross_validate(x, y, body_ids)
        mode = f"cross-validated: {FOLDS} folds grouped by body id (the shipped model was trained on this data)"
    else:
        predicted = model.predict(x)
        mode = "shipped model applied (data not seen in training)"
    result = metrics(y, predicted)
    result["mode"] = mode
    result["data_sha256"] = digest
    result["seconds"] = {"features": round(featured - started, 1), "total": round(time.perf_counter() - started, 1)}
    return {"dataset": str(root), "n_docs": len(y), "metrics": result}
