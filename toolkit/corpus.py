"""Resolve stage: validated files → one :class:`Corpus` with every id indexed once.

``load_corpus(root)`` runs read → validate → resolve and returns the corpus plus
all findings so far (load, schema and uniqueness: E3xx).  Checks
(:mod:`toolkit.checks`), renderers, the site and diff all take a ``Corpus``.

Every record's source position is kept: ``corpus.where(kind, id, *path)`` gives
the :class:`~toolkit.findings.Location` of a record or of a field inside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit import model as m
from toolkit.findings import Finding, Location
from toolkit.index import CorpusIndex, build_index
from toolkit.load import SourceFile
from toolkit.sourcecache import list_ids, load_sources
from toolkit.validate import ValidFile
from toolkit.walk import draft_clauses, draft_indicator_ids, iter_clauses, iter_draft_blocks, standard_indicator_ids
from toolkit.vocabulary import CATEGORY_ORDER, GLOBAL_ID_KINDS, RECORD_KINDS, REGISTRY_KIND

CODES: dict[str, dict[str, str]] = {
    "E301": {"severity": "error", "title": "duplicate id",
             "fix": "ids are unique corpus-wide: rename or delete one"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

KINDS = RECORD_KINDS


@dataclass(frozen=True)
class ResolvedTarget:
    """A target attached to an indicator, wherever it was written.

    ``origin`` is ``(kind, id)`` of the record that states it (``indicator``,
    ``measure``, ``countermeasure``, ``clause``); ``location`` points at it.
    ``level``/``plan_type`` are filled from the origin's cell where implied.
    ``location`` may be given as a function of no argument returning the
    :class:`Location`: it is then looked up on first access (most targets never
    need it, and looking it up decodes the file's source map).
    """

    indicator: str
    target: m.Target
    level: str | None
    plan_type: str | None
    origin: tuple[str, str]
    location: Location

    def __getattribute__(self, name: str):
        value = object.__getattribute__(self, name)
        if name == "location" and not isinstance(value, Location):
            value = value()
            object.__setattr__(self, "location", value)
        return value

    def __reduce__(self):
        return (ResolvedTarget, (self.indicator, self.target, self.level, self.plan_type, self.origin, self.location))

    @property
    def context_key(self) -> tuple:
        return (self.indicator, self.level or "", self.plan_type or "", self.target.context or "")


@dataclass
class Record:
    """Where a record lives: its source file and data path inside it."""

    source: SourceFile
    path: tuple


@dataclass
class Corpus:
    """The resolved corpus. Dicts keep file order (deterministic); use the ``*_sorted`` helpers for 五级三类 order."""

    root: Path
    levels: dict[str, m.PlanLevel] = field(default_factory=dict)
    plan_types: dict[str, m.PlanType] = field(default_factory=dict)
    cells: dict[str, m.PlanCell] = field(default_factory=dict)
    domains: dict[str, m.Domain] = field(default_factory=dict)
    scales: dict[str, m.Scale] = field(default_factory=dict)
    goals: dict[str, m.Goal] = field(default_factory=dict)
    units: dict[str, m.Unit] = field(default_factory=dict)
    references: dict[str, m.ExternalReference] = field(default_factory=dict)
    editions: dict[str, m.Edition] = field(default_factory=dict)
    facets: dict[str, m.Facet] = field(default_factory=dict)
    measures: dict[str, m.Measure] = field(default_factory=dict)
    indicators: dict[str, m.Indicator] = field(default_factory=dict)
    standards: dict[str, m.Standard] = field(default_factory=dict)
    drafts: dict[str, m.Draft] = field(default_factory=dict)
    reviews: dict[str, m.ReviewRound] = field(default_factory=dict)
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    files: list[SourceFile] = field(default_factory=list)
    targets: list[ResolvedTarget] = field(default_factory=list)
    _index: CorpusIndex | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------------ reverse links
    @property
    def index(self) -> CorpusIndex:
        """The reverse links of this corpus (:class:`toolkit.index.CorpusIndex`), built on first use and kept."""
        if self._index is None:
            self._index = build_index(self)
        return self._index

    def reindex(self) -> CorpusIndex:
        """Rebuild :attr:`index` (after editing the corpus in place) and return it."""
        self._index = None
        return self.index

    # ------------------------------------------------------------------ locations
    def where(self, kind: str, id_: str, *path) -> Location:
        """Location of record ``(kind, id_)`` or of ``path`` below it; ``Location()`` if unknown."""
        rec = self.records.get((kind, id_))
        if rec is None:
            return Location()
        return rec.source.loc(rec.path + tuple(path))

    def key_where(self, kind: str, id_: str, *path) -> Location:
        rec = self.records.get((kind, id_))
        if rec is None:
            return Location()
        return rec.source.key_loc(rec.path + tuple(path))

    # ------------------------------------------------------------------ orders
    def cells_sorted(self) -> list[m.PlanCell]:
        """Cells in 五级三类 order: level order, then plan type order."""
        return sorted(self.cells.values(), key=lambda c: (self.levels[c.level].order if c.level in self.levels else 99,
                                                          self.plan_types[c.plan_type].order if c.plan_type in self.plan_types else 99))

    def domains_sorted(self) -> list[m.Domain]:
        return sorted(self.domains.values(), key=lambda d: d.order)

    def goals_sorted(self) -> list[m.Goal]:
        return sorted(self.goals.values(), key=lambda g: g.order)

    def scales_sorted(self) -> list[m.Scale]:
        return sorted(self.scales.values(), key=lambda s: s.order)

    def cell_of(self, level: str, plan_type: str) -> m.PlanCell | None:
        for c in self.cells.values():
            if c.level == level and c.plan_type == plan_type:
                return c
        return None

    def measures_in(self, cell: m.PlanCell, domain: str | None = None) -> list[m.Measure]:
        """Measures of a cell (and domain), in id order."""
        found = (self.measures[i] for i in self.index.measures_by_scope.get((cell.level, cell.plan_type), ()))
        return [x for x in found if domain is None or x.domain == domain]

    def standards_sorted(self) -> list[m.Standard]:
        """Standards: near-term first, then by category order and id."""
        return sorted(self.standards.values(), key=lambda s: (not s.near_term, CATEGORY_ORDER[s.category], s.id))

    def reviews_of(self, standard_id: str) -> list[m.ReviewRound]:
        """Review rounds of one standard, in round-id order (``standards/reviews/<standard>/<round>.yaml``)."""
        return [r for k, r in sorted(self.reviews.items()) if r.standard == standard_id]

    def targets_of(self, indicator_id: str) -> list[ResolvedTarget]:
        """Resolved targets of an indicator, in :attr:`targets` order (from :attr:`index`)."""
        return list(self.index.indicator_targets.get(indicator_id, ()))

    def users_of(self, indicator_id: str) -> dict[str, list[str]]:
        """Ids of measures, standards and drafts that use an indicator: ``{"measures": [...], "standards": [...], "drafts": [...]}``."""
        return self.index.users_of(indicator_id)


# ---------------------------------------------------------------------- resolve
_REG_KIND = REGISTRY_KIND
_GLOBAL_ID_KINDS = GLOBAL_ID_KINDS


def resolve(valid: list[ValidFile], root: Path) -> tuple[Corpus, list[Finding]]:
    """Index every record; duplicate ids (E301) are reported and the first one kept."""
    corpus = Corpus(root=root, files=[v.source for v in valid])
    findings: list[Finding] = []
    global_ids: dict[str, tuple[str, SourceFile, tuple]] = {}  # id -> (kind, file, path): located only if reported

    def add(kind: str, id_: str, obj, store: dict, sf: SourceFile, path: tuple) -> None:
        if id_ in store:
            first = corpus.where(kind, id_)
            findings.append(Finding("E301", "error", f"duplicate {kind} id `{id_}` (first defined at {first})",
                                    sf.loc(path), "ids must be unique: rename one, or delete the duplicate record"))
            return
        if kind in _GLOBAL_ID_KINDS and id_ in global_ids and global_ids[id_][0] != kind:
            other_kind, other_sf, other_path = global_ids[id_]
            findings.append(Finding("E301", "error", f"id `{id_}` is used by a {other_kind} at "
                                    f"{other_sf.loc(other_path)} and a {kind} here",
                                    sf.loc(path), "ids are unique across the corpus: rename one of them"))
        store[id_] = obj
        corpus.records[(kind, id_)] = Record(sf, path)
        if kind in _GLOBAL_ID_KINDS:
            global_ids.setdefault(id_, (kind, sf, path))

    # Re-locate each validated item: list validation drops invalid items, so map by id back to data index.
    for vf in valid:
        sf = vf.source
        if vf.kind == "registry":
            for key, kind in _REG_KIND.items():
                items = getattr(vf.model, key, None) or []
                index = list_ids(sf, key)
                for item in items:
                    add(kind, item.id, item, getattr(corpus, key), sf, (key, index.get(item.id, 0)))
        elif vf.kind in ("measures", "indicators"):
            key = vf.kind
            kind = key[:-1]
            index = list_ids(sf, key)
            for item in getattr(vf.model, key):
                add(kind, item.id, item, getattr(corpus, key), sf, (key, index.get(item.id, 0)))
        elif vf.kind == "standard":
            st = vf.model.standard
            add("standard", st.id, st, corpus.standards, sf, ("standard",))
        elif vf.kind == "draft":
            d = vf.model.draft
            add("draft", d.standard, d, corpus.drafts, sf, ("draft",))
        elif vf.kind == "review":
            rv = vf.model.review
            add("review", f"{rv.standard}/{rv.round}", rv, corpus.reviews, sf, ("review",))

    corpus.targets = _collect_targets(corpus)
    return corpus, findings


def _collect_targets(c: Corpus) -> list[ResolvedTarget]:
    out: list[ResolvedTarget] = []
    for ind in c.indicators.values():
        for i, t in enumerate(ind.targets):
            out.append(ResolvedTarget(ind.id, t, t.level, t.plan_type, ("indicator", ind.id),
                                      _where(c, "indicator", ind.id, "targets", i)))
    for ms in c.measures.values():
        for i, t in enumerate(ms.targets):
            if t.indicator:
                out.append(ResolvedTarget(t.indicator, t, t.level or ms.level, t.plan_type or ms.plan_type,
                                          ("measure", ms.id), _where(c, "measure", ms.id, "targets", i)))
    for st in c.standards.values():
        for li, lv in enumerate(st.levers):
            for ci, cm in enumerate(lv.countermeasures):
                for i, t in enumerate(cm.targets):
                    if t.indicator:
                        out.append(ResolvedTarget(t.indicator, t, t.level, t.plan_type, ("countermeasure", cm.id),
                                                  _where(c, "standard", st.id, "levers", li, "countermeasures", ci, "targets", i)))
    for sid, d in c.drafts.items():
        for cl, p in draft_clauses(d):
            for i, t in enumerate(cl.targets):
                if t.indicator:
                    out.append(ResolvedTarget(t.indicator, t, t.level, t.plan_type, ("clause", cl.id),
                                              _where(c, "draft", sid, *p, "targets", i)))
        for b, p, _owner in iter_draft_blocks(d):
            if isinstance(b, m.IndicatorTableBlock):
                for i, t in enumerate(b.targets):
                    if t.indicator:
                        out.append(ResolvedTarget(t.indicator, t, t.level, t.plan_type, ("table", b.id),
                                                  _where(c, "draft", sid, *p, "targets", i)))
    return out


def _where(c: "Corpus", kind: str, id_: str, *path):
    """A function that looks up ``c.where(kind, id_, *path)`` when called (for lazy locations)."""
    return lambda: c.where(kind, id_, *path)


def table_targets(c: "Corpus", draft_id: str, b: m.IndicatorTableBlock,
                  by_indicator: dict[str, list[ResolvedTarget]] | None = None) -> list[ResolvedTarget]:
    """Targets an indicator table of draft ``draft_id`` may show (a normative annex belongs to its own standard).

    Those stated by the table itself (``b.targets``), by the clauses of the same
    draft, and by the records named in ``b.imports`` (an indicator id imports the
    registry targets written on that indicator; a measure, countermeasure, clause
    or table id imports the targets that record states).  Only targets for the
    table's indicators are returned, grouped by the table's indicators (in its order), each
    indicator's in corpus order; found through the reverse-link index (no scan of every target),
    or through ``by_indicator`` (indicator id → its targets in corpus order) when given.
    Never raises.
    """
    d = c.drafts.get(draft_id)
    own: set[tuple[str, str]] = {("table", b.id)}
    if d is not None:
        own |= {("clause", cl.id) for cl, _ in draft_clauses(d)}
    for rid in b.imports:
        for kind in ("indicator", "measure", "countermeasure", "clause", "table"):
            own.add((kind, rid))
    if by_indicator is None:  # through targets_of, which a job's dependency recorder sees per indicator
        return [rt for iid in dict.fromkeys(b.indicators) for rt in c.targets_of(iid) if rt.origin in own]
    return [rt for iid in dict.fromkeys(b.indicators) for rt in by_indicator.get(iid, ()) if rt.origin in own]


def load_corpus(root: Path, cache: bool | None = None) -> tuple[Corpus, list[Finding]]:
    """Read, validate and resolve the corpus under ``root`` (which holds ``standards/``).

    Reading and validating go through :func:`toolkit.sourcecache.load_sources` (files
    parsed in parallel, each file's validated form cached by content hash under
    ``root/.stdkit-cache/``).  ``cache=False`` reads without the cache and writes
    nothing into ``root`` (for folders stdkit does not own, e.g. the sides of a diff).

    Returns ``(corpus, findings)``; the corpus holds every valid record even when
    findings exist.  Raises nothing for content problems.

    Python's cyclic garbage collector is paused meanwhile: loading allocates millions
    of long-lived, acyclic objects (plain data, source positions, models) and the
    collector's repeated full passes over them took more than half of a check at 1000
    standards (28 s → 12 s).  What was loaded is then frozen (``gc.freeze``) so that
    later collections skip it (a diff of two 1000-standard corpora: 23 s → 14 s); it is
    still freed as usual when dropped (it holds no reference cycles).  Garbage that
    existed before is collected first, so it is not frozen with it.
    """
    import gc

    root = Path(root)
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.collect()
    gc.disable()
    try:
        valid, f1 = load_sources(root, use_cache=cache)
        corpus, f3 = resolve(valid, root)
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
    return corpus, f1 + f3


def release_sources(corpus: Corpus) -> None:
    """Drop the loader's source maps (positions, raw data, text lines) once findings are made.

    Used where locations are no longer needed (e.g. both sides of ``stdkit diff``):
    about half of a large corpus's memory is these maps.  ``corpus.where`` then
    returns file-only locations.
    """
    for sf in corpus.files:
        sf.positions = {}
        sf.key_positions = {}
        sf.lines = []
        sf.data = None
