"""Outputs of the drafting loop on the real corpus: 征求意见汇总处理表 (DOCX, XLSX), 编制说明 (DOCX, PDF),
the internal review page (review build only), the build step, and LibreOffice opening the documents."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from review_helpers import STD, reviewed_docx
from toolkit.cli import app
from toolkit.corpus import load_corpus
from toolkit.render.explanation import build_explanation
from toolkit.render.reviews import render_reviews

ROOT = Path(__file__).resolve().parents[2]
GUIDE = "std-detailed-plan-guide"


@pytest.fixture(scope="module")
def real_outputs(tmp_path_factory):
    corpus, _ = load_corpus(ROOT)
    out = tmp_path_factory.mktemp("rv")
    written = render_reviews(corpus, out, review=True)
    return corpus, out, written


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            parts.append(" | ".join(c.text for c in r.cells))
    return "\n".join(parts)


def test_build_writes_both_documents_for_the_guide(real_outputs):
    _, out, written = real_outputs
    names = {p.relative_to(out).as_posix() for p in written}
    assert {f"reviews/{GUIDE}-disposition.docx", f"reviews/{GUIDE}-disposition.xlsx",
            f"drafts/{GUIDE}-explanation.docx", f"drafts/{GUIDE}-explanation.pdf",
            f"reviews/review/{GUIDE}.html"} <= names


def test_disposition_table_layout_and_counts(real_outputs):
    corpus, out, _ = real_outputs
    text = _docx_text(out / "reviews" / f"{GUIDE}-disposition.docx")
    assert "《国土空间详细规划编制指南》征求意见汇总处理表" in text
    assert "序号 | 标准章条编号 | 意见内容 | 提出单位 | 处理意见 | 备注" in text
    rnd = corpus.reviews[f"{GUIDE}/r1-zqyj"]
    assert f"①发送《征求意见稿》的单位数：{len(rnd.units_sent)}个。" in text
    assert "④没有回函的单位数：7个。" in text
    assert "未采纳。外部空间形态指数" in text
    ws = openpyxl.load_workbook(out / "reviews" / f"{GUIDE}-disposition.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "《国土空间详细规划编制指南》征求意见汇总处理表"
    assert list(rows[2]) == ["序号", "标准章条编号", "意见内容", "提出单位", "处理意见", "备注"]
    assert len([r for r in rows[3:] if isinstance(r[0], int)]) == len(rnd.comments)


def test_explanation_has_its_nine_parts_from_data(real_outputs):
    corpus, out, _ = real_outputs
    text = _docx_text(out / "drafts" / f"{GUIDE}-explanation.docx")
    for head in ("一、工作简况", "（一）任务来源", "（二）主要工作过程", "（三）起草单位和起草人", "二、编制原则和主要内容",
                 "三、验证情况", "四、与国际国外同类标准的对比", "五、与法律法规和强制性标准的关系",
                 "六、重大分歧意见的处理经过和依据", "七、涉及专利的说明", "八、实施建议", "九、其他"):
        assert head in text, head
    ex = corpus.standards[GUIDE].explanation
    assert ex.drafters[0].name in text and ex.process[0].event in text
    assert "GB 50180—2018《城市居住区规划设计标准》" in text  # 强制性标准 from the references
    assert "确定依据：研究报告§" in text and "为编制组新起草的内容" in text
    assert "外部空间形态指数的计算方法未给出" in text  # a 未采纳 comment with its reason
    pdf = subprocess.run(["pdftotext", str(out / "drafts" / f"{GUIDE}-explanation.pdf"), "-"],
                         capture_output=True, text=True).stdout
    assert "六、重大分歧意见的处理经过和依据" in pdf and "TD/T XXXX—20XX" in pdf


def test_outputs_are_deterministic(real_outputs, tmp_path):
    corpus, out, written = real_outputs
    again = render_reviews(corpus, tmp_path, review=True)
    for a, b in zip(written, again):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_review_page_only_in_review_build(real_outputs, tmp_path):
    corpus, out, _ = real_outputs
    page = (out / "reviews" / "review" / f"{GUIDE}.html").read_text(encoding="utf-8")
    assert "内部审阅页面" in page and "9.1.1" in page and "待处理" in page
    public = render_reviews(corpus, tmp_path, review=False)
    assert not any("review/" in p.relative_to(tmp_path).as_posix() for p in public)


def test_only_standards_with_rounds_get_documents(real_outputs):
    _, out, written = real_outputs
    assert {p.name.split("-explanation")[0] for p in written if "-explanation" in p.name} == {GUIDE}


def test_build_step_runs_in_stdkit_build(project, tmp_path):
    res = CliRunner().invoke(app, ["review", "import", str(reviewed_docx(project, tmp_path / "b.docx")),
                                   "--standard", STD, "--from", "某市规划设计研究院", "--root", str(project)])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(app, ["build", "--root", str(project), "--only", "reviews", "--quiet"])
    assert res.exit_code == 0, res.output
    assert (project / "build" / "reviews" / f"{STD}-disposition.docx").is_file()
    assert (project / "build" / "drafts" / f"{STD}-explanation.pdf").is_file()
    assert not (project / "build" / "reviews" / "review").exists()


@pytest.mark.slow
def test_libreoffice_opens_both_documents(real_outputs, tmp_path):
    _, out, _ = real_outputs
    for src in (out / "reviews" / f"{GUIDE}-disposition.docx", out / "drafts" / f"{GUIDE}-explanation.docx"):
        res = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                              "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                             capture_output=True, text=True, timeout=180)
        pdf = tmp_path / (src.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 5000, res.stderr
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "国土空间详细规划编制指南" in text


def test_explanation_groups_sources_by_report_section():
    corpus, _ = load_corpus(ROOT)
    ex = build_explanation(corpus, GUIDE)
    content = next(p for p in ex.parts if p.heading.startswith("（二）主要内容"))
    basis = [t for t in content.paras if t.startswith("确定依据")]
    assert basis and all("004" not in t for t in basis)
    assert any("§7.6(四)" in t for t in basis)
