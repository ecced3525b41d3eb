"""Fatalities across reports: the UCDP range, ACLED's single figure, and whether tolls conflict.

Every figure keeps where it came from (event, claim, article, sentence), so
the range of a merged event can always be traced back to the words that gave
each end of it.

- ``low``: the smallest figure any report gives (UCDP's low estimate; an early,
  preliminary toll pulls it down, which is what an analyst should see).
- ``high``: the largest figure any report gives (UCDP's high estimate).
- ``best``: the figure the most independent pieces of evidence give (copies of
  one story count once); a tie goes to the smaller figure, ACLED's
  conservative reading of conflicting reports.
- ``acled``: ACLED's single figure: the most conservative figure reported
  (ACLED codes the lowest of conflicting reports; vague words were already
  turned into ACLED's numbers by extraction: dozens = 12, hundreds = 100).

Tolls conflict when the latest figures of different sources (a claim's
speaker; the outlet itself when it reports in its own voice), given in
different texts, differ by more than ``CONFLICT_RATIO``.  A source is a
voice, not a string: "the Centre" and "Lakeside Centre for Human
Rights" are one (``same_source``), and a side's officials and state media
(speakers of one party code) are one, so the state television's 22 and the
state news agency's 44 the next day are one count that rose (the FA-KES
gold collapses them the same way).  A source's figures collapse to its
latest: a count a source raises (10, then 20; "the toll rose to 31" later
in the same story) is an update, never a dispute, while its first figure
still pulls the range's low end down.  A part of the dead ("three of them
died in hospital", "among the dead were four soldiers") is no toll at all
(``counts`` reads what a count says of itself).  Two figures in one
article conflict only when each is a named source's (a claim gives it: the
monitor's 23 and the medical council's "more than 50"); an article's own
voice beside a source is left to the article: it usually says why they
differ (a sub-area, an early count, the wounded), and extraction binds
numbers to the wrong event more often inside one text than two outlets
disagree.  1.5 follows the FA-KES cross-article annotation
convention (shared/eval/fakes-crossdoc-dev): below it, a toll that rose from
10 to 12 over a day is an update, not a dispute.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Optional

from ..data import lexicon
from ..data.lexicon import word_sets
from ..records import Claim, Fatalities, Quantity, Span
from .counts import additive, adds, counted_text, is_update, part, part_of, sub_area, sub_group, vague
from .reports import LEAD_CHARS, Report

_part_of = part_of  # the name extraction's tests check a part by (tests/test_quantities_events.py)

CONFLICT_RATIO = 1.5
YEAR_LIKE = (1900, 2100)


def plausible(fat: Optional[Fatalities], published: Optional[date] = None) -> Optional[Fatalities]:
    """The toll, unless it reads like a year or a clock time misread as a count.

    "killed in 2016" -> 2016 dead, "at 2035 GMT" -> 2035 dead: a single
    event's toll between 1900 and 2100 is far more often a date or a time
    than a death count in news text, so it is left out of ranges and
    comparisons (the event record keeps it: extraction's output is not
    changed here).  ``published`` is kept for callers that know the day.
    """
    if fat is None or fat.low is None:
        return None
    for value in (fat.low, fat.high):
        if value is not None and YEAR_LIKE[0] <= value <= YEAR_LIKE[1]:
            return None
    return fat
# Stems that make a count one of the dead (matched inside its words: "kill" finds "killed").
DEATH_WORDS = lexicon.word_list("tolls.tsv", "death_words")


@dataclass(frozen=True)
class Figure:
    """One report's toll and its evidence."""

    low: int
    high: int
    event_id: str
    article_id: str
    evidence_id: str  # the article, or the original it copies
    outlet: str
    source: str  # who gives the figure: a speaker, or the outlet's own voice
    published: Optional[date]
    sentence: str
    claim_id: Optional[str] = None
    quantity_text: Optional[str] = None
    sub_group: bool = False
    party: Optional[str] = None  # the speaker's party code, when a speaker gives the figure
    position: int = 0  # where in its article the figure is told (later updates win)
    update: bool = False  # the text says the toll was revised to this figure

    def to_dict(self) -> dict:
        return {"low": self.low, "high": self.high, "event_id": self.event_id, "article_id": self.article_id,
                "outlet": self.outlet, "source": self.source, "claim_id": self.claim_id, "update": self.update,
                "quantity": self.quantity_text, "sentence": self.sentence,
                "published": self.published.isoformat() if self.published else None}


@dataclass
class Range:
    fatalities: Optional[Fatalities]
    acled: Optional[int]
    figures: list[Figure]
    conflict: Optional[str] = None  # why the tolls conflict, if they do


def figures(reports: list[Report]) -> list[Figure]:
    """One toll per article and source: the first the article gives (events without a toll give none).

    A story leads with its event's toll; figures further down are mostly
    other incidents folded into the same cluster, sub-groups, or running
    totals (UCDP and the FA-KES gold both take one figure per article and
    attributed source).  A second source in the same article (the governor
    after the monitor) keeps its own figure, when it is a source:

    - a later figure in the outlet's own voice (no speaker) is not another
      source, it is the article speaking again: a sub-area ("15 of them in
      the northern district"), an earlier incident, a running total;
    - after the lead, a figure counts only when a source the actor
      dictionary knows gives it (the monitor, state media, a ministry):
      generic speakers there ("the group", "activists") mostly give details
      of the story, not a second account of its toll;
    - a count of a sub-group ("seven children", ``SUB_GROUPS``) is left out
      when the same article gives a larger figure for the event: it is part
      of that total (the FA-KES convention; ACLED counts all the dead);
    - a vague word's number ("dozens" = 12, ACLED's) stands in only when the
      article gives no count for the event ("kills dozens" in a headline,
      "at least 43" in the lead: 43);
    - beside the article's own account, each *named* source whose claim
      about the event gives a death count ("Homs governor Talal al-Barazi
      gave a toll of 31", ``_other_tolls``) keeps its figure: extraction ties
      such claims to the event the article leads with (the governor's 31
      beside the monitor's 39: UCDP's low and high across sources).
    """
    found = []
    seen: dict[tuple[str, str], str] = {}  # (article, folded source) -> the source's name as first given
    vague_only: set[str] = set()  # articles whose own figure was a vague word beside a count
    leading = {r.article_id for r in reports
               if r.event.span.start < LEAD_CHARS and plausible(r.event.fatalities) is not None}
    largest: dict[str, int] = {}
    for r in reports:
        if (f := plausible(r.event.fatalities)) is not None:
            assert f.low is not None, "plausible keeps only tolls with a low figure"
            largest[r.article_id] = max(largest.get(r.article_id, 0), f.high if f.high is not None else f.low)
    counted = {r.article_id for r in reports if (f := plausible(r.event.fatalities)) is not None
               and not vague(f, _claim_giving(r.claims, f)[1])}
    counted |= {r.article_id for r in reports if any(not q.vague for _, q, _ in _other_tolls(r))}
    for report in sorted(reports, key=lambda r: (r.article_id, r.event.span.start)):
        fat = plausible(report.event.fatalities, report.published)
        if fat is None:
            continue
        assert fat.low is not None, "plausible keeps only tolls with a low figure"
        claim, quantity = _claim_giving(report.claims, fat, report.event.span)
        if report.article_id in counted and vague(fat, quantity):
            vague_only.add(report.article_id)
            continue  # "dozens" stands in for a number only when the article gives none
        speaker = claim.speaker if claim is not None else None
        source = _source_name(speaker, report)
        if claim is not None and not _named(claim) and known_source(source) is None:
            source = _only_known_source(report) or source  # "a monitor said", then the monitor's name
        known = known_source(source) is not None  # _source_name gives the dictionary's name when it knows one
        sentence = report.event.span.text
        update = is_update(sentence, counted_text(fat, quantity))
        earlier = _seen_source(seen, report.article_id, source)
        given = any(a == report.article_id for a, _ in seen)
        if update and given:
            source = earlier or (source if speaker is not None and speaker.name else report.outlet.name)
        elif earlier is not None:
            continue
        elif given and (claim is None or not _named(claim)):
            continue  # the outlet's own voice again, or a speaker it does not name ("people", "the group")
        elif report.event.span.start >= LEAD_CHARS and report.article_id in leading and not known:
            continue  # after the lead, only a known source is a second account
        if adds(quantity) or part_of(fat, quantity, sentence):
            continue  # "six more people died", "one of those killed": a part, no toll of its own
        in_group = sub_group(fat, quantity)
        if in_group and largest.get(report.article_id, 0) > fat.low:
            continue  # part of a total the article gives
        seen.setdefault((report.article_id, source.casefold()), source)
        found.append(Figure(
            low=fat.low, high=fat.high if fat.high is not None else fat.low,
            event_id=report.id, article_id=report.article_id, evidence_id=report.evidence_id,
            outlet=report.outlet.name, source=source, published=report.published,
            sentence=report.event.span.text, claim_id=claim.id if claim is not None else None,
            quantity_text=quantity, sub_group=in_group or sub_area(sentence, counted_text(fat, quantity)),
            party=_party(speaker),
            position=report.event.span.start, update=update,
        ))
    accounted = {f.article_id for f in found} | vague_only
    for report in sorted(reports, key=lambda r: (r.article_id, r.event.span.start)):
        if report.article_id not in accounted:
            continue  # another source's toll counts beside the article's own account, not alone
        for claim, q, update in _other_tolls(report):
            source = _source_name(claim.speaker, report)
            earlier = _seen_source(seen, report.article_id, source)
            if earlier is not None and not update:
                continue
            if update and earlier is None and not _named(claim):
                continue  # "the toll rose to 31", said by someone who gave no figure before
            source = earlier or source
            if q.vague and report.article_id in counted:
                continue
            if sub_group(Fatalities(low=q.low, high=q.high), q.unit_text or q.span.text) and largest.get(report.article_id, 0) > q.low:
                continue
            seen.setdefault((report.article_id, source.casefold()), source)
            found.append(Figure(
                low=q.low, high=q.high if q.high is not None else q.low,
                event_id=report.id, article_id=report.article_id, evidence_id=report.evidence_id,
                outlet=report.outlet.name, source=source, published=report.published,
                sentence=claim.span.text, claim_id=claim.id, quantity_text=q.span.text,
                sub_group=sub_area(claim.span.text, q.span.text),
                party=_party(claim.speaker), position=q.span.start, update=update,
            ))
    return found


def _other_tolls(report: Report):
    """(claim, quantity, update): each other named source's death count for the event, in its claim.

    A claim attached to the event (extraction ties a later "the governor gave
    a toll of 31" to the event the article leads with) whose speaker is not
    the one the event's own figure comes from.  Its largest count of the
    dead is its figure.  A count that adds to another ("six more people",
    "another three", "also killed") or names a part of the dead ("three of
    them", "among the dead were four soldiers") is not a toll.  A claim that
    says the toll was revised ("the toll rose to 31") is yielded whoever
    speaks, with ``update`` set: ``figures`` keeps it as the latest figure of
    the source it updates.
    """
    fat = plausible(report.event.fatalities)
    giving, quantity = _claim_giving(report.claims, fat) if fat is not None else (None, None)
    if quantity is None:
        giving = None  # no claim gives the event's own figure: the narrator does
    for claim in report.claims:
        if claim is giving or claim.negated or claim.speaker is None:
            continue
        counts = [q for q in claim.quantities if q.what == "killed" and q.low and plausible(
            Fatalities(low=q.low, high=q.high)) is not None and not part(claim, q)]
        added = _added(claim, counts)
        deaths = [q for q in counts if q not in added]
        updates = [q for q in deaths if is_update(claim.span.text, q.span.text)]
        if updates:
            yield claim, max(updates, key=lambda q: q.low or 0), True  # counts all have a low figure
            continue
        if not _named(claim):
            continue
        if giving is not None and giving.speaker is not None and giving.speaker.name == claim.speaker.name:
            continue
        if deaths:
            yield claim, max(_joined(claim, deaths), key=lambda q: q.low), False


JOINED = re.compile(r"^[^\d.;]*\b(?:and|as well as|plus|along with)\b[^\d.;]*$", re.I)


def _joined(claim: Claim, deaths: list) -> list:
    """The claim's death counts, those it joins with "and" / "as well as" added up: "the raid
    killed 14 villagers, most of them farmers, as well as three foreign fighters" is 17 dead
    (linking has no parse; the words between the counts say they are joined)."""
    out: list = []
    for q in sorted(deaths, key=lambda q: q.span.start):
        prev = out[-1] if out else None
        between = claim.span.text[prev.span.end - claim.span.start : q.span.start - claim.span.start] if prev else ""
        if prev is not None and JOINED.match(between) and len(between.split()) <= 10:
            text = claim.span.text[prev.span.start - claim.span.start : q.span.end - claim.span.start]
            out[-1] = Quantity(span=Span(prev.span.start, q.span.end, text), low=prev.low + q.low,
                               high=(prev.high if prev.high is not None else prev.low) + (q.high if q.high is not None else q.low),
                               what="killed", unit_text=prev.unit_text, vague=prev.vague or q.vague,
                               reason=f"{prev.low} and {q.low}, joined in the claim's words")
        else:
            out.append(q)
    return out


def _added(claim: Claim, counts: list) -> list:
    """The claim's counts that add to a toll (``additive``: "six more people"), and those joined to
    such a count by "and" ("five more were killed in one village and one in another": both add)."""
    out: list = []
    prev = None
    for q in sorted(counts, key=lambda q: q.span.start):
        between = claim.span.text[prev.span.end - claim.span.start : q.span.start - claim.span.start] if prev else ""
        if additive(claim, q) or (prev in out and JOINED.match(between) and len(between.split()) <= 10):
            out.append(q)
        prev = q
    return out


TOLLS = word_sets("tolls.tsv")


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _named(claim: Claim) -> bool:
    """The speaker is a named source ("Ibrahim Alhaj", "Anadolu Agency", the actor
    dictionary's monitor), not "activists", "a report" or "the group": an unnamed
    speaker further down a story mostly gives a detail of it, not another account."""
    speaker = claim.speaker
    if speaker is None or not speaker.name:
        return False
    if known_source(speaker.name):
        return True
    span = speaker.span
    if span is not None and span.text.casefold() in TOLLS.pronouns and _key(speaker.name) != _key(span.text):
        span = None  # "he said", resolved to the person named before: that name says who speaks
    words = re.findall(r"[\w'-]+", span.text if span is not None else speaker.name)
    initial = span is not None and claim.sentence is not None and span.start == claim.sentence.start
    if initial and words:  # a sentence's first letter says nothing, a capital after a hyphen does ("Pro-Damascus")
        words = words[0].split("-")[1:] + words[1:]
    return any(w[:1].isupper() for w in words)


@functools.lru_cache(maxsize=8192)  # pure on names; a cluster's refresh asks again for every member
def same_source(a: str, b: str) -> bool:
    """Two names of one source in one article: "Centre" and "Lakeside Centre for Human
    Rights" (the short name is a part of the long one, word for word)."""
    wa, wb = (set(re.findall(r"[a-z]+", lexicon.fold(re.sub(r"\(.*?\)", "", n)))) - {"the"} for n in (a, b))
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _seen_source(seen: dict[tuple[str, str], str], article_id: str, source: str) -> Optional[str]:
    """The name under which the article already gave a figure of this source, if it did."""
    return next((name for (a, _), name in seen.items() if a == article_id and same_source(source, name)), None)


def _only_known_source(report: Report) -> Optional[str]:
    """The one source the actor dictionary knows among the speakers of the event's claims, if
    exactly one: a wire lead's "a monitor said" is the monitor its next sentence names ("The
    Observatory said at least six children were among the dead"), so its figure is that
    source's, to be compared with the source's later counts as one voice, not as a second one."""
    found = {k for c in report.claims if c.speaker is not None and c.speaker.name
             and (k := known_source(c.speaker.name)) is not None}
    return found.pop() if len(found) == 1 else None


def _party(speaker) -> Optional[str]:
    party = speaker.party if speaker is not None else None
    return party if party not in (None, "", "unknown") else None


def _source_name(speaker, report: Report) -> str:
    """Who gives a figure, as sources are compared: the dictionary's canonical name, the
    speaker with its party, or the outlet's own voice."""
    source = speaker.name if speaker is not None and speaker.name else report.outlet.name
    if known := known_source(source):
        return known
    if speaker is not None and speaker.party not in (None, "", "unknown") and speaker.name:
        return f"{speaker.name} ({speaker.party})"
    return source


@functools.lru_cache(maxsize=8192)  # pure on names; a cluster's refresh asks again for every member
def known_source(name: str) -> Optional[str]:
    """The actor dictionary's canonical name for a source named inside a longer phrase.

    "the London-based Airwars", "the monitor Airwars" and "Airwars" are one
    source (a monitor's chief, listed as its alias, too): its figures
    collapse to its latest, and two of them never dispute each other.  The
    longest dictionary alias found as whole words decides.
    """
    words = " " + " ".join(re.findall(r"[\w']+", lexicon.fold(name))) + " "
    best: Optional[tuple[int, str]] = None
    for alias, entries in _aliases():
        if len(alias) > 3 and f" {alias} " in words and (best is None or len(alias) > best[0]):
            best = (len(alias), entries[0].canonical)
    return best[1] if best else None


@functools.lru_cache(maxsize=1)
def _aliases() -> list[tuple[str, list]]:
    return [(" ".join(re.findall(r"[\w']+", alias)), entries) for alias, entries in lexicon.actors().items()]


def _claim_giving(claims: list[Claim], fat: Fatalities, where: Optional[Span] = None) -> tuple[Optional[Claim], Optional[str]]:
    """The claim whose death count is the event's figure, else the first claim holding the
    event's sentence (``where``; without it, the first claim): a source's count told in
    another sentence (``nlp.events`` attaches such claims to the lead event) is not
    who gives the event's own figure."""
    for claim in claims:
        for q in claim.quantities:
            what = (q.what or q.unit_text or "").lower()
            if q.low == fat.low and (not what or any(w in what for w in DEATH_WORDS)):
                return claim, q.span.text
    holding = [c for c in claims if where is None or (c.span.start < where.end and where.start < c.span.end)]
    return (holding[0], None) if holding else (None, None)


OUTLIER_FACTOR = 10


def _without_outliers(figs: list[Figure]) -> tuple[list[Figure], list[Figure]]:
    """(kept, dropped): a figure over ``OUTLIER_FACTOR`` times the median of the event's figures.

    News attach war-wide totals to single events ("the war has killed
    220,000"; "the monitor says 2,800 died this month"), and extraction
    sometimes binds such a number to the event.  A real report of one
    event is rarely ten times what the other reports say; such a figure is
    shown as dropped, not used for the range or for conflicts.
    """
    if len(figs) < 3:
        return figs, []
    values = sorted(f.high for f in figs)
    median = values[len(values) // 2]
    kept = [f for f in figs if f.low <= OUTLIER_FACTOR * max(median, 1)]
    return kept, [f for f in figs if f not in kept]


def toll_range(reports: list[Report]) -> Range:
    figs, dropped = _without_outliers(figures(reports))
    if not figs:
        return Range(None, None, [])
    low = min(f.low for f in figs)
    high = max(f.high for f in figs)
    votes: Counter[int] = Counter()
    for value, _evidence in {(f.low, f.evidence_id) for f in figs if f.low == f.high}:
        votes[value] += 1
    if votes:
        top = max(votes.values())
        best = min(v for v, n in votes.items() if n == top)
        why = (f"best {best}: given by {top} independent report(s)" + (", the smaller of tied figures" if
               sum(1 for n in votes.values() if n == top) > 1 else ""))
    else:
        best, why = low, f"best {low}: only ranges reported, the low end"
    low_fig = min(figs, key=lambda f: f.low)
    high_fig = max(figs, key=lambda f: f.high)
    reason = (f"low {low} ({low_fig.source}, {low_fig.outlet}); high {high} ({high_fig.source}, "
              f"{high_fig.outlet}); {why}; {len(figs)} figure(s) from {len({f.evidence_id for f in figs})} "
              "independent text(s)" + (f"; left out as outliers: {', '.join(str(f.low) for f in dropped)}"
                                         if dropped else ""))
    acled = min(f.low for f in figs)
    # the perpetrator's own count ("the militia's channel put the dead at 55") is its
    # report, in the range, but no second account of the dead to dispute a count with: it says
    # what it claims to have done (the FA-KES gold leaves perpetrator claims out of its votes)
    claimed_by = {r.event.actor1.party for r in reports if r.event.actor1 is not None
                  and r.event.actor1.party not in NO_PERPETRATOR}
    counts = [f for f in figs if f.party is None or f.party not in claimed_by]
    return Range(Fatalities(low=low, best=best, high=high, reason=reason), acled, figs, _conflict(counts))


NO_PERPETRATOR = frozenset({"", "unknown", "independent", "civilians"})


# Parties that are no one voice: many monitors, medics and witnesses are "independent".
MANY_VOICES = lexicon.word_list("tolls.tsv", "many_voices")


def _voice(fig: Figure, voices: dict[str, Figure]) -> str:
    """The key of the voice a figure speaks in: one party's officials and media are one voice;
    otherwise the source, its short and long names being one (``same_source``)."""
    if fig.party and fig.party not in MANY_VOICES:
        return f"party:{fig.party}"
    return next((key for key in voices if not key.startswith("party:") and same_source(fig.source, key)),
                fig.source.casefold())


def _as_attributed(figs: list[Figure]) -> list[Figure]:
    """The figures with an article's own-voice toll credited to the article's only known source.

    A wire lead gives the toll and names its source a sentence or a paragraph later ("At
    least 20 people were killed ... Airwars said 22 had died"): when every
    other figure of the article comes from one source the actor dictionary knows, the
    lead's figure is that source's earlier count, and its later figure is the source's
    latest, not a second account (FA-KES attributes such leads the same way).  Only for
    comparing tolls: the figures shown keep the voice the text gives them.
    """
    named: dict[str, list[str]] = {}
    for f in figs:
        sources = named.setdefault(f.article_id, [])
        if f.claim_id is not None and not any(same_source(f.source, s) for s in sources):
            sources.append(f.source)
    out = []
    for f in figs:
        sources = named.get(f.article_id, [])
        if f.claim_id is None and f.source == f.outlet and len(sources) == 1 and known_source(sources[0]):
            f = replace(f, source=sources[0])
        out.append(f)
    return out


def _conflict(figs: list[Figure]) -> Optional[str]:
    """Latest figure per voice (``_voice``, own-voice leads credited by ``_as_attributed``); a
    conflict when two voices' figures differ by more than the ratio."""
    latest: dict[str, Figure] = {}
    for fig in sorted(_as_attributed(figs), key=lambda f: (f.published or date.min, f.article_id, f.position)):
        latest[_voice(fig, latest)] = fig
    # A count the text limits to a sub-group ("four children") or a named sub-area ("in the X
    # district") is not compared (FA-KES convention).
    values = [f for f in latest.values() if f.high > 0 and not f.sub_group]
    if len(values) < 2:
        return None
    for small in sorted(values, key=lambda f: f.high):
        for large in sorted(values, key=lambda f: -f.low):
            if large.low <= CONFLICT_RATIO * small.high:
                break
            if large.evidence_id != small.evidence_id or (large.claim_id is not None and small.claim_id is not None):
                return (f"tolls conflict: {small.source} gives {small.high} ({small.outlet}), "
                        f"{large.source} gives {large.low} ({large.outlet})")
    return None
