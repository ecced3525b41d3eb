"""How many articles the inputs hold, before reading them: a progress bar's total.

A progress bar that counts files stands still through a single CSV of 5,000
articles.  Counting articles means looking inside the files, once, cheaply:
lines of a JSON lines file, rows of a table, items of a feed, members of a
JSON list; a text or HTML file is one article.  The count is an estimate
(blank lines, rows that turn out empty, a feed that does not parse): a bar
built on it must accept finishing above or below it.  Nothing here reports a
problem; reading does that.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from typing import Iterable

from .decode import HEAD_BYTES
from .limits import DEFAULT_MAX_BYTES
from .sources import STDIN, Input, expand, sniff

_FEED_ITEM = re.compile(rb"<(?:item|entry)[\s>]", re.IGNORECASE)
# A JSON list is parsed to be counted only up to this size; a larger one counts as one.
_JSON_PARSE_BYTES = 20_000_000


def count_articles(paths: Iterable | str | os.PathLike, *, follow_links: bool = False,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """About how many articles ``read_inputs(paths)`` will yield (at least one per input), counting
    one for each argument refused outright (missing, a FIFO): each is one step of the bar too."""
    return sum(_articles_in(item, max_bytes) if isinstance(item, Input) else int(item.fatal)
               for item in expand(paths, follow_links=follow_links))


def _articles_in(item: Input, max_bytes: int) -> int:
    if item.path == STDIN:
        return 1
    from .reader import open_regular

    try:
        with open_regular(item.path) as f:
            if os.fstat(f.fileno()).st_size > max_bytes:
                return 1  # refused unread
            head = f.read(HEAD_BYTES)
            kind = item.kind or sniff(head)
            f.seek(0)
            return max(1, _count(f, kind))
    except Exception:  # noqa: BLE001 - an estimate never fails; reading the input reports its problem
        return 1


def _count(f, kind: str | None) -> int:
    if kind == "jsonl":
        return sum(1 for line in f if line.strip())
    if kind in ("csv", "tsv"):
        text = io.TextIOWrapper(f, encoding="utf-8", errors="replace", newline="")
        rows = csv.reader(text, delimiter="\t" if kind == "tsv" else ",")
        return sum(1 for row in rows if any(cell.strip() for cell in row)) - 1  # less the header
    if kind == "feed":
        return len(_FEED_ITEM.findall(f.read()))
    if kind == "json" and os.fstat(f.fileno()).st_size <= _JSON_PARSE_BYTES:
        data = json.loads(f.read())
        if isinstance(data, dict) and isinstance(data.get("articles"), list):
            data = data["articles"]
        return len(data) if isinstance(data, list) else 1
    return 1
