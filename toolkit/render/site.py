"""Writer: the documentation site (MkDocs Material), every page generated from the corpus.

Two halves:

* **Pages** — :func:`page_specs` turns a :class:`~toolkit.corpus.Corpus` into a list
  of :class:`PageSpec` (virtual Markdown files the MkDocs plugin
  :mod:`toolkit.mkdocs_plugin` adds on ``on_files``); :func:`render_page` renders one
  spec to HTML with a sandboxed, autoescaping Jinja2 template from ``templates/site/``.
  Corpus strings never pass through Markdown: the plugin replaces the page body with
  the template output, so markup written in YAML shows as text.  Drafts are shown from
  :func:`toolkit.document.build_document` (numbers and labels come from there); every
  clause heading carries ``id="<clause id>"`` (stable) and a number anchor
  (``id="4.1.2"``).
* **Build step** ``site`` — :func:`build_site` runs MkDocs programmatically with
  ``mkdocs.yml`` (strict mode) into ``<out>/site``, with the DOCX/PDF/XLSX files the
  earlier steps wrote under ``<out>`` added as downloads (same relative paths:
  ``drafts/<id>.docx``, ``indicators/by-standard/<id>.xlsx``, ``matrices/…``).

URLs (with ``use_directory_urls``): ``/`` home, ``/standards/`` catalogue,
``/standards/<id>/``, ``/cells/<cell-id>/`` (anchors: domain ids, measure ids),
``/domains/<id>/``, ``/indicators/`` and ``/indicators/<id>/``, ``/matrices/``,
``/codes/``, ``/changes/`` (修订记录, "changes since …": real Markdown from
:mod:`toolkit.render.changes_page`); the hand-written ``guide.md`` and ``changelog.md``
live in ``site/``.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from toolkit import model as m
from toolkit.corpus import Corpus
from toolkit.document import Document, build_document, format_target, unit_label
from toolkit.provenance import field_label
from toolkit.repro import build_epoch, source_date_env
from toolkit.sitecache import JINJA_CACHE
from toolkit.textfmt import quiet_jieba
from toolkit.vocabulary import CATEGORY_NAMES, direction_explained

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = ROOT / "templates" / "site"

ACTION_NAMES = {"new": "新制定", "revise": "修订", "recommend": "建议（在编）"}
ORIGIN_NAMES = {"indicator": "指标登记", "measure": "措施", "countermeasure": "核心对策", "clause": "草案条文"}
CODE_FAMILIES: list[tuple[str, str, str]] = [  # (key, heading label, Chinese name), in reference order
    ("0", "E/W 0xx", "读取（YAML 语法、编码、重复键）"), ("1", "E/W 1xx", "模式（字段、类型、编号）"),
    ("2", "E/W 2xx", "引用"), ("3", "E/W 3xx", "唯一性"), ("4", "E/W 4xx", "规划单元与领域"),
    ("5", "E/W 5xx", "单位与阈值"), ("6", "E/W 6xx", "传导"), ("7", "E/W 7xx", "覆盖"),
    ("8", "E/W 80x–84x", "草案结构（GB/T 1.1—2020）"), ("85", "E/W 85x", "术语"), ("9", "E/W 90x–94x", "合理性"),
    ("95", "E/W 95x", "起草用语"), ("A", "A0xx", "构建产物（--artifacts）"),
]
DOWNLOAD_DIRS = ("drafts", "indicators", "matrices", "evaluation")
"""Folders of the build tree whose files the site offers as downloads (same relative paths)."""
DOWNLOAD_SUFFIXES = (".docx", ".pdf", ".xlsx", ".csv")
DOWNLOAD_LABELS = {".docx": "Word（DOCX）", ".pdf": "PDF", ".xlsx": "Excel（XLSX）", ".csv": "CSV"}


# ---------------------------------------------------------------------- page specs
@dataclass(frozen=True)
class PageSpec:
    """One generated page.

    ``src_uri`` is its path in the docs tree (``indicators/ind-far.md``), ``title`` plain
    text (escaped where it is written into HTML), ``template`` a file under
    ``templates/site/``, ``context`` the template variables (corpus records and plain
    values, never HTML), ``toc_depth`` the deepest heading level (2–4) listed in the
    page's table of contents, ``boost`` an optional search weight.
    """

    src_uri: str
    title: str
    template: str
    context: dict = field(default_factory=dict, hash=False, compare=False)
    toc_depth: int = 2
    boost: float | None = None
    tags: tuple[str, ...] = ()
    """Search tags (Material indexes page ``tags`` with a high boost): exact names rank first."""


def standard_uri(sid: str) -> str:
    return f"standards/{sid}.md"


def indicator_uri(iid: str) -> str:
    return f"indicators/{iid}.md"


def cell_uri(cid: str) -> str:
    return f"cells/{cid}.md"


def domain_uri(did: str) -> str:
    return f"domains/{did}.md"


GENERATED_SECTIONS = {"standards/index.md": "standards", "cells/index.md": "cells",
                      "domains/index.md": "domains", "indicators/index.md": "indicators"}
"""Section index pages the plugin may expand into nav sections (value: the section key)."""


# ---------------------------------------------------------------------- view model
@dataclass(frozen=True)
class TargetRow:
    """A target as a table row: names resolved, value formatted in the indicator's unit."""

    indicator: str
    level: str
    plan_type: str
    scope: str
    value: str
    context: str
    year: str
    origin_kind: str
    origin_id: str
    origin_label: str
    source: str
    review: str
    case: str = ""
    applies: str = ""


@dataclass(frozen=True)
class DraftUse:
    """Where a draft uses an indicator: standard id, anchor id in its page, label (``表A.1``/``5.2``)."""

    standard: str
    anchor: str
    label: str


class SiteView:
    """Lookups over one corpus that the templates need, computed once per build.

    Holds the drafts as :class:`~toolkit.document.Document` (``documents``, only drafts
    whose standard is in the catalogue) and the clause → standard links their numbering
    gives; every other reverse link (measure → cell, countermeasure → standard, goal →
    measures, standard → measures, indicator → drafts) is the corpus's own
    (:attr:`toolkit.corpus.Corpus.index`).
    """

    def __init__(self, corpus: Corpus) -> None:
        c = self.c = corpus
        ix = c.index
        self.levels_order = {lv.id: lv.order for lv in c.levels.values()}
        self.types_order = {pt.id: pt.order for pt in c.plan_types.values()}
        self.measure_cell: dict[str, str | None] = ix.measure_cell
        self.cm_owner: dict[str, tuple[str, m.Countermeasure]] = {}
        for cid, sid in ix.countermeasure_owner.items():
            self.cm_owner[cid] = (sid, next(cm for lv in c.standards[sid].levers for cm in lv.countermeasures
                                            if cm.id == cid))
        self.documents: dict[str, Document] = {}
        for sid in sorted(c.drafts):
            if sid in c.standards:
                self.documents[sid] = build_document(c, sid)
        self.clause_owner: dict[str, tuple[str, str]] = {}
        for sid, doc in self.documents.items():
            for sec in doc.walk():
                self.clause_owner.setdefault(sec.id, (sid, sec.number))
        self.measures_by_goal: dict[str, list[str]] = ix.measures_by_goal
        self.measures_by_standard: dict[str, list[str]] = ix.measures_by_standard

    # -- names ---------------------------------------------------------
    def level_name(self, lid: str | None) -> str:
        if not lid:
            return "各级"
        lv = self.c.levels.get(lid)
        return lv.name if lv else lid

    def plan_type_name(self, pid: str | None) -> str:
        if not pid:
            return "各类"
        pt = self.c.plan_types.get(pid)
        return pt.name if pt else pid

    def scope_name(self, lid: str | None, pid: str | None) -> str:
        """Where a target applies, e.g. ``市级·详细规划``, ``市级``, ``详细规划`` or ``不限``."""
        parts = [self.level_name(lid) if lid else "", self.plan_type_name(pid) if pid else ""]
        return "·".join(p for p in parts if p) or "不限"

    def domain_name(self, did: str) -> str:
        d = self.c.domains.get(did)
        return d.name if d else did

    def goal_name(self, gid: str) -> str:
        g = self.c.goals.get(gid)
        return g.name if g else gid

    def scale_name(self, sid: str | None) -> str:
        s = self.c.scales.get(sid or "")
        return s.name if s else (sid or "")

    def cell_name(self, cid: str | None) -> str:
        cell = self.c.cells.get(cid or "")
        return cell.name if cell else (cid or "")

    def indicator_name(self, iid: str) -> str:
        ind = self.c.indicators.get(iid)
        return ind.name if ind else iid

    def standard_title(self, sid: str) -> str:
        st = self.c.standards.get(sid)
        return st.title if st else sid

    def measure_title(self, mid: str) -> str:
        ms = self.c.measures.get(mid)
        return ms.title if ms else mid

    def unit_name(self, unit: str) -> str:
        u = self.c.units.get(unit)
        label = unit_label(unit)
        if u and u.name and u.name != label:
            return f"{label}（{u.name}）" if label != "—" else u.name
        return label

    def names(self, ids: list[str], kind: str) -> str:
        """Ids of levels / plan_types / domains as one Chinese list in registry order, e.g. ``市级、县级``."""
        reg = {"levels": self.c.levels, "plan_types": self.c.plan_types, "domains": self.c.domains}[kind]
        known = sorted((reg[i] for i in ids if i in reg), key=lambda x: x.order)
        return "、".join([x.name for x in known] + [i for i in ids if i not in reg]) or "—"

    def category_name(self, cat: str) -> str:
        return CATEGORY_NAMES.get(cat, cat)

    def action_name(self, action: str) -> str:
        return ACTION_NAMES.get(action, action)

    def direction_name(self, d: str) -> str:
        return direction_explained(d)

    def target_text(self, t: m.Target, unit: str) -> str:
        """Comparator and value in the unit, without the context (e.g. ``≥50%``)."""
        return format_target(t.model_copy(update={"context": ""}), unit)

    def indicator_unit(self, iid: str) -> str:
        ind = self.c.indicators.get(iid)
        return ind.unit if ind else ""

    # -- derived lists -------------------------------------------------
    def target_rows(self, iid: str) -> list[TargetRow]:
        """Every target stated for an indicator anywhere, in 五级三类 order (unrestricted first)."""
        ind = self.c.indicators.get(iid)
        unit = ind.unit if ind else ""
        rows: list[tuple[tuple, TargetRow]] = []
        for i, rt in enumerate(self.c.targets_of(iid)):
            t = rt.target
            okind, oid = rt.origin
            key = (self.levels_order.get(rt.level or "", 0) if rt.level else 0,
                   self.types_order.get(rt.plan_type or "", 0) if rt.plan_type else 0, i)
            rows.append((key, TargetRow(
                indicator=iid, level=self.level_name(rt.level), plan_type=self.plan_type_name(rt.plan_type),
                scope=self.scope_name(rt.level, rt.plan_type),
                value=self.target_text(t, unit), context=t.context or "", year=str(t.year) if t.year else "",
                origin_kind=okind, origin_id=oid, origin_label=self.origin_label(okind, oid),
                source=t.source or ("新拟" if t.drafted else ""), review=t.review or "", case=t.case or "",
                applies=self.applies_text(t))))
        return [r for _, r in sorted(rows, key=lambda x: x[0])]

    def applies_text(self, t: m.Target) -> str:
        """A target's structured applicability in words (issue 14), e.g. ``区域类型：县城建成区``."""
        if t.case or t.applies is None:
            return ""
        parts = []
        for k, vs in sorted(t.applies.items()):
            f = self.c.facets.get(k)
            names = {x.id: x.name for x in f.values} if f else {}
            parts.append(f"{f.name if f else k}：{'、'.join(names.get(x, x) for x in vs)}")
        return "；".join(parts)

    def origin_label(self, kind: str, oid: str) -> str:
        if kind == "measure":
            return f"{ORIGIN_NAMES[kind]}：{self.measure_title(oid)}"
        if kind == "countermeasure" and oid in self.cm_owner:
            sid, cm = self.cm_owner[oid]
            return f"《{self.standard_title(sid)}》核心对策：{cm.name}"
        if kind == "clause" and oid in self.clause_owner:
            sid, number = self.clause_owner[oid]
            return f"《{self.standard_title(sid)}》第 {number} 条"
        return ORIGIN_NAMES.get(kind, kind)

    def draft_uses(self, iid: str) -> list[DraftUse]:
        """Indicator tables and clauses of drafts that use ``iid`` (standard order, then document order)."""
        return [DraftUse(u.standard, u.anchor, self.documents[u.standard].labels.get(u.anchor, u.anchor))
                for u in self.c.index.indicator_draft_uses.get(iid, ()) if u.standard in self.documents]

    def standard_indicators(self, sid: str) -> list[str]:
        """Indicator ids a standard uses in its catalogue record and its draft, sorted by id."""
        return list(self.c.index.standard_indicators.get(sid, ()))

    def measure_count(self, cell: m.PlanCell, did: str | None = None) -> int:
        return len(self.c.measures_in(cell, did))

    def indicators_of_domain(self, did: str) -> list[m.Indicator]:
        return sorted((i for i in self.c.indicators.values() if did in i.domains), key=lambda i: i.id)

    def standards_of_domain(self, did: str) -> list[m.Standard]:
        return [s for s in self.c.standards_sorted() if did in s.domains]

    def goals_of_domain(self, did: str) -> list[m.Goal]:
        return [g for g in self.c.goals_sorted() if did in g.domains]

    def goals_of_scale(self, sid: str) -> list[m.Goal]:
        return [g for g in self.c.goals_sorted() if g.scale == sid]


def _indicator_group(c: Corpus, ind: m.Indicator) -> str:
    for d in c.domains_sorted():
        if d.id in ind.domains:
            return d.id
    return ""


def page_specs(corpus: Corpus, view: SiteView | None = None, downloads: dict[str, Path] | None = None,
               codes: dict[str, dict[str, str]] | None = None) -> list[PageSpec]:
    """Every generated page of the site, in a fixed order.

    ``downloads`` maps site-relative paths (``drafts/<id>.docx``) to files; only those
    present are linked.  ``codes`` defaults to :data:`toolkit.codes.CODES`.
    """
    from toolkit.codes import CODES

    c = corpus
    v = view or SiteView(c)
    dl = downloads or {}
    codes = CODES if codes is None else codes
    base = {"v": v, "c": c}
    specs: list[PageSpec] = []

    specs.append(PageSpec("index.md", "国土空间规划“双碳”标准体系", "home.html", {
        **base, "cells": c.cells_sorted(), "domains": c.domains_sorted(), "scales": c.scales_sorted(),
        "near_term": [s for s in c.standards_sorted() if s.near_term]}, toc_depth=2))

    specs.append(PageSpec("standards/index.md", "标准目录", "catalogue.html", {
        **base, "groups": [(cat, name, [s for s in c.standards_sorted() if s.category == cat])
                           for cat, name in CATEGORY_NAMES.items()]}, toc_depth=2))
    for st in c.standards_sorted():
        doc = v.documents.get(st.id)
        files = [(DOWNLOAD_LABELS[Path(p).suffix] + ("（指标表）" if p.startswith("indicators/") else "（草案）"), p)
                 for p in (f"drafts/{st.id}.docx", f"drafts/{st.id}.pdf", f"indicators/by-standard/{st.id}.xlsx")
                 if p in dl]
        specs.append(PageSpec(standard_uri(st.id), st.title, "standard.html", {
            **base, "st": st, "doc": doc, "downloads": files,
            "indicators": v.standard_indicators(st.id),
            "measures": v.measures_by_standard.get(st.id, [])}, toc_depth=3, boost=2.0,
            tags=tuple(dict.fromkeys([st.title] + [t.term for t in (c.drafts[st.id].terms if st.id in c.drafts else [])]))))

    matrices = _matrix_tables(c)
    specs.append(PageSpec("matrices.md", "矩阵", "matrices.html", {
        **base, "tables": matrices,
        "downloads": [(DOWNLOAD_LABELS[Path(p).suffix], p) for p in
                      sorted(dl, key=lambda p: (Path(p).suffix != ".xlsx", p)) if p.startswith("matrices/")]},
        toc_depth=2))

    specs.append(PageSpec("cells/index.md", "五级三类规划", "cells_index.html",
                          {**base, "cells": c.cells_sorted(), "domains": c.domains_sorted()}))
    from toolkit.render import site_applicability as sa  # issue 14: what applies to a cell

    for cell in c.cells_sorted():
        specs.append(PageSpec(cell_uri(cell.id), cell.name, "cell.html", {
            **base, "cell": cell,
            "groups": [(d, c.measures_in(cell, d.id)) for d in c.domains_sorted()],
            **sa.cell_applicability(c, cell, dl)}, toc_depth=2))

    specs.append(PageSpec("domains/index.md", "减碳增汇领域", "domains_index.html",
                          {**base, "cells": c.cells_sorted(), "domains": c.domains_sorted()}))
    for d in c.domains_sorted():
        specs.append(PageSpec(domain_uri(d.id), f"{d.name}领域", "domain.html", {
            **base, "domain": d,
            "groups": [(cell, c.measures_in(cell, d.id)) for cell in c.cells_sorted() if c.measures_in(cell, d.id)],
            "indicators": v.indicators_of_domain(d.id), "standards": v.standards_of_domain(d.id),
            "goals": v.goals_of_domain(d.id)}, toc_depth=2))

    groups: list[tuple[str, str, list[m.Indicator]]] = []
    by_group: dict[str, list[m.Indicator]] = {}
    for ind in c.indicators.values():
        by_group.setdefault(_indicator_group(c, ind), []).append(ind)
    for d in c.domains_sorted():
        if d.id in by_group:
            groups.append((d.id, d.name, sorted(by_group[d.id], key=lambda i: i.id)))
    if "" in by_group:
        groups.append(("other", "其他", sorted(by_group[""], key=lambda i: i.id)))
    specs.append(PageSpec("indicators/index.md", "指标", "indicators_index.html", {
        **base, "groups": groups, "target_values": lambda ind: sa.target_values_text(c, ind),
        "filter_attrs": sa.indicator_filter_attrs,
        "downloads": [(DOWNLOAD_LABELS[Path(p).suffix], p) for p in
                      ("indicators/indicators.xlsx", "indicators/indicators.csv") if p in dl]}, toc_depth=2))
    for ind in sorted(c.indicators.values(), key=lambda i: i.id):
        specs.append(PageSpec(indicator_uri(ind.id), ind.name, "indicator.html", {
            **base, "ind": ind, "targets": v.target_rows(ind.id), "users": c.users_of(ind.id),
            "draft_uses": v.draft_uses(ind.id)}, toc_depth=2, boost=2.0, tags=tuple(dict.fromkeys([ind.name, *ind.aliases]))))

    by_family: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for code, info in sorted(codes.items()):
        by_family.setdefault(code_family(code), []).append((code, info))
    fams = [(f"codes-{key.lower()}", f"{label}　{name}", by_family[key])
            for key, label, name in CODE_FAMILIES if key in by_family]
    known = {key for key, _, _ in CODE_FAMILIES}
    other = [item for key, items in sorted(by_family.items()) if key not in known for item in items]
    if other:
        fams.append(("codes-other", "其他", other))
    specs.append(PageSpec("codes.md", "检查代码", "codes.html", {**base, "families": fams}, toc_depth=2))
    from toolkit.fieldref import field_reference

    specs.append(PageSpec("fields.md", "字段参考", "fields.html", {**base, "sections": field_reference(c)},
                          toc_depth=3))
    return specs


def code_family(code: str) -> str:
    """Family key of a finding code: ``A`` for artifacts, ``85``/``95`` for terms and drafting language,
    else the hundreds digit shared by errors and warnings (``E104`` and ``W1xx`` → ``1``)."""
    if code.startswith("A"):
        return "A"
    digits = code[1:]
    if digits[:2] in ("85", "95"):
        return digits[:2]
    return digits[:1] or "?"


def _matrix_tables(c: Corpus) -> list:
    """The four matrices of ``build/matrices`` (same :class:`toolkit.render.tables.Table` values)."""
    from toolkit.render.tables import matrix_tables

    return matrix_tables(c)


# ---------------------------------------------------------------------- links
class Links:
    """Relative URLs from the page at ``here`` (a site URL like ``standards/x/``).

    ``urls`` maps docs paths (``indicators/ind-far.md``, ``drafts/x.docx``) to site URLs.
    Every method returns ``None`` when the target is not part of the site, so templates
    show the text without a link (dangling ids are reported by ``stdkit check``).
    """

    def __init__(self, here: str, urls: dict[str, str], view: SiteView) -> None:
        self.here = here
        self.urls = urls
        self.v = view

    def page(self, src_uri: str, anchor: str = "") -> str | None:
        url = self.urls.get(src_uri)
        if url is None:
            return None
        rel = _relative(url, self.here)
        return rel + ("#" + anchor if anchor else "")

    def home(self, anchor: str = "") -> str | None:
        return self.page("index.md", anchor)

    def indicator(self, iid: str) -> str | None:
        return self.page(indicator_uri(iid))

    def standard(self, sid: str, anchor: str = "") -> str | None:
        return self.page(standard_uri(sid), anchor)

    def cell(self, cid: str | None, anchor: str = "") -> str | None:
        return self.page(cell_uri(cid), anchor) if cid else None

    def domain(self, did: str, anchor: str = "") -> str | None:
        return self.page(domain_uri(did), anchor)

    def goal(self, gid: str) -> str | None:
        return self.home(gid) if gid in self.v.c.goals else None

    def measure(self, mid: str) -> str | None:
        if mid not in self.v.c.measures:
            return None
        return self.cell(self.v.measure_cell.get(mid), mid)

    def origin(self, kind: str, oid: str) -> str | None:
        if kind == "measure":
            return self.measure(oid)
        if kind == "countermeasure" and oid in self.v.cm_owner:
            return self.standard(self.v.cm_owner[oid][0], oid)
        if kind == "clause" and oid in self.v.clause_owner:
            return self.standard(self.v.clause_owner[oid][0], oid)
        return None

    def ref(self, ref) -> str | None:
        """Link of a draft cross reference (:class:`toolkit.document.Ref`)."""
        if ref.kind in ("clause", "table", "annex", "term"):
            return "#" + ref.target
        if ref.kind == "indicator":
            return self.indicator(ref.target)
        if ref.kind == "standard":
            return self.standard(ref.target)
        return None

    def file(self, path: str) -> str | None:
        """A download (``drafts/x.docx``) relative to this page."""
        return self.page(path)


def _relative(url: str, here: str) -> str:
    from mkdocs.utils import get_relative_url

    rel = get_relative_url(url, here)
    if (url == "" or url.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel


# ---------------------------------------------------------------------- rendering
def make_env(templates_dir: Path = TEMPLATES_DIR) -> SandboxedEnvironment:
    """Sandboxed, autoescaping Jinja2 environment with StrictUndefined over ``templates_dir``."""
    env = SandboxedEnvironment(loader=FileSystemLoader(str(templates_dir)), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True)
    env.globals["heading_level"] = lambda depth: min(6, 2 + int(depth))
    env.globals["field_label"] = field_label  # labels of `drafted_fields` (toolkit.provenance)
    return env


def render_page(spec: PageSpec, env: SandboxedEnvironment, links: Links) -> str:
    """HTML body of one generated page (what goes inside Material's article)."""
    return env.get_template(spec.template).render(**spec.context, L=links, page_title=spec.title)


class _HeadingParser(HTMLParser):
    """Collects ``<h2>…<h6>`` with an ``id`` (skipping ``.headerlink`` text) for the page TOC."""

    def __init__(self, max_level: int) -> None:
        super().__init__(convert_charrefs=True)
        self.max_level = max_level
        self.items: list[tuple[int, str, str]] = []
        self._cur: list | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._cur is not None:
            if "headerlink" in (a.get("class") or "").split() or "no-toc" in (a.get("class") or "").split():
                self._skip += 1
            elif self._skip:
                self._skip += 1
            return
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "23456" and a.get("id"):
            level = int(tag[1])
            if level <= self.max_level and "no-toc" not in (a.get("class") or "").split():
                self._cur = [level, a["id"], []]

    def handle_endtag(self, tag):
        if self._cur is None:
            return
        if self._skip:
            self._skip -= 1
            return
        if tag == f"h{self._cur[0]}":
            level, id_, parts = self._cur
            self.items.append((level, id_, " ".join("".join(parts).split())))
            self._cur = None

    def handle_data(self, data):
        if self._cur is not None and not self._skip:
            self._cur[2].append(data)


_HEADING_RE = re.compile(r"<h([2-6])\b[^>]*>.*?</h\1\s*>", re.S | re.I)


def toc_tokens(html_text: str, max_level: int = 2) -> list[dict]:
    """Nested TOC tokens (MkDocs ``_TocToken`` shape: ``level``, ``id``, ``name`` as escaped HTML,
    ``children``) from the headings ``h2``…``h<max_level>`` of a rendered page."""
    from html import escape

    p = _HeadingParser(max_level)
    # only the headings are parsed (the parser over a whole page body costs more than rendering it)
    for mt in _HEADING_RE.finditer(html_text):
        if int(mt.group(1)) <= max_level:
            p.feed(mt.group(0))
    p.close()
    root: list[dict] = []
    stack: list[dict] = []
    for level, id_, text in p.items:
        tok = {"level": level, "id": id_, "name": escape(text, quote=False), "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(tok)
        stack.append(tok)
    return root


# ---------------------------------------------------------------------- downloads
def find_downloads(out: Path) -> dict[str, Path]:
    """Files under ``out/{drafts,indicators,matrices}`` the site offers, keyed by relative path."""
    found: dict[str, Path] = {}
    for d in DOWNLOAD_DIRS:
        base = out / d
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            if p.is_file() and p.suffix in DOWNLOAD_SUFFIXES:
                found[p.relative_to(out).as_posix()] = p
    return found


# ---------------------------------------------------------------------- build
def build_site(root: Path, site_dir: Path, *, corpus: Corpus | None = None, downloads_from: Path | None = None,
               config_file: Path | None = None, strict: bool = True) -> list[Path]:
    """Run MkDocs (``mkdocs.yml`` under ``root``) into ``site_dir``; returns the files written.

    ``corpus`` skips re-loading ``root/standards``; ``downloads_from`` is the build tree
    whose ``drafts/``, ``indicators/`` and ``matrices/`` files become downloads (default
    ``root/build``).  Strict mode: any MkDocs warning raises ``mkdocs.exceptions.Abort``.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = Path(root).resolve()
    site_dir = Path(site_dir).resolve()
    cfg_path = config_file or root / "mkdocs.yml"
    with source_date_env(build_epoch(root)):  # MkDocs dates the sitemap from SOURCE_DATE_EPOCH
        cfg = load_config(config_file=str(cfg_path), site_dir=str(site_dir), strict=strict)
        plugin = cfg.plugins.get("stdkit")
        if plugin is None:
            raise RuntimeError(f"{cfg_path}: the `stdkit` plugin is not enabled")
        plugin.corpus_override = corpus
        plugin.corpus_root = root
        plugin.downloads_override = downloads_from
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    return sorted(p for p in site_dir.rglob("*") if p.is_file())


# ---------------------------------------------------------------------- build output
SITE_CACHE = ".stdkit-cache/site-pages.json"
"""Page keys and search entries of the last site build (see :mod:`toolkit.sitecache`), under ``build/``."""


def site_inputs(root: Path) -> str:
    """Digest of ``mkdocs.yml`` and the hand-written pages (its ``docs_dir``): a probe of the site's pages job."""
    import re

    from toolkit.deps import files_digest

    cfg = Path(root) / "mkdocs.yml"
    docs_dir = "docs"
    if cfg.is_file():
        mt = re.search(r"^docs_dir:\s*['\"]?([^'\"\s#]+)", cfg.read_text(encoding="utf-8"), re.M)
        if mt:
            docs_dir = mt.group(1)
    return files_digest([cfg, Path(root) / docs_dir])


def changes_baseline(root: Path) -> str:
    """The git side of the 修订记录 page (:mod:`toolkit.render.changes_page`): the baseline commit it
    diffs against, so a new tag rebuilds the pages (a probe of the site's pages job)."""
    from toolkit.render import changes_page as CP

    try:
        configured = CP.configured_in(Path(root) / "mkdocs.yml")
    except ValueError as exc:  # the site build reports it
        return f"invalid: {exc}"
    return CP.baseline_key(Path(root), configured)


def _link_tree(files: dict[str, str], dest: Path) -> None:
    for rel, src in sorted(files.items()):
        p = dest / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        os.link(src, p)


def site_pages(ctx) -> list[Path]:
    """The site's pages: MkDocs (:func:`build_site`) with the page cache of :mod:`toolkit.sitecache`,
    built in a scratch folder and moved under ``<out>/site`` *without* the download copies
    (job ``site/downloads`` owns those).  Reads the whole corpus, ``mkdocs.yml``, the
    hand-written pages and the git baseline of the 修订记录 page.

    ``ctx.predicted`` (relative path → file) stands in for the download files when the
    drafts and tables are still being written: the pages only show which downloads exist.
    """
    import hashlib
    import tempfile

    from toolkit import sitecache

    quiet_jieba()  # jieba logs its dictionary loading on stderr; that is not an error
    corpus = ctx.whole_corpus()
    salt = hashlib.sha256("\n".join(["site", ctx.env, ctx.probe(site_inputs), "review" if ctx.review else "",
                                      ctx.probe(changes_baseline)]).encode()).hexdigest()
    scratch = Path(tempfile.mkdtemp(prefix=".site-", dir=ctx.out))
    stand_in: Path | None = None
    try:
        if ctx.predicted is not None:
            stand_in = Path(tempfile.mkdtemp(prefix=f"{ctx.out.name}-downloads-", dir=ctx.out.parent))
            _link_tree(ctx.predicted, stand_in)
        source = stand_in if stand_in is not None else ctx.out
        prev = ctx.previous
        with sitecache.page_cache(salt, prev / "site" if prev else None, prev / SITE_CACHE if prev else None,
                                  jinja_cache=ctx.root / JINJA_CACHE) as stats:
            files = build_site(ctx.root, scratch, corpus=corpus, downloads_from=source)
        downloads = set(find_downloads(source))
        site = ctx.out / "site"
        written: list[Path] = []
        for f in files:
            rel = f.relative_to(scratch).as_posix()
            if rel in downloads:
                continue
            dest = site / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(f, dest)
            written.append(dest)
        written.append(sitecache.write_store(ctx.out / SITE_CACHE, salt, stats.pages))
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if stand_in is not None:
            shutil.rmtree(stand_in, ignore_errors=True)


def site_downloads(ctx) -> list[Path]:
    """Copy the files the site offers (:func:`find_downloads`) to ``<out>/site/<same path>``, as MkDocs
    would.  A file the build did not rewrite (same inode as in the previous build) keeps the previous
    build's copy (hard link)."""
    prev = ctx.previous
    written = []
    for rel, src in sorted(find_downloads(ctx.out).items()):
        dest = ctx.out / "site" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            dest.unlink()
        old_src, old_copy = (prev / rel, prev / "site" / rel) if prev is not None else (None, None)
        if old_src is not None and old_src.is_file() and old_copy.is_file() and os.path.samefile(src, old_src):
            os.link(old_copy, dest)
        else:
            shutil.copyfile(src, dest)
        written.append(dest)
    return written


class SiteOutput:
    """Build output ``site``: two jobs — the pages (:func:`site_pages`; they show only the *names* of
    the drafts' and tables' files) and the download copies (:func:`site_downloads`; the bytes of
    those files).  See :class:`toolkit.render.base.Output`."""

    name = "site"
    reads: tuple[str, ...] = ("tables", "drafts", "reviews", "evaluation")
    names_of: tuple[str, ...] = ()

    def plan(self, ctx) -> list:
        from toolkit.render.base import Job

        return [Job(self.name, "site", (), after=(), names_of=("tables", "drafts", "reviews", "evaluation"), cost=4, reuses_previous=True),
                Job(self.name, "site/downloads", (), reuses_previous=True)]

    def run(self, ctx, job) -> list[Path]:
        return site_downloads(ctx) if job.key == "site/downloads" else site_pages(ctx)


OUTPUT = SiteOutput()
