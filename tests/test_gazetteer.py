"""The offline gazetteer: names, folding, provinces, countries, aliases, demonyms, import."""

from __future__ import annotations

import sqlite3

import pycountry
import pytest

from counterclaim.nlp.gazetteer import (
    DATA_DIR,
    Gazetteer,
    centre,
    demonym_country,
    distance_km,
    fold,
    import_geonames,
    strip_admin_word,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def _best(gaz: Gazetteer, name: str, kind: str):
    found = [e for e in gaz.lookup(name) if e.kind == kind]
    assert found, f"{name!r} has no {kind} entry"
    return found[0]


def test_fold_ignores_accents_case_dots_and_hyphens():
    assert fold("Kandahār") == fold("KANDAHAR") == "kandahar"
    assert fold("U.S.") == "us"
    assert fold("Sar-e Pul") == "sar e pul"
    assert fold("the West Bank") == "west bank"
    assert fold("Şalāḩ ad Dīn") == "salah ad din"


def test_strip_admin_word():
    assert strip_admin_word("paktia province") == "paktia"
    assert strip_admin_word("province of kandahar") == "kandahar"
    assert strip_admin_word("kabul") == "kabul"


def test_city_lookup_accent_folded(gaz):
    kabul = _best(gaz, "Kabul", "city")
    assert kabul.id == "geonames:1138958"
    assert kabul.country == "AF" and kabul.admin1 == "Kabul"
    assert distance_km(kabul.lat, kabul.lon, 34.53, 69.17) < 5
    assert _best(gaz, "Kandahār", "city") == _best(gaz, "kandahar", "city")


def test_province_has_centroid_and_iso_id(gaz):
    paktia = _best(gaz, "Paktia", "province")
    assert paktia.id == "iso3166-2:AF-PIA"
    assert paktia.precision == "admin1"
    # Paktia's centre is about 33.6 N, 69.5 E; its capital Gardez 33.6 N, 69.2 E.
    assert distance_km(paktia.lat, paktia.lon, 33.6, 69.5) < 100
    assert _best(gaz, "Paktia Province", "province") == paktia


def test_countries_by_code_name_and_alias(gaz):
    af = gaz.country("AF")
    assert af.kind == "country" and af.id == "country:AF"
    assert gaz.country("AFG") == af == gaz.country("Afghanistan")
    assert gaz.country("U.S.").country == "US"
    assert gaz.country("Britain").country == "GB"
    assert gaz.country("Türkiye").country == "TR"
    assert gaz.country("Nowhereland") is None
    # A sensible centre: inside the country's own latitude/longitude range.
    assert distance_km(af.lat, af.lon, 33.0, 66.0) < 300


def test_region_aliases(gaz):
    assert any(e.country == "PS" for e in gaz.lookup("the West Bank"))
    assert any(e.country == "PS" and e.kind != "city" for e in gaz.lookup("Gaza Strip"))
    middle_east = gaz.lookup("Middle East")
    assert middle_east and middle_east[0].kind == "region"


@pytest.mark.parametrize("word", ["March", "May", "Will", "Said", "Best", "Police", "Army", "Friday"])
def test_common_words_are_not_places(gaz, word):
    assert gaz.lookup(word) == []


def test_alternate_name_codes_are_not_indexed(gaz):
    # "KBL" is Kabul's airport code among GeoNames alternate names.
    assert all(e.id != "geonames:1138958" for e in gaz.lookup("KBL"))


def test_lookup_is_cached(gaz):
    """A name is resolved once and then served from the cache (its speed is a benchmark's
    business, not a test's): the second lookup is a cache hit with the same answer."""
    first = gaz.lookup("Aleppo")
    hits = gaz._cache.cache_info().hits
    assert gaz.lookup("Aleppo") == first
    assert gaz._cache.cache_info().hits == hits + 1


def test_demonyms():
    assert demonym_country("Afghan") == "AF"
    assert demonym_country("Pakistani") == "PK"
    assert demonym_country("Pakistanis") == "PK"
    assert demonym_country("South Korean") == "KR"
    assert demonym_country("Swiss") == "CH"
    assert demonym_country("Kurdish") is None
    assert demonym_country("Teacher") is None


def test_demonyms_cover_every_country():
    codes = set()
    for line in (DATA_DIR / "demonyms.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            codes.add(line.split("\t")[1].strip())
    missing = {c.alpha_2 for c in pycountry.countries} - codes
    assert missing <= {"DM"}, missing  # "Dominican" is the Dominican Republic's


def test_centre_handles_the_antimeridian():
    lat, lon = centre([(-17.0, 179.0), (-18.0, -179.5), (-16.5, 178.5)])
    assert abs(lat + 17.2) < 1 and (lon > 178 or lon < -179)


# A few rows in the GeoNames dump format (19 tab-separated columns).
_ROWS = [
    ("9000001", "Torkham", "Torkham", "Torkham Border Crossing,Torkham Gate", "34.1167", "71.0833",
     "S", "PSTB", "AF", "", "18", "", "", "", "0"),
    ("9000002", "Ghulam Khan", "Ghulam Khan", "", "33.15", "70.05", "P", "PPL", "AF", "", "37", "", "", "", "800"),
    ("9000003", "Chaman", "Chaman", "Chamman", "30.921", "66.4597", "P", "PPL", "PK", "", "02", "", "", "", "123191"),
    ("bad", "row"),
]


def _write_dump(path):
    with open(path, "w", encoding="utf-8") as f:
        for row in _ROWS:
            cells = list(row) + [""] * (19 - len(row)) if len(row) > 2 else list(row)
            f.write("\t".join(cells) + "\n")


def test_import_geonames_into_user_gazetteer(tmp_path, gaz):
    dump, db = tmp_path / "AF.txt", tmp_path / "user.sqlite"
    _write_dump(dump)
    calls = []
    counts = import_geonames(dump, into=db, progress=lambda *a: calls.append(a), batch=2)
    assert counts == {"read": 4, "imported": 3, "skipped": 1}
    assert calls and calls[-1][1] == calls[-1][2] == dump.stat().st_size

    user = Gazetteer(gaz.index_path, user_path=db)
    torkham = [e for e in user.lookup("Torkham Gate") if e.id == "geonames:9000001"]
    assert torkham and torkham[0].kind == "site" and torkham[0].country == "AF"
    assert user.feature("geonames:9000001") == "PSTB"  # feature codes are kept
    assert fold(torkham[0].admin1) == "nangarhar"  # AF.18, from the shipped admin1 table
    assert user.get("geonames:9000002").name == "Ghulam Khan"
    # The shipped index still answers, and the user's row wins for the same id.
    assert any(e.id == "geonames:1138958" for e in user.lookup("Kabul"))
    chaman = [e for e in user.lookup("Chaman") if e.id == "geonames:9000003"]
    assert chaman and chaman[0].population == 123191

    # Re-importing replaces rows rather than duplicating them.
    import_geonames(dump, into=db)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM entry").fetchone()[0] == 3
    # The shipped index alone does not know it.
    assert all(e.id != "geonames:9000001" for e in gaz.lookup("Torkham Gate"))


def test_index_is_rebuilt_when_missing(tmp_path, gaz):
    path = tmp_path / "gazetteer-test.sqlite"
    fresh = Gazetteer(path, user_path=tmp_path / "none.sqlite")
    assert path.exists() and fresh.build_stats["cities"] > 200_000
    assert fresh.stats()["stamp"] == gaz.stats()["stamp"]
    assert fresh.lookup("Paktia") == gaz.lookup("Paktia")


def test_country_points_match_the_gazetteers_of_news_sets(gaz):
    # The contiguous United States' centre (Lebanon, Kansas), not the Factbook's Oklahoma point.
    us = gaz.country("US")
    assert distance_km(us.lat, us.lon, 39.83, -98.58) < 161
    # A long country keeps its Factbook point: the centre of its outline says little.
    cl = gaz.country("CL")
    assert (cl.lat, cl.lon) == (-30.0, -71.0)


def test_main_landmass_centre():
    from counterclaim.nlp.gazetteer import _main_landmass_centre

    square = [[10.0, 40.0], [12.0, 40.0], [12.0, 42.0], [10.0, 42.0]]
    islet = [[30.0, 0.0], [30.1, 0.0], [30.1, 0.1]]
    lat, lon = _main_landmass_centre([islet, square])
    assert abs(lat - 41.0) < 1e-6 and abs(lon - 11.0) < 1e-6
    assert _main_landmass_centre([]) is None


def test_centre_leaves_out_stray_points_but_keeps_sparse_edges():
    towns = [(45.0 + i * 0.25, -80.0 + j * 0.5) for i in range(12) for j in range(12)]  # a settled south
    north = [(53.0, -77.0)]  # one remote northern town: part of the area
    stray = [(20.0, 10.0)]  # a town filed under the wrong province
    lat, lon = centre(towns + north + stray)
    assert abs(lat - 49.0) < 0.01 and abs(lon + 77.25) < 0.01


def test_province_reaches_its_coast(gaz):
    # Ontario's towns are in the south; its Hudson Bay shore pulls the point north,
    # where GeoNames has it (49.25 N, 84.5 W).
    ontario = _best(gaz, "Ontario", "province")
    assert distance_km(ontario.lat, ontario.lon, 49.25, -84.5) < 161


def test_outline_vertices_go_to_the_nearest_towns_province():
    from counterclaim.nlp.gazetteer import _outline_by_province

    towns = [(10.0, 10.0, "A"), (10.0, 20.0, "B")]
    ring = [[9.0, 10.0], [21.0, 10.0], [14.0, 12.0]]  # [lon, lat]
    out = _outline_by_province([ring], towns)
    assert out["A"] == [(10.0, 9.0), (12.0, 14.0)] and out["B"] == [(10.0, 21.0)]


def test_national_capitals_are_marked(gaz):
    assert gaz.feature("geonames:1138958") == "PPLC"  # Kabul
    dc = [e for e in gaz.lookup("Washington") if e.kind == "city" and e.admin1 == "District of Columbia"][0]
    assert gaz.feature(dc.id) == "PPLC"
    assert gaz.feature("geonames:1138336") is None  # Kandahar: a province seat, unknown without a dump


def test_us_counties(gaz):
    (metcalfe,) = [e for e in gaz.lookup("Metcalfe County")]
    assert metcalfe.kind == "region" and metcalfe.country == "US" and metcalfe.admin1 == "Kentucky"
    kentucky = _best(gaz, "Kentucky", "province")
    assert (metcalfe.lat, metcalfe.lon) == (kentucky.lat, kentucky.lon)
    assert gaz.lookup("Metcalfe Co.") == [metcalfe]
    assert all(not e.id.startswith("us-county:") for e in gaz.lookup("Metcalfe"))


def test_region_adjectives_and_plural_nationality_nouns():
    from counterclaim.nlp.gazetteer import plural_demonym, region_demonym

    assert region_demonym("African") == "geonames:6255146"
    assert region_demonym("Kurdish") == "region:kurdistan"
    assert region_demonym("Afghan") is None and demonym_country("Kurdish") is None
    assert plural_demonym("Cubans") and plural_demonym("Spaniards")
    assert not plural_demonym("Cuban") and not plural_demonym("Swiss")


def test_arab_towns_are_found_without_the_article():
    """GeoNames writes 'Al Qāmishlī', 'Ar Raqqah'; the news writes 'Qamishli'.  Only Arab
    countries' names lose the article: 'El Paso' keeps its 'El'."""
    from counterclaim.nlp.gazetteer import Gazetteer, _without_arabic_article

    gaz = Gazetteer.default()
    assert any(e.country == "SY" and e.kind == "city" for e in gaz.lookup("Qamishli"))
    assert _without_arabic_article("al qamishli", "SY") == "qamishli"
    assert _without_arabic_article("el paso", "US") is None
    assert _without_arabic_article("aleppo", "SY") is None


def test_arabic_names_are_found_in_other_spellings():
    from counterclaim.nlp.gazetteer import Gazetteer, fold, skeleton

    gaz = Gazetteer.default()
    assert skeleton(fold("Deir Ezzor")) == skeleton(fold("Deir ez-Zor")) == skeleton(fold("Deir al-Zor"))
    assert skeleton(fold("Taduf")) == skeleton(fold("Tadif"))
    assert skeleton(fold("Hammuriyah")) != skeleton(fold("Hamra"))  # the -iyah ending counts
    assert skeleton(fold("Ali")) is None  # too short a frame to tell towns apart
    assert any(m.entry.name == "Deir ez-Zor" and m.entry.country == "SY" for m in gaz.spelling_matches("Deir Ezzor"))
    assert gaz.spelling_matches("Manchester") == []  # only the countries whose place names are Arabic
