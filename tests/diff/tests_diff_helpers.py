"""Helpers for reading tracked-changes DOCX back: accept or reject every revision, list paragraph texts."""
from __future__ import annotations

from lxml import etree

from toolkit.document import Document
from toolkit.diff.units import Unit

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _row_mark(p: etree._Element) -> str | None:
    tr = next((a for a in p.iterancestors(f"{W}tr")), None)
    if tr is None:
        return None
    if tr.find(f"{W}trPr/{W}ins") is not None:
        return "ins"
    if tr.find(f"{W}trPr/{W}del") is not None:
        return "del"
    return None


def accepted_or_rejected(root: etree._Element, accept: bool, body_only: bool = False) -> list[str]:
    """Paragraph texts after accepting (or rejecting) all revisions, in document order.

    Accept: inserted text stays, deleted text and paragraphs/rows whose mark is
    deleted go.  Reject: the other way round.  ``body_only``: only the paragraphs
    after the last section break (the draft's body, after its cover and 目次).
    """
    out: list[str] = []
    gone_mark = f"{W}pPr/{W}rPr/{W}{'del' if accept else 'ins'}"
    paragraphs = list(root.iter(f"{W}p"))
    if body_only:
        breaks = [i for i, p in enumerate(paragraphs) if p.find(f"{W}pPr/{W}sectPr") is not None]
        paragraphs = paragraphs[breaks[-1] + 1:] if breaks else paragraphs
    for p in paragraphs:
        row = _row_mark(p)
        if row == ("del" if accept else "ins"):
            continue
        parts: list[str] = []
        for el in p.iter(f"{W}t", f"{W}delText"):
            inside_ins = any(a.tag == f"{W}ins" for a in el.iterancestors())
            if accept and el.tag == f"{W}t":
                parts.append(el.text or "")
            elif not accept and (el.tag == f"{W}delText" or not inside_ins):
                parts.append(el.text or "")
        text = "".join(parts)
        if p.find(gone_mark) is not None and not text:
            continue
        out.append(text)
    return out


def expected_paragraphs(doc: Document, units: list[Unit], bibliography: bool = False) -> list[str]:
    """What the tracked document's body should read as for one side: title, code/stage and English-title lines,
    then each unit's heading and pieces, then the 参考文献 (heading and entries) when a side has one."""
    out = [doc.title, f"{doc.code}　{doc.stage}", doc.title_en]
    for u in units:
        out.append(u.heading)
        for p in u.pieces:
            if p.role == "table":
                out.append(p.text)
                if p.unit:
                    out.append(f"单位：{p.unit}")
                for row in p.rows:
                    out.extend(row)
            else:
                out.append(p.text)
    if bibliography:
        out.append("参考文献")
        out.extend(doc.bibliography)
    return out
