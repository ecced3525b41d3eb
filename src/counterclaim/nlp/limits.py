"""Bounds on extraction work, so that its cost grows with the text's length, not its square.

The rules walk windows: each speech cue reads the clause it governs up to
the end of its sentence, each event trigger reads its sentence for places,
tolls and rivals.  In a sentence of n words with a cue or a trigger every few
words, that is n windows of up to n words: "the army said " 5,000 times (one
15,000-word sentence, the parser finding no full stop) took minutes, and a
text of that kind is what a broken scraper or a hostile feed delivers.  Two
limits make every sentence's work bounded, so a text's work is linear:

- a sentence longer than ``MAX_SENTENCE_TOKENS`` words is not read for claims
  and events.  News sentences are far shorter (the longest of 11,000 in
  FA-KES and PolNeAR dev has 113 words); one over the limit is a run-on
  text, a table or a list flattened by a scraper, and reading it would
  produce nonsense slowly;
- in one sentence, at most ``MAX_PER_SENTENCE`` statements (and as many event
  triggers) are read; the rest of that sentence is skipped.  A real sentence
  holds a handful.

What is skipped is counted per document and said in the extraction's
``notes``, which ingest reports as a warning naming the article: a claim
that is not extracted is never skipped silently.  The rules call these
functions where they walk (``tokens`` in attribution, ``per_sentence`` in
events); the limits live here so that one place states them.

``MAX_COUNT`` bounds a number read from text ("9" written 400 times): the
record keeps the text, the figure is the largest a store can hold.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, TypeVar

from spacy.tokens import Doc, Token

from .pipeline import sent_of

MAX_SENTENCE_TOKENS = 250
MAX_PER_SENTENCE = 12
MAX_COUNT = 2**63 - 1
_NOTES = "cc_limits"
_PARAGRAPHS = "cc_paragraphs"

T = TypeVar("T")


def tokens(doc: Doc, found: list, what: str = "claims") -> Iterator[Token]:
    """The tokens of ``doc`` a rule may look at, sentence by sentence.

    ``found`` is the list the caller appends its results to: once a sentence
    has added ``MAX_PER_SENTENCE`` of them, its remaining tokens are skipped.
    Sentences over ``MAX_SENTENCE_TOKENS`` are skipped whole.
    """
    for sent in doc.sents:
        if len(sent) > MAX_SENTENCE_TOKENS:
            _note(doc, ("long", what), sent.start)
            continue
        before = len(found)
        for token in sent:
            if len(found) - before >= MAX_PER_SENTENCE:
                _note(doc, ("many", what), sent.start)
                break
            yield token


def per_sentence(items: Iterable[T], head: Callable[[T], Token], what: str = "events") -> list[T]:
    """``items`` (in text order) less those in over-long sentences and beyond
    ``MAX_PER_SENTENCE`` in one sentence; ``head(item)`` is the token that places it."""
    kept: list[T] = []
    counts: dict[int, int] = {}
    for item in items:
        tok = head(item)
        sent = sent_of(tok)
        if len(sent) > MAX_SENTENCE_TOKENS:
            _note(tok.doc, ("long", what), sent.start)
            continue
        counts[sent.start] = counts.get(sent.start, 0) + 1
        if counts[sent.start] > MAX_PER_SENTENCE:
            _note(tok.doc, ("many", what), sent.start)
            continue
        kept.append(item)
    return kept


def paragraph_of(tok: Token) -> tuple[int, int]:
    """Token bounds [lo, hi) of the line holding ``tok``: ``lo`` just after the last line break
    before it, ``hi`` at the first line break after it.

    Found for all tokens in one pass per document: walking to the line's ends
    for each speech cue cost a whole line per cue, and a scraped article is
    often one line of thousands of words (quadratic again, under the sentence
    limits).
    """
    doc = tok.doc
    bounds = doc.user_data.get(_PARAGRAPHS)
    if bounds is None:
        n = len(doc)
        breaks = [t.is_space and "\n" in t.text for t in doc]
        lo, start = [0] * n, 0
        for i in range(n):
            lo[i] = start
            if breaks[i]:
                start = i + 1
        hi, end = [n] * n, n
        for i in range(n - 1, -1, -1):
            hi[i] = end
            if breaks[i]:
                end = i
        bounds = doc.user_data[_PARAGRAPHS] = (lo, hi)
    return bounds[0][tok.i], bounds[1][tok.i]


def clamp_count(value: float) -> int:
    """A count read from text as an int a store can hold (``float("9" * 400)`` is infinite)."""
    if value != value:  # NaN
        return 0
    return int(max(-MAX_COUNT, min(MAX_COUNT, value)))


def notes(doc: Doc) -> list[str]:
    """What the limits skipped in ``doc``, one sentence each (for ``Extraction.notes``)."""
    found = doc.user_data.get(_NOTES, {})
    out = []
    for (kind, what), where in sorted(found.items()):
        n = len(where)
        sentences = f"{n} sentence{'s' if n != 1 else ''}"
        if kind == "long":
            out.append(f"{sentences} over {MAX_SENTENCE_TOKENS} words not read for {what} "
                       "(a run-on text without full stops?)")
        else:
            out.append(f"{sentences} with more than {MAX_PER_SENTENCE} {what}: the rest of the sentence not read")
    return out


def fit_parser(nlp, chars: int) -> None:
    """Let the parser take texts of ``chars`` characters (spaCy refuses over ``nlp.max_length``).

    The small pipeline's memory grows linearly with the text, so raising the
    limit is safe; ingest's own per-article limit decides what reaches it.
    """
    if chars >= nlp.max_length:
        nlp.max_length = chars + 1


def _note(doc: Doc, key: tuple[str, str], sentence_start: int) -> None:
    doc.user_data.setdefault(_NOTES, {}).setdefault(key, set()).add(sentence_start)
