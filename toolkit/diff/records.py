"""Field-level comparison of registry records (standards, measures, indicators) and of targets.

Records are matched by id.  A record is flattened to ``{path: text}`` with
:func:`flatten`: nested lists of records that carry an ``id`` (problems,
levers, countermeasures) are keyed by that id, never by position; lists of
scalars become one ``、``-joined value; ``targets`` are left out (they are
compared as targets of their own, see :func:`target_key`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from toolkit.corpus import ResolvedTarget
from toolkit.document import format_number, format_target

LABELS: dict[str, str] = {
    "title": "标题", "title_en": "英文标题", "name": "名称", "name_en": "英文名称", "summary": "摘要",
    "purpose": "编制目的", "unit": "单位", "kind": "指标属性", "rigidity": "刚性/弹性", "direction": "取值方向",
    "definition": "定义", "domains": "领域", "domain": "领域", "levels": "层级", "level": "层级",
    "plan_types": "规划类型", "plan_type": "规划类型", "range": "合理区间", "set_locally": "由地方确定",
    "review": "复核意见", "source": "来源", "drafted": "新起草", "indicators": "指标", "goals": "目标",
    "standards": "标准", "category": "类别", "group": "分组", "action": "制修订", "near_term": "近期编制",
    "code": "编号", "revision_direction": "修订方向", "problems": "拟解决的问题", "problem": "问题",
    "question": "问题表述", "solutions": "解决方法", "levers": "重要抓手", "scale": "尺度",
    "countermeasures": "核心对策", "text": "内容", "value": "目标值", "year": "年份",
    "case": "案例参考值",
}
"""Chinese labels of record fields (the last path segment); unknown keys are shown as they are."""

SKIP_KEYS = frozenset({"id", "targets"})


@dataclass(frozen=True)
class FieldDelta:
    """One changed field: ``path`` (``levers.lv-a.countermeasures.cm-b.text``), Chinese ``label``, old/new text (``None`` = absent)."""

    path: str
    label: str
    old: str | None
    new: str | None


def scalar_text(v: Any) -> str:
    """A scalar as a drafter reads it: ``是``/``否`` for booleans, ``50`` not ``50.0``."""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return format_number(v)
    return str(v)


def _is_scalar(v: Any) -> bool:
    return not isinstance(v, (dict, list, tuple))


def flatten(data: Any, prefix: str = "") -> tuple[dict[str, str], dict[str, str]]:
    """Flatten a model dump.

    Returns ``(fields, items)``: ``fields`` maps a dotted path to its text;
    ``items`` maps the path of every nested record with an id (e.g.
    ``levers.lv-a``) to a one-line summary of it, so a record added or removed
    as a whole is reported once instead of field by field.
    """
    fields: dict[str, str] = {}
    items: dict[str, str] = {}

    def walk(v: Any, path: str) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if k in SKIP_KEYS or x is None:
                    continue
                walk(x, f"{path}.{k}" if path else k)
        elif isinstance(v, (list, tuple)):
            if all(_is_scalar(x) for x in v):
                sep = "～" if path.endswith("range") and len(v) == 2 else "、"
                fields[path] = sep.join(scalar_text(x) for x in v)
                return
            for i, x in enumerate(v):
                if isinstance(x, dict) and "id" in x:
                    p = f"{path}.{x['id']}"
                    items[p] = summary_of(x)
                else:
                    p = f"{path}.{i}"
                walk(x, p)
        else:
            fields[path] = scalar_text(v)

    walk(data, prefix)
    return fields, items


def summary_of(x: dict) -> str:
    """One-line summary of a nested record: its name/title/problem, then its text."""
    head = next((str(x[k]) for k in ("name", "title", "problem", "term") if x.get(k)), str(x.get("id", "")))
    body = next((str(x[k]) for k in ("text", "summary", "definition") if x.get(k)), "")
    return f"{head}：{body}" if body else head


def path_label(path: str, items: set[str]) -> str:
    """Chinese label of a dotted path, e.g. ``重要抓手 lv-a › 核心对策 cm-b › 内容``."""
    parts = path.split(".")
    out: list[str] = []
    i = 0
    while i < len(parts):
        key = parts[i]
        label = LABELS.get(key, key)
        nxt = ".".join(parts[:i + 2])
        if i + 1 < len(parts) and nxt in items:
            out.append(f"{label} {parts[i + 1]}")
            i += 2
        elif i + 1 < len(parts) and parts[i + 1].isdigit():
            out.append(f"{label}[{int(parts[i + 1]) + 1}]")
            i += 2
        else:
            out.append(label)
            i += 1
    return " › ".join(out)


def compare_records(old: BaseModel, new: BaseModel) -> tuple[FieldDelta, ...]:
    """Field deltas between two versions of one record (paths in a stable, sorted order)."""
    of, oi = flatten(old.model_dump(mode="json", exclude_none=True))
    nf, ni = flatten(new.model_dump(mode="json", exclude_none=True))
    all_items = set(oi) | set(ni)
    out: list[FieldDelta] = []
    whole = {p for p in all_items if (p in oi) != (p in ni)}
    for p in sorted(whole):
        if any(p.startswith(w + ".") for w in whole):
            continue  # inside a record that was added or removed as a whole
        out.append(FieldDelta(p, path_label(p, all_items), oi.get(p), ni.get(p)))
    for p in sorted(set(of) | set(nf)):
        if any(p.startswith(w + ".") for w in whole):
            continue
        if of.get(p) != nf.get(p):
            out.append(FieldDelta(p, path_label(p, all_items), of.get(p), nf.get(p)))
    return tuple(sorted(out, key=lambda f: f.path))


# ---------------------------------------------------------------------- targets
ORIGIN_LABELS = {"indicator": "指标登记", "measure": "措施", "countermeasure": "核心对策", "clause": "条款"}


def target_key(rt: ResolvedTarget) -> str:
    """Identity of a target without its value: indicator, where it is stated, level, plan type, context.

    ``ind-roof-pv@indicator:ind-roof-pv|municipal|detailed|新建公共建筑``; a second
    target with the same identity gets ``#2`` appended (in source order).
    """
    kind, oid = rt.origin
    return f"{rt.indicator}@{kind}:{oid}|{rt.level or ''}|{rt.plan_type or ''}|{rt.target.context or ''}"


def keyed_targets(targets: list[ResolvedTarget]) -> dict[str, ResolvedTarget]:
    """Targets by :func:`target_key`, duplicates numbered ``#2``, ``#3`` in source order."""
    out: dict[str, ResolvedTarget] = {}
    for rt in targets:
        k = target_key(rt)
        n = 1
        key = k
        while key in out:
            n += 1
            key = f"{k}#{n}"
        out[key] = rt
    return out


def target_value_text(rt: ResolvedTarget, unit: str) -> str:
    """The value of a target as the drafts print it (``≥50%``), with its year if any (context is in the key)."""
    t = rt.target.model_copy(update={"context": ""})
    s = format_target(t, unit)
    if rt.target.year:
        s += f"（{rt.target.year}年）"
    return s


_TARGET_IDENTITY = frozenset({"indicator", "level", "plan_type", "context"})
_TARGET_VALUE = frozenset({"comparator", "value", "value_max", "unit", "year"})


def compare_targets(old: ResolvedTarget, new: ResolvedTarget, old_unit: str, new_unit: str) -> tuple[FieldDelta, ...]:
    """Deltas between two versions of one target: ``value`` (comparator, value, value_max, unit, year compared
    as numbers, shown with each side's indicator unit), then every other field that is not part of the
    target's identity (``case``, ``review``, ``source``, ``drafted`` …)."""
    out: list[FieldDelta] = []
    ot, nt = old.target, new.target
    if (ot.comparator, ot.value, ot.value_max, ot.unit, ot.year) != (nt.comparator, nt.value, nt.value_max, nt.unit, nt.year):
        # the numbers changed; a change of the indicator's unit is reported on the indicator itself
        out.append(FieldDelta("value", "目标值", target_value_text(old, old_unit), target_value_text(new, new_unit)))
    od, nd = ot.model_dump(mode="json"), nt.model_dump(mode="json")
    for attr in sorted(set(od) | set(nd)):  # every other field (case, review, source, …), new fields included
        if attr in _TARGET_IDENTITY or attr in _TARGET_VALUE or od.get(attr) == nd.get(attr):
            continue
        a, b = od.get(attr), nd.get(attr)
        out.append(FieldDelta(attr, LABELS.get(attr, attr), None if a is None else scalar_text(a),
                              None if b is None else scalar_text(b)))
    return tuple(out)
