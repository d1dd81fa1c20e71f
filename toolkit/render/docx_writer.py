"""DOCX writer for drafts: an editable Word document laid out as a GB/T 1.1-2020 standard.

Starts from ``templates/reference.docx`` (made by ``templates/make_reference_docx.py``):
its styles, fonts, settings and page set-up are kept, its sample body dropped.  Every
role of the document model maps to one style id of that file (:data:`STYLE`), so the
look is changed in the reference document, not here.

Layout: three sections — cover (no header/footer), front matter (目次, 前言, 引言; page
numbers I, II …) and body (page numbers from 1); running header with the code.  The 目次
is a real ``TOC`` field (``\\o "1-2" \\h \\z \\u``) whose cached result already lists every
entry with ``PAGEREF`` fields — cached page numbers taken from the PDF layout, which uses the
same fonts, sizes, margins and line pitch — and ``w:updateFields`` makes Word/WPS refresh it on
open (LibreOffice shows the cached numbers).
Headings use the built-in ``heading 1``–``heading 5`` styles, with a bookmark per
anchor id, so the navigation pane, the TOC and cross-reference links work.  列项 labels,
numbers and table numbers are text from the document model (the model numbers, writers
never do), followed by a tab to the hanging indent of the list style.

Review build (``review=True``): each clause, term entry and annex heading carries a
Word comment (批注) with its source (``来源：004 §…``) or ``新起草``; the header says 审阅稿.

Deterministic: core properties, comment dates and zip timestamps are the document's
build epoch (:func:`toolkit.repro.build_epoch`), so the same input gives the same bytes.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from toolkit.document import (AnnexDoc, ChangeMark, Changed, Document, ExampleDoc, Inline, ListDoc, ListEntry,
                              NormRefDoc, NoteDoc, Para, Ref, Section, TableDoc)
from toolkit.render import draft_layout as lay
from toolkit.repro import epoch_datetime, normalise_zip

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REFERENCE = Path(__file__).resolve().parents[2] / "templates" / "reference.docx"

# Model role → style id in reference.docx (the one mapping from the document model to Word).
STYLE = {
    "para": "Para",
    "headings": ["Heading1", "Heading2", "Heading3", "Heading4", "Heading5"],
    "untitled": "UntitledClause",
    "clause_number": "ClauseNumber",
    "doc_title": "DocTitle",
    "front_title": "FrontTitle",
    "toc_title": "TocTitle",
    "toc": ["TOC1", "TOC2"],
    "list": "ListAlpha",
    "list2": "ListNumeric",
    "list_dash": "ListDash",
    "note": "Note",
    "example": "Example",
    "normref": "NormRef",
    "term_number": "TermNumber",
    "term": "Term",
    "table_caption": "TableCaption",
    "table_unit": "TableUnit",
    "table_text": "TableText",
    "table_header": "TableHeader",
    "table": "StdTable",
    "annex_head": "AnnexHead",
    "bib": "BibEntry",
    "end_rule": "EndRule",
    "small_note": "SmallNote",
    "cover_ics": "CoverICS",
    "cover_letters": "CoverLetters",
    "cover_kind": "CoverKind",
    "cover_code": "CoverCode",
    "cover_replaces": "CoverReplaces",
    "cover_title": "CoverTitle",
    "cover_title_en": "CoverTitleEn",
    "cover_stage": "CoverStage",
    "cover_patent": "CoverPatent",
    "cover_date": "CoverDate",
    "cover_issuer": "CoverIssuer",
}

TW_PER_MM = 1440 / 25.4
TEXT_WIDTH_TW = round((lay.PAGE_W_MM - lay.MARGIN_LEFT_MM - lay.MARGIN_RIGHT_MM) * TW_PER_MM)
EM = round(lay.BODY_PT * 20)
SMALL_EM = round(lay.SMALL_PT * 20)
# The indents the reference styles carry (twips) — direct formatting only when a list or note differs.
_STYLE_IND = {"ListAlpha": (round(3.5 * EM), round(1.5 * EM)), "ListNumeric": (5 * EM, round(1.5 * EM)),
              "ListDash": (4 * EM, 2 * EM), "Note": (2 * EM + 2 * SMALL_EM, 2 * SMALL_EM),
              "Example": (2 * EM + 3 * SMALL_EM, 3 * SMALL_EM)}
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
REVIEW_AUTHOR = "stdkit"


# ---------------------------------------------------------------------- low-level XML helpers
def _el(tag: str, **attrs: str):
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), str(v))
    return e


def _run(text: str = "", rstyle: str | None = None):
    """A ``w:r`` holding ``text`` (tabs become ``w:tab``, newlines ``w:br``)."""
    r = _el("w:r")
    if rstyle:
        rpr = _el("w:rPr")
        rpr.append(_el("w:rStyle", val=rstyle))
        r.append(rpr)
    text = lay.nobreak(_BAD_XML.sub("", text))
    parts = re.split(r"(\t|\n)", text)
    for part in parts:
        if part == "\t":
            r.append(_el("w:tab"))
        elif part == "\n":
            r.append(_el("w:br"))
        elif part:
            t = _el("w:t")
            t.text = part
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
    return r


def _field(instr: str, cached: str = "") -> list:
    """Runs of a complex field ``instr`` with a cached result."""
    out = []
    b = _el("w:r")
    b.append(_el("w:fldChar", fldCharType="begin"))
    out.append(b)
    i = _el("w:r")
    it = _el("w:instrText")
    it.text = f" {instr} "
    it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    i.append(it)
    out.append(i)
    s = _el("w:r")
    s.append(_el("w:fldChar", fldCharType="separate"))
    out.append(s)
    if cached:
        out.append(_run(cached))
    e = _el("w:r")
    e.append(_el("w:fldChar", fldCharType="end"))
    out.append(e)
    return out


def _para(style: str, runs: list | None = None, ind: tuple[int, int] | None = None, jc: str | None = None,
          outline: int | None = None, keep_next: bool = False):
    """A ``w:p`` with ``style`` and optional direct indent ``(left, hanging)`` / justification / outline level."""
    p = _el("w:p")
    ppr = _el("w:pPr")
    ppr.append(_el("w:pStyle", val=style))
    if keep_next:
        ppr.append(_el("w:keepNext"))
    if ind is not None:
        ppr.append(_el("w:ind", left=ind[0], hanging=ind[1]))
    if jc:
        ppr.append(_el("w:jc", val=jc))
    if outline is not None:
        ppr.append(_el("w:outlineLvl", val=outline))
    p.append(ppr)
    for r in runs or []:
        p.append(r)
    return p


# ---------------------------------------------------------------------- determinism helpers
def _doc_epoch(doc: Document) -> int:
    """The document's build epoch; ``ValueError`` when it has none (build it with :func:`toolkit.document.build_document`)."""
    if doc.epoch is None:
        raise ValueError(f"document {doc.standard_id} has no date: the project is not in git, SOURCE_DATE_EPOCH "
                         "is not set and standards/registry/ has no `editions` date (see toolkit.repro.build_epoch)")
    return doc.epoch


def set_core_properties(d, title: str, epoch: int, subject: str = "", keywords: str = "") -> None:
    """Fixed core properties (author stdkit, created = modified = printed = ``epoch``, UTC)."""
    cp = d.core_properties
    when = epoch_datetime(epoch)
    cp.title = title
    cp.subject = subject
    cp.keywords = keywords
    cp.author = "stdkit"
    cp.last_modified_by = "stdkit"
    cp.comments = ""
    cp.language = "zh-CN"
    cp.revision = 1
    cp.created = when
    cp.modified = when
    cp.last_printed = when


_SETTINGS_AFTER_TRACK = ("doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
                         "styleLockTheme", "styleLockQFSet", "defaultTabStop")


def _enable_tracking(d) -> None:
    """Switch on 修订 (``w:trackRevisions``) so that reviewers' own edits are tracked too (schema order kept)."""
    settings = d.settings.element
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    el = _el("w:trackRevisions")
    for child in settings:
        if child.tag in {qn(f"w:{n}") for n in _SETTINGS_AFTER_TRACK}:
            child.addprevious(el)
            return
    settings.append(el)


# ---------------------------------------------------------------------- the writer
class _DocxBuilder:
    """Appends the document model to a python-docx document opened from the reference file."""

    def __init__(self, doc: Document, review: bool, reference: Path, page_labels: dict[str, str] | None):
        self.doc = doc
        self.page_labels = page_labels or {}
        self.review = review
        self.d = docx.Document(str(reference))
        self.body = self.d.element.body
        for child in list(self.body):
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        self.bookmark_no = 0
        self.revision_no = 0
        self.pending_comments: list[tuple[object, object, str]] = []  # (p element, run element, text)

    # -- plumbing --------------------------------------------------------
    def add(self, el):
        self.body.sectPr.addprevious(el)
        return el

    def bookmark(self, p, anchor: str) -> None:
        """Wrap the runs of paragraph ``p`` in a bookmark named after ``anchor``."""
        self.bookmark_no += 1
        name = lay.bookmark_name(anchor)
        start = _el("w:bookmarkStart", id=self.bookmark_no, name=name)
        end = _el("w:bookmarkEnd", id=self.bookmark_no)
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)

    def note_source(self, p, source: str | None, drafted: bool) -> None:
        """In the review build, remember a comment (批注) with the provenance, anchored on ``p``'s first run."""
        if not self.review:
            return
        runs = p.findall(qn("w:r"))
        if runs:
            self.pending_comments.append((p, runs, lay.provenance(source, drafted)))

    # -- tracked changes (pandoc's insertion/deletion spans → w:ins / w:del) ----
    def revision(self, mark: ChangeMark):
        """A ``w:ins``/``w:del`` element for ``mark`` with a document-unique ``w:id``."""
        self.revision_no += 1
        return _el(f"w:{mark.kind}", id=self.revision_no, author=mark.author, date=mark.date)

    def changed_run(self, c: Changed):
        """The run of ``c`` wrapped in its revision (deleted text as ``w:delText``)."""
        r = _run(c.text)
        if c.mark.kind == "del":
            for t in r.iter(qn("w:t")):
                t.tag = qn("w:delText")
        wrap = self.revision(c.mark)
        wrap.append(r)
        return wrap

    def mark_paragraph(self, p, mark: ChangeMark | None) -> None:
        """Track paragraph ``p`` itself (its paragraph mark) as inserted or deleted."""
        if mark is None:
            return
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = _el("w:pPr")
            p.insert(0, ppr)
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = _el("w:rPr")
            ppr.append(rpr)
        rpr.append(self.revision(mark))

    def inline_runs(self, inlines: list[Inline]) -> list:
        runs = []
        for i in inlines:
            if isinstance(i, Changed):
                runs.append(self.changed_run(i))
            elif isinstance(i, Ref) and i.kind in ("clause", "table", "annex", "term"):
                h = _el("w:hyperlink", anchor=lay.bookmark_name(i.target), history="1")
                h.append(_run(i.label))
                runs.append(h)
            else:
                runs.append(_run(i.label if isinstance(i, Ref) else i.text))
        return runs

    # -- cover -----------------------------------------------------------
    def cover(self) -> None:
        doc = self.doc
        half = TEXT_WIDTH_TW // 2
        tbl = _el("w:tbl")
        tpr = _el("w:tblPr")
        tpr.append(_el("w:tblW", w=TEXT_WIDTH_TW, type="dxa"))
        tpr.append(_el("w:tblLayout", type="fixed"))
        mar = _el("w:tblCellMar")
        for side in ("left", "right"):
            mar.append(_el(f"w:{side}", w=0, type="dxa"))
        tpr.append(mar)
        tpr.append(_el("w:tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0, noHBand=1,
                       noVBand=1))
        tbl.append(tpr)
        grid = _el("w:tblGrid")
        grid.append(_el("w:gridCol", w=half))
        grid.append(_el("w:gridCol", w=TEXT_WIDTH_TW - half))
        tbl.append(grid)

        def row(height_mm: float, cells: list[tuple[list, int]], valign: str = "top", rule: bool = False,
                exact: bool = True):
            tr = _el("w:tr")
            trpr = _el("w:trPr")
            trpr.append(_el("w:trHeight", val=round(height_mm * TW_PER_MM), hRule="exact" if exact else "atLeast"))
            tr.append(trpr)
            for paras, span in cells:
                tc = _el("w:tc")
                tcpr = _el("w:tcPr")
                tcpr.append(_el("w:tcW", w=half * span if span == 1 else TEXT_WIDTH_TW, type="dxa"))
                if span > 1:
                    tcpr.append(_el("w:gridSpan", val=span))
                if rule:
                    b = _el("w:tcBorders")
                    b.append(_el("w:bottom", val="single", sz=8, space=0, color="000000"))
                    tcpr.append(b)
                tcpr.append(_el("w:vAlign", val=valign))
                tc.append(tcpr)
                for p in paras:
                    tc.append(p)
                tr.append(tc)
            tbl.append(tr)

        S = STYLE
        ics = [_para(S["cover_ics"], [_run(f"ICS {doc.ics}")]), _para(S["cover_ics"], [_run(f"CCS {doc.ccs}")])]
        letters = [_para(S["cover_letters"], [_run(lay.code_letters(doc.code))])]
        if doc.filing_number:
            letters.append(_para(S["cover_ics"], [_run(f"备案号：{doc.filing_number}")], jc="right"))
        row(20, [(ics, 1), (letters, 1)])
        row(18, [([_para(S["cover_kind"], [_run(lay.kind_line(doc.code))])], 2)], valign="center")
        codes = [_para(S["cover_code"], [_run(doc.code)])]
        if doc.replaces:
            codes.append(_para(S["cover_replaces"], [_run(f"代替 {doc.replaces}")]))
        codes[-1].find(qn("w:pPr")).append(_el("w:spacing", after=100))
        row(18, [(codes, 2)], valign="bottom", rule=True)
        titles = [_para(S["cover_title"], [_run("\n".join(lay.title_lines(doc.title)))])]
        titles[0].find(qn("w:pPr")).append(_el("w:spacing", before=round(40 * TW_PER_MM), after=0))
        if doc.form == "amendment":
            titles.append(_para(S["cover_title"], [_run("第1号修改单")]))
        if doc.title_en:
            titles.append(_para(S["cover_title_en"], [_run(doc.title_en)]))
        if doc.stage_label:
            titles.append(_para(S["cover_stage"], [_run(doc.stage_label)]))
        if doc.completion_date:
            titles.append(_para(S["cover_stage"], [_run(f"（本稿完成日期：{doc.completion_date}）")]))
        if doc.patent_notice:
            titles.append(_para(S["cover_patent"], [_run(doc.patent_notice)]))
        row(158, [(titles, 2)], exact=False)
        row(12, [([_para(S["cover_date"], [_run(f"{doc.date_issue} 发布")], jc="left")], 1),
                 ([_para(S["cover_date"], [_run(f"{doc.date_implement} 实施")], jc="right")], 1)],
            valign="bottom", rule=True)
        row(14, [([_para(S["cover_issuer"], [_run(doc.issuer), _run("　发布")])], 2)])
        self.add(tbl)

    # -- 目次 --------------------------------------------------------------
    def toc(self) -> None:
        self.add(_para(STYLE["toc_title"], [_run(lay.spaced("目次"))]))
        entries = lay.toc_entries(self.doc)
        for n, e in enumerate(entries):
            p = _para(STYLE["toc"][e.level - 1])
            if n == 0:
                for r in _field('TOC \\o "1-2" \\h \\z \\u')[:3]:
                    p.append(r)
            h = _el("w:hyperlink", anchor=lay.bookmark_name(e.anchor), history="1")
            h.append(_run(e.text))
            h.append(_run("\t"))
            for r in _field(f"PAGEREF {lay.bookmark_name(e.anchor)} \\h", self.page_labels.get(e.anchor, "")):
                h.append(r)
            p.append(h)
            if n == len(entries) - 1:
                end = _el("w:r")
                end.append(_el("w:fldChar", fldCharType="end"))
                p.append(end)
            self.add(p)

    # -- blocks ----------------------------------------------------------
    def blocks(self, blocks) -> None:
        for b in blocks:
            if isinstance(b, Para):
                p = self.add(_para(STYLE[b.style or "para"], self.inline_runs(b.inlines)))
                self.mark_paragraph(p, b.mark)
            elif isinstance(b, ListDoc):
                if b.intro:
                    self.add(_para(STYLE["para"], self.inline_runs(b.intro), keep_next=True))
                self.list_entries(b.entries, 2.0, 1)
            elif isinstance(b, (NoteDoc, ExampleDoc)):
                style = STYLE["note"] if isinstance(b, NoteDoc) else STYLE["example"]
                self.add(self.note_para(style, b.label, b.inlines))
            elif isinstance(b, TableDoc):
                self.table(b)
            elif isinstance(b, NormRefDoc):
                p = _para(STYLE["normref"], [_run(f"{b.code}　{b.title}" if b.code else b.title)])
                self.bookmark(p, b.id)
                self.add(p)

    def note_para(self, style: str, label: str, inlines: list[Inline]):
        w = round(lay.text_width(label) * SMALL_EM)
        ind = (2 * EM + w, w)
        return _para(style, [_run(label), *self.inline_runs(inlines)], ind=None if ind == _STYLE_IND[style] else ind)

    def list_entries(self, entries: list[ListEntry], start_em: float, level: int) -> None:
        box = lay.label_box([e.label for e in entries])
        dash = all(e.label == "——" for e in entries)
        style = STYLE["list_dash"] if dash else (STYLE["list"] if level == 1 else STYLE["list2"])
        ind = (round((start_em + box) * EM), round(box * EM))
        direct = None if ind == _STYLE_IND[style] else ind
        for e in entries:
            label = e.label if dash else f"{e.label}\t"
            self.add(_para(style, [_run(label), *self.inline_runs(e.inlines)], ind=direct))
            if e.children:
                self.list_entries(e.children, start_em + box, level + 1)

    def table(self, t: TableDoc) -> None:
        if t.number:
            cap = _para(STYLE["table_caption"], [_run(f"{t.number}　{t.caption}")])
            self.bookmark(cap, t.id)
            self.add(cap)
            if self.review and t.review_note:  # 批注: which shown fields the corpus drafted
                self.pending_comments.append((cap, cap.findall(qn("w:r")), t.review_note))
        unit = lay.unit_line(t.unit)
        if unit:
            self.add(_para(STYLE["table_unit"], [_run(unit)]))
        widths = [round(f * TEXT_WIDTH_TW) for f in lay.column_widths(t)]
        widths[-1] = TEXT_WIDTH_TW - sum(widths[:-1])
        centred = lay.centred_columns(t)
        tbl = _el("w:tbl")
        tpr = _el("w:tblPr")
        tpr.append(_el("w:tblStyle", val=STYLE["table"]))
        tpr.append(_el("w:tblW", w=TEXT_WIDTH_TW, type="dxa"))
        tpr.append(_el("w:jc", val="center"))
        tpr.append(_el("w:tblLayout", type="fixed"))
        tpr.append(_el("w:tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0, noHBand=1,
                       noVBand=1))
        tbl.append(tpr)
        grid = _el("w:tblGrid")
        for w in widths:
            grid.append(_el("w:gridCol", w=w))
        tbl.append(grid)

        def tr(cells: list[str], header: bool, k: int, keep: bool = True):
            row = _el("w:tr")
            trpr = _el("w:trPr")
            trpr.append(_el("w:cantSplit"))
            if header:
                trpr.append(_el("w:tblHeader"))
            mark = t.row_marks[k] if t.row_marks else None
            if mark is not None:
                trpr.append(self.revision(mark))
            row.append(trpr)
            rich = t.cell_inlines[k] if t.cell_inlines else None
            for i, w in enumerate(widths):
                text = cells[i] if i < len(cells) else ""
                runs = self.inline_runs(rich[i]) if rich is not None and i < len(rich) else [_run(text)]
                tc = _el("w:tc")
                tcpr = _el("w:tcPr")
                tcpr.append(_el("w:tcW", w=w, type="dxa"))
                tc.append(tcpr)
                # keep-with-next on every row but the last of a page's part: Word keeps the part together,
                # so a table breaks only where the PDF broke it (and gets its 表X（续） caption there)
                if header:
                    p = _para(STYLE["table_header"], runs, keep_next=True)
                else:
                    p = _para(STYLE["table_text"], runs, jc="center" if centred[i] else None, keep_next=keep)
                tc.append(p)
                row.append(tc)
            tbl.append(row)

        tr(t.header, True, 0)
        pages = [self.page_labels.get(f"{t.id}--r{i}") for i in range(len(t.rows))]
        breaks = {i for i in range(1, len(t.rows)) if t.number and pages[i] and pages[i - 1] and pages[i] != pages[i - 1]}
        for i, r in enumerate(t.rows):
            if i in breaks:
                # 表X（续）: the PDF broke the table here; Word repeats a header row but cannot
                # caption it, so the table is split and the continuation starts a page with its
                # own caption and header, as published standards do (GB/T 1.1—2020, 9.8).
                self.add(tbl)
                cont = _para(STYLE["table_caption"], [_run(f"{t.number}（续）")], keep_next=True)
                cont.find(qn("w:pPr")).append(_el("w:pageBreakBefore"))
                self.add(cont)
                tbl = _el("w:tbl")
                tbl.append(copy.deepcopy(tpr))
                tbl.append(copy.deepcopy(grid))
                tr(t.header, True, 0)
            tr(r, False, i + 1, keep=i + 1 < len(t.rows) and i + 1 not in breaks)
        self.add(tbl)

    # -- sections ----------------------------------------------------------
    def section(self, s: Section) -> None:
        if s.kind == "term":
            num = _para(STYLE["term_number"], [_run(s.number)])
            self.bookmark(num, s.id)
            self.note_source(num, s.source, s.drafted)
            self.add(num)
            runs = [_run(s.term or s.title)]
            if s.term_en:
                runs.append(_run(f"　{s.term_en}"))
            self.add(_para(STYLE["term"], runs))
            if s.definition:
                self.add(_para(STYLE["para"], self.inline_runs(s.definition)))
            if s.term_note:
                self.add(self.note_para(STYLE["note"], "注：", s.term_note))
            self.blocks(s.blocks)
        elif s.title or s.heading_inlines is not None:
            style = STYLE["headings"][min(s.depth, 5) - 1]
            runs = self.inline_runs(s.heading_inlines) if s.heading_inlines is not None else [_run(s.heading)]
            p = _para(style, runs)
            self.mark_paragraph(p, s.mark)
            self.bookmark(p, s.id)
            self.note_source(p, s.source, s.drafted)
            self.add(p)
            self.blocks(s.blocks)
        else:  # 无标题条: the number leads its first paragraph
            rest = s.blocks
            runs = [_run(s.number, STYLE["clause_number"])]
            if s.blocks and isinstance(s.blocks[0], Para):
                runs.append(_run("　"))
                runs.extend(self.inline_runs(s.blocks[0].inlines))
                rest = s.blocks[1:]
            p = _para(STYLE["untitled"], runs)
            self.bookmark(p, s.id)
            self.note_source(p, s.source, s.drafted)
            self.add(p)
            self.blocks(rest)
        for c in s.children:
            self.section(c)

    def annex(self, a: AnnexDoc) -> None:
        p = _para(STYLE["annex_head"], [_run(lay.spaced(a.label)), _run(f"\n{a.status}"), _run(f"\n{a.title}")])
        self.bookmark(p, a.id)
        self.note_source(p, a.source, a.drafted)
        self.add(p)
        self.blocks(a.blocks)
        for c in a.children:
            self.section(c)

    # -- sections of the Word document -------------------------------------
    def header_footer(self, section, page_fmt: str) -> None:
        sectpr = section._sectPr
        pg = _el("w:pgNumType", fmt=page_fmt, start=1)
        for tag in ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                    "w:rtlGutter", "w:docGrid", "w:printerSettings"):
            nxt = sectpr.find(qn(tag))
            if nxt is not None:
                nxt.addprevious(pg)
                break
        else:
            sectpr.append(pg)
        section.header.is_linked_to_previous = False
        hp = section.header.paragraphs[0]._p
        if self.review:
            ppr = hp.get_or_add_pPr()
            ppr.append(_el("w:jc", val="left"))
            tabs = _el("w:tabs")
            tabs.append(_el("w:tab", val="right", pos=TEXT_WIDTH_TW))
            ppr.insert(1, tabs)
            hp.append(_run("审阅稿　条文来源见批注\t"))
        hp.append(_run(self.doc.code))
        section.footer.is_linked_to_previous = False
        fp = section.footer.paragraphs[0]._p
        for r in _field("PAGE", "1"):
            fp.append(r)

    def amendment_body(self) -> None:
        """A 标准修改单: the base standard's title, the approval sentence, one numbered item per change."""
        doc = self.doc
        self.add(_para(STYLE["doc_title"], [_run(f"《{doc.base_code}　{doc.base_title or doc.title}》\n第1号修改单")]))
        self.add(_para(STYLE["para"], [_run(f"本修改单经{doc.issuer}批准，自{doc.date_implement}起实施。")]))
        for a in doc.amendments:
            lead = _para(STYLE["para"], [_run(f"{a.number}.　{a.lead}")], keep_next=True)
            self.bookmark(lead, a.id)
            self.note_source(lead, a.source, a.drafted)
            self.add(lead)
            if a.original and a.action == "修改":
                self.add(_para(STYLE["para"], [_run("原文：")], keep_next=True))
                self.add(_para(STYLE["para"], self.inline_runs(a.original)))
                self.add(_para(STYLE["para"], [_run("修改为：")], keep_next=True))
            elif a.original:
                self.add(_para(STYLE["para"], self.inline_runs(a.original)))
            if a.text:
                self.add(_para(STYLE["para"], self.inline_runs(a.text)))
            if a.reason:
                self.add(_para(STYLE["small_note"], [_run(f"（修改理由：{a.reason}）")]))

    def build(self):
        """Lay out the whole draft; returns the python-docx document."""
        doc = self.doc
        self.cover()
        amendment = doc.form == "amendment"  # a 标准修改单 has no 目次/前言: cover, then the items
        if not amendment:
            self.d.add_section(docx.enum.section.WD_SECTION.NEW_PAGE)
            # front matter: 目次, 前言, 引言
            self.toc()
        if doc.foreword and not amendment:
            p = _para(STYLE["front_title"], [_run(lay.spaced("前言"))])
            self.bookmark(p, lay.FOREWORD_ID)
            self.add(p)
            self.blocks(doc.foreword)
        if doc.introduction and not amendment:
            p = _para(STYLE["front_title"], [_run(lay.spaced("引言"))])
            self.bookmark(p, lay.INTRODUCTION_ID)
            self.add(p)
            self.blocks(doc.introduction)
        self.d.add_section(docx.enum.section.WD_SECTION.NEW_PAGE)
        # body
        if doc.form == "amendment":
            self.amendment_body()
        else:
            title = self.inline_runs(doc.title_inlines) if doc.title_inlines is not None else [_run(doc.title)]
            self.add(_para(STYLE["doc_title"], title))
            self.blocks(doc.preamble)
        for s in doc.sections:
            self.section(s)
        for a in doc.annexes:
            self.annex(a)
        if doc.bibliography:
            p = _para(STYLE["annex_head"], [_run(lay.spaced("参考文献"))])
            self.bookmark(p, lay.BIBLIOGRAPHY_ID)
            self.add(p)
            for i, entry in enumerate(doc.bibliography, 1):
                self.add(_para(STYLE["bib"], [_run(f"[{i}]\t{entry}")]))
        self.add(_para(STYLE["end_rule"]))
        # sections: 0 cover (no header/footer), 1 front (I, II …), 2 body (1, 2 …)
        secs = self.d.sections
        if amendment:
            self.header_footer(secs[1], "decimal")
        else:
            self.header_footer(secs[1], "upperRoman")
            self.header_footer(secs[2], "decimal")
        self.comments()
        settings = self.d.settings.element
        if settings.find(qn("w:updateFields")) is None:
            uf = _el("w:updateFields", val="true")
            anchor = settings.find(qn("w:compat"))
            if anchor is not None:
                anchor.addprevious(uf)
            else:
                settings.append(uf)
        if doc.tracked:
            _enable_tracking(self.d)
        set_core_properties(self.d, title=f"{doc.title}{doc.stage_label}", epoch=_doc_epoch(doc), subject=doc.code,
                            keywords=f"{doc.standard_id}{'；审阅稿' if self.review else ''}")
        return self.d

    def comments(self) -> None:
        when = epoch_datetime(_doc_epoch(self.doc))
        for p_el, runs, text in self.pending_comments:
            para = Paragraph(p_el, None)
            rs = [Run(r, para) for r in runs]
            c = self.d.add_comment(rs, text=text, author=REVIEW_AUTHOR, initials="SK")
            c._comment_elm.date = when


def write_docx(doc: Document, path: Path, review: bool = False, reference: Path = REFERENCE,
               page_labels: dict[str, str] | None = None) -> Path:
    """Write the draft ``doc`` as DOCX to ``path`` (parents created); returns ``path``.

    ``review=True`` adds a Word comment with the source of every clause, term entry and
    annex.  ``page_labels`` (anchor id → printed page number, from
    :func:`toolkit.render.pdf.render_pdf`) fill the cached page numbers of the 目次 field,
    so readers that do not refresh fields (LibreOffice) still show them; Word/WPS
    recompute them on open.  Raises ``FileNotFoundError`` if the reference document is missing.
    """
    d = _DocxBuilder(doc, review, reference, page_labels).build()
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    normalise_zip(path, _doc_epoch(doc))
    return path
