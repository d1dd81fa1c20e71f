"""Anchors of a circulated draft: record id ↔ Word bookmark, clause number ↔ record id.

Every clause heading, term entry, table caption and annex heading of a draft DOCX carries
a Word bookmark named :func:`toolkit.render.draft_layout.bookmark_name` of its record id
(``_Toc`` + 10 hex digits of the id's SHA-1: ≤ 40 characters, only letters and digits,
hidden in Word's bookmark list, identical in every build).  The name cannot be read
back, so :class:`AnchorIndex` builds the reverse map from the document model of the
draft as circulated.  Numbers (``5.1.2``, ``表A.1``, ``附录B``, ``3.4``) resolve to ids
in the same index, for 征求意见表 rows and for the fallback when a reviewer's copy has
lost its bookmarks.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from toolkit.document import Document, Para, TableDoc, plain
from toolkit.render import draft_layout as lay


@dataclass(frozen=True)
class Anchor:
    """One anchorable record: ``id``, ``kind`` (clause, term, table, annex, foreword), ``number`` as printed, ``title``, ``text`` (plain text of its own blocks)."""

    id: str
    kind: str
    number: str
    title: str
    text: str


def normalize_number(raw: str) -> str:
    """A clause number as written in a form → canonical key (``表 A.1`` → ``表A.1``, ``第5.1条`` → ``5.1``, ``附录 b`` → ``附录B``).

    Full-width digits and dots are folded (NFKC), spaces removed, a trailing 条/章/款 and a
    leading 第 dropped.  Returns ``""`` for an empty cell.
    """
    s = unicodedata.normalize("NFKC", str(raw or "")).strip()
    s = re.sub(r"\s+", "", s)
    s = s.replace("。", ".").replace("．", ".")
    s = re.sub(r"^第", "", s)
    s = re.sub(r"[条章款]$", "", s)
    m = re.fullmatch(r"(表|附录|图)([A-Za-z]?)(.*)", s)
    if m:
        s = m.group(1) + m.group(2).upper() + m.group(3)
    m = re.fullmatch(r"([A-Za-z])(\.\d+)*", s)
    if m:
        s = s[0].upper() + s[1:]
    return s


def _blocks_text(blocks) -> str:
    parts = []
    for b in blocks:
        if isinstance(b, Para):
            parts.append(plain(b.inlines))
        elif isinstance(b, TableDoc):
            parts.append(b.caption)
        elif hasattr(b, "inlines"):
            parts.append(plain(b.inlines))
        elif hasattr(b, "entries"):
            parts.extend(plain(e.inlines) for e in b.entries)
    return "".join(parts)


class AnchorIndex:
    """Anchors of one document: by id, by bookmark name and by number.

    ``by_bookmark`` maps a Word bookmark name to its record id; ``resolve_number``
    turns a form's 章条编号 into an id (``None`` if that number does not exist).
    ``parents`` maps a table id to the clause that holds it.
    """

    def __init__(self, doc: Document):
        self.doc = doc
        self.anchors: dict[str, Anchor] = {}
        self.by_number: dict[str, str] = {}
        self.parents: dict[str, str] = {}
        self.anchors[lay.FOREWORD_ID] = Anchor(lay.FOREWORD_ID, "foreword", "前言", "前言", _blocks_text(doc.foreword))
        self.by_number["前言"] = lay.FOREWORD_ID
        if doc.introduction:
            self.anchors[lay.INTRODUCTION_ID] = Anchor(lay.INTRODUCTION_ID, "introduction", "引言", "引言",
                                                       _blocks_text(doc.introduction))
            self.by_number["引言"] = lay.INTRODUCTION_ID
        for s in doc.walk():
            kind = "term" if s.kind == "term" else "clause"
            text = _blocks_text(s.blocks) + (plain(s.definition) if s.definition else "")
            self.anchors[s.id] = Anchor(s.id, kind, s.number, s.title, text)
            self.by_number.setdefault(s.number, s.id)
            for b in s.blocks:
                if isinstance(b, TableDoc):
                    self._table(b, s.id)
        for a in doc.annexes:
            self.anchors[a.id] = Anchor(a.id, "annex", a.label, a.title, _blocks_text(a.blocks))
            self.by_number[a.label] = a.id
            self.by_number[a.letter] = a.id
            for b in a.blocks:
                if isinstance(b, TableDoc):
                    self._table(b, a.id)
        self.by_bookmark = {lay.bookmark_name(i): i for i in self.anchors}

    def _table(self, t: TableDoc, parent: str) -> None:
        number = t.number.replace(" ", "")
        self.anchors[t.id] = Anchor(t.id, "table", number, t.caption, "")
        self.by_number[number] = t.id
        self.parents[t.id] = parent

    def resolve_number(self, raw: str) -> str | None:
        """Id of the record numbered ``raw`` in this document (see :func:`normalize_number`), or ``None``."""
        key = normalize_number(raw)
        return self.by_number.get(key) if key else None

    def number_of(self, id_: str) -> str | None:
        """Printed number of ``id_`` (``5.1.2``, ``表A.1``, ``附录B``), or ``None`` if absent."""
        a = self.anchors.get(id_)
        return a.number if a else None

    def clause_of(self, id_: str) -> str:
        """The clause or annex that holds ``id_`` (a table's parent), else ``id_`` itself."""
        return self.parents.get(id_, id_)


HEADING_RE = re.compile(r"^\s*((?:[A-Z](?:\.\d+)+)|(?:\d+(?:\.\d+)*))[\s　]+(\S.*)?$")
"""A heading or an untitled clause's first line as printed: number, a space (often 　), title or text."""

ANNEX_RE = re.compile(r"^\s*附\s*录\s*([A-Z])")
TABLE_RE = re.compile(r"^\s*表\s*([A-Z]?\.?\d+)")


def match_heading(index: AnchorIndex, text: str) -> str | None:
    """The id of the clause, term, annex or table whose heading/caption line ``text`` is, or ``None``.

    Fallback when bookmarks are missing: the number must exist in the circulated draft
    *and* the rest of the line must agree with that record (its title, or for untitled
    clauses the start of its text); anything less is not a match (no guessing).
    """
    text = unicodedata.normalize("NFKC", text).strip()
    m = ANNEX_RE.match(text)
    if m:
        return index.by_number.get(f"附录{m.group(1)}")
    m = TABLE_RE.match(text)
    if m:
        tid = index.by_number.get(f"表{m.group(1)}")
        if tid and index.anchors[tid].title and unicodedata.normalize("NFKC", index.anchors[tid].title) in text:
            return tid
        return None
    m = HEADING_RE.match(text)
    if not m:
        return None
    id_ = index.by_number.get(m.group(1))
    if id_ is None:
        return None
    a = index.anchors[id_]
    rest = (m.group(2) or "").strip()
    want = unicodedata.normalize("NFKC", a.title or a.text[:12]).strip()
    if want and rest and (rest.startswith(want[:12]) or want.startswith(rest[:12])):
        return id_
    return None
