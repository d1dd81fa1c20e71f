"""Build stage: what to write, written atomically into ``build/``.

``run_build(root, ...)`` loads and checks the corpus; if ``check`` reports
errors nothing is written.  Otherwise every output step writes into a staging
folder beside ``build/`` (``.build-staging-<pid>``) and, only when every step
succeeded, the staging folder replaces ``build/`` in two renames.  A failed or
interrupted build therefore leaves the previous ``build/`` intact, and a lock
file (``.stdkit-build.lock``, ``fcntl.flock``) stops two builds from
interleaving.

Steps are listed in :data:`STEPS`; each is ``(name, function(ctx) -> list[Path])``.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from toolkit.corpus import Corpus


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


def register_step(name: str, fn: Step) -> None:
    """Add (or replace) a build step by name, keeping order of first registration."""
    for i, (n, _) in enumerate(STEPS):
        if n == name:
            STEPS[i] = (name, fn)
            return
    STEPS.append((name, fn))


def _load_steps() -> None:
    """Import renderer modules that register build steps (kept here so the order is one list)."""
    import importlib

    for mod in ("toolkit.render.tables", "toolkit.render.drafts", "toolkit.render.site"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:  # a renderer not present in this checkout
            if exc.name != mod:
                raise


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


def run_steps(ctx: BuildContext, steps: list[tuple[str, Step]], progress=None) -> dict[str, float]:
    """Run steps in order; returns seconds per step. Exceptions propagate (the caller discards staging)."""
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
