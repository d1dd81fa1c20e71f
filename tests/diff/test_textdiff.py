"""Character-level diff: edit scripts rebuild both texts; Chinese edits are not chopped to confetti."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from toolkit.diff.textdiff import char_ops, excerpt_ops, line_hunks

TEXT = st.text(alphabet="的了和应宜可，。、；建筑绿色低碳规划指标0123456789ab\n", max_size=80)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_ops_rebuild_old_and_new(a, b):
    ops = char_ops(a, b)
    assert "".join(s for op, s in ops if op in "=-") == a
    assert "".join(s for op, s in ops if op in "=+") == b
    assert all(op in "=-+" and s for op, s in ops)


def test_chinese_insertion_and_replacement():
    assert char_ops("覆盖率不宜低于50%", "覆盖率不宜低于55%") == [("=", "覆盖率不宜低于5"), ("-", "0"), ("+", "5"), ("=", "%")]
    ops = char_ops("鼓励按星级绿色建筑标准建设", "宜按星级绿色建筑标准建设")
    assert ops == [("-", "鼓励"), ("+", "宜"), ("=", "按星级绿色建筑标准建设")]


def test_short_equalities_between_edits_are_folded():
    # a rewritten phrase sharing one incidental character (的) comes back as one deletion and one insertion
    ops = char_ops("提高公共交通的出行比例", "优化慢行网络的连通性")
    assert [op for op, _ in ops if op != "="] == ["-", "+"] or len(ops) <= 4


def test_none_and_empty_sides():
    assert char_ops(None, "新增") == [("+", "新增")]
    assert char_ops("删除", None) == [("-", "删除")]
    assert char_ops("", "") == []


def test_line_hunks_fold_unchanged_lines():
    old = "\n".join(f"第{i}行" for i in range(10))
    new = old.replace("第5行", "第五行")
    hunks = line_hunks(old, new)
    assert hunks == [("skip", 5), ("ops", [("=", "第"), ("-", "5"), ("+", "五"), ("=", "行")]), ("skip", 4)]
    assert line_hunks("一\n二", "一\n三") == [("ops", char_ops("一\n二", "一\n三"))]


def test_excerpt_cuts_long_context():
    ops = [("=", "甲" * 40), ("-", "乙"), ("+", "丙"), ("=", "丁" * 40)]
    assert excerpt_ops(ops, 5) == [("=", "…" + "甲" * 5), ("-", "乙"), ("+", "丙"), ("=", "丁" * 5 + "…")]
