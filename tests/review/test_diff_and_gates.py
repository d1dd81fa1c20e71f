"""The diff knows the review; stage gates on a real project history."""
from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from review_helpers import DRAFT, STD, git, reviewed_docx
from toolkit.checks import run_checks
from toolkit.cli import app
from toolkit.corpus import load_corpus

ROUND = Path("standards/reviews/std-demo-guide/r1.yaml")


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_diff_lists_the_comments_that_caused_a_change(project, tmp_path):
    base = git(project, "rev-parse", "HEAD")
    assert run("review", "import", reviewed_docx(project, tmp_path / "b.docx"), "--standard", STD,
               "--from", "某市规划设计研究院", "--root", project).exit_code == 0
    path = project / ROUND
    text = path.read_text(encoding="utf-8")
    text = text.replace("disposition: 待处理", "disposition: 采纳")
    path.write_text(text, encoding="utf-8")
    assert run("review", "apply", "--standard", STD, "--root", project).exit_code == 0
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "round r1 applied")
    res = run("diff", base, "HEAD", "--root", project, "--out", tmp_path / "diff")
    assert res.exit_code == 0, res.output
    assert "← 意见 r1/c-" in res.output and "某市规划设计研究院（采纳）" in res.output
    assert "由 1 条审查意见引起" in res.output
    md = (tmp_path / "diff" / "index.md").read_text(encoding="utf-8")
    html = (tmp_path / "diff" / "index.html").read_text(encoding="utf-8")
    assert "← 意见 r1/c-" in md and "class=\"comment\"" in html


def test_stage_gate_and_vanished_clause(project, tmp_path):
    assert run("review", "import", reviewed_docx(project, tmp_path / "b.docx"), "--standard", STD,
               "--from", "某市规划设计研究院", "--root", project).exit_code == 0
    draft = project / DRAFT
    text = draft.read_text(encoding="utf-8").replace('  ics: "07.040"', '  stage: 送审稿\n  ics: "07.040"', 1)
    draft.write_text(text, encoding="utf-8")
    corpus, _ = load_corpus(project)
    codes = [f.code for f in run_checks(corpus)]
    assert codes.count("E961") == 2  # both comments of the 征求意见稿 round still 待处理
    # delete the commented clause 4.1: the comment on it now warns, naming where it went
    start = text.index("        - id: demo-transport-share")
    end = text.index("        - id: demo-transport-life-circle")
    draft.write_text(text[:start] + text[end:], encoding="utf-8")
    corpus, _ = load_corpus(project)
    warn = [f for f in run_checks(corpus) if f.code == "W964"]
    assert len(warn) == 1 and "r1/c-" in warn[0].message and "deleted" in warn[0].message
    assert warn[0].location.file.endswith("r1.yaml")
