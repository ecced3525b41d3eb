"""Who is who in one article: the organisations and people it names, and the
descriptions and partial names that stand for them.

A wire story names a source once in full and then varies the reference: "the
Syrian Network for Human Rights" becomes "the Network", "the London-based
monitor", "the watchdog"; a lead may even describe it ("a monitoring group
said") before naming it.  "Foreign Minister Joseph Wambua" in one paragraph is
"Wambua" in the next.  A coder wants one speaker under one
name, with the side its fullest mention gives.  This module lists, once per
document, every named organisation (actor-dictionary aliases and ORG entities)
and every person, so that ``speakers`` can map a later, shorter or vaguer
mention onto them -- the same job as the "exact match", "relaxed head match"
and "role appositive" sieves of deterministic coreference (Lee et al. 2013),
restricted to speakers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from spacy.tokens import Doc, Token

from . import lexicon
from .pipeline import ents_of

MAX_ALIAS_WORDS = 6
# Words of a name that say nothing of which body it is ("the", "for", "of").
FUNCTION_WORDS = {"the", "of", "for", "and", "in", "on", "al", "el", "'s", "’s"}


@dataclass(frozen=True)
class Named:
    """One mention of a named organisation."""

    start: int  # token bounds of the mention
    end: int
    name: str  # canonical name (the dictionary's, else the words as written)
    kind: Optional[str]  # the actor dictionary's kind, None for an ORG the dictionary lacks
    entry: Optional[lexicon.ActorEntry]
    words: frozenset[str]  # folded content words of the mention and the canonical name


@functools.lru_cache(maxsize=None)
def descriptions() -> dict[tuple[str, ...], frozenset[str]]:
    """Description head (one or two lemmas) -> kinds of organisation it can stand for."""
    return {tuple(r[0].lower().split()): frozenset(k.strip() for k in r[1].split(",") if k.strip())
            for r in lexicon.rows("descriptions.tsv") if len(r) >= 2}


@functools.lru_cache(maxsize=None)
def _first_words() -> frozenset[str]:
    """First words of the dictionary's aliases: where a name can start."""
    return frozenset(m.group(0) for alias in lexicon.actors() if (m := re.match(r"\w+", alias)))


def shouting(doc: Doc) -> bool:
    """Is the text set in capitals (wire and radio archives)?  There "WHO", "US" and
    "IS" are the pronouns and the verb as often as the bodies."""
    cached = doc.user_data.get("cc_shouting")
    if cached is None:
        letters = [t for t in doc if t.is_alpha and len(t) > 1]
        cached = doc.user_data["cc_shouting"] = bool(letters) and sum(t.is_upper for t in letters) > 0.6 * len(letters)
    return cached


def alias_entry(tokens: list[Token], published: Optional[date]) -> Optional[lexicon.ActorEntry]:
    """The dictionary entry the words name, if any.  A one-word alias that is also an
    English function word ("WHO", "US", "IS") counts only where capitals mean something."""
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0].is_stop and (shouting(tokens[0].doc) or not tokens[0].is_upper):
        return None
    doc = tokens[0].doc
    if tokens[-1].i - tokens[0].i == len(tokens) - 1:
        text = doc[tokens[0].i : tokens[-1].i + 1].text  # "al-Qaeda" as written, not "al - Qaeda"
    else:
        text = " ".join(t.text for t in tokens)
    return lexicon.actor(" ".join(text.split()), published)


def _name_words(mention: list[str], canonical: str) -> frozenset[str]:
    """The words that name a dictionary body: its canonical name's, and the mention's
    when they are part of that name or an abbreviation ("SOHR").  A person's name
    that the dictionary maps to the body ("Y Z" -> the Network) is no part of
    the body's name: "X said" later is the person, not the body."""
    words = _content_words([canonical])
    said = _content_words(mention)
    return words | said if said <= words or len(mention) == 1 else words


def _content_words(words) -> frozenset[str]:
    out = set()
    for w in words:
        for part in lexicon.fold(w).replace("-", " ").split():
            if part not in FUNCTION_WORDS and part.isalnum():
                out.add(part)
    return frozenset(out)


class Cast:
    """The named organisations and people of one document."""

    def __init__(self, doc: Doc, published: Optional[date] = None):
        self.doc = doc
        self.orgs: list[Named] = []
        taken: set[int] = set()
        n = len(doc)
        firsts = _first_words()
        for i in range(n):
            lead = re.match(r"\w+", lexicon.fold(doc[i].text))
            if i in taken or lead is None or lead.group(0) not in firsts:
                continue
            for size in range(min(MAX_ALIAS_WORDS, n - i), 0, -1):
                span = [doc[k] for k in range(i, i + size)]
                if span[-1].is_punct or any(t.is_space for t in span):
                    continue
                entry = alias_entry(span, published)
                if entry is not None:
                    self.orgs.append(Named(i, i + size, entry.canonical, entry.kind, entry,
                                           _name_words([t.text for t in span], entry.canonical)))
                    taken.update(range(i, i + size))
                    break
        for ent in ents_of(doc):
            if ent.label_ != "ORG" or any(k in taken for k in range(ent.start, ent.end)):
                continue
            words = [t.text for t in ent if t.dep_ != "det"]
            if not _content_words(words):
                continue
            self.orgs.append(Named(ent.start, ent.end, " ".join(words), None, None, _content_words(words)))
        self.orgs.sort(key=lambda o: o.start)
        # Every proper noun by its folded form: a name the tagger missed as a person
        # ("Y Z called ..." inside a title phrase) is still found again.
        self.proper: dict[str, list[int]] = {}
        for tok in doc:
            if tok.pos_ == "PROPN" and tok.is_alpha:
                self.proper.setdefault(lexicon.fold(tok.text), []).append(tok.i)
        self.people: dict[str, list[tuple[int, int]]] = {}
        for ent in ents_of(doc):
            if ent.label_ == "PERSON" and ent.text.split():
                # Every name but the first: "Ortiz" and "Vega" both stand for Gabriel Ortiz
                # Vega (Spanish double surnames), "Abdel Karim" for Omar Abdel Karim.
                for tok in ent[1:] if len(ent) > 1 else ent:
                    word = lexicon.fold(tok.text.replace("’s", "").replace("'s", ""))
                    if word.isalpha() and word not in FUNCTION_WORDS:
                        self.people.setdefault(word, []).append((ent.start, ent.end))

    # -- organisations ---------------------------------------------------------

    def organisation(self, tokens: list[Token], head: Token) -> Optional[tuple[Named, str]]:
        """The named organisation a phrase stands for, with how it was found: the phrase
        is part of its name ("the Network", even where the tagger took it for a
        person), or a description of its kind ("the London-based monitor")."""
        if not self.orgs:
            return None
        # "the London-based Network", "British based Network": where a body sits is
        # no part of its name.
        words = _content_words([t.text for t in tokens if not (t.dep_ == "det" or t.is_punct or t.lower_ == "based"
                                                               or t.head.lower_ == "based" and t.i < t.head.i)])
        # A nationality or a place is part of many names and stands for none of them ("Syrian").
        if words and head.ent_type_ not in ("NORP", "GPE", "LOC") and head.pos_ in ("NOUN", "PROPN"):
            part = [o for o in self.orgs if words <= o.words and not (o.start <= head.i < o.end)
                    and (any(t.pos_ == "PROPN" for t in tokens) or lexicon.fold(head.text) in o.words)]
            best = _nearest(part, head.i)
            if best is not None:
                return best, f"part of the name '{best.name}'"
        if any(t.ent_type_ == "PERSON" for t in tokens):
            return None
        kinds = self._description_kinds(tokens, head)
        if kinds:
            fitting = [o for o in self.orgs if o.kind in kinds]
            best = _nearest(fitting, head.i)
            if best is not None:
                return best, f"'{head.text}' describes '{best.name}' ({best.kind}), named {'before' if best.start < head.i else 'after'}"
        return None

    def _description_kinds(self, tokens: list[Token], head: Token) -> frozenset[str]:
        """The kinds of organisation a phrase describes, when it is a description: a head
        from ``descriptions.tsv`` and no name of its own (a place in "London-based" is no name)."""
        if any(t.ent_type_ in ("ORG", "PERSON") for t in tokens):
            return frozenset()
        lemmas = [t.lemma_.lower() for t in tokens if not t.is_punct]
        if not lemmas or lemmas[-1] != head.lemma_.lower():
            return frozenset()
        table = descriptions()
        return table.get(tuple(lemmas[-2:]), frozenset()) or table.get((lemmas[-1],), frozenset())

    # -- people ---------------------------------------------------------------

    def named_at(self, i: int) -> Optional[Named]:
        """The named organisation whose mention holds token i."""
        return next((o for o in self.orgs if o.start <= i < o.end), None)

    def is_person(self, word: str) -> bool:
        """Is the word a (last or middle) name of a person the article names?"""
        return lexicon.fold(word) in self.people

    def other_mentions(self, name: str, head: Token) -> list[Token]:
        """Heads of the article's other mentions of a person (sharing its last name), nearest first."""
        words = lexicon.fold(name).split()
        if not words:
            return []
        spans = [(s, e) for s, e in self.people.get(words[-1], []) if not (s <= head.i < e)]
        spans.sort(key=lambda se: abs(se[0] - head.i))
        heads = [self.doc[e - 1] for s, e in spans]
        seen = {t.i for t in heads}
        rest = sorted((i for i in self.proper.get(words[-1], []) if i != head.i and i not in seen),
                      key=lambda i: abs(i - head.i))
        return heads + [self.doc[i] for i in rest]


def _nearest(candidates: list[Named], at: int) -> Optional[Named]:
    """The nearest candidate named before ``at``, else the first named after it."""
    before = [o for o in candidates if o.end <= at]
    if before:
        return before[-1]
    after = [o for o in candidates if o.start > at]
    return after[0] if after else None
