"""HTML writer for drafts: one standalone page (CSS inlined) laid out as a GB/T 1.1-2020 standard.

The same HTML is printed to PDF by :mod:`toolkit.render.pdf` (WeasyPrint honours the
``@page`` rules: cover, Roman-numbered front matter, 目次 with ``target-counter``
page numbers, running header with the code) and opened directly in a browser.

Templates: ``templates/draft/draft.html.j2`` with ``draft.css`` (and ``draft-review.css``
for the review build), rendered in Jinja2's sandbox with autoescape and ``StrictUndefined``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from toolkit.document import Document, Ref
from toolkit.render import draft_layout as lay
from toolkit.sitecache import EnvBytecodeCache

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "draft"


def _codes(text: str) -> Markup:
    """Escape ``text`` and wrap every standard code in ``<span class="nobr">`` (no line break inside it)."""
    out, pos = [], 0
    for mt in lay.STANDARD_CODE.finditer(text):
        out.append(escape(text[pos:mt.start()]))
        out.append(Markup('<span class="nobr">') + escape(mt.group(0)) + Markup("</span>"))
        pos = mt.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


@lru_cache(maxsize=4)
def _env(templates: Path, jinja_cache: Path | None = None) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=FileSystemLoader(str(templates)), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False,
                               keep_trailing_newline=True)
    if jinja_cache is not None:  # compiled once, not in every build process (about 50 ms per draft job)
        env.bytecode_cache = EnvBytecodeCache(env, jinja_cache)
    env.tests["ref"] = lambda x: isinstance(x, Ref)
    env.filters["codes"] = _codes
    env.globals.update(
        provenance=lay.provenance, column_widths=lay.column_widths, centred_columns=lay.centred_columns,
        unit_line=lay.unit_line, label_box=lay.label_box, text_width=lay.text_width, spaced=lay.spaced,
        kind_line=lay.kind_line, code_letters=lay.code_letters, annex_heading=lay.annex_heading,
        title_lines=lay.title_lines,
    )
    return env


def render_html(doc: Document, review: bool = False, templates: Path = TEMPLATES,
                jinja_cache: Path | None = None) -> str:
    """The draft as a standalone HTML string (UTF-8 text, CSS inlined).

    ``review=True`` adds, beside every clause, term entry and annex, a note with its
    source (``来源：004 §…``) or ``新起草``, in a widened right margin.  ``jinja_cache``:
    a folder keeping the compiled template between processes
    (:class:`toolkit.sitecache.EnvBytecodeCache`; the output is the same with or without).
    Raises ``jinja2.TemplateError`` on template bugs (never on content).
    """
    tpl = _env(templates, jinja_cache).get_template("draft.html.j2")
    return tpl.render(doc=doc, toc=lay.toc_entries(doc), review=review)


def write_html(doc: Document, path: Path, review: bool = False) -> Path:
    """Write :func:`render_html` to ``path`` (parents created); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(doc, review), encoding="utf-8")
    return path
