"""Terminal summary of a change set (Rich): counts, then the changes with old → new values.

Text changes are shown as character-level excerpts: deleted characters red
and struck through, inserted ones green and underlined.  Pure renumberings of
a draft are folded into one line per draft.  At most ``limit`` entries are
listed per kind; the full list is in ``build/diff/index.html``.
"""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from toolkit.diff.changeset import KIND_LABELS, KIND_ORDER, OP_LABELS, OPS, Change, ChangeSet
from toolkit.diff.textdiff import excerpt_ops, line_hunks

SIGNS = {"added": ("+", "green"), "removed": ("-", "red"), "changed": ("~", "yellow"), "moved": ("↷", "cyan")}


def ops_text(ops: list[tuple[str, str]], context: int = 14, max_len: int = 200, marks: bool = False) -> Text:
    """Character ops as Rich text, long kept stretches cut to ``context``.

    Deleted text is red and struck through, inserted green and underlined; with
    ``marks`` (a console without colour) they are also bracketed ``[-…-]``/``{+…+}``.
    """
    t = Text()
    for op, s in excerpt_ops(ops, context):
        s = s.replace("\n", " ⏎ ")
        if op == "=":
            t.append(s)
        elif op == "-":
            t.append(f"[-{s}-]" if marks else s, style="red strike")
        else:
            t.append(f"{{+{s}+}}" if marks else s, style="green underline")
    if len(t) > max_len:
        t.truncate(max_len)
        t.append("…")
    return t


def _value(v: str | None) -> str:
    if v is None:
        return "（无）"
    v = v.replace("\n", " ⏎ ")
    return v if len(v) <= 60 else v[:60] + "…"


def _field_lines(ch: Change, marks: bool, hunks: int = 3) -> list[Text]:
    out: list[Text] = []
    for f in ch.fields:
        if ch.op in ("added", "removed") and ch.kind not in ("target",):
            continue
        line = Text(f"      {f.label}：", style="dim")
        short = len(f.old or "") <= 16 and len(f.new or "") <= 16 and "\n" not in (f.old or "") + (f.new or "")
        if short or f.old is None or f.new is None:
            line.append(_value(f.old), style="red")
            line.append(" → ")
            line.append(_value(f.new), style="green")
            out.append(line)
            continue
        segs = [v for k, v in line_hunks(f.old, f.new) if k == "ops"]
        line.append_text(ops_text(segs[0], marks=marks))
        out.append(line)
        for ops in segs[1:hunks]:
            out.append(Text("        ") + ops_text(ops, marks=marks))
        if len(segs) > hunks:
            out.append(Text(f"        …（另 {len(segs) - hunks} 处）", style="dim"))
    return out


def _head(ch: Change) -> Text:
    sign, colour = SIGNS[ch.op]
    t = Text(f"  {sign} ", style=f"bold {colour}")
    if ch.kind in ("clause", "term", "annex", "front"):
        t.append(f"{ch.standard} ", style="dim")
        if ch.move is not None:
            t.append(f"{ch.move.old_number or '—'}→{ch.move.new_number or '—'} ", style="cyan")
        t.append(ch.title)
        t.append(f"  [{ch.id}]", style="dim")
    elif ch.kind == "target":
        t.append(f"{ch.title}", style="bold")
        note = ch.note if len(ch.note) <= 48 else ch.note[:47] + "…"
        t.append(f"  {note}", style="dim")
    else:
        t.append(f"{ch.id}", style="bold")
        t.append(f"  {ch.title}")
        if ch.note:
            t.append(f"  ({ch.note})", style="dim")
    return t


def print_summary(cs: ChangeSet, console: Console, limit: int = 25, written: list[str] | None = None,
                  report: str = "build/diff/index.html") -> None:
    """Print the summary of ``cs`` to ``console`` (see module doc).

    ``written`` lists the output files (relative paths) to mention; ``report`` is
    where the full list is.  Without colour, edits are bracketed ``[-…-]{+…+}``.
    """
    marks = console.no_color or console.color_system is None
    console.print(Text.assemble(("stdkit diff  ", "bold"), (cs.old.label, "red"), "  →  ", (cs.new.label, "green")))
    console.print(Text(f"  旧：{cs.old.label}  {cs.old.author}  {cs.old.date_text}", style="dim"))
    console.print(Text(f"  新：{cs.new.label}  {cs.new.author}  {cs.new.date_text}", style="dim"))
    if not cs:
        console.print("  无变化 (no changes)")
        return
    from toolkit.diff.review_links import comments_by_change, comments_for

    caused = comments_by_change(cs)
    counts = cs.counts()
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("类别")
    for op in OPS:
        table.add_column(OP_LABELS[op], justify="right")
    for kind in KIND_ORDER:
        row = counts[kind]
        if any(row.values()):
            table.add_row(KIND_LABELS[kind], *[str(row[op]) if row[op] else "·" for op in OPS])
    console.print(table)

    for kind in KIND_ORDER:
        items = cs.of_kind(kind)
        if not items:
            continue
        console.print(Text(f"\n{KIND_LABELS[kind]}", style="bold underline"))
        shown = 0
        renumbered: dict[str, list[Change]] = {}
        for ch in items:
            if ch.op == "moved" and ch.move is not None and not ch.move.reparented:
                renumbered.setdefault(ch.standard or "", []).append(ch)
                continue
            if shown >= limit:
                continue
            console.print(_head(ch))
            for line in _field_lines(ch, marks):
                console.print(line)
            for ref in comments_for(ch, caused):
                console.print(Text.assemble(("      ← 意见 ", "bold magenta"), ref.line))
            shown += 1
        hidden = len(items) - shown - sum(len(v) for v in renumbered.values())
        for sid, chs in sorted(renumbered.items()):
            moves = "、".join(f"{c.move.old_number}→{c.move.new_number}" for c in chs[:8])
            more = f" 等{len(chs)}处" if len(chs) > 8 else ""
            console.print(Text.assemble(("  ↷ ", "bold cyan"), (f"{sid} ", "dim"), f"编号调整：{moves}{more}"))
        if hidden > 0:
            console.print(Text(f"  … 另有 {hidden} 项，见 {report}", style="dim"))
    if caused:
        n = len({r.key for refs in caused.values() for r in refs})
        console.print(Text(f"\n{len(caused)} 处条款修改由 {n} 条审查意见引起（采纳/部分采纳）", style="bold magenta"))
    if written:
        folders = sorted({w.rpartition("/")[0] or "." for w in written})
        console.print(Text(f"\n写出 {len(written)} 个文件到 {'、'.join(f + '/' for f in folders)}；完整报告：{report}",
                           style="dim"))
