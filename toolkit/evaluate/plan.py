"""Read a plan for ``stdkit evaluate``: its metadata and indicator values, as a :class:`Plan`.

Formats (chosen by suffix):

* **YAML** — ``plan:`` (``name``, ``level``, ``plan_type``, ``year``, ``facets``), ``values:``
  (indicator id or Chinese name → a number, ``{value, unit, facets}`` or a list of those) and
  optional ``limits:`` (the local limits of 约束性 indicators whose value the local plan sets,
  ``set_locally``: ``{indicator, comparator, value[, value_max], source}``);
* **CSV** — columns ``indicator,value[,unit]`` and any facet ids (``land-use`` …) as further
  columns; metadata from :class:`PlanOptions` (``--level --plan-type --year --facet``);
* **XLSX** — the same columns on a ``values`` sheet (else the first sheet), metadata on an
  optional ``plan`` sheet (two columns: key, value; keys ``name level plan_type year`` or a
  facet id);
* **GeoPackage** — see :mod:`toolkit.evaluate.geometry`.

Values are converted into each indicator's unit (:mod:`toolkit.evaluate.units`).  Bad input is a
:class:`~toolkit.findings.Finding` naming file and row (codes below); no exception reaches the user.
"""
from __future__ import annotations

import csv
import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.corpus import Corpus
from toolkit.evaluate import units as U
from toolkit.findings import Finding, Location

CODES: dict[str, dict[str, str]] = {
    "E981": {"severity": "error", "title": "plan file cannot be read (format, syntax or layout)",
             "fix": "give a .yaml/.yml, .csv, .xlsx or .gpkg plan laid out as `stdkit evaluate --help` describes"},
    "E982": {"severity": "error", "title": "plan names an unknown indicator",
             "fix": "use an indicator id (ind-…) or its Chinese name; see the suggestion"},
    "E983": {"severity": "error", "title": "plan value in a unit that does not convert to the indicator's unit",
             "fix": "give the value in the indicator's unit, or in a unit of the same dimension (hm² for m², km for m …)"},
    "E984": {"severity": "error", "title": "plan names a facet or facet value not in the vocabulary",
             "fix": "use facet ids and values of standards/registry/facets.yaml"},
    "E985": {"severity": "error", "title": "plan metadata missing or invalid (level, plan type, year)",
             "fix": "state level and plan type of a 五级三类 cell (e.g. municipal + detailed) and a four-digit year"},
    "E986": {"severity": "error", "title": "plan value is not a number",
             "fix": "write a plain number (no thousands separators, no unit in the value cell)"},
    "E987": {"severity": "error", "title": "local limit (`limits:`) invalid",
             "fix": "write `{indicator, comparator: '<=' | '>=' | '<' | '>' | '=' | range, value[, value_max], source}`"},
}
"""Finding codes of plan input (collected by :mod:`toolkit.codes`)."""

PLAN_KEYS = ("name", "level", "plan_type", "year")


@dataclass
class PlanValue:
    """One indicator value of a plan, already in the indicator's unit.

    ``given`` is the value as written (``"35 hm²"``); ``facets`` the facets of this value
    alone (e.g. ``{"land-use": "0701"}``); ``origin`` ``supplied`` or ``computed``; ``where``
    names the file and row/feature; ``note`` e.g. the formula of a computed value.
    """

    indicator: str
    value: float
    given: str
    facets: dict[str, str] = field(default_factory=dict)
    origin: str = "supplied"
    where: str = ""
    note: str = ""


@dataclass
class LocalLimit:
    """A limit the plan states for a 约束性 indicator set locally (e.g. 上位规划传导的容积率上限)."""

    indicator: str
    comparator: str
    value: float
    value_max: float | None
    source: str
    where: str = ""


@dataclass
class Plan:
    """A plan to evaluate: 五级三类 cell, horizon year, facets, values and local limits."""

    path: Path
    name: str = ""
    level: str | None = None
    plan_type: str | None = None
    year: int | None = None
    facets: dict[str, list[str]] = field(default_factory=dict)
    values: list[PlanValue] = field(default_factory=list)
    limits: list[LocalLimit] = field(default_factory=list)


@dataclass
class PlanOptions:
    """Metadata given on the command line (override what the file says)."""

    name: str | None = None
    level: str | None = None
    plan_type: str | None = None
    year: int | None = None
    facets: list[str] = field(default_factory=list)  # "KEY=VALUE"


class _Reader:
    """Shared validation for all formats; collects findings."""

    def __init__(self, corpus: Corpus, path: Path, root: Path | None = None):
        self.c = corpus
        self.path = path
        try:
            self.rel = path.resolve().relative_to((root or Path.cwd()).resolve()).as_posix()
        except ValueError:
            self.rel = path.as_posix()
        self.findings: list[Finding] = []
        self.by_name: dict[str, str] = {}
        for ind in corpus.indicators.values():
            self.by_name[ind.id] = ind.id
            self.by_name.setdefault(ind.name, ind.id)
            if ind.name_en:
                self.by_name.setdefault(ind.name_en.lower(), ind.id)

    def loc(self, line: int = 0, col: int = 0) -> Location:
        return Location(self.rel, line, col)

    def err(self, code: str, msg: str, line: int = 0, hint: str = "") -> None:
        self.findings.append(Finding(code, "error", msg, self.loc(line, 1 if line else 0),
                                     hint or CODES[code]["fix"]))

    # ---------------------------------------------------------------- pieces
    def indicator(self, name, line: int) -> str | None:
        key = str(name).strip()
        iid = self.by_name.get(key) or self.by_name.get(key.lower())
        if iid:
            return iid
        options = sorted(set(self.by_name) - {k for k in self.by_name if k.islower() and not k.startswith("ind-")})
        close = difflib.get_close_matches(key, options, n=3, cutoff=0.5)
        if not close:  # Chinese names: substring match is the more useful guess
            close = [n for n in options if key and (key in n or n in key)][:3]
        hint = ("did you mean " + ", ".join(f"`{x}`（{self.c.indicators[self.by_name[x]].name}）" if x.startswith("ind-")
                                             else f"`{x}`" for x in close) + "?") if close else \
            "list indicators with their ids on the site's 指标 page or in build/indicators/indicators.csv"
        self.err("E982", f"unknown indicator `{key}`", line, hint)
        return None

    def number(self, raw, line: int, what: str) -> float | None:
        if isinstance(raw, bool):
            raw = None
        if isinstance(raw, (int, float)) and math.isfinite(float(raw)):
            return float(raw)
        try:
            v = float(str(raw).strip())
            if math.isfinite(v):
                return v
        except (TypeError, ValueError):
            pass
        self.err("E986", f"{what}: `{raw}` is not a number", line)
        return None

    def facet(self, key: str, value, line: int) -> tuple[str, str] | None:
        k = str(key).strip()
        v = str(value).strip()
        f = self.c.facets.get(k)
        if f is None:
            close = difflib.get_close_matches(k, sorted(self.c.facets), n=1, cutoff=0.5)
            self.err("E984", f"unknown facet `{k}`", line,
                     f"did you mean `{close[0]}`?" if close else f"facets: {', '.join(sorted(self.c.facets))}")
            return None
        ids = {x.id for x in f.values}
        by_name = {x.name: x.id for x in f.values}
        if v in by_name:
            v = by_name[v]
        if v in ids or (f.hierarchical and any(v.startswith(i) for i in ids) and v.isdigit()):
            return k, v
        close = difflib.get_close_matches(v, sorted(ids | set(by_name)), n=2, cutoff=0.4)
        self.err("E984", f"`{v}` is not a value of facet `{k}`（{f.name}）", line,
                 ("did you mean " + ", ".join(f"`{x}`" for x in close) + "?") if close
                 else f"values: {', '.join(sorted(ids)[:15])}")
        return None

    def value(self, iid: str, raw, unit, facets: dict, line: int, where: str) -> PlanValue | None:
        ind = self.c.indicators[iid]
        v = self.number(raw, line, f"value of `{iid}`（{ind.name}）")
        if v is None:
            return None
        given = f"{raw}"
        if unit not in (None, ""):
            unit_s = str(unit).strip()
            conv = U.convert(v, unit_s, ind.unit)
            if conv is None:
                self.err("E983", f"value of `{iid}`（{ind.name}）is in `{unit_s}`, which does not convert to the "
                                 f"indicator's unit `{ind.unit}`", line,
                         f"give it in {' or '.join(f'`{u}`' for u in U.convertible_units(ind.unit))}")
                return None
            given = f"{raw} {unit_s}"
            v = conv
        out: dict[str, str] = {}
        for k, fv in (facets or {}).items():
            if fv in (None, ""):
                continue
            got = self.facet(k, fv, line)
            if got:
                out[got[0]] = got[1]
        return PlanValue(iid, v, given, out, "supplied", where)

    def limit(self, item, line: int, where: str) -> LocalLimit | None:
        """A local limit from a mapping ``{indicator, comparator, value[, value_max], source}`` (E987 if invalid)."""
        if not isinstance(item, dict) or not {"indicator", "comparator", "value", "source"} <= set(item):
            self.err("E987", "a limit needs indicator, comparator, value and source", line)
            return None
        iid = self.indicator(item["indicator"], line)
        comp = str(item["comparator"]).strip()
        has_max = item.get("value_max") not in (None, "") and not (isinstance(item.get("value_max"), float)
                                                                   and math.isnan(item["value_max"]))
        if comp not in (">=", "<=", ">", "<", "=", "range") or (comp == "range") != has_max:
            self.err("E987", f"limit for `{item['indicator']}`: comparator `{comp}` "
                             "(range needs value_max; the others must not have it)", line)
            return None
        v = self.number(item["value"], line, "limit value")
        vmax = self.number(item["value_max"], line, "limit value_max") if comp == "range" else None
        if iid and v is not None and (comp != "range" or vmax is not None):
            return LocalLimit(iid, comp, v, vmax, str(item["source"]), where)
        return None

    def meta(self, plan: Plan, raw: dict, line_of) -> None:
        """Apply metadata ``raw`` (name, level, plan_type, year, facets) to ``plan``."""
        for key, val in raw.items():
            if val in (None, ""):
                continue
            if key == "name":
                plan.name = str(val).strip()
            elif key in ("level", "plan_type"):
                reg = self.c.levels if key == "level" else self.c.plan_types
                s = str(val).strip()
                hit = s if s in reg else next((x.id for x in reg.values() if x.name == s), None)
                if hit is None:
                    close = difflib.get_close_matches(s, sorted(reg), n=1, cutoff=0.5)
                    self.err("E985", f"unknown {key} `{s}`", line_of(key),
                             f"did you mean `{close[0]}`?" if close else
                             f"one of: {', '.join(f'{x.id} ({x.name})' for x in reg.values())}")
                else:
                    setattr(plan, key, hit)
            elif key == "year":
                try:
                    y = int(str(val).strip().split(".")[0])
                    if not 1900 <= y <= 2200:
                        raise ValueError
                    plan.year = y
                except ValueError:
                    self.err("E985", f"year `{val}` is not a four-digit year", line_of(key))
            elif key == "facets":
                if not isinstance(val, dict):
                    self.err("E981", "`facets:` must be a mapping of facet id → value (or list of values)", line_of(key))
                    continue
                for fk, fv in val.items():
                    for one in (fv if isinstance(fv, list) else [fv]):
                        if one in (None, ""):
                            continue  # a facet left empty (e.g. in a template's plan sheet)
                        got = self.facet(fk, one, line_of(key))
                        if got:
                            plan.facets.setdefault(got[0], []).append(got[1])
            elif key in self.c.facets:
                got = self.facet(key, val, line_of(key))
                if got:
                    plan.facets.setdefault(got[0], []).append(got[1])
            else:
                close = difflib.get_close_matches(str(key), list(PLAN_KEYS) + ["facets"] + sorted(self.c.facets), n=1)
                self.err("E981", f"unknown plan field `{key}`", line_of(key),
                         f"did you mean `{close[0]}`?" if close else f"fields: {', '.join(PLAN_KEYS)}, facets")

    def options(self, plan: Plan, opts: PlanOptions | None) -> None:
        if not opts:
            return
        raw = {k: getattr(opts, k) for k in PLAN_KEYS if getattr(opts, k) not in (None, "")}
        self.meta(plan, raw, lambda k: 0)
        for item in opts.facets:
            if "=" not in item:
                self.err("E984", f"--facet `{item}` is not KEY=VALUE", 0, "e.g. --facet area-type=new-district")
                continue
            k, v = item.split("=", 1)
            got = self.facet(k, v, 0)
            if got:
                plan.facets[got[0]] = [got[1]]

    def finish(self, plan: Plan) -> None:
        if not plan.level or not plan.plan_type:
            missing = " and ".join(k for k in ("level", "plan_type") if not getattr(plan, k))
            if not any(f.code == "E985" for f in self.findings):
                self.err("E985", f"the plan does not state its {missing}", 0,
                         "YAML: `plan: {level: municipal, plan_type: detailed}`; CSV: --level/--plan-type; "
                         "XLSX: a `plan` sheet; GeoPackage: a `plan` layer")
        elif self.c.cell_of(plan.level, plan.plan_type) is None:
            self.err("E985", f"{plan.level} × {plan.plan_type} is not a 五级三类 cell", 0,
                     "cells: " + ", ".join(x.id for x in self.c.cells_sorted()))
        if not plan.name:
            plan.name = self.path.stem


# -------------------------------------------------------------------------- YAML
def _read_yaml(r: _Reader, plan: Plan) -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    y = YAML(typ="rt")
    try:
        data = y.load(r.path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        r.err("E981", "plan file is not UTF-8 text")
        return
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        r.err("E981", f"YAML error: {getattr(exc, 'problem', None) or exc}", (mark.line + 1) if mark else 0)
        return
    if not isinstance(data, dict) or "values" not in data and "plan" not in data:
        r.err("E981", "a YAML plan needs `plan:` (metadata) and `values:` (indicator → value)", 1)
        return

    def line(node, key) -> int:
        try:
            return node.lc.key(key)[0] + 1
        except Exception:  # noqa: BLE001 - positions are best-effort
            return 0

    for key in data:
        if key not in ("plan", "values", "limits"):
            r.err("E981", f"unknown top-level key `{key}`", line(data, key), "use plan:, values: and limits:")
    meta = data.get("plan") or {}
    if not isinstance(meta, dict):
        r.err("E981", "`plan:` must be a mapping", line(data, "plan"))
    else:
        r.meta(plan, dict(meta), lambda k: line(meta, k))
    values = data.get("values") or {}
    if not isinstance(values, dict):
        r.err("E981", "`values:` must map indicator id or name → value", line(data, "values"))
        values = {}
    for key, raw in values.items():
        ln = line(values, key)
        iid = r.indicator(key, ln)
        if iid is None:
            continue
        items = raw if isinstance(raw, list) else [raw]
        for i, item in enumerate(items):
            iln = ln
            if isinstance(item, dict):
                try:
                    iln = item.lc.line + 1
                except Exception:  # noqa: BLE001
                    pass
                extra = set(item) - {"value", "unit", "facets"}
                if extra:
                    r.err("E981", f"`{key}`: unknown field(s) {', '.join(sorted(map(str, extra)))}", iln,
                          "a value is a number or {value, unit, facets}")
                    continue
                if "value" not in item:
                    r.err("E986", f"`{key}`: no `value:`", iln)
                    continue
                pv = r.value(iid, item["value"], item.get("unit"), dict(item.get("facets") or {}), iln,
                             f"{r.rel}:{iln}")
            else:
                pv = r.value(iid, item, None, {}, iln, f"{r.rel}:{iln}")
            if pv:
                plan.values.append(pv)
    limits = data.get("limits") or []
    if not isinstance(limits, list):
        r.err("E987", "`limits:` must be a list", line(data, "limits"))
        limits = []
    for item in limits:
        iln = getattr(getattr(item, "lc", None), "line", -1) + 1
        lim = r.limit(item, iln, f"{r.rel}:{iln}")
        if lim:
            plan.limits.append(lim)


# -------------------------------------------------------------------------- CSV / XLSX
HEADER_ALIASES = {"指标编号": "indicator", "方案值": "value", "单位": "unit", "说明": "note"}
"""Chinese column headings (as in the evaluation template XLSX) → the column keys."""
INFO_COLUMNS = {"指标名称", "性质", "目标值", "适用条件", "依据", "name", "kind", "target", "source"}
"""Columns a template carries for reading only (ignored when the plan is read back)."""


def _read_rows(r: _Reader, plan: Plan, header: list, rows: list[tuple[int, list]]) -> None:
    by_facet_name = {f.name: f.id for f in r.c.facets.values()}
    head = [str(h).strip() if h is not None else "" for h in header]
    head = [HEADER_ALIASES.get(h, by_facet_name.get(h, h)) for h in head]
    head = ["" if h in INFO_COLUMNS else h for h in head]
    if "indicator" not in head or "value" not in head:
        r.err("E981", f"the header row must have columns `indicator` and `value` (found: {', '.join(h for h in head if h)})", 1)
        return
    facet_cols = [h for h in head if h and h not in ("indicator", "value", "unit", "note")]
    for h in facet_cols:
        if h not in r.c.facets:
            close = difflib.get_close_matches(h, sorted(r.c.facets), n=1, cutoff=0.5)
            r.err("E984", f"column `{h}` is neither indicator/value/unit/note nor a facet id", 1,
                  f"did you mean `{close[0]}`?" if close else f"facets: {', '.join(sorted(r.c.facets))}")
    idx = {h: i for i, h in enumerate(head) if h}
    for line, row in rows:
        cells = list(row) + [None] * (len(head) - len(row))
        if all(x in (None, "") for x in cells):
            continue
        name = cells[idx["indicator"]]
        if name in (None, ""):
            r.err("E982", "row without an indicator", line)
            continue
        iid = r.indicator(name, line)
        if iid is None:
            continue
        if cells[idx["value"]] in (None, ""):
            continue  # a row without a value: not supplied (e.g. an unfilled template row)
        unit = cells[idx["unit"]] if "unit" in idx else None
        facets = {h: cells[idx[h]] for h in facet_cols if h in r.c.facets}
        pv = r.value(iid, cells[idx["value"]], unit, facets, line, f"{r.rel}:{line}")
        if pv:
            plan.values.append(pv)


def _read_csv(r: _Reader, plan: Plan) -> None:
    try:
        text = r.path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        r.err("E981", "CSV is not UTF-8 text", 0, "save the CSV as UTF-8 (Excel: CSV UTF-8)")
        return
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        r.err("E981", "CSV is empty")
        return
    _read_rows(r, plan, rows[0], [(i + 2, row) for i, row in enumerate(rows[1:])])


def _read_xlsx(r: _Reader, plan: Plan) -> None:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(r.path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        r.err("E981", f"XLSX cannot be opened: {exc}")
        return
    names = wb.sheetnames
    if "plan" in names:
        meta: dict = {}
        lines: dict = {}
        for i, row in enumerate(wb["plan"].iter_rows(values_only=True), start=1):
            if row and row[0] not in (None, "") and str(row[0]).strip() not in ("key", "项目"):
                k = str(row[0]).strip()
                v = row[1] if len(row) > 1 else None
                if k in r.c.facets:
                    meta.setdefault("facets", {})[k] = v
                    lines["facets"] = i
                else:
                    meta[k] = v
                    lines[k] = i
        r.meta(plan, meta, lambda k: lines.get(k, 0))
    data_sheet = "values" if "values" in names else next((n for n in names if n != "plan"), None)
    if data_sheet is None:
        r.err("E981", "XLSX has no `values` sheet")
        return
    rows = list(wb[data_sheet].iter_rows(values_only=True))
    if not rows:
        r.err("E981", f"sheet `{data_sheet}` is empty")
        return
    _read_rows(r, plan, list(rows[0]), [(i + 2, list(row)) for i, row in enumerate(rows[1:])])
    wb.close()


def read_plan(path: Path, corpus: Corpus, options: PlanOptions | None = None,
              root: Path | None = None, gpkg=None) -> tuple[Plan | None, list[Finding]]:
    """Read the plan at ``path``; returns ``(plan, findings)`` — ``plan`` is ``None`` when errors were found.

    Findings point at the file and row (``Location(file, line)``); errors mean the plan
    cannot be evaluated (the caller writes no report).  GeoPackages need ``gpkg``, the reader
    :func:`toolkit.evaluate.geometry.read_gpkg_plan` (passed in by :func:`toolkit.evaluate.read.read_plan`,
    so that this module does not import the GIS stack).
    """
    path = Path(path)
    r = _Reader(corpus, path, root)
    plan = Plan(path=path)
    suffix = path.suffix.lower()
    if not path.is_file():
        r.err("E981", f"no such plan file: {path}")
        return None, r.findings
    if suffix in (".yaml", ".yml"):
        _read_yaml(r, plan)
    elif suffix == ".csv":
        _read_csv(r, plan)
    elif suffix in (".xlsx", ".xlsm"):
        _read_xlsx(r, plan)
    elif suffix == ".gpkg" and gpkg is not None:
        gplan, gfind = gpkg(path, corpus, r)
        r.findings.extend(f for f in gfind if f not in r.findings)
        if gplan is not None:
            plan = gplan
    else:
        r.err("E981", f"unsupported plan format `{suffix or path.name}`", 0, CODES["E981"]["fix"])
        return None, r.findings
    r.options(plan, options)
    r.finish(plan)
    if any(f.is_error for f in r.findings):
        return None, r.findings
    return plan, r.findings
