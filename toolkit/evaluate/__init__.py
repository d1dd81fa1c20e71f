"""Evaluate a plan against the standards (``stdkit evaluate``): applicability, verdicts, geometry.

Pipeline position: after ``resolve`` (takes a :class:`~toolkit.corpus.Corpus`), before the
report writers (:mod:`toolkit.render.evaluation`).  Modules:

* :mod:`toolkit.evaluate.read`  — read any plan (dispatches GeoPackages to ``geometry``);
* :mod:`toolkit.evaluate.plan`  — read a plan (YAML, CSV, XLSX)
  into a :class:`Plan`, reporting bad input as findings (E96x/W97x);
* :mod:`toolkit.evaluate.units` — unit conversion into an indicator's unit;
* :mod:`toolkit.evaluate.engine` — which targets apply to a plan, and the verdicts;
* :mod:`toolkit.evaluate.geometry` — indicators computed from plan geometry by the
  ``formula:`` each indicator carries in the corpus.
"""
from __future__ import annotations
