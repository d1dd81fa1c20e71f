"""Build stage: what to (re)build, cached by content hash, written atomically into ``build/``.

Pipeline of one ``stdkit build`` (:func:`incremental_build`):

1. **Plan.**  Every step (:func:`declared_steps`) is split into *jobs* (:class:`Job`,
   see :data:`PLANNERS`): ``drafts`` into one job per draft; ``site`` into its pages
   and the copies of the files it offers for download; ``data`` and ``tables`` one job
   each.  A job's digest is a SHA-256 of everything it reads: the corpus records it
   uses (a draft job hashes its numbered :class:`~toolkit.document.Document` — which
   already holds the indicators, references, cells and labels it shows — plus its
   draft and catalogue records; the tables hash every record but drafts, and of drafts
   only the indicators and clause targets they use), the toolkit code, ``templates/``,
   library versions, ``SOURCE_DATE_EPOCH`` and ``--review``; a job also hashes the
   digests of the jobs whose outputs it reads (:data:`STEP_AFTER`, :attr:`Job.after`).
2. **Compare** with the manifest of the previous build (``build/.stdkit-manifest.json``:
   job → digest and output files).  When every job matches and its outputs exist,
   nothing at all is written: no staging folder, no manifest, no file touched.
3. **Stage.**  Otherwise a staging folder beside ``build/`` (``.build-staging-<pid>``)
   receives hard links to every file of ``build/`` *except* the outputs of the jobs
   that will run (and of jobs that no longer exist).  Jobs therefore create new files
   (new inodes): nothing is written through a hard link into the previous build, and a
   job that writes a file owned by another job fails the build (:class:`BuildError`).
4. **Run** the changed jobs: independent ones in a forked process pool sized to the
   machine (``os.cpu_count()``; ``STDKIT_JOBS`` overrides), longest first; a job waits
   for the steps it reads.  The site's pages need only the *names* of the drafts'
   and tables' files, so on an incremental build they are laid out alongside the
   drafts, on the names the previous build recorded (checked afterwards; wrong →
   laid out again), and :mod:`toolkit.sitecache` lays out again only the pages whose
   inputs changed.  Outputs do not depend on the order or the number of workers.
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

STEP_AFTER: dict[str, tuple[str, ...]] = {"data": (), "tables": (), "drafts": (), "reviews": (),
                                          "site": ("tables", "drafts", "reviews")}
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
                                             ("reviews", "toolkit.render.reviews"), ("site", "toolkit.render.site"))
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


def _remove_empty_dirs(top: Path) -> None:
    """Remove folders left empty under ``top`` (outputs that are no longer written), deepest first."""
    for dirpath, dirnames, filenames in os.walk(top, topdown=False):
        if dirpath != str(top) and not filenames and not os.listdir(dirpath):
            os.rmdir(dirpath)


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
             "measures", "indicators", "standards", "drafts", "reviews")

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

    ``after``: steps whose outputs this job reads — it runs after them and its
    effective digest covers theirs (``None``: the step's :func:`step_after`).
    ``paths_of``: steps of which the job reads only *which* files exist, not their
    bytes; it waits for them unless the previous build tells which files they will
    write, in which case it runs alongside them and gets ``{relative path: previous
    file}`` as its last argument (``None`` when it waited) — the prediction is checked
    afterwards and the job run again if it was wrong.  ``cost``: longer jobs start first.
    ``reuses_previous``: the job may hard-link unchanged files of the previous build
    (read-only) instead of writing them again.
    """

    step: str
    key: str
    digest: str
    fn: Callable[..., list[Path]]
    args: tuple = ()
    after: tuple[str, ...] | None = None
    paths_of: tuple[str, ...] = ()
    cost: int = 1
    reuses_previous: bool = False


@dataclass
class Inputs:
    """What planners hash: the corpus digests, the environment digest and the options."""

    ctx: BuildContext
    corpus: CorpusDigests
    env: str

    @property
    def review(self) -> str:
        return "review" if self.ctx.review else ""


Planner = Callable[[Inputs, Step], list[Job]]


def _whole(name: str, fn: Step, digest: str, cost: int = 1) -> list[Job]:
    return [Job(name, name, digest, fn, (), cost=cost)]


def _plan_data(inp: Inputs, fn: Step) -> list[Job]:
    return _whole("data", fn, _sha("data", inp.env, inp.corpus.all()))


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
    return _whole("tables", fn, _sha("tables", inp.env, inp.corpus.all(exclude=("drafts",)), _draft_projection(c)),
                  cost=2)


def render_draft(corpus: Corpus, standard_id: str, out: Path, review: bool = False) -> list[Path]:
    """Write one draft's files under ``out/drafts`` — :func:`toolkit.render.drafts.render_draft`
    (HTML, PDF, DOCX; review variants with ``review``); returns the paths written."""
    from toolkit.render import drafts

    return drafts.render_draft(corpus, standard_id, out, review)


def _draft_job(ctx: BuildContext, standard_id: str) -> list[Path]:
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
        digest = _sha("drafts", inp.env, inp.review, doc, inp.corpus.draft(sid), inp.corpus.record("standards", sid))
        jobs.append(Job("drafts", f"drafts/{sid}", digest, _draft_job, (sid,), cost=3))
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
JINJA_CACHE = ".stdkit-cache/jinja"
"""Compiled Jinja2 templates of the site build, under the project root (a pure cache, git-ignored)."""


def _quiet_jieba() -> None:
    """jieba logs its dictionary loading on stderr at import; that is not an error, so keep stderr for errors."""
    import logging

    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def _link_tree(files: dict[str, str], dest: Path) -> None:
    for rel, src in sorted(files.items()):
        p = dest / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        os.link(src, p)


def _site_pages_job(ctx: BuildContext, salt: str, predicted: dict[str, str] | None) -> list[Path]:
    """The site's pages: MkDocs (:func:`toolkit.render.site.build_site`) with the page cache of
    :mod:`toolkit.sitecache`, built in a scratch folder and moved under ``<out>/site`` *without*
    the download copies (job ``site/downloads`` owns those).

    ``predicted`` (relative path → file) stands in for the download files when the drafts
    and tables are still being written: the pages only show which downloads exist.
    """
    import tempfile

    from toolkit import sitecache
    from toolkit.render import site as S

    _quiet_jieba()
    scratch = Path(tempfile.mkdtemp(prefix=".site-", dir=ctx.out))
    stand_in: Path | None = None
    try:
        if predicted is not None:
            stand_in = Path(tempfile.mkdtemp(prefix=f"{ctx.out.name}-downloads-", dir=ctx.out.parent))
            _link_tree(predicted, stand_in)
        source = stand_in if stand_in is not None else ctx.out
        prev = ctx.previous
        with sitecache.page_cache(salt, prev / "site" if prev else None, prev / SITE_CACHE if prev else None,
                                  jinja_cache=ctx.root / JINJA_CACHE) as stats:
            files = S.build_site(ctx.root, scratch, corpus=ctx.corpus, downloads_from=source)
        downloads = set(S.find_downloads(source))
        site = ctx.out / "site"
        written: list[Path] = []
        for f in files:
            rel = f.relative_to(scratch).as_posix()
            if rel in downloads:
                continue
            dest = site / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(f, dest)
            written.append(dest)
        written.append(sitecache.write_store(ctx.out / SITE_CACHE, salt, stats.pages))
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if stand_in is not None:
            shutil.rmtree(stand_in, ignore_errors=True)


def _site_downloads_job(ctx: BuildContext) -> list[Path]:
    """Copy the files the site offers (:func:`toolkit.render.site.find_downloads`) to ``<out>/site/<same path>``,
    as MkDocs would.  A file the build did not rewrite (same inode as in the previous build) keeps the
    previous build's copy (hard link)."""
    from toolkit.render import site as S

    prev = ctx.previous
    written = []
    for rel, src in sorted(S.find_downloads(ctx.out).items()):
        dest = ctx.out / "site" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            dest.unlink()
        old_src, old_copy = (prev / rel, prev / "site" / rel) if prev is not None else (None, None)
        if old_src is not None and old_src.is_file() and old_copy.is_file() and os.path.samefile(src, old_src):
            os.link(old_copy, dest)
        else:
            shutil.copyfile(src, dest)
        written.append(dest)
    return written


def _changes_baseline(root: Path) -> str:
    """The git side of the site's "changes since …" page (:mod:`toolkit.render.changes_page`):
    the baseline commit it diffs against, so a new tag rebuilds the pages."""
    from toolkit.render import changes_page as CP

    try:
        configured = CP.configured_in(root / "mkdocs.yml")
    except ValueError as exc:  # the site build reports it
        return f"invalid: {exc}"
    return CP.baseline_key(root, configured)


def _plan_site(inp: Inputs, fn: Step) -> list[Job]:
    """Two jobs: the pages (corpus, config, templates, the baseline of the changes page; only the
    *names* of the downloads) and the download copies (the bytes of the drafts' and tables' files)."""
    salt = _sha("site", inp.env, _site_inputs(inp.ctx.root), inp.review)
    upstream = ("tables", "drafts", "reviews")
    pages = _sha(salt, inp.corpus.all(), _changes_baseline(inp.ctx.root))
    return [Job("site", "site", pages, _site_pages_job, (salt,), after=(),
                paths_of=upstream, cost=4, reuses_previous=True),
            Job("site", "site/downloads", _sha("downloads", salt), _site_downloads_job, (), after=upstream,
                reuses_previous=True)]


PLANNERS: dict[str, Planner] = {"data": _plan_data, "tables": _plan_tables, "drafts": _plan_drafts,
                                "site": _plan_site}
"""How each known step is split into jobs and what it hashes; other steps run whole, hashing everything."""


def plan_step(name: str, fn: Step, inp: Inputs) -> list[Job]:
    """The jobs of one step (see :data:`PLANNERS`)."""
    planner = PLANNERS.get(name)
    if planner is not None:
        return planner(inp, fn)
    return _whole(name, fn, _sha(name, inp.env, inp.corpus.all(), inp.review, _site_inputs(inp.ctx.root)))


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
    ``after`` job key → steps it waits for; ``todo`` the jobs to run, in step order;
    ``removed`` the manifest keys of selected steps that no longer exist;
    ``manifest`` the previous manifest (or None); ``steps`` every step in order.
    """

    jobs: list[Job]
    digests: dict[str, str]
    after: dict[str, tuple[str, ...]]
    todo: list[Job]
    removed: list[str]
    manifest: dict | None
    steps: list[tuple[str, Step]]

    @property
    def up_to_date(self) -> bool:
        return self.manifest is not None and not self.todo and not self.removed

    @property
    def old(self) -> dict[str, dict]:
        return self.manifest["jobs"] if self.manifest else {}

    def final_outputs(self, outputs: dict[str, list[str]]) -> dict[str, dict]:
        """Manifest entries after a build that ran ``outputs`` (job key → relative files)."""
        old = self.old
        selected = {j.step for j in self.jobs}
        jobs = {k: v for k, v in old.items() if v.get("step") not in selected}
        for j in self.jobs:
            outs = outputs[j.key] if j.key in outputs else old[j.key]["outputs"]
            jobs[j.key] = {"step": j.step, "digest": self.digests[j.key], "outputs": outs}
        return dict(sorted(jobs.items()))


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
    names = [n for n, _ in steps]
    jobs: list[Job] = []
    digests: dict[str, str] = {}
    after: dict[str, tuple[str, ...]] = {}
    step_digest: dict[str, str] = {}
    for name, fn in steps:
        if name in selected:
            js = plan_step(name, fn, inp)
            for j in js:
                after[j.key] = step_after(name, steps) if j.after is None else tuple(a for a in j.after if a in names)
                up = "".join(f"{a}:{step_digest.get(a, '')}" for a in after[j.key])
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
    return BuildPlan(jobs, digests, after, todo, removed, manifest, steps)


# ---------------------------------------------------------------------- running jobs
_WORKER: dict = {}
"""State inherited by forked pool workers: the context and the jobs by key."""


def _worker_run(key: str, args: tuple) -> tuple[str, list[str], float]:
    ctx: BuildContext = _WORKER["ctx"]
    job: Job = _WORKER["jobs"][key]
    t0 = time.perf_counter()
    paths = job.fn(ctx, *args)
    return key, [str(p) for p in paths], time.perf_counter() - t0


def worker_count(n_jobs: int) -> int:
    """Processes for ``n_jobs`` jobs: ``STDKIT_JOBS`` if set, else ``os.cpu_count()``, at most ``n_jobs``."""
    env = os.environ.get("STDKIT_JOBS", "")
    n = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return max(1, min(n, n_jobs))


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


class _Scheduler:
    """Which job may start now, and bookkeeping of finished jobs (see :func:`execute`)."""

    def __init__(self, plan: BuildPlan, ctx: BuildContext, progress: Progress, speculate: bool):
        self.plan, self.ctx, self.progress, self.speculate = plan, ctx, progress, speculate
        self.order = [n for n, _ in plan.steps]
        self.left = {n: sum(1 for j in plan.todo if j.step == n) for n in self.order}
        self.done = {n for n in self.order if self.left[n] == 0}
        self.started: set[str] = set()
        self.pending = sorted(plan.todo, key=lambda j: -j.cost)
        self.outputs: dict[str, list[str]] = {}
        self.seconds: dict[str, float] = {}
        self.guesses: dict[str, dict[str, str]] = {}

    def _predict(self, steps: tuple[str, ...]) -> dict[str, str] | None:
        """Files the steps will hold when done, from the previous build; None if unknown."""
        prev = self.ctx.previous
        if prev is None or self.plan.manifest is None:
            return None
        old = self.plan.old
        if any(j.step in steps and j.key not in old for j in self.plan.todo):
            return None
        gone = set(self.plan.removed)
        return {o: str(prev / o) for k, rec in old.items() if rec.get("step") in steps and k not in gone
                for o in rec.get("outputs", [])}

    def take_ready(self) -> list[tuple[Job, tuple]]:
        """Jobs whose dependencies are met, with the arguments to run them with (removed from pending)."""
        ready = []
        for job in list(self.pending):
            if not all(a in self.done for a in self.plan.after[job.key]):
                continue
            args = job.args
            if job.paths_of:
                waiting = tuple(s for s in job.paths_of if s in self.left and s not in self.done)
                guess = self._predict(job.paths_of) if waiting and self.speculate else None
                if waiting and guess is None:
                    continue
                if guess is not None:
                    self.guesses[job.key] = guess
                args = args + (guess,)
            self.pending.remove(job)
            if job.step not in self.started:
                self.started.add(job.step)
                self.progress("start", job.step, sum(1 for j in self.plan.todo if j.step == job.step))
            ready.append((job, args))
        return ready

    def finish(self, job: Job, paths: list[str], secs: float) -> None:
        out = self.ctx.out
        self.outputs[job.key] = _outputs_of(paths, out)
        for o in ([] if job.reuses_previous else self.outputs[job.key]):
            if os.stat(out / o).st_nlink > 1:
                raise BuildError(f"job {job.key} wrote {o} through a hard link shared with the previous build; "
                                 "a writer must report every file it writes")
        self.seconds[job.step] = self.seconds.get(job.step, 0.0) + secs
        self.left[job.step] -= 1
        self.progress("advance", job.step, 1)
        if self.left[job.step] == 0:
            self.done.add(job.step)
            self.progress("done", job.step, 0)

    def wrong_guesses(self) -> list[Job]:
        """Jobs that ran on predicted file names that turned out different (to run again)."""
        final = self.plan.final_outputs(self.outputs)
        bad = []
        for job in self.plan.todo:
            guess = self.guesses.get(job.key)
            if guess is None:
                continue
            actual = {o for rec in final.values() if rec["step"] in job.paths_of for o in rec["outputs"]}
            if actual != set(guess):
                bad.append(job)
        return bad


def execute(plan: BuildPlan, ctx: BuildContext, progress: Progress | None = None,
            workers: int | None = None) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Run ``plan.todo`` writing under ``ctx.out``; returns ``(outputs by job key, seconds by step)``.

    A job starts once the steps it reads have finished (:attr:`Job.after`), or — for a
    job that reads only file names (:attr:`Job.paths_of`) — right away on the names the
    previous build recorded.  With more than one worker jobs run in a forked process
    pool, longest first.  Results do not depend on the order.  The first exception
    raised by a job propagates (the caller discards the staging folder).
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    progress = progress or (lambda *a: None)
    n_workers = workers or worker_count(len(plan.todo))
    sched = _Scheduler(plan, ctx, progress, speculate=n_workers > 1)
    if n_workers <= 1:
        while sched.pending:
            batch = sched.take_ready()
            if not batch:  # pragma: no cover - a dependency cycle cannot be declared
                raise BuildError("build jobs wait on each other; check STEP_AFTER")
            for job, args in batch:
                t0 = time.perf_counter()
                paths = job.fn(ctx, *args)
                sched.finish(job, [str(p) for p in paths], time.perf_counter() - t0)
    else:
        import multiprocessing

        _WORKER.update(ctx=ctx, jobs={j.key: j for j in plan.todo})
        by_key = {j.key: j for j in plan.todo}
        pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context("fork"))
        pool.submit(os.getpid).result()  # fork every worker now, before a progress display starts a thread
        futures: dict = {}
        try:
            while sched.pending or futures:
                for job, args in sched.take_ready():
                    futures[pool.submit(_worker_run, job.key, args)] = job.key
                if not futures:  # pragma: no cover - a dependency cycle cannot be declared
                    raise BuildError("build jobs wait on each other; check STEP_AFTER")
                finished, _ = wait(list(futures), return_when=FIRST_COMPLETED)
                for fut in finished:
                    futures.pop(fut)
                    key, paths, secs = fut.result()  # re-raises the job's exception
                    sched.finish(by_key[key], paths, secs)
        except BaseException:
            for fut in futures:
                fut.cancel()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            _WORKER.clear()
        pool.shutdown(wait=True)
    for job in sched.wrong_guesses():  # rare: a draft was added or an output renamed
        for o in sched.outputs.pop(job.key):
            (ctx.out / o).unlink()
        t0 = time.perf_counter()
        paths = job.fn(ctx, *job.args, None)
        sched.outputs[job.key] = _outputs_of(paths, ctx.out)
        sched.seconds[job.step] = sched.seconds.get(job.step, 0.0) + time.perf_counter() - t0
    return sched.outputs, sched.seconds


def write_manifest(out: Path, plan: BuildPlan, outputs: dict[str, list[str]]) -> Path:
    """Write ``out/.stdkit-manifest.json``: the previous entries of steps not run, and every planned job.

    Raises :class:`BuildError` if two jobs claim the same file.
    """
    jobs = plan.final_outputs(outputs)
    claimed: dict[str, str] = {}
    for k, v in jobs.items():
        for o in v["outputs"]:
            if o in claimed:
                raise BuildError(f"jobs {claimed[o]} and {k} both write {o}")
            claimed[o] = k
    path = out / MANIFEST_NAME
    path.write_text(json.dumps({"version": MANIFEST_VERSION, "jobs": jobs}, ensure_ascii=False, indent=1,
                               sort_keys=True) + "\n", encoding="utf-8")
    return path


@dataclass
class BuildResult:
    """Outcome of :func:`incremental_build`: ``up_to_date`` (nothing written), jobs run and kept,
    files written, seconds per step (summed over its jobs)."""

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
        old = plan.old
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
            _remove_empty_dirs(staging)
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
