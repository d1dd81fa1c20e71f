"""The per-cell evaluation template (offered on each cell page) is a plan: filled in, it evaluates."""
from __future__ import annotations

import json

from openpyxl import load_workbook

from evalhelp import run_cli


def test_template_lists_the_cells_indicators_and_round_trips(corpus, tmp_path):
    from toolkit.evaluate.engine import applicable_criteria
    from toolkit.render.evaluation_template import template_xlsx

    cell = corpus.cells["county-master"]
    path = tmp_path / "t.xlsx"
    path.write_bytes(template_xlsx(corpus, cell))
    assert template_xlsx(corpus, cell) == path.read_bytes()  # deterministic
    wb = load_workbook(path)
    ws = wb["values"]
    header = [c.value for c in ws[1]]
    assert header[:8] == ["指标编号", "指标名称", "性质", "目标值", "适用条件", "依据", "方案值", "单位"]
    ids = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert {c.indicator for c in applicable_criteria(corpus, "county", "master")} <= set(ids)
    assert not any("纽约" in str(r[3]) for r in ws.iter_rows(min_row=2, values_only=True))
    # fill in two values and the plan's facts, then evaluate the workbook as it is
    col = header.index("方案值") + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "ind-far":
            row[col - 1].value = 0.9
        if row[0].value == "ind-low-rise-new-building-share":
            row[col - 1].value = 80
    plan = wb["plan"]
    for row in plan.iter_rows(min_row=2):
        if row[0].value == "area-type":
            row[1].value = "county-town-built-up"
        if row[0].value == "name":
            row[1].value = "某县城"
    wb.save(path)
    res = run_cli(str(path), "--format", "json")
    assert res.exit_code == 1, res.stderr  # 容积率 0.9 above 0.6～0.8; 人口密度 (约束性) missing
    rows = {(r["indicator"], r["verdict"]) for r in json.loads(res.stdout)}
    assert ("ind-far", "fail") in rows and ("ind-low-rise-new-building-share", "pass") in rows
    assert ("ind-county-town-population-density", "missing") in rows
