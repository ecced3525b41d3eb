"""Web pages (.html, .htm) via trafilatura, and HTML fragments (feed entries) to text.

A saved news page is mostly navigation, adverts and related links; only the
article body may reach the nlp stage, or a menu item becomes a "claim".
trafilatura finds the body and the page metadata (title, date, site name,
canonical URL).  When it finds no body the page is reported rather than
guessed at: malformed, truncated or empty pages are common in scraped dumps.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from typing import Iterator

from ..records import Article, InputProblem
from .meta import Defaults, build

_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table td th tr ul".split()
)
_SKIP = frozenset(("script", "style", "noscript", "template", "head"))
# Fewer words than this is a menu, a cookie wall or an error page, not an article.
MIN_WORDS = 5


def read_html(html: str, origin: str, defaults: Defaults) -> Iterator[Article | InputProblem]:
    if "<" not in html:
        yield InputProblem(origin, "malformed HTML: no markup at all (rename it .txt if it is plain text)")
        return
    doc, error = _extract(html)
    words = (doc.text or "").split() if doc is not None else []
    if len(words) < MIN_WORDS:
        why = f" ({error})" if error else (f" (only {' '.join(words)!r})" if words else "")
        yield InputProblem(
            origin, f"no article text found in the HTML: the page is malformed, truncated or empty{why}"
        )
        return
    text = _drop_repeated_title(doc.text, doc.title)
    yield from build(
        text,
        origin,
        defaults,
        title=doc.title,
        url=doc.url,
        source=doc.sitename or doc.hostname,
        published=doc.date,
    )


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The page's own ``<meta charset>`` (or http-equiv content type), from its first 4 KiB."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


def _extract(html: str):
    """trafilatura's document, or None and why; its exceptions are a page's fault, not ours."""
    import trafilatura

    # trafilatura logs "discarding data" and parse errors at WARNING/ERROR for pages
    # it cannot use; the caller reports an InputProblem instead, so keep stderr clean.
    logger = logging.getLogger("trafilatura")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return (
            trafilatura.bare_extraction(
                html, with_metadata=True, favor_recall=True, include_comments=False, include_tables=True
            ),
            None,
        )
    except Exception as exc:  # noqa: BLE001 - any parser failure means "cannot read this page"
        return None, f"{type(exc).__name__}: {exc}"
    finally:
        logger.setLevel(level)


def _drop_repeated_title(text: str, title: str | None) -> str:
    """The page's <h1> often opens the extracted body; keep the headline in ``title`` only."""
    first, _, rest = text.partition("\n")
    if title and rest.strip() and " ".join(first.split()) == " ".join(title.split()):
        return rest
    return text


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment, one line per block element.

    Feed entries hold short fragments that trafilatura (built for whole pages)
    often discards as too short; the standard library parser is enough here.
    """
    parser = _TextCollector()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
