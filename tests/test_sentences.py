"""The regex sentence splitter (nlp.sentences): abbreviations and initials end no sentence."""

from counterclaim.nlp.sentences import first_sentence, sentence_starts


def test_a_title_or_an_initial_ends_no_sentence():
    text = "Gen. Okafor met J. Bello in the U.S. on Monday. Talks resume today."
    starts = sentence_starts(text)
    assert starts == [0, text.index("Talks")]


def test_a_blank_line_and_a_quote_start_sentences():
    text = 'The post fell at dawn.\n\nResidents fled. "We left everything," one said.'
    starts = sentence_starts(text)
    assert [text[s:s + 4] for s in starts] == ["The ", "Resi", '"We ']


def test_the_first_sentence_is_the_lead_or_the_whole_text():
    assert first_sentence("Shelling hit the town. Two were hurt.").strip() == "Shelling hit the town."
    assert first_sentence("no break here") == "no break here"
