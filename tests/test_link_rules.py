"""Cross-article rules on hand-built records: dedup, same event, tolls, status, outlets (no model, no store)."""

from __future__ import annotations

from datetime import date

from counterclaim.link import dedup
from counterclaim.link.events import place_relation, same_event, sub_types_compatible
from counterclaim.link.outlets import Outlets, default_outlets
from counterclaim.link.reports import Report, day_range
from counterclaim.link.status import event_status
from counterclaim.link.tolls import plausible, toll_range
from counterclaim.records import Actor, Claim, Event, Fatalities, Place, Quantity, Span

STORY = (
    "At least 14 people were killed when artillery shells hit the central market in Mbeya on Monday, "
    "the regional police commander said. Commander Joseph Mrisho told reporters that 30 people were "
    "wounded and that the shells were fired from hills east of the town. Traders said the first shell "
    "landed shortly after 9 a.m., when the market was crowded. Hospital staff said several of the wounded "
    "were children, and that two of them were in a serious condition on Monday night."
)
MBEYA = Place(Span(0, 5, "Mbeya"), "Mbeya", kind="city", lat=-8.9, lon=33.46, country="TZ",
              admin1="Mbeya", gazetteer_id="geonames:154380", precision="exact")
TUKUYU = Place(Span(0, 6, "Tukuyu"), "Tukuyu", kind="city", lat=-9.25, lon=33.64, country="TZ",
               admin1="Mbeya", gazetteer_id="geonames:149155", precision="exact")
TANZANIA = Place(Span(0, 8, "Tanzania"), "Tanzania", kind="country", lat=-6.0, lon=35.0, country="TZ",
                 precision="country")
OUTLETS = default_outlets()


def report(eid, article, outlet, sub="Shelling/artillery/missile attack", place=MBEYA, day="2026-04-06",
           deaths=None, claims=(), published=date(2026, 4, 6), copy_of=None, actor=None):
    event = Event(id=eid, article_id=article, type="Explosions/Remote violence", sub_type=sub,
                  span=Span(0, 40, f"{deaths or 'Some'} killed by shells in the market"), place=place, date=day,
                  date_precision="day", fatalities=Fatalities(deaths, deaths, deaths) if deaths is not None else None,
                  actor1=actor, claim_ids=[c.id for c in claims])
    return Report(event=event, outlet=OUTLETS.get(outlet), published=published, copy_of=copy_of, claims=list(claims))


def claim(cid, article, party, act="assert", deaths=None, name="Someone"):
    quantities = [Quantity(Span(0, 2, str(deaths)), deaths, deaths, what="killed")] if deaths else []
    return Claim(id=cid, article_id=article, span=Span(0, 20, "the market was shelled"), act=act,
                 speaker=Actor(name, party=party), quantities=quantities)


# ------------------------------------------------------------------ dedup


def test_simhash_is_stable_and_signed_64_bit():
    value = dedup.simhash(STORY)
    assert value == dedup.simhash(STORY) and -(1 << 63) <= value < (1 << 63)
    assert dedup.distance(value, dedup.simhash(STORY.replace("Monday night", "Monday evening"))) <= 10


def test_near_copy_with_a_cut_paragraph_is_a_copy_a_rewrite_is_not():
    cut = STORY.rsplit(" Hospital staff", 1)[0]
    assert dedup.is_copy(STORY, STORY.upper()) == ("exact", 1.0)
    assert dedup.is_copy(STORY, cut)[0] == "near"  # containment: the copy lost a paragraph
    rewrite = ("Shells slammed into Mbeya's crowded central market on Monday morning, killing at least 14, "
               "police said; 30 were hurt. The fire came from hills to the east, traders and police said.")
    assert dedup.is_copy(STORY, rewrite) is None


# ------------------------------------------------------------------ same event


def test_sub_types_confused_by_reporters_are_compatible():
    assert sub_types_compatible("Air/drone strike", "Shelling/artillery/missile attack")
    assert sub_types_compatible("Suicide bomb", "Remote explosive/landmine/IED")
    assert not sub_types_compatible("Air/drone strike", "Peaceful protest")


def test_places_within_25_km_are_one_place_further_apart_are_not():
    assert place_relation(MBEYA, MBEYA)[0] == "near"
    assert place_relation(MBEYA, TUKUYU)[0] == "far"  # ~43 km
    assert place_relation(MBEYA, TANZANIA)[0] == "inside"
    assert place_relation(MBEYA, None)[0] == "unknown"


def test_same_event_needs_compatible_days_places_and_evidence():
    a = report("a:e1", "a", "Lakeside Wire", deaths=14)
    assert same_event(a, report("b:e1", "b", "Highland Times", sub="Air/drone strike", day="2026-04-07")).same
    assert not same_event(a, report("c:e1", "c", "x", day="2026-04-09", published=date(2026, 4, 9))).same  # 3 days apart
    assert not same_event(a, report("d:e1", "d", "x", place=TUKUYU)).same
    assert not same_event(a, report("e:e1", "e", "x", day="2026-04")).same  # a vague date is background
    # Only "somewhere in Tanzania": the same toll is needed as well.
    assert same_event(a, report("f:e1", "f", "x", place=TANZANIA, deaths=14)).same
    assert not same_event(a, report("g:e1", "g", "x", place=TANZANIA, deaths=40)).same
    # Two known, different perpetrators on a place that is not pinned down: two events.
    army, rebels = Actor("army", party="TZA"), Actor("HDF", party="HDF")
    assert not same_event(report("h:e1", "h", "x", place=TANZANIA, deaths=14, actor=army),
                          report("i:e1", "i", "x", place=TANZANIA, deaths=14, actor=rebels)).same


def test_day_ranges():
    assert day_range("2026-04-06") == (date(2026, 4, 6), date(2026, 4, 6))
    assert day_range("2026-W15") == (date(2026, 4, 6), date(2026, 4, 12))
    assert day_range("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert day_range("spring") is None


# ------------------------------------------------------------------ tolls and status


def test_range_is_min_and_max_best_is_the_most_reported_figure():
    reports = [report("a:e1", "a", "Lakeside Wire", deaths=14), report("b:e1", "b", "Highland Times", deaths=14),
               report("c:e1", "c", "reuters", deaths=16)]
    toll = toll_range(reports)
    assert (toll.fatalities.low, toll.fatalities.best, toll.fatalities.high, toll.acled) == (14, 14, 16, 14)
    assert {f.event_id for f in toll.figures} == {"a:e1", "b:e1", "c:e1"}  # every figure traceable
    assert toll.conflict is None  # 16 vs 14 is an update, not a dispute


def test_copies_count_once_for_best_and_tolls_over_1_5x_conflict():
    reports = [report("a:e1", "a", "Lakeside Wire", deaths=9),
               report("b:e1", "b", "Highland Times", deaths=9, copy_of="a"),
               report("c:e1", "c", "reuters", deaths=30), report("d:e1", "d", "afp", deaths=30)]
    toll = toll_range(reports)
    assert toll.fatalities.best == 30  # 30 from two texts beats 9 from one text and its copy
    assert "conflict" in toll.conflict


def test_years_and_clock_times_are_not_tolls():
    assert plausible(Fatalities(2016, 2016, 2016)) is None
    assert plausible(Fatalities(12, 12, 12)).low == 12


def test_status_denied_corroborated_single_source():
    outlets = Outlets.load()
    denial = claim("c:c1", "c", "HDF", act="deny")
    disputed = event_status([report("a:e1", "a", "Lakeside Wire"), report("c:e1", "c", "x", claims=[denial])])
    assert disputed.status == "disputed" and disputed.evidence[0]["records"] == ["c:c1"]
    two = event_status([report("a:e1", "a", "reuters"), report("b:e1", "b", "afp")])
    assert two.status == "corroborated"
    # Two outlets of one side (Turkish state TV and a pro-government daily) are one voice.
    same_side = event_status([report("a:e1", "a", "trt"), report("b:e1", "b", "dailysabah")])
    assert same_side.status == "single-source"
    # A monitor confirming in another text what a party claims.
    confirmed = event_status([report("a:e1", "a", "trt", claims=[claim("a:c1", "a", "TUR")]),
                              report("b:e1", "b", "dailysabah", claims=[claim("b:c1", "b", "independent")])])
    assert confirmed.status == "corroborated" and confirmed.evidence[0]["rule"] == "independent confirmation"
    assert outlets.get("Al-Manar").name == "manar"
    assert outlets.get(None, "https://www.sana.sy/en/?p=1").side == "SYR"
    assert not outlets.get("Some Blog").known


def _toll_claim(cid, article, name, deaths, text=None, start=0):
    text = text or f"{name} said {deaths} people were killed"
    q_at = text.index(str(deaths))
    return Claim(id=cid, article_id=article, span=Span(start, start + len(text), text),
                 speaker=Actor(name, span=Span(start, start + len(name), name), party="unknown"),
                 sentence=Span(start, start + len(text), text),
                 quantities=[Quantity(Span(start + q_at, start + q_at + len(str(deaths)), str(deaths)), deaths, deaths,
                                      what="killed")])


def test_each_named_source_of_an_article_gives_its_own_figure():
    """UCDP and the FA-KES gold keep one figure per article and source: the governor's 31 beside
    the monitor's 39 in the same story; an unnamed speaker's detail and an added count do not."""
    governor = _toll_claim("a:c2", "a", "Governor Alice Phiri", 31, start=300)
    activists = _toll_claim("a:c3", "a", "activists", 55, start=400)
    more = _toll_claim("a:c4", "a", "Mayor Ben Tembo", 6, text="Mayor Ben Tembo said 6 more people died", start=500)
    toll = toll_range([report("a:e1", "a", "Lakeside Wire", deaths=39, claims=[governor, activists, more])])
    assert sorted(f.low for f in toll.figures) == [31, 39]
    assert (toll.fatalities.low, toll.fatalities.high) == (31, 39)
    assert next(f for f in toll.figures if f.low == 31).claim_id == "a:c2"  # traceable to the governor's words


def test_a_short_name_is_the_same_source_as_its_long_form():
    from counterclaim.link.tolls import same_source

    assert same_source("Observatory", "Syrian Observatory for Human Rights")
    assert not same_source("Civil Defence", "Syrian Observatory for Human Rights")


UYOLE = Place(Span(0, 5, "Uyole"), "Uyole", kind="town", lat=-8.93, lon=33.52, country="TZ",
              admin1="Mbeya", gazetteer_id="geonames:0000001", precision="exact")


def test_two_named_towns_on_two_days_with_two_tolls_are_two_events_whatever_says_the_days():
    """Five killed in one town on Wednesday (the day its paper came out) and eleven in a town 7 km
    away on Thursday (the day its paper printed) are two strikes: neither day needs to be stated in
    the text when the towns and the tolls differ too."""
    a = report("e1", "a1", "ahram", sub="Air/drone strike", place=UYOLE, day="2026-04-06", deaths=5)
    b = report("e2", "a2", "alaraby", sub="Air/drone strike", place=MBEYA, day="2026-04-07", deaths=11,
               published=date(2026, 4, 7))
    match = same_event(a, b)
    assert not match.same and "two named places" in match.reason
    # the same toll, one town, or one day: the rule says nothing, the reports still merge
    assert same_event(a, report("e3", "a3", "alaraby", sub="Air/drone strike", place=MBEYA, day="2026-04-07",
                                deaths=5, published=date(2026, 4, 7))).same
    assert same_event(report("e4", "a4", "ahram", sub="Air/drone strike", place=MBEYA, day="2026-04-06", deaths=5),
                      b).same
    assert same_event(a, report("e5", "a5", "alaraby", sub="Air/drone strike", place=MBEYA, day="2026-04-06",
                                deaths=11)).same


# ------------------------------------------------------------------ one article, two events (crossdoc8)


def _at(eid, article, text, place=MBEYA, deaths=None, start=0, mentions=(), sub="Shelling/artillery/missile attack"):
    event = Event(id=eid, article_id=article, type="Explosions/Remote violence", sub_type=sub,
                  span=Span(start, start + len(text), text),
                  place=place, date="2026-04-06", date_precision="day",
                  fatalities=Fatalities(deaths, deaths, deaths) if deaths is not None else None,
                  mentions=list(mentions))
    return Report(event=event, outlet=OUTLETS.get("Lakeside Wire"), published=date(2026, 4, 6))


def test_a_sentence_turning_elsewhere_tells_another_event_of_its_article():
    from counterclaim.link.events import told_apart

    lead = _at("a:e1", "a", "Shells killed 14 people in the market of Mbeya on Monday.", deaths=14)
    other = _at("a:e2", "a", "Elsewhere in the country, gunmen attacked a checkpoint, killing six.",
                place=TANZANIA, deaths=6, start=900)
    match = same_event(lead, other)
    assert not match.same and "elsewhere" in match.reason
    assert told_apart(other, lead) and told_apart(lead, other)
    # another article's "elsewhere" turns away from its own story, not from this one's
    assert same_event(lead, _at("b:e1", "b", "Elsewhere in the region, shells killed 14 people in Mbeya.",
                                deaths=14)).same


def test_two_named_towns_with_two_tolls_in_one_article_are_two_events():
    from counterclaim.link.events import told_apart

    lead = _at("a:e1", "a", "Shells killed seven people in Mbeya on Monday.", deaths=7)
    second = _at("a:e2", "a", "Shelling in the nearby town of Uyole killed another three people.", place=UYOLE,
                 deaths=3, start=800)
    assert "two named places" in told_apart(lead, second)
    assert not same_event(lead, second).same
    # one town, or one toll: the article may tell one event twice
    assert told_apart(lead, _at("a:e3", "a", "The shelling of Uyole killed seven.", place=UYOLE, deaths=7,
                                start=700)) is None


def test_an_event_whose_toll_sentence_is_late_but_whose_mention_leads_is_told_in_the_lead():
    from counterclaim.link.reports import LEAD_CHARS, reporting_articles, told_in_lead

    late = _at("a:e1", "a", "The monitor said the rocket fire killed 10 people.", deaths=10, start=LEAD_CHARS + 80,
               mentions=[Span(0, 40, "Air strikes follow rebel rocket fire")]).event
    mention_only = _at("b:e1", "b", "Last week's rocket fire killed 10 people.", deaths=10,
                       start=LEAD_CHARS + 80).event
    assert told_in_lead(late) and not told_in_lead(mention_only)
    assert reporting_articles([late, mention_only]) == {"a"}


def test_an_unnamed_second_speaker_in_the_lead_gives_no_second_figure():
    """"a monitor said" 45, then "people" read as a speaker of 7: only a named source's figure
    is a second account of the event in one article."""
    people = _toll_claim("a:c2", "a", "people", 7, start=200)
    toll = toll_range([report("a:e1", "a", "Lakeside Wire", deaths=45),
                       report("a:e2", "a", "Lakeside Wire", deaths=7, claims=[people])])
    assert [f.low for f in toll.figures] == [45]


def test_a_monitor_left_unnamed_in_the_lead_is_the_monitor_the_story_names():
    """"At least 45 were killed, a monitor said", and the next sentence names the monitor (one the
    actor dictionary knows) giving a detail of the same dead: the 45 is that monitor's, so its
    later 70 in another text is the same source's update, not a dispute."""
    unnamed = _toll_claim("a:c1", "a", "a monitor", 45)
    named = _toll_claim("a:c2", "a", "Syrian Observatory for Human Rights", 6, start=300,
                        text="Syrian Observatory for Human Rights said 6 children were among those killed")
    later = _toll_claim("b:c1", "b", "Syrian Observatory for Human Rights", 70)
    toll = toll_range([report("a:e1", "a", "Lakeside Wire", deaths=45, claims=[unnamed, named]),
                       report("b:e1", "b", "Lakeside Wire", deaths=70, claims=[later], published=date(2026, 4, 7))])
    assert {f.source for f in toll.figures} == {"Syrian Observatory for Human Rights"}
    assert (toll.fatalities.low, toll.fatalities.high) == (45, 70) and toll.conflict is None


def test_a_text_contests_no_perpetrator_with_its_own_later_words():
    """A text's account of who did it is its first report naming one: a tag line read as another
    camp further down is no contest; two texts naming two camps are."""
    regime = Actor("government forces", party="TZA", kind="state")
    rebels = Actor("Regime Rebels Civilians", party="REB", kind="rebel")
    a1 = report("a:e1", "a", "Lakeside Wire", deaths=22, actor=regime)
    a2 = report("a:e2", "a", "Lakeside Wire", deaths=22, actor=rebels)
    a2.event.span = Span(300, 340, "Tags Regime Rebels Civilians Airstrikes")
    b1 = report("b:e1", "b", "Hilltop Herald", deaths=22, actor=regime)
    assert event_status([a1, a2, b1]).status != "disputed"
    b2 = report("c:e1", "c", "Hilltop Herald", deaths=22, actor=rebels)
    assert event_status([a1, b2]).status == "disputed"
