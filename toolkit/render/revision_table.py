"""Writer: 修订对照表 (条款号 | 原条文 | 修改后条文 | 修改说明) of one draft, as DOCX and XLSX.

Rows come from the change set, one per changed draft unit in reading order
(cover facts first).  The text columns hold the whole unit (heading, then its
paragraphs); deleted characters are red and struck through in 原条文, inserted
ones blue and underlined in 修改后条文 (formatting only — the tracked-changes
DOCX is :mod:`toolkit.render.tracked_docx`).  修改说明 is generated: 新增/删除条款,
编号调整, 位置调整, 修改标题, 修改条文.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, Side

from toolkit.diff.changeset import Change, ChangeSet
from toolkit.diff.textdiff import char_ops
from toolkit.diff.units import Unit
from toolkit.render.diff_ooxml import new_document, set_core
from toolkit.render.cellsafe import MAX_CELL_CHARS, fit_cell, protect_sheet
from toolkit.render.draft_layout import SERIF_CJK
from toolkit.repro import core_dates_rewrite, normalise_zip

HEADER = ("条款号", "原条文", "修改后条文", "修改说明")
NONE_TEXT = "—"
DEL_RGB, INS_RGB = "C00000", "0040C0"


@dataclass(frozen=True)
class RevisionRow:
    """One row: ``clause`` number text, ``old``/``new`` full texts (``None`` = absent), ``reason``."""

    clause: str
    old: str | None
    new: str | None
    reason: str


def _unit_text(u: Unit | None) -> str | None:
    if u is None:
        return None
    return "\n".join(x for x in (u.heading, u.text) if x)


def _parent_ref(units: dict[str, Unit], pid: str | None) -> str:
    if pid is None:
        return "正文"
    u = units.get(pid)
    if u is None:
        return pid
    if u.kind == "clause" and u.parent is None:
        return f"第{u.number}章"
    return u.ref


def _reason(ch: Change, old_units: dict[str, Unit], new_units: dict[str, Unit]) -> str:
    what = {"term": "术语", "annex": "附录", "front": ""}.get(ch.kind, "条款")
    if ch.op == "added":
        return f"新增{what}。"
    if ch.op == "removed":
        return f"删除{what}。"
    parts: list[str] = []
    if ch.move is not None:
        mv = ch.move
        if mv.reparented:
            parts.append(f"由{_parent_ref(old_units, mv.old_parent)}调整至{_parent_ref(new_units, mv.new_parent)}，"
                         f"编号由{mv.old_number}改为{mv.new_number}。")
        else:
            parts.append(f"编号由{mv.old_number}调整为{mv.new_number}。")
    paths = {f.path for f in ch.fields}
    if "title" in paths:
        parts.append("修改标题。")
    if "text" in paths:
        parts.append("修改条文。")
    if ch.op == "moved" and not paths:
        parts.append("条文未修改。")
    return "".join(parts)


def revision_rows(cs: ChangeSet, std_id: str) -> list[RevisionRow]:
    """Rows of the 修订对照表 of one draft (cover facts, then units in reading order)."""
    pair = cs.drafts[std_id]
    old_units = {u.id: u for u in pair.old_units}
    new_units = {u.id: u for u in pair.new_units}
    rows: list[RevisionRow] = []
    for ch in cs.for_draft(std_id):
        if ch.kind == "draft":
            for f in ch.fields:
                rows.append(RevisionRow(f"封面（{f.label}）", f.old, f.new, f"修改{f.label}。"))
            continue
        o, n = old_units.get(ch.id), new_units.get(ch.id)
        if ch.kind == "front":
            clause = ch.title
        elif ch.op == "removed":
            clause = f"原{o.ref}" if o else ch.id
        elif ch.move is not None and ch.move.old_number != ch.move.new_number:
            clause = f"{n.ref}（原{o.ref}）" if n and o else ch.id
        else:
            clause = n.ref if n else ch.id
        rows.append(RevisionRow(clause, _unit_text(o) if ch.op != "added" else None,
                                _unit_text(n) if ch.op != "removed" else None,
                                _reason(ch, old_units, new_units)))
    return rows


# ---------------------------------------------------------------------- DOCX
def _cell_runs(cell, text: str | None, ops: list[tuple[str, str]] | None, side: str) -> None:
    p = cell.paragraphs[0]
    if text is None:
        p.add_run(NONE_TEXT)
        return
    if ops is None:
        ops = [("=", text)]
    for op, s in ops:
        if op == "=" or (side == "old" and op == "-") or (side == "new" and op == "+"):
            for i, line in enumerate(s.split("\n")):
                if i:
                    p = cell.add_paragraph()
                if not line:
                    continue
                r = p.add_run(line)
                r.font.size = Pt(9)
                if op != "=":
                    r.font.color.rgb = RGBColor.from_string(DEL_RGB if op == "-" else INS_RGB)
                    if op == "-":
                        r.font.strike = True
                    else:
                        r.font.underline = True


def write_revision_docx(rows: list[RevisionRow], title: str, path: Path, author: str, when) -> Path:
    """Write the 修订对照表 DOCX (landscape A4, a header row that repeats on every page); returns ``path``."""
    d = new_document(landscape=True)
    p = d.add_paragraph(f"《{title}》修订对照表", style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = d.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    widths = (Mm(30), Mm(100), Mm(100), Mm(27))
    hdr = table.rows[0]
    hdr._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text, wdt in zip(hdr.cells, HEADER, widths):
        cell.width = wdt
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        ops = char_ops(row.old, row.new) if row.old is not None and row.new is not None else None
        for cell, wdt in zip(cells, widths):
            cell.width = wdt
        cells[0].paragraphs[0].add_run(row.clause).font.size = Pt(9)
        _cell_runs(cells[1], row.old, ops, "old")
        _cell_runs(cells[2], row.new, ops, "new")
        cells[3].paragraphs[0].add_run(row.reason).font.size = Pt(9)
    set_core(d, f"《{title}》修订对照表", author, when)
    buf = io.BytesIO()
    d.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    epoch = int(when.timestamp())
    path.write_bytes(normalise_zip(buf.getvalue(), epoch, {"docProps/core.xml": core_dates_rewrite(epoch)}))
    return path


# ---------------------------------------------------------------------- XLSX
def _rich(text: str | None, ops: list[tuple[str, str]] | None, side: str):
    if text is None:
        return NONE_TEXT
    if ops is None or all(op == "=" for op, _ in ops) or len(text) > MAX_CELL_CHARS:
        return fit_cell(text)  # an over-long cell is cut visibly (plain text), not by the reader
    parts = []
    for op, s in ops:
        if not s:
            continue
        if op == "=":
            parts.append(TextBlock(InlineFont(rFont=SERIF_CJK), s))
        elif side == "old" and op == "-":
            parts.append(TextBlock(InlineFont(rFont=SERIF_CJK, color=DEL_RGB, strike=True), s))
        elif side == "new" and op == "+":
            parts.append(TextBlock(InlineFont(rFont=SERIF_CJK, color=INS_RGB, u="single"), s))
    return CellRichText(parts)


def write_revision_xlsx(rows: list[RevisionRow], title: str, path: Path, author: str, when) -> Path:
    """Write the 修订对照表 XLSX (sheet ``修订对照表``, header in row 1, frozen); returns ``path``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "修订对照表"
    ws.append(list(HEADER))
    thin = Side(style="thin", color="999999")
    for row in rows:
        ops = char_ops(row.old, row.new) if row.old is not None and row.new is not None else None
        ws.append([row.clause, _rich(row.old, ops, "old"), _rich(row.new, ops, "new"), row.reason])
    protect_sheet(ws)  # text stays text, never a formula; over-long cells cut visibly
    for col, width in zip("ABCD", (16, 60, 60, 28)):
        ws.column_dimensions[col].width = width
    for r in ws.iter_rows():
        for c in r:
            c.alignment = Alignment(wrap_text=True, vertical="top")
            c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if c.row == 1:
                c.font = Font(name=SERIF_CJK, bold=True)
            elif not isinstance(c.value, CellRichText):
                c.font = Font(name=SERIF_CJK)
    ws.freeze_panes = "A2"
    naive = when.replace(tzinfo=None)
    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    wb.properties.title = f"《{title}》修订对照表"
    wb.properties.created = naive
    wb.properties.modified = naive
    buf = io.BytesIO()
    wb.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    epoch = int(when.timestamp())
    path.write_bytes(normalise_zip(buf.getvalue(), epoch, {"docProps/core.xml": core_dates_rewrite(epoch)}))
    return path
