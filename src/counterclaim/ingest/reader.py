"""Reading one input: bounded, checked, then handed to the reader of its format.

The order of checks is what keeps a bad input cheap: only the first 64 KiB
are read before an input is judged empty, binary or of unknown type, and a
file over the size limit is refused from its size alone.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO, Iterator

from ..records import Article, InputProblem
from .decode import (
    BINARY_REASON,
    HEAD_BYTES,
    InputRefused,
    check_text,
    chunks,
    decode,
    iter_lines,
    looks_binary,
    open_binary,
    read_rest,
    regular_size,
)
from .feeds import read_feed
from .html import declared_charset, read_html
from .jsonl import read_json, read_jsonl
from .meta import Defaults
from .tables import read_table
from .sources import FORMATS, STDIN, STDIN_ORIGIN, Input, describe_os_error, sniff
from .text import read_text


def read_one(item: Input, defaults: Defaults, max_bytes: int, stdin=None) -> Iterator[Article | InputProblem]:
    if item.path == STDIN:
        stream = open_binary(stdin if stdin is not None else sys.stdin)
        yield from _read(stream, STDIN_ORIGIN, None, defaults, max_bytes, size=None, fallback="text")
        return
    try:
        with open(item.path, "rb") as f:
            yield from _read(f, item.path, item.kind, defaults, max_bytes, size=regular_size(f))
    except OSError as exc:
        yield InputProblem(item.path, describe_os_error(exc, item.path))


def _read(
    stream: BinaryIO,
    origin: str,
    kind: str | None,
    defaults: Defaults,
    max_bytes: int,
    size: int | None,
    fallback: str | None = None,
) -> Iterator[Article | InputProblem]:
    head = stream.read(HEAD_BYTES)
    if isinstance(head, str):
        head = head.encode("utf-8", errors="surrogatepass")
    if not head:
        yield InputProblem(origin, "empty file" if origin != STDIN_ORIGIN else "empty input")
        return
    if looks_binary(head):
        yield InputProblem(origin, BINARY_REASON)
        return
    kind = kind or sniff(head) or fallback
    if kind is None:
        ext = os.path.splitext(origin)[1] or "no extension"
        yield InputProblem(
            origin,
            f"unknown file type ({ext}): not recognisably HTML, an RSS/Atom feed or JSON lines; "
            f"supported extensions are {', '.join(sorted(FORMATS))}",
        )
        return
    if kind == "jsonl":
        yield from read_jsonl(iter_lines(chunks(stream, head), max_bytes), origin, defaults, max_bytes)
        return
    try:
        data = read_rest(stream, head, max_bytes, size)
        check_text(data)
    except InputRefused as refused:
        yield InputProblem(origin, refused.reason)
        return
    if kind == "feed":  # feedparser honours the XML encoding declaration itself
        yield from read_feed(data, origin, defaults)
        return
    text, warning = decode(data, declared=declared_charset(data) if kind == "html" else None)
    if warning:
        yield InputProblem(origin, warning, fatal=False)
    if kind == "html":
        yield from read_html(text, origin, defaults)
    elif kind == "json":
        yield from read_json(text, origin, defaults)
    elif kind in ("csv", "tsv"):
        yield from read_table(text, origin, defaults, delimiter="\t" if kind == "tsv" else ",")
    else:
        yield from read_text(text, origin, defaults)
