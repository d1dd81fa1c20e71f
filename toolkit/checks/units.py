"""E5xx units and thresholds: one unit per indicator, one value per context.

* E501 an indicator's ``unit`` is not in the controlled vocabulary
  (``standards/registry/units.yaml``),
* E502 a target repeats a ``unit`` that differs from its indicator's unit,
* E503 two targets for the same indicator and the same context — level, plan
  type, context text and year — state different thresholds ("two documents
  never disagree on a threshold"); the finding names both places.  Reference
  values quoted from a case study (``case:``) are not thresholds and are exempt,
* E504 a declared plausible ``range`` (of a unit or an indicator) is empty (min > max).
"""
from __future__ import annotations

import difflib

from toolkit.checks import register
from toolkit.corpus import Corpus, ResolvedTarget
from toolkit.document import format_target
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E501": {"severity": "error", "title": "indicator unit not in the controlled vocabulary",
             "fix": "use a unit id from standards/registry/units.yaml (or add the unit there)"},
    "E502": {"severity": "error", "title": "target quoted in a unit other than its indicator's",
             "fix": "convert the value to the indicator's unit, or drop the target's `unit:`"},
    "E503": {"severity": "error", "title": "two targets disagree on the threshold for the same indicator and context (level, plan type, context, year)",
             "fix": "state the same value in both places, or distinguish the contexts"},
    "E504": {"severity": "error", "title": "declared plausible range is empty (min > max)",
             "fix": "write `range: [min, max]`"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

_ORIGIN = {"indicator": "indicator registry", "measure": "measure", "countermeasure": "countermeasure",
           "clause": "clause"}


def describe(rt: ResolvedTarget) -> str:
    """A target's origin for messages, e.g. ``measure `m-…` (standards/measures/x.yaml:12:9)``."""
    kind, id_ = rt.origin
    return f"{_ORIGIN.get(kind, kind)} `{id_}` ({rt.location})"


def context_key(rt: ResolvedTarget) -> tuple:
    """What makes two targets comparable: indicator, level, plan type, context text, year."""
    return (rt.indicator, rt.level or "", rt.plan_type or "", "".join(rt.target.context.split()), rt.target.year)


def _signature(rt: ResolvedTarget) -> tuple:
    t = rt.target
    return (t.comparator, float(t.value), None if t.value_max is None else float(t.value_max))


def value_text(t, unit: str) -> str:
    """A target's threshold without its context, e.g. ``≥50%``."""
    return format_target(t.model_copy(update={"context": ""}), unit)


def context_label(c: Corpus, rt: ResolvedTarget) -> str:
    """Human context: ``市级详细规划，新建公共建筑，2030年`` (or ``所有层级``)."""
    parts = []
    lv = c.levels.get(rt.level or "")
    pt = c.plan_types.get(rt.plan_type or "")
    if lv or pt:
        parts.append(f"{lv.name if lv else ''}{pt.name if pt else ''}")
    if rt.target.context:
        parts.append(rt.target.context)
    if rt.target.year:
        parts.append(f"{rt.target.year}年")
    return "，".join(parts) or "不分层级与情形"


@register("units", scope="interface")
def check_units(c: Corpus) -> list[Finding]:
    """E501–E504 (see module doc)."""
    out: list[Finding] = []
    for u in c.units.values():
        if u.range and u.range[0] > u.range[1]:
            out.append(Finding("E504", "error", f"unit `{u.id}` has an empty range [{u.range[0]:g}, {u.range[1]:g}]",
                               c.where("unit", u.id, "range"), "write the range as [min, max]"))
    for ind in c.indicators.values():
        if ind.unit not in c.units:
            close = difflib.get_close_matches(ind.unit, sorted(c.units), n=1, cutoff=0.5)
            out.append(Finding("E501", "error",
                               f"indicator `{ind.id}` has unit `{ind.unit}`, which is not in the unit vocabulary",
                               c.where("indicator", ind.id, "unit"),
                               f"did you mean `{close[0]}`?" if close
                               else "use a unit id from standards/registry/units.yaml, or add the unit there"))
        if ind.range and ind.range[0] > ind.range[1]:
            out.append(Finding("E504", "error",
                               f"indicator `{ind.id}` has an empty range [{ind.range[0]:g}, {ind.range[1]:g}]",
                               c.where("indicator", ind.id, "range"), "write the range as [min, max]"))
    first: dict[tuple, ResolvedTarget] = {}
    reported: set[tuple] = set()
    for rt in c.targets:
        ind = c.indicators.get(rt.indicator)
        if ind is None:
            continue  # E201 already
        if rt.target.unit is not None and rt.target.unit != ind.unit:
            out.append(Finding("E502", "error",
                               f"target for `{ind.id}` is in `{rt.target.unit}` but the indicator's unit is `{ind.unit}`",
                               rt.location,
                               f"state the value in `{ind.unit}` (convert it) or drop the `unit:` line; "
                               "units are written once, on the indicator"))
        if rt.target.case:
            continue  # a case-study reference value (参考值), not a threshold
        key = context_key(rt)
        if key not in first:
            first[key] = rt
            continue
        other = first[key]
        if _signature(other) != _signature(rt) and (key, _signature(rt)) not in reported:
            reported.add((key, _signature(rt)))
            out.append(Finding("E503", "error",
                               f"`{ind.id}`（{ind.name}）in context 「{context_label(c, rt)}」 is "
                               f"{value_text(rt.target, ind.unit)} here but {value_text(other.target, ind.unit)} "
                               f"in {describe(other)}",
                               rt.location,
                               "同一指标在同一情形只能有一个阈值：让两处（措施、指标或草案条文的 `targets:`）写同一数值，"
                               "或用不同的 `context`、`level`/`plan_type` 或 `year` 区分情形"))
    return out
