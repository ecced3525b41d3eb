"""A cheap language guess, so non-English articles can be reported, not silently misread.

The nlp stage only has an English pipeline; it needs to know which articles
it should skip or flag.  No model and no download: the dominant script
decides for non-Latin text (with a few tell-tale letters to separate
languages sharing a script), and for Latin script the share of tokens that
are very common function words of English, French, Spanish, German,
Portuguese, Italian or Dutch.  News prose has 30-50% function words, so a
clear winner is reliable on a paragraph; anything unclear is ``"und"``
(BCP 47 for undetermined) rather than a wrong guess.
"""

from __future__ import annotations

import re

UNDETERMINED = "und"
_SAMPLE_CHARS = 20_000
_MIN_SHARE = 0.12  # of tokens that are the best language's function words
_MIN_HITS = 3
_MARGIN = 1.5  # best share over the runner-up

_STOPWORDS = {
    "en": "the of and to in a is that for on with as was by at from it said were has have he his "
    "be are an this which not but they their after who had been will would its or",
    "fr": "le la les de des du et est un une dans que qui pour pas sur au aux avec par ce il elle "
    "ont été selon mais ses son sont cette",
    "es": "el la los las de del y que en un una por con para es se al su sus fue según como más "
    "pero ha han este esta",
    "de": "der die das und ist nicht mit den dem des ein eine zu von auf für sich im auch wurde "
    "sind nach bei wie oder hat",
    "pt": "o a os as de do da dos das e que em um uma para com não por no na foi ao segundo mais "
    "seu sua são",
    "it": "il lo la gli le di del della e che in un una per con non sono è al da dei anche "
    "secondo ha stato",
    "nl": "de het een en van in is dat op te met voor niet zijn die werd door aan ook naar heeft "
    "bij er",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+")

# (first, last code point, script)
_SCRIPTS = (
    (0x0041, 0x024F, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x04FF, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1200, 0x137F, "Ethiopic"),
    (0x3040, 0x30FF, "Kana"),
    (0x4E00, 0x9FFF, "Han"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0xFB50, 0xFEFF, "Arabic"),
)
_SINGLE_SCRIPT = {
    "Greek": "el",
    "Armenian": "hy",
    "Hebrew": "he",
    "Devanagari": "hi",
    "Thai": "th",
    "Georgian": "ka",
    "Ethiopic": "am",
    "Kana": "ja",
    "Hangul": "ko",
}
# Letters that only one of the languages written in Arabic script uses (checked in this order).
_ARABIC_TELLS = (("ps", "ټډړږښګڼېۍ"), ("ur", "ٹڈڑںےھ"), ("fa", "پچژگی"))


def _script(ch: str) -> str | None:
    cp = ord(ch)
    for first, last, name in _SCRIPTS:
        if first <= cp <= last:
            return name
    return None


def guess_language(text: str) -> str:
    """An ISO 639-1 code, or ``"und"`` when the text does not say clearly."""
    sample = text[:_SAMPLE_CHARS]
    counts: dict[str, int] = {}
    for ch in sample:
        if ch.isalpha():
            script = _script(ch)
            if script:
                counts[script] = counts.get(script, 0) + 1
    if not counts:
        return UNDETERMINED
    script = max(counts, key=counts.__getitem__)
    if counts[script] < 0.5 * sum(counts.values()):
        return UNDETERMINED
    if script == "Latin":
        return _latin(sample)
    if script == "Han":  # kana anywhere means Japanese, which also writes Han
        return "ja" if counts.get("Kana", 0) > 0.05 * counts["Han"] else "zh"
    if script == "Cyrillic":
        return "uk" if any(c in sample for c in "іїєґІЇЄҐ") else "ru"
    if script == "Arabic":
        for lang, tells in _ARABIC_TELLS:
            if any(c in sample for c in tells):
                return lang
        return "ar"
    return _SINGLE_SCRIPT.get(script, UNDETERMINED)


def _latin(sample: str) -> str:
    tokens = _TOKEN.findall(sample.lower())
    if not tokens:
        return UNDETERMINED
    hits = {lang: sum(t in words for t in tokens) for lang, words in _WORDS.items()}
    ranked = sorted(hits, key=hits.__getitem__, reverse=True)
    best, second = ranked[0], ranked[1]
    share = hits[best] / len(tokens)
    if hits[best] >= _MIN_HITS and share >= _MIN_SHARE and hits[best] >= _MARGIN * hits[second]:
        return best
    return UNDETERMINED
