"""Helpers of the engine tests: copy the project, run ``stdkit build``, snapshot files."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STDKIT = Path(sys.executable).with_name("stdkit")
PROJECT_FILES = ("standards", "templates", "site", "mkdocs.yml")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1", "STDKIT_JOBS": "2"}


def copy_project(dest: Path) -> Path:
    """The project files of this repository (corpus, templates, site sources, mkdocs.yml) under ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(src, dest / name)
    return dest


def stdkit_build(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """``stdkit build --root root *args`` in a subprocess (text output)."""
    return subprocess.run([str(STDKIT), "build", "--root", str(root), *args], capture_output=True, text=True,
                          env=ENV, timeout=timeout)


def files_state(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file under ``folder``: relative path → (inode, mtime_ns, size)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            st = p.stat()
            out[p.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return out


