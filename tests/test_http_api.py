"""The HTTP API in process (httpx's ASGI transport) on SQLite and on the PostgreSQL server.

Same requests, same answers on both backends: filters as users type them
(places in any spelling, vocabularies in any case), pages, ids by prefix,
full-text search, one error shape, read-only without a token, and reviews
that queries and exports honour while the extraction stays as it was.
"""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import uuid

import httpx
import pytest

from counterclaim.api.ledger import Ledger
from counterclaim.web import create_app

TOKEN = "test-token-123"


class Client:
    """A synchronous face on httpx.AsyncClient over the ASGI app (no server, no socket)."""

    def __init__(self, app, token=None):
        self.app, self.token = app, token

    def request(self, method, url, **kwargs):
        if self.token:
            kwargs.setdefault("headers", {})["Authorization"] = f"Bearer {self.token}"

        async def go():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(go())

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.request("POST", url, **kwargs)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger(request, tmp_path):
    """A writable copy of the sample ledger (SQLite) or the session's PostgreSQL one."""
    if request.param == "sqlite":
        path = tmp_path / "ledger.sqlite"
        shutil.copy(request.getfixturevalue("sample_db"), path)
        url = path
    else:
        url = request.getfixturevalue("sample_pg")
    with Ledger(url) as opened:
        yield opened


def ok(response):
    assert response.status_code == 200, response.text
    return response.json()


def error(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status
    return body["error"]["message"]


def test_lists_filters_and_pages(ledger):
    api = Client(create_app(ledger))
    articles = ok(api.get("/api/articles"))
    assert articles["total"] == 4 and articles["total_exact"]
    assert all("short_id" in a and "text" not in a for a in articles["items"])
    first, second = ok(api.get("/api/articles?limit=1")), ok(api.get("/api/articles?limit=1&offset=1"))
    assert first["next_offset"] == 1 and first["items"][0]["id"] != second["items"][0]["id"]
    assert [a["id"] for a in first["items"] + second["items"]] == [a["id"] for a in articles["items"][:2]]
    # places in the spellings users type
    speakers = lambda q: {c["speaker"]["name"] for c in ok(api.get(f"/api/claims?{q}"))["items"]}  # noqa: E731
    assert "Afghan officials" in speakers("place=Kandahar") and "Pakistan's army" in speakers("place=kandahar")
    assert "Afghan officials" in speakers("place=Afghanistan")
    assert any(s.startswith("Syrian Observatory") for s in speakers("place=Deir%20Ezzor"))
    events = ok(api.get("/api/events?place=Kandahar"))["items"]
    assert events and all(e["place"]["name"] == "Kandahār" for e in events if e["place"]["country"] == "AF"
                          and "<" not in e["place"]["name"])
    assert ok(api.get("/api/events?place=Deir%20Ezzor"))["items"][0]["place"]["name"] == "Deir ez-Zor"
    # vocabularies in any case; values outside them are errors that list the valid ones
    assert {c["act"] for c in ok(api.get("/api/claims?act=DENY"))["items"]} == {"deny"}
    assert "assert, deny, accuse" in error(api.get("/api/claims?act=denial"), 400)
    assert "corroborated" in error(api.get("/api/events?status=bogus"), 400)
    assert ok(api.get("/api/events?sub_type=air/drone%20strike"))["items"]
    assert ok(api.get("/api/claims?party=pak"))["items"]


def test_ids_search_and_errors(ledger):
    api = Client(create_app(ledger))
    article = ok(api.get("/api/articles?search=shelling"))["items"][0]
    assert article["source"] == "Levant Wire"
    shown = ok(api.get(f"/api/articles/{article['id'][:6]}"))
    assert shown["id"] == article["id"] and shown["claims"] and shown["places"]
    claim = shown["claims"][0]
    assert ok(api.get(f"/api/claims/{claim['short_id']}"))["id"] == claim["id"]
    assert "ambiguous" in error(api.get(f"/api/claims/{article['id'][:8]}:c"), 409)
    error(api.get("/api/claims/ffffffffffff"), 404)
    assert ok(api.get("/api/search?q=airstrikes"))["items"]
    assert ok(api.get("/api/search?q=%22strikes%20hit%22"))["total"] == 1  # a phrase
    assert ok(api.get("/api/search?q=shell*&kind=articles"))["items"][0]["id"] == article["id"]
    error(api.get("/api/search?q=%22%22"), 400)
    error(api.get("/api/nowhere"), 404)
    error(api.get("/api/claims?limit=-1"), 422)
    error(api.get("/api/claims?since=yesterday"), 422)
    clusters = ok(api.get("/api/event-clusters"))
    assert clusters["total"] >= 3
    full = ok(api.get(f"/api/event-clusters/{clusters['items'][0]['short_id']}"))
    assert full["reports"]
    board = ok(api.get("/api/disputes"))["items"]
    assert board and len(board[0]["sides"]) >= 2  # each side in its own column
    assert ok(api.get("/api/timeline"))["pairs"]
    assert ok(api.get("/api/map"))["features"]
    assert ok(api.get("/api/places?place=Afghanistan"))["items"]


def test_read_only_without_token(ledger):
    body = {"kind": "claim", "id": "x", "action": "confirm", "reviewer": "a"}
    assert "read-only" in error(Client(create_app(ledger)).post("/api/reviews", json=body), 403)
    assert "Bearer" in error(Client(create_app(ledger, token=TOKEN), token="wrong").post("/api/reviews", json=body), 401)
    error(Client(create_app(ledger)).post("/api/articles", json={"text": "x"}), 403)


def test_review_is_kept_and_used(ledger):
    from counterclaim.api.export import export

    api = Client(create_app(ledger, token=TOKEN), token=TOKEN)
    claim = ok(api.get("/api/claims?speaker=Kamran"))["items"][0]
    assert claim["act"] == "assert" and claim["review"] is None
    done = api.post("/api/reviews", json={"kind": "claim", "id": claim["short_id"], "action": "correct",
                                          "field": "speaker_party", "value": "pak", "reviewer": "Ana"})
    assert done.status_code == 201, done.text
    assert done.json()["previous"] == "unknown" and done.json()["value"] == "PAK"
    error(api.post("/api/reviews", json={"kind": "claim", "id": claim["id"], "action": "correct",
                                         "field": "act", "value": "denial", "reviewer": "Ana"}), 400)
    again = ok(api.get(f"/api/claims/{claim['id']}"))
    assert again["speaker"]["party"] == "PAK" and again["review"]["status"] == "corrected"
    assert again["extracted"]["speaker_party"] == "unknown" and again["review_history"][0]["reviewer"] == "Ana"
    assert claim["id"] in {c["id"] for c in ok(api.get("/api/claims?party=PAK"))["items"]}
    # the extraction itself is untouched; re-extraction keeps the review
    extraction = ledger.store.extraction(claim["article_id"])
    assert {c.speaker.party for c in extraction.claims if c.id == claim["id"]} == {"unknown"}
    ledger.store.save(extraction)
    assert ok(api.get(f"/api/claims/{claim['id']}"))["speaker"]["party"] == "PAK"
    # exports use the reviewed value and say so
    out = io.StringIO()
    export(ledger.store, "jsonl", out, kind="claims")
    row = next(json.loads(line) for line in out.getvalue().splitlines() if json.loads(line)["id"] == claim["id"])
    assert row["speaker"]["party"] == "PAK" and row["review"]["status"] == "corrected"
    # a rejected event leaves the lists
    event = ok(api.get("/api/events?place=Deir%20Ezzor"))["items"][0]
    assert api.post("/api/reviews", json={"kind": "event", "id": event["id"], "action": "reject",
                                          "reviewer": "Ana"}).status_code == 201
    assert event["id"] not in {e["id"] for e in ok(api.get("/api/events?limit=500"))["items"]}
    assert ok(api.get(f"/api/events/{event['id']}"))["review"]["status"] == "rejected"


def test_ingest_with_token(ledger):
    api = Client(create_app(ledger, token=TOKEN), token=TOKEN)
    text = f"Officials said a roadside bomb killed four police officers in Kandahar on Friday. ({uuid.uuid4().hex})"
    response = api.post("/api/articles", json={"text": text, "title": "Bomb", "source": "Test Wire",
                                               "published": "2026-03-06"})
    assert response.status_code == 201, response.text
    assert len(response.json()["stored"]) == 1
    error(api.post("/api/articles", json={"text": ""}), 422)


def test_readme_postgres_url_form(sample_pg, monkeypatch):
    """``postgresql://user@host/db``, exactly as the README writes it, against the real server.

    The sample's schema is chosen the way a user's environment would choose
    it (libpq's ``PGOPTIONS``), so the URL itself is the README's, character
    for character, and no second database has to be created and migrated.
    """
    from urllib.parse import parse_qs, urlsplit

    from counterclaim.store import Store

    monkeypatch.setenv("PGOPTIONS", parse_qs(urlsplit(sample_pg).query)["options"][0])
    with Store.open("postgresql://postgres@127.0.0.1:5432/test") as store:
        assert store.backend == "postgresql" and store.revision() is not None
        assert store.stats()["articles"] >= 4  # the sample's schema: the URL reached the server as written
    with Ledger("postgresql://postgres@127.0.0.1:5432/test") as ledger:
        assert ok(Client(create_app(ledger)).get("/api/articles"))["total"] >= 4


def test_openapi_schema_has_no_500s(sample_db):
    """Schemathesis over the OpenAPI schema (a small budget): no request makes the server fail."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, Phase, given, settings

    app = create_app(Ledger(sample_db))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    for operation in schema.get_all_operations():
        op = operation.ok()
        if op.method.upper() != "GET":
            continue

        @settings(max_examples=3, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def check(case):  # runs at once, in this iteration: ``op`` is the current one
            response = case.call()
            if response.status_code >= 500:
                failures.append((op.label, case.path, case.query, response.status_code,  # noqa: B023
                                 response.text[:200]))

        check()
    assert failures == []
