"""The text and number rules behind the checks, on small inputs: they fire on what they target and
stay quiet on legitimate planning prose (应用, 供应, 宜居, 因地制宜, 可持续, codes written right …)."""
from __future__ import annotations

import pytest

from toolkit import model as m
from toolkit.checks.language import _CODE, _HALF_PUNCT, _NONSTANDARD, code_problem, modal_yi, modal_ying
from toolkit.checks.structure import reference_forms, term_variants
from toolkit.checks.transmission import _looser, bound
from toolkit.corpus import ResolvedTarget
from toolkit.findings import Location


@pytest.mark.parametrize("text, expected", [
    ("详细规划应符合总体规划的要求", True),
    ("不应占用生态保护红线", True),
    ("应当落实上位规划", True),
    ("推广可再生能源应用", False),
    ("保障能源供应与相应设施", False),
    ("适应气候变化，应对极端天气", False),
    ("热岛效应明显的片区", False),
])
def test_modal_ying(text, expected):
    assert modal_ying(text) is expected


@pytest.mark.parametrize("text, expected", [
    ("宜采用装配式建筑", True),
    ("不宜布置大型停车场", True),
    ("建设宜居城市", False),
    ("因地制宜确定指标", False),
    ("选择适宜的树种", False),
    ("相关事宜由地方确定", False),
])
def test_modal_yi(text, expected):
    assert modal_yi(text) is expected


def _nonstandard(text: str) -> list[str]:
    return [word for rx, word, _ in _NONSTANDARD if rx.search(text)]


@pytest.mark.parametrize("text, words", [
    ("建设项目必须配建充电设施", ["必须"]),
    ("务必落实", ["务必"]),
    ("须符合规定", ["须"]),
    ("不得占用耕地", ["不得"]),
    ("可以结合绿地设置", ["可以"]),
    ("无须另行审批", ["无须"]),
    ("应符合本文件的规定", []),
    ("可结合实际确定，不必统一", []),
    ("舍不得拆除", []),
    ("详见须知", []),
])
def test_nonstandard_modal_words(text, words):
    assert _nonstandard(text) == words


@pytest.mark.parametrize("text, hit", [
    ("编制要求,包括交通", True),
    ("如下:交通", True),
    ("公共交通导向开发(TOD)", True),
    ("P+R停车换乘设施", False),
    ("详见[[tab-x]]。", False),
    ("GB/T 1.1—2020", False),
    ("1:1000 地形图", False),
    ("容积率（FAR）不低于1.5", False),
])
def test_half_width_punctuation(text, hit):
    assert bool(_HALF_PUNCT.search(text)) is hit


@pytest.mark.parametrize("text, ok", [
    ("GB/T 1.1—2020", True),
    ("TD/T 1062—2021", True),
    ("GB 50180—2018", True),
    ("GB/T 1.1-2020", False),
    ("GB/T1.1—2020", False),
    ("GB/T 1.1–2020", False),
    ("GB/T 1.1 — 2020", False),
    ("GB/T 1.1——2020", False),
    ("DB11/T 1234-2019", False),
])
def test_standard_codes(text, ok):
    mt = _CODE.search(text)
    assert mt is not None
    assert (code_problem(mt) is None) is ok


def test_undated_and_placeholder_codes_are_not_flagged():
    assert _CODE.search("GB/T 50378") is None
    assert _CODE.search("TD/T XXXX—20XX") is None


def test_term_variants_and_reference_forms():
    assert term_variants("公共交通导向开发（TOD）") == ["公共交通导向开发（TOD）", "公共交通导向开发", "TOD"]
    assert term_variants("碳汇") == ["碳汇"]
    assert reference_forms("GB/T 50378—2019", "绿色建筑评价标准") == ["绿色建筑评价标准", "GB/T50378—2019", "GB/T50378"]
    assert reference_forms(None, "市级国土空间总体规划编制指南") == ["市级国土空间总体规划编制指南"]


def _rt(comparator: str, value: float, value_max: float | None = None) -> ResolvedTarget:
    t = m.Target(comparator=comparator, value=value, value_max=value_max, drafted=True)
    return ResolvedTarget("ind-x", t, "municipal", "master", ("indicator", "ind-x"), Location())


@pytest.mark.parametrize("direction, comparator, value, value_max, expected", [
    ("higher", ">=", 60, None, 60), ("higher", "range", 30, 50, 30), ("higher", "<=", 10, None, None),
    ("lower", "<=", 10, None, 10), ("lower", "range", 30, 50, 50), ("lower", ">=", 10, None, None),
    ("lower", "range", 50, 30, None), ("higher", "=", 5, None, 5),
])
def test_transmission_bound(direction, comparator, value, value_max, expected):
    assert bound(_rt(comparator, value, value_max), direction) == expected


def test_transmission_looser():
    assert _looser(60, 55, "higher") and not _looser(60, 65, "higher")
    assert _looser(10, 12, "lower") and not _looser(10, 8, "lower")
