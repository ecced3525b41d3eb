"""``eval fnc1``: the official score, grouped folds, the shipped JSON model, and a run on a slice of the data."""

from __future__ import annotations

import csv

import numpy as np

from counterclaim.eval.fnc1 import evaluate_fnc1, fnc_score, folds, metrics
from counterclaim.link import stance


def test_official_weighted_score():
    gold = ["agree", "unrelated", "disagree", "discuss"]
    assert fnc_score(gold, gold) == 100.0
    # related/unrelated right everywhere, the related labels all wrong: 0.25 each of 3.25 max.
    assert fnc_score(gold, ["discuss", "unrelated", "agree", "agree"]) == round(100 * 1.0 / 3.25, 2)
    assert metrics(gold, gold)["macro_f1"] == 1.0


def test_folds_never_split_a_body():
    bodies = ["7", "12", "7", "3", "12", "100", "3"]
    fold_of = folds(bodies, k=3)
    assert all(fold_of[i] == fold_of[j] for i in range(7) for j in range(7) if bodies[i] == bodies[j])
    assert len(set(fold_of)) == 3


def test_shipped_model_is_json_and_predicts():
    model = stance.StanceModel.load()
    assert model.meta["data_sha256"] and model.coef.shape == (4, len(stance.FEATURES))
    assert model.meta["cross_validated"]["macro_f1"] >= 0.6
    probs = model.predict_proba(np.zeros((2, len(stance.FEATURES))))
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_fnc1_on_a_slice_applies_the_shipped_model(eval_dir, tmp_path):
    source = eval_dir / "fnc1-stance"
    with (source / "stances.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[:60]
    wanted = {r["Body ID"] for r in rows}
    with (source / "bodies.csv").open(encoding="utf-8", newline="") as f:
        bodies = [r for r in csv.DictReader(f) if r["Body ID"] in wanted]
    for name, fields, items in (("stances.csv", ["Headline", "Body ID", "Stance"], rows),
                                ("bodies.csv", ["Body ID", "articleBody"], bodies)):
        with (tmp_path / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(items)
    result = evaluate_fnc1(tmp_path)
    m = result["metrics"]
    assert result["n_docs"] == 60 and m["mode"].startswith("shipped model")
    assert 0 <= m["fnc_score"] <= 100 and 0 <= m["macro_f1"] <= 1 and 0 <= m["disagree_f1"] <= 1
    assert m["per_label"]["unrelated"]["f1"] > 0.8  # unrelated pairs are the easy part
