"""Lock, staging folder and swap: ``build/`` is replaced whole, or not at all.

* **Lock** — :func:`build_lock`: ``fcntl.flock`` on ``<root>/.stdkit-build.lock``, held
  by the main process only (the descriptor is closed in forked workers, see
  :data:`HELD_LOCK_FDS`), so it dies with the process that took it: a ``kill -9``
  cannot leave it held.  While a build writes, the file holds its pid, emptied on a
  clean exit; a pid found there when taking the lock means the previous build was
  killed, and its leftovers are removed (:func:`clean_stale`, with a message).  A
  second build refuses at once or, with ``wait`` seconds, waits for the first.
* **Staging** — beside ``build/`` on the same filesystem (``<root>/.build-staging-<pid>``),
  or, when ``build/`` is a mount point, on another filesystem than the root or a
  symlink, *inside* it (``build/.stdkit-staging-<pid>``).  It receives hard links to
  the previous build's files (copies where links are not possible).
* **Swap** — two renames (``build`` → ``.build-old-<pid>``, staging → ``build``); where
  ``build/`` cannot be renamed (a mount point, another filesystem) its entries are
  swapped one by one inside it (the manifest last), so nothing ever crosses a device
  by rename.
* **Ownership** — :func:`check_target`: a ``build`` that is a file, or a folder stdkit
  did not write (no manifest), is never replaced: the build refuses.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from toolkit.build import MANIFEST_NAME, BuildError

LOCK_NAME = ".stdkit-build.lock"
STAGING_PREFIX = ".build-staging-"
OLD_PREFIX = ".build-old-"
INNER_STAGING_PREFIX = ".stdkit-staging-"
INNER_OLD_PREFIX = ".stdkit-old-"
PRESERVE_WITHOUT_MANIFEST = ("diff",)
"""Top-level folders of ``build/`` written by other commands (``stdkit diff``)."""

HELD_LOCK_FDS: set[int] = set()
"""Descriptors of build locks this process holds; forked workers close them (see the scheduler)."""


@dataclass
class LockInfo:
    """What taking the lock found: ``stale_pid`` of a build that was killed while holding it (or None).

    :meth:`mark` writes this process's pid into the lock file when it starts writing
    (a no-op build never touches the file); it is emptied again on a clean exit.
    """

    path: Path
    fd: int
    stale_pid: int | None = None
    marked: bool = False

    def mark(self) -> None:
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self.marked = True


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@contextmanager
def build_lock(root: Path, wait: float = 0.0, notify: Callable[[str], None] | None = None) -> Iterator[LockInfo]:
    """Hold the build lock of ``root`` (see module docstring).

    ``wait``: seconds to wait for another build (0: refuse at once); ``notify(message)``
    is told once when waiting starts.  Raises :class:`BuildError` when the lock stays
    held.
    """
    lock_path = Path(root) / LOCK_NAME
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    locked = False
    info: LockInfo | None = None
    try:
        deadline = time.monotonic() + max(0.0, wait)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pid = _holder(fd)
                who = f"pid {pid}" if pid else "another process"
                if time.monotonic() >= deadline:
                    raise BuildError(f"another stdkit build is running ({who}, lock {lock_path}); wait for it to "
                                     "finish, or run with --wait SECONDS") from None
                if not told and notify is not None:
                    notify(f"waiting for another stdkit build ({who}) to finish (up to {wait:g} s) …")
                    told = True
                time.sleep(0.1)
        locked = True
        stale = _holder(fd)
        HELD_LOCK_FDS.add(fd)
        info = LockInfo(lock_path, fd, stale if stale != os.getpid() else None)
        yield info
    finally:
        HELD_LOCK_FDS.discard(fd)
        if locked:
            if info is not None and (info.marked or info.stale_pid):
                try:
                    os.ftruncate(fd, 0)
                except OSError:
                    pass
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


# ---------------------------------------------------------------------- ownership and places
def _stdkit_temp(name: str) -> bool:
    return name.startswith((INNER_STAGING_PREFIX, INNER_OLD_PREFIX))


def check_target(target: Path) -> None:
    """Refuse (:class:`BuildError`) to replace ``target`` unless stdkit wrote it.

    Accepted: nothing there; an empty folder; a folder with a build manifest (even a
    corrupt one); a folder holding only what ``stdkit diff`` writes (``diff/``).
    """
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise BuildError(f"{target} exists and is not a folder; stdkit build never replaces what it did not "
                         "create — move or rename it, then build again")
    names = [n for n in os.listdir(target) if not _stdkit_temp(n)]
    if not names or MANIFEST_NAME in names:
        return
    if all(n in PRESERVE_WITHOUT_MANIFEST or n.startswith(".stdkit-") for n in names):
        return
    raise BuildError(f"{target} holds files that stdkit build did not write (no {MANIFEST_NAME}); it never "
                     "replaces what it did not create — move the folder away (or delete it yourself), then build again")


def in_place(root: Path, target: Path) -> bool:
    """Whether ``target`` must be swapped entry by entry (a mount point, another filesystem, a symlink)."""
    if not target.is_dir():
        return False
    if target.is_symlink() or os.path.ismount(target):
        return True
    return target.stat().st_dev != Path(root).stat().st_dev


def staging_path(root: Path, target: Path) -> Path:
    """Where this process stages the new build (see module docstring)."""
    if in_place(root, target):
        return target.resolve() / f"{INNER_STAGING_PREFIX}{os.getpid()}"
    return Path(root) / f"{STAGING_PREFIX}{os.getpid()}"


def clean_stale(root: Path, target: Path) -> list[str]:
    """Remove staging/old folders left by killed builds (call under the lock, before staging); returns their names."""
    found = sorted(Path(root).glob(f"{STAGING_PREFIX}*")) + sorted(Path(root).glob(f"{OLD_PREFIX}*"))
    if target.is_dir():
        found += sorted(p for p in target.iterdir() if _stdkit_temp(p.name))
    removed = []
    for p in found:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed.append(p.name)
    return removed


# ---------------------------------------------------------------------- staging
def make_staging(target: Path, staging: Path, drop: set[str], mode: str = "link") -> int:
    """Fill the new folder ``staging`` from the files of ``target``; returns the number of files placed.

    ``mode="link"``: hard links to every file except those in ``drop`` (POSIX paths
    relative to ``target``: outputs of the jobs about to run, so that they are written
    as new files, never through a link into ``target``); where a link is not possible
    (another filesystem) a copy.  ``mode="copy"``: private copies of every file.
    ``mode="fresh"``: only the top-level folders of :data:`PRESERVE_WITHOUT_MANIFEST`.
    The manifest and stdkit's own temporary folders are never carried over.
    """
    staging.mkdir()
    if not target.is_dir():
        return 0
    copy = mode == "copy"
    n = 0
    for dirpath, dirnames, filenames in os.walk(target):
        rel_dir = os.path.relpath(dirpath, target)
        rel_dir = "" if rel_dir == "." else rel_dir.replace(os.sep, "/")
        if rel_dir == "":
            dirnames[:] = [d for d in dirnames if not _stdkit_temp(d)]
            if mode == "fresh":
                dirnames[:] = [d for d in dirnames if d in PRESERVE_WITHOUT_MANIFEST]
                filenames = []
        dirnames.sort()
        dest_dir = staging / rel_dir if rel_dir else staging
        dest_dir.mkdir(exist_ok=True)
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if rel in drop or rel == MANIFEST_NAME:
                continue
            src = os.path.join(dirpath, name)
            if not copy:
                try:
                    os.link(src, dest_dir / name)
                    n += 1
                    continue
                except OSError as exc:
                    if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                        raise
                    copy = True  # links impossible here: copy this file and the rest
            shutil.copy2(src, dest_dir / name)
            n += 1
    return n


def remove_empty_dirs(top: Path) -> None:
    """Remove folders left empty under ``top`` (outputs that are no longer written), deepest first."""
    for dirpath, dirnames, filenames in os.walk(top, topdown=False):
        if dirpath != str(top) and not filenames and not os.listdir(dirpath):
            os.rmdir(dirpath)


# ---------------------------------------------------------------------- swap
def _swap_entries(new: Path, target: Path) -> None:
    """Replace the entries of ``target`` by those of ``new`` (a folder inside ``target``), renames only.

    The old manifest leaves first and the new one arrives last, so a build killed
    half-way through is seen as unfinished by the next (which rebuilds what is missing).
    """
    trash = target / f"{INNER_OLD_PREFIX}{os.getpid()}"
    trash.mkdir()
    old = [n for n in os.listdir(target) if not _stdkit_temp(n)]
    for name in sorted(old, key=lambda n: n != MANIFEST_NAME):
        os.rename(target / name, trash / name)
    for name in sorted(os.listdir(new), key=lambda n: n == MANIFEST_NAME):
        os.rename(new / name, target / name)
    os.rmdir(new)
    shutil.rmtree(trash, ignore_errors=True)


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` (old tree removed only after the swap).

    Two renames when ``staging`` is beside ``target``; entry by entry when it is inside
    it, or when ``target`` turns out not to be renamable (``EXDEV``/``EBUSY``: a mount
    point or another filesystem) — then the staging folder is first copied into it.
    """
    if staging.parent == target.resolve() or staging.parent == target:
        _swap_entries(staging, target)
        return
    old = target.parent / f"{OLD_PREFIX}{os.getpid()}"
    if target.exists():
        try:
            os.rename(target, old)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EBUSY):
                raise
            inner = target / f"{INNER_STAGING_PREFIX}{os.getpid()}"
            shutil.copytree(staging, inner, symlinks=True)
            shutil.rmtree(staging, ignore_errors=True)
            _swap_entries(inner, target)
            return
    os.rename(staging, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
