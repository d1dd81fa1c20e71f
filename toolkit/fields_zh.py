"""Chinese descriptions of every corpus model and field — the ONE place they live.

Used by the JSON Schema generator (:mod:`toolkit.schema`: ``description`` shown on
hover and in completion lists of the editor) and by the site's 字段参考 page
(:mod:`toolkit.fieldref`).  ``tests/schema/test_schema.py`` fails when a field of a
model in :mod:`toolkit.model` has no description here, naming the missing keys.

How to add a field ``foo`` to model ``Bar``: add ``"Bar.foo": "…",`` to
:data:`FIELDS` (or, when the field means the same on every model, a ``"foo"`` entry
to :data:`COMMON`); for a new model add ``"Bar": "…"`` to :data:`MODELS`.  Then run
``stdkit schema`` (``make schema``) to regenerate ``schemas/*.json``.

Lookup order: ``FIELDS["Model.field"]``, then ``COMMON["field"]``.
:data:`EXAMPLES` gives a short example where the corpus holds no value to show.
"""
from __future__ import annotations

MODELS: dict[str, str] = {
    # file kinds
    "MeasuresFile": "措施文件（standards/measures/<层级>-<规划类型>.yaml）：一个规划单元（层级 × 规划类型）的策略措施列表。",
    "IndicatorsFile": "指标文件（standards/indicators/*.yaml）：指标登记表。",
    "StandardFile": "标准目录文件（standards/catalogue/<标准编号>.yaml）：一项拟编标准的目录记录。",
    "DraftFile": "草案文件（standards/drafts/<标准编号>.yaml）：一项标准按 GB/T 1.1—2020 编排的条文树。",
    "RegistryFile": "登记表文件（standards/registry/*.yaml）：五级三类、领域、尺度、目标、单位与可引用的外部标准。",
    # registries
    "PlanLevel": "规划层级（五级三类中的“五级”：国家级、省级、市级、县级、乡镇级）。",
    "PlanType": "规划类型（五级三类中的“三类”：总体规划、详细规划、专项规划）。",
    "PlanCell": "规划单元：报告论及的一个“层级 × 规划类型”组合（共 12 类），如市级国土空间详细规划。",
    "Domain": "减碳增汇领域（能源、工业、交通、建筑、废弃物、农业、生态空间增汇）。",
    "Scale": "空间尺度（区域、城市、社区）及其对应的五级三类（报告 §6.1）。",
    "Goal": "“双碳”目标（报告第 4 章的 12 项目标之一），属于一个尺度。",
    "Unit": "单位：受控单位词表中的一个单位，可带合理取值范围。",
    "ExternalReference": "外部引用文件：草案可作为规范性引用文件引用的外部标准或文件。",
    # content
    "Target": "目标值：指标在某一情形下的数值（阈值）。写在指标、措施、核心对策或草案条文上；同一指标同一情形的数值须一致（E503）。",
    "Indicator": "规划指标：单位、约束性/预期性、刚性/弹性、方向与目标值。",
    "Measure": "策略措施：属于一个规划单元（层级 × 规划类型）和一个领域（报告 §7.1–7.12）。",
    "ProblemSolution": "问题与解决方法：标准拟解决的问题及其解决方法（§9.1 表格的一行）。",
    "Countermeasure": "核心对策：重要抓手下的一项对策及衡量它的指标。",
    "Lever": "重要抓手：近期行动标准的一个抓手（如空间布局）及其核心对策。",
    "Standard": "标准目录记录：报告第 9 章提出的一项标准（新编、修订或建议）。",
    # draft blocks
    "Paragraph": "段：一段正文。文中 [[编号]] 引用条、表、附录或指标。",
    "ListItem": "列项的一项：可带下一级列项。",
    "ListBlock": "列项：a) b) c)、1) 2) 或破折号列项，可带引语。",
    "NoteBlock": "注：条文下的注（不含要求）。",
    "ExampleBlock": "示例：条文下的示例。",
    "TableBlock": "表：自由表格，含表题、表头、各行和可选单位行；每行单元格数须等于表头列数。",
    "IndicatorTableBlock": "指标表：行取自指标登记表，目标值列按 level/plan_type 筛选显示（见 level 字段说明）。",
    "MatrixBlock": "矩阵表：行按五级三类规划单元排列，列由 columns 命名。",
    "Clause": "章或条。编号（4、4.1、4.1.1）由工具计算，不写入 YAML。",
    "Term": "术语：术语和定义中的一个条目。",
    "Annex": "附录（附录 A、B……由工具编号），规范性或资料性。",
    "RevisionRow": "修订对照表行：条款 | 原条文 | 修订后条文 | 修订理由。",
    "Draft": "标准草案：封面信息、前言、引言、规范性引用文件、术语、章条、附录、参考文献，按 GB/T 1.1—2020 排列。",
}
"""Chinese summary of each model (schema ``description`` of the model, heading text of the field reference)."""

COMMON: dict[str, str] = {
    "source": "来源：报告 004 中的章节位置，如 \"004 §7.6(一)2)\"。与 drafted 至少填写一项。",
    "drafted": "新起草：true 表示内容由编制组新拟（报告未载明）；未填 source 时必须为 true。",
    "id": "编号：小写英文字母、数字和单个连字符，全库唯一，创建后不再改动（用于文件名、网址和 [[编号]] 引用）。",
    "name": "中文名称。",
    "name_en": "英文名称（可选）。",
    "order": "排列顺序（1 起）。",
    "level": "规划层级编号：national 国家级、provincial 省级、municipal 市级、county 县级、township 乡镇级。",
    "plan_type": "规划类型编号：master 总体规划、detailed 详细规划、special 专项规划。",
    "levels": "适用的规划层级编号列表。",
    "plan_types": "适用的规划类型编号列表。",
    "domains": "相关领域编号列表：energy、industry、transport、buildings、waste、agriculture、sinks。",
    "indicators": "指标编号列表（standards/indicators/ 中已登记的指标）。",
    "targets": "数值目标列表（见“目标值”）。",
    "review": "待核实说明：原文存疑或需主编确认的问题；填写后 stdkit check 给出警告（W903/W905），解决后删除。",
    "title": "标题。",
    "title_en": "英文标题。",
    "code": "标准编号，如 TD/T XXXX—20XX、GB/T 1.1—2020。",
    "text": "文字内容。",
    "type": "块类型（决定本块的字段）。",
    "caption": "表题（不含“表 n”，编号由工具计算）。",
    "blocks": "内容块列表：段 p、列项 list、注 note、示例 example、表 table、指标表 indicator_table、矩阵表 cell_matrix。",
    "clauses": "下级条列表（编号由工具计算）。",
    "scale": "尺度编号：region 区域、city 城市、community 社区。",
    "summary": "概述（1～3 句，用编制组的话）。",
    "definition": "定义或计算口径。",
    "range": "合理取值范围 [最小值, 最大值]，超出时 stdkit check 给出警告 W901。",
    "unit": "单位编号（standards/registry/units.yaml 中的受控单位）。",
}
"""Descriptions shared by every model that has the field (unless :data:`FIELDS` overrides)."""

FIELDS: dict[str, str] = {
    # file kinds
    "MeasuresFile.measures": "本文件的措施列表（每项一个 - id: …）。",
    "IndicatorsFile.indicators": "本文件登记的指标列表（每项一个 - id: …）。",
    "StandardFile.standard": "标准目录记录（每个文件一项）。",
    "DraftFile.draft": "标准草案（每个文件一项，文件名与 standard 编号相同）。",
    "RegistryFile.levels": "规划层级（五级）。",
    "RegistryFile.plan_types": "规划类型（三类）。",
    "RegistryFile.cells": "规划单元（报告论及的 12 个层级 × 规划类型组合）。",
    "RegistryFile.domains": "七个减碳增汇领域。",
    "RegistryFile.scales": "三个空间尺度。",
    "RegistryFile.goals": "十二项“双碳”目标。",
    "RegistryFile.units": "受控单位词表。",
    "RegistryFile.references": "草案可引用的外部标准（规范性引用文件）。",
    # registries
    "PlanCell.name": "规划单元全称，如 市级国土空间详细规划。",
    "PlanCell.section": "报告中论述该单元的章节，如 §7.6。",
    "Domain.kind": "领域性质：reduction 减排、sink 增汇。",
    "Scale.levels": "该尺度对应的规划层级编号。",
    "Scale.plan_types": "该尺度对应的规划类型编号。",
    "Scale.mapping_note": "尺度与五级三类对应关系的说明（报告 §6.1）。",
    "Goal.scale": "目标所属尺度编号。",
    "Goal.summary": "目标内容概述。",
    "Goal.domains": "目标涉及的领域编号。",
    "Unit.id": "单位编号，即写在指标 unit 中的文字，如 %、m²/人、ratio。",
    "Unit.name": "单位的中文名称。",
    "Unit.range": "该单位数值的合理范围 [最小值, 最大值]，用于 W901 检查；指标可用自己的 range 覆盖。",
    "ExternalReference.code": "外部标准编号，如 GB/T 21010—2017。",
    "ExternalReference.title": "外部标准名称。",
    # targets, indicators, measures
    "Target.indicator": "指标编号。写在措施、核心对策或条文上的目标必须填写（E202）；写在指标上时省略。",
    "Target.comparator": "比较符：>= 不低于、<= 不高于、> 高于、< 低于、= 等于、range 区间（需 value_max）。",
    "Target.value": "数值（按指标的单位；range 时为下限）。",
    "Target.value_max": "区间上限，仅用于 comparator: range。",
    "Target.unit": "单位；可省略，填写时须与指标单位相同（E502）。",
    "Target.level": "适用的规划层级；写在措施上时默认取措施的层级。草案指标表按此筛选目标值。",
    "Target.plan_type": "适用的规划类型；写在措施上时默认取措施的规划类型。",
    "Target.context": "适用情形，如 新建公共建筑、中心城区；同一指标同一层级、类型、情形、年份只能有一个阈值（E503）。",
    "Target.year": "目标年份，如 2030。",
    "Target.case": "案例参考值的出处（如 纽约区划）：仅作参考值显示，不作为目标，不参与阈值一致与传导检查。",
    "Target.review": "数值存疑的说明（原文如此、疑有误）；stdkit check 给出警告 W903。",
    "Indicator.name": "指标中文名称。",
    "Indicator.unit": "单位编号，必须是 standards/registry/units.yaml 中的单位（E501）。",
    "Indicator.kind": "指标属性：约束性 或 预期性。约束性指标须有数值目标或 set_locally: true（E705）。",
    "Indicator.rigidity": "管控方式：刚性 或 弹性（报告明确时填写）。",
    "Indicator.direction": "方向：higher 越高越好、lower 越低越好、target 趋近目标值；用于传导检查（E601）。",
    "Indicator.definition": "指标的含义与计算口径。",
    "Indicator.domains": "指标所属领域编号。",
    "Indicator.levels": "使用该指标的规划层级编号。",
    "Indicator.plan_types": "使用该指标的规划类型编号。",
    "Indicator.targets": "登记在指标上的目标值（不写 indicator 字段）。",
    "Indicator.range": "本指标的合理取值范围 [最小值, 最大值]，覆盖单位的范围。",
    "Indicator.set_locally": "true 表示约束性指标的数值由地方规划确定，报告不给全国统一值。",
    "Measure.level": "措施所在规划层级（与文件名一致）。",
    "Measure.plan_type": "措施所在规划类型（与文件名一致）。",
    "Measure.domain": "措施所属领域编号（七个领域之一，E402）。",
    "Measure.title": "措施标题（报告中的措施名称）。",
    "Measure.summary": "措施内容概述（1～3 句）。",
    "Measure.indicators": "措施提出或使用的指标编号。",
    "Measure.targets": "措施给出的数值目标（每项须写 indicator）。",
    "Measure.goals": "措施服务的“双碳”目标编号（standards/registry/goals.yaml）。",
    "Measure.standards": "落实该措施的标准编号（standards/catalogue/）。",
    # catalogue
    "ProblemSolution.problem": "拟解决的问题。",
    "ProblemSolution.question": "问题的提问形式（报告表格的“问题”列，可选）。",
    "ProblemSolution.solutions": "解决方法列表。",
    "Countermeasure.name": "对策名称。",
    "Countermeasure.text": "对策内容。",
    "Countermeasure.indicators": "衡量该对策的指标编号；缺少时警告 W703。",
    "Countermeasure.targets": "对策给出的数值目标（每项须写 indicator）。",
    "Lever.name": "抓手名称，如 空间布局。",
    "Lever.scale": "抓手所属尺度编号（可选）。",
    "Lever.countermeasures": "该抓手下的核心对策（至少一项，E702）。",
    "Standard.title": "标准名称（不含书名号）。",
    "Standard.category": "类别：comprehensive 综合标准、special 专项标准、revision 修订、implementation 实施保障类新增、in-progress 在编。",
    "Standard.group": "分组：规划编制类 或 实施保障类。",
    "Standard.action": "编制方式：new 新制定、revise 修订、recommend 建议（在编）。",
    "Standard.near_term": "true 表示近期行动标准（报告 §9.1），须有重要抓手 levers（E701）。",
    "Standard.code": "标准编号，如 TD/T XXXX—20XX（未定时用 X 占位）。",
    "Standard.purpose": "编制目的与主要内容。",
    "Standard.revision_direction": "修订方向（修订类标准）。",
    "Standard.domains": "标准涉及的领域编号。",
    "Standard.levels": "标准适用的规划层级编号。",
    "Standard.plan_types": "标准适用的规划类型编号。",
    "Standard.problems": "拟解决的问题与解决方法（§9.1 表格）。",
    "Standard.levers": "重要抓手（近期行动标准必填）。",
    "Standard.indicators": "标准采用的指标编号（另见各抓手下的指标）。",
    "Standard.review": "待核实说明（警告 W905）。",
    # draft blocks
    "Paragraph.type": "固定为 p。",
    "Paragraph.text": "段落文字；用全角标点，要求用“应”，推荐用“宜”，允许用“可”；[[编号]] 引用条、表、附录。",
    "ListItem.text": "列项文字。",
    "ListItem.items": "下一级列项（1) 2)）。",
    "ListBlock.type": "固定为 list。",
    "ListBlock.intro": "引语，如“应符合下列规定：”。",
    "ListBlock.style": "列项符号：alpha 为 a) b) c)，numeric 为 1) 2)，dash 为 ——。",
    "ListBlock.items": "各项：文字，或带 text 与 items 的一项。",
    "NoteBlock.type": "固定为 note。",
    "NoteBlock.text": "注的文字（不含“注：”）。",
    "ExampleBlock.type": "固定为 example。",
    "ExampleBlock.text": "示例文字（不含“示例：”）。",
    "TableBlock.type": "固定为 table。",
    "TableBlock.id": "表的编号（全库唯一，建议以 tab-<标准简称>- 开头）；正文用 [[编号]] 引用（E804）。",
    "TableBlock.unit": "单位行，如 单位为平方米（显示在表的右上方）。",
    "TableBlock.header": "表头各列。",
    "TableBlock.rows": "各行；每行的单元格数须等于表头列数（E102）。",
    "IndicatorTableBlock.type": "固定为 indicator_table。",
    "IndicatorTableBlock.id": "表的编号（全库唯一）；正文用 [[编号]] 引用。",
    "IndicatorTableBlock.indicators": "表中各行的指标编号（按此顺序）。",
    "IndicatorTableBlock.level": "只显示适用于该层级的目标值（及未限定层级的目标值）；不填则显示所有层级、所有情形的目标值。",
    "IndicatorTableBlock.plan_type": "只显示适用于该规划类型的目标值（及未限定类型的目标值）；不填则不按类型筛选。",
    "MatrixBlock.type": "固定为 cell_matrix。",
    "MatrixBlock.id": "表的编号（全库唯一）；正文用 [[编号]] 引用。",
    "MatrixBlock.columns": "除首列（规划层级与类型）外各列的列名。",
    "MatrixBlock.rows": "各行：键为规划单元编号（如 municipal-detailed），值为各列内容。",
    # clauses, terms, annexes
    "Clause.id": "条的编号（全库唯一，建议以标准简称开头，如 ilc-layout）；正文用 [[编号]] 引用，网址锚点亦用此编号。",
    "Clause.title": "条标题（章必须有标题，E806；同级条要么都有标题要么都没有，W809）。",
    "Clause.kind": "要素类型：scope 范围、normrefs 规范性引用文件、terms 术语和定义、clause 一般章条（默认）。",
    "Clause.blocks": "本条的内容块（有下级条时，段落应放入下级条，W807）。",
    "Clause.targets": "本条文字所述的数值目标（须写 indicator），参与阈值一致检查并显示在指标页。",
    "Clause.clauses": "下级条（只有一个下级条时警告 W808）。",
    "Term.term": "术语（中文）。",
    "Term.term_en": "英文对应词。",
    "Term.definition": "定义（不以“是”开头，不加句号以外的结尾）。",
    "Term.note": "术语的注（可选）。",
    "Annex.title": "附录标题。",
    "Annex.normative": "true 为规范性附录，false 为资料性附录（默认）。",
    "Annex.blocks": "附录正文的内容块。",
    "Annex.clauses": "附录中的条（编号 A.1、A.2……）。",
    "RevisionRow.clause": "条款号（原标准中的），如 5.2。",
    "RevisionRow.original": "原条文。",
    "RevisionRow.revised": "修订后条文。",
    "RevisionRow.reason": "修订理由。",
    # draft
    "Draft.standard": "所起草标准的编号（standards/catalogue/ 中的目录记录），与文件名相同。",
    "Draft.stage": "文件阶段，如 征求意见稿、送审稿、报批稿（显示在封面）。",
    "Draft.ics": "ICS 分类号，如 \"07.040\"（加引号，以免被读作数字）。",
    "Draft.ccs": "CCS（中国标准文献分类）号，如 A 77。",
    "Draft.code": "标准编号，如 TD/T XXXX—20XX。",
    "Draft.title_en": "标准英文名称（封面）。",
    "Draft.issuer": "发布机构（封面），默认 中华人民共和国自然资源部。",
    "Draft.date_issue": "发布日期，未定时写 20XX-XX-XX。",
    "Draft.date_implement": "实施日期，未定时写 20XX-XX-XX。",
    "Draft.foreword": "前言的内容块（必备要素，E801）。",
    "Draft.introduction": "引言的内容块（可选）。",
    "Draft.normative_references": "规范性引用文件：外部标准（standards/registry/references.yaml）或目录中标准的编号；须在正文中按编号或名称引用（W810）。",
    "Draft.terms": "术语和定义的条目；有术语时须有 kind: terms 的章（E801），每个术语须在后文使用（E805）。",
    "Draft.clauses": "章列表：依次为 1 范围（kind: scope）、2 规范性引用文件（kind: normrefs）、3 术语和定义（kind: terms），然后是技术章（E803）。",
    "Draft.annexes": "附录列表。",
    "Draft.bibliography": "参考文献（每项一条文字）。",
    "Draft.revision_table": "修订对照表（修订类标准）。",
}
"""Descriptions keyed by ``"Model.field"`` (take precedence over :data:`COMMON`)."""

EXAMPLES: dict[str, str] = {
    "Target.year": "year: 2030",
    "Target.value_max": "value_max: 1.2",
    "Target.unit": "unit: \"%\"",
    "Target.case": "case: 纽约区划",
    "ListItem.items": "items: [第一项, 第二项]",
    "ExternalReference.code": "code: GB/T 21010—2017",
    "MatrixBlock.rows": "rows: {municipal-detailed: [碳排放强度, 单位用地碳排放]}",
    "Annex.normative": "normative: true",
    "Draft.revision_table": "revision_table: [{id: cher-rev-01, clause: \"5.2\", original: …, revised: …, reason: …, source: …}]",
}
"""Short YAML examples for fields the corpus gives no value for (else the field reference quotes the corpus)."""


def model_description(model_name: str) -> str | None:
    """Chinese description of model ``model_name`` (class name), or None if missing."""
    return MODELS.get(model_name)


def field_description(model_name: str, field: str) -> str | None:
    """Chinese description of ``model_name.field``: :data:`FIELDS` first, then :data:`COMMON`; None if missing."""
    return FIELDS.get(f"{model_name}.{field}") or COMMON.get(field)
