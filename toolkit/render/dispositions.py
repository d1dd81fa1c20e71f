"""征求意见汇总处理表: every comment of a standard's review rounds with its 处理意见, as DOCX and XLSX.

Writes ``reviews/<standard-id>-disposition.docx`` and ``.xlsx`` under the build folder
for every standard with review records (:func:`write_dispositions`).

Layout as drafting groups hand it in with a 送审稿: title 《标准名称》征求意见汇总处理表,
a line naming the standard and the round, the table 序号 | 标准章条编号 | 意见内容 |
提出单位 | 处理意见 | 备注 (clause numbers as they are *now*, the round's number noted
where it changed, 已删除 where the clause is gone; 意见内容 carries the 修改建议; 处理意见
is the disposition with its reason; 备注 what resolved it), then the closing 说明 with
the counts of units sent / replied / replied with comments / not replied (from the
round record) and the counts per disposition.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from toolkit import model as m
from toolkit.repro import build_epoch, core_dates_rewrite, epoch_datetime, normalise_zip
from toolkit.corpus import Corpus
from toolkit.render import review_docs as rd
from toolkit.review.anchors import AnchorIndex
from toolkit.review.status import CommentView, comment_views, current_index, disposition_counts, unit_counts

HEADER = ["序号", "标准章条编号", "意见内容", "提出单位", "处理意见", "备注"]
WIDTHS_MM = [12, 26, 86, 36, 74, 23]
REVIEWS_DIR = "reviews"


@dataclass(frozen=True)
class DispositionTable:
    """One round's table: ``title``, ``subtitle``, ``rows`` (strings per :data:`HEADER`), ``notes`` (the 说明 lines)."""

    title: str
    subtitle: str
    rows: list[list[str]]
    notes: list[str]


def _remark(v: CommentView, index: AnchorIndex | None) -> str:
    c = v.comment
    if not c.resolved_by:
        return ""
    if index is not None and index.number_of(c.resolved_by):
        return f"已修改，见{index.number_of(c.resolved_by)}"
    if all(ch in "0123456789abcdef" for ch in c.resolved_by.lower()) and len(c.resolved_by) >= 7:
        return f"见修改记录 {c.resolved_by[:7]}"
    return c.resolved_by


def _opinion(c: m.ReviewComment) -> str:
    text = c.text
    if c.proposal and c.kind != "修改建议":
        text += f"\n修改建议：{c.proposal}"
    return text


def _handling(c: m.ReviewComment) -> str:
    if c.disposition == "待处理":
        return "待处理"
    return f"{c.disposition}。{c.reason}" if c.reason else c.disposition


def disposition_tables(corpus: Corpus, standard_id: str) -> list[DispositionTable]:
    """The 汇总处理表 of each review round of ``standard_id`` (empty list without rounds)."""
    st = corpus.standards.get(standard_id)
    title = st.title if st else standard_id
    index = current_index(corpus, standard_id)
    views = comment_views(corpus, standard_id, index)
    tables = []
    for rnd in corpus.reviews_of(standard_id):
        vs = [v for v in views if v.round == rnd.round]
        rows = [[str(i), v.number_text, _opinion(v.comment), v.comment.unit, _handling(v.comment), _remark(v, index)]
                for i, v in enumerate(vs, 1)]
        u = unit_counts(rnd)
        d = disposition_counts(vs)
        notes = [
            "说明：",
            f"①发送《{rnd.stage}》的单位数：{u['sent']}个。",
            f"②收到《{rnd.stage}》后，回函的单位数：{u['replied']}个。",
            f"③收到《{rnd.stage}》后，回函并有建议或意见的单位数：{u['with_comments']}个。",
            f"④没有回函的单位数：{u['no_reply']}个。",
            f"共收到意见{len(vs)}条，其中采纳{d['采纳']}条，部分采纳{d['部分采纳']}条，未采纳{d['未采纳']}条"
            + (f"，待处理{d['待处理']}条。" if d["待处理"] else "。"),
        ]
        code = corpus.drafts[standard_id].code if standard_id in corpus.drafts else (st.code if st else "")
        sub = f"标准项目名称：{title}（{rnd.stage}）　　标准编号：{code or '—'}　　轮次：{rnd.round}"
        if rnd.date:
            sub += f"　　征求意见日期：{rnd.date}"
        tables.append(DispositionTable(f"《{title}》征求意见汇总处理表", sub, rows, notes))
    return tables


def write_disposition_docx(tables: list[DispositionTable], path: Path, standard_id: str, epoch: int) -> Path:
    """Write the 汇总处理表 (all rounds, one after another) as a landscape DOCX; returns ``path``."""
    d = rd.reference_document(landscape=True)
    rd.page_furniture(d, "")
    for k, t in enumerate(tables):
        if k:
            p = rd.para(d, "Para", "")
            from docx.oxml import OxmlElement

            br = OxmlElement("w:br")
            br.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type", "page")
            p.append(br)
        rd.para(d, "DocTitle", t.title)
        rd.para(d, "SmallNote", t.subtitle, indent=False)
        rd.table(d, HEADER, t.rows, WIDTHS_MM, centred={0, 1})
        for line in t.notes:
            rd.para(d, "SmallNote", line, indent=False)
    title = tables[0].title if tables else "征求意见汇总处理表"
    return rd.save(d, path, title=title, subject="征求意见汇总处理表", keywords=standard_id, epoch=epoch)


def write_disposition_xlsx(tables: list[DispositionTable], path: Path, epoch: int) -> Path:
    """Write the 汇总处理表 as XLSX (one sheet per round: title, subtitle, header, rows, 说明); returns ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from toolkit.render.draft_layout import SANS_CJK, SERIF_CJK

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="000000")
    for i, t in enumerate(tables, 1):
        ws = wb.create_sheet(f"第{i}轮" if len(tables) > 1 else "征求意见汇总处理表")
        ws.append([t.title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        ws["A1"].font = Font(name=SANS_CJK, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.append([t.subtitle])
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADER))
        ws.append(HEADER)
        for row in t.rows:
            ws.append([int(row[0]), *row[1:]])
        last = ws.max_row
        for r in ws.iter_rows(min_row=3, max_row=last):
            for c in r:
                c.alignment = Alignment(wrap_text=True, vertical="top",
                                        horizontal="center" if c.column <= 2 or c.row == 3 else None)
                c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                c.font = Font(name=SANS_CJK if c.row == 3 else SERIF_CJK, size=10.5 if c.row == 3 else 9)
        for line in t.notes:
            ws.append([line])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(HEADER))
        for col, w in zip("ABCDEF", (6, 16, 60, 22, 40, 14)):
            ws.column_dimensions[col].width = w
        ws.freeze_panes = "A4"
        ws.print_title_rows = "3:3"
    naive = epoch_datetime(epoch)
    wb.properties.creator = "stdkit"
    wb.properties.lastModifiedBy = "stdkit"
    wb.properties.title = tables[0].title if tables else "征求意见汇总处理表"
    wb.properties.created = naive
    wb.properties.modified = naive
    buf = io.BytesIO()
    wb.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(normalise_zip(buf.getvalue(), epoch, {"docProps/core.xml": core_dates_rewrite(epoch)}))
    return path


def write_dispositions(corpus: Corpus, out_dir: Path, standard_id: str) -> list[Path]:
    """Write ``out_dir/reviews/<standard_id>-disposition.{docx,xlsx}``; returns the paths (none without rounds)."""
    tables = disposition_tables(corpus, standard_id)
    if not tables:
        return []
    folder = Path(out_dir) / REVIEWS_DIR
    epoch = build_epoch(corpus.root)
    return [write_disposition_docx(tables, folder / f"{standard_id}-disposition.docx", standard_id, epoch),
            write_disposition_xlsx(tables, folder / f"{standard_id}-disposition.xlsx", epoch)]
