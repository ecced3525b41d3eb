"""Geoparsing gold sets (TR-News / LGL and GeoWebNews XML) and a resolution scorer.

Both schemas come from Gritta et al., "A Pragmatic Guide to Geoparsing Evaluation"
(2019); users bring these files, so the reader ships, not the data.

- TR-News and LGL: ``<toponym><phrase/><start/><end/><gaztag geonameid=..><lat/><lon/>
  ...</gaztag></toponym>``; a toponym without ``gaztag`` has no coordinates.
- GeoWebNews: ``<toponym><extractedName/><type/><nonLocational/><start/><end/>
  <geonamesID/><latitude/><longitude/></toponym>``. Types that are not toponyms in
  the paper's sense (``Non_Toponym``, ``Literal_Expression``, ``Non_Lit_Expression``:
  "lot", "citizens") are dropped; the rest count for recognition, and those with
  coordinates for resolution.

``evaluate_resolution`` scores a recogniser plus ``geocode.resolve`` the way the
paper does: recognition P/R/F1 (exact offsets and overlap), then, over gold
toponyms that were recognised and have coordinates, the share resolved within
161 km (100 miles), the median and mean error in km, and the AUC of the error
curve (lower is better). ``recognise_fn=None`` feeds the gold spans instead, which
measures the resolver alone.
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from counterclaim.records import Place, Span

NOT_TOPONYMS = {"Non_Toponym", "Literal_Expression", "Non_Lit_Expression"}
MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the AUC's upper bound


@dataclass
class GeoDoc:
    id: str
    text: str
    # The gold toponyms as the records the resolver itself returns: ``span`` where the
    # name stands, ``name`` as annotated, ``kind`` the GeoWebNews type or GeoNames
    # feature code, ``lat``/``lon`` and ``gazetteer_id`` ("geonames:ID") where known.
    toponyms: list[Place] = field(default_factory=list)


def read_geo_xml(path: str | Path) -> list[GeoDoc]:
    """Articles of a TR-News/LGL or GeoWebNews XML file, whichever schema it uses."""
    root = ET.parse(path).getroot()
    docs = []
    for i, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        doc_id = art.get("docid") or art.get("file") or str(i)
        toponyms = [_realign(text, t) for t in (_toponym(el, text) for el in art.iter("toponym")) if t is not None]
        docs.append(GeoDoc(doc_id, text, sorted(toponyms, key=lambda t: (t.span.start, t.span.end))))
    return docs


def _realign(text: str, t: Place, window: int = 300) -> Place:
    """Move a toponym whose offsets miss its own name to the nearest occurrence of the
    name. About 9% of TR-News offsets drift by a few characters within an article
    (one count of the text differs from ours); unfound names keep their offsets."""
    start = t.span.start
    if not t.name or t.span.text == t.name:
        return t
    best = None
    lo = max(0, start - window)
    i = text.find(t.name, lo)
    while i != -1 and i <= start + window:
        if best is None or abs(i - start) < abs(best - start):
            best = i
        i = text.find(t.name, i + 1)
    if best is not None:
        t.span = _span(text, best, best + len(t.name))
    return t


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _float(text: Optional[str]) -> Optional[float]:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _toponym(el: ET.Element, text: str) -> Optional[Place]:
    start, end = el.findtext("start"), el.findtext("end")
    if start is None or end is None:
        return None
    span = _span(text, int(start), int(end))
    if el.find("extractedName") is not None:  # GeoWebNews
        kind = (el.findtext("type") or "").strip()
        if kind in NOT_TOPONYMS:
            return None
        return Place(span, el.findtext("extractedName") or "", kind, _float(el.findtext("latitude")),
                     _float(el.findtext("longitude")), gazetteer_id=_geonames((el.findtext("geonamesID") or "").strip()))
    gaz = el.find("gaztag")  # TR-News / LGL
    name = el.findtext("phrase") or ""
    if gaz is None:
        return Place(span, name)
    return Place(span, name, gaz.findtext("fcode"), _float(gaz.findtext("lat")), _float(gaz.findtext("lon")),
                 gazetteer_id=_geonames(gaz.get("geonameid")))


def _geonames(geonameid: Optional[str]) -> Optional[str]:
    """A GeoNames id as ``Place.gazetteer_id`` spells it ("geonames:1138958")."""
    return f"geonames:{geonameid}" if geonameid else None


def _gold_mentions(doc: GeoDoc) -> list[tuple[Span, str]]:
    from counterclaim.nlp.gazetteer import demonym_country

    return [(t.span, "NORP" if demonym_country(t.name) else "GPE") for t in doc.toponyms]


def evaluate_resolution(
    docs: Iterable[GeoDoc],
    recognise_fn: Optional[Callable[[str], list[tuple[Span, str]]]] = None,
    *,
    demonyms_as_places: bool = True,
    resolve_fn: Optional[Callable] = None,
) -> dict:
    """Recognition and resolution figures for ``recognise_fn`` (text -> NER mentions
    ``(Span, label)``) followed by the resolver; gold spans when ``recognise_fn`` is None."""
    from counterclaim.nlp.gazetteer import km_apart
    from counterclaim.nlp.geocode import resolve

    resolve_fn = resolve_fn or resolve
    tp_exact = tp_overlap = n_pred = n_gold = 0
    errors: list[float] = []
    unresolved = 0
    for doc in docs:
        mentions = recognise_fn(doc.text) if recognise_fn else _gold_mentions(doc)
        places = resolve_fn(mentions, text=doc.text, demonyms_as_places=demonyms_as_places)
        n_pred += len(places)
        n_gold += len(doc.toponyms)
        used: set[int] = set()
        for t in doc.toponyms:
            exact = [i for i, p in enumerate(places)
                     if i not in used and (p.span.start, p.span.end) == (t.span.start, t.span.end)]
            overlap = exact or [i for i, p in enumerate(places) if i not in used and p.span.overlaps(t.span)]
            if not overlap:
                continue
            i = overlap[0]
            used.add(i)
            tp_overlap += 1
            tp_exact += bool(exact)
            if t.lat is None:
                continue
            p = places[i]
            if p.lat is None:
                unresolved += 1
                errors.append(MAX_ERROR_KM)
            else:
                errors.append(km_apart(p, t))

    def prf(tp: int) -> dict:
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4),
                "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}

    auc = statistics.fmean(math.log(1 + e) / math.log(1 + MAX_ERROR_KM) for e in errors) if errors else None
    return {
        "gold_toponyms": n_gold,
        "predicted": n_pred,
        "recognition_exact": prf(tp_exact),
        "recognition_overlap": prf(tp_overlap),
        "resolved_scored": len(errors),
        "unresolved": unresolved,
        "acc_161km": round(sum(e <= 161 for e in errors) / len(errors), 4) if errors else None,
        "median_error_km": round(statistics.median(errors), 1) if errors else None,
        "mean_error_km": round(statistics.fmean(errors), 1) if errors else None,
        "auc": round(auc, 4) if auc is not None else None,
    }
