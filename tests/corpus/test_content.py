"""The embedded corpus holds the whole report (issue 2 §2), not a sample."""
from __future__ import annotations

from collections import Counter

from toolkit.corpus import load_corpus


def test_corpus_loads_without_load_or_schema_findings(root):
    _, findings = load_corpus(root)
    assert [f for f in findings if f.is_error] == []


def test_registries(corpus):
    assert [l.id for l in sorted(corpus.levels.values(), key=lambda l: l.order)] == [
        "national", "provincial", "municipal", "county", "township"]
    assert set(corpus.plan_types) == {"master", "detailed", "special"}
    assert len(corpus.cells) == 12
    assert ("national", "detailed") not in {(c.level, c.plan_type) for c in corpus.cells.values()}
    assert [d.id for d in corpus.domains_sorted()] == [
        "energy", "industry", "transport", "buildings", "waste", "agriculture", "sinks"]
    assert [s.id for s in corpus.scales_sorted()] == ["region", "city", "community"]
    assert len(corpus.goals) == 12
    assert Counter(g.scale for g in corpus.goals.values()) == {"region": 4, "city": 4, "community": 4}


def test_measures_cover_report_sections(corpus):
    assert 160 <= len(corpus.measures) <= 175
    ltd = {(m.level, m.plan_type, m.domain) for m in corpus.measures.values()}
    assert len(ltd) == 53
    for cell in corpus.cells.values():
        assert corpus.measures_in(cell), f"cell {cell.id} has no measures"
    for m in corpus.measures.values():
        assert m.source or m.drafted
        assert m.goals, m.id


def test_indicators(corpus):
    assert len(corpus.indicators) >= 80
    kinds = Counter(i.kind for i in corpus.indicators.values())
    assert kinds["约束性"] > 0 and kinds["预期性"] > 0
    green = [i for i in corpus.indicators.values() if i.name == "绿色出行分担率"]
    assert len(green) == 1 and green[0].unit == "%"


def test_roof_pv_targets_by_context(corpus):
    vals = {(rt.target.comparator, rt.target.value) for rt in corpus.targets_of("ind-new-building-roof-pv-coverage")}
    assert (">=", 50.0) in vals and (">=", 30.0) in vals


def test_implausible_park_value_kept_and_flagged(corpus):
    hits = [rt for rt in corpus.targets if rt.target.value == 114]
    assert hits and all(rt.target.review for rt in hits)


def test_standards_catalogue(corpus):
    cats = Counter(s.category for s in corpus.standards.values())
    assert cats["comprehensive"] == 5
    assert cats["special"] == 11
    assert cats["revision"] == 3
    assert cats["implementation"] == 4
    assert cats["in-progress"] == 1
    near = sorted(s.id for s in corpus.standards.values() if s.near_term)
    assert near == sorted(["std-detailed-plan-guide", "std-new-energy-infrastructure",
                           "std-industrial-land-carbon-control", "std-city-health-check-revision",
                           "std-dual-evaluation-revision", "std-carbon-impact-evaluation"])
    for sid in near:
        st = corpus.standards[sid]
        assert st.levers, sid
        assert st.problems or st.action == "revise", sid


def test_detailed_plan_levers(corpus):
    st = corpus.standards["std-detailed-plan-guide"]
    assert [lv.name for lv in st.levers] == ["空间布局", "绿色建筑", "资源利用", "高效交通", "生态环境"]


def test_detailed_plan_draft_present(corpus):
    assert "std-detailed-plan-guide" in corpus.drafts
    d = corpus.drafts["std-detailed-plan-guide"]
    assert [c.kind for c in d.clauses[:3]] == ["scope", "normrefs", "terms"]
