"""JSON Schema of every corpus file kind, generated from the pydantic models (``stdkit schema``).

One schema per file kind (:data:`SCHEMA_KINDS`), written to ``schemas/<name>.schema.json``
(JSON Schema draft-07, which every YAML editor understands), plus
``.vscode/settings.json`` mapping the corpus folders to them for the Red Hat YAML
extension (``yaml.schemas``).  ``tests/schema/test_schema.py`` regenerates them and
fails when the committed files differ, and validates the whole corpus against them
with ``check-jsonschema``.

What the generator adds to pydantic's own schema:

* Chinese ``description`` of every model and field (:mod:`toolkit.fields_zh`);
* ``enum`` for the closed vocabularies read from the registry — levels, plan types,
  domains, scales and units — on every field that holds one of their ids (the
  ``Literal`` vocabularies: comparators, block types, kinds, categories … are
  enums already);
* ``examples`` listing the ids of existing records where a field refers to an open
  set — indicators, goals, standards, normative references, cells — so the editor
  proposes them without rejecting an id that is being added (``stdkit check``
  reports unknown ids as E201);
* the id ``pattern`` (E104), "``source`` or ``drafted: true``" on every sourced
  record, and "``comparator: range`` needs ``value_max``" on targets.

Adding a file kind (e.g. review rounds or plan files) is one line in
:data:`SCHEMA_KINDS`.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from toolkit import fields_zh as zh
from toolkit import model as m

SCHEMA_DIR = "schemas"
"""Folder (relative to the project root) that holds the generated schemas."""

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*-?$"
"""JSON Schema form of :data:`toolkit.model.ID_RE` plus the no-``--`` rule."""


@dataclass(frozen=True)
class SchemaKind:
    """One file kind: schema ``name`` (file ``schemas/<name>.schema.json``), root ``model``,
    the corpus ``globs`` it applies to (relative to the project root) and a Chinese ``title``."""

    name: str
    model: type[BaseModel]
    globs: tuple[str, ...]
    title: str


SCHEMA_KINDS: list[SchemaKind] = [
    SchemaKind("measures", m.MeasuresFile, ("standards/measures/*.yaml",), "stdkit 措施文件"),
    SchemaKind("indicators", m.IndicatorsFile, ("standards/indicators/*.yaml",), "stdkit 指标文件"),
    SchemaKind("catalogue", m.StandardFile, ("standards/catalogue/*.yaml",), "stdkit 标准目录文件"),
    SchemaKind("drafts", m.DraftFile, ("standards/drafts/*.yaml",), "stdkit 标准草案文件"),
    SchemaKind("registry", m.RegistryFile, ("standards/registry/*.yaml",), "stdkit 登记表文件"),
    SchemaKind("reviews", m.ReviewFile, ("standards/reviews/*/*.yaml",), "stdkit 意见文件"),
]
"""Every file kind with a schema.  Add review rounds / plan files here, one line each."""


# ---------------------------------------------------------------------- vocabularies
@dataclass(frozen=True)
class Vocab:
    """Ids of registry and corpus records, used as ``enum`` (closed) or ``examples`` (open)."""

    closed: dict[str, list[str]]
    open: dict[str, list[str]]

    @classmethod
    def from_corpus(cls, corpus) -> "Vocab":
        """Read the vocabularies from a resolved :class:`toolkit.corpus.Corpus` (file order kept)."""
        levels = list(corpus.levels)
        plan_types = list(corpus.plan_types)
        return cls(
            closed={"level": levels, "plan_type": plan_types, "domain": list(corpus.domains),
                    "scale": list(corpus.scales), "unit": list(corpus.units)},
            open={"indicator": sorted(corpus.indicators), "goal": sorted(corpus.goals),
                  "standard": sorted(corpus.standards), "cell": list(corpus.cells),
                  "reference": sorted(corpus.references) + sorted(corpus.standards)},
        )


CLOSED_FIELDS: dict[str, str] = {
    "level": "level", "levels": "level", "plan_type": "plan_type", "plan_types": "plan_type",
    "domain": "domain", "domains": "domain", "scale": "scale",
    "Indicator.unit": "unit", "Target.unit": "unit",
}
"""Field (``name`` or ``Model.name``) → closed vocabulary (``enum``)."""

OPEN_FIELDS: dict[str, str] = {
    "indicator": "indicator", "indicators": "indicator", "goals": "goal", "Measure.standards": "standard",
    "Draft.standard": "standard", "Draft.normative_references": "reference",
}
"""Field (``name`` or ``Model.name``) → open set of existing ids (``examples``)."""


def _string_node(node: dict) -> dict | None:
    """The string schema a field holds: itself, its non-null ``anyOf`` branch, or its array items."""
    if node.get("type") == "string":
        return node
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        return _string_node(node["items"])
    for branch in node.get("anyOf", []):
        found = _string_node(branch)
        if found is not None:
            return found
    return None


def _vocab_key(table: dict[str, str], model: str, field: str) -> str | None:
    return table.get(f"{model}.{field}") or table.get(field)


def _draft07(node: Any) -> Any:
    """Pydantic's 2020-12 ``prefixItems`` (tuples) → draft-07 ``items`` arrays, recursively."""
    if isinstance(node, dict):
        out = {k: _draft07(v) for k, v in node.items()}
        if "prefixItems" in out:
            out["items"] = out.pop("prefixItems")
        return out
    if isinstance(node, list):
        return [_draft07(v) for v in node]
    return node


def _sourced(model: type[BaseModel]) -> bool:
    return issubclass(model, m.Sourced)


def _decorate(name: str, node: dict, model: type[BaseModel] | None, vocab: Vocab | None) -> None:
    desc = zh.model_description(name)
    if desc:
        node["description"] = desc
    node.pop("title", None)
    for fname, prop in node.get("properties", {}).items():
        prop.pop("title", None)
        field = model.model_fields.get(fname) if model is not None else None
        if field is not None and field.default_factory is list and "default" not in prop:
            # an empty list by default (a factory in the model, so that pydantic need not copy it)
            rest = dict(prop)
            prop.clear()
            prop.update({"default": [], **rest})
        fdesc = zh.field_description(name, fname)
        if fdesc:
            prop["description"] = fdesc
        s = _string_node(prop)
        if s is None:
            continue
        if fname == "id" and s.get("maxLength") == 80:
            s["pattern"] = ID_PATTERN
        if vocab is None:
            continue
        ck = _vocab_key(CLOSED_FIELDS, name, fname)
        if ck and vocab.closed.get(ck):
            s["enum"] = list(vocab.closed[ck])
            for k in ("minLength", "maxLength"):
                s.pop(k, None)
            continue
        ok = _vocab_key(OPEN_FIELDS, name, fname)
        if ok and vocab.open.get(ok):
            s["examples"] = list(vocab.open[ok])
    if model is not None and _sourced(model):
        node["anyOf"] = [{"required": ["source"], "properties": {"source": {"type": "string", "minLength": 1}}},
                         {"required": ["drafted"], "properties": {"drafted": {"const": True}}}]
    if model is m.Target:
        node["if"] = {"required": ["comparator"], "properties": {"comparator": {"const": "range"}}}
        node["then"] = {"required": ["value_max"]}
        node["else"] = {"not": {"required": ["value_max"]}}


def _models_by_name() -> dict[str, type[BaseModel]]:
    return {n: o for n, o in vars(m).items()
            if isinstance(o, type) and issubclass(o, BaseModel) and o.__module__ == m.__name__}


def schema_for(kind: SchemaKind, vocab: Vocab | None = None) -> dict:
    """JSON Schema (draft-07, a plain dict) of one file kind; ``vocab`` adds enums/examples (None: none)."""
    raw = copy.deepcopy(kind.model.model_json_schema(mode="validation"))
    raw = _draft07(raw)
    models = _models_by_name()
    defs = raw.pop("$defs", {})
    for name, node in defs.items():
        _decorate(name, node, models.get(name), vocab)
    root_name = kind.model.__name__
    _decorate(root_name, raw, kind.model, vocab)
    out: dict = {"$schema": "http://json-schema.org/draft-07/schema#",
                 "$id": f"https://stdkit.invalid/schemas/{kind.name}.schema.json",
                 "title": kind.title}
    out.update(raw)
    if defs:
        out["$defs"] = {k: defs[k] for k in sorted(defs)}
    return out


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def vscode_settings() -> dict:
    """``.vscode/settings.json`` content: ``yaml.schemas`` mapping each schema to its corpus folders."""
    return {
        # globs with a leading "/" are relative to the workspace root (yaml-language-server's documented form)
        "yaml.schemas": {f"./{SCHEMA_DIR}/{k.name}.schema.json": ["/" + g for g in k.globs] for k in SCHEMA_KINDS},
        "yaml.completion": True,
        "yaml.validate": True,
        "yaml.hover": True,
        "[yaml]": {"editor.quickSuggestions": {"other": True, "comments": False, "strings": True}},
    }


def render_schemas(corpus) -> dict[str, str]:
    """Every generated file as ``{path relative to the root: text}`` (schemas and editor settings).

    ``corpus`` is a resolved :class:`toolkit.corpus.Corpus` (its registry gives the
    enums); output is deterministic for a given corpus and models.
    """
    vocab = Vocab.from_corpus(corpus)
    files = {f"{SCHEMA_DIR}/{k.name}.schema.json": _dump(schema_for(k, vocab)) for k in SCHEMA_KINDS}
    files[".vscode/settings.json"] = _dump(vscode_settings())
    return files


def write_schemas(root: Path, corpus) -> list[Path]:
    """Write :func:`render_schemas` under ``root`` (each file atomically; unchanged files untouched).

    Returns the paths that changed.  Raises ``OSError`` when a file cannot be written.
    """
    changed: list[Path] = []
    for rel, text in render_schemas(corpus).items():
        p = root / rel
        if p.is_file() and p.read_text(encoding="utf-8") == text:
            continue
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(p)
        changed.append(p)
    return changed


def stale_schemas(root: Path, corpus) -> list[str]:
    """Relative paths of generated files that are missing or differ from what would be generated."""
    out = []
    for rel, text in render_schemas(corpus).items():
        p = root / rel
        if not p.is_file() or p.read_text(encoding="utf-8") != text:
            out.append(rel)
    return out
