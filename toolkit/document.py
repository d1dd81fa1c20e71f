"""Document model: a draft resolved into one numbered tree that every writer consumes.

Like pandoc's AST or xml2rfc's prep stage: numbering (chapters 1, clauses
4.1.2, tables 表 3 / 表 A.1, annexes 附录 A, notes 注1/注2, 列项 a) 1)), generated
content (规范性引用文件 list, 术语和定义 entries, indicator tables from the
registry, 五级三类 matrices) and cross references (``[[id]]`` → ``4.1`` / ``表 2`` /
``附录 A``) are all computed here, once.  The DOCX, PDF/HTML, Markdown writers and
the site never read YAML and never number anything themselves.

Entry point: :func:`build_document` ``(corpus, standard_id) -> Document``.
Anchors are the record ids (stable across builds and renumbering).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

from toolkit import model as m
from toolkit.corpus import Corpus, table_targets
from toolkit.deps import derived
from toolkit.provenance import drafted_fields_summary
from toolkit.refs_order import sorted_references
from toolkit.repro import find_epoch
from toolkit.stages import PATENT_NOTICE, stage_rule
from toolkit.textfmt import REF_RE  # re-exported: the ``[[id]]`` cross-reference syntax

COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "＝"}


# ---------------------------------------------------------------------- inline
@dataclass(frozen=True)
class Text:
    """Plain text run."""

    text: str


@dataclass(frozen=True)
class Ref:
    """Cross reference: ``label`` shown (e.g. ``表 2``), ``target`` the id, ``kind`` of target."""

    label: str
    target: str
    kind: str  # clause | table | annex | indicator | standard | term | unresolved


@dataclass(frozen=True)
class ChangeMark:
    """A tracked change, as pandoc's insertion/deletion spans carry it: ``kind`` (``ins``/``del``),
    ``author`` and ``date`` (ISO 8601 UTC, ``2026-03-02T01:30:00Z``).  Writers that know revisions
    (the DOCX writer: ``w:ins``/``w:del``) render it; a Document without marks has none."""

    kind: Literal["ins", "del"]
    author: str
    date: str


@dataclass(frozen=True)
class Changed:
    """Text inserted or deleted by a tracked change (:class:`ChangeMark`)."""

    mark: ChangeMark
    text: str


Inline = Union[Text, Ref, Changed]


def plain(inlines: list[Inline]) -> str:
    """Inline runs as plain text (inserted and deleted text both included)."""
    return "".join(i.label if isinstance(i, Ref) else i.text for i in inlines)


# ---------------------------------------------------------------------- blocks
@dataclass
class Para:
    """A paragraph.  ``style`` names a paragraph role of the writers (``""`` body text, or ``note``,
    ``example``, ``list``, ``list2``, ``term``, ``table_caption``, ``table_unit``); ``mark`` tracks the
    paragraph itself as inserted or deleted (its paragraph mark, in Word)."""

    inlines: list[Inline]
    kind: Literal["para"] = "para"
    style: str = ""
    mark: ChangeMark | None = None


@dataclass
class ListEntry:
    label: str  # "a)", "1)", "——"
    inlines: list[Inline]
    children: list["ListEntry"] = field(default_factory=list)


@dataclass
class ListDoc:
    intro: list[Inline] | None
    entries: list[ListEntry]
    kind: Literal["list"] = "list"


@dataclass
class NoteDoc:
    label: str  # "注：" or "注1："
    inlines: list[Inline]
    kind: Literal["note"] = "note"


@dataclass
class ExampleDoc:
    label: str  # "示例：" or "示例1："
    inlines: list[Inline]
    kind: Literal["example"] = "example"


@dataclass
class TableDoc:
    """A numbered table; ``header`` and ``rows`` are plain strings (already resolved)."""

    id: str
    number: str  # "表 1" / "表 A.1"
    caption: str
    unit: str | None
    header: list[str]
    rows: list[list[str]]
    generated: str = ""  # "" | "indicators" | "cells"
    kind: Literal["table"] = "table"
    cell_inlines: list[list[list[Inline]]] | None = None
    """Tracked tables: the header row and then each row as inline lists per cell (instead of the strings)."""
    row_marks: list[ChangeMark | None] | None = None
    """Tracked tables: per row (header first), the row inserted or deleted as a whole."""
    review_note: str = ""  # review build only: which shown fields the corpus drafted (toolkit.provenance)


@dataclass
class NormRefDoc:
    """One entry of 规范性引用文件: ``code`` (may be empty) and title."""

    id: str
    code: str
    title: str
    kind: Literal["normref"] = "normref"


DocBlock = Union[Para, ListDoc, NoteDoc, ExampleDoc, TableDoc, NormRefDoc]


@dataclass
class Section:
    """A chapter, clause or term entry with its computed number.

    ``depth`` 1 = chapter (章), 2+ = clause (条).  ``kind`` is scope/normrefs/
    terms/clause/term.  Term entries carry ``term``/``term_en``/``definition``.
    """

    id: str
    number: str
    title: str
    depth: int
    kind: str
    blocks: list[DocBlock] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    source: str | None = None
    drafted: bool = False
    term: str | None = None
    term_en: str | None = None
    definition: list[Inline] | None = None
    term_note: list[Inline] | None = None
    heading_inlines: list[Inline] | None = None
    """Tracked documents: the heading as inlines carrying change marks (instead of :attr:`heading`)."""
    mark: ChangeMark | None = None
    """Tracked documents: the heading paragraph inserted or deleted as a whole."""

    @property
    def heading(self) -> str:
        """``4.2　总体要求``; the bare number of an untitled clause, the bare title of an unnumbered one (前言)."""
        return f"{self.number}　{self.title}" if self.title and self.number else (self.number or self.title)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class AnnexDoc:
    """附录 with its letter, 规范性/资料性 label, blocks and sub-clauses (A.1, A.2…)."""

    id: str
    letter: str
    title: str
    normative: bool
    blocks: list[DocBlock] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    source: str | None = None
    drafted: bool = False

    @property
    def label(self) -> str:
        return f"附录{self.letter}"

    @property
    def status(self) -> str:
        return "（规范性）" if self.normative else "（资料性）"


@dataclass
class RevisionRowDoc:
    id: str
    clause: str
    original: str
    revised: str
    reason: str


@dataclass
class AmendmentDoc:
    """One item of a 标准修改单: ``clause`` of the base standard, ``action`` 修改/增加/删除, old and new wording."""

    id: str
    number: int
    clause: str
    action: str
    original: list[Inline] | None
    text: list[Inline] | None
    reason: str | None = None
    source: str | None = None
    drafted: bool = False

    @property
    def lead(self) -> str:
        """The item's lead sentence, e.g. ``第5.2条修改为：`` / ``第5.2条后增加：`` / ``删除第5.2条中的：``."""
        where = self.clause if self.clause.startswith(("表", "图", "附录", "第")) else f"第{self.clause}条"
        return {"修改": f"{where}修改为：", "增加": f"{where}后增加：", "删除": f"删除{where}中的："}[self.action]


REVISION_HEADER = ["条款", "原条文", "修订后条文", "修订理由"]
"""Columns of the 修订对照表."""
REVISION_ANNEX_ID = "revision-table"
"""Anchor of the 修订对照表 annex (stable across builds)."""


def revision_annex(letter: str, rows: list["RevisionRowDoc"], replaces: str | None) -> "AnnexDoc":
    """The 修订对照表 as a lettered informative annex (附录X（资料性）修订对照表, table 表X.1).

    GB/T 1.1—2020 places every annex before 参考文献 and the end line; the table
    compares the base edition's clauses with the new text and gives the reasons.
    """
    old = replaces or "被修订文件"
    note = Para([Text(f"表{letter}.1给出了本文件与{old}的条款对照、修订内容及修订理由。")])
    table = TableDoc(REVISION_ANNEX_ID + "-table", f"表{letter}.1", "修订对照表", None, list(REVISION_HEADER),
                     [[r.clause, r.original, r.revised, r.reason] for r in rows], generated="revision")
    return AnnexDoc(REVISION_ANNEX_ID, letter, "修订对照表", False, [note, table], [], None, True)


@dataclass
class Document:
    """A draft ready for writers.

    Cover facts: ``code`` (e.g. ``TD/T XXXX—20XX``), ``title``, ``title_en``,
    ``stage`` (征求意见稿), ``ics``, ``ccs``, ``issuer``, dates.  Body:
    ``foreword``, ``introduction``, ``sections`` (chapters), ``annexes``,
    ``bibliography``, ``revision_table``.  ``labels`` maps every referable id to
    its label.
    """

    standard_id: str
    title: str
    title_en: str
    code: str
    stage: str
    ics: str
    ccs: str
    issuer: str
    date_issue: str
    date_implement: str
    category: str
    action: str
    foreword: list[DocBlock]
    introduction: list[DocBlock]
    sections: list[Section]
    annexes: list[AnnexDoc]
    bibliography: list[str]
    revision_table: list[RevisionRowDoc]
    labels: dict[str, str]
    replaces: str | None = None
    title_inlines: list[Inline] | None = None
    """Tracked documents: the body's title line with change marks; ``preamble`` follows it (code/stage lines)."""
    preamble: list[DocBlock] = field(default_factory=list)
    tracked: bool = False
    """The document carries change marks: the DOCX switches on 修订 (track changes) for its readers too."""
    epoch: int | None = None
    """Unix seconds (UTC) dating the files written from this document (:func:`toolkit.repro.build_epoch` of the
    corpus; ``None`` when the corpus has no date, and then writers refuse the document)."""
    doc_type: str | None = None
    stage_label: str = ""
    patent_notice: str | None = None
    completion_date: str | None = None
    filing_number: str | None = None
    form: str = "standard"
    amendments: list["AmendmentDoc"] = field(default_factory=list)
    base_code: str | None = None
    base_title: str | None = None

    def walk(self):
        """All sections (chapters, clauses, term entries, annex clauses) in document order."""
        for s in self.sections:
            yield from s.walk()
        for a in self.annexes:
            for c in a.children:
                yield from c.walk()

    def tables(self) -> list[TableDoc]:
        out: list[TableDoc] = []

        def blocks_of(blocks):
            for b in blocks:
                if isinstance(b, TableDoc):
                    out.append(b)

        for s in self.walk():
            blocks_of(s.blocks)
        for a in self.annexes:
            blocks_of(a.blocks)
        return out


# ---------------------------------------------------------------------- formatting helpers
def format_number(v: float) -> str:
    """Numbers as a drafter writes them: 50 not 50.0, 0.35 kept."""
    if float(v).is_integer():
        return str(int(v))
    return f"{v:g}"


def format_target(t: m.Target, unit: str = "") -> str:
    """A target as text, e.g. ``≥50%（新建公共建筑）`` or ``30～50%``."""
    u = "" if unit in ("", "ratio", "index") else unit
    if t.comparator == "range":
        s = f"{format_number(t.value)}～{format_number(t.value_max)}{u}"
    else:
        s = f"{COMPARATOR_SIGNS[t.comparator]}{format_number(t.value)}{u}"
    if t.context:
        s += f"（{t.context}）"
    return s


def indicator_targets_text(corpus: Corpus, ind: m.Indicator, level: str | None = None,
                           plan_type: str | None = None, targets: list | None = None) -> str:
    """Distinct targets of an indicator as one cell text, or 由地方结合实际确定.

    ``targets`` (resolved targets) limits the candidates, e.g. to those a draft
    states itself (:func:`toolkit.corpus.table_targets`); default: every target
    of the indicator in the corpus (registry pages and tables).
    """
    seen: list[str] = []
    pool = corpus.targets_of(ind.id) if targets is None else [rt for rt in targets if rt.indicator == ind.id]
    for rt in pool:
        if rt.target.case:
            continue
        if level and rt.level and rt.level != level:
            continue
        if plan_type and rt.plan_type and rt.plan_type != plan_type:
            continue
        s = format_target(rt.target, ind.unit)
        if s not in seen:
            seen.append(s)
    if not seen:
        return "由地方结合实际确定"
    return "；".join(sorted(seen))


def unit_label(unit: str) -> str:
    return {"ratio": "—", "index": "—"}.get(unit, unit)


# ---------------------------------------------------------------------- builder
class _Builder:
    def __init__(self, corpus: Corpus, draft: m.Draft, standard: m.Standard):
        self.c = corpus
        self.d = draft
        self.s = standard
        self.labels: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.body_tables = 0
        self.annex_tables: dict[str, int] = {}

    # -- pass 1: labels -------------------------------------------------
    def number_all(self) -> None:
        for i, ch in enumerate(self.d.clauses, 1):
            self._label_clause(ch, str(i))
        for _, b, _ in self._iter_blocks_with_annex():
            pass
        table_no = 0
        for ch in self.d.clauses:
            for cl in _walk_clause(ch):
                for b in cl.blocks:
                    if isinstance(b, (m.TableBlock, m.IndicatorTableBlock, m.MatrixBlock)):
                        table_no += 1
                        self._set(b.id, f"表{table_no}", "table")
        for ai, a in enumerate(self.d.annexes):
            letter = chr(ord("A") + ai)
            self._set(a.id, f"附录{letter}", "annex")
            n = 0
            blocks = list(a.blocks) + [b for c in a.clauses for cl in _walk_clause(c) for b in cl.blocks]
            for b in blocks:
                if isinstance(b, (m.TableBlock, m.IndicatorTableBlock, m.MatrixBlock)):
                    n += 1
                    self._set(b.id, f"表{letter}.{n}", "table")
            for ci, c in enumerate(a.clauses, 1):
                self._label_clause(c, f"{letter}.{ci}")
        for t in self.d.terms:
            self._set(t.id, t.term, "term")

    def _iter_blocks_with_annex(self):
        return []

    def _set(self, id_: str, label: str, kind: str) -> None:
        self.labels.setdefault(id_, label)
        self.kinds.setdefault(id_, kind)

    def _label_clause(self, cl: m.Clause, number: str) -> None:
        self._set(cl.id, number, "clause")
        for i, sub in enumerate(cl.clauses, 1):
            self._label_clause(sub, f"{number}.{i}")

    # -- inline ---------------------------------------------------------
    def inl(self, text: str) -> list[Inline]:
        out: list[Inline] = []
        pos = 0
        for mt in REF_RE.finditer(text):
            if mt.start() > pos:
                out.append(Text(text[pos:mt.start()]))
            rid = mt.group(1)
            if rid in self.labels:
                out.append(Ref(self.labels[rid], rid, self.kinds[rid]))
            elif rid in self.c.indicators:
                out.append(Ref(self.c.indicators[rid].name, rid, "indicator"))
            elif rid in self.c.standards:
                out.append(Ref(f"《{self.c.standards[rid].title}》", rid, "standard"))
            elif rid in self.c.references:
                r = self.c.references[rid]
                out.append(Ref(r.code or f"《{r.title}》", rid, "reference"))
            else:
                out.append(Ref(f"[[{rid}]]", rid, "unresolved"))
            pos = mt.end()
        if pos < len(text):
            out.append(Text(text[pos:]))
        return out

    # -- blocks ---------------------------------------------------------
    def blocks(self, blocks: list) -> list[DocBlock]:
        notes = sum(isinstance(b, m.NoteBlock) for b in blocks)
        examples = sum(isinstance(b, m.ExampleBlock) for b in blocks)
        ni = ei = 0
        out: list[DocBlock] = []
        for b in blocks:
            if isinstance(b, m.Paragraph):
                out.append(Para(self.inl(b.text)))
            elif isinstance(b, m.ListBlock):
                out.append(self.list_block(b))
            elif isinstance(b, m.NoteBlock):
                ni += 1
                out.append(NoteDoc("注：" if notes == 1 else f"注{ni}：", self.inl(b.text)))
            elif isinstance(b, m.ExampleBlock):
                ei += 1
                out.append(ExampleDoc("示例：" if examples == 1 else f"示例{ei}：", self.inl(b.text)))
            elif isinstance(b, m.TableBlock):
                out.append(TableDoc(b.id, self.labels.get(b.id, "表"), b.caption, b.unit, list(b.header),
                                    [[plain(self.inl(str(cell))) for cell in row] for row in b.rows]))
            elif isinstance(b, m.IndicatorTableBlock):
                out.append(self.indicator_table(b))
            elif isinstance(b, m.MatrixBlock):
                out.append(self.cell_matrix(b))
        return out

    def list_block(self, b: m.ListBlock) -> ListDoc:
        entries: list[ListEntry] = []
        for i, item in enumerate(b.items):
            label = _list_label(b.style, i)
            if isinstance(item, m.ListItem):
                kids = [ListEntry(_list_label("numeric", j), self.inl(t)) for j, t in enumerate(item.items)]
                entries.append(ListEntry(label, self.inl(item.text), kids))
            else:
                entries.append(ListEntry(label, self.inl(item)))
        return ListDoc(self.inl(b.intro) if b.intro else None, entries)

    def indicator_table(self, b: m.IndicatorTableBlock) -> TableDoc:
        header = ["序号", "指标名称", "单位", "指标属性", "目标值及适用情形", "适用层级"]
        rows: list[list[str]] = []
        own = table_targets(self.c, self.s.id, b)
        for i, iid in enumerate(b.indicators, 1):
            ind = self.c.indicators.get(iid)
            if ind is None:
                rows.append([str(i), f"[[{iid}]]", "", "", "", ""])
                continue
            attr = ind.kind + (f"（{ind.rigidity}）" if ind.rigidity else "")
            levels = "、".join(self.c.levels[l].name for l in ind.levels if l in self.c.levels) or "—"
            rows.append([str(i), ind.name, unit_label(ind.unit), attr,
                         indicator_targets_text(self.c, ind, b.level, b.plan_type, own), levels])
        note = drafted_fields_summary((self.c.indicators[i] for i in b.indicators if i in self.c.indicators),
                                      shown=["kind", "rigidity", "unit"])
        return TableDoc(b.id, self.labels.get(b.id, "表"), b.caption, None, header, rows, generated="indicators",
                        review_note=note)

    def cell_matrix(self, b: m.MatrixBlock) -> TableDoc:
        header = ["规划层级与类型", *b.columns]
        rows: list[list[str]] = []
        for cell in self.c.cells_sorted():
            if cell.id in b.rows:
                rows.append([cell.name, *[plain(self.inl(v)) for v in b.rows[cell.id]]])
        for cid, vals in b.rows.items():  # unknown cells are kept visible (and reported by checks)
            if cid not in self.c.cells:
                rows.append([cid, *vals])
        return TableDoc(b.id, self.labels.get(b.id, "表"), b.caption, None, header, rows, generated="cells")

    # -- sections -------------------------------------------------------
    def section(self, cl: m.Clause, depth: int) -> Section:
        sec = Section(cl.id, self.labels[cl.id], cl.title or "", depth, cl.kind, self.blocks(cl.blocks),
                      source=cl.source, drafted=cl.drafted)
        if cl.kind == "normrefs":
            for rid in sorted_references(self.c, list(self.d.normative_references)):
                if rid in self.c.references:
                    r = self.c.references[rid]
                    sec.blocks.append(NormRefDoc(rid, r.code or "", r.title))
                elif rid in self.c.standards:
                    st = self.c.standards[rid]
                    sec.blocks.append(NormRefDoc(rid, st.code or "", st.title))
                else:
                    sec.blocks.append(NormRefDoc(rid, "", f"[[{rid}]]"))
            pending = [r for r in sorted_references(self.c, list(self.d.pending_references))
                       if r in self.d.normative_references]
            if pending:
                codes = "、".join(b.code or b.title for b in sec.blocks
                                 if isinstance(b, NormRefDoc) and b.id in pending)
                sec.blocks.append(NoteDoc("注：", [Text(f"{codes}正在制定，本文件发布时以其发布版本为准。")]))
        if cl.kind == "terms":
            for i, t in enumerate(self.d.terms, 1):
                sec.children.append(Section(t.id, f"{sec.number}.{i}", t.term, depth + 1, "term",
                                            source=t.source, drafted=t.drafted, term=t.term, term_en=t.term_en,
                                            definition=self.inl(t.definition),
                                            term_note=self.inl(t.note) if t.note else None))
                if t.borrowed_from:  # [来源：…] closes the entry (GB/T 1.1—2020, 8.7.3)
                    sec.children[-1].blocks.append(Para([Text(f"[来源：{t.borrowed_from}]")]))
                self.labels.setdefault(t.id, f"{sec.number}.{i}")
        for sub in cl.clauses:
            sec.children.append(self.section(sub, depth + 1))
        return sec

    def build(self) -> Document:
        self.number_all()
        sections = [self.section(ch, 1) for ch in self.d.clauses]
        annexes: list[AnnexDoc] = []
        for ai, a in enumerate(self.d.annexes):
            letter = chr(ord("A") + ai)
            annexes.append(AnnexDoc(a.id, letter, a.title, a.normative, self.blocks(a.blocks),
                                    [self.section(c, 2) for c in a.clauses], a.source, a.drafted))
        title = self.s.title
        replaces = None if self.d.basis or self.d.form == "amendment" else (
            self.d.base_edition.code if self.d.base_edition else _replaced_code(self.c, self.s))
        revision_rows = [RevisionRowDoc(r.id, r.clause, r.original, r.revised, r.reason) for r in self.d.revision_table]
        if revision_rows:
            annexes.append(revision_annex(chr(ord("A") + len(annexes)), revision_rows, replaces))
            self.labels.setdefault(REVISION_ANNEX_ID, f"附录{annexes[-1].letter}")
        rule = stage_rule(self.d.stage)
        amendments = [AmendmentDoc(a.id, i, a.clause, a.action, self.inl(a.original) if a.original else None,
                                   self.inl(a.text) if a.text else None, a.reason, a.source, a.drafted)
                      for i, a in enumerate(self.d.amendments, 1)]
        return Document(
            standard_id=self.s.id, title=title, title_en=self.d.title_en, code=self.d.code, stage=self.d.stage,
            ics=self.d.ics, ccs=self.d.ccs, issuer=self.d.issuer, date_issue=self.d.date_issue,
            date_implement=self.d.date_implement, category=self.s.category, action=self.s.action,
            foreword=self.blocks(self.d.foreword), introduction=self.blocks(self.d.introduction),
            sections=sections, annexes=annexes, bibliography=list(self.d.bibliography),
            revision_table=revision_rows,
            labels=dict(self.labels), replaces=replaces, epoch=find_epoch(self.c.root), doc_type=self.d.doc_type, stage_label=rule.label,
            patent_notice=PATENT_NOTICE if rule.patent_notice else None,
            completion_date=self.d.completion_date if rule.completion_date else None,
            filing_number=self.d.filing_number, form=self.d.form, amendments=amendments,
            base_code=self.d.base_edition.code if self.d.base_edition else replaces,
            base_title=self.d.base_edition.title if self.d.base_edition else None,
        )


def _replaced_code(corpus: Corpus, st: m.Standard) -> str | None:
    """Code of the edition a revision replaces (the 代替 line), or ``None``.

    The catalogue's ``code`` is the code of the *new* edition (e.g. ``TD/T 1063—20XX``);
    the replaced edition is the registered reference with the same number and a real
    year (``TD/T 1063—2021``), the latest if several.  New standards, placeholder
    numbers (``XXXX``) and revisions of documents without a code give ``None``.
    """
    if st.action != "revise" or not st.code:
        return None
    base = st.code.split("—")[0].strip()
    if not base or "X" in base.upper().split(" ", 1)[-1]:
        return None
    found = [code for code in reference_codes_numbered(corpus, base) if code != st.code]
    return found[-1] if found else None


def clause_numbers(corpus: Corpus, standard_id: str) -> dict[str, str]:
    """Clause id → its number (``5.2.1``, ``A.3``) in the draft of ``standard_id``: the numbering pass
    of :func:`build_document` alone (the same numbers, without building the document).
    Raises ``KeyError`` when there is no such draft."""
    b = _Builder(corpus, corpus.drafts[standard_id], corpus.standards.get(standard_id))
    b.number_all()
    return {k: v for k, v in b.labels.items() if b.kinds[k] == "clause"}


def numbered_ids(corpus: Corpus, standard_id: str) -> set[str]:
    """Ids of every clause, term, table and annex of the draft of ``standard_id``: what the numbering pass of
    :func:`build_document` labels (each of them is an anchor of the built document).  Raises ``KeyError``
    when there is no such draft."""
    b = _Builder(corpus, corpus.drafts[standard_id], corpus.standards.get(standard_id))
    b.number_all()
    return set(b.labels)


@derived
def reference_codes_numbered(corpus: Corpus, base: str) -> list[str]:
    """Sorted codes of the registered references whose number (code before ``—``) is ``base``.

    A :func:`~toolkit.deps.derived` function: a build job that looks up the replaced
    edition depends on this list, not on every reference of the registry.
    """
    return sorted(r.code for r in corpus.references.values() if r.code and r.code.split("—")[0].strip() == base)


def _walk_clause(cl: m.Clause):
    yield cl
    for s in cl.clauses:
        yield from _walk_clause(s)


def _list_label(style: str, i: int) -> str:
    if style == "alpha":
        return f"{chr(ord('a') + i)})"
    if style == "numeric":
        return f"{i + 1})"
    return "——"


def build_document(corpus: Corpus, standard_id: str) -> Document:
    """Build the numbered document of the draft of ``standard_id``.

    Raises ``KeyError`` if the corpus holds no draft or catalogue record for it
    (callers iterate ``corpus.drafts``, so this signals a bug, not bad content).
    """
    draft = corpus.drafts[standard_id]
    standard = corpus.standards[standard_id]
    return _Builder(corpus, draft, standard).build()
