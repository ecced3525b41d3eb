"""Which inputs to read, and in which format: path walking, sniffing and dispatch.

Directory policy: a directory means "the articles in here".  It is walked
recursively in sorted order (stable ids and stable output order across
runs), a sub-folder where its name sorts.  Hidden files and folders (``.git``, ``.DS_Store``) and
``__pycache__`` are skipped silently, and so are documentation files
(README, LICENSE, ...: a folder's README describes the articles, it is not
one).  Files whose type is not recognised by extension and non-regular files
(FIFOs, sockets) are skipped too, and summarised in one non-fatal
``InputProblem`` per directory argument: a folder of PDFs must not "succeed"
with nothing read, nor flood the user with one notice per file.
A symbolic link that leads back into a folder it is inside is a loop:
reported (non-fatal), not followed.  A symbolic link inside a folder that
leads out of it (to ``/etc/passwd``, another user's files) is not followed
either unless ``follow_links`` is set (CLI ``--follow-links``): a folder
means the articles in it, and a link planted there must not turn a system
file into an "article"; such links are counted in the folder's summary.

Special files (FIFOs, sockets, devices) are refused by their type, before
they are opened: opening a FIFO blocks until someone writes to it, and a
device such as ``/dev/zero`` never ends.

A file named explicitly is always attempted: an unrecognised extension is
sniffed (feed by ``<rss``/``<feed``, HTML by ``<html``/doctype, JSONL when
the first line and most complete lines of the first 64 KiB are JSON objects) and only reported
as an unknown file type when that fails.  ``-`` is standard input: sniffed the
same way, and plain text when nothing else matches.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..records import InputProblem

STDIN = "-"
STDIN_ORIGIN = "<stdin>"

FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".feed": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
}
DOC_NAMES = frozenset(("README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "CONTRIBUTING", "NOTICE", "AUTHORS"))


@dataclass(frozen=True)
class Input:
    """One file (or stdin) to read; ``kind`` None means sniff the content."""

    path: str
    kind: str | None


def kind_of(path: str) -> str | None:
    return FORMATS.get(os.path.splitext(path)[1].lower())


def expand(paths: Iterable | str | os.PathLike, *, follow_links: bool = False) -> Iterator[Input | InputProblem]:
    """The inputs behind the user's arguments, and problems with the arguments themselves."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for arg in paths:
        path = os.fspath(arg)
        if path == STDIN:
            yield Input(STDIN, None)
            continue
        try:
            st = os.stat(path)
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            yield InputProblem(path, describe_os_error(exc, path))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, follow_links)
        elif not stat.S_ISREG(st.st_mode):
            yield InputProblem(path, special_file_reason(st.st_mode))
        else:
            yield Input(path, kind_of(path))


def special_file_reason(mode: int) -> str:
    """Why a path that is not a regular file is not read (it would block or never end)."""
    what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"{what}, not a file: not read (to read a stream, pipe it to standard input: ... | counterclaim ingest -)"


def _walk(root: str, follow_links: bool = False) -> Iterator[Input | InputProblem]:
    skipped: dict[str, list[str]] = {"unknown": [], "special": [], "outside": []}
    found: list[Input] = []
    inside = None if follow_links else os.path.realpath(root)
    for item in _walk_folder(root, skipped, set(), inside):
        if isinstance(item, Input):
            found.append(item)
        yield item
    summary = _skipped_summary(skipped)
    if summary:
        yield InputProblem(root, summary, fatal=False)
    if not found:
        yield InputProblem(root, f"no article files found (looked for {', '.join(sorted(FORMATS))})")


def _walk_folder(folder: str, skipped: dict[str, list[str]], seen: set,
                 inside: str | None = None) -> Iterator[Input | InputProblem]:
    """Entries in name order, descending into a folder where its name sorts (like ``sorted(glob("**"))``).

    ``inside``: the real path of the folder the user named; symbolic links
    leading out of it are skipped (None: follow every link).
    """
    try:
        st = os.stat(folder)
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield InputProblem(folder, describe_os_error(exc, folder, action="cannot list directory"))
        return
    if (st.st_dev, st.st_ino) in seen:
        yield InputProblem(folder, "symbolic link loop (leads back to a folder already being read); not followed", fatal=False)
        return
    seen = seen | {(st.st_dev, st.st_ino)}  # per branch: the same folder linked twice is read twice
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        path = os.path.join(folder, entry.name)
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
            leaves = inside is not None and entry.is_symlink() and not _within(os.path.realpath(path), inside)
        except OSError as exc:
            yield InputProblem(path, describe_os_error(exc, path))
            continue
        if leaves and (is_dir or is_file):
            skipped["outside"].append(entry.name)
        elif is_dir:
            yield from _walk_folder(path, skipped, seen, inside)
        elif not is_file:
            if os.path.islink(path) and not os.path.exists(path):
                yield InputProblem(path, describe_os_error(FileNotFoundError(), path))
            else:
                skipped["special"].append(entry.name)
        elif Path(entry.name).stem.upper() in DOC_NAMES:
            continue
        elif kind_of(entry.name) is None:
            skipped["unknown"].append(entry.name)
        else:
            yield Input(path, kind_of(entry.name))


def _skipped_summary(skipped: dict[str, list[str]]) -> str | None:
    parts = []
    if skipped["unknown"]:
        exts = sorted({os.path.splitext(n)[1].lower() or "no extension" for n in skipped["unknown"]})
        parts.append(f"{_n(len(skipped['unknown']))} of unknown type ({', '.join(exts)})")
    if skipped["special"]:
        parts.append(f"{_n(len(skipped['special']))} that are not regular files")
    if skipped["outside"]:
        n = len(skipped["outside"])
        parts.append(f"{n} symbolic link{'s' if n != 1 else ''} leading out of the folder (--follow-links follows them)")
    if not parts:
        return None
    return "skipped " + "; ".join(parts) + "; name a file explicitly to read it anyway"


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _n(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


def describe_os_error(exc: OSError | ValueError, path: str, action: str = "cannot read") -> str:
    if isinstance(exc, ValueError):
        return f"{action}: not a usable file name ({exc})"
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return f"broken symbolic link (points to {os.readlink(path)!r}, which does not exist)"
        return "not found: no such file or directory"
    if isinstance(exc, PermissionError):
        return f"{action}: permission denied"
    if exc.errno == errno.ELOOP:
        return f"{action}: symbolic link loop (too many levels of symbolic links)"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"{action}: {exc.strerror or exc}"


def sniff(head: bytes) -> str | None:
    """The format of content without a telling extension, from its first bytes."""
    from .decode import bom_encoding

    enc = bom_encoding(head)
    sample = head.decode(enc or "utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    lower = sample[:4096].lower()
    if lower.startswith("<?xml") or lower.startswith("<"):
        from .feeds import FEED_MARKERS

        if any(m in lower for m in FEED_MARKERS):
            return "feed"
        if "<html" in lower or "<!doctype html" in lower:
            return "html"
    if sample.startswith("{") and _json_lines(sample, complete=len(head) >= 64 * 1024):
        return "jsonl"
    return None


def _json_lines(sample: str, complete: bool) -> bool:
    """The first line and most lines are JSON objects: prose never starts that way.

    "Most", not "every": a scraper export with one corrupt line is still JSON
    lines, and should be read as such with that line reported.
    """
    lines = sample.split("\n")
    if complete and len(lines) > 1:
        lines = lines[:-1]  # the head may end mid-line
    lines = [line for line in lines if line.strip()]
    objects = [_is_json_object(line) for line in lines]
    return bool(objects) and objects[0] and sum(objects) * 2 > len(objects)


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's stack
        return False
