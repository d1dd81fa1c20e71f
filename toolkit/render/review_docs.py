"""Shared plumbing of the review documents (征求意见汇总处理表, 编制说明) in Word.

They take their look from ``templates/reference.docx`` like the drafts (its styles:
标准名称 ``DocTitle``, ``Heading1``/``Heading2``, 段 ``Para``, 标准表格 ``StdTable``,
表头/表格文字, 说明 ``SmallNote``), with its sample body dropped; files are written
deterministically (fixed zip times, core properties dated ``SOURCE_DATE_EPOCH``).
"""
from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from toolkit.render.docx_writer import REFERENCE, STYLE, set_core_properties
from toolkit.repro import normalise_zip


def reference_document(landscape: bool = False):
    """A python-docx document opened from the reference DOCX with an empty body (A4; landscape if asked)."""
    d = docx.Document(str(REFERENCE))
    body = d.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if landscape:
        sec = d.sections[0]
        sec.orientation = WD_ORIENT.LANDSCAPE
        w, h = sec.page_width, sec.page_height
        if w < h:
            sec.page_width, sec.page_height = h, w
        sec.left_margin = sec.right_margin = Mm(20)
        sec.top_margin = sec.bottom_margin = Mm(20)
    return d


def page_furniture(d, header: str) -> None:
    """Header line ``header`` (the standard's code, right) and a centred page number (PAGE field) in the footer."""
    sec = d.sections[0]
    hp = sec.header.paragraphs[0]
    hp.text = header
    hp.alignment = 2
    fp = sec.footer.paragraphs[0]
    fp.alignment = 1
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    fp._p.append(fld)


def _append(d, el):
    d.element.body.sectPr.addprevious(el)
    return el


def para(d, style: str, text: str = "", *, jc: str | None = None, indent: bool | None = None):
    """Append a paragraph of style id ``style`` (see :data:`toolkit.render.docx_writer.STYLE`) holding ``text``.

    ``jc`` sets justification (``center``/``left``); ``indent=False`` removes the first-line indent.
    Line breaks in ``text`` become ``w:br``.
    """
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    st = OxmlElement("w:pStyle")
    st.set(qn("w:val"), style)
    ppr.append(st)
    if indent is False:
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLine"), "0")
        ind.set(qn("w:firstLineChars"), "0")
        ppr.append(ind)
    if jc:
        j = OxmlElement("w:jc")
        j.set(qn("w:val"), jc)
        ppr.append(j)
    p.append(ppr)
    for i, line in enumerate(text.split("\n")):
        r = OxmlElement("w:r")
        if i:
            r.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        r.append(t)
        p.append(r)
    return _append(d, p)


def table(d, header: list[str], rows: list[list[str]], widths_mm: list[float], centred: set[int] = frozenset()):
    """Append a 标准表格 with a repeated header row; ``widths_mm`` per column; columns in ``centred`` centred."""
    t = d.add_table(rows=0, cols=len(header))
    t.style = _style(d, STYLE["table"])
    tbl = t._tbl
    grid = tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_mm):
        gc.set(qn("w:w"), str(round(w * 1440 / 25.4)))

    def row(cells: list[str], head: bool):
        r = t.add_row()
        if head:
            trpr = r._tr.get_or_add_trPr()
            h = OxmlElement("w:tblHeader")
            trpr.append(h)
        for i, (cell, text) in enumerate(zip(r.cells, cells)):
            cell.width = Mm(widths_mm[i])
            p = cell.paragraphs[0]
            p.style = _style(d, STYLE["table_header"] if head else STYLE["table_text"])
            if head or i in centred:
                p.alignment = 1
            lines = str(text).split("\n")
            for k, line in enumerate(lines):
                if k:
                    p = cell.add_paragraph(style=_style(d, STYLE["table_text"]))
                p.add_run(line)

    row(header, True)
    for r in rows:
        row(r, False)
    body_tbl = t._tbl
    body_tbl.getparent().remove(body_tbl)
    return _append(d, body_tbl)


def _style(d, style_id: str):
    for s in d.styles:
        if s.style_id == style_id:
            return s
    raise KeyError(f"reference.docx has no style {style_id}")


def save(d, path: Path, title: str, subject: str, keywords: str, epoch: int) -> Path:
    """Save ``d`` to ``path`` deterministically (core properties and zip times from ``epoch``, the
    build epoch of :func:`toolkit.repro.build_epoch`); returns ``path``."""
    set_core_properties(d, title=title, epoch=epoch, subject=subject, keywords=keywords)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    normalise_zip(path, epoch)
    return path
