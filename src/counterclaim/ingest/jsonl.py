"""JSON Lines (.jsonl, .ndjson) and JSON lists (.json) of article objects.

Each object needs ``text``; ``title``, ``url``, ``published`` (alias
``date``; ISO date or datetime, RFC 2822 also accepted), ``source``,
``language`` and ``id`` are optional.  A bad line is reported as
``file:LINE`` and reading goes on: one corrupt record in a scraper's export
must not hide the other ten thousand.

JSONL is streamed line by line, so ``max_bytes`` limits each record rather
than the whole corpus; a ``.json`` list has to be parsed whole and is
limited as a whole.

``id`` is checked but not kept: ``Article.id`` is the content hash that makes
re-ingestion idempotent, and ``Article`` has no field for a caller's own id.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

from ..records import Article, InputProblem
from .decode import NUL_REASON, decode, size_text
from .meta import Defaults, build

_STRING_FIELDS = ("title", "url", "source", "language", "id")


def read_jsonl(
    lines: Iterable[tuple[int, bytes | None, int]], origin: str, defaults: Defaults, max_bytes: int
) -> Iterator[Article | InputProblem]:
    """Articles from ``(line number, line, length)`` as produced by ``decode.iter_lines``."""
    seen_any = False
    for lineno, raw, length in lines:
        where = f"{origin}:{lineno}"
        if raw is None:
            seen_any = True
            yield InputProblem(where, f"line too long: {size_text(length)}, over the limit of {max_bytes:,} bytes; skipped")
            continue
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        seen_any = True
        if b"\x00" in raw:
            yield InputProblem(where, f"{NUL_REASON}; line skipped")
            continue
        line, warning = decode(raw)
        if warning:
            yield InputProblem(where, warning, fatal=False)
        obj, error = _parse(line)
        if error:
            yield InputProblem(where, f"{error}; line skipped")
            continue
        yield from record(obj, where, defaults)
    if not seen_any:
        yield InputProblem(origin, "empty: no JSON lines")


def read_json(text: str, origin: str, defaults: Defaults) -> Iterator[Article | InputProblem]:
    """A list of article objects (``file#N``), ``{"articles": [...]}``, or one object."""
    data, error = _parse(text)
    if error:
        yield InputProblem(origin, error)
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        yield from record(data, origin, defaults)
    elif isinstance(data, list):
        if not data:
            yield InputProblem(origin, "empty: the JSON list holds no articles")
        for n, obj in enumerate(data, start=1):
            yield from record(obj, f"{origin}#{n}", defaults)
    else:
        yield InputProblem(origin, f"expected a JSON list of article objects, got {type(data).__name__}")


def _parse(text: str) -> tuple[Any, str | None]:
    """The JSON value, or why there is none.

    Python's parser recurses once per level of nesting: a line of 2,000 ``[``
    exhausts the stack (RecursionError), which is this input's fault and is
    reported as such, like any other invalid JSON.
    """
    try:
        return json.loads(text), None
    except RecursionError:
        return None, "JSON nested too deeply to read (thousands of levels; an article is one flat object)"
    except ValueError as exc:
        return None, f"not valid JSON ({exc})"


def record(obj: Any, where: str, defaults: Defaults) -> Iterator[Article | InputProblem]:
    if not isinstance(obj, dict):
        yield InputProblem(where, f"expected a JSON object with \"text\", got {_kind(obj)}; skipped")
        return
    text = obj.get("text")
    if not isinstance(text, str):
        got = "no \"text\" field" if text is None else f"\"text\" is {_kind(text)}, not a string"
        yield InputProblem(where, f"{got}; skipped")
        return
    meta = {}
    for key in _STRING_FIELDS:
        value = obj.get(key)
        if value is None:
            continue
        if isinstance(value, str) or (key == "id" and isinstance(value, int)):
            meta[key] = value
        else:
            yield InputProblem(where, f"\"{key}\" is {_kind(value)}, not a string; ignored", fatal=False)
    meta.pop("id", None)
    published = obj.get("published", obj.get("date"))
    if published is not None and not isinstance(published, str):
        yield InputProblem(where, f"\"published\" is {_kind(published)}, not a date string; ignored", fatal=False)
        published = None
    yield from build(text, where, defaults, published=published, **meta)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)
