"""Pydantic models of the stdkit corpus (validate stage of the pipeline).

Every YAML file under ``standards/`` is one of the *file kinds* below, chosen by
its top-level keys (see :data:`FILE_KINDS`).  Models reject unknown keys
(``extra="forbid"``) so a misspelt field is a finding, never silently ignored.

Shapes in brief (all ids are lowercase ASCII ``[a-z0-9][a-z0-9-]*``):

* registries (``standards/registry/*.yaml``): ``levels``, ``plan_types``,
  ``cells``, ``domains``, ``scales``, ``goals``, ``units``, ``references``.
* ``measures:`` lists of :class:`Measure` (``standards/measures/*.yaml``).
* ``indicators:`` lists of :class:`Indicator` (``standards/indicators/*.yaml``).
* ``standard:`` one :class:`Standard` catalogue record
  (``standards/catalogue/*.yaml``).
* ``draft:`` one :class:`Draft` (``standards/drafts/*.yaml``), the clause
  tree of a guideline draft laid out as GB/T 1.1-2020.
* ``review:`` one :class:`ReviewRound` (``standards/reviews/<standard>/<round>.yaml``),
  the comments of one round of review and their dispositions.

Content source: research report *面向“双碳”目标的国土空间规划技术标准体系优化响应*
(2023.8, seed ``004``); every content record carries ``source`` (e.g.
``004 §7.6(四)13)``) or ``drafted: true``.
"""
from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def _check_id(v: str) -> str:
    if not isinstance(v, str) or not ID_RE.match(v) or "--" in v:
        raise ValueError(
            f"id {v!r} is not safe: use lowercase ASCII letters, digits and single hyphens "
            "(ids become file names and URLs; no spaces, '/', '..' or capitals)"
        )
    return v


Id = Annotated[str, Field(min_length=1, max_length=80)]


class Strict(BaseModel):
    """Base for all corpus models: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True, defer_build=True)


class Sourced(Strict):
    """Mixin: a content record says where it came from (``source``) or that it is new drafting."""

    source: str | None = None
    drafted: bool = False
    #: Field-level provenance: names of this record's own fields whose content the corpus added
    #: (新起草), e.g. ``[kind, rigidity, unit, definition, direction]`` on an indicator whose name and
    #: targets come from ``source`` but whose labels the report does not give.
    drafted_fields: list[str] = Field(default_factory=list)
    #: The drafting group's (编制组) note on what the corpus added or corrected in this record (why a
    #: drafted label was chosen, or an extraction slip of the report fixed in a title), shown with the
    #: record's provenance; unlike ``review`` it is not an open question.
    drafting_note: str | None = None

    @model_validator(mode="after")
    def _needs_source(self):
        if not self.source and not self.drafted:
            raise ValueError("record needs `source: \"004 §x.y\"` or `drafted: true`")
        return self

    @model_validator(mode="after")
    def _drafted_fields_known(self):
        if not self.drafted_fields:  # most records: nothing to look at
            return self
        own = set(type(self).model_fields) - {"source", "drafted", "drafted_fields", "drafting_note"}
        unknown = [f for f in self.drafted_fields if f not in own]
        if unknown:
            raise ValueError(
                f"drafted_fields names {unknown} that are not fields of {type(self).__name__} "
                f"(use some of: {', '.join(sorted(own))})"
            )
        if len(set(self.drafted_fields)) != len(self.drafted_fields):
            raise ValueError("drafted_fields lists a field twice")
        return self


# --------------------------------------------------------------------------- registries
class PlanLevel(Strict):
    """One of the five levels of 五级三类 (national … township). ``order`` 1 = national."""

    id: Id
    name: str
    name_en: str | None = None
    order: int
    _v = field_validator("id")(_check_id)


class PlanType(Strict):
    """One of the three plan types: master 总体规划, detailed 详细规划, special 专项规划."""

    id: Id
    name: str
    name_en: str | None = None
    order: int
    _v = field_validator("id")(_check_id)


class PlanCell(Sourced):
    """A level × plan-type cell that exists in the report (§7.1–7.12), e.g. 市级国土空间详细规划."""

    id: Id
    level: Id
    plan_type: Id
    name: str
    section: str
    _v = field_validator("id")(_check_id)


class Domain(Strict):
    """One of the seven carbon domains (energy … sinks 生态空间增汇)."""

    id: Id
    name: str
    name_en: str | None = None
    order: int
    kind: Literal["reduction", "sink"] = "reduction"
    _v = field_validator("id")(_check_id)


class Scale(Sourced):
    """Spatial scale of §4 (region 区域, city 城市, community 社区) and the 五级三类 cells it maps to (§6.1)."""

    id: Id
    name: str
    name_en: str | None = None
    order: int
    levels: list[Id]
    plan_types: list[Id]
    mapping_note: str | None = None
    _v = field_validator("id")(_check_id)


class Goal(Sourced):
    """One of the twelve dual-carbon goals of §4, at one scale."""

    id: Id
    name: str
    name_en: str | None = None
    scale: Id
    order: int
    summary: str
    domains: list[Id] = Field(default_factory=list)
    _v = field_validator("id")(_check_id)


class Unit(Strict):
    """Controlled unit vocabulary entry; ``range`` is the plausible [min, max] for values in it."""

    id: str
    name: str
    range: tuple[float, float] | None = None


class FacetValue(Strict):
    """One value of a facet vocabulary, e.g. ``{id: "0701", name: 城镇住宅用地}`` or ``{id: new-district, name: 新区}``."""

    id: Id
    name: str
    name_en: str | None = None
    note: str | None = None
    _v = field_validator("id")(_check_id)


class Facet(Sourced):
    """A controlled applicability vocabulary (适用条件) a plan can state and a target can require.

    ``id`` is the key used in ``applies:`` and in a plan's ``facets:`` (e.g. ``area-type``,
    ``land-use``).  ``hierarchical: true`` means codes nest by prefix, as the 用地用海分类
    codes do (``070101`` 一类城镇住宅用地 lies within ``0701`` and ``07``): a target for
    ``07`` applies to a plan value ``070101``.
    """

    id: Id
    name: str
    name_en: str | None = None
    hierarchical: bool = False
    values: list[FacetValue]
    _v = field_validator("id")(_check_id)


class ExternalReference(Strict):
    """An external standard or document that drafts may cite as 规范性引用文件 (e.g. GB/T 1.1—2020).

    ``status``: ``current`` (现行), ``superseded`` (已被代替) or ``withdrawn`` (已废止); a
    superseded or withdrawn document is never cited normatively (GB/T 1.1—2020, 9.5.4).
    """

    id: Id
    code: str | None = None
    title: str
    status: Literal["current", "superseded", "withdrawn"] = "current"
    _v = field_validator("id")(_check_id)


class Edition(Sourced):
    """An edition of the corpus: ``date`` (``YYYY-MM-DD``) dates the artifacts built from it when the
    project is not in git and ``SOURCE_DATE_EPOCH`` is not set (the newest edition wins; see :mod:`toolkit.repro`)."""

    id: Id
    name: str
    date: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    _v = field_validator("id")(_check_id)


# --------------------------------------------------------------------------- targets, indicators, measures
Comparator = Literal[">=", "<=", ">", "<", "=", "range"]


class Target(Sourced):
    """A numeric target for an indicator in a context.

    ``value`` is in the indicator's unit (``unit`` may be repeated and must then
    equal it); ``comparator`` ``range`` needs ``value`` (min) and ``value_max``.
    ``level``/``plan_type`` give where in 五级三类 the target applies (a target on
    a measure defaults to the measure's cell); ``context`` says to what (e.g.
    ``新建公共建筑``).  ``review`` flags a value that looks wrong in the source.
    On a measure, standard or clause a target must also name ``indicator``.
    ``case`` marks a reference value quoted from a case study (e.g. ``纽约区划``):
    shown as 参考值, never as a target, and exempt from the threshold-agreement
    and transmission checks.

    ``applies`` is the structured applicability (适用条件) that ``stdkit evaluate``
    matches against a plan: facet id → accepted value ids from
    ``standards/registry/facets.yaml`` (``{area-type: [county-town-built-up]}``);
    ``{}`` means the whole level × plan type (and ``year``: the target year, so
    it applies to plans whose horizon reaches it).  A non-case target without
    ``applies`` cannot be evaluated (finding W404).  ``context`` stays for reading.
    """

    indicator: Id | None = None
    comparator: Comparator
    value: float
    value_max: float | None = None
    unit: str | None = None
    level: Id | None = None
    plan_type: Id | None = None
    context: str = ""
    year: int | None = None
    case: str | None = None
    review: str | None = None
    applies: dict[str, list[str]] | None = None

    @model_validator(mode="after")
    def _range(self):
        if self.comparator == "range" and self.value_max is None:
            raise ValueError("comparator `range` needs `value_max`")
        if self.comparator != "range" and self.value_max is not None:
            raise ValueError("`value_max` is only for comparator `range`")
        return self


class FormulaTerm(Strict):
    """One side of a geometry formula: a quantity summed over features of a plan GeoPackage.

    ``measure``: ``area`` (polygon area, m²), ``floor_area`` / ``footprint`` (parcel
    fields, m²), ``length`` (line length, m), ``count`` (features), ``blocks`` (街坊:
    distinct values of the parcels' ``block`` field), ``mixed_blocks``
    (街坊 — parcels grouped by their ``block`` field — whose parcels belong to two or
    more of the ``classes`` given by 用地用海分类 code prefixes, or hold a parcel with
    a ``secondary_use`` in another class).
    ``layer``: ``parcels``, ``roads``, ``bus_stops``.  ``land_use``: 用地用海分类 code
    prefixes of the parcels counted (empty: all); ``kinds``: values of a road's
    ``kind`` field counted.  ``within`` (m) with ``near_layer`` or ``near_land_use``:
    only the part of each parcel within that distance of those features (a buffer,
    e.g. 公交站点 300 m).
    """

    measure: Literal["area", "floor_area", "footprint", "length", "count", "blocks", "mixed_blocks"]
    layer: Literal["parcels", "roads", "bus_stops"] = "parcels"
    land_use: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    classes: list[str] = Field(default_factory=list)
    within: float | None = None
    near_layer: Literal["bus_stops", "parcels"] | None = None
    near_land_use: list[str] = Field(default_factory=list)


class Formula(Sourced):
    """How an indicator is computed from plan geometry: ``scale × numerator / denominator``.

    ``denominator`` may be omitted (a total, e.g. 绿地和水域面积 in hm²: ``scale: 0.0001``).
    ``text`` states the formula in words for the standard's reader; the computation in
    :mod:`toolkit.evaluate.geometry` reads only the structured fields, so the two
    cannot drift apart.
    """

    text: str
    numerator: FormulaTerm
    denominator: FormulaTerm | None = None
    scale: float = 1.0


class Indicator(Sourced):
    """A planning indicator (指标) of §7 and §9.1.

    ``kind`` is 约束性 (binding) or 预期性 (expected); ``rigidity`` 刚性/弹性 where the
    report says so; ``direction`` tells which way is better (``higher``/``lower``/
    ``target``), used by the transmission (传导) check.  ``range`` overrides the
    unit's plausible range.  ``set_locally: true`` says a 约束性 indicator's value is
    fixed by the local plan rather than by a national number.  ``formula`` says how the
    indicator is computed from plan geometry (``stdkit evaluate PLAN.gpkg``); ``aliases``
    are other names and abbreviations planners search by (``FAR`` for 容积率).
    """

    id: Id
    name: str
    name_en: str | None = None
    unit: str
    kind: Literal["约束性", "预期性"]
    rigidity: Literal["刚性", "弹性"] | None = None
    direction: Literal["higher", "lower", "target"]
    definition: str | None = None
    domains: list[Id] = Field(default_factory=list)
    levels: list[Id] = Field(default_factory=list)
    plan_types: list[Id] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    range: tuple[float, float] | None = None
    set_locally: bool = False
    review: str | None = None
    formula: Formula | None = None
    aliases: list[str] = Field(default_factory=list)
    _v = field_validator("id")(_check_id)


class Measure(Sourced):
    """A planning measure (策略措施) in one level × plan-type × domain cell (§7.1–7.12)."""

    id: Id
    level: Id
    plan_type: Id
    domain: Id
    title: str
    summary: str
    indicators: list[Id] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    goals: list[Id] = Field(default_factory=list)
    standards: list[Id] = Field(default_factory=list)
    _v = field_validator("id")(_check_id)


# --------------------------------------------------------------------------- standards catalogue
class ProblemSolution(Sourced):
    """One row of a §9.1 拟解决的问题 → 解决方法 table."""

    id: Id
    problem: str
    question: str | None = None
    solutions: list[str]
    _v = field_validator("id")(_check_id)


class Countermeasure(Sourced):
    """核心对策 under a lever, with the indicators (by id) that measure it."""

    id: Id
    name: str
    text: str
    indicators: list[Id] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    _v = field_validator("id")(_check_id)


class Lever(Sourced):
    """重要抓手 of a near-term standard (e.g. 空间布局) and its countermeasures."""

    id: Id
    name: str
    scale: Id | None = None
    countermeasures: list[Countermeasure]
    _v = field_validator("id")(_check_id)


class Standard(Sourced):
    """A proposed standard of §9 (catalogue record).

    ``category``: ``comprehensive`` 综合标准 (5), ``special`` 专项标准 (11),
    ``revision`` 修订 (3), ``implementation`` 实施保障类新增 (4), ``in-progress`` (the
    城市更新 recommendation).  ``action``: ``new`` or ``revise``.
    """

    id: Id
    title: str
    title_en: str | None = None
    category: Literal["comprehensive", "special", "revision", "implementation", "in-progress"]
    group: Literal["规划编制类", "实施保障类"]
    action: Literal["new", "revise", "recommend"]
    near_term: bool = False
    code: str | None = None
    purpose: str
    revision_direction: str | None = None
    domains: list[Id] = Field(default_factory=list)
    levels: list[Id] = Field(default_factory=list)
    plan_types: list[Id] = Field(default_factory=list)
    problems: list[ProblemSolution] = Field(default_factory=list)
    levers: list[Lever] = Field(default_factory=list)
    indicators: list[Id] = Field(default_factory=list)
    review: str | None = None
    explanation: "Explanation | None" = None
    _v = field_validator("id")(_check_id)



# --------------------------------------------------------------------------- 编制说明 facts (catalogue record)
class WorkStep(Strict):
    """One step of 主要工作过程: when (``2025-03`` or ``2025-03—2025-05``) and what the 编制组 did."""

    date: str
    event: str


class Drafter(Strict):
    """One 主要起草人: name, unit and what they did (``负责第5章``)."""

    name: str
    unit: str
    role: str | None = None


class Explanation(Sourced):
    """Facts of a standard's 编制说明 (data, not template prose), kept on its catalogue record.

    ``task_source`` 任务来源; ``process`` 主要工作过程; ``units`` 起草单位 (lead first);
    ``drafters`` 起草人; ``verification`` 验证情况; ``international`` 与国际国外同类标准的对比;
    ``laws`` 与法律法规和强制性标准的关系 (added to what the references give);
    ``patents`` 涉及专利的说明; ``implementation`` 实施建议; ``other`` 其他.
    Each free-text part is a list of paragraphs.
    """

    task_source: list[str] = Field(default_factory=list)
    process: list[WorkStep] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    drafters: list[Drafter] = Field(default_factory=list)
    verification: list[str] = Field(default_factory=list)
    international: list[str] = Field(default_factory=list)
    laws: list[str] = Field(default_factory=list)
    patents: list[str] = Field(default_factory=list)
    implementation: list[str] = Field(default_factory=list)
    other: list[str] = Field(default_factory=list)


Standard.model_rebuild()

# --------------------------------------------------------------------------- drafts (document model input)
class Paragraph(Strict):
    """A paragraph of text. Inline ``[[id]]`` cites a clause, table, figure or annex by id."""

    type: Literal["p"]
    text: str


class ListItem(Strict):
    """One 列项 entry; ``items`` nests a second level (1) 2) under a) b))."""

    text: str
    items: list[str] = Field(default_factory=list)


class ListBlock(Strict):
    """列项: ``style`` alpha gives a) b) c); numeric gives 1) 2); dash gives ——."""

    type: Literal["list"]
    intro: str | None = None
    style: Literal["alpha", "numeric", "dash"] = "alpha"
    items: list[Union[str, ListItem]]


class NoteBlock(Strict):
    """注 (note) under a clause."""

    type: Literal["note"]
    text: str


class ExampleBlock(Strict):
    """示例 (example) under a clause."""

    type: Literal["example"]
    text: str


class TableBlock(Strict):
    """表 n: a free table with caption, header row, body rows and optional unit line."""

    type: Literal["table"]
    id: Id
    caption: str
    unit: str | None = None
    header: list[str]
    rows: list[list[str]]
    _v = field_validator("id")(_check_id)

    @field_validator("rows")
    @classmethod
    def _rows_match_header(cls, rows: list[list[str]], info):
        """Every row has as many cells as the header has columns (a ragged row renders empty cells)."""
        header = info.data.get("header")
        if header is not None:
            for i, row in enumerate(rows, 1):
                if len(row) != len(header):
                    raise ValueError(f"第 {i} 行有 {len(row)} 个单元格，表头有 {len(header)} 列："
                                     f"{' | '.join(row)}")
        return rows


class IndicatorTableBlock(Strict):
    """表 n generated from the indicator registry: rows are the given indicators.

    A table shows only targets its own draft states: the ``targets`` written on the
    table itself (each names ``indicator``), the ``targets`` of the draft's clauses,
    and the targets of the records named in ``imports`` (ids of an indicator — its
    registry targets —, a measure, a countermeasure or a clause of another draft).
    Targets elsewhere in the corpus never flow in by filter.  ``level``/``plan_type``
    restrict the shown targets further.
    """

    type: Literal["indicator_table"]
    id: Id
    caption: str
    indicators: list[Id]
    level: Id | None = None
    plan_type: Id | None = None
    targets: list["Target"] = Field(default_factory=list)
    imports: list[Id] = Field(default_factory=list)
    _v = field_validator("id")(_check_id)


class MatrixBlock(Strict):
    """A generated matrix table, e.g. the 12 五级三类 cells × evaluation focus of the carbon-impact guideline.

    ``rows`` are keyed by cell id; ``columns`` names the fields of each row.
    """

    type: Literal["cell_matrix"]
    id: Id
    caption: str
    columns: list[str]
    rows: dict[Id, list[str]]
    _v = field_validator("id")(_check_id)

    @field_validator("rows")
    @classmethod
    def _rows_match_columns(cls, rows: dict[str, list[str]], info):
        """Every row has one cell per column (a ragged row renders empty cells)."""
        columns = info.data.get("columns")
        if columns is not None:
            for cid, row in rows.items():
                if len(row) != len(columns):
                    raise ValueError(f"行 {cid} 有 {len(row)} 个单元格，columns 有 {len(columns)} 列："
                                     f"{' | '.join(row)}")
        return rows


Block = Annotated[
    Union[Paragraph, ListBlock, NoteBlock, ExampleBlock, TableBlock, IndicatorTableBlock, MatrixBlock],
    Field(discriminator="type"),
]


class Clause(Sourced):
    """A chapter or clause (章/条). Numbering (4, 4.1, 4.1.1) is computed, never stored.

    ``kind`` marks the GB/T 1.1-2020 fixed elements: ``scope`` 范围, ``normrefs``
    规范性引用文件, ``terms`` 术语和定义; ordinary clauses have ``kind: clause``.
    ``targets`` quote registry numbers that the clause text states.
    """

    id: Id
    title: str | None = None
    kind: Literal["scope", "normrefs", "terms", "clause"] = "clause"
    blocks: list[Block] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    clauses: list["Clause"] = Field(default_factory=list)
    _v = field_validator("id")(_check_id)


class Term(Sourced):
    """术语和定义 entry (term, English equivalent, definition).

    ``borrowed_from`` names the document a definition is taken from; it is printed
    after the definition as ``[来源：GB/T 50137—2011，2.0.1]`` (GB/T 1.1—2020, 8.7.3).
    """

    id: Id
    term: str
    term_en: str | None = None
    definition: str
    note: str | None = None
    borrowed_from: str | None = None
    _v = field_validator("id")(_check_id)


class Annex(Sourced):
    """附录 A/B…, normative (规范性) or informative (资料性); letters are computed."""

    id: Id
    title: str
    normative: bool = False
    blocks: list[Block] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)
    _v = field_validator("id")(_check_id)


class RevisionRow(Sourced):
    """One row of a 修订对照表 (条款 | 原条文 | 修订后条文 | 修订理由).

    ``base_clause`` is the number of the clause in the base edition
    (:attr:`Draft.base_edition`) whose text ``original`` quotes; ``new_clause`` the
    id of the clause of this draft whose text ``revised`` quotes (omit one of them
    for a clause added or deleted).  Checks compare the quotes with both texts.
    """

    id: Id
    clause: str
    original: str
    revised: str
    reason: str
    base_clause: str | None = None
    new_clause: Id | None = None
    _v = field_validator("id")(_check_id)


class BaseClause(Strict):
    """A clause of the base edition a revision replaces: ``number`` as printed (``5.2``), title, full text."""

    number: str
    title: str | None = None
    text: str = ""


class BaseEdition(Sourced):
    """The edition a revision replaces: its ``code`` (``TD/T 1063—2021``), title and clauses.

    A revision printed with 代替 holds either this (its full text beside the new
    edition's, for the 修订对照表) or is drafted as a 标准修改单 (``form: amendment``).
    """

    code: str
    title: str
    clauses: list[BaseClause] = Field(default_factory=list)


class Amendment(Sourced):
    """One item of a 标准修改单: a change stated against a clause of the base standard.

    ``clause`` is the base standard's clause, table or annex number as printed
    (``5.2``, ``表3``, ``附录A``); ``action`` 修改 (replace ``original`` by ``text``),
    增加 (add ``text`` after ``clause``) or 删除 (delete ``original``).
    """

    id: Id
    clause: str
    action: Literal["修改", "增加", "删除"]
    original: str | None = None
    text: str | None = None
    reason: str | None = None
    _v = field_validator("id")(_check_id)

    @model_validator(mode="after")
    def _texts(self):
        if self.action in ("修改", "增加") and not self.text:
            raise ValueError(f"amendment action {self.action} needs `text` (the new wording)")
        if self.action in ("修改", "删除") and not self.original:
            raise ValueError(f"amendment action {self.action} needs `original` (the base wording)")
        return self


DOC_TYPES = ("规范", "规程", "指南", "方法", "术语", "符号", "分类", "试验")
"""Functional types of a standard (GB/T 1.1—2020, 4.2 and GB/T 20001): 规范 states requirements,
规程 procedures, 指南 guidance (宜/可, no 应), 方法/试验 methods, 术语/符号/分类 basic standards."""

STAGES = ("工作组讨论稿", "征求意见稿", "送审稿", "报批稿", "发布稿")
"""Drafting stages in order; ``发布稿`` is the published text (real code and dates, no stage line)."""


class Draft(Sourced):
    """A guideline draft of one standard, in GB/T 1.1-2020 element order.

    ``standard`` refers to a catalogue record.  ``normative_references`` are ids
    of catalogue standards or :class:`ExternalReference` entries; ids also listed
    in ``pending_references`` are documents still being drafted, printed with the
    note 正在制定 (GB/T 1.1—2020 allows this only with that note).

    ``doc_type`` is the functional type (:data:`DOC_TYPES`), ``stage`` the drafting
    stage (:data:`STAGES`, see :mod:`toolkit.stages` for what each prints and
    allows), ``filing_number`` the 备案号 of an industry standard, ``completion_date``
    the 本稿完成日期 on the cover of a draft.

    Revisions: ``form: standard`` (the full text; ``base_edition`` holds the
    replaced edition for the 修订对照表) or ``form: amendment`` (a 标准修改单:
    ``amendments`` against ``base_edition.code``'s clause numbers, no clause tree).
    ``basis`` names a non-standard document the draft is built on: the 前言 says
    本文件以…为基础起草 and the cover has no 代替 line.
    """

    standard: Id
    stage: Literal["工作组讨论稿", "征求意见稿", "送审稿", "报批稿", "发布稿"] = "征求意见稿"
    doc_type: Literal["规范", "规程", "指南", "方法", "术语", "符号", "分类", "试验"] | None = None
    form: Literal["standard", "amendment"] = "standard"
    ics: str
    ccs: str
    filing_number: str | None = None
    completion_date: str | None = None
    code: str
    title_en: str
    issuer: str = "中华人民共和国自然资源部"
    date_issue: str = "20XX-XX-XX"
    date_implement: str = "20XX-XX-XX"
    foreword: list[Block] = Field(default_factory=list)
    introduction: list[Block] = Field(default_factory=list)
    normative_references: list[Id] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)
    annexes: list[Annex] = Field(default_factory=list)
    bibliography: list[str] = Field(default_factory=list)
    revision_table: list[RevisionRow] = Field(default_factory=list)
    pending_references: list[Id] = Field(default_factory=list)
    basis: str | None = None
    base_edition: BaseEdition | None = None
    amendments: list[Amendment] = Field(default_factory=list)


Clause.model_rebuild()
IndicatorTableBlock.model_rebuild()


# --------------------------------------------------------------------------- review rounds (征求意见)
STAGES: tuple[str, ...] = ("工作组讨论稿", "征求意见稿", "送审稿", "报批稿")
"""Draft stages in order (GB/T 1.1 drafting procedure: 工作组讨论稿 → 征求意见稿 → 送审稿 → 报批稿)."""

DISPOSITIONS: tuple[str, ...] = ("采纳", "部分采纳", "未采纳", "待处理")
"""处理意见 of a comment; 部分采纳 and 未采纳 need a ``reason``."""


class ReviewComment(Strict):
    """One comment of a review round (one Word 批注, one tracked change, or one row of a 征求意见表).

    ``clause`` is the id of the clause, term, table or annex it is anchored to
    (``None``: the draft as a whole); ``clause_number`` its number in the draft as
    circulated in the round (5.1.2, 表A.1, 附录B).  ``kind`` 批注 (Word comment),
    修改建议 (tracked change: ``original`` → ``proposal`` is the proposed new text of
    one paragraph) or 意见 (a form row; ``proposal`` its 修改建议).  ``origin`` names
    the imported file (SHA-256 prefix) and the comment in it, so importing the same
    file twice adds nothing.  ``disposition`` 采纳 | 部分采纳 | 未采纳 | 待处理, ``reason``
    required for 部分采纳/未采纳, ``resolved_by`` the clause id or commit that resolved it.
    """

    id: Id
    unit: str
    reviewer: str | None = None
    kind: Literal["批注", "修改建议", "意见"] = "意见"
    clause: Id | None = None
    clause_number: str | None = None
    quote: str | None = None
    text: str
    original: str | None = None
    proposal: str | None = None
    date: str | None = None
    origin: str | None = None
    disposition: Literal["采纳", "部分采纳", "未采纳", "待处理"] = "待处理"
    reason: str | None = None
    resolved_by: str | None = None
    _v = field_validator("id")(_check_id)

    @model_validator(mode="after")
    def _reason(self):
        if self.disposition in ("部分采纳", "未采纳") and not (self.reason or "").strip():
            raise ValueError(f"disposition {self.disposition} needs a `reason:`")
        return self


class ReviewRound(Sourced):
    """One round of review of a draft (``standards/reviews/<standard>/<round>.yaml``).

    ``stage`` the draft's stage when circulated (one of :data:`STAGES`); ``revision``
    the git commit of the draft as circulated (numbers and text are resolved against
    it); ``units_sent`` the units the draft was sent to; ``replied_without_comments``
    units that replied 无意见.  Replies with comments are the comments' ``unit``.
    """

    standard: Id
    round: Id
    stage: str = "征求意见稿"
    revision: str | None = None
    date: str | None = None
    units_sent: list[str] = Field(default_factory=list)
    replied_without_comments: list[str] = Field(default_factory=list)
    comments: list[ReviewComment] = Field(default_factory=list)
    _v = field_validator("round")(_check_id)


# --------------------------------------------------------------------------- file kinds
class RegistryFile(Strict):
    """A registry file: any subset of the registry lists."""

    levels: list[PlanLevel] = Field(default_factory=list)
    plan_types: list[PlanType] = Field(default_factory=list)
    cells: list[PlanCell] = Field(default_factory=list)
    domains: list[Domain] = Field(default_factory=list)
    scales: list[Scale] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    references: list[ExternalReference] = Field(default_factory=list)
    editions: list[Edition] = Field(default_factory=list)
    facets: list[Facet] = Field(default_factory=list)


class MeasuresFile(Strict):
    """``measures:`` list file."""

    measures: list[Measure]


class IndicatorsFile(Strict):
    """``indicators:`` list file."""

    indicators: list[Indicator]


class StandardFile(Strict):
    """``standard:`` catalogue record file."""

    standard: Standard


class DraftFile(Strict):
    """``draft:`` draft file."""

    draft: Draft


class ReviewFile(Strict):
    """``review:`` one review round of one draft (``standards/reviews/<standard>/<round>.yaml``)."""

    review: ReviewRound


FILE_KINDS: dict[str, type[Strict]] = {
    "measures": MeasuresFile,
    "indicators": IndicatorsFile,
    "standard": StandardFile,
    "draft": DraftFile,
    "review": ReviewFile,
}
REGISTRY_KEYS = set(RegistryFile.model_fields)
