"""``stdkit diff`` on the command line: exit codes, sides, author, determinism."""
from __future__ import annotations

import shutil
import zipfile

from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["diff", *args], catch_exceptions=False)


def test_exit_code_1_with_changes_and_0_without(repo, tmp_path):
    r = _run("HEAD~1", "HEAD", "--root", str(repo), "--out", str(tmp_path / "a"), "--exit-code")
    assert r.exit_code == 1, r.output
    assert "编号调整：4.2→4.3" in r.output and "≥50% → ≥55%" in r.output
    r = _run("HEAD", "--root", str(repo), "--out", str(tmp_path / "b"), "--exit-code")  # HEAD vs working tree
    assert r.exit_code == 0, r.output
    assert "无变化" in r.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [".stdkit-diff", "changes.json", "changes.md", "index.html",
                                                                 "index.md"]
    r = _run("HEAD~1", "HEAD", "--root", str(repo), "--out", str(tmp_path / "c"))
    assert r.exit_code == 0, r.output


def test_exit_2_when_it_cannot_run(repo, tmp_path):
    r = _run("no-such-rev", "--root", str(repo), "--out", str(tmp_path / "x"))
    assert r.exit_code == 2
    assert "neither a directory nor a known git revision" in r.output
    assert not (tmp_path / "x").exists()
    r = _run(str(tmp_path), "--root", str(repo), "--out", str(tmp_path / "y"))  # a directory without standards/
    assert r.exit_code == 2 and "holds no `standards/`" in r.output
    plain = tmp_path / "plain"
    shutil.copytree(repo / "standards", plain / "standards")
    r = _run("HEAD~1", "--root", str(plain), "--out", str(tmp_path / "z"))  # not a git repository
    assert r.exit_code == 2 and "not inside a git repository" in r.output


def test_directory_sides_author_and_source_date_epoch(repo, v1_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    out = tmp_path / "dir"
    r = _run(str(v1_dir), "--root", str(repo), "--out", str(out), "--author", "王审查", "--exit-code")
    assert r.exit_code == 1, r.output
    xml = zipfile.ZipFile(out / "std-test-guide-tracked.docx").read("word/document.xml").decode()
    assert 'w:author="王审查"' in xml and 'w:date="2026-01-01T00:00:00Z"' in xml
    assert "李起草" not in xml
    md = (out / "index.md").read_text(encoding="utf-8")
    assert "| 新 | 工作区 | 王审查 | 2026-01-01 00:00 UTC |" in md


def test_same_input_gives_byte_identical_outputs(repo, tmp_path):
    for name in ("one", "two"):
        assert _run("HEAD~1", "HEAD", "--root", str(repo), "--out", str(tmp_path / name)).exit_code == 0
    one = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert one == sorted(p.name for p in (tmp_path / "two").iterdir()) and len(one) == 9  # 8 outputs + the .stdkit-diff marker
    for name in one:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    for name in one:
        if name.endswith((".md", ".html", ".json", ".txt")):
            text = (tmp_path / "one" / name).read_text(encoding="utf-8")
            assert str(tmp_path) not in text and str(repo) not in text, name


def test_default_out_is_build_diff_and_replaces_stale_files(repo, tmp_path):
    proj = tmp_path / "proj"
    shutil.copytree(repo, proj)
    stale = proj / "build" / "diff" / "old-draft-tracked.docx"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"stale")
    r = _run("HEAD~1", "--root", str(proj))
    assert r.exit_code == 0, r.output
    assert (proj / "build" / "diff" / "index.html").is_file() and not stale.exists()
    assert not list((proj / "build").glob(".diff-*"))
    assert "build/diff/index.html" in r.output


def test_side_with_broken_yaml_still_diffs_and_warns(repo, tmp_path):
    proj = tmp_path / "proj"
    shutil.copytree(repo / "standards", proj / "standards")
    (proj / "standards" / "measures" / "broken.yaml").write_text("measures: [\n", encoding="utf-8")
    r = _run("HEAD", str(proj), "--root", str(repo), "--out", str(tmp_path / "o"))
    assert r.exit_code == 0, r.output
    assert "新版本有 1 个读取/校验错误" in r.output and "无变化" in r.output
