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


def test_reverse_index_agrees_with_a_direct_scan(corpus):
    """The one reverse-link index (Corpus.index) against a plain scan of the records."""
    from toolkit.document import REF_RE
    from toolkit.walk import draft_indicator_ids, standard_indicator_ids

    ix = corpus.index
    for iid in corpus.indicators:
        users = corpus.users_of(iid)
        assert users["measures"] == sorted(x.id for x in corpus.measures.values()
                                           if iid in x.indicators or any(t.indicator == iid for t in x.targets))
        assert users["standards"] == sorted(s.id for s in corpus.standards.values() if iid in standard_indicator_ids(s))
        assert users["drafts"] == sorted(k for k, d in corpus.drafts.items() if iid in draft_indicator_ids(d))
        assert corpus.targets_of(iid) == [t for t in corpus.targets if t.indicator == iid]
    for cell in corpus.cells.values():
        assert [x.id for x in corpus.measures_in(cell)] == sorted(
            x.id for x in corpus.measures.values() if (x.level, x.plan_type) == (cell.level, cell.plan_type))
    for rid in corpus.references:
        direct = sorted(k for k, d in corpus.drafts.items()
                        if rid in d.normative_references or rid in REF_RE.findall(d.model_dump_json()))
        assert ix.drafts_citing(rid) == direct
    assert any(ix.drafts_citing(r) for r in corpus.references)
    assert all(ix.measure_cell[x] for x in corpus.measures), "every measure lies in a 五级三类 cell"
