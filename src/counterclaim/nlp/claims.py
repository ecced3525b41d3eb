"""Claim records from attributions: speaker, party, act, quantities, and the
links a claim carries inside its own article (this denial denies that claim;
these observers corroborate those officials)."""

from __future__ import annotations

import re
from typing import Optional, Sequence

import pycountry
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from ..data.lexicon import word_map, word_sets
from ..records import Claim, Link, Span
from . import acts, lexicon, quantities
from .attribution import Attribution, find_attributions
from .pipeline import text_of
from .speakers import SpeakerResolver


def find_claims(doc: Doc, article_id: str, resolver: SpeakerResolver,
                dates: Sequence[Span] = (), statements: bool = True) -> tuple[list[Claim], list[Link]]:
    """``dates``: the article's time expressions, whose numbers are not counts;
    ``statements=False``: every attribution, intentions ("wanted to avenge") and what a
    picture shows included, as attribution corpora count them (a claims ledger does not)."""
    atts = find_attributions(doc, statements=statements)
    claims: list[Claim] = []
    for att in atts:
        claims.append(_claim(doc, article_id, att, resolver, dates))
    links = _links(atts, claims)
    related = _claim_relations(claims, links, [_fact_words(doc, c) for c in claims], text_of(doc))
    disputed = {(l.source, l.target) for l in related if l.type == "contradicts"}
    # "reported conflicting figures" refers to earlier claims, but to dispute them.
    links = [l for l in links if not (l.type == "corroborates" and (l.source, l.target) in disputed)] + related
    return claims, links


def _claim(doc: Doc, article_id: str, att: Attribution, resolver: SpeakerResolver, dates: Sequence[Span]) -> Claim:
    start, end = att.content
    span = Span(start, end, text_of(doc)[start:end])
    content = doc.char_span(start, end, alignment_mode="expand")
    speaker = resolver.resolve_speaker(att.source)
    act, act_reason = acts.decide(att.cue_lemma, att.cue_pos, content, att.negated,
                                  own=_own_side(content, speaker, resolver, att.source),
                                  itself=_speaker_itself(content, speaker))
    cue = Span(att.cue[0], att.cue[1], text_of(doc)[att.cue[0] : att.cue[1]])
    sentence = Span(att.sentence[0], att.sentence[1], text_of(doc)[att.sentence[0] : att.sentence[1]])
    channel = att.channel
    if channel is None and speaker is not None and speaker.kind == "media":
        channel = "state media" if speaker.role and "state" in speaker.role else "media"
    return Claim.create(
        article_id,
        span,
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


CLAIM_WORDS = word_sets("claim_words.tsv")


def _own_side(content, speaker, resolver: SpeakerResolver, source=None) -> bool:
    """Is the subject of the reported clause the speaker's own side?  "we plan to ...",
    "the Coalition will ..." said by its president, "Kenya stays committed" said by
    Kenya's minister: what follows is the speaker's own course."""
    if content is None or speaker is None:
        return False
    root = _clause_root(content)
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    if subj.lower_ in CLAIM_WORDS.first_person or any(c.dep_ == "poss" and c.lower_ in CLAIM_WORDS.first_person for c in subj.children):
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
    if other is not None and other.party == speaker.party:
        return True
    # "the goal of the rebel offensive is ...", said by a rebel commander: the subject is a
    # thing of the side its "of" phrase names.
    of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if pobj is None or pobj.pos_ == "PRON":
        return False
    owner = resolver.resolve(pobj, remember=False)
    return owner is not None and owner.party == speaker.party


def _clause_root(content):
    """The head of the reported clause: the span's root, unless that is a mark the parser hung
    higher than the clause (a closing full stop or quote attached to the sentence's verb)."""
    root = content.root
    if not (root.is_punct or root.is_space):
        return root
    outside = [t for t in content if not (t.is_punct or t.is_space)
               and not content.start <= t.head.i < content.end]
    return outside[0] if outside else root


def _speaker_itself(content, speaker) -> bool:
    """Is the subject of the reported clause the speaker itself, or its own people by a
    pronoun ("we", "our fighters", "one of its fighters", said by a group)?  Stricter than
    the own side: state media telling what the army did speak of their side, not of themselves."""
    if content is None or speaker is None or speaker.kind == "media":
        return False
    subj = next((c for c in _clause_root(content).children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    if subj.lower_ in CLAIM_WORDS.first_person:
        return True
    nouns = [subj] + [p for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj"]
    return any(c.dep_ == "poss" and c.lower_ in CLAIM_WORDS.own_possessives for n in nouns for c in n.children)


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
    """The claim nested in claim i's content, unless the same speaker goes on ("denied any
    responsibility, saying its strikes hit a depot": the saying is the denier's own)."""
    me = claims[i].speaker
    for j, att in enumerate(atts):
        if att.nested_in == i:
            other = claims[j].speaker
            mine, theirs = atts[i].source, atts[j].source
            if me is not None and other is not None and other.name == me.name and theirs is not None and mine is not None and theirs.i == mine.i:
                continue
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


CASUALTY_KINDS = word_map("claim_words.tsv", "casualty_kinds")
AGREE_RATIO = 1.5  # 18 and 19 dead, "more than 20" and 22: one count; 12 and 35 are not


SHARED_FACT_WORDS = 4  # "the warplane crashed into the market in X" / "... crashed in a busy market in X"


def _fact_words(doc: Doc, claim: Claim) -> frozenset[str]:
    """The content words of what a claim says (nouns, names, verbs other than cues): two
    sources telling one fact share several of them."""
    span = doc.char_span(claim.span.start, claim.span.end, alignment_mode="expand")
    if span is None:
        return frozenset()
    cues = lexicon.cues()
    return frozenset(t.lemma_.lower() for t in span if t.pos_ in ("NOUN", "PROPN", "VERB") and not t.is_stop
                     and (t.lemma_.lower(), "VERB") not in cues and len(t.text) > 2)


def _claim_relations(claims: list[Claim], known: list[Link], facts: list[frozenset[str]], text: str = "") -> list[Link]:
    """Claims of two sources about the same deaths: the later corroborates the first that
    gave the count, when its speaker is another source of a known side ("a hospital source
    said more than 20 died" after the monitor's 22); a statement that the accounts differ
    contradicts the last count told before it, and so does a count of the same dead by
    the other side in the same sentence ("nearly 300 according to the army and over 400
    according to the guerrillas").  One source repeating itself, or
    its director speaking for it, is no corroboration."""
    out: list[Link] = []
    linked = {(l.source, l.target) for l in known}
    for i, later in enumerate(claims):
        if later.speaker is None or later.negated:
            continue
        words = {lexicon.fold(w).rstrip("s") for w in later.span.text.split()}
        if words & CLAIM_WORDS.disagreeing and words & CLAIM_WORDS.account_nouns:
            target = next((c for c in reversed(claims[:i]) if c.quantities and not _same_voice(c, later)), None)
            if target is not None:
                out.append(Link(later.id, "contradicts", target.id,
                                reason=f"'{later.speaker.name}' gives other figures than '{_speaker_name(target)}'"))
                linked.add((later.id, target.id))
            continue
        recast = _recasts_the_dead(later, claims[:i])
        if recast is not None and (later.id, recast[0].id) not in linked:
            out.append(Link(later.id, "contradicts", recast[0].id,
                            reason=f"'{later.speaker.name}' says all the dead were {recast[1]}; "
                                   f"'{_speaker_name(recast[0])}' counted them otherwise"))
            linked.add((later.id, recast[0].id))
            continue
        rival = next((c for c in reversed(claims[:i]) if c.span.start < later.span.start and _rivals(c, later)
                      and _differing_count(c, later) and c.sentence is not None and later.sentence is not None
                      and c.sentence.start == later.sentence.start), None)
        against = _set_against(later, claims[:i], text)
        if against is not None and (later.id, against.id) not in linked:
            out.append(Link(later.id, "contradicts", against.id,
                            reason=f"'{later.speaker.name}' is set against '{_speaker_name(against)}' by 'but'"))
            linked.add((later.id, against.id))
            continue
        if rival is not None and (later.id, rival.id) not in linked:
            # Two sides' counts of the same dead set side by side in one sentence ("nearly 300
            # according to the army, and over 400 according to the guerrillas"): the writer
            # contrasts them, a dispute.  Counts told apart are often of other days, places or
            # events, and a monitor's count is no side's (no dispute).
            out.append(Link(later.id, "contradicts", rival.id,
                            reason=f"'{later.speaker.name}' ({_side(later.speaker)}) counts the "
                                   f"{_differing_count(rival, later)} otherwise than '{_speaker_name(rival)}' "
                                   f"({_side(rival.speaker)})"))
            linked.add((later.id, rival.id))
            continue
        if later.act != "assert" or later.speaker.party == "unknown":
            continue
        first = next((c for c in claims[:i] if c.span.start < later.span.start and not _same_voice(c, later)
                      and _agreeing_count(c, later)), None)
        if first is not None:
            why = f"counts the {_agreeing_count(first, later)} as '{_speaker_name(first)}' did"
        else:
            first = next((c for j, c in enumerate(claims[:i]) if c.span.start < later.span.start
                          and not _same_voice(c, later) and len(facts[i] & facts[j]) >= SHARED_FACT_WORDS), None)
            why = f"tells what '{_speaker_name(first)}' told" if first is not None else ""
        if first is not None and (later.id, first.id) not in linked:
            out.append(Link(later.id, "corroborates", first.id, reason=f"'{later.speaker.name}' {why}"))
            linked.add((later.id, first.id))
    return out


_ALL_THE_DEAD = re.compile(r"\ball\s+(?:of\s+)?(?:those|the)\s+(\w+)\s+(?:were|was|are)\s+(?:all\s+)?(\w+)", re.I)
RECAST_REACH = 400  # characters: the count told in the sentence or two before


def _recasts_the_dead(later: Claim, earlier: list[Claim]) -> Optional[tuple[Claim, str]]:
    """'The monitor said six civilians and five militiamen were killed. State media said all
    those killed were civilians': a second source that gives all of a toll just counted one
    identity, where the count named others, contradicts the count.  (The earlier claim, the
    identity) or None."""
    m = _ALL_THE_DEAD.search(later.span.text)
    if m is None or m.group(1).lower() not in CLAIM_WORDS.dead_nouns or m.group(2).lower() in STOP_WORDS:
        return None  # "all the dead were from one family" names no other kind of dead
    said = m.group(2).lower().removesuffix("s")
    for other in reversed(earlier):
        if other.span.end > later.span.start or later.span.start - other.span.end > RECAST_REACH:
            continue
        if _same_voice(other, later) or not other.quantities:
            continue
        counted = {lexicon.fold(q.unit_text or q.what or "") for q in other.quantities}
        named = {w.removesuffix("s") for w in counted if w and w not in CLAIM_WORDS.dead_nouns and w not in CLAIM_WORDS.generic_dead}
        if named - {said}:  # the count named someone else among the dead ("five militiamen")
            return other, m.group(2).lower()
        return None
    return None


def _set_against(later: Claim, earlier: list[Claim], text: str) -> Optional[Claim]:
    """'The governor first said the mayor was killed, but an aide told the radio he had
    escaped': two speakers' statements set against each other by "but" in one sentence --
    the writer contrasts their accounts, the later contradicts the earlier."""
    if not text or later.sentence is None or later.cue is None:
        return None
    for other in reversed(earlier):
        if other.sentence is None or other.sentence.start != later.sentence.start or other.negated \
                or _same_voice(other, later) or other.span.end > later.span.start:
            continue
        start = other.span.end
        end = min(later.cue.start, later.span.start)
        if end > start and CLAIM_WORDS.contrast_words & set(re.findall(r"[a-z]+", text[start:end].lower())):
            return other
        return None
    return None


def _speaker_name(claim: Claim) -> str:
    """The name of the speaker of a claim that a relation links to another speaker's:
    such claims have speakers (``_same_voice`` is true when either has none)."""
    assert claim.speaker is not None, "a claim with no speaker is no second voice (_same_voice)"
    return claim.speaker.name


def _agreeing_count(a: Claim, b: Claim) -> str:
    """The casualty kind two claims count alike ("dead"), or "": a second source giving
    the same toll within a small margin reports the same deaths."""
    for qa in a.quantities:
        for qb in b.quantities:
            kind = CASUALTY_KINDS.get((qa.what or "").lower())
            if kind is None or kind != CASUALTY_KINDS.get((qb.what or "").lower()) or not qa.low or not qb.low:
                continue
            if max(qa.low, qb.low) <= AGREE_RATIO * min(qa.low, qb.low):
                return kind
    return ""


def _side(actor) -> Optional[str]:
    """The side of the fighting a speaker speaks for: its party, or "state" for a state's
    forces or government whose country the text leaves open ("the army said"); None for
    nobody's side (independent, unknown)."""
    if actor is None:
        return None
    if actor.party not in ("unknown", "independent", "civilians", None, ""):
        return actor.party
    head = lexicon.fold(actor.name).split()[-1:] if actor.name else []
    if head and lexicon.roles().get(head[0].removesuffix("s") if head[0] not in lexicon.roles() else head[0]) == "state" \
            and actor.party == "unknown":
        return "state"
    return None


def _rivals(a: Claim, b: Claim) -> bool:
    """Two claims by opposing sides: both speak for a side, and not the same one.  A state
    whose country the text leaves open ("state") may be any state, so it is the rival of
    an armed or political group only."""
    sa, sb = _side(a.speaker), _side(b.speaker)
    if sa is None or sb is None or sa == sb or _same_voice(a, b):
        return False
    if "state" in (sa, sb):
        other = sb if sa == "state" else sa
        return not _is_state_code(other)
    return True


def _is_state_code(code: str) -> bool:
    """Is a party code a state's (ISO 3166-1 alpha-3), not a group's?"""
    return pycountry.countries.get(alpha_3=code) is not None


def _differing_count(a: Claim, b: Claim) -> str:
    """The casualty kind two claims both count, with different figures, or ""."""
    for qa in a.quantities:
        for qb in b.quantities:
            kind = CASUALTY_KINDS.get((qa.what or "").lower())
            if kind is None or kind != CASUALTY_KINDS.get((qb.what or "").lower()):
                continue
            va, vb = qa.low or qa.high, qb.low or qb.high
            if va and vb and va != vb:
                return kind
    return ""


def _same_voice(a: Claim, b: Claim) -> bool:
    """The same speaker, one body and its director (a monitor's director speaks for the
    monitor in the actor dictionary), or two voices of one state or group; or one claim told inside
    the other ("Russia must stop insisting that ...", the minister said): no second source."""
    if a.speaker is None or b.speaker is None:
        return True
    if a.span.start <= b.span.start < a.span.end or b.span.start <= a.span.start < b.span.end:
        return True
    if _voice(a.speaker) == _voice(b.speaker):
        return True
    return a.speaker.party == b.speaker.party and a.speaker.party not in ("independent", "unknown")


def _voice(actor) -> str:
    entry = lexicon.actor(actor.name)
    return lexicon.fold(entry.canonical if entry is not None else actor.name)
