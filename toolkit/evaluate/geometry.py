"""Indicators computed from plan geometry (``stdkit evaluate PLAN.gpkg``).

A plan GeoPackage holds (field names are fixed; areas and lengths are computed in the layer's
projected CRS, in metres):

==============  ===========  =====================================================================
layer           geometry     fields
==============  ===========  =====================================================================
``parcels``     polygons     ``land_use`` 用地用海分类 code (``070102``, ``0901`` …), ``floor_area``
                             地上建筑面积 m², ``footprint`` 建筑基底面积 m²; optional ``block``
                             街坊编号 (for 混合街坊比例) and ``secondary_use`` (a compatible use's code)
``bus_stops``   points       — (公交站点)
``roads``       lines        ``kind``: ``arterial`` 主干路, ``secondary`` 次干路, ``branch`` 支路,
                             ``slow`` 慢行专用道, ``greenway`` 绿道
``plan``        none         two columns ``key``, ``value``: ``name``, ``level``, ``plan_type``,
                             ``year`` and facet ids (``area-type`` …)
``values``      none         optional supplied values: ``indicator``, ``value``, ``unit``
``limits``      none         optional local limits: ``indicator``, ``comparator``, ``value``,
                             ``value_max``, ``source`` (as ``limits:`` of a YAML plan)
==============  ===========  =====================================================================

Only ``parcels`` is required; an indicator whose formula needs a missing layer or field is not
computed (a warning) and so stays *missing* in the evaluation, never passed.

What is computed is read from each indicator's ``formula:`` in the corpus
(:class:`toolkit.model.Formula`: ``scale × numerator / denominator``), so the standard's text
and this computation cannot drift apart.  Distances use buffers (``quad_segs=32``: a 300 m circle within 0.1 m) queried
through a Shapely STRtree: each parcel is intersected only with the buffers the index returns.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from toolkit import model as m
from toolkit.corpus import Corpus
from toolkit.findings import Finding, Location

CODES: dict[str, dict[str, str]] = {
    "E971": {"severity": "error", "title": "GeoPackage cannot be read or lacks the `parcels` layer",
             "fix": "give a GeoPackage with a polygon layer `parcels` (land_use, floor_area, footprint)"},
    "E972": {"severity": "error", "title": "GeoPackage layer lacks a required field, or a feature has an invalid field value",
             "fix": "add the field (parcels: land_use, floor_area m², footprint m²) and fill it for every feature"},
    "E973": {"severity": "error", "title": "invalid or empty geometry in a GeoPackage layer",
             "fix": "repair the feature (e.g. QGIS “Fix geometries”, or shapely.make_valid) and save again"},
    "E974": {"severity": "error", "title": "GeoPackage layer without a CRS, or in a projected CRS whose unit is not the metre",
             "fix": "assign the layer's CRS (e.g. EPSG:4547 CGCS2000 / 3-degree Gauss-Kruger CM 114E)"},
    "W975": {"severity": "warning", "title": "GeoPackage layer in a geographic CRS: reprojected to a UTM zone for metres",
             "fix": "reproject the plan to a projected CRS in metres (e.g. CGCS2000 3-degree Gauss-Kruger) to choose the zone yourself"},
    "W976": {"severity": "warning", "title": "indicator not computed: its formula needs a layer or field the GeoPackage lacks",
             "fix": "add the layer/field named in the message, or supply the value in a `values` layer"},
    "W977": {"severity": "warning", "title": "a supplied value replaces the value computed from geometry",
             "fix": "drop the supplied value to use the computed one, or keep it deliberately"},
}
"""Finding codes of GeoPackage input (collected by :mod:`toolkit.codes`)."""

REQUIRED_FIELDS = ("land_use", "floor_area", "footprint")
QUAD_SEGS = 32


@dataclass
class Layers:
    """The plan's layers as GeoDataFrames in one metric CRS (``None`` where absent)."""

    parcels: object
    bus_stops: object = None
    roads: object = None
    crs: str = ""


class FormulaError(Exception):
    """A formula cannot be computed on these layers (message names the missing layer/field)."""


# ------------------------------------------------------------------------------ formula evaluation
def _land_mask(codes, prefixes: list[str]):
    import numpy as np

    if not prefixes:
        return np.ones(len(codes), dtype=bool)
    return codes.str.startswith(tuple(prefixes)).to_numpy()


def covered_area(geoms, near, radius: float):
    """Area (m²) of each of ``geoms`` lying within ``radius`` m of any of ``near`` (arrays of shapely geometries).

    Buffers are indexed in an STRtree; each geometry is intersected with the buffers the index
    returns for it, and the pieces of one geometry are unioned (overlapping buffers count once).
    """
    import numpy as np
    import shapely

    geoms = np.asarray(geoms)
    out = np.zeros(len(geoms))
    if len(geoms) == 0 or len(near) == 0:
        return out
    near = np.asarray(near)
    buffers = shapely.buffer(near, radius, quad_segs=QUAD_SEGS)
    tree = shapely.STRtree(buffers)
    gi, bi = tree.query(geoms, predicate="intersects")
    if len(gi) == 0:
        return out
    # a parcel inside one buffer is covered whole (the common case: no overlay needed).  For points the
    # test is exact and cheap: every vertex within the radius (the farthest point of a polygon from a
    # point is a vertex: the Hausdorff distance); for other features, the buffer covers the parcel.
    points = shapely.get_type_id(near[bi]) == 0
    whole = np.zeros(len(gi), dtype=bool)
    if points.any():
        whole[points] = shapely.hausdorff_distance(geoms[gi[points]], near[bi[points]]) <= radius
    if (~points).any():
        shapely.prepare(buffers)
        whole[~points] = shapely.covers(buffers[bi[~points]], geoms[gi[~points]])
    full = np.unique(gi[whole])
    out[full] = shapely.area(geoms[full])
    keep = ~np.isin(gi, full)
    gi, bi = gi[keep], bi[keep]
    if len(gi) == 0:
        return out
    pieces = shapely.intersection(geoms[gi], buffers[bi])
    order = np.argsort(gi, kind="stable")
    gi, pieces = gi[order], pieces[order]
    starts = np.flatnonzero(np.r_[True, gi[1:] != gi[:-1]])
    ends = np.r_[starts[1:], len(gi)]
    single = (ends - starts) == 1
    out[gi[starts[single]]] = shapely.area(pieces[starts[single]])
    for s, e in zip(starts[~single], ends[~single]):  # parcels touched by several buffers: union their pieces
        out[gi[s]] = shapely.area(shapely.union_all(pieces[s:e]))
    return out


def term_value(term: m.FormulaTerm, layers: Layers) -> float:
    """The value of one formula term on ``layers`` (m², m or a count).  Raises :class:`FormulaError`."""
    import numpy as np
    import shapely

    if term.layer == "parcels":
        df = layers.parcels
    else:
        df = getattr(layers, term.layer)
        if df is None:
            raise FormulaError(f"layer `{term.layer}` is missing")
    if term.layer == "parcels":
        sel = df[_land_mask(df["land_use"], term.land_use)]
    elif term.layer == "roads":
        if term.kinds:
            if "kind" not in df.columns:
                raise FormulaError("layer `roads` has no field `kind`")
            sel = df[df["kind"].astype(str).isin(term.kinds).to_numpy()]
        else:
            sel = df
    else:
        sel = df
    if term.measure == "area":
        geoms = sel.geometry.to_numpy()
        if term.within is None:
            return float(shapely.area(geoms).sum())
        if term.near_layer == "bus_stops" or term.near_layer not in (None, "parcels"):
            near_df = getattr(layers, term.near_layer)
            if near_df is None:
                raise FormulaError(f"layer `{term.near_layer}` is missing")
            near = near_df.geometry.to_numpy()
        else:
            p = layers.parcels
            near = p[_land_mask(p["land_use"], term.near_land_use)].geometry.to_numpy()
        return float(covered_area(geoms, near, term.within).sum())
    if term.measure in ("floor_area", "footprint"):
        return float(sel[term.measure].astype(float).sum())
    if term.measure == "length":
        return float(shapely.length(sel.geometry.to_numpy()).sum())
    if term.measure == "count":
        return float(len(sel))
    if term.measure in ("blocks", "mixed_blocks"):
        if "block" not in df.columns:
            raise FormulaError("layer `parcels` has no field `block` (街坊编号)")
        sel = sel[sel["block"].fillna("").astype(str).str.strip().to_numpy() != ""]
        blocks = sel["block"].astype(str)
        if term.measure == "blocks":
            return float(blocks.nunique())
        classes = list(term.classes)

        def cls(codes):
            out = np.full(len(codes), "", dtype=object)
            s = codes.fillna("").astype(str)
            for c in classes:
                out[s.str.startswith(c).to_numpy() & (out == "")] = c
            return out

        main = cls(sel["land_use"])
        second = cls(sel["secondary_use"]) if "secondary_use" in sel.columns else np.full(len(sel), "", dtype=object)
        import pandas as pd

        frame = pd.DataFrame({"block": blocks.to_numpy(), "a": main, "b": second})
        pairs = pd.concat([frame[["block", "a"]].rename(columns={"a": "c"}), frame[["block", "b"]].rename(columns={"b": "c"})])
        pairs = pairs[pairs["c"] != ""]
        n_cls = pairs.groupby("block")["c"].nunique()
        return float((n_cls >= 2).sum())
    raise FormulaError(f"unknown measure `{term.measure}`")


def compute(formula: m.Formula, layers: Layers) -> float:
    """``scale × numerator / denominator`` on ``layers``.  Raises :class:`FormulaError` (also for a zero denominator)."""
    num = term_value(formula.numerator, layers)
    if formula.denominator is None:
        return formula.scale * num
    den = term_value(formula.denominator, layers)
    if den == 0:
        raise FormulaError("the denominator is 0 (no parcels of the land uses it counts)")
    return formula.scale * num / den


def compute_indicators(corpus: Corpus, layers: Layers) -> tuple[dict[str, float], dict[str, str]]:
    """Every indicator of the corpus that has a ``formula:``, computed on ``layers``.

    Returns ``(values, not_computed)``: indicator id → value in the indicator's unit, and
    indicator id → why it could not be computed.
    """
    values: dict[str, float] = {}
    skipped: dict[str, str] = {}
    for ind in corpus.indicators.values():
        if ind.formula is None:
            continue
        try:
            values[ind.id] = compute(ind.formula, layers)
        except FormulaError as exc:
            skipped[ind.id] = str(exc)
    return values, skipped


# ------------------------------------------------------------------------------ reading a GeoPackage
def _layer_names(path: Path) -> dict[str, str | None]:
    import pyogrio

    return {str(n): (str(g) if g else None) for n, g in pyogrio.list_layers(path)}


def _metric(gdf, layer: str, rel: str, findings: list[Finding], target_crs=None):
    """``gdf`` in a metric CRS (``target_crs`` if given); findings for no CRS (E974) or reprojection (W975)."""
    crs = gdf.crs
    loc = Location(rel)
    if crs is None:
        findings.append(Finding("E974", "error", f"layer `{layer}` has no CRS", loc, CODES["E974"]["fix"]))
        return None
    if target_crs is not None:
        return gdf if crs == target_crs else gdf.to_crs(target_crs)
    if crs.is_geographic:
        if gdf.empty:
            return gdf
        utm = gdf.estimate_utm_crs()
        findings.append(Finding("W975", "warning",
                                f"layer `{layer}` is in the geographic CRS {crs.to_string()} (degrees); reprojected to "
                                f"{utm.to_string()} ({utm.name}) to measure areas and distances in metres",
                                loc, CODES["W975"]["fix"]))
        return gdf.to_crs(utm)
    unit = (crs.axis_info[0].unit_name if crs.axis_info else "") or ""
    if unit not in ("metre", "meter", "m"):
        findings.append(Finding("E974", "error", f"layer `{layer}` is in {crs.to_string()}, whose unit is `{unit}`, not the metre",
                                loc, CODES["E974"]["fix"]))
        return None
    return gdf


def _check_geoms(gdf, layer: str, rel: str, findings: list[Finding], kinds: tuple[str, ...]) -> None:
    import numpy as np
    import shapely

    geoms = gdf.geometry.to_numpy()
    bad = np.flatnonzero(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    ids = gdf["fid"].to_numpy() if "fid" in gdf.columns else gdf.index.to_numpy()
    for i in bad[:20]:
        findings.append(Finding("E973", "error", f"layer `{layer}`, feature fid {ids[i]}: empty geometry",
                                Location(rel), CODES["E973"]["fix"]))
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    invalid = np.flatnonzero(ok & ~shapely.is_valid(np.where(ok, geoms, None)))
    for i in invalid[:20]:
        findings.append(Finding("E973", "error",
                                f"layer `{layer}`, feature fid {ids[i]}: invalid geometry ({shapely.is_valid_reason(geoms[i])})",
                                Location(rel), CODES["E973"]["fix"]))
    if len(invalid) > 20 or len(bad) > 20:
        findings.append(Finding("E973", "error", f"layer `{layer}`: {len(invalid) + len(bad)} bad geometries in all "
                                "(first 20 listed)", Location(rel), CODES["E973"]["fix"]))
    types = set(shapely.get_type_id(geoms[ok]).tolist()) if ok.any() else set()
    names = {0: "Point", 1: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString", 6: "MultiPolygon"}
    wrong = sorted(names.get(t, str(t)) for t in types if names.get(t) not in kinds)
    if wrong:
        findings.append(Finding("E973", "error", f"layer `{layer}` holds {', '.join(wrong)} geometries; expected {' or '.join(kinds)}",
                                Location(rel), CODES["E973"]["fix"]))


def read_layers(path: Path, rel: str) -> tuple[Layers | None, list[Finding], dict]:
    """Read and check the spatial layers; returns ``(layers, findings, tables)`` — ``tables`` the
    non-spatial ``plan``/``values``/``limits`` layers present, as DataFrames."""
    import numpy as np
    import pyogrio

    findings: list[Finding] = []
    try:
        names = _layer_names(path)
    except Exception as exc:  # noqa: BLE001 - pyogrio raises its own DataSourceError family
        findings.append(Finding("E971", "error", f"cannot read the GeoPackage: {exc}", Location(rel), CODES["E971"]["fix"]))
        return None, findings, {}
    if "parcels" not in names:
        findings.append(Finding("E971", "error", f"no `parcels` layer (layers: {', '.join(sorted(names)) or 'none'})",
                                Location(rel), CODES["E971"]["fix"]))
        return None, findings, {}

    def read(layer):
        return pyogrio.read_dataframe(path, layer=layer, fid_as_index=True)

    parcels = read("parcels")
    parcels["fid"] = parcels.index
    missing = [f for f in REQUIRED_FIELDS if f not in parcels.columns]
    if missing:
        findings.append(Finding("E972", "error", f"layer `parcels` lacks field(s) {', '.join(missing)} "
                                f"(fields: {', '.join(c for c in parcels.columns if c not in ('geometry', 'fid'))})",
                                Location(rel), CODES["E972"]["fix"]))
        return None, findings, {}
    for f in ("floor_area", "footprint"):
        vals = parcels[f]
        import pandas as pd

        num = pd.to_numeric(vals, errors="coerce")
        bad = np.flatnonzero((num.isna() | (num < 0)).to_numpy())
        for i in bad[:20]:
            findings.append(Finding("E972", "error", f"layer `parcels`, feature fid {parcels['fid'].iloc[i]}: "
                                    f"`{f}` is `{vals.iloc[i]}`, not a number ≥ 0 (m²)", Location(rel), CODES["E972"]["fix"]))
        parcels[f] = num
    lu = parcels["land_use"].astype("string")
    bad = np.flatnonzero((lu.isna() | ~lu.fillna("").str.fullmatch(r"\d{2}(\d{2}){0,2}")).to_numpy())
    for i in bad[:20]:
        findings.append(Finding("E972", "error", f"layer `parcels`, feature fid {parcels['fid'].iloc[i]}: `land_use` "
                                f"`{parcels['land_use'].iloc[i]}` is not a 用地用海分类 code (2, 4 or 6 digits, e.g. 0701)",
                                Location(rel), CODES["E972"]["fix"]))
    parcels["land_use"] = lu.fillna("")
    _check_geoms(parcels, "parcels", rel, findings, ("Polygon", "MultiPolygon"))
    parcels_m = _metric(parcels, "parcels", rel, findings)
    out = Layers(parcels_m, crs=str(parcels_m.crs.to_string()) if parcels_m is not None else "")
    for layer, kinds in (("bus_stops", ("Point", "MultiPoint")), ("roads", ("LineString", "MultiLineString"))):
        if layer in names and names[layer]:
            g = read(layer)
            g["fid"] = g.index
            _check_geoms(g, layer, rel, findings, kinds)
            if g.crs is None:
                findings.append(Finding("E974", "error", f"layer `{layer}` has no CRS", Location(rel), CODES["E974"]["fix"]))
            elif parcels_m is not None:
                setattr(out, layer, g.to_crs(parcels_m.crs) if g.crs != parcels_m.crs else g)
    tables = {t: read_table(path, t) for t in ("plan", "values", "limits") if t in names}
    if any(f.is_error for f in findings):
        return None, findings, tables
    return out, findings, tables


def read_table(path: Path, layer: str):
    """A non-spatial GeoPackage layer as a pandas DataFrame."""
    import pyogrio

    return pyogrio.read_dataframe(path, layer=layer, read_geometry=False)


def read_gpkg_plan(path: Path, corpus: Corpus, reader) -> tuple[object, list[Finding]]:
    """Read a plan GeoPackage: metadata (``plan`` layer), computed indicators, supplied values (``values``).

    ``reader`` is the :class:`toolkit.evaluate.plan._Reader` doing shared validation.  Returns
    ``(plan or None, findings)``.
    """
    from toolkit.evaluate.plan import Plan, PlanValue, _read_rows

    layers, findings, tables = read_layers(path, reader.rel)
    if layers is None:
        return None, findings
    plan_df, values_df, limits_df = tables.get("plan"), tables.get("values"), tables.get("limits")
    plan = Plan(path=path)
    if limits_df is not None:
        for i in range(len(limits_df)):
            item = {c: limits_df[c].iloc[i] for c in limits_df.columns}
            lim = reader.limit(item, i + 1, f"{reader.rel}: limits row {i + 1}")
            if lim:
                plan.limits.append(lim)
    if plan_df is not None:
        if not {"key", "value"} <= set(plan_df.columns):
            findings.append(Finding("E971", "error", "layer `plan` needs the columns `key` and `value`",
                                    Location(reader.rel), "one row per field: name, level, plan_type, year, facet ids"))
        else:
            meta, lines = {}, {}
            for i, (k, v) in enumerate(zip(plan_df["key"], plan_df["value"]), start=1):
                k = str(k).strip()
                if k in corpus.facets:
                    meta.setdefault("facets", {})[k] = v
                else:
                    meta[k] = v
                lines[k] = i
            reader.meta(plan, meta, lambda k: lines.get(k, 0))
    values, skipped = compute_indicators(corpus, layers)
    for iid in sorted(values):
        ind = corpus.indicators[iid]
        v = values[iid]
        if not math.isfinite(v):
            continue
        plan.values.append(PlanValue(iid, v, f"{v:.6g}", {}, "computed", f"{reader.rel}: parcels",
                                     f"按几何计算：{ind.formula.text}"))
    for iid in sorted(skipped):
        findings.append(Finding("W976", "warning", f"`{iid}`（{corpus.indicators[iid].name}）not computed: {skipped[iid]}",
                                Location(reader.rel), CODES["W976"]["fix"]))
    if values_df is not None:
        cols = [c for c in values_df.columns]
        rows = [(i + 2, [values_df[c].iloc[i] for c in cols]) for i in range(len(values_df))]
        supplied = Plan(path=path)
        _read_rows(reader, supplied, cols, rows)
        for pv in supplied.values:
            pv.where = f"{reader.rel}: values row {pv.where.rsplit(':', 1)[-1]}"
            if any(x.indicator == pv.indicator and x.origin == "computed" for x in plan.values):
                findings.append(Finding("W977", "warning", f"`{pv.indicator}`: the supplied value {pv.given} replaces the "
                                        "value computed from geometry", Location(reader.rel), CODES["W977"]["fix"]))
                plan.values = [x for x in plan.values if not (x.indicator == pv.indicator and x.origin == "computed")]
            plan.values.append(pv)
    return plan, findings
