"""Each geometry formula of the corpus checked on small hand-computed geometry (EPSG:4547, metres).

Layout (m): P1 住宅 070102 [0,100]×[0,100]; P2 商业 0901 [100,200]×[0,100] (both 街坊 B1);
P3 公园绿地 1401 [0,100]×[100,200] (B2); P4 道路 1207 [100,200]×[100,200]; P5 水域 17
[0,200]×[-50,0]; P6 住宅 070101 [550,650]×[0,100] (B3).  One bus stop at (−250, 50).
Roads: a greenway (200 m) and a slow path (100 m) count, an arterial (200 m) does not.
"""
from __future__ import annotations

import math

import pytest

from evalhelp import run_cli, results_of

CRS = "EPSG:4547"
X0, Y0 = 500000.0, 2500000.0


def _strip(r: float, a: float, b: float) -> float:
    """∫_a^b sqrt(r² − t²) dt."""
    f = lambda t: (t * math.sqrt(r * r - t * t) + r * r * math.asin(t / r)) / 2  # noqa: E731
    return f(b) - f(a)


def write_plan(path, parcels=None, stops=True, roads=True, crs=CRS, plan=True):
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    from shapely.geometry import LineString, Point, box

    def b(x1, y1, x2, y2):
        return box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)

    rows = parcels or [
        ("P1", "070102", "B1", 25000, 3000, b(0, 0, 100, 100)),
        ("P2", "0901", "B1", 30000, 5000, b(100, 0, 200, 100)),
        ("P3", "1401", "B2", 0, 0, b(0, 100, 100, 200)),
        ("P4", "1207", "", 0, 0, b(100, 100, 200, 200)),
        ("P5", "17", "", 0, 0, b(0, -50, 200, 0)),
        ("P6", "070101", "B3", 10000, 2000, b(550, 0, 650, 100)),
    ]
    df = gpd.GeoDataFrame([{"parcel": p, "land_use": lu, "block": blk, "floor_area": fa, "footprint": fp, "geometry": g}
                           for p, lu, blk, fa, fp, g in rows], crs=CRS)
    if crs != CRS:
        df = df.to_crs(crs)
    pyogrio.write_dataframe(df, path, layer="parcels", driver="GPKG")
    if stops:
        pyogrio.write_dataframe(gpd.GeoDataFrame({"name": ["S1"], "geometry": [Point(X0 - 250, Y0 + 50)]}, crs=CRS).to_crs(crs),
                                path, layer="bus_stops", driver="GPKG")
    if roads:
        lines = [("greenway", [(0, -10), (200, -10)]), ("arterial", [(100, 0), (100, 200)]), ("slow", [(0, 150), (100, 150)])]
        pyogrio.write_dataframe(gpd.GeoDataFrame(
            {"kind": [k for k, _ in lines],
             "geometry": [LineString([(X0 + x, Y0 + y) for x, y in pts]) for _, pts in lines]}, crs=CRS).to_crs(crs),
            path, layer="roads", driver="GPKG")
    if plan:
        pyogrio.write_dataframe(pd.DataFrame([("level", "municipal"), ("plan_type", "detailed")], columns=["key", "value"]),
                                path, layer="plan", driver="GPKG")
    return path


def computed(path) -> dict[str, float]:
    res = run_cli(str(path), "--format", "json")
    assert res.exit_code in (0, 1), res.stderr
    return {r["indicator"]: r["value"] for r in results_of(res) if r["value_origin"] == "computed"}


@pytest.fixture(scope="module")
def values(tmp_path_factory):
    return computed(write_plan(tmp_path_factory.mktemp("g") / "hand.gpkg"))


def test_far(values):
    # plots P1, P2, P6 (roads, park, water excluded): (25000 + 30000 + 10000) / 30000
    assert values["ind-far"] == pytest.approx(65000 / 30000, rel=1e-5)


def test_building_density(values):
    assert values["ind-building-density"] == pytest.approx(100 * 10000 / 30000, rel=1e-5)


def test_bus_stop_300m_coverage(values):
    # circle r=300 at (−250, 50): covers x ≤ −250 + sqrt(300² − (y−50)²) of P1 (t=y−50 ∈ [−50, 50]) and P3 (t ∈ [50, 150])
    a1 = _strip(300, -50, 50) - 250 * 100
    a3 = _strip(300, 50, 150) - 250 * 100
    expected = 100 * (a1 + a3) / 40000  # P1, P2, P3, P6 (not roads, not water)
    assert values["ind-bus-stop-300m-coverage"] == pytest.approx(expected, rel=3e-3)  # polygonal buffer (quad_segs=32)


def test_park_500m_service_coverage(values):
    # P1 touches the park: covered whole; P6 is covered where x ≤ 100 + sqrt(500² − s²), s = 100 − y ∈ [0, 100]
    a6 = _strip(500, 0, 100) - 450 * 100
    assert values["ind-park-500m-service-coverage"] == pytest.approx(100 * (10000 + a6) / 20000, rel=5e-3)


def test_mixed_block_share(values):
    assert values["ind-mixed-block-share"] == pytest.approx(100 / 3, rel=1e-5)  # B1 (居住+商业) of B1, B2, B3


def test_slow_network_density(values):
    # greenway 200 m + slow path 100 m over all parcels 60 000 m²: 0.3 km / 0.06 km²
    assert values["ind-slow-network-density"] == pytest.approx(5.0, rel=1e-5)


def test_green_water_area(values):
    assert values["ind-green-water-area"] == pytest.approx(2.0, rel=1e-5)  # P3 + P5 = 20 000 m² = 2 hm²


def test_geographic_crs_is_reprojected_with_a_warning(tmp_path, values):
    path = write_plan(tmp_path / "geo.gpkg", crs="EPSG:4490")
    res = run_cli(str(path), "--format", "json")
    assert "W975" in res.stderr and "EPSG:4490" in res.stderr
    got = {r["indicator"]: r["value"] for r in results_of(res) if r["value_origin"] == "computed"}
    assert got["ind-far"] == pytest.approx(values["ind-far"], rel=5e-3)  # UTM vs Gauss-Kruger scale
    assert got["ind-green-water-area"] == pytest.approx(2.0, rel=5e-3)


def test_formula_lives_in_the_corpus(corpus):
    """The computation reads the indicator's formula: changing the corpus changes the result."""
    from toolkit.evaluate import geometry as g

    f = corpus.indicators["ind-far"].formula
    assert f.numerator.measure == "floor_area" and "07" in f.numerator.land_use and "1207" not in f.denominator.land_use
    assert corpus.indicators["ind-bus-stop-300m-coverage"].formula.numerator.within == 300
    assert {i.id for i in corpus.indicators.values() if i.formula} >= {
        "ind-far", "ind-building-density", "ind-bus-stop-300m-coverage", "ind-mixed-block-share",
        "ind-slow-network-density", "ind-park-500m-service-coverage"}
    assert g.QUAD_SEGS >= 8


def test_covered_area_uses_union_of_overlapping_buffers():
    import numpy as np
    import shapely
    from shapely.geometry import Point, box

    from toolkit.evaluate.geometry import covered_area

    parcel = np.array([box(0, 0, 10, 10)])
    # two stops whose 300 m buffers both cover the parcel: area counted once
    got = covered_area(parcel, np.array([Point(0, 0), Point(5, 5)]), 300)
    assert got[0] == pytest.approx(100.0)
    # two half-overlaps: the union, not the sum
    got = covered_area(np.array([box(-1, -1, 1, 1)]), np.array([Point(-100, 0), Point(100, 0)]), 100.5)
    assert 0 < got[0] <= 4.0 + 1e-9
    assert shapely.__version__ >= "2"
