"""Benchmarks of ``stdkit evaluate`` (issue 14): a 100-value plan against the real corpus, and the
geometric indicators of a 10 000-parcel GeoPackage.  Part of ``make bench`` (``--only evaluate``);
runs alone too: ``python benchmarks/evaluate.py [--runs 5]``.

Figures (medians of ``--runs``):

* ``evaluate — 100 values`` — ``stdkit evaluate plan.yaml --format json`` as a child process
  (interpreter start, imports, corpus load, evaluation, output), target < 1 s; and the evaluation
  alone in-process (read the plan + judge every applicable target), for the floor;
* ``evaluate — 10 000 parcels`` — ``stdkit evaluate big.gpkg --format json`` as a child process
  (GeoPackage read, validity and CRS checks, every ``formula:`` of the corpus), target < 10 s; and
  the computation of the indicators alone in-process.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "scripts"))

from run import STDKIT, Figure, Sample, floored, log, run  # noqa: E402


def plan_of_100_values(path: Path) -> Path:
    """A municipal detailed plan with 100 values: 90 indicators once, 10 land-use–faceted values of
    主导用途建筑面积占比, and a local limit."""
    sys.path.insert(0, str(REPO))
    from toolkit.corpus import load_corpus

    c, _ = load_corpus(REPO)
    lines = ["plan: {name: 基准方案, level: municipal, plan_type: detailed, year: 2035, facets: {area-type: new-district}}",
             "limits:", "  - {indicator: ind-far, comparator: '<=', value: 2.5, source: 基准}", "values:"]
    faceted = "ind-dominant-use-floor-area-share"
    ids = [i for i in sorted(c.indicators) if i != faceted][:90]
    for n, iid in enumerate(ids):
        lines.append(f"  {iid}: {10 + (n % 50)}")
    codes = ["0701", "070102", "0901", "0902", "0804", "1001"]
    lines.append(f"  {faceted}:")
    for k in range(100 - len(ids)):
        lines.append(f"    - {{value: {60 + k % 30}, facets: {{land-use: '{codes[k % len(codes)]}'}}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bench_evaluate(work: Path, runs: int) -> list[Figure]:
    """The two evaluate figures (child process) and their in-process floors."""
    import make_sample_plan

    work.mkdir(parents=True, exist_ok=True)
    plan = plan_of_100_values(work / "plan-100.yaml")
    log("evaluate: 100 values")
    f1 = Figure("evaluate — plan of 100 values, real corpus (whole command)", target="< 1 s", limit=1.0)
    for _ in range(runs):
        floored(f1, REPO, lambda: run(STDKIT + ["evaluate", str(plan), "--format", "json"], REPO))
    for s in f1.samples:  # exit 1 (a target fails) is a result, not a failure of the run
        s.rc = 0 if s.rc in (0, 1) else s.rc

    from toolkit.corpus import load_corpus
    from toolkit.evaluate.engine import evaluate
    from toolkit.evaluate.read import read_plan

    corpus, _ = load_corpus(REPO)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        p, found = read_plan(plan, corpus)
        assert p is not None and len(p.values) == 100, [str(f) for f in found]
        evaluate(corpus, p)
        times.append(time.perf_counter() - t0)
    f1b = Figure("evaluate — plan of 100 values, evaluation alone (in-process)", target="< 1 s", limit=1.0)
    f1b.samples = [Sample(t, 0.0, 0) for t in times]

    big = work / "parcels-10000.gpkg"
    if not big.exists():
        log("generating a 10 000-parcel GeoPackage")
        make_sample_plan.write_gpkg(make_sample_plan.grid_frames(10000), big)
    log("evaluate: 10 000 parcels")
    f2 = Figure("evaluate — GeoPackage of ~10 000 parcels (whole command)", target="< 10 s", limit=10.0)
    for _ in range(max(3, runs - 2)):
        floored(f2, REPO, lambda: run(STDKIT + ["evaluate", str(big), "--format", "json"], REPO))
    for s in f2.samples:
        s.rc = 0 if s.rc in (0, 1) else s.rc

    from toolkit.evaluate.geometry import compute_indicators, read_layers

    layers, found, _ = read_layers(big, big.name)
    n_parcels = len(layers.parcels)
    times = []
    for _ in range(max(3, runs - 2)):
        t0 = time.perf_counter()
        vals, skipped = compute_indicators(corpus, layers)
        times.append(time.perf_counter() - t0)
    assert not skipped, skipped
    f2b = Figure(f"evaluate — {n_parcels} parcels, {len(vals)} geometric indicators computed (in-process)",
                 target="< 10 s", limit=10.0)
    f2b.samples = [Sample(t, 0.0, 0) for t in times]
    return [f1, f1b, f2, f2b]


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    from run import table

    ap = argparse.ArgumentParser(description="stdkit evaluate benchmarks")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="stdkit-bench-eval-") as tmp:
        figs = bench_evaluate(Path(tmp), a.runs)
    print(table(figs))
    print("medians: " + ", ".join(f"{f.name}: {statistics.median(s.seconds for s in f.samples):.3f} s" for f in figs),
          file=sys.stderr)
    return 0 if all(f.ok for f in figs) else 1


if __name__ == "__main__":
    sys.exit(main())
