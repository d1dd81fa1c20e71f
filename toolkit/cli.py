"""Command line: ``stdkit check|build|diff|codes`` (thin: parse, call the pipeline, print).

Exit codes: 0 success (warnings allowed), 1 content errors (or changes, for
``diff --exit-code``), 2 cannot run (bad root, lock held, internal failure).
"""
from __future__ import annotations

import json
import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from toolkit.console import escape, lazy_console

from toolkit.findings import Finding, format_finding, sort_findings

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="stdkit — 国土空间规划“双碳”标准的“标准即代码”工具（standards-as-code）。")
err = lazy_console(stderr=True, highlight=False, soft_wrap=True)
out = lazy_console(highlight=False, soft_wrap=True)


DEBUG = {"on": False}
"""``stdkit --debug …`` (or ``STDKIT_DEBUG=1``): internal errors also print their traceback."""


def internal_error(what: str, exc: BaseException, after: str = "") -> None:
    """Report a bug (not a content problem): one line on stderr plus the path of a full log; exit 2.

    The log (``stdkit-error-<time>-<pid>.log`` in the temporary folder) holds the
    traceback; ``--debug`` or ``STDKIT_DEBUG=1`` prints it too.  Every piece of the
    message is escaped for Rich (paths, ids and YAML text are shown as written).
    Raises :class:`typer.Exit` (code 2).
    """
    import os
    import tempfile
    import traceback

    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    first = (str(exc).splitlines() or [""])[0]
    if len(first) > 300:
        first = first[:297] + "..."
    log = None
    try:
        fd, name = tempfile.mkstemp(prefix=f"stdkit-error-{time.strftime('%Y%m%d-%H%M%S')}-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"stdkit {' '.join(sys.argv[1:])}\n{what}\n\n{tb}")
        log = name
    except OSError:
        pass
    tail = f"; {after}" if after else ""
    where = f" (full report: {log}; run with --debug to see the traceback)" if log else ""
    err.print(escape(f"{what}: {type(exc).__name__}: {first}{tail}{where}"), soft_wrap=True)
    if DEBUG["on"] or os.environ.get("STDKIT_DEBUG") == "1":
        sys.stderr.write(tb)
    raise typer.Exit(2)


class Fmt(str, Enum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("stdkit")
        except PackageNotFoundError:  # running from a source tree without installing
            v = "unknown"
        out.print(f"stdkit {v}")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="显示版本号后退出"),
          debug: bool = typer.Option(False, "--debug", help="内部错误时同时打印 traceback（on an internal error, also print the traceback）")) -> None:
    """stdkit — 国土空间规划“双碳”标准的“标准即代码”工具（standards-as-code）。

    编制者常用：stdkit new draft <标准编号>，stdkit check [文件…]，stdkit build。
    字段参考：网站 编制者指南 → 字段参考（build/site/fields/）。
    """
    DEBUG["on"] = debug


def _root(root: Optional[Path]) -> Path:
    r = (root or Path.cwd()).resolve()
    if not (r / "standards").is_dir():
        err.print(f"stdkit: no `standards/` folder under {escape(str(r))}; run from the project root or pass --root DIR")
        raise typer.Exit(2)
    return r


def collect_findings(root: Path, artifacts: bool = False):
    """Load, validate, resolve and check the corpus under ``root``; returns ``(corpus, findings)``.

    The cyclic garbage collector stays paused through the checks too (as
    :func:`toolkit.corpus.load_corpus` pauses it while loading), and everything is then
    frozen (``gc.freeze``): later collections, and forked build workers, leave the
    corpus alone (check at 1000 standards: 28 s → 7.7 s).
    """
    import gc

    from toolkit.checks import run_checks
    from toolkit.corpus import load_corpus

    was_enabled = gc.isenabled()
    gc.collect()  # garbage that exists now is not frozen below
    gc.disable()
    try:
        corpus, findings = load_corpus(root)
        findings = findings + run_checks(corpus, cache=True)
        if artifacts:
            from toolkit.checks.artifacts import check_artifacts

            findings = findings + check_artifacts(corpus, root / "build")
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
    return corpus, sort_findings(findings)


def print_findings(findings: list[Finding], fmt: Fmt, stream=None, hidden: int = 0) -> None:
    """Print findings as compiler-style lines (text) or a JSON list; ``hidden`` counts baseline-hidden ones."""
    stream = stream or sys.stdout
    if fmt == Fmt.json:
        stream.write(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=1) + "\n")
        return
    for f in findings:
        stream.write(format_finding(f) + "\n")
    n_err = sum(f.is_error for f in findings)
    n_warn = len(findings) - n_err
    tail = f"（另有 {hidden} 个已知问题被基线隐藏）" if hidden else ""
    stream.write(f"{n_err} 个错误（error），{n_warn} 个警告（warning）{tail}\n")


@app.command()
def check(
    paths: Optional[list[Path]] = typer.Argument(None, metavar="PATH",
                                                 help="只显示这些文件（或文件夹）中的问题，以及引用其中记录的问题"),
    root: Optional[Path] = typer.Option(None, "--root", help="project root holding standards/ (default: current folder)"),
    format: Fmt = typer.Option(Fmt.text, "--format", help="text (compiler style) or json"),
    artifacts: bool = typer.Option(False, "--artifacts", metavar="", help="also read build/ back and compare it with the source"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE",
                                            help="隐藏基线文件中已知的问题，只显示新问题"),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", metavar="FILE",
                                                  help="把当前全部问题写入基线文件 FILE（供 --baseline 使用）"),
) -> None:
    """Load, validate, resolve and run every check; exit 1 if errors were found.

    读取、校验全部 YAML 并运行一致性检查（始终检查整个语料库）；给出 PATH 时只显示这些文件的问题。
    退出码：0 无错误（可有警告），1 有错误，2 无法运行。
    """
    from toolkit import triage

    r = _root(root)
    try:
        corpus, findings = collect_findings(r, artifacts)
    except Exception as exc:  # a bug, not content: report without a traceback, exit 2
        internal_error("stdkit: internal error while checking", exc)
    if write_baseline is not None:
        triage.write_baseline(findings, write_baseline)
        err.print(f"stdkit check: 已把 {len(findings)} 个问题写入基线 {escape(str(write_baseline))}")
    if paths:
        try:
            findings = triage.focus(findings, corpus, triage.rel_paths(paths, r))
        except ValueError as exc:
            err.print(f"stdkit check: {escape(str(exc))}")
            raise typer.Exit(2)
    hidden = 0
    if baseline is not None:
        try:
            findings, hidden = triage.apply_baseline(findings, triage.load_baseline(baseline))
        except triage.BaselineError as exc:
            err.print(f"stdkit check: {escape(str(exc))}")
            raise typer.Exit(2)
    print_findings(findings, format, hidden=hidden)
    raise typer.Exit(1 if any(f.is_error for f in findings) else 0)


@app.command()
def build(
    root: Optional[Path] = typer.Option(None, "--root", help="project root holding standards/"),
    review: bool = typer.Option(False, "--review", metavar="", help="review build: show each clause's source beside it"),
    quiet: bool = typer.Option(False, "--quiet", "-q", metavar="", help="print nothing but errors (CI)"),
    only: Optional[str] = typer.Option(None, "--only", metavar="STEPS",
                                       help="comma-separated step names to run (default: all)"),
    wait: float = typer.Option(0.0, "--wait", metavar="SECONDS",
                               help="seconds to wait when another build holds the lock (default: refuse at once)"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE",
                                            help="只列出不在基线文件中的新警告"),
) -> None:
    """Check, then (re)build what changed under build/ (atomically; previous build kept on failure).

    Outputs are cached by a content hash of their inputs (build/.stdkit-manifest.json):
    an unchanged corpus writes nothing; editing one clause re-renders that draft and
    the pages showing it.  Independent outputs render in parallel processes.
    """
    from toolkit.build import BuildError
    from toolkit.build.engine import incremental_build
    from toolkit.render import OutputMissing, output_names

    r = _root(root)
    t0 = time.perf_counter()
    try:
        corpus, findings = collect_findings(r)
    except Exception as exc:
        internal_error("stdkit: internal error while checking", exc)
    errors = [f for f in findings if f.is_error]
    if errors:
        print_findings(findings, Fmt.text, sys.stderr)
        err.print(f"stdkit build: 检查发现 {len(errors)} 个错误，未写入任何文件（nothing was written; build/ unchanged）")
        raise typer.Exit(1)
    shown, hidden = findings, 0
    if baseline is not None:
        from toolkit import triage

        try:
            shown, hidden = triage.apply_baseline(findings, triage.load_baseline(baseline))
        except triage.BaselineError as exc:
            err.print(f"stdkit build: {exc}")
            raise typer.Exit(2)
    if shown and not quiet:  # the warnings themselves, not only their number
        print_findings(shown, Fmt.text, hidden=hidden)
    steps = output_names()
    selected = None
    if only:
        selected = {s.strip() for s in only.split(",") if s.strip()}
        unknown = selected - set(steps)
        if unknown:
            err.print(f"stdkit build: unknown step(s) {', '.join(sorted(unknown))}; steps are {', '.join(steps)}",
                      markup=False)
            raise typer.Exit(2)
    displays: list = []

    def progress(plan):
        return None if quiet else _progress_display(plan, displays)

    try:
        try:
            def notify(msg: str) -> None:  # waiting for the lock, leftovers of a killed build, manifest recovered
                if not quiet:
                    err.print(f"stdkit build: {msg}", markup=False)

            res = incremental_build(corpus, r, review=review, quiet=quiet, selected=selected, progress=progress,
                                    wait=wait, notify=notify)
        finally:
            for d in displays:
                d.stop()
    except (BuildError, OutputMissing) as exc:
        err.print(f"stdkit build: {exc}", markup=False)
        raise typer.Exit(2)
    except KeyboardInterrupt:
        err.print("stdkit build: interrupted; previous build/ left intact")
        raise typer.Exit(2)
    except Exception as exc:
        internal_error("stdkit build: step failed", exc, "previous build/ left intact")
    if quiet:
        return
    secs = time.perf_counter() - t0
    if res.up_to_date:
        out.print(f"stdkit build: 已是最新（up to date；{res.kept} 个输出任务未变，{secs:.1f} 秒；"
                  f"检查警告 {len(findings)} 个{_warn_note(shown, hidden)}）")
        return
    out.print(f"stdkit build: 在 build/ 下写入 {len(res.written)} 个文件，用时 {secs:.1f} 秒——"
              f"重建 {len(res.ran)} 个任务，{res.kept} 个未变（检查警告 {len(findings)} 个{_warn_note(shown, hidden)}）")
    for name, s in res.seconds.items():  # wall-clock, first job started to last job finished
        n = sum(1 for k in res.ran if k == name or k.startswith(name + "/"))
        out.print(f"  {name:<10} {n:3d} job(s) {s:7.2f} s")


def _warn_note(shown: list, hidden: int) -> str:
    return f"，其中 {len(shown)} 个新警告、{hidden} 个在基线中" if hidden else ""


def _only_help() -> str:
    """Help of ``build --only``, listing the build's own step names (the output registry; imports no writer)."""
    from toolkit.render import output_names

    names = ", ".join(output_names())
    return f"comma-separated step names to run (default: all); steps: {names}"


def _progress_display(plan, displays: list):
    """Rich progress bars on stderr, one per step with work to do; returns the build's progress callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bars = Progress(SpinnerColumn(), TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err.real(), transient=False)
    tasks: dict[str, int] = {}
    displays.append(bars)

    def cb(event: str, step: str, n: int) -> None:
        if event == "start":
            if not tasks:
                bars.start()
            tasks[step] = bars.add_task(step, total=n)
        elif event == "advance":
            bars.advance(tasks[step], n)
        elif event == "done":
            bars.update(tasks[step], description=f"[green]✓[/] {step}")

    return cb


@app.command()
def diff(
    old: str = typer.Argument(..., help="old side: a git revision (HEAD~1, a tag, a sha) or a directory"),
    new: Optional[str] = typer.Argument(None, help="new side: a git revision or a directory (default: the working tree)"),
    root: Optional[Path] = typer.Option(None, "--root", help="project root holding standards/ (and inside the git repository)"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="output folder (default: <root>/build/diff)"),
    exit_code: bool = typer.Option(False, "--exit-code", help="exit 1 when there are changes (for CI)"),
    author: Optional[str] = typer.Option(None, "--author", help="author of the tracked changes (default: the NEW commit's author)"),
) -> None:
    """Semantic diff of two versions: terminal summary, build/diff/ report, tracked-changes DOCX, 修订对照表."""
    from toolkit.build import BuildError
    from toolkit.diff import DiffSourceError
    from toolkit.render.diff_outputs import run_diff
    from toolkit.diff.terminal import print_summary
    from toolkit.outdir import UnsafeOutputError

    r = _root(root)
    try:
        result = run_diff(r, old, new, out_dir, author)
    except (DiffSourceError, BuildError, UnsafeOutputError) as exc:
        if getattr(exc, "findings", None):  # a side whose YAML is broken: its findings, not false 删除
            print_findings(sort_findings(exc.findings), Fmt.text, sys.stderr)
        err.print(f"stdkit diff: {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2)
    except Exception as exc:  # a bug, not content: report without a traceback, exit 2
        internal_error("stdkit diff: internal error", exc)
    for side, found in (("旧", result.old_findings), ("新", result.new_findings)):
        if any(f.is_error for f in found):
            err.print(f"stdkit diff: {side}版本有 {sum(f.is_error for f in found)} 个读取/校验错误，"
                      "出错的记录未参与比较（运行 stdkit check 查看）", soft_wrap=True)
    shown = [p.relative_to(r).as_posix() if p.is_relative_to(r) else p.as_posix() for p in result.written]
    print_summary(result.changes, out.real(), written=shown,
                  report=next((s for s in shown if s.endswith("index.html")), "index.html"))
    raise typer.Exit(1 if exit_code and result.changes else 0)


@app.command()
def evaluate(
    plan: Path = typer.Argument(..., help="the plan: .yaml (plan:/values:/limits:), .csv or .xlsx (indicator,value[,unit][,facets…]), or .gpkg (parcels, bus_stops, roads, plan)"),
    standard: Optional[list[str]] = typer.Option(None, "--standard", help="only targets of this standard id (repeatable)"),
    format: Optional[list[str]] = typer.Option(None, "--format", help="text (default), json, html, xlsx, docx (repeatable)"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="write the reports into DIR (default: text/json to stdout; others to ./evaluation/<plan>/)"),
    level: Optional[str] = typer.Option(None, "--level", help="plan level (municipal, 市级 …) for CSV/XLSX/GPKG plans"),
    plan_type: Optional[str] = typer.Option(None, "--plan-type", help="plan type (detailed, 详细规划 …)"),
    year: Optional[int] = typer.Option(None, "--year", help="horizon year (规划期末年)"),
    facet: Optional[list[str]] = typer.Option(None, "--facet", help="KEY=VALUE facet of the plan, e.g. area-type=new-district (repeatable)"),
    name: Optional[str] = typer.Option(None, "--name", help="plan name for the reports"),
    root: Optional[Path] = typer.Option(None, "--root", help="project root holding standards/"),
) -> None:
    """Evaluate a plan against every target that applies to it; exit 0 all 约束性 pass, 1 one fails or is missing, 2 cannot run."""
    from toolkit.evaluate_cli import run_evaluate

    raise typer.Exit(run_evaluate(_root(root), plan, standard or [], format or ["text"], out_dir,
                                  level, plan_type, year, facet or [], name, out.real(), err.real()))


@app.command()
def codes(format: Fmt = typer.Option(Fmt.text, "--format")) -> None:
    """List every finding code with its meaning."""
    from toolkit.codes import CODES

    if format == Fmt.json:
        out.print_json(json.dumps([{"code": k, **v} for k, v in CODES.items()], ensure_ascii=False))
        return
    for code, info in CODES.items():
        out.print(f"{code}  {info['severity']:<7} {info['title']}")


from toolkit.cli_review import review_app  # noqa: E402  (stdkit review …)
app.add_typer(review_app, name="review")

from toolkit.cli_drafter import register as _register_drafter  # noqa: E402  (stdkit new, stdkit schema)

_register_drafter(app)


FAST_EXIT_COMMANDS = frozenset({"check", "build"})
"""Commands after which the process ends without freeing what it loaded (see :func:`_fast_exit`)."""


def _command() -> str | None:
    """The command named on the command line (its first word that is not an option), or ``None``."""
    return next((a for a in sys.argv[1:] if not a.startswith("-")), None)


def _fast_exit(code) -> None:
    """End the process now with exit status ``code`` (as :func:`sys.exit` reads it), output flushed.

    Freeing a large corpus object by object at interpreter exit takes a noticeable share of a
    check (0.1–0.2 s at 1000 standards; 30–50 ms of a small build), for memory the system
    reclaims at once anyway (mypy ends the same way).  Only for commands that leave nothing to
    clean up: ``check`` writes its cache atomically before printing, and its worker processes
    have ended; ``build`` has swapped ``build/`` into place (or removed its staging folder),
    released its lock and joined its workers before it returns.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # a message: what sys.exit would print
        print(code, file=sys.stderr)
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        status = status or 1
    os._exit(status)


def main() -> None:
    """Console-script entry point."""
    if "build" in sys.argv[1:] and ("--help" in sys.argv[1:] or "-h" in sys.argv[1:]):
        import inspect

        inspect.signature(build).parameters["only"].default.help = _only_help()  # step names only when asked
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        err.print("stdkit: interrupted")
        sys.exit(2)
    except typer.Exit:
        raise
    except SystemExit as done:
        if _command() in FAST_EXIT_COMMANDS:
            _fast_exit(done.code)
        raise
    except Exception as exc:  # any bug that escaped a command: one line plus a log, never a traceback
        try:
            internal_error("stdkit: internal error", exc)
        except typer.Exit as done:
            sys.exit(done.exit_code)


if __name__ == "__main__":
    main()
