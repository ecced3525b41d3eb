"""``counterclaim eval wikievents FILE.jsonl``: violent-event triggers and roles.

WikiEvents (Li, Ji and Han, NAACL 2021) annotates every event mention of the
KAIROS ontology in full news documents.  Each JSON line holds ``doc_id``,
``tokens``, ``sentences`` (``[[[token, start, end], ...], sentence_text]``;
the reader rebuilds the text from these token offsets, with spaces between,
and that is what the extractor reads), ``entity_mentions`` (token spans), ``event_mentions``
(``event_type``, ``trigger`` token span and ``sent_idx``, ``arguments`` with
``entity_id`` and ``role``).  A ``coref_*.jsonlines`` file beside it (same
name with ``coref_`` before the split) clusters entity mentions; an argument
then counts as found when any mention of its cluster is hit.

What is scored: ACLED-style violent events (the mapping, both ways):

- gold: ``Conflict.Attack.*`` (attacks, explosions), ``Life.Die.*``,
  ``Life.Injure.*`` and ``Conflict.Demonstrate.DemonstrateWithViolence``;
  other types (contact, movement, justice, disasters...) are not events
  counterclaim should code as violence;
- system: events whose ACLED type is Battles, Explosions/Remote violence,
  Violence against civilians or Riots, and Excessive force against
  protesters (``VIOLENT_SUB_TYPES``).

Metrics: ``triggers`` (one-to-one, trigger spans overlap), ``events`` (one-to-
one within the trigger's sentence: ACLED codes one event where the text has an
attack, a "killed" and a "wounded"; a record merged from several mentions, as
``Event.mentions`` keeps them, is one predicted mention per sentence it is told
in, since the gold annotates mentions), ``sentences`` (sentences
holding a gold violent event vs sentences telling a system one), ``recall_by_type``, and
``arguments`` over the sentence-aligned events: the system's actor1 against
gold Attacker / Killer / Injurer, actor2 against Target / Victim, place against
Place, each P/R/F1 by character-span overlap; ``recall_by_role`` splits the
recall by gold role.  A system event tells its own sentence and the sentences
merged into it (``Event.mentions``: the same sub-type, place and day told again
further down, which ACLED codes once).  ``errors`` (outside ``metrics``) lists the most frequent
missed gold triggers and spurious system triggers: the lead's to-do list.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from ..records import SUB_TYPE_TO_TYPE, Article, Event, Extraction, Span
from .scoring import PRF, jsonl_rows, match_one_to_one, overlaps

VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")
VIOLENT_SUB_TYPES = frozenset(
    [s for s, t in SUB_TYPE_TO_TYPE.items() if t in VIOLENT_TYPES] + ["Excessive force against protesters"]
)
# gold role -> the system slot that should hold it
ROLE_SLOT = {"attacker": "actor1", "killer": "actor1", "injurer": "actor1",
             "target": "actor2", "victim": "actor2", "place": "place"}
SLOTS = ("actor1", "actor2", "place")
SLOT_NAME = {"actor1": "attacker", "actor2": "target_victim", "place": "place"}


def is_violent_wikievents(event_type: str) -> bool:
    t = event_type.lower()
    return (t.startswith(("conflict.attack.", "life.die.", "life.injure."))
            or t == "conflict.demonstrate.demonstratewithviolence")


def is_violent_system(event: Event) -> bool:
    return event.sub_type in VIOLENT_SUB_TYPES


def trigger_of(event: Event) -> Span:
    """The trigger of a system event the scorers kept (they keep only events that have one)."""
    assert event.trigger is not None, "the scorers keep events with a trigger"
    return event.trigger


def trigger_range(event: Event) -> tuple[int, int]:
    t = trigger_of(event)
    return (t.start, t.end)


# -- the shared gold shape (RAMS uses it too) ----------------------------------------


@dataclass
class GoldArg:
    role: str  # lower-case gold role: attacker, target, victim, place, ...
    spans: list[tuple[int, int]]  # the mention and its coreferent mentions (characters)


@dataclass
class GoldEvent:
    type: str
    trigger: tuple[int, int]
    trigger_text: str
    sentence: int
    args: list[GoldArg] = field(default_factory=list)


@dataclass
class GoldDoc:
    id: str
    text: str
    sentences: list[tuple[int, int]]
    events: list[GoldEvent]


def sentence_of(sentences: list[tuple[int, int]], char: int) -> int:
    for i, (s, e) in enumerate(sentences):
        if s <= char < e + 1:  # the joining space belongs to the sentence before
            return i
    return -1


def slot_span(event: Event, slot: str) -> Optional[Span]:
    value = getattr(event, slot)
    return getattr(value, "span", None) if value is not None else None


# -- reader ---------------------------------------------------------------------------


def _coref_path(path: Path) -> Path:
    split = re.sub(r"\.jsonl(ines)?$", "", path.name)
    return path.with_name(f"coref_{split}.jsonlines")


def _clusters(path: Path) -> dict[str, dict[str, list[str]]]:
    """doc_key -> entity id -> the ids of its cluster."""
    out: dict[str, dict[str, list[str]]] = {}
    cpath = _coref_path(path)
    if not cpath.is_file():
        return out
    for line in cpath.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        clusters = row.get("clusters") or []
        if isinstance(clusters, str):  # stored as a Python literal string
            clusters = ast.literal_eval(clusters)
        members = {}
        for cluster in clusters:
            for eid in cluster:
                members[eid] = list(cluster)
        out[row["doc_key"]] = members
    return out


def read_wikievents(path: Path) -> Iterator[GoldDoc]:
    path = Path(path)
    clusters = _clusters(path)
    return jsonl_rows(path, "a WikiEvents document", lambda row: _doc(row, clusters.get(row["doc_id"], {})))


def _text_from_offsets(tokens: list) -> str:
    """The document text with every token at its own offsets (gaps are spaces):
    the offsets are the annotation's, and the file's own text does not always
    agree with them (sentences glued together)."""
    size = max((end for _, _, end in tokens), default=0)
    chars = [" "] * size
    for tok, start, end in tokens:
        chars[start:end] = list(tok[: end - start].ljust(end - start))
    return "".join(chars)


def _doc(row: dict, clusters: dict[str, list[str]]) -> GoldDoc:
    sents = row["sentences"]
    text = _text_from_offsets([t for s in sents for t in s[0]])
    toks = [(start, end) for s in sents for _, start, end in s[0]]
    sentences = [(s[0][0][1], s[0][-1][2]) for s in sents if s[0]]
    ents = {e["id"]: (toks[e["start"]][0], toks[e["end"] - 1][1]) for e in row["entity_mentions"]}
    events = []
    for m in row["event_mentions"]:
        trig = m["trigger"]
        span = (toks[trig["start"]][0], toks[trig["end"] - 1][1])
        args = []
        for a in m["arguments"]:
            ids = clusters.get(a["entity_id"], [a["entity_id"]])
            spans = [ents[i] for i in ids if i in ents] or ([ents[a["entity_id"]]] if a["entity_id"] in ents else [])
            args.append(GoldArg(a["role"].lower(), spans))
        events.append(GoldEvent(m["event_type"], span, text[span[0]:span[1]],
                                trig.get("sent_idx", sentence_of(sentences, span[0])), args))
    return GoldDoc(row["doc_id"], text, sentences, events)


# -- scoring --------------------------------------------------------------------------


@dataclass
class ArgScore:
    slots: dict[str, PRF] = field(default_factory=lambda: {s: PRF() for s in SLOTS})
    by_role: dict[str, PRF] = field(default_factory=dict)

    def add(self, gold: Optional[GoldEvent], event: Optional[Event]) -> None:
        """One aligned pair (or a gold event with no system event, or a spurious one)."""
        for slot in SLOTS:
            span = slot_span(event, slot) if event is not None else None
            gold_args = [a for a in (gold.args if gold else []) if ROLE_SLOT.get(a.role) == slot]
            hit = [a for a in gold_args if span is not None and any(overlaps((span.start, span.end), s) for s in a.spans)]
            # one system span stands for one argument, however many gold ones it hits
            self.slots[slot].add(tp=1 if hit else 0, predicted=1 if span is not None else 0, gold=len(gold_args))
            for a in gold_args:
                self.by_role.setdefault(a.role, PRF()).add(tp=1 if a in hit else 0, predicted=0, gold=1)

    def as_dict(self) -> dict:
        out = {SLOT_NAME[s]: prf.as_dict() for s, prf in self.slots.items()}
        total = PRF()
        for prf in self.slots.values():
            total.add(prf.tp, prf.predicted, prf.gold)
        out["all"] = total.as_dict()
        return out

    def recall_by_role(self) -> dict:
        return {role: round(prf.tp / prf.gold, 4) if prf.gold else 0.0 for role, prf in sorted(self.by_role.items())}


@dataclass
class EventScorer:
    """Triggers, events, sentences, arguments and errors over documents."""

    triggers: PRF = field(default_factory=PRF)
    events: PRF = field(default_factory=PRF)
    sentences: PRF = field(default_factory=PRF)
    args: ArgScore = field(default_factory=ArgScore)
    by_type: dict[str, PRF] = field(default_factory=dict)
    missed: Counter = field(default_factory=Counter)
    spurious: Counter = field(default_factory=Counter)
    n_docs: int = 0

    def add(self, doc: GoldDoc, extraction: Extraction) -> None:
        self.n_docs += 1
        golds = [g for g in doc.events if is_violent_wikievents(g.type)]
        preds = [e for e in extraction.events if is_violent_system(e) and e.trigger is not None]
        sent = lambda e: sentence_of(doc.sentences, trigger_of(e).start)  # noqa: E731

        trig_pairs = match_one_to_one(golds, preds, lambda g, p: overlaps(g.trigger, trigger_range(p)))
        self.triggers.add(len(trig_pairs), len(preds), len(golds))

        def score(g: GoldEvent, p: Event) -> float:
            return 2.0 if overlaps(g.trigger, trigger_range(p)) else 1.0 / (1 + abs(trigger_of(p).start - g.trigger[0]))

        # WikiEvents annotates every mention of an event; the ledger keeps one record per
        # event with its further mentions (``Event.mentions``).  Scored at the gold's level:
        # each sentence a record is told in is one predicted mention of it.
        told = [(j, sent(p), True) for j, p in enumerate(preds)]
        told += [(j, s, False) for j, p in enumerate(preds)
                 for s in sorted({sentence_of(doc.sentences, m.start) for m in p.mentions} - {sent(p)})]

        def told_score(g: GoldEvent, t: tuple) -> float:
            return score(g, preds[t[0]]) if t[2] else 1.0

        mention_pairs = match_one_to_one(golds, told, lambda g, t: g.sentence == t[1], told_score)
        pairs = [(i, told[k][0]) for i, k in mention_pairs]
        self.events.add(len(pairs), len(told), len(golds))
        gold_sents = {g.sentence for g in golds}
        pred_sents = {t[1] for t in told}
        self.sentences.add(len(gold_sents & pred_sents), len(pred_sents), len(gold_sents))

        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        for i, j in pairs:
            self.args.add(golds[i], preds[j])
        for i, g in enumerate(golds):
            key = _type_key(g.type)
            self.by_type.setdefault(key, PRF()).add(1 if i in matched_g else 0, 0, 1)
            if i not in matched_g:
                self.args.add(g, None)
                self.missed[g.trigger_text.lower()] += 1
        for j, p in enumerate(preds):
            if j not in matched_p:
                self.args.add(None, p)
                self.spurious[f"{trigger_of(p).text.lower()} ({p.sub_type})"] += 1

    def metrics(self) -> dict:
        return {
            "triggers": self.triggers.as_dict(),
            "events": self.events.as_dict(),
            "sentences": self.sentences.as_dict(),
            "recall_by_type": {k: round(v.tp / v.gold, 4) if v.gold else 0.0 for k, v in sorted(self.by_type.items())},
            "arguments": self.args.as_dict(),
            "recall_by_role": self.args.recall_by_role(),
        }

    def errors(self, top: int = 15) -> dict:
        return {"missed_gold_triggers": self.missed.most_common(top),
                "spurious_system_triggers": self.spurious.most_common(top)}


def _type_key(event_type: str) -> str:
    parts = event_type.split(".")
    return ".".join(parts[:3]) if parts[0].lower() == "conflict" else ".".join(parts[:2])


def extract_all(texts: Iterable[tuple[str, str]], extract_fn: Optional[Callable[[Article], Extraction]] = None,
                failures: Optional[list[str]] = None) -> Iterator[Extraction]:
    """Extractions of (id, text) pairs, in order: parsed in batches by spaCy unless a
    function is given.  A document whose extraction raises yields an empty
    extraction (all its gold counts as missed) and its error goes to ``failures``:
    one bad document does not hide the figures of the others."""
    articles = (Article.create(text, origin=doc_id, language="en") for doc_id, text in texts)
    run: Callable[[Any], Extraction]  # of a (parse, article) pair, or of an article
    items: Iterator[tuple[Article, Any]]
    if extract_fn is None:
        from ..nlp.extract import extract_doc
        from ..nlp.pipeline import get_nlp

        nlp = get_nlp()
        pairs = nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=16)
        run = lambda pair: extract_doc(pair[1], pair[0])  # noqa: E731
        items = ((a, (doc, a)) for doc, a in pairs)
    else:
        run = lambda a: extract_fn(a)  # noqa: E731
        items = ((a, a) for a in articles)
    for article, item in items:
        try:
            yield run(item)
        except Exception as exc:  # noqa: BLE001 -- reported, never silent
            if failures is None:
                raise
            failures.append(f"{article.origin}: {type(exc).__name__}: {exc}")
            yield Extraction(article=article)


def evaluate_wikievents(path: Path, extract_fn: Optional[Callable[[Article], Extraction]] = None) -> dict:
    path = Path(path)
    docs = list(read_wikievents(path))
    if not docs:
        raise ValueError(f"{path}: no documents")
    scorer = EventScorer()
    failures: list[str] = []
    for doc, extraction in zip(docs, extract_all(((d.id, d.text) for d in docs), extract_fn, failures)):
        scorer.add(doc, extraction)
    n_gold = sum(1 for d in docs for g in d.events if is_violent_wikievents(g.type))
    return {
        "dataset": path.name,
        "n_docs": len(docs),
        "n_gold_events": n_gold,
        "metrics": scorer.metrics(),
        "errors": {**scorer.errors(), "extraction_failures": failures},
    }
