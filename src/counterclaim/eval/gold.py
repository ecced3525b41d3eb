"""``counterclaim eval gold DIR``: score extraction against hand-made gold.json files.

DIR holds one or more folders of ``article.txt`` + ``gold.json`` (schema and
matching rules: shared/eval/README.md).  Each gold item is matched to at most
one prediction and each prediction to at most one gold item (a maximum
one-to-one matching, not a greedy one).  Quantity precision counts the
numbers of the predicted claims that matched a gold claim: numbers in claims
the gold does not list are not judged.

Besides the headline figures, the report says *where* records go wrong:

- ``subsets``: the same metrics per sub-folder of DIR (``records-dev`` has one
  per kind of news), so a rule that helps one kind and hurts another shows.
- ``event_fields``: the accuracy of each field of an event, over the gold events
  that a prediction tells (its evidence overlaps the gold anchor, or it matches
  outright). Strict event matching needs sub-type, place and date right at once;
  these say which of them, and the actors and toll, are wrong.
- ``events_duplicate``: the share of predicted events that are another row for
  a gold event already matched (the lead, the details and the toll update of
  one strike told as three events).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Iterator, Optional

from ..ingest import read_inputs
from ..nlp.gazetteer import Coordinates, km_apart
from ..records import Article, Claim, Event, Extraction, Place
from .scoring import PRF, Accuracy, fold, locate, match_one_to_one, overlaps

CITY_KM = 25.0
REGION_KM = 100.0


def gold_folders(root: Path) -> list[Path]:
    if (root / "gold.json").is_file():
        return [root]
    return sorted(p.parent for p in root.rglob("gold.json") if (p.parent / "article.txt").is_file())


def load_case(folder: Path) -> tuple[Article, dict]:
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    doc_name = gold.get("document") or "article.txt"
    published = gold.get("published")
    article = next(
        (a for a in read_inputs([folder / doc_name], published=published) if isinstance(a, Article)),
        None,
    )
    if article is None:
        raise ValueError(f"{folder / doc_name}: could not be read as an article")
    if article.published is None and published:
        article.published = date.fromisoformat(published)
    return article, gold


def evaluate_gold(root: Path, extract_fn=None, progress=None) -> dict:
    from ..nlp.extract import extract

    extract_fn = extract_fn or extract
    folders = gold_folders(root)
    if not folders:
        raise FileNotFoundError(f"{root}: no folder with article.txt and gold.json")
    acc = _Accumulator()
    by_subset: dict[str, _Accumulator] = {}
    for folder in folders:
        article, gold = load_case(folder)
        extraction = extract_fn(article)
        acc.add(extraction, gold)
        subset = _subset_of(root, folder)
        if subset is not None:
            by_subset.setdefault(subset, _Accumulator()).add(extraction, gold)
        if progress:
            progress(folder.name)
    metrics = acc.metrics()
    if len(by_subset) > 1:
        metrics["subsets"] = {name: {"n_docs": sub.docs, **sub.metrics()} for name, sub in sorted(by_subset.items())}
    return {"dataset": root.name, "n_docs": len(folders), "metrics": metrics}


def _subset_of(root: Path, folder: Path) -> Optional[str]:
    """The first sub-folder of ``root`` that holds ``folder``: one kind of news."""
    parts = folder.relative_to(root).parts
    return parts[0] if len(parts) >= 2 else None


class _Accumulator:
    def __init__(self) -> None:
        self.claims, self.quantities, self.relations = PRF(), PRF(), PRF()
        self.events, self.places, self.times = PRF(), PRF(), PRF()
        self.speaker, self.party, self.act = Accuracy(), Accuracy(), Accuracy()
        self.actors = Accuracy()
        self.fields = {name: Accuracy() for name in EVENT_FIELDS}
        self.duplicates = PRF()  # tp: duplicate rows; predicted: all predicted events
        self.docs = 0

    def metrics(self) -> dict:
        return {
            "claims": self.claims.as_dict(),
            "claim_speaker": self.speaker.value(),
            "claim_party": self.party.value(),
            "claim_act": self.act.value(),
            "quantities": self.quantities.as_dict(),
            "relations": self.relations.as_dict(),
            "events": self.events.as_dict(),
            "event_actors": self.actors.value(),
            "events_duplicate": round(self.duplicates.tp / self.duplicates.predicted, 4)
            if self.duplicates.predicted else 0.0,
            "event_fields": {name: acc.value() for name, acc in self.fields.items()},
            "places": self.places.as_dict(),
            "times": self.times.as_dict(),
        }

    def add(self, ex: Extraction, gold: dict) -> None:
        self.docs += 1
        text = ex.article.text
        accept = _accept_map(gold.get("parties", {}))
        claim_map = self._claims(ex, gold, text, accept)
        event_map = self._events(ex, gold, accept, text)
        self._relations(ex, gold, claim_map, event_map)
        self._places(ex, gold)
        self._times(ex, gold, text)

    # -- claims ---------------------------------------------------------------

    def _claims(self, ex: Extraction, gold: dict, text: str, accept) -> dict[str, str]:
        golds = [g for g in gold.get("claims", []) if g.get("anchor")]
        anchors = [locate(text, g["anchor"]) for g in golds]
        preds = ex.claims
        pairs = match_one_to_one(
            list(range(len(golds))), preds,
            lambda i, c: (a := anchors[i]) is not None and overlaps(a, (c.span.start, c.span.end)),
            lambda i, c: _overlap(anchors[i], (c.span.start, c.span.end)),
        )
        self.claims.add(len(pairs), len(preds), len(golds))
        mapping: dict[str, str] = {}
        for i, j in pairs:
            g, c = golds[i], preds[j]
            mapping[c.id] = g["id"]
            if g.get("speaker"):
                self.speaker.add(_speaker_ok(g["speaker"], c, g.get("speaker_accept") or ()))
            if g.get("party"):
                self.party.add(_party_ok(g["party"], c.speaker.party if c.speaker else None, accept))
            if g.get("act"):
                self.act.add(c.act == g["act"])
            self._quantities(g, c, text, anchors[i])
        for i, g in enumerate(golds):
            if i not in {p[0] for p in pairs}:
                self.quantities.add(0, 0, len(g.get("quantities") or []))
        return mapping

    def _quantities(self, g: dict, c: Claim, text: str, anchor) -> None:
        gq = g.get("quantities") or []
        spans = [locate(text, q["text"], anchor[0] if anchor else 0) for q in gq]
        pairs = match_one_to_one(
            list(range(len(gq))), c.quantities,
            lambda i, q: (s := spans[i]) is not None and overlaps(s, (q.span.start, q.span.end))
            and (gq[i].get("low") is None or gq[i]["low"] == q.low)
            and (gq[i].get("high") is None or gq[i]["high"] == q.high),
        )
        self.quantities.add(len(pairs), len(c.quantities), len(gq))

    # -- events ---------------------------------------------------------------

    def _events(self, ex: Extraction, gold: dict, accept, text: str) -> dict[str, str]:
        gold_places = gold.get("places", {})
        golds = gold.get("events", [])
        pairs = match_one_to_one(golds, ex.events, lambda g, e: _event_ok(g, e, gold_places))
        self.events.add(len(pairs), len(ex.events), len(golds))
        mapping = {}
        for i, j in pairs:
            g, e = golds[i], ex.events[j]
            mapping[e.id] = g["id"]
            for key, actor in (("actor1", e.actor1), ("actor2", e.actor2)):
                if g.get(key):
                    self.actors.add(_party_ok(g[key], actor.party if actor else None, accept))
        anchors = [locate(text, g["anchor"]) if g.get("anchor") else None for g in golds]

        def tells(i: int, e: Event) -> bool:
            return _event_ok(golds[i], e, gold_places) or _evidence_overlaps(anchors[i], e)

        # Field accuracy: each gold event against the prediction that tells it (the
        # strict match where there is one, else the one whose evidence overlaps its anchor).
        matched_gold = {i for i, _ in pairs}
        used = {j for _, j in pairs}
        rest = [i for i in range(len(golds)) if i not in matched_gold]
        free = [j for j in range(len(ex.events)) if j not in used]
        loose = match_one_to_one(rest, [ex.events[j] for j in free], lambda i, e: _evidence_overlaps(anchors[i], e))
        aligned = pairs + [(rest[a], free[b]) for a, b in loose]
        for i, j in aligned:
            self._fields(golds[i], ex.events[j], gold_places, accept)
        # Duplicates: predictions left over that tell a gold event another prediction
        # already stands for (strictly or by its evidence).
        told = {i for i, _ in aligned}
        spare = [j for j in free if j not in {b for _, b in aligned}]
        dup = sum(1 for j in spare if any(tells(i, ex.events[j]) for i in told))
        self.duplicates.add(dup, len(ex.events), 0)
        return mapping

    def _fields(self, g: dict, e: Event, gold_places: dict, accept) -> None:
        if g.get("sub_type"):
            self.fields["sub_type"].add(e.sub_type == g["sub_type"])
        for key, actor in (("actor1", e.actor1), ("actor2", e.actor2)):
            if g.get(key):
                self.fields[key].add(_party_ok(g[key], actor.party if actor else None, accept))
        if g.get("location"):
            self.fields["place"].add(_event_place_ok(g, e, gold_places))
        if g.get("date"):
            self.fields["date"].add(e.date is not None and e.date[: len(g["date"])] == g["date"])
        fat = g.get("fatalities")
        if isinstance(fat, dict) and (fat.get("low") is not None or fat.get("best") is not None):
            self.fields["fatalities"].add(_toll_ok(fat, e))

    def _relations(self, ex: Extraction, gold: dict, claim_map, event_map) -> None:
        ids = {**claim_map, **event_map}
        gold_rel = {(r["from"], r["type"], r["to"]) for r in gold.get("relations", [])}
        predicted = {(ids.get(l.source), l.type, ids.get(l.target)) for l in ex.links}
        tp = len(predicted & gold_rel)
        self.relations.add(tp, len(ex.links), len(gold_rel))

    # -- places and times ---------------------------------------------------------

    def _places(self, ex: Extraction, gold: dict) -> None:
        golds = list(gold.get("places", {}).items())
        preds: dict[str, Place] = {}
        for p in ex.places:
            preds.setdefault(fold(p.span.text), p)
        pred_list = list(preds.values())
        pairs = match_one_to_one(golds, pred_list, lambda g, p: _place_ok(g[0], g[1], p))
        self.places.add(len(pairs), len(pred_list), len(golds))

    def _times(self, ex: Extraction, gold: dict, text: str) -> None:
        golds = gold.get("times", [])
        spans = [locate(text, t["text"]) for t in golds]
        # The gold lists durations ("P2D") and references ("PRESENT_REF") beside calendar
        # times (records-dev README), so every resolved time is judged.
        ex = Extraction(article=ex.article, times=[t for t in ex.times if t.value is not None])
        pairs = match_one_to_one(
            list(range(len(golds))), ex.times,
            lambda i, t: (s := spans[i]) is not None and overlaps(s, (t.span.start, t.span.end))
            and t.value == golds[i].get("value"),
        )
        self.times.add(len(pairs), len(ex.times), len(golds))


def _overlap(a, b) -> float:
    if a is None:
        return 0.0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _accept_map(parties: dict) -> dict[str, set[str]]:
    return {code: {code, *(info or {}).get("accept", [])} for code, info in parties.items()}


def _party_ok(gold_party: str, predicted: Optional[str], accept) -> bool:
    return predicted is not None and predicted in accept.get(gold_party, {gold_party})


def _speaker_ok(gold_speaker: str, claim: Claim, accept_names=()) -> bool:
    """Right when the predicted speaker's words include the last word of the gold
    speaker or of one of the claim's ``speaker_accept`` names."""
    if claim.speaker is None:
        return False
    words = set(fold(claim.speaker.name).replace("'s", "").split())
    if claim.speaker.span is not None:
        words |= set(fold(claim.speaker.span.text).split())
    for name in (gold_speaker, *accept_names):
        parts = fold(name).split()
        if parts and parts[-1] in words:
            return True
    return False


EVENT_FIELDS = ("sub_type", "actor1", "actor2", "place", "date", "fatalities")


def _event_ok(g: dict, e: Event, gold_places: dict) -> bool:
    if g.get("sub_type") and g["sub_type"] != e.sub_type:
        return False
    if g.get("location") and not _event_place_ok(g, e, gold_places):
        return False
    if g.get("date"):
        if not e.date or e.date[: len(g["date"])] != g["date"]:
            return False
    return True


def _event_place_ok(g: dict, e: Event, gold_places: dict) -> bool:
    """The event's place is the gold location: the same name, or within 25 km."""
    if e.place is None:
        return False
    gp = gold_places.get(g["location"], {})
    same_name = fold(e.place.span.text) == fold(g["location"]) or fold(e.place.name) == fold(g["location"])
    near = (gp.get("lat") is not None and e.place.lat is not None
            and km_apart(Coordinates(gp["lat"], gp["lon"]), e.place) <= CITY_KM)
    return same_name or near


def _evidence_overlaps(anchor: Optional[tuple[int, int]], e: Event) -> bool:
    if anchor is None:
        return False
    spans = [e.span, *(e.mentions or [])]
    return any(overlaps(anchor, (s.start, s.end)) for s in spans)


def _toll_ok(fat: dict, e: Event) -> bool:
    """The predicted best figure lies within the gold low-high (high, when the gold
    states none, is its best figure: an open "at least" is not a licence for any
    number above it). No predicted toll counts as 0."""
    low = fat.get("low") if fat.get("low") is not None else fat.get("best")
    high = fat.get("high") if fat.get("high") is not None else (fat.get("best") if fat.get("best") is not None else low)
    best = e.fatalities.best if e.fatalities is not None and e.fatalities.best is not None else 0
    assert low is not None and high is not None, "asked only of a gold toll with a figure"
    return low <= best <= max(low, high)


def _place_ok(name: str, g: dict, p: Place) -> bool:
    if fold(name) not in (fold(p.span.text), fold(p.name)):
        return False
    kind = (g.get("kind") or "city").lower()
    if kind == "country":
        return bool(p.country) and p.country == g.get("country")
    if p.lat is None or g.get("lat") is None:
        return False
    limit = CITY_KM if kind in ("city", "town", "site", "village") else REGION_KM
    return km_apart(Coordinates(g["lat"], g["lon"]), p) <= limit


def iter_cases(root: Path) -> Iterator[tuple[Article, dict]]:
    for folder in gold_folders(root):
        yield load_case(folder)
