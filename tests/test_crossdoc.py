"""``eval crossdoc``: the scoring rules on a hand-made case, and the whole command on a slice of the real gold."""

from __future__ import annotations

import json

from counterclaim.eval.crossdoc import evaluate_crossdoc, score
from counterclaim.link.model import EventCluster, Member
from counterclaim.records import Claim, Event, Fatalities, Span

TEXTS = {"A": "Shells killed 14 in Mbeya on Monday.", "B": "Fourteen died as shells hit Mbeya.",
         "C": "A protest took place in Dodoma.", "D": "Shells killed 14 in Mbeya on Monday!"}


def _event(article, text, eid):
    return Event(id=eid, article_id=article, type="Explosions/Remote violence",
                 sub_type="Shelling/artillery/missile attack", span=Span(0, len(text), text))


def test_score_pairs_duplicates_merging_range_and_status():
    ids = {g: (f"s{g}", t, "wire" if g in "AD" else g) for g, t in TEXTS.items()}
    events = {f"s{g}": [_event(f"s{g}", t, f"s{g}:e")] for g, t in TEXTS.items()}
    merged = EventCluster(id="sA:e", type="x", sub_type="x", fatalities=Fatalities(14, 14, 16), status="disputed",
                          members=[Member("sA:e", "sA", 0), Member("sB:e", "sB", 1), Member("sD:e", "sD", 2)])
    alone = EventCluster(id="sC:e", type="x", sub_type="x", status="single-source", members=[Member("sC:e", "sC", 0)])
    system = {"clusters": {"sA:e": merged, "sC:e": alone},
              "cluster_of": {"sA:e": "sA:e", "sB:e": "sA:e", "sD:e": "sA:e", "sC:e": "sC:e"},
              "events": events, "claims": {"sC": [Claim("sC:c", "sC", Span(0, 9, "A protest"))]},
              "copies": {("sD", "sA")}, "original": {"sD": "sA"}}
    gold = {
        "pairs": [{"a": "A", "b": "B", "same_event": True}, {"a": "A", "b": "C", "same_event": False},
                  {"a": "A", "b": "D", "same_event": True, "duplicate": True},
                  {"a": "B", "b": "C", "same_event": True}],
        "events": [
            {"status": "disputed", "fatalities": {"low": 14, "best": 14, "high": 16},
             "reports": [{"article": "A", "anchor": "killed 14"}, {"article": "B", "anchor": "Fourteen died"}]},
            {"status": "corroborated", "fatalities": {"low": 1, "best": 1, "high": 1},
             "reports": [{"article": "C", "anchor": "protest"}, {"article": "B", "anchor": "not in the text"}]},
        ],
    }
    m = score(gold, ids, system)
    assert m["pairs"] == {"precision": 1.0, "recall": 0.6667, "f1": 0.8, "support": 3}
    assert m["duplicates"]["f1"] == 1.0 and m["cross_outlet_copies"] == 0
    assert m["events_merged"] == 0.5  # the second event's report in B is not found
    assert m["fatalities_range"] == 0.5 and m["status"] == 0.5
    assert m["located_reports"] == 0.75


def test_crossdoc_on_a_slice_of_the_dev_gold(eval_dir, tmp_path):
    """Two groups of the real gold (5 articles): the command runs and every metric is in range."""
    source = eval_dir / "fakes-crossdoc-dev"
    gold = json.loads((source / "gold.json").read_text(encoding="utf-8"))
    keep = {a for g in gold["groups"] if g["id"] in ("G01", "G03") for a in g["articles"]}
    lines = [line for line in (source / "articles.jsonl").read_text(encoding="utf-8").splitlines()
             if json.loads(line)["id"] in keep]
    (tmp_path / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    small = {"pairs": [p for p in gold["pairs"] if p["a"] in keep and p["b"] in keep],
             "events": [e for e in gold["events"] if all(r["article"] in keep for r in e["reports"])]}
    (tmp_path / "gold.json").write_text(json.dumps(small), encoding="utf-8")
    result = evaluate_crossdoc(tmp_path)
    assert result["n_docs"] == 5
    m = result["metrics"]
    for name in ("pairs", "duplicates"):
        assert set(m[name]) == {"precision", "recall", "f1", "support"}
    for name in ("events_merged", "fatalities_range", "status", "located_reports"):
        assert 0.0 <= m[name] <= 1.0
    assert m["pairs"]["support"] == 4 and m["embedder"].startswith("minilm")
    for name in ("events_matched", "events_merged", "fatalities_range_all", "status_all"):
        assert 0.0 <= m["protocol"][name] <= 1.0


def test_a_tie_between_clusters_goes_to_the_gold_sub_type():
    """One anchor sentence tells the strike and, in passing, a background seizure: both clusters
    hold one located report, and the strike's is the one the gold event is matched with."""
    text = "Strikes killed 23 in the town that rebels seized years ago."
    strike = Event(id="s1:a", article_id="s1", type="x", sub_type="Air/drone strike", span=Span(0, len(text), text))
    seized = Event(id="s1:z", article_id="s1", type="x", sub_type="Non-state actor overtakes territory",
                   span=Span(0, len(text), text))
    clusters = {"s1:a": EventCluster(id="s1:a", type="x", sub_type="Air/drone strike", fatalities=Fatalities(23, 23, 23),
                                     members=[Member("s1:a", "s1", 0)]),
                "s1:z": EventCluster(id="s1:z", type="x", sub_type="Non-state actor overtakes territory",
                                     members=[Member("s1:z", "s1", 1)])}
    system = {"clusters": clusters, "cluster_of": {"s1:a": "s1:a", "s1:z": "s1:z"}, "events": {"s1": [strike, seized]},
              "claims": {}, "copies": set(), "original": {}}
    gold = {"pairs": [], "events": [{"sub_type": "Air/drone strike", "status": "single-source",
                                     "fatalities": {"low": 23, "best": 23, "high": 23},
                                     "reports": [{"article": "G1", "anchor": "killed 23"}]}]}
    m = score(gold, {"G1": ("s1", text, "wire")}, system)
    assert m["fatalities_range"] == 1.0


# ------------------------------------------------------------------ the folder's protocol


def test_a_gold_location_phrase_agrees_by_name_distance_or_province_only_when_nothing_finer_is_known():
    from counterclaim.eval.place_agreement import Agreement, agrees, read_location

    gold = read_location("central market, north of Mbeya city, Mbeya province")
    assert gold.finer == ("central market", "north of Mbeya city") and gold.provinces == ("Mbeya",)
    assert agrees(gold, "Mbeya", -8.9, 33.46, "Mbeya", "TZ") == Agreement(True, "name")
    assert agrees(gold, "a roadside stall", -8.95, 33.35, "Mbeya", "TZ").how == "distance"  # ~13 km away
    assert not agrees(gold, "Tukuyu", -9.25, 33.64, "Mbeya", "TZ").ok  # 43 km away, though in the province
    assert not agrees(gold, None, None, None).ok
    # A village the gazetteer does not hold: only then does the province decide, and it says so.
    village = read_location("Kijijini (Kijiji), Mbeya province")
    assert agrees(village, "Tukuyu", -9.25, 33.64, "Mbeya", "TZ") == Agreement(True, "province")
    assert not agrees(read_location("Kijijini, Iringa province"), "Tukuyu", -9.25, 33.64, "Mbeya", "TZ").ok
    # A same-named place in another province than the gold names is not the gold's place.
    assert not agrees(read_location("Tukuyu, Iringa province"), "Tukuyu", 9.0, 30.0, "Elsewhere", "TZ").ok


def _cluster(cid, articles, *, sub="Shelling/artillery/missile attack", place="Mbeya", lat=-8.9, lon=33.46,
             days=("2026-04-06", "2026-04-06"), fat=(14, 14, 16), status="disputed"):
    from datetime import date

    return EventCluster(id=cid, type="x", sub_type=sub, place=place, lat=lat, lon=lon, admin1="Mbeya", country="TZ",
                        date_start=date.fromisoformat(days[0]), date_end=date.fromisoformat(days[1]),
                        fatalities=Fatalities(*fat) if fat else None, status=status,
                        members=[Member(f"{a}:{cid}", a, i) for i, a in enumerate(articles)])


def _gold_event(articles, *, sub="Shelling/artillery/missile attack", location="Mbeya city, Mbeya province",
                day="2026-04-06", fat=(14, 14, 16), status="disputed", **extra):
    return dict(sub_type=sub, location=location, date=day, status=status,
                fatalities=dict(zip(("low", "best", "high"), fat)) if fat else None,
                reports=[{"article": a, "anchor": "not located"} for a in articles], **extra)


def _protocol(golds, clusters, articles="ABCDEF"):
    ids = {g: (f"s{g}", "no anchor here", g) for g in articles}
    system = {"clusters": {c.id: c for c in clusters}, "cluster_of": {}, "events": {}, "claims": {},
              "copies": set(), "original": {}}
    return score({"pairs": [], "events": golds}, ids, system)["protocol"]


def test_the_protocol_matches_on_a_shared_article_sub_type_date_and_place():
    golds = [
        _gold_event("AB", accept_sub_types=["Air/drone strike"]),  # right, by an accepted sub-type
        _gold_event("C", location="Tukuyu, Mbeya province"),  # the system placed it in Mbeya, 43 km off
        _gold_event("D", day="2026-04-07"),  # the system's cluster spans three days
        _gold_event("E", sub="Armed clash"),  # the system calls it shelling
        _gold_event("F", fat=(3, 3, 3), status="single-source"),  # nothing of the system shares article F
    ]
    clusters = [_cluster("c1", ["sA", "sB"], sub="Air/drone strike"), _cluster("c2", ["sC"]),
                _cluster("c3", ["sD"], days=("2026-04-06", "2026-04-08")), _cluster("c4", ["sE"])]
    m = _protocol(golds, clusters)
    assert m["events_matched"] == 0.2 and m["matched_events"] == 1
    assert m["unmatched"] == {"date": 1, "no shared article": 1, "place": 1, "sub-type": 1}
    assert (m["events_merged"], m["events_merged_support"]) == (1.0, 1)
    assert (m["fatalities_range"], m["fatalities_range_all"], m["fatalities_support"]) == (1.0, 0.2, 5)
    assert (m["status"], m["status_all"]) == (1.0, 0.2)
    assert m["status_confusion"]["single-source -> unmatched"] == 1


def test_the_protocol_merges_only_what_one_cluster_holds_and_matches_one_to_one():
    """A gold event told by three articles, the system split in two clusters: matched, not merged;
    two gold events and one cluster that fits both: one of them is left without ("taken")."""
    golds = [_gold_event("ABC", fat=(14, 20, 20), status="corroborated"), _gold_event("D"), _gold_event("D")]
    clusters = [_cluster("c1", ["sA", "sB"], fat=(14, 20, 20), status="corroborated"), _cluster("c2", ["sC"]),
                _cluster("c3", ["sD"], fat=(9, 9, 9))]
    m = _protocol(golds, clusters)
    assert m["matched_events"] == 2 and m["unmatched"] == {"taken": 1}
    assert (m["events_merged"], m["events_merged_support"]) == (0.0, 1)
    assert m["fatalities_range_all"] == round(1 / 3, 4)
    assert m["fatalities_best_in_range_all"] == round(1 / 3, 4)  # 9 lies outside [14, 16]


def test_the_gold_s_outlet_convention_is_scored_beside_the_ledger_s_status():
    """A wire story carried by two outlets: the ledger says single-source (one piece of evidence),
    the FA-KES gold says corroborated (2+ outlets); both figures are reported."""
    from counterclaim.eval.crossdoc import outlet_convention

    copy = _cluster("c1", ["sA", "sB"], status="single-source")
    copy.n_outlets = 2
    assert outlet_convention(copy) == "corroborated"
    m = _protocol([_gold_event("AB", status="corroborated")], [copy])
    assert (m["status_all"], m["status_outlet_convention_all"]) == (0.0, 1.0)
