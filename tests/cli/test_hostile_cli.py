"""Never a traceback from user text (issue 11): Rich markup in paths, ids and options; internal errors as one
line plus a log file; deep nesting as a located finding with the rest of the run kept."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checks"))
from fixture_corpus import materialize  # noqa: E402

from toolkit.cli import app  # noqa: E402

STDKIT = Path(sys.executable).with_name("stdkit")


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def no_traceback(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and "MarkupError" not in text, text


def test_root_folder_with_markup_in_its_name(tmp_path):
    root = materialize(None, tmp_path / "a[" / "b]")  # folder named like a closing tag: a[/b]
    r = invoke("check", "--root", str(root))
    no_traceback(r.output)
    assert r.exit_code == 0 and r.output.endswith("0 个错误（error），0 个警告（warning）\n")
    r = invoke("check", "--root", str(tmp_path / "a[" / "[/x]"))
    no_traceback(r.output)
    assert r.exit_code == 2 and "[/x]" in r.output


def test_build_only_with_markup(tmp_path):
    root = materialize(None, tmp_path)
    r = invoke("build", "--root", str(root), "--only", "[/x],[bold]y")
    no_traceback(r.output)
    assert r.exit_code == 2 and "unknown step(s) [/x], [bold]y" in r.output


def test_internal_error_is_one_line_and_a_log(tmp_path, monkeypatch):
    import toolkit.checks

    def boom(corpus, cache=False):
        raise RuntimeError("bad [/x] thing in standards/a[b].yaml\nsecond line")

    monkeypatch.setattr(toolkit.checks, "run_checks", boom)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    root = materialize(None, tmp_path / "p")
    r = invoke("check", "--root", str(root))
    assert r.exit_code == 2
    no_traceback(r.output)
    lines = [l for l in r.output.splitlines() if l.strip()]
    assert len(lines) == 1, r.output
    assert "internal error while checking: RuntimeError: bad [/x] thing in standards/a[b].yaml" in lines[0]
    logs = list(tmp_path.glob("stdkit-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in lines[0]
    assert "Traceback" in logs[0].read_text(encoding="utf-8") and "second line" in logs[0].read_text(encoding="utf-8")
    r = invoke("--debug", "check", "--root", str(root))
    assert r.exit_code == 2 and "Traceback" in r.output and "RuntimeError" in r.output


@pytest.mark.parametrize("depth", [495, 999])
def test_deep_nesting_gives_a_finding_and_keeps_the_others(tmp_path, depth):
    root = materialize(None, tmp_path)
    (root / "standards" / "measures" / "deep.yaml").write_text(
        "measures: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    (root / "standards" / "measures" / "dup.yaml").write_text("measures: []\nmeasures: []\n", encoding="utf-8")
    r = subprocess.run([str(STDKIT), "check", "--root", str(root)], capture_output=True, text=True, timeout=120)
    no_traceback(r.stdout + r.stderr)
    assert r.returncode == 1, r.stderr
    assert "standards/measures/deep.yaml:1:" in r.stdout and " E009 error: " in r.stdout
    assert "standards/measures/dup.yaml:2:1: E004" in r.stdout
