"""Who is speaking, and for which side.

A source phrase ("Taliban spokesman Zabihullah Mujahid", "he", "Pakistani
state media", "Foreign reporters") becomes an ``Actor``: a canonical name
(the full name from the first mention, so a later "Mujahid" or "he" is the
same person), a role, a kind and a party with the reason it was chosen.

Party evidence, strongest first: the actor dictionary (a data file users
extend), a state named in the phrase together with a state role ("Pakistani
Defense Minister", "the foreign ministry of Pakistan"), the phrase being a state
itself ("Pakistan denied"), an independent role ("reporters", "a doctor"), and
what an earlier mention of the same speaker established.  Without evidence the
party is ``unknown``: never a guess.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Optional, Sequence

from spacy.tokens import Token

from ..data.lexicon import word_set, word_sets
from ..records import Actor, Span
from . import countries, lexicon
from .attribution import age_of, relative_antecedent
from .canonical import Cast, alias_entry
from .pipeline import ents_of, text_of

NAME_DEPS = {"compound", "amod", "det", "poss", "nmod", "flat", "case", "npadvmod"}
PRONOUNS = {
    "he": "person", "she": "person", "him": "person", "her": "person",
    "they": "group", "it": "group", "we": "group", "i": "person",
}
SPEAKER_WORDS = word_sets("speaker_words.tsv")


@dataclass
class _Known:
    actor: Actor
    head_lemma: str
    is_person: bool
    position: int


GROUP_REACH = 200  # tokens: "the officials" takes up a group named a paragraph or so before
STATEMENT_REACH = 60  # tokens: the statement was told in the sentence or two before


class SpeakerResolver:
    """Resolves source phrases in one article, remembering who has spoken.

    ``article_country`` (alpha-2) is the state a bare state role ("the defence
    ministry", "the army") belongs to when the phrase names none: set only when
    one country clearly dominates the article (see ``main_country``).
    ``groups`` maps names defined in the text ("Northern Liberation Front
    (NLF)") to their short names, which are party codes by the convention.
    """

    def __init__(self, published: Optional[date] = None, article_country: Optional[str] = None,
                 groups: Optional[dict[str, str]] = None, cast: Optional[Cast] = None):
        self.published = published
        self.article_country = article_country
        self.groups = groups or {}
        self.cast = cast
        self.known: list[_Known] = []

    @classmethod
    def for_doc(cls, doc, published: Optional[date], place_countries: Sequence[Optional[str]]) -> "SpeakerResolver":
        return cls(published, main_country(doc, place_countries), defined_groups(doc), Cast(doc, published))

    def in_words_of(self, speaker: Optional[Actor]) -> "SpeakerResolver":
        """The resolver for phrases inside a state speaker's words: there an unnamed
        state force ("the military fired", "our army") is the speaker's state's, not
        that of the country the article is about.  Others keep the article's."""
        if speaker is None or not speaker.country or speaker.party != countries.alpha3(speaker.country) \
                or speaker.country == self.article_country:
            return self
        other = SpeakerResolver(self.published, speaker.country, self.groups, self.cast)
        other.known = self.known
        return other

    def resolve_speaker(self, head: Optional[Token]) -> Optional[Actor]:
        """The speaker of a claim.  Besides what ``resolve`` finds, a civilian role speaking
        ("residents said", "a student told") speaks for nobody's side (the same words as the
        target of an attack name civilians, so this holds for speakers only; "a man said" names
        no role and stays unknown), and a capital speaking ("Washington said") is its state."""
        actor = self.resolve(head)
        if actor is None or actor.party != "unknown" or head is None:
            return actor
        words = [head.lemma_.lower()] + [w.lower().removesuffix("s") for w in (actor.role or "").split()] \
            + [w.lower() for w in (actor.role or "").split()]
        civil = next((w for w in words if lexicon.roles().get(w) == "civil"), None)
        if civil is not None and (actor.kind != "person" or civil != words[0]):
            actor.party, actor.kind = "independent", actor.kind or "person"
            actor.reason = f"a civilian speaking ('{civil}')"
        elif head.ent_type_ in ("GPE", "ORG") and len(_phrase(head)) == 1 and (state := countries.capital_state(head.text)):
            actor.party, actor.country, actor.kind = state[1], state[0], "government body"
            actor.reason = f"the capital '{head.text}' speaking for its state"
        return actor

    def resolve(self, head: Optional[Token], remember: bool = True, others: bool = True) -> Optional[Actor]:
        """The actor a phrase names; ``remember`` records it as a speaker for later pronouns;
        ``others``: a person the phrase leaves without a side takes the side another mention
        of the same name in the article gives ("Turkish Foreign Minister X" ... "X said")."""
        if head is None:
            return None
        if head.lower_ in ("who", "which", "that") and head.dep_ == "nsubj" and head.head.dep_ == "relcl":
            # "Trump, who said ...": the span is the pronoun, the speaker its antecedent.
            actor = self.resolve(head.head.head, remember=remember)
            if actor is not None:
                actor = replace(actor, span=Span(head.idx, head.idx + len(head.text), head.text))
            return actor
        if head.lower_ in ("who", "which") and head.dep_ == "nsubj":
            # The same where the parser did not mark the clause as relative ("the department,
            # which reported"): the antecedent is the noun right before the pronoun.
            prev = relative_antecedent(head)
            if prev is not None:
                while prev.dep_ == "compound" and prev.head.i > prev.i:
                    prev = prev.head
                actor = self.resolve(prev, remember=remember)
                if actor is not None:
                    actor = replace(actor, span=Span(head.idx, head.idx + len(head.text), head.text))
                return actor
        if head.pos_ == "PRON" or head.lower_ in PRONOUNS:
            return self._pronoun(head)
        if (author := self._statement_told_before(head)) is not None:
            return author
        part_of = _part_of(head)
        if part_of is not None:
            return self.resolve(part_of, remember=remember, others=others)
        tokens = _phrase(head)
        tokens = _role_before_bracket(tokens) + tokens
        if head.ent_type_ == "PERSON":
            # "Syrian President Bashar al-Assad": the parser splits a hyphenated name into
            # several heads; the phrase is every part's.
            ent = next((e for e in ents_of(head.doc) if e.start <= head.i < e.end), None)
            if ent is not None and len(ent) > 1:
                tokens = sorted({t.i: t for part in ent for t in _phrase(part)}.values(), key=lambda t: t.i)
        first = _first_of_joint(tokens, head)
        if first is not None:
            return self.resolve(first, remember=remember, others=others)
        named = self.cast.named_at(head.i) if self.cast is not None else None
        if named is not None and (holder := _officer_of(head.doc, named.end)) is not None and holder.i != head.i:
            # "said the Kenyan Monitor for Human Rights director Jane Doe": the parse makes the
            # body the subject, the name runs on into one of its officers, who speaks.
            return self.resolve(holder, remember=remember, others=others)
        if named is not None:
            # "the Syrian Network for Human Rights said", "Doctors for Peace said": the parse
            # stops the phrase at "for", the name runs on (a dictionary name or an ORG entity).
            doc = head.doc
            tokens = sorted({*tokens, *(doc[k] for k in range(named.start, named.end))}, key=lambda t: t.i)
        span = _span(tokens)
        names = [e for e in ents_of(head.doc) if e.label_ == "PERSON" and e.start >= tokens[0].i and e.end <= tokens[-1].i + 1]
        person = _clean_name(names[-1].text) if names else None
        if person is None and head.pos_ == "PROPN" and (
                self._same_person(head.text) is not None or (self.cast is not None and self.cast.is_person(head.text))):
            person = head.text  # NER missed a known name ("Asif growled")
        if person is None and _bare_word(tokens, head) and self._same_person(head.text) is not None:
            person = head.text  # a lower-cased surname the tagger read as a noun, of a person named before
        if person is None and (head.pos_ == "PROPN" or _lowered_name(tokens, head)):
            person = _titled_name(tokens, head)  # "Kurdish activist Dilovan", "police chief Okafor"
        if person is None and head.pos_ == "NOUN":
            person = _called(head)  # "a witness named Karim": the role speaks under that name
        aged = _aged(head)
        if aged is not None and (person is None or not person[-1].isalpha()):
            person = aged  # "Karim, 31, said": a person, the age no part of the name
        org = self.cast.organisation(tokens, head) if self.cast is not None and others else None
        if person and (org is not None and _content(person) <= org[0].words
                       or named is not None and named.entry is not None and _content(person) <= named.words):
            person, names = None, []  # "said the Network": the tagger's person is part of a body's name
        actor = Actor(name=span.text, span=span)
        role = _role(tokens, names[-1].start if names else (_name_start(tokens, person, head) if person else None))
        actor.role = role
        entry = self._party(actor, tokens, head)
        if person:
            actor.kind = "person"
            actor.name = person
            weak = actor.party != "unknown" and (actor.reason or "").startswith("state role")
            if weak:
                # A state role with no state named ("commander") guesses the article's country:
                # what the same person's other mentions say ("rebel commander X") comes first.
                actor.party, actor.country, guess = "unknown", None, (actor.party, actor.country, actor.reason)
            earlier = self._same_person(person)
            if earlier is not None:
                actor = _inherit(actor, earlier.actor, f"same person as '{earlier.actor.name}'")
            if actor.party == "unknown" and others:
                actor = self._other_mention(actor, head)
            if weak and actor.party == "unknown":
                actor.party, actor.country, actor.reason = guess
        elif others and entry is None and (role_holder := self._role_holder(tokens, head)) is not None:
            actor = role_holder
        else:
            actor.name = _canonical_group(tokens)
            if entry is not None and _content(actor.name) <= _content(entry.alias) | _content(entry.canonical):
                actor.name = entry.canonical  # "the Syrian Network" is the body's full name
            if org is not None and entry is None:
                actor = self._as_organisation(actor, *org)
            earlier = self._same_group(actor.name) or self._named_before(tokens, head)
            if earlier is not None and actor.party == "unknown":
                actor = _inherit(actor, earlier.actor, f"same speaker as '{earlier.actor.name}'")
        if remember:
            self.known.append(_Known(actor, head.lemma_.lower(), person is not None, head.i))
        return actor

    # -- pronouns ---------------------------------------------------------------

    def _statement_told_before(self, head: Token) -> Optional[Actor]:
        """'The group said in a statement that ... The statement, which gave no names, said 12
        were wounded': "the claim", "the statement" speaking names the statement just told,
        whose author is the speaker of the sentence just before, if that sentence tells a
        statement (else the statement's author went unrecognised: no guess)."""
        if head.pos_ != "NOUN" or head.lemma_.lower() not in SPEAKER_WORDS.statement_nouns or not self.known:
            return None
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
            return None
        known = self.known[-1]
        told = head.doc[known.position].sent
        if head.i - known.position > STATEMENT_REACH or told.end != head.sent.start or not any(
                t.lemma_.lower() in SPEAKER_WORDS.statement_nouns for t in told):
            return None  # the statement must be told, by its author, in the sentence just before
        span = Span(head.idx, head.idx + len(head.text), head.text)
        actor = replace(known.actor, span=span)
        actor.reason = f"'the {head.text}' -> {known.actor.name}'s statement told before; " + (known.actor.reason or "")
        return actor

    def _pronoun(self, head: Token) -> Optional[Actor]:
        """'he said' -> the nearest earlier named speaker of a compatible kind."""
        want_person = PRONOUNS.get(head.lower_) == "person"
        for known in reversed(self.known):
            if known.is_person == want_person:
                span = Span(head.idx, head.idx + len(head.text), head.text)
                actor = replace(known.actor, span=span)
                actor.reason = f"pronoun '{head.text}' -> {known.actor.name}; " + (known.actor.reason or "")
                return actor
        span = Span(head.idx, head.idx + len(head.text), head.text)
        if want_person and self.known:
            # "the monitoring group said ... He said": no person has spoken, and the writer
            # meant the speaker just told (a body's spokesman, left unnamed).
            known = self.known[-1]
            actor = replace(known.actor, span=span)
            actor.reason = f"pronoun '{head.text}' with no person told before -> the last speaker, {known.actor.name}; " \
                + (known.actor.reason or "")
            return actor
        return Actor(name=head.text, span=span, party="unknown", reason="unresolved pronoun")

    def _other_mention(self, actor: Actor, head: Token) -> Actor:
        """A person the phrase leaves without a side, whose side another mention in the
        article gives: "Kenyan Foreign Minister Joseph Wambua said ..." before or after "Wambua said"."""
        for other_head in self.cast.other_mentions(actor.name, head) if self.cast is not None else ():
            other = self.resolve(other_head, remember=False, others=False)
            if other is not None and other.party != "unknown":
                out = _inherit(actor, other, f"same person as '{other.name}' (another mention)")
                out.role = actor.role or other.role
                return out
        return actor

    def _role_holder(self, tokens: list[Token], head: Token) -> Optional[Actor]:
        """'the superintendent said', 'the rebel commander added': a role one person holds,
        said without a name, stands for the person the article names with that role
        ("district superintendent of police K. Rao"), nearest before, else after."""
        if self.cast is None or head.lemma_.lower() not in lexicon.person_roles() \
                or any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children):
            return None
        doc, lemma = head.doc, head.lemma_.lower()
        inside = {t.i for t in tokens}
        best = None
        for tok in doc:
            if tok.i in inside or tok.lemma_.lower() != lemma:
                continue
            name = _name_after(tok)
            if name is None:
                continue
            if best is None or (tok.i < head.i and (best[0] > head.i or tok.i > best[0])):
                best = (tok.i, name)
        if best is None:
            return None
        named = self.resolve(best[1], remember=False, others=False)
        if named is None:
            return None
        span = _span(tokens)
        out = replace(named, span=span)
        out.reason = f"'{head.text}' -> {named.name}, named with that role; " + (named.reason or "")
        return out

    def _as_organisation(self, actor: Actor, org, how: str) -> Actor:
        """The phrase stands for an organisation the article names: its name, and its side
        (the dictionary's, else what its own mention says)."""
        out = replace(actor, name=org.name, kind=actor.kind or org.kind)
        if org.entry is not None:
            out.party, out.country, out.kind = org.entry.party, org.entry.country, org.entry.kind
            out.reason = f"{how}: actor dictionary '{org.entry.alias}' -> {org.entry.party}"
        elif actor.party == "unknown":
            named = self.resolve(self.cast.doc[org.end - 1], remember=False, others=False) if self.cast else None
            if named is not None and named.party != "unknown":
                out.party, out.country = named.party, named.country
                out.reason = f"{how}: {named.reason}"
            else:
                out.reason = f"{how}; {actor.reason}"
        else:
            out.reason = f"{how}; {actor.reason}"
        return out

    def _same_person(self, name: str) -> Optional[_Known]:
        words = lexicon.fold(name).split()
        for known in reversed(self.known):
            if not known.is_person:
                continue
            kwords = lexicon.fold(known.actor.name).split()
            if words and kwords and (words[-1] == kwords[-1] or set(words) <= set(kwords)):
                return known
        return None

    def _same_group(self, name: str) -> Optional[_Known]:
        key = lexicon.fold(name)
        for known in reversed(self.known):
            if not known.is_person and lexicon.fold(known.actor.name) == key:
                return known
        return None

    def _named_before(self, tokens: list[Token], head: Token) -> Optional[_Known]:
        """'Taliban officials said ... The officials added': a bare definite noun takes up
        the group the story named just before with the same head word."""
        if len(tokens) != 1 or not any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in head.children):
            return None
        for known in reversed(self.known):
            if head.i - known.position > GROUP_REACH:
                break
            if not known.is_person and known.head_lemma == head.lemma_.lower() and known.position < head.i:
                return known
        return None

    # -- party --------------------------------------------------------------------

    def _party(self, actor: Actor, tokens: list[Token], head: Token) -> Optional[lexicon.ActorEntry]:
        """Set the actor's party, kind, country and reason; the dictionary entry used, if any.

        Evidence in a stated order (a sieve): the actor dictionary, a group the text
        defines, a word tying the phrase to a side ("opposition", "rebel", "hospital"),
        a state named in the phrase, a state role in an article about one country, an
        independent role."""
        entry = _dictionary_match(tokens, self.published)
        if entry is None:
            entry = _dictionary_match(_affiliated_tokens(head), self.published)
        lemmas = {f for t in tokens for f in _forms(t)}
        role_kinds = {lexicon.roles().get(l) for l in lemmas} - {None}
        nobodys = bool(role_kinds & {"independent", "civil"})  # "student leaders" speak for no state
        state_media = "state" in lemmas and bool(lemmas & {"media", "television", "tv", "broadcaster", "radio", "news", "agency"})
        if entry is not None:
            actor.party, actor.kind, actor.country = entry.party, actor.kind or entry.kind, entry.country
            actor.reason = f"actor dictionary: '{entry.alias}' -> {entry.party}"
            return entry
        group = self._defined_group(tokens, head)
        if group is not None:
            actor.party, actor.kind = group[1], actor.kind or "armed group"
            actor.reason = f"group defined in the text: '{group[0]}' ({group[1]})"
            return None
        if self._affiliation(actor, tokens + _affiliated_tokens(head)):
            return None
        country = _country_in(tokens) or _country_in(_of_tokens(head))
        if country is not None:
            alpha2, alpha3, word = country
            if lexicon.fold(head.text) == lexicon.fold(word) or head.ent_type_ == "GPE" and _is_country_head(head):
                actor.party, actor.kind, actor.country = alpha3, "government body", alpha2
                actor.reason = f"the speaker is the state '{word}'"
                return None
            if state_media or ("state" in role_kinds and not nobodys):
                actor.party, actor.country = alpha3, alpha2
                actor.kind = "media" if state_media else ("state force" if lemmas & {"military", "army", "forces", "troops", "force", "soldier"} else "government body")
                role = "state media" if state_media else min(l for l in lemmas if lexicon.roles().get(l) == "state")
                actor.reason = f"'{word}' with the state role '{role}'"
                return None
        state_roles = sorted(l for l in lemmas if lexicon.roles().get(l) == "state")
        # A name of another body ("the Karen National Union commander") keeps the article's
        # state out; a state role the tagger marked as a name ("the Army", set in capitals) does not.
        # A province or town of the article's country ("the Gujarat government") names a level
        # of the same state (records convention: local administration is the state's).
        names_other_body = any((t.ent_type_ in ("ORG", "NORP", "GPE") or t.lower_ in SPEAKER_WORDS.group_words)
                               and lexicon.roles().get(t.lemma_.lower()) != "state"
                               and not _domestic_place(t, self.article_country) for t in tokens)
        if country is None and self.article_country and state_roles and not nobodys \
                and not names_other_body:
            state = countries.alpha3(self.article_country)
            if state:
                actor.party, actor.country = state, self.article_country
                actor.kind = "government body"
                actor.reason = (f"state role '{state_roles[0]}' naming no state, in an article about "
                                f"{self.article_country} (its main country)")
                return None
        if "independent" in role_kinds:
            actor.party = "independent"
            actor.kind = "monitor" if lemmas & {"monitor", "observer"} else "person"
            word = next(l for l in sorted(lemmas) if lexicon.roles().get(l) == "independent")
            actor.reason = f"independent role '{word}'"
            return None
        if _aged(head) is not None:
            actor.party, actor.kind = "independent", "person"
            actor.reason = "a person given with an age ('Karim, 31'), as reporters give witnesses and residents"
            return None
        place = _located_source(head)
        if place is not None:
            actor.party, actor.kind = "independent", actor.kind or "person"
            actor.reason = f"a source in '{place}', tied to no side: a local source"
            return None
        actor.party = "unknown"
        actor.reason = "no party evidence in the source phrase"
        return None


    def _affiliation(self, actor: Actor, tokens: list[Token]) -> bool:
        """A word that ties the phrase to a side wherever it stands (``affiliations.tsv``):
        "an opposition official", "Salvadoran guerrillas", "a hospital source"."""
        table = lexicon.affiliations()
        forms = [_forms(t) for t in tokens if not (t.is_punct or t.is_space)]
        found = None
        for i in range(len(forms)):
            keys = [(a, b) for a in forms[i] for b in forms[i + 1]] if i + 1 < len(forms) else []
            key = next((k for k in keys if k in table), None) or next(((a,) for a in forms[i] if (a,) in table), None)
            if key is not None:
                found = key
                break
        if found is None:
            return False
        party = table[found]
        word = " ".join(found)
        if party == "STATE":
            alpha3 = countries.alpha3(self.article_country) if self.article_country else None
            if alpha3 is None:
                return False
            actor.party, actor.country = alpha3, self.article_country
            actor.reason = f"'{word}': the side of the state the article is about ({self.article_country})"
            return True
        actor.party = party
        if party in ("REB", "OPP"):
            actor.kind = actor.kind or ("armed group" if party == "REB" else "political group")
            actor.reason = f"'{word}' names the side that {'fights' if party == 'REB' else 'opposes'} the state, not the state"
        else:
            actor.reason = f"'{word}' ties the speaker to nobody's side"
        return True

    def _defined_group(self, tokens: list[Token], head: Token) -> Optional[tuple[str, str]]:
        if not self.groups:
            return None
        words = [t.text for t in tokens] + _of_phrase(head)
        for size in range(min(len(words), 6), 0, -1):
            for i in range(len(words) - size + 1):
                key = lexicon.fold(" ".join(words[i : i + size]))
                if key in self.groups:
                    return " ".join(words[i : i + size]), self.groups[key]
        return None


_SHORT_THEN_FULL = re.compile(r"\b([A-Z]{2,8})\s*[\[(]([A-Z][A-Za-z'.\- \n]{5,80}?)[\])]")


def defined_groups(doc) -> dict[str, str]:
    """'the Northern Liberation Front (NLF)' -> {full name: NLF, NLF: NLF}.

    Non-state groups take their short name as party code (the convention in
    shared/eval/README.md); a name that holds a country name is a state body, not
    a group, and is left to the country rules.
    """
    out: dict[str, str] = {}
    for m in _SHORT_THEN_FULL.finditer(text_of(doc)):
        # "THE FMLN [FARABUNDO MARTI NATIONAL LIBERATION FRONT]": a wire editor's expansion
        # of a short name, found on the characters (capitals defeat the entity tagger).
        short, full = m.group(1), " ".join(m.group(2).split())
        words = full.split()
        if any(w.lower() in SPEAKER_WORDS.group_words for w in words) and not any(countries.lookup(w.title()) for w in words):
            out[lexicon.fold(full)] = short
            out[lexicon.fold(short)] = short
    for ent in ents_of(doc):
        if ent.label_ != "ORG":
            continue
        end = ent.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            short = doc[end + 1].text
            if not (short.isupper() and 2 <= len(short) <= 8):
                continue
            name_tokens = [t for t in ent if t.lower_ != "the"]
            if not any(t.lower_ in SPEAKER_WORDS.group_words for t in name_tokens) or any(countries.lookup(t.text) for t in name_tokens):
                continue
            full = " ".join(t.text for t in name_tokens)
            out[lexicon.fold(full)] = short
            out[lexicon.fold(short)] = short
    return out


def main_country(doc, place_countries: Sequence[Optional[str]]) -> Optional[str]:
    """The country an article is about, when one clearly dominates its places and
    nationality words (at least twice the runner-up), or leads them and is the first
    place the story names: the home of a bare "army"."""
    from collections import Counter

    counts: Counter = Counter(c for c in place_countries if c)
    for ent in ents_of(doc):
        if ent.label_ == "NORP":
            found = countries.lookup(ent.text)
            if found:
                counts[found[0]] += 1
    if not counts:
        return None
    ranked = counts.most_common(2)
    if ranked[0][1] < 2:
        return None
    if len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]:
        return ranked[0][0]
    first = next((c for c in place_countries if c), None)
    if first == ranked[0][0] and ranked[0][1] > ranked[1][1]:
        # The story opens there (its dateline or lead) and names it most: a report from
        # that country that also mentions another ("police said the suspect fled abroad").
        return first
    return None


def _inherit(actor: Actor, earlier: Actor, why: str) -> Actor:
    """A later mention takes the first mention's full name, and its party unless it has its own."""
    out = replace(actor, name=earlier.name if len(earlier.name) >= len(actor.name) else actor.name)
    if actor.party == "unknown" and earlier.party != "unknown":
        out.party, out.country = earlier.party, earlier.country
        out.reason = f"{why}: {earlier.reason}"
    out.role = actor.role or earlier.role
    out.kind = actor.kind or earlier.kind
    return out


def _phrase(head: Token) -> list[Token]:
    """The speaker phrase: the head with its modifiers and appositive, no clauses."""
    tokens = [head]
    for child in head.children:
        if child.dep_ in NAME_DEPS and child.i < head.i:
            tokens.extend(t for t in child.subtree)
        elif child.dep_ == "appos":
            tokens.extend(t for t in child.subtree if not t.is_punct)
    tokens = sorted(set(tokens), key=lambda t: t.i)
    # contiguous run around the head
    out = [head]
    by_i = {t.i: t for t in tokens}
    i = head.i - 1
    while i in by_i or (i > 0 and head.doc[i].is_punct and i - 1 in by_i and head.doc[i].text in SPEAKER_WORDS.name_joiners):
        # "President Bashar al-Assad": the hyphen of a name the parser hung on the head
        # joins the words before it, as punctuation after the head does.
        if i in by_i:
            out.insert(0, by_i[i])
        i -= 1
    i = head.i + 1
    while i in by_i or (i < len(head.doc) and head.doc[i].is_punct and i + 1 in by_i):
        if i in by_i:
            out.append(by_i[i])
        i += 1
    while out and (out[0].dep_ == "det" or out[0].is_punct):
        out = out[1:]
    return out or [head]


def _span(tokens: list[Token]) -> Span:
    doc = tokens[0].doc
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return Span(start, end, text_of(doc)[start:end])


def _role(tokens: list[Token], name_start: Optional[int]) -> Optional[str]:
    """Title words before a name ("Defense Minister", "spokesman"), or the head noun of a group."""
    roles = lexicon.roles()
    words = []
    for t in tokens:
        if name_start is not None and t.i >= name_start:
            break
        if t.ent_type_ in ("NORP", "GPE", "ORG") and t.lemma_.lower() not in roles:
            continue
        if t.pos_ in ("NOUN", "PROPN", "ADJ") and (t.lemma_.lower() in roles or t.is_title or t.pos_ == "NOUN"):
            words.append(t.text)
    if words:
        return " ".join(words)
    if name_start is None:
        head = tokens[-1]
        return head.text.lower() if head.pos_ == "NOUN" else None
    return None


def _part_of(head: Token) -> Optional[Token]:
    """'one of the villagers', 'some of the residents': the group speaks."""
    if head.lower_ not in SPEAKER_WORDS.quantifiers:
        return None
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    return pobj if pobj is not None and pobj.pos_ in ("NOUN", "PROPN") else None


def _first_of_joint(tokens: list[Token], head: Token) -> Optional[Token]:
    """'The Network and local officials said': of joint speakers the first named speaks
    (the others are noted by the coder); the noun before the "and", when it names one."""
    cc = next((t for t in tokens if t.dep_ == "cc" and t.lower_ in ("and", "or") and t.i < head.i), None)
    if cc is None:
        return None
    before = [t for t in tokens if t.i < cc.i and t.pos_ in ("PROPN", "NOUN")]
    if not before or before[-1].i == head.i:
        return None
    return before[-1]


def _name_after(role: Token) -> Optional[Token]:
    """The last word of the name a role introduces: "superintendent of police K. Rao",
    "Commander Ortiz" (a few words of office between, no more)."""
    doc = role.doc
    k = role.i + 1
    while k < len(doc) and k <= role.i + 4 and doc[k].pos_ in ("ADP", "DET", "NOUN") and not doc[k].is_punct:
        k += 1
    if k >= len(doc) or doc[k].pos_ != "PROPN" or doc[k].ent_type_ in ("GPE", "NORP", "ORG", "LOC", "DATE"):
        return None
    end = k
    while end + 1 < len(doc) and end + 1 <= k + 2 and doc[end + 1].pos_ == "PROPN" \
            and doc[end + 1].ent_type_ not in ("GPE", "NORP", "ORG", "LOC", "DATE"):
        end += 1
    return doc[end]


def _role_before_bracket(tokens: list[Token]) -> list[Token]:
    """'deputy commissioner (crime branch) J. D. said': a one-person role, its unit in
    brackets, then the name; the parser often leaves the role out of the name's phrase.
    The role's words (with their modifiers), or none."""
    doc = tokens[0].doc
    k = tokens[0].i - 1
    if k < 2 or doc[k].text != ")" or tokens[0].pos_ != "PROPN":
        return []
    opening = next((j for j in range(k - 1, max(k - 8, 0), -1) if doc[j].text == "("), None)
    if opening is None or opening < 1:
        return []
    role = doc[opening - 1]
    if role.pos_ not in ("NOUN", "PROPN") or role.lemma_.lower() not in lexicon.person_roles():
        return []
    start = role.i
    while start - 1 >= 0 and doc[start - 1].dep_ in ("compound", "amod") and doc[start - 1].head.i == role.i:
        start -= 1
    return list(doc[start : role.i + 1])


def _located_source(head: Token) -> Optional[str]:
    """'a source in the town', 'sources inside the city': an unnamed source placed only by
    where it is is a local source (``speakers.tsv`` source_nouns; records convention: local
    sources speak for nobody's side).  The place's words, or None."""
    if head.lemma_.lower() not in _word_set("source_nouns"):
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "inside"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ in ("GPE", "LOC", "FAC") or pobj.lemma_.lower() in _word_set("place_nouns")
                                     or pobj.pos_ == "PROPN" and _known_place(pobj.text)):
                return " ".join(t.text for t in pobj.subtree)
    return None


def _officer_of(doc, end: int) -> Optional[Token]:
    """'<body> director Jane Doe', '<body> spokesman John Roe': right after a body's name,
    a role noun (``roles.tsv``, one person's) and a person's name; the name's last word."""
    if end >= len(doc) or doc[end].pos_ != "NOUN" or doc[end].lemma_.lower() not in _word_set("officer_nouns"):
        return None
    k = end + 1
    if k >= len(doc) or doc[k].ent_type_ != "PERSON":
        return None
    while k + 1 < len(doc) and doc[k + 1].ent_type_ == "PERSON" and doc[k + 1].ent_iob_ == "I":
        k += 1
    return doc[k]


def _called(head: Token) -> Optional[str]:
    """'a witness named Karim', 'a resident called Musa': the name a role noun is given
    (a participle of naming with a proper noun as its complement)."""
    for acl in head.children:
        if acl.dep_ != "acl" or acl.lemma_.lower() not in _word_set("naming_verbs") or acl.tag_ != "VBN":
            continue
        name = next((c for c in acl.children if c.dep_ in ("oprd", "dobj", "attr", "npadvmod") and c.pos_ == "PROPN"), None)
        if name is not None:
            words = [t for t in name.subtree if t.pos_ == "PROPN"]
            return " ".join(t.text for t in words) or None
    return None


@functools.lru_cache(maxsize=None)
def _word_set(name: str) -> frozenset[str]:
    """One word set of ``speakers.tsv`` (lexicons are data; the file says what each set means)."""
    return word_set("speakers.tsv", name)


def _titled_name(tokens: list[Token], head: Token) -> Optional[str]:
    """A name after a role noun the tagger did not mark as a person: "Kurdish activist
    Dilovan", "district superintendent Otieno".  The proper nouns after the last role word."""
    roles = lexicon.roles()
    before = [t for t in tokens if t.i < head.i]
    last_role = max((t.i for t in before if t.lemma_.lower() in roles and t.pos_ in ("NOUN", "PROPN")), default=None)
    if last_role is None:
        return None
    run = [t for t in tokens if last_role < t.i <= head.i]
    if not run or not all((t.pos_ == "PROPN" or t.i == head.i and _lowered_name(tokens, head))
                          and t.ent_type_ not in ("GPE", "NORP", "ORG") for t in run):
        return None
    return " ".join(t.text for t in run)


def _aged(head: Token) -> Optional[str]:
    """The name of a person written with an age right after it ("Karim Haddad, 31, said",
    "Karim 31 said" with the commas stripped), or None.  Reporters give ages for private
    people (residents, witnesses, relatives), not for officials or spokesmen."""
    if head.pos_ != "PROPN" or head.ent_type_ in ("GPE", "LOC", "FAC", "NORP"):
        return None
    doc = head.doc
    k = head.i + 1
    if k < len(doc) and doc[k].text == ",":
        k += 1
    if k >= len(doc) or not age_of(doc, k):
        return None
    start = head.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].ent_type_ not in ("GPE", "LOC", "FAC", "NORP") \
            and not doc[start].is_sent_start and doc[start - 1].lower_ not in lexicon.roles():
        start -= 1
    return " ".join(t.text for t in doc[start : head.i + 1])


def _name_start(tokens: list[Token], person: str, head: Token) -> int:
    """Where the person's name starts in the phrase (the role words end there)."""
    first = person.split()[0]
    return next((t.i for t in tokens if t.text == first), head.i)


def _domestic_place(tok: Token, country: Optional[str]) -> bool:
    """Is the word a province or town (not a country) of ``country`` (alpha-2), as the gazetteer knows it?"""
    if country is None or tok.ent_type_ not in ("GPE", "NORP") or countries.lookup(tok.text) is not None:
        return False
    return country in _known_place(tok.text)


def _known_place(name: str) -> frozenset[str]:
    """The countries (alpha-2) where the gazetteer knows a province or town of this name
    (the tagger may mark a town as a nationality: "a source in Aleppo")."""
    from .gazetteer import Gazetteer

    return frozenset(e.country for e in Gazetteer.default().lookup(name) if e.kind in ("province", "city") and e.country)


def _bare_word(tokens: list[Token], head: Token) -> bool:
    """A phrase of one lower-case word that names no role ("according to rao" in a
    lower-cased archive): it may be a surname the tagger took for a common noun."""
    return len(tokens) == 1 and head.pos_ == "NOUN" and head.text.islower() \
        and head.lemma_.lower() not in lexicon.roles() and head.lower_ not in SPEAKER_WORDS.group_words


def _lowered_name(tokens: list[Token], head: Token) -> bool:
    """'superintendent Ravi menon': the last word of a name left in lower case (case-damaged
    text), tagged a common noun, right after a proper noun of the same phrase."""
    k = next((n for n, t in enumerate(tokens) if t.i == head.i), 0)
    return head.pos_ == "NOUN" and head.text.islower() and k > 0 and tokens[k - 1].pos_ == "PROPN" \
        and tokens[k - 1].i == head.i - 1 and head.lemma_.lower() not in lexicon.roles() and head.lower_ not in SPEAKER_WORDS.group_words


def _content(name: str) -> frozenset[str]:
    return frozenset(w for w in lexicon.fold(name).split() if w.isalnum())


def _canonical_group(tokens: list[Token]) -> str:
    text = " ".join(t.text for t in tokens if not t.is_punct and t.dep_ != "det")
    return text.replace(" ’s", "’s").replace(" 's", "'s")


def _clean_name(name: str) -> str:
    words = [w for w in name.replace("’s", "").replace("'s", "").split() if w.lower().strip(".") not in SPEAKER_WORDS.title_words]
    return " ".join(words)


def _dictionary_match(tokens: list[Token], published: Optional[date]) -> Optional[lexicon.ActorEntry]:
    """Longest run of words that is an alias in the actor dictionary."""
    n = len(tokens)
    for size in range(min(n, 6), 0, -1):
        for i in range(n - size + 1):
            entry = alias_entry(tokens[i : i + size], published)
            if entry is not None:
                return entry
    return None


def _forms(tok: Token) -> set[str]:
    """A word's lemma and lower-cased forms, singular too: the lemmatiser reads words set in
    capitals ("GUERRILLAS") as names and leaves them as they are."""
    low = tok.lower_
    out = {tok.lemma_.lower(), low}
    if low.endswith("ies") and len(low) > 4:
        out.add(low[:-3] + "y")
    elif low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        out.add(low[:-1])
    return out


def _affiliated_tokens(head: Token) -> list[Token]:
    """'a source in the Asayesh forces', 'a spokesman for the rebels', 'officials from the
    ministry': the body a phrase belongs to, for the dictionary and affiliation words (not
    for a country: "a source in Syria" speaks for no state)."""
    out: list[Token] = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in SPEAKER_WORDS.affiliation_preps:
            out.extend(t for t in child.subtree if t.i != child.i)
    return out


def _of_tokens(head: Token) -> list[Token]:
    """'the foreign minister of Pakistan', 'a spokesman for the Taliban'."""
    out: list[Token] = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "for"):
            out.extend(t for t in child.subtree if t.i != child.i)
    return out


def _of_phrase(head: Token) -> list[str]:
    return [t.text for t in _of_tokens(head)]


def _country_in(tokens: list[Token]) -> Optional[tuple[str, str, str]]:
    for t in tokens:
        found = countries.lookup(t.text)
        if found is not None:
            return found[0], found[1], t.text
    return None


def _is_country_head(head: Token) -> bool:
    return countries.lookup(head.text) is not None
