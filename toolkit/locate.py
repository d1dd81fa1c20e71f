"""Human locations inside a corpus file: the clause number or record id a drafter sees.

:func:`describe` turns a data path such as
``("draft", "clauses", 5, "clauses", 4, "targets", 0, "comparator")`` into
``条 6.5 (dpg-…) › targets[1].comparator``: clauses by their computed number
(章 6, 条 6.5, 附录 A, 条 A.1), other records by kind and id (措施 m-…, 指标 ind-…,
术语 …), list positions 1-based.  It reads the raw parsed data (``SourceFile.data``),
so it works on records that failed validation.
"""
from __future__ import annotations

from typing import Any

_KIND_NAMES = {
    "measures": "措施", "indicators": "指标", "levels": "层级", "plan_types": "规划类型", "cells": "规划单元",
    "domains": "领域", "scales": "尺度", "goals": "目标", "units": "单位", "references": "引用文件",
    "terms": "术语", "problems": "问题", "levers": "抓手", "countermeasures": "对策", "revision_table": "修订对照行",
    "annexes": "附录",
}
_BLOCK_NAMES = {"table": "表", "indicator_table": "指标表", "cell_matrix": "矩阵表"}


def _id_of(node: Any) -> str | None:
    if isinstance(node, dict):
        v = node.get("id")
        if isinstance(v, str) and v:
            return v
    return None


def describe(data: Any, path: tuple) -> str:
    """``path`` inside ``data`` as ``<record> › <field path>`` (see module doc); ``""`` for the root.

    Never raises: for data of an unexpected shape it falls back to the dotted path.
    """
    try:
        return _describe(data, path)
    except Exception:  # hostile or half-typed input: a plain path is still a location
        return ".".join(str(p) for p in path)


def _describe(data: Any, path: tuple) -> str:
    label = ""
    rest: list[str] = []
    node = data
    number = ""  # computed clause number of the current clause ("6.5", "A.1")
    parent_key: Any = None
    i = 0
    while i < len(path):
        part = path[i]
        child = None
        if isinstance(node, dict) and part in node:
            child = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            child = node[part]
        if isinstance(part, int):
            rid = _id_of(child)
            if parent_key == "clauses":
                number = f"{number}.{part + 1}" if number else str(part + 1)
                kind = "章" if "." not in number else "条"
                label = f"{kind} {number}" + (f" ({rid})" if rid else "")
                rest = []
            elif parent_key == "annexes":
                number = chr(ord("A") + part)
                label = f"附录 {number}" + (f" ({rid})" if rid else "")
                rest = []
            elif parent_key == "blocks" and isinstance(child, dict) and isinstance(child.get("type"), str) \
                    and child["type"] in _BLOCK_NAMES and rid:
                label = f"{label + ' › ' if label else ''}{_BLOCK_NAMES[child['type']]} {rid}"
                rest = []
            elif parent_key == "terms" and isinstance(child, dict):
                term = child.get("term")
                term = term if isinstance(term, str) else ""
                label = f"术语 {term}" + (f" ({rid})" if rid else "") if term else f"术语 {rid or part + 1}"
                rest = []
            elif rid and parent_key in _KIND_NAMES:
                label = f"{_KIND_NAMES[parent_key]} {rid}"
                rest = []
            elif rest:
                rest[-1] = f"{rest[-1]}[{part + 1}]"
            else:
                rest.append(f"[{part + 1}]")
        else:
            if not (i == 0 and part in ("draft", "standard") and isinstance(child, dict)):
                rest.append(str(part))
            elif part == "standard" and _id_of(child):
                label = f"标准 {_id_of(child)}"
            elif part == "draft" and isinstance(child, dict) and isinstance(child.get("standard"), str):
                label = f"草案 {child['standard']}"
        parent_key = part if not isinstance(part, int) else None
        node = child
        i += 1
    tail = ".".join(rest)
    if label and tail:
        return f"{label} › {tail}"
    return label or tail
