"""E82x document functional type and provision types (GB/T 1.1—2020, 4.2, 8.5, 8.7, 9.10, 9.11, 附录 C).

GB/T 1.1—2020 sorts standards by function: a 规范 states requirements
(应/不应), a 规程 states procedures, a 指南 *provides guidance* — general,
principled or directional guidance with recommendations (宜/不宜) and
permissions (可/不必) or information — and states no requirement (4.2; drafting
rules for 指南 in GB/T 20001.7—2017).  The 范围 says what the document does with the
verb of its type (8.5): 规范 「本文件规定了…」, 规程 「本文件确立了/规定了/描述了…」,
指南 「本文件提供了…的指导」 or 「给出了…的建议/信息」.  The title names the type in its
last words (…规范/…规程/…指南, 6.1).

A definition states a concept so that it can replace the term in context: no
requirement or recommendation (能愿动词) in it, and additional information goes
into a 注 or 示例, not a trailing sentence (8.7, 9.x).  Notes and examples hold
additional information only: no requirement (9.10, 9.11), and preferably no
recommendation.

* E820 a draft declares no functional type (``doc_type``);
* E821 the 范围 wording does not fit the declared type, or the title names another type;
* E822 a 指南 states a requirement (应/不应) in a provision;
* E823 a definition holds a 能愿动词 (应/不应/宜/不宜/必须/不得…);
* W824 a definition has a trailing explanation (a second sentence, or 包括/例如/一般/通常… after the definition);
* E825 a note or example states a requirement (应/不应/必须/不得);
* W826 a note or example states a recommendation (宜/不宜).
"""
from __future__ import annotations

import re

from toolkit import model as m
from toolkit.checks import register, register_draft
from toolkit.checks.language import modal_ying, modal_yi
from toolkit.checks.text import ANNEX_BASE, BIBLIOGRAPHY, draft_texts
from toolkit.corpus import Corpus
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E820": {"severity": "error", "title": "draft declares no functional type (`doc_type` 规范/规程/指南/…)",
             "fix": "add `doc_type:` to the draft (规范 states requirements, 规程 procedures, 指南 guidance)"},
    "E821": {"severity": "error", "title": "范围 wording or title does not fit the document's functional type",
             "fix": "规范: 「本文件规定了…」; 规程: 「本文件确立了/规定了/描述了…」; 指南: 「本文件提供了…的指导」 or 「给出了…」"},
    "E822": {"severity": "error", "title": "a 指南 states a requirement (应/不应)",
             "fix": "a 指南 recommends (宜/不宜) or permits (可/不必), or the document is a 规范"},
    "E823": {"severity": "error", "title": "definition holds a 能愿动词 (requirement or recommendation)",
             "fix": "state only the concept; put requirements into the provisions"},
    "W824": {"severity": "warning", "title": "definition with a trailing explanation",
             "fix": "keep one phrase that can replace the term; move explanations into `note:`"},
    "E825": {"severity": "error", "title": "note or example states a requirement (应/不应/必须/不得)",
             "fix": "move the requirement into a provision; notes and examples give additional information only"},
    "W826": {"severity": "warning", "title": "note or example states a recommendation (宜/不宜)",
             "fix": "move the recommendation into a provision"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

SCOPE_VERBS: dict[str, tuple[str, ...]] = {
    "规范": ("规定了",),
    "规程": ("确立了", "规定了", "描述了"),
    "指南": ("提供了", "给出了"),
    "方法": ("描述了", "规定了", "给出了"),
    "试验": ("描述了", "规定了"),
    "术语": ("界定了",),
    "符号": ("界定了", "给出了"),
    "分类": ("确立了", "给出了", "规定了"),
}
"""Verbs a 范围 uses for each functional type (``本文件<verb>…``)."""

TITLE_TYPES = ("规范", "规程", "指南")
"""Types whose name ends the title's 补充要素 (GB/T 1.1—2020, 6.1)."""

_REQ_WORDS = re.compile(r"必须|不得(?!不)|务必")
_EXPLAIN = re.compile(r"[，,；;](?:主要|一般|通常)?(?:包括|例如|比如|如：|一般|通常|其中|旨在|以便|从而)")
_SENTENCE = re.compile(r"[^。；！？]+")


def requirement(s: str) -> bool:
    """Does ``s`` state a requirement (modal 应/不应, or 必须/不得)?"""
    return modal_ying(s) or bool(_REQ_WORDS.search(s))


@register_draft("genre")
def check_genre(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """E820–W826 for draft ``sid`` (see module doc)."""
    out: list[Finding] = []
    if d.form == "amendment":
        return out
    out += _doc_type(c, sid, d)
    for pc in draft_texts(d):
        if pc.role == "definition":
            if requirement(pc.text) or modal_yi(pc.text):
                out.append(Finding("E823", "error",
                                   f"definition of `{pc.owner}` holds a 能愿动词: 「{pc.text[:40]}」", c.where("draft", sid, *pc.path),
                                   "a definition states the concept only; move 应/宜… into a provision"))
            body = pc.text.rstrip("。 ")
            if "。" in body or _EXPLAIN.search(body):
                out.append(Finding("W824", "warning",
                                   f"definition of `{pc.owner}` carries a trailing explanation: 「{pc.text[:40]}」", c.where("draft", sid, *pc.path),
                                   "keep one phrase that can replace the term in context; put the rest in `note:`"))
        elif pc.role in ("note", "example", "term-note"):
            what = "example" if pc.role == "example" else "note"
            if requirement(pc.text):
                out.append(Finding("E825", "error", f"{what} of `{pc.owner}` states a requirement: 「{pc.text[:40]}」",
                                   c.where("draft", sid, *pc.path), "move the requirement into a provision of the clause"))
            elif modal_yi(pc.text):
                out.append(Finding("W826", "warning", f"{what} of `{pc.owner}` states a recommendation: "
                                                      f"「{pc.text[:40]}」", c.where("draft", sid, *pc.path),
                                   "move the recommendation into a provision of the clause"))
        elif d.doc_type == "指南" and pc.role in ("p", "list", "table") and 0 <= pc.chapter < BIBLIOGRAPHY:
            if pc.chapter >= ANNEX_BASE and not _annex_normative(d, pc.chapter - ANNEX_BASE):
                continue
            for sent in _SENTENCE.findall(pc.text):
                if requirement(sent):
                    out.append(Finding("E822", "error",
                                       f"`{sid}` is a 指南 but `{pc.owner}` states a requirement: 「{sent.strip()[:40]}」",
                                       c.where("draft", sid, *pc.path), "write 宜/不宜 (recommendation) or 可 (permission), or state it as information"))
                    break
    return out


def _annex_normative(d: m.Draft, i: int) -> bool:
    return 0 <= i < len(d.annexes) and d.annexes[i].normative


def _doc_type(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    out: list[Finding] = []
    if d.doc_type is None:
        return [Finding("E820", "error", f"draft `{sid}` declares no functional type",
                        c.key_where("draft", sid, "standard"),
                        "add `doc_type: 规范|规程|指南|…` (GB/T 1.1—2020, 4.2)")]
    st = c.standards.get(sid)
    if st is not None:
        named = next((t for t in TITLE_TYPES if st.title.endswith(t)), None)
        if named and named != d.doc_type:
            out.append(Finding("E821", "error", f"title 「{st.title}」 names a {named}, but `doc_type` is {d.doc_type}",
                               c.where("draft", sid, "doc_type"),
                               f"make the title end in {d.doc_type}, or declare `doc_type: {named}`"))
    verbs = SCOPE_VERBS.get(d.doc_type, ())
    scope = next(((i, ch) for i, ch in enumerate(d.clauses) if ch.kind == "scope"), None)
    if scope is None or not verbs:
        return out
    i, ch = scope
    first = next(((j, b) for j, b in enumerate(ch.blocks) if isinstance(b, m.Paragraph)), None)
    if first is None:
        return out
    j, para = first
    text = "".join(para.text.split())
    def loc():
        return c.where("draft", sid, "clauses", i, "blocks", j, "text")

    if not any(v in text for v in verbs):
        out.append(Finding("E821", "error",
                           f"范围 of the {d.doc_type} `{sid}` does not say 「本文件{'/'.join(verbs)}…」: 「{text[:40]}」",
                           loc(), _scope_hint(d.doc_type)))
    elif d.doc_type == "指南" and "规定了" in text:
        out.append(Finding("E821", "error", f"范围 of the 指南 `{sid}` says 「规定了」: a 指南 provides guidance",
                           loc(), _scope_hint("指南")))
    return out


def _scope_hint(doc_type: str) -> str:
    return {
        "指南": "write 「本文件提供了…的指导」 or 「本文件给出了…的建议」",
        "规范": "write 「本文件规定了…的要求」",
        "规程": "write 「本文件确立了…的程序，规定了…」",
    }.get(doc_type, f"use 「本文件{'/'.join(SCOPE_VERBS.get(doc_type, ('规定了',)))}…」")
