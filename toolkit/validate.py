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
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from toolkit import model as m
from toolkit.findings import Finding
from toolkit.load import SourceFile
from toolkit.vocabulary import REGISTRY_LISTS
from toolkit.locate import describe

CODES: dict[str, dict[str, str]] = {
    "E006": {"severity": "error", "title": "unknown top-level key or mixed file kinds",
             "fix": "use measures:, indicators:, standard:, draft:, review: or registry lists, one kind per file"},
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
                                              "cell_matrix", "str", "constrained-str", "ListItem") and out and isinstance(out[-1], int):
            continue
        if isinstance(part, str) and part.startswith("function-"):
            continue
        out.append(part)
    return tuple(out)


_VALUE_ERRORS = (
    ("needs `source", "记录须写 `source: \"004 §x.y\"`（报告出处）或 `drafted: true`（新起草）"),
    ("comparator `range` needs `value_max`", "comparator 为 `range` 时须写 `value_max`（区间上限）"),
    ("`value_max` is only for comparator `range`", "`value_max` 只用于 `comparator: range`"),
)


def _zh_error(err: dict) -> str:
    """A pydantic error as a Chinese sentence (field names and values stay as written)."""
    typ, ctx = err["type"], err.get("ctx") or {}
    if typ == "literal_error":
        return f"取值应为 {ctx.get('expected', '').replace(' or ', ', ')} 之一"
    if typ == "union_tag_invalid":
        return f"未知的块类型 `{ctx.get('tag')}`；`type:` 应为 {ctx.get('expected_tags')} 之一"
    if typ == "union_tag_not_found":
        return "缺少 `type:`（p、list、note、example、table、indicator_table、cell_matrix）"
    if typ in ("float_parsing", "float_type", "decimal_parsing"):
        return "应为数字"
    if typ in ("int_parsing", "int_type", "int_from_float"):
        return "应为整数"
    if typ in ("bool_parsing", "bool_type"):
        return "应为 true 或 false"
    if typ == "string_type":
        return "应为文字"
    if typ in ("list_type", "tuple_type"):
        return "应为列表（`- 项` 或 `[a, b]`）"
    if typ in ("dict_type", "model_type", "model_attributes_type"):
        return "应为映射（`字段: 值`）"
    if typ in ("too_short", "too_long"):
        return f"项数或长度不符（{err['msg']}）"
    if typ == "value_error":
        msg = str(err["msg"]).replace("Value error, ", "")
        for needle, zh in _VALUE_ERRORS:
            if needle in msg:
                return zh
        return msg
    return str(err["msg"])


def _errors_to_findings(exc: ValidationError, sf: SourceFile, base: tuple) -> list[Finding]:
    findings: list[Finding] = []
    for err in exc.errors(include_url=False):
        path = base + _loc_path(tuple(err["loc"]))
        typ = err["type"]
        msg = err["msg"]
        if typ == "extra_forbidden":
            name = str(path[-1])
            close = difflib.get_close_matches(name, sorted(FIELD_NAMES), n=1, cutoff=0.6)
            hint = (f"是否应为 `{close[0]}`？" if close
                    else "删除该字段，或查看字段参考（网站 编制者指南 → 字段参考）")
            where = describe(sf.data, path[:-1])
            findings.append(Finding("E101", "error", f"未知字段 `{name}`" + (f"（{where}）" if where else ""),
                                    sf.key_loc(path), hint))
        elif typ == "missing" and not isinstance(path[-1], int):
            where = describe(sf.data, path[:-1])
            findings.append(Finding("E103", "error", f"缺少必填字段 `{path[-1]}`" + (f"（{where}）" if where else ""),
                                    sf.loc(path[:-1]), f"在此记录中加上 `{path[-1]}:`"))
        elif "is not safe" in msg:
            findings.append(Finding("E104", "error",
                                    f"编号 {err.get('input')!r} 不安全（{describe(sf.data, path)}）：编号用作文件名和网址，"
                                    "只能用小写英文字母、数字和单个连字符",
                                    sf.loc(path), "改名，如 `m-municipal-detailed-energy-01`"))
        else:
            where = describe(sf.data, path) or ".".join(str(p) for p in path)
            value = err.get("input")
            shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
            findings.append(Finding("E102", "error", f"{where}：{_zh_error(err)}（实际为 {shown}）",
                                    sf.loc(path), "改为正确的类型或允许的取值（编辑器补全与字段参考列出允许值）"))
    return findings


def _validate_list(sf: SourceFile, key: str, item_model: type[BaseModel], findings: list[Finding]) -> list:
    """Validate a list of records one by one so one bad record does not hide the others."""
    items = sf.data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        findings.append(Finding("E102", "error", f"`{key}` 应为列表", sf.loc((key,)),
                                f"写 `{key}:`，下面每项以 `- ` 开头"))
        return []
    good = []
    for i, item in enumerate(items):
        try:
            good.append(item_model.model_validate(item))
        except ValidationError as exc:
            findings.extend(_errors_to_findings(exc, sf, (key, i)))
    return good


_LIST_ITEM: dict[str, type[BaseModel]] = {
    "measures": m.Measure,
    "indicators": m.Indicator,
    # every registry list of toolkit.vocabulary, with the item model its RegistryFile field declares
    **{key: get_args(m.RegistryFile.model_fields[key].annotation)[0] for key, _ in REGISTRY_LISTS},
}


def validate_file(sf: SourceFile) -> tuple[ValidFile | None, list[Finding]]:
    """Validate one parsed file; returns the valid part (or None) and findings."""
    findings: list[Finding] = []
    keys = list(sf.data)
    unknown = [k for k in keys if k not in m.FILE_KINDS and k not in m.REGISTRY_KEYS]
    for k in unknown:
        close = difflib.get_close_matches(str(k), TOP_KEYS, n=1, cutoff=0.6)
        findings.append(Finding("E006", "error", f"未知的顶层键 `{k}`", sf.key_loc((k,)),
                                f"是否应为 `{close[0]}`？" if close else f"顶层键只能是：{', '.join(TOP_KEYS)}"))
    kinds = [k for k in keys if k in m.FILE_KINDS]
    if len(kinds) > 1 or (kinds and any(k in m.REGISTRY_KEYS for k in keys)):
        findings.append(Finding("E006", "error", f"一个文件混用了多种内容：{', '.join(map(str, keys))}", sf.loc(()),
                                "措施、指标、标准目录和草案各放在单独的文件中"))
        return None, findings
    if kinds in (["measures"], ["indicators"]):
        key = kinds[0]
        good = _validate_list(sf, key, _LIST_ITEM[key], findings)
        model = m.FILE_KINDS[key].model_construct(**{key: good})
        return ValidFile(sf, key, model), findings
    if kinds in (["standard"], ["draft"], ["review"]):
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
