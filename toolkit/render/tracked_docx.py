"""Output: a draft as DOCX with real Word tracked changes, written by the draft writer.

The changes between the OLD and NEW draft become *change marks* in the document
model (:class:`~toolkit.document.ChangeMark` on :class:`~toolkit.document.Changed`
inline spans, on paragraphs, headings and table rows — pandoc's insertion/deletion
spans), and the one DOCX writer (:func:`toolkit.render.docx_writer.write_docx`)
renders them as ``w:ins``/``w:del``.  So the tracked-changes DOCX has the draft's
styles (``templates/reference.docx``), cover, 目次, headers and page numbers.

Its body is the NEW draft's unit view (:mod:`toolkit.diff.units`: 前言/引言, chapters,
clauses, term entries, annexes) with every difference from the OLD draft marked:
changed characters inside a paragraph are deleted/inserted spans (character-level,
:func:`~toolkit.diff.textdiff.char_ops`); a paragraph added or removed as a whole also
has its paragraph mark tracked; table rows added or removed are tracked rows.  Every
mark carries the author and date of the NEW side (its commit's author and date), so
Word and WPS list them under 审阅 and can accept or reject each one: accepting all
gives the new text, rejecting all the old.  Track changes is switched on
(``w:trackRevisions``) so reviewers' own edits are tracked too.
"""
from __future__ import annotations

import dataclasses
from difflib import SequenceMatcher
from pathlib import Path

from toolkit.diff.changeset import DraftPair
from toolkit.diff.source import SideInfo
from toolkit.diff.textdiff import char_ops
from toolkit.diff.units import Piece, Unit
from toolkit.document import ChangeMark, Changed, DocBlock, Document, Inline, Para, Section, TableDoc, Text
from toolkit.render.docx_writer import write_docx

ROLE_STYLES = {"note": "note", "example": "example", "list": "list", "list2": "list2", "term": "term"}
"""Unit piece role → paragraph role of the draft writer (everything else is body text)."""


class TrackedBuilder:
    """Turns old/new units into model blocks carrying change marks (one ``author``/``date`` for all)."""

    def __init__(self, author: str, date_iso: str):
        self.ins = ChangeMark("ins", author, date_iso)
        self.dele = ChangeMark("del", author, date_iso)

    def inlines(self, old: str | None, new: str | None) -> list[Inline]:
        """``old`` → ``new`` as inline spans: kept text plain, deleted and inserted text marked."""
        if old is None:
            return [Changed(self.ins, new)] if new else []
        if new is None:
            return [Changed(self.dele, old)] if old else []
        out: list[Inline] = []
        for op, text in char_ops(old, new):
            if text:
                out.append(Text(text) if op == "=" else Changed(self.ins if op == "+" else self.dele, text))
        return out

    def para_mark(self, old: str | None, new: str | None) -> ChangeMark | None:
        """The paragraph's own mark: inserted when absent on the old side, deleted when absent on the new."""
        return self.ins if old is None else (self.dele if new is None else None)

    def para(self, old: str | None, new: str | None, style: str = "") -> Para:
        return Para(self.inlines(old, new), style=style, mark=self.para_mark(old, new))

    # -- tables ------------------------------------------------------------
    def table(self, old: Piece | None, new: Piece | None, key: str) -> list[DocBlock]:
        """Caption, unit line and the table: rows aligned by content, changed cells diffed per character."""
        out: list[DocBlock] = [self.para(old.text if old else None, new.text if new else None, "table_caption")]
        ou, nu = (old.unit if old else None), (new.unit if new else None)
        if ou or nu:
            out.append(self.para(f"单位：{ou}" if ou else None, f"单位：{nu}" if nu else None, "table_unit"))
        orows = [list(r) for r in (old.rows if old else ())]
        nrows = [list(r) for r in (new.rows if new else ())]
        ncols_o = len(orows[0]) if orows else 0
        ncols_n = len(nrows[0]) if nrows else 0
        if orows and nrows and ncols_o != ncols_n:  # reshaped: old table out, new table in
            out += self._table_rows(orows, [], ncols_o, f"{key}-old")
            out += self._table_rows([], nrows, ncols_n, key)
        else:
            out += self._table_rows(orows, nrows, ncols_n or ncols_o, key)
        return out

    def _table_rows(self, orows: list[list[str]], nrows: list[list[str]], ncols: int, key: str) -> list[DocBlock]:
        if ncols == 0:
            return []

        def pad(r: list[str]) -> list[str]:
            return (r + [""] * ncols)[:ncols]

        orows, nrows = [pad(r) for r in orows], [pad(r) for r in nrows]
        texts: list[list[str]] = []
        cells: list[list[list[Inline]]] = []
        marks: list[ChangeMark | None] = []

        def row(pairs: list[tuple[str | None, str | None]], mark: ChangeMark | None) -> None:
            texts.append([n if n is not None else (o or "") for o, n in pairs])
            cells.append([self.inlines(o, n) for o, n in pairs])
            marks.append(mark)

        sm = SequenceMatcher(None, [tuple(r) for r in orows], [tuple(r) for r in nrows], autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                for r in nrows[j1:j2]:
                    row([(c, c) for c in r], None)
                continue
            olds, news = orows[i1:i2], nrows[j1:j2]
            paired = min(len(olds), len(news)) if tag == "replace" else 0
            for k in range(paired):
                row(list(zip(olds[k], news[k])), None)
            for r in olds[paired:]:
                row([(c, None) for c in r], self.dele)
            for r in news[paired:]:
                row([(None, c) for c in r], self.ins)
        return [TableDoc(key, "", "", None, texts[0], texts[1:], cell_inlines=cells, row_marks=marks)]

    # -- units -------------------------------------------------------------
    def pieces(self, old: tuple[Piece, ...], new: tuple[Piece, ...], key: str) -> list[DocBlock]:
        """Pieces of one unit, aligned by (role, text); replaced runs paired in order and diffed per character."""
        out: list[DocBlock] = []
        sm = SequenceMatcher(None, [(p.role, p.plain()) for p in old], [(p.role, p.plain()) for p in new],
                             autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            olds, news = list(old[i1:i2]), list(new[j1:j2])
            if tag == "equal":
                for p in news:
                    out += self.piece(p, p, f"{key}-{len(out)}")
                continue
            for k in range(max(len(olds), len(news))):
                o = olds[k] if k < len(olds) else None
                n = news[k] if k < len(news) else None
                if o is not None and n is not None and (o.role == "table") != (n.role == "table"):
                    out += self.piece(o, None, f"{key}-{len(out)}")
                    out += self.piece(None, n, f"{key}-{len(out)}")
                else:
                    out += self.piece(o, n, f"{key}-{len(out)}")
        return out

    def piece(self, old: Piece | None, new: Piece | None, key: str) -> list[DocBlock]:
        """One paragraph or table (either side may be ``None``)."""
        ref = new or old
        assert ref is not None
        if ref.role == "table":
            return self.table(old, new, key)
        return [self.para(old.text if old else None, new.text if new else None, ROLE_STYLES.get(ref.role, ""))]

    def unit(self, old: Unit | None, new: Unit | None) -> Section:
        """A unit as a flat section: heading (level by kind and depth) and pieces, both sides diffed."""
        ref = new or old
        assert ref is not None
        depth = 1 if ref.kind in ("front", "annex") else min(max(ref.depth, 1), 5)
        oh, nh = (old.heading if old else None), (new.heading if new else None)
        return Section(ref.id, ref.number, ref.title, depth, "clause",
                       blocks=self.pieces(old.pieces if old else (), new.pieces if new else (), ref.id),
                       heading_inlines=self.inlines(oh, nh), mark=self.para_mark(oh, nh))

    def bibliography(self, old: list[str], new: list[str]) -> Section:
        """参考文献 as a section of tracked entries."""
        blocks: list[DocBlock] = []
        sm = SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            olds, news = old[i1:i2], new[j1:j2]
            if tag == "equal":
                blocks += [self.para(b, b) for b in news]
                continue
            for k in range(max(len(olds), len(news))):
                blocks.append(self.para(olds[k] if k < len(olds) else None, news[k] if k < len(news) else None))
        return Section("bibliography-tracked", "", "参考文献", 1, "clause", blocks=blocks,
                       heading_inlines=[Text("参考文献")])


def tracked_document(pair: DraftPair, author: str, date_iso: str, epoch: int) -> Document:
    """The NEW draft's Document carrying every change from the OLD one as change marks (see module doc).

    Cover, 目次 and headers show the new draft; the body's title line and code/stage and English-title
    lines, every unit and the 参考文献 are tracked.  Raises ``ValueError`` when the draft is missing on a side.
    """
    if pair.old is None or pair.new is None:
        raise ValueError(f"draft {pair.standard} is not present on both sides")
    old, new = pair.old, pair.new
    b = TrackedBuilder(author, date_iso)
    sections = [b.unit(o, n) for o, n in pair.merged_units()]
    if old.bibliography or new.bibliography:
        sections.append(b.bibliography(old.bibliography, new.bibliography))
    preamble: list[DocBlock] = [b.para(f"{old.code}　{old.stage}", f"{new.code}　{new.stage}"),
                                b.para(old.title_en, new.title_en)]
    return dataclasses.replace(
        new, foreword=[], introduction=[], sections=sections, annexes=[], bibliography=[], revision_table=[],
        title_inlines=b.inlines(old.title, new.title), preamble=preamble, tracked=True, epoch=epoch)


def write_tracked_docx(pair: DraftPair, new_info: SideInfo, path: Path, author: str | None = None) -> Path:
    """Write the tracked-changes DOCX of one draft present on both sides; returns ``path``.

    Author and date of every change mark: ``author`` or ``new_info.author``, and ``new_info.date``
    (which also dates the file).  Raises ``ValueError`` when the draft is missing on a side.
    """
    who = author or new_info.author
    doc = tracked_document(pair, who, new_info.date_iso, int(new_info.date.timestamp()))
    return write_docx(doc, path)
