"""Numbers inside claims and event reports, with what they count.

"Dozens of Pakistani soldiers" killed is not 24: ACLED codes vague words
conservatively (tens = 10, dozens = 12, hundreds = 100, thousands = 1000), and
a bound ("at least 5", "more than 100", "up to 30") keeps only the side it
gives.  What a number counts comes from the parse: the verb that governs the
counted noun ("killed", "seized") or the noun itself ("fighters").
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Optional, Sequence

from spacy.tokens import Span as SpacySpan, Token

from ..data import lexicon
from ..data.lexicon import word_map, word_sets
from ..records import Quantity, Span
from . import limits
from .pipeline import text_of

WORDS = {word: int(n) for word, n in word_map("quantities.tsv", "words").items()}
QUANTITIES = word_sets("quantities.tsv")
MULTIPLIERS = {word: int(n) for word, n in word_map("quantities.tsv", "multipliers").items()}
# ACLED's convention for vague plurals: the most conservative figure.
VAGUE = {word: int(n) for word, n in word_map("quantities.tsv", "vague").items()}
# Participles that tell what a violent act did ("..., killing 20"): the outcome is part of the act.
OUTCOME_VERBS = {"kill", "wound", "injure", "destroy", "leave", "seize", "capture"} | QUANTITIES.detain
_NUM = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+(\.\d+)?$")


def find(span: SpacySpan, dates: Optional[Sequence[Span]] = None) -> list[Quantity]:
    """Every counted quantity in a span (a claim's content or an event sentence).

    ``dates``: the article's time expressions.  A number inside one ("21 Jul
    2015", "three days") is part of a date, not a count; the parser's own
    DATE entities miss many datelines, the time rules do not, and when they
    are given they also overrule the parser's DATE on a bare count.
    ``None``: the article's times are not known; the parser's entities decide.
    """
    out: list[Quantity] = []
    used: set[int] = set()
    for tok in span:
        if tok.i in used:
            continue
        if any(d.start <= tok.idx < d.end for d in dates or ()):
            continue
        if _stamp(tok) or _page_counter(tok):
            continue
        q = _zero(tok) or _one(tok) or _number(tok, span, used, ner_dates=dates is None)
        if q is not None:
            out.append(q)
    return out


STAMP_DIGITS = 5  # a bare run of digits this long, written without separators


def _stamp(tok: Token) -> bool:
    """A page's time or id stamp, not a count: a long bare run of digits set right
    before another number ("Sat 2 Mar 2026 104512 12 Dead ..."), where no count
    is written so (a count that long is written "104,512")."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return (tok.is_digit and len(tok.text) >= STAMP_DIGITS and nxt is not None
            and (nxt.like_num or nxt.is_digit))


def _page_counter(tok: Token) -> bool:
    """A number printed right after a capitalised page-counter label ("Views 729", "Comments 12")."""
    if not tok.is_digit or tok.i == 0:
        return False
    label = tok.nbor(-1)
    return label.lower_ in QUANTITIES.page_counters and label.is_title


def _zero(tok: Token) -> Optional[Quantity]:
    """'no reported casualties', 'no one was killed': an explicit zero."""
    if tok.lower_ != "no" or tok.dep_ not in ("det", "neg"):
        return None
    noun = tok.head
    if noun.lemma_.lower() not in QUANTITIES.zero_nouns:
        return None
    if noun.lemma_.lower() == "one":
        verb = noun.head
        what = _what_from_verb(verb)
        if what is None:
            return None
    else:
        what = "injured" if noun.lemma_.lower() == "injury" else "killed"
    start, end = tok.idx, noun.idx + len(noun.text)
    return Quantity(
        span=Span(start, end, text_of(tok.doc)[start:end]), low=0, high=0, what=what,
        unit_text=noun.text, reason="explicit 'no' before a casualty noun",
    )


def _one(tok: Token) -> Optional[Quantity]:
    """'a woman was killed', 'another child died', 'a soldier was wounded': one person.

    ACLED counts such a report as one fatality; without it an article that
    only says "a girl was killed" gives no toll at all.  The noun must name a
    person (the civilian-victims lexicon or an armed role) in the singular,
    and it must be who the casualty verb is about, as its passive or
    intransitive subject ("a child was killed", "a woman died") or its object
    ("killing a woman"), alone or coordinated ("a man and another child were
    killed"), or through a participle ("a child killed in the strike").
    """
    if tok.lower_ not in QUANTITIES.one_dets or tok.dep_ != "det":
        return None
    noun = tok.head
    if noun.tag_ != "NN" or noun.lemma_.lower() not in lexicon.victims() | QUANTITIES.armed_people:
        return None
    first = noun
    while first.dep_ == "conj" and first.head.i != first.i:  # "a woman and another child were killed"
        first = first.head
    verbs = [first.head] if first.dep_ in ("nsubjpass", "nsubj", "dobj") else []  # ("killing a woman")
    verbs += [c for c in noun.children if c.dep_ in ("acl", "amod")]
    for verb in verbs:
        lemma = verb.lemma_.lower()
        what = ("killed" if lemma in QUANTITIES.kill - {"lose", "body", "toll", "casualty"} or _to_death(verb)
                else "injured" if lemma in QUANTITIES.injure else None)
        if what is None or (verb.i == first.head.i and first.dep_ == "nsubj" and lemma not in ("die", "perish")):
            continue
        if any(c.lower_ == "also" for c in verb.children):
            continue  # "the blast also killed a commander": one of the dead, not a toll
        start, end = tok.idx, noun.idx + len(noun.text)
        return Quantity(span=Span(start, end, text_of(tok.doc)[start:end]), low=1, high=1, what=what,
                        unit_text=noun.text, reason=f"'{tok.text} {noun.text}': one person")
    return None


def _number(tok: Token, span: SpacySpan, used: set[int], ner_dates: bool = True) -> Optional[Quantity]:
    """``ner_dates``: trust the parser's DATE/TIME entities.  When the article's own
    time expressions are known (``find``'s ``dates``) they decide instead: the small
    model calls many a bare count a date ("put the toll at 85")."""
    value, vague, first, last = _value(tok)
    if value is None:
        return None
    not_counts = ("PERCENT", "MONEY", "ORDINAL") + (("DATE", "TIME") if ner_dates else ())
    if tok.ent_type_ in not_counts or (tok.ent_type_ in ("", "DATE", "TIME") and _looks_like_year(tok)):
        return None
    for t in tok.doc[first.i : last.i + 1]:
        used.add(t.i)
    noun = _counted(tok)
    low, high, bound = _bounds(first, value, vague)
    # a range: "20 to 30", "20-30", "between 20 and 30" (a bare "and" joins two counts:
    # "20 killed and 30 injured")
    nxt = tok.doc[last.i + 1] if last.i + 1 < len(tok.doc) else None
    between = first.i > 0 and tok.doc[first.i - 1].lower_ == "between"
    if nxt is not None and nxt.i + 1 < len(tok.doc) and (nxt.lower_ in ("to", "-") or nxt.lower_ == "and" and between):
        other, _, _, olast = _value(tok.doc[nxt.i + 1])
        if other is not None and other > value:
            low, high, last = value, other, olast
            for t in tok.doc[nxt.i : olast.i + 1]:
                used.add(t.i)
            noun = _counted(olast) or noun
    start = first.idx
    if (whole := _partitive_before(first)) is not None:
        start = whole.idx  # "most of the victims - 14 - died": the count names a part, and says so
    end_tok = noun if noun is not None and noun.i > last.i and noun.i - last.i <= 5 else last
    end = end_tok.idx + len(end_tok.text)
    what = _what(noun, tok)
    reason = (f"vague '{tok.text}' = {value} (ACLED)" if vague else "") + (f"; bound '{bound}'" if bound else "")
    return Quantity(
        span=Span(start, end, text_of(tok.doc)[start:end]), low=low, high=high, what=what,
        unit_text=noun.text if noun is not None else None, vague=vague, reason=reason.strip("; ") or None,
    )


_PART_OF = re.compile(r"(?:most|some|many|all|several|half|part)\s+of\s+(?:the\s+)?(?:victims|dead|them|those)\s*[-–—,(]\s*$",
                      re.I)


def _partitive_before(first: Token) -> Optional[Token]:
    """The first token of "most of the victims -" set before a count in apposition, if any."""
    doc = first.doc
    lo = max(first.sent.start, first.i - 7)
    text = text_of(doc)[doc[lo].idx: first.idx]
    m = _PART_OF.search(text)
    if m is None:
        return None
    span = doc.char_span(doc[lo].idx + m.start(), doc[lo].idx + m.end(), alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _value(tok: Token) -> tuple[Optional[int], bool, Token, Token]:
    """(value, vague, first token, last token) of a number starting at tok."""
    low = tok.lower_
    if low in VAGUE:
        return VAGUE[low], True, tok, tok
    if _NUM.match(tok.text):
        value = float(tok.text.replace(",", ""))
        last = tok
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.lower_ in MULTIPLIERS:
            value *= MULTIPLIERS[nxt.lower_]
            last = nxt
        return limits.clamp_count(value), False, tok, last  # "9" * 400 is an infinite float
    compound = low in QUANTITIES.tens and tok.i + 2 < len(tok.doc) and tok.nbor(1).text == "-" and tok.nbor(2).lower_ in QUANTITIES.units
    titled = low in WORDS and low != "one" and tok.is_title and tok.i + 1 < len(tok.doc) and (
        tok.nbor(1).lower_ in CASUALTY_WORDS or tok.nbor(1).lower_ in ("people", "civilians", "soldiers"))
    if low in WORDS and (tok.pos_ == "NUM" or compound or titled) or low in ("dozen",) and tok.i > 0 and tok.nbor(-1).lower_ == "a":
        value = WORDS[low]
        first = tok.nbor(-1) if low == "dozen" else tok
        last = tok
        # "thirty-five": the tokenizer splits a compound number word at its hyphen
        if compound:  # (whatever tag the parser gave its first half: "Photo) Thirty-five people")
            value += WORDS[tok.nbor(2).lower_]
            last = tok.nbor(2)
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.lower_ in MULTIPLIERS and nxt.pos_ == "NUM":
            value *= MULTIPLIERS[nxt.lower_]
            last = nxt
        return value, False, first, last
    return None, False, tok, tok


def _bounds(first: Token, value: int, vague: bool) -> tuple[Optional[int], Optional[int], Optional[str]]:
    doc = first.doc
    before = " ".join(t.lower_ for t in doc[max(0, first.i - 3) : first.i])
    for phrase in QUANTITIES.lower_bound:
        if before.endswith(phrase):
            return value, None, phrase
    for phrase in QUANTITIES.upper_bound:
        if before.endswith(phrase):
            return None, value, phrase
    if vague:
        return value, None, None
    return value, value, None


def _counted(tok: Token) -> Optional[Token]:
    """The noun a number counts: its head ("19 outposts"), or the object of 'of' ("dozens of soldiers")."""
    if tok.dep_ in ("nummod", "quantmod", "amod") and tok.head.pos_ in ("NOUN", "PROPN"):
        if tok.head.is_title and _casualty_verb(tok.head) is not None:
            return None  # "Kills 3 Wounds 20": a headline's next verb, not what is counted
        return tok.head
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    if tok.pos_ in ("NOUN", "NUM") and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return None
    return None


def _what(noun: Optional[Token], number: Token) -> Optional[str]:
    anchor = noun if noun is not None else number
    lemma = anchor.lemma_.lower() if noun is not None else ""
    if lemma in QUANTITIES.kill - {"lose", "body"} or lemma in ("dead",):
        return "killed"
    if lemma in QUANTITIES.injure:
        return "injured"
    if lemma == "body" and noun is not None and _bodies_of_the_dead(noun):
        return "killed"
    # A casualty word right after the count decides first.  Headlines run counts
    # together ("10 civilians killed 15 injured", "48 people dead over 100 injured"),
    # and the parser hangs the second count on the first participle; word order
    # does not lie.
    if noun is not None and noun.lemma_.lower() in QUANTITIES.striking_things:
        return noun.lemma_.lower()  # "seven air strikes killed four": what struck, never the dead
    if noun is not None and noun.i > number.i and noun.lemma_.lower() in QUANTITIES.measure_nouns:
        return _singular(noun)  # "killed 4 km from the border", "wounded 3 days ago": a measure, no one counted
    if (right := _casualty_after(noun if noun is not None and noun.i > number.i else number)) is not None:
        return right
    if (left := _casualty_before(number, noun)) is not None:
        return left
    # climb to the governing verb: "killed dozens of soldiers", "19 outposts were seized"
    node = anchor
    for _ in range(4):
        head = node.head
        if head is node:
            break
        toll = _toll_word(head, node)
        if toll is not None:
            return toll
        if head.lower_ in ("including", "among") and node.dep_ == "pobj":
            node = head  # "70 people died, including 15 children": the part counts what the whole does
            continue
        if node.dep_ == "nsubj" and head.pos_ == "VERB" and head.lemma_.lower() not in ("die", "perish", "dead", "flee"):
            break  # "two air strikes killed five", "38 A US missile strike killed five": who did it, not the dead
        if head.pos_ in ("VERB", "ADJ") or head.lemma_.lower() in QUANTITIES.take | QUANTITIES.destroy:
            what = _what_from_verb(head, noun)
            if what is not None:
                return what
            if head.pos_ == "VERB":
                break
        node = head
    # an adjective or participle on the noun: "12 dead", "five wounded soldiers"; or on the
    # first of a list it ends: "overrun three outposts and two bases"
    if noun is not None:
        first = noun
        while first.dep_ == "conj" and first.head.pos_ in ("NOUN", "PROPN") and first.head.i != first.i:
            first = first.head
        for holder in (noun,) if first.i == noun.i else (noun, first):
            for child in holder.children:
                if child.dep_ == "conj":
                    continue
                w = _what_from_verb(child, noun)
                if w is not None:
                    return w
        return _singular(noun) if noun.pos_ == "NOUN" else noun.text
    return None


def _bodies_of_the_dead(noun: Token) -> bool:
    """'14 bodies were recovered', 'the bodies of 14 people': ACLED counts the dead found."""
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children):
        return True
    head = noun.head
    for _ in range(2):
        if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in QUANTITIES.body_verbs:
            return True
        head = head.head
    return False


CASUALTY_WORDS = word_map("quantities.tsv", "casualty_words")


def _casualty_after(number: Token) -> Optional[str]:
    """'killed' / 'injured' when a casualty participle follows the count, across at most
    three words of its noun phrase ("15 injured", "48 people dead", "six Syrian civilians
    killed"); None otherwise."""
    doc = number.doc
    i, end = number.i + 1, min(len(doc), number.i + 5)
    while i < end:
        tok = doc[i]
        if tok.lower_ in CASUALTY_WORDS:
            return CASUALTY_WORDS[tok.lower_]
        part = _part_after(doc, i)
        if part:  # "12 civilians among them four women were killed": the total's casualty
            i += part
            while i < len(doc) and doc[i].lower_ in ("were", "was", "have", "has", "had", "been", "are"):
                i += 1
            end = min(len(doc), i + 1)
            continue
        if tok.lower_ in QUANTITIES.passive_aux:
            # "20 soldiers were killed", "30 had been wounded": the passive's participle
            while i < len(doc) and doc[i].lower_ in QUANTITIES.passive_aux:
                i += 1
            return CASUALTY_WORDS.get(doc[i].lower_) if i < len(doc) else None
        if (tok.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM", "PRON") and tok.lower_ != "of") or tok.is_punct:
            return None  # ("scores of others injured", "dozens of people killed" go on)
        i += 1
    return None


# Verbs whose object a count right after them is ("killed at least 25 members of ..."), and
# nouns a count after such a verb measures instead of people ("killed 25 km north of ...").
CASUALTY_VERBS = word_map("quantities.tsv", "casualty_verbs")


def _casualty_before(number: Token, noun: Optional[Token]) -> Optional[str]:
    """'killed' / 'injured' when a casualty verb comes right before the count, a bound
    ("at least", "more than") at most between them: "killed at least 25 members of the
    group", "wounding 40 others".  Word order says it when the parse does not: a speaker
    written without a comma after the count ("... killed 25 members of the group the
    monitor said") makes the parser take the counted noun for the subject of "said"."""
    doc = number.doc
    if noun is not None and (noun.lemma_.lower() in QUANTITIES.measure_nouns | QUANTITIES.striking_things or noun.i < number.i):
        return None
    i = number.i
    if number.lower_ == "dozen" and i > 0 and doc[i - 1].lower_ == "a":
        i -= 1
    before = [t.lower_ for t in doc[max(number.sent.start, i - 3): i]]
    for phrase in sorted(QUANTITIES.lower_bound | QUANTITIES.upper_bound, key=lambda p: -len(p.split())):
        words = phrase.split()
        if before[-len(words):] == words:
            i -= len(words)
            break
    if i <= number.sent.start:
        return None
    return _casualty_verb(doc[i - 1])


def _casualty_verb(tok: Token) -> Optional[str]:
    """'killed' / 'injured' when the token is a casualty verb: as the tagger reads it, or a
    title-cased headline word the tagger takes for a name or a noun ("... Kills 3 Wounds 20")."""
    if tok.pos_ == "VERB" and tok.tag_ in ("VBD", "VBG", "VBN", "VBZ", "VBP"):
        return CASUALTY_VERBS.get(tok.lemma_.lower())
    if tok.is_title and tok.pos_ in ("PROPN", "NOUN", "VERB"):
        word = tok.lower_
        forms = (word[:-1], word[:-2]) if word.endswith(("s", "ed")) else ()
        return next((CASUALTY_VERBS[f] for f in forms if f in CASUALTY_VERBS), None)
    return None


def _part_after(doc, i: int) -> int:
    """Length of a part named inside a count's phrase at ``i`` ("among them three children",
    "including two women", ", among them seven children,"), else 0."""
    j = i + (doc[i].text == ",")
    if j < len(doc) and doc[j].lower_ == "including":
        j += 1
    elif j + 1 < len(doc) and doc[j].lower_ == "among" and doc[j + 1].lower_ in ("them", "whom"):
        j += 2
    else:
        return 0
    k = j
    while k < len(doc) and k - j < 4 and (doc[k].like_num or doc[k].pos_ in ("DET", "ADJ", "NOUN", "PRON")
                                           or doc[k].lower_ in ("a", "an")) and doc[k].lower_ not in CASUALTY_WORDS:
        k += 1
    if k < len(doc) and doc[k].text == ",":
        k += 1
    return k - i if k > j else 0


def _toll_word(head: Token, node: Token) -> Optional[str]:
    """A count given as a toll: "the death toll rose to 112", "a toll of 31", "put the
    toll at 85", "the killing of one person", "the injury of 40 others"."""
    lemma = head.lemma_.lower()
    if head.pos_ == "NOUN" and node.dep_ == "pobj" or (head.pos_ == "ADP" and head.lower_ == "of"):
        # the number (or its noun) hangs on "of"; what matters is the noun "of" hangs on
        holder = head.head if head.pos_ == "ADP" else head
        h = holder.lemma_.lower()
        if holder.pos_ == "NOUN" and h in QUANTITIES.killing_nouns:
            return "killed"
        if holder.pos_ == "NOUN" and h in QUANTITIES.injuring_nouns:
            return "injured"
    if head.pos_ == "ADP" and head.lower_ in ("to", "at"):
        head = head.head
        lemma = head.lemma_.lower()
        if lemma == "toll" and head.pos_ == "NOUN":  # "the toll at 85", "a toll to 31"
            return "killed"
    # "the death toll was at least 24", "the number of dead is 12": the copula's complement is the toll
    copula = lemma == "be" and node.dep_ == "attr"
    if (lemma in QUANTITIES.toll_verbs | QUANTITIES.toll_setting_verbs or copula) and head.pos_ in ("VERB", "AUX"):
        tolls = [c for c in head.children if c.lemma_.lower() == "toll" and c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        if tolls:
            return "killed" if not any(g.lemma_.lower() in QUANTITIES.injure for g in tolls[0].children) else "injured"
        # "raised the number of dead to 40", "the count of wounded rose to 60"
        for count in (c for c in head.children if c.lemma_.lower() in QUANTITIES.toll_nouns - {"toll"}
                      and c.dep_ in ("nsubj", "nsubjpass", "dobj")):
            of = [g.lower_ for p in count.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.subtree if g.i != p.i]
            if any(w in CASUALTY_WORDS for w in of) or any(w in ("deaths", "fatalities", "victims") for w in of):
                return CASUALTY_WORDS.get(next((w for w in of if w in CASUALTY_WORDS), "dead"), "killed")
    return None


def _what_from_verb(verb: Token, noun: Optional[Token] = None) -> Optional[str]:
    lemma = verb.lemma_.lower()
    if lemma in QUANTITIES.kill or _to_death(verb):
        return "killed"
    if lemma in QUANTITIES.injure:
        return "injured"
    if lemma in QUANTITIES.detain:
        return "arrested" if lemma in ("arrest", "detain") else "abducted"
    if lemma in QUANTITIES.displace:
        return "displaced"
    if lemma == "leave":  # "the blast left 25 militants ... dead"
        for child in verb.children:
            if child.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and child.lower_ in CASUALTY_WORDS:
                return CASUALTY_WORDS[child.lower_]
    thing = _plural(noun) if noun is not None else None
    if lemma in QUANTITIES.take:
        if noun is not None and noun.lemma_.lower() in ("soldier", "fighter", "troop", "militant", "civilian", "person", "people", "prisoner", "hostage"):
            return "captured"
        return f"{thing} seized" if thing else "seized"
    if lemma in QUANTITIES.destroy and lemma not in ("hit", "strike", "target"):
        return f"{thing} destroyed" if thing else "destroyed"
    return None


def _to_death(verb: Token) -> bool:
    """The verb says how people were killed: "hacked to death", "were beaten to death", "charred to
    death", "stabbed to death" (any verb with "to death" as its complement)."""
    return verb.pos_ in ("VERB", "AUX") and any(
        c.dep_ == "prep" and c.lower_ == "to" and any(g.dep_ == "pobj" and g.lower_ == "death" for g in c.children)
        for c in verb.children)


def _plural(noun: Token) -> str:
    lemma = noun.lemma_.lower()
    if noun.text.lower().endswith("s") and lemma != noun.text.lower():
        return noun.text.lower()
    if lemma == "basis":  # the lemmatiser's reading of "bases"
        return "bases"
    return lemma + "s" if not lemma.endswith("s") else lemma


def _singular(noun: Token) -> str:
    """The counted noun's dictionary form; military "bases" are no "basis"."""
    lemma = noun.lemma_.lower()
    return "base" if lemma == "basis" and noun.lower_ == "bases" else lemma


def _looks_like_year(tok: Token) -> bool:
    """A 19xx/20xx number that is a year: not counting a noun, or next to a month or a day number."""
    if not re.fullmatch(r"(19|20)\d\d", tok.text):
        return False
    if tok.dep_ != "nummod":
        return True
    before = [t for t in tok.doc[max(0, tok.i - 3) : tok.i] if not t.is_punct]
    return any(t.lower_.rstrip(".") in QUANTITIES.months or (t.like_num and t.text.isdigit() and int(t.text) <= 31)
               for t in before[-2:])


def besides_one(doc, quantity: Quantity) -> Optional[int]:
    """Where the one person is (a character offset) whom the count's people are "other" than, when
    its verb counts that one too: "a union leader was killed along with nine other workers", "the
    blast killed the driver and two other passengers", "the commander was killed with three other
    soldiers" (ten, three and four dead).  The one is the count's conjunct ("the driver and two
    other ...") or, when the count hangs on "with", the verb's own subject or object, in the
    singular.  None when the count names no such one."""
    span = doc.char_span(quantity.span.start, quantity.span.end, alignment_mode="expand")
    number = next((t for t in span if t.like_num or t.lower_ in VAGUE), None) if span is not None else None
    noun = _counted(number) if number is not None else None
    if noun is None or not any(c.dep_ == "amod" and c.lower_ == "other" for c in noun.children):
        return None
    if noun.dep_ == "conj" and noun.head.i < noun.i:
        first = noun.head
        ok = first.tag_ in ("NN", "NNP") and first.dep_ in ("nsubj", "nsubjpass", "dobj")
        return first.idx if ok else None
    if noun.dep_ != "pobj" or noun.head.lower_ != "with":
        return None
    verb = noun.head.head
    if verb.lower_ in ("along", "together") and verb.dep_ in ("prep", "advmod", "prt"):
        verb = verb.head  # "killed along with", "together with"
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if verb.dep_ == "acl" and verb.head.tag_ in ("NN", "NNP"):
        return verb.head.idx  # "a priest killed last week along with six other villagers"
    return next((c.idx for c in verb.children if c.dep_ in ("nsubjpass", "dobj")
                 and (c.tag_ in ("NN", "NNP") or c.lower_ in ("he", "she"))), None)


def and_the_one(doc, q: Quantity, qs: Sequence[Quantity]) -> Quantity:
    """The death count with the one person its people are "other" than added (``besides_one``),
    unless another count of the sentence already counts that one ("a woman and two other children")."""
    if q.what != "killed" or q.low is None:
        return q
    at = besides_one(doc, q)
    if at is None or any(o is not q and o.span.start <= at < o.span.end for o in qs):
        return q
    return replace(q, low=q.low + 1, high=q.high + 1 if q.high is not None else None,
                   reason=((q.reason or "") + "; and the one they are others of").lstrip("; "))


def total(quantities: Iterable[Quantity], what: str, doc=None) -> tuple[Optional[int], Optional[int]]:
    """The toll of one kind a sentence gives (for an event's fatalities).

    Several counts in one sentence are mostly one total and its parts ("30
    children were among 39 people killed", "22 killed, among them six
    civilians"), so the largest is the toll.  Counts are added only when the
    parse coordinates their nouns ("five soldiers and three civilians were
    killed"): then they are distinct groups of one toll.
    """
    qs = [q for q in quantities if q.what == what and q.low is not None]
    if not qs:
        return None, None
    groups = _coordinated(qs, doc) if doc is not None and len(qs) > 1 else [[q] for q in qs]
    sums = [(sum(q.low or 0 for q in g), sum((q.high if q.high is not None else q.low or 0) for q in g)) for g in groups]
    return max(sums)


def _coordinated(qs: list[Quantity], doc) -> list[list[Quantity]]:
    """Quantities grouped by coordination of the nouns they count."""
    nouns = []
    for q in qs:
        span = doc.char_span(q.span.start, q.span.end, alignment_mode="expand")
        number = next((t for t in span if t.like_num or t.lower_ in VAGUE), None) if span is not None else None
        if number is None and span is not None and span.root.pos_ in ("NOUN", "PROPN"):
            nouns.append(span.root)  # "a woman": one, counted by its article
            continue
        nouns.append(_counted(number) if number is not None else None)
    subjects = [_subject_of(n) for n in nouns]
    groups: list[list[int]] = []
    for i, noun in enumerate(nouns):
        for group in groups:
            if noun is not None and any(nouns[j] is not None and (noun in nouns[j].conjuncts or (
                    subjects[i] is not None and subjects[i] == subjects[j])) for j in group):
                group.append(i)
                break
        else:
            groups.append([i])
    return [[qs[i] for i in g] for g in groups]


def _subject_of(noun: Optional[Token]) -> Optional[int]:
    """The verb a counted phrase is a subject of, when it is one of two or more subjects of
    it: "one emir and at least 34 of his men were killed", which the parser may hang on the
    verb side by side instead of coordinating them."""
    node = noun
    while node is not None and node.dep_ in ("pobj", "prep") and node.head.i != node.i:
        node = node.head  # "34 of his comrades": the count heads the phrase
    if node is None or node.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = node.head
    others = [c for c in verb.children if c.dep_ == node.dep_ and c.i != node.i]
    joined = any(c.dep_ == "cc" for c in verb.children) or any(c.dep_ == "cc" for o in [node, *others] for c in o.children)
    return verb.i if others and joined else None
