"""Letter case restored in case-damaged text, before the parse.

All-capitals wire and radio reports ("COMMANDER X TOLD EFE THAT ...") and
archives stored lower-cased ("police sources said the mob in ...") give the
English model no capitals to find names by: most people, groups and places go
unseen, and with them speakers, actors, places and dates.  ``truecase`` gives such
a text back the case its words usually have, so that every later stage sees
"Commander X told EFE that ..." instead.

It changes letter case only, never length: every character offset of the result
indexes the original text, so spans found in it still point at the article as
ingested (``original_spans`` puts the original characters back into them).  Text
that is not case-damaged is returned unchanged (``damage``).

Each word's case comes, in this order, from

1. a name of several words that the gazetteer or the actor dictionary knows
   ("san salvador", "free syrian army"), written as they write it;
2. the actor dictionary's own spelling of a one-word name ("FMLN", "Hezbollah"),
   unless the word is a common lower-case English word ("IS");
3. the case the word usually has inside an English sentence (``truecase.tsv``,
   built by ``scripts/build_truecase.py`` from the truecase wheel's corpus
   statistics): "said", "China", "U.S.", "Monday";
4. a place the gazetteer knows or a nationality word ("Aleppo", "Gujarati");
5. otherwise a short or unpronounceable word is an acronym ("EFE", "bjp",
   "nhrc") and a longer one a name ("Zacamil", "vejalpur"): the English words are
   all known by then.

The first word of a sentence takes a capital whatever it is.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Optional

from ..data.lexicon import word_sets
from ..records import Record, Span
from .gazetteer import MATCH_ALT, Gazetteer, common_words, demonyms, fold
from .lexicon import rows

MIN_LETTERS = 200  # shorter texts (a headline, a caption) are not judged
UPPER_SHARE = 0.9  # this share of letters in capitals: an all-capitals text
LOWER_SHARE = 0.03  # at most this share of words capitalised: a lower-cased text (page boilerplate may add a few)
LOWER_STARTS = 0.6  # or this share of sentences beginning in lower case
MIN_SENTENCES = 3
COMMON_COUNT = 20  # a word seen this often in lower case is an English word, not a name
KNOWN_COUNT = 5  # below this, the corpus has seen a word too rarely to overrule the gazetteer
ACRONYM_MAX = 3  # unknown capitals words this short stay capitals ("EFE", "DAS")
MAX_PHRASE = 4
STRONG_POPULATION = 100_000  # a town this big is the word's sense even when it is also an English word

WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_OPENING = re.compile(r"[.!?][\"'”’]?\s+[\"'“‘]?([A-Za-z])")
_VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)
_OPENERS = "\"'“‘([«"
TRUECASE_WORDS = word_sets("truecase_words.tsv")


def damage(text: str) -> Optional[str]:
    """ "upper" for an all-capitals text, "lower" for a lower-cased one, else None."""
    letters = [c for c in text if "a" <= c.lower() <= "z"]
    if len(letters) < MIN_LETTERS:
        return None
    upper = sum(1 for c in letters if c.isupper())
    if upper >= UPPER_SHARE * len(letters):
        return "upper"
    words = [w for w in WORD.findall(text) if len(w) > 1]
    if words and sum(1 for w in words if w[0].isupper()) <= LOWER_SHARE * len(words):
        return "lower"
    # A short lower-cased text with a few capitalised words of page boilerplate
    # ("Facebook Twitter"): its sentences still begin in lower case.
    starts = _SENTENCE_OPENING.findall(text)
    if len(starts) >= MIN_SENTENCES and sum(1 for c in starts if c.islower()) >= LOWER_STARTS * len(starts):
        return "lower"
    return None


def truecase(text: str) -> str:
    """``text`` with its usual letter case restored when it is case-damaged; same length."""
    kind = damage(text)
    if kind is None:
        return text
    words = list(WORD.finditer(text))
    forms: list[Optional[str]] = [None] * len(words)
    _phrases(text, words, forms)
    chars = list(text)
    for i, m in enumerate(words):
        form = forms[i] or _word_form(m.group(), kind)
        if _sentence_start(text, m.start(), words[i - 1] if i else None):
            form = form[:1].upper() + form[1:]
        for k, (old, new) in enumerate(zip(m.group(), form)):
            if old != new and old.lower() == new.lower():  # case only: never a different letter
                chars[m.start() + k] = new
    out = "".join(chars)
    assert len(out) == len(text)
    return out


def original_spans(record, text: str):
    """Put the original characters back into every ``Span`` of ``record`` (found in the
    truecased copy of ``text``: same offsets, other case). Returns ``record``."""
    if isinstance(record, Span):
        return Span(record.start, record.end, text[record.start:record.end])
    if isinstance(record, list):
        return [original_spans(x, text) for x in record]
    if isinstance(record, Record) and dataclasses.is_dataclass(record):  # every Record is a dataclass
        for f in dataclasses.fields(record):
            value = getattr(record, f.name)
            if isinstance(value, (Span, Record, list)):
                setattr(record, f.name, original_spans(value, text))
    return record


# ---------------------------------------------------------------- word by word


@functools.lru_cache(maxsize=None)
def usual_forms() -> dict[str, tuple[str, int, int]]:
    """lower-case word -> (its usual form, that form's count, all counts), from ``truecase.tsv``."""
    out = {}
    for r in rows("truecase.tsv"):
        if r and r[0]:
            n = int(r[1]) if len(r) > 1 and r[1].isdigit() else KNOWN_COUNT
            total = int(r[2]) if len(r) > 2 and r[2].isdigit() else n
            out[r[0].lower()] = (r[0], n, total)
    return out


@functools.lru_cache(maxsize=None)
def _actor_names() -> tuple[dict[str, str], dict[str, str]]:
    """(one-word names, names of several words) of the actor dictionary, lower-case -> as written."""
    single: dict[str, str] = {}
    multi: dict[str, str] = {}
    for r in rows("actors.tsv"):
        name = r[0] if r else ""
        if not name or name == name.lower():
            continue
        (multi if " " in name else single)[name.lower()] = name
    return single, multi


def _common(key: str) -> bool:
    """A common English word that is usually written in lower case ("is", "police")."""
    known = usual_forms().get(key)
    return known is not None and known[0] == key and known[2] >= COMMON_COUNT


@functools.lru_cache(maxsize=50_000)
def _word_form(word: str, kind: str) -> str:
    key = word.lower()
    if len(key) == 1:  # "I"; other single letters are initials or stray: as written in capitals text
        return "I" if key == "i" else (word if kind == "upper" and key != "a" else key)
    single, _multi = _actor_names()
    if key in single and not _common(key):
        return single[key]
    known = usual_forms().get(key)
    if known is not None and known[2] >= KNOWN_COUNT:
        return known[0]
    english = _english(key)
    # a word of three letters is more often an acronym ("nda", "mim") than a small town
    if fold(key) in demonyms() or _place_word(key, strong_only=english or len(key) <= ACRONYM_MAX):
        return key.title() if "." not in key else key.upper()
    if known is not None:
        return known[0]
    if english:
        return key
    if len(key) <= ACRONYM_MAX or not _VOWEL.search(key):
        return key.upper()  # "bjp", "nhrc", "EFE": no English word, too short or unpronounceable for a name
    return key[:1].upper() + key[1:]


def _place_word(key: str, strong_only: bool = False) -> bool:
    """A place the gazetteer knows by this name; when the word is also an English word,
    only a country, a province or a big city ("aleppo" yes, "curfew" no)."""
    if len(key) < 3 or fold(key) in common_words():
        return False
    return any(m.match != MATCH_ALT and (not strong_only or m.entry.kind in ("country", "province", "region")
                                         or m.entry.population >= STRONG_POPULATION)
               for m in Gazetteer.default().matches(key))


@functools.lru_cache(maxsize=None)
def _wordnet() -> tuple[dict, dict, dict]:
    """The English model's lemmatizer tables: WordNet's lemmas by part of speech, their
    exceptions ("went") and suffix rules ("-ies" -> "-y")."""
    from .pipeline import get_nlp

    lookups = get_nlp().get_pipe("lemmatizer").lookups
    tables = [lookups.get_table(name) for name in ("lemma_index", "lemma_exc", "lemma_rules")]
    index, exceptions, rules = ({pos: t.get(pos) or {} for pos in ("noun", "verb", "adj", "adv")} for t in tables)
    index = {"all": frozenset(w for words in index.values() for w in words)}
    return index, exceptions, rules


@functools.lru_cache(maxsize=50_000)
def _english(key: str) -> bool:
    """A word of English (WordNet, by lemma: "stabbings", "masterminded", "densely")."""
    index, exceptions, rules = _wordnet()
    lemmas = index["all"]
    if key in lemmas or any(key in exc for exc in exceptions.values()):
        return True
    return any(old and key.endswith(old) and key[: -len(old)] + new in lemmas
               for pos_rules in rules.values() for old, new in pos_rules)


def _phrases(text: str, words: list, forms: list) -> None:
    """Names of several words ("san salvador", "free syrian army"), longest first."""
    _single, multi = _actor_names()
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE, len(words) - i), 1, -1):
            run = words[i: i + n]
            if any(text[a.end(): b.start()] not in (" ", "-", "\n") for a, b in zip(run, run[1:])):
                continue
            keys = [w.group().lower() for w in run]
            if keys[0] == "the":
                continue  # the gazetteer drops a leading article: "the jambusar" is no name
            if all(_common(k) or k in TRUECASE_WORDS.small_words for k in keys):
                continue  # "the state", "new house": every word an ordinary one
            phrase = " ".join(text[run[0].start(): run[-1].end()].lower().split())
            written = re.split(r"[ -]", multi[phrase]) if phrase in multi else _gazetteer_name(phrase)
            if written is None:
                continue
            for k in range(len(run)):
                forms[i + k] = written[k] if k < len(written) else None
            i += n - 1
            break
        i += 1


def _gazetteer_name(phrase: str) -> Optional[list[str]]:
    """The words of a place name of several words as written, when the gazetteer knows it."""
    matches = [m for m in Gazetteer.default().matches(phrase) if m.match != MATCH_ALT]
    if not matches:
        return None
    name = matches[0].entry.name
    parts = re.split(r"[ -]", name)
    target = re.split(r"[ -]", phrase)
    if len(parts) == len(target) and all(fold(a) == fold(b) for a, b in zip(parts, target)):
        return [p if p.lower() == t else t.title() for p, t in zip(parts, target)]
    return [t if t in TRUECASE_WORDS.small_words and k else t.title() for k, t in enumerate(target)]


def _sentence_start(text: str, pos: int, prev) -> bool:
    """The word at ``pos`` opens a sentence: the text's start, a paragraph's, or after
    ". ", "! ", "? " (not after an abbreviation such as "U.S." or "Gen."), or after an
    editor's bracket ("[TEXT] THE ...")."""
    j = pos - 1
    gap = ""
    while j >= 0 and (text[j].isspace() or text[j] in _OPENERS):
        gap += text[j]
        j -= 1
    if j < 0 or "\n\n" in gap[::-1].replace(" ", "").replace("\t", ""):
        return True
    if text[j] == "]":  # "[TEXT] THE ...", "[MAZA] BECAUSE ...": an editor's tag, not "[FULL NAME] SAID"
        opened = text.rfind("[", 0, j)
        return opened >= 0 and len(text[opened:j].split()) <= 2
    if text[j] not in ".!?":
        return False
    if prev is not None and prev.end() >= j and text[j] == ".":
        abbrev = usual_forms().get((prev.group() + ".").lower()) if not prev.group().endswith(".") \
            else usual_forms().get(prev.group().lower())
        if abbrev is not None and abbrev[0][:1].isupper() and abbrev[2] >= KNOWN_COUNT:
            return False
    return True
