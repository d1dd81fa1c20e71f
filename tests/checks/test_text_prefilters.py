"""Pre-filters of the prose checks give exactly the texts the plain per-text test gives."""
from __future__ import annotations

import re

from toolkit.checks import annexes, language, stage
from toolkit.checks.text import TextPiece, draft_texts, matching

PREFILTERS = [stage._PLACEHOLDER, language._NONSTANDARD_ANY, language._YI, language._ANY_HALF, language._ANY_PREFIX,
              re.compile("应"), re.compile(r"\[\["), re.compile("GB/T")]


def test_matching_is_the_per_text_search_on_every_draft(corpus):
    n = 0
    for d in corpus.drafts.values():
        pieces = tuple(draft_texts(d, corpus))
        for rx in PREFILTERS:
            assert matching(pieces, rx) == [pc for pc in pieces if rx.search(pc.text)], rx.pattern
            n += 1
    assert n >= 6 * len(PREFILTERS)


def test_matching_edges():
    def pc(text):
        return TextPiece(text, (), "o", 0, "p")

    pieces = [pc("abc"), pc("xx 占位"), pc(""), pc("○○"), pc("必须"), pc("无需")]
    assert [p.text for p in matching(pieces, stage._PLACEHOLDER)] == ["xx 占位", "○○"]
    assert [p.text for p in matching(pieces, language._NONSTANDARD_ANY)] == ["必须", "无需"]
    assert matching([], stage._PLACEHOLDER) == []


def test_nonstandard_prefilter_covers_every_pattern():
    """Any text one of the W951 patterns matches is also matched by the pre-filter."""
    for rx, word, _better in language._NONSTANDARD:
        for text in (word, f"规划{word}执行", f"{word}。"):
            if rx.search(text):
                assert language._NONSTANDARD_ANY.search(text), word


def test_indicator_prefilter_never_hides_a_name(corpus):
    names = annexes.indicator_names(corpus)
    for d in corpus.drafts.values():
        for p in draft_texts(d, corpus):
            if annexes.named_indicators(p.text, names):
                assert names.may_name(p.text), p.text
