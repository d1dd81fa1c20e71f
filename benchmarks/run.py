"""Benchmarks of stdkit (issue 7), on demand (``make bench``), never in ``make test``.

Prints medians of several runs and peak memory, as Markdown tables, for

* ``stdkit check`` of the real corpus and of synthetic projects of N = 10, 100, 1000
  standards (``benchmarks/gen_corpus.py``), with a linear fit time = a + b·N;
* ``stdkit build`` of the real corpus in a temporary clone of the repository with the
  working tree's project files: cold (no ``build/``), no-op (nothing changed) and after
  editing one clause of one draft; and
  cold/no-op builds of small synthetic projects (``--build-sizes``, default N = 10);
* ``stdkit diff OLD NEW`` between two synthetic 1000-standard projects (NEW: 20 clauses
  edited, 10 targets changed, 5 measures removed, 1 indicator added);
* the same content through peer tools, as ratios: DOCX from stdkit's writer vs pandoc
  (Markdown → DOCX, Debian package), and the draft HTML / the site vs StrictDoc
  (``strictdoc export --formats html``, installed from PyPI into its own virtualenv,
  ``/tmp/stdkit-bench-strictdoc`` by default — never into the project's).

Every command runs as a child process; its wall time is measured around it and its peak
resident memory comes from ``os.wait4`` (the largest process of the command: ``ru_maxrss``
of the child, which for a build is the biggest of the main process and its workers).

Every sample of a row is preceded by the YAML-parse floor of the project it works on
(PyYAML's C composer over every file of ``standards/``, :func:`parse_floor`), so each row
is reported beside the floor of its own runs (median, over the cores and on one core) and
as a multiple of it: on a shared machine whose speed changes from minute to minute, the
floor shows how fast the machine was while that row was measured.

Usage: ``python benchmarks/run.py [--runs 5] [--sizes 10,100,1000] [--build-sizes 10] [--only check,build,diff,peers]
[--workdir DIR] [--out results.md]``.  Writes scratch files under ``--workdir``
(default: a new temporary folder, removed at the end unless ``--keep``).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

PY = sys.executable
_SCRIPT = Path(PY).parent / "stdkit"
STDKIT = [str(_SCRIPT)] if _SCRIPT.is_file() else [PY, "-P", "-m", "toolkit.cli"]
"""How a drafter runs stdkit: the installed command (never a `toolkit/` of the current folder, such as
the one in the temporary clone the build section works in)."""
STRICTDOC_VENV = Path(os.environ.get("STDKIT_BENCH_STRICTDOC_VENV", "/tmp/stdkit-bench-strictdoc"))
PROJECT_FILES = ("standards", "templates", "site", "mkdocs.yml")
EDIT_MARK = "（基准测试修改）"


# ---------------------------------------------------------------------- measuring
@dataclass
class Sample:
    """One run of a command: wall seconds, peak RSS of its largest process (MiB), exit code, output tail."""

    seconds: float
    peak_mib: float
    rc: int
    tail: str = ""
    cpu: float = 0.0  # user + system seconds of the child and the processes it waited for


@dataclass
class Figure:
    """Several runs of one measure."""

    name: str
    samples: list[Sample] = field(default_factory=list)
    target: str = ""
    limit: float | None = None  # seconds; the median must be below
    mem_limit: float | None = None  # MiB; the peak must be below
    note: str = ""
    floors: list[float] = field(default_factory=list)  # one-core parse floor measured just before each sample

    def floor_text(self) -> str:
        """The median parse floor of this row's samples, over the cores and on one core, and the median's ratio to it."""
        if not self.floors:
            return "–"
        one = statistics.median(self.floors)
        per_core = one / (os.cpu_count() or 1)
        return f"{per_core:.2f} s ({one:.2f} s on one core) · {self.median / per_core:.1f}×"

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak(self) -> float:
        return max(s.peak_mib for s in self.samples)

    @property
    def ok(self) -> bool:
        return all(s.rc == 0 for s in self.samples)

    def met(self) -> str:
        if not self.ok:
            return "**failed**"
        checks = []
        if self.limit is not None:
            checks.append(self.median < self.limit)
        if self.mem_limit is not None:
            checks.append(self.peak < self.mem_limit)
        if not checks:
            return ""
        return "yes" if all(checks) else "**no**"


def run(cmd: list[str], cwd: Path, env: dict | None = None, quiet: bool = True) -> Sample:
    """Run ``cmd`` in ``cwd``; wall time around it, peak RSS from ``os.wait4``."""
    full_env = {**os.environ, **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stdout:
        proc.stdout.close()
    tail = out.decode("utf-8", "replace")[-2000:]
    if proc.returncode != 0 and not quiet:
        print(f"  ! {' '.join(map(str, cmd))} → exit {proc.returncode}\n{tail}", file=sys.stderr)
    return Sample(seconds, usage.ru_maxrss / 1024, proc.returncode, tail, usage.ru_utime + usage.ru_stime)


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def loadavg() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def copy_project(dest: Path, source: Path = REPO, git: bool = False) -> Path:
    """The project files (corpus, templates, site sources, mkdocs.yml) of ``source`` under ``dest``, no build/.

    ``git=True``: ``dest`` is a clone of ``source``'s repository (read-only for the
    source) with the working-tree project files copied over it, so that what reads git
    history — the site's 修订记录 page diffs against the last tag — does its real work.
    """
    if git and (source / ".git").exists() and shutil.which("git"):
        r = subprocess.run(["git", "clone", "-q", "--local", str(source), str(dest)], capture_output=True)
        if r.returncode != 0:
            log(f"git clone failed ({r.stderr.decode(errors='replace').strip()}); using a plain copy")
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src, dst = source / name, dest / name
        if dst.is_dir():
            shutil.rmtree(dst)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copyfile(src, dst)
    return dest


def edit_one_clause(draft_file: Path, toggle: bool) -> None:
    """Change the text of the first plain clause paragraph (adds or removes :data:`EDIT_MARK`)."""
    text = draft_file.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if re.match(r"^\s+clauses:\s*$", l))
    for i in range(start, len(lines)):
        mt = re.match(r"^(\s+(?:- )?text: )(.*)。$", lines[i])
        if mt and not mt.group(2).startswith(("'", '"', "|", ">")):
            body = mt.group(2).replace(EDIT_MARK, "")
            lines[i] = f"{mt.group(1)}{body}{EDIT_MARK if toggle else ''}。"
            draft_file.write_text("\n".join(lines), encoding="utf-8")
            return
    raise RuntimeError(f"no plain clause paragraph in {draft_file}")


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least-squares ``y = a + b x``; returns ``(a, b, r²)``."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys))
    return a, b, (1 - ss_res / ss_tot) if ss_tot else 1.0


# ---------------------------------------------------------------------- benchmarks
def parse_floor(project: Path | list[Path]) -> tuple[float, float]:
    """Seconds to compose every YAML file of ``project`` (or of several) with PyYAML's C composer on one
    core, and that divided by the cores: the floor for a cold check (reading is unavoidable work)."""
    import yaml

    projects = project if isinstance(project, list) else [project]
    files = sorted(f for p in projects for f in (p / "standards").rglob("*.yaml"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    t0 = time.perf_counter()
    for f in files:
        yaml.compose(f.read_bytes().decode("utf-8"), Loader=loader)
    one = time.perf_counter() - t0
    return one, one / (os.cpu_count() or 1)


def floored(fig: Figure, project: Path | list[Path], measure) -> Sample:
    """Measure the parse floor of ``project`` (this moment's machine speed), then one sample ``measure()``;
    both are added to ``fig``.  Every row of the report thus stands beside the floor of its own run."""
    fig.floors.append(parse_floor(project)[0])
    sample = measure()
    fig.samples.append(sample)
    return sample


def _cold(cmd: list[str], cwd: Path) -> Sample:
    """A check with no parse cache (``.stdkit-cache/`` removed first)."""
    shutil.rmtree(cwd / ".stdkit-cache", ignore_errors=True)
    return run(cmd, cwd)


def _toggle_edit(project: Path, n: int) -> Path:
    """Edit one draft file of ``project`` (text of one clause; alternates between two versions)."""
    draft = sorted((project / "standards" / "drafts").glob("*.yaml"))[0]
    edit_one_clause(draft, toggle=(n % 2 == 0))
    return draft


def bench_check(work: Path, sizes: list[int], runs: int) -> tuple[list[Figure], str]:
    from gen_corpus import generate

    figs = []
    real = copy_project(work / "check-real")
    log("check: real corpus")
    f = Figure("check — real corpus, cold (no parse cache)", target="< 1 s", limit=1.0)
    for _ in range(runs):
        floored(f, real, lambda: _cold(STDKIT + ["check"], real))
    figs.append(f)
    points = []
    floor_note = ""
    for n in sizes:
        out = work / f"corpus-{n}"
        if not (out / "standards").is_dir():
            log(f"generating N={n}")
            counts = generate(n, out)
            (out / "counts.json").write_text(json.dumps(counts))
        counts = json.loads((out / "counts.json").read_text())
        k = runs  # every size gets the full number of runs: a shared machine varies from run to run
        log(f"check: N={n} ({k} runs)")
        big = n == 1000
        label = f"N = {n} ({counts['drafts']} drafts, {counts['measures']} measures, {counts['indicators']} indicators)"
        f = Figure(f"check — {label}, cold", target="< 8 s, < 1 GiB" if big else "",
                   limit=8.0 if big else None, mem_limit=1024.0 if big else None)
        for _ in range(k):
            floored(f, out, lambda: _cold(STDKIT + ["check"], out))
        figs.append(f)
        if big:
            one = statistics.median(f.floors)
            floor_note = (f"YAML-parse floor at N = {n} (PyYAML C composer over every file, measured before each "
                          f"cold check of this run, median): {one:.2f} s on one core, "
                          f"{one / (os.cpu_count() or 1):.2f} s over {os.cpu_count()} cores.")
        points.append((n, f.median))
        if big:
            run(STDKIT + ["check"], out)  # fill the cache
            f = Figure(f"check — {label}, re-check after editing one file", target="< 2 s", limit=2.0)
            for i in range(k):
                _toggle_edit(out, i)
                floored(f, out, lambda: run(STDKIT + ["check"], out))
            figs.append(f)
    fit = ""
    if len(points) >= 2:
        a, b, r2 = linear_fit([p[0] for p in points], [p[1] for p in points])
        per = [f"{t / n * 1000:.1f}" for n, t in points]
        fit = (f"Linear fit of cold check time over N: t = {a:.2f} s + {b * 1000:.2f} ms × N (R² = {r2:.4f}); "
               f"ms per standard at N = {', '.join(str(n) for n, _ in points)}: {', '.join(per)}.")
    return figs, "\n- ".join(x for x in (fit, floor_note) if x)


def bench_build(work: Path, runs: int) -> list[Figure]:
    proj = copy_project(work / "build-real", git=True)
    env = {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000"), "NO_MKDOCS_2_WARNING": "1"}
    drafts = sorted((proj / "standards" / "drafts").glob("*.yaml"))
    cmd = STDKIT + ["build", "--quiet"]
    cold = Figure("build — cold (no build/), real corpus", target="< 60 s", limit=60.0)
    k = max(2, runs - 2)
    for i in range(k):
        shutil.rmtree(proj / "build", ignore_errors=True)
        log(f"build: cold {i + 1}/{k}")
        floored(cold, proj, lambda: run(cmd, proj, env, quiet=False))
    noop = Figure("build — no-op (nothing changed)", target="< 0.5 s", limit=0.5)
    log("build: no-op")
    for _ in range(runs):
        floored(noop, proj, lambda: run(cmd, proj, env, quiet=False))
    before = {p: p.stat().st_ino for p in (proj / "build").rglob("*") if p.is_file()}
    noop.note = "build/ untouched" if before == {p: p.stat().st_ino for p in (proj / "build").rglob("*")
                                                 if p.is_file()} else "build/ CHANGED"
    edit = Figure(f"build — one clause of {drafts[0].stem} edited", target="< 3 s", limit=3.0)
    log("build: one-clause edits")
    for i in range(runs):
        edit_one_clause(drafts[0], toggle=(i % 2 == 0))
        floored(edit, proj, lambda: run(cmd, proj, env, quiet=False))
    engine = Figure("build — no-op, engine only (plan against the manifest, corpus already loaded)",
                    target="(share of the no-op)")
    for _ in range(runs):
        floored(engine, proj, lambda: _engine_noop(proj, env))
    figs = [cold, noop, engine, edit] + bench_reference(proj, env, cmd, runs)
    for f in figs:  # CPU seconds: comparable when the machine is shared
        cpu = f"CPU {statistics.median(s.cpu for s in f.samples):.2f} s"
        f.note = f"{f.note}; {cpu}" if f.note else cpu
    return figs


def _engine_noop(proj: Path, env: dict) -> Sample:
    """Seconds of :func:`toolkit.build.engine.incremental_build` alone on an up-to-date build (in a child)."""
    code = ("import sys, time; from pathlib import Path; from toolkit.corpus import load_corpus; "
            "from toolkit.build.engine import incremental_build; r = Path(sys.argv[1]); c, _ = load_corpus(r); "
            "t, p = time.perf_counter(), time.process_time(); res = incremental_build(c, r, quiet=True); "
            "print(f'{time.perf_counter() - t:.4f} {time.process_time() - p:.4f} {res.up_to_date}')")
    s = run([sys.executable, "-P", "-c", code, str(proj)], proj, env, quiet=False)  # -P: the installed toolkit
    secs, cpu, ok = s.tail.split()[-3:] if s.rc == 0 else ("nan", "nan", "False")
    return Sample(float(secs), s.peak_mib, s.rc if ok == "True" else 1, s.tail, float(cpu))


def _pdf_inodes(proj: Path) -> dict[str, int]:
    return {p.stem: p.stat().st_ino for p in (proj / "build" / "drafts").glob("*.pdf")}


def bench_reference(proj: Path, env: dict, cmd: list[str], runs: int) -> list[Figure]:
    """A reference added to ``standards/registry/references.yaml`` (cited by no draft yet), and one
    edited (its title): how long, and how many drafts were re-rendered (counted by the PDFs' inodes)."""
    refs = proj / "standards" / "registry" / "references.yaml"
    original = refs.read_text(encoding="utf-8")
    n_drafts = len(_pdf_inodes(proj))
    added = Figure("build — one reference added to references.yaml", target="only citing drafts (none yet)")
    counts = []
    for i in range(max(1, runs - 2)):
        refs.write_text(original.rstrip("\n") + f"\n  - {{id: bench-ref-{i}, code: \"GB/T 9{i:04d}—2026\", "
                        f"title: 基准测试新增引用文件{i}}}\n", encoding="utf-8")
        before = _pdf_inodes(proj)
        floored(added, proj, lambda: run(cmd, proj, env, quiet=False))
        counts.append(sum(1 for k, v in _pdf_inodes(proj).items() if before.get(k) != v))
        refs.write_text(original, encoding="utf-8")
        run(cmd, proj, env, quiet=False)
    added.note = f"drafts re-rendered: {max(counts)} of {n_drafts}"
    ref_id, title = "tdt-1062-2021", "title: 社区生活圈规划技术指南}"
    citing = sorted(f.stem for f in (proj / "standards" / "drafts").glob("*.yaml")
                    if re.search(rf"(?<![\w-]){ref_id}(?![\w-])", f.read_text(encoding="utf-8")))
    # a citing draft's 编制说明 lists its normative references too, so it is re-rendered with it
    citing = sorted(citing + [f"{c}-explanation" for c in citing
                              if (proj / "build" / "drafts" / f"{c}-explanation.pdf").is_file()])
    edited = Figure(f"build — title of reference {ref_id} edited",
                    target=f"only the {len(citing)} citing documents (drafts and their 编制说明)")
    counts = []
    if title in original:
        for i in range(max(1, runs - 2)):
            refs.write_text(original.replace(title, title[:-1] + f"（{i}）}}"), encoding="utf-8")
            before = _pdf_inodes(proj)
            floored(edited, proj, lambda: run(cmd, proj, env, quiet=False))
            counts.append(sorted(k for k, v in _pdf_inodes(proj).items() if before.get(k) != v))
        refs.write_text(original, encoding="utf-8")
        run(cmd, proj, env, quiet=False)
        rerendered = counts[-1]
        edited.note = (f"drafts re-rendered: {len(rerendered)} of {n_drafts} "
                       f"({'exactly the citing ones' if rerendered == citing else 'citing: ' + ', '.join(citing)})")
        if rerendered != citing:
            edited.samples[-1].rc = 1
    return [added] + ([edited] if edited.samples else [])


def bench_build_synthetic(work: Path, sizes: list[int], runs: int) -> list[Figure]:
    """Cold build and no-op of synthetic projects (small N: a full build lays out one PDF per standard)."""
    from gen_corpus import generate

    figs = []
    env = {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000"), "NO_MKDOCS_2_WARNING": "1"}
    cmd = STDKIT + ["build", "--quiet"]
    for n in sizes:
        out = work / f"build-corpus-{n}"
        if not (out / "standards").is_dir():
            generate(n, out)
        cold = Figure(f"build — cold, synthetic N = {n}")
        for i in range(max(1, runs - 3)):
            shutil.rmtree(out / "build", ignore_errors=True)
            log(f"build: synthetic N={n} cold {i + 1}")
            floored(cold, out, lambda: run(cmd, out, env, quiet=False))
        noop = Figure(f"build — no-op, synthetic N = {n}", target="< 1 s", limit=1.0)
        for _ in range(runs):
            floored(noop, out, lambda: run(cmd, out, env, quiet=False))
        figs += [cold, noop]
    return figs


def _edit_synthetic(new: Path) -> str:
    """Edits on a copy of a synthetic project: clauses, targets, removed measures, an added indicator."""
    import yaml

    drafts = sorted((new / "standards" / "drafts").glob("*.yaml"))[:20]
    for d in drafts:
        edit_one_clause(d, toggle=True)
    changed = 0
    for f in sorted((new / "standards" / "measures").glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        touched = False
        for m in data["measures"]:
            for t in m.get("targets", []):
                if changed < 10 and isinstance(t.get("value"), (int, float)) and not t.get("value_max"):
                    t["value"] = round(t["value"] * 1.1, 2)
                    changed += 1
                    touched = True
        if touched:
            f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        if changed >= 10:
            break
    ind_files = sorted((new / "standards" / "indicators").glob("*.yaml"))
    mfile = sorted((new / "standards" / "measures").glob("*.yaml"))[-1]
    mdata = yaml.safe_load(mfile.read_text(encoding="utf-8"))
    removed = [m["id"] for m in mdata["measures"][:5]]
    mdata["measures"] = mdata["measures"][5:]
    mfile.write_text(yaml.safe_dump(mdata, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    first = ind_files[0]
    idata = yaml.safe_load(first.read_text(encoding="utf-8"))
    base = dict(idata["indicators"][0])
    base.update(id="ind-benchmark-added", name="基准测试新增指标", targets=[])
    idata["indicators"].append(base)
    first.write_text(yaml.safe_dump(idata, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return (f"{len(drafts)} clauses edited, {changed} targets changed, {len(removed)} measures removed, "
            "1 indicator added")


def bench_diff(work: Path, runs: int, n: int = 1000) -> tuple[list[Figure], str]:
    from gen_corpus import generate

    import importlib.util

    if importlib.util.find_spec("toolkit.diff") is None:
        return [], "`toolkit.diff` is not present in this checkout: diff not measured."
    old = work / f"corpus-{n}"
    if not (old / "standards").is_dir():
        log(f"generating N={n}")
        generate(n, old)
    new = work / f"corpus-{n}-edited"
    if new.exists():
        shutil.rmtree(new)
    shutil.copytree(old, new, symlinks=True)
    what = _edit_synthetic(new)
    f = Figure(f"diff — two N = {n} projects ({what})", target="< 1 GiB", mem_limit=1024.0)
    k = max(2, runs - 2)
    for i in range(k):
        log(f"diff: run {i + 1}/{k}")
        out = work / "diff-out"
        shutil.rmtree(out, ignore_errors=True)
        floored(f, [old, new], lambda: run(STDKIT + ["diff", str(old), str(new), "--root", str(new), "--out",
                                                     str(out)], new, quiet=False))
    return [f], ""


_DOCX_SCRIPT = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from toolkit.corpus import load_corpus
from toolkit.document import build_document
from toolkit.render.docx_writer import write_docx
root, out, what = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
corpus, _ = load_corpus(root)
docs = [build_document(corpus, sid) for sid in sorted(corpus.drafts)]
t1 = time.perf_counter()
if what == "docx":
    for d in docs:
        write_docx(d, out / f"{d.standard_id}.docx")
elif what == "html":
    from toolkit.render.html_writer import render_html
    for d in docs:
        (out / f"{d.standard_id}.html").write_text(render_html(d), encoding="utf-8")
elif what == "site":
    from toolkit.render.site import build_site
    build_site(root, out / "site", corpus=corpus, downloads_from=root / "build")
t2 = time.perf_counter()
print(json.dumps({"setup": t1 - t0, "write": t2 - t1, "drafts": len(docs)}))
"""


def _inproc(proj: Path, out: Path, what: str) -> tuple[Sample, float]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    s = run([PY, "-P", "-c", _DOCX_SCRIPT, str(proj), str(out), what], proj,
            {"SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}, quiet=False)
    last = [l for l in s.tail.splitlines() if l.startswith("{")]
    return s, (json.loads(last[-1])["write"] if last else float("nan"))


def _strictdoc() -> Path | None:
    exe = STRICTDOC_VENV / "bin" / "strictdoc"
    if exe.exists():
        return exe
    log(f"creating {STRICTDOC_VENV} and installing strictdoc (once)")
    subprocess.run([sys.executable, "-m", "venv", str(STRICTDOC_VENV)], check=True)
    r = subprocess.run([str(STRICTDOC_VENV / "bin" / "pip"), "install", "-q", "strictdoc"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return exe if r.returncode == 0 and exe.exists() else None


def bench_peers(work: Path, runs: int) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """Rows ``(content, stdkit, peer, ratio)`` and notes."""
    from export import document_markdown, document_sdoc

    from toolkit.corpus import load_corpus
    from toolkit.document import build_document

    proj = work / "build-real"
    if not (proj / "build").is_dir():
        copy_project(proj)
        run(STDKIT + ["build", "--quiet"], proj, quiet=False)
    corpus, _ = load_corpus(proj)
    md_dir, sdoc_dir = work / "peer-md", work / "peer-sdoc"
    for d in (md_dir, sdoc_dir):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
    sids = sorted(corpus.drafts)
    for sid in sids:
        doc = build_document(corpus, sid)
        (md_dir / f"{sid}.md").write_text(document_markdown(doc), encoding="utf-8")
        (sdoc_dir / f"{sid}.sdoc").write_text(document_sdoc(doc), encoding="utf-8")
    rows, notes = [], []
    n = len(sids)

    # DOCX: stdkit's writer (in-process time and whole process) vs pandoc (one process per draft)
    log("peers: DOCX")
    ours = [_inproc(proj, work / "peer-docx-stdkit", "docx") for _ in range(runs)]
    w = statistics.median(t for _, t in ours)
    p = statistics.median(s.seconds for s, _ in ours)
    pandoc = shutil.which("pandoc")
    if pandoc:
        totals = []
        for _ in range(runs):
            t = 0.0
            for sid in sids:
                s = run([pandoc, "-f", "markdown", "-t", "docx", "-o", str(work / "peer-md" / f"{sid}.docx"),
                         str(md_dir / f"{sid}.md")], work, quiet=False)
                t += s.seconds
            totals.append(t)
        pt = statistics.median(totals)
        ver = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        rows.append((f"DOCX of {n} drafts — writer only", f"{w:.2f} s", f"{pt:.2f} s ({ver}, {n} processes)",
                     f"pandoc/stdkit = {pt / w:.1f}×"))
        rows.append((f"DOCX of {n} drafts — whole process (start-up, load, check-free)", f"{p:.2f} s",
                     f"{pt:.2f} s", f"pandoc/stdkit = {pt / p:.2f}×"))
    else:
        notes.append("pandoc not installed (apt package `pandoc`): DOCX comparison skipped.")

    # HTML: the draft writer and the site vs StrictDoc
    log("peers: HTML")
    html = [_inproc(proj, work / "peer-html-stdkit", "html") for _ in range(runs)]
    hw = statistics.median(t for _, t in html)
    hp = statistics.median(s.seconds for s, _ in html)
    site = [_inproc(proj, work / "peer-site-stdkit", "site") for _ in range(max(2, runs - 2))]
    sw = statistics.median(t for _, t in site)
    sp = statistics.median(s.seconds for s, _ in site)
    exe = _strictdoc()
    if exe:
        sd = []
        for _ in range(max(2, runs - 2)):
            shutil.rmtree(work / "peer-sdoc-out", ignore_errors=True)
            sd.append(run([str(exe), "export", "--formats", "html", "--output-dir", str(work / "peer-sdoc-out"),
                           str(sdoc_dir)], work, quiet=False))
        st = statistics.median(s.seconds for s in sd)
        ver = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.strip()
        rows.append((f"HTML of {n} drafts — stdkit draft HTML writer (in process)", f"{hw:.2f} s",
                     f"{st:.2f} s (strictdoc {ver}, whole process)", f"StrictDoc/stdkit = {st / hw:.0f}×"))
        rows.append((f"HTML — stdkit whole process (load + {n} drafts)", f"{hp:.2f} s", f"{st:.2f} s",
                     f"StrictDoc/stdkit = {st / hp:.1f}×"))
        rows.append(("Site — stdkit MkDocs site from scratch (every standard, indicator, cell, domain page; "
                     "whole process)", f"{sp:.2f} s (MkDocs {sw:.2f} s)", f"{st:.2f} s (the drafts only)",
                     f"StrictDoc/stdkit = {st / sp:.2f}×"))
        if not all(s.rc == 0 for s in sd):
            notes.append("strictdoc exited non-zero: " + sd[-1].tail[-300:])
    else:
        notes.append("strictdoc could not be installed: HTML comparison skipped.")
    return rows, notes


# ---------------------------------------------------------------------- report
def table(figs: list[Figure]) -> str:
    lines = ["| Measure | Median | Runs (min–max) | Peak RSS | Parse floor, same runs (median) · median ÷ floor "
             "| Target | Met |", "|---|---:|---|---:|---|---|---|"]
    for f in figs:
        secs = sorted(s.seconds for s in f.samples)
        note = f" — {f.note}" if f.note else ""
        lines.append(f"| {f.name}{note} | {f.median:.2f} s | {len(secs)} ({secs[0]:.2f}–{secs[-1]:.2f}) | "
                     f"{f.peak:.0f} MiB | {f.floor_text()} | {f.target} | {f.met()} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="stdkit benchmarks (issue 7)")
    ap.add_argument("--runs", type=int, default=5, help="runs per measure (fewer for the slow ones); default 5")
    ap.add_argument("--sizes", default="10,100,1000", help="synthetic corpus sizes for check")
    ap.add_argument("--build-sizes", default="10", help="synthetic corpus sizes also built (cold and no-op); '' for none")
    ap.add_argument("--only", default="check,build,diff,peers,evaluate", help="sections to run")
    ap.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a new temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument("--out", type=Path, default=None, help="also write the report to this Markdown file")
    a = ap.parse_args(argv)
    only = {s.strip() for s in a.only.split(",")}
    work = a.workdir or Path(tempfile.mkdtemp(prefix="stdkit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    t0 = time.time()
    load_before = loadavg()
    figs: list[Figure] = []
    notes: list[str] = []
    # as after an installation (pip compiles what it installs; an editable install does not), so
    # that no figure includes compiling stdkit's own modules — PYTHONDONTWRITEBYTECODE=1 would
    # otherwise make every run compile the changed ones again
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "toolkit")], check=False)
    notes.append("`toolkit/` byte-compiled first (`python -m compileall`), as an installation would.")
    peers: list[tuple[str, str, str, str]] = []
    try:
        if "check" in only:
            f, fit = bench_check(work, [int(x) for x in a.sizes.split(",") if x], a.runs)
            figs += f
            notes += [fit] if fit else []
        if "build" in only:
            figs += bench_build(work, a.runs)
            figs += bench_build_synthetic(work, [int(x) for x in a.build_sizes.split(",") if x], a.runs)
        if "diff" in only:
            f, note = bench_diff(work, a.runs)
            figs += f
            notes += [note] if note else []
        if "peers" in only:
            peers, n = bench_peers(work, a.runs)
            notes += n
        if "evaluate" in only:  # benchmarks/evaluate.py (stdkit evaluate, issue 14)
            from evaluate import bench_evaluate

            figs += bench_evaluate(work / "evaluate", a.runs)
    finally:
        if not a.keep and a.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    import platform

    head = (f"stdkit benchmarks — {time.strftime('%Y-%m-%d %H:%M', time.localtime(t0))}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average before/after "
            f"{load_before} → {loadavg()}, {time.time() - t0:.0f} s in all.\n"
            f"Command: `{' '.join([Path(sys.executable).name, 'benchmarks/run.py', *(argv or sys.argv[1:])])}`")
    report = [head, "", table(figs)]
    if peers:
        report += ["", "| Same content | stdkit | Peer | Ratio |", "|---|---:|---:|---|"]
        report += [f"| {a_} | {b_} | {c_} | {d_} |" for a_, b_, c_, d_ in peers]
    if notes:
        report += [""] + [f"- {n}" for n in notes]
    text = "\n".join(report) + "\n"
    print(text)
    if a.out:
        a.out.write_text(text, encoding="utf-8")
    return 0 if all(f.ok for f in figs) else 1


if __name__ == "__main__":
    sys.exit(main())
