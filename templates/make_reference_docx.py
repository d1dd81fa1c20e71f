"""Make ``templates/reference.docx``: the Word reference document every DOCX draft starts from.

Run ``.venv/bin/python templates/make_reference_docx.py`` after changing a style here; the
result is committed.  The DOCX writer (:mod:`toolkit.render.docx_writer`) opens it, drops
its sample body and keeps its styles, fonts, settings and page set-up — so the look of a
draft in Word is edited here (or in Word, by editing reference.docx's styles), never in
Python scattered through the writer.

What it holds (GB/T 1.1-2020 look, 五号 10.5 pt body):
* page: A4, margins top 25 mm, bottom 20 mm, left 25 mm, right 20 mm, header 12 mm, footer 10 mm;
* fonts: 宋体 role ``Noto Serif CJK SC`` and 黑体 role ``Noto Sans CJK SC`` set in ``w:rFonts``
  (ascii, hAnsi, eastAsia; no theme fonts), declared in the font table with ``w:altName``
  宋体/黑体 so Word on a machine without Noto substitutes the usual Chinese fonts;
* built-in heading styles ``heading 1``–``heading 5`` (aliases 章标题, 一级条标题 … 四级条标题) so
  the navigation pane and the TOC field work; ``toc 1``/``toc 2`` with dot leaders;
* paragraph styles for every role of the document model (段, 列项, 注, 示例, 表标题, 表格文字, 术语,
  附录标识, 参考文献条目, cover styles …) and the table style 标准表格;
* settings: ``w:updateFields`` (Word/WPS refresh the 目次 on open), Chinese punctuation compression.

Deterministic: fixed zip timestamps and core properties, so re-running gives identical bytes.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.render import draft_layout as lay  # noqa: E402
from toolkit.render.docx_writer import W_NS, fix_zip, set_core_properties  # noqa: E402

OUT = Path(__file__).resolve().parent / "reference.docx"

SERIF, SANS = lay.SERIF_CJK, lay.SANS_CJK
TW_PER_PT = 20
TEXT_WIDTH_TW = round((lay.PAGE_W_MM - lay.MARGIN_LEFT_MM - lay.MARGIN_RIGHT_MM) / 25.4 * 1440)
EM = round(lay.BODY_PT * TW_PER_PT)  # one 五号 character in twips (210)
SMALL_EM = round(lay.SMALL_PT * TW_PER_PT)  # one 小五 character (180)
LINE = round(lay.BODY_PT * 1.5 * TW_PER_PT)  # exact body line pitch, 15.75 pt (as the PDF's line-height 1.5)
SMALL_LINE = round(lay.SMALL_PT * 1.4 * TW_PER_PT)  # 12.6 pt


def fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:cs="{face}"/>'


def rpr(face: str = SERIF, pt: float = lay.BODY_PT, extra: str = "") -> str:
    hs = round(pt * 2)
    return f"<w:rPr>{fonts(face)}{extra}<w:sz w:val=\"{hs}\"/><w:szCs w:val=\"{hs}\"/></w:rPr>"


def spacing(before: int = 0, after: int = 0, line: int | None = LINE, rule: str = "exact") -> str:
    """``w:spacing``; ``line=None`` gives single spacing (``auto``), for large type that an exact pitch would clip."""
    ln = f' w:line="{line}" w:lineRule="{rule}"' if line else ' w:line="240" w:lineRule="auto"'
    return f'<w:spacing w:before="{before}" w:after="{after}"{ln}/>'


def pstyle(sid: str, name: str, ppr: str, rp: str, based: str = "Normal", nxt: str | None = None,
           alias: str | None = None, builtin: bool = False, ui: int = 10) -> str:
    al = f'<w:aliases w:val="{alias}"/>' if alias else ""
    nx = f'<w:next w:val="{nxt}"/>' if nxt else ""
    custom = "" if builtin else ' w:customStyle="1"'
    return (f'<w:style w:type="paragraph" w:styleId="{sid}"{custom}><w:name w:val="{name}"/>{al}'
            f'<w:basedOn w:val="{based}"/>{nx}<w:uiPriority w:val="{ui}"/><w:qFormat/>'
            f'<w:pPr>{ppr}</w:pPr>{rp}</w:style>')


def heading(level: int, alias: str) -> str:
    return pstyle(
        f"Heading{level}", f"heading {level}",
        f'<w:keepNext/><w:keepLines/>{spacing(120, 120)}<w:ind w:left="0" w:firstLine="0"/>'
        f'<w:jc w:val="both"/><w:outlineLvl w:val="{level - 1}"/>',
        rpr(SANS), nxt="Para", alias=alias, builtin=True, ui=9)


# Schema order of w:pPr children (ECMA-376 CT_PPrBase); Word rejects files that break it.
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]


def sort_ppr(root) -> None:
    """Put the children of every ``w:pPr`` under ``root`` in schema order."""
    rank = {f"{{{W_NS}}}{n}": i for i, n in enumerate(PPR_ORDER)}
    for ppr in root.iter(f"{{{W_NS}}}pPr"):
        kids = sorted(ppr, key=lambda e: rank.get(e.tag, len(rank)))
        for k in kids:
            ppr.append(k)


def styles_xml() -> bytes:
    """The whole ``word/styles.xml``: defaults, the roles of the document model, table style."""
    center = '<w:jc w:val="center"/>'
    right = '<w:jc w:val="right"/>'
    no_ind = '<w:ind w:left="0" w:firstLine="0"/>'
    s: list[str] = []
    s.append(
        f'<w:docDefaults><w:rPrDefault><w:rPr>{fonts(SERIF)}<w:kern w:val="2"/><w:sz w:val="21"/>'
        '<w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:snapToGrid w:val="0"/>{spacing()}<w:jc w:val="both"/>'
        '</w:pPr></w:pPrDefault></w:docDefaults>')
    s.append('<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" '
             'w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="376"/>')
    # -- base styles
    s.append('<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
             f'<w:qFormat/><w:pPr>{spacing()}<w:jc w:val="both"/></w:pPr>{rpr()}</w:style>')
    s.append('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
             '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
             '<w:unhideWhenUsed/></w:style>')
    s.append('<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
             '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
             '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
             '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>')
    s.append('<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
             '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>')
    # -- body roles
    s.append(pstyle("Para", "段", f'<w:ind w:firstLineChars="200" w:firstLine="{2 * EM}"/>', rpr(), nxt="Para", ui=1))
    for lvl, alias in enumerate(["章标题", "一级条标题", "二级条标题", "三级条标题", "四级条标题"], 1):
        s.append(heading(lvl, alias))
    s.append(pstyle("UntitledClause", "无标题条", '<w:ind w:firstLine="0"/>', rpr(), nxt="Para"))
    s.append('<w:style w:type="character" w:customStyle="1" w:styleId="ClauseNumber"><w:name w:val="条编号"/>'
             f'<w:uiPriority w:val="10"/><w:qFormat/>{rpr(SANS)}</w:style>')
    s.append(pstyle("DocTitle", "标准名称", f'<w:keepNext/>{spacing(160, 440, None)}{center}{no_ind}',
                    rpr(SANS, lay.FRONT_TITLE_PT), nxt="Heading1"))
    s.append(pstyle("FrontTitle", "前言、引言标题",
                    f'<w:keepNext/><w:pageBreakBefore/>{spacing(0, 280, None)}{center}{no_ind}<w:outlineLvl w:val="0"/>',
                    rpr(SANS, lay.FRONT_TITLE_PT), nxt="Para"))
    s.append(pstyle("TocTitle", "目次标题", f'<w:keepNext/>{spacing(0, 280, None)}{center}{no_ind}',
                    rpr(SANS, lay.FRONT_TITLE_PT), nxt="TOC1"))
    toc_tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH_TW}"/></w:tabs>'
    s.append(pstyle("TOC1", "toc 1", f'{toc_tabs}{spacing(0, 0, round(lay.BODY_PT * 1.7 * TW_PER_PT))}{no_ind}',
                    rpr(), nxt="TOC2", builtin=True, ui=39))
    s.append(pstyle("TOC2", "toc 2", f'{toc_tabs}{spacing(0, 0, round(lay.BODY_PT * 1.7 * TW_PER_PT))}'
                    f'<w:ind w:left="{2 * EM}" w:firstLine="0"/>', rpr(), nxt="TOC1", builtin=True, ui=39))
    # 列项: label, tab, text; the hanging indent is the label box (see draft_layout.label_box)
    s.append(pstyle("ListAlpha", "列项", f'<w:ind w:left="{round(3.5 * EM)}" w:hanging="{round(1.5 * EM)}"/>',
                    rpr(), nxt="ListAlpha"))
    s.append(pstyle("ListNumeric", "列项（第二层）", f'<w:ind w:left="{5 * EM}" w:hanging="{round(1.5 * EM)}"/>',
                    rpr(), nxt="ListNumeric"))
    s.append(pstyle("ListDash", "列项——", f'<w:ind w:left="{4 * EM}" w:hanging="{2 * EM}"/>', rpr(), nxt="ListDash"))
    s.append(pstyle("Note", "注", f'{spacing(40, 0, SMALL_LINE)}<w:ind w:left="{2 * EM + 2 * SMALL_EM}" '
                    f'w:hanging="{2 * SMALL_EM}"/>', rpr(SERIF, lay.SMALL_PT), nxt="Para"))
    s.append(pstyle("Example", "示例", f'{spacing(40, 0, SMALL_LINE)}<w:ind w:left="{2 * EM + 3 * SMALL_EM}" '
                    f'w:hanging="{3 * SMALL_EM}"/>', rpr(SERIF, lay.SMALL_PT), nxt="Para"))
    s.append(pstyle("NormRef", "规范性引用文件条目", f'<w:ind w:left="{2 * EM}" w:firstLine="0"/>', rpr(), nxt="NormRef"))
    s.append(pstyle("TermNumber", "术语条目编号", f'<w:keepNext/>{spacing(140, 0)}{no_ind}', rpr(SANS), nxt="Term"))
    s.append(pstyle("Term", "术语", f'<w:keepNext/><w:ind w:firstLine="{2 * EM}"/>', rpr(SANS), nxt="Para"))
    s.append(pstyle("TableCaption", "表标题", f'<w:keepNext/>{spacing(120, 60)}{center}{no_ind}', rpr(SANS), nxt="TableUnit"))
    s.append(pstyle("TableUnit", "表单位", f'<w:keepNext/>{spacing(0, 0, SMALL_LINE)}{right}{no_ind}',
                    rpr(SERIF, lay.SMALL_PT), nxt="TableText"))
    s.append(pstyle("TableText", "表格文字", f'{spacing(0, 0, SMALL_LINE)}<w:jc w:val="left"/>{no_ind}',
                    rpr(SERIF, lay.SMALL_PT), nxt="TableText"))
    s.append(pstyle("TableHeader", "表头", f'<w:keepNext/>{spacing(0, 0, SMALL_LINE)}{center}{no_ind}',
                    rpr(SANS, lay.SMALL_PT), nxt="TableText"))
    s.append(pstyle("AnnexHead", "附录标识",
                    f'<w:keepNext/><w:pageBreakBefore/>{spacing(0, 280)}{center}{no_ind}<w:outlineLvl w:val="0"/>',
                    rpr(SANS), nxt="Para"))
    s.append(pstyle("BibEntry", "参考文献条目", f'<w:ind w:left="{round(2.5 * EM)}" w:hanging="{round(2.5 * EM)}"/>',
                    rpr(), nxt="BibEntry"))
    s.append(pstyle("EndRule", "终结线", f'{spacing(360, 0, None)}<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                    f'w:color="000000"/></w:pBdr><w:ind w:left="{(TEXT_WIDTH_TW - 2551) // 2}" '
                    f'w:right="{(TEXT_WIDTH_TW - 2551) // 2}"/>', rpr(SERIF, 2)))
    s.append(pstyle("SmallNote", "说明", f'{spacing(0, 80, SMALL_LINE)}{no_ind}', rpr(SERIF, lay.SMALL_PT)))
    # -- cover
    s.append(pstyle("CoverICS", "封面ICS", f'{spacing(0, 0, None)}<w:jc w:val="left"/>{no_ind}', rpr(SANS)))
    s.append(pstyle("CoverLetters", "封面代号", f'{spacing(0, 0, None)}{right}{no_ind}', rpr(SANS, 40, "<w:b/>")))
    s.append(pstyle("CoverKind", "封面标准类别", f'{spacing(0, 0, None)}{center}{no_ind}',
                    rpr(SANS, 22, '<w:spacing w:val="60"/>')))
    s.append(pstyle("CoverCode", "封面标准编号", f'{spacing(0, 0, None)}{right}{no_ind}', rpr(SANS, 14)))
    s.append(pstyle("CoverReplaces", "封面代替", f'{spacing(40, 0, None)}{right}{no_ind}', rpr(SANS)))
    s.append(pstyle("CoverTitle", "封面标准名称", f'{spacing(0, 0, None)}{center}{no_ind}',
                    rpr(SANS, lay.COVER_TITLE_PT)))
    s.append(pstyle("CoverTitleEn", "封面英文名称", f'{spacing(240, 0, None)}{center}{no_ind}', rpr(SERIF, 14)))
    s.append(pstyle("CoverStage", "封面阶段", f'{spacing(480, 0, None)}{center}{no_ind}', rpr(SANS, 14)))
    s.append(pstyle("CoverPatent", "封面专利提示", f'<w:pBdr><w:top w:val="single" w:sz="6" w:space="4" w:color="000000"/><w:left w:val="single" w:sz="6" w:space="4" w:color="000000"/><w:bottom w:val="single" w:sz="6" w:space="4" w:color="000000"/><w:right w:val="single" w:sz="6" w:space="4" w:color="000000"/></w:pBdr>{spacing(480, 0, None)}<w:ind w:left="567" w:right="567" w:firstLine="0"/><w:jc w:val="left"/>', rpr(SERIF, lay.BODY_PT)))
    s.append(pstyle("CoverDate", "封面日期", f'{spacing(0, 0, None)}{no_ind}', rpr(SANS, 14)))
    s.append(pstyle("CoverIssuer", "封面发布单位", f'{spacing(200, 0, None)}{center}{no_ind}', rpr(SANS, 16)))
    # -- header, footer, comments (python-docx's parts refer to these ids)
    s.append(pstyle("Header", "header", f'{spacing(0, 0, None)}{right}{no_ind}', rpr(SANS), builtin=True, ui=99))
    s.append(pstyle("Footer", "footer", f'{spacing(0, 0, None)}{right}{no_ind}', rpr(SERIF, lay.SMALL_PT),
                    builtin=True, ui=99))
    s.append(pstyle("CommentText", "annotation text", f'{spacing(0, 0, None)}<w:jc w:val="left"/>{no_ind}',
                    rpr(SANS, lay.SMALL_PT), builtin=True, ui=99))
    s.append('<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/>'
             '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:rPr><w:sz w:val="16"/>'
             '</w:rPr></w:style>')
    # -- table style: full grid, 1 pt frame, 0.5 pt inner rules (GB/T 1.1-2020 tables)
    s.append('<w:style w:type="table" w:customStyle="1" w:styleId="StdTable"><w:name w:val="标准表格"/>'
             '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="10"/><w:qFormat/>'
             f'<w:pPr>{spacing(0, 0, SMALL_LINE)}<w:jc w:val="left"/></w:pPr>{rpr(SERIF, lay.SMALL_PT)}'
             '<w:tblPr><w:jc w:val="center"/><w:tblBorders>'
             '<w:top w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
             '<w:left w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
             '<w:bottom w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
             '<w:right w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
             '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
             '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
             '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
             '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
             '<w:tcPr><w:vAlign w:val="center"/></w:tcPr></w:style>')
    xml = (f'<w:styles xmlns:w="{W_NS}">' + "".join(s) + "</w:styles>")
    root = etree.fromstring(xml)
    sort_ppr(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def font_table_xml() -> bytes:
    """``word/fontTable.xml``: the Noto CJK families with 宋体/黑体 as Word's substitutes."""
    def font(name: str, alt: str, family: str) -> str:
        return (f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>')
    xml = (f'<w:fonts xmlns:w="{W_NS}">' + font(SERIF, lay.SERIF_FALLBACK, "roman")
           + font(SANS, lay.SANS_FALLBACK, "swiss") + "</w:fonts>")
    return etree.tostring(etree.fromstring(xml), xml_declaration=True, encoding="UTF-8", standalone=True)


def settings_xml() -> bytes:
    """``word/settings.xml``: update fields on open, Chinese punctuation compression, Word 2013+ layout."""
    xml = (f'<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/>'
           f'<w:defaultTabStop w:val="{2 * EM}"/><w:characterSpacingControl w:val="compressPunctuation"/>'
           '<w:updateFields w:val="true"/>'
           '<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/>'
           '<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>'
           '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
           '</w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
           '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>')
    return etree.tostring(etree.fromstring(xml), xml_declaration=True, encoding="UTF-8", standalone=True)


def _replace_part_xml(part, xml: bytes) -> None:
    """Swap the XML of a python-docx part (XmlPart: element; plain Part: blob)."""
    if hasattr(part, "_element"):
        from docx.oxml.parser import parse_xml

        part._element = parse_xml(xml)
    else:
        part._blob = xml


def sample_body(d: docx.document.Document) -> None:
    """A short sample of every role, so the reference document shows its styles when opened."""
    samples = [
        ("DocTitle", "标准名称（样式：标准名称）"),
        ("Heading1", "1　章标题（heading 1 / 章标题）"),
        ("Para", "正文段落使用样式“段”：五号宋体，首行缩进两个字符。"),
        ("Heading2", "1.1　一级条标题（heading 2）"),
        ("Heading3", "1.1.1　二级条标题（heading 3）"),
        ("Heading4", "1.1.1.1　三级条标题（heading 4）"),
        ("ListAlpha", "a)\t列项（第一层）；"),
        ("ListNumeric", "1)\t列项（第二层）；"),
        ("ListDash", "——列项（破折号）。"),
        ("Note", "注：注的样式，小五宋体。"),
        ("Example", "示例：示例的样式，小五宋体。"),
        ("TermNumber", "3.1"),
        ("Term", "术语　term"),
        ("Para", "术语的定义。"),
        ("TableCaption", "表1　表标题"),
        ("TableUnit", "单位为米"),
        ("TableText", "表格文字"),
        ("AnnexHead", "附　录　A\n（规范性）\n附录标题"),
        ("BibEntry", "[1]\t参考文献条目"),
    ]
    for style_id, text in samples:
        p = d.add_paragraph(style=d.styles.get_by_id(style_id, docx.enum.style.WD_STYLE_TYPE.PARAGRAPH))
        for i, line in enumerate(text.split("\n")):
            if i:
                p.add_run().add_break()
            p.add_run(line)
    t = d.add_table(rows=2, cols=3)
    t.style = d.styles.get_by_id("StdTable", docx.enum.style.WD_STYLE_TYPE.TABLE)


def make(out: Path = OUT) -> Path:
    """Write the reference document to ``out``; returns ``out``.

    Dates and zip timestamps are pinned to 2000-01-01 whatever ``SOURCE_DATE_EPOCH`` says,
    so the committed file only changes when a style does.
    """
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "946684800"
    try:
        return _make(out)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _make(out: Path) -> Path:
    d = docx.Document()
    part = d.part
    _replace_part_xml(part._styles_part, styles_xml())
    _replace_part_xml(part._settings_part, settings_xml())
    for rel in part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            _replace_part_xml(rel.target_part, font_table_xml())
    # drop the default template's leftovers (thumbnail, customXml, stylesWithEffects, web settings)
    pkg_rels = part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg_rels[rid]
    for rid, rel in list(part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, RT.WEB_SETTINGS) or rel.reltype.endswith("/stylesWithEffects"):
            del part.rels[rid]
    body = d.element.body
    for child in list(body):
        if child.tag != f"{{{W_NS}}}sectPr":
            body.remove(child)
    sec = d.sections[0]
    mm = docx.shared.Mm
    sec.page_width, sec.page_height = mm(lay.PAGE_W_MM), mm(lay.PAGE_H_MM)
    sec.top_margin, sec.bottom_margin = mm(lay.MARGIN_TOP_MM), mm(lay.MARGIN_BOTTOM_MM)
    sec.left_margin, sec.right_margin = mm(lay.MARGIN_LEFT_MM), mm(lay.MARGIN_RIGHT_MM)
    sec.header_distance, sec.footer_distance = mm(lay.HEADER_MM), mm(lay.FOOTER_MM)
    sec.gutter = 0
    sample_body(d)
    set_core_properties(d, title="stdkit reference document (GB/T 1.1-2020 styles)")
    d.save(out)
    fix_zip(out)
    return out


if __name__ == "__main__":
    print(make())
