"""Check stage: pure functions ``Corpus -> list[Finding]``, one module per family.

A family is a module of this package that registers its check function with
:func:`register` and defines its finding codes in a module-level ``CODES`` dict
(collected by :mod:`toolkit.codes`).  Families are *discovered*: every module of the
package is imported (:func:`family_modules`), so adding a family is adding one module.
Modules named in :data:`ON_DEMAND` (artifact read-back, ``--artifacts``) hold codes
but are not run by :func:`run_checks`.  Findings are sorted by location, so the
order in which families run does not matter.
"""
from __future__ import annotations

import importlib
import os
import pkgutil
from types import ModuleType
from typing import Callable

from toolkit.corpus import Corpus
from toolkit.findings import Finding, sort_findings

Check = Callable[[Corpus], list[Finding]]
CHECKS: list[tuple[str, Check]] = []
"""Registered families (name, function), filled as :func:`family_modules` imports them."""
ON_DEMAND = ("artifacts",)
"""Modules run only on request (``stdkit check --artifacts``), not by :func:`run_checks`."""


def register(name: str):
    """Decorator: add a check family to :data:`CHECKS` under ``name`` (once per name)."""

    def deco(fn: Check) -> Check:
        if all(n != name for n, _ in CHECKS):
            CHECKS.append((name, fn))
        return fn

    return deco


def family_modules(include_on_demand: bool = False) -> list[ModuleType]:
    """Import and return every module of this package, sorted by name (helpers included).

    ``include_on_demand`` adds the modules of :data:`ON_DEMAND`.
    """
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{n}") for n in names
            if include_on_demand or n not in ON_DEMAND]


PARALLEL_MIN_DRAFTS = 50
"""Drafts from which :func:`run_checks` runs families in forked processes (below, forking costs more)."""
HEAVY_FIRST = ("language", "structure", "references", "coverage", "uniqueness")
"""Families started first in a parallel run (longest first; measured at N = 1000 standards)."""
_FORKED: dict = {}


def _run_family(name: str) -> list[Finding]:
    return dict(CHECKS)[name](_FORKED["corpus"])


def _workers(n_tasks: int) -> int:
    env = os.environ.get("STDKIT_JOBS", "")
    n = int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)
    return max(1, min(n, n_tasks))


def run_checks(corpus: Corpus) -> list[Finding]:
    """Run every discovered check family on ``corpus``; findings sorted by location.

    On a large corpus (at least :data:`PARALLEL_MIN_DRAFTS` drafts) and more than one
    core, the families run in forked worker processes that share the loaded corpus
    (copy-on-write), longest first; the result does not depend on it.
    """
    from toolkit.checks.text import memoised_texts

    with memoised_texts():
        return _run(corpus)


def _run(corpus: Corpus) -> list[Finding]:
    family_modules()
    names = sorted(n for n, _ in CHECKS)
    n_workers = _workers(len(names)) if len(corpus.drafts) >= PARALLEL_MIN_DRAFTS else 1
    out: list[Finding] = []
    if n_workers <= 1:
        fns = dict(CHECKS)
        for name in names:
            out.extend(fns[name](corpus))
        return sort_findings(out)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    order = [n for n in HEAVY_FIRST if n in names] + [n for n in names if n not in HEAVY_FIRST]
    _FORKED["corpus"] = corpus
    try:
        with ProcessPoolExecutor(max_workers=n_workers,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            for found in pool.map(_run_family, order):
                out.extend(found)
    finally:
        _FORKED.clear()
    return sort_findings(out)
