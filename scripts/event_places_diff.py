"""Where event places and dates go wrong: each gold event beside the prediction that tells it.

    python scripts/event_places_diff.py /path/to/gold-folders [--all]
    python scripts/event_places_diff.py --crossdoc /path/to/fakes-crossdoc-dev [--all]

For every gold event with a ``location`` or ``date``, the prediction that tells it
(the strict match where there is one, else the one whose evidence overlaps the
gold anchor, as ``counterclaim eval gold`` aligns them for ``event_fields``) is
printed with its place, date and reason, beside the gold, under a class:

- ``ok``: place and date right
- ``no-prediction``: no prediction tells the gold event
- ``place:country``: the prediction stopped at a country where the gold names a town
- ``place:dateline``: the prediction took the dateline (the article's place)
- ``place:told-before``: the prediction took the place of an earlier event
- ``place:other``: another named place (a coarser one, a reference point, a
  neighbourhood resolved elsewhere)
- ``date:published``: the prediction took the publication date where the gold dates it
- ``date:relative``: a "yesterday" / weekday / "overnight" read against the wrong day
- ``date:other``

Only the place and date; the sub-type is shown, not judged.  ``--all`` prints the
right ones too.  With ``--crossdoc`` the folder is a cross-document gold
(``articles.jsonl`` + ``gold.json``): each report of each gold event is set beside
the article's extracted event whose evidence overlaps the report's anchor, its
place judged as ``eval crossdoc`` judges a cluster's (``place_agreement.agrees``)
and its date on the gold day.  Reads the gold and the articles; writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from counterclaim.eval.gold import _event_ok, _event_place_ok, _evidence_overlaps, iter_cases
from counterclaim.eval.scoring import locate, match_one_to_one
from counterclaim.nlp.extract import extract


def _classes(g: dict, e, gold_places: dict) -> list[str]:
    if e is None:
        return ["no-prediction"]
    out = []
    if g.get("location") and not _event_place_ok(g, e, gold_places):
        reason = e.reason or ""
        if e.place is None:
            out.append("place:none")
        elif e.place.kind == "country":
            out.append("place:country")
        elif "dateline" in reason or e.place.precision == "dateline":
            out.append("place:dateline")
        elif "event told before" in reason:
            out.append("place:told-before")
        else:
            out.append("place:other")
    if g.get("date") and not (e.date and e.date[: len(g["date"])] == g["date"]):
        if e.date_source == "published":
            out.append("date:published")
        elif e.date_source == "context":
            out.append("date:told-before")
        else:
            out.append("date:other")
    return out or ["ok"]


def crossdoc(root: Path, show_all: bool) -> dict[str, int]:
    import json

    from counterclaim.eval.place_agreement import agrees, read_location
    from counterclaim.ingest import read_inputs
    from counterclaim.records import Article

    lines = [json.loads(line) for line in (root / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    read = [a for a in read_inputs([root / "articles.jsonl"]) if isinstance(a, Article)]
    articles = {str(obj["id"]): a for obj, a in zip(lines, read)}
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    cache: dict = {}
    counts: dict[str, int] = {}
    for g in gold["events"]:
        location = read_location(g.get("location") or "")
        for r in g["reports"]:
            article = articles[str(r["article"])]
            if article.id not in cache:
                cache[article.id] = extract(article)
            ex = cache[article.id]
            anchor = locate(article.text, r["anchor"]) if r.get("anchor") else None
            told = [e for e in ex.events if _evidence_overlaps(anchor, e)]
            e = next((e for e in told if e.sub_type == g.get("sub_type")), told[0] if told else None)
            classes = []
            if e is None:
                classes = ["no-prediction"]
            else:
                p = e.place
                if not agrees(location, p.name if p else None, p.lat if p else None, p.lon if p else None,
                              p.admin1 if p else None, p.country if p else None).ok:
                    classes.append("place:none" if p is None else "place:country" if p.kind == "country"
                                   else "place:dateline" if p.precision == "dateline" else "place:other")
                if g.get("date") and (e.date or "")[:10] != g["date"][:10]:
                    classes.append("date:" + (e.date_source or "none"))
            classes = classes or ["ok"]
            for c in classes:
                counts[c] = counts.get(c, 0) + 1
            if classes == ["ok"] and not show_all:
                continue
            print(f"== {g['id']} {r['article']} [{', '.join(classes)}] {g.get('sub_type')}")
            print(f"   gold: place={g.get('location')!r} date={g.get('date')} ({g.get('date_note', '')})")
            if e is not None:
                where = f"{e.place.span.text!r}->{e.place.name} ({e.place.kind}, {e.place.admin1})" if e.place else None
                print(f"   pred: place={where} date={e.date} ({e.date_source}) {e.sub_type}")
                print(f"   why:  {e.reason}")
            print(f"   text: {r.get('anchor')}")
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--all", action="store_true", help="print the right ones too")
    ap.add_argument("--crossdoc", action="store_true", help="root is a cross-document gold folder")
    args = ap.parse_args(argv)
    if args.crossdoc:
        counts = crossdoc(args.root, args.all)
        print("\n" + "  ".join(f"{k}={v}" for k, v in sorted(counts.items())))
        return 0
    counts: dict[str, int] = {}
    for article, gold in iter_cases(args.root):
        ex = extract(article)
        text = article.text
        gold_places = gold.get("places", {})
        golds = gold.get("events", [])
        pairs = match_one_to_one(golds, ex.events, lambda g, e, gp=gold_places: _event_ok(g, e, gp))
        anchors = [locate(text, g["anchor"]) if g.get("anchor") else None for g in golds]
        used = {j for _, j in pairs}
        rest = [i for i in range(len(golds)) if i not in {i for i, _ in pairs}]
        free = [j for j in range(len(ex.events)) if j not in used]
        loose = match_one_to_one(rest, [ex.events[j] for j in free],
                                 lambda i, e, a=anchors: _evidence_overlaps(a[i], e))
        aligned = dict(pairs + [(rest[a], free[b]) for a, b in loose])
        for i, g in enumerate(golds):
            e = ex.events[aligned[i]] if i in aligned else None
            classes = _classes(g, e, gold_places)
            for c in classes:
                counts[c] = counts.get(c, 0) + 1
            if classes == ["ok"] and not args.all:
                continue
            strict = "matched" if i in dict(pairs) else "unmatched"
            print(f"== {article.id} {g['id']} [{', '.join(classes)}] {g.get('sub_type')} ({strict})")
            print(f"   gold: place={g.get('location')!r} date={g.get('date')} ({g.get('date_precision')})")
            if e is not None:
                where = f"{e.place.span.text!r}->{e.place.name} ({e.place.kind})" if e.place else None
                print(f"   pred: place={where} date={e.date} ({e.date_precision}, {e.date_source}) {e.sub_type}")
                print(f"   why:  {e.reason}")
            if anchors[i] is not None:
                a, b = anchors[i]
                dot = text.rfind(". ", 0, a)
                start = max(dot + 2 if dot >= 0 else 0, a - 250)
                end = text.find(". ", b)
                end = b + 150 if end < 0 else min(end + 1, b + 250)
                print("   text: " + " ".join(text[start:end].split()))
    print("\n" + "  ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
