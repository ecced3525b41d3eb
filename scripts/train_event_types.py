"""Train the shipped event-type classifier (counterclaim/nlp/event_types.py).

    python scripts/train_event_types.py [--out DIR] [--check]

Reads CASE 2021 task 2 ``case2021-acled-types/dev.tsv`` from the evaluation
folder (``COUNTERCLAIM_EVAL_DIR``, default ``<repo>/../shared/eval``; the data
is never copied into the repository), measures the configuration by
stratified 5-fold cross-validation repeated with seeds 0-4, fits the softmax
temperature on out-of-fold scores, trains on all of it, and writes
``event_types.npz`` + ``event_types.json`` (the model card: training data
sha256, library versions, configuration, cross-validated figures) to
``src/counterclaim/data/models``.  Deterministic: the same data, cue file
and library versions give the same model.  ``--check`` trains and compares
with the shipped model instead of writing.

Needs scikit-learn (training only; predicting needs numpy alone).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from counterclaim.eval import case2021  # noqa: E402
from counterclaim.nlp import event_types  # noqa: E402

DATA = Path("case2021-acled-types") / "dev.tsv"


def eval_dir() -> Path:
    return Path(os.environ.get("COUNTERCLAIM_EVAL_DIR", REPO.parent / "shared" / "eval"))


def versions() -> dict:
    import scipy
    import sklearn

    return {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "src" / "counterclaim" / "data" / "models")
    ap.add_argument("--check", action="store_true", help="train and compare with the shipped model; write nothing")
    args = ap.parse_args(argv)

    path = eval_dir() / DATA
    if not path.is_file():
        print(f"no training data at {path} (set COUNTERCLAIM_EVAL_DIR)", file=sys.stderr)
        return 2
    rows = case2021.read_case2021(path)
    texts = [r.text for r in rows]
    labels = [r.label for r in rows]
    config = dict(event_types.DEFAULT_CONFIG)
    counts = [event_types.features(t, tuple(config["char_ngrams"])) for t in texts]

    t0 = time.perf_counter()
    runs, scores0, classes0 = [], None, None
    for seed in case2021.SEEDS:
        classes, scores = event_types.cross_val_scores(texts, labels, case2021.FOLDS, seed, config, counts=counts)
        if scores0 is None:
            scores0, classes0 = scores, classes
        pred = [classes[j] for j in scores.argmax(axis=1)]
        runs.append(case2021._all_metrics(labels, pred))
        print(f"seed {seed}: weighted F1 {runs[-1]['weighted_f1']:.4f} (ACLED labels + other), "
              f"{runs[-1]['case_labels']['weighted_f1']:.4f} (30 CASE labels), "
              f"{runs[-1]['acled25']['weighted_f1']:.4f} (25 ACLED only)")
    cv = case2021._mean(runs)
    cv.pop("per_class", None)
    temperature = event_types.fit_temperature(scores0, classes0, labels)
    print(f"cross-validation: {time.perf_counter() - t0:.1f}s; temperature {temperature}")

    model = event_types.fit(texts, labels, {**config, "temperature": temperature}, counts=counts)
    model.temperature = temperature
    model.card = {
        "name": "counterclaim event types (CASE 2021 labels -> ACLED sub-types)",
        "training_data": {
            "file": str(DATA),
            "source": "CASE 2021 task 2 test set with gold labels (the half kept in shared/eval); "
                      "github.com/emerging-welfare/case-2021-shared-task",
            "sha256": case2021.sha256_file(path),
            "n": len(rows),
            "labels": {l: labels.count(l) for l in sorted(set(labels))},
        },
        "cues_sha256": event_types.cues_sha256(),
        "versions": versions(),
        "cross_validation": {
            "method": f"stratified {case2021.FOLDS}-fold (scikit-learn StratifiedKFold, shuffle=True), "
                      f"repeated with seeds {list(case2021.SEEDS)}; mean of the out-of-fold figures",
            "folds": case2021.FOLDS,
            "seeds": list(case2021.SEEDS),
            "metrics": cv,
            "per_seed_weighted_f1": {str(s): r["weighted_f1"] for s, r in zip(case2021.SEEDS, runs)},
        },
        "not_tried_on_training_data": "no training-set score is reported anywhere: it would say nothing",
    }
    if args.check:
        shipped = event_types.shipped_model()
        same = (shipped.classes == model.classes and shipped.vocab == model.vocab
                and np.allclose(shipped.coef, model.coef.astype(np.float16).astype(np.float32), atol=1e-3))
        print("same as the shipped model" if same else "DIFFERS from the shipped model")
        return 0 if same else 1
    arrays, card = model.save(args.out)
    print(f"wrote {arrays} ({arrays.stat().st_size / 1e6:.2f} MB) and {card}")
    print(f"cross-validated weighted F1 {cv['weighted_f1']:.4f}, accuracy {cv['accuracy']:.4f}, "
          f"macro F1 {cv['macro_f1']:.4f}; 30 labels {cv['case_labels']['weighted_f1']:.4f}; "
          f"25 ACLED {cv['acled25']['weighted_f1']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
