"""The finest place of an event when its own sentence does not name it.

Two habits of news writing leave an event at country level although the story
names its town:

- **The lead describes, a later sentence names.** "A car bomb struck a crowded
  market in a Kurdish town in northern Syria on Wednesday" - and the next
  sentence: "The blast in X killed ...", or "The town of X was ...".  The lead's
  only name is the country; its indefinite "a town" promises a place the story
  names next.  ``described_sites`` finds that noun and ``named_after`` the first
  town-sized place the following sentences name, in the same country.
- **A sentence tells the event again with its place.** "A suicide bomber killed
  22 people in Y province" - "The bomber detonated his vest in a mosque in X
  town": the second sentence is the same event (it adds no event of its own),
  and X lies inside Y.  ``finer_inside`` says whether a place named there is a
  finer place of the event's (a town in its province or country); the event then
  takes it.  ACLED codes the finest named location.  An event told with no place
  at all takes the first town such a sentence names (``first_town``).

Both keep what they did in the event's ``reason``.  Word lists: ``places.tsv``
(``unnamed_sites``, ``indefinite_determiners``).
"""

from __future__ import annotations

from typing import Optional, Sequence

from spacy.tokens import Span as TokenSpan, Token

from ..data.lexicon import word_sets
from ..records import Place
from .gazetteer import fold
from .pipeline import sent_of

PLACES = word_sets("places.tsv")
EVENTS = word_sets("events.tsv")
COARSE_KINDS = frozenset({"country", "province", "region"})
# How many sentences after the lead may name the town it described: the next few do
# ("The attack on the town of X ..."); further on the story has moved on.
LOOKAHEAD_SENTENCES = 3


def described_sites(head: Token, places: Sequence[Place] = ()) -> list[Token]:
    """The unnamed, indefinite settlements and sites in the trigger's sentence ("a town",
    "an eastern Syrian village", "a hospital in northwestern Syria"), in text order.

    A site with a name of its own ("a town called X", "the village of X", "X
    village") is named, not described, and so is one a town-sized place of ``places``
    locates ("a hospital in X", "X, a rebel-held town"); "the town" points back, not
    forward."""
    out = []
    for tok in sent_of(head):
        if tok.lemma_.lower() not in PLACES.unnamed_sites or tok.pos_ != "NOUN" or tok.tag_ in ("NNS", "NNPS"):
            continue
        if not any(c.dep_ == "det" and c.lower_ in PLACES.indefinite_determiners for c in tok.children):
            continue
        named = any(c.dep_ in ("compound", "appos") and c.pos_ == "PROPN" for c in tok.children) or any(
            c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.children) for c in tok.children) \
            or (tok.dep_ == "appos" and (tok.head.pos_ == "PROPN" or _locates(tok.head, places))) \
            or _locates(tok, places)
        if not named:
            out.append(tok)
    return out


def named_after(head: Token, sites: Sequence[Token], places: Sequence[Place], within: Optional[Place]) -> Optional[Place]:
    """The located town-sized place (not a country, province or region) that one of the
    next ``LOOKAHEAD_SENTENCES`` sentences names as the same kind of site, inside
    ``within`` (the country or province the lead gave) when there is one: "a town" ...
    "the town of X", "X village", "X, a town".  A place named otherwise there ("60 km
    from X", "hospitals in X") is another place, or another event's."""
    doc = head.doc
    end = sent_of(head).end
    kinds = {site.lemma_.lower() for site in sites}
    for _ in range(LOOKAHEAD_SENTENCES):
        if end >= len(doc):
            return None
        nxt = sent_of(doc[end])
        end = nxt.end
        for tok in nxt:
            if tok.lemma_.lower() not in kinds or tok.tag_ in ("NNS", "NNPS"):
                continue
            for p in places:
                if nxt.start_char <= p.span.start < nxt.end_char and p.lat is not None \
                        and p.kind not in COARSE_KINDS and (within is None or _inside(p, within)) \
                        and _names_site(doc, p, tok):
                    return p
    return None


def _names_site(doc, place: Place, site: Token) -> bool:
    """The place is the site's name: "the town of X", "X town", "X, a town"."""
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return (root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.i == site.i) \
        or (root.dep_ in ("compound", "appos", "nmod", "amod") and root.head.i == site.i) \
        or (site.dep_ == "appos" and site.head.i == root.i)


def finer_inside(event_place: Optional[Place], candidates: Sequence[Place]) -> Optional[Place]:
    """A place among ``candidates`` that is a finer place inside ``event_place``: a town
    (or district, site) in the event's country when the event is placed at a country,
    in its province when at a province.  None when the event has a town already, or when
    no candidate lies inside (another town is another event's place, or background)."""
    if event_place is None or event_place.kind not in COARSE_KINDS:
        return None
    for p in candidates:
        if p.lat is None or p.kind in COARSE_KINDS or not p.country or p.country != event_place.country:
            continue
        if event_place.kind == "country" or (event_place.admin1 and p.admin1 == event_place.admin1):
            return p
    return None


def first_town(candidates: Sequence[Place]) -> Optional[Place]:
    """The first located town-sized place among ``candidates``: where an event that had
    no place at all happened, when a sentence telling it again ("The blast hit buses in
    the X area") names one."""
    return next((p for p in candidates if p.lat is not None and p.kind not in COARSE_KINDS), None)


def _inside(place: Place, coarse: Place) -> bool:
    """A town lies in the country or province named: the same country, and for a
    province the same first-level division."""
    if coarse.country and place.country != coarse.country:
        return False
    return coarse.kind == "country" or not coarse.admin1 or place.admin1 == coarse.admin1


def _locates(site: Token, places: Sequence[Place]) -> bool:
    """A town-sized place is named inside the site's phrase ("a hospital in X")."""
    lo = min(t.idx for t in site.subtree)
    hi = max(t.idx + len(t.text) for t in site.subtree)
    return any(lo <= p.span.start < hi and p.kind not in COARSE_KINDS for p in places)


def named_area_of(span: TokenSpan) -> bool:
    """The place is the name after "<area noun> of" ("in a Christian area of X province
    killing six", "on the outskirts of X shelling ..."): the area's place, and so the
    event's wherever the area phrase is, whatever role the parser gave the name itself.
    The small model often reads a name followed by an -ing verb as that verb's subject,
    which cut the name off from the "of" that holds it."""
    if span.start == 0:
        return False
    of = span.doc[span.start - 1]
    return of.lower_ == "of" and of.dep_ == "prep" and of.head.lemma_.lower() in EVENTS.place_head_nouns \
        and of.head.i < of.i


def same_name(coarse: Place, town: Place) -> bool:
    """The town bears the province's name ("Uruzgan" beside "Uruzgan province"): a story's
    bare "Uruzgan" may mean either, so it is no finer place of a province's event."""
    return fold(town.name) in fold(coarse.name) or fold(town.span.text) in fold(coarse.span.text)
