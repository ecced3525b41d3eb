"""Plain-text articles (.txt, .text, .md) and the metadata people put at their top.

Metadata is never article text: a date left in the text would be extracted as
an event date and shift every offset.  Three conventions are recognised at
the start of the file (after optional whitespace):

* front matter: a ``---`` line, ``key: value`` lines, a closing ``---`` line;
* ``Key: value`` header lines (title, date, source, url, language and their
  synonyms below), ended by the first other line; a blank line after them
  is optional;
* a bare ``date YYYY-MM-DD`` prefix, on its own line or, as in copy-pasted
  wire text, followed by the article on the same line
  (``" date 2026-02-27 Pakistani Defense Minister ..."``).

They can be combined (``date 2026-03-16`` then ``Source: ...`` lines).  The
title stays empty unless given: a first line is too often a dateline or lead
sentence to be trusted as a headline.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..records import Article, InputProblem
from .meta import Defaults, build

# header key -> Article field (None: recognised as metadata, but Article has no field for it)
KEYS = {
    "title": "title",
    "headline": "title",
    "date": "published",
    "published": "published",
    "dateline": "published",
    "source": "source",
    "outlet": "source",
    "publisher": "source",
    "publication": "source",
    "url": "url",
    "link": "url",
    "language": "language",
    "lang": "language",
    "author": None,
    "byline": None,
    "by": None,
}
_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", re.DOTALL)
_HEADER = re.compile(r"([A-Za-z][A-Za-z ]{0,20}?)[ \t]*:[ \t]*(\S.*?)[ \t]*")
_BARE_DATE = re.compile(r"(?:date|dated|published)[ \t]+(\d{4}-\d{2}-\d{2})(?![\d:T-])[ \t]*", re.IGNORECASE)


def _field(key: str) -> str | None | bool:
    """The Article field for a header key; False if the key is not metadata."""
    return KEYS.get(key.strip().lower(), False)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def split_metadata(text: str) -> tuple[dict[str, str], str]:
    """``(metadata by Article field, the remaining text)``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip()
    meta: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        for line in m.group(1).split("\n"):
            h = _HEADER.fullmatch(line.strip())
            if h and isinstance(name := _field(h.group(1)), str) and name:
                meta.setdefault(name, _unquote(h.group(2)))
        return meta, text[m.end():]
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        h = _HEADER.fullmatch(line.strip())
        if h and _field(h.group(1)) is not False:
            if isinstance(name := _field(h.group(1)), str) and name:
                meta.setdefault(name, _unquote(h.group(2)))
            pos = end + 1
            continue
        indent = len(line) - len(line.lstrip())
        d = _BARE_DATE.match(line, indent)
        if d and "published" not in meta:
            meta["published"] = d.group(1)
            if line[d.end():].strip():  # the article starts on the same line
                return meta, text[pos + d.end():]
            pos = end + 1
            continue
        break
    return meta, text[pos:]


def read_text(text: str, origin: str, defaults: Defaults) -> Iterator[Article | InputProblem]:
    meta, body = split_metadata(text)
    if not body.strip():
        reason = "empty: only metadata, no article text" if meta else "empty: only whitespace"
        yield InputProblem(origin, reason)
        return
    yield from build(body, origin, defaults, **meta)
