"""Diff core: ``Corpus × Corpus → ChangeSet`` (the pure part of ``stdkit diff OLD [NEW]``).

* :mod:`toolkit.diff.source` — a side is a git revision (``git archive`` of
  ``standards/``) or a directory; :func:`load_side`.
* :mod:`toolkit.diff.changeset` — :func:`compute_changes`: records matched by id,
  never by position (a renumbered clause is ``moved``, not removed + added);
  :mod:`toolkit.diff.records`, :mod:`toolkit.diff.units` and :mod:`toolkit.diff.textdiff`
  compare records, draft units and text.
* :mod:`toolkit.diff.links` (URLs of changed records in the site) and
  :mod:`toolkit.diff.terminal` (the Rich summary the CLI prints).

The outputs of a change set are writers in :mod:`toolkit.render`:
:mod:`~toolkit.render.diff_report` (``index.html``/``index.md``/site page),
:mod:`~toolkit.render.tracked_docx` (Word tracked changes),
:mod:`~toolkit.render.revision_table` (修订对照表 DOCX/XLSX),
:mod:`~toolkit.render.technical_changes` (前言 list of technical changes), tied together
for the CLI by :func:`toolkit.render.diff_outputs.run_diff`.  Nothing here imports
:mod:`toolkit.render` or the build engine.
"""
from toolkit.diff.changeset import Change, ChangeSet, DraftPair, Move, compute_changes
from toolkit.diff.records import FieldDelta
from toolkit.diff.source import DiffSourceError, SideInfo, load_side, resolve_revision, worktree_info

__all__ = ["Change", "ChangeSet", "DraftPair", "Move", "FieldDelta", "compute_changes", "DiffSourceError",
           "SideInfo", "load_side", "resolve_revision", "worktree_info"]
