"""Gold vs predicted claims, claim by claim: speaker, party, act and relations.

    .venv/bin/python scripts/claims_diff.py DIR [--only party,act,speaker,relations,missed,extra] [--all]

DIR is a folder of ``article.txt`` + ``gold.json`` (or a tree of them, as
``counterclaim eval gold`` takes).  Claims are matched exactly as the scorer
matches them (``eval.gold``): a prediction overlapping the gold anchor, one to
one.  For each matched claim that is wrong in speaker, party or act, the
sentence is printed with gold and predicted values (``--all`` prints the right
ones too), so errors can be sorted into classes of phrasing.  Relations are
listed per article: each gold relation with whether it was found, and each
predicted link with the gold ids it maps to (``-`` where its end matched no
gold claim or event).  ``missed``: gold claims no prediction overlaps;
``extra``: predictions that overlap no gold claim.

A diagnostic for developers: it reads the evaluation data from where it lies
and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from counterclaim.eval.gold import (
    _accept_map,
    _event_ok,
    _overlap,
    _party_ok,
    _speaker_ok,
    gold_folders,
    load_case,
)
from counterclaim.eval.scoring import locate, match_one_to_one, overlaps
from counterclaim.nlp.extract import extract

KINDS = ("speaker", "party", "act", "relations", "missed", "extra")


def _sentence(text: str, start: int, end: int) -> str:
    """The line-ish context around a span, one line."""
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return " ".join(text[left:right].split())


def diff_case(folder: Path, kinds: set[str], show_all: bool, tally: Counter) -> None:
    article, gold = load_case(folder)
    ex = extract(article)
    text = ex.article.text
    accept = _accept_map(gold.get("parties", {}))
    golds = [g for g in gold.get("claims", []) if g.get("anchor")]
    anchors = [locate(text, g["anchor"]) for g in golds]
    pairs = match_one_to_one(
        list(range(len(golds))), ex.claims,
        lambda i, c: (a := anchors[i]) is not None and overlaps(a, (c.span.start, c.span.end)),
        lambda i, c: _overlap(anchors[i], (c.span.start, c.span.end)),
    )
    out: list[str] = []
    claim_map: dict[str, str] = {}
    for i, j in sorted(pairs):
        g, c = golds[i], ex.claims[j]
        claim_map[c.id] = g["id"]
        sp = c.speaker
        checks = {
            "speaker": None if not g.get("speaker") else _speaker_ok(g["speaker"], c, g.get("speaker_accept") or ()),
            "party": None if not g.get("party") else _party_ok(g["party"], sp.party if sp else None, accept),
            "act": None if not g.get("act") else c.act == g["act"],
        }
        for k, ok in checks.items():
            if ok is not None:
                tally[(k, ok)] += 1
        wrong = [k for k, ok in checks.items() if ok is False and k in kinds]
        if not wrong and not show_all:
            continue
        out.append(f"  {g['id']} [{', '.join(wrong) or 'ok'}] {_sentence(text, *anchors[i])!r}")
        out.append(f"     gold: speaker={g.get('speaker')!r} party={g.get('party')} act={g.get('act')}")
        out.append(f"     pred: speaker={sp.name if sp else None!r} party={sp.party if sp else None} "
                   f"act={c.act} ({c.act_reason}) party-reason={sp.reason if sp else None!r}")
        out.append(f"     pred span: {c.span.text[:140]!r}")
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    if "missed" in kinds:
        for i, g in enumerate(golds):
            if i not in matched_g:
                tally[("missed", True)] += 1
                where = _sentence(text, *anchors[i]) if anchors[i] else g["anchor"]
                out.append(f"  {g['id']} [missed] {where!r} (gold speaker={g.get('speaker')!r})")
    if "extra" in kinds:
        for j, c in enumerate(ex.claims):
            if j not in matched_p:
                tally[("extra", True)] += 1
                out.append(f"  [extra] {c.span.text[:120]!r} speaker={c.speaker.name if c.speaker else None!r}")
    if "relations" in kinds:
        gold_places = gold.get("places", {})
        gevents = gold.get("events", [])
        epairs = match_one_to_one(gevents, ex.events, lambda g, e: _event_ok(g, e, gold_places))
        ids = {**claim_map, **{ex.events[j].id: gevents[i]["id"] for i, j in epairs}}
        found = {(ids.get(link.source), link.type, ids.get(link.target)) for link in ex.links}
        back = {v: k for k, v in ids.items()}
        by_id = {**{c.id: c for c in ex.claims}, **{e.id: e for e in ex.events}}
        for r in gold.get("relations", []):
            key = (r["from"], r["type"], r["to"])
            hit = key in found
            tally[("relation", hit)] += 1
            out.append(f"  gold rel {r['from']} {r['type']} {r['to']}: {'FOUND' if hit else 'missed'}"
                       f"  ({r.get('note', '')[:90]})")
            if not hit:
                for end in (r["from"], r["to"]):
                    rec = by_id.get(back.get(end, ""))
                    out.append(f"       {end} -> {_describe(rec, ids)}")
        gold_rel = {(r["from"], r["type"], r["to"]) for r in gold.get("relations", [])}
        for link in ex.links:
            key = (ids.get(link.source), link.type, ids.get(link.target))
            if key not in gold_rel:
                out.append(f"  pred rel {key[0] or '-'} {link.type} {key[2] or '-'} (not gold): {link.reason}")
    if out:
        print(f"== {folder.name}")
        print("\n".join(out))


def _describe(rec, ids: dict[str, str]) -> str:
    """One line for a predicted claim or event a gold relation end maps to."""
    if rec is None:
        return "no prediction matched"
    if hasattr(rec, "sub_type"):
        claims = [ids.get(c, "-") for c in rec.claim_ids]
        return (f"event {rec.sub_type} at {rec.place.name if rec.place else None} {rec.date} "
                f"actor1={rec.actor1.party if rec.actor1 else None} claims={claims} status={rec.status}")
    sp = rec.speaker
    return (f"claim by {sp.name if sp else None!r} ({sp.party if sp else None}) act={rec.act} "
            f"events={[ids.get(e, '-') for e in rec.event_ids]} q={[(q.low, q.what) for q in rec.quantities]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path)
    ap.add_argument("--only", default=",".join(KINDS), help="comma-separated: " + ",".join(KINDS))
    ap.add_argument("--all", action="store_true", help="print right claims too")
    args = ap.parse_args(argv)
    kinds = {k.strip() for k in args.only.split(",") if k.strip()}
    tally: Counter = Counter()
    for folder in gold_folders(args.root):
        diff_case(folder, kinds, args.all, tally)
    print("== tally")
    for k in ("speaker", "party", "act", "relation"):
        right, wrong = tally[(k, True)], tally[(k, False)]
        if right + wrong:
            print(f"  {k}: {right}/{right + wrong} right")
    for k in ("missed", "extra"):
        if tally[(k, True)]:
            print(f"  {k}: {tally[(k, True)]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
