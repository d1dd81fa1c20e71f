"""Document model: numbering, labels and generated content are computed once (toolkit.document)."""
from __future__ import annotations

import re

from toolkit.document import Ref, TableDoc, build_document, format_target, plain
from toolkit.model import Target


def test_every_draft_builds_with_gbt_numbering(corpus):
    for sid in corpus.drafts:
        doc = build_document(corpus, sid)
        if doc.form == "amendment":  # a 标准修改单: items against the base standard, no clause tree
            assert doc.amendments and not doc.sections, sid
            continue
        assert [s.title for s in doc.sections[:3]] == ["范围", "规范性引用文件", "术语和定义"]
        assert [s.number for s in doc.sections] == [str(i) for i in range(1, len(doc.sections) + 1)]
        for sec in doc.walk():
            if sec.depth > 1:
                assert re.fullmatch(r"([0-9]+|[A-Z])(\.[0-9]+)+", sec.number), sec.number
        for i, a in enumerate(doc.annexes):
            assert a.letter == chr(ord("A") + i)


def test_tables_numbered_in_order(corpus):
    doc = build_document(corpus, "std-detailed-plan-guide")
    body = [t.number for t in doc.tables() if not t.number.startswith("表A") and "." not in t.number]
    assert body == [f"表{i}" for i in range(1, len(body) + 1)]
    annex_tables = [t for t in doc.tables() if t.generated == "indicators"]
    assert annex_tables, "annex A must hold an indicator table generated from the registry"


def test_annex_indicator_table_rows_come_from_registry(corpus):
    doc = build_document(corpus, "std-detailed-plan-guide")
    draft = corpus.drafts["std-detailed-plan-guide"]
    ids = []
    for a in draft.annexes:
        for b in a.blocks:
            if getattr(b, "type", "") == "indicator_table":
                ids.extend(b.indicators)
    names = {corpus.indicators[i].name for i in ids}
    shown = {row[1] for t in doc.tables() if t.generated == "indicators" for row in t.rows}
    assert names <= shown


def test_cross_references_resolve(corpus):
    for sid in corpus.drafts:
        doc = build_document(corpus, sid)
        for sec in doc.walk():
            for b in sec.blocks:
                for inl in getattr(b, "inlines", []) or []:
                    if isinstance(inl, Ref):
                        assert inl.kind != "unresolved", (sid, sec.id, inl.target)


def test_numbering_is_stable_across_builds(corpus):
    a = build_document(corpus, "std-detailed-plan-guide")
    b = build_document(corpus, "std-detailed-plan-guide")
    assert [(s.id, s.number) for s in a.walk()] == [(s.id, s.number) for s in b.walk()]


def test_format_target():
    assert format_target(Target(comparator=">=", value=50, context="新建公共建筑", drafted=True), "%") == "≥50%（新建公共建筑）"
    assert format_target(Target(comparator="range", value=0.6, value_max=1, drafted=True), "万人/km²") == "0.6～1万人/km²"
