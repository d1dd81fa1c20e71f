"""Report writers: ``index.html`` and ``index.md`` under the diff folder, and the site's "changes since …" page.

Both render the same view model (:func:`report_context`) through sandboxed
Jinja2 templates under ``templates/diff/`` (autoescape on, ``StrictUndefined``).
Text changes are highlighted per character: ``<del>`` for deleted and
``<ins>`` for inserted characters (Markdown keeps the same inline HTML, with
every text escaped for both HTML and Markdown).  Links go to the site's pages
through :class:`~toolkit.diff.links.SiteLinks` (relative URLs).
"""
from __future__ import annotations

import html
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from toolkit.diff.changeset import KIND_LABELS, KIND_ORDER, OP_LABELS, OPS, Change, ChangeSet
from toolkit.diff.links import SiteLinks
from toolkit.diff.review_links import comments_by_change, comments_for
from toolkit.diff.textdiff import line_hunks
from toolkit.render.technical_changes import technical_changes
from toolkit.textfmt import md_escape

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates" / "diff"
SIGNS = {"added": "+", "removed": "−", "changed": "~", "moved": "↷"}




def _html_text(s: str) -> str:
    return html.escape(s, quote=True).replace("\n", "<br>")


def _md_text(s: str) -> str:
    return md_escape(s).replace("\n", "<br>")


def hunks_markup(old: str | None, new: str | None, markdown: bool = False) -> Markup:
    """Changed lines of a multi-line text with character highlighting; unchanged lines folded to ``⋯``."""
    esc = _md_text if markdown else _html_text
    parts: list[str] = []
    for kind, val in line_hunks(old, new):
        if kind == "skip":
            parts.append(esc(f"⋯（{val}行未变）") if markdown else
                         f'<span class="skip">⋯（{val}行未变）</span>')
        else:
            body = "".join(esc(s) if op == "=" else f"<{'del' if op == '-' else 'ins'}>{esc(s)}</{'del' if op == '-' else 'ins'}>"
                           for op, s in val)
            parts.append(body if markdown else f'<span class="hunk">{body}</span>')
    return Markup(("<br>" if markdown else "").join(parts))


def _env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                               undefined=StrictUndefined, keep_trailing_newline=True,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = lambda s: Markup(_md_text(str(s)))
    return env


def _move_text(ch: Change) -> str:
    if ch.move is None:
        return ""
    mv = ch.move
    if mv.reparented:
        return f"{mv.old_number or '—'} → {mv.new_number or '—'}（调整位置）"
    return f"{mv.old_number or '—'} → {mv.new_number or '—'}（编号调整）"


def _change_view(ch: Change, links: SiteLinks, markdown: bool, caused: dict | None = None) -> dict:
    fields = []
    for f in ch.fields:
        if ch.op in ("added", "removed") and ch.kind != "target":
            continue
        short = len(f.old or "") <= 16 and len(f.new or "") <= 16 and "\n" not in (f.old or "") + (f.new or "")
        fields.append({
            "label": f.label, "old": f.old if f.old is not None else "（无）",
            "new": f.new if f.new is not None else "（无）", "short": short,
            "inline": hunks_markup(f.old, f.new, markdown),
        })
    body = ""
    if ch.op in ("added", "removed") and ch.kind in ("clause", "term", "annex", "front"):
        text = next((f.new if ch.op == "added" else f.old for f in ch.fields if f.path == "text"), None) or ""
        body = text
    return {
        "kind": ch.kind, "op": ch.op, "op_label": OP_LABELS[ch.op], "sign": SIGNS[ch.op], "id": ch.id,
        "title": ch.title, "href": links.for_change(ch), "note": ch.note, "move": _move_text(ch),
        "fields": fields, "body": body,
        "comments": [r.line for r in comments_for(ch, caused)] if caused else [],
    }


def report_context(cs: ChangeSet, site_base: str, files: dict[str, list[tuple[str, str]]] | None = None,
                   markdown: bool = False, sources: bool = False) -> dict:
    """The view model both templates render.

    ``files`` maps a draft's standard id to ``(label, relative path)`` downloads
    (tracked DOCX, 修订对照表); ``site_base`` is the relative path to the site root
    (``sources``: link Markdown sources, for a page inside the site; see :mod:`~toolkit.diff.links`).
    """
    links = SiteLinks(site_base, cs.new_corpus, sources)
    caused = {} if sources else comments_by_change(cs)  # review comments: diff report only, not the public site
    files = files or {}
    counts = cs.counts()
    summary = [{"label": KIND_LABELS[k], **{op: counts[k][op] for op in OPS}}
               for k in KIND_ORDER if any(counts[k].values())]
    drafts = []
    for sid, pair in sorted(cs.drafts.items()):
        chs = cs.for_draft(sid)
        if not chs:
            continue
        doc = pair.new or pair.old
        own = next((c for c in chs if c.kind == "draft"), None)
        drafts.append({
            "id": sid, "title": doc.title if doc else sid, "href": links.standard(sid) if pair.new else None,
            "op": own.op if own and own.op in ("added", "removed") else "changed",
            "op_label": OP_LABELS[own.op] if own and own.op in ("added", "removed") else OP_LABELS["changed"],
            "cover": _change_view(own, links, markdown)["fields"] if own and own.op == "changed" else [],
            "units": [_change_view(c, links, markdown, caused) for c in chs if c.kind != "draft"],
            "foreword": technical_changes(cs, sid),
            "files": files.get(sid, []),
        })
    sections = []
    for kind in ("standard", "measure", "indicator", "target"):
        items = [_change_view(c, links, markdown) for c in cs.of_kind(kind)]
        if items:
            sections.append({"kind": kind, "label": KIND_LABELS[kind], "entries": items})
    return {
        "old": cs.old, "new": cs.new, "empty": not cs, "summary": summary, "ops": [(op, OP_LABELS[op]) for op in OPS],
        "drafts": drafts, "sections": sections, "total": len(cs.changes),
    }


def render_html(cs: ChangeSet, site_base: str = "../site/", files: dict | None = None) -> str:
    """``index.html`` of the diff folder."""
    return _env().get_template("index.html.j2").render(**report_context(cs, site_base, files))


def render_markdown(cs: ChangeSet, site_base: str = "../site/", files: dict | None = None,
                    title: str | None = None, sources: bool = False) -> str:
    """``index.md`` of the diff folder (or, with ``sources``, another ``site_base`` and ``title``, a site page)."""
    ctx = report_context(cs, site_base, files, markdown=True, sources=sources)
    return _env().get_template("index.md.j2").render(
        **ctx, title=title or f"变更对照：{cs.old.label} → {cs.new.label}")


def changes_page_markdown(cs: ChangeSet, site_base: str = "") -> str:
    """The site's "changes since …" page (Markdown with inline ``<del>``/``<ins>``).

    Links are to Markdown sources (``standards/<id>.md#<clause-id>``,
    ``indicators/<id>.md``, ``cells/<cell>.md#<measure-id>``) so MkDocs checks and
    rewrites them; ``site_base`` is the path from the page's source to the docs
    root (``""`` for a page at ``changes.md``, ``../`` one folder down).
    """
    return render_markdown(cs, site_base, None, title=f"自 {cs.old.label} 以来的变化", sources=True)
