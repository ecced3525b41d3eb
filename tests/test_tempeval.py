"""The TimeML reader and the TempEval scorer.

The reader and the matching rules are checked on a small TimeML document of
the tests' own; one test runs the scorer on the first few files of the real
TempEval-3 training data (skipped when ../shared/eval is absent).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from counterclaim.eval.tempeval import (
    GoldTimex,
    canonical_value,
    evaluate_tempeval,
    iter_timeml,
    match,
    score_document,
)
from counterclaim.records import Span, Time

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2026-02-27" temporalFunction="false" functionInDocument="CREATION_TIME">2026-02-27</TIMEX3></DCT>
<TITLE>Border clashes</TITLE>
<TEXT>
Troops <EVENT eid="e1" class="OCCURRENCE">clashed</EVENT> on <TIMEX3 tid="t1" type="DATE" value="2026-02-27">Friday</TIMEX3> &amp; <SIGNAL sid="s1">after</SIGNAL> a truce agreed in <TIMEX3 tid="t2" type="DATE" value="2025-10">October</TIMEX3> collapsed within <TIMEX3 tid="t3" type="DURATION" value="P1M">a month</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture()
def tml_dir(tmp_path: Path) -> Path:
    (tmp_path / "doc.tml").write_text(TML, encoding="utf-8")
    return tmp_path


def test_reader_strips_tags_and_keeps_offsets(tml_dir):
    [(doc_id, text, dct, gold)] = list(iter_timeml(tml_dir))
    assert doc_id == "TEST001"
    assert dct == date(2026, 2, 27)
    assert "<" not in text and "&" in text  # tags gone, entities decoded
    assert [(g.span.text, g.type, g.value) for g in gold] == [
        ("Friday", "DATE", "2026-02-27"),
        ("October", "DATE", "2025-10"),
        ("a month", "DURATION", "P1M"),
    ]
    assert all(text[g.span.start : g.span.end] == g.span.text for g in gold)
    # the DCT is metadata: not among the scored expressions, not in the text
    assert "2026-02-27" not in text


def _time(start: int, end: int, value: str) -> Time:
    return Time(Span(start, end, ""), value)


def _gold(start: int, end: int, value: str, type_: str = "DATE") -> GoldTimex:
    return GoldTimex(Span(start, end, ""), type_, value, "t")


def test_match_is_one_to_one_by_largest_overlap():
    pred = [Span(0, 20, ""), Span(18, 25, "")]
    gold = [Span(0, 5, ""), Span(10, 19, ""), Span(19, 24, "")]
    assert sorted(match(pred, gold)) == [(0, 1), (1, 2)]


def test_value_counts_only_on_an_overlapping_match():
    gold = [_gold(0, 6, "2026-02-27"), _gold(10, 17, "2025-10"), _gold(30, 37, "P1M", "DURATION")]
    pred = [_time(0, 9, "2026-02-27"), _time(10, 17, "2024-10"), _time(30, 44, "2025-11"), _time(50, 55, "2020")]
    (t_tp, t_pred, t_gold), (v_tp, v_pred, v_gold) = score_document(pred, gold)
    assert (t_tp, t_pred, t_gold) == (3, 4, 3)
    assert (v_tp, v_pred, v_gold) == (1, 4, 3)
    # DATE/TIME only: the prediction paired with the DURATION gold is left out
    (t_tp, t_pred, t_gold), (v_tp, _, _) = score_document(pred, gold, ("DATE", "TIME"))
    assert (t_tp, t_pred, t_gold, v_tp) == (2, 3, 2, 1)


def test_equivalent_spellings_of_decades_and_centuries():
    assert canonical_value("197") == canonical_value("197X") == "197X"
    assert canonical_value("19") == canonical_value("19XX")
    assert canonical_value("2025-10") == "2025-10"


def test_evaluate_on_a_document_of_our_own(tml_dir):
    result = evaluate_tempeval(tml_dir)
    assert result["dataset"] == "tempeval" and result["n_docs"] == 1
    metrics = result["metrics"]
    # find_times dates "within a month" (2025-11) where TimeML marks a duration (P1M): a value miss
    assert metrics["timex"]["recall"] == 1.0
    assert metrics["value"]["support"] == 3 and metrics["value"]["recall"] == pytest.approx(2 / 3, abs=1e-3)
    assert metrics["words_per_s"] > 0


def test_evaluate_on_the_first_tempeval3_files(eval_dir):
    data = eval_dir / "tempeval3-train"
    if not data.is_dir():
        pytest.skip(f"TempEval-3 data not found: {data}")
    done = []
    result = evaluate_tempeval(data, limit=5, progress=lambda n, total: done.append((n, total)))
    assert result["n_docs"] == 5 and done[-1] == (5, 5)
    metrics = result["metrics"]
    assert set(metrics) >= {"timex", "value", "timex_date_time", "value_date_time", "words_per_s"}
    assert metrics["timex"]["support"] > 0
    assert metrics["timex"]["f1"] >= 0.8
    assert metrics["value"]["f1"] >= 0.6
