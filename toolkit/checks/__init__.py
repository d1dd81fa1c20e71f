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


def run_checks(corpus: Corpus) -> list[Finding]:
    """Run every discovered check family on ``corpus``; findings sorted by location."""
    family_modules()
    out: list[Finding] = []
    for _name, fn in sorted(CHECKS, key=lambda x: x[0]):
        out.extend(fn(corpus))
    return sort_findings(out)
