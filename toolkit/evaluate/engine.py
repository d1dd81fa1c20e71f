"""Which targets apply to a plan, and the verdict of each (``stdkit evaluate``).

A target *applies* to a plan (as in buildingSMART IDS: applicability, then requirement) when

* it is not a case value (``case:`` is a 参考值, never a target),
* its level and plan type (a measure's target: the measure's cell) are the plan's; where the
  target leaves one unset, the indicator's ``levels``/``plan_types`` must include the plan's,
* its ``year`` (目标年) is not after the plan's horizon year (a plan to 2030 is not held to a
  2035 target), and
* each facet of its ``applies:`` is met: the plan (or the value) states one of the listed
  values — for the hierarchical 用地用海分类, a code within a listed code (``070102`` within ``07``).

Verdicts per applicable target: ``pass``/``fail`` against the value, ``missing`` when the plan has
no value (or no value states a facet the target needs), ``not_applicable`` for a value whose facets
exclude the target or an indicator with a value but no applicable target.  A target whose facet the
plan does not state is ``missing`` when 约束性 (never passed silently) and ``not_applicable`` (with a
note) when 预期性.  The margin is signed:
positive is the room left (value − minimum, maximum − value; for ranges the nearer bound; for
``=`` minus the distance).  ``binding`` is the indicator's 约束性.  Identical targets stated in
several places (a measure and the clause that quotes it) are one result with all their sources.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from toolkit import model as m
from toolkit.corpus import Corpus, ResolvedTarget, draft_clauses, standard_indicator_ids
from toolkit.deps import derived
from toolkit.evaluate.plan import LocalLimit, Plan, PlanValue

VERDICTS = ("fail", "missing", "pass", "not_applicable")
SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}
VERDICT_ZH = {"pass": "符合", "fail": "不符合", "missing": "缺项", "not_applicable": "不适用"}


@dataclass(frozen=True)
class Source:
    """Where a target is stated: ``kind`` clause/measure/countermeasure/indicator/plan; ``label`` for people;
    ``ref`` the record id; ``standard`` the standard id (clauses, countermeasures); ``anchor`` a site path."""

    kind: str
    label: str
    ref: str
    standard: str = ""
    anchor: str = ""
    short: str = ""


@dataclass
class Criterion:
    """One applicable requirement: a corpus target (or a plan's local limit) with all its sources."""

    indicator: str
    comparator: str
    value: float
    value_max: float | None
    year: int | None
    applies: dict[str, list[str]]
    context: str
    sources: list[Source] = field(default_factory=list)
    local: bool = False

    def text(self, unit: str) -> str:
        """``≥ 65 %``, ``0.6～0.8``."""
        u = "" if unit in ("ratio", "index", "") else f" {unit}"
        if self.comparator == "range":
            return f"{fmt(self.value)}～{fmt(self.value_max)}{u}"
        return f"{SIGNS[self.comparator]} {fmt(self.value)}{u}"


@dataclass
class Result:
    """One row of an evaluation: indicator × criterion (× value)."""

    indicator: str
    name: str
    unit: str
    kind: str
    binding: bool
    criterion: Criterion | None
    value: PlanValue | None
    verdict: str
    margin: float | None
    note: str = ""

    def target_text(self) -> str:
        return self.criterion.text(self.unit) if self.criterion else "—"

    def source_text(self) -> str:
        return "；".join(s.label for s in self.criterion.sources) if self.criterion else ""

    def source_short(self) -> str:
        return "；".join(s.short or s.label for s in self.criterion.sources) if self.criterion else ""

    def to_dict(self) -> dict:
        """The JSON shape: indicator, name, unit, binding, kind, target, comparator, threshold(s), value,
        value_given, value_origin, facets, verdict, margin, source, sources, context, applies, note."""
        c = self.criterion
        return {
            "indicator": self.indicator, "name": self.name, "unit": self.unit,
            "binding": self.binding, "kind": self.kind,
            "target": self.target_text() if c else None,
            "comparator": c.comparator if c else None,
            "threshold": c.value if c else None,
            "threshold_max": c.value_max if c else None,
            "year": c.year if c else None,
            "value": round6(self.value.value) if self.value else None,
            "value_given": self.value.given if self.value else None,
            "value_origin": self.value.origin if self.value else None,
            "value_facets": dict(sorted(self.value.facets.items())) if self.value else {},
            "verdict": self.verdict,
            "margin": round6(self.margin) if self.margin is not None else None,
            "source": self.source_text(),
            "sources": [{"kind": s.kind, "label": s.label, "ref": s.ref, "standard": s.standard, "anchor": s.anchor}
                        for s in (c.sources if c else [])],
            "context": c.context if c else "",
            "applies": {k: list(v) for k, v in sorted(c.applies.items())} if c else {},
            "local_limit": c.local if c else False,
            "note": self.note,
        }


@dataclass
class Evaluation:
    """All results for a plan, in a stable order (binding first, then indicator id, verdict, target)."""

    plan: Plan
    results: list[Result]
    standards: list[str]
    cell_name: str

    def counts(self, binding: bool | None = None) -> dict[str, int]:
        out = {v: 0 for v in VERDICTS}
        for r in self.results:
            if binding is None or r.binding == binding:
                out[r.verdict] += 1
        return out

    @property
    def exit_code(self) -> int:
        """0 when every 约束性 target passes; 1 when one fails or its value is missing."""
        return 1 if any(r.binding and r.verdict in ("fail", "missing") for r in self.results) else 0


def fmt(v: float | None) -> str:
    """A number as a planner writes it (2.5, 35, 0.125)."""
    if v is None:
        return ""
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.6g}"


def round6(v: float) -> float:
    return float(f"{v:.6g}")


# ------------------------------------------------------------------------------ sources
@derived
def clause_owners(corpus: Corpus) -> dict[str, str]:
    """Clause id → id of the draft holding it (a :func:`~toolkit.deps.derived` function: a build job
    labelling sources depends on this map, not on every word of every draft)."""
    return {cl.id: sid for sid, d in corpus.drafts.items() for cl, _ in draft_clauses(d)}


@derived
def draft_numbering(corpus: Corpus, sid: str) -> dict:
    """``{"code": …, "numbers": {clause id: number}}`` of draft ``sid`` (empty when it has no draft or
    cannot be numbered); derived, so rewording a clause does not touch what depends on it, and cheap
    (the numbering pass only, no document), since every build evaluates it again to compare."""
    d = corpus.drafts.get(sid)
    if d is None:
        return {"code": "", "numbers": {}}
    from toolkit.document import clause_numbers

    try:
        numbers = clause_numbers(corpus, sid)
    except Exception:  # noqa: BLE001 - a draft that cannot be numbered still gets a label by id
        numbers = {}
    return {"code": d.code, "numbers": numbers}


class SourceIndex:
    """Labels for where targets are stated (clause numbers computed once per draft)."""

    def __init__(self, corpus: Corpus):
        self.c = corpus
        self._numbers: dict[str, dict] = {}
        self.clause_draft: dict[str, str] = clause_owners(corpus)
        self.cm_standard: dict[str, str] = {}
        for st in corpus.standards.values():
            for lv in st.levers:
                for cm in lv.countermeasures:
                    self.cm_standard[cm.id] = st.id

    def numbers(self, sid: str) -> dict[str, str]:
        return self._numbering(sid)["numbers"]

    def _numbering(self, sid: str) -> dict:
        if sid not in self._numbers:
            self._numbers[sid] = draft_numbering(self.c, sid)
        return self._numbers[sid]

    def source(self, rt: ResolvedTarget) -> Source:
        kind, ref = rt.origin
        if kind == "clause":
            sid = self.clause_draft.get(ref, "")
            st = self.c.standards.get(sid)
            num = self.numbers(sid).get(ref, ref) if sid else ref
            code = self._numbering(sid)["code"] if sid else ""
            title = st.title if st else sid
            return Source("clause", f"{code}《{title}》第{num}条", ref, sid, f"standards/{sid}/#{ref}",
                          f"《{title}》{num}")
        if kind == "measure":
            ms = self.c.measures.get(ref)
            cell = self.c.cell_of(ms.level, ms.plan_type) if ms else None
            title = ms.title if ms else ref
            src = f"（{ms.source}）" if ms and ms.source else ""
            return Source("measure", f"措施“{title}”{src}", ref, "",
                          f"cells/{cell.id}/#{ref}" if cell else "", f"措施 {ref}")
        if kind == "countermeasure":
            sid = self.cm_standard.get(ref, "")
            st = self.c.standards.get(sid)
            cm = next((c for lv in (st.levers if st else []) for c in lv.countermeasures if c.id == ref), None)
            return Source("countermeasure", f"《{st.title if st else sid}》核心对策“{cm.name if cm else ref}”", ref, sid,
                          f"standards/{sid}/", f"《{st.title if st else sid}》核心对策")
        ind = self.c.indicators.get(ref)
        return Source("indicator", f"指标“{ind.name if ind else ref}”", ref, "", f"indicators/{ref}/", f"指标 {ref}")

    def in_standard(self, rt: ResolvedTarget, sid: str) -> bool:
        kind, ref = rt.origin
        if kind == "clause":
            return self.clause_draft.get(ref) == sid
        if kind == "countermeasure":
            return self.cm_standard.get(ref) == sid
        if kind == "measure":
            ms = self.c.measures.get(ref)
            return bool(ms and sid in ms.standards)
        st = self.c.standards.get(sid)
        return bool(st and rt.indicator in standard_indicator_ids(st))


# ------------------------------------------------------------------------------ applicability
def facet_match(corpus: Corpus, key: str, wanted: list[str], have: list[str]) -> bool:
    """Does any stated value ``have`` satisfy the target's ``wanted`` values of facet ``key``?"""
    f = corpus.facets.get(key)
    hier = bool(f and f.hierarchical)
    for h in have:
        for w in wanted:
            if h == w or (hier and h.startswith(w)):
                return True
    return False


def applicable_criteria(corpus: Corpus, level: str, plan_type: str, year: int | None = None,
                        standards: list[str] | None = None, sources: SourceIndex | None = None) -> list[Criterion]:
    """Every non-case corpus target with structured applicability that applies to ``level`` × ``plan_type``
    (and horizon ``year``), merged by identical requirement; facets are left for :func:`evaluate` to match.

    Targets without ``applies`` (W404) are left out: their applicability cannot be stated.
    """
    sx = sources or SourceIndex(corpus)
    merged: dict[tuple, Criterion] = {}
    for rt in corpus.targets:
        t = rt.target
        if t.case or t.applies is None or rt.indicator not in corpus.indicators:
            continue
        ind = corpus.indicators[rt.indicator]
        # an unset level / plan type on the target means: wherever the indicator is used
        if (rt.level or None) not in (None, level) or (rt.level is None and ind.levels and level not in ind.levels):
            continue
        if (rt.plan_type or None) not in (None, plan_type) or \
                (rt.plan_type is None and ind.plan_types and plan_type not in ind.plan_types):
            continue
        if year is not None and t.year is not None and year < t.year:
            continue
        if standards and not any(sx.in_standard(rt, s) for s in standards):
            continue
        applies = {k: sorted(v) for k, v in sorted(t.applies.items())}
        key = (rt.indicator, t.comparator, t.value, t.value_max, t.year, tuple((k, tuple(v)) for k, v in applies.items()),
               t.context)
        crit = merged.get(key)
        if crit is None:
            crit = merged[key] = Criterion(rt.indicator, t.comparator, t.value, t.value_max, t.year, applies, t.context)
        src = sx.source(rt)
        if src not in crit.sources:
            crit.sources.append(src)
    for crit in merged.values():
        crit.sources.sort(key=lambda s: ({"clause": 0, "countermeasure": 1, "measure": 2, "indicator": 3}.get(s.kind, 4),
                                         s.label))
    return list(merged.values())


def _judge(comp: str, threshold: float, vmax: float | None, v: float) -> tuple[bool, float]:
    eps = 1e-9 * max(1.0, abs(threshold))
    if comp == ">=":
        return v >= threshold - eps, v - threshold
    if comp == ">":
        return v > threshold, v - threshold
    if comp == "<=":
        return v <= threshold + eps, threshold - v
    if comp == "<":
        return v < threshold, threshold - v
    if comp == "=":
        return abs(v - threshold) <= eps, -abs(v - threshold)
    lo_m, hi_m = v - threshold, (vmax if vmax is not None else threshold) - v
    return lo_m >= -eps and hi_m >= -eps, min(lo_m, hi_m)


def _facet_names(corpus: Corpus, applies: dict[str, list[str]]) -> str:
    parts = []
    for k, vs in applies.items():
        f = corpus.facets.get(k)
        names = {x.id: x.name for x in f.values} if f else {}
        parts.append(f"{f.name if f else k}：{'、'.join(names.get(v, v) for v in vs)}")
    return "；".join(parts)


def evaluate(corpus: Corpus, plan: Plan, standards: list[str] | None = None) -> Evaluation:
    """Evaluate ``plan`` against every applicable target (restricted to ``standards`` if given).

    Raises ``KeyError`` for an unknown standard id (the CLI checks ids first).
    """
    for s in standards or []:
        if s not in corpus.standards:
            raise KeyError(s)
    sx = SourceIndex(corpus)
    crits = applicable_criteria(corpus, plan.level, plan.plan_type, plan.year, standards, sx)
    for lim in plan.limits:
        crits.append(_local(lim))
    by_ind: dict[str, list[PlanValue]] = {}
    for v in plan.values:
        by_ind.setdefault(v.indicator, []).append(v)
    results: list[Result] = []
    judged: set[str] = set()
    for crit in crits:
        ind = corpus.indicators[crit.indicator]
        base = dict(indicator=ind.id, name=ind.name, unit=ind.unit, kind=ind.kind, binding=ind.kind == "约束性",
                    criterion=crit)
        # plan-level facets decide first
        conflict = [k for k, want in crit.applies.items()
                    if k in plan.facets and not facet_match(corpus, k, want, plan.facets[k])]
        if conflict:
            results.append(Result(**base, value=None, verdict="not_applicable", margin=None,
                                  note=f"适用于{_facet_names(corpus, {k: crit.applies[k] for k in conflict})}；"
                                       f"方案为{_facet_names(corpus, {k: plan.facets[k] for k in conflict})}"))
            continue
        values = by_ind.get(ind.id, [])
        judged.add(ind.id)
        if not values:
            need = {k: v for k, v in crit.applies.items() if k not in plan.facets}
            if need and not base["binding"]:
                # 预期性 target whose condition the plan does not state: listed, not counted as a gap
                results.append(Result(**base, value=None, verdict="not_applicable", margin=None,
                                      note=f"仅适用于{_facet_names(corpus, need)}；方案未说明，如适用请填报"))
                continue
            results.append(Result(**base, value=None, verdict="missing", margin=None,
                                  note="方案未提供该指标的值" + (f"（适用条件：{_facet_names(corpus, need)}）" if need else "")))
            continue
        row_results: list[Result] = []
        undetermined = []
        for v in values:
            ok = True
            for k, want in crit.applies.items():
                if k in plan.facets:
                    continue
                if k not in v.facets:
                    ok = None
                    undetermined.append(k)
                    break
                if not facet_match(corpus, k, want, [v.facets[k]]):
                    ok = False
                    break
            if ok:
                passed, margin = _judge(crit.comparator, crit.value, crit.value_max, v.value)
                row_results.append(Result(**base, value=v, verdict="pass" if passed else "fail", margin=margin,
                                          note=v.note))
        if row_results:
            results.extend(row_results)
        elif undetermined:
            need = {k: crit.applies[k] for k in sorted(set(undetermined))}
            results.append(Result(**base, value=None, verdict="missing", margin=None,
                                  note=f"方案的值未注明{_facet_names(corpus, need)}，无法对照"))
        else:
            results.append(Result(**base, value=None, verdict="not_applicable", margin=None,
                                  note=f"适用于{_facet_names(corpus, crit.applies)}；方案的值不属于此范围"))
    for iid, values in by_ind.items():
        if iid in judged:
            continue
        ind = corpus.indicators[iid]
        why = ("限值由地方确定（set_locally），方案未给出限值（limits）" if ind.set_locally
               else f"{_cell_label(corpus, plan)}无适用的目标值")
        for v in values:
            results.append(Result(ind.id, ind.name, ind.unit, ind.kind, ind.kind == "约束性", None, v,
                                  "not_applicable", None, why if not v.note else f"{why}；{v.note}"))
    order = {v: i for i, v in enumerate(VERDICTS)}
    results.sort(key=lambda r: (not r.binding, r.indicator, order[r.verdict], r.target_text(),
                                r.value.value if r.value else 0.0, sorted(r.value.facets.items()) if r.value else []))
    return Evaluation(plan, results, list(standards or []), _cell_label(corpus, plan))


def _cell_label(corpus: Corpus, plan: Plan) -> str:
    cell = corpus.cell_of(plan.level, plan.plan_type)
    return cell.name if cell else f"{plan.level}·{plan.plan_type}"


def _local(lim: LocalLimit) -> Criterion:
    return Criterion(lim.indicator, lim.comparator, lim.value, lim.value_max, None, {}, "方案限值（地方确定）",
                     [Source("plan", f"方案限值：{lim.source}", lim.where, short=f"方案限值：{lim.source}")], local=True)


def suggest_standard(corpus: Corpus, sid: str) -> str:
    """A "did you mean" hint for an unknown standard id (ids and titles)."""
    by_title = {s.title: s.id for s in corpus.standards.values()}
    if sid in by_title:
        return f"use the id `{by_title[sid]}`"
    close = difflib.get_close_matches(sid, sorted(corpus.standards), n=2, cutoff=0.4)
    return ("did you mean " + ", ".join(f"`{c}`" for c in close) + "?") if close else \
        "standard ids: " + ", ".join(sorted(corpus.standards))


__all__ = ["Criterion", "Evaluation", "Result", "Source", "SourceIndex", "applicable_criteria", "evaluate", "fmt",
           "VERDICT_ZH", "m"]
