"""A draft's :class:`~toolkit.document.Document` flattened into comparable units.

A *unit* is what a reviewer points at: 前言/引言 (``front``), a chapter or
clause (``clause``, including annex clauses), a term entry (``term``) or an
annex body (``annex``).  Each unit has its id (the record id — stable across
renumbering), its computed number, its parent id, and its content as
displayed (:class:`Piece` paragraphs and tables, cross references shown with
their labels) plus a *semantic* string in which cross references are written
as ``[[id]]``: renumbering another clause changes the display (``见4.2`` →
``见4.3``) but not the semantic string, so it is no content change.

Units never number anything: numbers and labels come from the Document.
"""
from __future__ import annotations

from dataclasses import dataclass

from toolkit import document as d


@dataclass(frozen=True)
class Piece:
    """One displayed paragraph or table of a unit.

    ``role`` is ``p``, ``list``, ``list2``, ``note``, ``example``, ``normref``,
    ``status``, ``term``, ``definition`` or ``table``.  A table keeps its caption
    line in ``text`` (``表1　标题``), the unit line in ``unit`` and header plus
    body rows in ``rows``.
    """

    role: str
    text: str
    rows: tuple[tuple[str, ...], ...] = ()
    unit: str = ""

    def plain(self) -> str:
        """The piece as plain text: one line, or caption and ``a | b`` rows for a table."""
        if self.role != "table":
            return self.text
        lines = [self.text]
        if self.unit:
            lines.append(f"单位：{self.unit}")
        lines.extend(" | ".join(r) for r in self.rows)
        return "\n".join(lines)


@dataclass(frozen=True)
class Unit:
    """A comparable unit of a draft (see module doc). ``number`` is ``""`` for front matter."""

    id: str
    kind: str  # front | clause | term | annex
    number: str
    title: str
    parent: str | None
    depth: int
    pieces: tuple[Piece, ...]
    semantic: str

    @property
    def heading(self) -> str:
        """``4.2　总体要求``, ``附录A　指标表``, ``前言``, or the bare number for an untitled clause."""
        if self.number and self.title:
            return f"{self.number}　{self.title}"
        return self.number or self.title

    @property
    def text(self) -> str:
        """All pieces as plain text, one per line."""
        return "\n".join(p.plain() for p in self.pieces)

    @property
    def ref(self) -> str:
        """How the 前言 and tables cite the unit: ``4.2``, ``附录A``, ``前言``."""
        return self.number or self.title


def _sem(inlines: list[d.Inline] | None) -> str:
    if not inlines:
        return ""
    return "".join(i.text if isinstance(i, d.Text) else f"[[{i.target}]]" for i in inlines)


def _table_rows(t: d.TableDoc) -> tuple[tuple[str, ...], ...]:
    return (tuple(t.header),) + tuple(tuple(r) for r in t.rows)


def block_pieces(b: d.DocBlock) -> list[Piece]:
    """Displayed pieces of one document block."""
    if isinstance(b, d.Para):
        return [Piece("p", d.plain(b.inlines))]
    if isinstance(b, d.ListDoc):
        out = [Piece("p", d.plain(b.intro))] if b.intro else []
        for e in b.entries:
            out.append(Piece("list", f"{e.label}　{d.plain(e.inlines)}"))
            out.extend(Piece("list2", f"{c.label}　{d.plain(c.inlines)}") for c in e.children)
        return out
    if isinstance(b, d.NoteDoc):
        return [Piece("note", b.label + d.plain(b.inlines))]
    if isinstance(b, d.ExampleDoc):
        return [Piece("example", b.label + d.plain(b.inlines))]
    if isinstance(b, d.TableDoc):
        return [Piece("table", f"{b.number}　{b.caption}", _table_rows(b), b.unit or "")]
    if isinstance(b, d.NormRefDoc):
        return [Piece("normref", "　".join(x for x in (b.code, b.title) if x))]
    raise TypeError(f"unknown document block {type(b).__name__}")


def block_semantic(b: d.DocBlock) -> str:
    """One block as a semantic string (cross references as ``[[id]]``, table numbers left out)."""
    if isinstance(b, d.Para):
        return "P:" + _sem(b.inlines)
    if isinstance(b, d.ListDoc):
        parts = ["L:" + _sem(b.intro)]
        for e in b.entries:
            parts.append(f"{e.label}{_sem(e.inlines)}")
            parts.extend(f"  {c.label}{_sem(c.inlines)}" for c in e.children)
        return "\n".join(parts)
    if isinstance(b, d.NoteDoc):
        return "N:" + _sem(b.inlines)
    if isinstance(b, d.ExampleDoc):
        return "E:" + _sem(b.inlines)
    if isinstance(b, d.TableDoc):
        rows = "\n".join("|".join(r) for r in _table_rows(b))
        return f"T:{b.id}:{b.caption}:{b.unit or ''}\n{rows}"
    if isinstance(b, d.NormRefDoc):
        return f"R:{b.id}:{b.code}:{b.title}"
    raise TypeError(f"unknown document block {type(b).__name__}")


def _blocks(blocks: list[d.DocBlock]) -> tuple[tuple[Piece, ...], str]:
    pieces: list[Piece] = []
    for b in blocks:
        pieces.extend(block_pieces(b))
    return tuple(pieces), "\n".join(block_semantic(b) for b in blocks)


def _section_units(sec: d.Section, parent: str | None, out: list[Unit]) -> None:
    if sec.kind == "term":
        pieces = [Piece("term", "　".join(x for x in (sec.term or sec.title, sec.term_en or "") if x)),
                  Piece("definition", d.plain(sec.definition or []))]
        if sec.term_note:
            pieces.append(Piece("note", "注：" + d.plain(sec.term_note)))
        sem = f"TERM:{sec.term}|{sec.term_en or ''}|{_sem(sec.definition)}|{_sem(sec.term_note)}"
        out.append(Unit(sec.id, "term", sec.number, sec.title, parent, sec.depth, tuple(pieces), sem))
    else:
        pieces, sem = _blocks(sec.blocks)
        out.append(Unit(sec.id, "clause", sec.number, sec.title, parent, sec.depth, pieces,
                        f"H:{sec.title}|{sec.kind}\n{sem}"))
    for child in sec.children:
        _section_units(child, sec.id, out)


def document_units(doc: d.Document) -> list[Unit]:
    """Every unit of ``doc`` in reading order: 前言, 引言, chapters/clauses/terms, annexes and their clauses."""
    out: list[Unit] = []
    for uid, title, blocks in (("foreword", "前言", doc.foreword), ("introduction", "引言", doc.introduction)):
        if blocks:
            pieces, sem = _blocks(blocks)
            out.append(Unit(uid, "front", "", title, None, 1, pieces, sem))
    for sec in doc.sections:
        _section_units(sec, None, out)
    for a in doc.annexes:
        pieces, sem = _blocks(a.blocks)
        pieces = (Piece("status", a.status),) + pieces
        out.append(Unit(a.id, "annex", a.label, a.title, None, 1, pieces,
                        f"A:{a.title}|{a.normative}\n{sem}"))
        for c in a.children:
            _section_units(c, a.id, out)
    return out


COVER_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "标准名称"), ("title_en", "英文名称"), ("code", "标准编号"), ("stage", "阶段"),
    ("ics", "ICS"), ("ccs", "CCS"), ("issuer", "发布机构"), ("date_issue", "发布日期"),
    ("date_implement", "实施日期"), ("bibliography", "参考文献"),
)
"""Document-level fields compared as the draft's own (cover) changes: ``(attribute, Chinese label)``."""


def cover_values(doc: d.Document) -> dict[str, str]:
    """Cover facts of a document as strings (bibliography one entry per line)."""
    out: dict[str, str] = {}
    for attr, _ in COVER_FIELDS:
        v = getattr(doc, attr)
        out[attr] = "\n".join(v) if isinstance(v, list) else str(v or "")
    return out
