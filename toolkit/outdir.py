"""Write only where stdkit owns the place: the rules for a user-given output folder.

A command that replaces a whole folder (``stdkit diff --out DIR``) may do so only
when stdkit owns that folder.  :func:`claim_output_dir` decides, *before* anything
is written or removed:

* ``DIR`` does not exist → stdkit creates it (and its marker);
* ``DIR`` is an empty folder → taken (nothing can be lost), marker written;
* ``DIR`` holds stdkit's marker file (``.stdkit-diff`` for diff outputs) → it was
  written by stdkit and may be replaced as a whole;
* ``DIR`` is the command's default place inside ``build/`` (stdkit's own output
  folder) → replaced;
* anything else is refused with :class:`UnsafeOutputError` — and always refused,
  marker or not: the project root or a folder holding it, ``.git``,
  ``standards/``, ``templates/``, ``site/`` (or anything inside them), ``build/``
  itself, the user's home folder, ``/``, a symbolic link, a regular file.

The marker is written into the output with a fixed text (outputs stay
byte-identical between runs).
"""
from __future__ import annotations

import os
from pathlib import Path

DIFF_MARKER = ".stdkit-diff"
"""Marker file in every folder written by ``stdkit diff`` (its presence lets the next run replace the folder)."""

MARKER_TEXT = ("This folder was written by `stdkit {command}`; the next `stdkit {command} --out` to this folder "
               "replaces it as a whole. Do not keep your own files here.\n")

PROTECTED = (".git", "standards", "templates", "site")
"""Folders of a project that no output ever replaces or writes into."""


class UnsafeOutputError(Exception):
    """The requested output folder is not stdkit's to replace. The message is user-facing (says what to do)."""


def marker_text(command: str) -> str:
    """The fixed text of the marker file of ``command`` (``diff``)."""
    return MARKER_TEXT.format(command=command)


def _inside(path: Path, base: Path) -> bool:
    try:
        path.relative_to(base)
    except ValueError:
        return False
    return True


def claim_output_dir(out: Path, root: Path, *, marker: str, default: Path | None = None,
                     option: str = "--out") -> Path:
    """Check that folder ``out`` may be (re)written as a whole for project ``root``; returns it resolved.

    ``marker`` is the marker file name that proves a previous run of the same command
    wrote the folder; ``default`` the command's own default folder (accepted without a
    marker when it lies inside ``root/build``).  Raises :class:`UnsafeOutputError`
    (nothing touched) when the folder is not stdkit's to replace.
    """
    root = Path(root).resolve()
    given = Path(out)
    if given.is_symlink():
        raise UnsafeOutputError(f"{option} {given} is a symbolic link; give a real folder path "
                                "(stdkit does not replace links or what they point to)")
    out = given.resolve()
    home = Path.home().resolve()
    if out == Path(out.anchor) or out == home or _inside(root, out):
        raise UnsafeOutputError(f"{option} {given} is (or holds) the project folder {root}; "
                                "stdkit never replaces it — give a new folder such as build/diff-review")
    for name in PROTECTED:
        guarded = root / name
        if _inside(out, guarded):
            raise UnsafeOutputError(f"{option} {given} lies in {name}/ of the project, which stdkit never writes "
                                    "into — give a new folder such as build/diff-review")
    if out == root / "build":
        raise UnsafeOutputError(f"{option} {given} is the build folder itself; `stdkit build` owns it — "
                                "give a folder inside it (e.g. build/diff) or elsewhere")
    if not os.path.lexists(out):
        return out
    if not out.is_dir():
        raise UnsafeOutputError(f"{option} {given} exists and is not a folder; stdkit does not replace it")
    if default is not None and out == Path(default).resolve() and _inside(out, root / "build"):
        return out
    if (out / marker).is_file():
        return out
    try:
        empty = next(os.scandir(out), None) is None
    except OSError as exc:
        raise UnsafeOutputError(f"{option} {given} cannot be read ({exc.strerror}); stdkit does not replace it")
    if empty:
        return out
    raise UnsafeOutputError(f"{option} {given} already exists, is not empty and was not written by stdkit "
                            f"(no {marker} marker in it); stdkit replaces only folders it wrote — give a new or "
                            "empty folder, or remove this one yourself")
