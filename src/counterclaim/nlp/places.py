"""Toponyms of a parsed document, resolved against the offline gazetteer.

Recognition has several sources, because the small English model's NER misses
or mislabels many place names ("Edmonton" as an organisation, "Aleppo" as a
nationality or a person, "BEIRUT —" as nothing at all):

1. Datelines: an all-capitals name opening the text, a line or a sentence,
   before a dash, comma or bracket ("BEIRUT —", "EDMONTON, Ky. (WBKO)"), or at
   the start of a line before the sentence ("WASHINGTON Barack Obama ..."). Their
   label is ``DATELINE``: ``geocode`` reads a bare one as a well-known town.
2. NER place entities (GPE, LOC, FAC). One that the gazetteer does not know is
   cut to the known place inside it: any known part when the rest only says what
   kind of area it is ("Enfield Borough", "City of Montreal"), else a well-known
   place ("Granville County Fire Marshal Doug" -> "Granville County").
3. A proper noun that the gazetteer knows, standing where places stand (the
   object of "in", "near", "outside"..., or before "province", "district").
4. Place names inside other entities: an organisation, event or work named
   after a place ("Kentucky State Police", "CTV Edmonton", "University of
   Missouri"), and an entity that is only a place name but was given another
   label ("Edmonton" as ORG). Only well-known places count here (a country, a
   province, a region, a city of ``STRONG_POPULATION`` people), or a name that
   the article uses as a place elsewhere; a PERSON entity only in that last case.
5. A proper noun that the article uses as a place elsewhere (one sense per
   discourse): a lone "Aleppo" that NER left unlabelled.
6. A proper name that an area word introduces or follows ("the village of
   Taduf", "al-Athamiyeh neighborhood"), known to the gazetteer or not.
7. The province or country after a place and a comma, abbreviations included
   ("Wainwright, Alta.", "HOLLIDAY, Mo.").
8. A name listed with a place ("attacks on Aleppo and Deir Ezzor") that the
   article uses as a place or the gazetteer knows, in some spelling; in a list of
   three or more names with a place, every name. A plural area word lists places
   ("the towns of A and B", "A, B and C villages").
9. A name with a bearing from a place ("X north of Y", "X, 10 km east of Y").

Left out: the surname of a person the article names in full ("Bingham" after
"Mayor Ryan Bingham"), unless it is a well-known place; names made only of
direction words ("Far North"), common words and street words (``commonwords.txt``).
NER spans are cleaned first: a possessive ("Kabul's") or a leading article is
not part of a name, and a name NER glued across a paragraph break is dropped.
``geocode`` then decides which gazetteer entry each mention is, using the whole
article as context.
"""

from __future__ import annotations

import dataclasses
import re

from spacy.tokens import Doc, Token

from ..data.lexicon import word_list, word_sets
from ..records import Place, Span
from . import lexicon
from .gazetteer import MATCH_ALT, Gazetteer, common_words, demonym_country, fold, region_demonym
from .geocode import resolve
from .pipeline import ents_of, text_of

PLACE_LABELS = {"GPE", "LOC", "FAC"}
PLACES = word_sets("places.tsv")
NOT_PLACE_LABELS = {"PERSON", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE"}
# Entities whose name may contain a place's ("Kentucky State Police", "the Venice Film Festival").
NAMED_AFTER_LABELS = {"ORG", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
# Labels NER gives to a bare place name by mistake ("Edmonton" ORG, "Aleppo" NORP/LANGUAGE).
MISLABELS = {"ORG", "NORP", "LANGUAGE", "PERSON", "EVENT", "PRODUCT", "WORK_OF_ART", "DATE", "LAW"}
STRONG_POPULATION = 100_000  # a city this big is a place even where NER said organisation
DATELINE_AFTER = re.compile(r"\s*(?:[—–-]|--|,|\()")


def find_places(doc: Doc) -> list[Place]:
    """The places of an article's records. Beyond recognising toponyms (``place_mentions``),
    the ledger follows the conventions of event data: a name used as a modifier
    ("UK-based", "US-led") or naming an organisation in the actor dictionary ("SANA")
    is no place; a province word after a province's name is part of the name
    ("Idlib province"), since it says the province is meant, not its town."""
    text = text_of(doc)
    mentions = [(span, label) for span, label in place_mentions(doc)
                if not _modifier(text, span) and not _organisation(span.text) and not _generic(span.text)]
    places = [_type_word_span(p, text) for p in resolve(mentions, text=text, drop_accidental=True)]
    known = {p.span.start for p in places if p.lat is not None and not _unknown(p)}
    return [p for p in places if (p.lat is not None or p.country is not None) and not _unknown(p)
            or _placed_by_context(doc, p.span) or _listed_with_a_place(doc, p.span, known)]


def _listed_with_a_place(doc: Doc, span: Span, known: set[int]) -> bool:
    """An unknown name in a list of three or more names of which another is a place the
    gazetteer knows ("besides Qarwendi, Tell Omsari and Mosul")."""
    toks = [t for t in doc if span.start <= t.idx < span.end]
    if not toks or not _long_list(doc, toks):
        return False
    members = _listed(doc, toks[0].i - 1, -1) + _listed(doc, toks[-1].i + 1, +1)
    return any(run[0].idx in known for run in members)


def _unknown(place: Place) -> bool:
    """A name the gazetteer does not know, even when ``geocode`` placed it at its container:
    only the sentence can say it is a place at all."""
    return (place.reason or "").startswith("not in gazetteer")


_MODIFIER = re.compile(r"[-‐–][a-z]")
PROVINCE_NAME_WORDS = word_list("places.tsv", "province_name_words")


def _modifier(text: str, span: Span) -> bool:
    """ "UK-based", "US-led", "Britain-backed": the name only qualifies what follows."""
    return bool(_MODIFIER.match(text, span.end))


def _organisation(name: str) -> bool:
    """A name the actor dictionary lists ("SANA", "Daesh"), unless it is also a country or
    province the gazetteer knows (a state's name stands for its government too)."""
    if lexicon.actor(name) is None:
        return False
    gaz = Gazetteer.default()
    return not any(m.entry.kind in ("country", "province") and m.match != MATCH_ALT for m in gaz.matches(name))


_PROVINCE_AFTER = re.compile(r"[ \t]+(?:" + "|".join(PROVINCE_NAME_WORDS) + r")\b", re.IGNORECASE)
_PROVINCE_BEFORE = re.compile(r"\b(?:" + "|".join(PROVINCE_NAME_WORDS) + r")[ \t]+of[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
_TOWN_WORD = re.compile(r"[ \t]+(?:city|town)$", re.IGNORECASE)


def _type_word_span(place: Place, text: str) -> Place:
    """A province's name takes in the province word beside it ("Idlib province", "the
    province of Hassakeh": the province, not its town, is meant, and that is its name); a
    town's name leaves out a "city" or "town" that NER put in ("Hassakeh city"), unless
    the gazetteer knows the whole as a name ("Kuwait City")."""
    start, end = place.span.start, place.span.end
    if place.kind == "province":
        after = _PROVINCE_AFTER.match(text, end)
        before = _PROVINCE_BEFORE.search(text, max(0, start - 30), start)
        if after:
            end = after.end()
        elif before:
            start = before.start()
    elif place.kind == "city" and (town := _TOWN_WORD.search(place.span.text)) \
            and not Gazetteer.default().matches(place.span.text):
        end = start + town.start()
    if (start, end) == (place.span.start, place.span.end):
        return place
    return dataclasses.replace(place, span=Span(start, end, text[start:end]))


def _placed_by_context(doc: Doc, span: Span) -> bool:
    """A name the gazetteer does not know is kept as a place (without coordinates) only
    where the sentence says it is one: after a locative preposition ("in Tall Tawil"),
    beside a word for a kind of place ("the village of X", "X neighbourhood"), or listed
    with places. An unknown name that NER alone called a place ("Takfiri") is dropped."""
    toks = [t for t in doc if span.start <= t.idx < span.end]
    if not toks:
        return False
    first, last = toks[0], toks[-1]
    prev = doc[first.i - 1] if first.i > 0 else None
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and (nxt.lower_ in PLACES.area_nouns | PLACES.type_words | PLACES.area_words):
        return True
    compass = first if first.is_lower and first.lower_ in PLACES.directions else prev
    if compass is not None and compass.is_lower and compass.lower_ in PLACES.directions and compass.i > 0 \
            and doc[compass.i - 1].pos_ == "ADP":
        return True  # "on eastern Zorbana", whether the span has the compass word or not (``_compass_named``)
    if prev is not None and prev.lower_ in ("of", "in", "near", "outside", "at", "from", "into", "around") and \
            (prev.lower_ != "of" or (first.i > 1 and doc[first.i - 2].lower_ in PLACES.area_nouns | PLACES.type_words)):
        return True
    return _locative(toks)


def place_mentions(doc: Doc) -> list[tuple[Span, str]]:
    """Place mentions ``(Span, label)`` of a parsed document, in text order."""
    gaz = Gazetteer.default()
    found = _Found(doc)
    found.add_all(((t, "DATELINE") for t in _datelines(doc, gaz)))
    for ent in ents_of(doc):
        if ent.label_ in PLACE_LABELS:
            tokens = _trim(list(ent))
            if tokens and not _known(gaz, _text(doc, tokens)):
                part = _named_part(gaz, tokens)
                if part is not None and not (_own_words(tokens, part)
                                             and _longer_name(gaz, _text(doc, tokens), _text(doc, part))):
                    tokens = part
            found.add(tokens, ent.label_)
    found.add_all(_gazetteer_mentions(doc, found, gaz))
    seen = _used_as_places(doc, found, gaz)
    found.add_all(_inside_entities(doc, found, gaz, seen))
    # Well-known places found inside other entities count as used too: a lone
    # "Aleppo" that NER called a person is then the city as well.
    seen = _used_as_places(doc, found, gaz)
    found.add_all(_inside_entities(doc, found, gaz, seen))
    found.add_all(_seen_again(doc, found, gaz, seen))
    area = _Found(doc)
    area.add_all(_area_named(doc, found, gaz))
    area.add_all(_compass_named(doc, found, gaz))
    found.add_all(area.items)
    # "the town of X" makes X a place for the rest of the article, where NER may call
    # the bare name a person ("captured X in May")
    found.add_all(_named_again(doc, found, {fold(_text(doc, tokens)) for tokens, _label in area.items}))
    bearing = _Found(doc)
    bearing.add_all(_bearing_from_place(doc, found))
    found.add_all(bearing.items)
    # and so does "X north of Y": X is a place wherever the article names it again
    found.add_all(_named_again(doc, found, {fold(_text(doc, tokens)) for tokens, _label in bearing.items}))
    found.add_all(_after_comma(doc, found, gaz))
    found.add_all(_coordinated(doc, found, gaz, seen))
    found.add_all(_lost_apostrophes(doc, found, gaz))
    _extend_to_longer_names(doc, found, gaz)
    return [m for m in found.spans() if not _surname(m[0].text, doc, gaz)]


def nationality_mentions(doc: Doc) -> list[tuple[Span, str]]:
    """NORP entities as ``(Span, "NORP")``, a hyphenated pair split into its parts
    ("German-Iraqi" -> "German", "Iraqi") when each part is a nationality word."""
    out = []
    for ent in ents_of(doc):
        if ent.label_ != "NORP":
            continue
        parts = [p for p in re.finditer(r"[^-–]+", ent.text)]
        if len(parts) > 1 and all(demonym_country(p.group().strip()) for p in parts):
            for p in parts:
                start = ent.start_char + p.start() + (len(p.group()) - len(p.group().lstrip()))
                text = p.group().strip()
                out.append((Span(start, start + len(text), text), "NORP"))
        else:
            out.append((Span(ent.start_char, ent.end_char, ent.text), "NORP"))
    return out


# ---------------------------------------------------------------- bookkeeping


class _Found:
    """Mentions so far, as token lists; a token belongs to one mention at most."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.items: list[tuple[list[Token], str]] = []
        self.covered: set[int] = set()
        self.wrapped = hard_wrapped(text_of(doc))

    def add(self, tokens: list[Token] | None, label: str, trim: bool = True) -> bool:
        tokens = _trim(tokens or []) if trim else list(tokens or [])
        tokens = _with_article(self.doc, tokens)
        if not tokens or any(t.i in self.covered for t in tokens):
            return False
        text = _text(self.doc, tokens)
        if "\n" in text and not (self.wrapped and text.count("\n") == 1 and "\n\n" not in text):
            return False  # a name glued across a paragraph break; in hard-wrapped text a line may split one
        self.items.append((tokens, label))
        self.covered.update(t.i for t in tokens)
        return True

    def add_all(self, mentions) -> None:
        for tokens, label, *trim in mentions:
            self.add(tokens, label, *trim)

    def spans(self) -> list[tuple[Span, str]]:
        out = []
        for tokens, label in self.items:
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            out.append((Span(start, end, text_of(self.doc)[start:end]), label))
        return sorted(out, key=lambda m: m[0].start)


WRAP_WIDTH = 80


def _with_article(doc: Doc, tokens: list[Token]) -> list[Token]:
    """ "al-Bab", "el-Arish": the Arabic article glued to a name is part of it, whichever
    finder took only the name."""
    if not tokens:
        return tokens
    i = tokens[0].i
    if i >= 2 and doc[i - 1].text in ("-", "‐") and not doc[i - 1].whitespace_ and not doc[i - 2].whitespace_ \
            and doc[i - 2].lower_ in PLACES.name_articles:
        return [doc[i - 2], doc[i - 1], *tokens]
    return tokens


def hard_wrapped(text: str) -> bool:
    """Text broken into short lines (wire and radio transcripts): a single line break
    there is no paragraph break, and may fall inside a name ("SAN\nSALVADOR")."""
    lines = [line for line in text.split("\n") if line.strip()]
    return len(lines) >= 5 and sum(1 for line in lines if len(line) <= WRAP_WIDTH) >= 0.9 * len(lines)


def _trim(tokens: list[Token]) -> list[Token]:
    tokens = [t for t in tokens if not t.is_space]
    while tokens and (tokens[0].lower_ == "the" or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].lower_ in ("'s", "’s", "'", "’") or tokens[-1].is_punct):
        tokens = tokens[:-1]
    return tokens


def _abbreviation(text: str) -> bool:
    """ "U.S.", "B.C.", "Ky.", "Alta.": capitals with dots, or a short word and a dot."""
    return bool(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?|[A-Z][a-z]{0,3}\.", text))


def _text(doc: Doc, tokens: list[Token]) -> str:
    return text_of(doc)[tokens[0].idx: tokens[-1].idx + len(tokens[-1].text)]


# ---------------------------------------------------------------- what the gazetteer says


def _known(gaz: Gazetteer, text: str) -> list:
    """Gazetteer entries for a name, alternate-name-only matches and common words left out."""
    key = fold(text)
    if len(key) < 2 or (key in common_words() and not text.isupper()) or _generic(text):  # "US" is not "us"
        return []
    return [m for m in gaz.matches(text) if m.match != MATCH_ALT]


def _strong(gaz: Gazetteer, text: str) -> bool:
    """A name that is a place wherever it stands: a country, province or region, or a
    big city ("Edmonton"); two letters only for a country ("US", "UK")."""
    if _generic(text):
        return False
    matches = _known(gaz, text)
    if len(fold(text).replace(" ", "")) <= 2:
        return text.isupper() and any(m.entry.kind == "country" for m in matches)
    return any(m.entry.kind in ("country", "province", "region") or m.entry.population >= STRONG_POPULATION
               for m in matches)


def _known_part(gaz: Gazetteer, tokens: list[Token], ok, leading_only: bool = False) -> list[Token] | None:
    """The longest leading, else trailing, run of proper nouns that ``ok`` accepts."""
    doc = tokens[0].doc
    n = len(tokens)
    for size in range(n - 1, 0, -1):
        for part in (tokens[:size],) if leading_only else (tokens[:size], tokens[n - size:]):
            part = _trim(part)
            if part and all(_namelike(t) for t in part) and ok(_text(doc, part)):
                return part
    return None


def _named_part(gaz: Gazetteer, tokens: list[Token]) -> list[Token] | None:
    """The known place inside a place entity the gazetteer does not know: any known part
    when the rest only says what kind of area it is ("Enfield Borough", "City of
    Montreal", "Peace River Valley"), else a well-known place ("Air Berlin")."""
    doc = tokens[0].doc

    def ok(part: list[Token]) -> bool:
        text = _text(doc, part)
        rest = [t for t in tokens if t not in part]
        if rest and all(t.lower_ in PLACES.area_words for t in rest):
            return bool(_known(gaz, text)) and not _generic(text)
        return _strong(gaz, text)

    n = len(tokens)
    for size in range(n - 1, 0, -1):
        for part in (tokens[:size], tokens[n - size:]):
            part = _trim(part)
            if part and all(_namelike(t) for t in part) and ok(part):
                return part
    return None


def _longer_name(gaz: Gazetteer, longer: str, name: str) -> bool:
    """``longer`` (a name with words before or around ``name``) is itself a place of the
    gazetteer in a country where ``name`` is one: "Kuch Bihar" is a town of India, not
    the state of Bihar; "north Lebanon" a governorate, not the country.  Alternate names
    count (the gazetteer knows many towns' everyday spellings only so), but only in the
    country of the shorter name's main sense (the country it names, else its biggest
    place): GeoNames' names include translations, mistakes and namesakes abroad ("East
    Jordan" is a town in Michigan), which the country check keeps out."""
    if _generic(longer) or fold(longer) == fold(name):
        return False
    known = _known(gaz, name)
    if not known:
        return False
    main = max(known, key=lambda m: (m.entry.kind == "country", m.entry.population))
    return any(m.entry.country == main.entry.country and m.entry.kind in LONGER_NAME_KINDS
               for m in gaz.matches(longer))


LONGER_NAME_KINDS = ("city", "province", "district")


def _own_words(tokens: list[Token], part: list[Token]) -> bool:
    """The words of an entity beyond its known part are a name's own ("Kuch" of "Kuch
    Bihar"), not words saying what kind of place or which side of it ("Antipolo City
    airport", "Calamba East Mayor"): those leave the known part the place."""
    rest = [t for t in tokens if t not in part]
    generic = PLACES.directions | PLACES.area_words | PLACES.area_nouns | PLACES.type_words
    return bool(rest) and not any(t.lower_ in generic or fold(t.text) in common_words() for t in rest)


def _extend_to_longer_names(doc: Doc, found: _Found, gaz: Gazetteer) -> None:
    """A mention with one or two words before it that make, with it, a longer name of the
    gazetteer ("north Lebanon", a governorate; "chinna salem" in a text all in lower
    case, where NER took only the capitalised part) is that longer name: the words before
    are part of the name, not an adjective of the shorter, bigger place.  The words must
    be capitalised (restored case capitalises known names in a text all in lower case),
    or be a compass word, which counts although it is a common word: "north Lebanon" is
    a governorate; "downtown" before a city is no name's."""
    for n, (tokens, label) in enumerate(found.items):
        first = tokens[0].i
        for size in (2, 1):
            if first - size < 0:
                continue
            before = list(doc[first - size: first])
            if any(t.i in found.covered or not t.is_alpha or t.is_stop or "\n" in t.whitespace_
                   or (fold(t.text) in common_words() and t.lower_ not in PLACES.directions)
                   or not (t.text[:1].isupper() or t.lower_ in PLACES.directions) for t in before):
                continue  # "downtown Moncton": a lower-case word other than a compass word describes
            longer = [*before, *tokens]
            if _longer_name(gaz, _text(doc, longer), _text(doc, tokens)):
                found.items[n] = (longer, label)
                found.covered.update(t.i for t in before)
                break


def _namelike(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or (tok.text[:1].isupper() and tok.is_alpha) or _abbreviation(tok.text)


# ---------------------------------------------------------------- the sources


def _datelines(doc: Doc, gaz: Gazetteer):
    """ "BEIRUT —", "EDMONTON, Ky. (WBKO)": an all-capitals name opening the text, a
    line or a sentence, before a dash, comma or bracket; and a well-known place opening
    the text before a colon, in any case ("Lahore: police said ...")."""
    first = next((t for t in doc if not t.is_space), None)
    if first is not None and not first.is_upper:  # "Lahore: a mob ..." (a city that needs no capitals)
        run = _name_run(doc, first.i, +1)
        after = run[-1].i + 1 if run else len(doc)
        if run and after < len(doc) and doc[after].text == ":" and _strong(gaz, _text(doc, run)) \
                and "\n" not in _text(doc, run):
            yield run
    i = 0
    while i < len(doc):
        tok = doc[i]
        line = i == 0 or doc[i - 1].is_space or "\n" in doc[i - 1].text_with_ws
        starts = line or doc[i - 1].text in (".", "!", "?")
        if not (starts and tok.is_alpha and tok.is_upper and len(tok.text) >= 3):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and (doc[j + 1].is_upper and (doc[j + 1].is_alpha or doc[j + 1].text.endswith("."))) \
                and not doc[j].whitespace_ == "" and "\n" not in doc[j].whitespace_:
            j += 1
        tokens = list(doc[i: j + 1])
        # "DETROIT The U.S. ...": at the start of a line, the capitals may also stop
        # where the sentence begins.
        rest = text_of(doc)[tokens[-1].idx + len(tokens[-1].text):]
        name = _text(doc, tokens)
        if (DATELINE_AFTER.match(rest) or (line and re.match(r"\s+[A-Z][a-z]", rest))) and _known(gaz, name.title()):
            yield tokens
        i = j + 1


def _gazetteer_mentions(doc: Doc, found: _Found, gaz: Gazetteer):
    """Proper-noun runs NER left out (or called an organisation) that the gazetteer
    knows and that stand in a place's position in the sentence."""
    for tokens in _propn_runs(doc, found):
        if tokens[0].ent_type_ == "ORG" and len(tokens) > 1:
            continue  # a multi-word organisation ("Kabul University") is not the place
        text = _text(doc, tokens)
        if not (_locative(tokens) or _targeted(tokens) and _strong(gaz, text)):
            continue
        if len(text) >= 3 and _known(gaz, text):
            yield tokens, "GPE"
    yield from _person_in_place(doc, found, gaz)


def _person_in_place(doc: Doc, found: _Found, gaz: Gazetteer):
    """ "a report from the town ... exploded in the air over Zacatecoluca": a single word
    that NER called a person but that stands right after a strictly locative preposition
    and that the gazetteer knows as a town (NER takes unknown capitalised words for
    names, most of all in text whose case was restored)."""
    for ent in ents_of(doc):
        if ent.label_ != "PERSON" or len(ent) != 1 or ent[0].i in found.covered or ent[0].i == 0:
            continue
        prev = doc[ent[0].i - 1]
        if prev.lower_ in PLACES.strict_locatives and ent[0].dep_ == "pobj" and len(ent.text) >= 4 \
                and any(m.entry.kind == "city" for m in _known(gaz, ent.text)):
            yield [ent[0]], "GPE"


def _propn_runs(doc: Doc, found: _Found):
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.i in found.covered or tok.pos_ != "PROPN" or tok.ent_type_ in NOT_PLACE_LABELS:
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].i not in found.covered \
                and doc[j + 1].ent_type_ not in NOT_PLACE_LABELS:
            j += 1
        tokens = _trim(list(doc[i: j + 1]))
        i = j + 1
        if tokens:
            yield tokens


def _inside_entities(doc: Doc, found: _Found, gaz: Gazetteer, seen: set[str]):
    """Place names that NER put inside, or mislabelled as, another kind of entity."""
    for ent in ents_of(doc):
        if ent.label_ in PLACE_LABELS or ent.label_ not in MISLABELS | NAMED_AFTER_LABELS:
            continue
        tokens = _trim([t for t in ent if t.i not in found.covered])
        if not tokens:
            continue
        text = _text(doc, tokens)
        if ent.label_ == "NORP" and demonym_country(text):
            continue  # a nationality word: context, or a country mention of its own
        whole_ok = fold(text) in seen or ((ent.label_ != "PERSON" or _targeted(tokens)) and _strong(gaz, text))
        if whole_ok and len(tokens) == len(_trim([t for t in ent])):
            yield tokens, "GPE"
            continue
        if ent.label_ not in NAMED_AFTER_LABELS:
            continue
        # "Kentucky State Police", "CTV Edmonton", "University of Missouri", "EU-Canada";
        # a law, event or work is named after a place at its start ("Alberta Health Act"),
        # not at its end ("Cuban Adjustment Act").
        leading = ent.label_ not in ("ORG", "FAC")
        for segment in _segments(tokens):
            part = segment if len(segment) < len(tokens) and _place_name(gaz, doc, segment, seen) else \
                _known_part(gaz, segment, lambda t: fold(t) in seen or _strong(gaz, t), leading)
            if part is None and len(segment) > 2:
                part = _after_of(gaz, segment, seen)
            if part:
                yield part, "GPE"


def _surname(text: str, doc: Doc, gaz: Gazetteer) -> bool:
    """ "Bingham" after "Mayor Ryan Bingham": a name the article gives a person in full,
    unless it is a well-known place ("Washington" beside "George Washington")."""
    key = fold(text)
    if " " in key or _strong(gaz, text):
        return False
    return key in _surnames(doc)


def _surnames(doc: Doc) -> set[str]:
    """Last words of the full names of people in the article ("Ryan Bingham")."""
    return {fold(ent[-1].text) for ent in ents_of(doc) if ent.label_ == "PERSON" and len(ent) > 1}


def _used_as_places(doc: Doc, found: _Found, gaz: Gazetteer) -> set[str]:
    """Folded names the article itself uses as places: a mention so far that is a
    well-known place, or stands where places stand ("in Innisfail"). A name the article
    also gives a person ("Christopher Steele", then "Steele") is left out."""
    # Full names only: NER also calls a lone "Cairns" or "Edmonton" a person.
    people = _surnames(doc)
    seen = set()
    for tokens, _label in found.items:
        text = _text(doc, tokens)
        key = fold(text)
        if key in people or _generic(text) or not _known(gaz, text):
            continue
        if _strong(gaz, text) or _locative(tokens):
            seen.add(key)
    return seen


def _generic(text: str) -> bool:
    """ "Far North", "North-West", "Central": direction words name provinces in some
    countries (Cameroon, South Africa), but inside other names they are just directions."""
    return all(w in PLACES.directions for w in fold(text).split())


def _place_name(gaz: Gazetteer, doc: Doc, tokens: list[Token], seen: set[str]) -> bool:
    text = _text(doc, tokens)
    return fold(text) in seen or _strong(gaz, text)


def _segments(tokens: list[Token]) -> list[list[Token]]:
    """Parts of a name joined by hyphens or slashes ("Middlesex-London EMS"); an Arabic
    article stays with its name ("al-Bab" is one name, not "al" and "Bab")."""
    out: list[list[Token]] = []
    cur: list[Token] = []
    for t in tokens:
        if t.text in ("-", "–", "/") and not t.whitespace_ == " " and not (
                len(cur) == 1 and cur[0].lower_ in PLACES.name_articles):
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        out.append(cur)
    return out


def _after_of(gaz: Gazetteer, tokens: list[Token], seen: set[str]) -> list[Token] | None:
    """ "University of Missouri Extension" -> "Missouri"."""
    doc = tokens[0].doc
    for k, t in enumerate(tokens[:-1]):
        if t.lower_ != "of":
            continue
        run: list[Token] = []
        for u in tokens[k + 1:]:
            if u.lower_ == "the" and not run:
                continue
            if not _namelike(u):
                break
            run.append(u)
        for size in range(len(run), 0, -1):
            part = _trim(run[:size])
            if part and (fold(_text(doc, part)) in seen or _strong(gaz, _text(doc, part))):
                return part
    return None


def _seen_again(doc: Doc, found: _Found, gaz: Gazetteer, seen: set[str]):
    """A proper noun (or leading part of a run) that the article uses as a place elsewhere."""
    for tokens in _propn_runs(doc, found):
        if fold(_text(doc, tokens)) in seen:
            yield tokens, "GPE"
            continue
        part = _known_part(gaz, tokens, lambda t: fold(t) in seen)
        if part is not None and part[0] is tokens[0] and part[-1].i + 1 < len(doc) \
                and doc[part[-1].i + 1].ent_type_ != "PERSON":
            yield part, "GPE"


def _named_again(doc: Doc, found: _Found, names: set[str]):
    """An entity of another label whose whole text is a name the article introduced as a
    place with a word for a settlement or area ("the town of X" ... "captured X")."""
    if not names:
        return
    for ent in ents_of(doc):
        if ent.label_ in PLACE_LABELS or ent.label_ not in MISLABELS:
            continue
        tokens = _trim([t for t in ent if t.i not in found.covered])
        if tokens and len(tokens) == len(ent) and fold(_text(doc, tokens)) in names:
            yield tokens, "GPE"


def _area_named(doc: Doc, found: _Found, gaz: Gazetteer):
    """ "the village of Taduf", "al-Athamiyeh neighborhood", "Tall Tawil village": a
    proper name that a word for a kind of settlement or area introduces or follows is a
    place, whatever NER called it and whether or not the gazetteer knows it (an unknown
    one stays a place without coordinates; ``geocode`` may know its other spellings)."""
    for tok in doc:
        plural = tok.lower_ in PLACES.plural_area_nouns
        if (tok.lower_ not in PLACES.area_nouns and not plural) or tok.pos_ != "NOUN":
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if plural and not tok.is_lower:
            continue  # "Evacuees From Besieged Towns": a headline's capitals name nothing
        runs = [_name_run(doc, tok.i - 1, -1)]  # "the Zarnakot area (of Lahore)"
        if plural and runs[0]:
            more = _listed(doc, runs[0][0].i - 1, -1)  # "Zarnakot, Qadri and Bilal areas"
            runs = runs + more if more else []  # "two Shiite villages": no list, no names
        if nxt is not None and nxt.lower_ == "of":
            runs.append(_name_run(doc, nxt.i + 1, +1))  # "the village of Taduf"
            if plural and runs[-1]:
                runs += _listed(doc, runs[-1][-1].i + 1, +1)  # "the towns of Taduf and Qabasin"
        for run in runs:
            if run and not any(t.i in found.covered for t in run):
                text = _text(doc, run)
                if fold(text) not in common_words() and not _generic(text) and not _surname(text, doc, gaz):
                    yield run, "GPE"


def _compass_named(doc: Doc, found: _Found, gaz: Gazetteer):
    """ "the bombs landed on eastern Zorbana", "jets struck targets in northern Logar": a
    proper name that a lower-case compass word leads, as the object of a preposition, is
    a place whatever NER called it (nothing, or a person: the compass word makes it
    geography).  The gazetteer decides the span: a name it knows with the compass word
    ("in the northern Cape", a province) is the whole; a name it knows alone is the name; a name
    it does not know at all is a region's part, named with its compass word ("eastern
    Zorbana")."""
    for tok in doc:
        if not (tok.is_lower and tok.lower_ in PLACES.directions and tok.pos_ == "ADJ") or tok.i == 0 \
                or doc[tok.i - 1].pos_ != "ADP":
            continue
        run = _name_run(doc, tok.i + 1, +1)
        if not run or run[0].i != tok.i + 1 or any(
                t.i in found.covered or (t.ent_type_ in NOT_PLACE_LABELS and t.ent_type_ != "PERSON") for t in run):
            continue
        text = _text(doc, run)
        if fold(text) in common_words() or _generic(text) or _surname(text, doc, gaz):
            continue
        if _known(gaz, _text(doc, [tok, *run])):
            yield [tok, *run], "LOC"
        elif gaz.matches(text):
            yield run, "LOC"
        else:
            yield [tok, *run], "LOC"


def _bearing_from_place(doc: Doc, found: _Found):
    """ "Kafr Mirza north of Aleppo", "Tell Zorva, 10 km east of Raqqa": a proper name that
    a bearing from a place follows is a place itself, whatever NER called it."""
    starts = {tokens[0].i for tokens, label in found.items if label in ("GPE", "LOC", "DATELINE")}
    for tok in doc:
        if tok.lower_ != "of" or tok.i + 1 not in starts or tok.i < 2 or doc[tok.i - 1].lower_ not in PLACES.bearings:
            continue
        k = tok.i - 2
        if k >= 1 and doc[k].lower_ in PLACES.distance_units and doc[k - 1].like_num:
            k -= 2  # "10 km east of"
        while k >= 0 and doc[k].lower_ in ("some", "about", "around", "just", "roughly", ","):
            k -= 1
        run = _name_run(doc, k, -1)
        if run and not any(t.i in found.covered for t in run):
            text = _text(doc, run)
            if fold(text) not in common_words() and not _generic(text):
                yield run, "GPE"


def _listed(doc: Doc, start: int, step: int) -> list[list[Token]]:
    """The further names of a list that a plural area word governs ("the towns of A, B
    and C"; "A, B and C villages"), walking from ``start`` in direction ``step``."""
    out: list[list[Token]] = []
    k = start
    while 0 <= k < len(doc) and len(out) < 8:
        seps = 0
        while 0 <= k < len(doc) and seps < 2 and (doc[k].text == "," or doc[k].lower_ in ("and", "or")):
            seps += 1
            k += step
        run = _name_run(doc, k, step) if seps else []
        if not run:
            break
        out.append(run)
        k = (run[-1].i + 1) if step > 0 else (run[0].i - 1)
    return out


def _coordinated(doc: Doc, found: _Found, gaz: Gazetteer, seen: set[str]):
    """ "attacks on Aleppo and Deir Ezzor", "Douma, Saqba and Harasta": a name listed with
    a place (NER often takes such a pair for one title) is a place when the article uses
    it as one or the gazetteer knows it; after "and" or "or", in another spelling too."""
    for tokens, _label in list(found.items):
        k = tokens[-1].i + 1
        while k < len(doc):
            seps: list[str] = []
            while k < len(doc) and len(seps) < 2 and (doc[k].text == "," or doc[k].lower_ in ("and", "or")):
                seps.append(doc[k].lower_)
                k += 1
            run = _name_run(doc, k, +1) if seps else []
            if not run or any(t.i in found.covered for t in run):
                break
            text = _text(doc, run)
            joined = "and" in seps or "or" in seps
            if not (fold(text) in seen or _known(gaz, text) or (joined and gaz.spelling_matches(text))
                    or _long_list(doc, tokens)):
                break
            yield run, "GPE"
            k = run[-1].i + 1
    for tokens, _label in list(found.items):
        if _long_list(doc, tokens):  # the names listed before the place
            for run in _listed(doc, tokens[0].i - 1, -1):
                if not any(t.i in found.covered for t in run):
                    yield run, "GPE"


def _long_list(doc: Doc, tokens: list[Token]) -> bool:
    """A place among three or more names listed with commas and a closing "and" / "or"
    ("besides Qarwendi, Tell Omsari, Dumsal and Hama"): the list is one of places."""
    before = _listed(doc, tokens[0].i - 1, -1)
    after = _listed(doc, tokens[-1].i + 1, +1)
    names = len(before) + len(after) + 1
    seps = {doc[i].lower_ for run in before + after for i in (run[0].i - 1, run[-1].i + 1) if 0 <= i < len(doc)}
    commas = [i for i in range(max(0, tokens[0].i - 2), min(len(doc), tokens[-1].i + 2)) if doc[i].text == ","]
    return names >= 3 and bool(seps & {"and", "or"}) and (bool(commas) or "," in seps)


def _name_run(doc: Doc, start: int, step: int) -> list[Token]:
    """Proper-name tokens from ``start`` onwards (step +1) or backwards (step -1): capitalised
    words, joined by hyphens, with an Arabic article ("al-Bab", "Bab al-Nayrab")."""
    run: list[Token] = []
    i = start
    while 0 <= i < len(doc) and len(run) < 5:
        t = doc[i]
        glued = t.text in ("-", "‐") and not t.whitespace_ and i > 0 and not doc[i - 1].whitespace_
        article = t.lower_ in PLACES.name_articles and i + 1 < len(doc) and doc[i + 1].text in ("-", "‐") and not t.whitespace_
        name = t.is_alpha and t.text[:1].isupper() and t.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL") \
            and not demonym_country(t.text) and not region_demonym(t.text)  # "the Syrian village"
        if not (name or glued or article) or (step < 0 and t.is_sent_start and not name):
            break
        run.append(t)
        if step < 0 and t.is_sent_start:
            break
        i += step
    run = run if step > 0 else run[::-1]
    while run and not (run[-1].is_alpha and run[-1].text[:1].isupper()):
        run.pop()  # "the town of al-" never ends a name
    while run and not (run[0].is_alpha and (run[0].text[:1].isupper() or run[0].lower_ in PLACES.name_articles)):
        run.pop(0)
    if run and run[0].is_sent_start and len(run) == 1 and run[0].pos_ != "PROPN":
        return []  # "Village elders said": a sentence's first word is capitalised anyway
    return run


def _lost_apostrophes(doc: Doc, found: _Found, gaz: Gazetteer):
    """ "Pakistans army", "Karachis port": a possessive whose apostrophe was lost in
    copying, whatever NER called it, when the name without its "s" is a well-known place
    and the word itself is none (``geocode`` then leaves the "s" out of the span)."""
    for tok in doc:
        text = tok.text
        if tok.i in found.covered or len(text) < 5 or not text.endswith("s") or not text[:1].isupper() \
                or not text[:-1].isalpha() or tok.ent_type_ in ("DATE", "TIME"):
            continue
        if not _known(gaz, text) and _strong(gaz, text[:-1]) and not demonym_country(text):
            yield [tok], "GPE"


def _after_comma(doc: Doc, found: _Found, gaz: Gazetteer):
    """ "Wainwright, Alta.", "HOLLIDAY, Mo.", "Paris, Texas": the province or country that
    follows a place and a comma."""
    for tokens, _label in list(found.items):
        k = tokens[-1].i + 1
        if k + 1 >= len(doc) or doc[k].text != ",":
            continue
        run = []
        for t in doc[k + 1: k + 5]:
            if t.i in found.covered or not (_namelike(t) or t.text == "."):
                break
            run.append(t)
        for size in range(len(run), 0, -1):
            part = _trim(run[:size])
            if not part:
                continue
            text = _text(doc, part)
            if any(m.entry.kind in ("province", "country") for m in _known(gaz, text)):
                nxt = doc[part[-1].i + 1] if part[-1].i + 1 < len(doc) else None
                if nxt is not None and nxt.text == "." and not part[-1].whitespace_ and _abbreviation(text + "."):
                    part = part + [nxt]  # "Alta." with its dot, as written
                yield part, "GPE", False
                break


def _targeted(tokens: list[Token]) -> bool:
    """The name is what an assault verb hits ("shelled Aleppo"): with a big city, a province
    or a country that is the place, whatever NER called it ("attacked Kharkiv" as a person)."""
    head = tokens[-1]
    while head.dep_ in ("compound", "flat") and head.head.i != head.i:
        head = head.head
    return head.dep_ in ("dobj", "obj", "npadvmod", "nsubjpass") and head.head.pos_ == "VERB" \
        and head.head.lemma_.lower() in PLACES.assault_verbs


def _locative(tokens: list[Token]) -> bool:
    last = tokens[-1]
    nxt = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
    if nxt is not None and nxt.lower_ in PLACES.type_words:
        return True
    head = last
    while head.dep_ in ("compound", "flat") and head.head.i != head.i:
        head = head.head
    if head.dep_ == "pobj" and head.head.lower_ in PLACES.locative_preps:
        return True
    if head.dep_ == "conj":
        first = head.head
        return first.ent_type_ in PLACE_LABELS or (first.dep_ == "pobj" and first.head.lower_ in PLACES.locative_preps)
    return False
