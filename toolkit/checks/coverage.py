"""E7xx coverage: near-term standards are filled in, indicators are used and binding ones have values.

* E701 a near-term standard (§9.1, ``near_term: true``) has no levers (重要抓手),
* E702 a lever has no countermeasures (核心对策),
* W703 a countermeasure names no indicator (by id or by target) — some
  countermeasures legitimately have none, so this is a warning,
* W704 an indicator is used by no measure, standard or draft (orphan),
* E705 a 约束性 (binding) indicator has no numeric target anywhere (a reference
  value quoted from a case study, ``case:``, is not a target) and does not say
  ``set_locally: true``,
* W706 a 五级三类 cell has no measures.
"""
from __future__ import annotations

from toolkit import model as m
from toolkit.checks import register, register_facts
from toolkit.checks.cache import per_draft_facts
from toolkit.checks.text import draft_texts
from toolkit.corpus import Corpus, draft_indicator_ids, standard_indicator_ids
from toolkit.document import REF_RE
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E701": {"severity": "error", "title": "near-term standard without levers (重要抓手)",
             "fix": "add `levers:` from the report's §9.1 table"},
    "E702": {"severity": "error", "title": "lever without countermeasures (核心对策)",
             "fix": "add `countermeasures:` under the lever"},
    "W703": {"severity": "warning", "title": "countermeasure names no indicator",
             "fix": "add `indicators:` unless the report gives none"},
    "W704": {"severity": "warning", "title": "orphan indicator: used by no measure, standard or draft",
             "fix": "reference it from a measure or standard, or remove it"},
    "E705": {"severity": "error", "title": "binding (约束性) indicator with no numeric target and no `set_locally: true`",
             "fix": "add the report's target, or `set_locally: true` when the local plan fixes it"},
    "W706": {"severity": "warning", "title": "五级三类 cell without measures",
             "fix": "add measures for the cell"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""


def used_indicator_ids(c: Corpus) -> set[str]:
    """Ids of indicators used by a measure, a standard or a draft (tables, targets, ``[[id]]`` citations)."""
    used: set[str] = set()
    for ms in c.measures.values():
        used.update(ms.indicators)
        used.update(t.indicator for t in ms.targets if t.indicator)
    for st in c.standards.values():
        used.update(standard_indicator_ids(st))
    for ids in per_draft_facts(c, "used", draft_used_ids).values():
        used.update(ids)
    return used


@register_facts("used")
def draft_used_ids(d: m.Draft) -> list[str]:
    """Ids draft ``d`` uses: its tables' and targets' indicators, and every id cited as ``[[id]]``
    in its text (sorted, each once)."""
    out: set[str] = set(draft_indicator_ids(d))
    for piece in draft_texts(d):
        if "[[" in piece.text:
            out.update(mt.group(1) for mt in REF_RE.finditer(piece.text))
    return sorted(out)


@register("coverage", facts=("used",))
def check_coverage(c: Corpus) -> list[Finding]:
    """E701, E702, W703, W704, E705, W706 (see module doc)."""
    out: list[Finding] = []
    for st in c.standards.values():
        if st.near_term and not st.levers:
            out.append(Finding("E701", "error",
                               f"near-term standard `{st.id}`（{st.title}）has no levers (重要抓手)",
                               c.where("standard", st.id, "near_term"),
                               "add `levers:` with the 重要抓手 → 核心对策 → 指标 table of report §9.1"))
        for li, lv in enumerate(st.levers):
            if not lv.countermeasures:
                out.append(Finding("E702", "error", f"lever `{lv.id}`（{lv.name}）of `{st.id}` has no countermeasures",
                                   c.where("standard", st.id, "levers", li),
                                   "add its 核心对策 under `countermeasures:`"))
            for ci, cm in enumerate(lv.countermeasures):
                if not cm.indicators and not any(t.indicator for t in cm.targets):
                    out.append(Finding("W703", "warning",
                                       f"countermeasure `{cm.id}`（{cm.name}）names no indicator",
                                       c.where("standard", st.id, "levers", li, "countermeasures", ci),
                                       "add the indicators that measure it under `indicators:`, "
                                       "unless the report gives none for it"))
    used = used_indicator_ids(c)
    with_target = {rt.indicator for rt in c.targets if not rt.target.case}  # case-study values are not targets
    for ind in c.indicators.values():
        if ind.id not in used:
            out.append(Finding("W704", "warning",
                               f"indicator `{ind.id}`（{ind.name}）is used by no measure, standard or draft",
                               c.where("indicator", ind.id),
                               "list it under a measure's or standard's `indicators:`, or remove it"))
        if ind.kind == "约束性" and not ind.set_locally and ind.id not in with_target:
            out.append(Finding("E705", "error",
                               f"binding (约束性) indicator `{ind.id}`（{ind.name}）has no numeric target anywhere",
                               c.where("indicator", ind.id, "kind"),
                               "add a target where the report states one, or `set_locally: true` "
                               "if the local plan fixes the value"))
    with_measures = {(ms.level, ms.plan_type) for ms in c.measures.values()}
    for cell in c.cells_sorted():
        if (cell.level, cell.plan_type) not in with_measures:
            out.append(Finding("W706", "warning", f"cell `{cell.id}`（{cell.name}）has no measures",
                               c.where("cell", cell.id),
                               f"add measures with `level: {cell.level}` and `plan_type: {cell.plan_type}`"))
    return out
