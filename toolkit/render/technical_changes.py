"""The 前言's list of main technical changes of a revision, generated from the change set.

GB/T 1.1-2020 wants a revision's 前言 to say what changed against the edition
it replaces::

    与TD/T 1063—2021相比，除结构调整和编辑性改动外，主要技术变化如下：
    a) 增加了“碳排碳汇动态跟踪”（见第6章）；
    b) 更改了“评估指标”（见7.2，2021年版的6.2）；
    c) 删除了“……”（见2021年版的5.3）。

The OLD side of the diff stands for the replaced edition; numbers after
``年版的`` are its (old) numbers.  Pure renumbering and moves are structure
(``结构调整``) and cross-reference relabelling is editorial, so neither is
listed; a unit inside an added or removed chapter is covered by the chapter.
"""
from __future__ import annotations

import re

from toolkit.diff.changeset import Change, ChangeSet, DraftPair
from toolkit.diff.units import Unit

_CODE_RE = re.compile(r"代替\s*([A-Z][A-Z/]*\s*[0-9][0-9.]*\s*[—–-]\s*\d{4})")
_YEAR_RE = re.compile(r"[—–-]\s*(\d{4})\s*$")


def replaced_edition(pair: DraftPair) -> tuple[str, str]:
    """``(code, edition label)`` of the edition a revision replaces, e.g. ``("TD/T 1063—2021", "2021年版")``.

    Taken from ``本文件代替…`` in the new 前言, else the catalogue code of the
    standard when it carries a year, else the old draft's code; the edition
    label is ``<year>年版`` or ``原版`` when no year is known.
    """
    code = ""
    if pair.new is not None:
        front = next((u for u in pair.new_units if u.id == "foreword"), None)
        m = _CODE_RE.search(front.text) if front else None
        if m:
            code = m.group(1)
        elif pair.new.replaces and _YEAR_RE.search(pair.new.replaces):
            code = pair.new.replaces
    if not code and pair.old is not None:
        code = pair.old.code
    year = _YEAR_RE.search(code or "")
    return code or "原文件", f"{year.group(1)}年版" if year else "原版"


def _ref(u: Unit) -> str:
    if u.kind == "clause" and u.depth == 1 and u.parent is None:
        return f"第{u.number}章"
    return u.ref


def _desc(u: Unit) -> str:
    if u.kind == "term":
        return f"术语“{u.title}”"
    if u.kind == "annex":
        return f"{u.number}“{u.title}”"
    if u.title:
        return f"“{u.title}”"
    first = next((p.plain() for p in u.pieces if p.plain()), "")
    first = first.splitlines()[0] if first else ""
    return f"“{first[:20]}……”的规定" if len(first) > 20 else f"“{first}”的规定"


def _aspect(u: Unit) -> str:
    if u.kind == "term":
        return "的定义"
    if u.kind == "annex":
        return "的内容"
    return "" if u.title == "" else "的规定"


def _covered(u: Unit, by_id: dict[str, Unit], whole: set[str]) -> bool:
    p = u.parent
    while p is not None:
        if p in whole:
            return True
        p = by_id[p].parent if p in by_id else None
    return False


def _label(i: int) -> str:
    return f"{chr(ord('a') + i)})" if i < 26 else f"{i + 1})"


def technical_change_items(cs: ChangeSet, std_id: str) -> list[str]:
    """The list items (``增加了…（见4.2）``) without labels or final punctuation, in reading order."""
    pair = cs.drafts.get(std_id)
    if pair is None or pair.old is None or pair.new is None:
        return []
    _, edition = replaced_edition(pair)
    old_by = {u.id: u for u in pair.old_units}
    new_by = {u.id: u for u in pair.new_units}
    changes: list[Change] = [c for c in cs.for_draft(std_id)
                             if c.kind in ("clause", "term", "annex") and c.op in ("added", "removed", "changed")]
    added = {c.id for c in changes if c.op == "added"}
    removed = {c.id for c in changes if c.op == "removed"}
    items: list[str] = []
    for c in changes:
        if c.op == "added":
            u = new_by[c.id]
            if not _covered(u, new_by, added):
                items.append(f"增加了{_desc(u)}（见{_ref(u)}）")
        elif c.op == "removed":
            u = old_by[c.id]
            if not _covered(u, old_by, removed):
                items.append(f"删除了{_desc(u)}（见{edition}的{_ref(u)}）")
        else:
            n, o = new_by[c.id], old_by[c.id]
            items.append(f"更改了{_desc(n)}{_aspect(n)}（见{_ref(n)}，{edition}的{_ref(o)}）")
    return items


def technical_changes(cs: ChangeSet, std_id: str) -> list[str]:
    """The 前言 passage as lines: the lead sentence, then ``a) …；`` items, the last ending in ``。``.

    Returns ``[]`` when the draft is not a revision (catalogue ``action`` other
    than ``revise``) or is not present on both sides.
    """
    pair = cs.drafts.get(std_id)
    if pair is None or pair.old is None or pair.new is None or pair.new.action != "revise":
        return []
    code, _ = replaced_edition(pair)
    items = technical_change_items(cs, std_id)
    if not items:
        return [f"与{code}相比，除结构调整和编辑性改动外，无技术变化。"]
    lines = [f"与{code}相比，除结构调整和编辑性改动外，主要技术变化如下："]
    for i, text in enumerate(items):
        lines.append(f"{_label(i)} {text}{'。' if i == len(items) - 1 else '；'}")
    return lines
