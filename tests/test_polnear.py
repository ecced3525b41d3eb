"""PolNeAR evaluation: the BRAT standoff reader, the span and attribution metrics,
the textacy baseline's spans, and one run of the evaluator on real documents."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counterclaim.eval.polnear import (
    GoldAttribution,
    PredAttribution,
    any_overlap,
    attribution_match,
    check_offsets,
    content_match,
    frag_overlap,
    gold_attributions,
    parse_fragments,
    polnear_files,
    read_ann,
    read_polnear,
    score_document,
)

SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared")
POLNEAR = SHARED / "eval" / "polnear-dev"

# Our own two-paragraph article: a reported claim, a quote interrupted by its cue,
# a source-less attribution and an annotator's note.
TEXT = (
    "The ministry said that the bridge was closed.\n"
    "\n"
    "\u201cWe will reopen it,\u201d the mayor told reporters, \u201cnext week.\u201d\n"
    "The closure is expected to last a month."
)


def _at(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def _t(tid: str, kind: str, *needles: str) -> str:
    frags = [_at(n) for n in needles]
    offsets = ";".join(f"{s} {e}" for s, e in frags)
    return f"{tid}\t{kind} {offsets}\t" + " ".join(TEXT[s:e] for s, e in frags)


def _ann() -> str:
    return "\n".join([
        _t("T1", "Source", "The ministry"),
        _t("T2", "Cue", "said"),
        _t("T3", "Content", "that the bridge was closed"),
        _t("T4", "Attribution", "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        _t("T5", "Content", "\u201cWe will reopen it,\u201d", "\u201cnext week.\u201d"),
        _t("T6", "Source", "the mayor"),
        _t("T7", "Cue", "told"),
        _t("T8", "Attribution", "told"),
        "E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6",
        _t("T9", "Cue", "is expected"),
        _t("T10", "Content", "The closure"),
        _t("T11", "Attribution-no-source", "is expected"),
        "E3\tAttribution-no-source:T11 Cue:T9 Content:T10",
        "E4\tAttribution-no-source:T11 ",  # a dangling event: no content
        _t("T12", "Discuss", "last a month"),
        "#1\tAnnotatorNotes T12\tnot an attribution",
        "",
    ])


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "bridge.txt").write_text(TEXT, encoding="utf-8", newline="")
    (tmp_path / "attributions" / "bridge_b2.ann").write_text(_ann(), encoding="utf-8")
    # A second annotator's file for the same article: later by name, so not used.
    (tmp_path / "attributions" / "bridge_c9.ann").write_text("T1\tSource 0 3\tThe\n", encoding="utf-8")
    # An annotation without its text is ignored.
    (tmp_path / "attributions" / "orphan_b2.ann").write_text("", encoding="utf-8")
    return tmp_path


# -- reader ------------------------------------------------------------------------------


def test_parse_fragments_keeps_the_written_order():
    assert parse_fragments("5 9") == ((5, 9),)
    assert parse_fragments("30 40;10 20") == ((30, 40), (10, 20))
    with pytest.raises(ValueError):
        parse_fragments("5")


def test_read_ann_keeps_attribution_spans_and_events(corpus: Path):
    spans, events = read_ann(corpus / "attributions" / "bridge_b2.ann")
    assert "T12" not in spans  # Discuss is a note, not a span we score
    assert spans["T5"].type == "Content" and len(spans["T5"].fragments) == 2
    assert [e[0] for e in events] == ["E1", "E2", "E3", "E4"]
    assert events[0][1][0] == ("Attribution", "T4")


def test_gold_attributions_resolve_roles(corpus: Path):
    spans, events = read_ann(corpus / "attributions" / "bridge_b2.ann")
    gold = gold_attributions(spans, events)
    assert [g.id for g in gold] == ["E1", "E2", "E3"]  # E4 has no content
    e1, e2, e3 = gold
    assert e1.source == (_at("The ministry"),) and e1.cue == (_at("said"),)
    assert e1.content == (_at("that the bridge was closed"),)
    assert e2.content == (_at("\u201cWe will reopen it,\u201d"), _at("\u201cnext week.\u201d"))
    assert e3.kind == "Attribution-no-source" and e3.source is None and e3.cue == (_at("is expected"),)


def test_content2_joins_the_content(tmp_path: Path):
    ann = tmp_path / "x_a1.ann"
    ann.write_text(
        "T1\tContent 0 5\tabcde\nT2\tCue 6 9\tfgh\nT3\tContent 20 25\tklmno\nT4\tAttribution 6 9\tfgh\n"
        "E1\tAttribution:T4 Cue:T2 Content:T1 Content2:T3\n",
        encoding="utf-8",
    )
    (gold,) = gold_attributions(*read_ann(ann))
    assert gold.content == ((0, 5), (20, 25)) and gold.source is None


def test_offsets_are_checked_against_the_text(corpus: Path):
    spans, _ = read_ann(corpus / "attributions" / "bridge_b2.ann")
    assert check_offsets(TEXT, spans.values()) == 0
    assert check_offsets("x" + TEXT, spans.values()) > 0


def test_files_use_the_first_annotator_by_name(corpus: Path):
    files = polnear_files(corpus)
    assert [(name, ann.name) for name, _, ann in files] == [("bridge", "bridge_b2.ann")]
    (doc,) = read_polnear(corpus)
    assert doc.text == TEXT and doc.offset_mismatches == 0 and len(doc.attributions) == 3


def test_missing_folders_are_named(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="text/ and attributions/"):
        polnear_files(tmp_path)


# -- metrics --------------------------------------------------------------------------------


def test_span_matching_rules():
    assert any_overlap(((0, 5),), ((4, 9),)) and not any_overlap(((0, 5),), ((5, 9),))
    assert not any_overlap(((0, 5),), None)
    assert frag_overlap(((0, 10), (20, 30)), ((5, 25),)) == 10
    # content: the overlap must cover at least half of the shorter span
    assert content_match(((0, 10),), ((5, 100),))  # 5 of the shorter 10
    assert not content_match(((0, 10),), ((6, 100),))  # 4 of 10
    assert content_match(((0, 10), (20, 30)), ((0, 10),))  # the whole of the shorter one


def _gold(content, cue=None, source=None):
    return GoldAttribution("E", "Attribution", (content,), (cue,) if cue else None, (source,) if source else None)


def test_attribution_needs_source_and_cue_where_gold_has_them():
    gold = _gold((20, 40), cue=(10, 14), source=(0, 9))
    assert attribution_match(gold, PredAttribution(((22, 40),), ((10, 14),), ((5, 9),)))
    assert not attribution_match(gold, PredAttribution(((22, 40),), ((10, 14),), None))  # no source
    assert not attribution_match(gold, PredAttribution(((22, 40),), ((41, 45),), ((0, 9),)))  # other cue
    assert not attribution_match(gold, PredAttribution(((35, 60),), ((10, 14),), ((0, 9),)))  # content too short
    sourceless = _gold((20, 40), cue=(10, 14))
    assert attribution_match(sourceless, PredAttribution(((20, 40),), ((10, 14),), ((0, 3),)))


def test_score_document_is_one_to_one_and_dedupes_spans():
    gold = [
        _gold((20, 40), cue=(10, 14), source=(0, 9)),
        _gold((60, 80), cue=(50, 54), source=(0, 9)),  # the same source span again
    ]
    pred = [
        PredAttribution(((20, 40),), ((10, 14),), ((0, 9),)),
        PredAttribution(((21, 39),), ((10, 14),), ((0, 9),)),  # a second guess at the first one
        PredAttribution(((100, 120),), ((90, 94),), None),  # nothing in gold
    ]
    scores = score_document(gold, pred)
    assert scores["attribution"] == (1, 3, 2)
    assert scores["source"] == (1, 1, 1)  # one distinct source on each side
    assert scores["cue"] == (1, 2, 2)
    assert scores["content"] == (1, 3, 2)


def test_maximum_matching_is_not_greedy():
    # The first gold could take either prediction; the second only the first one.
    gold = [_gold((0, 20)), _gold((10, 22))]
    pred = [PredAttribution(((8, 22),)), PredAttribution(((0, 12),))]
    assert score_document(gold, pred)["attribution"] == (2, 2, 2)


def test_textacy_token_fragments():
    spacy = pytest.importorskip("spacy")
    from counterclaim.eval.baseline_textacy import token_fragments

    doc = spacy.blank("en")("the Foreign Minister said today")
    assert token_fragments([doc[1], doc[2]]) == ((4, 20),)
    assert token_fragments([doc[3], doc[0]]) == ((0, 3), (21, 25))
    assert token_fragments([]) is None


# -- the real data --------------------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.skipif(not POLNEAR.is_dir(), reason=f"PolNeAR dev not found at {POLNEAR} (set COUNTERCLAIM_SHARED_DIR)")
def test_evaluate_polnear_on_three_real_documents():
    from counterclaim.eval.polnear import evaluate_polnear

    seen = []
    result = evaluate_polnear(POLNEAR, limit=3, progress=lambda done, total: seen.append((done, total)))
    assert result["dataset"] == "polnear-dev" and result["n_docs"] == 3
    assert seen[-1] == (3, 3)
    assert result["gold_offset_mismatches"] == 0
    metrics = result["metrics"]
    for name in ("source", "cue", "content", "attribution"):
        for block in (metrics[name], metrics["baseline"][name]):
            assert set(block) == {"precision", "recall", "f1", "support"}
            assert 0.0 <= block["f1"] <= 1.0
    assert metrics["attribution"]["support"] > 0
    assert metrics["attribution"]["f1"] > 0  # the rules find something in three articles
    rates = metrics["words_per_s"]
    assert set(rates) == {"parse", "counterclaim", "textacy"}
    assert rates["parse"] > 0 and rates["counterclaim"] > 0
    assert metrics["attribution_overhead"] > 0


def test_quotes_under_one_cue_are_one_attribution_of_several_fragments():
    # PolNeAR gives '"A," she said. "B."' one content of two fragments; counterclaim's
    # claims under that one cue join into that one attribution.
    from counterclaim.eval.polnear import counterclaim_attributions
    from counterclaim.nlp.pipeline import get_nlp

    text = "\u201cWe will reopen the bridge,\u201d the mayor said. \u201cThe repairs are nearly done.\u201d"
    preds = counterclaim_attributions(get_nlp()(text), "bridge")
    assert len(preds) == 1
    (pred,) = preds
    assert [text[s:e] for s, e in pred.content] == [
        "\u201cWe will reopen the bridge,\u201d", "\u201cThe repairs are nearly done.\u201d"]
    assert text[pred.cue[0][0]:pred.cue[0][1]] == "said"
