"""Property-based fuzzing of counterclaim's input surfaces: readers, extractor, store, renderers, ingest.

Shared by ``tests/test_fuzz.py`` (a fast subset in the suite) and
``scripts/fuzz.py`` (the full run, 10,000+ inputs, with its figures).  Each
target is a hypothesis property over generated inputs that mix news-like
phrases written here with what breaks software: Rich markup, terminal escape
sequences, formula starters, NUL, lone surrogates, bidirectional overrides,
numbers no integer column holds, JSON nested thousands deep, dates that are
not dates, random bytes, and files that are not files.  The properties are
what the ledger promises:

- ``readers``: reading a batch never raises; every record is an ``Article``
  or an ``InputProblem`` naming its input; an article's text is storable
  and within the limit; the good article of every batch is read;
- ``extractor``: extraction never raises, takes under ``HANG_SECONDS`` per
  article, and every span it returns is the text at its offsets;
- ``store``: saving any extraction either stores it (read back as saved, up
  to the store's clamps) or refuses it with ``InvalidExtraction``; the
  ledger stays consistent;
- ``renderers``: the CLI's tables and article view print any record;
- ``ingest``: a whole batch through ``Ledger.ingest`` stores the good article
  and leaves a consistent ledger.

A ``Run`` counts inputs and, when ``collect`` is set (the script), records
failures instead of raising so that one run reports all of them.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Callable

from hypothesis import HealthCheck, given, settings, strategies as st

from counterclaim.records import (
    Actor,
    Article,
    Claim,
    Event,
    Extraction,
    Fatalities,
    InputProblem,
    Link,
    Place,
    Quantity,
    Span,
    Time,
)

HANG_SECONDS = 10.0
GOOD_TEXT = ("Police said two men were arrested in Kano on Monday after a clash at the market, "
             "and the army said the road to Goma was open again.")
NEWS = (
    "the army said", "rebels", "killed", "12", "dozens of", "soldiers", "in Goma", "on Monday", '"We will fight,"',
    "he said", "denied", "according to the ministry", "police", "shelled", "Kano", ".", ",", "\n\n", "air strikes hit",
    "the spokesman told reporters", "at least 30 civilians", "were wounded", "a car bomb", "in Aleppo", "on 3 March",
    "The Taliban", "claimed responsibility", "Officials said", "between 20 and 40", "no casualties", "-", ":",
)
HOSTILE = (
    "[/x]", "[link=http://evil.example]click[/link]", "[blink]14[/blink]", "[bold red]", "\x1b[2J", "\x1b]0;pwned\x07",
    "\x1b]8;;http://evil.example\x1b\\here\x1b]8;;\x1b\\", "\x9b31m", "=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)",
    "\t=1", "\r", "\x00", "\u202e", "\u2028", "\ufeff", "\u200b", "9" * 400, "9223372036854775808", "-1e309",
    "'; DROP TABLE articles; --", "<script>alert(1)</script>", "&amp;&#0;", "<![CDATA[x]]>", "{{7*7}}", "%s%n",
    "../../etc/passwd", "\\", '"', "😀", "مقتل", "Kandahār", "0000-00-00", "\ud800",
)
WORDS = st.one_of(st.sampled_from(NEWS), st.sampled_from(HOSTILE), st.text(max_size=12))
TEXTS = st.lists(WORDS, max_size=50).map(" ".join)
ADVERSARIAL = st.builds(lambda p, n, stop: (p * n) + (". " if stop else ""),
                        st.sampled_from(["the army said ", "He said she said ", "killed ", "air strikes hit ",
                                         "according to the army ", '"No," he said, ', "12 ", "in Goma and "]),
                        st.integers(1, 400), st.booleans())
ARTICLE_TEXTS = st.one_of(TEXTS, TEXTS, ADVERSARIAL)
DATES = st.one_of(st.none(), st.sampled_from(["2026-03-02", "0000-00-00", "Mon, 01 Jan 0000 00:00:00 GMT",
                                              "99999-99-99", "yesterday", "[/x]", "\x00", "2026-02-30", "1/2/3",
                                              "Mon, 01 Jan 99999999999 00:00:00 GMT"]), st.text(max_size=20))
JSON_VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXTS),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=8)


@dataclass
class Run:
    """Counts of inputs per target, failures (crashes and hangs) and the slowest article."""

    collect: bool = False
    inputs: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (target, kind, detail)
    slowest: float = 0.0
    renderer_escapes: int = 0  # rendered outputs that carried an escape sequence from the data

    def count(self, target: str, n: int = 1) -> None:
        self.inputs[target] = self.inputs.get(target, 0) + n

    def check(self, target: str, example, body: Callable[[], None]) -> None:
        try:
            body()
        except Exception as exc:  # noqa: BLE001 - a crash is what the fuzzer looks for
            if not self.collect:
                raise
            kind = "hang" if isinstance(exc, Hang) else "crash"
            self.failures.append((target, kind, f"{type(exc).__name__}: {exc} <- {example!r:.300}\n"
                                                f"{traceback.format_exc(limit=4)}"))


class Hang(AssertionError):
    """One article took longer than ``HANG_SECONDS``."""


# ------------------------------------------------------------------ files


def _encode(text: str, how: str) -> bytes:
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "cp1252":
        return text.encode("cp1252", "replace")
    return text.encode("utf-8", "surrogatepass")


@st.composite
def files(draw) -> tuple[str, bytes]:
    """(file name, content) of any supported format, or of none."""
    kind = draw(st.sampled_from(["txt", "html", "rss", "atom", "jsonl", "json", "csv", "tsv", "dat", "bin", "nested"]))
    text = draw(ARTICLE_TEXTS)
    how = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1252"]))
    name = draw(st.sampled_from(["a", "x[/y]", "two\nlines", "\x1b[2J", "‮fdp.exe", "-rf", " "])) + f".{kind}"
    if kind == "txt":
        body = f"date {draw(DATES) or ''}\nTitle: {draw(TEXTS)}\n\n{text}"
    elif kind == "html":
        body = f"<html><head><title>{draw(TEXTS)}</title></head><body><p>{text}</p><p>{draw(TEXTS)}</p></body></html>"
    elif kind in ("rss", "atom"):
        items = "".join(f"<item><title>{draw(TEXTS)}</title><pubDate>{draw(DATES) or ''}</pubDate>"
                        f"<description>{draw(TEXTS)}</description></item>" for _ in range(draw(st.integers(0, 3))))
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{draw(TEXTS)}</title>{items}</channel></rss>'
        name = name[:-len(kind)] + "xml"
    elif kind == "jsonl":
        lines = [json.dumps({"text": draw(st.one_of(TEXTS, JSON_VALUES)), "title": draw(JSON_VALUES),
                             "published": draw(st.one_of(DATES, JSON_VALUES)), "source": draw(JSON_VALUES)})
                 for _ in range(draw(st.integers(0, 4)))]
        lines += draw(st.lists(st.sampled_from(["{", "[]", "null", "\x00", "[" * 3000, "{\"text\": 1e999}", ""]),
                               max_size=2))
        body = "\n".join(draw(st.permutations(lines)))
    elif kind == "json":
        body = json.dumps(draw(st.one_of(JSON_VALUES, st.lists(st.fixed_dictionaries({"text": TEXTS}), max_size=3))))
    elif kind in ("csv", "tsv"):
        sep = "," if kind == "csv" else "\t"
        header = draw(st.sampled_from([["text", "title", "date"], ["article_content", "headline", "[/x]"],
                                       ["body"], ["price"], ["text", "text"]]))
        rows = [[draw(TEXTS).replace('"', '""') for _ in header] for _ in range(draw(st.integers(0, 4)))]
        body = "\n".join(sep.join(f'"{c}"' for c in row) for row in [header] + rows) + draw(st.sampled_from(["", '\n"']))
    elif kind == "nested":
        body, name = "[" * draw(st.integers(100, 5000)), name[:-6] + "jsonl"
    else:
        return name, draw(st.binary(max_size=300)) if kind == "bin" else _encode(text, how)
    return name, _encode(body, how)


def write_batch(folder: Path, generated: list[tuple[str, bytes]]) -> list[str]:
    """The generated files, a good article and some things that are not files; the paths to read."""
    paths = []
    good = folder / "good.txt"
    good.write_text(f"date 2026-03-02\n\n{GOOD_TEXT}\n")
    paths.append(str(good))
    for n, (name, content) in enumerate(generated):
        path = folder / f"{n}-{name.replace('/', '_')}"
        path.write_bytes(content)
        paths.append(str(path))
    special = folder / f"fifo-{len(generated)}"
    os.mkfifo(special)
    paths += [str(special), str(folder / "missing.txt"), str(folder)]
    return paths


# ------------------------------------------------------------------ properties


def _storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def check_records(records: list, paths: list[str]) -> None:
    from counterclaim.ingest import DEFAULT_MAX_ARTICLE_CHARS

    for r in records:
        assert isinstance(r, (Article, InputProblem)), type(r)
        if isinstance(r, Article):
            assert r.text and _storable(r.text) and len(r.text) <= DEFAULT_MAX_ARTICLE_CHARS
            assert all(v is None or _storable(v) for v in (r.title, r.source, r.url))
        assert r.origin
    assert any(isinstance(r, Article) and r.text == GOOD_TEXT for r in records), "the good article was lost"


def fuzz(max_examples: int):
    """Hypothesis settings of every target: no deadline (a hang is timed by the property), no
    example database (each run draws afresh), no health check (generation is slow on purpose)."""
    return settings(max_examples=max_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def batches(run: Run, target: str, max_examples: int, folder: Path, max_files: int,
            check: Callable[[list[str]], None]) -> None:
    """``check(paths)`` over generated batches of files (and a good article, a FIFO, a missing file)."""

    @fuzz(max_examples)
    @given(st.lists(files(), min_size=1, max_size=max_files))
    def prop(generated):
        paths = write_batch(Path(tempfile.mkdtemp(dir=folder)), generated)
        run.count(target, len(generated) + 3)
        run.check(target, generated, lambda: check(paths))

    prop()


def readers(run: Run, max_examples: int, folder: Path) -> None:
    from counterclaim.ingest import read_inputs

    def check(paths: list[str]) -> None:
        started = time.perf_counter()
        check_records(list(read_inputs(paths)), paths)
        if time.perf_counter() - started > HANG_SECONDS * len(paths):
            raise Hang(f"reading took {time.perf_counter() - started:.1f} s")

    batches(run, "readers", max_examples, folder, 6, check)


def extractor(run: Run, max_examples: int) -> None:
    from counterclaim.nlp.extract import extract

    @fuzz(max_examples)
    @given(ARTICLE_TEXTS.filter(lambda t: t.strip()), st.one_of(st.none(), st.dates(date(1900, 1, 1))))
    def prop(text, published):
        from counterclaim.ingest.meta import normalise_text

        article = Article.create(normalise_text(text) or "x", published=published, language="en")
        run.count("extractor")

        def body():
            started = time.perf_counter()
            ex = extract(article)
            took = time.perf_counter() - started
            run.slowest = max(run.slowest, took)
            if took > HANG_SECONDS:
                raise Hang(f"extraction took {took:.1f} s")
            for s in _spans(ex):
                assert article.text[s.start:s.end] == s.text, (s, article.text[s.start:s.end])

        run.check("extractor", text, body)

    prop()


def _spans(ex: Extraction):
    for c in ex.claims:
        yield c.span
        yield from (s for s in (c.cue, c.speaker.span if c.speaker else None) if s is not None)
        yield from (q.span for q in c.quantities)
    for e in ex.events:
        yield e.span
    yield from (p.span for p in ex.places)
    yield from (t.span for t in ex.times)


HOSTILE_STR = st.one_of(st.sampled_from(HOSTILE), TEXTS, st.text(max_size=30))
HUGE = st.one_of(st.integers(), st.sampled_from([2**63, -(2**63) - 1, 2**31, 10**400, 0, -1]))


@st.composite
def extractions(draw) -> Extraction:
    """An extraction with hostile strings in every text field and numbers of any size."""
    text = draw(HOSTILE_STR.filter(lambda t: len(t) >= 2)) + " " + GOOD_TEXT
    article = Article.create(text, title=draw(st.one_of(st.none(), HOSTILE_STR)), url=draw(st.one_of(st.none(), HOSTILE_STR)),
                             source=draw(st.one_of(st.none(), HOSTILE_STR)),
                             published=draw(st.one_of(st.none(), st.dates())), language="en")

    def span():
        a = draw(st.integers(0, len(text) - 1))
        b = draw(st.integers(a + 1, len(text)))
        return Span(a, b, text[a:b])

    place = Place(span=span(), name=draw(HOSTILE_STR), kind=draw(st.sampled_from(["city", "country", None])),
                  lat=draw(st.one_of(st.none(), st.floats(-90, 90))), lon=draw(st.one_of(st.none(), st.floats(-180, 180))),
                  country=draw(st.one_of(st.none(), st.sampled_from(["AF", "[/", "\x00"]))), reason=draw(HOSTILE_STR))
    speaker = Actor(name=draw(HOSTILE_STR), span=span(), role=draw(st.one_of(st.none(), HOSTILE_STR)),
                    party=draw(st.sampled_from(["AFG", "unknown", "[/x]", "\x1b[2J"])), reason=draw(HOSTILE_STR))
    claim = Claim(id=f"c-{article.id}", article_id=article.id, span=span(), cue=span(), speaker=speaker,
                  act=draw(st.sampled_from(["assert", "deny", "[/x]"])), act_reason=draw(HOSTILE_STR),
                  channel=draw(st.one_of(st.none(), HOSTILE_STR)),
                  quantities=[Quantity(span=span(), low=draw(HUGE), high=draw(st.one_of(st.none(), HUGE)),
                                       what=draw(HOSTILE_STR), unit_text=draw(HOSTILE_STR))])
    event = Event(id=f"e-{article.id}", article_id=article.id, type="Battles", sub_type="Armed clash", span=span(),
                  trigger=span(), actor1=speaker, place=place, date=draw(st.one_of(st.none(), HOSTILE_STR)),
                  fatalities=Fatalities(low=draw(HUGE), best=draw(HUGE), high=draw(HUGE), reason=draw(HOSTILE_STR)),
                  claim_ids=[claim.id], reason=draw(HOSTILE_STR))
    claim.event_ids = [event.id]
    times = [Time(span=span(), value=draw(st.one_of(st.none(), HOSTILE_STR)), reason=draw(HOSTILE_STR))]
    return Extraction(article=article, claims=[claim], events=[event], places=[place], times=times,
                      links=[Link(source=claim.id, type="denies", target=event.id, reason=draw(HOSTILE_STR))],
                      extractor="fuzz")


def store(run: Run, max_examples: int, url: str) -> None:
    from counterclaim.store import InvalidExtraction, Store

    with Store.open(url) as db:
        @fuzz(max_examples)
        @given(extractions())
        def prop(ex):
            run.count("store")

            def body():
                try:
                    db.save(ex)
                except InvalidExtraction:
                    return  # refused whole, with a reason: allowed
                back = db.extraction(ex.article.id)
                assert back is not None and len(back.claims) == 1 and len(back.events) == 1
                assert len(back.article.text) == len(ex.article.text)  # replaced, never shifted
                assert back.claims[0].span.start == ex.claims[0].span.start
                for q in back.claims[0].quantities:
                    assert q.low is None or -(2**63) <= q.low < 2**63

            run.check("store", ex, body)

        prop()
        health = db.audit()
        run.check("store", "audit", lambda: _assert_clean(health, unlinked_ok=True))


def _assert_clean(health: dict, unlinked_ok: bool = False) -> None:
    bad = {k: v for k, v in health.items() if (v != "ok" if k == "integrity" else v)
           and not (unlinked_ok and k == "unlinked")}
    assert not bad, bad


def renderers(run: Run, max_examples: int) -> None:
    from rich.console import Console

    from counterclaim.cli import render

    @fuzz(max_examples)
    @given(extractions())
    def prop(ex):
        run.count("renderers")

        def body():
            out = StringIO()
            console = Console(file=out, force_terminal=True, width=100, color_system="truecolor")
            for view in (render.claims_table(ex.claims, "claims"), render.events_table(ex.events, "events"),
                         render.article_text(ex), render.links_table(ex)):
                console.print(view)
            shown = out.getvalue()
            if "\x1b[2J" in shown or "\x1b]0;" in shown or "\x1b]8;;http://evil" in shown:
                run.renderer_escapes += 1

        run.check("renderers", ex, body)

    prop()


def ingest(run: Run, max_examples: int, folder: Path, url: str, link: bool = True) -> None:
    from counterclaim.api.ledger import Ledger

    with Ledger(url, link=link) as ledger:
        def check(paths: list[str]) -> None:
            report = ledger.ingest(paths)
            assert report.stopped is None, report.stopped
            assert ledger.store.has_extraction(Article.make_id(GOOD_TEXT)), "the good article was not stored"
            assert not any("extraction failed" in p.reason for p in report.problems), report.problems

        batches(run, "ingest", max_examples, folder, 4, check)
        health = ledger.store.audit()
        run.check("ingest", "audit", lambda: _assert_clean(health, unlinked_ok=not link))


