"""stdkit review apply: accepted proposals go into the draft YAML, byte-for-byte except the changed text."""
from __future__ import annotations

import difflib
from pathlib import Path

from typer.testing import CliRunner

from review_helpers import DRAFT, STD, git, reviewed_docx
from toolkit.cli import app
from toolkit.review.apply import render_scalar

ROUND = Path("standards/reviews/std-demo-guide/r1.yaml")


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _import_and_accept(project, tmp_path):
    res = run("review", "import", reviewed_docx(project, tmp_path / "back.docx"), "--standard", STD,
              "--from", "某市规划设计研究院", "--root", project)
    assert res.exit_code == 0, res.output
    path = project / ROUND
    text = path.read_text(encoding="utf-8")
    head, sep, tail = text.partition("      kind: 修改建议")
    assert sep
    tail = tail.replace("disposition: 待处理", "disposition: 采纳", 1)
    path.write_text(head + sep + tail, encoding="utf-8")


def test_apply_changes_only_the_proposed_text(project, tmp_path):
    # a comment and odd formatting in the draft must survive
    draft = project / DRAFT
    src = draft.read_text(encoding="utf-8").replace("  clauses:\n", "  clauses:   # 条文树（编制组注）\n", 1)
    draft.write_text(src, encoding="utf-8")
    git(project, "commit", "-qam", "comment in draft")
    _import_and_accept(project, tmp_path)
    before = draft.read_text(encoding="utf-8")
    res = run("review", "apply", "--standard", STD, "--root", project)
    assert res.exit_code == 0, res.output
    assert "applied r1/c-" in res.output
    after = draft.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(True), after.splitlines(True)) if a != b]
    assert len(before.splitlines()) == len(after.splitlines())
    assert len(changed) == 1
    old_line, new_line = changed[0]
    assert "社区生活圈的交通设施" in old_line and "社区生活圈的慢行交通设施" in new_line
    # byte-for-byte except the changed text: the only differing characters are the inserted ones
    ops = [op for op in difflib.SequenceMatcher(None, before, after).get_opcodes() if op[0] != "equal"]
    assert [after[j1:j2] for _, _, _, j1, j2 in ops] == ["慢行"]
    assert "# 条文树（编制组注）" in after
    # again: already applied, nothing written
    res = run("review", "apply", "--standard", STD, "--root", project)
    assert res.exit_code == 0 and "already applied" in res.output
    assert draft.read_text(encoding="utf-8") == after


def test_apply_refuses_when_the_clause_changed_since_the_round(project, tmp_path):
    _import_and_accept(project, tmp_path)
    draft = project / DRAFT
    text = draft.read_text(encoding="utf-8").replace("指标见[[annex-demo]]。", "指标见[[annex-demo]]，并应定期评估。", 1)
    draft.write_text(text, encoding="utf-8")
    res = run("review", "apply", "--standard", STD, "--root", project)
    assert res.exit_code == 1
    assert "changed since round r1" in res.output
    assert draft.read_text(encoding="utf-8") == text


def test_dry_run_writes_nothing(project, tmp_path):
    _import_and_accept(project, tmp_path)
    before = (project / DRAFT).read_bytes()
    res = run("review", "apply", "--standard", STD, "--dry-run", "--root", project)
    assert res.exit_code == 0 and "would apply" in res.output
    assert (project / DRAFT).read_bytes() == before


def test_render_scalar_keeps_style_or_quotes():
    assert render_scalar("应加强绿化率底线管控。", None) == "应加强绿化率底线管控。"
    assert render_scalar("key: value # x", None) == '"key: value # x"'
    assert render_scalar("it's", "'") == "'it''s'"
