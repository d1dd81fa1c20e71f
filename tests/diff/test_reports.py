"""index.html / index.md / changes.md: character-level highlighting, links into the site, escaping."""
from __future__ import annotations

import json
import shutil

from rich.console import Console

from toolkit.diff import compute_changes, load_side
from toolkit.render.diff_outputs import run_diff
from toolkit.render.diff_report import changes_page_markdown
from toolkit.diff.terminal import print_summary


def test_html_report_highlights_characters_and_links_the_site(out_dir):
    html = (out_dir / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert "≥5<del>0</del><ins>5</ins>%（新建公共建筑）" in html
    assert "新建公共<ins>建筑和居住</ins>建筑应配置屋顶光伏" in html
    assert 'href="../site/standards/std-test-guide/#tg-tech-a"' in html
    assert 'href="../site/standards/std-test-guide/#tg-general-carbon"' in html
    assert 'href="../site/indicators/ind-ev-charger-ratio/"' in html
    assert 'href="../site/indicators/ind-roof-pv-share/"' in html
    assert "4.2 → 4.3（编号调整）" in html
    assert 'href="std-test-guide-tracked.docx"' in html
    assert "c) 更改了附录A“指标表”的内容（见附录A，2020年版的附录A）。" in html


def test_markdown_report_and_site_page(result, out_dir):
    md = (out_dir / "index.md").read_text(encoding="utf-8")
    assert md.startswith("# 变更对照：HEAD~1 (")
    assert "[5.1　屋顶光伏](../site/standards/std-test-guide/#tg-tech-a)" in md
    assert "- **删除** 推行绿色建筑 `m-md-buildings-01`" in md
    assert "<del>≥50%</del> → <ins>≥55%</ins>" in md
    page = (out_dir / "changes.md").read_text(encoding="utf-8")
    assert page == changes_page_markdown(result.changes)
    assert page.startswith("# 自 HEAD~1 (")
    assert "[5.1　屋顶光伏](standards/std-test-guide.md#tg-tech-a)" in page
    assert "[停车场充电桩配置率](indicators/ind-ev-charger-ratio.md)" in page
    assert "../" not in page


def test_changes_json(out_dir):
    data = json.loads((out_dir / "changes.json").read_text(encoding="utf-8"))
    assert data["new"]["author"] == "李起草" and data["new"]["date"] == "2026-03-02T01:30:00Z"
    assert [(c["kind"], c["op"]) for c in data["changes"]][:3] == [("clause", "added"), ("clause", "moved"),
                                                                   ("clause", "changed")]
    assert data["changes"][1]["move"] == {"old_number": "4.2", "new_number": "4.3", "old_parent": "tg-general",
                                          "new_parent": "tg-general"}


def test_markup_in_yaml_is_escaped(repo, tmp_path):
    proj = tmp_path / "proj"
    shutil.copytree(repo / "standards", proj / "standards")
    ms = proj / "standards" / "measures" / "municipal-detailed.yaml"
    ms.write_text(ms.read_text(encoding="utf-8").replace("title: 提高绿色出行比例",
                                                         'title: "提高<script>alert(1)</script>*绿色*出行比例"'),
                  encoding="utf-8")
    res = run_diff(repo, "HEAD", str(proj), tmp_path / "out")
    assert [c.key() for c in res.changes.changes] == [("measure", "m-md-transport-01", "changed")]
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    md = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "<script>" not in html and "<script>" not in md
    assert "&lt;script&gt;" in html and "&lt;script&gt;" in md
    assert r"\*绿色\*" in md


def test_terminal_summary_without_colour_brackets_edits(result):
    con = Console(record=True, width=100, no_color=True, force_terminal=False)
    print_summary(result.changes, con)
    text = con.export_text()
    assert "旧：HEAD~1 (" in text and "张审校" in text and "李起草" in text
    assert "+ std-test-guide 4.2　碳排放评估  [tg-general-carbon]" in text
    assert "新建公共{+建筑和居住+}建筑应配置屋顶光伏" in text
    assert "≥5[-0-]{+5+}%（新建公共建筑）" in text
    assert "↷ std-test-guide 编号调整：4.2→4.3" in text
    assert "- m-md-buildings-01  推行绿色建筑" in text
    assert "目标值：≥50% → ≥55%" in text


def test_working_tree_side_matches_head(repo, tmp_path):
    a, ai, _ = load_side("HEAD~1", repo, tmp_path)
    b, bi, _ = load_side(None, repo, tmp_path)
    assert bi.kind == "worktree" and bi.label == "工作区"
    assert len(compute_changes(a, b, ai, bi).changes) == 7
