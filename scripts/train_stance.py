"""Train the stance model shipped in src/counterclaim/data/models/stance.json.

    python scripts/train_stance.py [FNC1_DIR]

FNC1_DIR defaults to $COUNTERCLAIM_EVAL_DIR/fnc1-stance (else ../shared/eval
beside the repo).  Deterministic: the same data gives the same weights (no
random state: lbfgs on standardised features).  Prints the cross-validated
figures (folds grouped by body id) and writes the weights as JSON, with the
sha256 of the training files so ``counterclaim eval fnc1`` knows to report
cross-validated figures on them.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from counterclaim.eval import fnc1
from counterclaim.link import stance

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    shared = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or REPO.parent / "shared")
    default = Path(os.environ.get("COUNTERCLAIM_EVAL_DIR") or shared / "eval") / "fnc1-stance"
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    started = time.perf_counter()
    x, y, bodies = fnc1.build_features(root)
    cv = fnc1.metrics(y, fnc1.cross_validate(x, y, bodies))
    digest = stance.sha256_files(root / "bodies.csv", root / "stances.csv")
    model = stance.fit(x, y, meta={"data": "FNC-1 competition test half (shared/eval/fnc1-stance)",
                                   "data_sha256": digest, "pairs": len(y),
                                   "cross_validated": {k: cv[k] for k in ("fnc_score", "macro_f1", "disagree_f1")},
                                   "trained_with": "scripts/train_stance.py"})
    out = REPO / "src" / "counterclaim" / stance.MODEL_PATH
    out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"cross_validated": cv, "written": str(out),
                      "seconds": round(time.perf_counter() - started, 1)}, indent=1))


if __name__ == "__main__":
    main()
