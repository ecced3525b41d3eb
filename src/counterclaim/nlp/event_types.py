"""Event types: a sentence or snippet -> ACLED sub-type, by a small linear model.

The trigger rules in ``events.py`` find *that* something happened; this
classifier says *which* ACLED sub-type the sentence reports when the words
around the trigger decide it (who took the town, whether the protest was
dispersed, a drone or a mortar).  It is trained only on dev data that sits
beside the project (CASE 2021 task 2 snippets, see
``scripts/train_event_types.py``), never shipped with it.

Features, all computed here from the text alone (no parse: < 1 ms a sentence):

- ``w:`` word unigrams and bigrams (lower-cased, digits folded to 0);
- ``f:`` the words of the lead sentence again (it names the event; the rest
  is often background);
- ``c:`` character 2-4-grams inside words (spelling variants, "airstrikes");
- ``q:`` cue concepts from ``data/models/event_type_cues.tsv`` (written from
  ACLED's codebook), their co-occurring pairs ``p:`` and, for act concepts,
  the nearest actor concept as agent ``a:`` (``a:TAKE@STATE``).

Each block is TF-IDF weighted (sublinear tf), L2-normalised and scaled by a
block weight; a linear model (one weight vector per class) scores it and a
softmax turns scores into probabilities.  The model is stored as ``.npz``
(vocabulary, idf, coefficients, intercepts: no pickle) with a JSON card
naming the training data's sha256, the library versions and the
cross-validated figures.  Predicting needs numpy only; training
(``fit``) needs scikit-learn.

Labels: the classifier keeps CASE 2021's 30 labels; ``classify`` maps them to
ACLED sub-types through ``data/models/case2021_labels.tsv``, where the five
labels with no ACLED twin (disasters, organised crime, diplomacy,
attribution) map to ``None``: not an ACLED event.

Use it to choose the sub-type of a sentence the trigger rules already found
an event in, not to decide whether something happened: every CASE snippet
reports an event, so the model has never seen a sentence that reports none
(a threat, a denial, background) and will still name a sub-type for it.
``among`` restricts the choice (``predict(sentence, among=VIOLENT)`` for a
bare "attack").
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

from .sentences import first_sentence

MODEL_NAME = "event_types"
FORMAT = "counterclaim-event-types/1"
NOT_ACLED = "-"  # the label file's mark for "no ACLED twin"

# The shipped configuration (chosen by cross-validation, see the model card).
DEFAULT_CONFIG: dict = {
    "char_ngrams": [2, 4],
    "min_df": {"w": 2, "c": 2, "q": 1, "p": 1, "a": 1, "f": 2},
    "weights": {"w": 1.0, "c": 1.0, "q": 0.5, "p": 0.5, "a": 0.5, "f": 0.5},
    "classifier": "svc",
    "C": 0.3,
    "class_weight": "balanced",
}

_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")


def _models_dir() -> Path:
    return Path(str(resources.files("counterclaim") / "data" / "models"))


# -- labels -----------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def case_label_map() -> dict[str, Optional[str]]:
    """CASE 2021 label -> ACLED sub-type, or None for the labels with no ACLED twin."""
    out: dict[str, Optional[str]] = {}
    text = (_models_dir() / "case2021_labels.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        case, acled = (c.strip() for c in line.split("\t")[:2])
        out[case] = None if acled == NOT_ACLED else acled
    return out


# -- features ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Concept:
    name: str
    kind: str  # actor, act, topic
    pattern: re.Pattern


@functools.lru_cache(maxsize=None)
def cue_concepts() -> tuple[_Concept, ...]:
    text = (_models_dir() / "event_type_cues.tsv").read_text(encoding="utf-8")
    rows: dict[tuple[str, str], list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, regex = line.split("\t", 2)
        rows.setdefault((name.strip(), kind.strip()), []).append(regex.strip())
    return tuple(
        _Concept(name, kind, re.compile(r"(?<!\w)(?:" + "|".join(rxs) + ")"))
        for (name, kind), rxs in rows.items()
    )


def cues_sha256() -> str:
    return hashlib.sha256((_models_dir() / "event_type_cues.tsv").read_bytes()).hexdigest()


def features(text: str, char_ngrams: Sequence[int] = (2, 4)) -> dict[str, int]:
    """Raw feature counts of one text; the block is the prefix before ':'."""
    low = text.lower()
    words = [_DIGIT.sub("0", w) for w in _WORD.findall(low)]
    counts: dict[str, int] = {}

    def add(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    for i, w in enumerate(words):
        add("w:" + w)
        if i:
            add("w:" + words[i - 1] + " " + w)
    lo, hi = char_ngrams
    for w in words:
        padded = " " + w + " "
        n_max = min(hi, len(padded))
        for n in range(lo, n_max + 1):
            for j in range(len(padded) - n + 1):
                add("c:" + padded[j : j + n])
    for key in _cue_features(low):
        add(key)
    # the lead sentence names the event; later ones add background
    first = _WORD.findall(first_sentence(text).lower())
    for w in first:
        add("f:" + _DIGIT.sub("0", w))
    return counts


def _cue_features(low: str) -> list[str]:
    found: dict[str, list[tuple[int, int]]] = {}
    kinds: dict[str, str] = {}
    for concept in cue_concepts():
        spans = [(m.start(), m.end()) for m in concept.pattern.finditer(low)]
        if spans:
            found[concept.name] = spans
            kinds[concept.name] = concept.kind
    out = ["q:" + name for name, spans in found.items() for _ in spans]
    names = sorted(found)
    out += ["p:" + a + "+" + b for i, a in enumerate(names) for b in names[i + 1 :]]
    actors = [(s, e, name) for name, spans in found.items() if kinds[name] == "actor" for s, e in spans]
    for name, spans in found.items():
        if kinds[name] != "act":
            continue
        for start, end in spans:
            agent = _agent_of(low, start, end, actors)
            out.append(f"a:{name}@{agent}")
    return out


def _agent_of(low: str, start: int, end: int, actors: list[tuple[int, int, str]]) -> str:
    """The actor concept acting at low[start:end]: after 'by' for passives, else the
    nearest one before it in the same sentence, else NONE."""
    tail = low[end : end + 40]
    by = re.match(r"\W+(?:\w+\W+){0,2}?by\b", tail)
    if by:
        after = [a for a in actors if end + by.end() <= a[0] < end + by.end() + 50]
        if after:
            return min(after)[2]
    sent_start = max(low.rfind(". ", 0, start), low.rfind("; ", 0, start))
    before = [a for a in actors if sent_start < a[1] <= start and start - a[1] < 120]
    if before:
        return max(before, key=lambda a: a[1])[2]
    return "NONE"


# -- the model ----------------------------------------------------------------------


@dataclass
class Model:
    """A linear model over TF-IDF blocks; ``coef`` is (n_features, n_classes)."""

    classes: list[str]
    vocab: dict[str, int]
    idf: np.ndarray
    block_of: np.ndarray  # block index of each feature
    blocks: list[str]
    block_weights: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    temperature: float = 1.0
    config: dict = field(default_factory=dict)
    card: dict = field(default_factory=dict)

    def vectorize(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, values) of one text, exactly as in training."""
        counts = features(text, tuple(self.config.get("char_ngrams", (2, 4))))
        idx = [self.vocab[k] for k in counts if k in self.vocab]
        if not idx:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        ids = np.fromiter(idx, dtype=np.int64, count=len(idx))
        tf = np.fromiter((counts[k] for k in counts if k in self.vocab), dtype=np.float64, count=len(idx))
        vals = (1.0 + np.log(tf)) * self.idf[ids]
        blk = self.block_of[ids]
        norms = np.zeros(len(self.blocks))
        np.add.at(norms, blk, vals * vals)
        norms = np.sqrt(norms)
        scale = np.where(norms > 0, self.block_weights / np.where(norms > 0, norms, 1.0), 0.0)
        return ids, vals * scale[blk]

    def probabilities(self, text: str) -> np.ndarray:
        ids, vals = self.vectorize(text)
        scores = self.intercept + vals @ self.coef[ids].astype(np.float64)
        return _softmax(scores * self.temperature)

    # storage: an npz of arrays (allow_pickle=False) and a JSON card
    def save(self, directory: Path, name: str = MODEL_NAME) -> tuple[Path, Path]:
        directory.mkdir(parents=True, exist_ok=True)
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        arrays = directory / f"{name}.npz"
        np.savez_compressed(
            arrays,
            vocab=np.array(vocab, dtype=np.str_),
            idf=self.idf.astype(np.float32),
            block_of=self.block_of.astype(np.int8),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
        )
        card = dict(self.card)
        card.update({
            "format": FORMAT,
            "classes": self.classes,
            "blocks": self.blocks,
            "block_weights": [float(w) for w in self.block_weights],
            "temperature": self.temperature,
            "config": self.config,
            "arrays": arrays.name,
            "arrays_sha256": hashlib.sha256(arrays.read_bytes()).hexdigest(),
        })
        card_path = directory / f"{name}.json"
        card_path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return arrays, card_path

    @classmethod
    def load(cls, directory: Path, name: str = MODEL_NAME) -> "Model":
        card = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        if card.get("format") != FORMAT:
            raise ValueError(f"{directory / name}.json: unknown model format {card.get('format')!r}")
        with np.load(directory / card["arrays"], allow_pickle=False) as z:
            vocab = {str(k): i for i, k in enumerate(z["vocab"])}
            return cls(
                classes=list(card["classes"]),
                vocab=vocab,
                idf=z["idf"].astype(np.float64),
                block_of=z["block_of"].astype(np.int64),
                blocks=list(card["blocks"]),
                block_weights=np.array(card["block_weights"], dtype=np.float64),
                coef=z["coef"].astype(np.float32),
                intercept=z["intercept"].astype(np.float64),
                temperature=float(card.get("temperature", 1.0)),
                config=card.get("config", {}),
                card=card,
            )


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@functools.lru_cache(maxsize=1)
def shipped_model() -> Model:
    """The model in ``counterclaim/data/models`` (trained by scripts/train_event_types.py)."""
    return Model.load(_models_dir())


# -- the API ------------------------------------------------------------------------


def classify_labels(text: str, model: Optional[Model] = None) -> list[tuple[str, float]]:
    """The model's own labels (CASE 2021's) with probabilities, best first."""
    model = model or shipped_model()
    probs = model.probabilities(text)
    order = np.argsort(-probs)
    return [(model.classes[i], float(probs[i])) for i in order]


def classify(text: str, model: Optional[Model] = None,
             among: Optional[Iterable[Optional[str]]] = None) -> list[tuple[Optional[str], float]]:
    """ACLED sub-types with probabilities, best first; ``None`` stands for
    "not an ACLED event" (disaster, crime, diplomacy, attribution): the
    probabilities of the labels that map to it are added up.  With ``among``,
    only those sub-types (None included only if listed), renormalised."""
    mapping = case_label_map()
    total: dict[Optional[str], float] = {}
    for label, p in classify_labels(text, model):
        key = mapping.get(label, label)
        total[key] = total.get(key, 0.0) + p
    if among is not None:
        allowed = set(among)
        total = {k: v for k, v in total.items() if k in allowed}
        norm = sum(total.values())
        if norm > 0:
            total = {k: v / norm for k, v in total.items()}
    return sorted(total.items(), key=lambda kv: -kv[1])


def predict(text: str, model: Optional[Model] = None, min_prob: float = 0.0,
            among: Optional[Iterable[Optional[str]]] = None) -> tuple[Optional[str], float]:
    """The most probable ACLED sub-type (or None) and its probability; None as well
    when that probability is below ``min_prob``."""
    ranked = classify(text, model, among)
    if not ranked:
        return None, 0.0
    label, p = ranked[0]
    return (label if p >= min_prob else None), p


# -- training (scikit-learn) -------------------------------------------------------


def _matrix(counts_list: list[dict[str, int]], vocab: dict[str, int], idf: np.ndarray, block_of: np.ndarray,
            weights: np.ndarray):
    from scipy import sparse

    rows, cols, vals = [], [], []
    for r, counts in enumerate(counts_list):
        for k, c in counts.items():
            j = vocab.get(k)
            if j is not None:
                rows.append(r)
                cols.append(j)
                vals.append((1.0 + math.log(c)) * idf[j])
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(counts_list), len(vocab)), dtype=np.float64)
    # per-row, per-block L2 normalisation, then block weights
    sq = m.multiply(m).tocsr()
    n_blocks = len(weights)
    onehot = sparse.csr_matrix((np.ones(len(block_of)), (np.arange(len(block_of)), block_of)),
                               shape=(len(block_of), n_blocks))
    norms = np.sqrt(np.asarray((sq @ onehot).todense()))
    scale = np.where(norms > 0, weights[None, :] / np.where(norms > 0, norms, 1.0), 0.0)
    coo = m.tocoo()
    data = coo.data * scale[coo.row, block_of[coo.col]]
    return sparse.csr_matrix((data, (coo.row, coo.col)), shape=m.shape)


def fit(texts: Sequence[str], labels: Sequence[str], config: Optional[dict] = None,
        sample_weight: Optional[Sequence[float]] = None, counts: Optional[list[dict[str, int]]] = None) -> Model:
    """Train a model (needs scikit-learn).  ``counts`` may pass precomputed ``features``."""
    cfg = json.loads(json.dumps({**DEFAULT_CONFIG, **(config or {})}))
    counts = counts if counts is not None else [features(t, tuple(cfg["char_ngrams"])) for t in texts]
    blocks = sorted(cfg["weights"])
    block_index = {b: i for i, b in enumerate(blocks)}
    df: dict[str, int] = {}
    for c in counts:
        for k in c:
            df[k] = df.get(k, 0) + 1
    keep = sorted(k for k, d in df.items()
                  if k.split(":", 1)[0] in block_index and d >= cfg["min_df"].get(k.split(":", 1)[0], 1)
                  and cfg["weights"][k.split(":", 1)[0]] > 0)
    vocab = {k: i for i, k in enumerate(keep)}
    n = len(counts)
    idf = np.array([math.log((1 + n) / (1 + df[k])) + 1.0 for k in keep])
    block_of = np.array([block_index[k.split(":", 1)[0]] for k in keep], dtype=np.int64)
    weights = np.array([cfg["weights"][b] for b in blocks], dtype=np.float64)
    X = _matrix(counts, vocab, idf, block_of, weights)
    classes = sorted(set(labels))
    y = np.array([classes.index(l) for l in labels])
    clf = _classifier(cfg)
    clf.fit(X, y, sample_weight=None if sample_weight is None else np.asarray(sample_weight))
    coef = clf.coef_.T if len(classes) > 2 else np.hstack([-clf.coef_.T, clf.coef_.T]) / 2
    intercept = clf.intercept_ if len(classes) > 2 else np.array([-clf.intercept_[0], clf.intercept_[0]]) / 2
    return Model(classes=classes, vocab=vocab, idf=idf, block_of=block_of, blocks=blocks,
                 block_weights=weights, coef=np.asarray(coef, dtype=np.float32),
                 intercept=np.asarray(intercept, dtype=np.float64),
                 temperature=float(cfg.get("temperature", 1.0)), config=cfg)


def _classifier(cfg: dict):
    if cfg["classifier"] == "svc":
        from sklearn.svm import LinearSVC

        return LinearSVC(C=cfg["C"], class_weight=cfg.get("class_weight"), max_iter=5000, random_state=0)
    if cfg["classifier"] == "lr":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=cfg["C"], class_weight=cfg.get("class_weight"), max_iter=3000, random_state=0)
    raise ValueError(f"unknown classifier {cfg['classifier']!r}")


def folds(labels: Sequence[str], k: int, seed: int) -> list[np.ndarray]:
    """Stratified k folds (test indices), as scikit-learn's StratifiedKFold(shuffle=True)."""
    from sklearn.model_selection import StratifiedKFold

    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [test for _, test in skf.split(np.zeros(len(labels)), np.asarray(labels))]


def cross_val_scores(texts: Sequence[str], labels: Sequence[str], k: int = 5, seed: int = 0,
                     config: Optional[dict] = None, extra: Iterable[tuple[str, str, float]] = (),
                     counts: Optional[list[dict[str, int]]] = None) -> tuple[list[str], np.ndarray]:
    """Out-of-fold class scores: each text is scored by a model that never saw it.
    Returns (classes, scores of shape (n, n_classes)); a class missing from a
    fold's training part scores -inf there.  ``extra`` (text, label, weight)
    rows are added to every fold's training set, never to a test part."""
    import warnings

    cfg = {**DEFAULT_CONFIG, **(config or {})}
    ngrams = tuple(cfg["char_ngrams"])
    counts = counts if counts is not None else [features(t, ngrams) for t in texts]
    extra = list(extra)
    extra_counts = [features(t, ngrams) for t, _, _ in extra]
    classes = sorted(set(labels) | {l for _, l, _ in extra})
    scores = np.full((len(texts), len(classes)), -np.inf)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class")
        test_sets = folds(labels, k, seed)
    for test in test_sets:
        test_set = set(test.tolist())
        train = [i for i in range(len(texts)) if i not in test_set]
        model = fit([texts[i] for i in train] + [t for t, _, _ in extra],
                    [labels[i] for i in train] + [l for _, l, _ in extra],
                    cfg, sample_weight=[1.0] * len(train) + [w for _, _, w in extra],
                    counts=[counts[i] for i in train] + extra_counts)
        cols = [classes.index(c) for c in model.classes]
        for i in test:
            ids, vals = model.vectorize(texts[i])
            scores[i, cols] = model.intercept + vals @ model.coef[ids].astype(np.float64)
    return classes, scores


def cross_val_predict(texts: Sequence[str], labels: Sequence[str], k: int = 5, seed: int = 0,
                      config: Optional[dict] = None, extra: Iterable[tuple[str, str, float]] = (),
                      counts: Optional[list[dict[str, int]]] = None) -> list[str]:
    """Out-of-fold predicted labels (see ``cross_val_scores``)."""
    classes, scores = cross_val_scores(texts, labels, k, seed, config, extra, counts)
    return [classes[j] for j in scores.argmax(axis=1)]


def fit_temperature(scores: np.ndarray, classes: Sequence[str], labels: Sequence[str]) -> float:
    """The softmax temperature that makes out-of-fold scores honest probabilities
    (least negative log-likelihood over a grid)."""
    gold = np.array([list(classes).index(l) for l in labels])
    finite = np.where(np.isfinite(scores), scores, -1e9)
    best, best_nll = 1.0, math.inf
    for t in np.geomspace(0.25, 20.0, 60):
        p = _softmax(finite * t)
        nll = -np.mean(np.log(np.maximum(p[np.arange(len(gold)), gold], 1e-12)))
        if nll < best_nll:
            best, best_nll = float(t), nll
    return round(best, 4)
