"""Diff sides: load a corpus from a git revision or from a directory.

A *side* is what the user names on the command line: a directory (a project
root holding ``standards/``, or the ``standards/`` folder itself) or a git
revision of the repository that holds ``root`` (``HEAD~1``, a tag, a sha).  A
path that exists as a directory wins over a revision of the same name.

Git revisions are materialised with ``git archive <rev> -- <prefix>standards``
into a temporary folder and loaded with :func:`toolkit.corpus.load_corpus`;
nothing in the working tree or the index is touched.

:class:`SideInfo` carries what the writers print about a side: a label
(``HEAD~1 (4cd389a)``, ``工作区``), and the author and date used for Word
tracked changes (the commit's author name and author date; for a directory
``--author`` or ``stdkit`` and the corpus's build epoch, :func:`toolkit.repro.build_epoch`).
"""
from __future__ import annotations

import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from toolkit.corpus import Corpus, load_corpus, release_sources
from toolkit.findings import Finding
from toolkit.repro import NoBuildEpoch, build_epoch, epoch_utc

DEFAULT_AUTHOR = "stdkit"
WORKTREE_LABEL = "工作区"


class DiffSourceError(Exception):
    """A side cannot be loaded (unknown revision, no git repository, no ``standards/``). Message is user-facing."""


@dataclass(frozen=True)
class SideInfo:
    """One side of a diff.

    ``spec`` is what the user gave (``None`` for the working tree); ``kind`` is
    ``git``, ``dir`` or ``worktree``; ``commit`` the full sha for ``git``;
    ``author`` and ``date`` (timezone-aware, UTC) date the tracked changes.
    """

    spec: str | None
    kind: Literal["git", "dir", "worktree"]
    label: str
    author: str
    date: datetime
    commit: str | None = None

    @property
    def date_iso(self) -> str:
        """``2026-11-21T07:48:32Z`` — the form Word wants in ``w:date``."""
        return self.date.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def date_text(self) -> str:
        """``2026-11-21 07:48 UTC`` for reports."""
        return self.date.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=not binary,
                          env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})


def _epoch_date(root: Path) -> datetime:
    """The build epoch of the corpus at ``root`` (:func:`toolkit.repro.build_epoch`) as an aware UTC datetime.

    Raises :class:`DiffSourceError` when the corpus has no date at all."""
    try:
        return epoch_utc(build_epoch(root))
    except NoBuildEpoch as exc:
        raise DiffSourceError(str(exc)) from exc


def _dir_root(path: Path) -> Path | None:
    """The project root for a directory side: the folder holding ``standards/`` (or ``standards/`` itself)."""
    if (path / "standards").is_dir():
        return path
    if path.name == "standards":
        return path.parent
    return None


def _dir_label(spec: str) -> str:
    p = Path(spec)
    return spec if not p.is_absolute() else (p.name or spec)


def resolve_revision(root: Path, spec: str) -> str:
    """Full commit sha of ``spec`` in the repository holding ``root``; raises :class:`DiffSourceError`."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise DiffSourceError(f"`{spec}` is not a directory, and {root} is not inside a git repository")
    res = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{spec}^{{commit}}")
    if res.returncode != 0 or not res.stdout.strip():
        raise DiffSourceError(f"`{spec}` is neither a directory nor a known git revision")
    return res.stdout.strip()


def _export_revision(root: Path, sha: str, dest: Path) -> Path:
    """Extract ``standards/`` of commit ``sha`` under ``dest``; returns the corpus root inside ``dest``."""
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.strip()
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.strip())  # paths below are from the top
    corpus_root = dest / prefix if prefix else dest
    (corpus_root / "standards").mkdir(parents=True, exist_ok=True)
    listed = _git(top, "ls-tree", "-d", "--name-only", sha, "--", f"{prefix}standards")
    if listed.returncode != 0:
        raise DiffSourceError(f"git ls-tree failed for {sha[:7]}: {listed.stderr.strip()}")
    if not listed.stdout.strip():  # the revision has no standards/: an empty corpus
        return corpus_root
    arch = _git(top, "archive", "--format=tar", sha, "--", f"{prefix}standards", binary=True)
    if arch.returncode != 0:
        raise DiffSourceError(f"git archive failed for {sha[:7]}: {arch.stderr.decode('utf-8', 'replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(arch.stdout)) as tar:
        tar.extractall(dest, filter=_link_keeping_filter(dest))
    return corpus_root


def _link_keeping_filter(dest: Path):
    """Tar filter: ``data`` rules, except that a symbolic link the ``data`` filter refuses (absolute, or
    leaving the export) is recreated as the link it is, never followed — so that the loader reports it
    (E012, as for the working tree) instead of the export failing with an internal error.
    """
    def keep(member: tarfile.TarInfo, path: str):
        try:
            return tarfile.data_filter(member, path)
        except tarfile.FilterError:
            if not member.issym():
                raise
            link = (Path(dest) / member.name)
            if not os.path.abspath(link).startswith(os.path.abspath(dest) + os.sep):
                raise  # the link's own name leaves the export: refuse
            link.parent.mkdir(parents=True, exist_ok=True)
            if not os.path.lexists(link):
                os.symlink(member.linkname, link)
            return None  # already made; tarfile skips the member

    return keep


def worktree_info(root: Path, author: str | None = None) -> SideInfo:
    """:class:`SideInfo` of the working tree at ``root`` (label ``工作区``).

    The date is the corpus's build epoch (:func:`toolkit.repro.build_epoch`: ``SOURCE_DATE_EPOCH``,
    else the last commit under ``standards/``, else the corpus's ``editions`` date).  Used by :func:`load_side` and by callers that
    already hold the working tree's corpus (the site's "changes since …" page).
    """
    date = _epoch_date(Path(root))
    return SideInfo(None, "worktree", WORKTREE_LABEL, author or DEFAULT_AUTHOR, date)


def load_side(spec: str | None, root: Path, tmp: Path, author: str | None = None) -> tuple[Corpus, SideInfo, list[Finding]]:
    """Load one side of a diff.

    ``spec`` ``None`` is the working tree at ``root``; an existing directory is
    loaded as it is; anything else is a git revision of the repository holding
    ``root``, exported under ``tmp`` (which the caller removes afterwards).
    ``author`` overrides the author of the tracked changes.  Returns ``(corpus,
    info, findings)`` — findings are the load/validate findings of that side.
    Raises :class:`DiffSourceError` when the side cannot be loaded.
    """
    root = Path(root)
    if spec is None:
        corpus, findings = load_corpus(root)
        release_sources(corpus)
        return corpus, worktree_info(root, author), findings
    path = Path(spec)
    if not path.is_absolute():
        path = Path.cwd() / path
    if path.is_dir():
        droot = _dir_root(path)
        if droot is None:
            raise DiffSourceError(f"directory `{spec}` holds no `standards/` folder")
        corpus, findings = load_corpus(droot, cache=False)  # a folder stdkit does not own: write nothing there
        release_sources(corpus)
        date = _epoch_date(droot)
        return corpus, SideInfo(spec, "dir", _dir_label(spec), author or DEFAULT_AUTHOR, date), findings
    sha = resolve_revision(root, spec)
    meta = _git(root, "log", "-1", "--format=%an%x00%at", sha)
    if meta.returncode != 0:
        raise DiffSourceError(f"cannot read commit {sha[:7]}: {meta.stderr.strip()}")
    name, _, at = meta.stdout.strip().partition("\x00")
    date = datetime.fromtimestamp(int(at), tz=timezone.utc)
    dest = Path(tmp) / sha
    corpus_root = _export_revision(root, sha, dest)
    corpus, findings = load_corpus(corpus_root, cache=False)  # a throw-away export
    release_sources(corpus)
    label = spec if spec.startswith(sha[:7]) else f"{spec} ({sha[:7]})"
    return corpus, SideInfo(spec, "git", label, author or name or DEFAULT_AUTHOR, date, sha), findings
