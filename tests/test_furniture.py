"""Page furniture after an article's end is not read: related headlines are other stories."""

from __future__ import annotations

from counterclaim.nlp.furniture import blank_furniture

BODY = ("Police in Multan said on Tuesday that two men were arrested after a clash near the main market. "
        "The officers said the situation was calm by evening and shops reopened. ")


def test_related_stories_and_share_buttons_are_blanked_with_offsets_kept():
    text = BODY + "Related stories: Floods kill 12 in Sukkur, officials say\nFacebook Twitter Mail"
    out = blank_furniture(text)
    assert len(out) == len(text) and out.startswith(BODY)
    assert out[len(BODY):].strip() == "" and "\n" in out[len(BODY):]


def test_a_marker_early_in_the_text_is_part_of_the_story():
    text = "Read more: the minister's statement. " + BODY * 2
    assert blank_furniture(text) == text


def test_extraction_ignores_related_headlines(extract_text):
    ex = extract_text(BODY + "related stories: floods kill 12 in Sukkur, officials say")
    assert [p.span.text for p in ex.places] == ["Multan"]
    assert not any("Sukkur" in c.span.text for c in ex.claims)
