"""Indicator names found in text: the Aho–Corasick automaton gives what the plain longest-first rule gives."""
from __future__ import annotations

from toolkit.checks.annexes import IndicatorNames, indicator_names, named_indicators
from toolkit.checks.text import draft_texts


def test_automaton_agrees_with_the_plain_rule_on_every_text(corpus):
    names = indicator_names(corpus)
    assert isinstance(names, IndicatorNames)
    plain = list(names)  # a plain list: the replace-longest-first loop
    n = 0
    for d in corpus.drafts.values():
        for pc in draft_texts(d, corpus):
            for text in [pc.text, *pc.text.split("。")]:
                assert named_indicators(text, names) == named_indicators(text, plain), text
                n += 1
    assert n > 2000


def test_longer_names_win_and_ids_come_once(corpus):
    names = indicator_names(corpus)
    iid = next(i for i, ind in corpus.indicators.items() if ind.name == "容积率")
    text = "地块容积率不宜大于2.0，容积率应符合[[" + iid + "]]的规定。"
    assert named_indicators(text, names) == [iid]
    assert named_indicators("", names) == []
