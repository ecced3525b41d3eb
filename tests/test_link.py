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
    embed.get_embedder.cache_clear()
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
        embed.get_embedder.cache_clear()
