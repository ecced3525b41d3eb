"""What a death count says of itself: a part of the dead, an addition, a sub-group, a named
sub-area, a revision, a vague word.

Cross-article linking compares the tolls of one event across sources (``tolls``), and a
count that names a part of the dead ("three of them died in hospital", "among the dead
were four soldiers"), adds to another ("six more people"), counts a sub-group ("seven
children") or a named district ("two people in the X area"), or revises a toll ("the
toll rose to 31") means something else than "this many died in the event".  The
phrases are data (``data/lexicons/toll_phrases.tsv``); these functions read a count's
own words and the words around it in its sentence.
"""

from __future__ import annotations

import functools
import re
from typing import Optional

from ..data import lexicon
from ..records import Claim, Fatalities

ADDITIVE = re.compile(r"\b(?:more|another|other|additional|further|also)\b", re.I)
COMPARED = re.compile(r"\b(?:more|fewer|less)\s+than\s*$", re.I)



def additive(claim: Claim, q) -> bool:
    start = q.span.start - claim.span.start
    before = " ".join(claim.span.text[:start].split()[-4:])
    before = COMPARED.sub(" ", before)  # "killed more than 50 people": at least 50, not 50 more
    after = claim.span.text[start : start + len(q.span.text) + 6]
    return bool(ADDITIVE.search(before) or adds(after))


def part_of(fat: Fatalities, quantity: Optional[str], sentence: str = "") -> bool:
    """The count names a part of the dead ("fourteen of the victims", "one of those killed",
    "among the dead were four soldiers"): in its own words, or around them in the sentence."""
    text = counted_text(fat, quantity)
    if not text:
        return False
    if names_a_part(text):
        return True
    at = sentence.casefold().find(text.casefold()) if sentence else -1
    return at >= 0 and around_is_part(sentence, at, at + len(text))


def part(claim: Claim, q) -> bool:
    """A claim's count that names a part of the dead (``part_of``, at the count's place in the claim)."""
    start, end = q.span.start - claim.span.start, q.span.end - claim.span.start
    return names_a_part(q.span.text) or around_is_part(claim.span.text, start, end)


# A count after a part phrase: "15 civilians among them 11 children" names the whole and then its part.
COUNT_WORD = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
                        r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozens?|scores)\b", re.I)


@functools.lru_cache(maxsize=8192)  # pure on the words; a cluster's refresh asks again for every member
def names_a_part(text: str, at_start: bool = False) -> bool:
    """A count's words (or, ``at_start``, the words right after it) name a part of the dead
    ("fourteen of the victims", "three of them"): a ``part_after`` phrase, unless another count
    follows that phrase ("15 civilians among them 11 children": the 15 are the dead, the 11 a
    part of them)."""
    words = " " + " ".join(re.findall(r"[a-z']+|\d+", text.casefold())) + " "
    for p in phrases().get("part_after", ()):
        at = words.find(f" {p} ")
        if at < 0 or (at_start and at > 0):
            continue
        counted_before = at_start or COUNT_WORD.search(words[:at]) is not None  # "most of the victims - 14": the 14 is the part
        if not (counted_before and COUNT_WORD.search(words[at + len(p) + 2:])):
            return True
    return False


def around_is_part(text: str, start: int, end: int) -> bool:
    before = " ".join(text[:max(start, 0)].split()[-PART_WINDOW:])
    after = " ".join(text[end:].split()[:5])
    return phrase_at(before, "part_before", anywhere=True) or names_a_part(after, at_start=True)


def is_update(sentence: str, counted: Optional[str]) -> bool:
    """The words before the count say the toll was revised ("the death toll rose to 31")."""
    if not sentence or not counted:
        return False
    at = sentence.casefold().find(counted.casefold())
    if at < 0:
        return False
    return phrase_at(" ".join(sentence[:at].split()[-UPDATE_WINDOW:]), "update", anywhere=True)


def sub_area(sentence: str, counted: Optional[str]) -> bool:
    """The sentence limits the count to a named part of the place ("killed two people ... in the
    Bab Sharqi area of the old city"): the FA-KES convention keeps such a figure in the range but
    does not compare it with the event's tolls (``sub_area`` nouns of ``toll_phrases.tsv``)."""
    if not sentence or not counted:
        return False
    at = sentence.casefold().find(counted.casefold())
    if at < 0:
        return False
    nouns = "|".join(re.escape(n) for n in phrases().get("sub_area", ()))
    return bool(nouns) and re.search(rf"\bin the (?:[A-Z][\w'-]*\s+){{1,3}}(?:{nouns})\b",
                                     sentence[at + len(counted):]) is not None


PART_WINDOW = 6  # words before a count that may make it a part ("among the dead were four ...")
UPDATE_WINDOW = 5  # words before a count that may say it was revised ("the toll later rose to 31")


def phrase_at(text: str, kind: str, anywhere: bool = False) -> bool:
    """Whether ``text`` holds (``anywhere``) or starts with one of the ``toll_phrases.tsv`` phrases of ``kind``."""
    words = " " + " ".join(re.findall(r"[a-z']+", text.casefold())) + " "
    return any((f" {p} " in words) if anywhere else words.startswith(f" {p} ") for p in phrases().get(kind, ()))


@functools.lru_cache(maxsize=1)
def phrases() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for row in lexicon.rows("toll_phrases.tsv"):
        if len(row) >= 2 and row[1]:
            found.setdefault(row[0], []).append(" ".join(row[1].casefold().split()))
    return {k: tuple(v) for k, v in found.items()}



def adds(quantity: Optional[str]) -> bool:
    """The count adds to another ("six more people", "three others", "another four")."""
    if not quantity:
        return False
    return bool(re.search(r"^(?:another\b|\S+\s+(?:more|others?|other|additional|further)\b)", quantity, re.I))



# Who a count names when it counts part of the dead, not all of them.
SUB_GROUPS = frozenset(("child", "children", "kid", "kids", "women", "woman", "girl", "girls", "boy", "boys",
                        "minors", "infants", "babies", "students", "pupils", "schoolchildren"))


def sub_group(fat: Fatalities, quantity: Optional[str]) -> bool:
    """The figure counts a sub-group ("seven children", "two women"), not all the dead.

    The counted noun is the quantity's text when a claim gives the figure,
    else the event's toll reason when it names a single quantity
    ("killed: four children"); a reason listing several ("killed: 13
    civilians, seven children") does not say which one is the figure.
    """
    text = counted_text(fat, quantity)
    if not text:
        return False
    return any(w in SUB_GROUPS for w in re.findall(r"[a-z]+", text.casefold()))


VAGUE_WORDS = frozenset(("dozens", "scores", "hundreds", "thousands", "tens", "several", "many", "numerous"))


def vague(fat: Fatalities, quantity: Optional[str]) -> bool:
    """The figure is ACLED's number for a vague word ("dozens" = 12), not a count the text gives."""
    text = counted_text(fat, quantity)
    if not text:
        return False
    return not re.search(r"\d", text) and any(
        w in VAGUE_WORDS for w in re.findall(r"[a-z]+", text.casefold()))


def counted_text(fat: Fatalities, quantity: Optional[str]) -> Optional[str]:
    """The words that gave the figure: the claim's quantity, else the toll reason if it names one."""
    if quantity is not None:
        return quantity
    if fat.reason and "," not in fat.reason:
        return fat.reason.split(":", 1)[-1]
    return None
