"""Fixtures for the diff tests: a git repository with three commits built in a temp folder.

* commit 1 (``HEAD~2``): no ``standards/`` yet (a README only);
* commit 2 (``HEAD~1``, author 张审校): the small corpus of ``fixtures/v1``;
* commit 3 (``HEAD``, author 李起草, 2026-03-02 09:30 +08:00): :func:`make_v2` applied —
  a changed clause text (5.1), a changed target value (≥50% → ≥55%), an added
  indicator, a removed measure, and a clause inserted before 4.2 so that 4.2 becomes 4.3.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
V1 = FIXTURES / "v1"
NEW_AUTHOR = "李起草"
NEW_DATE_ISO = "2026-03-02T01:30:00Z"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: expected one `{old}`"
    path.write_text(text.replace(old, new), encoding="utf-8")


def make_v2(root: Path) -> None:
    """Turn a copy of ``fixtures/v1`` (at ``root``) into version 2 (see module doc)."""
    s = root / "standards"
    draft = s / "drafts" / "std-test-guide.yaml"
    _edit(draft, "text: 新建公共建筑应配置屋顶光伏", "text: 新建公共建筑和居住建筑应配置屋顶光伏")
    _edit(draft, "        - id: tg-general-b\n", """        - id: tg-general-carbon
          title: 碳排放评估
          drafted: true
          blocks:
            - type: p
              text: 详细规划应开展碳排放评估。
        - id: tg-general-b
""")
    ind = s / "indicators" / "municipal.yaml"
    _edit(ind, "value: 50\n", "value: 55\n")
    _edit(ind, "indicators:\n", """indicators:
  - id: ind-ev-charger-ratio
    name: 停车场充电桩配置率
    unit: "%"
    kind: 预期性
    direction: higher
    levels: [municipal]
    plan_types: [detailed]
    source: "004 §7.6(三)2)"
""")
    ms = s / "measures" / "municipal-detailed.yaml"
    text = ms.read_text(encoding="utf-8")
    ms.write_text(text[:text.index("  - id: m-md-buildings-01")], encoding="utf-8")


def git(repo: Path, *args: str, author: str = "测试", date: str = "2026-03-01T08:00:00+08:00") -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": date,
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_COMMITTER_DATE": date}
    res = subprocess.run(["git", "-C", str(repo), "-c", "commit.gpgsign=false", *args], env=env,
                         capture_output=True, text=True, check=True)
    return res.stdout


@pytest.fixture(scope="session")
def run_git():
    """The :func:`git` helper (fixed author, date and an empty git config)."""
    return git


@pytest.fixture(scope="session")
def v1_dir() -> Path:
    """The version-1 project folder (holds ``standards/``)."""
    return V1


@pytest.fixture(scope="session")
def repo(tmp_path_factory) -> Path:
    """The fixture repository (working tree = commit 3)."""
    r = tmp_path_factory.mktemp("diffrepo")
    git(r, "init", "-q", "-b", "main")
    (r / "README.md").write_text("fixture\n", encoding="utf-8")
    git(r, "add", "-A")
    git(r, "commit", "-q", "-m", "empty project")
    shutil.copytree(V1 / "standards", r / "standards")
    git(r, "add", "-A")
    git(r, "commit", "-q", "-m", "v1", author="张审校", date="2026-03-01T08:00:00+08:00")
    make_v2(r)
    git(r, "add", "-A")
    git(r, "commit", "-q", "-m", "v2", author=NEW_AUTHOR, date="2026-03-02T09:30:00+08:00")
    return r


@pytest.fixture(scope="session")
def result(repo, tmp_path_factory):
    """``run_diff(repo, "HEAD~1", "HEAD")`` written to a temp folder (computed once)."""
    from toolkit.render.diff_outputs import run_diff

    out = tmp_path_factory.mktemp("diffout") / "diff"
    return run_diff(repo, "HEAD~1", "HEAD", out)


@pytest.fixture(scope="session")
def out_dir(result) -> Path:
    return result.written[0].parent
