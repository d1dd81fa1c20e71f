"""Build stage: what to (re)build, cached by content hash, written atomically into ``build/``.

Pipeline of one ``stdkit build`` (:func:`incremental_build`):

1. **Plan.**  Every registered step (:data:`STEPS`) is split into *jobs*
   (:class:`Job`): the ``drafts`` step into one job per draft, the others into one
   job each.  A job's digest is a SHA-256 of everything it reads: the corpus
   records it uses (a draft job hashes its numbered :class:`~toolkit.document.Document`
   — which already holds the indicators, references, cells and labels it shows — plus
   its draft and catalogue records), the toolkit code, ``templates/``, library
   versions, ``SOURCE_DATE_EPOCH`` and options such as ``--review``; a job also
   hashes the digests of the jobs of the steps it reads outputs from (:data:`STEP_AFTER`;
   the site offers the drafts' and tables' files as downloads).
2. **Compare** with the manifest of the previous build (``build/.stdkit-manifest.json``:
   job → digest and output files).  When every job matches and its outputs exist,
   nothing at all is written: no staging folder, no manifest, no file touched.
3. **Stage.**  Otherwise a staging folder beside ``build/`` (``.build-staging-<pid>``)
   receives hard links to every file of ``build/`` *except* the outputs of the jobs
   that will run (and of jobs that no longer exist).  Jobs therefore always create
   new files: nothing is ever written through a hard link into the previous build.
4. **Run** the changed jobs, independent ones in a process pool sized to the machine
   (``os.cpu_count()``; ``STDKIT_JOBS`` overrides), a step's jobs only after the steps
   it depends on; the outputs do not depend on the order.
5. **Swap.**  The manifest is written into the staging folder, which then replaces
   ``build/`` in two renames.  A failed or interrupted build leaves ``build/`` intact;
   a lock file (``.stdkit-build.lock``, ``fcntl.flock``) keeps two builds apart.

Steps are registered by renderer modules with :func:`register_step` (``fn(ctx) ->
list[Path]``, writing under ``ctx.out``); :func:`run_steps` still runs steps whole
(no cache), for tests and tools that want a plain build into a folder.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from toolkit.corpus import Corpus

MANIFEST_NAME = ".stdkit-manifest.json"
MANIFEST_VERSION = 1
PRESERVE_WITHOUT_MANIFEST = ("diff",)
"""Top-level folders of ``build/`` written by other commands (``stdkit diff``), kept when no manifest exists."""


class BuildError(Exception):
    """A build could not run (lock held, check errors, a step failed). Message is user-facing."""


@dataclass
class BuildContext:
    """What a build step gets: the corpus, the staging folder to write into, options."""

    corpus: Corpus
    out: Path
    root: Path
    review: bool = False
    quiet: bool = False
    previous: Path | None = None
    written: list[Path] = field(default_factory=list)


Step = Callable[[BuildContext], list[Path]]


def _step_data(ctx: BuildContext) -> list[Path]:
    from toolkit.render.data import write_corpus_json

    return write_corpus_json(ctx.corpus, ctx.out)


STEPS: list[tuple[str, Step]] = [("data", _step_data)]
"""Ordered build steps; renderer modules append theirs via :func:`register_step`."""

STEP_AFTER: dict[str, tuple[str, ...]] = {"data": (), "tables": (), "drafts": (), "site": ("tables", "drafts")}
"""Steps whose *outputs* a step reads (it runs after them and its digest covers theirs).
A step missing here is taken to read the outputs of every step registered before it."""


def register_step(name: str, fn: Step) -> None:
    """Add (or replace) a build step by name, keeping order of first registration."""
    for i, (n, _) in enumerate(STEPS):
        if n == name:
            STEPS[i] = (name, fn)
            return
    STEPS.append((name, fn))


STEP_MODULES: tuple[tuple[str, str], ...] = (("tables", "toolkit.render.tables"), ("drafts", "toolkit.render.drafts"),
                                             ("site", "toolkit.render.site"))
"""Renderer modules that register a build step, in build order (step name, module)."""


def _load_steps() -> None:
    """Import renderer modules that register build steps (kept here so the order is one list)."""
    import importlib

    for _, mod in STEP_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:  # a renderer not present in this checkout
            if exc.name != mod:
                raise


class _LazyStep:
    """A step whose renderer module is imported only when the step runs (planning needs no renderer)."""

    def __init__(self, name: str, module: str):
        self.name, self.module = name, module

    def __call__(self, ctx: BuildContext) -> list[Path]:
        import importlib

        importlib.import_module(self.module)
        for n, fn in STEPS:
            if n == self.name and not isinstance(fn, _LazyStep):
                return fn(ctx)
        raise BuildError(f"{self.module} did not register the build step {self.name!r}")


def declared_steps() -> list[tuple[str, Step]]:
    """Every build step in order, without importing renderer modules not yet loaded.

    Steps already registered come first, in registration order; then each entry of
    :data:`STEP_MODULES` present in this checkout, loaded lazily when it runs (so that
    a no-op build does not pay for importing pandas, WeasyPrint or MkDocs).
    """
    import importlib.util

    out = list(STEPS)
    names = {n for n, _ in out}
    for name, mod in STEP_MODULES:
        if name not in names and importlib.util.find_spec(mod) is not None:
            out.append((name, _LazyStep(name, mod)))
    return out


def step_after(name: str, steps: list[tuple[str, Step]]) -> tuple[str, ...]:
    """Names of the steps ``name`` reads outputs from (see :data:`STEP_AFTER`), among ``steps``."""
    names = [n for n, _ in steps]
    if name in STEP_AFTER:
        return tuple(n for n in STEP_AFTER[name] if n in names)
    return tuple(names[: names.index(name)]) if name in names else ()


# ---------------------------------------------------------------------- lock, staging, swap
@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Exclusive lock for the build folder; raises BuildError if another build holds it."""
    lock_path = root / ".stdkit-build.lock"
    fh = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another stdkit build is running (lock {lock_path}); wait for it to finish") from None
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with renames (old tree removed only after the swap)."""
    old = target.parent / f".build-old-{os.getpid()}"
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def clean_stale(root: Path) -> None:
    """Remove staging/old folders left by interrupted builds (only called under the lock)."""
    for p in root.glob(".build-staging-*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in root.glob(".build-old-*"):
        shutil.rmtree(p, ignore_errors=True)


def make_staging(target: Path, staging: Path, drop: set[str], mode: str = "link") -> int:
    """Fill the new folder ``staging`` from the files of ``target``; returns the number of files placed.

    ``mode="link"``: hard links to every file except those in ``drop`` (POSIX paths
    relative to ``target``: outputs of the jobs about to run, so that they are written
    as new files, never through a link into ``target``).  ``mode="copy"``: private
    copies of every file (no manifest says which job owns what).  ``mode="fresh"``:
    only the top-level folders of :data:`PRESERVE_WITHOUT_MANIFEST`, linked.
    The manifest itself is never carried over.
    """
    staging.mkdir()
    if not target.is_dir():
        return 0
    n = 0
    for dirpath, dirnames, filenames in os.walk(target):
        rel_dir = os.path.relpath(dirpath, target)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
        if mode == "fresh" and rel_dir == "":
            dirnames[:] = [d for d in dirnames if d in PRESERVE_WITHOUT_MANIFEST]
            filenames = []
        dirnames.sort()
        dest_dir = staging / rel_dir if rel_dir else staging
        dest_dir.mkdir(exist_ok=True)
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if rel in drop or rel == MANIFEST_NAME:
                continue
            if mode == "copy":
                shutil.copy2(os.path.join(dirpath, name), dest_dir / name)
            else:
                os.link(os.path.join(dirpath, name), dest_dir / name)
            n += 1
    return n


# ---------------------------------------------------------------------- digests
def _sha(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def files_digest(bases: Iterable[Path]) -> str:
    """Digest of every file under the given folders or files (paths and bytes; hidden files and caches skipped)."""
    h = hashlib.sha256()
    seen: set[Path] = set()
    for base in bases:
        base = Path(base)
        if not base.exists():
            h.update(f"missing:{base.name}\n".encode())
            continue
        real = base.resolve()
        if real in seen:
            continue
        seen.add(real)
        paths = [real] if real.is_file() else sorted(
            p for p in real.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not any(s.startswith(".") for s in p.relative_to(real).parts))
        for p in paths:
            rel = p.name if p == real else p.relative_to(real).as_posix()
            h.update(f"{base.name}/{rel}\n".encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


_LIBS = ("pydantic", "jinja2", "python-docx", "weasyprint", "pydyf", "tinycss2", "fonttools", "pandas", "openpyxl",
         "mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jieba", "pyyaml", "ruamel.yaml")


def env_digest(root: Path) -> str:
    """Digest of what every output depends on besides the corpus.

    Covers the stdkit version and the source of every ``toolkit`` module (step code),
    ``templates/`` (the package's and the project's), the versions of the libraries
    the writers use, the Python version and ``SOURCE_DATE_EPOCH``.
    """
    from importlib import metadata

    import toolkit

    pkg = Path(toolkit.__file__).resolve().parent
    versions = []
    for lib in _LIBS:
        try:
            versions.append(f"{lib}={metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{lib}=-")
    return _sha("stdkit", toolkit.__version__, sys.version, os.environ.get("SOURCE_DATE_EPOCH", ""),
                ";".join(versions), files_digest([pkg]), files_digest([pkg.parent / "templates", Path(root) / "templates"]))


class CorpusDigests:
    """Digests of corpus records (JSON dump of each validated model), computed once and cached.

    ``kind(name)`` covers one record kind in corpus order (order can matter to writers),
    ``all(exclude)`` every kind but those excluded; ``draft(id)`` one draft.
    """

    KINDS = ("levels", "plan_types", "cells", "domains", "scales", "goals", "units", "references",
             "measures", "indicators", "standards", "drafts")

    def __init__(self, corpus: Corpus):
        self.c = corpus
        self._kinds: dict[str, str] = {}
        self._records: dict[tuple[str, str], str] = {}

    def record(self, kind: str, id_: str) -> str:
        key = (kind, id_)
        if key not in self._records:
            obj = getattr(self.c, kind).get(id_)
            self._records[key] = _sha(obj.model_dump_json()) if obj is not None else "absent"
        return self._records[key]

    def kind(self, kind: str) -> str:
        if kind not in self._kinds:
            self._kinds[kind] = _sha(kind, *(f"{i}:{self.record(kind, i)}" for i in getattr(self.c, kind)))
        return self._kinds[kind]

    def all(self, exclude: tuple[str, ...] = ()) -> str:
        return _sha(*(f"{k}:{self.kind(k)}" for k in self.KINDS if k not in exclude))

    def draft(self, id_: str) -> str:
        return self.record("drafts", id_)


# ---------------------------------------------------------------------- jobs
@dataclass(frozen=True)
class Job:
    """One unit of output.

    ``key`` is unique in the build (``drafts/<standard-id>``, or the step name for a
    step run whole); ``digest`` hashes the job's own inputs; ``fn(ctx, *args)`` writes
    the outputs under ``ctx.out`` and returns their paths (files, or folders whose
    files all belong to the job).
    """

    step: str
    key: str
    digest: str
    fn: Callable[..., list[Path]]
    args: tuple = ()


@dataclass
class Inputs:
    """What planners hash: the corpus digests, the environment digest and the options."""

    ctx: BuildContext
    corpus: CorpusDigests
    env: str


Planner = Callable[[Inputs, Step], list[Job]]


def _run_whole(ctx: BuildContext, name: str) -> list[Path]:
    for n, fn in STEPS:
        if n == name:
            return fn(ctx)
    raise BuildError(f"step {name} is not registered")


def _whole(name: str, digest: str) -> list[Job]:
    return [Job(name, name, digest, _run_whole, (name,))]


def _plan_data(inp: Inputs, fn: Step) -> list[Job]:
    return _whole("data", _sha("data", inp.env, inp.corpus.all()))


def _draft_projection(c: Corpus) -> str:
    """What the tables can see of drafts through corpus helpers: used indicators and clause targets."""
    from toolkit.corpus import draft_indicator_ids, iter_clauses

    parts = []
    for sid, d in c.drafts.items():
        targets = [t.model_dump_json() for cl, _ in iter_clauses(d.clauses) for t in cl.targets]
        for a in d.annexes:
            targets += [t.model_dump_json() for cl, _ in iter_clauses(a.clauses) for t in cl.targets]
        parts.append(_sha(sid, ",".join(sorted(draft_indicator_ids(d))), *targets))
    return _sha(*parts)


def _plan_tables(inp: Inputs, fn: Step) -> list[Job]:
    c = inp.ctx.corpus
    return _whole("tables", _sha("tables", inp.env, inp.corpus.all(exclude=("drafts",)), _draft_projection(c)))


def render_draft(corpus: Corpus, standard_id: str, out: Path, review: bool = False) -> list[Path]:
    """Write one draft as ``out/drafts/<id>.{html,pdf,docx}`` (and ``out/drafts/review/…`` with ``review``).

    Calls the writers exactly as the ``drafts`` step (:mod:`toolkit.render.drafts`)
    does: HTML, then its PDF (whose page numbers the DOCX's 目次 caches), then DOCX.
    Returns the paths written.  Raises ``KeyError`` if the draft has no catalogue record.
    """
    from toolkit.document import build_document
    from toolkit.render import drafts as D
    from toolkit.render.docx_writer import write_docx
    from toolkit.render.html_writer import render_html
    from toolkit.render.pdf import write_pdf

    doc = build_document(corpus, standard_id)
    written: list[Path] = []
    for rv in ([False, True] if review else [False]):
        folder = out / D.DRAFTS_DIR / D.REVIEW_DIR if rv else out / D.DRAFTS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        stem = folder / standard_id
        html = render_html(doc, review=rv)
        stem.with_suffix(".html").write_text(html, encoding="utf-8")
        labels = write_pdf(html, stem.with_suffix(".pdf"))
        write_docx(doc, stem.with_suffix(".docx"), review=rv, page_labels=labels)
        written += [stem.with_suffix(s) for s in (".docx", ".pdf", ".html")]
    return written


def _draft_job(ctx: BuildContext, standard_id: str) -> list[Path]:
    from toolkit.render import drafts as D

    per_draft = getattr(D, "render_draft", None)  # the drafts module's own entry point, when it has one
    if callable(per_draft):
        return list(per_draft(ctx.corpus, standard_id, ctx.out, ctx.review))
    return render_draft(ctx.corpus, standard_id, ctx.out, ctx.review)


def _plan_drafts(inp: Inputs, fn: Step) -> list[Job]:
    from toolkit.document import build_document

    c = inp.ctx.corpus
    jobs = []
    for sid in sorted(c.drafts):
        try:
            doc = repr(build_document(c, sid))
        except KeyError:  # no catalogue record: check reports it; let the job raise the same way
            doc = "no-document"
        digest = _sha("drafts", inp.env, "review" if inp.ctx.review else "", doc,
                      inp.corpus.draft(sid), inp.corpus.record("standards", sid))
        jobs.append(Job("drafts", f"drafts/{sid}", digest, _draft_job, (sid,)))
    return jobs


def _site_inputs(root: Path) -> str:
    cfg = root / "mkdocs.yml"
    docs_dir = "docs"
    if cfg.is_file():
        mt = re.search(r"^docs_dir:\s*['\"]?([^'\"\s#]+)", cfg.read_text(encoding="utf-8"), re.M)
        if mt:
            docs_dir = mt.group(1)
    return files_digest([cfg, root / docs_dir])


SITE_CACHE = ".stdkit-cache/site-pages.json"
"""Page keys and search entries of the last site build (see :mod:`toolkit.sitecache`), under ``build/``."""


def _site_job(ctx: BuildContext, salt: str) -> list[Path]:
    """The ``site`` step with the page cache: pages whose inputs did not change are copied from the previous build."""
    from toolkit import sitecache

    prev_site = ctx.previous / "site" if ctx.previous is not None else None
    prev_store = ctx.previous / SITE_CACHE if ctx.previous is not None else None
    with sitecache.page_cache(salt, prev_site, prev_store) as stats:
        written = _run_whole(ctx, "site")
    return list(written) + [sitecache.write_store(ctx.out / SITE_CACHE, salt, stats.pages)]


def _plan_site(inp: Inputs, fn: Step) -> list[Job]:
    salt = _sha("site", inp.env, _site_inputs(inp.ctx.root))
    return [Job("site", "site", _sha(salt, inp.corpus.all()), _site_job, (salt,))]


PLANNERS: dict[str, Planner] = {"data": _plan_data, "tables": _plan_tables, "drafts": _plan_drafts,
                                "site": _plan_site}
"""How each known step is split into jobs and what it hashes; other steps run whole, hashing everything."""


def plan_step(name: str, fn: Step, inp: Inputs) -> list[Job]:
    """The jobs of one step (see :data:`PLANNERS`)."""
    planner = PLANNERS.get(name)
    if planner is not None:
        return planner(inp, fn)
    return _whole(name, _sha(name, inp.env, inp.corpus.all(), "review" if inp.ctx.review else "",
                             _site_inputs(inp.ctx.root)))


# ---------------------------------------------------------------------- manifest and plan
def read_manifest(build_dir: Path) -> dict | None:
    """The manifest of a previous build (``{"version", "jobs": {key: {"step", "digest", "outputs"}}}``), or None."""
    try:
        data = json.loads((build_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION or not isinstance(data.get("jobs"), dict):
        return None
    return data


@dataclass
class BuildPlan:
    """Jobs of the selected steps with their effective digests, and what must run.

    ``digests`` maps job key → effective digest (own inputs + upstream jobs);
    ``todo`` are the jobs to run, in step order; ``removed`` the manifest keys of
    selected steps that no longer exist; ``manifest`` the previous manifest (or None).
    """

    jobs: list[Job]
    digests: dict[str, str]
    todo: list[Job]
    removed: list[str]
    manifest: dict | None
    steps: list[tuple[str, Step]]
    after: dict[str, tuple[str, ...]]

    @property
    def up_to_date(self) -> bool:
        return self.manifest is not None and not self.todo and not self.removed


def make_plan(ctx: BuildContext, steps: list[tuple[str, Step]], selected: set[str] | None = None,
              target: Path | None = None) -> BuildPlan:
    """Plan a build of ``steps`` (those in ``selected``, default all) against the build folder ``target``.

    A job runs when it is new, its effective digest differs from the manifest's, or
    one of its recorded outputs is missing from ``target``.
    """
    target = target if target is not None else ctx.root / "build"
    selected = {n for n, _ in steps} if selected is None else selected
    manifest = read_manifest(target)
    old = manifest["jobs"] if manifest else {}
    inp = Inputs(ctx, CorpusDigests(ctx.corpus), env_digest(ctx.root))
    after = {n: step_after(n, steps) for n, _ in steps}
    jobs: list[Job] = []
    digests: dict[str, str] = {}
    step_digest: dict[str, str] = {}
    for name, fn in steps:
        up = "".join(step_digest.get(a, "") for a in after[name])
        if name in selected:
            js = plan_step(name, fn, inp)
            for j in js:
                digests[j.key] = _sha(j.digest, up)
            jobs += js
            state = {j.key: digests[j.key] for j in js}
        else:  # not run now: build/ holds what the manifest says
            state = {k: str(v.get("digest")) for k, v in old.items() if v.get("step") == name}
        step_digest[name] = _sha(name, *(f"{k}={v}" for k, v in sorted(state.items())))
    todo = []
    for j in jobs:
        rec = old.get(j.key)
        if (rec is None or rec.get("digest") != digests[j.key]
                or not all((target / o).is_file() for o in rec.get("outputs", []))):
            todo.append(j)
    removed = sorted(k for k, v in old.items() if v.get("step") in selected and k not in digests)
    return BuildPlan(jobs, digests, todo, removed, manifest, steps, after)


# ---------------------------------------------------------------------- running jobs
_WORKER: dict = {}
"""State inherited by forked pool workers: the context and the jobs by key."""


def _worker_run(key: str) -> tuple[str, list[str], float]:
    ctx: BuildContext = _WORKER["ctx"]
    job: Job = _WORKER["jobs"][key]
    t0 = time.perf_counter()
    paths = job.fn(ctx, *job.args)
    return key, [str(p) for p in paths], time.perf_counter() - t0


def worker_count(n_jobs: int) -> int:
    """Processes for ``n_jobs`` jobs: ``STDKIT_JOBS`` if set, else ``os.cpu_count()``, at most ``n_jobs``."""
    env = os.environ.get("STDKIT_JOBS", "")
    n = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return max(1, min(n, n_jobs))


def _preimport(todo: list[Job]) -> None:
    """Import the heavy writer libraries once, before forking, so workers share them."""
    steps = {j.step for j in todo}
    mods = [m for n, m in STEP_MODULES if n in steps]
    if "drafts" in steps:
        mods += ["weasyprint", "docx", "toolkit.render.pdf", "toolkit.render.docx_writer", "toolkit.render.html_writer"]
    if "tables" in steps:
        mods += ["openpyxl", "pandas"]
    if "site" in steps:
        mods += ["mkdocs.commands.build", "material", "jieba"]
    import importlib
    import logging

    for m in mods:
        try:
            importlib.import_module(m)
        except ImportError:
            pass
    if "jieba" in sys.modules:  # its dictionary-loading chatter is not an error; keep stderr for errors
        sys.modules["jieba"].setLogLevel(logging.WARNING)


def _outputs_of(paths: Iterable[str | Path], out: Path) -> list[str]:
    """Relative POSIX paths of the files returned by a job (folders expanded)."""
    files: set[str] = set()
    for p in paths:
        p = Path(p)
        if not p.is_absolute():
            p = out / p
        if p.is_dir():
            files.update(q.relative_to(out).as_posix() for q in p.rglob("*") if q.is_file())
        elif p.is_file():
            files.add(p.relative_to(out).as_posix())
    return sorted(files)


Progress = Callable[[str, str, int], None]
"""Progress callback ``(event, step, n)``: ``("start", step, jobs to run)``, ``("advance", step, 1)``, ``("done", step, 0)``."""


def execute(plan: BuildPlan, ctx: BuildContext, progress: Progress | None = None,
            workers: int | None = None) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Run ``plan.todo`` writing under ``ctx.out``; returns ``(outputs by job key, seconds by step)``.

    Jobs of a step start once every step it depends on has finished; with more than
    one worker they run in a forked process pool.  The first exception raised by a
    job propagates (other jobs are cancelled); the caller discards the staging folder.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    progress = progress or (lambda *a: None)
    todo = plan.todo
    order = [n for n, _ in plan.steps]
    remaining: dict[str, list[Job]] = {n: [j for j in todo if j.step == n] for n in order}
    running_count: dict[str, int] = {n: 0 for n in order}
    done_steps = {n for n in order if not remaining[n]}
    started: set[str] = set()
    outputs: dict[str, list[str]] = {}
    seconds: dict[str, float] = {n: 0.0 for n in order if remaining[n]}
    n_workers = workers or worker_count(len(todo))

    def ready_steps() -> list[str]:
        return [n for n in order if n not in done_steps and n not in started
                and all(a in done_steps for a in plan.after[n])]

    def finish(job: Job, paths: list[str], secs: float) -> None:
        outputs[job.key] = _outputs_of(paths, ctx.out)
        for o in outputs[job.key]:
            if os.stat(ctx.out / o).st_nlink > 1:
                raise BuildError(f"job {job.key} wrote {o} through a hard link shared with the previous build; "
                                 "a writer must report every file it writes")
        seconds[job.step] += secs
        running_count[job.step] -= 1
        progress("advance", job.step, 1)
        if running_count[job.step] == 0 and not remaining[job.step]:
            done_steps.add(job.step)
            progress("done", job.step, 0)

    _preimport(todo)
    if n_workers <= 1:
        while len(done_steps) < len(order):
            for n in ready_steps():
                started.add(n)
                progress("start", n, len(remaining[n]))
                while remaining[n]:
                    job = remaining[n].pop(0)
                    running_count[n] += 1
                    t0 = time.perf_counter()
                    paths = job.fn(ctx, *job.args)
                    finish(job, [str(p) for p in paths], time.perf_counter() - t0)
        return outputs, seconds

    import multiprocessing

    _WORKER.update(ctx=ctx, jobs={j.key: j for j in todo})
    by_key = {j.key: j for j in todo}
    pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context("fork"))
    pool.submit(os.getpid).result()  # fork every worker now, before a progress display starts a thread
    futures: dict = {}
    try:
        while len(done_steps) < len(order):
            for n in ready_steps():
                started.add(n)
                progress("start", n, len(remaining[n]))
                while remaining[n]:
                    job = remaining[n].pop(0)
                    running_count[n] += 1
                    futures[pool.submit(_worker_run, job.key)] = job.key
            if not futures:  # pragma: no cover - a dependency cycle cannot be declared
                raise BuildError("build steps wait on each other; check STEP_AFTER")
            finished, _ = wait(list(futures), return_when=FIRST_COMPLETED)
            for fut in finished:
                futures.pop(fut)
                key, paths, secs = fut.result()  # re-raises the job's exception
                finish(by_key[key], paths, secs)
    except BaseException:
        for fut in futures:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _WORKER.clear()
    pool.shutdown(wait=True)
    return outputs, seconds


def write_manifest(out: Path, plan: BuildPlan, outputs: dict[str, list[str]]) -> Path:
    """Write ``out/.stdkit-manifest.json``: the previous entries of steps not run, and every planned job."""
    old = plan.manifest["jobs"] if plan.manifest else {}
    selected = {j.step for j in plan.jobs}
    jobs = {k: v for k, v in old.items() if v.get("step") not in selected}
    for j in plan.jobs:
        outs = outputs[j.key] if j.key in outputs else old[j.key]["outputs"]
        jobs[j.key] = {"step": j.step, "digest": plan.digests[j.key], "outputs": outs}
    claimed: dict[str, str] = {}
    for k, v in sorted(jobs.items()):
        for o in v["outputs"]:
            if o in claimed:
                raise BuildError(f"jobs {claimed[o]} and {k} both write {o}")
            claimed[o] = k
    path = out / MANIFEST_NAME
    path.write_text(json.dumps({"version": MANIFEST_VERSION, "jobs": dict(sorted(jobs.items()))},
                               ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


@dataclass
class BuildResult:
    """Outcome of :func:`incremental_build`: ``up_to_date`` (nothing written), jobs run and kept,
    files written, seconds per step."""

    up_to_date: bool
    ran: list[str] = field(default_factory=list)
    kept: int = 0
    written: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def incremental_build(corpus: Corpus, root: Path, steps: list[tuple[str, Step]], *, review: bool = False,
                      quiet: bool = False, selected: set[str] | None = None,
                      progress: Callable[[BuildPlan], Progress | None] | None = None,
                      workers: int | None = None) -> BuildResult:
    """Build ``root/build`` from ``corpus``, or confirm it is up to date (see the module docstring).

    ``selected`` limits the steps run (``--only``); the others keep what ``build/``
    holds.  ``progress(plan)`` may return a :data:`Progress` callback once the work
    is known.  Raises :class:`BuildError` when the lock is held; a job's exception
    propagates after the staging folder is removed (``build/`` unchanged).
    """
    root = Path(root)
    target = root / "build"
    staging = root / f".build-staging-{os.getpid()}"
    ctx = BuildContext(corpus=corpus, out=staging, root=root, review=review, quiet=quiet,
                       previous=target if target.exists() else None)
    with build_lock(root):
        plan = make_plan(ctx, steps, selected, target)
        if plan.up_to_date:
            return BuildResult(True, kept=len(plan.jobs))
        clean_stale(root)
        old = plan.manifest["jobs"] if plan.manifest else {}
        drop = {o for j in plan.todo for o in old.get(j.key, {}).get("outputs", [])}
        drop |= {o for k in plan.removed for o in old[k].get("outputs", [])}
        if plan.manifest is not None:
            mode = "link"
        else:
            mode = "fresh" if {n for n, _ in steps} <= {j.step for j in plan.jobs} else "copy"
        make_staging(target, staging, drop, mode)
        try:
            cb = progress(plan) if progress else None
            outputs, seconds = execute(plan, ctx, cb, workers)
            write_manifest(staging, plan, outputs)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        swap_into_place(staging, target)
    written = [target / o for k in sorted(outputs) for o in outputs[k]]
    return BuildResult(False, ran=[j.key for j in plan.todo], kept=len(plan.jobs) - len(plan.todo),
                       written=written, seconds=seconds)


def run_steps(ctx: BuildContext, steps: list[tuple[str, Step]], progress=None) -> dict[str, float]:
    """Run steps whole, in order, into ``ctx.out`` (no cache, no staging); returns seconds per step."""
    timings: dict[str, float] = {}
    for name, fn in steps:
        t0 = time.perf_counter()
        if progress:
            progress(name, "start")
        ctx.written.extend(fn(ctx))
        timings[name] = time.perf_counter() - t0
        if progress:
            progress(name, "done")
    return timings
