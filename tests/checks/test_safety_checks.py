"""Issue 11 checks: reserved ids (E105), over-long texts (E106), empty corpus (E013), missing registry (E014),
and formula-safe spreadsheets (every XLSX and CSV stdkit writes)."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from fixture_corpus import materialize
from toolkit.checks import run_checks
from toolkit.checks.reserved import FOLDERS, GENERATED
from toolkit.cli import app
from toolkit.corpus import load_corpus
from toolkit.render.cellsafe import CUT_NOTE, FORMULA_START, MAX_CELL_CHARS

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def findings_of(root: Path):
    corpus, findings = load_corpus(root)
    return corpus, findings + run_checks(corpus)


# ---------------------------------------------------------------------- E105 reserved ids
def test_reserved_names_are_the_ones_the_writers_use(corpus, tmp_path):
    """Every non-record page or file the site and the table/draft writers put in an id folder is reserved."""
    from toolkit.render.drafts import DRAFTS_DIR, REVIEW_DIR
    from toolkit.render.site import page_specs
    from toolkit.render.tables import write_indicator_tables, write_matrices

    record_ids = {"standards": set(corpus.standards), "indicators": set(corpus.indicators),
                  "cells": set(corpus.cells), "domains": set(corpus.domains)}
    for spec in page_specs(corpus):
        folder, _, name = spec.src_uri.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        if folder in record_ids and stem not in record_ids[folder]:
            assert stem in GENERATED[folder], f"site page {spec.src_uri} is not reserved in checks/reserved.py"
    written = write_indicator_tables(corpus, tmp_path) + write_matrices(corpus, tmp_path)
    for p in written:
        parts = p.relative_to(tmp_path).parts
        if parts[0] in GENERATED and len(parts) > 1:
            assert parts[1].split(".", 1)[0] in GENERATED[parts[0]], p
    assert REVIEW_DIR in GENERATED[DRAFTS_DIR]
    assert {f for fs in FOLDERS.values() for f in fs} == set(GENERATED)


@pytest.mark.parametrize("kind, fname, text", [
    ("indicator", "indicators/index.yaml",
     "indicators:\n  - {id: index, name: 指数, unit: '%', kind: 预期性, direction: higher, domains: [transport], source: t}\n"),
    ("indicator", "indicators/by.yaml",
     "indicators:\n  - {id: by-standard, name: 指数, unit: '%', kind: 预期性, direction: higher, domains: [transport], source: t}\n"),
])
def test_reserved_id_is_an_error_with_a_hint(tmp_path, kind, fname, text):
    root = materialize(None, tmp_path)
    (root / "standards" / fname).write_text(text, encoding="utf-8")
    r = runner.invoke(app, ["check", "--root", str(root)])
    assert r.exit_code == 1, r.output
    line = next(l for l in r.output.splitlines() if " E105 " in l)
    assert line.startswith(f"standards/{fname}:2:") and "reserved" in line and "(hint: rename" in line


def test_hand_written_page_in_a_section_reserves_its_name(tmp_path):
    root = materialize(None, tmp_path)
    sid = next(iter(load_corpus(root)[0].standards))
    (root / "site" / "standards").mkdir(parents=True)
    (root / "site" / "standards" / f"{sid}.md").write_text("# 手写页面\n", encoding="utf-8")
    _, found = findings_of(root)
    hits = [f for f in found if f.code == "E105"]
    assert hits and f"site/standards/{sid}" in hits[0].message


def test_site_root_names_are_free_for_ids(tmp_path):
    """Ids never land at the site root, so `search`, `assets`, `404`, `sitemap` are not reserved."""
    root = materialize(None, tmp_path)
    (root / "standards" / "indicators" / "x.yaml").write_text(
        "indicators:\n" + "".join(f"  - {{id: {i}, name: 指标{i}, unit: '%', kind: 预期性, direction: higher, "
                                  f"domains: [transport], source: t}}\n" for i in ("search", "assets", "sitemap")),
        encoding="utf-8")
    _, found = findings_of(root)
    assert not [f for f in found if f.code == "E105"]


# ---------------------------------------------------------------------- E013 / E014
def test_empty_corpus_is_an_error(tmp_path):
    (tmp_path / "standards" / "measures").mkdir(parents=True)  # every YAML file removed
    r = runner.invoke(app, ["check", "--root", str(tmp_path)])
    assert r.exit_code == 1, r.output
    assert " E013 error: " in r.output
    assert sum(" E014 " in l for l in r.output.splitlines()) == 5


def test_missing_registry_is_an_error(tmp_path):
    root = materialize(None, tmp_path)
    (root / "standards" / "registry" / "units.yaml").unlink()
    _, found = findings_of(root)
    e014 = [f for f in found if f.code == "E014"]
    assert [f.message for f in e014] == ["no `units:` registry records (计量单位) in the corpus"]
    assert e014[0].hint and not [f for f in found if f.code == "E013"]


def test_base_and_real_corpus_have_no_presence_findings(tmp_path):
    for root in (materialize(None, tmp_path), ROOT):
        _, found = findings_of(root)
        assert not [f for f in found if f.code in ("E013", "E014", "E105", "E106")]


# ---------------------------------------------------------------------- spreadsheets
EVIL = '=HYPERLINK("http://evil.example/","点击")'


def _evil_corpus(tmp_path: Path) -> Path:
    root = materialize(None, tmp_path)
    path = root / "standards" / "indicators" / "demo.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: 绿色出行分担率", "name: '" + EVIL.replace("'", "''") + "'", 1)
    text = text.replace("name: 道路网密度", "name: '+SUM(1,2)'", 1)
    path.write_text(text, encoding="utf-8")
    return root


def test_formula_text_is_written_as_text_in_xlsx_and_csv(tmp_path):
    from toolkit.render.tables import write_indicator_tables

    root = _evil_corpus(tmp_path / "p")
    corpus, found = findings_of(root)
    assert not [f for f in found if f.is_error], found
    written = write_indicator_tables(corpus, tmp_path / "out")
    xlsx = [p for p in written if p.suffix == ".xlsx"]
    assert xlsx
    for p in xlsx:
        wb = openpyxl.load_workbook(p)
        cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert not [c for c in cells if c.data_type == "f"], p
        evil = [c for c in cells if c.value in (EVIL, "+SUM(1,2)")]
        assert evil and all(c.quotePrefix for c in evil)
        sheet_xml = b"".join(zipfile.ZipFile(p).read(n) for n in zipfile.ZipFile(p).namelist() if "worksheets" in n)
        assert b"<f>" not in sheet_xml
    csv = (tmp_path / "out" / "indicators" / "indicators.csv").read_text(encoding="utf-8-sig")
    assert "'" + EVIL.replace('"', '""') in csv and "'+SUM(1,2)" in csv
    for line in csv.splitlines():
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(FORMULA_START[:4]), line


def test_revision_table_xlsx_is_formula_safe_and_cuts_visibly(tmp_path):
    from toolkit.render.revision_table import RevisionRow, write_revision_xlsx
    from datetime import datetime, timezone

    long = "字" * (MAX_CELL_CHARS + 10)
    rows = [RevisionRow("4.1", "=1+1", "@SUM(A1)", "-理由"), RevisionRow("4.2", long, long + "改", "理由")]
    p = write_revision_xlsx(rows, "测试", tmp_path / "r.xlsx", "stdkit", datetime(2026, 1, 1, tzinfo=timezone.utc))
    ws = openpyxl.load_workbook(p).active
    assert [ws.cell(2, j).value for j in (2, 3, 4)] == ["=1+1", "@SUM(A1)", "-理由"]
    assert all(ws.cell(2, j).data_type == "s" and ws.cell(2, j).quotePrefix for j in (2, 3, 4))
    for j in (2, 3):
        v = ws.cell(3, j).value
        assert len(v) == MAX_CELL_CHARS and v.endswith(CUT_NOTE)
