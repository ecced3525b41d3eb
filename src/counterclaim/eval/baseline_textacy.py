"""textacy's ``direct_quotations`` as an attribution baseline (speaker, cue, content).

textacy is a test/eval extra, not a runtime dependency: without it the
baseline reports why it is missing instead of failing the evaluation.
textacy bails out of a whole document when its quote marks do not pair up
(an odd count); such a document yields no quotation and is counted in
``skipped``.
"""

from __future__ import annotations

from typing import Optional


def token_fragments(tokens) -> Optional[tuple[tuple[int, int], ...]]:
    """Character fragments of a token list: one per run of adjacent tokens."""
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    frags: list[tuple[int, int]] = []
    run_start, prev = toks[0], toks[0]
    for tok in toks[1:]:
        if tok.i != prev.i + 1:
            frags.append((run_start.idx, prev.idx + len(prev.text)))
            run_start = tok
        prev = tok
    frags.append((run_start.idx, prev.idx + len(prev.text)))
    return tuple(frags)


class TextacyBaseline:
    """Callable ``(doc, article_id) -> list[PredAttribution]``."""

    def __init__(self) -> None:
        self.skipped = 0
        self.error: Optional[str] = None
        self.version: Optional[str] = None
        try:
            import textacy
            from textacy.extract.triples import direct_quotations
        except ImportError as exc:  # pragma: no cover - depends on the environment
            self._fn = None
            self.error = f"textacy is not installed ({exc}); pip install 'counterclaim[test]'"
        else:
            self._fn = direct_quotations
            self.version = getattr(textacy, "__version__", "?")

    @property
    def available(self) -> bool:
        return self._fn is not None

    def __call__(self, doc, article_id: str = ""):
        from .polnear import PredAttribution

        assert self._fn is not None, "called only when available"
        try:
            triples = list(self._fn(doc))
        except ValueError:
            if article_id != "warm-up":
                self.skipped += 1
            return []
        out = []
        for t in triples:
            content = (t.content.start_char, t.content.end_char)
            if content[1] <= content[0]:
                continue
            out.append(PredAttribution(
                content=(content,),
                cue=token_fragments(t.cue),
                source=token_fragments(t.speaker),
            ))
        return out
