"""``stdkit evaluate``: read the plan, evaluate it, print or write the reports (CLI layer, no logic of its own).

Exit codes: 0 every 约束性 target passes, 1 one fails or its value is missing, 2 cannot run
(bad plan input — findings printed, nothing written — unknown standard, unknown format).
"""
from __future__ import annotations

from pathlib import Path

from toolkit.findings import format_finding, sort_findings


def run_evaluate(root: Path, plan_path: Path, standards: list[str], formats: list[str], out_dir: Path | None,
                 level, plan_type, year, facets: list[str], name, out, err) -> int:
    """Run one evaluation; ``out``/``err`` are rich consoles.  Returns the exit code."""
    from toolkit.corpus import load_corpus
    from toolkit.evaluate.engine import evaluate, suggest_standard
    from toolkit.evaluate.plan import PlanOptions
    from toolkit.evaluate.read import read_plan
    from toolkit.render import evaluation as rep

    bad = [f for f in formats if f not in rep.FORMATS]
    if bad:
        err.print(f"stdkit evaluate: unknown format {', '.join(bad)}; formats are {', '.join(rep.FORMATS)}")
        return 2
    try:
        corpus, cfind = load_corpus(root)
    except Exception as exc:  # noqa: BLE001 - a bug, not content
        err.print(f"stdkit evaluate: internal error while loading the corpus: {type(exc).__name__}: {exc}")
        return 2
    if any(f.is_error for f in cfind):
        err.print(f"stdkit evaluate: the corpus has {sum(f.is_error for f in cfind)} error(s); run `stdkit check`")
        return 2
    for s in standards:
        if s not in corpus.standards:
            err.print(f"stdkit evaluate: unknown standard `{s}` ({suggest_standard(corpus, s)})")
            return 2
    plan, findings = read_plan(plan_path, corpus, PlanOptions(name, level, plan_type, year, list(facets)), root)
    for f in sort_findings(findings):
        err.print(format_finding(f), soft_wrap=True, markup=False)
    if plan is None:
        err.print(f"stdkit evaluate: {sum(f.is_error for f in findings)} error(s) in the plan; nothing was evaluated, "
                  "no report written")
        return 2
    try:
        ev = evaluate(corpus, plan, standards)
        if out_dir is None and set(formats) <= {"text", "json"}:
            for f in formats:
                if f == "text":
                    rep.print_text(corpus, ev, out)
                else:
                    out.file.write(rep.json_text(ev))
        else:
            target = out_dir or (Path.cwd() / "evaluation" / plan_path.stem)
            written = rep.write_reports(corpus, ev, formats, target)
            if "text" in formats and out_dir is None:
                rep.print_text(corpus, ev, out)
            for p in written:
                err.print(f"stdkit evaluate: wrote {p}")
    except Exception as exc:  # noqa: BLE001 - a bug, not content: one line, no traceback
        err.print(f"stdkit evaluate: internal error: {type(exc).__name__}: {exc}")
        return 2
    return ev.exit_code
