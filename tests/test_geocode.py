"""Toponym resolution by context: own sentences, plus the seed article's gold places."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from counterclaim.nlp.gazetteer import distance_km, fold
from counterclaim.nlp.geocode import resolve
from counterclaim.records import Span

SHARED = Path(os.environ.get("COUNTERCLAIM_SHARED_DIR") or Path(__file__).resolve().parents[1].parent / "shared")
SEED = SHARED / "examples" / "seed-2026-02-27"


def mentions(text: str, *names: str, label: str = "GPE") -> list[tuple[Span, str]]:
    """Every occurrence of each name, as an NER mention would give it."""
    out = []
    for name in names:
        for m in re.finditer(re.escape(name), text):
            out.append((Span(m.start(), m.end(), name), label))
    return out


def place_of(places, surface: str):
    found = [p for p in places if p.span.text == surface]
    assert found, f"no place for {surface!r}"
    return found[0]


def near(place, lat: float, lon: float, km: float) -> bool:
    return place.lat is not None and distance_km(place.lat, place.lon, lat, lon) <= km


def test_syrian_homs_by_context():
    text = "Syrian government shelling hit Homs and the outskirts of Hama on Tuesday, residents said."
    places = resolve(mentions(text, "Homs", "Hama"), text=text)
    homs = place_of(places, "Homs")
    assert homs.country == "SY" and homs.kind == "city" and near(homs, 34.73, 36.71, 25)
    assert "SY" in homs.reason
    assert place_of(places, "Hama").country == "SY"


def test_cities_beat_same_named_provinces():
    text = ("Drones struck Aleppo overnight. In Donetsk, separatist officials reported shelling, "
            "while Ukrainian forces said they held positions near Kherson.")
    places = resolve(mentions(text, "Aleppo", "Donetsk", "Kherson"), text=text)
    aleppo, donetsk, kherson = (place_of(places, n) for n in ("Aleppo", "Donetsk", "Kherson"))
    assert aleppo.kind == "city" and near(aleppo, 36.20, 37.16, 25)
    assert donetsk.kind == "city" and donetsk.country == "UA" and near(donetsk, 48.02, 37.80, 25)
    assert kherson.kind == "city" and near(kherson, 46.64, 32.61, 25)
    assert "city beats the province" in donetsk.reason
    assert donetsk.precision == "exact"


def test_province_word_asks_for_the_province():
    text = "Clashes spread from Kandahar province to the city of Herat, officials in Kabul said."
    places = resolve(mentions(text, "Kandahar", "Herat", "Kabul"), text=text)
    kandahar = place_of(places, "Kandahar")
    assert kandahar.kind == "province" and kandahar.gazetteer_id == "iso3166-2:AF-KAN"
    assert kandahar.precision == "admin1" and "'province'" in kandahar.reason
    herat = place_of(places, "Herat")
    assert herat.kind == "city" and near(herat, 34.35, 62.20, 25)


def test_one_span_with_a_type_word():
    text = "Airstrikes were reported in Paktia province."
    places = resolve([(Span(28, 43, "Paktia province"), "GPE")], text=text)
    assert places[0].kind == "province" and near(places[0], 33.6, 69.5, 100)


def test_rafah_in_the_gaza_strip():
    text = "Israeli tanks pushed into Rafah, at the southern end of the Gaza Strip, Palestinian medics said."
    places = resolve(mentions(text, "Rafah", "Gaza Strip"), text=text)
    rafah = place_of(places, "Rafah")
    assert rafah.country == "PS" and rafah.kind == "city" and near(rafah, 31.30, 34.24, 25)
    assert place_of(places, "Gaza Strip").country == "PS"


def test_nationality_words_set_the_country():
    # Two towns named Rafah lie on either side of the border; Egyptian context picks Egypt's.
    text = "Egyptian border guards in Rafah closed the crossing, Egyptian officials said."
    rafah = place_of(resolve(mentions(text, "Rafah"), text=text), "Rafah")
    assert rafah.country == "EG", rafah.reason


def test_country_hints():
    text = "Protesters gathered in Hyderabad on Sunday."
    pk = place_of(resolve(mentions(text, "Hyderabad"), text=text, country_hints=["PK"]), "Hyderabad")
    india = place_of(resolve(mentions(text, "Hyderabad"), text=text, country_hints=["IN"]), "Hyderabad")
    assert pk.country == "PK" and india.country == "IN"


def test_container_after_a_comma():
    text = "The rally in Paris, Texas, drew a small crowd."
    paris = place_of(resolve(mentions(text, "Paris", "Texas"), text=text), "Paris")
    assert paris.country == "US" and paris.admin1 == "Texas"
    text = "The talks in Paris ended without a deal."
    assert place_of(resolve(mentions(text, "Paris"), text=text), "Paris").country == "FR"


def test_countries_and_aliases():
    text = "The U.S. and Britain urged Iran to return to talks."
    places = resolve(mentions(text, "U.S.", "Britain", "Iran"), text=text)
    assert [p.country for p in places] == ["US", "GB", "IR"]
    assert all(p.kind == "country" and p.precision == "country" for p in places)


def test_unknown_names_are_kept_without_coordinates():
    text = "Fighters regrouped near Qzxvillebad."
    (place,) = resolve(mentions(text, "Qzxvillebad"), text=text)
    assert place.lat is None and place.gazetteer_id is None
    assert place.name == "Qzxvillebad" and place.reason == "not in gazetteer"


def test_norp_is_context_unless_asked_for():
    text = "Afghan officials said the strike hit Khost."
    found = mentions(text, "Afghan", label="NORP") + mentions(text, "Khost")
    assert [p.span.text for p in resolve(found, text=text)] == ["Khost"]
    both = resolve(found, text=text, demonyms_as_places=True)
    assert [(p.span.text, p.country, p.kind) for p in both] == [("Afghan", "AF", "country"), ("Khost", "AF", "city")]


def test_same_name_same_place_throughout():
    text = "Shelling in Kherson. Later, Kherson's mayor said power was cut in Kherson."
    places = resolve(mentions(text, "Kherson"), text=text)
    assert len({p.gazetteer_id for p in places}) == 1


def test_a_capital_beats_its_countrys_namesakes():
    text = "Lawmakers in Washington passed the bill, a farmer in Iowa said."
    washington = place_of(resolve(mentions(text, "Washington", "Iowa"), text=text), "Washington")
    assert washington.admin1 == "District of Columbia" and "capital" in washington.reason
    text = "The fair in Washington, Iowa, opens on Friday."
    washington = place_of(resolve(mentions(text, "Washington", "Iowa"), text=text), "Washington")
    assert washington.admin1 == "Iowa"


def test_namesakes_abroad_still_compete():
    text = "London police said the man was arrested in east London. Ontario's coroner was called."
    london = place_of(resolve(mentions(text, "London", "Ontario"), text=text), "London")
    assert london.country == "CA" and london.admin1 == "Ontario"


def test_a_city_beats_only_the_province_it_lies_in():
    # Wyoming, Ohio is a town of 8,000; the state is not where it lies.
    text = "Ranchers from Montana and Wyoming came."
    wyoming = place_of(resolve(mentions(text, "Montana", "Wyoming"), text=text), "Wyoming")
    assert wyoming.kind == "province" and wyoming.admin1 == "Wyoming"


def test_ambiguous_container_reading():
    text = "Offices in Indianapolis, Indiana and Atlanta, Georgia were opened."
    places = resolve(mentions(text, "Indianapolis", "Indiana", "Atlanta", "Georgia"), text=text)
    assert place_of(places, "Georgia").gazetteer_id == "iso3166-2:US-GA"
    assert place_of(places, "Atlanta").admin1 == "Georgia" and near(place_of(places, "Atlanta"), 33.75, -84.39, 25)


def test_a_country_is_inside_nothing():
    text = "Grain shipments rose in Russia, U.S. traders said."
    russia = place_of(resolve(mentions(text, "Russia", "U.S."), text=text), "Russia")
    assert russia.kind == "country" and russia.country == "RU"
    text = "Students from Wisconsin, Michigan and Ohio came."
    wisconsin = place_of(resolve(mentions(text, "Wisconsin", "Michigan", "Ohio"), text=text), "Wisconsin")
    assert wisconsin.kind == "province" and wisconsin.admin1 == "Wisconsin"


def test_unknown_town_is_placed_in_its_container():
    text = "HOLLIDAY, Mo. — A 25-year-old man was arrested."
    found = [(Span(0, 8, "HOLLIDAY"), "DATELINE"), (Span(10, 13, "Mo."), "GPE")]
    holliday, missouri = resolve(found, text=text)
    assert missouri.gazetteer_id == "iso3166-2:US-MO"
    assert holliday.name == "HOLLIDAY" and (holliday.lat, holliday.lon) == (missouri.lat, missouri.lon)
    assert holliday.precision == "admin1" and "placed at its point" in holliday.reason


def test_us_county_is_placed_at_its_state():
    text = "A Metcalfe County man was arrested, Kentucky State Police said."
    county = place_of(resolve(mentions(text, "Metcalfe County", "Kentucky"), text=text), "Metcalfe County")
    assert county.country == "US" and county.admin1 == "Kentucky" and county.kind == "region"
    assert "county" in county.reason and near(county, 37.0, -85.6, 161)


def test_a_bare_dateline_is_a_well_known_town():
    text = ("WASHINGTON — Christopher Steele, a former British intelligence officer based in London, "
            "wrote the reports in England, U.S. officials said.")
    found = [(Span(0, 10, "WASHINGTON"), "DATELINE")] + mentions(text, "London", "England", "U.S.") \
        + mentions(text, "British", label="NORP")
    washington = place_of(resolve(found, text=text), "WASHINGTON")
    assert washington.admin1 == "District of Columbia" and "dateline" in washington.reason
    assert place_of(resolve(found, text=text), "England").country == "GB"  # not England, Arkansas


def test_names_decided_together_do_not_oscillate():
    # Each name sees the others' latest choice, never its own: Edmonton (north London)
    # and London settle on England together.
    text = "An Edmonton man was fined. His neighbour works at a north London market, Enfield council said."
    places = resolve(mentions(text, "Edmonton", "London"), text=text, country_hints=["GB"])
    assert {p.country for p in places} == {"GB"}


def test_region_adjectives_and_plural_nationality_nouns():
    text = "African leaders met Cuban officials; Cubans watched."
    found = [(Span(0, 7, "African"), "NORP"), (Span(20, 25, "Cuban"), "NORP"), (Span(37, 43, "Cubans"), "NORP")]
    places = resolve(found, text=text, demonyms_as_places=True)
    assert [(p.span.text, p.name) for p in places] == [("African", "Africa"), ("Cuban", "Cuba")]


@pytest.mark.shared
@pytest.mark.skipif(not SEED.exists(), reason=f"shared data not found at {SEED} (set COUNTERCLAIM_SHARED_DIR)")
def test_seed_article_gold_places():
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    gold = json.loads((SEED / "gold.json").read_text(encoding="utf-8"))["places"]
    places = resolve(mentions(text, *gold), text=text)
    for name, g in gold.items():
        got = [p for p in places if fold(p.span.text) == fold(name)]
        assert got, f"{name} not found in the article"
        for p in got:
            if g["kind"] == "country":
                assert p.country == g["country"], (name, p)
            else:
                limit = 25 if g["kind"] in ("city", "town", "site") else 100
                assert p.country == g["country"] and near(p, g["lat"], g["lon"], limit), (name, p)
                assert p.kind == g["kind"], (name, p)


@pytest.mark.shared
@pytest.mark.skipif(not SEED.exists(), reason=f"shared data not found at {SEED} (set COUNTERCLAIM_SHARED_DIR)")
def test_seed_article_with_spacy_ner():
    """The real path: spaCy's mentions (GPE/LOC/FAC/NORP) into the resolver."""
    from counterclaim.nlp.pipeline import get_nlp

    text = (SEED / "article.txt").read_text(encoding="utf-8")
    gold = json.loads((SEED / "gold.json").read_text(encoding="utf-8"))["places"]
    doc = get_nlp()(text)
    found = [(Span(e.start_char, e.end_char, e.text), e.label_) for e in doc.ents
             if e.label_ in ("GPE", "LOC", "FAC", "NORP")]
    places = {fold(p.span.text): p for p in resolve(found, text=text) if p.lat is not None}
    for name, g in gold.items():
        p = places.get(fold(name))
        assert p is not None, f"{name} not resolved"
        if g["kind"] == "country":
            assert p.country == g["country"]
        else:
            assert near(p, g["lat"], g["lon"], 25 if g["kind"] == "city" else 100), (name, p)


def test_another_spelling_of_an_arab_town_only_in_its_countries():
    text = "Syrian jets struck Taduf on Monday."
    assert place_of(resolve(mentions(text, "Taduf"), text=text), "Taduf").country == "SY"
    text = "Floods reached Taduf on Monday."  # nothing says which country: not guessed
    assert place_of(resolve(mentions(text, "Taduf"), text=text), "Taduf").lat is None


def test_a_name_matched_by_accident_is_dropped_only_when_asked():
    text = "Police said Don had met the men before they drove to Karachi. Later they stopped in Don."
    found = mentions(text, "Don", "Karachi")
    assert [p.span.text for p in resolve(found, text=text)] == ["Don", "Karachi", "Don"]
    # with nothing in the article for it, a small town abroad is a word that happens to be a name;
    # after "in" it is a place wherever it is
    kept = resolve(found, text=text, drop_accidental=True)
    assert [(p.span.text, p.span.start) for p in kept] == [("Karachi", text.index("Karachi")), ("Don", text.rindex("Don"))]


def test_a_small_town_in_a_country_the_article_names_is_no_accident():
    text = "French officials said Don had been cut off by the floods for two days."
    assert [p.name for p in resolve(mentions(text, "Don"), text=text, drop_accidental=True)] == ["Don"]
    text = "French officials said pressure from the DON had grown."  # an acronym that spells the town
    assert resolve(mentions(text, "DON"), text=text, drop_accidental=True) == []


def test_an_unknown_village_is_placed_at_the_place_that_holds_it():
    # Invented names: the gazetteer knows none of them.
    text = "Shelling hit Kafr Zorvani village in Aleppo province on Monday."
    places = resolve(mentions(text, "Kafr Zorvani", "Aleppo province"), text=text)
    village = place_of(places, "Kafr Zorvani")
    assert village.country == "SY" and village.lat is not None
    assert "approximate" in village.reason and "Aleppo" in village.reason


def test_an_unknown_name_takes_the_setting_named_before_it_in_the_sentence():
    text = "Curfew was imposed in Mosul besides Qarwendi and Tell Omsari after the clashes."
    places = resolve(mentions(text, "Mosul", "Qarwendi", "Tell Omsari"), text=text)
    mosul = place_of(places, "Mosul")
    for name in ("Qarwendi", "Tell Omsari"):
        p = place_of(places, name)
        assert (p.lat, p.lon) == (mosul.lat, mosul.lon), p.reason


def test_a_country_names_only_the_country_of_an_unknown_name():
    text = "Fighters took Qarwendi in Syria on Monday."
    places = resolve(mentions(text, "Qarwendi", "Syria"), text=text)
    assert place_of(places, "Qarwendi").precision == "country"


def test_a_country_name_in_a_list_of_neighbourhoods_is_a_neighbourhood():
    text = "LIMA, 3 May -- Police said the rebels hold the Zorvillo, Qantapa and Chile neighborhoods, they said."
    places = resolve(mentions(text, "LIMA", "Zorvillo", "Qantapa", "Chile"), text=text)
    lima, chile = place_of(places, "LIMA"), place_of(places, "Chile")
    assert chile.country == "PE" and chile.kind == "district", chile.reason
    assert distance_km(chile.lat, chile.lon, lima.lat, lima.lon) < 30


def test_a_hill_named_like_a_small_town_abroad_is_placed_by_its_context():
    text = "LIMA, 3 May -- Rebels fired on the army from Tres Cruces hill, in the same area, police said."
    places = resolve(mentions(text, "LIMA", "Tres Cruces"), text=text, drop_accidental=True)
    hill = place_of(places, "Tres Cruces")
    assert hill.country == "PE", hill.reason


def test_two_towns_listed_together_are_not_a_town_and_its_quarter():
    """A small town far from the bigger one it is listed with ("on A and B") is its own
    place: only a name the sentence sets inside a city may become one of its quarters."""
    text = "Rockets struck Kasama and Mbala in northern Zambia on Monday, officials said."
    places = resolve(mentions(text, "Kasama", "Mbala"), text=text)
    kasama, mbala = place_of(places, "Kasama"), place_of(places, "Mbala")
    assert kasama.country == mbala.country == "ZM"
    assert distance_km(kasama.lat, kasama.lon, mbala.lat, mbala.lon) > 100, mbala.reason


def test_a_town_across_a_border_is_no_quarter_of_the_city_in_its_sentence():
    """A small town whose gazetteer entry lies in another country than the city its
    sentence names is that town, not a quarter of the city."""
    text = ("Zambian families who fled to Tunduma in Tanzania will wait for the outcome of talks due "
            "in Mbala later this week.")
    places = resolve(mentions(text, "Tunduma", "Mbala"), text=text)
    mbala = place_of(places, "Mbala")
    assert mbala.country == "ZM" and mbala.gazetteer_id, mbala.reason
