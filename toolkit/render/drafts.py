"""Build step ``drafts``: every draft of the corpus as DOCX, PDF and standalone HTML.

Writes, under the build folder (``ctx.out``)::

    drafts/<standard-id>.docx   editable Word document (styles from templates/reference.docx)
    drafts/<standard-id>.pdf    laid out like a published TD/T / GB/T standard (WeasyPrint)
    drafts/<standard-id>.html   the same layout as one standalone web page
    drafts/review/<standard-id>.{docx,pdf,html}   only with ``stdkit build --review``:
        the review variant — beside every clause, term entry and annex its source
        (``来源：004 §…``) or ``新起草``: Word comments (批注) in the DOCX, notes in a
        widened right margin in the PDF/HTML.  The clean files above are still written.

Each draft goes through :func:`toolkit.document.build_document` once; the writers never
read YAML.  Order per draft: HTML, then its PDF (WeasyPrint, 2–3 s: the slow part), whose
page numbers the DOCX's 目次 field caches, then the DOCX.

:func:`render_draft` is one draft (one job of the build output :data:`OUTPUT`, which
:mod:`toolkit.build` caches and runs in parallel); :func:`build_drafts` is the whole
output, for plain builds into a folder.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from toolkit.corpus import Corpus
from toolkit.render.base import BuildContext, Job
from toolkit.sitecache import JINJA_CACHE

DRAFTS_DIR = "drafts"
REVIEW_DIR = "review"


def render_draft(corpus: Corpus, standard_id: str, out: Path, review: bool = False,
                 jinja_cache: Path | None = None) -> list[Path]:
    """Write one draft as ``out/drafts/<id>.{docx,pdf,html}`` (and ``out/drafts/review/…`` with ``review``).

    ``jinja_cache``: folder of compiled templates shared between processes (see
    :func:`toolkit.render.html_writer.render_html`).  Returns the paths written.  Raises ``KeyError`` if the draft has no catalogue record
    (``stdkit check`` reports that as an error before any build).
    """
    from toolkit.document import build_document
    from toolkit.render.docx_writer import write_docx
    from toolkit.render.html_writer import render_html
    from toolkit.render.pdf import write_pdf

    doc = build_document(corpus, standard_id)
    written: list[Path] = []
    for rv in ([False, True] if review else [False]):
        folder = out / DRAFTS_DIR / REVIEW_DIR if rv else out / DRAFTS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        stem = folder / standard_id
        html = render_html(doc, review=rv, jinja_cache=jinja_cache)
        stem.with_suffix(".html").write_text(html, encoding="utf-8")
        labels = write_pdf(html, stem.with_suffix(".pdf"), epoch=doc.epoch)
        write_docx(doc, stem.with_suffix(".docx"), review=rv, page_labels=labels)
        written += [stem.with_suffix(s) for s in (".docx", ".pdf", ".html")]
    return written


def build_drafts(corpus: Corpus, out: Path, review: bool = False, ids: list[str] | None = None) -> list[Path]:
    """Write every draft (or those in ``ids``) under ``out/drafts``, replacing what was there.

    Returns the paths written, sorted.  See :func:`render_draft`.
    """
    shutil.rmtree(out / DRAFTS_DIR, ignore_errors=True)
    written: list[Path] = []
    for sid in sorted(ids if ids is not None else corpus.drafts):
        written += render_draft(corpus, sid, out, review)
    return sorted(written)


class DraftsOutput:
    """Build output ``drafts``: one job per draft (:func:`render_draft`); see :class:`toolkit.render.base.Output`."""

    name = "drafts"
    reads: tuple[str, ...] = ()
    names_of: tuple[str, ...] = ()

    def plan(self, ctx: BuildContext) -> list[Job]:
        return [Job(self.name, f"{DRAFTS_DIR}/{sid}", (sid,), cost=3) for sid in sorted(ctx.corpus.drafts)]

    def run(self, ctx: BuildContext, job: Job) -> list[Path]:
        return render_draft(ctx.corpus, job.args[0], ctx.out, ctx.review, jinja_cache=ctx.root / JINJA_CACHE)


OUTPUT = DraftsOutput()
