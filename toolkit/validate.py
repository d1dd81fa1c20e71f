"""Validate stage: parsed YAML data → pydantic models, errors → findings.

Each file's top-level keys choose its kind (:data:`toolkit.model.FILE_KINDS`;
registry files hold any of :data:`toolkit.model.REGISTRY_KEYS`).  Pydantic
errors become findings with file:line:col taken from the loader's position map:

* E101 unknown field (with "did you mean …"),
* E102 wrong type or invalid value,
* E103 missing required field,
* E104 unsafe id,
* E006 unknown file kind.

Invalid records are dropped from their file so that the rest still loads and
every problem in the corpus is reported in one run.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from toolkit import model as m
from toolkit.findings import Finding
from toolkit.load import SourceFile

CODES: dict[str, dict[str, str]] = {
    "E006": {"severity": "error", "title": "unknown top-level key or mixed file kinds",
             "fix": "use measures:, indicators:, standard:, draft: or registry lists, one kind per file"},
    "E101": {"severity": "error", "title": "unknown or misspelt field",
             "fix": "use the suggested field name or remove it"},
    "E102": {"severity": "error", "title": "wrong type or invalid value",
             "fix": "use the expected type or one of the allowed values"},
    "E103": {"severity": "error", "title": "missing required field",
             "fix": "add the field"},
    "E104": {"severity": "error", "title": "unsafe id (ids become file names and URLs)",
             "fix": "use lowercase ASCII letters, digits and single hyphens"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""


def _all_field_names() -> set[str]:
    names: set[str] = set()
    for obj in vars(m).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return names


FIELD_NAMES = _all_field_names()
TOP_KEYS = sorted(set(m.FILE_KINDS) | m.REGISTRY_KEYS)


@dataclass
class ValidFile:
    """A validated file: ``kind`` (measures/indicators/standard/draft/registry) and its model."""

    source: SourceFile
    kind: str
    model: BaseModel


def _loc_path(err_loc: tuple) -> tuple:
    """Pydantic error loc → data path (drops discriminator tags such as 'p' or 'list')."""
    out: list = []
    for part in err_loc:
        if isinstance(part, str) and part in ("p", "list", "note", "example", "table", "indicator_table",
                                              "cell_matrix", "str", "ListItem") and out and isinstance(out[-1], int):
            continue
        if isinstance(part, str) and part.startswith("function-"):
            continue
        out.append(part)
    return tuple(out)


def _errors_to_findings(exc: ValidationError, sf: SourceFile, base: tuple) -> list[Finding]:
    findings: list[Finding] = []
    for err in exc.errors(include_url=False):
        path = base + _loc_path(tuple(err["loc"]))
        typ = err["type"]
        msg = err["msg"]
        if typ == "extra_forbidden":
            name = str(path[-1])
            close = difflib.get_close_matches(name, sorted(FIELD_NAMES), n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else "remove it or check the field list in toolkit/model.py"
            findings.append(Finding("E101", "error", f"unknown field `{name}`", sf.key_loc(path), hint))
        elif typ == "missing":
            findings.append(Finding("E103", "error", f"missing required field `{path[-1]}`", sf.loc(path[:-1]),
                                    f"add `{path[-1]}:` to this record"))
        elif "is not safe" in msg:
            findings.append(Finding("E104", "error", msg.replace("Value error, ", ""), sf.loc(path),
                                    "rename the id, e.g. `m-municipal-detailed-energy-01`"))
        else:
            where = ".".join(str(p) for p in path)
            value = err.get("input")
            shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
            if len(shown) > 60:
                shown = shown[:57] + "..."
            findings.append(Finding("E102", "error", f"`{where}`: {msg.replace('Value error, ', '')} (got {shown})",
                                    sf.loc(path), "fix the value to the expected type or one of the allowed values"))
    return findings


def _validate_list(sf: SourceFile, key: str, item_model: type[BaseModel], findings: list[Finding]) -> list:
    """Validate a list of records one by one so one bad record does not hide the others."""
    items = sf.data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        findings.append(Finding("E102", "error", f"`{key}` must be a list", sf.loc((key,)),
                                f"write `{key}:` followed by `- ` items"))
        return []
    good = []
    for i, item in enumerate(items):
        try:
            good.append(item_model.model_validate(item))
        except ValidationError as exc:
            findings.extend(_errors_to_findings(exc, sf, (key, i)))
    return good


_LIST_ITEM = {
    "measures": m.Measure,
    "indicators": m.Indicator,
    "levels": m.PlanLevel,
    "facets": m.Facet,
    "plan_types": m.PlanType,
    "cells": m.PlanCell,
    "domains": m.Domain,
    "scales": m.Scale,
    "goals": m.Goal,
    "units": m.Unit,
    "references": m.ExternalReference,
}


def validate_file(sf: SourceFile) -> tuple[ValidFile | None, list[Finding]]:
    """Validate one parsed file; returns the valid part (or None) and findings."""
    findings: list[Finding] = []
    keys = list(sf.data)
    unknown = [k for k in keys if k not in m.FILE_KINDS and k not in m.REGISTRY_KEYS]
    for k in unknown:
        close = difflib.get_close_matches(str(k), TOP_KEYS, n=1, cutoff=0.6)
        findings.append(Finding("E006", "error", f"unknown top-level key `{k}`", sf.key_loc((k,)),
                                f"did you mean `{close[0]}`?" if close else f"use one of: {', '.join(TOP_KEYS)}"))
    kinds = [k for k in keys if k in m.FILE_KINDS]
    if len(kinds) > 1 or (kinds and any(k in m.REGISTRY_KEYS for k in keys)):
        findings.append(Finding("E006", "error", f"file mixes kinds {', '.join(map(str, keys))}", sf.loc(()),
                                "put measures, indicators, a standard and a draft in separate files"))
        return None, findings
    if kinds in (["measures"], ["indicators"]):
        key = kinds[0]
        good = _validate_list(sf, key, _LIST_ITEM[key], findings)
        model = m.FILE_KINDS[key].model_construct(**{key: good})
        return ValidFile(sf, key, model), findings
    if kinds in (["standard"], ["draft"]):
        key = kinds[0]
        try:
            model = m.FILE_KINDS[key].model_validate({key: sf.data[key]})
        except ValidationError as exc:
            findings.extend(_errors_to_findings(exc, sf, ()))
            return None, findings
        return ValidFile(sf, key, model), findings
    reg: dict[str, Any] = {}
    for key in keys:
        if key in m.REGISTRY_KEYS:
            reg[key] = _validate_list(sf, key, _LIST_ITEM[key], findings)
    return ValidFile(sf, "registry", m.RegistryFile.model_construct(**reg)), findings


def validate_tree(files: list[SourceFile]) -> tuple[list[ValidFile], list[Finding]]:
    """Validate every parsed file; returns valid files and findings, in file order."""
    out: list[ValidFile] = []
    findings: list[Finding] = []
    for sf in files:
        vf, fs = validate_file(sf)
        findings.extend(fs)
        if vf is not None:
            out.append(vf)
    return out, findings
