"""Writer: a draft as DOCX with real Word tracked changes (``w:ins``/``w:del``).

The document is the NEW draft (from its :class:`~toolkit.document.Document`,
via the unit view of :mod:`toolkit.diff.units`) with every difference from the
OLD draft recorded as a revision: changed characters inside a paragraph are
``w:del``/``w:ins`` runs (character-level, :func:`~toolkit.diff.textdiff.char_ops`);
a paragraph added or removed as a whole also has its paragraph mark marked
inserted/deleted; table rows added or removed are marked in ``w:trPr``.  Every
revision carries ``w:author`` and ``w:date`` (the NEW side's commit author and
date), so Word and WPS list them under 审阅 and can accept or reject each one:
accepting all gives the new text, rejecting all the old.  Track changes is
switched on (``w:trackRevisions``) so reviewers' own edits are tracked too.
"""
from __future__ import annotations

import io
from difflib import SequenceMatcher
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from toolkit.diff.changeset import DraftPair
from toolkit.diff.source import SideInfo
from toolkit.diff.textdiff import char_ops
from toolkit.diff.units import Piece, Unit
from toolkit.render.diff_ooxml import new_document, set_core
from toolkit.repro import core_dates_rewrite, normalise_zip

ROLE_STYLES = {"p": "Normal", "list": "Normal", "list2": "Normal", "note": "Normal", "example": "Normal",
               "normref": "Normal", "status": "Normal", "term": "Normal", "definition": "Normal"}
"""Unit piece role → Word paragraph style (headings come from the unit depth)."""

_SETTINGS_AFTER_TRACK = ("doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
                         "styleLockTheme", "styleLockQFSet", "defaultTabStop")


def heading_style(u: Unit) -> str:
    """Word heading style of a unit: chapters, annexes and front matter level 1, then by depth (max 5)."""
    if u.kind in ("front", "annex"):
        return "Heading 1"
    return f"Heading {min(max(u.depth, 1), 5)}"


class TrackedWriter:
    """Appends tracked paragraphs and tables to a python-docx document; one instance per file (revision ids)."""

    def __init__(self, document, author: str, date_iso: str):
        self.doc = document
        self.author = author
        self.date = date_iso
        self._id = 0

    # ------------------------------------------------------------------ revision marks
    def _mark(self, tag: str):
        self._id += 1
        el = OxmlElement(tag)
        el.set(qn("w:id"), str(self._id))
        el.set(qn("w:author"), self.author)
        el.set(qn("w:date"), self.date)
        return el

    @staticmethod
    def _run(text: str, deleted: bool, size: float | None = None, bold: bool = False):
        r = OxmlElement("w:r")
        if size or bold:
            rpr = OxmlElement("w:rPr")
            if bold:
                rpr.append(OxmlElement("w:b"))
            if size:
                sz = OxmlElement("w:sz")
                sz.set(qn("w:val"), str(int(size * 2)))
                rpr.append(sz)
            r.append(rpr)
        for i, line in enumerate(text.split("\n")):
            if i:
                r.append(OxmlElement("w:br"))
            t = OxmlElement("w:delText" if deleted else "w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = line
            r.append(t)
        return r

    def runs(self, p: Paragraph, ops: list[tuple[str, str]], size: float | None = None, bold: bool = False) -> None:
        """Append ``ops`` (``=``/``-``/``+`` texts) to paragraph ``p`` as plain, ``w:del`` and ``w:ins`` runs."""
        for op, text in ops:
            if not text:
                continue
            if op == "=":
                p._p.append(self._run(text, False, size, bold))
            else:
                wrap = self._mark("w:del" if op == "-" else "w:ins")
                wrap.append(self._run(text, op == "-", size, bold))
                p._p.append(wrap)

    def mark_paragraph(self, p: Paragraph, op: str) -> None:
        """Mark the paragraph mark of ``p`` inserted (``+``) or deleted (``-``)."""
        ppr = p._p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        rpr.append(self._mark("w:ins" if op == "+" else "w:del"))

    def paragraph(self, old: str | None, new: str | None, style: str = "Normal", size: float | None = None,
                  bold: bool = False, align=None) -> Paragraph:
        """One paragraph: ``old`` → ``new`` (``None`` = the paragraph is absent on that side)."""
        p = self.doc.add_paragraph(style=style)
        if align is not None:
            p.alignment = align
        if old is None:
            self.runs(p, [("+", new or "")], size, bold)
            self.mark_paragraph(p, "+")
        elif new is None:
            self.runs(p, [("-", old)], size, bold)
            self.mark_paragraph(p, "-")
        else:
            self.runs(p, char_ops(old, new), size, bold)
        return p

    # ------------------------------------------------------------------ tables
    def _row(self, table, cells: list[tuple[str | None, str | None]], op: str, header: bool) -> None:
        row = table.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        if header:
            tr_pr.append(OxmlElement("w:tblHeader"))
        if op in ("+", "-"):
            tr_pr.append(self._mark("w:ins" if op == "+" else "w:del"))
        for cell, (o, n) in zip(row.cells, cells):
            p = cell.paragraphs[0]
            if op == "+":
                self.runs(p, [("+", n or "")], 9, header)
            elif op == "-":
                self.runs(p, [("-", o or "")], 9, header)
            else:
                self.runs(p, char_ops(o, n), 9, header)

    def table(self, old: Piece | None, new: Piece | None) -> None:
        """A table with its caption: rows aligned by content, changed cells diffed per character."""
        self.paragraph(old.text if old else None, new.text if new else None, "Caption",
                       align=WD_ALIGN_PARAGRAPH.CENTER)
        ou, nu = (old.unit if old else None), (new.unit if new else None)
        if ou or nu:
            self.paragraph(f"单位：{ou}" if ou else None, f"单位：{nu}" if nu else None,
                           align=WD_ALIGN_PARAGRAPH.RIGHT, size=9)
        orows = [list(r) for r in (old.rows if old else ())]
        nrows = [list(r) for r in (new.rows if new else ())]
        ncols_o = len(orows[0]) if orows else 0
        ncols_n = len(nrows[0]) if nrows else 0
        if orows and nrows and ncols_o != ncols_n:  # reshaped: old table out, new table in
            self._table_rows(orows, [], ncols_o)
            self._table_rows([], nrows, ncols_n)
        else:
            self._table_rows(orows, nrows, ncols_n or ncols_o)

    def _table_rows(self, orows: list[list[str]], nrows: list[list[str]], ncols: int) -> None:
        if ncols == 0:
            return
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = "Table Grid"

        def pad(r: list[str]) -> list[str]:
            return (r + [""] * ncols)[:ncols]

        orows, nrows = [pad(r) for r in orows], [pad(r) for r in nrows]
        index = 0
        sm = SequenceMatcher(None, [tuple(r) for r in orows], [tuple(r) for r in nrows], autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                for r in nrows[j1:j2]:
                    self._row(table, [(c, c) for c in r], "=", index == 0)
                    index += 1
                continue
            olds, news = orows[i1:i2], nrows[j1:j2]
            paired = min(len(olds), len(news)) if tag == "replace" else 0
            for k in range(paired):
                self._row(table, list(zip(olds[k], news[k])), "~", index == 0)
                index += 1
            for r in olds[paired:]:
                self._row(table, [(c, None) for c in r], "-", index == 0)
                index += 1
            for r in news[paired:]:
                self._row(table, [(None, c) for c in r], "+", index == 0)
                index += 1

    # ------------------------------------------------------------------ units
    def pieces(self, old: tuple[Piece, ...], new: tuple[Piece, ...]) -> None:
        """Pieces of one unit, aligned by (role, text); replaced runs paired in order and diffed per character."""
        sm = SequenceMatcher(None, [(p.role, p.plain()) for p in old], [(p.role, p.plain()) for p in new],
                             autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            olds, news = list(old[i1:i2]), list(new[j1:j2])
            if tag == "equal":
                for p in news:
                    self.piece(p, p)
                continue
            k = 0
            while k < max(len(olds), len(news)):
                o = olds[k] if k < len(olds) else None
                n = news[k] if k < len(news) else None
                if o is not None and n is not None and (o.role == "table") != (n.role == "table"):
                    self.piece(o, None)
                    self.piece(None, n)
                else:
                    self.piece(o, n)
                k += 1

    def piece(self, old: Piece | None, new: Piece | None) -> None:
        """One paragraph or table (either side may be ``None``)."""
        ref = new or old
        assert ref is not None
        if ref.role == "table":
            self.table(old, new)
            return
        size = 9 if ref.role in ("note", "example") else None
        bold = ref.role == "term"
        self.paragraph(old.text if old else None, new.text if new else None, ROLE_STYLES.get(ref.role, "Normal"),
                       size=size, bold=bold)

    def unit(self, old: Unit | None, new: Unit | None) -> None:
        """A unit's heading and pieces: added, removed, or both sides diffed."""
        ref = new or old
        assert ref is not None
        self.paragraph(old.heading if old else None, new.heading if new else None, heading_style(ref))
        self.pieces(old.pieces if old else (), new.pieces if new else ())


def _enable_tracking(document) -> None:
    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    el = OxmlElement("w:trackRevisions")
    for child in settings:
        if child.tag in {qn(f"w:{n}") for n in _SETTINGS_AFTER_TRACK}:
            child.addprevious(el)
            return
    settings.append(el)


def write_tracked_docx(pair: DraftPair, new_info: SideInfo, path: Path, author: str | None = None) -> Path:
    """Write the tracked-changes DOCX of one draft present on both sides; returns ``path``.

    Author and date of every revision: ``author`` or ``new_info.author``, and
    ``new_info.date``.  Raises ``ValueError`` when the draft is missing on a side.
    """
    if pair.old is None or pair.new is None:
        raise ValueError(f"draft {pair.standard} is not present on both sides")
    who = author or new_info.author
    d = new_document()
    w = TrackedWriter(d, who, new_info.date_iso)
    w.paragraph(pair.old.title, pair.new.title, "Title", align=WD_ALIGN_PARAGRAPH.CENTER)
    w.paragraph(f"{pair.old.code}　{pair.old.stage}", f"{pair.new.code}　{pair.new.stage}",
                align=WD_ALIGN_PARAGRAPH.CENTER)
    w.paragraph(pair.old.title_en, pair.new.title_en, align=WD_ALIGN_PARAGRAPH.CENTER, size=9)
    for o, n in pair.merged_units():
        w.unit(o, n)
    if pair.old.bibliography or pair.new.bibliography:
        w.paragraph("参考文献", "参考文献", "Heading 1")
        sm = SequenceMatcher(None, pair.old.bibliography, pair.new.bibliography, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            olds, news = pair.old.bibliography[i1:i2], pair.new.bibliography[j1:j2]
            if tag == "equal":
                for b in news:
                    w.paragraph(b, b)
                continue
            for k in range(max(len(olds), len(news))):
                w.paragraph(olds[k] if k < len(olds) else None, news[k] if k < len(news) else None)
    _enable_tracking(d)
    set_core(d, f"{pair.new.title}（修订标记）", who, new_info.date)
    buf = io.BytesIO()
    d.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    epoch = int(new_info.date.timestamp())
    path.write_bytes(normalise_zip(buf.getvalue(), epoch, {"docProps/core.xml": core_dates_rewrite(epoch)}))
    return path
