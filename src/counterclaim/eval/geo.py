"""``counterclaim eval geo FILE.xml``: toponym recognition and resolution.

Recognition is the same as in extraction (``nlp.places.place_mentions``: NER
plus gazetteer-known proper nouns in locative position), with nationality
words as country mentions, because TR-News and GeoWebNews annotate
"Turkish" as Turkey.  Scoring follows Gritta et al. 2019 (``geo_reader``).
"""

from __future__ import annotations

import time
from pathlib import Path

from .geo_reader import evaluate_resolution, read_geo_xml


def evaluate_geo(path: Path, progress=None) -> dict:
    from ..nlp.pipeline import get_nlp
    from ..nlp.places import nationality_mentions, place_mentions

    docs = read_geo_xml(path)
    nlp = get_nlp()
    started = time.perf_counter()
    mentions = {}
    for doc, parsed in zip(docs, nlp.pipe((d.text for d in docs), batch_size=16)):
        found = place_mentions(parsed)
        found += nationality_mentions(parsed)
        mentions[doc.text] = found
    result = evaluate_resolution(docs, lambda text: mentions[text])
    seconds = time.perf_counter() - started
    metrics = {
        "recognition": result["recognition_exact"],
        "recognition_overlap": result["recognition_overlap"],
        "acc_161km": result["acc_161km"],
        "median_error_km": result["median_error_km"],
        "mean_error_km": result["mean_error_km"],
        "auc": result["auc"],
        "resolved_scored": result["resolved_scored"],
        "docs_per_s": round(len(docs) / seconds, 2) if seconds else None,
    }
    metrics["recognition"]["support"] = result["gold_toponyms"]
    return {"dataset": Path(path).stem, "n_docs": len(docs), "metrics": metrics}
