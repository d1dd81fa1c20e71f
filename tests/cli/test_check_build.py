"""``stdkit build`` never loses work: check errors write nothing, a failing or interrupted step leaves
the previous ``build/`` intact, and a second build while the lock is held stops with exit 2."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checks"))
from fixture_corpus import materialize  # noqa: E402

from toolkit import render  # noqa: E402
from toolkit.build.staging import build_lock  # noqa: E402
from toolkit.cli import app  # noqa: E402
from toolkit.render.base import BuildContext, Job  # noqa: E402

STDKIT = Path(sys.executable).with_name("stdkit")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def flat(text: str) -> str:
    """Output with line wrapping undone (Rich wraps long messages at the terminal width)."""
    return " ".join(text.split())


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".build-staging-", ".build-old-")))


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """The clean base fixture with a previous build/ in place."""
    monkeypatch.setenv("STDKIT_JOBS", "1")
    root = materialize(None, tmp_path / "project")
    prev = root / "build"
    (prev / "data").mkdir(parents=True)
    (prev / "data" / "corpus.json").write_text('{"previous": true}\n', encoding="utf-8")
    (prev / "drafts").mkdir()
    (prev / "drafts" / "std-demo-guide.docx").write_bytes(b"previous docx")
    (prev / ".stdkit-manifest.json").write_text('{"version": 1, "jobs": {}}\n', encoding="utf-8")  # an older stdkit's
    return root


def _step_ok(ctx: BuildContext) -> list[Path]:
    path = ctx.out / "data" / "corpus.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"new": true}\n', encoding="utf-8")
    return [path]


def _step_fails(ctx: BuildContext) -> list[Path]:
    (ctx.out / "half-written.txt").write_text("partial", encoding="utf-8")
    raise RuntimeError("renderer crashed")


def _step_interrupted(ctx: BuildContext) -> list[Path]:
    (ctx.out / "half-written.txt").write_text("partial", encoding="utf-8")
    raise KeyboardInterrupt


class StepOutput:
    """A build output made of one function (what the tests below register instead of the real ones)."""

    reads: tuple = ()
    names_of: tuple = ()

    def __init__(self, name, fn):
        self.name, self.fn = name, fn

    def plan(self, ctx):
        return [Job(self.name, self.name)]

    def run(self, ctx, job):
        return self.fn(ctx)


def use_steps(monkeypatch, *steps) -> None:
    outputs = {name: StepOutput(name, fn) for name, fn in steps}
    monkeypatch.setattr(render, "output_names", lambda: list(outputs))
    monkeypatch.setattr(render, "load_output", lambda name: outputs[name])


def test_check_errors_write_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("STDKIT_JOBS", "1")
    root = materialize("E201-unknown-ref", tmp_path / "project")
    res = CliRunner().invoke(app, ["build", "--root", str(root), "--quiet"])
    assert res.exit_code == 1
    assert "E201" in res.output and "nothing was written" in flat(res.output)
    assert not (root / "build").exists()
    assert leftovers(root) == []


def test_check_errors_keep_previous_build(project):
    previous = snapshot(project / "build")
    measures = project / "standards" / "measures" / "demo.yaml"
    measures.write_text(measures.read_text(encoding="utf-8").replace("domain: energy", "domain: energie"),
                        encoding="utf-8")
    res = CliRunner().invoke(app, ["build", "--root", str(project), "--quiet"])
    assert res.exit_code == 1 and "E402" in res.output
    assert snapshot(project / "build") == previous
    assert leftovers(project) == []


def test_failing_step_leaves_previous_build_intact(project, monkeypatch):
    previous = snapshot(project / "build")
    use_steps(monkeypatch, ("data", _step_ok), ("boom", _step_fails))
    res = CliRunner().invoke(app, ["build", "--root", str(project), "--quiet"])
    assert res.exit_code == 2
    assert "step failed" in flat(res.output) and "renderer crashed" in flat(res.output)
    assert "left intact" in flat(res.output)
    assert "Traceback" not in res.output
    assert snapshot(project / "build") == previous
    assert leftovers(project) == []


def test_interrupted_step_leaves_previous_build_intact(project, monkeypatch):
    previous = snapshot(project / "build")
    use_steps(monkeypatch, ("data", _step_ok), ("slow", _step_interrupted))
    res = CliRunner().invoke(app, ["build", "--root", str(project), "--quiet"])
    assert res.exit_code == 2 and "interrupted" in res.output
    assert snapshot(project / "build") == previous
    assert leftovers(project) == []


def test_successful_build_replaces_build_folder(project, monkeypatch):
    use_steps(monkeypatch, ("data", _step_ok))
    res = CliRunner().invoke(app, ["build", "--root", str(project), "--quiet"])
    assert res.exit_code == 0, res.output
    assert (project / "build" / "data" / "corpus.json").read_text(encoding="utf-8") == '{"new": true}\n'
    assert leftovers(project) == []


def test_second_build_while_lock_is_held_exits_2(project):
    previous = snapshot(project / "build")
    env = {**os.environ, "STDKIT_JOBS": "1"}
    with build_lock(project):
        res = subprocess.run([str(STDKIT), "build", "--root", str(project), "--only", "data", "--quiet"],
                             capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "another stdkit build is running" in flat(res.stderr)
    assert "Traceback" not in res.stderr
    assert snapshot(project / "build") == previous
    assert leftovers(project) == []
    # once the lock is released the same build goes through
    res = subprocess.run([str(STDKIT), "build", "--root", str(project), "--only", "data", "--quiet"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert b'"measures"' in (project / "build" / "data" / "corpus.json").read_bytes()


def test_check_command_ends_with_its_output_and_status(tmp_path):
    """The installed command ends `check` without tearing the corpus down: every line is still written,
    the status is still 0 or 1, and piping it into a reader that stops early does not hang."""
    import shutil

    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "standards", tmp_path / "standards")
    res = subprocess.run([str(STDKIT), "check", "--root", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.rstrip().splitlines()[-1].endswith("个警告（warning）")
    as_json = subprocess.run([str(STDKIT), "check", "--root", str(tmp_path), "--format", "json"],
                             capture_output=True, text=True, timeout=300)
    import json

    assert as_json.returncode == 0 and isinstance(json.loads(as_json.stdout), list)
    # an error: status 1, output complete
    bad = tmp_path / "standards" / "measures" / "zz-broken.yaml"
    bad.write_text("measures:\n  - id: x\n", encoding="utf-8")
    res = subprocess.run([str(STDKIT), "check", "--root", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 1 and "zz-broken.yaml" in res.stdout and "个错误（error）" in res.stdout


def test_build_command_ends_with_its_output_status_and_nothing_left_behind(project):
    """The installed command ends `build` without tearing the corpus down: the summary is still
    written, the status is kept, no staging or old folder stays, and the lock is free at once."""
    env = {**os.environ, "STDKIT_JOBS": "2"}
    cmd = [str(STDKIT), "build", "--root", str(project), "--only", "data,tables"]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "stdkit build:" in res.stderr + res.stdout and "Traceback" not in res.stderr
    assert leftovers(project) == []
    assert b'"measures"' in (project / "build" / "data" / "corpus.json").read_bytes()
    # the lock was released: the next build (nothing changed) goes through at once and writes nothing
    before = snapshot(project / "build")
    res = subprocess.run(cmd + ["--quiet"], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert snapshot(project / "build") == before
    # a check error: status 1, the findings printed, build/ untouched
    (project / "standards" / "measures" / "zz-broken.yaml").write_text("measures:\n  - id: x\n", encoding="utf-8")
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 1 and "zz-broken.yaml" in res.stderr + res.stdout
    assert snapshot(project / "build") == before and leftovers(project) == []
