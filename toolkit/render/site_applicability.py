"""Site views of structured applicability (issue 14): what applies to a 五级三类 cell, and indicator
target values as a planner reads them (targets apart from case reference values).

Used by :func:`toolkit.render.site.page_specs` (cell pages, indicator index and pages) through the
templates ``_cell_applicability.html`` and ``indicators_index.html``; everything here is a pure
function of the corpus.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from toolkit import model as m
from toolkit.corpus import Corpus
from toolkit.render.evaluation import criterion_text
from toolkit.evaluate.engine import Criterion, SourceIndex, applicable_criteria

TEMPLATE_PATH = "evaluation/templates/{cell}.xlsx"


@dataclass
class ClauseRef:
    """A clause of a draft that states a target applying to the cell: standard id, clause id, number, title."""

    standard: str
    clause: str
    number: str
    title: str


@dataclass
class StandardApplies:
    """A standard that applies to the cell (by its catalogue levels × plan types, or by a clause's target)."""

    standard: m.Standard
    by_scope: bool
    clauses: list[ClauseRef] = field(default_factory=list)


@dataclass
class TargetApplies:
    """A non-case target that applies to the cell, with its applicability in words and its sources."""

    indicator: m.Indicator
    criterion: Criterion
    value: str
    applies: str


def applies_words(corpus: Corpus, cr: Criterion) -> str:
    """``区域类型：新区、建成区；目标年 2035`` or ``本类规划``."""
    return criterion_text(corpus, cr) or "本类规划"


def cell_applicability(corpus: Corpus, cell: m.PlanCell, downloads: dict | None = None,
                       sources: SourceIndex | None = None) -> dict:
    """Template context for a cell page: ``applicable_standards``, ``applicable_targets``,
    ``evaluation_template`` (site path of the template XLSX, or ``None`` when not built)."""
    sx = sources or SourceIndex(corpus)
    crits = applicable_criteria(corpus, cell.level, cell.plan_type, None, None, sx)
    std: dict[str, StandardApplies] = {}
    for s in corpus.standards_sorted():
        if cell.level in s.levels and cell.plan_type in s.plan_types:
            std[s.id] = StandardApplies(s, True)
    rows: list[TargetApplies] = []
    for cr in crits:
        ind = corpus.indicators[cr.indicator]
        rows.append(TargetApplies(ind, cr, cr.text(ind.unit), applies_words(corpus, cr)))
        for src in cr.sources:
            if src.kind in ("clause", "countermeasure") and src.standard in corpus.standards:
                entry = std.setdefault(src.standard, StandardApplies(corpus.standards[src.standard], False))
                if src.kind == "clause":
                    num = sx.numbers(src.standard).get(src.ref, "")
                    title = _clause_title(corpus, src.standard, src.ref)
                    ref = ClauseRef(src.standard, src.ref, num, title)
                    if ref not in entry.clauses:
                        entry.clauses.append(ref)
    for e in std.values():
        e.clauses.sort(key=lambda r: [int(x) if x.isdigit() else 0 for x in r.number.split(".")])
    order = {s.id: i for i, s in enumerate(corpus.standards_sorted())}
    rows.sort(key=lambda r: (r.indicator.kind != "约束性", r.indicator.id, r.value))
    path = TEMPLATE_PATH.format(cell=cell.id)
    return {"applicable_standards": sorted(std.values(), key=lambda e: (not e.by_scope, order.get(e.standard.id, 99))),
            "applicable_targets": rows,
            "evaluation_template": path if downloads is not None and path in downloads else None}


def _clause_title(corpus: Corpus, sid: str, cid: str) -> str:
    from toolkit.corpus import draft_clauses

    d = corpus.drafts.get(sid)
    for cl, _ in draft_clauses(d) if d else []:
        if cl.id == cid:
            return cl.title or ""
    return ""


def target_values_text(corpus: Corpus, ind: m.Indicator, sources: SourceIndex | None = None) -> tuple[list[str], int]:
    """The index's 目标值 cell: ``["县级·总体规划 0.6～0.8（县城建成区）", …]`` and the number of case values."""
    seen: list[str] = []
    cases = 0
    levels = {x.id: x for x in corpus.levels.values()}
    types = {x.id: x for x in corpus.plan_types.values()}
    for rt in corpus.targets_of(ind.id):
        t = rt.target
        if t.case:
            cases += 1
            continue
        scope = "·".join(p for p in ((levels[rt.level].name if rt.level in levels else ""),
                                     (types[rt.plan_type].name if rt.plan_type in types else "")) if p)
        cr = Criterion(ind.id, t.comparator, t.value, t.value_max, t.year, t.applies or {}, t.context)
        cond = applies_words(corpus, cr) if (t.applies or t.year) else ""
        text = f"{scope} {cr.text(ind.unit)}".strip() + (f"（{cond}）" if cond else "")
        if text not in seen:
            seen.append(text)
    return seen, cases


def indicator_filter_attrs(ind: m.Indicator) -> dict[str, str]:
    """``data-*`` attributes of an index row for the browser-side filter (space-separated ids)."""
    return {"levels": " ".join(ind.levels), "plan-types": " ".join(ind.plan_types),
            "domains": " ".join(ind.domains), "kind": "binding" if ind.kind == "约束性" else "expected"}
