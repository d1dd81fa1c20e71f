"""``stdkit diff`` end to end: load both sides, compute the change set, write every output.

Outputs under the diff folder (default ``build/diff``), written into a staging
folder and moved into place only when all of them succeeded:

* ``index.html``, ``index.md`` — the change set, inline character highlighting,
  links into ``../site/``;
* ``changes.md`` — the same as a site page ("自 … 以来的变化") for the docs root
  (links to ``standards/<id>.md#…``; see :func:`toolkit.render.diff_report.changes_page_markdown`);
* ``changes.json`` — the change set as data (``{"old": …, "new": …, "changes": [...]}``);
* per draft present on both sides with changes: ``<id>-tracked.docx`` (Word tracked
  changes), ``<id>-revision-table.docx`` and ``.xlsx`` (修订对照表); for a revision
  (``action: revise``) also ``<id>-technical-changes.txt`` (the 前言 passage).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path

from toolkit.diff.changeset import ChangeSet, compute_changes
from toolkit.diff.source import load_side
from toolkit.findings import Finding
from toolkit.render.diff_report import changes_page_markdown, render_html, render_markdown
from toolkit.render.revision_table import revision_rows, write_revision_docx, write_revision_xlsx
from toolkit.render.technical_changes import technical_changes
from toolkit.render.tracked_docx import write_tracked_docx
from toolkit.corpus import Corpus
from toolkit.diff.source import DiffSourceError
from toolkit.outdir import DIFF_MARKER, claim_output_dir, marker_text


@dataclass
class DiffResult:
    """What :func:`run_diff` did: the change set, the files written (final paths), each side's load findings."""

    changes: ChangeSet
    written: list[Path]
    old_findings: list[Finding]
    new_findings: list[Finding]


def changes_json(cs: ChangeSet) -> dict:
    """The change set as plain data (deterministic order; no absolute paths)."""
    def side(s):
        return {"label": s.label, "kind": s.kind, "commit": s.commit, "author": s.author, "date": s.date_iso}

    return {"old": side(cs.old), "new": side(cs.new), "counts": cs.counts(),
            "changes": [asdict(c) for c in cs.changes]}


def write_outputs(cs: ChangeSet, out: Path, author: str | None = None) -> list[Path]:
    """Write every output of ``cs`` into folder ``out`` (created); returns the paths written, sorted."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    files: dict[str, list[tuple[str, str]]] = {}
    who = author or cs.new.author
    for sid in cs.changed_drafts():
        pair = cs.drafts[sid]
        title = pair.new.title if pair.new else sid
        written.append(write_tracked_docx(pair, cs.new, out / f"{sid}-tracked.docx", author))
        rows = revision_rows(cs, sid)
        written.append(write_revision_docx(rows, title, out / f"{sid}-revision-table.docx", who, cs.new.date))
        written.append(write_revision_xlsx(rows, title, out / f"{sid}-revision-table.xlsx", who, cs.new.date))
        files[sid] = [("修订标记版（DOCX）", f"{sid}-tracked.docx"), ("修订对照表（DOCX）", f"{sid}-revision-table.docx"),
                      ("修订对照表（XLSX）", f"{sid}-revision-table.xlsx")]
        lines = technical_changes(cs, sid)
        if lines:
            p = out / f"{sid}-technical-changes.txt"
            p.write_text("\n".join(lines) + "\n", encoding="utf-8")
            written.append(p)
            files[sid].append(("前言主要技术变化（TXT）", p.name))
    for name, text in (("index.html", render_html(cs, "../site/", files)),
                       ("index.md", render_markdown(cs, "../site/", files)),
                       ("changes.md", changes_page_markdown(cs)),
                       ("changes.json", json.dumps(changes_json(cs), ensure_ascii=False, indent=1,
                                                   sort_keys=True) + "\n")):
        p = out / name
        p.write_text(text, encoding="utf-8")
        written.append(p)
    marker = out / DIFF_MARKER  # lets the next run replace this folder (see toolkit.outdir)
    marker.write_text(marker_text("diff"), encoding="utf-8")  # not listed: it is not an output
    return sorted(written)


class UnreadableSideError(DiffSourceError):
    """A side has files with read or schema errors whose records the other side holds.

    Comparing would list those records as added or removed (false 删除), so the diff
    stops instead: ``findings`` are that side's error findings in those files; the
    message names the side and the files.
    """

    def __init__(self, message: str, findings: list[Finding]):
        super().__init__(message)
        self.findings = findings


def unreadable_files(findings: list[Finding], other: Corpus) -> list[str]:
    """Files with error findings on one side that hold records on the ``other`` side (sorted)."""
    broken = {f.location.file for f in findings if f.is_error and f.location.file}
    held = {rec.source.rel for rec in other.records.values()}
    return sorted(broken & held)


def _refuse_unreadable(label: str, findings: list[Finding], other: Corpus) -> None:
    files = unreadable_files(findings, other)
    if files:
        shown = [f for f in findings if f.is_error and f.location.file in files]
        raise UnreadableSideError(
            f"{label} has {len(shown)} read/schema error(s) in {', '.join(files)}; its records cannot be compared "
            "(they would show as 删除/新增). Fix the errors (run `stdkit check` on that version) and diff again",
            shown)


def _lock_for(root: Path, out: Path):
    from toolkit.build.staging import build_lock

    try:
        out.resolve().relative_to((root / "build").resolve())
    except ValueError:
        return nullcontext()
    return build_lock(root)


def run_diff(root: Path, old: str, new: str | None = None, out: Path | None = None,
             author: str | None = None) -> DiffResult:
    """Diff side ``old`` against ``new`` (``None`` = working tree) of the project at ``root``; write outputs to ``out``.

    ``out`` defaults to ``root/build/diff``; it is replaced as a whole (staging
    folder, then rename), under the build lock when it lies inside ``root/build``.
    It must be stdkit's to replace (:func:`toolkit.outdir.claim_output_dir`: new,
    empty, marked ``.stdkit-diff`` or the default), checked before anything is read.
    Raises :class:`~toolkit.diff.source.DiffSourceError` when a side cannot be
    loaded (:class:`UnreadableSideError` when a side's broken file holds records the
    other side has: they would be listed as removed or added), :class:`~toolkit.outdir.UnsafeOutputError` when ``out`` is not stdkit's
    and :class:`~toolkit.build.BuildError` when a build holds the lock.
    """
    root = Path(root).resolve()
    default = root / "build" / "diff"
    out = Path(out) if out is not None else default
    out = out if out.is_absolute() else (Path.cwd() / out)
    out = claim_output_dir(out, root, marker=DIFF_MARKER, default=default)
    with tempfile.TemporaryDirectory(prefix="stdkit-diff-") as tmp:
        oc, oi, of = load_side(old, root, Path(tmp), author)
        nc, ni, nf = load_side(new, root, Path(tmp), author)
        _refuse_unreadable(f"the old side {oi.label}", of, nc)  # no false 删除 from a broken file
        _refuse_unreadable(f"the new side {ni.label}", nf, oc)
        cs = compute_changes(oc, nc, oi, ni)
    out.parent.mkdir(parents=True, exist_ok=True)
    with _lock_for(root, out):
        for pattern in (f".{out.name}-staging-*", f".{out.name}-old-*"):  # leftovers of a killed run
            for stale in out.parent.glob(pattern):
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale, ignore_errors=True)
        staging = out.parent / f".{out.name}-staging-{os.getpid()}"
        try:
            written = write_outputs(cs, staging, author)
            old_dir = out.parent / f".{out.name}-old-{os.getpid()}"
            if out.exists():
                os.rename(out, old_dir)
            os.rename(staging, out)
            shutil.rmtree(old_dir, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    final = [out / p.relative_to(staging) for p in written]
    return DiffResult(cs, final, of, nf)
