"""Case restoration before the parse: all-capitals and lower-cased texts get their names back."""

from __future__ import annotations

from counterclaim.nlp.truecase import damage, truecase

UPPER = (
    "   KARACHI, 3 MAR 91 (RADIO) -- [TEXT] POLICE IN KARACHI SAID TODAY THAT GUNMEN\n"
    "ATTACKED A BUS NEAR THE AIRPORT ON MONDAY, KILLING FOUR PASSENGERS. THE\n"
    "INTERIOR MINISTER TOLD REPORTERS IN LAHORE THAT THE UNITED STATES HAD OFFERED HELP.\n\n"
    "   THE GOVERNMENT SAID THE ATTACKERS ESCAPED IN A CAR AND THAT A SEARCH WAS UNDER WAY.\n"
)
LOWER = (
    "lahore: a mob set fire to two shops in the zarnakot area of lahore on sunday, police sources said. "
    "three people were injured and curfew was imposed in the area after stone throwing. "
    "the chief minister said in karachi that the culprits would be arrested."
)
NORMAL = "Police in Karachi said on Monday that gunmen attacked a bus near the airport, killing four passengers. " * 3


def test_damage_is_detected_only_in_damaged_text():
    assert damage(UPPER) == "upper"
    assert damage(LOWER) == "lower"
    assert damage(NORMAL) is None
    assert truecase(NORMAL) == NORMAL
    assert damage("SHORT HEADLINE IN CAPITALS") is None  # too short to judge


def test_only_letter_case_changes():
    for text in (UPPER, LOWER):
        out = truecase(text)
        assert len(out) == len(text)
        assert out.lower() == text.lower()


def test_capitals_text_gets_words_and_names_back():
    out = truecase(UPPER)
    assert "Police in Karachi said today that gunmen" in out
    assert "on Monday, killing four passengers" in out
    assert "in Lahore that the United States had offered help" in out
    assert out.lstrip().startswith("Karachi, 3")


def test_lower_case_text_gets_names_and_sentence_starts_back():
    out = truecase(LOWER)
    assert out.startswith("Lahore: a mob set fire")
    assert "the Zarnakot area of Lahore on Sunday, police sources said." in out  # an unknown word is a name
    assert "Three people were injured and curfew was imposed" in out  # "curfew" is an English word
    assert "said in Karachi that" in out


def test_extraction_parses_restored_case_and_quotes_the_original(extract_text):
    ex = extract_text(UPPER, published="1991-03-03")
    names = {p.span.text: p for p in ex.places}
    assert "LAHORE" in names and names["LAHORE"].country == "PK"
    for p in ex.places:  # spans quote the article as ingested
        assert ex.article.text[p.span.start:p.span.end] == p.span.text
