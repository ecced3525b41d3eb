"""``counterclaim eval polnear DIR``: claim attribution against PolNeAR, side by side with textacy.

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates every attribution in
political news as a Source / Cue / Content triple, in BRAT standoff::

    DIR/text/<article>.txt
    DIR/attributions/<article>_<annotator>.ann

``T`` lines are spans (``T3<TAB>Content 115 290;300 320<TAB>text``: character
offsets into the .txt, several ``start end`` fragments for a discontinuous span;
BRAT also cuts a span at every line break, so a multi-paragraph quote is one
span of several fragments); ``E`` lines tie one attribution together
(``Attribution:T4 Content:T3 Cue:T2 Source:T1``; the Source is absent for an
``Attribution-no-source``; a few events add a ``Content2``).  ``Discuss`` and
``Discard`` spans are annotator notes and are ignored.  When an article has
several .ann files (one per annotator), the first by sorted name is the gold.

Metrics (issue 3), each a maximum one-to-one matching within a document,
summed over the documents:

- ``source``, ``cue``: span P/R/F1, a match is any character overlap;
- ``content``: span P/R/F1, a match is an overlap covering at least half of
  the shorter span (fragments count by their characters);
- ``attribution``: a predicted attribution is right when its content matches a
  gold content and, where gold has them, its source and its cue overlap gold's.

Identical spans are counted once in the span metrics (two attributions that
share the source "Trump" hold one source span), on both sides.

Predictions are ``find_claims`` on the spaCy parse (not the whole extraction);
``baseline`` is textacy's ``direct_quotations`` on the same parsed documents.
``words_per_s`` times the parse and each attribution step separately, and
``attribution_overhead`` is the attribution time over the parse time.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional, Sequence

from .scoring import PRF, match_one_to_one, overlaps

DATASET = "polnear-dev"
SPAN_TYPES = ("Source", "Cue", "Content", "Attribution", "Attribution-no-source")
ROLE_NAMES = {"Source": "source", "Cue": "cue", "Content": "content", "Content2": "content"}
METRICS = ("source", "cue", "content", "attribution")
CONTENT_MIN_OVERLAP = 0.5  # of the shorter span

Frags = tuple[tuple[int, int], ...]


# -- reading BRAT standoff -------------------------------------------------------


@dataclass(frozen=True)
class BratSpan:
    """One ``T`` line: its type, its fragments (sorted) and the text the .ann gives."""

    id: str
    type: str
    fragments: Frags
    text: str
    written: Frags = ()  # the fragments in the order the .ann lists them (its text follows it)


@dataclass
class GoldAttribution:
    """One ``E`` line resolved to spans; ``source`` / ``cue`` are None when gold has none."""

    id: str
    kind: str  # "Attribution" or "Attribution-no-source"
    content: Frags
    cue: Optional[Frags] = None
    source: Optional[Frags] = None


@dataclass
class PolnearDoc:
    name: str
    text: str
    ann_path: Path
    attributions: list[GoldAttribution] = field(default_factory=list)
    offset_mismatches: int = 0  # T lines whose text is not text[start:end]


@dataclass
class PredAttribution:
    """A system's attribution as character fragments (same shape as gold)."""

    content: Frags
    cue: Optional[Frags] = None
    source: Optional[Frags] = None


def parse_fragments(offsets: str) -> Frags:
    """``"25 30;10 20"`` -> ((25, 30), (10, 20)), in the order written (annotators
    sometimes list a later fragment first; the span's text follows that order)."""
    frags = []
    for part in offsets.split(";"):
        bits = part.split()
        if len(bits) != 2:
            raise ValueError(f"bad BRAT offsets {offsets!r}")
        start, end = int(bits[0]), int(bits[1])
        if end < start:
            raise ValueError(f"bad BRAT offsets {offsets!r}")
        frags.append((start, end))
    return tuple(frags)


def read_ann(path: Path) -> tuple[dict[str, BratSpan], list[tuple[str, list[tuple[str, str]]]]]:
    """The ``T`` spans by id and the ``E`` lines as (id, [(role, T id), ...]) of one .ann file.

    Other lines (relations, notes, attributes) are skipped; so are spans of
    other types (Discuss, Discard).
    """
    spans: dict[str, BratSpan] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        if line[0] == "T":
            parts = line.split("\t", 2)
            if len(parts) < 2:
                raise ValueError(f"{path}:{n}: malformed T line")
            kind, _, offsets = parts[1].partition(" ")
            if kind not in SPAN_TYPES:
                continue
            try:
                frags = parse_fragments(offsets)
            except ValueError as exc:
                raise ValueError(f"{path}:{n}: {exc}") from None
            spans[parts[0]] = BratSpan(parts[0], kind, tuple(sorted(frags)), parts[2] if len(parts) > 2 else "", frags)
        elif line[0] == "E":
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            args = []
            for arg in parts[1].split():
                role, _, ref = arg.partition(":")
                if ref:
                    args.append((role, ref))
            events.append((parts[0], args))
    return spans, events


def gold_attributions(spans: dict[str, BratSpan], events) -> list[GoldAttribution]:
    """Events with a content, in text order. The ``Attribution`` trigger (a copy of the
    cue) is not scored; ``Content2`` joins the content as more fragments."""
    out = []
    for eid, args in events:
        kind = args[0][0] if args else "Attribution"
        roles: dict[str, list[tuple[int, int]]] = {}
        for role, ref in args:
            name = ROLE_NAMES.get(role)
            span = spans.get(ref)
            if name is None or span is None:
                continue
            roles.setdefault(name, []).extend(span.fragments)
        if not roles.get("content"):
            continue  # a dangling event (one in the dev set has only its trigger)
        out.append(GoldAttribution(
            id=eid,
            kind=kind,
            content=tuple(sorted(set(roles["content"]))),
            cue=tuple(sorted(set(roles["cue"]))) if roles.get("cue") else None,
            source=tuple(sorted(set(roles["source"]))) if roles.get("source") else None,
        ))
    out.sort(key=lambda a: (a.content[0][0], a.id))
    return out


def check_offsets(text: str, spans: Iterable[BratSpan]) -> int:
    """How many spans' text is not what their offsets cut from ``text``.

    BRAT writes a discontinuous span's text as its fragments joined by a space;
    a comparison with whitespace folded tolerates editors that changed it.
    """
    bad = 0
    for span in spans:
        cut = " ".join(text[s:e] for s, e in (span.written or span.fragments))
        if cut != span.text and " ".join(cut.split()) != " ".join(span.text.split()):
            bad += 1
    return bad


def polnear_files(root: Path) -> list[tuple[str, Path, Path]]:
    """(article name, .txt, .ann) for each article, the first .ann by sorted name."""
    root = Path(root)
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"{root}: expected PolNeAR folders text/ and attributions/")
    texts = {p.stem: p for p in text_dir.glob("*.txt")}
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        name = _article_name(ann.stem, texts)
        if name is not None and name not in chosen:
            chosen[name] = ann
    if not chosen:
        raise FileNotFoundError(f"{root}: no .ann file matches a text/*.txt article")
    return [(name, texts[name], chosen[name]) for name in sorted(chosen)]


def _article_name(stem: str, texts: dict[str, Path]) -> Optional[str]:
    """``<article>_<annotator>`` -> ``<article>`` (or the stem itself when it names a text)."""
    if stem in texts:
        return stem
    base, sep, _ = stem.rpartition("_")
    return base if sep and base in texts else None


def read_polnear_doc(name: str, txt: Path, ann: Path) -> PolnearDoc:
    # newline="" keeps the characters exactly as stored: BRAT offsets count every one.
    with open(txt, encoding="utf-8", newline="") as fh:
        text = fh.read()
    if text.startswith("\ufeff"):
        raise ValueError(f"{txt}: starts with a byte-order mark; BRAT offsets would be off by one")
    spans, events = read_ann(ann)
    return PolnearDoc(
        name=name, text=text, ann_path=ann,
        attributions=gold_attributions(spans, events),
        offset_mismatches=check_offsets(text, spans.values()),
    )


def read_polnear(root: Path, limit: Optional[int] = None) -> list[PolnearDoc]:
    files = polnear_files(root)
    if limit is not None:
        files = files[:limit]
    return [read_polnear_doc(*f) for f in files]


# -- matching -------------------------------------------------------------------------


def frag_length(a: Frags) -> int:
    return sum(e - s for s, e in a)


def frag_overlap(a: Frags, b: Frags) -> int:
    """Characters two fragment lists share."""
    return sum(max(0, min(ae, be) - max(as_, bs)) for as_, ae in a for bs, be in b)


def any_overlap(a: Optional[Frags], b: Optional[Frags]) -> bool:
    if not a or not b:
        return False
    return any(overlaps(x, y) for x in a for y in b)


def content_match(a: Optional[Frags], b: Optional[Frags]) -> bool:
    """The overlap covers at least half of the shorter span."""
    if not a or not b:
        return False
    shared = frag_overlap(a, b)
    shorter = min(frag_length(a), frag_length(b))
    return shared > 0 and shared >= CONTENT_MIN_OVERLAP * shorter


def content_score(a: Frags, b: Frags) -> float:
    """Dice overlap: which of several matching partners fits best."""
    total = frag_length(a) + frag_length(b)
    return 2 * frag_overlap(a, b) / total if total else 0.0


def attribution_match(gold: GoldAttribution | PredAttribution, pred: PredAttribution) -> bool:
    if not content_match(gold.content, pred.content):
        return False
    if gold.source is not None and not any_overlap(gold.source, pred.source):
        return False
    if gold.cue is not None and not any_overlap(gold.cue, pred.cue):
        return False
    return True


def _distinct(spans: Iterable[Optional[Frags]]) -> list[Frags]:
    return sorted({s for s in spans if s})


def score_document(gold: Sequence[GoldAttribution], pred: Sequence[PredAttribution]) -> dict[str, tuple[int, int, int]]:
    """(true positives, predicted, gold) per metric for one document."""
    out: dict[str, tuple[int, int, int]] = {}
    for role in ("source", "cue"):
        g = _distinct(getattr(a, role) for a in gold)
        p = _distinct(getattr(a, role) for a in pred)
        pairs = match_one_to_one(g, p, any_overlap, score=content_score)
        out[role] = (len(pairs), len(p), len(g))
    g = _distinct(a.content for a in gold)
    p = _distinct(a.content for a in pred)
    out["content"] = (len(match_one_to_one(g, p, content_match, score=content_score)), len(p), len(g))
    pairs = match_attributions(gold, pred)
    out["attribution"] = (len(pairs), len(pred), len(gold))
    return out


def match_attributions(gold: Sequence[GoldAttribution], pred: Sequence[PredAttribution]) -> list[tuple[int, int]]:
    """(gold index, predicted index) of the attributions that match, one to one."""
    return match_one_to_one(gold, pred, attribution_match, score=lambda g, p: content_score(g.content, p.content))


# -- predictions --------------------------------------------------------------------


def _frags(span) -> Optional[Frags]:
    if span is None or span.end <= span.start:
        return None
    return ((span.start, span.end),)


def counterclaim_attributions(doc, article_id: str) -> list[PredAttribution]:
    """``find_claims`` as attributions: content span, cue span, the speaker's mention."""
    from ..nlp.claims import find_claims
    from ..nlp.speakers import SpeakerResolver

    claims, _ = find_claims(doc, article_id, SpeakerResolver(None), statements=False)  # PolNeAR annotates intentions
    # PolNeAR annotates only the outermost attribution ("said he thought that X" is one);
    # counterclaim keeps nested claims (a denial's target), so they are left out here.
    claims = [c for c in claims if c.cue is None or not any(
        d is not c and d.span.start <= c.cue.start and c.cue.end <= d.span.end for d in claims)]
    # One PolNeAR attribution may hold several content fragments ('"A," she said. "B."');
    # counterclaim keeps each quote a claim of its own under the same cue: they join here.
    by_cue: dict[object, list] = {}
    for c in claims:
        if c.span.end > c.span.start:
            by_cue.setdefault((c.cue.start, c.cue.end) if c.cue is not None else id(c), []).append(c)
    return [
        PredAttribution(
            content=tuple(sorted((c.span.start, c.span.end) for c in group)),
            cue=_frags(group[0].cue),
            source=_frags(group[0].speaker.span) if group[0].speaker is not None else None,
        )
        for group in by_cue.values()
    ]


def _words(doc) -> int:
    return sum(1 for tok in doc if not tok.is_space and not tok.is_punct)


def _warm_up(nlp, systems: dict[str, Callable]) -> None:
    """Load lexicons and caches before the clock runs: a one-off start-up cost is not speed."""
    doc = nlp('Officials said on Monday that "the talks failed," according to state media.')
    for fn in systems.values():
        fn(doc, "warm-up")


def evaluate_polnear(
    path: Path,
    *,
    limit: Optional[int] = None,
    progress: Optional[Callable[[int, int], None]] = None,
    batch_size: int = 16,
    details: Optional[list] = None,
) -> dict:
    """Score counterclaim's attributions (and textacy's, as the baseline) on PolNeAR.

    ``limit`` scores the first N articles by name; ``progress(done, total)`` is
    called after each article is scored; ``details``, when a list, receives one
    ``(doc, {"counterclaim": preds, "textacy": preds})`` per article for error
    analysis.
    """
    from ..nlp.pipeline import get_nlp
    from .baseline_textacy import TextacyBaseline

    docs = read_polnear(Path(path), limit)
    nlp = get_nlp()
    baseline = TextacyBaseline()
    systems: dict[str, Callable] = {"counterclaim": counterclaim_attributions}
    if baseline.available:
        systems["textacy"] = baseline
    _warm_up(nlp, systems)

    # Parse a batch, then run the attribution steps on it, timing each alone: other jobs on
    # the machine then slow the parse and the attribution alike, and the ratio holds.
    counts = {name: {m: PRF() for m in METRICS} for name in systems}
    seconds = {name: 0.0 for name in ("parse", *systems)}
    cpu = {name: 0.0 for name in ("parse", *systems)}
    words = 0
    done = 0
    for first in range(0, len(docs), batch_size):
        batch = docs[first : first + batch_size]
        t0, c0 = time.perf_counter(), time.process_time()
        parsed = list(nlp.pipe((d.text for d in batch), batch_size=batch_size))
        seconds["parse"] += time.perf_counter() - t0
        cpu["parse"] += time.process_time() - c0
        for gold_doc, doc in zip(batch, parsed):
            words += _words(doc)
            preds = {}
            for name, fn in systems.items():
                t0, c0 = time.perf_counter(), time.process_time()
                preds[name] = fn(doc, gold_doc.name)
                seconds[name] += time.perf_counter() - t0
                cpu[name] += time.process_time() - c0
            for name, pred in preds.items():
                for metric, triple in score_document(gold_doc.attributions, pred).items():
                    counts[name][metric].add(*triple)
            if details is not None:
                details.append((gold_doc, preds))
            done += 1
            if progress is not None:
                progress(done, len(docs))
    parse_s, parse_cpu = seconds["parse"], cpu["parse"]

    def rate(s: float) -> float:
        return round(words / s, 1) if s > 0 else 0.0

    metrics: dict = {m: counts["counterclaim"][m].as_dict() for m in METRICS}
    if baseline.available:
        metrics["baseline"] = {m: counts["textacy"][m].as_dict() for m in METRICS}
        metrics["baseline"]["system"] = f"textacy {baseline.version} direct_quotations"
        metrics["baseline"]["docs_skipped"] = baseline.skipped  # unbalanced quote marks: textacy bails out
    else:
        metrics["baseline"] = {"system": "textacy", "error": baseline.error}
    metrics["words_per_s"] = {
        "parse": rate(parse_s),
        "counterclaim": rate(seconds["counterclaim"]),
        "textacy": rate(seconds["textacy"]) if "textacy" in seconds else None,
    }
    metrics["attribution_overhead"] = round(seconds["counterclaim"] / parse_s, 4) if parse_s > 0 else 0.0
    metrics["seconds"] = {name: round(s, 3) for name, s in seconds.items()}
    # CPU time of the process: the same ratio, less disturbed by other jobs on the machine.
    metrics["cpu_seconds"] = {name: round(s, 3) for name, s in cpu.items()}
    metrics["attribution_overhead_cpu"] = round(cpu["counterclaim"] / parse_cpu, 4) if parse_cpu > 0 else 0.0
    metrics["words"] = words
    return {
        "dataset": _dataset_name(Path(path)),
        "n_docs": len(docs),
        "match": "one-to-one; source/cue: any overlap; content: overlap >= half the shorter span; "
                 "attribution: content match + source and cue overlap where gold has them",
        "gold_offset_mismatches": sum(d.offset_mismatches for d in docs),
        "metrics": metrics,
    }


def _dataset_name(path: Path) -> str:
    name = path.resolve().name
    return name if re.match(r"(?i)polnear", name) else DATASET
