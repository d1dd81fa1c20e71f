"""E013/E014: a corpus that is empty, or lacks a registry every output needs, is an error.

With every YAML file removed (or ``standards/`` emptied by a bad merge) the other
checks have nothing to complain about and would pass; ``stdkit build`` would then
produce empty outputs.  These findings make such a corpus fail ``stdkit check``.

* E013 the corpus holds no measures, indicators, standards or drafts at all;
* E014 a required registry is missing or empty: :data:`REQUIRED_REGISTRIES` — the
  five levels and three plan types of 五级三类, their cells, the domains and the
  controlled unit vocabulary, without which no matrix, table or draft can be made.

A corpus-level finding has no line: it points at the ``standards/`` folder (or the
registry folder).
"""
from __future__ import annotations

from toolkit.checks import register
from toolkit.corpus import Corpus
from toolkit.findings import Finding, Location

CODES: dict[str, dict[str, str]] = {
    "E013": {"severity": "error", "title": "corpus is empty (no measures, indicators, standards or drafts)",
             "fix": "restore the YAML files under standards/ (e.g. `git checkout -- standards`)"},
    "E014": {"severity": "error", "title": "required registry missing or empty (levels, plan types, cells, domains, units)",
             "fix": "restore standards/registry/ (system.yaml, units.yaml)"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

REQUIRED_REGISTRIES: dict[str, str] = {
    "levels": "规划层级（五级）", "plan_types": "规划类型（三类）", "cells": "五级三类单元",
    "domains": "减碳增汇领域", "units": "计量单位",
}
"""Registry key → what it holds; each must have at least one record."""


@register("presence", scope="interface")
def check_presence(c: Corpus) -> list[Finding]:
    """E013 when no content record exists, E014 for each required registry without records."""
    out: list[Finding] = []
    if not (c.measures or c.indicators or c.standards or c.drafts):
        n = len(c.files)
        out.append(Finding("E013", "error",
                           f"the corpus holds no measures, indicators, standards or drafts ({n} file(s) read); "
                           "nothing would be built", Location("standards"),
                           "restore the YAML files under standards/ (e.g. `git checkout -- standards`), "
                           "or run stdkit in the right folder"))
    for key, label in REQUIRED_REGISTRIES.items():
        if not getattr(c, key):
            out.append(Finding("E014", "error", f"no `{key}:` registry records ({label}) in the corpus",
                               Location("standards/registry"),
                               f"restore the `{key}:` list in standards/registry/ (system.yaml or units.yaml)"))
    return out
