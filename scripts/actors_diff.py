"""Where event actors go wrong: gold actor1/actor2 against the prediction, per event.

Usage: python scripts/actors_diff.py GOLD_DIR [--all]

For every gold event that a prediction tells (the strict match of ``eval gold``, or
the prediction whose evidence overlaps the gold anchor, as ``event_fields`` aligns
them) it prints the gold codes, the predicted actors (name, party, reason) and the
gold anchor, marking each wrong actor with a class of error:

- ``missing``: the gold names a party, the prediction none (or ``unknown``);
- ``target-as-actor``: the predicted actor1 is the gold actor2 (or vice versa);
- ``civilians``: the gold says civilians, the prediction another party;
- ``state-vs-opposition``: one side is a state code and the other is not;
- ``other``: any other party.

``--all`` prints right actors too.  The counts per class and subset end the report.
It reads the gold only to print and count; nothing it prints belongs in the repository.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from counterclaim.eval.gold import (
    _accept_map,
    _event_ok,
    _evidence_overlaps,
    _party_ok,
    _subset_of,
    gold_folders,
    load_case,
)
from counterclaim.eval.scoring import locate, match_one_to_one
from counterclaim.nlp.extract import extract


def _is_state(code: str | None) -> bool:
    return bool(code) and len(code or "") == 3 and (code or "").isupper() and code not in ("REB", "OPP")


def classify(gold: str, pred, other_gold: str | None) -> str:
    party = pred.party if pred is not None else None
    if party in (None, "", "unknown"):
        return "missing"
    if other_gold and party == other_gold:
        return "target-as-actor"
    if gold == "civilians" or party == "civilians":
        return "civilians"
    if _is_state(gold) != _is_state(party):
        return "state-vs-opposition"
    return "other"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--all", action="store_true", help="print right actors too")
    args = ap.parse_args()
    counts: Counter = Counter()
    totals: Counter = Counter()
    for folder in gold_folders(args.root):
        article, gold = load_case(folder)
        ex = extract(article)
        text = ex.article.text
        accept = _accept_map(gold.get("parties", {}))
        places = gold.get("places", {})
        golds = gold.get("events", [])
        pairs = match_one_to_one(golds, ex.events, lambda g, e, places=places: _event_ok(g, e, places))
        anchors = [locate(text, g["anchor"]) if g.get("anchor") else None for g in golds]
        matched = {i for i, _ in pairs}
        used = {j for _, j in pairs}
        rest = [i for i in range(len(golds)) if i not in matched]
        free = [j for j in range(len(ex.events)) if j not in used]
        loose = match_one_to_one(rest, [ex.events[j] for j in free],
                                 lambda i, e, anchors=anchors: _evidence_overlaps(anchors[i], e))
        aligned = [(i, j, True) for i, j in pairs] + [(rest[a], free[b], False) for a, b in loose]
        subset = _subset_of(args.root, folder) or folder.name
        for i, j, strict in sorted(aligned):
            g, e = golds[i], ex.events[j]
            lines = []
            for key, other in (("actor1", "actor2"), ("actor2", "actor1")):
                if not g.get(key):
                    continue
                pred = getattr(e, key)
                ok = _party_ok(g[key], pred.party if pred else None, accept)
                totals[(subset, key, strict, ok)] += 1
                if ok and not args.all:
                    continue
                cls = "ok" if ok else classify(g[key], pred, g.get(other))
                if not ok:
                    counts[(subset, cls)] += 1
                desc = (f"{pred.party} '{pred.name}' ({pred.reason})" if pred is not None else "None")
                lines.append(f"    {key}: gold {g[key]:<10} pred {desc}  [{cls}]")
            if lines:
                print(f"{subset}/{folder.name} {g.get('id')} {g.get('sub_type')} "
                      f"{'STRICT' if strict else 'loose'} pred-sub={e.sub_type}")
                print(f"    anchor: {g.get('anchor')!r}")
                print(f"    pred sentence: {e.span.text[:300]!r}")
                print("\n".join(lines))
    print("\n== wrong actors by class ==")
    for (subset, cls), n in sorted(counts.items()):
        print(f"{subset:<12} {cls:<22} {n}")
    print("\n== right / scored (strict = counted in event_actors) ==")
    for subset in sorted({k[0] for k in totals}):
        for key in ("actor1", "actor2"):
            for strict in (True, False):
                ok = totals[(subset, key, strict, True)]
                n = ok + totals[(subset, key, strict, False)]
                if n:
                    print(f"{subset:<12} {key} {'strict' if strict else 'loose '} {ok}/{n}")


if __name__ == "__main__":
    main()
