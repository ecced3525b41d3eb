"""Fetching a feed over HTTP(S): conditional, bounded in time and size, every failure one reason.

``counterclaim watch`` polls feeds for days; one bad server must cost one
poll of one feed, never the watcher.  So every request has a connect/read
timeout and an overall deadline (a server that drips a byte every few
seconds does not hold the watcher), the body is cut at ``max_bytes``, and
every way a request can fail (HTTP status, DNS, refused connection, reset,
timeout, a gzip bomb) becomes a ``FetchError`` with a one-line reason.

Conditional requests (``If-None-Match`` / ``If-Modified-Since`` from the last
complete poll) let a server answer "304 Not Modified" with no body, which is
what most polls of a live feed are.  Only the standard library is used.
"""

from __future__ import annotations

import gzip
import http.client
import socket
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from typing import Optional

from .. import __version__
from . import DEFAULT_MAX_BYTES

USER_AGENT = f"counterclaim/{__version__} (feed watcher)"
TIMEOUT = 20.0  # seconds for connecting and for each read
DEADLINE_FACTOR = 3  # the whole response must arrive within this many timeouts
READ_CHUNK = 64 * 1024
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"


class FetchError(Exception):
    """The feed could not be fetched; ``str()`` is the reason."""


@dataclass(frozen=True)
class Fetched:
    """A response: 200 with ``data``, or 304 (not modified: ``data`` is None)."""

    status: int
    data: Optional[bytes]
    etag: Optional[str]
    last_modified: Optional[str]

    @property
    def modified(self) -> bool:
        return self.status != 304


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def fetch(url: str, *, etag: Optional[str] = None, last_modified: Optional[str] = None,
          timeout: float = TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> Fetched:
    """GET ``url`` conditionally; raises ``FetchError`` for anything but 200 and 304."""
    if not is_url(url):
        raise FetchError(f"not an http(s) URL: {url!r}")
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    deadline = time.monotonic() + timeout * DEADLINE_FACTOR
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"too large: {int(declared):,} bytes (the limit is {max_bytes:,})")
            data = _read(response, max_bytes, deadline, timeout)
            if (response.headers.get("Content-Encoding") or "").lower() == "gzip":
                data = _gunzip(data, max_bytes)
            return Fetched(response.status, data, response.headers.get("ETag"), response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(304, None, exc.headers.get("ETag") or etag, exc.headers.get("Last-Modified") or last_modified)
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise FetchError(f"timed out after {timeout:g} s") from None
        raise FetchError(f"cannot connect: {reason}") from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (http.client.HTTPException, ConnectionError, OSError) as exc:
        raise FetchError(f"connection failed: {type(exc).__name__}: {exc}") from None


def _read(response, max_bytes: int, deadline: float, timeout: float) -> bytes:
    parts, size = [], 0
    while chunk := response.read(READ_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"too large: over {max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise FetchError(f"timed out: the response took over {timeout * DEADLINE_FACTOR:g} s")
        parts.append(chunk)
    return b"".join(parts)


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(data, max_bytes + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise FetchError(f"bad gzip body: {exc}") from None
    if len(out) > max_bytes:
        raise FetchError(f"too large once decompressed: over {max_bytes:,} bytes")
    return out


def folder_files(folder: str, *, settle: float = 1.0) -> tuple[list[tuple[str, str]], list]:
    """((entry key, path) of the article files in ``folder``, problems) for a watcher.

    A file's key is its path inside the folder with its size and modification
    time, so a file rewritten later is read again (its articles, if
    unchanged, are already stored).  Files modified in the last ``settle``
    seconds are left for the next poll: a writer may still be writing them.
    """
    import os

    from ..records import InputProblem
    from .sources import Input, expand

    found, problems = [], []
    now = time.time()
    for item in expand([folder]):
        if isinstance(item, InputProblem):
            if not item.reason.startswith("no article files found"):  # an empty folder is no error here
                problems.append(item)
            continue
        assert isinstance(item, Input)
        try:
            st = os.stat(item.path)
        except OSError:
            continue  # gone since it was listed: the next poll will say
        if now - st.st_mtime < settle:
            continue
        found.append((f"file:{os.path.relpath(item.path, folder)}|{st.st_size}|{st.st_mtime_ns}", item.path))
    return found, problems


def read_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES):
    """The articles and problems of one file, as ``read_inputs`` gives them (with its limits)."""
    from .limits import Limits
    from .meta import Defaults
    from .reader import read_one
    from .sources import Input, kind_of

    limits = Limits(max_bytes=max_bytes)
    return [limits.checked(item) for item in read_one(Input(path, kind_of(path)), Defaults(), limits)]
