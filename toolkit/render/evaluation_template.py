"""Per-cell evaluation templates: ``build/evaluation/templates/<cell-id>.xlsx`` (offered on each cell page).

A template is a plan a planner fills in and gives back to ``stdkit evaluate``: sheet ``values``
lists every indicator with a non-case target (or a locally set 约束性 value) that applies to the
cell — its target(s), applicability and sources for reading, an empty 方案值 column, the unit,
and a column for each facet the targets name — and sheet ``plan`` holds the metadata with
``level`` and ``plan_type`` prefilled.  Rows left without a value are read back as not supplied.

Build hook (until the build engine takes outputs by protocol): :func:`write_evaluation_templates`
is called from the ``tables`` step (:func:`toolkit.render.tables._step_tables`).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from toolkit import model as m
from toolkit.corpus import Corpus
from toolkit.render.evaluation import criterion_text
from toolkit.repro import build_epoch, epoch_datetime, normalise_zip
from toolkit.evaluate.engine import Criterion, SourceIndex, applicable_criteria

TEMPLATE_DIR = Path("evaluation") / "templates"


@dataclass
class TemplateRow:
    """One indicator of a cell's template: its applicable criteria (may be empty for set_locally 约束性)."""

    indicator: m.Indicator
    criteria: list[Criterion]


def template_rows(corpus: Corpus, cell: m.PlanCell, sources: SourceIndex | None = None) -> list[TemplateRow]:
    """Indicators to fill in for ``cell``: every indicator with an applicable non-case target, and every
    约束性 indicator set locally (``set_locally``) that the cell uses; 约束性 first, then by id."""
    crits = applicable_criteria(corpus, cell.level, cell.plan_type, None, None, sources)
    by_ind: dict[str, list[Criterion]] = {}
    for cr in crits:
        by_ind.setdefault(cr.indicator, []).append(cr)
    ids = set(by_ind)
    for ind in corpus.indicators.values():
        if ind.kind == "约束性" and ind.set_locally and cell.level in ind.levels and cell.plan_type in ind.plan_types:
            ids.add(ind.id)
    rows = [TemplateRow(corpus.indicators[i], sorted(by_ind.get(i, []), key=lambda c: (c.comparator, c.value)))
            for i in ids]
    return sorted(rows, key=lambda r: (r.indicator.kind != "约束性", r.indicator.id))


def template_xlsx(corpus: Corpus, cell: m.PlanCell, sources: SourceIndex | None = None) -> bytes:
    """The template workbook of ``cell`` as deterministic bytes (fixed zip times and core properties)."""
    from openpyxl import Workbook
    from openpyxl.packaging.core import DocumentProperties
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.xml.functions import tostring

    epoch = build_epoch(corpus.root)
    when = epoch_datetime(epoch)
    rows = template_rows(corpus, cell, sources)
    facet_ids = sorted({k for r in rows for cr in r.criteria for k in cr.applies})
    wb = Workbook()
    ws = wb.active
    ws.title = "values"
    header = ["指标编号", "指标名称", "性质", "目标值", "适用条件", "依据", "方案值", "单位"] + \
        [corpus.facets[f].name if f in corpus.facets else f for f in facet_ids] + ["说明"]
    ws.append(header)
    for r in rows:
        ind = r.indicator
        unit = "" if ind.unit in ("ratio", "index") else ind.unit
        if r.criteria:
            target = "；".join(cr.text(ind.unit) for cr in r.criteria)
            applies = "；".join(filter(None, (criterion_text(corpus, cr) for cr in r.criteria))) or "本类规划"
            source = "；".join(dict.fromkeys(s.label for cr in r.criteria for s in cr.sources))
        else:
            target, applies, source = "由地方确定（上位规划传导）", "本类规划", "指标登记：约束性，数值由地方规划确定"
        ws.append([ind.id, ind.name, ind.kind, target, applies, source, None, unit] + [None] * len(facet_ids) + [None])
    widths = [34, 30, 8, 26, 26, 60, 12, 10] + [14] * len(facet_ids) + [24]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = w
    fill = PatternFill("solid", fgColor="FFF2CC")
    for row in ws.iter_rows(min_row=2):
        for cell_ in row:
            cell_.alignment = Alignment(wrap_text=True, vertical="top")
        row[6].fill = fill
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "C2"
    plan = wb.create_sheet("plan")
    plan.append(["key", "value", "说明"])
    plan.append(["name", None, "规划名称"])
    plan.append(["level", cell.level, f"规划层级（{corpus.levels[cell.level].name}）"])
    plan.append(["plan_type", cell.plan_type, f"规划类型（{corpus.plan_types[cell.plan_type].name}）"])
    plan.append(["year", None, "规划期末年（如 2035）"])
    for f in sorted(corpus.facets.values(), key=lambda x: x.id):
        if f.id in ("area-type", "climate-zone"):
            plan.append([f.id, None, f"{f.name}：" + "、".join(f"{v.id}（{v.name}）" for v in f.values)])
    plan.column_dimensions["A"].width = 14
    plan.column_dimensions["B"].width = 24
    plan.column_dimensions["C"].width = 90
    guide = wb.create_sheet("说明")
    for line in (f"{cell.name}双碳指标评估模板",
                 "在 values 表的“方案值”列填写本规划的取值（单位见“单位”列，亦可改填可换算的单位，如 hm² 与 m²）；"
                 "目标值只适用于特定用地或情形时，在相应列填写（如用地用海分类代码 0701）。",
                 "在 plan 表填写规划名称、期末年和区域类型等适用条件。",
                 "由地方确定限值的约束性指标，其限值在 YAML 方案的 limits 中给出（上位规划传导）。",
                 "评估：stdkit evaluate 本文件.xlsx --format html --format docx"):
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    wb.properties = DocumentProperties(creator="stdkit", title=f"{cell.name}双碳指标评估模板", created=when,
                                       modified=when)
    core = tostring(wb.properties.to_tree())
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue(), epoch, {"docProps/core.xml": core})


def write_evaluation_templates(corpus: Corpus, out: Path) -> list[Path]:
    """Write ``out/evaluation/templates/<cell-id>.xlsx`` for every cell; returns the paths."""
    d = Path(out) / TEMPLATE_DIR
    d.mkdir(parents=True, exist_ok=True)
    sx = SourceIndex(corpus)
    written = []
    for cell in corpus.cells_sorted():
        p = d / f"{cell.id}.xlsx"
        p.write_bytes(template_xlsx(corpus, cell, sx))
        written.append(p)
    return written


class EvaluationTemplatesOutput:
    """Build output ``evaluation``: ``build/evaluation/templates/<cell-id>.xlsx``, one job
    (see :class:`toolkit.render.base.Output`); the site offers each cell's template."""

    name = "evaluation"
    reads: tuple[str, ...] = ()
    names_of: tuple[str, ...] = ()

    def plan(self, ctx) -> list:
        from toolkit.render.base import Job

        return [Job(self.name, self.name, cost=2)]

    def run(self, ctx, job) -> list[Path]:
        return write_evaluation_templates(ctx.corpus, ctx.out)


OUTPUT = EvaluationTemplatesOutput()
