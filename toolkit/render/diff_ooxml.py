"""Small OOXML helpers shared by the diff's DOCX and XLSX writers.

* :func:`new_document` — a python-docx document whose styles name the CJK
  fonts explicitly (the default template's theme-font attributes removed,
  East Asian fonts set through ``w:rFonts w:eastAsia``).

Zip normalisation and core-property dates are :mod:`toolkit.repro`'s.
"""
from __future__ import annotations

from datetime import datetime

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from toolkit.render.draft_layout import BODY_PT, SANS_CJK, SERIF_CJK, SMALL_PT


def _set_fonts(rpr, latin: str, east_asia: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def new_document(landscape: bool = False) -> docx.document.Document:
    """A blank A4 document with 宋体-role body and 黑体-role headings (Noto CJK), black headings, sizes in pt."""
    d = docx.Document()
    styles = d.styles
    rpr_default = styles.element.find(qn("w:docDefaults"))
    if rpr_default is not None:
        for rpr in rpr_default.iter(qn("w:rPr")):
            _set_fonts(rpr, SERIF_CJK, SERIF_CJK)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5", "Caption"):
        st = styles[name]
        heading = name != "Normal"
        _set_fonts(st.element.get_or_add_rPr(), SANS_CJK if heading else SERIF_CJK, SANS_CJK if heading else SERIF_CJK)
        st.font.color.rgb = None
        if heading:
            st.font.italic = False
            st.font.bold = name != "Caption"
            color = st.element.rPr.find(qn("w:color"))
            if color is not None:
                st.element.rPr.remove(color)
    styles["Normal"].font.size = Pt(BODY_PT)
    sizes = {"Title": 16, "Heading 1": 12, "Heading 2": BODY_PT, "Heading 3": BODY_PT, "Heading 4": BODY_PT,
             "Heading 5": BODY_PT, "Caption": SMALL_PT}
    for name, pt in sizes.items():
        styles[name].font.size = Pt(pt)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.left_margin = sec.right_margin = Mm(20)
    sec.top_margin = sec.bottom_margin = Mm(20)
    return d


def set_core(d, title: str, author: str, when: datetime) -> None:
    """Core properties with fixed dates (no wall-clock time leaks into the file)."""
    cp = d.core_properties
    cp.title = title
    cp.author = author
    cp.last_modified_by = author
    naive = when.replace(tzinfo=None)
    cp.created = naive
    cp.modified = naive
    cp.revision = 1
