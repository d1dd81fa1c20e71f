"""E4xx cells and domains: measures sit in level × plan-type cells that exist and in known domains.

The twelve cells of 五级三类 are registry records (``standards/registry/system.yaml``);
a level × plan-type pair without a cell (e.g. 国家级详细规划) does not exist.

* E401 a measure's level × plan type is not a cell (or names an unknown level/plan type),
* E402 a measure's domain is not a registered domain,
* E403 a target's level × plan type (both given, or one given on a measure) is not a cell.
"""
from __future__ import annotations

import difflib

from toolkit.checks import register
from toolkit.corpus import Corpus
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E401": {"severity": "error", "title": "measure in a level × plan-type cell that does not exist (e.g. 国家级详细规划) or at an unknown level/plan type",
             "fix": "use one of the twelve cells of standards/registry/system.yaml"},
    "E402": {"severity": "error", "title": "measure in an unknown domain",
             "fix": "use a domain id: energy, industry, transport, buildings, waste, agriculture, sinks"},
    "E403": {"severity": "error", "title": "target applies to a level × plan type that is not a cell",
             "fix": "fix the target's `level`/`plan_type`"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""


def _cell_name(c: Corpus, level: str, plan_type: str) -> str:
    lv = c.levels.get(level)
    pt = c.plan_types.get(plan_type)
    return f"{lv.name if lv else level}{pt.name if pt else plan_type}"


def _cells_hint(c: Corpus, level: str) -> str:
    same = [x.id for x in c.cells_sorted() if x.level == level]
    if same:
        return f"cells at this level: {', '.join(same)}"
    return f"cells are: {', '.join(x.id for x in c.cells_sorted())}"


@register("cells", scope="interface")
def check_cells(c: Corpus) -> list[Finding]:
    """E401/E402 for measures, E403 for targets whose context is not a cell."""
    out: list[Finding] = []
    pairs = {(x.level, x.plan_type) for x in c.cells.values()}
    for ms in c.measures.values():
        if ms.level not in c.levels or ms.plan_type not in c.plan_types:
            bad = ms.level if ms.level not in c.levels else ms.plan_type
            out.append(Finding("E401", "error",
                               f"measure `{ms.id}` is at level `{ms.level}` × plan type `{ms.plan_type}`; `{bad}` is not registered",
                               c.where("measure", ms.id, "level" if ms.level not in c.levels else "plan_type"),
                               f"levels: {', '.join(c.levels)}; plan types: {', '.join(c.plan_types)}"))
        elif (ms.level, ms.plan_type) not in pairs:
            out.append(Finding("E401", "error",
                               f"measure `{ms.id}` is in {_cell_name(c, ms.level, ms.plan_type)}, a cell that does not exist in 五级三类",
                               c.where("measure", ms.id, "plan_type"), _cells_hint(c, ms.level)))
        if ms.domain not in c.domains:
            close = difflib.get_close_matches(ms.domain, sorted(c.domains), n=1, cutoff=0.6)
            out.append(Finding("E402", "error", f"measure `{ms.id}` is in unknown domain `{ms.domain}`",
                               c.where("measure", ms.id, "domain"),
                               f"did you mean `{close[0]}`?" if close else f"domains: {', '.join(c.domains)}"))
    for rt in c.targets:
        if (rt.level and rt.plan_type and rt.level in c.levels and rt.plan_type in c.plan_types
                and (rt.level, rt.plan_type) not in pairs):
            out.append(Finding("E403", "error",
                               f"target for `{rt.indicator}` applies to {_cell_name(c, rt.level, rt.plan_type)}, "
                               "a cell that does not exist in 五级三类",
                               rt.location, _cells_hint(c, rt.level)))
    return out
