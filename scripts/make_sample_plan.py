#!/usr/bin/env python3
"""Generate the sample plan GeoPackage ``examples/evaluate/detailed-unit.gpkg`` (and large ones for benchmarks).

Usage::

    .venv/bin/python scripts/make_sample_plan.py                       # the sample unit (48 parcels)
    .venv/bin/python scripts/make_sample_plan.py --parcels 10000 OUT   # a synthetic grid for benchmarks

The sample is a detailed-plan unit of 4 × 3 街坊 (240 m × 240 m, 30 m road corridors between them)
in CGCS2000 / 3-degree Gauss-Kruger CM 114E (EPSG:4547): housing, a school, a clinic, shops and
offices, a park, a square, protective green, a bus depot, a substation, a river strip; roads with
their kind (主干路/次干路/支路/慢行道/绿道) and eight bus stops.  Deterministic: no randomness.
Layers and fields are those documented in :mod:`toolkit.evaluate.geometry`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "evaluate" / "detailed-unit.gpkg"
CRS = "EPSG:4547"
X0, Y0 = 500000.0, 2500000.0
BLOCK, ROAD = 240.0, 30.0
PITCH = BLOCK + ROAD

# block (col, row) → parcels as (land_use, share of the block's width, FAR, building density %, secondary_use)
BLOCKS: dict[tuple[int, int], list[tuple[str, float, float, float, str]]] = {
    (0, 0): [("070102", 0.5, 2.2, 22, ""), ("070102", 0.5, 2.0, 24, "")],
    (1, 0): [("070102", 0.6, 2.4, 25, "0901"), ("0804", 0.4, 0.8, 20, "")],
    (2, 0): [("1401", 1.0, 0.02, 1, "")],
    (3, 0): [("070102", 0.5, 2.5, 26, ""), ("0702", 0.2, 1.2, 35, ""), ("070102", 0.3, 2.3, 24, "")],
    (0, 1): [("0901", 0.4, 3.0, 45, ""), ("0902", 0.6, 4.0, 40, "")],
    (1, 1): [("070102", 0.7, 2.6, 25, ""), ("1403", 0.3, 0.0, 0, "")],
    (2, 1): [("0902", 0.5, 4.5, 38, "0901"), ("0806", 0.5, 1.5, 30, "")],
    (3, 1): [("070102", 0.5, 2.2, 23, ""), ("070102", 0.5, 2.2, 23, "")],
    (0, 2): [("120802", 0.6, 0.9, 30, "0901"), ("1303", 0.4, 0.4, 25, "")],
    (1, 2): [("070102", 0.5, 1.8, 24, ""), ("070102", 0.5, 1.8, 24, "")],
    (2, 2): [("1402", 0.3, 0.0, 0, ""), ("070102", 0.7, 2.0, 22, "")],
    (3, 2): [("1401", 0.6, 0.02, 1, ""), ("0805", 0.4, 0.5, 20, "")],
}
COLS, ROWS = 4, 3
STOPS = [(0, 0), (2, 0), (4, 0), (1, 1), (3, 1), (0, 2), (2, 2), (4, 3)]  # at grid-line crossings (i, j)


def _crossing(i: int, j: int) -> tuple[float, float]:
    """Centre of the road crossing between grid columns/rows (i in 0..COLS, j in 0..ROWS)."""
    return X0 + i * PITCH - ROAD / 2, Y0 + j * PITCH - ROAD / 2


def sample_frames(blocks=BLOCKS, cols: int = COLS, rows: int = ROWS, stops=STOPS, river: bool = True):
    """The layers of a unit as GeoDataFrames: ``{"parcels", "bus_stops", "roads"}`` (CRS EPSG:4547)."""
    import geopandas as gpd
    from shapely.geometry import LineString, Point, box

    recs = []
    for (c, r), parts in sorted(blocks.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        bx, by = X0 + c * PITCH, Y0 + r * PITCH
        x = bx
        for k, (lu, share, far, dens, sec) in enumerate(parts):
            w = BLOCK * share
            geom = box(x, by, x + w, by + BLOCK)
            area = geom.area
            recs.append({"parcel": f"A03-{r + 1}{c + 1}-{k + 1}", "block": f"B{r + 1}{c + 1}", "land_use": lu,
                         "secondary_use": sec, "floor_area": round(area * far, 1),
                         "footprint": round(area * dens / 100, 1), "geometry": geom})
            x += w
    width, height = cols * PITCH - ROAD, rows * PITCH - ROAD
    for i in range(1, cols):  # north-south road corridors (城镇道路用地)
        x = X0 + i * PITCH - ROAD
        recs.append({"parcel": f"R-NS{i}", "block": "", "land_use": "1207", "secondary_use": "", "floor_area": 0.0,
                     "footprint": 0.0, "geometry": box(x, Y0, x + ROAD, Y0 + height)})
    for j in range(1, rows):
        y = Y0 + j * PITCH - ROAD
        for i in range(cols):
            x = X0 + i * PITCH
            recs.append({"parcel": f"R-EW{j}-{i + 1}", "block": "", "land_use": "1207", "secondary_use": "",
                         "floor_area": 0.0, "footprint": 0.0, "geometry": box(x, y, x + BLOCK, y + ROAD)})
    if river:
        recs.append({"parcel": "W-1", "block": "", "land_use": "17", "secondary_use": "", "floor_area": 0.0,
                     "footprint": 0.0, "geometry": box(X0, Y0 - 60, X0 + width, Y0)})
    parcels = gpd.GeoDataFrame(recs, crs=CRS)
    roads = []
    for i in range(1, cols):
        x = X0 + i * PITCH - ROAD / 2
        roads.append({"name": f"纵{i}路", "kind": "arterial" if i == cols // 2 else "branch",
                      "geometry": LineString([(x, Y0), (x, Y0 + height)])})
    for j in range(1, rows):
        y = Y0 + j * PITCH - ROAD / 2
        roads.append({"name": f"横{j}路", "kind": "secondary" if j == 1 else "branch",
                      "geometry": LineString([(X0, y), (X0 + width, y)])})
    # slow paths through the blocks (慢行专用道) and a riverside greenway (绿道)
    for (c, r) in sorted(blocks):
        if c % 2 == 0:
            bx, by = X0 + c * PITCH, Y0 + r * PITCH
            roads.append({"name": f"慢行{r + 1}{c + 1}", "kind": "slow",
                          "geometry": LineString([(bx, by + BLOCK / 2), (bx + BLOCK, by + BLOCK / 2)])})
    if river:
        roads.append({"name": "滨河绿道", "kind": "greenway", "geometry": LineString([(X0, Y0 - 5), (X0 + width, Y0 - 5)])})
    roads = gpd.GeoDataFrame(roads, crs=CRS)
    stop_pts = [Point(*_crossing(i, j)) for i, j in stops]
    bus = gpd.GeoDataFrame({"name": [f"站{k + 1}" for k in range(len(stop_pts))], "geometry": stop_pts}, crs=CRS)
    return {"parcels": parcels, "bus_stops": bus, "roads": roads}


def grid_frames(n_parcels: int):
    """A synthetic unit of about ``n_parcels`` parcels (the sample's block types repeated over a square grid)."""
    import math

    types = [BLOCKS[k] for k in sorted(BLOCKS)]
    per_block = sum(len(t) for t in types) / len(types) + 1.0  # parcels of a block and about one road corridor
    n_blocks = max(1, round(n_parcels / per_block))
    side = max(1, math.ceil(math.sqrt(n_blocks)))
    blocks = {}
    for k in range(n_blocks):
        c, r = k % side, k // side
        blocks[(c, r)] = types[(c * 7 + r * 5) % len(types)]
    rows = math.ceil(n_blocks / side)
    stops = [(i, j) for i in range(0, side + 1, 3) for j in range(0, rows + 1, 2)]
    return sample_frames(blocks, side, rows, stops, river=False)


PLAN_ROWS = [("name", "滨江新区A-03单元详细规划（示例）"), ("level", "municipal"), ("plan_type", "detailed"),
             ("year", "2035"), ("area-type", "new-district")]
LIMITS = [("ind-far", "<=", 2.2, None, "市级国土空间总体规划传导至A-03单元的强度上限"),
          ("ind-building-density", "<=", 35, None, "市级国土空间总体规划传导至A-03单元"),
          ("ind-slow-network-density", ">=", 8, None, "市级综合交通专项规划"),
          ("ind-green-water-area", ">=", 15, None, "市级国土空间总体规划传导至A-03单元")]
SUPPLIED = [("ind-building-electricity-share", 58, "%"), ("ind-prefab-building-share", 35, "%"),
            ("ind-msw-resource-utilization-rate", 66, "%"), ("ind-tree-shrub-share", 72, "%")]


def write_gpkg(frames: dict, path: Path, plan_rows=PLAN_ROWS, supplied=SUPPLIED, limits=LIMITS) -> Path:
    """Write the layers (and the non-spatial ``plan``/``values`` layers) into a fresh GeoPackage."""
    import pandas as pd
    import pyogrio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    for name in ("parcels", "bus_stops", "roads"):
        pyogrio.write_dataframe(frames[name], path, layer=name, driver="GPKG")
    if plan_rows:
        pyogrio.write_dataframe(pd.DataFrame(plan_rows, columns=["key", "value"]), path, layer="plan", driver="GPKG")
    if supplied:
        pyogrio.write_dataframe(pd.DataFrame(supplied, columns=["indicator", "value", "unit"]), path, layer="values",
                                driver="GPKG")
    if limits:
        pyogrio.write_dataframe(pd.DataFrame(limits, columns=["indicator", "comparator", "value", "value_max", "source"]),
                                path, layer="limits", driver="GPKG")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", type=Path, default=OUT)
    ap.add_argument("--parcels", type=int, default=0, help="write a synthetic grid of about N parcels instead")
    args = ap.parse_args(argv)
    frames = grid_frames(args.parcels) if args.parcels else sample_frames()
    p = write_gpkg(frames, args.out)
    print(f"wrote {p} ({len(frames['parcels'])} parcels, {len(frames['bus_stops'])} bus stops, {len(frames['roads'])} roads)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
