"""Build src/counterclaim/data/lexicons/truecase.tsv: each English word in its usual case.

    pip install 'truecase==0.0.14'      # or: pip download --no-deps truecase==0.0.14, unzip
    python scripts/build_truecase.py [PATH/TO/english.dist]

The source is the case statistics that ship inside the ``truecase`` wheel on PyPI
(``truecase/data/english.dist``: unigram and bigram counts over the NLTK English
corpora, Brown, Reuters, SemCor, CoNLL-2000 and others; the wheel's metadata says MIT,
its LICENSE file Apache-2.0).  Only a derived fact is kept: for every word seen at
least twice, the casing it has most often *inside* a sentence (a capital after a
full stop says nothing, so occurrences after sentence punctuation are left out when
the word has several casings).  ``counterclaim.nlp.truecase`` reads the table to
restore case in all-capitals and all-lower-case text.

The file is a pickle of ``nltk.FreqDist`` objects.  It is read with an unpickler that
admits only ``Counter`` (standing in for ``FreqDist``, its subclass), ``dict`` and
``set``, so neither nltk nor any other class is loaded or run.
"""

from __future__ import annotations

import collections
import importlib.util
import pickle
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "counterclaim" / "data" / "lexicons" / "truecase.tsv"
MIN_COUNT = 2
# Tokens after which a capital is the sentence's, not the word's.
SENTENCE_STARTERS = {".", "!", "?", "``", "''", ":", ";", "--", "(", "'"}
WORD_CHARS = set(".-'&")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if module.startswith("nltk") and name == "FreqDist":
            return collections.Counter
        if module == "builtins" and name in ("dict", "set"):
            return getattr(__import__("builtins"), name)
        if module == "collections" and name == "Counter":
            return collections.Counter
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def default_dist() -> Path:
    spec = importlib.util.find_spec("truecase")  # locates the package without importing it (it needs nltk)
    if spec is None or not spec.submodule_search_locations:
        sys.exit("truecase is not installed: pip install 'truecase==0.0.14', or give the path of english.dist")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "english.dist"


def usual_forms(dist: dict) -> dict[str, tuple[str, int, int]]:
    """lower-case word -> (its usual form inside a sentence, that form's count, all counts)."""
    uni, backward, casings = dist["uni_dist"], dist["backward_bi_dist"], dist["word_casing_lookup"]
    inside: collections.Counter = collections.Counter()
    for key, count in backward.items():  # "previous_word" keys, kept for words with several casings
        prev, _, word = key.rpartition("_")
        if prev not in SENTENCE_STARTERS:
            inside[word] += count
    out = {}
    for low, forms in casings.items():
        if not all(ch.isalpha() or ch in WORD_CHARS for ch in low) or not any(ch.isalpha() for ch in low):
            continue
        total = sum(uni[f] for f in forms)
        if total < MIN_COUNT:
            continue
        counts = {f: inside[f] for f in forms} if len(forms) > 1 else {f: uni[f] for f in forms}
        if not any(counts.values()):
            counts = {f: uni[f] for f in forms}
        best = max(sorted(counts), key=lambda f: (counts[f], f == low))
        out[low] = (best, counts[best], sum(counts.values()))
    return out


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default_dist()
    with path.open("rb") as fh:
        dist = _Unpickler(fh).load()
    forms = usual_forms(dist)
    lines = [
        "# Each English word in the case it usually has inside a sentence: built by",
        "# scripts/build_truecase.py from the case statistics in the truecase 0.0.14 wheel (PyPI;",
        "# NLTK English corpora). Read by counterclaim.nlp.truecase. Columns: form, count of that",
        "# form, count of all forms. Do not edit by hand: add words to your own truecase.tsv instead.",
    ]
    lines += [f"{form}\t{n}\t{total}" for _low, (form, n, total) in sorted(forms.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cased = sum(1 for low, (form, _, _) in forms.items() if form != low)
    print(f"{OUT.relative_to(REPO)}: {len(forms)} words, {cased} usually not lower-case")


if __name__ == "__main__":
    main()
