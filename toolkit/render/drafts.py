"""Build step ``drafts``: every draft of the corpus as DOCX, PDF and standalone HTML.

Writes, under the build folder (``ctx.out``)::

    drafts/<standard-id>.docx   editable Word document (styles from templates/reference.docx)
    drafts/<standard-id>.pdf    laid out like a published TD/T / GB/T standard (WeasyPrint)
    drafts/<standard-id>.html   the same layout as one standalone web page
    drafts/review/<standard-id>.{docx,pdf,html}   only with ``stdkit build --review``:
        the review variant — beside every clause, term entry and annex its source
        (``来源：004 §…``) or ``新起草``: Word comments (批注) in the DOCX, notes in a
        widened right margin in the PDF/HTML.  The clean files above are still written.

Each draft goes through :func:`toolkit.document.build_document` once; the writers
never read YAML.  PDFs are laid out in parallel worker processes (``python -m
toolkit.render.pdf``; ``STDKIT_JOBS`` caps them, default the CPU count up to 4) —
WeasyPrint is the slow part.  A draft whose inputs are unchanged since the previous build (same HTML,
same writer code, templates and reference document) is not rendered again: its files
are kept from the previous build (``drafts/.stamps.json`` records the hashes).
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.build import BuildContext, register_step
from toolkit.corpus import Corpus
from toolkit.document import Document, build_document
from toolkit.render import draft_layout as lay
from toolkit.render.docx_writer import REFERENCE, write_docx
from toolkit.render.html_writer import TEMPLATES, render_html

DRAFTS_DIR = "drafts"
REVIEW_DIR = "review"
STAMPS = ".stamps.json"
_CODE = [Path(__file__).parent / n for n in ("drafts.py", "docx_writer.py", "html_writer.py", "pdf.py",
                                             "draft_layout.py")]


@dataclass
class _Job:
    standard_id: str
    doc: Document
    review: bool
    html: str
    stamp: str
    folder: Path

    @property
    def stem(self) -> Path:
        return self.folder / self.standard_id


def _code_hash() -> str:
    h = hashlib.sha256()
    for p in [*_CODE, REFERENCE, *sorted(TEMPLATES.glob("*"))]:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    h.update(str(lay.source_epoch()).encode())
    return h.hexdigest()


def _jobs_count() -> int:
    env = os.environ.get("STDKIT_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(4, os.cpu_count() or 1))


def build_drafts(corpus: Corpus, out: Path, review: bool = False, jobs: int | None = None,
                 previous_stamps: dict[str, str] | None = None, ids: list[str] | None = None) -> list[Path]:
    """Write DOCX, PDF and HTML of every draft under ``out/drafts`` (and ``out/drafts/review`` if ``review``).

    ``ids`` restricts the build to those drafts (default: all of ``corpus.drafts``);
    files of other drafts are removed from ``out/drafts``.
    ``previous_stamps`` (file stem → hash, from the previous build's ``.stamps.json``)
    lets unchanged drafts keep the files already present in ``out``.  Returns the paths
    written or kept, sorted.  Raises ``KeyError`` if a draft has no catalogue record
    (``stdkit check`` reports that as an error before any build).
    """
    root = out / DRAFTS_DIR
    previous_stamps = previous_stamps or {}
    code = _code_hash()
    variants = [False, True] if review else [False]
    jobs_list: list[_Job] = []
    for sid in sorted(ids if ids is not None else corpus.drafts):
        doc = build_document(corpus, sid)
        for rv in variants:
            html = render_html(doc, review=rv)
            stamp = hashlib.sha256((code + ("R" if rv else "") + html).encode("utf-8")).hexdigest()
            jobs_list.append(_Job(sid, doc, rv, html, stamp, root / REVIEW_DIR if rv else root))
    # Keep unchanged outputs; drop everything else from the staged copy of the previous build.
    keep: set[Path] = set()
    for j in jobs_list:
        rel = str(j.stem.relative_to(root))
        files = [j.stem.with_suffix(s) for s in (".docx", ".pdf", ".html")]
        if previous_stamps.get(rel) == j.stamp and all(f.exists() for f in files):
            keep.update(files)
    if root.exists():
        for p in sorted(root.rglob("*"), reverse=True):
            if p.is_file() and p not in keep:
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
    todo = [j for j in jobs_list if j.stem.with_suffix(".pdf") not in keep]
    for j in todo:
        j.folder.mkdir(parents=True, exist_ok=True)
    for j in todo:
        j.stem.with_suffix(".html").write_text(j.html, encoding="utf-8")
    results = _render_pdfs([(j.stem.with_suffix(".html"), j.stem.with_suffix(".pdf")) for j in todo],
                           jobs or _jobs_count())
    for j, labels in zip(todo, results):
        write_docx(j.doc, j.stem.with_suffix(".docx"), review=j.review, page_labels=labels)
    root.mkdir(parents=True, exist_ok=True)
    stamps = {str(j.stem.relative_to(root)): j.stamp for j in jobs_list}
    (root / STAMPS).write_text(json.dumps(stamps, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    written = [j.stem.with_suffix(s) for j in jobs_list for s in (".docx", ".pdf", ".html")]
    return sorted(written)


def _render_pdfs(pairs: list[tuple[Path, Path]], jobs: int) -> list[dict[str, str]]:
    """Lay out each ``(html file, pdf file)``; returns the page labels of each, in order.

    With ``jobs > 1`` the PDFs are laid out by ``python -m toolkit.render.pdf`` worker
    processes, ``jobs`` at a time.  Raises ``RuntimeError`` with the worker's stderr if one fails.
    """
    from toolkit.render.pdf import write_pdf

    if jobs <= 1 or len(pairs) <= 1:
        return [write_pdf(h.read_text(encoding="utf-8"), p) for h, p in pairs]
    env = dict(os.environ)
    pkg_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = pkg_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with tempfile.TemporaryDirectory(prefix="stdkit-pdf-") as tmp:
        label_files = [Path(tmp) / f"{i}.json" for i in range(len(pairs))]
        pending = list(range(len(pairs)))
        running: dict[int, subprocess.Popen] = {}
        while pending or running:
            while pending and len(running) < jobs:
                i = pending.pop(0)
                h, p = pairs[i]
                running[i] = subprocess.Popen([sys.executable, "-m", "toolkit.render.pdf", str(h), str(p),
                                               str(label_files[i])], env=env, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.PIPE)
            done = next(iter(running))
            proc = running.pop(done)
            _, err = proc.communicate()
            if proc.returncode != 0:
                for other in running.values():
                    other.kill()
                    other.wait()
                raise RuntimeError(f"PDF layout of {pairs[done][0].name} failed:\n{err.decode('utf-8', 'replace')}")
        return [json.loads(f.read_text(encoding="utf-8")) for f in label_files]


def read_stamps(build_dir: Path | None) -> dict[str, str]:
    """The ``drafts/.stamps.json`` of a previous build (empty if none or unreadable)."""
    if build_dir is None:
        return {}
    try:
        data = json.loads((build_dir / DRAFTS_DIR / STAMPS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def step_drafts(ctx: BuildContext) -> list[Path]:
    """Build step: :func:`build_drafts` into ``ctx.out`` (review variants when ``ctx.review``)."""
    stamps = read_stamps(ctx.out) if (ctx.out / DRAFTS_DIR / STAMPS).exists() else read_stamps(ctx.previous)
    return build_drafts(ctx.corpus, ctx.out, review=ctx.review, previous_stamps=stamps)


register_step("drafts", step_drafts)
