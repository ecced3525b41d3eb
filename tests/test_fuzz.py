"""The fast subset of the fuzz suite (``tests/fuzzing.py``); ``scripts/fuzz.py`` runs 10,000+ inputs.

A failure here is a crash, a hang or a broken promise on a generated input:
hypothesis shrinks it to a minimal example and prints it.
"""

from __future__ import annotations

import pytest

import fuzzing


@pytest.fixture
def run():
    return fuzzing.Run()


def test_readers(run, tmp_path):
    fuzzing.readers(run, 40, tmp_path)
    assert run.inputs["readers"] >= 40


def test_extractor(run):
    fuzzing.extractor(run, 25)
    assert run.slowest < fuzzing.HANG_SECONDS


def test_store(run, tmp_path):
    fuzzing.store(run, 40, str(tmp_path / "fuzz.sqlite"))


def test_renderers(run):
    fuzzing.renderers(run, 20)
    assert run.inputs["renderers"] >= 20 and run.renderer_escapes == 0


def test_ingest(run, tmp_path):
    fuzzing.ingest(run, 4, tmp_path, str(tmp_path / "ingest.sqlite"))
