"""Texts that show field-level provenance (toolkit.provenance)."""
from __future__ import annotations

from toolkit import model as m
from toolkit.provenance import drafted_fields_summary, drafted_fields_text


def _ind(iid: str, fields: list[str]) -> m.Indicator:
    return m.Indicator(id=iid, name=iid, unit="%", kind="预期性", direction="higher", source="004 §7",
                       drafted_fields=fields)


def test_one_record():
    assert drafted_fields_text(_ind("ind-a", ["kind", "direction"])) == "新起草：指标属性、方向"
    assert drafted_fields_text(_ind("ind-b", [])) == ""


def test_table_summary_counts_only_shown_fields():
    recs = [_ind("ind-a", ["kind", "direction", "unit"]), _ind("ind-b", ["kind", "definition"])]
    assert drafted_fields_summary(recs, shown=["kind", "unit", "rigidity"]) == "新起草：指标属性（2项）、单位（1项）"
    assert drafted_fields_summary(recs[1:], shown=["unit"]) == ""


def test_real_detailed_plan_annex(corpus):
    d = corpus.drafts["std-detailed-plan-guide"]
    table = next(b for a in d.annexes for b in a.blocks if getattr(b, "id", "") == "tab-dpg-indicators")
    line = drafted_fields_summary((corpus.indicators[i] for i in table.indicators), shown=["kind", "rigidity", "unit"])
    assert line.startswith("新起草：指标属性（")


def test_review_build_notes_drafted_fields_of_indicator_tables(corpus):
    from toolkit.document import build_document
    doc = build_document(corpus, "std-detailed-plan-guide")
    tables = {t.id: t for t in doc.tables()}
    assert tables["tab-dpg-indicator-values"].review_note.startswith("新起草：指标属性（")
    assert tables["tab-dpg-indicators"].review_note.startswith("新起草：指标属性（")
