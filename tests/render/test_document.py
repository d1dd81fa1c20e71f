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


def test_a_target_in_one_draft_never_changes_another_drafts_annex(corpus):
    """A normative annex belongs to its own standard: a target stated by draft B for an indicator of
    draft A's indicator table does not appear in A (issue: a ≥50 % target rewrote row 18 of 附录A)."""
    import copy

    from toolkit.corpus import _collect_targets
    from toolkit.model import IndicatorTableBlock

    before = {sid: [(t.number, t.rows) for t in build_document(corpus, sid).tables()] for sid in corpus.drafts}
    shown = {(sid, iid) for sid, d in corpus.drafts.items() for cl in d.annexes for b in cl.blocks
             if isinstance(b, IndicatorTableBlock) for iid in b.indicators}
    assert shown, "no draft has an indicator table"
    sid_a, iid = sorted(shown)[0]
    sid_b = next(s for s in sorted(corpus.drafts) if s != sid_a and corpus.drafts[s].clauses)
    edited = copy.deepcopy(corpus)
    edited.drafts[sid_b].clauses[-1].targets.append(
        Target(indicator=iid, comparator=">=", value=50, context="新增情形", drafted=True))
    edited.targets = _collect_targets(edited)
    after_a = [(t.number, t.rows) for t in build_document(edited, sid_a).tables()]
    assert after_a == before[sid_a]
