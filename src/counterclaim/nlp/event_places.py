"""The finest place of an event when its own sentence does not name it.

Two habits of news writing leave an event at country level although the story
names its town:

- **The lead describes, a later sentence names.** "A car bomb struck a crowded
  market in a Kurdish town in northern Syria on Wednesday" - and the next
  sentence: "The blast in X killed ...", or "The town of X was ...".  The lead's
  only name is the country; its indefinite "a town" promises a place the story
  names next.  ``described_site`` finds that noun and ``named_after`` the first
  town-sized place the following sentences name, in the same country.
- **A sentence tells the event again with its place.** "A suicide bomber killed
  22 people in Y province" - "The bomber blew himself up inside a hall in X
  village": the second sentence is the same event (it adds no event of its own),
  and X lies inside Y.  ``finer_inside`` says whether a place named there is a
  finer place of the event's (a town in its province or country); the event then
  takes it.  ACLED codes the finest named location.

Both keep what they did in the event's ``reason``.  Word lists: ``places.tsv``
(``unnamed_sites``, ``indefinite_determiners``).
"""

from __future__ import annotations

from typing import Optional, Sequence

from spacy.tokens import Token

from ..data.lexicon import word_set
from ..records import Place
from .pipeline import sent_of

UNNAMED_SITES = word_set("places.tsv", "unnamed_sites")
INDEFINITE = word_set("places.tsv", "indefinite_determiners")
COARSE_KINDS = frozenset({"country", "province", "region"})
# How many sentences after the lead may name the town it described: the next one or
# two do ("The attack on the town of X ..."); further on the story has moved on.
LOOKAHEAD_SENTENCES = 2


def described_site(head: Token) -> Optional[Token]:
    """An unnamed, indefinite settlement or site in the trigger's sentence ("a town",
    "an eastern Syrian village", "a hospital in northwestern Syria"), or None.

    A site with a name of its own ("a town called X", "the village of X", "X
    village") is named, not described; "the town" points back, not forward."""
    for tok in sent_of(head):
        if tok.lemma_.lower() not in UNNAMED_SITES or tok.pos_ != "NOUN" or tok.tag_ in ("NNS", "NNPS"):
            continue
        if not any(c.dep_ == "det" and c.lower_ in INDEFINITE for c in tok.children):
            continue
        named = any(c.dep_ in ("compound", "appos") and c.pos_ == "PROPN" for c in tok.children) or any(
            c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.children) for c in tok.children)
        if not named:
            return tok
    return None


def named_after(head: Token, site: Token, places: Sequence[Place], country: Optional[str]) -> Optional[Place]:
    """The first located town-sized place (not a country, province or region) that the
    next ``LOOKAHEAD_SENTENCES`` sentences name, in ``country`` when it is known, in a
    sentence that speaks of the same kind of site again ("a town" ... "the town of X",
    "X town"); a sentence about something else ("in response to the attack in X") names
    another event's place.  A place named only as a reference point ("20 km north of X")
    is passed over."""
    doc = head.doc
    sent = sent_of(head)
    end = sent.end
    kind = site.lemma_.lower()
    for _ in range(LOOKAHEAD_SENTENCES):
        if end >= len(doc):
            return None
        nxt = sent_of(doc[end])
        end = nxt.end
        if not any(t.lemma_.lower() == kind for t in nxt):
            continue
        for p in places:
            if not (nxt.start_char <= p.span.start < nxt.end_char) or p.lat is None or p.kind in COARSE_KINDS:
                continue
            if country and p.country and p.country != country:
                continue
            if _reference_point(doc, p):
                continue
            return p
    return None


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


def _reference_point(doc, place: Place) -> bool:
    """ "north of X", "20 km from X": the place only locates another one."""
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None or span.start < 2:
        return False
    prep, before = doc[span.start - 1], doc[span.start - 2]
    return prep.lower_ in ("of", "from") and before.lower_ in BEARING_WORDS


BEARING_WORDS = word_set("places.tsv", "bearings")
