"""Evaluation reports of ``stdkit evaluate``: terminal table, JSON, HTML, XLSX checklist, DOCX 审查意见.

Every writer takes an :class:`~toolkit.evaluate.engine.Evaluation` and is deterministic (same
evaluation → byte-identical file: fixed zip entry times and core properties, no clock).
:func:`write_reports` writes the chosen formats into a folder through a staging folder, so a
failure leaves no half-written report.
"""
from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path

from toolkit.corpus import Corpus
from toolkit.evaluate.engine import VERDICT_ZH, Evaluation, Result, fmt

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
REFERENCE = TEMPLATES / "reference.docx"
FORMATS = ("text", "json", "html", "xlsx", "docx")
FILE_NAMES = {"text": "evaluation.txt", "json": "evaluation.json", "html": "evaluation.html",
              "xlsx": "evaluation-checklist.xlsx", "docx": "review-opinion.docx"}


# ------------------------------------------------------------------------------ shared views
def facets_text(corpus: Corpus, facets: dict[str, list[str]] | dict[str, str]) -> str:
    """``区域类型：新区；建筑热工设计分区：夏热冬冷地区`` for plan or value facets."""
    parts = []
    for k in sorted(facets):
        vs = facets[k] if isinstance(facets[k], list) else [facets[k]]
        f = corpus.facets.get(k)
        names = {x.id: x.name for x in f.values} if f else {}
        parts.append(f"{f.name if f else k}：{'、'.join(names.get(v, v) + (f'（{v}）' if v.isdigit() else '') for v in vs)}")
    return "；".join(parts)


def criterion_text(corpus: Corpus, cr) -> str:
    """A criterion's applicability in words (``区域类型：新区；目标年 2035``); ``""`` for the whole cell."""
    parts = []
    if cr.applies:
        parts.append(facets_text(corpus, cr.applies))
    if cr.year:
        parts.append(f"目标年 {cr.year}")
    return "；".join(parts)


def applies_text(corpus: Corpus, r: Result) -> str:
    """The target's applicability in words (facets, year), or ``""`` for the whole cell."""
    return criterion_text(corpus, r.criterion) if r.criterion is not None else ""


def value_text(r: Result) -> str:
    """The plan's value in the indicator's unit (and as given when converted), or —."""
    if r.value is None:
        return "—"
    u = "" if r.unit in ("ratio", "index") else f" {r.unit}"
    s = f"{fmt(round(r.value.value, 4))}{u}"
    given = (r.value.given or "").replace(" ", "")
    if r.value.origin == "supplied" and given and given not in (s.replace(" ", ""), fmt(r.value.value)):
        s += f"（填报 {r.value.given}）"
    if r.value.origin == "computed":
        s += "（按几何计算）"
    return s


def margin_text(r: Result) -> str:
    if r.margin is None:
        return ""
    return f"{'+' if r.margin > 0 else ''}{fmt(round(r.margin, 4))}"


def summary(ev: Evaluation) -> dict:
    """Counts for the head of every report: binding and expected, per verdict, and the overall conclusion."""
    b, e = ev.counts(True), ev.counts(False)
    if ev.exit_code == 0:
        concl = "约束性指标均符合要求" if sum(b.values()) else "无适用的约束性指标"
    else:
        concl = "约束性指标存在不符合或缺项，需修改完善"
    return {"binding": b, "expected": e, "conclusion": concl, "passed": ev.exit_code == 0}


def plan_lines(corpus: Corpus, ev: Evaluation) -> list[tuple[str, str]]:
    p = ev.plan
    rows = [("规划名称", p.name), ("规划层级与类型", ev.cell_name), ("规划期末年", str(p.year or "未说明")),
            ("适用条件", facets_text(corpus, p.facets) or "未说明")]
    if ev.standards:
        rows.append(("限定标准", "、".join(corpus.standards[s].title for s in ev.standards)))
    return rows


# ------------------------------------------------------------------------------ text / json
def json_text(ev: Evaluation) -> str:
    """The results as a JSON list (one object per result; see :meth:`Result.to_dict`)."""
    return json.dumps([r.to_dict() for r in ev.results], ensure_ascii=False, indent=1) + "\n"


def print_text(corpus: Corpus, ev: Evaluation, console) -> None:
    """A terminal table (rich), binding indicators first, with the summary above it."""
    from rich.table import Table

    s = summary(ev)
    for k, v in plan_lines(corpus, ev):
        console.print(f"{k}：{v}")
    b = s["binding"]
    console.print(f"约束性：符合 {b['pass']}，不符合 {b['fail']}，缺项 {b['missing']}，不适用 {b['not_applicable']}；"
                  f"预期性：符合 {s['expected']['pass']}，不符合 {s['expected']['fail']}，缺项 {s['expected']['missing']}")
    console.print(f"结论：{s['conclusion']}")
    style = {"pass": "green", "fail": "bold red", "missing": "yellow", "not_applicable": "dim"}
    t = Table(show_lines=False, header_style="bold")
    for col in ("指标", "性质", "目标", "方案值", "结论", "余量", "依据"):
        t.add_column(col, overflow="fold")
    for r in ev.results:
        t.add_row(f"{r.name}\n{r.indicator}", "约束性" if r.binding else "预期性", r.target_text(), value_text(r),
                  f"[{style[r.verdict]}]{VERDICT_ZH[r.verdict]}[/]", margin_text(r),
                  (r.source_short() + (f"\n{_short_note(r.note)}" if _short_note(r.note) else "")))
    console.print(t)


def _short_note(note: str) -> str:
    """The note without the formula text of a computed value (the terminal shows 按几何计算 in the value)."""
    return "；".join(p for p in (note or "").split("；") if p and not p.startswith("按几何计算"))


def plain_text(corpus: Corpus, ev: Evaluation) -> str:
    """The terminal report rendered to plain text (fixed width 160, no colour) for ``evaluation.txt``."""
    from rich.console import Console

    buf = io.StringIO()
    print_text(corpus, ev, Console(file=buf, width=160, color_system=None, highlight=False, soft_wrap=False))
    return buf.getvalue()


# ------------------------------------------------------------------------------ HTML
def html_text(corpus: Corpus, ev: Evaluation) -> str:
    """A standalone HTML report (no external resources; opens offline)."""
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES / "evaluation")), autoescape=select_autoescape(),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    rows = [dict(r=r, verdict_zh=VERDICT_ZH[r.verdict], value=value_text(r), margin=margin_text(r),
                 applies=applies_text(corpus, r)) for r in ev.results]
    return env.get_template("report.html.j2").render(
        ev=ev, plan=plan_lines(corpus, ev), s=summary(ev),
        binding=[x for x in rows if x["r"].binding], expected=[x for x in rows if not x["r"].binding])


# ------------------------------------------------------------------------------ XLSX
CHECKLIST_HEADER = ["序号", "指标", "指标编号", "性质", "单位", "目标值", "适用条件", "方案值", "值来源", "结论", "余量",
                    "依据", "说明", "核对意见"]
FILLS = {"pass": "E2F0D9", "fail": "F8CBAD", "missing": "FFE699", "not_applicable": "EDEDED"}


def xlsx_bytes(corpus: Corpus, ev: Evaluation) -> bytes:
    """The planner's checklist: sheet 审查清单 (one row per result, verdict coloured, a column for the
    reviewer's note) and sheet 方案 (metadata and counts); deterministic bytes."""
    from openpyxl import Workbook
    from openpyxl.packaging.core import DocumentProperties
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.xml.functions import tostring

    from toolkit.repro import build_epoch, epoch_datetime, normalise_zip

    epoch = build_epoch(corpus.root)
    when = epoch_datetime(epoch)
    wb = Workbook()
    ws = wb.active
    ws.title = "审查清单"
    ws.append(CHECKLIST_HEADER)
    thin = Side(style="thin", color="999999")
    for i, r in enumerate(ev.results, start=1):
        ws.append([i, r.name, r.indicator, "约束性" if r.binding else "预期性", r.unit, r.target_text(),
                   applies_text(corpus, r), round(r.value.value, 6) if r.value else None,
                   ("按几何计算" if r.value.origin == "computed" else f"填报 {r.value.given}") if r.value else "",
                   VERDICT_ZH[r.verdict], round(r.margin, 6) if r.margin is not None else None,
                   r.source_text(), r.note, ""])
        ws.cell(row=i + 1, column=10).fill = PatternFill("solid", fgColor=FILLS[r.verdict])
    widths = (6, 26, 30, 8, 9, 14, 24, 12, 16, 9, 10, 60, 40, 24)
    for col, w in zip("ABCDEFGHIJKLMN", widths):
        ws.column_dimensions[col].width = w
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:N{len(ev.results) + 1}"
    meta = wb.create_sheet("方案")
    for k, v in plan_lines(corpus, ev):
        meta.append([k, v])
    s = summary(ev)
    meta.append(["结论", s["conclusion"]])
    for label, key in (("约束性", "binding"), ("预期性", "expected")):
        c = s[key]
        meta.append([label, f"符合 {c['pass']}，不符合 {c['fail']}，缺项 {c['missing']}，不适用 {c['not_applicable']}"])
    meta.column_dimensions["A"].width = 16
    meta.column_dimensions["B"].width = 80
    wb.properties = DocumentProperties(creator="stdkit", title=f"{ev.plan.name} 双碳指标审查清单", created=when,
                                       modified=when)
    core = tostring(wb.properties.to_tree())
    buf = io.BytesIO()
    wb.save(buf)
    return normalise_zip(buf.getvalue(), epoch, {"docProps/core.xml": core})


# ------------------------------------------------------------------------------ DOCX 审查意见
def _blank_reference():
    import docx

    d = docx.Document(str(REFERENCE))
    body = d.element.body
    for el in list(body):
        if not el.tag.endswith("}sectPr"):
            body.remove(el)
    return d


def _table(d, header: list[str], rows: list[list[str]], widths_mm: list[float]) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    t = d.add_table(rows=1, cols=len(header))
    t.style = d.styles["标准表格"]
    t.autofit = False
    for col, w in zip(t.columns, widths_mm):
        col.width = Mm(w)
    hdr = t.rows[0]
    hdr._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text, w in zip(hdr.cells, header, widths_mm):
        cell.width = Mm(w)
        cell.paragraphs[0].style = d.styles["表头"]
        cell.paragraphs[0].add_run(text)
    for row in rows:
        cells = t.add_row().cells
        for cell, text, w in zip(cells, row, widths_mm):
            cell.width = Mm(w)
            cell.paragraphs[0].style = d.styles["表格文字"]
            cell.paragraphs[0].add_run(text)


def docx_bytes(corpus: Corpus, ev: Evaluation) -> bytes:
    """A 审查意见 (review opinion) a reviewer can attach: basis, conclusion, binding and expected indicators
    item by item, and the 修改要求 — styled by ``templates/reference.docx``; deterministic bytes."""
    from toolkit.render.docx_writer import set_core_properties
    from toolkit.repro import build_epoch, normalise_zip

    d = _blank_reference()
    s = summary(ev)
    p = ev.plan
    d.add_paragraph(f"关于《{p.name}》双碳指标的审查意见", style="标准名称")
    d.add_paragraph("一、审查对象", style="Heading 1")
    for k, v in plan_lines(corpus, ev):
        d.add_paragraph(f"{k}：{v}。", style="段")
    d.add_paragraph("二、审查依据", style="Heading 1")
    basis: list[str] = []
    for r in ev.results:
        for src in (r.criterion.sources if r.criterion else []):
            if src.kind == "clause" and src.standard:
                dr, st = corpus.drafts.get(src.standard), corpus.standards.get(src.standard)
                label = f"{dr.code if dr else ''}《{st.title if st else src.standard}》（{dr.stage if dr else '征求意见稿'}）"
            elif src.kind == "countermeasure" and src.standard:
                label = f"《{corpus.standards[src.standard].title}》（拟编标准）"
            elif src.kind == "plan":
                label = "上位规划及专项规划传导的本地限值（见方案 limits）"
            else:
                label = "面向“双碳”目标的国土空间规划技术标准体系中的规划措施"
            if label not in basis:
                basis.append(label)
    for i, b in enumerate(sorted(basis), start=1):
        d.add_paragraph(f"{i}．{b}", style="段")
    d.add_paragraph("三、审查结论", style="Heading 1")
    b, e = s["binding"], s["expected"]
    d.add_paragraph(f"本次对照适用于{ev.cell_name}的目标值共 {len(ev.results)} 项。约束性指标 {sum(b.values())} 项："
                    f"符合 {b['pass']} 项，不符合 {b['fail']} 项，缺项 {b['missing']} 项，不适用 {b['not_applicable']} 项；"
                    f"预期性指标 {sum(e.values())} 项：符合 {e['pass']} 项，不符合 {e['fail']} 项，缺项 {e['missing']} 项，"
                    f"不适用 {e['not_applicable']} 项。", style="段")
    d.add_paragraph(f"结论：{s['conclusion']}。", style="段")
    header = ["序号", "指标", "目标值", "方案值", "结论", "依据与说明"]
    widths = [10, 28, 24, 26, 12, 60]
    for title, binding in (("四、约束性指标逐项意见", True), ("五、预期性指标逐项意见", False)):
        d.add_paragraph(title, style="Heading 1")
        rows = [[str(i), r.name, r.target_text() + (f"（{applies_text(corpus, r)}）" if applies_text(corpus, r) else ""),
                 value_text(r), VERDICT_ZH[r.verdict],
                 r.source_text() + (f"。{_short_note(r.note)}" if _short_note(r.note) else "")]
                for i, r in enumerate([x for x in ev.results if x.binding == binding], start=1)]
        if rows:
            _table(d, header, rows, widths)
        else:
            d.add_paragraph("无。", style="段")
    d.add_paragraph("六、修改要求", style="Heading 1")
    asks = []
    for r in ev.results:
        if r.verdict == "fail":
            asks.append(f"{r.name}方案值为{value_text(r)}，不符合“{r.target_text()}”的要求（{r.source_text()}），"
                        f"{'应' if r.binding else '宜'}调整至符合要求或说明理由。")
        elif r.verdict == "missing" and r.binding:
            asks.append(f"{r.name}未提供方案值（{r.note}），应补充该约束性指标并对照“{r.target_text()}”落实。")
    for i, a in enumerate(asks, start=1):
        d.add_paragraph(f"{i}．{a}", style="段")
    if not asks:
        d.add_paragraph("无。", style="段")
    computed = {r.indicator: r for r in ev.results if r.value is not None and r.value.origin == "computed"}
    if computed:
        d.add_paragraph("七、按规划几何计算的指标", style="Heading 1")
        d.add_paragraph("下列指标由规划成果数据（GeoPackage）按标准库中各指标的计算方法算得：", style="段")
        for i, (iid, r) in enumerate(sorted(computed.items()), start=1):
            formula = corpus.indicators[iid].formula
            d.add_paragraph(f"{i}．{r.name}：{value_text(r).replace('（按几何计算）', '')}。计算方法：{formula.text}", style="段")
    d.add_paragraph("审查单位（盖章）：", style="段")
    d.add_paragraph("审查日期：    年  月  日", style="段")
    d.add_paragraph("注：本意见按有关标准和规划措施中的目标值逐项对照形成；“不适用”“缺项”的判定依据见各项说明，"
                    "审查人员应核对后签署。", style="说明")
    epoch = build_epoch(corpus.root)
    set_core_properties(d, f"关于《{p.name}》双碳指标的审查意见", epoch, "审查意见")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.docx"
        d.save(str(path))
        normalise_zip(path, epoch)
        return path.read_bytes()


# ------------------------------------------------------------------------------ writing
def render(corpus: Corpus, ev: Evaluation, fmt_: str) -> bytes:
    """One report in format ``fmt_`` (text, json, html, xlsx, docx) as bytes."""
    if fmt_ == "text":
        return plain_text(corpus, ev).encode("utf-8")
    if fmt_ == "json":
        return json_text(ev).encode("utf-8")
    if fmt_ == "html":
        return html_text(corpus, ev).encode("utf-8")
    if fmt_ == "xlsx":
        return xlsx_bytes(corpus, ev)
    if fmt_ == "docx":
        return docx_bytes(corpus, ev)
    raise ValueError(f"unknown report format {fmt_!r}")


def write_reports(corpus: Corpus, ev: Evaluation, formats: list[str], out_dir: Path) -> list[Path]:
    """Write ``formats`` into ``out_dir`` (names in :data:`FILE_NAMES`), all or nothing; returns the paths.

    Every file is rendered into a staging folder beside ``out_dir`` first, then moved into place.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".staging-") as tmp:
        staged = []
        for f in formats:
            p = Path(tmp) / FILE_NAMES[f]
            p.write_bytes(render(corpus, ev, f))
            staged.append(p)
        for p in staged:
            dest = out_dir / p.name
            shutil.move(str(p), str(dest))
            written.append(dest)
    return written
