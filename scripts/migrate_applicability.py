#!/usr/bin/env python3
"""Give every target of the corpus a structured applicability (``applies:``), re-runnably.

Usage (from the project root)::

    .venv/bin/python scripts/migrate_applicability.py          # rewrite files in place
    .venv/bin/python scripts/migrate_applicability.py --check  # exit 1 if a file would change

Every mapping in a ``targets:`` list under ``standards/{measures,indicators,catalogue,drafts}``
is matched, by its free-text ``context``, against :data:`RULES` (first match wins):

* a rule with ``case`` marks a case-study reference value (``case:`` added when absent);
  case values never apply, so they get no ``applies``;
* a rule with ``applies`` (a dict of facet id → value ids of ``standards/registry/facets.yaml``;
  ``{}`` = the whole level × plan type) writes ``applies:`` after ``context``;
* a rule with ``applies=None`` says the applicability cannot be stated (the check reports the
  target as W404), so nothing is written.

The script is idempotent (a second run changes nothing), edits through ruamel.yaml's
round-trip mode (comments, order and quoting kept) and never overwrites an ``applies:`` that
differs from what its rule says (a drafter's edit wins; the script lists it).  A target whose
context matches no rule is listed and makes the script exit 1: add a rule to the table.
"""
from __future__ import annotations

import argparse
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


@dataclass(frozen=True)
class Rule:
    """``pattern`` (regex searched in ``context``) → applicability, or a case marker."""

    pattern: str
    applies: dict | None = None
    case: str | None = None
    why: str = ""


CTY = {"area-type": ["county-town-built-up"]}

RULES: list[Rule] = [
    # case-study reference values (案例): never targets
    Rule(r"^纽约案例", case="纽约区划"),
    Rule(r"^深圳案例", case="深圳市城市规划标准与准则（2021年）"),
    Rule(r"^上海新城案例", case="上海市新城绿色低碳试点区建设导则（试行）"),
    Rule(r"^国外参考值.*德国", case="德国《陆上风能法》"),
    Rule(r"^德国陆上风电用地", case="德国《陆上风能法》"),
    # county towns (§7.8)
    Rule(r"^县城建成区人口密度", applies=CTY),
    Rule(r"^县城建成区建筑总面积与建设用地面积的比值", applies=CTY),
    Rule(r"^县城新建建筑中 ?6 ?层及以下", applies=CTY),
    # new districts and built-up areas (§7.5)
    Rule(r"^城市新区外部空间形态紧凑度", applies={"area-type": ["new-district"]}),
    Rule(r"^城市新区及建成区(公园绿地500 ?(米|m)|人均公园绿地)", applies={"area-type": ["new-district", "built-up-area"]}),
    # whole cell: the indicator itself names what it is about
    Rule(r"^(社区)?微电网", applies={}),
    Rule(r"^(建筑用能|2035年新建建筑|医疗机构医疗废物|地面绿化)$", applies={}),
    Rule(r"^规划建筑用能中电力消费比例", applies={}),
    Rule(r"^至2035年新建建筑中装配式建筑比例", applies={}),
    Rule(r"^医疗废物集中处置率", applies={}),
    Rule(r"^城市生活垃圾", applies={}),
    Rule(r"^生活垃圾收集站", applies={}),
    Rule(r"^绿化空间内乔灌木占比", applies={}),
    Rule(r"^\"?市级工业用地(“标准地”)?出让", applies={}),
    # land uses of 用地用海分类
    Rule(r"^(新产业新业态发展中)?工业用地、科教用地兼容", applies={"land-use": ["1001", "0802"]}),
    # underground layers (§7.6(四)11))
    Rule(r"^地下10米以内的浅层", applies={"underground-layer": ["shallow"]}),
    Rule(r"^10m~30m次浅层", applies={"underground-layer": ["sub-shallow"]}),
    Rule(r"^30m以下的次深层", applies={"underground-layer": ["sub-deep"]}),
    Rule(r"^50m及以下的深层", applies={"underground-layer": ["deep"]}),
    Rule(r"^浅层地下空间", applies={"underground-layer": ["shallow"]}),
    Rule(r"^次浅层地下空间", applies={"underground-layer": ["sub-shallow"]}),
    Rule(r"^次深层地下空间", applies={"underground-layer": ["sub-deep"]}),
    Rule(r"^深层地下空间", applies={"underground-layer": ["deep"]}),
    # cannot be stated: not a limit a plan could be held to
    Rule(r"非规范限值", applies=None, why="research finding quoted by the report, not a limit"),
    Rule(r"^单位能耗较低的中等体量建筑", applies=None, why="research finding quoted by the report, not a limit"),
]

FOLDERS = ("measures", "indicators", "catalogue", "drafts")


def rule_for(context: str) -> Rule | None:
    """The first rule whose pattern is found in ``context``, else ``None``."""
    for r in RULES:
        if re.search(r.pattern, context or ""):
            return r
    return None


def _yaml() -> YAML:
    y = YAML()  # round-trip
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _flow_applies(applies: dict) -> CommentedMap:
    cm = CommentedMap()
    for k in sorted(applies):
        seq = CommentedSeq(applies[k])
        seq.fa.set_flow_style()
        cm[k] = seq
    cm.fa.set_flow_style()
    return cm


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _insert_after(target: CommentedMap, key: str, value, after: tuple[str, ...]) -> None:
    keys = list(target.keys())
    pos = len(keys)
    for a in after:
        if a in keys:
            pos = keys.index(a) + 1
    target.insert(pos, key, value)


def _targets(node, path=()):
    """Every target mapping (an item of a ``targets:`` list) under ``node``, with its data path."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "targets" and isinstance(v, list):
                for i, t in enumerate(v):
                    if isinstance(t, dict):
                        yield t, path + (k, i)
            else:
                yield from _targets(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _targets(v, path + (i,))


def migrate_text(text: str, where: str, report: list[str]) -> tuple[str, bool]:
    """Migrate one YAML file's text; returns ``(new_text, ok)``; ``ok`` False if a context matched no rule."""
    y = _yaml()
    data = y.load(text)
    ok = True
    for t, path in _targets(data):
        ctx = str(t.get("context", ""))
        line = t.lc.line + 1 if hasattr(t, "lc") else 0
        r = rule_for(ctx)
        if r is None:
            report.append(f"{where}:{line}: no rule for context {ctx!r} (indicator {t.get('indicator', '?')})")
            ok = False
            continue
        if r.case is not None:
            if "case" not in t:
                _insert_after(t, "case", r.case, ("context",))
            continue
        if t.get("case"):
            continue
        if r.applies is None:
            report.append(f"{where}:{line}: applicability cannot be stated ({r.why}); left without `applies` (W404)")
            continue
        if "applies" in t:
            if _plain(t["applies"]) != {k: list(v) for k, v in sorted(r.applies.items())} and \
                    _plain(t["applies"]) != r.applies:
                report.append(f"{where}:{line}: kept the existing `applies` {_plain(t['applies'])} "
                              f"(the table says {r.applies})")
            continue
        _insert_after(t, "applies", _flow_applies(r.applies), ("context", "case", "year", "level", "plan_type"))
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue(), ok


def main(argv: list[str] | None = None) -> int:
    """Run the migration over ``--root``/standards; exit 0 done, 1 unmatched contexts or (with --check) pending changes."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=Path.cwd())
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    args = ap.parse_args(argv)
    report: list[str] = []
    changed: list[str] = []
    all_ok = True
    for folder in FOLDERS:
        for p in sorted((args.root / "standards" / folder).glob("*.yaml")):
            rel = p.relative_to(args.root).as_posix()
            text = p.read_text(encoding="utf-8")
            new, ok = migrate_text(text, rel, report)
            all_ok &= ok
            if new != text:
                changed.append(rel)
                if not args.check:
                    p.write_text(new, encoding="utf-8")
    for line in report:
        print(line)
    verb = "would change" if args.check else "changed"
    print(f"migrate_applicability: {verb} {len(changed)} file(s){': ' + ', '.join(changed) if changed else ''}")
    if not all_ok:
        print("migrate_applicability: some contexts match no rule; add rules to RULES", file=sys.stderr)
        return 1
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
