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
from .language import guess_language
from .meta import Defaults, clean, parse_date
from .sources import FORMATS, Input, expand

DEFAULT_MAX_BYTES = 5_000_000
SUPPORTED_EXTENSIONS = tuple(sorted(FORMATS))

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEMO_FILES",
    "SUPPORTED_EXTENSIONS",
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
    stdin=None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Article | InputProblem]:
    """Articles and problems from files, folders and ``"-"`` (stdin), in argument order.

    ``published`` and ``source`` fill metadata an input does not state; an
    input's own date or outlet always wins (a batch-wide option is less
    specific than the file, see ``ingest.meta``).  ``max_bytes`` caps one
    article-bearing input (a JSON lines file is capped per line instead).
    ``stdin`` is the stream read for ``"-"`` (default ``sys.stdin``; text or
    binary).  ``progress(name)`` is called after each input file is done, to
    advance a progress bar whose total is ``count_inputs(paths)``.

    Raises ValueError only for a bad option (an unparseable ``published``,
    ``max_bytes`` < 1), before reading anything: that is the caller's bug, not
    the user's input.
    """
    day = parse_date(published)
    if published not in (None, "") and day is None:
        raise ValueError(f"published: not a date: {published!r} (use YYYY-MM-DD)")
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _read_all(list(paths), Defaults(day, clean(source)), max_bytes, stdin, progress)


def _read_all(paths, defaults, max_bytes, stdin, progress) -> Iterator[Article | InputProblem]:
    from .reader import read_one  # the format readers pull in feedparser; import on first use

    for item in expand(paths):
        if isinstance(item, InputProblem):
            yield item
            continue
        yield from read_one(item, defaults, max_bytes, stdin)
        if progress is not None:
            progress(item.path)


def count_inputs(paths: Iterable[str | os.PathLike] | str | os.PathLike) -> int:
    """How many input files (and stdin) ``read_inputs`` will open: a progress bar's total.

    Cheap: it walks folders but reads no file.  Feed entries and JSON lines
    are not counted (that would mean parsing everything twice).
    """
    return sum(isinstance(item, Input) for item in expand(paths))


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
