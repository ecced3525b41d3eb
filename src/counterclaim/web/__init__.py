"""The web UI: the dispute board, the timeline, the map, the article view and review.

``create_app(ledger, token=None)`` is the HTTP API (``api.http``) plus the UI
served from this package's ``static/`` folder: one page, plain JavaScript that
reads the JSON API, no CDN and no tile server (Leaflet, its marker clustering
and Natural Earth country shapes from ``world-atlas`` are copied in by
``web/build.mjs`` at the repository root and committed, so an installed package
works offline).

Everything a user or an article supplied is put on the page as text
(``textContent``), never as markup; the Content-Security-Policy header allows
scripts and styles from this server only, so an injected ``<script>`` or event
handler would not run even if one slipped through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..api.http import create_api
from ..api.ledger import Ledger

STATIC = Path(__file__).parent / "static"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Adds ``HEADERS`` to every response that does not set them.

    Plain ASGI rather than ``@app.middleware("http")``: Starlette's
    ``BaseHTTPMiddleware`` wraps each request in a task group and memory
    streams, a millisecond a request on a busy machine for four headers.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(ledger: Ledger, *, token: Optional[str] = None) -> FastAPI:
    """The API and the UI over ``ledger``; ``token`` enables writes (ingest, review)."""
    app = create_api(ledger, token=token)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    return app
