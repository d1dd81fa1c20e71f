"""One list of record kinds and one place for coded-value names, agreeing with the model and the corpus."""
from __future__ import annotations

import typing

from toolkit import model as m
from toolkit import vocabulary as V
from toolkit.corpus import KINDS, Corpus
from toolkit.textfmt import md_escape, squash


def test_registry_lists_are_the_model_registry_keys_and_corpus_attributes(corpus):
    assert {k for k, _ in V.REGISTRY_LISTS} == m.REGISTRY_KEYS
    assert KINDS == V.RECORD_KINDS
    fields = Corpus.__dataclass_fields__
    for key, kind in V.RECORD_LISTS:
        assert key in fields and isinstance(getattr(corpus, key), dict), key
    assert corpus.editions, "the corpus holds its edition date (standards/registry/system.yaml)"


def test_names_cover_every_coded_value():
    cats = typing.get_args(m.Standard.model_fields["category"].annotation)
    dirs = typing.get_args(m.Indicator.model_fields["direction"].annotation)
    assert set(V.CATEGORY_NAMES) == set(cats) and list(V.CATEGORY_ORDER) == list(V.CATEGORY_NAMES)
    assert set(V.DIRECTION_NAMES) == set(dirs) == set(V.DIRECTION_MEANINGS)
    assert V.direction_explained("higher") == "正向（越高越好）"


def test_one_markdown_escape():
    assert md_escape("a|b<c>&\nd") == "a\\|b&lt;c&gt;&amp;<br>d"
    assert md_escape("[x](y) *z* _w_ `v` \\") == "\\[x\\](y) \\*z\\* \\_w\\_ \\`v\\` \\\\"
    assert md_escape("'标准地' \"q\"") == "'标准地' \"q\"", "element text: quotes stay readable"
    assert squash(" 4.2\u3000原则\n 正文") == "4.2原则正文" and squash(3) == "3"
