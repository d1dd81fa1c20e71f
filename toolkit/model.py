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

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Sourced(Strict):
    """Mixin: a content record says where it came from (``source``) or that it is new drafting."""

    source: str | None = None
    drafted: bool = False
    #: Field-level provenance: names of this record's own fields whose content the corpus added
    #: (新起草), e.g. ``[kind, rigidity, unit, definition, direction]`` on an indicator whose name and
    #: targets come from ``source`` but whose labels the report does not give.
    drafted_fields: list[str] = []
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
    domains: list[Id] = []
    _v = field_validator("id")(_check_id)


class Unit(Strict):
    """Controlled unit vocabulary entry; ``range`` is the plausible [min, max] for values in it."""

    id: str
    name: str
    range: tuple[float, float] | None = None


class ExternalReference(Strict):
    """An external standard or document that drafts may cite as 规范性引用文件 (e.g. GB/T 1.1—2020)."""

    id: Id
    code: str | None = None
    title: str
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

    @model_validator(mode="after")
    def _range(self):
        if self.comparator == "range" and self.value_max is None:
            raise ValueError("comparator `range` needs `value_max`")
        if self.comparator != "range" and self.value_max is not None:
            raise ValueError("`value_max` is only for comparator `range`")
        return self


class Indicator(Sourced):
    """A planning indicator (指标) of §7 and §9.1.

    ``kind`` is 约束性 (binding) or 预期性 (expected); ``rigidity`` 刚性/弹性 where the
    report says so; ``direction`` tells which way is better (``higher``/``lower``/
    ``target``), used by the transmission (传导) check.  ``range`` overrides the
    unit's plausible range.  ``set_locally: true`` says a 约束性 indicator's value is
    fixed by the local plan rather than by a national number.
    """

    id: Id
    name: str
    name_en: str | None = None
    unit: str
    kind: Literal["约束性", "预期性"]
    rigidity: Literal["刚性", "弹性"] | None = None
    direction: Literal["higher", "lower", "target"]
    definition: str | None = None
    domains: list[Id] = []
    levels: list[Id] = []
    plan_types: list[Id] = []
    targets: list[Target] = []
    range: tuple[float, float] | None = None
    set_locally: bool = False
    review: str | None = None
    _v = field_validator("id")(_check_id)


class Measure(Sourced):
    """A planning measure (策略措施) in one level × plan-type × domain cell (§7.1–7.12)."""

    id: Id
    level: Id
    plan_type: Id
    domain: Id
    title: str
    summary: str
    indicators: list[Id] = []
    targets: list[Target] = []
    goals: list[Id] = []
    standards: list[Id] = []
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
    indicators: list[Id] = []
    targets: list[Target] = []
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
    domains: list[Id] = []
    levels: list[Id] = []
    plan_types: list[Id] = []
    problems: list[ProblemSolution] = []
    levers: list[Lever] = []
    indicators: list[Id] = []
    review: str | None = None
    _v = field_validator("id")(_check_id)


# --------------------------------------------------------------------------- drafts (document model input)
class Paragraph(Strict):
    """A paragraph of text. Inline ``[[id]]`` cites a clause, table, figure or annex by id."""

    type: Literal["p"]
    text: str


class ListItem(Strict):
    """One 列项 entry; ``items`` nests a second level (1) 2) under a) b))."""

    text: str
    items: list[str] = []


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


class IndicatorTableBlock(Strict):
    """表 n generated from the indicator registry: rows are the given indicators.

    ``columns`` picks fields; ``level``/``plan_type`` restrict shown targets.
    """

    type: Literal["indicator_table"]
    id: Id
    caption: str
    indicators: list[Id]
    level: Id | None = None
    plan_type: Id | None = None
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
    blocks: list[Block] = []
    targets: list[Target] = []
    clauses: list["Clause"] = []
    _v = field_validator("id")(_check_id)


class Term(Sourced):
    """术语和定义 entry (term, English equivalent, definition)."""

    id: Id
    term: str
    term_en: str | None = None
    definition: str
    note: str | None = None
    _v = field_validator("id")(_check_id)


class Annex(Sourced):
    """附录 A/B…, normative (规范性) or informative (资料性); letters are computed."""

    id: Id
    title: str
    normative: bool = False
    blocks: list[Block] = []
    clauses: list[Clause] = []
    _v = field_validator("id")(_check_id)


class RevisionRow(Sourced):
    """One row of a 修订对照表 (条款 | 原条文 | 修订后条文 | 修订理由)."""

    id: Id
    clause: str
    original: str
    revised: str
    reason: str
    _v = field_validator("id")(_check_id)


class Draft(Sourced):
    """A guideline draft of one standard, in GB/T 1.1-2020 element order.

    ``standard`` refers to a catalogue record.  ``normative_references`` are ids
    of catalogue standards or :class:`ExternalReference` entries.
    """

    standard: Id
    stage: str = "征求意见稿"
    ics: str
    ccs: str
    code: str
    title_en: str
    issuer: str = "中华人民共和国自然资源部"
    date_issue: str = "20XX-XX-XX"
    date_implement: str = "20XX-XX-XX"
    foreword: list[Block] = []
    introduction: list[Block] = []
    normative_references: list[Id] = []
    terms: list[Term] = []
    clauses: list[Clause]
    annexes: list[Annex] = []
    bibliography: list[str] = []
    revision_table: list[RevisionRow] = []


Clause.model_rebuild()


# --------------------------------------------------------------------------- file kinds
class RegistryFile(Strict):
    """A registry file: any subset of the registry lists."""

    levels: list[PlanLevel] = []
    plan_types: list[PlanType] = []
    cells: list[PlanCell] = []
    domains: list[Domain] = []
    scales: list[Scale] = []
    goals: list[Goal] = []
    units: list[Unit] = []
    references: list[ExternalReference] = []


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


FILE_KINDS: dict[str, type[Strict]] = {
    "measures": MeasuresFile,
    "indicators": IndicatorsFile,
    "standard": StandardFile,
    "draft": DraftFile,
}
REGISTRY_KEYS = set(RegistryFile.model_fields)
