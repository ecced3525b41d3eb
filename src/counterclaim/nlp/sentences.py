"""The regex sentence splitter: one owner for where a sentence ends without a parse (issue 15).

Code that needs sentences before or without spaCy (``times`` anchoring "a month
later" to the sentence before it) splits here.  A sentence ends after ".", "!"
or "?" (and any closing quotes or brackets) before a capital, a digit or an
opening quote, or at a blank line; never after a known abbreviation ("Gen.",
"U.S.", lexicons/sentences.tsv) or a single initial ("J. Smith").
"""

from __future__ import annotations

import re

from counterclaim.data.lexicon import word_sets

SENTENCES = word_sets("sentences.tsv")
_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences start (a light splitter that knows common abbreviations)."""
    starts = [0]
    for m in _BREAK.finditer(text):
        if text[m.start()] == ".":
            word = re.search(r"([A-Za-z.]+)$", text[max(0, m.start() - 12) : m.start()])
            token = word.group(1).lower() if word else ""
            if token.strip(".") in SENTENCES.abbreviations or re.fullmatch(r"[a-z]", token.strip(".")) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
                continue
        starts.append(m.end())
    return starts


def first_sentence(text: str) -> str:
    """The lead sentence of ``text`` with the space after it (all of ``text`` when it has one)."""
    starts = sentence_starts(text)
    return text[: starts[1]] if len(starts) > 1 else text
