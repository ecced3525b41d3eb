"""Named word sets (data/lexicons/*.tsv read through data.lexicon) and the distance helper."""

import pytest

from counterclaim.data import lexicon
from counterclaim.nlp.gazetteer import Coordinates, km_apart


@pytest.fixture
def user_sets(tmp_path, monkeypatch):
    """A user lexicon dir holding ``places.tsv``; the set cache cleared before and after."""
    monkeypatch.setenv("COUNTERCLAIM_LEXICON_DIR", str(tmp_path))
    lexicon._named_sets.cache_clear()
    yield tmp_path
    lexicon._named_sets.cache_clear()


def test_a_set_is_read_in_file_order_and_a_user_row_extends_it(user_sets):
    shipped = lexicon.word_list("places.tsv", "distance_units")
    assert shipped and "km" in shipped
    (user_sets / "places.tsv").write_text("# mine\ndistance_units\tleagues\n", encoding="utf-8")
    lexicon._named_sets.cache_clear()
    extended = lexicon.word_list("places.tsv", "distance_units")
    assert extended == shipped + ("leagues",)
    assert "leagues" in lexicon.word_set("places.tsv", "distance_units")


def test_a_map_gives_each_word_its_value():
    values = lexicon.word_map("quantities.tsv", "vague")
    assert values["dozens"] == "12"


def test_a_misspelt_set_name_is_an_error_not_an_empty_set():
    with pytest.raises(KeyError, match="no word set"):
        lexicon.word_set("places.tsv", "distance_unit")


def test_the_word_sets_the_modules_use_are_those_of_the_files():
    from counterclaim.nlp import geocode, places, quantities, sentences, times

    assert "outskirts" in places.PLACES.area_nouns and "governorate" in places.PROVINCE_NAME_WORDS
    assert quantities.WORDS["half a dozen"] == 6 and quantities.MULTIPLIERS["million"] == 1_000_000
    assert quantities.CASUALTY_WORDS["wounded"] == "injured"
    assert geocode.PART_WORDS[0] == "area"
    assert "gen" in sentences.SENTENCES.abbreviations and not times.past_tense("Officials said talks will resume.")


def test_km_apart_measures_between_two_located_things_and_refuses_unknown_ones():
    one_degree = km_apart(Coordinates(0.0, 0.0), Coordinates(1.0, 0.0))
    assert 110 < one_degree < 112
    with pytest.raises(AssertionError):
        km_apart(Coordinates(0.0, None), Coordinates(1.0, 0.0))


def test_the_toll_sets_of_cross_article_linking_are_data():
    """link.tolls' word sets are read from tolls.tsv, with the words the code held before (issue 15)."""
    from counterclaim.link import tolls

    assert set(tolls.DEATH_WORDS) == {"kill", "dead", "death", "die", "fatal", "slain", "life", "lives", "bodies", "body"}
    assert tolls.TOLLS.pronouns == {"he", "she", "they", "it", "we", "i"}
    assert set(tolls.MANY_VOICES) == {"independent", "civilians"}


def test_the_count_sets_of_toll_extraction_are_data():
    from counterclaim.nlp import quantities

    assert "km" in quantities.QUANTITIES.measure_nouns and "views" in quantities.QUANTITIES.page_counters
    assert quantities.CASUALTY_VERBS["wound"] == "injured"


def test_the_word_sets_of_the_claim_modules_are_those_of_the_files():
    from counterclaim.nlp import attribution, claims, speakers

    assert attribution.FIRST_PERSON == {"i", "we"}
    assert claims.CASUALTY_KINDS["deaths"] == "dead" and claims.CASUALTY_KINDS["injured"] == "hurt"
    assert {"-", "'", "\u2019", "."} <= speakers.SPEAKER_WORDS.name_joiners
    assert "source" in speakers._word_set("source_nouns")


def test_a_word_sets_object_reads_each_set_once_and_names_the_file_of_a_missing_one():
    cues = lexicon.word_sets("event_cues.tsv")
    assert cues is lexicon.word_sets("event_cues.tsv")
    assert cues.series_nouns == lexicon.word_set("event_cues.tsv", "series_nouns")
    assert "series_nouns" in vars(cues)  # kept: a plain attribute from the first use on
    with pytest.raises(AttributeError, match="event_cues.tsv: no word set 'series_noun'"):
        _ = cues.series_noun


def test_every_set_the_code_reads_through_a_word_sets_object_is_in_its_file():
    """A set is read on first use, so a misspelt one would fail only when its rule runs: check them all here."""
    import re
    from pathlib import Path

    import counterclaim

    root = Path(counterclaim.__file__).parent
    objects: dict[str, str] = {}
    uses: set[tuple[str, str]] = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        objects.update(re.findall(r'^([A-Z_]+) = word_sets\("([\w.]+)"\)$', text, re.MULTILINE))
        uses.update(re.findall(r"\b([A-Z][A-Z_]+)\.([a-z_0-9]+)\b", text))
    checked = [(objects[obj], name) for obj, name in uses if obj in objects]
    for file, name in checked:
        assert lexicon.word_set(file, name), (file, name)
