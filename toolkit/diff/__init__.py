"""Diff stage: ``Corpus × Corpus → ChangeSet → writers`` (``stdkit diff OLD [NEW]``).

* :mod:`toolkit.diff.source` — a side is a git revision (``git archive`` of
  ``standards/``) or a directory; :func:`load_side`.
* :mod:`toolkit.diff.changeset` — :func:`compute_changes`: records matched by id,
  never by position (a renumbered clause is ``moved``, not removed + added).
* writers: :mod:`~toolkit.diff.terminal` (Rich), :mod:`~toolkit.diff.report`
  (``index.html``/``index.md``/site page), :mod:`~toolkit.diff.tracked` (Word
  tracked changes), :mod:`~toolkit.diff.revtable` (修订对照表 DOCX/XLSX),
  :mod:`~toolkit.diff.foreword` (前言 list of technical changes).
* :mod:`toolkit.diff.run` — :func:`run_diff` ties it together for the CLI.
"""
from toolkit.diff.changeset import Change, ChangeSet, DraftPair, Move, compute_changes
from toolkit.diff.foreword import technical_changes
from toolkit.diff.records import FieldDelta
from toolkit.diff.report import changes_page_markdown
from toolkit.diff.run import DiffResult, run_diff
from toolkit.diff.source import DiffSourceError, SideInfo, load_side, resolve_revision, worktree_info

__all__ = ["Change", "ChangeSet", "DraftPair", "Move", "FieldDelta", "compute_changes", "technical_changes",
           "changes_page_markdown", "DiffResult", "run_diff", "DiffSourceError", "SideInfo", "load_side",
           "resolve_revision", "worktree_info"]
