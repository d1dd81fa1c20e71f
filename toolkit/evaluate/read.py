"""Read any plan for ``stdkit evaluate``: YAML, CSV, XLSX (:mod:`toolkit.evaluate.plan`) or a GeoPackage
(:mod:`toolkit.evaluate.geometry`, which builds on ``plan``)."""
from __future__ import annotations

from pathlib import Path

from toolkit.corpus import Corpus
from toolkit.evaluate import plan as P
from toolkit.findings import Finding


def read_plan(path: Path, corpus: Corpus, options: P.PlanOptions | None = None,
              root: Path | None = None) -> tuple[P.Plan | None, list[Finding]]:
    """:func:`toolkit.evaluate.plan.read_plan` with GeoPackages read by :func:`toolkit.evaluate.geometry.read_gpkg_plan`
    (GeoPandas is imported only for a ``.gpkg``)."""
    gpkg = None
    if Path(path).suffix.lower() == ".gpkg":
        from toolkit.evaluate.geometry import read_gpkg_plan as gpkg
    return P.read_plan(path, corpus, options, root, gpkg)
