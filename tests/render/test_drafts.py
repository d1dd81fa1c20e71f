"""Draft writers (DOCX, PDF, HTML): every draft of the real corpus, built once per test session.

What is asserted: each draft's structure in the DOCX (every clause heading with its heading
style, term entries, every indicator of the annex indicator tables, 修订对照表), that DOCX and
PDF hold the same clause numbers and titles in the same order, the PDF's text and embedded
CJK fonts, the TOC field and page numbering, the review variant, LibreOffice conversion of
every DOCX, and byte-identical output of a second build in a fresh process.
"""
from __future__ import annotations

import fcntl
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from toolkit.document import (REVISION_ANNEX_ID, AnnexDoc, Document, ExampleDoc, ListDoc, ListEntry, NoteDoc, Para, Ref,
                               RevisionRowDoc, Section, TableDoc, Text, build_document, plain, revision_annex)
from toolkit.render import draft_layout as lay
from toolkit.render.docx_writer import write_docx
from toolkit.render.drafts import build_drafts
from toolkit.render.html_writer import render_html
from toolkit.render.pdf import html_to_pdf

REVIEW_ID = "std-detailed-plan-guide"
_WS = re.compile(r"[\s\u3000]+")


def norm(s: str) -> str:
    """Text without any whitespace (PDF extraction splits and spaces CJK text freely)."""
    return _WS.sub("", s)


# ---------------------------------------------------------------------- shared build (once per session, across xdist workers)
@pytest.fixture(scope="session")
def draft_ids(corpus) -> list[str]:
    ids = sorted(sid for sid in corpus.drafts if sid in corpus.standards)
    assert ids, "the corpus holds no draft with a catalogue record"
    return ids


@pytest.fixture(scope="session")
def drafts_build(tmp_path_factory, corpus, draft_ids) -> Path:
    """``<tmp>/drafts-build/drafts/...``: all drafts, plus the review variant of one, built once.

    Shared by xdist workers through a lock file in the run's common temporary folder.
    """
    base = tmp_path_factory.getbasetemp()
    # under xdist each worker has its own basetemp inside the run's folder: share the parent
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "drafts-build"
    shared.mkdir(exist_ok=True)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / ".done"
        if not done.exists():
            build_drafts(corpus, shared / "main")
            build_drafts(corpus, shared / "review", review=True, ids=[REVIEW_ID])
            done.write_text("ok")
    return shared


@pytest.fixture(scope="session")
def docs(corpus, draft_ids) -> dict[str, Document]:
    """Documents of the drafts written as standards (a 标准修改单 has no clause tree: see ``amendments``)."""
    out = {sid: build_document(corpus, sid) for sid in draft_ids}
    return {sid: d for sid, d in out.items() if d.form != "amendment"}


@pytest.fixture(scope="session")
def amendments(corpus, draft_ids) -> dict[str, Document]:
    """Documents of the drafts written as 标准修改单 (``form: amendment``)."""
    out = {sid: build_document(corpus, sid) for sid in draft_ids}
    return {sid: d for sid, d in out.items() if d.form == "amendment"}


def out_file(build: Path, sid: str, ext: str, review: bool = False) -> Path:
    if review:
        return build / "review" / "drafts" / "review" / f"{sid}.{ext}"
    return build / "main" / "drafts" / f"{sid}.{ext}"


def pdf_pages(path: Path) -> list[str]:
    """Text of each page (pdftotext -layout)."""
    txt = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    return txt.split("\f")[:-1] if txt.endswith("\f") else txt.split("\f")


def pdf_outline(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    out: list[str] = []

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                out.append(it.title)

    walk(reader.outline)
    return out


def expected_headings(doc: Document) -> list[str]:
    """Headings (with number) of titled clauses, in document order: the TOC-able structure."""
    return [s.heading for s in lay.heading_sections(doc)]


def body_text(path: Path, doc: Document) -> str:
    """Normalised text of the body pages (from the page that opens with the title to the end)."""
    pages = pdf_pages(path)
    code, title = norm(doc.code), norm(doc.title)
    for i, page in enumerate(pages[1:], 1):
        t = norm(page)
        if t.startswith(code):
            t = t[len(code):]
        if t.startswith(title):
            return "".join(norm(p) for p in pages[i:])
    raise AssertionError(f"no body page opens with the title {doc.title}")


def heading_style(depth: int) -> str:
    return f"Heading {min(depth, 5)}"


# ---------------------------------------------------------------------- outputs exist
def test_every_draft_has_docx_pdf_html(drafts_build, draft_ids):
    for sid in draft_ids:
        for ext in ("docx", "pdf", "html"):
            p = out_file(drafts_build, sid, ext)
            assert p.is_file() and p.stat().st_size > 5000, p
    names = sorted(p.name for p in (drafts_build / "main" / "drafts").iterdir())
    assert names == sorted(f"{sid}.{ext}" for sid in draft_ids for ext in ("docx", "html", "pdf"))


# ---------------------------------------------------------------------- DOCX structure
def test_docx_clause_headings_use_heading_styles(drafts_build, docs):
    for sid, doc in docs.items():
        d = docx.Document(str(out_file(drafts_build, sid, "docx")))
        paras = [(p.text, p.style.name) for p in d.paragraphs]
        present = set(paras)
        for s in doc.walk():
            if s.kind == "term":
                continue
            if s.title:
                assert (s.heading, heading_style(s.depth)) in present, (sid, s.heading)
            else:
                assert any(t.startswith(s.number + "　") or t == s.number for t, _ in paras), (sid, s.number)
        # every heading-styled paragraph is a clause of the model, in the same order
        styled = [t for t, st in paras if st.startswith("Heading ")]
        assert styled == expected_headings(doc), sid


def test_docx_terms_number_then_term_then_definition(drafts_build, docs):
    for sid, doc in docs.items():
        d = docx.Document(str(out_file(drafts_build, sid, "docx")))
        paras = [(p.text, p.style.name) for p in d.paragraphs]
        terms = [s for s in doc.walk() if s.kind == "term"]
        assert terms, f"{sid} has no 术语和定义 entries"
        for s in terms:
            i = paras.index((s.number, "术语条目编号"))
            text, style = paras[i + 1]
            assert style == "术语" and text.startswith(s.term), (sid, s.number, text)
            if s.term_en:
                assert s.term_en in text
            assert paras[i + 2] == (plain(s.definition), "段"), (sid, s.number)


def test_docx_annex_indicator_tables_hold_every_indicator(drafts_build, corpus, docs):
    for sid, doc in docs.items():
        draft = corpus.drafts[sid]
        ids = [i for a in draft.annexes for b in a.blocks if getattr(b, "type", "") == "indicator_table"
               for i in b.indicators]
        ids += [i for a in draft.annexes for c in a.clauses for b in c.blocks
                if getattr(b, "type", "") == "indicator_table" for i in b.indicators]
        d = docx.Document(str(out_file(drafts_build, sid, "docx")))
        cells = {c.text for t in d.tables for row in t.rows for c in row.cells}
        for iid in ids:
            assert corpus.indicators[iid].name in cells, (sid, iid)
        # every table of the model is in the DOCX, with its caption
        captions = {p.text for p in d.paragraphs if p.style.name == "表标题"}
        for t in doc.tables():
            assert f"{t.number}　{t.caption}" in captions, (sid, t.number)


def test_revision_table_is_a_lettered_informative_annex_before_the_end_line(tmp_path):
    """The 修订对照表 is 附录X（资料性） with 表X.1, before 参考文献 and the end line (GB/T 1.1—2020, 9.6)."""
    doc = _sample_document()
    assert doc.annexes[-1].id == REVISION_ANNEX_ID and doc.annexes[-1].letter == "B" and not doc.annexes[-1].normative
    d = docx.Document(str(write_docx(doc, tmp_path / "s.docx")))
    tables = [t for t in d.tables if [c.text for c in t.rows[0].cells] == lay.REVISION_HEADER]
    assert len(tables) == 1
    body = [[lay.plain_text(c.text) for c in r.cells] for r in tables[0].rows[1:]]
    assert body == [[r.clause, r.original, r.revised, r.reason] for r in doc.revision_table]
    paras = [(p.text, p.style.name) for p in d.paragraphs]
    assert ("附　录　B\n（资料性）\n修订对照表", "附录标识") in paras
    assert ("表B.1　修订对照表", "表标题") in paras
    styles = [st for _, st in paras]
    assert styles.index("附录标识", styles.index("附录标识") + 1) < styles.index("参考文献条目")
    html = render_html(doc)
    assert html.index("修订对照表") < html.index('class="end-rule"') and html.index("修订对照表") < html.index("参考文献")


def test_docx_sections_headers_page_numbers_and_toc_field(drafts_build, docs):
    for sid, doc in docs.items():
        path = out_file(drafts_build, sid, "docx")
        d = docx.Document(str(path))
        assert len(d.sections) == 3  # cover, front matter, body
        fmts = [s._sectPr.find(docx.oxml.ns.qn("w:pgNumType")) for s in d.sections]
        assert fmts[0] is None
        assert fmts[1].get(docx.oxml.ns.qn("w:fmt")) == "upperRoman"
        assert fmts[2].get(docx.oxml.ns.qn("w:fmt")) == "decimal"
        assert lay.plain_text(d.sections[1].header.paragraphs[0].text) == doc.code
        with zipfile.ZipFile(path) as z:
            document_xml = z.read("word/document.xml").decode()
            settings_xml = z.read("word/settings.xml").decode()
            styles_xml = z.read("word/styles.xml").decode()
            fonts_xml = z.read("word/fontTable.xml").decode()
        assert 'TOC \\o "1-2" \\h \\z \\u' in document_xml
        assert "<w:updateFields" in settings_xml
        assert "asciiTheme" not in styles_xml and "eastAsiaTheme" not in styles_xml
        assert 'w:eastAsia="Noto Serif CJK SC"' in styles_xml and 'w:eastAsia="Noto Sans CJK SC"' in styles_xml
        assert 'w:altName w:val="宋体"' in fonts_xml
        # the 目次: one TOC paragraph per entry, with cached page numbers (Roman in the front matter)
        toc = [p.text for p in d.paragraphs if p.style.name in ("toc 1", "toc 2")]
        entries = lay.toc_entries(doc)
        assert len(toc) == len(entries)
        for line, e in zip(toc, entries):
            text, _, page = line.partition("\t")
            assert text == e.text, (sid, line)
            assert re.fullmatch(r"[IVXL]+" if e.front else r"[0-9]+", page), (sid, line)


def test_reference_docx_has_real_word_styles():
    d = docx.Document(str(Path(__file__).resolve().parents[2] / "templates" / "reference.docx"))
    names = {s.name for s in d.styles}
    for n in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5", "toc 1", "toc 2",
              "段", "列项", "注", "示例", "表标题", "表格文字", "标准表格", "附录标识", "术语条目编号"):
        assert n in names, n
    h1 = d.styles["Heading 1"].element
    assert h1.find(docx.oxml.ns.qn("w:aliases")).get(docx.oxml.ns.qn("w:val")) == "章标题"


# ---------------------------------------------------------------------- PDF
def test_pdf_fonts_embedded_and_cjk(drafts_build, draft_ids):
    for sid in draft_ids:
        out = subprocess.run(["pdffonts", str(out_file(drafts_build, sid, "pdf"))], check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
        assert out, sid
        names = [line.split()[0] for line in out]
        for line in out:
            assert line.split()[-5] == "yes", (sid, line)  # emb column
        assert any("Noto-Serif-CJK-SC" in n for n in names), (sid, names)
        assert any("Noto-Sans-CJK-SC" in n for n in names), (sid, names)


def test_pdf_text_holds_title_and_headings_in_order(drafts_build, docs):
    for sid, doc in docs.items():
        path = out_file(drafts_build, sid, "pdf")
        pages = pdf_pages(path)
        assert norm(doc.title) in norm(pages[0]) and norm(doc.code) in norm(pages[0])
        assert norm(doc.stage) in norm(pages[0])
        text = body_text(path, doc)
        pos = 0
        for h in expected_headings(doc):
            i = text.find(norm(h), pos)
            assert i >= 0, (sid, h)
            pos = i + 1
        for a in doc.annexes:
            assert norm(a.title) in text and norm(a.status) in text


def test_cover_replaces_line_only_for_revisions_of_coded_standards(drafts_build, docs):
    """代替 names the replaced edition (e.g. TD/T 1063—2021), never the draft's own code."""
    for sid, doc in docs.items():
        assert doc.replaces != doc.code, sid
        cover = norm(pdf_pages(out_file(drafts_build, sid, "pdf"))[0])
        if doc.replaces:
            assert doc.action == "revise" and norm("代替" + doc.replaces) in cover, sid
        else:
            assert "代替" not in cover, sid


def test_docx_and_pdf_hold_the_same_headings(drafts_build, docs):
    """The PDF outline and the DOCX heading paragraphs list the same clause numbers and titles."""
    for sid, doc in docs.items():
        d = docx.Document(str(out_file(drafts_build, sid, "docx")))
        docx_headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading ")]
        outline = pdf_outline(out_file(drafts_build, sid, "pdf"))
        pdf_headings = [t for t in outline if re.match(r"^([0-9]+|[A-Z])(\.[0-9]+)*　", t)]
        assert docx_headings == pdf_headings, sid
        annex_lines = [t for t in outline if t.startswith("附录")]
        assert annex_lines == [lay.annex_heading(a) for a in doc.annexes]


def test_pdf_toc_page_numbers(drafts_build, docs):
    for sid, doc in docs.items():
        pages = pdf_pages(out_file(drafts_build, sid, "pdf"))
        toc = "\n".join(p for p in pages[1:4] if "目" in p)
        if doc.foreword:
            assert re.search(r"前言\s*\.{3,}\s*[IVX]+\s*$", toc, re.M), sid
        assert re.search(r"1\s+范围\s*\.{3,}\s*1\s*$", toc, re.M), sid
        # page footers: front matter Roman, body from 1
        assert pages[1].strip().endswith("I")
        body_first = next(i for i, p in enumerate(pages) if i > 0 and norm(doc.title) in norm(p)[:60])
        assert pages[body_first].strip().endswith("1")


# ---------------------------------------------------------------------- review variant
def test_review_variant_marks_every_clause_source(drafts_build, docs):
    doc = docs[REVIEW_ID]
    path = out_file(drafts_build, REVIEW_ID, "docx", review=True)
    d = docx.Document(str(path))
    expected = [lay.provenance(s.source, s.drafted) for s in doc.walk()]
    expected += [lay.provenance(a.source, a.drafted) for a in doc.annexes]
    expected += [t.review_note for t in doc.tables() if t.review_note and t.number]  # drafted fields of indicator tables
    got = [c.text for c in d.comments]
    assert sorted(got) == sorted(expected)
    assert all(c.author == "stdkit" for c in d.comments)
    assert any(t.startswith("来源：") for t in got) and any(t.startswith("新起草") for t in got)
    pdf = out_file(drafts_build, REVIEW_ID, "pdf", review=True)
    text = "".join(norm(p) for p in pdf_pages(pdf))
    assert "审阅稿" in text and norm("来源：") in text and "新起草" in text
    html = out_file(drafts_build, REVIEW_ID, "html", review=True).read_text(encoding="utf-8")
    assert html.count('class="src') == len(expected)
    # the clean build has no review marks
    clean = docx.Document(str(out_file(drafts_build, REVIEW_ID, "docx")))
    assert len(list(clean.comments)) == 0
    assert 'class="src' not in out_file(drafts_build, REVIEW_ID, "html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------- HTML
def test_html_is_standalone(drafts_build, draft_ids, docs):
    for sid in draft_ids:
        html = out_file(drafts_build, sid, "html").read_text(encoding="utf-8")
        assert "<link" not in html and "src=\"http" not in html and "@import" not in html
        assert '"Noto Serif CJK SC"' in html and '"Noto Sans CJK SC"' in html
        # explicit CJK stacks: never a generic sans-serif fallback for Chinese
        assert "sans-serif" not in html
        for s in lay.heading_sections(docs[sid]) if sid in docs else []:
            assert f'id="{s.id}"' in html


# ---------------------------------------------------------------------- every block kind, on a hand-made document
def _sample_document_body() -> Document:
    body = Section("c-general", "4", "总则", 1, "clause", [Para([Text("见"), Ref("表1", "t-one", "table"), Text("。")])], [
        Section("c-untitled", "4.1", "", 2, "clause", [Para([Text("无标题条的第一段。")]), Para([Text("第二段。")])],
                source="004 §1", drafted=False),
        Section("c-lists", "4.2", "列项", 2, "clause", [
            ListDoc([Text("应符合下列要求：")], [
                ListEntry("a)", [Text("第一项；")], [ListEntry("1)", [Text("子项一；")]), ListEntry("2)", [Text("子项二；")])]),
                ListEntry("b)", [Text("第二项。")])]),
            ListDoc(None, [ListEntry("——", [Text("破折号列项。")])]),
            NoteDoc("注1：", [Text("第一条注。")]), NoteDoc("注2：", [Text("第二条注。")]),
            ExampleDoc("示例：", [Text("一个示例。")]),
            TableDoc("t-one", "表1", "带单位的表", "单位为米", ["项目", "数值"], [["宽度", "3.5"], ["高度", "2"]]),
        ], drafted=True),
    ], source="004 §2")
    scope = Section("c-scope", "1", "范围", 1, "scope", [Para([Text("本文件规定了样例。")])], drafted=True)
    annex = AnnexDoc("a-one", "A", "资料性附录样例", False, [Para([Text("附录正文。")])],
                     [Section("a-one-1", "A.1", "附录条", 2, "clause", [Para([Text("附录条正文。")])], drafted=True)],
                     drafted=True)
    return Document(
        standard_id="std-sample", title="样例标准", title_en="Sample standard", code="GB/T XXXX—20XX",
        stage="征求意见稿", ics="01.020", ccs="A 00", issuer="国家市场监督管理总局", date_issue="20XX-XX-XX",
        date_implement="20XX-XX-XX", category="comprehensive", action="revise",
        foreword=[Para([Text("本文件按照GB/T 1.1—2020的规定起草。")])], introduction=[],
        sections=[scope, body], annexes=[annex], bibliography=["GB/T 1.1—2020　标准化工作导则"],
        revision_table=[RevisionRowDoc("r1", "4.2", "原条文。", "修订后条文。", "理由。")],
        labels={}, replaces="GB/T XXXX—2010", epoch=1700000000)


def _sample_document():
    doc = _sample_document_body()
    doc.annexes.append(revision_annex("B", doc.revision_table, doc.replaces))
    return doc


def test_writers_render_every_block_kind(tmp_path):
    doc = _sample_document()
    d = docx.Document(str(write_docx(doc, tmp_path / "s.docx", review=True)))
    paras = [(p.text, p.style.name) for p in d.paragraphs]
    assert ("4.1　无标题条的第一段。", "无标题条") in paras
    assert ("a)\t第一项；", "列项") in paras and ("1)\t子项一；", "列项（第二层）") in paras
    assert ("——破折号列项。", "列项——") in paras
    assert ("注1：第一条注。", "注") in paras and ("示例：一个示例。", "示例") in paras
    assert ("单位为米", "表单位") in paras and ("表1　带单位的表", "表标题") in paras
    assert ("附　录　A\n（资料性）\n资料性附录样例", "附录标识") in paras
    assert ("A.1　附录条", "Heading 2") in paras
    assert ("[1]\tGB/T 1.1—2020　标准化工作导则", "参考文献条目") in [(lay.plain_text(t), st) for t, st in paras]
    assert "代替 GB/T XXXX—2010" in lay.plain_text([c.text for c in d.tables[0].rows[2].cells][0])
    assert len(list(d.comments)) == 7  # 1, 4, 4.1, 4.2, A.1, annex A, annex B (修订对照表)
    html = render_html(doc)
    assert '<a class="ref" href="#t-one">表1</a>' in html
    assert "<span class=\"num\">4.1</span>　无标题条的第一段。" in html
    assert "修订对照表" in html and '代替 <span class="nobr">GB/T XXXX—2010</span>' in html
    pdf = html_to_pdf(html)
    reader = PdfReader(io.BytesIO(pdf))
    text = norm("".join(p.extract_text() for p in reader.pages))
    assert norm("4.1　无标题条的第一段。") in text and "修订对照表" in text


def test_template_escapes_content(tmp_path):
    doc = _sample_document()
    doc.sections[0].blocks = [Para([Text("<script>alert(1)</script> & {{ 7*7 }}")])]
    html = render_html(doc)
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "{{ 7*7 }}" in html


# ---------------------------------------------------------------------- slow, required
@pytest.mark.slow
def test_libreoffice_converts_every_docx(drafts_build, docs, tmp_path):
    files = [str(out_file(drafts_build, sid, "docx")) for sid in docs]
    files.append(str(out_file(drafts_build, REVIEW_ID, "docx", review=True)))
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "lo"), *files], check=True, capture_output=True, timeout=300)
    for sid, doc in docs.items():
        pdf = tmp_path / "lo" / f"{sid}.pdf"
        assert pdf.is_file(), sid
        pages = pdf_pages(pdf)
        assert len(pages) >= 5, sid
        text = "".join(norm(p) for p in pages)
        assert norm(doc.title) in text
        pos = text.find(norm(doc.title), len(norm(pages[0])))  # body title, after the cover
        for h in expected_headings(doc):
            i = text.find(norm(h), pos)
            assert i >= 0, (sid, h)
            pos = i + 1


@pytest.mark.slow
def test_second_build_is_byte_identical(drafts_build, draft_ids, tmp_path):
    """A second build in a fresh process (other hash seed) writes the same bytes."""
    env = dict(os.environ, PYTHONHASHSEED="12345")
    root = Path(__file__).resolve().parents[2]
    code = ("import sys; from pathlib import Path; from toolkit.corpus import load_corpus; "
            "from toolkit.render.drafts import build_drafts; "
            f"c, _ = load_corpus(Path({str(root)!r})); build_drafts(c, Path(sys.argv[1]))")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, env=env, timeout=600)
    first = drafts_build / "main" / "drafts"
    for sid in draft_ids:
        for ext in ("docx", "pdf", "html"):
            a = (first / f"{sid}.{ext}").read_bytes()
            b = (tmp_path / "drafts" / f"{sid}.{ext}").read_bytes()
            assert a == b, f"{sid}.{ext} differs between two builds"



# ---------------------------------------------------------------------- 标准修改单, stages, layout
def test_amendments_render_every_item_against_base_clauses(drafts_build, amendments):
    """A 标准修改单: cover says 第1号修改单, no 目次, the body names the base standard and every item."""
    for sid, doc in amendments.items():
        assert doc.amendments and doc.base_code, sid
        pages = pdf_pages(out_file(drafts_build, sid, "pdf"))
        text = "".join(norm(p) for p in pages)
        assert "第1号修改单" in norm(pages[0])
        assert not any("目次" in norm(p)[:20] for p in pages), sid
        assert norm(f"《{doc.base_code}") in text
        d = docx.Document(str(out_file(drafts_build, sid, "docx")))
        paras = [lay.plain_text(p.text) for p in d.paragraphs]
        for a in doc.amendments:
            assert norm(f"{a.number}.　{a.lead}") in text, (sid, a.id)
            assert f"{a.number}.　{a.lead}" in paras, (sid, a.id)
        assert len(d.sections) == 2  # cover, body


def test_cover_prints_stage_patent_notice_and_completion_date(drafts_build, docs):
    from toolkit.stages import PATENT_NOTICE, STAGE_RULES
    for sid, doc in docs.items():
        cover = norm(pdf_pages(out_file(drafts_build, sid, "pdf"))[0])
        rule = STAGE_RULES[next(st for st in STAGE_RULES if STAGE_RULES[st].label == doc.stage_label)]
        assert (norm(PATENT_NOTICE) in cover) == rule.patent_notice, sid
        if doc.completion_date:
            assert norm(f"本稿完成日期：{doc.completion_date}") in cover, sid
        for line in lay.title_lines(doc.title):
            assert norm(line) in cover, (sid, line)


def test_title_lines_break_only_between_words():
    assert lay.title_lines("资源环境承载能力和国土空间开发适宜性评价技术指南") in (
        ["资源环境承载能力和国土空间", "开发适宜性评价技术指南"], ["资源环境承载能力和", "国土空间开发适宜性评价技术指南"])
    assert lay.title_lines("国土空间详细规划编制指南") == ["国土空间详细规划编制指南"]


def test_codes_never_break(tmp_path):
    assert lay.nobreak("应符合TD/T 1062—2021的规定") == "应符合TD/T\u00a01062\u2060—\u20602021的规定"
    assert lay.plain_text(lay.nobreak("GB/T 1.1—2020")) == "GB/T 1.1—2020"
    doc = _sample_document()
    doc.sections[0].blocks = [Para([Text("应符合GB/T 50137—2011的规定。")])]
    assert '<span class="nobr">GB/T 50137—2011</span>' in render_html(doc)


def test_continued_tables_carry_a_continuation_caption(drafts_build, docs):
    """Every table that runs over a page break shows 表X（续） on the next page (PDF) and is split with
    a 表X（续） caption and repeated header in the DOCX (GB/T 1.1—2020, 9.8)."""
    seen = 0
    for sid, doc in docs.items():
        pages = pdf_pages(out_file(drafts_build, sid, "pdf"))
        d = docx.Document(str(out_file(drafts_build, sid, "docx")))
        captions = [lay.plain_text(p.text) for p in d.paragraphs if p.style.name == "表标题"]
        for t in doc.tables():
            hits = [i for i, p in enumerate(pages) if norm(f"{t.number}（续）") in norm(p)]
            for i in hits:
                assert norm(t.header[-1]) in norm(pages[i]), (sid, t.number)
            assert captions.count(f"{t.number}（续）") == len(hits), (sid, t.number)
            seen += len(hits)
    assert seen, "no table of the corpus runs over a page: the 续 caption is untested"


def test_draft_template_compiled_once_into_the_project_cache(tmp_path, root, docs, draft_ids):
    """A build's draft jobs keep the compiled template under .stdkit-cache/jinja; the HTML is the same."""
    import subprocess

    cache = tmp_path / "jinja"
    doc = docs[draft_ids[0]]
    plain = render_html(doc)
    assert render_html(doc, jinja_cache=cache) == plain
    files = sorted(cache.rglob("*.cache"))  # the template and what it includes
    assert files and all(p.stat().st_size > 100 for p in files)
    stamps = [p.stat().st_mtime_ns for p in files]
    # another process loads the compiled template instead of compiling it (and so does not write it again)
    code = ("import sys; from pathlib import Path; from toolkit.corpus import load_corpus; "
            "from toolkit.document import build_document; from toolkit.render.html_writer import render_html; "
            "c, _ = load_corpus(Path(sys.argv[1])); "
            "sys.stdout.write(render_html(build_document(c, sys.argv[2]), jinja_cache=Path(sys.argv[3])))")
    res = subprocess.run([sys.executable, "-c", code, str(root), draft_ids[0], str(cache)], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout == plain
    assert [p.stat().st_mtime_ns for p in sorted(cache.rglob("*.cache"))] == stamps
