"""Who acts and who is acted on, for the phrasings the clause-level rules of
``nlp.events`` (``_agent``, ``_target``) do not reach: agents several verbs down
("a raid thought to have been flown by X"), ground lost to someone
("the city it had lost to army forces"), the fallen of two sides ("12 soldiers
and 20 rebels were killed in battles"), a side's own fallen ("one of its soldiers
was killed"), people arrested over crowd violence.

Each function reads the parse and the lexicons (``data/lexicons``) only; the actors
and their parties are resolved by the caller, so every rule keeps its reason.
"""

from __future__ import annotations

import functools
from typing import Optional

from spacy.tokens import Token

from . import lexicon

# verbs between a noun and its "by" agent: "thought to have been flown by"
CHAIN_DEPS = ("xcomp", "ccomp", "conj")
MAX_CHAIN = 3


def by_agent(verb: Token) -> Optional[Token]:
    """The ``agent`` ("by ...") of a participle or of the verbs it governs, a few steps
    down: "dropped by X", "thought to have been flown by X", "said to be led by X"."""
    frontier = [verb]
    for _ in range(MAX_CHAIN):
        nxt: list[Token] = []
        for v in frontier:
            by = next((g for g in v.children if g.dep_ == "agent"), None)
            if by is not None:
                return by
            nxt.extend(g for g in v.children if g.dep_ in CHAIN_DEPS and g.pos_ in ("VERB", "AUX"))
        frontier = nxt
    return None


@functools.lru_cache(maxsize=1)
def combatant_nouns() -> frozenset[str]:
    """Lemmas of people who fight or police for a side (``combatants.tsv``)."""
    return frozenset(r[0].lower() for r in lexicon.rows("combatants.tsv") if r and r[0])


NUMBER_HEADS = ("dozen", "hundred", "score", "one", "some", "several", "many", "most", "all", "none")


def _counted(noun: Token) -> Token:
    """"one of its soldiers", "dozens of fighters": the noun a number or quantifier counts."""
    if noun.lemma_.lower() in NUMBER_HEADS or noun.like_num or noun.pos_ == "NUM":
        inner = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj"), None)
        if inner is not None:
            return inner
    return noun


def fallen_combatants(head: Token, casualty_verbs: frozenset[str]) -> list[Token]:
    """The combatants a casualty verb of the trigger's sentence counts, in the order of
    the text, conjoined ones included: "12 soldiers and 20 rebel fighters were killed",
    "one of its soldiers was killed", "killing three policemen", "two guards died"."""
    def casualty(t: Token) -> bool:
        return t.lemma_.lower() in casualty_verbs and t.pos_ == "VERB"

    # The casualty verb whose clause holds the trigger ("one soldier was killed in a car
    # bomb and 11 militants were killed in clashes": each trigger its own); else any
    # of the sentence ("a bomb exploded, killing two soldiers").
    own = next((t for t in (head, *head.ancestors) if casualty(t)), None)
    verbs = [own] if own is not None else [t for t in head.sent if casualty(t)]
    out: list[Token] = []
    for tok in verbs:
        deps = ("nsubj",) if tok.lemma_.lower() == "die" else ("dobj", "nsubjpass")
        nouns = [c for c in tok.children if c.dep_ in deps]
        if tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBD"):
            nouns.append(tok.head)  # "two soldiers killed in the blast"
        for noun in nouns:
            for n in (noun, *noun.conjuncts):
                n = _counted(n)
                if n.pos_ in ("NOUN", "PROPN") and n.lemma_.lower() in combatant_nouns() and n not in out:
                    out.append(n)
    return sorted(out, key=lambda t: t.i)


def instrument_verb(head: Token) -> Optional[Token]:
    """The verb a weapon noun is the instrument of: "rebels attacked army posts with two car
    bombs" -> "attacked" (who attacked, and what, are that verb's)."""
    if head.dep_ == "pobj" and head.head.lower_ == "with" and head.head.head.pos_ == "VERB":
        return head.head.head
    return None


@functools.lru_cache(maxsize=1)
def _arrest_words() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for r in lexicon.rows("arrest_suspects.tsv"):
        if len(r) >= 2 and r[0] and r[1]:
            out.setdefault(r[0], set()).add(r[1].lower())
    return {k: frozenset(v) for k, v in out.items()}


REASON_PREPS = ("in", "for", "over", "after")


def arrested_over_violence(head: Token) -> Optional[Token]:
    """The noun of crowd violence an arrest is made over ("arrested 30 people in connection
    with the riots", "arrested for the arson", "arrested in the market incident"), or None.
    A noun that only names an incident counts where the article tells of crowd violence."""
    words = _arrest_words()
    if head.lemma_.lower() not in words.get("arrest", ()):
        return None
    violence, incident = words.get("violence", frozenset()), words.get("incident", frozenset())
    holders = [head, *(c for c in head.children if c.dep_ in ("dobj", "nsubjpass"))]
    for h in holders:
        for prep in (c for c in h.children if c.dep_ == "prep" and c.lower_ in REASON_PREPS):
            for noun in (g for g in prep.children if g.dep_ == "pobj"):
                if noun.lemma_.lower() == "connection":  # "in connection with the riots"
                    noun = next((g for p in noun.children if p.dep_ == "prep" and p.lower_ == "with"
                                 for g in p.children if g.dep_ == "pobj"), noun)
                lemmas = {noun.lemma_.lower(), noun.lower_} | {c.lemma_.lower() for c in noun.children
                                                               if c.dep_ in ("compound", "amod")}
                if lemmas & violence:
                    return noun
                if lemmas & incident and any(t.lemma_.lower() in violence or t.lower_ in violence
                                             for t in head.doc):
                    return noun
    return None
