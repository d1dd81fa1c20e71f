"""The corpus's reverse links, computed once per corpus: who uses what.

Records point forwards (a measure names its goals, indicators and standards; a draft
its indicator tables, clause targets and 规范性引用文件).  The outputs need the other
direction — an indicator's page lists the measures, standards, draft clauses and targets
that use it, a cell page the measures in it, a goal the measures serving it, the build
which drafts cite a reference.  :class:`CorpusIndex` answers all of these from one pass
over the corpus; :attr:`toolkit.corpus.Corpus.index` builds it on first use and keeps it.

Values are ids (records are looked up in the corpus when needed), lists in a fixed
order (documented per attribute), so everything rendered from them is deterministic.
The index reflects the corpus when it was built: code that edits a corpus afterwards
calls :meth:`toolkit.corpus.Corpus.reindex`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from toolkit import model as m
from toolkit.textfmt import REF_RE
from toolkit.walk import draft_clauses, iter_draft_blocks, standard_indicator_ids


@dataclass(frozen=True)
class DraftUseRef:
    """Where a draft uses an indicator: ``standard`` (draft id), ``anchor`` (indicator-table block or clause id),
    ``kind`` (``table`` or ``clause``)."""

    standard: str
    anchor: str
    kind: str


@dataclass
class CorpusIndex:
    """Reverse links of one corpus (see module doc).

    * ``indicator_measures`` / ``indicator_standards`` / ``indicator_drafts`` — indicator id → ids of the
      measures (listing it or targeting it), catalogue records (list, countermeasures) and drafts
      (indicator tables, clause targets) that use it; each sorted by id;
    * ``indicator_targets`` — indicator id → its :class:`~toolkit.corpus.ResolvedTarget` list, in
      :attr:`Corpus.targets` order;
    * ``indicator_draft_uses`` — indicator id → :class:`DraftUseRef` per indicator table and clause, drafts
      by id, then document order (tables and clauses as :func:`~toolkit.corpus.iter_draft_blocks` and
      :func:`~toolkit.corpus.draft_clauses` walk them);
    * ``standard_indicators`` — standard id (catalogue record and/or draft) → indicator ids it uses, sorted;
    * ``reference_drafts`` — reference id → ids of the drafts listing it as 规范性引用文件, sorted
      (:meth:`drafts_citing` adds the drafts citing it as ``[[id]]`` in their text);
    * ``measures_by_scope`` — ``(level, plan_type)`` → measure ids, sorted; ``measure_cell`` — measure id →
      id of its 五级三类 cell (``None`` when the level × type has no cell);
    * ``measures_by_goal`` / ``measures_by_standard`` — goal / standard id → measure ids naming it, sorted;
    * ``countermeasure_owner`` — countermeasure id → id of the catalogue record holding it (first wins).
    """

    indicator_measures: dict[str, list[str]] = field(default_factory=dict)
    indicator_standards: dict[str, list[str]] = field(default_factory=dict)
    indicator_drafts: dict[str, list[str]] = field(default_factory=dict)
    indicator_targets: dict[str, list] = field(default_factory=dict)
    indicator_draft_uses: dict[str, list[DraftUseRef]] = field(default_factory=dict)
    standard_indicators: dict[str, list[str]] = field(default_factory=dict)
    reference_drafts: dict[str, list[str]] = field(default_factory=dict)
    measures_by_scope: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    measure_cell: dict[str, str | None] = field(default_factory=dict)
    measures_by_goal: dict[str, list[str]] = field(default_factory=dict)
    measures_by_standard: dict[str, list[str]] = field(default_factory=dict)
    countermeasure_owner: dict[str, str] = field(default_factory=dict)
    _corpus: object = field(default=None, repr=False, compare=False)
    _citations: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def drafts_citing(self, reference_id: str) -> list[str]:
        """Ids of the drafts citing a reference — as 规范性引用文件 or as ``[[id]]`` in their text — sorted.

        Computed on first call (it reads every draft's text once), then kept.
        """
        if self._citations is None:
            c = self._corpus
            found: dict[str, set[str]] = {k: set(v) for k, v in self.reference_drafts.items()}
            for sid, d in c.drafts.items():
                for rid in set(REF_RE.findall(d.model_dump_json())):
                    if rid in c.references:
                        found.setdefault(rid, set()).add(sid)
            self._citations = _sorted_lists(found)
        return list(self._citations.get(reference_id, ()))

    def users_of(self, indicator_id: str) -> dict[str, list[str]]:
        """``{"measures": [...], "standards": [...], "drafts": [...]}`` using ``indicator_id`` (fresh lists)."""
        return {"measures": list(self.indicator_measures.get(indicator_id, ())),
                "standards": list(self.indicator_standards.get(indicator_id, ())),
                "drafts": list(self.indicator_drafts.get(indicator_id, ()))}


def _add(index: dict, key, value) -> None:
    index.setdefault(key, set()).add(value)


def _sorted_lists(index: dict) -> dict:
    return {k: sorted(v) for k, v in index.items()}


def build_index(c) -> CorpusIndex:
    """One pass over the corpus ``c`` (a :class:`toolkit.corpus.Corpus`) filling a :class:`CorpusIndex`; tolerates dangling ids (the checks report them)."""
    ind_measures: dict[str, set[str]] = {}
    ind_standards: dict[str, set[str]] = {}
    ind_drafts: dict[str, set[str]] = {}
    std_inds: dict[str, set[str]] = {}
    ref_drafts: dict[str, set[str]] = {}
    by_scope: dict[tuple[str, str], set[str]] = {}
    by_goal: dict[str, set[str]] = {}
    by_standard: dict[str, set[str]] = {}
    idx = CorpusIndex(_corpus=c)

    cell_of = {(cell.level, cell.plan_type): cell.id for cell in reversed(list(c.cells.values()))}
    for ms in c.measures.values():
        for iid in ms.indicators:
            _add(ind_measures, iid, ms.id)
        for t in ms.targets:
            if t.indicator:
                _add(ind_measures, t.indicator, ms.id)
        _add(by_scope, (ms.level, ms.plan_type), ms.id)
        idx.measure_cell[ms.id] = cell_of.get((ms.level, ms.plan_type))
        for g in ms.goals:
            _add(by_goal, g, ms.id)
        for s in ms.standards:
            _add(by_standard, s, ms.id)
    for st in c.standards.values():
        ids = standard_indicator_ids(st)
        std_inds.setdefault(st.id, set()).update(ids)
        for iid in ids:
            _add(ind_standards, iid, st.id)
        for lv in st.levers:
            for cm in lv.countermeasures:
                idx.countermeasure_owner.setdefault(cm.id, st.id)
    uses: dict[str, list[DraftUseRef]] = {}
    for sid in sorted(c.drafts):
        d = c.drafts[sid]
        ids: set[str] = set()
        for b, _, _ in iter_draft_blocks(d):
            if isinstance(b, m.IndicatorTableBlock):
                ids.update(b.indicators)
                ids.update(t.indicator for t in b.targets if t.indicator)
                for iid in dict.fromkeys(b.indicators):
                    uses.setdefault(iid, []).append(DraftUseRef(sid, b.id, "table"))
        for cl, _ in draft_clauses(d):
            targeted = [t.indicator for t in cl.targets if t.indicator]
            ids.update(targeted)
            for iid in dict.fromkeys(targeted):
                uses.setdefault(iid, []).append(DraftUseRef(sid, cl.id, "clause"))
        std_inds.setdefault(sid, set()).update(ids)
        for iid in ids:
            _add(ind_drafts, iid, sid)
        for ref in d.normative_references:
            _add(ref_drafts, ref, sid)
    targets: dict[str, list] = {}
    for rt in c.targets:
        targets.setdefault(rt.indicator, []).append(rt)

    idx.indicator_measures = _sorted_lists(ind_measures)
    idx.indicator_standards = _sorted_lists(ind_standards)
    idx.indicator_drafts = _sorted_lists(ind_drafts)
    idx.indicator_targets = targets
    idx.indicator_draft_uses = uses
    idx.standard_indicators = _sorted_lists(std_inds)
    idx.reference_drafts = _sorted_lists(ref_drafts)
    idx.measures_by_scope = _sorted_lists(by_scope)
    idx.measures_by_goal = _sorted_lists(by_goal)
    idx.measures_by_standard = _sorted_lists(by_standard)
    return idx
