"""``--artifacts``: build/ read back and compared with the source (A001–A005).

A good build of the small base fixture is made once per module with the real
writers (corpus.json, matrices and indicator tables, the draft's PDF and DOCX);
the site pages are written as plain HTML files in the layout the site writer
uses.  Each case then breaks a copy of that build, or changes the corpus after
the build, and must be reported.  The real corpus built by every build step
(shared with tests/site) must read back with no finding.
"""
from __future__ import annotations

import fcntl
import html
import json
import os
import shutil
from pathlib import Path

import pytest

from fixture_corpus import materialize
from toolkit.checks.artifacts import check_artifacts
from toolkit.corpus import load_corpus
from toolkit.findings import format_finding

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def write_site_pages(corpus, site: Path) -> None:
    """A page per standard and per indicator, as the site writer lays them out."""
    for section, records, attr in (("standards", corpus.standards, "title"), ("indicators", corpus.indicators, "name")):
        for id_, rec in records.items():
            page = site / section / id_ / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"<html><body><h1>{html.escape(getattr(rec, attr))}</h1></body></html>", encoding="utf-8")


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """``(root, build dir)`` of the base fixture corpus, built with the real writers."""
    from toolkit.render.drafts import render_draft
    from toolkit.render.data import write_corpus_json
    from toolkit.render.tables import write_indicator_tables, write_matrices

    base = tmp_path_factory.mktemp("artifacts")
    root = materialize(None, base / "project")
    corpus, findings = load_corpus(root)
    assert findings == []
    out = base / "build"
    out.mkdir()
    write_corpus_json(corpus, out)
    write_matrices(corpus, out)
    write_indicator_tables(corpus, out)
    for sid in corpus.drafts:
        render_draft(corpus, sid, out)
    write_site_pages(corpus, out / "site")
    return root, out


@pytest.fixture
def broken(good, tmp_path):
    """A private copy of the good build: ``(root, build dir)``."""
    root, out = good
    copy = tmp_path / "build"
    shutil.copytree(out, copy)
    return root, copy


def codes_for(root: Path, build: Path) -> list[str]:
    corpus, _ = load_corpus(root)
    return [f.code for f in check_artifacts(corpus, build)]


def test_good_build_reads_back_clean(good):
    root, out = good
    corpus, _ = load_corpus(root)
    assert [format_finding(f) for f in check_artifacts(corpus, out)] == []


def test_a001_no_build_folder(good, tmp_path):
    root, _ = good
    assert codes_for(root, tmp_path / "build") == ["A001"]


@pytest.mark.parametrize("rel", ["data/corpus.json", "matrices/strategy-matrix.xlsx", "indicators/indicators.xlsx",
                                 "drafts/std-demo-guide.docx", "drafts/std-demo-guide.pdf",
                                 "site/standards/std-demo-guide/index.html",
                                 "site/indicators/ind-green-travel-share/index.html"])
def test_a001_missing_artifact(broken, rel):
    root, out = broken
    (out / rel).unlink()
    assert codes_for(root, out) == ["A001"]


@pytest.mark.parametrize("rel", ["data/corpus.json", "matrices/strategy-matrix.xlsx", "indicators/indicators.xlsx",
                                 "drafts/std-demo-guide.docx", "drafts/std-demo-guide.pdf"])
def test_a002_corrupt_artifact(broken, rel):
    root, out = broken
    path = out / rel
    path.write_bytes(path.read_bytes()[:200])
    assert codes_for(root, out) == ["A002"]


def _edit_json(out: Path, fn) -> None:
    path = out / "data" / "corpus.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a003_record_missing_from_corpus_json(broken):
    root, out = broken
    _edit_json(out, lambda d: d["measures"].pop(0))
    assert codes_for(root, out) == ["A003"]


def test_a004_title_differs_in_corpus_json(broken):
    root, out = broken
    _edit_json(out, lambda d: d["indicators"][0].update(name="改过的名称"))
    assert codes_for(root, out) == ["A004"]


def test_a005_stale_record_in_corpus_json(broken):
    root, out = broken
    _edit_json(out, lambda d: d["standards"].append({"id": "std-removed", "title": "已删除的标准"}))
    assert codes_for(root, out) == ["A005"]


def test_a004_count_matrix_differs(broken):
    import openpyxl

    root, out = broken
    path = out / "matrices" / "strategy-matrix.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["数量矩阵"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "市级国土空间总体规划":
            row[2].value = 7  # 交通 column: the corpus has 1
    wb.save(path)
    found = codes_for(root, out)
    assert "A004" in found


def test_a003_measure_missing_from_strategy_matrix(broken):
    import openpyxl

    root, out = broken
    path = out / "matrices" / "strategy-matrix.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["策略矩阵"]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "m-provincial-master-energy-01" in cell.value:
                cell.value = ""
    wb.save(path)
    assert codes_for(root, out) == ["A003"]


def test_a003_indicator_row_missing(broken):
    import openpyxl

    root, out = broken
    path = out / "indicators" / "indicators.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        if row[0].value == "ind-road-network-density":
            ws.delete_rows(row[0].row)
            break
    wb.save(path)
    assert codes_for(root, out) == ["A003"]


def test_a004_indicator_row_twice(broken):
    import openpyxl

    root, out = broken
    path = out / "indicators" / "indicators.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws.append([c.value for c in next(r for r in ws.iter_rows() if r[0].value == "ind-charging-stations")])
    wb.save(path)
    assert codes_for(root, out) == ["A004"]


def test_a003_clause_missing_from_docx(broken):
    import docx

    root, out = broken
    path = out / "drafts" / "std-demo-guide.docx"
    d = docx.Document(str(path))
    for p in d.paragraphs:
        if p.text.replace("\u3000", " ").strip() == "4.2 生活圈":
            p._element.getparent().remove(p._element)
    d.save(str(path))
    found = codes_for(root, out)
    assert found == ["A003"]


def test_a003_stale_draft_after_corpus_edit(good, tmp_path):
    """A chapter renamed in the YAML after the build: DOCX, PDF and corpus.json no longer agree."""
    root, out = good
    edited = tmp_path / "project"
    shutil.copytree(root, edited)
    draft = edited / "standards" / "drafts" / "std-demo-guide.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("title: 交通\n", "title: 绿色交通\n"), encoding="utf-8")
    corpus, findings = load_corpus(edited)
    assert findings == []
    found = check_artifacts(corpus, out)
    where = {f.location.file.rsplit("/", 1)[-1] for f in found if f.code == "A003"}
    assert {"std-demo-guide.docx", "std-demo-guide.pdf"} <= where


def test_a004_site_page_shows_another_title(broken):
    root, out = broken
    page = out / "site" / "indicators" / "ind-charging-stations" / "index.html"
    page.write_text("<html><body><h1>别的指标</h1></body></html>", encoding="utf-8")
    assert codes_for(root, out) == ["A004"]


def test_findings_are_capped_per_artifact(broken):
    root, out = broken
    corpus, _ = load_corpus(root)
    for i in range(40):  # 40 measures that the build never saw
        corpus.measures[f"m-extra-{i:02d}"] = corpus.measures["m-provincial-master-energy-01"].model_copy(
            update={"id": f"m-extra-{i:02d}"})
    found = [f for f in check_artifacts(corpus, out) if f.location.file.endswith("corpus.json")]
    assert len(found) == 21 and "more" in found[-1].message


# ---------------------------------------------------------------------- the real corpus
def _shared_real_build(tmp_path_factory, worker_id: str) -> Path:
    """The real corpus built by every registered step, once per session for all xdist workers.

    Same folder, lock and marker names as ``tests/site/conftest.py``'s ``built`` fixture,
    so whichever test module runs first builds and the other reuses it.
    """
    from toolkit.build.engine import render_all
    from toolkit.render import output_names

    base = tmp_path_factory.getbasetemp()
    shared = base if worker_id == "master" else base.parent
    out = shared / "stdkit-site-real"
    done = shared / "stdkit-site-real.json"
    with open(shared / "stdkit-site-real.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            if out.exists():
                shutil.rmtree(out)
            out.mkdir()
            corpus, _ = load_corpus(ROOT)
            render_all(corpus, out, ROOT)
            done.write_text(json.dumps({"steps": output_names()}))
    return out


@pytest.fixture(scope="session")
def real_build(tmp_path_factory, request) -> Path:
    worker_id = getattr(request.config, "workerinput", {}).get("workerid", "master")
    return _shared_real_build(tmp_path_factory, worker_id)


def test_real_build_agrees_with_the_source(real_build):
    corpus, _ = load_corpus(ROOT)
    found = check_artifacts(corpus, real_build)
    assert [format_finding(f) for f in found] == []
    # the comparison is not vacuous: every artifact it reads is there
    assert (real_build / "matrices" / "strategy-matrix.xlsx").is_file()
    assert all((real_build / "drafts" / f"{sid}.docx").is_file() for sid in corpus.drafts)
    assert all((real_build / "site" / "indicators" / iid / "index.html").is_file() for iid in corpus.indicators)
