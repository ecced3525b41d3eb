"""Gold events against predicted events on a folder of gold.json articles, article by article.

    python scripts/events_diff.py [DIR] [--only SUBSET] [--dropped]

``counterclaim eval gold DIR --json`` gives the figures; this prints why they are what
they are, to sort event-detection failures into classes of phrasing before writing a
rule.  For each article, each gold event is one of

- ``OK``      matched strictly (sub-type, place, date right at once);
- ``FIELD``   told by a prediction whose evidence overlaps its anchor, but a field is
              wrong (which ones are listed: sub_type / place / date);
- ``MISSED``  no prediction tells it (with the dropped candidates whose sentence
              overlaps its anchor, and why they were dropped);

and each predicted event left over is ``DUP`` (it tells a gold event another
prediction already stands for) or ``SPURIOUS`` (it tells none), with its sentence.
The same one-to-one matching as the scorer (``eval.gold``).  Totals by class close
the report.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or REPO.parent / "shared")
DEFAULT_DIR = SHARED / "eval" / "records-dev"


def _short(text: str, n: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def _pred(e) -> str:
    place = e.place.name if e.place else "-"
    trig = e.trigger.text if e.trigger else "?"
    a1 = e.actor1.party if e.actor1 else "-"
    a2 = e.actor2.party if e.actor2 else "-"
    return f"{e.sub_type} | {place} | {e.date} | {a1}>{a2} | trig '{trig}' | {_short(e.span.text, 100)}"


def main(argv=None) -> int:
    from counterclaim.eval.gold import _event_ok, _event_place_ok, _evidence_overlaps, gold_folders, load_case
    from counterclaim.eval.scoring import locate, match_one_to_one
    from counterclaim.nlp import extract as extract_module
    from counterclaim.nlp.events import _triggers
    from counterclaim.nlp.extract import extract

    seen: list = []  # the triggers of the last article parsed (its doc is parsed in restored case)
    find_events = extract_module.find_events

    def spy(doc, *args, **kwargs):
        seen[:] = [_triggers(doc)]
        return find_events(doc, *args, **kwargs)

    extract_module.find_events = spy  # type: ignore[assignment]

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", default=str(DEFAULT_DIR))
    ap.add_argument("--only", help="a sub-folder (subset) name")
    ap.add_argument("--dropped", action="store_true", help="list every dropped candidate too")
    args = ap.parse_args(argv)
    root = Path(args.dir)
    classes: Counter = Counter()
    for folder in gold_folders(root):
        if args.only and args.only not in folder.relative_to(root).parts:
            continue
        article, gold = load_case(folder)
        ex = extract(article)
        triggers = seen.pop() if seen else []
        text = ex.article.text
        places = gold.get("places", {})
        golds = gold.get("events", [])
        preds = ex.events
        pairs = match_one_to_one(golds, preds, lambda g, e, places=places: _event_ok(g, e, places))
        anchors = [locate(text, g["anchor"]) if g.get("anchor") else None for g in golds]
        matched = {i for i, _ in pairs}
        used = {j for _, j in pairs}
        rest = [i for i in range(len(golds)) if i not in matched]
        free = [j for j in range(len(preds)) if j not in used]
        loose = match_one_to_one(rest, [preds[j] for j in free], lambda i, e, anchors=anchors: _evidence_overlaps(anchors[i], e))
        aligned = dict(pairs + [(rest[a], free[b]) for a, b in loose])
        print(f"\n=== {folder.relative_to(root)}  gold {len(golds)}  predicted {len(preds)}  "
              f"matched {len(pairs)}")
        for i, g in enumerate(golds):
            head = f"{g.get('sub_type')} | {g.get('location')} | {g.get('date')} | {g.get('actor1')}>{g.get('actor2')}"
            if i in matched:
                cls = "OK"
                print(f"  OK      G {head}")
                print(f"            P {_pred(preds[aligned[i]])}")
            elif i in aligned:
                e = preds[aligned[i]]
                wrong = [name for name, ok in (
                    ("sub_type", not g.get("sub_type") or g["sub_type"] == e.sub_type),
                    ("place", not g.get("location") or _event_place_ok(g, e, places)),
                    ("date", not g.get("date") or (e.date or "")[: len(g["date"])] == g["date"])) if not ok]
                cls = "FIELD:" + "+".join(wrong)
                print(f"  FIELD   G {head}  wrong: {', '.join(wrong)}")
                print(f"            anchor: {_short(g.get('anchor') or '')}")
                print(f"            P {_pred(e)}")
            else:
                cls = "MISSED"
                print(f"  MISSED  G {head}")
                print(f"            anchor: {_short(g.get('anchor') or '')}")
                span = anchors[i]
                for e in preds:
                    if _evidence_overlaps(span, e):
                        print(f"            merged into P {_pred(e)}")
                if span and not any(span[0] <= t.tokens[0].idx < span[1] for t in triggers):
                    print("            no trigger inside the anchor")
                for d in ex.dropped:
                    if d.kind == "event" and span and d.span.start < span[1] and span[0] < d.span.end:
                        print(f"            dropped '{d.trigger.text if d.trigger else '?'}': {_short(d.reason, 120)}")
            classes[cls] += 1
        told = set(aligned)
        for j, e in enumerate(preds):
            if j in used or j in aligned.values():
                continue
            if any(_event_ok(golds[i], e, places) or _evidence_overlaps(anchors[i], e) for i in told):
                cls = "DUP"
            else:
                cls = "SPURIOUS"
            classes[cls] += 1
            print(f"  {cls:8s}P {_pred(e)}")
        if args.dropped:
            for d in ex.dropped:
                if d.kind == "event":
                    print(f"  dropped '{d.trigger.text if d.trigger else '?'}': {_short(d.reason, 80)} | "
                          f"{_short(d.span.text, 90)}")
    print("\n-- totals by class")
    for cls, n in sorted(classes.items()):
        print(f"  {cls:24s}{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
