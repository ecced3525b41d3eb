"""Exact and near-duplicate articles: one story republished counts once as evidence.

Outlets republish wire copy with a new headline, a cut paragraph or a changed
dateline.  Each outlet's record is kept (who carried the story is itself
information) but the copies are one piece of evidence, so the linker must
know which articles are copies of which.

Two steps, the classic near-duplicate pipeline (Charikar's SimHash as used by
Manku et al. 2007 for web pages, then an exact check):

1. SimHash over word 4-shingles: a 64-bit fingerprint, stored with the
   article (``articles.simhash``); two texts whose fingerprints differ in at
   most ``CANDIDATE_BITS`` bits are candidates.  Comparing one fingerprint
   with every stored one is a popcount each: cheap for a corpus of 100k.
2. The shingle sets of the candidates are compared exactly: a copy when the
   Jaccard similarity is at least ``NEAR_JACCARD``, or when one text's
   shingles are almost all inside the other's (``NEAR_CONTAINMENT``: the
   same story with paragraphs cut).

Thresholds, chosen on the FA-KES dev set (fakes-crossdoc-dev) and the demo:
the two same-outlet republications there have Jaccard 0.91 and 0.96
(SimHash distance 9 and 4), while the closest different stories, two
outlets' rewrites of one AFP report, reach 0.79 (distance 7): 0.85 separates
them with a margin on both sides.  ``CANDIDATE_BITS`` = 18 is loose on
purpose (shingle Jaccard 0.85 rarely moves a 64-bit SimHash by more than
~12 bits); it only decides which texts are compared exactly.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import AbstractSet, Iterable, Optional

import numpy as np

SHINGLE = 4
CANDIDATE_BITS = 18
NEAR_JACCARD = 0.85
NEAR_CONTAINMENT = 0.9
MIN_SHINGLES = 20  # shorter texts (a headline, a caption) are only exact duplicates
# The index of fingerprints (``band_keys``): MinHash locality-sensitive hashing.
BANDS, ROWS = 64, 2
PERMUTATIONS = BANDS * ROWS
MIN_BAND_HITS = 2  # keys two texts must share to be compared (see ``band_keys``)
SCHEME = f"minhash-shingle{SHINGLE}-b{BANDS}r{ROWS}-v1"  # stored keys are only comparable within one scheme
_SCHEME_SALT = hashlib.blake2b(SCHEME.encode(), digest_size=16).digest()
_rng = np.random.default_rng(0x636F7079)  # fixed: every process and every run must draw the same hashes
_MULTIPLIERS = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_OFFSETS = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Copy:
    """``article_id`` is a copy of ``original_id`` (the earlier-stored one)."""

    article_id: str
    original_id: str
    kind: str  # "exact" or "near"
    jaccard: float
    distance: int  # SimHash bits apart

    @property
    def reason(self) -> str:
        return f"{self.kind} copy: shingle Jaccard {self.jaccard:.2f}, SimHash {self.distance} bits apart"


def normalise(text: str) -> list[str]:
    """Lower-cased words: punctuation, case and spacing changes do not make a new story."""
    return _WORD.findall(text.casefold())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    return _shingles(normalise(text), k)


def _shingles(words: list[str], k: int = SHINGLE) -> set[str]:
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


@dataclass(frozen=True)
class Shingled:
    """A text as ``is_copy`` compares it, computed once (the linker keeps recent ones: a flood
    of same-day wire reports offers each new report the same few dozen candidates)."""

    words: tuple[str, ...]
    found: frozenset[str]

    @classmethod
    def of(cls, text: str) -> "Shingled":
        words = normalise(text)
        return cls(tuple(words), frozenset(_shingles(words)))


def _shingle_hashes(found: AbstractSet[str]) -> np.ndarray:
    """A 64-bit hash of each shingle (the same in every process: no ``hash()`` salt)."""
    return np.fromiter((int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")
                        for s in found), dtype=np.uint64, count=len(found))


def simhash(text: str, found: Optional[AbstractSet[str]] = None) -> int:
    """64-bit SimHash of the text's shingles, as a signed integer (it fits a BIGINT column)."""
    found = shingles(text) if found is None else found
    if not found:
        return 0
    hashes = _shingle_hashes(found)
    bits = (hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)  # one row a shingle
    weights = 2 * bits.sum(axis=0, dtype=np.int64) - len(found)  # +1 for each set bit, -1 for each clear one
    value = sum(1 << bit for bit in range(64) if weights[bit] > 0)
    return value - (1 << 64) if value >= 1 << 63 else value


def minhash(found: AbstractSet[str]) -> np.ndarray:
    """The MinHash signature of a shingle set: ``PERMUTATIONS`` minima of multiply-shift hashes.

    Each row hashes every shingle's 64-bit hash with its own odd multiplier
    and offset (mod 2**64, the top 32 bits kept: Dietzfelbinger's
    multiply-shift, a universal family) and keeps the minimum; two sets agree
    in a row with probability equal to their Jaccard similarity (Broder 1997).
    """
    if not found:
        return np.zeros(PERMUTATIONS, dtype=np.uint64)
    hashes = _shingle_hashes(found)
    with np.errstate(over="ignore"):
        mixed = (hashes[None, :] * _MULTIPLIERS[:, None] + _OFFSETS[:, None]) >> np.uint64(32)
    return mixed.min(axis=1)


def band_keys(text: str, found: Optional[AbstractSet[str]] = None) -> list[int]:
    """The text's LSH band keys: ``BANDS`` keys of ``ROWS`` MinHash rows each, as signed 64-bit
    integers (a BIGINT column), different for each band and for each ``SCHEME``.

    Two texts share a key when their signatures agree in all rows of one
    band: with ``ROWS`` = 2 and ``BANDS`` = 64, a pair at Jaccard 0.39 (the
    lowest of the FA-KES copies, a story with paragraphs cut: containment
    0.99) shares ``MIN_BAND_HITS`` keys with probability 0.9997; a pair at
    Jaccard 0.02 (two unrelated reports of one war) with probability 0.0003.
    """
    found = shingles(text) if found is None else found
    if not found:
        return []
    signature = minhash(found).reshape(BANDS, ROWS)
    keys = set()
    for band, rows in enumerate(signature):
        digest = hashlib.blake2b(rows.tobytes(), digest_size=8, person=_SCHEME_SALT,
                                 salt=band.to_bytes(4, "big")).digest()
        keys.add(int.from_bytes(digest, "big", signed=True))
    return sorted(keys)


def distance(a: int, b: int) -> int:
    """Bits in which two fingerprints differ."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def compare(text_a: str, text_b: str) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger) of the two texts' shingles."""
    return _overlap(shingles(text_a), shingles(text_b))


def _overlap(a: AbstractSet[str], b: AbstractSet[str]) -> tuple[float, float]:
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def is_copy(text_a: str, text_b: str) -> Optional[tuple[str, float]]:
    """("exact" | "near", Jaccard) when ``text_b`` is a copy of ``text_a``, else None."""
    return is_copy_of(Shingled.of(text_a), Shingled.of(text_b))


def is_copy_of(a: Shingled, b: Shingled) -> Optional[tuple[str, float]]:
    """``is_copy`` of two texts already shingled."""
    if a.words == b.words:
        return "exact", 1.0
    jaccard, containment = _overlap(a.found, b.found)
    big_enough = min(len(a.found), len(b.found)) >= MIN_SHINGLES
    if big_enough and (jaccard >= NEAR_JACCARD or containment >= NEAR_CONTAINMENT):
        return "near", jaccard
    return None


def find_original(
    article_id: str, text: str, fingerprint: int, stored: Iterable[tuple[str, int, str]]
) -> Optional[Copy]:
    """The first stored article (``(id, simhash, text)``, in storing order) this one copies."""
    for other_id, other_hash, other_text in stored:
        if other_id == article_id or other_hash is None:
            continue
        bits = distance(fingerprint, other_hash)
        if bits > CANDIDATE_BITS:
            continue
        verdict = is_copy(other_text, text)
        if verdict:
            return Copy(article_id, other_id, verdict[0], verdict[1], bits)
    return None
