"""Bad plan input gives a finding that names the file and row, layer or feature — and no report."""
from __future__ import annotations

import re

import pytest

from evalhelp import EXAMPLES, run_cli
from test_geometry import X0, Y0, write_plan

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[EW]\d{3}) (?P<sev>error|warning): ", re.M)


def _run_bad(tmp_path, plan, *extra, code, expect=()):
    out = tmp_path / "out"
    res = run_cli(str(plan), "--format", "html", "--format", "json", "--out", str(out), *extra)
    assert res.exit_code == 2, (res.exit_code, res.stderr)
    assert code in res.stderr, res.stderr
    for text in expect:
        assert text in res.stderr, res.stderr
    assert not out.exists() or not any(out.iterdir()), "a report was written for a plan that could not be evaluated"
    assert "no report written" in res.stderr
    return res.stderr


def _csv(tmp_path, text, name="p.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


OPTS = ("--level", "municipal", "--plan-type", "detailed")


def test_unknown_indicator_did_you_mean(tmp_path):
    err = _run_bad(tmp_path, _csv(tmp_path, "indicator,value\n容积,2.0\nind-buliding-density,30\n"), *OPTS, code="E982",
                   expect=("容积", "ind-building-density"))
    lines = {m.group("line") for m in LINE.finditer(err) if m.group("code") == "E982"}
    assert lines == {"2", "3"}  # the CSV rows


def test_wrong_unit(tmp_path):
    _run_bad(tmp_path, _csv(tmp_path, "indicator,value,unit\nind-green-water-area,24,km\n"), *OPTS, code="E983",
             expect=("`km`", "hm²", "m²"))


def test_facet_not_in_vocabulary(tmp_path):
    _run_bad(tmp_path, _csv(tmp_path, "indicator,value\nind-far,2\n"), *OPTS, "--facet", "area-type=new-distrct",
             code="E984", expect=("new-district",))
    _run_bad(tmp_path, _csv(tmp_path, "indicator,value,land_use\nind-far,2,0701\n"), *OPTS, code="E984",
             expect=("land-use",))


def test_missing_level(tmp_path):
    _run_bad(tmp_path, _csv(tmp_path, "indicator,value\nind-far,2\n"), code="E985", expect=("level",))
    _run_bad(tmp_path, _csv(tmp_path, "indicator,value\nind-far,2\n"), "--level", "national", "--plan-type", "detailed",
             code="E985", expect=("not a 五级三类 cell",))


def test_value_not_a_number(tmp_path):
    _run_bad(tmp_path, _csv(tmp_path, "indicator,value\nind-far,\"2,5\"\n"), *OPTS, code="E986")


def test_bad_file_and_bad_limit(tmp_path):
    _run_bad(tmp_path, _csv(tmp_path, "x", name="p.txt"), code="E981", expect=("unsupported",))
    y = tmp_path / "p.yaml"
    y.write_text("plan: {level: municipal, plan_type: detailed}\nlimits:\n  - {indicator: ind-far, comparator: range, "
                 "value: 1, source: x}\nvalues: {ind-far: 2}\n", encoding="utf-8")
    _run_bad(tmp_path, y, code="E987", expect=("value_max",))
    y.write_text("plan: {level: municipal\nvalues: {}\n", encoding="utf-8")
    _run_bad(tmp_path, y, code="E981", expect=("YAML",))


def test_gpkg_without_parcels(tmp_path):
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import Point

    p = tmp_path / "x.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame({"geometry": [Point(X0, Y0)]}, crs="EPSG:4547"), p, layer="bus_stops")
    _run_bad(tmp_path, p, *OPTS, code="E971", expect=("parcels", "bus_stops"))


def test_gpkg_missing_fields(tmp_path):
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import box

    p = tmp_path / "x.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame({"land_use": ["0701"], "geometry": [box(X0, Y0, X0 + 10, Y0 + 10)]},
                                             crs="EPSG:4547"), p, layer="parcels")
    _run_bad(tmp_path, p, *OPTS, code="E972", expect=("floor_area", "footprint"))


def test_gpkg_invalid_geometry_names_the_feature(tmp_path):
    from shapely.geometry import Polygon, box

    bowtie = Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    rows = [("P1", "0701", "B1", 100, 10, box(X0, Y0, X0 + 10, Y0 + 10)), ("P2", "0901", "B1", 100, 10, bowtie)]
    p = write_plan(tmp_path / "x.gpkg", parcels=rows)
    _run_bad(tmp_path, p, code="E973", expect=("layer `parcels`, feature fid 2", "Self-intersection"))


def test_gpkg_bad_land_use_code(tmp_path):
    from shapely.geometry import box

    rows = [("P1", "R2", "B1", 100, 10, box(X0, Y0, X0 + 10, Y0 + 10))]
    _run_bad(tmp_path, write_plan(tmp_path / "x.gpkg", parcels=rows), code="E972", expect=("fid 1", "`R2`"))


def test_gpkg_without_crs(tmp_path):
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import box

    p = tmp_path / "x.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame({"land_use": ["0701"], "floor_area": [1.0], "footprint": [1.0],
                                              "geometry": [box(0, 0, 10, 10)]}), p, layer="parcels")
    _run_bad(tmp_path, p, *OPTS, code="E974", expect=("no CRS",))


def test_gpkg_without_bus_stops_warns_and_stays_missing(tmp_path):
    p = write_plan(tmp_path / "x.gpkg", stops=False)
    res = run_cli(str(p), "--format", "json")
    assert "W976" in res.stderr and "bus_stops" in res.stderr
    assert res.exit_code in (0, 1)


def test_supplied_value_replaces_computed_with_warning(tmp_path):
    import pandas as pd
    import pyogrio

    p = write_plan(tmp_path / "x.gpkg")
    pyogrio.write_dataframe(pd.DataFrame([("ind-far", 1.5, "")], columns=["indicator", "value", "unit"]), p,
                            layer="values", driver="GPKG")
    res = run_cli(str(p), "--format", "json")
    assert "W977" in res.stderr
    import json

    far = [r for r in json.loads(res.stdout) if r["indicator"] == "ind-far"]
    assert {(r["value"], r["value_origin"]) for r in far} == {(1.5, "supplied")}


def test_every_plan_code_is_triggered_here():
    import importlib

    from toolkit.codes import PLAN_MODULES

    codes = {c for m in PLAN_MODULES for c in importlib.import_module(m).CODES}
    text = open(__file__, encoding="utf-8").read() + open(__file__.replace("test_bad_input", "test_geometry"),
                                                          encoding="utf-8").read()
    assert {c for c in codes if f'"{c}"' not in text} == set()


@pytest.mark.parametrize("fmt", ["xml"])
def test_unknown_format(fmt):
    res = run_cli(str(EXAMPLES / "detailed-unit.yaml"), "--format", fmt)
    assert res.exit_code == 2 and "unknown format" in res.stderr
