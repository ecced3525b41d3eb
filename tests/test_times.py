"""Time expressions: found where NER misses them, normalised by news conventions.

Sentences here are the tests' own; the one test on real text reads the
mission's seed article and its gold from ../shared.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from counterclaim.nlp.times import Point, add_months, dateparser_value, easter, find_times, sentence_starts

FRI = date(2026, 2, 27)  # a Friday


def times(text: str, published=FRI, entities=()):
    return {t.span.text: t for t in find_times(text, published, entities)}


def value(text: str, phrase: str, published=FRI, entities=()):
    found = times(text, published, entities)
    assert phrase in found, f"{phrase!r} not found in {list(found)}"
    return found[phrase].value


# -- weekdays: the most recent such day, that day included -------------------------


def test_weekday_on_the_day_of_publication_is_that_day():
    t = times("The minister declared war on Friday.")["Friday"]
    assert (t.value, t.precision, t.anchor) == ("2026-02-27", "day", "published:2026-02-27")


def test_weekday_earlier_in_the_week():
    assert value("Rockets hit the base on Tuesday.", "Tuesday") == "2026-02-24"
    assert value("Rockets hit the base on Saturday.", "Saturday") == "2026-02-21"


def test_last_and_next_weekday():
    assert value("Talks broke down last Friday.", "last Friday") == "2026-02-20"
    assert value("Talks resume next Monday.", "next Monday") == "2026-03-02"


def test_future_cue_points_a_weekday_forward():
    t = times("The two sides will meet on Monday in Doha.")["Monday"]
    assert t.value == "2026-03-02"
    assert "will" in t.reason


def test_part_of_day_and_clock_time():
    assert value("Shelling resumed Tuesday night.", "Tuesday night") == "2026-02-24TNI"
    assert value("The blast came at 10 p.m. Wednesday, police said.", "10 p.m. Wednesday") == "2026-02-25T22:00"
    # a clock time takes the day named after it in the same sentence
    assert value("It exploded at about 10:35 a.m. (0735 GMT) Thursday.", "about 10:35 a.m.") == "2026-02-26T10:35"


# -- months and days without a year ------------------------------------------------


def test_month_without_year_is_the_most_recent_one():
    assert value("A ceasefire was agreed in October.", "October") == "2025-10"
    assert value("Fighting flared in February.", "February") == "2026-02"  # the same month


def test_this_month_name_is_this_years():
    assert value("Elections are due this September.", "this September") == "2026-09"


def test_day_of_month_without_year_is_the_nearest():
    assert value("Clashes erupted on Feb. 26.", "Feb. 26") == "2026-02-26"
    # a deadline a few days ahead keeps this year; a date just before New Year is last year's
    assert value("The offer was extended to Nov. 16.", "Nov. 16", date(1989, 10, 30)) == "1989-11-16"
    assert value("He was arrested Dec. 28.", "Dec. 28", date(2026, 1, 5)) == "2025-12-28"


def test_explicit_dates():
    text = "On March 3, 2024, on 3 March 2024 and on 2024-03-03 the same thing happened."
    found = times(text)
    assert [found[k].value for k in ("March 3, 2024", "3 March 2024", "2024-03-03")] == ["2024-03-03"] * 3
    assert found["March 3, 2024"].anchor is None  # nothing to resolve against


def test_day_month_without_year():
    assert value("The strike was on 3 March.", "3 March", date(2026, 3, 10)) == "2026-03-03"
    assert value("The strike was on 30 December.", "30 December", date(2026, 1, 4)) == "2025-12-30"


def test_may_and_march_as_words_are_not_months():
    found = times("Troops may march on the city. They may 5 times refuse.")
    assert found == {}
    assert value("The talks collapsed in May.", "May") == "2025-05"


# -- years, decades, centuries --------------------------------------------------------


def test_years_and_what_is_not_a_year():
    found = times("Since 2021, 19 outposts and 2,000 people were lost; 2000 soldiers fled.")
    assert list(found) == ["2021"]
    assert found["2021"].precision == "year"


def test_bare_year_needs_the_ner_to_agree():
    text = "Figures 1994 show it."
    assert times(text) == {}
    assert value(text, "1994", entities=[(8, 12, "DATE")]) == "1994"


def test_modified_years():
    found = times("Taliban forces spent much of 2025 fighting; early 2023 and mid-2022 were calmer.")
    assert {k: t.value for k, t in found.items()} == {"much of 2025": "2025", "early 2023": "2023", "mid-2022": "2022"}
    assert "mod=START" in found["early 2023"].reason


def test_decades_and_centuries():
    found = times("It broke away in the 1970s; in the early 1990s and the '80s; the 20th century.")
    assert found["the 1970s"].value == "197X" and found["the 1970s"].precision == "decade"
    assert found["the early 1990s"].value == "199X"
    assert found["the '80s"].value == "198X"
    assert found["the 20th century"].value == "19XX"
    assert times("A man in his sixties was hurt.") == {}


# -- relative to publication -------------------------------------------------------


@pytest.mark.parametrize(
    "phrase, expected, precision",
    [
        ("yesterday", "2026-02-26", "day"),
        ("today", "2026-02-27", "day"),
        ("tomorrow", "2026-02-28", "day"),
        ("last night", "2026-02-26TNI", "day"),
        ("two days ago", "2026-02-25", "day"),
        ("last month", "2026-01", "month"),
        ("last year", "2025", "year"),
        ("next year", "2027", "year"),
        ("this week", "2026-W09", "week"),
        ("earlier this week", "2026-W09", "week"),
        ("the past week", "2026-W08", "week"),
        ("three years ago", "2023", "year"),
        ("a decade ago", "2016", "year"),
    ],
)
def test_deictic_expressions(phrase, expected, precision):
    t = times(f"It happened {phrase}, officials said.")[phrase]
    assert (t.value, t.precision, t.anchor) == (expected, precision, "published:2026-02-27")


def test_iso_week_at_a_year_boundary():
    assert Point.of(date(2021, 1, 1), "week").value == "2020-W53"
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


# -- relative to the time before -------------------------------------------------------


def test_within_a_month_counts_from_the_time_before():
    text = "They agreed a ceasefire in October. The ceasefire collapsed within a month."
    t = times(text)["within a month"]
    assert (t.value, t.precision, t.anchor) == ("2025-11", "month", "time:2025-10")


def test_within_without_an_anchor_is_a_duration():
    t = times("The ceasefire collapsed within a month.")["a month"]
    assert (t.value, t.precision) == ("P1M", "duration")
    # an event after it ("of his capture") anchors it, not a time: a duration too
    assert value("In March he was caught. He died within a week of his capture.", "a week") == "P1W"
    # a plan is a length of time, not a date
    assert value("In March the court ruled. They must appeal within 14 days.", "14 days") == "P14D"


def test_later_and_the_next_day():
    text = "Fighting broke out on Feb. 10. Two days later the town fell. The next day, troops left."
    found = times(text)
    assert found["Two days later"].value == "2026-02-12"
    assert found["Two days later"].anchor == "time:2026-02-10"
    assert found["The next day"].value == "2026-02-13"


def test_year_ago_compares_the_period_in_view():
    text = "In the third quarter, net income rose. A year earlier, it had fallen. Sales rose from a year ago."
    found = times(text, date(1989, 11, 2))
    assert found["the third quarter"].value == "1989-Q3"
    assert found["A year earlier"].value == "1988-Q3"
    assert found["a year ago"].value == "1988-Q3"


# -- durations, sets, references ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        ("The war lasted two years.", "two years", "P2Y"),
        ("A five-year plan was signed.", "five-year", "P5Y"),
        ("They lived there for 2 1/2 years.", "2 1/2 years", "P2Y6M"),
        ("The siege lasted several months.", "several months", "PXM"),
        ("She spent five hours in Kabul.", "five hours", "PT5H"),
        ("For the past two months, prices rose.", "the past two months", "P2M"),
    ],
)
def test_durations(text, phrase, expected):
    t = times(text)[phrase]
    assert (t.value, t.precision) == (expected, "duration")


def test_ages_are_not_times():
    assert times("A 52-year-old man, 60 years old, was hurt.") == {}


def test_plural_weekday_is_a_set_unless_it_lost_its_apostrophe():
    assert value("Protests are held on Fridays.", "Fridays") == "XXXX-WXX-5"
    assert value("Tuesdays attack killed 20.", "Tuesdays") == "2026-02-24"


def test_a_quarter_of_a_million_is_not_a_time():
    assert times("By then nearly a quarter of a million voters had registered.") == {}


def test_sets_and_references():
    found = times("Rallies are held daily. Now it is open war, and recently shelling grew.")
    assert (found["daily"].value, found["daily"].precision) == ("P1D", "set")
    assert (found["Now"].value, found["Now"].precision) == ("PRESENT_REF", "ref")
    assert found["recently"].value == "PAST_REF"


# -- quarters, seasons, holidays -----------------------------------------------------------


def test_quarters():
    pub = date(1989, 11, 2)
    assert value("It posted a third-quarter loss.", "third-quarter", pub) == "1989-Q3"
    assert value("Profit fell in the fourth quarter of 1988.", "the fourth quarter of 1988", pub) == "1988-Q4"
    assert value("Costs rose in the latest quarter.", "the latest quarter", pub) == "1989-Q3"


def test_seasons_and_holidays():
    assert value("The offensive began last summer.", "last summer") == "2025-SU"
    assert value("Prisoners were freed at Christmas.", "Christmas", date(2026, 1, 5)) == "2025-12-25"
    assert easter(2024) == date(2024, 3, 31)


# -- without a publication date, with NER spans ------------------------------------------


def test_without_publication_date_relative_values_are_unknown():
    found = times("Friday, March 3, 2024 was recalled. They met again on Friday.", published=None)
    assert found["Friday, March 3, 2024"].value == "2024-03-03"
    assert (found["Friday"].value, found["Friday"].precision) == (None, "unknown")


def test_ner_span_the_grammar_lacks_goes_to_dateparser():
    text = "It happened on 2024/03/03 near the border."
    t = times(text, entities=[(15, 25, "DATE")])["2024/03/03"]
    assert (t.value, t.precision, t.reason) == ("2024-03-03", "day", "NER date read by dateparser")
    # NER labels other than DATE/TIME are ignored
    assert times(text, entities=[(15, 25, "CARDINAL")]) == {}


def test_dateparser_is_guarded_against_non_dates():
    # unguarded, dateparser reads "the 1970s" as 1970 seconds before the base date
    assert dateparser_value("the 1970s", FRI) is None
    assert dateparser_value("19 outposts", FRI) is None
    assert dateparser_value("5th of November", FRI) == ("2025-11-05", "day")


def test_spans_are_text_slices_in_order_without_overlap():
    text = "On Friday, Feb. 20, and again yesterday morning, at noon, for two weeks in 2025."
    found = find_times(text, FRI)
    assert all(text[t.span.start : t.span.end] == t.span.text for t in found)
    assert all(a.span.end <= b.span.start for a, b in zip(found, found[1:]))


def test_sentence_starts_skip_abbreviations():
    text = "Talks began on Feb. 26 in Doha. Mr. Asif left. U.S. forces stayed."
    starts = sentence_starts(text)
    assert [text[s:].split()[0] for s in starts] == ["Talks", "Mr.", "U.S."]


# -- the mission's seed article --------------------------------------------------------


@pytest.mark.shared
def test_seed_article_times_match_the_gold(shared_dir):
    """At least 6 of the 7 gold times: same value, span overlapping the gold text."""
    seed = shared_dir / "examples" / "seed-2026-02-27"
    if not (seed / "gold.json").is_file():
        pytest.skip(f"seed example missing: {seed}")
    text = (seed / "article.txt").read_text(encoding="utf-8")
    gold = json.loads((seed / "gold.json").read_text(encoding="utf-8"))["times"]
    from counterclaim.nlp.pipeline import get_nlp

    doc = get_nlp()(text)
    entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    for ents in ((), entities):  # the grammar alone, and with the NER as the pipeline runs it
        found = find_times(text, date(2026, 2, 27), ents)
        matched = []
        for g in gold:
            start = text.find(g["text"])
            assert start >= 0, g["text"]
            end = start + len(g["text"])
            if any(t.span.start < end and start < t.span.end and t.value == g["value"] for t in found):
                matched.append(g["text"])
        assert len(matched) >= 6, f"matched only {matched} of {[g['text'] for g in gold]}"


def test_an_embedded_posts_timestamp_is_no_time_of_the_story():
    text = ("Shells hit the market on Monday. Prayers for the victims. — Jane Roe (@janeroe) March 1, 2026 "
            "Officials said on Tuesday that the toll rose. Our hearts are with them. pic.twitter.com/AbC12 "
            "City Desk (citydesk) February 27 2026 The army said on March 2 2026 it had withdrawn.")
    found = [(t.span.text, t.value) for t in find_times(text, date(2026, 3, 4), [])]
    assert found == [("Monday", "2026-03-02"), ("Tuesday", "2026-03-03"), ("March 2 2026", "2026-03-02")]


@pytest.mark.parametrize("text, published, expected", [
    ("Earlier in the day, shells hit the market.", date(2026, 6, 9), [("Earlier in the day", "2026-06-09")]),
    ("Clashes went on throughout the day.", date(2026, 6, 9), [("throughout the day", "2026-06-09")]),
])
def test_the_storys_day(text, published, expected):
    assert [(t.span.text, t.value) for t in find_times(text, published, [])] == expected


def test_a_clock_before_a_numeric_date_is_no_year():
    assert [t.span.text for t in find_times("Floods hit the city (updated 2033 09.06.2026).", date(2026, 6, 9), [])] == []
    assert [t.value for t in find_times("The dam was finished in 2033, officials said.", date(2026, 6, 9), [])] == ["2033"]


# -- whose day a time is: the page's stamp, a statement's, the event's (issue 11, crossdoc8)


def _time(text: str, needle: str, value: str):
    from counterclaim.records import Span, Time

    start = text.index(needle)
    return Time(Span(start, start + len(needle), needle), value, "day")


def test_a_full_date_in_the_header_block_is_the_page_stamp():
    from counterclaim.nlp.times import page_stamp

    text = "Shelling kills nine in hill town Monitor Wire Service Thursday 4 Jun 2026 Army guns shelled the town."
    stamp = _time(text, "Thursday 4 Jun 2026", "2026-06-04")
    assert page_stamp(text, stamp, date(2026, 6, 4))
    assert not page_stamp(text, stamp, date(2026, 6, 5))  # not the publication day: the story's own date
    later = "Army guns shelled the town. Residents fled on Thursday 4 Jun 2026 towards the coast."
    assert not page_stamp(later, _time(later, "Thursday 4 Jun 2026", "2026-06-04"), date(2026, 6, 4))
    no_year = "Shelling kills nine Monitor Thursday 4 Jun Army guns shelled the town."
    assert not page_stamp(no_year, _time(no_year, "Thursday 4 Jun", "2026-06-04"), date(2026, 6, 4))


@pytest.mark.parametrize("text,needle,said", [
    ("Nine people died, the monitoring group said Tuesday.", "Tuesday", True),
    ("Nine people died, officials said on Friday.", "Friday", True),
    ("The rebels said in a statement on Monday that nine fighters died.", "Monday", True),
    ("Nine people died when shells hit the market on Tuesday, the group said.", "Tuesday", False),
    ("The strike on Monday killed nine people.", "Monday", False),
])
def test_a_day_after_a_reporting_verb_dates_the_statement(text, needle, said):
    from counterclaim.nlp.times import statement_day

    assert statement_day(text, _time(text, needle, "2026-06-02")) is said


def test_the_day_a_statement_was_made_gives_way_to_the_day_the_story_tells(extract_text):
    """"said Tuesday" dates the statement: the raid told as "Monday's raid" further on is Monday's,
    and the event is that day's, not the statement's (nor the page's stamp)."""
    text = ("Raid on aid lorries kills 12 Relief Agency Wire Tuesday 2 Jun 2026 The air raid that hit a column "
            "of aid lorries outside the hill town of Kolwezi killed 12 drivers, the relief agency said Tuesday. "
            "The agency said the lorries were destroyed. The governor on Tuesday condemned Monday's air raids "
            "on the lorries.")
    ex = extract_text(text, "2026-06-02")
    raid = next(e for e in ex.events if e.sub_type == "Air/drone strike" and e.fatalities is not None)
    assert raid.date == "2026-06-01" and raid.date_source == "text"


def test_a_statement_day_alone_still_dates_the_event(extract_text):
    text = "Shelling killed nine villagers near the hill town of Kolwezi, a local official said on Monday."
    ex = extract_text(text, "2026-06-02")
    shelling = next(e for e in ex.events if e.fatalities is not None)
    assert shelling.date == "2026-06-01" and shelling.date_source == "said"


def test_the_lead_takes_the_day_its_details_sentence_gives(extract_text):
    """The lead names no day; the next sentence, which tells no event of its own, says when and where."""
    text = ("Published June 5 2026 Activists say gunmen have killed 21 farm workers in the north of the country. "
            "The rights group says the men were shot near the town of Kolwezi on Wednesday. "
            "The group says it is not clear who the men were.")
    ex = extract_text(text, "2026-06-05")
    lead = next(e for e in ex.events if e.fatalities is not None and e.fatalities.low == 21)
    assert lead.date == "2026-06-03" and lead.date_source == "context"
    assert lead.place is not None and lead.place.name.startswith("Kolwezi")


@pytest.mark.parametrize("second", [
    "The rights group said on Wednesday that the men were farm workers.",  # a statement's day
    "Talks on the region will resume on Wednesday.",  # ahead, not a day before publication
    "Soldiers also shelled a village on Wednesday.",  # an event of its own
])
def test_the_lead_keeps_its_day_when_the_next_sentence_is_not_its_details(extract_text, second):
    text = ("Published June 5 2026 Activists say gunmen have killed 21 farm workers in the north of the country. "
            + second)
    ex = extract_text(text, "2026-06-05")
    lead = next(e for e in ex.events if e.fatalities is not None and e.fatalities.low == 21)
    assert lead.date == "2026-06-05"
