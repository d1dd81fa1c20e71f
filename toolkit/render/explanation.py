"""编制说明 of a draft, as DOCX and PDF (``drafts/<standard-id>-explanation.{docx,pdf}``).

The usual parts of the 编制说明 that accompanies a 征求意见稿/送审稿, each filled from
data, never from template prose:

一、工作简况 — 任务来源, 主要工作过程, 起草单位和起草人: the catalogue record's
    ``explanation:`` (:class:`toolkit.model.Explanation`);
二、编制原则和主要内容 — the principles from the catalogue record (purpose, GB/T 1.1—2020,
    the problems it solves), and per chapter and annex what it provides (its clause
    titles) and its 确定依据: the ``source:`` sections of its clauses, terms and annex
    grouped by report section, and the clauses the 编制组 drafted anew (``drafted: true``);
三、验证情况, 四、与国际国外同类标准的对比, 七、涉及专利的说明, 八、实施建议, 九、其他 —
    ``explanation:``;
五、与法律法规和强制性标准的关系 — the draft's normative references, mandatory national
    standards (GB without /T) named apart, plus ``explanation.laws``;
六、重大分歧意见的处理经过和依据 — the counts per disposition of every review round and
    each 未采纳/部分采纳 comment with its reason.

The PDF is laid out with the drafts' stylesheet (``templates/draft/draft.css``, same
fonts, page and header) through WeasyPrint; the DOCX takes the reference DOCX styles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import model as m
from toolkit.repro import build_epoch
from toolkit.corpus import Corpus
from toolkit.document import AnnexDoc, Document, Section, build_document
from toolkit.render import review_docs as rd
from toolkit.review.status import comment_views, disposition_counts, unit_counts

SEED_TITLES = {"004": "《面向“双碳”目标的国土空间规划技术标准体系优化响应》（2023年8月）"}
"""Research reports that ``source:`` cites by seed number (the corpus's source, see README)."""

CN_NUM = "一二三四五六七八九十"
DRAFTS_DIR = "drafts"


@dataclass
class Part:
    """A heading (``level`` 1: 一、…; 2: （一）…) with paragraphs and an optional table ``(header, rows)``."""

    heading: str
    level: int
    paras: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None


@dataclass
class Explanation:
    """The 编制说明 of one draft: ``title`` and its ``parts`` in order."""

    standard_id: str
    title: str
    code: str
    stage: str
    parts: list[Part]


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九十", 0)}


def _natural(text: str) -> tuple:
    """Sort key for report section tails such as ``(四)10)`` (Chinese and Arabic numerals compared as numbers)."""
    return tuple(_CN_DIGITS.get(ch, 0) if ch in _CN_DIGITS else int(n) if n else 0
                 for n, ch in re.findall(r"(\d+)|([〇一二三四五六七八九十])", text))


def _sources(items: list[tuple[str | None, bool, str]]) -> tuple[str, list[str], list[str]]:
    """(grouped source text, numbers drafted anew, numbers drafted on a source) of ``(source, drafted, number)`` items.

    Sources such as ``004 §7.6(四)4); §7.6(四)5)`` are grouped by report section:
    ``§7.6(四)4)、(四)5)``; a piece without a seed number belongs to the seed before it.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    new, extended = [], []
    for source, drafted, number in items:
        if source:
            seed = "004"
            for piece in re.split(r"[；;、]\s*", source):
                piece = piece.strip()
                mt = re.match(r"^(?:(\d{3})\s+)?(§[\d.]+)(.*)$", piece)
                if mt:
                    seed = mt.group(1) or seed
                    sec, rest = mt.group(2), mt.group(3).strip()
                    lst = groups.setdefault((seed, sec), [])
                    if rest and rest not in lst:
                        lst.append(rest)
                elif piece:
                    groups.setdefault(("", piece), [])
            if drafted:
                extended.append(number)
        elif drafted:
            new.append(number)
    texts = []
    for (seed, sec) in sorted(groups, key=lambda k: (k[0] == "", _natural(k[1]))):
        rests = sorted(groups[(seed, sec)], key=_natural)
        texts.append(sec + "、".join(rests) if seed else sec)
    return "；".join(texts), new, extended


def _walk_items(s: Section) -> list[tuple[str | None, bool, str]]:
    """Provenance of a chapter's clauses and terms; the chapter heading itself counts for its source only."""
    return [(s.source, False, s.number)] + [(x.source, x.drafted, x.number) for x in s.walk() if x is not s]


def _date_cn(d: str | None) -> str:
    """``2026-06-15`` → ``2026年6月15日`` (other forms unchanged)."""
    mt = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", d or "")
    return f"{mt.group(1)}年{int(mt.group(2))}月{int(mt.group(3))}日" if mt else (d or "")


def _basis(items: list[tuple[str | None, bool, str]]) -> str:
    text, new, extended = _sources(items)
    parts = []
    if text:
        parts.append(f"确定依据：研究报告{text}")
    if extended:
        parts.append(f"其中{'、'.join(extended)}在上述依据基础上由编制组补充起草")
    if new:
        parts.append(f"{'、'.join(new)}为编制组新起草的内容")
    return "；".join(parts) + "。" if parts else "确定依据：无。"


def _chapter_summary(s: Section, doc: Document, corpus: Corpus) -> str:
    head = f"第{s.number}章“{s.title}”"
    if s.kind == "scope":
        from toolkit.document import plain

        first = next((plain(b.inlines) for b in s.blocks if hasattr(b, "inlines")), "")
        return f"{head}：{first}"
    if s.kind == "normrefs":
        return f"{head}：列出本文件规范性引用的{sum(1 for b in s.blocks if b.kind == 'normref')}项文件。"
    if s.kind == "terms":
        return f"{head}：界定了{'、'.join(c.term or c.title for c in s.children)}共{len(s.children)}个术语。"
    if s.children:
        subs = "、".join(f"{c.title or c.number}（{c.number}）" for c in s.children)
        return f"{head}：规定了{subs}等方面的要求。"
    return f"{head}：共{1}条。"


def _annex_summary(a: AnnexDoc) -> str:
    subs = "、".join(c.title for c in a.children if c.title)
    tail = f"，包括{subs}" if subs else ""
    return f"附录{a.letter}“{a.title}”{'（规范性）' if a.normative else '（资料性）'}{tail}。"


def _paras(items: list[str], missing: str) -> list[str]:
    return list(items) if items else [missing]


def build_explanation(corpus: Corpus, standard_id: str) -> Explanation:
    """The 编制说明 of ``standard_id``'s draft (raises ``KeyError`` without a draft or catalogue record)."""
    st = corpus.standards[standard_id]
    doc = build_document(corpus, standard_id)
    ex = st.explanation or m.Explanation(drafted=True)
    none = "无。"
    parts: list[Part] = []

    def h1(i: int, text: str) -> None:
        parts.append(Part(f"{CN_NUM[i - 1]}、{text}", 1))

    def h2(i: int, text: str, paras: list[str], table=None) -> None:
        parts.append(Part(f"（{CN_NUM[i - 1]}）{text}", 2, paras, table))

    h1(1, "工作简况")
    h2(1, "任务来源", _paras(ex.task_source, "待补充（catalogue 记录 explanation.task_source）。"))
    h2(2, "主要工作过程", [f"{w.date}，{w.event}" for w in ex.process] or ["待补充。"])
    units = "、".join(ex.units) if ex.units else "待补充"
    table = (["序号", "姓名", "工作单位", "承担的主要工作"],
             [[str(i), d.name, d.unit, d.role or ""] for i, d in enumerate(ex.drafters, 1)]) if ex.drafters else None
    h2(3, "起草单位和起草人", [f"本文件起草单位：{units}。",
                               f"本文件主要起草人：{'、'.join(d.name for d in ex.drafters) or '待补充'}，分工见下表。"
                               if ex.drafters else "本文件主要起草人：待补充。"], table)

    h1(2, "编制原则和主要内容")
    principles = [f"本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。",
                  f"编制目的：{st.purpose}"]
    for i, p in enumerate(st.problems, 1):
        principles.append(f"{i}. {p.problem}：{'；'.join(p.solutions)}。")
    h2(1, "编制原则", principles)
    seeds = "、".join(SEED_TITLES.values())
    content = [f"本文件共{len(doc.sections)}章{f'、{len(doc.annexes)}个附录' if doc.annexes else ''}，"
               f"各章主要内容及其确定依据如下（确定依据中的“§”指研究报告{seeds}的章节）。"]
    for s in doc.sections:
        content.append(_chapter_summary(s, doc, corpus))
        if s.kind != "normrefs":
            content.append(_basis(_walk_items(s)))
    for a in doc.annexes:
        content.append(_annex_summary(a))
        items = [(a.source, a.drafted, a.label)] + [i for c in a.children for i in _walk_items(c)]
        content.append(_basis(items))
    h2(2, "主要内容及确定依据", content)

    h1(3, "验证情况")
    parts[-1].paras = _paras(ex.verification, none)
    h1(4, "与国际国外同类标准的对比")
    parts[-1].paras = _paras(ex.international, none)

    h1(5, "与法律法规和强制性标准的关系")
    refs = []
    mandatory = []
    for rid in corpus.drafts[standard_id].normative_references:
        r = corpus.references.get(rid)
        code, title = (r.code, r.title) if r else ((corpus.standards[rid].code, corpus.standards[rid].title)
                                                   if rid in corpus.standards else (None, rid))
        label = f"{code}《{title}》" if code else f"《{title}》"
        refs.append(label)
        if code and re.match(r"^GB\s+\d", code):
            mandatory.append(label)
    law = [f"本文件规范性引用{'、'.join(refs)}，与所引文件的规定协调一致。"] if refs else []
    if mandatory:
        law.append(f"其中强制性国家标准{'、'.join(mandatory)}的要求在本文件中均予以遵循，本文件无与其相抵触的内容。")
    parts[-1].paras = law + list(ex.laws) or [none]

    h1(6, "重大分歧意见的处理经过和依据")
    views = comment_views(corpus, standard_id)
    rounds = corpus.reviews_of(standard_id)
    dis = []
    for rnd in rounds:
        vs = [v for v in views if v.round == rnd.round]
        u = unit_counts(rnd)
        d = disposition_counts(vs)
        dis.append(f"{_date_cn(rnd.date) + '，' if rnd.date else ''}{rnd.stage}发送{u['sent']}个单位征求意见，"
                   f"回函{u['replied']}个，其中{u['with_comments']}个单位提出意见{len(vs)}条；"
                   f"采纳{d['采纳']}条，部分采纳{d['部分采纳']}条，未采纳{d['未采纳']}条"
                   + (f"，待处理{d['待处理']}条" if d["待处理"] else "") + "（详见征求意见汇总处理表）。")
    major = [v for v in views if v.comment.disposition in ("未采纳", "部分采纳")]
    if major:
        dis.append("未采纳和部分采纳的意见及处理依据如下：")
        for i, v in enumerate(major, 1):
            c = v.comment
            where = "总体" if v.state == "general" else v.number_text
            dis.append(f"{i}. {c.unit}对{where}提出：{c.text}编制组{c.disposition}，理由：{c.reason}")
    if not rounds:
        dis.append("尚未征求意见。")
    elif not major:
        dis.append("无重大分歧意见。")
    parts[-1].paras = dis

    h1(7, "涉及专利的说明")
    parts[-1].paras = _paras(ex.patents, "本文件不涉及专利。")
    h1(8, "实施建议")
    parts[-1].paras = _paras(ex.implementation, none)
    h1(9, "其他")
    parts[-1].paras = _paras(ex.other, none)
    return Explanation(standard_id, f"《{doc.title}》（{doc.stage}）编制说明", doc.code, doc.stage, parts)


# ---------------------------------------------------------------------- writers
def write_explanation_docx(ex: Explanation, path: Path, epoch: int) -> Path:
    """Write the 编制说明 as DOCX (reference styles: 标准名称, Heading 1/2, 段, 标准表格); returns ``path``."""
    d = rd.reference_document()
    rd.page_furniture(d, ex.code)
    rd.para(d, "DocTitle", ex.title)
    for p in ex.parts:
        rd.para(d, "Heading1" if p.level == 1 else "Heading2", p.heading)
        for text in p.paras:
            rd.para(d, "Para", text)
        if p.table:
            rd.table(d, p.table[0], p.table[1], [14, 24, 62, 60], centred={0, 1})
    return rd.save(d, path, title=ex.title, subject="编制说明", keywords=ex.standard_id, epoch=epoch)


def explanation_html(ex: Explanation) -> str:
    """The 编制说明 as a standalone HTML page with the drafts' stylesheet (for the PDF)."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from toolkit.render.html_writer import TEMPLATES

    env = SandboxedEnvironment(loader=FileSystemLoader([str(TEMPLATES.parent / "review"), str(TEMPLATES)]),
                               autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template("explanation.html.j2").render(ex=ex)


def write_explanation_pdf(ex: Explanation, path: Path, epoch: int) -> Path:
    """Write the 编制说明 as PDF through WeasyPrint (deterministic bytes); returns ``path``."""
    from toolkit.render.pdf import render_pdf

    data, _ = render_pdf(explanation_html(ex), epoch=epoch)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_explanation(corpus: Corpus, out_dir: Path, standard_id: str) -> list[Path]:
    """Write ``out_dir/drafts/<standard_id>-explanation.{docx,pdf}``; returns the paths."""
    ex = build_explanation(corpus, standard_id)
    folder = Path(out_dir) / DRAFTS_DIR
    epoch = build_epoch(corpus.root)
    return [write_explanation_docx(ex, folder / f"{standard_id}-explanation.docx", epoch),
            write_explanation_pdf(ex, folder / f"{standard_id}-explanation.pdf", epoch)]
