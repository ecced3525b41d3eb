"""Bytes to text, refusing what is not text before it costs memory or time.

Inputs come from users, scrapers and other people's archives, so they arrive
empty, binary, oversized or in legacy encodings.  Each of these is a reason
(``InputRefused``) or a warning, never an exception escaping to the caller.

Encoding policy, kept deliberately simple so that it is predictable:

1. a byte-order mark decides (UTF-8, UTF-16, UTF-32);
2. then an encoding the input declares (HTML ``<meta charset>``);
3. otherwise strict UTF-8;
4. if that fails and the bytes hold no valid multi-byte UTF-8 sequence at
   all, it is legacy Windows-1252 (a superset of Latin-1 that most Western
   newsroom exports use), decoded with a warning;
5. otherwise it is damaged UTF-8: decoded with U+FFFD replacement and a
   warning that counts the replaced characters.
"""

from __future__ import annotations

import codecs
import os
import stat
from typing import BinaryIO, Iterable, Iterator

HEAD_BYTES = 64 * 1024  # enough to sniff a format and judge binary-ness
CHUNK_BYTES = 1024 * 1024

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls that never occur in text (tab, newlines, form feed and ESC do).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1b") + b"\x7f"
BINARY_REASON = "binary file, not text"
NUL_REASON = "holds NUL bytes (binary data or a damaged file), not text"


class InputRefused(Exception):
    """An input that cannot be read; the message is the user-facing reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(sample: bytes, *, rows: bool = False) -> bool:
    """NUL bytes or many control bytes: an image, archive or office file, not text.

    UTF-16/32 text is full of NULs, so a BOM exempts it; BOM-less UTF-16 is
    treated as binary (rare in news archives, and indistinguishable cheaply).

    ``rows``: the input is a file of records (CSV, TSV, JSON lines), where a
    NUL byte damages one record, not the file: NULs are then left to the row
    readers, and the file is binary only if what remains without them is not
    text either (many control bytes, or mostly invalid UTF-8, as in a zip or
    an image renamed ``.csv``).
    """
    if not sample or bom_encoding(sample) in ("utf-16", "utf-32"):
        return False
    if b"\x00" in sample:
        if not rows:
            return True
        sample = sample.replace(b"\x00", b"")
        if not sample:
            return True
        text = sample.decode("utf-8", errors="replace")
        if text.count("\ufffd") > len(text) // 5:
            return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls / len(sample) > 0.10


def check_text(data: bytes, *, rows: bool = False) -> None:
    """Refuse empty and binary data; ``rows`` as in ``looks_binary``."""
    if not data:
        raise InputRefused("empty file")
    if looks_binary(data[:HEAD_BYTES], rows=rows) or (
        not rows and bom_encoding(data) not in ("utf-16", "utf-32") and b"\x00" in data
    ):
        raise InputRefused(BINARY_REASON)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Text and an optional warning about how it was decoded (see module doc).

    ``declared`` is an encoding the input names itself (an HTML meta charset):
    it ranks after a BOM and before the UTF-8 guess, as in browsers.
    """
    encoding = bom_encoding(data) or _known_codec(declared)
    if encoding and encoding != "utf-8":
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError:
            text = data.decode(encoding, errors="replace")
            return text, _replaced_warning(text, encoding.upper().replace("-SIG", ""))
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    if not any(ord(c) > 127 and c != "\ufffd" for c in text):
        try:
            return data.decode("cp1252"), "not valid UTF-8; decoded as Windows-1252"
        except UnicodeDecodeError:
            pass
    return text, _replaced_warning(text, "UTF-8")


# What browsers decode these labels as (WHATWG Encoding): Windows-1252, a superset.
_LABEL_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}


def _known_codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _LABEL_ALIASES.get(name, name)


def _replaced_warning(text: str, encoding: str) -> str:
    n = text.count("\ufffd")
    return f"invalid {encoding}: {n} undecodable byte sequence{'s' if n != 1 else ''} replaced with U+FFFD"


def size_text(n: int) -> str:
    return f"{n:,} bytes ({n / 1e6:.1f} MB)"


def too_large(size: int, max_bytes: int, *, at_least: bool = False, article_chars: int | None = None) -> InputRefused:
    more = "more than " if at_least else ""
    if article_chars is not None:  # a file that is one article (``limits.Limits.file_bytes``)
        return InputRefused(f"too large: {more}{size_text(size)}, more than one article of at most "
                            f"{article_chars:,} characters can hold; not read (--max-article-size raises the limit)")
    return InputRefused(
        f"too large: {more}{size_text(size)}, over the limit of {max_bytes:,} bytes; not read "
        "(--max-file-size raises it)"
    )


def read_rest(stream: BinaryIO, head: bytes, max_bytes: int, size: int | None = None, *,
              article_chars: int | None = None) -> bytes:
    """The whole input (``head`` already read), refused early when over ``max_bytes``.

    ``size`` from fstat lets a regular file be refused without reading it;
    pipes and FIFOs have no size, so at most ``max_bytes + 1`` bytes are read.
    ``article_chars``: the input is one article of at most this many
    characters (the reason then names that limit).
    """
    if size is not None and size > max_bytes:
        raise too_large(size, max_bytes, article_chars=article_chars)
    parts = [head]
    total = len(head)
    while total <= max_bytes:
        chunk = stream.read(min(CHUNK_BYTES, max_bytes + 1 - total))
        if not chunk:
            break
        parts.append(_as_bytes(chunk))
        total += len(chunk)
    if total > max_bytes:
        raise too_large(max_bytes, max_bytes, at_least=True, article_chars=article_chars)
    return b"".join(parts)


def chunks(stream: BinaryIO, head: bytes = b"") -> Iterator[bytes]:
    if head:
        yield head
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            return
        yield _as_bytes(chunk)


def iter_lines(parts: Iterable[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, line or None if longer than max_bytes, length)`` without holding long lines.

    JSONL corpora are legitimately larger than one article's limit, so the
    limit applies per line (per record), and a runaway line is skipped
    without being accumulated in memory.
    """
    lineno, buf, length, oversized = 1, bytearray(), 0, False
    for part in parts:
        start = 0
        while start < len(part):
            nl = part.find(b"\n", start)
            piece = part[start:] if nl < 0 else part[start:nl]
            length += len(piece)
            if not oversized:
                if length > max_bytes:
                    oversized, buf = True, bytearray()
                else:
                    buf += piece
            if nl < 0:
                break
            yield lineno, None if oversized else bytes(buf), length
            lineno, buf, length, oversized = lineno + 1, bytearray(), 0, False
            start = nl + 1
    if length or buf:
        yield lineno, None if oversized else bytes(buf), length


def _as_bytes(chunk) -> bytes:
    """Text streams (io.StringIO, a text-mode stdin) are accepted as UTF-8 bytes."""
    return chunk.encode("utf-8", errors="surrogatepass") if isinstance(chunk, str) else chunk


def open_binary(stream) -> BinaryIO:
    """The byte layer of a stream: ``sys.stdin`` has ``.buffer``, io.BytesIO is bytes already."""
    return getattr(stream, "buffer", stream)


def regular_size(fileobj) -> int | None:
    try:
        st = os.fstat(fileobj.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None
