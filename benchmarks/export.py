"""Export stdkit drafts to the input formats of the peer tools the benchmarks compare with.

* :func:`document_markdown` — Pandoc Markdown (headings carry the computed numbers,
  列项 as ``a)`` lists, tables as pipe tables), for ``pandoc -t docx``;
* :func:`document_sdoc` — a StrictDoc ``.sdoc`` document (``[[SECTION]]`` nodes, ``[TEXT]`` nodes,
  RST ``list-table`` tables), for ``strictdoc export --formats html``.

Both walk the same numbered :class:`toolkit.document.Document` the stdkit writers
consume, so the peers get the same content (text, numbering, tables).
"""
from __future__ import annotations

import re

from toolkit.document import (Document, ExampleDoc, ListDoc, NormRefDoc, NoteDoc, Para, Section, TableDoc,
                              plain)

# ---------------------------------------------------------------------- Markdown (pandoc)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$~^])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_blocks(blocks) -> list[str]:
    out: list[str] = []
    for bl in blocks:
        if isinstance(bl, Para):
            out.append(_md(plain(bl.inlines)))
        elif isinstance(bl, ListDoc):
            if bl.intro:
                out.append(_md(plain(bl.intro)))
            items = []
            for e in bl.entries:
                items.append(f"{e.label} {_md(plain(e.inlines))}")
                items += [f"    {c.label} {_md(plain(c.inlines))}" for c in e.children]
            out.append("\n".join(items))
        elif isinstance(bl, (NoteDoc, ExampleDoc)):
            out.append(_md(bl.label + plain(bl.inlines)))
        elif isinstance(bl, TableDoc):
            cap = f"{bl.number}　{bl.caption}" + (f"（单位：{bl.unit}）" if bl.unit else "")
            rows = [" | ".join(_md(c) or " " for c in bl.header), " | ".join("---" for _ in bl.header)]
            rows += [" | ".join(_md(c) or " " for c in r) for r in bl.rows]
            out.append(f"Table: {_md(cap)}\n\n" + "\n".join(f"| {r} |" for r in rows))
        elif isinstance(bl, NormRefDoc):
            out.append(_md(f"{bl.code}　{bl.title}".strip()))
    return out


def _md_section(s: Section, out: list[str]) -> None:
    level = min(max(s.depth, 1), 6)
    out.append(f"{'#' * level} {_md(s.heading)}")
    if s.kind == "term":
        out.append(_md(f"{s.term}" + (f"　{s.term_en}" if s.term_en else "")))
        if s.definition:
            out.append(_md(plain(s.definition)))
        if s.term_note:
            out.append(_md("注：" + plain(s.term_note)))
    out += _md_blocks(s.blocks)
    for c in s.children:
        _md_section(c, out)


def document_markdown(doc: Document) -> str:
    """The draft as Pandoc Markdown (UTF-8 text)."""
    out = [f"---\ntitle: \"{doc.title}\"\nsubtitle: \"{doc.code}（{doc.stage}）\"\n---"]
    if doc.foreword:
        out.append("# 前言")
        out += _md_blocks(doc.foreword)
    if doc.introduction:
        out.append("# 引言")
        out += _md_blocks(doc.introduction)
    for s in doc.sections:
        _md_section(s, out)
    for a in doc.annexes:
        out.append(f"# {_md(a.label + a.status + '　' + a.title)}")
        out += _md_blocks(a.blocks)
        for c in a.children:
            _md_section(c, out)
    if doc.bibliography:
        out.append("# 参考文献")
        out.append("\n".join(f"{i}. {_md(b)}" for i, b in enumerate(doc.bibliography, 1)))
    if doc.revision_table:
        out.append("# 修订对照表")
        rows = ["| 条款 | 原条文 | 修订后条文 | 修订理由 |", "| --- | --- | --- | --- |"]
        rows += [f"| {_md(r.clause)} | {_md(r.original)} | {_md(r.revised)} | {_md(r.reason)} |"
                 for r in doc.revision_table]
        out.append("\n".join(rows))
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------------- StrictDoc (.sdoc, RST markup)
_RST_SPECIAL = re.compile(r"([\\`*_|])")


def _rst(text: str) -> str:
    return _RST_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "—"


def _text_node(body: str) -> str:
    lines = [l if not l.startswith("<<<") else " " + l for l in body.split("\n")]
    return "[TEXT]\nSTATEMENT: >>>\n" + "\n".join(lines) + "\n<<<\n"


def _rst_blocks(blocks) -> list[str]:
    out: list[str] = []
    for bl in blocks:
        if isinstance(bl, Para):
            out.append(_rst(plain(bl.inlines)))
        elif isinstance(bl, ListDoc):
            parts = [_rst(plain(bl.intro)) + "\n"] if bl.intro else []
            for e in bl.entries:
                parts.append(f"- {_rst(e.label + ' ' + plain(e.inlines))}")
                for c in e.children:
                    parts.append(f"\n  - {_rst(c.label + ' ' + plain(c.inlines))}\n")
            out.append("\n".join(parts))
        elif isinstance(bl, (NoteDoc, ExampleDoc)):
            out.append(_rst(bl.label + plain(bl.inlines)))
        elif isinstance(bl, TableDoc):
            cap = f"{bl.number}　{bl.caption}" + (f"（单位：{bl.unit}）" if bl.unit else "")
            lines = [f".. list-table:: {_rst(cap)}", "   :header-rows: 1", ""]
            for row in [bl.header, *bl.rows]:
                cells = list(row) + [""] * (len(bl.header) - len(row))
                lines.append(f"   * - {_rst(cells[0]) or '—'}")
                lines += [f"     - {_rst(c) or '—'}" for c in cells[1:len(bl.header)]]
            out.append("\n".join(lines))
        elif isinstance(bl, NormRefDoc):
            out.append(_rst(f"{bl.code}　{bl.title}".strip()))
    return out


def _sdoc_section(title: str, blocks: list[str], children: list[str]) -> str:
    body = "".join("\n" + _text_node(b) for b in blocks) + "".join("\n" + c for c in children)
    return f"[[SECTION]]\nTITLE: {_one_line(title)}\n{body}\n[[/SECTION]]\n"


def _sdoc_clause(s: Section) -> str:
    blocks = []
    if s.kind == "term":
        blocks.append(_rst(f"{s.term}" + (f"　{s.term_en}" if s.term_en else "")))
        if s.definition:
            blocks.append(_rst(plain(s.definition)))
        if s.term_note:
            blocks.append(_rst("注：" + plain(s.term_note)))
    blocks += _rst_blocks(s.blocks)
    return _sdoc_section(s.heading, blocks, [_sdoc_clause(c) for c in s.children])


def document_sdoc(doc: Document) -> str:
    """The draft as a StrictDoc document (``.sdoc`` text, RST markup)."""
    parts: list[str] = []
    if doc.foreword:
        parts.append(_sdoc_section("前言", _rst_blocks(doc.foreword), []))
    if doc.introduction:
        parts.append(_sdoc_section("引言", _rst_blocks(doc.introduction), []))
    parts += [_sdoc_clause(s) for s in doc.sections]
    for a in doc.annexes:
        parts.append(_sdoc_section(a.label + a.status + "　" + a.title, _rst_blocks(a.blocks),
                                   [_sdoc_clause(c) for c in a.children]))
    if doc.bibliography:
        parts.append(_sdoc_section("参考文献", ["\n".join(f"#. {_rst(b)}" for b in doc.bibliography)], []))
    if doc.revision_table:
        table = TableDoc("revision", "", "修订对照表", None, ["条款", "原条文", "修订后条文", "修订理由"],
                         [[r.clause, r.original, r.revised, r.reason] for r in doc.revision_table])
        parts.append(_sdoc_section("修订对照表", _rst_blocks([table]), []))
    head = f"[DOCUMENT]\nTITLE: {_one_line(doc.title)}\n"
    return head + "".join("\n" + p for p in parts)

