"""One ``stdkit build``: plan against the previous manifest, stage, run what changed, swap.

1. **Plan.**  Each registered output (:data:`toolkit.render.OUTPUTS`) is split into jobs
   by its ``plan()``.  While nothing the previous ``plan()`` read has changed (its
   recorded inputs, in the manifest) and the code is the same, its jobs are taken
   from the manifest without importing the output's module.  A job runs when it is
   new, the code/templates/libraries changed (:func:`toolkit.build.digest.env_digest`),
   one of the inputs it *recorded while it ran* last time reads differently now
   (:mod:`toolkit.deps`), one of its files is missing, or an output whose files it
   reads (``after``) runs.
2. **Nothing to do** → nothing is written at all (no staging folder, no manifest).
3. **Stage** (:mod:`toolkit.build.staging`): a folder on the same filesystem as
   ``build/`` gets hard links to every file of ``build/`` except the outputs of the
   jobs that will run; jobs write new files into it.
4. **Run** (:mod:`toolkit.build.scheduler`): the jobs in a forked process pool; each
   returns its files and the inputs it read.
5. **Swap**: the manifest is written into the staging folder, which replaces
   ``build/``.  A failed or interrupted build leaves ``build/`` as it was.

The engine imports the output protocol and the registry, never a particular writer.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from toolkit.build import BuildError
from toolkit.build.digest import env_digest
from toolkit.build.manifest import read_manifest, write_manifest
from toolkit.build.scheduler import Progress, RunState, Scheduler, execute, recording_context, worker_count
from toolkit.build.staging import (build_lock, check_target, clean_stale, make_staging, remove_empty_dirs,
                                   staging_path, swap_into_place)
from toolkit.deps import KINDS, Inputs, Recorder
from toolkit import render as registry
from toolkit.render.base import BuildContext, Job, run_whole


@dataclass
class BuildPlan:
    """What a build will do.

    ``jobs``: every job of the selected outputs (key → job); ``todo``: those to run, in
    registry order; ``removed``: manifest keys of jobs that no longer exist;
    ``after``/``names_of``: per job key, the outputs whose files / file names it reads;
    ``outputs``: the manifest entries of the selected outputs; ``loaded``: the output
    objects imported while planning; ``manifest``: the previous one (or None);
    ``changed``: per job key to run, why (``new``, ``code``, ``inputs``, ``files``, ``upstream``).
    """

    names: list[str]
    jobs: dict[str, Job]
    todo: list[Job]
    removed: list[str]
    after: dict[str, tuple[str, ...]]
    names_of: dict[str, tuple[str, ...]]
    outputs: dict[str, dict]
    loaded: dict
    manifest: dict | None
    env: str
    changed: dict[str, str] = field(default_factory=dict)

    @property
    def up_to_date(self) -> bool:
        return self.manifest is not None and not self.todo and not self.removed

    @property
    def old(self) -> dict[str, dict]:
        return self.manifest["jobs"] if self.manifest else {}


Loader = Callable[[str], object]


def make_plan(ctx: BuildContext, inputs: Inputs, names: list[str], selected: set[str], manifest: dict | None,
              env: str, target: Path, loader: Loader | None = None) -> BuildPlan:
    """Plan a build of the outputs ``selected`` (of ``names``, in order) against ``target`` (see module docstring)."""
    loader = loader or registry.load_output
    old = manifest["jobs"] if manifest else {}
    old_outputs = manifest["outputs"] if manifest else {}
    same_env = manifest is not None and manifest.get("env") == env
    jobs: dict[str, Job] = {}
    after: dict[str, tuple[str, ...]] = {}
    names_of: dict[str, tuple[str, ...]] = {}
    entries: dict[str, dict] = {}
    loaded: dict = {}
    for name in names:
        if name not in selected:
            continue
        oe = old_outputs.get(name)
        reuse = (same_env and isinstance(oe, dict) and all(isinstance(k, str) and k in old for k in oe["jobs"])
                 and all(inputs.digest(k) == d for k, d in oe["plan"].items()))
        if reuse:
            try:
                planned = [Job.from_json(k, old[k]) for k in oe["jobs"]]
            except (KeyError, TypeError, ValueError):
                reuse = False
        if reuse:
            reads, nof, plan_deps = tuple(oe.get("reads") or ()), tuple(oe.get("names_of") or ()), oe["plan"]
        else:
            output = loaded[name] = loader(name)
            rec = Recorder(inputs)
            planned = list(output.plan(recording_context(ctx, rec)))
            reads, nof, plan_deps = tuple(output.reads), tuple(output.names_of), rec.deps
        entries[name] = {"plan": plan_deps, "jobs": [j.key for j in planned], "reads": list(reads),
                         "names_of": list(nof)}
        for j in planned:
            if j.output != name:
                raise BuildError(f"output {name!r} planned job {j.key!r} for output {j.output!r}")
            if j.key in jobs:
                raise BuildError(f"two jobs are keyed {j.key!r}")
            jobs[j.key] = j
            after[j.key] = tuple(a for a in (reads if j.after is None else j.after) if a in names and a != name)
            names_of[j.key] = tuple(a for a in (nof if j.names_of is None else j.names_of) if a in names and a != name)
    changed: dict[str, str] = {}
    for key, j in jobs.items():
        rec = old.get(key)
        if rec is None:
            changed[key] = "new"
        elif not same_env:
            changed[key] = "code"
        elif {k: v for k, v in rec.items() if k not in ("deps", "outputs")} != j.to_json():
            changed[key] = "job"
        elif any(inputs.digest(k) != d for k, d in rec["deps"].items()):
            changed[key] = "inputs"
        elif not all(isinstance(o, str) and (target / o).is_file() for o in rec["outputs"]):
            changed[key] = "files"
    removed = sorted(k for k, v in old.items()
                     if k not in jobs and (v.get("output") in selected or v.get("output") not in names))
    moved = {jobs[k].output for k in changed} | {str(old[k].get("output")) for k in removed}
    grew = True
    while grew:  # a job that reads the files of an output with work to do runs too
        grew = False
        for key, j in jobs.items():
            if key not in changed and any(a in moved for a in after[key]):
                changed[key] = "upstream"
                moved.add(j.output)
                grew = True
    todo = [jobs[k] for k in jobs if k in changed]
    return BuildPlan([n for n in names if n in selected], jobs, todo, removed, after, names_of, entries, loaded,
                     manifest, env, changed)


@dataclass
class BuildResult:
    """Outcome of :func:`incremental_build`: ``up_to_date`` (nothing written), jobs run and kept, files
    written, wall-clock seconds per output, and notes for the user (stale leftovers removed, manifest
    recovered)."""

    up_to_date: bool
    ran: list[str] = field(default_factory=list)
    kept: int = 0
    written: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)


def _empty(corpus) -> bool:
    return not any(getattr(corpus, k, None) for k in KINDS)


def incremental_build(corpus, root: Path, *, review: bool = False, quiet: bool = False,
                      selected: set[str] | None = None,
                      progress: Callable[[BuildPlan], Progress | None] | None = None,
                      workers: int | None = None, wait: float = 0.0,
                      notify: Callable[[str], None] | None = None,
                      names: list[str] | None = None, loader: Loader | None = None) -> BuildResult:
    """Build ``root/build`` from ``corpus``, or confirm it is up to date (see the module docstring).

    ``selected`` limits the outputs run (``--only``); the others keep what ``build/``
    holds.  ``progress(plan)`` may return a progress callback once the work is known;
    ``wait``: seconds to wait for another build's lock; ``notify(message)`` gets
    messages (waiting, leftovers of a killed build removed, manifest recovered).
    ``names``/``loader`` replace the registry (tests).  Raises :class:`BuildError` when
    the lock is held, ``build`` is not stdkit's or the corpus is empty; a job's
    exception propagates after the staging folder is removed (``build/`` unchanged).
    """
    root = Path(root).resolve()  # jobs compare paths under it with resolved ones
    target = root / "build"
    names = list(names) if names is not None else registry.output_names()
    loader = loader or registry.load_output
    selected = set(names) if selected is None else set(selected)
    notes: list[str] = []

    def say(msg: str) -> None:
        notes.append(msg)
        if notify is not None:
            notify(msg)

    if _empty(corpus):
        raise BuildError("the corpus under standards/ holds no records; nothing to build (build/ left unchanged)")
    env = env_digest(root)
    inputs = Inputs(corpus, root, {"review": review})
    with build_lock(root, wait, say) as lock:
        check_target(target)
        manifest, why = read_manifest(target)
        if why:
            say(f"the manifest of build/ is {why}; everything is built again")
        ctx = BuildContext(corpus=corpus, out=target, root=root, review=review, quiet=quiet,
                           previous=target if target.is_dir() else None, env=env)
        plan = make_plan(ctx, inputs, names, selected, manifest, env, target, loader)
        stale = clean_stale(root, target)
        if stale or lock.stale_pid:
            who = f" (pid {lock.stale_pid})" if lock.stale_pid else ""
            say(f"an earlier build{who} was killed; removed what it left: {', '.join(stale) or 'nothing'}")
        if plan.up_to_date:
            return BuildResult(True, kept=len(plan.jobs), notes=notes)
        lock.mark()
        staging = staging_path(root, target)
        ctx.out = staging
        old = plan.old
        drop = {o for j in plan.todo for o in old.get(j.key, {}).get("outputs", [])}
        drop |= {o for k in plan.removed for o in old[k].get("outputs", [])}
        mode = "link" if manifest is not None else ("fresh" if selected == set(names) else "copy")
        make_staging(target, staging, drop, mode)
        try:
            for j in plan.todo:  # import the writers before forking, so every worker has them
                if j.output not in plan.loaded:
                    plan.loaded[j.output] = loader(j.output)
            state = RunState(ctx, inputs, plan.loaded)

            def predict(outs: tuple[str, ...]) -> dict[str, str] | None:
                if ctx.previous is None or manifest is None:
                    return None
                if any(j.output in outs and j.key not in old for j in plan.todo):
                    return None
                gone = set(plan.removed)
                return {o: str(ctx.previous / o) for k, rec in old.items() if rec.get("output") in outs
                        and k not in gone for o in rec.get("outputs", [])}

            cb = (progress(plan) if progress else None) or (lambda *a: None)
            n_workers = workers or worker_count(len(plan.todo))
            sched = Scheduler(plan.todo, names, plan.after, plan.names_of, predict, cb, n_workers > 1, staging)

            def final_jobs(files: dict[str, list[str]]) -> dict[str, dict]:
                out = {k: v for k, v in old.items() if k not in plan.jobs and k not in plan.removed}
                for k, j in plan.jobs.items():
                    if k in files:
                        out[k] = {**j.to_json(), "deps": sched.deps.get(k, {}), "outputs": files[k]}
                    else:
                        out[k] = old[k]
                return out

            def final_files(files: dict[str, list[str]]) -> dict[str, set[str]]:
                by: dict[str, set[str]] = {}
                for rec in final_jobs(files).values():
                    by.setdefault(str(rec.get("output")), set()).update(rec.get("outputs", []))
                return by

            execute(state, sched, n_workers, final_files)
            remove_empty_dirs(staging)
            jobs = final_jobs(sched.files)
            if not any(rec.get("outputs") for rec in jobs.values()):
                raise BuildError("the build produced no files; build/ left unchanged")
            outputs = {k: v for k, v in (manifest or {}).get("outputs", {}).items() if k in names and k not in selected}
            outputs.update(plan.outputs)
            write_manifest(staging, env, outputs, jobs)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        swap_into_place(staging, target)
    written = [target / o for k in sorted(sched.files) for o in sched.files[k]]
    return BuildResult(False, ran=[j.key for j in plan.todo], kept=len(plan.jobs) - len(plan.todo),
                       written=written,
                       seconds={n: sched.seconds[n] for n in plan.names if n in sched.seconds}, notes=notes, changed=plan.changed)


def render_all(corpus, out: Path, root: Path, names: list[str] | None = None, review: bool = False) -> list[Path]:
    """Run outputs whole, in registry order, into ``out`` (no cache, no staging, nothing recorded).

    For tests and tools that want a plain build into a folder; returns the paths written.
    """
    ctx = BuildContext(corpus=corpus, out=Path(out), root=Path(root), review=review, quiet=True,
                       previous=None, env="")
    written: list[Path] = []
    for name in names if names is not None else registry.output_names():
        written += run_whole(registry.load_output(name), ctx)
    ctx.written = written
    return written


