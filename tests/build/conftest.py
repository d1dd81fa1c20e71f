"""The real build engine on the real corpus: one cold ``stdkit build`` per session, copied per test."""
from __future__ import annotations

import fcntl
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from buildhelpers import ENV, copy_project, stdkit_build  # noqa: E402


@pytest.fixture(scope="session")
def built_project(tmp_path_factory, request) -> Path:
    """A copy of the project with a complete cold ``build/`` — shared by every test (and xdist worker)."""
    worker = getattr(request.config, "workerinput", {}).get("workerid", "master")
    base = tmp_path_factory.getbasetemp()
    shared = base if worker == "master" else base.parent
    proj = shared / "stdkit-engine-project"
    done = shared / "stdkit-engine-project.ok"
    with open(shared / "stdkit-engine-project.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            if proj.exists():
                shutil.rmtree(proj)
            copy_project(proj)
            res = stdkit_build(proj, "--quiet")
            assert res.returncode == 0, res.stdout + res.stderr
            done.write_text(res.stdout + res.stderr, encoding="utf-8")
    return proj


@pytest.fixture
def project(built_project, tmp_path) -> Path:
    """A private copy of the built project (files and ``build/``), for a test to change."""
    dest = tmp_path / "project"
    shutil.copytree(built_project, dest, symlinks=True)
    return dest


@pytest.fixture
def build_here(monkeypatch):
    """``build_here(root, **options)``: load the corpus of ``root`` and run the engine in this process."""
    from toolkit.build.engine import incremental_build
    from toolkit.corpus import load_corpus

    for k in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING"):
        monkeypatch.setenv(k, ENV[k])

    def run(root: Path, **kw):
        corpus, _ = load_corpus(root)
        kw.setdefault("quiet", True)
        kw.setdefault("workers", 2)
        return incremental_build(corpus, root, **kw)

    return run
