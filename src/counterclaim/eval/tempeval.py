"""TempEval-3 (TimeML ``.tml``): read the gold time expressions and score ours.

TimeML files keep the document creation time (DCT) in a ``<DCT><TIMEX3
functionInDocument="CREATION_TIME">`` element outside ``<TEXT>``, and mark the
time expressions of the text inline as ``<TIMEX3 type=... value=...>``.  The
reader strips every tag of ``<TEXT>`` (TIMEX3, EVENT, SIGNAL) and keeps the
character offsets of each TIMEX3 in the plain text, so gold and prediction are
compared on the same string the extractor sees.

The scorer runs what the product runs: spaCy NER proposes DATE/TIME spans,
``find_times`` finds and normalises time expressions against the DCT (playing
the part of the publication date).  It reports:

- ``timex``: span detection, *relaxed* match as in TempEval-3 (a prediction and
  a gold expression match when their character spans overlap; each gold and
  each prediction is used at most once);
- ``value``: a prediction is correct when it overlaps a gold expression *and*
  its normalised value equals the gold value (TempEval-3 scores attributes on
  relaxed matches too; here precision and recall both count value errors);
- both over all TIMEX3 types (DATE, TIME, DURATION, SET: TempEval-3 scores all
  of them) and, as ``timex_date_time`` / ``value_date_time``, over DATE and TIME
  only: the calendar points a conflict ledger dates events with.  For that
  subset a prediction counts when it matches a DATE/TIME gold or matches no
  gold at all (a prediction matching a DURATION/SET gold is left out of it).

The DCT is metadata, not text: it is never scored.  Value comparison treats
equivalent spellings of a decade or century as equal ("197" and "197X").
``words_per_s`` is the throughput of spaCy plus ``find_times`` (words are
non-punctuation tokens; reading the files is not timed).
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from counterclaim.records import Span, Time

from .scoring import PRF  # one P/R/F1 counter: matching is one-to-one, so a correct prediction is a found gold item

CALENDAR_TYPES = ("DATE", "TIME")


@dataclass(frozen=True)
class GoldTimex:
    """One gold TIMEX3 of a document's text, with offsets into the plain text."""

    span: Span
    type: str
    value: str
    tid: str


def tml_files(path: Path) -> list[Path]:
    """The ``.tml`` files under ``path`` (a file or a folder), in a stable order."""
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(path.rglob("*.tml"))


def iter_timeml(path: Path) -> Iterator[tuple[str, str, Optional[date], list[GoldTimex]]]:
    """Yield ``(doc_id, text, dct, gold_timexes)`` for every TimeML file under ``path``."""
    for file in tml_files(path):
        yield read_timeml(file)


def read_timeml(file: Path) -> tuple[str, str, Optional[date], list[GoldTimex]]:
    """One TimeML document: its id, plain ``<TEXT>``, DCT and the TIMEX3 inside the text."""
    root = ET.parse(file).getroot()
    doc_id = (root.findtext("DOCID") or Path(file).stem).strip()
    dct = _dct(root)
    text_el = root.find("TEXT")
    if text_el is None:
        return doc_id, "", dct, []
    pieces: list[str] = []
    gold: list[GoldTimex] = []
    _flatten(text_el, pieces, gold, [0])
    text = "".join(pieces)
    gold = [
        GoldTimex(Span(g.span.start, g.span.end, text[g.span.start : g.span.end]), g.type, g.value, g.tid)
        for g in gold
    ]
    return doc_id, text, dct, gold


def _flatten(el: ET.Element, pieces: list[str], gold: list[GoldTimex], pos: list[int]) -> None:
    """Append the element's text to ``pieces``; record TIMEX3 offsets as they pass."""
    start = pos[0]
    if el.text:
        pieces.append(el.text)
        pos[0] += len(el.text)
    for child in el:
        _flatten(child, pieces, gold, pos)
        if child.tail:
            pieces.append(child.tail)
            pos[0] += len(child.tail)
    if el.tag == "TIMEX3" and el.get("functionInDocument") != "CREATION_TIME":
        gold.append(GoldTimex(Span(start, pos[0], ""), el.get("type", ""), el.get("value", ""), el.get("tid", "")))


def _dct(root: ET.Element) -> Optional[date]:
    """The creation time: the DCT element's TIMEX3, else any TIMEX3 marked CREATION_TIME."""
    candidates = root.findall("DCT/TIMEX3") + [
        t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"
    ]
    for timex in candidates:
        value = timex.get("value", "")
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            continue
    return None


def canonical_value(value: Optional[str]) -> Optional[str]:
    """One spelling per value: a decade "197" or "197X" -> "197X", a century "19" -> "19XX"."""
    if value is None:
        return None
    value = value.strip()
    if len(value) == 3 and value.isdigit():
        return value + "X"
    if len(value) == 2 and value.isdigit():
        return value + "XX"
    return value


def match(pred: list[Span], gold: list[Span]) -> list[tuple[int, int]]:
    """Pairs (pred index, gold index) of overlapping spans, each side used at most once.

    Greedy by overlap size, so a prediction that covers two gold expressions
    pairs with the one it shares most characters with.
    """
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if p.overlaps(g):
                overlap = min(p.end, g.end) - max(p.start, g.start)
                pairs.append((overlap, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def score_document(
    pred: list[Time], gold: list[GoldTimex], types: Optional[Iterable[str]] = None
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(timex tp, n_pred, n_gold), (value tp, n_pred, n_gold) for one document.

    With ``types``, only gold of those types is scored, and predictions that
    pair with gold of other types are left out (they are neither right nor
    wrong for this subset).
    """
    pairs = match([t.span for t in pred], [g.span for g in gold])
    if types is not None:
        keep = set(types)
        paired_other = {i for i, j in pairs if gold[j].type not in keep}
        pairs = [(i, j) for i, j in pairs if gold[j].type in keep]
        n_pred = len(pred) - len(paired_other)
        n_gold = sum(1 for g in gold if g.type in keep)
    else:
        n_pred, n_gold = len(pred), len(gold)
    value_tp = sum(
        1 for i, j in pairs if canonical_value(pred[i].value) == canonical_value(gold[j].value)
    )
    return (len(pairs), n_pred, n_gold), (value_tp, n_pred, n_gold)


def evaluate_tempeval(
    path: Path,
    *,
    progress: Optional[Callable[[int, int], None]] = None,
    limit: Optional[int] = None,
    batch_size: int = 16,
    details: Optional[list] = None,
) -> dict:
    """Score ``find_times`` (with spaCy DATE/TIME entities) on the TimeML files under ``path``.

    ``progress(done, total)`` is called after each document; ``limit`` scores
    only the first N files (for quick checks); ``details``, when a list, gets
    one ``(doc_id, text, dct, gold, predicted)`` tuple per document for error
    analysis.
    """
    from counterclaim.nlp.pipeline import get_nlp
    from counterclaim.nlp.times import find_times

    files = tml_files(path)
    if limit is not None:
        files = files[:limit]
    docs = [read_timeml(f) for f in files]
    nlp = get_nlp()
    counts = {name: PRF() for name in ("timex", "value", "timex_date_time", "value_date_time")}
    words = 0
    started = time.perf_counter()
    texts = (text for _, text, _, _ in docs)
    for n, ((doc_id, text, dct, gold), doc) in enumerate(
        zip(docs, nlp.pipe(texts, batch_size=batch_size)), start=1
    ):
        words += sum(1 for tok in doc if not tok.is_space and not tok.is_punct)
        entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in CALENDAR_TYPES]
        predicted = find_times(text, dct, entities)
        (t_all, v_all) = score_document(predicted, gold)
        (t_dt, v_dt) = score_document(predicted, gold, CALENDAR_TYPES)
        counts["timex"].add(*t_all)
        counts["value"].add(*v_all)
        counts["timex_date_time"].add(*t_dt)
        counts["value_date_time"].add(*v_dt)
        if details is not None:
            details.append((doc_id, text, dct, gold, predicted))
        if progress is not None:
            progress(n, len(docs))
    elapsed = time.perf_counter() - started
    metrics: dict[str, Any] = {name: c.as_dict() for name, c in counts.items()}
    metrics["words_per_s"] = round(words / elapsed, 1) if elapsed else 0.0
    metrics["seconds"] = round(elapsed, 2)
    return {
        "dataset": "tempeval",
        "n_docs": len(docs),
        "match": "relaxed (overlap); value = overlap and equal normalised value",
        "metrics": metrics,
    }
