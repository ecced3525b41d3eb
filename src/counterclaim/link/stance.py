"""Stance of a report towards a claim: agree, disagree, discuss or unrelated (FNC-1's labels).

A small, transparent model: a handful of features per (claim, report) pair
and a multinomial logistic regression whose weights ship as JSON
(``data/models/stance.json``; no pickles).  Features:

- how close the claim is to the report: embedding cosine with the whole text,
  with its closest sentences (max and mean of the top 3), and word overlap;
- refuting and hedging words (the FNC-1 baseline's idea) counted in the
  report, in its closest sentences and in the claim itself: a report that
  calls the claim a hoax, or says it "could not be confirmed";
- length of the report.

Training is ``python scripts/train_stance.py`` (reproducible: fixed folds, no
randomness); ``counterclaim eval fnc1`` reports its cross-validated figures.
Like claim linking, the embeddings only say "same topic"; the polarity comes
from the words around the matching sentences.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

LABELS = ("agree", "disagree", "discuss", "unrelated")
MODEL_PATH = "data/models/stance.json"

REFUTING = ("fake", "fraud", "hoax", "false", "deny", "denies", "denied", "denial", "not", "despite", "nope",
            "doubt", "doubts", "bogus", "debunk", "debunked", "debunks", "pranks", "prank", "retract",
            "retracted", "fabricated", "untrue", "no", "never", "refute", "refuted", "rejects", "rejected",
            "dismissed", "dismisses", "satire", "misleading", "wrong", "myth", "rumour", "rumor")
HEDGING = ("reportedly", "allegedly", "alleged", "claims", "claimed", "claim", "according", "unconfirmed",
           "unverified", "purportedly", "purported", "suggests", "appears", "apparently", "may", "might",
           "could", "possibly", "rumored", "rumoured", "report", "reports", "reported", "said", "says",
           "supposedly", "believed", "if", "whether", "unclear")
_WORD = re.compile(r"[a-z0-9']+")
_SENT = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z\"'(])|\n+")
_STOP = frozenset("the a an of in on at to and or for by with from that this is was were be been has have had it "
                  "its as are he she they his her their but after over into about more than who what which "
                  "will would can".split())

FEATURES = ("cos_body", "cos_max", "cos_top3", "overlap", "overlap_lead", "jaccard",
            "refute_body", "refute_top", "refute_head", "hedge_body", "hedge_top", "hedge_head",
            "refute_top_x_cos", "log_len")


def sentences(text: str) -> list[str]:
    """Rough sentences (no parser: this runs on thousands of bodies)."""
    found = [s.strip() for s in _SENT.split(text) if s and len(s.strip()) > 2]
    return found or [text.strip()]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _content(text: str) -> set[str]:
    return {w for w in words(text) if w not in _STOP and len(w) > 2}


def _rate(tokens: list[str], lexicon: frozenset) -> float:
    return sum(t in lexicon for t in tokens) / max(1, len(tokens)) * 100


_REF, _HEDGE = frozenset(REFUTING), frozenset(HEDGING)


@dataclass
class Body:
    """A report prepared once for every claim compared with it."""

    text: str
    sentences: list[str]
    sentence_vectors: np.ndarray  # one unit vector per sentence
    vector: np.ndarray  # the normalised mean of the sentence vectors
    words: set[str]
    lead_words: set[str]


def prepare_body(text: str, sentence_vectors: np.ndarray) -> Body:
    sents = sentences(text)
    mean = sentence_vectors.mean(axis=0) if len(sentence_vectors) else np.zeros(sentence_vectors.shape[1])
    norm = np.linalg.norm(mean)
    return Body(text, sents, sentence_vectors, mean / norm if norm else mean, _content(text),
                _content(" ".join(sents[:3])))


def features(claim: str, claim_vector: np.ndarray, body: Body) -> list[float]:
    sims = body.sentence_vectors @ claim_vector if len(body.sentence_vectors) else np.zeros(1)
    order = np.argsort(-sims)[:3]
    top = [body.sentences[i] for i in order if i < len(body.sentences)]
    top_tokens = [t for s in top for t in words(s)]
    body_tokens = words(body.text)
    head_tokens = words(claim)
    head = _content(claim)
    overlap = len(head & body.words) / max(1, len(head))
    refute_top = _rate(top_tokens, _REF)
    cos_max = float(sims.max())
    return [
        float(body.vector @ claim_vector), cos_max, float(sims[order].mean()),
        overlap, len(head & body.lead_words) / max(1, len(head)),
        len(head & body.words) / max(1, len(head | body.words)),
        _rate(body_tokens, _REF), refute_top, _rate(head_tokens, _REF),
        _rate(body_tokens, _HEDGE), _rate(top_tokens, _HEDGE), _rate(head_tokens, _HEDGE),
        refute_top * cos_max, float(np.log1p(len(body_tokens))),
    ]


@dataclass
class StanceModel:
    """Standardise, then multinomial logistic regression: all of it plain numbers in JSON."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (labels, features)
    intercept: np.ndarray
    labels: tuple[str, ...] = LABELS
    meta: Optional[dict] = None

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, x: np.ndarray) -> list[str]:
        return [self.labels[i] for i in self.predict_proba(x).argmax(axis=1)]

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "labels": list(self.labels), "mean": self.mean.tolist(),
                "scale": self.scale.tolist(), "coef": self.coef.tolist(), "intercept": self.intercept.tolist(),
                "meta": self.meta or {}}

    @classmethod
    def from_json(cls, data: dict) -> "StanceModel":
        if list(data["features"]) != list(FEATURES):
            raise ValueError("the stance model was trained on other features: retrain (scripts/train_stance.py)")
        return cls(np.array(data["mean"]), np.array(data["scale"]), np.array(data["coef"]),
                   np.array(data["intercept"]), tuple(data["labels"]), data.get("meta"))

    @classmethod
    def load(cls, path: Optional[Path] = None) -> "StanceModel":
        text = Path(path).read_text("utf-8") if path else \
            resources.files("counterclaim").joinpath(MODEL_PATH).read_text("utf-8")
        return cls.from_json(json.loads(text))


def fit(x: np.ndarray, y: Sequence[str], meta: Optional[dict] = None) -> StanceModel:
    """Fit the model (scikit-learn at training time only; the result is plain arrays)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(max_iter=2000, C=1.0, class_weight="balanced")
    clf.fit((x - mean) / scale, list(y))
    order = [list(clf.classes_).index(label) for label in LABELS]
    return StanceModel(mean, scale, clf.coef_[order], clf.intercept_[order], LABELS, meta)


def sha256_files(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).read_bytes())
    return h.hexdigest()
