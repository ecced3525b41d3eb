"""The HTTP API: the ledger as JSON, read-only unless the server was given a token.

``create_api(ledger, token=None)`` returns a FastAPI app (OpenAPI schema at
``/openapi.json``, docs at ``/docs``).  Every list takes the CLI's filters and
pages with ``limit``/``offset`` in a stable order (newest first, ties by id),
and answers ``{"items", "total", "total_exact", "limit", "offset",
"next_offset"}``; totals are exact up to ``store.reads.COUNT_CAP`` rows and a
lower bound past it.  Every error, from validation to an unknown id, has one
shape: ``{"error": {"status", "code", "message"}}``.

Writes (ingest an article given as text, review a record) need the token as
``Authorization: Bearer <token>``; a server started without one refuses them
all (403), so the default is safe to expose to readers.
"""

from __future__ import annotations

import functools
import hmac
import inspect
from datetime import date
from typing import Any, Callable, Literal, Optional

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..records import ACLED_TYPES, EVENT_STATUSES, LINK_TYPES, SPEECH_ACTS
from ..store import StoreError
from ..store.ids import AmbiguousId, UnknownId, short
from ..store.queries import CLUSTER_STATUSES
from ..store.reviews import FIELDS, InvalidReview
from . import board as views
from .ledger import Ledger

MAX_LIMIT = 500
TOKEN_ENV = "COUNTERCLAIM_TOKEN"


class ApiError(Exception):
    """An error with its HTTP status and a short code; rendered in the one error shape."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}}


class ArticleIn(BaseModel):
    text: str = Field(..., min_length=1, max_length=1_000_000, description="The article's text.")
    title: Optional[str] = Field(None, max_length=2000)
    source: Optional[str] = Field(None, max_length=500, description="The outlet.")
    published: Optional[date] = None
    url: Optional[str] = Field(None, max_length=2000)


class ReviewIn(BaseModel):
    kind: Literal["claim", "event"]
    id: str = Field(..., min_length=1, max_length=200, description="The record's id, prefix or short id.")
    action: Literal["confirm", "correct", "reject"]
    field: Optional[str] = Field(None, max_length=100, description="The corrected field (correct only).")
    value: Any = Field(None, description="The corrected value (correct only).")
    reviewer: str = Field(..., min_length=1, max_length=200)
    note: Optional[str] = Field(None, max_length=2000)


# The filters of the listings as query parameters, each declared once: its type and the
# ``Query`` that checks and documents it (what each means: ``store.queries``).  A listing
# takes its own by name (``filters_of``), so "party" is the same parameter everywhere.
FILTER_PARAMETERS: dict[str, tuple[Any, Any]] = {
    "type": (Optional[str], Query(None, max_length=100, description="ACLED event type.")),
    "sub_type": (Optional[str], Query(None, max_length=100, description="ACLED sub-event type.")),
    "status": (Optional[str], Query(None, max_length=100)),
    "party": (Optional[str], Query(None, max_length=100)),
    "speaker": (Optional[str], Query(None, max_length=500)),
    "act": (Optional[str], Query(None, max_length=100)),
    "place": (Optional[str], Query(None, max_length=500)),
    "source": (Optional[str], Query(None, max_length=500)),
    "min_outlets": (Optional[int], Query(None, ge=0, le=100_000)),
    "since": (Optional[date], Query(None, description="From this day (YYYY-MM-DD), inclusive.")),
    "until": (Optional[date], Query(None, description="Up to this day (YYYY-MM-DD), inclusive.")),
    "disputed": (Optional[bool], None),
    "search": (Optional[str], Query(None, max_length=500, description="Full-text words: an article's title "
                                    "and text, a claim's speaker and content.")),
    "article_id": (Optional[str], Query(None, max_length=200)),
    "event_cluster_id": (Optional[str], Query(None, max_length=200)),
}


def filters_of(*names: str) -> Callable[..., dict[str, Any]]:
    """A FastAPI dependency that reads the query parameters ``names`` (``FILTER_PARAMETERS``)
    into one dict of filters, the keywords ``Ledger`` and ``Store`` take."""

    def read(**given: Any) -> dict[str, Any]:
        return given

    read.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=FILTER_PARAMETERS[name][1],
                           annotation=FILTER_PARAMETERS[name][0]) for name in names])
    return read


def _page(items: list, total: tuple[int, bool], limit: int, offset: int) -> dict[str, Any]:
    count, exact = total
    more = offset + len(items) < count or (not exact and len(items) == limit)
    return {"items": items, "total": count, "total_exact": exact, "limit": limit, "offset": offset,
            "next_offset": offset + len(items) if more and items else None}


def article_json(article, *, text: bool = False) -> dict[str, Any]:
    data = article.to_dict()
    if not text:
        data.pop("text", None)
    data["short_id"] = short(article.id)
    return data


def record_json(record, review: Optional[dict]) -> dict[str, Any]:
    data = record.to_dict()
    data["short_id"] = short(record.id)
    data["review"] = review
    return data


def create_api(ledger: Ledger, *, token: Optional[str] = None) -> FastAPI:
    """The JSON API over ``ledger``; with ``token``, write endpoints accept that bearer token."""
    store = ledger.store
    app = FastAPI(title="counterclaim", version=__version__,
                  description="Conflict news as a ledger of events and of who claims what.")
    app.state.ledger = ledger

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return JSONResponse(error_body(exc.status, exc.code, exc.message), status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(exc.status_code, code, str(exc.detail)), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors()[:5]:
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "body", "path"))
            parts.append(f"{where or 'request'}: {e.get('msg')}")
        return JSONResponse(error_body(422, "invalid_request", "; ".join(parts)), status_code=422)

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError):
        if isinstance(exc, AmbiguousId):
            status, code = 409, "ambiguous_id"
        elif isinstance(exc, UnknownId):
            status, code = 404, "not_found"
        elif isinstance(exc, ValueError):  # InvalidFilter, BadSearch, InvalidReview
            status, code = 400, "invalid_value"
        else:
            status, code = 503, "store_error"
        return JSONResponse(error_body(status, code, str(exc)), status_code=status)

    @app.exception_handler(ValueError)
    async def _value_error(request: Request, exc: ValueError):  # dates, limits
        return JSONResponse(error_body(400, "invalid_value", str(exc)), status_code=400)

    def writer(authorization: Optional[str] = Header(None, description="Bearer <token>")) -> None:
        if not token:
            raise ApiError(403, "read_only", "this server is read-only: start it with --token to allow writes")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(401, "unauthorized", "a write needs the header 'Authorization: Bearer <token>'")

    def one_snapshot(endpoint):
        """Run a reading endpoint in one read transaction (``Store.snapshot``): a page, its
        total and its reviews are one connection, one consistent state, one reviews check.

        The dict it builds is already plain JSON (``to_dict``), so it is sent as
        it is: FastAPI's validation of a ``dict[str, Any]`` against itself and
        its ``jsonable_encoder`` walk would cost as much as the query.  The
        annotation still documents the endpoint in the OpenAPI schema.
        """
        @functools.wraps(endpoint)
        def run(*args, **kwargs):
            with store.snapshot():
                found = endpoint(*args, **kwargs)
            return found if isinstance(found, Response) else JSONResponse(found)
        return run

    LIMIT = Query(50, ge=0, le=MAX_LIMIT, description=f"Page size (at most {MAX_LIMIT}).")
    OFFSET = Query(0, ge=0, le=10_000_000)

    # -------------------------------------------------------------- reading

    @app.get("/api", summary="What this server is")
    def about() -> dict[str, Any]:
        return {"name": "counterclaim", "version": __version__, "backend": store.backend,
                "writable": bool(token)}

    @app.get("/api/vocabularies", summary="Valid values of the enumerated filters and reviewable fields")
    def vocabularies() -> dict[str, Any]:
        return {"acts": list(SPEECH_ACTS), "event_types": {k: list(v) for k, v in ACLED_TYPES.items()},
                "event_statuses": list(EVENT_STATUSES), "cluster_statuses": list(CLUSTER_STATUSES),
                "link_types": list(LINK_TYPES), "review_fields": {k: list(v) for k, v in FIELDS.items()}}

    @app.get("/api/articles", summary="Articles, newest first")
    @one_snapshot
    def list_articles(filters: dict[str, Any] = Depends(filters_of("since", "until", "source", "search")),
                      limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        rows, total = ledger.page("articles", limit=limit, offset=offset, **filters)
        return _page([article_json(a) for a in rows], total, limit, offset)

    @app.get("/api/articles/{article_id}", summary="One article: its text and everything extracted from it")
    @one_snapshot
    def get_article(article_id: str) -> dict[str, Any]:
        full = ledger.resolve_id(article_id, "article")
        article = store.article(full)
        data = article_json(article, text=True)
        extraction = store.extraction(full)
        claims = store.claims(article_id=full)
        events = store.events(article_id=full)
        cr = store.review_states("claim", [c.id for c in claims])
        er = store.review_states("event", [e.id for e in events])
        data["claims"] = [record_json(c, cr.get(c.id)) for c in claims]
        data["events"] = [record_json(e, er.get(e.id)) for e in events]
        data["places"] = [p.to_dict() for p in extraction.places] if extraction else []
        data["times"] = [t.to_dict() for t in extraction.times] if extraction else []
        data["links"] = [k.to_dict() for k in extraction.links] if extraction else []
        data["extractor"] = extraction.extractor if extraction else None
        return data

    @app.get("/api/claims", summary="Attributed claims, newest article first")
    @one_snapshot
    def list_claims(filters: dict[str, Any] = Depends(filters_of("party", "speaker", "act", "place", "since", "until",
                                                                 "disputed", "search", "article_id")),
                    limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return _records("claims", limit, offset, filters)

    @app.get("/api/claims/{claim_id}", summary="One claim, with its review history")
    @one_snapshot
    def get_claim(claim_id: str) -> dict[str, Any]:
        return _one("claim", claim_id)

    @app.get("/api/events", summary="Events, latest first")
    @one_snapshot
    def list_events(filters: dict[str, Any] = Depends(filters_of("type", "sub_type", "party", "place", "status",
                                                                 "since", "until", "article_id")),
                    limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return _records("events", limit, offset, filters)

    def _records(kind: str, limit: int, offset: int, filters: dict[str, Any]) -> dict[str, Any]:
        """A page of claims or events with their review states (one query each: ``Store.page``);
        ``article_id`` may be a prefix or short id, as everywhere in the API."""
        if filters.get("article_id"):
            filters = dict(filters, article_id=ledger.resolve_id(filters["article_id"], "article"))
        rows, total = ledger.page(kind, limit=limit, offset=offset, **filters)
        reviews = store.review_states(kind[:-1], [r.id for r in rows])
        return _page([record_json(r, reviews.get(r.id)) for r in rows], total, limit, offset)

    @app.get("/api/events/{event_id}", summary="One event, with its review history")
    @one_snapshot
    def get_event(event_id: str) -> dict[str, Any]:
        return _one("event", event_id)

    def _one(kind: str, given: str) -> dict[str, Any]:
        full = ledger.resolve_id(given, kind)
        found = (store.claims if kind == "claim" else store.events)(id=[full])
        review = store.review_states(kind, [full]).get(full)
        if found:
            data = record_json(found[0], review)
        else:  # rejected: shown as extracted, marked so
            data = {"id": full, "short_id": short(full), "review": review}
        data["extracted"] = {k: v for k, v in (store.extracted_row(kind, full) or {}).items()
                             if k in FIELDS[kind]}
        data["review_history"] = [r.to_dict() for r in store.review_history(kind, full)]
        return data

    @app.get("/api/event-clusters", summary="Events merged across articles, newest first")
    @one_snapshot
    def list_event_clusters(filters: dict[str, Any] = Depends(filters_of("status", "min_outlets", "since", "until")),
                            limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        rows = store.event_clusters(members=False, limit=limit, offset=offset, **filters)
        return _page([views.cluster_head(c) for c in rows], store.count_event_clusters(**filters), limit, offset)

    @app.get("/api/event-clusters/{cluster_id}", summary="One merged event: its sides, reports and tolls")
    @one_snapshot
    def get_event_cluster(cluster_id: str) -> dict[str, Any]:
        full = ledger.resolve_id(cluster_id, "event cluster")
        data = views.board(store, cluster_id=full)["clusters"][0]
        cluster = store.event_cluster(full)
        assert cluster is not None, "resolve_id found it"
        events = store.events(id=[m.record_id for m in cluster.members]) if cluster.members else []
        data["reports"] = [views.event_row(e) for e in events]
        return data

    @app.get("/api/claim-clusters", summary="Claims merged across articles, most repeated first")
    @one_snapshot
    def list_claim_clusters(filters: dict[str, Any] = Depends(filters_of("status", "party", "event_cluster_id")),
                            limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        if filters["event_cluster_id"]:
            filters = dict(filters, event_cluster_id=ledger.resolve_id(filters["event_cluster_id"], "event cluster"))
        rows = store.claim_clusters(members=False, limit=limit, offset=offset, **filters)
        items = [dict(c.to_dict(), short_id=short(c.id)) for c in rows]
        for item in items:
            item.pop("members", None)
        return _page(items, store.count_claim_clusters(**filters), limit, offset)

    @app.get("/api/disputes", summary="The dispute board: each side's claims per disputed event")
    @one_snapshot
    def disputes(status: str = Query("disputed", max_length=100), limit: int = Query(20, ge=0, le=100),
                 offset: int = OFFSET) -> dict[str, Any]:
        data = views.board(store, status=status, limit=limit, offset=offset)
        total = store.count_event_clusters(status=status)
        return dict(_page(data["clusters"], total, limit, offset))

    @app.get("/api/timeline", summary="Events between two sides, oldest first, with fatality ranges")
    @one_snapshot
    def timeline(a: Optional[str] = Query(None, max_length=100, description="One side's party code."),
                 b: Optional[str] = Query(None, max_length=100, description="The other side's party code."),
                 limit: int = Query(500, ge=1, le=2000)) -> dict[str, Any]:
        pairs = views.side_pairs(store)
        if not (a and b):
            if not pairs:
                return {"sides": [], "events": [], "count": 0, "pairs": []}
            a, b = pairs[0]["a"], pairs[0]["b"]
        return dict(views.timeline(store, a, b, limit=limit), pairs=pairs)

    @app.get("/api/map", summary="Events with coordinates as GeoJSON points")
    @one_snapshot
    def map_points(filters: dict[str, Any] = Depends(filters_of("type", "party", "since", "until")),
                   limit: int = Query(5000, ge=1, le=20000)) -> dict[str, Any]:
        return views.map_points(store, limit=limit, **filters)

    @app.get("/api/places", summary="Places mentioned, most mentioned first")
    @one_snapshot
    def list_places(place: Optional[str] = Query(None, max_length=500),
                    country: Optional[str] = Query(None, max_length=2),
                    limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        from .places import place_filter

        rows = store.place_counts(place=place_filter(place), country=country, limit=limit, offset=offset)
        more = len(rows) == limit
        return {"items": rows, "total": None, "total_exact": False, "limit": limit, "offset": offset,
                "next_offset": offset + len(rows) if more and rows else None}

    @app.get("/api/search", summary="Full-text search over claims or articles")
    @one_snapshot
    def search(q: str = Query(..., min_length=1, max_length=500, description="Words; \"a phrase\"; prefix*."),
               kind: Literal["claims", "articles"] = "claims",
               limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        if kind == "articles":
            return list_articles(filters={"search": q}, limit=limit, offset=offset)
        return list_claims(filters={"search": q}, limit=limit, offset=offset)

    @app.get("/api/reviews/{kind}/{record_id}", summary="Every decision on one record, oldest first")
    @one_snapshot
    def review_history(kind: Literal["claim", "event"], record_id: str) -> dict[str, Any]:
        full = ledger.resolve_id(record_id, kind)
        return {"kind": kind, "id": full, "items": [r.to_dict() for r in store.review_history(kind, full)]}

    # -------------------------------------------------------------- writing (token only)

    @app.post("/api/articles", status_code=201, dependencies=[Depends(writer)],
              summary="Ingest one article given as text (needs the token)")
    def post_article(article: ArticleIn) -> dict[str, Any]:
        report = ledger.ingest_text(article.text, title=article.title, source=article.source,
                                    published=article.published, url=article.url)
        fatal = [p for p in report.problems if p.fatal]
        if fatal:
            raise ApiError(400, "invalid_article", "; ".join(p.reason for p in fatal))
        return {"stored": report.stored, "already_stored": [i for _, i in report.duplicates],
                "claims": report.claims, "events": report.events,
                "notes": [p.reason for p in report.problems]}

    @app.post("/api/reviews", status_code=201, dependencies=[Depends(writer)],
              summary="Confirm, correct or reject a claim or event (needs the token)")
    def post_review(body: ReviewIn) -> dict[str, Any]:
        try:
            done = ledger.review(body.kind, body.id, body.action, reviewer=body.reviewer, field=body.field,
                                 value=body.value, note=body.note)
        except InvalidReview as exc:
            raise ApiError(400, "invalid_review", str(exc)) from None
        return done.to_dict()

    return app
