"""Events and claims out as files other tools read: JSONL, CSV, GeoJSON.

- JSONL keeps everything: one object per record, ``record.to_dict()`` plus
  ``"record": "event" | "claim"`` (so one file can hold both kinds) and, when
  the articles are known, ``"article"`` with the source's url, outlet, title
  and date.  ``Event.from_dict`` / ``Claim.from_dict`` read a line back.
- CSV for events uses ACLED's column names and codes where they apply, so
  scripts written for ACLED exports run on it, then counterclaim's extras: the
  fatality range, status, and the evidence (article, span, url) behind each
  row.  CSV for claims has one row per claim with its numbers in one column.
- GeoJSON is a FeatureCollection of events that have coordinates (a Point,
  longitude first); the properties are the CSV fields.  Events without
  coordinates cannot be drawn: they are skipped and counted in the result.

Output is streamed: records are read and written in batches, so exporting a
whole store does not hold it in memory.

An export cannot destroy: a file is written under a temporary name beside
the target and renamed onto it only when complete (a full disk or an error
leaves the target as it was); an existing file is replaced only with
``force`` (CLI ``--force``); and the ledger's own database file is never a
target, ``force`` or not (``ExportRefused``).

CSV cells are text a spreadsheet will open, and the text comes from the
news: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be run as a formula (OWASP's "CSV injection"), so such a cell
gets a leading ``'``, which spreadsheets show as text, unless ``raw``.
Terminal escape sequences and other control characters (a title that clears
the screen when the CSV is ``cat``-ed) are removed from every CSV cell, raw
or not.  JSON output escapes them itself and is left as the data is.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Optional, TextIO, Union

from ..records import Article, Claim, Event, Quantity, timex_range

FORMATS = ("jsonl", "csv", "geojson")
KINDS = ("events", "claims")
BATCH = 500

# ACLED's columns, in ACLED's order, for the ones counterclaim can fill (or
# leaves empty on purpose: assoc_actor_* need actor coding it does not do).
ACLED_EVENT_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "iso",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
)
EXTRA_EVENT_COLUMNS = (
    "fatalities_low",
    "fatalities_high",
    "injured",
    "status",
    "actor1_party",
    "actor2_party",
    "claim_ids",
    "reason",
    "article_id",
    "evidence",
    "evidence_start",
    "evidence_end",
    "published",
    "url",
    "cluster_id",
    "cluster_status",
)
# Reviewed records are exported with their reviewed values; these columns say so.
REVIEW_COLUMNS = ("review_status", "reviewed_fields")
EVENT_COLUMNS = ACLED_EVENT_COLUMNS + EXTRA_EVENT_COLUMNS + REVIEW_COLUMNS
CLAIM_COLUMNS = (
    "claim_id",
    "article_id",
    "speaker",
    "speaker_role",
    "speaker_kind",
    "party",
    "party_reason",
    "act",
    "negated",
    "direct_quote",
    "text",
    "start",
    "end",
    "cue",
    "channel",
    "quantities",
    "event_ids",
    "source",
    "published",
    "url",
    "cluster_id",
    "cluster_status",
) + REVIEW_COLUMNS

# ACLED's actor-type codes (inter1/inter2) for the actor kinds that map
# without judgement; "armed group" could be a rebel group (2) or a militia
# (3, 4), so it is left empty rather than guessed.
INTER_CODES = {
    "state force": 1,
    "government body": 1,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
}
# ACLED geo_precision: 1 the exact place or town, 2 near it or a part of a
# region, 3 only the province (admin1) or country is known.
GEO_PRECISION = {
    "exact": 1,
    "city": 1,
    "town": 1,
    "village": 1,
    "near": 2,
    "district": 2,
    "admin2": 2,
    "region": 2,
    "admin1": 3,
    "province": 3,
    "country": 3,
}

Articles = Union[Mapping[str, Article], Any, None]  # a mapping by id, or a Store


@dataclass
class ExportResult:
    """What was written: ``skipped`` counts events GeoJSON could not place."""

    written: int = 0
    skipped: int = 0


# ------------------------------------------------------------------ fields


def event_fields(event: Event, article: Optional[Article] = None,
                 cluster: Optional[tuple[str, str]] = None) -> dict[str, Any]:
    """One event as ACLED-named fields plus counterclaim's extras (typed values).

    ``cluster``: (id, status) of the merged event it belongs to across
    articles (issue 5), when it has been linked.
    """
    day, precision = _acled_date(event, article)
    place = event.place
    inter1 = _inter(event.actor1)
    inter2 = _inter(event.actor2)
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    fatalities = event.fatalities
    country_name, iso = _country(place.country if place else None)
    return {
        "event_id_cnty": event.id,
        "event_date": day.isoformat() if day else None,
        "year": day.year if day else None,
        "time_precision": precision,
        "event_type": event.type,
        "sub_event_type": event.sub_type,
        "actor1": event.actor1.name if event.actor1 else None,
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": event.actor2.name if event.actor2 else None,
        "assoc_actor_2": None,
        "inter2": inter2,
        # ACLED: the two codes, lowest first ("13"); a lone actor's code times ten.
        "interaction": (codes[0] * 10 + codes[1] if len(codes) == 2 else codes[0] * 10) if codes else None,
        "iso": iso,
        "country": country_name,
        "admin1": place.admin1 if place else None,
        "location": place.name if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "geo_precision": _geo_precision(place),
        "source": article.source if article else None,
        "notes": event.span.text,
        "fatalities": _acled_fatalities(fatalities),
        "fatalities_low": fatalities.low if fatalities else None,
        "fatalities_high": fatalities.high if fatalities else None,
        "injured": _best(event.injured),
        "status": event.status,
        "actor1_party": event.actor1.party if event.actor1 else None,
        "actor2_party": event.actor2.party if event.actor2 else None,
        "claim_ids": " ".join(event.claim_ids) or None,
        "reason": event.reason,
        "article_id": event.article_id,
        "evidence": event.span.text,
        "evidence_start": event.span.start,
        "evidence_end": event.span.end,
        "published": article.published.isoformat() if article and article.published else None,
        "url": article.url if article else None,
        "cluster_id": cluster[0] if cluster else None,
        "cluster_status": cluster[1] if cluster else None,
    }


def claim_fields(claim: Claim, article: Optional[Article] = None,
                 cluster: Optional[tuple[str, str]] = None) -> dict[str, Any]:
    """One claim as flat fields (typed values); ``cluster`` as for ``event_fields``."""
    speaker = claim.speaker
    return {
        "claim_id": claim.id,
        "article_id": claim.article_id,
        "speaker": speaker.name if speaker else None,
        "speaker_role": speaker.role if speaker else None,
        "speaker_kind": speaker.kind if speaker else None,
        "party": speaker.party if speaker else None,
        "party_reason": speaker.reason if speaker else None,
        "act": claim.act,
        "negated": claim.negated,
        "direct_quote": claim.direct_quote,
        "text": claim.span.text,
        "start": claim.span.start,
        "end": claim.span.end,
        "cue": claim.cue.text if claim.cue else None,
        "channel": claim.channel,
        "quantities": "; ".join(compact_quantity(q) for q in claim.quantities) or None,
        "event_ids": " ".join(claim.event_ids) or None,
        "source": article.source if article else None,
        "published": article.published.isoformat() if article and article.published else None,
        "url": article.url if article else None,
        "cluster_id": cluster[0] if cluster else None,
        "cluster_status": cluster[1] if cluster else None,
    }


def compact_quantity(quantity: Quantity) -> str:
    """"12 killed", "3-5 injured", "~12 killed" (vague), "?-20 displaced" (no low)."""
    low = "?" if quantity.low is None else str(quantity.low)
    high = "?" if quantity.high is None else str(quantity.high)
    figure = low if low == high else f"{low}-{high}"
    if quantity.vague:
        figure = "~" + figure
    what = quantity.what or quantity.unit_text
    return f"{figure} {what}" if what else figure


def _acled_date(event: Event, article: Optional[Article]) -> tuple[Optional[date], Optional[int]]:
    """ACLED's event_date and time_precision (1 day, 2 about a week, 3 longer).

    An imprecise date is coded on the middle of its range, as ACLED does for
    "some day last week" or "in February"; an undated event takes the
    article's published day at precision 2 (reports are of recent days).
    """
    days = timex_range(event.date)
    if days is None:
        if article and article.published:
            return article.published, 2
        return None, None
    first, last = days
    length = (last - first).days + 1
    middle = first + timedelta(days=(last - first).days // 2)
    return middle, 1 if length == 1 else 2 if length <= 7 else 3


def _acled_fatalities(value) -> int:
    """ACLED's single figure: the conservative best estimate, else the low end, else 0.

    ACLED codes 0 when no fatalities are reported; the range columns keep the
    difference between "none" and "unknown".
    """
    figure = _best(value)
    return figure if figure is not None else 0


def _best(value) -> Optional[int]:
    if value is None:
        return None
    return value.best if value.best is not None else value.low


def _inter(actor) -> Optional[int]:
    return INTER_CODES.get((actor.kind or "").lower()) if actor else None


def _geo_precision(place) -> Optional[int]:
    if place is None:
        return None
    for key in (place.precision, place.kind):
        if key and key.lower() in GEO_PRECISION:
            return GEO_PRECISION[key.lower()]
    return None


def _country(code: Optional[str]) -> tuple[Optional[str], Optional[int]]:
    """Country name and ISO numeric code from an alpha-2 code (the code itself if unknown)."""
    if not code:
        return None, None
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=code.upper())
    except (ImportError, LookupError):
        country = None
    if country is None:
        return code, None
    return getattr(country, "common_name", None) or country.name, int(country.numeric)


# ------------------------------------------------------------------ writers


class ExportRefused(ValueError):
    """An export that would destroy something (the database, an existing file); nothing was written."""


# ESC-introduced sequences (CSI ``ESC[...m``, OSC ``ESC]...BEL`` titles and hyperlinks, two-byte
# ones) and the C0/C1 controls that are not line breaks or tabs: never text in a spreadsheet cell.
_TERMINAL = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]?"
    "|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?"
    "|\x1b[ -~]?"
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any, *, raw: bool = False) -> Any:
    """A value as a CSV cell: text without control sequences, and a formula neutralised unless ``raw``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return value  # numbers are written by us, not copied from the news
    value = _TERMINAL.sub("", value)
    if not raw and value.startswith(FORMULA_STARTS):
        value = "'" + value
    return value


def _with_articles(records: Iterable, articles: Articles) -> Iterator[tuple[Any, Optional[Article]]]:
    """Pair each record with its article, looking articles up a batch at a time.

    With a Store, each record's cross-article cluster (id, status) is looked
    up too and kept in ``_CLUSTERS`` for the writers (``_cluster``).
    """
    iterator = iter(records)
    while batch := list(itertools.islice(iterator, BATCH)):
        _CLUSTERS.clear()
        _REVIEWS.clear()
        if articles is None:
            found: Mapping[str, Article] = {}
        elif hasattr(articles, "articles_by_id"):  # a Store
            found = articles.articles_by_id({r.article_id for r in batch})
            if hasattr(articles, "clusters_of"):
                for kind in ("event", "claim"):
                    ids = [r.id for r in batch if _kind_of(r) == kind]
                    if ids:
                        _CLUSTERS.update(articles.clusters_of(kind, ids))
                        if hasattr(articles, "review_states"):
                            _REVIEWS.update(articles.review_states(kind, ids))
        else:
            found = articles
        for record in batch:
            yield record, found.get(record.article_id)


# Cluster (id, status) of the records of the batch being written (see ``_with_articles``).
_CLUSTERS: dict[str, tuple[str, str]] = {}


# Review state of the reviewed records of the batch ({status, fields, reviewer, reviewed_at}).
_REVIEWS: dict[str, dict[str, Any]] = {}


def _review_cols(record: Any) -> dict[str, Any]:
    review = _REVIEWS.get(record.id)
    return {"review_status": review["status"] if review else None,
            "reviewed_fields": " ".join(review["fields"]) or None if review else None}


def _cluster(record: Any) -> Optional[tuple[str, str]]:
    return _CLUSTERS.get(record.id)


def _kind_of(record: Any) -> str:
    if isinstance(record, Event):
        return "event"
    if isinstance(record, Claim):
        return "claim"
    raise TypeError(f"can export Event and Claim records, not {type(record).__name__}")


_SUMMARY_FIELDS = ("id", "url", "source", "title", "published")


def _article_summary(article: Article) -> dict[str, Any]:
    """The article fields an exported record carries (JSON-ready: the day as ISO text)."""
    whole = article.to_dict()
    return {name: whole[name] for name in _SUMMARY_FIELDS}


def _write_jsonl(pairs, out: TextIO) -> ExportResult:
    result = ExportResult()
    for record, article in pairs:
        obj = {"record": _kind_of(record), **record.to_dict()}
        if article is not None:
            obj["article"] = _article_summary(article)
        if (cluster := _cluster(record)) is not None:
            obj["cluster_id"], obj["cluster_status"] = cluster
        if record.id in _REVIEWS:
            obj["review"] = _REVIEWS[record.id]
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        result.written += 1
    return result


def _write_csv(pairs, out: TextIO, kind: str, raw: bool = False) -> ExportResult:
    columns, fields, expected = (
        (EVENT_COLUMNS, event_fields, "event") if kind == "events" else (CLAIM_COLUMNS, claim_fields, "claim")
    )
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    result = ExportResult()
    for record, article in pairs:
        if _kind_of(record) != expected:
            raise TypeError(f"a {kind} CSV cannot hold a {_kind_of(record)}: export kinds separately")
        row = {**fields(record, article, _cluster(record)), **_review_cols(record)}
        writer.writerow({k: csv_cell(v, raw=raw) for k, v in row.items()})
        result.written += 1
    return result


def _write_geojson(pairs, out: TextIO) -> ExportResult:
    """A FeatureCollection written feature by feature (valid JSON however many)."""
    result = ExportResult()
    out.write('{"type": "FeatureCollection", "features": [')
    for record, article in pairs:
        if _kind_of(record) != "event":
            raise TypeError("GeoJSON holds events: claims have no coordinates of their own")
        place = record.place
        if place is None or place.lat is None or place.lon is None:
            result.skipped += 1
            continue
        feature = {
            "type": "Feature",
            "id": record.id,
            "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            "properties": {**event_fields(record, article, _cluster(record)), **_review_cols(record)},
        }
        out.write(("\n" if result.written == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
        result.written += 1
    out.write("\n]}\n")
    return result


@contextmanager
def _opened(out: Union[TextIO, str, os.PathLike], *, force: bool = False, protect: Iterable = ()) -> Iterator[TextIO]:
    """A stream to write to; for a path, a temporary file renamed onto it once complete.

    ``protect``: files never to be replaced (the database and its journals).
    Raises ``ExportRefused`` (nothing written) for a protected, existing
    (without ``force``) or special target.
    """
    if not isinstance(out, (str, os.PathLike)):
        yield out
        return
    target = os.path.abspath(os.fspath(out))
    _check_target(target, force, protect)
    folder = os.path.dirname(target)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _check_target(target: str, force: bool, protect: Iterable) -> None:
    for kept in protect:
        if kept and os.path.exists(kept) and os.path.exists(target) and os.path.samefile(kept, target):
            raise ExportRefused(f"{target} is the ledger's database: an export never writes onto it; "
                                "name another file")
    if os.path.isdir(target):
        raise ExportRefused(f"{target} is a folder: name a file to write")
    if os.path.lexists(target):
        if not os.path.isfile(target):
            raise ExportRefused(f"{target} is not a regular file: leave out the output file to write to "
                                "standard output")
        if not force:
            raise ExportRefused(f"{target} exists and was left as it is: --force replaces it")
    if not os.path.isdir(os.path.dirname(target)):
        raise ExportRefused(f"cannot write {target}: its folder does not exist")


def _database_files(source: Any) -> list[str]:
    """The files of a SQLite store (database, WAL, shared memory, journal): never export targets."""
    path = getattr(source, "path", None)
    if not path:
        return []
    return [str(path)] + [f"{path}{suffix}" for suffix in ("-wal", "-shm", "-journal")]


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


# ------------------------------------------------------------------ entry points


Output = Union[TextIO, str, os.PathLike]


def export_events(events: Iterable[Event], fmt: str, out: Output, *,
                  articles: Articles = None, force: bool = False, raw: bool = False) -> ExportResult:
    """Write events as jsonl, ACLED-style csv or geojson.

    ``articles`` (a mapping by id, or a ``Store``) fills the source, url and
    published columns and, for undated events, the date.  ``force``: replace
    an existing file; ``raw``: CSV cells that look like formulas are written
    as they are (see the module docstring).
    """
    return _export_records("events", events, fmt, out, articles, force, raw)


def export_claims(claims: Iterable[Claim], fmt: str, out: Output, *,
                  articles: Articles = None, force: bool = False, raw: bool = False) -> ExportResult:
    """Write claims as jsonl or csv (GeoJSON has no place for them: ValueError); ``force`` and ``raw``
    as for ``export_events``."""
    return _export_records("claims", claims, fmt, out, articles, force, raw)


def _export_records(kind: str, records: Iterable[Any], fmt: str, out: Output,
                    articles: Articles, force: bool, raw: bool) -> ExportResult:
    """One writer for both kinds: the format is checked before any file is opened."""
    _check_format(fmt)
    if kind == "claims" and fmt == "geojson":
        raise ValueError("GeoJSON export holds events: claims have no coordinates of their own")
    pairs = _with_articles(records, articles)
    with _opened(out, force=force, protect=_database_files(articles)) as handle:
        if fmt == "jsonl":
            return _write_jsonl(pairs, handle)
        if fmt == "csv":
            return _write_csv(pairs, handle, kind, raw)
        return _write_geojson(pairs, handle)


def export(
    source: Any,
    fmt: str,
    out: Union[TextIO, str, os.PathLike],
    *,
    kind: Optional[str] = None,
    articles: Articles = None,
    force: bool = False,
    raw: bool = False,
    **filters: Any,
) -> ExportResult:
    """Export from a ``Store`` query or from records.

    With a ``Store``: ``kind`` ("events" or "claims") picks the query and
    ``filters`` are its filters (``Store.events`` / ``Store.claims``); the
    store supplies the articles.  With records: ``kind`` may be omitted; JSONL
    then takes events and claims mixed, CSV and GeoJSON take the kind of the
    first record.  ``force`` and ``raw`` as for ``export_events``.
    """
    _check_format(fmt)
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: use events or claims")
    if hasattr(source, "iter_events"):  # a Store
        if kind is None:
            raise ValueError("exporting from a store needs kind='events' or kind='claims'")
        _check_target_early(out, force, _database_files(source))
        records = source.iter_events(**filters) if kind == "events" else source.iter_claims(**filters)
        articles = source if articles is None else articles
    else:
        if filters:
            raise TypeError(f"filters {sorted(filters)} need a Store to query, not records")
        records = iter(source)
        if kind is None:
            first = next(records, None)
            if first is None:
                kind = "events" if fmt == "geojson" else "claims"
            else:
                kind = "events" if _kind_of(first) == "event" else "claims"
                records = itertools.chain([first], records)
        if fmt == "jsonl":  # one writer for both kinds, mixed or not
            pairs = _with_articles(records, articles)
            with _opened(out, force=force, protect=_database_files(articles)) as handle:
                return _write_jsonl(pairs, handle)
    writer = export_events if kind == "events" else export_claims
    return writer(records, fmt, out, articles=articles, force=force, raw=raw)


def _check_target_early(out: Any, force: bool, protect: list[str]) -> None:
    """Refuse a bad target before a store query starts (the writers check again)."""
    if isinstance(out, (str, os.PathLike)):
        _check_target(os.path.abspath(os.fspath(out)), force, protect)
