"""Quotation spans in raw text, the way newswire writes them.

Found on characters, not on the parse: spaCy splits a multi-sentence quote
into sentences and knows nothing of the wire convention that a quote running
over several paragraphs re-opens each paragraph with a quote mark and closes
only at its end.  Claims use these spans to grow a cue's clause to the whole
quote it sits in and to tell direct from reported speech.
"""

from __future__ import annotations

import re

OPEN_CURLY = "\u201c"
CLOSE_CURLY = "\u201d"
STRAIGHT = '"'
_PARA = re.compile(r"\n\s*\n")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, quote marks included, in text order.

    Typewriter pairs (``like this'' and ''like this'', as some archives write) are
    read as curly quotes.
    """
    text = _normalise_pairs(text)
    spans: list[tuple[int, int]] = []
    paragraphs = _paragraph_bounds(text)
    carry: int | None = None  # start of a quote left open at the previous paragraph's end
    for p_start, p_end in paragraphs:
        open_at: int | None = None
        open_ch = ""  # the mark that opened: a straight quote closes only with a straight one
        i = p_start
        while i < p_end:
            ch = text[i]
            if ch == CLOSE_CURLY and open_at is None and i == _first_char(text, p_start) and i + 1 < p_end \
                    and text[i + 1].isalnum():
                # A paragraph that opens with a closing mark (”Fear. I am ...”) is a typo for an
                # opening one: at the start of a paragraph, before a word, a quote can only open.
                ch = OPEN_CURLY
            if ch == STRAIGHT and _flank(text, i) == "close" and open_at is None:
                pass  # '... last" he added': a closing mark whose opening one was lost; it opens nothing
            elif ch == STRAIGHT and _flank(text, i) == "open" and open_at is not None and open_ch == STRAIGHT:
                # 'will not change. "This targeting ...': a mark that can only open, while one is
                # open: the open quote lost its closing mark; it ends here, and a new one begins.
                spans.append((open_at, i))
                open_at = i
            elif open_at is None and ch in (OPEN_CURLY, STRAIGHT):
                open_at, open_ch = i, ch
            elif open_at is not None and (ch == STRAIGHT if open_ch == STRAIGHT else ch == CLOSE_CURLY
                                          or _straight_close_of_curly(text, open_at, i)):
                # '"... as “The Journal” wrote, ..."': curly marks inside a straight quote are
                # a title or a nested quote, not its end (and the other way round).
                start = carry if carry is not None and open_at == _first_char(text, p_start) else open_at
                spans.append((start, i + 1))
                carry = None
                open_at = None
            i += 1
        if open_at is not None:
            # Wire convention: an unclosed quote continues when the next paragraph opens with a quote mark.
            if carry is None or open_at != _first_char(text, p_start):
                carry = open_at
        else:
            carry = None
    return spans


def _straight_close_of_curly(text: str, open_at: int, i: int) -> bool:
    """'“I condemn this attempt." The students said ...': a quote opened with a curly mark and
    closed with a straight one after the sentence's last mark (no straight quote opened
    inside it, which this one would close instead)."""
    return text[i] == STRAIGHT and _flank(text, i) == "close" and i > 0 and text[i - 1] in ".,!?" \
        and not any(text[k] == STRAIGHT and _flank(text, k) == "open" for k in range(open_at + 1, i))


def _flank(text: str, i: int) -> str:
    """Which way a straight quote mark faces: "open" between a space and a word ('said "The'),
    "close" between a word and a space ('war" he'), "" when the characters do not tell."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() and not after.isspace():
        return "open"
    if after.isspace() and not before.isspace():
        return "close"
    return ""


# Curly quote marks whose UTF-8 bytes were decoded as Windows-1252 (archives published that
# way): the opening mark reads as three characters, the closing one loses its last byte.
MOJIBAKE_OPEN = "\u00e2\u20ac\u0153"
MOJIBAKE_CLOSE = "\u00e2\u20ac\ufffd"


def _normalise_pairs(text: str) -> str:
    """Same length, double-apostrophe and backtick pairs, and curly marks garbled by a wrong
    decoding ("\u00e2\u20ac\u0153like this\u00e2\u20ac\ufffd"), turned into curly quote marks."""
    if MOJIBAKE_OPEN in text or MOJIBAKE_CLOSE in text:
        text = text.replace(MOJIBAKE_OPEN, "\u201c\u200b\u200b").replace(MOJIBAKE_CLOSE, "\u200b\u200b\u201d")
    if "''" not in text and "``" not in text:
        return text
    out = text.replace("``", "\u201c\u200b")
    out = re.sub(r"''(?=\w)", "\u201c\u200b", out)
    out = out.replace("''", "\u200b\u201d")
    assert len(out) == len(text)
    return out


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds, last = [], 0
    for m in _PARA.finditer(text):
        bounds.append((last, m.start()))
        last = m.end()
    bounds.append((last, len(text)))
    return bounds


def _first_char(text: str, start: int) -> int:
    while start < len(text) and text[start].isspace():
        start += 1
    return start


def inside(spans: list[tuple[int, int]], start: int, end: int) -> float:
    """Share of characters start:end that lie inside some quote span."""
    if end <= start:
        return 0.0
    covered = 0
    for s, e in spans:
        covered += max(0, min(e, end) - max(s, start))
    return covered / (end - start)


def enclosing(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The quote span that overlaps start:end the most, if any."""
    best, best_overlap = None, 0
    for s, e in spans:
        overlap = min(e, end) - max(s, start)
        if overlap > best_overlap:
            best, best_overlap = (s, e), overlap
    return best
