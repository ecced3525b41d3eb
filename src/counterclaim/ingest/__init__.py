"""Ingest: user inputs (files, folders, stdin) to ``Article`` records, and named problems.

Users feed this stage whatever they have: saved pages, feed dumps, scraper
exports, copy-pasted wire text.  A mistake in one input must cost that input
only, so nothing here raises for bad content: every input yields ``Article``
records and/or ``InputProblem`` records that name it (``file``,
``file:LINE`` for JSON lines and table rows, ``file#N`` for feed entries and JSON list
items).  ``fatal=False`` problems are warnings about an input that was still
read (e.g. decoded with replacement characters).

Formats: plain text with metadata headers (``text``), web pages (``html``),
RSS/Atom (``feeds``), JSON lines and JSON lists (``jsonl``), CSV and TSV
with a header row (``tables``; ``file:LINE`` for a row).  Which files a
folder contributes, and how unknown types are handled, is in ``sources``;
metadata precedence in ``meta``; the encoding policy in ``decode``; the
language guess in ``language``.
"""

from __future__ import annotations

import os
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..records import Article, InputProblem
from .counting import count_articles
from .language import guess_language
from .limits import DEFAULT_MAX_ARTICLE_CHARS, DEFAULT_MAX_BYTES, Limits
from .meta import Defaults, clean, parse_date
from .sources import FORMATS, Input, expand

SUPPORTED_EXTENSIONS = tuple(sorted(FORMATS))

__all__ = [
    "DEFAULT_MAX_ARTICLE_CHARS",
    "DEFAULT_MAX_BYTES",
    "DEMO_FILES",
    "SUPPORTED_EXTENSIONS",
    "count_articles",
    "count_inputs",
    "demo_dir",
    "demo_paths",
    "guess_language",
    "read_inputs",
]


def read_inputs(
    paths: Iterable[str | os.PathLike] | str | os.PathLike,
    *,
    published: date | str | None = None,
    source: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS,
    follow_links: bool = False,
    stdin=None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Article | InputProblem]:
    """Articles and problems from files, folders and ``"-"`` (stdin), in argument order.

    ``published`` and ``source`` fill metadata an input does not state; an
    input's own date or outlet always wins (a batch-wide option is less
    specific than the file, see ``ingest.meta``).  ``max_article_chars``
    caps one article's text and ``max_bytes`` one file (a JSON lines file is
    capped per line instead): see ``ingest.limits``.  ``follow_links``:
    follow symbolic links that lead out of a folder being read (see
    ``ingest.sources``).  ``stdin`` is the stream read for ``"-"`` (default
    ``sys.stdin``; text or binary).  ``progress(name)`` is called after each
    input file is done, to advance a progress bar whose total is
    ``count_inputs(paths)``.

    Raises ValueError only for a bad option (an unparseable ``published``,
    a limit < 1), before reading anything: that is the caller's bug, not
    the user's input.
    """
    day = parse_date(published)
    if published not in (None, "") and day is None:
        raise ValueError(f"published: not a date: {published!r} (use YYYY-MM-DD)")
    limits = Limits(max_bytes, max_article_chars)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _read_all(list(paths), Defaults(day, clean(source)), limits, follow_links, stdin, progress)


def _read_all(paths, defaults, limits: Limits, follow_links, stdin, progress) -> Iterator[Article | InputProblem]:
    from .reader import read_one  # the format readers pull in feedparser; import on first use

    for item in expand(paths, follow_links=follow_links):
        if isinstance(item, InputProblem):
            yield item
            continue
        for record in read_one(item, defaults, limits, stdin):
            yield limits.checked(record)
        if progress is not None:
            progress(item.path)


def count_inputs(paths: Iterable[str | os.PathLike] | str | os.PathLike, *, follow_links: bool = False) -> int:
    """How many input files (and stdin) ``read_inputs`` will open.

    Cheap: it walks folders but reads no file.  ``count_articles`` counts the
    articles inside them, for a progress bar that moves within one large CSV.
    """
    return sum(isinstance(item, Input) for item in expand(paths, follow_links=follow_links))


# The bundled demo (src/counterclaim/demo/, package data): 6 files holding 8 articles, in
# publication order; see its README.md for the fictional story they tell.
DEMO_FILES = (
    "voice-of-the-north.rss",
    "meridian-2026-03-11-nakonde-attack.txt",
    "copperbelt-courier-2026-03-11-nakonde.txt",
    "nbs-2026-03-11-army-repels-attack.html",
    "monitor-and-wire-2026-03.jsonl",
    "lusaka-ledger-2026-03-16-truce.txt",
)


def demo_dir() -> Path:
    """Where the demo articles are installed; it holds nothing else but a README (skipped)."""
    return Path(str(resources.files("counterclaim").joinpath("demo")))


def demo_paths() -> list[Path]:
    """The demo article files: a fictional border clash reported by several outlets."""
    folder = demo_dir()
    return [folder / name for name in DEMO_FILES]
