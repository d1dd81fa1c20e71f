"""``stdkit check``: exit codes, compiler-style text, JSON, and no traceback on any broken fixture."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checks"))
from fixture_corpus import case_meta, case_names, materialize  # noqa: E402

from toolkit.cli import app  # noqa: E402
from toolkit.codes import CODES  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
STDKIT = Path(sys.executable).with_name("stdkit")
LINE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[EWA]\d{3}) (?P<sev>error|warning): "
                  r"(?P<msg>.+?)(?: \(hint: (?P<hint>.+)\))?$")
SUMMARY = re.compile(r"^\d+ 个错误（error），\d+ 个警告（warning）(（另有 \d+ 个已知问题被基线隐藏）)?$")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(STDKIT), *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def assert_no_traceback(*texts: str) -> None:
    for t in texts:
        assert "Traceback" not in t and 'File "' not in t, t


def check_text_lines(stdout: str) -> list[re.Match]:
    """Every line is a finding in compiler style, the last one the summary; returns the matches."""
    lines = stdout.rstrip("\n").split("\n")
    assert SUMMARY.match(lines[-1]), lines[-1]
    matches = []
    for line in lines[:-1]:
        mt = LINE.match(line)
        assert mt, f"not compiler style: {line!r}"
        assert mt["code"] in CODES
        assert mt["sev"] == CODES[mt["code"]]["severity"]
        assert mt["hint"], f"no hint: {line!r}"
        matches.append(mt)
    return matches


def test_clean_fixture_exits_0(tmp_path):
    root = materialize(None, tmp_path)
    res = run("check", "--root", str(root))
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip() == "0 个错误（error），0 个警告（warning）"


def test_warnings_only_exit_0(tmp_path):
    root = materialize("W953-half-width", tmp_path)
    res = run("check", "--root", str(root))
    assert res.returncode == 0
    matches = check_text_lines(res.stdout)
    assert [m["code"] for m in matches] == ["W953"]
    assert matches[0]["file"] == "standards/drafts/std-demo-guide.yaml"


def test_errors_exit_1_in_compiler_style(tmp_path):
    root = materialize("E503-thresholds-disagree", tmp_path)
    res = run("check", "--root", str(root))
    assert res.returncode == 1
    matches = check_text_lines(res.stdout)
    e503 = [m for m in matches if m["code"] == "E503"]
    assert e503 and e503[0]["sev"] == "error"
    line = (root / e503[0]["file"]).read_text(encoding="utf-8").splitlines()[int(e503[0]["line"]) - 1]
    assert "value: 70" in line  # file:line points at the disagreeing target
    assert "standards/measures/demo.yaml" in e503[0]["msg"]  # and names the other place


def test_run_from_the_project_folder(tmp_path):
    root = materialize("E201-unknown-ref", tmp_path)
    res = run("check", cwd=root)
    assert res.returncode == 1 and "E201" in res.stdout


@pytest.mark.parametrize("args", [["check", "--root", "/nonexistent/stdkit-root"], ["check", "--root", "."]])
def test_cannot_run_exits_2(args, tmp_path):
    res = run(*args, cwd=tmp_path)  # tmp_path has no standards/
    assert res.returncode == 2
    assert "standards/" in res.stderr
    assert_no_traceback(res.stdout, res.stderr)


def test_bad_option_exits_2():
    res = run("check", "--format", "xml")
    assert res.returncode == 2
    assert_no_traceback(res.stdout, res.stderr)


def test_internal_error_exits_2_without_traceback(tmp_path, monkeypatch):
    import toolkit.checks

    def boom(corpus, cache=False):
        raise RuntimeError("a bug in a check")

    monkeypatch.setattr(toolkit.checks, "run_checks", boom)
    res = invoke("check", "--root", str(materialize(None, tmp_path)))
    assert res.exit_code == 2
    assert "internal error" in res.output and "a bug in a check" in res.output
    assert_no_traceback(res.output)


def test_json_format_parses(tmp_path):
    root = materialize("E601-looser-lower-level", tmp_path)
    res = run("check", "--root", str(root), "--format", "json")
    assert res.returncode == 1
    data = json.loads(res.stdout)
    assert isinstance(data, list) and data
    for f in data:
        assert set(f) == {"code", "severity", "message", "location", "hint"}
        assert set(f["location"]) == {"file", "line", "col"}
        assert f["code"] in CODES and f["severity"] == CODES[f["code"]]["severity"]
    assert "E601" in {f["code"] for f in data}


def test_json_format_clean_is_empty_list(tmp_path):
    res = run("check", "--root", str(materialize(None, tmp_path)), "--format", "json")
    assert res.returncode == 0 and json.loads(res.stdout) == []


@pytest.mark.parametrize("name", case_names())
def test_no_traceback_on_any_fixture(name, tmp_path):
    root = materialize(name, tmp_path)
    code = case_meta(name)["code"]
    text = invoke("check", "--root", str(root))
    assert text.exception is None or isinstance(text.exception, SystemExit), repr(text.exception)
    assert text.exit_code == (0 if CODES[code]["severity"] == "warning" else 1)
    assert_no_traceback(text.output)
    assert any(m["code"] == code for m in check_text_lines(text.output))
    js = invoke("check", "--root", str(root), "--format", "json")
    assert js.exit_code == text.exit_code
    assert code in {f["code"] for f in json.loads(js.output)}


def test_artifacts_without_build_is_an_error(tmp_path):
    res = run("check", "--root", str(materialize(None, tmp_path)), "--artifacts")
    assert res.returncode == 1
    assert [m["code"] for m in check_text_lines(res.stdout)] == ["A001"]


def test_real_corpus_checks_clean():
    res = run("check", "--root", str(ROOT))
    assert res.returncode == 0, res.stdout[-3000:]
    check_text_lines(res.stdout)
    assert SUMMARY.match(res.stdout.rstrip().split("\n")[-1]) and res.stdout.rstrip().split("\n")[-1].startswith("0 个错误")


def test_codes_lists_every_code():
    res = run("codes", "--format", "json")
    assert res.returncode == 0
    assert {c["code"] for c in json.loads(res.stdout)} == set(CODES)
