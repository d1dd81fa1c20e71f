"""stdkit review import: Word comments and tracked changes of a returned draft, 征求意见表 forms, bad input."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from docx.oxml.ns import qn
from typer.testing import CliRunner

from review_helpers import DRAFT, STD, draft_docx, git, insert_clause_before_share, reviewed_docx
from toolkit.cli import app
from toolkit.corpus import load_corpus
from toolkit.render.dispositions import disposition_tables

ROUND = Path("standards/reviews/std-demo-guide/r1.yaml")


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def imp(root: Path, file: Path, *extra):
    return run("review", "import", file, "--standard", STD, "--from", "某市规划设计研究院", "--root", root, *extra)


def records(root: Path) -> dict:
    return yaml.safe_load((root / ROUND).read_text(encoding="utf-8"))["review"]


def test_docx_comments_and_tracked_changes_become_records(project, tmp_path):
    src = reviewed_docx(project, tmp_path / "back.docx")
    draft_before = (project / DRAFT).read_bytes()
    res = imp(project, src)
    assert res.exit_code == 0, res.output
    rv = records(project)
    assert rv["standard"] == STD and rv["round"] == "r1" and rv["stage"] == "征求意见稿"
    assert rv["revision"] == git(project, "rev-parse", "HEAD")
    by_kind = {c["kind"]: c for c in rv["comments"]}
    note = by_kind["批注"]
    assert note["clause"] == "demo-transport-share" and note["clause_number"] == "4.1"
    assert note["text"] == "建议提高城区绿色出行分担率目标。" and note["reviewer"] == "张工"
    assert note["quote"].startswith("城区绿色出行分担率应符合")
    change = by_kind["修改建议"]
    assert change["clause"] == "demo-transport-life-circle" and change["clause_number"] == "4.2"
    assert "交通设施" in change["original"] and "慢行交通设施" in change["proposal"]
    assert change["reviewer"] == "李工" and change["date"] == "2026-05-01"
    assert all(c["disposition"] == "待处理" for c in rv["comments"])
    assert (project / DRAFT).read_bytes() == draft_before  # import never modifies a draft
    # validated like every corpus file
    corpus, findings = load_corpus(project)
    assert not [f for f in findings if f.is_error]
    assert len(corpus.reviews[f"{STD}/r1"].comments) == 2


def test_importing_the_same_file_twice_adds_nothing(project, tmp_path):
    src = reviewed_docx(project, tmp_path / "back.docx")
    assert imp(project, src).exit_code == 0
    first = (project / ROUND).read_bytes()
    res = imp(project, src)
    assert res.exit_code == 0 and "nothing new" in res.output
    assert (project / ROUND).read_bytes() == first


def test_append_keeps_existing_records_byte_for_byte(project, tmp_path):
    assert imp(project, reviewed_docx(project, tmp_path / "a.docx")).exit_code == 0
    path = project / ROUND
    edited = path.read_text(encoding="utf-8").replace("disposition: 待处理", "disposition: 采纳  # 编制组已确认", 1)
    path.write_text(edited, encoding="utf-8")
    d = docx.Document(str(tmp_path / "circulated.docx"))
    from review_helpers import paragraph_after

    p = paragraph_after(d, "4.2")
    d.add_comment(p.runs, text="建议补充慢行交通设施的具体要求。", author="王工", initials="W")
    d.save(str(tmp_path / "b.docx"))
    res = run("review", "import", tmp_path / "b.docx", "--standard", STD, "--from", "某大学", "--root", project)
    assert res.exit_code == 0, res.output
    after = path.read_text(encoding="utf-8")
    assert after.startswith(edited)
    assert len(records(project)["comments"]) == 3


def test_ids_hold_after_a_clause_is_inserted_and_numbers_move(project, tmp_path):
    assert imp(project, reviewed_docx(project, tmp_path / "back.docx")).exit_code == 0
    insert_clause_before_share(project)
    corpus, findings = load_corpus(project)
    assert not [f for f in findings if f.is_error]
    rows = disposition_tables(corpus, STD)[0].rows
    numbers = {r[2][:6]: r[1] for r in rows}
    assert numbers["建议提高城区"] == "4.2（原4.1）"
    assert any(r[1] == "4.3（原4.2）" for r in rows)


def test_xlsx_form_resolves_numbers_of_the_round_not_of_today(project, tmp_path):
    assert imp(project, reviewed_docx(project, tmp_path / "back.docx")).exit_code == 0
    insert_clause_before_share(project)  # today 4.1 is the new clause; in round r1 4.1 was demo-transport-share
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "insert a clause")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["《示例规划编制指南》征求意见表"])
    ws.append(["序号", "章条编号", "意见内容", "修改建议", "提出单位"])
    ws.append([1, "4.1", "分担率目标偏低。", "提高到70%", "某省自然资源厅"])
    ws.append([2, "表 A.1", "建议增加单位一列。", None, None])
    ws.append([3, "附录A", "附录标题不够具体。", None, None])
    ws.append([4, "3.1", "术语定义建议增加共享单车。", None, None])
    ws.append([5, "总体", "建议补充实施保障。", None, None])
    wb.save(str(tmp_path / "form.xlsx"))
    res = imp(project, tmp_path / "form.xlsx", "--round", "r1")
    assert res.exit_code == 0, res.output
    got = {c["text"]: c for c in records(project)["comments"] if c["kind"] == "意见"}
    assert got["分担率目标偏低。"]["clause"] == "demo-transport-share"
    assert got["分担率目标偏低。"]["clause_number"] == "4.1"
    assert got["分担率目标偏低。"]["unit"] == "某省自然资源厅"
    assert got["分担率目标偏低。"]["proposal"] == "提高到70%"
    assert got["建议增加单位一列。"]["clause"] == "tab-demo-indicators"
    assert got["建议增加单位一列。"]["unit"] == "某市规划设计研究院"
    assert got["附录标题不够具体。"]["clause"] == "annex-demo"
    assert got["术语定义建议增加共享单车。"]["clause"] == "demo-term-green-travel"
    assert "clause" not in got["建议补充实施保障。"]


def test_docx_form_table(project, tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=5)
    for c, v in zip(t.rows[0].cells, ["序号", "章条编号", "意见内容", "修改建议", "提出单位"]):
        c.text = v
    for c, v in zip(t.rows[1].cells, ["1", "4.2", "生活圈交通设施要求不明确。", "", "某县自然资源局"]):
        c.text = v
    d.save(str(tmp_path / "form.docx"))
    res = imp(project, tmp_path / "form.docx")
    assert res.exit_code == 0, res.output
    (c,) = records(project)["comments"]
    assert c["clause"] == "demo-transport-life-circle" and c["unit"] == "某县自然资源局"


def test_fallback_without_bookmarks_matches_number_and_title(project, tmp_path):
    src = reviewed_docx(project, tmp_path / "back.docx")
    d = docx.Document(str(src))
    for el in list(d.element.body.iter(qn("w:bookmarkStart"))):
        el.getparent().remove(el)
    d.core_properties.keywords = STD
    d.save(str(tmp_path / "nobm.docx"))
    res = imp(project, tmp_path / "nobm.docx")
    assert res.exit_code == 0, res.output
    assert {c["clause"] for c in records(project)["comments"]} == {"demo-transport-share", "demo-transport-life-circle"}


def test_unmatched_heading_is_reported_not_guessed(project, tmp_path):
    src = reviewed_docx(project, tmp_path / "back.docx")
    d = docx.Document(str(src))
    for el in list(d.element.body.iter(qn("w:bookmarkStart"))):
        el.getparent().remove(el)
    for p in d.paragraphs:
        if p.text.startswith("4.1"):
            for r in p.runs:
                r.text = r.text.replace("绿色出行比例", "停车配建")
    d.save(str(tmp_path / "renamed.docx"))
    res = imp(project, tmp_path / "renamed.docx")
    assert res.exit_code == 1
    assert "matches no clause" in res.output and "nothing written" in res.output
    assert not (project / ROUND).exists()


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "password-protected"),
    (lambda p: p.write_bytes(b"PK\x03\x04garbage"), "corrupt"),
    (lambda p: p.write_text("plain text", encoding="utf-8"), "not a DOCX or XLSX"),
])
def test_bad_files_are_refused_with_nothing_written(project, tmp_path, make, message):
    bad = tmp_path / "bad.docx"
    make(bad)
    res = imp(project, bad)
    assert res.exit_code == 1
    assert message in res.output and str(bad) in res.output
    assert not (project / ROUND).exists()


def test_form_with_unknown_column_or_number_is_refused(project, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "章条编号", "意见内容", "联系电话"])
    ws.append([1, "4.1", "意见", "123"])
    wb.save(str(tmp_path / "cols.xlsx"))
    res = imp(project, tmp_path / "cols.xlsx")
    assert res.exit_code == 1 and "unknown column “联系电话”" in res.output and "row 1" in res.output
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "章条编号", "意见内容"])
    ws.append([1, "4.1", "有效意见"])
    ws.append([2, "9.9.9", "无效条号"])
    wb.save(str(tmp_path / "nums.xlsx"))
    res = imp(project, tmp_path / "nums.xlsx")
    assert res.exit_code == 1 and "row 3" in res.output and "9.9.9" in res.output
    assert not (project / ROUND).exists()


def test_docx_of_another_standard_is_refused(project, tmp_path):
    src = draft_docx(project, tmp_path / "x.docx")
    d = docx.Document(str(src))
    d.core_properties.keywords = "std-other-guide"
    d.save(str(src))
    res = imp(project, src)
    assert res.exit_code == 1 and "not of std-demo-guide" in res.output
    assert not (project / ROUND).exists()


def test_unknown_standard_exits_1(project, tmp_path):
    res = run("review", "import", tmp_path / "x.docx", "--standard", "std-nope", "--from", "x", "--root", project)
    assert res.exit_code == 1 and "no draft of `std-nope`" in res.output


def test_docx_is_a_zip_with_comments_part(project, tmp_path):
    """The test input is what Word writes: a comments part and w:ins/w:del in the body."""
    src = reviewed_docx(project, tmp_path / "back.docx")
    with zipfile.ZipFile(src) as z:
        assert "word/comments.xml" in z.namelist()
        body = z.read("word/document.xml").decode("utf-8")
    assert "<w:ins " in body and "<w:delText" in body and "commentRangeStart" in body


def test_every_clause_term_table_and_annex_has_a_stable_bookmark(project, tmp_path):
    """Anchors: one hidden Word bookmark per record id, ≤ 40 characters, letters/digits/underscore, same in every build."""
    import re as _re

    from toolkit.review.anchors import AnchorIndex
    from toolkit.document import build_document

    corpus, _ = load_corpus(project)
    index = AnchorIndex(build_document(corpus, STD))
    names = []
    for n in (1, 2):
        d = docx.Document(str(draft_docx(project, tmp_path / f"build{n}.docx")))
        names.append([b.get(qn("w:name")) for b in d.element.body.iter(qn("w:bookmarkStart"))])
    assert names[0] == names[1]
    assert set(index.by_bookmark) <= set(names[0])
    kinds = {index.anchors[i].kind for i in index.by_bookmark.values()}
    assert {"clause", "term", "table", "annex"} <= kinds
    assert all(len(n) <= 40 and _re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n) for n in names[0])
