"""E105 reserved ids: an id must not name a page or folder that stdkit itself writes beside it.

Record ids become file names: a standard ``<id>`` is ``site/standards/<id>/``
and ``build/drafts/<id>.{docx,pdf,html}``, an indicator ``site/indicators/<id>/``,
a cell ``site/cells/<id>/``, a domain ``site/domains/<id>/``.  The same folders hold
pages and files that are not records — each section's ``index`` page (the 标准目录,
指标, 五级三类规划 and 领域 overviews), the indicator table ``indicators/indicators.*``
and its ``indicators/by-standard/`` folder, the review drafts' ``drafts/review/``.
A record with one of those names would replace the section page (every link to the
overview would lead to the record) or mix with stdkit's own files, so it is an error.

:data:`GENERATED` lists those names per folder; it is derived from the writers
(``toolkit.render.site.page_specs``, ``render.tables``, ``render.drafts``) and a test
(``tests/checks/test_reserved.py``) fails when a writer adds a name that is missing
here.  Hand-written pages the project keeps in ``site/<folder>/`` are reserved too
(the site generator would replace them): they are read from the project at check time.
Ids at the site root never occur (every record page lies in a section folder), so
names such as ``search``, ``assets``, ``404`` or ``sitemap`` are free.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.checks import register
from toolkit.corpus import Corpus
from toolkit.findings import Finding

CODES: dict[str, dict[str, str]] = {
    "E105": {"severity": "error",
             "title": "id names a page or folder stdkit writes beside the record's own page (e.g. `index`)",
             "fix": "rename the record (e.g. `ind-index-…`); ids share folders with section pages"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

GENERATED: dict[str, frozenset[str]] = {
    "standards": frozenset({"index"}),                                # site: standards/index.md (标准目录)
    "drafts": frozenset({"review"}),                                  # build: drafts/review/ (review drafts)
    "indicators": frozenset({"index", "indicators", "by-standard"}),  # site: indicators/index.md; build: tables
    "cells": frozenset({"index"}),                                    # site: cells/index.md
    "domains": frozenset({"index"}),                                  # site: domains/index.md
}
"""Names stdkit's writers use in each folder where record ids also become names (without suffix)."""

FOLDERS: dict[str, tuple[str, ...]] = {
    "standard": ("standards", "drafts"),
    "indicator": ("indicators",),
    "cell": ("cells",),
    "domain": ("domains",),
}
"""Record kind → the output folders its ids name pages or files in."""

DOCS_DIR = "site"
"""The project's hand-written pages (MkDocs ``docs_dir``)."""


def hand_written(root: Path, folder: str) -> frozenset[str]:
    """Names (without suffix) of the hand-written pages and folders in ``root/site/<folder>/``."""
    base = Path(root) / DOCS_DIR / folder
    try:
        return frozenset(p.name.split(".", 1)[0] for p in base.iterdir() if not p.name.startswith("."))
    except OSError:  # no such folder
        return frozenset()


@register("reserved", scope="never")
def check_reserved_ids(c: Corpus) -> list[Finding]:
    """E105 for every standard, indicator, cell and domain whose id is a reserved name of its folders."""
    out: list[Finding] = []
    stores = {"standard": c.standards, "indicator": c.indicators, "cell": c.cells, "domain": c.domains}
    for kind, store in stores.items():
        for folder in FOLDERS[kind]:
            taken = GENERATED[folder] | hand_written(c.root, folder)
            for id_ in store:
                if id_ in taken:
                    what = ("a page stdkit writes" if id_ in GENERATED[folder]
                            else f"the hand-written page {DOCS_DIR}/{folder}/{id_}")
                    out.append(Finding("E105", "error",
                                       f"{kind} id `{id_}` is reserved: `{folder}/{id_}` is {what}, "
                                       f"and this {kind}'s own page or file would take its place",
                                       c.where(kind, id_, "id"),
                                       f"rename the {kind}, e.g. `{_example(kind, id_)}`"))
                    break
    return out


def _example(kind: str, id_: str) -> str:
    prefix = {"standard": "std", "indicator": "ind", "cell": "cell", "domain": "dom"}[kind]
    return f"{prefix}-{id_}" if not id_.startswith(prefix + "-") else f"{id_}-1"
