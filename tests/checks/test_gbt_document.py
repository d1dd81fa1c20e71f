"""GB/T 1.1—2020 facts the document model computes from the new draft fields (on the check fixture corpus)."""
from __future__ import annotations

from fixture_corpus import materialize
from toolkit.corpus import load_corpus
from toolkit.document import NormRefDoc, NoteDoc, build_document
from toolkit.stages import PATENT_NOTICE

DRAFT = "standards/drafts/std-demo-guide.yaml"
REFS = "standards/registry/references.yaml"


def _doc(tmp_path, edits: list[tuple[str, str, str]]):
    root = materialize(None, tmp_path)
    for rel, old, new in edits:
        p = root / rel
        text = p.read_text(encoding="utf-8")
        assert old in text, old
        p.write_text(text.replace(old, new, 1), encoding="utf-8")
    corpus, findings = load_corpus(root)
    assert not [f for f in findings if f.is_error], findings
    return build_document(corpus, "std-demo-guide")


def _normrefs(doc):
    sec = next(s for s in doc.sections if s.kind == "normrefs")
    return sec, [b.code for b in sec.blocks if isinstance(b, NormRefDoc)]


def test_normative_references_are_printed_in_gbt_order(tmp_path):
    doc = _doc(tmp_path, [(DRAFT, "normative_references: [tdt-1062-2021]",
                           "normative_references: [tdt-1062-2021, gbt-1-1-2020]")])
    assert _normrefs(doc)[1] == ["GB/T 1.1—2020", "TD/T 1062—2021"]


def test_pending_reference_is_printed_with_the_note(tmp_path):
    doc = _doc(tmp_path, [
        (REFS, "references:\n", 'references:\n  - {id: tdt-draft-guide, code: "TD/T XXXX—20XX", title: 示例专项规划技术指南}\n'),
        (DRAFT, "normative_references: [tdt-1062-2021]",
         "normative_references: [tdt-1062-2021, tdt-draft-guide]\n  pending_references: [tdt-draft-guide]")])
    sec, codes = _normrefs(doc)
    assert codes == ["TD/T 1062—2021", "TD/T XXXX—20XX"]
    notes = ["".join(i.text for i in b.inlines) for b in sec.blocks if isinstance(b, NoteDoc)]
    assert notes == ["TD/T XXXX—20XX正在制定，本文件发布时以其发布版本为准。"]


def test_borrowed_definition_carries_its_source(tmp_path):
    doc = _doc(tmp_path, [(DRAFT, "      definition: 采用公共交通、步行和自行车等低碳方式的出行。\n",
                           "      definition: 采用公共交通、步行和自行车等低碳方式的出行。\n"
                           "      borrowed_from: GB/T 51328—2018，2.0.3，有修改\n")])
    term = next(s for s in doc.walk() if s.kind == "term")
    assert "".join(i.text for i in term.blocks[-1].inlines) == "[来源：GB/T 51328—2018，2.0.3，有修改]"


def test_stage_decides_the_cover_notices(tmp_path):
    doc = _doc(tmp_path / "a", [])
    assert doc.stage_label == "（征求意见稿）" and doc.patent_notice == PATENT_NOTICE and doc.completion_date == "2026-11-28"
    doc = _doc(tmp_path / "b", [(DRAFT, "  doc_type: 规范\n", "  doc_type: 规范\n  stage: 报批稿\n")])
    assert doc.stage_label == "（报批稿）" and doc.patent_notice is None


def test_basis_draft_prints_no_replaced_line(tmp_path):
    doc = _doc(tmp_path, [(DRAFT, "  doc_type: 规范\n", "  doc_type: 规范\n  basis: 《示例规划编制办法（试行）》\n"),
                          ("standards/catalogue/std-demo-guide.yaml", "action: new", "action: revise")])
    assert doc.replaces is None


def test_amendment_items_are_numbered_against_base_clauses(tmp_path):
    doc = _doc(tmp_path, [(DRAFT, "  doc_type: 规范\n", "  doc_type: 规范\n  form: amendment\n"
                           "  base_edition: {code: TD/T 1062—2021, title: 社区生活圈规划技术指南, drafted: true}\n"
                           "  amendments:\n"
                           "    - {id: demo-am-1, clause: \"5.2\", action: 修改, original: 旧文。, text: 新文。, drafted: true}\n"
                           "    - {id: demo-am-2, clause: 表3, action: 删除, original: 一行。, drafted: true}\n")])
    assert doc.form == "amendment" and doc.replaces is None and doc.base_code == "TD/T 1062—2021"
    assert [a.lead for a in doc.amendments] == ["第5.2条修改为：", "删除表3中的："]
