"""Writer: matrices and indicator tables (XLSX, CSV, HTML, Markdown).

Outputs (paths are a contract; ``out`` is the build folder):

* ``matrices/strategy-matrix.{xlsx,csv,html,md}`` — rows the twelve 五级三类 cells
  (:meth:`Corpus.cells_sorted`), columns the seven domains, each cell the
  measures (``id`` + title) of that level × type × domain.  The XLSX holds the
  sheets 策略矩阵, 数量矩阵, 目标矩阵, 标准覆盖 and 说明 (captions and legends).
* ``matrices/count-matrix.*``, ``goal-matrix.*``, ``standards-coverage.*``
  (csv, html, md) — the other three matrices on their own.
* ``indicators/indicators.{xlsx,csv,html,md}`` — one row per indicator.
* ``indicators/by-standard/<standard-id>.{xlsx,csv,html,md}`` — one indicator
  table per standard whose catalogue record or draft uses indicators.

Tables are built once as :class:`Table` values from the corpus and then written
by one small function per format.  Every output is deterministic: rows follow
registry order or ids, CSV is UTF-8 with BOM and ``\\n`` line ends, XLSX core
properties and zip entry times are the corpus's build epoch
(:func:`toolkit.repro.build_epoch`), HTML comes from a sandboxed, autoescaping Jinja2 template
(``templates/tables/table.html.j2``) and Markdown escapes HTML-special
characters, so content never becomes markup.
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Union

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from toolkit import model as m
from toolkit.corpus import Corpus, draft_indicator_ids, standard_indicator_ids
from toolkit.deps import derived
from toolkit.document import format_target, indicator_targets_text, unit_label
from toolkit.repro import ZIP_MIN_EPOCH, build_epoch, epoch_datetime, normalise_zip
from toolkit.textfmt import md_escape
from toolkit.vocabulary import CATEGORY_NAMES, DIRECTION_NAMES

if TYPE_CHECKING:  # pandas is imported where a table is written: planning a build needs no pandas
    import pandas as pd
from toolkit.render.cellsafe import csv_cell, protect_sheet

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates" / "tables"

MARK = "●"
"""Marker for a yes in a matrix (scale maps to cell, standard covers domain)."""


ColumnKind = Literal["head", "id", "text", "entries", "num", "mark"]


# ---------------------------------------------------------------------- table values
@dataclass(frozen=True)
class Entry:
    """A record listed inside a matrix cell: ``id`` and Chinese ``title``."""

    id: str
    title: str

    @property
    def text(self) -> str:
        return f"{self.id} {self.title}"


Cell = Union[str, int, tuple[Entry, ...]]


@dataclass
class Table:
    """One table ready for every writer.

    ``key`` is the file stem (``count-matrix``), ``sheet`` the XLSX sheet name,
    ``title`` the caption, ``columns`` the header, ``kinds`` one
    :data:`ColumnKind` per column (layout hint: ``head`` row header, ``id`` record id, ``entries``
    a list of :class:`Entry`, ``num`` integer, ``mark`` ●-style marker),
    ``rows`` the body (each row as long as ``columns``), ``notes`` legend lines.
    ``total_rows`` counts trailing summary rows (styled as totals).
    """

    key: str
    sheet: str
    title: str
    columns: list[str]
    kinds: list[ColumnKind]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    total_rows: int = 0

    def __post_init__(self) -> None:
        if len(self.kinds) != len(self.columns):
            raise ValueError(f"table {self.key}: {len(self.kinds)} kinds for {len(self.columns)} columns")
        for r in self.rows:
            if len(r) != len(self.columns):
                raise ValueError(f"table {self.key}: row of {len(r)} cells for {len(self.columns)} columns")

    def flat_rows(self, sep: str = "\n") -> list[list[str | int]]:
        """Rows with entry lists joined as ``id title`` lines (for CSV, XLSX, Markdown)."""
        return [[sep.join(e.text for e in c) if isinstance(c, tuple) else c for c in r] for r in self.rows]

    def frame(self, sep: str = "\n") -> pd.DataFrame:
        """The table as a DataFrame (object columns, so ints and strings keep their type)."""
        import pandas as pd

        return pd.DataFrame(self.flat_rows(sep), columns=self.columns, dtype=object)


# ---------------------------------------------------------------------- matrices
def _cell_matrix_notes(c: Corpus) -> list[str]:
    return [f"行：五级三类规划（{len(c.cells)} 类，按层级、规划类型排序）；列：{len(c.domains)} 个减碳增汇领域。"]


def nonempty_domain_cells(c: Corpus) -> int:
    """Number of level × plan-type × domain cells holding at least one measure."""
    return sum(1 for cell in c.cells_sorted() for d in c.domains_sorted() if c.measures_in(cell, d.id))


def strategy_matrix(c: Corpus) -> Table:
    """策略矩阵: cells × domains, each entry the measures (id, title) in id order."""
    domains = c.domains_sorted()
    rows: list[list[Cell]] = []
    for cell in c.cells_sorted():
        rows.append([cell.name] + [tuple(Entry(x.id, x.title) for x in c.measures_in(cell, d.id)) for d in domains])
    notes = _cell_matrix_notes(c) + [
        f"共 {len(c.measures)} 项措施，分布于 {nonempty_domain_cells(c)} 个“层级—规划类型—领域”单元；"
        "每项措施以“编号 标题”列出。"]
    return Table("strategy-matrix", "策略矩阵", "面向双碳的国土空间规划策略矩阵（五级三类 × 领域）",
                 ["规划类型"] + [d.name for d in domains], ["head"] + ["entries"] * len(domains), rows, notes)


def count_matrix(c: Corpus) -> Table:
    """数量矩阵: number of measures per cell × domain, with row and column totals."""
    domains = c.domains_sorted()
    rows: list[list[Cell]] = []
    col_tot = [0] * len(domains)
    for cell in c.cells_sorted():
        counts = [len(c.measures_in(cell, d.id)) for d in domains]
        col_tot = [a + b for a, b in zip(col_tot, counts)]
        rows.append([cell.name, *counts, sum(counts)])
    rows.append(["合计", *col_tot, sum(col_tot)])
    notes = _cell_matrix_notes(c) + ["数值为该层级—规划类型—领域单元的措施数量；末行、末列为合计。"]
    return Table("count-matrix", "数量矩阵", "策略措施数量矩阵（五级三类 × 领域）",
                 ["规划类型"] + [d.name for d in domains] + ["合计"],
                 ["head"] + ["num"] * (len(domains) + 1), rows, notes, total_rows=1)


def scale_maps_to(scale: m.Scale | None, cell: m.PlanCell) -> bool:
    """True when a scale's §6.1 mapping (levels × plan types) includes ``cell``."""
    return scale is not None and cell.level in scale.levels and cell.plan_type in scale.plan_types


def goal_matrix(c: Corpus) -> Table:
    """目标矩阵: goals × cells; each entry ``●`` where the goal's scale maps to the cell (§6.1)
    and the number of measures in that cell serving the goal (``● 3``, ``●``, ``2`` or empty)."""
    cells = c.cells_sorted()
    rows: list[list[Cell]] = []
    for g in c.goals_sorted():
        scale = c.scales.get(g.scale)
        row: list[Cell] = [g.name, scale.name if scale else g.scale]
        serving = 0
        for cell in cells:
            n = sum(1 for x in c.measures_in(cell) if g.id in x.goals)
            serving += n
            mark = MARK if scale_maps_to(scale, cell) else ""
            row.append(" ".join(s for s in (mark, str(n) if n else "") if s))
        row.append(serving)
        rows.append(row)
    notes = [f"行：{len(c.goals)} 个双碳目标（§4）；列：五级三类规划（{len(cells)} 类）。",
             f"{MARK} 表示该目标所在尺度对应该类规划（§6.1 尺度—规划映射）；数字为该类规划中服务该目标的措施数量；"
             "末列为服务该目标的措施总数。"]
    return Table("goal-matrix", "目标矩阵", "双碳目标 × 五级三类规划矩阵",
                 ["目标", "尺度"] + [cell.name for cell in cells] + ["措施合计"],
                 ["head", "text"] + ["mark"] * len(cells) + ["num"], rows, notes)


def standards_coverage(c: Corpus) -> Table:
    """标准覆盖: proposed standards × domains, ``●`` where the standard covers the domain (cf. 图 9-1)."""
    domains = c.domains_sorted()
    standards = c.standards_sorted()
    rows: list[list[Cell]] = []
    for st in standards:
        rows.append([f"《{st.title}》", CATEGORY_NAMES[st.category], "是" if st.near_term else "",
                     *[MARK if d.id in st.domains else "" for d in domains],
                     sum(1 for d in domains if d.id in st.domains)])
    rows.append(["覆盖标准数", "", "", *[sum(1 for st in standards if d.id in st.domains) for d in domains], ""])
    extra = sum(1 for st in standards if st.category == "in-progress")
    what = f"{len(standards) - extra} 项建议新编、修订的标准" + (f"及 {extra} 项在编标准建议" if extra else "")
    notes = [f"行：{what}（§9）；列：{len(domains)} 个减碳增汇领域（参照图 9-1）。",
             f"{MARK} 表示该标准覆盖该领域；末行为覆盖各领域的标准数量。"]
    return Table("standards-coverage", "标准覆盖", "标准 × 领域覆盖矩阵",
                 ["标准", "类别", "近期行动"] + [d.name for d in domains] + ["覆盖领域数"],
                 ["head", "text", "mark"] + ["mark"] * len(domains) + ["num"], rows, notes, total_rows=1)


def matrix_tables(c: Corpus) -> list[Table]:
    """The four matrices in sheet order: strategy, count, goal, standards coverage."""
    return [strategy_matrix(c), count_matrix(c), goal_matrix(c), standards_coverage(c)]


# ---------------------------------------------------------------------- indicator tables
INDICATOR_COLUMNS = ["编号", "指标名称", "单位", "指标属性", "刚性/弹性", "方向", "适用层级", "适用规划类型",
                     "目标值", "使用的措施数", "使用的标准", "来源", "复核"]
INDICATOR_KINDS: list[ColumnKind] = ["id", "head", "text", "text", "text", "text", "text", "text",
                                     "text", "num", "text", "text", "text"]


def _names(ids: list[str], registry: dict, order_key=lambda x: x.order) -> str:
    known = sorted((registry[i] for i in ids if i in registry), key=order_key)
    return "、".join([x.name for x in known] + [i for i in ids if i not in registry])


def _standard_label(c: Corpus, sid: str) -> str:
    st = c.standards.get(sid)
    return f"《{st.title}》" if st else sid


def indicator_row(c: Corpus, ind: m.Indicator) -> list[Cell]:
    """One row of the indicator table (columns :data:`INDICATOR_COLUMNS`)."""
    users = c.users_of(ind.id)
    std_ids = set(users["standards"]) | set(users["drafts"])
    order = {st.id: i for i, st in enumerate(c.standards_sorted())}
    std_text = "；".join(_standard_label(c, s) for s in sorted(std_ids, key=lambda s: (order.get(s, len(order)), s)))
    reviews: list[str] = [ind.review] if ind.review else []
    for rt in c.targets_of(ind.id):
        if rt.target.review:
            note = f"{format_target(rt.target, ind.unit)}：{rt.target.review}"
            if note not in reviews:
                reviews.append(note)
    source = ind.source or ""
    if ind.drafted:
        source = f"{source}（新拟）" if source else "新拟"
    return [ind.id, ind.name, unit_label(ind.unit), ind.kind, ind.rigidity or "",
            DIRECTION_NAMES[ind.direction], _names(ind.levels, c.levels), _names(ind.plan_types, c.plan_types),
            indicator_targets_text(c, ind), len(users["measures"]), std_text, source, "；".join(reviews)]


def indicator_table(c: Corpus, ids: list[str] | None = None, *, key: str = "indicators",
                    title: str = "双碳规划指标表") -> Table:
    """Indicator table over ``ids`` (all indicators when ``None``), rows in id order.

    Ids not in the registry are skipped (the checks report them as E201).
    """
    chosen = sorted(c.indicators) if ids is None else sorted(i for i in set(ids) if i in c.indicators)
    rows = [indicator_row(c, c.indicators[i]) for i in chosen]
    bound = sum(1 for i in chosen if c.indicators[i].kind == "约束性")
    notes = [f"共 {len(rows)} 项指标（约束性 {bound} 项，预期性 {len(rows) - bound} 项），按编号排序。",
             "目标值汇总指标登记表及措施、标准、条文中给出的全部目标；“由地方结合实际确定”表示报告未给出统一数值。",
             "方向：正向为越高越好，逆向为越低越好，适度为趋近目标值。“复核”列为抽取数值需人工复核的说明。"]
    return Table(key, "指标表", title, list(INDICATOR_COLUMNS), list(INDICATOR_KINDS), rows, notes)


@derived
def standards_with_indicators(c: Corpus) -> list[tuple[str, list[str]]]:
    """``(standard id, indicator ids)`` for each standard (catalogue or draft) using known indicators.

    Order: :meth:`Corpus.standards_sorted`, then drafts without a catalogue record by id.
    """
    sids = [st.id for st in c.standards_sorted()] + sorted(set(c.drafts) - set(c.standards))
    out: list[tuple[str, list[str]]] = []
    for sid in sids:
        known = [i for i in c.index.standard_indicators.get(sid, ()) if i in c.indicators]
        if known:
            out.append((sid, known))
    return out


# ---------------------------------------------------------------------- writers
def write_csv(table: Table, path: Path) -> Path:
    """Write ``table`` as CSV: UTF-8 with BOM, ``\\n`` line ends, entry lists one per line in the cell.

    Text that a spreadsheet would read as a formula gets a leading ``'``
    (:func:`toolkit.render.cellsafe.csv_cell`).
    """
    import pandas as pd

    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame([[csv_cell(v) for v in r] for r in table.flat_rows()],  # no formulas (OWASP)
                         columns=[csv_cell(h) for h in table.columns], dtype=object)
    text = frame.to_csv(index=False, lineterminator="\n")
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    return path


def markdown_text(table: Table) -> str:
    """``table`` as a Markdown document: ``# title``, notes, then a pipe table."""
    import pandas as pd

    df = pd.DataFrame([[md_escape(v) for v in r] for r in table.flat_rows()],
                      columns=[md_escape(h) for h in table.columns], dtype=object)
    align = ["center" if k in ("num", "mark") else "left" for k in table.kinds]
    body = df.to_markdown(index=False, tablefmt="pipe", disable_numparse=True, colalign=align) if table.rows else (
        "| " + " | ".join(df.columns) + " |\n|" + "|".join("---" for _ in df.columns) + "|")
    notes = "".join(f"{md_escape(n)}\n\n" for n in table.notes)
    return f"# {md_escape(table.title)}\n\n{notes}{body}\n"


def write_markdown(table: Table, path: Path) -> Path:
    """Write ``table`` as UTF-8 Markdown (see :func:`markdown_text`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown_text(table), encoding="utf-8", newline="\n")
    return path


def _env() -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                                undefined=StrictUndefined, keep_trailing_newline=True,
                                trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True)
class NavLink:
    """A link in the page header: ``label``, relative ``href``, ``current`` page flag."""

    label: str
    href: str
    current: bool = False


def html_text(table: Table, nav: list[NavLink] | None = None) -> str:
    """``table`` as a standalone UTF-8 HTML page (template ``table.html.j2``; all content escaped)."""
    body = []
    for i, r in enumerate(table.rows):
        total = i >= len(table.rows) - table.total_rows
        body.append({"total": total, "cells": [
            {"kind": k, "entries": list(v) if isinstance(v, tuple) else [],
             "text": "" if isinstance(v, tuple) else str(v), "empty": v in ("", ()) or (k == "num" and v == 0)}
            for k, v in zip(table.kinds, r)]})
    return _env().get_template("table.html.j2").render(table=table, columns=list(zip(table.columns, table.kinds)),
                                                        rows=body, nav=nav or [])


def write_html(table: Table, path: Path, nav: list[NavLink] | None = None) -> Path:
    """Write ``table`` as a standalone HTML page (see :func:`html_text`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_text(table, nav), encoding="utf-8", newline="\n")
    return path


_WIDTH = {"head": 24, "id": 30, "text": 18, "entries": 34, "num": 9, "mark": 9}


def _style_sheet(ws, table: Table) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="DDE6F0")
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    for j, (name, kind) in enumerate(zip(table.columns, table.kinds), 1):
        width = _WIDTH[kind]
        if kind == "text":
            longest = max([len(str(r[j - 1])) for r in table.rows] + [len(name)])
            width = min(max(10, longest * 2 + 2), 48)
        ws.column_dimensions[get_column_letter(j)].width = width
        for i, row in enumerate(ws.iter_rows(min_row=1, max_row=len(table.rows) + 1, min_col=j, max_col=j)):
            cell = row[0]
            cell.border = border
            centred = kind in ("num", "mark") and i > 0
            cell.alignment = Alignment(wrap_text=True, vertical="center" if i == 0 or centred else "top",
                                       horizontal="center" if (i == 0 or centred) else "left")
            if i == 0:
                cell.font = Font(bold=True)
                cell.fill = head_fill
            elif i > len(table.rows) - table.total_rows:
                cell.font = Font(bold=True)
                cell.fill = total_fill
            elif kind == "head":
                cell.font = Font(bold=True)
    ws.freeze_panes = "B2" if table.kinds and table.kinds[0] == "head" else "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    widths = [ws.column_dimensions[get_column_letter(j)].width for j in range(1, len(table.columns) + 1)]
    for i, row in enumerate([table.columns] + table.flat_rows(), 1):
        lines = max(_wrapped_lines(str(v), w) for v, w in zip(row, widths))
        ws.row_dimensions[i].height = max(1, lines) * 15 + 3


def _text_width(s: str) -> int:
    """Display width in spreadsheet character units (CJK and fullwidth count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def _wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell of ``width`` character units needs (used for explicit row heights,
    because spreadsheet apps do not all re-fit rows of generated files on open)."""
    usable = max(4, int(width) - 2)
    return sum(max(1, -(-_text_width(line) // usable)) for line in text.split("\n"))


def xlsx_bytes(tables: list[Table], epoch: int) -> bytes:
    """A workbook with one sheet per table plus a 说明 sheet (captions and notes), as deterministic bytes.

    Core properties ``created``/``modified`` and every zip entry's time are ``epoch``
    (Unix seconds, UTC: :func:`toolkit.repro.build_epoch`), so equal tables give byte-identical files.
    """
    import pandas as pd
    from openpyxl.packaging.core import DocumentProperties
    from openpyxl.styles import Alignment
    from openpyxl.xml.functions import tostring

    when = epoch_datetime(max(epoch, ZIP_MIN_EPOCH))  # zip entries start in 1980
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for t in tables:
            t.frame().to_excel(writer, sheet_name=t.sheet, index=False)
            protect_sheet(writer.sheets[t.sheet])  # text stays text, never a formula
            _style_sheet(writer.sheets[t.sheet], t)
        readme = [[t.sheet, t.title, "\n".join(t.notes)] for t in tables]
        pd.DataFrame(readme, columns=["工作表", "标题", "说明"], dtype=object).to_excel(
            writer, sheet_name="说明", index=False)
        ws = writer.sheets["说明"]
        protect_sheet(ws)
        for col, width in zip("ABC", (12, 40, 90)):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        book = writer.book
        book.properties = DocumentProperties(creator="stdkit", title=tables[0].title, created=when, modified=when)
        core = tostring(book.properties.to_tree())
    return normalise_zip(buf.getvalue(), max(epoch, ZIP_MIN_EPOCH), {"docProps/core.xml": core})


def write_xlsx(tables: list[Table], path: Path, epoch: int) -> Path:
    """Write the workbook of :func:`xlsx_bytes` (dated ``epoch``) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(xlsx_bytes(tables, epoch))
    return path


# ---------------------------------------------------------------------- output sets
def write_matrices(c: Corpus, out: Path) -> list[Path]:
    """Write ``out/matrices/``: strategy-matrix.{xlsx,csv,html,md} and the other three matrices
    as csv/html/md; returns the paths written (in a fixed order)."""
    d = out / "matrices"
    tables = matrix_tables(c)
    written = [write_xlsx(tables, d / "strategy-matrix.xlsx", build_epoch(c.root))]
    for t in tables:
        nav = [NavLink(x.sheet, f"{x.key}.html", x.key == t.key) for x in tables]
        written += [write_csv(t, d / f"{t.key}.csv"), write_html(t, d / f"{t.key}.html", nav),
                    write_markdown(t, d / f"{t.key}.md")]
    return written


def _write_table_set(t: Table, base: Path, nav: list[NavLink], epoch: int) -> list[Path]:
    return [write_xlsx([t], base.with_suffix(".xlsx"), epoch), write_csv(t, base.with_suffix(".csv")),
            write_html(t, base.with_suffix(".html"), nav), write_markdown(t, base.with_suffix(".md"))]


def write_indicator_tables(c: Corpus, out: Path) -> list[Path]:
    """Write ``out/indicators/indicators.*`` and ``out/indicators/by-standard/<id>.*`` (xlsx, csv, html, md)."""
    d = out / "indicators"
    epoch = build_epoch(c.root)
    written = _write_table_set(indicator_table(c), d / "indicators", [], epoch)
    for sid, ids in standards_with_indicators(c):
        title = f"{_standard_label(c, sid)}使用的指标"
        t = indicator_table(c, ids, key=sid, title=title)
        written += _write_table_set(t, d / "by-standard" / sid, [NavLink("全部指标", "../indicators.html")], epoch)
    return written


class TablesOutput:
    """Build output ``tables``: matrices and indicator tables, one job (see :class:`toolkit.render.base.Output`)."""

    name = "tables"
    reads: tuple[str, ...] = ()
    names_of: tuple[str, ...] = ()

    def plan(self, ctx) -> list:
        from toolkit.render.base import Job

        return [Job(self.name, self.name, cost=2)]

    def run(self, ctx, job) -> list[Path]:
        return write_matrices(ctx.corpus, ctx.out) + write_indicator_tables(ctx.corpus, ctx.out)


OUTPUT = TablesOutput()
