"""Tracked-changes DOCX (w:ins/w:del with author and date; LibreOffice opens it) and the 修订对照表."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from lxml import etree
from openpyxl import load_workbook

from tests_diff_helpers import W, accepted_or_rejected, expected_paragraphs

NEW_AUTHOR = "李起草"
NEW_DATE = "2026-03-02T01:30:00Z"


def _doc_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


@pytest.fixture(scope="session")
def tracked(out_dir) -> Path:
    return out_dir / "std-test-guide-tracked.docx"


def test_outputs_written(result, out_dir):
    names = sorted(p.name for p in result.written)
    assert names == ["changes.json", "changes.md", "index.html", "index.md", "std-test-guide-revision-table.docx",
                     "std-test-guide-revision-table.xlsx", "std-test-guide-technical-changes.txt",
                     "std-test-guide-tracked.docx"]
    assert all(p.parent == out_dir and p.is_file() for p in result.written)


def test_tracked_docx_holds_insertions_and_deletions_with_author_and_date(tracked):
    root = _doc_xml(tracked)
    ins = root.findall(f".//{W}ins")
    dels = root.findall(f".//{W}del")
    assert ins and dels
    for el in ins + dels:
        assert el.get(f"{W}author") == NEW_AUTHOR
        assert el.get(f"{W}date") == NEW_DATE
    ids = [el.get(f"{W}id") for el in ins + dels]
    assert len(ids) == len(set(ids))
    inserted = "".join(t.text for el in ins for t in el.iter(f"{W}t"))
    deleted = "".join(t.text for el in dels for t in el.iter(f"{W}delText"))
    assert "碳排放评估" in inserted and "建筑和居住" in inserted  # new clause 4.2, changed 5.1
    assert "3" in inserted and "2" in deleted  # 4.2 → 4.3, and 见4.2 → 见4.3
    assert "5" in inserted and "0" in deleted  # ≥50% → ≥55% in the generated indicator table
    settings = zipfile.ZipFile(tracked).read("word/settings.xml").decode()
    assert "<w:trackRevisions/>" in settings


def test_accept_all_gives_new_text_and_reject_all_gives_old(result, tracked):
    pair = result.changes.drafts["std-test-guide"]
    root = _doc_xml(tracked)
    bib = bool(pair.old.bibliography or pair.new.bibliography)
    # the body after the draft's cover and 目次; the draft writer closes it with an empty end-rule paragraph
    from toolkit.render.draft_layout import plain_text  # standard codes are glued by no-break characters

    accepted = [plain_text(t) for t in accepted_or_rejected(root, accept=True, body_only=True)]
    rejected = [plain_text(t) for t in accepted_or_rejected(root, accept=False, body_only=True)]
    assert accepted == expected_paragraphs(pair.new, pair.new_units, bib) + [""]
    assert rejected == expected_paragraphs(pair.old, pair.old_units, bib) + [""]


def test_tracked_docx_is_the_draft_writers_document(tracked):
    """One DOCX writer: the tracked DOCX has the draft's styles (reference.docx), cover and 目次 field."""
    with zipfile.ZipFile(tracked) as z:
        styles = z.read("word/styles.xml").decode()
        body = z.read("word/document.xml").decode()
    assert 'w:styleId="CoverTitle"' in styles and 'w:styleId="TableCaption"' in styles
    assert 'w:val="CoverTitle"' in body and "TOC \\o" in body


def test_inserted_clause_paragraph_mark_is_tracked(tracked):
    root = _doc_xml(tracked)
    for p in root.iter(f"{W}p"):
        text = "".join(t.text for t in p.iter(f"{W}t"))
        style = p.find(f"{W}pPr/{W}pStyle")
        if text == "4.2　碳排放评估" and style is not None and style.get(f"{W}val").startswith("Heading"):  # not the 目次
            assert p.find(f"{W}pPr/{W}rPr/{W}ins") is not None
            assert p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading2"
            return
    pytest.fail("heading of the inserted clause not found")


def _soffice(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *args],
                          capture_output=True, text=True, timeout=180)


def test_libreoffice_opens_the_tracked_docx(tracked, tmp_path):
    assert shutil.which("soffice"), "LibreOffice (libreoffice-writer-nogui) is a system dependency of the tests"
    res = _soffice(["--convert-to", "pdf", "--outdir", str(tmp_path), str(tracked)], tmp_path / "profile")
    pdf = tmp_path / "std-test-guide-tracked.pdf"
    assert res.returncode == 0 and pdf.is_file() and pdf.stat().st_size > 1000, res.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "碳排放评估" in text and "屋顶光伏" in text
    # LibreOffice read the revisions as revisions: saving back to DOCX keeps w:ins/w:del.
    rt = tmp_path / "rt"
    res = _soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(rt), str(tracked)], tmp_path / "profile")
    assert res.returncode == 0, res.stderr
    root = _doc_xml(rt / "std-test-guide-tracked.docx")
    authors = {el.get(f"{W}author") for el in root.iter(f"{W}ins", f"{W}del")}
    assert authors == {NEW_AUTHOR}


ROWS = [
    ("条款号", "原条文", "修改后条文", "修改说明"),
    ("4.2", "—", "4.2　碳排放评估\n详细规划应开展碳排放评估。", "新增条款。"),
    ("4.3（原4.2）", "4.2　原则\n详细规划应坚持集约节约、绿色低碳的原则。",
     "4.3　原则\n详细规划应坚持集约节约、绿色低碳的原则。", "编号由4.2调整为4.3。条文未修改。"),
    ("5.1", "5.1　屋顶光伏\n新建公共建筑应配置屋顶光伏，覆盖率应符合附录A的规定。",
     "5.1　屋顶光伏\n新建公共建筑和居住建筑应配置屋顶光伏，覆盖率应符合附录A的规定。", "修改条文。"),
]


def test_revision_table_xlsx_rows(out_dir):
    wb = load_workbook(out_dir / "std-test-guide-revision-table.xlsx")
    ws = wb["修订对照表"]
    rows = [tuple(str(v) if v is not None else None for v in r) for r in ws.iter_rows(values_only=True)]
    assert rows[:4] == ROWS
    assert len(rows) == 5
    clause, old, new, reason = rows[4]
    assert (clause, reason) == ("附录A", "修改条文。")
    assert "≥50%（新建公共建筑）" in old and "≥55%（新建公共建筑）" in new
    assert ws.freeze_panes == "A2"


def test_revision_table_xlsx_highlights_changed_characters(out_dir):
    wb = load_workbook(out_dir / "std-test-guide-revision-table.xlsx", rich_text=True)
    cell = wb["修订对照表"]["C4"]  # 5.1, 修改后条文
    inserted = [b.text for b in cell.value if getattr(b, "font", None) is not None and b.font.u == "single"]
    assert "".join(inserted) == "建筑和居住"


def test_revision_table_docx_rows(out_dir):
    d = open_docx(out_dir / "std-test-guide-revision-table.docx")
    assert len(d.tables) == 1
    cells = [tuple(c.text for c in row.cells) for row in d.tables[0].rows]
    assert cells[:4] == ROWS
    assert [r[0] for r in cells] == ["条款号", "4.2", "4.3（原4.2）", "5.1", "附录A"]
    assert d.paragraphs[0].text == "《详细规划低碳编制规程》修订对照表"
