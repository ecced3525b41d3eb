"""Shared fixtures: where ../shared is, and one extraction helper over the real pipeline."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from counterclaim.records import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or REPO.parent / "shared")
EVAL_DIR = Path(os.environ.get("COUNTERCLAIM_EVAL_DIR") or SHARED / "eval")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"needs the shared data beside the clone: {SHARED} not found (set COUNTERCLAIM_SHARED_DIR)")
    return SHARED


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL_DIR.is_dir():
        pytest.skip(f"needs the evaluation data: {EVAL_DIR} not found (set COUNTERCLAIM_EVAL_DIR)")
    return EVAL_DIR


@pytest.fixture(scope="session")
def extract_text():
    """Run the real extractor on a text of the test's own, published on a given day."""
    from counterclaim.nlp.extract import extract

    def run(text: str, published: str = "2026-03-06"):
        return extract(Article.create(text, published=date.fromisoformat(published), language="en"))

    return run


# The sample ledger of the API, web and CLI read tests (built once per session).
from apiweb_fixtures import sample_db, sample_extractions, sample_pg  # noqa: E402,F401
