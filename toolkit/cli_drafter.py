"""Drafter commands of the CLI: ``stdkit new standard|draft|measure|indicator`` and ``stdkit schema``.

Kept out of :mod:`toolkit.cli` (which registers them with :func:`register`) so the
main CLI module stays small.  Messages are Chinese (codes, ids and field names as
written).  Exit codes as everywhere: 0 done, 1 nothing written because of the input
(taken id, unknown standard …), 2 cannot run.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from toolkit.console import escape, lazy_console

_err = lazy_console(stderr=True, highlight=False, soft_wrap=True)
_out = lazy_console(highlight=False, soft_wrap=True)

new_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                      help="写一个带注释的骨架（新编号，不覆盖已有文件）：standard | draft | measure | indicator。")

_ROOT_HELP = "project root holding standards/ (default: current folder)"


def _root(root: Optional[Path]) -> Path:
    r = (root or Path.cwd()).resolve()
    if not (r / "standards").is_dir():
        _err.print(f"stdkit: {escape(str(r))} 下没有 standards/ 文件夹；请在项目根目录运行，或用 --root DIR 指定")
        raise typer.Exit(2)
    return r


def _corpus(r: Path):
    from toolkit.corpus import load_corpus

    corpus, findings = load_corpus(r)
    return corpus


def _done(w, r: Path) -> None:
    verb = "新建" if w.created else "追加到"
    _out.print(f"stdkit new: {verb} {escape(w.path)}：{escape(w.id)}")
    if (r / "schemas").is_dir():  # new ids (indicators, standards) become editor suggestions at once
        from toolkit import schema as sc

        try:
            for p in sc.write_schemas(r, _corpus(r)):
                _out.print(f"stdkit new: 已更新 {escape(p.relative_to(r).as_posix())}")
        except OSError as exc:
            _err.print(f"stdkit new: Schema 未更新（{escape(str(exc))}）；请运行 stdkit schema")
    _out.print(f"下一步：编辑该文件，然后运行 stdkit check {escape(w.path)}")


def _run(fn, *args, **kw):
    from toolkit.scaffold import ScaffoldError

    try:
        return fn(*args, **kw)
    except ScaffoldError as exc:
        _err.print(f"stdkit new: {escape(str(exc))}")
        raise typer.Exit(1)
    except OSError as exc:
        _err.print(f"stdkit new: 无法写入：{escape(str(exc))}")
        raise typer.Exit(2)


@new_app.command("standard")
def new_standard(
    slug: str = typer.Argument(..., help="英文简称，如 low-carbon-street-design（编号为 std-<简称>）"),
    title: str = typer.Option(..., "--title", help="标准名称，如 低碳街道设计指南"),
    category: str = typer.Option("comprehensive", "--category",
                                 help="comprehensive | special | revision | implementation | in-progress"),
    group: str = typer.Option("规划编制类", "--group", help="规划编制类 | 实施保障类"),
    action: str = typer.Option("new", "--action", help="new | revise | recommend"),
    root: Optional[Path] = typer.Option(None, "--root", help=_ROOT_HELP),
) -> None:
    """新建标准目录记录 standards/catalogue/std-<简称>.yaml。"""
    from toolkit import scaffold

    r = _root(root)
    _done(_run(scaffold.new_standard, _corpus(r), r, slug, title, category=category, group=group, action=action), r)


@new_app.command("draft")
def new_draft(
    standard: str = typer.Argument(..., help="目录中的标准编号，如 std-low-carbon-urban-design-guide"),
    prefix: Optional[str] = typer.Option(None, "--prefix", help="草案内部编号的前缀（默认取标准编号各词首字母）"),
    root: Optional[Path] = typer.Option(None, "--root", help=_ROOT_HELP),
) -> None:
    """新建草案 standards/drafts/<标准编号>.yaml：前言、范围、规范性引用文件、术语和定义和一个技术章。"""
    from toolkit import scaffold

    r = _root(root)
    _done(_run(scaffold.new_draft, _corpus(r), r, standard, prefix=prefix), r)


@new_app.command("measure")
def new_measure(
    level: str = typer.Option(..., "--level", help="national | provincial | municipal | county | township"),
    plan_type: str = typer.Option(..., "--plan-type", help="master | detailed | special"),
    domain: str = typer.Option(..., "--domain",
                               help="energy | industry | transport | buildings | waste | agriculture | sinks"),
    title: str = typer.Option(..., "--title", help="措施标题"),
    summary: Optional[str] = typer.Option(None, "--summary", help="措施概述（可稍后填写）"),
    root: Optional[Path] = typer.Option(None, "--root", help=_ROOT_HELP),
) -> None:
    """在 standards/measures/<层级>-<规划类型>.yaml 末尾追加一项措施（编号取下一个序号）。"""
    from toolkit import scaffold

    r = _root(root)
    _done(_run(scaffold.new_measure, _corpus(r), r, level, plan_type, domain, title, summary), r)


@new_app.command("indicator")
def new_indicator(
    slug: str = typer.Argument(..., help="英文简称，如 roof-pv-share（编号为 ind-<简称>）"),
    name: str = typer.Option(..., "--name", help="指标中文名称"),
    unit: str = typer.Option(..., "--unit", help="单位编号（standards/registry/units.yaml），如 %"),
    kind: str = typer.Option("预期性", "--kind", help="约束性 | 预期性"),
    direction: str = typer.Option("higher", "--direction", help="higher | lower | target"),
    file: Optional[str] = typer.Option(None, "--file", help="指标文件（默认 standards/indicators/drafted.yaml）"),
    root: Optional[Path] = typer.Option(None, "--root", help=_ROOT_HELP),
) -> None:
    """在指标文件末尾追加一项指标（文件不存在时新建）。"""
    from toolkit import scaffold

    r = _root(root)
    _done(_run(scaffold.new_indicator, _corpus(r), r, slug, name, unit, kind, direction, file), r)


def schema(
    root: Optional[Path] = typer.Option(None, "--root", help=_ROOT_HELP),
    check_only: bool = typer.Option(False, "--check", metavar="", help="只检查是否需要重新生成（需要时退出码为 1）"),
) -> None:
    """生成编辑器用的 JSON Schema（schemas/*.schema.json）和 .vscode/settings.json。

    Schema 由 toolkit/model.py 的模型生成，字段说明取自 toolkit/fields_zh.py，
    层级、规划类型、领域、尺度、单位的取值和已有记录的编号取自语料库。
    """
    from toolkit import schema as sc

    r = _root(root)
    corpus = _corpus(r)
    if check_only:
        stale = sc.stale_schemas(r, corpus)
        for rel in stale:
            _out.print(f"{escape(rel)}: 需要重新生成（运行 stdkit schema）")
        raise typer.Exit(1 if stale else 0)
    try:
        changed = sc.write_schemas(r, corpus)
    except OSError as exc:
        _err.print(f"stdkit schema: 无法写入：{escape(str(exc))}")
        raise typer.Exit(2)
    for p in changed:
        _out.print(f"stdkit schema: 已写入 {escape(p.relative_to(r).as_posix())}")
    if not changed:
        _out.print("stdkit schema: 已是最新")


def register(app: typer.Typer) -> None:
    """Add ``new`` (sub-commands) and ``schema`` to the main app."""
    app.add_typer(new_app, name="new")
    app.command("schema")(schema)
