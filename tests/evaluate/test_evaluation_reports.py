"""The reports open where planners open them (XLSX in openpyxl, DOCX in LibreOffice, HTML in Chromium) and are deterministic."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from evalhelp import EXAMPLES, ROOT, run_cli

sys.path.insert(0, str(ROOT / "tests" / "site"))

FORMATS = ("text", "json", "html", "xlsx", "docx")


def _write(out: Path, plan: Path = EXAMPLES / "detailed-unit.yaml"):
    args = [str(plan)]
    for f in FORMATS:
        args += ["--format", f]
    res = run_cli(*args, "--out", str(out))
    assert res.exit_code == 1, res.stderr
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    return _write(tmp_path_factory.mktemp("rep") / "a")


def test_all_files_written_and_deterministic(reports, tmp_path):
    names = sorted(p.name for p in reports.iterdir())
    assert names == sorted(["evaluation.txt", "evaluation.json", "evaluation.html", "evaluation-checklist.xlsx",
                            "review-opinion.docx"])
    again = _write(tmp_path / "b")
    for n in names:
        assert (reports / n).read_bytes() == (again / n).read_bytes(), n


def test_xlsx_checklist_opens(reports):
    from openpyxl import load_workbook

    wb = load_workbook(reports / "evaluation-checklist.xlsx")
    assert wb.sheetnames == ["审查清单", "方案"]
    ws = wb["审查清单"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["序号", "指标", "指标编号", "性质", "单位", "目标值"] and "结论" in header
    rows = {r[2]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    col = header.index("结论")
    assert rows["ind-green-coverage-rate"][col] == "不符合"
    assert rows["ind-far"][col] == "符合"
    data = json.loads((reports / "evaluation.json").read_text(encoding="utf-8"))
    assert ws.max_row - 1 == len(data)
    assert "约束性指标存在不符合" in str([c.value for c in wb["方案"]["B"]])


def test_docx_review_opinion_opens_in_libreoffice(reports, tmp_path):
    assert shutil.which("soffice"), "LibreOffice is a system dependency of the tests"
    res = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                          "txt:Text", "--outdir", str(tmp_path), str(reports / "review-opinion.docx")],
                         capture_output=True, text=True, timeout=180)
    txt = tmp_path / "review-opinion.txt"
    assert txt.is_file(), res.stderr
    text = txt.read_text(encoding="utf-8-sig")
    for part in ("关于《滨江新区A-03单元详细规划（示例）》双碳指标的审查意见", "二、审查依据", "三、审查结论",
                 "四、约束性指标逐项意见", "六、修改要求", "绿化覆盖率", "《国土空间详细规划编制指南》"):
        assert part in text, part
    import docx

    d = docx.Document(str(reports / "review-opinion.docx"))
    assert {p.style.name for p in d.paragraphs} >= {"标准名称", "Heading 1", "段"}
    assert d.tables and d.tables[0].style.name == "标准表格"


def test_html_report_in_chromium(reports):
    from playwright.sync_api import sync_playwright

    from sitebrowser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((reports / "evaluation.html").as_uri())
        assert "约束性指标存在不符合" in page.inner_text("#conclusion")
        fail = page.locator('tr[data-indicator="ind-green-coverage-rate"]')
        assert fail.get_attribute("data-verdict") == "fail"
        assert "不符合" in fail.inner_text()
        assert page.locator("tr.pass").count() >= 8
        browser.close()
    assert errors == []


def test_text_report(reports):
    text = (reports / "evaluation.txt").read_text(encoding="utf-8")
    assert "结论：约束性指标存在不符合或缺项，需修改完善" in text and "绿化覆盖率" in text
