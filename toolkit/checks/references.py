"""E2xx: every reference resolves (levels, plan types, domains, goals, indicators,
standards, references, terms, clauses, tables, annexes, cells).

* E201 a reference to an unknown id (with "did you mean"),
* E202 a target on a measure, countermeasure or clause that names no indicator,
* E203 a normative reference that is neither a catalogue standard nor a listed external standard.
"""
from __future__ import annotations

from toolkit import model as m
from toolkit.checks import register, register_draft
from toolkit.checks.text import draft_texts
from toolkit.corpus import Corpus, draft_clauses, iter_clauses, iter_draft_blocks
from toolkit.walk import block_id
from toolkit.document import REF_RE
from toolkit.findings import Finding

import difflib

CODES: dict[str, dict[str, str]] = {
    "E201": {"severity": "error", "title": "reference to an unknown id",
             "fix": "define the target or fix the id"},
    "E202": {"severity": "error", "title": "target without indicator",
             "fix": "name the indicator the target is for"},
    "E203": {"severity": "error", "title": "normative reference not in the catalogue or the external list",
             "fix": "add it to standards/registry/references.yaml"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""


def _missing(kind: str, ref: str, pool, loc, what: str) -> Finding:
    close = difflib.get_close_matches(ref, sorted(pool), n=1, cutoff=0.7)
    hint = f"did you mean `{close[0]}`?" if close else f"define the {kind} or fix the id"
    return Finding("E201", "error", f"{what} refers to unknown {kind} `{ref}`", loc, hint)


def draft_local_ids(d: m.Draft) -> set[str]:
    """Ids that ``[[id]]`` may cite inside a draft: its clauses, terms, annexes and tables."""
    ids: set[str] = {t.id for t in d.terms}
    for c, _ in iter_clauses(d.clauses):
        ids.add(c.id)
    for a in d.annexes:
        ids.add(a.id)
        for c, _ in iter_clauses(a.clauses, ("annexes",)):
            ids.add(c.id)
    for b, _, _ in iter_draft_blocks(d):
        bid = block_id(b)
        if bid:
            ids.add(bid)
    return ids


@register("references", scope="interface")
def check_references(c: Corpus) -> list[Finding]:
    out: list[Finding] = []
    for cell in c.cells.values():
        if cell.level not in c.levels:
            out.append(_missing("level", cell.level, c.levels, c.where("cell", cell.id, "level"), f"cell `{cell.id}`"))
        if cell.plan_type not in c.plan_types:
            out.append(_missing("plan type", cell.plan_type, c.plan_types, c.where("cell", cell.id, "plan_type"), f"cell `{cell.id}`"))
    for s in c.scales.values():
        for i, l in enumerate(s.levels):
            if l not in c.levels:
                out.append(_missing("level", l, c.levels, c.where("scale", s.id, "levels", i), f"scale `{s.id}`"))
        for i, p in enumerate(s.plan_types):
            if p not in c.plan_types:
                out.append(_missing("plan type", p, c.plan_types, c.where("scale", s.id, "plan_types", i), f"scale `{s.id}`"))
    for g in c.goals.values():
        if g.scale not in c.scales:
            out.append(_missing("scale", g.scale, c.scales, c.where("goal", g.id, "scale"), f"goal `{g.id}`"))
        for i, d in enumerate(g.domains):
            if d not in c.domains:
                out.append(_missing("domain", d, c.domains, c.where("goal", g.id, "domains", i), f"goal `{g.id}`"))
    for ind in c.indicators.values():
        for key, pool, kind in (("domains", c.domains, "domain"), ("levels", c.levels, "level"),
                                ("plan_types", c.plan_types, "plan type")):
            for i, v in enumerate(getattr(ind, key)):
                if v not in pool:
                    out.append(_missing(kind, v, pool, c.where("indicator", ind.id, key, i), f"indicator `{ind.id}`"))
        for i, t in enumerate(ind.targets):
            out.extend(_target_refs(c, t, c.where("indicator", ind.id, "targets", i), f"indicator `{ind.id}` target"))
    for ms in c.measures.values():
        what = f"measure `{ms.id}`"
        for i, iid in enumerate(ms.indicators):
            if iid not in c.indicators:
                out.append(_missing("indicator", iid, c.indicators, c.where("measure", ms.id, "indicators", i), what))
        for i, gid in enumerate(ms.goals):
            if gid not in c.goals:
                out.append(_missing("goal", gid, c.goals, c.where("measure", ms.id, "goals", i), what))
        for i, sid in enumerate(ms.standards):
            if sid not in c.standards:
                out.append(_missing("standard", sid, c.standards, c.where("measure", ms.id, "standards", i), what))
        for i, t in enumerate(ms.targets):
            out.extend(_target_refs(c, t, c.where("measure", ms.id, "targets", i), what, need_indicator=True))
    for st in c.standards.values():
        what = f"standard `{st.id}`"
        for key, pool, kind in (("domains", c.domains, "domain"), ("levels", c.levels, "level"),
                                ("plan_types", c.plan_types, "plan type"), ("indicators", c.indicators, "indicator")):
            for i, v in enumerate(getattr(st, key)):
                if v not in pool:
                    out.append(_missing(kind, v, pool, c.where("standard", st.id, key, i), what))
        for li, lv in enumerate(st.levers):
            if lv.scale and lv.scale not in c.scales:
                out.append(_missing("scale", lv.scale, c.scales, c.where("standard", st.id, "levers", li, "scale"), what))
            for ci, cm in enumerate(lv.countermeasures):
                for i, iid in enumerate(cm.indicators):
                    if iid not in c.indicators:
                        out.append(_missing("indicator", iid, c.indicators,
                                            c.where("standard", st.id, "levers", li, "countermeasures", ci, "indicators", i),
                                            f"countermeasure `{cm.id}`"))
                for i, t in enumerate(cm.targets):
                    out.extend(_target_refs(c, t, c.where("standard", st.id, "levers", li, "countermeasures", ci, "targets", i),
                                            f"countermeasure `{cm.id}`", need_indicator=True))
    return out


def _target_refs(c: Corpus, t: m.Target, loc, what: str, need_indicator: bool = False) -> list[Finding]:
    """E202/E2xx for one target; ``loc`` is its location, or a function returning it (called only for a finding)."""
    out: list[Finding] = []
    if callable(loc):
        if not ((need_indicator and not t.indicator) or (t.indicator and t.indicator not in c.indicators)
                or (t.level and t.level not in c.levels) or (t.plan_type and t.plan_type not in c.plan_types)):
            return out
        loc = loc()
    if need_indicator and not t.indicator:
        out.append(Finding("E202", "error", f"{what}: a target here must name its `indicator`", loc,
                           "add `indicator: ind-…` to the target"))
    if t.indicator and t.indicator not in c.indicators:
        out.append(_missing("indicator", t.indicator, c.indicators, loc, what))
    if t.level and t.level not in c.levels:
        out.append(_missing("level", t.level, c.levels, loc, what))
    if t.plan_type and t.plan_type not in c.plan_types:
        out.append(_missing("plan type", t.plan_type, c.plan_types, loc, what))
    return out


@register_draft("references")
def _draft_refs(c: Corpus, sid: str, d: m.Draft) -> list[Finding]:
    out: list[Finding] = []
    if sid not in c.standards:
        out.append(_missing("standard", sid, c.standards, c.where("draft", sid, "standard"), "draft"))
    local = draft_local_ids(d)

    def known(rid: str) -> bool:  # no per-draft union of corpus-wide sets: linear in the corpus size
        return rid in local or rid in c.indicators or rid in c.standards or rid in c.references
    for i, rid in enumerate(d.normative_references):
        if rid not in c.references and rid not in c.standards:
            out.append(Finding("E203", "error", f"normative reference `{rid}` is neither a catalogue standard nor a listed external standard",
                               c.where("draft", sid, "normative_references", i),
                               "add it to standards/registry/references.yaml or fix the id"))
    for b, path, _ in iter_draft_blocks(d):
        if isinstance(b, m.IndicatorTableBlock):
            for i, iid in enumerate(b.indicators):
                if iid not in c.indicators:
                    out.append(_missing("indicator", iid, c.indicators, c.where("draft", sid, *path, "indicators", i),
                                        f"table `{b.id}`"))
        elif isinstance(b, m.MatrixBlock):
            for cid in b.rows:
                if cid not in c.cells:
                    out.append(_missing("cell", cid, c.cells, c.key_where("draft", sid, *path, "rows", cid), f"table `{b.id}`"))
    for cl, p in draft_clauses(d):
        for i, t in enumerate(cl.targets):
            out.extend(_target_refs(c, t, lambda p=p, i=i: c.where("draft", sid, *p, "targets", i), f"clause `{cl.id}`",
                                    need_indicator=True))
    texts = [(piece.text, piece.path) for piece in draft_texts(d) if piece.role != "generated"]
    for text, path in texts:
        for mt in REF_RE.finditer(text):
            if not known(mt.group(1)):
                pool = local | set(c.indicators) | set(c.standards) | set(c.references)
                out.append(_missing("id", mt.group(1), pool, c.where("draft", sid, *path), "cross reference"))
    return out
