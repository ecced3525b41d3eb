"""The static word-piece vectors (``embed.Static``) and the choice of embedder.

The sentences are our own; the four linked articles are ``test_link``'s (written
for the tests), ingested here into a ledger of their own with the static vectors.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from counterclaim.api.ledger import Ledger
from counterclaim.cli.app import app
from counterclaim.link import claims, embed, events
from counterclaim.link.linker import Linker
from test_link import FILES, _shelling


def test_static_vectors_tell_paraphrase_from_other_sentences():
    model = embed.get_embedder("static")
    assert model.name.startswith("static:"), embed.load_error
    a, b, c, d = model.encode(["Shelling of the Kasungu bus station killed at least 9 people, police said.",
                               "At least 9 people died when shells hit the bus station in Kasungu.",
                               "Talks on a truce will resume in Blantyre next month.",
                               "Gunmen seized two villages north of Mzimba on Sunday, an official said."])
    assert a @ b >= claims.SAME_SIM["static"] > 0.5 > max(a @ c, a @ d, c @ d)
    assert np.allclose(np.linalg.norm(model.encode(["one", ""]), axis=1), [1, 0])


def test_static_table_is_cached_under_the_model_version_and_loaded_not_rebuilt(tmp_path):
    path = embed.static_cache_path()
    assert embed.MODEL_NAME in path.name and f"v{embed.STATIC_VERSION}" in path.name
    embed.get_embedder("static")  # built here at first use, if no earlier run did
    copied = tmp_path / "table.npy"
    copied.write_bytes(path.read_bytes())
    again = embed.Static(copied)  # an existing table is read as it is
    assert again.path == copied and again.encode(["a shell hit the market"]).shape == (1, embed.STATIC_DIMS)


def test_embedder_choice_argument_then_environment_then_minilm(monkeypatch):
    monkeypatch.delenv("COUNTERCLAIM_EMBEDDINGS", raising=False)
    monkeypatch.setenv("COUNTERCLAIM_EMBEDDER", "")
    assert embed.chosen() == "minilm"
    monkeypatch.setenv("COUNTERCLAIM_EMBEDDER", "Static")
    assert embed.chosen() == "static" and embed.chosen("minilm") == "minilm"
    monkeypatch.setenv("COUNTERCLAIM_EMBEDDER", "glove")
    with pytest.raises(ValueError, match="unknown embedder"):
        embed.chosen()
    monkeypatch.setenv("COUNTERCLAIM_EMBEDDER", "")
    monkeypatch.setenv("COUNTERCLAIM_EMBEDDINGS", "tokens")  # the older switch still works
    assert embed.chosen() == "tokens"


def test_every_embedder_kind_has_its_thresholds():
    for name in ("minilm:x", "static:x/1", "tokens"):
        kind = embed.kind_of(name)
        assert {kind} <= set(claims.SAME_SIM) & set(claims.RELATED_SIM)
        assert {kind} <= set(events.SAME_SENTENCE_SIM) & set(events.RELATED_SENTENCE_SIM)
        assert claims.SAME_SIM[kind] > claims.RELATED_SIM[kind]
        assert events.SAME_SENTENCE_SIM[kind] > events.RELATED_SENTENCE_SIM[kind]


def test_linking_with_static_vectors_end_to_end(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERCLAIM_EMBEDDER", "minilm")  # the Python option wins over it
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "ledger.sqlite"
    with Ledger(db, embedder="static") as ledger:
        assert ledger.linker.embedder.name.startswith("static:")
        ledger.ingest(sorted(tmp_path.glob("*.txt")))
        shelling = _shelling(ledger)
        # as with the model: the four reports (the denial too) are one event, 14-16 killed, disputed
        assert shelling.n_articles == 4 and shelling.status == "disputed", shelling.status_reason
        assert (shelling.fatalities.low, shelling.fatalities.high) == (14, 16)
    # The CLI option (and COUNTERCLAIM_EMBEDDER) reach the linker; link --again re-embeds.
    result = CliRunner().invoke(app, ["link", "--db", str(db), "--again", "--json", "--embedder", "static"])
    data = json.loads(result.stdout)
    assert data["linked"] == 4 and data["embedder"].startswith("static:")
    bad = CliRunner().invoke(app, ["link", "--db", str(db), "--embedder", "glove"])
    assert bad.exit_code == 2
    with Ledger(db) as ledger:  # COUNTERCLAIM_EMBEDDER=static now, as the CLI set it
        assert Linker(ledger.store).embedder.name.startswith("static:")
        assert _shelling(ledger).n_articles >= 3
