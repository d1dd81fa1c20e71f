"""The semantic change set: :func:`compute_changes` ``(old Corpus, new Corpus) -> ChangeSet``.

Records are matched by id, never by position.  A change is one of

* ``added`` / ``removed`` — the id exists on one side only;
* ``changed`` — same id, different content (``fields`` say what, old → new);
* ``moved`` — a draft unit with the same id and content but a different
  computed number or parent (``move`` says from where to where).  A unit that
  both moved and changed is ``changed`` with ``move`` set.

Kinds, in report order: ``standard`` (catalogue records), ``draft`` (a whole
draft added/removed, or its cover facts changed), ``front``/``clause``/``term``/
``annex`` (units of a draft, see :mod:`toolkit.diff.units`; ``standard`` names
the draft), ``measure``, ``indicator``, ``target``.

Clause content is compared on the built :class:`~toolkit.document.Document`
(what a reader sees, generated indicator tables included) but with cross
references taken by id, so a renumbering elsewhere is editorial, not a change.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from toolkit import model as m
from toolkit.corpus import Corpus
from toolkit.diff.records import ORIGIN_LABELS, FieldDelta, compare_records, compare_targets, keyed_targets, \
    target_value_text
from toolkit.diff.source import SideInfo
from toolkit.diff.units import COVER_FIELDS, Unit, cover_values, document_units
from toolkit.corpus import draft_indicator_ids
from toolkit.document import REF_RE, Document, build_document

KIND_ORDER = ("standard", "draft", "front", "clause", "term", "annex", "measure", "indicator", "target")
UNIT_KINDS = ("front", "clause", "term", "annex")
OPS = ("added", "removed", "changed", "moved")

KIND_LABELS = {"standard": "标准（目录）", "draft": "标准草案", "front": "前言/引言", "clause": "条款",
               "term": "术语", "annex": "附录", "measure": "措施", "indicator": "指标", "target": "目标值"}
OP_LABELS = {"added": "新增", "removed": "删除", "changed": "修改", "moved": "移动"}


@dataclass(frozen=True)
class Move:
    """Where a draft unit was and is: numbers and parent ids (``None`` = top level)."""

    old_number: str
    new_number: str
    old_parent: str | None
    new_parent: str | None

    @property
    def reparented(self) -> bool:
        """True when the parent changed (a real move), False for a renumbering among the same siblings."""
        return self.old_parent != self.new_parent


@dataclass(frozen=True)
class Change:
    """One entry of the change set (see module doc).

    ``title`` is the display name (new side when it exists).  Draft units carry
    ``standard`` (the draft's standard id), ``number`` (new) and ``old_number``.
    ``note`` is a short context line (a target's scope, a measure's cell).
    """

    kind: str
    id: str
    op: str
    title: str
    fields: tuple[FieldDelta, ...] = ()
    standard: str | None = None
    number: str | None = None
    old_number: str | None = None
    move: Move | None = None
    note: str = ""

    def key(self) -> tuple[str, str, str]:
        """``(kind, id, op)`` — handy for tests and summaries."""
        return (self.kind, self.id, self.op)

    def field(self, path: str) -> FieldDelta | None:
        return next((f for f in self.fields if f.path == path), None)


@dataclass
class DraftPair:
    """Old and new Document of one draft with their units (``None`` on the side where the draft is absent).

    ``same`` is True when every input of the Document is identical on both sides
    (see :func:`dependency_signature`); the Documents are then not built at all and
    ``old``/``new`` are ``None`` — such a draft has no changes.
    """

    standard: str
    old: Document | None
    new: Document | None
    old_units: list[Unit] = field(default_factory=list)
    new_units: list[Unit] = field(default_factory=list)
    same: bool = False

    def merged_units(self) -> list[tuple[Unit | None, Unit | None]]:
        """``(old, new)`` unit pairs in reading order of the new draft; removed units sit after their old predecessor."""
        return merge_order(self.old_units, self.new_units)


@dataclass
class ChangeSet:
    """All changes between two corpora plus what writers need about the two sides and the drafts."""

    old: SideInfo
    new: SideInfo
    changes: list[Change]
    drafts: dict[str, DraftPair]
    old_corpus: Corpus
    new_corpus: Corpus

    def __bool__(self) -> bool:
        return bool(self.changes)

    def keys(self) -> list[tuple[str, str, str]]:
        return [c.key() for c in self.changes]

    def of_kind(self, *kinds: str) -> list[Change]:
        return [c for c in self.changes if c.kind in kinds]

    def for_draft(self, std_id: str) -> list[Change]:
        """Unit changes (and the draft's own change) of one draft, in reading order."""
        return [c for c in self.changes if c.standard == std_id]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {op: n}}`` for every kind and op (zeros included), in report order."""
        out = {k: {op: 0 for op in OPS} for k in KIND_ORDER}
        for c in self.changes:
            out[c.kind][c.op] += 1
        return out

    def changed_drafts(self) -> list[str]:
        """Drafts present on both sides with at least one change, by standard id."""
        return sorted(sid for sid, p in self.drafts.items()
                      if not p.same and p.old is not None and p.new is not None and self.for_draft(sid))


# ---------------------------------------------------------------------- documents
def _document(corpus: Corpus, std_id: str) -> Document:
    """Build a draft's Document; a draft whose catalogue record is missing gets a stand-in record."""
    if std_id in corpus.standards:
        return build_document(corpus, std_id)
    stub = m.Standard.model_construct(id=std_id, title=std_id, category="comprehensive", group="规划编制类",
                                      action="new", purpose="", code=None, drafted=True)
    return build_document(dataclasses.replace(corpus, standards={**corpus.standards, std_id: stub}), std_id)


def merge_order(old: list[Unit], new: list[Unit]) -> list[tuple[Unit | None, Unit | None]]:
    """Pair units by id in new reading order, placing removed ones right after their nearest surviving predecessor."""
    new_ids = {u.id for u in new}
    old_by = {u.id: u for u in old}
    after: dict[str | None, list[Unit]] = {}
    anchor: str | None = None
    for u in old:
        if u.id in new_ids:
            anchor = u.id
        else:
            after.setdefault(anchor, []).append(u)
    out: list[tuple[Unit | None, Unit | None]] = [(u, None) for u in after.get(None, [])]
    for u in new:
        out.append((old_by.get(u.id), u))
        out.extend((r, None) for r in after.get(u.id, []))
    return out


def _dedupe(units: list[Unit]) -> list[Unit]:
    seen: set[str] = set()
    out = []
    for u in units:
        if u.id not in seen:
            seen.add(u.id)
            out.append(u)
    return out


def diff_units(std_id: str, pair: DraftPair) -> list[Change]:
    """Changes of the units of one draft present on both sides, in reading order."""
    out: list[Change] = []
    for o, n in pair.merged_units():
        if o is None and n is not None:
            out.append(Change(n.kind, n.id, "added", n.heading, _unit_fields(None, n), std_id, n.number or None))
        elif n is None and o is not None:
            out.append(Change(o.kind, o.id, "removed", o.heading, _unit_fields(o, None), std_id, None,
                              o.number or None))
        elif o is not None and n is not None:
            content = o.semantic != n.semantic or o.kind != n.kind
            mv = None
            if n.kind != "front" and (o.number != n.number or o.parent != n.parent):
                mv = Move(o.number, n.number, o.parent, n.parent)
            if not content and mv is None:
                continue
            fields = _unit_fields(o, n) if content else ()
            if content and not fields:  # same display, different semantics (e.g. a reference retargeted)
                fields = (FieldDelta("text", "条文", o.text, n.text),)
            out.append(Change(n.kind, n.id, "changed" if content else "moved", n.heading, fields, std_id,
                              n.number or None, o.number or None, mv))
    return out


def _unit_fields(o: Unit | None, n: Unit | None) -> tuple[FieldDelta, ...]:
    out: list[FieldDelta] = []
    ot, nt = (o.title if o else None), (n.title if n else None)
    if ot != nt:
        out.append(FieldDelta("title", "标题", ot, nt))
    ox, nx = (o.text if o else None), (n.text if n else None)
    if ox != nx:
        out.append(FieldDelta("text", "条文", ox, nx))
    return tuple(out)


def _targets_by_indicator(c: Corpus) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rt in c.targets:
        out.setdefault(rt.indicator, []).append(
            repr((rt.target.model_dump(), rt.level, rt.plan_type, rt.origin)))
    return out


def _corpus_signature(c: Corpus) -> str:
    return "\n".join(x.model_dump_json() for reg in (c.levels, c.plan_types, c.cells) for x in reg.values())


def draft_dependencies(d: m.Draft) -> list[str]:
    """Ids a draft's Document reads besides the draft itself: cited ``[[id]]``s, tabulated indicators, normrefs."""
    return sorted(set(REF_RE.findall(d.model_dump_json())) | draft_indicator_ids(d) | set(d.normative_references))


def dependency_signature(c: Corpus, ids: list[str], targets: dict[str, list[str]]) -> str:
    """The records behind ``ids`` as one string: indicators (with all their targets), standards' titles and codes,
    external references.  Levels, plan types and cells (used by generated tables) are compared separately."""
    parts: list[str] = []
    for i in ids:
        if i in c.indicators:
            parts.append(c.indicators[i].model_dump_json())
            parts.extend(targets.get(i, []))
        if i in c.standards:
            st = c.standards[i]
            parts.append(f"S:{i}:{st.title}:{st.code}")
        if i in c.references:
            parts.append(c.references[i].model_dump_json())
    return "\n".join(parts)


def _same_inputs(old: Corpus, new: Corpus, sid: str, old_targets: dict, new_targets: dict) -> bool:
    """True when everything :func:`~toolkit.document.build_document` reads for draft ``sid`` is equal on both sides."""
    od, nd = old.drafts.get(sid), new.drafts.get(sid)
    if od is None or nd is None or od != nd or old.standards.get(sid) != new.standards.get(sid):
        return False
    ids = draft_dependencies(nd)
    return dependency_signature(old, ids, old_targets) == dependency_signature(new, ids, new_targets)


def _diff_drafts(old: Corpus, new: Corpus) -> tuple[list[Change], dict[str, DraftPair]]:
    changes: list[Change] = []
    pairs: dict[str, DraftPair] = {}
    same_registries = _corpus_signature(old) == _corpus_signature(new)
    old_targets, new_targets = _targets_by_indicator(old), _targets_by_indicator(new)
    for sid in sorted(set(old.drafts) | set(new.drafts)):
        if same_registries and _same_inputs(old, new, sid, old_targets, new_targets):
            pairs[sid] = DraftPair(sid, None, None, same=True)
            continue
        od = _document(old, sid) if sid in old.drafts else None
        nd = _document(new, sid) if sid in new.drafts else None
        pair = DraftPair(sid, od, nd, _dedupe(document_units(od)) if od else [],
                         _dedupe(document_units(nd)) if nd else [])
        pairs[sid] = pair
        if od is None and nd is not None:
            changes.append(Change("draft", sid, "added", nd.title, standard=sid))
            continue
        if nd is None and od is not None:
            changes.append(Change("draft", sid, "removed", od.title, standard=sid))
            continue
        assert od is not None and nd is not None
        ov, nv = cover_values(od), cover_values(nd)
        fields = tuple(FieldDelta(a, label, ov[a], nv[a]) for a, label in COVER_FIELDS if ov[a] != nv[a])
        if fields:
            changes.append(Change("draft", sid, "changed", nd.title, fields, sid))
        changes.extend(diff_units(sid, pair))
    return changes, pairs


# ---------------------------------------------------------------------- registry records
def _measure_note(c: Corpus, x: m.Measure) -> str:
    cell = c.cell_of(x.level, x.plan_type)
    dom = c.domains.get(x.domain)
    return "·".join(s for s in ((cell.name if cell else f"{x.level}-{x.plan_type}"), dom.name if dom else x.domain) if s)


def _diff_records(kind: str, old: dict, new: dict, title_attr: str, note=None) -> list[Change]:
    out: list[Change] = []
    for rid in sorted(set(old) | set(new)):
        o, n = old.get(rid), new.get(rid)
        if o is None:
            out.append(Change(kind, rid, "added", getattr(n, title_attr), note=note(n) if note else ""))
        elif n is None:
            out.append(Change(kind, rid, "removed", getattr(o, title_attr), note=note(o) if note else ""))
        elif o != n:
            fields = compare_records(o, n)
            if fields:
                out.append(Change(kind, rid, "changed", getattr(n, title_attr), fields, note=note(n) if note else ""))
    return out


def target_scope(c: Corpus, key: str, rt) -> str:
    """Human description of a target's identity: ``市级·详细规划·新建公共建筑（措施 m-x）``."""
    lv = c.levels.get(rt.level or "")
    pt = c.plan_types.get(rt.plan_type or "")
    parts = [lv.name if lv else (rt.level or ""), pt.name if pt else (rt.plan_type or ""), rt.target.context or ""]
    scope = "·".join(p for p in parts if p) or "通用"
    kind, oid = rt.origin
    origin = ORIGIN_LABELS.get(kind, kind) + ("" if kind == "indicator" else f" {oid}")
    dup = key.rpartition("#")[2] if "#" in key else ""
    return f"{scope}（{origin}{'，第' + dup + '条' if dup else ''}）"


def _diff_targets(old: Corpus, new: Corpus) -> list[Change]:
    ot, nt = keyed_targets(old.targets), keyed_targets(new.targets)

    def unit_of(c: Corpus, iid: str) -> str:
        ind = c.indicators.get(iid)
        return ind.unit if ind else ""

    def name_of(iid: str) -> str:
        ind = new.indicators.get(iid) or old.indicators.get(iid)
        return ind.name if ind else iid

    out: list[Change] = []
    for k in sorted(set(ot) | set(nt)):
        o, n = ot.get(k), nt.get(k)
        if o is None:
            out.append(Change("target", k, "added", name_of(n.indicator),
                              (FieldDelta("value", "目标值", None, target_value_text(n, unit_of(new, n.indicator))),),
                              note=target_scope(new, k, n)))
        elif n is None:
            out.append(Change("target", k, "removed", name_of(o.indicator),
                              (FieldDelta("value", "目标值", target_value_text(o, unit_of(old, o.indicator)), None),),
                              note=target_scope(old, k, o)))
        else:
            fields = compare_targets(o, n, unit_of(old, o.indicator), unit_of(new, n.indicator))
            if fields:
                out.append(Change("target", k, "changed", name_of(n.indicator), fields, note=target_scope(new, k, n)))
    return out


def compute_changes(old: Corpus, new: Corpus, old_info: SideInfo, new_info: SideInfo) -> ChangeSet:
    """The change set from ``old`` to ``new`` (see module doc); deterministic order: kind, then id / reading order."""
    changes: list[Change] = []
    changes += _diff_records("standard", old.standards, new.standards, "title")
    draft_changes, pairs = _diff_drafts(old, new)
    changes += draft_changes
    changes += _diff_records("measure", old.measures, new.measures, "title",
                             note=lambda x, c=new: _measure_note(c if x.id in c.measures else old, x))
    changes += _diff_records("indicator", old.indicators, new.indicators, "name")
    changes += _diff_targets(old, new)
    return ChangeSet(old_info, new_info, changes, pairs, old, new)


__all__ = ["Change", "ChangeSet", "DraftPair", "Move", "FieldDelta", "compute_changes",
           "KIND_LABELS", "OP_LABELS", "KIND_ORDER", "UNIT_KINDS"]
