"""Spreadsheet safety for every XLSX and CSV stdkit writes (OWASP "CSV injection").

A spreadsheet program reads a cell that begins with ``=``, ``+``, ``-`` or ``@``
(and, in some programs, a tab or carriage return) as a formula: an indicator named
``=HYPERLINK("http://evil.example/","点击")`` would become a live link, and a
``=cmd|…`` DDE formula can run programs.  Corpus text is never a formula:

* XLSX — :func:`protect_sheet`: every text cell is stored as text (cell type
  ``s``, never ``f``), and a text cell beginning with one of :data:`FORMULA_START`
  also gets Excel's "quote prefix" style (what typing a leading ``'`` does), so
  that editing the cell does not turn it into a formula either.  The text itself
  is kept exactly.
* CSV — :func:`csv_cell`: such a text gets a leading ``'`` (the OWASP advice; CSV
  has no cell types).

A cell holds at most :data:`MAX_CELL_CHARS` characters (Excel's limit; longer text
is cut by every reader).  ``stdkit check`` reports longer corpus texts (E106), so a
build never meets one; writers that run without a check (the diff's 修订对照表)
cut such a cell visibly, ending it with :data:`CUT_NOTE`, instead of leaving it to
the reader to cut silently.
"""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program read a cell as a formula."""

MAX_CELL_CHARS = 32_767
"""Most characters one XLSX cell holds."""

CUT_NOTE = "……〔此处超出电子表格单元格上限 32767 字符，已截断；全文见 DOCX/HTML 版本〕"
"""End of a cell that had to be cut (visible, so no reader mistakes it for the whole text)."""


def is_formula_like(value: object) -> bool:
    """True for a text that a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: object) -> object:
    """``value`` as safe for a CSV cell: formula-like text gets a leading ``'``; anything else unchanged."""
    return "'" + value if is_formula_like(value) else value


def fit_cell(text: str) -> str:
    """``text`` cut to :data:`MAX_CELL_CHARS` with :data:`CUT_NOTE` at the end when longer; else unchanged."""
    if len(text) <= MAX_CELL_CHARS:
        return text
    return text[: MAX_CELL_CHARS - len(CUT_NOTE)] + CUT_NOTE


def protect_sheet(ws) -> None:
    """Make every text cell of openpyxl worksheet ``ws`` plain text (see the module doc); cut over-long cells."""
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if type(value).__name__ == "CellRichText":  # rich text is never a formula; keep editing safe too
                if str(value).startswith(FORMULA_START):
                    cell.quotePrefix = True
                continue
            if not isinstance(value, str):
                continue
            if len(value) > MAX_CELL_CHARS:
                cell.value = value = fit_cell(value)
            if cell.data_type != "s":
                cell.data_type = "s"
            if value.startswith(FORMULA_START):
                cell.quotePrefix = True
