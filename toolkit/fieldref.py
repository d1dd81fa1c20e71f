"""Chinese field reference (site page 编制者指南 → 字段参考), generated from the models.

:func:`field_reference` walks the file kinds of :data:`toolkit.schema.SCHEMA_KINDS`
and every model they contain (field order, so a new model or field shows up by
itself) and describes each field from the same JSON Schema the editor uses
(:func:`toolkit.schema.schema_for`): type, required/optional (with the default),
allowed values (``Literal`` vocabularies and the registry's levels, plan types,
domains, scales and units), the Chinese meaning (:mod:`toolkit.fields_zh`) and a
short example — the shortest value the corpus holds for that field, else
:data:`toolkit.fields_zh.EXAMPLES`.  Output is plain data (no HTML); the template
``templates/site/fields.html`` lays it out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from pydantic import BaseModel

from toolkit import fields_zh as zh
from toolkit import model as m
from toolkit import schema as sc

_VOCAB_NAMES = ("level", "plan_type", "domain", "scale", "unit")


@dataclass(frozen=True)
class FieldRow:
    """One field: ``name``, ``type`` (Chinese), ``required``, ``default`` (text or ""), ``values``
    (allowed values as ``(value, label)``), ``meaning``, ``example`` (YAML text or ""), ``link``
    (anchor of the model the field holds, or "")."""

    name: str
    type: str
    required: bool
    default: str
    values: tuple[tuple[str, str], ...]
    meaning: str
    example: str
    link: str = ""
    link_label: str = ""


@dataclass(frozen=True)
class ModelDoc:
    """One record kind or draft block: ``anchor`` (lowercase class name), Chinese ``name`` and
    ``description``, the ``files`` it is written in (file kinds only) and its ``fields``."""

    anchor: str
    name: str
    cls: str
    description: str
    group: str
    files: tuple[str, ...] = ()
    fields: list[FieldRow] = field(default_factory=list)


GROUPS = (("file", "文件类型"), ("registry", "登记表记录"), ("content", "措施、指标与标准目录"),
          ("draft", "草案"), ("block", "草案内容块"))
"""Section order of the page: (group key, heading)."""

_REGISTRY = {"PlanLevel", "PlanType", "PlanCell", "Domain", "Scale", "Goal", "Unit", "ExternalReference"}
_DRAFT = {"Draft", "Clause", "Term", "Annex", "RevisionRow"}


def _group(cls: str, is_file: bool) -> str:
    if is_file:
        return "file"
    if cls in _REGISTRY:
        return "registry"
    if cls in _DRAFT:
        return "draft"
    model = getattr(m, cls, None)
    if model is not None and ("type" in model.model_fields or cls == "ListItem"):
        return "block"
    return "content"


def _short_name(cls: str) -> str:
    desc = zh.model_description(cls) or cls
    cut = min([i for i in (desc.find("："), desc.find("（"), desc.find("。")) if i > 0] or [len(desc)])
    return desc[:cut]


def _ref_name(node: dict) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _type_text(node: dict) -> tuple[str, str]:
    """(Chinese type, linked model class or "") of a schema node."""
    ref = _ref_name(node)
    if ref:
        return _short_name(ref), ref
    if "anyOf" in node:
        parts = [b for b in node["anyOf"] if b.get("type") != "null"]
        if len(parts) == 1:
            return _type_text(parts[0])
        texts = [_type_text(b) for b in parts]
        return " 或 ".join(t for t, _ in texts), next((l for _, l in texts if l), "")
    if "oneOf" in node:
        tags = [node_tag for node_tag in (node.get("discriminator") or {}).get("mapping", {})]
        return "内容块（" + " | ".join(tags) + "）", "blocks"
    if "const" in node:
        return f"固定值 {node['const']}", ""
    t = node.get("type")
    if t == "string":
        if "enum" in node:
            return "取值之一", ""
        return ("编号" if node.get("maxLength") == 80 else "文字"), ""
    if t == "number":
        return "数字", ""
    if t == "integer":
        return "整数", ""
    if t == "boolean":
        return "true / false", ""
    if t == "array":
        items = node.get("items")
        if isinstance(items, list):
            return "[" + ", ".join(_type_text(i)[0] for i in items) + "]", ""
        if isinstance(items, dict):
            inner, link = _type_text(items)
            return f"列表（{inner}）", link
        return "列表", ""
    if t == "object":
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            inner, link = _type_text(extra)
            return f"映射（编号 → {inner}）", link
        return "映射", ""
    return "任意", ""


def _enum_of(node: dict) -> list:
    if "enum" in node:
        return list(node["enum"])
    for key in ("anyOf",):
        for b in node.get(key, []):
            found = _enum_of(b)
            if found:
                return found
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        return _enum_of(node["items"])
    return []


def _labels(corpus) -> dict[str, str]:
    out: dict[str, str] = {}
    for reg in (corpus.levels, corpus.plan_types, corpus.domains, corpus.scales):
        for k, v in reg.items():
            out.setdefault(k, v.name)
    for k, u in corpus.units.items():
        out.setdefault(k, u.name)
    return out


def _yaml_scalar(name: str, value) -> str:
    text = yaml.safe_dump({name: value}, allow_unicode=True, default_flow_style=True, width=10_000).strip()
    return text[1:-1] if text.startswith("{") and text.endswith("}") else text


def _length_bound(name: str, value) -> int:
    """A lower bound of ``len(_yaml_scalar(name, value))``: YAML writes a scalar as its text or
    longer (quotes, escapes), a list as ``[a, b]``."""
    if isinstance(value, list):
        return len(name) + 2 + 2 + sum(len(str(v)) for v in value) + 2 * max(0, len(value) - 1)
    return len(name) + 2 + len(str(value))


def corpus_examples(corpus) -> dict[str, str]:
    """``"Model.field"`` → the shortest YAML example of that field in the corpus (scalars and lists of scalars)."""
    best: dict[str, str] = {}

    def visit(obj: BaseModel) -> None:
        cls = type(obj).__name__
        for fname in obj.model_fields_set:
            value = getattr(obj, fname)
            if isinstance(value, BaseModel):
                visit(value)
                continue
            if isinstance(value, list):
                models = [v for v in value if isinstance(v, BaseModel)]
                for v in models:
                    visit(v)
                if models or not value:
                    continue
                value = value[:2]
            if isinstance(value, dict) or value is None or value == "":
                continue
            if isinstance(value, tuple):
                value = list(value)
            key = f"{cls}.{fname}"
            if key in best and _length_bound(fname, value) >= len(best[key]):
                continue  # its YAML cannot be shorter than the example found: not dumped at all
            text = _yaml_scalar(fname, value)
            if key not in best or len(text) < len(best[key]):
                best[key] = text

    regs = (corpus.levels, corpus.plan_types, corpus.cells, corpus.domains, corpus.scales, corpus.goals,
            corpus.units, corpus.references, corpus.measures, corpus.indicators, corpus.standards, corpus.drafts)
    for reg in regs:
        for rec in reg.values():
            visit(rec)
    return best


def field_reference(corpus) -> list[tuple[str, str, list[ModelDoc]]]:
    """The page's sections: ``[(group key, heading, [ModelDoc …]) …]`` in :data:`GROUPS` order.

    ``corpus`` is a resolved :class:`toolkit.corpus.Corpus` (vocabularies and examples).
    """
    vocab = sc.Vocab.from_corpus(corpus)
    labels = _labels(corpus)
    examples = corpus_examples(corpus)
    docs: dict[str, ModelDoc] = {}
    for kind in sc.SCHEMA_KINDS:
        schema = sc.schema_for(kind, vocab)
        defs = schema.get("$defs", {})
        order = [kind.model.__name__] + _walk_order(schema, defs)
        for cls in order:
            if cls in docs:
                continue
            node = schema if cls == kind.model.__name__ else defs[cls]
            is_file = cls == kind.model.__name__
            doc = ModelDoc(anchor=cls.lower(), name=(kind.title.removeprefix("stdkit ") if is_file else _short_name(cls)),
                           cls=cls, description=zh.model_description(cls) or "", group=_group(cls, is_file),
                           files=kind.globs if is_file else ())
            required = set(node.get("required", []))
            for fname, prop in node.get("properties", {}).items():
                ftype, link = _type_text(prop)
                values = tuple((str(v), labels.get(str(v), "") if _vocab_field(fname) else "")
                               for v in _enum_of(prop))
                default = "" if fname in required or "default" not in prop else _default_text(prop["default"])
                ex = examples.get(f"{cls}.{fname}") or zh.EXAMPLES.get(f"{cls}.{fname}", "")
                doc.fields.append(FieldRow(fname, ftype, fname in required, default, values,
                                           zh.field_description(cls, fname) or "", ex,
                                           link=link.lower() if link and link != "blocks" else ("blocks" if link else ""),
                                           link_label=_short_name(link) if link and link != "blocks" else ""))
            docs[cls] = doc
    out = []
    for key, heading in GROUPS:
        members = [d for d in docs.values() if d.group == key]
        if members:
            out.append((key, heading, members))
    return out


def _vocab_field(fname: str) -> bool:
    return any(fname.startswith(v) for v in _VOCAB_NAMES)


def _default_text(v) -> str:
    if v is None:
        return "空"
    if v == [] or v == {}:
        return "空列表" if v == [] else "空映射"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _walk_order(schema: dict, defs: dict) -> list[str]:
    """Model names in the order their fields first mention them (depth-first, field order)."""
    seen: list[str] = []

    def refs(node):
        if isinstance(node, dict):
            r = _ref_name(node)
            if r:
                yield r
            for k, v in node.items():
                if k != "$defs":
                    yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    def visit(node):
        for r in refs(node.get("properties", {})):
            if r not in seen and r in defs:
                seen.append(r)
                visit(defs[r])

    visit(schema)
    return seen
