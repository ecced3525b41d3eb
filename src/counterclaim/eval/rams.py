"""``counterclaim eval rams FILE.jsonlines``: violent-event triggers and roles in RAMS.

RAMS 1.0 (Ebner et al., ACL 2020): each JSON line is one annotated event in a
window of 5 tokenised sentences: ``sentences`` (lists of tokens),
``evt_triggers`` (``[[start, end, [[type, 1.0]]]]``, token indices, end
included), ``gold_evt_links`` (``[[trigger], [start, end], "evt089arg01victim"]``).
The reader joins the tokens with spaces (none before closing punctuation and
clitics) and keeps every token's character offsets.

Only one event per window is annotated, so precision cannot be measured: the
figures are recalls, plus a false-alarm count.

- In scope (ACLED-style violence): ``conflict.attack.*``,
  ``life.die.deathcausedbyviolentevents`` and ``life.die.n/a``,
  ``life.injure.injurycausedbyviolentevents`` and ``life.injure.n/a``.
  Non-violent deaths and illnesses, surrender, retreat, protests and the
  rest are out of scope.
- ``trigger_recall``: a system violent event's trigger overlaps the gold
  trigger; ``sentence_recall``: one is in the trigger's sentence;
  ``window_recall``: one is anywhere in the window.
- ``arguments``: the system event aligned with the gold one (trigger overlap,
  else the nearest in the same sentence) against the gold roles: actor1 vs
  attacker / killer / injurer, actor2 vs target / victim, place vs place, by
  character-span overlap (P/R/F1 over the aligned events; gold arguments of
  unaligned events count as missed).
- ``false_alarms``: out-of-scope examples whose annotated (non-violent)
  trigger a system violent event overlaps.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional

from ..records import Article, Event, Extraction
from .scoring import jsonl_rows, overlaps
from .wikievents import (
    ArgScore,
    GoldArg,
    GoldEvent,
    extract_all,
    is_violent_system,
    sentence_of,
    trigger_of,
    trigger_range,
)

IN_SCOPE_PREFIX = ("conflict.attack.",)
IN_SCOPE = {"life.die.deathcausedbyviolentevents", "life.die.n/a",
            "life.injure.injurycausedbyviolentevents", "life.injure.n/a"}
_NO_SPACE_BEFORE = {".", ",", ":", ";", "!", "?", "%", ")", "]", "}", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m",
                    "'", "''", "’s"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}
_ROLE = re.compile(r"arg\d+(.+)$")


def is_violent_rams(event_type: str) -> bool:
    t = event_type.lower()
    return t.startswith(IN_SCOPE_PREFIX) or t in IN_SCOPE


@dataclass
class Window:
    id: str
    text: str
    sentences: list[tuple[int, int]]
    event: GoldEvent


def _detokenize(sentences: list[list[str]]) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """Text, token character spans, sentence character spans."""
    parts: list[str] = []
    pos = 0
    toks: list[tuple[int, int]] = []
    sents: list[tuple[int, int]] = []
    prev = None
    for sent in sentences:
        start = None
        for tok in sent:
            if prev is not None and tok not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER:
                parts.append(" ")
                pos += 1
            toks.append((pos, pos + len(tok)))
            start = pos if start is None else start
            parts.append(tok)
            pos += len(tok)
            prev = tok
        if start is not None:
            sents.append((start, pos))
    return "".join(parts), toks, sents


def read_rams(path: Path) -> Iterator[Window]:
    return jsonl_rows(path, "a RAMS example", _window)


def _window(row: dict) -> Window:
    text, toks, sents = _detokenize(row["sentences"])
    t_start, t_end, types = row["evt_triggers"][0]
    trigger = (toks[t_start][0], toks[t_end][1])
    args = []
    for _, (a_start, a_end), role in row.get("gold_evt_links", []):
        m = _ROLE.search(role)
        args.append(GoldArg((m.group(1) if m else role).lower(), [(toks[a_start][0], toks[a_end][1])]))
    event = GoldEvent(types[0][0], trigger, text[trigger[0]:trigger[1]], sentence_of(sents, trigger[0]), args)
    return Window(row["doc_key"], text, sents, event)


def _aligned(window: Window, events: list[Event]) -> Optional[Event]:
    g = window.event
    hit = [e for e in events if overlaps(g.trigger, trigger_range(e))]
    if hit:
        return hit[0]
    same = [e for e in events if sentence_of(window.sentences, trigger_of(e).start) == g.sentence]
    return min(same, key=lambda e: abs(trigger_of(e).start - g.trigger[0]), default=None)


def evaluate_rams(path: Path, extract_fn: Optional[Callable[[Article], Extraction]] = None) -> dict:
    path = Path(path)
    windows = list(read_rams(path))
    if not windows:
        raise ValueError(f"{path}: no examples")
    in_scope = [w for w in windows if is_violent_rams(w.event.type)]
    out_scope = [w for w in windows if not is_violent_rams(w.event.type)]
    counts: Counter[str] = Counter()
    args = ArgScore()
    by_type: dict[str, list[int]] = {}
    missed: Counter = Counter()
    alarms: Counter = Counter()
    failures: list[str] = []
    texts = ((w.id, w.text) for w in in_scope + out_scope)
    for w, ex in zip(in_scope + out_scope, extract_all(texts, extract_fn, failures)):
        events = [e for e in ex.events if is_violent_system(e) and e.trigger is not None]
        g = w.event
        if not is_violent_rams(g.type):
            if any(overlaps(g.trigger, trigger_range(e)) for e in events):
                counts["false_alarms"] += 1
                alarms[f"{g.trigger_text.lower()} ({g.type})"] += 1
            continue
        trig = any(overlaps(g.trigger, trigger_range(e)) for e in events)
        sent = any(sentence_of(w.sentences, trigger_of(e).start) == g.sentence for e in events)
        counts["trigger"] += trig
        counts["sentence"] += sent
        counts["window"] += bool(events)
        by_type.setdefault(g.type, [0, 0])
        by_type[g.type][0] += trig
        by_type[g.type][1] += 1
        if not trig:
            missed[g.trigger_text.lower()] += 1
        args.add(g, _aligned(w, events))
    n = len(in_scope)
    r = lambda k: round(counts[k] / n, 4) if n else 0.0  # noqa: E731
    return {
        "dataset": path.name,
        "n_docs": len(windows),
        "n_in_scope": n,
        "metrics": {
            "trigger_recall": r("trigger"),
            "sentence_recall": r("sentence"),
            "window_recall": r("window"),
            "recall_by_type": {t: round(a / b, 4) for t, (a, b) in sorted(by_type.items())},
            "arguments": args.as_dict(),
            "recall_by_role": args.recall_by_role(),
            "false_alarms": {"count": counts["false_alarms"], "of": len(out_scope),
                             "rate": round(counts["false_alarms"] / len(out_scope), 4) if out_scope else 0.0},
        },
        "errors": {"missed_gold_triggers": missed.most_common(20), "false_alarm_triggers": alarms.most_common(10),
                   "extraction_failures": failures},
    }
