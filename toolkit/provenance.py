"""Field-level provenance: which fields of sourced records the corpus added (新起草).

A record's ``source`` says where its content comes from in report 004; its
``drafted_fields`` (see :class:`toolkit.model.Sourced`) name the fields whose
content the drafting group (编制组) added — e.g. the 约束性/预期性 label, the
direction or the definition of an indicator whose name and targets are the
report's.  Pure functions used by the review build and the site.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from toolkit import model as m

FIELD_LABELS: dict[str, str] = {
    "kind": "指标属性", "rigidity": "刚性/弹性", "direction": "方向", "unit": "单位", "definition": "定义",
    "name_en": "英文名称", "name": "名称", "title": "标题", "text": "条文", "indicators": "指标",
    "countermeasures": "对策分组", "problem": "问题", "question": "问题表述", "summary": "摘要",
}
"""Chinese label of each field name that appears in ``drafted_fields`` (others print as the field name)."""


def field_label(name: str) -> str:
    """The Chinese label of a model field name (``kind`` → 指标属性)."""
    return FIELD_LABELS.get(name, name)


def drafted_fields_text(rec: m.Sourced) -> str:
    """``新起草：指标属性、方向`` for one record, or ``""`` when it lists no drafted fields."""
    if not rec.drafted_fields:
        return ""
    return "新起草：" + "、".join(field_label(f) for f in rec.drafted_fields)


def drafted_fields_summary(records: Iterable[m.Sourced], shown: Iterable[str] | None = None) -> str:
    """One line for a table of records, e.g. ``新起草：指标属性（21项）、方向（21项）、单位（8项）``.

    ``shown`` restricts the count to the fields a table prints (field names); fields are listed
    in the order they first appear.  Returns ``""`` when no record lists a drafted field.
    """
    keep = set(shown) if shown is not None else None
    counts: Counter[str] = Counter()
    order: list[str] = []
    for rec in records:
        for f in rec.drafted_fields:
            if keep is not None and f not in keep:
                continue
            if f not in counts:
                order.append(f)
            counts[f] += 1
    if not counts:
        return ""
    return "新起草：" + "、".join(f"{field_label(f)}（{counts[f]}项）" for f in order)
