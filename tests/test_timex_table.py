"""The time-expression rules are a table in data (timex_rules.tsv), read in order with their fragments filled in."""

from counterclaim.data.lexicon import rows
from counterclaim.nlp import timex_rules


def test_every_row_is_a_rule_in_the_file_order_with_its_fragments_and_handler():
    table = list(rows("timex_rules.tsv"))
    rules = timex_rules._compiled_rules()
    assert [r.name for r in rules] == [name for name, _, _ in table]
    assert len({r.name for r in rules}) == len(rules)
    assert not any(timex_rules._FRAGMENT.search(r.pattern.pattern) for r in rules)  # every {FRAGMENT} filled
    assert all(r.handler.__name__ == f"_h_{handler}" for r, (_, handler, _) in zip(rules, table))


def test_relative_words_count_from_the_article_or_from_the_time_told_before():
    assert timex_rules._relative_words()["last"] == ("published", -1)
    assert timex_rules._relative_words()["the following"] == ("previous", 1)
