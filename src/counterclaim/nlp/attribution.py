"""Attribution: find cue, source and content of every reported statement.

Most attributions in news are reported speech, not quotes, so this works over
the dependency parse: a speech or cognition cue (a verb such as "said",
"denied", "warned", or a noun such as "claims", "statement") governs its
content (a clausal complement, a quoted object, an infinitive, a that-clause
on a noun), and its subject -- or the subject of the verb it hangs from, for
"..., warning that" -- is the source.  Quotes found on the characters grow a
cue's content to the whole quotation (spaCy splits multi-sentence quotes).

Cues are speech verbs and also verbs of taking a position (endorse, oppose, plan,
refuse): their object, infinitive or prepositional complement is the content.  The
cue list (``cues.tsv``) says per verb whether its object is the addressee ("told
reporters") or the target ("endorsed Trump"), whether it names a state of mind
(no claim of its own inside reported words) and whether it reports speech only
with a clause ("ruled that").  A parsed clause never crosses a paragraph break;
quotes do, and are found on the characters.

This module only finds the pieces; ``speakers`` names the source and its
party, ``acts`` decides the speech act.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Final, Optional, Union

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..data.lexicon import word_map, word_set
from . import lexicon, limits, quantities
from .canonical import descriptions, shouting
from .pipeline import ents_of, text_of
from .quotes import enclosing, inside, quote_spans


def _word_set(name: str) -> frozenset[str]:
    """One word set of ``attribution.tsv`` (lexicons are data; the file says what each set means)."""
    return word_set("attribution.tsv", name)


def _word_map(name: str) -> dict[str, str]:
    """One two-column word set of ``attribution.tsv``: word -> value."""
    return word_map("attribution.tsv", name)


# Dependency labels of a clause a cue verb governs.
CLAUSE_DEPS = {"ccomp", "parataxis"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# Nouns that name a statement: "denied the reports", "rejected claims that".
CLAIM_NOUNS = _word_set("claim_nouns")
# Cues whose direct object states a position ("cited his endorsements", "condemned the attack").
# Verbs that also name material acts ("supporting militants", "defended the town",
# "forces opposing the government") are left out: their object is no statement.
STANCE_OBJECT_CUES = _word_set("stance_object_cues")
# Cues whose content can be a topic after a preposition ("spoke about X", "warned of X").
TOPIC_CUES = _word_set("topic_cues")
TOPIC_PREPS = _word_set("topic_preps")
# Verbs of speaking whose "to" phrase is the audience ("spoke to students", "wrote to the
# council"), not what is said.
SPEAKING_TO = _word_set("speaking_to")
GENERAL_TOPIC_PREPS = _word_set("general_topic_preps")
# Objects that are requests, not statements: rejecting a demand is refusing, not denying a claim.
# "speaking on condition of anonymity", "on background", "on the record": the terms of
# speaking, not what was said.
GROUND_RULES = _word_set("ground_rules")
REQUEST_NOUNS = _word_set("request_nouns")
# Cues whose direct object is the content even when it is not quoted.
OBJECT_CONTENT_ACTS = _word_set("object_content_acts")
# Verbs of corroboration: "observers support their claims".
ENDORSE_LEMMAS = _word_set("endorse_lemmas")
CHANNEL_NOUNS = _word_map("channel_nouns")


@dataclass
class Attribution:
    """The pieces of one attribution, as character offsets into the doc text."""

    cue: tuple[int, int]
    cue_lemma: str
    cue_pos: str
    content: tuple[int, int]
    source: Optional[Token] = None  # head token of the speaker phrase
    source_reason: str = ""
    direct: bool = False
    negated: bool = False
    channel: Optional[str] = None
    nested_in: Optional[int] = None  # index of the attribution whose content holds this one
    refers_to_claims: bool = False  # content is a noun naming statements ("denied the reports")
    sentence: tuple[int, int] = (0, 0)
    reasons: list[str] = field(default_factory=list)
    strategy: str = ""  # the content strategy that found a verb cue's content (``CONTENT_STRATEGIES``)

    @classmethod
    def of_verb(cls, verb: Token, content: tuple[int, int], source: Optional[Token], source_reason: str,
                reason: str, sentence: Optional[tuple[int, int]] = None, **extra) -> "Attribution":
        """An attribution whose cue is the verb ``verb``: the cue, its lemma, its negation
        and its sentence come from the verb; ``extra`` sets the other fields."""
        sent = verb.sent
        extra.setdefault("cue_lemma", verb.lemma_.lower())
        return cls(cue=(verb.idx, verb.idx + len(verb.text)), cue_pos="VERB", content=content, source=source,
                   source_reason=source_reason, negated=_negated(verb),
                   sentence=sentence or (sent.start_char, sent.end_char), reasons=[reason], **extra)


def find_attributions(doc: Doc, statements: bool = False) -> list[Attribution]:
    """All attributions in a parsed document, in text order, without duplicates.

    ``statements=True`` keeps statements only, as a claims ledger records them: no
    intentions or decisions told with only an infinitive or an object ("Amir wanted to
    avenge his brother", "the cell planned the attack": the writer's narration of what
    someone meant to do), nothing a picture shows ("video footage showed ...").
    Attribution corpora such as PolNeAR annotate both."""
    quotes = _quotes_of(doc)
    cues = lexicon.cues()
    found: list[Attribution] = []
    for token in limits.tokens(doc, found, "claims"):  # bounded work (nlp.limits)
        att = None
        if token.pos_ in ("VERB", "AUX") or token.dep_ == "ROOT":
            cue = verb_cue(token)
            if cue is not None:
                att = _verb_attribution(token, cue, quotes)
            elif token.lemma_.lower() in ENDORSE_LEMMAS:
                att = _endorsement(token)
        elif token.pos_ == "ADJ" and token.dep_ in ("acomp", "ROOT"):
            cue = cues.get((token.lower_, "ADJ"))
            if cue is not None:
                att = _verb_attribution(token, cue, quotes)
        elif token.pos_ in ("NOUN", "PROPN"):
            cue = cues.get((token.lemma_.lower(), "NOUN"))
            if cue is not None:
                att = _noun_attribution(token, quotes)
        if token.lower_ == "according" and token.dep_ != "ROOT":
            att = _according_to(token)
        if att is None and token.pos_ == "VERB" and token.lemma_.lower() in quantities.QUANTITIES.toll_setting_verbs:
            att = _toll_set_at(token)
        if att is not None and att.content[1] > att.content[0]:
            found.append(att)
    found.extend(_quoted_remainders(doc, quotes, found))
    found.extend(_unattributed_quotes(doc, quotes, found))
    found.extend(_speaker_labels(doc, found))
    found = _transcript_turns(doc, found)
    if statements:
        found = [a for a in found if not _intention(a) and not _shown(a) and not _appeal(a, doc)
                 and not _agentless_passive(a, doc) and not _event_as_source(a)]
    found = [_speaker_cut_off(a, doc) for a in found if not _relays_speaker(a, found)]
    found.sort(key=lambda a: (a.content[0], a.cue[0]))
    return _nest(_dedupe(found))


def _speaker_cut_off(att: Attribution, doc: Doc) -> Attribution:
    """'... not much space to move around Karim 31 said': where the parse hung the speaker
    found before the cue inside the content, the content ends before the speaker."""
    src = att.source
    if src is None or not att.source_reason.startswith("noun right before") \
            or not att.content[0] < src.idx < att.content[1] or att.cue[0] < att.content[1]:
        return att
    k = src.i - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    if k < 0 or doc[k].idx + len(doc[k].text) <= att.content[0]:
        return att
    return replace(att, content=(att.content[0], doc[k].idx + len(doc[k].text)))


def _relays_speaker(outer: Attribution, found: list[Attribution]) -> bool:
    """'The agency reported a military source who said "..."': what the cue governs is a
    speaker, whose own words a relative clause gives.  The outlet only carries them; the
    source speaks (records convention: a source speaking to an outlet is the speaker)."""
    if outer.cue_pos != "VERB":
        return False
    for inner in found:
        pronoun = inner.source
        if inner is outer or pronoun is None or pronoun.lower_ not in ("who", "which", "that") \
                or pronoun.dep_ != "nsubj" or pronoun.head.dep_ != "relcl":
            continue
        speaker = pronoun.head.head
        if speaker.dep_ in ("dobj", "obj") and speaker.head.idx == outer.cue[0] \
                and outer.content[0] <= speaker.idx < outer.content[1] \
                and outer.content[0] <= inner.cue[0] < outer.content[1]:
            return True
    return False


# -- cue verbs ---------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _frames() -> dict[str, frozenset[str]]:
    """Verb lemma -> its properties (cues.tsv, 5th column, comma-separated).

    How its direct object relates to the statement: ``addressee`` ("told reporters",
    "urged Congress": the object is who is spoken to), ``target`` ("endorsed Trump",
    "criticized him": the object, a person too, is what the stance is about); neither:
    the object is the content unless it names a speaker.  ``mind``: the verb names a
    state of mind or an intention ("believe", "want", "plan"), not an act of speech.
    ``clause``: a cue only when it governs a clause or a quote ("ruled that", "continued:").
    """
    out: dict[str, frozenset[str]] = {}
    for r in lexicon.rows("cues.tsv"):
        if len(r) >= 5 and (r[1] or "").upper() == "VERB" and r[4]:
            out[r[0].lower()] = frozenset(p.strip().lower() for p in r[4].split(",") if p.strip())
    return out


@functools.lru_cache(maxsize=None)
def _nonspeakers() -> frozenset[str]:
    """Subjects that show but do not speak (``nonspeakers.tsv``)."""
    return frozenset(r[0].lower() for r in lexicon.rows("nonspeakers.tsv") if r and r[0])


def _appeal(att: Attribution, doc: Doc) -> bool:
    """'called on the leader to step down', 'urged the sides to talk': an appeal asserts
    nothing (records convention), unless its words blame someone ("called on the UN to
    protect civilians suffering injustices by the regime")."""
    if not any(r.startswith("what '") and r.endswith("asks") or r.endswith("asks of its addressee") for r in att.reasons):
        return False
    markers = lexicon.markers()
    span = doc.char_span(att.content[0], att.content[1], alignment_mode="expand")
    return span is None or not any((markers.get(t.lemma_.lower()) or ("", ""))[0] == "accuse" for t in span)


def _agentless_passive(att: Attribution, doc: Doc) -> bool:
    """'no other incidents were reported', 'deaths were claimed': a passive cue naming no
    one who reported is the writer's narration, like "reportedly" (records convention)."""
    if att.cue_pos != "VERB" or att.source is not None:
        return False
    span = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
    return span is not None and any(c.dep_ == "auxpass" for c in span.root.children)


def _shown(att: Attribution) -> bool:
    """'Video footage showed ...': a subject that shows but does not speak."""
    return att.source is not None and att.source.lemma_.lower() in _nonspeakers()


EVENT_NOUNS = _word_set("event_nouns")


def _event_as_source(att: Attribution) -> bool:
    """'the bombardment brought the toll to 49', 'the riots claimed 700 lives': an event as
    the subject of a cue is the writer's narration of what it did, not anyone's statement."""
    src = att.source
    return src is not None and src.pos_ == "NOUN" and src.ent_type_ not in ("PERSON", "ORG", "NORP", "GPE") \
        and src.lemma_.lower() in EVENT_NOUNS


def _intention(att: Attribution) -> bool:
    """An intention or decision cue with no clause of its own ("wanted to", "planned X")."""
    if att.cue_pos != "VERB" or "intent" not in _frames().get(att.cue_lemma, frozenset()):
        return False
    return not any(r.startswith(("clause ", "the sentence before", "paragraph introduced", "quote")) for r in att.reasons)


def cue_frame(lemma: str) -> str:
    props = _frames().get(lemma, frozenset())
    return "addressee" if "addressee" in props else "target" if "target" in props else ""


def is_mind_cue(lemma: str) -> bool:
    return "mind" in _frames().get(lemma, frozenset())


_SUFFIXES = ("ing", "ed", "es", "s", "d")


def verb_cue(token: Token) -> Optional[lexicon.Cue]:
    """The cue entry of a verb: by lemma, else by its own form (the lemmatiser reads
    "hopes" as "hop"), stripping a regular suffix."""
    cues = lexicon.cues()
    cue = cues.get((token.lemma_.lower(), "VERB"))
    if cue is not None:
        return cue
    form = token.lower_
    for suffix in _SUFFIXES:
        if form.endswith(suffix) and len(form) > len(suffix) + 2:
            stem = form[: -len(suffix)]
            for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem):
                cue = cues.get((candidate, "VERB"))
                if cue is not None:
                    return cue
    return None



def _verb_attribution(verb: Token, cue: lexicon.Cue, quotes) -> Optional[Attribution]:
    """The attribution a verb (or adjective) cue makes, if any: its content by the first
    of ``CONTENT_STRATEGIES`` that settles it (then ``FALLBACK_STRATEGIES``), its source
    by ``_subject``.  A few cue readings that are no statements are refused first."""
    if (verb.pos_ == "ADJ" or is_mind_cue(cue.lemma)) and _inside_reported_clause(verb):
        # "complained that militants who wanted to topple the government ...": a state of
        # mind inside reported words is part of what is reported, not a statement of its own.
        return None
    if cue.lemma in ("suppose", "assume") and (verb.tag_ == "VBN" and any(c.dep_ == "xcomp" for c in verb.children)
                                              or verb.tag_ == "VBG" and not any(c.dep_ in SUBJECT_DEPS for c in verb.children)):
        # "was supposed to", "assuming that the rule holds": a modal and a conditional, not
        # anyone's belief.
        return None
    if cue.lemma == "prove" and any(c.dep_ == "xcomp" and c.lemma_ == "be" for c in verb.children):
        return None  # "the gains proved to be short-lived": a copula (turned out), no proof given
    site = _CueSite.at(verb, cue, quotes)
    found = _first_content(site, CONTENT_STRATEGIES)
    if found is REFUSED:
        return None
    content_tokens = found.tokens if found is not None else None
    reason = found.reason if found is not None else ""
    refers = found.refers if found is not None else False
    if content_tokens and found is not None and found.strategy in WITH_OUTCOME:
        content_tokens = _with_outcome(verb, content_tokens)
    if content_tokens:
        lo, hi = site.para
        content_tokens = [t for t in content_tokens if lo <= t.i < hi]
    if not content_tokens:
        # Nothing inside the paragraph: the last resorts, which read the words around
        # the cue rather than its parse.
        last = _first_content(site, FALLBACK_STRATEGIES, need_tokens=True)
        if isinstance(last, Found):
            content_tokens, reason, found = last.tokens, last.reason, last
    if not content_tokens:
        return None
    if any(s <= verb.idx < e for s, e in quotes):
        # A cue inside a quote is part of the quoted speaker's words, not a new attribution.
        return None
    start, end = _char_span(content_tokens)
    direct = False
    q = enclosing(quotes, start, end)
    if q is not None:
        if start >= q[0] - 1 and end > q[1] and not any(q[1] <= s < end for s, _ in quotes) and _subordinate_after(verb.doc, q[1]):
            # '"...," he promised, after X happened': the narrator's clause after the
            # quote is context, not the speaker's words.
            end = q[1]
        # The content reaches into a quote: it is the quote, all of it, even when it runs
        # over sentences the parser split off.
        if inside(quotes, start, end) > 0.5 or _touches(q, start, end):
            start, end = min(start, q[0]), max(end, q[1])
            direct = inside(quotes, start, end) > 0.8
    source, source_reason = _subject(verb)
    return Attribution.of_verb(
        verb, (start, end), source, source_reason, reason, cue_lemma=cue.lemma, direct=direct,
        channel=_channel(verb), refers_to_claims=refers, strategy=found.strategy if found is not None else "",
    )


# -- content strategies ---------------------------------------------------------
#
# What a verb cue reports is found by the first strategy, in ``CONTENT_STRATEGIES``
# order, that claims the cue.  A strategy returns ``None`` to pass the cue on, a
# ``Found`` (its tokens, possibly none, and its reason) to settle it, or ``REFUSED``
# when the cue reports nothing at all.  The order is the algorithm: the most specific
# readings of the parse first (a cue answering a statement noun, a reporting clause
# closing its sentence, a governed clause), then the constructions with a fronted or
# interrupted content, then the complements of narrower cue classes (naming,
# infinitive, accusation, addressee), then any object, passive subject, prepositional
# topic, and a clause hanging off the object.  ``FALLBACK_STRATEGIES`` run only when
# nothing inside the cue's paragraph was found: they read the words around the cue.


@dataclass
class _CueSite:
    """What every strategy reads about one cue: the verb, its lexicon entry, the
    quotes of the text, its clausal children inside its paragraph and its frame."""

    verb: Token
    cue: lexicon.Cue
    quotes: list
    para: tuple[int, int]
    clauses: list[Token]
    foreign_clause: bool
    frame: str
    clause_only: bool

    @classmethod
    def at(cls, verb: Token, cue: lexicon.Cue, quotes) -> "_CueSite":
        para_lo, para_hi = _paragraph(verb)
        # A parsed clause never runs across a paragraph break: when the parser hangs the previous
        # paragraph's sentence on this cue, that sentence is not its content (a quote running
        # over paragraphs is found on the characters).
        clauses = [c for c in verb.children if c.dep_ in CLAUSE_DEPS and not _is_quote_mark(c)
                   and para_lo <= c.i < para_hi]
        foreign = any(c.dep_ in CLAUSE_DEPS and not (para_lo <= c.i < para_hi) for c in verb.children)
        return cls(verb, cue, quotes, (para_lo, para_hi), clauses, foreign, cue_frame(cue.lemma),
                   "clause" in _frames().get(cue.lemma, frozenset()))


@dataclass
class Found:
    """A strategy's answer: the content tokens (maybe none: the cue is settled empty),
    why they are the content, whether they name statements rather than state one, and
    which strategy found them."""

    tokens: list[Token]
    reason: str
    refers: bool = False
    strategy: str = ""


class _Refused(enum.Enum):
    """A strategy's answer when the cue reports no statement: no later strategy is tried."""

    REFUSED = "refused"


REFUSED: Final = _Refused.REFUSED
Answer = Union[Found, _Refused, None]  # a strategy's answer (None: the cue is passed on)
# Verbs that name or call something ("described it as", "called for"): ``_naming_cue``.
NAMING_CUES = _word_set("naming_cues")
# Verbs whose infinitive is a request, not a content of their own ("called on X to", "urged to").
REQUEST_CUES = _word_set("request_cues")


def _first_content(site: _CueSite, strategies, need_tokens: bool = False) -> Answer:
    """The first strategy's answer that settles the cue (``None`` when none does);
    ``need_tokens``: an answer without tokens settles nothing (the last resorts)."""
    for strategy in strategies:
        found = strategy(site)
        if found is REFUSED:
            return REFUSED
        if found is not None and (found.tokens or not need_tokens):
            found.strategy = strategy.__name__.lstrip("_")
            return found
    return None


def _answered_statement(site: _CueSite) -> Optional[Found]:
    """'... burned dozens of homes - a claim the militia denied': the relative clause
    answers the statement the noun stands for, which is what precedes the noun."""
    verb = site.verb
    if not _answers_a_claim(verb):
        return None
    tokens = _trim([t for t in verb.head.subtree if t.i < verb.i and t.i >= verb.head.left_edge.i
                    and t not in set(verb.subtree)])
    return Found(tokens, f"the statement '{verb.head.text}' that '{verb.text}' answers", refers=True)


def _closing_clause(site: _CueSite) -> Optional[Found]:
    """A reporting clause closing its sentence with its comma lost (``_sentence_final``):
    the sentence before its subject.  Only for a cue with no clause of its own."""
    if site.clauses:
        return None
    final = _sentence_final(site.verb, site.cue)
    return Found(final, f"the sentence before '<speaker> {site.verb.text}' closing it") if final else None


def _governed_clause(site: _CueSite) -> Optional[Found]:
    """The clause the cue governs ("said that the convoy was hit"), with a subject the
    parser hung on the cue and, when the cue interrupts it, the words before it."""
    if not site.clauses:
        return None
    verb = site.verb
    best = _best_clause(verb, site.clauses)
    tokens = _trim(_stolen_subject(verb, best) + _clause(best))
    fronted = _fronted(verb) if best.i > verb.i else []
    if fronted:
        # "The convoy, the ministry said, was hit": the words before ", <speaker> said," open the content.
        tokens = _trim(fronted + tokens)
    return Found(tokens, f"clause governed by '{verb.text}'")


def _as_clause(site: _CueSite) -> Optional[Found]:
    """'As the minister put it, the talks are dead': the clause the as-phrase hangs on
    is what was said.  Someone must say it: with a thing as subject ("as the figures
    indicated") it is the writer's own inference."""
    verb = site.verb
    if not (verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
            and not any(c.dep_ in CLAUSE_DEPS or c.dep_ in ("xcomp",) for c in verb.children)
            and any(c.dep_ == "nsubj" and _names_a_speaker(c) for c in verb.children)):
        return None
    inner = set(verb.subtree)
    return Found(_trim([t for t in verb.head.subtree if t not in inner]), f"clause after 'as ... {verb.text}'")


def _clause_only_cue(site: _CueSite) -> Answer:
    """Cues that report speech only with a clause or a quote ("ruled that", "continued:"):
    without a clause, the paragraph after their colon, or nothing at all ("ruled the
    province", "continued his tour" are no statements)."""
    if not site.clause_only:
        return None
    tokens = _block_after_colon(site.verb)
    if not tokens:
        return REFUSED
    return Found(tokens, f"paragraph introduced by '{site.verb.text}:'")


def _interrupting_cue(site: _CueSite) -> Optional[Found]:
    """'The test, officials said, was the largest yet': the cue interrupts its content,
    which is the clause around it less the cue's own phrase."""
    verb = site.verb
    if not (verb.dep_ in ("parataxis", "ccomp") and verb.head.pos_ in ("VERB", "AUX") and _parenthetical(verb)):
        return None
    inner = set(verb.subtree)
    return Found(_trim([t for t in verb.head.subtree if t not in inner]), f"'{verb.text}' interrupts its content")


def _interrupting_phrase(site: _CueSite) -> Optional[Found]:
    """'To end the war, the envoy said, both sides must talk' (the parser hangs the
    fronted words on the cue), 'The difference now, he told me, is that ...' (on a
    noun): the clause around the cue, less the cue's own phrase."""
    verb = site.verb
    if verb.dep_ != "parataxis":
        return None
    inner = _parenthetical_phrase(verb)
    if inner is None:
        return None
    host = verb.head
    while host.pos_ not in ("VERB", "AUX") and host.head.i != host.i:
        host = host.head
    return Found(_trim([t for t in host.subtree if t not in inner]), f"'{verb.text}' interrupts its content")


def _naming_cue(site: _CueSite) -> Optional[Found]:
    """Naming verbs (``NAMING_CUES``): what they call something ('described him as
    unfit') or ask for ('called for talks')."""
    if site.cue.lemma not in NAMING_CUES:
        return None
    tokens, reason = _naming(site.verb)
    return Found(tokens, reason) if tokens is not None else None


def _infinitive(site: _CueSite) -> Optional[Found]:
    """'vowed to rebuild', 'claimed to have downed a drone': the infinitive is the
    content, except after cues whose infinitive is a request or whose object is the
    addressee (handled by ``_addressed_request``)."""
    verb = site.verb
    if site.frame == "addressee":
        return None
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX") and site.cue.lemma not in REQUEST_CUES:
            return Found(_clause(child), f"infinitive after '{verb.text}'")
    return None


def _charge(site: _CueSite) -> Optional[Found]:
    """'accused the militia of shelling the market', 'blamed X for the attack': the
    accused and the charge."""
    if site.cue.act != "accuse":
        return None
    verb = site.verb
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
    prep = next((c for c in list(verb.children) + (list(obj.children) if obj is not None else [])
                 if c.dep_ == "prep" and c.lower_ in ("of", "for", "over")), None)
    if obj is None or prep is None:
        return None
    return Found(_trim(list(obj.subtree) + list(prep.subtree)), f"object and charge of '{verb.text}'")


def _addressed_request(site: _CueSite) -> Optional[Found]:
    """'urged the rebels to lay down their arms': whom the cue addresses and what it asks."""
    if site.frame != "addressee":
        return None
    verb = site.verb
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj", "dative")), None)
    comp = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")), None)
    if comp is None:
        return None
    return Found(_trim((list(obj.subtree) if obj is not None and obj.i < comp.i else []) + _clause(comp)),
                 f"what '{verb.text}' asks of its addressee")


def _stated_object(site: _CueSite) -> Optional[Found]:
    """The direct object as the position taken: quoted words, a statement noun ("denied
    the reports", which names statements rather than stating one), a stance object
    ("condemned the attack"), or any object of a cue with a holder, unless the object is
    the one addressed ("told reporters"), a speaker the verb does not target, or a
    measure ("weighs 90 kilos").  Without a holder the verb names an act."""
    verb, cue, frame = site.verb, site.cue, site.frame
    for child in verb.children:
        if child.dep_ not in ("dobj", "obj"):
            continue
        quoted = _starts_quoted(child, site.quotes)
        claimish = child.lemma_.lower() in CLAIM_NOUNS
        stance = cue.lemma in STANCE_OBJECT_CUES and not _names_a_speaker(child) \
            and child.lemma_.lower() not in REQUEST_NOUNS
        general = frame != "addressee" and cue.act != "deny" and child.ent_type_ != "QUANTITY" and (
            frame == "target" or not _names_a_speaker(child)) and _subject(verb)[0] is not None \
            and not _inside_reported_clause(verb)
        if quoted or claimish or stance or general or (cue.act in OBJECT_CONTENT_ACTS and cue.act != "deny"):
            return Found(_object_phrase(child), f"object of '{verb.text}'", refers=claimish and not quoted)
    return None


def _passive_subject(site: _CueSite) -> Optional[Found]:
    """'a curfew was announced', 'the plan was rejected by the council': what the
    active voice takes as object is the passive's subject (the agent, if any, speaks:
    see ``_subject``)."""
    verb = site.verb
    if site.frame == "addressee" or not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None or subj.lower_ in ("it", "there", "that", "which", "who") or subj.pos_ == "PRON":
        return None
    return Found(_object_phrase(subj), f"subject of the passive '{verb.text}'")


def _prepositional_topic(site: _CueSite) -> Optional[Found]:
    """'warned of reprisals', 'complained about the delays', and any cue with a
    prepositional complement ('pointed to the report', 'agreed to the plan').  Not an
    addressee or a time ('spoke to reporters', 'agreed on Sunday'), nor the terms of
    speaking ('on condition of anonymity')."""
    verb, cue = site.verb, site.cue
    preps = TOPIC_PREPS | GENERAL_TOPIC_PREPS if cue.lemma in TOPIC_CUES or verb.pos_ == "ADJ" else GENERAL_TOPIC_PREPS
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in preps:
            continue
        obj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
        if obj is None or obj.ent_type_ in ("DATE", "TIME") or obj.lemma_.lower() in GROUND_RULES \
                or (obj.dep_ == "pobj" and prep.lower_ in ("to", "of") and _names_a_speaker(obj)) \
                or (prep.lower_ == "to" and cue.lemma in SPEAKING_TO):
            continue
        return Found(_trim(list(obj.subtree)), f"what '{verb.text} {prep.text}' is about")
    return None


def _clause_after_object(site: _CueSite) -> Optional[Found]:
    """'warned X that ...', 'told reporters that ...': the clause hangs off the object
    (of several objects with a clause, the last one's)."""
    verb = site.verb
    found = None
    for child in verb.children:
        if child.dep_ in ("dobj", "dative"):
            grand = next((g for g in child.children if g.dep_ in CLAUSE_DEPS), None)
            if grand is not None:
                found = Found(_clause(grand), f"clause after '{verb.text} {child.text}'")
    return found


def _words_before_speaker(site: _CueSite) -> Optional[Found]:
    """'The truce must hold, the general said.' with the clause parsed onto another
    paragraph's cue: the words before the comma that sets off the speaker, or the
    quote before it ('"...," Mr. Biden said.').  Only for a cue with nothing after it."""
    verb = site.verb
    if not site.foreign_clause or any(c.i > verb.i and not c.is_punct and c.dep_ not in ("npadvmod", "advmod")
                                      for c in verb.children):
        return None
    para_lo = site.para[0]
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
    if subj is None:
        return None
    start = min(t.i for t in subj.subtree)
    doc = verb.doc
    if start - 1 > para_lo and doc[start - 1].text == ",":
        return Found(_trim([t for t in doc[para_lo : start - 1]]), f"words before ', <speaker> {verb.text}'")
    if start - 2 > para_lo and _is_quote_mark(doc[start - 1]) and doc[start - 2].text == ",":
        return Found(_trim([t for t in doc[para_lo : start]]), f"quote before '<speaker> {verb.text}'")
    return None


def _colon_block(site: _CueSite) -> Optional[Found]:
    """'The ministry said:' followed by a paragraph: that paragraph."""
    tokens = _block_after_colon(site.verb)
    return Found(tokens, f"paragraph introduced by '{site.verb.text}:'") if tokens else None


# The order is the algorithm (see the section's comment).
CONTENT_STRATEGIES = (
    _answered_statement, _closing_clause, _governed_clause, _as_clause, _clause_only_cue,
    _interrupting_cue, _interrupting_phrase, _naming_cue, _infinitive, _charge, _addressed_request,
    _stated_object, _passive_subject, _prepositional_topic, _clause_after_object,
)
FALLBACK_STRATEGIES = (_words_before_speaker, _colon_block)
# Strategies whose clause may run on into its outcome ("..., killing 12": ``_with_outcome``).
WITH_OUTCOME = {"governed_clause", "infinitive"}


# Nouns a relative "he said" can take as its object ("the things he said"): there the
# relative clause is real, not a reporting clause the parser hung on the last noun.
SAID_THINGS = _word_set("said_things")


def _sentence_final(verb: Token, cue: lexicon.Cue) -> Optional[list[Token]]:
    """'... killing 11 people three of them police a monitor said on Friday.': a
    reporting clause closing its sentence with the comma before it lost (scraped text
    strips commas), which the parser hangs on the last noun as a relative clause or
    conjoins with the content.  The cue has a subject right before it, no content of its
    own, and nothing after it but the when and the to-whom; what it reports is the
    sentence before its subject."""
    if verb.dep_ not in ("relcl", "conj", "advcl", "acl", "ROOT", "ccomp") or is_mind_cue(cue.lemma) or cue.act != "assert" \
            or (verb.dep_ == "ccomp" and verb_cue(verb.head) is not None) \
            or verb.tag_ not in ("VBD", "VBZ", "VBP") or any(c.dep_ in ("cc", "mark") for c in verb.children):
        return None
    if verb.dep_ == "relcl" and (verb.head.lemma_.lower() in CLAIM_NOUNS | SAID_THINGS or verb.head.pos_ == "PRON"):
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if subj is None or subj.lower_ in ("that", "which", "who", "what", "it"):
        return None
    left = min(t.i for t in subj.subtree)
    if any(not (doc_t.dep_ in ("aux", "neg", "advmod") and doc_t.head.i == verb.i)
           for doc_t in verb.doc[max(t.i for t in subj.subtree) + 1 : verb.i]):
        return None  # the subject must stand right before the cue
    sent = verb.sent
    frame = cue_frame(cue.lemma)
    for tok in verb.doc[verb.i + 1 : sent.end]:
        if tok.is_punct or tok.is_space:
            continue
        if tok.pos_ in ("VERB", "AUX") or not any(a.i == verb.i for a in tok.ancestors):
            return None  # a clause of its own after the cue, or words it does not govern
        if tok.dep_ in ("dobj", "obj", "dative") and tok.head.i == verb.i and frame != "addressee":
            return None
    tokens = _trim([t for t in verb.doc[sent.start : left]])
    if len(tokens) < 4 or not any(t.pos_ in ("VERB", "AUX") for t in tokens):
        return None
    last = tokens[-1]
    if last.pos_ in ("CCONJ", "SCONJ", "ADP", "DET") or last.tag_ in ("WDT", "WP", "WRB") or last.lower_ in ("as", "that", "if"):
        return None  # "..., and some said", "as police said", "in which she advises": a clause of its own
    return tokens


def _answers_a_claim(verb: Token) -> bool:
    """'a claim the militia denied', 'an account the army rejected', 'a figure the
    government disputed': a cue in a relative clause on a statement noun set beside
    what was said, its object the noun itself."""
    noun = verb.head
    return verb.dep_ == "relcl" and noun.lemma_.lower() in CLAIM_NOUNS and noun.dep_ in ("appos", "npadvmod") \
        and not any(c.dep_ in ("dobj", "obj", "ccomp") for c in verb.children) \
        and any(c.dep_ == "nsubj" and c.lower_ not in ("that", "which", "who") for c in verb.children)


def _stolen_subject(verb: Token, clause: Token) -> list[Token]:
    """'The governor said between 20 and 30 soldiers were killed': the parser hangs the
    clause's subject on the cue as a phrase of its own, leaving a clause without one.
    The words between the cue and such a clause are its subject."""
    if clause.i < verb.i or any(c.dep_ in SUBJECT_DEPS or c.dep_ == "expl" for c in clause.children):
        return []
    if clause.tag_ not in ("VBD", "VBZ", "VBP", "VBN") and not any(c.dep_ in ("aux", "auxpass") for c in clause.children):
        return []  # no finite clause: "said to be", "urged to stop" need no subject
    cue = verb_cue(verb)
    addressed = cue is not None and cue_frame(cue.lemma) == "addressee"  # "told reporters ..." is no subject
    out: list[Token] = []
    for child in verb.children:
        if verb.i < child.i < clause.i and child.dep_ in ("prep", "npadvmod", *(() if addressed else ("dobj",))) \
                and child.lower_ not in ("to", "in", "on", "at", "during", "after", "before", "from"):
            out.extend(child.subtree)
    return out


def _with_outcome(verb: Token, content: list[Token]) -> list[Token]:
    """'Rebels claimed to have overrun the base, killing 20 soldiers': the parser hangs the
    participle on the cue, but the toll is part of what was claimed.  Only outcomes of
    violence (killing, wounding, destroying, seizing): other participles after a claim
    are often the writer's ("..., sparking outrage")."""
    last = max(t.i for t in content)
    for child in verb.children:
        if child.dep_ == "advcl" and child.tag_ == "VBG" and child.i > last and verb_cue(child) is None \
                and child.lemma_.lower() in quantities.OUTCOME_VERBS \
                and all(t.is_punct for t in verb.doc[last + 1 : child.i]) and verb.doc[child.i - 1].text == ",":
            return _trim(content + list(child.subtree))
    return content


def _block_after_colon(verb: Token) -> list[Token]:
    """'The governor added:' closing its paragraph introduces the next paragraph, a block
    quotation set without quote marks."""
    doc = verb.doc
    k = verb.i + 1
    while k < len(doc) and doc[k].dep_ in ("advmod", "npadvmod") and doc[k].head.i == verb.i:
        k += 1
    if k >= len(doc) or doc[k].text != ":" or k + 1 >= len(doc) or not (doc[k + 1].is_space and "\n" in doc[k + 1].text):
        return []
    lo, hi = _paragraph(doc[k + 2]) if k + 2 < len(doc) else (0, 0)
    return _trim(list(doc[lo:hi])) if hi > lo else []


def _paragraph(tok: Token) -> tuple[int, int]:
    """Token bounds [lo, hi) of the paragraph holding tok: its line (found once per doc:
    nlp.limits), except in hard-wrapped text, where a paragraph runs to a blank or an
    indented line (``_wrapped_paragraphs``)."""
    doc = tok.doc
    bounds = doc.user_data.get(_WRAPPED_PARAGRAPHS)
    if bounds is None:
        bounds = doc.user_data[_WRAPPED_PARAGRAPHS] = _wrapped_paragraphs(doc) if hard_wrapped(text_of(doc)) else ()
    return bounds[tok.i] if bounds else limits.paragraph_of(tok)


_WRAPPED_PARAGRAPHS = "cc_wrapped_paragraphs"
WRAP_WIDTH = 100  # characters: longer lines are paragraphs of their own, not a column of wrapped text
_MID_SENTENCE_END = re.compile(r"[\w,;'\u2019-]$")


def hard_wrapped(text: str) -> bool:
    """Is the text set in short lines that break inside sentences (wire and radio archives,
    e-mail)?  Most of its line breaks that are not blank lines then fall after a word or a
    comma, in lines no longer than ``WRAP_WIDTH``."""
    lines = text.split("\n")
    single = [a.rstrip() for a, b in zip(lines, lines[1:]) if a.strip() and b.strip() and not b[:1].isspace()]
    wraps = sum(1 for a in single if len(a) <= WRAP_WIDTH and _MID_SENTENCE_END.search(a))
    return wraps >= 3 and wraps * 2 >= len(single)


def _wrapped_paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """[lo, hi) per token, where a paragraph ends at a blank line or before an indented line."""
    def breaks(t: Token) -> bool:
        return t.is_space and (t.text.count("\n") >= 2 or bool(re.search(r"\n[ \t]", t.text)))
    bounds: list[tuple[int, int]] = []
    start = 0
    for i, t in enumerate(doc):
        if breaks(t) or i == len(doc) - 1:
            end = i if breaks(t) else i + 1
            bounds.extend([(start, end)] * (i + 1 - len(bounds)))
            start = i + 1
    return bounds


def _best_clause(verb: Token, clauses: list[Token]) -> Token:
    """Of several clauses under a cue, the one it introduces: after a colon, or after
    the cue, rather than a clause the parser hung on it from before ('X, Kall said: "..."')."""
    if len(clauses) == 1:
        return clauses[0]
    doc = verb.doc
    for c in clauses:
        first = min(t.i for t in c.subtree)
        if first > verb.i and any(doc[k].text == ":" for k in range(verb.i + 1, first)):
            return c
    # Otherwise the clause nearest the cue: the parser sometimes hangs a clause of the
    # previous paragraph's quote on a later "he said".
    return min(clauses, key=lambda c: min(abs(t.i - verb.i) for t in c.subtree))


def _fronted(verb: Token) -> list[Token]:
    """Words before ', <speaker> <cue>,' that belong to the content the cue interrupts."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i]
    if not subjects:
        return []
    speaker = max(subjects, key=lambda c: c.i)
    start = min(t.i for t in speaker.subtree)
    doc = verb.doc
    if start == 0 or doc[start - 1].text != ",":
        return []
    after = doc[verb.i + 1 :]
    comma_after = next((t for t in after if t.text == "," or t.is_sent_end), None)
    if comma_after is None or comma_after.text != ",":
        return []
    # "According to X, the ministry said, ...": the phrase is an attribution of its own.
    according = {u for t in verb.sent if t.lower_ == "according" and t.i < start for u in t.subtree}
    # "Asked about the strike, the spokesman said, ...", "Speaking to reporters, X said, ...":
    # a participle hung on the cue tells when and how it was said, not what.
    setting = {u for c in verb.children if c.dep_ == "advcl" and c.i < start and c.tag_ in ("VBN", "VBG")
               for u in c.subtree}
    return [t for t in verb.sent if t.i < start - 1 and t not in according and t not in setting]


def _parenthetical(verb: Token) -> bool:
    """A cue set off by commas inside its content: ', officials said,'."""
    sub = sorted(verb.subtree, key=lambda t: t.i)
    doc = verb.doc
    # The parser hangs the commas on the cue or on the clause around it: either way.
    before = sub[0] if sub[0].i < verb.i and sub[0].is_punct else (doc[sub[0].i - 1] if sub[0].i > 0 else None)
    after = sub[-1] if sub[-1].i > verb.i and sub[-1].is_punct else (doc[sub[-1].i + 1] if sub[-1].i + 1 < len(doc) else None)
    return before is not None and before.text in (",", "—", "--") and (after is None or after.text in (",", "—", "--", ".", ";"))


def _parenthetical_phrase(verb: Token) -> Optional[set[Token]]:
    """The tokens of ', <speaker> <cue> <its own complements>,' when they are set off by
    commas or dashes inside a clause; None when they are not."""
    doc = verb.doc
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
    if subj is None:
        return None
    start = min(t.i for t in subj.subtree)
    right = [c for c in verb.children if c.i > verb.i and not c.is_punct]
    end = max([verb.i] + [t.i for c in right for t in c.subtree])
    if start == 0 or doc[start - 1].text not in (",", "\u2014", "--") or end + 1 >= len(doc):
        return None
    if doc[end + 1].text not in (",", "\u2014", "--"):
        return None
    phrase = set(doc[start - 1 : end + 2])
    if not any(t.i < start - 1 for t in verb.sent) or not any(t.i > end + 1 and not t.is_punct for t in verb.sent):
        return None  # the content must lie on both sides: otherwise it is no interruption
    return phrase


def _naming(verb: Token) -> tuple[Optional[list[Token]], str]:
    """'called the test "a violation"', 'described him as unfit', 'called for talks', 'called on X to Y'."""
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
    pred = next((c for c in verb.children if c.dep_ in ("oprd", "xcomp", "ccomp")), None)
    as_prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    for_on = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("for", "on")), None)
    if obj is not None and (pred is not None or as_prep is not None):
        tail = pred if pred is not None else as_prep
        assert tail is not None, "pred or as_prep is set (checked above)"
        return _trim(list(obj.subtree) + list(tail.subtree)), f"what '{verb.text}' names it"
    if for_on is not None and verb.lemma_.lower() == "call":
        return _trim(list(for_on.subtree)[1:] + [t for c in verb.children if c.dep_ == "xcomp" for t in c.subtree]), \
            f"what '{verb.text} {for_on.text}' asks"
    return None, ""


def _endorsement(verb: Token) -> Optional[Attribution]:
    """'observers support their claims': a statement that corroborates other statements."""
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
    if obj is None or obj.lemma_.lower() not in CLAIM_NOUNS:
        return None
    source, source_reason = _subject(verb)
    if source is None:
        return None
    return Attribution.of_verb(verb, _char_span(_object_phrase(obj)), source, source_reason,
                               f"'{verb.text}' endorses other statements", refers_to_claims=True)


def _subject(verb: Token) -> tuple[Optional[Token], str]:
    """The speaker: the cue's subject, else the subject of the verb it hangs from.

    Passives take the agent ("it was reported by state media"); participles and
    conjoined verbs ("..., warning that", "and vowed to") inherit the subject of
    their head verb, but a clausal complement's head is another speaker's verb.
    """
    node = verb
    outer = _second_statement_of(verb)
    if outer is not None:
        # "Trump said he would ... and warned against ...": the one who said also warned.
        node = outer
    elif verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.dep_ in CLAUSE_DEPS \
            and verb.head.head.pos_ in ("VERB", "AUX") and verb_cue(verb.head.head) is not None:
        # "X said A, arguing that B": the parser hangs the participle on A's verb, but the
        # one arguing is the speaker of the cue that reports A, not A's subject.
        node = verb.head.head
    for _ in range(4):
        if node.dep_ == "acl" and node.tag_ == "VBG" and node.head.pos_ in ("NOUN", "PROPN"):
            # Also for a participle conjoined with one: "issued a paper welcoming the plans,
            # and calling for bases".
            holder = _participle_holder(node)
            if holder[0] is not None:
                return holder
        for child in node.children:
            if child.dep_ in ("nsubj", "csubj"):
                if child.lower_ in ("there", "that", "which", "who") or (child.lower_ == "it" and node.dep_ == "ROOT" and _expletive(node)):
                    continue
                if child.tag_ == "VBG" and any(c.dep_ in ("dobj", "obj") for c in child.children):
                    continue  # "Describing the raid ..., the monitor said": a participle, no speaker
                if child.i > node.i and any(_is_quote_mark(node.doc[k]) for k in range(node.i + 1, child.i)):
                    continue  # '..., said on Fox News's "Fox and Friends"': a title in quotes, no speaker
                if _across_a_break(child, node):
                    left = _left_subject(node)
                    if left is not None:
                        return left, "noun right before the cue (the parsed subject lies across a break)"
                    continue
                named = _apposed_speaker(child, node)
                if named is not None:
                    return named, "name set beside the subject, right before the cue"
                return child, "subject of the cue"
            if child.dep_ == "agent":
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj, "agent of the passive cue"
        for child in node.children:
            # A passive's subject is no speaker of the passive cue itself ("a curfew was
            # announced"), but it is the understood subject of a clause hung on the passive
            # ("after saying her foot was swollen, she was whisked off").
            if child.dep_ == "nsubjpass" and (node.tag_ != "VBN" or node is not verb):
                return child, "subject of the cue" if node is verb else "subject of the clause the cue hangs on"
        if node.dep_ == "xcomp":
            # Object control: "prompted NATO to order", "led the journalist to fear",
            # "forced Stumpf to admit": the infinitive's subject is its head's object.
            obj = next((c for c in node.head.children if c.dep_ in ("dobj", "obj") and c.i < node.i), None)
            if obj is not None and obj.pos_ in ("PROPN", "NOUN", "PRON") and obj.lower_ not in ("that", "what", "it"):
                return obj, "object of the verb the infinitive completes (object control)"
        for child in node.children:
            if child.dep_ == "nsubj" and child.lower_ in ("who", "which", "that") and node.dep_ == "relcl":
                return child, "relative pronoun (its antecedent speaks)"
            if child.dep_ == "nsubj" and child.lower_ in ("who", "which") and relative_antecedent(child) is not None:
                # "turned to the police department, which reported ...": a who/which right
                # after a noun opens a relative clause even where the parser hung the clause
                # elsewhere (as an adverbial of the main verb).
                return child, "relative pronoun (its antecedent speaks)"
        if node.dep_ in ("advcl", "conj", "xcomp", "acl", "relcl", "acomp") and node.head.i != node.i:
            if node.dep_ == "relcl":
                return node.head, "antecedent of the relative clause"
            node = node.head
            continue
        misread = _misread_verb_subject(node)
        if misread is not None:
            return misread, "name before a verb the tagger read as a noun"
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.i != node.head.i:
            # "by saying", "after admitting", "despite warning"; "stopped short of calling".
            node = _governing_verb(node.head)
            if node.dep_ == "poss":
                return node, "possessor of the noun the gerund completes"
            continue
        break
    left = _left_subject(verb)
    if left is not None:
        return left, "noun right before the finite cue (the parse gave it no subject)"
    short = _abbreviation_as_auxiliary(verb)
    if short is not None:
        return short, "abbreviation the tagger read as a form of 'be' ('IS said')"
    return None, "no subject"


def _abbreviation_as_auxiliary(verb: Token) -> Optional[Token]:
    """'IS said in a statement that ...': a short name in capitals that is also a form of
    "be" is read as the passive's auxiliary ("is said"), and the cue is left without a
    subject.  In a text not set in capitals, a capitalised auxiliary right before a past
    cue that opens its clause is that name."""
    if verb.tag_ not in ("VBD", "VBN") or verb.i == 0:
        return None
    aux = verb.doc[verb.i - 1]
    if aux.dep_ not in ("aux", "auxpass") or aux.head.i != verb.i or aux.lemma_ != "be" \
            or not (aux.text.isupper() and len(aux.text) >= 2) or shouting(verb.doc):
        return None
    if aux.i > verb.sent.start and not verb.doc[aux.i - 1].is_punct:
        return None
    return aux


def _apposed_speaker(subj: Token, verb: Token) -> Optional[Token]:
    """'... in the northern district the poorest area near the capital the Syrian Network
    for Human Rights said': with the commas stripped the parser makes the last noun before the name
    the subject and the name its apposition.  A name standing right before the cue speaks."""
    if subj.i > verb.i:
        return None
    if subj.pos_ == "NOUN":
        for child in subj.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN" and max(t.i for t in child.subtree) == verb.i - 1 \
                    and min(t.i for t in child.subtree) > subj.i + 1:
                return child  # not "the pro-government website Al X said": there the noun names the X
    described = _described_speaker_before(subj, verb)
    if described is not None:
        return described
    if subj.ent_type_ != "PERSON":
        # "Head of the London-based Network Y Z also stated": the person named at the
        # end of the subject, right before the cue, speaks.
        end = verb.i - 1
        while end > subj.i and verb.doc[end].dep_ in ("advmod", "neg", "aux") and verb.doc[end].head.i == verb.i:
            end -= 1
        last = verb.doc[end]
        if end > subj.i and last.ent_type_ == "PERSON" and last.ent_iob_ in ("B", "I") \
                and any(t.i == last.i for t in subj.subtree) and (end + 1 >= len(verb.doc) or verb.doc[end + 1].ent_type_ != "PERSON"):
            return last
    return None


SPEAKER_REACH = 8  # tokens: a subject further from its cue than this may be a misparse


def _described_speaker_before(subj: Token, verb: Token) -> Optional[Token]:
    """'... captured by the militia X a coalition of militias backed by Y that includes Z an
    organisation that monitors the war said': with the commas stripped, the parser takes the
    first noun of a long run of appositions for the subject and buries the one right before
    the cue in a clause inside it.  A described speaker ("an organisation that monitors the
    war", "a group that tracks the fighting": a determiner, a speaker noun) whose phrase ends
    right before the cue and follows another noun phrase with nothing between them (the
    stripped comma), inside such a subject, speaks."""
    if verb.i - subj.i <= SPEAKER_REACH:
        return None
    inside = {t.i for t in subj.subtree}
    for tok in reversed(verb.doc[subj.i + 2 : verb.i]):  # the phrase nearest the cue
        if tok.i not in inside or tok.pos_ != "NOUN" or max(t.i for t in tok.subtree) != verb.i - 1 \
                or not any(c.dep_ == "det" and c.lower_ in ("a", "an", "the") for c in tok.children):
            continue
        lemma = tok.lemma_.lower()
        if lemma not in lexicon.roles() and (lemma,) not in descriptions():
            continue
        if verb.doc[tok.left_edge.i - 1].pos_ not in ("NOUN", "PROPN"):
            continue  # set right after another noun phrase, where a comma stood ("... unit, a watchdog")
        # Buried: a verb (a clause) stands between the subject and the described speaker.
        node, clause = tok.head, False
        while node.i != subj.i and node.i != node.head.i:
            clause = clause or node.pos_ in ("VERB", "AUX")
            node = node.head
        if clause:
            return tok
    return None


def relative_antecedent(pronoun: Token) -> Optional[Token]:
    """The noun a relative who/which follows ("the department, which"), or None for a
    question word ("Who said it?")."""
    doc = pronoun.doc
    k = pronoun.i - 1
    if k >= 0 and doc[k].text == ",":
        k -= 1
    if k < pronoun.sent.start or pronoun.sent.text.rstrip().endswith("?"):
        return None
    prev = doc[k]
    return prev if prev.pos_ in ("NOUN", "PROPN") else None


def _misread_verb_subject(node: Token) -> Optional[Token]:
    """'Trump claims that ...', 'The campaign plans to ...', 'Kerry avoids condemning ...':
    the tagger read the verb as a plural noun heading the sentence and its subject as a
    modifier of that noun.  A sentence root that is a noun in -s with a clause or a
    participle under it is that verb; the noun compounded before it is its subject."""
    if node.dep_ != "ROOT" or node.tag_ != "NNS" or not node.lower_.endswith("s"):
        return None
    if not any(c.dep_ in ("ccomp", "xcomp", "acl") and c.i > node.i and c.pos_ in ("VERB", "AUX") for c in node.children):
        return None
    left = [c for c in node.children if c.i < node.i and c.dep_ in ("compound", "nmod", "nsubj") and c.pos_ in ("PROPN", "NOUN")]
    if not left or left[-1].i != node.i - 1:
        return None
    return left[-1]


def _governing_verb(prep: Token) -> Token:
    """Where a gerund's preposition hangs when that is no verb: an adverb or adjective
    ("stopped short of calling", "aside from saying", "was capable of lying") or a noun
    naming a manner or a place in the action ("had no way of knowing", "were in the lead
    in advocating") passes it on to the verb it belongs to, whose subject acts.  A noun
    with a possessor names the actor itself ("his habit of insulting": his); a noun
    taking "for" names its own actor ("credit to the activists for speaking out")."""
    node = prep.head
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        if node.pos_ in ("NOUN", "PROPN"):
            poss = next((c for c in node.children if c.dep_ == "poss"), None) if prep.lower_ in ("of", "in", "on", "for") else None
            if poss is not None or prep.lower_ not in ("of", "in"):
                return poss if poss is not None else node
        if node.dep_ in ("advmod", "acomp", "npadvmod", "dobj", "attr", "oprd", "prep") \
                or (node.dep_ == "pobj" and node.head.dep_ == "prep"):
            node = node.head
            continue
        break
    return prep.head


def _participle_holder(verb: Token) -> tuple[Optional[Token], str]:
    """Who speaks through a participle on a noun: "the council issued a statement calling
    the test a violation" (the statement's issuer), "a statement announcing the pick" (the
    statement), "had black artists writing songs about him", "a man shouting" (the people)."""
    noun = verb.head
    if _names_a_speaker(noun) and noun.pos_ != "PRON":
        return noun, "the speaker the participle describes"
    if noun.dep_ in ("dobj", "obj") and noun.head.pos_ in ("VERB", "AUX"):
        holder = next((c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if holder is not None and holder.lower_ not in ("that", "which", "who"):
            return holder, f"subject of the verb whose object '{noun.text}' says it"
        if holder is None and noun.head.dep_ == "conj":
            # "vowed to act and issued a decree urging calm": the conjoined verb shares the subject.
            holder, _ = _subject(noun.head)
            if holder is not None and holder.lower_ not in ("that", "which", "who"):
                return holder, f"subject of the verb whose object '{noun.text}' says it"
    if (noun.lemma_.lower(), "NOUN") in lexicon.cues() or noun.lemma_.lower() in CLAIM_NOUNS:
        return noun, "the statement the participle describes"
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ in ("at", "in", "during") \
            and noun.head.head.pos_ in ("VERB", "AUX"):
        # "said at a news conference announcing the pick", "in many cases reporting lower
        # figures": the occasion or manner of the verb's act; its subject does the saying.
        holder, _ = _subject(noun.head.head)
        if holder is not None and holder.lower_ not in ("that", "which", "who"):
            return holder, f"subject of the verb that '{noun.head.text} {noun.text}' describes"
    return None, ""


def _across_a_break(subj: Token, verb: Token) -> bool:
    """A subject before its verb with a paragraph break or a label's colon in between
    ("2:45 p.m. / Trump says", "The Latest: Trump urges"): no clause runs across those,
    the parser merged a time stamp or a heading into the sentence."""
    if subj.i >= verb.i:
        return False
    doc = verb.doc
    return any((doc[k].is_space and "\n" in doc[k].text) or doc[k].text == ":" for k in range(subj.i, verb.i))


def _left_subject(verb: Token) -> Optional[Token]:
    """A finite verb always has a subject: when the parser attached the noun before it
    elsewhere ("... of the Washington Post Trump said that", "the investigation and
    Democrats accused"), the noun right before the verb (past its auxiliaries and
    adverbs) is it."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") and not any(c.dep_ == "aux" and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in verb.children):
        return None
    sent_start = verb.sent.start
    i = verb.i - 1
    while i >= sent_start and (verb.doc[i].dep_ in ("aux", "neg", "advmod") and verb.doc[i].head.i == verb.i):
        i -= 1
    if i < sent_start:
        return None
    tok = verb.doc[i]
    if tok.text == ",":
        # "Marc Morial, the chief executive of the league, told ...", "Obama, dedicating the
        # museum, said ...": the name before the apposition or the participle the comma closes.
        named = _apposed_name(tok)
        if named is None or named.i < sent_start:
            return None
        tok = named
    if tok.i - 1 >= sent_start and verb.doc[tok.i - 1].pos_ == "PROPN" and age_of(verb.doc, tok.i):
        # "Karim 31 said" (a wire's commas stripped from "Karim, 31, said"): the name before
        # the age speaks.
        tok = verb.doc[tok.i - 1]
    if tok.pos_ in ("PROPN", "NOUN") or (tok.pos_ == "PRON" and tok.tag_ != "PRP$" and tok.lower_ not in ("that", "which", "what", "it")):
        return _first_named(tok)
    return None


def age_of(doc: Doc, i: int) -> bool:
    """Is token i a person's age written after the name ("Karim, 31, said", "Karim 31
    said"): a number of one to three digits right after a proper noun (past a comma),
    and before a comma or a verb?"""
    tok = doc[i]
    if not (tok.like_num and tok.text.isdigit() and 1 <= int(tok.text) <= 110) or i == 0:
        return False
    before = doc[i - 1] if doc[i - 1].text != "," or i < 2 else doc[i - 2]
    after = doc[i + 1] if i + 1 < len(doc) else None
    return before.pos_ == "PROPN" and before.ent_type_ not in ("GPE", "LOC", "FAC", "DATE") \
        and before.lemma_.lower() not in lexicon.roles() \
        and after is not None and (after.text == "," or after.pos_ in ("VERB", "AUX"))  # not "Channel 4 said"


def _first_named(tok: Token) -> Token:
    """'... the Syrian Network for Human Rights and nurses said': of joint speakers the
    first named speaks (the convention), and a name's last word stands for its head."""
    for _ in range(6):
        if tok.dep_ == "conj" and tok.head.i < tok.i and tok.head.pos_ in ("PROPN", "NOUN") \
                and any(c.dep_ == "cc" and c.lower_ in ("and", "or") and c.i < tok.i for c in tok.head.children):
            tok = tok.head  # "the monitor and doctors": the monitor
        elif tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.i < tok.i \
                and not any(_is_quote_mark(t) for t in tok.doc[tok.head.head.i : tok.i]) \
                and (tok.head.lower_ in ("for", "of") and tok.pos_ == "PROPN" and tok.head.head.pos_ == "PROPN"
                     or tok.head.lower_ in ("at", "in", "on", "from") and tok.pos_ == "NOUN"
                     and tok.head.head.pos_ in ("PROPN", "NOUN")):
            tok = tok.head.head  # "Network for Human Rights", "nurses at the clinic"
        else:
            break
    return tok


def _apposed_name(comma: Token) -> Optional[Token]:
    """The name an apposition or a participle set off by this (closing) comma describes:
    the head of the apposition the words before the comma belong to, else the name the
    parser hung the comma on."""
    node = comma.doc[comma.i - 1] if comma.i > 0 else comma
    for _ in range(6):
        if node.dep_ == "appos" and node.head.pos_ in ("PROPN", "NOUN"):
            return node.head
        if node.head.i == node.i or node.head.i > comma.i:
            break
        node = node.head
    head = comma.head
    if head.i < comma.i:
        head = head.head if head.tag_ == "VBG" and head.dep_ in ("acl", "advcl") else head
        if head.dep_ not in ("pobj", "dobj") and head.pos_ in ("PROPN", "NOUN"):
            return head
    return None


def _expletive(verb: Token) -> bool:
    """'it is said that', 'it seems': an 'it' that names nobody."""
    return verb.lemma_.lower() in ("be", "seem", "appear") or any(c.dep_ == "auxpass" for c in verb.children)


def _negated(verb: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    # "refused to confirm", "declined to deny": negation carried by the head verb.
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_.lower() in {"refuse", "decline", "fail"}


def _channel(verb: Token) -> Optional[str]:
    """'in a statement', 'in a post on X', 'told state TV'."""
    for tok in verb.subtree:
        if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "on", "during", "via", "through"):
            name = CHANNEL_NOUNS.get(tok.lemma_.lower())
            if name is None:
                continue
            platform = _platform(tok)
            if name == "post" and platform:
                return f"post on {platform}"
            return name
    return None


def _platform(tok: Token) -> Optional[str]:
    for t in tok.subtree:
        if t.text in ("X", "Twitter", "Facebook", "Telegram", "Instagram", "YouTube", "TikTok", "Truth"):
            return "X" if t.text == "Twitter" else t.text
    return None


# -- cue nouns ----------------------------------------------------------------


def _noun_attribution(noun: Token, quotes) -> Optional[Attribution]:
    """"Mujahid's claims that ...", "a statement saying ...": a noun with its content clause."""
    clause = None
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
            clause = child
            break
        if child.dep_ == "prep" and child.lower_ == "of" and noun.lemma_.lower() in ("claim", "allegation", "accusation", "report"):
            pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if pobj is not None and not _names_a_speaker(pobj):
                clause = pobj  # "claims of heavy casualties": the content, not "claims of either side"
                break
    if clause is None:
        return None
    tokens = _clause(clause)
    start, end = _char_span(tokens)
    # A noun's content runs to the end of the noun phrase (coordinated objects the parser
    # attached to the noun: "claims that X seized outposts, plus two bases").
    noun_end = max(t.idx + len(t.text) for t in noun.subtree if not t.is_punct)
    end = max(end, noun_end)
    source, reason = _noun_holder(noun)
    sent = noun.sent
    cue_obj = lexicon.cues()[(noun.lemma_.lower(), "NOUN")]
    return Attribution(
        cue=(noun.idx, noun.idx + len(noun.text)),
        cue_lemma=cue_obj.lemma,
        cue_pos="NOUN",
        content=(start, end),
        source=source,
        source_reason=reason,
        direct=inside(quotes, start, end) > 0.8,
        sentence=(sent.start_char, sent.end_char),
        reasons=[f"content of the noun '{noun.text}'"],
    )


# Support verbs of statement nouns: "issued a statement", "made the claim", "released a report",
# "left no doubt that", "left a message saying".
# Their subject is the statement's author (unlike "rejected the claim", "cited a report").
SUPPORT_VERBS = _word_set("support_verbs")


def _noun_holder(noun: Token) -> tuple[Optional[Token], str]:
    """Whose statement a noun names: its possessor ("Mujahid's claims"), a speaker
    compounded with it ("a Reuters report", "Pentagon statement"), a "by"/"from" phrase
    ("a statement from the ministry"), or the subject of a support verb ("the ministry
    issued a statement")."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        return poss, "possessor of the statement noun"
    for c in noun.children:
        if c.dep_ == "compound" and c.i < noun.i and _names_a_speaker(c) and c.pos_ in ("PROPN", "NOUN"):
            return c, "speaker compounded with the statement noun"
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and (_names_a_speaker(pobj) or _may_speak(pobj)):
                return pobj, f"'{c.text}' phrase of the statement noun"
    head = noun.head
    if noun.dep_ in ("dobj", "obj") and head.lemma_.lower() in SUPPORT_VERBS:
        subj, _ = _subject(head)
        if subj is not None:
            return subj, f"subject of '{head.text} {noun.text}'"
    if noun.dep_ == "pobj" and head.lower_ == "in" and head.head.pos_ in ("VERB", "AUX") and verb_cue(head.head) is not None:
        # "X said in a statement that ...", the clause hung on the noun: X's statement.
        subj, _ = _subject(head.head)
        if subj is not None:
            return subj, f"subject of '{head.head.text} in a {noun.text}'"
    return None, "no source"


def _may_speak(tok: Token) -> bool:
    """After a statement noun's "by"/"from" ("warnings from his attorney", "a letter from
    the clinic"), any noun but a place, a time or a quantity is its author."""
    return tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("LOC", "FAC", "DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT")


def _names_a_speaker(tok: Token) -> bool:
    """'either side', 'the ministry', 'Hamas': a who, not a what."""
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or tok.pos_ == "PRON":
        return True
    return tok.lemma_.lower() in lexicon.roles() or tok.lemma_.lower() in ("side", "party", "group", "government")


def _toll_set_at(verb: Token) -> Optional[Attribution]:
    """'Health officials put the death toll at 27': who gives the figure, and the figure."""
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in quantities.QUANTITIES.toll_nouns), None)
    at = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("at", "to")), None)
    if obj is None or at is None or not any(g.dep_ == "pobj" and (g.like_num or any(n.like_num for n in g.subtree))
                                            for g in at.children):
        return None
    source, reason = _subject(verb)
    if source is None:
        return None
    return Attribution.of_verb(verb, _char_span(_trim(list(obj.subtree) + list(at.subtree))), source, reason,
                               f"figure given: '{verb.text} the {obj.text} at'")


TIME_CLAUSE_MARKS = _word_set("time_clause_marks")


def _according_to(prep: Token) -> Optional[Attribution]:
    to = next((c for c in prep.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if pobj is None and to is not None:
        # "according to show insiders": the tagger read the phrase as a verb; its last noun
        # names the source.
        pobj = next((t for t in sorted(to.subtree, key=lambda t: -t.i) if t.pos_ in ("NOUN", "PROPN")), None)
    if pobj is None:
        return None
    assert to is not None, "pobj is found under 'to'"
    # The phrase modifies the clause it sits in; when the parser coordinated it with a verb
    # instead, that clause is the sentence.
    head = prep.head if prep.dep_ == "prep" else prep.sent.root
    if head.dep_ == "advcl" and head.head.i < head.i and head.head.pos_ in ("VERB", "AUX") and verb_cue(head.head) is None \
            and any(c.dep_ in ("advmod", "mark") and c.lower_ in TIME_CLAUSE_MARKS and c.i < head.i for c in head.children):
        # "Twelve died when the bus overturned, according to the police": the phrase closes the
        # sentence; what the source tells is the whole of it, not the time clause alone.
        head = head.head
    phrase = set(prep.subtree)
    last = head.sent.end - 1
    while last > head.sent.start and head.doc[last].is_space:
        last -= 1  # the sentence's closing mark, before the paragraph's line break
    tokens = [t for t in head.subtree if t not in phrase and not ((t.is_punct or t.is_space) and t.i >= last)]
    tokens = _between_other_sources(prep, tokens)
    if not tokens:
        return None
    start, end = _char_span(_trim(tokens))
    sent = prep.sent
    source, source_reason = pobj, "object of 'according to'"
    lemma = pobj.lemma_.lower()
    if lemma in CHANNEL_NOUNS or lemma in CLAIM_NOUNS or (lemma, "NOUN") in lexicon.cues():
        # "according to a Reuters report", "according to a statement from the ministry": the
        # statement's author speaks.
        holder, why = _noun_holder(pobj)
        if holder is not None:
            source, source_reason = holder, f"'according to' a statement: {why}"
    return Attribution(
        cue=(prep.idx, to.idx + len(to.text)),
        cue_lemma="according to",
        cue_pos="PREP",
        content=(start, end),
        source=source,
        source_reason=source_reason,
        sentence=(sent.start_char, sent.end_char),
        reasons=["'according to' phrase"],
    )


def _between_other_sources(prep: Token, tokens: list[Token]) -> list[Token]:
    """'nearly 200 dead according to the army and over 350 according to the rebels': with
    several 'according to' phrases in one clause, each one's content is the words between
    the phrase before it and itself (or, for a phrase that opens the clause, the words up
    to the next one)."""
    others = [t for t in tokens if t.lower_ == "according" and t.i != prep.i]
    if not others:
        return tokens
    lo = max((_source_end(o) for o in others if o.i < prep.i), default=-1)
    hi = min((o.i for o in others if o.i > prep.i), default=len(prep.doc))
    before = [t for t in tokens if lo < t.i < prep.i and not t.is_punct]
    if before:
        return _trim([t for t in tokens if lo < t.i < prep.i and t.lower_ not in ("and", "but", "while")])
    end = max(x.i for x in prep.subtree)
    return [t for t in tokens if end < t.i < hi]



def _source_end(according: Token) -> int:
    """Where an 'according to X' phrase's source ends: the head noun of X (what the parser
    coordinated with it, "and over 400 casualties", belongs to the next statement)."""
    to = next((c for c in according.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    return pobj.i if pobj is not None else according.i + 1


# -- quoted words the cue governs outside its content --------------------------


def _quoted_remainders(doc: Doc, quotes, found: list[Attribution]) -> list[Attribution]:
    """'declared "counterstrikes" against X, in response to the "unprovoked attacks"':
    a quotation in a phrase the cue governs, outside the content, is the speaker's
    words too, so it is a claim of its own (the phrase around it is its content)."""
    out = []
    taken = [a.content for a in found]
    for att in found:
        if att.cue_pos != "VERB":
            continue
        span = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
        if span is None:
            continue
        verb = span.root
        for child in verb.children:
            if child.dep_ not in ("prep", "advcl", "npadvmod"):
                continue
            lo, hi = _char_span(child.subtree)
            q = next(((s, e) for s, e in quotes if lo <= s and e <= hi + 2 and len(text_of(doc)[s:e].split()) >= 2), None)
            if q is None or any(a < hi and lo < b for a, b in taken):
                continue
            out.append(Attribution(cue=att.cue, cue_lemma=att.cue_lemma, cue_pos=att.cue_pos, content=(lo, max(hi, q[1])),
                                   source=att.source, source_reason=att.source_reason, direct=False,
                                   negated=att.negated, sentence=att.sentence,
                                   reasons=[f"quoted words in a phrase governed by '{verb.text}'"]))
            taken.append((lo, hi))
    return out


# -- quotes without a cue in their own sentence -------------------------------


def _unattributed_quotes(doc: Doc, quotes, found: list[Attribution]) -> list[Attribution]:
    """A quote no cue claimed: 'X said:' before it, or '..., X said.' right after it."""
    out: list[Attribution] = []
    for q_start, q_end in quotes:
        if any(a.content[0] < q_end and q_start < a.content[1] for a in found):
            continue
        if len(text_of(doc)[q_start:q_end].split()) < 4:
            continue  # a scare-quoted phrase, not a statement
        att = _quote_with_neighbour_cue(doc, q_start, q_end, quotes) or _quote_continued(doc, q_start, q_end, found + out)
        if att is not None:
            out.append(att)
    return out


_SENTENCE_END = re.compile(r"\b[a-z]{3,}[.!?]\s")  # "military. The": not "Lt. Col." nor "U.S."


def _quote_continued(doc: Doc, q_start: int, q_end: int, found: list[Attribution]) -> Optional[Attribution]:
    """'"We will strike back," the commander warned. "Our fighters are ready."': a quote
    opening the sentence right after '"...," <speaker> <cue>.', in the same paragraph,
    goes on with the same speaker's words.  It is a claim of its own (its span is
    exact), under the same cue.  Not across a paragraph break, where another voice
    may begin."""
    text = text_of(doc)
    for att in found:
        if not att.direct or att.content[1] > att.cue[0] or att.content[1] > q_start:
            continue
        # Between the two quotes only the speaker and the cue, ending the sentence: the
        # characters decide, not the parser's sentences ("said Lt. Col. Ahmed Sharif.").
        tail = text[att.content[1] : q_start]
        if "\n" in tail or any(ch in tail for ch in '"\u201c\u201d') or not tail.rstrip().endswith((".", "!")) \
                or len(tail.split()) > 14 or _SENTENCE_END.search(tail.rstrip()[:-1]) \
                or any(att.content[1] <= other.cue[0] < q_start for other in found if other.cue != att.cue):
            continue  # a break, another quote or statement, a sentence that goes on: the quote need not be theirs
        return Attribution(
            cue=att.cue, cue_lemma=att.cue_lemma, cue_pos=att.cue_pos, content=(q_start, q_end),
            source=att.source, source_reason=att.source_reason, direct=True, negated=att.negated,
            channel=att.channel, sentence=(att.sentence[0], q_end),
            reasons=[f"quote continuing the words before '{text[att.cue[0]:att.cue[1]]}'"])
    return None


def _quote_with_neighbour_cue(doc: Doc, q_start: int, q_end: int, quotes) -> Optional[Attribution]:
    cues = lexicon.cues()
    span = doc.char_span(q_start, q_end, alignment_mode="expand")
    if span is None:
        return None
    candidates: list[SpacySpan] = []
    first_sent = span[0].sent
    if first_sent.start > 0:
        candidates.append(doc[first_sent.start - 1].sent)  # "He said:" before the quote
    candidates.append(first_sent)  # 'Officials said, "..."' in the quote's own first sentence
    last_sent = span[-1].sent
    if last_sent != first_sent:
        candidates.append(last_sent)  # '"...," he concluded.' in the quote's own last sentence
    if last_sent.end < len(doc):
        candidates.append(doc[last_sent.end].sent)  # "..." / "he said." after the quote
    text = text_of(doc)
    for sent in candidates:
        for tok in sent:
            if not (tok.pos_ in ("VERB", "AUX") and (tok.lemma_.lower(), "VERB") in cues):
                continue
            if any(c.dep_ in CLAUSE_DEPS or c.dep_ in ("xcomp", "dobj") for c in tok.children):
                continue  # the cue has its own content
            if any(s <= tok.idx < e for s, e in quotes):
                continue
            before = sent.end_char <= q_start and sent.text.rstrip().endswith(":")
            # 'He said, "..."', 'Said Ellis: "..."': the cue just before the quote, a comma or colon between.
            gap = text[tok.idx + len(tok.text) : q_start]
            lead_in = tok.idx < q_start and gap.rstrip()[-1:] in (",", ":") and len(gap.split()) <= 4
            after = tok.idx >= q_end and len(text[q_end:tok.idx].split()) <= 6
            if not (before or lead_in or after):
                continue
            source, reason = _subject(tok)
            if source is not None and any(s <= source.idx < e for s, e in quotes):
                # The parser took a word of the quote as subject ('"... Allahu Akbar," he said').
                source = next((t for t in sent if q_end <= t.idx < tok.idx and t.pos_ in ("PRON", "PROPN", "NOUN")), None)
                reason = "nearest noun between the quote and the cue"
            if source is None and (after or lead_in):
                # Inverted order: '"...," said Maria Lopez', 'Said Ellis: "..."'.
                source = next((t for t in sent if t.i > tok.i and t.idx < (q_start if lead_in else sent.end_char)
                               and t.dep_ in ("nsubj", "nsubjpass", "compound", "ROOT", "dobj", "npadvmod", "appos")
                               and t.pos_ in ("PROPN", "NOUN") and not any(s <= t.idx < e for s, e in quotes)), None)
                if source is not None:
                    while source.dep_ == "compound" and source.head.i > source.i:
                        source = source.head
                reason = "name after the cue"
            if source is None:
                continue
            return Attribution.of_verb(
                tok, (q_start, q_end), source, reason, "quote attributed by the neighbouring sentence",
                sentence=(span[0].sent.start_char, sent.end_char if after else span[-1].sent.end_char), direct=True,
            )
    return None


# -- transcripts and bylined quotes -------------------------------------------------

_LABEL = re.compile(r"(?m)^[ \t]*[\"\u201c]?([A-Z][A-Za-z.'\u2019-]*(?: [A-Z][A-Za-z.'\u2019-]*){0,3}):[ \t]+(?=\S)")
_DASH_NAME = re.compile(r"[ \t]*[\u2015\u2014\u2013-]{1,2}\s*([A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,4})")


def _quotes_of(doc: Doc) -> tuple[tuple[int, int], ...]:
    """``quote_spans`` of the document, found once per doc: the verb cues and the
    speaker labels both need them, and the scan walks the whole text."""
    cached = doc.user_data.get(_QUOTES)
    if cached is None:
        cached = doc.user_data[_QUOTES] = tuple(quote_spans(text_of(doc)))
    return cached


_QUOTES = "cc_quotes"


def _speaker_labels(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """Two written conventions with no speech verb at all:

    - transcripts: a paragraph opening with a speaker label ("PENCE: I think ...");
    - vox-pop bylines: a quote followed by a dash and the speaker's name
      ("“They never listen.” ― Maria Lopez").
    """
    text = text_of(doc)
    out: list[Attribution] = []
    taken = [a.content for a in found]

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    # Names the article gives its people and bodies: a label that is the last word of one
    # ("Sanders: ..." in a story about Bernie Sanders) names a speaker too.
    known = {e.text.split()[-1].lower() for e in ents_of(doc) if e.label_ in ("PERSON", "ORG") and e.text.split()}
    # ... and so does the head of a phrase that speaks in the story ("Poll: ..." over "A new
    # poll shows that ...").
    known |= {a.source.lower_ for a in found if a.source is not None and a.source.pos_ in ("NOUN", "PROPN")}
    for m in _LABEL.finditer(text):
        label = m.group(1)
        if not (label.isupper() or any(e.label_ in ("PERSON", "ORG") and e.start_char <= m.start(1) < e.end_char for e in ents_of(doc))
                or label.split()[-1].lower() in known):
            continue
        if label.lower() in ("note", "update", "editor", "correction", "photo", "video", "source", "read more", "related"):
            continue
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        if end - m.end() < 15 or not (free(m.end(), end) or _first_person_inside(found, m.end(), end)):
            continue
        src = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        out.append(Attribution(cue=(m.end(1), m.end(1) + 1), cue_lemma=":", cue_pos="PUNCT", content=(m.end(), end),
                               source=src.root if src is not None else None, source_reason="speaker label",
                               direct=True, sentence=(m.start(), end), reasons=["transcript speaker label"]))
    for q_start, q_end in _quotes_of(doc):
        sig = _DASH_NAME.match(text, q_end)
        if sig is None or not free(q_start, q_end):
            continue
        src = doc.char_span(sig.start(1), sig.end(1), alignment_mode="expand")
        # The signature convention is itself the evidence when the name ends its line
        # ("...” ― Karen Lopez" then a new line): the tagger misses many unfamiliar names.
        ends_line = re.match(r"[ \t.]*(?:\n|$)", text[sig.end():]) is not None and len(sig.group(1).split()) >= 2
        if src is None or not (ends_line or any(t.ent_type_ in ("PERSON", "ORG") for t in src)):
            continue
        dash = text.index(sig.group(0).strip()[0], q_end)
        out.append(Attribution(cue=(dash, dash + 1), cue_lemma="\u2015", cue_pos="PUNCT", content=(q_start, q_end),
                               source=src.root, source_reason="name after a dash", direct=True,
                               sentence=(q_start, sig.end()), reasons=["quote signed with a dash"]))
    return out


# Case-insensitive: capitals-only transcripts reach the rules truecased ("[Begin recording] [Diaz]").
_BRACKET_TURN = re.compile(r"(?mi)^[ \t]*(?:\[BEGIN RECORDING\][ \t]*)?\[([A-Z][A-Z .'\u2019-]{1,40})\][ \t]+(?=\S)")
_TURN_END = re.compile(r"(?i)\n[ \t]*\n|\[END RECORDING\]")


@functools.lru_cache(maxsize=None)
def _bracket_labels() -> dict[str, str]:
    return {r[0].upper(): r[1] for r in lexicon.rows("transcripts.tsv") if len(r) >= 2}


def _transcript_turns(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """Broadcast transcripts mark recorded speech with a bracketed speaker label and no
    speech verb: "[BEGIN RECORDING] [DIAZ] THE BRIDGE WAS HIT TWICE. WE LOST TWO MEN."
    Each sentence of the turn is a claim of the labelled speaker (one point a sentence;
    questions are none).  Cues inside the turn whose source is no one named ("the
    evidence shows", "reports indicate", "I am not saying") are the speaker's own words:
    the sentence's claim replaces them."""
    text = text_of(doc)
    labels = _bracket_labels()
    out = list(found)
    for m in _BRACKET_TURN.finditer(text):
        label = " ".join(m.group(1).split()).upper()
        if labels.get(label) is not None:
            continue
        end_m = _TURN_END.search(text, m.end())
        end = end_m.start() if end_m else len(text)
        src = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if src is None:
            continue
        start = m.end()
        turn = doc.char_span(start, end, alignment_mode="contract")
        if turn is None:
            continue
        out = [a for a in out if not (start <= a.cue[0] < end and not _named_third_party(a.source, start, end))]
        for sent in turn.sents:  # type: ignore[attr-defined]  # spaCy 3.8's span.pyi omits Span.sents
            words = [t for t in sent if t.is_alpha]
            body = sent.text.strip()
            if len(words) < 4 or body.endswith("?"):
                continue
            s0 = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            # The parser's first sentence of a turn often opens at the label ("[DIAZ] NO, WE
            # NEVER ..."): the label names the speaker, the words are what follows it.
            s0, s1 = max(s0, start), min(s0 + len(body), end)
            if s1 <= s0:
                continue
            out.append(Attribution(cue=(m.start(1) - 1, m.end(1) + 1), cue_lemma="[]", cue_pos="PUNCT",
                                   content=(s0, s1), source=src.root,
                                   source_reason="transcript turn label", direct=False,
                                   sentence=(s0, s1), reasons=["sentence of a transcript turn"]))
    return out


def _named_third_party(source: Optional[Token], start: int, end: int) -> bool:
    """A source a turn's speaker reports ("[DIAZ] THE MINISTER SAID ..."), not the
    speaker's own evidence, reports or first person."""
    if source is None or source.lower_ in FIRST_PERSON or source.pos_ == "PRON":
        return False
    return source.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or source.lemma_.lower() in lexicon.roles()


# -- helpers --------------------------------------------------------------------


def _clause(head: Token) -> list[Token]:
    """The clause under head, without an attribution of its own coordinated with it or
    hung on it as an adjunct: "X say A, and observers support their claims", "said A
    and said B", "said A, arguing that B".  Reporters string several statements of a
    speaker into one sentence; each cue there governs its own content, so A stops
    where the next cue starts (the next cue is found as its own attribution)."""
    drop: set[Token] = set()
    for child in head.children:
        if _embedded_attribution(child):
            drop.update(child.subtree)
            drop.update(t for t in head.children if t.dep_ in ("cc", "punct") and t.i < child.i
                        and not any(u.i > t.i for u in head.children if u.i < child.i and u not in drop and u.dep_ not in ("cc", "punct")))
    for tok in head.subtree:
        if tok.dep_ == "relcl" and tok.pos_ in ("VERB", "AUX") and verb_cue(tok) is not None and _answers_a_claim(tok):
            # "..., a claim the militia denied" is another speaker's answer, not the words reported.
            noun = tok.head
            drop.update(noun.subtree)
            if noun.i > 0 and noun.doc[noun.left_edge.i - 1].is_punct:
                drop.add(noun.doc[noun.left_edge.i - 1])
    tokens = [t for t in head.subtree if t not in drop]
    return _trim(tokens)


def _names_something(verb: Token) -> bool:
    """'... said the victims were unarmed farmers and described the gunmen as bandits': a
    conjoined naming verb with its object and what it calls it is a statement of its own."""
    return verb.lemma_.lower() in NAMING_CUES and any(c.dep_ in ("dobj", "obj") for c in verb.children) \
        and any(c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)


def _embedded_attribution(tok: Token) -> bool:
    """A conjoined verb or a participial adjunct that is a cue with its own content."""
    if tok.dep_ == "conj":
        lemma = tok.lemma_.lower()
        if lemma in ENDORSE_LEMMAS and any(g.dep_ in SUBJECT_DEPS for g in tok.children):
            return True
        if tok.pos_ in ("VERB", "AUX") and verb_cue(tok) is not None:
            return any(g.dep_ in SUBJECT_DEPS for g in tok.children) or _has_clause(tok) \
                or _second_statement_of(tok) is not None or _names_something(tok)
        return False
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and verb_cue(tok) is not None:
        return _has_clause(tok)
    return False


# Which speakers a subject pronoun of a reported clause can stand for.
_PRONOUN_NUMBER = {"he": "sg", "she": "sg", "it": "sg", "i": "i", "we": "we", "they": "pl"}


def _second_statement_of(verb: Token) -> Optional[Token]:
    """The cue whose speaker also makes this second statement, or None.

    "Trump said he would order a review and warned against hackers", "China said it
    was opposed to the test and warned Pyongyang": the parser joins the second cue
    to the reported clause, but its subject is the speaker's own ("he", "it"
    standing for the one who said), and a speech verb in the narrative past is the
    speaker's next act, not part of what was reported.  When the clause's subject
    cannot be the speaker ("They said he rated contestants and talked about ..."),
    the verb stays inside the report.
    """
    if verb.dep_ != "conj" or verb.tag_ != "VBD" or any(g.dep_ in SUBJECT_DEPS for g in verb.children):
        return None
    cue = verb_cue(verb)
    if cue is None or is_mind_cue(cue.lemma):
        return None
    head = verb.head
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    if head.dep_ != "ccomp" or head.head.pos_ not in ("VERB", "AUX") or (outer_cue := verb_cue(head.head)) is None:
        return None
    outer = head.head
    if cue.act == "deny" and outer_cue.act == "deny":
        # "The army denied that its troops fired and dismissed the videos as propaganda": a
        # denial joined to a denial is the same speaker's, whoever the reported clause names.
        return outer
    pronoun = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    speaker = next((c for c in outer.children if c.dep_ == "nsubj"), None)
    if pronoun is None or speaker is None or pronoun.lower_ not in _PRONOUN_NUMBER:
        return None
    return outer if _may_stand_for(pronoun, speaker) else None


def _may_stand_for(pronoun: Token, speaker: Token) -> bool:
    """Could the pronoun refer to the speaker?  Agreement in number and kind only."""
    number = _PRONOUN_NUMBER.get(pronoun.lower_)
    if number is None:
        return False
    if speaker.pos_ == "PRON":
        return speaker.lower_ == pronoun.lower_
    plural = speaker.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in speaker.children)
    if number == "pl":
        return plural
    if number != "sg" or plural:
        return False
    person = speaker.ent_type_ == "PERSON" or speaker.lemma_.lower() in lexicon.roles()
    return person if pronoun.lower_ in ("he", "she") else not person


def _inside_reported_clause(verb: Token) -> bool:
    """Is the verb part of what another cue reports ("complained that agencies are
    supporting insurgents")?  There a stance verb with a mere object is the reported
    event, not a statement of its own; speech cues proper still nest ("denied X's
    claims that ...")."""
    node = verb
    while node.head.i != node.i:
        if node.dep_ == "conj" and any(g.dep_ in SUBJECT_DEPS for g in node.children):
            return False  # "X say A, and observers support their claims": a clause of its own
        if node.dep_ in CLAUSE_DEPS or node.dep_ == "xcomp":
            head = node.head
            if head.pos_ in ("VERB", "AUX") and verb_cue(head) is not None:
                return True
        node = node.head
    return False


def _has_clause(verb: Token) -> bool:
    """Does the verb govern a clause of its own ('said that ...', 'arguing it was')?"""
    return any(c.dep_ in CLAUSE_DEPS and not _is_quote_mark(c) for c in verb.children)


def _object_phrase(obj: Token) -> list[Token]:
    """An object without the content clause a statement noun carries ('claims [that ...]')."""
    drop: set[Token] = set()
    for child in obj.children:
        if child.dep_ in ("acl", "relcl", "ccomp") and any(g.dep_ == "mark" for g in child.children):
            drop.update(child.subtree)
    tokens = [t for t in obj.subtree if t not in drop]
    # Keep the phrase contiguous: cut at the first dropped token after the head.
    contiguous: list[Token] = []
    for t in tokens:
        if contiguous and t.i != contiguous[-1].i + 1:
            break
        contiguous.append(t)
    return _trim(contiguous)


def _trim(tokens: list[Token]) -> list[Token]:
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[0].dep_ == "mark" or tokens[0].is_space or (tokens[0].is_punct and not _is_quote_mark(tokens[0]))):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_space or (tokens[-1].is_punct and not _is_quote_mark(tokens[-1]) and tokens[-1].text not in ".!?")):
        tokens = tokens[:-1]
    return tokens


def _is_quote_mark(tok: Token) -> bool:
    return tok.text in ('"', "\u201c", "\u201d", "''", "``")


def _starts_quoted(tok: Token, quotes) -> bool:
    start, end = _char_span(list(tok.subtree))
    return inside(quotes, start, end) > 0.3 or any(_is_quote_mark(t) for t in tok.subtree)


def _subordinate_after(doc: Doc, char: int) -> bool:
    """Does a subordinate clause ('after ...', 'when ...') start right after char?"""
    span = doc.char_span(char, min(len(text_of(doc)), char + 40), alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if not (t.is_punct or t.is_space)]
    return bool(words) and (words[0].pos_ == "SCONJ" or words[0].dep_ in ("mark", "advmod") and words[0].head.dep_ == "advcl")


def _touches(q: tuple[int, int], start: int, end: int) -> bool:
    return q[0] <= end and start <= q[1]


def _char_span(tokens) -> tuple[int, int]:
    tokens = list(tokens)
    if not tokens:
        return (0, 0)
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def _dedupe(atts: list[Attribution]) -> list[Attribution]:
    """One attribution per content: two cues on the same words keep the first found."""
    out: list[Attribution] = []
    for a in atts:
        twin = next((b for b in out if b.content == a.content), None)
        if twin is None:
            out.append(a)
        elif twin.source is None and a.source is not None:
            out[out.index(twin)] = a
    return out


def _nest(atts: list[Attribution]) -> list[Attribution]:
    """Mark attributions whose cue lies inside another's content ("denied X's claims that ...").

    A first-person speaker inside another's words is that speaker ("PENCE: I think ..."
    is Pence thinking)."""
    for i, inner in enumerate(atts):
        for j, outer in enumerate(atts):
            if i == j:
                continue
            if outer.content[0] <= inner.cue[0] and inner.cue[1] <= outer.content[1] and outer.cue != inner.cue:
                if inner.nested_in is None or _length(atts[inner.nested_in]) > _length(outer):
                    inner.nested_in = j
    for inner in atts:
        quoting = atts[inner.nested_in] if inner.nested_in is not None else None
        if quoting is not None and quoting.source is not None and inner.source is not None \
                and inner.source.lower_ in FIRST_PERSON and quoting.content[0] <= inner.source.idx < quoting.content[1]:
            pronoun = inner.source.text
            inner.source = quoting.source
            inner.source_reason = f"'{pronoun}' in the words of '{quoting.source.text}'"
    return atts


FIRST_PERSON = _word_set("first_person")


def _first_person_inside(found: list[Attribution], start: int, end: int) -> bool:
    """Do the attributions found in a labelled paragraph all speak in the first person?"""
    inner = [a for a in found if a.content[0] < end and start < a.content[1]]
    return bool(inner) and all(start <= a.cue[0] < end and a.source is not None and a.source.lower_ in FIRST_PERSON
                               for a in inner)


def _length(a: Attribution) -> int:
    return a.content[1] - a.content[0]
