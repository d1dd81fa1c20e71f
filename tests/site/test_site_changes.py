"""The site's "changes since …" page (``changes.md``): baseline choice, the change set it lists,
links that resolve, escaping, the no-baseline fallback and the build cache's view of git."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from sitecheck import ROOT, SCRIPT, broken_links, page_refs
from sitegit import AUTHOR, EDIT, NEW_TERM_ID, commit_all, git, init_repo

from toolkit.render import changes_page as CP


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _h1(path: Path) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", _text(path), re.S)
    assert m, f"{path} has no <h1>"
    return html.unescape(re.sub(r"<a class=\"headerlink\".*?</a>|<[^>]+>", "", m.group(1))).strip()


def _article(path: Path) -> str:
    m = re.search(r"<article[^>]*>(.*)</article>", _text(path), re.S)
    assert m, f"{path} has no <article>"
    return m.group(1)


def _entry(article: str, href: str) -> tuple[str, str]:
    """``(operation label, rest of the line)`` of the change entry linking to ``href``."""
    m = re.search(r"<li>\s*(?:<p>)?<strong>([^<]+)</strong> <a href=\"" + re.escape(href) + r"\">(.*)", article)
    assert m, f"no change entry links to {href}"
    return m.group(1), m.group(2)


# ---------------------------------------------------------------------- built sites
def test_real_site_has_the_page_in_the_nav_with_the_change_set_of_its_baseline(built, corpus):
    import tempfile

    from toolkit.diff import compute_changes, load_side, worktree_info

    page = built.site / "changes" / "index.html"
    assert page.is_file()
    home = _text(built.site / "index.html")
    assert re.search(r'href="changes/"[^>]*>\s*(<span[^>]*>)?\s*修订记录', home), "修订记录 is in the nav"
    assert 'href="../changes/"' in _text(built.site / "guide" / "index.html")
    b = CP.find_baseline(ROOT)
    if b.sha is None:  # e.g. a source export without .git: the fallback page
        assert _h1(page) == CP.FALLBACK_TITLE and "没有可用的比较基线" in _text(page)
        return
    assert _h1(page) == f"自 {b.label} 以来的变化"
    with tempfile.TemporaryDirectory() as tmp:
        old, info, _ = load_side(b.sha, ROOT, Path(tmp))
    cs = compute_changes(old, corpus, info, worktree_info(ROOT))
    text = _article(page)
    assert (f"共 {len(cs.changes)} 项变化" in text) if cs.changes else ("两个版本之间没有内容变化" in text)


def test_changes_against_the_first_commit_with_standards(changed):
    info = changed.info
    page = changed.site / "changes" / "index.html"
    base = info["base"][:7]
    assert _h1(page) == f"自 {base} 以来的变化", "baseline: the commit that added standards/, not the README commit"
    art = _article(page)
    assert "仓库中首个包含 <code>standards/</code> 的提交" in art
    assert f"<td>{AUTHOR}</td>" in art and "2026-02-01 01:00 UTC" in art, "old side: the baseline commit"
    n = int(re.search(r"共 (\d+) 项变化", art).group(1))
    assert n >= 5
    # the changed clause, with the inserted characters marked and its stable anchor
    std = f"../standards/{info['draft']}/"
    assert _entry(art, f"{std}#{info['clause']}")[0] == "修改"
    assert f"<ins>{EDIT}</ins>" in art
    # a new term, and the term after it renumbered: a move, not a removal plus an addition
    assert _entry(art, f"{std}#{NEW_TERM_ID}")[0] == "新增"
    op, moved = _entry(art, f"{std}#{info['moved_term']}")
    assert op == "移动" and "3.1 → 3.2（编号调整）" in moved
    assert f"<code>{info['moved_term']}</code>" in art and art.count(f"<code>{info['moved_term']}</code>") == 1
    # the removed measure is listed without a link (its page anchor is gone)
    removed = re.search(r"<li><strong>删除</strong> ([^\n]*)" + re.escape(f"<code>{info['measure']}</code>"), art)
    assert removed and "<a " not in removed.group(1)
    # the changed indicator links its page; markup in YAML shows as text
    op, ind = _entry(art, f"../indicators/{info['indicator']}/")
    assert op == "修改" and html.escape(SCRIPT, quote=False) in ind
    assert SCRIPT not in _text(page)


def test_every_link_of_the_changes_site_resolves(changed):
    broken, external, checked = broken_links(changed.site)
    assert broken == [] and external == []
    refs = page_refs(changed.site / "changes" / "index.html")
    local = [u for tag, u in refs.links if tag == "a" and u.startswith(("../standards/", "../indicators/"))]
    assert len(local) >= 5 and checked > len(local)


def test_without_git_the_page_says_no_baseline(hostile):
    page = hostile.site / "changes" / "index.html"
    assert _h1(page) == CP.FALLBACK_TITLE
    text = _article(page)
    assert "没有可用的比较基线：项目目录不在 git 仓库中。" in text
    assert "<del>" not in text and "项变化" not in text


# ---------------------------------------------------------------------- baseline choice (no site build)
@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository whose first commit has no ``standards/``; ``standards/`` comes in the second."""
    r = tmp_path / "repo"
    init_repo(r)
    return r


def _add_standards(repo: Path, text: str, date: str) -> str:
    (repo / "standards").mkdir(exist_ok=True)
    (repo / "standards" / "note.txt").write_text(text, encoding="utf-8")
    return commit_all(repo, f"standards: {text}", date)


def test_baseline_order_config_then_tag_then_first_commit(repo):
    from toolkit.render.site import changes_baseline as _changes_baseline

    none = CP.find_baseline(repo)
    assert (none.origin, none.sha) == ("none", None) and "standards/" in none.reason
    first = _add_standards(repo, "v1", "2026-02-01T09:00:00+08:00")
    second = _add_standards(repo, "v2", "2026-02-02T09:00:00+08:00")
    third = _add_standards(repo, "v3", "2026-02-03T09:00:00+08:00")
    b = CP.find_baseline(repo)
    assert (b.origin, b.sha, b.label) == ("first-commit", first, first[:7])
    key_before = _changes_baseline(repo)
    git(repo, "tag", "v0.1", first)
    git(repo, "tag", "-a", "v0.2", "-m", "release 0.2", second)  # annotated: peeled to its commit
    b = CP.find_baseline(repo)
    assert (b.origin, b.sha, b.label) == ("tag", second, f"v0.2 ({second[:7]})")
    assert _changes_baseline(repo) != key_before, "a new tag rebuilds the site's pages"
    b = CP.find_baseline(repo, "HEAD~2")
    assert (b.origin, b.sha, b.label) == ("config", first, f"HEAD~2 ({first[:7]})")
    bad = CP.find_baseline(repo, "no-such-rev")
    assert (bad.origin, bad.sha) == ("none", None) and "no-such-rev" in bad.reason
    assert CP.find_baseline(repo, third[:10]).label == third[:7], "a sha is shown as its short form"
    (repo / "mkdocs.yml").write_text("site_name: x\nextra:\n  stdkit:\n    changes_since: HEAD~1\n", encoding="utf-8")
    assert _changes_baseline(repo) == CP.baseline_key(repo, "HEAD~1")


def test_no_repository_and_no_git_give_the_fallback(tmp_path, monkeypatch, corpus):
    plain = tmp_path / "plain"
    (plain / "standards").mkdir(parents=True)
    md, b = CP.changes_markdown(plain, corpus)
    assert b.origin == "none" and md.startswith(f"# {CP.FALLBACK_TITLE}\n")
    assert "没有可用的比较基线：项目目录不在 git 仓库中。" in md
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    monkeypatch.setenv("PATH", str(empty_path))
    md, b = CP.changes_markdown(ROOT, corpus)
    assert b.reason == "未找到 git 程序" and "没有可用的比较基线：未找到 git 程序。" in md


def test_page_is_deterministic_and_cheap(corpus):
    import time

    t = time.perf_counter()
    first, b = CP.changes_markdown(ROOT, corpus)
    elapsed = time.perf_counter() - t
    assert CP.changes_markdown(ROOT, corpus) == (first, b)
    assert str(ROOT) not in first, "no absolute paths in the page"
    assert elapsed < 10, f"the changes page took {elapsed:.1f} s"


def test_changes_since_must_be_a_string(tmp_path):
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text("site_name: x\nextra:\n  stdkit:\n    changes_since: 'v1.10'\n  other: !ENV [HOME]\n",
                   encoding="utf-8")
    assert CP.configured_in(cfg) == "v1.10"
    assert CP.configured_in(ROOT / "mkdocs.yml") is None
    assert CP.configured_in(tmp_path / "missing.yml") is None
    cfg.write_text("site_name: x\nextra:\n  stdkit:\n    changes_since: 1.10\n", encoding="utf-8")
    with pytest.raises(ValueError, match="quote it"):
        CP.configured_in(cfg)
    assert CP.changes_since_setting({"stdkit": {"changes_since": " v2 "}}) == "v2"
    assert CP.changes_since_setting({}) is None and CP.changes_since_setting(None) is None


def test_plugin_rejects_a_non_string_changes_since(tmp_path, caplog):
    from mkdocs.exceptions import Abort

    from toolkit.render.site import build_site

    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "site", project / "site")
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "standards").symlink_to(ROOT / "standards")
    text = _text(ROOT / "mkdocs.yml")
    assert "\nextra:\n" in text
    (project / "mkdocs.yml").write_text(
        text.replace("\nextra:\n", "\nextra:\n  stdkit:\n    changes_since: 2\n", 1), encoding="utf-8")
    with pytest.raises(Abort):
        build_site(project, tmp_path / "out")
    assert "extra.stdkit.changes_since` in mkdocs.yml must be a git revision written as a string" in caplog.text
