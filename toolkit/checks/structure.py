"""E8xx draft structure (GB/T 1.1-2020): the fixed elements, citations and terms of each draft.

Clause numbers are computed by the document model, so they are contiguous by
construction; what can go wrong in the YAML is checked here instead.

* E801 a required element is missing: 前言 (foreword), chapter 1 范围 (``kind:
  scope``), chapter 2 规范性引用文件 (``kind: normrefs``, required even with an
  empty list), chapter 3 术语和定义 (``kind: terms``) when ``terms`` is not empty;
* E802 a fixed element (scope/normrefs/terms) appears twice, or below chapter level;
* E803 the fixed elements are out of order (范围, 规范性引用文件, 术语和定义 come
  first, in that order);
* E804 a table or annex is not cited with ``[[id]]`` anywhere in the text outside itself;
* E805 a defined term is not used in the text after 术语和定义;
* E806 a chapter or annex has no title;
* W807 悬置段: a clause has its own paragraphs and also sub-clauses;
* W808 a clause has exactly one sub-clause (a level is split into two or more, or not at all);
* W809 sibling clauses mix titled and untitled clauses;
* W810 a normative reference is never cited in the text by its code or title.
"""
from __future__ import annotations

import re

from toolkit import model as m
from toolkit.checks import register_draft
from toolkit.checks.text import ANNEX_BASE, BIBLIOGRAPHY, draft_texts
from toolkit.checks.uniqueness import draft_nested_ids
from toolkit.corpus import Corpus, iter_clauses
from toolkit.document import REF_RE
from toolkit.findings import Finding
from toolkit.textfmt import squash

CODES: dict[str, dict[str, str]] = {
    "E801": {"severity": "error", "title": "draft lacks a required element (前言, 范围, 规范性引用文件, or 术语和定义 when terms are defined)",
             "fix": "add the element: `foreword:`, or a chapter with `kind: scope|normrefs|terms`"},
    "E802": {"severity": "error", "title": "fixed element (范围/规范性引用文件/术语和定义) repeated or below chapter level",
             "fix": "keep one top-level chapter of each"},
    "E803": {"severity": "error", "title": "draft elements out of GB/T 1.1-2020 order",
             "fix": "order chapters 1 范围, 2 规范性引用文件, 3 术语和定义, then technical chapters"},
    "E804": {"severity": "error", "title": "table or annex never cited with [[id]] in the text outside itself",
             "fix": "cite it where the text relies on it, e.g. “应符合[[tab-x]]的规定”"},
    "E805": {"severity": "error", "title": "defined term never used after 术语和定义",
             "fix": "use it in the provisions or drop the definition"},
    "E806": {"severity": "error", "title": "chapter or annex without a title",
             "fix": "give it a `title:`"},
    "W807": {"severity": "warning", "title": "悬置段: paragraphs before a clause's sub-clauses",
             "fix": "move them into a sub-clause"},
    "W808": {"severity": "warning", "title": "clause with a single sub-clause",
             "fix": "split into two or more sub-clauses, or merge"},
    "W809": {"severity": "warning", "title": "sibling clauses mix titled and untitled clauses",
             "fix": "title all clauses of a level, or none"},
    "W810": {"severity": "warning", "title": "normative reference never cited in the text by code or title",
             "fix": "cite it in a provision, or move it to 参考文献"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

FIXED = ("scope", "normrefs", "terms")
FIXED_NAMES = {"scope": "范围", "normrefs": "规范性引用文件", "terms": "术语和定义"}
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_YEAR = re.compile(r"[—–-]\s*\d{4}$")


def term_variants(term: str) -> list[str]:
    """Forms of a term that count as using it: as written, without its parenthesised
    abbreviation, and the abbreviation alone (``公共交通导向开发（TOD）`` → 3 forms)."""
    t = squash(term)
    out = [t]
    bare = _PAREN.sub("", t)
    if bare and bare != t:
        out.append(bare)
    for mt in _PAREN.finditer(t):
        inner = mt.group(0)[1:-1]
        if len(inner) >= 2:
            out.append(inner)
    return out


def reference_forms(code: str | None, title: str) -> list[str]:
    """Ways a normative reference can be cited: its code, its code without year, its title."""
    forms = [squash(title)]
    if code:
        forms.append(squash(code))
        undated = _YEAR.sub("", code.strip())
        if undated != code.strip():
            forms.append(squash(undated))
    return [f for f in forms if f]


@register_draft("structure")
def check_structure(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    """E801–E806, W807–W810 for draft ``sid`` (see module doc)."""
    if d.form == "amendment":  # a 标准修改单 has no clause tree (checked in revisions.py)
        return []
    return _fixed_elements(c, sid, d) + _clause_shape(c, sid, d) + _citations_and_terms(c, sid, d)


def _fixed_elements(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    out: list[Finding] = []
    where = lambda *p: c.where("draft", sid, *p)  # noqa: E731
    if not d.foreword:
        out.append(Finding("E801", "error", f"draft `{sid}` has no 前言 (foreword)", where(),
                           "add `foreword:` blocks: drafting rules (GB/T 1.1—2020), proposing and responsible bodies, "
                           "drafting units"))
    seen: dict[str, int] = {}
    for i, ch in enumerate(d.clauses):
        if ch.kind in FIXED:
            if ch.kind in seen:
                out.append(Finding("E802", "error",
                                   f"{FIXED_NAMES[ch.kind]} (`kind: {ch.kind}`) appears twice in draft `{sid}` "
                                   f"(chapters {seen[ch.kind] + 1} and {i + 1})",
                                   where("clauses", i, "kind"), "keep one chapter of each fixed kind"))
            else:
                seen[ch.kind] = i
        if not (ch.title or "").strip():
            out.append(Finding("E806", "error", f"chapter {i + 1} (`{ch.id}`) of draft `{sid}` has no title",
                               where("clauses", i), "every chapter (章) has a title"))
        for sub, p in iter_clauses(ch.clauses, ("clauses", i, "clauses")):
            if sub.kind in FIXED:
                out.append(Finding("E802", "error",
                                   f"clause `{sub.id}` has `kind: {sub.kind}` below chapter level; "
                                   f"{FIXED_NAMES[sub.kind]} is a chapter of its own",
                                   where(*p, "kind"), "move it to the top of `clauses:` or use `kind: clause`"))
    for ai, a in enumerate(d.annexes):
        if not a.title.strip():
            out.append(Finding("E806", "error", f"annex `{a.id}` of draft `{sid}` has no title",
                               where("annexes", ai), "every 附录 has a title"))
        for sub, p in iter_clauses(a.clauses, ("annexes", ai, "clauses")):
            if sub.kind in FIXED:
                out.append(Finding("E802", "error", f"annex clause `{sub.id}` has `kind: {sub.kind}`",
                                   where(*p, "kind"), "fixed elements are body chapters 1–3; use `kind: clause`"))
    required = ["scope", "normrefs"] + (["terms"] if d.terms else [])
    for kind in required:
        if kind not in seen:
            extra = " (the chapter is required even when the list is empty)" if kind == "normrefs" else ""
            extra = " (the draft defines `terms`)" if kind == "terms" else extra
            out.append(Finding("E801", "error",
                               f"draft `{sid}` has no {FIXED_NAMES[kind]} chapter (`kind: {kind}`){extra}",
                               where("clauses"),
                               f"add a chapter `kind: {kind}` titled {FIXED_NAMES[kind]} as chapter "
                               f"{FIXED.index(kind) + 1}"))
    present = [k for k in FIXED if k in seen]
    for expected_pos, kind in enumerate(present):
        pos = seen[kind]
        if pos != expected_pos:
            want = "、".join(FIXED_NAMES[k] for k in present)
            out.append(Finding("E803", "error",
                               f"{FIXED_NAMES[kind]} is chapter {pos + 1} of draft `{sid}`; "
                               f"the draft must open with {want}, in that order",
                               where("clauses", pos),
                               "reorder `clauses:` as GB/T 1.1-2020: 1 范围, 2 规范性引用文件, 3 术语和定义, "
                               "then the technical chapters"))
            break
    return out


def _clause_shape(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    out: list[Finding] = []

    def siblings(clauses: list[m.Clause], path: tuple, parent: str) -> None:
        titled = [bool((cl.title or "").strip()) for cl in clauses]
        if len(clauses) > 1 and any(titled) and not all(titled) and len(path) > 1:
            i = titled.index(False) if titled[0] else titled.index(True)
            out.append(Finding("W809", "warning",
                               f"sub-clauses of {parent} mix titled and untitled clauses "
                               f"(first odd one: `{clauses[i].id}`)",
                               c.where("draft", sid, *path, i),
                               "within one level, give every clause a title or none (GB/T 1.1-2020)"))
        for i, cl in enumerate(clauses):
            p = path + (i,)
            if cl.clauses and cl.blocks and cl.kind not in ("terms", "normrefs"):
                out.append(Finding("W807", "warning",
                                   f"clause `{cl.id}` has paragraphs before its sub-clauses (悬置段, hanging paragraph)",
                                   c.where("draft", sid, *p, "blocks"),
                                   "move the paragraphs into a sub-clause (e.g. a 一般规定 clause) or into the "
                                   "parent's lead-in"))
            if len(cl.clauses) == 1:
                out.append(Finding("W808", "warning",
                                   f"clause `{cl.id}` has a single sub-clause `{cl.clauses[0].id}`",
                                   c.where("draft", sid, *p, "clauses"),
                                   "split a clause into two or more sub-clauses, or merge the one into its parent"))
            siblings(cl.clauses, p + ("clauses",), f"`{cl.id}`")

    siblings(d.clauses, ("clauses",), f"draft `{sid}`")
    for ai, a in enumerate(d.annexes):
        siblings(a.clauses, ("annexes", ai, "clauses"), f"annex `{a.id}`")
    return out


def _citations_and_terms(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    out: list[Finding] = []
    pieces = list(draft_texts(d, c))
    chapter_of_kind = {ch.kind: i for i, ch in reversed(list(enumerate(d.clauses))) if ch.kind in FIXED}
    normrefs_ch = chapter_of_kind.get("normrefs", -10)
    terms_ch = chapter_of_kind.get("terms", max(chapter_of_kind.values(), default=-1))

    # E804: each table / annex cited outside itself
    cited_by: dict[str, list] = {}
    for pc in pieces:
        if "[[" in pc.text:
            for mt in REF_RE.finditer(pc.text):
                cited_by.setdefault(mt.group(1), []).append(pc)
    annex_index = {a.id: ANNEX_BASE + i for i, a in enumerate(d.annexes)}
    targets = [(k, i, p) for k, i, p in draft_nested_ids(d) if k in ("table", "annex")]
    for kind, tid, path in targets:
        if kind == "table":
            ok = any(pc.table != tid for pc in cited_by.get(tid, ()))
        else:
            ok = any(pc.chapter != annex_index[tid] for pc in cited_by.get(tid, ()))
        if not ok:
            label = "table" if kind == "table" else "annex"
            out.append(Finding("E804", "error", f"{label} `{tid}` of draft `{sid}` is never cited in the text",
                               c.where("draft", sid, *path, "id"),
                               f"cite it where the text relies on it, e.g. “应符合[[{tid}]]的规定。”"))

    # E805: each term used after 术语和定义 (texts squashed once, for E805 and W810 both)
    squashed = [squash(pc.text) for pc in pieces] if d.terms or d.normative_references else []
    after = "\n".join(sq for pc, sq in zip(pieces, squashed) if terms_ch < pc.chapter < BIBLIOGRAPHY)
    for i, t in enumerate(d.terms):
        if not any(v in after for v in term_variants(t.term)):
            out.append(Finding("E805", "error",
                               f"term 「{t.term}」 (`{t.id}`) is defined but never used after 术语和定义",
                               c.where("draft", sid, "terms", i, "term"),
                               "use the term in the provisions, or remove the definition"))

    # W810: each normative reference cited in the body by code or title
    body = "\n".join(sq for pc, sq in zip(pieces, squashed)
                     if 0 <= pc.chapter < BIBLIOGRAPHY and pc.chapter != normrefs_ch)
    for i, rid in enumerate(d.normative_references):
        ref = c.references.get(rid)
        st = c.standards.get(rid)
        if ref is None and st is None:
            continue  # E203
        code, title = (ref.code, ref.title) if ref is not None else (st.code, st.title)
        forms = reference_forms(code, title) + [f"[[{rid}]]"]
        if not any(f in body for f in forms):
            shown = code or f"《{title}》"
            out.append(Finding("W810", "warning",
                               f"normative reference {shown} (`{rid}`) is listed but never cited in the text",
                               c.where("draft", sid, "normative_references", i),
                               f"cite it where a provision relies on it (“应符合{shown}的规定”), "
                               "or move it to 参考文献"))
    return out
