"""A claim's id is made from its article and span (``Claim.create``), so the two cannot disagree."""

from counterclaim.records import Claim, Span


def test_a_claim_created_from_its_article_and_span_carries_the_id_they_make():
    span = Span(10, 42, "the checkpoint was never attacked")
    claim = Claim.create("a1b2", span, act="deny", negated=False)
    assert claim.id == Claim.make_id("a1b2", span) == "a1b2:c10-42"
    assert (claim.article_id, claim.span, claim.act) == ("a1b2", span, "deny")
