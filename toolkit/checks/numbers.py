"""E86x numbers in text agree with targets.

The registry's targets feed the indicator pages, the per-standard tables and
``indicators.csv``; a threshold written by hand in a clause or a table cell must
say the same.  For every sentence of a provision (paragraph or 列项) and every
row of a free table in the body or an annex, when exactly one indicator is named
(by name or ``[[ind-…]]``) and a number carries that indicator's unit, the number
must equal a value of one of the indicator's targets (``value`` or ``value_max``;
case values excluded).  Notes, examples and sentences that say 案例/示例/例如 are
not thresholds and are skipped.  A requirement (应/不应) with a threshold for an
indicator that is 预期性 makes a non-binding indicator binding — a contradiction
with the indicator table.

* E860 a number with a unit differs from every target of the indicator the sentence names, or
  a table row whose first cell names the context of a target its clause states (浅层 →
  ``context: 浅层地下空间``) gives another value in that indicator's unit;
* W861 a number with a unit states a threshold for an indicator that has no target (add one);
* E862 a requirement (应/不应) states a threshold for a 预期性 indicator.
"""
from __future__ import annotations

import re

from toolkit.checks import prepared, register_draft
from toolkit.checks.annexes import IndicatorNames, indicator_names, named_indicators
from toolkit.checks.genre import requirement
from toolkit.checks.text import BIBLIOGRAPHY, draft_texts
from toolkit import model as m
from toolkit.corpus import Corpus, draft_clauses, iter_draft_blocks
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E860": {"severity": "error", "title": "number in text differs from the target of the indicator it names",
             "fix": "write the target's value, or change the target (registry, measure or clause `targets:`) so both agree"},
    "W861": {"severity": "warning", "title": "number in text for an indicator without any target",
             "fix": "state the value as a clause `targets:` entry, so tables and pages show it too"},
    "E862": {"severity": "error", "title": "requirement (应/不应) with a threshold for a 预期性 indicator",
             "fix": "recommend it (宜), or make the indicator 约束性 in the registry"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "%": ("%", "％"),
    "m": ("m", "米"),
    "km": ("km", "公里", "千米"),
    "m²/人": ("m²/人", "平方米/人", "㎡/人"),
    "km/km²": ("km/km²", "公里/平方公里"),
    "MW": ("MW", "兆瓦"),
    "kW": ("kW", "千瓦"),
    "hm²": ("hm²", "公顷"),
    "min": ("min", "分钟"),
}
"""Spellings of the units a threshold is written in, by registry unit id."""

_NUM = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:[～~至\-—]\s*(\d+(?:\.\d+)?))?\s*(%|％|m²/人|㎡/人|平方米/人|km/km²|"
                  r"公里/平方公里|km|公里|千米|MW|兆瓦|kW|千瓦|hm²|公顷|min|分钟|m(?![²³A-Za-z])|米(?!/))")
_SENTENCE = re.compile(r"[^。；！？]+")
_SKIP = re.compile(r"案例|示例|例如|比如")


def _unit_id(word: str) -> str | None:
    for uid, words in UNIT_WORDS.items():
        if word in words:
            return uid
    return None


def _shared(c: Corpus) -> tuple[IndicatorNames, dict[str, set[float]]]:
    """The indicator-name automaton and every indicator's target values (case-study values left out)."""
    values: dict[str, set[float]] = {}
    for rt in c.targets:
        if rt.target.case:
            continue
        vs = values.setdefault(rt.indicator, set())
        vs.add(float(rt.target.value))
        if rt.target.value_max is not None:
            vs.add(float(rt.target.value_max))
    return prepared(c, "indicator-names", indicator_names), values


@register_draft("numbers")
def check_numbers(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """E860–E862 for draft ``sid`` (see module doc)."""
    out: list[Finding] = []
    names, values = prepared(c, "numbers", _shared)
    for pc in draft_texts(d):
        if pc.chapter < 0 or pc.chapter >= BIBLIOGRAPHY or pc.role not in ("p", "list"):
            continue
        if not names.may_name(pc.text):
            continue  # no sentence of it names an indicator
        for sent in _SENTENCE.findall(pc.text):
            if _SKIP.search(sent):
                continue
            ids = named_indicators(sent, names)
            if len(ids) != 1:
                continue
            ind = c.indicators[ids[0]]
            nums = [mt for mt in _NUM.finditer(sent) if _unit_id(mt.group(3)) == ind.unit]
            if not nums:
                continue
            loc = _Lazy(c, sid, pc.path)
            known = values.get(ind.id, set())
            for mt in nums:
                shown = [float(mt.group(1))] + ([float(mt.group(2))] if mt.group(2) else [])
                text = mt.group(0).strip()
                if not known:
                    out.append(Finding("W861", "warning",
                                       f"`{pc.owner}` states {text} for {ind.name}, which has no target", loc(),
                                       "add the value as a clause `targets:` entry of this draft"))
                elif any(v not in known for v in shown):
                    want = "、".join(_fmt(v) for v in sorted(known))
                    out.append(Finding("E860", "error",
                                       f"`{pc.owner}` states {text} for {ind.name}, but its targets are {want}{ind.unit}",
                                       loc(), "write the target's value, or change the target so both agree"))
            if ind.kind == "预期性" and requirement(sent):
                out.append(Finding("E862", "error",
                                   f"`{pc.owner}` requires (应) a threshold for {ind.name}, a 预期性 indicator: "
                                   f"「{sent.strip()[:40]}」", loc(),
                                   "recommend it (宜…), or make the indicator 约束性 in the registry"))
    clause_targets = {cl.id: cl.targets for cl, _ in draft_clauses(d)}
    for b, path, owner in iter_draft_blocks(d):
        if path[0] in ("foreword", "introduction") or not isinstance(b, m.TableBlock):
            continue
        for r, row in enumerate(b.rows):
            line = " | ".join(str(x) for x in row)
            if _SKIP.search(line):
                continue
            out += _row_in_context(c, sid, b, r, row, clause_targets.get(owner, []), _Lazy(c, sid, path + ("rows", r)))
            ids = named_indicators(line, names)
            if len(ids) != 1:
                continue
            ind = c.indicators[ids[0]]
            known = values.get(ind.id, set())
            for mt in _NUM.finditer(line):
                if _unit_id(mt.group(3)) != ind.unit:
                    continue
                shown = [float(mt.group(1))] + ([float(mt.group(2))] if mt.group(2) else [])
                loc = _Lazy(c, sid, path + ("rows", r))
                if not known:
                    out.append(Finding("W861", "warning", f"table `{b.id}` row {r + 1} states {mt.group(0).strip()} "
                                                          f"for {ind.name}, which has no target", loc(),
                                       "add the value as a `targets:` entry of this draft"))
                elif any(v not in known for v in shown):
                    want = "、".join(_fmt(v) for v in sorted(known))
                    out.append(Finding("E860", "error", f"table `{b.id}` row {r + 1} states {mt.group(0).strip()} "
                                                        f"for {ind.name}, but its targets are {want}{ind.unit}", loc(),
                                       "write the target's value, or change the target so both agree"))
    return out


class _Lazy:
    """The location of ``path`` in draft ``sid``, looked up when called (only a finding needs it)."""

    __slots__ = ("c", "sid", "path")

    def __init__(self, c: Corpus, sid: str, path: tuple):  # noqa: D107
        self.c, self.sid, self.path = c, sid, path

    def __call__(self):
        return self.c.where("draft", self.sid, *self.path)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _row_in_context(c: Corpus, sid: str, b, r: int, row: list, targets: list, loc) -> list[Finding]:
    """A table row whose first cell names the context of a target its clause states (``浅层`` →
    ``context: 浅层地下空间``): the row's numbers in that indicator's unit must be that target's values."""
    if not row or not targets:
        return []
    key = "".join(str(row[0]).split())
    matching = [t for t in targets if t.indicator and not t.case and key and "".join(t.context.split()).startswith(key)]
    out: list[Finding] = []
    for t in matching:
        ind = c.indicators.get(t.indicator)
        if ind is None:
            continue
        want = {float(t.value)} | ({float(t.value_max)} if t.value_max is not None else set())
        line = " | ".join(str(x) for x in row[1:])
        for mt in _NUM.finditer(line):
            if _unit_id(mt.group(3)) != ind.unit:
                continue
            shown = [float(mt.group(1))] + ([float(mt.group(2))] if mt.group(2) else [])
            if any(v not in want for v in shown):
                out.append(Finding("E860", "error",
                                   f"table `{b.id}` row {r + 1} ({row[0]}) states {mt.group(0).strip()}, but the target "
                                   f"of {ind.name} for 「{t.context}」 is {'～'.join(_fmt(v) for v in sorted(want))}{ind.unit}",
                                   loc() if callable(loc) else loc,
                                   "write the target's value in the row, or change the clause target so both agree"))
    return out
