"""The sample YAML, CSV, XLSX and GeoPackage plans evaluate end to end with the verdicts a planner would expect."""
from __future__ import annotations

import pytest

from evalhelp import EXAMPLES, by_indicator, results_of, run_cli

REQUIRED_KEYS = {"indicator", "target", "value", "verdict", "binding", "source", "margin"}


def test_yaml_plan_verdicts():
    res = run_cli(str(EXAMPLES / "detailed-unit.yaml"), "--format", "json")
    assert res.exit_code == 1, res.stderr  # a 约束性 target fails (绿化覆盖率 38.2 % < 40 %)
    rows = results_of(res)
    assert all(REQUIRED_KEYS <= set(r) for r in rows)
    far = by_indicator(rows, "ind-far")
    assert [(r["target"], r["value"], r["verdict"], r["binding"]) for r in far] == [("≤ 2.2", 2.05, "pass", True)]
    assert far[0]["margin"] == pytest.approx(0.15)
    green = by_indicator(rows, "ind-green-coverage-rate")
    assert [(r["verdict"], r["binding"]) for r in green] == [("fail", True)]
    assert green[0]["margin"] == pytest.approx(-1.8)
    # value in kW converted into the indicator's MW; the target's sources name the clause numbers
    mgs = by_indicator(rows, "ind-microgrid-capacity")
    assert {(mg["value"], mg["verdict"], mg["binding"]) for mg in mgs} == {(18.0, "pass", False)}
    assert any("《国土空间详细规划编制指南》第7.1.3条" in mg["source"] for mg in mgs)
    assert any(s["kind"] == "measure" and s["ref"] == "m-municipal-detailed-energy-02" for mg in mgs for s in mg["sources"])
    assert by_indicator(rows, "ind-prefab-building-share")[0]["verdict"] == "fail"
    # no target at this cell: the value is reported as not applicable, never as passed
    assert [r["verdict"] for r in by_indicator(rows, "ind-bus-stop-300m-coverage")] == ["not_applicable"]
    # case values (纽约区划, 深圳案例, 上海新城案例) never become targets
    assert not any("案例" in r["context"] for r in rows)
    assert not [r for r in rows if r["indicator"] == "ind-far" and r["threshold"] == 10]


def test_csv_plan_with_options_and_chinese_names():
    res = run_cli(str(EXAMPLES / "county-town.csv"), "--format", "json", "--level", "county", "--plan-type", "master",
                  "--year", "2035", "--facet", "area-type=county-town-built-up")
    assert res.exit_code == 1, res.stderr
    rows = results_of(res)
    got = {r["indicator"]: (r["verdict"], r["binding"]) for r in rows}
    assert got["ind-far"] == ("pass", True)  # 容积率 0.72 within 0.6～0.8 (县城建成区)
    assert got["ind-county-town-population-density"] == ("fail", True)  # 1.2 > 1 万人/km²
    assert got["ind-low-rise-new-building-share"] == ("pass", True)
    assert by_indicator(rows, "ind-far")[0]["applies"] == {"area-type": ["county-town-built-up"]}


def test_csv_plan_in_another_area_type_is_not_held_to_county_town_targets():
    res = run_cli(str(EXAMPLES / "county-town.csv"), "--format", "json", "--level", "county", "--plan-type", "master",
                  "--facet", "area-type=new-district")
    rows = results_of(res)
    assert {r["verdict"] for r in by_indicator(rows, "ind-far")} == {"not_applicable"}
    assert res.exit_code == 0


def test_binding_target_without_its_facet_is_missing_not_passed():
    res = run_cli(str(EXAMPLES / "county-town.csv"), "--format", "json", "--level", "county", "--plan-type", "master")
    rows = results_of(res)
    # values exist but the plan does not say whether it is a 县城建成区: binding targets are reported, exit 1
    assert res.exit_code == 1
    assert {r["verdict"] for r in by_indicator(rows, "ind-far")} == {"missing"}


def test_xlsx_plan_with_plan_sheet(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "values"
    ws.append(["indicator", "value", "unit"])
    ws.append(["容积率", 0.75, None])
    ws.append(["ind-county-town-population-density", 80, "人/hm²"])  # = 0.8 万人/km²
    ws.append(["ind-low-rise-new-building-share", 70, "%"])
    meta = wb.create_sheet("plan")
    for row in (["key", "value"], ["name", "某县城（XLSX）"], ["level", "县级"], ["plan_type", "总体规划"],
                ["year", 2035], ["area-type", "县城建成区"]):
        meta.append(row)
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    res = run_cli(str(path), "--format", "json")
    assert res.exit_code == 0, res.stderr
    rows = results_of(res)
    dens = by_indicator(rows, "ind-county-town-population-density")[0]
    assert (dens["value"], dens["verdict"]) == (pytest.approx(0.8), "pass")
    assert {r["verdict"] for r in rows if r["binding"]} == {"pass"}


def test_geopackage_plan_computed_and_supplied(sample_gpkg):
    res = run_cli(str(sample_gpkg), "--format", "json")
    assert res.exit_code == 1, res.stderr  # 慢行路网密度 5.78 km/km² < 8 (a 约束性 local limit)
    rows = results_of(res)
    got = {r["indicator"]: r for r in rows if r["value_origin"] == "computed"}
    assert set(got) == {"ind-far", "ind-building-density", "ind-bus-stop-300m-coverage", "ind-mixed-block-share",
                        "ind-slow-network-density", "ind-park-500m-service-coverage", "ind-green-water-area"}
    assert got["ind-far"]["verdict"] == "pass" and got["ind-far"]["value"] == pytest.approx(2.11837, rel=1e-4)
    assert got["ind-slow-network-density"]["verdict"] == "fail"
    assert got["ind-mixed-block-share"]["value"] == pytest.approx(100 * 2 / 12, rel=1e-5)
    supplied = {r["indicator"]: r["verdict"] for r in rows if r["value_origin"] == "supplied"}
    assert supplied["ind-prefab-building-share"] == "fail" and supplied["ind-building-electricity-share"] == "pass"


def test_committed_sample_gpkg_is_what_the_script_makes(sample_gpkg):
    import pyogrio

    committed = EXAMPLES / "detailed-unit.gpkg"
    for layer in ("parcels", "bus_stops", "roads", "plan", "values", "limits"):
        a = pyogrio.read_dataframe(committed, layer=layer)
        b = pyogrio.read_dataframe(sample_gpkg, layer=layer)
        assert a.equals(b), layer


def test_standard_filter_and_unknown_standard():
    res = run_cli(str(EXAMPLES / "detailed-unit.yaml"), "--format", "json", "--standard", "std-new-energy-infrastructure")
    rows = results_of(res)
    corpus_rows = [r for r in rows if r["target"] and not r["local_limit"]]
    assert {r["indicator"] for r in corpus_rows} == {"ind-microgrid-capacity", "ind-microgrid-voltage-level"}
    bad = run_cli(str(EXAMPLES / "detailed-unit.yaml"), "--standard", "std-new-energy-infrastucture")
    assert bad.exit_code == 2 and "std-new-energy-infrastructure" in bad.stderr


def test_year_before_the_target_year_does_not_apply(tmp_path):
    text = (EXAMPLES / "detailed-unit.yaml").read_text(encoding="utf-8").replace("year: 2035", "year: 2030")
    p = tmp_path / "p.yaml"
    p.write_text(text, encoding="utf-8")
    rows = results_of(run_cli(str(p), "--format", "json"))
    # 至2035年装配式建筑比例达到40%: a plan to 2030 is not held to it
    assert [r["verdict"] for r in by_indicator(rows, "ind-prefab-building-share")] == ["not_applicable"]
