"""``stdkit diff`` never deletes what it does not own, never shows false 删除, never crashes on user text (issue 11)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.outdir import DIFF_MARKER

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["diff", *args], catch_exceptions=False)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts}


@pytest.fixture
def proj(repo, tmp_path) -> Path:
    """A private copy of the fixture repository (with .git), plus hand-written site/ and templates/."""
    p = tmp_path / "proj"
    shutil.copytree(repo, p, symlinks=True)
    (p / "site").mkdir()
    (p / "site" / "guide.md").write_text("# 手写的使用指南\n", encoding="utf-8")
    (p / "templates").mkdir()
    (p / "templates" / "x.j2").write_text("{{ x }}\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("target", [".", "standards", "site", "templates", ".git", "standards/measures", "..",
                                     "build"])
def test_out_never_replaces_the_project_or_its_protected_folders(proj, target, monkeypatch):
    monkeypatch.chdir(proj)
    before = _snapshot(proj.parent)
    git_head = (proj / ".git" / "HEAD").read_bytes()
    r = _run("HEAD~1", "HEAD", "--root", str(proj), "--out", target)
    assert r.exit_code == 2, r.output
    assert "stdkit never" in r.output or "owns it" in r.output
    assert _snapshot(proj.parent) == before
    assert (proj / ".git" / "HEAD").read_bytes() == git_head


def test_out_refuses_a_foreign_folder_a_file_and_a_link(proj, tmp_path):
    mine = tmp_path / "my-notes"
    mine.mkdir()
    (mine / "notes.txt").write_text("审查意见草稿\n", encoding="utf-8")
    r = _run("HEAD~1", "HEAD", "--root", str(proj), "--out", str(mine))
    assert r.exit_code == 2 and "was not written by stdkit" in r.output and DIFF_MARKER in r.output
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    afile = tmp_path / "report.txt"
    afile.write_text("x", encoding="utf-8")
    r = _run("HEAD~1", "HEAD", "--root", str(proj), "--out", str(afile))
    assert r.exit_code == 2 and "not a folder" in r.output and afile.read_text() == "x"
    link = tmp_path / "link"
    link.symlink_to(mine)
    r = _run("HEAD~1", "HEAD", "--root", str(proj), "--out", str(link))
    assert r.exit_code == 2 and "symbolic link" in r.output and (mine / "notes.txt").is_file()


def test_out_creates_fills_an_empty_folder_and_replaces_only_its_own(proj, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _run("HEAD~1", "HEAD", "--root", str(proj), "--out", str(empty)).exit_code == 0
    assert (empty / DIFF_MARKER).is_file() and (empty / "index.html").is_file()
    (empty / "stale.txt").write_text("old output", encoding="utf-8")
    assert _run("HEAD~1", "HEAD", "--root", str(proj), "--out", str(empty)).exit_code == 0  # marker: replaced
    assert not (empty / "stale.txt").exists() and (empty / DIFF_MARKER).is_file()
    new = tmp_path / "a" / "b" / "new"
    assert _run("HEAD~1", "HEAD", "--root", str(proj), "--out", str(new)).exit_code == 0
    assert (new / DIFF_MARKER).is_file()
    assert not list(new.parent.glob(".new-*"))  # no staging or old folders left


def test_leftovers_of_a_killed_diff_are_cleaned(proj, tmp_path):
    out = tmp_path / "d"
    for name in (".d-staging-99999", ".d-old-99999"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x").write_text("left", encoding="utf-8")
    assert _run("HEAD~1", "HEAD", "--root", str(proj), "--out", str(out)).exit_code == 0
    assert not list(tmp_path.glob(".d-*"))


@pytest.mark.parametrize("spec", ["[/x]", "[bold]x[/bold]", "[link=http://e.example]x"])
def test_revision_names_are_shown_as_written(proj, tmp_path, spec):
    r = _run(spec, "--root", str(proj), "--out", str(tmp_path / "o"))
    assert r.exit_code == 2
    assert f"`{spec}` is neither a directory nor a known git revision" in r.output
    assert "Traceback" not in r.output


def test_broken_yaml_on_a_side_is_reported_not_shown_as_deleted(proj, tmp_path, run_git):
    ms = proj / "standards" / "measures" / "municipal-detailed.yaml"
    ms.write_text(ms.read_text(encoding="utf-8").replace("measures:", "measures: [", 1), encoding="utf-8")
    out = tmp_path / "o"
    r = _run("HEAD", "--root", str(proj), "--out", str(out))  # HEAD against the broken working tree
    assert r.exit_code == 2, r.output
    assert "standards/measures/municipal-detailed.yaml:" in r.output and " E003 error: " in r.output
    assert "stdkit diff  HEAD" not in r.output and not out.exists()  # no change summary, no outputs
    run_git(proj, "commit", "-q", "-am", "broken")  # the same as a committed revision
    r = _run("HEAD~1", "HEAD", "--root", str(proj), "--out", str(out))
    assert r.exit_code == 2 and "new side HEAD" in r.output and not out.exists()
    r = _run("HEAD", "HEAD~1", "--root", str(proj), "--out", str(out))
    assert r.exit_code == 2 and "old side HEAD" in r.output


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_committed_absolute_symlink_is_a_finding_not_an_internal_error(proj, tmp_path, run_git):
    (proj / "standards" / "measures" / "passwd.yaml").symlink_to("/etc/passwd")
    (proj / "standards" / "measures" / "up.yaml").symlink_to("../../../../../../etc/hostname")
    run_git(proj, "add", "-A")
    run_git(proj, "commit", "-q", "-m", "links")
    r = _run("HEAD~1", "HEAD", "--root", str(proj), "--out", str(tmp_path / "o"))
    assert r.exit_code == 0, r.output
    assert "internal error" not in r.output and "新版本有 2 个读取/校验错误" in r.output
    from toolkit.diff.source import load_side

    _, _, found = load_side("HEAD", proj, tmp_path / "tmp")
    assert sorted((f.code, f.location.file) for f in found) == [
        ("E012", "standards/measures/passwd.yaml"), ("E012", "standards/measures/up.yaml")]
