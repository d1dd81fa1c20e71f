"""Check stage: pure functions ``Corpus -> list[Finding]``, one module per family.

Every check family registers itself in :data:`CHECKS` (order = run order).
:func:`run_checks` runs all of them and returns the findings sorted by
location.  Codes are documented in :mod:`toolkit.codes`.
"""
from __future__ import annotations

from typing import Callable

from toolkit.corpus import Corpus
from toolkit.findings import Finding, sort_findings

Check = Callable[[Corpus], list[Finding]]
CHECKS: list[tuple[str, Check]] = []


def register(name: str):
    """Decorator: add a check family to :data:`CHECKS` under ``name``."""

    def deco(fn: Check) -> Check:
        CHECKS.append((name, fn))
        return fn

    return deco


def run_checks(corpus: Corpus) -> list[Finding]:
    """Run every registered check family on ``corpus``; findings sorted by location."""
    from toolkit.checks import families  # noqa: F401  (imports register the families)

    out: list[Finding] = []
    for _name, fn in CHECKS:
        out.extend(fn(corpus))
    return sort_findings(out)
