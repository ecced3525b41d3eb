"""``extract(article) -> Extraction``: the whole algorithm, one stage per line.

Everything spaCy-specific stays in this package; the function returns plain
records.  ``extract_many`` does the same over a stream with ``nlp.pipe``, which
is what the batch runner (and a Dask worker) calls.
"""

from __future__ import annotations

from typing import Callable, Iterable, Iterator, Optional

from spacy.tokens import Doc

from ..records import Article, Extraction
from . import limits
from .claims import find_claims
from .events import find_events
from .furniture import blank_furniture
from .pipeline import get_nlp, text_of
from .places import find_places
from .speakers import SpeakerResolver
from .times import find_times
from .truecase import original_spans, truecase
from .within import link_within

# Bumped whenever extraction output changes meaning, so stored results say which rules made them.
EXTRACTOR_VERSION = "counterclaim-extract/1"
MAX_CHARS = 1_000_000  # spaCy's own limit; longer texts are refused at ingest


def extract(article: Article) -> Extraction:
    """Claims, events, places, times and in-article links of one article."""
    nlp, text = get_nlp(), _parse_text(article)
    limits.fit_parser(nlp, len(text))
    return extract_doc(article, nlp(text))


def extract_many(articles: Iterable[Article], batch_size: int = 16,
                 on_error: Optional[Callable[[Article, Exception], None]] = None) -> Iterator[Extraction]:
    """Extract a stream of articles, parsing them in batches (same results as ``extract``).

    ``on_error(article, exc)``: an article whose extraction raised is skipped
    after this call, and the stream goes on (one article's bug must not cost
    the batch); without it the error propagates.
    """
    nlp = get_nlp()
    pairs = ((_parse_text(a) if _is_english(a) else "", a) for a in articles)
    for doc, article in nlp.pipe(_fitted(nlp, pairs), as_tuples=True, batch_size=batch_size):
        try:
            extraction = extract_doc(article, doc)
        except Exception as exc:  # noqa: BLE001 - reported to the caller, who names the article
            if on_error is None:
                raise
            on_error(article, exc)
            continue
        yield extraction


def _fitted(nlp, pairs):
    """The pairs, with the parser's length limit raised for each text that needs it
    (ingest decides how long an article may be: ``ingest.limits``)."""
    for text, article in pairs:
        limits.fit_parser(nlp, len(text))
        yield text, article


def extract_doc(article: Article, doc: Doc) -> Extraction:
    if not _is_english(article):
        # The rules and the model are English: extracting from other languages would
        # produce confident nonsense. The article is kept, with nothing extracted.
        return Extraction(article=article, extractor=EXTRACTOR_VERSION)
    times = find_times(text_of(doc), article.published, _entities(doc, {"DATE", "TIME"}))
    places = find_places(doc)
    resolver = SpeakerResolver.for_doc(doc, article.published, [p.country for p in places])
    claims, links = find_claims(doc, article.id, resolver, [t.span for t in times])
    dropped: list = []  # candidates left out, with their reasons (records.Dropped)
    events = find_events(doc, article.id, claims, places, times, article.published, resolver, dropped)
    links += link_within(claims, events, links)
    extraction = Extraction(
        article=article, claims=claims, events=events, places=places, times=times,
        links=links, extractor=EXTRACTOR_VERSION, notes=limits.notes(doc), dropped=dropped,
    )
    if text_of(doc) != article.text:  # parsed in restored case: spans quote the article as written
        for name in ("claims", "events", "places", "times", "dropped"):
            setattr(extraction, name, original_spans(getattr(extraction, name), article.text))
    return extraction


def _parse_text(article: Article) -> str:
    """What the model parses: the article's text, its letter case restored when the whole
    text is in capitals or in lower case, page furniture after its end blanked out (same
    length, same offsets)."""
    return blank_furniture(truecase(article.text))


def _is_english(article: Article) -> bool:
    return article.language in (None, "", "en", "und")


def _entities(doc: Doc, labels: set[str]) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in labels]
