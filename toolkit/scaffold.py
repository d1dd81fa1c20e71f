"""Scaffolds (``stdkit new standard|draft|measure|indicator``): valid, commented skeletons.

Each function writes one record into the file a drafter would put it in, with a
fresh id, and never overwrites a file:

* :func:`new_standard` — ``standards/catalogue/std-<slug>.yaml`` (new file);
* :func:`new_draft` — ``standards/drafts/<std-id>.yaml`` (new file): cover facts,
  前言, 1 范围, 2 规范性引用文件, 3 术语和定义 and one technical chapter, passing
  ``stdkit check`` as written;
* :func:`new_measure` — appended to ``standards/measures/<level>-<plan_type>.yaml``
  with id ``m-<level>-<plan_type>-<domain>-NN`` (next free number);
* :func:`new_indicator` — appended to an indicators file (default
  ``standards/indicators/drafted.yaml``, created when missing).

Appending uses ruamel.yaml's round-trip mode, which keeps the file's comments,
quotes and layout (every corpus file round-trips byte-identically); the new text
is written atomically.  Problems (unknown standard, taken id, unknown cell …)
raise :class:`ScaffoldError` with a Chinese message; nothing is written then.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from toolkit.corpus import Corpus
from toolkit.model import ID_RE


class ScaffoldError(Exception):
    """A scaffold cannot be written (message in Chinese, for the drafter)."""


@dataclass(frozen=True)
class Written:
    """What a scaffold wrote: ``path`` (relative to the root), the new ``id`` and whether the file is new."""

    path: str
    id: str
    created: bool


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _atomic_write(path: Path, text: str, *, new: bool) -> None:
    if new and path.exists():
        raise ScaffoldError(f"{path} 已存在，不会覆盖；请换一个编号或直接编辑该文件")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.stdkit-new")
    tmp.write_text(text, encoding="utf-8")
    if new and path.exists():  # created meanwhile
        tmp.unlink()
        raise ScaffoldError(f"{path} 已存在，不会覆盖")
    tmp.replace(path)


def _check_new_id(corpus: Corpus, id_: str) -> None:
    if not ID_RE.match(id_) or "--" in id_:
        raise ScaffoldError(f"编号 `{id_}` 不安全：只用小写英文字母、数字和单个连字符")
    taken = {i for (_, i) in corpus.records}
    if id_ in taken:
        raise ScaffoldError(f"编号 `{id_}` 已被使用（{corpus.where(_kind_of(corpus, id_), id_)}）")


def _kind_of(corpus: Corpus, id_: str) -> str:
    return next((k for (k, i) in corpus.records if i == id_), "")


def _q(s: str) -> str:
    """A YAML double-quoted scalar (safe for any text)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------- standard
def new_standard(corpus: Corpus, root: Path, slug: str, title: str, *, category: str = "comprehensive",
                 group: str = "规划编制类", action: str = "new") -> Written:
    """Write ``standards/catalogue/std-<slug>.yaml`` with a catalogue record skeleton."""
    sid = slug if slug.startswith("std-") else f"std-{slug}"
    _check_new_id(corpus, sid)
    rel = f"standards/catalogue/{sid}.yaml"
    text = f"""\
# 《{title}》目录记录 —— 由 `stdkit new standard` 生成，按需修改。
# 字段说明：网站 编制者指南 → 字段参考（或在编辑器中悬停字段名）。
standard:
  id: {sid}                     # 创建后不再改动（文件名、网址、引用都用它）
  title: {_q(title)}
  title_en: null                  # 英文名称，如 Guidelines for low-carbon urban design
  category: {category}          # comprehensive | special | revision | implementation | in-progress
  group: {group}                 # 规划编制类 | 实施保障类
  action: {action}                     # new | revise | recommend
  near_term: false                # 近期行动标准（§9.1）须写 levers（重要抓手）
  code: TD/T XXXX—20XX
  purpose: 待补充：编制目的与主要内容（用编制组的话，1～3 句）。
  domains: []                     # energy, industry, transport, buildings, waste, agriculture, sinks
  levels: []                      # national, provincial, municipal, county, township
  plan_types: []                  # master, detailed, special
  indicators: []                  # 采用的指标编号，如 ind-green-travel-share
  drafted: true                   # 或 source: "004 §9.x"（报告出处）
"""
    _atomic_write(root / rel, text, new=True)
    return Written(rel, sid, True)


# ---------------------------------------------------------------------- draft
def short_name(corpus: Corpus, sid: str) -> str:
    """A draft-local id prefix: the initials of the standard id's words (``std-low-carbon-urban-design-guide``
    → ``lcudg``), extended with a digit when records of another draft already use it."""
    words = [w for w in sid.removeprefix("std-").split("-") if w]
    base = "".join(w[0] for w in words)[:8] or "d"
    used = {i for (k, i) in corpus.records}
    nested = _nested_ids(corpus)
    cand, n = base, 1
    while cand in used or any(i.startswith(cand + "-") or i.startswith(f"tab-{cand}-") for i in nested):
        n += 1
        cand = f"{base}{n}"
    return cand


def _nested_ids(corpus: Corpus) -> set[str]:
    out: set[str] = set()

    def walk(cl):
        out.add(cl.id)
        for b in cl.blocks:
            if getattr(b, "id", None):
                out.add(b.id)
        for c in cl.clauses:
            walk(c)

    for d in corpus.drafts.values():
        for c in d.clauses:
            walk(c)
        for a in d.annexes:
            out.add(a.id)
            for c in a.clauses:
                walk(c)
        out.update(t.id for t in d.terms)
        out.update(r.id for r in d.revision_table)
    return out


def new_draft(corpus: Corpus, root: Path, sid: str, *, prefix: str | None = None) -> Written:
    """Write ``standards/drafts/<sid>.yaml``: a GB/T 1.1—2020 skeleton for catalogue standard ``sid``.

    The skeleton holds the cover facts (from the catalogue record), 前言, 1 范围,
    2 规范性引用文件 (none yet), 3 术语和定义 (none yet; a commented example term),
    4 总体要求 with two clauses and, when the catalogue names indicators, an
    indicator table cited from the text.  It passes ``stdkit check`` as written.
    """
    st = corpus.standards.get(sid)
    if st is None:
        raise ScaffoldError(f"目录中没有标准 `{sid}`；先运行 `stdkit new standard <简称> --title …`，"
                            "或从 standards/catalogue/ 中选一个编号")
    if sid in corpus.drafts:
        raise ScaffoldError(f"标准 `{sid}` 已有草案：{corpus.where('draft', sid).file}")
    rel = f"standards/drafts/{sid}.yaml"
    if (root / rel).exists():
        raise ScaffoldError(f"{rel} 已存在，不会覆盖")
    p = prefix or short_name(corpus, sid)
    if not ID_RE.match(p) or "--" in p:
        raise ScaffoldError(f"前缀 `{p}` 不安全：只用小写英文字母、数字和单个连字符")
    inds = [i for i in st.indicators if i in corpus.indicators]
    for lv in st.levers:
        for cm in lv.countermeasures:
            inds += [i for i in cm.indicators if i in corpus.indicators and i not in inds]
    title = st.title
    # functional type from the title (GB/T 1.1—2020, 4.2): a 指南 gives guidance (宜/可), a 规范 requirements (应)
    doc_type = "指南" if title.endswith("指南") else "规程" if title.endswith("规程") else "规范"
    subject = title[:-2] if doc_type in ("指南", "规程") and len(title) > 2 else title
    shall = "宜" if doc_type == "指南" else "应"
    scope = (f"本文件提供了{subject}的指导。" if doc_type == "指南"
             else f"本文件规定了{subject}的程序。" if doc_type == "规程" else f"本文件规定了{title}的要求。")
    title_en = st.title_en or "××××"
    import datetime as _dt

    today = _dt.date.today().isoformat()  # the drafter's own date for this skeleton (content, not an output)
    code = st.code or "TD/T XXXX—20XX"
    if inds:
        tab = f"tab-{p}-indicators"
        ind_lines = "\n".join(f"                - {i}            # {corpus.indicators[i].name}" for i in inds[:8])
        indicator_clause = f"""\
        - id: {p}-general-indicators
          title: 规划指标
          drafted: true
          blocks:
            - type: p
              text: 规划指标{shall}符合[[{tab}]]的规定。
            - type: indicator_table     # 行取自指标登记表；目标值按 level/plan_type 筛选
              id: {tab}
              caption: {title}规划指标
              indicators:
{ind_lines}
"""
    else:
        indicator_clause = f"""\
        - id: {p}-general-indicators
          title: 规划指标
          drafted: true
          blocks:
            - type: p
              text: 规划指标宜结合地方实际确定，并与上位规划的指标相衔接。
"""
    text = f"""\
# 《{title}》（工作组讨论稿）—— 由 `stdkit new draft` 生成的 GB/T 1.1—2020 骨架。
# 工作组讨论稿可保留 ×××× 占位；改为 征求意见稿 前须写实（E880），并补 completion_date（本稿完成日期）。
# 章条号、表号、附录字母由工具计算，不写入 YAML；引用条、表、附录写 [[编号]]。
# 本草案内部的编号以 `{p}-` 开头（表以 `tab-{p}-`），全库唯一。
# 字段说明：网站 编制者指南 → 字段参考（或在编辑器中悬停字段名）。写完运行 `stdkit check {rel}`。
draft:
  standard: {sid}
  stage: 工作组讨论稿               # 工作组讨论稿 | 征求意见稿 | 送审稿 | 报批稿
  doc_type: {doc_type}                   # 规范（应）| 规程 | 指南（宜/可）…：决定范围的表述与条款类型
  completion_date: "{today}"      # 本稿完成日期（征求意见稿、送审稿封面印出），每稿更新
  ics: "07.040"                   # ICS 分类号（加引号）
  ccs: A 77                       # CCS 分类号
  code: {code}
  title_en: {_q(title_en)}
  drafted: true                   # 或 source: "004 §9.1(…)"（报告出处）
  foreword:
    - type: p
      text: 本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。
    - type: p
      text: 请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。
    - type: p
      text: 本文件由中华人民共和国自然资源部提出。
    - type: p
      text: 本文件由全国自然资源与国土空间规划标准化技术委员会（SAC/TC 93）归口。
    - type: p
      text: 本文件起草单位：××××。
    - type: p
      text: 本文件主要起草人：××××。
  normative_references: []        # 引用文件编号，如 gbt-21010-2017（standards/registry/references.yaml）；须在正文中引用
  terms: []
  # terms:                        # 术语示例：定义后须在第 4 章起的正文中使用（E805）
  #   - id: {p}-term-example
  #     term: 术语
  #     term_en: term
  #     definition: 定义。
  #     drafted: true
  clauses:
    # ------------------------------------------------------------------ 1 范围
    - id: {p}-scope
      kind: scope
      title: 范围
      drafted: true
      blocks:
        - type: p
          text: {scope}
        - type: p
          text: 本文件适用于××××。
    # ------------------------------------------------------------------ 2 规范性引用文件
    - id: {p}-normrefs
      kind: normrefs
      title: 规范性引用文件
      drafted: true
      blocks:
        - type: p
          text: 本文件没有规范性引用文件。
    # ------------------------------------------------------------------ 3 术语和定义
    - id: {p}-terms
      kind: terms
      title: 术语和定义
      drafted: true
      blocks:
        - type: p
          text: 本文件没有需要界定的术语和定义。
    # ------------------------------------------------------------------ 4 总体要求（技术章）
    - id: {p}-general
      title: 总体要求
      drafted: true
      clauses:
        - id: {p}-general-principles
          title: 基本原则
          drafted: true
          blocks:
            - type: list
              intro: 规划编制{shall}遵循下列原则：
              style: alpha
              items:
                - 生态优先，绿色低碳；
                - 节约集约，因地制宜。
{indicator_clause}"""
    _atomic_write(root / rel, text, new=True)
    return Written(rel, sid, True)


# ---------------------------------------------------------------------- measures, indicators
def _append(root: Path, rel: str, key: str, record: CommentedMap, header: str) -> bool:
    """Append ``record`` to the ``key:`` list of ``rel`` (created with ``header`` when missing); True if created."""
    path = root / rel
    y = _yaml()
    created = not path.exists()
    if created:
        text = header + f"{key}:\n"
        data = CommentedMap()
        data[key] = CommentedSeq()
    else:
        text = path.read_text(encoding="utf-8")
        data = y.load(text)
        if not isinstance(data, CommentedMap) or not isinstance(data.get(key), CommentedSeq):
            raise ScaffoldError(f"{rel} 不是 `{key}:` 列表文件，未修改")
    seq = data[key]
    seq.append(record)
    if len(seq) > 1:  # a blank line between records, as in the corpus files
        seq.yaml_set_comment_before_after_key(len(seq) - 1, before="\n", indent=2)
    buf = io.StringIO()
    if created:
        buf.write(header)
    y.dump(data, buf)
    out = buf.getvalue()
    if not created:
        y2 = _yaml()
        check = io.StringIO()
        y2.dump(y2.load(text), check)
        if check.getvalue() != text:  # ruamel would change existing text: refuse rather than reformat
            raise ScaffoldError(f"{rel} 的排版无法原样保留（ruamel.yaml 会改写已有内容），未修改；请手工追加")
    _atomic_write(path, out, new=False)
    return created


def new_measure(corpus: Corpus, root: Path, level: str, plan_type: str, domain: str, title: str,
                summary: str | None = None) -> Written:
    """Append a measure skeleton to ``standards/measures/<level>-<plan_type>.yaml`` (next free number)."""
    if corpus.cell_of(level, plan_type) is None:
        cells = "、".join(f"{c.level} {c.plan_type}" for c in corpus.cells_sorted())
        raise ScaffoldError(f"`{level}` × `{plan_type}` 不是报告论及的规划单元；可用：{cells}")
    if domain not in corpus.domains:
        raise ScaffoldError(f"未知领域 `{domain}`；可用：{', '.join(corpus.domains)}")
    stem = f"m-{level}-{plan_type}-{domain}-"
    nums = [int(i[len(stem):]) for i in corpus.measures if i.startswith(stem) and i[len(stem):].isdigit()]
    mid = f"{stem}{max(nums, default=0) + 1:02d}"
    _check_new_id(corpus, mid)
    rec = CommentedMap()
    rec["id"] = mid
    rec["level"] = level
    rec["plan_type"] = plan_type
    rec["domain"] = domain
    rec["title"] = title
    rec["summary"] = summary or "待补充：用编制组的话概括措施内容（1～3 句）。"
    rec["indicators"] = _flow([])
    rec["goals"] = _flow([])
    rec["drafted"] = True
    rec.yaml_add_eol_comment("创建后不再改动", "id")
    rec.yaml_add_eol_comment("指标编号，如 ind-green-travel-share；数值目标写 targets:", "indicators")
    rec.yaml_add_eol_comment("服务的“双碳”目标编号（standards/registry/goals.yaml）", "goals")
    rec.yaml_add_eol_comment("或 source: \"004 §7.x(…)\"（报告出处）", "drafted")
    rel = f"standards/measures/{level}-{plan_type}.yaml"
    created = _append(root, rel, "measures", rec,
                      f"# {corpus.cell_of(level, plan_type).name}的双碳策略措施。\n")
    return Written(rel, mid, created)


def _flow(items: list) -> CommentedSeq:
    s = CommentedSeq(items)
    s.fa.set_flow_style()
    return s


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def new_indicator(corpus: Corpus, root: Path, slug: str, name: str, unit: str, kind: str, direction: str,
                  file: str | None = None) -> Written:
    """Append an indicator skeleton (id ``ind-<slug>``) to ``file`` (default ``standards/indicators/drafted.yaml``)."""
    iid = slug if slug.startswith("ind-") else f"ind-{_SLUG_RE.sub('-', slug.lower()).strip('-')}"
    _check_new_id(corpus, iid)
    same = [i for i in corpus.indicators.values() if i.name == name]
    if same:
        raise ScaffoldError(f"已有同名指标 `{same[0].id}`（{name}），请直接引用它")
    if unit not in corpus.units:
        raise ScaffoldError(f"单位 `{unit}` 不在 standards/registry/units.yaml 中；可用：{', '.join(corpus.units)}")
    if kind not in ("约束性", "预期性"):
        raise ScaffoldError("kind 只能是 约束性 或 预期性")
    if direction not in ("higher", "lower", "target"):
        raise ScaffoldError("direction 只能是 higher、lower 或 target")
    rel = file or "standards/indicators/drafted.yaml"
    if not rel.startswith("standards/indicators/") or not rel.endswith((".yaml", ".yml")):
        raise ScaffoldError("指标文件须在 standards/indicators/ 下，扩展名 .yaml")
    rec = CommentedMap()
    rec["id"] = iid
    rec["name"] = name
    rec["unit"] = unit
    rec["kind"] = kind
    rec["direction"] = direction
    rec["definition"] = "待补充：指标的含义与计算口径。"
    rec["domains"] = _flow([])
    rec["levels"] = _flow([])
    rec["plan_types"] = _flow([])
    if kind == "约束性":
        rec["set_locally"] = True
        rec.yaml_add_eol_comment("约束性指标：报告有数值时改写 targets:，否则由地方确定", "set_locally")
    rec["drafted"] = True
    rec.yaml_add_eol_comment("创建后不再改动；在措施或标准的 indicators: 中引用它（否则 W704）", "id")
    rec.yaml_add_eol_comment("higher 越高越好 | lower 越低越好 | target 趋近目标值", "direction")
    rec.yaml_add_eol_comment("或 source: \"004 §7.x(…)\"（报告出处）", "drafted")
    created = _append(root, rel, "indicators", rec, "# 编制组新拟的指标（stdkit new indicator）。\n")
    return Written(rel, iid, created)
