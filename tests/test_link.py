"""Cross-article linking end to end: a real SQLite file, the real extractor and embedding model, our own articles.

The four articles below were written for this test (fiction at a real place,
so the gazetteer resolves it): a wire story, a regional paper's near-copy of
it, an armed group's denial a day later, and an independent monitor's count.
"""

from __future__ import annotations

import json
import warnings

import pytest
from typer.testing import CliRunner

from counterclaim.api.ledger import Ledger
from counterclaim.cli.app import app
from counterclaim.link import embed
from counterclaim.link.linker import Linker

A1 = """\
---
title: Shelling kills 14 at Mbeya market, police say
date: 2026-04-06
source: Lakeside Wire
url: https://lakesidewire.example/2026/04/06/mbeya-market
---

MBEYA, April 6 (Lakeside Wire) - At least 14 people were killed when artillery shells hit the central market in Mbeya on Monday, the regional police commander said.

Commander Joseph Mrisho told reporters that 30 people were wounded and that the shells were fired from hills east of the town, where fighters of the Highland Defence Front have been dug in since March.

Traders said the first shell landed shortly after 9 a.m., when the market was crowded. Hospital staff said several of the wounded were children.

The Highland Defence Front did not respond to requests for comment.
"""

A2 = """\
---
title: 14 killed as shells hit Mbeya market
date: 2026-04-06
source: Highland Times
url: https://highlandtimes.example/news/mbeya-market-shelling
---

MBEYA, April 6 (Lakeside Wire) - At least 14 people were killed when artillery shells hit the central market in Mbeya on Monday, the regional police commander said.

Commander Joseph Mrisho told reporters that 30 people were wounded and that the shells were fired from hills east of the town, where fighters of the Highland Defence Front have been dug in since March.

Traders said the first shell landed shortly after 9 a.m., when the market was crowded. Hospital staff said several of the wounded were children.
"""

A3 = """\
---
title: Front denies shelling Mbeya market
date: 2026-04-07
source: Voice of the Highlands
url: https://voiceofthehighlands.example/statement-mbeya
---

The Highland Defence Front on Tuesday denied that its fighters shelled the market in Mbeya on Monday and accused the army of staging the attack.

"Our fighters did not fire a single shell at the town. The army is lying to the world," the group's spokesman Elias Mwakyusa said in a statement.

The group said only four people had died in Mbeya on Monday, all of them soldiers.
"""

A4 = """\
---
title: Monitor counts 16 dead in Mbeya market shelling
date: 2026-04-08
source: Southern Highlands Monitor
url: https://shmonitor.example/reports/mbeya-2026-04-06
---

At least 16 civilians were killed in the shelling of the central market in Mbeya on Monday, the Southern Highlands Monitor said on Wednesday, an independent group that counts casualties in the region.

The monitor said its count was based on hospital records and interviews with relatives.
"""

FILES = {"a1-wire.txt": A1, "a2-copy.txt": A2, "a3-denial.txt": A3, "a4-monitor.txt": A4}


@pytest.fixture(scope="module")
def ledger_dir(tmp_path_factory):
    """The four articles on disk, and a ledger file with the first three days' reports except the denial."""
    folder = tmp_path_factory.mktemp("link")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "ledger.sqlite"
    with Ledger(db) as ledger:
        first = ledger.ingest([folder / "a1-wire.txt", folder / "a2-copy.txt", folder / "a4-monitor.txt"])
        before = {c.id: c for c in ledger.event_clusters()}
        second = ledger.ingest([folder / "a3-denial.txt"])
    return folder, db, first, before, second


def _shelling(ledger):
    """The market shelling: the shelling cluster with the most articles (background mentions stay apart)."""
    found = [c for c in ledger.event_clusters() if c.sub_type == "Shelling/artillery/missile attack"]
    assert found, [(c.id, c.sub_type, c.n_articles) for c in ledger.event_clusters()]
    return max(found, key=lambda c: (c.n_articles, c.id))


def test_one_event_across_outlets_with_range_copy_and_evidence(ledger_dir):
    folder, db, first, before, _ = ledger_dir
    assert first.linked == 3
    with Ledger(db) as ledger:
        cluster = before[_shelling(ledger).id]
        assert cluster.n_articles == 3 and cluster.status == "corroborated", cluster.status_reason
        assert (cluster.fatalities.low, cluster.fatalities.high) == (14, 16)
        assert cluster.acled_fatalities == 14
        copies = ledger.store.copies()
        assert len(copies) == 1 and copies[0][2] == "near"
        # Every figure goes back to its article's words.
        texts = {a.id: a.text for a in ledger.articles()}
        for figure in cluster.figures:
            assert figure["sentence"] in texts[figure["article_id"]]
            assert str(figure["low"]) in figure["sentence"]


def test_a_later_denial_disputes_the_event_incrementally_with_stable_ids(ledger_dir):
    _, db, first, before, second = ledger_dir
    assert second.linked == 1  # only the new article was linked
    with Ledger(db) as ledger:
        cluster = _shelling(ledger)
        assert cluster.id in before  # the id did not change when a report arrived
        assert set(before) <= {c.id for c in ledger.event_clusters()}
        assert cluster.status == "disputed"
        assert any(e["rule"] == "denied" and "Highland Defence Front" in e["text"] for e in cluster.evidence)
        # The commander's claim appears twice (wire and copy) and is disputed by the Front's denial.
        commander = [c for c in ledger.claim_clusters() if c.n_appearances == 2 and c.event_cluster_id == cluster.id]
        assert commander and commander[0].status == "disputed"


def test_reextracting_an_article_relinks_it_into_the_same_cluster(ledger_dir):
    folder, db, *_ = ledger_dir
    with Ledger(db) as ledger:
        before = _shelling(ledger)
        report = ledger.ingest([folder / "a4-monitor.txt"], reprocess=True)
        assert report.linked == 1
        after = _shelling(ledger)
        assert after.id == before.id and after.n_articles == before.n_articles
        assert after.status == before.status and after.status != "stale"


def test_cli_views_and_export(ledger_dir):
    folder, db, *_ = ledger_dir
    runner = CliRunner()
    summary = runner.invoke(app, ["summary", "--db", str(db), "--json"])
    assert summary.exit_code == 0, summary.output
    stats = json.loads(summary.stdout)["stats"]
    assert stats["multi_outlet"] >= 1 and stats["disputed"] >= 1 and stats["copies"] == 1
    disputes = json.loads(runner.invoke(app, ["disputes", "--db", str(db), "--json"]).stdout)
    item = next(d for d in disputes["disputed_events"] if d["sub_type"].startswith("Shelling"))
    assert "TZA" in item["sides"]  # the police commander's side, with its numbers and source
    assert any(n["low"] == 14 for row in item["sides"]["TZA"] for n in row["numbers"])
    shown = runner.invoke(app, ["event", item["id"][:20], "--db", str(db), "--json"])
    view = json.loads(shown.stdout)
    assert len({r["outlet"] for r in view["reports"]}) >= 3 and view["fatalities"]["high"] == 16
    assert runner.invoke(app, ["event", "nope", "--db", str(db)]).exit_code == 2
    csv_out = runner.invoke(app, ["export", "--db", str(db), "-f", "csv"]).stdout
    assert "cluster_id,cluster_status" in csv_out.splitlines()[0] and item["id"] in csv_out
    relinked = json.loads(runner.invoke(app, ["link", "--db", str(db), "--again", "--json"]).stdout)
    assert relinked["linked"] == 4 and relinked["embedder"].startswith("minilm")


def test_real_model_tells_paraphrase_from_other_claim():
    model = embed.get_embedder()
    assert model.name.startswith("minilm"), f"the packaged all-MiniLM-L6-v2 must load in tests: {embed.load_error}"
    a, b, c = model.encode(["At least 14 people were killed when shells hit the market in Mbeya.",
                            "Shelling of the Mbeya market killed at least 14 people.",
                            "The ceasefire talks will resume in Lusaka next week."])
    assert a @ b > 0.75 > 0.3 > a @ c


def test_without_the_model_linking_falls_back_to_token_overlap_with_a_warning(ledger_dir, monkeypatch):
    _, db, *_ = ledger_dir

    def broken(*args, **kwargs):
        raise OSError("no weights here")

    monkeypatch.setattr(embed, "MiniLM", broken)
    embed._embedder.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fallback = embed.get_embedder()
        assert fallback.name == "tokens" and any("token overlap" in str(w.message) for w in caught)
        with Ledger(db, link=False) as ledger:
            ledger.store.unlink_all()
            report = Linker(ledger.store, embedder=fallback).link_pending()
            assert len(report.linked) == 4 and _shelling(ledger).n_articles >= 3
    finally:
        embed._embedder.cache_clear()


# -- rules over records (invented reports; no model, no store) ---------------------------------

from datetime import date as _date  # noqa: E402

from counterclaim.link.events import conflict, same_event  # noqa: E402
from counterclaim.link.linker import _leads  # noqa: E402
from counterclaim.link.outlets import Outlet  # noqa: E402
from counterclaim.link.reports import Report  # noqa: E402
from counterclaim.link.tolls import figures, toll_range  # noqa: E402
from counterclaim.records import Actor, Claim, Event, Fatalities, Place, Quantity, Span  # noqa: E402


def _place(name, lat, lon, admin1="Northland"):
    return Place(span=Span(0, len(name), name), name=name, kind="city", lat=lat, lon=lon, country="XX",
                 admin1=admin1, gazetteer_id=f"test:{name}", precision="exact")


def _report(article, text, *, start=0, sub_type="Air/drone strike", place=None, article_place=None,
            day="2030-05-04", toll=None, outlet="Daily Example", claims=(), reason=None, published=None):
    span = Span(start, start + len(text), text)
    fat = Fatalities(low=toll, best=toll, high=toll, reason=reason) if toll is not None else None
    event = Event(id=f"{article}:e{start}", article_id=article, type="Explosions/Remote violence",
                  sub_type=sub_type, span=span, place=place, date=day, fatalities=fat,
                  claim_ids=[c.id for c in claims])
    return Report(event=event, outlet=Outlet(outlet, outlet), published=published or _date(2030, 5, 4),
                  claims=list(claims), article_place=article_place)


def _claim(article, start, speaker, number, noun):
    q = Quantity(span=Span(start, start + 10, f"{number} {noun}"), low=number, high=number, what="killed",
                 unit_text=noun)
    return Claim(id=f"{article}:c{start}", article_id=article, span=Span(start, start + 40, "x" * 40),
                 speaker=Actor(speaker, party="independent"), quantities=[q])


def test_an_article_place_guess_supports_but_never_vetoes_a_match():
    north, far_town = _place("Northtown", 10.0, 20.0), _place("Fartown", 12.0, 22.0, admin1="Southland")
    named = _report("a1", "Jets struck Northtown, killing 9.", place=north, toll=9)
    # the second report names no place; its article is mostly about a town 300 km away
    guessed = _report("a2", "Warplanes killed nine people on Sunday.", article_place=far_town, toll=9)
    assert guessed.place_inferred and not named.place_inferred
    assert conflict(named, guessed) is None
    # a place named for the event still keeps reports apart
    elsewhere = _report("a3", "Jets struck Fartown, killing 9.", place=far_town, toll=9)
    assert conflict(named, elsewhere) is not None
    assert not same_event(named, elsewhere).same


def test_a_report_dated_after_its_publication_is_dated_by_its_article():
    misread = _report("a1", "Blast hits convoy.", day="2033")  # a stray number read as a year
    assert misread.days == (_date(2030, 5, 4), _date(2030, 5, 4))
    stated = _report("a2", "Blast hits convoy on Friday.", day="2030-05-03")
    assert stated.days == (_date(2030, 5, 3), _date(2030, 5, 3))


def test_passing_mentions_are_no_bridge_between_articles():
    assert _leads(_report("a1", "Strikes kill 12 in Northtown.", start=40))
    assert not _leads(_report("a1", "Last month a market was shelled.", start=1400))


def test_one_figure_per_article_unless_another_known_source_gives_one():
    monitor = _claim("a1", 600, "Syrian Observatory for Human Rights", 14, "people")
    reports = [
        _report("a1", "Strikes killed 12 people in Northtown on Sunday.", start=20, toll=12),
        # the outlet's own voice again, further down: a sub-area or another incident
        _report("a1", "Eight of them died in the market district.", start=300, toll=8),
        # a known source, after the lead: a second account of the toll
        _report("a1", "The Syrian Observatory said 14 died.", start=600, toll=14, claims=[monitor]),
        # a generic speaker after the lead is not a second account
        _report("a1", "Residents said 30 died in the area this week.", start=900, toll=30,
                claims=[_claim("a1", 900, "residents", 30, "people")]),
    ]
    got = sorted((f.low, f.source) for f in figures(reports))
    assert got == [(12, "Daily Example"), (14, "Syrian Observatory for Human Rights")]


def test_a_sub_group_count_is_part_of_the_total_and_never_disputes_it():
    total = _report("a1", "Thirteen civilians were killed in air raids.", start=10, toll=13)
    children = _report("a2", "Four children were among the dead, said the Observatory.", start=15, toll=4,
                       outlet="Other Times", claims=[_claim("a2", 15, "Syrian Observatory for Human Rights", 4,
                                                            "children")])
    kids_in_a1 = _report("a1", "Five children died.", start=200, toll=5,
                         claims=[_claim("a1", 200, "Syrian Observatory for Human Rights", 5, "children")])
    figs = figures([total, kids_in_a1])
    assert [f.low for f in figs] == [13]  # a1 gives a larger total: the children are part of it
    rng = toll_range([total, children])
    assert (rng.fatalities.low, rng.fatalities.high) == (4, 13)  # a2's only figure stays in the range
    assert rng.conflict is None  # but "four children" is not compared with 13


def test_a_guessed_place_is_weaker_evidence_than_a_named_one():
    north = _place("Northtown", 10.0, 20.0)
    named = _report("a1", "Jets struck Northtown.", place=north)
    also_named = _report("a2", "Raids hit Northtown on Sunday.", place=north)
    guessed = _report("a3", "Raids hit the town on Sunday.", article_place=north)
    by_name, by_guess = same_event(named, also_named), same_event(named, guessed)
    assert by_name.same and by_guess.same
    assert by_guess.strength < by_name.strength


def test_a_vague_word_counts_only_when_the_article_gives_no_number():
    vague = _report("a1", "Bombing of a convoy kills dozens.", start=0, toll=12, reason="killed: dozens")
    number = _report("a1", "At least 43 people were killed, the monitor said.", start=60, toll=43,
                     claims=[_claim("a1", 60, "Syrian Observatory for Human Rights", 43, "people")])
    assert [f.low for f in figures([vague, number])] == [43]
    only_vague = _report("a2", "Dozens were killed in the raid.", toll=12, reason="killed: dozens", outlet="Other Times")
    assert [f.low for f in figures([only_vague])] == [12]


def test_stated_days_a_day_apart_with_different_tolls_are_two_events():
    """ACLED's unit is a day: Monday's strikes (21 dead) and Tuesday's (56) on one town are two
    events; a day taken from the publication date, or the same toll, says nothing of the kind."""
    north = _place("Northtown", 10.0, 20.0)
    monday = _report("a1", "Strikes killed 21 in Northtown on Monday.", place=north, day="2030-05-03", toll=21)
    tuesday = _report("a2", "Strikes killed 56 in Northtown on Tuesday.", place=north, day="2030-05-04", toll=56)
    monday.event.date_source = tuesday.event.date_source = "text"
    assert not same_event(monday, tuesday).same
    tuesday.event.date_source = "published"  # the outlet's day, not the event's
    assert same_event(monday, tuesday).same
    tuesday.event.date_source = "text"
    tuesday.event.fatalities = Fatalities(21, 21, 21)  # one toll: a weekday read a day apart
    assert same_event(monday, tuesday).same


def test_a_state_s_strikes_and_rebel_fire_are_two_events():
    north = _place("Northtown", 10.0, 20.0)
    strikes = _report("a1", "Government jets struck Northtown.", place=north)
    strikes.event.actor1 = Actor("air force", kind="state force", party="XXX")
    rockets = _report("a2", "Rebel rockets hit Northtown.", place=north, sub_type="Shelling/artillery/missile attack")
    rockets.event.actor1 = Actor("Rebel", kind="armed group")
    assert not same_event(strikes, rockets).same
    rockets.event.actor1 = None
    rockets.event.span = Span(0, 22, "Rockets hit Northtown.")  # who fired is unknown: the place decides
    assert same_event(strikes, rockets).same


def test_a_sentence_that_says_rebels_fired_is_a_non_state_attack_though_no_actor_was_named():
    """"killed in rebel fire" names no group, but says the attacker is no state's force: beside
    the army's barrel bombs on the same town and day, it is another event (ACLED's actor pair)."""
    north = _place("Northtown", 10.0, 20.0)
    barrels = _report("a1", "Helicopters dropped barrel bombs on Northtown, killing 15 civilians.", place=north,
                      toll=15)
    barrels.event.actor1 = Actor("air force", kind="state force", party="XXX")
    fire = _report("a1", "The monitor also said nine civilians were killed in rebel fire on the west of Northtown.",
                   start=600, place=north, toll=9, sub_type="Shelling/artillery/missile attack")
    assert not same_event(barrels, fire).same
    mortars = _report("a2", "Nine people died when mortar shells fired by the insurgents hit Northtown.", place=north,
                      toll=9, sub_type="Shelling/artillery/missile attack")
    assert same_event(fire, mortars).same  # two non-state attacks told alike: one event
    held = _report("a3", "Jets pounded rebel-held Northtown and rebel positions nearby.", place=north)
    assert same_event(barrels, held).same  # a target is no attacker


def test_a_count_followed_by_its_part_is_the_whole():
    """"Twelve civilians among them five children were killed": the twelve are the dead and the
    five a part of them; "three of them died in hospital" is a part."""
    claim = _claim("a1", 40, "Northtown Monitoring Centre", 12, "civilians")
    text = "Twelve civilians among them five children were killed in a raid on Northtown"
    claim.span = Span(40, 40 + len(text), text)
    claim.quantities[0].span = Span(40, 56, "Twelve civilians")
    lead = _report("a1", "Monitor: " + text + ".", start=31, toll=12, claims=[claim])
    assert [f.low for f in figures([lead])] == [12]
    part = _report("a2", "Three of them died in hospital.", start=20, toll=3, reason="killed: Three of them",
                   outlet="Other Times")
    assert [f.low for f in figures([lead, part])] == [12]


def test_a_named_later_source_gives_its_own_figure_beside_the_lead():
    governor = _claim("a1", 700, "Governor Alice Phiri", 31, "people")
    lead = _report("a1", "Strikes killed 39 people in Northtown on Sunday.", start=20, toll=39, claims=[governor])
    got = sorted((f.low, f.source) for f in figures([lead]))
    assert got == [(31, "Governor Alice Phiri (independent)"), (39, "Daily Example")]


def _clusters_after_ingesting_each(tmp_path, texts: dict[str, str]):
    """Event clusters after ingesting the texts one at a time, in order: as articles arrive."""
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Ledger(tmp_path / "l.sqlite") as ledger:
        for name in texts:
            ledger.ingest([tmp_path / name])
        return ledger.event_clusters()


def test_compatibility_does_not_chain_air_strikes_to_clashes_through_a_killing(tmp_path):
    """"Attack" (a killing the text does not describe further) is compatible with both an air
    strike and a clash; every lead report of a cluster must be compatible with a newcomer, so one
    vague report cannot merge a strike and a clash of the same town and day."""
    texts = {
        "a.txt": "date 2026-04-06\n\nAir strikes on Mbeya on Monday killed nine people, a monitor said.\n",
        "b.txt": "date 2026-04-06\n\nNine people were killed in Mbeya on Monday, residents said.\n",
        "c.txt": "date 2026-04-06\n\nHeavy clashes between troops and rebels in Mbeya on Monday killed four fighters.\n",
    }
    clusters = _clusters_after_ingesting_each(tmp_path, texts)
    seen = [(c.sub_type, c.n_articles) for c in clusters]
    assert ("Armed clash", 1) in seen, seen
    assert any(n >= 2 for _, n in seen), seen  # the strike and the killing are one event


def test_a_year_misread_from_a_page_is_no_stated_day():
    """"Get short URL 2033" read as a year: ``Report.days`` dates the report by its article, and
    such a day is not stated, so it keeps no report apart."""
    north = _place("Northtown", 10.0, 20.0)
    monday = _report("a1", "Strikes killed 21 in Northtown on Monday.", place=north, day="2030-05-03", toll=21)
    misread = _report("a2", "Get short URL 2033 Strikes killed 30 in Northtown.", place=north, day="2033", toll=30)
    monday.event.date_source = misread.event.date_source = "text"
    assert same_event(monday, misread).same


def test_a_short_name_of_a_source_is_that_source_s_second_figure():
    """"Human Rights" said 16 died in one town, after "the Syrian Observatory for Human Rights"
    gave 22 for the whole bombardment: one source, one figure (the first, the total)."""
    whole = _claim("a1", 20, "Syrian Observatory for Human Rights", 22, "civilians")
    part = _claim("a1", 300, "Human Rights", 16, "civilians")
    reports = [_report("a1", "Raids killed 22 civilians, the monitor said.", start=20, toll=22, claims=[whole]),
               _report("a1", "Raids killed 16 civilians in Douma, it said.", start=300, toll=16, claims=[part])]
    assert [f.low for f in figures(reports)] == [22]


def test_a_vague_headline_word_yields_to_a_named_sources_count():
    """"kills dozens" in a headline, then "pro-Kariba media said 22 were killed": the article
    gives a number, so its figure is 22, not ACLED's 12 for "dozens"."""
    media = _claim("a1", 200, "Pro-Kariba media outlets", 22, "people")
    media.speaker.party = "unknown"
    media.sentence = Span(200, 260, "Pro-Kariba media outlets said a car bomb killed 22 people.")
    media.speaker.span = Span(200, 224, "Pro-Kariba media outlets")
    lead = _report("a1", "Convoy bombing kills dozens.", start=0, toll=12, reason="killed: dozens", claims=[media])
    assert [(f.low, f.source) for f in figures([lead])] == [(22, "Pro-Kariba media outlets")]


ROUND_UP = ("date 2026-04-{day}\n\n{lead} Meanwhile in the east of the province, far from the market, "
            "officials spent the day counting damage to roads and bridges after weeks of heavy rain, and "
            "farmers said that the harvest would be late again this year because the fields were flooded. "
            "Aid workers said that food stocks were low in the camps and that more trucks were expected, "
            "while teachers said that schools would stay closed until the end of the month. The rains "
            "are expected to ease next week, forecasters said, though rivers in the valley remain high.\n\n"
            "Later on Monday, four civilians were killed when shells hit homes in Kasama, police said.\n")


def test_a_round_ups_second_incident_links_by_place_and_toll(tmp_path):
    """Two round-ups each lead with another story, and tell the same Kasama shelling further down
    with the same toll: that incident is one event, though neither article leads with it."""
    clusters = _clusters_after_ingesting_each(tmp_path, {
        "a.txt": ROUND_UP.format(day="06", lead="Gunmen killed nine people in Mbeya on Monday."),
        "b.txt": ROUND_UP.format(day="06", lead="A bridge collapsed in Lusaka on Monday."),
    })
    kasama = [c for c in clusters if c.place == "Kasama"]
    assert kasama and max(c.n_articles for c in kasama) == 2, [(c.place, c.n_articles) for c in clusters]


def test_reports_days_apart_do_not_merge_through_the_day_between(tmp_path):
    """Monday's and Wednesday's shelling of one town are two events, even when a Tuesday report
    in between would match each of them: every member of a cluster vetoes, whatever its day."""
    texts = {
        "mon.txt": "date 2026-04-06\n\nShelling killed five people in Mbeya on Monday, police said.\n",
        "tue.txt": "date 2026-04-07\n\nShelling hit Mbeya on Tuesday, residents said.\n",
        "wed.txt": "date 2026-04-08\n\nShelling killed five people in Mbeya on Wednesday, police said.\n",
    }
    clusters = _clusters_after_ingesting_each(tmp_path, texts)
    days = [sorted({c.date_start, c.date_end}) for c in clusters if c.place == "Mbeya"]
    assert all((d[-1] - d[0]).days <= 1 for d in days), days


def test_an_added_count_or_a_part_of_the_victims_is_no_toll():
    """"Six more people died in a nearby village" adds to the 21; "fourteen of the victims died
    in the market" is part of them: neither is a figure of its own."""
    lead = _report("a1", "Strikes killed 21 civilians in Northtown on Sunday.", start=20, toll=21)
    more = _claim("a1", 300, "Syrian Observatory for Human Rights", 6, "more people")
    more.quantities[0].span = Span(300, 316, "six more people")
    added = _report("a1", "The Observatory said six more people died nearby.", start=300, toll=6, claims=[more])
    part = _report("a1", "Fourteen of the victims died in the market.", start=400, toll=14,
                   reason="killed: Fourteen of the victims")
    assert [f.low for f in figures([lead, added, part])] == [21]


def test_warplanes_and_barrel_bombs_are_a_states_even_unnamed():
    north = _place("Northtown", 10.0, 20.0)
    barrels = _report("a1", "Helicopters dropped barrel bombs on Northtown, killing 15.", place=north, toll=15)
    rockets = _report("a2", "Terrorist rocket attacks on Northtown killed 6.", place=north, toll=6,
                      sub_type="Shelling/artillery/missile attack")
    rockets.event.actor1 = Actor("terrorist", kind="armed group")
    assert not same_event(barrels, rockets).same
    drone = _report("a3", "A drone struck Northtown, killing 6.", place=north, toll=6)
    assert same_event(drone, rockets).same  # armed groups fly drones: the place decides


def test_one_of_those_killed_is_no_toll():
    lead = _report("a1", "Shelling killed 43 people in Northtown on Saturday.", start=20, toll=43)
    one = _report("a2", "One of those killed was the head of the clinic.", start=500, toll=1,
                  reason="killed: One of those", outlet="Other Times")
    assert [f.low for f in figures([lead, one])] == [43]


def test_a_sources_counts_joined_by_and_add_up():
    """"the raid killed 14 villagers, most of them farmers, as well as three foreign fighters",
    the monitor said: its figure is 17."""
    text = "the raid killed 14 villagers, most of them farmers, as well as three foreign fighters"
    claim = _claim("a1", 600, "Northtown Monitoring Centre", 14, "villagers")
    claim.span = Span(600, 600 + len(text), text)
    q15, q3 = claim.quantities[0], Quantity(span=Span(600 + text.index("three"), 600 + text.index(" fighters") + 9,
                                                      "three foreign fighters"), low=3, high=3, what="killed")
    q15.span = Span(600 + text.index("14"), 600 + text.index("14") + 12, "14 villagers")
    claim.quantities = [q15, q3]
    lead = _report("a1", "An air strike killed 10 people in Northtown on Monday.", start=20, toll=10, claims=[claim])
    assert sorted(f.low for f in figures([lead])) == [10, 17]


def test_a_count_joined_to_an_added_count_adds_too():
    """"Four more people were killed in Easton and one in Weston, the monitor said": both counts
    add to the lead's 20 (a per-town breakdown), neither is the monitor's toll."""
    text = "Four more people were killed in Easton and one in Weston the Northtown Monitoring Centre said"
    claim = _claim("a1", 300, "Northtown Monitoring Centre", 4, "people")
    claim.span = Span(300, 300 + len(text), text)
    claim.quantities[0].span = Span(300, 316, "Four more people")
    at = text.index("one in")
    claim.quantities.append(Quantity(span=Span(300 + at, 303 + at, "one"), low=1, high=1, what="killed"))
    lead = _report("a1", "Air strikes killed 20 civilians in Northtown on Monday.", start=20, toll=20, claims=[claim])
    assert [f.low for f in figures([lead])] == [20]


def test_a_guessed_place_far_away_in_the_same_province_still_places_the_report_in_it():
    """A report naming no place, whose article names a town 40 km from the other report's town
    most: the guess is weak, but both are in one province, like two tellings of one raid there
    (similar sentences, tolls differing as early counts do).  In another province it says nothing."""
    import numpy as np

    north = _place("Northtown", 10.0, 20.0)
    named = _report("a1", "Government jets struck Northtown, killing 19 fighters.", place=north, toll=19)
    guessed = _report("a2", "Air raids killed 31 fighters in the province, a monitor said.", toll=31,
                      article_place=_place("Lakeside", 10.3, 20.2))
    named.vector, guessed.vector = np.array([1.0, 0.0]), np.array([0.6, 0.8])  # cosine 0.6: the same story retold
    assert same_event(named, guessed).same
    guessed.article_place = _place("Lakeside", 10.3, 20.2, admin1="Southland")
    assert not same_event(named, guessed).same


def test_a_named_source_quoted_as_he_with_more_than_a_count_gives_its_own_figure():
    """"In one hour the jets killed more than 40 people," he said: "he" is the doctor named
    before, a named source, and "more than 40" is at least 40, not 40 more."""
    text = "In one hour the jets have killed more than 40 people"
    doctor = _claim("a1", 700, "Amara Tembo", 40, "people")
    doctor.span = Span(700, 700 + len(text), text)
    at = text.index("40")
    doctor.quantities[0].span = Span(700 + at, 700 + at + 9, "40 people")
    doctor.speaker = Actor("Amara Tembo", span=Span(760, 762, "he"), party="independent")
    lead = _report("a1", "Air strikes killed 21 civilians in Northtown on Sunday.", start=20, toll=21, claims=[doctor])
    assert sorted(f.low for f in figures([lead])) == [21, 40]


def test_a_headline_total_itemised_by_far_apart_towns_is_not_one_event_with_them():
    """"Thirteen civilians were killed in air raids on the north" then five in Easton and eight in
    Weston, 60 km apart: the towns' strikes are two events, not the total's; within one small
    area (under 25 km) the total is the area's event and its parts stay with it."""
    from counterclaim.link.events import itemised_totals

    region = _place("Northland", 10.2, 20.3)
    region = Place(span=region.span, name="Northland", kind="province", lat=10.2, lon=20.3, country="XX",
                   admin1="Northland", precision="admin1")
    east, west = _place("Easton", 10.0, 20.0), _place("Weston", 10.0, 20.55)
    total = _report("a1", "Thirteen civilians were killed in air raids on Northland.", place=region, toll=13)
    five = _report("a1", "Five were killed when jets struck Easton.", start=200, place=east, toll=5)
    eight = _report("a1", "Eight died when jets struck Weston.", start=300, place=west, toll=8)
    itemised_totals([total, five, eight])
    assert total.parts == {five.id, eight.id}
    assert not same_event(total, five).same and not same_event(eight, total).same
    near = _report("a2", "Eight died when jets struck Southton.", start=300, place=_place("Southton", 10.05, 20.05), toll=8)
    area = _report("a2", "Thirteen civilians were killed in air raids on Northland.", place=region, toll=13)
    five2 = _report("a2", "Five were killed when jets struck Easton.", start=200, place=east, toll=5)
    itemised_totals([area, five2, near])
    assert not area.parts  # Easton and Southton are one small area: its toll is the area's


def test_two_named_sources_in_one_article_whose_tolls_differ_dispute_it():
    """The monitor's 23 and the medical council's 50 in one story: two sources disagree (over 1.5x).
    The article's own 23 beside one named source's 50 is left to the article."""
    council = _claim("a1", 900, "Northtown Medical Council", 50, "people")
    monitor = _claim("a1", 40, "Northtown Monitoring Centre", 23, "civilians")
    lead = _report("a1", "The monitor said 23 civilians were killed in Northtown.", start=40, toll=23,
                   claims=[monitor, council])
    assert toll_range([lead]).conflict is not None
    lead.claims = [council]
    lead.event.claim_ids = [council.id]
    assert toll_range([lead]).conflict is None
