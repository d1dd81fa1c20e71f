"""Layout facts shared by the draft writers (DOCX, HTML/PDF): one place, so both say the same.

Nothing here numbers or reads YAML: it only turns a :class:`~toolkit.document.Document`
into presentation facts that every writer needs identically —

* cover facts: the standard-kind line (中华人民共和国土地管理行业标准) and the big code
  letters (``TD``) derived from the code prefix;
* the 目次 entries (:func:`toc_entries`) — which headings appear and with what text;
* provenance notes for the review build (:func:`provenance`);
* relative table column widths (:func:`column_widths`) and which columns are centred;
* fixed typography constants (font families, sizes in pt) used by both writers.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from toolkit.document import REVISION_ANNEX_ID, REVISION_HEADER, AnnexDoc, Document, Section, TableDoc

# ---------------------------------------------------------------------- typography (GB/T 1.1-2020 look)
SERIF_CJK = "Noto Serif CJK SC"  # 宋体 role (body)
SANS_CJK = "Noto Sans CJK SC"  # 黑体 role (headings, captions, cover title)
SERIF_FALLBACK = "宋体"  # altName for Word on machines without Noto
SANS_FALLBACK = "黑体"
BODY_PT = 10.5  # 五号
SMALL_PT = 9.0  # 小五 (注, 示例, table text)
FRONT_TITLE_PT = 16.0  # 三号 (目次, 前言, 引言, 正文首页标准名称)
COVER_TITLE_PT = 26.0  # 一号

# Page (mm): A4 with the margins of GB/T standards.
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 25, 20, 25, 20
HEADER_MM, FOOTER_MM = 12, 10
REVIEW_NOTE_MM = 55  # extra right margin of the review build, holding the source notes

# Code prefix → the standard-kind line of the cover and the big letters at its top right.
_KIND_LINES: list[tuple[str, str]] = [
    ("GB/Z", "中华人民共和国国家标准化指导性技术文件"),
    ("GB", "中华人民共和国国家标准"),
    ("TD", "中华人民共和国土地管理行业标准"),
    ("CJJ", "中华人民共和国行业标准"),
    ("CJ", "中华人民共和国城镇建设行业标准"),
    ("HJ", "中华人民共和国国家环境保护标准"),
    ("T/", "团体标准"),
]


def code_letters(code: str) -> str:
    """The letters of a code's prefix, e.g. ``TD`` for ``TD/T XXXX—20XX``, ``GB`` for ``GB/T 1.1—2020``."""
    head = code.split()[0] if code.strip() else ""
    return head.split("/")[0] or head


def kind_line(code: str) -> str:
    """The standard-kind line printed on the cover (e.g. 中华人民共和国土地管理行业标准)."""
    for prefix, line in _KIND_LINES:
        if code.startswith(prefix):
            return line
    return "中华人民共和国行业标准"


def spaced(text: str) -> str:
    """Short front titles are letter-spaced as in published standards: 目　　次, 前　　言, 附　录　A."""
    if len(text) == 2:
        return f"{text[0]}　　{text[1]}"
    return "　".join(text)


STANDARD_CODE = re.compile(r"(?<![A-Za-z/])(?:GB/T|GB/Z|GB|DB\d{2}/T|T/[A-Z]+|[A-Z]{2,5}(?:/[TZ])?)[ \u00a0]?"
                           r"[\dXx×]+(?:\.[\dXx×]+)*(?:[ \u00a0]?[—–-][ \u00a0]?[\dXx×]{4})?(?![\dA-Za-z])")
"""A standard code in running text (``TD/T 1062—2021``, ``GB/T 1.1—2020``, ``TD/T 1063``): never broken across lines."""

COVER_TITLE_CHARS = 16
"""Characters of the 26 pt cover title that fit one line of the 165 mm text width (with its side margins)."""

_BREAK_AFTER = ("和", "与", "及", "的", "规划", "空间", "设施", "用地")
_BREAK_BEFORE = ("技术指南", "指南", "规程", "规范", "标准", "技术", "碳排放", "评价", "编制")


def title_lines(title: str, width: int = COVER_TITLE_CHARS) -> list[str]:
    """The cover title broken into lines only between words (never inside 适宜性 or a code).

    Candidate breaks are after 和/与/及/的/规划/空间… and before 技术指南/规程/规范/评价…;
    the break that keeps every line within ``width`` characters and the lines most
    even is chosen (recursively for titles longer than two lines).  A title that fits
    is one line; one without a usable break is returned whole (the writer then wraps it).
    """
    t = title.strip()
    if len(t) <= width:
        return [t]
    cands = set()
    for w in _BREAK_AFTER:
        for mt in re.finditer(re.escape(w), t):
            cands.add(mt.end())
    for w in _BREAK_BEFORE:
        for mt in re.finditer(re.escape(w), t):
            cands.add(mt.start())
    cands = sorted(i for i in cands if 0 < i < len(t) and i <= width)
    if not cands:
        return [t]
    best = None
    for i in cands:
        rest = title_lines(t[i:], width)
        lines = [t[:i], *rest]
        if any(len(x) > width for x in lines) and best is not None:
            continue
        score = (len(lines), max(len(x) for x in lines) - min(len(x) for x in lines))
        if best is None or score < best[0]:
            best = (score, lines)
    return best[1]


def nobreak(text: str) -> str:
    """``text`` with every standard code made unbreakable for Word and LibreOffice: the space
    after the prefix becomes a no-break space (U+00A0) and the dash before the year is glued
    with WORD JOINERs (U+2060), so ``TD/T 1062—2021`` never splits across lines."""
    def glue(mt: re.Match) -> str:
        code = mt.group(0).replace(" ", "\u00a0")
        return re.sub(r"\s?([—–-])\s?", "\u2060\\1\u2060", code)
    return STANDARD_CODE.sub(glue, text)


def plain_text(text: str) -> str:
    """Undo :func:`nobreak` (for comparing DOCX text with the model)."""
    return text.replace("\u2060", "").replace("\u00a0", " ")


def annex_heading(a: AnnexDoc) -> str:
    """One-line form of an annex heading (目次, bookmarks): ``附录A（规范性）　标题``."""
    return f"{a.label}{a.status}　{a.title}"


# ---------------------------------------------------------------------- anchors
def bookmark_name(anchor: str) -> str:
    """Word bookmark name for an anchor id: ``_Toc`` + 10 hex chars of its SHA-1 (stable, ≤ 40 chars)."""
    return "_Toc" + hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:10]


CONTENTS_ID = "contents"
MAIN_ID = "main"
FOREWORD_ID = "foreword"
INTRODUCTION_ID = "introduction"
BIBLIOGRAPHY_ID = "bibliography"
REVISION_TABLE_ID = REVISION_ANNEX_ID


def roman(n: int) -> str:
    """Upper-case Roman numeral of ``n`` ≥ 1 (front-matter page numbers)."""
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


# ---------------------------------------------------------------------- 目次
@dataclass(frozen=True)
class TocEntry:
    """One line of the 目次: ``level`` 1 (章, 附录, 前言…) or 2 (条); ``front`` marks Roman-numbered pages."""

    level: int
    text: str
    anchor: str
    front: bool = False


def toc_entries(doc: Document) -> list[TocEntry]:
    """The 目次 lines, in document order: 前言, 引言, chapters and titled first-level clauses,
    annexes (with their titled first-level clauses; the 修订对照表 is one of them) and 参考文献."""
    out: list[TocEntry] = []
    if doc.foreword:
        out.append(TocEntry(1, "前言", FOREWORD_ID, True))
    if doc.introduction:
        out.append(TocEntry(1, "引言", INTRODUCTION_ID, True))
    for ch in doc.sections:
        if ch.depth > 2:  # a flat section list (the tracked-changes document): chapters and clauses only
            continue
        out.append(TocEntry(ch.depth, ch.heading, ch.id))
        for cl in ch.children:
            if cl.kind != "term" and cl.title:
                out.append(TocEntry(2, cl.heading, cl.id))
    for a in doc.annexes:
        out.append(TocEntry(1, annex_heading(a), a.id))
        for cl in a.children:
            if cl.title:
                out.append(TocEntry(2, cl.heading, cl.id))
    if doc.bibliography:
        out.append(TocEntry(1, "参考文献", BIBLIOGRAPHY_ID))
    return out


def heading_sections(doc: Document) -> list[Section]:
    """Every titled clause shown as a heading (chapters, clauses, annex clauses; not term entries)."""
    return [s for s in doc.walk() if s.kind != "term" and s.title]


# ---------------------------------------------------------------------- review notes
def provenance(source: str | None, drafted: bool) -> str:
    """The review note for a record: ``来源：004 §7.6`` / ``新起草`` / ``新起草（依据 004 §7.6）``."""
    if drafted and source:
        return f"新起草（依据 {source}）"
    if drafted:
        return "新起草"
    if source:
        return f"来源：{source}"
    return "来源未注明"


# ---------------------------------------------------------------------- tables
def _full_width(ch: str) -> bool:
    o = ord(ch)
    return o > 0x2E7F or 0x2014 <= o <= 0x2026  # CJK, full-width forms; —— “” … are full width in CJK fonts


def text_width(s: str) -> float:
    """Display width in em: CJK and full-width characters (also —— “” …) 1, others 0.55."""
    return sum(1.0 if _full_width(ch) else 0.55 for ch in s)


def label_box(labels: list[str]) -> float:
    """Width (em) of the hanging label box of a list level: the widest label plus a gap, in half-em steps.

    ``a)`` → 1.5, ``10)`` → 2.5, ``——`` → 2.0 (the dash fills its box, text follows directly).
    """
    if not labels:
        return 1.5
    w = max(text_width(x) for x in labels)
    if all(x == "——" for x in labels):
        return 2.0
    return math.ceil((w + 0.35) * 2) / 2


TABLE_TEXT_EM = 52.0  # text width (165 mm) in em of the 9 pt table text


def column_widths(t: TableDoc, avail: float = TABLE_TEXT_EM) -> list[float]:
    """Relative column widths (fractions summing to 1) from the text each column holds.

    When everything fits on one line, columns get their natural width.  Otherwise
    short columns (every cell ≤ 8 em: 序号, 单位, 属性 …) get exactly the width of
    their longest cell, and the long columns share the rest in proportion to the
    square root of the text they hold (so the prose columns keep rows short).
    """
    pad = 0.8
    n = len(t.header)
    cols = [[r[i] for r in t.rows if i < len(r)] for i in range(n)]
    head = [text_width(h) for h in t.header]
    longest = [max((text_width(c) for c in col), default=0.0) for col in cols]
    natural = [max(h, c) + pad for h, c in zip(head, longest)]
    if sum(natural) <= avail:
        widths = natural
    else:
        widths = [0.0] * n
        long_cols = []
        for i in range(n):
            if longest[i] <= 8:
                widths[i] = max(longest[i], min(head[i], 4.0), 1.1) + pad
            else:
                long_cols.append(i)
        rest = avail - sum(widths)
        weights = {i: math.sqrt(sum(text_width(c) for c in cols[i])) for i in long_cols}
        total = sum(weights.values()) or 1.0
        for i in long_cols:
            widths[i] = max(rest * weights[i] / total, min(head[i], 6.0) + pad, 5.0)
    s = sum(widths) or 1.0
    return [w / s for w in widths]


def centred_columns(t: TableDoc) -> list[bool]:
    """Columns whose cells are all short (≤ 6 em: 序号, 单位, 属性…) are centred."""
    out = []
    for i in range(len(t.header)):
        cells = [r[i] for r in t.rows if i < len(r)]
        out.append(bool(cells) and all(text_width(c) <= 6 for c in cells))
    return out


def unit_line(unit: str | None) -> str | None:
    """The unit line above a table: ``单位为米`` kept as written, a bare unit as ``单位：%``."""
    if not unit:
        return None
    return unit if unit.startswith("单位") else f"单位：{unit}"


# ---------------------------------------------------------------------- 修订对照表
REVISION_HEADER = REVISION_HEADER  # re-exported: the 修订对照表 is an annex built by the document model
