"""E6xx transmission (传导): a lower plan is at least as strict as the plan above it.

Targets of one indicator in the same context (context text and year) are
compared down the chain of levels (national → provincial → municipal → county
→ township, by registry ``order``, same plan type) and down the chain of plan
types (总体规划 master → 详细规划 detailed, same level).  The indicator's
``direction`` says what "strict" means:

* ``higher`` (more is better): the lower plan's minimum is ≥ the upper plan's minimum;
* ``lower`` (less is better): the lower plan's maximum is ≤ the upper plan's maximum;
* ``target``: not compared.

Only comparable bounds are compared (a ``<=`` target has no minimum);
reference values from case studies (``case:``) are not targets and are skipped.

* E601 a lower level's or plan type's target is looser than the one above it.
"""
from __future__ import annotations

from collections import defaultdict

from toolkit.checks import register
from toolkit.checks.units import context_label, describe, value_text
from toolkit.corpus import Corpus, ResolvedTarget
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E601": {"severity": "error", "title": "transmission (传导): a lower level or plan type sets a looser target than the one above it",
             "fix": "tighten the lower target, relax the upper one, or check the indicator's `direction`"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

PLAN_TYPE_CHAIN = ("master", "detailed")
"""Plan types in transmission order (专项规划 is not below a detailed plan, so it is not compared)."""


def bound(rt: ResolvedTarget, direction: str) -> float | None:
    """The value that matters for ``direction``: the minimum for ``higher``, the maximum for ``lower``."""
    t = rt.target
    if t.comparator == "range" and (t.value_max is None or t.value > t.value_max):
        return None  # reversed range: E904, nothing to compare
    if direction == "higher" and t.comparator in (">=", ">", "=", "range"):
        return float(t.value)
    if direction == "lower":
        if t.comparator in ("<=", "<", "="):
            return float(t.value)
        if t.comparator == "range" and t.value_max is not None:
            return float(t.value_max)
    return None


def _looser(upper: float, lower: float, direction: str) -> bool:
    return lower < upper if direction == "higher" else lower > upper


def _chain(c: Corpus, items: list[tuple[int, ResolvedTarget]], what: str) -> list[Finding]:
    """Compare every pair of one group (``(rank, target)``; lower rank = upper plan)."""
    out: list[Finding] = []
    items = sorted(items, key=lambda x: x[0])
    for i, (rank_hi, hi) in enumerate(items):
        ind = c.indicators[hi.indicator]
        direction = ind.direction
        b_hi = bound(hi, direction)
        if b_hi is None:
            continue
        for rank_lo, lo in items[i + 1:]:
            b_lo = bound(lo, direction)
            if rank_lo == rank_hi or b_lo is None or not _looser(b_hi, b_lo, direction):
                continue
            better = "higher" if direction == "higher" else "lower"
            out.append(Finding(
                "E601", "error",
                f"`{ind.id}`（{ind.name}）: {context_label(c, lo)} sets {value_text(lo.target, ind.unit)}, "
                f"looser than {value_text(hi.target, ind.unit)} set for {context_label(c, hi)} in {describe(hi)}; "
                f"a lower {what} must be at least as strict (the indicator's direction is `{direction}`: "
                f"{better} is better)",
                lo.location,
                f"tighten the lower {what}'s value, relax the upper one, or check the indicator's `direction`"))
    return out


@register("transmission", scope="interface")
def check_transmission(c: Corpus) -> list[Finding]:
    """E601 down the level chain and down the plan-type chain (see module doc)."""
    by_level: dict[tuple, list[tuple[int, ResolvedTarget]]] = defaultdict(list)
    by_type: dict[tuple, list[tuple[int, ResolvedTarget]]] = defaultdict(list)
    for rt in c.targets:
        ind = c.indicators.get(rt.indicator)
        if ind is None or ind.direction not in ("higher", "lower") or rt.target.case:
            continue
        ctx = ("".join(rt.target.context.split()), rt.target.year)
        if rt.level in c.levels:
            by_level[(rt.indicator, rt.plan_type or "", *ctx)].append((c.levels[rt.level].order, rt))
        if rt.plan_type in PLAN_TYPE_CHAIN and rt.level:
            by_type[(rt.indicator, rt.level, *ctx)].append((PLAN_TYPE_CHAIN.index(rt.plan_type), rt))
    out: list[Finding] = []
    for groups, what in ((by_level, "level"), (by_type, "plan type")):
        for items in groups.values():
            out += _chain(c, items, what)
    return out
