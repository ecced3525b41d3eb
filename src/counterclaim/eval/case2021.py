"""``counterclaim eval case2021 FILE.tsv``: ACLED sub-type classification.

The file is CASE 2021 task 2's format: a header, then ``id<TAB>EventSnippet<TAB>SubType``
per line.  Its 30 labels map to ACLED sub-types through
``data/models/case2021_labels.tsv``; the five with no ACLED twin (ORG_CRIME,
NATURAL_DISASTER, MAN_MADE_DISASTER, DIPLO, ATTRIB) all count as ``other``.

Honesty rule: a classifier is never scored on the data it was trained on.
When the file is the shipped model's training data (same sha256, named in the
model card), the evaluator retrains the model inside stratified k-fold
cross-validation (5 folds, repeated with seeds 0-4) and reports the mean of
the out-of-fold figures, each seed's figure beside it; any other file (a
held-out split) is scored with the shipped model as it is.

Metrics (``metrics``):

- ``accuracy``, ``macro_f1``, ``weighted_f1`` on the ACLED label space (the 25
  sub-types plus ``other``): the headline;
- ``case_labels``: the same on CASE's own 30 labels (comparable with the
  task's subtask 3 results, weighted F1 0.771 for the best system);
- ``acled25``: the same on the snippets whose gold is one of the 25 ACLED
  sub-types (comparable with subtask 1, 0.839 for the best system); a
  prediction of ``other`` there counts as wrong;
- ``per_class``: precision / recall / F1 per ACLED label.

Averages follow scikit-learn: macro over the labels seen in gold or
predictions, weighted by gold support.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from ..nlp import event_types

OTHER = "other"
FOLDS = 5
SEEDS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class Snippet:
    id: str
    text: str
    label: str


def read_case2021(path: Path) -> list[Snippet]:
    """Rows of a CASE 2021 task 2 TSV (header ``id, EventSnippet, SubType``)."""
    out: list[Snippet] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header[:3]] != ["id", "eventsnippet", "subtype"]:
            raise ValueError(f"{path}: not a CASE 2021 task 2 file (header 'id, EventSnippet, SubType' expected)")
        for n, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) < 3:
                raise ValueError(f"{path}:{n}: expected 3 tab-separated columns, found {len(row)}")
            out.append(Snippet(row[0].strip(), row[1], row[2].strip()))
    return out


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def to_acled(label: str) -> str:
    """A CASE label as its ACLED sub-type, or ``other``."""
    mapping = event_types.case_label_map()
    if label not in mapping:
        raise ValueError(f"unknown CASE 2021 label {label!r} (known: {', '.join(sorted(mapping))})")
    return mapping[label] or OTHER


def classification_metrics(gold: Sequence[str], pred: Sequence[str], per_class: bool = False) -> dict:
    """Accuracy, macro and weighted F1 (scikit-learn's definitions)."""
    labels = sorted(set(gold) | set(pred))
    rows = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        n_pred = sum(1 for p in pred if p == lab)
        n_gold = sum(1 for g in gold if g == lab)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        rows[lab] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": n_gold,
                     "_f1": f1}
    n = len(gold)
    out: dict[str, Any] = {
        "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / n, 4) if n else 0.0,
        "macro_f1": round(sum(r["_f1"] for r in rows.values()) / len(rows), 4) if rows else 0.0,
        "weighted_f1": round(sum(r["_f1"] * r["support"] for r in rows.values()) / n, 4) if n else 0.0,
    }
    if per_class:
        out["per_class"] = {lab: {k: v for k, v in r.items() if k != "_f1"} for lab, r in rows.items() if r["support"]}
    return out


def _all_metrics(gold_case: Sequence[str], pred_case: Sequence[str]) -> dict:
    gold = [to_acled(l) for l in gold_case]
    pred = [to_acled(l) for l in pred_case]
    metrics = classification_metrics(gold, pred, per_class=True)
    per_class = metrics.pop("per_class")
    metrics["case_labels"] = classification_metrics(gold_case, pred_case)
    keep = [i for i, g in enumerate(gold) if g != OTHER]
    metrics["acled25"] = classification_metrics([gold[i] for i in keep], [pred[i] for i in keep])
    metrics["acled25"]["n"] = len(keep)
    metrics["per_class"] = per_class
    return metrics


def _mean(runs: list[dict]) -> dict:
    out: dict = {}
    for key, value in runs[0].items():
        if isinstance(value, dict) and key != "per_class":
            out[key] = _mean([r[key] for r in runs])
        elif isinstance(value, float):
            out[key] = round(sum(r[key] for r in runs) / len(runs), 4)
        else:
            out[key] = value
    return out


def evaluate_case2021(path: Path, model: Optional[event_types.Model] = None,
                      folds: int = FOLDS, seeds: Sequence[int] = SEEDS) -> dict:
    path = Path(path)
    rows = read_case2021(path)
    if not rows:
        raise ValueError(f"{path}: no snippets")
    for r in rows:
        to_acled(r.label)  # unknown labels fail early, named
    model = model or event_types.shipped_model()
    trained_on = (model.card.get("training_data") or {}).get("sha256")
    texts = [r.text for r in rows]
    gold = [r.label for r in rows]
    if trained_on and sha256_file(path) == trained_on:
        config = model.config or None
        counts = [event_types.features(t, tuple((config or event_types.DEFAULT_CONFIG)["char_ngrams"])) for t in texts]
        runs = [_all_metrics(gold, event_types.cross_val_predict(texts, gold, folds, seed, config, counts=counts))
                for seed in seeds]
        metrics = _mean(runs)
        metrics["per_seed_weighted_f1"] = {str(s): r["weighted_f1"] for s, r in zip(seeds, runs)}
        mode = {"mode": "cross-validated", "folds": folds, "seeds": list(seeds),
                "note": f"the file is the shipped model's training data: stratified {folds}-fold CV "
                        f"retrained per fold, mean over seeds {list(seeds)}; per_class is seed {seeds[0]}'s"}
    else:
        pred = [model.classes[int(model.probabilities(t).argmax())] for t in texts]
        metrics = _all_metrics(gold, pred)
        mode = {"mode": "shipped model", "note": "the shipped model, trained on other data, applied as is"}
    return {"dataset": path.name, "n_docs": len(rows), **mode, "metrics": metrics}
