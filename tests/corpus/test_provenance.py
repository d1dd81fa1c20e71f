"""Field-level provenance of what the corpus adds to report 004 (issue 12)."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from toolkit import model as m


def test_every_indicator_says_which_fields_are_drafted(corpus):
    # the report gives names (some units and numbers) but no 约束性/预期性, directions or definitions
    assert len(corpus.indicators) == 116
    for ind in corpus.indicators.values():
        assert "direction" in ind.drafted_fields, ind.id
        if ind.definition:
            assert "definition" in ind.drafted_fields, ind.id
        if ind.rigidity and ind.id != "ind-construction-land-area":
            assert "rigidity" in ind.drafted_fields, ind.id
    # 建设用地规模 etc. are 约束性 in the report's own words (§7.5(四)4)): their kind is not drafted
    assert "kind" not in corpus.indicators["ind-construction-land-area"].drafted_fields
    assert "kind" in corpus.indicators["ind-mixed-block-share"].drafted_fields


def test_definitions_speak_in_the_drafting_groups_voice(corpus):
    for ind in corpus.indicators.values():
        assert "报告" not in (ind.definition or ""), ind.id


def test_management_indicators_have_one_kind(corpus):
    a = corpus.indicators["ind-multimodal-transport-share"]
    b = corpus.indicators["ind-community-renewable-share"]
    assert a.kind == b.kind == "约束性" and a.set_locally and b.set_locally
    assert a.drafting_note and b.drafting_note


def test_construction_waste_absorption_indicator(corpus):
    ind = corpus.indicators["ind-construction-waste-absorption"]
    assert ind.name == "建筑废弃物消纳量" and ind.source == "004 §7.7(四)3)"
    assert "ind-construction-waste-absorption" in corpus.measures["m-municipal-special-waste-03"].indicators


def test_measure_titles_follow_the_report_and_note_fixes(corpus):
    assert corpus.measures["m-municipal-master-buildings-01"].title.endswith("外部空间形态控制指数")
    fixed = ["m-county-master-industry-02", "m-municipal-detailed-waste-08", "m-provincial-master-industry-02",
             "m-township-master-industry-03"]
    for mid in fixed:
        assert "编制组" in corpus.measures[mid].drafting_note, mid


def test_drafted_fields_must_name_the_records_own_fields():
    base = dict(id="ind-x", name="x", unit="%", kind="预期性", direction="higher", source="004 §7")
    assert m.Indicator(**base, drafted_fields=["kind", "definition"]).drafted_fields == ["kind", "definition"]
    with pytest.raises(ValidationError, match="not fields of Indicator"):
        m.Indicator(**base, drafted_fields=["knid"])
    with pytest.raises(ValidationError, match="twice"):
        m.Indicator(**base, drafted_fields=["kind", "kind"])
