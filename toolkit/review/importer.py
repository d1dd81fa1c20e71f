"""Read what reviewers send back into comment records (data only; nothing is written here).

Three inputs, chosen by content:

* a **DOCX draft** returned with Word comments (批注, ``w:commentRangeStart/End``; text,
  author and date from ``Document.comments``, python-docx ≥ 1.2) and tracked changes
  (``w:ins``/``w:del``, read as raw OOXML): every comment and every paragraph with
  tracked changes becomes one record, anchored to the clause, term, table or annex
  whose bookmark (see :mod:`toolkit.review.anchors`) precedes it in the document; when
  a copy has lost its bookmarks, headings are matched by number *and* title against the
  draft as circulated; a comment that matches nothing is an error, never a guess;
* a **征求意见表** as XLSX, or as a DOCX whose first table has the form's header
  (序号 | 章条编号 | 意见内容 | 修改建议 | 提出单位): each row is one record; 章条编号 such as
  ``5.1.2``, ``表A.1``, ``附录B``, ``3.4`` resolve to ids as numbered in the round.

Problems (not a DOCX/XLSX, password-protected, corrupt, not this standard's draft,
unknown columns, unknown clause numbers, unanchored comments) raise
:class:`ReviewInputError` with every problem found, each naming the file and the row
or comment.
"""
from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml.ns import qn

from toolkit.review.anchors import AnchorIndex, match_heading, normalize_number

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

FORM_COLUMNS: dict[str, str] = {
    "序号": "no", "编号": "no",
    "章条编号": "number", "标准章条编号": "number", "条款号": "number", "章条号": "number", "条文编号": "number",
    "意见内容": "text", "意见": "text", "修改意见": "text",
    "修改建议": "proposal", "建议修改为": "proposal", "建议": "proposal",
    "提出单位": "unit", "单位": "unit", "提出单位（专家）": "unit",
    "理由": "reason", "理由或依据": "reason", "备注": "note",
}
"""Header cells of a 征求意见表 (and accepted synonyms) → field."""

GENERAL_NUMBERS = {"", "/", "—", "-", "总体", "总体意见", "全文", "整体", "通篇"}


class ReviewInputError(Exception):
    """The input cannot be imported. ``problems`` lists every problem (file, row or comment, what is wrong)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Imported:
    """One comment read from the input, before it gets an id and a disposition."""

    origin: str
    unit: str
    text: str
    kind: str = "意见"
    reviewer: str | None = None
    clause: str | None = None
    clause_number: str | None = None
    quote: str | None = None
    original: str | None = None
    proposal: str | None = None
    date: str | None = None


@dataclass
class ImportResult:
    """What a file held: ``comments`` and ``kind`` (``docx-comments`` or ``form``)."""

    kind: str
    comments: list[Imported] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def file_digest(data: bytes) -> str:
    """First 12 hex digits of the SHA-256 of the file's bytes (names the source in ``origin``)."""
    return hashlib.sha256(data).hexdigest()[:12]


def _open_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    if data.startswith(OLE_MAGIC):
        raise ReviewInputError([f"{path}: file is password-protected (encrypted) or an old binary .doc/.xls; "
                                "save it unprotected as .docx/.xlsx and import again"])
    if not data.startswith(b"PK"):
        raise ReviewInputError([f"{path}: not a DOCX or XLSX file (no Office Open XML package)"])
    import io

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        bad = z.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise ReviewInputError([f"{path}: corrupt file ({exc})"]) from None
    except Exception as exc:  # zlib errors while testing members
        raise ReviewInputError([f"{path}: corrupt file ({type(exc).__name__}: {exc})"]) from None
    if bad is not None:
        raise ReviewInputError([f"{path}: corrupt file (damaged member {bad})"])
    return z


def read_input(path: Path, index: AnchorIndex, standard_id: str, unit: str, reviewer: str | None) -> ImportResult:
    """Read ``path`` (DOCX or XLSX) into comments anchored in ``index`` (the draft as circulated).

    Raises :class:`ReviewInputError` for anything that cannot be imported.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewInputError([f"{path}: cannot read ({exc.strerror})"]) from None
    z = _open_zip(path, data)
    names = set(z.namelist())
    digest = file_digest(data)
    if "word/document.xml" in names:
        import docx

        try:
            d = docx.Document(str(path))
        except Exception as exc:
            raise ReviewInputError([f"{path}: corrupt DOCX ({type(exc).__name__}: {exc})"]) from None
        form = _docx_form_table(d)
        if form is not None:
            return ImportResult("form", _read_form(path, form, index, unit, digest))
        return _read_docx(path, d, index, standard_id, unit, reviewer, digest)
    if "xl/workbook.xml" in names:
        return ImportResult("form", _read_form(path, _xlsx_rows(path), index, unit, digest))
    raise ReviewInputError([f"{path}: neither a Word document nor an Excel workbook"])


# ---------------------------------------------------------------------- forms
def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return unicodedata.normalize("NFKC", str(v)).strip() if not isinstance(v, str) else v.strip()


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:
        raise ReviewInputError([f"{path}: corrupt XLSX ({type(exc).__name__}: {exc})"]) from None
    ws = wb.worksheets[0]
    rows = [(i, [_cell(v) for v in row]) for i, row in enumerate(ws.iter_rows(values_only=True), 1)]
    wb.close()
    return rows


def _header_key(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell).replace(" ", "").replace("\n", "").replace("　", "")


def _is_header(cells: list[str]) -> bool:
    keys = {FORM_COLUMNS.get(_header_key(c)) for c in cells}
    return "number" in keys and "text" in keys


def _docx_form_table(d) -> list[tuple[int, list[str]]] | None:
    for t in d.tables:
        rows = [(i, [c.text.strip() for c in r.cells]) for i, r in enumerate(t.rows, 1)]
        if any(_is_header(cells) for _, cells in rows[:3]):
            return rows
    return None


def _read_form(path: Path, rows: list[tuple[int, list[str]]], index: AnchorIndex, unit: str,
               digest: str) -> list[Imported]:
    problems: list[str] = []
    head_at = next((k for k, (_, cells) in enumerate(rows[:10]) if _is_header(cells)), None)
    if head_at is None:
        raise ReviewInputError([f"{path}: no header row with 章条编号 and 意见内容 in the first 10 rows "
                                "(expected 序号 | 章条编号 | 意见内容 | 修改建议 | 提出单位)"])
    header_row, header = rows[head_at]
    cols: dict[str, int] = {}
    for ci, h in enumerate(header):
        if not h:
            continue
        key = FORM_COLUMNS.get(_header_key(h))
        if key is None:
            problems.append(f"{path}: row {header_row}: unknown column “{h}” "
                            "(known: 序号, 章条编号, 意见内容, 修改建议, 提出单位, 理由, 备注)")
        elif key in cols:
            problems.append(f"{path}: row {header_row}: column “{h}” given twice")
        else:
            cols[key] = ci
    if problems:
        raise ReviewInputError(problems)
    out: list[Imported] = []

    def get(cells: list[str], key: str) -> str:
        i = cols.get(key)
        return cells[i].strip() if i is not None and i < len(cells) and cells[i] else ""

    for rno, cells in rows[head_at + 1:]:
        text = get(cells, "text")
        if not text:
            if any(c for c in cells):
                if get(cells, "number") or get(cells, "proposal"):
                    problems.append(f"{path}: row {rno}: 意见内容 is empty")
            continue
        raw = get(cells, "number")
        clause = None
        number = None
        if normalize_number(raw) not in GENERAL_NUMBERS:
            clause = index.resolve_number(raw)
            if clause is None:
                problems.append(f"{path}: row {rno}: 章条编号 “{raw}” does not exist in the draft as circulated")
                continue
            number = index.number_of(clause)
        reason = get(cells, "reason")
        note = get(cells, "note")
        extra = "".join(f"（{k}：{v}）" for k, v in (("理由", reason), ("备注", note)) if v)
        out.append(Imported(origin=f"{digest}#row-{rno}", unit=get(cells, "unit") or unit, text=text + extra,
                            kind="意见", clause=clause, clause_number=number,
                            proposal=get(cells, "proposal") or None))
    if problems:
        raise ReviewInputError(problems)
    return out


# ---------------------------------------------------------------------- DOCX drafts
W_P, W_T, W_DELTEXT = qn("w:p"), qn("w:t"), qn("w:delText")
W_INS, W_DEL = qn("w:ins"), qn("w:del")
W_BOOKMARK = qn("w:bookmarkStart")
W_CSTART, W_CEND, W_CREF = qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference")
W_TAB, W_BR, W_HYPERLINK, W_R = qn("w:tab"), qn("w:br"), qn("w:hyperlink"), qn("w:r")


def _para_texts(p) -> tuple[str, str]:
    """(text before, text after) the paragraph's tracked changes."""
    before, after, _ = _para_texts_masked(p)
    return before, after


def _para_texts_masked(p) -> tuple[str, str, list[bool]]:
    """Texts before/after the tracked changes and, per character of the text before, whether it
    is generated (a cross reference's label in a ``w:hyperlink``, which the YAML writes as ``[[id]]``)."""
    before, after, mask = [], [], []
    for el in p.iter():
        if el.tag in (W_T, W_DELTEXT, W_TAB):
            anc = list(el.iterancestors())
            in_ins = any(a.tag == W_INS for a in anc)
            in_del = el.tag == W_DELTEXT or any(a.tag == W_DEL for a in anc)
            generated = any(a.tag == W_HYPERLINK or (a.tag == W_R and _run_style(a) == "ClauseNumber") for a in anc)
            txt = "\t" if el.tag == W_TAB else (el.text or "")
            if not in_ins:
                before.append(txt)
                mask.extend([generated] * len(txt))
            if not in_del:
                after.append(txt)
    return "".join(before), "".join(after), mask


def _run_style(r) -> str:
    rpr = r.find(qn("w:rPr"))
    st = rpr.find(qn("w:rStyle")) if rpr is not None else None
    return st.get(qn("w:val")) if st is not None else ""


CONTEXT = 8
"""Characters of unchanged text kept on each side of a tracked change (so the edit is found again)."""


def change_span(before: str, after: str, mask: list[bool]) -> tuple[str, str] | None:
    """The edited part of a paragraph with up to :data:`CONTEXT` characters of context on each side,
    as ``(original, proposal)``; context stops at generated text (cross-reference labels).
    ``None`` when the edit itself touches generated text."""
    i = 0
    while i < min(len(before), len(after)) and before[i] == after[i]:
        i += 1
    j = 0
    while j < min(len(before), len(after)) - i and before[-1 - j] == after[-1 - j]:
        j += 1
    end_b, end_a = len(before) - j, len(after) - j
    if any(mask[i:end_b]):
        return None
    lo = i
    while lo > 0 and i - lo < CONTEXT and not mask[lo - 1]:
        lo -= 1
    hi = 0
    while end_b + hi < len(before) and hi < CONTEXT and not mask[end_b + hi]:
        hi += 1
    return before[lo:end_b + hi], after[lo:end_a + hi]


def _strip_number(text: str, number: str | None) -> str:
    if number and text.startswith(number):
        return text[len(number):].lstrip(" 　\t")
    return text


def _style_of(p) -> str:
    ppr = p.find(qn("w:pPr"))
    st = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return st.get(qn("w:val")) if st is not None else ""


def _read_docx(path: Path, d, index: AnchorIndex, standard_id: str, unit: str, reviewer: str | None,
               digest: str) -> ImportResult:
    keywords = (d.core_properties.keywords or "").split("；")[0].strip()
    body = d.element.body
    known = {b.get(qn("w:name")) for b in body.iter(W_BOOKMARK)} & set(index.by_bookmark)
    if keywords and keywords != standard_id:
        raise ReviewInputError([f"{path}: this is a draft of {keywords}, not of {standard_id}"])
    comments_part = {}
    try:
        for c in d.comments:
            comments_part[str(c.comment_id)] = c
    except Exception as exc:
        raise ReviewInputError([f"{path}: comments part cannot be read ({type(exc).__name__}: {exc})"]) from None
    if not known and keywords != standard_id:
        raise ReviewInputError([f"{path}: not a draft of {standard_id} (no anchor of its clauses, and the document "
                                "properties name no standard)"])
    result = ImportResult("docx-comments")
    problems: list[str] = []
    current: str | None = None
    unmatched_heading: str | None = None
    open_quotes: dict[str, list[str]] = {}
    quotes: dict[str, str] = {}
    anchors_at: dict[str, tuple[str | None, str | None]] = {}
    change_no = 0
    order: dict[str, int] = {}  # origin → paragraph position, so records follow the document
    for pos, p in enumerate(body.iter(W_P)):
        marks = [b.get(qn("w:name")) for b in p.iter(W_BOOKMARK)]
        hit = next((index.by_bookmark[n] for n in marks if n in index.by_bookmark), None)
        text_before, text_after, mask = _para_texts_masked(p)
        heading_style = _style_of(p).lower().startswith("heading")
        if hit is not None:
            current, unmatched_heading = hit, None
        elif heading_style or (not known and text_before.strip()):
            matched = match_heading(index, text_before)
            if matched is not None:
                current, unmatched_heading = matched, None
            elif heading_style:
                current, unmatched_heading = None, text_before.strip()[:40]
        for el in p.iter(W_CSTART, W_CEND, W_CREF, W_T):
            if el.tag == W_T:
                for buf in open_quotes.values():
                    buf.append(el.text or "")
                continue
            cid = el.get(qn("w:id"))
            anchors_at.setdefault(cid, (current, unmatched_heading))
            order.setdefault(f"{digest}#comment-{cid}", pos)
            if el.tag == W_CSTART:
                open_quotes[cid] = []
            elif el.tag == W_CEND and cid in open_quotes:
                quotes[cid] = "".join(open_quotes.pop(cid))
        if next(p.iter(W_INS, W_DEL), None) is not None and text_before != text_after:
            change_no += 1
            ch = next(p.iter(W_INS, W_DEL))
            author = ch.get(qn("w:author")) or None
            date = (ch.get(qn("w:date")) or "")[:10] or None
            if current is None:
                where = f"after heading “{unmatched_heading}”" if unmatched_heading else "before the first clause"
                problems.append(f"{path}: tracked change {change_no} (“{text_after.strip()[:30]}”) is {where}, which "
                                "matches no clause of the draft as circulated")
                continue
            cl = current
            order[f"{digest}#change-{change_no}"] = pos
            span = change_span(text_before, text_after, mask)
            if span is None:
                problems.append(f"{path}: tracked change {change_no} in {index.number_of(cl)} edits a generated "
                                "cross reference; write it as a comment instead")
                continue
            old, new = span
            quote = _strip_number(text_before.strip(), index.number_of(current))
            result.comments.append(Imported(
                origin=f"{digest}#change-{change_no}", unit=unit, kind="修改建议", reviewer=reviewer or author,
                clause=cl, clause_number=index.number_of(cl), quote=quote or None,
                text=f"建议将“{old}”修改为“{new}”。" if old else f"建议增加“{new}”。",
                original=old or None, proposal=new, date=date))
    for cid, c in sorted(comments_part.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0):
        at = anchors_at.get(cid)
        text = (c.text or "").strip()
        label = f"comment {cid} by {c.author or '?'} (“{text[:30]}”)"
        if at is None:
            problems.append(f"{path}: {label} is not anchored anywhere in the document")
            continue
        clause, heading = at
        quote = quotes.get(cid, "").strip()
        if clause is None and heading:
            problems.append(f"{path}: {label} sits under heading “{heading}”, which matches no clause of the draft "
                            "as circulated (no bookmark, and number and title do not agree)")
            continue
        if not text:
            problems.append(f"{path}: {label} is empty")
            continue
        ts = getattr(c, "timestamp", None)
        cl = clause
        result.comments.append(Imported(
            origin=f"{digest}#comment-{cid}", unit=unit, kind="批注", reviewer=reviewer or (c.author or None),
            clause=cl, clause_number=index.number_of(cl) if cl else None, quote=quote or None, text=text,
            date=ts.strftime("%Y-%m-%d") if ts else None))
    if problems:
        raise ReviewInputError(problems)
    result.comments.sort(key=lambda c: order.get(c.origin, 1 << 30))
    if not result.comments:
        result.notes.append(f"{path}: no comments and no tracked changes found")
    return result
