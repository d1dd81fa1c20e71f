"""Running a build's jobs: in order of their dependencies, in a forked process pool.

A job starts once the outputs whose files it reads (``Job.after``) are complete; a job
that reads only the *names* of other outputs' files (``Job.names_of``) may start at
once on the names the previous build recorded, and runs again if they turn out
different.  Longer jobs (``Job.cost``) start first.  Each job reads the corpus through
a fresh :class:`toolkit.deps.RecordingCorpus`; what it read comes back with its files.

Workers are forked from the main process (they inherit the corpus).  Each one, as it
starts, closes the build lock's descriptor (only the main process holds the lock),
ignores SIGINT (the main process decides) and asks the kernel to kill it when its
parent dies (``PR_SET_PDEATHSIG``), so a ``kill -9`` of ``stdkit build`` leaves no
worker and no lock behind.  The pool is killed on every exit path that is not a
success.  Per-output seconds are wall-clock (first job started → last job finished).
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from toolkit.build import BuildError
from toolkit.deps import Inputs, Recorder, RecordingCorpus
from toolkit.render.base import BuildContext, Job
from toolkit.parallel import die_with_parent

Progress = Callable[[str, str, int], None]
"""Progress callback ``(event, output, n)``: ``("start", output, jobs to run)``, ``("advance", output, 1)``,
``("done", output, 0)``."""


@dataclass
class RunState:
    """What running a job needs: the base context (``out`` = staging), the probe evaluator, the loaded outputs."""

    ctx: BuildContext
    inputs: Inputs
    outputs: dict  # name -> Output


class RecordedOption:
    """A build option whose truth value is recorded as an input when a job tests it (``if ctx.review``)."""

    def __init__(self, rec: Recorder, name: str):
        self.rec, self.name = rec, name

    def __bool__(self) -> bool:
        return bool(self.rec.option(self.name))

    def __eq__(self, other) -> bool:
        return bool(self) == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RecordedOption({self.name}={bool(self.rec.inputs.options.get(self.name))})"


def recording_context(base: BuildContext, rec: Recorder, predicted: dict[str, str] | None = None) -> BuildContext:
    """A copy of ``base`` whose corpus and options record what is read into ``rec``."""
    return replace(base, corpus=RecordingCorpus(base.corpus, rec), recorder=rec, predicted=predicted, written=[],
                   review=RecordedOption(rec, "review"))


def run_job(state: RunState, job: Job, predicted: dict[str, str] | None) -> tuple[list[str], dict[str, str], tuple]:
    """Run one job with a recording view of the corpus.

    Returns ``(paths written, recorded deps, (start, end))`` — times from ``time.monotonic()``,
    one clock for every process of the machine.
    """
    rec = Recorder(state.inputs)
    ctx = recording_context(state.ctx, rec, predicted)
    t0 = time.monotonic()
    paths = state.outputs[job.output].run(ctx, job)
    return [str(p) for p in paths], rec.deps, (t0, time.monotonic())


def worker_count(n_jobs: int) -> int:
    """Processes for ``n_jobs`` jobs: ``STDKIT_JOBS`` if set, else ``os.cpu_count()``, at most ``n_jobs``."""
    env = os.environ.get("STDKIT_JOBS", "")
    n = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return max(1, min(n, n_jobs))


def outputs_of(paths: Iterable[str | Path], out: Path) -> list[str]:
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


# ---------------------------------------------------------------------- pool workers
_WORKER: dict = {}
"""State inherited by forked pool workers: the run state and the jobs by key."""


def _worker_init(parent: int) -> None:
    """Pool worker start: drop the lock descriptors, ignore SIGINT, die with the parent."""
    from toolkit.build.staging import HELD_LOCK_FDS

    for fd in list(HELD_LOCK_FDS):
        try:
            os.close(fd)
        except OSError:
            pass
    HELD_LOCK_FDS.clear()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)  # not Linux: the pool is still killed on every exit path of the parent


def _worker_run(key: str, predicted: dict | None) -> tuple[str, list[str], dict[str, str], tuple]:
    state: RunState = _WORKER["state"]
    job: Job = _WORKER["jobs"][key]
    return (key, *run_job(state, job, predicted))


def _kill_pool(pool) -> None:
    """Kill every worker of a ProcessPoolExecutor now (no waiting for running jobs)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for p in procs:
        try:
            p.kill()
        except (OSError, ValueError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.join(5)
        except (OSError, ValueError, AssertionError):
            pass


class _Raise:
    """SIGTERM handler while the pool runs: turn it into KeyboardInterrupt so the pool is killed and staging removed."""

    def __enter__(self):
        import threading

        self.old = None
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGTERM, self._handler)
        return self

    @staticmethod
    def _handler(signum, frame):
        raise KeyboardInterrupt

    def __exit__(self, *exc):
        if self.old is not None:
            signal.signal(signal.SIGTERM, self.old)


# ---------------------------------------------------------------------- scheduling
class Scheduler:
    """Which job may start now, and bookkeeping of finished jobs (see :func:`execute`).

    ``todo``: jobs to run; ``order``: output names in registry order; ``previous``: the
    previous ``build/`` (or None); ``old_outputs``: the previous manifest's files per
    job key (for predicting names); ``final_files(outputs)``: every output's files
    after the build, given the files of the jobs run.
    """

    def __init__(self, todo: list[Job], order: list[str], after: dict[str, tuple[str, ...]],
                 names_of: dict[str, tuple[str, ...]], predict: Callable[[tuple[str, ...]], dict[str, str] | None],
                 progress: Progress, speculate: bool, out: Path):
        self.todo, self.order, self.after, self.names_of = todo, order, after, names_of
        self.predict, self.progress, self.speculate, self.out = predict, progress, speculate, out
        self.left = {n: sum(1 for j in todo if j.output == n) for n in order}
        self.done = {n for n in order if self.left[n] == 0}
        self.started: set[str] = set()
        self.span: dict[str, list[float]] = {}
        self.pending = sorted(todo, key=lambda j: -j.cost)
        self.files: dict[str, list[str]] = {}
        self.deps: dict[str, dict[str, str]] = {}
        self.seconds: dict[str, float] = {}
        self.guesses: dict[str, dict[str, str]] = {}

    def take_ready(self) -> list[tuple[Job, dict | None]]:
        """Jobs whose dependencies are met, with the predicted names they run on (removed from pending)."""
        ready = []
        for job in list(self.pending):
            if not all(a in self.done for a in self.after[job.key]):
                continue
            guess = None
            names = self.names_of[job.key]
            if names:
                waiting = tuple(s for s in names if s in self.left and s not in self.done)
                if waiting:
                    guess = self.predict(names) if self.speculate else None
                    if guess is None:
                        continue
                    self.guesses[job.key] = guess
            self.pending.remove(job)
            if job.output not in self.started:
                self.started.add(job.output)
                self.progress("start", job.output, sum(1 for j in self.todo if j.output == job.output))
            ready.append((job, guess))
        return ready

    def finish(self, job: Job, paths: list[str], deps: dict[str, str], when: tuple[float, float]) -> None:
        out = self.out
        span = self.span.setdefault(job.output, [when[0], when[1]])
        span[0], span[1] = min(span[0], when[0]), max(span[1], when[1])
        self.files[job.key] = outputs_of(paths, out)
        self.deps[job.key] = deps
        for o in ([] if job.reuses_previous else self.files[job.key]):
            if os.stat(out / o).st_nlink > 1:
                raise BuildError(f"job {job.key} wrote {o} through a hard link shared with the previous build; "
                                 "a writer must report every file it writes")
        self.left[job.output] -= 1
        self.progress("advance", job.output, 1)
        if self.left[job.output] == 0:
            self.done.add(job.output)
            self.seconds[job.output] = span[1] - span[0]
            self.progress("done", job.output, 0)


def execute(state: RunState, sched: Scheduler, workers: int,
            final_files: Callable[[dict[str, list[str]]], dict[str, set[str]]]) -> None:
    """Run every job of ``sched`` (files under ``state.ctx.out``), filling ``sched.files/deps/seconds``.

    With more than one worker, jobs run in a forked process pool.  The first exception
    raised by a job propagates (the caller discards the staging folder); the pool is
    killed on any exit but success.  ``final_files(files)`` gives each output's files
    after the build, to check predicted names (jobs run on wrong names run again).
    """
    if workers <= 1:
        while sched.pending:
            batch = sched.take_ready()
            if not batch:  # pragma: no cover - a dependency cycle between outputs
                raise BuildError("build jobs wait on each other; check the outputs' reads/names_of")
            for job, guess in batch:
                sched.finish(job, *run_job(state, job, guess))
    else:
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        by_key = {j.key: j for j in sched.todo}
        _WORKER.update(state=state, jobs=by_key)
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_init, initargs=(os.getpid(),))
        ok = False
        try:
            with _Raise():
                # fork every worker now, before a progress display starts a thread
                for f in [pool.submit(os.getpid) for _ in range(workers)]:
                    f.result()
                futures: dict = {}
                while sched.pending or futures:
                    for job, guess in sched.take_ready():
                        futures[pool.submit(_worker_run, job.key, guess)] = job.key
                    if not futures:  # pragma: no cover - a dependency cycle between outputs
                        raise BuildError("build jobs wait on each other; check the outputs' reads/names_of")
                    finished, _ = wait(list(futures), return_when=FIRST_COMPLETED)
                    for fut in finished:
                        futures.pop(fut)
                        key, paths, deps, when = fut.result()  # re-raises the job's exception
                        sched.finish(by_key[key], paths, deps, when)
            ok = True
        finally:
            _WORKER.clear()
            if ok:
                pool.shutdown(wait=True)
            else:
                _kill_pool(pool)
    final = final_files(sched.files)
    for job in sched.todo:  # rare: a draft was added or an output renamed since the previous build
        guess = sched.guesses.get(job.key)
        if guess is None:
            continue
        actual = set().union(*(final.get(o, set()) for o in sched.names_of[job.key]))
        if actual == set(guess):
            continue
        for o in sched.files.pop(job.key):
            (state.ctx.out / o).unlink()
        paths, deps, (t0, t1) = run_job(state, job, None)
        sched.files[job.key] = outputs_of(paths, state.ctx.out)
        sched.deps[job.key] = deps
        sched.seconds[job.output] = sched.seconds.get(job.output, 0.0) + t1 - t0
