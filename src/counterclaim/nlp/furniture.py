"""Page furniture after an article's last sentence, left out of extraction.

A page copied whole often ends with a list of related stories ("related stories:
violence continues in X, 1 killed"), share buttons and comment boxes. Their
headlines are other stories: a claim, an event or a place read from them is
wrong for this article. ``blank_furniture`` returns the text with everything from
the first marker of ``page_furniture.tsv`` in the text's second half to its end
turned into spaces (line breaks kept), so the parse never sees it while every
offset still indexes the article as stored; the text itself is not changed.
"""

from __future__ import annotations

import functools
import re

from ..data.lexicon import rows

MIN_SHARE = 0.5  # a marker counts only in the second half of the text


@functools.lru_cache(maxsize=None)
def _markers() -> re.Pattern:
    words = [r[0] for r in rows("page_furniture.tsv") if r and r[0]]
    alts = sorted((r"\s*".join(re.escape(w) for w in m.split()) for m in words), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")", re.IGNORECASE)


def furniture_start(text: str) -> int | None:
    """Where page furniture begins, or None."""
    m = _markers().search(text, int(len(text) * MIN_SHARE))
    return m.start() if m else None


def blank_furniture(text: str) -> str:
    """``text`` with its page furniture blanked out (same length)."""
    start = furniture_start(text)
    if start is None:
        return text
    return text[:start] + re.sub(r"[^\n]", " ", text[start:])
