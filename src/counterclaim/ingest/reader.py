"""Reading one input: bounded, checked, then handed to the reader of its format.

The order of checks is what keeps a bad input cheap: a special file is
refused by its type (opened without blocking, then checked, so a FIFO put in
a file's place after the folder was listed cannot hang the batch); only the
first 64 KiB are read before an input is judged empty, binary or of unknown
type; and a file over the size limit is refused from its size alone.
"""

from __future__ import annotations

import os
import stat
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
from .limits import Limits
from .meta import Defaults
from .sources import FORMATS, STDIN, STDIN_ORIGIN, Input, describe_os_error, sniff, special_file_reason
from .tables import read_table
from .text import read_text

# Formats whose records are rows: a damaged row (a NUL byte) costs that row, not the file.
ROW_FORMATS = ("csv", "tsv", "jsonl")


def read_one(item: Input, defaults: Defaults, limits: Limits, stdin=None) -> Iterator[Article | InputProblem]:
    if item.path == STDIN:
        stream = open_binary(stdin if stdin is not None else sys.stdin)
        yield from _read(stream, STDIN_ORIGIN, None, defaults, limits, size=None, fallback="text")
        return
    try:
        f = open_regular(item.path)
    except OSError as exc:
        yield InputProblem(item.path, describe_os_error(exc, item.path))
        return
    except _NotRegular as exc:
        yield InputProblem(item.path, special_file_reason(exc.mode))
        return
    try:
        with f:
            yield from _read(f, item.path, item.kind, defaults, limits, size=regular_size(f))
    except OSError as exc:
        yield InputProblem(item.path, describe_os_error(exc, item.path))


class _NotRegular(Exception):
    def __init__(self, mode: int):
        super().__init__(mode)
        self.mode = mode


def open_regular(path: str) -> BinaryIO:
    """The file opened for reading, refused by type unless regular (never blocking on a FIFO)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _NotRegular(mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read(
    stream: BinaryIO,
    origin: str,
    kind: str | None,
    defaults: Defaults,
    limits: Limits,
    size: int | None,
    fallback: str | None = None,
) -> Iterator[Article | InputProblem]:
    head = stream.read(HEAD_BYTES)
    if isinstance(head, str):
        head = head.encode("utf-8", errors="surrogatepass")
    if not head:
        yield InputProblem(origin, "empty file" if origin != STDIN_ORIGIN else "empty input")
        return
    if looks_binary(head, rows=kind in ROW_FORMATS or kind is None):
        yield InputProblem(origin, BINARY_REASON)
        return
    kind = kind or sniff(head) or fallback
    if kind not in ROW_FORMATS and b"\x00" in head and looks_binary(head):
        yield InputProblem(origin, BINARY_REASON)
        return
    if kind is None:
        ext = os.path.splitext(origin)[1] or "no extension"
        yield InputProblem(
            origin,
            f"unknown file type ({ext}): not recognisably HTML, an RSS/Atom feed or JSON lines; "
            f"supported extensions are {', '.join(sorted(FORMATS))}",
        )
        return
    max_bytes = limits.file_bytes(kind)
    if kind == "jsonl":
        yield from read_jsonl(iter_lines(chunks(stream, head), max_bytes), origin, defaults, max_bytes)
        return
    try:
        by_article = max_bytes < limits.max_bytes  # the file is one article, and that limit binds
        data = read_rest(stream, head, max_bytes, size, article_chars=limits.max_article_chars if by_article else None)
        check_text(data, rows=kind in ROW_FORMATS)
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
