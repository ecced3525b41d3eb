"""Claim records from attributions: speaker, party, act, quantities, and the
links a claim carries inside its own article (this denial denies that claim;
these observers corroborate those officials)."""

from __future__ import annotations

from typing import Optional, Sequence

from spacy.tokens import Doc

from .pipeline import ents_of, text_of
from ..records import Claim, Link, Span
from . import acts, lexicon, quantities
from .attribution import Attribution, find_attributions
from .speakers import SpeakerResolver


def find_claims(doc: Doc, article_id: str, resolver: SpeakerResolver,
                dates: Sequence[Span] = ()) -> tuple[list[Claim], list[Link]]:
    """``dates``: the article's time expressions, whose numbers are not counts."""
    atts = find_attributions(doc)
    claims: list[Claim] = []
    for att in atts:
        claims.append(_claim(doc, article_id, att, resolver, dates))
    links = _links(atts, claims)
    return claims, links


def _claim(doc: Doc, article_id: str, att: Attribution, resolver: SpeakerResolver, dates: Sequence[Span]) -> Claim:
    start, end = att.content
    span = Span(start, end, text_of(doc)[start:end])
    content = doc.char_span(start, end, alignment_mode="expand")
    speaker = resolver.resolve_speaker(att.source)
    act, act_reason = acts.decide(att.cue_lemma, att.cue_pos, content, att.negated,
                                  own=_own_side(content, speaker, resolver, att.source))
    cue = Span(att.cue[0], att.cue[1], text_of(doc)[att.cue[0] : att.cue[1]])
    sentence = Span(att.sentence[0], att.sentence[1], text_of(doc)[att.sentence[0] : att.sentence[1]])
    channel = att.channel
    if channel is None and speaker is not None and speaker.kind == "media":
        channel = "state media" if speaker.role and "state" in speaker.role else "media"
    return Claim(
        id=Claim.make_id(article_id, span),
        article_id=article_id,
        span=span,
        cue=cue,
        speaker=speaker,
        act=act,
        act_reason=act_reason,
        direct_quote=att.direct,
        channel=channel,
        negated=att.negated,
        quantities=quantities.find(content, dates) if content is not None else [],
        sentence=sentence,
    )


FIRST_PERSON = {"we", "i", "our", "my", "us"}


def _own_side(content, speaker, resolver: SpeakerResolver, source=None) -> bool:
    """Is the subject of the reported clause the speaker's own side?  "we plan to ...",
    "the Coalition will ..." said by its president, "Turkey remains committed" said by
    Turkey's minister: what follows is the speaker's own course."""
    if content is None or speaker is None:
        return False
    root = content.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    if subj.lower_ in FIRST_PERSON or any(c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in subj.children):
        return True
    if subj.pos_ == "PRON":
        return False
    words = {lexicon.fold(t.text) for t in subj.subtree if t.is_alpha and not t.is_stop}
    said = {lexicon.fold(w) for w in ((speaker.span.text if speaker.span else "") + " " + speaker.name).split()}
    if source is not None and not any(t.i == subj.i for t in source.subtree):
        said |= {lexicon.fold(t.text) for t in source.subtree}  # "the head of the council"
    if words and words <= said:
        return True
    if speaker.party in ("unknown", "independent"):
        return False
    other = resolver.resolve(subj, remember=False)
    return other is not None and other.party == speaker.party


def _links(atts: list[Attribution], claims: list[Claim]) -> list[Link]:
    """Denials and endorsements of other statements in the same article.

    "Pakistan denied Mujahid's claims that ..." holds Mujahid's claim inside the
    denial: the denial denies it.  "Pakistan denied the reports" names no
    content: it denies the nearest earlier claim of another party.  "Observers
    support their claims" corroborates the claim it follows, when the
    endorsers are independent of the claimant.
    """
    links: list[Link] = []
    for i, (att, claim) in enumerate(zip(atts, claims)):
        if claim.act == "deny" and not claim.negated:
            target = _inner(i, atts, claims) or (_earlier_other(i, claims) if att.refers_to_claims else None)
            if target is not None:
                how = "the denial names it" if _inner(i, atts, claims) else "nearest earlier claim of another speaker"
                links.append(Link(claim.id, "denies", target.id, reason=f"'{claim.cue.text if claim.cue else ''}': {how}"))
        elif att.refers_to_claims and claim.act == "assert" and not claim.negated:
            target = _inner(i, atts, claims) or _earlier_other(i, claims)
            if target is not None and claim.speaker is not None and claim.speaker.party == "independent":
                links.append(Link(claim.id, "corroborates", target.id,
                                  reason=f"independent '{claim.speaker.name}' {claim.cue.text if claim.cue else ''} it"))
    return links


def _inner(i: int, atts: list[Attribution], claims: list[Claim]) -> Optional[Claim]:
    for j, att in enumerate(atts):
        if att.nested_in == i:
            return claims[j]
    return None


def _earlier_other(i: int, claims: list[Claim]) -> Optional[Claim]:
    me = claims[i]
    party = me.speaker.party if me.speaker else None
    for j in range(i - 1, -1, -1):
        other = claims[j]
        if other.span.start >= me.span.start:
            continue
        if other.speaker is None:
            continue
        if party and party not in ("unknown",) and other.speaker.party == party:
            continue
        return other
    return None
